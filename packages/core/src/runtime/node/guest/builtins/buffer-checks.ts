/**
 * Node's argument checks and errors for Buffer's allocation, Buffer.from and the fixed-size
 * read/write methods, put in front of the `buffer` package's own (which throw bare errors
 * without codes: "Trying to access beyond buffer length"). The checks follow Node's
 * lib/internal/buffer.js: ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE, ERR_BUFFER_OUT_OF_BOUNDS.
 */
import { Buffer } from "buffer";
import { inspect } from "node-inspect-extracted";
import { codedError, describeReceived, invalidArgType } from "../errors.ts";

/** Node's buffer.constants.MAX_LENGTH on 64-bit builds. */
const MAX_LENGTH = 2 ** 53 - 1;

/** "1_099_511_627_776": how Node shows a large integer it refused. */
function withSeparators(digits: string): string {
  const sign = digits.startsWith("-") ? "-" : "";
  const body = sign ? digits.slice(1) : digits;
  return sign + body.replace(/\B(?=(\d{3})+$)/g, "_");
}

export function outOfRange(name: string, range: string, received: unknown): RangeError {
  let shown: string;
  if (Number.isInteger(received) && Math.abs(received as number) > 2 ** 32) {
    shown = withSeparators(String(received));
  } else if (typeof received === "bigint") {
    const big = received > 2n ** 32n || received < -(2n ** 32n);
    shown = `${big ? withSeparators(String(received)) : String(received)}n`;
  } else {
    shown = inspect(received);
  }
  return codedError(
    RangeError,
    "ERR_OUT_OF_RANGE",
    `The value of "${name}" is out of range. It must be ${range}. Received ${shown}`,
  );
}

function validateNumber(value: unknown, name: string, min?: number, max?: number): void {
  if (typeof value !== "number") throw invalidArgType(name, "of type number", value);
  const bounded = min !== undefined || max !== undefined;
  if (
    (min !== undefined && value < min) ||
    (max !== undefined && value > max) ||
    (bounded && Number.isNaN(value))
  ) {
    const low = min !== undefined ? `>= ${min}` : "";
    const high = max !== undefined ? `<= ${max}` : "";
    throw outOfRange(name, [low, high].filter(Boolean).join(" && "), value);
  }
}

/** Node's boundsError: a fractional offset, a buffer too short, or an offset past the end. */
function boundsError(offset: number, last: number): never {
  if (Math.floor(offset) !== offset) throw outOfRange("offset", "an integer", offset);
  if (last < 0) {
    throw codedError(
      RangeError,
      "ERR_BUFFER_OUT_OF_BOUNDS",
      "Attempt to access memory outside buffer bounds",
    );
  }
  throw outOfRange("offset", `>= 0 and <= ${last}`, offset);
}

function checkBounds(buffer: Uint8Array, offset: unknown, size: number): void {
  validateNumber(offset, "offset");
  const at = offset as number;
  if (buffer[at] === undefined || buffer[at + size - 1] === undefined)
    boundsError(at, buffer.length - size);
}

/** The range text Node puts in a refused value: 64-bit ones as powers of two. */
function valueRange(min: number | bigint, max: number | bigint, size: number): string {
  if (size <= 4) return `>= ${min}${typeof min === "bigint" ? "n" : ""} and <= ${max}`;
  const bits = size * 8;
  return min === 0n
    ? `>= 0n and < 2n ** ${bits}n`
    : `>= -(2n ** ${bits - 1}n) and < 2n ** ${bits - 1}n`;
}

type Method = (this: Uint8Array, ...args: unknown[]) => unknown;

const READS: Array<[names: string[], size: number]> = [
  [["readUInt8", "readUint8", "readInt8"], 1],
  [["readUInt16LE", "readUint16LE", "readUInt16BE", "readUint16BE"], 2],
  [["readInt16LE", "readInt16BE"], 2],
  [["readUInt32LE", "readUint32LE", "readUInt32BE", "readUint32BE"], 4],
  [["readInt32LE", "readInt32BE", "readFloatLE", "readFloatBE"], 4],
  [["readDoubleLE", "readDoubleBE"], 8],
  [["readBigUInt64LE", "readBigUint64LE", "readBigUInt64BE", "readBigUint64BE"], 8],
  [["readBigInt64LE", "readBigInt64BE"], 8],
];

