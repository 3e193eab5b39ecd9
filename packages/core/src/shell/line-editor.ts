/**
 * The interactive shell's line editor (a small readline): the terminal is in raw mode while
 * a line is edited, keys arrive as bytes (UTF-8 text, control characters and escape
 * sequences) and the editor redraws the prompt and line itself, wrapping at the terminal
 * width.
 *
 * Keys: printable text inserts; Left/Right, ^B/^F, Home/End, ^A/^E, M-b/M-f and Ctrl-arrows
 * move; Backspace, Delete, ^D (on a non-empty line), ^K, ^U, ^W, M-d, M-Backspace edit, ^Y
 * yanks the last kill; Up/Down and ^P/^N walk the history; Tab completes (a second Tab lists
 * the candidates); ^L clears the screen; ^C abandons the line; ^D on an empty line is end of
 * input; Enter accepts.
 *
 * The editor is independent of the shell: it talks to the terminal through `LineEditorIo`
 * and asks `complete` for candidates, so it can be driven in tests.
 */

export interface LineEditorIo {
  /** Raw bytes typed at the terminal; null when the terminal is gone. */
  read(): Promise<Uint8Array | null>;
  /** Writes to the terminal (output processing turns "\n" into "\r\n"). */
  write(text: string): Promise<void>;
  /** The terminal width in columns. */
  columns(): number;
}

export interface Completion {
  /** Index in the line where the completed word starts (it ends at the cursor). */
  start: number;
  /** Full replacements for the word, sorted. */
  candidates: string[];
  /** What to append after a unique candidate (" " by default; "" after a directory's "/"). */
  suffix?: (candidate: string) => string;
  /** How a candidate is shown in the list (default: itself). */
  display?: (candidate: string) => string;
}

export type Completer = (line: string, cursor: number) => Promise<Completion>;

export type ReadResult = { kind: "line"; text: string } | { kind: "eof" } | { kind: "interrupt" };

export interface LineEditorOptions {
  /** History entries, oldest first (the editor reads it; the caller appends accepted lines). */
  history: string[];
  complete?: Completer;
}

const ESC = "\x1b";

/** Display width of `text`: escape sequences and control characters take no columns. */
export function displayWidth(text: string): number {
  const stripped = text
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, "")
    .replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, "")
    .replace(/\x1b[@-_]/g, "")
    .replace(/[\x00-\x1f\x7f]/g, "");
  let width = 0;
  for (const _ of stripped) width++;
  return width;
}

/** Parses one key at `i`: its name and length, or null when the sequence is incomplete. */
export function parseKey(text: string, i: number): { key: string; length: number } | null {
  const c = text[i];
  if (c !== ESC) return { key: c, length: c.length };
  if (i + 1 >= text.length) return null;
  const next = text[i + 1];
  if (next === "[") {
    let j = i + 2;
    while (j < text.length && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x3f) j++;
    if (j >= text.length) return null;
    return { key: `CSI${text.slice(i + 2, j + 1)}`, length: j - i + 1 };
  }
  if (next === "O") {
    if (i + 2 >= text.length) return null;
    return { key: `SS3${text[i + 2]}`, length: 3 };
  }
  return { key: `M-${next}`, length: 2 };
}

/** Key names of the sequences terminals send, mapped to editor actions. */
const ACTIONS: Record<string, string> = {
  "\r": "accept",
  "\n": "accept",
  "\x01": "home",
  "\x02": "left",
  "\x03": "interrupt",
  "\x04": "eof-or-delete",
  "\x05": "end",
  "\x06": "right",
  "\x07": "none",
  "\x08": "backspace",
  "\x7f": "backspace",
  "\t": "complete",
  "\x0b": "kill-line",
  "\x0c": "clear-screen",
  "\x0e": "next-history",
  "\x10": "previous-history",
  "\x15": "kill-whole-before",
  "\x17": "kill-word-before",
  "\x19": "yank",
  "\x14": "transpose",
  CSIA: "previous-history",
  CSIB: "next-history",
  CSIC: "right",
  CSID: "left",
  CSIH: "home",
  CSIF: "end",
  "CSI1~": "home",
  "CSI7~": "home",
  "CSI4~": "end",
  "CSI8~": "end",
  "CSI3~": "delete",
  "CSI1;5C": "word-right",
  "CSI1;5D": "word-left",
  "CSI1;3C": "word-right",
  "CSI1;3D": "word-left",
  SS3A: "previous-history",
  SS3B: "next-history",
  SS3C: "right",
  SS3D: "left",
  SS3H: "home",
  SS3F: "end",
  "M-b": "word-left",
  "M-f": "word-right",
  "M-d": "kill-word-after",
  "M-\x7f": "kill-word-before-alnum",
  "M-\x08": "kill-word-before-alnum",
  "CSI200~": "none",
  "CSI201~": "none",
};

