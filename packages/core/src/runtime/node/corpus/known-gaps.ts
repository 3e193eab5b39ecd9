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
  "esm syntax error only a module has": {
    owner: "lead",
    reason:
      "compile error only a module has: the host cannot compile an ES module to learn V8's range, so the carets cover the token at the column (V8 marks 1 character of a redeclared name)",
  },
  "require node prefix only modules": {
    owner: "stdlib",
    reason: "node:sqlite not provided (ERR_AGENTOS_NOT_SUPPORTED)",
  },
};
