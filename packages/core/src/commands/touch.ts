/** touch: updates access and modification times, creating files (GNU, -a -m -c -d -t -r). */
import { O_CREAT, O_WRONLY } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { parseArgs, UsageError, usageText } from "./lib/file-args.ts";
import { quoteAlways, quoteLocale } from "./lib/file-quote.ts";
import { parseDate, parseTouchStamp } from "./lib/file-time.ts";
import { errCode, errText } from "./lib/file-util.ts";

export const touch: CommandDefinition = {
  name: "touch",
  async main(ctx) {
    let atimeOnly = false;
    let mtimeOnly = false;
    let noCreate = false;
    let dateText: string | undefined;
    let stampText: string | undefined;
    let reference: string | undefined;
    let args: ReturnType<typeof parseArgs>;
    try {
      args = parseArgs(ctx.argv.slice(1), "acd:fhmr:t:", [
        { name: "no-create", arg: "none", key: "c" },
        { name: "date", arg: "required", key: "d" },
        { name: "reference", arg: "required", key: "r" },
        { name: "no-dereference", arg: "none", key: "h" },
        { name: "time", arg: "required", key: "time" },
      ]);
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("touch", err.message));
        return 1;
      }
      throw err;
    }
    for (const { key, value } of args.options) {
      switch (key) {
        case "a":
          atimeOnly = true;
          break;
        case "m":
          mtimeOnly = true;
          break;
        case "c":
          noCreate = true;
          break;
        case "d":
          dateText = value;
          break;
        case "t":
          stampText = value;
          break;
        case "r":
          reference = value;
          break;
        case "h":
          await ctx.err("touch: option '--no-dereference' is not supported\n");
          return 1;
        case "time":
          if (value === "atime" || value === "access" || value === "use") atimeOnly = true;
          else if (value === "mtime" || value === "modify") mtimeOnly = true;
          else {
            await ctx.err(
              `touch: invalid argument ${quoteLocale(value ?? "")} for '--time'\nValid arguments are:\n  - 'atime', 'access', 'use'\n  - 'mtime', 'modify'\nTry 'touch --help' for more information.\n`,
            );
            return 1;
          }
          break;
        default:
          break;
      }
    }
    if (!atimeOnly && !mtimeOnly) atimeOnly = mtimeOnly = true;
    const now = Date.now();
    let atime = now;
    let mtime = now;
    if (stampText !== undefined && (dateText !== undefined || reference !== undefined)) {
      await ctx.err(usageText("touch", "cannot specify times from more than one source"));
      return 1;
    }
    if (reference !== undefined) {
      try {
        const st = await ctx.stat(reference);
        atime = st.atimeMs;
        mtime = st.mtimeMs;
      } catch (err) {
        if (!ctx.alive) throw err;
        await ctx.err(
          `touch: failed to get attributes of ${quoteAlways(reference)}: ${errText(err)}\n`,
        );
        return 1;
      }
    }
    if (dateText !== undefined) {
      const t = parseDate(dateText, now, ctx.env.TZ);
      if (t === undefined) {
        await ctx.err(`touch: invalid date format ${quoteLocale(dateText)}\n`);
        return 1;
      }
      atime = mtime = t;
    }
    if (stampText !== undefined) {
      const t = parseTouchStamp(stampText, now, ctx.env.TZ);
      if (t === undefined) {
        await ctx.err(`touch: invalid date format ${quoteLocale(stampText)}\n`);
        return 1;
      }
      atime = mtime = t;
    }
    if (args.operands.length === 0) {
      await ctx.err(usageText("touch", "missing file operand"));
      return 1;
    }
    let status = 0;
    for (const file of args.operands) {
      if (file === "-") continue;
      try {
        let st = await ctx.stat(file).catch((err: unknown) => {
          if (errCode(err) === "ENOENT") return undefined;
          throw err;
        });
        if (!st) {
          if (noCreate) continue;
          const fd = await ctx.open(file, O_WRONLY | O_CREAT, 0o666);
          ctx.close(fd);
          st = await ctx.stat(file);
        }
        await ctx.utimes(file, atimeOnly ? atime : st.atimeMs, mtimeOnly ? mtime : st.mtimeMs);
      } catch (err) {
        if (!ctx.alive) throw err;
        await ctx.err(`touch: cannot touch ${quoteAlways(file)}: ${errText(err)}\n`);
        status = 1;
      }
    }
    return status;
  },
};
