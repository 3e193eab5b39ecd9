/**
 * node:http2 in the guest, differential against host Node 24: the pure parts (constants,
 * SETTINGS codec) and the client — http2.connect over h2c and over TLS (ALPN h2) to host http2
 * servers on 127.0.0.1, reached from the VM through its egress policy (the ports are in
 * loopbackExemptPorts). Plus VM-only cases: without the exemption the policy refuses the
 * connection; HTTP/2 servers say they are not supported.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  constants,
  createSecureServer,
  createServer,
  type Http2SecureServer,
  type Http2Server,
  type Http2Session,
  type IncomingHttpHeaders,
  type ServerHttp2Stream,
} from "node:http2";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { AgentOs } from "../../vm/agent-os.ts";
import { closeNodeVm, configureNodeVm, nodeVm, normaliseStderr, runNodeBoth } from "./testing.ts";
import { localhostCertificate } from "./testing-tls.ts";

let plain: Http2Server;
let secure: Http2SecureServer;
let plainPort = 0;
let securePort = 0;
let closedPort = 0;
let caPem = "";

/** 512 KiB the /big route sends: more than the default flow-control windows. */
const BIG = Buffer.alloc(512 * 1024, 0);
for (let i = 0; i < BIG.length; i++) BIG[i] = (i * 31) & 0xff;
const BIG_SHA = createHash("sha256").update(BIG).digest("hex");

/** Streams of one session held at /barrier until BARRIER of them are open at once. */
const BARRIER = 4;
const waiting = new Map<Http2Session, ServerHttp2Stream[]>();

function respondText(stream: ServerHttp2Stream, body: string, extra: Record<string, string> = {}) {
  stream.respond({ ":status": 200, "content-type": "text/plain", ...extra });
  stream.end(body);
}

function route(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
  stream.on("error", () => {});
  const path = String(headers[":path"]);
  const method = String(headers[":method"]);
  if (path === "/reset") {
    stream.close(constants.NGHTTP2_REFUSED_STREAM);
    return;
  }
  if (path === "/trailers") {
    stream.respond({ ":status": 200 }, { waitForTrailers: true });
    stream.on("wantTrailers", () => stream.sendTrailers({ "x-checksum": "abc123" }));
    stream.end("body before trailers");
    return;
  }
  if (path === "/big") {
    stream.respond({ ":status": 200, "content-length": String(BIG.length) });
    stream.end(BIG);
    return;
  }
  if (path === "/barrier") {
    const session = stream.session as Http2Session;
    const held = waiting.get(session) ?? [];
    held.push(stream);
    waiting.set(session, held);
    if (held.length === BARRIER) {
      waiting.delete(session);
      for (const s of held) respondText(s, `released with ${held.length} open`);
    }
    // Bounded: a client that does not open them concurrently gets a 504, not a hang.
    setTimeout(() => {
      if (!stream.headersSent && !stream.destroyed) {
        stream.respond({ ":status": 504 });
        stream.end();
      }
    }, 5000).unref();
    return;
  }
  if (path === "/never") return; // the client resets it
  if (path === "/goaway") {
    // The server shuts down: GOAWAY (with opaque data) after the response, then the connection.
    const session = stream.session as Http2Session;
    respondText(stream, "last response");
    stream.on("close", () => {
      session.goaway(constants.NGHTTP2_NO_ERROR, 1, Buffer.from("bye"));
      setTimeout(() => session.destroy(), 50);
    });
    return;
  }
  const chunks: Buffer[] = [];
  let trailers = "";
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  stream.on("trailers", (t: IncomingHttpHeaders) => {
    trailers = ` trailers:${t["x-request-trailer"]}`;
  });
  stream.on("end", () =>
    respondText(stream, `${method} ${path} ${Buffer.concat(chunks).toString()}${trailers}`, {
      "x-method": method,
    }),
  );
}

before(async () => {
  const pems = await localhostCertificate();
  caPem = pems.cert;
  plain = createServer();
  plain.on("stream", route);
  secure = createSecureServer({ key: pems.key, cert: pems.cert });
  secure.on("stream", route);
  await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
  await new Promise<void>((resolve) => secure.listen(0, "127.0.0.1", resolve));
  plainPort = (plain.address() as AddressInfo).port;
  securePort = (secure.address() as AddressInfo).port;
  // A port nothing listens on (on the host; in the VM it is exempt, so it is refused there too).
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  configureNodeVm({ loopbackExemptPorts: [plainPort, securePort, closedPort] });
});

after(async () => {
  await closeNodeVm();
  for (const server of [plain, secure]) {
    server.close();
  }
});

