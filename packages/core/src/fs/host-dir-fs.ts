/**
 * A backend that maps a directory of the host onto the VM: backend path "/a/b" is
 * `<hostPath>/a/b`.
 *
 * Containment is the whole point. A guest must not reach a host file outside `hostPath`:
 *
 * - Paths are normalised lexically first, so ".." can never climb above the mount root.
 * - Before touching the last component, the real path of its parent directory must be
 *   exactly `<realpath(hostPath)>/<parent>`; if it is not (an intermediate component is a
 *   symlink, a file or missing) the components are walked with lstat to report ENOTDIR or
 *   ENOENT, as the `VfsBackend` contract asks. Symlinks are never followed by this backend:
 *   the namespace above resolves them in VM terms.
 * - The last component is only ever used through calls that do not follow it (lstat,
 *   readlink, lchown, lutimes, rename, unlink, rmdir, link) or opened with O_NOFOLLOW. Calls
 *   that would follow it (chmod, readdir) are preceded by an lstat in the same synchronous
 *   run.
 * - All host calls are synchronous, so no other guest operation can run between a
 *   containment check and the call that relies on it (the kernel is single-threaded).
 *   Changes made concurrently by *host* processes inside the directory are outside this
 *   model (Node has no openat/O_PATH to close that window).
 * - Opens use O_NONBLOCK and refuse anything but regular files, so a host FIFO or device
 *   inside the directory cannot hang or poke the host.
 * - Errors are KernelErrors carrying the backend path; host paths never appear in messages.
 * - Set-user-ID and set-group-ID bits are not stored on regular files unless
 *   `allowSetuid` is given: a guest could otherwise leave a root-owned setuid binary on the
 *   host (like mounting with `nosuid`).
 *
 * Ownership: new files get the creating owner with lchown. Without the privilege to do so
 * (not root), the host refuses with EPERM; that is ignored and the file keeps the host
 * process's ids, both on creation and on an explicit chown — the VM stays usable on a
 * host directory it cannot chown.
 *
 * `readOnly` makes every mutating call fail with EROFS before anything is looked up.
 *
 * Calls that make no sense on the link itself: chmod of a symlink is ENOTSUP (as lchmod on
 * Linux), truncate of anything but a regular file EINVAL, open of one ELOOP (a symlink) or
 * ENXIO (FIFO, socket, device).
 */
import * as fs from "node:fs";
import { ERRNO, type Errno, fsError, KernelError } from "./errors.ts";
import { dirname, normalizePath, splitPath } from "./path.ts";
import {
  type DirEntry,
  type FileKind,
  kindOfMode,
  O_ACCMODE,
  O_CREAT,
  O_EXCL,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  type Owner,
  S_ISGID,
  S_ISUID,
  type Stat,
  type VfsBackend,
  type VfsFile,
} from "./types.ts";

export interface HostDirFsOptions {
  hostPath: string;
  readOnly?: boolean;
  /** Store setuid/setgid bits on regular files (off by default: see the header). */
  allowSetuid?: boolean;
}

const HOST = fs.constants;
const USAGE_WALK_LIMIT = 1_000_000;

export class HostDirFs implements VfsBackend {
  readonly readOnly: boolean;
  readonly #root: string;
  readonly #allowSetuid: boolean;
  readonly #openFiles = new Set<HostFile>();

  constructor(options: HostDirFsOptions) {
    let real: string;
    try {
      real = fs.realpathSync.native(options.hostPath);
    } catch {
      throw new Error(`HostDirFs: host directory ${options.hostPath} does not exist`);
    }
    if (!fs.statSync(real).isDirectory()) {
      throw new Error(`HostDirFs: ${options.hostPath} is not a directory`);
    }
    this.#root = real;
    this.readOnly = options.readOnly ?? false;
    this.#allowSetuid = options.allowSetuid ?? false;
  }

  // ---- containment ---------------------------------------------------------------------

