/**
 * Differential tests of the second part of the guest's standard library: web globals
 * (DOMException, CustomEvent, Blob/File, navigator, MessageChannel, BroadcastChannel, web
 * streams), Buffer's base64url, async_hooks, url, querystring, perf_hooks,
 * diagnostics_channel, vm, worker_threads, constants, console, string_decoder and punycode.
 * Each case runs under host Node 24 and inside the VM; printed output must be identical.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type SnippetBatch, type SnippetCase, snippetBatches } from "./snippet-batches.ts";

type Case = SnippetCase;

const GLOBALS_CASES: Case[] = [
  [
    "DOMException fields",
    "const e = new DOMException('m', 'AbortError'); console.log(e.name, e.code, e.message, e instanceof Error, Object.prototype.toString.call(e), String(e), Object.keys(e))",
  ],
  [
    "DOMException defaults and constants",
    "console.log(new DOMException('x').name, new DOMException('x').code, DOMException.ABORT_ERR, DOMException.DATA_CLONE_ERR, new DOMException('m', { name: 'DataCloneError', cause: 1 }).cause)",
  ],
  [
    "DOMException stack header",
    "console.log(new DOMException('m', 'TimeoutError').stack.split('\\n')[0])",
  ],
  [
    "CustomEvent",
    "const c = new CustomEvent('foo', { detail: { a: 1 } }); console.log(c.type, c.detail, c instanceof Event, new CustomEvent('x').detail)",
  ],
  [
    "CustomEvent dispatch",
    "const t = new EventTarget(); t.addEventListener('hi', (e) => console.log(e.detail)); t.dispatchEvent(new CustomEvent('hi', { detail: 42 }))",
  ],
  [
    "navigator",
    "console.log(navigator.userAgent, typeof navigator.hardwareConcurrency, navigator.platform, navigator.language)",
  ],
  [
    "Blob inspect",
    "console.log(new Blob(['ab', new Uint8Array([99])], { type: 'Text/Plain' }), new Blob([], { type: 'bad\\u00e9' }).type)",
  ],
  ["File inspect", "console.log(new File(['x'], 'a.txt', { lastModified: 5 }))"],
  [
    "Blob slice/text",
    "const b = new Blob(['hello world']); console.log(await b.slice(-5).text(), b.slice(0, 5, 'x/y').type, b.size, b.slice(3, 1).size, Buffer.from(await b.arrayBuffer()).toString())",
  ],
  [
    "Blob stream",
    "const chunks = []; for await (const c of new Blob(['abc', 'def']).stream()) chunks.push(Buffer.from(c).toString()); console.log(chunks.join(''))",
  ],
  ["Blob bad sources", "new Blob('abc')"],
  [
    "buffer module Blob/File",
    "const buffer = require('buffer'); console.log(buffer.Blob === Blob, buffer.File === File)",
  ],
  [
    "ReadableStream pipeThrough",
    "const rs = new ReadableStream({ start(c) { c.enqueue('a'); c.enqueue('b'); c.close(); } }); const out = []; for await (const x of rs.pipeThrough(new TransformStream({ transform(ch, c) { c.enqueue(ch.toUpperCase()); } }))) out.push(x); console.log(out)",
  ],
  [
    "WritableStream",
    "const got = []; const ws = new WritableStream({ write(c) { got.push(c); } }); const w = ws.getWriter(); await w.write(1); await w.write(2); await w.close(); console.log(got)",
  ],
  [
    "TextDecoderStream split utf-8",
    "const rs = new ReadableStream({ start(c) { c.enqueue(new Uint8Array([0xe2, 0x82])); c.enqueue(new Uint8Array([0xac, 0x41])); c.close(); } }); let s = ''; for await (const x of rs.pipeThrough(new TextDecoderStream())) s += x; console.log(s, new TextDecoderStream().encoding)",
  ],
  [
    "TextEncoderStream",
    "const rs = new ReadableStream({ start(c) { c.enqueue('h\\u00e9'); c.close(); } }); const out = []; for await (const x of rs.pipeThrough(new TextEncoderStream())) out.push(...x); console.log(out)",
  ],
  [
    "queuing strategies",
    "console.log(new CountQueuingStrategy({ highWaterMark: 3 }).size(), new ByteLengthQueuingStrategy({ highWaterMark: 8 }).size(new Uint8Array(5)))",
  ],
  [
    "stream/web module",
    "const web = require('stream/web'); console.log(web.ReadableStream === ReadableStream, web.TextEncoderStream === TextEncoderStream, typeof web.WritableStreamDefaultWriter)",
  ],
  [
    "stream/consumers",
    "const { text, json, buffer, arrayBuffer, blob } = require('stream/consumers'); const { Readable } = require('stream'); console.log(await text(new Blob(['abc']).stream()), await json(Readable.from(['{\"a\":', '1}'])), await buffer(Readable.from([Buffer.from('x')])), (await arrayBuffer(Readable.from(['ab']))).byteLength, (await blob(Readable.from(['abc']))).size)",
  ],
  [
    "MessageChannel",
    "const { port1, port2 } = new MessageChannel(); await new Promise((done) => { port2.onmessage = (ev) => { console.log('got', ev.data, ev.constructor.name); port2.close(); done(); }; port1.postMessage({ x: [1, 2], m: new Map([[1, 2]]) }); })",
  ],
  [
    "MessagePort on('message')",
    "const { port1, port2 } = new MessageChannel(); await new Promise((done) => { port2.on('message', (data) => { console.log('data', data); port1.close(); done(); }); port1.postMessage('hi'); })",
  ],
  [
    "BroadcastChannel",
    "const a = new BroadcastChannel('ch'), b = new BroadcastChannel('ch'); await new Promise((done) => { b.onmessage = (ev) => { console.log('bc', ev.data, a.name); a.close(); b.close(); done(); }; a.postMessage({ n: 1 }); })",
  ],
];

const BUFFER_CASES: Case[] = [
  [
    "base64url toString",
    "const b = Buffer.from([251, 255, 191, 0, 1]); console.log(b.toString('base64url'), b.toString('BASE64URL'), Buffer.from('hello').toString('base64url'), Buffer.from('hi').toString('base64url', 0, 1))",
  ],
  [
    "base64url isEncoding",
    "console.log(Buffer.isEncoding('base64url'), Buffer.isEncoding('Base64Url'), Buffer.isEncoding('base64u'))",
  ],
  [
    "base64url from/byteLength",
    "console.log(Buffer.from('-_-_AAE', 'base64url'), Buffer.byteLength('-_-_AAE', 'base64url'), Buffer.from('aGVsbG8', 'base64url').toString())",
  ],
  [
    "base64url write/fill/includes",
    "const w = Buffer.alloc(6); console.log(w.write('-_8', 'base64url'), w.write('AQ', 1, 'base64url'), w, Buffer.alloc(4, 'AQI', 'base64url'), Buffer.from('abc').includes('YmM', 'base64url'))",
  ],
];

const ASYNC_HOOKS_CASES: Case[] = [
  [
    "ALS timers and ticks",
    "const als = new AsyncLocalStorage(); const seen = {}; await new Promise((done) => als.run({ id: 1 }, () => { let n = 0; const mark = (k) => { seen[k] = als.getStore(); if (++n === 4) done(); }; setTimeout(() => mark('timeout'), 2); setImmediate(() => mark('immediate')); process.nextTick(() => mark('tick')); queueMicrotask(() => mark('microtask')); })); console.log(seen, als.getStore())",
  ],
  [
    "ALS promise reactions",
    "const als = new AsyncLocalStorage(); const seen = []; await als.run('s', () => Promise.resolve().then(() => seen.push(als.getStore())).then(() => Promise.reject(new Error('x'))).catch(() => seen.push(als.getStore())).finally(() => seen.push(als.getStore()))); console.log(seen, als.getStore())",
  ],
  [
    "ALS host callbacks",
    "const als = new AsyncLocalStorage(); const fs = require('fs'); const seen = await new Promise((done) => als.run(5, () => fs.readFile(__filename, () => fs.promises.stat(__filename).then(() => done([als.getStore()]))))); console.log(seen)",
  ],
  [
    "ALS nesting and exit",
    "const als = new AsyncLocalStorage(); als.run(1, () => { als.run(2, () => console.log(als.getStore())); console.log(als.getStore()); als.exit(() => console.log(als.getStore())); }); console.log(als.getStore())",
  ],
  [
    "ALS two storages",
    "const a = new AsyncLocalStorage(), b = new AsyncLocalStorage(); a.run('A', () => b.run('B', () => setTimeout(() => console.log(a.getStore(), b.getStore()), 1))); await new Promise((r) => setTimeout(r, 5))",
  ],
  [
    "ALS enterWith/disable",
    "const als = new AsyncLocalStorage(); als.run(0, () => { als.enterWith(3); console.log(als.getStore()); als.disable(); console.log(als.getStore()); })",
  ],
  [
    "AsyncResource",
    "const als = new AsyncLocalStorage(); const r = als.run('r', () => new AsyncResource('X')); console.log(als.run('other', () => r.runInAsyncScope(() => als.getStore())), r.type, typeof r.asyncId(), typeof r.triggerAsyncId())",
  ],
  [
    "AsyncResource.bind and snapshot",
    "const als = new AsyncLocalStorage(); const bound = als.run(7, () => AsyncResource.bind(() => als.getStore())); const snap = als.run(9, () => AsyncLocalStorage.snapshot()); console.log(bound(), snap(() => als.getStore()), typeof bound.asyncResource); await new Promise((r) => setTimeout(r, 1))",
  ],
  [
    "ALS across await in interleaved async functions",
    "const als = new AsyncLocalStorage(); const work = async (n) => { await null; await new Promise((r) => setTimeout(r, 3 - n)); const a = als.getStore(); await Promise.all([1, 2]); return [n, a, als.getStore()]; }; console.log(await Promise.all([als.run('x', () => work(1)), als.run('y', () => work(2))]), als.getStore())",
  ],
  [
    "ALS across await of a thenable, for await and an async generator",
    "const als = new AsyncLocalStorage(); async function* gen() { yield als.getStore(); await new Promise((r) => setImmediate(r)); yield als.getStore(); } const seen = await als.run('g', async () => { const out = [await { then: (r) => r(als.getStore()) }]; for await (const v of gen()) out.push(v, als.getStore()); return out; }); console.log(seen, als.getStore())",
  ],
  [
    "ALS enterWith inside an async function stays in that function",
    "const als = new AsyncLocalStorage(); const f = async () => { als.enterWith('inner'); await null; return als.getStore(); }; const r = await als.run('outer', async () => { const v = await f(); return [v, als.getStore()]; }); console.log(r)",
  ],
  ["AsyncResource bad type", "new AsyncResource(1)"],
  [
    "createHook and ids",
    "const h = hooks.createHook({}); console.log(h.enable() === h, h.disable() === h, typeof hooks.executionAsyncId(), typeof hooks.triggerAsyncId())",
  ],
];

const URL_CASES: Case[] = [
  [
    "parse full",
    "console.log(url.parse('http://user:pw@Host.com:8080/p/a/t/h?query=string&a=1#hash'))",
  ],
  [
    "parse query object",
    "console.log(url.parse('http://a.com/x?y=1&y=2', true), url.parse('http://a.com/x', true).query)",
  ],
  [
    "parse slashes",
    "console.log(url.parse('//foo/bar', false, true).host, url.parse('/just/a/path?x').pathname)",
  ],
  ["parse non-string", "url.parse(1)"],
  [
    "format object",
    "console.log(url.format({ protocol: 'https', hostname: 'ex.com', pathname: '/a b', query: { q: 'x y', n: [1, 2] } }))",
  ],
  [
    "format URL options",
    "console.log(url.format(new URL('https://u:p@ex.com:81/a?b#c'), { auth: false, search: false, fragment: false }), url.format(new URL('http://xn--espaol-zwa.com/'), { unicode: true }))",
  ],
  [
    "resolve",
    "console.log(url.resolve('/one/two/three', 'four'), url.resolve('http://example.com/', '/one'), url.resolve('http://example.com/one', '../two'))",
  ],
  [
    "fileURLToPath/pathToFileURL",
    "console.log(url.fileURLToPath('file:///tmp/a%20b/c'), url.pathToFileURL('/tmp/a b/%c?#').href, url.pathToFileURL('/tmp/dir/').href)",
  ],
  ["fileURLToPath bad scheme", "url.fileURLToPath('http://x')"],
  ["fileURLToPath encoded slash", "url.fileURLToPath('file:///a%2Fb')"],
  [
    "urlToHttpOptions",
    "console.log(url.urlToHttpOptions(new URL('https://a:b@[::1]:8080/x?y=1#z')))",
  ],
  [
    "domainToASCII/Unicode",
    "console.log(url.domainToASCII('español.com'), url.domainToUnicode('xn--espaol-zwa.com'), JSON.stringify(url.domainToASCII('xn--iñvalid.com')))",
  ],
  ["url exports WHATWG", "console.log(url.URL === URL, url.URLSearchParams === URLSearchParams)"],
  ["querystring parse", "console.log(qs.parse('a=1&b=2&a=3&c&=x&d=%E4%BD%A0&e=%ZZ&f=a+b'))"],
  [
    "querystring parse options",
    "console.log(qs.parse('a:1;b:2', ';', ':'), qs.parse(''), qs.parse('a=1&b=2', null, null, { maxKeys: 1 }), qs.parse('&&a=1&&'), qs.parse('=&a'))",
  ],
  [
    "querystring stringify",
    "console.log(qs.stringify({ a: [1, 2], b: 'x y', c: true, d: null, e: {}, f: 'é!*()' }), qs.stringify({ a: 1 }, ';', ':'))",
  ],
  [
    "querystring escape",
    "console.log(qs.escape('a b&c'), qs.unescape('%41%zz+'), qs.decode === qs.parse)",
  ],
];

const MISC_CASES: Case[] = [
  [
    "perf_hooks marks and measures",
    "const { performance } = require('perf_hooks'); const m = performance.mark('a', { detail: { x: 1 } }); performance.mark('b'); const me = performance.measure('a-b', 'a', 'b'); console.log(performance === globalThis.performance, m.name, m.entryType, m.duration, m.detail, m.constructor.name, me.name, me.entryType, me.duration >= 0, me.constructor.name); console.log(performance.getEntriesByType('mark').map((e) => e.name), performance.getEntriesByName('a-b').length); performance.clearMarks('a'); console.log(performance.getEntriesByType('mark').map((e) => e.name)); performance.clearMarks(); performance.clearMeasures()",
  ],
  ["perf_hooks missing mark", "performance.measure('x', 'nope')"],
  [
    "PerformanceObserver",
    "const { PerformanceObserver } = require('perf_hooks'); await new Promise((done) => { const obs = new PerformanceObserver((list, o) => { console.log(list.getEntries().map((e) => e.entryType + ':' + e.name)); o.disconnect(); done(); }); obs.observe({ entryTypes: ['mark', 'measure'] }); performance.mark('p'); performance.mark('q'); performance.measure('p-q', 'p', 'q'); }); console.log(PerformanceObserver.supportedEntryTypes)",
  ],
  [
    "diagnostics_channel",
    "const dc = require('diagnostics_channel'); const ch = dc.channel('my'); console.log(ch.hasSubscribers, dc.hasSubscribers('my')); const sub = (msg, name) => console.log('msg', msg, name); dc.subscribe('my', sub); ch.publish({ a: 1 }); console.log(ch.hasSubscribers, dc.unsubscribe('my', sub), ch.hasSubscribers, dc.channel('my') === ch)",
  ],
  [
    "tracingChannel",
    "const tc = require('diagnostics_channel').tracingChannel('op'); tc.subscribe({ start: (c) => console.log('start', c.arg), end: (c) => console.log('end', c.result), asyncStart: (c) => console.log('asyncStart', c.result), asyncEnd: () => console.log('asyncEnd'), error: (c) => console.log('error', c.error.message) }); console.log(tc.traceSync(() => 42, { arg: 1 })); try { tc.traceSync(() => { throw new Error('boom') }, { arg: 2 }) } catch {} console.log('promise', await tc.tracePromise(async () => 7, { arg: 3 }))",
  ],
  [
    "vm in this context",
    "const vm = require('vm'); console.log(vm.runInThisContext('1 + 2'), new vm.Script('globalThis.zz = 5; zz * 2').runInThisContext(), vm.compileFunction('return a + b', ['a', 'b'])(1, 2), vm.isContext({}))",
  ],
  ["vm syntax error", "new (require('vm').Script)('let let = 1')"],
  [
    "worker_threads main thread",
    "const wt = require('worker_threads'); wt.setEnvironmentData('k', 1); console.log(wt.isMainThread, wt.threadId, wt.parentPort, wt.workerData, wt.getEnvironmentData('k'), wt.MessageChannel === MessageChannel)",
  ],
  [
    "constants",
    "const c = require('constants'); console.log(c.ENOENT, c.SIGINT, c.O_RDONLY, c.O_CREAT, c.RTLD_LAZY, c.PRIORITY_LOW, c.S_IFMT)",
  ],
  [
    "console module",
    "console.log(require('console') === console, typeof require('console').Console)",
  ],
  [
    "string_decoder",
    "const { StringDecoder } = require('string_decoder'); const d = new StringDecoder('utf8'); console.log(d.write(Buffer.from([0xe2, 0x82])), d.write(Buffer.from([0xac])), d.end()); const d2 = new StringDecoder('base64'); console.log(d2.write(Buffer.from('ab')), d2.end(), new StringDecoder('hex').write(Buffer.from('hi')), new StringDecoder('utf16le').write(Buffer.from([0x61, 0])))",
  ],
  [
    "punycode",
    "const p = require('punycode'); console.log(p.toASCII('mañana.com'), p.toUnicode('xn--maana-pta.com'), p.encode('ü'), p.ucs2.decode('☃'), p.version)",
  ],
];

const BATCHES: SnippetBatch[] = [
  ["globals", "", GLOBALS_CASES],
  ["buffer", "", BUFFER_CASES],
  [
    "async_hooks",
    "const hooks = require('async_hooks'); const { AsyncLocalStorage, AsyncResource } = hooks;",
    ASYNC_HOOKS_CASES,
  ],
  ["url", "const url = require('url'); const qs = require('querystring');", URL_CASES],
  ["misc", "", MISC_CASES],
];

const nodeVm = snippetBatches("stdlib2", BATCHES, (batch) => `${batch} matches host Node`);

describe("what the VM refuses clearly", () => {
  // (vm contexts, workers, transferred ports and shared memory are real now: vm-module.test.ts,
  // worker-threads.test.ts.)
  test("worker options the VM lacks fail with ERR_AGENTOS_NOT_SUPPORTED", async () => {
    const probe = `
const { Worker, SHARE_ENV } = require('worker_threads');
for (const f of [
  () => new Worker('0', { eval: true, env: SHARE_ENV }),
  () => new Worker('0', { eval: true, stdout: true }),
]) {
  try { f(); console.log('no error'); } catch (e) { console.log(e.code); }
}`;
    await nodeVm().writeFile("/home/user/refuse.js", probe);
    const run = await nodeVm().exec("node refuse.js", { cwd: "/home/user" });
    assert.equal(run.stdout, "ERR_AGENTOS_NOT_SUPPORTED\nERR_AGENTOS_NOT_SUPPORTED\n");
  });
});
