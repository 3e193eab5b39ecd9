/**
 * Buffer.prototype's per-encoding methods (`utf8Slice`, `hexWrite`, …) in the guest against host
 * Node 24: results, defaults, clamping and the errors Node's binding throws.
 */
import { type SnippetCase, snippetBatches } from "../snippet-batches.ts";

const ENCODINGS = "['ascii', 'base64', 'base64url', 'latin1', 'hex', 'ucs2', 'utf8']";
const t = "const t = (f) => { try { return f(); } catch (e) { return `${e.name} ${e.code} ${e.message}`; } };";

const CASES: SnippetCase[] = [
  [
    "slices",
    `${t} const b = Buffer.from('héllo wörld'); for (const m of ${ENCODINGS}) console.log(m, t(() => b[m + 'Slice']()), t(() => b[m + 'Slice'](1, 4)), t(() => b[m + 'Slice'](4, 1)), t(() => b[m + 'Slice'](0, 100)), t(() => b[m + 'Slice'](-1)), t(() => b[m + 'Slice']('2')), t(() => b[m + 'Slice'](20)), [[20, 25], [20, 13], [13, 13], [5, 14], [3, 2], [1.7, 3.2], [NaN, 2], ['x', 3], [null, 2], [undefined, 3], [-0.5, 2], [2 ** 53, 2 ** 53], [0, -1], [0, 2 ** 32]].map((a) => t(() => b[m + 'Slice'](...a))));`,
  ],
  [
    "writes",
    `${t} for (const m of ${ENCODINGS}) { const w = Buffer.alloc(8); console.log(m, t(() => w[m + 'Write']('aGVsbG8gd29ybGQ=é')), w.toString('hex'), t(() => w[m + 'Write']('abcd', 6)), t(() => w[m + 'Write']('ab', 9)), t(() => w[m + 'Write']('ab', 2, 10)), t(() => w[m + 'Write'](1)), t(() => w[m + 'Write']('ab', '1')), t(() => w[m + 'Write']('ab', -1)), w.toString('hex')); }`,
  ],
  [
    "partial characters and invalid hex",
    "const w = Buffer.alloc(4); console.log(w.utf8Write('€€', 0), w, w.ucs2Write('abc', 1), w, w.hexWrite('0a0bzz'), w, w.hexWrite('abc'), w);",
  ],
  [
    "receivers and shape",
    `${t} console.log(Buffer.prototype.utf8Slice.call(new Uint8Array([104, 105]), 0, 2), t(() => Buffer.prototype.utf8Slice.call({}, 0, 2)), t(() => Buffer.prototype.latin1Write.call('x', 'a'))); for (const m of ${ENCODINGS}) console.log(m, Buffer.prototype[m + 'Slice'].length, Buffer.prototype[m + 'Write'].length, JSON.stringify(Buffer.prototype[m + 'Slice'].name), Object.getOwnPropertyDescriptor(Buffer.prototype, m + 'Write').enumerable);`,
  ],
];

snippetBatches("buffer-internals", [["methods", "", CASES]], (batch) => `Buffer ${batch} match host Node`);
