/** true and false: succeed or fail, ignoring arguments. */
import type { CommandDefinition } from "../kernel/command-registry.ts";

export const trueCommand: CommandDefinition = { name: "true", main: () => 0 };
export const falseCommand: CommandDefinition = { name: "false", main: () => 1 };
