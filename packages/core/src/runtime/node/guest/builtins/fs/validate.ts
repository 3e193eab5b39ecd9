/**
 * Argument checks and conversions shared by every form of node:fs, with Node's error codes and
 * messages: paths (string, Buffer, file: URL), descriptors, flags, modes, encodings, options.
 */
import { Buffer } from "buffer";
import { codedError, describeReceived, invalidArgType } from "../../errors.ts";
import { FS_CONSTANTS, KERNEL_OPEN_BITS } from "./constants.ts";

const { O_APPEND, O_CREAT, O_EXCL, O_RDONLY, O_RDWR, O_SYNC, O_TRUNC, O_WRONLY } = FS_CONSTANTS;

export function invalidArgValue(name: string, value: unknown, reason = "is invalid"): TypeError {
  const label = name.includes(".") ? "property" : "argument";
  return codedError(
    TypeError,
    "ERR_INVALID_ARG_VALUE",
    `The ${label} '${name}' ${reason}. Received ${inspectValue(value)}`,
  );
}

/** How Node's ERR_INVALID_ARG_VALUE shows a value (util.inspect, shortened). */
function inspectValue(value: unknown): string {
  if (typeof value === "string") return `'${value.replace(/\0/g, "\\x00")}'`;
  if (typeof value === "object" && value !== null) {
    try {
      return JSON.stringify(value) === "{}" ? "{}" : describeReceived(value);
    } catch {
      return describeReceived(value);
    }
  }
  return String(value);
}

export function outOfRange(name: string, range: string, value: unknown): RangeError {
  return codedError(
    RangeError,
    "ERR_OUT_OF_RANGE",
    `The value of "${name}" is out of range. It must be ${range}. Received ${String(value)}`,
  );
}

function isUrlLike(value: unknown): value is URL {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as URL).href === "string" &&
    typeof (value as URL).protocol === "string" &&
    (value as { auth?: unknown }).auth === undefined &&
    (value as { path?: unknown }).path === undefined
  );
}

function fileUrlToPath(url: URL): string {
  if (url.protocol !== "file:") {
    throw codedError(TypeError, "ERR_INVALID_URL_SCHEME", "The URL must be of scheme file");
  }
  if (url.hostname !== "" && url.hostname !== "localhost") {
    throw codedError(
      TypeError,
      "ERR_INVALID_FILE_URL_HOST",
      'File URL host must be "localhost" or empty on linux',
    );
  }
  const pathname = url.pathname;
  if (/%2f/i.test(pathname)) {
    throw codedError(
      TypeError,
      "ERR_INVALID_FILE_URL_PATH",
      "File URL path must not include encoded / characters",
    );
  }
  return decodeURIComponent(pathname);
}

/** A path argument as the string the kernel takes. */
export function toPath(value: unknown, name = "path"): string {
  let path: string;
  if (typeof value === "string") path = value;
  else if (value instanceof Uint8Array) path = Buffer.from(value).toString();
  else if (isUrlLike(value)) path = fileUrlToPath(value);
  else {
    throw invalidArgType(name, "of type string or an instance of Buffer or URL", value);
  }
  if (path.includes("\0")) {
    throw invalidArgValue(name, value, "must be a string, Uint8Array, or URL without null bytes");
  }
  return path;
}

export function validateInt32(value: unknown, name: string, min = -(2 ** 31), max = 2 ** 31 - 1) {
  if (typeof value !== "number") throw invalidArgType(name, "of type number", value);
  if (!Number.isInteger(value)) outOfRangeInteger(name, value);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
  return value;
}

function outOfRangeInteger(name: string, value: number): never {
  throw outOfRange(name, "an integer", value);
}

export function validateFd(fd: unknown): number {
  return validateInt32(fd, "fd", 0, 2 ** 31 - 1);
}

export function validateInteger(value: unknown, name: string, min = Number.MIN_SAFE_INTEGER) {
  if (typeof value !== "number") throw invalidArgType(name, "of type number", value);
  if (!Number.isInteger(value)) outOfRangeInteger(name, value);
  if (value < min || value > Number.MAX_SAFE_INTEGER) {
    throw outOfRange(name, `>= ${min} && <= ${Number.MAX_SAFE_INTEGER}`, value);
  }
  return value;
}

export function validateFunction(value: unknown, name: string): asserts value is Function {
  if (typeof value !== "function") throw invalidArgType(name, "of type function", value);
}

export function validateBoolean(value: unknown, name: string): void {
  if (typeof value !== "boolean") throw invalidArgType(name, "of type boolean", value);
}

export function validateObject(value: unknown, name: string): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidArgType(name, "of type object", value);
  }
}

