/**
 * The data types of the virtual filesystem: stat records, directory entries, open flags and
 * the `VfsBackend` interface every storage backend implements.
 */

export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;
export const S_ISUID = 0o4000;
export const S_ISGID = 0o2000;
export const S_ISVTX = 0o1000;

export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_ACCMODE = 3;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_NOCTTY = 0o400;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_NONBLOCK = 0o4000;
export const O_DIRECTORY = 0o200000;
export const O_NOFOLLOW = 0o400000;
export const O_CLOEXEC = 0o2000000;

export type FileKind =
  | "file"
  | "directory"
  | "symlink"
  | "chardev"
  | "blockdev"
  | "fifo"
  | "socket";

/** A stat record, in the shape of Node's `fs.Stats` numeric fields (times in ms). */
export interface Stat {
  dev: number;
  ino: number;
  /** File type bits (S_IFMT) and permission bits. */
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  size: number;
  blksize: number;
  blocks: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
  birthtimeMs: number;
}

export interface DirEntry {
  name: string;
  kind: FileKind;
}

/** Who creates a file: new inodes get this owner. */
export interface Owner {
  uid: number;
  gid: number;
}

/**
 * A file opened on a backend. Positions are always explicit: the kernel's open file
 * description owns the offset (it is shared across dup'd descriptors), so backends stay
 * stateless about seeking. O_APPEND is likewise handled by the kernel.
 */
export interface VfsFile {
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  /**
   * Optional: up to `max` bytes at `position` as a new array of exactly the bytes read (empty
   * at end of file), sparing callers a `max`-sized buffer per read.
   */
  readChunk?(position: number, max: number): Promise<Uint8Array>;
  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  stat(): Promise<Stat>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A storage backend mounted somewhere in a VM's namespace.
 *
 * Paths are absolute *inside the backend* ("/" is the mount root), already normalised (no
 * ".", "..", empty or trailing components). **Backends never follow symbolic links**: the
 * namespace layer above walks paths component by component, resolves links (which may cross
 * mounts) and checks permissions. A symlink or a non-directory met as an intermediate
 * component is `ENOTDIR`. `open` is only called for regular files (existing or created).
 */
export interface VfsBackend {
  lstat(path: string): Promise<Stat>;
  /** Optional fast form of lstat: null instead of ENOENT/ENOTDIR (used by overlay lookups). */
  tryLstat?(path: string): Promise<Stat | null>;
  /**
   * Optional synchronous lstat, so callers can walk a path without a promise per component.
   * A fresh Stat the caller may change, null where lstat would fail with ENOENT or ENOTDIR,
   * undefined when it cannot answer without waiting right now (the caller then uses lstat);
   * other failures throw what lstat would reject with. Only used on a backend marked with
   * `markSyncCapable` (see there).
   */
  lstatSync?(path: string): Stat | null | undefined;
  /** Optional synchronous readlink: the target, or undefined to use readlink. */
  readlinkSync?(path: string, caller?: { pid: number }): string | undefined;
  /** Optional synchronous readdir: the entries, or undefined to use readdir. */
  readdirSync?(path: string): DirEntry[] | undefined;
  /** Optional synchronous open: the file, or undefined to use open. */
  openSync?(path: string, flags: number, mode: number, owner: Owner): VfsFile | undefined;
  /** Entries other than "." and "..", in a stable order. */
  readdir(path: string): Promise<DirEntry[]>;
  mkdir(path: string, mode: number, owner: Owner): Promise<void>;
  rmdir(path: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Atomic; replaces an existing destination as rename(2) does. */
  rename(from: string, to: string): Promise<void>;
  link(existing: string, newPath: string): Promise<void>;
  symlink(target: string, path: string, owner: Owner): Promise<void>;
  /** `caller` is the namespace's Caller: it lets /proc/self name the calling process. */
  readlink(path: string, caller?: { pid: number }): Promise<string>;
  chmod(path: string, mode: number): Promise<void>;
  chown(path: string, uid: number, gid: number): Promise<void>;
  utimes(path: string, atimeMs: number, mtimeMs: number): Promise<void>;
  truncate(path: string, length: number): Promise<void>;
  /** Flags: access mode plus O_CREAT / O_EXCL / O_TRUNC. `mode` applies to created files. */
  open(path: string, flags: number, mode: number, owner: Owner): Promise<VfsFile>;
  /** Optional fast paths; the namespace falls back to open/read/write/close without them. */
  readFile?(path: string): Promise<Uint8Array>;
  writeFile?(path: string, data: Uint8Array, mode: number, owner: Owner): Promise<void>;
  /** Bytes used and available, for `df` and /proc/mounts. */
  usage?(): { usedBytes: number; totalBytes: number; usedInodes: number };
  /** Called when unmounted or the VM is disposed. */
  dispose?(): Promise<void> | void;
}

/** Backends whose synchronous methods may be called (see `markSyncCapable`). */
const syncCapable = new WeakSet<object>();

/**
 * Lets callers use `backend`'s synchronous methods (lstatSync, readlinkSync, readdirSync,
 * openSync, tryLstat). A backend marks itself, as the object it is: a wrapper around it (say a
 * Proxy that remaps owners in lstat and forwards every other method to its target) is another
 * object, is not marked, and so is only ever called through its asynchronous methods, which it
 * does wrap.
 */
export function markSyncCapable(backend: VfsBackend): void {
  syncCapable.add(backend);
}

/** Whether `backend` marked itself with `markSyncCapable`. */
export function isSyncCapable(backend: VfsBackend): boolean {
  return syncCapable.has(backend);
}

export function kindOfMode(mode: number): FileKind {
  switch (mode & S_IFMT) {
    case S_IFDIR:
      return "directory";
    case S_IFLNK:
      return "symlink";
    case S_IFCHR:
      return "chardev";
    case S_IFBLK:
      return "blockdev";
    case S_IFIFO:
      return "fifo";
    case S_IFSOCK:
      return "socket";
    default:
      return "file";
  }
}

export function modeOfKind(kind: FileKind): number {
  switch (kind) {
    case "directory":
      return S_IFDIR;
    case "symlink":
      return S_IFLNK;
    case "chardev":
      return S_IFCHR;
    case "blockdev":
      return S_IFBLK;
    case "fifo":
      return S_IFIFO;
    case "socket":
      return S_IFSOCK;
    default:
      return S_IFREG;
  }
}

export const isDirMode = (mode: number): boolean => (mode & S_IFMT) === S_IFDIR;
export const isLinkMode = (mode: number): boolean => (mode & S_IFMT) === S_IFLNK;
export const isFileMode = (mode: number): boolean => (mode & S_IFMT) === S_IFREG;
