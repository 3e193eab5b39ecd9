/** The VM's loopback: listen, connect, echo, half-close, backpressure, limits and lifetime. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { isNetworkError } from "./network-error.ts";
import { NetworkStack } from "./network-stack.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const SERVER = 10;
const CLIENT = 11;

async function readAll(stack: NetworkStack, connId: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for (;;) {
    const chunk = await stack.read(connId);
    if (chunk === null) break;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A server that echoes every connection until EOF, then closes it. */
function echoServer(stack: NetworkStack, listenerId: number): Promise<void> {
  return (async () => {
    for (;;) {
      const conn = await stack.accept(listenerId);
      if (!conn) return;
      void (async () => {
        for (;;) {
          const chunk = await stack.read(conn.connId);
          if (chunk === null) break;
          await stack.write(conn.connId, chunk);
        }
        stack.close(conn.connId);
      })();
    }
  })();
}

test("listen/connect/echo on 127.0.0.1, localhost and a dual-stack listener", async () => {
  const stack = new NetworkStack();
  const listener = await stack.listen(SERVER, { port: 3000 });
  assert.deepEqual(
    { address: listener.address, port: listener.port, family: listener.family },
    { address: "::", port: 3000, family: "IPv6" },
  );
  const served = echoServer(stack, listener.listenerId);
  for (const host of ["127.0.0.1", "localhost", "::1", "127.0.0.2", "0.0.0.0"]) {
    const conn = await stack.connect(CLIENT, { host, port: 3000 });
    assert.equal(conn.remotePort, 3000);
    assert.ok(conn.localPort >= 32768 && conn.localPort <= 60999);
    await stack.write(conn.connId, encoder.encode(`hello ${host}`));
    stack.shutdown(conn.connId);
    assert.equal(decoder.decode(await readAll(stack, conn.connId)), `hello ${host}`);
    stack.close(conn.connId);
  }
  stack.closeListener(listener.listenerId);
  await served;
});

test("the server sees the client's address; a dual-stack server sees IPv4 as mapped IPv6", async () => {
  const stack = new NetworkStack();
  const dual = await stack.listen(SERVER, { port: 4000 });
  const client = await stack.connect(CLIENT, { host: "127.0.0.1", port: 4000 });
  const server = (await stack.accept(dual.listenerId))!;
  assert.equal(client.family, "IPv4");
  assert.equal(server.remoteAddress, "::ffff:127.0.0.1");
  assert.equal(server.remotePort, client.localPort);
  assert.equal(server.family, "IPv6");
  const v4 = await stack.listen(SERVER, { host: "127.0.0.1", port: 4001 });
  const c2 = await stack.connect(CLIENT, { host: "localhost", port: 4001 });
  const s2 = (await stack.accept(v4.listenerId))!;
  assert.deepEqual(
    [s2.remoteAddress, s2.family, c2.remoteAddress],
    ["127.0.0.1", "IPv4", "127.0.0.1"],
  );
  stack.shutdownAll();
});

test("EADDRINUSE for overlapping binds, as Linux with dual-stack sockets", async () => {
  const stack = new NetworkStack();
  await stack.listen(SERVER, { port: 3000 });
  await assert.rejects(stack.listen(CLIENT, { port: 3000 }), (err: unknown) => {
    assert.ok(isNetworkError(err, "EADDRINUSE"));
    assert.equal(err.message, "listen EADDRINUSE: address already in use :::3000");
    assert.equal(err.errno, -98);
    assert.equal(err.syscall, "listen");
    assert.equal(err.port, 3000);
    return true;
  });
  await assert.rejects(stack.listen(CLIENT, { host: "127.0.0.1", port: 3000 }), /EADDRINUSE/);
  // Distinct specific addresses share a port; 0.0.0.0 then overlaps every IPv4 one.
  await stack.listen(SERVER, { host: "127.0.0.1", port: 5000 });
  await stack.listen(SERVER, { host: "::1", port: 5000 });
  await stack.listen(SERVER, { host: "127.0.0.2", port: 5000 });
  await assert.rejects(stack.listen(SERVER, { host: "0.0.0.0", port: 5000 }), /EADDRINUSE/);
  await assert.rejects(stack.listen(SERVER, { host: "10.1.2.3", port: 5000 }), (err: unknown) =>
    isNetworkError(err, "EADDRNOTAVAIL"),
  );
  stack.shutdownAll();
});

