/** node:stream/web: the WHATWG stream classes the globals come from. */
import { WEB_STREAM_CLASSES } from "../web/web-streams.ts";

export function createStreamWeb(): unknown {
  return { ...WEB_STREAM_CLASSES };
}
