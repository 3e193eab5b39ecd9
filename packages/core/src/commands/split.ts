/**
 * split: splits a file into pieces by lines (-l), bytes (-b), line-bounded bytes (-C) or
 * chunks (-n N, K/N, l/N, l/K/N, r/N, r/K/N), as GNU split 9.1. Suffixes: -a, -d/-x
 * (=FROM), --additional-suffix, GNU's automatic suffix widening; -e, -t, --verbose.
 */
import { O_CREAT, O_TRUNC, O_WRONLY } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError, quoteName } from "./errors.ts";
import { getopt, type LongOption, quote, UsageError } from "./lib/text-getopt.ts";
import { argToLatin1, openInput } from "./lib/text-io.ts";

const LONGS: LongOption[] = [
  { name: "bytes", arg: "required", key: "b" },
  { name: "lines", arg: "required", key: "l" },
  { name: "line-bytes", arg: "required", key: "C" },
  { name: "number", arg: "required", key: "n" },
  { name: "elide-empty-files", arg: "none", key: "e" },
  { name: "unbuffered", arg: "none", key: "u" },
  { name: "suffix-length", arg: "required", key: "a" },
  { name: "additional-suffix", arg: "required", key: "additional-suffix" },
  { name: "numeric-suffixes", arg: "optional", key: "d" },
  { name: "hex-suffixes", arg: "optional", key: "x" },
  { name: "separator", arg: "required", key: "t" },
  { name: "filter", arg: "required", key: "filter" },
  { name: "verbose", arg: "none", key: "verbose" },
  { name: "help", arg: "none" },
  { name: "version", arg: "none" },
];

class SplitError extends Error {}

/** GNU xstrtoimax with split's size suffixes (K=1024, KB=1000, ... b=512). */
function parseSize(text: string, what: string): number {
  const m = /^\s*(\d+)([bKkMGTPEZYRQ]?)(B|iB)?$/.exec(text);
  if (!m) throw new SplitError(`invalid number of ${what}: ${quote(text)}`);
  let n = Number(m[1]);
  if (m[2]) {
    if (m[2] === "b") {
      if (m[3]) throw new SplitError(`invalid number of ${what}: ${quote(text)}`);
      n *= 512;
    } else {
      const power = "KMGTPEZYRQ".indexOf(m[2].toUpperCase()) + 1;
      n *= (m[3] === "B" ? 1000 : 1024) ** power;
    }
  } else if (m[3]) throw new SplitError(`invalid number of ${what}: ${quote(text)}`);
  if (n === 0)
    throw new SplitError(
      `invalid number of ${what}: ${quote(text)}: Numerical result out of range`,
    );
  return n;
}

/** Output file names with GNU's suffix sequence (including automatic widening). */
class Namer {
  readonly #alphabet: string;
  readonly #extra: string;
  readonly #auto: boolean;
  #base: string;
  #index: number[];

  constructor(
    prefix: string,
    alphabet: string,
    length: number,
    extra: string,
    auto: boolean,
    start: number,
  ) {
    this.#alphabet = alphabet;
    this.#extra = extra;
    this.#auto = auto;
    this.#base = prefix;
    this.#index = new Array(length).fill(0);
    let s = start;
    for (let i = length - 1; i >= 0 && s > 0; i--) {
      this.#index[i] = s % alphabet.length;
      s = Math.floor(s / alphabet.length);
    }
    if (s > 0)
      throw new SplitError("numerical suffix start value is too large for the suffix length");
  }

  current(): string {
    return this.#base + this.#index.map((i) => this.#alphabet[i]).join("") + this.#extra;
  }

