/** The "diff-rg" command set: its owner adds each command here as it is written. */
import type { CommandDefinition } from "../../kernel/command-registry.ts";
import { cmp } from "../cmp.ts";
import { diff } from "../diff.ts";
import { patch } from "../patch.ts";
import { rg } from "../rg.ts";

export const DIFF_RG_COMMANDS: CommandDefinition[] = [cmp, diff, patch, rg];
