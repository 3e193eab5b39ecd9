/**
 * MessageChannel/MessagePort within one process: postMessage structured-clones the value and the
 * other port receives it in a later loop turn. As in Node, a started port (onmessage set or a
 * 'message' listener added) keeps the process alive until it is closed or unref'ed, and ports
 * also accept EventEmitter-style `on('message', data => ...)`.
 */
import { Event, EventTarget } from "../event-target.ts";
import { hold } from "../loop.ts";
import { structuredClone } from "../structured-clone.ts";
import { MessageEvent } from "./message-event.ts";

type Listener = (...args: unknown[]) => void;
type EventListener = (event: Event) => void;

/** The EventTarget + EventEmitter surface ports and channels share (Node's NodeEventTarget). */
export class NodeEventTarget extends EventTarget {
  readonly #wrappers = new Map<Listener, EventListener>();

  /** Called when a 'message' listener appears (ports start then). */
  protected onListenerAdded(_type: string): void {}

  override addEventListener(
    type: string,
    listener: Parameters<EventTarget["addEventListener"]>[1],
    options?: Parameters<EventTarget["addEventListener"]>[2],
  ): void {
    super.addEventListener(type, listener, options);
    this.onListenerAdded(type);
  }

  on(type: string, listener: Listener): this {
    const wrapper = (event: Event) =>
      listener.call(this, event instanceof MessageEvent ? event.data : event);
    this.#wrappers.set(listener, wrapper);
    this.addEventListener(type, wrapper);
    return this;
  }

  addListener(type: string, listener: Listener): this {
    return this.on(type, listener);
  }

  once(type: string, listener: Listener): this {
    const wrapper = (event: Event) => {
      this.#wrappers.delete(listener);
      listener.call(this, event instanceof MessageEvent ? event.data : event);
    };
    this.#wrappers.set(listener, wrapper);
    this.addEventListener(type, wrapper, { once: true });
    return this;
  }

  off(type: string, listener: Listener): this {
    const wrapper = this.#wrappers.get(listener);
    this.#wrappers.delete(listener);
    this.removeEventListener(type, wrapper ?? (listener as never));
    return this;
  }

  removeListener(type: string, listener: Listener): this {
    return this.off(type, listener);
  }

  emit(type: string, data?: unknown): boolean {
    return this.dispatchEvent(
      type === "message" ? new MessageEvent(type, { data }) : new Event(type),
    );
  }
}

const PEERS = new WeakMap<MessagePort, MessagePort>();
let constructing = false;

export class MessagePort extends NodeEventTarget {
  #started = false;
  #closed = false;
  #ref = true;
  #release: (() => void) | undefined;
  #queue: unknown[] = [];
  #onmessage: ((event: MessageEvent) => void) | null = null;

  constructor() {
    if (!constructing) throw new TypeError("Illegal constructor");
    super();
  }

  get onmessage(): ((event: MessageEvent) => void) | null {
    return this.#onmessage;
  }

  set onmessage(handler: ((event: MessageEvent) => void) | null) {
    if (this.#onmessage) this.removeEventListener("message", this.#onmessage as never);
    this.#onmessage = typeof handler === "function" ? handler : null;
    if (this.#onmessage) this.addEventListener("message", this.#onmessage as never);
  }

  protected override onListenerAdded(type: string): void {
    if (type === "message") this.start();
  }

  postMessage(value: unknown, transfer?: unknown): void {
    if (this.#closed) return;
    const peer = PEERS.get(this);
    if (!peer) return;
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
    this.#updateHold();
    this.#drainSoon();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#updateHold();
    setImmediate(() => this.dispatchEvent(new Event("close")));
    const peer = PEERS.get(this);
    if (peer) {
      PEERS.delete(this);
      PEERS.delete(peer);
      peer.close();
    }
  }

  ref(): void {
    this.#ref = true;
    this.#updateHold();
  }

  unref(): void {
    this.#ref = false;
    this.#updateHold();
  }

  hasRef(): boolean {
    return this.#release !== undefined;
  }

  #updateHold(): void {
    const wanted = this.#started && this.#ref && !this.#closed;
    if (wanted && !this.#release) this.#release = hold();
    if (!wanted && this.#release) {
      const release = this.#release;
      this.#release = undefined;
      release();
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
