/**
 * du: estimates file space usage (GNU: -a -s -c -h -k -m -b -d/--max-depth --apparent-size
 * -L -P -x --exclude -0). Directories are walked in readdir order as GNU's fts does; files and
 * directories already counted (same inode) are skipped, so hard links count once.
 */
import { S_IFDIR, S_IFMT, type Stat } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { parseArgs, UsageError, usageText } from "./lib/file-args.ts";
import { fnmatch } from "./lib/file-glob.ts";
import { quoteAlways, quoteLocale } from "./lib/file-quote.ts";
import { errText, humanSize, joinPath, OutBuffer } from "./lib/file-util.ts";

interface DuOptions {
  all: boolean;
  maxDepth: number;
  total: boolean;
  human: boolean;
  si: boolean;
  apparent: boolean;
  blockSize: number;
  deref: "never" | "cmdline" | "always";
  eol: string;
  exclude: string[];
}

export const du: CommandDefinition = {
  name: "du",
  async main(ctx) {
    const o: DuOptions = {
      all: false,
      maxDepth: Number.POSITIVE_INFINITY,
      total: false,
      human: false,
      si: false,
      apparent: false,
      blockSize: 1024,
      deref: "never",
      eol: "\n",
      exclude: [],
    };
    let summarize = false;
    let depthGiven = false;
    let args: ReturnType<typeof parseArgs>;
    try {
      args = parseArgs(ctx.argv.slice(1), "0abcd:hHkLmsPSxB:", [
        { name: "null", arg: "none", key: "0" },
        { name: "all", arg: "none", key: "a" },
        { name: "apparent-size", arg: "none", key: "apparent-size" },
        { name: "bytes", arg: "none", key: "b" },
        { name: "total", arg: "none", key: "c" },
        { name: "max-depth", arg: "required", key: "d" },
        { name: "human-readable", arg: "none", key: "h" },
        { name: "si", arg: "none", key: "si" },
        { name: "dereference", arg: "none", key: "L" },
        { name: "dereference-args", arg: "none", key: "D" },
        { name: "no-dereference", arg: "none", key: "P" },
        { name: "summarize", arg: "none", key: "s" },
        { name: "one-file-system", arg: "none", key: "x" },
        { name: "exclude", arg: "required", key: "exclude" },
        { name: "block-size", arg: "required", key: "B" },
        { name: "separate-dirs", arg: "none", key: "S" },
      ]);
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("du", err.message));
        return 1;
      }
      throw err;
    }
    for (const { key, value, spelled } of args.options) {
      switch (key) {
        case "0":
          o.eol = "\0";
          break;
        case "a":
          o.all = true;
          break;
        case "apparent-size":
          o.apparent = true;
          break;
        case "b":
          o.apparent = true;
          o.blockSize = 1;
          o.human = false;
          break;
        case "c":
          o.total = true;
          break;
        case "d": {
          if (!/^\d+$/.test(value ?? "")) {
            await ctx.err(
              `du: invalid maximum depth ${quoteLocale(value ?? "")}\nTry 'du --help' for more information.\n`,
            );
            return 1;
          }
          o.maxDepth = Number(value);
          depthGiven = true;
          break;
        }
        case "h":
          o.human = true;
          break;
        case "si":
          o.human = true;
          o.si = true;
          break;
        case "k":
          o.blockSize = 1024;
          o.human = false;
          break;
        case "m":
          o.blockSize = 1024 * 1024;
          o.human = false;
          break;
        case "B": {
          const size = parseBlockSize(value ?? "");
          if (size === undefined) {
            await ctx.err(`du: invalid --block-size argument ${quoteLocale(value ?? "")}\n`);
            return 1;
          }
          o.blockSize = size;
          o.human = false;
          break;
        }
        case "L":
          o.deref = "always";
          break;
        case "D":
        case "H":
          o.deref = "cmdline";
          break;
        case "P":
          o.deref = "never";
          break;
        case "s":
          summarize = true;
          break;
        case "x":
          break;
        case "exclude":
          o.exclude.push(value ?? "");
          break;
        default:
          await ctx.err(`du: option '${spelled}' is not supported\n`);
          return 1;
      }
    }
    if (summarize) {
      if (depthGiven && o.maxDepth !== 0) {
        await ctx.err(`du: warning: summarizing conflicts with --max-depth=${o.maxDepth}\n`);
        await ctx.err("Try 'du --help' for more information.\n");
        return 1;
      }
      if (o.all) {
        await ctx.err(usageText("du", "cannot both summarize and show all entries"));
        return 1;
      }
      o.maxDepth = 0;
    }
    const walker = new DuWalker(ctx, o);
    const ops = args.operands.length === 0 ? ["."] : args.operands;
    let total = 0;
    for (const op of ops) total += await walker.top(op);
    if (o.total) await walker.print(total, "total");
    await walker.out.flush();
    return walker.status;
  },
};

