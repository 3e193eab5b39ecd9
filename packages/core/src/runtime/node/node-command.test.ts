/**
 * The `node` command and the guest process life cycle: command line, exit statuses, fatal
 * error output, the event loop's liveness, signals and resource limits. Where Node's behaviour
 * is deterministic the same program also runs on the host's Node and the outputs must match.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { AgentOs } from "../../vm/agent-os.ts";

let vm: AgentOs;

before(async () => {
  vm = await AgentOs.create({ limits: { nodeMemoryMb: 64, nodeCpuTimeMs: 2000 } });
});

after(async () => {
  await vm.dispose();
});

async function inVm(command: string, stdin?: string) {
  const result = await vm.exec(command, {
    cwd: "/home/user",
    timeout: 20000,
    ...(stdin !== undefined ? { stdin } : {}),
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.exitCode };
}

/** Runs `node <args>` on the host (in /tmp) for comparison. */
function onHost(args: string[], stdin?: string) {
  const result = spawnSync(process.execPath, args, {
    cwd: "/tmp",
    input: stdin ?? "",
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "" },
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

function quote(arg: string): string {
  return `'${arg.replaceAll("'", "'\\''")}'`;
}

async function same(args: string[], stdin?: string) {
  const vmResult = await inVm(`node ${args.map(quote).join(" ")}`, stdin);
  const hostResult = onHost(args, stdin);
  assert.deepEqual(vmResult, hostResult);
}

describe("node command line", () => {
  it("prints the version", () => same(["--version"]));
  it("-e and -p", async () => {
    await same(["-e", "console.log(1 + 1, 'a', [1, {b: 2}])"]);
    await same(["-p", "[1, 2].map(x => x * 3)"]);
    await same(["-p", "'text'"]);
  });
  it("gives process.argv and execArgv like Node", async () => {
    const vmResult = await inVm(
      `node -e 'console.log(JSON.stringify([process.argv.slice(1), process.execArgv]))' a b`,
    );
    assert.equal(
      vmResult.stdout,
      `${JSON.stringify([
        ["a", "b"],
        ["-e", "console.log(JSON.stringify([process.argv.slice(1), process.execArgv]))"],
      ])}\n`,
    );
  });
  it("reads the program from stdin", () =>
    same(["-"], "console.log('from stdin', typeof require)"));
  it("runs module code with --input-type=module", () =>
    same([
      "--input-type=module",
      "-e",
      "const m = await import('node:path'); console.log(m.join('a', 'b'))",
    ]));
  it("rejects unknown options with status 9", async () => {
    const result = await inVm("node --no-such-flag");
    assert.equal(result.status, 9);
    assert.equal(result.stderr, "node: bad option: --no-such-flag\n");
  });
  it("says so for options the VM does not support", async () => {
    const result = await inVm("node --inspect -e 1");
    assert.equal(result.status, 9);
    assert.match(result.stderr, /not supported/);
  });
});

describe("exit statuses and fatal errors", () => {
  it("process.exit and exitCode", async () => {
    await same(["-e", "console.log('a'); process.exit(5); console.log('b')"]);
    await same(["-e", "process.exitCode = 3; console.log('set')"]);
    await same(["-e", "process.on('exit', (c) => console.log('exit', c)); process.exitCode = 4"]);
  });
  it("an uncaught exception prints the source line and exits 1", async () => {
    const result = await inVm(`node -e 'let x = 1;\nthrow new TypeError("bad " + x)'`);
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      /^\[eval\]:2\nthrow new TypeError\("bad " \+ x\)\n\^\n\nTypeError: bad 1\n {4}at /,
    );
    assert.match(result.stderr, /\n\nNode\.js v24\.\d+\.\d+\n$/);
  });
  it("an unhandled rejection exits 1; a handler keeps the process alive", async () => {
    const rejected = await inVm(`node -e 'Promise.reject(new Error("nope"))'`);
    assert.equal(rejected.status, 1);
    assert.match(rejected.stderr, /Error: nope/);
    await same(["-e", "Promise.reject(42)"].slice(0, 2));
    await same([
      "-e",
      "process.on('unhandledRejection', (r) => console.log('handled', r)); Promise.reject(7)",
    ]);
  });
  it("uncaughtException listeners take over", () =>
    same([
      "-e",
      "process.on('uncaughtException', (e, origin) => console.log('caught', e.message, origin)); setTimeout(() => { throw new Error('late') }, 1)",
    ]));
  it("throwing a non-error value", () => same(["-e", "throw 5"]));
});

describe("the event loop", () => {
  it("runs nextTick before promises before timers, and exits when idle", () =>
    same([
      "-e",
      "setTimeout(() => console.log('timeout'), 5); process.nextTick(() => console.log('tick')); Promise.resolve().then(() => console.log('promise')); console.log('sync')",
    ]));
  it("beforeExit can schedule more work", () =>
    same([
      "-e",
      "let n = 0; process.on('beforeExit', (c) => { if (n++ < 2) setTimeout(() => console.log('again', n), 1) }); process.on('exit', (c) => console.log('exit', c))",
    ]));
  it("unref'ed timers do not keep it alive; intervals can be cleared", () =>
    same([
      "-e",
      "setTimeout(() => console.log('never'), 100000).unref(); let i = 0; const t = setInterval(() => { console.log('tick', ++i); if (i === 3) clearInterval(t) }, 1)",
    ]));
  it("setImmediate runs after I/O-free microtasks; immediates chain", () =>
    same([
      "-e",
      "let i = 0; function step() { if (++i < 5) setImmediate(step); else console.log('done', i) } setImmediate(step); Promise.resolve().then(() => console.log('micro'))",
    ]));
  it("timers/promises and AbortSignal.timeout", () =>
    same([
      "-e",
      "const { setTimeout: sleep } = require('timers/promises'); (async () => { console.log(await sleep(2, 'value')); try { await sleep(1000, null, { signal: AbortSignal.timeout(5) }) } catch (e) { console.log(e.name, e.code) } })()",
    ]));
});

describe("signals and limits", () => {
  it("SIGTERM ends a busy-waiting program with 143; a handler can exit cleanly", async () => {
    const killed = await inVm(
      "node -e 'setInterval(() => {}, 1000)' & sleep 0.3; kill %1; wait %1; echo status $?",
    );
    assert.equal(killed.stdout, "status 143\n");
    const handled = await inVm(
      `node -e 'process.on("SIGTERM", () => { console.log("term"); process.exit(7) }); setInterval(() => {}, 1000)' & sleep 0.3; kill %1; wait %1; echo status $?`,
    );
    assert.equal(handled.stdout, "term\nstatus 7\n");
  });
  it("process.kill on itself", async () => {
    const result = await inVm(
      `node -e 'process.kill(process.pid, "SIGTERM"); setTimeout(() => {}, 1000)'; echo $?`,
    );
    assert.equal(result.stdout, "143\n");
  });
  it("a memory bomb ends that process with Node's heap message and 134; the VM carries on", async () => {
    const result = await inVm(`node -e 'const a = []; for (;;) a.push(new Array(1e5).fill(1))'`);
    assert.equal(result.status, 134);
    assert.match(result.stderr, /JavaScript heap out of memory/);
    assert.equal((await inVm(`node -p '6 * 7'`)).stdout, "42\n");
  });
  it("a runaway loop hits the CPU time limit", async () => {
    const result = await inVm(`node -e 'for (;;) {}'`);
    assert.equal(result.status, 152);
    assert.match(result.stderr, /CPU time limit of 2000 ms exceeded/);
  });
  it("exec's timeout kills a guest stuck in a loop", async () => {
    const result = await vm.exec(`node -e 'for (;;) {}'`, { timeout: 300 });
    assert.equal(result.timedOut, true);
  });
});

describe("stdio", () => {
  it("stdin streams into the program", () =>
    same(
      [
        "-e",
        "let s = ''; process.stdin.setEncoding('utf8'); process.stdin.on('data', (d) => s += d); process.stdin.on('end', () => console.log(JSON.stringify(s.toUpperCase())))",
      ],
      "line one\nline two\n",
    ));
  it("stdout and stderr keep their order", async () => {
    const result = await inVm(
      `node -e 'for (let i = 0; i < 3; i++) { console.log("out", i); console.error("err", i) }' 2>&1`,
    );
    assert.equal(result.stdout, "out 0\nerr 0\nout 1\nerr 1\nout 2\nerr 2\n");
  });
  it("large output arrives whole", async () => {
    const result = await inVm(
      `node -e 'for (let i = 0; i < 20000; i++) console.log("line", i)' | tail -1`,
    );
    assert.equal(result.stdout, "line 19999\n");
  });
  it("writes to a closed pipe do not hang", async () => {
    const result = await inVm(
      `node -e 'for (let i = 0; i < 100000; i++) console.log(i)' | head -2`,
    );
    assert.equal(result.stdout, "0\n1\n");
  });
});
