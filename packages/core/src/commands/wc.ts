/**
 * wc: newline, word, byte, character and maximum-line-width counts, as GNU coreutils 9.1 wc
 * in the C locale: -l -w -c -m -L, --files0-from, a "total" line for several files, and GNU's
 * column width rule (the digits of the summed sizes of regular files; at least 7 when some
 * input is not a regular file; 1 for a single file with a single count).
 */
import { O_RDONLY, S_IFMT, S_IFREG, type Stat } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError } from "./errors.ts";
import { parseArgs, UsageError, usageText } from "./lib/line-getopt.ts";
import { Output, quoteAlways, quoteIfNeeded } from "./lib/line-io.ts";

const LONG = [
  { name: "bytes", arg: "none" as const, key: "c" },
  { name: "chars", arg: "none" as const, key: "m" },
  { name: "lines", arg: "none" as const, key: "l" },
  { name: "words", arg: "none" as const, key: "w" },
  { name: "max-line-length", arg: "none" as const, key: "L" },
  { name: "files0-from", arg: "required" as const, key: "files0-from" },
  { name: "help", arg: "none" as const, key: "help" },
  { name: "version", arg: "none" as const, key: "version" },
];

interface Counts {
  lines: number;
  words: number;
  chars: number;
  bytes: number;
  maxLine: number;
}

/** Byte classes for the counting loop (C locale). */
const PRINTABLE = new Uint8Array(256);
const SPACE = new Uint8Array(256);
for (let b = 0x20; b < 0x7f; b++) PRINTABLE[b] = 1;
for (const b of [0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]) SPACE[b] = 1;

/** Streaming counter that keeps its state across chunks. */
class Counter {
  readonly counts: Counts = { lines: 0, words: 0, chars: 0, bytes: 0, maxLine: 0 };
  #inWord = false;
  #linePos = 0;

