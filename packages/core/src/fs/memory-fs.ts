/**
 * The in-memory filesystem every VM boots with as its root. Inodes are plain objects shared
 * by hard links; a directory inode maps names to child inodes. Paths arrive normalised and
 * are walked without following symlinks (the namespace resolves those).
 */

import { fsError } from "./errors.ts";
import {
  type DirEntry,
  kindOfMode,
  markSyncCapable,
  O_ACCMODE,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_RDONLY,
  O_TRUNC,
  O_WRONLY,
  type Owner,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  type Stat,
  type VfsBackend,
  type VfsFile,
} from "./types.ts";

export interface MemoryFsOptions {
  /** Cap on file data plus symlink target bytes; exceeding writes fail with ENOSPC. */
  maxBytes?: number;
  /** Cap on live inodes (the root counts); creating more fails with ENOSPC. */
  maxInodes?: number;
}

const EMPTY = new Uint8Array(0);
const BLOCK = 4096;
const DIR_SIZE = 4096;
const PERM_BITS = 0o7777;
const NO_LIMIT = Number.MAX_SAFE_INTEGER;
/** Paths whose inodes a MemoryFs remembers before starting afresh. */
const KNOWN_MAX = 4096;

class Inode {
  ino: number;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
  birthtimeMs: number;
  /** Regular files: bytes [0, size) are the content and every byte past size is kept zero. */
  data: Uint8Array;
  /** Regular files: content length. Symlinks: UTF-8 length of the target. */
  size: number;
  /** Directories only; insertion-ordered, which gives readdir its stable order. */
  entries: Map<string, Inode> | null;
  target: string;
  /** VfsFile handles still open; an unlinked inode lives until this drops to 0. */
  openCount: number;

  constructor(ino: number, mode: number, owner: Owner, now: number) {
    this.ino = ino;
    this.mode = mode;
    this.nlink = 1;
    this.uid = owner.uid;
    this.gid = owner.gid;
    this.atimeMs = now;
    this.mtimeMs = now;
    this.ctimeMs = now;
    this.birthtimeMs = now;
    this.data = EMPTY;
    this.size = 0;
    this.entries = null;
    this.target = "";
    this.openCount = 0;
  }
}

const ROOT_OWNER: Owner = { uid: 0, gid: 0 };

/**
 * Inode numbering, space accounting and inode lifetime, shared by a MemoryFs and the files
 * it opens. Every check happens before any mutation, so a failed call changes nothing.
 */
class Space {
  readonly maxBytes: number;
  readonly maxInodes: number;
  nextIno = 1;
  usedBytes = 0;
  usedInodes = 0;

  constructor(maxBytes: number, maxInodes: number) {
    this.maxBytes = maxBytes;
    this.maxInodes = maxInodes;
  }

  allocInode(
    mode: number,
    owner: Owner,
    now: number,
    syscall: string,
    path: string,
    dest?: string,
  ): Inode {
    if (this.usedInodes >= this.maxInodes) throw fsError("ENOSPC", syscall, path, dest);
    this.usedInodes++;
    return new Inode(this.nextIno++, mode, owner, now);
  }

  reserveBytes(extra: number, syscall: string, path?: string, dest?: string): void {
    if (extra > 0 && this.usedBytes + extra > this.maxBytes) {
      throw fsError("ENOSPC", syscall, path, dest);
    }
  }

  /** Writes into a regular file; positions past EOF leave a zero-filled gap. */
  writeAt(node: Inode, src: Uint8Array, offset: number, length: number, position: number): number {
    if (length === 0) return 0;
    const end = position + length;
    const grow = end - node.size;
    if (grow > 0) {
      this.reserveBytes(grow, "write");
      ensureCapacity(node, end, "write");
    }
    node.data.set(src.subarray(offset, offset + length), position);
    if (grow > 0) {
      node.size = end;
      this.usedBytes += grow;
    }
    const now = Date.now();
    node.mtimeMs = now;
    node.ctimeMs = now;
    return length;
  }

