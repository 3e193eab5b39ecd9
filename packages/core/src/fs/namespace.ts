/**
 * One VM's file tree as processes see it: the mount table plus POSIX path resolution.
 *
 * Backends only ever see literal paths inside themselves. This layer walks every path a
 * component at a time, follows symbolic links (which may lead across mounts; at most 40, then
 * ELOOP), applies "..", checks Unix permissions for the caller, the read-only flag of each
 * mount and the VM's configured access policy, and reports errors with the caller's path.
 */
import { isKernelError, KernelError } from "./errors.ts";
import { type Mount, type MountOptions, MountTable } from "./mount-table.ts";
import {
  type DirEntry,
  isDirMode,
  isLinkMode,
  isSyncCapable,
  O_ACCMODE,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_NOFOLLOW,
  O_RDONLY,
  O_TRUNC,
  O_WRONLY,
  S_IFMT,
  S_ISVTX,
  type Stat,
  type VfsBackend,
  type VfsFile,
} from "./types.ts";

/** Who performs a filesystem call. `pid` lets /proc/self and magic links resolve. */
export interface Caller {
  uid: number;
  gid: number;
  pid: number;
  groups?: readonly number[];
  /** Applied to the mode of created files and directories. */
  umask?: number;
}

export type AccessKind = "read" | "write";
/** The VM's configured filesystem policy: return false to refuse `path`. */
export type AccessPolicy = (path: string, access: AccessKind) => boolean;

export const R_OK = 4;
export const W_OK = 2;
export const X_OK = 1;

const MAX_SYMLINKS = 40;
const NAME_MAX = 255;

export interface Resolved {
  /** Canonical absolute path (symlinks and ".." resolved; the last component is a link when not followed). */
  path: string;
  mount: Mount;
  inner: string;
  /** Stat of the final component (dev set to the mount's), or null when it does not exist. */
  stat: Stat | null;
  /** Stat of the directory that holds it. */
  parent: Stat;
  /** Set when the path names /proc/<pid>/fd/<n>, which opens the process's descriptor itself. */
  magic?: { pid: number; fd: number };
}

export type OpenResult =
  | { kind: "file"; file: VfsFile; path: string; stat: Stat; mount: Mount }
  | { kind: "directory"; path: string; stat: Stat; mount: Mount }
  | { kind: "magic"; pid: number; fd: number; path: string };

export class Namespace {
  readonly mounts: MountTable;
  #policy: AccessPolicy | undefined;

  constructor(
    root: VfsBackend,
    options: { rootOptions?: MountOptions; policy?: AccessPolicy } = {},
  ) {
    this.mounts = new MountTable(root, options.rootOptions ?? { type: "memfs" });
    this.#policy = options.policy;
  }

  // ---- resolution -------------------------------------------------------------------------

