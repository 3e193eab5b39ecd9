/** The "system" command set: its owner adds each command here as it is written. */
import type { CommandDefinition } from "../../kernel/command-registry.ts";

export const SYSTEM_COMMANDS: CommandDefinition[] = [];
