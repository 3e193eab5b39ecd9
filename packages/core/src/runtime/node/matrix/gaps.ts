/**
 * Matrix cases that fail today, by case slug (the first package name, non-word runs as "-"):
 * matrix.test.ts runs them as `todo`. Delete an entry when its case passes.
 */
import type { KnownGap } from "../corpus/known-gaps.ts";

export const MATRIX_GAPS: Record<string, KnownGap> = {
  undici: {
    owner: "stdlib",
    reason: "undici/lib/api/readable.js calls Buffer.prototype.utf8Slice",
  },
  ws: { owner: "net", reason: "ws/lib/websocket.js needs node:https" },
  prettier: { owner: "stdlib", reason: "imports node:v8" },
  "hono-node-server": { owner: "net", reason: "imports node:http2" },
};
