/**
 * fs/promises FileHandle: a descriptor with promise methods. Closing it (or its async
 * disposal) closes the descriptor; streams made from it close it when they end.
 */

import { codedError } from "../../errors.ts";
import { loadBuiltin } from "../registry.ts";
import { runPromise } from "./bridge.ts";
import { PLANS, readArgs, writeArgs } from "./plans.ts";
import { fsStreams } from "./streams.ts";

type EmitterClass = new () => { emit(event: string, ...args: unknown[]): boolean };

let handleClass: (new (fd: number) => FileHandleShape) | undefined;

export interface FileHandleShape {
  readonly fd: number;
  close(): Promise<void>;
}

function closedError(syscall: string): Error {
  const error = codedError(Error, "EBADF", "file closed") as unknown as Error &
    Record<string, unknown>;
  error.errno = -9;
  error.syscall = syscall;
  return error;
}

export function isFileHandle(value: unknown): value is FileHandleShape {
  return handleClass !== undefined && value instanceof handleClass;
}

export function newFileHandle(fd: number): FileHandleShape {
  return new (fileHandleClass())(fd);
}

function fileHandleClass(): new (fd: number) => FileHandleShape {
  if (handleClass) return handleClass;
  const { EventEmitter } = loadBuiltin("events") as { EventEmitter: EmitterClass };
  class FileHandle extends EventEmitter {
    #fd: number;
    #closing: Promise<void> | undefined;
    constructor(fd: number) {
      super();
      this.#fd = fd;
    }
    get fd(): number {
      return this.#fd;
    }
    #live(syscall: string): number {
      if (this.#fd < 0) throw closedError(syscall);
      return this.#fd;
    }
    #run<R>(syscall: string, name: string, ...args: unknown[]): Promise<R> {
      try {
        const fd = this.#live(syscall);
        return runPromise(PLANS[name](fd, ...args)) as Promise<R>;
      } catch (error) {
        return Promise.reject(error);
      }
    }
    close(): Promise<void> {
      if (this.#closing) return this.#closing;
      if (this.#fd < 0) return Promise.resolve();
      const fd = this.#fd;
      this.#closing = runPromise(PLANS.close(fd)).then(() => {
        this.#fd = -1;
        this.emit("close");
      }) as Promise<void>;
      return this.#closing;
    }
    async read(...args: unknown[]) {
      const fd = this.#live("read");
      const r = readArgs(fd, ...(args as [unknown]));
      if (r.length === 0) return { bytesRead: 0, buffer: r.buffer };
      const bytesRead = (await runPromise(
        PLANS.read(fd, r.buffer, r.offset, r.length, r.position),
      )) as number;
      return { bytesRead, buffer: r.buffer };
    }
    async write(data: unknown, ...args: unknown[]) {
      const fd = this.#live("write");
      const w = writeArgs(fd, data, ...(args as [unknown]));
      const bytesWritten = (await runPromise(
        PLANS.write(fd, w.bytes, 0, w.bytes.length, w.position),
      )) as number;
      return Object.assign(Object.create(null), { bytesWritten, buffer: data });
    }
    async readv(buffers: Uint8Array[], position?: number) {
      const bytesRead = await this.#run<number>("read", "readv", buffers, position);
      return { bytesRead, buffers };
    }
    async writev(buffers: Uint8Array[], position?: number) {
      const bytesWritten = await this.#run<number>("write", "writev", buffers, position);
      return Object.assign(Object.create(null), { bytesWritten, buffers });
    }
    readFile(options?: unknown) {
      return this.#run("read", "readFile", options);
    }
    writeFile(data: unknown, options?: unknown) {
      return this.#run("write", "writeFile", data, options);
    }
    appendFile(data: unknown, options?: unknown) {
      return this.#run("write", "appendFile", data, options);
    }
    stat(options?: unknown) {
      return this.#run("fstat", "fstat", options);
    }
    truncate(len?: number) {
      return this.#run("ftruncate", "ftruncate", len);
    }
    chmod(mode: unknown) {
      return this.#run("fchmod", "fchmod", mode);
    }
    chown(uid: unknown, gid: unknown) {
      return this.#run("fchown", "fchown", uid, gid);
    }
    utimes(atime: unknown, mtime: unknown) {
      return this.#run("futime", "futimes", atime, mtime);
    }
    sync() {
      return this.#run("fsync", "fsync");
    }
    datasync() {
      return this.#run("fdatasync", "fdatasync");
    }
    createReadStream(options?: object) {
      return new (fsStreams().ReadStream)(undefined, { ...options, fd: this });
    }
    createWriteStream(options?: object) {
      return new (fsStreams().WriteStream)(undefined, { ...options, fd: this });
    }
    /** The lines of the file, as readline would split them (\n or \r\n). */
    readLines(options?: object) {
      const stream = this.createReadStream({ ...options, encoding: "utf8" });
      return {
        async *[Symbol.asyncIterator]() {
          let rest = "";
          for await (const chunk of stream as AsyncIterable<string>) {
            rest += chunk;
            let at = rest.indexOf("\n");
            while (at >= 0) {
              yield rest.slice(0, at > 0 && rest[at - 1] === "\r" ? at - 1 : at);
              rest = rest.slice(at + 1);
              at = rest.indexOf("\n");
            }
          }
          if (rest.length > 0) yield rest;
        },
      };
    }
    [Symbol.asyncDispose]() {
      return this.close();
    }
  }
  handleClass = FileHandle as unknown as new (fd: number) => FileHandleShape;
  return handleClass;
}