async function same(script: string): Promise<string> {
  const r = await runNodeBoth({
    files: { "main.js": script, "ca.pem": caPem },
    argv: ["main.js"],
    env: { PORT: String(plainPort), TLS_PORT: String(securePort), CLOSED: String(closedPort) },
  });
  assert.equal(r.vm.stdout, r.host.stdout, `stderr (vm): ${r.vm.stderr}`);
  assert.equal(normaliseStderr(r.vm.stderr), normaliseStderr(r.host.stderr));
  assert.equal(r.vm.status, r.host.status, `stderr (vm): ${r.vm.stderr}`);
  return r.vm.stdout;
}

const PRELUDE = `
const http2 = require('http2'); const fs = require('fs');
const { HTTP2_HEADER_PATH: PATH, HTTP2_HEADER_METHOD: METHOD } = http2.constants;
const port = process.env.PORT; const tlsPort = process.env.TLS_PORT;
const ca = fs.readFileSync('ca.pem');
/** One request: its response headers (no date), body, trailers and how it closed. */
const fetch2 = (session, headers, body) => new Promise((resolve) => {
  const req = session.request(headers);
  const out = { id: undefined, status: undefined, headers: {}, body: '', trailers: null, events: [] };
  req.on('ready', () => { out.id = req.id; });
  req.on('response', (h, flags) => {
    out.status = h[':status'];
    for (const k of Object.keys(h)) if (k !== 'date') out.headers[k] = h[k];
    out.events.push('response');
  });
  req.setEncoding('utf8');
  req.on('data', (d) => { out.body += d; });
  req.on('trailers', (t) => { out.trailers = { ...t }; out.events.push('trailers'); });
  req.on('end', () => out.events.push('end'));
  req.on('aborted', () => out.events.push('aborted'));
  req.on('error', (e) => out.events.push('error ' + e.code + ' ' + e.message));
  req.on('close', () => { out.events.push('close ' + req.rstCode); resolve(out); });
  if (body) for (const part of body) req.write(part);
  if (body) req.end();
});
`;

describe("http2 module (differential)", () => {
  it("constants, default settings and the SETTINGS codec match Node's", async () => {
    const r = await runNodeBoth({
      files: {
        "main.mjs": `import http2, { constants, Http2ServerRequest } from "node:http2";
const packed = http2.getPackedSettings({ enablePush: false, initialWindowSize: 1 << 20, maxHeaderListSize: 8192 });
console.log(Object.keys(constants).length, constants.HTTP2_HEADER_STATUS, constants.NGHTTP2_NO_ERROR, constants.HTTP_STATUS_OK);
console.log(http2.getDefaultSettings(), packed.toString("hex"), http2.getUnpackedSettings(packed));
console.log(typeof http2.sensitiveHeaders, http2.sensitiveHeaders.description, ({}) instanceof Http2ServerRequest);
try { http2.getPackedSettings({ maxFrameSize: 1 }) } catch (e) { console.log(e.name, e.code, e.message) }`,
      },
      argv: ["main.mjs"],
    });
    assert.equal(r.vm.stdout, r.host.stdout, r.vm.stderr);
    assert.equal(r.vm.status, 0);
  });
});

