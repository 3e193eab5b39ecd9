#!/usr/bin/env node
/**
 * The `agentos` command line: `agentos shell` opens an interactive shell in a fresh VM on
 * this terminal; `agentos exec '<command>'` runs one command there and exits with its
 * status. Host directories can be mounted into the VM with `--mount`.
 */
import { statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { AgentOs } from "../vm/agent-os.ts";
import type { MountConfig } from "../vm/mounts.ts";

const USAGE = `Usage: agentos <command> [options]

Commands:
  shell    open an interactive shell in a fresh VM, attached to this terminal
  exec     run one shell command in a fresh VM and exit with its status

Run 'agentos <command> --help' for the options of a command.
`;

const MOUNT_HELP = `  -m, --mount HOSTDIR[:VMPATH][:ro]
                       mount the host directory HOSTDIR at VMPATH (default /mnt/NAME,
                       NAME being the directory's name); ":ro" mounts it read-only.
                       May be repeated.
  -C, --cwd VMPATH     working directory in the VM (default: the first mount, else
                       /home/user)
  -e, --env NAME=VALUE set an environment variable in the VM; may be repeated
  -h, --help           show this help
`;

const SHELL_HELP = `Usage: agentos shell [OPTION]...
Open an interactive bash login shell in a fresh VM, attached to this terminal.
The VM is discarded when the shell exits; agentos exits with the shell's status.

Options:
${MOUNT_HELP}`;

const EXEC_HELP = `Usage: agentos exec [OPTION]... [--] COMMAND...
Run COMMAND with bash -c in a fresh VM. Its stdout and stderr are passed through,
this process's stdin is its stdin, and agentos exits with its exit status.
Several COMMAND words are joined with spaces.

Options:
${MOUNT_HELP}`;

const OPTIONS = {
  mount: { type: "string", short: "m", multiple: true },
  cwd: { type: "string", short: "C" },
  env: { type: "string", short: "e", multiple: true },
  help: { type: "boolean", short: "h" },
} as const;

class UsageError extends Error {}

interface Common {
  mounts: MountConfig[];
  cwd: string | undefined;
  env: Record<string, string>;
}

/** `HOSTDIR[:VMPATH][:ro]` → a host_dir mount. */
export function parseMount(spec: string): MountConfig {
  const parts = spec.split(":");
  let readOnly = false;
  const last = parts[parts.length - 1];
  if (parts.length > 1 && (last === "ro" || last === "rw")) {
    readOnly = last === "ro";
    parts.pop();
  }
  if (parts.length > 2 || parts[0] === "")
    throw new UsageError(`--mount: expected HOSTDIR[:VMPATH][:ro], got '${spec}'`);
  const hostPath = resolve(parts[0]);
  let isDir = false;
  try {
    isDir = statSync(hostPath).isDirectory();
  } catch {
    throw new UsageError(`--mount: ${parts[0]}: no such directory`);
  }
  if (!isDir) throw new UsageError(`--mount: ${parts[0]}: not a directory`);
  const path = parts[1] ?? `/mnt/${basename(hostPath) || "host"}`;
  if (!path.startsWith("/"))
    throw new UsageError(`--mount: the VM path must be absolute, got '${path}'`);
  return { path, plugin: { id: "host_dir", config: { hostPath } }, readOnly };
}

function common(values: { mount?: string[]; cwd?: string; env?: string[] }): Common {
  const mounts = (values.mount ?? []).map(parseMount);
  const env: Record<string, string> = {};
  for (const pair of values.env ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`--env: expected NAME=VALUE, got '${pair}'`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const cwd = values.cwd ?? mounts[0]?.path;
  if (cwd !== undefined && !cwd.startsWith("/"))
    throw new UsageError(`--cwd: the VM path must be absolute, got '${cwd}'`);
  return { mounts, cwd, env };
}

async function shell(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  if (values.help) {
    process.stdout.write(SHELL_HELP);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(`shell: unexpected argument '${positionals[0]}'`);
  const options = common(values);
  const vm = await AgentOs.create({ mounts: options.mounts });
  try {
    return await vm.connectTerminal({ cwd: options.cwd, env: options.env });
  } finally {
    await vm.dispose();
  }
}

async function exec(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  if (values.help) {
    process.stdout.write(EXEC_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError("exec: missing COMMAND");
  const options = common(values);
  const vm = await AgentOs.create({ mounts: options.mounts });
  const stdin = process.stdin;
  let onInput: ((data: Buffer) => void) | undefined;
  let onEnd: (() => void) | undefined;
  try {
    const { pid } = vm.spawn("bash", ["-c", positionals.join(" ")], {
      cwd: options.cwd,
      env: options.env,
      onStdout: (data) => process.stdout.write(data),
      onStderr: (data) => process.stderr.write(data),
    });
    // Stream this process's stdin into the command's; the command may finish without it.
    onInput = (data: Buffer): void => {
      stdin.pause();
      vm.writeProcessStdin(pid, data).then(
        () => stdin.resume(),
        () => stdin.destroy(),
      );
    };
    onEnd = (): void => {
      try {
        vm.closeProcessStdin(pid);
      } catch {
        // Already finished.
      }
    };
    stdin.on("data", onInput);
    stdin.once("end", onEnd);
    stdin.once("error", onEnd);
    return await vm.waitProcess(pid);
  } finally {
    if (onInput) stdin.off("data", onInput);
    if (onEnd) stdin.off("end", onEnd);
    stdin.pause();
    stdin.unref?.();
    await vm.dispose();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "shell":
        return await shell(rest);
      case "exec":
        return await exec(rest);
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(USAGE);
        return 0;
      default:
        process.stderr.write(
          command === undefined ? USAGE : `agentos: unknown command '${command}'\n${USAGE}`,
        );
        return 2;
    }
  } catch (err) {
    const code = (err as { code?: string }).code ?? "";
    if (err instanceof UsageError || code.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(
        `agentos ${command}: ${(err as Error).message}\nTry 'agentos ${command} --help' for more information.\n`,
      );
      return 2;
    }
    process.stderr.write(`agentos: ${(err as Error).message}\n`);
    return 1;
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
