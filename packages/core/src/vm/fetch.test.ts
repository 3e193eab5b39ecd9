/**
 * vm.fetch: HTTP from the host to servers running inside the VM as kernel processes, written
 * with the network API (`ctx.net`): a raw responder that parses nothing but the request line,
 * and node:http's parser over a ConnectionDuplex for streaming in both directions.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { test } from "node:test";
import type { ProcessContext } from "../kernel/process-context.ts";
import { ConnectionDuplex, connectionIo } from "../net/connection-duplex.ts";
import type { NetworkEvent } from "../net/network-events.ts";
import { AgentOs } from "./agent-os.ts";

const encoder = new TextEncoder();

/** Starts `main` as a process in the VM and waits until `port` listens. */
async function startServer(
  vm: AgentOs,
  name: string,
  port: number,
  main: (ctx: ProcessContext) => Promise<number>,
): Promise<number> {
  const listening = new Promise<void>((resolve) => {
    const off = vm.onNetworkEvent((e) => {
      if (e.type === "listen" && e.port === port) {
        off();
        resolve();
      }
    });
  });
  const pid = await vm.kernel.spawn(1, { argv: [name, String(port)], main });
  await listening;
  return pid;
}

/** Answers every request with its method and path; one request per connection. */
async function rawResponder(ctx: ProcessContext): Promise<number> {
  const listener = await ctx.net.listen({ port: Number(ctx.argv[1]) });
  for (;;) {
    const conn = await ctx.net.accept(listener.listenerId);
    if (!conn) return 0;
    let head = "";
    while (!head.includes("\r\n\r\n")) {
      const chunk = await ctx.net.read(conn.connId);
      if (chunk === null) break;
      head += new TextDecoder().decode(chunk);
    }
    const [method, path] = head.split(" ");
    const body = `${method} ${path} from pid ${ctx.pid}\n`;
    await ctx.net.write(
      conn.connId,
      `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n` +
        `X-Peer: ${conn.remoteAddress}\r\nConnection: close\r\n\r\n${body}`,
    );
    ctx.net.close(conn.connId);
  }
}

/** node:http's server over VM connections: echoes request bodies upper-cased, chunk by chunk. */
async function streamingServer(ctx: ProcessContext): Promise<number> {
  const server = createServer((req, res) => {
    if (req.url === "/status/204") {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/plain", "set-cookie": ["a=1", "b=2"] });
    res.flushHeaders();
    req.on("data", (chunk: Buffer) => res.write(chunk.toString().toUpperCase()));
    req.on("end", () => res.end("<end>"));
  });
  const listener = await ctx.net.listen({ host: "127.0.0.1", port: Number(ctx.argv[1]) });
  for (;;) {
    const conn = await ctx.net.accept(listener.listenerId);
    if (!conn) return 0;
    server.emit("connection", new ConnectionDuplex(connectionIo(ctx.net, conn.connId), conn));
  }
}

test("vm.fetch reaches a guest server by path, URL and Request", async () => {
  const vm = await AgentOs.create();
  try {
    const pid = await startServer(vm, "responder", 3000, rawResponder);
    const r1 = await vm.fetch(3000, "/api?x=1");
    assert.equal(r1.status, 200);
    assert.equal(r1.headers.get("content-type"), "text/plain");
    assert.equal(await r1.text(), `GET /api?x=1 from pid ${pid}\n`);
    assert.equal(r1.headers.get("x-peer"), "::ffff:127.0.0.1");
    const r2 = await vm.fetch(
      3000,
      new Request("http://localhost:3000/thing", { method: "DELETE" }),
    );
    assert.equal(await r2.text(), `DELETE /thing from pid ${pid}\n`);
    const r3 = await vm.fetch(3000, "/p", { method: "PUT", body: "ignored" });
    assert.equal(await r3.text(), `PUT /p from pid ${pid}\n`);
  } finally {
    await vm.dispose();
  }
});

test("vm.fetch streams the request and the response at the same time", async () => {
  const vm = await AgentOs.create();
  try {
    await startServer(vm, "streamer", 8080, streamingServer);
    let push!: (text: string | null) => void;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (text) =>
          text === null ? controller.close() : controller.enqueue(encoder.encode(text));
      },
    });
    push("first ");
    const response = await vm.fetch(
      8080,
      new Request("http://localhost:8080/echo", {
        method: "POST",
        body,
        duplex: "half",
      } as RequestInit),
    );
    assert.equal(response.status, 200);
    assert.deepEqual(response.headers.getSetCookie(), ["a=1", "b=2"]);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    // Each answer arrives before the next part of the request is even written.
    assert.equal(decoder.decode((await reader.read()).value), "FIRST ");
    push("second ");
    assert.equal(decoder.decode((await reader.read()).value), "SECOND ");
    push(null);
    let rest = "";
    for (let r = await reader.read(); !r.done; r = await reader.read())
      rest += decoder.decode(r.value);
    assert.equal(rest, "<end>");
    const empty = await vm.fetch(8080, "/status/204");
    assert.equal(empty.status, 204);
    assert.equal(empty.body, null);
  } finally {
    await vm.dispose();
  }
});

