/** Timers and the ordering of nextTick, microtasks, timers and immediates. */
import { js, mjs, type NodeCase } from "./case.ts";

export const TIMERS_CASES: NodeCase[] = [
  js(
    "nextTick before microtasks",
    "Promise.resolve().then(() => console.log('micro')); process.nextTick(() => console.log('tick')); console.log('sync')",
  ),
  js(
    "microtasks queued by ticks",
    "process.nextTick(() => { console.log('t1'); Promise.resolve().then(() => console.log('m-from-t1')); process.nextTick(() => console.log('t-from-t1')); }); Promise.resolve().then(() => { console.log('m1'); process.nextTick(() => console.log('t-from-m1')); });",
  ),
  js(
    "timers in order of delay",
    "setTimeout(() => console.log('20'), 20); setTimeout(() => console.log('0'), 0); setTimeout(() => console.log('5'), 5); setTimeout(() => console.log('0b'), 0)",
  ),
  js(
    "immediate inside io-free timer",
    "setTimeout(() => { setImmediate(() => console.log('immediate')); setTimeout(() => console.log('timeout'), 0); }, 0)",
  ),
  js(
    "immediates chained",
    "setImmediate(() => { console.log('i1'); setImmediate(() => console.log('i3')); process.nextTick(() => console.log('tick in i1')); }); setImmediate(() => console.log('i2'))",
  ),
  js(
    "clearTimeout and clearInterval",
    "const t = setTimeout(() => console.log('no'), 5); clearTimeout(t); let n = 0; const i = setInterval(() => { console.log('iv', ++n); if (n === 3) clearInterval(i); }, 1)",
  ),
  js(
    "clearImmediate",
    "const i = setImmediate(() => console.log('no')); clearImmediate(i); setImmediate(() => console.log('yes'))",
  ),
  js(
    "timer args",
    "setTimeout((a, b) => { console.log(a, b); setImmediate((c) => console.log(c), 'z'); }, 1, 'x', 'y')",
  ),
  js(
    "unref timer does not hold",
    "setTimeout(() => console.log('never'), 50).unref(); console.log('end')",
  ),
  js(
    "unref timer runs when beforeExit work keeps the process alive",
    "setTimeout(() => console.log('unref fired'), 5).unref();\nlet once = false;\nprocess.on('beforeExit', () => { if (!once) { once = true; setTimeout(() => console.log('later'), 20); } });\nsetTimeout(() => console.log('never'), 1000).unref();\nconsole.log('end');\n",
  ),
  js(
    "unref then ref",
    "const t = setTimeout(() => console.log('fires'), 5); t.unref(); t.ref(); console.log(t.hasRef())",
  ),
  js(
    "timeout object api",
    "const t = setTimeout(() => {}, 1); console.log(typeof t.refresh, typeof t[Symbol.toPrimitive], t.hasRef()); clearTimeout(t)",
  ),
  js(
    "timer ids as primitives",
    "const t = setTimeout(() => console.log('no'), 5); clearTimeout(+t); console.log(typeof +t)",
  ),
  js(
    "timers promises",
    "const tp = require('timers/promises'); (async () => { console.log(await tp.setTimeout(2, 'val')); console.log(await tp.setImmediate('imm')); let n = 0; for await (const v of tp.setInterval(1, 'iv')) { console.log(v); if (++n === 2) break; } })()",
  ),
  js(
    "timers module equals globals",
    "const t = require('timers'); console.log(t.setTimeout === setTimeout, t.setImmediate === setImmediate, typeof t.clearInterval)",
  ),
  js(
    "abortable timers promise",
    "const { setTimeout: st } = require('timers/promises'); const ac = new AbortController(); st(1000, null, { signal: ac.signal }).catch((e) => console.log(e.name, e.code)); ac.abort()",
  ),
  js(
    "interval with refresh",
    "let n = 0; const t = setTimeout(() => console.log('done', n), 10); const i = setInterval(() => { if (++n < 3) t.refresh(); else clearInterval(i); }, 2)",
  ),
  js(
    "queueMicrotask order",
    "queueMicrotask(() => console.log('qm')); Promise.resolve().then(() => console.log('p')); process.nextTick(() => console.log('nt'))",
  ),
  js("error in microtask is uncaught", "queueMicrotask(() => { throw new Error('micro boom'); });"),
  js(
    "nested timers ordering",
    "setTimeout(() => { console.log('a'); process.nextTick(() => console.log('a-tick')); Promise.resolve().then(() => console.log('a-micro')); }, 0); setTimeout(() => console.log('b'), 0)",
  ),
  mjs(
    "esm ordering",
    "process.nextTick(() => console.log('tick')); Promise.resolve().then(() => console.log('micro')); setTimeout(() => console.log('timeout'), 0); console.log('sync');",
  ),
  mjs(
    "esm ordering after a top level await",
    "await null;\nprocess.nextTick(() => console.log('tick'));\nPromise.resolve().then(() => console.log('micro'));\nsetTimeout(() => console.log('timeout'), 0);\nconsole.log('sync');\n",
  ),
  mjs(
    "esm ordering in a dynamically imported module",
    "console.log('main before');\nawait import('./ord.mjs');\nconsole.log('main after');\n",
    {
      files: {
        "ord.mjs":
          "process.nextTick(() => console.log('ord tick'));\nPromise.resolve().then(() => console.log('ord micro'));\nconsole.log('ord body');\n",
      },
    },
  ),
  js(
    "await in loop with timers",
    "(async () => { for (let i = 0; i < 3; i++) { await new Promise((r) => setTimeout(r, 1)); console.log('step', i); } })()",
  ),
  js(
    "setInterval zero delay",
    "let n = 0; const i = setInterval(() => { n++; if (n === 5) { clearInterval(i); console.log('count', n); } }, 0)",
  ),
];
