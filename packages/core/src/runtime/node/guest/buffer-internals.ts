/**
 * The per-encoding methods Node's Buffer.prototype carries (`utf8Slice`, `latin1Write`, …):
 * undocumented, but packages such as undici call them for speed. They exist on Node's Buffer
 * because its C++ binding provides them; the `buffer` package keeps its equivalents private, so
 * they are rebuilt here over its toString/write, with Node's argument checks and errors.
 */
import { Buffer } from "buffer";
import { codedError } from "./errors.ts";

const ENCODINGS = ["ascii", "base64", "base64url", "latin1", "hex", "ucs2", "utf8"] as const;

/** Encodings whose Node write method checks offset and length in JS (the others clamp). */
const CHECKED_WRITES = new Set(["ascii", "latin1", "utf8"]);

type Encoding = (typeof ENCODINGS)[number];

function checkReceiver(self: unknown): asserts self is Uint8Array {
  if (!(self instanceof Uint8Array))
    throw codedError(TypeError, "ERR_INVALID_ARG_TYPE", "argument must be a buffer");
}

/** Node's ParseArrayIndex: absent means the default; negative is out of range. */
function arrayIndex(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const index = Math.trunc(Number(value)) || 0;
  if (index < 0) throw codedError(RangeError, "ERR_OUT_OF_RANGE", "Index out of range");
  return index;
}

function outOfBounds(name: string): RangeError {
  return codedError(
    RangeError,
    "ERR_BUFFER_OUT_OF_BOUNDS",
    `"${name}" is outside of buffer bounds`,
  );
}

// Looked up at call time: the prototype's toString/write gain 'base64url' after this loads.
type ToString = (this: Uint8Array, encoding: string, start: number, end: number) => string;
type Write = (
  this: Uint8Array,
  string: string,
  offset: number,
  length: number,
  encoding: string,
) => number;

function slice(encoding: Encoding) {
  return function (this: unknown, start?: unknown, end?: unknown): string {
    checkReceiver(this);
    const from = arrayIndex(start, 0);
    const to = arrayIndex(end, this.length);
    // An empty range is empty wherever it lies; only a non-empty one must fit.
    if (to <= from) return "";
    if (to > this.length) throw codedError(RangeError, "ERR_OUT_OF_RANGE", "Index out of range");
    return (Buffer.prototype.toString as ToString).call(this, encoding, from, to);
  };
}

/** Node decodes hex pairs up to the first invalid one (the package's parseInt takes "aG" as 10). */
function hexWrite(target: Uint8Array, string: string, offset: number, length: number): number {
  const count = Math.min(length, string.length >>> 1);
  for (let i = 0; i < count; i++) {
    const pair = string.slice(i * 2, i * 2 + 2);
    if (!/^[0-9a-fA-F]{2}$/.test(pair)) return i;
    target[offset + i] = Number.parseInt(pair, 16);
  }
  return count;
}

function writer(encoding: Encoding) {
  return function (this: unknown, string: unknown, offset?: unknown, length?: unknown): number {
    checkReceiver(this);
    if (CHECKED_WRITES.has(encoding)) {
      // Node's JS wrapper: defaults, then bounds against the given (uncoerced) values.
      const at = offset === undefined ? 0 : (offset as number);
      const max = length === undefined ? this.byteLength - at : (length as number);
      if (at < 0 || at > this.byteLength) throw outOfBounds("offset");
      if (max < 0 || max > this.byteLength - at) throw outOfBounds("length");
    }
    if (typeof string !== "string")
      throw codedError(TypeError, "ERR_INVALID_ARG_TYPE", "argument must be a string");
    const at = arrayIndex(offset, 0);
    if (at > this.length) throw outOfBounds("offset");
    const max = Math.min(this.length - at, arrayIndex(length, this.length - at));
    if (max === 0) return 0;
    if (encoding === "hex") return hexWrite(this, string, at, max);
    return (Buffer.prototype.write as Write).call(this, string, at, max, encoding);
  };
}

let installed = false;

/** Adds `<encoding>Slice` and `<encoding>Write` to Buffer.prototype (once; it is shared). */
export function installBufferInternals(): void {
  if (installed) return;
  installed = true;
  for (const encoding of ENCODINGS) {
    for (const [name, method] of [
      [`${encoding}Slice`, slice(encoding)],
      [`${encoding}Write`, writer(encoding)],
    ] as const) {
      // Node's are C++ functions, nameless.
      Object.defineProperty(method, "name", { value: "" });
      Object.defineProperty(Buffer.prototype, name, {
        value: method,
        writable: true,
        configurable: true,
        enumerable: true,
      });
    }
  }
}
