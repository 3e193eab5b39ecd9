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
import { NetworkError } from "../../../net/network-error.ts";
import type { ProcessNetwork } from "../../../net/process-network.ts";
import type { GuestProcess } from "../guest-process.ts";
import type { HostOp } from "../host-ops.ts";
import { HTTP2_OPS } from "./http2-ops.ts";
import {
  checkIdentity,
  closeTlsSession,
  type GuestTlsOptions,
  rootCertificateList,
  startTlsClient,
  tlsDefaults,
  tlsSession,
} from "./tls-ops.ts";

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
 * The read in flight on each connection, so that `net.cancelRead` can take it back when the
 * guest hands the connection to a new owner (tls.connect({ socket })) without losing bytes.
 */
function pendingReads(g: GuestProcess): Map<number, AbortController> {
  let reads = g.state.get("net.reads") as Map<number, AbortController> | undefined;
  if (!reads) {
    reads = new Map();
    g.state.set("net.reads", reads);
  }
  return reads;
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
  "net.read": answering(async (g, [id, max]) => {
    const size = Math.min(Math.max(Number(max) || 65536, 1), MAX_READ);
    const connId = id as number;
    const reads = pendingReads(g);
    const cancel = new AbortController();
    reads.set(connId, cancel);
    try {
      return connId < 0
        ? await tlsSession(g, connId, "read").read(size, cancel.signal)
        : await net(g).read(connId, size, cancel.signal);
    } finally {
      if (reads.get(connId) === cancel) reads.delete(connId);
    }
  }),
  /** Gives up the read in flight on a connection (it answers ECANCELED); no bytes are lost. */
  "net.cancelRead": answering((g, [id]) => {
    const reads = pendingReads(g);
    const pending = reads.get(id as number);
    reads.delete(id as number);
    pending?.abort(new NetworkError("ECANCELED", "read"));
    return pending !== undefined;
  }),
  "net.write": answering(async (g, [id, data]) => {
    const connId = id as number;
    if (connId < 0) await tlsSession(g, connId, "write").write(data as Uint8Array);
    else await net(g).write(connId, data as Uint8Array);
    return true;
  }, true),
  "net.shutdown": answering((g, [id]) => {
    const connId = id as number;
    if (connId < 0) tlsSession(g, connId, "shutdown").shutdown();
    else net(g).shutdown(connId);
    return true;
  }, true),
  "net.close": answering((g, [id]) => {
    const connId = id as number;
    if (connId < 0) closeTlsSession(g, connId);
    else net(g).close(connId);
    return true;
  }, true),
  "net.closeListener": answering((g, [listenerId]) => {
    net(g).closeListener(listenerId as number);
    return true;
  }),
  "net.lookup": answering((g, [hostname, options]) =>
    net(g).lookup(hostname as string, options as never),
  ),
  // Starts node:tls streams on the host: in a host task of its own (see answering).
  "tls.connect": answering(
    (g, [connId, options]) =>
      startTlsClient(g, connId as number, (options ?? {}) as GuestTlsOptions),
    true,
  ),
  "tls.checkServerIdentity": (_g, [hostname, cert]) =>
    checkIdentity(String(hostname), cert as Record<string, unknown>),
  "tls.rootCertificates": () => rootCertificateList(),
  "tls.defaults": () => tlsDefaults(),
  ...HTTP2_OPS,
  /** The Sec-WebSocket-Accept value for a key (SHA-1 is not in the guest's standard library). */
  "net.websocketAccept": (_g, [key]) =>
    createHash("sha1")
      .update(`${String(key)}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest("base64"),
};
