/**
 * test / [: the coreutils dialect in the VM against /usr/bin/test and /usr/bin/[, and the
 * bash dialect of lib/test-expression.ts against bash's builtin on the host (same fixture).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { access, lstat, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { Stat } from "../fs/types.ts";
import { evaluateTest, type TestFileSystem } from "./lib/test-expression.ts";
import { type Fixture, hostHas, runBoth } from "./testing.ts";

const FILES: Fixture = {
  "file.txt": "hello\n",
  "empty.txt": "",
  dir: { dir: true },
  link: { symlink: "file.txt" },
  dangling: { symlink: "nowhere" },
  "script.sh": "#!/bin/sh\n",
};

/** Operand lists: each runs as `test ARGS` and `[ ARGS ]` in both dialects. */
const CASES: string[][] = [
  [],
  [""],
  ["a"],
  ["-n"],
  ["-z"],
  ["!"],
  ["-n", ""],
  ["-n", "x"],
  ["-z", ""],
  ["-z", "x"],
  ["!", ""],
  ["!", "x"],
  ["x", "y"],
  ["-x"],
  ["-q", "x"],
  ["a", "=", "a"],
  ["a", "=", "b"],
  ["a", "==", "a"],
  ["a", "!=", "b"],
  ["a", "!=", "a"],
  ["1", "-eq", "1"],
  ["1", "-eq", "2"],
  ["1", "-ne", "2"],
  ["1", "-lt", "2"],
  ["2", "-le", "2"],
  ["3", "-gt", "2"],
  ["2", "-ge", "3"],
  ["-5", "-lt", "3"],
  [" 5 ", "-eq", "5"],
  ["+5", "-eq", "5"],
  ["5", "-eq", "5x"],
  ["a", "-eq", "1"],
  ["1", "-eq", ""],
  ["99999999999999999999", "-eq", "99999999999999999999"],
  ["007", "-eq", "7"],
  ["a", "b", "c"],
  ["a", "-a", "b"],
  ["a", "-a", ""],
  ["", "-o", "b"],
  ["", "-o", ""],
  ["!", "a", "=", "b"],
  ["!", "-n", "x"],
  ["(", "a", ")"],
  ["(", "", ")"],
  ["(", "a"],
  ["(", "a", "b"],
  ["(", "a", "=", "a", ")"],
  ["(", "x", ")", "y"],
  ["a", "=", "a", "-a", "b", "=", "b"],
  ["a", "=", "a", "-o", "b", "=", "c"],
  ["a", "=", "b", "-o", "b", "=", "c"],
  ["!", "a", "=", "a", "-o", "x"],
  ["1", "=", "1", "-a"],
  ["a", "=", "a", "b"],
  ["a", "=", "a", "-x"],
  ["!", "!", ""],
  ["!", "!", "x"],
  ["x", "-a", "!"],
  ["-e", "file.txt"],
  ["-e", "missing"],
  ["-e", ""],
  ["-f", "file.txt"],
  ["-f", "dir"],
  ["-d", "dir"],
  ["-d", "file.txt"],
  ["-s", "file.txt"],
  ["-s", "empty.txt"],
  ["-L", "link"],
  ["-h", "link"],
  ["-L", "file.txt"],
  ["-h", "dangling"],
  ["-e", "dangling"],
  ["-f", "link"],
  ["-r", "file.txt"],
  ["-w", "file.txt"],
  ["-x", "script.sh"],
  ["-x", "file.txt"],
  ["-x", "dir"],
  ["-p", "file.txt"],
  ["-b", "file.txt"],
  ["-c", "file.txt"],
  ["-S", "file.txt"],
  ["-u", "file.txt"],
  ["-g", "file.txt"],
  ["-k", "file.txt"],
  ["-t", "7"],
  ["-O", "missing"],
  ["-G", "missing"],
  ["file.txt", "-ef", "link"],
  ["file.txt", "-ef", "empty.txt"],
  ["file.txt", "-nt", "missing"],
  ["missing", "-nt", "file.txt"],
  ["missing", "-ot", "file.txt"],
  ["file.txt", "-ot", "missing"],
  ["old.txt", "-ot", "file.txt"],
  ["file.txt", "-nt", "old.txt"],
  ["-f", "file.txt", "-a", "-d", "dir"],
  ["-f", "dir", "-o", "-d", "dir"],
  ["!", "-e", "missing"],
  ["(", "-f", "file.txt", ")"],
  ["(", "-f", "file.txt", "-a", "-d", "dir", ")", "-o", "x"],
  ["-f"],
  ["-d", "file.txt", "extra"],
  ["=", "="],
  ["=", "=", "="],
  ["-a"],
  ["-o"],
  ["(", ")"],
  [")"],
];

