/**
 * Adapts a user-supplied, path-based `VirtualFileSystem` driver to the kernel's `VfsBackend`.
 *
 * The driver is untrusted code: whatever it returns is validated, and whatever it throws
 * becomes a KernelError naming the backend path. An error carrying a known errno `code`
 * ("ENOENT", ...) keeps it; anything else (and any value of the wrong shape) is EIO with the
 * driver's message. A driver can never crash the kernel with a TypeError.
 *
 * POSIX checks are done here, so a sloppy driver still behaves: existence and parent checks
 * before creating (EEXIST, ENOENT, ENOTDIR), emptiness before removing a directory, type
 * checks for rename; an ENOENT from the driver is refined to ENOTDIR when an ancestor turns
 * out to be a non-directory.
 *
 * Missing optional methods:
 * - lstat → stat (a driver without lstat has no symlinks, or shows them as their targets);
 * - readDirWithTypes → readDir plus one lstat per entry;
 * - pread → reads load the whole file once per open file;
 * - truncate → read, resize and rewrite the whole file;
 * - readlink → EINVAL when the driver cannot report symlinks at all;
 * - symlink, link, chmod, chown, utimes → ENOSYS.
 * New entries get the requested mode and owner only if the driver has chmod / chown.
 *
 * Stat fields the driver leaves out are filled in: mode 0o644 (files), 0o755 (directories)
 * or 0o777 (symlinks) with the type from the is* flags; nlink 1 (2 for directories); uid and
 * gid 0; ino from a per-path counter that follows renames; times from a per-path record kept
 * here, stamped when the adapter first sees the path or creates it and moved by the changes
 * made through the adapter.
 *
 * Open files: all handles on one path share one buffer. The content is loaded lazily (a
 * ranged `pread` serves reads until something is written), writes and truncates stay in the
 * buffer, and every close of a handle with unsaved changes flushes the whole file with
 * `driver.writeFile`. Path operations of this adapter see the buffer (lstat size, readFile,
 * truncate, writeFile); the driver itself sees changes only after a close. Unlinking or
 * replacing a file that is open loads it first, so the open handles keep working on the
 * detached content, which is then never flushed. Changes made to the driver behind the
 * adapter's back are not seen by a buffer that is already loaded.
 */
import { ERRNO, type Errno, fsError, KernelError } from "./errors.ts";
import { dirname, joinPath, splitPath } from "./path.ts";
import {
  type DirEntry,
  type FileKind,
  isDirMode,
  isLinkMode,
  O_ACCMODE,
  O_CREAT,
  O_EXCL,
  O_RDONLY,
  O_TRUNC,
  O_WRONLY,
  type Owner,
  S_IFDIR,
  S_IFLNK,
  S_IFREG,
  type Stat,
  type VfsBackend,
  type VfsFile,
} from "./types.ts";
import type { VirtualFileSystem } from "./virtual-file-system.ts";

export function createVirtualFsBackend(driver: VirtualFileSystem): VfsBackend {
  return new VirtualFsBackend(driver);
}

/** Times and inode number the adapter keeps for a path when the driver does not report them. */
interface Meta {
  ino: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
  birthtimeMs: number;
}

/** The shared buffer of every open handle on one file. */
interface OpenNode {
  /** Null once the file was unlinked or replaced: the content is then never flushed. */
  path: string | null;
  content: Uint8Array | null;
  size: number;
  dirty: boolean;
  refs: number;
  /** Last stat seen, for fstat after the path went away. */
  stat: Stat | null;
}

const encoder = new TextEncoder();
type Method = (...args: unknown[]) => unknown;

class VirtualFsBackend implements VfsBackend {
  readonly #driver: VirtualFileSystem;
  readonly #meta = new Map<string, Meta>();
  readonly #open = new Map<string, OpenNode>();
  /** Stats whose inode number is the driver's own (so equal numbers mean one inode). */
  readonly #driverInos = new WeakSet<Stat>();
  #nextIno = 1;

  constructor(driver: VirtualFileSystem) {
    this.#driver = driver;
  }

