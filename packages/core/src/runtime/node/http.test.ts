/**
 * node:http in the guest, differential against host Node 24 (server and client in one script,
 * real sockets on the host, the VM's loopback in the VM), plus VM-only cases: a guest server
 * in one process reached by a guest client in another and by `vm.fetch` from the host.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { closeNodeVm, nodeVm, runNodeBoth } from "./testing.ts";

after(closeNodeVm);

async function same(script: string): Promise<string> {
  const r = await runNodeBoth({ files: { "main.js": script }, argv: ["main.js"] });
  assert.equal(r.vm.stdout, r.host.stdout, `stderr (vm): ${r.vm.stderr}`);
  assert.equal(r.vm.status, r.host.status, `stderr (vm): ${r.vm.stderr}`);
  return r.vm.stdout;
}

/** Starts `handler` as a server, then runs `client(port, done)`; closes the server after. */
const withServer = (handler: string, client: string) => `
  const http = require('http');
  const server = http.createServer(${handler});
  server.listen(0, '127.0.0.1', async () => {
    const port = server.address().port;
    const get = (path, opts = {}) => new Promise((resolve, reject) => {
      const req = http.request({ port, path, host: '127.0.0.1', ...opts }, (res) => {
        const chunks = []; res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ res, body: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      if (opts.body !== undefined) req.end(opts.body); else req.end();
    });
    try { ${client} } finally { server.close(); }
  });`;

describe("http (differential)", () => {
  it("GET with automatic headers (Date, Connection, Keep-Alive, Content-Length) in Node's order", async () => {
    const out = await same(
      withServer(
        `(req, res) => { res.setHeader('Content-Type', 'application/json'); res.end(JSON.stringify({ url: req.url, v: req.httpVersion })); }`,
        `const { res, body } = await get('/hello?x=1');
         console.log(res.statusCode, res.statusMessage, body, res.headers['content-length'], res.headers.connection, res.headers['keep-alive']);
         console.log(res.rawHeaders.filter((_, i) => i % 2 === 0).join());`,
      ),
    );
    assert.match(out, /Content-Type,Date,Connection,Keep-Alive,Content-Length/);
  });

  it("chunked response when the length is unknown", async () => {
    await same(
      withServer(
        `(req, res) => { res.write('a'); res.write(Buffer.from('bb')); setTimeout(() => res.end('ccc'), 5); }`,
        `const { res, body } = await get('/');
         console.log(res.headers['transfer-encoding'], res.headers['content-length'], body);`,
      ),
    );
  });

  it("request bodies: chunked upload and content-length upload", async () => {
    await same(
      withServer(
        `(req, res) => { let n = ''; req.on('data', (d) => n += d); req.on('end', () => res.end(req.method + ' ' + (req.headers['transfer-encoding'] || '-') + ' ' + (req.headers['content-length'] || '-') + ' ' + n)); }`,
        `console.log((await get('/', { method: 'POST', body: 'fixed' })).body);
         const r = await new Promise((resolve) => { const req = http.request({ port, method: 'PUT' }, (res) => { let b = ''; res.on('data', (d) => b += d); res.on('end', () => resolve(b)); }); req.write('one,'); req.write('two'); req.end(); });
         console.log(r);`,
      ),
    );
  });

  it("writeHead with status message and headers, 404 and 204", async () => {
    await same(
      withServer(
        `(req, res) => { if (req.url === '/204') { res.writeHead(204); res.end(); return; } res.writeHead(404, 'Nope', { 'X-A': '1', 'Set-Cookie': ['a=1', 'b=2'] }); res.end('missing'); }`,
        `let r = await get('/x'); console.log(r.res.statusCode, r.res.statusMessage, r.res.headers['x-a'], r.res.headers['set-cookie'], r.body);
         r = await get('/204'); console.log(r.res.statusCode, JSON.stringify(r.body), r.res.headers['content-length']);`,
      ),
    );
  });

  it("an express-like router without express", async () => {
    await same(
      withServer(
        `(() => {
          const routes = { 'GET /users': (req, res) => send(res, 200, [{ id: 1 }]), 'POST /users': (req, res) => send(res, 201, req.body) };
          function send(res, status, data) { res.statusCode = status; res.setHeader('Content-Type', 'application/json; charset=utf-8'); res.end(JSON.stringify(data)); }
          return (req, res) => {
            let raw = ''; req.setEncoding('utf8'); req.on('data', (d) => raw += d);
            req.on('end', () => {
              req.body = raw ? JSON.parse(raw) : undefined;
              const route = routes[req.method + ' ' + new URL(req.url, 'http://x').pathname];
              if (!route) return send(res, 404, { error: 'not found' });
              route(req, res);
            });
          };
        })()`,
        `for (const [method, path, body] of [['GET', '/users'], ['POST', '/users', '{"name":"ada"}'], ['DELETE', '/users']]) {
           const r = await get(path, { method, body, headers: body ? { 'content-type': 'application/json' } : {} });
           console.log(method, r.res.statusCode, r.res.headers['content-type'], r.body);
         }`,
      ),
    );
  });

  it("a 5 MB response body and a 5 MB request body", async () => {
    await same(
      withServer(
        `(req, res) => { if (req.method === 'POST') { let n = 0; req.on('data', (d) => n += d.length); req.on('end', () => res.end(String(n))); return; } res.end(Buffer.alloc(5 * 1024 * 1024, 'x')); }`,
        `const a = await get('/'); console.log(a.body.length, a.res.headers['content-length']);
         const b = await get('/', { method: 'POST', body: Buffer.alloc(5 * 1024 * 1024, 'y') }); console.log(b.body);`,
      ),
    );
  });

  it("keep-alive: the global agent reuses the connection", async () => {
    await same(
      withServer(
        `(req, res) => res.end(String(req.socket.remotePort))`,
        `const a = await get('/'); const b = await get('/');
         console.log(a.body === b.body, b.res.req.reusedSocket);`,
      ),
    );
  });

  it("agent: false sends Connection: close", async () => {
    await same(
      withServer(
        `(req, res) => res.end(req.headers.connection)`,
        `console.log((await get('/', { agent: false })).body, (await get('/')).body);`,
      ),
    );
  });

  it("header validation errors and headersSent", async () => {
    await same(
      withServer(
        `(req, res) => {
           for (const [n, v] of [['bad name', 'x'], ['x', 'a\\nb'], ['x', undefined]]) { try { res.setHeader(n, v) } catch (e) { console.log(e.code, e.message) } }
           res.end('ok', () => { try { res.setHeader('a', 'b') } catch (e) { console.log(e.code, e.message, res.headersSent) } });
         }`,
        `await get('/');`,
      ),
    );
  });

  it("ECONNREFUSED on the client and STATUS_CODES/METHODS", async () => {
    await same(`
      const http = require('http');
      console.log(http.STATUS_CODES[418], http.METHODS.length, http.METHODS.includes('PATCH'));
      http.get('http://127.0.0.1:9/', () => {}).on('error', (e) => console.log(e.message, e.code));
      try { http.get('https://x/') } catch (e) { console.log(e.code, e.message) }`);
  });

  it("HEAD responses carry no body; response trailers arrive", async () => {
    await same(
      withServer(
        `(req, res) => { if (req.method === 'HEAD') { res.setHeader('Content-Length', 4); res.end(); return; } res.setHeader('Trailer', 'X-Sum'); res.write('data'); res.addTrailers({ 'X-Sum': '42' }); res.end(); }`,
        `const h = await get('/', { method: 'HEAD' }); console.log(h.res.statusCode, JSON.stringify(h.body), h.res.headers['content-length']);
         const t = await get('/'); console.log(t.body, t.res.trailers);`,
      ),
    );
  });

  it("socket hang up when the server closes without answering", async () => {
    await same(`
      const net = require('net'); const http = require('http');
      const server = net.createServer((s) => s.once('data', () => s.destroy()));
      server.listen(0, () => {
        http.get({ port: server.address().port, agent: false }).on('error', (e) => { console.log(e.message, e.code); server.close(); });
      });`);
  });
});

