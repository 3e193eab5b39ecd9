/**
 * readline.Interface: splits input into lines (\n, \r\n, \r; crlfDelay), prompts, questions,
 * history, pause/resume, async iteration, and on a terminal a line editor fed by keypress
 * events (raw mode, cursor movement, Ctrl shortcuts, history with up/down), following Node's
 * lib/internal/readline/interface.js in behaviour and event order.
 */
import { EventEmitter } from "events";
import { StringDecoder } from "string_decoder";
import { codedError, invalidArgType } from "../../errors.ts";
import { clearScreenDown, cursorTo, moveCursor } from "./cursor.ts";
import { emitKeypressEvents, type Key } from "./keypress.ts";

const LINE_ENDING = /\r?\n|\r(?!\n)/g;
const DEFAULT_HISTORY_SIZE = 30;

interface InputStream extends EventEmitter {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  pause(): unknown;
  resume(): unknown;
}

interface OutputStream {
  isTTY?: boolean;
  columns?: number;
  write(data: string): unknown;
  on?(event: string, listener: () => void): unknown;
  removeListener?(event: string, listener: () => void): unknown;
}

export interface InterfaceOptions {
  input?: InputStream;
  output?: OutputStream;
  completer?: unknown;
  terminal?: boolean;
  history?: string[];
  historySize?: number;
  removeHistoryDuplicates?: boolean;
  prompt?: string;
  crlfDelay?: number;
  escapeCodeTimeout?: number;
  tabSize?: number;
  signal?: AbortSignal;
}

type QuestionCallback = (answer: string) => void;

export class Interface extends EventEmitter {
  terminal: boolean;
  input: InputStream;
  output: OutputStream | undefined;
  line = "";
  cursor = 0;
  history: string[];
  historySize: number;
  removeHistoryDuplicates: boolean;
  crlfDelay: number;
  closed = false;
  paused = false;
  prevRows = 0;
  completer: ((line: string, callback?: unknown) => unknown) | undefined;
  #prompt: string;
  #oldPrompt = "";
  #questionCallback: QuestionCallback | null = null;
  #questionCancel: (() => void) | null = null;
  #lineBuffer: string | null = null;
  #sawReturnAt = 0;
  #historyIndex = -1;
  #savedLine = "";
  #decoder = new StringDecoder("utf8");
  #iterator: AsyncIterableIterator<string> | undefined;
  readonly #detach: () => void;

  constructor(
    inputOrOptions: InputStream | InterfaceOptions,
    output?: OutputStream,
    completer?: unknown,
    terminal?: boolean,
  ) {
    super();
    let options: InterfaceOptions;
    if (inputOrOptions && typeof (inputOrOptions as InterfaceOptions).input === "object") {
      options = inputOrOptions as InterfaceOptions;
    } else options = { input: inputOrOptions as InputStream, output, completer, terminal };
    const input = options.input;
    if (!input || typeof input.on !== "function") {
      throw invalidArgType("input", "an instance of Readable", input);
    }
    if (options.completer !== undefined && typeof options.completer !== "function") {
      throw codedError(
        TypeError,
        "ERR_INVALID_ARG_VALUE",
        "The argument 'completer' is invalid. Received " + String(options.completer),
      );
    }
    const historySize = options.historySize ?? DEFAULT_HISTORY_SIZE;
    if (typeof historySize !== "number" || Number.isNaN(historySize) || historySize < 0) {
      throw codedError(
        RangeError,
        "ERR_INVALID_ARG_VALUE",
        `The argument 'historySize' must be a positive number. Received ${String(historySize)}`,
      );
    }
    this.completer = options.completer as Interface["completer"];
    this.input = input;
    this.output = options.output ?? undefined;
    this.terminal = options.terminal ?? Boolean(this.output?.isTTY);
    this.historySize = historySize;
    this.history = options.history ? [...options.history] : [];
    this.removeHistoryDuplicates = Boolean(options.removeHistoryDuplicates);
    this.crlfDelay = options.crlfDelay ? Math.max(100, options.crlfDelay) : 100;
    this.#prompt = options.prompt ?? "> ";

    const onData = (data: unknown): void => this.#normalWrite(data);
    const onEnd = (): void => {
      if (typeof this.#lineBuffer === "string" && this.#lineBuffer.length > 0) {
        this.emit("line", this.#lineBuffer);
      }
      this.close();
    };
    const onKeypress = (s: string | undefined, key: Key | undefined): void => {
      this.#ttyWrite(s, key);
    };
    const onTermEnd = (): void => {
      if (this.line.length > 0) this.emit("line", this.line);
      this.close();
    };
    const onResize = (): void => this.#refreshLine();
    if (this.terminal) {
      emitKeypressEvents(input, this);
      input.on("keypress", onKeypress);
      input.on("end", onTermEnd);
      this.#setRawMode(true);
      this.output?.on?.("resize", onResize);
    } else {
      input.on("data", onData);
      input.on("end", onEnd);
    }
    this.#detach = () => {
      input.removeListener("data", onData);
      input.removeListener("end", onEnd);
      input.removeListener("keypress", onKeypress);
      input.removeListener("end", onTermEnd);
      this.output?.removeListener?.("resize", onResize);
    };
    const signal = options.signal;
    if (signal) {
      if (signal.aborted) process.nextTick(() => this.close());
      else signal.addEventListener("abort", () => this.close(), { once: true });
    }
    input.resume();
  }

