import assert from "node:assert/strict";
import { test } from "node:test";
import { type RunOptions, runBoth } from "./testing.ts";

const files = { a: "1\n2\n3\n", b: "x\ny\n", c: "p\nq\nr\ns\n", e: "", n: "a\nb" };
const cases: [string, string[], RunOptions][] = [
  ["two files", ["paste", "a", "b"], { files }],
  ["three files", ["paste", "a", "b", "c"], { files }],
  ["delimiter", ["paste", "-d", ",", "a", "b"], { files }],
  ["delimiter cycle", ["paste", "-d", ",;", "a", "b", "c"], { files }],
  ["delimiter escapes", ["paste", "-d", "\\t\\n", "a", "b", "c"], { files }],
  ["delimiter \\0", ["paste", "-d", "\\0", "a", "b"], { files }],
  ["empty delimiter", ["paste", "-d", "", "a", "b"], { files }],
  ["unknown escape", ["paste", "-d", "\\q", "a", "b"], { files }],
  ["trailing backslash", ["paste", "-d", "x\\", "a", "b"], { files }],
  ["serial", ["paste", "-s", "a", "b"], { files }],
  ["serial delimiters", ["paste", "-s", "-d", ",\\n", "c"], { files }],
  ["serial empty", ["paste", "-s", "e", "n"], { files }],
  ["stdin twice", ["paste", "-", "-"], { stdin: "1\n2\n3\n" }],
  ["stdin and file", ["paste", "a", "-"], { files, stdin: "s1\ns2\n" }],
  ["no newline at end", ["paste", "n", "n"], { files }],
  ["empty file", ["paste", "e", "a"], { files }],
  ["zero terminated", ["paste", "-z", "-"], { stdin: "a\0b\0" }],
  ["missing file", ["paste", "a", "nope"], { files }],
  ["serial missing", ["paste", "-s", "nope", "a"], { files }],
  ["bad option", ["paste", "-x"], {}],
  ["long options", ["paste", "--serial", "--delimiters=:", "a"], { files }],
];

for (const [name, argv, options] of cases) {
  test(`paste: ${name}`, async () => {
    const { vm, host } = await runBoth(argv, options);
    assert.deepEqual(vm, host);
  });
}
