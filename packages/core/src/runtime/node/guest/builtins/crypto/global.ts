/** The Web Crypto globals: `crypto` (an accessor, as in Node), Crypto, CryptoKey, SubtleCrypto. */
import { Crypto, CryptoKey, SubtleCrypto, webcrypto } from "./webcrypto.ts";

export function installCryptoGlobal(): void {
  let current: unknown = webcrypto;
  Object.defineProperty(globalThis, "crypto", {
    get: () => current,
    set: (value) => {
      current = value;
    },
    enumerable: true,
    configurable: true,
  });
  for (const [name, value] of [
    ["Crypto", Crypto],
    ["CryptoKey", CryptoKey],
    ["SubtleCrypto", SubtleCrypto],
  ] as const) {
    Object.defineProperty(globalThis, name, {
      value,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
}
