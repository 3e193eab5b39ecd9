import assert from "node:assert/strict";
import { test } from "node:test";
import { type Fixture, hostHas, runBoth } from "./testing.ts";

const skip = hostHas("cmp") ? false : "host cmp missing";

const F: Fixture = {
  f1: "a\nb\nc\n",
  f2: "a\nB\nc\nd",
  p: "a\nb\n",
  e: "",
  c1: new Uint8Array([1, 0xff, 0x7f, 0x41, 0, 10, 9]),
  c2: new Uint8Array([2, 0xfe, 0x7f, 0x42, 0x80, 10, 9]),
  big1: "x".repeat(100000) + "y",
  big2: "x".repeat(100000) + "z",
  "d/x": "",
};

const CASES: string[][] = [
  ["f1", "f2"],
  ["f1", "f1"],
  ["f1", "p"],
  ["p", "f1"],
  ["e", "f1"],
  ["f1", "e"],
  ["e", "e"],
  ["-s", "f1", "f2"],
  ["-s", "f1", "p"],
  ["--quiet", "f1", "f1"],
  ["--silent", "f1", "f2"],
  ["-l", "f1", "f2"],
  ["-l", "p", "f1"],
  ["-b", "f1", "f2"],
  ["-lb", "f1", "f2"],
  ["--print-bytes", "--verbose", "f1", "f2"],
  ["-l", "c1", "c2"],
  ["-lb", "c1", "c2"],
  ["-b", "c1", "c2"],
  ["-n", "1", "f1", "f2"],
  ["-n", "3", "f1", "f2"],
  ["--bytes=2", "f1", "f2"],
  ["-i", "2", "f1", "f2"],
  ["-i", "2:3", "f1", "f2"],
  ["--ignore-initial=1K", "f1", "f2"],
  ["f1", "f2", "2", "2"],
  ["f1", "f2", "1"],
  ["big1", "big2"],
  ["-l", "big1", "big2"],
  // errors
  [],
  ["f1", "nope"],
  ["nope", "f1"],
  ["d", "f1"],
  ["-k", "f1", "f2"],
  ["--foo", "f1", "f2"],
  ["-n", "x", "f1", "f2"],
  ["-i", "x", "f1", "f2"],
  ["f1", "f2", "x"],
  ["f1", "f2", "1", "2", "3"],
  ["-l", "-s", "f1", "f2"],
];

for (const argv of CASES) {
  test(`cmp ${argv.join(" ")}`, { skip }, async () => {
    const { vm, host } = await runBoth(["cmp", ...argv], { files: F });
    assert.deepEqual(vm, host);
  });
}

test("cmp FILE compares with stdin", { skip }, async () => {
  const { vm, host } = await runBoth(["cmp", "f1"], { files: F, stdin: "a\nx\n" });
  assert.deepEqual(vm, host);
  const r2 = await runBoth(["cmp", "-", "f1"], { files: F, stdin: "a\nb\nc\n" });
  assert.deepEqual(r2.vm, r2.host);
});
