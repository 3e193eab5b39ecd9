import assert from "node:assert/strict";
import { test } from "node:test";
import { type Fixture, hostHas, type RunResult, runBoth, runInVm } from "./testing.ts";

const skip = hostHas("diff") ? false : "host diff missing";

/** Header timestamps differ between the VM and the host: keep only the names. */
function normalise(r: RunResult): RunResult {
  return {
    ...r,
    stdout: r.stdout
      .replace(/^(---|\+\+\+|\*\*\*) (.+)\t\d{4}-\d\d-\d\d [0-9:.]+ [+-]\d{4}$/gm, "$1 $2")
      .replace(/^(---|\*\*\*) (.+)\t\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/gm, "$1 $2"),
  };
}

async function same(argv: string[], files: Fixture, stdin?: string): Promise<RunResult> {
  const { vm, host } = await runBoth(argv, { files, stdin });
  assert.deepEqual(normalise(vm), normalise(host));
  return vm;
}

const F: Fixture = {
  f1: "a\nb\nc\n",
  f2: "a\nB\nc\nd",
  same: "a\nb\nc\n",
  e: "",
  ws1: "x  y\n\tz\nTitle\n\nend \n",
  ws2: "x y\n        z\ntitle\n\n\nend\n",
  crlf: "a\r\nb\r\n",
  lf: "a\nb\n",
  bin1: "a\0b",
  bin2: "a\0c",
};

const CASES: string[][] = [
  ["f1", "f2"],
  ["-u", "f1", "f2"],
  ["-U", "0", "f1", "f2"],
  ["-U1", "f1", "f2"],
  ["--unified=2", "f1", "f2"],
  ["-c", "f1", "f2"],
  ["-C", "1", "f1", "f2"],
  ["--context", "f1", "f2"],
  ["-q", "f1", "f2"],
  ["--brief", "f1", "same"],
  ["-s", "f1", "same"],
  ["--report-identical-files", "f1", "f2"],
  ["e", "f1"],
  ["-u", "e", "f1"],
  ["-c", "f1", "e"],
  ["-i", "ws1", "ws2"],
  ["-w", "ws1", "ws2"],
  ["-b", "ws1", "ws2"],
  ["-B", "ws1", "ws2"],
  ["-E", "ws1", "ws2"],
  ["-Z", "ws1", "ws2"],
  ["-iwB", "ws1", "ws2"],
  ["-bu", "ws1", "ws2"],
  ["--strip-trailing-cr", "crlf", "lf"],
  ["crlf", "lf"],
  ["bin1", "bin2"],
  ["-q", "bin1", "bin2"],
  ["-a", "bin1", "bin2"],
  ["bin1", "bin1"],
  ["--label", "X", "--label", "Y", "-u", "f1", "f2"],
  ["--label=X", "-c", "f1", "f2"],
  ["-T", "f1", "f2"],
  ["-T", "-u", "ws1", "ws2"],
  ["-t", "ws1", "ws2"],
  ["--color=never", "-u", "f1", "f2"],
  ["--normal", "f1", "f2"],
  ["-d", "-u", "f1", "f2"],
  ["--horizon-lines=5", "-u", "f1", "f2"],
  ["f1", "f2", "-u"],
  ["-u", "--", "f1", "f2"],
  // errors
  ["f1", "missing"],
  ["missing", "f1"],
  ["-N", "f1", "missing"],
  ["-uN", "missing", "f1"],
  ["f1"],
  [],
  ["f1", "f2", "f3"],
  ["-k", "f1", "f2"],
  ["--foo", "f1", "f2"],
  ["--u", "f1", "f2"],
  ["-U", "x", "f1", "f2"],
  ["-U"],
  ["-c", "-u", "f1", "f2"],
  ["--brief=3", "f1", "f2"],
  ["--color=sometimes", "f1", "f2"],
];

for (const argv of CASES) {
  test(`diff ${argv.join(" ")}`, { skip }, async () => {
    await same(["diff", ...argv], F);
  });
}

