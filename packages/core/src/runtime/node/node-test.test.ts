/**
 * node:test and `node --test` in the VM, differential: a small test project (hooks, failures with
 * assertion diffs, skip/todo/only, timeouts, plans, mocks, fake timers, a TypeScript file, a file
 * that crashes) runs with the host's Node 24 and in the VM, and the reports must match once
 * durations and the runners' own stack frames (node:internal/...) are taken out. Exit codes too.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { closeNodeVm, type NodeFiles, type NodeResult, runNodeBoth } from "./testing.ts";

const HOOKS = `const { describe, it, before, after, beforeEach, afterEach, test } = require('node:test');
const log = (m) => console.log(m);
before(() => log('global before'));
after(() => log('global after'));
beforeEach((t) => log(\`global beforeEach \${t.name}\`));
afterEach((t) => log(\`global afterEach \${t.name}\`));
describe('outer', () => {
  before(() => log('outer before'));
  after(() => log('outer after'));
  beforeEach((t) => log(\`outer beforeEach \${t.fullName}\`));
  afterEach((t) => log(\`outer afterEach \${t.fullName}\`));
  it('a', () => log('a body'));
  describe('inner', () => {
    beforeEach(() => log('inner beforeEach'));
    it('b', async () => { await new Promise((r) => setTimeout(r, 2)); log('b body'); });
  });
});
test('with subtests', async (t) => {
  t.beforeEach((t2) => log(\`t.beforeEach \${t2.name}\`));
  t.afterEach((t2) => log(\`t.afterEach \${t2.name}\`));
  await t.test('s1', () => log('s1'));
  await t.test('s2', () => log('s2'));
});
describe('hook failure', () => {
  before(() => { throw new Error('before failed'); });
  it('never runs', () => log('never'));
});
`;

const RESULTS = `const { test, describe, it } = require('node:test');
const assert = require('node:assert');
test('deep equal diff', () => { assert.deepStrictEqual({ a: 1, b: [1, 2] }, { a: 1, b: [1, 3] }); });
test('string diff', () => { assert.strictEqual('hello world', 'hello there'); });
test('skip option', { skip: true }, () => {});
test('skip reason', { skip: 'not today' }, () => {});
test('todo option', { todo: 'later' }, () => { throw new Error('todo fails'); });
test.todo('todo passes');
test('runtime skip', (t) => { t.skip('skipped inside'); });
test('runtime todo', (t) => { t.todo(); throw new Error('nope'); });
test('timeout', { timeout: 20 }, async () => { await new Promise((r) => setTimeout(r, 500)); });
test('plan ok', (t) => { t.plan(2); t.assert.ok(true); t.assert.strictEqual(1, 1); });
test('plan short', (t) => { t.plan(3); t.assert.ok(true); });
test('plan wait', async (t) => { t.plan(1, { wait: true }); setTimeout(() => t.assert.ok(true), 5); });
test('callback done', (t, done) => { setTimeout(done, 1); });
test('callback error', (t, done) => { setTimeout(() => done(new Error('cb failed')), 1); });
test('callback and promise', async (t, done) => { done(); });
test('t.assert.ok message', (t) => { t.assert.ok(1 === 2); });
test('uncaught in test', async () => { setTimeout(() => { throw new Error('async boom'); }, 1); await new Promise((r) => setTimeout(r, 20)); });
test('unhandled rejection', async () => { Promise.reject(new Error('rejected')); await new Promise((r) => setTimeout(r, 10)); });
test('activity after end', () => { setTimeout(() => { throw new Error('too late'); }, 5); });
test('context', async (t) => { t.diagnostic('a diagnostic'); console.log(t.name, t.fullName, t.signal.aborted); });
test('nested', async (t) => {
  await t.test('level 1', async (t2) => { await t2.test('level 2', () => { throw new RangeError('deep'); }); });
});
describe.skip('skipped suite', () => { it('x', () => {}); });
describe('concurrent', { concurrency: 2 }, () => {
  it('slow', async () => { await new Promise((r) => setTimeout(r, 30)); console.log('slow done'); });
  it('fast', async () => { await new Promise((r) => setTimeout(r, 5)); console.log('fast done'); });
});
test.expectFailure('expected failure', () => { throw new Error('known'); });
test('throws a string', () => { throw 'not an error'; });
test(function namedFunction() {});
test('name with # and \\\\ in it', () => {});
`;

const MOCKS = `const { test, mock } = require('node:test');
const assert = require('node:assert/strict');
test('mock.fn records calls', () => {
  const sum = mock.fn((a, b) => a + b);
  assert.equal(sum(1, 2), 3);
  assert.equal(sum.call({ tag: 1 }, 3, 4), 7);
  console.log(sum.mock.callCount(), sum.mock.calls.map((c) => [c.arguments, c.result, c.this, c.error]));
  console.log(Object.keys(sum.mock.calls[0]), Object.getPrototypeOf(sum.mock.calls[0]));
  sum.mock.mockImplementationOnce(() => 100);
  console.log(sum(1, 1), sum(1, 1));
  const thrower = mock.fn(() => { throw new TypeError('nope'); });
  assert.throws(() => thrower());
  console.log(thrower.mock.calls[0].error.message, thrower.mock.calls[0].result);
  const limited = mock.fn(() => 'original', () => 'mocked', { times: 2 });
  console.log(limited(), limited(), limited(), limited.mock.callCount());
});
test('mock.method, getter, setter, property', (t) => {
  const obj = { greet(name) { return 'hi ' + name; }, get value() { return 1; }, set value(v) { this._v = v; }, plain: 1 };
  const spy = t.mock.method(obj, 'greet', (n) => 'mocked ' + n);
  console.log(obj.greet('x'), spy.mock.calls.length);
  spy.mock.restore();
  console.log(obj.greet('y'));
  const getter = t.mock.getter(obj, 'value', () => 42);
  console.log(obj.value, getter.mock.callCount());
  t.mock.setter(obj, 'value', function (v) { this._v = v * 2; });
  obj.value = 5;
  const property = t.mock.property(obj, 'plain', 7);
  console.log(obj._v, obj.plain, property.mock.accessCount());
});
test('mock.timers', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 1000 });
  const seen = [];
  setTimeout(() => seen.push('t50'), 50);
  const id = setInterval(() => seen.push('i' + Date.now()), 20);
  setTimeout(() => seen.push('t10'), 10);
  t.mock.timers.tick(45);
  console.log(seen, Date.now(), new Date().toISOString());
  clearInterval(id);
  t.mock.timers.runAll();
  console.log(seen);
});
test('timers restored after the test', () => { console.log(Date.now() > 1e12, typeof Date.isMock); });
test('failing mock assertion', () => { const f = mock.fn(); f(1); assert.deepStrictEqual(f.mock.calls[0].arguments, [2]); });
test('misuse', () => {
  try { mock.method({}, 'missing'); } catch (e) { console.log(e.code, e.message); }
  try { mock.timers.tick(); } catch (e) { console.log(e.code, e.message); }
});
`;

const ONLY = `const { test, describe, it } = require('node:test');
test('not only', () => console.log('ran not only'));
test.only('only one', () => console.log('ran only one'));
describe('suite', () => {
  it('in suite', () => console.log('ran in suite'));
  it.only('only in suite', () => console.log('ran only in suite'));
});
test('runOnly', async (t) => {
  t.runOnly(true);
  await t.test('sub skipped', () => console.log('ran sub skipped'));
  await t.test('sub only', { only: true }, () => console.log('ran sub only'));
});
`;

const PROJECT: NodeFiles = {
  "test/hooks.test.js": HOOKS,
  "test/results.test.js": RESULTS,
  "test/mocks.test.js": MOCKS,
  "test/helpers/data.js": "module.exports = { value: 1 };\n",
  "test/slow.test.js": `const { test } = require('node:test');
test('slow', async () => { await new Promise((r) => setTimeout(r, 400)); });
test('fast', () => {});
`,
  "src/only.test.cjs": ONLY,
  "src/typed.test.mts": `import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
interface Point { x: number; y: number }
const add = (a: Point, b: Point): Point => ({ x: a.x + b.x, y: a.y + b.y });
describe('typescript', () => {
  it('adds points', () => assert.deepEqual(add({ x: 1, y: 2 }, { x: 3, y: 4 }), { x: 4, y: 6 }));
  it('pattern match me', () => assert.equal(add({ x: 0, y: 0 }, { x: 0, y: 0 }).x as number, 0));
});
`,
  "src/common.test.ts": `const { test } = require('node:test');
const double = (n: number): number => n * 2;
test('commonjs typescript', () => { if (double(2) !== 4) throw new Error('bad'); });
`,
  "src/syntax.test.ts": `import { test } from 'node:test';
import assert from 'node:assert';
const label: string = 'esm typescript';
test(label, () => assert.strictEqual(typeof label, 'string'));
`,
  "src/crash-test.js": `console.log('about to crash');
console.error('a line on stderr');
throw new Error('load failure');
`,
  "src/not-a-test-file.js": "throw new Error('must not run');\n",
  "node_modules/dep/dep.test.js":
    "require('node:test')('in node_modules', () => { throw new Error('must not run'); });\n",
  "run-api.mjs": `import { run } from 'node:test';
import { spec } from 'node:test/reporters';
const stream = run({ files: ['src/common.test.ts', 'src/only.test.cjs'] });
stream.on('test:fail', (data) => console.log('failed:', data.name));
stream.on('test:summary', (data) => { if (data.file === undefined) console.log('summary success', data.success, data.counts.tests); });
stream.pipe(new spec()).pipe(process.stdout);
`,
};

/** A runner's own stack frames: Node's internals on one side, the VM's runtime on the other. */
const INTERNAL_FRAME = /^[\s#]*(?:at\s+)?(?:async\s+)?(?:\S.*\()?node:[^\s]*\)?(?: \{)?$/;

const ANSI = /\u001b\[\d+m/g;

function normalise(text: string): string {
  return text
    .split("\n")
    .filter((line) => !INTERNAL_FRAME.test(line.replace(ANSI, "")))
    .join("\n")
    .replace(/\(\d+(?:\.\d+)?ms\)/g, "(Nms)")
    .replace(/duration_ms(:?) \d+(?:\.\d+)?/g, "duration_ms$1 N");
}

function normaliseRun(result: NodeResult): NodeResult {
  return {
    stdout: normalise(result.stdout),
    stderr: normalise(result.stderr),
    status: result.status,
  };
}

let projectDir: string;

before(async () => {
  const { dir } = await runNodeBoth({ files: PROJECT, argv: ["-e", "0"] });
  projectDir = dir;
});

after(() => closeNodeVm());

/** Runs `node <argv>` in the project on both sides; returns the host's result for extra checks. */
async function same(argv: string[], env?: Record<string, string>): Promise<NodeResult> {
  const { host, vm } = await runNodeBoth({ argv, dir: projectDir, ...(env ? { env } : {}) });
  assert.deepEqual(normaliseRun(vm), normaliseRun(host), `node ${argv.join(" ")}`);
  return host;
}

describe("node:test in a test file run directly", () => {
  it("reports hooks in Node's order, nested suites and subtests", async () => {
    const host = await same(["test/hooks.test.js"]);
    assert.equal(host.status, 1);
    assert.match(host.stdout, /▶ outer\n {2}✔ a/);
  });

  it("reports failures with their assertion diff, skip, todo, timeouts, plans", async () => {
    const host = await same(["test/results.test.js"]);
    assert.equal(host.status, 1);
    assert.match(host.stdout, /✖ failing tests:/);
    assert.match(host.stdout, /\+ actual - expected/);
    assert.match(host.stdout, /ℹ skipped 3/);
  });

  it("writes TAP and dot reports", async () => {
    const tap = await same(["--test-reporter=tap", "test/results.test.js"]);
    assert.match(tap.stdout, /^TAP version 13\n/);
    await same(["--test-reporter=dot", "test/results.test.js"]);
  });

  it("records mock calls, restores mocks and fakes timers", async () => {
    const host = await same(["test/mocks.test.js"]);
    assert.match(host.stdout, /\[ 't10', 'i1045', 'i1045' \] 1045/);
  });

  it("runs only the `only` tests (without --test-only, as Node 24 does directly)", async () => {
    const host = await same(["src/only.test.cjs"]);
    assert.doesNotMatch(host.stdout, /ran not only/);
  });

  it("filters by --test-name-pattern", async () => {
    await same(["--test-name-pattern=/^s\\d$/", "test/hooks.test.js"]);
  });
});

describe("node --test", () => {
  it("finds the test files, runs each in its own process, merges the reports", async () => {
    const host = await same(["--test"]);
    assert.equal(host.status, 1);
    assert.match(host.stdout, /✖ src\/crash-test\.js/);
    assert.match(host.stdout, /✔ commonjs typescript/);
    assert.match(host.stdout, /✔ esm typescript/);
    assert.doesNotMatch(host.stdout, /must not run|in node_modules/);
  });

  it("in colour when FORCE_COLOR is set", async () => {
    // (hooks.test.js: the VM's console.log and assert do not colour for FORCE_COLOR yet.)
    const host = await same(["--test", "test/hooks.test.js"], { FORCE_COLOR: "1" });
    assert.match(host.stdout, /\u001b\[31m✖ failing tests:/);
  });

  it("with the TAP reporter", async () => {
    await same(["--test", "--test-reporter=tap"]);
  });

  it("with --test-only, --test-name-pattern and explicit globs", async () => {
    await same(["--test", "--test-only", "src/only.test.cjs"]);
    const host = await same(["--test", "--test-name-pattern=pattern", "src/*.test.mts"]);
    assert.equal(host.status, 0);
    const timedOut = await same([
      "--test",
      "--test-concurrency=1",
      "--test-timeout=100",
      "test/slow.test.js",
    ]);
    assert.match(timedOut.stdout, /'test timed out after 100ms'/);
  });

  it("fails when a named file does not exist", async () => {
    const host = await same(["--test", "missing.test.js"]);
    assert.equal(host.status, 1);
  });

  it("run() streams the events of the files it runs", async () => {
    await same(["run-api.mjs"]);
  });
});
