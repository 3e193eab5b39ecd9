/** mkdir: creates directories (GNU, with -p -m -v). */
import { KernelError } from "../fs/errors.ts";
import { S_IFDIR, S_IFMT } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { parseArgs, UsageError, usageText } from "./lib/file-args.ts";
import { adjustMode, compileMode } from "./lib/file-mode.ts";
import { quoteAlways } from "./lib/file-quote.ts";
import { errCode, errText } from "./lib/file-util.ts";

export const mkdir: CommandDefinition = {
  name: "mkdir",
  async main(ctx) {
    let parents = false;
    let verbose = false;
    let modeText: string | undefined;
    let args: ReturnType<typeof parseArgs>;
    try {
      args = parseArgs(ctx.argv.slice(1), "pm:vZ", [
        { name: "parents", arg: "none", key: "p" },
        { name: "mode", arg: "required", key: "m" },
        { name: "verbose", arg: "none", key: "v" },
        { name: "context", arg: "optional", key: "Z" },
      ]);
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("mkdir", err.message));
        return 1;
      }
      throw err;
    }
    for (const { key, value } of args.options) {
      if (key === "p") parents = true;
      else if (key === "v") verbose = true;
      else if (key === "m") modeText = value;
    }
    let mode: number | undefined;
    const umask = ctx.umask;
    if (modeText !== undefined) {
      const change = compileMode(modeText);
      if (!change) {
        await ctx.err(`mkdir: invalid mode '${modeText}'\n`);
        return 1;
      }
      mode = adjustMode(0o777, true, umask, change);
    }
    if (args.operands.length === 0) {
      await ctx.err(usageText("mkdir", "missing operand"));
      return 1;
    }
    let status = 0;
    const created = async (path: string): Promise<void> => {
      if (verbose) await ctx.out(`mkdir: created directory ${quoteAlways(path)}\n`);
    };
    for (const path of args.operands) {
      try {
        if (path === "") throw new KernelError("ENOENT", "mkdir", path);
        if (parents) {
          // Ancestors get u+wx on top of the umask-derived mode, as GNU's mkancesdirs.
          const parts = path.split("/");
          for (let i = 1; i < parts.length; i++) {
            if (parts[i - 1] === "" || parts[i - 1] === "." || parts[i - 1] === "..") continue;
            const prefix = parts.slice(0, i).join("/");
            try {
              await ctx.mkdir(prefix, 0o777);
              await ctx.chmod(prefix, (0o777 & ~umask) | 0o300);
              await created(prefix);
            } catch (err) {
              if (!ctx.alive) throw err;
              if (errCode(err) !== "EEXIST") throw Object.assign(err as object, { shown: prefix });
              const st = await ctx.stat(prefix).catch(() => undefined);
              if (!st || (st.mode & S_IFMT) !== S_IFDIR) {
                throw Object.assign(new Error("Not a directory"), { shown: prefix });
              }
            }
          }
        }
        try {
          await ctx.mkdir(path, mode ?? 0o777);
        } catch (err) {
          if (!ctx.alive) throw err;
          if (parents && errCode(err) === "EEXIST") {
            const st = await ctx.stat(path).catch(() => undefined);
            if (st && (st.mode & S_IFMT) === S_IFDIR) continue;
          }
          throw err;
        }
        if (mode !== undefined) await ctx.chmod(path, mode);
        await created(path);
      } catch (err) {
        if (!ctx.alive) throw err;
        const shown = (err as { shown?: string }).shown ?? path;
        await ctx.err(`mkdir: cannot create directory ${quoteAlways(shown)}: ${errText(err)}\n`);
        status = 1;
      }
    }
    return status;
  },
};