const FILES_WITH_OLD: Fixture = { ...FILES, "old.txt": "old\n" };

for (const args of CASES) {
  const hasOld = args.includes("old.txt");
  test(`test ${JSON.stringify(args)} matches coreutils`, {
    skip: hasOld ? "old.txt is not older in fixtures (the harness sets no mtimes)" : false,
  }, async () => {
    const { vm, host } = await runBoth(["test", ...args], { files: FILES_WITH_OLD });
    assert.deepEqual(vm, host);
  });
  test(`[ ${JSON.stringify(args)} ] matches coreutils`, {
    skip: hasOld ? "old.txt is not older in fixtures (the harness sets no mtimes)" : false,
  }, async () => {
    const { vm, host } = await runBoth(["[", ...args, "]"], { files: FILES_WITH_OLD });
    assert.deepEqual(vm, host);
  });
}

for (const argv of [["["], ["[", "a"], ["[", "a", "b"], ["[", "]", "]"], ["[", "-n", "]"]]) {
  test(`${JSON.stringify(argv)} matches coreutils`, async () => {
    const { vm, host } = await runBoth(argv);
    assert.deepEqual(vm, host);
  });
}

// ---- the bash dialect against bash's builtin ---------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), "agentos-test-expr-"));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, "file.txt"), "hello\n");
writeFileSync(join(dir, "empty.txt"), "");
writeFileSync(join(dir, "old.txt"), "old\n");
utimesSync(join(dir, "old.txt"), 1000, 1000);
mkdirSync(join(dir, "dir"));
symlinkSync("file.txt", join(dir, "link"));
symlinkSync("nowhere", join(dir, "dangling"));
writeFileSync(join(dir, "script.sh"), "#!/bin/sh\n");
chmodSync(join(dir, "script.sh"), 0o755);

const toStat = (s: Awaited<ReturnType<typeof stat>>): Stat => ({
  dev: Number(s.dev),
  ino: Number(s.ino),
  mode: Number(s.mode),
  nlink: Number(s.nlink),
  uid: Number(s.uid),
  gid: Number(s.gid),
  rdev: Number(s.rdev),
  size: Number(s.size),
  blksize: Number(s.blksize),
  blocks: Number(s.blocks),
  atimeMs: Number(s.atimeMs),
  mtimeMs: Number(s.mtimeMs),
  ctimeMs: Number(s.ctimeMs),
  birthtimeMs: Number(s.birthtimeMs),
});

const hostFs: TestFileSystem = {
  stat: async (p) => toStat(await stat(join(dir, p))),
  lstat: async (p) => toStat(await lstat(join(dir, p))),
  access: (p, mode) => access(join(dir, p), mode),
  isatty: () => false,
  uid: process.getuid?.() ?? 0,
  gid: process.getgid?.() ?? 0,
};

const bashSkip = hostHas("bash") ? false : "no bash on the host";
for (const [name, bracket] of [
  ["test", false],
  ["[", true],
] as const) {
  for (const args of CASES) {
    test(`bash ${name} ${JSON.stringify(args)}`, { skip: bashSkip }, async () => {
      const words = bracket ? [...args, "]"] : args;
      const host = spawnSync("bash", ["-c", `${name} "$@"`, "bash", ...words], {
        cwd: dir,
        env: { PATH: "/usr/bin:/bin", LC_ALL: "C", HOME: dir },
        encoding: "utf8",
      });
      const r = await evaluateTest(words, hostFs, "bash", bracket);
      const stderr = r.error === undefined ? "" : `bash: line 1: ${name}: ${r.error}\n`;
      assert.deepEqual({ status: r.status, stderr }, { status: host.status, stderr: host.stderr });
    });
  }
}

test("bash -v / -o use the shell's hooks", async () => {
  const fs: TestFileSystem = {
    ...hostFs,
    isVarSet: (n) => n === "HOME",
    isOptionSet: (n) => n === "errexit",
  };
  assert.equal((await evaluateTest(["-v", "HOME"], fs, "bash")).status, 0);
  assert.equal((await evaluateTest(["-v", "NOPE"], fs, "bash")).status, 1);
  assert.equal((await evaluateTest(["-o", "errexit"], fs, "bash")).status, 0);
  assert.equal((await evaluateTest(["-v", "HOME"], hostFs, "bash")).status, 1);
});

test("coreutils test: -l STRING counts bytes", async () => {
  const { vm, host } = await runBoth(["test", "-l", "abc", "-eq", "3"]);
  assert.deepEqual(vm, host);
});
