/**
 * A listening socket on the VM's loopback: the address and port it is bound to, and the
 * backlog of connections the stack has completed but the server has not accepted yet (as the
 * kernel completes the TCP handshake before accept(2)).
 */
import { WaitQueue } from "../kernel/wait-queue.ts";
import type { Connection, SocketFamily } from "./connection.ts";

export class Listener {
  readonly id: number;
  readonly owner: number;
  /** Canonical bound address: "::" and "0.0.0.0" are the wildcards. */
  readonly address: string;
  readonly port: number;
  readonly family: SocketFamily;
  readonly backlog: number;
  readonly #queue: Connection[] = [];
  readonly #changed = new WaitQueue();
  #closed = false;

  constructor(options: {
    id: number;
    owner: number;
    address: string;
    port: number;
    family: SocketFamily;
    backlog: number;
  }) {
    this.id = options.id;
    this.owner = options.owner;
    this.address = options.address;
    this.port = options.port;
    this.family = options.family;
    this.backlog = options.backlog;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get pending(): number {
    return this.#queue.length;
  }

  /** Queues a completed connection; false when the backlog is full (the caller refuses it). */
  enqueue(server: Connection): boolean {
    if (this.#closed || this.#queue.length >= this.backlog) return false;
    this.#queue.push(server);
    this.#changed.wakeAll();
    return true;
  }

  /** The next completed connection; null once the listener is closed. */
  async accept(signal?: AbortSignal): Promise<Connection | null> {
    for (;;) {
      if (this.#closed) return null;
      const next = this.#queue.shift();
      if (next) return next;
      await this.#changed.wait(signal);
    }
  }

  /** Stops listening: waiting accepts get null and queued connections are closed (reset). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const connection of this.#queue.splice(0)) connection.close();
    this.#changed.wakeAll();
  }
}
