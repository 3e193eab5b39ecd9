/**
 * Character cursor over shell source with line tracking. `peek`/`next` hide line continuations
 * (backslash-newline), which bash removes everywhere except inside single quotes, `$'...'`,
 * comments and quoted here-documents; those readers use the `raw*` methods instead.
 */

export interface ReaderMark {
  pos: number;
  line: number;
}

export class SourceReader {
  readonly src: string;
  pos: number;
  line: number;

  constructor(src: string, pos = 0, line = 1) {
    this.src = src;
    this.pos = pos;
    this.line = line;
  }

  /** Skips any line continuations at the cursor. */
  skipContinuations(): void {
    const src = this.src;
    while (src.charCodeAt(this.pos) === 92 /* \ */ && src.charCodeAt(this.pos + 1) === 10) {
      this.pos += 2;
      this.line++;
    }
  }

  /** Current character after line continuations; "" at end of input. */
  peek(): string {
    this.skipContinuations();
    return this.pos < this.src.length ? this.src[this.pos] : "";
  }

  /** Consumes and returns the current character (after line continuations). */
  next(): string {
    const c = this.peek();
    if (c !== "") {
      this.pos++;
      if (c === "\n") this.line++;
    }
    return c;
  }

  /** The character after the current one, both seen through line continuations. */
  peekSecond(): string {
    const mark = this.mark();
    this.next();
    const c = this.peek();
    this.reset(mark);
    return c;
  }

  /** Character at `pos + offset` with no continuation handling. */
  rawPeek(offset = 0): string {
    const i = this.pos + offset;
    return i < this.src.length ? this.src[i] : "";
  }

  /** Consumes one character with no continuation handling. */
  rawNext(): string {
    if (this.pos >= this.src.length) return "";
    const c = this.src[this.pos++];
    if (c === "\n") this.line++;
    return c;
  }

  atEnd(): boolean {
    return this.peek() === "";
  }

  mark(): ReaderMark {
    return { pos: this.pos, line: this.line };
  }

  reset(mark: ReaderMark): void {
    this.pos = mark.pos;
    this.line = mark.line;
  }

  slice(start: number, end = this.pos): string {
    return this.src.slice(start, end);
  }
}
