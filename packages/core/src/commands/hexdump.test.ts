import assert from "node:assert/strict";
import { test } from "node:test";
import { type RunOptions, runBoth } from "./testing.ts";

const text = "hello world, this is 20+ bytes\x00\xff\n";
const all = new Uint8Array(256).map((_, i) => i);
const files = { t: "hello world", z: new Uint8Array(64), all, z40: new Uint8Array(40) };
const cases: [string, string[], RunOptions][] = [
  ["default", ["hexdump"], { stdin: "hello\n" }],
  ["default odd", ["hexdump"], { stdin: "abc" }],
  ["default zeros", ["hexdump", "z"], { files }],
  ["default empty", ["hexdump"], { stdin: "" }],
  ["-C", ["hexdump", "-C"], { stdin: text }],
  ["-C short", ["hexdump", "-C"], { stdin: "hello\n" }],
  ["-C zeros", ["hexdump", "-C", "z"], { files }],
  ["-C all bytes", ["hexdump", "-C", "all"], { files }],
  ["-C empty", ["hexdump", "-C"], { stdin: "" }],
  ["-C -v", ["hexdump", "-C", "-v", "z40"], { files }],
  ["-C -s -n", ["hexdump", "-C", "-s", "2", "-n", "5", "t"], { files }],
  ["-n", ["hexdump", "-n", "3", "t"], { files }],
  ["-c", ["hexdump", "-c", "all"], { files }],
  ["-b", ["hexdump", "-b"], { stdin: "ab" }],
  ["-x", ["hexdump", "-x"], { stdin: "abc" }],
  ["-d", ["hexdump", "-d", "t"], { files }],
  ["-o", ["hexdump", "-o", "t"], { files }],
  ["two files", ["hexdump", "-C", "t", "t"], { files }],
  ["missing", ["hexdump", "nofile"], {}],
  ["missing and present", ["hexdump", "-C", "nofile", "t"], { files }],
  ["bad option", ["hexdump", "-q"], {}],
];

for (const [name, argv, options] of cases) {
  test(`hexdump: ${name}`, async () => {
    const { vm, host } = await runBoth(argv, options);
    assert.deepEqual(vm, host);
  });
}
