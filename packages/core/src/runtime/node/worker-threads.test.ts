/**
 * worker_threads.Worker: each worker is a second isolate of the same guest process. The cases
 * are differential against host Node 24 (same files, same output and status); output of a
 * worker is sent to the parent as messages where Node's ordering of two threads' writes would
 * not be deterministic. VM-only cases check what has no host counterpart: the limits.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { runArgv } from "../../commands/testing.ts";
import { AgentOs } from "../../vm/agent-os.ts";
import { closeNodeVm, type NodeFiles, nodeVm, runNodeBoth } from "./testing.ts";

after(closeNodeVm);

interface Case {
  files: NodeFiles;
  /** Only the status and whether stderr contains this are compared (stacks may differ). */
  stderrIncludes?: string;
}

const CASES: Record<string, Case> = {
  "CommonJS worker: workerData, threadId, messages both ways, process.exit code": {
    files: {
      "main.js": `const { Worker, isMainThread, threadId } = require("node:worker_threads");
        console.log("main", isMainThread, threadId);
        const w = new Worker("./w.js", { workerData: { n: 2, list: [1, "a", null], when: new Date(0), map: new Map([[1, 2]]) } });
        const seen = [];
        w.on("online", () => seen.push("online"));
        w.on("message", (m) => { seen.push(m); if (m.done) w.postMessage("stop"); });
        w.on("exit", (code) => console.log(JSON.stringify(seen), "exit", code, typeof w.threadId));
        w.postMessage({ x: 20 }); w.postMessage({ x: 22 });`,
      "w.js": `const { parentPort, workerData, isMainThread, threadId } = require("worker_threads");
        parentPort.postMessage({ isMainThread, threadId, data: workerData.n, date: workerData.when.toISOString(), map: [...workerData.map] });
        let sum = 0, count = 0;
        parentPort.on("message", (m) => {
          if (m === "stop") process.exit(5);
          sum += m.x; if (++count === 2) parentPort.postMessage({ done: true, sum });
        });`,
    },
  },
  "ES module worker (.mjs) and a type:module package": {
    files: {
      "main.mjs": `import { Worker } from "node:worker_threads";
        for (const file of ["./w.mjs", "./pkg/w.js"]) {
          const w = new Worker(new URL(file, import.meta.url), { workerData: file });
          const messages = [];
          w.on("message", (m) => messages.push(m));
          const code = await new Promise((r) => w.once("exit", r));
          console.log(file, JSON.stringify(messages), "exit", code);
        }`,
      "w.mjs": `import { parentPort, workerData } from "node:worker_threads";
        parentPort.postMessage({ workerData, meta: typeof import.meta.url });`,
      "pkg/package.json": `{ "type": "module" }`,
      "pkg/w.js": `import { parentPort, workerData } from "worker_threads";
        const { basename } = await import("node:path");
        parentPort.postMessage({ workerData, base: basename(import.meta.filename) });`,
    },
  },
  "TypeScript worker file": {
    files: {
      "main.js": `const { Worker } = require("worker_threads");
        const w = new Worker(__dirname + "/w.ts", { workerData: 21 });
        w.on("message", (m) => console.log("got", m));
        w.on("exit", (c) => console.log("exit", c));`,
      "w.ts": `const { parentPort, workerData } = require("node:worker_threads");
        interface Task { n: number }
        const double = (task: Task): number => task.n * 2;
        parentPort.postMessage(double({ n: workerData as number }));`,
    },
  },
  "eval worker: argv, env option, process.env is a copy": {
    files: {
      "main.js": `const { Worker } = require("worker_threads");
        process.env.FROM_PARENT = "yes";
        const code = \`const { parentPort } = require("worker_threads");
          process.env.CHANGED_IN_WORKER = "1";
          parentPort.postMessage({ argv: process.argv.slice(1), parent: process.env.FROM_PARENT, only: process.env.ONLY ?? null, cwd: process.cwd() === require("path").resolve(".") });\`;
        const a = new Worker(code, { eval: true, argv: ["x", 7] });
        a.on("message", (m) => {
          console.log("a", JSON.stringify(m));
          const b = new Worker(code, { eval: true, env: { ONLY: "this" } });
          b.on("message", (m2) => console.log("b", JSON.stringify(m2)));
          b.on("exit", () => console.log("parent sees", process.env.CHANGED_IN_WORKER ?? "nothing"));
        });`,
    },
  },
  "uncaught exception in the worker is an 'error' event; worker 'exit' listeners run": {
    files: {
      "main.js": `const { Worker } = require("worker_threads");
        const w = new Worker(\`process.on("exit", (c) => require("worker_threads").parentPort.postMessage("worker exit " + c));
          const e = new RangeError("bad range"); e.extra = 42; throw e;\`, { eval: true });
        w.on("message", (m) => console.log(m));
        w.on("error", (e) => console.log("error", e instanceof RangeError, e.name, e.message, e.extra, typeof e.stack));
        w.on("exit", (c) => console.log("exit", c));`,
    },
  },
  "a thrown non-error and an unhandled rejection reach the parent": {
    files: {
      "main.js": `const { Worker } = require("worker_threads");
        const a = new Worker("throw { plain: 1 }", { eval: true });
        a.on("error", (e) => console.log("a error", JSON.stringify(e)));
        a.on("exit", (c) => {
          console.log("a exit", c);
          const b = new Worker("Promise.reject(new TypeError('nope'))", { eval: true });
          b.on("error", (e) => console.log("b error", e.name, e.message));
          b.on("exit", (c2) => console.log("b exit", c2));
        });`,
    },
  },
  "an unhandled worker 'error' crashes the parent": {
    files: {
      "main.js": `const { Worker } = require("worker_threads");
        new Worker("throw new TypeError('boom')", { eval: true });`,
    },
    stderrIncludes: "TypeError: boom",
  },
  "terminate() ends a busy worker with 1; terminate after exit": {
    files: {
      "main.js": `const { Worker } = require("worker_threads");
        const w = new Worker("require('worker_threads').parentPort.postMessage('spin'); for (;;) {}", { eval: true });
        w.on("exit", (c) => console.log("exit event", c));
        w.once("message", async () => {
          console.log("terminate ->", await w.terminate());
          console.log("again ->", await w.terminate());
        });`,
    },
  },
  "unref'ed worker does not keep the parent alive; ref'ed idle port does": {
    files: {
      "main.js": `const { Worker } = require("worker_threads");
        const idle = new Worker("require('worker_threads').parentPort.on('message', (m) => { if (m === 'close') require('worker_threads').parentPort.close(); })", { eval: true });
        idle.on("exit", (c) => console.log("idle exit", c));
        setTimeout(() => idle.postMessage("close"), 50);
        const forever = new Worker("setInterval(() => {}, 1000)", { eval: true });
        forever.unref();
        process.on("exit", () => console.log("parent exit"));`,
    },
  },
  "ArrayBuffer transfer detaches the sender's buffer; Buffers arrive as Uint8Array": {
    files: {
      "main.js": `const { Worker } = require("worker_threads");
        const w = new Worker(\`const { parentPort } = require("worker_threads");
          parentPort.once("message", ({ ab, buf, view }) => {
            const back = new Uint8Array(ab); back[0] = 99;
            parentPort.postMessage({ len: ab.byteLength, first: new Uint8Array(ab)[1], buf: [buf.constructor.name, Buffer.from(buf).toString()], view: [view.constructor.name, view.length, view[1]] }, [ab]);
            parentPort.postMessage({ workerDetached: ab.byteLength });
          });\`, { eval: true });
        const ab = new Uint8Array([1, 2, 3, 4]).buffer;
        w.postMessage({ ab, buf: Buffer.from("hi"), view: new Int16Array([5, -6]) }, [ab]);
        console.log("sender", ab.byteLength);
        w.on("message", (m) => { console.log(JSON.stringify(m)); });`,
    },
  },
  "uncloneable values, bad transfer lists and bad paths throw as in Node": {
    files: {
      "main.js": `const { Worker } = require("worker_threads");
        const show = (f) => { try { f(); console.log("no error"); } catch (e) { console.log(e.name, e.code, e.message); } };
        show(() => new Worker("x.js"));
        show(() => new Worker("./x.js", { workerData: () => 1 }));
        const w = new Worker("require('worker_threads').parentPort.once('message', () => {})", { eval: true });
        show(() => w.postMessage(Symbol("s")));
        show(() => w.postMessage({ f() {} }));
        show(() => { const b = new ArrayBuffer(1); w.postMessage(b, [b, b]); });
        w.postMessage("ok");
        w.on("exit", (c) => console.log("exit", c));`,
    },
  },
  "a missing worker file is an 'error' event": {
    files: {
      "main.js": `const { Worker } = require("worker_threads");
        const w = new Worker("./nope.js");
        w.on("error", (e) => console.log("error", e.code));
        w.on("exit", (c) => console.log("exit", c));`,
    },
  },
  "process.chdir and umask(mask) are refused in a worker": {
    files: {
      "main.js": `const { Worker } = require("worker_threads");
        const w = new Worker(\`const r = [];
          for (const f of [() => process.chdir("/"), () => process.umask(0o22), () => typeof process.umask()])
            try { r.push(f()); } catch (e) { r.push(e.name + " " + e.code + " " + e.message); }
          require("worker_threads").parentPort.postMessage(r);\`, { eval: true });
        w.on("message", (m) => console.log(m.join("\\n")));`,
    },
  },
  "nested workers get the next thread ids; receiveMessageOnPort on parentPort": {
    files: {
      "main.js": `const { Worker } = require("worker_threads");
        const w = new Worker(\`const { Worker, parentPort, threadId, receiveMessageOnPort } = require("worker_threads");
          const inner = new Worker("require('worker_threads').parentPort.postMessage(require('worker_threads').threadId)", { eval: true });
          inner.on("message", (id) => {
            parentPort.postMessage(["ids", threadId, id]);
            const got = [];
            const poll = setInterval(() => {
              const r = receiveMessageOnPort(parentPort);
              if (r) got.push(r.message);
              if (got.length === 2) { clearInterval(poll); parentPort.postMessage(["received", got, receiveMessageOnPort(parentPort)]); }
            }, 5);
          });\`, { eval: true });
        w.on("message", (m) => { console.log(JSON.stringify(m)); if (m[0] === "ids") { w.postMessage("one"); w.postMessage({ two: 2 }); } });
        w.on("exit", (c) => console.log("exit", c));`,
    },
  },
  "a small pool runs tasks on several workers in parallel": {
    files: {
      "main.js": `const { Worker } = require("worker_threads");
        const code = "const { parentPort } = require('worker_threads'); parentPort.on('message', ({ id, n }) => { let f = 1n; for (let i = 2n; i <= BigInt(n); i++) f *= i; parentPort.postMessage({ id, digits: String(f).length }); });";
        const workers = Array.from({ length: 3 }, () => new Worker(code, { eval: true }));
        const results = new Map(); let next = 0;
        const tasks = [10, 50, 100, 200, 300, 400, 500];
        for (const w of workers) {
          w.on("message", ({ id, digits }) => {
            results.set(id, digits);
            if (next < tasks.length) w.postMessage({ id: next, n: tasks[next++] });
            else if (results.size === tasks.length) { console.log([...results].sort((a, b) => a[0] - b[0]).map((e) => e[1]).join(",")); workers.forEach((x) => x.terminate()); }
          });
          w.postMessage({ id: next, n: tasks[next++] });
        }`,
    },
  },
  "resourceLimits: a worker out of heap is an ERR_WORKER_OUT_OF_MEMORY error, the parent lives": {
    files: {
      "main.js": `const { Worker } = require("worker_threads");
        const w = new Worker("const keep = []; for (;;) keep.push(new Array(1e5).fill({ x: Math.random() }));", { eval: true, resourceLimits: { maxOldGenerationSizeMb: 16 } });
        w.on("error", (e) => console.log("error", e.code, e.message));
        w.on("exit", (c) => console.log("exit", c, "parent alive"));`,
    },
  },
};

