import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Fixture, type RunResult, runBoth, runInVm } from "./testing.ts";

const files: Fixture = {
  "a.txt": "hello\n",
  "b.c": "int x;\n",
  empty: "",
  "dir/sub/deep.txt": "deep\n",
  "dir/x.TXT": "X\n",
  "dir/.hidden": "h\n",
  "dir/sub/more.c": "c\n",
  emptydir: { dir: true },
  link: { symlink: "a.txt" },
  dangling: { symlink: "nope" },
  dirlink: { symlink: "dir" },
  big: "x".repeat(5000),
  "sp ace": "s\n",
};

/** Readdir order differs between our VFS and ext4: compare records sorted. */
function sorted(r: RunResult, sep = "\n"): RunResult {
  const parts = r.stdout.split(sep);
  const last = parts.pop();
  parts.sort();
  return { ...r, stdout: parts.join(sep) + sep + (last ?? "") };
}

type Case = { argv: string[]; sort?: boolean; sep?: string; stdin?: string; tmp?: boolean };

/** The host runs in a temp dir, the VM in VM_WORKDIR: map one to the other. */
function untmp(r: RunResult): RunResult {
  return { ...r, stdout: r.stdout.replace(/\/tmp\/agentos-diff-[^/\n]*/g, "/home/user/work") };
}

const c = (argv: string[], extra: Partial<Case> = {}): Case => ({ argv, sort: true, ...extra });

