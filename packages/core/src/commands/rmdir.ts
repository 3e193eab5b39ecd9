/** rmdir: removes empty directories (GNU, with -p -v --ignore-fail-on-non-empty). */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { parseArgs, UsageError, usageText } from "./lib/file-args.ts";
import { quoteAlways } from "./lib/file-quote.ts";
import { errCode, errText } from "./lib/file-util.ts";

export const rmdir: CommandDefinition = {
  name: "rmdir",
  async main(ctx) {
    let parents = false;
    let verbose = false;
    let ignoreNonEmpty = false;
    let args: ReturnType<typeof parseArgs>;
    try {
      args = parseArgs(ctx.argv.slice(1), "pv", [
        { name: "parents", arg: "none", key: "p" },
        { name: "verbose", arg: "none", key: "v" },
        { name: "ignore-fail-on-non-empty", arg: "none", key: "ignore" },
      ]);
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("rmdir", err.message));
        return 1;
      }
      throw err;
    }
    for (const { key } of args.options) {
      if (key === "p") parents = true;
      else if (key === "v") verbose = true;
      else if (key === "ignore") ignoreNonEmpty = true;
    }
    if (args.operands.length === 0) {
      await ctx.err(usageText("rmdir", "missing operand"));
      return 1;
    }
    let status = 0;
    /** Returns false when removal failed (and stops -p). */
    const remove = async (path: string, parent = false): Promise<boolean> => {
      if (verbose) await ctx.out(`rmdir: removing directory, ${quoteAlways(path)}\n`);
      try {
        await ctx.rmdir(path);
        return true;
      } catch (err) {
        if (!ctx.alive) throw err;
        const code = errCode(err);
        if (ignoreNonEmpty && (code === "ENOTEMPTY" || code === "EEXIST")) return false;
        const what = parent ? "directory " : "";
        await ctx.err(`rmdir: failed to remove ${what}${quoteAlways(path)}: ${errText(err)}\n`);
        status = 1;
        return false;
      }
    };
    for (const path of args.operands) {
      if (!(await remove(path)) || !parents) continue;
      let p = path.replace(/\/+$/, "");
      for (;;) {
        const slash = p.lastIndexOf("/");
        if (slash <= 0) break;
        p = p.slice(0, slash).replace(/\/+$/, "");
        if (p === "" || !(await remove(p, true))) break;
      }
    }
    return status;
  },
};
