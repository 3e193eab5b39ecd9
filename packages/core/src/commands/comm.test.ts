import assert from "node:assert/strict";
import { test } from "node:test";
import { type RunOptions, runBoth } from "./testing.ts";

const files = {
  a: "apple\nbanana\ncherry\ndate\n",
  b: "banana\ncherry\negg\n",
  u: "b\na\nc\n",
  n: "x\ny",
};
const cases: [string, string[], RunOptions][] = [
  ["all columns", ["comm", "a", "b"], { files }],
  ["-1", ["comm", "-1", "a", "b"], { files }],
  ["-2", ["comm", "-2", "a", "b"], { files }],
  ["-3", ["comm", "-3", "a", "b"], { files }],
  ["-12", ["comm", "-12", "a", "b"], { files }],
  ["-13", ["comm", "-13", "a", "b"], { files }],
  ["-23", ["comm", "-23", "a", "b"], { files }],
  ["-123", ["comm", "-123", "a", "b"], { files }],
  ["output delimiter", ["comm", "--output-delimiter=|", "a", "b"], { files }],
  ["empty output delimiter", ["comm", "--output-delimiter=", "a", "b"], { files }],
  ["total", ["comm", "--total", "a", "b"], { files }],
  ["total -12", ["comm", "--total", "-12", "a", "b"], { files }],
  ["unsorted default", ["comm", "u", "a"], { files }],
  ["unsorted check-order", ["comm", "--check-order", "u", "a"], { files }],
  ["unsorted nocheck-order", ["comm", "--nocheck-order", "u", "a"], { files }],
  ["unsorted but all paired", ["comm", "u", "u"], { files }],
  ["stdin", ["comm", "-", "b"], { files, stdin: "apple\nbanana\n" }],
  ["no newline", ["comm", "n", "a"], { files }],
  ["zero", ["comm", "-z", "-", "b"], { files, stdin: "banana\0zz\0" }],
  ["missing operand", ["comm"], {}],
  ["missing second", ["comm", "a"], { files }],
  ["extra operand", ["comm", "a", "b", "c"], { files }],
  ["missing file", ["comm", "a", "nope"], { files }],
  ["bad option", ["comm", "-4", "a", "b"], { files }],
];

for (const [name, argv, options] of cases) {
  test(`comm: ${name}`, async () => {
    const { vm, host } = await runBoth(argv, options);
    assert.deepEqual(vm, host);
  });
}
