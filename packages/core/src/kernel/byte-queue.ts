/**
 * A FIFO of byte chunks: what pipes and socket buffers hold between a writer and a reader.
 * Reads return a view of the head chunk when it alone can answer, and gather several chunks
 * into one array otherwise. Bounds and waiting are the owner's business.
 */
export class ByteQueue {
  #chunks: Uint8Array[] = [];
  #head = 0;
  #size = 0;

  /** Bytes queued. */
  get size(): number {
    return this.#size;
  }

  /** Appends `chunk` as is (callers copy first when the writer may reuse its buffer). */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#size += chunk.length;
  }

  /** Removes and returns up to `max` bytes (at least one); the queue must not be empty. */
  take(max: number): Uint8Array {
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

  /** Drops everything queued. */
  clear(): void {
    this.#chunks = [];
    this.#head = 0;
    this.#size = 0;
  }

  #shift(): void {
    this.#chunks.shift();
    this.#head = 0;
  }
}