const FLAGS: Record<string, number> = {
  r: O_RDONLY,
  rs: O_RDONLY | O_SYNC,
  sr: O_RDONLY | O_SYNC,
  "r+": O_RDWR,
  "rs+": O_RDWR | O_SYNC,
  "sr+": O_RDWR | O_SYNC,
  w: O_TRUNC | O_CREAT | O_WRONLY,
  wx: O_TRUNC | O_CREAT | O_WRONLY | O_EXCL,
  xw: O_TRUNC | O_CREAT | O_WRONLY | O_EXCL,
  "w+": O_TRUNC | O_CREAT | O_RDWR,
  "wx+": O_TRUNC | O_CREAT | O_RDWR | O_EXCL,
  "xw+": O_TRUNC | O_CREAT | O_RDWR | O_EXCL,
  a: O_APPEND | O_CREAT | O_WRONLY,
  ax: O_APPEND | O_CREAT | O_WRONLY | O_EXCL,
  xa: O_APPEND | O_CREAT | O_WRONLY | O_EXCL,
  as: O_APPEND | O_CREAT | O_WRONLY | O_SYNC,
  sa: O_APPEND | O_CREAT | O_WRONLY | O_SYNC,
  "a+": O_APPEND | O_CREAT | O_RDWR,
  "ax+": O_APPEND | O_CREAT | O_RDWR | O_EXCL,
  "xa+": O_APPEND | O_CREAT | O_RDWR | O_EXCL,
  "as+": O_APPEND | O_CREAT | O_RDWR | O_SYNC,
  "sa+": O_APPEND | O_CREAT | O_RDWR | O_SYNC,
};

/** Node's stringToFlags: 'r', 'w+', 'ax', ... or a number; only the bits the kernel knows. */
export function toFlags(flags: unknown, fallback: number | string = "r"): number {
  if (flags === undefined || flags === null) return toFlags(fallback);
  if (typeof flags === "number") return flags & KERNEL_OPEN_BITS;
  if (typeof flags === "string" && Object.hasOwn(FLAGS, flags)) {
    return FLAGS[flags] & KERNEL_OPEN_BITS;
  }
  throw invalidArgValue("flags", flags);
}

/** Node's parseFileMode: a uint32 or an octal string. */
export function toMode(value: unknown, name: string, fallback?: number): number {
  if (value === undefined || value === null) {
    if (fallback === undefined) throw invalidArgType(name, "of type number", value);
    return fallback;
  }
  if (typeof value === "string") {
    if (!/^[0-7]+$/.test(value)) {
      throw invalidArgValue(name, value, "must be a 32-bit unsigned integer or an octal string");
    }
    return Number.parseInt(value, 8);
  }
  if (typeof value !== "number") throw invalidArgType(name, "of type number", value);
  if (!Number.isInteger(value)) outOfRangeInteger(name, value);
  if (value < 0 || value > 2 ** 32 - 1) throw outOfRange(name, `>= 0 && <= ${2 ** 32 - 1}`, value);
  return value;
}

export function validateEncoding(encoding: unknown): void {
  if (encoding === undefined || encoding === null || encoding === "buffer") return;
  if (typeof encoding !== "string" || !Buffer.isEncoding(encoding)) {
    throw invalidArgValue("encoding", encoding, "is invalid encoding");
  }
}

/** Node's getOptions: a string is the encoding; objects merge over the defaults. */
export function getOptions<T extends object>(options: unknown, defaults: T): T {
  if (options === undefined || options === null || typeof options === "function") {
    return defaults;
  }
  let merged: T;
  if (typeof options === "string") merged = { ...defaults, encoding: options };
  else if (typeof options === "object") merged = { ...defaults, ...(options as object) };
  else {
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_TYPE",
      `The "options" argument must be one of type string or object. Received ${describeReceived(options)}`,
    );
  }
  validateEncoding((merged as { encoding?: unknown }).encoding);
  const signal = (merged as { signal?: unknown }).signal;
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw invalidArgType("options.signal", "an instance of AbortSignal", signal);
  }
  return merged;
}

function isAbortSignal(value: unknown): boolean {
  return typeof value === "object" && value !== null && "aborted" in value;
}

/** Bytes to write: strings in `encoding`, typed arrays and DataViews as their bytes. */
export function toBytes(data: unknown, encoding: unknown, name = "data"): Uint8Array {
  if (typeof data === "string") return Buffer.from(data, (encoding as BufferEncoding) || "utf8");
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw invalidArgType(
    name,
    "of type string or an instance of Buffer, TypedArray, or DataView",
    data,
  );
}

/** A view of any ArrayBufferView as bytes (for read targets). */
export function bytesOf(buffer: unknown, name = "buffer"): Uint8Array {
  if (buffer instanceof Uint8Array) return buffer;
  if (ArrayBuffer.isView(buffer)) {
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }
  throw invalidArgType(name, "an instance of Buffer, TypedArray, or DataView", buffer);
}

/** Seconds (number, numeric string or Date) → milliseconds, as Node's toUnixTimestamp. */
export function toTimeMs(time: unknown, name = "time"): number {
  if (typeof time === "string" && !Number.isNaN(+time)) return +time * 1000;
  if (typeof time === "number") {
    if (!Number.isFinite(time) || time < 0) return Date.now();
    return time * 1000;
  }
  if (typeof time === "bigint") return Number(time) * 1000;
  if (time instanceof Date) return time.getTime();
  throw invalidArgType(name, "an instance of Date or an Time in seconds", time);
}

export function abortError(signal?: AbortSignal): Error {
  const error = new Error("The operation was aborted") as Error & { code: string; cause?: unknown };
  error.name = "AbortError";
  error.code = "ABORT_ERR";
  if (signal?.reason !== undefined) error.cause = signal.reason;
  return error;
}

export function decodeBytes(data: Uint8Array, encoding: unknown): string | Buffer {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (encoding && encoding !== "buffer") return buffer.toString(encoding as BufferEncoding);
  return buffer;
}
