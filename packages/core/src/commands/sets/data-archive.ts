/** The "data-archive" command set: its owner adds each command here as it is written. */
import type { CommandDefinition } from "../../kernel/command-registry.ts";

export const DATA_ARCHIVE_COMMANDS: CommandDefinition[] = [];
