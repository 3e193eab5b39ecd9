import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { AgentOs } from "../vm/agent-os.ts";
import { COMPARABLE_ENV, runArgv, VM_WORKDIR } from "./testing.ts";

/** Output plus every file left in the working directory (split's real output). */
interface SplitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  files: Record<string, string>;
}

async function inVm(
  argv: string[],
  files: Record<string, string>,
  stdin?: string,
): Promise<SplitResult> {
  const vm = await AgentOs.create({ env: COMPARABLE_ENV });
  try {
    await vm.mkdir(VM_WORKDIR, { recursive: true });
    for (const [name, content] of Object.entries(files))
      await vm.writeFile(`${VM_WORKDIR}/${name}`, content);
    const r = await runArgv(vm, argv, { cwd: VM_WORKDIR, stdin });
    const out: Record<string, string> = {};
    for (const name of (await vm.readdir(VM_WORKDIR)).sort()) {
      out[name] = Buffer.from(await vm.readFile(`${VM_WORKDIR}/${name}`)).toString("latin1");
    }
    return { ...r, files: out };
  } finally {
    await vm.dispose();
  }
}

function onHost(argv: string[], files: Record<string, string>, stdin?: string): SplitResult {
  const dir = mkdtempSync(join(tmpdir(), "agentos-split-"));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const r = spawnSync(argv[0], argv.slice(1), {
      cwd: dir,
      env: { PATH: "/usr/bin:/bin", ...COMPARABLE_ENV },
      input: stdin ?? "",
    });
    const out: Record<string, string> = {};
    for (const name of readdirSync(dir).sort())
      out[name] = readFileSync(join(dir, name)).toString("latin1");
    return {
      stdout: r.stdout.toString(),
      stderr: r.stderr.toString(),
      exitCode: r.status ?? -1,
      files: out,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const lines = Array.from({ length: 25 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
const ten = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
const files = { in: lines, ten, t10: "abcdefghij", long: "short\nthis is a much longer line\nx\n" };

const cases: [string, string[], string?][] = [
  ["default lines", ["split", "in"]],
  ["-l 10", ["split", "-l", "10", "in"]],
  ["-l with prefix", ["split", "-l", "7", "in", "part_"]],
  ["stdin", ["split", "-l", "3"], ten],
  ["stdin dash with prefix", ["split", "-l", "3", "-", "p"], ten],
  ["-b", ["split", "-b", "7", "in"]],
  ["-b with K suffix", ["split", "-b", "1K", "in"]],
  ["-C", ["split", "-C", "12", "long"]],
  ["-d", ["split", "-d", "-l", "5", "in"]],
  ["-x", ["split", "-x", "-l", "2", "in"]],
  ["--numeric-suffixes=FROM", ["split", "--numeric-suffixes=3", "-l", "10", "in"]],
  ["-a 3", ["split", "-a", "3", "-l", "10", "in"]],
  [
    "additional suffix verbose",
    ["split", "-l", "3", "-d", "--additional-suffix=.txt", "--verbose", "ten", "part_"],
  ],
  ["-n 3", ["split", "-n", "3", "ten"]],
  ["-n 4 bytes", ["split", "-n", "4", "t10"]],
  ["-n 20", ["split", "-n", "20", "t10"]],
  ["-n 20 -e", ["split", "-e", "-n", "20", "t10"]],
  ["-n l/3", ["split", "-n", "l/3", "ten"]],
  ["-n l/4 long lines", ["split", "-n", "l/4", "long"]],
  ["-n 2/3", ["split", "-n", "2/3", "ten"]],
  ["-n l/2/3", ["split", "-n", "l/2/3", "ten"]],
  ["-n r/3", ["split", "-n", "r/3", "ten"]],
  ["-n r/2/3", ["split", "-n", "r/2/3", "ten"]],
  ["-n stdin", ["split", "-n", "2"], ten],
  ["-t separator", ["split", "-t", ",", "-l", "2"], "a,b,c,d,e"],
  ["suffix widening", ["split", "-l", "1", "many"]],
  ["suffixes exhausted", ["split", "-a", "1", "-l", "1", "many"]],
  ["-l 0", ["split", "-l", "0", "ten"]],
  ["-b 0", ["split", "-b", "0", "ten"]],
  ["-n 0", ["split", "-n", "0", "ten"]],
  ["bad -l", ["split", "-l", "x", "ten"]],
  ["extra operand", ["split", "a", "b", "c"]],
  ["missing file", ["split", "nope"]],
  ["bad option", ["split", "-q"]],
  ["empty input", ["split"], ""],
];

const many = Array.from({ length: 700 }, (_, i) => `${i}`).join("\n") + "\n";

for (const [name, argv, stdin] of cases) {
  test(`split: ${name}`, async () => {
    const fixture = { ...files, many };
    const vm = await inVm(argv, fixture, stdin);
    const host = onHost(argv, fixture, stdin);
    assert.deepEqual(vm, host);
  });
}
