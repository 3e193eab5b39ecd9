/**
 * install: copies files and sets attributes (GNU: -m -d -D -o -g -v -t -T -p -C -s as a no-op
 * strip is not available). Destination files are replaced (unlinked first), mode 0755 default.
 */
import { S_IFDIR, S_IFMT } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { parseArgs, UsageError, usageText } from "./lib/file-args.ts";
import { Copier, defaultCopyOptions } from "./lib/file-copy.ts";
import { adjustMode, compileMode } from "./lib/file-mode.ts";
import { quoteAlways } from "./lib/file-quote.ts";
import { loadIdTables } from "./lib/file-users.ts";
import { baseName, dirName, errCode, errText, joinPath } from "./lib/file-util.ts";

export const install: CommandDefinition = {
  name: "install",
  async main(ctx) {
    let dirMode = false;
    let makeLeading = false;
    let verbose = false;
    let preserveTimes = false;
    let modeText: string | undefined;
    let owner: string | undefined;
    let group: string | undefined;
    let targetDir: string | undefined;
    let noTargetDir = false;
    let args: ReturnType<typeof parseArgs>;
    try {
      args = parseArgs(ctx.argv.slice(1), "bcCdDg:m:o:psS:t:TvZ", [
        { name: "directory", arg: "none", key: "d" },
        { name: "group", arg: "required", key: "g" },
        { name: "mode", arg: "required", key: "m" },
        { name: "owner", arg: "required", key: "o" },
        { name: "preserve-timestamps", arg: "none", key: "p" },
        { name: "strip", arg: "none", key: "s" },
        { name: "target-directory", arg: "required", key: "t" },
        { name: "no-target-directory", arg: "none", key: "T" },
        { name: "verbose", arg: "none", key: "v" },
        { name: "compare", arg: "none", key: "C" },
      ]);
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("install", err.message));
        return 1;
      }
      throw err;
    }
    for (const { key, value, spelled } of args.options) {
      switch (key) {
        case "c":
        case "C":
        case "s":
          break;
        case "d":
          dirMode = true;
          break;
        case "D":
          makeLeading = true;
          break;
        case "g":
          group = value;
          break;
        case "m":
          modeText = value;
          break;
        case "o":
          owner = value;
          break;
        case "p":
          preserveTimes = true;
          break;
        case "t":
          targetDir = value;
          break;
        case "T":
          noTargetDir = true;
          break;
        case "v":
          verbose = true;
          break;
        default:
          await ctx.err(`install: option '${spelled}' is not supported\n`);
          return 1;
      }
    }
    let mode = 0o755;
    if (modeText !== undefined) {
      const change = compileMode(modeText);
      if (!change) {
        await ctx.err(`install: invalid mode ${quoteAlways(modeText)}\n`);
        return 1;
      }
      mode = adjustMode(0o755, false, 0, change);
    }
    const ids = await loadIdTables(ctx);
    let uid = -1;
    let gid = -1;
    if (owner !== undefined) {
      const u = ids.uidOf(owner) ?? (/^\d+$/.test(owner) ? Number(owner) : undefined);
      if (u === undefined) {
        await ctx.err(`install: invalid user ${quoteAlways(owner)}\n`);
        return 1;
      }
      uid = u;
    }
    if (group !== undefined) {
      const g = ids.gidOf(group) ?? (/^\d+$/.test(group) ? Number(group) : undefined);
      if (g === undefined) {
        await ctx.err(`install: invalid group ${quoteAlways(group)}\n`);
        return 1;
      }
      gid = g;
    }
    const ops = args.operands;
    let status = 0;
    const setOwner = async (path: string): Promise<boolean> => {
      if (uid === -1 && gid === -1) return true;
      try {
        await ctx.chown(path, uid, gid);
        return true;
      } catch (err) {
        if (!ctx.alive) throw err;
        await ctx.err(
          `install: cannot change ownership of ${quoteAlways(path)}: ${errText(err)}\n`,
        );
        status = 1;
        return false;
      }
    };
    if (dirMode) {
      if (ops.length === 0) {
        await ctx.err(usageText("install", "missing file operand"));
        return 1;
      }
      for (const d of ops) {
        if (!(await makeDirs(ctx, d, verbose, modeText === undefined ? 0o755 : mode, true))) {
          status = 1;
          continue;
        }
        await setOwner(d);
      }
      return status;
    }
    if (ops.length === 0) {
      await ctx.err(usageText("install", "missing file operand"));
      return 1;
    }
    const pairs: [string, string][] = [];
    if (targetDir !== undefined) {
      if (makeLeading && !(await makeDirs(ctx, targetDir, verbose, 0o755, false))) return 1;
      for (const s of ops) pairs.push([s, joinPath(targetDir, baseName(s))]);
    } else {
      if (ops.length === 1) {
        await ctx.err(
          usageText("install", `missing destination file operand after ${quoteAlways(ops[0])}`),
        );
        return 1;
      }
      const last = ops[ops.length - 1];
      const lastIsDir =
        !noTargetDir &&
        (await ctx.stat(last).then(
          (st) => (st.mode & S_IFMT) === S_IFDIR,
          () => false,
        ));
      if (lastIsDir) for (const s of ops.slice(0, -1)) pairs.push([s, joinPath(last, baseName(s))]);
      else if (ops.length > 2) {
        const why = await ctx.stat(last).then(
          () => "Not a directory",
          (e: unknown) => errText(e),
        );
        await ctx.err(`install: target ${quoteAlways(last)}: ${why}\n`);
        return 1;
      } else {
        if (makeLeading && !(await makeDirs(ctx, dirName(last), verbose, 0o755, false))) return 1;
        pairs.push([ops[0], last]);
      }
    }
    const copyOpts = defaultCopyOptions("install");
    copyOpts.removeDestination = true;
    copyOpts.mode = mode;
    copyOpts.preserveTimes = preserveTimes;
    copyOpts.verbose = verbose;
    const copier = new Copier(ctx, copyOpts);
    for (const [src, dest] of pairs) {
      const st = await ctx.stat(src).catch(async (err: unknown) => {
        if (!ctx.alive) throw err;
        await ctx.err(`install: cannot stat ${quoteAlways(src)}: ${errText(err)}\n`);
        return undefined;
      });
      if (!st) {
        status = 1;
        continue;
      }
      if ((st.mode & S_IFMT) === S_IFDIR) {
        await ctx.err(`install: omitting directory ${quoteAlways(src)}\n`);
        status = 1;
        continue;
      }
      if (!(await copier.copyTop(src, dest))) {
        status = 1;
        continue;
      }
      await setOwner(dest);
    }
    return copier.status || status;
  },
};

/** mkdir -p with install's verbose wording; the last directory gets `mode` when `modeLast`. */
async function makeDirs(
  ctx: ProcessContext,
  path: string,
  verbose: boolean,
  mode: number,
  modeLast: boolean,
): Promise<boolean> {
  const parts = path.split("/");
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join("/");
    if (prefix === "" || parts[i - 1] === "" || parts[i - 1] === "." || parts[i - 1] === "..") {
      continue;
    }
    try {
      await ctx.mkdir(prefix, 0o755);
      if (verbose) await ctx.out(`install: creating directory ${quoteAlways(prefix)}\n`);
      await ctx.chmod(prefix, i === parts.length && modeLast ? mode : 0o755);
    } catch (err) {
      if (!ctx.alive) throw err;
      if (errCode(err) === "EEXIST") {
        const isDir = await ctx.stat(prefix).then(
          (st) => (st.mode & S_IFMT) === S_IFDIR,
          () => false,
        );
        if (isDir) {
          if (i === parts.length && modeLast) await ctx.chmod(prefix, mode).catch(() => undefined);
          continue;
        }
      }
      await ctx.err(`install: cannot create directory ${quoteAlways(prefix)}: ${errText(err)}\n`);
      return false;
    }
  }
  return true;
}