  /** The driver's optional method `name`, bound, or undefined when it has none. */
  #method(name: keyof VirtualFileSystem): Method | undefined {
    const fn = (this.#driver as unknown as Record<string, unknown>)[name];
    return typeof fn === "function" ? (fn.bind(this.#driver) as Method) : undefined;
  }

  /** Runs one backend call, naming `path` (and `dest`) in every error it raises. */
  async #run<T>(
    syscall: string,
    path: string,
    dest: string | undefined,
    fn: () => Promise<T>,
  ): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toKernelError(err, syscall, path, dest);
    }
  }

  // ---- per-path records --------------------------------------------------------------------

  #metaOf(path: string): Meta {
    let meta = this.#meta.get(path);
    if (!meta) {
      const now = Date.now();
      meta = { ino: this.#nextIno++, atimeMs: now, mtimeMs: now, ctimeMs: now, birthtimeMs: now };
      this.#meta.set(path, meta);
    }
    return meta;
  }

  /** A new object at `path`: new inode number, all times now. */
  #created(path: string): void {
    this.#meta.delete(path);
    this.#metaOf(path);
    this.#touch(dirname(path), true);
  }

  #touch(path: string, content: boolean): void {
    const meta = this.#metaOf(path);
    const now = Date.now();
    meta.ctimeMs = now;
    if (content) meta.mtimeMs = now;
  }

  #forEachUnder<T>(map: Map<string, T>, path: string, fn: (key: string, value: T) => void): void {
    const prefix = path === "/" ? "/" : path + "/";
    for (const [key, value] of [...map]) {
      if (key === path || key.startsWith(prefix)) fn(key, value);
    }
  }

  #dropMeta(path: string): void {
    this.#forEachUnder(this.#meta, path, (key) => this.#meta.delete(key));
  }

  #moveMeta(from: string, to: string): void {
    this.#dropMeta(to);
    this.#forEachUnder(this.#meta, from, (key, meta) => {
      this.#meta.delete(key);
      this.#meta.set(to + key.slice(from.length), meta);
    });
  }

  // ---- driver calls with validation --------------------------------------------------------

  async #lstat(path: string, syscall: string): Promise<Stat> {
    const fn = this.#method("lstat") ?? this.#method("stat");
    if (!fn)
      throw new KernelError("EIO", syscall, path, undefined, "i/o error (driver has no stat)");
    let raw: unknown;
    try {
      raw = await fn(path);
    } catch (err) {
      if (codeOf(err) === "ENOENT" && path !== "/") await this.#refineMissing(path, syscall);
      throw err;
    }
    return this.#toStat(raw, path, syscall);
  }

  /** Throws ENOTDIR instead of ENOENT when an ancestor of `path` is not a directory. */
  async #refineMissing(path: string, syscall: string): Promise<void> {
    const parts = splitPath(path);
    let at = "";
    for (let i = 0; i < parts.length - 1; i++) {
      at += "/" + parts[i];
      let st: Stat;
      try {
        st = await this.#lstat(at, syscall);
      } catch {
        return;
      }
      if (!isDirMode(st.mode)) throw fsError("ENOTDIR", syscall, path);
    }
  }

  async #tryLstat(path: string, syscall: string): Promise<Stat | null> {
    try {
      return await this.#lstat(path, syscall);
    } catch (err) {
      if (codeOf(err) === "ENOENT") return null;
      throw err;
    }
  }

  /** The directory that is to hold a new entry must exist and be a directory. */
  async #requireDir(path: string, syscall: string): Promise<void> {
    const st = await this.#lstat(path, syscall);
    if (!isDirMode(st.mode)) throw fsError("ENOTDIR", syscall, path);
  }

  #toStat(raw: unknown, path: string, syscall: string): Stat {
    const bad = (what: string): KernelError =>
      new KernelError(
        "EIO",
        syscall,
        path,
        undefined,
        `i/o error (driver returned an invalid stat: ${what})`,
      );
    if (raw === null || typeof raw !== "object") throw bad("not an object");
    const r = raw as Record<string, unknown>;
    if (typeof r.isDirectory !== "boolean") throw bad("isDirectory");
    if (r.isSymbolicLink !== undefined && typeof r.isSymbolicLink !== "boolean")
      throw bad("isSymbolicLink");
    const type = r.isSymbolicLink === true ? S_IFLNK : r.isDirectory ? S_IFDIR : S_IFREG;
    const defaultPerm = type === S_IFLNK ? 0o777 : type === S_IFDIR ? 0o755 : 0o644;
    const number = (field: string, fallback: number, min = 0): number => {
      const v = r[field];
      if (v === undefined || v === null) return fallback;
      if (typeof v !== "number" || !Number.isFinite(v) || v < min) throw bad(field);
      return v;
    };
    const integer = (field: string, fallback: number): number => {
      const v = number(field, fallback);
      if (!Number.isSafeInteger(v)) throw bad(field);
      return v;
    };
    const meta = this.#metaOf(path);
    const node = type === S_IFREG ? this.#open.get(path) : undefined;
    const dirty = node !== undefined && node.content !== null && node.dirty;
    const size = dirty ? node.size : integer("size", type === S_IFDIR ? 4096 : 0);
    const ino = integer("ino", 0);
    const stat: Stat = {
      dev: integer("dev", 0),
      ino: ino > 0 ? ino : meta.ino,
      mode: type | (integer("mode", defaultPerm) & 0o7777),
      nlink: integer("nlink", type === S_IFDIR ? 2 : 1),
      uid: integer("uid", 0),
      gid: integer("gid", 0),
      rdev: 0,
      size,
      blksize: 4096,
      blocks: Math.ceil(size / 512),
      atimeMs: number("atimeMs", meta.atimeMs, -Infinity),
      mtimeMs: dirty ? meta.mtimeMs : number("mtimeMs", meta.mtimeMs, -Infinity),
      ctimeMs: number("ctimeMs", meta.ctimeMs, -Infinity),
      birthtimeMs: number("birthtimeMs", meta.birthtimeMs, -Infinity),
    };
    if (node) node.stat = stat;
    if (ino > 0) this.#driverInos.add(stat);
    return stat;
  }

  async #readDriverFile(path: string, syscall: string): Promise<Uint8Array> {
    return toBytes(await this.#driver.readFile(path), syscall, path);
  }

  async #names(path: string, syscall: string): Promise<string[]> {
    const raw = await this.#driver.readDir(path);
    if (!Array.isArray(raw)) throw invalid(syscall, path, "readDir did not return an array");
    const names: string[] = [];
    for (const name of raw) {
      checkName(name, syscall, path);
      if (name !== "." && name !== "..") names.push(name);
    }
    return names;
  }

  /** Applies the creating mode and owner when the driver can store them. */
  async #applyModeOwner(path: string, mode: number | null, owner: Owner): Promise<void> {
    const chmod = this.#method("chmod");
    const chown = this.#method("chown");
    if (chmod && mode !== null)
      await ignoring(["ENOSYS", "ENOTSUP", "EPERM"], () => chmod(path, mode & 0o7777));
    if (chown)
      await ignoring(["ENOSYS", "ENOTSUP", "EPERM"], () => chown(path, owner.uid, owner.gid));
  }

  // ---- open-file buffers -------------------------------------------------------------------

  async #load(node: OpenNode, syscall: string): Promise<Uint8Array> {
    if (node.content === null) {
      if (node.path === null) throw fsError("EIO", syscall);
      const data = await this.#readDriverFile(node.path, syscall);
      node.content = new Uint8Array(data);
      node.size = data.length;
    }
    return node.content;
  }

  async #flush(node: OpenNode): Promise<void> {
    if (!node.dirty || node.path === null || node.content === null) return;
    const path = node.path;
    await this.#driver.writeFile(path, node.content.slice(0, node.size));
    node.dirty = false;
    this.#touch(path, true);
  }

  /** Detaches the open buffer of `path` (being unlinked or replaced), loading it first. */
  async #orphan(path: string, syscall: string): Promise<void> {
    const node = this.#open.get(path);
    if (!node) return;
    await this.#load(node, syscall);
    node.path = null;
    if (node.stat) node.stat = { ...node.stat, nlink: 0 };
    this.#open.delete(path);
  }

  // ---- VfsBackend: metadata ----------------------------------------------------------------

  lstat(path: string): Promise<Stat> {
    return this.#run("lstat", path, undefined, () => this.#lstat(path, "lstat"));
  }

  readdir(path: string): Promise<DirEntry[]> {
    return this.#run("scandir", path, undefined, async () => {
      const st = await this.#lstat(path, "scandir");
      if (!isDirMode(st.mode)) throw fsError("ENOTDIR", "scandir", path);
      const withTypes = this.#method("readDirWithTypes");
      const byName = new Map<string, FileKind>();
      if (withTypes) {
        const raw = await withTypes(path);
        if (!Array.isArray(raw))
          throw invalid("scandir", path, "readDirWithTypes did not return an array");
        for (const entry of raw) {
          if (entry === null || typeof entry !== "object")
            throw invalid("scandir", path, "bad entry");
          const e = entry as Record<string, unknown>;
          checkName(e.name, "scandir", path);
          if (typeof e.isDirectory !== "boolean") throw invalid("scandir", path, "bad entry");
          const name = e.name as string;
          if (name === "." || name === "..") continue;
          byName.set(
            name,
            e.isSymbolicLink === true ? "symlink" : e.isDirectory ? "directory" : "file",
          );
        }
      } else {
        for (const name of await this.#names(path, "scandir")) {
          const child = await this.#tryLstat(joinPath(path, name), "scandir");
          if (!child) continue; // Listed but gone: a race inside the driver.
          byName.set(
            name,
            isLinkMode(child.mode) ? "symlink" : isDirMode(child.mode) ? "directory" : "file",
          );
        }
      }
      // Sorted, so the order is stable whatever order the driver lists in.
      return [...byName]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, kind]) => ({ name, kind }));
    });
  }

  readlink(path: string): Promise<string> {
    return this.#run("readlink", path, undefined, async () => {
      const st = await this.#lstat(path, "readlink");
      if (!isLinkMode(st.mode)) throw fsError("EINVAL", "readlink", path);
      const fn = this.#method("readlink");
      if (!fn) throw fsError("ENOSYS", "readlink", path);
      const target = await fn(path);
      if (typeof target !== "string" || target.length === 0 || target.includes("\0")) {
        throw invalid("readlink", path, "readlink did not return a target");
      }
      return target;
    });
  }

  chmod(path: string, mode: number): Promise<void> {
    return this.#run("chmod", path, undefined, async () => {
      const fn = this.#method("chmod");
      if (!fn) throw fsError("ENOSYS", "chmod", path);
      await this.#lstat(path, "chmod");
      await fn(path, mode & 0o7777);
      this.#touch(path, false);
    });
  }

  chown(path: string, uid: number, gid: number): Promise<void> {
    return this.#run("chown", path, undefined, async () => {
      const fn = this.#method("chown");
      if (!fn) throw fsError("ENOSYS", "chown", path);
      const st = await this.#lstat(path, "chown");
      // -1 keeps an id, which a driver may not know.
      await fn(path, uid === -1 ? st.uid : uid, gid === -1 ? st.gid : gid);
      this.#touch(path, false);
    });
  }

  utimes(path: string, atimeMs: number, mtimeMs: number): Promise<void> {
    return this.#run("utime", path, undefined, async () => {
      const fn = this.#method("utimes");
      if (!fn) throw fsError("ENOSYS", "utime", path);
      if (!Number.isFinite(atimeMs) || !Number.isFinite(mtimeMs))
        throw fsError("EINVAL", "utime", path);
      await this.#lstat(path, "utime");
      await fn(path, atimeMs, mtimeMs);
      const meta = this.#metaOf(path);
      meta.atimeMs = atimeMs;
      meta.mtimeMs = mtimeMs;
      meta.ctimeMs = Date.now();
    });
  }

  truncate(path: string, length: number): Promise<void> {
    return this.#run("open", path, undefined, async () => {
      if (!Number.isSafeInteger(length) || length < 0) throw fsError("EINVAL", "open", path);
      const st = await this.#lstat(path, "open");
      if (isDirMode(st.mode)) throw fsError("EISDIR", "open", path);
      if (!isFileMode(st.mode)) throw fsError("EINVAL", "open", path);
      const node = this.#open.get(path);
      if (node) {
        await this.#load(node, "open");
        resize(node, length);
        node.dirty = true;
        await this.#flush(node);
        return;
      }
      const fn = this.#method("truncate");
      if (fn) {
        await fn(path, length);
      } else {
        const data = await this.#readDriverFile(path, "open");
        const out = new Uint8Array(length);
        out.set(data.subarray(0, Math.min(length, data.length)));
        await this.#driver.writeFile(path, out);
      }
      this.#touch(path, true);
    });
  }

  // ---- VfsBackend: directory entries ----------------------------------------------------------

  mkdir(path: string, mode: number, owner: Owner): Promise<void> {
    return this.#run("mkdir", path, undefined, async () => {
      if (path === "/") throw fsError("EEXIST", "mkdir", path);
      await this.#requireDir(dirname(path), "mkdir");
      if (await this.#tryLstat(path, "mkdir")) throw fsError("EEXIST", "mkdir", path);
      await this.#driver.mkdir(path, { recursive: false });
      this.#created(path);
      await this.#applyModeOwner(path, mode, owner);
    });
  }

  rmdir(path: string): Promise<void> {
    return this.#run("rmdir", path, undefined, async () => {
      const st = await this.#lstat(path, "rmdir");
      if (!isDirMode(st.mode)) throw fsError("ENOTDIR", "rmdir", path);
      if (path === "/") throw fsError("EBUSY", "rmdir", path);
      if ((await this.#names(path, "rmdir")).length > 0) throw fsError("ENOTEMPTY", "rmdir", path);
      await this.#driver.removeDir(path);
      this.#dropMeta(path);
      this.#touch(dirname(path), true);
    });
  }

  unlink(path: string): Promise<void> {
    return this.#run("unlink", path, undefined, async () => {
      const st = await this.#lstat(path, "unlink");
      if (isDirMode(st.mode)) throw fsError("EISDIR", "unlink", path);
      await this.#orphan(path, "unlink");
      await this.#driver.removeFile(path);
      this.#dropMeta(path);
      this.#touch(dirname(path), true);
    });
  }

  rename(from: string, to: string): Promise<void> {
    return this.#run("rename", from, to, async () => {
      // Checks in the order rename(2) makes them, so errno precedence matches other backends.
      await this.#requireDir(dirname(from), "rename");
      await this.#requireDir(dirname(to), "rename");
      if (from === "/" || to === "/") throw fsError("EBUSY", "rename", from, to);
      const src = await this.#lstat(from, "rename");
      if (to.startsWith(from + "/")) throw fsError("EINVAL", "rename", from, to);
      if (from.startsWith(to + "/")) throw fsError("ENOTEMPTY", "rename", from, to);
      const dst = await this.#tryLstat(to, "rename");
      if (from === to) return;
      const srcIsDir = isDirMode(src.mode);
      if (dst) {
        const dstIsDir = isDirMode(dst.mode);
        if (srcIsDir && !dstIsDir) throw fsError("ENOTDIR", "rename", from, to);
        if (!srcIsDir && dstIsDir) throw fsError("EISDIR", "rename", from, to);
        if (dstIsDir && (await this.#names(to, "rename")).length > 0)
          throw fsError("ENOTEMPTY", "rename", from, to);
        // Hard links to one inode: rename(2) does nothing.
        const sameInode =
          this.#driverInos.has(src) && this.#driverInos.has(dst) && src.ino === dst.ino;
        if (!srcIsDir && sameInode && src.dev === dst.dev) return;
        await this.#orphan(to, "rename");
      }
      try {
        await this.#driver.rename(from, to);
      } catch (err) {
        // A driver that will not replace: remove the destination, then try once more.
        if (!dst) throw err;
        if (isDirMode(dst.mode)) await this.#driver.removeDir(to);
        else await this.#driver.removeFile(to);
        await this.#driver.rename(from, to);
      }
      this.#moveMeta(from, to);
      this.#forEachUnder(this.#open, from, (key, node) => {
        this.#open.delete(key);
        const moved = to + key.slice(from.length);
        node.path = moved;
        this.#open.set(moved, node);
      });
      this.#touch(to, false);
      this.#touch(dirname(from), true);
      this.#touch(dirname(to), true);
    });
  }

  link(existing: string, newPath: string): Promise<void> {
    return this.#run("link", existing, newPath, async () => {
      const fn = this.#method("link");
      if (!fn) throw fsError("ENOSYS", "link", existing, newPath);
      const st = await this.#lstat(existing, "link");
      await this.#requireDir(dirname(newPath), "link");
      if (await this.#tryLstat(newPath, "link")) throw fsError("EEXIST", "link", existing, newPath);
      if (isDirMode(st.mode)) throw fsError("EPERM", "link", existing, newPath);
      await fn(existing, newPath);
      this.#created(newPath);
      this.#touch(existing, false);
    });
  }

  symlink(target: string, path: string, owner: Owner): Promise<void> {
    // Like Node, symlink errors name the target as path and the new link as dest.
    return this.#run("symlink", target, path, async () => {
      const fn = this.#method("symlink");
      if (!fn) throw fsError("ENOSYS", "symlink", target, path);
      if (typeof target !== "string" || target.length === 0)
        throw fsError("ENOENT", "symlink", target, path);
      if (path === "/") throw fsError("EEXIST", "symlink", target, path);
      await this.#requireDir(dirname(path), "symlink");
      if (await this.#tryLstat(path, "symlink")) throw fsError("EEXIST", "symlink", target, path);
      await fn(target, path);
      this.#created(path);
      await this.#applyModeOwner(path, null, owner);
    });
  }

  // ---- VfsBackend: file contents ---------------------------------------------------------------

  open(path: string, flags: number, mode: number, owner: Owner): Promise<VfsFile> {
    return this.#run("open", path, undefined, async () => {
      const access = flags & O_ACCMODE;
      if (path === "/") throw fsError("EISDIR", "open", path);
      const st = await this.#tryLstat(path, "open");
      let fresh = false;
      if (st) {
        if (flags & O_CREAT && flags & O_EXCL) throw fsError("EEXIST", "open", path);
        if (isDirMode(st.mode)) throw fsError("EISDIR", "open", path);
        if (isLinkMode(st.mode)) throw fsError("ELOOP", "open", path);
        if (flags & O_TRUNC) {
          const node = this.#open.get(path);
          if (node) {
            node.content = new Uint8Array(0);
            node.size = 0;
            node.dirty = true;
            await this.#flush(node);
          } else {
            await this.#driver.writeFile(path, new Uint8Array(0));
            this.#touch(path, true);
          }
          fresh = true;
        }
      } else {
        if (!(flags & O_CREAT)) throw fsError("ENOENT", "open", path);
        await this.#requireDir(dirname(path), "open");
        // O_CREAT creates now, even if nothing is ever written.
        await this.#driver.writeFile(path, new Uint8Array(0));
        this.#created(path);
        await this.#applyModeOwner(path, mode, owner);
        fresh = true;
      }
      let node = this.#open.get(path);
      if (!node) {
        node = {
          path,
          content: fresh ? new Uint8Array(0) : null,
          size: 0,
          dirty: false,
          refs: 0,
          stat: null,
        };
        this.#open.set(path, node);
      }
      node.refs++;
      return new AdapterFile(this.#fileIo(), node, access);
    });
  }

  /** What an AdapterFile needs from the backend. */
  #fileIo(): FileIo {
    const pread = this.#method("pread");
    return {
      load: (node, syscall) => this.#load(node, syscall),
      pread: pread
        ? async (node, position, length) => {
            const data = toBytes(await pread(node.path, position, length), "read", node.path ?? "");
            return data.length > length ? data.subarray(0, length) : data;
          }
        : null,
      stat: async (node) => {
        if (node.path !== null) {
          try {
            return await this.#lstat(node.path, "fstat");
          } catch (err) {
            if (!node.stat) throw err;
          }
        }
        if (!node.stat) throw fsError("EBADF", "fstat");
        const size = node.content !== null ? node.size : node.stat.size;
        return { ...node.stat, size, blocks: Math.ceil(size / 512) };
      },
      written: (node) => {
        if (node.path !== null) this.#touch(node.path, true);
      },
      release: async (node) => {
        node.refs--;
        try {
          await this.#flush(node);
        } finally {
          if (node.refs === 0 && node.path !== null && this.#open.get(node.path) === node) {
            this.#open.delete(node.path);
          }
        }
      },
      error: (err, syscall, node) => toKernelError(err, syscall, node.path ?? "", undefined),
    };
  }

  readFile(path: string): Promise<Uint8Array> {
    return this.#run("open", path, undefined, async () => {
      const st = await this.#lstat(path, "open");
      if (isDirMode(st.mode)) throw fsError("EISDIR", "read", path);
      if (isLinkMode(st.mode)) throw fsError("ELOOP", "open", path);
      const node = this.#open.get(path);
      if (node && node.content !== null) return node.content.slice(0, node.size);
      // Always a private copy: the driver may hand out its own storage.
      return new Uint8Array(await this.#readDriverFile(path, "open"));
    });
  }

  writeFile(path: string, data: Uint8Array, mode: number, owner: Owner): Promise<void> {
    return this.#run("open", path, undefined, async () => {
      if (path === "/") throw fsError("EISDIR", "open", path);
      const st = await this.#tryLstat(path, "open");
      if (st && isDirMode(st.mode)) throw fsError("EISDIR", "open", path);
      if (st && isLinkMode(st.mode)) throw fsError("ELOOP", "open", path);
      if (!st) await this.#requireDir(dirname(path), "open");
      const copy = new Uint8Array(data);
      const node = this.#open.get(path);
      if (node) {
        node.content = copy;
        node.size = copy.length;
        node.dirty = true;
        await this.#flush(node);
        return;
      }
      // A copy, so the driver can keep it while the caller reuses its buffer.
      await this.#driver.writeFile(path, copy.slice());
      if (st) {
        this.#touch(path, true);
      } else {
        this.#created(path);
        await this.#applyModeOwner(path, mode, owner);
      }
    });
  }
}

