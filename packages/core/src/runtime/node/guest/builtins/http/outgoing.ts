/**
 * http.OutgoingMessage, the writing half shared by ServerResponse and ClientRequest: header
 * bookkeeping with Node's validation errors, the head with the headers Node adds by itself
 * (Date, Connection, Keep-Alive, Content-Length or Transfer-Encoding: chunked, in Node's
 * order), chunked framing, and output buffered until a socket is assigned.
 */
import { Buffer } from "buffer";
import { Stream } from "readable-stream";
import { codedError, invalidArgType } from "../../errors.ts";
import { nextTick } from "../../loop.ts";

const TOKEN = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/;
const INVALID_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

export function validateHeaderName(name: unknown, label = "Header name"): void {
  if (typeof name !== "string" || !name || !TOKEN.test(name))
    throw codedError(
      TypeError,
      "ERR_INVALID_HTTP_TOKEN",
      `${label} must be a valid HTTP token ["${String(name)}"]`,
    );
}

export function validateHeaderValue(name: string, value: unknown): void {
  if (value === undefined)
    throw codedError(
      TypeError,
      "ERR_HTTP_INVALID_HEADER_VALUE",
      `Invalid value "${String(value)}" for header "${name}"`,
    );
  const values = Array.isArray(value) ? value : [value];
  for (const item of values) {
    if (INVALID_VALUE_CHAR.test(String(item)))
      throw codedError(
        TypeError,
        "ERR_INVALID_CHAR",
        `Invalid character in header content ["${name}"]`,
      );
  }
}

export interface OutputSocket {
  write(data: Uint8Array, callback?: (error?: Error | null) => void): boolean;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  removeListener(event: string, listener: (...args: unknown[]) => void): unknown;
  destroy(error?: Error): unknown;
  setTimeout(ms: number, callback?: () => void): unknown;
  destroyed: boolean;
  writableLength: number;
  cork(): void;
  uncork(): void;
}

type HeaderValue = string | number | string[];

