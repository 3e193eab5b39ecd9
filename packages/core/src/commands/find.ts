/**
 * find: walks directory trees and evaluates an expression for every file, as GNU findutils
 * 4.9 find. The expression language lives in lib/find-expression.ts; this file handles the
 * command line (-H/-L/-P, starting points), the traversal (pre/post order, -maxdepth,
 * -mindepth, -xdev, symlink policies and loop detection), running -exec children through
 * ctx.spawn, and exit status. Entries are visited in the order readdir returns them.
 */
import { isKernelError } from "../fs/errors.ts";
import { O_CREAT, O_TRUNC, O_WRONLY, S_IFDIR, S_IFLNK, S_IFMT, type Stat } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { statusCode } from "../kernel/process.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError } from "./errors.ts";
import {
  evaluate,
  type FindOptions,
  FindUsageError,
  type ParsedExpression,
  parseExpression,
  type Runtime,
  startsExpression,
  type Visit,
} from "./lib/find-expression.ts";
import type { Names } from "./lib/find-printf.ts";
import { Output } from "./lib/line-io.ts";

class Quit extends Error {}

const USAGE = `Usage: find [-H] [-L] [-P] [-Olevel] [-D debugopts] [path...] [expression]
`;

async function readIdTable(ctx: ProcessContext, path: string): Promise<Map<string, number>> {
  const table = new Map<string, number>();
  try {
    const text = new TextDecoder().decode(await ctx.readFile(path));
    for (const line of text.split("\n")) {
      const fields = line.split(":");
      if (fields.length >= 3 && /^[0-9]+$/.test(fields[2]) && !table.has(fields[0]))
        table.set(fields[0], Number(fields[2]));
    }
  } catch {
    // No such table: only numeric ids work.
  }
  return table;
}

function invert(table: Map<string, number>): Map<number, string> {
  const out = new Map<number, string>();
  for (const [name, id] of table) if (!out.has(id)) out.set(id, name);
  return out;
}

