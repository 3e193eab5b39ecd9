/**
 * Hash and Hmac: Transform streams (as in Node) over a host hash object held by handle. The
 * handle is freed when the digest is taken; one left undigested is freed when the guest's
 * garbage collector drops the object, or at exit.
 */
import type { Buffer } from "buffer";
import { Transform, type TransformCallback } from "readable-stream";
import { codedError, invalidArgType } from "../../errors.ts";
import { notifyHost } from "../../host.ts";
import { BYTES_EXPECTED, encodeOutput, toBytes, validateString, validateUint32 } from "./data.ts";
import { hostSync } from "./host-result.ts";
import { marshalKeyInput, prepareSecretKey } from "./keys.ts";

/** Frees the host object of a stream the program dropped without finishing it. */
export const handleReaper =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry<number>((id) => notifyHost("crypto.handle.free", id))
    : undefined;

const kHandle = Symbol("kHandle");
const kFinalized = Symbol("kFinalized");

interface HashState {
  [kHandle]: number;
  [kFinalized]: boolean;
}

function hashFinalized(): Error {
  return codedError(Error, "ERR_CRYPTO_HASH_FINALIZED", "Digest already called");
}

function updateHandle(self: HashState, data: unknown, encoding: unknown): void {
  if (typeof data !== "string" && !ArrayBuffer.isView(data))
    throw invalidArgType("data", BYTES_EXPECTED, data);
  const bytes = toBytes(data, encoding);
  hostSync("crypto.handle.call", self[kHandle], "update", [bytes]);
}

function adoptHandle(self: object, id: number): void {
  (self as HashState)[kHandle] = id;
  (self as HashState)[kFinalized] = false;
  handleReaper?.register(self, id, self);
}

function takeDigest(self: HashState): Uint8Array {
  self[kFinalized] = true;
  handleReaper?.unregister(self);
  return hostSync<Uint8Array>("crypto.handle.call", self[kHandle], "digest", []);
}

export class Hash extends Transform {
  declare [kHandle]: number;
  declare [kFinalized]: boolean;

  constructor(algorithm: unknown, options?: unknown, copyOf?: Hash) {
    super(options as never);
    const outputLength =
      typeof options === "object" && options !== null
        ? (options as { outputLength?: unknown }).outputLength
        : undefined;
    if (outputLength !== undefined) validateUint32(outputLength, "options.outputLength");
    const hashOptions = outputLength === undefined ? undefined : { outputLength };
    if (copyOf) {
      adoptHandle(this, hostSync<number>("crypto.hash.copy", copyOf[kHandle], hashOptions));
    } else {
      validateString(algorithm, "algorithm");
      adoptHandle(
        this,
        hostSync<number>("crypto.hash.create", "hash", algorithm, undefined, hashOptions),
      );
    }
  }

  copy(options?: unknown): Hash {
    if (this[kFinalized]) throw hashFinalized();
    return new Hash(undefined, options, this);
  }

  update(data: unknown, encoding?: unknown): this {
    if (this[kFinalized]) throw hashFinalized();
    updateHandle(this, data, encoding);
    return this;
  }

  digest(outputEncoding?: unknown): Buffer | string {
    if (this[kFinalized]) throw hashFinalized();
    return encodeOutput(takeDigest(this), outputEncoding && `${outputEncoding}`);
  }

  override _transform(chunk: unknown, encoding: BufferEncoding, callback: TransformCallback): void {
    updateHandle(this, chunk, encoding);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.push(encodeOutput(takeDigest(this), undefined));
    callback();
  }
}

export class Hmac extends Transform {
  declare [kHandle]: number;
  declare [kFinalized]: boolean;

  constructor(hmac: unknown, key: unknown, options?: unknown) {
    super(options as never);
    validateString(hmac, "hmac");
    const encoding =
      typeof options === "object" && options !== null
        ? (options as { encoding?: unknown }).encoding
        : undefined;
    const keyInput = marshalKeyInput(prepareSecretKey(key, encoding));
    adoptHandle(this, hostSync<number>("crypto.hash.create", "hmac", hmac, keyInput, undefined));
  }

  update(data: unknown, encoding?: unknown): this {
    if (this[kFinalized]) throw hashFinalized();
    updateHandle(this, data, encoding);
    return this;
  }

  digest(outputEncoding?: unknown): Buffer | string {
    if (this[kFinalized]) return encodeOutput(new Uint8Array(0), outputEncoding ?? "buffer");
    return encodeOutput(takeDigest(this), outputEncoding && `${outputEncoding}`);
  }

  override _transform(chunk: unknown, encoding: BufferEncoding, callback: TransformCallback): void {
    updateHandle(this, chunk, encoding);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.push(encodeOutput(takeDigest(this), undefined));
    callback();
  }
}

/** crypto.hash(algorithm, data, outputEncoding = 'hex'): one call, no handle. */
export function oneShotHash(
  algorithm: unknown,
  data: unknown,
  outputEncoding: unknown = "hex",
): Buffer | string {
  validateString(algorithm, "algorithm");
  if (typeof data !== "string" && !ArrayBuffer.isView(data)) {
    throw invalidArgType(
      "input",
      "of type string or an instance of Buffer, TypedArray, or DataView",
      data,
    );
  }
  validateString(outputEncoding, "outputEncoding");
  const digest = hostSync<Uint8Array>("crypto.hash.oneShot", algorithm, toBytes(data, "utf8"));
  return encodeOutput(digest, outputEncoding);
}
