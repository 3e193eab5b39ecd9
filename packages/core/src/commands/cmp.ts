/**
 * cmp: compares two files byte by byte, as GNU diffutils 3.8 cmp. Options: -b
 * (--print-bytes), -i SKIP1[:SKIP2] (--ignore-initial), -l (--verbose), -n LIMIT (--bytes),
 * -s (--quiet, --silent); operands FILE1 [FILE2 [SKIP1 [SKIP2]]]. Streams both inputs.
 */
import { O_RDONLY } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError } from "./errors.ts";
import { getoptLong, type LongOption } from "./lib/diff-getopt.ts";
import { OutBuffer } from "./lib/diff-outbuf.ts";

const LONGS: LongOption[] = [
  { name: "bytes", arg: "required", key: "n" },
  { name: "help", arg: "none", key: "help" },
  { name: "ignore-initial", arg: "required", key: "i" },
  { name: "print-bytes", arg: "none", key: "b" },
  { name: "print-chars", arg: "none", key: "b" },
  { name: "quiet", arg: "none", key: "s" },
  { name: "silent", arg: "none", key: "s" },
  { name: "verbose", arg: "none", key: "l" },
  { name: "version", arg: "none", key: "v" },
];

const SUFFIXES: Record<string, number> = {
  "": 1,
  k: 1024,
  K: 1024,
  kB: 1000,
  KB: 1000,
  KiB: 1024,
  M: 1024 ** 2,
  MB: 1000 ** 2,
  MiB: 1024 ** 2,
  G: 1024 ** 3,
  GB: 1000 ** 3,
  GiB: 1024 ** 3,
  T: 1024 ** 4,
  TB: 1000 ** 4,
  TiB: 1024 ** 4,
};

function parseSize(text: string): number | undefined {
  const m = /^([0-9]+)([A-Za-z]*)$/.exec(text);
  if (!m) return undefined;
  const mult = SUFFIXES[m[2]];
  if (mult === undefined) return undefined;
  return Number(m[1]) * mult;
}

class CmpUsage extends Error {}

/** GNU cmp's sprintc: printable bytes as is, ^X for controls, M- for the high half. */
function sprintc(c: number): string {
  let s = "";
  if (c >= 0x80) {
    s = "M-";
    c -= 0x80;
  }
  if (c < 0x20) return `${s}^${String.fromCharCode(c + 0x40)}`;
  if (c === 0x7f) return `${s}^?`;
  return s + String.fromCharCode(c);
}

const oct3 = (c: number): string => c.toString(8).padStart(3, " ");

/** A buffered reader over a descriptor. */
class Reader {
  readonly ctx: ProcessContext;
  readonly fd: number;
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  eof = false;

  constructor(ctx: ProcessContext, fd: number) {
    this.ctx = ctx;
    this.fd = fd;
  }

  /** Ensures at least one byte is buffered unless at end of file; returns bytes available. */
  async fill(): Promise<number> {
    while (this.pos >= this.buf.length && !this.eof) {
      const chunk = await this.ctx.read(this.fd);
      if (chunk === null || chunk.length === 0) this.eof = true;
      else {
        this.buf = chunk;
        this.pos = 0;
      }
    }
    return this.buf.length - this.pos;
  }

  async skip(n: number): Promise<void> {
    while (n > 0 && (await this.fill()) > 0) {
      const k = Math.min(n, this.buf.length - this.pos);
      this.pos += k;
      n -= k;
    }
  }
}