test("vm.fetch streams a 5 MB response body", async () => {
  const vm = await AgentOs.create();
  try {
    await startServer(vm, "big", 9000, async (ctx) => {
      const server = createServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        let sent = 0;
        const pump = (): void => {
          while (sent < 5 * 1024 * 1024) {
            sent += 64 * 1024;
            if (!res.write(Buffer.alloc(64 * 1024, sent & 0xff)))
              return void res.once("drain", pump);
          }
          res.end();
        };
        pump();
      });
      const l = await ctx.net.listen({ port: 9000 });
      for (let c = await ctx.net.accept(l.listenerId); c; c = await ctx.net.accept(l.listenerId))
        server.emit("connection", new ConnectionDuplex(connectionIo(ctx.net, c.connId), c));
      return 0;
    });
    const response = await vm.fetch(9000, "/");
    const data = new Uint8Array(await response.arrayBuffer());
    assert.equal(data.length, 5 * 1024 * 1024);
    assert.equal(data[0], (64 * 1024) & 0xff);
    assert.equal(data.at(-1), (5 * 1024 * 1024) & 0xff);
  } finally {
    await vm.dispose();
  }
});

test("vm.fetch with nothing listening fails clearly; bad arguments are TypeErrors", async () => {
  const vm = await AgentOs.create();
  try {
    await assert.rejects(vm.fetch(3000, "/"), (err: Error & { code?: string }) => {
      assert.equal(
        err.message,
        "fetch: nothing is listening on port 3000 in the VM (ECONNREFUSED)",
      );
      assert.equal(err.code, "ECONNREFUSED");
      return true;
    });
    await assert.rejects(vm.fetch(0, "/"), TypeError);
    await assert.rejects(vm.fetch(3000, "relative" as never), TypeError);
    await assert.rejects(vm.fetch(3000, "https://localhost/"), /only http URLs/);
  } finally {
    await vm.dispose();
  }
  await assert.rejects(vm.fetch(3000, "/"), /disposed/);
});

test("a server's sockets close when its process exits; vm.fetch then reports nothing listening", async () => {
  const vm = await AgentOs.create();
  const events: NetworkEvent[] = [];
  vm.onNetworkEvent((e) => events.push(e));
  try {
    const pid = await startServer(vm, "responder", 3000, rawResponder);
    assert.equal((await vm.fetch(3000, "/")).status, 200);
    vm.kernel.kill(1, pid, 9);
    assert.equal(vm.kernel.net.sockets().filter((s) => s.pid === pid).length, 0);
    await assert.rejects(vm.fetch(3000, "/"), /nothing is listening on port 3000/);
    assert.deepEqual(
      events.filter((e) => e.type !== "connect").map((e) => [e.type, e.pid]),
      [
        ["listen", pid],
        ["unlisten", pid],
      ],
    );
  } finally {
    await vm.dispose();
  }
});

test("a guest process reaches another guest process's server at localhost and 127.0.0.1", async () => {
  const vm = await AgentOs.create();
  try {
    await startServer(vm, "responder", 3000, rawResponder);
    for (const host of ["localhost", "127.0.0.1"]) {
      const result = await new Promise<string>((resolve, reject) => {
        vm.kernel
          .spawn(1, {
            argv: ["client"],
            main: async (ctx) => {
              const conn = await ctx.net.connect({ host, port: 3000 });
              await ctx.net.write(conn.connId, "GET /from-guest HTTP/1.1\r\nHost: x\r\n\r\n");
              let text = "";
              for (let c = await ctx.net.read(conn.connId); c; c = await ctx.net.read(conn.connId))
                text += new TextDecoder().decode(c);
              resolve(text);
              return 0;
            },
          })
          .catch(reject);
      });
      assert.match(result, /^HTTP\/1\.1 200 OK\r\n/);
      assert.match(result, /GET \/from-guest from pid \d+\n$/);
    }
  } finally {
    await vm.dispose();
  }
});

test("AgentOs.create validates the network options", async () => {
  for (const [options, message] of [
    [{ loopbackExemptPorts: [0] }, /loopbackExemptPorts must be an array of port numbers/],
    [{ loopbackExemptPorts: "80" }, /loopbackExemptPorts/],
    [
      { permissions: { network: { allow: ["bad host"] } } },
      /permissions\.network\.allow\[0\]: invalid network rule/,
    ],
    [{ permissions: { network: { deny: ["10.0.0.0/40"] } } }, /permissions\.network\.deny\[0\]/],
    [{ permissions: { network: { onConnect: true } } }, /onConnect must be a function/],
    [{ permissions: { network: { other: 1 } } }, /unknown key "other"/],
  ] as const) {
    await assert.rejects(AgentOs.create(options as never), (err: Error) => {
      assert.ok(err instanceof TypeError);
      assert.match(err.message, /^AgentOs\.create: /);
      assert.match(err.message, message);
      return true;
    });
  }
});
