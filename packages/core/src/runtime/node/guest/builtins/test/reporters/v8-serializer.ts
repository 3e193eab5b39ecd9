/**
 * The reporter of a test file run by `node --test` (NODE_TEST_CONTEXT=child-v8): each event goes
 * to stdout as a frame Node's runner reads: the v8 serializer header, the message length (4 bytes,
 * big-endian), then the v8-serialized event, whose error (if any) is in error-serdes form.
 * Anything else the file prints lands between frames and is reported as its stdout.
 */
import { Buffer } from "buffer";
import { loadBuiltin } from "../../registry.ts";
import type { TestEvent } from "../tests-stream.ts";
import { serializeError } from "./error-serdes.ts";

/** What v8.serialize starts with: 0xFF and the format version. */
export const V8_HEADER_LENGTH = 2;

export function serializeEvent(event: TestEvent): Buffer {
  const { serialize } = loadBuiltin("v8") as { serialize(value: unknown): Buffer };
  const details = event.data.details as { error?: unknown } | undefined;
  const error = details?.error;
  let payload: Buffer;
  if (error) {
    details.error = serializeError(error);
    try {
      payload = serialize(event);
    } finally {
      details.error = error;
    }
  } else {
    payload = serialize(event);
  }
  const length = Buffer.alloc(4);
  length.writeUInt32BE(payload.length, 0);
  return Buffer.concat([payload.subarray(0, V8_HEADER_LENGTH), length, payload]);
}

export async function* v8SerializerReporter(
  source: AsyncIterable<TestEvent>,
): AsyncGenerator<Buffer> {
  for await (const event of source) yield serializeEvent(event);
}
