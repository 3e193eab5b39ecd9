/**
 * node:tls and node:https clients (and fetch over https) in the guest, differential against
 * host Node 24: both reach the same host https server on 127.0.0.1 with a self-signed
 * certificate made for the run; the VM gets there through its egress policy (the port is in
 * loopbackExemptPorts). Plus VM-only cases: the policy still applies, TLS servers say they are
 * not supported.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { after, before, describe, it } from "node:test";
import { AgentOs } from "../../vm/agent-os.ts";
import { closeNodeVm, configureNodeVm, normaliseStderr, runNodeBoth } from "./testing.ts";
import { localhostCertificate } from "./testing-tls.ts";

let server: Server;
let port = 0;
let caPem = "";

before(async () => {
  const pems = await localhostCertificate();
  caPem = pems.cert;
  server = createServer({ key: pems.key, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      res.setHeader("content-type", "text/plain");
      res.end(`${req.method} ${req.url} ${Buffer.concat(chunks).toString()}`);
    });
  });
  server.on("upgrade", echoOneWebSocketMessage);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  configureNodeVm({ loopbackExemptPorts: [port] });
});

/**
 * A minimal wss: peer for the WebSocket global: accepts the handshake, echoes the first (small,
 * masked) text frame, then closes with 1000.
 */