describe("http2 client (differential, host http2 servers)", () => {
  it("h2c: connect, GET and a POST with a streamed body, session details", async () => {
    const out = await same(`${PRELUDE}
      const session = http2.connect('http://127.0.0.1:' + port, (s, socket) => {
        console.log('connect', s === session, s.alpnProtocol, s.encrypted, s.type, s.connecting, typeof socket);
        console.log('socket', session.socket.remotePort === Number(port), session.socket.remoteAddress);
        try { session.socket.write('x') } catch (e) { console.log(e.code) }
      });
      console.log('before', session.connecting, session.alpnProtocol, session.closed, session.destroyed);
      session.on('remoteSettings', (s) => console.log('remote initialWindowSize', s.initialWindowSize));
      (async () => {
        const get = await fetch2(session, { [PATH]: '/hello?x=1' });
        console.log(get);
        const post = await fetch2(session, { [PATH]: '/upload', [METHOD]: 'POST', 'content-type': 'text/plain' },
          ['streamed ', 'in ', 'three parts']);
        console.log(post);
        session.close(() => console.log('closed', session.closed, session.destroyed));
      })();`);
    assert.match(
      out,
      /^before true undefined false false\nconnect true h2c false 1 false object\n/,
    );
    assert.match(out, /body: 'POST \/upload streamed in three parts'/);
  });

  it("several concurrent streams on one session", async () => {
    const out = await same(`${PRELUDE}
      const session = http2.connect('http://127.0.0.1:' + port);
      Promise.all([1, 2, 3, 4].map(() => fetch2(session, { [PATH]: '/barrier' }))).then((all) => {
        for (const r of all) console.log(r.id, r.status, r.body, r.events.join(','));
        session.close();
      });`);
    assert.equal(
      out,
      [1, 3, 5, 7].map((id) => `${id} 200 released with 4 open response,end,close 0\n`).join(""),
    );
  });

  it("response trailers, request trailers, a 512 KiB body under flow control", async () => {
    const out = await same(`${PRELUDE}
      const session = http2.connect('http://127.0.0.1:' + port);
      (async () => {
        console.log(await fetch2(session, { [PATH]: '/trailers' }));
        const req = session.request({ [PATH]: '/with-trailers', [METHOD]: 'POST' }, { waitForTrailers: true });
        req.on('wantTrailers', () => req.sendTrailers({ 'x-request-trailer': 'sent' }));
        let text = ''; req.setEncoding('utf8'); req.on('data', (d) => text += d);
        req.end('payload');
        await new Promise((r) => req.on('end', r));
        console.log(text, req.sentTrailers);
        const big = session.request({ [PATH]: '/big' });
        const hash = require('crypto').createHash('sha256'); let size = 0;
        big.on('data', (chunk) => { size += chunk.length; hash.update(chunk);
          // A slow reader: the window fills and the server waits.
          big.pause(); setTimeout(() => big.resume(), 1); });
        big.on('end', () => { console.log('big', size, hash.digest('hex')); session.close(); });
      })();`);
    assert.match(out, /trailers: \{ 'x-checksum': 'abc123', Symbol\(sensitiveHeaders\): \[\] \}/);
    assert.match(out, /POST \/with-trailers payload trailers:sent/);
    assert.ok(out.includes(`big ${BIG.length} ${BIG_SHA}`), out);
  });

  it("stream resets: by the server, close(code) and destroy() by the client", async () => {
    await same(`${PRELUDE}
      const session = http2.connect('http://127.0.0.1:' + port);
      // Each stream's own events in order (streams close in an order nghttp2 decides).
      const logs = { a: [], b: [], c: [] };
      const closed = (name, stream) => new Promise((resolve) => {
        const log = logs[name];
        stream.on('aborted', () => log.push('aborted'));
        stream.on('error', (e) => log.push('error ' + (e.code ?? '') + ' ' + e.message));
        stream.on('close', () => { log.push('close ' + stream.rstCode + ' ' + stream.aborted); resolve(); });
      });
      (async () => {
        console.log('server reset', await fetch2(session, { [PATH]: '/reset' }));
        const a = session.request({ [PATH]: '/never' });
        const aClosed = closed('a', a);
        a.close(http2.constants.NGHTTP2_CANCEL, () => logs.a.push('close callback'));
        logs.a.push('after close ' + a.closed + ' ' + a.rstCode + ' ' + a.destroyed);
        const b = session.request({ [PATH]: '/never', [METHOD]: 'POST' });
        const bClosed = closed('b', b);
        b.destroy(new Error('given up'));
        logs.b.push('after destroy ' + b.closed + ' ' + b.rstCode + ' ' + b.destroyed);
        const c = session.request({ [PATH]: '/never', [METHOD]: 'POST' });
        const cClosed = closed('c', c);
        c.close(http2.constants.NGHTTP2_ENHANCE_YOUR_CALM);
        await Promise.all([aClosed, bClosed, cClosed]);
        console.log(logs);
        session.close();
      })();`);
  });

  it("validation errors are thrown as Node throws them", async () => {
    await same(`${PRELUDE}
      const session = http2.connect('http://127.0.0.1:' + port);
      for (const headers of [{ connection: 'keep-alive' }, { 'bad header': 'x' }, { ':bogus': 'x' }]) {
        try { session.request(headers) } catch (e) { console.log(e.name, e.code, e.message) }
      }
      try { session.ping(Buffer.alloc(3), () => {}) } catch (e) { console.log(e.code, e.message) }
      try { http2.connect('ftp://127.0.0.1') } catch (e) { console.log(e.code, e.message) }
      session.ping(Buffer.from('87654321'), (err, duration, payload) => console.log('early ping', err.code, duration, payload));
      session.on('connect', () => session.ping(Buffer.from('12345678'), (err, duration, payload) => {
        console.log('ping', err, typeof duration, payload.toString());
        session.settings({ enablePush: false }, (err, settings) => {
          console.log('settings acked', err, settings.enablePush);
          session.destroy();
          session.request({}).on('error', (e) => console.log('after destroy', e.code, e.message));
        });
      }));
      session.on('close', () => console.log('closed'));`);
  });

  it("h2 over TLS: ALPN h2 with the server's CA; certificate errors as Node reports them", async () => {
    const out = await same(`${PRELUDE}
      (async () => {
        const session = http2.connect('https://localhost:' + tlsPort, { ca });
        session.on('connect', () => console.log('secure', session.alpnProtocol, session.encrypted, session.originSet,
          session.socket.authorized, session.socket.getPeerCertificate().subject.CN));
        const r = await fetch2(session, { [PATH]: '/tls', [METHOD]: 'POST' }, ['over ', 'tls']);
        console.log(r.status, r.body);
        session.close();
        for (const [url, opts] of [['https://127.0.0.1:' + tlsPort, {}], ['https://127.0.0.1:' + tlsPort, { rejectUnauthorized: false }]]) {
          await new Promise((resolve) => {
            const s = http2.connect(url, opts);
            s.on('error', (e) => console.log('error', e.code, e.message));
            s.on('close', resolve);
            const req = s.request({ [PATH]: '/insecure' });
            req.on('error', (e) => console.log('request error', e.code));
            req.on('response', (h) => console.log('response', h[':status']));
            req.resume(); req.on('end', () => s.close());
          });
        }
      })();`);
    assert.match(
      out,
      /^secure h2 true \[ 'https:\/\/localhost:\d+' \] true localhost\n200 POST \/tls over tls\n/,
    );
    assert.match(out, /error DEPTH_ZERO_SELF_SIGNED_CERT self-signed certificate/);
  });

  it("the server goes away: 'goaway', then the session closes; new requests fail", async () => {
    await same(`${PRELUDE}
      const session = http2.connect('http://127.0.0.1:' + port);
      session.on('goaway', (code, last, data) => console.log('goaway', code, last, String(data), session.closed));
      session.on('close', () => {
        console.log('close', session.destroyed);
        session.request({ [PATH]: '/late' }).on('error', (e) => console.log('late', e.code));
      });
      fetch2(session, { [PATH]: '/goaway' }).then((r) => console.log(r.body, r.events.join(',')));`);
  });

  it("an unreachable server: ECONNREFUSED on the session and its pending stream", async () => {
    await same(`${PRELUDE}
      const session = http2.connect('http://127.0.0.1:' + process.env.CLOSED);
      const req = session.request({ [PATH]: '/' });
      req.on('error', (e) => console.log('stream error', e.code, e.message));
      req.on('close', () => console.log('stream close', req.rstCode));
      session.on('error', (e) => console.log('session error', e.code, e.syscall, e.address, e.port === Number(process.env.CLOSED), e.message.replace(/\\d+$/, 'PORT')));
      session.on('close', () => console.log('session close', session.destroyed));`);
  });
});

