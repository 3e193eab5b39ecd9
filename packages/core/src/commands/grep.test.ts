import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Fixture, hostHas, runBoth, runInVm } from "./testing.ts";

const skip = hostHas("grep") ? false : "host grep missing";

const FILES: Fixture = {
  "a.txt": "hello world\nHello World\nfoo bar\nfoobar baz\n\nabc abcd\nthe end\n",
  "b.txt": "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n",
  "c.txt": "no newline at end",
  "bin.dat": new Uint8Array([0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x00, 0x0a, 0x77, 0x6f, 0x0a]),
  "pats.txt": "foo\nend\n",
  "latin.txt": new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a, 0x78, 0xff, 0x79, 0x0a]),
  "z.dat": "one\0two\0three\0",
  "d/x.txt": "hello from d\n",
  "d/e/y.txt": "nothing here\n",
  "d/skip.log": "hello log\n",
  "w.txt": "a @foo b\nx@foo\nfoo_bar foo\n",
  "crlf.txt": "hello\r\nworld\r\n",
  "dash.txt": "-x\nx\n",
};

/** Argv run in the VM and on the host with FILES; compared whole. */
const CASES: (string[] | [string[], string])[] = [
  ["grep", "hello", "a.txt"],
  ["grep", "-i", "hello", "a.txt"],
  ["grep", "-y", "HELLO", "a.txt"],
  ["grep", "-v", "o", "a.txt"],
  ["grep", "-c", "o", "a.txt"],
  ["grep", "-c", "o", "a.txt", "b.txt"],
  ["grep", "-n", "o", "a.txt"],
  ["grep", "-b", "o", "a.txt"],
  ["grep", "-nb", "-H", "o", "a.txt"],
  ["grep", "-h", "o", "a.txt", "b.txt"],
  ["grep", "-H", "end", "a.txt"],
  ["grep", "-l", "o", "a.txt", "b.txt", "c.txt"],
  ["grep", "-L", "o", "a.txt", "b.txt", "c.txt"],
  ["grep", "-L", "zzz", "a.txt"],
  ["grep", "-q", "hello", "a.txt"],
  ["grep", "-q", "zzz", "a.txt"],
  ["grep", "-o", "o[a-z]*", "a.txt"],
  ["grep", "-ob", "o[a-z]*", "a.txt"],
  ["grep", "-on", "-E", "ab|abcd", "a.txt"],
  ["grep", "-w", "foo", "a.txt"],
  ["grep", "-w", "abc", "a.txt"],
  ["grep", "-ow", "abc\\|abcd", "a.txt"],
  ["grep", "-x", "foo bar", "a.txt"],
  ["grep", "-x", "-e", "foo", "-e", "the end", "a.txt"],
  ["grep", "-e", "foo", "-e", "end", "a.txt"],
  ["grep", "-f", "pats.txt", "a.txt"],
  ["grep", "-f", "missing.txt", "a.txt"],
  ["grep", "-F", "a.b", "a.txt"],
  ["grep", "-F", "-x", "foo bar", "a.txt"],
  ["grep", "-F", "-i", "-o", "WORLD", "a.txt"],
  ["grep", "-Fw", "foo", "a.txt"],
  ["grep", "-E", "fo+ ?bar", "a.txt"],
  ["grep", "-E", "^(foo|the)", "a.txt"],
  ["grep", "-G", "fo\\+", "a.txt"],
  ["grep", "-P", "\\bba\\w", "a.txt"],
  ["grep", "-P", "foo(?=bar)", "-o", "a.txt"],
  ["grep", "-oP", "\\d+", "b.txt"],
  ["grep", "-P", "-i", "HELLO\\s", "a.txt"],
  ["grep", "-m", "1", "o", "a.txt"],
  ["grep", "-m1", "-c", "o", "a.txt"],
  ["grep", "-m", "0", "o", "a.txt"],
  ["grep", "-A", "1", "three", "b.txt"],
  ["grep", "-B", "2", "five", "b.txt"],
  ["grep", "-C", "1", "-e", "two", "-e", "eight", "b.txt"],
  ["grep", "-C1", "-e", "two", "-e", "four", "b.txt"],
  ["grep", "-2", "six", "b.txt"],
  ["grep", "-nA1", "-e", "three", "-e", "nine", "b.txt"],
  ["grep", "-A1", "-m1", "-e", "t", "b.txt"],
  ["grep", "-A", "0", "-e", "two", "-e", "six", "b.txt"],
  ["grep", "-A1", "--group-separator=XX", "-e", "two", "-e", "six", "b.txt"],
  ["grep", "-A1", "--no-group-separator", "-e", "two", "-e", "six", "b.txt"],
  ["grep", "-vn", "-B1", "[aeiou].*[aeiou]", "b.txt"],
  ["grep", "-c", "-A1", "o", "b.txt"],
  ["grep", "-A1", "e", "a.txt", "b.txt"],
  ["grep", "end", "c.txt"],
  ["grep", "-c", "", "c.txt"],
  ["grep", "hello", "bin.dat"],
  ["grep", "-c", "hello", "bin.dat"],
  ["grep", "-a", "hello", "bin.dat"],
  ["grep", "--binary-files=text", "wo", "bin.dat"],
  ["grep", "-I", "hello", "bin.dat"],
  ["grep", "-I", "-c", "hello", "bin.dat", "a.txt"],
  ["grep", "--binary-files=without-match", "hello", "bin.dat"],
  ["grep", "--binary-files=foo", "hello", "bin.dat"],
  ["grep", "-z", "t", "z.dat"],
  ["grep", "-zc", "o", "z.dat"],
  ["grep", "-Z", "-l", "o", "a.txt", "b.txt"],
  ["grep", "-Z", "-n", "end", "a.txt", "b.txt"],
  ["grep", "--null", "-c", "end", "a.txt", "b.txt"],
  ["grep", "caf.", "latin.txt"],
  ["grep", "-o", "x.y", "latin.txt"],
  ["grep", "-c", "[^a-z]", "latin.txt"],
  ["grep", "hello", "missing", "a.txt"],
  ["grep", "-s", "hello", "missing", "a.txt"],
  ["grep", "-q", "hello", "missing", "a.txt"],
  ["grep", "-q", "zzz", "missing", "a.txt"],
  ["grep", "hello", "d"],
  ["grep", "-s", "hello", "d"],
  ["grep", "-d", "skip", "hello", "d", "a.txt"],
  ["grep", "-r", "hello", "d/e"],
  ["grep", "-r", "hello", "d/x.txt"],
  ["grep", "-r", "--include=*.txt", "hello", "d"],
  ["grep", "-r", "--exclude=*.txt", "hello", "d"],
  ["grep", "-r", "--exclude-dir=e", "nothing", "d"],
  ["grep", "-rh", "nothing", "d"],
  ["grep", "-rl", "nothing", "d"],
  ["grep", "-rc", "nothing", "d/e"],
  ["grep", "--color=always", "o", "a.txt"],
  ["grep", "--color=always", "-n", "-H", "-A1", "two", "b.txt"],
  ["grep", "--color=always", "-o", "-b", "o", "a.txt"],
  ["grep", "--color=always", "-c", "o", "a.txt", "b.txt"],
  ["grep", "--color=always", "-l", "o", "a.txt"],
  ["grep", "--color=always", "-v", "-n", "o", "b.txt"],
  ["grep", "--color=always", "-v", "-A1", "o", "b.txt"],
  ["grep", "--colour=never", "o", "a.txt"],
  ["grep", "--color=bogus", "o", "a.txt"],
  ["grep", "--line-buffered", "two", "b.txt"],
  ["grep", "-T", "-n", "two", "b.txt"],
  ["grep", "-U", "two", "b.txt"],
  ["grep", "-k", "x", "a.txt"],
  ["grep"],
  ["grep", "--foo", "x"],
  ["grep", "--line", "x", "a.txt"],
  ["grep", "--no", "x", "a.txt"],
  ["grep", "--coun", "o", "a.txt"],
  ["grep", "--count=3", "o", "a.txt"],
  ["grep", "-m"],
  ["grep", "-A", "x", "y", "a.txt"],
  ["grep", "-C", "-1", "y", "a.txt"],
  ["grep", "-m", "x", "y", "a.txt"],
  ["grep", "-E", "-F", "x", "a.txt"],
  ["grep", "-d", "foo", "x", "a.txt"],
  ["grep", "\\(", "a.txt"],
  ["grep", "-E", "a{1,2,3}", "a.txt"],
  ["grep", "[[:foo:]]", "a.txt"],
  ["grep", "[:space:]", "a.txt"],
  ["grep", "-E", "*foo", "a.txt"],
  ["grep", "-E", "+foo|{2}x", "a.txt"],
  ["grep", "a.txt", "-e", "end", "-n"],
  ["grep", "--", "-x", "a.txt"],
  ["grep", "--regexp=end", "--line-number", "a.txt"],
  ["grep", "--label=LBL", "-H", "x"],
  ["grep", "-w", ""],
  ["grep", "", "a.txt"],
  ["grep", "-e", "", "-e", "x", "-c", "a.txt"],
  ["grep", "\\(o\\).*\\1", "a.txt"],
  ["grep", "-E", "(l)\\1", "-o", "a.txt"],
  ["grep", "-i", "\\(h\\)ELLO", "a.txt"],
  ["grep", "-e", "hello\nfoo", "a.txt"],
  ["grep", "-x", "-E", "foo|foo bar", "a.txt"],
  ["grep", "-P", "^\\s*$", "-n", "a.txt"],
  ["grep", "-P", "(?i)HELLO", "a.txt"],
  ["grep", "-A2", "-B1", "-n", "-e", "three", "-e", "five", "b.txt"],
  ["grep", "-m2", "-A3", "e", "b.txt"],
  ["grep", "-cv", "e", "b.txt"],
  ["grep", "-Lv", "e", "b.txt", "a.txt"],
  ["grep", "-w", "@foo", "w.txt"],
  ["grep", "-ow", "foo", "w.txt"],
  ["grep", "-F", "-e", "", "-e", "x", "-c", "a.txt"],
  ["grep", "-F", "foo\nend", "a.txt"],
  ["grep", "\\<the\\>", "a.txt"],
  ["grep", "-o", "\\bb..\\b", "a.txt"],
  ["grep", "-E", "-o", "o{,3}", "a.txt"],
  ["grep", "-z", "-o", "t[a-z]*", "z.dat"],
  ["grep", "-bo", "o", "b.txt"],
  ["grep", "-n", "world", "crlf.txt"],
  ["grep", "-c", "d$", "crlf.txt"],
  ["grep", "-i", "CAF", "latin.txt"],
  ["grep", "-h", "-n", "-e", "one", "b.txt", "b.txt"],
  ["grep", "--include=*.txt", "hello", "a.txt", "d/skip.log"],
  ["grep", "--exclude=a*", "hello", "a.txt", "c.txt"],
  ["grep", "-e", "-x", "dash.txt"],
  ["grep", "-e", "a", "-v", "-x", "-c", "b.txt"],
  ["grep", "--color=always", "-i", "-w", "hello", "a.txt"],
  ["grep", "--color=always", "-E", "o|l", "a.txt"],
  ["grep", "--color=always", "-z", "o", "z.dat"],
  ["grep", "--color=always", "-C1", "-m1", "two", "b.txt"],
  ["egrep", "fo+|end", "a.txt"],
  ["fgrep", "a.b", "a.txt"],
  [["grep", "-n", "x"], "axe\nbob\nxx\n"],
  [["grep", "-c", "b", "-", "a.txt"], "bbb\n"],
  [["grep", "-H", "b"], "abc\n"],
  [["grep", "x"], "a\0x\n"],
  [["grep", "-f", "-", "a.txt"], "foo\nthe\n"],
];

