/**
 * http2session.socket as Node gives it: a proxy that reads through to the session's socket
 * (addresses, TLS details) but refuses to let user code read or write it, since the session owns
 * the connection. Here the connection itself runs on the host, so the addresses are the ones the
 * guest saw when it handed the connection over.
 */
import { codedError } from "../../errors.ts";
import type { Socket } from "../net/socket.ts";

interface SessionLike {
  setTimeout(ms: number, callback?: () => void): unknown;
  ref(): unknown;
  unref(): unknown;
}

const MANIPULATION = new Set([
  "destroy",
  "emit",
  "end",
  "pause",
  "read",
  "resume",
  "write",
  "setEncoding",
  "setKeepAlive",
  "setNoDelay",
]);
const ON_SESSION = new Set(["setTimeout", "ref", "unref"]);

function noManipulation(): Error {
  return codedError(
    Error,
    "ERR_HTTP2_NO_SOCKET_MANIPULATION",
    "HTTP/2 sockets should not be directly manipulated (e.g. read and written)",
  );
}

export function socketProxy(
  session: SessionLike,
  socket: () => Socket | undefined,
  addresses: () => Record<string, unknown>,
): object {
  const bound = (): Socket => {
    const current = socket();
    if (!current)
      throw codedError(
        Error,
        "ERR_HTTP2_SOCKET_UNBOUND",
        "The socket has been disconnected from the Http2Session",
      );
    return current;
  };
  return new Proxy(
    {},
    {
      get(_target, prop) {
        if (typeof prop === "string" && ON_SESSION.has(prop)) {
          const method = session[prop as keyof SessionLike] as (...args: unknown[]) => unknown;
          return method.bind(session);
        }
        if (typeof prop === "string" && MANIPULATION.has(prop)) throw noManipulation();
        const current = bound();
        const known = addresses();
        if (typeof prop === "string" && prop in known) return known[prop];
        const value = Reflect.get(current, prop, current);
        return typeof value === "function" ? value.bind(current) : value;
      },
      set(_target, prop, value) {
        if (typeof prop === "string" && MANIPULATION.has(prop)) throw noManipulation();
        Reflect.set(bound(), prop, value);
        return true;
      },
      has(_target, prop) {
        return prop in bound();
      },
      getPrototypeOf() {
        return Object.getPrototypeOf(bound());
      },
    },
  );
}
