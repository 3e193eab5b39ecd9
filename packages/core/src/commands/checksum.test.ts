import assert from "node:assert/strict";
import { test } from "node:test";
import { hostHas, type RunOptions, runBoth } from "./testing.ts";

const files = { a: "hello\n", "b\\c": "x", "sp ace": "", e: "" };
const sums =
  "b1946ac92492d2347c6235b4d2611184  a\nbad line\nd41d8cd98f00b204e9800998ecf8427e  missing\n";
const cases: [string, string[], RunOptions][] = [];
for (const prog of [
  "md5sum",
  "sha1sum",
  "sha224sum",
  "sha256sum",
  "sha384sum",
  "sha512sum",
  "b2sum",
]) {
  cases.push(
    [`${prog} files`, [prog, "a", "e"], { files }],
    [`${prog} stdin`, [prog], { stdin: "hello\n" }],
    [`${prog} dash`, [prog, "-", "a"], { files, stdin: "x" }],
    [`${prog} tag`, [prog, "--tag", "a"], { files }],
    [`${prog} binary`, [prog, "-b", "a"], { files }],
    [`${prog} text`, [prog, "-t", "a"], { files }],
    [`${prog} zero`, [prog, "-z", "a", "b\\c"], { files }],
    [`${prog} backslash name`, [prog, "b\\c", "sp ace"], { files }],
    [`${prog} missing`, [prog, "nope", "a"], { files }],
    [`${prog} directory`, [prog, "d"], { files: { d: { dir: true } } }],
  );
}
cases.push(
  ["md5sum check", ["md5sum", "-c", "sums"], { files: { ...files, sums } }],
  ["md5sum check warn", ["md5sum", "-c", "-w", "sums"], { files: { ...files, sums } }],
  ["md5sum check status", ["md5sum", "--status", "-c", "sums"], { files: { ...files, sums } }],
  ["md5sum check quiet", ["md5sum", "--quiet", "-c", "sums"], { files: { ...files, sums } }],
  [
    "md5sum check strict",
    ["md5sum", "--strict", "-c", "ok"],
    { files: { ...files, ok: "b1946ac92492d2347c6235b4d2611184  a\nxx\n" } },
  ],
  [
    "md5sum check ignore missing",
    ["md5sum", "--ignore-missing", "-c", "sums"],
    { files: { ...files, sums } },
  ],
  [
    "md5sum check none verified",
    ["md5sum", "--ignore-missing", "-c", "m"],
    { files: { m: "d41d8cd98f00b204e9800998ecf8427e  missing\n" } },
  ],
  ["md5sum check garbage", ["md5sum", "-c", "g"], { files: { g: "garbage\n" } }],
  [
    "md5sum check mismatch",
    ["md5sum", "-c", "s"],
    {
      files: {
        a: "changed\n",
        s: "b1946ac92492d2347c6235b4d2611184  a\nb1946ac92492d2347c6235b4d2611184 *a\n",
      },
    },
  ],
  [
    "md5sum check tag format",
    ["md5sum", "-c", "s"],
    { files: { a: "hello\n", s: "MD5 (a) = b1946ac92492d2347c6235b4d2611184\n" } },
  ],
  [
    "md5sum check escaped",
    ["md5sum", "-c", "s"],
    { files: { "b\\c": "x", s: "\\9dd4e461268c8034f5c8564e155c67a6  b\\\\c\n" } },
  ],
  [
    "md5sum check uppercase hex",
    ["md5sum", "-c", "s"],
    { files: { a: "hello\n", s: "B1946AC92492D2347C6235B4D2611184  a\n" } },
  ],
  [
    "md5sum check comments",
    ["md5sum", "-c", "s"],
    { files: { a: "hello\n", s: "# comment\nb1946ac92492d2347c6235b4d2611184  a\n" } },
  ],
  [
    "md5sum check stdin",
    ["md5sum", "-c"],
    { files, stdin: "b1946ac92492d2347c6235b4d2611184  a\n" },
  ],
  ["md5sum check missing list", ["md5sum", "-c", "nope"], {}],
  [
    "sha256sum check",
    ["sha256sum", "-c", "s"],
    {
      files: {
        a: "hello\n",
        s: "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03  a\n",
      },
    },
  ],
  ["md5sum status without check", ["md5sum", "--status", "a"], { files }],
  ["md5sum tag with check", ["md5sum", "--tag", "-c", "a"], { files }],
  ["md5sum bad option", ["md5sum", "-x"], {}],
  ["cksum crc", ["cksum", "a", "e"], { files }],
  ["cksum stdin", ["cksum"], { stdin: "hello\n" }],
  ["cksum big", ["cksum"], { stdin: "x".repeat(70000) }],
  ["cksum missing", ["cksum", "a", "nope"], { files }],
  ["cksum bsd", ["cksum", "-a", "bsd", "a"], { files }],
  ["cksum bsd stdin", ["cksum", "-a", "bsd"], { stdin: "x".repeat(5000) }],
  ["cksum sysv", ["cksum", "-a", "sysv", "a"], { files }],
  ["cksum sysv stdin", ["cksum", "--algorithm=sysv"], { stdin: "x".repeat(5000) }],
  ["cksum md5", ["cksum", "-a", "md5", "a"], { files }],
  ["cksum md5 stdin", ["cksum", "-a", "md5"], { stdin: "hello\n" }],
  ["cksum sha256 untagged", ["cksum", "-a", "sha256", "--untagged", "a"], { files }],
  ["cksum blake2b", ["cksum", "-a", "blake2b", "a"], { files }],
  ["cksum md5 check", ["cksum", "-a", "md5", "-c", "sums"], { files: { ...files, sums } }],
  ["cksum bad algo", ["cksum", "-a", "foo", "a"], { files }],
);

for (const [name, argv, options] of cases) {
  const skip = hostHas(argv[0]) ? false : `host has no ${argv[0]}`;
  test(name, { skip }, async () => {
    const { vm, host } = await runBoth(argv, options);
    assert.deepEqual(vm, host);
  });
}
