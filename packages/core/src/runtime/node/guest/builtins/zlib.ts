/**
 * node:zlib on the host's zlib, brotli and zstd: the one-shot functions in their sync, callback
 * and (through util.promisify) promise forms, the stream classes of ./zlib/streams.ts, crc32,
 * constants and codes.
 */
import { Buffer } from "buffer";
import { invalidArgType } from "../errors.ts";
import { validateFunction, viewBytes } from "./crypto/data.ts";
import { asBuffer, hostAsync, hostSync } from "./crypto/host-result.ts";
import { zlibCodes, zlibConstants } from "./zlib/info.ts";
import * as streams from "./zlib/streams.ts";

const ONE_SHOT = [
  "deflate",
  "inflate",
  "gzip",
  "gunzip",
  "deflateRaw",
  "inflateRaw",
  "unzip",
  "brotliCompress",
  "brotliDecompress",
  "zstdCompress",
  "zstdDecompress",
];

/** What the one-shot functions take: a string, an ArrayBuffer or any view. */
function inputBytes(buffer: unknown): Uint8Array {
  if (typeof buffer === "string") return Buffer.from(buffer);
  if (ArrayBuffer.isView(buffer)) return viewBytes(buffer);
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  throw invalidArgType(
    "buffer",
    "of type string or an instance of Buffer, TypedArray, DataView, or ArrayBuffer",
    buffer,
  );
}

function optionsOf(options: unknown): Record<string, unknown> {
  return typeof options === "object" && options !== null
    ? streams.marshalOptions(options as Record<string, unknown>)
    : {};
}

function syncFunction(kind: string) {
  return (buffer: unknown, options?: unknown): Buffer =>
    asBuffer(hostSync<Uint8Array>("zlib.sync", kind, inputBytes(buffer), optionsOf(options)));
}

function callbackFunction(kind: string) {
  return (buffer: unknown, options: unknown, callback?: unknown): void => {
    if (typeof options === "function") {
      callback = options;
      options = {};
    }
    validateFunction(callback, "callback");
    const done = callback as (error: Error | null, result?: Buffer) => void;
    const id = hostSync<number>("zlib.start", kind, inputBytes(buffer), optionsOf(options));
    hostAsync<Uint8Array>("zlib.wait", [id], (error, out) =>
      error ? done(error) : done(null, asBuffer(out as Uint8Array)),
    );
  };
}

function crc32(data: unknown, value: unknown = 0): number {
  if (typeof data !== "string" && !ArrayBuffer.isView(data)) {
    throw invalidArgType(
      "data",
      "of type string or an instance of Buffer, TypedArray, or DataView",
      data,
    );
  }
  if (typeof value !== "number") throw invalidArgType("value", "of type number", value);
  return hostSync<number>(
    "zlib.crc32",
    typeof data === "string" ? Buffer.from(data) : inputBytes(data),
    value,
  );
}

export function createZlib(): unknown {
  const classes: Record<string, new (options?: unknown) => unknown> = {
    Deflate: streams.Deflate,
    Inflate: streams.Inflate,
    Gzip: streams.Gzip,
    Gunzip: streams.Gunzip,
    DeflateRaw: streams.DeflateRaw,
    InflateRaw: streams.InflateRaw,
    Unzip: streams.Unzip,
    BrotliCompress: streams.BrotliCompress,
    BrotliDecompress: streams.BrotliDecompress,
    ZstdCompress: streams.ZstdCompress,
    ZstdDecompress: streams.ZstdDecompress,
  };
  const module: Record<string, unknown> = { crc32, ...classes };
  for (const kind of ONE_SHOT) {
    module[kind] = callbackFunction(kind);
    module[`${kind}Sync`] = syncFunction(kind);
  }
  for (const [name, Class] of Object.entries(classes)) {
    module[`create${name}`] = (options?: unknown) => new Class(options);
  }
  const constants = Object.freeze({ ...zlibConstants() });
  module.constants = constants;
  module.codes = Object.freeze({ ...zlibCodes() });
  // The old top-level Z_* names are still there, hidden, as in Node.
  for (const [name, value] of Object.entries(constants)) {
    if (name.startsWith("Z_")) {
      Object.defineProperty(module, name, {
        value,
        enumerable: false,
        writable: false,
        configurable: false,
      });
    }
  }
  return module;
}
