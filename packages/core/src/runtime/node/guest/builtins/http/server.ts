/**
 * http.Server and http.ServerResponse: a net.Server whose connections are parsed as HTTP/1.1
 * requests. Each request gets a ServerResponse; pipelined requests wait their turn (a response
 * owns the socket only once the one before it finished), keep-alive connections idle out after
 * `keepAliveTimeout`, and `close()` drops idle connections as Node 19+ does.
 */
import type { Buffer } from "buffer";
import { codedError } from "../../errors.ts";
import { nextTick } from "../../loop.ts";
import { Server as NetServer, type ServerOptions as NetServerOptions } from "../net/server.ts";
import type { Socket } from "../net/socket.ts";
import { IncomingMessage } from "./incoming.ts";
import { OutgoingMessage, type OutputSocket, validateHeaderName } from "./outgoing.ts";
import { HttpParser, type MessageHead, ParseError } from "./parser.ts";
import { STATUS_CODES } from "./status-codes.ts";

type HeaderInput = Record<string, string | number | string[]> | Array<string | string[]>;

export class ServerResponse extends OutgoingMessage {
  statusCode = 200;
  statusMessage: string | undefined = undefined;
  readonly req: IncomingMessage;
  /** Called once this response is fully written (the server moves to the next request). */
  _done: (() => void) | undefined;
  #ready = false;

  constructor(req: IncomingMessage) {
    super();
    this.req = req;
    this.sendDate = true;
    if (req.method === "HEAD") this._hasBody = false;
    if (req.httpVersionMajor < 1 || (req.httpVersionMajor === 1 && req.httpVersionMinor < 1)) {
      this.useChunkedEncodingByDefault = /(?:^|\W)chunked(?:$|\W)/i.test(
        String(req.headers.te ?? ""),
      );
      this.shouldKeepAlive = false;
    }
  }

  writeHead(statusCode: number, reason?: unknown, headers?: unknown): this {
    if (this._header !== null)
      throw codedError(
        Error,
        "ERR_HTTP_HEADERS_SENT",
        "Cannot write headers after they are sent to the client",
      );
    const original = statusCode;
    let message: string | undefined;
    if (typeof reason === "string") message = reason;
    else headers = reason ?? headers;
    const code = Number(statusCode) | 0;
    if (code < 100 || code > 999)
      throw codedError(
        RangeError,
        "ERR_HTTP_INVALID_STATUS_CODE",
        `Invalid status code: ${original}`,
      );
    this.statusCode = code;
    this.statusMessage = message ?? this.statusMessage ?? STATUS_CODES[code] ?? "unknown";
    if (code === 204 || code === 304 || (code >= 100 && code <= 199)) this._hasBody = false;
    const extra: Array<[string, string | number | string[]]> = [];
    if (Array.isArray(headers)) {
      const list = headers as Array<string | string[]>;
      if (list.length > 0 && Array.isArray(list[0])) {
        for (const pair of list as string[][]) extra.push([pair[0], pair[1]]);
      } else {
        if (list.length % 2 !== 0)
          throw codedError(TypeError, "ERR_INVALID_ARG_VALUE", "The argument 'headers' is invalid");
        for (let i = 0; i < list.length; i += 2)
          extra.push([String(list[i]), list[i + 1] as string]);
      }
    } else if (headers && typeof headers === "object") {
      for (const [name, value] of Object.entries(headers as HeaderInput)) {
        if (value !== undefined) extra.push([name, value as string]);
      }
    }
    for (const [name] of extra) validateHeaderName(name);
    this._storeHeader(`HTTP/1.1 ${code} ${this.statusMessage}\r\n`, extra);
    return this;
  }

  override _implicitHeader(): void {
    this.writeHead(this.statusCode);
  }

  writeContinue(callback?: () => void): void {
    this.#writeRaw("HTTP/1.1 100 Continue\r\n\r\n", callback);
  }

  writeProcessing(callback?: () => void): void {
    this.#writeRaw("HTTP/1.1 102 Processing\r\n\r\n", callback);
  }

  writeEarlyHints(hints: Record<string, string | string[]>, callback?: () => void): void {
    let head = "HTTP/1.1 103 Early Hints\r\n";
    for (const [name, value] of Object.entries(hints)) {
      for (const item of Array.isArray(value) ? value : [value]) head += `${name}: ${item}\r\n`;
    }
    this.#writeRaw(`${head}\r\n`, callback);
  }

