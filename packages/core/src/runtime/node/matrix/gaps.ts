/**
 * Matrix cases that fail today, by case slug (the first package name, non-word runs as "-"):
 * matrix.test.ts runs them as `todo`. Delete an entry when its case passes.
 */
import type { KnownGap } from "../corpus/known-gaps.ts";

export const MATRIX_GAPS: Record<string, KnownGap> = {
  glob: { owner: "stdlib", reason: "imports node:url (not supported yet)" },
  express: {
    owner: "stdlib",
    reason: "parseurl needs node:url; then the server needs guest http + fetch (net)",
  },
  undici: { owner: "stdlib", reason: "undici/lib/core/util.js needs node:querystring" },
  ws: { owner: "net", reason: "ws/lib/websocket.js needs node:https" },
  prettier: { owner: "stdlib", reason: "imports node:url (not supported yet)" },
  cheerio: { owner: "stdlib", reason: "cheerio's undici dependency needs node:querystring" },
  "hono-node-server": { owner: "net", reason: "needs node:http2 / node:http servers and fetch" },
};
