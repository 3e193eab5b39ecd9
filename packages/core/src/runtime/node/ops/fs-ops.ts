/**
 * File system calls for node:fs, made as the guest's kernel process (its cwd, umask, rights).
 * Paths arrive as the program wrote them (relative ones resolve against the process's cwd in
 * the kernel); failures are re-raised with Node's syscall name and the program's own path, so
 * the guest's error reads exactly as Node's would (`ENOENT: ..., open 'x'`). Each operation is
 * one host call, whatever the amount of data, so `readFileSync` of a large file or a loop of
 * `statSync` costs one round trip each.
 */
import { isKernelError, KernelError } from "../../../fs/errors.ts";
import {
  O_ACCMODE,
  O_CREAT,
  O_EXCL,
  O_RDONLY,
  O_TRUNC,
  O_WRONLY,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  type Stat,
} from "../../../fs/types.ts";
import { DirectoryOpenFile, FileOpenFile, type OpenFile } from "../../../kernel/open-file.ts";
import type { GuestProcess } from "../guest-process.ts";
import type { HostOp } from "../host-ops.ts";

const WRITE_FLAGS = O_WRONLY | O_CREAT | O_TRUNC;
const TEMP_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A stat as a flat array, in the field order of Node's fs.Stats constructor. */
export type StatArray = number[];

function statArray(s: Stat): StatArray {
  return [
    s.dev,
    s.mode,
    s.nlink,
    s.uid,
    s.gid,
    s.rdev,
    s.blksize,
    s.ino,
    s.size,
    s.blocks,
    s.atimeMs,
    s.mtimeMs,
    s.ctimeMs,
    s.birthtimeMs,
  ];
}

/** Re-raises a kernel error under Node's syscall name and the caller's spelling of the path. */
function rethrow(error: unknown, syscall: string, path?: string, dest?: string): never {
  if (isKernelError(error)) throw new KernelError(error.code, syscall, path, dest);
  throw error;
}

async function as<T>(work: Promise<T>, syscall: string, path?: string, dest?: string) {
  try {
    return await work;
  } catch (error) {
    rethrow(error, syscall, path, dest);
  }
}

function str(value: unknown): string {
  return value as string;
}

function openFile(g: GuestProcess, fd: number, syscall: string): OpenFile {
  try {
    return g.ctx.kernel.process(g.ctx.pid).fds.get(fd);
  } catch (error) {
    rethrow(error, syscall);
  }
}

/** The path a descriptor was opened with, for the f* calls the kernel only has by path. */
function pathOf(g: GuestProcess, fd: number, syscall: string): string {
  const file = openFile(g, fd, syscall);
  if (file instanceof FileOpenFile || file instanceof DirectoryOpenFile) return file.path;
  throw new KernelError("EINVAL", syscall);
}

/** Orders writes after the guest's queued stdout/stderr output, as Node's are. */
function chained<T>(g: GuestProcess, work: () => Promise<T>): Promise<T> {
  const done = g.writeChain.then(work);
  g.writeChain = done.catch(() => {});
  return done;
}

async function readAllFd(g: GuestProcess, fd: number): Promise<Uint8Array> {
  // Node's readFile(fd) starts with an fstat: a bad descriptor fails there.
  await as(g.ctx.fstat(fd), "fstat");
  return as(g.ctx.readAll(fd), "read");
}

async function writeAllFd(g: GuestProcess, fd: number, data: Uint8Array): Promise<void> {
  await chained(g, () => as(g.ctx.write(fd, data), "write"));
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith("/") ? dir + name : `${dir}/${name}`;
}

async function statOrNull(g: GuestProcess, path: string, follow: boolean): Promise<Stat | null> {
  try {
    return follow ? await g.ctx.stat(path) : await g.ctx.lstat(path);
  } catch (error) {
    if (isKernelError(error, "ENOENT") || isKernelError(error, "ENOTDIR")) return null;
    throw error;
  }
}

