/**
 * fetch() for guest JavaScript, on the guest's own http client: so `fetch("http://localhost:3000")`
 * reaches a server in another guest process over the VM's loopback, and anything else goes
 * through the VM's egress policy. Like Node's (undici's): network failures reject with
 * `TypeError: fetch failed` whose `cause` is the socket error, aborts reject with the signal's
 * reason, redirects are followed (at most 20), and the response body is a web ReadableStream
 * with backpressure down to the socket. Responses are not decompressed, so no Accept-Encoding
 * is sent (servers answer uncompressed).
 */
import { Buffer } from "buffer";
import type { IncomingMessage } from "../builtins/http/incoming.ts";
import { loadBuiltin } from "../builtins/registry.ts";
import { Body } from "./body.ts";
import { Headers } from "./headers.ts";
import { Request, type RequestInit } from "./request.ts";
import { Response } from "./response.ts";
import { ReadableStreamClass } from "./web-streams.ts";

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;
// The fetch standard's "bad ports": fetch refuses them before connecting, as undici does.
const BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102,
  103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465,
  512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993,
  995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668,
  6669, 6679, 6697, 10080,
]);

interface HttpModule {
  request(
    url: URL,
    options: object,
    callback: (res: IncomingMessage) => void,
  ): {
    on(event: string, listener: (...args: never[]) => void): unknown;
    write(chunk: Uint8Array, callback?: () => void): boolean;
    end(chunk?: Uint8Array): unknown;
    destroy(error?: Error): unknown;
    once(event: string, listener: () => void): unknown;
  };
}

function fetchFailed(cause: unknown): TypeError {
  return new TypeError("fetch failed", { cause });
}

function abortReason(signal: AbortSignal): unknown {
  if (signal.reason !== undefined) return signal.reason;
  const DomException = (globalThis as { DOMException?: new (m: string, n: string) => Error })
    .DOMException;
  if (DomException) return new DomException("This operation was aborted", "AbortError");
  const error = new Error("This operation was aborted");
  error.name = "AbortError";
  return error;
}

export async function fetch(input: unknown, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const signal = request.signal;
  if (signal.aborted) throw abortReason(signal);
  let url = new URL(request.url);
  let method = request.method;
  let headers = new Headers(request.headers);
  let body = Request.bodyOf(request);
  for (let redirects = 0; ; redirects++) {
    const response = await exchange(url, method, headers, body, signal, redirects > 0);
    const location = response.headers.get("location");
    if (!REDIRECTS.has(response.status) || location === null || request.redirect === "manual")
      return response;
    if (request.redirect === "error") {
      await response.body?.cancel();
      throw fetchFailed(new Error("unexpected redirect"));
    }
    if (redirects + 1 > MAX_REDIRECTS) {
      await response.body?.cancel();
      throw fetchFailed(new Error("redirect count exceeded"));
    }
    await response.body?.cancel();
    const next = new URL(location, url);
    if (
      ((response.status === 301 || response.status === 302) && method === "POST") ||
      (response.status === 303 && method !== "GET" && method !== "HEAD")
    ) {
      method = "GET";
      body = null;
      headers = new Headers(headers);
      for (const name of [
        "content-type",
        "content-length",
        "content-encoding",
        "content-language",
        "content-location",
      ])
        headers.delete(name);
    } else if (body && body.knownBytes === null) {
      throw fetchFailed(new Error("Cannot follow a redirect with a streamed request body"));
    }
    if (next.origin !== url.origin) headers.delete("authorization");
    url = next;
  }
}

