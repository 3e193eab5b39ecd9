/** node:module: the Module class with createRequire, builtinModules, isBuiltin. */
import { Module } from "../modules.ts";

export function createModule(): unknown {
  return Module;
}
