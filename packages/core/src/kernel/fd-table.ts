/**
 * A process's file descriptor table: small integers mapped to shared open file
 * descriptions, each with its own close-on-exec flag.
 */
import { KernelError } from "../fs/errors.ts";
import type { OpenFile } from "./open-file.ts";

export interface FdEntry {
  file: OpenFile;
  cloexec: boolean;
}

export class FdTable {
  readonly #entries = new Map<number, FdEntry>();
  /** Most descriptors a process may hold (RLIMIT_NOFILE). */
  limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(fd: number): OpenFile {
    const entry = this.#entries.get(fd);
    if (!entry) throw new KernelError("EBADF", "fd");
    return entry.file;
  }

  entry(fd: number): FdEntry | undefined {
    return this.#entries.get(fd);
  }

  has(fd: number): boolean {
    return this.#entries.has(fd);
  }

  /** Installs `file` at the lowest free descriptor ≥ `min`. */
  allocate(file: OpenFile, cloexec = false, min = 0): number {
    if (this.#entries.size >= this.limit) throw new KernelError("EMFILE", "open");
    let fd = min;
    while (this.#entries.has(fd)) fd++;
    if (fd >= this.limit) throw new KernelError("EMFILE", "open");
    file.refs++;
    this.#entries.set(fd, { file, cloexec });
    return fd;
  }

  /**
   * Puts `file` at exactly `fd`, returning the description it displaced (for the caller to
   * release) — dup2 semantics.
   */
  install(fd: number, file: OpenFile, cloexec = false): OpenFile | undefined {
    if (!Number.isInteger(fd) || fd < 0 || fd >= this.limit) throw new KernelError("EBADF", "dup2");
    const previous = this.#entries.get(fd);
    file.refs++;
    this.#entries.set(fd, { file, cloexec });
    return previous?.file;
  }

  /** Removes `fd`; returns its description for the caller to release if it was the last ref. */
  remove(fd: number): OpenFile {
    const entry = this.#entries.get(fd);
    if (!entry) throw new KernelError("EBADF", "close");
    this.#entries.delete(fd);
    return entry.file;
  }

  setCloexec(fd: number, cloexec: boolean): void {
    const entry = this.#entries.get(fd);
    if (!entry) throw new KernelError("EBADF", "fcntl");
    entry.cloexec = cloexec;
  }

  entries(): [number, FdEntry][] {
    return [...this.#entries.entries()].sort((a, b) => a[0] - b[0]);
  }

  /** Removes everything, returning the descriptions for release. */
  clear(): OpenFile[] {
    const files = [...this.#entries.values()].map((e) => e.file);
    this.#entries.clear();
    return files;
  }
}
