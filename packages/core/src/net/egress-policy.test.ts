/**
 * The egress policy, through the network stack: default denials (metadata, private ranges,
 * the host's loopback), exempt ports, allow/deny lists and the onConnect callback. Only
 * 127.0.0.1 is ever really connected to; every other destination must be denied first
 * (`connectsOutside` fails the test if one would not be).
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { test } from "node:test";
import { parseIp } from "./address.ts";
import { EgressPolicy } from "./egress-policy.ts";
import { isNetworkError } from "./network-error.ts";
import type { NetworkEvent } from "./network-events.ts";
import { NetworkStack, type NetworkStackOptions } from "./network-stack.ts";

const PID = 7;

/** A host echo server on 127.0.0.1 with an ephemeral port. */
async function hostEcho(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  assert.ok(address && typeof address === "object");
  return { server, port: address.port };
}

function stackWithEvents(options: NetworkStackOptions = {}) {
  const events: NetworkEvent[] = [];
  const stack = new NetworkStack({
    resolve: async (name) => {
      const table: Record<string, string> = {
        "metadata.google.internal": "169.254.169.254",
        "db.internal": "10.0.0.5",
        "rebind.example": "192.168.1.1",
        "public.example": "198.51.100.10",
      };
      if (table[name]) return [{ address: table[name], family: 4 }];
      throw Object.assign(new Error("nope"), { code: "ENOTFOUND" });
    },
    ...options,
  });
  stack.onEvent((e) => events.push(e));
  return { stack, events };
}

async function deniedWith(promise: Promise<unknown>, code: string, reason: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isNetworkError(err, code), String(err));
    assert.match(err.message, reason);
    return true;
  });
}

test("default: cloud metadata, private ranges and names resolving to them are denied", async () => {
  const { stack, events } = stackWithEvents();
  await deniedWith(
    stack.connect(PID, { host: "169.254.169.254", port: 80 }),
    "EACCES",
    /^connect EACCES 169\.254\.169\.254:80 - denied by the VM's network policy: 169\.254\.169\.254 is a link-local address/,
  );
  await deniedWith(
    stack.connect(PID, { host: "10.0.0.1", port: 443 }),
    "EACCES",
    /private address \(RFC 1918\)/,
  );
  await deniedWith(
    stack.connect(PID, { host: "100.64.0.1", port: 443 }),
    "EACCES",
    /carrier-grade NAT/,
  );
  await deniedWith(stack.connect(PID, { host: "fd00::1", port: 443 }), "EACCES", /unique local/);
  await deniedWith(stack.connect(PID, { host: "fe80::1", port: 443 }), "EACCES", /link-local/);
  await deniedWith(
    stack.connect(PID, { host: "::ffff:192.168.0.1", port: 22 }),
    "EACCES",
    /192\.168\.0\.1 is a private/,
  );
  await deniedWith(
    stack.connect(PID, { host: "64:ff9b::a00:1", port: 22 }),
    "EACCES",
    /private address .*embedded/,
  );
  await deniedWith(
    stack.connect(PID, { host: "rebind.example", port: 80 }),
    "EACCES",
    /192\.168\.1\.1 is a private/,
  );
  await deniedWith(
    stack.connect(PID, { host: "metadata.google.internal", port: 80 }),
    "EACCES",
    /link-local/,
  );
  assert.equal(events.length, 9);
  assert.ok(events.every((e) => e.type === "denied"));
  assert.deepEqual(events[0], {
    type: "denied",
    pid: PID,
    host: "169.254.169.254",
    address: "169.254.169.254",
    port: 80,
    reason: events[0].type === "denied" ? events[0].reason : "",
  });
  assert.deepEqual(
    events.slice(-2).map((e) => e.type === "denied" && [e.host, e.address]),
    [
      ["rebind.example", "192.168.1.1"],
      ["metadata.google.internal", "169.254.169.254"],
    ],
  );
});