  /**
   * Resolves `path` (absolute) for `caller`. Errors name `path` as given.
   *
   * Components are read by index from `text` (the path, then a link target with the rest of
   * the path appended); each directory on the way is kept on three parallel stacks (canonical
   * path, mount, stat fetched lazily). A backend that can answer synchronously (`lstatSync`
   * and friends) is asked without a promise per component; others are awaited. With
   * synchronous backends the whole walk happens in one turn, so it sees one consistent state
   * of the tree.
   */
  async resolve(
    caller: Caller,
    path: string,
    followLast: boolean,
    syscall = "stat",
    allowMissing = false,
  ): Promise<Resolved> {
    try {
      if (typeof path !== "string" || path.length === 0) throw new KernelError("ENOENT", syscall);
      if (path.charCodeAt(0) !== 47) throw new KernelError("EINVAL", syscall, path);
      if (path.includes("\0")) throw new KernelError("EINVAL", syscall, path);
      const endsWithSlash = path.charCodeAt(path.length - 1) === 47;
      const follow = followLast || endsWithSlash;
      const trailingSlash = endsWithSlash && path.length > 1;
      const rootMount = this.mounts.root;
      const checkSearch = caller.uid !== 0;
      // One entry per directory from the root down to the current one.
      const paths: string[] = ["/"];
      const mounts: Mount[] = [rootMount];
      const stats: (Stat | null)[] = [null];
      let text = path;
      let lastStart = lastMeaningfulStart(text);
      let links = 0;
      let start = 0;
      // While the path so far is canonical as written, a child's path is a prefix of `path`.
      let verbatim = true;
      while (start <= text.length) {
        const nameStart = start;
        let end = text.indexOf("/", start);
        if (end === -1) end = text.length;
        start = end + 1;
        const length = end - nameStart;
        if (length === 0) {
          if (nameStart > 0) verbatim = false;
          continue;
        }
        if (text.charCodeAt(nameStart) === 46) {
          if (length === 1) {
            verbatim = false;
            continue;
          }
          if (length === 2 && text.charCodeAt(nameStart + 1) === 46) {
            verbatim = false;
            if (paths.length > 1) {
              paths.pop();
              mounts.pop();
              stats.pop();
            }
            continue;
          }
        }
        const isLast = nameStart === lastStart;
        if (length > NAME_MAX) throw new KernelError("ENAMETOOLONG", syscall, path);
        const top = paths.length - 1;
        if (checkSearch) {
          let dir = stats[top];
          if (dir === null) {
            const fetched = this.#fetchStat(mounts[top], paths[top]);
            dir = fetched instanceof Promise ? await fetched : fetched;
            stats[top] = dir;
          }
          if (!permits(caller, dir, X_OK)) throw new KernelError("EACCES", "open");
        }
        const name = text.slice(nameStart, end);
        const parentPath = paths[top];
        const childPath = verbatim
          ? path.slice(0, end)
          : top === 0
            ? "/" + name
            : parentPath + "/" + name;
        const mount = this.mounts.mountedOn(childPath, name) ?? mounts[top];
        const inner = innerPath(mount, childPath);
        const backend = mount.backend;
        let stat = isSyncCapable(backend) ? backend.lstatSync?.(inner) : undefined;
        if (stat === undefined) {
          try {
            stat = await backend.lstat(inner);
          } catch (err) {
            if (isLast && allowMissing && isKernelError(err, "ENOENT")) {
              return await this.#missing(
                childPath,
                mount,
                inner,
                mounts[top],
                paths[top],
                stats,
                top,
              );
            }
            throw err;
          }
        } else if (stat === null) {
          // A synchronous miss: the parent was just seen to be a directory, so this is ENOENT.
          if (isLast && allowMissing) {
            return await this.#missing(
              childPath,
              mount,
              inner,
              mounts[top],
              paths[top],
              stats,
              top,
            );
          }
          throw new KernelError("ENOENT", syscall, path);
        }
        if (isLinkMode(stat.mode)) {
          if (mount.type === "proc") {
            const magic = /^\/(\d+)\/fd\/(\d+)$/.exec(inner);
            if (magic && isLast && follow) {
              let parent = stats[top];
              if (parent === null) parent = await this.#fetchStat(mounts[top], paths[top]);
              return {
                path: childPath,
                mount,
                inner,
                stat: { ...stat, dev: mount.dev },
                parent: { ...parent, dev: mounts[top].dev },
                magic: { pid: Number(magic[1]), fd: Number(magic[2]) },
              };
            }
          }
          if (!isLast || follow) {
            if (++links > MAX_SYMLINKS) throw new KernelError("ELOOP", syscall, path);
            let target = isSyncCapable(backend) ? backend.readlinkSync?.(inner, caller) : undefined;
            if (target === undefined) target = await backend.readlink(inner, caller);
            if (target.length === 0) throw new KernelError("ENOENT", syscall, path);
            verbatim = false;
            if (target.charCodeAt(0) === 47) {
              paths.length = 1;
              mounts.length = 1;
              stats.length = 1;
            }
            // The rest of the current text follows the target (split("/") of the two joined).
            text = end < text.length ? target + "/" + text.slice(end + 1) : target;
            lastStart = lastMeaningfulStart(text);
            start = 0;
            continue;
          }
        } else if (!isLast && !isDirMode(stat.mode)) {
          throw new KernelError("ENOTDIR", syscall, path);
        }
        paths.push(childPath);
        mounts.push(mount);
        stats.push(stat);
      }
      const depth = paths.length - 1;
      const mount = mounts[depth];
      const canonical = paths[depth];
      const inner = innerPath(mount, canonical);
      let own = stats[depth];
      if (own === null) own = await this.#fetchStat(mount, canonical);
      if (trailingSlash && !isDirMode(own.mode)) throw new KernelError("ENOTDIR", syscall, path);
      const stat = { ...own, dev: mount.dev };
      if (depth === 0) return { path: canonical, mount, inner, stat, parent: stat };
      let parent = stats[depth - 1];
      if (parent === null) parent = await this.#fetchStat(mounts[depth - 1], paths[depth - 1]);
      return {
        path: canonical,
        mount,
        inner,
        stat,
        parent: { ...parent, dev: mounts[depth - 1].dev },
      };
    } catch (err) {
      throw renamed(err, syscall, path);
    }
  }

  /** The result for a missing last component that the caller may create. */
  async #missing(
    path: string,
    mount: Mount,
    inner: string,
    dirMount: Mount,
    dirPath: string,
    stats: (Stat | null)[],
    top: number,
  ): Promise<Resolved> {
    let dir = stats[top];
    if (dir === null) dir = await this.#fetchStat(dirMount, dirPath);
    return { path, mount, inner, stat: null, parent: { ...dir, dev: dirMount.dev } };
  }

  /** lstat of canonical `path` served by `mount` (dev not set). */
  #fetchStat(mount: Mount, path: string): Stat | Promise<Stat> {
    const inner = innerPath(mount, path);
    const backend = mount.backend;
    if (isSyncCapable(backend)) {
      const stat = backend.lstatSync?.(inner);
      if (stat) return stat;
    }
    return backend.lstat(inner);
  }

  #checkPolicy(path: string, access: AccessKind, syscall: string): void {
    if (this.#policy && !this.#policy(path, access)) {
      throw new KernelError(
        "EACCES",
        syscall,
        path,
        undefined,
        `permission denied by the VM's filesystem policy (${access})`,
      );
    }
  }

  #checkWritable(r: Resolved, syscall: string, shownPath: string): void {
    if (r.mount.readOnly) throw new KernelError("EROFS", syscall, shownPath);
    this.#checkPolicy(r.path, "write", syscall);
  }

  /** Permission to add or remove entries in the directory holding `r`. */
  #checkDirWrite(caller: Caller, r: Resolved, syscall: string, shownPath: string): void {
    if (!permits(caller, r.parent, W_OK | X_OK))
      throw new KernelError("EACCES", syscall, shownPath);
  }

  /** Sticky directories (like /tmp) only let owners remove or rename their entries. */
  #checkSticky(caller: Caller, r: Resolved, syscall: string, shownPath: string): void {
    if (caller.uid === 0 || (r.parent.mode & S_ISVTX) === 0 || !r.stat) return;
    if (r.stat.uid !== caller.uid && r.parent.uid !== caller.uid) {
      throw new KernelError("EPERM", syscall, shownPath);
    }
  }

  // ---- metadata ----------------------------------------------------------------------------

  async stat(caller: Caller, path: string): Promise<Stat> {
    const r = await this.resolve(caller, path, true, "stat");
    this.#checkPolicy(r.path, "read", "stat");
    return r.stat!;
  }

  async lstat(caller: Caller, path: string): Promise<Stat> {
    const r = await this.resolve(caller, path, false, "lstat");
    this.#checkPolicy(r.path, "read", "lstat");
    return r.stat!;
  }

  async access(caller: Caller, path: string, mode: number): Promise<void> {
    const r = await this.resolve(caller, path, true, "access");
    if (mode !== 0 && !permits(caller, r.stat!, mode))
      throw new KernelError("EACCES", "access", path);
    if (mode & W_OK && r.mount.readOnly) throw new KernelError("EROFS", "access", path);
  }

  async realpath(caller: Caller, path: string): Promise<string> {
    return (await this.resolve(caller, path, true, "realpath")).path;
  }

  async readdir(caller: Caller, path: string): Promise<DirEntry[]> {
    const r = await this.resolve(caller, path, true, "scandir");
    if (!isDirMode(r.stat!.mode)) throw new KernelError("ENOTDIR", "scandir", path);
    if (!permits(caller, r.stat!, R_OK)) throw new KernelError("EACCES", "scandir", path);
    this.#checkPolicy(r.path, "read", "scandir");
    const backend = r.mount.backend;
    try {
      const entries = isSyncCapable(backend) ? backend.readdirSync?.(r.inner) : undefined;
      return entries ?? (await backend.readdir(r.inner));
    } catch (err) {
      throw renamed(err, "scandir", path);
    }
  }

  async readlink(caller: Caller, path: string): Promise<string> {
    const r = await this.resolve(caller, path, false, "readlink");
    if (!isLinkMode(r.stat!.mode)) throw new KernelError("EINVAL", "readlink", path);
    this.#checkPolicy(r.path, "read", "readlink");
    const backend = r.mount.backend;
    const target = isSyncCapable(backend) ? backend.readlinkSync?.(r.inner, caller) : undefined;
    return target ?? backend.readlink(r.inner, caller);
  }

  async chmod(caller: Caller, path: string, mode: number): Promise<void> {
    const r = await this.resolve(caller, path, true, "chmod");
    if (caller.uid !== 0 && caller.uid !== r.stat!.uid)
      throw new KernelError("EPERM", "chmod", path);
    this.#checkWritable(r, "chmod", path);
    await call(r.mount.backend.chmod(r.inner, mode & 0o7777), "chmod", path);
  }

  async chown(
    caller: Caller,
    path: string,
    uid: number,
    gid: number,
    follow = true,
  ): Promise<void> {
    const r = await this.resolve(caller, path, follow, "chown");
    const st = r.stat!;
    const newUid = uid === -1 ? st.uid : uid;
    const newGid = gid === -1 ? st.gid : gid;
    if (caller.uid !== 0) {
      const ownsIt = caller.uid === st.uid && newUid === st.uid;
      const groupOk =
        newGid === st.gid || newGid === caller.gid || !!caller.groups?.includes(newGid);
      if (!ownsIt || !groupOk) throw new KernelError("EPERM", "chown", path);
    }
    this.#checkWritable(r, "chown", path);
    await call(r.mount.backend.chown(r.inner, newUid, newGid), "chown", path);
  }

  async utimes(caller: Caller, path: string, atimeMs: number, mtimeMs: number): Promise<void> {
    const r = await this.resolve(caller, path, true, "utime");
    if (caller.uid !== 0 && caller.uid !== r.stat!.uid && !permits(caller, r.stat!, W_OK)) {
      throw new KernelError("EACCES", "utime", path);
    }
    this.#checkWritable(r, "utime", path);
    await call(r.mount.backend.utimes(r.inner, atimeMs, mtimeMs), "utime", path);
  }

  async truncate(caller: Caller, path: string, length: number): Promise<void> {
    const r = await this.resolve(caller, path, true, "open");
    if (isDirMode(r.stat!.mode)) throw new KernelError("EISDIR", "open", path);
    if (!permits(caller, r.stat!, W_OK)) throw new KernelError("EACCES", "open", path);
    this.#checkWritable(r, "open", path);
    await call(r.mount.backend.truncate(r.inner, length), "open", path);
  }

  // ---- directory entries --------------------------------------------------------------------

  async mkdir(caller: Caller, path: string, mode = 0o777): Promise<void> {
    const r = await this.resolve(caller, path, false, "mkdir", true);
    if (r.stat) throw new KernelError("EEXIST", "mkdir", path);
    this.#checkDirWrite(caller, r, "mkdir", path);
    this.#checkWritable(r, "mkdir", path);
    const perm = mode & 0o7777 & ~(caller.umask ?? 0o022);
    await call(r.mount.backend.mkdir(r.inner, perm, caller), "mkdir", path);
  }

  async rmdir(caller: Caller, path: string): Promise<void> {
    const r = await this.resolve(caller, path, false, "rmdir");
    if (!isDirMode(r.stat!.mode)) throw new KernelError("ENOTDIR", "rmdir", path);
    if (r.path === "/" || this.mounts.isMountPoint(r.path))
      throw new KernelError("EBUSY", "rmdir", path);
    this.#checkDirWrite(caller, r, "rmdir", path);
    this.#checkSticky(caller, r, "rmdir", path);
    this.#checkWritable(r, "rmdir", path);
    await call(r.mount.backend.rmdir(r.inner), "rmdir", path);
  }

  async unlink(caller: Caller, path: string): Promise<void> {
    const r = await this.resolve(caller, path, false, "unlink");
    if (isDirMode(r.stat!.mode)) throw new KernelError("EISDIR", "unlink", path);
    this.#checkDirWrite(caller, r, "unlink", path);
    this.#checkSticky(caller, r, "unlink", path);
    this.#checkWritable(r, "unlink", path);
    await call(r.mount.backend.unlink(r.inner), "unlink", path);
  }

  async rename(caller: Caller, from: string, to: string): Promise<void> {
    const src = await this.resolve(caller, from, false, "rename");
    const dst = await this.resolve(caller, to, false, "rename", true);
    if (src.mount !== dst.mount) throw new KernelError("EXDEV", "rename", from, to);
    if (this.mounts.isMountPoint(src.path) || (dst.stat && this.mounts.isMountPoint(dst.path))) {
      throw new KernelError("EBUSY", "rename", from, to);
    }
    if (src.path === dst.path) return;
    if (isDirMode(src.stat!.mode) && dst.path.startsWith(src.path + "/")) {
      throw new KernelError("EINVAL", "rename", from, to);
    }
    this.#checkDirWrite(caller, src, "rename", from);
    this.#checkDirWrite(caller, dst, "rename", to);
    this.#checkSticky(caller, src, "rename", from);
    this.#checkSticky(caller, dst, "rename", to);
    this.#checkWritable(src, "rename", from);
    this.#checkPolicy(dst.path, "write", "rename");
    try {
      await src.mount.backend.rename(src.inner, dst.inner);
    } catch (err) {
      throw renamed(err, "rename", from, to);
    }
  }

  async link(caller: Caller, existing: string, newPath: string): Promise<void> {
    const src = await this.resolve(caller, existing, false, "link");
    const dst = await this.resolve(caller, newPath, false, "link", true);
    if (dst.stat) throw new KernelError("EEXIST", "link", existing, newPath);
    if (src.mount !== dst.mount) throw new KernelError("EXDEV", "link", existing, newPath);
    if (isDirMode(src.stat!.mode)) throw new KernelError("EPERM", "link", existing, newPath);
    this.#checkDirWrite(caller, dst, "link", newPath);
    this.#checkWritable(dst, "link", newPath);
    this.#checkPolicy(src.path, "read", "link");
    try {
      await src.mount.backend.link(src.inner, dst.inner);
    } catch (err) {
      throw renamed(err, "link", existing, newPath);
    }
  }

  async symlink(caller: Caller, target: string, path: string): Promise<void> {
    if (typeof target !== "string" || target.length === 0)
      throw new KernelError("ENOENT", "symlink", path);
    const r = await this.resolve(caller, path, false, "symlink", true);
    if (r.stat) throw new KernelError("EEXIST", "symlink", target, path);
    this.#checkDirWrite(caller, r, "symlink", path);
    this.#checkWritable(r, "symlink", path);
    await call(r.mount.backend.symlink(target, r.inner, caller), "symlink", path);
  }

  // ---- file contents ---------------------------------------------------------------------

  /**
   * Opens `path` for the caller. Directories open read-only (for fstat/readdir); magic
   * /proc/<pid>/fd/<n> links are returned for the kernel to duplicate the descriptor.
   */
  async open(caller: Caller, path: string, flags: number, mode = 0o666): Promise<OpenResult> {
    const creating = (flags & O_CREAT) !== 0;
    const r = await this.resolve(caller, path, (flags & O_NOFOLLOW) === 0, "open", creating);
    if (r.magic) return { kind: "magic", pid: r.magic.pid, fd: r.magic.fd, path: r.path };
    const access = flags & O_ACCMODE;
    const writing = access !== O_RDONLY || (flags & O_TRUNC) !== 0;
    if (!r.stat) {
      this.#checkDirWrite(caller, r, "open", path);
      this.#checkWritable(r, "open", path);
      const perm = mode & 0o7777 & ~(caller.umask ?? 0o022);
      const file = await call(
        r.mount.backend.open(
          r.inner,
          flags & (O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC),
          perm,
          caller,
        ),
        "open",
        path,
      );
      const stat = { ...(await file.stat()), dev: r.mount.dev };
      return { kind: "file", file, path: r.path, stat, mount: r.mount };
    }
    const stat = r.stat;
    if (creating && flags & O_EXCL) throw new KernelError("EEXIST", "open", path);
    if (isLinkMode(stat.mode)) throw new KernelError("ELOOP", "open", path);
    if (flags & O_DIRECTORY && !isDirMode(stat.mode))
      throw new KernelError("ENOTDIR", "open", path);
    const want =
      (access === O_RDONLY ? R_OK : access === O_WRONLY ? W_OK : R_OK | W_OK) |
      (writing ? W_OK : 0);
    if (!permits(caller, stat, want)) throw new KernelError("EACCES", "open", path);
    this.#checkPolicy(r.path, "read", "open");
    if (writing) this.#checkWritable(r, "open", path);
    if (isDirMode(stat.mode)) {
      if (access !== O_RDONLY) throw new KernelError("EISDIR", "open", path);
      return { kind: "directory", path: r.path, stat, mount: r.mount };
    }
    const backend = r.mount.backend;
    const backendFlags = flags & (O_ACCMODE | O_TRUNC);
    let file: VfsFile | undefined;
    if (isSyncCapable(backend) && backend.openSync) {
      try {
        file = backend.openSync(r.inner, backendFlags, 0, caller);
      } catch (err) {
        throw renamed(err, "open", path);
      }
    }
    file ??= await call(backend.open(r.inner, backendFlags, 0, caller), "open", path);
    return { kind: "file", file, path: r.path, stat, mount: r.mount };
  }

  /** Whole-file read, through the backend fast path when it has one. */
  async readFile(caller: Caller, path: string): Promise<Uint8Array> {
    const r = await this.resolve(caller, path, true, "open");
    const stat = r.stat!;
    if (isDirMode(stat.mode)) throw new KernelError("EISDIR", "read", path);
    if (!permits(caller, stat, R_OK)) throw new KernelError("EACCES", "open", path);
    this.#checkPolicy(r.path, "read", "open");
    const backend = r.mount.backend;
    if (backend.readFile && (stat.mode & S_IFMT) !== 0o020000) {
      return call(backend.readFile(r.inner), "open", path);
    }
    const opened = await this.open(caller, path, O_RDONLY);
    if (opened.kind !== "file") throw new KernelError("EISDIR", "read", path);
    try {
      return await readAll(opened.file);
    } finally {
      await opened.file.close();
    }
  }

  /** Whole-file write (create or truncate), through the backend fast path when it has one. */
  async writeFile(caller: Caller, path: string, data: Uint8Array, mode = 0o666): Promise<void> {
    const r = await this.resolve(caller, path, true, "open", true);
    const backend = r.mount.backend;
    if (backend.writeFile && (!r.stat || (r.stat.mode & S_IFMT) === 0o100000)) {
      if (r.stat) {
        if (!permits(caller, r.stat, W_OK)) throw new KernelError("EACCES", "open", path);
      } else {
        this.#checkDirWrite(caller, r, "open", path);
      }
      this.#checkWritable(r, "open", path);
      const perm = mode & 0o7777 & ~(caller.umask ?? 0o022);
      await call(backend.writeFile(r.inner, data, perm, caller), "open", path);
      return;
    }
    const opened = await this.open(caller, path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (opened.kind !== "file") throw new KernelError("EISDIR", "open", path);
    try {
      let offset = 0;
      while (offset < data.length) {
        offset += await opened.file.write(data, offset, data.length - offset, offset);
      }
    } finally {
      await opened.file.close();
    }
  }

  // ---- mounts ------------------------------------------------------------------------------

  /** Mounts `backend` on the existing directory `path`. */
  async mount(
    caller: Caller,
    path: string,
    backend: VfsBackend,
    options: MountOptions = {},
  ): Promise<Mount> {
    const r = await this.resolve(caller, path, true, "mount");
    if (!isDirMode(r.stat!.mode)) throw new KernelError("ENOTDIR", "mount", path);
    return this.mounts.mount(r.path, backend, options);
  }

  async unmount(caller: Caller, path: string): Promise<Mount> {
    const r = await this.resolve(caller, path, true, "umount");
    return this.mounts.unmount(r.path);
  }
}

