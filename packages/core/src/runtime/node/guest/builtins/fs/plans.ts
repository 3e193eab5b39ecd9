/**
 * Every single-call fs operation as a planner: it checks and converts the arguments the way
 * Node does (throwing Node's errors) and says which host operation to call and how to turn
 * the answer into Node's result. sync.ts, callback.ts and promises.ts run the same planners.
 */
import { Buffer } from "buffer";
import { codedError, invalidArgType } from "../../errors.ts";
import type { Plan } from "./bridge.ts";
import { direntOf } from "./dirent.ts";
import { makeStatFs, makeStats } from "./stats.ts";
import {
  abortError,
  bytesOf,
  decodeBytes,
  getOptions,
  invalidArgValue,
  outOfRange,
  toBytes,
  toFlags,
  toMode,
  toPath,
  toTimeMs,
  validateFd,
  validateInt32,
  validateInteger,
  validateObject,
} from "./validate.ts";

type Planner = (...args: any[]) => Plan;

interface ReadFileOptions {
  encoding?: string | null;
  flag?: string | number;
  signal?: AbortSignal;
}

function encodePath(path: string, encoding: unknown): string | Buffer {
  return encoding === "buffer" ? Buffer.from(path) : path;
}

function checkSignal(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

/** Node's access/copyFile mode check (done in C++, hence its own wording). */
function accessMode(mode: unknown, max: number): number {
  if (mode === undefined || mode === null) return 0;
  if (typeof mode !== "number" || !Number.isInteger(mode)) {
    throw codedError(TypeError, "ERR_INVALID_ARG_TYPE", "mode must be int32 or null/undefined");
  }
  if (mode < 0 || mode > max) {
    throw codedError(RangeError, "ERR_OUT_OF_RANGE", `mode is out of range: >= 0 && <= ${max}`);
  }
  return mode;
}

function optionalLength(len: unknown): number {
  if (len === undefined || len === null) return 0;
  validateInteger(len, "len");
  return Math.max(0, len as number);
}

function uidGid(uid: unknown, gid: unknown): [number, number] {
  validateInteger(uid, "uid", -1);
  validateInteger(gid, "gid", -1);
  return [uid as number, gid as number];
}

/** The SystemError Node's rm raises for a directory without `recursive`. */
function rmError(error: Error): Error {
  const e = error as Error & { code?: string; syscall?: string; path?: string };
  if (e.code !== "EISDIR" || e.syscall !== "rm") return error;
  const message = `Path is a directory: rm returned EISDIR (is a directory) ${e.path}`;
  const system = codedError(Error, "ERR_FS_EISDIR", message) as unknown as Error &
    Record<string, unknown>;
  system.name = "SystemError";
  system.stack = system.stack?.replace(/^Error \[/, "SystemError [");
  system.errno = 21;
  system.syscall = "rm";
  system.path = e.path;
  system.info = {
    code: "EISDIR",
    message: "is a directory",
    path: e.path,
    syscall: "rm",
    errno: 21,
  };
  return system;
}

/** readFile / writeFile accept a descriptor where a path would go. */
function pathOrFd(value: unknown): string | number {
  return typeof value === "number" ? validateFd(value) : toPath(value);
}

function readFile(path: unknown, options?: unknown): Plan {
  const opts = getOptions<ReadFileOptions>(options, { flag: "r" });
  const target = pathOrFd(path);
  const signal = opts.signal;
  try {
    checkSignal(signal);
  } catch (error) {
    return { error: error as Error };
  }
  return {
    op: "fs.readFile",
    args: [target, toFlags(opts.flag, "r")],
    map: (data: Uint8Array) => {
      checkSignal(signal);
      return decodeBytes(data, opts.encoding);
    },
  };
}

function writeFileWith(defaultFlag: string) {
  return (path: unknown, data: unknown, options?: unknown): Plan => {
    const opts = getOptions<{
      encoding?: string;
      mode?: unknown;
      flag?: unknown;
      signal?: AbortSignal;
    }>(options, { encoding: "utf8", mode: 0o666, flag: defaultFlag });
    const target = pathOrFd(path);
    const bytes = toBytes(data, opts.encoding);
    if (opts.signal?.aborted) return { error: abortError(opts.signal) };
    const flags = toFlags(opts.flag, defaultFlag);
    return { op: "fs.writeFile", args: [target, bytes, flags, toMode(opts.mode, "mode", 0o666)] };
  };
}

function statPlan(follow: boolean) {
  return (path: unknown, options?: unknown): Plan => {
    const opts = getOptions<{ bigint?: boolean; throwIfNoEntry?: boolean }>(options, {
      bigint: false,
      throwIfNoEntry: true,
    });
    return {
      op: "fs.stat",
      args: [toPath(path), follow, opts.throwIfNoEntry !== false],
      map: (values: number[] | null) =>
        values ? makeStats(values, opts.bigint === true) : undefined,
    };
  };
}

function readdir(path: unknown, options?: unknown): Plan {
  const opts = getOptions<{ encoding?: string; withFileTypes?: boolean; recursive?: boolean }>(
    options,
    { encoding: "utf8", withFileTypes: false, recursive: false },
  );
  const dir = toPath(path);
  return {
    op: "fs.readdir",
    args: [dir, opts.recursive === true],
    map: ([names, kinds]: [string[], string[]]) => {
      if (opts.withFileTypes) return names.map((name, i) => direntOf(dir, name, kinds[i]));
      return names.map((name) => encodePath(name, opts.encoding));
    },
  };
}

function mkdir(path: unknown, options?: unknown): Plan {
  let recursive = false;
  let mode = 0o777;
  if (typeof options === "number" || typeof options === "string") mode = toMode(options, "mode");
  else if (options !== undefined && options !== null) {
    const opts = options as { recursive?: unknown; mode?: unknown };
    if (opts.recursive !== undefined && typeof opts.recursive !== "boolean") {
      throw codedError(
        TypeError,
        "ERR_INVALID_ARG_TYPE",
        `The "options.recursive" property must be of type boolean. Received ${typeof opts.recursive}`,
      );
    }
    recursive = opts.recursive === true;
    if (opts.mode !== undefined) mode = toMode(opts.mode, "options.mode");
  }
  return { op: "fs.mkdir", args: [toPath(path), mode, recursive] };
}

function rm(path: unknown, options?: unknown): Plan {
  const opts = (options ?? {}) as { recursive?: boolean; force?: boolean };
  if (options !== undefined) validateObject(options, "options");
  return {
    op: "fs.rm",
    args: [toPath(path), opts.recursive === true, opts.force === true],
    mapError: rmError,
  };
}

function rmdir(path: unknown, options?: unknown): Plan {
  const p = toPath(path);
  if ((options as { recursive?: boolean } | undefined)?.recursive) {
    return { op: "fs.rm", args: [p, true, false] };
  }
  return { op: "fs.rmdir", args: [p] };
}

function symlink(target: unknown, path: unknown, type?: unknown): Plan {
  if (
    type !== undefined &&
    type !== null &&
    !["dir", "file", "junction"].includes(type as string)
  ) {
    throw invalidArgValue(
      "type",
      type,
      "must be one of: 'dir', 'file', 'junction', null, undefined",
    );
  }
  return { op: "fs.symlink", args: [toPath(target, "target"), toPath(path)] };
}

function withEncoding(op: string, extra: unknown[] = []) {
  return (path: unknown, options?: unknown): Plan => {
    const opts = getOptions<{ encoding?: string }>(options, { encoding: "utf8" });
    return {
      op,
      args: [toPath(path), ...extra],
      map: (result: string) => encodePath(result, opts.encoding),
    };
  };
}

function utimesPlan(follow: boolean) {
  return (path: unknown, atime: unknown, mtime: unknown): Plan => ({
    op: "fs.utimes",
    args: [toPath(path), toTimeMs(atime), toTimeMs(mtime), follow],
  });
}

/** Node's read argument forms: (fd, buffer, offset, length, position) or an options object. */
export function readArgs(
  fd: unknown,
  bufferOrOptions?: unknown,
  offsetOrOptions?: unknown,
  length?: unknown,
  position?: unknown,
): { fd: number; buffer: Uint8Array; offset: number; length: number; position: number | null } {
  validateFd(fd);
  let buffer: unknown = bufferOrOptions;
  let offset: unknown = offsetOrOptions;
  if (
    bufferOrOptions === undefined ||
    (!ArrayBuffer.isView(bufferOrOptions) && typeof bufferOrOptions === "object")
  ) {
    const o = (bufferOrOptions ?? {}) as Record<string, unknown>;
    buffer = o.buffer ?? Buffer.alloc(16384);
    offset = o.offset;
    length = o.length;
    position = o.position;
  } else if (offsetOrOptions !== undefined && typeof offsetOrOptions !== "number") {
    validateObject(offsetOrOptions, "options");
    const o = offsetOrOptions as Record<string, unknown>;
    offset = o.offset;
    length = o.length;
    position = o.position;
  } else if (offsetOrOptions !== undefined && length === undefined && position === undefined) {
    if (typeof offsetOrOptions === "number") {
      throw codedError(
        TypeError,
        "ERR_INVALID_ARG_TYPE",
        `The "options" argument must be of type object. Received type number (${offsetOrOptions})`,
      );
    }
  }
  const bytes = bytesOf(buffer);
  const off = offset === undefined ? 0 : validateInteger(offset, "offset", 0);
  if (off > bytes.byteLength) throw outOfRange("offset", `<= ${bytes.byteLength}`, off);
  const len = length === undefined ? bytes.byteLength - off : validateInteger(length, "length", 0);
  if (len > bytes.byteLength - off) {
    throw outOfRange("length", `<= ${bytes.byteLength - off}`, len);
  }
  let pos: number | null = null;
  if (typeof position === "bigint") pos = Number(position);
  else if (typeof position === "number" && position >= 0)
    pos = validateInteger(position, "position");
  else if (position !== undefined && position !== null && position !== -1) {
    if (typeof position !== "number") validateInteger(position, "position");
  }
  return { fd: fd as number, buffer: bytes, offset: off, length: len, position: pos };
}

export function readPlan(...args: unknown[]): Plan<number> {
  const r = readArgs(...(args as [unknown]));
  if (r.length === 0) return { value: 0 };
  return {
    op: "fs.read",
    args: [r.fd, r.length, r.position],
    map: (data: Uint8Array) => {
      r.buffer.set(data, r.offset);
      return data.length;
    },
  };
}

/** Node's write argument forms: (fd, buffer, offset, length, position) and (fd, string, position, encoding). */
export function writeArgs(
  fd: unknown,
  data: unknown,
  a?: unknown,
  b?: unknown,
  c?: unknown,
): { fd: number; bytes: Uint8Array; position: number | null } {
  validateFd(fd);
  if (typeof data === "string") {
    const position = typeof a === "number" ? a : null;
    const encoding = typeof a === "string" ? a : (b as string | undefined);
    return {
      fd: fd as number,
      bytes: Buffer.from(data, (encoding as BufferEncoding) || "utf8"),
      position,
    };
  }
  if (!ArrayBuffer.isView(data)) {
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_TYPE",
      `The "buffer" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ${describe(data)}`,
    );
  }
  const bytes = bytesOf(data);
  let offset: unknown = a;
  let length: unknown = b;
  let position: unknown = c;
  if (typeof a === "object" && a !== null) {
    const o = a as Record<string, unknown>;
    offset = o.offset;
    length = o.length;
    position = o.position;
  }
  const off = offset === undefined || offset === null ? 0 : validateInteger(offset, "offset", 0);
  if (off > bytes.byteLength) throw outOfRange("offset", `<= ${bytes.byteLength}`, off);
  const len =
    length === undefined || length === null
      ? bytes.byteLength - off
      : validateInt32(length, "length", 0);
  if (len > bytes.byteLength - off) throw outOfRange("length", `<= ${bytes.byteLength - off}`, len);
  const pos = typeof position === "number" && position >= 0 ? position : null;
  return { fd: fd as number, bytes: bytes.subarray(off, off + len), position: pos };
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") return `an instance of ${value.constructor?.name ?? "Object"}`;
  return `type ${typeof value} (${String(value)})`;
}

export function writePlan(...args: unknown[]): Plan<number> {
  const w = writeArgs(...(args as [unknown, unknown]));
  return { op: "fs.write", args: [w.fd, w.bytes, w.position] };
}

function buffersOf(buffers: unknown): Uint8Array[] {
  if (!Array.isArray(buffers)) {
    throw invalidArgType("buffers", "an ArrayBufferView[]", buffers);
  }
  return buffers.map((b) => bytesOf(b, "buffers"));
}

function readv(fd: unknown, buffers: unknown, position?: unknown): Plan<number> {
  validateFd(fd);
  const views = buffersOf(buffers);
  const total = views.reduce((sum, v) => sum + v.byteLength, 0);
  return {
    op: "fs.read",
    args: [fd, total, typeof position === "number" ? position : null],
    map: (data: Uint8Array) => {
      let at = 0;
      for (const view of views) {
        if (at >= data.length) break;
        const part = data.subarray(at, at + view.byteLength);
        view.set(part);
        at += part.length;
      }
      return data.length;
    },
  };
}

function writev(fd: unknown, buffers: unknown, position?: unknown): Plan<number> {
  validateFd(fd);
  const views = buffersOf(buffers);
  const total = views.reduce((sum, v) => sum + v.byteLength, 0);
  const joined = new Uint8Array(total);
  let at = 0;
  for (const view of views) {
    joined.set(view, at);
    at += view.byteLength;
  }
  return { op: "fs.write", args: [fd, joined, typeof position === "number" ? position : null] };
}

export const PLANS: Record<string, Planner> = {
  access: (path: unknown, mode?: unknown) => ({
    op: "fs.access",
    args: [toPath(path), accessMode(mode, 7)],
  }),
  appendFile: writeFileWith("a"),
  chmod: (path: unknown, mode: unknown) => ({
    op: "fs.chmod",
    args: [toPath(path), toMode(mode, "mode")],
  }),
  chown: (path: unknown, uid: unknown, gid: unknown) => ({
    op: "fs.chown",
    args: [toPath(path), ...uidGid(uid, gid), true],
  }),
  lchown: (path: unknown, uid: unknown, gid: unknown) => ({
    op: "fs.chown",
    args: [toPath(path), ...uidGid(uid, gid), false],
  }),
  close: (fd: unknown) => ({ op: "fs.close", args: [validateFd(fd)] }),
  copyFile: (src: unknown, dest: unknown, mode?: unknown) => ({
    op: "fs.copyFile",
    args: [toPath(src, "src"), toPath(dest, "dest"), accessMode(mode, 7)],
  }),
  fchmod: (fd: unknown, mode: unknown) => ({
    op: "fs.fchmod",
    args: [validateFd(fd), toMode(mode, "mode")],
  }),
  fchown: (fd: unknown, uid: unknown, gid: unknown) => ({
    op: "fs.fchown",
    args: [validateFd(fd), ...uidGid(uid, gid)],
  }),
  fdatasync: (fd: unknown) => ({ op: "fs.fsync", args: [validateFd(fd), "fdatasync"] }),
  fsync: (fd: unknown) => ({ op: "fs.fsync", args: [validateFd(fd), "fsync"] }),
  fstat: (fd: unknown, options?: unknown) => {
    const opts = getOptions<{ bigint?: boolean }>(options, { bigint: false });
    return {
      op: "fs.fstat",
      args: [validateFd(fd)],
      map: (values: number[]) => makeStats(values, opts.bigint === true),
    };
  },
  ftruncate: (fd: unknown, len?: unknown) => ({
    op: "fs.ftruncate",
    args: [validateFd(fd), optionalLength(len)],
  }),
  futimes: (fd: unknown, atime: unknown, mtime: unknown) => ({
    op: "fs.futimes",
    args: [validateFd(fd), toTimeMs(atime), toTimeMs(mtime)],
  }),
  link: (existing: unknown, path: unknown) => ({
    op: "fs.link",
    args: [toPath(existing, "existingPath"), toPath(path, "newPath")],
  }),
  lstat: statPlan(false),
  lutimes: utimesPlan(false),
  mkdir,
  mkdtemp: (prefix: unknown, options?: unknown) => {
    const opts = getOptions<{ encoding?: string }>(options, { encoding: "utf8" });
    return {
      op: "fs.mkdtemp",
      args: [toPath(prefix, "prefix")],
      map: (path: string) => encodePath(path, opts.encoding),
    };
  },
  open: (path: unknown, flags?: unknown, mode?: unknown) => ({
    op: "fs.open",
    args: [toPath(path), toFlags(flags), toMode(mode, "mode", 0o666)],
  }),
  read: readPlan,
  readdir,
  readFile,
  readlink: withEncoding("fs.readlink"),
  readv,
  realpath: withEncoding("fs.realpath", [false]),
  realpathNative: withEncoding("fs.realpath", [true]),
  rename: (from: unknown, to: unknown) => ({
    op: "fs.rename",
    args: [toPath(from, "oldPath"), toPath(to, "newPath")],
  }),
  rm,
  rmdir,
  stat: statPlan(true),
  statfs: (path: unknown, options?: unknown) => {
    const opts = getOptions<{ bigint?: boolean }>(options, { bigint: false });
    return {
      op: "fs.statfs",
      args: [toPath(path)],
      map: (values: number[]) => makeStatFs(values, opts.bigint === true),
    };
  },
  symlink,
  truncate: (path: unknown, len?: unknown) => {
    if (typeof path === "number")
      return { op: "fs.ftruncate", args: [validateFd(path), optionalLength(len)] };
    return { op: "fs.truncate", args: [toPath(path), optionalLength(len)] };
  },
  unlink: (path: unknown) => ({ op: "fs.unlink", args: [toPath(path)] }),
  utimes: utimesPlan(true),
  write: writePlan,
  writeFile: writeFileWith("w"),
  writev,
};

/** The names that get a `*Sync`, a callback and (where Node has one) a promise form. */
export const COMMON_NAMES = Object.keys(PLANS).filter((n) => n !== "realpathNative");
