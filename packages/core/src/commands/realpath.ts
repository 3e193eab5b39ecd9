/** realpath: prints resolved absolute names (GNU: -e -m -s -L -P -q -z --relative-to/base). */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { parseArgs, UsageError, usageText } from "./lib/file-args.ts";
import { type CanonMode, canonicalize, relativePath } from "./lib/file-path.ts";
import { quoteMaybe } from "./lib/file-quote.ts";
import { errText, normalizeAbs } from "./lib/file-util.ts";

export const realpath: CommandDefinition = {
  name: "realpath",
  async main(ctx) {
    let mode: CanonMode = "all-but-last";
    let follow = true;
    let logical = false;
    let quiet = false;
    let eol = "\n";
    let relTo: string | undefined;
    let relBase: string | undefined;
    let args: ReturnType<typeof parseArgs>;
    try {
      args = parseArgs(ctx.argv.slice(1), "eLmPqsz", [
        { name: "canonicalize-existing", arg: "none", key: "e" },
        { name: "canonicalize-missing", arg: "none", key: "m" },
        { name: "logical", arg: "none", key: "L" },
        { name: "physical", arg: "none", key: "P" },
        { name: "quiet", arg: "none", key: "q" },
        { name: "strip", arg: "none", key: "s" },
        { name: "no-symlinks", arg: "none", key: "s" },
        { name: "zero", arg: "none", key: "z" },
        { name: "relative-to", arg: "required", key: "relative-to" },
        { name: "relative-base", arg: "required", key: "relative-base" },
      ]);
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("realpath", err.message));
        return 1;
      }
      throw err;
    }
    for (const { key, value } of args.options) {
      if (key === "e") mode = "existing";
      else if (key === "m") mode = "missing";
      else if (key === "L") logical = true;
      else if (key === "P") logical = false;
      else if (key === "q") quiet = true;
      else if (key === "s") follow = false;
      else if (key === "z") eol = "\0";
      else if (key === "relative-to") relTo = value;
      else if (key === "relative-base") relBase = value;
    }
    if (args.operands.length === 0) {
      await ctx.err(usageText("realpath", "missing operand"));
      return 1;
    }
    const resolve = async (p: string, m: CanonMode): Promise<string> => {
      if (!follow) {
        const abs = normalizeAbs(ctx.resolvePath(p));
        if (m === "existing") await ctx.lstat(abs);
        return abs;
      }
      // -L resolves ".." before symlinks.
      return await canonicalize(ctx, logical ? normalizeAbs(ctx.resolvePath(p)) : p, m);
    };
    let base: string | undefined;
    let to: string | undefined;
    try {
      if (relTo !== undefined) to = await resolve(relTo, mode);
      if (relBase !== undefined) base = await resolve(relBase, mode);
    } catch (err) {
      if (!ctx.alive) throw err;
      await ctx.err(`realpath: ${quoteMaybe(relTo ?? relBase ?? "")}: ${errText(err)}\n`);
      return 1;
    }
    if (base !== undefined && to !== undefined && !isUnder(to, base)) {
      to = undefined;
      base = undefined;
    }
    let status = 0;
    let out = "";
    for (const p of args.operands) {
      try {
        let r = await resolve(p, mode);
        if (to !== undefined && (base === undefined || isUnder(r, base))) r = relativePath(r, to);
        else if (base !== undefined && isUnder(r, base)) r = relativePath(r, base);
        out += r + eol;
      } catch (err) {
        if (!ctx.alive) throw err;
        if (out) {
          await ctx.out(out);
          out = "";
        }
        if (!quiet) await ctx.err(`realpath: ${quoteMaybe(p)}: ${errText(err)}\n`);
        status = 1;
      }
    }
    if (out) await ctx.out(out);
    return status;
  },
};

function isUnder(path: string, base: string): boolean {
  return base === "/" || path === base || path.startsWith(`${base}/`);
}
