/**
 * http2's ClientHttp2Stream: a Duplex mirroring one stream of the host session. Responses,
 * data, trailers and the stream's close arrive as events from the session (client-session.ts);
 * writes, end, close(code) and the reset of a destroyed stream go to the host. The closing rules
 * (which rstCode, 'aborted', which error) are Node's closeStream/_destroy, run here on this
 * stream's own state so they fire synchronously, as in Node.
 */
import { Duplex } from "readable-stream";
import { codedError, invalidArgType } from "../../errors.ts";
import { callAsync, callSync } from "../../host.ts";
import { validateTimeoutMsecs } from "../net/socket.ts";
import {
  type Http2Event,
  NGHTTP2_CANCEL,
  NGHTTP2_INTERNAL_ERROR,
  NGHTTP2_NO_ERROR,
  rebuildError,
  rebuildHeaders,
  splitHeaders,
  streamError,
  toBuffer,
} from "./wire.ts";

/** What a stream needs of its session. */
export interface StreamOwner {
  readonly hostId: number;
  /** goawayCode || destroyCode, as Node's _destroy reads it. */
  readonly sessionCode: number;
  touch(): void;
  streamDone(stream: ClientHttp2Stream): void;
}

const NGHTTP2_FLAG_END_STREAM = 0x1;
const MAX_CODE = 2 ** 32 - 1;

function ignore(): void {}

