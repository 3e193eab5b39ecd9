/**
 * head: the first (or all but the last) N lines or bytes of each file, as GNU coreutils head:
 * -n [-]N, -c [-]N (with size suffixes), -q, -v, -z, the obsolete -N[bkm][cqvlz] form,
 * "==> name <==" headers for several files.
 */
import { O_RDONLY } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError } from "./errors.ts";
import { parseArgs, UsageError, usageText } from "./lib/line-getopt.ts";
import { concatBytes, LineReader, Output, parseSize, quoteAlways } from "./lib/line-io.ts";

const LONG = [
  { name: "bytes", arg: "required" as const, key: "c" },
  { name: "lines", arg: "required" as const, key: "n" },
  { name: "quiet", arg: "none" as const, key: "q" },
  { name: "silent", arg: "none" as const, key: "q" },
  { name: "verbose", arg: "none" as const, key: "v" },
  { name: "zero-terminated", arg: "none" as const, key: "z" },
  { name: "help", arg: "none" as const, key: "help" },
  { name: "version", arg: "none" as const, key: "version" },
];

interface Mode {
  bytes: boolean;
  count: number;
  /** All but the last `count`. */
  elide: boolean;
  delim: number;
}

export const head: CommandDefinition = {
  name: "head",
  async main(ctx) {
    let args = ctx.argv.slice(1);
    const mode: Mode = { bytes: false, count: 10, elide: false, delim: 0x0a };
    let headers: boolean | undefined;
    // Obsolete form: "head -5", "head -5c", "head -2kv".
    const obsolete = args.length > 0 ? /^-([0-9]+)([bkm]?)([cqvlz]*)$/.exec(args[0]) : null;
    if (obsolete) {
      const mult =
        obsolete[2] === "b" ? 512 : obsolete[2] === "k" ? 1024 : obsolete[2] ? 1048576 : 1;
      mode.count = Number(obsolete[1]) * mult;
      mode.bytes = mult !== 1;
      for (const flag of obsolete[3]) {
        if (flag === "c") mode.bytes = true;
        else if (flag === "l") mode.bytes = false;
        else if (flag === "q") headers = false;
        else if (flag === "v") headers = true;
        else mode.delim = 0;
      }
      args = args.slice(1);
    }
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs(args, { short: "c:n:qvz0123456789", long: LONG });
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("head", err.message));
        return 1;
      }
      throw err;
    }
    for (const opt of parsed.options) {
      switch (opt.key) {
        case "c":
        case "n": {
          let text = opt.value!;
          mode.bytes = opt.key === "c";
          mode.elide = text.startsWith("-");
          if (mode.elide) text = text.slice(1);
          const size = parseSize(text, "bkKmMGTPEZY0");
          if ("error" in size) {
            const what = mode.bytes ? "bytes" : "lines";
            const extra =
              size.error === "overflow" ? ": Value too large for defined data type" : "";
            await ctx.err(`head: invalid number of ${what}: ${quoteAlways(text)}${extra}\n`);
            return 1;
          }
          mode.count = size.value;
          break;
        }
        case "q":
          headers = false;
          break;
        case "v":
          headers = true;
          break;
        case "z":
          mode.delim = 0;
          break;
        case "help":
          await ctx.out("Usage: head [OPTION]... [FILE]...\n");
          return 0;
        case "version":
          await ctx.out("head (GNU coreutils) 9.1\n");
          return 0;
        default:
          // A digit: GNU head rejects the obsolete form anywhere but first.
          await ctx.err(usageText("head", `invalid trailing option -- ${opt.key}`));
          return 1;
      }
    }
    const files = parsed.operands.length > 0 ? parsed.operands : ["-"];
    const showHeaders = headers ?? files.length > 1;
    const out = new Output(ctx);
    let status = 0;
    let first = true;
    for (const name of files) {
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
        await ctx.err(
          `head: cannot open ${quoteAlways(name)} for reading: ${describeError(err)}\n`,
        );
        status = 1;
        continue;
      }
      try {
        if (showHeaders) {
          await out.write(
            `${first ? "" : "\n"}==> ${name === "-" ? "standard input" : name} <==\n`,
          );
        }
        first = false;
        await copyHead(ctx, fd, mode, out);
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        const shown = name === "-" ? "'standard input'" : quoteAlways(name);
        await ctx.err(`head: error reading ${shown}: ${describeError(err)}\n`);
        status = 1;
      } finally {
        if (opened) ctx.close(fd);
      }
    }
    await out.flush();
    return status;
  },
};

async function copyHead(ctx: ProcessContext, fd: number, mode: Mode, out: Output): Promise<void> {
  if (mode.elide) {
    if (mode.bytes) await elideBytes(ctx, fd, mode.count, out);
    else await elideLines(ctx, fd, mode, out);
    return;
  }
  let left = mode.count;
  while (left > 0) {
    const chunk = await ctx.read(fd);
    if (chunk === null || chunk.length === 0) return;
    if (mode.bytes) {
      const take = Math.min(left, chunk.length);
      await out.write(chunk.subarray(0, take));
      left -= take;
      continue;
    }
    let pos = 0;
    while (left > 0) {
      const at = chunk.indexOf(mode.delim, pos);
      if (at < 0) {
        pos = chunk.length;
        break;
      }
      pos = at + 1;
      left--;
    }
    await out.write(chunk.subarray(0, pos));
  }
}

async function elideBytes(
  ctx: ProcessContext,
  fd: number,
  keep: number,
  out: Output,
): Promise<void> {
  let held: Uint8Array[] = [];
  let heldSize = 0;
  for (;;) {
    const chunk = await ctx.read(fd);
    if (chunk === null || chunk.length === 0) return;
    held.push(chunk);
    heldSize += chunk.length;
    if (heldSize > keep) {
      const all = concatBytes(held, heldSize);
      const emit = heldSize - keep;
      await out.write(all.subarray(0, emit));
      held = [all.slice(emit)];
      heldSize = keep;
    }
  }
}

async function elideLines(ctx: ProcessContext, fd: number, mode: Mode, out: Output): Promise<void> {
  const reader = new LineReader(ctx, fd, mode.delim);
  const ring: Uint8Array[] = [];
  for (;;) {
    const line = await reader.next();
    if (line === null) return;
    if (mode.count === 0) {
      await out.write(line);
      continue;
    }
    ring.push(line.slice());
    if (ring.length > mode.count) await out.write(ring.shift()!);
  }
}
