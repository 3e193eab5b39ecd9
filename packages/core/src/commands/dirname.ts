/** dirname: strips the last component from each name (GNU, with -z). */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { parseArgs, UsageError, usageText } from "./lib/file-args.ts";
import { dirName } from "./lib/file-util.ts";

export const dirname: CommandDefinition = {
  name: "dirname",
  async main(ctx) {
    let eol = "\n";
    let args: ReturnType<typeof parseArgs>;
    try {
      args = parseArgs(ctx.argv.slice(1), "z", [{ name: "zero", arg: "none", key: "z" }]);
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("dirname", err.message));
        return 1;
      }
      throw err;
    }
    if (args.options.some((o) => o.key === "z")) eol = "\0";
    if (args.operands.length === 0) {
      await ctx.err(usageText("dirname", "missing operand"));
      return 1;
    }
    await ctx.out(args.operands.map((n) => dirName(n) + eol).join(""));
    return 0;
  },
};
