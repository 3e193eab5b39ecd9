/** Modules: CommonJS, ESM, interop, resolution, package.json fields, JSON, TypeScript files. */
import { cli, js, mjs, type NodeCase, ts } from "./case.ts";

const pkg = (value: unknown) => JSON.stringify(value);

export const MODULES_CASES: NodeCase[] = [
  js(
    "require relative file",
    "const m = require('./lib'); console.log(m.add(2, 3), require('./lib') === m)",
    { files: { "lib.js": "exports.add = (a, b) => a + b;" } },
  ),
  js("require directory index", "console.log(require('./dir'))", {
    files: { "dir/index.js": "module.exports = 'index';" },
  }),
  js("require json", "const d = require('./data.json'); console.log(d, require('./data'))", {
    files: { "data.json": '{"k": [1, 2]}' },
  }),
  js(
    "require invalid json",
    "try { require('./bad.json'); } catch (e) { console.log(e.name, e.message.split(':')[0].endsWith('bad.json')); }",
    { files: { "bad.json": "{nope" } },
  ),
  js(
    "require missing module",
    "try { require('./nope'); } catch (e) { console.log(e.code, e.message.split('\\n')[0]); }",
  ),
  js(
    "require missing package",
    "try { require('left-pad-nope'); } catch (e) { console.log(e.code, e.message.split('\\n')[0], e.requireStack.length); }",
  ),
  js("uncaught missing module", "require('./missing-file');"),
  js("module cycle", "console.log(require('./a').done, require('./b').done)", {
    files: {
      "a.js":
        "exports.done = false; const b = require('./b'); console.log('in a, b.done =', b.done); exports.done = true;",
      "b.js":
        "exports.done = false; const a = require('./a'); console.log('in b, a.done =', a.done); exports.done = true;",
    },
  }),
  js(
    "module object fields",
    "console.log(module.id, module.filename === __filename, module.loaded, module.parent, module.children.length, typeof module.paths[0], require.main === module)",
  ),
  js(
    "dirname and filename",
    "console.log(__dirname === process.cwd(), require('path').basename(__filename))",
  ),
  js(
    "require cache",
    "const p = require.resolve('./c'); require('./c'); console.log(Object.keys(require.cache).includes(p)); delete require.cache[p]; require('./c')",
    { files: { "c.js": "console.log('loaded c');" } },
  ),
  js(
    "require.resolve paths",
    "console.log(require.resolve('./x.js') === __dirname + '/x.js', require.resolve.paths('foo')[0] === __dirname + '/node_modules'); try { require.resolve('nope'); } catch (e) { console.log(e.code); }",
    { files: { "x.js": "" } },
  ),
  cli("node_modules lookup up the tree", ["sub/deeper/main.js"], {
    files: {
      "sub/deeper/main.js": "console.log(require('dep'))",
      "node_modules/dep/index.js": "module.exports = 'dep from parent';",
    },
  }),
  js("package main field", "console.log(require('pm'))", {
    files: {
      "node_modules/pm/package.json": pkg({ main: "lib/entry.js" }),
      "node_modules/pm/lib/entry.js": "module.exports = 'main field';",
    },
  }),
  js(
    "package exports conditions require",
    "console.log(require('cond'), require('cond/feature'))",
    {
      files: {
        "node_modules/cond/package.json": pkg({
          exports: {
            ".": { import: "./esm.mjs", require: "./cjs.js" },
            "./feature": { node: "./feat-node.js", default: "./feat.js" },
          },
        }),
        "node_modules/cond/cjs.js": "module.exports = 'cjs';",
        "node_modules/cond/esm.mjs": "export default 'esm';",
        "node_modules/cond/feat-node.js": "module.exports = 'feat-node';",
        "node_modules/cond/feat.js": "module.exports = 'feat';",
      },
    },
  ),
  mjs("package exports conditions import", "import c from 'cond'; console.log(c);", {
    files: {
      "node_modules/cond/package.json": pkg({
        exports: { ".": { import: "./esm.mjs", require: "./cjs.js" } },
      }),
      "node_modules/cond/cjs.js": "module.exports = 'cjs';",
      "node_modules/cond/esm.mjs": "export default 'esm';",
    },
  }),
  js(
    "package exports not exported",
    "try { require('ex/private.js'); } catch (e) { console.log(e.code); }",
    {
      files: {
        "node_modules/ex/package.json": pkg({ exports: { ".": "./index.js" } }),
        "node_modules/ex/index.js": "",
        "node_modules/ex/private.js": "",
      },
    },
  ),
  js(
    "package exports subpath pattern",
    "console.log(require('pat/utils/one'), require('pat/utils/two'))",
    {
      files: {
        "node_modules/pat/package.json": pkg({ exports: { "./utils/*": "./src/*.js" } }),
        "node_modules/pat/src/one.js": "module.exports = 1;",
        "node_modules/pat/src/two.js": "module.exports = 2;",
      },
    },
  ),
  js("package imports field", "console.log(require('#internal'))", {
    files: {
      "package.json": pkg({ imports: { "#internal": "./src/int.js" } }),
      "src/int.js": "module.exports = 'hash import';",
    },
  }),
  js("package self reference", "console.log(require('selfpkg/x'))", {
    files: {
      "package.json": pkg({ name: "selfpkg", exports: { "./x": "./x.js" } }),
      "x.js": "module.exports = 'self';",
    },
  }),
  js("scoped package", "console.log(require('@scope/thing'))", {
    files: { "node_modules/@scope/thing/index.js": "module.exports = '@scope';" },
  }),
  js("type module makes js esm", "import('./sub/esm.js').then((m) => console.log(m.default));", {
    files: {
      "sub/package.json": pkg({ type: "module" }),
      "sub/esm.js": "export default typeof require;",
    },
  }),
  cli("type module entry", ["main.js"], {
    files: {
      "package.json": pkg({ type: "module" }),
      "main.js":
        "import { x } from './x.js'; console.log(x, import.meta.url.endsWith('/main.js'));",
      "x.js": "export const x = 'x';",
    },
  }),
  js("cjs extension in module package", "console.log(require('./k.cjs'))", {
    files: { "k.cjs": "module.exports = typeof require;" },
  }),
  mjs(
    "esm named and default imports",
    "import d, { a, b as bee } from './m.mjs'; import * as ns from './m.mjs'; console.log(d, a, bee, Object.keys(ns));",
    {
      files: {
        "m.mjs": "export default 'D'; export const a = 1; export function b() { return 2; }",
      },
    },
  ),
  mjs("esm import cjs", "import cjs, { named } from './c.cjs'; console.log(cjs, named);", {
    files: { "c.cjs": "exports.named = 'n'; exports.other = 2;" },
  }),
  mjs(
    "esm import cjs module.exports function",
    "import fn from './f.cjs'; console.log(fn(), fn.prop);",
    { files: { "f.cjs": "module.exports = () => 'called'; module.exports.prop = 'p';" } },
  ),
  mjs(
    "esm import json with attributes",
    "import data from './d.json' with { type: 'json' }; console.log(data);",
    { files: { "d.json": '{"j": true}' } },
  ),
  mjs(
    "esm import json without attributes fails",
    "import data from './d.json'; console.log(data);",
    { files: { "d.json": "{}" } },
  ),
  mjs(
    "esm import builtins",
    "import fs, { readFileSync } from 'fs'; import path from 'node:path'; import { EventEmitter } from 'events'; console.log(typeof fs.readFileSync, readFileSync === fs.readFileSync, path.join('a', 'b'), typeof EventEmitter);",
  ),
  mjs(
    "import.meta fields",
    "import { fileURLToPath } from 'url'; console.log(import.meta.filename === fileURLToPath(import.meta.url), import.meta.dirname === process.cwd(), import.meta.resolve('./x.mjs') === new URL('./x.mjs', import.meta.url).href);",
  ),
  mjs(
    "import.meta.resolve of missing files and packages",
    "const base = new URL('.', import.meta.url).href;\nconsole.log(import.meta.resolve('./gone.js').slice(base.length), import.meta.resolve('./dir').slice(base.length));\ntry { import.meta.resolve('no-such-pkg'); } catch (e) { console.log(e.code, e.url); }",
    { files: { "dir/index.js": "" } },
  ),
  mjs("esm missing module", "import './nope.mjs';"),
  mjs("esm throw points at the error", "const e = new Error('esm');\nthrow e;\n"),
  mjs("esm throw in an imported module", "import './lib.mjs';\n", {
    files: { "lib.mjs": "export const x = 1;\nthrow new TypeError('in lib');\n" },
  }),
  mjs(
    "esm throw from a timer",
    "setTimeout(() => {\n  const e = new Error('esm timer');\n  throw e;\n}, 1);\n",
  ),
  mjs("esm throw a string", "throw 'esm str';\n"),
  mjs(
    "esm missing named export on a later line",
    "import {\n  a,\n  zz as z\n} from './e.mjs';\n",
    {
      files: { "e.mjs": "export const a = 1;\n" },
    },
  ),
  mjs("esm missing named export from commonjs", "import { foo, bar as b } from './c.cjs';\n", {
    files: { "c.cjs": "module.exports = { bar: 1 };\n" },
  }),
  mjs("esm missing default export", "import d from './e.mjs';\nconsole.log(d);\n", {
    files: { "e.mjs": "export const a = 1;\n" },
  }),
  mjs("esm missing export deeper in the graph", "import './mid.mjs';\n", {
    files: {
      "mid.mjs": "export * from './e.mjs';\nimport { nope } from './e.mjs';\n",
      "e.mjs": "export const a = 1;\n",
    },
  }),
  mjs("esm missing named export", "import { nothere } from './m.mjs'; console.log(nothere);", {
    files: { "m.mjs": "export const here = 1;" },
  }),
  mjs(
    "esm live bindings",
    "import { count, inc } from './c.mjs'; console.log(count); inc(); console.log(count);",
    { files: { "c.mjs": "export let count = 0; export function inc() { count++; }" } },
  ),
  mjs("esm cycle", "import { a } from './a.mjs'; console.log(a);", {
    files: {
      "a.mjs": "import { b } from './b.mjs'; export const a = 'a+' + b;",
      "b.mjs": "export const b = 'b'; import('./a.mjs').then((m) => console.log('later', m.a));",
    },
  }),
  mjs(
    "esm dynamic import",
    "const m = await import('./d.mjs'); console.log(m.default, m.x); const again = await import('./d.mjs'); console.log(m === again);",
    { files: { "d.mjs": "console.log('evaluated once'); export default 1; export const x = 2;" } },
  ),
  js(
    "cjs dynamic import of esm",
    "import('./e.mjs').then((m) => console.log(m.default, m.named));",
    { files: { "e.mjs": "export default 'def'; export const named = 'n';" } },
  ),
  js(
    "require esm",
    "const m = require('./e.mjs'); console.log(m.default, m.named, m.__esModule);",
    { files: { "e.mjs": "export default 'def'; export const named = 'n';" } },
  ),
  js(
    "require esm with top level await fails",
    "try { require('./t.mjs'); } catch (e) { console.log(e.code); }",
    { files: { "t.mjs": "await null; export const x = 1;" } },
  ),
  // require(esm) goes through the ES module loader, as in Node 24: import conditions, one
  // instance shared with import(), builtins first loaded by the required graph.
  js(
    "require esm resolves its imports with import conditions",
    "const m = require('./e.mjs'); console.log(m.ctx, m.named);",
    {
      files: {
        "e.mjs": "export { ctx } from 'dual/context'; export { named } from 'dual';",
        "node_modules/dual/package.json": pkg({
          exports: {
            ".": { import: "./esm.mjs", require: "./cjs.cjs" },
            "./context": { import: "./context.mjs" },
          },
        }),
        "node_modules/dual/esm.mjs": "export const named = 'import condition';",
        "node_modules/dual/cjs.cjs": "exports.named = 'require condition';",
        "node_modules/dual/context.mjs": "export const ctx = 'import-only subpath';",
      },
    },
  ),
  js(
    "require esm importing a builtin not loaded yet",
    "const m = require('./z.mjs'); console.log(m.kind, m.cjs);",
    {
      files: {
        "z.mjs":
          "import zlib from 'node:zlib'; import { gunzipSync } from 'zlib'; import c from './c.cjs'; export const kind = typeof zlib.gzipSync + typeof gunzipSync; export const cjs = c;",
        "c.cjs": "module.exports = require('node:fs').existsSync(__filename);",
      },
    },
  ),
  js(
    "require esm namespace shapes",
    "const util = require('util'); console.log(require('./a.mjs'), util.inspect(require('./b.mjs')), require('./c.mjs')); const d = require('./d.mjs'); console.log(d, Object.getOwnPropertyDescriptor(d, '__esModule'), require('./d.mjs') === d); d.inc(); console.log(d.n); import('./d.mjs').then((ns) => console.log(ns === d, ns.n, ns));",
    {
      files: {
        "a.mjs": "export default 1; const x = 2; export { x as 'module.exports' };",
        "b.mjs": "export default function f() {} export const __esModule = false;",
        "c.mjs": "export const x = 1;",
        "d.mjs": "export default 'D'; export let n = 1; export function inc() { n++; }",
      },
    },
  ),
  js(
    "require esm with top level await deep in the graph",
    "try { require('./u.mjs'); } catch (e) { console.log(e.code, e.message.split('\\n').slice(0, 2).join(' | ').replace(process.cwd(), '.')); } console.log(typeof globalThis.evaluated);",
    {
      files: {
        "u.mjs": "import './t.mjs'; globalThis.evaluated = true; export const y = 2;",
        "t.mjs": "await null; export const x = 1;",
      },
    },
  ),
  mjs(
    "esm createRequire of an esm graph",
    "import { createRequire } from 'node:module'; const m = createRequire(import.meta.url)('./r.js'); console.log(m.v, m.size); const again = await import('./r.js'); console.log(again.v === m.v);",
    {
      files: {
        "package.json": pkg({ type: "module" }),
        "r.js":
          "import { x } from './dep.js'; import { createHash } from 'node:crypto'; export const v = x + 1; export const size = createHash('sha1').update('a').digest('hex').length; console.log('r evaluated');",
        "dep.js": "export const x = 41;",
      },
    },
  ),
  js(
    "require esm error thrown while evaluating",
    "class Custom extends Error {} globalThis.Custom = Custom; try { require('./bad.mjs'); } catch (e) { console.log(e instanceof Custom, e.message); }",
    { files: { "bad.mjs": "throw new globalThis.Custom('from esm');" } },
  ),
  mjs(
    "esm __filename absent and createRequire",
    "import { createRequire } from 'module'; const require = createRequire(import.meta.url); console.log(require('./c.cjs'), typeof __filename);",
    { files: { "c.cjs": "module.exports = 'via createRequire';" } },
  ),
  js(
    "module builtinModules",
    "const m = require('module'); console.log(m.builtinModules.includes('fs'), m.builtinModules.includes('node:test') || m.builtinModules.includes('test'), m.isBuiltin('node:path'), m.isBuiltin('nope'))",
  ),
  js(
    "module isBuiltin prefix-only names",
    "const m = require('module'); console.log(['test', 'node:test', 'sqlite', 'node:sqlite', 'sea', 'node:sea', 'test/reporters', 'node:test/reporters', 'fs', 'node:fs', 'path/win32', 'node:nope'].map((n) => n + '=' + m.isBuiltin(n)).join(' '))",
  ),
  js(
    "require node prefix only modules",
    "console.log(typeof require('node:test'), typeof require('node:sqlite'))",
  ),
  js(
    "require builtin with and without prefix",
    "console.log(require('fs') === require('node:fs'), require('path') === require('node:path'))",
  ),
  js("exports vs module.exports", "console.log(require('./e1'), require('./e2'))", {
    files: {
      "e1.js": "exports = { lost: true }; exports.x = 1;",
      "e2.js": "module.exports = { kept: true };",
    },
  }),
  js(
    "wrapper arguments",
    "console.log(arguments.length, typeof arguments[1], arguments[2] === module)",
  ),
  js("strict mode not default in cjs", "x = 5; console.log(x, globalThis.x)"),
  ts(
    "typescript types stripped",
    "interface P { name: string }\nconst greet = (p: P): string => `hi ${p.name}`;\nconsole.log(greet({ name: 'ts' }) as string);\n",
  ),
  ts(
    "typescript type imports",
    "import type { T } from './t.ts';\nimport { v } from './t.ts';\nconst x: T = v;\nconsole.log(x);\n",
    {
      files: {
        "t.ts": "export type T = number;\nexport const v: T = 7;\n",
        "package.json": pkg({ type: "module" }),
      },
    },
  ),
  ts("typescript enum unsupported", "enum E { A }\nconsole.log(E.A);\n"),
  cli("mts and cts files", ["main.mts"], {
    files: {
      "main.mts": "import c from './c.cts';\nconst n: number = 1;\nconsole.log(c, n);\n",
      "c.cts": "const v: string = 'cts';\nmodule.exports = v;\n",
    },
  }),
  ts(
    "typescript error line numbers",
    "type A = { x: number };\nconst a: A = { x: 1 };\nthrow new Error('at line 3');\n",
  ),
  js(
    "module not found from nested require",
    "try { require('./inner'); } catch (e) { console.log(e.message); console.log(e.requireStack.map((p) => p.slice(p.lastIndexOf('/'))), e.code); }",
    { files: { "inner.js": "require('./missing-dep');" } },
  ),
  js("require extensions order", "console.log(require('./f'))", {
    files: { "f.js": "module.exports = 'js';", "f.json": '"json"' },
  }),
  cli("require relative up from cwd", ["main.js"], {
    files: {
      "sub/main.js": "console.log(require('../up.js'), process.cwd().endsWith('/sub'))",
      "up.js": "module.exports = 'up';",
    },
    cwd: "sub",
  }),
  mjs("esm import directory fails", "import './dir';", { files: { "dir/index.js": "" } }),
  mjs("esm import without extension hints the file", "import './util';", {
    files: { "util.js": "export const u = 1;\n" },
  }),
  mjs("esm import of a package file without extension hints it", "import 'pkg/lib/x';", {
    files: {
      "node_modules/pkg/package.json": '{"name":"pkg"}',
      "node_modules/pkg/lib/x.js": "",
    },
  }),
  mjs(
    "esm resolution error properties",
    "for (const s of ['./nope.mjs', 'nopkg', './dir']) {\n  try { await import(s); } catch (e) { console.log(e.code, e.url, e.message.split('\\n').length); }\n}\n",
    { files: { "dir/index.js": "" } },
  ),
  mjs(
    "esm top level await order",
    "console.log('main before'); await import('./slow.mjs'); console.log('main after');",
    {
      files: {
        "slow.mjs":
          "console.log('slow start'); await new Promise((r) => setTimeout(r, 2)); console.log('slow end');",
      },
    },
  ),
  mjs(
    "esm top level await in nested dynamic imports",
    "console.log('main start');\nconst a = await import('./outer.mjs');\nconsole.log('main got', a.value, a.inner);\nconst again = await import('./outer.mjs');\nconsole.log('same namespace', again === a);\n",
    {
      files: {
        "outer.mjs":
          "console.log('outer start');\nconst inner = await import('./inner.mjs');\nawait new Promise((r) => setTimeout(r, 2));\nconsole.log('outer end', inner.value);\nexport const value = 'outer';\nexport { value as inner } from './leaf.mjs';\n",
        "inner.mjs":
          "console.log('inner start');\nawait new Promise((r) => setTimeout(r, 3));\nconsole.log('inner end');\nexport const value = 'inner';\n",
        "leaf.mjs": "await null;\nconsole.log('leaf');\nexport const value = 'leaf';\n",
      },
    },
  ),
  mjs(
    "esm dynamic import of a module that throws after an await",
    "try {\n  await import('./late.mjs');\n} catch (e) {\n  console.log(e instanceof Error, e.name, e.message, e.code, e.detail.n, Object.keys(e));\n}\nconst again = await import('./late.mjs').catch((e) => e);\nconsole.log('same error again', again.message);\n",
    {
      files: {
        "late.mjs":
          "console.log('late start');\nawait new Promise((r) => setTimeout(r, 1));\nconst e = new RangeError('after await');\ne.code = 'E_LATE';\ne.detail = { n: 7 };\nthrow e;\n",
      },
    },
  ),
  mjs(
    "esm main throws a string after an await",
    "console.log('before');\nawait new Promise((r) => setTimeout(r, 1));\nthrow 'late str';\n",
  ),
  mjs(
    "esm main throws an object after an await",
    "await null;\nthrow { late: true, n: [1, 2] };\n",
  ),
  mjs(
    "esm main throws an error after an await",
    "process.on('exit', (c) => console.log('exit', c));\nawait new Promise((r) => setTimeout(r, 1));\nthrow new TypeError('late error');\n",
  ),
  mjs(
    "esm unsettled top level await",
    "console.log('before');\n  await new Promise(() => {}); // never\n",
  ),
  mjs(
    "esm unsettled top level await in an import",
    "import './a.mjs';\nimport './b.mjs';\nconsole.log('not reached');\n",
    {
      files: {
        "a.mjs": "if (true) {\n\tawait new Promise(() => {});\n}\n",
        "b.mjs": "console.log('b'); const u = import.meta.url; await new Promise(() => {});\n",
      },
    },
  ),
  mjs(
    "esm unsettled top level await exit code and listeners",
    "process.on('beforeExit', (c) => console.log('beforeExit', c));\nprocess.on('exit', (c) => console.log('exit', c, process.exitCode));\nawait new Promise(() => {});\n",
  ),
  mjs(
    "esm unsettled top level await keeps a set exit code",
    "process.exitCode = 4;\nawait new Promise(() => {});\n",
  ),
  mjs(
    "esm settled top level await",
    "await new Promise((r) => setTimeout(r, 2));\nfor await (const x of [1]) console.log('settled', x);\n",
  ),
  js("syntax error in required file", "require('./broken');", {
    files: { "broken.js": "module.exports = {\n  a: 1,,\n};\n" },
  }),
  mjs(
    "esm default import of builtin has named",
    "import util, { format } from 'node:util'; console.log(util.format === format, format('%s-%s', 1, 2));",
  ),
  js("json module in node_modules exports", "console.log(require('jp/package.json').version)", {
    files: {
      "node_modules/jp/package.json": pkg({
        name: "jp",
        version: "1.2.3",
        exports: { "./package.json": "./package.json" },
      }),
    },
  }),
  js(
    "syntax detection: a .js main with import syntax and no package type",
    "import { basename } from 'node:path';\nimport { v } from './dep.js';\nconsole.log(basename('/a/b.txt'), v, typeof require, import.meta.url.endsWith('/main.js'));\n",
    { files: { "dep.js": "export const v = 'dep';\n" } },
  ),
  ts(
    "syntax detection: a .ts main with import syntax and types",
    "import { join } from 'node:path';\nconst n: number = 2;\nconsole.log(join('a', 'b'), n);\n",
  ),
  js(
    "syntax detection: require of a .js file with export syntax",
    "const m = require('./esm.js');\nconsole.log(m.x, Object.keys(m));\n",
    { files: { "esm.js": "export const x = 1;\n" } },
  ),
];
