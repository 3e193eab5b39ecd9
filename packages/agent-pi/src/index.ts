/**
 * The Pi coding agent as agentOS software: the `pi-acp` adapter speaks ACP on its stdio and
 * drives `pi --mode rpc`, both running in the VM's Node runtime from this package's
 * node_modules (mounted read-only at /root/node_modules). Pi reads its provider and model
 * from `models.json` and `settings.json` in `PI_CODING_AGENT_DIR`, so a session passes that
 * directory (and whatever it holds) through its env.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineSoftware } from "@agentos/core";

/** This package's directory: its node_modules (or the workspace's) hold pi and pi-acp. */
const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");

export const PI_ACP_PACKAGE = "pi-acp";
/** This package: its `agentos-pi` launcher runs pi with the session's OS instructions. */
const SELF_PACKAGE = "@agentos/agent-pi";
export const PI_AGENT_PACKAGE = "@earendil-works/pi-coding-agent";

const pi = defineSoftware({
  name: "pi",
  type: "agent",
  packageDir,
  requires: [SELF_PACKAGE, PI_ACP_PACKAGE, PI_AGENT_PACKAGE],
  agent: {
    id: "pi",
    acpAdapter: PI_ACP_PACKAGE,
    agentPackage: PI_AGENT_PACKAGE,
    staticEnv: {
      // No update checks, package-registry lookups or install telemetry from inside a VM.
      PI_OFFLINE: "1",
      PI_SKIP_VERSION_CHECK: "1",
      PI_TELEMETRY: "0",
    },
    env: (ctx) => ({
      // pi-acp spawns this command directly (`<cmd> --mode rpc`); the kernel runs it through
      // its `#!/usr/bin/env node` line. The launcher appends the OS instructions, then runs pi.
      PI_ACP_PI_COMMAND: ctx.resolveBin(SELF_PACKAGE, "agentos-pi"),
    }),
  },
});

export default pi;
export { pi };
