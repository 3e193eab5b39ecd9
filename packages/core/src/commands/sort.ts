/**
 * sort: sorts, merges (-m) or checks (-c/-C) lines as GNU sort in the C locale. Keys (-k) with
 * per-key flags, -t, -n -g -h -M -V -R -d -f -i -b, -r -s -u -z -o; GNU's last-resort
 * whole-line comparison unless -s or -u. -S, -T, --parallel are accepted and ignored.
 */
import { O_CREAT, O_TRUNC, O_WRONLY } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError, quoteName } from "./errors.ts";
import { getopt, type LongOption, UsageError } from "./lib/text-getopt.ts";
import { argToLatin1, bytesToLatin1, latin1ToBytes, readInput } from "./lib/text-io.ts";
import {
  byteCompare,
  defaultKeyCompare,
  incompatibleKey,
  KeyColumn,
  KeySpecError,
  newKey,
  parseKeySpec,
  randomHasher,
  type SortKey,
  setOrdering,
} from "./lib/text-sort-key.ts";

const LONGS: LongOption[] = [
  { name: "ignore-leading-blanks", arg: "none", key: "b" },
  { name: "check", arg: "optional", key: "check" },
  { name: "compress-program", arg: "required" },
  { name: "debug", arg: "none" },
  { name: "dictionary-order", arg: "none", key: "d" },
  { name: "ignore-case", arg: "none", key: "f" },
  { name: "files0-from", arg: "required" },
  { name: "general-numeric-sort", arg: "none", key: "g" },
  { name: "ignore-nonprinting", arg: "none", key: "i" },
  { name: "key", arg: "required", key: "k" },
  { name: "merge", arg: "none", key: "m" },
  { name: "month-sort", arg: "none", key: "M" },
  { name: "numeric-sort", arg: "none", key: "n" },
  { name: "human-numeric-sort", arg: "none", key: "h" },
  { name: "version-sort", arg: "none", key: "V" },
  { name: "random-sort", arg: "none", key: "R" },
  { name: "random-source", arg: "required" },
  { name: "sort", arg: "required" },
  { name: "output", arg: "required", key: "o" },
  { name: "reverse", arg: "none", key: "r" },
  { name: "stable", arg: "none", key: "s" },
  { name: "batch-size", arg: "required" },
  { name: "buffer-size", arg: "required", key: "S" },
  { name: "field-separator", arg: "required", key: "t" },
  { name: "temporary-directory", arg: "required", key: "T" },
  { name: "unique", arg: "none", key: "u" },
  { name: "zero-terminated", arg: "none", key: "z" },
  { name: "parallel", arg: "required" },
  { name: "help", arg: "none" },
  { name: "version", arg: "none" },
];

const SORT_WORDS: Record<string, string> = {
  "general-numeric": "g",
  "human-numeric": "h",
  month: "M",
  numeric: "n",
  random: "R",
  version: "V",
};

class SortFailure extends Error {}

