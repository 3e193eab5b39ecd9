/**
 * Cipheriv and Decipheriv: Transform streams over a host cipher held by handle (aes-*-cbc/ctr/
 * gcm/ccm/ocb, chacha20-poly1305, ... whatever the host's OpenSSL has). Output encodings go
 * through a StringDecoder as in Node, so base64/utf8 output split across update() calls joins up
 * correctly. final() frees the host object and brings back the auth tag with it.
 */
import type { Buffer } from "buffer";
import { Transform, type TransformCallback } from "readable-stream";
import { StringDecoder } from "string_decoder";
import { codedError, invalidArgType } from "../../errors.ts";
import {
  BYTES_EXPECTED,
  bytesFromString,
  isEncoding,
  toBase64Url,
  toBytes,
  validateString,
  validateUint32,
  viewBytes,
} from "./data.ts";
import { handleReaper } from "./hash.ts";
import { asBuffer, hostSync } from "./host-result.ts";
import { marshalKeyInput, prepareSecretKey } from "./keys.ts";

const kHandle = Symbol("kHandle");

function invalidState(operation: string): Error {
  return codedError(Error, "ERR_CRYPTO_INVALID_STATE", `Invalid state for operation ${operation}`);
}

/** The errors OpenSSL-backed C++ throws once the cipher is spent (no `[CODE]` in the header). */
function spentError(message: string, code?: string): Error {
  const error = new Error(message);
  if (code)
    Object.defineProperty(error, "code", {
      value: code,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return error;
}

function optionString(options: unknown, name: string): string | undefined {
  if (typeof options !== "object" || options === null) return undefined;
  const value = (options as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  validateString(value, `options.${name}`);
  return value;
}

function optionUint(options: unknown, name: string): number | undefined {
  if (typeof options !== "object" || options === null) return undefined;
  const value = (options as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  validateUint32(value, `options.${name}`);
  return value as number;
}

function ivBytes(iv: unknown): Uint8Array | null {
  if (iv === null) return null;
  if (typeof iv === "string") return bytesFromString(iv, "utf8");
  if (iv instanceof ArrayBuffer) return new Uint8Array(iv);
  if (ArrayBuffer.isView(iv)) return viewBytes(iv);
  throw invalidArgType(
    "iv",
    "of type string or an instance of ArrayBuffer, Buffer, TypedArray, or DataView",
    iv,
  );
}

class CipherBase extends Transform {
  [kHandle]: number;
  #decoder: StringDecoder | null = null;
  #finished = false;
  #authTag: Uint8Array | null = null;

  constructor(decipher: boolean, cipher: unknown, key: unknown, iv: unknown, options: unknown) {
    super(options as never);
    validateString(cipher, "cipher");
    const secret = prepareSecretKey(key, optionString(options, "encoding"));
    const authTagLength = optionUint(options, "authTagLength");
    this[kHandle] = hostSync<number>(
      "crypto.cipher.create",
      decipher,
      cipher,
      marshalKeyInput(secret),
      ivBytes(iv),
      authTagLength === undefined ? undefined : { authTagLength },
    );
    handleReaper?.register(this, this[kHandle], this);
  }

  #decode(bytes: Uint8Array, outputEncoding: unknown, end: boolean): Buffer | string {
    const buffer = asBuffer(bytes);
    if (!outputEncoding || outputEncoding === "buffer") return buffer;
    const encoding = String(outputEncoding);
    const urlSafe = encoding.toLowerCase() === "base64url";
    if (!this.#decoder) {
      if (!isEncoding(encoding)) {
        throw codedError(TypeError, "ERR_UNKNOWN_ENCODING", `Unknown encoding: ${encoding}`);
      }
      // base64url output is base64 output made URL-safe piece by piece.
      this.#decoder = new StringDecoder((urlSafe ? "base64" : encoding) as BufferEncoding);
    }
    const text = end ? this.#decoder.end(buffer) : this.#decoder.write(buffer);
    return urlSafe ? toBase64Url(text) : text;
  }

  #call<T>(method: string, ...args: unknown[]): T {
    return hostSync<T>("crypto.handle.call", this[kHandle], method, args);
  }

  update(data: unknown, inputEncoding?: unknown, outputEncoding?: unknown): Buffer | string {
    if (typeof data !== "string" && !ArrayBuffer.isView(data))
      throw invalidArgType("data", BYTES_EXPECTED, data);
    const bytes = toBytes(data, inputEncoding);
    if (this.#finished) throw spentError("Trying to add data in unsupported state");
    return this.#decode(this.#call<Uint8Array>("update", bytes), outputEncoding, false);
  }

  final(outputEncoding?: unknown): Buffer | string {
    if (this.#finished) throw spentError("Invalid state", "ERR_CRYPTO_INVALID_STATE");
    this.#finished = true;
    handleReaper?.unregister(this);
    const { out, tag } = hostSync<{ out: Uint8Array; tag: Uint8Array | null }>(
      "crypto.cipher.final",
      this[kHandle],
    );
    this.#authTag = tag;
    return this.#decode(out, outputEncoding, true);
  }

  setAutoPadding(autoPadding?: unknown): this {
    if (this.#finished) throw invalidState("setAutoPadding");
    this.#call("setAutoPadding", autoPadding === undefined ? true : Boolean(autoPadding));
    return this;
  }

  getAuthTag(): Buffer {
    if (this.#finished) {
      if (!this.#authTag) throw invalidState("getAuthTag");
      return asBuffer(this.#authTag);
    }
    return asBuffer(this.#call<Uint8Array>("getAuthTag"));
  }

  setAuthTag(tag: unknown, encoding?: unknown): this {
    const bytes = toBytesOrView(tag, encoding, "buffer");
    if (this.#finished) throw invalidState("setAuthTag");
    this.#call("setAuthTag", bytes);
    return this;
  }

  setAAD(aad: unknown, options?: unknown): this {
    const encoding = optionString(options, "encoding");
    const plaintextLength = optionUint(options, "plaintextLength");
    const bytes = toBytesOrView(aad, encoding, "buffer");
    if (this.#finished) throw invalidState("setAAD");
    this.#call("setAAD", bytes, plaintextLength === undefined ? undefined : { plaintextLength });
    return this;
  }

  override _transform(chunk: unknown, encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.push(this.update(chunk, encoding));
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.push(this.final());
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback();
  }
}

function toBytesOrView(value: unknown, encoding: unknown, name: string): Uint8Array {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return toBytes(
    value,
    encoding,
    name,
    "of type string or an instance of ArrayBuffer, Buffer, TypedArray, or DataView",
  );
}

export class Cipheriv extends CipherBase {
  constructor(cipher: unknown, key: unknown, iv: unknown, options?: unknown) {
    super(false, cipher, key, iv, options);
  }
}

export class Decipheriv extends CipherBase {
  constructor(cipher: unknown, key: unknown, iv: unknown, options?: unknown) {
    super(true, cipher, key, iv, options);
  }
}
