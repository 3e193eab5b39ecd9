/** The default userland: every built-in command a fresh VM has on its PATH. */
import { CommandRegistry } from "../kernel/command-registry.ts";
import { cat } from "./cat.ts";
import { echo } from "./echo.ts";
import { env } from "./env.ts";
import { pwd } from "./pwd.ts";
import { sleep } from "./sleep.ts";
import { falseCommand, trueCommand } from "./true.ts";

export const DEFAULT_COMMANDS = [cat, echo, env, falseCommand, pwd, sleep, trueCommand];

let shared: CommandRegistry | undefined;

/** One registry of the default commands, shared (read-only) by every VM as its parent. */
export function defaultRegistry(): CommandRegistry {
  if (!shared) {
    shared = new CommandRegistry();
    for (const command of DEFAULT_COMMANDS) shared.register(command);
  }
  return shared;
}
