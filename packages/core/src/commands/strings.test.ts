import assert from "node:assert/strict";
import { test } from "node:test";
import { type RunOptions, runBoth } from "./testing.ts";

const s = Buffer.from("ab\x00hello\tworld\x01xyz1234\nlongerstring\x80abcd", "latin1");
const files = { s, d: { dir: true } as const };
const cases: [string, string[], RunOptions][] = [
  ["default", ["strings", "s"], { files }],
  ["stdin", ["strings"], { stdin: s }],
  ["-n 3 -t x", ["strings", "-n", "3", "-t", "x", "s"], { files }],
  ["-t d -n 2", ["strings", "-t", "d", "-n", "2", "s"], { files }],
  ["-o", ["strings", "-o", "s"], { files }],
  ["-a", ["strings", "-a", "s"], { files }],
  ["-N", ["strings", "-6", "s"], { files }],
  ["--bytes", ["strings", "--bytes=8", "s"], { files }],
  ["-f", ["strings", "-f", "s", "s"], { files }],
  ["-w", ["strings", "-w", "s"], { files }],
  ["-s", ["strings", "-s", "|", "s"], { files }],
  ["-e S", ["strings", "-e", "S", "s"], { files }],
  ["end of input", ["strings"], { stdin: "aaaa\nbbbb\n" }],
  ["missing", ["strings", "nofile"], {}],
  ["directory", ["strings", "d"], { files }],
  ["bad length", ["strings", "-n", "0", "s"], { files }],
  ["bad integer", ["strings", "-n", "x", "s"], { files }],
  ["bad radix", ["strings", "-t", "q", "s"], { files }],
];

for (const [name, argv, options] of cases) {
  test(`strings: ${name}`, async () => {
    const { vm, host } = await runBoth(argv, options);
    assert.deepEqual(vm, host);
  });
}
