/**
 * node:https, client side: http's ClientRequest over tls.connect sockets from an https Agent
 * (port 443, one pool per origin and TLS settings), through the VM's egress policy. Servers
 * need TLS servers inside the VM, which are not supported yet (see tls.ts) and say so.
 */
import { notSupported } from "../errors.ts";
import { type AgentOptions, type ConnectionOptions, Agent as HttpAgent } from "./http/agent.ts";
import { ClientRequest, urlToHttpOptions } from "./http/client.ts";
import { isIP } from "./net/ip.ts";
import type { Socket } from "./net/socket.ts";
import { connect as tlsConnect } from "./tls.ts";

/** The TLS options that make two connections to one origin unlike (Node's https getName). */
const TLS_NAME_KEYS = [
  "ca",
  "cert",
  "clientCertEngine",
  "ciphers",
  "key",
  "pfx",
  "rejectUnauthorized",
  "servername",
  "minVersion",
  "maxVersion",
  "secureProtocol",
  "crl",
  "honorCipherOrder",
  "ecdhCurve",
  "dhparam",
  "secureOptions",
  "sessionIdContext",
  "sigalgs",
  "privateKeyIdentifier",
  "privateKeyEngine",
];

export class Agent extends HttpAgent {
  maxCachedSessions: number;

  constructor(options: AgentOptions = {}) {
    super(options);
    this.defaultPort = 443;
    this.protocol = "https:";
    this.maxCachedSessions = (options.maxCachedSessions as number | undefined) ?? 100;
  }

  override getName(options: ConnectionOptions = {}): string {
    let name = super.getName(options);
    for (const key of TLS_NAME_KEYS) {
      name += ":";
      const value = options[key];
      if (value !== undefined)
        name += typeof value === "object" ? JSON.stringify(value) : String(value);
    }
    return name;
  }

  override createConnection(options: ConnectionOptions): Socket {
    const host = options.host ?? "localhost";
    const servername =
      options.servername !== undefined && options.servername !== ""
        ? options.servername
        : isIP(host)
          ? ""
          : host;
    return tlsConnect({ ...options, host, servername });
  }
}

export const globalAgent = new Agent({ keepAlive: true, scheduling: "lifo", timeout: 5000 });

export function createHttps(): unknown {
  const state = { globalAgent };
  const request = (...args: unknown[]): ClientRequest => {
    let options: Record<string, unknown> = {};
    if (typeof args[0] === "string")
      options = { ...urlToHttpOptions(new URL(args.shift() as string)) };
    else if (args[0] instanceof URL) options = { ...urlToHttpOptions(args.shift() as URL) };
    if (args[0] && typeof args[0] !== "function") Object.assign(options, args.shift());
    options._defaultAgent = state.globalAgent;
    return new ClientRequest(options, args[0]);
  };
  const get = (...args: unknown[]): ClientRequest => {
    const req = request(...args);
    req.end();
    return req;
  };
  class Server {
    constructor() {
      throw notSupported("https.Server (TLS servers inside the VM)");
    }
  }
  const https = {
    Agent,
    Server,
    createServer: (): never => {
      throw notSupported("https.createServer (TLS servers inside the VM)");
    },
    request,
    get,
  };
  Object.defineProperty(https, "globalAgent", {
    enumerable: true,
    configurable: true,
    get: () => state.globalAgent,
    set: (agent: Agent) => {
      state.globalAgent = agent;
    },
  });
  return https;
}
