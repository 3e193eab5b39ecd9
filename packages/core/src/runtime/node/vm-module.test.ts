/**
 * node:vm on real second contexts (guest/builtins/vm.ts over packages/guest-v8/src/contexts.cc):
 * differential cases against host Node 24 for every function and option, the error output of
 * what vm code throws, and VM-only checks of what differs on purpose, of what a new context
 * holds, of the limits that still apply inside one, and of the native functions given junk.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { requireGuestV8Addon } from "@agentos/guest-v8";
import ivm from "isolated-vm";
import { AgentOs } from "../../vm/agent-os.ts";
import { type SnippetCase, snippetBatches } from "./snippet-batches.ts";
import { closeNodeVm, normaliseResult, runNodeBoth } from "./testing.ts";

after(closeNodeVm);

/** Stack frames with a path (host and VM directories differ) or inside the runtimes are dropped. */
const PRELUDE = `const vm = require('vm'); const util = require('util');
const frames = (stack) => stack.split('\\n').filter((l) => !/^\\s+at .*(node:|\\/)/.test(l)).join('\\n');`;

const CONTEXT_CASES: SnippetCase[] = [
  [
    "sandbox properties are globals, declarations land on the sandbox",
    "const sb = { a: 1, [Symbol('s')]: 2, 0: 'zero' }; vm.createContext(sb); console.log(vm.runInContext('var v = a + 1; function f() { return v } w = f(); this.t = 3; let hidden = 4; [typeof hidden, this[0], v]', sb), Object.keys(sb), sb.w, vm.isContext(sb))",
  ],
  [
    "let and const stay in the context, not on the sandbox",
    "const s = vm.createContext({}); vm.runInContext('let a = 1; const b = 2; class C {}', s); console.log(vm.runInContext('a + b + typeof C', s), s.a, s.C)",
  ],
  [
    "own builtins per context, instanceof is false across them",
    "const o = vm.runInNewContext('({ a: [1], e: new Error(\"x\"), p: Promise.resolve(1), d: new Date(0) })'); console.log(vm.runInNewContext('Object') !== Object, o instanceof Object, o.a instanceof Array, Array.isArray(o.a), o.e instanceof Error, util.types.isNativeError(o.e), o.p instanceof Promise, util.types.isPromise(o.p), util.types.isDate(o.d))",
  ],
  [
    "a new context has exactly V8's globals",
    "console.log(vm.runInNewContext('Reflect.ownKeys(this).map(String)'), vm.runInNewContext('typeof require + typeof process + typeof setTimeout + typeof Buffer + typeof URL + typeof structuredClone + typeof console'))",
  ],
  [
    "delete, defineProperty accessors, in, typeof and descriptors",
    "const sb = {}; vm.runInNewContext('x = 1; delete x; Object.defineProperty(this, \"g\", { get() { return 7 }, enumerable: true }); this.y = 2', sb); console.log(Object.getOwnPropertyDescriptor(sb, 'g'), sb.g, sb.y, 'x' in sb, vm.runInNewContext('\"a\" in this', { a: undefined }), vm.runInNewContext('typeof hasOwnProperty + (toString === Object.prototype.toString)'), vm.runInNewContext('Object.getOwnPropertyDescriptor(this, \"k\")', { k: 5 }))",
  ],
  [
    "strict code cannot create an undeclared global",
    'console.log(vm.runInNewContext(\'"use strict"; try { undeclared = 1; "set" } catch (e) { e.name }\'), vm.runInNewContext(\'"use strict"; function f() {} typeof f\'))',
  ],
  [
    "a sandbox naming itself is the context's global; this is not the sandbox",
    "const sb = { n: 1 }; sb.self = sb; vm.createContext(sb); console.log(vm.runInContext('self === this && self === globalThis', sb), vm.runInContext('this', sb) === sb, vm.isContext(vm.runInContext('this', sb)))",
  ],
  [
    "inspect of a contextified object and of its global",
    "const sb = vm.createContext({ q: 1, nested: { deep: [1, 2] } }); console.log(util.inspect(sb), util.inspect(vm.runInContext('this', sb)), Object.keys(vm.runInContext('this', sb)), util.inspect(vm.createContext()), util.inspect(vm.runInNewContext('[1, { a: new Map([[1, 2]]) }, new Set([1]), /x/g, new Date(0), Symbol(\"s\"), 10n, function named() {}, class K {}]')))",
  ],
  [
    "the global of a class instance sandbox is named after the class",
    "class Foo { constructor() { this.k = 1 } } const foo = vm.createContext(new Foo()); console.log(vm.runInContext('Object.prototype.toString.call(this)', foo), vm.runInNewContext('String(this)'))",
  ],
  [
    "DONT_CONTEXTIFY gives an ordinary global",
    "const d = vm.createContext(vm.constants.DONT_CONTEXTIFY); console.log(vm.isContext(d), vm.runInContext('var zz = 1; zz', d), d.zz, typeof d.Array, d.Array === Array, vm.createContext(d) === d)",
  ],
  [
    "contexts share the microtask queue and report unhandled rejections",
    "process.once('unhandledRejection', (r) => console.log('unhandled', r.message, r instanceof Error)); const p = vm.runInNewContext('Promise.resolve(5)'); console.log(p instanceof Promise); console.log(await p); vm.runInNewContext('Promise.reject(new Error(\"inner\"))'); await new Promise((r) => setTimeout(r, 5));",
  ],
  [
    "functions from the main context run in their own realm",
    "const sb = vm.createContext({ make: () => ({}), log: (...a) => console.log('log', ...a) }); vm.runInContext('log(Object.getPrototypeOf(make()) === Object.prototype, typeof make)', sb)",
  ],
  [
    "everything reachable from a new context's global is a V8 builtin of that context",
    `const seen = new Set(); const odd = []; const text = Function.prototype.toString;
    // A builtin reads "function name() { [native code] }": runtime code, a bound function or a
    // proxy of one would not (V8's few anonymous builtins show on both sides).
    function walk(v, path) {
      if ((typeof v !== 'object' && typeof v !== 'function') || v === null || seen.has(v)) return;
      seen.add(v);
      if (typeof v === 'function' && !/^function [^(]+\\(\\) \\{ \\[native code\\] \\}$/.test(text.call(v))) odd.push(path + ': ' + text.call(v));
      if (v === globalThis || v === Object.prototype || v === Function.prototype || v === process) odd.push(path + ' is the main realm');
      for (const k of Reflect.ownKeys(v)) {
        const d = Reflect.getOwnPropertyDescriptor(v, k);
        for (const x of [d.value, d.get, d.set]) walk(x, path + '.' + String(k));
      }
      walk(Reflect.getPrototypeOf(v), path + '.__proto__');
    }
    walk(vm.runInNewContext('this'), 'global');
    walk(vm.runInContext('this', vm.createContext({})), 'contextified');
    // (The object count differs: Node's embedder adds WebAssembly.compileStreaming and
    // console.createTask, which isolated-vm's isolates lack.)
    console.log(seen.size > 1000, odd);`,
  ],
  [
    "isContext and createContext on what is already a context",
    "const c = vm.createContext({}); console.log(vm.createContext(c) === c, vm.isContext({}), vm.isContext([])); vm.isContext(function named() {})",
  ],
];

