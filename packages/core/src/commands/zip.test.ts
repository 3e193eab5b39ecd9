import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { AgentOs } from "../vm/agent-os.ts";
import { hostHas, runArgv, runBoth, runInVm, VM_WORKDIR } from "./testing.ts";

const noZip = hostHas("zip") && hostHas("unzip") ? false : "host has no zip/unzip";
const MTIME = 1_700_000_000;
const ENV = { LC_ALL: "C", TZ: "UTC", PATH: "/usr/bin:/bin" };

/** A zip made by host Info-ZIP zip from a small tree with fixed times. */
function hostZip(args: string[]): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "agentos-zip-"));
  try {
    mkdirSync(join(dir, "d/e"), { recursive: true });
    writeFileSync(join(dir, "d/a.txt"), "hello hello hello hello hello\n");
    writeFileSync(join(dir, "d/empty"), "");
    writeFileSync(join(dir, "d/e/b"), "x\n");
    writeFileSync(join(dir, "d/run.sh"), "#!/bin/sh\n", { mode: 0o755 });
    for (const p of ["d/a.txt", "d/empty", "d/e/b", "d/run.sh", "d/e", "d"])
      utimesSync(join(dir, p), MTIME, MTIME);
    spawnSync("zip", ["-q", ...args, "out.zip", "d/a.txt", "d/empty", "d/e", "d/e/b", "d/run.sh"], {
      cwd: dir,
      env: ENV,
    });
    return new Uint8Array(readFileSync(join(dir, "out.zip")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("unzip of host-made archives (differential)", { skip: noZip }, async () => {
  const files = {
    "t.zip": hostZip([]),
    "s.zip": hostZip(["-0"]),
    "bad.zip": "junk\n",
    "o/d/empty": "old",
  };
  const cases: string[][] = [
    ["unzip", "-l", "t.zip"],
    ["unzip", "-l", "s.zip"],
    ["unzip", "-l", "t.zip", "d/a.txt"],
    ["unzip", "-l", "t"],
    ["unzip", "-p", "t.zip", "d/a.txt"],
    ["unzip", "-p", "s.zip", "d/e/b", "d/a.txt"],
    ["unzip", "t.zip"],
    ["unzip", "-q", "t.zip"],
    ["unzip", "-o", "t.zip", "-d", "o"],
    ["unzip", "t.zip", "-d", "new/dir"],
    ["unzip", "-j", "t.zip"],
    ["unzip", "t.zip", "d/e/*"],
    ["unzip", "t.zip", "-x", "d/a.txt"],
    ["unzip", "t.zip", "d/nothere"],
    ["unzip", "nope.zip"],
    ["unzip", "bad.zip"],
    ["unzip", "t.zip", "-d", "o"],
    ["unzip", "-n", "t.zip", "-d", "o"],
  ];
  for (const argv of cases) {
    const { vm, host } = await runBoth(argv, { files });
    assert.deepEqual(vm, host, argv.join(" "));
  }
});

test("unzip restores contents, modes and times", { skip: noZip }, async () => {
  const vm = await AgentOs.create({ env: { LC_ALL: "C", TZ: "UTC" } });
  try {
    await vm.mkdir(VM_WORKDIR, { recursive: true });
    await vm.writeFile(`${VM_WORKDIR}/t.zip`, hostZip([]));
    const r = await runArgv(vm, ["unzip", "-q", "t.zip"], { cwd: VM_WORKDIR });
    assert.equal(r.exitCode, 0);
    assert.equal(
      new TextDecoder().decode(await vm.readFile(`${VM_WORKDIR}/d/a.txt`)),
      "hello hello hello hello hello\n",
    );
    const st = await vm.stat(`${VM_WORKDIR}/d/run.sh`);
    assert.equal(st.mode & 0o777, 0o755);
    assert.equal(Math.floor(st.mtimeMs / 1000), MTIME);
  } finally {
    await vm.dispose();
  }
});

test("zip in the VM: host unzip lists and extracts it", { skip: noZip }, async () => {
  const vm = await AgentOs.create({ env: { LC_ALL: "C", TZ: "UTC" } });
  const dir = mkdtempSync(join(tmpdir(), "agentos-zip-"));
  try {
    await vm.mkdir(`${VM_WORKDIR}/d/e`, { recursive: true });
    await vm.writeFile(`${VM_WORKDIR}/d/a.txt`, "hello hello hello hello hello\n");
    await vm.writeFile(`${VM_WORKDIR}/d/e/b`, "x\n");
    const r = await runArgv(vm, ["zip", "-r", "out.zip", "d"], { cwd: VM_WORKDIR });
    assert.equal(r.exitCode, 0);
    assert.match(r.stdout, /^ {2}adding: d\/ \(stored 0%\)\n/);
    assert.match(r.stdout, /\n {2}adding: d\/a\.txt \(deflated [0-9]+%\)\n/);
    assert.match(r.stdout, /\n {2}adding: d\/e\/b \(stored 0%\)\n/);
    writeFileSync(join(dir, "out.zip"), await vm.readFile(`${VM_WORKDIR}/out.zip`));
    const hostList = spawnSync("unzip", ["-l", "out.zip"], { cwd: dir, env: ENV });
    assert.equal(hostList.status, 0);
    const vmList = await runArgv(vm, ["unzip", "-l", "out.zip"], { cwd: VM_WORKDIR });
    assert.equal(vmList.stdout, hostList.stdout.toString());
    const t = spawnSync("unzip", ["-t", "out.zip"], { cwd: dir, env: ENV });
    assert.equal(t.status, 0, t.stdout.toString());
    const p = spawnSync("unzip", ["-p", "out.zip", "d/a.txt"], { cwd: dir, env: ENV });
    assert.equal(p.stdout.toString(), "hello hello hello hello hello\n");
    // Updating: entries named again are replaced, others kept.
    await vm.writeFile(`${VM_WORKDIR}/d/e/b`, "y\n");
    const u = await runArgv(vm, ["zip", "out.zip", "d/e/b", "-q"], { cwd: VM_WORKDIR });
    assert.equal(u.exitCode, 0);
    const after = await runArgv(vm, ["unzip", "-p", "out.zip", "d/e/b", "d/a.txt"], {
      cwd: VM_WORKDIR,
    });
    assert.equal(after.stdout, "y\nhello hello hello hello hello\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await vm.dispose();
  }
});

test("zip options and messages", async () => {
  const files = { "d/a.txt": "aaaa", "d/b.log": "b", "d/e/c": "c" };
  let r = await runInVm(["zip", "-qr", "x.zip", "d", "-x", "*.log"], { files });
  assert.deepEqual(r, { stdout: "", stderr: "", exitCode: 0 });
  r = await runInVm(["zip", "-r", "x", "d", "-x", "*.log"], { files });
  assert.equal(
    r.stdout,
    "  adding: d/ (stored 0%)\n  adding: d/a.txt (stored 0%)\n  adding: d/e/ (stored 0%)\n  adding: d/e/c (stored 0%)\n",
  );
  r = await runInVm(["zip", "-j", "x.zip", "d/a.txt", "d/e/c"], { files });
  assert.equal(r.stdout, "  adding: a.txt (stored 0%)\n  adding: c (stored 0%)\n");
  r = await runInVm(["zip", "x.zip", "nope"], { files });
  assert.deepEqual(r, {
    stdout: "\tzip warning: name not matched: nope\n\nzip error: Nothing to do! (x.zip)\n",
    stderr: "",
    exitCode: 12,
  });
});

test("zip messages match Info-ZIP (differential)", { skip: noZip }, async () => {
  const files = { "a.txt": "x" };
  for (const argv of [
    ["zip", "q.zip", "nope"],
    ["zip", "q.zip", "a.txt", "nope"],
    ["zip", "-q", "q.zip", "a.txt"],
  ]) {
    const { vm, host } = await runBoth(argv, { files });
    assert.deepEqual(vm, host, argv.join(" "));
  }
});
