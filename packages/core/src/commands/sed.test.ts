import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Fixture, hostHas, runBoth, runInVm } from "./testing.ts";

const skip = hostHas("sed") ? false : "host sed missing";

const FILES: Fixture = {
  "a.txt": "hello world\nfoo bar\nbaz qux\nHello again\nthe end\n",
  "n.txt": "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
  "nonl.txt": "first\nlast without newline",
  "tabs.txt": "a\tb\\c\x01d\n",
  "latin.txt": new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a, 0xff, 0x0a]),
  "r.txt": "R1\nR2\n",
  "script.sed": "s/o/0/g\n/end/d\n",
  "z.dat": "one\0two\0three\0",
  "empty.txt": "",
  "long.txt": `${"abcdefghij".repeat(10)}\n`,
};

type Case = string[] | [string[], string];

const CASES: Case[] = [
  // printing, -n, p, =, l
  ["sed", "p", "a.txt"],
  ["sed", "-n", "p", "a.txt"],
  ["sed", "-n", "2p", "a.txt"],
  ["sed", "-n", "$p", "a.txt"],
  ["sed", "-n", "2,4p", "a.txt"],
  ["sed", "-n", "/foo/,/Hello/p", "a.txt"],
  ["sed", "-n", "/o/p", "a.txt"],
  ["sed", "-n", "/hello/Ip", "a.txt"],
  ["sed", "--quiet", "3p", "a.txt"],
  ["sed", "--silent", "3p", "a.txt"],
  ["sed", "=", "a.txt"],
  ["sed", "-n", "$=", "n.txt"],
  ["sed", "-n", "$=", "a.txt", "n.txt"],
  ["sed", "-s", "-n", "$=", "a.txt", "n.txt"],
  ["sed", "-n", "l", "tabs.txt"],
  ["sed", "-n", "l", "latin.txt"],
  ["sed", "-n", "l", "long.txt"],
  ["sed", "-n", "l 20", "long.txt"],
  ["sed", "-n", "l 0", "long.txt"],
  ["sed", "-n", "l 1", "a.txt"],
  ["sed", "-l", "30", "-n", "l", "long.txt"],
  // addresses
  ["sed", "-n", "0~3p", "n.txt"],
  ["sed", "-n", "1~3p", "n.txt"],
  ["sed", "-n", "2~0p", "n.txt"],
  ["sed", "-n", "3,+2p", "n.txt"],
  ["sed", "-n", "5,~4p", "n.txt"],
  ["sed", "-n", "4,~4p", "n.txt"],
  ["sed", "-n", "0,/1/p", "n.txt"],
  ["sed", "-n", "1,/1/p", "n.txt"],
  ["sed", "-n", "5,2p", "n.txt"],
  ["sed", "-n", "/3/,4p", "n.txt"],
  ["sed", "-n", "/3/,/[0-9]/p", "n.txt"],
  ["sed", "-n", "$!p", "a.txt"],
  ["sed", "2,4!d", "n.txt"],
  ["sed", "-n", "\\,foo,p", "a.txt"],
  ["sed", "-n", "\\%o w%p", "a.txt"],
  ["sed", "-n", "/^$/p", "a.txt"],
  ["sed", "-n", "/a/,+1p", "a.txt"],
  ["sed", "-n", "2{p;p}", "a.txt"],
  ["sed", "-n", "/o/{/w/p}", "a.txt"],
  ["sed", "2,3{s/o/0/;s/a/4/}", "a.txt"],
  ["sed", "-n", "2,3!{p}", "a.txt"],
  ["sed", "1d;$d", "a.txt"],
  // s command
  ["sed", "s/o/0/", "a.txt"],
  ["sed", "s/o/0/g", "a.txt"],
  ["sed", "s/o/0/2", "a.txt"],
  ["sed", "s/l/L/2g", "a.txt"],
  ["sed", "-n", "s/foo/FOO/p", "a.txt"],
  ["sed", "s/HELLO/hi/I", "a.txt"],
  ["sed", "s/hello/hi/i", "a.txt"],
  ["sed", "s/\\(hello\\) \\(world\\)/\\2 \\1/", "a.txt"],
  ["sed", "-E", "s/(\\w+) (\\w+)/\\2 \\1/", "a.txt"],
  ["sed", "-r", "s/o+/<&>/g", "a.txt"],
  ["sed", "s/o/[&]/g;s/\\&/and/", "a.txt"],
  ["sed", "s/o/\\&/g", "a.txt"],
  ["sed", "s/ /\\n/", "a.txt"],
  ["sed", "s/ /\\t/", "a.txt"],
  ["sed", "s|/|:|g", "a.txt"],
  ["sed", "s,o,\\,,g", "a.txt"],
  ["sed", "s/\\w\\+/\\u&/g", "a.txt"],
  ["sed", "s/.*/\\U&/", "a.txt"],
  ["sed", "s/\\(.\\)\\(.*\\)/\\2\\L\\1/", "a.txt"],
  ["sed", "s/o\\(.\\)/\\U\\1x\\Ey/g", "a.txt"],
  ["sed", "s/.*/\\u\\L&/", "a.txt"],
  ["sed", "s/\\w*/\\l\\U&/", "a.txt"],
  ["sed", "s/x*/-/g", "a.txt"],
  ["sed", "s/b*/x/g", "a.txt"],
  ["sed", "s/o*/x/2", "a.txt"],
  ["sed", "-E", "s/(a|ab)(c|bcd)/[\\1|\\2]/", "a.txt"],
  ["sed", "-E", "s/ab|abc/X/"],
  ["sed", "s/^/> /", "a.txt"],
  ["sed", "s/$/ </", "a.txt"],
  ["sed", "s/\\x6f/0/g", "a.txt"],
  ["sed", "s/o/\\x41/g", "a.txt"],
  ["sed", "s/\\o157/0/", "a.txt"],
  ["sed", "s/\\d111/0/", "a.txt"],
  ["sed", "s/\\cA/^A/", "tabs.txt"],
  ["sed", "s/[[:space:]]/_/g", "tabs.txt"],
  ["sed", "s/[\\t]/T/", "tabs.txt"],
  ["sed", "s/\\\\/BS/", "tabs.txt"],
  ["sed", "s/caf./X/", "latin.txt"],
  ["sed", "-n", "/foo/s//FOO/p", "a.txt"],
  ["sed", "s/o/0/w out.txt", "a.txt"],
  ["sed", "-n", "s/o/0/gpw /dev/stdout", "a.txt"],
  ["sed", "N;N;s/\\n/,/g", "n.txt"],
  ["sed", "N;s/^/>/Mg", "a.txt"],
  ["sed", "N;s/$/</M", "a.txt"],
  ["sed", "N;s/o.b/X/", "a.txt"],
  ["sed", "s/\\(a\\)\\|b/\\1X/g", "a.txt"],
  ["sed", "-E", "s/(b)|(z)/[\\2]/g", "a.txt"],
  // y
  ["sed", "y/abc/xyz/", "a.txt"],
  ["sed", "y/o\\n/0N/", "a.txt"],
  ["sed", "N;y/\\n/ /", "a.txt"],
  ["sed", "y,/,|,", "a.txt"],
  // a i c
  ["sed", "2a appended", "a.txt"],
  ["sed", "2a\\  keep spaces", "a.txt"],
  ["sed", "2a\\\nline one\\\nline two", "a.txt"],
  ["sed", "1i inserted", "a.txt"],
  ["sed", "$a end\\tTAB", "a.txt"],
  ["sed", "2c changed", "a.txt"],
  ["sed", "2,3c changed", "a.txt"],
  ["sed", "2,3!c changed", "a.txt"],
  ["sed", "$a tail", "nonl.txt"],
  ["sed", "a\\", "a.txt"],
  ["sed", "-e", "1a\\", "-e", "  two -e parts", "a.txt"],
  ["sed", "2{a foo\n}", "a.txt"],
  ["sed", "1a foo; p", "a.txt"],
  ["sed", "2i\\\nx\\\\y", "a.txt"],
  // hold space and multi-line
  ["sed", "-n", "h;n;G;p", "n.txt"],
  ["sed", "-n", "1!G;h;$p", "n.txt"],
  ["sed", "x;$!d", "n.txt"],
  ["sed", "$!N;P;D", "n.txt"],
  ["sed", "N;P;D", "a.txt"],
  ["sed", "$!N;s/\\n/ /", "n.txt"],
  ["sed", "N", "n.txt"],
  ["sed", "N", "a.txt"],
  ["sed", "-n", "N;p", "a.txt"],
  ["sed", "n;d", "n.txt"],
  ["sed", "-n", "n;p", "n.txt"],
  ["sed", "H;$!d;x;s/\\n/,/g", "n.txt"],
  ["sed", "G", "a.txt"],
  ["sed", "g", "a.txt"],
  ["sed", "z;s/^$/empty/", "a.txt"],
  ["sed", "D", "a.txt"],
  ["sed", "P", "a.txt"],
  // branching
  ["sed", ":a;N;$!ba;s/\\n/+/g", "n.txt"],
  ["sed", "-e", ":a", "-e", "s/^.\\{1,4\\}$/ &/;ta", "n.txt"],
  ["sed", "s/o/0/;t;s/a/A/", "a.txt"],
  ["sed", "s/o/0/;T;s/$/!/", "a.txt"],
  ["sed", "s/x/X/;tend;s/$/ (no x)/;:end", "a.txt"],
  ["sed", "b end; s/a/A/; :end", "a.txt"],
  ["sed", "/foo/b;s/o/0/g", "a.txt"],
  // q Q
  ["sed", "3q", "n.txt"],
  ["sed", "3q5", "n.txt"],
  ["sed", "3Q", "n.txt"],
  ["sed", "3Q7", "n.txt"],
  ["sed", "-n", "3q", "n.txt"],
  ["sed", "2a after\n2q", "n.txt"],
  ["sed", "/5/q;s/$/./", "n.txt"],
  // r R w W F
  ["sed", "2r r.txt", "a.txt"],
  ["sed", "r missing.txt", "n.txt"],
  ["sed", "$r r.txt", "nonl.txt"],
  ["sed", "0r r.txt", "n.txt"],
  ["sed", "R r.txt", "a.txt"],
  ["sed", "-n", "w out.txt", "a.txt"],
  ["sed", "-n", "/o/w /dev/stdout", "a.txt"],
  ["sed", "-n", "N;W /dev/stdout", "a.txt"],
  ["sed", "-n", "1F;1=", "a.txt"],
  ["sed", "F", "nonl.txt"],
  // missing newline handling
  ["sed", "p", "nonl.txt"],
  ["sed", "-n", "p", "nonl.txt"],
  ["sed", "$!d", "nonl.txt"],
  ["sed", "s/last/LAST/", "nonl.txt", "a.txt"],
  ["sed", "-n", "$p", "nonl.txt", "empty.txt"],
  ["sed", "=", "nonl.txt"],
  // -z -s -f -e #n
  ["sed", "-z", "s/o/0/", "z.dat"],
  ["sed", "-z", "-n", "2p;$=", "z.dat"],
  ["sed", "-z", "l", "z.dat"],
  ["sed", "-f", "script.sed", "a.txt"],
  ["sed", "-f", "missing.sed", "a.txt"],
  ["sed", "-e", "s/o/0/", "-e", "s/a/4/", "a.txt"],
  ["sed", "--expression=2d", "--regexp-extended", "a.txt"],
  ["sed", "#n\n2p", "a.txt"],
  ["sed", "#no\n2p", "a.txt"],
  ["sed", "  #n\n2p", "a.txt"],
  ["sed", "2p # comment", "a.txt"],
  ["sed", "-s", "1d", "a.txt", "n.txt"],
  ["sed", "1d", "a.txt", "n.txt"],
  ["sed", "-s", "-n", "1F", "a.txt", "n.txt"],
  ["sed", "-u", "2q", "a.txt"],
  ["sed", "--posix", "p", "a.txt"],
  ["sed", "-n", "/o/=", "a.txt", "-"],
  ["sed", "p", "-", "a.txt"],
  // errors
  ["sed", "p", "nope"],
  ["sed", "p", "nope", "a.txt"],
  ["sed", "p", "."],
  ["sed", "k", "a.txt"],
  ["sed", "s/a/b", "a.txt"],
  ["sed", "s/a/b/;k", "a.txt"],
  ["sed", "-e", "p", "-e", "k", "a.txt"],
  ["sed", "3,", "a.txt"],
  ["sed", "b foo", "a.txt"],
  ["sed", "}", "a.txt"],
  ["sed", "{p", "a.txt"],
  ["sed", "y/abc/de/", "a.txt"],
  ["sed", "y/abc/de", "a.txt"],
  ["sed", "a", "a.txt"],
  ["sed", "r", "a.txt"],
  ["sed", "s/x/y/gg", "a.txt"],
  ["sed", "s/x/y/pp", "a.txt"],
  ["sed", "s/x/y/0", "a.txt"],
  ["sed", "s/x/y/2/3", "a.txt"],
  ["sed", "s/x/y/q", "a.txt"],
  ["sed", "s/x/y/ g", "a.txt"],
  ["sed", "0p", "a.txt"],
  ["sed", "0,5p", "a.txt"],
  ["sed", "+1p", "a.txt"],
  ["sed", "dp", "a.txt"],
  ["sed", "x x", "a.txt"],
  ["sed", ": ", "a.txt"],
  ["sed", "1:a", "a.txt"],
  ["sed", "2!!p", "a.txt"],
  ["sed", "1,2q", "a.txt"],
  ["sed", "1,2{p;p}}", "a.txt"],
  ["sed", "1#x", "a.txt"],
  ["sed", "1}", "a.txt"],
  ["sed", "s/\\(/x/", "a.txt"],
  ["sed", "s/\\(/x/;p", "a.txt"],
  ["sed", "/\\(/p", "a.txt"],
  ["sed", "/x/Ip;/a[/p", "a.txt"],
  ["sed", "s/a**/x/", "a.txt"],
  ["sed", "-E", "s/*a/x/", "a.txt"],
  ["sed", "s/[[:foo:]]/x/", "a.txt"],
  ["sed", "s/[:alpha:]/x/", "a.txt"],
  ["sed", "s/\\(a\\)/\\2/", "a.txt"],
  ["sed", "s//x/", "a.txt"],
  ["sed", "s/x//I;s//y/I", "a.txt"],
  ["sed", "w /nonexistent/dir/x", "a.txt"],
  ["sed", "-k", "p", "a.txt"],
  ["sed", "--bogus", "p", "a.txt"],
  ["sed", "-e"],
  ["sed"],
  ["sed", "-n"],
  ["sed", "-l", "x", "p", "a.txt"],
  ["sed", "-E", "s/(x)?o/[\\1]/", "a.txt"],
  ["sed", "s/[/]/X/", "a.txt"],
  ["sed", "/hello/,/baz/{/hello/n;/baz/!d}", "a.txt"],
  ["sed", "p", "a.txt", "-n"],
  ["sed", "-n", "/foo/,/Hello/{=;p}", "a.txt"],
  ["sed", "s/.*/\"&\"/", "a.txt"],
  ["sed", "1~2{N;s/\n/=/}", "n.txt"],
  ["sed", "-e", "2i\\", "-e", "inserted", "a.txt"],
  ["sed", "--expression=1d", "--", "a.txt"],
  ["sed", "-n", "/foo/{n;p}", "a.txt"],
  ["sed", "y/abc/\\n\\t\\\\/", "a.txt"],
  ["sed", "$!{/foo/c\\\nreplaced\n}", "a.txt"],
  ["sed", "-s", "F", "a.txt", "n.txt"],
  ["sed", "2,4{2d;s/$/!/}", "n.txt"],
  ["sed", "s/a\\|o/X/g", "a.txt"],
  ["sed", "s/\\(o\\)*/X/", "a.txt"],
  ["sed", "-E", "s/l{2,}/X/", "a.txt"],
  ["sed", "s/ /\\\n/", "a.txt"],
  ["sed", "-z", "$!d", "z.dat"],
  ["sed", "20q", "a.txt"],
  ["sed", "-n", "/foo/{:a;N;/end/!ba;p}", "a.txt"],
  ["sed", "s/\\n//", "a.txt"],
  ["sed", "$d", "nonl.txt"],
  ["sed", "N;P;D", "nonl.txt"],
  ["sed", "G", "nonl.txt"],
  ["sed", "-n", "$!{h};${x;p}", "nonl.txt"],
  ["sed", "y/o/0/;s/0/[&]/2", "a.txt"],
  ["sed", "-E", "s/^(.)(.*)$/\\2\\1/", "a.txt"],
  ["sed", "s/\\`h/H/;s/d\\'/D/", "a.txt"],
  ["sed", "-E", "s/\\<./\\u&/g", "a.txt"],
  ["sed", "s/[aeiou]/\\U&/3g", "a.txt"],
  ["sed", "-n", "/\\n/p;N;/o\\nf/p", "a.txt"],
  ["sed", "2 { p ; p } ; 3 d", "a.txt"],
  ["sed", "1,3 ! s/^/#/", "a.txt"],
  ["sed", "/foo/ , /end/ s/^/-/", "a.txt"],
  [["sed", "s/a/b/"], "abc\naaa\n"],
  [["sed", "-n", "$p"], "x\ny\nz"],
  [["sed", "-f", "-", "a.txt"], "s/o/O/g\n"],
  [["sed", "s/\\x00/NUL/"], "a\0b\n"],
  [["sed", "-E", "s/(foo|foobar)baz/[\\1]/"], "foobarbaz\n"],
  [["sed", "N;N;D"], "1\n2\n3\n4\n5\n"],
  [["sed", "$!{h;d};x;G"], "a\nb\nc\n"],
];

