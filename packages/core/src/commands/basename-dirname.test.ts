import assert from "node:assert/strict";
import { test } from "node:test";
import { runBoth } from "./testing.ts";

const cases: string[][] = [
  ["basename", "a/b/c"],
  ["basename", "a/b/"],
  ["basename", "/"],
  ["basename", "//"],
  ["basename", ""],
  ["basename", "x.c", ".c"],
  ["basename", ".c", ".c"],
  ["basename", "dir/x.c", "x.c"],
  ["basename", "-s", ".c", "a.c", "b/d.c", "e.h"],
  ["basename", "-a", "a/b", "c/d/"],
  ["basename", "-z", "a/b"],
  ["basename", "--suffix=.txt", "f.txt"],
  ["basename"],
  ["basename", "a", "b", "c"],
  ["basename", "-q"],
  ["dirname", "a/b/c"],
  ["dirname", "a"],
  ["dirname", "/a"],
  ["dirname", "/"],
  ["dirname", "//"],
  ["dirname", "//a"],
  ["dirname", "a/b/"],
  ["dirname", "a//b//"],
  ["dirname", ""],
  ["dirname", "a/b", "c/d", "e"],
  ["dirname", "-z", "a/b"],
  ["dirname"],
  ["dirname", "-q"],
];

for (const argv of cases) {
  test(argv.map((a) => JSON.stringify(a)).join(" "), async () => {
    const { vm, host } = await runBoth(argv);
    assert.deepEqual(vm, host);
  });
}