  get columns(): number {
    return this.output?.columns ?? Number.POSITIVE_INFINITY;
  }

  setPrompt(prompt: string): void {
    this.#prompt = prompt;
  }

  getPrompt(): string {
    return this.#prompt;
  }

  prompt(preserveCursor?: boolean): void {
    if (this.paused) this.resume();
    if (this.terminal && process.env.TERM !== "dumb") {
      if (!preserveCursor) this.cursor = 0;
      this.#refreshLine();
    } else this.#writeToOutput(this.#prompt);
  }

  question(query: string, optionsOrCallback: unknown, callback?: QuestionCallback): void {
    let options = optionsOrCallback as { signal?: AbortSignal } | undefined;
    if (typeof optionsOrCallback === "function") {
      callback = optionsOrCallback as QuestionCallback;
      options = {};
    }
    this.#question(query, options, callback);
  }

  #question(
    query: string,
    options: { signal?: AbortSignal } | undefined,
    callback: QuestionCallback | undefined,
  ): void {
    if (this.closed) throw codedError(Error, "ERR_USE_AFTER_CLOSE", "readline was closed");
    if (typeof callback !== "function") return;
    const signal = options?.signal;
    if (signal?.aborted) return;
    if (this.#questionCallback) {
      this.prompt();
      return;
    }
    this.#oldPrompt = this.#prompt;
    this.setPrompt(query);
    this.#questionCallback = callback;
    if (signal) {
      const onAbort = (): void => {
        this.#questionCallback = null;
        this.setPrompt(this.#oldPrompt);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.#questionCancel = () => signal.removeEventListener("abort", onAbort);
    }
    this.prompt();
  }

  /** Promise form used by readline/promises (rejects with AbortError on abort or close). */
  questionPromise(query: string, options?: { signal?: AbortSignal }): Promise<string> {
    return new Promise((resolve, reject) => {
      const signal = options?.signal;
      if (signal?.aborted) {
        reject(abortError(signal.reason));
        return;
      }
      const onAbort = (): void => reject(abortError(signal?.reason));
      signal?.addEventListener("abort", onAbort, { once: true });
      // Closing leaves an unanswered question pending, as in Node.
      this.#question(query, options, (answer) => {
        signal?.removeEventListener("abort", onAbort);
        resolve(answer);
      });
    });
  }

  pause(): this {
    if (this.paused) return this;
    this.input.pause();
    this.paused = true;
    this.emit("pause");
    return this;
  }

  resume(): this {
    if (!this.paused) return this;
    this.input.resume();
    this.paused = false;
    this.emit("resume");
    return this;
  }

  write(data: unknown, key?: Key): void {
    if (this.closed) throw codedError(Error, "ERR_USE_AFTER_CLOSE", "readline was closed");
    if (this.paused) this.resume();
    if (this.terminal) this.#ttyWrite(data as string | undefined, key);
    else this.#normalWrite(data);
  }

  close(): void {
    if (this.closed) return;
    this.pause();
    if (this.terminal) this.#setRawMode(false);
    this.#detach();
    this.closed = true;
    this.emit("close");
  }

  [Symbol.dispose](): void {
    this.close();
  }

  getCursorPos(): { rows: number; cols: number } {
    const columns = this.columns;
    const text = this.#prompt + this.line.slice(0, this.cursor);
    const width = text.length;
    if (!Number.isFinite(columns)) return { rows: 0, cols: width };
    return { rows: Math.floor(width / columns), cols: width % columns };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<string> {
    this.#iterator ??= this.#lineIterator();
    return this.#iterator;
  }

  /** Lines as an async iterator that ends at 'close'; lines arriving early are queued. */
  #lineIterator(): AsyncIterableIterator<string> {
    const queue: string[] = [];
    const waiting: Array<(result: IteratorResult<string>) => void> = [];
    let done = this.closed;
    const onLine = (line: string): void => {
      const waiter = waiting.shift();
      if (waiter) waiter({ value: line, done: false });
      else queue.push(line);
    };
    const finish = (): void => {
      done = true;
      this.removeListener("line", onLine);
      this.removeListener("close", finish);
      for (const waiter of waiting.splice(0)) waiter({ value: undefined, done: true });
    };
    this.on("line", onLine);
    this.on("close", finish);
    const iterator: AsyncIterableIterator<string> = {
      next: () => {
        if (queue.length > 0) {
          return Promise.resolve({ value: queue.shift() as string, done: false });
        }
        if (done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => waiting.push(resolve));
      },
      return: () => {
        this.close();
        finish();
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  #writeToOutput(text: string): void {
    this.output?.write(text);
  }

  #setRawMode(mode: boolean): void {
    if (typeof this.input.setRawMode === "function" && this.input.isTTY) {
      this.input.setRawMode(mode);
    }
  }

  #onLine(line: string): void {
    const callback = this.#questionCallback;
    if (callback) {
      this.#questionCallback = null;
      this.#questionCancel?.();
      this.#questionCancel = null;
      this.setPrompt(this.#oldPrompt);
      callback(line);
    } else this.emit("line", line);
  }

  #normalWrite(data: unknown): void {
    if (data === undefined) return;
    let text = typeof data === "string" ? data : this.#decoder.write(data as Buffer);
    if (this.#sawReturnAt && Date.now() - this.#sawReturnAt <= this.crlfDelay) {
      if (text.codePointAt(0) === 10) text = text.slice(1);
      this.#sawReturnAt = 0;
    }
    LINE_ENDING.lastIndex = 0;
    if (!LINE_ENDING.test(text)) {
      if (text) this.#lineBuffer = (this.#lineBuffer ?? "") + text;
      return;
    }
    if (this.#lineBuffer) {
      text = this.#lineBuffer + text;
      this.#lineBuffer = null;
    }
    this.#sawReturnAt = text.endsWith("\r") ? Date.now() : 0;
    const lines: string[] = [];
    let start = 0;
    LINE_ENDING.lastIndex = 0;
    for (let match = LINE_ENDING.exec(text); match; match = LINE_ENDING.exec(text)) {
      lines.push(text.slice(start, match.index));
      start = LINE_ENDING.lastIndex;
    }
    this.#lineBuffer = text.slice(start);
    for (const line of lines) this.#onLine(line);
  }

  // ---- the terminal line editor -------------------------------------------------------------

  #refreshLine(): void {
    const line = this.#prompt + this.line;
    const columns = this.columns;
    const lineRows = Number.isFinite(columns) ? Math.floor(line.length / columns) : 0;
    const lineCols = Number.isFinite(columns) ? line.length % columns : line.length;
    const cursorPos = this.getCursorPos();
    if (this.prevRows > 0) moveCursor(this.output, 0, -this.prevRows);
    cursorTo(this.output, 0);
    clearScreenDown(this.output);
    this.#writeToOutput(line);
    if (lineCols === 0) this.#writeToOutput(" ");
    cursorTo(this.output, cursorPos.cols);
    const diff = lineRows - cursorPos.rows;
    if (diff > 0) moveCursor(this.output, 0, -diff);
    this.prevRows = cursorPos.rows;
  }

  #insertString(text: string): void {
    if (this.cursor < this.line.length) {
      this.line = this.line.slice(0, this.cursor) + text + this.line.slice(this.cursor);
      this.cursor += text.length;
      this.#refreshLine();
    } else {
      this.line += text;
      this.cursor += text.length;
      this.#writeToOutput(text);
    }
  }

  #moveCursor(dx: number): void {
    const target = Math.max(0, Math.min(this.line.length, this.cursor + dx));
    if (target === this.cursor) return;
    const before = this.getCursorPos();
    this.cursor = target;
    const after = this.getCursorPos();
    if (before.rows === after.rows) moveCursor(this.output, after.cols - before.cols, 0);
    else this.#refreshLine();
  }

  #addHistory(): string {
    const line = this.line;
    if (line.length === 0 || this.historySize === 0) return line;
    if (line.trim().length === 0) return line;
    if (this.history.length === 0 || this.history[0] !== line) {
      if (this.removeHistoryDuplicates) {
        const index = this.history.indexOf(line);
        if (index !== -1) this.history.splice(index, 1);
      }
      this.history.unshift(line);
      if (this.history.length > this.historySize) this.history.pop();
    }
    this.#historyIndex = -1;
    this.emit("history", this.history);
    return line;
  }

  #historyStep(direction: 1 | -1): void {
    const index = this.#historyIndex + direction;
    if (index < -1 || index >= this.history.length) return;
    if (this.#historyIndex === -1) this.#savedLine = this.line;
    this.#historyIndex = index;
    this.line = index === -1 ? this.#savedLine : this.history[index];
    this.cursor = this.line.length;
    this.#refreshLine();
  }

  #submit(): void {
    const line = this.#addHistory();
    this.#moveCursor(Number.POSITIVE_INFINITY);
    this.#writeToOutput("\r\n");
    this.line = "";
    this.cursor = 0;
    this.prevRows = 0;
    this.#onLine(line);
  }

  #ttyWrite(s: string | undefined, key: Key | undefined): void {
    key ??= { sequence: s ?? "", name: undefined, ctrl: false, meta: false, shift: false };
    if (key.ctrl && !key.meta) {
      switch (key.name) {
        case "c":
          if (this.listenerCount("SIGINT") > 0) this.emit("SIGINT");
          else this.close();
          return;
        case "d":
          if (this.cursor === 0 && this.line.length === 0) this.close();
          else if (this.cursor < this.line.length) this.#deleteRight();
          return;
        case "h":
          this.#deleteLeft();
          return;
        case "u":
          this.line = this.line.slice(this.cursor);
          this.cursor = 0;
          this.#refreshLine();
          return;
        case "k":
          this.line = this.line.slice(0, this.cursor);
          this.#refreshLine();
          return;
        case "a":
          this.#moveCursor(Number.NEGATIVE_INFINITY);
          return;
        case "e":
          this.#moveCursor(Number.POSITIVE_INFINITY);
          return;
        case "b":
          this.#moveCursor(-1);
          return;
        case "f":
          this.#moveCursor(1);
          return;
        case "l":
          cursorTo(this.output, 0, 0);
          clearScreenDown(this.output);
          this.#refreshLine();
          return;
        case "n":
          this.#historyStep(-1);
          return;
        case "p":
          this.#historyStep(1);
          return;
        case "w": {
          const before = this.line.slice(0, this.cursor).replace(/\S+\s*$/, "");
          this.line = before + this.line.slice(this.cursor);
          this.cursor = before.length;
          this.#refreshLine();
          return;
        }
        case "z":
          // A terminal in raw mode sends no SIGTSTP; Node's readline raises it itself.
          if (this.listenerCount("SIGTSTP") > 0) this.emit("SIGTSTP");
          return;
      }
    }
    switch (key.name) {
      case "return":
        this.#sawReturnAt = Date.now();
        this.#submit();
        return;
      case "enter":
        // \r\n arrives as return then enter: one line, not two.
        if (this.#sawReturnAt === 0 || Date.now() - this.#sawReturnAt > this.crlfDelay) {
          this.#submit();
        }
        this.#sawReturnAt = 0;
        return;
      case "backspace":
        this.#deleteLeft();
        return;
      case "delete":
        this.#deleteRight();
        return;
      case "left":
        this.#moveCursor(-1);
        return;
      case "right":
        this.#moveCursor(1);
        return;
      case "home":
        this.#moveCursor(Number.NEGATIVE_INFINITY);
        return;
      case "end":
        this.#moveCursor(Number.POSITIVE_INFINITY);
        return;
      case "up":
        this.#historyStep(1);
        return;
      case "down":
        this.#historyStep(-1);
        return;
      case "tab":
        if (this.completer) this.#complete();
        else this.#insertString("\t");
        return;
    }
    if (key.meta || key.ctrl) return;
    if (typeof s === "string" && s.length > 0) {
      // Pasted text arrives as one chunk: it may hold several lines.
      const parts = s.split(/\r\n|\n|\r/);
      for (let i = 0; i < parts.length; i++) {
        if (i > 0) this.#submit();
        if (parts[i]) this.#insertString(parts[i]);
      }
    }
  }

  /** Tab completion: the completer returns [candidates, the part of the line they complete]. */
  #complete(): void {
    const completer = this.completer as (line: string, callback?: unknown) => unknown;
    const line = this.line.slice(0, this.cursor);
    const apply = (error: unknown, result: unknown): void => {
      if (error || !Array.isArray(result)) return;
      const [candidates, word] = result as [string[], string];
      if (!Array.isArray(candidates) || candidates.length === 0) return;
      let prefix = candidates[0];
      for (const candidate of candidates) {
        while (!candidate.startsWith(prefix)) prefix = prefix.slice(0, -1);
      }
      const rest = prefix.slice(String(word ?? "").length);
      if (rest.length > 0) {
        this.#insertString(rest);
        return;
      }
      if (candidates.length > 1) {
        // Nothing more in common: show the choices, then the line again.
        this.#writeToOutput(`\r\n${candidates.join("  ")}\r\n`);
        this.prevRows = 0;
        this.#refreshLine();
      }
    };
    if (completer.length === 2) completer.call(this, line, apply);
    else {
      const result = completer.call(this, line);
      if (result && typeof (result as Promise<unknown>).then === "function") {
        (result as Promise<unknown>).then(
          (r) => apply(null, r),
          (e) => apply(e, undefined),
        );
      } else apply(null, result);
    }
  }

  #deleteLeft(): void {
    if (this.cursor === 0 || this.line.length === 0) return;
    this.line = this.line.slice(0, this.cursor - 1) + this.line.slice(this.cursor);
    this.cursor--;
    this.#refreshLine();
  }

  #deleteRight(): void {
    if (this.cursor >= this.line.length) return;
    this.line = this.line.slice(0, this.cursor) + this.line.slice(this.cursor + 1);
    this.#refreshLine();
  }
}

export function abortError(cause?: unknown): Error {
  const error = new Error("The operation was aborted", { cause }) as Error & { code: string };
  error.name = "AbortError";
  error.code = "ABORT_ERR";
  return error;
}