export const cmp: CommandDefinition = {
  name: "cmp",
  async main(ctx) {
    const parsed = getoptLong(ctx.argv.slice(1), "bci:ln:sv", LONGS);
    const usage = async (msg: string): Promise<number> => {
      await ctx.err(`cmp: ${msg}\ncmp: Try 'cmp --help' for more information.\n`);
      return 2;
    };
    if (!parsed.ok) return usage(parsed.message);
    let printBytes = false;
    let verbose = false;
    let silent = false;
    let limit = Number.POSITIVE_INFINITY;
    const skip = [0, 0];
    try {
      const parseSkip = (value: string): void => {
        const parts = value.split(":");
        const a = parseSize(parts[0]);
        const b = parts.length > 1 ? parseSize(parts[1]) : a;
        if (a === undefined || b === undefined || parts.length > 2) {
          throw new CmpUsage(`invalid --ignore-initial value '${value}'`);
        }
        skip[0] = a;
        skip[1] = b;
      };
      for (const { key, value } of parsed.options) {
        switch (key) {
          case "b":
          case "c":
            printBytes = true;
            break;
          case "i":
            parseSkip(value ?? "");
            break;
          case "l":
            verbose = true;
            break;
          case "n": {
            const n = parseSize(value ?? "");
            if (n === undefined) throw new CmpUsage(`invalid --bytes value '${value}'`);
            limit = Math.min(limit, n);
            break;
          }
          case "s":
            silent = true;
            break;
          case "help":
            await ctx.out("Usage: cmp [OPTION]... FILE1 [FILE2 [SKIP1 [SKIP2]]]\n");
            return 0;
          case "v":
            await ctx.out("cmp (GNU diffutils) 3.8\n");
            return 0;
        }
      }
      const ops = parsed.operands;
      if (ops.length === 0) throw new CmpUsage("missing operand after 'cmp'");
      if (ops.length > 4) throw new CmpUsage(`extra operand '${ops[4]}'`);
      for (let k = 2; k < ops.length; k++) {
        const v = parseSize(ops[k]);
        if (v === undefined) throw new CmpUsage(`invalid --ignore-initial value '${ops[k]}'`);
        skip[k - 2] = v;
      }
      if (verbose && silent) throw new CmpUsage("options -l and -s are incompatible");
    } catch (err) {
      if (err instanceof CmpUsage) return usage(err.message);
      throw err;
    }
    const names = [parsed.operands[0], parsed.operands[1] ?? "-"];
    const fds: number[] = [];
    const opened: number[] = [];
    try {
      for (const name of names) {
        if (name === "-") {
          fds.push(0);
          continue;
        }
        try {
          const st = await ctx.stat(name);
          if ((st.mode & 0o170000) === 0o040000) {
            await ctx.err(`cmp: ${name}: Is a directory\n`);
            return 2;
          }
          const fd = await ctx.open(name, O_RDONLY);
          fds.push(fd);
          opened.push(fd);
        } catch (err) {
          if (!ctx.alive) throw err;
          await ctx.err(`cmp: ${name}: ${describeError(err)}\n`);
          return 2;
        }
      }
      if (names[0] === names[1] && skip[0] === skip[1] && names[0] !== "-") return 0;
      const r = [new Reader(ctx, fds[0]), new Reader(ctx, fds[1])];
      await r[0].skip(skip[0]);
      await r[1].skip(skip[1]);
      const out = new OutBuffer(ctx);
      let byte = 0;
      let line = 1;
      let differ = false;
      let lastWasNewline = false;
      // Width of byte numbers in -l output: digits of the largest possible byte number.
      let width = 1;
      if (verbose) {
        let max = limit;
        for (let f = 0; f < 2; f++) {
          if (fds[f] === 0 && names[f] === "-") continue;
          const st = await ctx.fstat(fds[f]);
          if ((st.mode & 0o170000) === 0o100000)
            max = Math.min(max, Math.max(0, st.size - skip[f]));
        }
        if (Number.isFinite(max)) width = String(Math.floor(max)).length;
        else width = 19;
      }
      while (byte < limit) {
        const n0 = await r[0].fill();
        const n1 = await r[1].fill();
        if (n0 === 0 || n1 === 0) {
          if (n0 === 0 && n1 === 0) break;
          const shorter = n0 === 0 ? 0 : 1;
          await out.flush();
          if (!silent) {
            const detail =
              byte === 0
                ? " which is empty"
                : verbose
                  ? ` after byte ${byte}`
                  : ` after byte ${byte}, line ${lastWasNewline ? line - 1 : line}`;
            await ctx.err(`cmp: EOF on ${names[shorter]}${detail}\n`);
          }
          return 1;
        }
        const a = r[0];
        const b = r[1];
        let k = Math.min(n0, n1, limit - byte);
        while (k > 0) {
          const c0 = a.buf[a.pos++];
          const c1 = b.buf[b.pos++];
          byte++;
          k--;
          if (c0 !== c1) {
            if (silent) return 1;
            if (!verbose) {
              const extra = printBytes
                ? ` is ${oct3(c0)} ${sprintc(c0)} ${oct3(c1)} ${sprintc(c1)}`
                : "";
              // In the C locale GNU cmp says "char" unless -b is given.
              const word = printBytes ? "byte" : "char";
              await out.text(
                `${names[0]} ${names[1]} differ: ${word} ${byte}, line ${line}${extra}\n`,
              );
              await out.flush();
              return 1;
            }
            differ = true;
            const num = String(byte).padStart(width, " ");
            await out.text(
              printBytes
                ? `${num} ${oct3(c0)} ${sprintc(c0).padEnd(4, " ")} ${oct3(c1)} ${sprintc(c1)}\n`
                : `${num} ${oct3(c0)} ${oct3(c1)}\n`,
            );
          } else if (c0 === 0x0a) line++;
          lastWasNewline = c0 === 0x0a && c1 === 0x0a;
        }
      }
      await out.flush();
      return differ ? 1 : 0;
    } finally {
      for (const fd of opened) ctx.close(fd);
    }
  },
};
