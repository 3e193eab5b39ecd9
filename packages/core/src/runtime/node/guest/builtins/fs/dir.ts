/** fs.Dir (opendir): the entries are listed when it opens, then handed out one at a time. */

import { codedError } from "../../errors.ts";
import type { Callback } from "../../host.ts";
import { nextTick } from "../../loop.ts";
import { type Dirent, direntOf } from "./dirent.ts";
import { validateFunction } from "./validate.ts";

function closedError(): Error {
  return codedError(Error, "ERR_DIR_CLOSED", "Directory handle was closed");
}

export class Dir {
  readonly #path: string;
  readonly #entries: Dirent[];
  #closed = false;

  constructor(path: string, names: string[], kinds: string[]) {
    this.#path = path;
    this.#entries = names.map((name, i) => direntOf(path, name, kinds[i]));
  }

  get path(): string {
    return this.#path;
  }

  readSync(): Dirent | null {
    if (this.#closed) throw closedError();
    return this.#entries.shift() ?? null;
  }

  read(): Promise<Dirent | null>;
  read(callback: Callback<Dirent | null>): void;
  read(callback?: Callback<Dirent | null>): Promise<Dirent | null> | void {
    if (callback === undefined) {
      return new Promise((resolve, reject) =>
        this.read((e, v) => (e ? reject(e) : resolve(v ?? null))),
      );
    }
    validateFunction(callback, "callback");
    let entry: Dirent | null;
    try {
      entry = this.readSync();
    } catch (error) {
      nextTick(() => callback(error as Error));
      return;
    }
    nextTick(() => callback(null, entry));
  }

  closeSync(): void {
    if (this.#closed) throw closedError();
    this.#closed = true;
  }

  close(): Promise<void>;
  close(callback: (error: Error | null) => void): void;
  close(callback?: (error: Error | null) => void): Promise<void> | void {
    if (callback === undefined) {
      return new Promise((resolve, reject) => this.close((e) => (e ? reject(e) : resolve())));
    }
    validateFunction(callback, "callback");
    try {
      this.closeSync();
    } catch (error) {
      nextTick(() => callback(error as Error));
      return;
    }
    nextTick(() => callback(null));
  }

  async *entries(): AsyncGenerator<Dirent> {
    try {
      for (;;) {
        const entry = this.readSync();
        if (entry === null) break;
        yield entry;
      }
    } finally {
      if (!this.#closed) this.closeSync();
    }
  }

  [Symbol.asyncIterator](): AsyncGenerator<Dirent> {
    return this.entries();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#closed) this.closeSync();
  }

  [Symbol.dispose](): void {
    if (!this.#closed) this.closeSync();
  }
}
