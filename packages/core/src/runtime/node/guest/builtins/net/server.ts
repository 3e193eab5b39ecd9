/**
 * net.Server: a listener in the VM's network stack and an accept loop that turns each
 * connection into a Socket ('connection'). A listening server keeps the process alive unless
 * unref'ed; 'close' comes once it stopped listening and its last connection closed.
 */
import { EventEmitter } from "events";
import { codedError, invalidArgType } from "../../errors.ts";
import { hold, nextTick } from "../../loop.ts";
import { type ListenData, netCall } from "./net-host.ts";
import { kAccepted, Socket, validatePort } from "./socket.ts";

export interface ServerOptions {
  allowHalfOpen?: boolean;
  pauseOnConnect?: boolean;
  noDelay?: boolean;
  keepAlive?: boolean;
  highWaterMark?: number;
}

interface ListenOptions {
  port?: unknown;
  host?: string;
  backlog?: number;
  path?: string;
  exclusive?: boolean;
  ipv6Only?: boolean;
  signal?: AbortSignal;
}

type Listener = (...args: unknown[]) => void;

export class Server extends EventEmitter {
  maxConnections: number | undefined;
  readonly #options: ServerOptions;
  #listening: ListenData | undefined;
  #binding = false;
  #release: (() => void) | undefined;
  #ref = true;
  readonly #connections = new Set<Socket>();

  constructor(options?: ServerOptions | Listener, connectionListener?: Listener) {
    super();
    let listener = connectionListener;
    if (typeof options === "function") {
      listener = options;
      options = {};
    }
    if (options !== undefined && (options === null || typeof options !== "object"))
      throw invalidArgType("options", "of type object", options);
    this.#options = options ?? {};
    if (listener) this.on("connection", listener);
  }

  // ---- listening ----------------------------------------------------------------------------

  listen(...args: unknown[]): this {
    const callback =
      typeof args[args.length - 1] === "function" ? (args.pop() as Listener) : undefined;
    let options: ListenOptions;
    const first = args[0];
    if (first !== null && typeof first === "object") options = first as ListenOptions;
    else if (typeof first === "string" && Number.isNaN(Number(first))) options = { path: first };
    else {
      options = { port: first };
      if (typeof args[1] === "string") options.host = args[1];
      const backlog = typeof args[1] === "number" ? args[1] : args[2];
      if (typeof backlog === "number") options.backlog = backlog;
    }
    if (options.path !== undefined) {
      // Node reports a failing pipe listen as an 'error' event, not a throw.
      const error = codedError(
        Error,
        "ERR_AGENTOS_NOT_SUPPORTED",
        `listening on a Unix socket (${options.path}) is not supported in the agentOS VM`,
      );
      nextTick(() => this.emit("error", error));
      return this;
    }
    if (this.#listening || this.#binding)
      throw codedError(
        Error,
        "ERR_SERVER_ALREADY_LISTEN",
        "Listen method has been called more than once without closing.",
      );
    const port =
      options.port === undefined || options.port === null
        ? 0
        : validatePort(options.port, "options.port");
    if (callback) this.once("listening", callback);
    this.#binding = true;
    if (options.signal) {
      const signal = options.signal;
      if (signal.aborted) nextTick(() => this.close());
      else signal.addEventListener("abort", () => this.close(), { once: true });
    }
    netCall<ListenData>(
      "net.listen",
      [{ host: options.host, port, backlog: options.backlog }],
      (error, info) => {
        this.#binding = false;
        if (error || !info) {
          this.emit("error", error);
          return;
        }
        this.#listening = info;
        if (this.#ref) this.#release = hold();
        this.emit("listening");
        this.#acceptNext(info.listenerId);
      },
    );
    return this;
  }

  #acceptNext(listenerId: number): void {
    netCall<import("./net-host.ts").ConnectionData | null>(
      "net.accept",
      [listenerId],
      (error, connection) => {
        if (this.#listening?.listenerId !== listenerId) {
          if (connection) netCall("net.close", [connection.connId], () => {});
          return;
        }
        if (error) {
          this.emit("error", error);
          return;
        }
        if (!connection) return;
        this.#acceptNext(listenerId);
        if (this.maxConnections !== undefined && this.#connections.size >= this.maxConnections) {
          netCall("net.close", [connection.connId], () => {});
          this.emit("drop", {
            localAddress: connection.localAddress,
            localPort: connection.localPort,
            localFamily: connection.family,
            remoteAddress: connection.remoteAddress,
            remotePort: connection.remotePort,
            remoteFamily: connection.family,
          });
          return;
        }
        const socket = this.createSocket(connection);
        this.#connections.add(socket);
        if (this.#options.pauseOnConnect) socket.pause();
        this.emit("connection", socket);
      },
    );
  }

  /** Builds the Socket for an accepted connection (http.Server wraps it the same way). */
  protected createSocket(connection: import("./net-host.ts").ConnectionData): Socket {
    return new Socket({
      allowHalfOpen: this.#options.allowHalfOpen ?? false,
      ...(this.#options.highWaterMark !== undefined
        ? { highWaterMark: this.#options.highWaterMark }
        : {}),
      [kAccepted]: { connection, server: this, manualStart: this.#options.pauseOnConnect === true },
    });
  }

  /** Called by an accepted Socket once it is closed. */
  connectionClosed(socket: Socket): void {
    this.#connections.delete(socket);
    this.#emitCloseIfDrained();
  }

  get listening(): boolean {
    return this.#listening !== undefined;
  }

  address(): { address: string; family: string; port: number } | null {
    const info = this.#listening;
    if (!info) return null;
    return { address: info.address, family: info.family, port: info.port };
  }

  close(callback?: (error?: Error) => void): this {
    if (typeof callback === "function") {
      if (!this.#listening && !this.#binding) {
        this.once("close", () =>
          callback(codedError(Error, "ERR_SERVER_NOT_RUNNING", "Server is not running.")),
        );
      } else this.once("close", callback);
    }
    const info = this.#listening;
    if (info) {
      this.#listening = undefined;
      const release = this.#release;
      this.#release = undefined;
      release?.();
      netCall("net.closeListener", [info.listenerId], () => {});
    }
    this.#emitCloseIfDrained();
    return this;
  }

  #closeScheduled = false;

  #emitCloseIfDrained(): void {
    if (this.#listening || this.#connections.size > 0 || this.#closeScheduled) return;
    if (this.#binding) return;
    this.#closeScheduled = true;
    nextTick(() => {
      this.#closeScheduled = false;
      if (!this.#listening && this.#connections.size === 0) this.emit("close");
    });
  }

  /** Sockets the server accepted that are still open (http.Server uses it to close idle ones). */
  get connections(): ReadonlySet<Socket> {
    return this.#connections;
  }

  getConnections(callback: (error: Error | null, count: number) => void): this {
    const count = this.#connections.size;
    nextTick(() => callback(null, count));
    return this;
  }

  ref(): this {
    this.#ref = true;
    if (this.#listening && !this.#release) this.#release = hold();
    return this;
  }

  unref(): this {
    this.#ref = false;
    const release = this.#release;
    this.#release = undefined;
    release?.();
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#listening) return;
    await new Promise<void>((resolve) => this.close(() => resolve()));
  }
}
