/**
 * Messages between the threads of a process (worker_threads): a value is written with V8's
 * serializer format (Node's postMessage uses V8's ValueSerializer too), so it crosses isolates
 * as bytes; ArrayBuffers in the transfer list travel beside the bytes and are detached on the
 * sending side, as a transfer does in Node.
 */
import { Deserializer, Serializer } from "./builtins/v8-serializer.ts";
import { notSupported } from "./errors.ts";
import { DOMException } from "./web/dom-exception.ts";
import { MessagePort } from "./web/message-port.ts";

/** ES2024 ArrayBuffer members (V8 has them; the project's TypeScript lib predates them). */
type MovableBuffer = ArrayBuffer & { readonly detached: boolean; transfer(): ArrayBuffer };

export interface ThreadMessage {
  data: Uint8Array;
  buffers: ArrayBuffer[];
}

class DataCloneError extends DOMException {
  constructor(message: string) {
    super(message, "DataCloneError");
  }
}

class MessageSerializer extends Serializer {
  _getSharedArrayBufferId(): number {
    throw sharingNotSupported();
  }
}

function sharingNotSupported(): Error {
  return notSupported("sharing a SharedArrayBuffer between threads (postMessage/workerData)");
}

const isShared = (value: unknown): boolean =>
  Object.prototype.toString.call(value) === "[object SharedArrayBuffer]";

/**
 * Isolates never share memory, so a SharedArrayBuffer (or a view of one) anywhere in a message
 * is refused rather than silently copied: a copy would break every Atomics protocol built on it.
 */
function refuseSharedMemory(value: unknown, seen: Set<object>): void {
  if (value === null || typeof value !== "object" || seen.has(value)) return;
  seen.add(value);
  if (isShared(value)) throw sharingNotSupported();
  if (ArrayBuffer.isView(value)) {
    if (isShared(value.buffer)) throw sharingNotSupported();
    return;
  }
  if (value instanceof ArrayBuffer) return;
  if (value instanceof Map) {
    for (const [key, item] of value) {
      refuseSharedMemory(key, seen);
      refuseSharedMemory(item, seen);
    }
    return;
  }
  if (value instanceof Set) {
    for (const item of value) refuseSharedMemory(item, seen);
    return;
  }
  for (const key of Object.keys(value)) {
    refuseSharedMemory((value as Record<string, unknown>)[key], seen);
  }
}
MessageSerializer.prototype._getDataCloneError = DataCloneError as unknown as ErrorConstructor;

/** Serializes `value` for another thread, transferring the ArrayBuffers listed in `transfer`. */
export function encodeMessage(value: unknown, transfer?: unknown): ThreadMessage {
  const list = transferList(transfer);
  if (value instanceof MessagePort && !list.includes(value)) {
    throw new DataCloneError(
      "Object that needs transfer was found in message but not listed in transferList",
    );
  }
  refuseSharedMemory(value, new Set());
  const serializer = new MessageSerializer();
  const buffers: ArrayBuffer[] = [];
  for (const item of list) {
    if (item instanceof MessagePort) {
      throw notSupported("transferring a MessagePort to another thread");
    }
    if (!(item instanceof ArrayBuffer)) {
      if (isShared(item)) throw sharingNotSupported();
      throw new DataCloneError("Found invalid value in transferList.");
    }
    if (buffers.includes(item)) {
      throw new DataCloneError("Transfer list contains duplicate ArrayBuffer");
    }
    if ((item as MovableBuffer).detached)
      throw new DataCloneError("An ArrayBuffer is detached and could not be cloned.");
    serializer.transferArrayBuffer(buffers.length, item);
    buffers.push(item);
  }
  serializer.writeHeader();
  serializer.writeValue(value);
  const bytes = serializer.releaseBuffer();
  const data = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // transfer() moves the contents out and leaves the sender's buffer detached.
  return { data, buffers: buffers.map((buffer) => (buffer as MovableBuffer).transfer()) };
}

/** Rebuilds a value sent by another thread. */
export function decodeMessage(message: ThreadMessage): unknown {
  const deserializer = new Deserializer(message.data);
  message.buffers.forEach((buffer, id) => {
    deserializer.transferArrayBuffer(id, buffer);
  });
  deserializer.readHeader();
  return deserializer.readValue();
}

function transferList(transfer: unknown): unknown[] {
  if (transfer === undefined || transfer === null) return [];
  if (Array.isArray(transfer)) return transfer;
  if (typeof transfer === "object" && "transfer" in transfer) {
    const list = (transfer as { transfer?: unknown }).transfer;
    return Array.isArray(list) ? list : [];
  }
  if (typeof transfer === "object" && Symbol.iterator in transfer) {
    return [...(transfer as Iterable<unknown>)];
  }
  throw new TypeError("Optional transferList argument must be an iterable");
}
