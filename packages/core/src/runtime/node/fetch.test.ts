/**
 * fetch, Request, Response, Headers and FormData in the guest, differential against host Node
 * 24 (undici), plus fetch from one guest process to a guest server in another.
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

const withServer = (handler: string, client: string) => `
  const http = require('http');
  const server = http.createServer(${handler});
  server.listen(0, '127.0.0.1', async () => {
    const base = 'http://127.0.0.1:' + server.address().port;
    try { ${client} } catch (e) { console.log('error', e.message) } finally { server.close(); }
  });`;

describe("fetch (differential)", () => {
  it("fetch JSON, status and headers", async () => {
    await same(
      withServer(
        `(req, res) => { res.setHeader('content-type', 'application/json'); res.setHeader('x-n', '1'); res.end(JSON.stringify({ path: req.url })); }`,
        `const r = await fetch(base + '/data?q=1');
         console.log(r.status, r.ok, r.statusText, r.headers.get('content-type'), r.headers.get('x-n'), r.url === base + '/data?q=1', r.redirected, r.type);
         console.log(await r.json(), r.bodyUsed);`,
      ),
    );
  });

  it("POST bodies: string, JSON, URLSearchParams, bytes; request headers seen by the server", async () => {
    await same(
      withServer(
        `(req, res) => { let b = ''; req.on('data', (d) => b += d); req.on('end', () => res.end(req.method + ' ' + req.headers['content-type'] + ' ' + req.headers['content-length'] + ' ' + b)); }`,
        `for (const body of ['text', JSON.stringify({ a: 1 }), new URLSearchParams({ x: 'y z' }), new Uint8Array([65, 66])])
           console.log(await (await fetch(base, { method: 'POST', body })).text());`,
      ),
    );
  });

  it("redirects are followed (303 turns POST into GET); manual returns the 3xx", async () => {
    await same(
      withServer(
        `(req, res) => { if (req.url === '/old') { res.writeHead(303, { location: '/new' }); return res.end(); } res.end(req.method + ' ' + req.url); }`,
        `const r = await fetch(base + '/old', { method: 'POST', body: 'x' });
         console.log(r.status, r.redirected, r.url.endsWith('/new'), await r.text());
         const m = await fetch(base + '/old', { redirect: 'manual' });
         console.log(m.status, m.headers.get('location'));`,
      ),
    );
  });

  it("streamed response body read with a reader", async () => {
    await same(
      withServer(
        `(req, res) => { let i = 0; const t = setInterval(() => { res.write('chunk' + i + ';'); if (++i === 5) { clearInterval(t); res.end(); } }, 2); }`,
        `const r = await fetch(base); const reader = r.body.getReader(); let text = '';
         for (;;) { const { done, value } = await reader.read(); if (done) break; text += new TextDecoder().decode(value); }
         console.log(text);`,
      ),
    );
  });

  it("network errors: fetch failed with the socket error as cause; bad port; unknown scheme", async () => {
    await same(`
      (async () => {
        try { await fetch('http://127.0.0.1:59999/') } catch (e) { console.log(e.constructor.name, e.message, e.cause.code, e.cause.message) }
        try { await fetch('http://127.0.0.1:9/') } catch (e) { console.log(e.message, e.cause.message) }
        try { await fetch('ftp://x/') } catch (e) { console.log(e.message, e.cause.message) }
      })();`);
  });

  it("Request/Response/Headers validation messages", async () => {
    await same(`
      const t = (f) => { try { f() } catch (e) { console.log(e.constructor.name, e.message) } };
      t(() => new Request('/x'));
      t(() => new Request('http://x', { method: 'GET', body: 'x' }));
      t(() => new Response('x', { status: 204 }));
      t(() => new Response('x', { status: 600 }));
      t(() => new Headers({ 'a b': 'c' }));
      const h = new Headers([['b', '1'], ['a', '2'], ['set-cookie', 'x'], ['set-cookie', 'y'], ['B', '3']]);
      console.log([...h], h.get('b'), h.getSetCookie(), h.has('A'));
      (async () => {
        const r = new Response('abc'); await r.text();
        try { await r.text() } catch (e) { console.log(e.constructor.name, e.message) }
        const j = Response.json({ a: 1 }, { status: 201 }); console.log(j.status, j.headers.get('content-type'), await j.json());
        const c = new Response('clone me'); const c2 = c.clone(); console.log(await c.text(), await c2.text());
        const rq = new Request('http://h/p', { method: 'post', body: 'b', headers: { 'X-Y': 'z' } });
        console.log(rq.method, rq.url, rq.headers.get('x-y'), rq.headers.get('content-type'), await rq.text());
        const fd = new FormData(); fd.append('a', '1'); fd.append('a', '2'); fd.set('b', '3');
        console.log([...fd], fd.getAll('a'), fd.has('b'));
      })();`);
  });

  it("an aborted fetch rejects with an AbortError", async () => {
    await same(`
      (async () => {
        const ac = new AbortController(); ac.abort();
        try { await fetch('http://127.0.0.1:1234/', { signal: ac.signal }) } catch (e) { console.log(e.name, e.message) }
      })();`);
  });
});

describe("fetch in the VM", () => {
  it("one guest process fetches from a guest server in another", async () => {
    const vm = await nodeVm();
    await vm.writeFile(
      "/tmp/fetch-server.js",
      `require('http').createServer((req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ hello: 'world', url: req.url })); }).listen(4300);`,
    );
    const server = vm.spawn("node", ["/tmp/fetch-server.js"]);
    let out = "";
    for (let i = 0; i < 200 && !out.includes("world"); i++) {
      const r = await vm.exec(
        `node -e "fetch('http://localhost:4300/x').then((r) => r.json()).then((j) => console.log(JSON.stringify(j)), (e) => console.log(e.cause && e.cause.code))"`,
      );
      out = r.stdout;
      if (!out.includes("world")) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(out, '{"hello":"world","url":"/x"}\n');
    vm.killProcess(server.pid);
    await vm.waitProcess(server.pid);
  });
});
