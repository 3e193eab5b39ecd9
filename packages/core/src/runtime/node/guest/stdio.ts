/**
 * process.stdout/stderr/stdin on the kernel descriptors 0-2, built on first use as Node does.
 * On a terminal they are tty.WriteStream/ReadStream (isTTY, columns, rows, setRawMode) and
 * stdout/stderr follow the terminal's size on SIGWINCH ('resize'); otherwise plain descriptor
 * streams named as Node's are on a file or a pipe (see fd-streams.ts).
 */
import { type Readable, Writable } from "readable-stream";
import { ReadStream, WriteStream } from "./builtins/tty.ts";
import { FdReadStream, FileWriteStream, PipeWriteStream } from "./fd-streams.ts";

export interface TtyInfo {
  isTTY: boolean;
  columns?: number;
  rows?: number;
  /** A regular file (not a pipe or a terminal). */
  file?: boolean;
  /** Not open when the process started. */
  closed?: boolean;
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
  if (info?.closed) return blackHole(fd);
  if (!info?.isTTY) return info?.file ? new FileWriteStream(fd) : new PipeWriteStream(fd);
  const stream = new WriteStream(fd);
  // As Node's getStdout: the size follows the terminal (and 'resize' fires) on SIGWINCH.
  process.on("SIGWINCH", () => stream._refreshSize());
  return stream;
}

/** Node's stdout on a descriptor that is not open: everything written is dropped. */
function blackHole(fd: number): Writable {
  const stream = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  return Object.assign(stream, { fd, _isStdio: true });
}

function createInput(fd: number, info: TtyInfo | undefined): Readable {
  return info?.isTTY ? new ReadStream(fd) : new FdReadStream(fd);
}
