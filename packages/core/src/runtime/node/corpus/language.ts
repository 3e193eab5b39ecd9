/** Language and runtime basics: what V8 does, plus the globals Node adds. */
import { js, mjs, type NodeCase } from "./case.ts";

export const LANGUAGE_CASES: NodeCase[] = [
  js("hello", 'console.log("hello world")'),
  js(
    "arithmetic and bigint",
    "console.log(1 + 2, 0.1 + 0.2, 2 ** 53 + 1, 10n ** 20n, -7 % 3, Math.max())",
  ),
  js(
    "string methods",
    'console.log("abc".padStart(6, "-"), "a-b-c".split("-"), "  x ".trim(), "x".repeat(3), "Hello".at(-1))',
  ),
  js("template literals", "const n = 3; console.log(`n=${n} double=${n * 2}`, String.raw`a\\nb`)"),
  js(
    "destructuring and spread",
    "const { a, ...rest } = { a: 1, b: 2, c: 3 }; const [x, , y = 9] = [1, 2]; console.log(a, rest, x, y, [...'hey'])",
  ),
  js(
    "classes and private fields",
    "class A { #s = 1; static k = 'K'; get s() { return this.#s; } inc() { this.#s++; return this; } } console.log(new A().inc().s, A.k, new A())",
  ),
  js(
    "inheritance and super",
    "class A { hi() { return 'A'; } } class B extends A { hi() { return super.hi() + 'B'; } } console.log(new B().hi(), new B() instanceof A, B.name)",
  ),
  js(
    "generators",
    "function* g() { yield 1; const x = yield 2; yield x * 10; } const it = g(); console.log(it.next(), it.next(), it.next(4), it.next())",
  ),
  js(
    "async await",
    "async function f(x) { await null; return x * 2; } f(21).then((v) => console.log('v', v)); console.log('sync first')",
  ),
  js(
    "async generators",
    "async function* g() { for (let i = 0; i < 3; i++) yield i; } (async () => { for await (const v of g()) console.log(v); })()",
  ),
  js(
    "map set weakmap",
    "const m = new Map([[1, 'a'], ['k', { z: 1 }]]); const s = new Set([1, 2, 2, 3]); console.log(m, s, m.size, s.has(2), new WeakMap(), new WeakSet())",
  ),
  js(
    "symbols",
    "const s = Symbol('tag'); const o = { [s]: 1, [Symbol.iterator]: function* () { yield 5; } }; console.log(o, [...o], s.toString(), s.description, Symbol.for('x') === Symbol.for('x'))",
  ),
  js(
    "proxy and reflect",
    "const p = new Proxy({}, { get: (t, k) => `got ${String(k)}` }); console.log(p.foo, Reflect.ownKeys({ a: 1, [Symbol('s')]: 2 }), Reflect.has({ x: 1 }, 'x'))",
  ),
  js(
    "json",
    'const o = JSON.parse(\'{"a":[1,2,{"b":null}],"c":"\\\\u00e9"}\'); console.log(o, JSON.stringify(o), JSON.stringify({ x: 1, y: [1, 2] }, null, 2))',
  ),
  js("json parse error", 'try { JSON.parse("{bad") } catch (e) { console.log(e.name, e.message) }'),
  js(
    "regexp features",
    "const m = /(?<y>\\d{4})-(?<m>\\d\\d)/u.exec('on 2024-05'); console.log(m.groups, 'a1b2c3'.replace(/\\d/g, (d) => d * 2), [...'x1y2'.matchAll(/\\d/g)].map((x) => x.index), /a.b/s.test('a\\nb'))",
  ),
  js(
    "dates in utc",
    "const d = new Date(Date.UTC(2020, 1, 29, 12, 30)); console.log(d.toISOString(), d.getTime(), d.toUTCString(), JSON.stringify(d), d)",
  ),
  js(
    "intl number and date",
    "console.log(new Intl.NumberFormat('en-US').format(1234567.891), (1234.5).toLocaleString('en-US'), new Intl.DateTimeFormat('en-US', { timeZone: 'UTC' }).format(new Date(0)))",
  ),
  js(
    "intl collator plural",
    "console.log(['b', 'a', 'C'].sort(new Intl.Collator('en').compare), new Intl.PluralRules('en-US').select(1), new Intl.PluralRules('en-US').select(2))",
  ),
  js(
    "intl members node keeps",
    "console.log(typeof Intl.v8BreakIterator, 'v8BreakIterator' in Intl, Object.getOwnPropertyNames(Intl).sort(), require('vm').runInNewContext('typeof Intl.v8BreakIterator'))",
  ),
  js(
    "typed arrays",
    "const a = new Uint8Array([1, 2, 300]); const f = new Float64Array(2); f[0] = 1.5; console.log(a, f, new DataView(a.buffer).getUint16(0), Array.from(new Int16Array([-1, 2])))",
  ),
  js(
    "array methods",
    "const a = [3, 1, 2]; console.log(a.toSorted(), a, a.findLast((x) => x > 1), a.with(0, 9), [1, [2, [3, [4]]]].flat(Infinity), Object.groupBy([1, 2, 3], (x) => (x % 2 ? 'odd' : 'even')))",
  ),
  js(
    "object helpers",
    "console.log(Object.entries({ a: 1 }), Object.fromEntries([['x', 2]]), Object.hasOwn({ q: 1 }, 'q'), structuredClone({ d: new Date(0), m: new Map([[1, 2]]) }))",
  ),
  js(
    "errors and cause",
    "const e = new Error('outer', { cause: new TypeError('inner') }); console.log(e.message, e.cause.message, e instanceof Error, new RangeError('r').name, new AggregateError([new Error('x')], 'agg').errors.length)",
  ),
  js(
    "error stack first line",
    "function f() { return new Error('where'); } const lines = f().stack.split('\\n'); console.log(lines[0]); console.log(lines[1].trim().replace(/:\\d+:\\d+\\)$/, ')'))",
  ),
  js(
    "getters and defineProperty",
    "const o = {}; Object.defineProperty(o, 'x', { get() { return 42; }, enumerable: false }); console.log(o.x, Object.keys(o), o, JSON.stringify(Object.getOwnPropertyDescriptor(o, 'x')))",
  ),
  js(
    "labels and switch",
    "outer: for (let i = 0; i < 3; i++) { for (let j = 0; j < 3; j++) { if (j === 1) continue outer; if (i === 2) break outer; console.log(i, j); } } switch (3) { case 1: console.log('one'); case 3: console.log('three'); case 4: console.log('fall'); break; default: console.log('no'); }",
  ),
  js(
    "closures and this",
    "function mk() { let c = 0; return () => ++c; } const inc = mk(); inc(); console.log(inc(), typeof this, this === module.exports, (function () { return this; })() === globalThis)",
  ),
  js(
    "strict mode",
    "'use strict'; try { undeclared = 1; } catch (e) { console.log(e.constructor.name, e.message); } console.log((function () { return this; })())",
  ),
  js(
    "eval and Function",
    "const x = 5; console.log(eval('x + 1'), new Function('a', 'b', 'return a * b')(6, 7), typeof eval)",
  ),
  js(
    "weakref finalization exists",
    "console.log(typeof WeakRef, typeof FinalizationRegistry, new WeakRef({ a: 1 }).deref())",
  ),
  js(
    "globalThis properties",
    "console.log(typeof globalThis.global, global === globalThis, typeof queueMicrotask, typeof structuredClone, typeof setImmediate, typeof require, typeof module, typeof exports)",
  ),
  js(
    "atob btoa",
    "console.log(btoa('hello'), atob('aGVsbG8='), btoa(String.fromCharCode(255, 0)))",
  ),
  js(
    "text encoder decoder",
    "const b = new TextEncoder().encode('héllo €'); console.log(b, new TextDecoder().decode(b), new TextDecoder('utf-16le').decode(new Uint8Array([104, 0, 105, 0])))",
  ),
  js(
    "url globals",
    "const u = new URL('https://u:p@example.com:8080/a/b?x=1&y=2#h'); console.log(u.host, u.pathname, u.searchParams.get('y'), u.href); const q = new URLSearchParams({ a: '1 2', b: 'é' }); console.log(q.toString())",
  ),
  js(
    "abort controller",
    "const ac = new AbortController(); ac.signal.addEventListener('abort', () => console.log('aborted', ac.signal.reason)); ac.abort('why'); console.log(ac.signal.aborted, AbortSignal.abort().reason.name)",
  ),
  js(
    "event target",
    "const t = new EventTarget(); t.addEventListener('x', (e) => console.log(e.type, e instanceof Event)); t.dispatchEvent(new Event('x')); const c = new CustomEvent('c', { detail: 7 }); console.log(c.detail)",
  ),
  js(
    "structured clone errors",
    "try { structuredClone(() => 1); } catch (e) { console.log(e.name, e.message); } console.log(structuredClone(new Uint8Array([1, 2])), structuredClone(new Set([1])))",
  ),
  mjs("top level await", "const v = await Promise.resolve(42); console.log('tla', v);"),
  mjs(
    "esm strictness and this",
    "console.log(typeof this, typeof require, typeof module, typeof __filename); try { undeclared = 1; } catch (e) { console.log(e.name); }",
  ),
  js(
    "deep recursion range error",
    "function r(n) { return r(n + 1) + 1; } try { r(0); } catch (e) { console.log(e instanceof RangeError, e.message); }",
  ),
  js(
    "number formatting",
    "console.log((255).toString(16), (0.000001234).toExponential(2), (1e21).toString(), Number('0x1f'), parseInt('12px'), parseFloat('.5e1'), (123.456).toFixed(1), Number.MAX_SAFE_INTEGER)",
  ),
  js(
    "sort stability and comparators",
    "console.log([{ k: 1, v: 'a' }, { k: 0, v: 'b' }, { k: 1, v: 'c' }].sort((a, b) => a.k - b.k).map((x) => x.v).join(''), [10, 9, 1].sort(), ['é', 'e', 'z'].sort())",
  ),
];
