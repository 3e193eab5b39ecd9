/**
 * The guest's builtin modules by name. Each is built on first require and cached, so a program
 * pays only for what it uses. Names Node has but the VM does not implement fail with a clear
 * error naming the module.
 */
import { BUILTIN_MODULES } from "../../builtin-modules.ts";
import { codedError } from "../errors.ts";
import { BUILTIN_FACTORIES } from "./factories.ts";

const loaded = new Map<string, unknown>();

export function loadBuiltin(name: string): unknown {
  const bare = name.startsWith("node:") ? name.slice(5) : name;
  if (loaded.has(bare)) return loaded.get(bare);
  const factory = BUILTIN_FACTORIES[bare];
  if (!factory) {
    if (BUILTIN_MODULES.has(bare)) {
      throw codedError(
        Error,
        "ERR_AGENTOS_NOT_SUPPORTED",
        `node:${bare} is not supported in the agentOS VM`,
      );
    }
    throw codedError(Error, "ERR_UNKNOWN_BUILTIN_MODULE", `No such built-in module: node:${bare}`);
  }
  const exports = factory();
  loaded.set(bare, exports);
  return exports;
}

export function isLoadedBuiltin(name: string): boolean {
  return loaded.has(name);
}
