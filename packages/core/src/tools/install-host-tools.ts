/**
 * What the `toolKits` option installs in a VM: the commands `agentos` (list-tools) and one
 * `agentos-<kit>` per toolkit, registered with the kernel and present as stubs in
 * HOST_TOOL_BIN_DIR (on the PATH), and code mode's declarations at TOOLS_DTS_PATH.
 */
import { builtinStub, type CommandDefinition } from "../kernel/command-registry.ts";
import { agentosCommand } from "./agentos-command.ts";
import { TOOLS_DTS_PATH } from "./code-mode-names.ts";
import type { ToolKit } from "./host-tool.ts";
import { toolKitCommand } from "./toolkit-command.ts";
import { toolsDts } from "./tools-dts.ts";

export const HOST_TOOL_BIN_DIR = "/usr/local/bin";

export function hostToolCommands(kits: readonly ToolKit[]): CommandDefinition[] {
  return [agentosCommand(kits), ...kits.map(toolKitCommand)];
}

/** The files to write into the VM (parents are created by the caller). */
export function hostToolFiles(
  kits: readonly ToolKit[],
): Array<{ path: string; content: Uint8Array; mode: number }> {
  const files = hostToolCommands(kits).map((command) => ({
    path: `${HOST_TOOL_BIN_DIR}/${command.name}`,
    content: builtinStub(command.name),
    mode: 0o755,
  }));
  if (kits.length > 0)
    files.push({
      path: TOOLS_DTS_PATH,
      content: new TextEncoder().encode(toolsDts(kits)),
      mode: 0o644,
    });
  return files;
}
