/**
 * The differential harness for the guest Node runtime: run the same files with the host's Node 24
 * and with `node` inside a VM, and return both results for comparison. Both sides use the SAME
 * absolute working directory (a fresh directory under /tmp, created on the host and in the VM),
 * so paths in output, error messages and stack traces need no rewriting. One VM is shared by all
 * the runs of a test file (created on first use; call `closeNodeVm()` in an `after` hook).
 * Used by tests only; not part of the public API.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { runArgv } from "../../commands/testing.ts";
import { AgentOs, type AgentOsOptions } from "../../vm/agent-os.ts";

/** Files relative to the run's working directory → content. */
export type NodeFiles = Record<string, string | Uint8Array>;

export interface NodeRun {
  /** Files written (relative to the working directory) before the run. */
  files?: NodeFiles;
  /** Arguments after `node`, e.g. `["main.js", "a"]` or `["-e", "..."]`. */
  argv: string[];
  /** Bytes fed to stdin, then EOF (EOF at once without it). */
  stdin?: string;
  /** Working directory relative to the run's directory (default: the run's directory). */
  cwd?: string;
  /** Extra environment variables on both sides. */
  env?: Record<string, string>;
  /**
   * An absolute directory to run in instead of a fresh one; it must exist at the same path on
   * the host and in the VM (e.g. a host directory the VM mounts there).
   */
  dir?: string;
}

export interface NodeResult {
  stdout: string;
  stderr: string;
  status: number;
}

export interface NodeBoth {
  host: NodeResult;
  vm: NodeResult;
  /** The absolute directory both sides ran in (same path on the host and in the VM). */
  dir: string;
}

/** Environment both sides see, so that output is comparable. */
export const NODE_COMPARABLE_ENV: Record<string, string> = {
  LC_ALL: "C",
  TZ: "UTC",
  HOME: "/home/user",
};

/** Root of the per-run directories; the same path exists on the host and in the VM. */
const RUN_ROOT = "/tmp/agentos-node-diff";

let sharedVm: Promise<AgentOs> | undefined;
let sharedOptions: AgentOsOptions = {};
let hostRoot: string | undefined;

/** Options for the shared VM; call before the first run (e.g. to add mounts or limits). */
export function configureNodeVm(options: AgentOsOptions): void {
  if (sharedVm) throw new Error("configureNodeVm: the shared VM already exists");
  sharedOptions = options;
}

/** The VM that `runNodeBoth` and `runNodeInVm` use in this test file. */
export function nodeVm(): Promise<AgentOs> {
  sharedVm ??= AgentOs.create({
    ...sharedOptions,
    env: { ...NODE_COMPARABLE_ENV, ...sharedOptions.env },
  });
  return sharedVm;
}

/** Disposes of the shared VM and removes the host directories. */
export async function closeNodeVm(): Promise<void> {
  const vm = sharedVm;
  sharedVm = undefined;
  if (vm) await (await vm).dispose();
  if (hostRoot) rmSync(hostRoot, { recursive: true, force: true });
  hostRoot = undefined;
}

/** A fresh directory that exists at the same absolute path on the host (and later in the VM). */
function freshDir(): string {
  mkdirSync(RUN_ROOT, { recursive: true });
  hostRoot ??= mkdtempSync(join(RUN_ROOT, `${process.pid}-`));
  return mkdtempSync(join(hostRoot, "run-"));
}

function writeHostFiles(dir: string, files: NodeFiles): void {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

async function writeVmFiles(vm: AgentOs, dir: string, files: NodeFiles): Promise<void> {
  await vm.mkdir(dir, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    const path = join(dir, rel);
    await vm.mkdir(dirname(path), { recursive: true });
    await vm.writeFile(path, content);
  }
}

/** Runs host Node 24 (the test runner's own binary) in `dir`. */
export function runNodeOnHost(dir: string, run: NodeRun, timeoutMs = 30_000): Promise<NodeResult> {
  return new Promise((resolve, reject) => {
    // argv0 "node", as a shell finding node on PATH gives (Node prints it in usage errors).
    const child = spawn(process.execPath, run.argv, {
      argv0: "node",
      cwd: run.cwd ? join(dir, run.cwd) : dir,
      env: { PATH: "/usr/local/bin:/usr/bin:/bin", ...NODE_COMPARABLE_ENV, ...run.env },
      stdio: ["pipe", "pipe", "pipe"],
      timeout: timeoutMs,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.stdin.on("error", () => {
      // The program stopped reading stdin; that is its right.
    });
    child.stdin.end(run.stdin ?? "");
    child.on("error", reject);
    child.on("close", (code, signal) => {
      resolve({
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
        status: code ?? 128 + signalNumber(signal),
      });
    });
  });
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const numbers: Record<string, number> = { SIGKILL: 9, SIGTERM: 15, SIGABRT: 6, SIGINT: 2 };
  return (signal && numbers[signal]) ?? 1;
}

/** Runs `node` in the shared VM in `dir` (the files must already be there). */
export async function runNodeInVm(dir: string, run: NodeRun): Promise<NodeResult> {
  const vm = await nodeVm();
  const r = await runArgv(vm, ["node", ...run.argv], {
    cwd: run.cwd ? join(dir, run.cwd) : dir,
    env: run.env,
    stdin: run.stdin,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.exitCode };
}

/** Runs the same program with host Node and in the VM, in directories at the same path. */
export async function runNodeBoth(run: NodeRun): Promise<NodeBoth> {
  const dir = run.dir ?? freshDir();
  const files = run.files ?? {};
  writeHostFiles(dir, files);
  const vm = await nodeVm();
  await writeVmFiles(vm, dir, files);
  const [host, guest] = await Promise.all([runNodeOnHost(dir, run), runNodeInVm(dir, run)]);
  return { host, vm: guest, dir };
}

/** The "node:internal/...:line\n<source>\n   ^\n\n" header Node prints above errors it threw. */
const INTERNAL_SOURCE_HEADER = /^node:[^\n]*:\d+\n[^\n]*\n *\^+\n\n/;

/**
 * Differences that exist by construction are normalised away: stack frames of Node's own
 * internals and the source line Node shows above an error its internals threw (the VM's
 * internals are its own code), and the process id in warnings (`(node:1234)`: the VM numbers
 * its processes itself). Everything else must match.
 */
export function normaliseStderr(stderr: string): string {
  return stderr
    .replace(INTERNAL_SOURCE_HEADER, "")
    .split("\n")
    .filter((line) => !/^\s+at (?:async )?(?:.*\()?node:/.test(line))
    .join("\n")
    .replace(/^\(node:\d+\)/gm, "(node:PID)");
}

/** The result with only the normalisation `normaliseStderr` makes. */
export function normaliseResult(result: NodeResult): NodeResult {
  return { ...result, stderr: normaliseStderr(result.stderr) };
}
