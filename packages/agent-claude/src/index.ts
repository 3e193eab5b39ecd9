/**
 * Claude Code as agentOS software: the `claude-agent-acp` adapter speaks ACP on its stdio and
 * drives the Claude Agent SDK, which spawns Claude Code's `cli.js` as a child process with the
 * VM's `node`. Both run in the VM's Node runtime from this package's node_modules (mounted
 * read-only at /root/node_modules). A session names the model endpoint through its env
 * (`ANTHROPIC_BASE_URL`, `ANTHROPIC_API_KEY`).
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineSoftware } from "@agentos/core";

/** This package's directory: its node_modules (or the workspace's) hold the adapter and SDK. */
const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");

export const CLAUDE_ACP_PACKAGE = "@zed-industries/claude-agent-acp";
export const CLAUDE_AGENT_PACKAGE = "@anthropic-ai/claude-agent-sdk";

const claude = defineSoftware({
  name: "claude",
  type: "agent",
  packageDir,
  requires: [CLAUDE_ACP_PACKAGE, CLAUDE_AGENT_PACKAGE],
  agent: {
    id: "claude",
    acpAdapter: CLAUDE_ACP_PACKAGE,
    agentPackage: CLAUDE_AGENT_PACKAGE,
    staticEnv: {
      // No telemetry, update checks or side requests (title generation, ...) from inside a VM.
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      DISABLE_AUTOUPDATER: "1",
      // The SDK's vendored ripgrep is a native binary the VM cannot run: "0" makes Claude Code
      // look `rg` up on PATH (`which rg`), which finds the VM's own rg command.
      USE_BUILTIN_RIPGREP: "0",
      // VM processes run as root; the VM is the sandbox, so the "bypass permissions" mode the
      // adapter hides from root users is safe to offer.
      IS_SANDBOX: "1",
    },
  },
});

export default claude;
export { claude };
