/**
 * csplit: differential against GNU csplit on the host, comparing stdout, stderr, the exit
 * status and every file left in the working directory (names and bytes).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { AgentOs } from "../vm/agent-os.ts";
import { COMPARABLE_ENV, hostHas, runArgv, VM_WORKDIR } from "./testing.ts";

const skip = hostHas("csplit") ? false : "host has no csplit";

interface Outcome {
  stdout: string;
  stderr: string;
  exitCode: number;
  files: Record<string, string>;
}

type Files = Record<string, string | Uint8Array>;

async function inVm(args: string[], files: Files, stdin?: string): Promise<Outcome> {
  const vm = await AgentOs.create({ env: COMPARABLE_ENV });
  try {
    await vm.mkdir(VM_WORKDIR, { recursive: true });
    for (const [name, content] of Object.entries(files)) {
      await vm.writeFile(`${VM_WORKDIR}/${name}`, content);
    }
    const r = await runArgv(vm, ["csplit", ...args], { cwd: VM_WORKDIR, stdin });
    const out: Record<string, string> = {};
    for (const name of (await vm.readdir(VM_WORKDIR)).sort()) {
      out[name] = Buffer.from(await vm.readFile(`${VM_WORKDIR}/${name}`)).toString("hex");
    }
    return { ...r, files: out };
  } finally {
    await vm.dispose();
  }
}

function onHost(args: string[], files: Files, stdin?: string): Outcome {
  const dir = mkdtempSync(join(tmpdir(), "agentos-csplit-"));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const r = spawnSync("csplit", args, {
      cwd: dir,
      env: { PATH: "/usr/bin:/bin", ...COMPARABLE_ENV },
      input: stdin ?? "",
    });
    const out: Record<string, string> = {};
    for (const name of readdirSync(dir).sort()) {
      out[name] = readFileSync(join(dir, name)).toString("hex");
    }
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

const TEN = `${Array.from({ length: 10 }, (_, i) => i + 1).join("\n")}\n`;
const SECTIONS = "intro\n== one\na\nb\n== two\nc\n== three\nd\ne\nf\n";
const files = (extra: Files = {}): Files => ({ f: TEN, s: SECTIONS, ...extra });

const CASES: { args: string[]; files?: Files; stdin?: string }[] = [
  // line numbers
  { args: ["f", "3"] },
  { args: ["f", "3", "7"] },
  { args: ["f", "3", "{2}"] },
  { args: ["f", "3", "{5}"] },
  { args: ["f", "2", "{*}"] },
  { args: ["f", "10"] },
  { args: ["f", "11"] },
  { args: ["f", "5", "5"] },
  { args: ["f", "5", "3"] },
  { args: ["f", "0"] },
  { args: ["f", "x"] },
  { args: ["f", "-3"] },
  { args: ["f", "+3"] },
  { args: ["f", "a'b"] },
  { args: ["f", "\u00e9"] },
  { args: ["f", "a\tb"] },
  { args: ["f", "\\x"] },
  { args: ["f", "3", "--suppress-matched"] },
  { args: ["f", "3", "5", "--suppress-matched"] },
  { args: ["f", "3", "{*}", "--suppress-matched"] },
  { args: ["f", "10", "--suppress-matched"] },
  // regexes
  { args: ["s", "/^==/"] },
  { args: ["s", "/^==/", "{*}"] },
  { args: ["s", "/^==/", "{1}"] },
  { args: ["s", "/^==/", "{3}"] },
  { args: ["s", "/^== two/"] },
  { args: ["s", "/^== two/+1"] },
  { args: ["s", "/^== two/-1"] },
  { args: ["s", "/^== two/-3"] },
  { args: ["s", "/^== two/-9"] },
  { args: ["s", "/^== two/+20"] },
  { args: ["s", "%^== two%"] },
  { args: ["s", "%^== two%+1"] },
  { args: ["s", "%^==%", "{*}"] },
  { args: ["s", "%^== one%", "/^== three/"] },
  { args: ["s", "/nomatch/"] },
  { args: ["s", "%nomatch%"] },
  { args: ["s", "/^==/", "/nomatch/"] },
  { args: ["s", "/^==/", "{*}", "--suppress-matched"] },
  { args: ["s", "--suppress-matched", "/^== two/", "/^== three/"] },
  { args: ["s", "/^== \\(one\\|two\\)/", "{*}"] },
  { args: ["s", "/[[:digit:]]/"] },
  { args: ["s", "/e$/"] },
  { args: ["f", "/5/", "2"] },
  { args: ["f", "2", "/5/", "8"] },
  { args: ["f", "/10/+1", "3"] },
  { args: ["s", "/x"] },
  { args: ["s", "/a/x"] },
  { args: ["s", "/a/", "{x}"] },
  { args: ["s", "/a/", "{2"] },
  { args: ["s", "/\\(/"] },
  { args: ["s", "/a\\{1/"] },
  // options
  { args: ["-f", "part-", "f", "4"] },
  { args: ["--prefix=p", "-n", "4", "f", "4"] },
  { args: ["-b", "%03d.txt", "f", "4"] },
  { args: ["-b", "_%x_", "f", "2", "{*}"] },
  { args: ["-b", "%#5.3x_%%", "f", "3", "7"] },
  { args: ["-b", "%-4d|", "f", "5"] },
  { args: ["-b", "%#o", "f", "5"] },
  { args: ["-b", "%u", "f", "5"] },
  { args: ["-b", "%d %d", "f", "3"] },
  { args: ["-b", "a", "f", "3"] },
  { args: ["-b", "%+d", "f", "3"] },
  { args: ["-b", "%#d", "f", "3"] },
  { args: ["-b", "%'x", "f", "3"] },
  { args: ["-b", "%", "f", "3"] },
  { args: ["-s", "f", "4"] },
  { args: ["--quiet", "f", "4"] },
  { args: ["-z", "f", "1", "5"] },
  { args: ["-z", "s", "/intro/", "/^==/", "{*}"] },
  { args: ["f", "1", "5"] },
  { args: ["-k", "f", "3", "20"] },
  { args: ["-k", "s", "/^==/", "/nomatch/"] },
  { args: ["-n", "-1", "f", "3"] },
  { args: ["-n", "99999999999", "f", "3"] },
  { args: ["-n", "x", "f", "3"] },
  { args: ["-n", "1", "f", "2", "{*}"] },
  // input and usage
  { args: ["-", "2"], stdin: "a\nb\nc\n" },
  { args: ["-", "1"], stdin: "a\n" },
  { args: ["empty", "1"], files: { empty: "" } },
  { args: ["empty", "/x/"], files: { empty: "" } },
  { args: ["empty", "%x%", "{*}"], files: { empty: "" } },
  { args: ["nonl", "2"], files: { nonl: "a\nb\nc" } },
  { args: ["bin", "/\\x/"], files: { bin: Uint8Array.from([0x61, 0xff, 0x0a, 0x00, 0x62, 0x0a]) } },
  { args: ["nonexist", "3"] },
  { args: ["f"] },
  { args: [] },
  { args: ["-q", "-x", "f", "3"] },
  { args: ["--bogus", "f", "3"] },
  { args: ["--help"] },
  { args: ["--version"] },
];

for (const c of CASES) {
  test(`csplit ${JSON.stringify(c.args)}`, { skip }, async () => {
    const fx = c.files ?? files();
    assert.deepEqual(await inVm(c.args, fx, c.stdin), onHost(c.args, fx, c.stdin));
  });
}