const SCRIPT_CASES: SnippetCase[] = [
  [
    "compile once, run in many contexts",
    "const s = new vm.Script('x * 2 //# sourceMappingURL=foo.map\\n//# sourceURL=bar.js'); const a = vm.createContext({ x: 1 }); console.log(s.runInContext(a), s.runInNewContext({ x: 21 }), s.runInContext(vm.createContext({ x: 5 })), s.sourceMapURL, s.sourceURL, util.inspect(new vm.Script('1')))",
  ],
  [
    "runInThisContext sees and sets the real globals",
    "globalThis.seen = 3; console.log(new vm.Script('globalThis.zz = seen + 1; var declared = 9; zz * 2').runInThisContext(), zz, typeof declared, vm.runInThisContext('1 + 2'))",
  ],
  [
    "createCachedData and produceCachedData give V8's code cache",
    "const s = new vm.Script('function f() { return 1 } f()', { produceCachedData: true }); const c = s.createCachedData(); console.log(Buffer.isBuffer(c), c.length > 0, s.cachedDataProduced, Buffer.isBuffer(s.cachedData), Object.keys(s))",
  ],
  [
    "the SyntaxError of the constructor, with Node's header",
    "try { new vm.Script('foo bar', { filename: 'my.js' }) } catch (e) { console.log(e instanceof SyntaxError, frames(e.stack)) }",
  ],
  [
    "a SyntaxError in runInNewContext belongs to the new context",
    "try { vm.runInNewContext('foo bar') } catch (e) { console.log(e instanceof SyntaxError, e.name, frames(e.stack)) }",
  ],
  [
    "errors thrown in a context: default filename and the header on the stack",
    "try { vm.runInNewContext('throw new Error(\"x\")') } catch (e) { console.log(e instanceof Error, frames(e.stack)) }",
  ],
  [
    "filename, lineOffset and columnOffset in frames and header",
    "try { vm.runInThisContext('null.x', { filename: 'f.js', lineOffset: 3, columnOffset: 2 }) } catch (e) { console.log(frames(e.stack)) } try { vm.runInNewContext('\\n\\n  undefinedName', {}, 'named.js') } catch (e) { console.log(frames(e.stack)) }",
  ],
  [
    "displayErrors: false leaves the stack alone",
    "try { vm.runInThisContext('throw new TypeError(\"y\")', { displayErrors: false }) } catch (e) { console.log(frames(e.stack)) } try { new vm.Script('throw 1; 2').runInThisContext({ displayErrors: false }) } catch (e) { console.log(e) }",
  ],
  [
    "thrown primitives and objects pass through unchanged",
    "for (const code of ['throw 42', 'throw \"s\"', 'throw null', 'throw { a: 1 }']) { try { vm.runInNewContext(code) } catch (e) { console.log(util.inspect(e)) } }",
  ],
  [
    "inspect of an error from another context",
    "const e = vm.runInNewContext('new RangeError(\"r\")'); console.log(frames(util.inspect(e)), frames(util.inspect([vm.runInNewContext('new TypeError(\"t\")')])), String(e), Object.prototype.toString.call(e))",
  ],
  [
    "timeout ends a runaway script with Node's error",
    "try { vm.runInThisContext('while (true) {}', { timeout: 20 }) } catch (e) { console.log(e.name, e.code, e.message, e instanceof Error, frames(e.stack)) } try { vm.runInNewContext('for (;;) {}', {}, { timeout: 10 }) } catch (e) { console.log(e.code) } console.log(vm.runInThisContext('\"still fine\"', { timeout: 1000 }))",
  ],
  [
    "nested timeouts: the inner one is caught inside",
    'const sb = vm.createContext({ vm, out: [] }); vm.runInContext(\'try { vm.runInThisContext("while (true) {}", { timeout: 10 }) } catch (e) { out.push(e.code) } out.push("after")\', sb, { timeout: 5000 }); console.log(sb.out)',
  ],
  [
    "string options are the filename",
    "try { vm.runInThisContext('throw new Error(\"f\")', 'string-name.js') } catch (e) { console.log(frames(e.stack)) } try { vm.runInContext('throw new Error(\"g\")', vm.createContext(), 'ctx.js') } catch (e) { console.log(frames(e.stack)) }",
  ],
];

