/**
 * Buffer.prototype's per-encoding methods (`utf8Slice`, `hexWrite`, …) in the guest against host
 * Node 24: results, defaults, clamping and the errors Node's binding throws. Also how a Buffer
 * inspects (buffer-inspect.ts) and decodes invalid UTF-8 (buffer-encodings.ts).
 */
import { type SnippetCase, snippetBatches } from "../snippet-batches.ts";

const ENCODINGS = "['ascii', 'base64', 'base64url', 'latin1', 'hex', 'ucs2', 'utf8']";
const t =
  "const t = (f) => { try { return f(); } catch (e) { return `${e.name} ${e.code} ${e.message}`; } };";

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

const DISPLAY_CASES: SnippetCase[] = [
  [
    "inspect",
    "const b = Buffer.alloc(60, 1); b.x = 1; b.y = 's'; console.log(b, Buffer.alloc(0), Object.assign(Buffer.alloc(0), { z: [1] }), Buffer.from('ab'), require('util').inspect(b, { showHidden: true }));",
  ],
  [
    "INSPECT_MAX_BYTES",
    "const buffer = require('buffer'); console.log(buffer.INSPECT_MAX_BYTES); buffer.INSPECT_MAX_BYTES = 2; console.log(Buffer.from('abc'), Buffer.from('abcd'), Buffer.from('ab')); buffer.INSPECT_MAX_BYTES = 50; buffer.INSPECT_MAX_BYTES = -1;",
  ],
  [
    "invalid utf-8",
    "for (const hex of ['e282', 'e282ac', 'f09f98', 'c0af', 'eda080', 'ff41', 'efbbbf41', 'f4908080', '80']) { const b = Buffer.from(hex, 'hex'); console.log(hex, JSON.stringify(b.toString()), JSON.stringify(b.toString('utf8', 1)), JSON.stringify(b.toString('utf-8', 0, 2)), JSON.stringify(b.toString(undefined, -1, 100))); }",
  ],
];

snippetBatches(
  "buffer-internals",
  [
    ["methods", "", CASES],
    ["display", "", DISPLAY_CASES],
  ],
  (batch) => `Buffer ${batch} match host Node`,
);
