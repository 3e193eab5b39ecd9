/** rm: removes files and directories (GNU, with -f -i -I -r/-R -d -v --preserve-root). */
import { S_IFDIR, S_IFMT, type Stat } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { parseArgs, UsageError, usageText } from "./lib/file-args.ts";
import { confirm, fileTypeName } from "./lib/file-prompt.ts";
import { quoteAlways } from "./lib/file-quote.ts";
import { baseName, errCode, errText, joinPath, normalizeAbs } from "./lib/file-util.ts";

interface RmOptions {
  force: boolean;
  interactive: "never" | "once" | "always";
  recursive: boolean;
  dir: boolean;
  verbose: boolean;
  preserveRoot: boolean;
}

export const rm: CommandDefinition = {
  name: "rm",
  async main(ctx) {
    const o: RmOptions = {
      force: false,
      interactive: "never",
      recursive: false,
      dir: false,
      verbose: false,
      preserveRoot: true,
    };
    let args: ReturnType<typeof parseArgs>;
    try {
      args = parseArgs(ctx.argv.slice(1), "dfiIrRv", [
        { name: "force", arg: "none", key: "f" },
        { name: "interactive", arg: "optional", key: "interactive" },
        { name: "recursive", arg: "none", key: "r" },
        { name: "dir", arg: "none", key: "d" },
        { name: "verbose", arg: "none", key: "v" },
        { name: "preserve-root", arg: "optional", key: "preserve-root" },
        { name: "no-preserve-root", arg: "none", key: "no-preserve-root" },
        { name: "one-file-system", arg: "none", key: "one-file-system" },
      ]);
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("rm", err.message));
        return 1;
      }
      throw err;
    }
    for (const { key, value } of args.options) {
      switch (key) {
        case "f":
          o.force = true;
          o.interactive = "never";
          break;
        case "i":
          o.force = false;
          o.interactive = "always";
          break;
        case "I":
          o.force = false;
          o.interactive = "once";
          break;
        case "interactive":
          if (value === undefined || value === "always" || value === "yes")
            o.interactive = "always";
          else if (value === "once") o.interactive = "once";
          else if (value === "never" || value === "no" || value === "none") o.interactive = "never";
          else {
            await ctx.err(
              `rm: invalid argument '${value}' for '--interactive'\nValid arguments are:\n  - 'never', 'no', 'none'\n  - 'once'\n  - 'always', 'yes'\nTry 'rm --help' for more information.\n`,
            );
            return 1;
          }
          if (o.interactive !== "never") o.force = false;
          break;
        case "r":
        case "R":
          o.recursive = true;
          break;
        case "d":
          o.dir = true;
          break;
        case "v":
          o.verbose = true;
          break;
        case "preserve-root":
          o.preserveRoot = true;
          break;
        case "no-preserve-root":
          o.preserveRoot = false;
          break;
        default:
          break;
      }
    }
    const ops = args.operands;
    if (ops.length === 0) {
      if (o.force) return 0;
      await ctx.err(usageText("rm", "missing operand"));
      return 1;
    }
    if (o.interactive === "once" && (o.recursive || ops.length > 3)) {
      const n = ops.length;
      const what = `${n} argument${n === 1 ? "" : "s"}${o.recursive ? " recursively" : ""}`;
      if (!(await confirm(ctx, `rm: remove ${what}? `))) return 0;
    }
    const remover = new Remover(ctx, o);
    for (const op of ops) await remover.top(op);
    return remover.status;
  },
};

class Remover {
  readonly ctx: ProcessContext;
  readonly o: RmOptions;
  status = 0;

  constructor(ctx: ProcessContext, o: RmOptions) {
    this.ctx = ctx;
    this.o = o;
  }

  async fail(path: string, err: unknown): Promise<void> {
    if (!this.ctx.alive) throw err;
    await this.ctx.err(`rm: cannot remove ${quoteAlways(path)}: ${errText(err)}\n`);
    this.status = 1;
  }

