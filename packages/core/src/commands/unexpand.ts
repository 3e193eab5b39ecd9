/**
 * unexpand: converts runs of blanks to tabs, as GNU coreutils unexpand: leading blanks only by
 * default, -a for all, -t N / -t LIST (implies -a), --first-only.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { describeError } from "./errors.ts";
import { tabOptions } from "./expand.ts";
import { parseArgs, UsageError, usageText } from "./lib/line-getopt.ts";
import { Output, quoteIfNeeded } from "./lib/line-io.ts";
import { nextStop, parseTabStops, type TabStops } from "./lib/line-tabs.ts";
import { type Input, inputChunks, openInput } from "./lib/text-io.ts";

export const unexpand: CommandDefinition = {
  name: "unexpand",
  async main(ctx) {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs(ctx.argv.slice(1), {
        short: "at:0123456789",
        long: [
          { name: "all", arg: "none", key: "a" },
          { name: "first-only", arg: "none", key: "first-only" },
          { name: "tabs", arg: "required", key: "t" },
          { name: "help", arg: "none", key: "help" },
          { name: "version", arg: "none", key: "version" },
        ],
      });
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("unexpand", err.message));
        return 1;
      }
      throw err;
    }
    if (parsed.options.some((o) => o.key === "help")) {
      await ctx.out("Usage: unexpand [OPTION]... [FILE]...\n");
      return 0;
    }
    const spec = tabOptions(parsed.options);
    let all = parsed.options.some((o) => o.key === "a") || spec !== undefined;
    if (parsed.options.some((o) => o.key === "first-only")) all = false;
    let tabs: TabStops = { stops: [], every: 8, relative: false };
    if (spec !== undefined) {
      const t = parseTabStops(spec);
      if (typeof t === "string") {
        await ctx.err(`unexpand: ${t}\n`);
        return 1;
      }
      tabs = t;
    }
    const out = new Output(ctx);
    const files = parsed.operands.length > 0 ? parsed.operands : ["-"];
    let status = 0;
    let column = 0;
    let convert = true;
    let pending: number[] = [];
    let pendingStart = 0;
    const buf: number[] = [];
    const flushPending = (): void => {
      buf.push(...pending);
      pending = [];
    };
    for (const name of files) {
      let input: Input;
      try {
        input = await openInput(ctx, name);
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        await ctx.err(`unexpand: ${quoteIfNeeded(name)}: ${describeError(err)}\n`);
        status = 1;
        continue;
      }
      try {
        for await (const chunk of inputChunks(ctx, input.fd)) {
          for (const b of chunk) {
            if ((b === 0x20 || b === 0x09) && convert) {
              if (pending.length === 0) pendingStart = column;
              const stop = nextStop(tabs, column);
              if (stop === undefined) {
                // Past the last tab stop: blanks stay as they are.
                flushPending();
                buf.push(b);
                column++;
                convert = all;
                continue;
              }
              column = b === 0x09 ? stop : column + 1;
              pending.push(b);
              if (column === stop) {
                // A single space that reaches a stop stays a space.
                if (pending.length === 1 && b === 0x20 && stop - pendingStart === 1) flushPending();
                else {
                  buf.push(0x09);
                  pending = [];
                }
              }
              continue;
            }
            flushPending();
            if (b === 0x0a) {
              column = 0;
              convert = true;
            } else if (b === 0x08) {
              if (column > 0) column--;
              convert = convert && all;
            } else {
              column++;
              if (b === 0x09) column = nextStop(tabs, column - 1) ?? column;
              convert = all;
            }
            buf.push(b);
          }
          await out.write(Uint8Array.from(buf));
          buf.length = 0;
        }
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        await ctx.err(`unexpand: ${quoteIfNeeded(name)}: ${describeError(err)}\n`);
        status = 1;
      } finally {
        input.close();
      }
    }
    flushPending();
    await out.write(Uint8Array.from(buf));
    await out.flush();
    return status;
  },
};
