/**
 * http.IncomingMessage: a request (server side) or response (client side) as a Readable of its
 * body, with Node's header objects. Flow control reaches the socket: when the body's reader
 * stops, the socket is paused, so a slow consumer slows the sender down.
 */
import { Readable } from "readable-stream";
import type { MessageHead } from "./parser.ts";

/** Headers whose repeats Node drops (the first value wins). */
const SINGLE_VALUED = new Set([
  "age",
  "authorization",
  "content-length",
  "content-type",
  "etag",
  "expires",
  "from",
  "host",
  "if-modified-since",
  "if-unmodified-since",
  "last-modified",
  "location",
  "max-forwards",
  "proxy-authorization",
  "referer",
  "retry-after",
  "server",
  "user-agent",
]);

/** Node's `headers` object: lower-case names, repeats joined as _addHeaderLine joins them. */
export function joinHeaders(raw: string[]): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    const value = raw[i + 1];
    const existing = headers[name];
    if (name === "set-cookie") {
      if (existing === undefined) headers[name] = [value];
      else (existing as string[]).push(value);
    } else if (existing === undefined) headers[name] = value;
    else if (SINGLE_VALUED.has(name)) continue;
    else headers[name] = `${existing}${name === "cookie" ? "; " : ", "}${value}`;
  }
  return headers;
}

export function distinctHeaders(raw: string[]): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (headers[name] === undefined) headers[name] = [raw[i + 1]];
    else headers[name].push(raw[i + 1]);
  }
  return headers;
}

interface FlowSocket {
  pause(): unknown;
  resume(): unknown;
  setTimeout(ms: number, cb?: () => void): unknown;
  destroy(error?: Error): unknown;
}

export class IncomingMessage extends Readable {
  socket: FlowSocket | null;
  httpVersionMajor = 1;
  httpVersionMinor = 1;
  httpVersion = "1.1";
  complete = false;
  rawHeaders: string[] = [];
  rawTrailers: string[] = [];
  headers: Record<string, string | string[]> = {};
  trailers: Record<string, string | string[]> = {};
  method: string | null = null;
  url = "";
  statusCode: number | null = null;
  statusMessage: string | null = null;
  aborted = false;
  upgrade = false;
  /** Set while the body source is paused because this stream's buffer is full. */
  #sourcePaused = false;
  #distinct: Record<string, string[]> | undefined;
  #distinctTrailers: Record<string, string[]> | undefined;

  constructor(socket: FlowSocket | null) {
    super({ autoDestroy: true });
    this.socket = socket;
  }

  get connection(): FlowSocket | null {
    return this.socket;
  }

  get headersDistinct(): Record<string, string[]> {
    this.#distinct ??= distinctHeaders(this.rawHeaders);
    return this.#distinct;
  }

  get trailersDistinct(): Record<string, string[]> {
    this.#distinctTrailers ??= distinctHeaders(this.rawTrailers);
    return this.#distinctTrailers;
  }

  /** Fills in the head the parser read. */
  setHead(head: MessageHead): void {
    this.httpVersionMajor = head.versionMajor;
    this.httpVersionMinor = head.versionMinor;
    this.httpVersion = `${head.versionMajor}.${head.versionMinor}`;
    this.rawHeaders = head.rawHeaders;
    this.headers = joinHeaders(head.rawHeaders);
    this.upgrade = head.upgrade;
    if (head.method) {
      this.method = head.method;
      this.url = head.url;
    } else {
      this.statusCode = head.statusCode;
      this.statusMessage = head.statusMessage;
    }
  }

  /** A body chunk from the parser; pauses the socket when the reader falls behind. */
  pushBody(chunk: Uint8Array): void {
    if (!this.push(chunk) && this.socket && !this.#sourcePaused) {
      this.#sourcePaused = true;
      this.socket.pause();
    }
  }

  endBody(rawTrailers: string[]): void {
    this.rawTrailers = rawTrailers;
    this.trailers = joinHeaders(rawTrailers);
    this.complete = true;
    this.push(null);
  }

  override _read(): void {
    if (this.#sourcePaused && this.socket) {
      this.#sourcePaused = false;
      this.socket.resume();
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.readableEnded || !this.complete) this.aborted = true;
    // An unfinished body cannot be skipped on this connection: drop the socket.
    if (!this.complete && this.socket) this.socket.destroy();
    callback(error);
  }

  setTimeout(ms: number, callback?: () => void): this {
    if (callback) this.on("timeout", callback);
    this.socket?.setTimeout(ms);
    return this;
  }

  /** Reads and discards the body (what Node does with a response nobody listens to). */
  _dump(): void {
    this.resume();
  }
}