/** mkdir -p: creates the missing directories top-down; answers the first one it created. */
async function mkdirRecursive(g: GuestProcess, path: string, mode: number) {
  const missing: string[] = [];
  let current = path.replace(/\/+$/, "") || "/";
  for (;;) {
    const stat = await as(statOrNull(g, current, true), "mkdir", path);
    if (stat) {
      if ((stat.mode & S_IFMT) !== S_IFDIR) {
        throw new KernelError(missing.length === 0 ? "EEXIST" : "ENOTDIR", "mkdir", path);
      }
      break;
    }
    missing.push(current);
    const slash = current.lastIndexOf("/");
    if (slash < 0) break;
    current = slash === 0 ? "/" : current.slice(0, slash);
  }
  for (const dir of missing.reverse()) {
    try {
      await g.ctx.mkdir(dir, mode);
    } catch (error) {
      if (!isKernelError(error, "EEXIST")) rethrow(error, "mkdir", path);
    }
  }
  return missing.length > 0 ? missing[0] : undefined;
}

/** rm -r[f]: directories only with `recursive`; errors name the entry that failed. */
async function remove(g: GuestProcess, path: string, recursive: boolean): Promise<void> {
  const stat = await as(g.ctx.lstat(path), "lstat", path);
  if ((stat.mode & S_IFMT) !== S_IFDIR) {
    await as(g.ctx.unlink(path), "unlink", path);
    return;
  }
  if (!recursive) throw new KernelError("EISDIR", "rm", path);
  const entries = await as(g.ctx.readdir(path), "scandir", path);
  for (const entry of entries) await remove(g, joinPath(path, entry.name), true);
  await as(g.ctx.rmdir(path), "rmdir", path);
}

/** readdir with `recursive`: entries of subdirectories follow, breadth first, as Node lists. */
async function readdirTree(g: GuestProcess, root: string) {
  const names: string[] = [];
  const kinds: string[] = [];
  const queue: string[] = [""];
  while (queue.length > 0) {
    const rel = queue.shift() as string;
    const entries = await as(g.ctx.readdir(rel ? joinPath(root, rel) : root), "scandir", root);
    for (const entry of entries) {
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      names.push(name);
      kinds.push(entry.kind);
      if (entry.kind === "directory") queue.push(name);
    }
  }
  return [names, kinds];
}

/** realpath(3) as Node's JS version reports failures: lstat of the first missing prefix. */
async function realpathError(g: GuestProcess, path: string, error: unknown): Promise<never> {
  if (!isKernelError(error)) throw error;
  const absolute = g.ctx.resolvePath(path);
  const parts = absolute.split("/").filter(Boolean);
  let prefix = "";
  for (const part of parts) {
    prefix += `/${part}`;
    try {
      await g.ctx.stat(prefix);
    } catch (inner) {
      rethrow(inner, "lstat", prefix);
    }
  }
  rethrow(error, "lstat", absolute);
}

async function positionalRead(g: GuestProcess, fd: number, length: number, position: number) {
  const file = openFile(g, fd, "read");
  if (!(file instanceof FileOpenFile)) {
    if (file instanceof DirectoryOpenFile) throw new KernelError("EISDIR", "read");
    throw new KernelError("ESPIPE", "read");
  }
  if (!file.readable) throw new KernelError("EBADF", "read");
  if (file.file.readChunk) return as(file.file.readChunk(position, length), "read");
  const buffer = new Uint8Array(length);
  const n = await as(file.file.read(buffer, 0, length, position), "read");
  return buffer.subarray(0, n);
}

/** pwrite: writes at `position`, leaving the descriptor's offset where it was. */
async function positionalWrite(g: GuestProcess, fd: number, data: Uint8Array, position: number) {
  const file = openFile(g, fd, "write");
  if (!(file instanceof FileOpenFile)) throw new KernelError("ESPIPE", "write");
  const saved = file.position;
  file.position = position;
  try {
    return await as(g.ctx.kernel.write(g.ctx.pid, fd, data), "write");
  } finally {
    file.position = saved;
  }
}

