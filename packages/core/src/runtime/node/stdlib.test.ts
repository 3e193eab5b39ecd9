/**
 * Differential tests of the guest's standard library (util, assert, events): each case is a
 * snippet run both by host Node 24 and by `node` inside the VM; their printed output (and any
 * error's name, code and message) must be identical. Cases run in batches, one script per
 * batch on each side, and are compared one by one.
 */
import { type SnippetBatch, type SnippetCase, snippetBatches } from "./snippet-batches.ts";

type Case = SnippetCase;

const UTIL_CASES: Case[] = [
  ["inspect nested", "console.log(util.inspect({ a: 1, b: [1, 2, { c: new Map([[1, 2]]) }] }))"],
  ["inspect depth", "console.log(util.inspect({ a: { b: { c: { d: 1 } } } }, { depth: 0 }))"],
  ["inspect buffer", "console.log(util.inspect(Buffer.from('hi')))"],
  ["inspect custom", "console.log(util.inspect({ [util.inspect.custom]: () => 'CUSTOM' }))"],
  ["inspect class", "class Foo { x = 1 }; console.log(util.inspect(new Foo()))"],
  ["format %s %d %j", "console.log(util.format('%s=%d %j %%', 'a', 42, { b: 1 }))"],
  ["format %o", "console.log(util.format('%o', [1, { a: 2 }]))"],
  ["format extra args", "console.log(util.format('x', 1, 'y', { z: 1 }))"],
  ["formatWithOptions", "console.log(util.formatWithOptions({ compact: false }, '%O', { a: 1 }))"],
  [
    "types.isPromise",
    "console.log(util.types.isPromise(Promise.resolve()), util.types.isPromise({ then() {} }))",
  ],
  [
    "types.isRegExp",
    "console.log(util.types.isRegExp(/a/), util.types.isRegExp(RegExp.prototype), util.types.isRegExp({}))",
  ],
  ["types.isDate", "console.log(util.types.isDate(new Date()), util.types.isDate(Date.now()))"],
  [
    "types.isMap/Set",
    "console.log(util.types.isMap(new Map()), util.types.isSet(new Set()), util.types.isMap(new Set()))",
  ],
  [
    "types.isWeak",
    "console.log(util.types.isWeakMap(new WeakMap()), util.types.isWeakSet(new WeakSet()), util.types.isWeakMap(new Map()))",
  ],
  [
    "types typed arrays",
    "console.log(util.types.isTypedArray(new Uint8Array()), util.types.isUint8Array(Buffer.alloc(1)), util.types.isFloat64Array(new Float32Array()), util.types.isBigInt64Array(new BigInt64Array()))",
  ],
  [
    "types buffers",
    "console.log(util.types.isArrayBuffer(new ArrayBuffer(1)), util.types.isAnyArrayBuffer(new ArrayBuffer(1)), util.types.isArrayBufferView(new DataView(new ArrayBuffer(1))), util.types.isDataView(new DataView(new ArrayBuffer(1))))",
  ],
  [
    "types functions",
    "console.log(util.types.isAsyncFunction(async () => {}), util.types.isGeneratorFunction(function* () {}), util.types.isAsyncFunction(() => {}), util.types.isGeneratorObject((function* () {})()))",
  ],
  [
    "types errors",
    "console.log(util.types.isNativeError(new TypeError()), util.types.isNativeError({ name: 'Error', message: '' }))",
  ],
  [
    "types boxed",
    "console.log(util.types.isBoxedPrimitive(Object(1)), util.types.isNumberObject(Object(1)), util.types.isStringObject('s'), util.types.isSymbolObject(Object(Symbol())), util.types.isBigIntObject(Object(1n)))",
  ],
  ["types proxy", "console.log(util.types.isProxy(new Proxy({}, {})), util.types.isProxy({}))"],
  [
    "types iterators",
    "console.log(util.types.isMapIterator(new Map().keys()), util.types.isSetIterator(new Set().values()), util.types.isArgumentsObject((function () { return arguments })()))",
  ],
  [
    "util/types module",
    "console.log(require('util/types') === util.types, Object.keys(util.types).length)",
  ],
  [
    "isDeepStrictEqual basic",
    "console.log(util.isDeepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), util.isDeepStrictEqual({ a: 1 }, { a: '1' }))",
  ],
  [
    "isDeepStrictEqual NaN/-0",
    "console.log(util.isDeepStrictEqual(NaN, NaN), util.isDeepStrictEqual(0, -0), util.isDeepStrictEqual([0], [-0]))",
  ],
  [
    "isDeepStrictEqual cycles",
    "const a = {}; a.a = a; const b = {}; b.a = b; console.log(util.isDeepStrictEqual(a, b))",
  ],
  [
    "isDeepStrictEqual maps",
    "console.log(util.isDeepStrictEqual(new Map([[{ k: 1 }, 'v']]), new Map([[{ k: 1 }, 'v']])), util.isDeepStrictEqual(new Map([[1, 2]]), new Map([[1, 3]])))",
  ],
  [
    "isDeepStrictEqual sets",
    "console.log(util.isDeepStrictEqual(new Set([{ a: 1 }, 2]), new Set([2, { a: 1 }])), util.isDeepStrictEqual(new Set([1]), new Set(['1'])))",
  ],
  [
    "isDeepStrictEqual protos",
    "console.log(util.isDeepStrictEqual(Object.create(null), {}), util.isDeepStrictEqual([], {}))",
  ],
  [
    "isDeepStrictEqual dates/regexps",
    "console.log(util.isDeepStrictEqual(new Date(1), new Date(1)), util.isDeepStrictEqual(/a/g, /a/i))",
  ],
  [
    "isDeepStrictEqual typed",
    "console.log(util.isDeepStrictEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])), util.isDeepStrictEqual(new Uint8Array([1]), new Int8Array([1])))",
  ],
  [
    "isDeepStrictEqual errors",
    "console.log(util.isDeepStrictEqual(new Error('a'), new Error('a')), util.isDeepStrictEqual(new Error('a'), new TypeError('a')))",
  ],
  [
    "isDeepStrictEqual symbols",
    "const s = Symbol('s'); console.log(util.isDeepStrictEqual({ [s]: 1 }, { [s]: 1 }), util.isDeepStrictEqual({ [s]: 1 }, { [s]: 2 }))",
  ],
  ["isDeepStrictEqual sparse", "console.log(util.isDeepStrictEqual([1, , 3], [1, undefined, 3]))"],
  ["promisify", "const f = util.promisify((a, cb) => cb(null, a * 2)); console.log(await f(21))"],
  ["promisify error", "const f = util.promisify((cb) => cb(new Error('nope'))); await f()"],
  [
    "promisify custom",
    "function g() {}; g[util.promisify.custom] = () => 'custom'; console.log(util.promisify(g)(), util.promisify(g) === g[util.promisify.custom])",
  ],
  ["promisify non-function", "util.promisify(1)"],
  [
    "callbackify",
    "const f = util.callbackify(async (x) => x + 1); await new Promise((r) => f(1, (e, v) => { console.log(e, v); r(); }))",
  ],
  [
    "callbackify falsy rejection",
    "const f = util.callbackify(() => Promise.reject(null)); await new Promise((r) => f((e) => { console.log(e.code, e.message, e.reason); r(); }))",
  ],
  [
    "inherits",
    "function A() {}; A.prototype.hi = () => 'hi'; function B() {}; util.inherits(B, A); console.log(new B().hi(), B.super_ === A)",
  ],
  ["inherits bad", "util.inherits(function () {}, null)"],
  [
    "styleText no tty",
    "console.log(JSON.stringify(util.styleText('red', 'x')), JSON.stringify(util.styleText(['bold', 'red'], 'y')))",
  ],
  ["styleText bad format", "util.styleText('nocolor', 'x')"],
  [
    "stripVTControlCharacters",
    "console.log(util.stripVTControlCharacters('\\u001b[31mred\\u001b[39m'))",
  ],
  ["toUSVString", "console.log(JSON.stringify(util.toUSVString('a\\ud800b')))"],
  [
    "getSystemErrorName",
    "console.log(util.getSystemErrorName(-2), util.getSystemErrorName(-13), util.getSystemErrorMap().get(-98))",
  ],
  ["getSystemErrorName bad", "util.getSystemErrorName(2)"],
  [
    "parseArgs basic",
    "console.log(util.parseArgs({ args: ['-f', '--bar', 'b', 'pos'], options: { foo: { type: 'boolean', short: 'f' }, bar: { type: 'string' } }, allowPositionals: true }))",
  ],
  ["parseArgs unknown", "util.parseArgs({ args: ['--nope'], options: {} })"],
  ["parseArgs positional", "util.parseArgs({ args: ['x'], options: {} })"],
  [
    "parseArgs multiple/default",
    "console.log(util.parseArgs({ args: ['-i', 'a', '-i', 'b'], options: { i: { type: 'string', multiple: true }, d: { type: 'string', default: 'dd' } } }).values)",
  ],
  [
    "parseArgs tokens",
    "console.log(util.parseArgs({ args: ['--a=1', '--', '-b'], options: { a: { type: 'string' } }, allowPositionals: true, tokens: true }).tokens)",
  ],
  [
    "parseArgs allowNegative",
    "console.log(util.parseArgs({ args: ['--color', '--no-color'], options: { color: { type: 'boolean' } }, allowNegative: true }).values)",
  ],
  [
    "MIMEType",
    "const m = new util.MIMEType('Text/HTML; Charset=\"utf-8\"; a=b'); console.log(m.type, m.subtype, m.essence, m.params.get('charset'), String(m))",
  ],
  ["MIMEType invalid", "new util.MIMEType('nope')"],
  [
    "deprecate once",
    "const f = util.deprecate(() => 1, 'f is old', 'DEP_X'); f(); f(); console.log('called'); await new Promise((r) => setTimeout(r, 1))",
  ],
  [
    "legacy is* (removed but isArray)",
    "console.log(util.isArray([]), typeof util.isBoolean, typeof util.isPrimitive); await new Promise((r) => setTimeout(r, 1))",
  ],
  [
    "debuglog disabled",
    "const log = util.debuglog('xyz'); log('hidden'); console.log(log.enabled)",
  ],
  [
    "aborted",
    "const ac = new AbortController(); const p = util.aborted(ac.signal, {}); ac.abort(); await p; console.log('aborted resolved')",
  ],
];

