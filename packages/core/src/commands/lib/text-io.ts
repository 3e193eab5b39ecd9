/**
 * Byte-faithful I/O helpers for the text tools. Text is handled as "latin1 strings": one JS
 * char per byte (0-255), so any input (binary, invalid UTF-8) round-trips exactly and string
 * comparison is byte order (LC_ALL=C).
 */
import { O_RDONLY } from "../../fs/types.ts";
import type { ProcessContext } from "../../kernel/process-context.ts";

const FLUSH_AT = 65536;

/** Bytes → latin1 string (one char per byte). */
export function bytesToLatin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

/** latin1 string → bytes. */
export function latin1ToBytes(text: string): Uint8Array {
  return Buffer.from(text, "latin1");
}

/** Command-line text (UTF-16 from UTF-8 argv) → latin1 string of its UTF-8 bytes. */
export function argToLatin1(arg: string): string {
  return Buffer.from(arg, "utf8").toString("latin1");
}

/** Batches output and writes it to `fd` in ~64 KiB chunks. */
export class OutBuffer {
  readonly #ctx: ProcessContext;
  readonly #fd: number;
  #parts: string[] = [];
  #size = 0;

  constructor(ctx: ProcessContext, fd = 1) {
    this.#ctx = ctx;
    this.#fd = fd;
  }

  /** Queues a latin1 string; flushes when the buffer is large. */
  async write(text: string): Promise<void> {
    if (text.length === 0) return;
    this.#parts.push(text);
    this.#size += text.length;
    if (this.#size >= FLUSH_AT) await this.flush();
  }

  async writeBytes(bytes: Uint8Array): Promise<void> {
    await this.write(bytesToLatin1(bytes));
  }

  async flush(): Promise<void> {
    if (this.#size === 0) return;
    const data = latin1ToBytes(this.#parts.join(""));
    this.#parts = [];
    this.#size = 0;
    await this.#ctx.write(this.#fd, data);
  }
}

/** Reads delimiter-terminated records (lines) from a descriptor, as latin1 strings. */
export class LineReader {
  readonly #ctx: ProcessContext;
  readonly #fd: number;
  readonly #delim: string;
  #buf = "";
  #pos = 0;
  #eof = false;
  /** Whether the record last returned ended with the delimiter (false for a final partial one). */
  terminated = true;

  constructor(ctx: ProcessContext, fd: number, delim = "\n") {
    this.#ctx = ctx;
    this.#fd = fd;
    this.#delim = delim;
  }

  /** The next record without its delimiter, or null at end of input. */
  async next(): Promise<string | null> {
    for (;;) {
      const at = this.#buf.indexOf(this.#delim, this.#pos);
      if (at >= 0) {
        const line = this.#buf.slice(this.#pos, at);
        this.#pos = at + 1;
        this.terminated = true;
        return line;
      }
      if (this.#eof) {
        if (this.#pos >= this.#buf.length) return null;
        const line = this.#buf.slice(this.#pos);
        this.#buf = "";
        this.#pos = 0;
        this.terminated = false;
        return line;
      }
      const chunk = await this.#ctx.read(this.#fd);
      if (chunk === null || chunk.length === 0) {
        this.#eof = true;
        continue;
      }
      this.#buf = this.#buf.slice(this.#pos) + bytesToLatin1(chunk);
      this.#pos = 0;
    }
  }
}

/** An input named on the command line: "-" is stdin (never closed). */
export interface Input {
  fd: number;
  close(): void;
}

export async function openInput(ctx: ProcessContext, name: string): Promise<Input> {
  if (name === "-") return { fd: 0, close() {} };
  const fd = await ctx.open(name, O_RDONLY);
  return { fd, close: () => ctx.close(fd) };
}

/** Reads a whole input ("-" = stdin) as bytes; the descriptor is closed afterwards. */
export async function readInput(ctx: ProcessContext, name: string): Promise<Uint8Array> {
  const input = await openInput(ctx, name);
  try {
    return await ctx.readAll(input.fd);
  } finally {
    input.close();
  }
}

/** Streams an input chunk by chunk. */
export async function* inputChunks(ctx: ProcessContext, fd: number): AsyncGenerator<Uint8Array> {
  for (;;) {
    const chunk = await ctx.read(fd);
    if (chunk === null || chunk.length === 0) return;
    yield chunk;
  }
}

/** C's isblank / isspace etc. for a byte char code, C locale. */
export const isBlankCode = (c: number): boolean => c === 0x20 || c === 0x09;
export const isSpaceCode = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);
export const isDigitCode = (c: number): boolean => c >= 0x30 && c <= 0x39;
export const isAlphaCode = (c: number): boolean =>
  (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
export const isAlnumCode = (c: number): boolean => isAlphaCode(c) || isDigitCode(c);
export const isPrintCode = (c: number): boolean => c >= 0x20 && c <= 0x7e;

/** C-locale toupper over a latin1 string (only a-z change). */
export function asciiUpper(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

/** C-locale tolower over a latin1 string (only A-Z change). */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}