function parseBlockSize(text: string): number | undefined {
  const m = /^(\d*)([KMGTPE]?)(i?B?)$/i.exec(text);
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  const n = m[1] === "" ? 1 : Number(m[1]);
  const power = " KMGTPE".indexOf(m[2].toUpperCase());
  const base = m[3].toUpperCase() === "B" ? 1000 : 1024;
  return n * base ** Math.max(0, power);
}

class DuWalker {
  readonly ctx: ProcessContext;
  readonly o: DuOptions;
  readonly out: OutBuffer;
  readonly seen = new Set<string>();
  status = 0;

  constructor(ctx: ProcessContext, o: DuOptions) {
    this.ctx = ctx;
    this.o = o;
    this.out = new OutBuffer(ctx);
  }

  size(st: Stat): number {
    return this.o.apparent ? st.size : st.blocks * 512;
  }

  async print(bytes: number, path: string): Promise<void> {
    const o = this.o;
    const text = o.human
      ? humanSize(bytes, o.si ? 1000 : 1024, o.si)
      : String(Math.ceil(bytes / o.blockSize));
    await this.out.write(`${text}\t${path}${o.eol}`);
  }

  async top(path: string): Promise<number> {
    const ctx = this.ctx;
    let st: Stat;
    try {
      st = this.o.deref === "never" ? await ctx.lstat(path) : await ctx.stat(path);
    } catch (err) {
      if (!ctx.alive) throw err;
      await ctx.err(`du: cannot access ${quoteAlways(path)}: ${errText(err)}\n`);
      this.status = 1;
      return 0;
    }
    return await this.walk(path, st, 0, true);
  }

  async walk(path: string, st: Stat, depth: number, top: boolean): Promise<number> {
    const ctx = this.ctx;
    const o = this.o;
    const key = `${st.dev}:${st.ino}`;
    if (this.seen.has(key) && (st.nlink > 1 || (st.mode & S_IFMT) === S_IFDIR)) return 0;
    this.seen.add(key);
    let total = this.size(st);
    if ((st.mode & S_IFMT) === S_IFDIR) {
      let names: string[] = [];
      try {
        names = (await ctx.readdir(path)).map((d) => d.name);
      } catch (err) {
        if (!ctx.alive) throw err;
        await ctx.err(`du: cannot read directory ${quoteAlways(path)}: ${errText(err)}\n`);
        this.status = 1;
      }
      for (const name of names) {
        if (o.exclude.some((p) => fnmatch(p, name))) continue;
        const child = joinPath(path, name);
        let cst: Stat;
        try {
          cst = o.deref === "always" ? await ctx.stat(child) : await ctx.lstat(child);
        } catch (err) {
          if (!ctx.alive) throw err;
          await ctx.err(`du: cannot access ${quoteAlways(child)}: ${errText(err)}\n`);
          this.status = 1;
          continue;
        }
        total += await this.walk(child, cst, depth + 1, false);
      }
      if (depth <= o.maxDepth) await this.print(total, path);
    } else if (top || (o.all && depth <= o.maxDepth)) {
      await this.print(total, path);
    }
    return total;
  }
}
