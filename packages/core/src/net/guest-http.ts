/**
 * One HTTP(S) exchange made by a guest process (curl, wget): a connection through the
 * process's network (so the VM's loopback and the egress policy apply), TLS by node:tls over
 * that connection for https, and node:http's client for the protocol. Returns the response
 * head with its body as a stream; the caller reads it and then calls `close()`.
 */
import { Agent, request as httpRequest, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { connect as tlsConnect } from "node:tls";
import { parseIp } from "./address.ts";
import type { ConnectionInfo } from "./connection.ts";
import { ConnectionDuplex, connectionIo } from "./connection-duplex.ts";
import type { ProcessNetwork } from "./process-network.ts";

export interface GuestHttpRequest {
  url: URL;
  method: string;
  /** Sent as given, in order (the caller sets Host, User-Agent, ...). */
  headers: Array<[string, string]>;
  body?: Uint8Array;
  /** https without verifying the server's certificate (curl -k). */
  insecure?: boolean;
  /** Aborts connecting and the exchange (the caller's timeout). */
  signal?: AbortSignal;
  /** Ask the server to keep the connection open for another request (wget does, curl not). */
  keepAlive?: boolean;
}

export interface GuestHttpResponse {
  response: IncomingMessage;
  connection: ConnectionInfo;
  /** Releases the connection (idempotent). */
  close(): void;
  /**
   * Once the body has been read to its end: the connection kept open for the next request to
   * the same origin (HTTP keep-alive), or undefined (then it is closed) when the server ends it.
   */
  keep(): KeptConnection | undefined;
}

/** An open connection between two requests, for `guestHttpRequest(..., kept)`. */
export interface KeptConnection {
  origin: string;
  connection: ConnectionInfo;
  transport: Duplex;
  agent: Agent;
  close(): void;
}

/** Where an exchange failed: curl and wget map these to their exit codes and messages. */
export type HttpFailureStage = "resolve" | "connect" | "tls" | "exchange";

export class GuestHttpError extends Error {
  readonly stage: HttpFailureStage;
  readonly code: string | undefined;

  constructor(stage: HttpFailureStage, cause: unknown) {
    super((cause as Error)?.message ?? String(cause), { cause });
    this.stage = stage;
    this.code = (cause as { code?: string })?.code;
  }
}

export function defaultPort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === "https:" ? 443 : 80;
}

/** The host part of a URL without IPv6 brackets. */
export function urlHost(url: URL): string {
  return url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Makes one request. With `kept` (a connection from an earlier response's keep()), the
 * request reuses it when it goes to the same origin; otherwise `kept` is closed.
 */
export async function guestHttpRequest(
  net: ProcessNetwork,
  request: GuestHttpRequest,
  kept?: KeptConnection,
): Promise<GuestHttpResponse> {
  const host = urlHost(request.url);
  const port = defaultPort(request.url);
  const origin = request.url.origin;
  const reuse = kept !== undefined && kept.origin === origin && !kept.transport.destroyed;
  if (kept && !reuse) kept.close();
  let connection: ConnectionInfo;
  let transport: Duplex;
  let close: () => void;
  let agent: Agent;
  if (reuse) {
    ({ connection, transport, close, agent } = kept);
  } else {
    agent = new Agent({ keepAlive: request.keepAlive === true, maxSockets: 1 });
    try {
      connection = await net.connect({ host, port, signal: request.signal });
    } catch (err) {
      const code = (err as { code?: string })?.code;
      throw new GuestHttpError(
        code === "ENOTFOUND" || code === "EAI_AGAIN" ? "resolve" : "connect",
        err,
      );
    }
    const plain = new ConnectionDuplex(connectionIo(net, connection.connId), connection);
    transport = plain;
    const ownAgent = agent;
    close = (): void => {
      transport.destroy();
      plain.destroy();
      ownAgent.destroy();
    };
  }
  const onAbort = (): void => close();
  request.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    if (request.url.protocol === "https:" && !reuse)
      transport = await startTls(transport, host, request);
    const response = await exchange(transport, agent, request);
    const done = (): void => request.signal?.removeEventListener("abort", onAbort);
    response.once("close", done);
    const keep = (): KeptConnection | undefined => {
      done();
      const header = String(response.headers.connection ?? "").toLowerCase();
      const reusable =
        response.complete &&
        !transport.destroyed &&
        header !== "close" &&
        (response.httpVersion === "1.1" || header === "keep-alive");
      if (!reusable) {
        close();
        return undefined;
      }
      return { origin, connection, transport, agent, close };
    };
    return { response, connection, close, keep };
  } catch (err) {
    request.signal?.removeEventListener("abort", onAbort);
    close();
    if (err instanceof GuestHttpError) throw err;
    throw new GuestHttpError("exchange", err);
  }
}

function startTls(socket: Duplex, host: string, request: GuestHttpRequest): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const tls = tlsConnect({
      socket,
      // SNI takes names only, never addresses.
      servername: parseIp(host) ? undefined : host,
      rejectUnauthorized: !request.insecure,
      ALPNProtocols: ["http/1.1"],
    });
    const onError = (err: Error): void => reject(new GuestHttpError("tls", err));
    tls.once("error", onError);
    tls.once("secureConnect", () => {
      tls.off("error", onError);
      resolve(tls);
    });
  });
}

/**
 * One request over `transport`, through an agent that owns only that connection: node:http
 * hands a kept-alive socket back to its agent once the response ends, and the agent gives it
 * to the next request (never opening another: the connection is made by the caller).
 */
function exchange(
  transport: Duplex,
  agent: Agent,
  request: GuestHttpRequest,
): Promise<IncomingMessage> {
  agent.createConnection = () => transport as never;
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      method: request.method,
      path: `${request.url.pathname}${request.url.search}`,
      headers: request.headers.flat(),
      agent,
      setHost: false,
    });
    req.once("error", (err) => reject(new GuestHttpError("exchange", err)));
    req.once("response", resolve);
    req.end(request.body ? Buffer.from(request.body) : undefined);
  });
}
