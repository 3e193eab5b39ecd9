/**
 * net.Socket: a Duplex stream over one connection of the VM's network stack. Reads are pulled
 * (one `net.read` in flight while the stream wants data, none while it is paused), writes
 * resolve when the connection's bounded buffer took them (backpressure), `end()` is a
 * half-close. A connecting or connected socket keeps the process alive unless unref'ed, as a
 * libuv TCP handle does.
 */
import { Buffer } from "buffer";
import { Duplex } from "readable-stream";
import { codedError, invalidArgType } from "../../errors.ts";
import { hold, nextTick } from "../../loop.ts";
import { isIP } from "./ip.ts";
import { type ConnectionData, netCall } from "./net-host.ts";

/** How the server hands an accepted connection to the Socket it creates. */
export const kAccepted = Symbol("agentos.acceptedConnection");

const READ_SIZE = 64 * 1024;

export interface SocketOptions {
  allowHalfOpen?: boolean;
  readable?: boolean;
  writable?: boolean;
  signal?: AbortSignal;
  highWaterMark?: number;
  [kAccepted]?: {
    connection: ConnectionData;
    server: { connectionClosed(socket: Socket): void };
    manualStart?: boolean;
  };
}

export interface ConnectOptions {
  port?: number | string;
  host?: string;
  path?: string;
  family?: number;
  timeout?: number;
  noDelay?: boolean;
  keepAlive?: boolean;
  signal?: AbortSignal;
  onread?: unknown;
}

type Listener = (...args: unknown[]) => void;

/** What Node's ERR_SOCKET_BAD_PORT says about the value it got. */
function describePort(port: unknown): string {
  if (typeof port === "string") return `type string ('${port}')`;
  if (typeof port === "number") return `type number (${port})`;
  return typeof port === "object"
    ? "an instance of Object"
    : `type ${typeof port} (${String(port)})`;
}

/** Node's validatePort: numbers and numeric strings 0-65535. */
/** setTimeout(msecs) of sockets and http2 sessions and streams: Node's range check. */
export function validateTimeoutMsecs(ms: unknown): asserts ms is number {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0)
    throw codedError(
      RangeError,
      "ERR_OUT_OF_RANGE",
      `The value of "msecs" is out of range. It must be a non-negative finite number. Received ${String(ms)}`,
    );
}

export function validatePort(port: unknown, name = "Port", allowZero = true): number {
  const valid =
    (typeof port === "number" || (typeof port === "string" && port.trim().length > 0)) &&
    +port === +port >>> 0 &&
    +port <= 0xffff &&
    (allowZero || +port !== 0);
  if (!valid)
    throw codedError(
      RangeError,
      "ERR_SOCKET_BAD_PORT",
      `${name} should be >= ${allowZero ? 0 : 1} and < 65536. Received ${describePort(port)}.`,
    );
  return +port | 0;
}

/** Node's normalizeArgs for connect(): [options, callback]. */
export function normalizeConnectArgs(args: unknown[]): [ConnectOptions, Listener | undefined] {
  if (args.length === 0) return [{}, undefined];
  const last = args[args.length - 1];
  const callback = typeof last === "function" ? (last as Listener) : undefined;
  const first = args[0];
  let options: ConnectOptions;
  if (first !== null && typeof first === "object") options = { ...(first as ConnectOptions) };
  else if (typeof first === "string" && Number.isNaN(Number(first))) options = { path: first };
  else {
    options = { port: first as number };
    if (args.length > 1 && typeof args[1] === "string") options.host = args[1];
  }
  return [options, callback];
}

function exactBytes(chunk: Uint8Array): Uint8Array {
  // A view of a larger buffer would copy the whole buffer across the isolate boundary.
  if (chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength) return chunk;
  return chunk.slice();
}

export class Socket extends Duplex {
  connecting = false;
  bytesRead = 0;
  timeout: number | undefined;
  server: unknown = null;
  #bytesWritten = 0;
  #connection: ConnectionData | undefined;
  #reading = false;
  #wantRead = false;
  #afterConnect: Array<() => void> = [];
  #release: (() => void) | undefined;
  #ref = true;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #accepted: SocketOptions[typeof kAccepted];
  #released: ((head: Uint8Array | null) => void) | undefined;

  constructor(options: SocketOptions = {}) {
    super({
      allowHalfOpen: options.allowHalfOpen ?? false,
      emitClose: false,
      autoDestroy: true,
      ...(options.highWaterMark !== undefined ? { highWaterMark: options.highWaterMark } : {}),
    });
    const accepted = options[kAccepted];
    if (accepted) {
      this.#accepted = accepted;
      this.server = accepted.server;
      this.#attach(accepted.connection);
    }
    if (options.signal) this.#watchSignal(options.signal);
  }

  // ---- connecting ---------------------------------------------------------------------------