  add(chunk: Uint8Array, needWords: boolean): void {
    const c = this.counts;
    c.bytes += chunk.length;
    c.chars += chunk.length;
    if (!needWords) {
      let at = chunk.indexOf(0x0a);
      while (at >= 0) {
        c.lines++;
        at = chunk.indexOf(0x0a, at + 1);
      }
      return;
    }
    let inWord = this.#inWord;
    let linePos = this.#linePos;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      switch (b) {
        case 0x0a:
          c.lines++;
          if (linePos > c.maxLine) c.maxLine = linePos;
          linePos = 0;
          if (inWord) c.words++;
          inWord = false;
          break;
        case 0x0d:
        case 0x0c:
          if (linePos > c.maxLine) c.maxLine = linePos;
          linePos = 0;
          if (inWord) c.words++;
          inWord = false;
          break;
        case 0x09:
          linePos += 8 - (linePos % 8);
          if (inWord) c.words++;
          inWord = false;
          break;
        case 0x20:
          linePos++;
          if (inWord) c.words++;
          inWord = false;
          break;
        case 0x0b:
          if (inWord) c.words++;
          inWord = false;
          break;
        default:
          if (PRINTABLE[b]) {
            linePos++;
            inWord = true;
          }
      }
    }
    this.#inWord = inWord;
    this.#linePos = linePos;
  }

  finish(): Counts {
    if (this.#linePos > this.counts.maxLine) this.counts.maxLine = this.#linePos;
    if (this.#inWord) this.counts.words++;
    this.#inWord = false;
    this.#linePos = 0;
    return this.counts;
  }
}

export const wc: CommandDefinition = {
  name: "wc",
  async main(ctx) {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs(ctx.argv.slice(1), { short: "clLmw", long: LONG });
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("wc", err.message));
        return 1;
      }
      throw err;
    }
    const show = { l: false, w: false, m: false, c: false, L: false };
    let files0: string | undefined;
    for (const opt of parsed.options) {
      if (opt.key === "help") {
        await ctx.out("Usage: wc [OPTION]... [FILE]...\n");
        return 0;
      }
      if (opt.key === "version") {
        await ctx.out("wc (GNU coreutils) 9.1\n");
        return 0;
      }
      if (opt.key === "files0-from") files0 = opt.value;
      else show[opt.key as keyof typeof show] = true;
    }
    if (!show.l && !show.w && !show.m && !show.c && !show.L) show.l = show.w = show.c = true;
    const shown = [show.l, show.w, show.m, show.c, show.L].filter(Boolean).length;
    let files = parsed.operands;
    let status = 0;
    let widthOne = false;
    if (files0 !== undefined) {
      if (files.length > 0) {
        await ctx.err(
          `wc: extra operand ${quoteAlways(files[0])}\nfile operands cannot be combined with --files0-from\nTry 'wc --help' for more information.\n`,
        );
        return 1;
      }
      let data: Uint8Array;
      try {
        data = files0 === "-" ? await ctx.readAll(0) : await ctx.readFile(files0);
      } catch (err) {
        if (!ctx.alive) throw err;
        await ctx.err(
          `wc: cannot open ${quoteAlways(files0)} for reading: ${describeError(err)}\n`,
        );
        return 1;
      }
      const text = new TextDecoder().decode(data);
      files = text.split("\0");
      if (files[files.length - 1] === "") files.pop();
      widthOne = files0 === "-";
    }
    const explicit = files.length > 0;
    if (!explicit) files = ["-"];
    // Column width: GNU stats every operand first.
    let width = 1;
    if (!widthOne && !(files.length === 1 && shown === 1)) {
      let minimum = 1;
      let total = 0;
      for (const name of files) {
        if (name === "") continue;
        let st: Stat;
        try {
          st = name === "-" ? await ctx.fstat(0) : await ctx.stat(name);
        } catch {
          continue;
        }
        if ((st.mode & S_IFMT) === S_IFREG) total += st.size;
        else minimum = 7;
      }
      width = Math.max(String(total).length, minimum);
    }
    const needWords = show.w || show.L;
    const out = new Output(ctx);
    const total: Counts = { lines: 0, words: 0, chars: 0, bytes: 0, maxLine: 0 };
    const format = (c: Counts, name: string | undefined): string => {
      const cols: number[] = [];
      if (show.l) cols.push(c.lines);
      if (show.w) cols.push(c.words);
      if (show.m) cols.push(c.chars);
      if (show.c) cols.push(c.bytes);
      if (show.L) cols.push(c.maxLine);
      const text = cols.map((n) => String(n).padStart(width, " ")).join(" ");
      return name === undefined ? `${text}\n` : `${text} ${name}\n`;
    };
    for (const [index, name] of files.entries()) {
      if (files0 !== undefined && name === "") {
        await out.flush();
        await ctx.err(`wc: ${quoteIfNeeded(files0)}:${index + 1}: invalid zero-length file name\n`);
        status = 1;
        continue;
      }
      if (files0 === "-" && name === "-") {
        await out.flush();
        await ctx.err("wc: when reading file names from stdin, no file name of '-' allowed\n");
        status = 1;
        continue;
      }
      const counter = new Counter();
      let fd = 0;
      let opened = false;
      try {
        if (name !== "-") {
          fd = await ctx.open(name, O_RDONLY);
          opened = true;
        }
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        await ctx.err(`wc: ${quoteIfNeeded(name)}: ${describeError(err)}\n`);
        status = 1;
        continue;
      }
      try {
        await countFd(ctx, fd, counter, needWords);
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        await ctx.err(`wc: ${quoteIfNeeded(name)}: ${describeError(err)}\n`);
        status = 1;
      } finally {
        if (opened) ctx.close(fd);
      }
      const c = counter.finish();
      total.lines += c.lines;
      total.words += c.words;
      total.chars += c.chars;
      total.bytes += c.bytes;
      total.maxLine = Math.max(total.maxLine, c.maxLine);
      await out.write(format(c, explicit ? name : undefined));
    }
    if (files.length > 1) await out.write(format(total, "total"));
    await out.flush();
    return status;
  },
};

async function countFd(
  ctx: ProcessContext,
  fd: number,
  counter: Counter,
  needWords: boolean,
): Promise<void> {
  for (;;) {
    const chunk = await ctx.read(fd);
    if (chunk === null || chunk.length === 0) return;
    counter.add(chunk, needWords);
  }
}