describe("sed (differential against GNU sed)", { skip }, () => {
  for (const c of CASES) {
    const [argv, stdin] = Array.isArray(c[0]) ? (c as [string[], string]) : [c as string[], ""];
    it(
      argv.join(" ").replace(/\n/g, "\\n") + (stdin ? ` <<< ${JSON.stringify(stdin)}` : ""),
      async () => {
        const { vm, host } = await runBoth(argv, { files: FILES, stdin });
        assert.deepEqual(vm, host);
      },
    );
  }
});

describe("sed files (w, -i)", { skip }, () => {
  // The result files are read back with cat in the same argv run: run sed then cat in one
  // VM via a small two-step check.
  const check = async (argv: string[], outputs: string[], files: Fixture = FILES) => {
    const { AgentOs } = await import("../vm/agent-os.ts");
    const { runArgv, runOnHost, VM_WORKDIR } = await import("./testing.ts");
    const vm = await AgentOs.create({ env: { LC_ALL: "C", TZ: "UTC" } });
    try {
      await vm.mkdir(VM_WORKDIR, { recursive: true });
      for (const [rel, content] of Object.entries(files)) {
        if (typeof content === "string" || content instanceof Uint8Array) {
          await vm.writeFile(`${VM_WORKDIR}/${rel}`, content);
        }
      }
      const ours = await runArgv(vm, argv, { cwd: VM_WORKDIR });
      const ourFiles: string[] = [];
      for (const o of outputs) {
        try {
          ourFiles.push(new TextDecoder().decode(await vm.readFile(`${VM_WORKDIR}/${o}`)));
        } catch {
          ourFiles.push("<missing>");
        }
      }
      const script = `${argv.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ")}; s=$?; for f in ${outputs.join(" ")}; do printf '==%s\\n' "$f"; cat "$f" 2>/dev/null || printf '<missing>'; done; exit $s`;
      const host = runOnHost(["sh", "-c", script], { files });
      const oursCombined = ours.stdout + outputs.map((o, i) => `==${o}\n${ourFiles[i]}`).join("");
      assert.equal(oursCombined, host.stdout);
      assert.equal(ours.stderr, host.stderr);
      assert.equal(ours.exitCode, host.exitCode);
    } finally {
      await vm.dispose();
    }
  };
  it("w file", () => check(["sed", "-n", "/o/w out.txt", "a.txt"], ["out.txt"]));
  it("s///w file", () => check(["sed", "s/o/0/w out.txt", "a.txt"], ["out.txt"]));
  it("W file", () => check(["sed", "-n", "N;W out.txt", "a.txt"], ["out.txt"]));
  it("-i", () => check(["sed", "-i", "s/o/0/g", "a.txt"], ["a.txt"]));
  it("-i with suffix", () => check(["sed", "-i.bak", "2d", "a.txt"], ["a.txt", "a.txt.bak"]));
  it("--in-place= with *", () =>
    check(["sed", "--in-place=old_*", "1d", "n.txt"], ["n.txt", "old_n.txt"]));
  it("-i on two files, $ per file", () =>
    check(["sed", "-i", "$s/$/!/", "a.txt", "n.txt"], ["a.txt", "n.txt"]));
  it("-i keeps missing newline", () => check(["sed", "-i", "s/l/L/", "nonl.txt"], ["nonl.txt"]));
  it("-i q truncates", () => check(["sed", "-i", "2q", "n.txt"], ["n.txt"]));
  it("-i = goes to the file", () => check(["sed", "-i", "=", "a.txt"], ["a.txt"]));
  it("-i missing file", () => check(["sed", "-i", "p", "nope", "a.txt"], ["a.txt"]));
  it("-i no files", () => check(["sed", "-i", "p"], []));
  it("-s -n $p", () => check(["sed", "-s", "-n", "$p", "a.txt", "n.txt"], []));
});