  /**
   * The host path for backend `path`, after checking its parent directory is a real
   * directory inside the root. The last component itself is not examined.
   */
  #host(path: string, syscall: string): string {
    const clean = checkPath(path, syscall);
    if (clean === "/") return this.#root;
    this.#checkParent(dirname(clean), syscall, clean);
    return this.#root + clean;
  }

  #checkParent(parent: string, syscall: string, path: string): void {
    const expected = parent === "/" ? this.#root : this.#root + parent;
    let real: string | undefined;
    try {
      real = fs.realpathSync.native(expected);
    } catch {
      real = undefined;
    }
    if (real === expected) return;
    // Slow path: find out why, one component at a time, without following anything.
    let at = this.#root;
    for (const name of splitPath(parent)) {
      at += "/" + name;
      let st: fs.Stats;
      try {
        st = fs.lstatSync(at);
      } catch (err) {
        throw hostError(err, syscall, path);
      }
      if (!st.isDirectory()) throw fsError("ENOTDIR", syscall, path);
    }
    // Every component is a real directory, yet realpath disagreed (a case-insensitive host,
    // or a host-side race). Accept only if it still lands inside the root.
    if (real === undefined || !(real === this.#root || real.startsWith(this.#root + "/"))) {
      throw fsError("EACCES", syscall, path);
    }
  }

  #writable(syscall: string, path: string): void {
    if (this.readOnly) throw fsError("EROFS", syscall, path);
  }

  #mode(mode: number, isFile: boolean): number {
    let m = mode & 0o7777;
    if (isFile && !this.#allowSetuid) m &= ~(S_ISUID | S_ISGID);
    return m;
  }

  // ---- metadata --------------------------------------------------------------------------

  async lstat(path: string): Promise<Stat> {
    return guard("lstat", path, () =>
      toStat(fs.lstatSync(this.#host(path, "lstat"), { bigint: true })),
    );
  }

  async readdir(path: string): Promise<DirEntry[]> {
    return guard("scandir", path, () => {
      const host = this.#host(path, "scandir");
      if (!fs.lstatSync(host).isDirectory()) throw fsError("ENOTDIR", "scandir", path);
      const entries: DirEntry[] = [];
      for (const d of fs.readdirSync(host, { withFileTypes: true })) {
        entries.push({ name: d.name, kind: direntKind(d, host) });
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return entries;
    });
  }

  async readlink(path: string): Promise<string> {
    return guard("readlink", path, () => fs.readlinkSync(this.#host(path, "readlink"), "utf8"));
  }

  async chmod(path: string, mode: number): Promise<void> {
    this.#writable("chmod", path);
    return guard("chmod", path, () => {
      const host = this.#host(path, "chmod");
      const st = fs.lstatSync(host);
      // Linux cannot chmod a symlink itself, and chmodSync would follow it.
      if (st.isSymbolicLink()) throw fsError("ENOTSUP", "chmod", path);
      fs.chmodSync(host, this.#mode(mode, st.isFile()));
    });
  }

  async chown(path: string, uid: number, gid: number): Promise<void> {
    this.#writable("chown", path);
    return guard("chown", path, () => lchownQuiet(this.#host(path, "chown"), uid, gid));
  }

  async utimes(path: string, atimeMs: number, mtimeMs: number): Promise<void> {
    this.#writable("utime", path);
    return guard("utime", path, () => {
      fs.lutimesSync(this.#host(path, "utime"), atimeMs / 1000, mtimeMs / 1000);
    });
  }

  async truncate(path: string, length: number): Promise<void> {
    this.#writable("open", path);
    return guard("open", path, () => {
      checkLength(length, "open", path);
      // Only regular files have a length to set (a symlink is not followed here).
      const st = fs.lstatSync(this.#host(path, "open"));
      if (st.isDirectory()) throw fsError("EISDIR", "open", path);
      if (!st.isFile()) throw fsError("EINVAL", "open", path);
      const fd = this.#openRegular(path, HOST.O_WRONLY, "open");
      try {
        fs.ftruncateSync(fd, length);
      } finally {
        fs.closeSync(fd);
      }
    });
  }

  // ---- directory entries -------------------------------------------------------------------

  async mkdir(path: string, mode: number, owner: Owner): Promise<void> {
    this.#writable("mkdir", path);
    return guard("mkdir", path, () => {
      const host = this.#host(path, "mkdir");
      fs.mkdirSync(host, { mode: 0o700 });
      // mkdir is filtered by the host umask; set the exact bits asked for.
      fs.chmodSync(host, this.#mode(mode, false));
      lchownQuiet(host, owner.uid, owner.gid);
    });
  }

  async rmdir(path: string): Promise<void> {
    this.#writable("rmdir", path);
    return guard("rmdir", path, () => {
      const host = this.#host(path, "rmdir");
      if (host === this.#root) throw fsError("EBUSY", "rmdir", path);
      try {
        fs.rmdirSync(host);
      } catch (err) {
        // Some hosts say EEXIST for a non-empty directory.
        if ((err as NodeJS.ErrnoException).code === "EEXIST")
          throw fsError("ENOTEMPTY", "rmdir", path);
        throw err;
      }
    });
  }

  async unlink(path: string): Promise<void> {
    this.#writable("unlink", path);
    return guard("unlink", path, () => {
      const host = this.#host(path, "unlink");
      if (fs.lstatSync(host).isDirectory()) throw fsError("EISDIR", "unlink", path);
      fs.unlinkSync(host);
    });
  }

  async rename(from: string, to: string): Promise<void> {
    this.#writable("rename", from);
    return guard(
      "rename",
      from,
      () => {
        const src = this.#host(from, "rename");
        const dst = this.#host(to, "rename");
        if (src === this.#root || dst === this.#root) throw fsError("EBUSY", "rename", from, to);
        fs.renameSync(src, dst);
      },
      to,
    );
  }

  async link(existing: string, newPath: string): Promise<void> {
    this.#writable("link", newPath);
    return guard(
      "link",
      existing,
      () => {
        const src = this.#host(existing, "link");
        const dst = this.#host(newPath, "link");
        // link(2) does not follow a symlink `existing`: the new name is another link to it.
        fs.linkSync(src, dst);
      },
      newPath,
    );
  }

  async symlink(target: string, path: string, owner: Owner): Promise<void> {
    // Like Node, symlink errors name the target as path and the new link as dest.
    if (this.readOnly) throw fsError("EROFS", "symlink", target, path);
    return guard(
      "symlink",
      target,
      () => {
        const host = this.#host(path, "symlink");
        if (typeof target !== "string" || target.includes("\0"))
          throw fsError("EINVAL", "symlink", path);
        if (target.length === 0) throw fsError("ENOENT", "symlink", path);
        // The target is stored verbatim and never followed here; the VM resolves it.
        fs.symlinkSync(target, host);
        lchownQuiet(host, owner.uid, owner.gid);
      },
      path,
    );
  }

  // ---- file contents -------------------------------------------------------------------------

  /**
   * Opens the regular file at `path` without following a final symlink and without blocking
   * on special files. Creates it when `hostFlags` has O_CREAT, with the exact `mode` and
   * `owner`. Returns the host descriptor.
   */
  #openRegular(path: string, hostFlags: number, syscall: string, mode = 0, owner?: Owner): number {
    const host = this.#host(path, syscall);
    let existed: fs.Stats | undefined;
    try {
      existed = fs.lstatSync(host);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    if (existed) {
      if (hostFlags & HOST.O_CREAT && hostFlags & HOST.O_EXCL)
        throw fsError("EEXIST", syscall, path);
      if (existed.isDirectory()) throw fsError("EISDIR", syscall, path);
      if (existed.isSymbolicLink()) throw fsError("ELOOP", syscall, path);
      if (!existed.isFile()) throw fsError("ENXIO", syscall, path);
    } else if (!(hostFlags & HOST.O_CREAT)) {
      throw fsError("ENOENT", syscall, path);
    }
    const fd = fs.openSync(host, hostFlags | HOST.O_NOFOLLOW | HOST.O_NONBLOCK, 0o600);
    try {
      const st = fs.fstatSync(fd);
      if (!st.isFile()) throw fsError("ENXIO", syscall, path);
      if (!existed) {
        // Created just now: the host umask filtered the mode, so set it exactly.
        fs.fchmodSync(fd, this.#mode(mode, true));
        if (owner) fchownQuiet(fd, owner.uid, owner.gid);
      }
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
    return fd;
  }

  async open(path: string, flags: number, mode: number, owner: Owner): Promise<VfsFile> {
    const access = flags & O_ACCMODE;
    const mutating = access !== O_RDONLY || (flags & (O_CREAT | O_TRUNC)) !== 0;
    if (mutating) this.#writable("open", path);
    return guard("open", path, () => {
      let hostFlags =
        access === O_RDWR ? HOST.O_RDWR : access === O_WRONLY ? HOST.O_WRONLY : HOST.O_RDONLY;
      if (flags & O_CREAT) hostFlags |= HOST.O_CREAT;
      if (flags & O_EXCL) hostFlags |= HOST.O_EXCL;
      if (flags & O_TRUNC) hostFlags |= HOST.O_TRUNC;
      const fd = this.#openRegular(path, hostFlags, "open", mode, owner);
      const file = new HostFile(fd, path, this.#openFiles);
      this.#openFiles.add(file);
      return file;
    });
  }

  async readFile(path: string): Promise<Uint8Array> {
    return guard("open", path, () => {
      const fd = this.#openRegular(path, HOST.O_RDONLY, "open");
      try {
        return new Uint8Array(fs.readFileSync(fd));
      } finally {
        fs.closeSync(fd);
      }
    });
  }

  async writeFile(path: string, data: Uint8Array, mode: number, owner: Owner): Promise<void> {
    this.#writable("open", path);
    return guard("open", path, () => {
      const flags = HOST.O_WRONLY | HOST.O_CREAT | HOST.O_TRUNC;
      const fd = this.#openRegular(path, flags, "open", mode, owner);
      try {
        let done = 0;
        while (done < data.length) done += fs.writeSync(fd, data, done, data.length - done, done);
      } finally {
        fs.closeSync(fd);
      }
    });
  }

  /**
   * What this directory holds (apparent sizes, like `du --apparent-size`, walked without
   * following links) and, as the total, that plus the host's free space. Reporting the host
   * filesystem's own totals would tell the guest about unrelated host data. The walk costs
   * one lstat per entry and stops counting after USAGE_WALK_LIMIT entries.
   */
  usage(): { usedBytes: number; totalBytes: number; usedInodes: number } {
    let usedBytes = 0;
    let usedInodes = 0;
    const pending = [this.#root];
    walk: while (pending.length > 0) {
      const dir = pending.pop()!;
      let names: string[];
      try {
        names = fs.readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of names) {
        if (usedInodes >= USAGE_WALK_LIMIT) break walk;
        const child = dir + "/" + name;
        try {
          const st = fs.lstatSync(child);
          usedInodes++;
          if (st.isDirectory()) pending.push(child);
          else usedBytes += st.size;
        } catch {
          // Vanished while walking.
        }
      }
    }
    let free = 0;
    try {
      const s = fs.statfsSync(this.#root);
      free = s.bavail * s.bsize;
    } catch {
      // No statfs: report what is used only.
    }
    return { usedBytes, totalBytes: usedBytes + free, usedInodes: usedInodes + 1 };
  }

  /** Closes host descriptors still open, so an unmounted VM leaks none. */
  dispose(): void {
    for (const file of [...this.#openFiles]) file.closeNow();
  }
}

/** An open host file. The descriptor pins the inode, so later path changes cannot redirect it. */
class HostFile implements VfsFile {
  #fd: number | null;
  readonly #path: string;
  readonly #registry: Set<HostFile>;

  constructor(fd: number, path: string, registry: Set<HostFile>) {
    this.#fd = fd;
    this.#path = path;
    this.#registry = registry;
  }

  #handle(syscall: string): number {
    if (this.#fd === null) throw fsError("EBADF", syscall, this.#path);
    return this.#fd;
  }

  async read(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<number> {
    return guard("read", this.#path, () =>
      fs.readSync(this.#handle("read"), buffer, offset, length, position),
    );
  }

  async write(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<number> {
    return guard("write", this.#path, () =>
      fs.writeSync(this.#handle("write"), buffer, offset, length, position),
    );
  }

  async stat(): Promise<Stat> {
    return guard("fstat", this.#path, () =>
      toStat(fs.fstatSync(this.#handle("fstat"), { bigint: true })),
    );
  }

  async truncate(length: number): Promise<void> {
    return guard("ftruncate", this.#path, () => {
      const fd = this.#handle("ftruncate");
      checkLength(length, "ftruncate", this.#path);
      fs.ftruncateSync(fd, length);
    });
  }

  /** Idempotent: a descriptor number must never be closed twice (it may be reused). */
  async close(): Promise<void> {
    this.closeNow();
  }

  closeNow(): void {
    if (this.#fd === null) return;
    const fd = this.#fd;
    this.#fd = null;
    this.#registry.delete(this);
    try {
      fs.closeSync(fd);
    } catch {
      // Already gone; nothing to release.
    }
  }
}

// ---- helpers -----------------------------------------------------------------------------

/** Node clamps negative lengths to 0; truncate(2) says EINVAL. */
function checkLength(length: number, syscall: string, path: string): void {
  if (!Number.isSafeInteger(length) || length < 0) throw fsError("EINVAL", syscall, path);
}

/** Validates and normalises a backend path; ".." cannot climb above "/". */
function checkPath(path: string, syscall: string): string {
  if (typeof path !== "string" || path.charCodeAt(0) !== 47 || path.includes("\0")) {
    throw fsError(
      "EINVAL",
      syscall,
      typeof path === "string" ? path.replaceAll("\0", "") : undefined,
    );
  }
  return normalizePath(path);
}

/** Runs a synchronous host operation, turning any failure into a KernelError about `path`. */
function guard<T>(syscall: string, path: string, fn: () => T, dest?: string): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(hostError(err, syscall, path, dest));
  }
}

/** Maps a host error to a KernelError naming the backend path only (never the host one). */
function hostError(err: unknown, syscall: string, path: string, dest?: string): KernelError {
  if (err instanceof KernelError) {
    // Two-path calls name both paths, whichever of them the check was about.
    return dest === undefined ? err : new KernelError(err.code, err.syscall, path, dest);
  }
  const code = (err as { code?: unknown } | null)?.code;
  return new KernelError(errnoOf(code), syscall, path, dest);
}

function errnoOf(code: unknown): Errno {
  if (typeof code !== "string") return "EIO";
  if (code in ERRNO) return code as Errno;
  if (code === "EOPNOTSUPP") return "ENOTSUP";
  if (code === "EDQUOT") return "ENOSPC";
  // Node's own argument validation (ERR_INVALID_ARG_VALUE, ERR_OUT_OF_RANGE, ...).
  if (code.startsWith("ERR_")) return "EINVAL";
  return "EIO";
}

function lchownQuiet(host: string, uid: number, gid: number): void {
  try {
    fs.lchownSync(host, uid, gid);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") throw err;
  }
}

function fchownQuiet(fd: number, uid: number, gid: number): void {
  try {
    fs.fchownSync(fd, uid, gid);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") throw err;
  }
}

/** Nanoseconds to milliseconds, rounded to the microsecond so ms times set by utimes read back exactly. */
function nsToMs(ns: bigint): number {
  const us = ns >= 0n ? (ns + 500n) / 1000n : (ns - 500n) / 1000n;
  return Number(us) / 1000;
}

function toStat(s: fs.BigIntStats): Stat {
  return {
    dev: Number(s.dev),
    ino: Number(s.ino),
    mode: Number(s.mode),
    nlink: Number(s.nlink),
    uid: Number(s.uid),
    gid: Number(s.gid),
    rdev: Number(s.rdev),
    size: Number(s.size),
    blksize: Number(s.blksize),
    blocks: Number(s.blocks),
    atimeMs: nsToMs(s.atimeNs),
    mtimeMs: nsToMs(s.mtimeNs),
    ctimeMs: nsToMs(s.ctimeNs),
    birthtimeMs: nsToMs(s.birthtimeNs),
  };
}

function direntKind(d: fs.Dirent, dir: string): FileKind {
  if (d.isFile()) return "file";
  if (d.isDirectory()) return "directory";
  if (d.isSymbolicLink()) return "symlink";
  if (d.isFIFO()) return "fifo";
  if (d.isSocket()) return "socket";
  if (d.isCharacterDevice()) return "chardev";
  if (d.isBlockDevice()) return "blockdev";
  // The host filesystem gave no type; ask without following.
  return kindOfMode(fs.lstatSync(dir + "/" + d.name).mode);
}
