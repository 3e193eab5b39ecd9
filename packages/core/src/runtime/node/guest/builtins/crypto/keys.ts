/**
 * KeyObject and the functions that make keys (createSecretKey/PublicKey/PrivateKey,
 * generateKeyPair(Sync), generateKey(Sync)). A key is data held by the guest: its DER (pkcs8 or
 * spki) or raw secret bytes, in a descriptor the host turns back into a KeyObject for each
 * operation. The descriptor sits in a WeakMap, out of reach of user code.
 */
import { codedError, invalidArgType } from "../../errors.ts";
import { nextTick } from "../../loop.ts";
import { bytesFromString, validateFunction, validateString, viewBytes } from "./data.ts";
import { asBuffer, hostSync } from "./host-result.ts";
import { runJob, runJobSync } from "./jobs.ts";

export interface KeyDescriptor {
  $key: "secret" | "public" | "private";
  material: Uint8Array;
  symmetricKeySize?: number;
  asymmetricKeyType?: string;
  asymmetricKeyDetails?: Record<string, unknown>;
}

/** KeyObjects and CryptoKeys → the descriptor the host understands. */
export const keyDescriptors = new WeakMap<object, KeyDescriptor>();

export class KeyObject {
  constructor(type: unknown, handle: unknown) {
    if (type !== "secret" && type !== "public" && type !== "private") {
      throw codedError(
        TypeError,
        "ERR_INVALID_ARG_VALUE",
        `The argument 'type' is invalid. Received '${String(type)}'`,
      );
    }
    if (!isDescriptor(handle)) throw invalidArgType("handle", "of type object", handle);
    keyDescriptors.set(this, handle);
  }

  get type(): string {
    return descriptorOf(this).$key;
  }

  static from(key: unknown): KeyObject {
    const descriptor =
      typeof key === "object" && key !== null ? keyDescriptors.get(key) : undefined;
    if (!descriptor || key instanceof KeyObject)
      throw invalidArgType("key", "an instance of CryptoKey", key);
    return wrapKey(descriptor);
  }

  equals(other: unknown): boolean {
    if (!(other instanceof KeyObject))
      throw invalidArgType("otherKeyObject", "an instance of KeyObject", other);
    if (other.type !== this.type) return false;
    return hostSync<boolean>("crypto.key.equals", descriptorOf(this), descriptorOf(other));
  }

  export(options?: unknown): unknown {
    if (options !== undefined && (typeof options !== "object" || options === null)) {
      throw invalidArgType("options", "of type object", options);
    }
    const result = hostSync<unknown>("crypto.key.export", descriptorOf(this), options ?? {});
    return result instanceof Uint8Array ? asBuffer(result) : result;
  }
}

export class SecretKeyObject extends KeyObject {
  get symmetricKeySize(): number | undefined {
    return descriptorOf(this).symmetricKeySize;
  }
}

class AsymmetricKeyObject extends KeyObject {
  get asymmetricKeyType(): string | undefined {
    return descriptorOf(this).asymmetricKeyType;
  }
  get asymmetricKeyDetails(): Record<string, unknown> | undefined {
    const details = descriptorOf(this).asymmetricKeyDetails;
    return details ? { ...details } : undefined;
  }
}

export class PublicKeyObject extends AsymmetricKeyObject {}
export class PrivateKeyObject extends AsymmetricKeyObject {}

function isDescriptor(value: unknown): value is KeyDescriptor {
  return typeof value === "object" && value !== null && "$key" in value && "material" in value;
}

function descriptorOf(key: object): KeyDescriptor {
  const descriptor = keyDescriptors.get(key);
  if (!descriptor) throw new TypeError("Illegal invocation");
  return descriptor;
}

export function wrapKey(descriptor: KeyDescriptor): KeyObject {
  if (descriptor.$key === "secret") return new SecretKeyObject("secret", descriptor);
  if (descriptor.$key === "public") return new PublicKeyObject("public", descriptor);
  return new PrivateKeyObject("private", descriptor);
}

/**
 * An argument on its way to the host: KeyObjects and CryptoKeys become descriptors (also as
 * the `key` of an options object), ArrayBuffers become bytes.
 */
