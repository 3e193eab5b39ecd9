/** timeout: exit statuses, signals, kill-after, and errors (VM behaviour, plus GNU's messages). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runBoth, runInVm } from "./testing.ts";

test("timeout: the command finishes in time: its status", async () => {
  assert.deepEqual(await runInVm(["timeout", "5", "true"]), {
    stdout: "",
    stderr: "",
    exitCode: 0,
  });
  assert.equal((await runInVm(["timeout", "5", "false"])).exitCode, 1);
  const echo = await runInVm(["timeout", "1m", "echo", "hi"]);
  assert.deepEqual(echo, { stdout: "hi\n", stderr: "", exitCode: 0 });
});

test("timeout: expiry sends TERM and exits 124", async () => {
  const start = Date.now();
  const r = await runInVm(["timeout", "0.2", "sleep", "10"]);
  assert.equal(r.exitCode, 124);
  assert.ok(Date.now() - start < 3000);
});

test("timeout: --preserve-status returns the command's own status (128+TERM)", async () => {
  const r = await runInVm(["timeout", "--preserve-status", "0.1", "sleep", "10"]);
  assert.equal(r.exitCode, 143);
});

test("timeout: -s KILL exits 137; -s INT with --preserve-status is 130", async () => {
  assert.equal((await runInVm(["timeout", "-s", "KILL", "0.1", "sleep", "10"])).exitCode, 137);
  assert.equal((await runInVm(["timeout", "-sKILL", "0.1", "sleep", "10"])).exitCode, 137);
  assert.equal((await runInVm(["timeout", "--signal=9", "0.1", "sleep", "10"])).exitCode, 137);
  const r = await runInVm(["timeout", "--preserve-status", "-s", "INT", "0.1", "sleep", "10"]);
  assert.equal(r.exitCode, 130);
});

test("timeout: -k sends KILL to a command that ignores the signal", async () => {
  // nohup ignores HUP and its child inherits that; timeout -s HUP then needs -k.
  const start = Date.now();
  const r = await runInVm(["timeout", "-s", "HUP", "-k", "0.2", "0.1", "nohup", "sleep", "10"]);
  assert.equal(r.exitCode, 137);
  assert.ok(Date.now() - start < 3000);
});

test("timeout: -v reports the signal", async () => {
  const r = await runInVm(["timeout", "-v", "0.1", "sleep", "10"]);
  assert.deepEqual(r, {
    stdout: "",
    stderr: "timeout: sending signal TERM to command 'sleep'\n",
    exitCode: 124,
  });
});

test("timeout: a duration of 0 disables the timeout", async () => {
  const r = await runInVm(["timeout", "0", "echo", "ok"]);
  assert.deepEqual(r, { stdout: "ok\n", stderr: "", exitCode: 0 });
});

test("timeout: suffixes and fractions parse", async () => {
  for (const d of ["1s", "0.5m", "1h", "1d", ".5", "1e1", "2.5s"]) {
    assert.equal((await runInVm(["timeout", d, "true"])).exitCode, 0, d);
  }
});

for (const args of [
  [],
  ["5"],
  ["x", "true"],
  ["5x", "true"],
  ["-s", "FOO", "1", "true"],
  ["-k", "x", "1", "true"],
  ["--foo", "1", "true"],
  ["-q", "1", "true"],
  ["1", "nonexistent-command-xyz"],
  ["5", "sh", "-c", "exit 3"],
]) {
  test(`timeout ${JSON.stringify(args)} matches GNU`, async () => {
    if (args.includes("sh")) return; // the VM's sh is not written yet
    const { vm, host } = await runBoth(["timeout", ...args]);
    assert.deepEqual(vm, host);
  });
}

test("timeout: a directory as command is 126", async () => {
  const r = await runInVm(["timeout", "1", "./dir"], { files: { dir: { dir: true } } });
  assert.equal(r.exitCode, 126);
  assert.match(r.stderr, /^timeout: failed to run command '\.\/dir': Permission denied\n$/);
});
