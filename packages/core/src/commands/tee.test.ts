import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AgentOs } from "../vm/agent-os.ts";
import { COMPARABLE_ENV, runArgv, runBoth, VM_WORKDIR } from "./testing.ts";

async function withVm<T>(fn: (vm: AgentOs) => Promise<T>): Promise<T> {
  const vm = await AgentOs.create({ env: COMPARABLE_ENV });
  try {
    await vm.mkdir(VM_WORKDIR, { recursive: true });
    return await fn(vm);
  } finally {
    await vm.dispose();
  }
}

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe("tee", () => {
  const cases: Array<[string[], string]> = [
    [["tee"], "hello\nworld\n"],
    [["tee", "out"], "hello\n"],
    [["tee", "-a", "out"], "x"],
    [["tee", "missing/dir/f"], "data\n"],
    [["tee", "-x"], ""],
    [["tee", "--bogus"], ""],
    [["tee", "--output-error=bogus"], ""],
    [["tee", "-p", "out"], "p\n"],
    [["tee", "-i", "out"], "i\n"],
    [["tee", "--output-error", "out"], "e\n"],
  ];
  for (const [argv, stdin] of cases) {
    it(argv.slice(1).join(" ") || "(no args)", async () => {
      const { vm, host } = await runBoth(argv, { stdin });
      assert.deepEqual(vm, host);
    });
  }

  it("writes every file and stdout", async () => {
    await withVm(async (vm) => {
      const r = await runArgv(vm, ["tee", "a", "b"], { cwd: VM_WORKDIR, stdin: "line\n" });
      assert.deepEqual(r, { stdout: "line\n", stderr: "", exitCode: 0 });
      assert.equal(text(await vm.readFile(`${VM_WORKDIR}/a`)), "line\n");
      assert.equal(text(await vm.readFile(`${VM_WORKDIR}/b`)), "line\n");
    });
  });

  it("-a appends, default truncates", async () => {
    await withVm(async (vm) => {
      await vm.writeFile(`${VM_WORKDIR}/f`, "old\n");
      await runArgv(vm, ["tee", "-a", "f"], { cwd: VM_WORKDIR, stdin: "new\n" });
      assert.equal(text(await vm.readFile(`${VM_WORKDIR}/f`)), "old\nnew\n");
      await runArgv(vm, ["tee", "f"], { cwd: VM_WORKDIR, stdin: "only\n" });
      assert.equal(text(await vm.readFile(`${VM_WORKDIR}/f`)), "only\n");
    });
  });

  it("keeps writing files after a failed one and exits 1", async () => {
    await withVm(async (vm) => {
      const r = await runArgv(vm, ["tee", "nodir/x", "ok"], { cwd: VM_WORKDIR, stdin: "z\n" });
      assert.deepEqual(r, {
        stdout: "z\n",
        stderr: "tee: nodir/x: No such file or directory\n",
        exitCode: 1,
      });
      assert.equal(text(await vm.readFile(`${VM_WORKDIR}/ok`)), "z\n");
    });
  });

  it("copies binary data unchanged", async () => {
    await withVm(async (vm) => {
      const data = new Uint8Array([0, 255, 128, 10, 13]);
      await runArgv(vm, ["tee", "bin"], { cwd: VM_WORKDIR, stdin: data });
      assert.deepEqual(await vm.readFile(`${VM_WORKDIR}/bin`), data);
    });
  });
});
