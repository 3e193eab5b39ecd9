/**
 * The WebSocket global (the browser-style client Node 24 ships from undici), on the guest's own
 * http/https clients: the opening handshake is an HTTP/1.1 Upgrade request through the VM's
 * sockets and egress policy (TLS on the host for wss:), then frames (websocket-frames.ts) flow
 * over the upgraded socket. No extension is offered, so messages are never compressed. Error
 * and state behaviour follow undici's: failures fire 'error' then 'close' with code 1006.
 */
import { Buffer } from "buffer";
import { loadBuiltin } from "../builtins/registry.ts";
import { Event, EventTarget } from "../event-target.ts";
import { callSync } from "../host.ts";
import { nextTick } from "../loop.ts";
import { Blob, blobBytes } from "./blob.ts";
import { DOMException } from "./dom-exception.ts";
import { MessageEvent } from "./message-event.ts";
import { CloseEvent, ErrorEvent } from "./websocket-events.ts";
import {
  closePayload,
  encodeFrame,
  type Frame,
  FrameError,
  FrameParser,
  Opcode,
} from "./websocket-frames.ts";

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/** RFC 6455 token characters (what a subprotocol name may contain). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

interface UpgradeSocket {
  write(data: Uint8Array, callback?: (error?: Error | null) => void): boolean;
  end(): void;
  destroy(error?: Error): void;
  on(event: string, listener: (...args: never[]) => void): unknown;
}

interface HttpResponse {
  statusCode?: number;
  headers: Record<string, string | string[] | undefined>;
  resume(): void;
}

interface HttpRequest {
  on(event: string, listener: (...args: never[]) => void): unknown;
  end(): void;
  destroy(error?: Error): void;
}

type HttpModule = { request(url: URL, options: object): HttpRequest };

/** The URL record the WebSocket constructor accepts (http(s) becomes ws(s)). */
function webSocketUrl(input: unknown): URL {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch (error) {
    throw new DOMException(error, "SyntaxError");
  }
  if (url.protocol === "http:") url.protocol = "ws:";
  else if (url.protocol === "https:") url.protocol = "wss:";
  if (url.protocol !== "ws:" && url.protocol !== "wss:")
    throw new DOMException("expected a ws: or wss: url", "SyntaxError");
  if (url.hash.length > 0 || url.href.endsWith("#")) throw new DOMException("hash", "SyntaxError");
  return url;
}