  #writeRaw(text: string, callback?: () => void): void {
    const socket = this.socket;
    if (socket && this.#ready) socket.write(new TextEncoder().encode(text), () => callback?.());
  }

  override _socketReady(): boolean {
    return this.#ready;
  }

  assignSocket(socket: OutputSocket): void {
    this.#ready = true;
    this._attachSocket(socket);
    this.emit("socket", socket);
  }

  detachSocket(socket: OutputSocket): void {
    this._detachSocket(socket);
  }

  override _onFinish(): void {
    this._done?.();
  }
}

export interface HttpServerOptions extends NetServerOptions {
  keepAliveTimeout?: number;
  requestTimeout?: number;
  headersTimeout?: number;
  maxHeaderSize?: number;
  insecureHTTPParser?: boolean;
  IncomingMessage?: typeof IncomingMessage;
  ServerResponse?: typeof ServerResponse;
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Per-connection state. */
interface ConnectionState {
  socket: Socket;
  parser: HttpParser;
  /** Responses in request order; the first owns the socket. */
  queue: ServerResponse[];
  current: IncomingMessage | undefined;
  idleTimer: ReturnType<typeof setTimeout> | undefined;
  ended: boolean;
}

export class Server extends NetServer {
  timeout = 0;
  keepAliveTimeout = 5000;
  headersTimeout = 60000;
  requestTimeout = 300000;
  maxHeadersCount: number | null = null;
  maxRequestsPerSocket = 0;
  readonly #states = new Map<Socket, ConnectionState>();
  readonly #Incoming: typeof IncomingMessage;
  readonly #Response: typeof ServerResponse;

  constructor(options?: HttpServerOptions | RequestListener, requestListener?: RequestListener) {
    let listener = requestListener;
    let opts: HttpServerOptions = {};
    if (typeof options === "function") listener = options;
    else if (options) opts = options;
    super({ ...opts, allowHalfOpen: true });
    if (opts.keepAliveTimeout !== undefined) this.keepAliveTimeout = opts.keepAliveTimeout;
    if (opts.requestTimeout !== undefined) this.requestTimeout = opts.requestTimeout;
    if (opts.headersTimeout !== undefined) this.headersTimeout = opts.headersTimeout;
    this.#Incoming = opts.IncomingMessage ?? IncomingMessage;
    this.#Response = opts.ServerResponse ?? ServerResponse;
    if (listener) this.on("request", listener);
    this.on("connection", (socket: Socket) => this.#serve(socket));
  }

  setTimeout(ms: number, callback?: () => void): this {
    this.timeout = ms;
    if (callback) this.on("timeout", callback);
    return this;
  }

  override close(callback?: (error?: Error) => void): this {
    super.close(callback);
    this.closeIdleConnections();
    return this;
  }

  closeAllConnections(): void {
    for (const state of this.#states.values()) state.socket.destroy();
  }

  closeIdleConnections(): void {
    for (const state of this.#states.values()) {
      if (state.queue.length === 0 && !state.parser.midMessage) state.socket.destroy();
    }
  }

  #serve(socket: Socket): void {
    const state: ConnectionState = {
      socket,
      parser: undefined as unknown as HttpParser,
      queue: [],
      current: undefined,
      idleTimer: undefined,
      ended: false,
    };
    state.parser = new HttpParser("request", {
      onHead: (head) => this.#onRequest(state, head),
      onBody: (chunk) => state.current?.pushBody(chunk),
      onEnd: (trailers) => state.current?.endBody(trailers),
    });
    this.#states.set(socket, state);
    if (this.timeout) socket.setTimeout(this.timeout);
    const onData = (data: Buffer): void => {
      this.#clearIdle(state);
      try {
        state.parser.execute(data);
      } catch (error) {
        this.#parseFailed(state, error as Error);
        return;
      }
      if (state.parser.upgraded) this.#upgrade(state, onData, onEnd);
    };
    const onEnd = (): void => {
      state.ended = true;
      try {
        state.parser.finish();
      } catch (error) {
        this.#parseFailed(state, error as Error);
        return;
      }
      if (state.queue.length === 0) socket.end();
    };
    socket.on("data", onData);
    socket.on("end", onEnd);
    socket.on("error", (error: Error) => {
      if (this.listenerCount("clientError") > 0) this.emit("clientError", error, socket);
      else socket.destroy();
    });
    socket.on("timeout", () => {
      const handled =
        (state.queue[0]?.req.emit("timeout", socket) ?? false) ||
        (state.queue[0]?.emit("timeout", socket) ?? false) ||
        this.emit("timeout", socket);
      if (!handled) socket.destroy();
    });
    socket.on("close", () => {
      this.#clearIdle(state);
      this.#states.delete(socket);
      for (const res of state.queue.splice(0)) {
        if (!res.req.complete) {
          res.req.aborted = true;
          res.req.emit("aborted");
          res.req.destroy();
        }
        res.destroyed = true;
        res.emit("close");
      }
    });
  }

  #onRequest(state: ConnectionState, head: MessageHead): void {
    const socket = state.socket;
    const req = new this.#Incoming(socket);
    req.setHead(head);
    state.current = req;
    if (head.upgrade && this.listenerCount(head.method === "CONNECT" ? "connect" : "upgrade") > 0)
      return;
    const res = new this.#Response(req);
    res.shouldKeepAlive = res.shouldKeepAlive && head.shouldKeepAlive;
    res._keepAliveTimeout = this.keepAliveTimeout;
    res._done = () => this.#responseDone(state, res);
    state.queue.push(res);
    if (state.queue.length === 1) res.assignSocket(socket);
    const expect = String(req.headers.expect ?? "").toLowerCase();
    if (expect && head.versionMajor === 1 && head.versionMinor >= 1) {
      if (expect === "100-continue") {
        if (this.listenerCount("checkContinue") > 0) {
          this.emit("checkContinue", req, res);
          return;
        }
        res.writeContinue();
      } else if (this.listenerCount("checkExpectation") > 0) {
        this.emit("checkExpectation", req, res);
        return;
      } else {
        res.writeHead(417);
        res.end();
        return;
      }
    }
    this.emit("request", req, res);
  }

