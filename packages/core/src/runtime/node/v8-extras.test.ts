/**
 * The native V8 extras (packages/guest-v8) as guest programs see them: what they make work
 * matches host Node, and the native functions themselves stay out of the program's reach.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { closeNodeVm, normaliseResult, runNodeBoth, runNodeInVm } from "./testing.ts";

after(closeNodeVm);

async function same(script: string): Promise<void> {
  const { host, vm } = await runNodeBoth({ files: { "main.js": script }, argv: ["main.js"] });
  assert.deepEqual(normaliseResult(vm), normaliseResult(host));
}

describe("native V8 extras: behaviour matches host Node", () => {
  it("AsyncLocalStorage keeps each request's store across awaits, timers and I/O", async () => {
    await same(`
      const { AsyncLocalStorage } = require('node:async_hooks');
      const fs = require('node:fs/promises');
      const als = new AsyncLocalStorage();
      async function handle(id, delay) {
        await new Promise((r) => setTimeout(r, delay));
        await fs.readFile(__filename);
        const seen = [als.getStore().id];
        await Promise.all([1, 2].map(async () => { await null; seen.push(als.getStore().id); }));
        return seen;
      }
      Promise.all([3, 1, 2].map((d, i) => als.run({ id: i }, () => handle(i, d)))).then((r) => console.log(r, als.getStore()));
    `);
  });

  it("promise states in util.inspect, including nested and rejected ones", async () => {
    await same(`
      const rejected = Promise.reject({ why: 'r' }); rejected.catch(() => {});
      const later = new Promise((r) => setTimeout(() => r('done'), 1));
      console.log(Promise.resolve({ a: [1, 2] }), rejected, later, [Promise.resolve(undefined)]);
      later.then(() => console.log(later));
    `);
  });

  it("unhandled rejections: order with ticks and microtasks, real reasons, handled later", async () => {
    await same(`
      process.on('unhandledRejection', (reason, promise) => {
        console.log('unhandled', reason.code, reason instanceof TypeError, promise instanceof Promise);
        setTimeout(() => promise.catch(() => console.log('caught late')), 1);
      });
      process.on('rejectionHandled', () => console.log('rejectionHandled'));
      process.nextTick(() => console.log('tick'));
      Promise.resolve().then(() => console.log('micro'));
      const p = Promise.reject(Object.assign(new TypeError('t'), { code: 'X' }));
      Promise.reject(1).catch(() => console.log('handled in time'));
    `);
  });

  it("an unhandled non-error rejection is fatal with Node's message and 'exit' runs first", async () => {
    await same(`
      process.on('exit', (code) => console.log('exit', code));
      Promise.reject({ some: 'object' });
    `);
  });
});

/** Every function the native module installs, read from its C++ sources. */
function nativeFunctionNames(): string[] {
  const dir = fileURLToPath(new URL("../../../../guest-v8/src/", import.meta.url));
  const names = readdirSync(dir)
    .filter((file) => file.endsWith(".cc"))
    .flatMap((file) =>
      [
        ...readFileSync(join(dir, file), "utf8").matchAll(
          /SetFunction\(isolate, context, target, "(\w+)"/g,
        ),
      ].map((match) => match[1] as string),
    );
  assert.ok(names.length >= 10, `found only ${names.join(", ")}`);
  return names;
}

describe("native V8 extras: out of the guest's reach", () => {
  it("no native function or bootstrap global is visible to the program", async () => {
    const names = JSON.stringify(nativeFunctionNames());
    const r = await runNodeInVm("/tmp", {
      argv: [
        "-e",
        `const names = ${names};
        const seen = [];
        const look = (o, where) => { for (const k of Reflect.ownKeys(o)) { if (names.includes(String(k)) || /agentos_(entry|v8)/.test(String(k))) seen.push(where + '.' + String(k)); } };
        look(globalThis, 'globalThis');
        look(Function('return this')(), 'Function');
        look(process, 'process');
        console.log(JSON.stringify(seen));`,
      ],
    });
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, "[]\n");
  });
});
