import assert from "node:assert/strict";
import { test } from "node:test";
import { runBoth, runInVm } from "./testing.ts";

/** df reports the VM's mounts: its output is VM-specific, so most checks are on the VM side. */
test("df lists the root file system", async () => {
  const r = await runInVm(["df"]);
  const lines = r.stdout.split("\n");
  assert.equal(lines[0], "Filesystem     1K-blocks  Used Available Use% Mounted on");
  assert.match(lines[1], /^rootfs +\d+ +\d+ +\d+ +\d+% \/$/);
  assert.equal(r.exitCode, 0);
});

test("df -h uses human sizes", async () => {
  const r = await runInVm(["df", "-h", "/"]);
  assert.match(
    r.stdout,
    /^Filesystem +Size +Used +Avail +Use% Mounted on\nrootfs +[\d.]+[KMGT]? +[\d.]+[KMGT]? +[\d.]+[KMGT]? +\d+% \/\n$/,
  );
});

test("df -T shows types; -a shows pseudo file systems", async () => {
  const r = await runInVm(["df", "-Ta"]);
  assert.match(r.stdout, /^Filesystem +Type +1K-blocks/);
  assert.match(r.stdout, /\nproc +proc +0 +0 +0 +- \/proc\n/);
});

test("df FILE reports the mount holding it", async () => {
  const r = await runInVm(["df", "-k", "/home/user"]);
  assert.match(r.stdout, /\nrootfs .* \/\n$/);
});

test("df -t filters", async () => {
  const r = await runInVm(["df", "-t", "nosuch"]);
  assert.deepEqual(r, { stdout: "", stderr: "df: no file systems processed\n", exitCode: 1 });
});

test("df counts written bytes", async () => {
  const { AgentOs } = await import("../vm/agent-os.ts");
  const { runArgv } = await import("./testing.ts");
  const vm = await AgentOs.create();
  try {
    const before = await runArgv(vm, ["df", "--output=used"]).catch(() => undefined);
    assert.ok(before);
    await vm.writeFile("/tmp/big", new Uint8Array(1 << 20));
    const r = await runArgv(vm, ["df", "/"]);
    const used = Number(r.stdout.split("\n")[1].trim().split(/ +/)[2]);
    assert.ok(used >= 1024, r.stdout);
  } finally {
    await vm.dispose();
  }
});

for (const argv of [
  ["df", "nope"],
  ["df", "-q"],
  ["df", "--bogus"],
]) {
  test(argv.join(" "), async () => {
    const { vm, host } = await runBoth(argv);
    assert.deepEqual(vm, host);
  });
}
