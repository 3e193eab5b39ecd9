/**
 * The mount table of one VM: which backend serves which subtree. Routing is by longest
 * matching mount point; every mount gets its own device number so `stat().dev` tells mounts
 * apart (and `rename` across them is EXDEV).
 */
import { fsError } from "./errors.ts";
import type { VfsBackend } from "./types.ts";

export interface Mount {
  /** Canonical absolute mount point ("/" for the root). */
  readonly path: string;
  readonly backend: VfsBackend;
  readonly readOnly: boolean;
  /** Filesystem type for /proc/mounts and `df` ("memfs", "hostdir", "overlay", "proc", ...). */
  readonly type: string;
  /** Where it comes from, for /proc/mounts ("none", a host path, ...). */
  readonly source: string;
  readonly dev: number;
}

export interface MountOptions {
  readOnly?: boolean;
  type?: string;
  source?: string;
}

export class MountTable {
  /** Sorted longest path first, so the first prefix match is the right one. */
  #mounts: Mount[] = [];
  #nextDev = 1;
  /** Mounts other than the root by mount point, and the last components of those points. */
  readonly #byPath = new Map<string, Mount>();
  readonly #leafNames = new Set<string>();
  readonly #root: Mount;

  constructor(root: VfsBackend, options: MountOptions = {}) {
    this.#root = this.#add("/", root, options);
  }

  /** The root mount. */
  get root(): Mount {
    return this.#root;
  }

  /**
   * The mount whose mount point is exactly canonical `path` (not the root), if any; `name` is
   * the last component of `path`. A path walk asks this per component: everything below a
   * directory is served by the directory's mount unless the child is a mount point itself.
   */
  mountedOn(path: string, name: string): Mount | undefined {
    if (!this.#leafNames.has(name)) return undefined;
    return this.#byPath.get(path);
  }

  #reindex(): void {
    this.#byPath.clear();
    this.#leafNames.clear();
    for (const mount of this.#mounts) {
      if (mount.path === "/") continue;
      this.#byPath.set(mount.path, mount);
      this.#leafNames.add(mount.path.slice(mount.path.lastIndexOf("/") + 1));
    }
  }

  #add(path: string, backend: VfsBackend, options: MountOptions): Mount {
    const mount: Mount = {
      path,
      backend,
      readOnly: options.readOnly ?? false,
      type: options.type ?? "vfs",
      source: options.source ?? "none",
      dev: this.#nextDev++,
    };
    this.#mounts.push(mount);
    this.#mounts.sort((a, b) => b.path.length - a.path.length);
    this.#reindex();
    return mount;
  }

  /** Mounts `backend` at canonical `path`. The caller has checked that it is a directory. */
  mount(path: string, backend: VfsBackend, options: MountOptions = {}): Mount {
    if (this.#mounts.some((m) => m.path === path)) throw fsError("EBUSY", "mount", path);
    return this.#add(path, backend, options);
  }

  /** Removes the mount at `path`; EINVAL if none, EBUSY if other mounts sit below it. */
  unmount(path: string): Mount {
    const index = this.#mounts.findIndex((m) => m.path === path);
    if (index < 0 || path === "/") throw fsError("EINVAL", "umount", path);
    const prefix = path + "/";
    if (this.#mounts.some((m) => m.path.startsWith(prefix))) throw fsError("EBUSY", "umount", path);
    const [removed] = this.#mounts.splice(index, 1);
    this.#reindex();
    return removed;
  }

  /** The mount serving canonical `path`, and the path inside its backend. */
  route(path: string): { mount: Mount; inner: string } {
    for (const mount of this.#mounts) {
      if (mount.path === "/") return { mount, inner: path };
      if (path === mount.path) return { mount, inner: "/" };
      if (path.startsWith(mount.path) && path.charCodeAt(mount.path.length) === 47) {
        return { mount, inner: path.slice(mount.path.length) };
      }
    }
    throw new Error("mount table has no root");
  }

  isMountPoint(path: string): boolean {
    return this.#mounts.some((m) => m.path === path);
  }

  /** All mounts, shortest path first (mount order for /proc/mounts). */
  list(): Mount[] {
    return [...this.#mounts].reverse();
  }
}
