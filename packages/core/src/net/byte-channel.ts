/**
 * One direction of a stream connection: a bounded byte queue between a writer and a reader.
 * Writers wait while it is full (backpressure, as a socket's send buffer does), readers wait
 * while it is empty. `end()` is the writer's FIN (the reader sees EOF after the buffered
 * bytes), `closeReader()` makes later writes fail with EPIPE, and `reset()` fails both sides
 * with one error (ECONNRESET, or what the host socket reported).
 */
import { ByteQueue } from "../kernel/byte-queue.ts";
import { WaitQueue } from "../kernel/wait-queue.ts";
import { NetworkError } from "./network-error.ts";

export const DEFAULT_SOCKET_BUFFER_BYTES = 128 * 1024;

export class ByteChannel {
  readonly capacity: number;
  readonly #queue = new ByteQueue();
  #ended = false;
  #readerClosed = false;
  #error: Error | undefined;
  readonly #changed = new WaitQueue();
  /** Called when a read frees room (producers that pushed past capacity resume then). */
  onSpace: (() => void) | undefined;

  constructor(capacity = DEFAULT_SOCKET_BUFFER_BYTES) {
    this.capacity = capacity;
  }

  get buffered(): number {
    return this.#queue.size;
  }

  get ended(): boolean {
    return this.#ended;
  }

  get readerClosed(): boolean {
    return this.#readerClosed;
  }

  /** Reads up to `max` bytes; null at EOF (or once the reader side is closed). */
  async read(max: number, signal?: AbortSignal): Promise<Uint8Array | null> {
    for (;;) {
      if (this.#error) throw this.#error;
      if (this.#readerClosed) return null;
      if (this.#queue.size > 0) break;
      if (this.#ended) return null;
      await this.#changed.wait(signal);
    }
    const out = this.#queue.take(Math.max(1, max));
    this.#changed.wakeAll();
    this.onSpace?.();
    return out;
  }

  /**
   * Queues all of `data`, waiting for room as needed; resolves once the last byte is in the
   * buffer (not when the peer has read it).
   */
  async write(data: Uint8Array, signal?: AbortSignal): Promise<void> {
    let offset = 0;
    while (offset < data.length) {
      this.#checkWritable();
      const room = this.capacity - this.#queue.size;
      if (room <= 0) {
        await this.#changed.wait(signal);
        continue;
      }
      const n = Math.min(room, data.length - offset);
      // Copy: the writer may reuse its buffer once we return.
      this.#queue.push(data.slice(offset, offset + n));
      offset += n;
      this.#changed.wakeAll();
    }
  }

  /**
   * Queues `data` at once, past the capacity if need be, for producers that can pause (a host
   * socket). Returns false when the buffer is now full: the producer should wait for onSpace.
   */
  push(data: Uint8Array): boolean {
    this.#checkWritable();
    if (data.length > 0) {
      this.#queue.push(data);
      this.#changed.wakeAll();
    }
    return this.#queue.size < this.capacity;
  }

  #checkWritable(): void {
    if (this.#error) throw this.#error;
    if (this.#ended) throw new NetworkError("EPIPE", "write", { detail: "socket is shut down" });
    if (this.#readerClosed) throw new NetworkError("EPIPE", "write");
  }

  /** The writer's FIN: the reader gets EOF after what is buffered. Idempotent. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#changed.wakeAll();
  }

  /** The reader is gone: buffered bytes are dropped and writers get EPIPE. Idempotent. */
  closeReader(): void {
    if (this.#readerClosed) return;
    this.#readerClosed = true;
    this.#queue.clear();
    this.#changed.wakeAll();
    this.onSpace?.();
  }

  /** Fails every pending and later read and write with `error` (a reset connection). */
  reset(error: Error): void {
    if (this.#error) return;
    this.#error = error;
    this.#queue.clear();
    this.#changed.wakeAll();
  }
}
