import assert from "node:assert/strict";
import { test } from "node:test";
import { type Fixture, runBoth, runInVm } from "./testing.ts";

const TREE: Fixture = {
  a: "hello\n",
  big: "x".repeat(5000),
  "d/e/f": "hi\n",
  "d/g.txt": "",
  "B.md": "b\n",
  "c~": "",
  ".hidden": "h",
  la: { symlink: "a" },
  ld: { symlink: "d" },
  broken: { symlink: "nope" },
};

/**
 * The VM runs as "user" and the host as "root" (both four letters, so columns line up); dates
 * differ by when each fixture was written: normalise both.
 */
function norm(text: string): string {
  return text
    .replace(/ user user /g, " root root ")
    .replace(/ user /g, " root ")
    .replace(/[A-Z][a-z]{2} [ \d]\d \d\d:\d\d/g, "DATE");
}

const cases: [string, string[], Fixture?][] = [
  ["plain", ["ls"]],
  ["-1", ["ls", "-1"]],
  ["-a names", ["ls", "-a", "d"]],
  ["-A", ["ls", "-A"]],
  ["-R", ["ls", "-R"]],
  ["-R dir", ["ls", "-R", "d"]],
  ["-r", ["ls", "-r"]],
  ["-S", ["ls", "-S"]],
  ["-Sr", ["ls", "-Sr"]],
  ["-X", ["ls", "-X"]],
  ["-B", ["ls", "-B"]],
  ["-I", ["ls", "-I", "*.md", "-I", "b*"]],
  ["--hide", ["ls", "--hide=*.md"]],
  ["--hide -A", ["ls", "-A", "--hide=*.md"]],
  ["-d", ["ls", "-d", "d", "a", "ld"]],
  ["-F", ["ls", "-F"]],
  ["-p", ["ls", "-p"]],
  ["--file-type", ["ls", "--file-type"]],
  ["-F operands", ["ls", "-F", "-d", "d", "ld", "la", "broken"]],
  ["symlink to dir operand", ["ls", "ld"]],
  ["-m", ["ls", "-m"]],
  ["-m narrow", ["ls", "-m", "-w", "12"]],
  ["-C width 20", ["ls", "-C", "-w", "20"]],
  ["-C width 80", ["ls", "-C"]],
  ["-x width 20", ["ls", "-x", "-w", "20"]],
  ["-C -w 0", ["ls", "-C", "-w", "0"]],
  ["-C -T 0", ["ls", "-C", "-w", "20", "-T", "0"]],
  ["files then dirs", ["ls", "d", "a", "la", "d/e"]],
  ["two dirs", ["ls", "d", "d/e"]],
  ["--group-directories-first", ["ls", "--group-directories-first"]],
  ["-s", ["ls", "-s"]],
  ["-sh", ["ls", "-sh"]],
  ["-s file", ["ls", "-s", "big"]],
  ["--color=always without TERM", ["ls", "--color=always"]],
  ["bad time style ignored without -l", ["ls", "--time-style=bogus", "a"]],
  ["--color=never", ["ls", "--color=never"]],
  ["--color=auto", ["ls", "--color=auto"]],
  ["missing", ["ls", "nope", "a"]],
  ["missing only", ["ls", "nope"]],
  ["broken operand", ["ls", "broken"]],
  ["bad option", ["ls", "-e"]],
  ["bad long option", ["ls", "--bogus"]],
  ["bad color", ["ls", "--color=bad"]],
  ["missing -w arg", ["ls", "-w"]],
  ["bad sort", ["ls", "--sort=foo"]],
  ["--sort=size", ["ls", "--sort=size"]],
  ["--sort=none single", ["ls", "--sort=none", "a"]],
  ["-Q", ["ls", "-Q"]],
  ["quoted names", ["ls"], { "a b": "", "it's": "", plain: "" }],
  ["dashdash", ["ls", "--", "a"]],
];

const colorCases: [string, string[]][] = [
  ["--color=always", ["ls", "--color=always"]],
  ["--color=always -F", ["ls", "--color=always", "-F"]],
  ["--color", ["ls", "--color", "d", "a"]],
  ["-l --color=always", ["ls", "-l", "--color=always"]],
];

for (const [name, argv] of colorCases) {
  test(`ls ${name} with TERM=xterm`, async () => {
    const { vm, host } = await runBoth(argv, { files: TREE, env: { TERM: "xterm" } });
    assert.deepEqual({ ...vm, stdout: norm(vm.stdout) }, { ...host, stdout: norm(host.stdout) });
  });
}

for (const [name, argv, files] of cases) {
  test(`ls ${name}`, async () => {
    const { vm, host } = await runBoth(argv, { files: files ?? TREE });
    assert.deepEqual(vm, host);
  });
}

