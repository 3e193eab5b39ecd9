/**
 * node:crypto. The host's node:crypto (OpenSSL) does the work; this module gives the guest
 * Node's API surface over it: streaming objects hold host handles (./crypto/hash.ts,
 * cipher.ts, sign.ts), keys are data (./crypto/keys.ts), callback forms run as host jobs
 * (./crypto/jobs.ts) and Web Crypto is ./crypto/webcrypto.ts.
 */
import { codedError, invalidArgType } from "../errors.ts";
import { Cipheriv, Decipheriv } from "./crypto/cipher.ts";
import { Hash, Hmac, oneShotHash } from "./crypto/hash.ts";
import { hostSync } from "./crypto/host-result.ts";
import { hkdf, hkdfSync, pbkdf2, pbkdf2Sync, scrypt, scryptSync } from "./crypto/kdf.ts";
import {
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKey,
  generateKeyPair,
  generateKeyPairSync,
  generateKeySync,
  KeyObject,
} from "./crypto/keys.ts";
import {
  getRandomValues,
  randomBytes,
  randomFill,
  randomFillSync,
  randomInt,
  randomUUID,
} from "./crypto/random.ts";
import {
  diffieHellman,
  privateDecrypt,
  privateEncrypt,
  publicDecrypt,
  publicEncrypt,
  Sign,
  sign,
  Verify,
  verify,
} from "./crypto/sign.ts";
import { webcrypto } from "./crypto/webcrypto.ts";

interface CryptoInfo {
  hashes: string[];
  ciphers: string[];
  curves: string[];
  constants: Record<string, number | string>;
}

let info: CryptoInfo | undefined;

/** Fetched on first use (never at load: the module may be built into the startup snapshot). */
function hostInfo(): CryptoInfo {
  info ??= hostSync<CryptoInfo>("crypto.info");
  return info;
}

export function timingSafeEqual(a: unknown, b: unknown): boolean {
  const expected = "an instance of ArrayBuffer, Buffer, TypedArray, or DataView";
  if (!(a instanceof ArrayBuffer) && !ArrayBuffer.isView(a))
    throw invalidArgType("buf1", expected, a);
  if (!(b instanceof ArrayBuffer) && !ArrayBuffer.isView(b))
    throw invalidArgType("buf2", expected, b);
  const left =
    a instanceof ArrayBuffer
      ? new Uint8Array(a)
      : new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const right =
    b instanceof ArrayBuffer
      ? new Uint8Array(b)
      : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  if (left.byteLength !== right.byteLength) {
    // Thrown by C++ in Node: the code is a property, not part of the stack header.
    throw Object.assign(new RangeError("Input buffers must have the same byte length"), {
      code: "ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH",
    });
  }
  // Every byte is looked at whatever the differences, so the time says nothing about where.
  let difference = 0;
  for (let i = 0; i < left.byteLength; i++) difference |= left[i] ^ right[i];
  return difference === 0;
}

export function createCrypto(): unknown {
  const module: Record<string, unknown> = {
    createHash: (algorithm: unknown, options?: unknown) => new Hash(algorithm, options),
    createHmac: (hmac: unknown, key: unknown, options?: unknown) => new Hmac(hmac, key, options),
    hash: oneShotHash,
    createCipheriv: (cipher: unknown, key: unknown, iv: unknown, options?: unknown) =>
      new Cipheriv(cipher, key, iv, options),
    createDecipheriv: (cipher: unknown, key: unknown, iv: unknown, options?: unknown) =>
      new Decipheriv(cipher, key, iv, options),
    createSign: (algorithm: unknown, options?: unknown) => new Sign(algorithm, options),
    createVerify: (algorithm: unknown, options?: unknown) => new Verify(algorithm, options),
    sign,
    verify,
    publicEncrypt,
    privateDecrypt,
    privateEncrypt,
    publicDecrypt,
    diffieHellman,
    createSecretKey,
    createPublicKey,
    createPrivateKey,
    generateKeyPair,
    generateKeyPairSync,
    generateKey,
    generateKeySync,
    randomBytes,
    pseudoRandomBytes: randomBytes,
    prng: randomBytes,
    rng: randomBytes,
    randomFill,
    randomFillSync,
    randomInt,
    randomUUID,
    getRandomValues: (array: unknown) => getRandomValues(array),
    timingSafeEqual,
    pbkdf2,
    pbkdf2Sync,
    scrypt,
    scryptSync,
    hkdf,
    hkdfSync,
    getHashes: () => [...hostInfo().hashes],
    getCiphers: () => [...hostInfo().ciphers],
    getCurves: () => [...hostInfo().curves],
    getCipherInfo: (name: unknown, options?: unknown) =>
      hostSync<Record<string, unknown> | null>("crypto.cipherInfo", name, options) ?? undefined,
    getFips: () => 0,
    setFips: (enabled: unknown) => {
      if (enabled)
        throw codedError(
          Error,
          "ERR_CRYPTO_FIPS_FORCED",
          "Cannot set FIPS mode in a non-FIPS build.",
        );
    },
    secureHeapUsed: () => ({ total: 0, min: 0, used: 0, utilization: 0 }),
    Hash,
    Hmac,
    Cipheriv,
    Decipheriv,
    Sign,
    Verify,
    KeyObject,
    webcrypto,
    subtle: webcrypto.subtle,
  };
  Object.defineProperty(module, "constants", {
    enumerable: true,
    configurable: true,
    get: () => Object.freeze({ ...hostInfo().constants }),
  });
  return module;
}
