/** console: every method, and util.inspect formatting as console prints it. */
import { js, type NodeCase } from "./case.ts";

const COLOUR_PROBE = `const assert = require('assert');
const show = (f) => { try { f(); } catch (e) { console.log(JSON.stringify(e.message)); } };
console.log({ a: 1, s: 'x' }, [null, undefined, 1n]); console.error(new Map([[1, true]]));
const { Console } = require('console'); new Console(process.stdout).log({ c: 1 }); new Console({ stdout: process.stdout, colorMode: false }).log({ d: 1 });
show(() => assert.deepStrictEqual(Array.from({ length: 30 }, (_, i) => i), Array.from({ length: 30 }, (_, i) => (i === 15 ? -1 : i))));
show(() => assert.notDeepStrictEqual(Array.from({ length: 60 }, (_, i) => i), Array.from({ length: 60 }, (_, i) => i)));
show(() => assert.strictEqual('abcdefgh', 'abcdxfgh')); show(() => assert.strictEqual(12345678901234, 2));
show(() => assert.deepStrictEqual({ a: 1 }, { a: 2 }, 'custom'));
console.log(new assert.AssertionError({ actual: { a: 1, b: 2 }, expected: { a: 2 }, operator: 'partialDeepStrictEqual' }).message);
process.env.FORCE_COLOR = '0'; show(() => assert.strictEqual('abcdefgh', 'abcdxfgh')); console.log({ off: 1 });
assert.deepStrictEqual({ x: 1 }, { x: 2 });`;

export const CONSOLE_CASES: NodeCase[] = [
  js(
    "console log format specifiers",
    "console.log('%s is %d years and %i, %f, %j %o %O %%', 'Bob', 42.5, 42.5, 1.5, { a: 1 }, [1], { b: 2 })",
  ),
  js(
    "console log extra args",
    "console.log('a', 1, true, null, undefined, 1n, Symbol('s'), () => {}, function named() {}, class K {})",
  ),
  js(
    "console error and warn go to stderr",
    "console.error('err', 1); console.warn('warn', { w: 1 }); console.log('out')",
  ),
  js("console info debug", "console.info('info'); console.debug('debug')"),
  js(
    "console table",
    "console.table([{ a: 1, b: 'x' }, { a: 2, c: true }]); console.table({ r1: { c: 1 }, r2: { c: 2 } }); console.table([[1, 2], [3, 4]], ['0'])",
  ),
  js(
    "console dir options",
    "console.dir({ a: { b: { c: { d: 1 } } } }, { depth: 0 }); console.dir({ a: { b: { c: { d: 1 } } } }, { depth: null })",
  ),
  js(
    "console group indentation",
    "console.group('G1'); console.log('inner'); console.group(); console.error('deeper'); console.groupEnd(); console.groupEnd(); console.log('outer')",
  ),
  js(
    "console count and reset",
    "console.count(); console.count('x'); console.count(); console.countReset(); console.count(); console.countReset('nope')",
  ),
  js(
    "console assert",
    "console.assert(true, 'no'); console.assert(false, 'yes %s', 'fmt'); console.assert(false); console.log('continues')",
  ),
  js("console trace shape", "console.trace('here %d', 1)"),
  js(
    "console time labels",
    "console.time('t'); console.timeEnd('missing'); console.timeLog('missing2'); console.log('ok')",
  ),
  js("console dirxml", "console.dirxml({ x: 1 }, [2])"),
  js("inspect nested depth", "console.log({ a: { b: { c: { d: { e: 1 } } } }, arr: [[[[1]]]] })"),
  js(
    "inspect long arrays",
    "console.log(Array.from({ length: 120 }, (_, i) => i)); console.log(new Array(5), [1, , 3])",
  ),
  js(
    "inspect long strings and line breaking",
    "console.log({ k: 'x'.repeat(100), short: 'y', list: ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbb', 'cccccccccccccccccc', 'dddddddddddddddddd'] })",
  ),
  js("inspect circular", "const a = { name: 'a' }; a.self = a; a.list = [a]; console.log(a)"),
  js(
    "inspect class instances and null proto",
    "class P { constructor() { this.x = 1; } } console.log(new P(), Object.create(null), Object.assign(Object.create(null), { k: 1 }))",
  ),
  js(
    "inspect errors in objects",
    "const e = new Error('inner'); console.log({ e: e.message, n: e.name }); console.log([new TypeError('x').name])",
  ),
  js(
    "inspect getters and symbols keys",
    "console.log({ get g() { return 1; }, set s(v) {}, [Symbol('k')]: 2, 'quoted-key': 3, 1: 4 })",
  ),
  js(
    "inspect strings quoting",
    "console.log(['single\\'', \"double\\\"\", `both'\"`, 'nl\\n', 'tab\\t'])",
  ),
  js("inspect numbers", "console.log([-0, 0, NaN, Infinity, 1e21, 123456789.123, -1n])"),
  js(
    "inspect maps sets nested",
    "console.log(new Map([[{ a: 1 }, new Set([1, [2]])]]), new Map(), new Set())",
  ),
  js(
    "inspect functions with props",
    "function f() {} f.extra = 1; const arrow = () => {}; console.log(f, arrow, [f], async function af() {}, function* gen() {})",
  ),
  js(
    "inspect typed arrays and buffers",
    "console.log(new Uint8Array(3), Buffer.from('hi'), new ArrayBuffer(4), new Float32Array([0.5]))",
  ),
  js(
    "inspect promises",
    "console.log(Promise.resolve(4), new Promise(() => {}), Promise.reject(new Error('r')).catch(() => {}) && 'x')",
  ),
  js(
    "inspect dates and regexps",
    "console.log(new Date(86400000), /ab+c/gi, [new Date(0)], { r: /x/ })",
  ),
  js(
    "inspect boxed primitives",
    "console.log(new String('s'), new Number(3), new Boolean(false), Object(Symbol('q')), Object(1n))",
  ),
  js(
    "console log empty and newlines",
    "console.log(); console.log(''); console.log('a\\nb'); console.error()",
  ),
  js(
    "console methods bound",
    "const { log, error } = console; log('bound log'); error('bound error'); [1, 2].forEach(console.log)",
  ),
  js(
    "new console.Console",
    "const { Console } = require('console'); const c = new Console({ stdout: process.stderr, stderr: process.stdout }); c.log('to stderr'); c.error('to stdout')",
  ),
  js("colours without a tty", COLOUR_PROBE),
  js("FORCE_COLOR colours a pipe", COLOUR_PROBE, { env: { FORCE_COLOR: "1" } }),
  js("FORCE_COLOR wins over NO_COLOR with a warning", COLOUR_PROBE, {
    env: { FORCE_COLOR: "2", NO_COLOR: "1", NODE_DISABLE_COLORS: "1" },
  }),
  js("NO_COLOR and FORCE_COLOR=0", COLOUR_PROBE, { env: { NO_COLOR: "", FORCE_COLOR: "0" } }),
];
