/**
 * One HTTP/2 client session run by the host's node:http2 for guest JavaScript. The guest's
 * ClientHttp2Session mirrors it: what happens here (settings, responses, data, trailers, resets,
 * goaway, errors, close) becomes a queue of plain events, in the order Node emitted them, that
 * the guest pulls in batches (`next`). Stream data is flow-controlled by the guest: it pauses
 * and resumes the host stream as its own buffer fills and drains, so a slow guest reader holds
 * back the server through HTTP/2's window, not through host memory.
 */
import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  connect,
  constants,
  type IncomingHttpHeaders,
  sensitiveHeaders,
} from "node:http2";
import { HTTP2_SESSION_OPTIONS } from "../http2-session-options.ts";
import { PendingConnection } from "./http2-transport.ts";

/** An error as the guest rebuilds it (Node's own fields, no host stack). */
export interface Http2ErrorData {
  message: string;
  name: string;
  code?: string;
  errno?: number;
  syscall?: string;
  address?: string;
  port?: number;
}

/** Headers as plain data: the entries in order, plus the names marked sensitive. */
export interface HeadersData {
  entries: Array<[string, unknown]>;
  sensitive: string[];
}

export type Http2Event =
  | { t: "connect" }
  | { t: "localSettings" | "remoteSettings"; settings: Record<string, unknown> }
  | { t: "settingsAck"; n: number; error: Http2ErrorData | null; settings: unknown; ms: number }
  | { t: "goaway"; code: number; last: number; data: Uint8Array | null }
  | { t: "ping"; payload: Uint8Array }
  | { t: "frameError"; s: number; type: number; code: number; id: number }
  | { t: "altsvc"; alt: string; origin: string; stream: number }
  | { t: "origin"; origins: string[] }
  | { t: "error"; error: Http2ErrorData }
  | { t: "close" }
  | { t: "ready"; s: number; id: number }
  | {
      t: "response" | "headers" | "trailers";
      s: number;
      headers: HeadersData;
      flags: number;
      raw: string[];
    }
  | { t: "data"; s: number; chunk: Uint8Array }
  | { t: "end" | "wantTrailers"; s: number }
  | { t: "streamClose"; s: number; rstCode: number; error: Http2ErrorData | null };

export function errorData(error: unknown): Http2ErrorData {
  const err = error as Error & Record<string, unknown>;
  const data: Http2ErrorData = {
    message: String(err?.message ?? error),
    name: typeof err?.name === "string" ? err.name : "Error",
  };
  for (const key of ["code", "syscall", "address"] as const)
    if (typeof err?.[key] === "string") data[key] = err[key] as string;
  for (const key of ["errno", "port"] as const)
    if (typeof err?.[key] === "number") data[key] = err[key] as number;
  return data;
}

function headersData(headers: IncomingHttpHeaders): HeadersData {
  const marked = (headers as Record<symbol, unknown>)[sensitiveHeaders];
  return {
    entries: Object.entries(headers),
    sensitive: Array.isArray(marked) ? marked.map(String) : [],
  };
}

/** Rebuilds headers the guest sent, with its sensitive names under Node's symbol. */
export function hostHeaders(data: unknown, sensitive: unknown): Record<string | symbol, unknown> {
  if (Array.isArray(data)) return data as never;
  const headers: Record<string | symbol, unknown> = { ...(data as object) };
  if (Array.isArray(sensitive) && sensitive.length > 0) headers[sensitiveHeaders] = sensitive;
  return headers;
}

function bytes(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength).slice();
}

export class Http2Client {
  readonly session: ClientHttp2Session;
  readonly connection: PendingConnection;
  #events: Http2Event[] = [];
  #waiter: (() => void) | undefined;
  #closed = false;
  #streams = new Map<number, ClientHttp2Stream>();
  #nextStream = 1;
  #nextSettings = 1;

  constructor(authority: unknown, options: Record<string, unknown>, encrypted: boolean) {
    this.connection = new PendingConnection(encrypted, encrypted ? "h2" : false);
    const passed: Record<string, unknown> = {};
    for (const key of HTTP2_SESSION_OPTIONS)
      if (options[key] !== undefined) passed[key] = options[key];
    this.session = connect(authority as string, {
      ...passed,
      createConnection: () => this.connection.duplex,
    });
    this.#watchSession();
  }

