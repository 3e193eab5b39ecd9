/**
 * Open file descriptions: what a file descriptor points at. Several descriptors (after dup,
 * or across fork/spawn inheritance) share one description and therefore its offset and
 * status flags; the description closes its underlying object when the last one goes away.
 */
import { KernelError } from "../fs/errors.ts";
import type { Mount } from "../fs/mount-table.ts";
import {
  type DirEntry,
  O_ACCMODE,
  O_APPEND,
  O_NONBLOCK,
  O_RDONLY,
  O_WRONLY,
  S_IFCHR,
  S_IFIFO,
  S_IFMT,
  type Stat,
  type VfsFile,
} from "../fs/types.ts";
import type { Pipe } from "./pipe.ts";

export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;

export interface IoOptions {
  /** Aborts a blocked read or write when the calling process is killed. */
  signal?: AbortSignal;
}

export abstract class OpenFile {
  abstract readonly kind: "file" | "directory" | "pipe" | "sink";
  /** Access mode and status flags (O_APPEND, O_NONBLOCK). */
  flags: number;
  /** Number of descriptors (in any process) referring to this description. */
  refs = 0;
  position = 0;
  /** Path shown in /proc/<pid>/fd and error messages. */
  readonly label: string;

  constructor(flags: number, label: string) {
    this.flags = flags;
    this.label = label;
  }

  get readable(): boolean {
    return (this.flags & O_ACCMODE) !== O_WRONLY;
  }

  get writable(): boolean {
    return (this.flags & O_ACCMODE) !== O_RDONLY;
  }

  get nonBlocking(): boolean {
    return (this.flags & O_NONBLOCK) !== 0;
  }

  /** Reads up to `max` bytes; an empty array or null means end of file. */
  abstract read(max: number, options?: IoOptions): Promise<Uint8Array | null>;
  abstract write(data: Uint8Array, options?: IoOptions): Promise<number>;
  abstract stat(): Promise<Stat>;
  /** Releases the underlying object; called once, when `refs` drops to zero. */
  abstract release(): Promise<void> | void;

  seek(_offset: number, _whence: number): Promise<number> {
    return Promise.reject(new KernelError("ESPIPE", "lseek"));
  }

  /** Whether the terminal-related calls apply (PTYs override this). */
  isTerminal(): boolean {
    return false;
  }
}

/** Limits a write can hit, supplied by the kernel. */
export interface FileWriteLimits {
  maxFileSize: number;
}

export class FileOpenFile extends OpenFile {
  readonly kind = "file";
  readonly file: VfsFile;
  readonly mount: Mount;
  readonly path: string;
  readonly #limits: FileWriteLimits;
  readonly #isDevice: boolean;

  constructor(
    file: VfsFile,
    flags: number,
    path: string,
    mount: Mount,
    mode: number,
    limits: FileWriteLimits,
  ) {
    super(flags, path);
    this.file = file;
    this.mount = mount;
    this.path = path;
    this.#limits = limits;
    this.#isDevice = (mode & S_IFMT) === S_IFCHR;
  }