export function marshalKeyInput(value: unknown, depth = 0): unknown {
  if (typeof value !== "object" || value === null) return value;
  const descriptor = keyDescriptors.get(value);
  if (descriptor) return descriptor;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return viewBytes(value);
  if (depth > 2 || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = marshalKeyInput(item, depth + 1);
  return out;
}

/** Host answers: descriptors become KeyObjects, bytes become Buffers. */
export function unmarshalKeyOutput(value: unknown): unknown {
  if (isDescriptor(value)) return wrapKey(value);
  if (value instanceof Uint8Array) return asBuffer(value);
  return value;
}

export function createSecretKey(key: unknown, encoding?: unknown): KeyObject {
  if (
    typeof key !== "string" &&
    !ArrayBuffer.isView(key) &&
    !(key instanceof ArrayBuffer) &&
    !(key instanceof KeyObject)
  ) {
    throw invalidArgType(
      "key",
      "of type string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, KeyObject, or CryptoKey",
      key,
    );
  }
  return wrapKey(
    hostSync<KeyDescriptor>("crypto.key.create", "secret", [marshalKeyInput(key), encoding]),
  );
}

function asymmetricKeyInput(key: unknown): unknown {
  if (
    typeof key !== "string" &&
    !ArrayBuffer.isView(key) &&
    !(key instanceof ArrayBuffer) &&
    (typeof key !== "object" || key === null)
  ) {
    throw invalidArgType(
      "key",
      "of type string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, KeyObject, or CryptoKey",
      key,
    );
  }
  return marshalKeyInput(key);
}

export function createPublicKey(key: unknown): KeyObject {
  return wrapKey(hostSync<KeyDescriptor>("crypto.key.create", "public", asymmetricKeyInput(key)));
}

export function createPrivateKey(key: unknown): KeyObject {
  return wrapKey(hostSync<KeyDescriptor>("crypto.key.create", "private", asymmetricKeyInput(key)));
}

interface KeyPair {
  publicKey: unknown;
  privateKey: unknown;
}

function unmarshalPair(pair: KeyPair): KeyPair {
  return {
    publicKey: unmarshalKeyOutput(pair.publicKey),
    privateKey: unmarshalKeyOutput(pair.privateKey),
  };
}

export function generateKeyPairSync(type: unknown, options?: unknown): KeyPair {
  validateString(type, "type");
  return unmarshalPair(runJobSync<KeyPair>("generateKeyPair", [type, options]));
}

export function generateKeyPair(type: unknown, options: unknown, callback?: unknown): void {
  if (typeof options === "function") {
    callback = options;
    options = undefined;
  }
  validateFunction(callback, "callback");
  validateString(type, "type");
  const done = callback as (error: Error | null, publicKey?: unknown, privateKey?: unknown) => void;
  runJob<KeyPair>("generateKeyPair", [type, options], (error, pair) => {
    if (error) return done(error);
    const keys = unmarshalPair(pair as KeyPair);
    done(null, keys.publicKey, keys.privateKey);
  });
}

export function generateKeySync(type: unknown, options: unknown): KeyObject {
  validateString(type, "type");
  return wrapKey(hostSync<KeyDescriptor>("crypto.key.generateSecret", type, options));
}

export function generateKey(type: unknown, options: unknown, callback: unknown): void {
  validateFunction(callback, "callback");
  const done = callback as (error: Error | null, key?: KeyObject) => void;
  let key: KeyObject;
  try {
    key = generateKeySync(type, options);
  } catch (error) {
    // Argument errors throw at once in Node; only generation failures reach the callback.
    if ((error as { code?: string }).code?.startsWith("ERR_INVALID")) throw error;
    nextTick(() => done(error as Error));
    return;
  }
  nextTick(() => done(null, key));
}

export function isKeyObject(value: unknown): value is KeyObject {
  return value instanceof KeyObject;
}

/** A key for Hmac/ciphers/KDFs: a secret KeyObject or CryptoKey, or bytes (strings in `encoding`). */
export function prepareSecretKey(key: unknown, encoding?: unknown, name = "key"): object {
  if (typeof key === "object" && key !== null && keyDescriptors.has(key)) {
    const type = keyDescriptors.get(key)?.$key;
    if (type !== "secret") {
      throw codedError(
        TypeError,
        "ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE",
        `Invalid key object type ${type}, expected secret.`,
      );
    }
    return key;
  }
  if (typeof key === "string") return bytesFromString(key, encoding);
  if (key instanceof ArrayBuffer) return new Uint8Array(key);
  if (ArrayBuffer.isView(key)) return key;
  throw invalidArgType(
    name,
    "of type string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, KeyObject, or CryptoKey",
    key,
  );
}
