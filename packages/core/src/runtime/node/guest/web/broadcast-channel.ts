/**
 * BroadcastChannel within one process: a message goes to every other open channel of the same
 * name, structured-cloned, in a later loop turn. An open channel keeps the process alive unless
 * unref'ed, as in Node.
 */

import { hold } from "../loop.ts";
import { structuredClone } from "../structured-clone.ts";
import { DOMException } from "./dom-exception.ts";
import { MessageEvent } from "./message-event.ts";
import { NodeEventTarget } from "./message-port.ts";

const OPEN = new Map<string, Set<BroadcastChannel>>();

export class BroadcastChannel extends NodeEventTarget {
  readonly #name: string;
  #release: (() => void) | undefined;
  #closed = false;
  #onmessage: ((event: MessageEvent) => void) | null = null;

  constructor(...args: [name?: unknown]) {
    const [name] = args;
    if (args.length === 0) {
      throw Object.assign(new TypeError('The "name" argument must be specified'), {
        code: "ERR_MISSING_ARGS",
      });
    }
    super();
    this.#name = String(name);
    let peers = OPEN.get(this.#name);
    if (!peers) OPEN.set(this.#name, (peers = new Set()));
    peers.add(this);
    this.#release = hold();
  }

  get name(): string {
    return this.#name;
  }

  get onmessage(): ((event: MessageEvent) => void) | null {
    return this.#onmessage;
  }

  set onmessage(handler: ((event: MessageEvent) => void) | null) {
    if (this.#onmessage) this.removeEventListener("message", this.#onmessage as never);
    this.#onmessage = typeof handler === "function" ? handler : null;
    if (this.#onmessage) this.addEventListener("message", this.#onmessage as never);
  }

  postMessage(message: unknown): void {
    if (this.#closed) {
      throw new DOMException("BroadcastChannel is closed.", "InvalidStateError");
    }
    const targets = [...(OPEN.get(this.#name) ?? [])].filter((peer) => peer !== this);
    for (const peer of targets) {
      const data = structuredClone(message);
      setImmediate(() => {
        if (!peer.#closed) peer.dispatchEvent(new MessageEvent("message", { data }));
      });
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    OPEN.get(this.#name)?.delete(this);
    this.unref();
  }

  ref(): this {
    if (!this.#closed && !this.#release) this.#release = hold();
    return this;
  }

  unref(): this {
    const release = this.#release;
    this.#release = undefined;
    release?.();
    return this;
  }

  get [Symbol.toStringTag](): string {
    return "BroadcastChannel";
  }
}
