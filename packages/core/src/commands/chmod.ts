/** chmod: changes file mode bits (GNU: octal and symbolic modes, -R -v -c -f --reference). */
import { S_IFDIR, S_IFLNK, S_IFMT, type Stat } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { parseArgs, UsageError, usageText } from "./lib/file-args.ts";
import { adjustMode, type CompiledMode, compileMode, permString } from "./lib/file-mode.ts";
import { quoteAlways, quoteMaybe } from "./lib/file-quote.ts";
import { errCode, errText, joinPath } from "./lib/file-util.ts";

interface ChmodOptions {
  recursive: boolean;
  verbose: "none" | "changes" | "all";
  quiet: boolean;
  preserveRoot: boolean;
}

const MODE_ARG = /^-[rwxXstugoa0-7,+=-]+$/;

export const chmod: CommandDefinition = {
  name: "chmod",
  async main(ctx) {
    // "chmod -w f": a mode that looks like an option is the mode operand, as GNU allows.
    const raw = ctx.argv.slice(1);
    let modeArg: string | undefined;
    const rest: string[] = [];
    let seenDashDash = false;
    for (const a of raw) {
      if (!seenDashDash && modeArg === undefined && MODE_ARG.test(a) && !/^-[Rvcf]+$/.test(a)) {
        modeArg = a;
      } else {
        if (a === "--") seenDashDash = true;
        rest.push(a);
      }
    }
    const o: ChmodOptions = {
      recursive: false,
      verbose: "none",
      quiet: false,
      preserveRoot: false,
    };
    let reference: string | undefined;
    let args: ReturnType<typeof parseArgs>;
    try {
      args = parseArgs(rest, "Rcfv", [
        { name: "recursive", arg: "none", key: "R" },
        { name: "changes", arg: "none", key: "c" },
        { name: "silent", arg: "none", key: "f" },
        { name: "quiet", arg: "none", key: "f" },
        { name: "verbose", arg: "none", key: "v" },
        { name: "reference", arg: "required", key: "reference" },
        { name: "preserve-root", arg: "none", key: "preserve-root" },
        { name: "no-preserve-root", arg: "none", key: "no-preserve-root" },
      ]);
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("chmod", err.message));
        return 1;
      }
      throw err;
    }
    for (const { key, value } of args.options) {
      if (key === "R") o.recursive = true;
      else if (key === "c") o.verbose = "changes";
      else if (key === "v") o.verbose = "all";
      else if (key === "f") o.quiet = true;
      else if (key === "reference") reference = value;
      else if (key === "preserve-root") o.preserveRoot = true;
      else if (key === "no-preserve-root") o.preserveRoot = false;
    }
    const ops = [...args.operands];
    // GNU warns about umask surprises only for modes written like options ("chmod -w f").
    const diagnose = modeArg !== undefined;
    if (modeArg === undefined && reference === undefined) modeArg = ops.shift();
    if (modeArg === undefined && reference === undefined) {
      await ctx.err(usageText("chmod", "missing operand"));
      return 1;
    }
    if (ops.length === 0) {
      const after = reference === undefined ? modeArg : undefined;
      await ctx.err(
        usageText(
          "chmod",
          after ? `missing operand after ${quoteAlways(after)}` : "missing operand",
        ),
      );
      return 1;
    }
    let change: CompiledMode | undefined;
    if (reference !== undefined) {
      try {
        const st = await ctx.stat(reference);
        change = compileMode((st.mode & 0o7777).toString(8).padStart(5, "0"));
      } catch (err) {
        if (!ctx.alive) throw err;
        await ctx.err(
          `chmod: failed to get attributes of ${quoteAlways(reference)}: ${errText(err)}\n`,
        );
        return 1;
      }
    } else change = compileMode(modeArg ?? "");
    if (!change) {
      await ctx.err(usageText("chmod", `invalid mode: ${quoteAlways(modeArg ?? "")}`));
      return 1;
    }
    const runner = new Chmod(ctx, o, change, diagnose);
    for (const op of ops) await runner.top(op);
    return runner.status;
  },
};