const FUNCTION_CASES: SnippetCase[] = [
  [
    "params, name and length",
    "const fn = vm.compileFunction('return a + b', ['a', 'b']); console.log(fn(1, 2), fn.name, fn.length, fn instanceof Function)",
  ],
  [
    "contextExtensions are in scope",
    "const fn = vm.compileFunction('return a + b + c', ['a', 'b'], { contextExtensions: [{ c: 10 }, { b: 99 }] }); console.log(fn(1, 2))",
  ],
  [
    "parsingContext makes it a function of that context",
    "const c = vm.createContext({ n: 5 }); const f = vm.compileFunction('return [n, typeof Object, Object === globalThis.Object, new Object() instanceof Object]', [], { parsingContext: c }); const r = f(); console.log(r.slice(0, 3), f instanceof Function, r instanceof Array)",
  ],
  [
    "errors: default empty filename and the SyntaxError header",
    "try { vm.compileFunction('throw new Error(\"cf\")')() } catch (e) { console.log(frames(e.stack)) } try { vm.compileFunction('a b', [], { filename: 'cf.js', lineOffset: 1 }) } catch (e) { console.log(frames(e.stack)) }",
  ],
  [
    "produceCachedData",
    "const fn = vm.compileFunction('return 1', [], { produceCachedData: true }); console.log(fn.cachedDataProduced, Buffer.isBuffer(fn.cachedData), Object.keys(fn))",
  ],
];

