/** The "find-text" command set: its owner adds each command here as it is written. */
import type { CommandDefinition } from "../../kernel/command-registry.ts";
import { expand } from "../expand.ts";
import { find } from "../find.ts";
import { fmt } from "../fmt.ts";
import { fold } from "../fold.ts";
import { head } from "../head.ts";
import { nl } from "../nl.ts";
import { rev } from "../rev.ts";
import { seq } from "../seq.ts";
import { shuf } from "../shuf.ts";
import { tac } from "../tac.ts";
import { tail } from "../tail.ts";
import { tee } from "../tee.ts";
import { unexpand } from "../unexpand.ts";
import { wc } from "../wc.ts";
import { xargs } from "../xargs.ts";
import { yes } from "../yes.ts";

export const FIND_TEXT_COMMANDS: CommandDefinition[] = [
  expand,
  find,
  fmt,
  fold,
  head,
  nl,
  rev,
  seq,
  shuf,
  tac,
  tail,
  tee,
  unexpand,
  wc,
  xargs,
  yes,
];
