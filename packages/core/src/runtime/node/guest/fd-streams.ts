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
import { onWriteError, writeFd } from "./output.ts";

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
        // A refusal reaches the stream through onWriteError below, not twice.
        writeFd(fd, toBytes(chunk, encoding), () => callback());
      },
    });
    this.fd = fd;
    // A write the kernel refuses (EPIPE: the reader went away) destroys the stream with the
    // error, which it emits as 'error', as Node's stdout does.
    onWriteError(fd, (error) => this.destroy(error));
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
    // False, as Node's write() after its stream errored, when the descriptor refused at once.
    return writeFd(this.fd, bytes, callback as ((error?: Error) => void) | undefined);
  }

  destroySoon(): void {
    this.destroy();
  }

  /**
   * Node's dummyDestroy for stdout and stderr: the error (if any) is emitted, the descriptor
   * stays open and the stream usable, and 'close' comes once.
   */
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    callback(error);
    (this as unknown as { _undestroy(): void })._undestroy();
    const state = (this as unknown as { _writableState: { emitClose: boolean } })._writableState;
    if (!state.emitClose) nextTick(() => this.emit("close"));
  }
}

/** process.stdout/stderr on a pipe: in Node a net.Socket, which its errors name. */
export class PipeWriteStream extends FdWriteStream {}
Object.defineProperty(PipeWriteStream, "name", { value: "Socket" });

/** process.stdout/stderr on a file: in Node a SyncWriteStream. */
export class FileWriteStream extends FdWriteStream {
  constructor(fd: number) {
    super(fd);
    this._type = "fs";
  }
}
Object.defineProperty(FileWriteStream, "name", { value: "SyncWriteStream" });

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