export class OutgoingMessage extends Stream {
  socket: OutputSocket | null = null;
  /** The rendered head, once decided. */
  _header: string | null = null;
  chunkedEncoding = false;
  useChunkedEncodingByDefault = true;
  sendDate = false;
  shouldKeepAlive = true;
  /** A message after which the connection closes (Connection: close was sent). */
  _last = false;
  _hasBody = true;
  _contentLength: number | null = null;
  /** Keep-Alive: timeout=N sent by servers; 0 leaves it out. */
  _keepAliveTimeout = 0;
  finished = false;
  strictContentLength = false;
  destroyed = false;
  readonly #headers = new Map<string, [string, HeaderValue]>();
  #trailer = "";
  #pending: Array<{ data: Uint8Array; callback?: (error?: Error | null) => void }> = [];
  #headWritten = false;
  #wroteBody = false;
  #finishEmitted = false;
  #needDrain = false;
  #onDrain = (): void => {
    if (this.#needDrain) {
      this.#needDrain = false;
      this.emit("drain");
    }
  };

  get headersSent(): boolean {
    return this._header !== null;
  }

  get writableEnded(): boolean {
    return this.finished;
  }

  get writableFinished(): boolean {
    return this.#finishEmitted;
  }

  get writableLength(): number {
    return (
      this.#pending.reduce((n, p) => n + p.data.byteLength, 0) + (this.socket?.writableLength ?? 0)
    );
  }

  get writableHighWaterMark(): number {
    return 16 * 1024;
  }

  get writableObjectMode(): boolean {
    return false;
  }

  get writableCorked(): number {
    return 0;
  }

  get writableNeedDrain(): boolean {
    return this.#needDrain;
  }

  get writable(): boolean {
    return !this.finished && !this.destroyed;
  }

  get connection(): OutputSocket | null {
    return this.socket;
  }

  // ---- headers ------------------------------------------------------------------------------

  setHeader(name: string, value: HeaderValue): this {
    if (this._header !== null)
      throw codedError(
        Error,
        "ERR_HTTP_HEADERS_SENT",
        "Cannot set headers after they are sent to the client",
      );
    validateHeaderName(name);
    validateHeaderValue(name, value);
    this.#headers.set(name.toLowerCase(), [name, value]);
    return this;
  }

  setHeaders(headers: Headers | Map<string, HeaderValue>): this {
    if (!headers || typeof (headers as Map<string, HeaderValue>).forEach !== "function")
      throw invalidArgType("headers", "an instance of Headers or Map", headers);
    (headers as Map<string, HeaderValue>).forEach((value, name) => {
      this.setHeader(name, value);
    });
    return this;
  }

  appendHeader(name: string, value: HeaderValue): this {
    if (this._header !== null)
      throw codedError(
        Error,
        "ERR_HTTP_HEADERS_SENT",
        "Cannot append headers after they are sent to the client",
      );
    validateHeaderName(name);
    validateHeaderValue(name, value);
    const key = name.toLowerCase();
    const existing = this.#headers.get(key);
    if (!existing) this.#headers.set(key, [name, value]);
    else {
      const before = Array.isArray(existing[1]) ? existing[1] : [String(existing[1])];
      const added = Array.isArray(value) ? value : [String(value)];
      existing[1] = [...before, ...added];
    }
    return this;
  }

  getHeader(name: string): HeaderValue | undefined {
    if (typeof name !== "string") throw invalidArgType("name", "of type string", name);
    return this.#headers.get(name.toLowerCase())?.[1];
  }

  getHeaders(): Record<string, HeaderValue> {
    const out = Object.create(null) as Record<string, HeaderValue>;
    for (const [key, [, value]] of this.#headers) out[key] = value;
    return out;
  }

  getHeaderNames(): string[] {
    return [...this.#headers.keys()];
  }

  getRawHeaderNames(): string[] {
    return [...this.#headers.values()].map(([name]) => name);
  }

  hasHeader(name: string): boolean {
    if (typeof name !== "string") throw invalidArgType("name", "of type string", name);
    return this.#headers.has(name.toLowerCase());
  }

  removeHeader(name: string): void {
    if (typeof name !== "string") throw invalidArgType("name", "of type string", name);
    if (this._header !== null)
      throw codedError(
        Error,
        "ERR_HTTP_HEADERS_SENT",
        "Cannot remove headers after they are sent to the client",
      );
    this.#headers.delete(name.toLowerCase());
  }

  addTrailers(headers: Record<string, string> | Array<[string, string]>): void {
    const entries = Array.isArray(headers) ? headers : Object.entries(headers);
    for (const [name, value] of entries) {
      validateHeaderName(name, "Trailer name");
      validateHeaderValue(name, value);
      this.#trailer += `${name}: ${value}\r\n`;
    }
  }

  /** The head: first line, stored headers, then what Node adds (see _storeHeader in Node). */
  _storeHeader(firstLine: string, extra?: Array<[string, HeaderValue]>): void {
    const headers = new Map(this.#headers);
    for (const [name, value] of extra ?? []) headers.set(name.toLowerCase(), [name, value]);
    let head = firstLine;
    let hasDate = false;
    let hasConnection = false;
    let hasLength = false;
    let hasTe = false;
    let hasTrailer = false;
    for (const [key, [name, value]] of headers) {
      const values = Array.isArray(value) ? value : [value];
      for (const item of values) head += `${name}: ${item}\r\n`;
      const text = String(Array.isArray(value) ? value.join(",") : value).toLowerCase();
      if (key === "date") hasDate = true;
      else if (key === "connection") {
        hasConnection = true;
        if (text.includes("close")) this._last = true;
        else this.shouldKeepAlive = true;
      } else if (key === "content-length") hasLength = true;
      else if (key === "transfer-encoding") {
        hasTe = true;
        if (/(?:^|\W)chunked(?:$|\W)/.test(text)) this.chunkedEncoding = true;
      } else if (key === "trailer") hasTrailer = true;
    }
    if (!hasDate && this.sendDate) head += `Date: ${new Date().toUTCString()}\r\n`;
    if (!hasConnection) {
      const keepAlive =
        this.shouldKeepAlive &&
        (hasLength || this.useChunkedEncodingByDefault || this.#usesAgent());
      if (keepAlive) {
        head += "Connection: keep-alive\r\n";
        if (this._keepAliveTimeout > 0)
          head += `Keep-Alive: timeout=${Math.floor(this._keepAliveTimeout / 1000)}\r\n`;
      } else {
        this._last = true;
        head += "Connection: close\r\n";
      }
    }
    if (!hasLength && !hasTe) {
      if (!this._hasBody) this.chunkedEncoding = false;
      else if (!this.useChunkedEncodingByDefault) this._last = true;
      else if (!hasTrailer && this._contentLength !== null)
        head += `Content-Length: ${this._contentLength}\r\n`;
      else {
        head += "Transfer-Encoding: chunked\r\n";
        this.chunkedEncoding = true;
      }
    }
    this._header = `${head}\r\n`;
  }

  /** ClientRequest says whether it goes through an agent (which keeps connections). */
  #usesAgent(): boolean {
    return Boolean((this as unknown as { agent?: unknown }).agent);
  }

  /** Decides the head from what is known so far (subclasses: writeHead or the request line). */
  _implicitHeader(): void {
    throw new Error("_implicitHeader() is not implemented");
  }

  flushHeaders(): void {
    if (this._header === null) this._implicitHeader();
    this.#send(new Uint8Array(0));
  }

  // ---- body ---------------------------------------------------------------------------------

  write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    if (typeof encoding === "function") {
      callback = encoding;
      encoding = undefined;
    }
    const cb = callback as ((error?: Error | null) => void) | undefined;
    if (this.finished) {
      const error = codedError(Error, "ERR_STREAM_WRITE_AFTER_END", "write after end");
      nextTick(() => {
        cb?.(error);
        this.emit("error", error);
      });
      return true;
    }
    if (this.destroyed) {
      const error = codedError(
        Error,
        "ERR_STREAM_DESTROYED",
        "Cannot call write after a stream was destroyed",
      );
      nextTick(() => cb?.(error));
      return false;
    }
    const data = toBytes(chunk, encoding as string | undefined, "chunk");
    if (this._header === null) this._implicitHeader();
    this.#wroteBody = true;
    if (!this._hasBody) {
      if (cb) nextTick(() => cb());
      return true;
    }
    if (data.byteLength === 0) {
      if (cb) nextTick(() => cb());
      return true;
    }
    if (this.chunkedEncoding) {
      return this.#send(
        Buffer.concat([
          Buffer.from(`${data.byteLength.toString(16)}\r\n`, "latin1"),
          data,
          Buffer.from("\r\n", "latin1"),
        ]),
        cb,
      );
    }
    return this.#send(data, cb);
  }

  end(chunk?: unknown, encoding?: unknown, callback?: unknown): this {
    if (typeof chunk === "function") {
      callback = chunk;
      chunk = undefined;
    } else if (typeof encoding === "function") {
      callback = encoding;
      encoding = undefined;
    }
    const cb = callback as (() => void) | undefined;
    if (this.finished) {
      if (cb) this.once("finish", cb);
      return this;
    }
    if (chunk !== undefined && chunk !== null) {
      const data = toBytes(chunk, encoding as string | undefined, "chunk");
      if (this._header === null && !this.#wroteBody) this._contentLength = data.byteLength;
      this.write(data);
    } else if (this._header === null) this._contentLength = 0;
    if (this._header === null) this._implicitHeader();
    if (cb) this.once("finish", cb);
    this.finished = true;
    const last =
      this.chunkedEncoding && this._hasBody
        ? Buffer.from(`0\r\n${this.#trailer}\r\n`, "latin1")
        : new Uint8Array(0);
    this.#send(last, () => this.#emitFinish());
    return this;
  }

  #emitFinish(): void {
    if (this.#finishEmitted) return;
    this.#finishEmitted = true;
    this.emit("prefinish");
    this.emit("finish");
    this._onFinish();
  }

  /** Subclasses react to the last byte reaching the socket (next response, free socket). */
  _onFinish(): void {}

  /** Writes (head first), or queues until a socket is assigned. */
  #send(data: Uint8Array, callback?: (error?: Error | null) => void): boolean {
    let out = data;
    if (!this.#headWritten && this._header !== null) {
      this.#headWritten = true;
      out = Buffer.concat([Buffer.from(this._header, "latin1"), data]);
    }
    const socket = this.socket;
    if (!socket || this.#pending.length > 0 || !this._socketReady()) {
      this.#pending.push({ data: out, callback });
      return false;
    }
    if (out.byteLength === 0) {
      // Nothing to put on the wire: answer once earlier writes are out.
      socket.write(new Uint8Array(0), callback);
      return true;
    }
    const ok = socket.write(out, callback);
    if (!ok) this.#needDrain = true;
    return ok;
  }

  /** Whether the assigned socket may carry this message's bytes yet (pipelined responses wait). */
  _socketReady(): boolean {
    return true;
  }

  /** Gives the message its socket and writes what was waiting. */
  _attachSocket(socket: OutputSocket): void {
    this.socket = socket;
    socket.on("drain", this.#onDrain);
    this._flushPending();
  }

  _flushPending(): void {
    const socket = this.socket;
    if (!socket || !this._socketReady()) return;
    const pending = this.#pending;
    this.#pending = [];
    if (pending.length === 0) return;
    socket.cork();
    let ok = true;
    for (const entry of pending) ok = socket.write(entry.data, entry.callback);
    socket.uncork();
    if (!ok) this.#needDrain = true;
    else if (this.#needDrain) nextTick(this.#onDrain);
  }

  _detachSocket(socket: OutputSocket): void {
    socket.removeListener("drain", this.#onDrain);
    if (this.socket === socket) this.socket = null;
  }

  setTimeout(ms: number, callback?: () => void): this {
    if (callback) this.on("timeout", callback);
    if (this.socket) this.socket.setTimeout(ms);
    else this.once("socket", (socket: OutputSocket) => socket.setTimeout(ms));
    return this;
  }

  destroy(error?: Error): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    if (this.socket) this.socket.destroy(error);
    else
      this.once("socket", (socket: OutputSocket) => {
        socket.destroy(error);
      });
    return this;
  }

  cork(): void {
    this.socket?.cork();
  }

  uncork(): void {
    this.socket?.uncork();
  }
}

export function toBytes(chunk: unknown, encoding: string | undefined, name: string): Uint8Array {
  if (typeof chunk === "string") return Buffer.from(chunk, (encoding ?? "utf8") as BufferEncoding);
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk))
    return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw invalidArgType(name, "of type string or an instance of Buffer or Uint8Array", chunk);
}
