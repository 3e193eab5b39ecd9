/** ln: makes hard or symbolic links (GNU, with -s -f -n -v -T -t -r -L -P). */
import { S_IFDIR, S_IFLNK, S_IFMT, type Stat } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { parseArgs, UsageError, usageText } from "./lib/file-args.ts";
import { canonicalize, relativePath } from "./lib/file-path.ts";
import { quoteAlways, quoteMaybe } from "./lib/file-quote.ts";
import { baseName, dirName, errCode, errText, joinPath } from "./lib/file-util.ts";

export const ln: CommandDefinition = {
  name: "ln",
  async main(ctx) {
    let symbolic = false;
    let force = false;
    let noDeref = false;
    let verbose = false;
    let noTargetDir = false;
    let relative = false;
    let logical = false;
    let targetDir: string | undefined;
    let args: ReturnType<typeof parseArgs>;
    try {
      args = parseArgs(ctx.argv.slice(1), "bdfinrst:vFLPS:T", [
        { name: "symbolic", arg: "none", key: "s" },
        { name: "force", arg: "none", key: "f" },
        { name: "no-dereference", arg: "none", key: "n" },
        { name: "no-target-directory", arg: "none", key: "T" },
        { name: "target-directory", arg: "required", key: "t" },
        { name: "relative", arg: "none", key: "r" },
        { name: "verbose", arg: "none", key: "v" },
        { name: "logical", arg: "none", key: "L" },
        { name: "physical", arg: "none", key: "P" },
        { name: "interactive", arg: "none", key: "i" },
        { name: "backup", arg: "optional", key: "b" },
      ]);
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("ln", err.message));
        return 1;
      }
      throw err;
    }
    for (const { key, value, spelled } of args.options) {
      switch (key) {
        case "s":
          symbolic = true;
          break;
        case "f":
          force = true;
          break;
        case "n":
          noDeref = true;
          break;
        case "T":
          noTargetDir = true;
          break;
        case "t":
          targetDir = value;
          break;
        case "r":
          relative = true;
          break;
        case "v":
          verbose = true;
          break;
        case "L":
          logical = true;
          break;
        case "P":
          logical = false;
          break;
        case "i":
          // Without a terminal the answer is EOF: GNU then skips existing destinations.
          force = false;
          break;
        default:
          await ctx.err(`ln: option '${spelled}' is not supported\n`);
          return 1;
      }
    }
    if (relative && !symbolic) {
      await ctx.err("ln: cannot do --relative without --symbolic\n");
      return 1;
    }
    const ops = args.operands;
    if (ops.length === 0) {
      await ctx.err(usageText("ln", "missing file operand"));
      return 1;
    }
    const isDir = async (p: string): Promise<boolean> => {
      try {
        const st = noDeref ? await ctx.lstat(p) : await ctx.stat(p);
        return (st.mode & S_IFMT) === S_IFDIR;
      } catch {
        return false;
      }
    };
    const pairs: [string, string][] = [];
    if (targetDir !== undefined) {
      if (noTargetDir) {
        await ctx.err("ln: cannot combine --target-directory and --no-target-directory\n");
        return 1;
      }
      if (!(await isDir(targetDir))) {
        const why = await ctx.stat(targetDir).then(
          () => "Not a directory",
          (e: unknown) => errText(e),
        );
        await ctx.err(`ln: target directory ${quoteAlways(targetDir)}: ${why}\n`);
        return 1;
      }
      for (const src of ops) pairs.push([src, joinPath(targetDir, baseName(src))]);
    } else if (noTargetDir) {
      if (ops.length < 2) {
        await ctx.err(
          usageText("ln", `missing destination file operand after ${quoteAlways(ops[0])}`),
        );
        return 1;
      }
      if (ops.length > 2) {
        await ctx.err(usageText("ln", `extra operand ${quoteAlways(ops[2])}`));
        return 1;
      }
      pairs.push([ops[0], ops[1]]);
    } else if (ops.length === 1) {
      pairs.push([ops[0], baseName(ops[0])]);
    } else {
      const last = ops[ops.length - 1];
      if (await isDir(last)) {
        for (const src of ops.slice(0, -1)) pairs.push([src, joinPath(last, baseName(src))]);
      } else if (ops.length === 2) {
        pairs.push([ops[0], ops[1]]);
      } else {
        const why = await ctx.lstat(last).then(
          () => "Not a directory",
          (e: unknown) => errText(e),
        );
        await ctx.err(`ln: target ${quoteAlways(last)}: ${why}\n`);
        return 1;
      }
    }
    let status = 0;
    for (const [src, dest] of pairs) {
      try {
        let srcSt: Stat | undefined;
        if (!symbolic) {
          try {
            srcSt = logical ? await ctx.stat(src) : await ctx.lstat(src);
          } catch (err) {
            if (!ctx.alive) throw err;
            await ctx.err(`ln: failed to access ${quoteAlways(src)}: ${errText(err)}\n`);
            status = 1;
            continue;
          }
          if ((srcSt.mode & S_IFMT) === S_IFDIR) {
            await ctx.err(`ln: ${quoteMaybe(src)}: hard link not allowed for directory\n`);
            status = 1;
            continue;
          }
        }
        let destSt: Stat | undefined;
        try {
          destSt = await ctx.lstat(dest);
        } catch {
          destSt = undefined;
        }
        if (destSt && force) {
          const same = await sameFile(ctx, src, dest, symbolic, srcSt);
          if (same) {
            await ctx.err(`ln: ${quoteAlways(src)} and ${quoteAlways(dest)} are the same file\n`);
            status = 1;
            continue;
          }
          if ((destSt.mode & S_IFMT) === S_IFDIR) {
            await ctx.err(`ln: ${quoteAlways(dest)}: cannot overwrite directory\n`);
            status = 1;
            continue;
          }
          await ctx.unlink(dest);
        }
        let target = src;
        if (relative) {
          const absSrc = await canonicalize(ctx, src, "missing");
          const absDestDir = await canonicalize(ctx, dirName(dest), "missing");
          target = relativePath(absSrc, absDestDir);
        }
        try {
          if (symbolic) await ctx.symlink(target, dest);
          else if (logical && srcSt && (srcSt.mode & S_IFMT) !== S_IFLNK) {
            await ctx.link(await ctx.realpath(src), dest);
          } else await ctx.link(src, dest);
        } catch (err) {
          if (!ctx.alive) throw err;
          if (
            errCode(err) === "EEXIST" &&
            !symbolic &&
            (await sameFile(ctx, src, dest, false, srcSt))
          ) {
            await ctx.err(`ln: ${quoteAlways(src)} and ${quoteAlways(dest)} are the same file\n`);
            status = 1;
            continue;
          }
          const kind = symbolic ? "symbolic" : "hard";
          await ctx.err(
            `ln: failed to create ${kind} link ${quoteAlways(dest)}: ${errText(err)}\n`,
          );
          status = 1;
          continue;
        }
        if (verbose) {
          await ctx.out(`${quoteAlways(dest)} ${symbolic ? "->" : "=>"} ${quoteAlways(target)}\n`);
        }
      } catch (err) {
        if (!ctx.alive) throw err;
        await ctx.err(`ln: ${quoteAlways(dest)}: ${errText(err)}\n`);
        status = 1;
      }
    }
    return status;
  },
};

async function sameFile(
  ctx: Parameters<CommandDefinition["main"]>[0],
  src: string,
  dest: string,
  symbolic: boolean,
  srcSt: Stat | undefined,
): Promise<boolean> {
  try {
    const d = await ctx.lstat(dest);
    const s =
      srcSt ?? (symbolic ? await ctx.lstat(joinPath(dirName(dest), src)) : await ctx.lstat(src));
    return s.ino === d.ino && s.dev === d.dev;
  } catch {
    return false;
  }
}
