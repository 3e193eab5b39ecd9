/**
 * node:v8 in the guest against host Node 24: serialize() bytes for each kind of value (and the
 * round trip), the Serializer/Deserializer classes, errors for bad input, heap statistics'
 * shape, and what the VM refuses (V8 flags are the host's).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type SnippetBatch, type SnippetCase, snippetBatches } from "../../snippet-batches.ts";

/** Prints the bytes and the deserialized value of each entry of `values`. */
const roundTrip = (values: string) =>
  `for (const v of ${values}) { const b = v8.serialize(v); console.log(b.toString('hex'), util.inspect(v8.deserialize(b), { depth: 6, showHidden: false })); }`;

const SERIALIZE_CASES: SnippetCase[] = [
  [
    "primitives",
    roundTrip(
      "[5, -5, 2 ** 31, -0, 1.5, NaN, Infinity, 'abc', 'é', 'é€', '', true, false, null, undefined, 0n, -1n, 2n ** 70n]",
    ),
  ],
  [
    "two-byte string alignment",
    roundTrip("['€', 'a€', { a: '€' }, { ab: '€' }, ['x', '€'], 'x'.repeat(200) + '€']"),
  ],
  [
    "objects and arrays",
    roundTrip(
      "[{ a: 1, b: 'x' }, { 2: 'a', b: 1, 1: 'c' }, { 4294967294: 1, 4294967295: 2 }, [1, 2, 3], [1.5, 2], [1, 'a', 2.5], [1, , 3], Object.assign([1, 2], { x: 1 }), (() => { const a = []; a[100] = 1; return a; })(), [], {}, Object.create(null)]",
    ),
  ],
  [
    "builtins",
    roundTrip(
      "[new Date(0), /a\\/b/gimsuyd, new Map([[1, 'a'], [{}, []]]), new Set(['x', 1]), Object(1), Object('s'), Object(true), Object(false), Object(2n), new ArrayBuffer(3), new ArrayBuffer(2, { maxByteLength: 8 })]",
    ),
  ],
  [
    "buffers and typed arrays",
    roundTrip(
      "[Buffer.from('hi'), Buffer.from('hello world').subarray(2, 5), new Uint8Array([1, 2]), new Int16Array([-1]), new Float64Array([1.5]), new BigInt64Array([-3n]), new DataView(new ArrayBuffer(2)), new Uint8ClampedArray(1)]",
    ),
  ],
  [
    "references and cycles",
    roundTrip(
      "[(() => { const o = {}; o.self = o; return o; })(), (() => { const x = { k: 1 }; return [x, x, new Map([[x, x]])]; })(), new (class A { constructor() { this.q = 1; } })()]",
    ),
  ],
  [
    "errors",
    "for (const e of [new TypeError('boom'), new RangeError('r', { cause: { c: 1 } }), Object.assign(new Error('e'), { code: 'X' }), new SyntaxError()]) { e.stack = 'S:' + e.message; const b = v8.serialize(e); const back = v8.deserialize(b); console.log(b.toString('hex'), back.constructor.name, back.message, back.stack, back.cause, Object.keys(back)); }",
  ],
  [
    "not cloneable",
    "for (const v of [() => 1, Symbol('x'), Promise.resolve(), new WeakMap(), { f() {} }]) { try { v8.serialize(v); console.log('no error'); } catch (e) { console.log(e.constructor.name, e.message); } }",
  ],
  [
    "malformed input",
    "for (const hex of ['ff10', 'ff0f01', 'ff0f', 'ff0f6f', 'ff0f5e05', 'ff0f4102']) { try { console.log(v8.deserialize(Buffer.from(hex, 'hex'))); } catch (e) { console.log(hex, e.name, e.message); } } v8.deserialize('x');",
  ],
];