async function mkdtemp(g: GuestProcess, prefix: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    let suffix = "";
    for (let i = 0; i < 6; i++) suffix += TEMP_CHARS[Math.floor(Math.random() * 62)];
    const path = prefix + suffix;
    try {
      await g.ctx.mkdir(path, 0o700);
      return path;
    } catch (error) {
      if (!isKernelError(error, "EEXIST")) rethrow(error, "mkdtemp", `${prefix}XXXXXX`);
    }
  }
  throw new KernelError("EEXIST", "mkdtemp", `${prefix}XXXXXX`);
}

async function copyFile(g: GuestProcess, src: string, dest: string, mode: number) {
  const stat = await as(g.ctx.stat(src), "copyfile", src, dest);
  if ((stat.mode & S_IFMT) === S_IFDIR) throw new KernelError("EISDIR", "copyfile", src, dest);
  const exclusive = (mode & 1) !== 0;
  if (exclusive && (await statOrNull(g, dest, false))) {
    throw new KernelError("EEXIST", "copyfile", src, dest);
  }
  const data = await as(g.ctx.readFile(src), "copyfile", src, dest);
  const flags = O_WRONLY | O_CREAT | O_TRUNC | (exclusive ? O_EXCL : 0);
  const fd = await as(g.ctx.open(dest, flags, stat.mode & 0o7777), "copyfile", src, dest);
  try {
    await as(g.ctx.write(fd, data), "copyfile", src, dest);
  } finally {
    g.ctx.close(fd);
  }
  // Like copy_file_range + fchmod: the copy gets the source's permission bits, whatever the umask.
  await as(g.ctx.chmod(dest, stat.mode & 0o7777), "copyfile", src, dest);
}

async function statfs(g: GuestProcess, path: string) {
  const proc = g.ctx.kernel.process(g.ctx.pid);
  const resolved = await as(
    g.ctx.kernel.fs.resolve(proc, g.ctx.resolvePath(path), true, "statfs"),
    "statfs",
    path,
  );
  const usage = resolved.mount.backend.usage?.();
  if (!usage) throw new KernelError("ENOSYS", "statfs", path);
  const bsize = 4096;
  const blocks = Math.ceil(usage.totalBytes / bsize);
  const free = Math.max(0, blocks - Math.ceil(usage.usedBytes / bsize));
  const files = Math.max(usage.usedInodes, 1 << 20);
  // TMPFS_MAGIC: the VM's file systems live in memory or behind it.
  return [0x01021994, bsize, bsize, blocks, free, free, files, files - usage.usedInodes];
}

/** What fs.watch compares between polls: "" for a file, else each entry below the directory. */
async function watchScan(g: GuestProcess, path: string, recursive: boolean) {
  const state = (s: Stat) => `${s.mtimeMs}:${s.ctimeMs}:${s.size}:${s.ino}`;
  const top = await as(g.ctx.stat(path), "watch", path);
  if ((top.mode & S_IFMT) !== S_IFDIR) return [["", state(top)]];
  const result: Array<[string, string]> = [];
  const queue = [""];
  while (queue.length > 0) {
    const rel = queue.shift() as string;
    let entries: Awaited<ReturnType<typeof g.ctx.readdir>>;
    try {
      entries = await g.ctx.readdir(rel ? joinPath(path, rel) : path);
    } catch {
      continue;
    }
    for (const entry of entries) {
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      const stat = await statOrNull(g, joinPath(path, name), false);
      if (!stat) continue;
      result.push([name, state(stat)]);
      if (recursive && entry.kind === "directory") queue.push(name);
    }
  }
  return result;
}

