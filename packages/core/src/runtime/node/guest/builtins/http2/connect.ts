/**
 * http2.connect(authority[, options][, listener]) as Node's: the connection is the guest's own
 * net.connect (h2c, http:) or tls.connect with ALPN h2 (https:), so the VM's egress policy and
 * the guest's TLS options (ca, rejectUnauthorized, NODE_EXTRA_CA_CERTS, ...) apply unchanged;
 * the HTTP/2 session over it runs on the host (client-session.ts).
 */
import { HTTP2_SESSION_OPTIONS } from "../../../http2-session-options.ts";
import { codedError, invalidArgType, notSupported } from "../../errors.ts";
import { callSync } from "../../host.ts";
import { isIP } from "../net/ip.ts";
import { Socket } from "../net/socket.ts";
import { createConnection } from "../net.ts";
import { connect as tlsConnect } from "../tls.ts";
import { ClientHttp2Session } from "./client-session.ts";

type Listener = (...args: unknown[]) => void;

interface Authority {
  protocol?: string;
  host?: string;
  hostname?: string;
  port?: string | number;
  href?: string;
}

/** What the host session gets: node:http2's own options, and the protocol it was asked for. */
const SESSION_OPTIONS = [...HTTP2_SESSION_OPTIONS, "protocol"];

export function connect(
  authorityArg: unknown,
  optionsArg?: unknown,
  listenerArg?: unknown,
): ClientHttp2Session {
  let options = optionsArg;
  let listener = listenerArg;
  if (typeof options === "function") {
    listener = options;
    options = undefined;
  }
  if (options !== undefined && (options === null || typeof options !== "object"))
    throw invalidArgType("options", "of type object", options);
  const opts = { ...(options as Record<string, unknown> | undefined) };
  if (opts.selectPadding !== undefined) throw notSupported("http2.connect option selectPadding");
  if ((opts.settings as { enablePush?: unknown } | undefined)?.enablePush === true)
    throw notSupported("HTTP/2 server push (settings.enablePush: true)");

  const authority = (
    typeof authorityArg === "string" ? new URL(authorityArg) : authorityArg
  ) as Authority;
  if (authority === null || typeof authority !== "object")
    throw invalidArgType("authority", "of type string or an instance of Object or URL", authority);
  const protocol = authority.protocol || (opts.protocol as string | undefined) || "https:";
  const port = `${authority.port !== "" && authority.port !== undefined ? authority.port : authority.protocol === "http:" ? 80 : 443}`;
  let host = "localhost";
  if (authority.hostname) {
    host = authority.hostname;
    if (host[0] === "[") host = host.slice(1, -1);
  } else if (authority.host) host = authority.host;

  let socket: Socket;
  if (typeof opts.createConnection === "function") {
    const made = (opts.createConnection as (a: unknown, o: unknown) => unknown)(authority, opts);
    if (!(made instanceof Socket))
      throw notSupported("http2 createConnection returning a stream that is not a VM socket");
    socket = made;
  } else if (protocol === "http:") {
    socket = createConnection({ ...opts, port, host });
  } else if (protocol === "https:") {
    const alpn = ["h2"];
    if (opts.allowHTTP1 === true) alpn.push("http/1.1");
    const servername = (opts.servername as string | undefined) || (isIP(host) ? undefined : host);
    socket = tlsConnect(Number(port), host, {
      ...opts,
      ALPNProtocols: alpn,
      ...(servername ? { servername } : {}),
    }) as unknown as Socket;
  } else
    throw codedError(
      TypeError,
      "ERR_HTTP2_UNSUPPORTED_PROTOCOL",
      `protocol "${protocol}" is unsupported.`,
    );

  const hostOptions: Record<string, unknown> = {};
  for (const key of SESSION_OPTIONS) if (opts[key] !== undefined) hostOptions[key] = opts[key];
  const hostAuthority =
    typeof authorityArg === "string"
      ? authorityArg
      : authorityArg instanceof URL
        ? authorityArg.href
        : {
            protocol: authority.protocol,
            host: authority.host,
            hostname: authority.hostname,
            port: authority.port ?? "",
          };
  let hostId: number;
  try {
    hostId = callSync<number>("http2.open", hostAuthority, hostOptions, protocol === "https:");
  } catch (error) {
    socket.destroy();
    throw error;
  }
  const session = new ClientHttp2Session(hostId, socket);
  const encrypted = (socket as Socket & { encrypted?: boolean }).encrypted === true;
  if (socket.connecting || socket.pending) {
    const onError = (error: Error): void => session._socketError(error);
    socket.once("error", onError);
    socket.once(encrypted ? "secureConnect" : "connect", () => {
      socket.off("error", onError);
      session._attach(socket);
    });
  } else session._attach(socket);
  if (typeof listener === "function") session.once("connect", listener as Listener);
  return session;
}
