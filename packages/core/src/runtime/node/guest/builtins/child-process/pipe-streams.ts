/**
 * The parent's ends of a child's stdio pipes, as streams over descriptors of the guest
 * process: reads wait on the kernel pipe (and keep the process alive only while one is
 * outstanding), writes go through `child.write`, which reports a vanished reader as EPIPE.
 */
import { Buffer } from "buffer";
import { Readable, Writable } from "readable-stream";
import { callAsync, notifyHost } from "../../host.ts";
import { hold } from "../../loop.ts";

function closeFd(fd: number): void {
  notifyHost("fd.close", fd);
}

/** child.stdout / child.stderr (and extra pipes the child writes). */
export class PipeReadable extends Readable {
  readonly fd: number;
  #reading = false;
  #closed = false;
  #release: (() => void) | null = null;

  constructor(fd: number) {
    super({ highWaterMark: 65536 });
    this.fd = fd;
  }

  override _read(): void {
    if (this.#reading || this.#closed) return;
    this.#reading = true;
    this.#release = hold();
    callAsync<Uint8Array | null>("fd.read", [this.fd, 65536], (error, data) => {
      this.#reading = false;
      this.#release?.();
      this.#release = null;
      if (this.destroyed) return;
      if (error) {
        this.destroy(error);
        return;
      }
      if (!data || data.length === 0) {
        this.#close();
        this.push(null);
        // As net.Socket does at EOF: with nothing buffered, this ends the stream now.
        this.read(0);
        return;
      }
      this.push(Buffer.from(data.buffer, data.byteOffset, data.length));
    });
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // A read still in flight answers into a destroyed stream; it must not keep us alive.
    this.#release?.();
    this.#release = null;
    this.#close();
    callback(error);
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeFd(this.fd);
  }
}

/** child.stdin. */
export class PipeWritable extends Writable {
  readonly fd: number;
  #closed = false;

  constructor(fd: number) {
    super({ highWaterMark: 16384, decodeStrings: true });
    this.fd = fd;
  }

  override _write(
    chunk: Buffer,
    _encoding: string,
    callback: (error?: Error | null) => void,
  ): void {
    const release = hold();
    callAsync("child.write", [this.fd, new Uint8Array(chunk)], (error) => {
      release();
      callback(error ? writeError(error) : null);
    });
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#close();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#close();
    callback(error);
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeFd(this.fd);
  }
}

/** Node reports a failed pipe write as "write EPIPE", libuv style. */
function writeError(error: Error): Error {
  const code = (error as Error & { code?: string }).code;
  if (!code) return error;
  const rebuilt = new Error(`write ${code}`) as Error & Record<string, unknown>;
  rebuilt.errno = (error as Error & { errno?: number }).errno;
  rebuilt.code = code;
  rebuilt.syscall = "write";
  return rebuilt;
}

/** A stdio slot whose spawn failed: a stream that never carries data, as Node's unconnected socket. */
export function deadStream(readable: boolean): Readable | Writable {
  const stream = readable
    ? new Readable({ read() {} })
    : new Writable({ write: (_c, _e, cb) => cb() });
  stream.destroy();
  return stream;
}
