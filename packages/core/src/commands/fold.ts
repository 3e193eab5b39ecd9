/** fold: wraps lines to a width, as GNU coreutils fold: -w N (and -N), -b (bytes), -s (at blanks). */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { describeError } from "./errors.ts";
import { parseArgs, UsageError, usageText } from "./lib/line-getopt.ts";
import { Output, quoteAlways, quoteIfNeeded } from "./lib/line-io.ts";
import { type Input, inputChunks, openInput } from "./lib/text-io.ts";

export const fold: CommandDefinition = {
  name: "fold",
  async main(ctx) {
    // The obsolete "-N" form means "-w N".
    const args = ctx.argv.slice(1).map((a) => (/^-[0-9]+$/.test(a) ? `-w${a.slice(1)}` : a));
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs(args, {
        short: "bsw:",
        long: [
          { name: "bytes", arg: "none", key: "b" },
          { name: "spaces", arg: "none", key: "s" },
          { name: "width", arg: "required", key: "w" },
          { name: "help", arg: "none", key: "help" },
          { name: "version", arg: "none", key: "version" },
        ],
      });
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("fold", err.message));
        return 1;
      }
      throw err;
    }
    let width = 80;
    let bytes = false;
    let spaces = false;
    for (const opt of parsed.options) {
      if (opt.key === "b") bytes = true;
      else if (opt.key === "s") spaces = true;
      else if (opt.key === "w") {
        const v = opt.value!;
        if (!/^\s*\+?[0-9]+$/.test(v) || Number(v) < 1) {
          const range = /^\s*\+?[0-9]+$/.test(v) ? ": Numerical result out of range" : "";
          await ctx.err(`fold: invalid number of columns: ${quoteAlways(v)}${range}\n`);
          return 1;
        }
        width = Number(v);
      } else if (opt.key === "help") {
        await ctx.out("Usage: fold [OPTION]... [FILE]...\n");
        return 0;
      } else {
        await ctx.out("fold (GNU coreutils) 9.1\n");
        return 0;
      }
    }
    const adjust = (column: number, c: number): number => {
      if (bytes) return column + 1;
      if (c === 0x08) return column > 0 ? column - 1 : 0;
      if (c === 0x0d) return 0;
      if (c === 0x09) return column + 8 - (column % 8);
      return column + 1;
    };
    const out = new Output(ctx);
    const files = parsed.operands.length > 0 ? parsed.operands : ["-"];
    let status = 0;
    for (const name of files) {
      let input: Input;
      try {
        input = await openInput(ctx, name);
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        await ctx.err(`fold: ${quoteIfNeeded(name)}: ${describeError(err)}\n`);
        status = 1;
        continue;
      }
      let line: number[] = [];
      let column = 0;
      try {
        for await (const chunk of inputChunks(ctx, input.fd)) {
          const buf: number[] = [];
          for (const c of chunk) {
            if (c === 0x0a) {
              buf.push(...line, 0x0a);
              line = [];
              column = 0;
              continue;
            }
            for (;;) {
              column = adjust(column, c);
              if (column <= width) {
                line.push(c);
                break;
              }
              if (spaces) {
                let at = -1;
                for (let i = line.length - 1; i >= 0; i--) {
                  if (line[i] === 0x20 || line[i] === 0x09) {
                    at = i;
                    break;
                  }
                }
                if (at >= 0) {
                  buf.push(...line.slice(0, at + 1), 0x0a);
                  line = line.slice(at + 1);
                  column = 0;
                  for (const r of line) column = adjust(column, r);
                  continue;
                }
              }
              if (line.length === 0) {
                line.push(c);
                break;
              }
              buf.push(...line, 0x0a);
              line = [];
              column = 0;
            }
          }
          await out.write(Uint8Array.from(buf));
        }
        await out.write(Uint8Array.from(line));
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        await ctx.err(`fold: ${quoteIfNeeded(name)}: ${describeError(err)}\n`);
        status = 1;
      } finally {
        input.close();
      }
    }
    await out.flush();
    return status;
  },
};