  /** truncate(2) on an inode: shrinking zeroes the dropped tail so a later grow reads zeros. */
  resize(node: Inode, length: number, syscall: string, path?: string): void {
    const size = node.size;
    if (length > size) {
      this.reserveBytes(length - size, syscall, path);
      ensureCapacity(node, length, syscall);
    } else if (length < size) {
      const cap = node.data.length;
      if (length === 0) node.data = EMPTY;
      else if (length < cap / 4 && cap > BLOCK) node.data = node.data.slice(0, length);
      else node.data.fill(0, length, size);
    }
    node.size = length;
    this.usedBytes += length - size;
    const now = Date.now();
    node.mtimeMs = now;
    node.ctimeMs = now;
  }

  dropLink(node: Inode, now: number): void {
    node.nlink--;
    node.ctimeMs = now;
    if (node.nlink === 0 && node.openCount === 0) this.free(node);
  }

  dropDir(dir: Inode, now: number): void {
    dir.nlink = 0;
    dir.ctimeMs = now;
    this.free(dir);
  }

  closeInode(node: Inode): void {
    node.openCount--;
    if (node.nlink === 0 && node.openCount === 0) this.free(node);
  }

  private free(node: Inode): void {
    this.usedInodes--;
    this.usedBytes -= node.size;
    node.size = 0;
    node.data = EMPTY;
    node.entries = null;
  }
}

export class MemoryFs implements VfsBackend {
  private readonly root: Inode;
  private readonly space: Space;
  /**
   * Inodes of paths found before. Only a removal or a rename can make an entry wrong (an
   * inode never changes type, and creating a name changes no existing path), and each of
   * those empties the map first.
   */
  private readonly known = new Map<string, Inode>();

  constructor(options?: MemoryFsOptions) {
    const space = new Space(options?.maxBytes ?? NO_LIMIT, options?.maxInodes ?? NO_LIMIT);
    // The root is always there, even under a maxInodes of 0; it still counts as used.
    const root = new Inode(space.nextIno++, S_IFDIR | 0o755, ROOT_OWNER, Date.now());
    space.usedInodes = 1;
    root.nlink = 2;
    root.entries = new Map();
    this.root = root;
    this.space = space;
    // Every call is synchronous underneath: callers may skip the promises.
    markSyncCapable(this);
  }

  async lstat(path: string): Promise<Stat> {
    return statOf(this.lookup(path, "lstat"));
  }

  /** lstat without an error object for a missing path (overlay lookups miss a lot). */
  async tryLstat(path: string): Promise<Stat | null> {
    return this.lstatSync(path);
  }

  lstatSync(path: string): Stat | null {
    const node = this.find(path);
    return node ? statOf(node) : null;
  }

  /** The inode at `path`, or undefined when any component is missing or not a directory. */
  private find(path: string): Inode | undefined {
    const known = this.known.get(path);
    if (known !== undefined) return known;
    const node = this.walk(path);
    if (node !== undefined) this.remember(path, node);
    return node;
  }

  private remember(path: string, node: Inode): void {
    if (this.known.size >= KNOWN_MAX) this.known.clear();
    this.known.set(path, node);
  }

  /** `find` without the map. */
  private walk(path: string): Inode | undefined {
    if (path === "/") return this.root;
    let node = this.root;
    let start = 1;
    const end = path.length;
    while (start <= end) {
      let slash = path.indexOf("/", start);
      if (slash === -1) slash = end;
      if (node.entries === null) return undefined;
      const child = node.entries.get(path.slice(start, slash));
      if (child === undefined) return undefined;
      node = child;
      start = slash + 1;
    }
    return node;
  }

  async readdir(path: string): Promise<DirEntry[]> {
    return this.readdirSync(path);
  }

  readdirSync(path: string): DirEntry[] {
    const dir = this.lookup(path, "scandir");
    if (dir.entries === null) throw fsError("ENOTDIR", "scandir", path);
    const out: DirEntry[] = [];
    for (const [name, child] of dir.entries) out.push({ name, kind: kindOfMode(child.mode) });
    dir.atimeMs = Date.now();
    return out;
  }

