import assert from "node:assert/strict";
import { test } from "node:test";
import { type RunOptions, runBoth } from "./testing.ts";

const long = "The quick brown fox jumps over the lazy dog. ".repeat(10);
const bin = new Uint8Array(300).map((_, i) => (i * 37) & 0xff);

const cases: [string, string[], RunOptions][] = [];
for (const prog of ["base64", "base32"]) {
  cases.push(
    [`${prog} encode`, [prog], { stdin: "hello\n" }],
    [`${prog} encode empty`, [prog], { stdin: "" }],
    [`${prog} encode 1 byte`, [prog], { stdin: "a" }],
    [`${prog} encode 2 bytes`, [prog], { stdin: "ab" }],
    [`${prog} encode 4 bytes`, [prog], { stdin: "abcd" }],
    [`${prog} encode long wraps`, [prog], { stdin: long }],
    [`${prog} wrap 10`, [prog, "-w", "10"], { stdin: long }],
    [`${prog} wrap 0`, [prog, "-w0"], { stdin: long }],
    [`${prog} wrap long option`, [prog, "--wrap=20"], { stdin: long }],
    [`${prog} binary`, [prog], { stdin: bin }],
    [`${prog} file`, [prog, "f"], { files: { f: bin } }],
    [`${prog} missing file`, [prog, "nope"], {}],
    [`${prog} extra operand`, [prog, "a", "b"], {}],
    [`${prog} bad wrap`, [prog, "-w", "x"], {}],
    [`${prog} negative wrap`, [prog, "-w", "-1"], {}],
    [`${prog} bad option`, [prog, "-x"], {}],
    [`${prog} invalid input`, [prog, "-d"], { stdin: "!!!!" }],
  );
}
cases.push(
  ["base64 decode", ["base64", "-d"], { stdin: "aGVsbG8K\n" }],
  [
    "base64 decode wrapped",
    ["base64", "-d"],
    {
      stdin: Buffer.from(long)
        .toString("base64")
        .replace(/(.{76})/g, "$1\n"),
    },
  ],
  ["base64 decode binary", ["base64", "--decode"], { stdin: Buffer.from(bin).toString("base64") }],
  ["base64 decode garbage partial", ["base64", "-d"], { stdin: "YWJj!" }],
  ["base64 decode unpadded", ["base64", "-d"], { stdin: "YQ" }],
  ["base64 decode short pad", ["base64", "-d"], { stdin: "YQ=" }],
  ["base64 decode concatenated", ["base64", "-d"], { stdin: "YQ==YQ==" }],
  ["base64 decode space", ["base64", "-d"], { stdin: "YW Jj" }],
  ["base64 decode single", ["base64", "-d"], { stdin: "Y" }],
  ["base64 decode pad only", ["base64", "-d"], { stdin: "=" }],
  ["base64 decode blank lines", ["base64", "-d"], { stdin: "YWJj\n\n" }],
  ["base64 decode split padding", ["base64", "-d"], { stdin: "YQ=\n=\n" }],
  ["base64 ignore garbage", ["base64", "-di"], { stdin: "YW!Jj\n" }],
  [
    "base64 ignore garbage long",
    ["base64", "-d", "--ignore-garbage"],
    { stdin: "a G V s*b G 8 K" },
  ],
  ["base32 decode", ["base32", "-d"], { stdin: "NBSWY3DPBI======\n" }],
  ["base32 decode binary", ["base32", "-d"], { stdin: "AAAQEAYEAUDAOCAJ\n" }],
  ["base32 decode bad", ["base32", "-d"], { stdin: "MZXW6===x" }],
  ["base32 decode unpadded", ["base32", "-d"], { stdin: "MZXW6" }],
  ["base32 decode lowercase", ["base32", "-d"], { stdin: "mzxw6===" }],
  ["base32 ignore garbage", ["base32", "-d", "-i"], { stdin: "MZ-XW6===\n" }],
);

for (const [name, argv, options] of cases) {
  test(name, async () => {
    const { vm, host } = await runBoth(argv, options);
    assert.deepEqual(vm, host);
  });
}
