import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { AgentOs } from "../vm/agent-os.ts";
import { hostHas, runArgv, runBoth, runInVm, VM_WORKDIR } from "./testing.ts";

const noTar = hostHas("tar") ? false : "host has no tar";
const MTIME = 1_700_000_000;

/** An archive made by host GNU tar from a small tree with fixed times (sorted names). */
function hostArchive(args: string[] = ["-cf", "-"], extra: string[] = []): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "agentos-tar-"));
  try {
    mkdirSync(join(dir, "d/e"), { recursive: true });
    writeFileSync(join(dir, "d/a.txt"), "hello\n");
    writeFileSync(join(dir, "d/e/b.txt"), "bee\n");
    writeFileSync(join(dir, "d/run.sh"), "#!/bin/sh\n", { mode: 0o755 });
    symlinkSync("a.txt", join(dir, "d/link"));
    writeFileSync(join(dir, "d", "x".repeat(120)), "long\n");
    for (const p of ["d/a.txt", "d/e/b.txt", "d/run.sh", `d/${"x".repeat(120)}`, "d/e", "d"]) {
      utimesSync(join(dir, p), MTIME, MTIME);
    }
    const r = spawnSync(
      "tar",
      [...args, "--sort=name", "--owner=user:1000", "--group=user:1000", ...extra, "d"],
      { cwd: dir },
    );
    return new Uint8Array(r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("tar lists host-made archives like GNU tar", { skip: noTar }, async () => {
  const files = {
    "x.tar": hostArchive(),
    "x.tgz": hostArchive(["-czf", "-"]),
    "p.tar": hostArchive(["--format=posix", "-cf", "-"]),
  };
  const cases: string[][] = [
    ["tar", "tf", "x.tar"],
    ["tar", "-tvf", "x.tar"],
    ["tar", "--list", "--verbose", "--file=x.tar"],
    ["tar", "tzf", "x.tgz"],
    ["tar", "tvf", "x.tgz"],
    ["tar", "-tf", "p.tar"],
    ["tar", "-tf", "x.tar", "d/e"],
    ["tar", "-tf", "x.tar", "d/nothere"],
    ["tar", "-tf", "x.tar", "--exclude=*.txt"],
    ["tar", "-tf", "x.tar", "--exclude", "e"],
    ["tar", "-xOf", "x.tar", "d/a.txt"],
    ["tar", "xOf", "x.tgz", "d/e/b.txt", "d/a.txt"],
    ["tar", "-xvf", "x.tar"],
    ["tar", "-xvf", "x.tar", "--strip-components=1"],
    ["tar", "-xzf", "x.tar"],
    ["tar", "-tf", "missing.tar"],
    ["tar", "-tf", "junk.tar"],
  ];
  for (const argv of cases) {
    const { vm, host } = await runBoth(argv, { files: { ...files, "junk.tar": "junk\n" } });
    assert.deepEqual(vm, host, argv.join(" "));
  }
});

test("tar usage errors (differential)", { skip: noTar }, async () => {
  const cases: string[][] = [
    ["tar"],
    ["tar", "cf"],
    ["tar", "cf", "z.tar"],
    ["tar", "--bogus"],
    ["tar", "-q"],
    ["tar", "cf", "y.tar", "missing"],
    ["tar", "-ctf", "y.tar", "a"],
  ];
  for (const argv of cases) {
    const { vm, host } = await runBoth(argv, { files: { a: "a" } });
    assert.deepEqual(vm, host, argv.join(" "));
  }
});

/** A VM with the host archive's tree extracted by our tar; returns it for inspection. */
async function withVm(fn: (vm: AgentOs) => Promise<void>): Promise<void> {
  const vm = await AgentOs.create({ env: { LC_ALL: "C", TZ: "UTC" } });
  try {
    await vm.mkdir(VM_WORKDIR, { recursive: true });
    await fn(vm);
  } finally {
    await vm.dispose();
  }
}

test("tar -x of a host archive restores contents, modes, symlinks, mtimes", {
  skip: noTar,
}, async () => {
  await withVm(async (vm) => {
    await vm.writeFile(`${VM_WORKDIR}/x.tgz`, hostArchive(["-czf", "-"]));
    await vm.mkdir(`${VM_WORKDIR}/out`);
    const r = await runArgv(vm, ["tar", "-xzf", "x.tgz", "-C", "out"], { cwd: VM_WORKDIR });
    assert.deepEqual(r, { stdout: "", stderr: "", exitCode: 0 });
    const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
    assert.equal(dec(await vm.readFile(`${VM_WORKDIR}/out/d/a.txt`)), "hello\n");
    assert.equal(dec(await vm.readFile(`${VM_WORKDIR}/out/d/e/b.txt`)), "bee\n");
    assert.equal(dec(await vm.readFile(`${VM_WORKDIR}/out/d/${"x".repeat(120)}`)), "long\n");
    const run = await vm.stat(`${VM_WORKDIR}/out/d/run.sh`);
    assert.equal(run.mode & 0o777, 0o755);
    assert.equal(Math.floor(run.mtimeMs / 1000), MTIME);
    const dir = await vm.stat(`${VM_WORKDIR}/out/d/e`);
    assert.equal(Math.floor(dir.mtimeMs / 1000), MTIME);
    assert.equal(
      await vm.kernel.fs.readlink({ uid: 0, gid: 0, pid: 1 }, `${VM_WORKDIR}/out/d/link`),
      "a.txt",
    );
  });
});

test("tar -c in the VM: host tar lists and extracts it", { skip: noTar }, async () => {
  await withVm(async (vm) => {
    await vm.mkdir(`${VM_WORKDIR}/src/sub`, { recursive: true });
    await vm.writeFile(`${VM_WORKDIR}/src/f.txt`, "one\n");
    await vm.writeFile(`${VM_WORKDIR}/src/sub/g.txt`, "two\n");
    await vm.writeFile(`${VM_WORKDIR}/src/${"y".repeat(150)}`, "long\n");
    await vm.kernel.fs.symlink({ uid: 1000, gid: 1000, pid: 1 }, "f.txt", `${VM_WORKDIR}/src/ln`);
    for (const [argv, name, z] of [
      [["tar", "cf", "out.tar", "src"], "out.tar", false],
      [["tar", "-czf", "out.tgz", "src"], "out.tgz", true],
      [["tar", "-caf", "auto.tar.gz", "src"], "auto.tar.gz", true],
    ] as [string[], string, boolean][]) {
      const r = await runArgv(vm, argv, { cwd: VM_WORKDIR });
      assert.deepEqual(r, { stdout: "", stderr: "", exitCode: 0 });
      const bytes = await vm.readFile(`${VM_WORKDIR}/${name}`);
      const listing = spawnSync("tar", [z ? "-tzvf" : "-tvf", "-"], {
        input: Buffer.from(bytes),
        env: { TZ: "UTC", LC_ALL: "C" },
      });
      assert.equal(listing.status, 0, listing.stderr.toString());
      const vmListing = await runArgv(vm, ["tar", "-tvf", name], { cwd: VM_WORKDIR });
      // Same entries, same long listing (user names, modes, sizes, times) as host tar prints.
      assert.equal(vmListing.stdout, listing.stdout.toString());
      const names = spawnSync("tar", ["-xO", z ? "-zf" : "-f", "-", "src/sub/g.txt"], {
        input: Buffer.from(bytes),
      });
      assert.equal(names.stdout.toString(), "two\n");
    }
  });
});

test("tar -cv prints names; to stdout the list goes to stderr", async () => {
  const files = { "d/a": "a", "d/b": "b" };
  const r = await runInVm(["tar", "cvf", "x.tar", "d"], { files });
  assert.deepEqual(r, { stdout: "d/\nd/a\nd/b\n", stderr: "", exitCode: 0 });
  const s = await runInVm(["tar", "-cvf", "-", "d/a"], { files });
  assert.equal(s.stderr, "d/a\n");
  assert.equal(s.exitCode, 0);
  const abs = await runInVm(["tar", "-cf", "x.tar", "/home/user/work/d/a"], { files });
  assert.equal(abs.stderr, "tar: Removing leading `/' from member names\n");
  const ex = await runInVm(["tar", "-cvf", "x.tar", "--exclude=b", "d"], { files });
  assert.equal(ex.stdout, "d/\nd/a\n");
});

test("tar -k keeps existing files; -p and umask", async () => {
  await withVm(async (vm) => {
    await vm.mkdir(`${VM_WORKDIR}/d`);
    await vm.writeFile(`${VM_WORKDIR}/d/a`, "new");
    let r = await runArgv(vm, ["tar", "cf", "x.tar", "d"], { cwd: VM_WORKDIR });
    assert.equal(r.exitCode, 0);
    await vm.writeFile(`${VM_WORKDIR}/d/a`, "old");
    r = await runArgv(vm, ["tar", "xkf", "x.tar"], { cwd: VM_WORKDIR });
    assert.equal(r.exitCode, 2);
    assert.equal(
      r.stderr,
      "tar: d/a: Cannot open: File exists\ntar: Exiting with failure status due to previous errors\n",
    );
    assert.equal(new TextDecoder().decode(await vm.readFile(`${VM_WORKDIR}/d/a`)), "old");
    r = await runArgv(vm, ["tar", "xf", "x.tar"], { cwd: VM_WORKDIR });
    assert.equal(r.exitCode, 0);
    assert.equal(new TextDecoder().decode(await vm.readFile(`${VM_WORKDIR}/d/a`)), "new");
  });
});