test("closing a listener frees its port and ends pending accepts with null", async () => {
  const stack = new NetworkStack();
  const a = await stack.listen(SERVER, { host: "127.0.0.1", port: 3000 });
  const pending = stack.accept(a.listenerId);
  stack.closeListener(a.listenerId);
  assert.equal(await pending, null);
  const b = await stack.listen(SERVER, { host: "127.0.0.1", port: 3000 });
  assert.equal(b.port, 3000);
  stack.shutdownAll();
});

test("port 0 picks a free ephemeral port", async () => {
  const stack = new NetworkStack();
  const a = await stack.listen(SERVER, { port: 0 });
  const b = await stack.listen(SERVER, { port: 0 });
  assert.ok(a.port >= 32768 && b.port >= 32768);
  assert.notEqual(a.port, b.port);
  stack.shutdownAll();
});

test("ECONNREFUSED when nothing listens, in Node's shape", async () => {
  const stack = new NetworkStack();
  await assert.rejects(stack.connect(CLIENT, { host: "127.0.0.1", port: 3999 }), (err: unknown) => {
    assert.ok(isNetworkError(err, "ECONNREFUSED"));
    assert.match(err.message, /^connect ECONNREFUSED 127\.0\.0\.1:3999\b/);
    assert.equal(err.errno, -111);
    assert.equal(err.address, "127.0.0.1");
    assert.equal(err.port, 3999);
    return true;
  });
  // A listener on ::1 only is not reached through 127.0.0.1, but is through localhost.
  const v6 = await stack.listen(SERVER, { host: "::1", port: 3998 });
  await assert.rejects(stack.connect(CLIENT, { host: "127.0.0.1", port: 3998 }), /ECONNREFUSED/);
  const conn = await stack.connect(CLIENT, { host: "localhost", port: 3998 });
  assert.equal(conn.remoteAddress, "::1");
  stack.closeListener(v6.listenerId);
  stack.shutdownAll();
});

test("half-close: the server reads EOF and can still answer", async () => {
  const stack = new NetworkStack();
  const l = await stack.listen(SERVER, { port: 3000 });
  const client = await stack.connect(CLIENT, { port: 3000 });
  const server = (await stack.accept(l.listenerId))!;
  await stack.write(client.connId, encoder.encode("question"));
  stack.shutdown(client.connId);
  assert.equal(decoder.decode(await readAll(stack, server.connId)), "question");
  await stack.write(server.connId, encoder.encode("answer"));
  stack.close(server.connId);
  assert.equal(decoder.decode(await readAll(stack, client.connId)), "answer");
  // Writing after shutdown fails; writing to a peer that closed fails with EPIPE.
  await assert.rejects(stack.write(client.connId, encoder.encode("x")), /EPIPE/);
  stack.close(client.connId);
  await assert.rejects(stack.read(client.connId), /EBADF/);
  stack.shutdownAll();
});

test("closing one end: the peer reads EOF and its writes fail with EPIPE", async () => {
  const stack = new NetworkStack();
  const l = await stack.listen(SERVER, { port: 3000 });
  const client = await stack.connect(CLIENT, { port: 3000 });
  const server = (await stack.accept(l.listenerId))!;
  const pendingRead = stack.read(server.connId);
  stack.close(client.connId);
  assert.equal(await pendingRead, null);
  await assert.rejects(stack.write(server.connId, encoder.encode("late")), (err: unknown) =>
    isNetworkError(err, "EPIPE"),
  );
  stack.shutdownAll();
});

