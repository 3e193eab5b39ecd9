/**
 * A guest process that ends because its loop ran dry leaves its isolate to the next process of
 * the same VM (isolate-pool.ts). Nothing of the earlier program may be visible to the later
 * one, its CPU limit and clock start from zero, and code left behind by an 'exit' listener
 * never acts.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AgentOs } from "../../vm/agent-os.ts";

let vm: AgentOs;
let other: AgentOs;

before(async () => {
  vm = await AgentOs.create({ limits: { nodeCpuTimeMs: 1500 } });
  other = await AgentOs.create({ limits: { nodeCpuTimeMs: 1500 } });
});

after(async () => {
  await vm.dispose();
  await other.dispose();
});

async function node(on: AgentOs, script: string) {
  const quoted = `'${script.replaceAll("'", "'\\''")}'`;
  const result = await on.exec(`node -e ${quoted}`, { timeout: 20000 });
  return { stdout: result.stdout, stderr: result.stderr, status: result.exitCode };
}

const POLLUTE = `
  globalThis.leaked = "secret";
  Object.prototype.polluted = true;
  Array.prototype.extra = "tampered";
  Error.prepareStackTrace = () => "tampered";
  Error.stackTraceLimit = 0;
  Math.random = () => 4;
  console.log("polluted");
`;

const INSPECT = `
  const seen = {
    leaked: typeof globalThis.leaked,
    polluted: ({}).polluted,
    extra: [].extra,
    stack: typeof new Error("x").stack === "string" && new Error("x").stack.includes("at "),
    random: Math.random() < 1,
  };
  console.log(JSON.stringify(seen));
`;

const CLEAN = JSON.stringify({
  leaked: "undefined",
  stack: true,
  random: true,
});

describe("isolate reuse between processes of a VM", () => {
  it("a later process sees nothing of an earlier one", async () => {
    for (let round = 0; round < 3; round++) {
      assert.deepEqual(await node(vm, POLLUTE), { stdout: "polluted\n", stderr: "", status: 0 });
      assert.deepEqual(await node(vm, INSPECT), { stdout: `${CLEAN}\n`, stderr: "", status: 0 });
      assert.deepEqual(await node(other, INSPECT), {
        stdout: `${CLEAN}\n`,
        stderr: "",
        status: 0,
      });
    }
  });

  it("each process gets the whole CPU limit and its own clock", async () => {
    // Each run burns ~500 ms of CPU: over three runs a shared clock would pass the 1.5 s limit.
    const burn = "const end = Date.now() + 500; while (Date.now() < end);";
    for (let i = 0; i < 4; i++) {
      const result = await node(vm, `${burn} console.log('ok')`);
      assert.deepEqual(result, { stdout: "ok\n", stderr: "", status: 0 });
    }
    const usage = await node(vm, "console.log(process.cpuUsage().user < 400000)");
    assert.equal(usage.stdout, "true\n");
  });

  it("a microtask queued by an 'exit' listener does not act after exit", async () => {
    const script = `
      process.on("exit", () => {
        Promise.resolve().then(() => {
          console.log("late");
          require("fs").writeFileSync("/tmp/late.txt", "late");
        });
      });
      console.log("main");
    `;
    for (let i = 0; i < 2; i++) {
      assert.deepEqual(await node(vm, script), { stdout: "main\n", stderr: "", status: 0 });
    }
    assert.equal(await vm.exists("/tmp/late.txt"), false);
  });

  it("exit codes and process.exit mid-program still work after reuse", async () => {
    assert.equal((await node(vm, "process.exitCode = 7")).status, 7);
    const mid = await node(vm, "console.log(1); process.exit(3); console.log(2)");
    assert.deepEqual(mid, { stdout: "1\n", stderr: "", status: 3 });
    assert.deepEqual(await node(vm, "console.log('after')"), {
      stdout: "after\n",
      stderr: "",
      status: 0,
    });
  });
});
