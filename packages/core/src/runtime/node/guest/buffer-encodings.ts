/**
 * Adds Node's 'base64url' encoding to the `buffer` package's Buffer, which lacks it. Decoding
 * needs nothing new (the package's base64 decoder already accepts '-' and '_'), so every method
 * taking an encoding sees 'base64' instead; encoding turns base64 into its URL-safe, unpadded form.
 */
import { Buffer } from "buffer";

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
