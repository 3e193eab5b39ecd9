/**
 * Messages between the threads of a process (worker_threads): a value is written with V8's
 * serializer format (Node's postMessage uses V8's ValueSerializer too), so it crosses isolates
 * as bytes; ArrayBuffers in the transfer list travel beside the bytes and are detached on the
 * sending side, as a transfer does in Node; SharedArrayBuffers travel beside them as shared
 * memory and MessagePorts as host port ids (thread-port.ts).
 */
import { Deserializer, provideSharedArrayBuffers, Serializer } from "./builtins/v8-serializer.ts";
import { notifyHost } from "./host.ts";
import { claimPorts, sendPorts } from "./thread-port.ts";
import { DOMException } from "./web/dom-exception.ts";
import { MessagePort, portInternals } from "./web/message-port.ts";

/** ES2024 ArrayBuffer members (V8 has them; the project's TypeScript lib predates them). */
type MovableBuffer = ArrayBuffer & { readonly detached: boolean; transfer(): ArrayBuffer };

export interface ThreadMessage {
  data: Uint8Array;
  buffers: ArrayBuffer[];
  /** Shared, not copied: isolated-vm hands every isolate the same backing store. */
  shared: SharedArrayBuffer[];
  /** Ports travelling in the message (host ids, port-registry.ts). */
  ports: number[];
}

export class DataCloneError extends DOMException {
  constructor(message: string) {
    super(message, "DataCloneError");
  }
}

class MessageSerializer extends Serializer {
  readonly shared: SharedArrayBuffer[] = [];
  readonly #ports: MessagePort[];

  constructor(ports: MessagePort[]) {
    super();
    this.#ports = ports;
  }

  _getSharedArrayBufferId(buffer: SharedArrayBuffer): number {
    const known = this.shared.indexOf(buffer);
    if (known !== -1) return known;
    this.shared.push(buffer);
    return this.shared.length - 1;
  }

  _writeHostObject(object: object): void {
    const index = this.#ports.indexOf(object as MessagePort);
    if (index === -1) {
      throw new DataCloneError(
        "Object that needs transfer was found in message but not listed in transferList",
      );
    }
    this.writeUint32(index);
  }
}
MessageSerializer.prototype._getDataCloneError = DataCloneError as unknown as ErrorConstructor;

class MessageDeserializer extends Deserializer {
  readonly #ports: MessagePort[];

  constructor(data: Uint8Array, ports: MessagePort[]) {
    super(data);
    this.#ports = ports;
  }

  _readHostObject(): unknown {
    const port = this.#ports[this.readUint32()];
    if (!port) throw new Error("Unable to deserialize cloned data.");
    return port;
  }
}

const isShared = (value: unknown): boolean =>
  Object.prototype.toString.call(value) === "[object SharedArrayBuffer]";

/**
 * Serializes `value` for another thread: ArrayBuffers in `transfer` are moved (detached here),
 * MessagePorts in it leave this thread, SharedArrayBuffers are shared. `source` is the port
 * posting (it cannot carry itself).
 */
export function encodeMessage(
  value: unknown,
  transfer?: unknown,
  source?: MessagePort,
): ThreadMessage {
  const list = transferList(transfer);
  const buffers: ArrayBuffer[] = [];
  const ports: MessagePort[] = [];
  for (const item of list) {
    if (item instanceof MessagePort) {
      if (item === source) throw new DataCloneError("Transfer list contains source port");
      if (ports.includes(item))
        throw new DataCloneError("Transfer list contains duplicate MessagePort");
      if (portInternals.isDetached(item))
        throw new DataCloneError("MessagePort in transfer list is already detached");
      ports.push(item);
      continue;
    }
    if (!(item instanceof ArrayBuffer) || isShared(item)) {
      throw new DataCloneError("Found invalid value in transferList.");
    }
    if (buffers.includes(item)) {
      throw new DataCloneError("Transfer list contains duplicate ArrayBuffer");
    }
    if ((item as MovableBuffer).detached)
      throw new DataCloneError("An ArrayBuffer is detached and could not be cloned.");
    buffers.push(item);
  }
  const serializer = new MessageSerializer(ports);
  buffers.forEach((buffer, id) => {
    serializer.transferArrayBuffer(id, buffer);
  });
  serializer.writeHeader();
  serializer.writeValue(value);
  const bytes = serializer.releaseBuffer();
  const data = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Only a message that serialized moves anything: ports leave, buffers detach.
  return {
    data,
    // transfer() moves the contents out and leaves the sender's buffer detached.
    buffers: buffers.map((buffer) => (buffer as MovableBuffer).transfer()),
    shared: serializer.shared,
    ports: sendPorts(ports),
  };
}

/** Rebuilds a value sent by another thread (its ports now belong to this thread). */
export function decodeMessage(message: ThreadMessage): unknown {
  const ports = claimPorts(message.ports ?? []);
  const deserializer = new MessageDeserializer(message.data, ports);
  provideSharedArrayBuffers(deserializer, message.shared ?? []);
  message.buffers.forEach((buffer, id) => {
    deserializer.transferArrayBuffer(id, buffer);
  });
  deserializer.readHeader();
  return deserializer.readValue();
}

/** A message that will not be sent after all: the ports that left with it close. */
export function dropMessage(message: ThreadMessage): void {
  if (message.ports.length > 0) notifyHost("port.discard", message);
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
