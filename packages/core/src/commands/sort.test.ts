import assert from "node:assert/strict";
import { test } from "node:test";
import { type RunOptions, runBoth, runInVm } from "./testing.ts";

const words = "banana\napple\nCherry\n  date\napple\n10 x\n9 y\n-3 z\n\n";
const table = "b 2 x\na 10 y\nc 1 z\na 2 w\nb 10 v\n";
const csv = "bob,25,NY\nalice,30,LA\ncarol,25,SF\ndave,,NY\n";
const nums = "10\n9\n-1\n1.5\n.5\n-0\n0\nabc\n 7\n1e3\n0x10\n+4\n-1.25\n007\n";
const human = "1K\n2M\n512\n1G\n3k\n-1K\n0M\n1.5K\n10\n";
const versions = "file10.txt\nfile2.txt\nfile1.txt\nv1.10\nv1.9\nv1.9a\n.hidden\na~1\na\n";
const months = "feb x\nJAN y\n  mar z\nfoo\nDec q\n";

const cases: [string, string[], RunOptions][] = [
  ["plain", ["sort"], { stdin: words }],
  ["reverse", ["sort", "-r"], { stdin: words }],
  ["unique", ["sort", "-u"], { stdin: words }],
  ["numeric", ["sort", "-n"], { stdin: nums }],
  ["numeric reverse", ["sort", "-nr"], { stdin: nums }],
  ["numeric stable", ["sort", "-n", "-s"], { stdin: nums }],
  ["numeric unique", ["sort", "-nu"], { stdin: "1\n01\n1.0\n2\n-0\n0\n" }],
  ["general numeric", ["sort", "-g"], { stdin: nums + "nan\ninf\n-inf\n" }],
  ["human", ["sort", "-h"], { stdin: human }],
  ["human reverse", ["sort", "-hr"], { stdin: human }],
  ["version", ["sort", "-V"], { stdin: versions }],
  ["month", ["sort", "-M"], { stdin: months }],
  ["fold case", ["sort", "-f"], { stdin: "b\nA\na\nB\nc\n" }],
  ["fold case unique", ["sort", "-fu"], { stdin: "b\nA\na\nB\nc\n" }],
  ["dictionary", ["sort", "-d"], { stdin: "a-c\nab\n#b\n a\n" }],
  ["ignore nonprinting", ["sort", "-i"], { stdin: "\x01b\na\n\x02c\n" }],
  ["blanks", ["sort", "-b"], { stdin: "  b\na\n c\n" }],
  ["key 2", ["sort", "-k2"], { stdin: table }],
  ["key 2,2n", ["sort", "-k2,2n"], { stdin: table }],
  ["key 2,2nr", ["sort", "-k2,2nr"], { stdin: table }],
  ["two keys", ["sort", "-k1,1", "-k2,2n"], { stdin: table }],
  ["two keys reverse", ["sort", "-k1,1r", "-k2,2n"], { stdin: table }],
  ["key with global n", ["sort", "-n", "-k2,2"], { stdin: table }],
  ["key with global r", ["sort", "-r", "-k2,2n"], { stdin: table }],
  ["separator", ["sort", "-t", ",", "-k2,2n"], { stdin: csv }],
  ["separator joined", ["sort", "-t,", "-k3", "-k1,1"], { stdin: csv }],
  ["separator unique keys", ["sort", "-t,", "-k2,2", "-u"], { stdin: csv }],
  ["char offsets", ["sort", "-k1.2,1.3"], { stdin: "abc\nbab\ncaa\nxaz\n" }],
  ["char offsets with b", ["sort", "-k2.2b,2.3"], { stdin: "x   abc\ny bab\nz  caa\n" }],
  ["end char no b", ["sort", "-t:", "-k2.1,2.2"], { stdin: "a:zz:1\nb:ya:2\nc:yb:3\n" }],
  ["key beyond fields", ["sort", "-k5"], { stdin: table }],
  ["stable key", ["sort", "-s", "-k1,1"], { stdin: table }],
  ["zero terminated", ["sort", "-z"], { stdin: "b\0a\0c" }],
  ["no trailing newline", ["sort"], { stdin: "b\na" }],
  ["empty input", ["sort"], { stdin: "" }],
  ["files", ["sort", "a", "b"], { files: { a: "z\nx\n", b: "y\nw\n" } }],
  ["merge", ["sort", "-m", "a", "b"], { files: { a: "a\nc\ne\n", b: "b\nd\nf\n" } }],
  ["merge numeric", ["sort", "-m", "-n", "a", "b"], { files: { a: "1\n10\n", b: "2\n3\n" } }],
  ["stdin dash", ["sort", "a", "-"], { files: { a: "z\n" }, stdin: "m\n" }],
  ["check ok", ["sort", "-c"], { stdin: "a\nb\n" }],
  ["check disorder", ["sort", "-c"], { stdin: "a\nc\nb\n" }],
  ["check file", ["sort", "-c", "f"], { files: { f: "b\na\n" } }],
  ["check quiet", ["sort", "-C"], { stdin: "b\na\n" }],
  ["check unique", ["sort", "-cu"], { stdin: "a\na\n" }],
  ["check numeric", ["sort", "-c", "-n"], { stdin: "2\n10\n" }],
  ["check extra operand", ["sort", "-c", "a", "b"], { files: { a: "", b: "" } }],
  ["check=quiet", ["sort", "--check=quiet"], { stdin: "b\na\n" }],
  ["missing file", ["sort", "nope"], {}],
  ["bad option", ["sort", "-x"], {}],
  ["bad long", ["sort", "--bogus"], {}],
  ["ambiguous long", ["sort", "--s"], {}],
  ["key zero", ["sort", "-k0"], {}],
  ["key char zero", ["sort", "-k1.0"], {}],
  ["key garbage", ["sort", "-kx"], {}],
  ["key stray", ["sort", "-k1b,2q"], {}],
  ["multi tab", ["sort", "-t", "ab"], {}],
  ["empty tab", ["sort", "-t", ""], {}],
  ["incompatible", ["sort", "-gn"], {}],
  ["incompatible key", ["sort", "-k1n,1g"], {}],
  ["incompatible dfn", ["sort", "-nfd"], {}],
  ["ignored options", ["sort", "-S", "1M", "--parallel=2", "-T", "/tmp"], { stdin: "b\na\n" }],
  ["long options", ["sort", "--numeric-sort", "--reverse", "--key=1,1"], { stdin: nums }],
  ["sort word", ["sort", "--sort=numeric"], { stdin: nums }],
  ["binary bytes", ["sort"], { stdin: new Uint8Array([0xff, 10, 0x80, 10, 0x41, 10, 0, 10]) }],
  ["output file", ["sort", "-o", "out", "in"], { files: { in: "b\na\n" } }],
  ["output to same file", ["sort", "-o", "in", "in"], { files: { in: "b\na\n" } }],
  ["reverse whole line tie", ["sort", "-r", "-k1,1"], { stdin: "a 1\na 2\nb 0\n" }],
  ["numeric blanks and signs", ["sort", "-n"], { stdin: "  -5\n\t3\n-\n-.5\n.\n5.\n" }],
  ["tab NUL", ["sort", "-t", "\\0", "-k2"], { stdin: "a\0b\nb\0a\n" }],
];