  async mkdir(path: string, mode: number, owner: Owner): Promise<void> {
    if (path === "/") throw fsError("EEXIST", "mkdir", path);
    const slash = path.lastIndexOf("/");
    const parent = this.walkDirs(path, slash, "mkdir", path);
    const name = path.slice(slash + 1);
    if (parent.entries!.has(name)) throw fsError("EEXIST", "mkdir", path);
    const now = Date.now();
    const dir = this.space.allocInode(S_IFDIR | (mode & PERM_BITS), owner, now, "mkdir", path);
    dir.nlink = 2;
    dir.entries = new Map();
    parent.entries!.set(name, dir);
    parent.nlink++;
    touchDir(parent, now);
  }

  async rmdir(path: string): Promise<void> {
    this.known.clear();
    const slash = path.lastIndexOf("/");
    const parent = this.walkDirs(path, slash, "rmdir", path);
    if (path === "/") throw fsError("EBUSY", "rmdir", path);
    const name = path.slice(slash + 1);
    const dir = parent.entries!.get(name);
    if (dir === undefined) throw fsError("ENOENT", "rmdir", path);
    if (dir.entries === null) throw fsError("ENOTDIR", "rmdir", path);
    if (dir.entries.size > 0) throw fsError("ENOTEMPTY", "rmdir", path);
    const now = Date.now();
    parent.entries!.delete(name);
    parent.nlink--;
    touchDir(parent, now);
    this.space.dropDir(dir, now);
  }

  async unlink(path: string): Promise<void> {
    this.known.clear();
    if (path === "/") throw fsError("EISDIR", "unlink", path);
    const slash = path.lastIndexOf("/");
    const parent = this.walkDirs(path, slash, "unlink", path);
    const name = path.slice(slash + 1);
    const node = parent.entries!.get(name);
    if (node === undefined) throw fsError("ENOENT", "unlink", path);
    if (node.entries !== null) throw fsError("EISDIR", "unlink", path);
    const now = Date.now();
    parent.entries!.delete(name);
    touchDir(parent, now);
    this.space.dropLink(node, now);
  }

  async rename(from: string, to: string): Promise<void> {
    this.known.clear();
    // Same check order as Linux's renameat2, so errno precedence matches a host filesystem.
    const fromSlash = from.lastIndexOf("/");
    const toSlash = to.lastIndexOf("/");
    const fromParent = this.walkDirs(from, fromSlash, "rename", from, to);
    const toParent = this.walkDirs(to, toSlash, "rename", from, to);
    if (from === "/" || to === "/") throw fsError("EBUSY", "rename", from, to);
    const fromName = from.slice(fromSlash + 1);
    const toName = to.slice(toSlash + 1);
    const node = fromParent.entries!.get(fromName);
    if (node === undefined) throw fsError("ENOENT", "rename", from, to);
    // Source an ancestor of the target's directory, then target an ancestor of the source.
    if (to.startsWith(from) && to.charCodeAt(from.length) === 47) {
      throw fsError("EINVAL", "rename", from, to);
    }
    if (from.startsWith(to) && from.charCodeAt(to.length) === 47) {
      throw fsError("ENOTEMPTY", "rename", from, to);
    }
    const victim = toParent.entries!.get(toName);
    if (victim === node) return;
    const isDir = node.entries !== null;
    if (victim !== undefined) {
      if (isDir) {
        if (victim.entries === null) throw fsError("ENOTDIR", "rename", from, to);
        if (victim.entries.size > 0) throw fsError("ENOTEMPTY", "rename", from, to);
      } else if (victim.entries !== null) {
        throw fsError("EISDIR", "rename", from, to);
      }
    }
    const now = Date.now();
    fromParent.entries!.delete(fromName);
    toParent.entries!.set(toName, node);
    if (victim !== undefined) {
      if (victim.entries !== null) {
        toParent.nlink--;
        this.space.dropDir(victim, now);
      } else {
        this.space.dropLink(victim, now);
      }
    }
    if (isDir && fromParent !== toParent) {
      fromParent.nlink--;
      toParent.nlink++;
    }
    node.ctimeMs = now;
    touchDir(fromParent, now);
    touchDir(toParent, now);
  }

