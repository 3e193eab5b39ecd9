/**
 * shuf: random permutations, as GNU coreutils shuf: input lines, -e ARGS or -i LO-HI; -n COUNT,
 * -r (with replacement), -o FILE, -z, --random-source FILE. With --random-source the output is
 * deterministic for a given file, but not the same permutation GNU would print.
 */
import { createHash, randomInt } from "node:crypto";
import { O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { describeError } from "./errors.ts";
import { parseArgs, UsageError, usageText } from "./lib/line-getopt.ts";
import { concatBytes, Output, quoteAlways, quoteIfNeeded } from "./lib/line-io.ts";

const LONG = [
  { name: "echo", arg: "none" as const, key: "e" },
  { name: "input-range", arg: "required" as const, key: "i" },
  { name: "head-count", arg: "required" as const, key: "n" },
  { name: "output", arg: "required" as const, key: "o" },
  { name: "random-source", arg: "required" as const, key: "random-source" },
  { name: "repeat", arg: "none" as const, key: "r" },
  { name: "zero-terminated", arg: "none" as const, key: "z" },
  { name: "help", arg: "none" as const, key: "help" },
  { name: "version", arg: "none" as const, key: "version" },
];

/** A random source: crypto by default, or a generator seeded from --random-source bytes. */
function makeRandom(seed: Uint8Array | undefined): (n: number) => number {
  if (!seed) return (n) => (n <= 1 ? 0 : randomInt(n));
  let state = createHash("sha256").update(seed).digest();
  let pos = 0;
  const next32 = (): number => {
    if (pos + 4 > state.length) {
      state = createHash("sha256").update(state).digest();
      pos = 0;
    }
    const v = state.readUInt32LE(pos);
    pos += 4;
    return v;
  };
  return (n) => (n <= 1 ? 0 : Math.floor((next32() / 2 ** 32) * n));
}

export const shuf: CommandDefinition = {
  name: "shuf",
  async main(ctx) {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs(ctx.argv.slice(1), { short: "ei:n:o:rz", long: LONG });
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("shuf", err.message));
        return 1;
      }
      throw err;
    }
    let echo = false;
    let range: [number, number] | undefined;
    let count = Number.POSITIVE_INFINITY;
    let output: string | undefined;
    let source: string | undefined;
    let repeat = false;
    let delim = 0x0a;
    for (const opt of parsed.options) {
      const v = opt.value ?? "";
      switch (opt.key) {
        case "e":
          echo = true;
          break;
        case "i": {
          const m = /^([0-9]+)-([0-9]+)$/.exec(v);
          if (range) {
            await ctx.err("shuf: multiple -i options specified\n");
            return 1;
          }
          if (!m || Number(m[2]) + 1 < Number(m[1])) {
            await ctx.err(`shuf: invalid input range: ${quoteAlways(v)}\n`);
            return 1;
          }
          range = [Number(m[1]), Number(m[2])];
          break;
        }
        case "n":
          if (!/^[0-9]+$/.test(v)) {
            await ctx.err(`shuf: invalid line count: ${quoteAlways(v)}\n`);
            return 1;
          }
          count = Math.min(count, Number(v));
          break;
        case "o":
          output = v;
          break;
        case "random-source":
          source = v;
          break;
        case "r":
          repeat = true;
          break;
        case "z":
          delim = 0;
          break;
        case "help":
          await ctx.out(
            "Usage: shuf [OPTION]... [FILE]\n  or:  shuf -e [OPTION]... [ARG]...\n  or:  shuf -i LO-HI [OPTION]...\n",
          );
          return 0;
        default:
          await ctx.out("shuf (GNU coreutils) 9.1\n");
          return 0;
      }
    }
    if (echo && range) {
      await ctx.err(usageText("shuf", "cannot combine -e and -i options"));
      return 1;
    }
    const encoder = new TextEncoder();
    let items: Uint8Array[] | undefined;
    let rangeSize = 0;
    if (echo) items = parsed.operands.map((a) => encoder.encode(a));
    else if (range) {
      if (parsed.operands.length > 0) {
        await ctx.err(usageText("shuf", `extra operand ${quoteAlways(parsed.operands[0])}`));
        return 1;
      }
      rangeSize = range[1] - range[0] + 1;
    } else {
      if (parsed.operands.length > 1) {
        await ctx.err(usageText("shuf", `extra operand ${quoteAlways(parsed.operands[1])}`));
        return 1;
      }
      const name = parsed.operands[0] ?? "-";
      let data: Uint8Array;
      try {
        if (name === "-") data = await ctx.readAll(0);
        else {
          const fd = await ctx.open(name, O_RDONLY);
          try {
            data = await ctx.readAll(fd);
          } finally {
            ctx.close(fd);
          }
        }
      } catch (err) {
        if (!ctx.alive) throw err;
        await ctx.err(`shuf: ${quoteIfNeeded(name)}: ${describeError(err)}\n`);
        return 1;
      }
      items = [];
      let start = 0;
      while (start < data.length) {
        const at = data.indexOf(delim, start);
        const end = at < 0 ? data.length : at;
        items.push(data.subarray(start, end));
        start = end + 1;
      }
    }
    let seed: Uint8Array | undefined;
    if (source !== undefined) {
      try {
        seed = await ctx.readFile(source);
      } catch (err) {
        if (!ctx.alive) throw err;
        await ctx.err(`shuf: ${quoteIfNeeded(source)}: ${describeError(err)}\n`);
        return 1;
      }
    }
    const random = makeRandom(seed);
    const total = items ? items.length : rangeSize;
    const itemAt = (i: number): Uint8Array =>
      items ? items[i] : encoder.encode(String(range![0] + i));
    let outFd = 1;
    if (output !== undefined) {
      try {
        outFd = await ctx.open(output, O_WRONLY | O_CREAT | O_TRUNC, 0o666);
      } catch (err) {
        if (!ctx.alive) throw err;
        await ctx.err(`shuf: ${quoteIfNeeded(output)}: ${describeError(err)}\n`);
        return 1;
      }
    }
    const out = new Output(ctx, outFd);
    const term = Uint8Array.of(delim);
    try {
      if (repeat) {
        if (total === 0) {
          if (count > 0) {
            await ctx.err("shuf: no lines to repeat\n");
            return 1;
          }
          return 0;
        }
        for (let n = 0; n < count; n++) {
          await out.write(concatBytes([itemAt(random(total)), term]));
        }
      } else {
        // Partial Fisher-Yates over indices (sparse, so -i with a huge range stays cheap).
        const swapped = new Map<number, number>();
        const take = Math.min(count, total);
        for (let n = 0; n < take; n++) {
          const j = n + random(total - n);
          const vj = swapped.get(j) ?? j;
          swapped.set(j, swapped.get(n) ?? n);
          await out.write(concatBytes([itemAt(vj), term]));
        }
      }
      await out.flush();
    } finally {
      if (outFd !== 1) ctx.close(outFd);
    }
    return 0;
  },
};