for (const [name, argv, options] of cases) {
  test(`sort: ${name}`, async () => {
    const { vm, host } = await runBoth(argv, options);
    assert.deepEqual(vm, host);
  });
}

test("sort: -o writes the file", async () => {
  // The output file content is checked via a second sort invocation reading it.
  const r = await runInVm(["sort", "-o", "in", "in"], { files: { in: "b\na\n" } });
  assert.equal(r.exitCode, 0);
  assert.equal(r.stdout, "");
});

test("sort: -R groups equal keys and keeps all lines", async () => {
  // Random order differs from the host by design: check the multiset and grouping.
  const r = await runInVm(["sort", "-R"], { stdin: "a\nb\na\nc\nb\na\n" });
  const lines = r.stdout.trimEnd().split("\n");
  assert.deepEqual([...lines].sort(), ["a", "a", "a", "b", "b", "c"]);
  const runs = lines.filter((l, i) => i === 0 || lines[i - 1] !== l);
  assert.equal(runs.length, 3);
});

/** A reproducible pseudo-random line set: numbers of every size next to words and blanks. */
function generatedLines(count: number, seed: number): string {
  let state = seed;
  const next = (n: number): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  const digits = (n: number): string => {
    let s = "";
    for (let i = 0; i < n; i++) s += String(next(10));
    return s;
  };
  const number = (): string => {
    const sign = ["", "", "-", " ", "  -"][next(5)];
    const int = next(4) === 0 ? "" : `${"0".repeat(next(2))}${digits(1 + next(19))}`;
    const frac = next(3) === 0 ? `.${digits(next(8))}${"0".repeat(next(2))}` : "";
    return `${sign}${int}${frac}`;
  };
  const word = (): string => ["apple", "Zed", "x", "", "12abc", "JAN", "v1.2", "1.5K"][next(8)];
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(`${number()} ${word()}\t${number()},${word()}`);
  return `${lines.join("\n")}\n`;
}

const generated = generatedLines(3000, 7);
const bigNumbers = [
  "123456789012345",
  "123456789012346",
  "1234567890123456",
  "1234567890123457",
  "12345678901234567890",
  "12345678901234567891",
  "0.123456789012345",
  "0.1234567890123451",
  "-99999999999999999",
  "-99999999999999998",
  "00001234567890123456.5",
  "1234567890123456.50",
  "1e400",
  "",
  "-",
].join("\n");

for (const [name, argv] of [
  ["generated -n", ["sort", "-n"]],
  ["generated -rn", ["sort", "-rn"]],
  ["generated -nu", ["sort", "-nu"]],
  ["generated -k2,2 -k1,1nr", ["sort", "-k2,2", "-k1,1nr"]],
  ["generated -t, -k2n -s", ["sort", "-t,", "-k2n", "-s"]],
  ["generated -k3,3n -k2,2M", ["sort", "-k3,3n", "-k2,2M"]],
  ["generated -g", ["sort", "-g"]],
  ["generated -h", ["sort", "-h"]],
  ["generated -V -k2", ["sort", "-V", "-k2"]],
  ["generated -f -u", ["sort", "-f", "-u"]],
  ["generated -r", ["sort", "-r"]],
  ["generated -c -n", ["sort", "-c", "-n"]],
] as const) {
  test(`sort: ${name}`, async () => {
    const { vm, host } = await runBoth([...argv], { stdin: generated });
    assert.deepEqual(vm, host);
  });
}

test("sort: numbers beyond a double's 15 digits keep strnumcmp order", async () => {
  for (const argv of [
    ["sort", "-n"],
    ["sort", "-rn"],
    ["sort", "-nu"],
  ]) {
    const { vm, host } = await runBoth(argv, { stdin: `${bigNumbers}\n` });
    assert.deepEqual(vm, host);
  }
});
