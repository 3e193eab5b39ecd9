/** expand: converts tabs to spaces, as GNU coreutils expand: -t N / -t LIST, -i (leading only). */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { describeError } from "./errors.ts";
import { parseArgs, UsageError, usageText } from "./lib/line-getopt.ts";
import { Output, quoteIfNeeded } from "./lib/line-io.ts";
import { nextStop, parseTabStops, type TabStops } from "./lib/line-tabs.ts";
import { type Input, inputChunks, openInput } from "./lib/text-io.ts";

/** Collects -t arguments (and the obsolete -N form) into one tab list. */
export function tabOptions(
  options: Array<{ key: string; value: string | undefined }>,
): string | undefined {
  const parts: string[] = [];
  let digits = "";
  for (const opt of options) {
    if (opt.key === "t") parts.push(opt.value ?? "");
    else if (/^[0-9]$/.test(opt.key)) digits += opt.key;
  }
  if (digits) parts.push(digits);
  return parts.length > 0 ? parts.join(",") : undefined;
}

export const expand: CommandDefinition = {
  name: "expand",
  async main(ctx) {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs(ctx.argv.slice(1), {
        short: "it:0123456789",
        long: [
          { name: "initial", arg: "none", key: "i" },
          { name: "tabs", arg: "required", key: "t" },
          { name: "help", arg: "none", key: "help" },
          { name: "version", arg: "none", key: "version" },
        ],
      });
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("expand", err.message));
        return 1;
      }
      throw err;
    }
    if (parsed.options.some((o) => o.key === "help")) {
      await ctx.out("Usage: expand [OPTION]... [FILE]...\n");
      return 0;
    }
    const initial = parsed.options.some((o) => o.key === "i");
    const spec = tabOptions(parsed.options);
    let tabs: TabStops = { stops: [], every: 8, relative: false };
    if (spec !== undefined) {
      const t = parseTabStops(spec);
      if (typeof t === "string") {
        await ctx.err(`expand: ${t}\n`);
        return 1;
      }
      tabs = t;
    }
    const out = new Output(ctx);
    const files = parsed.operands.length > 0 ? parsed.operands : ["-"];
    let status = 0;
    let column = 0;
    let leading = true;
    for (const name of files) {
      let input: Input;
      try {
        input = await openInput(ctx, name);
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        await ctx.err(`expand: ${quoteIfNeeded(name)}: ${describeError(err)}\n`);
        status = 1;
        continue;
      }
      try {
        for await (const chunk of inputChunks(ctx, input.fd)) {
          const buf: number[] = [];
          for (const b of chunk) {
            if (b === 0x09 && leading) {
              const stop = nextStop(tabs, column) ?? column + 1;
              while (column < stop) {
                buf.push(0x20);
                column++;
              }
              continue;
            }
            if (b === 0x0a) {
              column = 0;
              leading = true;
            } else if (b === 0x08) {
              if (column > 0) column--;
              if (initial) leading = false;
            } else {
              column++;
              if (initial && b !== 0x20) leading = false;
            }
            buf.push(b);
          }
          await out.write(Uint8Array.from(buf));
        }
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        await ctx.err(`expand: ${quoteIfNeeded(name)}: ${describeError(err)}\n`);
        status = 1;
      } finally {
        input.close();
      }
    }
    await out.flush();
    return status;
  },
};
