/** The "grep-sed" command set: its owner adds each command here as it is written. */
import type { CommandDefinition } from "../../kernel/command-registry.ts";
import { egrep, fgrep, grep } from "../grep.ts";
import { sed } from "../sed.ts";

export const GREP_SED_COMMANDS: CommandDefinition[] = [grep, egrep, fgrep, sed];
