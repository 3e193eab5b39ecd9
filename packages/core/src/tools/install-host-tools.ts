/**
 * The VM commands for the `toolKits` option: `agentos` (list-tools) and one `agentos-<kit>`
 * per toolkit. The VM registers them and puts their stubs in HOST_TOOL_BIN_DIR, on the PATH.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { agentosCommand } from "./agentos-command.ts";
import type { ToolKit } from "./host-tool.ts";
import { toolKitCommand } from "./toolkit-command.ts";

export const HOST_TOOL_BIN_DIR = "/usr/local/bin";

export function hostToolCommands(kits: readonly ToolKit[]): CommandDefinition[] {
  return [agentosCommand(kits), ...kits.map(toolKitCommand)];
}
