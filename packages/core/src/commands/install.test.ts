import assert from "node:assert/strict";
import { test } from "node:test";
import { runStepsBoth, runStepsInVm } from "./lib/file-testing.ts";
import type { Fixture } from "./testing.ts";

const FILES: Fixture = { a: "alpha\n", b: "beta\n", x: { dir: true }, dd: { dir: true } };
const LIST = ["ls", "-RAF"];
const MODES = ["stat", "-c", "%a %n", "b", "c", "x", "x/a", "p/q/r", "m1", "t1/t2/a"];

const cases: string[][] = [
  ["install", "a", "c"],
  ["install", "a", "b"],
  ["install", "-m", "644", "-v", "a", "c"],
  ["install", "-m", "u=rw,go=r", "a", "c"],
  ["install", "-d", "-v", "x/y/z"],
  ["install", "-d", "m1"],
  ["install", "-dm", "700", "m1"],
  ["install", "-D", "-v", "a", "p/q/r"],
  ["install", "-t", "x", "a", "b", "-v"],
  ["install", "a", "x"],
  ["install", "-v", "-D", "-t", "t1/t2", "a"],
  ["install", "-T", "a", "x"],
  ["install", "a"],
  ["install"],
  ["install", "nope", "z"],
  ["install", "-d"],
  ["install", "-m", "bad", "a", "e"],
  ["install", "dd", "ee"],
  ["install", "a", "b", "c"],
  ["install", "-o", "bogus", "a", "c"],
  ["install", "-q", "a", "c"],
];

for (const argv of cases) {
  test(argv.join(" "), async () => {
    const { vm, host } = await runStepsBoth([argv, LIST, MODES, ["cat", "c"]], { files: FILES });
    assert.deepEqual(vm, host);
  });
}

test("install -o root fails for the VM user (GNU as non-root)", async () => {
  const r = await runStepsInVm([["install", "-o", "root", "a", "c"]], { files: FILES });
  assert.deepEqual(r[0], {
    stdout: "",
    stderr: "install: cannot change ownership of 'c': Operation not permitted\n",
    exitCode: 1,
  });
});

test("install -g user succeeds for the VM user", async () => {
  const r = await runStepsInVm(
    [
      ["install", "-g", "user", "-m", "640", "a", "c"],
      ["stat", "-c", "%a %G", "c"],
    ],
    {
      files: FILES,
    },
  );
  assert.equal(r[0].exitCode, 0);
  assert.equal(r[1].stdout, "640 user\n");
});
