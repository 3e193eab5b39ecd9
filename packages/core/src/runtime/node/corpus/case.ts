/** A differential case of the guest Node corpus, and shorthands to write one per line. */
import type { NodeRun } from "../testing.ts";

export interface NodeCase extends NodeRun {
  name: string;
}

type Extra = Omit<NodeRun, "argv"> & { args?: string[] };

function single(file: string, name: string, source: string, extra: Extra = {}): NodeCase {
  const { args = [], files, ...rest } = extra;
  return { name, files: { [file]: source, ...files }, argv: [file, ...args], ...rest };
}

/** `node main.js [args]` running `source` (CommonJS). */
export const js = (name: string, source: string, extra?: Extra): NodeCase =>
  single("main.js", name, source, extra);

/** `node main.mjs [args]` running `source` (ESM). */
export const mjs = (name: string, source: string, extra?: Extra): NodeCase =>
  single("main.mjs", name, source, extra);

/** `node main.ts [args]` (type stripping). */
export const ts = (name: string, source: string, extra?: Extra): NodeCase =>
  single("main.ts", name, source, extra);

/** `node <argv>` with the given files. */
export const cli = (name: string, argv: string[], extra: Omit<NodeRun, "argv"> = {}): NodeCase => ({
  name,
  argv,
  ...extra,
});
