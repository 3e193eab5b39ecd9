/**
 * fs.ReadStream and fs.WriteStream on node:stream's Readable/Writable: open in `_construct`,
 * positional reads/writes when `start` is given, close on destroy when `autoClose`. Every host
 * call is asynchronous and holds the loop while pending.
 */
import { Buffer } from "buffer";
import type { Callback } from "../../host.ts";
import { loadBuiltin } from "../registry.ts";
import { runCallback } from "./bridge.ts";
import { PLANS } from "./plans.ts";
import { outOfRange, toPath, validateInteger } from "./validate.ts";

interface StreamModule {
  Readable: new (options?: object) => any;
  Writable: new (options?: object) => any;
}

interface HandleLike {
  fd: number;
  close(): Promise<void>;
}

interface StreamOptions {
  flags?: string | number;
  encoding?: string;
  fd?: number | HandleLike | null;
  mode?: number;
  autoClose?: boolean;
  emitClose?: boolean;
  start?: number;
  end?: number;
  highWaterMark?: number;
  flush?: boolean;
  signal?: AbortSignal;
}

function streamOptions(options: unknown): StreamOptions {
  if (typeof options === "string") return { encoding: options };
  return { ...((options ?? {}) as StreamOptions) };
}

function isHandle(fd: unknown): fd is HandleLike {
  return typeof fd === "object" && fd !== null && typeof (fd as HandleLike).close === "function";
}

function call<R>(name: string, args: unknown[], callback: Callback<R>): void {
  let plan: ReturnType<(typeof PLANS)[string]>;
  try {
    plan = PLANS[name](...args);
  } catch (error) {
    callback(error as Error);
    return;
  }
  runCallback(plan as never, callback);
}

let classes: { ReadStream: any; WriteStream: any } | undefined;

