/**
 * The /dev directory of a VM: the character devices programs expect (null, zero, full,
 * random, urandom, tty), the stdin/stdout/stderr/fd links into /proc/self, an empty `pts`
 * directory and a writable `shm` directory.
 *
 * The structure is fixed: creating, removing or changing anything outside `shm` fails with
 * EACCES (chosen over EROFS so that `/dev/shm` can live on the same mount and stay
 * writable; EROFS would claim the whole mount is read-only). `shm` is a nested MemoryFs,
 * capped like Docker's default 64 MiB /dev/shm; crossing its boundary (rename, link) is
 * EXDEV, as between two Linux mounts.
 *
 * Devices ignore positions: the kernel keeps no offset for character devices and always
 * passes 0. A reader that counts positions itself (the namespace's whole-file `readFile`)
 * would never reach the end of zero/full/random/urandom, so past READ_WHOLE_LIMIT bytes
 * those devices fail the read with EFBIG, the way Node's readFile refuses an oversized file.
 */

import { fsError, type KernelError } from "./errors.ts";
import { MemoryFs } from "./memory-fs.ts";
import {
  type DirEntry,
  kindOfMode,
  O_ACCMODE,
  O_CREAT,
  O_RDONLY,
  O_TRUNC,
  O_WRONLY,
  type Owner,
  S_IFCHR,
  S_IFDIR,
  S_IFLNK,
  type Stat,
  type VfsBackend,
  type VfsFile,
} from "./types.ts";

export interface DevFsOptions {
  /**
   * Opens /dev/tty for the process `callerPid`: its controlling terminal, or undefined when
   * it has none (then the open fails with ENXIO, as on Linux).
   */
  openTty?: (callerPid: number) => VfsFile | undefined;
  /** Capacity of /dev/shm in bytes (default 64 MiB). */
  shmMaxBytes?: number;
}

type Device = "null" | "zero" | "full" | "random" | "urandom" | "tty";

interface Entry {
  ino: number;
  mode: number;
  nlink: number;
  rdev: number;
  device?: Device;
  target?: string;
}

const SHM_DEFAULT_BYTES = 64 * 1024 * 1024;
/** Largest chunk one read of random/urandom returns (the limit of getRandomValues). */
const RANDOM_READ_MAX = 65536;
/** Position past which endless devices refuse reads (see the file comment). */
export const READ_WHOLE_LIMIT = 1024 * 1024;
/** shm inode numbers are shifted past the fixed entries so `ino` stays unique on the mount. */
const SHM_INO_BASE = 1000;

const rdev = (major: number, minor: number): number => (major << 8) | minor;
const chr = (ino: number, device: Device, major: number, minor: number): Entry => ({
  ino,
  mode: S_IFCHR | 0o666,
  nlink: 1,
  rdev: rdev(major, minor),
  device,
});
const link = (ino: number, target: string): Entry => ({
  ino,
  mode: S_IFLNK | 0o777,
  nlink: 1,
  rdev: 0,
  target,
});
const dir = (ino: number, mode: number, nlink: number): Entry => ({
  ino,
  mode: S_IFDIR | mode,
  nlink,
  rdev: 0,
});

/** The fixed entries, keyed by path inside the mount; readdir("/") lists them in this order. */
const ENTRIES = new Map<string, Entry>([
  ["/", dir(1, 0o755, 4)],
  ["/null", chr(2, "null", 1, 3)],
  ["/zero", chr(3, "zero", 1, 5)],
  ["/full", chr(4, "full", 1, 7)],
  ["/random", chr(5, "random", 1, 8)],
  ["/urandom", chr(6, "urandom", 1, 9)],
  ["/tty", chr(7, "tty", 5, 0)],
  ["/stdin", link(8, "/proc/self/fd/0")],
  ["/stdout", link(9, "/proc/self/fd/1")],
  ["/stderr", link(10, "/proc/self/fd/2")],
  ["/fd", link(11, "/proc/self/fd")],
  ["/pts", dir(12, 0o755, 2)],
  // /dev/shm itself is the nested MemoryFs's root; this entry only names it in listings.
  ["/shm", dir(0, 0o1777, 2)],
]);

export class DevFs implements VfsBackend {
  readonly #openTty: DevFsOptions["openTty"];
  readonly #shm: Promise<MemoryFs>;
  readonly #bornMs = Date.now();

  constructor(options: DevFsOptions = {}) {
    this.#openTty = options.openTty;
    this.#shm = makeShm(options.shmMaxBytes ?? SHM_DEFAULT_BYTES);
  }

