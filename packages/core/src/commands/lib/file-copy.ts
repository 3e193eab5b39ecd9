/**
 * The copying engine shared by cp, mv (across mounts) and install: regular files are streamed
 * chunk by chunk, directories recursively, symlinks copied or followed, with GNU cp's
 * overwrite rules (-n, -i, -f, -u), attribute preservation (-p/-a) and messages.
 */
import {
  O_CREAT,
  O_RDONLY,
  O_TRUNC,
  O_WRONLY,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  type Stat,
} from "../../fs/types.ts";
import type { ProcessContext } from "../../kernel/process-context.ts";
import { confirm } from "./file-prompt.ts";
import { quoteAlways } from "./file-quote.ts";
import { errCode, errText, joinPath, normalizeAbs } from "./file-util.ts";

export interface CopyOptions {
  /** Program name for messages ("cp", "mv", "install"). */
  cmd: string;
  recursive: boolean;
  /** "never" copies symlinks as symlinks; "always" follows them; "cmdline" only operands. */
  deref: "never" | "always" | "cmdline";
  preserveMode: boolean;
  preserveOwner: boolean;
  preserveTimes: boolean;
  /** What to do with an existing destination. */
  overwrite: "yes" | "no-clobber" | "interactive";
  force: boolean;
  update: boolean;
  verbose: boolean;
  /** -s / -l: make links instead of copies. */
  link: "none" | "symbolic" | "hard";
  /** Removing the destination before copying (install; cp --remove-destination). */
  removeDestination: boolean;
  /** Mode for new files instead of the source's (install -m). */
  mode?: number;
}

export function defaultCopyOptions(cmd: string): CopyOptions {
  return {
    cmd,
    recursive: false,
    deref: "always",
    preserveMode: false,
    preserveOwner: false,
    preserveTimes: false,
    overwrite: "yes",
    force: false,
    update: false,
    verbose: false,
    link: "none",
    removeDestination: false,
  };
}

const isDir = (st: Stat | undefined): boolean => !!st && (st.mode & S_IFMT) === S_IFDIR;

export class Copier {
  readonly ctx: ProcessContext;
  readonly o: CopyOptions;
  status = 0;

  constructor(ctx: ProcessContext, o: CopyOptions) {
    this.ctx = ctx;
    this.o = o;
  }

  async error(message: string): Promise<void> {
    await this.ctx.err(`${this.o.cmd}: ${message}\n`);
    this.status = 1;
  }

  async fail(message: string, err: unknown): Promise<void> {
    if (!this.ctx.alive) throw err;
    await this.error(`${message}: ${errText(err)}`);
  }

  /** Copies operand `src` to `dest` (the final path). Returns true on success. */
  async copyTop(src: string, dest: string): Promise<boolean> {
    const ctx = this.ctx;
    let st: Stat;
    try {
      st = this.o.deref === "never" ? await ctx.lstat(src) : await ctx.stat(src);
    } catch (err) {
      await this.fail(`cannot stat ${quoteAlways(src)}`, err);
      return false;
    }
    if (isDir(st) && !this.o.recursive) {
      await this.error(`-r not specified; omitting directory ${quoteAlways(src)}`);
      return false;
    }
    if (isDir(st)) {
      const absSrc = normalizeAbs(ctx.resolvePath(src));
      const absDest = normalizeAbs(ctx.resolvePath(dest));
      if (absDest === absSrc || absDest.startsWith(`${absSrc}/`)) {
        if (absDest === absSrc) {
          await this.error(`${quoteAlways(src)} and ${quoteAlways(dest)} are the same file`);
        } else {
          await this.error(
            `cannot copy a directory, ${quoteAlways(src)}, into itself, ${quoteAlways(dest)}`,
          );
        }
        return false;
      }
    }
    return await this.copyAny(src, dest, st, true);
  }

