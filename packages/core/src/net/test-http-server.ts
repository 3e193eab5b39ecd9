/**
 * Test helper (not public API): a node:http server on the host's 127.0.0.1 with the routes
 * the curl/wget tests use, so the same requests can be made by the host's tools and by the
 * VM's (through loopbackExemptPorts), and their answers compared.
 */
import { createServer, type Server } from "node:http";

export interface TestHttpServer {
  port: number;
  url: (path: string) => string;
  close: () => Promise<void>;
}

/**
 * Routes: /hello (text), /echo (method, path, chosen headers and body as JSON), /status/N,
 * /redirect/N (N redirects, then /hello), /loop (redirects to itself), /slow (answers after
 * 5 s), /bytes/N (N bytes with a length), /see-other (303 to /echo).
 */
export async function startTestHttpServer(): Promise<TestHttpServer> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = url.pathname;
      if (path === "/hello") {
        res.writeHead(200, { "Content-Type": "text/plain", "X-Test": "yes" });
        res.end("hello, world\n");
      } else if (path === "/echo") {
        const headers: Record<string, string> = {};
        for (const name of [
          "content-type",
          "content-length",
          "x-custom",
          "authorization",
          "referer",
          "accept",
        ]) {
          const value = req.headers[name];
          if (typeof value === "string") headers[name] = value;
        }
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(
          `${JSON.stringify({ method: req.method, url: req.url, headers, body: Buffer.concat(chunks).toString() })}\n`,
        );
      } else if (path.startsWith("/status/")) {
        const code = Number(path.slice(8));
        res.writeHead(code, { "Content-Type": "text/plain" });
        res.end(`status ${code}\n`);
      } else if (path.startsWith("/redirect/")) {
        const n = Number(path.slice(10));
        res.writeHead(302, { Location: n > 1 ? `/redirect/${n - 1}` : "/hello" });
        res.end("redirecting\n");
      } else if (path === "/see-other") {
        res.writeHead(303, { Location: "/echo" });
        res.end();
      } else if (path === "/loop") {
        res.writeHead(302, { Location: "/loop" });
        res.end();
      } else if (path === "/slow") {
        const timer = setTimeout(() => res.end("late\n"), 5000);
        res.on("close", () => clearTimeout(timer));
      } else if (path.startsWith("/bytes/")) {
        const n = Number(path.slice(7));
        const body = Buffer.alloc(n);
        for (let i = 0; i < n; i++) body[i] = 97 + (i % 26);
        res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": n });
        res.end(body);
      } else {
        res.writeHead(404, { "Content-Type": "text/plain" });
        res.end("not found\n");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
