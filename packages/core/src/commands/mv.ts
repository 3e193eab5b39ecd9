/** mv: moves (renames) files (GNU: -f -i -n -u -v -T -t); across mounts it copies then removes. */
import { S_IFDIR, S_IFLNK, S_IFMT, type Stat } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { parseArgs, UsageError, usageText } from "./lib/file-args.ts";
import { Copier, defaultCopyOptions } from "./lib/file-copy.ts";
import { confirm } from "./lib/file-prompt.ts";
import { quoteAlways } from "./lib/file-quote.ts";
import { baseName, errCode, errText, joinPath, normalizeAbs } from "./lib/file-util.ts";

export const mv: CommandDefinition = {
  name: "mv",
  async main(ctx) {
    let mode: "force" | "interactive" | "no-clobber" = "force";
    let update = false;
    let verbose = false;
    let noTargetDir = false;
    let targetDir: string | undefined;
    let args: ReturnType<typeof parseArgs>;
    try {
      args = parseArgs(ctx.argv.slice(1), "bfint:uvS:TZ", [
        { name: "force", arg: "none", key: "f" },
        { name: "interactive", arg: "none", key: "i" },
        { name: "no-clobber", arg: "none", key: "n" },
        { name: "target-directory", arg: "required", key: "t" },
        { name: "no-target-directory", arg: "none", key: "T" },
        { name: "update", arg: "optional", key: "u" },
        { name: "verbose", arg: "none", key: "v" },
        { name: "strip-trailing-slashes", arg: "none", key: "strip" },
        { name: "backup", arg: "optional", key: "b" },
        { name: "suffix", arg: "required", key: "S" },
      ]);
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("mv", err.message));
        return 1;
      }
      throw err;
    }
    let strip = false;
    for (const { key, value, spelled } of args.options) {
      switch (key) {
        case "f":
          mode = "force";
          break;
        case "i":
          mode = "interactive";
          break;
        case "n":
          mode = "no-clobber";
          break;
        case "t":
          targetDir = value;
          break;
        case "T":
          noTargetDir = true;
          break;
        case "u":
          update = value === undefined || value === "older";
          break;
        case "v":
          verbose = true;
          break;
        case "strip":
          strip = true;
          break;
        default:
          await ctx.err(`mv: option '${spelled}' is not supported\n`);
          return 1;
      }
    }
    const ops = strip ? args.operands.map((p) => p.replace(/(.)\/+$/, "$1")) : args.operands;
    if (ops.length === 0) {
      await ctx.err(usageText("mv", "missing file operand"));
      return 1;
    }
    const isDirPath = async (p: string): Promise<boolean> =>
      ctx.stat(p).then(
        (st) => (st.mode & S_IFMT) === S_IFDIR,
        () => false,
      );
    const pairs: [string, string][] = [];
    if (targetDir !== undefined) {
      const why = await ctx.stat(targetDir).then(
        (st) => ((st.mode & S_IFMT) === S_IFDIR ? undefined : "Not a directory"),
        (e: unknown) => errText(e),
      );
      if (why) {
        await ctx.err(`mv: target directory ${quoteAlways(targetDir)}: ${why}\n`);
        return 1;
      }
      for (const src of ops) pairs.push([src, joinPath(targetDir, baseName(src))]);
    } else {
      if (ops.length === 1) {
        await ctx.err(
          usageText("mv", `missing destination file operand after ${quoteAlways(ops[0])}`),
        );
        return 1;
      }
      const last = ops[ops.length - 1];
      if (noTargetDir) {
        if (ops.length > 2) {
          await ctx.err(usageText("mv", `extra operand ${quoteAlways(ops[2])}`));
          return 1;
        }
        pairs.push([ops[0], ops[1]]);
      } else if (await isDirPath(last)) {
        for (const src of ops.slice(0, -1)) pairs.push([src, joinPath(last, baseName(src))]);
      } else if (ops.length > 2) {
        const why = await ctx.stat(last).then(
          () => "Not a directory",
          (e: unknown) => errText(e),
        );
        await ctx.err(`mv: target ${quoteAlways(last)}: ${why}\n`);
        return 1;
      } else pairs.push([ops[0], last]);
    }
    let status = 0;
    for (const [src, dest] of pairs) {
      if (!(await moveOne(ctx, src, dest, { mode, update, verbose }))) status = 1;
    }
    return status;
  },
};