function randomBytes(count: number): Uint8Array {
  const crypto = (globalThis as { crypto?: { getRandomValues(a: Uint8Array): Uint8Array } }).crypto;
  if (!crypto) throw new Error("agentos: WebSocket needs globalThis.crypto");
  return crypto.getRandomValues(new Uint8Array(count));
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

export class WebSocket extends EventTarget {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSING = CLOSING;
  static readonly CLOSED = CLOSED;

  readonly #url: URL;
  #readyState = CONNECTING;
  #binaryType: "blob" | "arraybuffer" = "blob";
  #protocol = "";
  #bufferedAmount = 0;
  #request: HttpRequest | undefined;
  #socket: UpgradeSocket | undefined;
  readonly #parser = new FrameParser();
  #fragments: { opcode: number; parts: Uint8Array[] } | undefined;
  #sentClose = false;
  #receivedClose: { code: number; reason: string } | undefined;
  #closeFired = false;
  readonly #handlers = new Map<string, { handler: unknown; listener: (event: Event) => void }>();

  constructor(...args: [url?: unknown, protocols?: unknown]) {
    super();
    const [url, protocols = []] = args;
    if (args.length === 0)
      throw new TypeError("WebSocket constructor: 1 argument required, but only 0 present.");
    let list: unknown = protocols;
    let headers: Record<string, string> = {};
    if (protocols && typeof protocols === "object" && !Array.isArray(protocols)) {
      const init = protocols as { protocols?: unknown; headers?: unknown };
      list = init.protocols ?? [];
      if (init.headers && typeof init.headers === "object")
        headers = Object.fromEntries(
          init.headers instanceof Map || Symbol.iterator in (init.headers as object)
            ? [...(init.headers as Iterable<[string, string]>)]
            : Object.entries(init.headers as Record<string, string>),
        );
    }
    this.#url = webSocketUrl(url);
    const names = typeof list === "string" ? [list] : [...(list as Iterable<unknown>)].map(String);
    if (names.length !== new Set(names.map((p) => p.toLowerCase())).size)
      throw new DOMException("Invalid Sec-WebSocket-Protocol value", "SyntaxError");
    if (!names.every((name) => TOKEN.test(name)))
      throw new DOMException("Invalid Sec-WebSocket-Protocol value", "SyntaxError");
    this.#connect(names, headers);
  }

  // ---- the opening handshake ---------------------------------------------------------------

  #connect(protocols: string[], extraHeaders: Record<string, string>): void {
    const secure = this.#url.protocol === "wss:";
    const target = new URL(this.#url.href);
    target.protocol = secure ? "https:" : "http:";
    const key = Buffer.from(randomBytes(16)).toString("base64");
    const headers: Record<string, string> = {
      ...extraHeaders,
      connection: "upgrade",
      upgrade: "websocket",
      "sec-websocket-key": key,
      "sec-websocket-version": "13",
      "user-agent": extraHeaders["user-agent"] ?? "node",
      ...(protocols.length > 0 ? { "sec-websocket-protocol": protocols.join(", ") } : {}),
    };
    let request: HttpRequest;
    try {
      const http = loadBuiltin(secure ? "https" : "http") as HttpModule;
      request = http.request(target, { method: "GET", headers, agent: false });
    } catch (error) {
      nextTick(() => this.#fail(error));
      return;
    }
    this.#request = request;
    request.on("upgrade", (res: HttpResponse, socket: UpgradeSocket, head: Uint8Array) =>
      this.#onUpgrade(res, socket, head, key, protocols),
    );
    request.on("response", (res: HttpResponse) => {
      res.resume();
      this.#fail(new Error("Received network error or non-101 status code."));
    });
    request.on("error", (error: Error) => this.#fail(error));
    request.end();
  }

  #onUpgrade(
    res: HttpResponse,
    socket: UpgradeSocket,
    head: Uint8Array,
    key: string,
    protocols: string[],
  ): void {
    this.#request = undefined;
    this.#socket = socket;
    socket.on("data", (chunk: Uint8Array) => this.#onData(chunk));
    socket.on("close", () => this.#onSocketClose());
    socket.on("error", () => undefined);
    if (this.#readyState !== CONNECTING) {
      socket.destroy();
      return;
    }
    const upgrade = headerValue(res.headers.upgrade)?.toLowerCase();
    const connection = headerValue(res.headers.connection)?.toLowerCase() ?? "";
    const accept = headerValue(res.headers["sec-websocket-accept"]);
    const protocol = headerValue(res.headers["sec-websocket-protocol"]);
    let problem: string | undefined;
    if (res.statusCode !== 101) problem = "Received network error or non-101 status code.";
    else if (upgrade !== "websocket") problem = 'Server did not set Upgrade header to "websocket".';
    else if (!connection.split(",").some((token) => token.trim() === "upgrade"))
      problem = 'Server did not set Connection header to "upgrade".';
    else if (accept !== callSync<string>("net.websocketAccept", key))
      problem = "Incorrect hash received in Sec-WebSocket-Accept header.";
    else if (res.headers["sec-websocket-extensions"] !== undefined)
      problem = "Server sent an extension that was not offered.";
    else if (protocol !== undefined && !protocols.includes(protocol))
      problem = "Protocol was not set in the opening handshake.";
    if (problem) {
      this.#fail(new Error(problem));
      return;
    }
    this.#protocol = protocol ?? "";
    this.#readyState = OPEN;
    this.dispatchEvent(new Event("open"));
    if (head && head.byteLength > 0) this.#onData(head);
  }

  // ---- receiving ----------------------------------------------------------------------------

  #onData(chunk: Uint8Array): void {
    let frames: Frame[];
    try {
      frames = this.#parser.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } catch (error) {
      this.#fail(error, error instanceof FrameError ? error.closeCode : 1002);
      return;
    }
    for (const frame of frames) {
      if (this.#readyState === CLOSED || this.#receivedClose) return;
      try {
        this.#onFrame(frame);
      } catch (error) {
        this.#fail(error, error instanceof FrameError ? error.closeCode : 1002);
        return;
      }
    }
  }

  #onFrame(frame: Frame): void {
    switch (frame.opcode) {
      case Opcode.TEXT:
      case Opcode.BINARY:
        if (this.#fragments) throw new FrameError(1002, "Expected a continuation frame");
        if (frame.fin) this.#deliver(frame.opcode, frame.payload);
        else this.#fragments = { opcode: frame.opcode, parts: [frame.payload] };
        return;
      case Opcode.CONTINUATION: {
        const fragments = this.#fragments;
        if (!fragments) throw new FrameError(1002, "Unexpected continuation frame");
        fragments.parts.push(frame.payload);
        if (frame.fin) {
          this.#fragments = undefined;
          this.#deliver(fragments.opcode, Buffer.concat(fragments.parts));
        }
        return;
      }
      case Opcode.PING:
        if (!this.#sentClose) this.#sendFrame(Opcode.PONG, frame.payload);
        return;
      case Opcode.PONG:
        return;
      case Opcode.CLOSE:
        this.#onClose(frame.payload);
        return;
    }
  }

  #deliver(opcode: number, payload: Uint8Array): void {
    if (this.#readyState !== OPEN) return;
    let data: unknown;
    if (opcode === Opcode.TEXT) {
      try {
        data = new TextDecoder("utf-8", { fatal: true }).decode(payload);
      } catch {
        throw new FrameError(1007, "Invalid utf-8 received.");
      }
    } else if (this.#binaryType === "arraybuffer")
      data = payload.buffer.slice(payload.byteOffset, payload.byteOffset + payload.byteLength);
    else data = new Blob([payload]);
    this.dispatchEvent(new MessageEvent("message", { data, origin: this.#url.origin }));
  }

  #onClose(payload: Uint8Array): void {
    if (payload.byteLength === 1)
      throw new FrameError(1002, "Received close frame with a 1-byte body.");
    let code = 1005;
    let reason = "";
    if (payload.byteLength >= 2) {
      code = (payload[0] << 8) | payload[1];
      const valid =
        (code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) ||
        (code >= 3000 && code <= 4999);
      if (!valid) throw new FrameError(1002, "Invalid close code");
      try {
        reason = new TextDecoder("utf-8", { fatal: true }).decode(payload.subarray(2));
      } catch {
        throw new FrameError(1007, "Invalid UTF-8 in close reason");
      }
    }
    this.#receivedClose = { code, reason };
    if (!this.#sentClose) {
      // Echo the status code, as the RFC suggests; the server then closes the connection.
      this.#sentClose = true;
      this.#sendFrame(Opcode.CLOSE, closePayload(code === 1005 ? null : code, ""));
    }
    this.#readyState = CLOSING;
    this.#socket?.end();
  }

  #onSocketClose(): void {
    const received = this.#receivedClose;
    const wasClean = this.#sentClose && received !== undefined;
    this.#readyState = CLOSED;
    this.#fireClose(wasClean, received?.code ?? 1006, received?.reason ?? "");
  }

  #fireClose(wasClean: boolean, code: number, reason: string): void {
    if (this.#closeFired) return;
    this.#closeFired = true;
    this.#readyState = CLOSED;
    this.dispatchEvent(new CloseEvent("close", { wasClean, code, reason }));
  }

  /** Fails the connection: a close frame with `code` when open, then 'error' and 'close'. */
  #fail(_cause: unknown, code?: number): void {
    if (this.#readyState === CLOSED || this.#closeFired) return;
    const wasOpen = this.#readyState === OPEN;
    this.#readyState = CLOSING;
    if (wasOpen && code !== undefined && !this.#sentClose) {
      this.#sentClose = true;
      this.#sendFrame(Opcode.CLOSE, closePayload(code, ""));
    }
    this.dispatchEvent(new ErrorEvent("error"));
    const request = this.#request;
    this.#request = undefined;
    request?.destroy();
    const socket = this.#socket;
    if (socket) socket.destroy();
    else this.#fireClose(false, 1006, "");
  }

  // ---- sending ------------------------------------------------------------------------------

  #sendFrame(opcode: number, payload: Uint8Array, done?: () => void): void {
    const socket = this.#socket;
    if (!socket) return;
    socket.write(encodeFrame(opcode, payload, randomBytes(4)), () => done?.());
  }

  send(...args: [data?: unknown]): void {
    const [data] = args;
    if (args.length === 0)
      throw new TypeError("WebSocket.send: 1 argument required, but only 0 present.");
    if (this.#readyState === CONNECTING)
      throw new DOMException("Sent before connected.", "InvalidStateError");
    if (this.#readyState !== OPEN || this.#sentClose) return;
    let opcode: number = Opcode.BINARY;
    let bytes: Uint8Array;
    if (data instanceof ArrayBuffer) bytes = new Uint8Array(data.slice(0));
    else if (ArrayBuffer.isView(data))
      bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    else if (data instanceof Blob) bytes = blobBytes(data);
    else {
      opcode = Opcode.TEXT;
      bytes = Buffer.from(String(data));
    }
    const size = bytes.byteLength;
    this.#bufferedAmount += size;
    this.#sendFrame(opcode, bytes, () => {
      this.#bufferedAmount -= size;
    });
  }

  close(code?: unknown, reason?: unknown): void {
    const closeCode =
      code === undefined ? null : Math.min(Math.max(Math.round(Number(code)) || 0, 0), 0xffff);
    const closeReason = reason === undefined ? "" : String(reason);
    if (closeCode !== null && closeCode !== 1000 && (closeCode < 3000 || closeCode > 4999))
      throw new DOMException("invalid code", "InvalidAccessError");
    const reasonBytes = Buffer.byteLength(closeReason);
    if (reasonBytes > 123)
      throw new DOMException(
        `Reason must be less than 123 bytes; received ${reasonBytes}`,
        "SyntaxError",
      );
    if (this.#readyState === CLOSING || this.#readyState === CLOSED) return;
    if (this.#readyState === CONNECTING) {
      this.#fail(new Error("Connection was closed before it was established."));
      return;
    }
    this.#sentClose = true;
    this.#readyState = CLOSING;
    const payload =
      closeCode === null && closeReason === ""
        ? new Uint8Array(0)
        : closePayload(closeCode ?? 1000, closeReason);
    this.#sendFrame(Opcode.CLOSE, payload);
  }

  // ---- attributes ---------------------------------------------------------------------------

  get readyState(): number {
    return this.#readyState;
  }

  get bufferedAmount(): number {
    return this.#bufferedAmount;
  }

  get url(): string {
    return this.#url.href;
  }

  get extensions(): string {
    return "";
  }

  get protocol(): string {
    return this.#protocol;
  }

  get binaryType(): string {
    return this.#binaryType;
  }

  set binaryType(type: string) {
    if (type === "blob" || type === "arraybuffer") this.#binaryType = type;
  }

  get CONNECTING(): number {
    return CONNECTING;
  }

  get OPEN(): number {
    return OPEN;
  }

  get CLOSING(): number {
    return CLOSING;
  }

  get CLOSED(): number {
    return CLOSED;
  }

  #handler(type: string): unknown {
    return this.#handlers.get(type)?.handler ?? null;
  }

  #setHandler(type: string, handler: unknown): void {
    const previous = this.#handlers.get(type);
    if (previous) this.removeEventListener(type, previous.listener);
    this.#handlers.delete(type);
    if (typeof handler !== "function") return;
    const listener = (event: Event): void => {
      (handler as (event: Event) => void).call(this, event);
    };
    this.#handlers.set(type, { handler, listener });
    this.addEventListener(type, listener);
  }

  get onopen(): unknown {
    return this.#handler("open");
  }

  set onopen(handler: unknown) {
    this.#setHandler("open", handler);
  }

  get onmessage(): unknown {
    return this.#handler("message");
  }

  set onmessage(handler: unknown) {
    this.#setHandler("message", handler);
  }

  get onerror(): unknown {
    return this.#handler("error");
  }

  set onerror(handler: unknown) {
    this.#setHandler("error", handler);
  }

  get onclose(): unknown {
    return this.#handler("close");
  }

  set onclose(handler: unknown) {
    this.#setHandler("close", handler);
  }
}