test("the host's loopback is denied unless the port is exempt", async () => {
  const { server, port } = await hostEcho();
  try {
    const closed = stackWithEvents();
    await deniedWith(
      closed.stack.connect(PID, { host: "127.0.0.1", port }),
      "ECONNREFUSED",
      /not in loopbackExemptPorts/,
    );
    assert.equal(closed.events[0].type, "denied");

    const open = stackWithEvents({ policy: { loopbackExemptPorts: [port] } });
    const conn = await open.stack.connect(PID, { host: "127.0.0.1", port });
    assert.equal(conn.remotePort, port);
    await open.stack.write(conn.connId, new TextEncoder().encode("ping"));
    assert.equal(new TextDecoder().decode((await open.stack.read(conn.connId))!), "ping");
    open.stack.close(conn.connId);
    assert.deepEqual(open.events, [
      { type: "connect", pid: PID, host: "127.0.0.1", address: "127.0.0.1", port, target: "host" },
    ]);
    // A guest server on the same port wins: the VM's loopback comes first.
    const inside = await open.stack.listen(PID, { host: "127.0.0.1", port });
    const local = await open.stack.connect(PID, { host: "localhost", port });
    assert.ok(await open.stack.accept(inside.listenerId));
    assert.equal(open.events.at(-1)?.type === "connect" && open.events.at(-1), open.events.at(-1));
    assert.equal((open.events.at(-1) as { target: string }).target, "vm");
    open.stack.close(local.connId);
    open.stack.shutdownAll();
  } finally {
    server.close();
  }
});

test("deny entries win over everything, also before DNS", async () => {
  const { server, port } = await hostEcho();
  const asked: string[] = [];
  try {
    const { stack, events } = stackWithEvents({
      policy: { loopbackExemptPorts: [port], deny: ["127.0.0.1", "*.internal"] },
    });
    await deniedWith(
      stack.connect(PID, { host: "127.0.0.1", port }),
      "ECONNREFUSED",
      /deny entry "127\.0\.0\.1"/,
    );
    const guarded = new NetworkStack({
      policy: { deny: ["*.internal"] },
      resolve: async (name) => {
        asked.push(name);
        return [{ address: "10.0.0.5", family: 4 }];
      },
    });
    await deniedWith(
      guarded.connect(PID, { host: "db.internal", port: 5432 }),
      "EACCES",
      /deny entry "\*\.internal"/,
    );
    assert.deepEqual(asked, []);
    assert.equal(events.length, 1);
  } finally {
    server.close();
  }
});

test("allow entries: CIDR lifts a private range, names and * do not; the list limits public hosts", () => {
  const check = (policy: EgressPolicy, host: string, address: string, port: number) =>
    policy.checkStatic(host, parseIp(address)!, port);
  const open = new EgressPolicy({ allow: ["10.0.0.0/8:5432", "*.example.com", "203.0.113.9"] });
  assert.deepEqual(check(open, "db.internal", "10.0.0.5", 5432), { allowed: true });
  assert.equal(check(open, "db.internal", "10.0.0.5", 22).allowed, false);
  assert.deepEqual(check(open, "api.example.com", "93.184.215.14", 443), { allowed: true });
  // A listed name resolving to a private address is still denied.
  const rebound = check(open, "api.example.com", "192.168.1.1", 443);
  assert.equal(rebound.allowed, false);
  assert.match(!rebound.allowed ? rebound.reason : "", /192\.168\.1\.1 is a private address/);
  // 203.0.113.0/24 is a reserved (documentation) range: the address entry lifts it.
  assert.deepEqual(check(open, "203.0.113.9", "203.0.113.9", 80), { allowed: true });
  const notListed = check(open, "other.org", "151.101.1.1", 443);
  assert.match(
    !notListed.allowed ? notListed.reason : "",
    /other\.org \(151\.101\.1\.1\) is not in permissions\.network\.allow/,
  );
  const star = new EgressPolicy({ allow: ["*"] });
  assert.equal(check(star, "x.org", "151.101.1.1", 443).allowed, true);
  assert.equal(check(star, "x.org", "10.1.1.1", 443).allowed, false);
  // Without an allow list, public addresses pass; deny entries take them out again.
  const deny = new EgressPolicy({ deny: ["198.51.100.0/24", "evil.example:443"] });
  assert.equal(check(deny, "198.51.100.20", "198.51.100.20", 80).allowed, false);
  assert.equal(check(deny, "evil.example", "192.0.2.200", 443).allowed, false);
  assert.equal(check(new EgressPolicy(), "good.example", "198.18.0.1", 443).allowed, false);
  assert.equal(check(new EgressPolicy(), "good.example", "93.184.215.14", 443).allowed, true);
  // An allowed loopback address entry opens that host port too.
  assert.equal(
    check(new EgressPolicy({ allow: ["127.0.0.1:9999"] }), "localhost", "127.0.0.1", 9999).allowed,
    true,
  );
});

