/** The "system" command set: its owner adds each command here as it is written. */
import type { CommandDefinition } from "../../kernel/command-registry.ts";
import { clear } from "../clear.ts";
import { curl } from "../curl.ts";
import { date } from "../date.ts";
import { groups } from "../groups.ts";
import { hostname } from "../hostname.ts";
import { id } from "../id.ts";
import { kill } from "../kill.ts";
import { less, more } from "../less.ts";
import { nice } from "../nice.ts";
import { nohup } from "../nohup.ts";
import { nproc } from "../nproc.ts";
import { pgrep, pkill } from "../pgrep.ts";
import { printenv } from "../printenv.ts";
import { printf } from "../printf.ts";
import { ps } from "../ps.ts";
import { stty } from "../stty.ts";
import { bracketCommand, testCommand } from "../test.ts";
import { timeout } from "../timeout.ts";
import { tput } from "../tput.ts";
import { uname } from "../uname.ts";
import { watch } from "../watch.ts";
import { wget } from "../wget.ts";
import { which } from "../which.ts";
import { whoami } from "../whoami.ts";

export const SYSTEM_COMMANDS: CommandDefinition[] = [
  bracketCommand,
  clear,
  curl,
  date,
  groups,
  hostname,
  id,
  kill,
  less,
  more,
  nice,
  nohup,
  nproc,
  pgrep,
  pkill,
  printenv,
  printf,
  ps,
  stty,
  testCommand,
  timeout,
  tput,
  uname,
  watch,
  wget,
  which,
  whoami,
];
