/**
 * Matrix cases that fail today, by case slug (the first package name, non-word runs as "-"):
 * matrix.test.ts runs them as `todo`. Delete an entry when its case passes.
 */
import type { KnownGap } from "../corpus/known-gaps.ts";

export const MATRIX_GAPS: Record<string, KnownGap> = {};