const ASSERT_CASES: Case[] = [
  ["strictEqual short", "assert.strictEqual(1, 2)"],
  ["strictEqual strings", "assert.strictEqual('hello world', 'hello there')"],
  ["strictEqual multiline", "assert.strictEqual('a\\nb\\nc', 'a\\nx\\nc')"],
  ["strictEqual objects", "assert.strictEqual({ a: 1 }, { a: 1 })"],
  ["strictEqual custom message", "assert.strictEqual(1, 2, 'my message')"],
  [
    "deepStrictEqual object",
    "assert.deepStrictEqual({ a: 1, b: [1, 2, 3] }, { a: 1, b: [1, 2, 4] })",
  ],
  [
    "deepStrictEqual long array",
    "assert.deepStrictEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13])",
  ],
  [
    "deepStrictEqual map",
    "assert.deepStrictEqual(new Map([[1, { a: 1 }]]), new Map([[1, { a: 2 }]]))",
  ],
  ["deepStrictEqual set", "assert.deepStrictEqual(new Set([1, 2]), new Set([1, 3]))"],
  ["deepStrictEqual -0", "assert.deepStrictEqual(0, -0)"],
  ["deepStrictEqual null proto", "assert.deepStrictEqual(Object.create(null), {})"],
  ["deepStrictEqual dates", "assert.deepStrictEqual(new Date(0), new Date(1))"],
  ["deepStrictEqual errors", "assert.deepStrictEqual(new Error('a'), new Error('b'))"],
  ["deepStrictEqual buffers", "assert.deepStrictEqual(Buffer.from('ab'), Buffer.from('ac'))"],
  [
    "deepStrictEqual same structure",
    "assert.deepStrictEqual({ a: Symbol('x') }, { a: Symbol('x') })",
  ],
  [
    "deepStrictEqual passes",
    "assert.deepStrictEqual({ a: [1, { b: new Set([1]) }] }, { a: [1, { b: new Set([1]) }] }); console.log('ok')",
  ],
  ["deepEqual loose passes", "assert.deepEqual({ a: 1 }, { a: '1' }); console.log('ok')"],
  ["deepEqual fails", "assert.deepEqual({ a: 1 }, { a: 2 })"],
  ["notDeepStrictEqual", "assert.notDeepStrictEqual({ a: 1 }, { a: 1 })"],
  ["notDeepEqual", "assert.notDeepEqual([1], ['1'])"],
  ["notStrictEqual", "assert.notStrictEqual(5, 5)"],
  ["notStrictEqual object", "const o = {}; assert.notStrictEqual(o, o)"],
  ["equal", "assert.equal(1, 2)"],
  ["equal NaN", "assert.equal(NaN, NaN); console.log('ok')"],
  ["notEqual", "assert.notEqual(1, '1')"],
  ["ok falsy", "assert.ok(0)"],
  ["assert expression", "assert(typeof 123 === 'string')"],
  ["ok message", "assert.ok(false, 'custom msg')"],
  ["ok error message", "assert.ok(false, new RangeError('own'))"],
  ["ok no args", "assert()"],
  ["fail", "assert.fail()"],
  ["fail message", "assert.fail('boom')"],
  ["throws missing", "assert.throws(() => {})"],
  ["throws class mismatch", "assert.throws(() => { throw new TypeError('x') }, RangeError)"],
  ["throws regexp mismatch", "assert.throws(() => { throw new Error('abc') }, /xyz/)"],
  [
    "throws object mismatch",
    "assert.throws(() => { throw new Error('abc') }, { message: 'abd', name: 'Error' })",
  ],
  [
    "throws object regexp",
    "assert.throws(() => { throw new Error('abc') }, { message: /b/ }); console.log('ok')",
  ],
  ["throws validation fn", "assert.throws(() => { throw new Error('abc') }, () => false)"],
  ["throws string message", "assert.throws(() => {}, 'should throw')"],
  ["throws empty object", "assert.throws(() => { throw new Error('a') }, {})"],
  [
    "throws passes",
    "assert.throws(() => { throw new TypeError('x') }, TypeError); console.log('ok')",
  ],
  ["doesNotThrow", "assert.doesNotThrow(() => { throw new Error('inner') })"],
  ["doesNotThrow message", "assert.doesNotThrow(() => { throw new Error('inner') }, 'msg')"],
  ["match", "assert.match('abc', /x/)"],
  ["match non-string", "assert.match(123, /x/)"],
  ["doesNotMatch", "assert.doesNotMatch('abc', /b/)"],
  ["ifError", "assert.ifError(new Error('bad'))"],
  ["ifError null", "assert.ifError(null); console.log('ok')"],
  ["strict equal alias", "assert.strict.equal(1, '1')"],
  [
    "assert/strict module",
    "const s = require('assert/strict'); console.log(s === assert.strict, s.equal === assert.strictEqual)",
  ],
  ["missing args", "assert.strictEqual(1)"],
  [
    "rejects passes",
    "await assert.rejects(Promise.reject(new Error('q')), /q/); console.log('ok')",
  ],
  ["rejects missing", "await assert.rejects(Promise.resolve(1))"],
  ["doesNotReject", "await assert.doesNotReject(Promise.reject(new Error('r')))"],
  [
    "AssertionError fields",
    "const e = new assert.AssertionError({ actual: 1, expected: 2, operator: 'strictEqual' }); console.log(e.name, e.code, e.generatedMessage, e.operator, e.message)",
  ],
  ["Assert class full diff", "const a = new assert.Assert({ diff: 'full' }); a.equal(1, '1')"],
];