test("backpressure: a 5 MB transfer through a bounded buffer arrives intact", async () => {
  const stack = new NetworkStack({ socketBufferBytes: 64 * 1024 });
  const l = await stack.listen(SERVER, { port: 3000 });
  const client = await stack.connect(CLIENT, { port: 3000 });
  const server = (await stack.accept(l.listenerId))!;
  const payload = new Uint8Array(5 * 1024 * 1024);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 31 + (i >> 13)) & 0xff;
  // Nobody reads yet: a write larger than the buffer must wait, not complete.
  let written = false;
  const writing = stack.write(client.connId, payload).then(() => {
    written = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(written, false);
  const received = readAll(stack, server.connId);
  await writing;
  stack.shutdown(client.connId);
  const data = await received;
  assert.equal(data.length, payload.length);
  assert.ok(Buffer.from(data).equals(Buffer.from(payload)));
  stack.shutdownAll();
});

test("50 concurrent connections echo their own data", async () => {
  const stack = new NetworkStack();
  const l = await stack.listen(SERVER, { port: 8080 });
  const served = echoServer(stack, l.listenerId);
  const results = await Promise.all(
    Array.from({ length: 50 }, async (_, i) => {
      const conn = await stack.connect(CLIENT + i, { host: "127.0.0.1", port: 8080 });
      const message = `client ${i} `.repeat(1000);
      const reply = readAll(stack, conn.connId);
      await stack.write(conn.connId, encoder.encode(message));
      stack.shutdown(conn.connId);
      const text = decoder.decode(await reply);
      stack.close(conn.connId);
      return text === message;
    }),
  );
  assert.ok(results.every(Boolean));
  stack.closeListener(l.listenerId);
  await served;
});

test("the socket limit answers EMFILE", async () => {
  const stack = new NetworkStack({ maxSockets: 3 });
  const l = await stack.listen(SERVER, { port: 3000 });
  await stack.connect(CLIENT, { port: 3000 });
  await stack.accept(l.listenerId);
  await assert.rejects(stack.connect(CLIENT, { port: 3000 }), /EMFILE/);
  stack.shutdownAll();
});

test("releaseProcess closes what the process owned, and nothing else", async () => {
  const stack = new NetworkStack();
  const l = await stack.listen(SERVER, { port: 3000 });
  const client = await stack.connect(CLIENT, { port: 3000 });
  const server = (await stack.accept(l.listenerId))!;
  const other = await stack.listen(CLIENT, { port: 3001 });
  stack.releaseProcess(SERVER);
  assert.equal(await stack.read(client.connId), null);
  await assert.rejects(stack.connect(CLIENT, { port: 3000 }), /ECONNREFUSED/);
  await assert.rejects(stack.read(server.connId), /EBADF/);
  assert.deepEqual(
    stack.sockets().map((s) => [s.kind, s.pid]),
    [
      ["listener", CLIENT],
      ["connection", CLIENT],
    ],
  );
  stack.closeListener(other.listenerId);
  stack.shutdownAll();
  await assert.rejects(stack.listen(SERVER, { port: 1 }), /ENETDOWN/);
});

test("events: listen, unlisten and connect", async () => {
  const stack = new NetworkStack();
  const events: unknown[] = [];
  stack.onEvent((e) => events.push(e));
  const l = await stack.listen(SERVER, { host: "127.0.0.1", port: 3000 });
  await stack.connect(CLIENT, { host: "localhost", port: 3000 });
  stack.closeListener(l.listenerId);
  assert.deepEqual(events, [
    { type: "listen", pid: SERVER, listenerId: l.listenerId, address: "127.0.0.1", port: 3000 },
    {
      type: "connect",
      pid: CLIENT,
      host: "localhost",
      address: "127.0.0.1",
      port: 3000,
      target: "vm",
    },
    { type: "unlisten", pid: SERVER, listenerId: l.listenerId, address: "127.0.0.1", port: 3000 },
  ]);
  stack.shutdownAll();
});

test("lookup: localhost, literals, the VM's own name, and families", async () => {
  const asked: string[] = [];
  const stack = new NetworkStack({
    hostname: "agent-vm",
    resolve: async (name) => {
      asked.push(name);
      if (name === "db.internal") return [{ address: "10.0.0.5", family: 4 }];
      throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
    },
  });
  assert.deepEqual(await stack.lookup(1, "localhost", { all: true }), [
    { address: "127.0.0.1", family: 4 },
    { address: "::1", family: 6 },
  ]);
  assert.deepEqual(await stack.lookup(1, "localhost", { family: 6 }), [
    { address: "::1", family: 6 },
  ]);
  assert.deepEqual(await stack.lookup(1, "agent-vm"), [{ address: "127.0.1.1", family: 4 }]);
  assert.deepEqual(await stack.lookup(1, "::ffff:10.0.0.1"), [{ address: "10.0.0.1", family: 4 }]);
  assert.deepEqual(await stack.lookup(1, "db.internal"), [{ address: "10.0.0.5", family: 4 }]);
  await assert.rejects(stack.lookup(1, "nope.invalid"), (err: unknown) => {
    assert.ok(isNetworkError(err, "ENOTFOUND"));
    assert.equal(err.message, "getaddrinfo ENOTFOUND nope.invalid");
    assert.equal(err.hostname, "nope.invalid");
    return true;
  });
  assert.deepEqual(asked, ["db.internal", "nope.invalid"]);
});
