/**
 * MessageChannel/MessagePort within one process: postMessage structured-clones the value and the
 * other port receives it in a later loop turn. As in Node, a started port (onmessage set or a
 * 'message' listener added) keeps the process alive until it is closed or unref'ed, and ports
 * also accept EventEmitter-style `on('message', data => ...)`. A port transferred to another
 * thread (or whose twin was) talks through a RemoteLink instead (thread-port.ts); the in-thread
 * path stays a direct hand-over.
 */
import { Event } from "../event-target.ts";
import { hostObjects } from "../host-objects.ts";
import { structuredClone } from "../structured-clone.ts";
import { DOMException } from "./dom-exception.ts";
import { MessageEvent } from "./message-event.ts";
import { holdWhileStarted, StartedPort } from "./started-port.ts";

const PEERS = new WeakMap<MessagePort, MessagePort>();
let constructing = false;

/** How a port whose twin lives in another thread reaches it (thread-port.ts). */
export interface RemoteLink {
  post(port: MessagePort, value: unknown, transfer: unknown): void;
  receive(port: MessagePort): void;
  close(port: MessagePort): void;
  take(port: MessagePort): { message: unknown } | undefined;
}

/** What thread-port.ts and receiveMessageOnPort do to a port from outside the class. */
export const portInternals = {} as {
  create(link: RemoteLink | undefined): MessagePort;
  twin(port: MessagePort): MessagePort | undefined;
  isRemote(port: MessagePort): boolean;
  isStarted(port: MessagePort): boolean;
  isDetached(port: MessagePort): boolean;
  /** Makes the port talk through `link` (its twin left the thread). */
  link(port: MessagePort, link: RemoteLink): void;
  /** The port left the thread: it goes dead here and hands over what it had queued. */
  detach(port: MessagePort): unknown[];
  deliver(port: MessagePort, data: unknown): void;
  /** The twin closed (in another thread). */
  closedByTwin(port: MessagePort): void;
  take(port: MessagePort): { message: unknown } | undefined;
};

export class MessagePort extends StartedPort {
  #started = false;
  #closed = false;
  /** Lets go of the hold the port took when it started. */
  #release: (() => void) | undefined;
  #queue: unknown[] = [];
  #remote: RemoteLink | undefined;
  #detached = false;

  constructor() {
    if (!constructing) throw new TypeError("Illegal constructor");
    super();
    hostObjects.add(this);
  }

  static {
    portInternals.create = (link) => {
      constructing = true;
      try {
        const port = new MessagePort();
        port.#remote = link;
        return port;
      } finally {
        constructing = false;
      }
    };
    portInternals.twin = (port) => PEERS.get(port);
    portInternals.isRemote = (port) => port.#remote !== undefined;
    portInternals.isStarted = (port) => port.#started;
    portInternals.isDetached = (port) => port.#closed || port.#detached;
    portInternals.link = (port, link) => {
      PEERS.delete(port);
      port.#remote = link;
    };
    portInternals.detach = (port) => {
      port.#detached = true;
      port.#closed = true;
      port.#remote = undefined;
      PEERS.delete(port);
      port.#release?.();
      return port.#queue.splice(0);
    };
    portInternals.deliver = (port, data) => {
      if (!port.#closed) port.dispatchEvent(new MessageEvent("message", { data }));
    };
    portInternals.closedByTwin = (port) => {
      // Already inside the delivery task: 'close' now, before anything queued after it.
      port.#remote = undefined;
      if (port.#closed) return;
      port.#closed = true;
      port.#release?.();
      port.dispatchEvent(new Event("close"));
    };
    portInternals.take = (port) => {
      if (port.#remote) return port.#remote.take(port);
      return port.#queue.length > 0 ? { message: port.#queue.shift() } : undefined;
    };
  }

  postMessage(value: unknown, transfer?: unknown): void {
    if (this.#remote) return this.#remote.post(this, value, transfer);
    if (this.#closed) return;
    const peer = PEERS.get(this);
    if (!peer) return;
    if (Array.isArray(transfer) && transfer.includes(this))
      throw new DOMException("Transfer list contains source port", "DataCloneError");
    const options = Array.isArray(transfer) ? { transfer } : (transfer as { transfer?: unknown[] });
    peer.#receive(structuredClone(value, options));
  }

  #receive(data: unknown): void {
    if (this.#closed) return;
    this.#queue.push(data);
    this.#drainSoon();
  }

  #drainSoon(): void {
    if (!this.#started || this.#queue.length === 0) return;
    setImmediate(() => {
      while (this.#started && !this.#closed && this.#queue.length > 0) {
        this.dispatchEvent(new MessageEvent("message", { data: this.#queue.shift() }));
      }
    });
  }

  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    this.#release = holdWhileStarted(this);
    this.#drainSoon();
    this.#remote?.receive(this);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#release?.();
    setImmediate(() => this.dispatchEvent(new Event("close")));
    const remote = this.#remote;
    this.#remote = undefined;
    remote?.close(this);
    const peer = PEERS.get(this);
    if (peer) {
      PEERS.delete(this);
      PEERS.delete(peer);
      peer.close();
    }
  }

  get [Symbol.toStringTag](): string {
    return "MessagePort";
  }
}

export class MessageChannel {
  readonly port1: MessagePort;
  readonly port2: MessagePort;

  constructor() {
    constructing = true;
    try {
      this.port1 = new MessagePort();
      this.port2 = new MessagePort();
    } finally {
      constructing = false;
    }
    PEERS.set(this.port1, this.port2);
    PEERS.set(this.port2, this.port1);
  }
}