function echoOneWebSocketMessage(req: IncomingMessage, socket: Duplex): void {
  const accept = createHash("sha1")
    .update(`${req.headers["sec-websocket-key"]}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
    .digest("base64");
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
  socket.once("data", (frame: Buffer) => {
    const length = frame[1] & 0x7f;
    const mask = frame.subarray(2, 6);
    const text = Buffer.from(frame.subarray(6, 6 + length).map((b, i) => b ^ mask[i & 3]));
    const reply = Buffer.from(`echo ${text}`);
    socket.write(Buffer.concat([Buffer.from([0x81, reply.length]), reply]));
    socket.write(Buffer.from([0x88, 2, 0x03, 0xe8]));
    socket.once("data", () => socket.end());
  });
}

after(async () => {
  await closeNodeVm();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function same(script: string, env: Record<string, string> = {}): Promise<string> {
  const r = await runNodeBoth({
    files: { "main.js": script, "ca.pem": caPem },
    argv: ["main.js"],
    env: { PORT: String(port), ...env },
  });
  assert.equal(r.vm.stdout, r.host.stdout, `stderr (vm): ${r.vm.stderr}`);
  assert.equal(normaliseStderr(r.vm.stderr), normaliseStderr(r.host.stderr));
  assert.equal(r.vm.status, r.host.status, `stderr (vm): ${r.vm.stderr}`);
  return r.vm.stdout;
}

const PRELUDE = `
const https = require('https'); const tls = require('tls'); const net = require('net');
const fs = require('fs');
const port = Number(process.env.PORT); const ca = fs.readFileSync('ca.pem');
const get = (url, opts = {}) => new Promise((resolve, reject) => {
  const req = https.request(url, opts, (res) => {
    // The socket goes back to the agent once the response ended: look at it now.
    const s = res.socket;
    const tls = [s.encrypted, s.authorized, s.authorizationError, s.getProtocol()].join(' ');
    const chunks = []; res.on('data', (c) => chunks.push(c));
    res.on('end', () => resolve({ res, tls, body: Buffer.concat(chunks).toString() }));
  });
  req.on('error', reject);
  req.end(opts.body);
});
`;

describe("tls and https clients (differential, host https server)", () => {
  it("https.request with the server's CA; POST body; socket details", async () => {
    const out = await same(`${PRELUDE}
      (async () => {
        const { res, body, tls } = await get('https://127.0.0.1:' + port + '/a?b=1', { ca });
        console.log(res.statusCode, res.headers['content-type'], body);
        console.log(tls, res.socket);
        const post = await get('https://localhost:' + port + '/post', { ca, method: 'POST', body: 'payload' });
        console.log(post.body);
      })();`);
    assert.match(out, /^200 text\/plain GET \/a\?b=1 \n/);
  });

  it("certificate errors: untrusted, wrong name; rejectUnauthorized:false gets through", async () => {
    const out = await same(`${PRELUDE}
      (async () => {
        for (const [url, opts] of [
          ['https://127.0.0.1:' + port + '/', {}],
          ['https://127.0.0.1:' + port + '/', { ca, servername: 'example.com' }],
        ]) {
          try { await get(url, opts); console.log('no error') } catch (e) { console.log(e.code, e.message) }
        }
        const { res, body, tls } = await get('https://localhost:' + port + '/x', { rejectUnauthorized: false });
        console.log(res.statusCode, body, tls);
      })();`);
    assert.match(out, /^DEPTH_ZERO_SELF_SIGNED_CERT /);
    assert.match(out, /ERR_TLS_CERT_ALTNAME_INVALID/);
  });

  it("tls.connect: secureConnect, peer certificate, raw HTTP over the session", async () => {
    const out = await same(`${PRELUDE}
      const s = tls.connect(port, 'localhost', { ca }, () => {
        const cert = s.getPeerCertificate();
        console.log('secure', s.authorized, s.encrypted, s.servername, cert.subject.CN, cert.subjectaltname, Buffer.isBuffer(cert.raw));
        console.log(s.getCipher().version, s.alpnProtocol, s.remotePort === port);
        s.end('GET /raw HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n');
      });
      let text = ''; s.setEncoding('utf8'); s.on('data', (d) => text += d);
      s.on('end', () => console.log(text.split('\\r\\n')[0], text.endsWith('GET /raw ')));
      s.on('close', (hadError) => console.log('close', hadError));`);
    assert.match(out, /^secure true true false localhost DNS:localhost, IP Address:127.0.0.1 true/);
  });

  it("tls.connect({ socket }) over a connected net.Socket; a custom checkServerIdentity", async () => {
    await same(`${PRELUDE}
      const raw = net.connect(port, '127.0.0.1', () => {
        const s = tls.connect({ socket: raw, ca, servername: 'localhost' }, () => {
          console.log('wrapped', s.authorized);
          s.end('GET /wrapped HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n');
        });
        let text = ''; s.on('data', (d) => text += d);
        s.on('end', () => {
          console.log(text.endsWith('GET /wrapped '));
          const checked = tls.connect({ port, host: '127.0.0.1', ca, checkServerIdentity: (host, cert) => {
            console.log('check', host, cert.subject.CN);
            return new Error('refused by the test');
          } });
          checked.on('secureConnect', () => console.log('should not connect'));
          checked.on('error', (e) => console.log('error', e.message));
        });
      });`);
  });

  it("https.Agent with keepAlive reuses the connection", async () => {
    await same(`${PRELUDE}
      (async () => {
        const agent = new https.Agent({ keepAlive: true, ca });
        const a = await get('https://localhost:' + port + '/1', { agent });
        const b = await get('https://localhost:' + port + '/2', { agent });
        console.log(a.body, b.body, b.res.req.reusedSocket, agent.getName({ host: 'localhost', port }).startsWith('localhost:' + port));
        agent.destroy();
      })();`);
  });

  it("fetch over https trusts NODE_EXTRA_CA_CERTS", async () => {
    await same(
      `
      fetch('https://localhost:' + process.env.PORT + '/fetched', { method: 'POST', body: 'f' })
        .then(async (r) => console.log(r.status, r.url.startsWith('https://'), await r.text()))
        .catch((e) => console.log('failed', e.cause?.code));`,
      { NODE_EXTRA_CA_CERTS: "ca.pem" },
    );
  });

  it("the WebSocket global over wss:", async () => {
    const out = await same(
      `
      const ws = new WebSocket('wss://localhost:' + process.env.PORT + '/socket');
      ws.onopen = () => { console.log('open', ws.url); ws.send('over tls'); };
      ws.onmessage = (event) => console.log('message', event.data, event.origin);
      ws.onerror = (event) => console.log('error', event.type);
      ws.onclose = (event) => console.log('close', event.code, event.wasClean);`,
      { NODE_EXTRA_CA_CERTS: "ca.pem" },
    );
    assert.match(out, /message echo over tls wss:\/\/localhost:\d+\nclose 1000 true\n$/);
  });

  it("NODE_TLS_REJECT_UNAUTHORIZED=0 turns verification off with Node's warning", async () => {
    await same(
      `${PRELUDE}
      get('https://127.0.0.1:' + port + '/insecure').then(({ body }) => console.log(body));`,
      { NODE_TLS_REJECT_UNAUTHORIZED: "0" },
    );
  });
});

describe("tls and https in the VM only", () => {
  it("the egress policy applies: without the port exemption the host server is out of reach", async () => {
    const vm = await AgentOs.create({});
    try {
      await vm.writeFile(
        "/tmp/t.js",
        `require('https').get('https://127.0.0.1:${port}/', { rejectUnauthorized: false }, () => console.log('reached'))
           .on('error', (e) => console.log('error', e.code));
         fetch('https://127.0.0.1:${port}/').catch((e) => console.log('fetch', e.cause.code));`,
      );
      const r = await vm.exec("node /tmp/t.js", { timeout: 10_000 });
      assert.equal(r.stdout, "error ECONNREFUSED\nfetch ECONNREFUSED\n", r.stderr);
    } finally {
      await vm.dispose();
    }
  });

  it("TLS servers inside the VM fail with a clear error", async () => {
    const vm = await AgentOs.create({});
    try {
      const r = await vm.exec(
        `node -e "for (const f of [() => require('tls').createServer(), () => require('https').createServer()]) try { f() } catch (e) { console.log(e.code, e.message) }"`,
        { timeout: 10_000 },
      );
      assert.equal(
        r.stdout,
        "ERR_AGENTOS_NOT_SUPPORTED tls.createServer (TLS servers inside the VM) is not supported in the agentOS VM\n" +
          "ERR_AGENTOS_NOT_SUPPORTED https.createServer (TLS servers inside the VM) is not supported in the agentOS VM\n",
        r.stderr,
      );
    } finally {
      await vm.dispose();
    }
  });
});