class Chmod {
  readonly ctx: ProcessContext;
  readonly o: ChmodOptions;
  readonly change: CompiledMode;
  readonly umask: number;
  readonly diagnose: boolean;
  status = 0;

  constructor(ctx: ProcessContext, o: ChmodOptions, change: CompiledMode, diagnose: boolean) {
    this.diagnose = diagnose;
    this.ctx = ctx;
    this.o = o;
    this.change = change;
    this.umask = ctx.umask;
  }

  async top(path: string): Promise<void> {
    const ctx = this.ctx;
    let st: Stat;
    try {
      st = await ctx.stat(path);
    } catch (err) {
      if (!ctx.alive) throw err;
      const isLink = await ctx.lstat(path).then(
        (l) => (l.mode & S_IFMT) === S_IFLNK,
        () => false,
      );
      if (!this.o.quiet) {
        if (isLink && errCode(err) === "ENOENT") {
          await ctx.err(`chmod: cannot operate on dangling symlink ${quoteAlways(path)}\n`);
        } else await ctx.err(`chmod: cannot access ${quoteAlways(path)}: ${errText(err)}\n`);
      }
      if (this.o.verbose === "all" && isLink) {
        await ctx.out(`${quoteAlways(path)} could not be accessed\n`);
      }
      this.status = 1;
      return;
    }
    await this.apply(path, st);
  }

  async apply(path: string, st: Stat): Promise<void> {
    const ctx = this.ctx;
    const o = this.o;
    const isDir = (st.mode & S_IFMT) === S_IFDIR;
    const oldMode = st.mode & 0o7777;
    const newMode = adjustMode(oldMode, isDir, this.umask, this.change);
    let ok = true;
    if (newMode !== oldMode) {
      try {
        await ctx.chmod(path, newMode);
      } catch (err) {
        if (!ctx.alive) throw err;
        ok = false;
        this.status = 1;
        if (!o.quiet) {
          await ctx.err(`chmod: changing permissions of ${quoteAlways(path)}: ${errText(err)}\n`);
        }
      }
    }
    if (ok && (o.verbose === "all" || (o.verbose === "changes" && newMode !== oldMode))) {
      const oct = (m: number): string => m.toString(8).padStart(4, "0");
      if (newMode === oldMode) {
        await ctx.out(
          `mode of ${quoteAlways(path)} retained as ${oct(oldMode)} (${permString(oldMode)})\n`,
        );
      } else {
        await ctx.out(
          `mode of ${quoteAlways(path)} changed from ${oct(oldMode)} (${permString(oldMode)}) to ${oct(newMode)} (${permString(newMode)})\n`,
        );
      }
    }
    if (ok && this.diagnose) {
      const naive = adjustMode(oldMode, isDir, 0, this.change);
      if (newMode & ~naive) {
        if (!o.quiet) {
          await ctx.err(
            `chmod: ${quoteMaybe(path)}: new permissions are ${permString(newMode)}, not ${permString(naive)}\n`,
          );
        }
        this.status = 1;
      }
    }
    if (o.recursive && isDir) {
      let names: string[];
      try {
        names = (await ctx.readdir(path)).map((d) => d.name);
      } catch (err) {
        if (!ctx.alive) throw err;
        if (!o.quiet)
          await ctx.err(`chmod: cannot read directory ${quoteAlways(path)}: ${errText(err)}\n`);
        this.status = 1;
        return;
      }
      for (const name of names) {
        const child = joinPath(path, name);
        let cst: Stat;
        try {
          cst = await ctx.lstat(child);
        } catch (err) {
          if (!ctx.alive) throw err;
          if (!o.quiet)
            await ctx.err(`chmod: cannot access ${quoteAlways(child)}: ${errText(err)}\n`);
          this.status = 1;
          continue;
        }
        if ((cst.mode & S_IFMT) === S_IFLNK) {
          if (o.verbose === "all") {
            await ctx.out(
              `neither symbolic link ${quoteAlways(child)} nor referent has been changed\n`,
            );
          }
          continue;
        }
        await this.apply(child, cst);
      }
    }
  }
}
