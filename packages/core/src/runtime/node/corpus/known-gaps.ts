/**
 * Corpus cases that fail today, by case name: corpus.test.ts runs them as `todo` so they stay
 * visible without failing the suite. When one passes, delete its entry here.
 * owner: who has to fix it: "lead" (runtime core: fatal output, event loop, eval/stdin, the
 * node command), "modules" (the module loader), "stdlib", "fs", "child_process",
 * "crypto-zlib", "net".
 */
export interface KnownGap {
  owner: string;
  /** The difference in one line: VM vs host. */
  reason: string;
}

export const KNOWN_GAPS: Record<string, KnownGap> = {
  "throw a string": {
    owner: "lead",
    reason:
      "fatal print of a thrown non-error: VM lacks Node's blank line + 'file:line / source / ^' header",
  },
  "throw an object": {
    owner: "lead",
    reason:
      "fatal print of a thrown object: VM lacks the source header and prints the --trace-uncaught hint Node omits for objects",
  },
  "throw null": {
    owner: "lead",
    reason: "fatal print of `throw null`: VM lacks the blank line + source header",
  },
  "error with extra props": {
    owner: "lead",
    reason:
      "fatal header caret: VM points at `new Error` (stack column), Node at the `throw` statement (V8 message location)",
  },
  "esm ordering": {
    owner: "lead",
    reason:
      "ordering after an ES module body: Node runs microtasks before nextTick there, the VM the other way round",
  },
  "eval throws": {
    owner: "lead",
    reason:
      "node -e stack frames: Node 'at [eval]:1:7 / at [eval]-wrapper:6:24', VM 'at eval ([eval]:1:7) / at eval (<anonymous>)'",
  },
  "stdin error location": {
    owner: "lead",
    reason:
      "script from stdin: stack frames named 'eval ([stdin]:2:7)' instead of Node's '[stdin]:2:7' / '[stdin]-wrapper'",
  },
  "preload missing": {
    owner: "lead",
    reason:
      "-r of a missing file: Node's require stack is 'internal/preload', the VM's '<cwd>/[eval]'",
  },
  "esm syntax error only a module has": {
    owner: "lead",
    reason:
      "compile error only a module has: the host cannot compile an ES module to learn V8's range, so the carets cover the token at the column (V8 marks 1 character of a redeclared name)",
  },
  "esm top level await order": {
    owner: "modules",
    reason:
      "isolated-vm resolves module.evaluate() before a dynamically imported module's top-level await settles",
  },
  "require node prefix only modules": {
    owner: "stdlib",
    reason: "node:test and node:sqlite not provided (ERR_AGENTOS_NOT_SUPPORTED)",
  },
  "vm module runInNewContext": {
    owner: "stdlib",
    reason: "vm module (runInNewContext/Script/createContext) missing",
  },
};
