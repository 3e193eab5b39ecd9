/**
 * The network calls of one process (`ctx.net`): the stack's API with the pid bound, the
 * process's abort signal passed to every blocking call (so a killed process stops waiting),
 * and ids checked against the caller (EBADF for a socket another process owns).
 */
import type { ConnectionInfo } from "./connection.ts";
import { NetworkError } from "./network-error.ts";
import type { ConnectOptions, ListenInfo, ListenOptions, NetworkStack } from "./network-stack.ts";
import type { LookupOptions, ResolvedAddress } from "./resolver.ts";

export class ProcessNetwork {
  readonly stack: NetworkStack;
  readonly pid: number;
  readonly #signal: AbortSignal | undefined;

  constructor(stack: NetworkStack, pid: number, signal?: AbortSignal) {
    this.stack = stack;
    this.pid = pid;
    this.#signal = signal;
  }

  listen(options: ListenOptions): Promise<ListenInfo> {
    return this.stack.listen(this.pid, options);
  }

  async accept(listenerId: number): Promise<ConnectionInfo | null> {
    this.#mine(listenerId, "accept");
    return this.stack.accept(listenerId, this.#signal);
  }

  /** `options.signal` adds a reason to give up (a timeout) to the process's own. */
  connect(options: ConnectOptions): Promise<ConnectionInfo> {
    const signals = [options.signal, this.#signal].filter((s) => s !== undefined);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    return this.stack.connect(this.pid, { ...options, signal });
  }

  /** `signal` lets the caller give up on this one read (no bytes are lost: none were taken). */
  async read(connId: number, max = 65536, signal?: AbortSignal): Promise<Uint8Array | null> {
    this.#mine(connId, "read");
    const signals = [signal, this.#signal].filter((s) => s !== undefined);
    return this.stack.read(connId, max, signals.length > 1 ? AbortSignal.any(signals) : signals[0]);
  }

  async write(connId: number, data: Uint8Array | string): Promise<void> {
    this.#mine(connId, "write");
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    return this.stack.write(connId, bytes, this.#signal);
  }

  shutdown(connId: number): void {
    this.#mine(connId, "shutdown");
    this.stack.shutdown(connId);
  }

  close(connId: number): void {
    this.#mine(connId, "close");
    this.stack.close(connId);
  }

  closeListener(listenerId: number): void {
    this.#mine(listenerId, "close");
    this.stack.closeListener(listenerId);
  }

  lookup(hostname: string, options?: LookupOptions): Promise<ResolvedAddress[]> {
    return this.stack.lookup(this.pid, hostname, options);
  }

  #mine(id: number, syscall: string): void {
    if (this.stack.ownerOf(id) !== this.pid)
      throw new NetworkError("EBADF", syscall, {
        detail: `socket ${id} is not open in this process`,
      });
  }
}