  async link(existing: string, newPath: string): Promise<void> {
    const node = this.lookup(existing, "link", newPath);
    const slash = newPath.lastIndexOf("/");
    const parent = this.walkDirs(newPath, slash, "link", existing, newPath);
    const name = newPath.slice(slash + 1);
    if (newPath === "/" || parent.entries!.has(name)) {
      throw fsError("EEXIST", "link", existing, newPath);
    }
    if (node.entries !== null) throw fsError("EPERM", "link", existing, newPath);
    const now = Date.now();
    node.nlink++;
    node.ctimeMs = now;
    parent.entries!.set(name, node);
    touchDir(parent, now);
  }

  async symlink(target: string, path: string, owner: Owner): Promise<void> {
    // Node reports symlink errors as "symlink 'target' -> 'path'".
    const slash = path.lastIndexOf("/");
    const parent = this.walkDirs(path, slash, "symlink", target, path);
    const name = path.slice(slash + 1);
    if (path === "/" || parent.entries!.has(name)) {
      throw fsError("EEXIST", "symlink", target, path);
    }
    if (target.length === 0) throw fsError("ENOENT", "symlink", target, path);
    const size = utf8Length(target);
    this.space.reserveBytes(size, "symlink", target, path);
    const now = Date.now();
    const link = this.space.allocInode(S_IFLNK | 0o777, owner, now, "symlink", target, path);
    link.target = target;
    link.size = size;
    this.space.usedBytes += size;
    parent.entries!.set(name, link);
    touchDir(parent, now);
  }

  async readlink(path: string): Promise<string> {
    return this.readlinkSync(path);
  }

  readlinkSync(path: string): string {
    const node = this.lookup(path, "readlink");
    if ((node.mode & S_IFMT) !== S_IFLNK) throw fsError("EINVAL", "readlink", path);
    return node.target;
  }

  async chmod(path: string, mode: number): Promise<void> {
    const node = this.lookup(path, "chmod");
    node.mode = (node.mode & S_IFMT) | (mode & PERM_BITS);
    node.ctimeMs = Date.now();
  }

  async chown(path: string, uid: number, gid: number): Promise<void> {
    const node = this.lookup(path, "chown");
    // -1 leaves that id unchanged, as chown(2) does.
    if (uid !== -1) node.uid = uid;
    if (gid !== -1) node.gid = gid;
    node.ctimeMs = Date.now();
  }

  async utimes(path: string, atimeMs: number, mtimeMs: number): Promise<void> {
    const node = this.lookup(path, "utime");
    node.atimeMs = atimeMs;
    node.mtimeMs = mtimeMs;
    node.ctimeMs = Date.now();
  }

  async truncate(path: string, length: number): Promise<void> {
    if (!(length >= 0)) throw fsError("EINVAL", "open", path);
    const node = this.lookup(path, "open");
    if (node.entries !== null) throw fsError("EISDIR", "open", path);
    if ((node.mode & S_IFMT) !== S_IFREG) throw fsError("EINVAL", "open", path);
    this.space.resize(node, length, "open", path);
  }

  async open(path: string, flags: number, mode: number, owner: Owner): Promise<VfsFile> {
    return this.openSync(path, flags, mode, owner);
  }

  openSync(path: string, flags: number, mode: number, owner: Owner): VfsFile {
    const node = this.openInode(path, flags, mode, owner);
    node.openCount++;
    return new MemoryFile(this.space, node, flags & O_ACCMODE);
  }

  async readFile(path: string): Promise<Uint8Array> {
    const node = this.lookup(path, "open");
    if (node.entries !== null) throw fsError("EISDIR", "read", path);
    if ((node.mode & S_IFMT) !== S_IFREG) throw fsError("ELOOP", "open", path);
    node.atimeMs = Date.now();
    return node.data.slice(0, node.size);
  }

