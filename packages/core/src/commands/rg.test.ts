import assert from "node:assert/strict";
import { test } from "node:test";
import { type Fixture, hostHas, runBoth, runInVm, runScriptBoth } from "./testing.ts";

const skip = hostHas("rg") ? false : "host rg missing";

const F: Fixture = {
  "a.txt": "hello world\nfoo\nHello again\nbar\nbaz\nhello there\n",
  "sub/b.js": "x hello\nconst y = 1;\n",
  "sub/c.ts": "let hello: string;\n",
  "sub/deep/d.py": "def hello():\n    pass\n",
  "ign.log": "ignored hello\n",
  ".ignore": "*.log\n",
  ".h": "hidden hello\n",
  "bin.dat": "bin\0hello\n",
  "notes.md": "# Hello\nsee hello_world and hello-there\n",
};

// rg walks directories in parallel on the host; our VM visits paths in order. Sorting the
// host's lines (with --sort path where the output has several lines per file) keeps the
// comparison exact.
const CASES: string[][] = [
  ["hello", "--sort", "path"],
  ["-n", "hello", "--sort", "path"],
  ["-N", "hello", "a.txt"],
  ["hello", "a.txt"],
  ["-n", "hello", "a.txt"],
  ["-i", "HELLO", "--sort", "path"],
  ["-S", "hello", "--sort", "path"],
  ["-S", "Hello", "--sort", "path"],
  ["-s", "Hello", "--sort", "path"],
  ["-w", "hello", "--sort", "path"],
  ["-x", "foo", "a.txt"],
  ["-v", "hello", "a.txt"],
  ["-c", "hello", "--sort", "path"],
  ["-l", "hello", "--sort", "path"],
  ["--files-without-match", "zzz", "--sort", "path"],
  ["-o", "h[a-z]+", "a.txt"],
  ["-e", "foo", "-e", "bar", "a.txt"],
  ["-F", "hello.", "a.txt"],
  ["-F", "(", "a.txt"],
  ["-g", "*.js", "hello", "--sort", "path"],
  ["-g", "!*.js", "hello", "--sort", "path"],
  ["-t", "py", "hello", "--sort", "path"],
  ["-T", "js", "hello", "--sort", "path"],
  ["--type", "md", "hello", "--sort", "path"],
  ["--hidden", "hello", "--sort", "path"],
  ["--no-ignore", "hello", "--sort", "path"],
  ["-u", "hello", "--sort", "path"],
  ["-uu", "hello", "--sort", "path"],
  ["-A", "1", "foo", "a.txt"],
  ["-B", "1", "foo", "a.txt"],
  ["-C", "1", "foo", "a.txt"],
  ["-n", "-C1", "hello", "a.txt"],
  ["-C1", "-n", "hello", "--sort", "path"],
  ["-m", "1", "hello", "a.txt"],
  ["--max-count=1", "hello", "--sort", "path"],
  ["--max-depth", "1", "hello", "--sort", "path"],
  ["-0", "-l", "hello", "--sort", "path"],
  ["-H", "hello", "a.txt"],
  ["--no-filename", "hello", "--sort", "path"],
  ["--heading", "hello", "--sort", "path"],
  ["--no-heading", "hello", "--sort", "path"],
  ["--files", "--sort", "path"],
  ["--files", "sub", "--sort", "path"],
  ["-r", "X", "hello", "a.txt"],
  ["-r", "[$1]", "(h)ello", "a.txt"],
  ["-o", "-r", "<$0>", "hel+", "a.txt"],
  ["(?i)hello", "a.txt"],
  ["(?P<w>hel)lo", "-r", "$" + "{w}", "a.txt"],
  ["hello\\b", "notes.md"],
  ["[[:upper:]]ello", "--sort", "path"],
  ["hello", "sub", "--sort", "path"],
  ["hello", "sub/", "--sort", "path"],
  ["hello", "a.txt", "sub/b.js", "--sort", "path"],
  ["--color", "never", "hello", "a.txt"],
  ["zzz"],
  ["hello", "nope"],
  ["hello", "a.txt", "nope"],
  ["--max-columns", "10", "hello", "a.txt"],
  ["-n", "-M", "10", "-C1", "hello", "a.txt"],
  ["-o", "--max-columns=3", "hel+", "a.txt"],
  ["--max-columns", "0", "hello", "a.txt"],
  ["-k", "x"],
  ["-A"],
  [],
];

for (const argv of CASES) {
  test(`rg ${argv.join(" ")}`, { skip }, async () => {
    const { vm, host } = await runBoth(["rg", ...argv], { files: F });
    assert.deepEqual(vm, host);
  });
}

test("rg honours .gitignore only inside a git repository", { skip }, async () => {
  const files: Fixture = { ".gitignore": "a.txt\n", "a.txt": "hello\n", "b.txt": "hello\n" };
  const plain = await runBoth(["rg", "hello", "--sort", "path"], { files });
  assert.deepEqual(plain.vm, plain.host);
  const git = await runBoth(["rg", "hello", "--sort", "path"], {
    files: { ...files, ".git/HEAD": "ref: refs/heads/main\n" },
  });
  assert.deepEqual(git.vm, git.host);
});

test("rg globs match an absolute search root's files relative to the working directory", {
  skip,
}, async () => {
  // What Claude Code's Grep tool runs: an absolute root with negated directory globs.
  const files: Fixture = {
    "proj/a.js": "hello\n",
    "proj/.git/config": "hello\n",
    "proj/sub/b.txt": "hello\n",
  };
  const script = [
    `rg --hidden --glob '!.git' --glob '!.svn' -l hello "$PWD/proj" | sed "s|$PWD/||" | sort`,
    `rg -l --glob '*.js' hello "$PWD/proj" | sed "s|$PWD/||"`,
    `rg -l --glob 'proj/sub/*' hello "$PWD/proj" | sed "s|$PWD/||"`,
  ].join("; ");
  const { vm, host } = await runScriptBoth(script, { files });
  assert.deepEqual(vm, host);
});

test("rg searches piped stdin", { skip }, async () => {
  const { vm, host } = await runBoth(["rg", "b"], { stdin: "a\nb\nc\n" });
  assert.deepEqual(vm, host);
});

test("rg reports a regex parse error", async () => {
  // The wording of Rust's regex errors is not reproduced; the status and the header are.
  const vm = await runInVm(["rg", "("], { files: F });
  assert.equal(vm.exitCode, 2);
  assert.match(vm.stderr, /^regex parse error:\n/);
});

test("rg --json is reported as unsupported", async () => {
  const vm = await runInVm(["rg", "--json", "x"], { files: F });
  assert.equal(vm.exitCode, 2);
  assert.match(vm.stderr, /--json/);
});
