/**
 * `agent.snapshot: true`: which processes of a VM start from the agent's image (the runtime
 * snapshot with its SDK already evaluated, see runtime/node/agent-image.ts), and what the image
 * is built from. Registered when the VM's sessions are first used; the image itself is built by
 * the first process that needs it and shared by every VM of the host process.
 */
import {
  type AgentImageRoute,
  type AgentSnapshotStatus,
  agentSnapshotStatus,
  claimAgentProcess,
  registerAgentImageRoute,
} from "../runtime/node/agent-image.ts";
import type { SoftwareAgent } from "./install-software.ts";

/** The image route of `agent`: its adapter's and SDK's processes, its SDK's entry. */
export function agentImageRoute(agent: SoftwareAgent): AgentImageRoute {
  const dirOf = (name: string) => agent.packages.find((p) => p.name === name)?.vmDir;
  const adapterDir = dirOf(agent.acpAdapter);
  const launchDirs = [adapterDir, dirOf(agent.agentPackage)].filter(
    (dir): dir is string => dir !== undefined,
  );
  return {
    agentId: agent.id,
    agentPackage: agent.agentPackage,
    // The adapter is what imports the SDK; an adapter inside another package uses its bin's dir.
    importFrom: adapterDir ?? agent.adapterBin?.replace(/\/[^/]*$/, "") ?? "/root",
    launchDirs,
    packages: agent.packages.map((p) => ({
      name: p.name,
      hostDir: p.hostDir,
      vmDir: p.vmDir,
      version: p.manifest.version,
    })),
  };
}

/** Registers the images of the agents of VM `owner` that asked for one. */
export function registerAgentSnapshots(owner: object, agents: readonly SoftwareAgent[]): void {
  for (const agent of agents)
    if (agent.snapshot) registerAgentImageRoute(owner, agentImageRoute(agent));
}

/** "off", "pending" (not built until the agent's first process), "ready" or "fallback: why". */
export function agentSnapshotState(owner: object, agent: SoftwareAgent): AgentSnapshotStatus {
  return agent.snapshot ? agentSnapshotStatus(owner, agent.id) : "off";
}

/** Marks a session's adapter process (spawned, not yet running) as `agentId`'s. */
export function claimAgentSessionProcess(owner: object, pid: number, agentId: string): void {
  claimAgentProcess(owner, pid, agentId);
}
