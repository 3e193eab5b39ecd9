/**
 * The guest half of ops/exact-errors.ts: unpacks `{ ok }` / `{ err }` answers of the crypto and
 * zlib ops and rebuilds host errors exactly (type, message, stack header, own properties), with
 * the stack frames of the guest code that made the call.
 */
import { Buffer } from "buffer";
import { type Callback, callAsync, callSync } from "../../host.ts";
import { hold } from "../../loop.ts";

type ExactResult = { ok: unknown } | { err: ExactErrorData };

interface ExactErrorData {
  name: string;
  message: string;
  header: string;
  props: Record<string, unknown>;
  domException: boolean;
}

const ERROR_TYPES: Record<string, ErrorConstructor> = {
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
};

/** Web Crypto rejects with DOMExceptions; the VM has no global one, so crypto keeps its own. */
export class DOMException extends Error {
  readonly code: number;
  constructor(message = "", name = "Error") {
    super(message);
    Object.defineProperty(this, "name", { value: name, configurable: true, writable: true });
    this.code = 0;
  }
}

export function rebuildError(data: ExactErrorData): Error {
  const Type = ERROR_TYPES[data.name] ?? Error;
  const error = data.domException
    ? new DOMException(data.message, data.name)
    : (new Type(data.message) as Error);
  if (!data.domException && error.name !== data.name) {
    Object.defineProperty(error, "name", { value: data.name, configurable: true, writable: true });
  }
  for (const [key, value] of Object.entries(data.props)) {
    Object.defineProperty(error, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const stack = typeof error.stack === "string" ? error.stack : "";
  const frames = stack.indexOf("\n    at ");
  error.stack = data.header + (frames >= 0 ? stack.slice(frames) : "");
  return error;
}

function unpack<T>(result: ExactResult): T {
  if ("err" in result) throw rebuildError(result.err);
  return result.ok as T;
}

/** A synchronous crypto/zlib op: its value, or its error thrown here. */
export function hostSync<T>(op: string, ...args: unknown[]): T {
  return unpack<T>(callSync<ExactResult>(op, ...args));
}

/** An asynchronous op; keeps the process alive until the answer arrives. */
export function hostAsync<T>(op: string, args: unknown[], callback: Callback<T>): void {
  const release = hold();
  callAsync<ExactResult>(op, args, (error, result) => {
    release();
    if (error) return callback(error);
    let value: T;
    try {
      value = unpack<T>(result as ExactResult);
    } catch (failure) {
      return callback(failure as Error);
    }
    callback(null, value);
  });
}

export function hostPromise<T>(op: string, ...args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) =>
    hostAsync<T>(op, args, (error, value) => (error ? reject(error) : resolve(value as T))),
  );
}

/** Host bytes (a copied Uint8Array) as a Buffer without another copy. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