interface FileIo {
  load(node: OpenNode, syscall: string): Promise<Uint8Array>;
  pread: ((node: OpenNode, position: number, length: number) => Promise<Uint8Array>) | null;
  stat(node: OpenNode): Promise<Stat>;
  written(node: OpenNode): void;
  release(node: OpenNode): Promise<void>;
  error(err: unknown, syscall: string, node: OpenNode): KernelError;
}

/** One open handle; the buffer it reads and writes is shared with every other handle on the file. */
class AdapterFile implements VfsFile {
  readonly #io: FileIo;
  readonly #node: OpenNode;
  readonly #access: number;
  #closed = false;

  constructor(io: FileIo, node: OpenNode, access: number) {
    this.#io = io;
    this.#node = node;
    this.#access = access;
  }

  async #guard<T>(syscall: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.#io.error(err, syscall, this.#node);
    }
  }

  #check(syscall: string, forbidden: number): void {
    if (this.#closed || this.#access === forbidden) throw fsError("EBADF", syscall);
  }

  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return this.#guard("read", async () => {
      this.#check("read", O_WRONLY);
      checkRange(buffer, offset, length, position, "read");
      const node = this.#node;
      if (length === 0) return 0;
      if (node.content === null && this.#io.pread) {
        const data = await this.#io.pread(node, position, length);
        buffer.set(data, offset);
        return data.length;
      }
      const content = await this.#io.load(node, "read");
      if (position >= node.size) return 0;
      const n = Math.min(length, node.size - position);
      buffer.set(content.subarray(position, position + n), offset);
      return n;
    });
  }

  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return this.#guard("write", async () => {
      this.#check("write", O_RDONLY);
      checkRange(buffer, offset, length, position, "write");
      const node = this.#node;
      await this.#io.load(node, "write");
      if (length === 0) return 0;
      const end = position + length;
      reserve(node, end);
      node.content!.set(buffer.subarray(offset, offset + length), position);
      if (end > node.size) node.size = end;
      node.dirty = true;
      this.#io.written(node);
      return length;
    });
  }

  stat(): Promise<Stat> {
    return this.#guard("fstat", async () => {
      if (this.#closed) throw fsError("EBADF", "fstat");
      return this.#io.stat(this.#node);
    });
  }

  truncate(length: number): Promise<void> {
    return this.#guard("ftruncate", async () => {
      if (this.#closed) throw fsError("EBADF", "ftruncate");
      // ftruncate(2) on a descriptor not open for writing is EINVAL on Linux.
      if (this.#access === O_RDONLY || !Number.isSafeInteger(length) || length < 0) {
        throw fsError("EINVAL", "ftruncate");
      }
      await this.#io.load(this.#node, "ftruncate");
      resize(this.#node, length);
      this.#node.dirty = true;
      this.#io.written(this.#node);
    });
  }

  /** Flushes unsaved changes with driver.writeFile; a flush failure is reported here. */
  close(): Promise<void> {
    return this.#guard("close", async () => {
      if (this.#closed) return;
      this.#closed = true;
      await this.#io.release(this.#node);
    });
  }
}

