/**
 * process.stdout/stderr/stdin as streams on the kernel descriptors 0-2. Output goes through the
 * batched writer; stdin pulls from fd 0 only while someone reads, and keeps the process alive
 * only while a read is outstanding. On a terminal they are tty streams (isTTY, columns, rows,
 * setRawMode), as in Node.
 */

import { Buffer } from "buffer";
import { Readable, Writable } from "readable-stream";
import { callAsync, callSync } from "./host.ts";
import { hold } from "./loop.ts";
import { writeFd } from "./output.ts";

export interface TtyInfo {
  isTTY: boolean;
  columns?: number;
  rows?: number;
}

export interface StdioStreams {
  stdout(): Writable;
  stderr(): Writable;
  stdin(): Readable;
}

export function createStdio(tty: TtyInfo[]): StdioStreams {
  let stdout: Writable | undefined;
  let stderr: Writable | undefined;
  let stdin: Readable | undefined;
  return {
    stdout: () => (stdout ??= createOutput(1, tty[1])),
    stderr: () => (stderr ??= createOutput(2, tty[2])),
    stdin: () => (stdin ??= createInput(0, tty[0])),
  };
}

function toBytes(chunk: unknown, encoding?: string): Uint8Array {
  if (typeof chunk === "string") return Buffer.from(chunk, (encoding as BufferEncoding) || "utf8");
  if (chunk instanceof Uint8Array) return chunk;
  throw Object.assign(
    new TypeError(
      `The "chunk" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ${chunk === null ? "null" : typeof chunk}`,
    ),
    { code: "ERR_INVALID_ARG_TYPE" },
  );
}

export function createOutput(fd: number, info: TtyInfo | undefined): Writable {
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: unknown, encoding: string, callback: (error?: Error | null) => void) {
      writeFd(fd, toBytes(chunk, encoding), () => callback());
    },
  }) as Writable & Record<string, unknown>;
  // Node writes to pipes and files synchronously on Linux: write() never reports backpressure.
  const write = stream.write.bind(stream);
  stream.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
    if (typeof encoding === "function") {
      callback = encoding;
      encoding = undefined;
    }
    const bytes = toBytes(chunk, encoding as string | undefined);
    if (stream.writableEnded || stream.destroyed) return write(bytes, callback as never);
    writeFd(fd, bytes, callback as (() => void) | undefined);
    return true;
  }) as typeof stream.write;
  stream.fd = fd;
  stream._isStdio = true;
  stream._type = info?.isTTY ? "tty" : "pipe";
  stream.destroySoon = stream.destroy;
  stream._destroy = (_error: Error | null, callback: (e?: Error | null) => void) => callback();
  if (info?.isTTY) addTtyOutput(stream, fd, info);
  return stream;
}

function addTtyOutput(stream: Writable & Record<string, unknown>, fd: number, info: TtyInfo): void {
  stream.isTTY = true;
  stream.columns = info.columns ?? 80;
  stream.rows = info.rows ?? 24;
  stream.getWindowSize = () => {
    const [cols, rows] = callSync<[number, number]>("fd.windowSize", fd);
    return [cols, rows];
  };
  stream.getColorDepth = (env: Record<string, string> = process.env as Record<string, string>) => {
    if (env.NO_COLOR !== undefined || env.NODE_DISABLE_COLORS !== undefined) return 1;
    if (env.COLORTERM === "truecolor" || env.COLORTERM === "24bit") return 24;
    if (env.TERM === "dumb") return 1;
    if (/256/.test(env.TERM ?? "")) return 8;
    return 4;
  };
  stream.hasColors = (count = 16, env?: Record<string, string>) => {
    const depth = (stream.getColorDepth as (e?: object) => number)(env);
    return 2 ** depth >= (typeof count === "number" ? count : 16);
  };
  const ansi = (text: string, callback?: () => void) => {
    stream.write(text);
    if (callback) callback();
    return true;
  };
  stream.cursorTo = (x: number, y?: number | (() => void), callback?: () => void) =>
    typeof y === "number" ? ansi(`\x1b[${y + 1};${x + 1}H`, callback) : ansi(`\x1b[${x + 1}G`, y);
  stream.moveCursor = (dx: number, dy: number, callback?: () => void) => {
    let text = "";
    if (dx < 0) text += `\x1b[${-dx}D`;
    else if (dx > 0) text += `\x1b[${dx}C`;
    if (dy < 0) text += `\x1b[${-dy}A`;
    else if (dy > 0) text += `\x1b[${dy}B`;
    return ansi(text, callback);
  };
  stream.clearLine = (dir: number, callback?: () => void) =>
    ansi(dir < 0 ? "\x1b[1K" : dir > 0 ? "\x1b[0K" : "\x1b[2K", callback);
  stream.clearScreenDown = (callback?: () => void) => ansi("\x1b[0J", callback);
}

export function createInput(fd: number, info: TtyInfo | undefined): Readable {
  let reading = false;
  const stream = new Readable({
    highWaterMark: 65536,
    read() {
      if (reading) return;
      reading = true;
      const release = hold();
      callAsync<Uint8Array | null>("fd.read", [fd, 65536], (error, data) => {
        reading = false;
        release();
        if (error) {
          stream.destroy(error);
          return;
        }
        stream.push(
          data && data.length > 0 ? Buffer.from(data.buffer, data.byteOffset, data.length) : null,
        );
      });
    },
  }) as Readable & Record<string, unknown>;
  stream.fd = fd;
  if (info?.isTTY) {
    stream.isTTY = true;
    stream.isRaw = false;
    stream.setRawMode = (mode: boolean) => {
      callSync("fd.setRawMode", fd, Boolean(mode));
      stream.isRaw = Boolean(mode);
      return stream;
    };
  }
  return stream;
}
