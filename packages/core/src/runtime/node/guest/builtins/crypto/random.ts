/**
 * Random numbers from the host's CSPRNG. Small requests (randomUUID, randomInt, short
 * randomBytes) are served from a pool fetched 4 KiB at a time, as Node caches UUID entropy; the
 * pool is filled only at call time, never while the startup snapshot is made (every process
 * would share its bytes).
 */
import { Buffer } from "buffer";
import { codedError, invalidArgType } from "../../errors.ts";
import { nextTick } from "../../loop.ts";
import { outOfRange, validateFunction, validateNumber } from "./data.ts";
import { asBuffer, hostAsync, hostSync } from "./host-result.ts";

const POOL_SIZE = 4096;
const POOLED_MAX = 256;
/** randomBytes takes at most 2^31 - 1 bytes in Node. */
const MAX_SIZE = 2 ** 31 - 1;
let pool: Uint8Array = new Uint8Array(0);
let poolOffset = 0;

function hostRandom(size: number): Uint8Array {
  return hostSync<Uint8Array>("crypto.randomBytes", size);
}

/** `size` fresh random bytes, copied into `target` at `offset`. */
function fillFromHost(target: Uint8Array, offset: number, size: number): void {
  if (size === 0) return;
  if (size <= POOLED_MAX) {
    if (poolOffset + size > pool.length) {
      pool = hostRandom(POOL_SIZE);
      poolOffset = 0;
    }
    target.set(pool.subarray(poolOffset, poolOffset + size), offset);
    // Bytes handed out are wiped so they cannot be handed out again by mistake.
    pool.fill(0, poolOffset, poolOffset + size);
    poolOffset += size;
    return;
  }
  target.set(hostRandom(size), offset);
}

function validateSize(size: unknown): asserts size is number {
  validateNumber(size, "size", 0, MAX_SIZE);
}

export function randomBytes(size: unknown, callback?: unknown): Buffer | undefined {
  validateSize(size);
  if (callback !== undefined) validateFunction(callback, "callback");
  if (callback === undefined) {
    const buffer = Buffer.alloc(size);
    fillFromHost(buffer, 0, size);
    return buffer;
  }
  const done = callback as (error: Error | null, buffer?: Buffer) => void;
  hostAsync<Uint8Array>("crypto.randomBytes", [size], (error, bytes) =>
    error ? done(error) : done(null, asBuffer(bytes as Uint8Array)),
  );
  return undefined;
}

function bufferBytes(buf: unknown): Uint8Array {
  if (buf instanceof ArrayBuffer) return new Uint8Array(buf);
  if (ArrayBuffer.isView(buf)) return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  throw invalidArgType("buf", "an instance of ArrayBuffer or ArrayBufferView", buf);
}

