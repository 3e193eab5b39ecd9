/** The "awk" command set: its owner adds each command here as it is written. */
import type { CommandDefinition } from "../../kernel/command-registry.ts";
import { awk, gawk } from "../awk.ts";

export const AWK_COMMANDS: CommandDefinition[] = [awk, gawk];