test("onConnect: called with the request after the lists; false, throwing or async false deny", async () => {
  const { server, port } = await hostEcho();
  try {
    const seen: unknown[] = [];
    let answer: boolean | "throw" = false;
    const { stack, events } = stackWithEvents({
      policy: {
        loopbackExemptPorts: [port],
        onConnect: async (request) => {
          seen.push(request);
          if (answer === "throw") throw new Error("boom");
          return answer;
        },
      },
    });
    // localhost is tried as 127.0.0.1, then ::1: both are asked about and refused.
    await deniedWith(
      stack.connect(PID, { host: "localhost", port }),
      "ECONNREFUSED",
      /onConnect refused it/,
    );
    assert.deepEqual(seen, [
      { pid: PID, host: "localhost", address: "127.0.0.1", port },
      { pid: PID, host: "localhost", address: "::1", port },
    ]);
    answer = "throw";
    await deniedWith(
      stack.connect(PID, { host: "127.0.0.1", port }),
      "ECONNREFUSED",
      /onConnect threw: boom/,
    );
    answer = true;
    const conn = await stack.connect(PID, { host: "127.0.0.1", port });
    stack.close(conn.connId);
    // Denied by the static rules: the callback is not asked.
    const before = seen.length;
    await deniedWith(stack.connect(PID, { host: "10.0.0.1", port: 80 }), "EACCES", /private/);
    assert.equal(seen.length, before);
    assert.deepEqual(
      events.map((e) => e.type),
      ["denied", "denied", "denied", "connect", "denied"],
    );
    stack.shutdownAll();
  } finally {
    server.close();
  }
});

test("a real host connection: half-close, refusal and reset surface as Node codes", async () => {
  const server = createServer((socket) => {
    const chunks: Buffer[] = [];
    socket.on("data", (c) => chunks.push(c));
    socket.on("end", () => socket.end(Buffer.concat(chunks).toString().toUpperCase()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  try {
    const stack = new NetworkStack({ policy: { loopbackExemptPorts: [port, 1] } });
    const conn = await stack.connect(PID, { host: "127.0.0.1", port });
    await stack.write(conn.connId, new TextEncoder().encode("half"));
    stack.shutdown(conn.connId);
    const chunks: Uint8Array[] = [];
    for (let c = await stack.read(conn.connId); c !== null; c = await stack.read(conn.connId))
      chunks.push(c);
    assert.equal(Buffer.concat(chunks).toString(), "HALF");
    stack.close(conn.connId);
    // Port 1 on the host's loopback: exempt, but nothing listens there.
    await assert.rejects(stack.connect(PID, { host: "127.0.0.1", port: 1 }), (err: unknown) => {
      assert.ok(isNetworkError(err, "ECONNREFUSED"));
      assert.equal(err.message, "connect ECONNREFUSED 127.0.0.1:1");
      return true;
    });
    stack.shutdownAll();
  } finally {
    server.close();
  }
});
