/**
 * The native module-evaluation functions (packages/guest-v8/src/module_evaluation.cc) on their
 * own isolate: what V8 hands back through a generated module's import.meta, and that no
 * argument or moment (a module still evaluating, one merely linked) can crash the host. The
 * behaviour guest programs see (import() waiting for top-level await, an entry's throw, the
 * order after a module body) is compared with host Node in the corpus (corpus/modules.ts,
 * corpus/timers.ts).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { requireGuestV8Addon } from "@agentos/guest-v8";
import ivm from "isolated-vm";

async function withNative<T>(run: (context: ivm.Context, isolate: ivm.Isolate) => Promise<T>) {
  const isolate = new ivm.Isolate({ memoryLimit: 32 });
  try {
    const context = await isolate.createContext();
    const native = await new ivm.NativeModule(requireGuestV8Addon()).create(context);
    await context.global.set("n", native.derefInto());
    return await run(context, isolate);
  } finally {
    isolate.dispose();
  }
}

describe("native module evaluation", () => {
  it("refuses what is not a generated module's import.meta", async () => {
    const out = await withNative((context) =>
      context.eval(
        `(() => {
          const out = [];
          for (const f of ['evaluationPromise', 'stalledTopLevelAwaits'])
            for (const arg of [undefined, 1, 'meta', {}, Object.create(null), () => {}])
              try { n[f](arg); out.push('returned'); } catch (e) { out.push(e?.name); }
          return out.join();
        })()`,
        { copy: true },
      ),
    );
    assert.equal(out, Array(12).fill("TypeError").join());
  });

  it("gives the graph's evaluation promise once evaluated, nothing while evaluating", async () => {
    await withNative(async (context, isolate) => {
      const module = await isolate.compileModule(
        `globalThis.meta = import.meta;
        // Asked while this module evaluates: V8 would abort on Evaluate() here.
        globalThis.during = [n.evaluationPromise(import.meta), n.stalledTopLevelAwaits(import.meta)];
        await new Promise((resolve) => { globalThis.release = resolve; });
        const e = new RangeError('after await'); e.code = 'E_LATE';
        throw e;`,
        { filename: "file:///late.mjs" },
      );
      await module.instantiate(context, () => {
        throw new Error("no imports");
      });
      await module.evaluate();
      const seen = await context.eval(
        `(async () => {
          const promise = n.evaluationPromise(meta);
          const stalled = n.stalledTopLevelAwaits(meta);
          const outcome = promise.then(() => 'fulfilled', (e) => [e.name, e.code, e.message].join(' '));
          const first = [typeof during[0], during[1].length, promise instanceof Promise,
            promise === n.evaluationPromise(meta), stalled.length, stalled[0]?.file, stalled[0]?.line];
          release();
          return JSON.stringify([first, await outcome, n.stalledTopLevelAwaits(meta).length,
            n.evaluationPromise(meta) === promise]);
        })()`,
        { promise: true, copy: true },
      );
      assert.equal(
        seen,
        JSON.stringify([
          ["undefined", 0, true, true, 1, "file:///late.mjs", 4],
          "RangeError E_LATE after await",
          0,
          true,
        ]),
      );
    });
  });

  it("through the wrapper scheme: a probe reads the wrapper's import.meta before it runs", async () => {
    await withNative(async (context, isolate) => {
      const probe = await isolate.compileModule(
        "import { meta } from 'target';\nglobalThis.early = meta();\nglobalThis.during = n.evaluationPromise(early);\n",
        { filename: "file:///probe.mjs" },
      );
      // The target imports the probe, which imports it back: the probe runs first and reads
      // the target's import.meta through its hoisted function while the target is still
      // evaluating (nothing given then), as the runtime's evaluation wrappers do.
      const target = await isolate.compileModule(
        "import 'probe';\nglobalThis.ran = true;\nexport function meta() { return import.meta; }\n",
        { filename: "file:///target.mjs" },
      );
      const link = (specifier: string) => (specifier === "probe" ? probe : target);
      await target.instantiate(context, link);
      await target.evaluate();
      const seen = await context.eval(
        "JSON.stringify([typeof during, ran, n.evaluationPromise(early) instanceof Promise, n.stalledTopLevelAwaits(early)])",
        { copy: true },
      );
      assert.equal(seen, JSON.stringify(["undefined", true, true, []]));
    });
  });
});
