/**
 * Adds Node's 'base64url' encoding to the `buffer` package's Buffer, which lacks it. Decoding
 * needs nothing new (the package's base64 decoder already accepts '-' and '_'), so every method
 * taking an encoding sees 'base64' instead; encoding turns base64 into its URL-safe, unpadded form.
 * toString('utf8') decodes as Node does (one U+FFFD per invalid sequence, not per byte).
 */
import { Buffer } from "buffer";
import { TextDecoder } from "./text-encoding.ts";

function isBase64Url(value: unknown): boolean {
  return typeof value === "string" && value.length === 9 && value.toLowerCase() === "base64url";
}

/** The same arguments with any 'base64url' encoding replaced by 'base64'. */
function decodingArgs(args: unknown[]): unknown[] {
  return args.map((arg) => (isBase64Url(arg) ? "base64" : arg));
}

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

function wrapDecoding(owner: Record<string, unknown>, name: string): void {
  const original = owner[name] as AnyFunction;
  Object.defineProperty(owner, name, {
    value: function (this: unknown, ...args: unknown[]) {
      return original.apply(this, decodingArgs(args));
    },
    writable: true,
    configurable: true,
    enumerable: Object.getOwnPropertyDescriptor(owner, name)?.enumerable ?? false,
  });
  Object.defineProperty(owner[name], "name", { value: name });
}

function isUtf8(encoding: unknown): boolean {
  if (encoding === undefined) return true;
  if (typeof encoding !== "string" || encoding.length > 5) return false;
  const lower = encoding.toLowerCase();
  return lower === "utf8" || lower === "utf-8";
}

// The package's decoder turns a truncated sequence into one U+FFFD per byte; Node (like the
// WHATWG decoder) into one per maximal invalid subpart. The BOM is data here, not a marker.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** toString('utf8', start, end) with Node's clamping of start and end. */
function decodeUtf8(buffer: Uint8Array, startArg: unknown, endArg: unknown): string {
  const length = buffer.length;
  let start = startArg === undefined ? 0 : Number(startArg);
  if (!(start > 0)) start = 0;
  else if (start >= length) return "";
  else start = Math.trunc(start) || 0;
  let end = endArg === undefined ? length : Number(endArg);
  end = end > length ? length : Math.trunc(end) || 0;
  if (end <= start) return "";
  return utf8.decode(buffer.subarray(start, end));
}

let installed = false;

export function installBase64Url(): void {
  if (installed) return;
  installed = true;
  const statics = Buffer as unknown as Record<string, unknown>;
  const proto = Buffer.prototype as unknown as Record<string, AnyFunction>;
  const isEncoding = Buffer.isEncoding;
  statics.isEncoding = function isEncoding_(encoding: unknown) {
    return isBase64Url(encoding) || isEncoding(encoding as string);
  };
  Object.defineProperty(statics.isEncoding, "name", { value: "isEncoding" });
  for (const name of ["from", "alloc", "byteLength"]) wrapDecoding(statics, name);
  for (const name of ["write", "fill", "indexOf", "lastIndexOf", "includes"]) {
    wrapDecoding(proto as Record<string, unknown>, name);
  }
  const baseToString = proto.toString as AnyFunction;
  const toStringBase64Url = function (this: unknown, encoding?: unknown, ...rest: unknown[]) {
    if (isUtf8(encoding)) return decodeUtf8(this as Uint8Array, rest[0], rest[1]);
    if (!isBase64Url(encoding)) return baseToString.call(this, encoding, ...rest);
    const base64 = baseToString.call(this, "base64", ...rest) as string;
    return base64.replace(/[+/=]/g, (c) => (c === "+" ? "-" : c === "/" ? "_" : ""));
  };
  Object.defineProperty(toStringBase64Url, "name", { value: "toString" });
  Object.defineProperty(proto, "toString", {
    value: toStringBase64Url,
    writable: true,
    configurable: true,
    enumerable: true,
  });
}