function exchange(
  url: URL,
  method: string,
  headers: Headers,
  body: Body | null,
  signal: AbortSignal,
  redirected: boolean,
): Promise<Response> {
  if (url.protocol === "data:") return Promise.resolve(dataUrl(url));
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return Promise.reject(fetchFailed(new Error("unknown scheme")));
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  if (BAD_PORTS.has(port)) return Promise.reject(fetchFailed(new Error("bad port")));
  const http = loadBuiltin(url.protocol === "https:" ? "https" : "http") as HttpModule;
  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    const wire: Array<[string, string]> = [
      ["host", url.host],
      ["connection", "keep-alive"],
    ];
    const given = Headers.raw(headers);
    for (const pair of given) wire.push(pair);
    const has = (name: string): boolean => headers.has(name);
    if (!has("accept")) wire.push(["accept", "*/*"]);
    if (!has("accept-language")) wire.push(["accept-language", "*"]);
    if (!has("sec-fetch-mode")) wire.push(["sec-fetch-mode", "cors"]);
    if (!has("user-agent")) wire.push(["user-agent", "node"]);
    const bytes = body?.knownBytes ?? null;
    if (bytes !== null && !has("content-length"))
      wire.push(["content-length", String(bytes.byteLength)]);
    else if (bytes === null && body === null && (method === "POST" || method === "PUT"))
      wire.push(["content-length", "0"]);
    const flat = wire.flat();
    const req = http.request(url, { method, headers: flat, setHost: false }, (res) => {
      settled = true;
      signal.removeEventListener("abort", onAbort);
      resolve(toResponse(res, url, redirected, signal, method));
    });
    const onAbort = (): void => {
      const reason = abortReason(signal);
      req.destroy(reason instanceof Error ? reason : undefined);
      if (!settled) {
        settled = true;
        reject(reason);
      }
    };
    signal.addEventListener("abort", onAbort, { once: true });
    req.on("error", (error: Error) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      reject(fetchFailed(error));
    });
    if (body === null) req.end();
    else if (bytes !== null) req.end(bytes);
    else {
      const reader = body.stream.getReader();
      body.markUsed();
      const pump = (): void => {
        reader.read().then(
          ({ done, value }) => {
            if (done) req.end();
            else if (req.write(Buffer.from(value.buffer, value.byteOffset, value.byteLength)))
              pump();
            else req.once("drain", pump);
          },
          (error: unknown) => req.destroy(error as Error),
        );
      };
      pump();
    }
  });
}

function toResponse(
  res: IncomingMessage,
  url: URL,
  redirected: boolean,
  signal: AbortSignal,
  method: string,
): Response {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i], raw[i + 1]);
  const RS = ReadableStreamClass();
  const noBody = method === "HEAD" || res.statusCode === 204 || res.statusCode === 304;
  let stream: ReadableStream<Uint8Array> | null = null;
  if (!noBody) {
    stream = new RS<Uint8Array>(
      {
        start(controller) {
          res.on("data", (chunk: Uint8Array) => {
            controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
            if ((controller.desiredSize ?? 1) <= 0) res.pause();
          });
          res.on("end", () => controller.close());
          res.on("error", (error: Error) => controller.error(fetchFailed(error)));
          signal.addEventListener("abort", () => controller.error(abortReason(signal)), {
            once: true,
          });
        },
        pull() {
          res.resume();
        },
        cancel() {
          res.destroy();
        },
      },
      { highWaterMark: 65536, size: (chunk: Uint8Array) => chunk.byteLength } as never,
    );
  } else res.resume();
  return new Response(
    null,
    { status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", headers },
    {
      body: stream ? new Body(stream) : null,
      url: url.href,
      redirected,
      type: "basic",
      immutable: true,
    },
  );
}

function dataUrl(url: URL): Response {
  const text = url.href.slice("data:".length);
  const comma = text.indexOf(",");
  if (comma < 0) throw fetchFailed(new Error("invalid data: URL"));
  const meta = text.slice(0, comma);
  const data = text.slice(comma + 1);
  const base64 = /;base64$/i.test(meta);
  const type = (base64 ? meta.slice(0, -7) : meta) || "text/plain;charset=US-ASCII";
  const bytes = base64
    ? Buffer.from(decodeURIComponent(data), "base64")
    : Buffer.from(decodeURIComponent(data), "latin1");
  return new Response(
    null,
    { status: 200, statusText: "OK", headers: { "content-type": type } },
    {
      body: new Body(bytes),
      url: url.href,
      type: "basic",
      immutable: true,
    },
  );
}