  async copyAny(src: string, dest: string, st: Stat, top: boolean): Promise<boolean> {
    const ctx = this.ctx;
    const o = this.o;
    let destSt: Stat | undefined;
    try {
      destSt = await ctx.lstat(dest);
    } catch (err) {
      const code = errCode(err);
      if (code !== "ENOENT") {
        if (code === "ENOTDIR" && top) {
          await this.fail(`cannot stat ${quoteAlways(dest)}`, err);
          return false;
        }
      }
      destSt = undefined;
    }
    // A symlink destination is followed for the type checks, as GNU does with stat().
    let destTarget = destSt;
    if (destSt && (destSt.mode & S_IFMT) === S_IFLNK) {
      destTarget = await ctx.stat(dest).catch(() => destSt);
    }
    if (
      destTarget &&
      destTarget.ino === st.ino &&
      destTarget.dev === st.dev &&
      o.link !== "symbolic"
    ) {
      await this.error(`${quoteAlways(src)} and ${quoteAlways(dest)} are the same file`);
      return false;
    }
    if (isDir(st)) {
      if (destTarget && !isDir(destTarget)) {
        await this.error(
          `cannot overwrite non-directory ${quoteAlways(dest)} with directory ${quoteAlways(src)}`,
        );
        return false;
      }
      return await this.copyDir(src, dest, st, destTarget !== undefined);
    }
    if (destTarget && isDir(destTarget)) {
      await this.error(`cannot overwrite directory ${quoteAlways(dest)} with non-directory`);
      return false;
    }
    if (destSt) {
      if (o.overwrite === "no-clobber") return true;
      if (o.update && destSt.mtimeMs >= st.mtimeMs) return true;
      if (o.overwrite === "interactive") {
        if (!(await confirm(ctx, `${o.cmd}: overwrite ${quoteAlways(dest)}? `))) return true;
      }
      if (o.removeDestination || o.link !== "none" || (st.mode & S_IFMT) === S_IFLNK) {
        try {
          await ctx.unlink(dest);
        } catch (err) {
          await this.fail(`cannot remove ${quoteAlways(dest)}`, err);
          return false;
        }
        destSt = undefined;
      }
    }
    if (o.link === "symbolic") {
      try {
        await ctx.symlink(src, dest);
      } catch (err) {
        await this.fail(
          `cannot create symbolic link ${quoteAlways(dest)} to ${quoteAlways(src)}`,
          err,
        );
        return false;
      }
      await this.verbose(src, dest);
      return true;
    }
    if (o.link === "hard") {
      try {
        await ctx.link(src, dest);
      } catch (err) {
        await this.fail(`cannot create hard link ${quoteAlways(dest)} to ${quoteAlways(src)}`, err);
        return false;
      }
      await this.verbose(src, dest);
      return true;
    }
    if ((st.mode & S_IFMT) === S_IFLNK) {
      try {
        const target = await ctx.readlink(src);
        await ctx.symlink(target, dest);
        if (o.preserveOwner) await ctx.chown(dest, st.uid, st.gid, false).catch(() => undefined);
      } catch (err) {
        await this.fail(`cannot create symbolic link ${quoteAlways(dest)}`, err);
        return false;
      }
      await this.verbose(src, dest);
      return true;
    }
    if ((st.mode & S_IFMT) !== S_IFREG) {
      await this.error(`cannot copy special file ${quoteAlways(src)}`);
      return false;
    }
    if (dest.endsWith("/") && !destSt) {
      // Linux refuses to create "x/" as a regular file; the kernel here does not check.
      await this.error(`cannot create regular file ${quoteAlways(dest)}: Not a directory`);
      return false;
    }
    const ok = await this.copyFile(src, dest, st, destSt !== undefined);
    if (ok) await this.verbose(src, dest);
    return ok;
  }

  async verbose(src: string, dest: string): Promise<void> {
    if (this.o.verbose) await this.ctx.out(`${quoteAlways(src)} -> ${quoteAlways(dest)}\n`);
  }

