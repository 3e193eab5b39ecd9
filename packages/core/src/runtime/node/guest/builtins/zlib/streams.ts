/**
 * The zlib stream classes (Gzip, Gunzip, Deflate, ..., BrotliCompress): Transform streams whose
 * host zlib stream lives behind a handle. Each written chunk goes to the host in pieces (so one
 * piece's output stays bounded) and the output comes back in chunkSize pieces, as Node emits it.
 */
import { Buffer } from "buffer";
import { Transform, type TransformCallback } from "readable-stream";
import { notifyHost } from "../../host.ts";
import { nextTick } from "../../loop.ts";
import { validateFunction, viewBytes } from "../crypto/data.ts";
import { asBuffer, hostPromise, hostSync } from "../crypto/host-result.ts";
import { zlibConstants } from "./info.ts";

/** Input handed to the host per op: decompressing 16 KiB yields at most ~16 MiB (deflate's bound). */
const PIECE_BYTES = 16 * 1024;

const reaper =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry<number>((id) => notifyHost("zlib.stream.close", id))
    : undefined;

/** flush(kind) writes one of these through the stream, so it is ordered with the data. */
const flushMarkers = new WeakMap<object, number>();

type Callback = (error?: Error | null) => void;

export class ZlibBase extends Transform {
  readonly #id: number;
  readonly #chunkSize: number;
  #closed = false;
  bytesWritten = 0;
  readonly _defaultFlushFlag: number;
  readonly _finishFlushFlag: number;

  constructor(kind: string, options: unknown, brotli: boolean) {
    const opts = (typeof options === "object" && options !== null ? options : {}) as Record<
      string,
      unknown
    >;
    super(opts as never);
    const constants = zlibConstants();
    this.#id = hostSync<number>("zlib.stream.create", kind, marshalOptions(opts));
    reaper?.register(this, this.#id, this);
    this.#chunkSize =
      typeof opts.chunkSize === "number" ? opts.chunkSize : constants.Z_DEFAULT_CHUNK;
    this._defaultFlushFlag = brotli ? constants.BROTLI_OPERATION_PROCESS : constants.Z_NO_FLUSH;
    this._finishFlushFlag = brotli ? constants.BROTLI_OPERATION_FINISH : constants.Z_FINISH;
    this.#fullFlush = brotli ? constants.BROTLI_OPERATION_FLUSH : constants.Z_FULL_FLUSH;
  }

  readonly #fullFlush: number;

  get _closed(): boolean {
    return this.#closed;
  }

  #pushOutput(bytes: Uint8Array): void {
    const out = asBuffer(bytes);
    for (let offset = 0; offset < out.length; offset += this.#chunkSize) {
      this.push(out.subarray(offset, offset + this.#chunkSize));
    }
  }

  async #write(chunk: Uint8Array): Promise<void> {
    for (let offset = 0; offset < chunk.byteLength || offset === 0; offset += PIECE_BYTES) {
      const piece = viewBytes(chunk.subarray(offset, offset + PIECE_BYTES));
      this.#pushOutput(await hostPromise<Uint8Array>("zlib.stream.write", this.#id, piece));
      this.bytesWritten += piece.byteLength;
      if (chunk.byteLength === 0) break;
    }
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const flushKind = flushMarkers.get(chunk);
    const work =
      flushKind !== undefined
        ? hostPromise<Uint8Array>("zlib.stream.flush", this.#id, flushKind).then((out) =>
            this.#pushOutput(out),
          )
        : this.#write(chunk);
    work.then(
      () => callback(),
      (error: Error) => callback(error),
    );
  }

  override _flush(callback: TransformCallback): void {
    reaper?.unregister(this);
    hostPromise<Uint8Array>("zlib.stream.end", this.#id, new Uint8Array(0)).then(
      (out) => {
        this.#closed = true;
        this.#pushOutput(out);
        callback();
      },
      (error: Error) => callback(error),
    );
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    this.#close();
    callback(error);
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    reaper?.unregister(this);
    notifyHost("zlib.stream.close", this.#id);
  }

  close(callback?: () => void): void {
    if (callback) this.once("close", callback);
    this.destroy();
  }

  flush(kind?: unknown, callback?: unknown): void {
    if (typeof kind === "function") {
      callback = kind;
      kind = undefined;
    }
    if (kind === undefined) kind = this.#fullFlush;
    const marker = Buffer.alloc(0);
    flushMarkers.set(marker, kind as number);
    this.write(marker, callback as Callback);
  }

  reset(): void {
    hostSync("zlib.stream.reset", this.#id);
  }

  params(level: unknown, strategy: unknown, callback: unknown): void {
    validateFunction(callback, "callback");
    const done = callback as Callback;
    const marker = Buffer.alloc(0);
    // A sync flush first (as Node does), then the new parameters, in stream order.
    flushMarkers.set(marker, zlibConstants().Z_SYNC_FLUSH);
    this.write(marker, (error?: Error | null) => {
      if (error) return done(error);
      hostPromise<Uint8Array>("zlib.stream.params", this.#id, level, strategy).then(
        (out) => {
          this.#pushOutput(out);
          nextTick(() => done());
        },
        (failure: Error) => done(failure),
      );
    });
  }
}

/** Dictionaries and other buffers in the options travel as bytes. */
export function marshalOptions(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) {
    if (value instanceof ArrayBuffer) out[name] = new Uint8Array(value);
    else if (ArrayBuffer.isView(value)) out[name] = viewBytes(value);
    else if (typeof value === "function" || typeof value === "symbol") continue;
    else out[name] = value;
  }
  return out;
}

function streamClass(kind: string, brotli = false) {
  const Class = class extends ZlibBase {
    constructor(options?: unknown) {
      super(kind, options, brotli);
    }
  };
  Object.defineProperty(Class, "name", { value: kind });
  return Class;
}

export const Deflate = streamClass("Deflate");
export const Inflate = streamClass("Inflate");
export const Gzip = streamClass("Gzip");
export const Gunzip = streamClass("Gunzip");
export const DeflateRaw = streamClass("DeflateRaw");
export const InflateRaw = streamClass("InflateRaw");
export const Unzip = streamClass("Unzip");
export const BrotliCompress = streamClass("BrotliCompress", true);
export const BrotliDecompress = streamClass("BrotliDecompress", true);
export const ZstdCompress = streamClass("ZstdCompress", true);
export const ZstdDecompress = streamClass("ZstdDecompress", true);