/** The stream classes, made on first use (node:stream loads lazily). */
export function fsStreams(): { ReadStream: any; WriteStream: any } {
  if (classes) return classes;
  const { Readable, Writable } = loadBuiltin("stream") as StreamModule;

  function closeFd(stream: any, error: Error | null, callback: (e: Error | null) => void) {
    const handle = stream._handle as HandleLike | undefined;
    if (handle) {
      handle.close().then(
        () => callback(error),
        (e: Error) => callback(error ?? e),
      );
      return;
    }
    if (!stream.autoClose || typeof stream.fd !== "number") {
      callback(error);
      return;
    }
    const fd = stream.fd;
    stream.fd = null;
    call("close", [fd], (e) => callback(error ?? e));
  }

  /** Opens the stream's path unless it was given an fd; then 'open' and 'ready', as Node. */
  function openFd(stream: any, callback: (error?: Error | null) => void) {
    if (stream.fd !== null) {
      callback();
      return;
    }
    call<number>("open", [stream.path, stream.flags, stream.mode], (error, fd) => {
      if (error) {
        callback(error);
        return;
      }
      stream.fd = fd as number;
      callback();
      stream.emit("open", stream.fd);
      stream.emit("ready");
    });
  }

  class ReadStream extends Readable {
    path: string | undefined;
    fd: number | null;
    flags: string | number;
    mode: number;
    start: number | undefined;
    end: number;
    pos: number | undefined;
    bytesRead = 0;
    autoClose: boolean;
    _handle: HandleLike | undefined;

    constructor(path: unknown, options?: unknown) {
      const opts = streamOptions(options);
      // Checked before the stream exists, as Node does: a rejected range must not open the file.
      const end = opts.end ?? Number.POSITIVE_INFINITY;
      if (opts.start !== undefined) validateInteger(opts.start, "start", 0);
      if (opts.end !== undefined) validateInteger(opts.end, "end", 0);
      if (opts.start !== undefined && opts.start > end) {
        throw outOfRange("start", `<= "end" (here: ${end})`, opts.start);
      }
      super({
        highWaterMark: opts.highWaterMark ?? 64 * 1024,
        encoding: opts.encoding,
        emitClose: opts.emitClose ?? true,
        autoDestroy: true,
        signal: opts.signal,
      });
      this._handle = isHandle(opts.fd) ? opts.fd : undefined;
      this.fd = this._handle ? this._handle.fd : ((opts.fd as number | null | undefined) ?? null);
      this.path = this.fd === null ? toPath(path) : undefined;
      this.flags = opts.flags ?? "r";
      this.mode = opts.mode ?? 0o666;
      this.autoClose = opts.autoClose ?? true;
      this.start = opts.start;
      this.end = end;
      this.pos = this.start;
    }

    get pending(): boolean {
      return this.fd === null;
    }

    _construct(callback: (error?: Error | null) => void): void {
      openFd(this, callback);
    }

    _read(size: number): void {
      const remaining = this.end - (this.pos ?? this.bytesRead) + 1;
      const length = Math.max(0, Math.min(size, remaining));
      if (length === 0) {
        this.push(null);
        return;
      }
      const buffer = Buffer.allocUnsafe(length);
      call<number>("read", [this.fd, buffer, 0, length, this.pos ?? null], (error, n) => {
        if (error) {
          this.destroy(error);
          return;
        }
        const count = n as number;
        if (this.pos !== undefined) this.pos += count;
        this.bytesRead += count;
        this.push(count > 0 ? buffer.subarray(0, count) : null);
      });
    }

    _destroy(error: Error | null, callback: (error: Error | null) => void): void {
      closeFd(this, error, callback);
    }

    close(callback?: (error?: Error | null) => void): void {
      if (typeof callback === "function") this.once("close", callback);
      this.destroy();
    }
  }

  class WriteStream extends Writable {
    path: string | undefined;
    fd: number | null;
    flags: string | number;
    mode: number;
    start: number | undefined;
    pos: number | undefined;
    bytesWritten = 0;
    autoClose: boolean;
    _handle: HandleLike | undefined;

    constructor(path: unknown, options?: unknown) {
      const opts = streamOptions(options);
      if (opts.start !== undefined) validateInteger(opts.start, "start", 0);
      super({
        highWaterMark: opts.highWaterMark,
        decodeStrings: true,
        defaultEncoding: opts.encoding ?? "utf8",
        emitClose: opts.emitClose ?? true,
        autoDestroy: true,
        signal: opts.signal,
      });
      this._handle = isHandle(opts.fd) ? opts.fd : undefined;
      this.fd = this._handle ? this._handle.fd : ((opts.fd as number | null | undefined) ?? null);
      this.path = this.fd === null ? toPath(path) : undefined;
      this.flags = opts.flags ?? "w";
      this.mode = opts.mode ?? 0o666;
      this.autoClose = opts.autoClose ?? true;
      this.start = opts.start;
      this.pos = this.start;
    }

    get pending(): boolean {
      return this.fd === null;
    }

    _construct(callback: (error?: Error | null) => void): void {
      openFd(this, callback);
    }

    _write(chunk: Uint8Array, _encoding: string, callback: (error?: Error | null) => void): void {
      call<number>("write", [this.fd, chunk, 0, chunk.length, this.pos ?? null], (error, n) => {
        if (error) {
          callback(error);
          return;
        }
        this.bytesWritten += n as number;
        if (this.pos !== undefined) this.pos += n as number;
        callback();
      });
    }

    _destroy(error: Error | null, callback: (error: Error | null) => void): void {
      closeFd(this, error, callback);
    }

    close(callback?: (error?: Error | null) => void): void {
      if (callback) {
        if (this.closed) {
          queueMicrotask(() => callback());
          return;
        }
        this.once("close", callback);
      }
      if (!this.writableEnded) this.end();
      else this.destroy();
    }

    destroySoon(): void {
      this.end();
    }
  }

  classes = { ReadStream, WriteStream };
  return classes;
}
