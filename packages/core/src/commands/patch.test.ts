import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { AgentOs } from "../vm/agent-os.ts";
import { COMPARABLE_ENV, hostHas, runArgv, VM_WORKDIR } from "./testing.ts";

const skip = hostHas("patch") ? false : "host patch missing";

type Files = Record<string, string>;

interface Outcome {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Every file left in the working directory, with its content. */
  tree: Files;
}

/** Diff header timestamps are not part of what we compare. */
const norm = (s: string) => s.replace(/\t\d{4}-\d\d-\d\d [0-9:.]+ [+-]\d{4}/g, "\tTIME");

async function inVm(argv: string[], files: Files, stdin: string): Promise<Outcome> {
  const vm = await AgentOs.create({ env: COMPARABLE_ENV });
  try {
    await vm.mkdir(VM_WORKDIR, { recursive: true });
    for (const [rel, content] of Object.entries(files)) {
      const path = `${VM_WORKDIR}/${rel}`;
      await vm.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
      await vm.writeFile(path, content);
    }
    const r = await runArgv(vm, argv, { cwd: VM_WORKDIR, stdin });
    const tree: Files = {};
    for (const e of await vm.readdirRecursive(VM_WORKDIR)) {
      if (e.type !== "file") continue;
      tree[e.path.slice(VM_WORKDIR.length + 1)] = norm(
        new TextDecoder().decode(await vm.readFile(e.path)),
      );
    }
    return { ...r, tree };
  } finally {
    await vm.dispose();
  }
}