const VALIDATION_CASES: SnippetCase[] = [
  ["createContext(1)", "vm.createContext(1)"],
  ["createContext with non-object options", "vm.createContext({}, 1)"],
  ["createContext name", "vm.createContext({}, { name: 1 })"],
  ["createContext codeGeneration type", "vm.createContext({}, { codeGeneration: 1 })"],
  ["createContext microtaskMode value", "vm.createContext({}, { microtaskMode: 'x' })"],
  ["runInContext without a context", "vm.runInContext('1', {})"],
  ["runInContext with a number", "vm.runInContext('1', 5)"],
  ["isContext(1)", "vm.isContext(1)"],
  ["Script options number", "new vm.Script('1', 5)"],
  ["Script options array", "new vm.Script('1', [])"],
  ["runInThisContext options function", "vm.runInThisContext('1', function named() {})"],
  ["Script filename", "new vm.Script('1', { filename: 1 })"],
  ["Script lineOffset type", "new vm.Script('1', { lineOffset: 'x' })"],
  ["Script lineOffset range", "new vm.Script('1', { lineOffset: 2 ** 40 })"],
  ["Script cachedData type", "new vm.Script('1', { cachedData: 'x' })"],
  ["Script code is stringified", "console.log(new vm.Script(1).runInThisContext())"],
  ["timeout -1", "vm.runInThisContext('1', { timeout: -1 })"],
  ["timeout 1.5", "vm.runInThisContext('1', { timeout: 1.5 })"],
  ["timeout too big", "vm.runInThisContext('1', { timeout: 2 ** 33 })"],
  ["timeout string", "vm.runInThisContext('1', { timeout: '1' })"],
  ["displayErrors type", "vm.runInThisContext('1', { displayErrors: 1 })"],
  ["breakOnSigint type", "vm.runInThisContext('1', { breakOnSigint: 1 })"],
  ["runInNewContext contextName", "vm.runInNewContext('1', {}, { contextName: 1 })"],
  ["runInNewContext sandbox number", "vm.runInNewContext('1', 5)"],
  ["Script method on another receiver", "vm.Script.prototype.runInThisContext.call({})"],
  ["compileFunction code", "vm.compileFunction(1)"],
  ["compileFunction params", "vm.compileFunction('1', 'a')"],
  ["compileFunction param entry", "vm.compileFunction('1', [1])"],
  ["compileFunction parsingContext", "vm.compileFunction('1', [], { parsingContext: {} })"],
  ["compileFunction extensions", "vm.compileFunction('1', [], { contextExtensions: {} })"],
  ["compileFunction extension entry", "vm.compileFunction('1', [], { contextExtensions: [1] })"],
];

snippetBatches(
  "vm-module",
  [
    ["contexts", PRELUDE, CONTEXT_CASES],
    ["scripts", PRELUDE, SCRIPT_CASES],
    ["compileFunction", PRELUDE, FUNCTION_CASES],
    ["validation", PRELUDE, VALIDATION_CASES],
  ],
  (batch) => `vm ${batch} match host Node`,
);

describe("what vm code throws uncaught is printed as Node prints it", () => {
  const cases: [string, string][] = [
    ["an error from a new context", "require('vm').runInNewContext('throw new Error(\"boom\")')"],
    ["a primitive from a new context", "require('vm').runInNewContext('throw 42')"],
    ["an object from a new context", "require('vm').runInNewContext('throw { a: 1 }')"],
    ["a Script SyntaxError", "new (require('vm').Script)('foo bar', 'x.js')"],
    ["a non-error rejection in a context", "require('vm').runInNewContext('Promise.reject(7)')"],
    ["a timeout", "require('vm').runInThisContext('while (true) {}', { timeout: 30 })"],
    [
      "offsets in the header",
      "require('vm').runInNewContext('\\n  null.foo', {}, { filename: 'f.js', lineOffset: 2, columnOffset: 4 })",
    ],
    [
      "a function of a context called later",
      "const vm = require('vm'); const c = vm.createContext({}); vm.runInContext('function f() { throw new TypeError(\"deep\") }', c); c.f()",
    ],
    [
      "a compileFunction error",
      "require('vm').compileFunction('throw new Error(\"cf\")', [], { filename: 'cf.js' })()",
    ],
  ];
  for (const [name, source] of cases) {
    test(name, async () => {
      const { host, vm } = await runNodeBoth({ files: { "main.js": source }, argv: ["main.js"] });
      assert.deepEqual(normaliseResult(vm), normaliseResult(host));
    });
  }
});