interface MoveOptions {
  mode: "force" | "interactive" | "no-clobber";
  update: boolean;
  verbose: boolean;
}

async function moveOne(
  ctx: ProcessContext,
  src: string,
  dest: string,
  o: MoveOptions,
): Promise<boolean> {
  const fail = async (message: string): Promise<false> => {
    await ctx.err(`mv: ${message}\n`);
    return false;
  };
  let st: Stat;
  try {
    st = await ctx.lstat(src);
  } catch (err) {
    if (!ctx.alive) throw err;
    return await fail(`cannot stat ${quoteAlways(src)}: ${errText(err)}`);
  }
  let destSt: Stat | undefined;
  try {
    destSt = await ctx.lstat(dest);
  } catch {
    destSt = undefined;
  }
  const isDir = (s: Stat): boolean => (s.mode & S_IFMT) === S_IFDIR;
  if (destSt) {
    if (destSt.ino === st.ino && destSt.dev === st.dev) {
      return await fail(`${quoteAlways(src)} and ${quoteAlways(dest)} are the same file`);
    }
    if (o.mode === "no-clobber") return true;
    if (o.update && destSt.mtimeMs >= st.mtimeMs) return true;
    if (isDir(st) && !isDir(destSt)) {
      return await fail(
        `cannot overwrite non-directory ${quoteAlways(dest)} with directory ${quoteAlways(src)}`,
      );
    }
    if (!isDir(st) && isDir(destSt)) {
      return await fail(`cannot overwrite directory ${quoteAlways(dest)} with non-directory`);
    }
    if (o.mode === "interactive") {
      if (!(await confirm(ctx, `mv: overwrite ${quoteAlways(dest)}? `))) return true;
    }
  }
  if (isDir(st)) {
    const absSrc = normalizeAbs(ctx.resolvePath(src));
    const absDest = normalizeAbs(ctx.resolvePath(dest));
    if (absDest.startsWith(`${absSrc}/`)) {
      return await fail(
        `cannot move ${quoteAlways(src)} to a subdirectory of itself, ${quoteAlways(dest)}`,
      );
    }
  }
  if (dest.endsWith("/") && !isDir(st) && !destSt) {
    // The kernel accepts rename("a", "x/"); Linux refuses a trailing slash on a non-directory.
    return await fail(`cannot move ${quoteAlways(src)} to ${quoteAlways(dest)}: Not a directory`);
  }
  try {
    await ctx.rename(src, dest);
  } catch (err) {
    if (!ctx.alive) throw err;
    if (errCode(err) !== "EXDEV") {
      return await fail(`cannot move ${quoteAlways(src)} to ${quoteAlways(dest)}: ${errText(err)}`);
    }
    // Across mounts: copy everything (keeping attributes), then remove the source.
    if (destSt && isDir(destSt)) {
      const empty = (await ctx.readdir(dest)).length === 0;
      if (!empty) {
        return await fail(
          `cannot move ${quoteAlways(src)} to ${quoteAlways(dest)}: Directory not empty`,
        );
      }
    }
    if (destSt && !isDir(destSt)) await ctx.unlink(dest).catch(() => undefined);
    const copyOpts = defaultCopyOptions("mv");
    copyOpts.recursive = true;
    copyOpts.deref = "never";
    copyOpts.preserveMode = copyOpts.preserveOwner = copyOpts.preserveTimes = true;
    const copier = new Copier(ctx, copyOpts);
    if (!(await copier.copyTop(src, dest))) return false;
    if (!(await removeTree(ctx, src, st))) return false;
  }
  if (o.verbose) await ctx.out(`renamed ${quoteAlways(src)} -> ${quoteAlways(dest)}\n`);
  return true;
}

async function removeTree(ctx: ProcessContext, path: string, st: Stat): Promise<boolean> {
  try {
    if ((st.mode & S_IFMT) === S_IFDIR && (st.mode & S_IFMT) !== S_IFLNK) {
      for (const entry of await ctx.readdir(path)) {
        const child = joinPath(path, entry.name);
        if (!(await removeTree(ctx, child, await ctx.lstat(child)))) return false;
      }
      await ctx.rmdir(path);
    } else await ctx.unlink(path);
    return true;
  } catch (err) {
    if (!ctx.alive) throw err;
    await ctx.err(`mv: cannot remove ${quoteAlways(path)}: ${errText(err)}\n`);
    return false;
  }
}
