/**
 * http.ClientRequest and http.request/get: the request head and body written to a socket the
 * agent hands over (or `createConnection` makes), the response parsed into an IncomingMessage.
 * After a complete keep-alive exchange the socket goes back to the agent; a connection that
 * closes before the response is "socket hang up" (ECONNRESET), as in Node.
 */
import { Buffer } from "buffer";
import { codedError, invalidArgType } from "../../errors.ts";
import { nextTick } from "../../loop.ts";
import type { Socket } from "../net/socket.ts";
import { Agent, type ConnectionOptions, defaultAgents } from "./agent.ts";
import { IncomingMessage } from "./incoming.ts";
import { OutgoingMessage } from "./outgoing.ts";
import { HttpParser, type MessageHead } from "./parser.ts";

const TOKEN = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/;
const INVALID_PATH = /[\u0000-\u0020]/;
const NO_BODY_BY_DEFAULT = new Set(["GET", "HEAD", "DELETE", "OPTIONS", "TRACE", "CONNECT"]);

export interface RequestOptions extends ConnectionOptions {
  protocol?: string;
  hostname?: string;
  method?: string;
  path?: string;
  headers?: Record<string, string | number | string[]> | string[];
  auth?: string;
  agent?: Agent | boolean;
  timeout?: number;
  setHost?: boolean;
  defaultPort?: number;
  signal?: AbortSignal;
  createConnection?: (options: RequestOptions, cb?: unknown) => Socket;
  socketPath?: string;
  _defaultAgent?: Agent;
}

/** Node's urlToHttpOptions. */
export function urlToHttpOptions(url: URL): RequestOptions {
  const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const options: RequestOptions & Record<string, unknown> = {
    protocol: url.protocol,
    hostname,
    hash: url.hash,
    search: url.search,
    pathname: url.pathname,
    path: `${url.pathname || ""}${url.search || ""}`,
    href: url.href,
  };
  if (url.port !== "") options.port = Number(url.port);
  if (url.username || url.password)
    options.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return options;
}

function connReset(message: string): Error {
  const error = new Error(message) as Error & { code: string };
  error.code = "ECONNRESET";
  return error;
}

export class ClientRequest extends OutgoingMessage {
  method: string;
  path: string;
  host: string;
  protocol: string;
  agent: Agent | undefined;
  reusedSocket = false;
  maxHeadersCount: number | null = null;
  res: IncomingMessage | null = null;
  aborted = false;
  timeoutCb: (() => void) | null = null;
  readonly #options: RequestOptions;
  #parser: HttpParser | undefined;
  #errorEmitted = false;
  #cleanup: (() => void) | undefined;

