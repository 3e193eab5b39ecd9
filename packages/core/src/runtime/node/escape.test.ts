/**
 * Escape and abuse tests for guest JavaScript: everything a program can reach is the guest's own
 * (no host process, env, files or paths), and what it can break is its own process (CPU and
 * memory bombs, fork bombs, ReDoS end that process; the host and other VMs carry on).
 *
 * SharedArrayBuffer/Atomics: they work inside one guest process, but a guest has no second
 * thread to share memory with (worker threads are isolates of their own and a SharedArrayBuffer
 * never crosses to one), so the classic shared-counter timer cannot be built; the only clocks
 * are `performance.now()`/`process.hrtime()`, which is what any Node program has.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runArgv } from "../../commands/testing.ts";
import { AgentOs } from "../../vm/agent-os.ts";

/** A host environment variable and file the guest must never see. */
const HOST_SECRET = `host-secret-${process.pid}-${Date.now()}`;
process.env.AGENTOS_ESCAPE_TEST_SECRET = HOST_SECRET;
const hostDir = mkdtempSync(join(tmpdir(), "agentos-escape-"));
const hostFile = join(hostDir, "secret.txt");
writeFileSync(hostFile, HOST_SECRET);

let vm: AgentOs;

before(async () => {
  vm = await AgentOs.create({ limits: { maxProcesses: 24 } });
  await vm.mkdir("/home/user/esc", { recursive: true });
});

after(async () => {
  await vm.dispose();
  rmSync(hostDir, { recursive: true, force: true });
  delete process.env.AGENTOS_ESCAPE_TEST_SECRET;
});

/** Runs `source` as /home/user/esc/<name>.js in the shared VM. */
async function guest(source: string, name = "main", target: AgentOs = vm) {
  await target.mkdir("/home/user/esc", { recursive: true });
  await target.writeFile(`/home/user/esc/${name}.js`, source);
  return runArgv(target, ["node", `${name}.js`], { cwd: "/home/user/esc" });
}

/** Guest code printing a JSON report on its last stdout line. */
async function report(source: string): Promise<Record<string, unknown>> {
  const r = await guest(source);
  assert.equal(r.exitCode, 0, `guest failed: ${r.stderr}`);
  const lines = r.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
}

/** No host path, host package or bridge library may show in text the guest can read. */
function assertNoHostPaths(text: string): void {
  for (const needle of ["/work/", "/root/", "isolated-vm", "agentos-node24", hostDir]) {
    assert.ok(!text.includes(needle), `host detail ${JSON.stringify(needle)} leaked: ${text}`);
  }
}

