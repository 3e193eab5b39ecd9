import assert from "node:assert/strict";
import { test } from "node:test";
import { type RunOptions, runBoth } from "./testing.ts";

const bin = new Uint8Array([
  0x61,
  0x62,
  0x80,
  0xff,
  0x0a,
  0x09,
  0x00,
  0x7a,
  ...Buffer.from("QWERTYUIOPASDFGHJKL"),
]);
const floats = new Uint8Array([
  0, 0, 0x80, 0x3f, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0xcd, 0xcc, 0xcc, 0x3d, 0, 0, 0xc0, 0x7f, 0, 0,
  0x80, 0xff, 0, 0, 0x20, 0x41, 0x00, 0x24, 0x74, 0x49,
]);
const zeros = new Uint8Array(100);
const all = new Uint8Array(256).map((_, i) => i);
const files = { bin, floats, zeros, all, t: "hello world\n" };

const cases: [string, string[], RunOptions][] = [
  ["default", ["od", "bin"], { files }],
  ["stdin", ["od"], { stdin: "hello\n" }],
  ["empty", ["od"], { stdin: "" }],
  ["-c", ["od", "-c", "all"], { files }],
  ["-a", ["od", "-a", "all"], { files }],
  ["-b", ["od", "-b", "bin"], { files }],
  ["-d", ["od", "-d", "bin"], { files }],
  ["-o", ["od", "-o", "bin"], { files }],
  ["-s", ["od", "-s", "bin"], { files }],
  ["-x", ["od", "-x", "bin"], { files }],
  ["-i", ["od", "-i", "bin"], { files }],
  ["-l", ["od", "-l", "bin"], { files }],
  ["x1 and c", ["od", "-t", "x1", "-t", "c", "bin"], { files }],
  ["d1 u1", ["od", "-t", "d1", "-t", "u1", "bin"], { files }],
  ["o1 a", ["od", "-t", "o1", "-t", "a", "bin"], { files }],
  ["2-byte types", ["od", "-t", "d2", "-t", "u2", "-t", "x2", "-t", "o2", "bin"], { files }],
  ["4-byte types", ["od", "-t", "d4", "-t", "o4", "-A", "x", "bin"], { files }],
  [
    "8-byte types",
    ["od", "-t", "d8", "-t", "u8", "-t", "o8", "-t", "x8", "-A", "d", "bin"],
    { files },
  ],
  ["size letters", ["od", "-t", "xC", "-t", "dS", "bin"], { files }],
  ["combined type string", ["od", "-t", "cx1", "bin"], { files }],
  ["f4 f8", ["od", "-t", "f4", "-t", "f8", "floats"], { files }],
  ["f alone", ["od", "-f", "floats"], { files }],
  ["fD", ["od", "-t", "fD", "floats"], { files }],
  ["x1z", ["od", "-t", "x1z", "bin"], { files }],
  ["partial element", ["od", "-t", "x2"], { stdin: "abc" }],
  ["-A d", ["od", "-A", "d", "-c", "t"], { files }],
  ["-A x", ["od", "-Ax", "-c", "t"], { files }],
  ["-A n", ["od", "-An", "-tx1", "t"], { files }],
  ["-j", ["od", "-j", "3", "-c", "t"], { files }],
  ["-j hex", ["od", "-j", "0x2", "-c", "t"], { files }],
  ["-N", ["od", "-N", "5", "-c", "t"], { files }],
  ["-j -N", ["od", "-j2", "-N3", "-tx1", "t"], { files }],
  ["-j past end", ["od", "-j", "100", "t"], { files }],
  ["dup suppression", ["od", "zeros"], { files }],
  ["-v", ["od", "-v", "zeros"], { files }],
  ["-w4", ["od", "-An", "-tx1", "-w4", "bin"], { files }],
  ["-w", ["od", "-w", "bin"], { files }],
  ["-w odd", ["od", "-w3", "-tx2", "bin"], { files }],
  ["multiple files", ["od", "-c", "t", "t"], { files }],
  ["missing file", ["od", "-c", "nope", "t"], { files }],
  ["bad type", ["od", "-t", "q", "t"], { files }],
  ["bad size", ["od", "-t", "d3", "t"], { files }],
  ["bad radix", ["od", "-A", "q", "t"], { files }],
  ["bad option", ["od", "-Q"], {}],
];

for (const [name, argv, options] of cases) {
  test(`od: ${name}`, async () => {
    const { vm, host } = await runBoth(argv, options);
    assert.deepEqual(vm, host);
  });
}