  constructor(input: unknown, options?: unknown, callback?: unknown) {
    super();
    let opts: RequestOptions;
    if (typeof input === "string") opts = urlToHttpOptions(new URL(input));
    else if (input instanceof URL) opts = urlToHttpOptions(input);
    else {
      callback = options;
      options = input;
      opts = {};
    }
    if (typeof options === "function") callback = options;
    else if (options && typeof options === "object") opts = { ...opts, ...(options as object) };
    this.#options = opts;

    let agent = opts.agent as Agent | boolean | undefined | null;
    const defaultAgent = opts._defaultAgent ?? defaultAgents.http;
    if (agent === false) agent = new (defaultAgent.constructor as typeof Agent)();
    else if (agent === null || agent === undefined) {
      if (typeof opts.createConnection !== "function") agent = defaultAgent;
      else agent = undefined;
    } else if (
      !(agent instanceof Agent) &&
      typeof (agent as unknown as Agent).addRequest !== "function"
    )
      throw invalidArgType(
        "options.agent",
        "of type Agent-like Object, undefined, or false",
        agent,
      );
    this.agent = (agent as Agent | undefined) ?? undefined;

    const protocol = opts.protocol || defaultAgent.protocol;
    const expected = this.agent?.protocol ?? defaultAgent.protocol;
    if (protocol !== expected)
      throw codedError(
        TypeError,
        "ERR_INVALID_PROTOCOL",
        `Protocol "${protocol}" not supported. Expected "${expected}"`,
      );
    this.protocol = protocol;
    const defaultPort = opts.defaultPort || this.agent?.defaultPort || 80;
    const port = opts.port || defaultPort;
    const host = opts.hostname || opts.host || "localhost";
    if (typeof host !== "string") throw invalidArgType("options.host", "of type string", host);
    this.host = host;
    if (opts.socketPath !== undefined)
      throw codedError(
        Error,
        "ERR_AGENTOS_NOT_SUPPORTED",
        "http requests over a Unix socket (socketPath) are not supported in the agentOS VM",
      );

    const method = opts.method ?? "GET";
    if (typeof method !== "string")
      throw invalidArgType("options.method", "of type string", method);
    if (!TOKEN.test(method))
      throw codedError(
        TypeError,
        "ERR_INVALID_HTTP_TOKEN",
        `Method must be a valid HTTP token ["${method}"]`,
      );
    this.method = method.toUpperCase();
    this.path = opts.path || "/";
    if (INVALID_PATH.test(this.path))
      throw codedError(
        TypeError,
        "ERR_UNESCAPED_CHARACTERS",
        "Request path contains unescaped characters",
      );
    if (NO_BODY_BY_DEFAULT.has(this.method)) this.useChunkedEncodingByDefault = false;
    if (typeof callback === "function") this.once("response", callback as (r: unknown) => void);

    if (Array.isArray(opts.headers)) {
      const list = opts.headers;
      for (let i = 0; i + 1 < list.length; i += 2) this.appendHeader(String(list[i]), list[i + 1]);
    } else if (opts.headers) {
      for (const [name, value] of Object.entries(opts.headers)) {
        if (value !== undefined) this.setHeader(name, value);
      }
    }
    const setHost = opts.setHost === undefined || Boolean(opts.setHost);
    if (host && !this.getHeader("host") && setHost) {
      let hostHeader = host;
      if (hostHeader.includes(":") && !hostHeader.startsWith("[")) hostHeader = `[${hostHeader}]`;
      if (port && +port !== defaultPort) hostHeader += `:${port}`;
      this.setHeader("Host", hostHeader);
    }
    if (opts.auth && !this.getHeader("Authorization"))
      this.setHeader("Authorization", `Basic ${Buffer.from(opts.auth).toString("base64")}`);

    if (this.agent) {
      if (!this.agent.keepAlive && !Number.isFinite(this.agent.maxSockets)) {
        this._last = true;
        this.shouldKeepAlive = false;
      } else {
        this._last = false;
        this.shouldKeepAlive = true;
      }
    } else this.shouldKeepAlive = false;

    if (opts.timeout !== undefined) this.setTimeout(opts.timeout);
    if (opts.signal) {
      const signal = opts.signal;
      const abort = (): void => {
        const error = new Error("The operation was aborted") as Error & { code: string };
        error.name = "AbortError";
        error.code = "ABORT_ERR";
        this.destroy(error);
      };
      if (signal.aborted) nextTick(abort);
      else {
        signal.addEventListener("abort", abort, { once: true });
        this.once("close", () => signal.removeEventListener("abort", abort));
      }
    }

    const connectOptions: ConnectionOptions = {
      ...(opts as ConnectionOptions),
      host,
      port,
      servername: (opts as ConnectionOptions).servername,
    };
    if (this.agent) this.agent.addRequest(this, connectOptions);
    else if (opts.createConnection) {
      const socket = opts.createConnection(
        connectOptions as RequestOptions,
        (err: Error | null, s?: Socket) => {
          if (err) nextTick(() => this.#fail(err));
          else if (s) this.onSocket(s, false);
        },
      );
      if (socket) this.onSocket(socket, false);
    }
  }

  override _implicitHeader(): void {
    this._storeHeader(`${this.method} ${this.path} HTTP/1.1\r\n`);
  }

  /** The agent (or createConnection) gives this request its socket. */
  onSocket(socket: Socket, reused: boolean): void {
    nextTick(() => {
      if (this.destroyed) {
        // Destroyed before a socket came: the connection is not needed.
        if (reused) this.agent?.releaseSocket(socket, this.#options as ConnectionOptions);
        else socket.destroy();
        this.#emitClose();
        return;
      }
      this.#attach(socket);
    });
  }

  #attach(socket: Socket): void {
    const parser = new HttpParser("response", {
      onHead: (head) => this.#onResponseHead(socket, head),
      onBody: (chunk) => this.res?.pushBody(chunk),
      onEnd: (trailers) => this.#onResponseEnd(socket, trailers),
    });
    parser.expectNoBody = this.method === "HEAD";
    this.#parser = parser;
    const onData = (data: Uint8Array): void => {
      try {
        parser.execute(data as never);
      } catch (error) {
        this.#cleanup?.();
        socket.destroy();
        this.#fail(error as Error);
        return;
      }
      if (parser.upgraded) this.#upgrade(socket);
    };
    const onEnd = (): void => {
      try {
        parser.finish();
      } catch {
        // A cut-off response: 'close' reports it.
      }
      if (!this.res) socket.destroy();
    };
    const onError = (error: Error): void => this.#fail(error);
    const onClose = (): void => this.#socketClosed();
    const onTimeout = (): void => {
      this.emit("timeout");
    };
    socket.on("data", onData);
    socket.on("end", onEnd);
    socket.on("error", onError);
    socket.on("close", onClose);
    socket.on("timeout", onTimeout);
    this.#cleanup = () => {
      socket.removeListener("data", onData);
      socket.removeListener("end", onEnd);
      socket.removeListener("error", onError);
      socket.removeListener("close", onClose);
      socket.removeListener("timeout", onTimeout);
      this._detachSocket(socket);
      this.#cleanup = undefined;
    };
    this._attachSocket(socket);
    this.emit("socket", socket);
  }