type IntWrite = [names: string[], size: number, min: number | bigint, max: number | bigint];

const INT_WRITES: IntWrite[] = [
  [["writeUInt8", "writeUint8"], 1, 0, 0xff],
  [["writeInt8"], 1, -0x80, 0x7f],
  [["writeUInt16LE", "writeUint16LE", "writeUInt16BE", "writeUint16BE"], 2, 0, 0xffff],
  [["writeInt16LE", "writeInt16BE"], 2, -0x8000, 0x7fff],
  [["writeUInt32LE", "writeUint32LE", "writeUInt32BE", "writeUint32BE"], 4, 0, 0xffffffff],
  [["writeInt32LE", "writeInt32BE"], 4, -0x80000000, 0x7fffffff],
  [
    ["writeBigUInt64LE", "writeBigUint64LE", "writeBigUInt64BE", "writeBigUint64BE"],
    8,
    0n,
    2n ** 64n - 1n,
  ],
  [["writeBigInt64LE", "writeBigInt64BE"], 8, -(2n ** 63n), 2n ** 63n - 1n],
];

const FLOAT_WRITES: Array<[names: string[], size: number]> = [
  [["writeFloatLE", "writeFloatBE"], 4],
  [["writeDoubleLE", "writeDoubleBE"], 8],
];

/** Checked versions by original method: aliases (readUint8, readUInt8) stay one function. */
const checkedOf = new Map<Method, Method>();

function replace(names: string[], make: (original: Method) => Method): void {
  const proto = Buffer.prototype as unknown as Record<string, Method>;
  for (const name of names) {
    const original = proto[name];
    if (typeof original !== "function") continue;
    let checked = checkedOf.get(original);
    if (!checked) {
      checked = make(original);
      Object.defineProperty(checked, "name", { value: name });
      checkedOf.set(original, checked);
    }
    proto[name] = checked;
  }
}

let installed = false;

export function installBufferChecks(): void {
  if (installed) return;
  installed = true;
  const statics = Buffer as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of ["alloc", "allocUnsafe", "allocUnsafeSlow"]) {
    const original = statics[name];
    statics[name] = Object.defineProperty(
      function (this: unknown, size: unknown, ...rest: unknown[]) {
        validateNumber(size, "size", 0, MAX_LENGTH);
        return original.call(this, size, ...rest);
      },
      "name",
      { value: name },
    );
  }
  const originalFrom = statics.from;
  statics.from = function from(this: unknown, value: unknown, ...rest: unknown[]) {
    try {
      return originalFrom.call(this, value, ...rest);
    } catch (error) {
      // The package's words for a value it cannot make a buffer of.
      if (
        !(error instanceof TypeError) ||
        !/^The (?:first|"value") argument must/.test(error.message)
      )
        throw error;
      throw codedError(
        TypeError,
        "ERR_INVALID_ARG_TYPE",
        `The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object. Received ${describeReceived(value)}`,
      );
    }
  };
  for (const [names, size] of READS) {
    replace(
      names,
      (original) =>
        function (this: Uint8Array, offset: unknown = 0) {
          checkBounds(this, offset, size);
          return original.call(this, offset);
        },
    );
  }
  for (const [names, size, min, max] of INT_WRITES) {
    replace(
      names,
      (original) =>
        function (this: Uint8Array, value: unknown, offset: unknown = 0) {
          const number = typeof min === "bigint" ? value : +(value as number);
          // Node validates a one-byte write's offset first, the wider ones' value first.
          if (size === 1) validateNumber(offset, "offset");
          if ((number as number) > max || (number as number) < min)
            throw outOfRange("value", valueRange(min, max, size), number);
          checkBounds(this, offset, size);
          return original.call(this, number, offset);
        },
    );
  }
  for (const [names, size] of FLOAT_WRITES) {
    replace(
      names,
      (original) =>
        function (this: Uint8Array, value: unknown, offset: unknown = 0) {
          checkBounds(this, offset, size);
          return original.call(this, value, offset);
        },
    );
  }
}
