/**
 * Streams over the process's own descriptors, the base of process.stdin/stdout/stderr and of
 * tty.ReadStream/WriteStream. Output goes through the batched writer (Node writes to pipes,
 * files and terminals synchronously on Linux, so write() never reports backpressure). Input
 * pulls from the descriptor only while someone reads, and keeps the process alive while a read
 * is outstanding unless `pause()` stopped it — so `stdin.pause()` (what readline's close()
 * does) lets the process end even with a read still waiting in the kernel, while a reader in
 * paused mode ('readable', `for await`) keeps it alive, as in Node, whose stdin stops reading
 * only on the 'pause' event.
 */
import { Buffer } from "buffer";
import { Readable, Writable } from "readable-stream";
import { invalidArgType } from "./errors.ts";
import { callAsync } from "./host.ts";
import { hold, nextTick } from "./loop.ts";
import { writeFd } from "./output.ts";

function toBytes(chunk: unknown, encoding?: string): Uint8Array {
  if (typeof chunk === "string") return Buffer.from(chunk, (encoding as BufferEncoding) || "utf8");
  if (chunk instanceof Uint8Array) return chunk;
  throw invalidArgType(
    "chunk",
    "of type string or an instance of Buffer, TypedArray, or DataView",
    chunk,
  );
}

export class FdWriteStream extends Writable {
  fd: number;
  _isStdio = true;
  _type = "pipe";

  constructor(fd: number) {
    super({
      decodeStrings: false,
      write(chunk: unknown, encoding: string, callback: (error?: Error | null) => void) {
        writeFd(fd, toBytes(chunk, encoding), () => callback());
      },
    });
    this.fd = fd;
  }

  override write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    if (typeof encoding === "function") {
      callback = encoding;
      encoding = undefined;
    }
    const bytes = toBytes(chunk, encoding as string | undefined);
    if (this.writableEnded || this.destroyed) {
      return super.write(bytes, callback as (error?: Error | null) => void);
    }
    writeFd(this.fd, bytes, callback as (() => void) | undefined);
    return true;
  }

  destroySoon(): void {
    this.destroy();
  }

  // The process's descriptors stay open whatever happens to the stream object.
  override _destroy(_error: Error | null, callback: (error?: Error | null) => void): void {
    callback();
  }
}

export class FdReadStream extends Readable {
  fd: number;
  #reading = false;
  #release: (() => void) | null = null;

  constructor(fd: number) {
    super({ highWaterMark: 65536 });
    this.fd = fd;
    // Node's stdin stops reading a tick after 'pause' if nobody resumed it meanwhile.
    this.on("pause", () =>
      nextTick(() => {
        if (!this.readableFlowing) this.#releaseHold();
      }),
    );
    this.on("resume", () => {
      if (this.#reading && !this.#release) this.#release = hold();
    });
  }

  override _read(): void {
    // A read keeps the process alive while the stream flows or someone waits on 'readable'
    // (paused-mode readers, `for await`); a stream paused with no reader left (readline's
    // close()) must not, even if the stream machinery asks for more data.
    if (this.readableFlowing !== false || this.listenerCount("readable") > 0)
      this.#release ??= hold();
    if (this.#reading) return;
    this.#reading = true;
    callAsync<Uint8Array | null>("fd.read", [this.fd, 65536], (error, data) => {
      this.#reading = false;
      this.#releaseHold();
      if (this.destroyed) return;
      if (error) {
        this.destroy(error);
        return;
      }
      this.push(
        data && data.length > 0 ? Buffer.from(data.buffer, data.byteOffset, data.length) : null,
      );
    });
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#releaseHold();
    callback(error);
  }

  #releaseHold(): void {
    const release = this.#release;
    this.#release = null;
    release?.();
  }
}
