import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AgentOs } from "../vm/agent-os.ts";
import { COMPARABLE_ENV, runBoth, runInVm } from "./testing.ts";

/** Runs `yes` in a VM until it produced `bytes` bytes, then kills it. */
async function collect(args: string[], bytes: number): Promise<{ out: string; code: number }> {
  const vm = await AgentOs.create({ env: COMPARABLE_ENV });
  try {
    const chunks: Uint8Array[] = [];
    let size = 0;
    let pid = 0;
    let killed = false;
    ({ pid } = vm.spawn("yes", args, {
      onStdout: (d) => {
        chunks.push(d);
        size += d.length;
        if (size >= bytes && !killed) {
          killed = true;
          vm.killProcess(pid);
        }
      },
    }));
    const code = await vm.waitProcess(pid);
    return { out: new TextDecoder().decode(Buffer.concat(chunks)).slice(0, bytes), code };
  } finally {
    await vm.dispose();
  }
}

describe("yes", () => {
  it("repeats y until killed", async () => {
    const { out, code } = await collect([], 20000);
    assert.equal(out, "y\n".repeat(10000));
    assert.equal(code, 137);
  });

  it("repeats its arguments joined by spaces", async () => {
    const { out } = await collect(["a", "b c"], 600);
    assert.equal(out, "a b c\n".repeat(100));
  });

  it("writes in large chunks", async () => {
    const vm = await AgentOs.create({ env: COMPARABLE_ENV });
    try {
      let writes = 0;
      let size = 0;
      const { pid } = vm.spawn("yes", [], {
        onStdout: (d) => {
          writes++;
          size += d.length;
          if (writes === 3) vm.killProcess(pid);
        },
      });
      await vm.waitProcess(pid);
      assert.ok(size / writes >= 32768, `average write ${size / writes}`);
    } finally {
      await vm.dispose();
    }
  });

  it("--version and bad options", async () => {
    const { vm, host } = await runBoth(["yes", "--bogus"]);
    assert.deepEqual(vm, host);
    const version = await runInVm(["yes", "--version"]);
    assert.equal(version.stdout, "yes (GNU coreutils) 9.1\n");
  });
});
