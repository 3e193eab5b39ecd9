import assert from "node:assert/strict";
import { test } from "node:test";
import { type RunOptions, runBoth } from "./testing.ts";

const text = "a\na\nb\nc\nc\nc\na\nB\nb\n";
const fields = "1 x\n2 x\n3  y\n4 y\n5\tz\n";

const cases: [string, string[], RunOptions][] = [
  ["plain", ["uniq"], { stdin: text }],
  ["count", ["uniq", "-c"], { stdin: text }],
  ["repeated", ["uniq", "-d"], { stdin: text }],
  ["all repeated", ["uniq", "-D"], { stdin: text }],
  ["all repeated prepend", ["uniq", "--all-repeated=prepend"], { stdin: text }],
  ["all repeated separate", ["uniq", "--all-repeated=separate"], { stdin: text }],
  ["all repeated abbrev", ["uniq", "--all-repeated=sep"], { stdin: text }],
  ["unique", ["uniq", "-u"], { stdin: text }],
  ["unique and repeated", ["uniq", "-u", "-d"], { stdin: text }],
  ["count repeated", ["uniq", "-cd"], { stdin: text }],
  ["count unique", ["uniq", "-cu"], { stdin: text }],
  ["ignore case", ["uniq", "-i"], { stdin: text }],
  ["ignore case count", ["uniq", "-ic"], { stdin: text }],
  ["skip fields", ["uniq", "-f", "1"], { stdin: fields }],
  ["skip fields count", ["uniq", "-c", "-f1"], { stdin: fields }],
  ["skip chars", ["uniq", "-s", "2"], { stdin: "xxa\nyya\nzzb\n" }],
  ["check chars", ["uniq", "-w", "1"], { stdin: "ab\nac\nbd\n" }],
  ["check chars zero", ["uniq", "-c", "-w", "0"], { stdin: "ab\nac\nbd\n" }],
  ["fields and chars", ["uniq", "-f1", "-s1", "-w1"], { stdin: "a xa1\nb ya2\nc zb\n" }],
  ["zero terminated", ["uniq", "-z"], { stdin: "a\0a\0b\0" }],
  ["no trailing newline", ["uniq"], { stdin: "a\na" }],
  ["group", ["uniq", "--group"], { stdin: text }],
  ["group prepend", ["uniq", "--group=prepend"], { stdin: text }],
  ["group append", ["uniq", "--group=append"], { stdin: text }],
  ["group both", ["uniq", "--group=both"], { stdin: text }],
  ["group with count", ["uniq", "--group", "-c"], { stdin: text }],
  ["group with -d", ["uniq", "--group", "-d"], { stdin: text }],
  ["count and all repeated", ["uniq", "-c", "-D"], { stdin: text }],
  ["bad all-repeated", ["uniq", "--all-repeated=foo"], { stdin: text }],
  ["bad fields", ["uniq", "-f", "x"], { stdin: text }],
  ["bad chars", ["uniq", "-s", "-1"], { stdin: text }],
  ["bad check", ["uniq", "-w", "q"], { stdin: text }],
  ["input file", ["uniq", "in"], { files: { in: text } }],
  ["output file", ["uniq", "in", "out"], { files: { in: text } }],
  ["extra operand", ["uniq", "a", "b", "c"], {}],
  ["missing file", ["uniq", "nope"], {}],
  ["bad option", ["uniq", "-x"], {}],
  ["empty", ["uniq", "-c"], { stdin: "" }],
  ["binary", ["uniq", "-c"], { stdin: new Uint8Array([0xff, 10, 0xff, 10, 0, 10]) }],
  ["high bytes ignore case", ["uniq", "-i"], { stdin: "\xe0\n\xc0\n" }],
  ["large counts", ["uniq", "-c"], { stdin: "x\n".repeat(12345) }],
];

for (const [name, argv, options] of cases) {
  test(`uniq: ${name}`, async () => {
    const { vm, host } = await runBoth(argv, options);
    assert.deepEqual(vm, host);
  });
}