const isWordChar = (c: string): boolean => /[\p{L}\p{N}_]/u.test(c);

export class LineEditor {
  readonly #io: LineEditorIo;
  readonly #history: string[];
  readonly #complete: Completer | undefined;
  readonly #decoder = new TextDecoder();
  /** Typed text not yet handled (an incomplete escape sequence waits here for more). */
  #pending = "";
  #kill = "";
  // State of the line being edited:
  #chars: string[] = [];
  #cursor = 0;
  #prompt = "";
  #promptWidth = 0;
  /** Row of the cursor, counted from the row where the prompt's last line starts. */
  #cursorRow = 0;
  #historyIndex = 0;
  #draft: string[] = [];
  #lastAction = "";

  constructor(io: LineEditorIo, options: LineEditorOptions) {
    this.#io = io;
    this.#history = options.history;
    this.#complete = options.complete;
  }

  /** Shows `prompt` and edits one line until Enter, ^C or ^D on an empty line. */
  async readLine(prompt: string): Promise<ReadResult> {
    this.#chars = [];
    this.#cursor = 0;
    this.#cursorRow = 0;
    this.#historyIndex = this.#history.length;
    this.#draft = [];
    this.#lastAction = "";
    const lastNewline = prompt.lastIndexOf("\n");
    this.#prompt = lastNewline < 0 ? prompt : prompt.slice(lastNewline + 1);
    this.#promptWidth = displayWidth(this.#prompt);
    await this.#io.write(prompt);
    for (;;) {
      const parsed = this.#pending.length > 0 ? parseKey(this.#pending, 0) : null;
      if (parsed === null) {
        const chunk = await this.#io.read();
        if (chunk === null || chunk.length === 0) {
          this.#pending = "";
          if (this.#chars.length === 0) return { kind: "eof" };
          // The terminal went away mid-line: run what was typed, as bash does.
          await this.#finishLine();
          return { kind: "line", text: this.#chars.join("") };
        }
        this.#pending += this.#decoder.decode(chunk, { stream: true });
        continue;
      }
      this.#pending = this.#pending.slice(parsed.length);
      const result = await this.#handle(parsed.key);
      if (result) return result;
    }
  }

  async #handle(key: string): Promise<ReadResult | undefined> {
    const action =
      ACTIONS[key] ??
      (key.length > 0 && !key.startsWith("CSI") && !key.startsWith("SS3") && !key.startsWith("M-")
        ? key.charCodeAt(0) < 0x20
          ? "none"
          : "insert"
        : "none");
    const previous = this.#lastAction;
    this.#lastAction = action;
    switch (action) {
      case "insert":
        return this.#insert([...key]);
      case "accept": {
        await this.#finishLine();
        return { kind: "line", text: this.#chars.join("") };
      }
      case "interrupt":
        await this.#move(this.#chars.length);
        await this.#io.write("^C\n");
        return { kind: "interrupt" };
      case "eof-or-delete":
        if (this.#chars.length === 0) {
          await this.#io.write("\n");
          return { kind: "eof" };
        }
        return this.#delete(this.#cursor, this.#cursor + 1);
      case "backspace":
        return this.#delete(this.#cursor - 1, this.#cursor);
      case "delete":
        return this.#delete(this.#cursor, this.#cursor + 1);
      case "left":
        return this.#move(this.#cursor - 1);
      case "right":
        return this.#move(this.#cursor + 1);
      case "home":
        return this.#move(0);
      case "end":
        return this.#move(this.#chars.length);
      case "word-left":
        return this.#move(this.#wordStart(this.#cursor));
      case "word-right":
        return this.#move(this.#wordEnd(this.#cursor));
      case "kill-line":
        return this.#killRange(this.#cursor, this.#chars.length);
      case "kill-whole-before":
        return this.#killRange(0, this.#cursor);
      case "kill-word-before": {
        let i = this.#cursor;
        while (i > 0 && /\s/.test(this.#chars[i - 1])) i--;
        while (i > 0 && !/\s/.test(this.#chars[i - 1])) i--;
        return this.#killRange(i, this.#cursor);
      }
      case "kill-word-before-alnum":
        return this.#killRange(this.#wordStart(this.#cursor), this.#cursor);
      case "kill-word-after":
        return this.#killRange(this.#cursor, this.#wordEnd(this.#cursor));
      case "yank":
        return this.#insert([...this.#kill]);
      case "transpose": {
        if (this.#chars.length < 2 || this.#cursor === 0) return this.#bell();
        const at = this.#cursor === this.#chars.length ? this.#cursor - 1 : this.#cursor;
        [this.#chars[at - 1], this.#chars[at]] = [this.#chars[at], this.#chars[at - 1]];
        this.#cursor = Math.min(at + 1, this.#chars.length);
        return this.#redraw();
      }
      case "previous-history":
        return this.#historyMove(-1);
      case "next-history":
        return this.#historyMove(1);
      case "clear-screen":
        await this.#io.write("\x1b[H\x1b[2J");
        this.#cursorRow = 0;
        return this.#redraw();
      case "complete":
        return this.#completeWord(previous === "complete");
      default:
        return undefined;
    }
  }

  #wordStart(from: number): number {
    let i = from;
    while (i > 0 && !isWordChar(this.#chars[i - 1])) i--;
    while (i > 0 && isWordChar(this.#chars[i - 1])) i--;
    return i;
  }

  #wordEnd(from: number): number {
    let i = from;
    while (i < this.#chars.length && !isWordChar(this.#chars[i])) i++;
    while (i < this.#chars.length && isWordChar(this.#chars[i])) i++;
    return i;
  }

  async #insert(chars: string[]): Promise<undefined> {
    if (chars.length === 0) return undefined;
    const atEnd = this.#cursor === this.#chars.length;
    this.#chars.splice(this.#cursor, 0, ...chars);
    this.#cursor += chars.length;
    const cols = this.#columns();
    const end = this.#promptWidth + this.#chars.length;
    if (atEnd && end % cols !== 0 && !chars.some((c) => c < " " || c === "\x7f")) {
      // Typing at the end of the line: the characters themselves are the update.
      await this.#io.write(chars.join(""));
      this.#cursorRow = Math.floor(end / cols);
      return undefined;
    }
    await this.#redraw();
    return undefined;
  }

  async #delete(from: number, to: number): Promise<undefined> {
    const start = Math.max(0, from);
    const stop = Math.min(this.#chars.length, to);
    if (start >= stop) {
      await this.#bell();
      return undefined;
    }
    this.#chars.splice(start, stop - start);
    if (this.#cursor > start) this.#cursor = Math.max(start, this.#cursor - (stop - start));
    await this.#redraw();
    return undefined;
  }

  async #killRange(from: number, to: number): Promise<undefined> {
    if (from >= to) return undefined;
    this.#kill = this.#chars.slice(from, to).join("");
    this.#chars.splice(from, to - from);
    this.#cursor = from;
    await this.#redraw();
    return undefined;
  }

  async #move(to: number): Promise<undefined> {
    const target = Math.max(0, Math.min(this.#chars.length, to));
    if (target === this.#cursor) return undefined;
    this.#cursor = target;
    await this.#redraw();
    return undefined;
  }

  async #bell(): Promise<undefined> {
    await this.#io.write("\x07");
    return undefined;
  }

  async #historyMove(step: number): Promise<undefined> {
    const next = this.#historyIndex + step;
    if (next < 0 || next > this.#history.length) return this.#bell();
    if (this.#historyIndex === this.#history.length) this.#draft = [...this.#chars];
    this.#historyIndex = next;
    this.#chars =
      next === this.#history.length ? [...this.#draft] : [...historyLine(this.#history[next])];
    this.#cursor = this.#chars.length;
    await this.#redraw();
    return undefined;
  }

  async #completeWord(repeated: boolean): Promise<undefined> {
    if (!this.#complete) return this.#bell();
    const line = this.#chars.join("");
    const cursorIndex = this.#chars.slice(0, this.#cursor).join("").length;
    let completion: Completion;
    try {
      completion = await this.#complete(line, cursorIndex);
    } catch {
      return this.#bell();
    }
    const { candidates } = completion;
    if (candidates.length === 0) return this.#bell();
    const startChars = [...line.slice(0, completion.start)].length;
    const word = this.#chars.slice(startChars, this.#cursor).join("");
    if (candidates.length === 1) {
      const only = candidates[0];
      const suffix = completion.suffix ? completion.suffix(only) : " ";
      this.#replaceWord(startChars, only + suffix);
      await this.#redraw();
      return undefined;
    }
    const common = commonPrefix(candidates);
    if (common.length > word.length && common.startsWith(word)) {
      this.#replaceWord(startChars, common);
      await this.#redraw();
      return undefined;
    }
    if (!repeated) return this.#bell();
    await this.#list(candidates.map((c) => (completion.display ? completion.display(c) : c)));
    return undefined;
  }

  #replaceWord(start: number, text: string): void {
    this.#chars.splice(start, this.#cursor - start, ...text);
    this.#cursor = start + [...text].length;
  }

  /** Lists candidates in columns below the line (sorted down the columns, like ls), then redraws. */
  async #list(items: string[]): Promise<void> {
    const cols = this.#columns();
    const width = Math.max(...items.map((s) => displayWidth(s))) + 2;
    const perRow = Math.max(1, Math.floor(cols / width));
    const rows = Math.ceil(items.length / perRow);
    let out = "";
    for (let r = 0; r < rows; r++) {
      let line = "";
      for (let c = 0; c < perRow; c++) {
        const item = items[c * rows + r];
        if (item === undefined) continue;
        const last = (c + 1) * rows + r >= items.length;
        line += last ? item : item + " ".repeat(width - displayWidth(item));
      }
      out += `${line}\n`;
    }
    const saved = this.#cursor;
    this.#cursor = this.#chars.length;
    await this.#redraw();
    await this.#io.write(`\n${out}`);
    this.#cursorRow = 0;
    this.#cursor = saved;
    await this.#redraw();
  }

  #columns(): number {
    const cols = this.#io.columns();
    return Number.isInteger(cols) && cols > 0 ? cols : 80;
  }

  /**
   * Redraws the prompt's last line and the text, leaving the cursor at its place. The cursor
   * is first taken back to the start of the prompt's row, then everything below is cleared.
   */
  async #redraw(): Promise<undefined> {
    const cols = this.#columns();
    let out = "";
    if (this.#cursorRow > 0) out += `${ESC}[${this.#cursorRow}A`;
    out += `\r${ESC}[J${this.#prompt}${this.#chars.join("")}`;
    const total = this.#promptWidth + this.#chars.length;
    const endRow = Math.floor(total / cols);
    // At an exact multiple of the width the terminal waits to wrap: wrap for real so
    // positions add up.
    if (total > 0 && total % cols === 0) out += "\n";
    const position = this.#promptWidth + this.#cursor;
    const row = Math.floor(position / cols);
    const col = position % cols;
    if (endRow > row) out += `${ESC}[${endRow - row}A`;
    out += "\r";
    if (col > 0) out += `${ESC}[${col}C`;
    this.#cursorRow = row;
    await this.#io.write(out);
    return undefined;
  }

  /** Leaves the cursor after the line's end and starts a new line (on accepting it). */
  async #finishLine(): Promise<void> {
    if (this.#cursor !== this.#chars.length) {
      this.#cursor = this.#chars.length;
      await this.#redraw();
    }
    await this.#io.write("\n");
  }
}

/** A history entry as one editable line: the lines of a multi-line command joined. */
export function historyLine(entry: string): string {
  const lines = entry.split("\n");
  let out = lines[0];
  for (let i = 1; i < lines.length; i++) {
    const joinsWithSpace = /(\b(do|then|else|in)|[{(|]|&&|\|\||;)\s*$/.test(out) || out === "";
    out += (joinsWithSpace ? " " : "; ") + lines[i];
  }
  return out;
}

export function commonPrefix(items: string[]): string {
  if (items.length === 0) return "";
  let prefix = items[0];
  for (const item of items) {
    let i = 0;
    while (i < prefix.length && i < item.length && prefix[i] === item[i]) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}