const CLASS_CASES: SnippetCase[] = [
  [
    "Serializer primitives and raw writes",
    "const s = new v8.Serializer(); s.writeHeader(); s.writeValue(new Uint16Array([1, 2]).subarray(1)); s.writeUint32(300); s.writeUint64(1, 2); s.writeDouble(1.5); s.writeRawBytes(Buffer.from('ab')); const raw = s.releaseBuffer(); console.log(raw.toString('hex'), s.releaseBuffer()); const d = new v8.Deserializer(raw); console.log(d.readHeader(), d.getWireFormatVersion(), d.readValue(), d.readUint32(), d.readUint64(), d.readDouble(), d.readRawBytes(2));",
  ],
  [
    "custom host objects",
    `class S extends v8.Serializer { constructor() { super(); this._setTreatArrayBufferViewsAsHostObjects(true); } _writeHostObject(v) { this.writeUint32(v.length); } }
class D extends v8.Deserializer { _readHostObject() { return new Uint8Array(this.readUint32()); } }
const s = new S(); s.writeHeader(); s.writeValue({ a: new Uint8Array(3) }); const b = s.releaseBuffer(); console.log(b.toString('hex')); const d = new D(b); d.readHeader(); console.log(d.readValue());`,
  ],
  [
    "transferred array buffers",
    "const ab = new ArrayBuffer(4); const s = new v8.Serializer(); s.transferArrayBuffer(7, ab); s.writeHeader(); s.writeValue([ab, ab]); const b = s.releaseBuffer(); console.log(b.toString('hex')); const d = new v8.Deserializer(b); d.transferArrayBuffer(7, ab); d.readHeader(); const [x, y] = d.readValue(); console.log(x === ab, y === ab);",
  ],
  [
    "shared array buffers",
    `const sab = new SharedArrayBuffer(8); const out = (e) => console.log(e.constructor.name, e.code, e.message);
for (const f of [() => v8.serialize(sab), () => v8.serialize({ a: [sab] }), () => { const s = new v8.Serializer(); s._getDataCloneError = RangeError; s.writeValue(sab); }, () => new v8.Serializer().transferArrayBuffer(1, sab), () => new v8.Serializer().transferArrayBuffer(1, {}), () => new v8.Deserializer(Buffer.alloc(0)).transferArrayBuffer(1, [])]) { try { f(); console.log('no error'); } catch (e) { out(e); } }
console.log(v8.serialize(new Uint8Array(sab, 2)).toString('hex'));
class S extends v8.Serializer { _getSharedArrayBufferId(b) { return b === sab ? 9 : 'x'; } }
const s = new S(); s.writeHeader(); s.writeValue([sab, new SharedArrayBuffer(1)]); const bytes = s.releaseBuffer(); console.log(bytes.toString('hex'));
const d = new v8.Deserializer(bytes); d.transferArrayBuffer(9, sab); d.readHeader(); try { d.readValue(); } catch (e) { out(e); }
class T extends v8.Serializer { _getSharedArrayBufferId() { throw new RangeError('refused'); } } try { new T().writeValue(sab); } catch (e) { out(e); }`,
  ],
  [
    "DefaultSerializer subclass",
    "class M extends v8.DefaultSerializer {} const m = new M(); m.writeHeader(); m.writeValue({ x: Buffer.from('a') }); console.log(v8.deserialize(m.releaseBuffer())); console.log(Object.getOwnPropertyNames(v8.Serializer.prototype).sort(), Object.getOwnPropertyNames(new v8.Serializer()))",
  ],
];

const MODULE_CASES: SnippetCase[] = [
  [
    "heap statistics shape",
    "const h = v8.getHeapStatistics(); console.log(Object.keys(h), Object.values(h).every((x) => typeof x === 'number'), h.used_heap_size > 0, h.used_heap_size <= h.total_heap_size, h.heap_size_limit > h.total_heap_size);",
  ],
  [
    "heap space statistics shape",
    "const s = v8.getHeapSpaceStatistics(); console.log(s.map((x) => x.space_name), Object.keys(s[0]), s.every((x) => Object.values(x).slice(1).every((n) => typeof n === 'number' && n >= 0)));",
  ],
  [
    "small helpers",
    "console.log(typeof v8.cachedDataVersionTag(), v8.cachedDataVersionTag() === v8.cachedDataVersionTag(), v8.isStringOneByteRepresentation('é'), v8.isStringOneByteRepresentation('€'), v8.startupSnapshot.isBuildingSnapshot(), v8.takeCoverage(), v8.stopCoverage()); v8.isStringOneByteRepresentation(1);",
  ],
  [
    "argument errors",
    "try { v8.startupSnapshot.addSerializeCallback(() => {}); } catch (e) { console.log(e.code, e.message); } v8.setFlagsFromString(1);",
  ],
  ["exports", "console.log(Object.keys(v8).sort().join(' '));"],
];

const BATCHES: SnippetBatch[] = [
  ["serialize", "const v8 = require('v8'); const util = require('util');", SERIALIZE_CASES],
  ["classes", "const v8 = require('node:v8');", CLASS_CASES],
  ["module", "const v8 = require('v8');", MODULE_CASES],
];

const nodeVm = snippetBatches("v8", BATCHES, (batch) => `node:v8 ${batch} matches host Node`);

describe("node:v8 in the VM", () => {
  test("heap figures are the guest isolate's; V8 flags and snapshots are refused", async () => {
    const probe = `const v8 = require('v8');
const before = v8.getHeapStatistics().used_heap_size;
globalThis.keep = Array.from({ length: 200000 }, (_, i) => ({ i }));
console.log(v8.getHeapStatistics().used_heap_size - before > 2e6, v8.getHeapStatistics().heap_size_limit < 2 ** 31);
for (const f of [() => v8.setFlagsFromString('--expose-gc'), () => v8.getHeapSnapshot(), () => v8.writeHeapSnapshot(), () => v8.promiseHooks.onInit(() => {})]) {
  try { f(); console.log('no error'); } catch (e) { console.log(e.code); }
}`;
    await nodeVm().writeFile("/home/user/v8probe.js", probe);
    const run = await nodeVm().exec("node v8probe.js", { cwd: "/home/user" });
    assert.equal(run.stderr, "");
    assert.equal(run.stdout, `true true\n${"ERR_AGENTOS_NOT_SUPPORTED\n".repeat(4)}`);
  });
});
