/**
 * The agents agentOS knows by name, with the npm packages that provide them. A VM can run one
 * when a software package registers its id; Codex and OpenCode ship native binaries, which
 * the VM cannot execute yet, so sessions refuse them with the reason.
 */
export interface KnownAgent {
  id: string;
  acpAdapter: string;
  agentPackage: string;
  unsupported?: string;
}

const NATIVE =
  "ships as a native binary, which agentOS cannot run inside the VM yet (only JavaScript and, later, WebAssembly programs run there)";

export const KNOWN_AGENTS: readonly KnownAgent[] = [
  { id: "pi", acpAdapter: "pi-acp", agentPackage: "@earendil-works/pi-coding-agent" },
  { id: "pi-cli", acpAdapter: "pi-acp", agentPackage: "@earendil-works/pi-coding-agent" },
  {
    id: "claude",
    acpAdapter: "@zed-industries/claude-agent-acp",
    agentPackage: "@anthropic-ai/claude-agent-sdk",
  },
  {
    id: "codex",
    acpAdapter: "@zed-industries/codex-acp",
    agentPackage: "@openai/codex",
    unsupported: `Codex ${NATIVE}`,
  },
  {
    id: "opencode",
    acpAdapter: "opencode-ai",
    agentPackage: "opencode-ai",
    unsupported: `OpenCode ${NATIVE}`,
  },
];
