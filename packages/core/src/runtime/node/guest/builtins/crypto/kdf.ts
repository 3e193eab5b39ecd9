/**
 * Key derivation: pbkdf2, scrypt and hkdf, each sync and with a callback, computed by the host
 * (whose own argument checks give Node's errors). Strings and views travel as bytes; keys
 * (hkdf takes KeyObjects) as descriptors.
 */
import type { Buffer } from "buffer";
import { validateFunction } from "./data.ts";
import { runJob, runJobSync } from "./jobs.ts";

type Done<T> = (error: Error | null, value?: T) => void;

function asArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export function pbkdf2Sync(
  password: unknown,
  salt: unknown,
  iterations: unknown,
  keylen: unknown,
  digest: unknown,
): Buffer {
  return runJobSync<Buffer>("pbkdf2", [password, salt, iterations, keylen, digest]);
}

export function pbkdf2(
  password: unknown,
  salt: unknown,
  iterations: unknown,
  keylen: unknown,
  digest: unknown,
  callback?: unknown,
): void {
  if (typeof digest === "function") {
    callback = digest;
    digest = undefined;
  }
  validateFunction(callback, "callback");
  runJob<Buffer>("pbkdf2", [password, salt, iterations, keylen, digest], callback as Done<Buffer>);
}

export function scryptSync(
  password: unknown,
  salt: unknown,
  keylen: unknown,
  options?: unknown,
): Buffer {
  return runJobSync<Buffer>("scrypt", [password, salt, keylen, options]);
}

export function scrypt(
  password: unknown,
  salt: unknown,
  keylen: unknown,
  options: unknown,
  callback?: unknown,
): void {
  if (typeof options === "function") {
    callback = options;
    options = undefined;
  }
  validateFunction(callback, "callback");
  runJob<Buffer>("scrypt", [password, salt, keylen, options], callback as Done<Buffer>);
}

export function hkdfSync(
  digest: unknown,
  ikm: unknown,
  salt: unknown,
  info: unknown,
  keylen: unknown,
): ArrayBuffer {
  return asArrayBuffer(runJobSync<Uint8Array>("hkdf", [digest, ikm, salt, info, keylen]));
}

export function hkdf(
  digest: unknown,
  ikm: unknown,
  salt: unknown,
  info: unknown,
  keylen: unknown,
  callback: unknown,
): void {
  validateFunction(callback, "callback");
  const done = callback as Done<ArrayBuffer>;
  runJob<Uint8Array>("hkdf", [digest, ikm, salt, info, keylen], (error, bytes) =>
    error ? done(error) : done(null, asArrayBuffer(bytes as Uint8Array)),
  );
}
