/**
 * A Node Duplex stream over a network-stack connection, so host-side Node machinery —
 * node:http's client (`request({ createConnection })`), node:tls — runs over a VM socket
 * without knowing it: `vm.fetch` uses it to reach guest servers, curl and wget to speak HTTP
 * and TLS through the egress policy.
 */
import { Duplex } from "node:stream";
import type { ConnectionInfo } from "./connection.ts";

/** The calls a duplex needs on one connection (a stack or a process view with the id bound). */
export interface ConnectionIo {
  read(max: number): Promise<Uint8Array | null>;
  write(data: Uint8Array): Promise<void>;
  shutdown(): void;
  close(): void;
}

/** Binds `connId` on anything with the stack's id-addressed calls. */
export function connectionIo(
  net: {
    read(connId: number, max: number): Promise<Uint8Array | null>;
    write(connId: number, data: Uint8Array): Promise<void>;
    shutdown(connId: number): void;
    close(connId: number): void;
  },
  connId: number,
): ConnectionIo {
  let closed = false;
  return {
    read: (max) => net.read(connId, max),
    write: (data) => net.write(connId, data),
    shutdown: () => {
      if (!closed) net.shutdown(connId);
    },
    close: () => {
      if (closed) return;
      closed = true;
      net.close(connId);
    },
  };
}

export class ConnectionDuplex extends Duplex {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly remoteFamily: string;
  readonly localAddress: string;
  readonly localPort: number;
  readonly #io: ConnectionIo;
  #reading = false;
  #idleMs = 0;
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(io: ConnectionIo, info: ConnectionInfo) {
    // allowHalfOpen: a FIN from the peer must not end our side (HTTP waits for its reply).
    super({ allowHalfOpen: true });
    this.#io = io;
    this.remoteAddress = info.remoteAddress;
    this.remotePort = info.remotePort;
    this.remoteFamily = info.family;
    this.localAddress = info.localAddress;
    this.localPort = info.localPort;
  }

  override _read(size: number): void {
    if (this.#reading) return;
    this.#reading = true;
    this.#io.read(Math.max(size, 16 * 1024)).then(
      (chunk) => {
        this.#reading = false;
        this.#touch();
        this.push(
          chunk === null ? null : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length),
        );
      },
      (err: Error) => {
        this.#reading = false;
        this.destroy(err);
      },
    );
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.#touch();
    this.#io.write(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)).then(
      () => callback(),
      (err: Error) => callback(err),
    );
  }

  override _final(callback: (error?: Error | null) => void): void {
    try {
      this.#io.shutdown();
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    try {
      this.#io.close();
    } catch {
      // Already closed by the other side's owner; nothing left to release.
    }
    callback(error);
  }

  // The socket methods node:http and node:tls call on their transport.

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  /** Emits "timeout" after `ms` without reads or writes (0 turns it off), as net.Socket. */
  setTimeout(ms: number, listener?: () => void): this {
    this.#idleMs = ms;
    if (listener) this.once("timeout", listener);
    this.#touch();
    return this;
  }

  #touch(): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    if (this.#idleMs > 0 && !this.destroyed) {
      this.#idleTimer = setTimeout(() => this.emit("timeout"), this.#idleMs);
      this.#idleTimer.unref();
    }
  }
}