  async writeFile(path: string, data: Uint8Array, mode: number, owner: Owner): Promise<void> {
    const slash = path.lastIndexOf("/");
    const parent = this.walkDirs(path, slash, "open", path);
    if (path === "/") throw fsError("EISDIR", "open", path);
    const name = path.slice(slash + 1);
    let node = parent.entries!.get(name);
    if (node !== undefined) {
      if (node.entries !== null) throw fsError("EISDIR", "open", path);
      if ((node.mode & S_IFMT) !== S_IFREG) throw fsError("ELOOP", "open", path);
    }
    const oldSize = node === undefined ? 0 : node.size;
    this.space.reserveBytes(data.length - oldSize, "write", path);
    const now = Date.now();
    if (node === undefined) {
      node = this.space.allocInode(S_IFREG | (mode & PERM_BITS), owner, now, "open", path);
      parent.entries!.set(name, node);
      touchDir(parent, now);
    }
    // Exact-size copy: the caller keeps its buffer, and whole-file writes rarely grow later.
    // (`new Uint8Array` rather than `.slice()`: on a Node Buffer, slice is a view.)
    node.data = data.length === 0 ? EMPTY : new Uint8Array(data);
    node.size = data.length;
    this.space.usedBytes += data.length - oldSize;
    node.mtimeMs = now;
    node.ctimeMs = now;
  }

  usage(): { usedBytes: number; totalBytes: number; usedInodes: number } {
    const { usedBytes, maxBytes, usedInodes } = this.space;
    return { usedBytes, totalBytes: maxBytes, usedInodes };
  }

  // ---- path walking ----

  /**
   * Resolves the directory holding the last component: path[0, end) must be a chain of
   * directories. Errors name `path` (and `dest`) as given.
   */
  private walkDirs(
    path: string,
    end: number,
    syscall: string,
    errPath: string,
    dest?: string,
  ): Inode {
    let node = this.root;
    let start = 1;
    while (start < end) {
      let slash = path.indexOf("/", start);
      if (slash === -1 || slash > end) slash = end;
      const child = node.entries!.get(path.slice(start, slash));
      if (child === undefined) throw fsError("ENOENT", syscall, errPath, dest);
      if (child.entries === null) throw fsError("ENOTDIR", syscall, errPath, dest);
      node = child;
      start = slash + 1;
    }
    return node;
  }

  private lookup(path: string, syscall: string, dest?: string): Inode {
    const known = this.known.get(path);
    if (known !== undefined) return known;
    if (path === "/") return this.root;
    const slash = path.lastIndexOf("/");
    const parent = this.walkDirs(path, slash, syscall, path, dest);
    const node = parent.entries!.get(path.slice(slash + 1));
    if (node === undefined) throw fsError("ENOENT", syscall, path, dest);
    this.remember(path, node);
    return node;
  }

  private openInode(path: string, flags: number, mode: number, owner: Owner): Inode {
    const slash = path.lastIndexOf("/");
    const parent = this.walkDirs(path, slash, "open", path);
    const exclusive = (flags & (O_CREAT | O_EXCL)) === (O_CREAT | O_EXCL);
    if (path === "/") throw fsError(exclusive ? "EEXIST" : "EISDIR", "open", path);
    const name = path.slice(slash + 1);
    const node = parent.entries!.get(name);
    if (node === undefined) {
      if ((flags & O_CREAT) === 0) throw fsError("ENOENT", "open", path);
      if ((flags & O_DIRECTORY) !== 0) throw fsError("EINVAL", "open", path);
      const now = Date.now();
      const file = this.space.allocInode(S_IFREG | (mode & PERM_BITS), owner, now, "open", path);
      parent.entries!.set(name, file);
      touchDir(parent, now);
      return file;
    }
    if (exclusive) throw fsError("EEXIST", "open", path);
    if (node.entries !== null) throw fsError("EISDIR", "open", path);
    if ((flags & O_DIRECTORY) !== 0) throw fsError("ENOTDIR", "open", path);
    // Only reached if the namespace asks for a link itself: behave like O_NOFOLLOW.
    if ((node.mode & S_IFMT) !== S_IFREG) throw fsError("ELOOP", "open", path);
    if ((flags & O_TRUNC) !== 0) this.space.resize(node, 0, "open", path);
    return node;
  }
}

class MemoryFile implements VfsFile {
  private readonly space: Space;
  private readonly node: Inode;
  private readonly access: number;
  private closed = false;

