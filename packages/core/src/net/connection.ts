/**
 * A stream connection as the network stack hands it out: an in-VM loopback connection and a
 * real host socket look the same (read, write with backpressure, half-close, close), so guest
 * code, commands and `vm.fetch` never care which one they hold.
 */

export type SocketFamily = "IPv4" | "IPv6";

/** Addresses of one end of a connection, as Node's socket.address()/remoteAddress report. */
export interface ConnectionEnds {
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  family: SocketFamily;
}

/** What `connect` and `accept` return: plain data, addressed by `connId`. */
export interface ConnectionInfo extends ConnectionEnds {
  connId: number;
}

export interface Connection {
  readonly ends: ConnectionEnds;
  /** Up to `max` bytes; null at EOF (the peer shut down its side, or this side was closed). */
  read(max: number, signal?: AbortSignal): Promise<Uint8Array | null>;
  /** Resolves when all of `data` is accepted by the bounded send buffer. */
  write(data: Uint8Array, signal?: AbortSignal): Promise<void>;
  /** Half-close: sends FIN; reading goes on. */
  shutdown(): void;
  /** Closes both directions; pending reads end with EOF, the peer's writes fail. Idempotent. */
  close(): void;
}