export const sort: CommandDefinition = {
  name: "sort",
  async main(ctx) {
    const fail = async (message: string): Promise<number> => {
      await ctx.err(`sort: ${message}\n`);
      return 2;
    };
    let parsed: ReturnType<typeof getopt>;
    try {
      parsed = getopt(ctx.argv.slice(1), "bcCdfghik:mMno:rRsS:t:T:uVy:z", LONGS);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      await ctx.err(`sort: ${err.message}\nTry 'sort --help' for more information.\n`);
      return 2;
    }
    const gkey = newKey();
    const keys: SortKey[] = [];
    let check: "" | "c" | "C" = "";
    let merge = false;
    let output: string | undefined;
    let stable = false;
    let unique = false;
    let zero = false;
    let tab = -1;
    for (const opt of parsed.options) {
      switch (opt.key) {
        case "b":
        case "d":
        case "f":
        case "g":
        case "h":
        case "i":
        case "M":
        case "n":
        case "R":
        case "r":
        case "V":
          setOrdering(opt.key, 0, gkey, null);
          break;
        case "sort": {
          const letter = SORT_WORDS[opt.value ?? ""];
          if (!letter) {
            await ctx.err(
              `sort: invalid argument '${opt.value}' for '--sort'\nValid arguments are:\n  - 'general-numeric'\n  - 'human-numeric'\n  - 'month'\n  - 'numeric'\n  - 'random'\n  - 'version'\nTry 'sort --help' for more information.\n`,
            );
            return 2;
          }
          setOrdering(letter, 0, gkey, null);
          break;
        }
        case "c":
        case "C":
        case "check": {
          let mode: "c" | "C" = opt.key === "C" ? "C" : "c";
          if (opt.key === "check" && opt.value !== undefined) {
            if (opt.value === "quiet" || opt.value === "silent") mode = "C";
            else if (opt.value !== "diagnose-first") {
              await ctx.err(
                `sort: invalid argument '${opt.value}' for '--check'\nValid arguments are:\n  - 'quiet', 'silent'\n  - 'diagnose-first'\nTry 'sort --help' for more information.\n`,
              );
              return 2;
            }
          }
          if (check && check !== mode) return await fail("options '-cC' are incompatible");
          check = mode;
          break;
        }
        case "k":
          try {
            keys.push(parseKeySpec(opt.value ?? ""));
          } catch (err) {
            if (err instanceof KeySpecError) return await fail(err.message);
            throw err;
          }
          break;
        case "m":
          merge = true;
          break;
        case "o":
          if (output !== undefined && output !== opt.value)
            return await fail("multiple output files specified");
          output = opt.value;
          break;
        case "s":
          stable = true;
          break;
        case "S":
        case "T":
        case "y":
        case "parallel":
          break;
        case "t": {
          const value = argToLatin1(opt.value ?? "");
          if (value === "") return await fail("empty tab");
          let newTab = value.charCodeAt(0);
          if (value.length > 1) {
            if (value === "\\0") newTab = 0;
            else return await fail(`multi-character tab ${quoteArg(opt.value ?? "")}`);
          }
          if (tab !== -1 && tab !== newTab) return await fail("incompatible tabs");
          tab = newTab;
          break;
        }
        case "u":
          unique = true;
          break;
        case "z":
          zero = true;
          break;
        case "help":
          await ctx.out("Usage: sort [OPTION]... [FILE]...\n");
          return 0;
        case "version":
          await ctx.out("sort (GNU coreutils) 9.1\n");
          return 0;
        default:
          return await fail(`option '${opt.spelled}' is not supported`);
      }
    }
    // Keys without ordering options of their own inherit the global ones.
    for (const key of keys) {
      if (defaultKeyCompare(key) && !key.reverse) {
        key.ignore = gkey.ignore;
        key.translate = gkey.translate;
        key.skipsblanks = gkey.skipsblanks;
        key.skipeblanks = gkey.skipeblanks;
        key.month = gkey.month;
        key.numeric = gkey.numeric;
        key.general = gkey.general;
        key.human = gkey.human;
        key.version = gkey.version;
        key.random = gkey.random;
        key.reverse = gkey.reverse;
      }
    }
    const gkeyOnly = keys.length === 0 && !defaultKeyCompare(gkey);
    if (gkeyOnly) keys.push(gkey);
    for (const key of keys) {
      const bad = incompatibleKey(key);
      if (bad !== undefined) return await fail(`options '-${bad}' are incompatible`);
    }
    const files = parsed.operands.length > 0 ? parsed.operands : ["-"];
    if (check && files.length > 1) {
      await ctx.err(`sort: extra operand ${quoteArg(files[1])} not allowed with -${check}\n`);
      return 2;
    }
    const eol = zero ? "\0" : "\n";
    const hash = keys.some((k) => k.random) ? randomHasher() : undefined;
    const lines = new DecoratedLines(
      keys,
      tab,
      hash,
      gkey.reverse,
      keys.length > 0 && (unique || stable),
    );

    try {
      if (check) {
        lines.addAll(splitLines(await readText(ctx, files[0]), eol));
        for (let i = 1; i < lines.texts.length; i++) {
          const diff = lines.compare(i - 1, i);
          if (diff > 0 || (unique && diff === 0)) {
            if (check === "c") {
              const where = `${argToLatin1(files[0])}:${i + 1}`;
              await ctx.err(latin1ToBytes(`sort: ${where}: disorder: ${lines.texts[i]}\n`));
            }
            return 1;
          }
        }
        return 0;
      }
      let order: number[];
      if (merge) {
        const runs: [number, number][] = [];
        for (const name of files) {
          const start = lines.texts.length;
          lines.addAll(splitLines(await readText(ctx, name), eol));
          runs.push([start, lines.texts.length]);
        }
        order = mergeRuns(runs, lines.compare);
      } else {
        for (const name of files) lines.addAll(splitLines(await readText(ctx, name), eol));
        order = lines.sorted();
      }
      let outFd = 1;
      if (output !== undefined) {
        try {
          outFd = await ctx.open(output, O_WRONLY | O_CREAT | O_TRUNC, 0o666);
        } catch (err) {
          if (!ctx.alive) throw err;
          return await fail(`open failed: ${quoteName(output)}: ${describeError(err)}`);
        }
      }
      try {
        await writeLines(ctx, outFd, lines, order, eol, unique);
      } finally {
        if (outFd !== 1) ctx.close(outFd);
      }
      return 0;
    } catch (err) {
      if (err instanceof SortFailure) return await fail(err.message);
      throw err;
    }
  },
};

