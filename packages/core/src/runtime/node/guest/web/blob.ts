/**
 * Blob and File (the File API), immutable byte containers. The bytes are copied once at
 * construction; slices share them. Node prints them as `Blob { size, type }`.
 */
import { codedError } from "../errors.ts";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");
type Inspect = (value: unknown, options: unknown) => string;

/** A type is kept (lower-cased) only when it is printable ASCII, as the spec says. */
function normalizeType(type: unknown): string {
  const text = type === undefined ? "" : String(type);
  return /^[\x20-\x7e]*$/.test(text) ? text.toLowerCase() : "";
}

function partBytes(part: unknown, nativeEndings: boolean): Uint8Array {
  if (part instanceof Blob) return blobBytes(part);
  if (part instanceof ArrayBuffer) return new Uint8Array(part.slice(0));
  if (ArrayBuffer.isView(part)) {
    return new Uint8Array(part.buffer, part.byteOffset, part.byteLength).slice();
  }
  let text = String(part);
  if (nativeEndings) text = text.replace(/\r\n|\r/g, "\n");
  return new TextEncoder().encode(text);
}

const BYTES = new WeakMap<Blob, Uint8Array>();

/** A blob's bytes, shared: callers must not modify them. */
export function blobBytes(blob: Blob): Uint8Array {
  const bytes = BYTES.get(blob);
  if (!bytes) throw new TypeError("Illegal invocation");
  return bytes;
}

export class Blob {
  #type: string;

  constructor(parts: unknown = [], options: { type?: unknown; endings?: unknown } = {}) {
    if (
      parts === null ||
      typeof parts !== "object" ||
      typeof (parts as Iterable<unknown>)[Symbol.iterator] !== "function"
    ) {
      throw codedError(TypeError, "ERR_INVALID_ARG_TYPE", "Value cannot be converted to sequence.");
    }
    const endings = options?.endings ?? "transparent";
    if (endings !== "transparent" && endings !== "native") {
      throw codedError(
        TypeError,
        "ERR_INVALID_ARG_VALUE",
        `The property 'options.endings' is invalid. Received '${String(endings)}'`,
      );
    }
    const chunks = Array.from(parts as Iterable<unknown>, (part) =>
      partBytes(part, endings === "native"),
    );
    const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
    const bytes = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    BYTES.set(this, bytes);
    this.#type = normalizeType(options?.type);
  }

  get size(): number {
    return blobBytes(this).byteLength;
  }

  get type(): string {
    return this.#type;
  }

  slice(start?: number, end?: number, type?: string): Blob {
    const size = this.size;
    const clamp = (value: number | undefined, fallback: number) => {
      if (value === undefined) return fallback;
      const n = Math.trunc(Number(value)) || 0;
      return n < 0 ? Math.max(size + n, 0) : Math.min(n, size);
    };
    const from = clamp(start, 0);
    const to = Math.max(clamp(end, size), from);
    const blob = new Blob([], { type });
    BYTES.set(blob, blobBytes(this).subarray(from, to));
    return blob;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return blobBytes(this).slice().buffer;
  }

  async bytes(): Promise<Uint8Array> {
    return blobBytes(this).slice();
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(blobBytes(this));
  }

  stream(): ReadableStream<Uint8Array> {
    const bytes = blobBytes(this);
    return new globalThis.ReadableStream<Uint8Array>({
      start(controller: ReadableStreamDefaultController<Uint8Array>) {
        if (bytes.byteLength > 0) controller.enqueue(bytes.slice());
        controller.close();
      },
    });
  }

  get [Symbol.toStringTag](): string {
    return "Blob";
  }

  [INSPECT](depth: number, options: unknown, inspect: Inspect): string {
    if (depth < 0) return "[Blob]";
    return `Blob ${inspect({ size: this.size, type: this.type }, options)}`;
  }
}

export class File extends Blob {
  #name: string;
  #lastModified: number;

  constructor(
    ...args: [
      parts?: unknown,
      name?: unknown,
      options?: { type?: unknown; endings?: unknown; lastModified?: unknown },
    ]
  ) {
    const [parts, name, options = {}] = args;
    if (args.length < 2) {
      throw codedError(
        TypeError,
        "ERR_MISSING_ARGS",
        'The "fileBits" and "fileName" arguments must be specified',
      );
    }
    super(parts, options);
    this.#name = String(name);
    this.#lastModified =
      options?.lastModified === undefined ? Date.now() : Math.trunc(Number(options.lastModified));
  }

  get name(): string {
    return this.#name;
  }

  get lastModified(): number {
    return this.#lastModified;
  }

  override get [Symbol.toStringTag](): string {
    return "File";
  }

  override [INSPECT](depth: number, options: unknown, inspect: Inspect): string {
    if (depth < 0) return "[File]";
    const fields = {
      size: this.size,
      type: this.type,
      name: this.name,
      lastModified: this.lastModified,
    };
    return `File ${inspect(fields, options)}`;
  }
}
