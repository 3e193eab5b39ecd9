import assert from "node:assert/strict";
import { test } from "node:test";
import { runStepsBoth } from "./lib/file-testing.ts";
import type { Fixture } from "./testing.ts";

const FILES: Fixture = {
  a: "alpha\n",
  b: "beta\n",
  "d/x": "x\n",
  "d/sub/y": "y\n",
  "e/d": "file named d\n",
  "f/d/z": "z\n",
  empty: { dir: true },
  la: { symlink: "a" },
};

const LIST = ["ls", "-RAF"];

const cases: [string, string[]][] = [
  ["rename file", ["mv", "a", "c"]],
  ["-v rename", ["mv", "-v", "a", "c"]],
  ["into dir", ["mv", "a", "b", "d"]],
  ["into dir -v", ["mv", "-v", "a", "d/"]],
  ["overwrite", ["mv", "a", "b"]],
  ["-n keeps dest", ["mv", "-n", "a", "b"]],
  ["-f", ["mv", "-f", "a", "b"]],
  ["-i at EOF keeps dest", ["mv", "-i", "a", "b"]],
  ["-u older source skipped", ["mv", "-u", "a", "b"]],
  ["same file", ["mv", "a", "a"]],
  ["same file via dir", ["mv", "a", "./"]],
  ["dir into itself", ["mv", "d", "d/sub"]],
  ["dir over file", ["mv", "d", "e"]],
  ["file over dir -T", ["mv", "-T", "a", "d"]],
  ["dir over nonempty dir", ["mv", "d", "f"]],
  ["dir over empty dir -T", ["mv", "-T", "d", "empty"]],
  ["missing", ["mv", "nope", "x"]],
  ["missing operand", ["mv"]],
  ["missing dest", ["mv", "a"]],
  ["multiple to non-dir", ["mv", "a", "b", "c"]],
  ["-t", ["mv", "-t", "d", "a", "b"]],
  ["-t missing dir", ["mv", "-t", "nope", "a"]],
  ["-T extra", ["mv", "-T", "a", "b", "c"]],
  ["symlink moves as link", ["mv", "la", "d"]],
  ["bad option", ["mv", "-q", "a", "b"]],
  ["dir rename", ["mv", "d", "newd"]],
  ["trailing slash dest", ["mv", "a", "nope/"]],
];

for (const [name, argv] of cases) {
  test(`mv ${name}`, async () => {
    const { vm, host } = await runStepsBoth([argv, LIST, ["cat", "b"]], { files: FILES });
    assert.deepEqual(vm, host);
  });
}