  async top(path: string): Promise<void> {
    const ctx = this.ctx;
    const last = baseName(path);
    if (last === "." || last === "..") {
      await ctx.err(
        `rm: refusing to remove '.' or '..' directory: skipping ${quoteAlways(path)}\n`,
      );
      this.status = 1;
      return;
    }
    let st: Stat;
    try {
      st = await ctx.lstat(path);
    } catch (err) {
      if (this.o.force && errCode(err) === "ENOENT") return;
      await this.fail(path, err);
      return;
    }
    if (this.o.recursive && this.o.preserveRoot && (st.mode & S_IFMT) === S_IFDIR) {
      if (normalizeAbs(ctx.resolvePath(path)) === "/") {
        await ctx.err(
          `rm: it is dangerous to operate recursively on ${quoteAlways(path)}\nrm: use --no-preserve-root to override this failsafe\n`,
        );
        this.status = 1;
        return;
      }
    }
    await this.remove(path, st);
  }

  async writeProtected(path: string, st: Stat): Promise<boolean> {
    if ((st.mode & S_IFMT) === 0o120000) return false;
    try {
      await this.ctx.access(path, 2);
      return false;
    } catch {
      return true;
    }
  }

  async ask(path: string, st: Stat, verb: string): Promise<boolean> {
    const o = this.o;
    const ctx = this.ctx;
    const prompt = o.interactive === "always";
    const protectedPrompt = !o.force && ctx.isatty(0) && (await this.writeProtected(path, st));
    if (!prompt && !protectedPrompt) return true;
    const wp = protectedPrompt ? "write-protected " : "";
    return await confirm(ctx, `rm: ${verb} ${wp}${fileTypeName(st)} ${quoteAlways(path)}? `);
  }

  /** Returns true when `path` is gone. */
  async remove(path: string, st: Stat): Promise<boolean> {
    const ctx = this.ctx;
    const o = this.o;
    if ((st.mode & S_IFMT) === S_IFDIR) {
      if (!o.recursive) {
        if (o.dir) {
          if (!(await this.ask(path, st, "remove"))) return false;
          try {
            await ctx.rmdir(path);
          } catch (err) {
            await this.fail(path, err);
            return false;
          }
          if (o.verbose) await ctx.out(`removed directory ${quoteAlways(path)}\n`);
          return true;
        }
        await ctx.err(`rm: cannot remove ${quoteAlways(path)}: Is a directory\n`);
        this.status = 1;
        return false;
      }
      let names: string[];
      try {
        names = (await ctx.readdir(path)).map((d) => d.name);
      } catch (err) {
        await this.fail(path, err);
        return false;
      }
      if (names.length > 0 && o.interactive === "always") {
        if (!(await confirm(ctx, `rm: descend into directory ${quoteAlways(path)}? `)))
          return false;
      }
      let allGone = true;
      for (const name of names) {
        const child = joinPath(path, name);
        let cst: Stat;
        try {
          cst = await ctx.lstat(child);
        } catch (err) {
          if (errCode(err) === "ENOENT") continue;
          await this.fail(child, err);
          allGone = false;
          continue;
        }
        if (!(await this.remove(child, cst))) allGone = false;
      }
      if (!allGone) return false;
      if (!(await this.ask(path, st, "remove"))) return false;
      try {
        await ctx.rmdir(path);
      } catch (err) {
        await this.fail(path, err);
        return false;
      }
      if (o.verbose) await ctx.out(`removed directory ${quoteAlways(path)}\n`);
      return true;
    }
    if (!(await this.ask(path, st, "remove"))) return false;
    try {
      await ctx.unlink(path);
    } catch (err) {
      if (o.force && errCode(err) === "ENOENT") return true;
      await this.fail(path, err);
      return false;
    }
    if (o.verbose) await ctx.out(`removed ${quoteAlways(path)}\n`);
    return true;
  }
}
