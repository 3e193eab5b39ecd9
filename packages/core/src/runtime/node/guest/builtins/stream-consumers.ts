/**
 * node:stream/consumers: read a whole stream (Node Readable, web ReadableStream or any async
 * iterable of chunks) into one value.
 */
import { Buffer } from "buffer";
import { Blob } from "../web/blob.ts";

type Source = AsyncIterable<unknown> | ReadableStream<unknown>;

async function* chunksOf(stream: Source): AsyncGenerator<unknown> {
  if (typeof (stream as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") {
    yield* stream as AsyncIterable<unknown>;
    return;
  }
  const reader = (stream as ReadableStream<unknown>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

async function bytes(stream: Source): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunksOf(stream)) {
    if (typeof chunk === "string") parts.push(Buffer.from(chunk, "utf8"));
    else if (ArrayBuffer.isView(chunk)) {
      parts.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } else if (chunk instanceof ArrayBuffer) parts.push(new Uint8Array(chunk));
    else throw new TypeError(`Received non-buffer chunk: ${typeof chunk}`);
  }
  return Buffer.concat(parts);
}

async function text(stream: Source): Promise<string> {
  const decoder = new TextDecoder();
  let out = "";
  for await (const chunk of chunksOf(stream)) {
    out +=
      typeof chunk === "string" ? chunk : decoder.decode(chunk as Uint8Array, { stream: true });
  }
  return out + decoder.decode();
}

export function createStreamConsumers(): unknown {
  return {
    arrayBuffer: async (stream: Source) => {
      const data = await bytes(stream);
      return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
    },
    blob: async (stream: Source) => new Blob([await bytes(stream)]),
    buffer: async (stream: Source) => Buffer.from(await bytes(stream)),
    bytes: async (stream: Source) => new Uint8Array(await bytes(stream)),
    text,
    json: async (stream: Source) => JSON.parse(await text(stream)),
  };
}
