/**
 * node:http over the VM's sockets: servers reachable from other guest processes, from curl and
 * from `vm.fetch`; clients through the egress policy. HTTP/1.1 only (see http/parser.ts).
 */
import { Agent, defaultAgents } from "./http/agent.ts";
import { ClientRequest } from "./http/client.ts";
import { IncomingMessage } from "./http/incoming.ts";
import { OutgoingMessage, validateHeaderName, validateHeaderValue } from "./http/outgoing.ts";
import { MAX_HEADER_BYTES } from "./http/parser.ts";
import { type HttpServerOptions, Server, ServerResponse } from "./http/server.ts";
import { METHODS, STATUS_CODES } from "./http/status-codes.ts";

type Listener = (...args: never[]) => void;

export function createHttp(): unknown {
  const request = (input: unknown, options?: unknown, callback?: unknown) =>
    new ClientRequest(input, options, callback);
  const get = (input: unknown, options?: unknown, callback?: unknown) => {
    const req = request(input, options, callback);
    req.end();
    return req;
  };
  const http = {
    Agent,
    ClientRequest,
    IncomingMessage,
    OutgoingMessage,
    Server,
    ServerResponse,
    METHODS,
    STATUS_CODES,
    maxHeaderSize: MAX_HEADER_BYTES,
    createServer: (options?: HttpServerOptions | Listener, listener?: Listener) =>
      new Server(options as never, listener as never),
    request,
    get,
    validateHeaderName,
    validateHeaderValue,
    setMaxIdleHTTPParsers: () => undefined,
  };
  Object.defineProperty(http, "globalAgent", {
    enumerable: true,
    configurable: true,
    get: () => defaultAgents.http,
    set: (agent: Agent) => {
      defaultAgents.http = agent;
    },
  });
  return http;
}