/** The input lines with every key parsed once; lines are addressed by index. */
class DecoratedLines {
  readonly texts: string[] = [];
  readonly #columns: KeyColumn[];
  readonly #reverse: boolean;
  readonly #keysDecide: boolean;

  /**
   * `reverse` applies to GNU's last-resort whole-line comparison; `keysDecide` (-s or -u with
   * keys) skips that comparison so lines with equal keys stay in input order.
   */
  constructor(
    keys: SortKey[],
    tab: number,
    hash: ((text: string) => string) | undefined,
    reverse: boolean,
    keysDecide: boolean,
  ) {
    this.#columns = keys.map((key) => new KeyColumn(key, tab, hash));
    this.#reverse = reverse;
    this.#keysDecide = keysDecide;
  }

  addAll(lines: string[]): void {
    for (const line of lines) {
      this.texts.push(line);
      for (const column of this.#columns) column.add(line);
    }
  }

  readonly compare = (a: number, b: number): number => {
    const columns = this.#columns;
    for (let i = 0; i < columns.length; i++) {
      const diff = columns[i].compare(a, b);
      if (diff !== 0) return columns[i].key.reverse ? -diff : diff;
    }
    if (this.#keysDecide) return 0;
    const diff = byteCompare(this.texts[a], this.texts[b]);
    return this.#reverse ? -diff : diff;
  };

  /** Line indices in sorted order (stable). */
  sorted(): number[] {
    const count = this.texts.length;
    const order = new Array<number>(count);
    for (let i = 0; i < count; i++) order[i] = i;
    if (this.#columns.length === 0) {
      // Whole-line byte order needs no decoration: the engine's default string sort compares
      // UTF-16 code units, which for latin1 strings is byte order, without a JS comparator.
      // Equal lines are identical, so reversing the result keeps it stable.
      this.texts.sort();
      if (this.#reverse) this.texts.reverse();
      return order;
    }
    return order.sort(this.compare);
  }
}
function quoteArg(s: string): string {
  return `'${s.replace(/'/g, "'\\''")}'`;
}

async function readText(ctx: ProcessContext, name: string): Promise<string> {
  try {
    return bytesToLatin1(await readInput(ctx, name));
  } catch (err) {
    if (!ctx.alive) throw err;
    const msg = describeError(err);
    if (msg === "Is a directory") throw new SortFailure(`read failed: ${quoteName(name)}: ${msg}`);
    throw new SortFailure(`cannot read: ${quoteName(name)}: ${msg}`);
  }
}

function splitLines(text: string, eol: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split(eol);
  if (text.endsWith(eol)) lines.pop();
  return lines;
}

/** Merges already-sorted runs of line indices [start, end); ties go to the earlier run, as GNU's merge does. */
function mergeRuns(runs: [number, number][], compare: (a: number, b: number) => number): number[] {
  const out: number[] = [];
  const pos = runs.map(([start]) => start);
  for (;;) {
    let best = -1;
    for (let r = 0; r < runs.length; r++) {
      if (pos[r] >= runs[r][1]) continue;
      if (best < 0 || compare(pos[r], pos[best]) < 0) best = r;
    }
    if (best < 0) return out;
    out.push(pos[best]++);
  }
}

async function writeLines(
  ctx: ProcessContext,
  fd: number,
  lines: DecoratedLines,
  order: number[],
  eol: string,
  unique: boolean,
): Promise<void> {
  const texts = lines.texts;
  // Lines are joined in batches of ~64 KiB, so each write is one large chunk.
  let batch: string[] = [];
  let size = 0;
  let prev = -1;
  for (const index of order) {
    if (unique && prev >= 0 && lines.compare(prev, index) === 0) continue;
    prev = index;
    const text = texts[index];
    batch.push(text);
    size += text.length + 1;
    if (size >= 65536) {
      await ctx.write(fd, latin1ToBytes(batch.join(eol) + eol));
      batch = [];
      size = 0;
    }
  }
  if (size > 0) await ctx.write(fd, latin1ToBytes(batch.join(eol) + eol));
}