describe("sed preserves the mode of a file edited in place", () => {
  it("keeps 0755", async () => {
    const { AgentOs } = await import("../vm/agent-os.ts");
    const { runArgv, VM_WORKDIR } = await import("./testing.ts");
    const vm = await AgentOs.create({ env: { LC_ALL: "C" } });
    try {
      await vm.mkdir(VM_WORKDIR, { recursive: true });
      await vm.writeFile(`${VM_WORKDIR}/x.sh`, "echo hi\n");
      await vm.kernel.fs.chmod({ uid: 0, gid: 0, pid: 1 } as never, `${VM_WORKDIR}/x.sh`, 0o755);
      const r = await runArgv(vm, ["sed", "-i", "s/hi/ho/", "x.sh"], { cwd: VM_WORKDIR });
      assert.equal(r.exitCode, 0);
      const st = await vm.kernel.fs.stat({ uid: 0, gid: 0, pid: 1 } as never, `${VM_WORKDIR}/x.sh`);
      assert.equal(st.mode & 0o777, 0o755);
      assert.equal(new TextDecoder().decode(await vm.readFile(`${VM_WORKDIR}/x.sh`)), "echo ho\n");
    } finally {
      await vm.dispose();
    }
  });
});

describe("sed streaming", () => {
  it("handles a large input", async () => {
    let text = "";
    for (let i = 0; i < 30000; i++) text += `line ${i}\n`;
    const { vm, host } = await runBoth(["sed", "-n", "s/9$/nine/p;$=", "n.txt"], {
      files: { "n.txt": text },
      stdin: "",
    });
    assert.deepEqual(vm, host);
  });
  it("reports --debug as unsupported", async () => {
    const r = await runInVm(["sed", "--debug", "p"], { stdin: "a\n" });
    assert.deepEqual(r, {
      stdout: "",
      stderr: "sed: option '--debug' is not supported\n",
      exitCode: 1,
    });
  });
  it("reports the unsupported e command", async () => {
    const r = await runInVm(["sed", "e"], { stdin: "a\n" });
    assert.deepEqual(r, {
      stdout: "",
      stderr: "sed: -e expression #1, char 1: `e' command not supported\n",
      exitCode: 1,
    });
  });
  it("reports unsupported e flag", async () => {
    const r = await runInVm(["sed", "s/a/b/e"], { stdin: "a\n" });
    assert.equal(r.exitCode, 1);
    assert.match(r.stderr, /not supported/);
  });
});
