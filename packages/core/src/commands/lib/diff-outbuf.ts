/** Batches output (latin1 text or bytes) and writes it to a descriptor in ~64 KiB chunks. */
import type { ProcessContext } from "../../kernel/process-context.ts";

const FLUSH_AT = 65536;

export class OutBuffer {
  readonly #ctx: ProcessContext;
  readonly #fd: number;
  #parts: Uint8Array[] = [];
  #size = 0;

  constructor(ctx: ProcessContext, fd = 1) {
    this.#ctx = ctx;
    this.#fd = fd;
  }

  /** Queues latin1 text (one char per byte); flushes when enough is buffered. */
  async text(s: string): Promise<void> {
    if (s.length === 0) return;
    await this.bytes(Buffer.from(s, "latin1"));
  }

  async bytes(b: Uint8Array): Promise<void> {
    this.#parts.push(b);
    this.#size += b.length;
    if (this.#size >= FLUSH_AT) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#size === 0) return;
    const data = this.#parts.length === 1 ? this.#parts[0] : Buffer.concat(this.#parts);
    this.#parts = [];
    this.#size = 0;
    await this.#ctx.write(this.#fd, data);
  }
}

/** Bytes as a latin1 string (one char per byte, lossless). */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

/** Splits latin1 text into lines without their newlines; notes a missing final newline. */
export function splitLines(text: string): { lines: string[]; missingNewline: boolean } {
  if (text.length === 0) return { lines: [], missingNewline: false };
  const lines = text.split("\n");
  const missingNewline = lines[lines.length - 1] !== "";
  if (!missingNewline) lines.pop();
  return { lines, missingNewline };
}
