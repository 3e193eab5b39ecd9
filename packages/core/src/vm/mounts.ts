/**
 * Mount configurations in the shapes the reference documents use, and how each becomes a
 * backend: host directories (`plugin: { id: "host_dir" }`), user-supplied filesystems
 * (`driver`), in-memory and overlay mounts, and `nodeModulesMount()`.
 */
import { existsSync, statSync } from "node:fs";
import { HostDirFs } from "../fs/host-dir-fs.ts";
import { MemoryFs } from "../fs/memory-fs.ts";
import { OverlayFs } from "../fs/overlay-fs.ts";
import type { Owner, Stat, VfsBackend, VfsFile } from "../fs/types.ts";
import type { VirtualFileSystem } from "../fs/virtual-file-system.ts";
import { createVirtualFsBackend } from "../fs/virtual-fs-adapter.ts";
import { ROOT, USER } from "./root-image.ts";

/** A native mount plugin, identified by id (only "host_dir" exists so far). */
export interface NativeMountPlugin {
  id: string;
  config?: Record<string, unknown>;
}

/** Where a mount's files come from: everything a mount or an overlay layer can be. */
export type MountSource =
  | { plugin: NativeMountPlugin }
  | { driver: VirtualFileSystem | VfsBackend }
  | { type: "memory"; maxBytes?: number }
  | { type: "overlay"; lower: MountSource | MountSource[]; upper?: MountSource };

export type MountConfig = MountSource & { path: string; readOnly?: boolean };

export type NativeMountConfig = { path: string; plugin: NativeMountPlugin; readOnly?: boolean };
export type MountConfigCustom = {
  path: string;
  driver: VirtualFileSystem | VfsBackend;
  readOnly?: boolean;
};
export type MountConfigMemory = {
  path: string;
  type: "memory";
  maxBytes?: number;
  readOnly?: boolean;
};
export type MountConfigOverlay = {
  path: string;
  type: "overlay";
  lower: MountSource | MountSource[];
  upper?: MountSource;
  readOnly?: boolean;
};

/** Options of the `host_dir` plugin. */
export interface HostDirBackendOptions {
  hostPath: string;
}

/** A read-only host `node_modules` tree at /root/node_modules (where guest Node resolves it). */
export function nodeModulesMount(hostPath: string): NativeMountConfig {
  if (typeof hostPath !== "string" || hostPath.length === 0) {
    throw new TypeError("nodeModulesMount(hostPath): hostPath must be a non-empty string");
  }
  return {
    path: "/root/node_modules",
    plugin: { id: "host_dir", config: { hostPath } },
    readOnly: true,
  };
}

/** The `host_dir` plugin descriptor for a mount config. */
export function createHostDirBackend(options: HostDirBackendOptions): NativeMountPlugin {
  return { id: "host_dir", config: { hostPath: options.hostPath } };
}

export interface BuiltMount {
  backend: VfsBackend;
  type: string;
  source: string;
}

/** Turns a mount source into a backend, validating it with messages that name the mount. */
export function buildMountBackend(
  source: MountSource,
  where: string,
  readOnly = false,
): BuiltMount {
  if (typeof source !== "object" || source === null)
    throw new TypeError(`${where}: mount must be an object`);
  if ("plugin" in source) return buildPlugin(source.plugin, where, readOnly);
  if ("driver" in source) {
    const driver = source.driver;
    if (typeof driver !== "object" || driver === null)
      throw new TypeError(`${where}: driver must be an object`);
    if (isVfsBackend(driver)) return { backend: driver, type: "vfs", source: "driver" };
    for (const method of [
      "readFile",
      "writeFile",
      "readDir",
      "stat",
      "exists",
      "mkdir",
      "removeFile",
      "removeDir",
      "rename",
    ]) {
      if (typeof (driver as unknown as Record<string, unknown>)[method] !== "function") {
        throw new TypeError(`${where}: driver is missing the VirtualFileSystem method ${method}()`);
      }
    }
    // The adapter reports uid/gid 0 for drivers that have no owners.
    return {
      backend: ownedByUser(createVirtualFsBackend(driver), ROOT),
      type: "vfs",
      source: "driver",
    };
  }
  if ("type" in source && source.type === "memory") {
    // A fresh MemoryFs has a root-owned root directory.
    return {
      backend: ownedByUser(new MemoryFs({ maxBytes: source.maxBytes }), ROOT),
      type: "memfs",
      source: "memory",
    };
  }
  if ("type" in source && source.type === "overlay") {
    const lowers = (Array.isArray(source.lower) ? source.lower : [source.lower]).map(
      (lower, i) => buildMountBackend(lower, `${where}.lower[${i}]`, true).backend,
    );
    if (lowers.length === 0)
      throw new TypeError(`${where}: an overlay needs at least one lower layer`);
    const upper = source.upper
      ? buildMountBackend(source.upper, `${where}.upper`).backend
      : new MemoryFs();
    return { backend: new OverlayFs({ upper, lowers }), type: "overlay", source: "overlay" };
  }
  throw new TypeError(
    `${where}: unknown mount kind; use plugin, driver, type "memory" or type "overlay"`,
  );
}

function buildPlugin(plugin: NativeMountPlugin, where: string, readOnly: boolean): BuiltMount {
  if (typeof plugin !== "object" || plugin === null || typeof plugin.id !== "string") {
    throw new TypeError(`${where}: plugin must be { id, config }`);
  }
  if (plugin.id === "host_dir") {
    const hostPath = plugin.config?.hostPath;
    if (typeof hostPath !== "string" || hostPath.length === 0) {
      throw new TypeError(`${where}: host_dir needs config.hostPath (a host directory)`);
    }
    if (!existsSync(hostPath) || !statSync(hostPath).isDirectory()) {
      throw new Error(`${where}: host_dir hostPath is not a directory: ${hostPath}`);
    }
    // Host files belong to the host process's user; inside the VM they are the VM user's.
    const hostOwner = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
    return {
      backend: ownedByUser(new HostDirFs({ hostPath, readOnly }), hostOwner),
      type: "hostdir",
      source: hostPath,
    };
  }
  throw new Error(
    `${where}: mount plugin "${plugin.id}" is not supported yet (available: host_dir)`,
  );
}

/**
 * Shows entries owned by `from` as owned by the VM user (as a `uid=`/`gid=` mount option
 * does), so the user, whom every VM process runs as, can write in its own mounts. Other
 * owners are shown as they are; every call other than lstat and fstat passes through.
 */
export function ownedByUser(backend: VfsBackend, from: Owner): VfsBackend {
  const map = (stat: Stat): Stat =>
    stat.uid === from.uid || stat.gid === from.gid
      ? {
          ...stat,
          uid: stat.uid === from.uid ? USER.uid : stat.uid,
          gid: stat.gid === from.gid ? USER.gid : stat.gid,
        }
      : stat;
  const wrapFile = (file: VfsFile): VfsFile =>
    new Proxy(file, {
      get(target, prop) {
        if (prop === "stat") return async () => map(await target.stat());
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  return new Proxy(backend, {
    get(target, prop) {
      if (prop === "lstat") return async (path: string) => map(await target.lstat(path));
      if (prop === "open") {
        return async (path: string, flags: number, mode: number, owner: Owner) =>
          wrapFile(await target.open(path, flags, mode, owner));
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function isVfsBackend(value: object): value is VfsBackend {
  const v = value as Record<string, unknown>;
  return (
    typeof v.lstat === "function" && typeof v.open === "function" && typeof v.readdir === "function"
  );
}
