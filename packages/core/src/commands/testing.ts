/**
 * Test helpers for the userland: run one command by argv in a fresh VM, run the same argv with
 * the host's GNU tools on an identical fixture tree, and compare. Used by the commands' unit
 * tests and by differential tests; not part of the public API.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { AgentOs } from "../vm/agent-os.ts";

/** A fixture tree: relative path → file content, or `{ symlink: target }`, or `{ dir: true }`. */
export type Fixture = Record<string, string | Uint8Array | { symlink: string } | { dir: true }>;

export interface RunOptions {
  /** Bytes fed to stdin, then EOF. Without it stdin is at EOF at once. */
  stdin?: string | Uint8Array;
  /** Files created (relative to the working directory) before the command runs. */
  files?: Fixture;
  env?: Record<string, string>;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Working directory of commands run by `runInVm` (a fresh, empty directory). */
export const VM_WORKDIR = "/home/user/work";

const decoder = new TextDecoder();

/** Environment shared by both sides so that output is comparable. */
export const COMPARABLE_ENV: Record<string, string> = { LC_ALL: "C", TZ: "UTC" };

async function writeFixtureInVm(vm: AgentOs, files: Fixture): Promise<void> {
  await vm.mkdir(VM_WORKDIR, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    const path = `${VM_WORKDIR}/${rel}`;
    await vm.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    if (typeof content === "string" || content instanceof Uint8Array) {
      await vm.writeFile(path, content);
    } else if ("symlink" in content) {
      await vm.kernel.fs.symlink({ uid: 1000, gid: 1000, pid: 1 }, content.symlink, path);
    } else {
      await vm.mkdir(path, { recursive: true });
    }
  }
}

/** Runs `argv` in a fresh VM with cwd VM_WORKDIR holding `files`. */
export async function runInVm(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  const vm = await AgentOs.create({ env: COMPARABLE_ENV });
  try {
    await writeFixtureInVm(vm, options.files ?? {});
    return await runArgv(vm, argv, { ...options, cwd: VM_WORKDIR });
  } finally {
    await vm.dispose();
  }
}

/** Runs `argv` in an existing VM (no fixture), collecting its output. */
export async function runArgv(
  vm: AgentOs,
  argv: string[],
  options: RunOptions & { cwd?: string } = {},
): Promise<RunResult> {
  const stdout: Uint8Array[] = [];
  const stderr: Uint8Array[] = [];
  const { pid } = vm.spawn(argv[0], argv.slice(1), {
    cwd: options.cwd,
    env: options.env,
    onStdout: (d) => stdout.push(d),
    onStderr: (d) => stderr.push(d),
  });
  if (options.stdin !== undefined) {
    const input = options.stdin;
    if (input.length > 0) {
      try {
        await vm.writeProcessStdin(pid, input);
      } catch {
        // The command stopped reading its stdin; that is its right.
      }
    }
  }
  try {
    vm.closeProcessStdin(pid);
  } catch {
    // Already closed because it exited.
  }
  const exitCode = await vm.waitProcess(pid);
  return { stdout: join8(stdout), stderr: join8(stderr), exitCode };
}

function join8(chunks: Uint8Array[]): string {
  return decoder.decode(Buffer.concat(chunks));
}

/** Runs `argv` with the host's tools in a fresh temp dir holding `files`. */
export function runOnHost(argv: string[], options: RunOptions = {}): RunResult {
  const dir = mkdtempSync(join(tmpdir(), "agentos-diff-"));
  try {
    for (const [rel, content] of Object.entries(options.files ?? {})) {
      const path = join(dir, rel);
      mkdirSync(dirname(path), { recursive: true });
      if (typeof content === "string" || content instanceof Uint8Array) {
        writeFileSync(path, content);
      } else if ("symlink" in content) {
        symlinkSync(content.symlink, path);
      } else {
        mkdirSync(path, { recursive: true });
      }
    }
    const result = spawnSync(argv[0], argv.slice(1), {
      cwd: dir,
      env: { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: dir, ...COMPARABLE_ENV, ...options.env },
      input: options.stdin === undefined ? Buffer.alloc(0) : Buffer.from(options.stdin),
    });
    return {
      stdout: decoder.decode(result.stdout),
      stderr: decoder.decode(result.stderr),
      exitCode: result.status ?? 128 + (result.signal === "SIGPIPE" ? 13 : 9),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** True when the host has `program` on its PATH (differential tests skip without it). */
export function hostHas(program: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${program}`], { encoding: "utf8" }).status === 0;
}

/** Runs `argv` in the VM and on the host with the same fixture; returns both results. */
export async function runBoth(
  argv: string[],
  options: RunOptions = {},
): Promise<{ vm: RunResult; host: RunResult }> {
  const vm = await runInVm(argv, options);
  const host = runOnHost(argv, options);
  return { vm, host };
}

/** Runs a bash script in a fresh VM (via `exec`, cwd VM_WORKDIR holding `files`). */
export async function runScriptInVm(script: string, options: RunOptions = {}): Promise<RunResult> {
  const vm = await AgentOs.create({ env: COMPARABLE_ENV });
  try {
    await writeFixtureInVm(vm, options.files ?? {});
    const result = await vm.exec(script, {
      cwd: VM_WORKDIR,
      env: options.env,
      stdin: options.stdin,
      timeout: 20_000,
    });
    return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode };
  } finally {
    await vm.dispose();
  }
}

/** Runs the same script with the host's bash (`bash -c`) on the same fixture. */
export function runScriptOnHost(script: string, options: RunOptions = {}): RunResult {
  return runOnHost(["bash", "-c", script], options);
}

/** Both sides of a script differential test. */
export async function runScriptBoth(
  script: string,
  options: RunOptions = {},
): Promise<{ vm: RunResult; host: RunResult }> {
  return { vm: await runScriptInVm(script, options), host: runScriptOnHost(script, options) };
}
