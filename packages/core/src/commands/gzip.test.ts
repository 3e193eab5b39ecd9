import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { AgentOs } from "../vm/agent-os.ts";
import { hostHas, runArgv, runBoth, runInVm, VM_WORKDIR } from "./testing.ts";

const noGzip = hostHas("gzip") ? false : "host has no gzip";

/** GNU gzip's own output for `input` (with -n unless a name is wanted). */
function hostGzip(input: string | Uint8Array, args: string[] = ["-n"]): Uint8Array {
  const r = spawnSync("gzip", ["-c", ...args], { input: Buffer.from(input) });
  return new Uint8Array(r.stdout);
}

function hostGunzip(input: Uint8Array): { stdout: string; status: number | null } {
  const r = spawnSync("gzip", ["-dc"], { input: Buffer.from(input) });
  return { stdout: r.stdout.toString("latin1"), status: r.status };
}

/** Runs argv in a VM holding `files`, then returns the result and the named files' bytes. */
async function runAndRead(
  argv: string[],
  files: Record<string, string | Uint8Array>,
  read: string[],
  stdin?: string | Uint8Array,
): Promise<{
  result: Awaited<ReturnType<typeof runArgv>>;
  out: Record<string, Uint8Array | null>;
  modes: Record<string, number>;
}> {
  const vm = await AgentOs.create({ env: { LC_ALL: "C", TZ: "UTC" } });
  try {
    await vm.mkdir(VM_WORKDIR, { recursive: true });
    for (const [name, content] of Object.entries(files)) {
      const path = `${VM_WORKDIR}/${name}`;
      await vm.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
      await vm.writeFile(path, content);
    }
    const result = await runArgv(vm, argv, { cwd: VM_WORKDIR, stdin });
    const out: Record<string, Uint8Array | null> = {};
    const modes: Record<string, number> = {};
    for (const name of read) {
      const path = `${VM_WORKDIR}/${name}`;
      out[name] = (await vm.exists(path)) ? await vm.readFile(path) : null;
      if (out[name]) modes[name] = (await vm.stat(path)).mode;
    }
    return { result, out, modes };
  } finally {
    await vm.dispose();
  }
}

const TEXT = "hello hello hello hello\n".repeat(50);
const BINARY = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256);

test("gzip FILE: replaced by FILE.gz that host gzip expands", { skip: noGzip }, async () => {
  const { result, out } = await runAndRead(["gzip", "a.txt"], { "a.txt": TEXT }, [
    "a.txt",
    "a.txt.gz",
  ]);
  assert.deepEqual(result, { stdout: "", stderr: "", exitCode: 0 });
  assert.equal(out["a.txt"], null);
  const gz = out["a.txt.gz"] as Uint8Array;
  assert.deepEqual(hostGunzip(gz), { stdout: TEXT, status: 0 });
  // The header names the file, as GNU gzip does.
  const listed = spawnSync("gzip", ["-lN"], { input: Buffer.from(gz) });
  assert.equal(listed.status, 0);
});

test("gzip binary round trip and levels", { skip: noGzip }, async () => {
  for (const level of ["-1", "-6", "-9", "--fast", "--best"]) {
    const { out } = await runAndRead(["gzip", level, "b.bin"], { "b.bin": BINARY }, ["b.bin.gz"]);
    const r = spawnSync("gzip", ["-dc"], { input: Buffer.from(out["b.bin.gz"] as Uint8Array) });
    assert.deepEqual(new Uint8Array(r.stdout), BINARY, level);
  }
});

test("gzip -k keeps, -c writes to stdout, -n stores no name", { skip: noGzip }, async () => {
  const { out } = await runAndRead(["gzip", "-kn", "a.txt"], { "a.txt": TEXT }, [
    "a.txt",
    "a.txt.gz",
  ]);
  assert.equal(new TextDecoder().decode(out["a.txt"] as Uint8Array), TEXT);
  const gz = out["a.txt.gz"] as Uint8Array;
  assert.equal(gz[3] & 8, 0);
  assert.deepEqual([...gz.subarray(4, 8)], [0, 0, 0, 0]);
  const piped = await runInVm(["gzip", "-c", "a.txt"], { files: { "a.txt": "x" } });
  assert.equal(piped.exitCode, 0);
  assert.equal(piped.stdout.charCodeAt(0), 0x1f);
});

