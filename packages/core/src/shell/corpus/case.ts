/** A differential shell case: [name, script, options]. */
import type { RunOptions } from "../../commands/testing.ts";

export type ShellCase = [name: string, script: string, options?: RunOptions];
