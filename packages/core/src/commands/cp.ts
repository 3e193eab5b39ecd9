/** cp: copies files and directories (GNU: -r -a -p -d -n -i -f -u -v -T -t -L -P -H -s -l). */
import { S_IFDIR, S_IFMT } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { parseArgs, UsageError, usageText } from "./lib/file-args.ts";
import { Copier, defaultCopyOptions } from "./lib/file-copy.ts";
import { quoteAlways } from "./lib/file-quote.ts";
import { baseName, errText, joinPath } from "./lib/file-util.ts";

export const cp: CommandDefinition = {
  name: "cp",
  async main(ctx) {
    const o = defaultCopyOptions("cp");
    let deref: "never" | "always" | "cmdline" | undefined;
    let noTargetDir = false;
    let targetDir: string | undefined;
    let parents = false;
    let args: ReturnType<typeof parseArgs>;
    try {
      args = parseArgs(ctx.argv.slice(1), "abdfHilLnprst:uvxPRS:TZ", [
        { name: "archive", arg: "none", key: "a" },
        { name: "force", arg: "none", key: "f" },
        { name: "interactive", arg: "none", key: "i" },
        { name: "link", arg: "none", key: "l" },
        { name: "dereference", arg: "none", key: "L" },
        { name: "no-clobber", arg: "none", key: "n" },
        { name: "no-dereference", arg: "none", key: "P" },
        { name: "preserve", arg: "optional", key: "preserve" },
        { name: "no-preserve", arg: "required", key: "no-preserve" },
        { name: "parents", arg: "none", key: "parents" },
        { name: "recursive", arg: "none", key: "R" },
        { name: "remove-destination", arg: "none", key: "remove-destination" },
        { name: "symbolic-link", arg: "none", key: "s" },
        { name: "target-directory", arg: "required", key: "t" },
        { name: "no-target-directory", arg: "none", key: "T" },
        { name: "update", arg: "optional", key: "u" },
        { name: "verbose", arg: "none", key: "v" },
        { name: "one-file-system", arg: "none", key: "x" },
        { name: "backup", arg: "optional", key: "b" },
        { name: "suffix", arg: "required", key: "S" },
      ]);
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("cp", err.message));
        return 1;
      }
      throw err;
    }
    const preserve = async (list: string, on: boolean): Promise<boolean> => {
      for (const item of list.split(",")) {
        if (item === "mode") o.preserveMode = on;
        else if (item === "ownership") o.preserveOwner = on;
        else if (item === "timestamps") o.preserveTimes = on;
        else if (item === "all") {
          o.preserveMode = o.preserveOwner = o.preserveTimes = on;
        } else if (item === "links" || item === "context" || item === "xattr") {
          // Hard links between copied files are not re-created; contexts/xattrs do not exist.
        } else {
          await ctx.err(
            `cp: invalid argument '${item}' for '--${on ? "" : "no-"}preserve'\nValid arguments are:\n  - 'mode'\n  - 'timestamps'\n  - 'ownership'\n  - 'links'\n  - 'context'\n  - 'xattr'\n  - 'all'\nTry 'cp --help' for more information.\n`,
          );
          return false;
        }
      }
      return true;
    };
    for (const { key, value, spelled } of args.options) {
      switch (key) {
        case "a":
          o.recursive = true;
          deref = "never";
          o.preserveMode = o.preserveOwner = o.preserveTimes = true;
          break;
        case "d":
          deref = "never";
          break;
        case "f":
          o.force = true;
          break;
        case "i":
          o.overwrite = "interactive";
          break;
        case "n":
          o.overwrite = "no-clobber";
          break;
        case "l":
          o.link = "hard";
          break;
        case "s":
          o.link = "symbolic";
          break;
        case "L":
          deref = "always";
          break;
        case "P":
          deref = "never";
          break;
        case "H":
          deref = "cmdline";
          break;
        case "p":
          o.preserveMode = o.preserveOwner = o.preserveTimes = true;
          break;
        case "preserve":
          if (!(await preserve(value ?? "mode,ownership,timestamps", true))) return 1;
          break;
        case "no-preserve":
          if (!(await preserve(value ?? "", false))) return 1;
          break;
        case "r":
        case "R":
          o.recursive = true;
          break;
        case "remove-destination":
          o.removeDestination = true;
          break;
        case "parents":
          parents = true;
          break;
        case "t":
          targetDir = value;
          break;
        case "T":
          noTargetDir = true;
          break;
        case "u":
          o.update = value === undefined || value === "older";
          break;
        case "v":
          o.verbose = true;
          break;
        case "x":
          break;
        default:
          await ctx.err(`cp: option '${spelled}' is not supported\n`);
          return 1;
      }
    }
    o.deref = deref ?? (o.recursive ? "never" : "always");
    const ops = args.operands;
    if (ops.length === 0) {
      await ctx.err(usageText("cp", "missing file operand"));
      return 1;
    }
    const isDirPath = async (p: string): Promise<boolean> =>
      ctx.stat(p).then(
        (st) => (st.mode & S_IFMT) === S_IFDIR,
        () => false,
      );
    const pairs: [string, string][] = [];
    if (targetDir !== undefined) {
      if (noTargetDir) {
        await ctx.err(
          "cp: cannot combine --target-directory (-t) and --no-target-directory (-T)\n",
        );
        return 1;
      }
      const why = await ctx.stat(targetDir).then(
        (st) => ((st.mode & S_IFMT) === S_IFDIR ? undefined : "Not a directory"),
        (e: unknown) => errText(e),
      );
      if (why) {
        await ctx.err(`cp: target directory ${quoteAlways(targetDir)}: ${why}\n`);
        return 1;
      }
      for (const src of ops) pairs.push([src, joinPath(targetDir, destName(src, parents))]);
    } else {
      if (ops.length === 1) {
        await ctx.err(
          usageText("cp", `missing destination file operand after ${quoteAlways(ops[0])}`),
        );
        return 1;
      }
      const last = ops[ops.length - 1];
      if (noTargetDir) {
        if (ops.length > 2) {
          await ctx.err(usageText("cp", `extra operand ${quoteAlways(ops[2])}`));
          return 1;
        }
        pairs.push([ops[0], ops[1]]);
      } else if (await isDirPath(last)) {
        for (const src of ops.slice(0, -1))
          pairs.push([src, joinPath(last, destName(src, parents))]);
      } else if (ops.length > 2 || parents) {
        const why = await ctx.stat(last).then(
          () => "Not a directory",
          (e: unknown) => errText(e),
        );
        if (parents && ops.length === 2) {
          await ctx.err(usageText("cp", `with --parents, the destination must be a directory`));
        } else await ctx.err(`cp: target ${quoteAlways(last)}: ${why}\n`);
        return 1;
      } else pairs.push([ops[0], last]);
    }
    const copier = new Copier(ctx, o);
    for (const [src, dest] of pairs) {
      if (parents) {
        const dir = dest.slice(0, dest.lastIndexOf("/"));
        const parts = dir.split("/");
        for (let i = 1; i <= parts.length; i++) {
          const prefix = parts.slice(0, i).join("/");
          if (prefix === "" || prefix === ".") continue;
          await ctx.mkdir(prefix).catch(() => undefined);
        }
      }
      await copier.copyTop(src, dest);
    }
    return copier.status;
  },
};

function destName(src: string, parents: boolean): string {
  if (parents) return src.replace(/^\/+/, "");
  return baseName(src);
}