describe("guest escape attempts", () => {
  test("constructor.constructor('return process')() is the guest's own process", async () => {
    const r = await report(`
      const fs = require("fs");
      const p = this.constructor.constructor("return process")();
      const g = ({}).constructor.constructor("return this")();
      const viaFn = (() => {}).constructor("return globalThis.process")();
      let hostRead = "refused";
      try { hostRead = p.mainModule ? "mainModule" : fs.readFileSync(${JSON.stringify(hostFile)}, "utf8"); } catch (e) { hostRead = e.code; }
      console.log(JSON.stringify({
        same: p === process && viaFn === process && g === globalThis,
        env: JSON.stringify(p.env),
        pid: p.pid,
        hostRead,
        cwd: p.cwd(),
        execPath: p.execPath,
      }));`);
    assert.equal(r.same, true);
    assert.ok(!(r.env as string).includes(HOST_SECRET), "host env var visible");
    assert.ok(!(r.env as string).includes("AGENTOS_ESCAPE_TEST_SECRET"));
    assert.equal(r.hostRead, "ENOENT");
    assert.equal(r.cwd, "/home/user/esc");
    assert.ok((r.pid as number) < 1000, `pid ${r.pid} looks like a host pid`);
    assertNoHostPaths(String(r.execPath));
  });

  test("values crossing the bridge lead back to guest realms only", async () => {
    const r = await report(`
      const fs = require("fs");
      fs.writeFileSync("f.txt", "x");
      const values = [fs.statSync("f.txt"), fs.readFileSync("f.txt"), fs.readdirSync(".")];
      try { fs.readFileSync("/nope"); } catch (e) { values.push(e); }
      const processes = values.map((v) => v.constructor.constructor("return process")());
      const root = (v) => { let p = v; while (Object.getPrototypeOf(p)) p = Object.getPrototypeOf(p); return p; };
      console.log(JSON.stringify({
        allGuest: processes.every((p) => p === process),
        fnIsGuest: values.every((v) => v.constructor.constructor === Function),
        protosGuest: values.every((v) => root(v) === Object.prototype),
      }));
      // Polluting this process's intrinsics must not reach the host or the next process.
      setTimeout(() => { Object.prototype.polluted = "yes"; Array.prototype.push = () => -1; }, 1);`);
    assert.deepEqual(r, { allGuest: true, fnIsGuest: true, protosGuest: true });
    // The host's intrinsics are untouched and a new guest process starts clean.
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const clean = await guest("console.log(({}).polluted, [].push(1))", "clean");
    assert.equal(clean.stdout, "undefined 1\n");
  });

  test("Error.prepareStackTrace sees only guest frames, without host paths", async () => {
    const r = await guest(`
      const seen = [];
      Error.prepareStackTrace = (error, frames) => {
        for (const f of frames) {
          seen.push([f.getFileName(), typeof f.getThis(), typeof f.getFunction()].join("|"));
        }
        return "custom";
      };
      const fs = require("fs");
      try { fs.readFileSync("/nope/x"); } catch (e) { e.stack; }
      try { fs.statSync(42n); } catch (e) { e.stack; }
      require("path").join("a");
      new Error("here").stack;
      setTimeout(() => { new Error("timer").stack; Promise.resolve().then(() => { new Error("micro").stack; console.log(seen.join("\\n")); }); }, 1);
    `);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.ok(r.stdout.includes("/home/user/esc/main.js"), r.stdout);
    assertNoHostPaths(r.stdout);
    // Host objects never appear as frame receivers or functions (they would be "object"s
    // from another realm; V8 hides them as undefined in strict frames).
    for (const line of r.stdout.trim().split("\n")) {
      const [file] = line.split("|");
      assert.ok(!file || file.startsWith("/home/user/") || file.startsWith("node:"), line);
    }
  });

  test("stack traces and errors from host operations show no host paths", async () => {
    await vm.writeFile(
      "/home/user/esc/lib.js",
      "exports.boom = () => { throw new Error('lib'); };",
    );
    const r = await guest(`
      const out = [];
      const fs = require("fs");
      for (const f of [() => fs.readFileSync("/missing"), () => fs.mkdirSync("/proc/x/y"), () => require("./lib").boom(), () => require("missing-pkg"), () => JSON.parse("{")]) {
        try { f(); } catch (e) { out.push(e.stack, e.message, String(e.path ?? "")); }
      }
      fs.readFile("/missing", (e) => { out.push(e.stack); Promise.reject(new Error("late")).catch((e2) => { out.push(e2.stack); console.log(out.join("\\n")); }); });
    `);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.ok(r.stdout.includes("/home/user/esc/lib.js:1"), r.stdout);
    assertNoHostPaths(r.stdout);
    const fatal = await guest("require('fs').readFileSync('/nope');", "fatal");
    assert.equal(fatal.exitCode, 1);
    assert.match(fatal.stderr, /ENOENT/);
    assertNoHostPaths(fatal.stderr);
  });

  test("process.binding, dlopen, native addons and internals are refused", async () => {
    await vm.writeFile("/home/user/esc/addon.node", new Uint8Array([0x7f, 0x45, 0x4c, 0x46]));
    const r = await report(`
      const attempt = (f) => { try { const v = f(); return "returned " + typeof v; } catch (e) { return e.code ?? e.name; } };
      console.log(JSON.stringify({
        binding: attempt(() => process.binding("fs")),
        linked: attempt(() => process._linkedBinding("fs")),
        dlopen: attempt(() => process.dlopen({ exports: {} }, "/home/user/esc/addon.node")),
        addon: attempt(() => require("./addon.node")),
        internal: attempt(() => require("internal/bootstrap/realm")),
        v8flags: attempt(() => require("v8").setFlagsFromString("--allow-natives-syntax")),
      }));`);
    for (const key of ["binding", "linked", "dlopen", "addon", "internal"]) {
      assert.ok(!String(r[key]).startsWith("returned"), `${key}: ${r[key]}`);
    }
    // Even if accepted, V8 flags must not enable natives syntax in the guest.
    const natives = await guest("console.log(typeof eval('%GetOptimizationStatus'))", "natives");
    assert.notEqual(natives.exitCode, 0);
  });

  test("__filename, argv and require paths are VM paths", async () => {
    const r = await report(`
      console.log(JSON.stringify({ file: __filename, dir: __dirname, argv: process.argv, main: require.main.filename, paths: module.paths, resolved: require.resolve("./main.js") }));`);
    assert.equal(r.file, "/home/user/esc/main.js");
    assert.equal(r.dir, "/home/user/esc");
    assert.equal(r.main, "/home/user/esc/main.js");
    assert.equal(r.resolved, "/home/user/esc/main.js");
    assertNoHostPaths(JSON.stringify(r));
  });

  test("a node:vm context reaches the guest's own world at most, never the host", async () => {
    const r = await report(`
      const vm = require("vm");
      // Through a contextified {} the constructor chain leads to this process's own realm (as in
      // Node); an ordinary new global has no process at all.
      const viaSandbox = vm.runInNewContext('this.constructor.constructor("return process")()');
      const viaLogger = vm.runInNewContext('log.constructor.constructor("return process")()', { log: console.log });
      const bare = vm.createContext(vm.constants.DONT_CONTEXTIFY);
      const inBare = vm.runInContext('[typeof process, typeof require, this.constructor.constructor("return typeof process")()]', bare);
      const frames = vm.runInNewContext('Error.prepareStackTrace = (e, fs) => fs.map((f) => [f.getFileName(), typeof f.getThis(), typeof f.getFunction()].join("|")); new Error("x").stack');
      let thrown = "";
      try { vm.runInNewContext("null.x", {}, { filename: "esc.js" }); } catch (e) { thrown = e.stack; }
      console.log(JSON.stringify({
        sameProcess: viaSandbox === process && viaLogger === process,
        env: JSON.stringify(viaSandbox.env),
        inBare,
        frames,
        thrown,
        globals: vm.runInContext("Reflect.ownKeys(this).map(String)", bare),
      }));`);
    assert.equal(r.sameProcess, true);
    assert.ok(!(r.env as string).includes(HOST_SECRET), "host env var visible");
    assert.deepEqual(r.inBare, ["undefined", "undefined", "undefined"]);
    // Only the vm code's own frame has a receiver (its global); runtime frames show none.
    for (const frame of (r.frames as string[]).slice(1))
      assert.match(frame, /\|undefined\|undefined$/);
    assert.ok(
      !(r.globals as string[]).some((name) => name.startsWith("__agentos")),
      String(r.globals),
    );
    assertNoHostPaths(JSON.stringify(r));
  });

  test("SharedArrayBuffer and Atomics work within one process", async () => {
    const r = await report(`
      const sab = new SharedArrayBuffer(16);
      const a = new Int32Array(sab);
      Atomics.add(a, 0, 5);
      Atomics.store(a, 1, 7);
      const waited = Atomics.wait(a, 2, 0, 5);
      console.log(JSON.stringify({ v: Atomics.load(a, 0), s: a[1], waited, notify: Atomics.notify(a, 0, 1), shared: a.buffer instanceof SharedArrayBuffer }));`);
    assert.deepEqual(r, { v: 5, s: 7, waited: "timed-out", notify: 0, shared: true });
  });
});