const cases: Case[] = [
  c(["find"]),
  c(["find", "."]),
  c(["find", "dir"]),
  c(["find", "dir/"]),
  c(["find", "a.txt", "b.c"]),
  c(["find", ".", "-name", "*.txt"]),
  c(["find", ".", "-name", "*.TXT"]),
  c(["find", ".", "-iname", "*.txt"]),
  c(["find", ".", "-name", ".*"]),
  c(["find", ".", "-name", "[ab].*"]),
  c(["find", ".", "-name", "[!ab]*"]),
  c(["find", ".", "-name", "?.c"]),
  c(["find", ".", "-name", "\\*"]),
  c(["find", ".", "-name", "*[[:digit:]]*"]),
  c(["find", "dir/", "-name", "dir"]),
  c(["find", ".", "-path", "./dir/*"]),
  c(["find", ".", "-path", "*sub*"]),
  c(["find", ".", "-ipath", "*X.txt"]),
  c(["find", ".", "-wholename", "./dir/sub"]),
  c(["find", ".", "-regex", ".*\\.c"]),
  c(["find", ".", "-regex", "\\./dir/\\(sub\\|x\\).*"]),
  c(["find", ".", "-regex", ".*\\.(c|txt)"]),
  c(["find", ".", "-regextype", "posix-extended", "-regex", ".*\\.(c|txt)"]),
  c(["find", ".", "-regextype", "posix-basic", "-regex", ".*/[a-z]\\{4\\}\\.txt"]),
  c(["find", ".", "-iregex", ".*\\.TXT"]),
  c(["find", ".", "-type", "f"]),
  c(["find", ".", "-type", "d"]),
  c(["find", ".", "-type", "l"]),
  c(["find", ".", "-type", "f,l"]),
  c(["find", ".", "-xtype", "l"]),
  c(["find", ".", "-xtype", "d"]),
  c(["find", "-L", ".", "-type", "l"]),
  c(["find", "-L", ".", "-type", "d"]),
  c(["find", "-L", ".", "-xtype", "l"]),
  c(["find", "-H", "dirlink"]),
  c(["find", "dirlink"]),
  c(["find", "dirlink/"]),
  c(["find", "-L", "dirlink", "-name", "*.c"]),
  c(["find", ".", "-follow", "-name", "*.c"]),
  c(["find", ".", "-empty"]),
  c(["find", ".", "-not", "-empty", "-type", "f"]),
  c(["find", ".", "-size", "0"]),
  c(["find", ".", "-size", "+1k"]),
  c(["find", ".", "-size", "-2", "-type", "f"]),
  c(["find", ".", "-size", "5000c"]),
  c(["find", ".", "-size", "10"]),
  c(["find", ".", "-size", "-1M", "-type", "f"]),
  c(["find", ".", "-size", "2500w"]),
  c(["find", ".", "-maxdepth", "1"]),
  c(["find", ".", "-maxdepth", "0"]),
  c(["find", ".", "-mindepth", "2"]),
  c(["find", ".", "-mindepth", "1", "-maxdepth", "1", "-type", "d"]),
  c(["find", ".", "-depth", "-name", "*.c"]),
  c(["find", ".", "-name", "dir", "-prune", "-o", "-type", "f", "-print"]),
  c(["find", ".", "-path", "./dir", "-prune", "-o", "-print"]),
  c(["find", ".", "-name", "*.c", "-o", "-name", "*.txt"]),
  c(["find", ".", "(", "-name", "*.c", "-o", "-name", "*.txt", ")", "-type", "f"]),
  c(["find", ".", "!", "-name", "*.c", "-type", "f"]),
  c(["find", ".", "-name", "a*", "-and", "-type", "f"]),
  c(["find", ".", "-name", "a*", "-a", "-type", "f", "-or", "-name", "b*"]),
  c(["find", ".", "-true"]),
  c(["find", ".", "-false"]),
  c(["find", ".", "-name", "*.c", "-print", ",", "-name", "*.txt", "-print"]),
  c(["find", ".", "-mtime", "0", "-type", "f"]),
  c(["find", ".", "-mtime", "-1", "-type", "f"]),
  c(["find", ".", "-mtime", "+1"]),
  c(["find", ".", "-mmin", "-5", "-type", "f"]),
  c(["find", ".", "-mmin", "+5"]),
  c(["find", ".", "-amin", "-5", "-name", "*.c"]),
  c(["find", ".", "-ctime", "0", "-name", "*.c"]),
  c(["find", ".", "-daystart", "-mtime", "0", "-name", "*.c"]),
  c(["find", ".", "-newer", "nope"]),
  c(["find", ".", "-newermt", "2000-01-01", "-name", "*.c"]),
  c(["find", ".", "-newermt", "2999-01-01"]),
  c(["find", ".", "-newermt", "junk"]),
  c(["find", ".", "-perm", "644", "-type", "f"]),
  c(["find", ".", "-perm", "-u=r", "-type", "f"]),
  c(["find", ".", "-perm", "/111", "-type", "f"]),
  c(["find", ".", "-perm", "-g+w"]),
  c(["find", ".", "-perm", "u+q"]),
  c(["find", ".", "-perm", "999"]),
  c(["find", ".", "-links", "1", "-type", "f"]),
  c(["find", ".", "-links", "+5"]),
  c(["find", ".", "-samefile", "a.txt"]),
  c(["find", "-L", ".", "-samefile", "a.txt"]),
  c(["find", ".", "-readable", "-type", "f"]),
  c(["find", ".", "-writable", "-type", "f"]),
  c(["find", ".", "-executable", "-type", "f"]),
  c(["find", ".", "-nouser"]),
  c(["find", ".", "-nogroup"]),
  c(["find", ".", "-uid", "x"]),
  c(["find", ".", "-user", "nosuch"]),
  c(["find", ".", "-group", "nosuchg"]),
  c(["find", ".", "-print0"], { sep: "\0" }),
  c(["find", ".", "-type", "f", "-printf", "%p %f %h %P %s %d %y %m\\n"]),
  c(["find", "dir", "-printf", "[%H|%P|%f|%h|%d]\\n"]),
  c(["find", ".", "-name", "link", "-printf", "%l|%y|%Y|%M\\n"]),
  c(["find", ".", "-name", "dangling", "-printf", "%l|%y|%Y\\n"]),
  c(["find", ".", "-name", "a.txt", "-printf", "%-10f|%10f|%.2f|%5s|%-5s|\\n"]),
  c(["find", ".", "-name", "a.txt", "-printf", "\\t%p\\0x\\101\\\\\\n"]),
  c(["find", ".", "-name", "a.txt", "-printf", "%p\\c never"]),
  c(["find", ".", "-name", "a.txt", "-printf", "%Q|\\q\\n"]),
  c(["find", ".", "-name", "a.txt", "-printf", "%A"]),
  c(["find", ".", "-name", "a.txt", "-printf", "100%%\\n"]),
  c(["find", ".", "-name", "a.txt", "-printf", "%k %b\\n"]),
  c(["find", ".", "-name", "*.c", "-quit"]),
  c(["find", ".", "-name", "nothing", "-quit"]),
  c(["find", "nope"]),
  c(["find", "nope", "a.txt"]),
  c(["find", "a.txt", "-name", "*.c", "b.c"]),
  c(["find", ".", "-name", "*.c", "b.c"]),
  c(["find", ".", "-foo"]),
  c(["find", ".", "-name"]),
  c(["find", ".", "-type", "q"]),
  c(["find", ".", "-type", "ff"]),
  c(["find", ".", "-type", "f,f"]),
  c(["find", ".", "-type", "f,,d"]),
  c(["find", ".", "-size", "3q"]),
  c(["find", ".", "-size", "x"]),
  c(["find", ".", "-links", "x"]),
  c(["find", ".", "-mtime", "x"]),
  c(["find", ".", "-maxdepth", "x"]),
  c(["find", ".", "-mindepth", "-1"]),
  c(["find", ".", "(", "-name", "a"]),
  c(["find", ".", "-name", "a", ")"]),
  c(["find", ".", "(", ")"]),
  c(["find", ".", "-name", "a", "-o"]),
  c(["find", ".", "!"]),
  c(["find", ".", "-not"]),
  c(["find", ".", "-a"]),
  c(["find", ".", "-regextype", "foo"]),
  c(["find", ".", "-exec", "echo"]),
  c(["find", ".", "-exec", "echo", "{}", "+", "foo", ";"]),
  c(["find", ".", "-exec", "echo", "{}x", "+"]),
  c(["find", ".", "-delete", "-prune"]),
  c(["find", ".", "-type", "f", "-exec", "echo", "file:", "{}", ";"]),
  c(["find", ".", "-name", "*.c", "-exec", "echo", "[{}]", "{}", ";"]),
  c(["find", ".", "-type", "f", "-exec", "false", ";", "-print"]),
  c(["find", ".", "-type", "f", "-exec", "true", ";", "-print"]),
  c(["find", ".", "-name", "*.c", "-exec", "cat", "{}", "+"]),
  c(["find", ".", "-name", "*.c", "-exec", "false", "{}", "+"]),
  c(["find", ".", "-name", "a.txt", "-exec", "nosuchcmd", "{}", ";"]),
  c(["find", "dir", "-name", "*.c", "-execdir", "echo", "{}", ";"]),
  c(["find", "dir", "-type", "f", "-execdir", "pwd", ";"], { tmp: true }),
  c(["find", ".", "-name", "b.c", "-ok", "echo", "{}", ";"], { stdin: "y\n" }),
  c(["find", ".", "-name", "b.c", "-ok", "echo", "{}", ";"], { stdin: "n\n" }),
  c(["find", ".", "-name", "b.c", "-okdir", "echo", "{}", ";"], { stdin: "yes\n" }),
  c(["find", ".", ")"]),
  c(["find", "-P", ".", "-maxdepth", "1", "-name", "link"]),
  c(["find", ".", "-maxdepth", "1", "-name", "a.txt", "-fprint", "out"]),
];