describe("http2 client in the VM only", () => {
  it("the egress policy applies: without the port exemption the host server is out of reach", async () => {
    const vm = await AgentOs.create({});
    let reached = 0;
    const count = (): void => {
      reached++;
    };
    plain.on("session", count);
    try {
      await vm.writeFile(
        "/tmp/t.js",
        `const s = require('http2').connect('http://127.0.0.1:${plainPort}');
         s.on('error', (e) => console.log('error', e.code, e.message));
         s.on('close', () => console.log('close'));`,
      );
      const r = await vm.exec("node /tmp/t.js", { timeout: 10_000 });
      assert.equal(
        r.stdout,
        `error ECONNREFUSED connect ECONNREFUSED 127.0.0.1:${plainPort}\nclose\n`,
        r.stderr,
      );
      assert.equal(reached, 0);
    } finally {
      plain.off("session", count);
      await vm.dispose();
    }
  });

  it("HTTP/2 servers are not supported and say so", async () => {
    const vm = await nodeVm();
    const r = await vm.exec(
      `node -e "const h = require('http2'); for (const f of [() => h.createServer(), () => h.createSecureServer({})]) try { f() } catch (e) { console.log(e.code, e.message) }"`,
    );
    assert.equal(
      r.stdout,
      [
        "ERR_AGENTOS_NOT_SUPPORTED http2.createServer (HTTP/2 servers) is not supported in the agentOS VM",
        "ERR_AGENTOS_NOT_SUPPORTED http2.createSecureServer (HTTP/2 servers) is not supported in the agentOS VM",
        "",
      ].join("\n"),
      r.stderr,
    );
  });
});
