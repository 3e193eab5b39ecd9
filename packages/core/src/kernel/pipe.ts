/**
 * A pipe: a bounded byte buffer between writers and readers. Writers wait while it is full
 * (backpressure), readers wait while it is empty, readers see EOF once every write end is
 * closed, and writers get EPIPE once every read end is closed.
 */
import { KernelError } from "../fs/errors.ts";
import { WaitQueue } from "./wait-queue.ts";

export const DEFAULT_PIPE_CAPACITY = 64 * 1024;

let nextPipeId = 1;

export class Pipe {
  readonly id = nextPipeId++;
  readonly capacity: number;
  readers = 0;
  writers = 0;
  #chunks: Uint8Array[] = [];
  #head = 0;
  #size = 0;
  readonly #changed = new WaitQueue();
  /** Called whenever data, EOF or a closed reader makes the pipe's state change (for poll). */
  onChange: (() => void) | undefined;

  constructor(capacity = DEFAULT_PIPE_CAPACITY) {
    this.capacity = capacity;
  }

  get buffered(): number {
    return this.#size;
  }

  /** True when a read would not wait (data buffered or EOF). */
  get readable(): boolean {
    return this.#size > 0 || this.writers === 0;
  }

  /** Reads up to `max` bytes; null at EOF. Waits while the pipe is empty and has writers. */
  async read(max: number, signal?: AbortSignal, nonBlocking = false): Promise<Uint8Array | null> {
    while (this.#size === 0) {
      if (this.writers === 0) return null;
      if (nonBlocking) throw new KernelError("EAGAIN", "read");
      await this.#changed.wait(signal);
    }
    const out = this.#take(max);
    this.#notify();
    return out;
  }

  #take(max: number): Uint8Array {
    const first = this.#chunks[0];
    const avail = first.length - this.#head;
    if (avail >= max || this.#chunks.length === 1) {
      const n = Math.min(avail, max);
      const out = first.subarray(this.#head, this.#head + n);
      this.#head += n;
      if (this.#head === first.length) this.#shift();
      this.#size -= n;
      return out;
    }
    // Gather several chunks into one result.
    const total = Math.min(max, this.#size);
    const out = new Uint8Array(total);
    let filled = 0;
    while (filled < total) {
      const chunk = this.#chunks[0];
      const n = Math.min(chunk.length - this.#head, total - filled);
      out.set(chunk.subarray(this.#head, this.#head + n), filled);
      filled += n;
      this.#head += n;
      if (this.#head === chunk.length) this.#shift();
    }
    this.#size -= total;
    return out;
  }

  #shift(): void {
    this.#chunks.shift();
    this.#head = 0;
  }

  /**
   * Writes all of `data`, waiting for room as needed. Throws EPIPE when no reader is left
   * (the kernel turns that into SIGPIPE for the writer).
   */
  async write(data: Uint8Array, signal?: AbortSignal, nonBlocking = false): Promise<number> {
    let offset = 0;
    while (offset < data.length) {
      if (this.readers === 0) throw new KernelError("EPIPE", "write");
      const room = this.capacity - this.#size;
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
      this.#chunks.push(data.slice(offset, offset + n));
      this.#size += n;
      offset += n;
      this.#notify();
    }
    return offset;
  }

  closeReader(): void {
    this.readers--;
    if (this.readers === 0) {
      // Nobody will read what is buffered: drop it so writers fail fast.
      this.#chunks = [];
      this.#head = 0;
      this.#size = 0;
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
