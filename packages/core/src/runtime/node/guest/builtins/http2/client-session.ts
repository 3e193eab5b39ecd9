/**
 * http2's ClientHttp2Session. The HTTP/2 protocol runs on the host (ops/http2-client.ts): this
 * object holds the guest's view and mirrors the host session's events, which it pulls in batches
 * (`http2.events`) once its connection — opened here through the egress policy with net or tls
 * — is handed to the host. The host session exists from the start, so request(), settings() and
 * goaway() validate synchronously with Node's own code and rules, as in Node; until the
 * connection is attached its frames wait on the host.
 */
import { Buffer } from "buffer";
import { EventEmitter } from "events";
import { codedError, invalidArgType } from "../../errors.ts";
import { callAsync, callSync } from "../../host.ts";
import { drainTicks, guard, hold, nextTick } from "../../loop.ts";
import type { ConnectionData } from "../net/net-host.ts";
import { type Socket, validateTimeoutMsecs } from "../net/socket.ts";
import { ClientHttp2Stream, type StreamOwner } from "./client-stream.ts";
import { socketProxy } from "./socket-proxy.ts";
import {
  type Http2ErrorData,
  type Http2Event,
  NGHTTP2_INTERNAL_ERROR,
  NGHTTP2_NO_ERROR,
  rebuildError,
  sessionError,
  splitHeaders,
  toBuffer,
} from "./wire.ts";

type Listener = (...args: unknown[]) => void;
type SettingsCallback = (error: Error | null, settings?: unknown, duration?: number) => void;

const NGHTTP2_SESSION_CLIENT = 1;
/** Methods whose requests carry no body: Node ends their stream with the headers. */
const NO_PAYLOAD_METHODS = new Set(["GET", "HEAD", "DELETE"]);

function ignore(): void {}

function invalidSession(): Error {
  return codedError(Error, "ERR_HTTP2_INVALID_SESSION", "The session has been destroyed");
}

function methodOf(headers: unknown): unknown {
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2)
      if (headers[i] === ":method") return headers[i + 1];
    return undefined;
  }
  return (headers as Record<string, unknown>)[":method"];
}

export class ClientHttp2Session extends EventEmitter implements StreamOwner {
  readonly type = NGHTTP2_SESSION_CLIENT;
  readonly hostId: number;
  #connecting = true;
  #closed = false;
  #destroyed = false;
  #encrypted: boolean | undefined;
  #alpnProtocol: string | false | undefined;
  #originSet: Set<string> | undefined;
  #socket: Socket | undefined;
  #addresses: Record<string, unknown> = {};
  #streams = new Map<number, ClientHttp2Stream>();
  #localSettings: Record<string, unknown> | undefined;
  #remoteSettings: Record<string, unknown> | undefined;
  #settingsCallbacks = new Map<number, SettingsCallback>();
  #goawayCode = NGHTTP2_NO_ERROR;
  #destroyCode = NGHTTP2_NO_ERROR;
  #release: (() => void) | undefined;
  #timeoutMs = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #proxy: object | undefined;
  #destroyedHere = false;
  #readyOnConnect: Array<[ClientHttp2Stream, number]> = [];
  #finished = false;

  constructor(hostId: number, socket: Socket) {
    super();
    this.hostId = hostId;
    this.#socket = socket;
    this.#release = hold();
  }

  /** The socket failed before the session got its connection (Node's socketOnError). */
  _socketError(error: Error): void {
    this.destroy(error);
  }

  // ---- the connection ----------------------------------------------------------------------

  /** Once the guest's socket is connected (and secure): hands its connection to the host. */
  _attach(socket: Socket): void {
    if (this.#destroyed) return;
    const encrypted = Boolean((socket as Socket & { encrypted?: boolean }).encrypted);
    this.#addresses = {
      remoteAddress: socket.remoteAddress,
      remotePort: socket.remotePort,
      remoteFamily: socket.remoteFamily,
      localAddress: socket.localAddress,
      localPort: socket.localPort,
      localFamily: socket.localFamily,
    };
    socket._releaseConnection((connection: ConnectionData | undefined, head) => {
      if (this.#destroyed) {
        if (connection) callAsync("net.close", [connection.connId], ignore);
        return;
      }
      if (!connection) {
        this.destroy(codedError(Error, "ERR_SOCKET_CLOSED", "Socket is closed"));
        return;
      }
      this.#encrypted = encrypted;
      this.#alpnProtocol = encrypted
        ? (socket as Socket & { alpnProtocol?: string | false }).alpnProtocol || false
        : "h2c";
      if (encrypted) {
        const servername = (socket as Socket & { servername?: unknown }).servername;
        this.#originSet = new Set();
        if (servername !== null && servername !== undefined)
          this.#originSet.add(`https://${servername}:${this.#addresses.remotePort}`);
      }
      callAsync("http2.attach", [this.hostId, connection.connId, head], (error) => {
        if (error) this.destroy(error);
        else this.#pump();
      });
    });
  }

