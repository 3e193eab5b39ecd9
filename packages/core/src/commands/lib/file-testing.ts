/**
 * Test support for the file commands (used only by their *.test.ts): runs a sequence of argv
 * steps in one VM and, with the host's GNU tools, in one temp dir holding the same fixture,
 * so that side effects (cp, mv, rm, chmod, ...) can be compared with a final listing step.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { AgentOs } from "../../vm/agent-os.ts";
import { COMPARABLE_ENV, type Fixture, type RunResult, runArgv, VM_WORKDIR } from "../testing.ts";

export interface StepsOptions {
  files?: Fixture;
  env?: Record<string, string>;
  /** stdin for every step */
  stdin?: string;
}

export async function runStepsInVm(
  steps: string[][],
  options: StepsOptions = {},
): Promise<RunResult[]> {
  const vm = await AgentOs.create({ env: COMPARABLE_ENV });
  try {
    await vm.mkdir(VM_WORKDIR, { recursive: true });
    for (const [rel, content] of Object.entries(options.files ?? {})) {
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
    const results: RunResult[] = [];
    for (const argv of steps) {
      results.push(
        await runArgv(vm, argv, { cwd: VM_WORKDIR, env: options.env, stdin: options.stdin }),
      );
    }
    return results;
  } finally {
    await vm.dispose();
  }
}

export function runStepsOnHost(steps: string[][], options: StepsOptions = {}): RunResult[] {
  const dir = mkdtempSync(join(tmpdir(), "agentos-files-"));
  try {
    for (const [rel, content] of Object.entries(options.files ?? {})) {
      const path = join(dir, rel);
      mkdirSync(dirname(path), { recursive: true });
      if (typeof content === "string" || content instanceof Uint8Array)
        writeFileSync(path, content);
      else if ("symlink" in content) symlinkSync(content.symlink, path);
      else mkdirSync(path, { recursive: true });
    }
    return steps.map((argv) => {
      const r = spawnSync(argv[0], argv.slice(1), {
        cwd: dir,
        env: { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: dir, ...COMPARABLE_ENV, ...options.env },
        input: options.stdin ?? "",
      });
      return {
        stdout: r.stdout.toString("utf8"),
        stderr: r.stderr.toString("utf8"),
        exitCode: r.status ?? 128,
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runStepsBoth(
  steps: string[][],
  options: StepsOptions = {},
): Promise<{ vm: RunResult[]; host: RunResult[] }> {
  const vm = await runStepsInVm(steps, options);
  const host = runStepsOnHost(steps, options);
  return { vm, host };
}
