/**
 * `vm.fetch(port, request)`: an HTTP request from the host to a server listening inside the
 * VM, answered as a standard Response. node:http's client does the HTTP/1.1 work over a
 * Duplex on a loopback connection of the VM, so request and response bodies stream in both
 * directions with the connection's backpressure; nothing touches a host port.
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { ConnectionDuplex, connectionIo } from "./connection-duplex.ts";
import type { NetworkStack } from "./network-stack.ts";

/** The owner of host-side connections (no guest process: pid 0). */
export const HOST_PID = 0;

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * Builds the Request: a path ("/api?x=1") is taken relative to http://localhost:PORT; a
 * full http URL or a Request keeps its path, query, method, headers and body.
 */
export function toRequest(port: number, input: unknown, init?: RequestInit): Request {
  if (input instanceof Request) return init ? new Request(input, init) : input;
  if (typeof input === "string" && input.startsWith("/"))
    return new Request(`http://localhost:${port}${input}`, init);
  if (typeof input === "string" || input instanceof URL) {
    const url = new URL(String(input));
    if (url.protocol !== "http:")
      throw new TypeError(`fetch: only http URLs reach a VM server, got ${url.protocol}`);
    return new Request(url, init);
  }
  throw new TypeError("fetch: request must be a Request, a URL or a path starting with '/'");
}

export async function fetchFromHost(
  stack: NetworkStack,
  port: number,
  request: Request,
): Promise<Response> {
  if (!stack.isListening(port)) {
    throw Object.assign(
      new Error(`fetch: nothing is listening on port ${port} in the VM (ECONNREFUSED)`),
      { code: "ECONNREFUSED", port },
    );
  }
  request.signal.throwIfAborted();
  const info = stack.connectLoopback(HOST_PID, port);
  const socket = new ConnectionDuplex(connectionIo(stack, info.connId), info);
  const url = new URL(request.url);
  const headers: [string, string][] = [];
  for (const [name, value] of request.headers) headers.push([name, value]);
  if (!request.headers.has("host")) headers.unshift(["Host", url.host]);
  const hasBody = request.body !== null;
  if (hasBody && !request.headers.has("content-length"))
    headers.push(["Transfer-Encoding", "chunked"]);

  return new Promise<Response>((resolve, reject) => {
    const req = httpRequest({
      method: request.method,
      path: `${url.pathname}${url.search}`,
      headers: headers.flat(),
      createConnection: () => socket,
      setHost: false,
    });
    const onAbort = (): void => {
      req.destroy(request.signal.reason);
    };
    request.signal.addEventListener("abort", onAbort, { once: true });
    req.on("error", (err) => {
      request.signal.removeEventListener("abort", onAbort);
      socket.destroy();
      reject(
        request.signal.aborted
          ? request.signal.reason
          : Object.assign(new Error(`fetch: request to VM port ${port} failed: ${err.message}`), {
              cause: err,
            }),
      );
    });
    req.on("upgrade", (res: IncomingMessage) => {
      res.destroy();
      socket.destroy();
      reject(new Error(`fetch: the VM server on port ${port} switched protocols (not supported)`));
    });
    req.on("response", (res: IncomingMessage) => {
      res.on("end", () => request.signal.removeEventListener("abort", onAbort));
      const responseHeaders = new Headers();
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2)
        responseHeaders.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
      const status = res.statusCode ?? 502;
      const noBody = request.method === "HEAD" || NULL_BODY_STATUSES.has(status);
      if (noBody) res.resume();
      let response: Response;
      try {
        response = new Response(
          noBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>),
          {
            status,
            statusText: res.statusMessage ?? "",
            headers: responseHeaders,
          },
        );
      } catch (err) {
        res.destroy();
        reject(
          new Error(
            `fetch: the VM server answered an invalid status ${status}: ${(err as Error).message}`,
          ),
        );
        return;
      }
      Object.defineProperty(response, "url", { value: request.url });
      resolve(response);
    });
    if (hasBody) {
      const body = Readable.fromWeb(request.body as import("node:stream/web").ReadableStream);
      body.on("error", (err) => req.destroy(err));
      body.pipe(req);
    } else {
      req.end();
    }
  });
}
