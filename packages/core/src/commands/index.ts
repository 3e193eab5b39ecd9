/**
 * The default userland: every built-in command a fresh VM has on its PATH. Commands are
 * grouped in sets (commands/sets/*.ts) only so that they can be written side by side; each
 * command still lives in its own file.
 */
import { CommandRegistry } from "../kernel/command-registry.ts";
import { node } from "../runtime/node/node-command.ts";
import { bash, sh } from "../shell/bash-command.ts";
import { cat } from "./cat.ts";
import { echo } from "./echo.ts";
import { env } from "./env.ts";
import { pwd } from "./pwd.ts";
import { AWK_COMMANDS } from "./sets/awk.ts";
import { DATA_ARCHIVE_COMMANDS } from "./sets/data-archive.ts";
import { DIFF_RG_COMMANDS } from "./sets/diff-rg.ts";
import { FILE_COMMANDS } from "./sets/files.ts";
import { FIND_TEXT_COMMANDS } from "./sets/find-text.ts";
import { GREP_SED_COMMANDS } from "./sets/grep-sed.ts";
import { SYSTEM_COMMANDS } from "./sets/system.ts";
import { TEXT_TOOL_COMMANDS } from "./sets/text-tools.ts";
import { sleep } from "./sleep.ts";
import { falseCommand, trueCommand } from "./true.ts";

export const DEFAULT_COMMANDS = [
  bash,
  sh,
  cat,
  echo,
  env,
  falseCommand,
  node,
  pwd,
  sleep,
  trueCommand,
  ...FILE_COMMANDS,
  ...FIND_TEXT_COMMANDS,
  ...TEXT_TOOL_COMMANDS,
  ...GREP_SED_COMMANDS,
  ...DIFF_RG_COMMANDS,
  ...AWK_COMMANDS,
  ...DATA_ARCHIVE_COMMANDS,
  ...SYSTEM_COMMANDS,
];

let shared: CommandRegistry | undefined;

/** One registry of the default commands, shared (read-only) by every VM as its parent. */
export function defaultRegistry(): CommandRegistry {
  if (!shared) {
    const registry = new CommandRegistry();
    for (const command of DEFAULT_COMMANDS) registry.register(command);
    shared = registry;
  }
  return shared;
}