describe("guest abuse is contained", () => {
  test("ReDoS stalls only its own process, which the CPU limit ends", async () => {
    const limited = await AgentOs.create({ limits: { nodeCpuTimeMs: 1500 } });
    const other = await AgentOs.create();
    try {
      let redosDone = false;
      const redos = guest(
        "console.log('start'); setTimeout(() => { /^(a+)+$/.test('a'.repeat(40) + 'b'); console.log('never'); }, 1);",
        "redos",
        limited,
      ).then((r) => {
        redosDone = true;
        return r;
      });
      // Another VM (and the host event loop) keep answering while the guest spins.
      const answer = await guest("console.log(6 * 7)", "other", other);
      assert.equal(answer.stdout, "42\n");
      assert.equal(redosDone, false, "the ReDoS finished before the other VM answered");
      const r = await redos;
      assert.equal(r.stdout, "start\n");
      assert.notEqual(r.exitCode, 0);
      assert.match(r.stderr, /CPU time limit/);
      // The limited VM itself still works.
      assert.equal((await guest("console.log('alive')", "alive", limited)).stdout, "alive\n");
    } finally {
      await limited.dispose();
      await other.dispose();
    }
  });

  test("a memory bomb ends that process with Node's heap OOM message and status 134", async () => {
    const small = await AgentOs.create({ limits: { nodeMemoryMb: 64 } });
    try {
      const r = await guest(
        "const keep = []; for (;;) keep.push(new Array(1e5).fill({ x: Math.random() }));",
        "bomb",
        small,
      );
      assert.equal(r.exitCode, 134);
      assert.match(r.stderr, /FATAL ERROR: .*JavaScript heap out of memory/);
      assert.equal((await guest("console.log('after')", "after", small)).stdout, "after\n");
    } finally {
      await small.dispose();
    }
    assert.ok(process.memoryUsage().rss > 0, "host alive");
  });

  test("a worker bomb hits the per-process worker cap, nested workers included", async () => {
    const r = await guest(
      `
      const { Worker } = require("worker_threads");
      const workers = [];
      let failed = null;
      try {
        for (let i = 0; i < 1000; i++) workers.push(new Worker("setInterval(() => {}, 1000)", { eval: true }));
      } catch (e) { failed = e.code; }
      console.log(workers.length, failed);
      Promise.all(workers.map((w) => w.terminate())).then(() => {
        // Every worker starts two more, forever: the cap counts the whole process.
        const bomb = "const { Worker, workerData } = require('worker_threads');" +
          "for (let i = 0; i < 2; i++) try { new Worker(workerData, { eval: true, workerData }); } catch {}" +
          "setInterval(() => {}, 1000);";
        new Worker(bomb, { eval: true, workerData: bomb });
        setTimeout(() => { console.log("still in control"); process.exit(0); }, 1000);
      });`,
      "workerbomb",
    );
    assert.equal(r.stdout, "64 ERR_AGENTOS_WORKER_LIMIT\nstill in control\n", r.stderr);
    assert.equal(r.exitCode, 0);
    assert.equal((await guest("console.log('after')", "after-workers")).stdout, "after\n");
  });

  test("a fork bomb through child_process hits the process limit (EAGAIN)", async () => {
    const r = await guest(
      `
      const { spawn } = require("child_process");
      const children = [];
      let failed = null;
      const next = () => {
        if (failed || children.length > 200) return done();
        const c = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"]);
        c.on("error", (e) => { failed = e.code; done(); });
        c.on("spawn", () => { children.push(c); next(); });
      };
      let reported = false;
      const done = () => {
        if (reported) return;
        reported = true;
        console.log(failed, children.length < 200);
        for (const c of children) c.kill("SIGKILL");
      };
      next();`,
      "forkbomb",
    );
    assert.equal(r.stdout, "EAGAIN true\n", r.stderr);
    assert.equal((await guest("console.log('still')", "still")).stdout, "still\n");
  });

  describe("outbound connections", () => {
    let server: Server;
    let hits = 0;
    before(async () => {
      server = createServer((_req, res) => {
        hits++;
        res.end("host");
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    for (const target of ["169.254.169.254", "10.0.0.1", "host"]) {
      test(`connection to ${target} is refused`, async () => {
        const port = (server.address() as AddressInfo).port;
        const [host, p] = target === "host" ? ["127.0.0.1", port] : [target, 80];
        const r = await guest(
          `
          const net = require("net");
          const s = net.connect({ host: ${JSON.stringify(host)}, port: ${p}, timeout: 2000 });
          s.on("connect", () => { console.log("connected"); s.destroy(); });
          s.on("timeout", () => { console.log("timeout"); s.destroy(); });
          s.on("error", (e) => console.log("error", e.code));
          fetch("http://${host}:${p}/").then((r) => console.log("fetched", r.status), (e) => console.log("fetch failed", e.cause?.code ?? e.name));`,
          "net",
        );
        assert.ok(!r.stdout.includes("connected") && !r.stdout.includes("fetched"), r.stdout);
        assert.match(r.stdout, /error E[A-Z]+/);
        assert.match(r.stdout, /fetch failed/);
        assert.equal(hits, 0, "the host server was reached");
      });
    }
  });
});
