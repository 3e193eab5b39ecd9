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
  comparePrepared,
  defaultKeyCompare,
  extractKey,
  incompatibleKey,
  KeySpecError,
  newKey,
  type PreparedKey,
  parseKeySpec,
  prepareKey,
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

interface Line {
  text: string;
  keys: PreparedKey[];
}

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
    const prepare = (text: string): Line => ({
      text,
      keys: keys.map((k) => prepareKey(k, extractKey(text, k, tab), hash)),
    });
    const reverse = gkey.reverse;
    const compare = (a: Line, b: Line): number => {
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        const diff = comparePrepared(key, a.keys[i], b.keys[i]);
        if (diff !== 0) return key.reverse ? -diff : diff;
      }
      if (keys.length > 0 && (unique || stable)) return 0;
      const diff = byteCompare(a.text, b.text);
      return reverse ? -diff : diff;
    };

    try {
      if (check) {
        const text = await readText(ctx, files[0]);
        const lines = splitLines(text, eol);
        for (let i = 1; i < lines.length; i++) {
          const diff = compare(prepare(lines[i - 1]), prepare(lines[i]));
          if (diff > 0 || (unique && diff === 0)) {
            if (check === "c") {
              const where = `${argToLatin1(files[0])}:${i + 1}`;
              await ctx.err(latin1ToBytes(`sort: ${where}: disorder: ${lines[i]}\n`));
            }
            return 1;
          }
        }
        return 0;
      }
      let sorted: Line[];
      if (merge) {
        const runs: Line[][] = [];
        for (const name of files)
          runs.push(splitLines(await readText(ctx, name), eol).map(prepare));
        sorted = mergeRuns(runs, compare);
      } else {
        const all: Line[] = [];
        for (const name of files) {
          for (const line of splitLines(await readText(ctx, name), eol)) all.push(prepare(line));
        }
        all.sort(compare);
        sorted = all;
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
        await writeLines(ctx, outFd, sorted, eol, unique ? compare : undefined);
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

/** Merges already-sorted runs; ties go to the earlier run, as GNU's merge does. */
function mergeRuns(runs: Line[][], compare: (a: Line, b: Line) => number): Line[] {
  const out: Line[] = [];
  const pos = runs.map(() => 0);
  for (;;) {
    let best = -1;
    for (let r = 0; r < runs.length; r++) {
      if (pos[r] >= runs[r].length) continue;
      if (best < 0 || compare(runs[r][pos[r]], runs[best][pos[best]]) < 0) best = r;
    }
    if (best < 0) return out;
    out.push(runs[best][pos[best]++]);
  }
}

async function writeLines(
  ctx: ProcessContext,
  fd: number,
  lines: Line[],
  eol: string,
  uniqueCompare: ((a: Line, b: Line) => number) | undefined,
): Promise<void> {
  let parts: string[] = [];
  let size = 0;
  let prev: Line | undefined;
  for (const line of lines) {
    if (uniqueCompare && prev && uniqueCompare(prev, line) === 0) continue;
    prev = line;
    parts.push(line.text, eol);
    size += line.text.length + 1;
    if (size >= 65536) {
      await ctx.write(fd, latin1ToBytes(parts.join("")));
      parts = [];
      size = 0;
    }
  }
  if (size > 0) await ctx.write(fd, latin1ToBytes(parts.join("")));
}
