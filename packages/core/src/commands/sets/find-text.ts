/** The "find-text" command set: its owner adds each command here as it is written. */
import type { CommandDefinition } from "../../kernel/command-registry.ts";
import { find } from "../find.ts";
import { head } from "../head.ts";
import { tail } from "../tail.ts";
import { wc } from "../wc.ts";
import { xargs } from "../xargs.ts";

export const FIND_TEXT_COMMANDS: CommandDefinition[] = [find, head, tail, wc, xargs];
