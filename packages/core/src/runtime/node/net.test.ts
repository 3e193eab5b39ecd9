/**
 * node:net and node:dns in the guest, differential against host Node 24: each case is a
 * script run by the host's node (real sockets on 127.0.0.1) and by `node` in a VM (the VM's
 * own loopback); stdout and exit status must match. Scripts print ports only as `port > 0`,
 * since ephemeral ports differ. VM-only cases cover what the host cannot show: two guest
 * processes talking, the egress policy, sockets closed when their process exits.
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

const SHOW_ERROR = `const show = (label, e) => console.log(label, e.constructor.name, JSON.stringify({ message: e.message, code: e.code, errno: e.errno, syscall: e.syscall, address: e.address, port: e.port }), Object.keys(e).join());`;

describe("net (differential)", () => {
  it("echo server and client: events, addresses, byte counts", async () => {
    const out = await same(`
      const net = require('net');
      const serverLog = [];
      const server = net.createServer((s) => {
        // Logged at the end: which of accept and connect fires first is up to the scheduler.
        serverLog.push(['server conn', typeof s.remotePort, s.remoteAddress, s.localPort === server.address().port].join(' '));
        s.on('data', (d) => s.write(d.toString().toUpperCase()));
        s.on('end', () => { serverLog.push('server end'); s.end(); });
      });
      process.on('exit', () => console.log(serverLog.join('\\n')));
      server.listen(0, '127.0.0.1', () => {
        const { port, address, family } = server.address();
        console.log('listening', address, family, port > 0, server.listening);
        const c = net.connect(port, '127.0.0.1', () => {
          console.log('connected', c.remoteAddress, c.remotePort === port, c.remoteFamily, c.readyState);
          c.write('hello');
          c.end(' world');
        });
        console.log('pending', c.pending, c.connecting, c.readyState);
        c.setEncoding('utf8');
        let got = '';
        c.on('data', (d) => got += d);
        c.on('end', () => console.log('client got', got));
        c.on('close', (h) => { console.log('client close', h, c.bytesRead, c.bytesWritten, c.readyState); server.close(() => console.log('server closed', server.listening)); });
      });`);
    assert.match(out, /client got HELLO WORLD/);
  });

  it("ECONNREFUSED as Node reports it", async () => {
    await same(`${SHOW_ERROR}
      const c = require('net').connect(9, '127.0.0.1');
      c.on('error', (e) => show('refused', e));
      c.on('close', (h) => console.log('close', h, c.destroyed));`);
  });

  it("EADDRINUSE as Node reports it (message, fields, key order)", async () => {
    await same(`${SHOW_ERROR}
      const net = require('net');
      const a = net.createServer().listen(0, () => {
        const port = a.address().port;
        console.log(a.address().address, a.address().family);
        const b = net.createServer();
        b.on('error', (e) => { show('inuse', { ...e, message: e.message.replace(String(port), 'PORT'), constructor: e.constructor, port: e.port === port }); console.log(Object.keys(e).join()); a.close(); });
        b.listen(port);
      });`);
  });

  it("bad ports and Unix paths throw synchronously", async () => {
    await same(`${SHOW_ERROR}
      const net = require('net');
      for (const p of [70000, -1, 1.5, '65536']) {
        try { net.connect(p) } catch (e) { console.log('connect', p, e.code, e.message) }
        try { net.createServer().listen(p) } catch (e) { console.log('listen', p, e.code, e.message) }
      }
      const s = net.createServer().listen(0, () => {
        try { s.listen(0) } catch (e) { console.log(e.code, e.message) }
        s.close();
      });`);
  });

  it("isIP, isIPv4, isIPv6", async () => {
    await same(`
      const net = require('net');
      for (const a of ['1.2.3.4', '255.255.255.255', '256.1.1.1', '::1', '::', 'fe80::1%eth0', '::ffff:1.2.3.4', '1:2:3:4:5:6:7:8', '1::2::3', 'x', '', '01.2.3.4', 5, null])
        console.log(JSON.stringify(a), net.isIP(a), net.isIPv4(a), net.isIPv6(a));`);
  });

  it("BlockList rules and checks", async () => {
    await same(`
      const { BlockList, SocketAddress } = require('net');
      const b = new BlockList();
      b.addAddress('10.0.0.1');
      b.addRange('192.168.1.10', '192.168.1.20');
      b.addSubnet('172.16.0.0', 12);
      b.addSubnet('fd00::', 8, 'ipv6');
      console.log(b.rules.sort());
      for (const a of ['10.0.0.1', '10.0.0.2', '192.168.1.15', '192.168.1.21', '172.31.255.255', '172.32.0.0'])
        console.log(a, b.check(a));
      console.log(b.check('fd12::1', 'ipv6'), b.check('fe00::1', 'ipv6'), b.check('::ffff:10.0.0.1', 'ipv6'));
      const sa = new SocketAddress({ address: '1.2.3.4', port: 80 });
      console.log(sa.address, sa.port, sa.family, BlockList.isBlockList(b));`);
  });

  it("half-close: allowHalfOpen server keeps writing after the client's FIN", async () => {
    await same(`
      const net = require('net');
      const server = net.createServer({ allowHalfOpen: true }, (s) => {
        let n = 0;
        s.on('data', (d) => n += d.length);
        s.on('end', () => { console.log('server saw end after', n); s.end('bye after ' + n); });
      });
      server.listen(0, () => {
        const c = net.connect(server.address().port);
        c.end('12345');
        let got = '';
        c.on('data', (d) => got += d);
        c.on('end', () => { console.log('client got', got); server.close(); });
      });`);
  });

  it("a 5 MB transfer arrives intact in both directions", async () => {
    await same(`
      const net = require('net');
      const size = 5 * 1024 * 1024;
      const data = Buffer.alloc(size);
      for (let i = 0; i < size; i++) data[i] = (i * 7) & 255;
      const server = net.createServer((s) => s.pipe(s));
      server.listen(0, () => {
        const c = net.connect(server.address().port, () => c.end(data));
        const chunks = [];
        c.on('data', (d) => chunks.push(d));
        c.on('end', () => {
          const back = Buffer.concat(chunks);
          console.log(back.length, back.equals(data));
          server.close();
        });
      });`);
  });

  it("many concurrent connections", async () => {
    await same(`
      const net = require('net');
      const server = net.createServer((s) => s.end('hi ' + (++count)));
      let count = 0;
      server.listen(0, () => {
        let done = 0; const seen = [];
        for (let i = 0; i < 30; i++) {
          const c = net.connect(server.address().port);
          let got = '';
          c.on('data', (d) => got += d);
          c.on('end', () => { seen.push(got); if (++done === 30) { console.log(seen.length, new Set(seen).size); server.getConnections((e, n) => { console.log('open', n >= 0); server.close(() => console.log('closed')); }); } });
        }
      });`);
  });

  it("setTimeout emits timeout on an idle socket; destroy closes", async () => {
    await same(`
      const net = require('net');
      const server = net.createServer(() => {});
      server.listen(0, () => {
        const c = net.connect(server.address().port);
        c.setTimeout(50, () => { console.log('timeout', c.timeout); c.destroy(); });
        c.on('close', (h) => { console.log('closed', h); server.close(); });
      });`);
  });

  it("an unref'ed server does not keep the process alive; a ref'ed one does until closed", async () => {
    await same(`
      const net = require('net');
      const a = net.createServer().listen(0).unref();
      const b = net.createServer().listen(0, () => { console.log('b listening'); setTimeout(() => b.close(() => console.log('b closed')), 20); });
      process.on('exit', () => console.log('exit'));`);
  });

  it("close() on a server that is not running reports ERR_SERVER_NOT_RUNNING", async () => {
    await same(`
      const s = require('net').createServer();
      s.close((e) => console.log(e.code, e.message));
      s.on('close', () => console.log('close event'));`);
  });

  it("writes before connect are sent once connected; 'lookup' fires for names", async () => {
    await same(`
      const net = require('net');
      const server = net.createServer((s) => s.on('data', (d) => { console.log('got', d.toString()); s.end(); server.close(); }));
      server.listen(0, () => {
        const c = net.createConnection({ port: server.address().port, host: 'localhost' });
        c.on('lookup', (e, address, family, host) => console.log('lookup', e, address, family, host));
        c.write('early');
        c.on('connect', () => console.log('connect'));
      });`);
  });

  it("server pauseOnConnect and maxConnections", async () => {
    await same(`
      const net = require('net');
      const server = net.createServer({ pauseOnConnect: true }, (s) => {
        console.log('paused', s.isPaused());
        setTimeout(() => { s.resume(); s.on('data', (d) => { console.log('data', d.toString()); s.end(); server.close(); }); }, 10);
      });
      server.listen(0, () => net.connect(server.address().port).end('x'));`);
  });
});

describe("dns (differential)", () => {
  it("lookup: localhost, literals, options, ENOTFOUND", async () => {
    await same(`
      const dns = require('dns');
      const { promisify } = require('util');
      const cb = (label, ...args) => new Promise((resolve) => dns.lookup(...args, (...r) => { console.log(label, ...r); resolve(); }));
      (async () => {
        await cb('cb', 'localhost');
        await cb('lit', '127.0.0.1');
        await cb('lit6', '::1', { all: true });
        await cb('fam4', 'localhost', 4);
        await cb('all4', 'localhost', { family: 4, all: true });
        console.log('promise', await dns.promises.lookup('localhost', { family: 4 }));
        await require('dns/promises').lookup('no-such-host.invalid').catch((e) => console.log('nf', e.message, e.code, e.errno, e.syscall, e.hostname, Object.keys(e)));
        try { dns.lookup(5, () => {}) } catch (e) { console.log(e.code, e.message) }
        try { dns.lookup('x', { family: 5 }, () => {}) } catch (e) { console.log(e.code, e.message) }
      })();`);
  });
});

describe("net in the VM", () => {
  it("a guest server in one process, a guest client in another", async () => {
    const vm = await nodeVm();
    await vm.writeFile(
      "/tmp/net-server.js",
      `const net = require('net');
       net.createServer((s) => s.on('data', (d) => s.end('pong:' + d))).listen(4100, '127.0.0.1', () => console.log('ready'));`,
    );
    const server = vm.spawn("node", ["/tmp/net-server.js"]);
    await waitForListen(vm, 4100);
    const r = await vm.exec(
      `node -e "const c = require('net').connect(4100, 'localhost'); c.end('ping'); c.on('data', (d) => console.log(String(d)));"`,
    );
    assert.equal(r.stdout, "pong:ping\n");
    assert.equal(r.exitCode, 0);
    vm.killProcess(server.pid);
    await vm.waitProcess(server.pid);
    // The process is gone, and so is its listener.
    const after = await vm.exec(
      `node -e "require('net').connect(4100).on('error', (e) => console.log(e.code))"`,
    );
    assert.equal(after.stdout, "ECONNREFUSED\n");
  });

  it("the egress policy denies private addresses with EACCES naming the policy", async () => {
    const vm = await nodeVm();
    const r = await vm.exec(
      `node -e "require('net').connect(80, '10.0.0.1').on('error', (e) => console.log(e.code, e.syscall, e.address, e.port, /policy/.test(e.message)))"`,
    );
    assert.equal(r.stdout, "EACCES connect 10.0.0.1 80 true\n");
    const meta = await vm.exec(
      `node -e "require('net').connect(80, '169.254.169.254').on('error', (e) => console.log(e.code))"`,
    );
    assert.equal(meta.stdout, "EACCES\n");
  });

  it("dns.lookup('localhost') is the VM's loopback", async () => {
    const vm = await nodeVm();
    const r = await vm.exec(
      `node -e "require('dns').lookup('localhost', { all: true }, (e, a) => console.log(JSON.stringify(a)))"`,
    );
    assert.equal(r.stdout, '[{"address":"127.0.0.1","family":4},{"address":"::1","family":6}]\n');
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
