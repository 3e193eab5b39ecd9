/**
 * Web Crypto (`globalThis.crypto`, `require('crypto').webcrypto`): getRandomValues and randomUUID
 * here, SubtleCrypto computed by the host's `crypto.webcrypto.subtle`. A CryptoKey is data like a
 * KeyObject (its DER/raw material plus algorithm, usages and extractability); the host rebuilds
 * its own CryptoKey for each call, so its checks (usages, extractable) give Node's DOMExceptions.
 */
import { invalidArgType } from "../../errors.ts";
import { viewBytes } from "./data.ts";
import { hostPromise } from "./host-result.ts";
import { type KeyDescriptor, keyDescriptors } from "./keys.ts";
import { getRandomValues, randomUUID } from "./random.ts";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

interface CryptoKeyDescriptor {
  $cryptoKey: true;
  key: KeyDescriptor;
  type: string;
  algorithm: Record<string, unknown>;
  extractable: boolean;
  usages: string[];
}

const cryptoKeyData = new WeakMap<object, CryptoKeyDescriptor>();

function dataOf(key: CryptoKey): CryptoKeyDescriptor {
  const data = cryptoKeyData.get(key);
  if (!data) throw codedTypeError("Illegal invocation");
  return data;
}

function codedTypeError(message: string): TypeError {
  return Object.assign(new TypeError(message), { code: "ERR_INVALID_THIS" });
}

/** Algorithm dictionaries as the guest sees them: buffers in them are Uint8Arrays. */
function copyAlgorithm(algorithm: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(algorithm)) {
    out[name] =
      value instanceof Uint8Array
        ? new Uint8Array(value)
        : typeof value === "object" && value !== null
          ? { ...value }
          : value;
  }
  return out;
}

export class CryptoKey {
  constructor() {
    throw codedTypeError("Illegal constructor");
  }

  get type(): string {
    return dataOf(this).type;
  }
  get extractable(): boolean {
    return dataOf(this).extractable;
  }
  get algorithm(): Record<string, unknown> {
    return copyAlgorithm(dataOf(this).algorithm);
  }
  get usages(): string[] {
    return [...dataOf(this).usages];
  }

  [INSPECT](
    depth: number,
    options: Record<string, unknown>,
    inspect: (v: unknown, o: unknown) => string,
  ): string {
    if (depth < 0) return "CryptoKey";
    const data = dataOf(this);
    const shown = {
      type: data.type,
      extractable: data.extractable,
      algorithm: data.algorithm,
      usages: data.usages,
    };
    return `CryptoKey ${inspect(shown, { ...options, depth: (options.depth as number) - 1 })}`;
  }
}

Object.defineProperty(CryptoKey.prototype, Symbol.toStringTag, {
  value: "CryptoKey",
  configurable: true,
});

function isCryptoKeyDescriptor(value: unknown): value is CryptoKeyDescriptor {
  return typeof value === "object" && value !== null && "$cryptoKey" in value;
}

function wrapCryptoKey(data: CryptoKeyDescriptor): CryptoKey {
  const key = Object.create(CryptoKey.prototype) as CryptoKey;
  cryptoKeyData.set(key, data);
  // Node APIs that take keys (createHmac, sign, KeyObject.from) accept CryptoKeys as well.
  keyDescriptors.set(key, data.key);
  return key;
}

/** Arguments on their way to the host: CryptoKeys as descriptors, BufferSources as bytes. */
function marshal(value: unknown, depth = 0): unknown {
  if (typeof value !== "object" || value === null) return value;
  const data = cryptoKeyData.get(value);
  if (data) return data;
  if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0));
  if (ArrayBuffer.isView(value)) return viewBytes(value);
  if (depth > 3) return value;
  if (Array.isArray(value)) return value.map((item) => marshal(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) out[name] = marshal(item, depth + 1);
  return out;
}

/** Host answers: key descriptors become CryptoKeys, bytes become ArrayBuffers. */
function unmarshal(value: unknown, depth = 0): unknown {
  if (isCryptoKeyDescriptor(value)) return wrapCryptoKey(value);
  if (value instanceof Uint8Array) {
    return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
  }
  if (typeof value === "object" && value !== null && depth < 2 && !Array.isArray(value)) {
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) out[name] = unmarshal(item, depth + 1);
    return out;
  }
  return value;
}

