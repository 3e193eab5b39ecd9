/**
 * Sockets for guest JavaScript (node:net, node:http, fetch, ...): the process's view of the
 * VM's network stack (`g.ctx.net`: listen/accept/connect/read/write/shutdown/close/lookup, the
 * egress policy applied there), plus TLS performed on the host over a VM connection, so the
 * guest's https client sees plaintext and never holds key material of the host.
 *
 * Every op answers `{ ok }` or `{ err }` instead of throwing: a network error carries `address`,
 * `port` and `hostname` besides code/errno/syscall, and the guest rebuilds it with all of them
 * (the generic error path keeps only code and message).
 */
import { createHash } from "node:crypto";
import { type TLSSocket, connect as tlsConnect } from "node:tls";
import type { ConnectionInfo } from "../../../net/connection.ts";
import { ConnectionDuplex, connectionIo } from "../../../net/connection-duplex.ts";
import { NetworkError } from "../../../net/network-error.ts";
import type { ProcessNetwork } from "../../../net/process-network.ts";
import type { GuestProcess } from "../guest-process.ts";
import type { HostOp } from "../host-ops.ts";

/** A network error as the guest rebuilds it (the fields Node's net/dns errors have). */
export interface GuestNetErrorData {
  message: string;
  code?: string;
  errno?: number;
  syscall?: string;
  address?: string;
  port?: number;
  hostname?: string;
}

type Answer = { ok: unknown } | { err: GuestNetErrorData };

const MAX_READ = 256 * 1024;

/**
 * The plaintext side of TLS sessions the guest opened, by negative id (connection ids from the
 * stack are positive, so one read/write/close op serves both).
 */
interface TlsState {
  sessions: Map<number, TlsSession>;
  nextId: number;
}

function tlsState(g: GuestProcess): TlsState {
  let state = g.state.get("tls") as TlsState | undefined;
  if (!state) {
    const created: TlsState = { sessions: new Map(), nextId: -1 };
    state = created;
    g.state.set("tls", created);
    g.cleanups.push(() => {
      for (const session of created.sessions.values()) session.close();
      created.sessions.clear();
    });
  }
  return state;
}

/** Pull-style reads over a TLSSocket (the guest asks for bytes; the socket pushes them). */
class TlsSession {
  readonly socket: TLSSocket;
  #ended = false;
  #error: Error | undefined;
  #waiter: (() => void) | undefined;

  constructor(socket: TLSSocket) {
    this.socket = socket;
    const wake = (): void => {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter?.();
    };
    socket.on("readable", wake);
    socket.on("end", () => {
      this.#ended = true;
      wake();
    });
    socket.on("close", () => {
      this.#ended = true;
      wake();
    });
    socket.on("error", (err) => {
      this.#error = err;
      wake();
    });
  }

  async read(max: number): Promise<Uint8Array | null> {
    for (;;) {
      const chunk = this.socket.read() as Buffer | null;
      if (chunk !== null) {
        if (chunk.length > max) {
          this.socket.unshift(chunk.subarray(max));
          return new Uint8Array(chunk.subarray(0, max));
        }
        return new Uint8Array(chunk);
      }
      if (this.#error) throw this.#error;
      if (this.#ended || this.socket.destroyed) return null;
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
      });
    }
  }

  write(data: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.write(data, (err) => (err ? reject(err) : resolve()));
    });
  }

  shutdown(): void {
    this.socket.end();
  }

  close(): void {
    this.socket.destroy();
  }
}

function session(g: GuestProcess, id: number): TlsSession {
  const found = tlsState(g).sessions.get(id);
  if (!found) throw new NetworkError("EBADF", "read", { detail: `no TLS session ${id}` });
  return found;
}

function toGuestError(error: unknown): GuestNetErrorData {
  if (error instanceof NetworkError) {
    // A refused loopback connection reads exactly as on Linux; the VM's reason (nothing
    // listens, host loopback closed by policy) is for the host's event stream, not the guest.
    const message =
      error.code === "ECONNREFUSED" && error.address !== undefined
        ? `${error.syscall} ECONNREFUSED ${error.address}:${error.port}`
        : error.message;
    return {
      message,
      code: error.code,
      errno: error.errno,
      syscall: error.syscall,
      ...(error.address !== undefined ? { address: error.address } : {}),
      ...(error.port !== undefined ? { port: error.port } : {}),
      ...(error.hostname !== undefined ? { hostname: error.hostname } : {}),
    };
  }
  const err = error as { message?: string; code?: unknown; name?: string };
  if (err?.name === "AbortError")
    return { message: "The operation was aborted", code: "ECONNRESET" };
  return {
    message: err?.message ?? String(error),
    ...(typeof err?.code === "string" ? { code: err.code } : {}),
  };
}

