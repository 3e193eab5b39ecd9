import { CODE_MODE_SPECIFIER, kitIdentifier, TOOLS_DTS_PATH } from "../tools/code-mode-names.ts";

/**
 * The text added to an agent's system prompt so it knows where it runs: a VM with its own
 * filesystem and processes, what is on the PATH, how to reach host tools, and its limits.
 */
export interface OsInstructionsInput {
  cwd: string;
  /** Names of host toolkits (commands `agentos-<name>`). */
  toolKits: readonly string[];
  maxProcesses: number;
  maxFsBytes: number;
  /** From the VM options, then the session's. */
  additional: ReadonlyArray<string | undefined>;
}

export function osInstructions(input: OsInstructionsInput): string {
  const lines = [
    "You are running inside agentOS, a virtual machine with its own filesystem and processes.",
    `- Your working directory is ${input.cwd}; your home is /home/user; /tmp is scratch space.`,
    "- Shell: bash 5.2 with GNU-compatible commands (ls, cat, grep, sed, awk, find, xargs, jq, " +
      "sort, diff, tar, curl, ...) and `node` (Node.js 24 compatible) on the PATH.",
    "- Files you write through the client or the shell are the VM's files; nothing on the " +
      "host is visible unless mounted.",
    `- Limits: at most ${input.maxProcesses} processes and ${formatBytes(input.maxFsBytes)} of files.`,
  ];
  if (input.toolKits.length > 0)
    lines.push(
      `- Host tools: ${input.toolKits.map((k) => `agentos-${k}`).join(", ")} ` +
        "(run `<command> --help`; `agentos list-tools` lists every tool).",
      `- Code mode: in node, \`import { ${kitIdentifier(input.toolKits[0])} } from "${CODE_MODE_SPECIFIER}"\` gives the same tools as async functions (types: ${TOOLS_DTS_PATH}); chain many calls in one script and print only what you need.`,
    );
  const extra = input.additional.filter(
    (s): s is string => typeof s === "string" && s.trim() !== "",
  );
  return [...lines, ...extra.map((s) => `\n${s.trim()}`)].join("\n");
}

function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return "unlimited space";
  if (n >= 1024 ** 3) return `${Math.round(n / 1024 ** 3)} GiB`;
  return `${Math.round(n / 1024 ** 2)} MiB`;
}
