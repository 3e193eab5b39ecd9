import assert from "node:assert/strict";
import { test } from "node:test";
import { type RunOptions, runBoth } from "./testing.ts";

const files = {
  a: "1 alice 30\n2 bob 25\n3 carol 35\n5 eve 22\n",
  b: "1 NY\n2 LA\n2 SF\n4 TX\n5 WA\n",
  c: "alice,1\nbob,2\n",
  d: "x,alice\ny,bob\nz,dan\n",
  u: "3 c\n1 a\n2 b\n",
  h: "id name\n1 alice\n2 bob\n",
  h2: "id city\n1 NY\n3 LA\n",
  s: "  1   a  \n2 b\n",
  i1: "A 1\nb 2\n",
  i2: "a x\nB y\n",
  e: "",
};
const cases: [string, string[], RunOptions][] = [
  ["basic", ["join", "a", "b"], { files }],
  ["-a1", ["join", "-a", "1", "a", "b"], { files }],
  ["-a2", ["join", "-a2", "a", "b"], { files }],
  ["-a1 -a2", ["join", "-a1", "-a2", "a", "b"], { files }],
  ["-v1", ["join", "-v", "1", "a", "b"], { files }],
  ["-v2", ["join", "-v2", "a", "b"], { files }],
  ["-o list", ["join", "-o", "1.2,2.2,0", "a", "b"], { files }],
  ["-o blank separated", ["join", "-o", "1.2 2.2", "a", "b"], { files }],
  [
    "-o with -e and -a",
    ["join", "-a1", "-a2", "-e", "NONE", "-o", "0,1.2,2.2", "a", "b"],
    { files },
  ],
  ["-o auto", ["join", "-o", "auto", "-a1", "-e", "-", "a", "b"], { files }],
  ["-e without -o", ["join", "-a1", "-e", "X", "a", "b"], { files }],
  ["-t and fields", ["join", "-t", ",", "-1", "1", "-2", "2", "c", "d"], { files }],
  ["-j", ["join", "-j", "1", "a", "b"], { files }],
  ["-1 -2", ["join", "-1", "1", "-2", "1", "a", "b"], { files }],
  ["ignore case", ["join", "-i", "i1", "i2"], { files }],
  ["case sensitive", ["join", "i1", "i2"], { files }],
  ["header", ["join", "--header", "h", "h2"], { files }],
  ["header -a", ["join", "--header", "-a1", "h", "h2"], { files }],
  ["blank runs", ["join", "s", "s"], { files }],
  ["unsorted warns", ["join", "u", "b"], { files }],
  ["unsorted check-order", ["join", "--check-order", "u", "b"], { files }],
  ["unsorted nocheck", ["join", "--nocheck-order", "u", "b"], { files }],
  ["unsorted all paired", ["join", "u", "u"], { files }],
  ["stdin", ["join", "-", "b"], { files, stdin: "1 x\n4 y\n" }],
  ["empty file", ["join", "-a1", "a", "e"], { files }],
  ["zero", ["join", "-z", "-", "b"], { files, stdin: "1 q\0" }],
  ["tab whole line", ["join", "-t", "", "a", "a"], { files }],
  ["missing operand", ["join"], {}],
  ["one operand", ["join", "a"], { files }],
  ["extra operand", ["join", "a", "b", "c"], { files }],
  ["both stdin", ["join", "-", "-"], {}],
  ["bad -a", ["join", "-a", "3", "a", "b"], { files }],
  ["bad field", ["join", "-j", "0", "a", "b"], { files }],
  ["bad -1", ["join", "-1", "x", "a", "b"], { files }],
  ["bad -o file", ["join", "-o", "3.1", "a", "b"], { files }],
  ["bad -o spec", ["join", "-o", "1", "a", "b"], { files }],
  ["bad -o zero field", ["join", "-o", "1.0", "a", "b"], { files }],
  ["multi tab", ["join", "-t", "ab", "a", "b"], { files }],
  ["incompatible fields", ["join", "-j1", "-1", "2", "a", "b"], { files }],
  ["missing file", ["join", "a", "nope"], { files }],
];

for (const [name, argv, options] of cases) {
  test(`join: ${name}`, async () => {
    const { vm, host } = await runBoth(argv, options);
    assert.deepEqual(vm, host);
  });
}