// ---- helpers -------------------------------------------------------------------------------

const isFileMode = (mode: number): boolean => !isDirMode(mode) && !isLinkMode(mode);

/** Grows the buffer to hold `end` bytes; bytes past `size` are always zero. */
function reserve(node: OpenNode, end: number): void {
  const content = node.content!;
  if (end <= content.length) return;
  const bigger = new Uint8Array(Math.max(end, content.length * 2));
  bigger.set(content.subarray(0, node.size));
  node.content = bigger;
}

function resize(node: OpenNode, length: number): void {
  if (length > node.size) reserve(node, length);
  else node.content!.fill(0, length, node.size);
  node.size = length;
}

function checkRange(
  buf: Uint8Array,
  offset: number,
  length: number,
  position: number,
  syscall: string,
): void {
  const ok =
    Number.isSafeInteger(offset) &&
    Number.isSafeInteger(length) &&
    Number.isSafeInteger(position) &&
    offset >= 0 &&
    length >= 0 &&
    position >= 0 &&
    offset + length <= buf.length;
  if (!ok) throw fsError("EINVAL", syscall);
}

function invalid(syscall: string, path: string, what: string): KernelError {
  return new KernelError(
    "EIO",
    syscall,
    path,
    undefined,
    `i/o error (driver returned garbage: ${what})`,
  );
}

