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
import { MAX_PORTS_PER_PROCESS } from "./port-registry.ts";
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
        // The worker's message and its 'error' travel on different channels, whose relative
        // order Node does not fix: they are printed sorted once the worker is gone.
        const seen = [];
        w.on("message", (m) => seen.push(m));
        w.on("error", (e) => seen.push(["error", e instanceof RangeError, e.name, e.message, e.extra, typeof e.stack].join(" ")));
        w.on("exit", (c) => console.log(seen.sort().join("\\n") + "\\nexit", c));`,
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
  "a MessagePort transferred to a worker: messages both ways, queued ones move with it, close reaches both sides":
    {
      files: {
        "main.js": `const { Worker, MessageChannel } = require("worker_threads");
        const { port1, port2 } = new MessageChannel();
        port1.postMessage("queued before the transfer");
        const w = new Worker(\`const { parentPort } = require("worker_threads");
          parentPort.once("message", ({ port, tag }) => {
            port.on("message", (m) => { if (m === "bye") port.close(); else port.postMessage(tag + ": " + m); });
          });\`, { eval: true });
        w.postMessage({ port: port2, tag: "worker" }, [port2]);
        port1.postMessage("two");
        const seen = [];
        port1.on("message", (m) => { seen.push(m); if (seen.length === 2) port1.postMessage("bye"); });
        // port1's 'close' and the worker's 'exit' come from different channels, whose relative
        // order Node does not fix: both are printed, sorted, once both happened.
        const ends = [];
        const end = (line) => { ends.push(line); if (ends.length === 2) console.log(ends.sort().join("\\n")); };
        port1.on("close", () => end(JSON.stringify(seen) + " port1 closed"));
        w.on("exit", (c) => end("exit " + c));`,
      },
    },
  "ports in workerData, a port sent back by the worker, and a port moved A -> main -> B": {
    files: {
      "main.js": `const { Worker, MessageChannel } = require("worker_threads");
        const log = [];
        const echo = \`const { parentPort, workerData, MessageChannel } = require("worker_threads");
          workerData.port.on("message", (m) => workerData.port.postMessage(workerData.name + " got " + m));
          const own = new MessageChannel();
          own.port1.on("message", (m) => { own.port1.postMessage(workerData.name + " own " + m); own.port1.close(); });
          parentPort.postMessage({ own: own.port2 }, [own.port2]);
          parentPort.on("message", ({ pass }) => { parentPort.postMessage({ pass }, [pass]); });\`;
        const a = new MessageChannel();
        const A = new Worker(echo, { eval: true, workerData: { port: a.port2, name: "A" }, transferList: [a.port2] });
        const b = new MessageChannel();
        const B = new Worker(echo, { eval: true, workerData: { port: b.port2, name: "B" }, transferList: [b.port2] });
        const moving = new MessageChannel();
        moving.port1.on("message", (m) => { log.push("moving: " + m); done(); });
        let pending = 4;
        const done = () => { if (--pending === 0) { console.log(log.sort().join("\\n")); A.terminate(); B.terminate(); } };
        a.port1.on("message", (m) => { log.push(m); done(); });
        for (const [W, name] of [[A, "A"], [B, "B"]]) {
          W.once("message", ({ own }) => {
            own.on("message", (m) => { log.push(m); done(); });
            own.postMessage("hello");
            if (name === "A") W.postMessage({ pass: moving.port2 }, [moving.port2]);
          });
        }
        A.on("message", (m) => { if (m.pass) B.postMessage({ pass: m.pass }, [m.pass]); });
        B.on("message", (m) => { if (m.pass) { m.pass.postMessage("through A, main and B"); m.pass.close(); } });
        a.port1.postMessage("hi");`,
    },
  },
  "transfer list errors: closed, already transferred, duplicate, unlisted port, source port": {
    files: {
      "main.js": `const { Worker, MessageChannel, receiveMessageOnPort } = require("worker_threads");
        const show = (label, f) => { try { f(); console.log(label, "no error"); } catch (e) { console.log(label, e.name, e.code, e.message); } };
        const w = new Worker("require('worker_threads').parentPort.on('message', () => {})", { eval: true });
        const a = new MessageChannel(); a.port1.close();
        show("closed", () => w.postMessage(a.port1, [a.port1]));
        const b = new MessageChannel();
        w.postMessage({ p: b.port1 }, [b.port1]);
        show("again", () => w.postMessage({ p: b.port1 }, [b.port1]));
        show("posting on it", () => b.port1.postMessage("lost"));
        const c = new MessageChannel();
        show("twice", () => w.postMessage({ p: c.port1 }, [c.port1, c.port1]));
        show("unlisted", () => w.postMessage({ p: c.port1 }));
        show("source", () => c.port1.postMessage(c.port1, [c.port1]));
        show("shared in list", () => w.postMessage(1, [new SharedArrayBuffer(4)]));
        show("not a port", () => receiveMessageOnPort({}));
        c.port2.postMessage(1); c.port2.postMessage({ two: 2 });
        console.log(JSON.stringify([receiveMessageOnPort(c.port1), receiveMessageOnPort(c.port1), receiveMessageOnPort(c.port1)]));
        setTimeout(() => w.terminate(), 20);`,
    },
  },
  "a worker that ends closes the ports it owns; a listened port keeps its worker alive, unref does not":
    {
      files: {
        "main.js": `const { Worker, MessageChannel } = require("worker_threads");
        // The two threads' 'close' and 'exit' race in Node too: the order is not compared.
        const events = [];
        const log = (...parts) => events.push(parts.join(" "));
        process.on("exit", () => console.log(events.sort().join("\\n")));
        const quiet = new MessageChannel();
        const q = new Worker("require('worker_threads').workerData.port.postMessage('held, not listened')", { eval: true, workerData: { port: quiet.port2 }, transferList: [quiet.port2] });
        quiet.port1.on("message", (m) => log("quiet:", m));
        quiet.port1.on("close", () => log("quiet port closed by the worker's exit"));
        q.on("exit", (c) => {
          log("quiet exit", c);
          const live = new MessageChannel();
          const l = new Worker(\`const { workerData } = require("worker_threads");
            workerData.port.on("message", (m) => { workerData.port.postMessage("still alive: " + m); if (m === 2) workerData.port.unref(); });\`, { eval: true, workerData: { port: live.port2 }, transferList: [live.port2] });
          live.port1.on("message", (m) => { log(m); if (m.endsWith("1")) setTimeout(() => live.port1.postMessage(2), 30); });
          live.port1.on("close", () => log("live port closed"));
          l.on("exit", (c2) => log("live exit", c2));
          setTimeout(() => live.port1.postMessage(1), 30);
        });`,
      },
    },
  "SharedArrayBuffer: Atomics in two threads see one memory; Atomics.wait in a worker, notify from main":
    {
      files: {
        "main.js": `const { Worker } = require("worker_threads");
        const sab = new SharedArrayBuffer(16);
        const flags = new Int32Array(sab, 0, 2);
        const counter = new Int32Array(sab, 8, 2);
        const w = new Worker(\`const { parentPort, workerData } = require("worker_threads");
          const { flags, counter, again } = workerData;
          for (let i = 0; i < 1000; i++) Atomics.add(counter, 0, 1);
          parentPort.postMessage({ same: again === flags.buffer, offset: counter.byteOffset, shared: Object.prototype.toString.call(again) });
          const woke = Atomics.wait(flags, 0, 0);
          parentPort.postMessage({ woke, flag: Atomics.load(flags, 1), counter: Atomics.load(counter, 0) });\`,
          { eval: true, workerData: { flags, counter, again: sab } });
        for (let i = 0; i < 1000; i++) Atomics.add(counter, 0, 1);
        w.on("message", (m) => {
          console.log(JSON.stringify(m));
          if (m.same === undefined) return;
          // notify() answers how many it woke: retry until the worker is asleep in wait().
          Atomics.store(flags, 1, 7);
          const wake = () => { if (Atomics.notify(flags, 0) !== 1) setTimeout(wake, 5); };
          wake();
        });
        w.on("exit", (c) => console.log("exit", c, Atomics.load(counter, 0)));`,
      },
    },
  "a piscina/tinypool-style pool: tasks over transferred ports, Atomics wake-up, receiveMessageOnPort":
    {
      files: {
        "main.js": `const { Worker, MessageChannel } = require("worker_threads");
        const workerCode = \`const { workerData, receiveMessageOnPort } = require("worker_threads");
          const { port, state } = workerData;
          const run = ({ id, n }) => { let f = 1n; for (let i = 2n; i <= BigInt(n); i++) f *= i; port.postMessage({ id, digits: String(f).length }); };
          // Sleep on the shared counter; every wake-up, take all tasks synchronously, as piscina does.
          port.on("message", run);
          let seen = 0;
          const loop = () => {
            Atomics.wait(state, 0, seen, 50);
            seen = Atomics.load(state, 0);
            for (let m; (m = receiveMessageOnPort(port)); ) run(m.message);
            if (Atomics.load(state, 1) === 0) setImmediate(loop); else port.close();
          };
          loop();\`;
        const pool = Array.from({ length: 3 }, () => {
          const { port1, port2 } = new MessageChannel();
          const state = new Int32Array(new SharedArrayBuffer(8));
          const worker = new Worker(workerCode, { eval: true, workerData: { port: port2, state }, transferList: [port2] });
          return { worker, port: port1, state, busy: 0 };
        });
        const tasks = [10, 50, 100, 200, 300, 400, 500, 600, 700];
        const results = [];
        let sent = 0, closed = 0;
        const dispatch = (slot) => {
          if (sent >= tasks.length) return;
          const id = sent++;
          slot.busy++;
          slot.port.postMessage({ id, n: tasks[id] });
          Atomics.add(slot.state, 0, 1);
          Atomics.notify(slot.state, 0);
        };
        for (const slot of pool) {
          slot.port.on("message", ({ id, digits }) => {
            results[id] = digits;
            slot.busy--;
            dispatch(slot);
            if (results.filter((x) => x !== undefined).length === tasks.length) {
              console.log(results.join(","));
              for (const s of pool) { Atomics.store(s.state, 1, 1); Atomics.notify(s.state, 0); }
            }
          });
          slot.port.on("close", () => { if (++closed === pool.length) console.log("all ports closed"); });
          dispatch(slot); dispatch(slot);
        }`,
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
  it("terminate() ends a worker asleep in Atomics.wait; ports shared between threads are bounded", async () => {
    const vm = await nodeVm();
    const r = await runArgv(vm, [
      "node",
      "-e",
      `const { Worker, MessageChannel } = require("worker_threads");
       const w = new Worker("const { parentPort, workerData } = require('worker_threads'); parentPort.postMessage('sleeping'); Atomics.wait(workerData, 0, 0);", { eval: true, workerData: new Int32Array(new SharedArrayBuffer(4)) });
       w.once("message", async () => {
         console.log("terminated", await w.terminate());
         const sink = new Worker("require('worker_threads').parentPort.on('message', () => {})", { eval: true });
         try {
           for (let i = 0; i < ${MAX_PORTS_PER_PROCESS}; i++) { const { port2 } = new MessageChannel(); sink.postMessage(port2, [port2]); }
         } catch (e) { console.log(e.code, e.message); }
         sink.terminate();
       });`,
    ]);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(
      r.stdout,
      `terminated 1\nERR_AGENTOS_PORT_LIMIT a process may have at most ${MAX_PORTS_PER_PROCESS} MessagePorts shared between threads in the agentOS VM\n`,
    );
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
