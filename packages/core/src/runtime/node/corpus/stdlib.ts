/** A few cases per pure builtin: path, util, events, buffer, url, querystring, assert, stream, os, readline ... */
import { js, mjs, type NodeCase } from "./case.ts";

export const STDLIB_CASES: NodeCase[] = [
  // path
  js(
    "path posix basics",
    "const p = require('path'); console.log(p.join('/a/b', '../c', './d'), p.resolve('x'), p.normalize('/a//b/../c/.'), p.relative('/a/b/c', '/a/d'), p.sep, p.delimiter)",
  ),
  js(
    "path parse format",
    "const p = require('path'); const o = p.parse('/home/u/file.tar.gz'); console.log(o, p.format(o), p.basename('/x/y.js', '.js'), p.extname('.bashrc'), p.dirname('/a/b/'))",
  ),
  js(
    "path win32",
    "const p = require('path').win32; console.log(p.join('C:\\\\a', 'b'), p.isAbsolute('C:\\\\x'), p.parse('C:\\\\dir\\\\f.txt').base, p.sep)",
  ),
  js(
    "path errors",
    "try { require('path').join(1); } catch (e) { console.log(e.code, e.message); }",
  ),
  // util
  js(
    "util format",
    "const u = require('util'); console.log(u.format('%s %d %i %f %j %o %c|', 'a', 1.5, 2.7, '3.5', { j: 1 }, [1], 'css'), u.format('no args %s'), u.format(1, 2, { a: 1 }))",
  ),
  js(
    "util inspect options",
    "const u = require('util'); console.log(u.inspect({ a: [1, 2, { b: 3 }] }, { compact: false, depth: 1 })); console.log(u.inspect('str', { colors: true }), u.inspect(new Map([[1, 2]]), { showHidden: true }))",
  ),
  js(
    "util inspect custom",
    "const u = require('util'); class T { [u.inspect.custom](depth, opts) { return 'T<' + depth + '>'; } } console.log(u.inspect(new T()), [new T()], `${u.inspect({ t: new T() })}`)",
  ),
  js(
    "util promisify callbackify",
    "const u = require('util'); const f = (x, cb) => cb(null, x * 2); u.promisify(f)(21).then(console.log); u.callbackify(async (x) => x + 1)(1, (e, v) => console.log(e, v)); const t = (cb) => cb(new Error('bad')); u.promisify(t)().catch((e) => console.log(e.message))",
  ),
  js(
    "util types",
    "const { types } = require('util'); console.log(types.isPromise(Promise.resolve()), types.isRegExp(/x/), types.isDate(new Date()), types.isUint8Array(Buffer.alloc(1)), types.isAsyncFunction(async () => {}), types.isProxy(new Proxy({}, {})))",
  ),
  js(
    "util isDeepStrictEqual",
    "const u = require('util'); console.log(u.isDeepStrictEqual({ a: [1] }, { a: [1] }), u.isDeepStrictEqual([1], ['1']), u.isDeepStrictEqual(new Set([1]), new Set([1])))",
  ),
  js(
    "util parseArgs",
    "const { parseArgs } = require('util'); console.log(parseArgs({ args: ['-f', 'x', '--verbose', 'pos'], options: { f: { type: 'string', short: 'f' }, verbose: { type: 'boolean' } }, allowPositionals: true })); try { parseArgs({ args: ['--nope'], options: {} }); } catch (e) { console.log(e.code); }",
  ),
  js(
    "util deprecate",
    "const u = require('util'); const f = u.deprecate(() => 'r', 'f is old', 'DEP_X'); console.log(f(), f())",
  ),
  js(
    "util styleText",
    "const u = require('util'); console.log(JSON.stringify(u.styleText('red', 'x')), JSON.stringify(u.styleText(['bold', 'underline'], 'y')))",
  ),
  js(
    "util inherits and TextEncoder",
    "const u = require('util'); function A() {} function B() {} u.inherits(B, A); console.log(new B() instanceof A, B.super_ === A, u.TextEncoder === TextEncoder, typeof u.stripVTControlCharacters)",
  ),
  // events
  js(
    "events basics",
    "const E = require('events'); const e = new E(); e.on('x', (a, b) => console.log('on', a, b)); e.once('x', () => console.log('once')); e.prependListener('x', () => console.log('first')); console.log(e.emit('x', 1, 2), e.emit('x', 3), e.emit('none'), e.listenerCount('x'), e.eventNames())",
  ),
  js(
    "events error without listener",
    "const E = require('events'); const e = new E(); try { e.emit('error', new Error('unhandled ee')); } catch (err) { console.log('thrown', err.message); } try { e.emit('error', 'str'); } catch (err) { console.log(err.code, err.message); }",
  ),
  js(
    "events once promise and on iterator",
    "const { once, on, EventEmitter } = require('events'); const e = new EventEmitter(); once(e, 'go').then((v) => console.log('once', v)); e.emit('go', 1, 2); (async () => { const ac = new AbortController(); setTimeout(() => { e.emit('tick', 'a'); e.emit('tick', 'b'); ac.abort(); }, 1); try { for await (const [v] of on(e, 'tick', { signal: ac.signal })) console.log('it', v); } catch (err) { console.log(err.name); } })()",
  ),
  js(
    "events max listeners warning",
    "const E = require('events'); const e = new E(); e.setMaxListeners(1); e.on('a', () => {}); e.on('a', () => {}); console.log(e.getMaxListeners(), E.defaultMaxListeners)",
  ),
  js(
    "events max listeners warning on subclass and process",
    "const E = require('events');\nclass Bus extends E {}\nconst b = new Bus();\nfor (let i = 0; i < 12; i++) b.prependListener('x', () => {});\nfor (let i = 0; i < 12; i++) process.on('y', () => {});\nfor (let i = 0; i < 12; i++) b.once('z', () => {});\nprocess.on('warning', (w) => console.log(w.name, w.count, w.type, w.emitter === b || w.emitter === process));\nconsole.log(b.on.name, b.on === b.addListener, b.prependListener.name);",
  ),
  js(
    "events removeListener and off",
    "const E = require('events'); const e = new E(); const f = () => console.log('f'); e.on('x', f); e.on('removeListener', (n) => console.log('removed', n)); e.off('x', f); e.emit('x'); e.removeAllListeners(); console.log(e.listenerCount('x'))",
  ),
  // buffer
  js(
    "buffer encodings",
    "const b = Buffer.from('héllo wörld'); console.log(b, b.toString('hex'), b.toString('base64'), b.toString('base64url'), b.toString('latin1'), Buffer.from('68656c6c6f', 'hex').toString(), Buffer.byteLength('€'))",
  ),
  js(
    "buffer read write numbers",
    "const b = Buffer.alloc(16); b.writeUInt32BE(0xdeadbeef, 0); b.writeInt16LE(-2, 4); b.writeDoubleLE(1.5, 8); console.log(b, b.readUInt32BE(0).toString(16), b.readInt16LE(4), b.readDoubleLE(8), b.readBigUInt64LE(8))",
  ),
  js(
    "buffer slice concat compare",
    "const a = Buffer.from('abc'); const s = a.subarray(1); s[0] = 120; console.log(a.toString(), Buffer.concat([a, Buffer.from('!')]).toString(), Buffer.compare(a, Buffer.from('b')), a.equals(Buffer.from('axc')), a.indexOf('c'), a.includes('x'))",
  ),
  js(
    "buffer json and inspect",
    "const b = Buffer.from([1, 2, 3]); console.log(JSON.stringify(b), b.toJSON(), Buffer.isBuffer(b), Buffer.alloc(60, 1), require('buffer').constants.MAX_LENGTH > 0)",
  ),
  js(
    "buffer errors",
    "try { Buffer.alloc(-1); } catch (e) { console.log(e.code, e.name); } try { Buffer.from({}); } catch (e) { console.log(e.code); } try { Buffer.alloc(2).readUInt32LE(0); } catch (e) { console.log(e.code, e.message); }",
  ),
  js(
    "buffer read and write range errors",
    "const b = Buffer.alloc(4);\nconst tries = [() => b.readUInt8(5), () => b.readInt16BE(-1), () => b.readUInt16LE(1.5), () => b.readDoubleLE(0), () => b.readUInt8('1'), () => b.writeUInt8(300, 0), () => b.writeInt8(1, 9), () => b.writeUInt16LE(1, 3), () => b.writeInt32BE(2 ** 40), () => b.writeBigUInt64LE(1n), () => Buffer.alloc(16).writeBigInt64BE(2n ** 70n), () => b.writeFloatLE(1, 1), () => Buffer.alloc('x'), () => Buffer.allocUnsafe(-5), () => Buffer.from(5), () => Buffer.from(null)];\nfor (const t of tries) { try { console.log('ok', t()); } catch (e) { console.log(e.code, e.name, e.message); } }\nconsole.log(b.readUint8 === b.readUInt8, b.writeUInt32LE(0xdeadbeef, 0), b.readUInt32LE(), b.readInt8(3), Buffer.alloc(3, 'ab'));",
  ),
  js(
    "buffer fill and utf16",
    "console.log(Buffer.alloc(5, 'ab'), Buffer.from('hi', 'utf16le'), Buffer.from('aGk', 'base64').toString(), Buffer.from('ÿ', 'latin1'), Buffer.from([0xe2, 0x82]).toString())",
  ),
  js(
    "blob and file",
    "(async () => { const b = new Blob(['ab', new Uint8Array([99])], { type: 'text/plain' }); console.log(b.size, b.type, await b.text(), new File(['x'], 'f.txt').name); console.log(typeof require('buffer').Blob); })()",
  ),
  // url, querystring, string_decoder
  js(
    "url legacy parse and format",
    "const url = require('url'); const u = url.parse('http://user@host.com:8080/p/a?query=string#hash', true); console.log(u.hostname, u.port, u.query, u.hash); console.log(url.format({ protocol: 'https', host: 'x.org', pathname: '/y' }))",
  ),
  js(
    "url file helpers",
    "const url = require('url'); console.log(url.pathToFileURL('/tmp/a b#c').href, url.fileURLToPath('file:///tmp/x%20y'), url.domainToASCII('español.com'))",
  ),
  js(
    "url invalid",
    "try { new URL('not a url'); } catch (e) { console.log(e.code, e.name, e.message); } console.log(URL.canParse('http://x'), URL.canParse('::'))",
  ),
  js(
    "url invalid error properties",
    "for (const args of [['not a url'], ['x', 'bad base'], ['/p', 'http://ok']]) {\n  try { console.log(new URL(...args).href); } catch (e) { console.log(e.stack.split('\\n')[0], Object.entries(e)); }\n}\nconsole.log(URL.parse('nope'), URL.parse('http://a/b') instanceof URL, new URL('http://x') instanceof URL, URL.name, URL.canParse('::'));",
  ),
  js(
    "url search params",
    "const p = new URLSearchParams('a=1&b=2&a=3'); p.append('c', 'x y'); p.sort(); console.log(p.getAll('a'), p.toString(), [...p.keys()], p.has('b'), p.size)",
  ),
  js(
    "querystring",
    "const qs = require('querystring'); console.log(qs.parse('a=1&b=x%20y&a=2&c'), qs.stringify({ k: ['v1', 'v2'], s: 'é &' }), qs.escape('a b'), qs.unescape('%41'))",
  ),
  js(
    "string decoder",
    "const { StringDecoder } = require('string_decoder'); const d = new StringDecoder('utf8'); const euro = Buffer.from('€'); console.log(JSON.stringify(d.write(euro.subarray(0, 1))), d.write(euro.subarray(1)), JSON.stringify(d.end(Buffer.from([0xe2]))))",
  ),
  // assert
  js(
    "assert passes",
    "const assert = require('assert'); assert(true); assert.equal(1, '1'); assert.deepStrictEqual({ a: [1] }, { a: [1] }); assert.throws(() => { throw new TypeError('x'); }, TypeError); console.log('all passed')",
  ),
  js(
    "assert strictEqual failure message",
    "const assert = require('assert'); try { assert.strictEqual(1, 2); } catch (e) { console.log(e.code, e.name); console.log(e.message); }",
  ),
  js(
    "assert deepStrictEqual failure diff",
    "const assert = require('assert/strict'); try { assert.deepStrictEqual({ a: 1, b: [1, 2] }, { a: 1, b: [1, 3] }); } catch (e) { console.log(e.message); }",
  ),
  js("assert uncaught failure", "require('assert').ok(0 > 1, 'zero is not greater');"),
  js(
    "assert rejects and match",
    "const assert = require('assert'); assert.match('abc', /b/); assert.rejects(Promise.reject(new Error('no')), /no/).then(() => console.log('rejects ok')); try { assert.notStrictEqual(1, 1); } catch (e) { console.log(e.operator); }",
  ),
  // stream
  js(
    "stream compose forwards on data as node 24",
    `const { compose, PassThrough, Transform, Readable, Writable } = require('stream');
const d = compose(new PassThrough(), new Transform({ transform(c, e, cb) { cb(null, String(c).toUpperCase()); } }));
d.on('data', (c) => console.log('data', String(c)));
d.write('a'); console.log('after a');
Promise.resolve().then(() => console.log('micro1')); process.nextTick(() => console.log('tick1'));
setTimeout(() => {
  d.write('b'); process.nextTick(() => console.log('tick2')); Promise.resolve().then(() => console.log('micro2'));
  setTimeout(() => process.nextTick(() => { d.write('c'); console.log('after c'); process.nextTick(() => console.log('tick3')); }), 5);
}, 5);
const e = compose(new PassThrough(), new PassThrough()); e.write('x'); e.end();
e.on('data', (c) => console.log('e data', String(c))); e.on('end', () => console.log('e end')); e.on('finish', () => console.log('e finish'));
const r = Readable.from(['x', 'y']).compose(new Transform({ objectMode: true, transform(c, enc, cb) { cb(null, c + '!'); } }));
console.log(r.constructor.name); r.on('data', (c) => console.log('rc', c));
try { compose(); } catch (err) { console.log(err.name, err.code, err.message); }
try { compose(new Writable(), new PassThrough()); } catch (err) { console.log(err.name, err.code, err.message.split(' Received')[0]); }
try { Readable.from([]).compose(new PassThrough(), 1); } catch (err) { console.log(err.code, err.message); }
const w = compose(new PassThrough(), new Writable({ write(c, enc, cb) { console.log('sink', String(c)); cb(); } }));
console.log(w.readable, w.writable); w.end('z', () => console.log('w done'));
const web = compose(new PassThrough(), new TransformStream({ transform(ch, ctl) { ctl.enqueue(String(ch) + '#'); } }));
web.on('data', (x) => console.log('web', String(x))); web.end('w');`,
  ),
  js(
    "stream finished and state checks on web streams",
    "const { finished, isReadable, isErrored, isDisturbed, isWritable } = require('stream'); let c1; const r1 = new ReadableStream({ start(c) { c1 = c; } }); console.log(isReadable(r1), isErrored(r1), isDisturbed(r1)); finished(r1, (err) => { console.log('r1 finished', err ?? null, isReadable(r1), isDisturbed(r1)); let c2; const r2 = new ReadableStream({ start(c) { c2 = c; } }); finished(r2, (e) => { console.log('r2 finished', e.message, isErrored(r2)); const w = new WritableStream({ write() {} }); console.log(isWritable(w)); finished(w, (e2) => console.log('w finished', e2 ?? null, isWritable(w))); const writer = w.getWriter(); writer.write('x').then(() => writer.close()); }); c2.error(new Error('boom')); }); c1.close(); r1.getReader().read().then((x) => console.log('read', x));",
  ),
  js(
    "stream addAbortSignal on a web stream",
    "const { addAbortSignal } = require('stream'); const ac = new AbortController(); const r = new ReadableStream({ start() {} }); addAbortSignal(ac.signal, r); r.getReader().read().catch((e) => console.log('aborted', e.name)); ac.abort();",
  ),
  js(
    "process getBuiltinModule and node:sea",
    "const sea = require('node:sea'); console.log(Object.keys(sea), sea.isSea()); for (const f of ['getAsset', 'getAssetAsBlob', 'getRawAsset', 'getAssetKeys']) { try { sea[f]('x'); } catch (e) { console.log(f, e.code, e.message); } } try { sea.getAsset(1); } catch (e) { console.log(e.code, e.message); } console.log(process.getBuiltinModule('fs') === require('fs'), process.getBuiltinModule('node:path') === require('path'), process.getBuiltinModule('test'), process.getBuiltinModule('nope'), process.getBuiltinModule('node:nope'), process.getBuiltinModule('node:sea')?.isSea()); try { process.getBuiltinModule(1); } catch (e) { console.log(e.code, e.message); }",
  ),
  js(
    "performance markResourceTiming",
    "const { performance, PerformanceObserver, PerformanceResourceTiming } = require('perf_hooks'); const obs = new PerformanceObserver((list) => { console.log('observed', list.getEntries().map((e) => e.name)); obs.disconnect(); }); obs.observe({ entryTypes: ['resource'] }); const info = { startTime: 10, endTime: 25, redirectStartTime: 0, redirectEndTime: 0, postRedirectStartTime: 10, finalServiceWorkerStartTime: 0, finalNetworkRequestStartTime: 12, finalNetworkResponseStartTime: 20, encodedBodySize: 100, decodedBodySize: 120, finalConnectionTimingInfo: { domainLookupStartTime: 10, domainLookupEndTime: 11, connectionStartTime: 11, connectionEndTime: 12, secureConnectionStartTime: 0, ALPNNegotiatedProtocol: 'http/1.1' } }; const e = performance.markResourceTiming(info, 'http://x.test/a', 'fetch', globalThis, '', {}, 200); console.log(e instanceof PerformanceResourceTiming, e.entryType, e.name, e.duration, e.transferSize, e.nextHopProtocol, Object.prototype.toString.call(e)); console.log(JSON.stringify(e.toJSON())); console.log(performance.getEntriesByType('resource').length); performance.clearResourceTimings(); console.log(performance.getEntriesByType('resource').length);",
  ),
  js(
    "stream readable from",
    "const { Readable } = require('stream'); Readable.from(['a', 'b', 'c']).on('data', (d) => console.log('data', d)).on('end', () => console.log('end'))",
  ),
  js(
    "stream transform pipeline",
    "const { Transform, Readable, Writable, pipeline } = require('stream'); const out = []; pipeline(Readable.from(['x', 'y']), new Transform({ transform(c, e, cb) { cb(null, c.toString().toUpperCase()); } }), new Writable({ write(c, e, cb) { out.push(c.toString()); cb(); } }), (err) => console.log('done', err, out))",
  ),
  js(
    "stream promises pipeline",
    "const { pipeline } = require('stream/promises'); const { Readable, PassThrough } = require('stream'); const p = new PassThrough(); let s = ''; p.on('data', (d) => (s += d)); pipeline(Readable.from(['1', '2']), p).then(() => console.log('piped', s))",
  ),
  js(
    "stream async iteration",
    "const { Readable } = require('stream'); (async () => { const r = new Readable({ read() {} }); r.push('a'); r.push('b'); r.push(null); const chunks = []; for await (const c of r) chunks.push(c.toString()); console.log(chunks); })()",
  ),
  js(
    "stream errors and destroy",
    "const { Readable } = require('stream'); const r = new Readable({ read() { this.destroy(new Error('rd fail')); } }); r.on('error', (e) => console.log('error', e.message)); r.on('close', () => console.log('close')); r.resume()",
  ),
  js(
    "stream object mode and backpressure",
    "const { Writable } = require('stream'); const w = new Writable({ objectMode: true, highWaterMark: 2, write(o, e, cb) { setImmediate(cb); } }); console.log(w.write({ a: 1 }), w.write({ b: 2 }), w.writableLength); w.on('drain', () => console.log('drain'))",
  ),
  js(
    "web streams",
    "(async () => { const rs = new ReadableStream({ start(c) { c.enqueue('a'); c.enqueue('b'); c.close(); } }); const out = []; for await (const x of rs.pipeThrough(new TransformStream({ transform(ch, c) { c.enqueue(ch + '!'); } }))) out.push(x); console.log(out, typeof require('stream/web').WritableStream); })()",
  ),
  // os, readline, misc
  js(
    "os constants and eol",
    "const os = require('os'); console.log(os.EOL === '\\n', os.platform(), os.type(), os.constants.signals.SIGTERM, os.constants.errno.ENOENT, os.endianness(), typeof os.cpus().length, os.devNull)",
  ),
  js(
    "os constants layout",
    "const { constants } = require('os');\nconsole.log(Object.keys(constants), Object.getPrototypeOf(constants.errno), Object.isFrozen(constants.signals), constants.priority, constants.dlopen.RTLD_NOW, Object.keys(constants.signals).length, Object.keys(constants.errno).length);",
  ),
  js(
    "readline lines from stream",
    "const rl = require('readline').createInterface({ input: require('stream').Readable.from(['l1\\nl2\\n', 'l3']) }); rl.on('line', (l) => console.log('line', l)); rl.on('close', () => console.log('closed'))",
  ),
  js(
    "readline stdin lines",
    "const rl = require('readline').createInterface({ input: process.stdin }); let n = 0; rl.on('line', (l) => console.log(++n, l.toUpperCase())); rl.on('close', () => console.log('total', n))",
    { stdin: "alpha\nbeta\ngamma" },
  ),
  js(
    "readline promises question",
    "const rl = require('readline/promises').createInterface({ input: process.stdin, output: process.stdout }); rl.question('name? ').then((a) => { console.log('hello', a); rl.close(); })",
    { stdin: "agent\n" },
  ),
  js(
    "stdin read all",
    "let s = ''; process.stdin.setEncoding('utf8'); process.stdin.on('data', (d) => (s += d)); process.stdin.on('end', () => console.log(JSON.stringify(s), s.length))",
    { stdin: "some\ninput\n" },
  ),
  js(
    "stdin readFileSync fd 0",
    "console.log(require('fs').readFileSync(0, 'utf8').split('\\n').reverse().join('|'))",
    { stdin: "1\n2\n3" },
  ),
  js(
    "async local storage",
    "const { AsyncLocalStorage } = require('async_hooks'); const als = new AsyncLocalStorage(); als.run({ id: 1 }, () => { setTimeout(() => console.log('timer', als.getStore()), 1); Promise.resolve().then(() => console.log('micro', als.getStore())); }); console.log('outside', als.getStore())",
  ),
  js(
    "diagnostics channel",
    "const dc = require('diagnostics_channel'); const ch = dc.channel('my'); console.log(ch.hasSubscribers); dc.subscribe('my', (m, n) => console.log('msg', m, n)); ch.publish({ x: 1 })",
  ),
  js(
    "perf hooks",
    "const { performance, PerformanceObserver } = require('perf_hooks'); performance.mark('a'); performance.mark('b'); const m = performance.measure('ab', 'a', 'b'); console.log(m.name, m.entryType, typeof PerformanceObserver, performance.getEntriesByType('mark').length)",
  ),
  js(
    "worker threads main thread",
    "const w = require('worker_threads'); console.log(w.isMainThread, w.threadId, w.parentPort)",
  ),
  js(
    "vm module runInNewContext",
    "const vm = require('vm'); console.log(vm.runInNewContext('a + b', { a: 1, b: 2 }), new vm.Script('x * 2').runInNewContext({ x: 21 }), vm.isContext(vm.createContext({})))",
  ),
  js(
    "v8 serialize",
    "const v8 = require('v8'); const b = v8.serialize({ a: [1, 'x'], m: new Map([[1, 2]]) }); console.log(v8.deserialize(b), typeof v8.getHeapStatistics().heap_size_limit)",
  ),
  js(
    "tty isatty",
    "const tty = require('tty'); console.log(tty.isatty(0), tty.isatty(1), tty.isatty(99))",
  ),
  js("punycode deprecated module", "console.log(require('punycode').toASCII('mañana.com'))"),
  mjs(
    "esm events on static",
    "import { EventEmitter, once } from 'node:events'; const e = new EventEmitter(); setTimeout(() => e.emit('ready', 'v'), 1); const [v] = await once(e, 'ready'); console.log(v);",
  ),
  js(
    "fetch global types",
    "console.log(typeof fetch, typeof Request, typeof Response, typeof Headers, typeof FormData, typeof WebSocket); const h = new Headers({ 'X-A': '1' }); h.append('x-a', '2'); console.log(h.get('x-a'), new Response('body', { status: 201 }).status)",
  ),
  js(
    "response body helpers",
    "(async () => { const r = new Response(JSON.stringify({ a: 1 }), { headers: { 'content-type': 'application/json' } }); console.log(await r.json(), r.headers.get('content-type'), r.ok); const q = new Request('http://x/y', { method: 'POST', body: 'b' }); console.log(q.method, q.url, await q.text()); })()",
  ),
  js(
    "broadcast channel and message channel",
    "const { port1, port2 } = new MessageChannel(); port2.onmessage = (e) => { console.log('msg', e.data); port1.close(); port2.close(); }; port1.postMessage({ hi: 1 }); console.log(typeof BroadcastChannel)",
  ),
];
