import assert from "node:assert/strict";
import { test } from "node:test";
import { runStepsBoth } from "./lib/file-testing.ts";
import type { Fixture } from "./testing.ts";

const FILES: Fixture = {
  a: "alpha\n",
  b: "beta\n",
  "d/x": "x\n",
  sd: { symlink: "d" },
  "sub/inner/f": "f\n",
};

/** ls -l columns that match on both sides: links, size, name, target. */
const LIST = ["ls", "-RAF"];

const cases: [string, string[]][] = [
  ["hard", ["ln", "a", "c"]],
  ["hard -v", ["ln", "-v", "a", "c"]],
  ["symbolic", ["ln", "-s", "a", "c"]],
  ["symbolic -v", ["ln", "-sv", "a", "c"]],
  ["into dir", ["ln", "-s", "a", "d"]],
  ["one operand", ["ln", "-s", "d/x"]],
  ["exists", ["ln", "a", "b"]],
  ["exists symbolic", ["ln", "-s", "a", "b"]],
  ["-f", ["ln", "-f", "a", "b"]],
  ["-sf", ["ln", "-sf", "a", "b"]],
  ["-sfv", ["ln", "-sfv", "a", "b"]],
  ["same file", ["ln", "-f", "a", "a"]],
  ["dir hard link", ["ln", "d", "e"]],
  ["missing source", ["ln", "nope", "c"]],
  ["missing source symbolic", ["ln", "-s", "nope", "c"]],
  ["missing dir", ["ln", "-s", "a", "nod/c"]],
  ["-T onto dir", ["ln", "-T", "a", "d"]],
  ["-n onto symlink to dir", ["ln", "-sn", "a", "sd"]],
  ["-nf replaces symlink to dir", ["ln", "-snf", "a", "sd"]],
  ["without -n follows symlink to dir", ["ln", "-s", "a", "sd"]],
  ["-t", ["ln", "-s", "-t", "d", "a", "b"]],
  ["multiple to non-dir", ["ln", "a", "b", "c"]],
  ["no operand", ["ln"]],
  ["-r", ["ln", "-sr", "a", "sub/inner/ra"]],
  ["-r into dir", ["ln", "-srv", "sub/inner/f", "d"]],
  ["-r without -s", ["ln", "-r", "a", "c"]],
  ["bad option", ["ln", "-q", "a", "c"]],
];

for (const [name, argv] of cases) {
  test(`ln ${name}`, async () => {
    const { vm, host } = await runStepsBoth(
      [argv, LIST, ["readlink", "c"], ["readlink", "b"], ["readlink", "sub/inner/ra"]],
      { files: FILES },
    );
    assert.deepEqual(vm, host);
  });
}
