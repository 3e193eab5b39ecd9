/**
 * The public, path-based filesystem interface a user can implement and mount
 * (`mounts: [{ path, driver }]` or `vm.mountFs(path, driver)`). It is deliberately simpler
 * than `VfsBackend`: whole-file reads and writes, plus optional calls for links, metadata
 * and ranged I/O. `createVirtualFsBackend` adapts it to the kernel's backend interface.
 */

export interface VirtualStat {
  mode: number;
  size: number;
  isFile: boolean;
  isDirectory: boolean;
  isSymbolicLink: boolean;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
  birthtimeMs: number;
  ino: number;
  nlink: number;
  uid: number;
  gid: number;
  dev: number;
}

export interface VirtualDirEntry {
  name: string;
  isDirectory: boolean;
  isSymbolicLink?: boolean;
}

export interface VirtualFileSystem {
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, content: string | Uint8Array): Promise<void>;
  readDir(path: string): Promise<string[]>;
  readDirWithTypes?(path: string): Promise<VirtualDirEntry[]>;
  /** Stat following symlinks, or of the entry itself when the driver has no symlinks. */
  stat(path: string): Promise<Partial<VirtualStat> & { isDirectory: boolean }>;
  lstat?(path: string): Promise<Partial<VirtualStat> & { isDirectory: boolean }>;
  exists(path: string): Promise<boolean>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
  removeFile(path: string): Promise<void>;
  removeDir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  symlink?(target: string, path: string): Promise<void>;
  readlink?(path: string): Promise<string>;
  link?(existing: string, newPath: string): Promise<void>;
  chmod?(path: string, mode: number): Promise<void>;
  chown?(path: string, uid: number, gid: number): Promise<void>;
  utimes?(path: string, atimeMs: number, mtimeMs: number): Promise<void>;
  truncate?(path: string, length: number): Promise<void>;
  /** Ranged read; without it the adapter reads the whole file. */
  pread?(path: string, offset: number, length: number): Promise<Uint8Array>;
}
