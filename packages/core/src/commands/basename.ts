/** basename: strips directory and optional suffix from names (GNU, with -a -s -z). */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { parseArgs, UsageError, usageText } from "./lib/file-args.ts";
import { quoteLocale } from "./lib/file-quote.ts";
import { baseName } from "./lib/file-util.ts";

export const basename: CommandDefinition = {
  name: "basename",
  async main(ctx) {
    let multiple = false;
    let suffix: string | undefined;
    let eol = "\n";
    let args: ReturnType<typeof parseArgs>;
    try {
      args = parseArgs(ctx.argv.slice(1), "+as:z", [
        { name: "multiple", arg: "none", key: "a" },
        { name: "suffix", arg: "required", key: "s" },
        { name: "zero", arg: "none", key: "z" },
      ]);
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("basename", err.message));
        return 1;
      }
      throw err;
    }
    for (const { key, value } of args.options) {
      if (key === "a") multiple = true;
      else if (key === "s") {
        multiple = true;
        suffix = value;
      } else if (key === "z") eol = "\0";
    }
    const names = args.operands;
    if (names.length === 0) {
      await ctx.err(usageText("basename", "missing operand"));
      return 1;
    }
    if (!multiple) {
      if (names.length > 2) {
        await ctx.err(usageText("basename", `extra operand ${quoteLocale(names[2])}`));
        return 1;
      }
      suffix = names[1];
      names.length = 1;
    }
    let out = "";
    for (const name of names) {
      let base = baseName(name);
      if (suffix && base !== suffix && base.endsWith(suffix) && !/^\/+$/.test(base)) {
        base = base.slice(0, base.length - suffix.length);
      }
      out += base + eol;
    }
    await ctx.out(out);
    return 0;
  },
};