function baseName(path: string, depth: number): string {
  if (depth > 0) return path.slice(path.lastIndexOf("/") + 1);
  const trimmed = path.replace(/\/+$/, "");
  if (trimmed === "") return path === "" ? "" : "/";
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

export const find: CommandDefinition = {
  name: "find",
  async main(ctx) {
    const args = ctx.argv.slice(1);
    const options: FindOptions = {
      follow: "P",
      maxDepth: Number.POSITIVE_INFINITY,
      minDepth: 0,
      depthFirst: false,
      xdev: false,
      ignoreReaddirRace: false,
    };
    let i = 0;
    for (; i < args.length; i++) {
      const a = args[i];
      if (a === "-H" || a === "-L" || a === "-P") options.follow = a[1] as "H" | "L" | "P";
      else if (a === "-D") {
        if (i + 1 >= args.length) {
          await ctx.err("find: Missing argument after the -D option.\n");
          return 1;
        }
        i++;
      } else if (/^-O[0-9]*$/.test(a)) continue;
      else if (a === "--") {
        i++;
        break;
      } else break;
    }
    const starts: string[] = [];
    while (i < args.length && !startsExpression(args[i])) starts.push(args[i++]);
    const exprArgs = args.slice(i);

    const users = await readIdTable(ctx, "/etc/passwd");
    const groups = await readIdTable(ctx, "/etc/group");
    const userNames = invert(users);
    const groupNames = invert(groups);
    const names: Names = {
      user: (uid) => userNames.get(uid),
      group: (gid) => groupNames.get(gid),
    };
    const now = Date.now();
    const tz = ctx.env.TZ;
    const out = new Output(ctx);
    let failed = false;

    let parsed: ParsedExpression;
    try {
      parsed = await parseExpression(
        exprArgs,
        {
          stat: (path, follow) => (follow ? ctx.stat(path) : ctx.lstat(path)),
          openOutput: async (path) => {
            const fd = await ctx.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o666);
            return { out: new Output(ctx, fd), fd };
          },
          users,
          groups,
          now,
          tz,
        },
        options,
      );
    } catch (err) {
      if (err instanceof FindUsageError) {
        if (err.message === "HELP") {
          await ctx.out(USAGE);
          return 0;
        }
        if (err.message === "VERSION") {
          await ctx.out("find (GNU findutils) 4.9.0\n");
          return 0;
        }
        await ctx.err(`find: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
    for (const warning of parsed.warnings) await ctx.err(`find: ${warning}\n`);
    if (starts.length === 0) starts.push(".");

    const rt: Runtime = {
      now,
      tz,
      names,
      out,
      async error(message) {
        await out.flush();
        await ctx.err(message);
      },
      setFailed() {
        failed = true;
      },
      quit(): never {
        throw new Quit();
      },
      async run(argv, cwd) {
        await out.flush();
        for (const o of parsed.outputs) await o.out.flush();
        let pid: number;
        try {
          pid = await ctx.spawn({
            argv,
            cwd: cwd === undefined ? ctx.cwd : ctx.resolvePath(cwd),
            env: ctx.env,
          });
        } catch (err) {
          if (!ctx.alive) throw err;
          // GNU's child reports the failed exec and exits 127; find itself carries on.
          await ctx.err(`find: '${argv[0]}': ${describeError(err)}\n`);
          return 127;
        }
        const waited = await ctx.waitpid(pid);
        if (!waited) return -1;
        if (waited.status.signal !== null)
          await ctx.err(`find: '${argv[0]}' terminated by signal ${waited.status.signal}\n`);
        return statusCode(waited.status);
      },
      async access(path, mode) {
        try {
          await ctx.access(path, mode);
          return true;
        } catch {
          return false;
        }
      },
      async isEmptyDir(path) {
        try {
          return (await ctx.readdir(path)).length === 0;
        } catch {
          return false;
        }
      },
      async remove(v) {
        if (v.path === "." || v.name === ".") return true;
        try {
          if ((v.lstat.mode & S_IFMT) === S_IFDIR) await ctx.rmdir(v.path);
          else await ctx.unlink(v.path);
          return true;
        } catch (err) {
          if (!ctx.alive) throw err;
          await rt.error(`find: cannot delete '${v.path}': ${describeError(err)}\n`);
          failed = true;
          return false;
        }
      },
      async readlink(path) {
        try {
          return await ctx.readlink(path);
        } catch {
          return undefined;
        }
      },
      async confirm(prompt) {
        await out.flush();
        await ctx.err(prompt);
        let line = "";
        for (;;) {
          const byte = await ctx.read(0, 1);
          if (byte === null || byte.length === 0) break;
          if (byte[0] === 0x0a) break;
          line += String.fromCharCode(byte[0]);
        }
        return /^[yY]/.test(line);
      },
    };

    const visit = async (
      path: string,
      start: string,
      depth: number,
      startDev: number,
      ancestors: Array<{ dev: number; ino: number; path: string }>,
    ): Promise<void> => {
      let lst: Stat;
      try {
        lst = await ctx.lstat(path);
      } catch (err) {
        if (!ctx.alive) throw err;
        if (depth > 0 && options.ignoreReaddirRace && isKernelError(err, "ENOENT")) return;
        await rt.error(`find: '${path}': ${describeError(err)}\n`);
        failed = true;
        return;
      }
      const follow = options.follow === "L" || (options.follow === "H" && depth === 0);
      let st = lst;
      let targetStat: Stat | null | undefined;
      if ((lst.mode & S_IFMT) === S_IFLNK) {
        try {
          targetStat = await ctx.stat(path);
        } catch (err) {
          if (!ctx.alive) throw err;
          targetStat = null;
        }
        if (follow && targetStat) st = targetStat;
      }
      const v: Visit = {
        path,
        start,
        depth,
        stat: st,
        lstat: lst,
        targetStat,
        name: baseName(path, depth),
        prune: false,
      };
      const isDir = (st.mode & S_IFMT) === S_IFDIR;
      if (isDir && follow && (lst.mode & S_IFMT) === S_IFLNK) {
        const loop = ancestors.find((a) => a.dev === st.dev && a.ino === st.ino);
        if (loop) {
          await rt.error(
            `find: File system loop detected; '${path}' is part of the same file system loop as '${loop.path}'.\n`,
          );
          failed = true;
          return;
        }
      }
      const doEval = depth >= options.minDepth;
      if (doEval && !options.depthFirst) await evaluate(parsed.expr, v, rt);
      const descend =
        isDir &&
        depth < options.maxDepth &&
        !v.prune &&
        !(options.xdev && depth > 0 && st.dev !== startDev);
      if (descend) {
        let entries: string[] | undefined;
        try {
          entries = (await ctx.readdir(path)).map((e) => e.name);
        } catch (err) {
          if (!ctx.alive) throw err;
          await rt.error(`find: '${path}': ${describeError(err)}\n`);
          failed = true;
        }
        if (entries) {
          const chain = [...ancestors, { dev: st.dev, ino: st.ino, path }];
          const prefix = path.endsWith("/") ? path : `${path}/`;
          for (const name of entries) await visit(prefix + name, start, depth + 1, startDev, chain);
        }
      }
      if (doEval && options.depthFirst) await evaluate(parsed.expr, v, rt);
      // -execdir ... + batches are per directory.
      if (isDir) for (const b of parsed.batches) if (b.dir) await b.flush(rt);
    };

    try {
      for (const start of starts) {
        if (start === "") {
          await rt.error("find: '': No such file or directory\n");
          failed = true;
          continue;
        }
        let dev = 0;
        try {
          const first = options.follow === "P" ? await ctx.lstat(start) : await ctx.stat(start);
          dev = first.dev;
        } catch {
          // visit() reports it.
        }
        await visit(start, start, 0, dev, []);
      }
    } catch (err) {
      if (!(err instanceof Quit)) throw err;
    }
    for (const batch of parsed.batches) await batch.flush(rt);
    await out.flush();
    for (const o of parsed.outputs) {
      await o.out.flush();
      ctx.close(o.fd);
    }
    return failed ? 1 : 0;
  },
};
