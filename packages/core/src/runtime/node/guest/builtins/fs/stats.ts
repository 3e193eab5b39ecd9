/**
 * fs.Stats, fs.BigIntStats and fs.StatFs. Numbers are own properties in Node's order; the Date
 * fields are lazy accessors on the prototype, so util.inspect shows what Node's does.
 */
import { FS_CONSTANTS } from "./constants.ts";

const { S_IFMT, S_IFREG, S_IFDIR, S_IFCHR, S_IFBLK, S_IFIFO, S_IFLNK, S_IFSOCK } = FS_CONSTANTS;

const FIELDS = [
  "dev",
  "mode",
  "nlink",
  "uid",
  "gid",
  "rdev",
  "blksize",
  "ino",
  "size",
  "blocks",
  "atimeMs",
  "mtimeMs",
  "ctimeMs",
  "birthtimeMs",
] as const;

type Numeric = number | bigint;

abstract class StatsBase {
  declare mode: Numeric;
  declare _checkModeProperty: (type: number) => boolean;
  isDirectory(): boolean {
    return this._checkModeProperty(S_IFDIR);
  }
  isFile(): boolean {
    return this._checkModeProperty(S_IFREG);
  }
  isBlockDevice(): boolean {
    return this._checkModeProperty(S_IFBLK);
  }
  isCharacterDevice(): boolean {
    return this._checkModeProperty(S_IFCHR);
  }
  isSymbolicLink(): boolean {
    return this._checkModeProperty(S_IFLNK);
  }
  isFIFO(): boolean {
    return this._checkModeProperty(S_IFIFO);
  }
  isSocket(): boolean {
    return this._checkModeProperty(S_IFSOCK);
  }
}

/** Defines atime/mtime/ctime/birthtime as cached, assignable Date accessors. */
function defineDates(proto: object, toMs: (value: Numeric) => number): void {
  for (const name of ["atime", "mtime", "ctime", "birthtime"]) {
    Object.defineProperty(proto, name, {
      enumerable: false,
      configurable: true,
      // Like Node: the first read stores the Date as an own property.
      get(this: Record<string, unknown>) {
        const value = new Date(toMs(this[`${name}Ms`] as Numeric));
        Object.defineProperty(this, name, {
          value,
          writable: true,
          enumerable: true,
          configurable: true,
        });
        return value;
      },
      set(this: Record<string | symbol, unknown>, value: unknown) {
        Object.defineProperty(this, name, {
          value,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      },
    });
  }
}

export class Stats extends StatsBase {
  declare dev: number;
  declare ino: number;
  declare nlink: number;
  declare size: number;
  declare atimeMs: number;
  declare mtimeMs: number;
  declare ctimeMs: number;
  declare atime: Date;
  declare mtime: Date;
  declare ctime: Date;
  declare birthtime: Date;
  constructor(...values: number[]) {
    super();
    const self = this as unknown as Record<string, number>;
    FIELDS.forEach((field, i) => {
      self[field] = values[i];
    });
  }
}
defineDates(Stats.prototype, (ms) => Number(ms));
Object.defineProperty(Stats.prototype, "_checkModeProperty", {
  configurable: true,
  writable: true,
  value(this: Stats, type: number): boolean {
    return ((this.mode as number) & S_IFMT) === type;
  },
});

export class BigIntStats extends StatsBase {
  constructor(...values: number[]) {
    super();
    const self = this as unknown as Record<string, bigint>;
    FIELDS.forEach((field, i) => {
      self[field] = BigInt(Math.floor(values[i] ?? 0));
    });
    for (const name of ["atime", "mtime", "ctime", "birthtime"]) {
      const ms = values[FIELDS.indexOf(`${name}Ms` as (typeof FIELDS)[number])] ?? 0;
      self[`${name}Ns`] = BigInt(Math.floor(ms)) * 1000000n + BigInt(Math.round((ms % 1) * 1e6));
    }
  }
}
defineDates(BigIntStats.prototype, (ms) => Number(ms));
Object.defineProperty(BigIntStats.prototype, "_checkModeProperty", {
  configurable: true,
  writable: true,
  value(this: BigIntStats, type: number): boolean {
    return ((this.mode as bigint) & BigInt(S_IFMT)) === BigInt(type);
  },
});

/** A Stats (or BigIntStats) from the host's flat array. */
export function makeStats(values: number[], bigint: boolean): Stats | BigIntStats {
  return bigint ? new BigIntStats(...values) : new Stats(...values);
}

/** What watchFile reports for a file that does not exist: all zeros. */
export function emptyStats(bigint: boolean): Stats | BigIntStats {
  return makeStats(new Array(14).fill(0), bigint);
}

const STATFS_FIELDS = ["type", "bsize", "frsize", "blocks", "bfree", "bavail", "files", "ffree"];

export class StatFs {
  constructor(values: Numeric[]) {
    const self = this as unknown as Record<string, Numeric>;
    STATFS_FIELDS.forEach((field, i) => {
      self[field] = values[i];
    });
  }
}

export function makeStatFs(values: number[], bigint: boolean): StatFs {
  return new StatFs(bigint ? values.map((n) => BigInt(n)) : values);
}