test("gzip keeps mode and mtime", async () => {
  const vm = await AgentOs.create();
  try {
    await vm.mkdir(VM_WORKDIR, { recursive: true });
    await vm.writeFile(`${VM_WORKDIR}/m.txt`, "data");
    await vm.kernel.fs.chmod({ uid: 0, gid: 0, pid: 1 }, `${VM_WORKDIR}/m.txt`, 0o640);
    await vm.kernel.fs.utimes(
      { uid: 0, gid: 0, pid: 1 },
      `${VM_WORKDIR}/m.txt`,
      0,
      1_000_000_000_000,
    );
    const r = await runArgv(vm, ["gzip", "m.txt"], { cwd: VM_WORKDIR });
    assert.equal(r.exitCode, 0);
    const st = await vm.stat(`${VM_WORKDIR}/m.txt.gz`);
    assert.equal(st.mode & 0o777, 0o640);
    assert.equal(Math.floor(st.mtimeMs), 1_000_000_000_000);
    const back = await runArgv(vm, ["gunzip", "m.txt.gz"], { cwd: VM_WORKDIR });
    assert.equal(back.exitCode, 0);
    const st2 = await vm.stat(`${VM_WORKDIR}/m.txt`);
    assert.equal(st2.mode & 0o777, 0o640);
    assert.equal(Math.floor(st2.mtimeMs), 1_000_000_000_000);
    assert.equal(new TextDecoder().decode(await vm.readFile(`${VM_WORKDIR}/m.txt`)), "data");
  } finally {
    await vm.dispose();
  }
});

test("gunzip of host-made files (differential)", { skip: noGzip }, async () => {
  const gz = hostGzip(TEXT);
  const named = hostGzip(TEXT, []);
  const two = new Uint8Array([...hostGzip("one\n"), ...hostGzip("two\n")]);
  const garbage = new Uint8Array([...hostGzip("x"), ...new TextEncoder().encode("garbage\n")]);
  const corrupt = hostGzip(TEXT);
  corrupt[corrupt.length - 6] ^= 0xff;
  const truncated = hostGzip(TEXT).subarray(0, 20);
  const files = {
    "a.gz": gz,
    "n.gz": named,
    "two.gz": two,
    "g.gz": garbage,
    "c.gz": corrupt,
    "t.gz": truncated,
    "plain.txt": "not gzip\n",
    "plain.gz": "not gzip\n",
    "empty.gz": "",
  };
  const cases: string[][] = [
    ["gzip", "-dc", "a.gz"],
    ["zcat", "a.gz", "two.gz"],
    ["gunzip", "-c", "two.gz"],
    ["gzip", "-dc", "g.gz"],
    ["gzip", "-dc", "c.gz"],
    ["gzip", "-dc", "t.gz"],
    ["gzip", "-dc", "plain.gz"],
    ["gzip", "-dc", "empty.gz"],
    ["gzip", "-dc", "missing.gz"],
    ["gzip", "-d", "plain.txt"],
    ["gzip", "-dfc", "plain.txt"],
    ["gzip", "-t", "a.gz"],
    ["gzip", "-tv", "a.gz", "two.gz"],
    ["gzip", "-t", "c.gz"],
    ["gzip", "-l", "a.gz"],
    ["gzip", "-l", "a.gz", "n.gz"],
    ["gzip", "-lN", "n.gz"],
    ["gzip", "-lq", "a.gz"],
    ["gunzip", "missing"],
    ["gzip", "-dq", "plain.txt"],
    ["zcat", "-f", "plain.txt"],
  ];
  for (const argv of cases) {
    const { vm, host } = await runBoth(argv, { files });
    assert.deepEqual(vm, host, argv.join(" "));
  }
});