export const FS_OPS: Record<string, HostOp> = {
  "fs.watchScan": (g, [path, recursive]) => watchScan(g, str(path), recursive === true),
  "fs.access": (g, [path, mode]) => as(g.ctx.access(str(path), Number(mode)), "access", str(path)),
  "fs.exists": async (g, [path]) => (await statOrNull(g, str(path), true)) !== null,
  /** [path, follow, throwIfNoEntry] → the stat, or null for a missing entry when asked. */
  "fs.stat": async (g, [path, follow, throwIfNoEntry]) => {
    const p = str(path);
    if (throwIfNoEntry === false) {
      const stat = await as(statOrNull(g, p, follow !== false), follow ? "stat" : "lstat", p);
      return stat && statArray(stat);
    }
    const stat = follow ? g.ctx.stat(p) : g.ctx.lstat(p);
    return statArray(await as(stat, follow ? "stat" : "lstat", p));
  },
  "fs.fstat": async (g, [fd]) => {
    const file = openFile(g, fd as number, "fstat");
    return statArray(await as(file.stat(), "fstat"));
  },
  "fs.statfs": (g, [path]) => statfs(g, str(path)),
  /** [path, recursive] → [names, kinds]. */
  "fs.readdir": async (g, [path, recursive]) => {
    const p = str(path);
    if (recursive) return readdirTree(g, p);
    const entries = await as(g.ctx.readdir(p), "scandir", p);
    return [entries.map((e) => e.name), entries.map((e) => e.kind)];
  },
  /** opendir checks the directory now; entries are read by later fs.readdir calls. */
  "fs.opendir": async (g, [path]) => {
    const p = str(path);
    const stat = await as(g.ctx.stat(p), "opendir");
    if ((stat.mode & S_IFMT) !== S_IFDIR) throw new KernelError("ENOTDIR", "opendir");
    const entries = await as(g.ctx.readdir(p), "opendir");
    return [entries.map((e) => e.name), entries.map((e) => e.kind)];
  },
  "fs.mkdir": async (g, [path, mode, recursive]) => {
    const p = str(path);
    if (recursive) return mkdirRecursive(g, p, mode as number);
    await as(g.ctx.mkdir(p, mode as number), "mkdir", p);
    return undefined;
  },
  "fs.mkdtemp": (g, [prefix]) => mkdtemp(g, str(prefix)),
  "fs.rm": async (g, [path, recursive, force]) => {
    try {
      await remove(g, str(path), recursive === true);
    } catch (error) {
      if (force && isKernelError(error, "ENOENT") && error.path === path) return undefined;
      throw error;
    }
    return undefined;
  },
  "fs.rmdir": (g, [path]) => as(g.ctx.rmdir(str(path)), "rmdir", str(path)),
  "fs.unlink": (g, [path]) => as(g.ctx.unlink(str(path)), "unlink", str(path)),
  "fs.rename": (g, [from, to]) =>
    as(g.ctx.rename(str(from), str(to)), "rename", str(from), str(to)),
  "fs.link": (g, [existing, path]) =>
    as(g.ctx.link(str(existing), str(path)), "link", str(existing), str(path)),
  "fs.symlink": (g, [target, path]) =>
    as(g.ctx.symlink(str(target), str(path)), "symlink", str(target), str(path)),
  "fs.readlink": (g, [path]) => as(g.ctx.readlink(str(path)), "readlink", str(path)),
  /** [path, native]: the JS realpath reports the lstat that failed, the native one itself. */
  "fs.realpath": async (g, [path, native]) => {
    try {
      return await g.ctx.realpath(str(path));
    } catch (error) {
      if (native) rethrow(error, "realpath", str(path));
      return realpathError(g, str(path), error);
    }
  },
  "fs.chmod": (g, [path, mode]) => as(g.ctx.chmod(str(path), mode as number), "chmod", str(path)),
  "fs.fchmod": (g, [fd, mode]) =>
    as(g.ctx.chmod(pathOf(g, fd as number, "fchmod"), mode as number), "fchmod"),
  "fs.chown": (g, [path, uid, gid, follow]) =>
    as(
      g.ctx.chown(str(path), uid as number, gid as number, follow !== false),
      follow === false ? "lchown" : "chown",
      str(path),
    ),
  "fs.fchown": (g, [fd, uid, gid]) =>
    as(g.ctx.chown(pathOf(g, fd as number, "fchown"), uid as number, gid as number), "fchown"),
  "fs.utimes": async (g, [path, atime, mtime, follow]) => {
    const p = str(path);
    if (follow === false) {
      const stat = await as(g.ctx.lstat(p), "lutime", p);
      if ((stat.mode & S_IFMT) === S_IFLNK) {
        throw new KernelError(
          "ENOTSUP",
          "lutime",
          p,
          undefined,
          "changing a symbolic link's times is not supported in the agentOS VM",
        );
      }
    }
    await as(
      g.ctx.utimes(p, atime as number, mtime as number),
      follow === false ? "lutime" : "utime",
      p,
    );
  },
  "fs.futimes": (g, [fd, atime, mtime]) =>
    as(g.ctx.utimes(pathOf(g, fd as number, "futime"), atime as number, mtime as number), "futime"),
  "fs.truncate": (g, [path, length]) =>
    as(g.ctx.truncate(str(path), length as number), "open", str(path)),
  "fs.ftruncate": async (g, [fd, length]) => {
    const file = openFile(g, fd as number, "ftruncate");
    if (!(file instanceof FileOpenFile) || !file.writable)
      throw new KernelError("EINVAL", "ftruncate");
    await as(file.file.truncate(length as number), "ftruncate");
  },
  /** fsync and fdatasync: writes reach the VM's file system at once; only the fd is checked. */
  "fs.fsync": (g, [fd, syscall]) => {
    openFile(g, fd as number, str(syscall));
    return undefined;
  },
  "fs.copyFile": (g, [src, dest, mode]) => copyFile(g, str(src), str(dest), Number(mode) || 0),
  "fs.open": (g, [path, flags, mode]) =>
    as(g.ctx.open(str(path), flags as number, mode as number), "open", str(path)),
  "fs.close": (g, [fd]) => {
    try {
      g.ctx.close(fd as number);
    } catch (error) {
      rethrow(error, "close");
    }
    return undefined;
  },
  /** [fd, length, position|null] → the bytes read (empty at end of file). */
  "fs.read": async (g, [fd, length, position]) => {
    const n = length as number;
    if (typeof position === "number" && position >= 0) {
      return positionalRead(g, fd as number, n, position);
    }
    if (n === 0) return new Uint8Array(0);
    return (await as(g.ctx.read(fd as number, n), "read")) ?? new Uint8Array(0);
  },
  /** [fd, bytes, position|null] → the number of bytes written. */
  "fs.write": (g, [fd, data, position]) =>
    chained(g, () => {
      const bytes = data as Uint8Array;
      if (typeof position === "number" && position >= 0) {
        return positionalWrite(g, fd as number, bytes, position);
      }
      return as(g.ctx.kernel.write(g.ctx.pid, fd as number, bytes), "write");
    }),
  /** [path|fd, flags] → the whole file. */
  "fs.readFile": async (g, [path, flags]) => {
    if (typeof path === "number") return readAllFd(g, path);
    const p = str(path);
    const f = (flags as number | undefined) ?? O_RDONLY;
    if (f === O_RDONLY) {
      try {
        return await g.ctx.readFile(p);
      } catch (error) {
        if (isKernelError(error) && error.syscall === "read") rethrow(error, "read");
        rethrow(error, "open", p);
      }
    }
    const fd = await as(g.ctx.open(p, f, 0o666), "open", p);
    try {
      return await readAllFd(g, fd);
    } finally {
      g.ctx.close(fd);
    }
  },
  /** [path|fd, bytes, flags, mode]. */
  "fs.writeFile": async (g, [path, data, flags, mode]) => {
    const bytes = data as Uint8Array;
    if (typeof path === "number") return writeAllFd(g, path, bytes);
    const p = str(path);
    const f = (flags as number | undefined) ?? WRITE_FLAGS;
    if (f === WRITE_FLAGS) {
      await as(g.ctx.writeFile(p, bytes, mode as number), "open", p);
      return undefined;
    }
    if ((f & O_ACCMODE) === O_RDONLY) throw new KernelError("EBADF", "write");
    const fd = await as(g.ctx.open(p, f, mode as number), "open", p);
    try {
      await as(g.ctx.write(fd, bytes), "write");
    } finally {
      g.ctx.close(fd);
    }
    return undefined;
  },
};
