/**
 * Corpus cases that fail today, by case name: corpus.test.ts runs them as `todo` so they stay
 * visible without failing the suite. When one passes, delete its entry here.
 * owner: who has to fix it (runtime core = "lead", or the helper area: fs, child_process,
 * stdlib, crypto-zlib, net, modules).
 */
export interface KnownGap {
  owner: string;
  /** The difference in one line: VM vs host. */
  reason: string;
}

export const KNOWN_GAPS: Record<string, KnownGap> = {};