  async read(max: number): Promise<Uint8Array | null> {
    if (!this.readable) throw new KernelError("EBADF", "read");
    if (this.file.readChunk && !this.#isDevice) {
      const chunk = await this.file.readChunk(this.position, max);
      this.position += chunk.length;
      return chunk.length === 0 ? null : chunk;
    }
    const buffer = new Uint8Array(max);
    const n = await this.file.read(buffer, 0, max, this.position);
    if (!this.#isDevice) this.position += n;
    return n === 0 ? null : n === max ? buffer : buffer.subarray(0, n);
  }

  async write(data: Uint8Array): Promise<number> {
    if (!this.writable) throw new KernelError("EBADF", "write");
    if (this.flags & O_APPEND && !this.#isDevice) this.position = (await this.file.stat()).size;
    let length = data.length;
    if (!this.#isDevice && this.position + length > this.#limits.maxFileSize) {
      length = Math.max(0, this.#limits.maxFileSize - this.position);
      if (length === 0) throw new KernelError("EFBIG", "write", this.path);
    }
    const n = await this.file.write(data, 0, length, this.position);
    if (!this.#isDevice) this.position += n;
    return n;
  }

  override async seek(offset: number, whence: number): Promise<number> {
    if (this.#isDevice) return 0;
    let base: number;
    if (whence === SEEK_SET) base = 0;
    else if (whence === SEEK_CUR) base = this.position;
    else if (whence === SEEK_END) base = (await this.file.stat()).size;
    else throw new KernelError("EINVAL", "lseek");
    const next = base + offset;
    if (next < 0 || !Number.isSafeInteger(next)) throw new KernelError("EINVAL", "lseek");
    this.position = next;
    return next;
  }

  async stat(): Promise<Stat> {
    return { ...(await this.file.stat()), dev: this.mount.dev };
  }

  release(): Promise<void> {
    return this.file.close();
  }
}

/** A directory opened for fstat, fchdir and reading entries. */
export class DirectoryOpenFile extends OpenFile {
  readonly kind = "directory";
  readonly path: string;
  readonly #stat: () => Promise<Stat>;
  readonly listing: () => Promise<DirEntry[]>;

  constructor(
    path: string,
    flags: number,
    stat: () => Promise<Stat>,
    listing: () => Promise<DirEntry[]>,
  ) {
    super(flags, path);
    this.path = path;
    this.#stat = stat;
    this.listing = listing;
  }

  read(): Promise<Uint8Array | null> {
    return Promise.reject(new KernelError("EISDIR", "read", this.path));
  }

  write(): Promise<number> {
    return Promise.reject(new KernelError("EBADF", "write", this.path));
  }

  stat(): Promise<Stat> {
    return this.#stat();
  }

  override async seek(offset: number, whence: number): Promise<number> {
    if (whence !== SEEK_SET || offset < 0) throw new KernelError("EINVAL", "lseek");
    this.position = offset;
    return offset;
  }

  release(): void {}
}

let fakeIno = 1 << 20;

/** Stat of an anonymous FIFO-like description (pipe ends, host sinks). */
function fifoStat(ino: number, size: number): Stat {
  const now = Date.now();
  return {
    dev: 0,
    ino,
    mode: S_IFIFO | 0o600,
    nlink: 1,
    uid: 0,
    gid: 0,
    rdev: 0,
    size,
    blksize: 4096,
    blocks: 0,
    atimeMs: now,
    mtimeMs: now,
    ctimeMs: now,
    birthtimeMs: now,
  };
}

/** One end of a pipe. The read end reads, the write end writes. */
export class PipeOpenFile extends OpenFile {
  readonly kind = "pipe";
  readonly pipe: Pipe;
  readonly #ino = fakeIno++;

  constructor(pipe: Pipe, end: "read" | "write") {
    super(end === "read" ? O_RDONLY : O_WRONLY, `pipe:[${pipe.id}]`);
    this.pipe = pipe;
    if (end === "read") pipe.readers++;
    else pipe.writers++;
  }

  read(max: number, options?: IoOptions): Promise<Uint8Array | null> {
    if (!this.readable) return Promise.reject(new KernelError("EBADF", "read"));
    return this.pipe.read(max, options?.signal, this.nonBlocking);
  }

  write(data: Uint8Array, options?: IoOptions): Promise<number> {
    if (!this.writable) return Promise.reject(new KernelError("EBADF", "write"));
    return this.pipe.write(data, options?.signal, this.nonBlocking);
  }

  async stat(): Promise<Stat> {
    return fifoStat(this.#ino, this.pipe.buffered);
  }

  release(): void {
    if (this.readable) this.pipe.closeReader();
    else this.pipe.closeWriter();
  }

  /**
   * For a write end held by the host (stdin given to `exec`, here-documents): writes all of
   * `data`, waiting for the reader, then closes this end. A reader that stopped reading is
   * its own business, not an error.
   */
  async feedAndClose(data?: Uint8Array): Promise<void> {
    try {
      if (data && data.length > 0) await this.write(data);
    } catch {
      // The reader went away.
    } finally {
      this.release();
    }
  }
}

/**
 * A write-only description whose bytes go straight to a host callback: how `exec` and
 * `spawn` collect a process's output without an extra copy through a pipe.
 */
export class SinkOpenFile extends OpenFile {
  readonly kind = "sink";
  readonly #onData: (data: Uint8Array) => void;
  readonly #onClose: () => void;
  readonly #ino = fakeIno++;

  constructor(label: string, onData: (data: Uint8Array) => void, onClose: () => void = () => {}) {
    super(O_WRONLY, label);
    this.#onData = onData;
    this.#onClose = onClose;
  }

  read(): Promise<Uint8Array | null> {
    return Promise.reject(new KernelError("EBADF", "read"));
  }

  async write(data: Uint8Array): Promise<number> {
    // Copy: the writer may reuse its buffer.
    this.#onData(data.slice());
    return data.length;
  }

  async stat(): Promise<Stat> {
    return fifoStat(this.#ino, 0);
  }

  release(): void {
    this.#onClose();
  }
}
