import assert from "node:assert/strict";
import { test } from "node:test";
import { type RunOptions, runBoth } from "./testing.ts";

const text = "hello world, this is 20+ bytes\x00\xff\n";
const bin = new Uint8Array(300).map((_, i) => (i * 7) & 0xff);
const files = { t: "hello\n", "my-file.txt": "hello\n", "1x": "hello\n", e: "", bin };
const dump =
  "00000000: 6865 6c6c 6f20 776f 726c 642c 2074 6869  hello world, thi\n00000010: 7320 6162 6364 6566                      s abcdef\n";

const cases: [string, string[], RunOptions][] = [
  ["default", ["xxd"], { stdin: text }],
  ["short", ["xxd"], { stdin: "hello\n" }],
  ["empty", ["xxd"], { stdin: "" }],
  ["binary file", ["xxd", "bin"], { files }],
  ["-g1 -c8", ["xxd", "-g1", "-c8"], { stdin: text }],
  ["-g 3 -u -c 10", ["xxd", "-g", "3", "-u", "-c", "10"], { stdin: text }],
  ["-g0", ["xxd", "-g0"], { stdin: "hello\n" }],
  ["-g larger than cols", ["xxd", "-g", "32"], { stdin: "hello\n" }],
  ["-c 5 -g 2", ["xxd", "-c", "5", "-g", "2"], { stdin: "abc" }],
  ["-c 0", ["xxd", "-c", "0"], { stdin: "hello\n" }],
  ["-c too big", ["xxd", "-c", "300"], { stdin: "abc" }],
  ["-b", ["xxd", "-b"], { stdin: "hello\n" }],
  ["-b -c 2", ["xxd", "-b", "-c", "2"], { stdin: "hello\n" }],
  ["-p", ["xxd", "-p", "bin"], { files }],
  ["-ps -c 4", ["xxd", "-ps", "-c", "4", "t"], { files }],
  ["-p empty", ["xxd", "-p"], { stdin: "" }],
  ["-i stdin", ["xxd", "-i"], { stdin: "hello\n" }],
  ["-i file", ["xxd", "-i", "my-file.txt"], { files }],
  ["-i digit name", ["xxd", "-i", "1x"], { files }],
  ["-i -c 4", ["xxd", "-i", "-c", "4", "1x"], { files }],
  ["-i -u", ["xxd", "-i", "-u", "my-file.txt"], { files }],
  ["-i empty file", ["xxd", "-i", "e"], { files }],
  ["-i -C -n", ["xxd", "-i", "-C", "-n", "foo"], { stdin: "a\nb" }],
  ["-i long", ["xxd", "-i", "bin"], { files }],
  ["-l", ["xxd", "-l", "4"], { stdin: text }],
  ["-l 0", ["xxd", "-l", "0", "t"], { files }],
  ["-s", ["xxd", "-s", "2", "-l", "2"], { stdin: "hello" }],
  ["-s negative file", ["xxd", "-s", "-2", "t"], { files }],
  ["-s plus", ["xxd", "-s", "+1", "-l", "3", "t"], { files }],
  ["-s negative stdin", ["xxd", "-s", "-2"], { stdin: "hello" }],
  ["-s hex", ["xxd", "-s", "0x10", "bin"], { files }],
  ["-o -d", ["xxd", "-o", "16", "-d"], { stdin: "hello" }],
  ["-cols long form", ["xxd", "-cols", "4"], { stdin: "hello" }],
  ["-r", ["xxd", "-r"], { stdin: dump }],
  ["-r partial line", ["xxd", "-r"], { stdin: "00000000: 6162 63       abc\n" }],
  ["-r with address gap", ["xxd", "-r"], { stdin: "00000010: 6162\n" }],
  ["-r -p", ["xxd", "-r", "-p"], { stdin: "6162 63\n64" }],
  ["-r -p odd", ["xxd", "-r", "-p"], { stdin: "616" }],
  ["-rp combined", ["xxd", "-r", "-ps"], { stdin: "68656c6c6f0a\n" }],
  ["outfile", ["xxd", "t", "out"], { files }],
  ["missing file", ["xxd", "nope"], {}],
  ["bad option", ["xxd", "-q"], {}],
  ["too many operands", ["xxd", "t", "t", "t"], { files }],
];

for (const [name, argv, options] of cases) {
  test(`xxd: ${name}`, async () => {
    const { vm, host } = await runBoth(argv, options);
    assert.deepEqual(vm, host);
  });
}