  connect(...args: unknown[]): this {
    const [options, callback] = normalizeConnectArgs(args);
    if (options.path) {
      // Node reports a failing pipe connect as an 'error' event, not a throw.
      const error = codedError(
        Error,
        "ERR_AGENTOS_NOT_SUPPORTED",
        `connect to a Unix socket (${options.path}) is not supported in the agentOS VM`,
      );
      nextTick(() => this.destroy(error));
      return this;
    }
    if (this.connecting || this.#connection)
      throw new Error("agentos: this socket is already connected; create a new one");
    if (
      options.port !== undefined &&
      typeof options.port !== "number" &&
      typeof options.port !== "string"
    )
      throw invalidArgType("options.port", "of type number or string", options.port);
    const port = validatePort(options.port);
    const host = options.host === undefined || options.host === "" ? "localhost" : options.host;
    if (typeof host !== "string") throw invalidArgType("options.host", "of type string", host);
    if (callback) this.once("connect", callback);
    if (options.timeout) this.setTimeout(options.timeout);
    if (options.signal) this.#watchSignal(options.signal);
    this.connecting = true;
    this.#holdLoop();
    netCall<ConnectionData>(
      "net.connect",
      [{ host, port: port === 0 ? 0 : port }],
      (error, connection) => {
        if (this.destroyed) {
          if (connection) netCall("net.close", [connection.connId], () => {});
          return;
        }
        if (error || !connection) {
          this.connecting = false;
          this.destroy(error ?? new Error("connect failed"));
          return;
        }
        this._adopt(connection, host);
      },
    );
    return this;
  }

  /**
   * Makes `connection` (just connected, or handed over by another socket) this socket's: the
   * session starts on it (see _startSession), then 'connect' and the writes queued meanwhile.
   * `host`: the name connected to, for the 'lookup' event.
   */
  protected _adopt(connection: ConnectionData, host?: string, head?: Uint8Array | null): void {
    this.connecting = true;
    this.#holdLoop();
    this._startSession(connection, host ?? "", head ?? null, (sessionError, session) => {
      if (this.destroyed) {
        if (session) netCall("net.close", [session.connId], () => {});
        return;
      }
      this.connecting = false;
      if (sessionError || !session) {
        this.destroy(sessionError ?? new Error("connect failed"));
        return;
      }
      this.#attach(session);
      if (host && isIP(host) === 0) {
        const family = session.family === "IPv6" ? 6 : 4;
        this.emit("lookup", null, session.remoteAddress, family, host);
      }
      this.emit("connect");
      this.emit("ready");
      this._sessionReady();
      for (const run of this.#afterConnect.splice(0)) run();
    });
  }

  /**
   * Turns a fresh connection into the one the socket reads and writes: plain TCP uses it as is;
   * tls.TLSSocket runs the handshake here and answers with its session's id.
   */
  protected _startSession(
    connection: ConnectionData,
    _host: string,
    _head: Uint8Array | null,
    done: (error: Error | null, session?: ConnectionData) => void,
  ): void {
    done(null, connection);
  }

  /** After 'connect' (TLSSocket emits 'secureConnect' here). */
  protected _sessionReady(): void {}

  /**
   * Gives this socket's connection to another owner (tls.connect({ socket })): the socket stops
   * reading and forgets the connection without closing it. A read in flight is cancelled; bytes
   * it had already taken come back as `head`, for the new owner to read first.
   */
  _releaseConnection(
    callback: (connection: ConnectionData | undefined, head: Uint8Array | null) => void,
  ): void {
    const connection = this.#connection;
    if (!connection) {
      callback(undefined, null);
      return;
    }
    this.#connection = undefined;
    this.#releaseLoop();
    if (!this.#reading) {
      nextTick(() => callback(connection, null));
      return;
    }
    this.#released = (head) => callback(connection, head);
    netCall("net.cancelRead", [connection.connId], () => {});
  }

  #attach(connection: ConnectionData): void {
    this.#connection = connection;
    this.#holdLoop();
    this.#touch();
    if (this.#wantRead) this.#readMore();
    // Like a libuv handle, a connected socket reads (into its buffer) even with no reader yet,
    // so it sees the peer's FIN and closes; pauseOnConnect servers start it themselves.
    else if (!this.#accepted?.manualStart) this.read(0);
  }

  #watchSignal(signal: AbortSignal): void {
    const abort = (): void => {
      const error = new Error("The operation was aborted") as Error & { code: string };
      error.name = "AbortError";
      error.code = "ABORT_ERR";
      this.destroy(error);
    };
    if (signal.aborted) nextTick(abort);
    else signal.addEventListener("abort", abort, { once: true });
  }

  // ---- liveness -----------------------------------------------------------------------------

  #holdLoop(): void {
    if (this.#ref && !this.#release && !this.destroyed) this.#release = hold();
  }

  #releaseLoop(): void {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  ref(): this {
    this.#ref = true;
    if (this.connecting || this.#connection) this.#holdLoop();
    return this;
  }

  unref(): this {
    this.#ref = false;
    this.#releaseLoop();
    return this;
  }

  // ---- data ---------------------------------------------------------------------------------

  override _read(): void {
    if (!this.#connection) {
      this.#wantRead = true;
      return;
    }
    this.#readMore();
  }

  #readMore(): void {
    const connection = this.#connection;
    if (this.#reading || !connection || this.destroyed) return;
    this.#reading = true;
    netCall<Uint8Array | null>("net.read", [connection.connId, READ_SIZE], (error, chunk) => {
      this.#reading = false;
      const released = this.#released;
      if (released) {
        // The connection has a new owner: what this read took (if anything) is theirs.
        this.#released = undefined;
        released(error ? null : (chunk ?? null));
        return;
      }
      if (this.destroyed) return;
      if (error) {
        this.destroy(error);
        return;
      }
      if (!chunk) {
        this.push(null);
        // As Node's onStreamRead: with nothing buffered, 'end' (and the close that follows)
        // comes even when nobody reads the socket.
        this.read(0);
        return;
      }
      this.bytesRead += chunk.byteLength;
      this.#touch();
      this.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    });
  }

  override _write(
    chunk: Uint8Array,
    _encoding: string,
    callback: (error?: Error | null) => void,
  ): void {
    this.#send(chunk, callback);
  }

  override _writev(
    chunks: Array<{ chunk: Uint8Array }>,
    callback: (error?: Error | null) => void,
  ): void {
    // One host call for everything queued (a response head and its body, many small writes).
    this.#send(Buffer.concat(chunks.map((entry) => entry.chunk)), callback);
  }

  #send(chunk: Uint8Array, callback: (error?: Error | null) => void): void {
    const connection = this.#connection;
    if (!connection) {
      if (this.connecting) this.#afterConnect.push(() => this.#send(chunk, callback));
      else callback(codedError(Error, "ERR_SOCKET_CLOSED", "Socket is closed"));
      return;
    }
    netCall("net.write", [connection.connId, exactBytes(chunk)], (error) => {
      if (error) {
        callback(error);
        return;
      }
      this.#bytesWritten += chunk.byteLength;
      this.#touch();
      callback();
    });
  }

  override _final(callback: (error?: Error | null) => void): void {
    const connection = this.#connection;
    if (!connection) {
      if (this.connecting) this.#afterConnect.push(() => this._final(callback));
      else callback();
      return;
    }
    netCall("net.shutdown", [connection.connId], (error) => callback(error));
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.connecting = false;
    this.#afterConnect = [];
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const connection = this.#connection;
    const hadError = error !== null && error !== undefined;
    const closed = (): void => {
      this.#releaseLoop();
      this.#accepted?.server.connectionClosed(this);
      this.emit("close", hadError);
    };
    callback(error);
    if (connection) netCall("net.close", [connection.connId], closed);
    else nextTick(closed);
  }

  // ---- options and state --------------------------------------------------------------------

  setTimeout(ms: number, callback?: () => void): this {
    validateTimeoutMsecs(ms);
    this.timeout = ms;
    if (ms === 0) {
      if (callback) this.removeListener("timeout", callback);
    } else if (callback) this.once("timeout", callback);
    this.#touch();
    return this;
  }

  #touch(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.timeout && !this.destroyed) {
      const timer = setTimeout(() => this.emit("timeout"), this.timeout);
      (timer as unknown as { unref?: () => void }).unref?.();
      this.#timer = timer;
    }
  }

  setNoDelay(_noDelay?: boolean): this {
    return this;
  }

  setKeepAlive(_enable?: boolean, _initialDelay?: number): this {
    return this;
  }

  address(): { address: string; family: string; port: number } | Record<string, never> {
    const c = this.#connection;
    if (!c) return {};
    return { address: c.localAddress, family: c.family, port: c.localPort };
  }

  get bytesWritten(): number {
    return this.#bytesWritten + this.writableLength;
  }

  get remoteAddress(): string | undefined {
    return this.#connection?.remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.#connection?.remotePort;
  }

  get remoteFamily(): string | undefined {
    return this.#connection?.family;
  }

  get localAddress(): string | undefined {
    return this.#connection?.localAddress;
  }

  get localPort(): number | undefined {
    return this.#connection?.localPort;
  }

  get localFamily(): string | undefined {
    return this.#connection?.family;
  }

  get pending(): boolean {
    return !this.#connection || this.connecting;
  }

  get readyState(): string {
    if (this.connecting) return "opening";
    if (this.readable && this.writable) return "open";
    if (this.readable && !this.writable) return "readOnly";
    if (!this.readable && this.writable) return "writeOnly";
    return "closed";
  }

  /** The connection id in the VM's network stack (for TLS started on this socket). */
  get connectionId(): number | undefined {
    return this.#connection?.connId;
  }

  destroySoon(): void {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once("finish", () => this.destroy());
  }

  resetAndDestroy(): this {
    this.destroy();
    return this;
  }
}