  async lstat(path: string): Promise<Stat> {
    const inner = shmPath(path);
    if (inner !== undefined) return shmStat(await (await this.#shm).lstat(inner));
    return this.#stat(this.#entry(path, "lstat"));
  }

  async readdir(path: string): Promise<DirEntry[]> {
    const inner = shmPath(path);
    if (inner !== undefined) return (await this.#shm).readdir(inner);
    const entry = this.#entry(path, "scandir");
    if (path === "/") {
      const out: DirEntry[] = [];
      for (const [name, child] of ENTRIES) {
        if (name !== "/") out.push({ name: name.slice(1), kind: kindOfMode(child.mode) });
      }
      return out;
    }
    if (kindOfMode(entry.mode) !== "directory") throw fsError("ENOTDIR", "scandir", path);
    return [];
  }

  async mkdir(path: string, mode: number, owner: Owner): Promise<void> {
    return (await this.#shmFor(path, "mkdir")).mkdir(shmPath(path)!, mode, owner);
  }

  async rmdir(path: string): Promise<void> {
    return (await this.#shmFor(path, "rmdir")).rmdir(shmPath(path)!);
  }

  async unlink(path: string): Promise<void> {
    return (await this.#shmFor(path, "unlink")).unlink(shmPath(path)!);
  }

  async rename(from: string, to: string): Promise<void> {
    const shm = await this.#shmForPair(from, to, "rename");
    return shm.rename(shmPath(from)!, shmPath(to)!);
  }

  async link(existing: string, newPath: string): Promise<void> {
    const shm = await this.#shmForPair(existing, newPath, "link");
    return shm.link(shmPath(existing)!, shmPath(newPath)!);
  }

  async symlink(target: string, path: string, owner: Owner): Promise<void> {
    return (await this.#shmFor(path, "symlink")).symlink(target, shmPath(path)!, owner);
  }

  async readlink(path: string): Promise<string> {
    const inner = shmPath(path);
    if (inner !== undefined) return (await this.#shm).readlink(inner);
    const entry = this.#entry(path, "readlink");
    if (entry.target === undefined) throw fsError("EINVAL", "readlink", path);
    return entry.target;
  }

  async chmod(path: string, mode: number): Promise<void> {
    return (await this.#shmFor(path, "chmod")).chmod(shmPath(path)!, mode);
  }

  async chown(path: string, uid: number, gid: number): Promise<void> {
    return (await this.#shmFor(path, "chown")).chown(shmPath(path)!, uid, gid);
  }

  async utimes(path: string, atimeMs: number, mtimeMs: number): Promise<void> {
    return (await this.#shmFor(path, "utime")).utimes(shmPath(path)!, atimeMs, mtimeMs);
  }

  async truncate(path: string, length: number): Promise<void> {
    const inner = shmPath(path);
    if (inner !== undefined) return (await this.#shm).truncate(inner, length);
    // truncate(2) of a device is EINVAL on Linux; of the fixed directories, EACCES here.
    const entry = this.#entry(path, "open");
    throw fsError(entry.device ? "EINVAL" : "EACCES", "open", path);
  }

  async open(path: string, flags: number, mode: number, owner: Owner): Promise<VfsFile> {
    const inner = shmPath(path);
    if (inner !== undefined)
      return new ShmFile(await (await this.#shm).open(inner, flags, mode, owner));
    const entry = ENTRIES.get(path);
    if (entry === undefined) {
      const missing = this.#missing(path, "open");
      // Only shm takes new files: creating in the fixed structure is refused.
      throw missing.code === "ENOENT" && flags & O_CREAT
        ? fsError("EACCES", "open", path)
        : missing;
    }
    if (entry.device === undefined) throw fsError("EACCES", "open", path);
    if (entry.device === "tty") return this.#tty(owner, path);
    // O_TRUNC is accepted and ignored, so `> /dev/null` works.
    return new DeviceFile(entry.device, flags & O_ACCMODE, this.#stat(entry));
  }

  /** Whole-file read: shm files only. The namespace never asks this of a device (see above). */
  async readFile(path: string): Promise<Uint8Array> {
    const inner = shmPath(path);
    if (inner !== undefined) return (await this.#shm).readFile(inner);
    const entry = this.#entry(path, "open");
    if (entry.device === "null") return new Uint8Array(0);
    throw fsError(entry.device ? "EINVAL" : "EISDIR", "read", path);
  }

  async writeFile(path: string, data: Uint8Array, mode: number, owner: Owner): Promise<void> {
    const inner = shmPath(path);
    if (inner !== undefined) return (await this.#shm).writeFile(inner, data, mode, owner);
    // Creating is refused (EACCES) and devices ignore O_TRUNC, as open(2) would do.
    const file = await this.open(path, O_WRONLY | O_CREAT | O_TRUNC, mode, owner);
    try {
      let done = 0;
      while (done < data.length) done += await file.write(data, done, data.length - done, 0);
    } finally {
      await file.close();
    }
  }

  /** The fixed entry at `path`, or the error for a missing one. */
  #entry(path: string, syscall: string): Entry {
    const entry = ENTRIES.get(path);
    if (entry === undefined) throw this.#missing(path, syscall);
    return entry;
  }

  /** ENOTDIR below a non-directory (the backend contract), else ENOENT. */
  #missing(path: string, syscall: string): KernelError {
    const slash = path.indexOf("/", 1);
    const top = slash < 0 ? undefined : ENTRIES.get(path.slice(0, slash));
    const belowFile = top !== undefined && kindOfMode(top.mode) !== "directory";
    return fsError(belowFile ? "ENOTDIR" : "ENOENT", syscall, path);
  }

  #stat(entry: Entry): Stat {
    return {
      dev: 0,
      ino: entry.ino,
      mode: entry.mode,
      nlink: entry.nlink,
      uid: 0,
      gid: 0,
      rdev: entry.rdev,
      size: entry.target === undefined ? 0 : entry.target.length,
      blksize: 4096,
      blocks: 0,
      atimeMs: this.#bornMs,
      mtimeMs: this.#bornMs,
      ctimeMs: this.#bornMs,
      birthtimeMs: this.#bornMs,
    };
  }

  /** The shm store when `path` is inside it; EACCES for the fixed structure. */
  async #shmFor(path: string, syscall: string): Promise<MemoryFs> {
    // /dev/shm itself is a fixed entry: it cannot be removed, renamed or re-owned.
    if (path !== "/shm" && shmPath(path) !== undefined) return this.#shm;
    throw fsError("EACCES", syscall, path);
  }

  async #shmForPair(from: string, to: string, syscall: string): Promise<MemoryFs> {
    const fromShm = from !== "/shm" && shmPath(from) !== undefined;
    const toShm = to !== "/shm" && shmPath(to) !== undefined;
    if (fromShm && toShm) return this.#shm;
    if (fromShm || toShm) throw fsError("EXDEV", syscall, from, to);
    throw fsError("EACCES", syscall, from, to);
  }

  #tty(owner: Owner, path: string): VfsFile {
    // The namespace passes the full Caller as `owner`; only its pid identifies the process.
    const pid = "pid" in owner && typeof owner.pid === "number" ? owner.pid : undefined;
    const file = pid === undefined ? undefined : this.#openTty?.(pid);
    if (file === undefined) throw fsError("ENXIO", "open", path);
    return file;
  }
}

async function makeShm(maxBytes: number): Promise<MemoryFs> {
  const shm = new MemoryFs({ maxBytes });
  // World-writable and sticky, like /tmp.
  await shm.chmod("/", 0o1777);
  return shm;
}

/** The path inside shm for `path`, or undefined when it is outside /shm. */
function shmPath(path: string): string | undefined {
  if (path === "/shm") return "/";
  return path.startsWith("/shm/") ? path.slice(4) : undefined;
}

function shmStat(stat: Stat): Stat {
  return { ...stat, ino: stat.ino + SHM_INO_BASE };
}

/** An shm file whose stat reports the shifted inode number. */
class ShmFile implements VfsFile {
  readonly #file: VfsFile;

  constructor(file: VfsFile) {
    this.#file = file;
  }

  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return this.#file.read(buffer, offset, length, position);
  }

  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return this.#file.write(buffer, offset, length, position);
  }

  async stat(): Promise<Stat> {
    return shmStat(await this.#file.stat());
  }

  truncate(length: number): Promise<void> {
    return this.#file.truncate(length);
  }

  close(): Promise<void> {
    return this.#file.close();
  }
}

/** An open null, zero, full, random or urandom device. */
class DeviceFile implements VfsFile {
  readonly #device: Device;
  readonly #access: number;
  readonly #stat: Stat;

  constructor(device: Device, access: number, stat: Stat) {
    this.#device = device;
    this.#access = access;
    this.#stat = stat;
  }

  async read(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<number> {
    if (this.#access === O_WRONLY) throw fsError("EBADF", "read");
    if (this.#device === "null" || length === 0) return 0;
    if (position >= READ_WHOLE_LIMIT) throw fsError("EFBIG", "read");
    if (this.#device === "zero" || this.#device === "full") {
      buffer.fill(0, offset, offset + length);
      return length;
    }
    const n = Math.min(length, RANDOM_READ_MAX);
    crypto.getRandomValues(buffer.subarray(offset, offset + n));
    return n;
  }

  async write(_buffer: Uint8Array, _offset: number, length: number): Promise<number> {
    if (this.#access === O_RDONLY) throw fsError("EBADF", "write");
    if (this.#device === "full") throw fsError("ENOSPC", "write");
    // null and zero discard; random and urandom accept bytes "into the pool" as Linux does.
    return length;
  }

  async stat(): Promise<Stat> {
    return { ...this.#stat };
  }

  async truncate(): Promise<void> {
    throw fsError("EINVAL", "ftruncate");
  }

  async close(): Promise<void> {}
}
