/**
 * Shell suite: the scripts of the shell issue, run by the VM's bash (`exec`), by the host's
 * bash with GNU tools, and by just-bash (npm), each on the same files, with ratios against the
 * host. Outputs are compared so a fast wrong answer cannot pass unnoticed.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { AgentOs } from "@agentos/core";
import { Bash } from "just-bash";
import { measure, type Report, summarize } from "../harness.ts";
import type { SuiteOptions } from "./vm.ts";

const TREE_FILES = 2000;

/** A 2,000-file source tree (20 directories × 100 files, ~12 lines each). */
function sourceTree(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let d = 0; d < 20; d++) {
    for (let f = 0; f < TREE_FILES / 20; f++) {
      const lines: string[] = [];
      for (let l = 0; l < 12; l++) {
        lines.push(
          (d * 100 + f + l) % 37 === 0
            ? `  // TODO: revisit ${d}/${f}/${l}`
            : `  const v${l} = compute(${d}, ${f}, ${l});`,
        );
      }
      files[`tree/d${d}/f${f}.ts`] = `export function f${f}() {\n${lines.join("\n")}\n}\n`;
    }
  }
  return files;
}

interface Case {
  name: string;
  script: string;
  files?: Record<string, string>;
  iterations: number;
  aim?: string;
}

async function runCase(
  report: Report,
  c: Case,
  peers: { vm: AgentOs; vmCwd: string; hostDir: string; justBash: Bash },
): Promise<void> {
  const hostSamples = await measure(
    `host ${c.name}`,
    () => spawnSync("bash", ["-c", c.script], { cwd: peers.hostDir, encoding: "utf8" }),
    { iterations: c.iterations, warmup: 1 },
  );
  const hostOut = spawnSync("bash", ["-c", c.script], {
    cwd: peers.hostDir,
    encoding: "utf8",
  }).stdout;
  const vmSamples = await measure(
    `vm ${c.name}`,
    () => peers.vm.exec(c.script, { cwd: peers.vmCwd }),
    {
      iterations: c.iterations,
      warmup: 1,
    },
  );
  const vmOut = (await peers.vm.exec(c.script, { cwd: peers.vmCwd })).stdout;
  let justOut: string | undefined;
  let justSummary: ReturnType<typeof summarize> | undefined;
  let justNote = "";
  try {
    const justSamples = await measure(
      `just-bash ${c.name}`,
      () => peers.justBash.exec(c.script, { cwd: "/work" }),
      { iterations: c.iterations, warmup: 1 },
    );
    justSummary = summarize(justSamples);
    justOut = (await peers.justBash.exec(c.script, { cwd: "/work" })).stdout;
  } catch (err) {
    justNote = `failed: ${(err as Error).message}`;
  }
  const same = (out: string | undefined): string =>
    out === hostOut ? "" : `; OUTPUT DIFFERS from host (${JSON.stringify(out?.slice(0, 40))})`;
  report.addTiming(c.name, "host", summarize(hostSamples), {
    note: `n=${c.iterations}, bash -c with GNU tools (fresh processes)`,
  });
  report.baseline(c.name, "host");
  report.addTiming(c.name, "agentos", summarize(vmSamples), {
    note: `n=${c.iterations}, vm.exec${c.aim ? `; aim ${c.aim}` : ""}${same(vmOut)}`,
  });
  if (justSummary) {
    report.addTiming(c.name, "just-bash", justSummary, {
      note: `n=${c.iterations}, just-bash ${"3.4"} exec${same(justOut)}`,
    });
  } else report.addMissing(c.name, "just-bash", justNote);
}

export async function shellSuite(report: Report, options: SuiteOptions): Promise<void> {
  const scale = options.quick ? 0.2 : 1;
  const n = (count: number): number => Math.max(3, Math.round(count * scale));
  const tree = sourceTree();
  const hostDir = mkdtempSync(join(tmpdir(), "agentos-bench-shell-"));
  for (const [path, content] of Object.entries(tree)) {
    mkdirSync(dirname(join(hostDir, path)), { recursive: true });
    writeFileSync(join(hostDir, path), content);
  }
  const vm = await AgentOs.create();
  const vmCwd = "/home/user/work";
  await vm.mkdir(vmCwd, { recursive: true });
  await vm.writeFiles(
    Object.entries(tree).map(([path, content]) => ({ path: `${vmCwd}/${path}`, content })),
  );
  const justBash = new Bash({
    files: Object.fromEntries(Object.entries(tree).map(([p, c]) => [`/work/${p}`, c])),
    cwd: "/work",
  });
  try {
    const cases: Case[] = [
      {
        name: "shell: for $(seq 1 1000) echo | grep 7 | wc -l",
        script: "for i in $(seq 1 1000); do echo $i; done | grep 7 | wc -l",
        iterations: n(20),
        aim: "≤ 2× host",
      },
      {
        name: "shell: seq 1 100000 | sort -rn | head -3",
        script: "seq 1 100000 | sort -rn | head -3",
        iterations: n(10),
        aim: "≤ 3× host",
      },
      {
        name: "shell: grep -rn over 2,000 files",
        script: "grep -rn TODO tree | wc -l",
        iterations: n(10),
        aim: "≤ 3× host",
      },
    ];
    for (const lines of [10_000, 50_000, 100_000]) {
      cases.push({
        name: `shell: ${lines.toLocaleString("en-US")}-line pipeline (seq | grep -v 5 | wc -l)`,
        script: `seq 1 ${lines} | grep -v 5 | wc -l`,
        iterations: n(5),
        aim: "linear in lines",
      });
    }
    for (const c of cases) await runCase(report, c, { vm, vmCwd, hostDir, justBash });
  } finally {
    await vm.dispose();
    rmSync(hostDir, { recursive: true, force: true });
  }
}