describe("find", () => {
  for (const tc of cases) {
    it(tc.argv.slice(1).join(" ") || "(no args)", async () => {
      let { vm, host } = await runBoth(tc.argv, { files, stdin: tc.stdin });
      if (tc.tmp) host = untmp(host);
      if (tc.sort) assert.deepEqual(sorted(vm, tc.sep), sorted(host, tc.sep));
      else assert.deepEqual(vm, host);
    });
  }

  it("-delete removes files depth first", async () => {
    const r = await runBoth(["find", "dir", "-delete", "-print"], { files });
    assert.deepEqual(sorted(r.vm), sorted(r.host));
    const after = await runBoth(["find", "."], { files: { d: { dir: true } } });
    assert.deepEqual(after.vm, after.host);
  });

  it("-delete on a non-empty directory reports the error", async () => {
    const r = await runBoth(["find", "dir", "-name", "sub", "-delete"], { files });
    assert.deepEqual(r.vm, r.host);
  });

  it("-ls prints the long listing (VM owner differs from the host's)", async () => {
    const vm = await runInVm(["find", "a.txt", "link", "-ls"], { files });
    assert.match(
      vm.stdout,
      /^ +\d+ +\d+ -rw-r--r-- +1 user +user +6 \w{3} [ \d]\d \d\d:\d\d a\.txt\n +\d+ +0 lrwxrwxrwx +1 user +user +5 \w{3} [ \d]\d \d\d:\d\d link -> a\.txt\n$/,
    );
  });

  it("-user, -group, %u %g (VM user is uid 1000)", async () => {
    const vm = await runInVm(
      ["find", "a.txt", "-user", "user", "-group", "1000", "-printf", "%u %g %U %G\\n"],
      {
        files,
      },
    );
    assert.deepEqual(vm, { stdout: "user user 1000 1000\n", stderr: "", exitCode: 0 });
    const none = await runInVm(["find", "a.txt", "-uid", "+1000"], { files });
    assert.equal(none.stdout, "");
  });

  it("-printf time formats", async () => {
    const vm = await runInVm(["find", "a.txt", "-printf", "%TY-%Tm-%Td|%T@|%t|%T+\\n"], {
      files,
    });
    assert.match(
      vm.stdout,
      /^\d{4}-\d\d-\d\d\|\d+\.\d{10}\|\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d\.\d{10} \d{4}\|\d{4}-\d\d-\d\d\+\d\d:\d\d:\d\d\.\d{10}\n$/,
    );
  });

  it("-L reports a symlink loop", async () => {
    const r = await runBoth(["find", "-L", "."], {
      files: { "d/f": "x", "d/up": { symlink: ".." } },
    });
    assert.deepEqual(sorted(r.vm), sorted(r.host));
  });
});