  async copyFile(src: string, dest: string, st: Stat, existed: boolean): Promise<boolean> {
    const ctx = this.ctx;
    const o = this.o;
    let inFd: number;
    try {
      inFd = await ctx.open(src, O_RDONLY);
    } catch (err) {
      await this.fail(`cannot open ${quoteAlways(src)} for reading`, err);
      return false;
    }
    try {
      let outFd: number;
      const createMode = o.mode ?? st.mode & 0o777;
      try {
        outFd = await ctx.open(dest, O_WRONLY | O_CREAT | O_TRUNC, createMode);
      } catch (err) {
        if (existed && o.force && errCode(err) !== "ENOENT") {
          try {
            await ctx.unlink(dest);
            existed = false;
            outFd = await ctx.open(dest, O_WRONLY | O_CREAT | O_TRUNC, createMode);
          } catch (err2) {
            await this.fail(`cannot create regular file ${quoteAlways(dest)}`, err2);
            return false;
          }
        } else {
          const what = existed ? "cannot open" : "cannot create regular file";
          await this.fail(`${what} ${quoteAlways(dest)}${existed ? " for writing" : ""}`, err);
          return false;
        }
      }
      try {
        for (;;) {
          const chunk = await ctx.read(inFd, 65536);
          if (chunk === null || chunk.length === 0) break;
          await ctx.write(outFd, chunk);
        }
      } catch (err) {
        if (!ctx.alive) throw err;
        await this.fail(`error writing ${quoteAlways(dest)}`, err);
        return false;
      } finally {
        ctx.close(outFd);
      }
    } finally {
      ctx.close(inFd);
    }
    await this.applyAttributes(dest, st, o.mode !== undefined);
    return true;
  }

  async applyAttributes(dest: string, st: Stat, forceMode: boolean): Promise<void> {
    const ctx = this.ctx;
    const o = this.o;
    if (o.preserveTimes) {
      try {
        await ctx.utimes(dest, st.atimeMs, st.mtimeMs);
      } catch (err) {
        await this.fail(`preserving times for ${quoteAlways(dest)}`, err);
      }
    }
    if (o.preserveOwner) {
      try {
        await ctx.chown(dest, st.uid, st.gid);
      } catch {
        // GNU cp -p silently keeps the copier's ownership when it may not give files away;
        // it still tries to keep the group.
        await ctx.chown(dest, -1, st.gid).catch(() => undefined);
      }
    }
    if (o.preserveMode || forceMode) {
      try {
        await ctx.chmod(dest, o.mode ?? st.mode & 0o7777);
      } catch (err) {
        await this.fail(`preserving permissions for ${quoteAlways(dest)}`, err);
      }
    }
  }

  async copyDir(src: string, dest: string, st: Stat, exists: boolean): Promise<boolean> {
    const ctx = this.ctx;
    if (!exists) {
      try {
        await ctx.mkdir(dest, (st.mode & 0o777) | 0o700);
      } catch (err) {
        await this.fail(`cannot create directory ${quoteAlways(dest)}`, err);
        return false;
      }
      await this.verbose(src, dest);
    }
    let names: string[];
    try {
      names = (await ctx.readdir(src)).map((d) => d.name);
    } catch (err) {
      await this.fail(`cannot access ${quoteAlways(src)}`, err);
      return false;
    }
    let ok = true;
    for (const name of names) {
      const s = joinPath(src, name);
      const d = joinPath(dest, name);
      let cst: Stat;
      try {
        cst = this.o.deref === "always" ? await ctx.stat(s) : await ctx.lstat(s);
      } catch (err) {
        await this.fail(`cannot stat ${quoteAlways(s)}`, err);
        ok = false;
        continue;
      }
      if (!(await this.copyAny(s, d, cst, false))) ok = false;
    }
    await this.applyAttributes(dest, st, false);
    if (!exists && !this.o.preserveMode && (st.mode & 0o700) !== 0o700) {
      await ctx.chmod(dest, st.mode & 0o777 & ~ctx.umask).catch(() => undefined);
    }
    return ok;
  }
}
