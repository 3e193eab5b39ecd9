/**
 * A real TCP connection from the host (node:net), opened only after the egress policy allowed
 * its address, and wrapped in the same Connection interface as loopback ones. Incoming bytes
 * fill a bounded channel and the socket pauses while it is full, so a slow guest reader holds
 * the remote sender back instead of growing the host's memory.
 */
import * as net from "node:net";
import { ByteChannel } from "./byte-channel.ts";
import type { Connection, ConnectionEnds } from "./connection.ts";
import { NetworkError } from "./network-error.ts";

export interface HostConnectOptions {
  /** A numeric address (already resolved and checked by the policy). */
  address: string;
  port: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  capacity?: number;
}

class HostConnection implements Connection {
  readonly ends: ConnectionEnds;
  readonly #socket: net.Socket;
  readonly #inbound: ByteChannel;
  #error: Error | undefined;
  #closed = false;
  readonly #drainWaiters = new Set<() => void>();

  constructor(socket: net.Socket, inbound: ByteChannel) {
    this.#socket = socket;
    this.#inbound = inbound;
    this.ends = {
      localAddress: socket.localAddress ?? "",
      localPort: socket.localPort ?? 0,
      remoteAddress: socket.remoteAddress ?? "",
      remotePort: socket.remotePort ?? 0,
      family: socket.remoteFamily === "IPv6" ? "IPv6" : "IPv4",
    };
    inbound.onSpace = () => {
      if (!socket.destroyed && inbound.buffered < inbound.capacity) socket.resume();
    };
    socket.on("data", (chunk: Buffer) => {
      if (inbound.readerClosed) return;
      const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
      if (!inbound.push(bytes)) socket.pause();
    });
    socket.on("end", () => inbound.end());
    socket.on("error", (err: NodeJS.ErrnoException) => {
      this.#error = toNetworkError(err, "read");
      inbound.reset(this.#error);
    });
    socket.on("close", () => {
      inbound.end();
      for (const wake of this.#drainWaiters) wake();
    });
    socket.on("drain", () => {
      for (const wake of this.#drainWaiters) wake();
    });
  }

  read(max: number, signal?: AbortSignal): Promise<Uint8Array | null> {
    return this.#inbound.read(max, signal);
  }

  async write(data: Uint8Array, signal?: AbortSignal): Promise<void> {
    if (this.#error) throw this.#error;
    if (this.#closed || this.#socket.writableEnded || this.#socket.destroyed)
      throw new NetworkError("EPIPE", "write");
    if (this.#socket.write(data.slice())) return;
    // The kernel-side buffer is full: wait until it drains (or the socket dies).
    await new Promise<void>((resolve, reject) => {
      const done = (): void => {
        this.#drainWaiters.delete(done);
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = (): void => {
        this.#drainWaiters.delete(done);
        reject(signal!.reason);
      };
      this.#drainWaiters.add(done);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    if (this.#error) throw this.#error;
  }

  shutdown(): void {
    if (!this.#socket.destroyed) this.#socket.end();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#inbound.closeReader();
    this.#socket.destroy();
  }
}

/** Opens a host TCP connection; rejects with a Node-shaped NetworkError. */
export function connectHost(options: HostConnectOptions): Promise<Connection> {
  return new Promise((resolve, reject) => {
    // allowHalfOpen: the peer's FIN must not end our side. A Connection half-closes only when
    // its owner calls shutdown(), as a kernel socket does; Node's automatic end() on 'end' is
    // the guest's own net.Socket's business. (Ending here made a write that follows the peer's
    // FIN, such as TLS's close_notify, fail with EPIPE where Linux takes it.)
    const socket = net.connect({ host: options.address, port: options.port, allowHalfOpen: true });
    let timer: NodeJS.Timeout | undefined;
    const cleanup = (): void => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      socket.off("error", onError);
      socket.off("connect", onConnect);
    };
    const onConnect = (): void => {
      cleanup();
      resolve(new HostConnection(socket, new ByteChannel(options.capacity)));
    };
    const onError = (err: NodeJS.ErrnoException): void => {
      cleanup();
      socket.destroy();
      reject(toNetworkError(err, "connect", options.address, options.port));
    };
    const onAbort = (): void => {
      cleanup();
      socket.destroy();
      reject(options.signal!.reason);
    };
    if (options.timeoutMs !== undefined && options.timeoutMs > 0) {
      timer = setTimeout(() => {
        cleanup();
        socket.destroy();
        reject(
          new NetworkError("ETIMEDOUT", "connect", {
            address: options.address,
            port: options.port,
          }),
        );
      }, options.timeoutMs);
    }
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    socket.once("connect", onConnect);
    socket.once("error", onError);
  });
}

function toNetworkError(
  err: NodeJS.ErrnoException,
  syscall: string,
  address?: string,
  port?: number,
): NetworkError {
  return new NetworkError(err.code ?? "ECONNRESET", err.syscall ?? syscall, { address, port });
}
