/** fs.Dirent (readdir withFileTypes, opendir) and fs.Dir. */
import { FS_CONSTANTS } from "./constants.ts";

const kType = Symbol("type");

const KIND_TYPES: Record<string, number> = {
  file: FS_CONSTANTS.UV_DIRENT_FILE,
  directory: FS_CONSTANTS.UV_DIRENT_DIR,
  symlink: FS_CONSTANTS.UV_DIRENT_LINK,
  fifo: FS_CONSTANTS.UV_DIRENT_FIFO,
  socket: FS_CONSTANTS.UV_DIRENT_SOCKET,
  chardev: FS_CONSTANTS.UV_DIRENT_CHAR,
  blockdev: FS_CONSTANTS.UV_DIRENT_BLOCK,
};

export class Dirent {
  name: string;
  parentPath: string;
  [kType]: number;
  constructor(name: string, type: number, path: string) {
    this.name = name;
    this.parentPath = path;
    this[kType] = type;
  }
  isDirectory(): boolean {
    return this[kType] === FS_CONSTANTS.UV_DIRENT_DIR;
  }
  isFile(): boolean {
    return this[kType] === FS_CONSTANTS.UV_DIRENT_FILE;
  }
  isBlockDevice(): boolean {
    return this[kType] === FS_CONSTANTS.UV_DIRENT_BLOCK;
  }
  isCharacterDevice(): boolean {
    return this[kType] === FS_CONSTANTS.UV_DIRENT_CHAR;
  }
  isSymbolicLink(): boolean {
    return this[kType] === FS_CONSTANTS.UV_DIRENT_LINK;
  }
  isFIFO(): boolean {
    return this[kType] === FS_CONSTANTS.UV_DIRENT_FIFO;
  }
  isSocket(): boolean {
    return this[kType] === FS_CONSTANTS.UV_DIRENT_SOCKET;
  }
}

const kStats = Symbol("stats");

type DirentQuery = Exclude<keyof Dirent, "name" | "parentPath" | typeof kType>;

/** Node's Dirent over a Stats (fs.glob's withFileTypes results): each question goes to the stats. */
export class DirentFromStats extends Dirent {
  [kStats]: Record<DirentQuery, () => boolean>;
  constructor(name: string, stats: object, path: string) {
    super(name, null as unknown as number, path);
    this[kStats] = stats as Record<DirentQuery, () => boolean>;
  }
}

for (const name of Object.getOwnPropertyNames(Dirent.prototype) as DirentQuery[]) {
  if ((name as string) === "constructor") continue;
  Object.defineProperty(DirentFromStats.prototype, name, {
    value: function (this: DirentFromStats) {
      return this[kStats][name]();
    },
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

/** A Dirent for `name` (which may be "sub/name" in a recursive listing) under `dir`. */
export function direntOf(dir: string, name: string, kind: string): Dirent {
  const slash = name.lastIndexOf("/");
  if (slash < 0) return new Dirent(name, KIND_TYPES[kind] ?? 0, dir);
  const parent = dir.endsWith("/") ? dir + name.slice(0, slash) : `${dir}/${name.slice(0, slash)}`;
  return new Dirent(name.slice(slash + 1), KIND_TYPES[kind] ?? 0, parent);
}