test("gzip stdin to stdout and back", { skip: noGzip }, async () => {
  const { vm, host } = await runBoth(["gzip", "-dc"], { stdin: hostGzip(TEXT) });
  assert.deepEqual(vm, host);
  const empty = await runBoth(["gzip", "-d"], { stdin: "" });
  assert.deepEqual(empty.vm, empty.host);
  const vmOut = await vmBytes(["gzip"], TEXT);
  assert.deepEqual(hostGunzip(vmOut), { stdout: TEXT, status: 0 });
  assert.deepEqual([...vmOut.subarray(3, 8)], [0, 0, 0, 0, 0]);
});

/** Bytes a VM command writes to stdout (captured through a file by -c's twin: stdout). */
async function vmBytes(argv: string[], stdin: string): Promise<Uint8Array> {
  const vm = await AgentOs.create();
  try {
    const chunks: Uint8Array[] = [];
    const { pid } = vm.spawn(argv[0], argv.slice(1), { onStdout: (d) => chunks.push(d) });
    await vm.writeProcessStdin(pid, stdin);
    vm.closeProcessStdin(pid);
    await vm.waitProcess(pid);
    return new Uint8Array(Buffer.concat(chunks));
  } finally {
    await vm.dispose();
  }
}

test("gzip messages (differential)", { skip: noGzip }, async () => {
  const files = { "a.txt": "abc", "a.txt.gz": hostGzip("old"), "b.gz": hostGzip("b"), "d/x": "x" };
  const cases: string[][] = [
    ["gzip", "a.txt"],
    ["gzip", "b.gz"],
    ["gzip", "missing"],
    ["gzip", "d"],
    ["gzip", "-q", "d"],
    ["gzip", "-x"],
    ["gzip", "--bogus"],
    ["gzip", "-d", "a.txt"],
    ["gunzip", "-q", "a.txt"],
  ];
  for (const argv of cases) {
    const { vm, host } = await runBoth(argv, { files });
    assert.deepEqual(vm, host, argv.join(" "));
  }
});

test("gzip -f overwrites, -r recurses, -d restores", { skip: noGzip }, async () => {
  const { result, out } = await runAndRead(
    ["gzip", "-f", "a.txt"],
    { "a.txt": TEXT, "a.txt.gz": "old" },
    ["a.txt.gz"],
  );
  assert.equal(result.exitCode, 0);
  assert.equal(hostGunzip(out["a.txt.gz"] as Uint8Array).stdout, TEXT);
  const rec = await runAndRead(["gzip", "-r", "d"], { "d/x": "x", "d/e/y": "y" }, [
    "d/x.gz",
    "d/e/y.gz",
  ]);
  assert.equal(rec.result.exitCode, 0);
  assert.equal(hostGunzip(rec.out["d/x.gz"] as Uint8Array).stdout, "x");
  assert.equal(hostGunzip(rec.out["d/e/y.gz"] as Uint8Array).stdout, "y");
  const dn = await runAndRead(["gunzip", "-N", "renamed.gz"], { "renamed.gz": hostGzip("n", []) }, [
    "renamed",
    "stdin",
  ]);
  assert.equal(dn.result.exitCode, 0);
  const tgz = await runAndRead(["gunzip", "x.tgz"], { "x.tgz": hostGzip("tar") }, ["x.tar"]);
  assert.equal(new TextDecoder().decode(tgz.out["x.tar"] as Uint8Array), "tar");
});

test("gzip -v reports (VM only: deflate sizes differ from GNU's)", async () => {
  const r = await runInVm(["gzip", "-v", "a"], { files: { a: "hello" } });
  assert.match(r.stderr, /^a:\t *-?[0-9.]+% -- replaced with a\.gz\n$/);
  const k = await runInVm(["gzip", "-kv", "a"], { files: { a: "hello" } });
  assert.match(k.stderr, /-- created a\.gz\n$/);
});
