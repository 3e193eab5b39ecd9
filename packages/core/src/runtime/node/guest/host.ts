/**
 * The guest's only door to the host: a synchronous call (the isolate's thread waits for the
 * answer) and an asynchronous one (the answer arrives later as a call from the host). The two
 * isolated-vm references arrive at boot and stay in this module's closure, out of reach of user
 * code. Host errors come back as plain data and are rebuilt as Node-style errors.
 */

import type { GuestErrorData } from "../guest-process.ts";
import { bindToFrame } from "./async-context.ts";
import { systemError } from "./errors.ts";
import { flushOutput } from "./output.ts";

interface IvmReference {
  applySyncPromise(receiver: undefined, args: unknown[], options?: object): unknown;
  applyIgnored(receiver: undefined, args: unknown[], options?: object): void;
}

type Envelope = { v: unknown } | { e: HostErrorData };

export type HostErrorData = GuestErrorData;

export type Callback<T> = (error: Error | null, value?: T) => void;

let syncRef: IvmReference | undefined;
let asyncRef: IvmReference | undefined;
const pending = new Map<number, (envelope: Envelope | { guestValue: unknown }) => void>();
let nextId = 1;
const COPY = { arguments: { copy: true } };

/**
 * Host calls attempted before boot. Only code evaluated into an agent image's snapshot runs
 * then; a call it made (and maybe caught) means its init depends on the host, so the image
 * must not be used (see runtime/node/agent-image.ts).
 */
export const callsBeforeBoot: string[] = [];

export function installHost(sync: IvmReference, async: IvmReference): void {
  syncRef = sync;
  asyncRef = async;
}

/** Calls the host and waits (the whole isolate waits) for the answer. */
export function callSync<T>(op: string, ...args: unknown[]): T {
  flushOutput();
  return unwrap(rawCallSync(op, args)) as T;
}

/** A synchronous call whose answer is a value living in this isolate (not copied). */
export function callSyncValue<T>(op: string, ...args: unknown[]): T {
  flushOutput();
  const result = rawCallSync(op, args);
  if (isEnvelope(result)) return unwrap(result) as T;
  return result as T;
}

function rawCallSync(op: string, args: unknown[]): unknown {
  if (!syncRef) {
    callsBeforeBoot.push(op);
    throw new Error(`agentos: host call ${op} before boot`);
  }
  return syncRef.applySyncPromise(undefined, [op, compactViews(args, 0)], COPY);
}

/**
 * isolated-vm copies a typed array's whole ArrayBuffer, not just the view: a 64 KiB subarray of
 * a 10 MB Buffer would cross as 10 MB. Views that do not cover their buffer are copied down to
 * their own bytes first (in arguments, and in arrays/plain objects a few levels deep).
 */
function compactViews(value: unknown, depth: number): unknown {
  if (ArrayBuffer.isView(value)) {
    const view = value as Uint8Array;
    if (view.byteOffset === 0 && view.byteLength === view.buffer.byteLength) return value;
    return new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
  }
  if (depth > 3 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = compactViews(value[i], depth + 1);
      if (item !== value[i]) {
        copy ??= value.slice();
        copy[i] = item;
      }
    }
    return copy ?? value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const compacted = compactViews(item, depth + 1);
    if (compacted !== item) {
      copy ??= { ...(value as Record<string, unknown>) };
      copy[key] = compacted;
    }
  }
  return copy ?? value;
}

/**
 * Calls the host without waiting; `callback` runs in a later task with the answer. This is
 * the primitive: callbacks run directly from the host's call, so an exception they throw is
 * the process's uncaught exception, as in Node.
 */
export function callAsync<T>(op: string, args: unknown[], callback: Callback<T>): void {
  if (!asyncRef) {
    callsBeforeBoot.push(op);
    throw new Error(`agentos: host call ${op} before boot`);
  }
  const id = nextId++;
  // The answer runs in the async context (AsyncLocalStorage) of the call.
  const answer = bindToFrame(callback);
  pending.set(id, (result) => {
    if ("guestValue" in result) answer(null, result.guestValue as T);
    else if ("e" in result) answer(systemError(result.e));
    else answer(null, result.v as T);
  });
  asyncRef.applyIgnored(undefined, [op, compactViews(args, 0), id], COPY);
}

/** Fire and forget: the host does the work, nobody waits for the answer. */
export function notifyHost(op: string, ...args: unknown[]): void {
  asyncRef?.applyIgnored(undefined, [op, args, 0], COPY);
}

/** The promise form of callAsync. */
export function callAsyncPromise<T>(op: string, ...args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) =>
    callAsync<T>(op, args, (error, value) => (error ? reject(error) : resolve(value as T))),
  );
}

/** Host → guest: the answer to request `id` (plain data). */
export function complete(id: number, envelope: Envelope): void {
  const handler = pending.get(id);
  if (!handler) return;
  pending.delete(id);
  handler(envelope);
}

/** Host → guest: the answer to request `id` is a value of this heap (a module namespace). */
export function completeValue(id: number, value: unknown): void {
  const handler = pending.get(id);
  if (!handler) return;
  pending.delete(id);
  handler({ guestValue: value });
}

function isEnvelope(value: unknown): value is Envelope {
  return (
    typeof value === "object" &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype &&
    ("v" in value || "e" in value) &&
    Object.keys(value).length === 1
  );
}

function unwrap(result: unknown): unknown {
  const envelope = result as Envelope;
  if ("e" in envelope) throw systemError(envelope.e);
  return envelope.v;
}