test("diff reads stdin for -", { skip }, async () => {
  const vm = await same(["diff", "-", "f1"], F, "a\nx\nc\n");
  assert.equal(vm.exitCode, 1);
  await same(["diff", "f1", "-"], F, "a\nb\nc\n");
});

test("diff -u header has GNU's timestamp format", async () => {
  const vm = await runInVm(["diff", "-u", "f1", "f2"], { files: F });
  assert.match(vm.stdout, /^--- f1\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} \+0000\n\+\+\+ f2\t/);
});

const TREE: Fixture = {
  "a/f": "x\n",
  "b/f": "y\n",
  "a/sub/g": "1\n",
  "b/sub/g": "2\n",
  "a/onlya": "q\n",
  "b/onlyb/deep": "z\n",
  "a/x": "k\n",
  "b/x/z": "",
  "a/same": "s\n",
  "b/same": "s\n",
  "a/empty": { dir: true },
};

for (const argv of [
  ["a", "b"],
  ["-r", "a", "b"],
  ["-ru", "a", "b"],
  ["-rN", "a", "b"],
  ["-ruN", "a", "b"],
  ["-rq", "a", "b"],
  ["-rs", "a", "b"],
  ["-r", "--unidirectional-new-file", "a", "b"],
  ["a/f", "b"],
  ["a", "b/f"],
  ["a", "b/nope"],
  ["-r", "a/sub", "b/sub"],
  ["-r", "a/", "b/"],
]) {
  test(`diff dirs ${argv.join(" ")}`, { skip }, async () => {
    await same(["diff", ...argv], TREE);
  });
}

test("diff: unsupported options fail clearly", async () => {
  const vm = await runInVm(["diff", "-y", "f1", "f2"], { files: F });
  assert.equal(vm.exitCode, 2);
  assert.equal(vm.stderr, "diff: option '-y' is not supported\n");
});

/** Deterministic pseudo-random generator (LCG) for the randomized differential test. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

const ALPHABET = ["a", "b", "c", "", "d", "a", "x y", "x  y", "A", " a", "a ", "\tb", "{", "}"];

function randomPair(rnd: () => number, maxLines: number): [string, string] {
  const pick = () => ALPHABET[Math.floor(rnd() * ALPHABET.length)];
  const a: string[] = [];
  const n = Math.floor(rnd() * maxLines);
  for (let i = 0; i < n; i++) a.push(pick());
  let b = [...a];
  if (rnd() < 0.8) {
    const edits = Math.floor(rnd() * (maxLines / 4 + 2));
    for (let k = 0; k < edits; k++) {
      const p = Math.floor(rnd() * (b.length + 1));
      const op = rnd();
      if (op < 0.4) b.splice(p, 0, pick());
      else if (op < 0.7) b.splice(p, 1);
      else b[p] = pick();
    }
  } else {
    b = [];
    const m = Math.floor(rnd() * maxLines);
    for (let i = 0; i < m; i++) b.push(pick());
  }
  const end = (lines: string[]) =>
    lines.length === 0 ? "" : lines.join("\n") + (rnd() < 0.2 ? "" : "\n");
  return [end(a), end(b)];
}

for (const [label, flags, seed, maxLines, count] of [
  ["normal", [], 1, 30, 200],
  ["unified", ["-u"], 2, 30, 200],
  ["context -C1", ["-C1"], 3, 30, 60],
  ["-U0 larger", ["-U0"], 4, 200, 30],
  ["-b -u", ["-b", "-u"], 5, 40, 60],
  ["-w", ["-w"], 6, 40, 60],
  ["-i -B", ["-i", "-B"], 7, 40, 60],
] as [string, string[], number, number, number][]) {
  test(`diff randomized ${label} matches GNU diff`, { skip }, async () => {
    const rnd = lcg(seed);
    for (let t = 0; t < count; t++) {
      const [fa, fb] = randomPair(rnd, maxLines);
      const { vm, host } = await runBoth(["diff", ...flags, "a", "b"], {
        files: { a: fa, b: fb },
      });
      assert.deepEqual(normalise(vm), normalise(host), JSON.stringify({ fa, fb }));
    }
  });
}
