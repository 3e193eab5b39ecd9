import assert from "node:assert/strict";
import { test } from "node:test";
import { runStepsBoth } from "./lib/file-testing.ts";
import type { Fixture } from "./testing.ts";

const FILES: Fixture = {
  a: "alpha\n",
  e: "",
  "d/x": "x\n",
  "d/sub/y": "y\n",
  empty: { dir: true },
  la: { symlink: "a" },
  ld: { symlink: "d" },
  "it's": "",
};

const LIST = ["ls", "-RAF"];

const cases: [string, string[]][] = [
  ["file", ["rm", "a"]],
  ["-v file", ["rm", "-v", "a"]],
  ["several", ["rm", "a", "e", "la"]],
  ["dir without -r", ["rm", "d"]],
  ["-r dir", ["rm", "-r", "d"]],
  ["-R dir", ["rm", "-R", "d"]],
  ["-rv empty", ["rm", "-rv", "empty"]],
  ["-d empty", ["rm", "-d", "empty"]],
  ["-dv empty", ["rm", "-dv", "empty"]],
  ["-d non-empty", ["rm", "-d", "d"]],
  ["missing", ["rm", "nope"]],
  ["-f missing", ["rm", "-f", "nope"]],
  ["-f nothing", ["rm", "-f"]],
  ["no operand", ["rm"]],
  ["symlink to dir", ["rm", "ld"]],
  ["symlink to dir trailing slash -r", ["rm", "-r", "la"]],
  ["dot", ["rm", "-r", "."]],
  ["dotdot", ["rm", "-rf", "d/.."]],
  ["dot slash", ["rm", "-r", "./"]],
  ["root", ["rm", "-r", "/"]],
  ["-i at EOF", ["rm", "-i", "a", "e", "la"]],
  ["-ri at EOF", ["rm", "-ri", "d"]],
  ["-I few", ["rm", "-I", "a", "e"]],
  ["-I recursive at EOF", ["rm", "-rI", "d"]],
  ["quoted name", ["rm", "-v", "it's"]],
  ["bad option", ["rm", "-q", "a"]],
  ["--interactive=never", ["rm", "--interactive=never", "a"]],
  ["dashdash", ["rm", "--", "a"]],
];

for (const [name, argv] of cases) {
  test(`rm ${name}`, async () => {
    const { vm, host } = await runStepsBoth([argv, LIST], { files: FILES });
    assert.deepEqual(vm, host);
  });
}

test("rm -i answered yes", async () => {
  const { vm, host } = await runStepsBoth([["rm", "-i", "a"], LIST], {
    files: FILES,
    stdin: "y\n",
  });
  assert.deepEqual(vm, host);
});
