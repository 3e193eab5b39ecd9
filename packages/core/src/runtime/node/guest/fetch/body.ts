/**
 * The body of a Request or Response: bytes known up front (strings, buffers, forms) or a web
 * ReadableStream (streamed uploads, a fetched response), read once (a second read is undici's
 * "Body is unusable" TypeError), and the readers text/json/arrayBuffer/bytes/blob/formData.
 */
import { Buffer } from "buffer";
import { decodeFormData, encodeMultipart, FormData } from "./form-data.ts";
import {
  BlobClass,
  isBlob,
  isReadableStream,
  ReadableStreamClass,
  readAll,
  streamOf,
} from "./web-streams.ts";

export interface ExtractedBody {
  body: Body;
  /** The Content-Type the body implies (null when it implies none). */
  type: string | null;
  /** Known length in bytes (null for streams). */
  length: number | null;
}

export function extractBody(init: unknown): ExtractedBody {
  if (typeof init === "string") {
    const bytes = Buffer.from(init, "utf8");
    return { body: new Body(bytes), type: "text/plain;charset=UTF-8", length: bytes.byteLength };
  }
  if (init instanceof URLSearchParams) {
    const bytes = Buffer.from(init.toString(), "utf8");
    return {
      body: new Body(bytes),
      type: "application/x-www-form-urlencoded;charset=UTF-8",
      length: bytes.byteLength,
    };
  }
  if (
    init instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer !== "undefined" && init instanceof SharedArrayBuffer)
  ) {
    const bytes = new Uint8Array((init as ArrayBuffer).slice(0));
    return { body: new Body(bytes), type: null, length: bytes.byteLength };
  }
  if (ArrayBuffer.isView(init)) {
    const bytes = new Uint8Array(init.buffer, init.byteOffset, init.byteLength).slice();
    return { body: new Body(bytes), type: null, length: bytes.byteLength };
  }
  if (init instanceof FormData) {
    const form = init;
    const digits = `${Math.floor(Math.random() * 1e11)}`.padStart(11, "0");
    let boundary = `----formdata-undici-0${digits}`;
    const RS = ReadableStreamClass();
    const stream = new RS<Uint8Array>({
      async start(controller) {
        const encoded = await encodeMultipart(form, boundary);
        boundary = encoded.boundary;
        controller.enqueue(encoded.bytes);
        controller.close();
      },
    });
    return {
      body: new Body(stream),
      type: `multipart/form-data; boundary=${boundary}`,
      length: null,
    };
  }
  if (isBlob(init)) {
    const blob = init;
    const RS = ReadableStreamClass();
    const stream =
      typeof blob.stream === "function"
        ? (blob.stream() as ReadableStream<Uint8Array>)
        : new RS<Uint8Array>({
            async start(controller) {
              controller.enqueue(new Uint8Array(await blob.arrayBuffer()));
              controller.close();
            },
          });
    return { body: new Body(stream), type: blob.type || null, length: blob.size };
  }
  if (isReadableStream(init)) {
    if (init.locked) throw new TypeError("Response body object should not be disturbed or locked");
    return { body: new Body(init), type: null, length: null };
  }
  if (init !== null && typeof init === "object" && Symbol.asyncIterator in init) {
    const iterator = (init as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    const RS = ReadableStreamClass();
    const stream = new RS<Uint8Array>({
      async pull(controller) {
        const { done, value } = await iterator.next();
        if (done) controller.close();
        else
          controller.enqueue(
            typeof value === "string" ? Buffer.from(value) : new Uint8Array(value as ArrayBuffer),
          );
      },
      async cancel() {
        await iterator.return?.();
      },
    });
    return { body: new Body(stream), type: null, length: null };
  }
  const bytes = Buffer.from(String(init), "utf8");
  return { body: new Body(bytes), type: "text/plain;charset=UTF-8", length: bytes.byteLength };
}

export class Body {
  #bytes: Uint8Array | null;
  #stream: ReadableStream<Uint8Array> | null;
  #used = false;

  constructor(source: Uint8Array | ReadableStream<Uint8Array>) {
    if (source instanceof Uint8Array) {
      this.#bytes = source;
      this.#stream = null;
    } else {
      this.#bytes = null;
      this.#stream = source;
    }
  }

  /** The body as a web stream (made on first use for byte bodies). */
  get stream(): ReadableStream<Uint8Array> {
    if (!this.#stream) this.#stream = streamOf(this.#bytes ?? new Uint8Array(0));
    return this.#stream;
  }

  /** The bytes without consuming, when known up front (fetch sends these with a length). */
  get knownBytes(): Uint8Array | null {
    return this.#stream ? null : this.#bytes;
  }

  get used(): boolean {
    if (this.#used) return true;
    const stream = this.#stream as (ReadableStream & { locked: boolean }) | null;
    return stream !== null && this.#bytes === null && stream.locked && this.#disturbed;
  }

  #disturbed = false;

  /** Reads everything (once). */
  async consume(): Promise<Uint8Array> {
    if (this.#used || (this.#stream as ReadableStream | null)?.locked)
      throw new TypeError("Body is unusable: Body has already been read");
    this.#used = true;
    this.#disturbed = true;
    if (!this.#stream && this.#bytes) return this.#bytes;
    return readAll(this.stream);
  }

  /** A second body with the same content (the stream is teed). */
  clone(): Body {
    if (this.#used || (this.#stream as ReadableStream | null)?.locked)
      throw new TypeError("Response.clone: Body has already been consumed.");
    if (!this.#stream && this.#bytes) return new Body(this.#bytes);
    const [a, b] = this.stream.tee();
    this.#stream = a;
    return new Body(b);
  }

  markUsed(): void {
    this.#used = true;
  }
}

/** The readers every Request and Response has. */
export async function readBody(
  body: Body | null,
  as: "text" | "json" | "arrayBuffer" | "bytes" | "blob" | "formData",
  contentType: string,
): Promise<unknown> {
  const bytes = body ? await body.consume() : new Uint8Array(0);
  switch (as) {
    case "text":
      return new TextDecoder().decode(bytes);
    case "json":
      return JSON.parse(new TextDecoder().decode(bytes));
    case "arrayBuffer":
      return bytes.buffer.byteLength === bytes.byteLength && bytes.byteOffset === 0
        ? bytes.buffer
        : bytes.slice().buffer;
    case "bytes":
      return new Uint8Array(bytes);
    case "blob":
      return new (BlobClass())([bytes], { type: contentType });
    case "formData":
      return decodeFormData(bytes, contentType);
  }
}
