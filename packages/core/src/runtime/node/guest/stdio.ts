/**
 * process.stdout/stderr/stdin on the kernel descriptors 0-2, built on first use as Node does.
 * On a terminal they are tty.WriteStream/ReadStream (isTTY, columns, rows, setRawMode) and
 * stdout/stderr follow the terminal's size on SIGWINCH ('resize'); otherwise plain descriptor
 * streams (see fd-streams.ts).
 */
import type { Readable, Writable } from "readable-stream";
import { ReadStream, WriteStream } from "./builtins/tty.ts";
import { FdReadStream, FdWriteStream } from "./fd-streams.ts";

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

function createOutput(fd: number, info: TtyInfo | undefined): Writable {
  if (!info?.isTTY) return new FdWriteStream(fd);
  const stream = new WriteStream(fd);
  // As Node's getStdout: the size follows the terminal (and 'resize' fires) on SIGWINCH.
  process.on("SIGWINCH", () => stream._refreshSize());
  return stream;
}

function createInput(fd: number, info: TtyInfo | undefined): Readable {
  return info?.isTTY ? new ReadStream(fd) : new FdReadStream(fd);
}