  #pump(): void {
    callAsync<Http2Event[] | null>("http2.events", [this.hostId], (error, events) => {
      if (this.#ignoringHost()) return;
      if (error) {
        this.destroy(error);
        return;
      }
      if (!events) {
        this.#finish();
        return;
      }
      this.#deliver(events, 0);
    });
  }

  /**
   * Node emits each of these from a callback of its own, with its nextTick queue and then its
   * promise jobs run after each; here each event runs after the jobs the previous one queued
   * (a resolved promise away). A listener that throws is an uncaught exception, as in Node,
   * and does not lose the events after it.
   */
  #deliver(events: Http2Event[], from: number): void {
    if (this.#ignoringHost()) return;
    if (from >= events.length) {
      this.#pump();
      return;
    }
    guard(() => this.#dispatch(events[from] as Http2Event));
    drainTicks();
    void Promise.resolve().then(() => this.#deliver(events, from + 1));
  }

  /** After the guest destroyed the session, or once it is finished, host events are moot. */
  #ignoringHost(): boolean {
    return this.#destroyedHere || this.#finished;
  }

  #dispatch(event: Http2Event): void {
    if ("s" in event && event.s > 0) {
      this.#streams.get(event.s)?._event(event);
      return;
    }
    this.touch();
    switch (event.t) {
      case "connect":
        this.#connecting = false;
        this.emit("connect", this, this.socket);
        for (const [stream, id] of this.#readyOnConnect.splice(0)) stream._ready(id);
        return;
      case "localSettings":
        this.#localSettings = event.settings;
        this.emit("localSettings", event.settings);
        return;
      case "remoteSettings":
        this.#remoteSettings = event.settings;
        this.emit("remoteSettings", event.settings);
        return;
      case "settingsAck": {
        const callback = this.#settingsCallbacks.get(event.n);
        this.#settingsCallbacks.delete(event.n);
        callback?.(event.error ? rebuildError(event.error) : null, event.settings, event.ms);
        return;
      }
      case "goaway":
        // As Node's onGoawayData: the event first, then the session closes (or is destroyed,
        // which the host reports as 'error' and 'close').
        this.#goawayCode = event.code;
        this.emit("goaway", event.code, event.last, event.data ? toBuffer(event.data) : undefined);
        this.#closed = true;
        return;
      case "ping":
        this.emit("ping", toBuffer(event.payload));
        return;
      case "frameError":
        this.emit("frameError", event.type, event.code, event.id);
        return;
      case "altsvc":
        this.emit("altsvc", event.alt, event.origin, event.stream);
        return;
      case "origin":
        for (const origin of event.origins) this.#originSet?.add(origin);
        this.emit("origin", event.origins);
        return;
      case "error":
        this.#hostError(event.error);
        return;
      case "close":
        this.#finish();
        return;
    }
  }

  /** The host session failed (its socket, a protocol error): Node destroys with that error. */
  #hostError(data: Http2ErrorData): void {
    this.#destroyed = true;
    this.#closed = true;
    this.#stopTimer();
    this.emit("error", rebuildError(data));
  }