  #push(event: Http2Event): void {
    this.#events.push(event);
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.();
  }

  /** The events since the last call (waits for one); null once the session closed. */
  async next(): Promise<Http2Event[] | null> {
    while (this.#events.length === 0) {
      if (this.#closed) return null;
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
      });
    }
    return this.#events.splice(0);
  }

  get closed(): boolean {
    return this.#closed;
  }

  #watchSession(): void {
    const session = this.session;
    session.on("connect", () => this.#push({ t: "connect" }));
    session.on("localSettings", (settings) =>
      this.#push({ t: "localSettings", settings: { ...settings } }),
    );
    session.on("remoteSettings", (settings) =>
      this.#push({ t: "remoteSettings", settings: { ...settings } }),
    );
    // Over a JS transport a GOAWAY often arrives in one read with the frames before it, and
    // Node emits it at once, ahead of the streams' end and close (next ticks). Queued after
    // those, the guest sees what a client reading frame by frame sees: the last response ends
    // first.
    session.on("goaway", (code, last, data) => {
      const event: Http2Event = { t: "goaway", code, last, data: data ? bytes(data) : null };
      setImmediate(() => this.#push(event));
    });
    session.on("ping", (payload: Buffer) => this.#push({ t: "ping", payload: bytes(payload) }));
    session.on("frameError", (type, code, id) =>
      this.#push({ t: "frameError", s: 0, type, code, id }),
    );
    session.on("altsvc", (alt, origin, stream) => this.#push({ t: "altsvc", alt, origin, stream }));
    session.on("origin", (origins) => this.#push({ t: "origin", origins: [...origins] }));
    // Server push is not offered to the guest: a pushed stream is refused at once.
    session.on("stream", (pushed: ClientHttp2Stream) =>
      pushed.close(constants.NGHTTP2_REFUSED_STREAM),
    );
    session.on("error", (error) => this.#push({ t: "error", error: errorData(error) }));
    // A tick late, as its streams' 'close' events are (see #watchStream): they come first.
    session.on("close", () =>
      process.nextTick(() => {
        this.#closed = true;
        this.#push({ t: "close" });
      }),
    );
  }

  /** Starts a request; throws Node's own validation errors. */
  request(
    headers: unknown,
    sensitive: unknown,
    options: Record<string, unknown>,
  ): { key: number; id: number | undefined; sentHeaders: Array<[string, unknown]> } {
    const stream = this.session.request(hostHeaders(headers, sensitive) as never, {
      endStream: Boolean(options.endStream),
      waitForTrailers: Boolean(options.waitForTrailers),
      ...(options.exclusive !== undefined ? { exclusive: Boolean(options.exclusive) } : {}),
      ...(options.parent !== undefined ? { parent: options.parent as number } : {}),
      ...(options.weight !== undefined ? { weight: options.weight as number } : {}),
    });
    const key = this.#nextStream++;
    this.#streams.set(key, stream);
    this.#watchStream(key, stream);
    // The session is set up at once over its pending connection, so the stream normally has
    // its id already ('ready' was emitted inside request()); the guest decides when it shows.
    return { key, id: stream.id, sentHeaders: Object.entries(stream.sentHeaders) };
  }

  #watchStream(s: number, stream: ClientHttp2Stream): void {
    if (stream.id === undefined)
      stream.once("ready", () => this.#push({ t: "ready", s, id: stream.id as number }));
    for (const t of ["response", "headers", "trailers"] as const)
      stream.on(t, (headers: IncomingHttpHeaders, flags: number, raw?: string[]) =>
        this.#push({ t, s, headers: headersData(headers), flags, raw: raw ? [...raw] : [] }),
      );
    // node:http2 emits 'response' and 'trailers' on the next tick but pushes data at once;
    // over a JS transport both land in one task, so data is queued a tick later too, to keep
    // Node's order (headers, then data, then trailers) for the guest.
    stream.on("data", (chunk: Buffer) => {
      const event: Http2Event = { t: "data", s, chunk: bytes(chunk) };
      process.nextTick(() => this.#push(event));
    });
    // 'end' and 'close' follow the same tick, or a resumed stream's last data (queued a tick
    // late) would reach the guest after them.
    stream.on("end", () => process.nextTick(() => this.#push({ t: "end", s })));
    stream.on("wantTrailers", () => this.#push({ t: "wantTrailers", s }));
    stream.on("frameError", (type: number, code: number, id: number) =>
      this.#push({ t: "frameError", s, type, code, id }),
    );
    let failure: Http2ErrorData | null = null;
    stream.on("error", (error) => {
      failure = errorData(error);
    });
    stream.on("close", () => {
      this.#streams.delete(s);
      const event: Http2Event = {
        t: "streamClose",
        s,
        rstCode: stream.rstCode ?? 0,
        error: failure,
      };
      process.nextTick(() => this.#push(event));
    });
  }

  stream(key: number): ClientHttp2Stream | undefined {
    return this.#streams.get(key);
  }

  /** Resolves once the host stream took the bytes (its write callback); a gone stream drops them. */
  write(key: number, data: Uint8Array): Promise<void> {
    const stream = this.#streams.get(key);
    if (!stream || stream.destroyed || stream.writableEnded) return Promise.resolve();
    return new Promise((resolve) => stream.write(data, () => resolve()));
  }

  end(key: number): Promise<void> {
    const stream = this.#streams.get(key);
    if (!stream || stream.destroyed || stream.writableEnded) return Promise.resolve();
    return new Promise((resolve) => {
      stream.once("close", resolve);
      stream.end(() => resolve());
    });
  }

  /** settings() with Node's validation; the acknowledgement comes back as an event. */
  settings(settings: Record<string, unknown>): number {
    const n = this.#nextSettings++;
    this.session.settings(settings as never, (error, acked, ms) =>
      this.#push({
        t: "settingsAck",
        n,
        error: error ? errorData(error) : null,
        settings: acked ? { ...acked } : null,
        ms,
      }),
    );
    return n;
  }

  ping(
    payload: Uint8Array | null,
  ): Promise<{ error: Http2ErrorData | null; ms: number; payload: Uint8Array | null }> {
    return new Promise((resolve) => {
      const answer = (error: Error | null, ms: number, echoed: Buffer): void =>
        resolve({
          error: error ? errorData(error) : null,
          ms,
          payload: echoed ? bytes(echoed) : null,
        });
      const sent = payload
        ? this.session.ping(Buffer.from(payload), answer)
        : this.session.ping(answer);
      if (!sent)
        resolve({
          error: { name: "Error", code: "ERR_HTTP2_PING_CANCEL", message: "HTTP2 ping cancelled" },
          ms: 0,
          payload: null,
        });
    });
  }

  /** Resolves once the host session closed (its socket too). */
  destroy(code: number): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.session.once("close", () => resolve());
      this.session.destroy(undefined, code);
      // node:http2 closes its socket once the write in flight is done; before the guest
      // attached a connection that write waits for it, so the transport goes first.
      this.connection.duplex.destroy();
    });
  }
}