export class ClientHttp2Stream extends Duplex {
  readonly session: StreamOwner;
  id: number | undefined = undefined;
  rstCode = NGHTTP2_NO_ERROR;
  sentHeaders: Record<string, unknown>;
  sentTrailers: Record<string, unknown> | undefined = undefined;
  sentInfoHeaders: unknown[] | undefined = undefined;
  endAfterHeaders = false;
  readonly #key: number;
  #closed = false;
  #aborted = false;
  #hostClosed = false;
  #endStream: boolean;
  #hostPaused = false;
  #timeoutMs = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    owner: StreamOwner,
    key: number,
    sentHeaders: Record<string, unknown>,
    endStream: boolean,
  ) {
    super({ allowHalfOpen: true, autoDestroy: false });
    this.session = owner;
    this.#key = key;
    // Key 0: a stream the session never sent (requested after close or destroy).
    this.#hostClosed = key === 0;
    this.sentHeaders = sentHeaders;
    this.#endStream = endStream;
    this.on("finish", () => this.#maybeDestroy());
  }

  /** Node's `closed` for an Http2Stream: RST sent or received (see the accessor below). */
  get streamClosed(): boolean {
    return this.#closed;
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get pending(): boolean {
    return this.id === undefined;
  }

  get bufferSize(): number {
    return this.writableLength;
  }

  get state(): Record<string, unknown> {
    if (this.destroyed || this.#hostClosed) return {};
    return callSync("http2.streamState", this.session.hostId, this.#key);
  }

  // ---- events from the host session --------------------------------------------------------

  _ready(id: number): void {
    if (this.id !== undefined || this.destroyed) return;
    this.id = id;
    this.emit("ready");
  }

  _event(event: Http2Event): void {
    if (this.destroyed) return;
    this.#touch();
    switch (event.t) {
      case "ready":
        this._ready(event.id);
        return;
      case "response":
        if (event.flags & NGHTTP2_FLAG_END_STREAM) this.endAfterHeaders = true;
        this.emit("response", rebuildHeaders(event.headers), event.flags, event.raw);
        return;
      case "headers":
        this.emit("headers", rebuildHeaders(event.headers), event.flags, event.raw);
        return;
      case "trailers":
        this.emit("trailers", rebuildHeaders(event.headers), event.flags, event.raw);
        return;
      case "data":
        if (!this.push(toBuffer(event.chunk)) && !this.#hostPaused) {
          // Our buffer is full: hold the host stream, so HTTP/2 flow control holds the peer.
          this.#hostPaused = true;
          callAsync("http2.pause", [this.session.hostId, this.#key], ignore);
        }
        return;
      case "end":
        this.push(null);
        return;
      case "wantTrailers":
        this.emit("wantTrailers");
        return;
      case "frameError":
        this.emit("frameError", event.type, event.code, event.id);
        return;
      case "streamClose":
        this.#hostClosed = true;
        this.#onHostClose(event.rstCode, event.error ? rebuildError(event.error) : null);
        return;
    }
  }

  /** Node's onStreamClose: a clean close waits for the readable side to end. */
  #onHostClose(code: number, error: Error | null): void {
    if (!this.#closed) this.#closeLocally(code);
    this.rstCode = code;
    if (error) {
      this.destroy(error);
      return;
    }
    if (this.readableEnded || code !== NGHTTP2_NO_ERROR) {
      this.destroy();
      return;
    }
    this.on("end", () => this.#maybeDestroy());
    this.push(null);
    this.read(0);
  }

  #maybeDestroy(): void {
    if (this.#closed && this.writableFinished && this.readableEnded && !this.destroyed)
      this.destroy();
  }

  override _read(): void {
    if (this.#hostPaused) {
      this.#hostPaused = false;
      callAsync("http2.resume", [this.session.hostId, this.#key], ignore);
    }
  }

  // ---- writing ------------------------------------------------------------------------------

  override _write(
    chunk: Uint8Array,
    _encoding: string,
    callback: (error?: Error | null) => void,
  ): void {
    this.#touch();
    const bytes =
      chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength
        ? chunk
        : chunk.slice();
    callAsync("http2.write", [this.session.hostId, this.#key, bytes], (error) => callback(error));
  }

  override _final(callback: (error?: Error | null) => void): void {
    // As Node's: a pending stream ends once it is ready. The end follows the writes on the host
    // (ops run in order) and 'finish' does not wait for the round trip.
    if (this.pending && !this.#hostClosed && !this.destroyed) {
      this.once("ready", () => this._final(callback));
      return;
    }
    // endStream requests were ended by the host with their headers.
    if (!this.#endStream && !this.#hostClosed)
      callAsync("http2.end", [this.session.hostId, this.#key], ignore);
    callback();
  }

  sendTrailers(headers: Record<string | symbol, unknown>): void {
    if (this.destroyed || this.#closed)
      throw codedError(Error, "ERR_HTTP2_INVALID_STREAM", "The stream has been destroyed");
    const { plain, sensitive } = splitHeaders(headers);
    callSync("http2.sendTrailers", this.session.hostId, this.#key, plain, sensitive);
    this.sentTrailers = Object.assign(Object.create(null), plain);
  }

  priority(_options?: unknown): void {
    // RFC 9113 deprecated stream priorities; Node 24 accepts the call and nghttp2 ignores it.
  }

  // ---- closing ------------------------------------------------------------------------------

  close(code: number = NGHTTP2_NO_ERROR, callback?: () => void): void {
    if (typeof code !== "number") throw invalidArgType("code", "of type number", code);
    if (!Number.isInteger(code) || code < 0 || code > MAX_CODE)
      throw codedError(
        RangeError,
        "ERR_OUT_OF_RANGE",
        `The value of "code" is out of range. It must be >= 0 && <= ${MAX_CODE}. Received ${code}`,
      );
    if (callback !== undefined && typeof callback !== "function")
      throw invalidArgType("callback", "of type function", callback);
    if (this.#closed) return;
    if (callback) this.once("close", callback);
    this.#closeLocally(code);
    this.#reset(code);
  }

  /** Node's closeStream on this side: closed, the code, 'aborted' if still writable, end(). */
  #closeLocally(code: number): void {
    this.#closed = true;
    this.rstCode = code;
    this.setTimeout(0);
    this.removeAllListeners("timeout");
    if (!this.writableEnded) {
      if (!this.#aborted) {
        this.#aborted = true;
        this.emit("aborted");
      }
      this.end();
    }
  }

  #reset(code: number): void {
    if (!this.#hostClosed)
      callAsync("http2.closeStream", [this.session.hostId, this.#key, code], ignore);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    let err = error;
    // A stream that already closed cleanly has no error to report, even if its session failed.
    if (this.#closed && this.rstCode === NGHTTP2_NO_ERROR) err = null;
    const sessionCode = this.session.sessionCode;
    let code = this.#closed ? this.rstCode : sessionCode;
    if (err) code = sessionCode || NGHTTP2_INTERNAL_ERROR;
    if (!this.#closed) {
      this.#closeLocally(code);
      this.#reset(code);
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.session.streamDone(this);
    if (!err && code !== NGHTTP2_NO_ERROR && code !== NGHTTP2_CANCEL) err = streamError(code);
    callback(err);
  }

  // ---- timeouts -----------------------------------------------------------------------------

  setTimeout(ms: number, callback?: () => void): this {
    validateTimeoutMsecs(ms);
    this.#timeoutMs = ms;
    if (callback) {
      if (ms === 0) this.removeListener("timeout", callback);
      else this.once("timeout", callback);
    }
    this.#touch();
    return this;
  }

  #touch(): void {
    this.session.touch();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#timeoutMs > 0 && !this.destroyed) {
      const timer = setTimeout(() => this.emit("timeout"), this.#timeoutMs);
      (timer as unknown as { unref?: () => void }).unref?.();
      this.#timer = timer;
    }
  }
}

// Duplex declares `closed` as a field; Http2Stream redefines it as the stream's closed state.
Object.defineProperty(ClientHttp2Stream.prototype, "closed", {
  configurable: true,
  enumerable: false,
  get(this: ClientHttp2Stream) {
    return this.streamClosed;
  },
});