describe("worker_threads (differential)", () => {
  for (const [name, spec] of Object.entries(CASES)) {
    it(name, async () => {
      const main = Object.keys(spec.files).find((f) => f.startsWith("main")) as string;
      const { host, vm } = await runNodeBoth({ files: spec.files, argv: [main] });
      if (spec.stderrIncludes !== undefined) {
        assert.ok(host.stderr.includes(spec.stderrIncludes), `host stderr: ${host.stderr}`);
        assert.ok(vm.stderr.includes(spec.stderrIncludes), `vm stderr: ${vm.stderr}`);
        assert.deepEqual([vm.stdout, vm.status], [host.stdout, host.status]);
        return;
      }
      assert.deepEqual(vm, host);
    });
  }
});

describe("worker_threads limits (VM only)", () => {
  it("a SharedArrayBuffer or MessagePort cannot cross threads: ERR_AGENTOS_NOT_SUPPORTED", async () => {
    const vm = await nodeVm();
    const r = await runArgv(vm, [
      "node",
      "-e",
      `const { Worker, MessageChannel } = require("worker_threads");
       const w = new Worker("require('worker_threads').parentPort.once('message', () => {})", { eval: true });
       for (const f of [() => w.postMessage({ view: new Int32Array(new SharedArrayBuffer(8)) }), () => { const { port1 } = new MessageChannel(); w.postMessage(port1, [port1]); }])
         try { f(); } catch (e) { console.log(e.code, e.message); }
       w.terminate();`,
    ]);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^ERR_AGENTOS_NOT_SUPPORTED .*SharedArrayBuffer.*\n/);
    assert.match(r.stdout, /\nERR_AGENTOS_NOT_SUPPORTED .*MessagePort.*\n$/);
  });

  it("killing the process ends its workers", async () => {
    const vm = await AgentOs.create({});
    try {
      await vm.writeFile(
        "/tmp/busy.js",
        `const { Worker } = require("worker_threads");
         const fs = require("fs");
         new Worker("const fs = require('fs'); setInterval(() => fs.appendFileSync('/tmp/ticks', 'w'), 2)", { eval: true });
         setInterval(() => {}, 1000);`,
      );
      const { pid } = vm.spawn("node", ["/tmp/busy.js"]);
      // Wait until the worker is writing, then kill the process.
      for (let i = 0; i < 500 && !(await vm.exists("/tmp/ticks")); i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      vm.killProcess(pid);
      assert.equal(await vm.waitProcess(pid), 137);
      const size = (await vm.readFile("/tmp/ticks")).length;
      await new Promise((r) => setTimeout(r, 200));
      assert.equal((await vm.readFile("/tmp/ticks")).length, size, "the worker still writes");
    } finally {
      await vm.dispose();
    }
  });

  it("a worker's heap limit defaults to the VM's node memory limit and ends only the worker", async () => {
    const small = await AgentOs.create({ limits: { nodeMemoryMb: 64 } });
    try {
      const r = await runArgv(small, [
        "node",
        "-e",
        `const { Worker } = require("worker_threads");
         const w = new Worker("const wt = require('worker_threads'); wt.parentPort.postMessage(wt.resourceLimits.maxOldGenerationSizeMb); const keep = []; for (;;) keep.push(new Array(1e5).fill({}));", { eval: true });
         w.on("message", (m) => console.log(m));
         w.on("error", (e) => console.log("error", e.code));
         w.on("exit", (c) => console.log("exit", c));`,
      ]);
      assert.deepEqual([r.stdout, r.exitCode], ["64\nerror ERR_WORKER_OUT_OF_MEMORY\nexit 1\n", 0]);
    } finally {
      await small.dispose();
    }
  });
});
