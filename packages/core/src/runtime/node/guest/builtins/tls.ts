/**
 * node:tls, client side: TLSSocket and connect() over the VM's sockets, with the handshake and
 * the record layer run by the host (see tls/tls-socket.ts). TLS servers inside the VM would
 * need the host to hold the guest's server keys for every accepted connection; they are not
 * supported yet and say so.
 */
import { Buffer } from "buffer";
import { notSupported } from "../errors.ts";
import { callSync } from "../host.ts";
import { createSecureContext, SecureContext } from "./tls/secure-context.ts";
import { checkServerIdentity } from "./tls/server-identity.ts";
import { TLSSocket, type TlsConnectOptions } from "./tls/tls-socket.ts";

type Listener = (...args: unknown[]) => void;

/** connect(options[, cb]) or connect(port[, host][, options][, cb]), as Node's. */
export function connect(...args: unknown[]): TLSSocket {
  const callback =
    typeof args[args.length - 1] === "function" ? (args.pop() as Listener) : undefined;
  let options: TlsConnectOptions;
  if (args[0] !== null && typeof args[0] === "object") options = { ...(args[0] as object) };
  else {
    options = { port: args[0] as number };
    let rest = 1;
    if (typeof args[1] === "string") {
      options.host = args[1];
      rest = 2;
    }
    if (args[rest] && typeof args[rest] === "object")
      options = { ...(args[rest] as object), ...options };
  }
  if (options.path !== undefined && options.path !== null)
    throw notSupported(`TLS over a Unix socket (${String(options.path)})`);
  const socket = new TLSSocket(options.socket ?? undefined, options);
  if (callback) socket.once("secureConnect", callback);
  if (options.timeout) socket.setTimeout(options.timeout);
  if (!options.socket)
    socket.connect({ host: options.host, port: options.port, signal: options.signal });
  return socket;
}

/** A TLS server needs the guest's server keys on the host: not available in the VM yet. */
class Server {
  constructor() {
    throw notSupported("tls.Server (TLS servers inside the VM)");
  }
}

let defaults: { ciphers: string[]; defaultCiphers: string } | undefined;
function tlsDefaults(): { ciphers: string[]; defaultCiphers: string } {
  defaults ??= callSync("tls.defaults");
  return defaults as { ciphers: string[]; defaultCiphers: string };
}

let roots: readonly string[] | undefined;

/** Node's wire format for ALPN protocol lists (length-prefixed names). */
function convertALPNProtocols(protocols: unknown, out: { ALPNProtocols?: Buffer }): void {
  if (Array.isArray(protocols)) {
    const parts: Buffer[] = [];
    for (const protocol of protocols) {
      const name = Buffer.from(String(protocol));
      parts.push(Buffer.from([name.length]), name);
    }
    out.ALPNProtocols = Buffer.concat(parts);
  } else if (protocols instanceof Uint8Array) out.ALPNProtocols = Buffer.from(protocols);
}

export function createTls(): unknown {
  const tls = {
    CLIENT_RENEG_LIMIT: 3,
    CLIENT_RENEG_WINDOW: 600,
    DEFAULT_ECDH_CURVE: "auto",
    DEFAULT_MIN_VERSION: "TLSv1.2",
    DEFAULT_MAX_VERSION: "TLSv1.3",
    SecureContext,
    Server,
    TLSSocket,
    checkServerIdentity,
    connect,
    convertALPNProtocols,
    createSecureContext,
    createServer: (): never => {
      throw notSupported("tls.createServer (TLS servers inside the VM)");
    },
    createSecurePair: (): never => {
      throw notSupported("tls.createSecurePair");
    },
    getCiphers: () => [...tlsDefaults().ciphers],
    getCACertificates: (type = "default") => {
      if (type !== "default" && type !== "bundled")
        throw notSupported(`tls.getCACertificates('${String(type)}')`);
      roots ??= Object.freeze(callSync<string[]>("tls.rootCertificates"));
      return [...roots];
    },
  };
  Object.defineProperty(tls, "DEFAULT_CIPHERS", {
    enumerable: true,
    configurable: true,
    get: () => tlsDefaults().defaultCiphers,
  });
  Object.defineProperty(tls, "rootCertificates", {
    enumerable: true,
    configurable: true,
    get: () => {
      roots ??= Object.freeze(callSync<string[]>("tls.rootCertificates"));
      return roots;
    },
  });
  return tls;
}