/** Runs `source` as /home/user/vmt/main.js in `target`. */
async function guest(target: AgentOs, source: string) {
  await target.mkdir("/home/user/vmt", { recursive: true });
  await target.writeFile("/home/user/vmt/main.js", source);
  return target.exec("node main.js", { cwd: "/home/user/vmt" });
}

describe("vm in the VM: what differs on purpose, and what a context holds", () => {
  let shared: AgentOs | undefined;
  const vmOf = async () => {
    shared ??= await AgentOs.create();
    return shared;
  };
  after(async () => {
    await shared?.dispose();
  });

  test("options without a safe equivalent fail with ERR_AGENTOS_NOT_SUPPORTED", async () => {
    const r = await guest(
      await vmOf(),
      `const vm = require('vm');
      for (const f of [
        () => vm.runInThisContext('1', { breakOnSigint: true }),
        () => vm.createContext({}, { microtaskMode: 'afterEvaluate' }),
        () => vm.createContext({}, { codeGeneration: { strings: false } }),
        () => vm.createContext({}, { codeGeneration: { wasm: false } }),
        () => new vm.Script('1', { importModuleDynamically: () => {} }),
        () => vm.compileFunction('1', [], { importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER }),
        () => vm.runInNewContext('1', {}, { microtaskMode: 'afterEvaluate' }),
      ]) { try { f(); console.log('no error'); } catch (e) { console.log(e.code); } }
      console.log(vm.createContext({}, { codeGeneration: { strings: true, wasm: true }, name: 'n', origin: 'https://x' }) !== undefined);`,
    );
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, `${"ERR_AGENTOS_NOT_SUPPORTED\n".repeat(7)}true\n`);
  });

  test("cachedData is never consumed: always rejected, the script still runs", async () => {
    const r = await guest(
      await vmOf(),
      `const vm = require('vm');
      const data = new vm.Script('6 * 7').createCachedData();
      const s = new vm.Script('6 * 7', { cachedData: data });
      const f = vm.compileFunction('return 1', [], { cachedData: data });
      console.log(s.cachedDataRejected, s.runInThisContext(), f.cachedDataRejected, f());`,
    );
    assert.equal(r.stdout, "true 42 true 1\n", r.stderr);
  });

  test("contexts are collected: many of them do not grow the heap", async () => {
    const r = await guest(
      await vmOf(),
      `const vm = require('vm'); const v8 = require('v8');
      for (let i = 0; i < 20; i++) vm.runInNewContext('x', { x: i });
      const before = v8.getHeapStatistics().used_heap_size;
      for (let i = 0; i < 150; i++) vm.runInNewContext('x', { x: i });
      const after = v8.getHeapStatistics().used_heap_size;
      console.log((after - before) / 1e6 < 60 ? 'bounded' : 'grew ' + (after - before) / 1e6 + ' MB');`,
    );
    assert.equal(r.stdout, "bounded\n", r.stderr);
  });
});

