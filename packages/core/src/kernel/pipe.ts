/**
 * A pipe: a bounded byte buffer between writers and readers. Writers wait while it is full
 * (backpressure), readers wait while it is empty, readers see EOF once every write end is
 * closed, and writers get EPIPE once every read end is closed.
 */

import { KernelError } from "../fs/errors.ts";
import { ByteQueue } from "./byte-queue.ts";
import { WaitQueue } from "./wait-queue.ts";

export const DEFAULT_PIPE_CAPACITY = 64 * 1024;

let nextPipeId = 1;

export class Pipe {
  readonly id = nextPipeId++;
  readonly capacity: number;
  readers = 0;
  writers = 0;
  readonly #queue = new ByteQueue();
  readonly #changed = new WaitQueue();
  /** Called whenever data, EOF or a closed reader makes the pipe's state change (for poll). */
  onChange: (() => void) | undefined;

  constructor(capacity = DEFAULT_PIPE_CAPACITY) {
    this.capacity = capacity;
  }

  get buffered(): number {
    return this.#queue.size;
  }

  /** True when a read would not wait (data buffered or EOF). */
  get readable(): boolean {
    return this.#queue.size > 0 || this.writers === 0;
  }

  /** Reads up to `max` bytes; null at EOF. Waits while the pipe is empty and has writers. */
  async read(max: number, signal?: AbortSignal, nonBlocking = false): Promise<Uint8Array | null> {
    while (this.#queue.size === 0) {
      if (this.writers === 0) return null;
      if (nonBlocking) throw new KernelError("EAGAIN", "read");
      await this.#changed.wait(signal);
    }
    const out = this.#queue.take(max);
    this.#notify();
    return out;
  }

  /**
   * Writes all of `data`, waiting for room as needed. Throws EPIPE when no reader is left
   * (the kernel turns that into SIGPIPE for the writer).
   */
  async write(data: Uint8Array, signal?: AbortSignal, nonBlocking = false): Promise<number> {
    let offset = 0;
    while (offset < data.length) {
      if (this.readers === 0) throw new KernelError("EPIPE", "write");
      const room = this.capacity - this.#queue.size;
      if (room <= 0) {
        if (nonBlocking) {
          if (offset > 0) return offset;
          throw new KernelError("EAGAIN", "write");
        }
        await this.#changed.wait(signal);
        continue;
      }
      const n = Math.min(room, data.length - offset);
      // Copy: the writer may reuse its buffer after we return.
      this.#queue.push(data.slice(offset, offset + n));
      offset += n;
      this.#notify();
    }
    return offset;
  }

  closeReader(): void {
    this.readers--;
    if (this.readers === 0) {
      // Nobody will read what is buffered: drop it so writers fail fast.
      this.#queue.clear();
    }
    this.#notify();
  }

  closeWriter(): void {
    this.writers--;
    this.#notify();
  }

  #notify(): void {
    this.#changed.wakeAll();
    this.onChange?.();
  }
}