function onHost(argv: string[], files: Files, stdin: string): Outcome {
  const dir = mkdtempSync(join(tmpdir(), "agentos-patch-"));
  try {
    for (const [rel, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), content);
    }
    const r = spawnSync(argv[0], argv.slice(1), {
      cwd: dir,
      env: { PATH: "/usr/bin:/bin", ...COMPARABLE_ENV },
      input: stdin,
    });
    const tree: Files = {};
    const walk = (rel: string): void => {
      for (const name of readdirSync(join(dir, rel))) {
        const sub = rel ? `${rel}/${name}` : name;
        if (statSync(join(dir, sub)).isDirectory()) walk(sub);
        else tree[sub] = norm(readFileSync(join(dir, sub), "utf8"));
      }
    };
    walk("");
    return {
      stdout: r.stdout.toString(),
      stderr: r.stderr.toString(),
      exitCode: r.status ?? -1,
      tree,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function same(argv: string[], files: Files, stdin = ""): Promise<Outcome> {
  const vm = await inVm(argv, files, stdin);
  const host = onHost(argv, files, stdin);
  assert.deepEqual(vm, host);
  return vm;
}

const seq = (a: number, b: number, edit: (n: number) => string = String) =>
  Array.from({ length: b - a + 1 }, (_, k) => `${edit(a + k)}\n`).join("");

/** A unified diff from `old` to `new` made by the host's GNU diff. */
function makePatch(oldText: string, newText: string, names = ["x", "x"], args = ["-u"]): string {
  const dir = mkdtempSync(join(tmpdir(), "agentos-mkpatch-"));
  try {
    mkdirSync(join(dir, "o"));
    mkdirSync(join(dir, "n"));
    writeFileSync(join(dir, "o", "f"), oldText);
    writeFileSync(join(dir, "n", "f"), newText);
    const r = spawnSync("diff", [...args, "--label", names[0], "--label", names[1], "o/f", "n/f"], {
      cwd: dir,
    });
    return r.stdout.toString();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const X = seq(1, 20);
const X5 = seq(1, 20, (n) => (n === 5 ? "five" : String(n)));
const P1 = makePatch(X, X5);
const Y30 = seq(1, 30);
const Y30b = `A\nB\n${seq(1, 30, (n) => (n === 20 ? "twenty" : String(n)))}`;
const P2 = makePatch(Y30, Y30b);

const CASES: [string, string[], Files, string][] = [
  ["clean apply from stdin", ["patch"], { x: X }, P1],
  ["-i file", ["patch", "-i", "p"], { x: X, p: P1 }, ""],
  ["--input=file", ["patch", "--input=p"], { x: X, p: P1 }, ""],
  ["offset", ["patch"], { x: `0\n00\n${X}` }, P1],
  ["negative offset", ["patch"], { x: seq(3, 20) }, P1],
  [
    "failed hunk writes .rej",
    ["patch"],
    { x: seq(1, 20, (n) => (n === 5 ? "FIVE" : String(n))) },
    P1,
  ],
  ["fuzz", ["patch"], { x: seq(1, 30, (n) => (n === 17 ? "s" : String(n))) }, P2],
  [
    "fuzz 1 both ends",
    ["patch"],
    { x: seq(1, 30, (n) => (n === 17 ? "s" : n === 23 ? "t" : String(n))) },
    P2,
  ],
  [
    "-F0 disables fuzz",
    ["patch", "-F0"],
    { x: seq(1, 30, (n) => (n === 17 ? "s" : String(n))) },
    P2,
  ],
  ["first hunk must match start", ["patch"], { x: `0\n${Y30}` }, P2],
  ["dry run", ["patch", "--dry-run"], { x: X }, P1],
  [
    "dry run failing",
    ["patch", "--dry-run"],
    { x: seq(1, 20, (n) => (n === 5 ? "F" : String(n))) },
    P1,
  ],
  ["already applied", ["patch"], { x: X5 }, P1],
  ["already applied -N", ["patch", "-N"], { x: X5 }, P1],
  ["-R", ["patch", "-R"], { x: X5 }, P1],
  ["-R on unpatched", ["patch", "-R"], { x: X }, P1],
  ["-t assumes -R", ["patch", "-t"], { x: X5 }, P1],
  ["-b backup", ["patch", "-b"], { x: X }, P1],
  ["-o output", ["patch", "-o", "out"], { x: X }, P1],
  ["-s silent", ["patch", "-s"], { x: `0\n${X}` }, P1],
  ["--no-backup-if-mismatch", ["patch", "--no-backup-if-mismatch"], { x: `0\n${X}` }, P1],
  ["-d dir", ["patch", "-d", "sub"], { "sub/x": X }, P1],
  ["missing file", ["patch"], {}, P1],
  ["missing file -f", ["patch", "-f"], {}, P1],
  ["garbage", ["patch"], { x: X }, "hello\nworld\n"],
  ["bad -p", ["patch", "-p", "x"], { x: X }, P1],
  ["bad option", ["patch", "-k"], { x: X }, P1],
  ["no newline at end", ["patch"], { x: "a\nb" }, makePatch("a\nb", "a\nc")],
  ["adds newline at end", ["patch"], { x: "a\nb" }, makePatch("a\nb", "a\nb\n")],
  ["removes newline at end", ["patch"], { x: "a\nb\n" }, makePatch("a\nb\n", "a\nb")],
];

for (const [name, argv, files, stdin] of CASES) {
  test(`patch: ${name}`, { skip }, async () => {
    await same(argv, files, stdin);
  });
}

const TREE_PATCH = [
  "diff -ruN a/m b/m",
  "--- a/m\t2026-11-21 21:22:18.361960006 +0000",
  "+++ b/m\t2026-11-21 21:22:18.363683722 +0000",
  "@@ -1,4 +1,4 @@",
  "-1",
  "+one",
  " 2",
  " 3",
  " 4",
  "@@ -6,5 +6,5 @@",
  " 6",
  " 7",
  " 8",
  "-9",
  "+nine",
  " 10",
  "diff -ruN a/n b/n",
  "--- a/n\t1970-01-01 00:00:00.000000000 +0000",
  "+++ b/n\t2026-11-21 21:22:18.356904311 +0000",
  "@@ -0,0 +1 @@",
  "+new",
  "diff -ruN a/o b/o",
  "--- a/o\t2026-11-21 21:22:18.356904311 +0000",
  "+++ b/o\t1970-01-01 00:00:00.000000000 +0000",
  "@@ -1 +0,0 @@",
  "-old",
  "",
].join("\n");

for (const [name, argv, files] of [
  ["-p1 create, modify, delete", ["patch", "-p1"], { m: seq(1, 10), o: "old\n" }],
  ["--strip=1", ["patch", "--strip=1"], { m: seq(1, 10), o: "old\n" }],
  ["-p0 into directories", ["patch", "-p0"], { "a/m": seq(1, 10), "a/o": "old\n" }],
  ["no -p with missing files", ["patch"], {}],
  [
    "-p1 partial failure",
    ["patch", "-p1"],
    { m: seq(1, 10, (n) => (n === 2 ? "TWO" : String(n))), o: "old\n" },
  ],
  [
    "-R -p1 undo",
    ["patch", "-R", "-p1"],
    { m: seq(1, 10, (n) => (n === 1 ? "one" : n === 9 ? "nine" : String(n))), n: "new\n" },
  ],
] as [string, string[], Files][]) {
  test(`patch tree: ${name}`, { skip }, async () => {
    await same(argv, files, TREE_PATCH);
  });
}