function elementSize(buf: unknown): number {
  return ArrayBuffer.isView(buf) && "BYTES_PER_ELEMENT" in buf
    ? (buf as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT
    : 1;
}

/** Node's offset/size rules for randomFill(Sync): both count elements of the view. */
function fillRange(buf: unknown, offset: unknown, size: unknown): [Uint8Array, number, number] {
  const bytes = bufferBytes(buf);
  const element = elementSize(buf);
  const length = bytes.byteLength;
  let start = 0;
  if (offset !== undefined) {
    validateNumber(offset, "offset", 0, length / element);
    start = (offset as number) * element;
  }
  let count = length - start;
  if (size !== undefined) {
    validateNumber(size, "size", 0, count / element);
    count = (size as number) * element;
  }
  if (start + count > length) throw outOfRange("size + offset", `<= ${length}`, start + count);
  return [bytes, start, count];
}

export function randomFillSync<T>(buf: T, offset?: unknown, size?: unknown): T {
  const [bytes, start, count] = fillRange(buf, offset, size);
  fillFromHost(bytes, start, count);
  return buf;
}

export function randomFill(
  buf: unknown,
  offset?: unknown,
  size?: unknown,
  callback?: unknown,
): void {
  if (typeof offset === "function") {
    callback = offset;
    offset = undefined;
    size = undefined;
  } else if (typeof size === "function") {
    callback = size;
    size = undefined;
  }
  const [bytes, start, count] = fillRange(buf, offset, size);
  validateFunction(callback, "callback");
  const done = callback as (error: Error | null, buf?: unknown) => void;
  hostAsync<Uint8Array>("crypto.randomBytes", [count], (error, random) => {
    if (error) return done(error);
    bytes.set(random as Uint8Array, start);
    done(null, buf);
  });
}

/** 2^48 - 1, the range Node draws from (six random bytes at a time). */
const RAND_MAX = 0xffff_ffff_ffff;

function drawInt(min: number, max: number): number {
  const range = max - min;
  const limit = RAND_MAX - (RAND_MAX % range);
  const six = new Uint8Array(6);
  for (;;) {
    fillFromHost(six, 0, 6);
    const x =
      six[0] * 2 ** 40 +
      six[1] * 2 ** 32 +
      ((six[2] << 24) >>> 0) +
      (six[3] << 16) +
      (six[4] << 8) +
      six[5];
    if (x < limit) return min + (x % range);
  }
}

export function randomInt(min: unknown, max?: unknown, callback?: unknown): number | undefined {
  const minNotSpecified = typeof max === "undefined" || typeof max === "function";
  if (minNotSpecified) {
    callback = max;
    max = min;
    min = 0;
  }
  const isSync = typeof callback === "undefined";
  if (!isSync) validateFunction(callback, "callback");
  if (!Number.isSafeInteger(min)) throw invalidArgType("min", "a safe integer", min);
  if (!Number.isSafeInteger(max)) throw invalidArgType("max", "a safe integer", max);
  const lo = min as number;
  const hi = max as number;
  if (hi <= lo) {
    throw codedError(
      RangeError,
      "ERR_OUT_OF_RANGE",
      `The value of "max" is out of range. It must be greater than the value of "min" (${lo}). Received ${hi}`,
    );
  }
  const range = hi - lo;
  if (!(range <= RAND_MAX)) {
    throw outOfRange(`max${minNotSpecified ? "" : " - min"}`, `<= ${RAND_MAX}`, range);
  }
  const value = drawInt(lo, hi);
  if (isSync) return value;
  nextTick(() => (callback as (e: null, n: number) => void)(null, value));
  return undefined;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function randomUUID(options?: unknown): string {
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw invalidArgType("options", "of type object", options);
  }
  const b = new Uint8Array(16);
  fillFromHost(b, 0, 16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (byte) => HEX[byte]);
  return `${h.slice(0, 4).join("")}-${h.slice(4, 6).join("")}-${h.slice(6, 8).join("")}-${h.slice(8, 10).join("")}-${h.slice(10).join("")}`;
}

/** Web Crypto's getRandomValues: integer typed arrays only, at most 65536 bytes. */
export function getRandomValues<T>(array: T): T {
  const integerArray =
    array instanceof Int8Array ||
    array instanceof Uint8Array ||
    array instanceof Uint8ClampedArray ||
    array instanceof Int16Array ||
    array instanceof Uint16Array ||
    array instanceof Int32Array ||
    array instanceof Uint32Array ||
    array instanceof BigInt64Array ||
    array instanceof BigUint64Array;
  if (!integerArray) {
    const error = new Error("The data argument must be an integer-type TypedArray");
    Object.defineProperty(error, "name", { value: "TypeMismatchError" });
    throw Object.assign(error, { code: 17 });
  }
  const bytes = bufferBytes(array);
  if (bytes.byteLength > 65536) {
    const error = new Error(
      `The ArrayBufferView's byte length (${bytes.byteLength}) exceeds the number of bytes of entropy available via this API (65536)`,
    );
    Object.defineProperty(error, "name", { value: "QuotaExceededError" });
    throw Object.assign(error, { code: 22 });
  }
  fillFromHost(bytes, 0, bytes.byteLength);
  return array;
}