  /** The host session is closed: the last streams go, then 'close' (after 'error' if any). */
  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#destroyed = true;
    this.#closed = true;
    this.#connecting = false;
    this.#stopTimer();
    for (const stream of [...this.#streams.values()]) stream.destroy();
    this.#unbind();
    this.emit("close");
  }

  #unbind(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    // The guest's socket object gave its connection away; it closes with the session.
    socket?.destroy();
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  // ---- streams ------------------------------------------------------------------------------

  request(
    headers?: Record<string | symbol, unknown> | unknown[],
    options: Record<string, unknown> = {},
  ): ClientHttp2Stream {
    if (this.#destroyed || this.#closed) {
      // Node hands back a stream that then fails, rather than throwing.
      const error = this.#destroyed
        ? invalidSession()
        : codedError(
            Error,
            "ERR_HTTP2_GOAWAY_SESSION",
            "New streams cannot be created after receiving a GOAWAY",
          );
      const stream = new ClientHttp2Stream(this, 0, Object.create(null), false);
      nextTick(() => stream.destroy(error));
      return stream;
    }
    if (options === null || typeof options !== "object")
      throw invalidArgType("options", "of type object", options);
    this.touch();
    const { plain, sensitive } = splitHeaders(headers);
    const method = methodOf(plain) ?? "GET";
    const endStream =
      options.endStream === undefined
        ? NO_PAYLOAD_METHODS.has(String(method))
        : Boolean(options.endStream);
    const { signal, ...hostOptions } = options;
    const { key, id, sentHeaders } = callSync<{
      key: number;
      id: number | undefined;
      sentHeaders: Array<[string, unknown]>;
    }>("http2.request", this.hostId, plain, sensitive, { ...hostOptions, endStream });
    const stream = new ClientHttp2Stream(
      this,
      key,
      Object.assign(Object.create(null), Object.fromEntries(sentHeaders)),
      endStream,
    );
    this.#streams.set(key, stream);
    // As in Node: on a connected session the stream is ready inside request() (nobody can
    // listen yet); while connecting, it becomes ready right after 'connect'.
    if (id !== undefined) {
      if (this.#connecting) this.#readyOnConnect.push([stream, id]);
      else stream._ready(id);
    }
    if (endStream) stream.end();
    if (signal) {
      const aborter = signal as AbortSignal;
      const abort = (): void => {
        const error = new Error("The operation was aborted") as Error & { code: string };
        error.name = "AbortError";
        error.code = "ABORT_ERR";
        stream.destroy(error);
      };
      if (aborter.aborted) nextTick(abort);
      else {
        aborter.addEventListener("abort", abort, { once: true });
        stream.once("close", () => aborter.removeEventListener("abort", abort));
      }
    }
    return stream;
  }

  streamDone(stream: ClientHttp2Stream): void {
    for (const [key, known] of this.#streams)
      if (known === stream) {
        this.#streams.delete(key);
        break;
      }
  }

  get sessionCode(): number {
    return this.#goawayCode || this.#destroyCode;
  }

  // ---- session control ----------------------------------------------------------------------

  settings(settings: Record<string, unknown> = {}, callback?: SettingsCallback): void {
    if (this.#destroyed) throw invalidSession();
    if (callback !== undefined && typeof callback !== "function")
      throw invalidArgType("callback", "of type function", callback);
    const n = callSync<number>("http2.settings", this.hostId, settings);
    if (callback) this.#settingsCallbacks.set(n, callback);
  }

  ping(payload?: unknown, callback?: unknown): boolean | undefined {
    if (this.#destroyed) throw invalidSession();
    if (typeof payload === "function") {
      callback = payload;
      payload = undefined;
    }
    if (payload !== undefined && !ArrayBuffer.isView(payload))
      throw invalidArgType("payload", "an instance of Buffer, TypedArray, or DataView", payload);
    if (payload !== undefined && (payload as ArrayBufferView).byteLength !== 8)
      throw codedError(RangeError, "ERR_HTTP2_PING_LENGTH", "HTTP2 ping payload must be 8 bytes");
    if (typeof callback !== "function")
      throw invalidArgType("callback", "of type function", callback);
    const view = payload as ArrayBufferView | undefined;
    const bytes = view ? new Uint8Array(view.buffer, view.byteOffset, 8).slice() : null;
    const done = callback as (error: Error | null, duration?: number, payload?: Buffer) => void;
    if (this.#connecting || this.#closed) {
      // Node cancels a ping sent before the session is up or after close().
      nextTick(() =>
        done(codedError(Error, "ERR_HTTP2_PING_CANCEL", "HTTP2 ping cancelled"), undefined),
      );
      return undefined;
    }
    callAsync<{ error: Http2ErrorData | null; ms: number; payload: Uint8Array | null }>(
      "http2.ping",
      [this.hostId, bytes],
      (error, answer) => {
        if (error || !answer) done(error ?? new Error("ping failed"), 0, Buffer.alloc(0));
        else
          done(
            answer.error ? rebuildError(answer.error) : null,
            answer.ms,
            answer.payload ? toBuffer(answer.payload) : Buffer.alloc(0),
          );
      },
    );
    return true;
  }

  goaway(code?: number, lastStreamID?: number, opaqueData?: Uint8Array): void {
    if (this.#destroyed) throw invalidSession();
    callSync("http2.goaway", this.hostId, code, lastStreamID, opaqueData ?? null);
  }

  setLocalWindowSize(size: number): void {
    if (this.#destroyed) throw invalidSession();
    callSync("http2.setLocalWindowSize", this.hostId, size);
  }

  close(callback?: Listener): void {
    if (this.#closed || this.#destroyed) return;
    this.#closed = true;
    if (typeof callback === "function") this.once("close", callback);
    callAsync("http2.close", [this.hostId], ignore);
  }

  destroy(error?: Error | number, code?: number): void {
    if (this.#destroyed) return;
    let err: Error | undefined;
    if (typeof error === "number") {
      code = error;
      err = code !== NGHTTP2_NO_ERROR ? sessionError(code) : undefined;
    } else err = error ?? undefined;
    if (code === undefined && err) code = NGHTTP2_INTERNAL_ERROR;
    this.#destroyCode = code ?? NGHTTP2_NO_ERROR;
    this.#destroyedHere = true;
    this.#destroyed = true;
    this.#closed = true;
    this.#connecting = false;
    this.#stopTimer();
    // As Node's: streams not yet sent are cancelled (with the cause), open ones get the error.
    const streams = [...this.#streams.values()];
    if (streams.length > 0) {
      const cancel = codedError(
        Error,
        "ERR_HTTP2_STREAM_CANCEL",
        `The pending stream has been canceled${err ? ` (caused by: ${err.message})` : ""}`,
      );
      if (err)
        Object.defineProperty(cancel, "cause", { value: err, configurable: true, writable: true });
      for (const stream of streams) stream.destroy(stream.pending ? cancel : err);
    }
    callAsync("http2.destroy", [this.hostId, this.#destroyCode], () => {
      this.#unbind();
      if (err) this.emit("error", err);
      this.emit("close");
    });
  }

  // ---- state --------------------------------------------------------------------------------

  get connecting(): boolean {
    return this.#connecting;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  get encrypted(): boolean | undefined {
    return this.#encrypted;
  }

  get alpnProtocol(): string | false | undefined {
    return this.#alpnProtocol;
  }

  get originSet(): string[] | undefined {
    return this.#originSet ? [...this.#originSet] : undefined;
  }

  get socket(): object {
    this.#proxy ??= socketProxy(
      this,
      () => this.#socket,
      () => this.#addresses,
    );
    return this.#proxy;
  }

  #info(): {
    state: Record<string, unknown>;
    localSettings: Record<string, unknown>;
    remoteSettings: Record<string, unknown>;
    pendingSettingsAck: boolean;
  } {
    return callSync("http2.sessionInfo", this.hostId);
  }

  get state(): Record<string, unknown> {
    return this.#destroyed ? {} : this.#info().state;
  }

  get localSettings(): Record<string, unknown> {
    if (this.#localSettings) return this.#localSettings;
    if (this.#destroyed || this.#connecting) return {};
    return this.#info().localSettings;
  }

  get remoteSettings(): Record<string, unknown> {
    if (this.#remoteSettings) return this.#remoteSettings;
    if (this.#destroyed || this.#connecting) return {};
    return this.#info().remoteSettings;
  }

  get pendingSettingsAck(): boolean {
    return this.#destroyed ? false : this.#info().pendingSettingsAck;
  }

  // ---- liveness and timeouts ----------------------------------------------------------------

  ref(): void {
    if (!this.#release && !this.#destroyed) this.#release = hold();
  }

  unref(): void {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  setTimeout(ms: number, callback?: () => void): this {
    validateTimeoutMsecs(ms);
    this.#timeoutMs = ms;
    if (callback) {
      if (ms === 0) this.removeListener("timeout", callback);
      else this.once("timeout", callback);
    }
    this.touch();
    return this;
  }

  /** Activity: restarts the inactivity timer of setTimeout(). */
  touch(): void {
    this.#stopTimer();
    if (this.#timeoutMs > 0 && !this.#destroyed) {
      const timer = setTimeout(() => this.emit("timeout"), this.#timeoutMs);
      (timer as unknown as { unref?: () => void }).unref?.();
      this.#timer = timer;
    }
  }

  #stopTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
