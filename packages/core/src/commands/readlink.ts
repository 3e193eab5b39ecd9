/** readlink: prints symlink targets or canonical names (GNU: -f -e -m -n -q -s -v -z). */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { parseArgs, UsageError, usageText } from "./lib/file-args.ts";
import { type CanonMode, canonicalize } from "./lib/file-path.ts";
import { quoteMaybe } from "./lib/file-quote.ts";
import { errText } from "./lib/file-util.ts";

export const readlink: CommandDefinition = {
  name: "readlink",
  async main(ctx) {
    let mode: CanonMode | undefined;
    let noNewline = false;
    let verbose = false;
    let eol = "\n";
    let args: ReturnType<typeof parseArgs>;
    try {
      args = parseArgs(ctx.argv.slice(1), "efmnqsvz", [
        { name: "canonicalize", arg: "none", key: "f" },
        { name: "canonicalize-existing", arg: "none", key: "e" },
        { name: "canonicalize-missing", arg: "none", key: "m" },
        { name: "no-newline", arg: "none", key: "n" },
        { name: "quiet", arg: "none", key: "q" },
        { name: "silent", arg: "none", key: "s" },
        { name: "verbose", arg: "none", key: "v" },
        { name: "zero", arg: "none", key: "z" },
      ]);
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("readlink", err.message));
        return 1;
      }
      throw err;
    }
    for (const { key } of args.options) {
      if (key === "f") mode = "all-but-last";
      else if (key === "e") mode = "existing";
      else if (key === "m") mode = "missing";
      else if (key === "n") noNewline = true;
      else if (key === "q" || key === "s") verbose = false;
      else if (key === "v") verbose = true;
      else if (key === "z") eol = "\0";
    }
    const ops = args.operands;
    if (ops.length === 0) {
      await ctx.err(usageText("readlink", "missing operand"));
      return 1;
    }
    if (noNewline && ops.length > 1) {
      await ctx.err("readlink: ignoring --no-newline with multiple arguments\n");
      noNewline = false;
    }
    let status = 0;
    let out = "";
    for (const p of ops) {
      try {
        const r = mode ? await canonicalize(ctx, p, mode) : await ctx.readlink(p);
        out += r + (noNewline ? "" : eol);
      } catch (err) {
        if (!ctx.alive) throw err;
        status = 1;
        if (verbose) {
          if (out) {
            await ctx.out(out);
            out = "";
          }
          await ctx.err(`readlink: ${quoteMaybe(p)}: ${errText(err)}\n`);
        }
      }
    }
    if (out) await ctx.out(out);
    return status;
  },
};