  #responseDone(state: ConnectionState, res: ServerResponse): void {
    const socket = state.socket;
    if (state.queue[0] !== res) return;
    state.queue.shift();
    res.detachSocket(socket);
    // An unread request body still has to come off the connection.
    if (!res.req.complete) res.req._dump();
    nextTick(() => res.emit("close"));
    if (res._last || !this.listening) {
      socket.destroySoon();
      return;
    }
    const next = state.queue[0];
    if (next) next.assignSocket(socket);
    else if (state.ended) socket.end();
    else if (this.keepAliveTimeout > 0) {
      const timer = setTimeout(() => {
        if (state.queue.length === 0) socket.destroy();
      }, this.keepAliveTimeout);
      (timer as unknown as { unref?: () => void }).unref?.();
      state.idleTimer = timer;
    }
  }

  #clearIdle(state: ConnectionState): void {
    if (state.idleTimer) clearTimeout(state.idleTimer);
    state.idleTimer = undefined;
  }

  #upgrade(state: ConnectionState, onData: (d: Buffer) => void, onEnd: () => void): void {
    const req = state.current;
    const socket = state.socket;
    if (!req) return;
    const event = req.method === "CONNECT" ? "connect" : "upgrade";
    if (this.listenerCount(event) === 0) return;
    socket.removeListener("data", onData);
    socket.removeListener("end", onEnd);
    this.#states.delete(socket);
    const head = state.parser.upgradeHead ?? new Uint8Array(0);
    req.complete = true;
    req.push(null);
    this.emit(event, req, socket, head);
  }

  #parseFailed(state: ConnectionState, error: Error): void {
    const socket = state.socket;
    const parseError = error as ParseError;
    if (this.listenerCount("clientError") > 0) {
      this.emit("clientError", error, socket);
      return;
    }
    if (socket.writable && state.queue.length === 0) {
      const status =
        parseError.code === "HPE_HEADER_OVERFLOW"
          ? "431 Request Header Fields Too Large"
          : "400 Bad Request";
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
      socket.destroySoon();
    } else socket.destroy();
  }
}

export { ParseError };