const longCases: [string, string[]][] = [
  ["-l", ["ls", "-l"]],
  ["-l file operands", ["ls", "-l", "a", "big", "la", "broken"]],
  ["-lh", ["ls", "-lh"]],
  ["-ls", ["ls", "-ls"]],
  ["-lsh", ["ls", "-lsh"]],
  ["-lF", ["ls", "-lF"]],
  ["-lR", ["ls", "-lR", "d"]],
  ["-lr", ["ls", "-lr"]],
  ["-lS", ["ls", "-lS"]],
  ["-ld", ["ls", "-ld", "d", "ld"]],
  ["-lL", ["ls", "-lL", "la", "ld"]],
  ["-g", ["ls", "-g", "a"]],
  ["-o", ["ls", "-o", "a"]],
  ["-lG", ["ls", "-lG", "a"]],
  ["-l big sizes", ["ls", "-l", "big", "a"]],
  ["symlink to dir trailing slash", ["ls", "-l", "ld/"]],
  ["-l dirs and files widths", ["ls", "-lL", "la", "ld"]],
  ["-l bad time style", ["ls", "-l", "--time-style=bogus"]],
  ["-l time-style long-iso", ["ls", "-l", "--time-style=long-iso", "a"]],
];

for (const [name, argv] of longCases) {
  test(`ls ${name}`, async () => {
    const { vm, host } = await runBoth(argv, { files: TREE });
    assert.deepEqual({ ...vm, stdout: norm(vm.stdout) }, { ...host, stdout: norm(host.stdout) });
  });
}

test("ls -n shows numeric ids (VM user is 1000)", async () => {
  const r = await runInVm(["ls", "-n", "a"], { files: TREE });
  assert.match(r.stdout, /^-rw-r--r-- 1 1000 1000 6 [A-Z][a-z]{2} [ \d]\d \d\d:\d\d a\n$/);
});

test("ls -l shows user names from /etc/passwd", async () => {
  const r = await runInVm(["ls", "-l", "/etc/passwd"]);
  assert.match(r.stdout, /^-rw-r--r-- 1 root root \d+ .* \/etc\/passwd\n$/);
});

test("ls -i prints inode numbers aligned", async () => {
  const r = await runInVm(["ls", "-i", "a", "big"], { files: TREE });
  assert.match(r.stdout, /^ *\d+ a\n *\d+ big\n$/);
  const lines = r.stdout.split("\n");
  assert.equal(lines[0].indexOf("a"), lines[1].indexOf("big"));
});

test("ls -li", async () => {
  const r = await runInVm(["ls", "-li", "a"], { files: TREE });
  assert.match(r.stdout, /^\d+ -rw-r--r-- 1 user user 6 /);
});

test("ls -t and -tr order by modification time", async () => {
  const files: Fixture = { old: "", mid: "", new: "" };
  const { AgentOs } = await import("../vm/agent-os.ts");
  const { runArgv, VM_WORKDIR } = await import("./testing.ts");
  const vm = await AgentOs.create({ env: { LC_ALL: "C", TZ: "UTC" } });
  try {
    await vm.mkdir(VM_WORKDIR, { recursive: true });
    for (const name of Object.keys(files)) await vm.writeFile(`${VM_WORKDIR}/${name}`, "");
    await vm.kernel.fs.utimes({ uid: 0, gid: 0, pid: 1 }, `${VM_WORKDIR}/old`, 1e12, 1e12);
    await vm.kernel.fs.utimes({ uid: 0, gid: 0, pid: 1 }, `${VM_WORKDIR}/mid`, 1.5e12, 1.5e12);
    await vm.kernel.fs.utimes({ uid: 0, gid: 0, pid: 1 }, `${VM_WORKDIR}/new`, 1.7e12, 1.7e12);
    const t = await runArgv(vm, ["ls", "-t"], { cwd: VM_WORKDIR });
    assert.equal(t.stdout, "new\nmid\nold\n");
    const tr = await runArgv(vm, ["ls", "-tr"], { cwd: VM_WORKDIR });
    assert.equal(tr.stdout, "old\nmid\nnew\n");
    const l = await runArgv(vm, ["ls", "-lt", "--time-style=long-iso"], { cwd: VM_WORKDIR });
    assert.equal(
      l.stdout,
      "total 0\n" +
        "-rw-r--r-- 1 user user 0 2023-11-14 22:13 new\n" +
        "-rw-r--r-- 1 user user 0 2017-07-14 02:40 mid\n" +
        "-rw-r--r-- 1 user user 0 2001-09-09 01:46 old\n",
    );
    const old = await runArgv(vm, ["ls", "-l", "old"], { cwd: VM_WORKDIR });
    assert.equal(old.stdout, "-rw-r--r-- 1 user user 0 Sep  9  2001 old\n");
    const full = await runArgv(vm, ["ls", "--full-time", "old"], { cwd: VM_WORKDIR });
    assert.equal(full.stdout, "-rw-r--r-- 1 user user 0 2001-09-09 01:46:40.000000000 +0000 old\n");
  } finally {
    await vm.dispose();
  }
});

test("ls -l of a device shows major, minor", async () => {
  const r = await runInVm(["ls", "-l", "/dev/null"]);
  assert.match(r.stdout, /^crw-rw-rw- 1 root root \d+, \d+ .* \/dev\/null\n$/);
});