describe("http in the VM", () => {
  it("guest server in one process, guest http client and vm.fetch from outside", async () => {
    const vm = await nodeVm();
    await vm.writeFile(
      "/tmp/http-server.js",
      `require('http').createServer((req, res) => {
         let body = ''; req.on('data', (d) => body += d);
         req.on('end', () => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ method: req.method, url: req.url, body })); });
       }).listen(4200);`,
    );
    const server = vm.spawn("node", ["/tmp/http-server.js"]);
    await waitForListen(vm, 4200);
    const r = await vm.exec(
      `node -e "require('http').get('http://localhost:4200/a?b=1', (res) => { let d = ''; res.on('data', (c) => d += c); res.on('end', () => console.log(res.statusCode, d)); })"`,
    );
    assert.equal(r.stdout, '200 {"method":"GET","url":"/a?b=1","body":""}\n');
    const response = await vm.fetch(
      4200,
      new Request("http://localhost/x", { method: "POST", body: "hi" }),
    );
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { method: "POST", url: "/x", body: "hi" });
    vm.killProcess(server.pid);
    await vm.waitProcess(server.pid);
  });
});

/** Waits until a guest server listens on `port` (its process started asynchronously). */
async function waitForListen(vm: Awaited<ReturnType<typeof nodeVm>>, port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const r = await vm.exec(
      `node -e "require('net').connect(${port}).on('connect', function () { this.destroy(); process.exitCode = 0 }).on('error', () => process.exitCode = 1)"`,
    );
    if (r.exitCode === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`nothing listens on ${port}`);
}
