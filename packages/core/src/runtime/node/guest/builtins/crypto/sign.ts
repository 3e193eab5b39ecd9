/**
 * Signatures and RSA encryption: the Sign/Verify Writable streams (host objects by handle),
 * one-shot crypto.sign/verify (sync or with a callback), publicEncrypt and friends, and
 * crypto.diffieHellman. Keys in any form Node takes (PEM, DER, JWK, KeyObject, CryptoKey,
 * options objects) go to the host as they are, KeyObjects as descriptors.
 */
import type { Buffer } from "buffer";
import { Writable } from "readable-stream";
import { invalidArgType } from "../../errors.ts";
import {
  BYTES_EXPECTED,
  encodeOutput,
  toBytes,
  validateFunction,
  validateString,
  viewBytes,
} from "./data.ts";
import { handleReaper } from "./hash.ts";
import { asBuffer, hostSync } from "./host-result.ts";
import { runJob, runJobSync } from "./jobs.ts";
import { marshalKeyInput } from "./keys.ts";

const kHandle = Symbol("kHandle");

type WriteCallback = (error?: Error | null) => void;

class SignatureStream extends Writable {
  [kHandle]: number;

  constructor(verify: boolean, algorithm: unknown, options: unknown) {
    super(options as never);
    validateString(algorithm, "algorithm");
    this[kHandle] = hostSync<number>("crypto.sign.create", verify, algorithm, undefined);
    handleReaper?.register(this, this[kHandle], this);
  }

  update(data: unknown, encoding?: unknown): this {
    if (typeof data !== "string" && !ArrayBuffer.isView(data))
      throw invalidArgType("data", BYTES_EXPECTED, data);
    hostSync("crypto.handle.call", this[kHandle], "update", [toBytes(data, encoding)]);
    return this;
  }

  override _write(chunk: unknown, encoding: BufferEncoding, callback: WriteCallback): void {
    try {
      this.update(chunk, encoding);
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback();
  }

  protected finishWith<T>(method: string, args: unknown[]): T {
    handleReaper?.unregister(this);
    return hostSync<T>("crypto.handle.call", this[kHandle], method, args);
  }
}

export class Sign extends SignatureStream {
  constructor(algorithm: unknown, options?: unknown) {
    super(false, algorithm, options);
  }

  sign(privateKey: unknown, outputEncoding?: unknown): Buffer | string {
    if (privateKey === undefined || privateKey === null) {
      throw invalidArgType(
        "key",
        "of type string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, KeyObject, or CryptoKey",
        privateKey,
      );
    }
    const signature = this.finishWith<Uint8Array>("sign", [marshalKeyInput(privateKey)]);
    return encodeOutput(signature, outputEncoding);
  }
}

export class Verify extends SignatureStream {
  constructor(algorithm: unknown, options?: unknown) {
    super(true, algorithm, options);
  }

  verify(publicKey: unknown, signature: unknown, signatureEncoding?: unknown): boolean {
    const bytes =
      signature instanceof ArrayBuffer
        ? new Uint8Array(signature)
        : toBytes(
            signature,
            signatureEncoding,
            "signature",
            "of type string or an instance of ArrayBuffer, Buffer, TypedArray, or DataView",
          );
    return this.finishWith<boolean>("verify", [marshalKeyInput(publicKey), bytes]);
  }
}

function dataBytes(data: unknown): unknown {
  return ArrayBuffer.isView(data) ? viewBytes(data) : data;
}

export function sign(
  algorithm: unknown,
  data: unknown,
  key: unknown,
  callback?: unknown,
): Buffer | undefined {
  if (callback !== undefined) validateFunction(callback, "callback");
  const args = [algorithm ?? null, dataBytes(data), key];
  if (!callback) return runJobSync<Buffer>("sign", args);
  runJob<Buffer>("sign", args, callback as (error: Error | null, signature?: Buffer) => void);
  return undefined;
}

export function verify(
  algorithm: unknown,
  data: unknown,
  key: unknown,
  signature: unknown,
  callback?: unknown,
): boolean | undefined {
  if (callback !== undefined) validateFunction(callback, "callback");
  const args = [algorithm ?? null, dataBytes(data), key, dataBytes(signature)];
  if (!callback) return runJobSync<boolean>("verify", args);
  runJob<boolean>("verify", args, callback as (e: Error | null, v?: boolean) => void);
  return undefined;
}

function rsaOperation(method: string) {
  return (key: unknown, buffer: unknown): Buffer => {
    const input = typeof buffer === "string" ? toBytes(buffer, "utf8") : dataBytes(buffer);
    return asBuffer(hostSync<Uint8Array>("crypto.rsa", method, marshalKeyInput(key), input));
  };
}

export const publicEncrypt = rsaOperation("publicEncrypt");
export const privateDecrypt = rsaOperation("privateDecrypt");
export const privateEncrypt = rsaOperation("privateEncrypt");
export const publicDecrypt = rsaOperation("publicDecrypt");

export function diffieHellman(options: unknown): Buffer {
  if (typeof options !== "object" || options === null)
    throw invalidArgType("options", "of type object", options);
  return asBuffer(hostSync<Uint8Array>("crypto.diffieHellman", marshalKeyInput(options)));
}