/** Unix permission check of `want` (R_OK|W_OK|X_OK bits) against `stat` for `caller`. */
export function permits(caller: Caller, stat: Stat, want: number): boolean {
  if (caller.uid === 0) {
    // Root bypasses read/write checks; execute still needs some x bit on non-directories.
    return (want & X_OK) === 0 || isDirMode(stat.mode) || (stat.mode & 0o111) !== 0;
  }
  let bits: number;
  if (stat.uid === caller.uid) bits = (stat.mode >> 6) & 7;
  else if (stat.gid === caller.gid || caller.groups?.includes(stat.gid))
    bits = (stat.mode >> 3) & 7;
  else bits = stat.mode & 7;
  return (bits & want) === want;
}

/**
 * Offset in `text` of the last component that is neither empty nor "." (as `split("/")`
 * would give it), or -1 when there is none.
 */
function lastMeaningfulStart(text: string): number {
  let end = text.length;
  while (end > 0) {
    const slash = text.lastIndexOf("/", end - 1);
    const start = slash + 1;
    const length = end - start;
    if (length > 1 || (length === 1 && text.charCodeAt(start) !== 46)) return start;
    if (slash < 0) break;
    end = slash;
  }
  return -1;
}

/** The path inside `mount`'s backend of canonical `path`, which `mount` serves. */
function innerPath(mount: Mount, path: string): string {
  const at = mount.path;
  if (at === "/") return path;
  return path.length === at.length ? "/" : path.slice(at.length);
}

/** Re-raises a backend error with the caller's path instead of the backend-internal one. */
function renamed(err: unknown, syscall: string, path: string, dest?: string): unknown {
  if (err instanceof KernelError) {
    if (err.path === path && err.syscall === syscall) return err;
    return new KernelError(err.code, err.syscall === "open" ? "open" : syscall, path, dest);
  }
  return err;
}

async function call<T>(promise: Promise<T>, syscall: string, path: string): Promise<T> {
  try {
    return await promise;
  } catch (err) {
    throw renamed(err, syscall, path);
  }
}

export async function readAll(file: VfsFile): Promise<Uint8Array> {
  const size = (await file.stat()).size;
  let buffer = new Uint8Array(Math.max(size, 4096));
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      const bigger = new Uint8Array(buffer.length * 2);
      bigger.set(buffer);
      buffer = bigger;
    }
    const n = await file.read(buffer, length, buffer.length - length, length);
    if (n === 0) break;
    length += n;
  }
  return buffer.subarray(0, length);
}
