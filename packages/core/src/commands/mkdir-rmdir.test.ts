import assert from "node:assert/strict";
import { test } from "node:test";
import { runStepsBoth } from "./lib/file-testing.ts";
import type { Fixture } from "./testing.ts";

const FILES: Fixture = {
  f: "file\n",
  "d/x": "x\n",
  empty: { dir: true },
  "p1/p2/p3": { dir: true },
  "q1/q2/q3": { dir: true },
  "q1/keep": "",
};

const LIST = ["ls", "-RAF"];

const cases: [string, string[]][] = [
  ["mkdir", ["mkdir", "n"]],
  ["mkdir -v", ["mkdir", "-v", "n", "m"]],
  ["mkdir exists", ["mkdir", "d"]],
  ["mkdir file exists", ["mkdir", "f"]],
  ["mkdir missing parent", ["mkdir", "a/b"]],
  ["mkdir -p", ["mkdir", "-p", "a/b/c"]],
  ["mkdir -pv", ["mkdir", "-pv", "a/b/c"]],
  ["mkdir -p existing", ["mkdir", "-p", "d"]],
  ["mkdir -p through file", ["mkdir", "-p", "f/x/y"]],
  ["mkdir -p over file", ["mkdir", "-p", "f"]],
  ["mkdir -p dot path", ["mkdir", "-pv", "./a/../b/c"]],
  ["mkdir -m 700", ["mkdir", "-m", "700", "n"]],
  ["mkdir -m symbolic", ["mkdir", "-m", "u+x,g-r", "n"]],
  ["mkdir -m bad", ["mkdir", "-m", "bad", "n"]],
  ["mkdir empty name", ["mkdir", ""]],
  ["mkdir no operand", ["mkdir"]],
  ["mkdir bad option", ["mkdir", "-q", "n"]],
  ["rmdir", ["rmdir", "empty"]],
  ["rmdir -v", ["rmdir", "-v", "empty"]],
  ["rmdir non-empty", ["rmdir", "d"]],
  ["rmdir file", ["rmdir", "f"]],
  ["rmdir missing", ["rmdir", "nope"]],
  ["rmdir -p", ["rmdir", "-p", "p1/p2/p3"]],
  ["rmdir -pv", ["rmdir", "-pv", "p1/p2/p3/"]],
  ["rmdir -p stops at non-empty", ["rmdir", "-p", "q1/q2/q3"]],
  ["rmdir --ignore-fail-on-non-empty", ["rmdir", "--ignore-fail-on-non-empty", "d", "empty"]],
  ["rmdir -p --ignore", ["rmdir", "-p", "--ignore-fail-on-non-empty", "q1/q2/q3"]],
  ["rmdir no operand", ["rmdir"]],
];

for (const [name, argv] of cases) {
  test(name, async () => {
    const { vm, host } = await runStepsBoth([argv, LIST, ["stat", "-c", "%A %n", "n"]], {
      files: FILES,
    });
    assert.deepEqual(vm, host);
  });
}