const EVENTS_CASES: Case[] = [
  [
    "once promise",
    "const e = new EventEmitter(); setTimeout(() => e.emit('go', 1, 2)); console.log(await events.once(e, 'go'))",
  ],
  [
    "once error",
    "const e = new EventEmitter(); setTimeout(() => e.emit('error', new Error('bad'))); await events.once(e, 'go')",
  ],
  [
    "once abort",
    "const e = new EventEmitter(); const ac = new AbortController(); const p = events.once(e, 'go', { signal: ac.signal }); ac.abort(); await p",
  ],
  [
    "once EventTarget",
    "const t = new EventTarget(); setTimeout(() => t.dispatchEvent(new Event('ping'))); const [ev] = await events.once(t, 'ping'); console.log(ev.type)",
  ],
  [
    "on iterator",
    "const e = new EventEmitter(); setTimeout(() => { e.emit('d', 1); e.emit('d', 2); e.emit('end'); }); const out = []; for await (const [v] of events.on(e, 'd', { close: ['end'] })) out.push(v); console.log(out)",
  ],
  [
    "errorMonitor",
    "const e = new EventEmitter(); e.on(events.errorMonitor, (err) => console.log('monitor', err.message)); e.on('error', () => console.log('handled')); e.emit('error', new Error('x'))",
  ],
  ["unhandled error object", "new EventEmitter().emit('error', new Error('plain'))"],
  ["unhandled error value", "new EventEmitter().emit('error', 'str')"],
  [
    "getEventListeners",
    "const e = new EventEmitter(); const f = () => {}; e.on('x', f); console.log(events.getEventListeners(e, 'x').length, events.listenerCount(e, 'x'))",
  ],
  [
    "captureRejections",
    "const e = new EventEmitter({ captureRejections: true }); e.on('x', async () => { throw new Error('async boom') }); e.on('error', (err) => console.log('captured', err.message)); e.emit('x'); await new Promise((r) => setTimeout(r, 5))",
  ],
  [
    "defaultMaxListeners",
    "console.log(EventEmitter.defaultMaxListeners, events.getMaxListeners(new EventEmitter()))",
  ],
  [
    "setMaxListeners",
    "const e = new EventEmitter(); events.setMaxListeners(3, e); console.log(e.getMaxListeners())",
  ],
  [
    "listener order",
    "const e = new EventEmitter(); e.on('a', () => console.log(1)); e.prependListener('a', () => console.log(0)); e.once('a', () => console.log(2)); e.emit('a'); e.emit('a'); console.log(e.eventNames())",
  ],
];

const BATCHES: SnippetBatch[] = [
  ["util", "const util = require('util');", UTIL_CASES],
  ["assert", "const assert = require('assert');", ASSERT_CASES],
  ["events", "const events = require('events'); const { EventEmitter } = events;", EVENTS_CASES],
];

snippetBatches("stdlib", BATCHES, (batch) => `node:${batch} matches host Node`);