/**
 * Wraps an op so that its errors travel as data (see the file comment). `wakes`: the op can
 * resolve a host-side reader of the other end (vm.fetch's node:http client, curl); it then
 * runs in a host task of its own, not inside isolated-vm's callback, where Node's http parser
 * would run its callbacks in a foreign async context (a fatal assertion in Node 24).
 */
function answering(op: (g: GuestProcess, args: unknown[]) => unknown, wakes = false): HostOp {
  return async (g, args): Promise<Answer> => {
    try {
      if (wakes) await new Promise((resolve) => setImmediate(resolve));
      return { ok: await op(g, args) };
    } catch (error) {
      return { err: toGuestError(error) };
    }
  };
}

function net(g: GuestProcess): ProcessNetwork {
  return g.ctx.net;
}

interface TlsOptions {
  servername?: string;
  rejectUnauthorized?: boolean;
  ca?: string[];
  ALPNProtocols?: string[];
}

/** Starts TLS over the guest's connection `connId`; the connection now belongs to the session. */
async function startTls(g: GuestProcess, connId: number, options: TlsOptions) {
  const info: ConnectionInfo = g.ctx.net.stack.connectionInfo(connId);
  const transport = new ConnectionDuplex(connectionIo(net(g), connId), info);
  const socket = tlsConnect({
    socket: transport,
    servername: options.servername,
    rejectUnauthorized: options.rejectUnauthorized !== false,
    ...(options.ca && options.ca.length > 0 ? { ca: options.ca } : {}),
    ...(options.ALPNProtocols ? { ALPNProtocols: options.ALPNProtocols } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => {
      socket.destroy();
      transport.destroy();
      reject(err);
    };
    socket.once("error", onError);
    socket.once("secureConnect", () => {
      socket.off("error", onError);
      resolve();
    });
  });
  socket.on("close", () => transport.destroy());
  const state = tlsState(g);
  const id = state.nextId--;
  state.sessions.set(id, new TlsSession(socket));
  const peer = socket.getPeerCertificate();
  return {
    tlsId: id,
    authorized: socket.authorized,
    authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
    alpnProtocol: socket.alpnProtocol || false,
    protocol: socket.getProtocol(),
    cipher: socket.getCipher(),
    peerCertificate: peer
      ? {
          subject: peer.subject ? { ...peer.subject } : undefined,
          issuer: peer.issuer ? { ...peer.issuer } : undefined,
          valid_from: peer.valid_from,
          valid_to: peer.valid_to,
          fingerprint256: peer.fingerprint256,
          serialNumber: peer.serialNumber,
        }
      : null,
  };
}

export const NET_OPS: Record<string, HostOp> = {
  "net.listen": answering((g, [options]) => net(g).listen(options as never)),
  "net.accept": answering((g, [listenerId]) => net(g).accept(listenerId as number)),
  "net.connect": answering(async (g, [options]) => {
    const connection = await net(g).connect(options as never);
    // On a real host the server's accept fires before the client's connect callback; let a
    // guest server's pending accept answer first so both sides see Node's order.
    await new Promise((resolve) => setImmediate(resolve));
    return connection;
  }),
  "net.read": answering((g, [id, max]) => {
    const size = Math.min(Math.max(Number(max) || 65536, 1), MAX_READ);
    const connId = id as number;
    return connId < 0 ? session(g, connId).read(size) : net(g).read(connId, size);
  }),
  "net.write": answering(async (g, [id, data]) => {
    const connId = id as number;
    if (connId < 0) await session(g, connId).write(data as Uint8Array);
    else await net(g).write(connId, data as Uint8Array);
    return true;
  }, true),
  "net.shutdown": answering((g, [id]) => {
    const connId = id as number;
    if (connId < 0) session(g, connId).shutdown();
    else net(g).shutdown(connId);
    return true;
  }, true),
  "net.close": answering((g, [id]) => {
    const connId = id as number;
    if (connId < 0) {
      session(g, connId).close();
      tlsState(g).sessions.delete(connId);
    } else net(g).close(connId);
    return true;
  }, true),
  "net.closeListener": answering((g, [listenerId]) => {
    net(g).closeListener(listenerId as number);
    return true;
  }),
  "net.lookup": answering((g, [hostname, options]) =>
    net(g).lookup(hostname as string, options as never),
  ),
  "tls.connect": answering((g, [connId, options]) =>
    startTls(g, connId as number, (options ?? {}) as TlsOptions),
  ),
  /** The Sec-WebSocket-Accept value for a key (SHA-1 is not in the guest's standard library). */
  "net.websocketAccept": (_g, [key]) =>
    createHash("sha1")
      .update(`${String(key)}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest("base64"),
};
