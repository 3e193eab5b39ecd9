/**
 * Benchmark entry: `node --expose-gc bench/run.ts [suite...] [--json] [--quick]`.
 * Runs the named suites (default: all), then prints one report.
 */
import { execFileSync } from "node:child_process";
import { cpus } from "node:os";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { GC_HELP, gcAvailable, Report } from "./harness.ts";
import { agentsSuite } from "./suites/agents.ts";
import { fsSuite } from "./suites/fs.ts";
import { nodeSuite } from "./suites/node.ts";
import { shellSuite } from "./suites/shell.ts";
import { snapshotSuite } from "./suites/snapshot.ts";
import { toolsSuite } from "./suites/tools.ts";
import { type SuiteOptions, vmSuite } from "./suites/vm.ts";

type Suite = (report: Report, options: SuiteOptions) => Promise<void>;

const SUITES: Record<string, Suite> = {
  vm: vmSuite,
  shell: shellSuite,
  fs: fsSuite,
  node: nodeSuite,
  tools: toolsSuite,
  agents: agentsSuite,
  snapshot: snapshotSuite,
};

const USAGE = `usage: node --expose-gc bench/run.ts [suite...] [--json] [--quick]

  suite     one or more of: ${Object.keys(SUITES).join(", ")} (default: all)
  --json    also write the results to bench/results/<timestamp>.json
  --quick   about a tenth of the iterations (a smoke run; figures are rough)
  --help    this text`;

async function main(argv: string[]): Promise<number> {
  const flags = new Set(argv.filter((a) => a.startsWith("-")));
  const names = argv.filter((a) => !a.startsWith("-"));
  if (flags.has("--help") || flags.has("-h")) {
    console.log(USAGE);
    return 0;
  }
  for (const flag of flags) {
    if (!["--json", "--quick"].includes(flag)) {
      console.error(`bench: unknown option ${flag}\n\n${USAGE}`);
      return 2;
    }
  }
  for (const name of names) {
    if (!(name in SUITES)) {
      console.error(`bench: unknown suite "${name}"\n\n${USAGE}`);
      return 2;
    }
  }
  const selected = names.length > 0 ? [...new Set(names)] : Object.keys(SUITES);
  const options: SuiteOptions = { quick: flags.has("--quick") };

  const report = new Report();
  const cpu = cpus();
  report.meta.cpus = cpu.length;
  report.meta.cpuModel = cpu[0]?.model ?? "unknown";
  const tree = treeState();
  if (tree) Object.assign(report.meta, tree);
  console.log(
    `agentOS bench: node ${process.version}, ${process.platform} ${process.arch}, ` +
      `${cpu.length} CPU(s) ${report.meta.cpuModel}` +
      (tree ? `, commit ${tree.commit}${tree.dirty ? " + uncommitted changes" : ""}` : ""),
  );
  if (!gcAvailable()) console.log(`note: ${GC_HELP}; memory rows will be empty`);
  if (options.quick) console.log("note: --quick run, figures are rough");

  let failed = false;
  for (const name of selected) {
    const start = performance.now();
    console.log(`running suite ${name} ...`);
    try {
      await SUITES[name](report, options);
      console.log(`suite ${name} done in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    } catch (err) {
      failed = true;
      console.error(`suite ${name} failed:`, err);
    }
  }
  console.log("");
  report.print();
  if (flags.has("--json")) console.log(`\nresults written to ${report.writeJson()}`);
  return failed ? 1 : 0;
}

/** The commit the figures belong to, and whether tracked files differ from it (read-only git). */
function treeState(): { commit: string; dirty: boolean } | null {
  const git = (args: string[]): string =>
    execFileSync("git", args, {
      cwd: dirname(fileURLToPath(import.meta.url)),
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  try {
    const commit = git(["rev-parse", "--short", "HEAD"]);
    const dirty = git(["status", "--porcelain", "--untracked-files=no"]) !== "";
    return { commit, dirty };
  } catch {
    return null; // not a git checkout, or no git: the figures just lack a commit
  }
}

process.exitCode = await main(process.argv.slice(2));
