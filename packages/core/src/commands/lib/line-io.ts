/**
 * Byte-oriented I/O helpers shared by the line-oriented commands: a batching output buffer
 * (flushes at ~64 KiB so big outputs are not one syscall per line), a line reader that splits
 * on any delimiter byte without decoding, and GNU's size-suffix number parser (xstrtoumax).
 */
import type { ProcessContext } from "../../kernel/process-context.ts";

const encoder = new TextEncoder();
const FLUSH_AT = 64 * 1024;

/** Collects output and writes it to `fd` in large chunks. */
export class Output {
  readonly #ctx: ProcessContext;
  readonly #fd: number;
  #chunks: Uint8Array[] = [];
  #size = 0;

  constructor(ctx: ProcessContext, fd = 1) {
    this.#ctx = ctx;
    this.#fd = fd;
  }

  get pending(): number {
    return this.#size;
  }

  /** Queues `data` (strings are UTF-8 encoded); flushes once enough is pending. */
  async write(data: Uint8Array | string): Promise<void> {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    if (bytes.length === 0) return;
    this.#chunks.push(bytes);
    this.#size += bytes.length;
    if (this.#size >= FLUSH_AT) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#size === 0) return;
    const data = concatBytes(this.#chunks, this.#size);
    this.#chunks = [];
    this.#size = 0;
    await this.#ctx.write(this.#fd, data);
  }
}

export function concatBytes(chunks: Uint8Array[], total?: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const size = total ?? chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Reads `fd` chunk by chunk and hands out delimiter-terminated records (delimiter kept). */
export class LineReader {
  readonly #ctx: ProcessContext;
  readonly #fd: number;
  readonly #delim: number;
  #buf: Uint8Array = new Uint8Array(0);
  #pos = 0;
  #eof = false;

  constructor(ctx: ProcessContext, fd: number, delim = 0x0a) {
    this.#ctx = ctx;
    this.#fd = fd;
    this.#delim = delim;
  }

  /** The next record including its delimiter (the last may lack one), or null at EOF. */
  async next(): Promise<Uint8Array | null> {
    for (;;) {
      const end = this.#buf.indexOf(this.#delim, this.#pos);
      if (end >= 0) {
        const line = this.#buf.subarray(this.#pos, end + 1);
        this.#pos = end + 1;
        return line;
      }
      if (this.#eof) {
        if (this.#pos >= this.#buf.length) return null;
        const line = this.#buf.subarray(this.#pos);
        this.#pos = this.#buf.length;
        return line;
      }
      const chunk = await this.#ctx.read(this.#fd);
      if (chunk === null || chunk.length === 0) {
        this.#eof = true;
        continue;
      }
      const rest = this.#buf.subarray(this.#pos);
      if (rest.length === 0) this.#buf = chunk;
      else {
        const merged = new Uint8Array(rest.length + chunk.length);
        merged.set(rest, 0);
        merged.set(chunk, rest.length);
        this.#buf = merged;
      }
      this.#pos = 0;
    }
  }
}

/** Bytes → a string with one char per byte (latin1), so byte values survive string handling. */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

export function fromLatin1(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "latin1"));
}

export type SizeResult = { value: number } | { error: "invalid" | "overflow" };

const POWERS: Record<string, number> = {
  k: 1,
  K: 1,
  m: 2,
  M: 2,
  g: 3,
  G: 3,
  t: 4,
  T: 4,
  p: 5,
  P: 5,
  e: 6,
  E: 6,
  z: 7,
  Z: 7,
  y: 8,
  Y: 8,
  r: 9,
  R: 9,
  q: 10,
  Q: 10,
};

const UINTMAX = (1n << 64n) - 1n;

/**
 * GNU xstrtoumax: decimal digits then an optional suffix among `suffixes` (b=512, w=2, c=1,
 * k/K/M/G/...=1024^n; with "0" in `suffixes`, "KB"=1000^n and "KiB"=1024^n are accepted too).
 * Values beyond 2^64-1 are "overflow"; results above 2^53 are clamped to MAX_SAFE_INTEGER.
 */
export function parseSize(text: string, suffixes: string): SizeResult {
  const m = /^[ \t\n\v\f\r]*\+?([0-9]+)(.*)$/s.exec(text);
  if (!m) return { error: "invalid" };
  let value = BigInt(m[1]);
  const suffix = m[2];
  if (suffix.length > 0) {
    const letter = suffix[0];
    if (!suffixes.includes(letter)) return { error: "invalid" };
    let base = 1024n;
    let rest = suffix.slice(1);
    if (suffixes.includes("0")) {
      if (rest === "B") {
        base = 1000n;
        rest = "";
      } else if (rest === "iB") rest = "";
    }
    if (rest !== "") return { error: "invalid" };
    let mult = 1n;
    if (letter === "b") mult = 512n;
    else if (letter === "w") mult = 2n;
    else if (letter === "c") mult = 1n;
    else if (letter in POWERS) mult = base ** BigInt(POWERS[letter]);
    else return { error: "invalid" };
    value *= mult;
  }
  if (value > UINTMAX) return { error: "overflow" };
  return {
    value: value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value),
  };
}

/** "standard input" for "-", else the name: how coreutils name an operand in headers. */
export function displayName(name: string): string {
  return name === "-" ? "standard input" : name;
}

/**
 * GNU quotearg's shell-escape-always style (coreutils' quoteaf): 'name', or "it's" when the
 * name holds a single quote, and $'\n' escapes for control bytes.
 */
export function quoteAlways(name: string): string {
  return shellQuote(name, true);
}

/** GNU's shell-escape style (quotef): bare when nothing needs quoting, else as quoteAlways. */
export function quoteIfNeeded(name: string): string {
  return shellQuote(name, false);
}

function shellQuote(name: string, always: boolean): string {
  const control = /[\x00-\x1f\x7f]/;
  if (!control.test(name)) {
    if (!always && name !== "" && /^[A-Za-z0-9_./@%+=:,^-]+$/.test(name) && name[0] !== "~")
      return name;
    if (!name.includes("'")) return `'${name}'`;
    if (!/[$`"\\!]/.test(name)) return `"${name}"`;
    return `'${name.replace(/'/g, "'\\''")}'`;
  }
  let out = "";
  let inQuote = false;
  for (const ch of name) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) {
      if (inQuote) out += "'";
      inQuote = false;
      const named: Record<number, string> = {
        7: "a",
        8: "b",
        9: "t",
        10: "n",
        11: "v",
        12: "f",
        13: "r",
      };
      out += `$'\\${named[code] ?? code.toString(8).padStart(3, "0")}'`;
    } else {
      if (!inQuote) out += "'";
      inQuote = true;
      out += ch === "'" ? "'\\''" : ch;
    }
  }
  if (inQuote) out += "'";
  return out;
}
