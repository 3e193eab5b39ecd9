/** node:stream from `readable-stream` (Node's own streams code, published for other runtimes). */
import * as readableStream from "readable-stream";
import { installCompose } from "./stream-compose.ts";

export function createStream(): unknown {
  const pkg = readableStream as unknown as Record<string, unknown> & {
    Stream: Record<string, unknown>;
  };
  const Stream = pkg.Stream ?? pkg.default;
  installCompose(Stream as never);
  return Stream;
}

export function createStreamPromises(): unknown {
  const stream = createStream() as { promises: unknown };
  return stream.promises;
}
