/**
 * The transport under a host-side HTTP/2 client session run for guest JavaScript: a duplex over
 * a VM connection that the guest opens (and, for https, wraps in TLS) through the egress policy.
 * The session is created first, so that request() validates headers synchronously as Node's
 * does even while the guest is still connecting; its frames wait here until the guest hands
 * over the connection (`attach`).
 */
import type { ConnectionInfo } from "../../../net/connection.ts";
import {
  ConnectionDuplex,
  type ConnectionIo,
  connectionIo,
} from "../../../net/connection-duplex.ts";
import type { GuestProcess } from "../guest-process.ts";
import { closeTlsSession, tlsSession } from "./tls-ops.ts";

/** Stand-in addresses until the connection is attached (node:http2 does not read them). */
const UNATTACHED: ConnectionInfo = {
  connId: -1,
  localAddress: "",
  localPort: 0,
  remoteAddress: "",
  remotePort: 0,
  family: "IPv4",
};

/** What waiting reads and writes get when the session is gone before its connection came. */
const CLOSED: ConnectionIo = {
  read: async () => null,
  write: async () => {},
  shutdown: () => {},
  close: () => {},
};

export class PendingConnection {
  readonly duplex: ConnectionDuplex;
  #io: ConnectionIo | undefined;
  #head: Uint8Array | undefined;
  #waiters: Array<(io: ConnectionIo) => void> = [];
  #closed = false;

  constructor(encrypted: boolean, alpnProtocol: string | false) {
    // Reads and writes before attach() wait on a promise that attach resolves; a session
    // destroyed before that settles them as a closed connection would (EOF, writes dropped),
    // so the session's close does not wait on them.
    const ready = (): Promise<ConnectionIo> =>
      this.#io ? Promise.resolve(this.#io) : new Promise((resolve) => this.#waiters.push(resolve));
    const io: ConnectionIo = {
      read: async (max) => {
        const real = await ready();
        const head = this.#head;
        if (head) {
          this.#head = undefined;
          return head;
        }
        return real.read(max);
      },
      write: async (data) => (await ready()).write(data),
      shutdown: () => {
        void ready().then((real) => real.shutdown());
      },
      close: () => {
        this.#closed = true;
        if (this.#io) this.#io.close();
        else for (const wake of this.#waiters.splice(0)) wake(CLOSED);
      },
    };
    this.duplex = new ConnectionDuplex(io, UNATTACHED);
    // What node:http2 reads to tell h2 from h2c (the guest reports its own view of both).
    Object.assign(this.duplex, { encrypted, alpnProtocol });
  }

  /** Binds the guest's connection (a VM connection id, or a negative host TLS session id). */
  attach(g: GuestProcess, connId: number, head: Uint8Array | null): void {
    const io = guestConnectionIo(g, connId);
    if (this.#closed || this.#io) {
      io.close();
      return;
    }
    if (head && head.byteLength > 0) this.#head = head;
    this.#io = io;
    for (const wake of this.#waiters.splice(0)) wake(io);
  }
}

function guestConnectionIo(g: GuestProcess, connId: number): ConnectionIo {
  if (connId >= 0) return connectionIo(g.ctx.net, connId);
  const session = tlsSession(g, connId, "http2");
  let closed = false;
  return {
    read: (max) => session.read(max),
    write: (data) => session.write(data),
    shutdown: () => session.shutdown(),
    close: () => {
      if (closed) return;
      closed = true;
      try {
        closeTlsSession(g, connId);
      } catch {
        // The process's cleanup closed it first.
      }
    },
  };
}
