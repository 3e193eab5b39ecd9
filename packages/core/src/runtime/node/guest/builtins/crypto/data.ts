/**
 * Argument checks and byte conversions shared by the crypto classes, with Node's error codes and
 * messages (the guest sees the same TypeErrors it would on Node).
 */
import { Buffer } from "buffer";
import { codedError, describeReceived, invalidArgType } from "../../errors.ts";

export const BYTES_EXPECTED = "of type string or an instance of Buffer, TypedArray, or DataView";

export function validateString(value: unknown, name: string): asserts value is string {
  if (typeof value !== "string") throw invalidArgType(name, "of type string", value);
}

export function validateFunction(
  value: unknown,
  name: string,
): asserts value is (...args: never[]) => unknown {
  if (typeof value !== "function") throw invalidArgType(name, "of type function", value);
}

export function validateNumber(value: unknown, name: string, min?: number, max?: number): void {
  if (typeof value !== "number") throw invalidArgType(name, "of type number", value);
  if (
    (min !== undefined && value < min) ||
    (max !== undefined && value > max) ||
    Number.isNaN(value)
  ) {
    throw outOfRange(name, `>= ${min} && <= ${max}`, value);
  }
}

export function validateInt32(
  value: unknown,
  name: string,
  min = -(2 ** 31),
  max = 2 ** 31 - 1,
): void {
  if (typeof value !== "number") throw invalidArgType(name, "of type number", value);
  if (!Number.isInteger(value)) throw outOfRange(name, "an integer", value);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
}

export function validateUint32(value: unknown, name: string, positive = false): void {
  if (typeof value !== "number") throw invalidArgType(name, "of type number", value);
  if (!Number.isInteger(value)) throw outOfRange(name, "an integer", value);
  const min = positive ? 1 : 0;
  if (value < min || value > 4294967295)
    throw outOfRange(name, `>= ${min} && <= 4294967295`, value);
}

export function outOfRange(name: string, range: string, received: unknown): RangeError {
  let shown = String(received);
  if (typeof received === "number" && Number.isInteger(received) && Math.abs(received) > 2 ** 32) {
    shown = addUnderscores(String(received));
  } else if (typeof received === "bigint") shown = `${addUnderscores(String(received))}n`;
  return codedError(
    RangeError,
    "ERR_OUT_OF_RANGE",
    `The value of "${name}" is out of range. It must be ${range}. Received ${shown}`,
  );
}

function addUnderscores(digits: string): string {
  const sign = digits.startsWith("-") ? "-" : "";
  let rest = sign ? digits.slice(1) : digits;
  let out = "";
  while (rest.length > 3) {
    out = `_${rest.slice(-3)}${out}`;
    rest = rest.slice(0, -3);
  }
  return `${sign}${rest}${out}`;
}

export function invalidArgValue(name: string, value: unknown, reason = "is invalid"): TypeError {
  const shown = typeof value === "string" ? `'${value}'` : describeValue(value);
  return codedError(
    TypeError,
    "ERR_INVALID_ARG_VALUE",
    `The argument '${name}' ${reason}. Received ${shown}`,
  );
}

function describeValue(value: unknown): string {
  const described = describeReceived(value);
  return described.replace(/^type \w+ \((.*)\)$/, "$1");
}

/** Node rejects hex strings of odd length before hashing them. */
export function validateEncoding(data: string, encoding: unknown): void {
  const normalized = typeof encoding === "string" ? encoding.toLowerCase() : encoding;
  if (normalized === "hex" && data.length % 2 !== 0) {
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_VALUE",
      `The argument 'encoding' is invalid for data of length ${data.length}. Received 'hex'`,
    );
  }
}

/** A string (in `encoding`, utf8 when unknown) or any ArrayBufferView, as a Uint8Array. */
export function toBytes(
  data: unknown,
  encoding: unknown,
  name = "data",
  expected = BYTES_EXPECTED,
): Uint8Array {
  if (typeof data === "string") {
    validateEncoding(data, encoding);
    return bytesFromString(data, encoding);
  }
  if (ArrayBuffer.isView(data)) return viewBytes(data);
  throw invalidArgType(name, expected, data);
}

/** Like toBytes but also takes an ArrayBuffer (keys, salts, passwords). */
export function toBytesOrArrayBuffer(data: unknown, encoding: unknown, name: string): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return toBytes(
    data,
    encoding,
    name,
    "of type string or an instance of ArrayBuffer, Buffer, TypedArray, or DataView",
  );
}

/**
 * A view's bytes in an array that owns its whole buffer. isolated-vm copies a view's entire
 * ArrayBuffer, so sending a 64 KiB slice of a 10 MiB Buffer would copy 10 MiB.
 */
export function viewBytes(view: ArrayBufferView): Uint8Array {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  return bytes.byteLength === view.buffer.byteLength ? bytes : bytes.slice();
}

/** What digest()/final() return: a Buffer, or a string when an encoding is named. */
export function encodeOutput(bytes: Uint8Array, encoding: unknown): Buffer | string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (encoding === undefined || encoding === null || encoding === "buffer" || encoding === "")
    return buffer;
  const name = String(encoding);
  if (name.toLowerCase() === "base64url") return toBase64Url(buffer.toString("base64"));
  return Buffer.isEncoding(name) ? buffer.toString(name as BufferEncoding) : buffer;
}

/** base64 text in its URL-safe form without padding (the bundled Buffer lacks base64url). */
export function toBase64Url(base64: string): string {
  return base64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function isEncoding(encoding: unknown): boolean {
  return (
    typeof encoding === "string" &&
    (encoding.toLowerCase() === "base64url" || Buffer.isEncoding(encoding))
  );
}

/** A string's bytes in `encoding` (utf8 when unknown), base64url included. */
export function bytesFromString(data: string, encoding: unknown): Buffer {
  const name = typeof encoding === "string" ? encoding.toLowerCase() : "utf8";
  if (name === "base64url")
    return Buffer.from(data.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  const known = typeof encoding === "string" && Buffer.isEncoding(encoding) && name !== "buffer";
  return Buffer.from(data, (known ? encoding : "utf8") as BufferEncoding);
}
