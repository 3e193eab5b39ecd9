import assert from "node:assert/strict";
import { test } from "node:test";
import { runStepsBoth } from "./lib/file-testing.ts";
import type { Fixture } from "./testing.ts";

const FILES: Fixture = {
  a: "alpha\n",
  b: "beta\n",
  "d/x": "x\n",
  "d/sub/y": "y\n",
  "d/lx": { symlink: "x" },
  "e/d": "file named d\n",
  empty: { dir: true },
  la: { symlink: "a" },
  ld: { symlink: "d" },
  broken: { symlink: "nope" },
};

const LIST = ["ls", "-RAF"];

const cases: [string, string[]][] = [
  ["file to new", ["cp", "a", "c"]],
  ["-v", ["cp", "-v", "a", "c"]],
  ["overwrite", ["cp", "a", "b"]],
  ["into dir", ["cp", "a", "b", "d"]],
  ["into dir trailing slash", ["cp", "a", "d/"]],
  ["dir without -r", ["cp", "d", "n"]],
  ["dir without -r among files", ["cp", "a", "d", "empty"]],
  ["-r new", ["cp", "-r", "d", "n"]],
  ["-R into existing", ["cp", "-R", "d", "empty"]],
  ["-rv", ["cp", "-rv", "d", "n"]],
  ["-rT onto existing", ["cp", "-rT", "d", "empty"]],
  ["-r symlinks kept", ["cp", "-r", "d", "n"]],
  ["-a", ["cp", "-a", "d", "n"]],
  ["-n", ["cp", "-n", "a", "b"]],
  ["-i at EOF", ["cp", "-i", "a", "b"]],
  ["-f", ["cp", "-f", "a", "b"]],
  ["-u older", ["cp", "-u", "a", "b"]],
  ["same file", ["cp", "a", "a"]],
  ["same file via dir", ["cp", "a", "."]],
  ["dir over file", ["cp", "-r", "d", "e"]],
  ["file over dir -T", ["cp", "-T", "a", "d"]],
  ["missing", ["cp", "nope", "x"]],
  ["missing operand", ["cp"]],
  ["missing dest", ["cp", "a"]],
  ["multiple to non-dir", ["cp", "a", "b", "c"]],
  ["multiple to missing", ["cp", "a", "b", "nod"]],
  ["-t", ["cp", "-t", "d", "a", "b"]],
  ["-t not a dir", ["cp", "-t", "a", "b"]],
  ["symlink followed", ["cp", "la", "c"]],
  ["-P symlink", ["cp", "-P", "la", "c"]],
  ["-d symlink", ["cp", "-d", "la", "c"]],
  ["-L -r", ["cp", "-rL", "d", "n"]],
  ["-H -r", ["cp", "-rH", "ld", "n"]],
  ["-r symlink operand", ["cp", "-r", "ld", "n"]],
  ["broken symlink", ["cp", "broken", "c"]],
  ["-s", ["cp", "-s", "a", "c"]],
  ["-l", ["cp", "-l", "a", "c"]],
  ["missing dir in dest", ["cp", "a", "nod/c"]],
  ["dest with trailing slash", ["cp", "a", "nod/"]],
  ["through file", ["cp", "a", "b/c"]],
  ["bad option", ["cp", "-q", "a", "b"]],
  ["--parents", ["cp", "--parents", "d/sub/y", "empty"]],
  ["--no-target-directory extra", ["cp", "-T", "a", "b", "c"]],
];

/**
 * A recursive copy visits entries in readdir order, which on the host depends on its
 * filesystem (ext4 hashes names): compare the verbose lines of a recursive copy as a set.
 */
function sortVerboseLines(results: Array<{ stdout: string }>, argv: string[]): void {
  if (!argv.some((a) => /^-[a-zA-Z]*[rRa][a-zA-Z]*v|^-[a-zA-Z]*v[a-zA-Z]*[rRa]/.test(a))) return;
  const first = results[0];
  first.stdout = first.stdout.split("\n").filter(Boolean).sort().join("\n");
}

for (const [name, argv] of cases) {
  test(`cp ${name}`, async () => {
    const { vm, host } = await runStepsBoth([argv, LIST, ["cat", "b"]], { files: FILES });
    sortVerboseLines(vm, argv);
    sortVerboseLines(host, argv);
    assert.deepEqual(vm, host);
  });
}

test("cp dir into itself (GNU copies part of the tree first; compare the message)", async () => {
  const { vm, host } = await runStepsBoth([["cp", "-r", "d", "d/sub"]], { files: FILES });
  assert.deepEqual(vm, host);
});

test("cp keeps content of a binary file", async () => {
  const bytes = new Uint8Array(200000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
  const { vm, host } = await runStepsBoth(
    [
      ["cp", "bin", "copy"],
      ["cmp", "bin", "copy"],
    ],
    {
      files: { bin: bytes },
    },
  );
  assert.deepEqual(vm[0], host[0]);
  assert.equal(vm[1].exitCode === 0 || vm[1].stderr.includes("cmp"), true);
});

test("cp -p preserves times and mode; plain cp does not", async () => {
  const { runStepsInVm } = await import("./lib/file-testing.ts");
  const r = await runStepsInVm(
    [
      ["touch", "-d", "2001-02-03 04:05:06", "a"],
      ["cp", "-p", "a", "p"],
      ["cp", "a", "q"],
      ["ls", "-l", "--time-style=long-iso", "p"],
    ],
    { files: { a: "x" } },
  );
  assert.equal(r[3].stdout, "-rw-r--r-- 1 user user 1 2001-02-03 04:05 p\n");
});