describe("grep (differential against GNU grep)", { skip }, () => {
  for (const c of CASES) {
    const [argv, stdin] = Array.isArray(c[0]) ? (c as [string[], string]) : [c as string[], ""];
    it(argv.join(" ") + (stdin ? ` <<< ${JSON.stringify(stdin)}` : ""), async () => {
      const { vm, host } = await runBoth(argv, { files: FILES, stdin });
      assert.deepEqual(vm, host);
    });
  }
});

describe("grep recursion (directory order differs from the host's: lines sorted)", { skip }, () => {
  for (const argv of [
    ["grep", "-r", "hello", "d"],
    ["grep", "-r", "hello"],
    ["grep", "-R", "-n", "o", "d"],
    ["grep", "-rL", "hello", "d"],
    ["grep", "-rc", "e"],
    ["grep", "-r", "--exclude-dir=d", "hello"],
  ]) {
    it(argv.join(" "), async () => {
      const { vm, host } = await runBoth(argv, { files: FILES });
      const sort = (s: string): string => s.split("\n").sort().join("\n");
      assert.equal(sort(vm.stdout), sort(host.stdout));
      assert.equal(vm.stderr, host.stderr);
      assert.equal(vm.exitCode, host.exitCode);
    });
  }
});

describe("grep -P features JS lacks", () => {
  it("rejects possessive quantifiers clearly", async () => {
    const vm = await runInVm(["grep", "-P", "a++", "a.txt"], { files: FILES });
    assert.deepEqual(vm, {
      stdout: "",
      stderr: "grep: possessive quantifiers are not supported in -P patterns\n",
      exitCode: 2,
    });
  });
});

describe("grep streaming", () => {
  it("handles lines split across read chunks", async () => {
    const line = `${"x".repeat(70000)}needle${"y".repeat(70000)}\n`;
    const big = `a\n${line}b\n`.repeat(3);
    const vm = await runInVm(["grep", "-c", "needle", "big.txt"], { files: { "big.txt": big } });
    assert.deepEqual(vm, { stdout: "3\n", stderr: "", exitCode: 0 });
  });
  it("searches a large input", async () => {
    let text = "";
    for (let i = 0; i < 50000; i++) text += `line ${i}\n`;
    const { vm, host } = await runBoth(["grep", "-n", "99$"], { files: { "n.txt": text } });
    assert.deepEqual(vm, host);
  });
});