  constructor(space: Space, node: Inode, access: number) {
    this.space = space;
    this.node = node;
    this.access = access;
  }

  async read(buffer: Uint8Array, offset: number, length: number, position: number) {
    this.check("read", O_WRONLY);
    checkRange(buffer, offset, length, position, "read");
    const node = this.node;
    if (length === 0 || position >= node.size) return 0;
    const n = Math.min(length, node.size - position);
    buffer.set(node.data.subarray(position, position + n), offset);
    node.atimeMs = Date.now();
    return n;
  }

  async readChunk(position: number, max: number): Promise<Uint8Array> {
    this.check("read", O_WRONLY);
    const node = this.node;
    if (max <= 0 || position >= node.size) return new Uint8Array(0);
    node.atimeMs = Date.now();
    return node.data.slice(position, Math.min(node.size, position + max));
  }

  async write(buffer: Uint8Array, offset: number, length: number, position: number) {
    this.check("write", O_RDONLY);
    checkRange(buffer, offset, length, position, "write");
    return this.space.writeAt(this.node, buffer, offset, length, position);
  }

  async stat(): Promise<Stat> {
    if (this.closed) throw fsError("EBADF", "fstat");
    return statOf(this.node);
  }

  async truncate(length: number): Promise<void> {
    this.check("ftruncate", -1);
    // ftruncate(2) on a descriptor not open for writing is EINVAL on Linux.
    if (this.access === O_RDONLY || !(length >= 0)) throw fsError("EINVAL", "ftruncate");
    this.space.resize(this.node, length, "ftruncate");
  }

  async close(): Promise<void> {
    // Idempotent, so the open count can never be released twice.
    if (this.closed) return;
    this.closed = true;
    this.space.closeInode(this.node);
  }

  private check(syscall: string, forbiddenAccess: number): void {
    if (this.closed || this.access === forbiddenAccess) throw fsError("EBADF", syscall);
  }
}

function checkRange(buf: Uint8Array, offset: number, length: number, pos: number, sys: string) {
  if (!(offset >= 0 && length >= 0 && offset + length <= buf.length && pos >= 0)) {
    throw fsError("EINVAL", sys);
  }
  if (!Number.isSafeInteger(pos + offset + length)) throw fsError("EINVAL", sys);
}

/** Grows a file's buffer geometrically, so repeated appends cost amortised O(1) per byte. */
function ensureCapacity(node: Inode, needed: number, syscall: string): void {
  const cap = node.data.length;
  if (needed <= cap) return;
  // First allocation is exact: most files are written once, whole.
  const next = cap === 0 ? needed : Math.max(needed, cap * 2);
  const bigger = allocate(next) ?? (next > needed ? allocate(needed) : null);
  // The host refusing the memory is, for the guest, a full disk: nothing has changed yet.
  if (bigger === null) throw fsError("ENOSPC", syscall);
  bigger.set(node.data.subarray(0, node.size));
  node.data = bigger;
}

function allocate(size: number): Uint8Array | null {
  try {
    return new Uint8Array(size);
  } catch {
    return null;
  }
}

function touchDir(dir: Inode, now: number): void {
  dir.mtimeMs = now;
  dir.ctimeMs = now;
}

function statOf(node: Inode): Stat {
  const isDir = node.entries !== null || (node.mode & S_IFMT) === S_IFDIR;
  const size = isDir ? DIR_SIZE : node.size;
  const isLink = (node.mode & S_IFMT) === S_IFLNK;
  return {
    dev: 0,
    ino: node.ino,
    mode: node.mode,
    nlink: node.nlink,
    uid: node.uid,
    gid: node.gid,
    rdev: 0,
    size,
    blksize: BLOCK,
    // Allocation is reported in whole 4 KiB blocks, counted in 512-byte units; links are inline.
    blocks: isLink ? 0 : Math.ceil(size / BLOCK) * (BLOCK / 512),
    atimeMs: node.atimeMs,
    mtimeMs: node.mtimeMs,
    ctimeMs: node.ctimeMs,
    birthtimeMs: node.birthtimeMs,
  };
}

function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}
