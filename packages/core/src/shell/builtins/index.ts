/**
 * The shell's builtin commands, by name. Each runs inside the shell process with access to
 * its state; output goes to the shell's current descriptors (so redirections apply).
 */
import type { Shell } from "../shell.ts";
import { DIRECTORY_BUILTINS } from "./directories.ts";
import { FLOW_BUILTINS } from "./flow.ts";
import { GETOPTS_BUILTINS } from "./getopts.ts";
import { JOB_BUILTINS } from "./jobs.ts";
import { LOOKUP_BUILTINS } from "./lookup.ts";
import { MISC_BUILTINS } from "./misc.ts";
import { OPTION_BUILTINS } from "./options.ts";
import { OUTPUT_BUILTINS } from "./output.ts";
import { READ_BUILTINS } from "./read.ts";
import { TEST_BUILTINS } from "./test.ts";
import { TRAP_BUILTINS } from "./trap.ts";
import { VARIABLE_BUILTINS } from "./variables.ts";

/** A builtin: gets the shell and argv (argv[0] is the builtin's name); returns the status. */
export type Builtin = (sh: Shell, argv: string[]) => Promise<number>;

export const BUILTINS = new Map<string, Builtin>([
  ...OUTPUT_BUILTINS,
  ...TEST_BUILTINS,
  ...FLOW_BUILTINS,
  ...VARIABLE_BUILTINS,
  ...OPTION_BUILTINS,
  ...READ_BUILTINS,
  ...DIRECTORY_BUILTINS,
  ...JOB_BUILTINS,
  ...LOOKUP_BUILTINS,
  ...TRAP_BUILTINS,
  ...GETOPTS_BUILTINS,
  ...MISC_BUILTINS,
]);
