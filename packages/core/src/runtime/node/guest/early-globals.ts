/**
 * Globals that bundled packages read while they load (whatwg-url builds a TextEncoder at module
 * scope): installed by the first import of the runtime's entry, before anything else loads.
 */
import { TextDecoder, TextEncoder } from "./text-encoding.ts";

for (const [name, value] of [
  ["TextEncoder", TextEncoder],
  ["TextDecoder", TextDecoder],
] as const) {
  Object.defineProperty(globalThis, name, {
    value,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

/**
 * V8 leaves SharedArrayBuffer out while a startup snapshot is being made, but webidl-conversions
 * (under whatwg-url) reads its prototype at load time. A stand-in whose getters reject every
 * value ("not shared") serves for loading and is removed again once the globals are installed;
 * isolates started from the snapshot have the real one.
 */
export const SNAPSHOT_SAB_STANDIN = Symbol("agentos.sab-standin");

if (typeof SharedArrayBuffer === "undefined") {
  class SharedArrayBufferStandIn {
    get byteLength(): number {
      throw new TypeError("not a SharedArrayBuffer");
    }
    get growable(): boolean {
      throw new TypeError("not a SharedArrayBuffer");
    }
    get maxByteLength(): number {
      throw new TypeError("not a SharedArrayBuffer");
    }
    static [SNAPSHOT_SAB_STANDIN] = true;
  }
  Object.defineProperty(globalThis, "SharedArrayBuffer", {
    value: SharedArrayBufferStandIn,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
