/**
 * An incremental HTTP/1.1 message parser (requests for servers, responses for clients): heads,
 * Content-Length, chunked and read-until-close bodies, trailers, pipelining, upgrades.
 *
 * Our own rather than `http-parser-js`: that package is written against the legacy
 * `process.binding('http_parser')` callback interface and requires node:assert at load time,
 * which the guest bundle cannot resolve; the framing rules below are small and spelled out by
 * RFC 9112, and this parser hands heads and body chunks straight to the guest's streams.
 * Errors carry llhttp's codes (HPE_*), as Node's parser reports them.
 */
import { Buffer } from "buffer";

export interface MessageHead {
  versionMajor: number;
  versionMinor: number;
  /** Requests. */
  method: string;
  url: string;
  /** Responses. */
  statusCode: number;
  statusMessage: string;
  /** name, value, name, value, ... as received. */
  rawHeaders: string[];
  shouldKeepAlive: boolean;
  /** An Upgrade request/101 response or CONNECT: the bytes after the head are not HTTP. */
  upgrade: boolean;
}

export interface ParserHandlers {
  onHead(head: MessageHead): void;
  onBody(chunk: Buffer): void;
  onEnd(rawTrailers: string[]): void;
}

export class ParseError extends Error {
  readonly code: string;
  readonly reason: string;
  bytesParsed = 0;
  rawPacket: Buffer | undefined;

  constructor(code: string, reason: string) {
    super(`Parse Error: ${reason}`);
    this.code = code;
    this.reason = reason;
  }
}

type State =
  | "head"
  | "fixed"
  | "chunk-size"
  | "chunk-data"
  | "chunk-end"
  | "trailers"
  | "until-close"
  | "upgraded"
  | "dead";

/** Node's default --max-http-header-size. */
export const MAX_HEADER_BYTES = 16 * 1024;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const CRLF = Buffer.from("\r\n");
const HEAD_END = Buffer.from("\r\n\r\n");

export class HttpParser {
  readonly kind: "request" | "response";
  readonly #handlers: ParserHandlers;
  #state: State = "head";
  #pending: Buffer = Buffer.alloc(0);
  #remaining = 0;
  #keepAlive = false;
  /** The client sets this before each response to a HEAD request (no body follows). */
  expectNoBody = false;
  /** Upgrade bytes left over once a head switched protocols. */
  upgradeHead: Buffer | undefined;

  constructor(kind: "request" | "response", handlers: ParserHandlers) {
    this.kind = kind;
    this.#handlers = handlers;
  }

  get upgraded(): boolean {
    return this.#state === "upgraded";
  }

  /** Whether a message is partly received (its head or body not complete). */
  get midMessage(): boolean {
    return this.#state !== "head" || this.#pending.length > 0;
  }