/** Bytes from the driver. A string is accepted as UTF-8; anything else is EIO. */
function toBytes(value: unknown, syscall: string, path: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === "string") return encoder.encode(value);
  throw invalid(syscall, path, "file data is not a Uint8Array");
}

function checkName(name: unknown, syscall: string, path: string): void {
  if (typeof name !== "string" || name.length === 0 || name.includes("/") || name.includes("\0")) {
    throw invalid(syscall, path, "bad directory entry name");
  }
}

/** The errno code an error carries, if it is one we know. Never throws. */
function codeOf(err: unknown): Errno | undefined {
  try {
    if (err instanceof KernelError) return err.code;
    const code = (err as { code?: unknown } | null | undefined)?.code;
    if (typeof code !== "string") return undefined;
    if (code === "EOPNOTSUPP") return "ENOTSUP";
    return Object.hasOwn(ERRNO, code) ? (code as Errno) : undefined;
  } catch {
    return undefined;
  }
}

function describe(err: unknown): string {
  try {
    if (err instanceof Error) return err.message;
    return String(err);
  } catch {
    return "unprintable error";
  }
}

function toKernelError(
  err: unknown,
  syscall: string,
  path: string,
  dest: string | undefined,
): KernelError {
  if (err instanceof KernelError) {
    if (err.path === path && err.dest === dest) return err;
    if (err.code === "EIO") return new KernelError("EIO", err.syscall, path, dest, detailOf(err));
    return new KernelError(err.code, err.syscall, path, dest);
  }
  const code = codeOf(err);
  if (code) return new KernelError(code, syscall, path, dest);
  return new KernelError("EIO", syscall, path, dest, `i/o error (${describe(err)})`);
}

/** The description part of a KernelError message ("EIO: <detail>, syscall 'path'"). */
function detailOf(err: KernelError): string {
  const message = err.message.slice(err.code.length + 2);
  const cut = message.lastIndexOf(`, ${err.syscall}`);
  return cut >= 0 ? message.slice(0, cut) : message;
}

async function ignoring(codes: Errno[], fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch (err) {
    const code = codeOf(err);
    if (code === undefined || !codes.includes(code)) throw err;
  }
}