describe("limits still hold inside vm contexts", () => {
  test("the CPU limit ends a runaway script in a context, timeout or not", async () => {
    const limited = await AgentOs.create({ limits: { nodeCpuTimeMs: 400 } });
    try {
      for (const source of [
        "require('vm').runInNewContext('while (true) {}')",
        "require('vm').runInThisContext('for (;;) {}', { timeout: 600000 })",
        "const vm = require('vm'); try { vm.runInNewContext('for (;;) {}', {}, { timeout: 600000 }) } catch { for (;;) {} }",
      ]) {
        const r = await guest(limited, source);
        assert.equal(r.exitCode, 152, `${source}: ${r.stderr}`);
        assert.match(r.stderr, /CPU time limit/);
      }
      assert.equal((await guest(limited, "console.log('alive')")).stdout, "alive\n");
    } finally {
      await limited.dispose();
    }
  });

  test("the heap limit ends a memory bomb in a context with Node's OOM status", async () => {
    const small = await AgentOs.create({ limits: { nodeMemoryMb: 64 } });
    try {
      const r = await guest(
        small,
        "require('vm').runInNewContext('const keep = []; for (;;) keep.push(new Array(1e5).fill({ x: Math.random() }))', {}, { timeout: 600000 })",
      );
      assert.equal(r.exitCode, 134, r.stderr);
      assert.equal((await guest(small, "console.log('after')")).stdout, "after\n");
    } finally {
      await small.dispose();
    }
  });

  test("a kill ends a process inside a timed vm run", async () => {
    const vm = await AgentOs.create();
    try {
      await vm.mkdir("/home/user/vmt", { recursive: true });
      await vm.writeFile(
        "/home/user/vmt/spin.js",
        "console.log('spinning'); require('vm').runInNewContext('for (;;) {}', {}, { timeout: 600000 });",
      );
      const r = await vm.exec("node spin.js & sleep 0.5; kill -9 $!; wait $!; echo status $?", {
        cwd: "/home/user/vmt",
      });
      assert.match(r.stdout, /status 137/, r.stderr);
    } finally {
      await vm.dispose();
    }
  });
});

describe("the native context functions take junk without harm", () => {
  test("every function rejects bad arguments with a TypeError and the isolate carries on", async () => {
    const isolate = new ivm.Isolate({ memoryLimit: 32 });
    try {
      const context = await isolate.createContext();
      const native = await new ivm.NativeModule(requireGuestV8Addon()).create(context);
      await context.global.set("n", native.derefInto());
      const result = await context.eval(
        `(() => {
          const out = [];
          // Errors of the new context's realm count by name.
          const attempt = (f) => { try { f(); out.push('returned'); } catch (e) { out.push(e?.name === 'TypeError' ? 'TypeError' : String(e)); } };
          const handle = n.compileScript('1 + 1', 'f.js', 0, 0, undefined, undefined)[1];
          const revoked = Proxy.revocable({}, {}); revoked.revoke();
          attempt(() => n.makeContext(1));
          attempt(() => n.makeContext());
          attempt(() => n.isContext(1));
          attempt(() => n.compileScript(1, 2, 3, 4));
          attempt(() => n.compileScript('1', 'f', 1.5, 0));
          attempt(() => n.compileScript('1', 'f', 0, 0, {}));
          attempt(() => n.runCompiledScript({}, undefined, -1));
          attempt(() => n.runCompiledScript(Object.create(handle), undefined, -1));
          attempt(() => n.runCompiledScript(handle, {}, -1));
          attempt(() => n.runCompiledScript(handle, undefined, -2));
          attempt(() => n.runCompiledScript(handle, undefined, 1.5));
          attempt(() => n.compileFunction('1', 'f', 0, 0, 'x', undefined, []));
          attempt(() => n.compileFunction('1', 'f', 0, 0, [1], undefined, []));
          attempt(() => n.compileFunction('1', 'f', 0, 0, [], undefined, [null]));
          attempt(() => n.codeCache({}));
          attempt(() => n.codeCache(1));
          const sandbox = n.makeContext(revoked.proxy);
          attempt(() => n.runCompiledScript(n.compileScript('x', 'r.js', 0, 0, undefined, undefined)[1], sandbox, -1, 'not a function'));
          attempt(() => n.makeContext(sandbox));
          const plain = n.makeContext({ a: 20 });
          out.push(n.runCompiledScript(handle, plain, 50, undefined)[1], n.runCompiledScript(n.compileScript('a + 22', 'g.js', 0, 0, plain, undefined)[1], plain, -1)[1]);
          out.push(n.codeCache(handle) instanceof Uint8Array, n.isNativeError(new Error()), n.isNativeError({}));
          return JSON.stringify(out);
        })()`,
      );
      assert.deepEqual(JSON.parse(result as string), [
        ...Array(16).fill("TypeError"),
        "TypeError",
        "TypeError",
        2,
        42,
        true,
        true,
        false,
      ]);
      // The isolate is still usable after all of it.
      assert.equal(await context.eval("6 * 7"), 42);
    } finally {
      isolate.dispose();
    }
  });
});
