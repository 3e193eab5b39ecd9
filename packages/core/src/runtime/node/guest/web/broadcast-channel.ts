/**
 * BroadcastChannel within one process: a message goes to every other open channel of the same
 * name, structured-cloned, in a later loop turn. An open channel keeps the process alive unless
 * unref'ed, as in Node.
 */

import { KeepAlive } from "../keep-alive.ts";
import { structuredClone } from "../structured-clone.ts";
import { DOMException } from "./dom-exception.ts";
import { MessageEvent } from "./message-event.ts";
import { NodeEventTarget } from "./node-event-target.ts";

const OPEN = new Map<string, Set<BroadcastChannel>>();

export class BroadcastChannel extends NodeEventTarget {
  readonly #name: string;
  /** An open channel keeps the process alive unless unref'ed. */
  readonly #keepAlive = new KeepAlive();
  readonly #release: () => void;
  #closed = false;

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
    this.#release = this.#keepAlive.begin();
  }

  get name(): string {
    return this.#name;
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
    this.#release();
  }

  ref(): this {
    this.#keepAlive.ref();
    return this;
  }

  unref(): this {
    this.#keepAlive.unref();
    return this;
  }

  get [Symbol.toStringTag](): string {
    return "BroadcastChannel";
  }
}