  #onResponseHead(socket: Socket, head: MessageHead): void {
    if (head.statusCode >= 100 && head.statusCode < 200 && head.statusCode !== 101) {
      const info = new IncomingMessage(socket);
      info.setHead(head);
      if (head.statusCode === 100) this.emit("continue");
      this.emit("information", {
        statusCode: head.statusCode,
        statusMessage: head.statusMessage,
        httpVersion: info.httpVersion,
        httpVersionMajor: head.versionMajor,
        httpVersionMinor: head.versionMinor,
        headers: info.headers,
        rawHeaders: head.rawHeaders,
      });
      return;
    }
    const res = new IncomingMessage(socket);
    res.setHead(head);
    (res as IncomingMessage & { req: ClientRequest }).req = this;
    this.res = res;
    if (!head.shouldKeepAlive) this.shouldKeepAlive = false;
    if (head.upgrade) return;
    res.once("end", () => nextTick(() => this.#emitClose()));
    if (!this.emit("response", res)) res._dump();
  }

  #onResponseEnd(socket: Socket, trailers: string[]): void {
    const res = this.res;
    res?.endBody(trailers);
    if (this.shouldKeepAlive && this.agent) {
      const release = (): void => {
        this.#cleanup?.();
        // As Node's: the response lets go of a socket that may now serve another request.
        if (this.res) this.res.socket = null;
        this.agent?.releaseSocket(socket, this.#options as ConnectionOptions);
      };
      // The request may still be sending its body; the socket is free once both are done.
      if (this.writableFinished) release();
      else this.once("finish", release);
    } else {
      this.#cleanup?.();
      socket.destroySoon();
      socket.once("close", () => undefined);
    }
  }

  #upgrade(socket: Socket): void {
    const res = this.res;
    const parser = this.#parser;
    if (!res || !parser) return;
    this.#cleanup?.();
    if (this.listenerCount("upgrade") === 0) {
      socket.destroy();
      return;
    }
    res.complete = true;
    res.push(null);
    this.emit("upgrade", res, socket, parser.upgradeHead ?? Buffer.alloc(0));
    this.#emitClose();
  }

  #socketClosed(): void {
    this.#cleanup?.();
    const res = this.res;
    if (res && !res.complete) {
      res.aborted = true;
      res.emit("aborted");
      res.destroy(connReset("aborted"));
    } else if (!res) this.#fail(connReset("socket hang up"));
    this.#emitClose();
  }

  #fail(error: Error): void {
    if (this.#errorEmitted) return;
    this.#errorEmitted = true;
    this.emit("error", error);
  }

  #closeEmitted = false;

  #emitClose(): void {
    if (this.#closeEmitted) return;
    this.#closeEmitted = true;
    this.emit("close");
  }

  override destroy(error?: Error): this {
    if (this.destroyed) return this;
    if (this.res) this.res._dump();
    if (error) this.#fail(error);
    return super.destroy(error);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    nextTick(() => this.emit("abort"));
    this.destroy();
  }

  override setTimeout(ms: number, callback?: () => void): this {
    if (callback) this.once("timeout", callback);
    if (this.socket) this.socket.setTimeout(ms);
    else this.once("socket", (socket: Socket) => socket.setTimeout(ms));
    return this;
  }

  setNoDelay(): void {}

  setSocketKeepAlive(): void {}
}
