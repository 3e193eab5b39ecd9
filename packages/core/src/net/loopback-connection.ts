/**
 * A connection on the VM's own loopback: two byte channels crossed between a client end and a
 * server end. Nothing touches the host; both ends live in the same network stack.
 */
import { ByteChannel } from "./byte-channel.ts";
import type { Connection, ConnectionEnds } from "./connection.ts";

class LoopbackEnd implements Connection {
  readonly ends: ConnectionEnds;
  readonly #inbound: ByteChannel;
  readonly #outbound: ByteChannel;

  constructor(ends: ConnectionEnds, inbound: ByteChannel, outbound: ByteChannel) {
    this.ends = ends;
    this.#inbound = inbound;
    this.#outbound = outbound;
  }

  read(max: number, signal?: AbortSignal): Promise<Uint8Array | null> {
    return this.#inbound.read(max, signal);
  }

  write(data: Uint8Array, signal?: AbortSignal): Promise<void> {
    return this.#outbound.write(data, signal);
  }

  shutdown(): void {
    this.#outbound.end();
  }

  close(): void {
    this.#outbound.end();
    this.#inbound.closeReader();
  }
}

/**
 * The two ends of a new loopback connection, each with its own view of the addresses (a
 * dual-stack server sees an IPv4 client as `::ffff:127.0.0.1`, as on Linux).
 */
export function createLoopbackPair(
  clientEnds: ConnectionEnds,
  serverEnds: ConnectionEnds,
  capacity?: number,
): { client: Connection; server: Connection } {
  const toServer = new ByteChannel(capacity);
  const toClient = new ByteChannel(capacity);
  return {
    client: new LoopbackEnd(clientEnds, toClient, toServer),
    server: new LoopbackEnd(serverEnds, toServer, toClient),
  };
}
