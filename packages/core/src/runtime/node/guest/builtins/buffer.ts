/** node:buffer, from the `buffer` package (the standard Buffer polyfill), plus Node's extras. */
import * as bufferPackage from "buffer";
import { inspectMaxBytes } from "../buffer-inspect.ts";

export function createBuffer(): unknown {
  const pkg = bufferPackage as unknown as Record<string, unknown>;
  const { INSPECT_MAX_BYTES: _, ...rest } = pkg;
  const module = {
    ...rest,
    Buffer: pkg.Buffer,
    Blob: globalThis.Blob,
    File: (globalThis as Record<string, unknown>).File,
    atob: globalThis.atob,
    btoa: globalThis.btoa,
    constants: { MAX_LENGTH: pkg.kMaxLength, MAX_STRING_LENGTH: 2 ** 29 - 24 },
    isUtf8: (input: Uint8Array) => {
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(input);
        return true;
      } catch {
        return false;
      }
    },
    isAscii: (input: Uint8Array) => input.every((byte) => byte < 0x80),
  };
  Object.defineProperty(module, "INSPECT_MAX_BYTES", { ...inspectMaxBytes, enumerable: true });
  return module;
}