  advance(): void {
    const a = this.#alphabet.length;
    for (let i = this.#index.length - 1; i >= 0; i--) {
      this.#index[i]++;
      if (this.#auto && i === 0 && this.#index[0] + 1 === a) {
        this.#base += this.#alphabet[this.#index[0]];
        this.#index = new Array(this.#index.length + 1).fill(0);
        return;
      }
      if (this.#index[i] < a) return;
      this.#index[i] = 0;
    }
    throw new SplitError("output file suffixes exhausted");
  }
}

export const split: CommandDefinition = {
  name: "split",
  async main(ctx) {
    let mode: "l" | "b" | "C" | "n" = "l";
    let size = 1000;
    let chunkSpec = "";
    let suffixLength = -1;
    let alphabet = "abcdefghijklmnopqrstuvwxyz";
    let numericStart = -1;
    let extra = "";
    let elide = false;
    let sep = "\n";
    let verbose = false;
    let operands: string[];
    try {
      const parsed = getopt(ctx.argv.slice(1), "a:b:C:del:n:t:ux", LONGS);
      operands = parsed.operands;
      for (const opt of parsed.options) {
        const value = opt.value ?? "";
        switch (opt.key) {
          case "a": {
            const m = /^\s*(\d+)$/.exec(value);
            if (!m || Number(m[1]) === 0)
              throw new SplitError(`invalid suffix length: ${quote(value)}`);
            suffixLength = Number(m[1]);
            break;
          }
          case "b":
            mode = "b";
            size = parseSize(value, "bytes");
            break;
          case "C":
            mode = "C";
            size = parseSize(value, "bytes");
            break;
          case "l":
            mode = "l";
            size = parseSize(value, "lines");
            break;
          case "n":
            mode = "n";
            chunkSpec = value;
            break;
          case "d":
          case "x":
            alphabet = opt.key === "d" ? "0123456789" : "0123456789abcdef";
            if (opt.value !== undefined) {
              const valid = opt.key === "d" ? /^\d+$/ : /^[0-9a-fA-F]+$/;
              if (!valid.test(value)) throw new SplitError(`invalid number: ${quote(value)}`);
              numericStart = Number.parseInt(value, opt.key === "d" ? 10 : 16);
            }
            break;
          case "additional-suffix":
            if (value.includes("/"))
              throw new UsageError(`invalid suffix ${quote(value)}, contains directory separator`);
            extra = argToLatin1(value);
            break;
          case "e":
            elide = true;
            break;
          case "u":
            break;
          case "t": {
            const t = argToLatin1(value);
            if (t === "\\0") sep = "\0";
            else if (t.length !== 1)
              throw new SplitError(
                t.length === 0
                  ? "empty record separator"
                  : `multi-character separator ${quote(value)}`,
              );
            else sep = t;
            break;
          }
          case "verbose":
            verbose = true;
            break;
          case "help":
            await ctx.out("Usage: split [OPTION]... [FILE [PREFIX]]\n");
            return 0;
          case "version":
            await ctx.out("split (GNU coreutils) 9.1\n");
            return 0;
          default:
            throw new SplitError(`option '${opt.spelled}' is not supported`);
        }
      }
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(`split: ${err.message}\nTry 'split --help' for more information.\n`);
        return 1;
      }
      if (err instanceof SplitError) {
        await ctx.err(`split: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
    if (operands.length > 2) {
      await ctx.err(
        `split: extra operand ${quote(operands[2])}\nTry 'split --help' for more information.\n`,
      );
      return 1;
    }
    const inName = operands[0] ?? "-";
    const prefix = argToLatin1(operands[1] ?? "x");

    // -n: parse the chunk spec and read the whole input (its size is needed).
    let chunkK = 0;
    let chunkN = 0;
    let chunkKind: "" | "l" | "r" = "";
    if (mode === "n") {
      const m = /^(?:([lr])\/)?(?:(\d+)\/)?(\d+)$/.exec(chunkSpec);
      if (!m) {
        await ctx.err(`split: invalid number of chunks: ${quote(chunkSpec)}\n`);
        return 1;
      }
      chunkKind = (m[1] ?? "") as "" | "l" | "r";
      chunkN = Number(m[3]);
      chunkK = m[2] === undefined ? 0 : Number(m[2]);
      if (chunkN === 0) {
        await ctx.err(
          `split: invalid number of chunks: ${quote(String(m[3]))}: Numerical result out of range\n`,
        );
        return 1;
      }
      if (m[2] !== undefined && (chunkK === 0 || chunkK > chunkN)) {
        await ctx.err(`split: invalid chunk number: ${quote(m[2])}\n`);
        return 1;
      }
    }
    const auto = suffixLength < 0 && mode !== "n" && numericStart < 0;
    if (suffixLength < 0) {
      suffixLength = 2;
      if (mode === "n") {
        let need = 1;
        for (
          let cap = alphabet.length;
          cap < chunkN + Math.max(0, numericStart);
          cap *= alphabet.length
        )
          need++;
        suffixLength = Math.max(2, need);
      }
    }
    let input: Awaited<ReturnType<typeof openInput>>;
    try {
      input = await openInput(ctx, inName);
    } catch (err) {
      if (!ctx.alive) throw err;
      await ctx.err(`split: cannot open ${quote(inName)} for reading: ${describeError(err)}\n`);
      return 1;
    }
    try {
      const namer = new Namer(
        prefix,
        alphabet,
        suffixLength,
        extra,
        auto,
        Math.max(0, numericStart),
      );
      const writer = new OutputFiles(ctx, namer, verbose);
      if (mode !== "n") {
        await streamSplit(ctx, input.fd, writer, mode, size, sep);
      } else {
        if (inName === "-" || !(await isRegular(ctx, input.fd))) {
          await ctx.err(`split: ${quoteName(inName)}: cannot determine file size\n`);
          return 1;
        }
        const data = await ctx.readAll(input.fd);
        await chunkSplit(ctx, data, writer, chunkKind, chunkK, chunkN, sep.charCodeAt(0), elide);
      }
      await writer.close();
      return 0;
    } catch (err) {
      if (err instanceof SplitError) {
        await ctx.err(`split: ${err.message}\n`);
        return 1;
      }
      if (!ctx.alive) throw err;
      await ctx.err(`split: ${quoteName(inName)}: ${describeError(err)}\n`);
      return 1;
    } finally {
      input.close();
    }
  },
};

async function isRegular(ctx: ProcessContext, fd: number): Promise<boolean> {
  const st = await ctx.fstat(fd);
  return (st.mode & 0o170000) === 0o100000;
}

/** Creates output files in sequence and writes to the current one. */
class OutputFiles {
  readonly #ctx: ProcessContext;
  readonly #namer: Namer;
  readonly #verbose: boolean;
  #fd = -1;
  #first = true;

  constructor(ctx: ProcessContext, namer: Namer, verbose: boolean) {
    this.#ctx = ctx;
    this.#namer = namer;
    this.#verbose = verbose;
  }

  /** Closes the current file and opens the next one. */
  async next(): Promise<void> {
    await this.close();
    if (!this.#first) this.#namer.advance();
    this.#first = false;
    const name = this.#namer.current();
    if (this.#verbose) await this.#ctx.out(Buffer.from(`creating file ${quote(name)}\n`, "latin1"));
    const path = Buffer.from(name, "latin1").toString("utf8");
    try {
      this.#fd = await this.#ctx.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o666);
    } catch (err) {
      if (!this.#ctx.alive) throw err;
      throw new SplitError(`${quoteName(path)}: ${describeError(err)}`);
    }
  }

  async write(data: Uint8Array): Promise<void> {
    if (data.length > 0) await this.#ctx.write(this.#fd, data);
  }

  async close(): Promise<void> {
    if (this.#fd >= 0) this.#ctx.close(this.#fd);
    this.#fd = -1;
  }
}

async function streamSplit(
  ctx: ProcessContext,
  fd: number,
  out: OutputFiles,
  mode: "l" | "b" | "C",
  size: number,
  sep: string,
): Promise<void> {
  const eol = sep.charCodeAt(0);
  let used = 0;
  let open = false;
  let pendingLine: Uint8Array[] = [];
  for (;;) {
    const chunk = await ctx.read(fd);
    if (chunk === null || chunk.length === 0) break;
    let p = 0;
    while (p < chunk.length) {
      if (mode === "b") {
        if (!open || used === size) {
          await out.next();
          open = true;
          used = 0;
        }
        const n = Math.min(size - used, chunk.length - p);
        await out.write(chunk.subarray(p, p + n));
        used += n;
        p += n;
      } else if (mode === "l") {
        if (!open || used === size) {
          await out.next();
          open = true;
          used = 0;
        }
        let q = p;
        while (q < chunk.length && used < size) {
          const at = chunk.indexOf(eol, q);
          if (at < 0) {
            q = chunk.length;
            break;
          }
          q = at + 1;
          used++;
        }
        await out.write(chunk.subarray(p, q));
        p = q;
      } else {
        // -C: whole lines up to SIZE bytes per file; longer lines are split by bytes.
        const at = chunk.indexOf(eol, p);
        const end = at < 0 ? chunk.length : at + 1;
        pendingLine.push(chunk.subarray(p, end));
        p = end;
        if (at < 0) continue;
        const line = concat(pendingLine);
        pendingLine = [];
        await writeLineBytes(line);
      }
    }
  }
  if (mode === "C" && pendingLine.length > 0) await writeLineBytes(concat(pendingLine));

  async function writeLineBytes(line: Uint8Array): Promise<void> {
    let rest = line;
    if (open && used + rest.length > size && used > 0) open = false;
    while (rest.length > 0) {
      if (!open) {
        await out.next();
        open = true;
        used = 0;
      }
      const n = Math.min(size - used, rest.length);
      await out.write(rest.subarray(0, n));
      used += n;
      rest = rest.subarray(n);
      if (rest.length > 0) open = false;
    }
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const total = parts.reduce((a, b) => a + b.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

async function chunkSplit(
  ctx: ProcessContext,
  data: Uint8Array,
  out: OutputFiles,
  kind: "" | "l" | "r",
  k: number,
  n: number,
  eol: number,
  elide: boolean,
): Promise<void> {
  const size = data.length;
  const pieces: Uint8Array[][] = Array.from({ length: n }, () => []);
  if (kind === "") {
    // Each chunk gets size/n bytes (at least 1 while data lasts); the last takes the rest.
    const per = Math.max(1, Math.floor(size / n));
    for (let i = 0; i < n; i++) {
      const start = Math.min(size, i * per);
      pieces[i].push(data.subarray(start, i === n - 1 ? size : Math.min(size, start + per)));
    }
  } else if (kind === "r") {
    let i = 0;
    for (let p = 0; p < size; ) {
      const at = data.indexOf(eol, p);
      const end = at < 0 ? size : at + 1;
      pieces[i % n].push(data.subarray(p, end));
      p = end;
      i++;
    }
  } else {
    // GNU lines_chunk_split on one buffer: chunk boundaries extend to the end of the line.
    let chunk = 0;
    let chunkEnd = Math.floor(size / n) - 1;
    let written = 0;
    while (written < size) {
      const skip = Math.max(0, chunkEnd - written);
      const at = written + skip < size ? data.indexOf(eol, written + skip) : -1;
      const end = at < 0 ? size : at + 1;
      pieces[chunk].push(data.subarray(written, end));
      written = end;
      let next = at >= 0;
      while (next || chunkEnd <= written - 1) {
        if (!next && written === size) break;
        chunk++;
        if (chunk >= n) break;
        chunkEnd = chunk === n - 1 ? size - 1 : chunkEnd + Math.floor(size / n);
        if (!(chunkEnd <= written - 1)) next = false;
      }
      if (chunk >= n) break;
    }
  }
  if (k > 0) {
    for (const piece of pieces[k - 1]) await ctx.write(1, piece);
    return;
  }
  for (const piece of pieces) {
    const total = piece.reduce((a, b) => a + b.length, 0);
    if (elide && total === 0) continue;
    await out.next();
    for (const part of piece) await out.write(part);
  }
}