function subtleCall(method: string, args: unknown[]): Promise<unknown> {
  try {
    return hostPromise<unknown>("crypto.subtle", method, marshal(args)).then((value) =>
      unmarshal(value),
    );
  } catch (error) {
    return Promise.reject(error);
  }
}

export class SubtleCrypto {
  digest(algorithm: unknown, data: unknown): Promise<unknown> {
    return subtleCall("digest", [algorithm, data]);
  }
  encrypt(algorithm: unknown, key: unknown, data: unknown): Promise<unknown> {
    return subtleCall("encrypt", [algorithm, key, data]);
  }
  decrypt(algorithm: unknown, key: unknown, data: unknown): Promise<unknown> {
    return subtleCall("decrypt", [algorithm, key, data]);
  }
  sign(algorithm: unknown, key: unknown, data: unknown): Promise<unknown> {
    return subtleCall("sign", [algorithm, key, data]);
  }
  verify(algorithm: unknown, key: unknown, signature: unknown, data: unknown): Promise<unknown> {
    return subtleCall("verify", [algorithm, key, signature, data]);
  }
  generateKey(algorithm: unknown, extractable: unknown, keyUsages: unknown): Promise<unknown> {
    return subtleCall("generateKey", [algorithm, extractable, keyUsages]);
  }
  deriveKey(
    algorithm: unknown,
    baseKey: unknown,
    derivedKeyAlgorithm: unknown,
    extractable: unknown,
    keyUsages: unknown,
  ): Promise<unknown> {
    return subtleCall("deriveKey", [
      algorithm,
      baseKey,
      derivedKeyAlgorithm,
      extractable,
      keyUsages,
    ]);
  }
  deriveBits(algorithm: unknown, baseKey: unknown, length?: unknown): Promise<unknown> {
    return subtleCall(
      "deriveBits",
      length === undefined ? [algorithm, baseKey] : [algorithm, baseKey, length],
    );
  }
  importKey(
    format: unknown,
    keyData: unknown,
    algorithm: unknown,
    extractable: unknown,
    keyUsages: unknown,
  ): Promise<unknown> {
    return subtleCall("importKey", [format, keyData, algorithm, extractable, keyUsages]);
  }
  exportKey(format: unknown, key: unknown): Promise<unknown> {
    return subtleCall("exportKey", [format, key]);
  }
  wrapKey(
    format: unknown,
    key: unknown,
    wrappingKey: unknown,
    wrapAlgorithm: unknown,
  ): Promise<unknown> {
    return subtleCall("wrapKey", [format, key, wrappingKey, wrapAlgorithm]);
  }
  unwrapKey(
    format: unknown,
    wrappedKey: unknown,
    unwrappingKey: unknown,
    unwrapAlgorithm: unknown,
    unwrappedKeyAlgorithm: unknown,
    extractable: unknown,
    keyUsages: unknown,
  ): Promise<unknown> {
    return subtleCall("unwrapKey", [
      format,
      wrappedKey,
      unwrappingKey,
      unwrapAlgorithm,
      unwrappedKeyAlgorithm,
      extractable,
      keyUsages,
    ]);
  }
}

Object.defineProperty(SubtleCrypto.prototype, Symbol.toStringTag, {
  value: "SubtleCrypto",
  configurable: true,
});

export class Crypto {
  readonly #subtle = new SubtleCrypto();
  get subtle(): SubtleCrypto {
    return this.#subtle;
  }
  getRandomValues<T>(array: T): T {
    if (!(this instanceof Crypto)) throw codedTypeError('Value of "this" must be of type Crypto');
    if (!ArrayBuffer.isView(array)) {
      throw invalidArgType("typedArray", "an instance of ArrayBufferView", array);
    }
    return getRandomValues(array);
  }
  randomUUID(): string {
    return randomUUID();
  }
  get CryptoKey(): typeof CryptoKey {
    return CryptoKey;
  }
}

Object.defineProperty(Crypto.prototype, Symbol.toStringTag, {
  value: "Crypto",
  configurable: true,
});

/** The one Crypto object: `globalThis.crypto === require('crypto').webcrypto`, as in Node. */
export const webcrypto = new Crypto();
