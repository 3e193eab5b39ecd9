/** column: differential against util-linux column (bsdextrautils) on the host. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { hostHas, runBoth } from "./testing.ts";

const skip = hostHas("column") ? false : "host has no column";

const WORDS = `${Array.from({ length: 40 }, (_, i) => `word${i}${"x".repeat(i % 7)}`).join("\n")}\n`;
const TABLE = "name size kind\nalpha 1 file\nbeta 22222 dir\ngamma 3 link-to-somewhere\n";
const WIDE =
  "a b c\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa " +
  "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb " +
  "ccccccccccccccccccccccccccccccccccccccc\naa bb cc\n";
const LONGROW = "aaaaaaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb ccccccccccc\nx y z\n";

interface Case {
  args: string[];
  stdin?: string | Uint8Array;
  files?: Record<string, string | Uint8Array>;
  env?: Record<string, string>;
}

const CASES: Case[] = [
  // fill columns / rows
  { args: [], stdin: WORDS },
  { args: ["-c", "40"], stdin: WORDS },
  { args: ["-c", "120"], stdin: WORDS },
  { args: ["-c", "5"], stdin: WORDS },
  { args: ["-c", "0"], stdin: WORDS },
  { args: [], stdin: WORDS, env: { COLUMNS: "50" } },
  { args: [], stdin: WORDS, env: { COLUMNS: "junk" } },
  { args: ["-x"], stdin: WORDS },
  { args: ["-x", "-c", "30"], stdin: WORDS },
  { args: ["--fillrows", "--output-width=100"], stdin: WORDS },
  { args: ["-x"], stdin: "a\nb\nc\n" },
  { args: [], stdin: "one\n\n  \n   two three\nfour\n" },
  { args: ["-L"], stdin: "a b c\n\n1 2 3\n" },
  { args: ["-L"], stdin: "\n\n" },
  { args: ["-L", "-c", "5"], stdin: "a\n\n" },
  { args: [], stdin: "" },
  { args: [], stdin: "no newline at end" },
  { args: [], stdin: "\x1b[1mab\x1b[0m\nx\ny\n", env: {} },
  { args: ["-c", "20"], stdin: "abc\x01\x01\x01\x01\x01\x01\x01\x01\x01\nx\ny\n" },
  { args: [], stdin: Uint8Array.from([0x61, 0xff, 0x62, 0x0a, 0x63, 0x0a]) },
  { args: [], stdin: "a\0hidden\nb\n" },
  { args: [], stdin: "  a  b\n  ccc d\n" },
  { args: ["-c", "8"], stdin: "1234567\n12\n" },
  { args: ["-c", "7"], stdin: "1234567\n12\n" },
  // table
  { args: ["-t"], stdin: TABLE },
  { args: ["--table"], stdin: "short line\n\n   indented  x\nlast\n" },
  { args: ["-t"], stdin: "a b\n" },
  { args: ["-t"], stdin: "a b c\nd\n" },
  { args: ["-t", "-N", "x,y,z"], stdin: "a b c\nd\n" },
  { args: ["-t", "-N", "x,y,z,w"], stdin: "a b c\nd\n" },
  { args: ["-t", "-N", "x"], stdin: "a b c\nd\n" },
  { args: ["-t", "-N", "a,,b"], stdin: "a b\n" },
  { args: ["-t", "-N", ""], stdin: "a b\n" },
  { args: ["-t", "-N", "NAME,SIZE,KIND", "-d"], stdin: TABLE },
  { args: ["-t", "--table-columns", "NAME,SIZE,KIND", "-R", "SIZE"], stdin: TABLE },
  { args: ["-t", "-N", "x,y,z", "-R", "Y"], stdin: "aaa bbb ccc\n1 2 3\n" },
  { args: ["-t", "-R", "0"], stdin: "aaa bbb ccc\n1 2 3\n" },
  { args: ["-t", "-R", "3"], stdin: "aaa bbb ccc\n1 2 3\n" },
  { args: ["-t", "-R", "1,2", "-N", "x,y,z"], stdin: "aaa bbb ccc\n1 2 3\n" },
  { args: ["-t", "-R", "5"], stdin: "a b c\n1 2 3\n" },
  { args: ["-t", "-R", "-1"], stdin: "a b c\n1 2 3\n" },
  { args: ["-t", "-R", "1-2"], stdin: "a b c\n1 2 3\n" },
  { args: ["-t", "-R", "nosuch"], stdin: "a b c\n1 2 3\n" },
  { args: ["-t", "-s", ":"], stdin: "a:b::c\n::1:2\n" },
  { args: ["-t", "-s", ":"], stdin: "a:b:\nc:d:\n" },
  { args: ["-t", "-s", ":"], stdin: "a::b\nc::d\n" },
  { args: ["-t", "-s", ":", "-N", "x"], stdin: "a::b\nc::d\n" },
  { args: ["-t", "-s", ":", "-l", "3"], stdin: "a:b::c\n::1:2\n" },
  { args: ["-t", "-s", ":,"], stdin: "root:x:0,0:root\nbin:x:1,1:bin\n" },
  { args: ["-t", "-s", ":"], stdin: "  a:b\n" },
  { args: ["-t", "-s", ""], stdin: "a b\ncc d\n" },
  { args: ["-t", "-l", "2"], stdin: "a b c d e\n1 2 3\n" },
  { args: ["-t", "-l", "2"], stdin: "  a  b  c\nxx y z\n" },
  { args: ["-t", "-l", "1"], stdin: "  a  b  c\nxx y z\n" },
  { args: ["-t", "-l", "1", "-s", ":"], stdin: "  a:b\n" },
  { args: ["-t", "-o", "|"], stdin: TABLE },
  { args: ["-t", "-o", ""], stdin: "aaa b c\nd e f\n" },
  { args: ["-t", "-o", "", "-R", "1"], stdin: "aaa b c\nd e f\n" },
  { args: ["-t", "-o", " | "], stdin: TABLE },
  { args: ["-t", "-o", "\t"], stdin: TABLE },
  { args: ["-t", "-O", "3,1"], stdin: "a b c\n1 2 3\n" },
  { args: ["-t", "-N", "x,y,z", "-O", "z,x"], stdin: "a b c\n1 2 3\n" },
  { args: ["-t", "-O", "2"], stdin: "a b\n" },
  { args: ["-t", "-N", "x,y,z", "-H", "y"], stdin: "a b c\n1 2 3\n" },
  { args: ["-t", "-N", "x,y,z", "-H", "3"], stdin: "aaa bb c\n1 2 3\n" },
  { args: ["-t", "-N", "x", "-H", "-"], stdin: "a b c\n1 2 3 4\n" },
  { args: ["-t", "-H", "1,2"], stdin: "a b c\n1 2 3\n" },
  { args: ["-t", "-L"], stdin: "a b c\n\n1 2 3\n" },
  { args: ["-t", "-L"], stdin: "\n\n" },
  { args: ["-t"], stdin: "\n  \n" },
  { args: ["-t"], stdin: WIDE },
  { args: ["-t", "-E", "1"], stdin: WIDE },
  { args: ["-t", "-E", "2"], stdin: WIDE },
  { args: ["-t", "-E", "1,2"], stdin: WIDE },
  { args: ["-t", "-c", "200"], stdin: WIDE },
  { args: ["-t", "-c", "100", "-E", "2"], stdin: WIDE },
  { args: ["-t"], stdin: LONGROW },
  { args: ["-t", "-c", "20"], stdin: LONGROW },
  { args: ["-t", "-c", "40", "-T", "2"], stdin: LONGROW },
  { args: ["-t", "-c", "40", "-T", "1,2"], stdin: LONGROW },
  { args: ["-t", "-c", "40", "-W", "2"], stdin: LONGROW },
  { args: ["-t", "-c", "40", "-W", "1,2"], stdin: LONGROW },
  { args: ["-t", "-c", "40", "-W", "1", "-T", "3", "-N", "a,b,c"], stdin: LONGROW },
  { args: ["-t", "-c", "20", "-W", "1", "-l", "1"], stdin: "hello world foo bar baz qux\n" },
  { args: ["-t", "-T", "1"], stdin: "a b\n", env: { COLUMNS: "3" } },
  { args: ["-t", "-T", "1", "-N", "x", "-W", "2"], stdin: "aaaa b\n", env: { COLUMNS: "3" } },
  { args: ["-t", "-T", "1", "-c", "5", "-N", "h"], stdin: "abcdefghij\n" },
  { args: ["-t", "-R", "2", "-T", "2", "-c", "3"], stdin: "ab cd\n" },
  {
    args: ["-t", "-c", "30", "-R", "2"],
    stdin: "a bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb c\nddddddddd e f\n",
  },
  { args: ["-t"], stdin: "a\x01b c\nx y\n" },
  { args: ["-t"], stdin: "a\x1b[1;31mb c\nx y\n" },
  { args: ["-t"], stdin: "a\x1bXb c\nx y\n" },
  { args: ["-t"], stdin: "a\\x41b c\nx y\n" },
  { args: ["-t", "-s", " "], stdin: "a\tb\x01\x02 c\nx y\n" },
  { args: ["-t"], stdin: Uint8Array.from([0x61, 0xe9, 0x20, 0x62, 0x0a, 0x63, 0x20, 0x64, 0x0a]) },
  {
    args: ["-t", "-N", "N", "-e"],
    stdin: `${Array.from({ length: 60 }, (_, i) => i).join("\n")}\n`,
  },
  {
    args: ["-t", "-N", "N", "-e"],
    stdin: `${Array.from({ length: 30 }, (_, i) => i).join("\n")}\n`,
    env: { LINES: "10" },
  },
  { args: ["-t", "-N", "a,b", "-d", "-e"], stdin: "a b\n" },
  { args: ["-t", "-O", "3,1", "-H", "2"], stdin: TABLE },
  { args: ["-t", "-E", "2", "-H", "1"], stdin: WIDE },
  { args: ["-t", "-E", "1", "-O", "3,2,1"], stdin: WIDE },
  { args: ["-t", "-c", "40", "-W", "2", "-R", "1"], stdin: LONGROW },
  { args: ["-t", "-c", "40", "-W", "3", "-N", "a,b,c", "-e"], stdin: LONGROW },
  { args: ["-t", "-N", "a,b,c", "-R", "-"], stdin: "x y z w\n1 2 3 4444\n" },
  { args: ["-t", "-N", "a,b,c", "-H", "-,a"], stdin: "x y z w\n" },
  { args: ["-t", "-N", "a,b,c", "-H", "a,-"], stdin: "x y z w\n" },
  // JSON
  { args: ["-J", "-N", "a,b,c", "-O", "c,a"], stdin: "1 2 3\n" },
  { args: ["-J", "-N", "one,two"], stdin: 'a b\n"q\\x" \x01y\n' },
  { args: ["-t", "-J", "-N", "one,two", "-n", "foo"], stdin: "a b\n" },
  { args: ["-J", "-N", "one,two", "-s", ":"], stdin: "a\n:b\n" },
  { args: ["-J", "-N", "one,two"], stdin: "a b c\n" },
  { args: ["-J", "-N", "one,two", "-H", "two"], stdin: "a b\n" },
  { args: ["-J", "-N", "one,two", "-L"], stdin: "a b\n\nc d\n" },
  { args: ["-J", "-N", "one,two", "-H", "-"], stdin: "a b c\n" },
  // files and errors
  { args: ["f1", "f2"], files: { f1: "x\ny\n", f2: "z\n" } },
  { args: ["-t", "f1", "nonexist", "f2"], files: { f1: "x y\n", f2: "zz w\n" } },
  { args: ["nonexist", "f1"], files: { f1: "x y\n" } },
  { args: ["-t", "nonexist"] },
  { args: ["-t", "-"], stdin: "a b\n" },
  { args: ["-t", "f1", "dir", "f1"], files: { f1: "x y\n", "dir/inner": "q\n" } },
  { args: ["-q"] },
  { args: ["--foo"] },
  { args: ["-c"] },
  { args: ["-c", "abc"] },
  { args: ["-c", "-5"] },
  { args: ["-c", "99999999999"] },
  { args: ["-c", "unlimited"] },
  { args: ["-R", "1"] },
  { args: ["-N", "a", "-x"] },
  { args: ["-t", "-l", "0"] },
  { args: ["-t", "-l", "x"] },
  { args: ["-t", "-x"] },
  { args: ["-x", "-t"] },
  { args: ["-J", "-x"] },
  { args: ["-J"] },
  { args: ["-t", "-r", "1"], stdin: "a b c\n" },
  { args: ["-V"] },
  { args: ["--version"] },
  { args: ["-h"] },
  { args: ["--help"] },
  { args: ["--tab"], stdin: "a b\n" },
];

for (const c of CASES) {
  test(`column ${JSON.stringify(c.args)} ${JSON.stringify(c.stdin ?? "").slice(0, 30)}`, {
    skip,
  }, async () => {
    const { vm, host } = await runBoth(["column", ...c.args], {
      stdin: c.stdin,
      files: c.files,
      env: c.env,
    });
    assert.deepEqual(vm, host);
  });
}
