/** The "text-tools" command set: its owner adds each command here as it is written. */
import type { CommandDefinition } from "../../kernel/command-registry.ts";

export const TEXT_TOOL_COMMANDS: CommandDefinition[] = [];