  /** Feeds bytes; throws ParseError on malformed input (the connection is then unusable). */
  execute(data: Buffer): void {
    if (this.#state === "dead") return;
    if (this.#state === "upgraded") {
      this.upgradeHead = Buffer.concat([this.upgradeHead ?? Buffer.alloc(0), data]);
      return;
    }
    this.#pending = this.#pending.length === 0 ? data : Buffer.concat([this.#pending, data]);
    try {
      this.#run();
    } catch (error) {
      this.#state = "dead";
      if (error instanceof ParseError) error.rawPacket = data;
      throw error;
    }
  }

  /** The peer closed: a read-until-close body ends here; a cut message is an error. */
  finish(): void {
    if (this.#state === "until-close") {
      this.#state = "dead";
      this.#handlers.onEnd([]);
      return;
    }
    if (this.#state === "head" && this.#pending.length === 0) return;
    if (this.#state === "upgraded" || this.#state === "dead") return;
    this.#state = "dead";
    throw new ParseError("HPE_INVALID_EOF_STATE", "Invalid EOF state");
  }

  #run(): void {
    while (this.#pending.length > 0) {
      switch (this.#state) {
        case "head":
          if (!this.#parseHead()) return;
          break;
        case "fixed": {
          const take = Math.min(this.#remaining, this.#pending.length);
          const chunk = this.#pending.subarray(0, take);
          this.#pending = this.#pending.subarray(take);
          this.#remaining -= take;
          this.#handlers.onBody(chunk);
          if (this.#remaining === 0) this.#messageDone([]);
          break;
        }
        case "chunk-size": {
          const end = this.#pending.indexOf(CRLF);
          if (end < 0) {
            if (this.#pending.length > 1024)
              throw new ParseError("HPE_INVALID_CHUNK_SIZE", "Invalid character in chunk size");
            return;
          }
          const line = this.#pending.subarray(0, end).toString("latin1");
          const sizeText = line.split(";")[0].trim();
          if (!/^[0-9a-fA-F]+$/.test(sizeText))
            throw new ParseError("HPE_INVALID_CHUNK_SIZE", "Invalid character in chunk size");
          this.#remaining = Number.parseInt(sizeText, 16);
          this.#pending = this.#pending.subarray(end + 2);
          this.#state = this.#remaining === 0 ? "trailers" : "chunk-data";
          break;
        }
        case "chunk-data": {
          const take = Math.min(this.#remaining, this.#pending.length);
          const chunk = this.#pending.subarray(0, take);
          this.#pending = this.#pending.subarray(take);
          this.#remaining -= take;
          if (chunk.length > 0) this.#handlers.onBody(chunk);
          if (this.#remaining === 0) this.#state = "chunk-end";
          break;
        }
        case "chunk-end":
          if (this.#pending.length < 2) return;
          if (this.#pending[0] !== 13 || this.#pending[1] !== 10)
            throw new ParseError("HPE_STRICT", "Expected LF after chunk data");
          this.#pending = this.#pending.subarray(2);
          this.#state = "chunk-size";
          break;
        case "trailers": {
          if (this.#pending.length >= 2 && this.#pending[0] === 13 && this.#pending[1] === 10) {
            this.#pending = this.#pending.subarray(2);
            this.#messageDone([]);
            break;
          }
          const end = this.#pending.indexOf(HEAD_END);
          if (end < 0) {
            if (this.#pending.length > MAX_HEADER_BYTES)
              throw new ParseError("HPE_HEADER_OVERFLOW", "Header overflow");
            return;
          }
          const lines = this.#pending.subarray(0, end).toString("latin1").split("\r\n");
          this.#pending = this.#pending.subarray(end + 4);
          this.#messageDone(parseHeaderLines(lines));
          break;
        }
        case "until-close": {
          const chunk = this.#pending;
          this.#pending = Buffer.alloc(0);
          this.#handlers.onBody(chunk);
          break;
        }
        case "upgraded":
          this.upgradeHead = this.#pending;
          this.#pending = Buffer.alloc(0);
          return;
        case "dead":
          return;
      }
    }
  }

  #messageDone(rawTrailers: string[]): void {
    this.#state = this.#keepAlive ? "head" : "dead";
    if (!this.#keepAlive) this.#pending = Buffer.alloc(0);
    this.#handlers.onEnd(rawTrailers);
  }

  /** Parses one head if it is complete; false when more bytes are needed. */
  #parseHead(): boolean {
    // Tolerate empty lines before a request (RFC 9112 2.2).
    while (this.#pending.length >= 2 && this.#pending[0] === 13 && this.#pending[1] === 10)
      this.#pending = this.#pending.subarray(2);
    const end = this.#pending.indexOf(HEAD_END);
    if (end < 0) {
      if (this.#pending.length > MAX_HEADER_BYTES)
        throw new ParseError("HPE_HEADER_OVERFLOW", "Header overflow");
      return false;
    }
    if (end > MAX_HEADER_BYTES) throw new ParseError("HPE_HEADER_OVERFLOW", "Header overflow");
    const lines = this.#pending.subarray(0, end).toString("latin1").split("\r\n");
    this.#pending = this.#pending.subarray(end + 4);
    const head = this.kind === "request" ? parseRequestLine(lines[0]) : parseStatusLine(lines[0]);
    head.rawHeaders = parseHeaderLines(lines.slice(1));
    this.#frame(head);
    return true;
  }

  /** Decides how the body is delimited (RFC 9112 section 6.3) and hands the head on. */
  #frame(head: MessageHead): void {
    let contentLength: number | undefined;
    let chunked = false;
    let connection = "";
    let hasUpgrade = false;
    const raw = head.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i].toLowerCase();
      const value = raw[i + 1];
      if (name === "content-length") {
        if (!/^\d+$/.test(value.trim()))
          throw new ParseError("HPE_INVALID_CONTENT_LENGTH", "Invalid character in Content-Length");
        const length = Number(value.trim());
        if (contentLength !== undefined && contentLength !== length)
          throw new ParseError("HPE_UNEXPECTED_CONTENT_LENGTH", "Duplicate Content-Length");
        contentLength = length;
      } else if (name === "transfer-encoding") {
        const codings = value
          .toLowerCase()
          .split(",")
          .map((s) => s.trim());
        chunked = codings[codings.length - 1] === "chunked";
      } else if (name === "connection") connection += `${value.toLowerCase()},`;
      else if (name === "upgrade") hasUpgrade = true;
    }
    if (chunked && contentLength !== undefined)
      throw new ParseError(
        "HPE_UNEXPECTED_CONTENT_LENGTH",
        "Content-Length can't be present with Transfer-Encoding",
      );
    const tokens = connection.split(",").map((s) => s.trim());
    const http11 = head.versionMajor === 1 && head.versionMinor >= 1;
    head.shouldKeepAlive = http11 ? !tokens.includes("close") : tokens.includes("keep-alive");
    const isRequest = this.kind === "request";
    const informational = !isRequest && head.statusCode >= 100 && head.statusCode < 200;
    head.upgrade = isRequest
      ? head.method === "CONNECT" || (hasUpgrade && tokens.includes("upgrade"))
      : head.statusCode === 101;
    this.#keepAlive = head.shouldKeepAlive;
    if (head.upgrade) {
      this.#state = "upgraded";
      this.upgradeHead = this.#pending;
      this.#pending = Buffer.alloc(0);
      this.#handlers.onHead(head);
      return;
    }
    if (informational) {
      // 1xx: another head follows on the same connection.
      this.#handlers.onHead(head);
      this.#state = "head";
      return;
    }
    const noBody =
      (!isRequest && (this.expectNoBody || head.statusCode === 204 || head.statusCode === 304)) ||
      (isRequest && !chunked && contentLength === undefined);
    this.#handlers.onHead(head);
    if (noBody) {
      this.#keepAlive = head.shouldKeepAlive;
      this.#messageDone([]);
    } else if (chunked) this.#state = "chunk-size";
    else if (contentLength !== undefined) {
      this.#remaining = contentLength;
      if (contentLength === 0) this.#messageDone([]);
      else this.#state = "fixed";
    } else {
      // A response without a length runs until the server closes the connection.
      head.shouldKeepAlive = false;
      this.#keepAlive = false;
      this.#state = "until-close";
    }
  }
}

function emptyHead(): MessageHead {
  return {
    versionMajor: 1,
    versionMinor: 1,
    method: "",
    url: "",
    statusCode: 0,
    statusMessage: "",
    rawHeaders: [],
    shouldKeepAlive: false,
    upgrade: false,
  };
}

function parseVersion(text: string, head: MessageHead): boolean {
  const match = /^HTTP\/(\d)\.(\d)$/.exec(text);
  if (!match) return false;
  head.versionMajor = Number(match[1]);
  head.versionMinor = Number(match[2]);
  return true;
}

function parseRequestLine(line: string): MessageHead {
  const head = emptyHead();
  const parts = line.split(" ");
  if (parts.length !== 3 || !TOKEN.test(parts[0]))
    throw new ParseError("HPE_INVALID_METHOD", "Invalid method encountered");
  if (parts[1] === "" || /[\0-\x1f\x7f]/.test(parts[1]))
    throw new ParseError("HPE_INVALID_URL", "Invalid URL");
  if (!parseVersion(parts[2], head))
    throw new ParseError("HPE_INVALID_VERSION", "Invalid HTTP version");
  head.method = parts[0];
  head.url = parts[1];
  return head;
}

function parseStatusLine(line: string): MessageHead {
  const head = emptyHead();
  const match = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/.exec(line);
  if (!match || !parseVersion(match[1], head))
    throw new ParseError("HPE_INVALID_CONSTANT", "Expected HTTP/");
  head.statusCode = Number(match[2]);
  head.statusMessage = match[3] ?? "";
  return head;
}

function parseHeaderLines(lines: string[]): string[] {
  const raw: string[] = [];
  for (const line of lines) {
    if (line === "") continue;
    const colon = line.indexOf(":");
    if (colon <= 0) throw new ParseError("HPE_INVALID_HEADER_TOKEN", "Invalid header token");
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) throw new ParseError("HPE_INVALID_HEADER_TOKEN", "Invalid header token");
    raw.push(name, line.slice(colon + 1).trim());
  }
  return raw;
}
