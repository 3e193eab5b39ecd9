import assert from "node:assert/strict";
import { test } from "node:test";
import { type RunOptions, runBoth } from "./testing.ts";

const tsv = "a\tb\tc\td\n1\t2\t3\t4\nnodelim\n\t\n";
const csv = "a,b,c\n1,2,3,4,5\nplain\n,\n";

const cases: [string, string[], RunOptions][] = [
  ["bytes single", ["cut", "-b", "2"], { stdin: "abcdef\nxy\n" }],
  ["bytes range", ["cut", "-b2-4"], { stdin: "abcdef\nxy\n" }],
  ["bytes open end", ["cut", "-b3-"], { stdin: "abcdef\nxy\n" }],
  ["bytes open start", ["cut", "-b-3"], { stdin: "abcdef\nxy\n" }],
  ["bytes list", ["cut", "-b1,3,5"], { stdin: "abcdef\n" }],
  ["bytes overlap", ["cut", "-b1-3,2-5,6"], { stdin: "abcdefgh\n" }],
  ["bytes output delimiter", ["cut", "-b1-2,4-5", "--output-delimiter=:"], { stdin: "abcdef\n" }],
  ["bytes adjacent ranges", ["cut", "-b1-2,3-4", "--output-delimiter=:"], { stdin: "abcdef\n" }],
  ["bytes complement", ["cut", "--complement", "-b2,4"], { stdin: "abcdef\n" }],
  [
    "bytes complement delim",
    ["cut", "--complement", "-b2,4", "--output-delimiter=:"],
    { stdin: "abcdef\n" },
  ],
  ["chars", ["cut", "-c", "1-3"], { stdin: "abcdef\n" }],
  ["chars blank separated list", ["cut", "-c", "1 3"], { stdin: "abcdef\n" }],
  ["fields default tab", ["cut", "-f2"], { stdin: tsv }],
  ["fields range", ["cut", "-f2-3"], { stdin: tsv }],
  ["fields open", ["cut", "-f3-"], { stdin: tsv }],
  ["fields -s", ["cut", "-s", "-f1"], { stdin: tsv }],
  ["fields comma", ["cut", "-d,", "-f1,3"], { stdin: csv }],
  ["fields out of range", ["cut", "-d,", "-f5"], { stdin: csv }],
  ["fields output delimiter", ["cut", "-d,", "-f1-3", "--output-delimiter", " | "], { stdin: csv }],
  ["fields complement", ["cut", "-d,", "--complement", "-f2"], { stdin: csv }],
  ["fields space", ["cut", "-d", " ", "-f2"], { stdin: "a  b c\nx y\n" }],
  ["fields order irrelevant", ["cut", "-d,", "-f3,1"], { stdin: csv }],
  ["fields -s comma", ["cut", "-s", "-d,", "-f2"], { stdin: csv }],
  ["zero terminated", ["cut", "-z", "-d,", "-f2"], { stdin: "a,b\0c,d\0" }],
  ["no trailing newline", ["cut", "-d,", "-f2"], { stdin: "a,b\nc,d" }],
  ["no trailing newline bytes", ["cut", "-b1"], { stdin: "ab\ncd" }],
  ["empty output delimiter", ["cut", "-d,", "-f1,2", "--output-delimiter="], { stdin: "a,b\n" }],
  ["empty -d", ["cut", "-d", "", "-f2"], { stdin: "a\0b\n" }],
  ["files", ["cut", "-f1", "a", "b"], { files: { a: "1\t2\n", b: "3\t4\n" } }],
  ["missing file continues", ["cut", "-f1", "a", "nope", "a"], { files: { a: "1\t2\n" } }],
  ["binary", ["cut", "-b2-3"], { stdin: new Uint8Array([0xff, 0xfe, 0x80, 0x41, 10]) }],
  ["-n ignored", ["cut", "-n", "-b1"], { stdin: "ab\n" }],
  ["no list", ["cut"], {}],
  ["two lists", ["cut", "-b1", "-f1"], {}],
  ["delim with bytes", ["cut", "-d:", "-b1"], {}],
  ["-s with bytes", ["cut", "-s", "-b1"], {}],
  ["multichar delim", ["cut", "-d", "ab", "-f1"], {}],
  ["field zero", ["cut", "-f0"], {}],
  ["decreasing", ["cut", "-f2-1"], {}],
  ["lone dash", ["cut", "-f-"], {}],
  ["bad field", ["cut", "-fx"], {}],
  ["bad byte", ["cut", "-b", "x"], {}],
  ["bad range end", ["cut", "-f1-x"], {}],
  ["double comma", ["cut", "-f", "1,,2"], {}],
  ["double dash", ["cut", "-f", "1-2-3"], {}],
  ["double dash bytes", ["cut", "-b", "1-2-3"], {}],
  ["byte zero", ["cut", "-b", "0-1"], {}],
  ["empty list", ["cut", "-f", ""], {}],
  ["bad option", ["cut", "-x"], {}],
  ["long options", ["cut", "--delimiter=,", "--fields=2", "--only-delimited"], { stdin: csv }],
];

for (const [name, argv, options] of cases) {
  test(`cut: ${name}`, async () => {
    const { vm, host } = await runBoth(argv, options);
    assert.deepEqual(vm, host);
  });
}
