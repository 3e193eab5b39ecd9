/**
 * The web stream and Blob classes fetch builds on: the globals when the standard library
 * installed them, else web-streams-polyfill's (the WHATWG reference implementation).
 */
import { ReadableStream as PolyfillReadableStream } from "web-streams-polyfill";
import { notSupported } from "../errors.ts";

export function ReadableStreamClass(): typeof ReadableStream {
  return (
    (globalThis as { ReadableStream?: typeof ReadableStream }).ReadableStream ??
    (PolyfillReadableStream as unknown as typeof ReadableStream)
  );
}

export function isReadableStream(value: unknown): value is ReadableStream<Uint8Array> {
  return (
    value instanceof ReadableStreamClass() ||
    value instanceof (PolyfillReadableStream as unknown as typeof ReadableStream) ||
    (typeof value === "object" &&
      value !== null &&
      typeof (value as ReadableStream).getReader === "function" &&
      typeof (value as ReadableStream).tee === "function")
  );
}

export function BlobClass(): typeof Blob {
  const blob = (globalThis as { Blob?: typeof Blob }).Blob;
  if (!blob) throw notSupported("Blob (no Blob global in this runtime)");
  return blob;
}

export function isBlob(value: unknown): value is Blob {
  const blob = (globalThis as { Blob?: typeof Blob }).Blob;
  if (blob && value instanceof blob) return true;
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Blob).arrayBuffer === "function" &&
    typeof (value as Blob).size === "number" &&
    typeof (value as Blob).type === "string"
  );
}

/** A stream that yields `bytes` once. */
export function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  const RS = ReadableStreamClass();
  return new RS<Uint8Array>({
    start(controller: ReadableStreamDefaultController<Uint8Array>) {
      if (bytes.byteLength > 0) controller.enqueue(bytes.slice());
      controller.close();
    },
  });
}

/** Reads a stream to its end. */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!(value instanceof Uint8Array)) throw new TypeError("Received non-Uint8Array chunk");
    chunks.push(value);
    total += value.byteLength;
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
