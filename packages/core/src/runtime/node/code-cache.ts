/**
 * V8 code caches for guest modules, shared by every isolate of the host process (cached data is
 * not tied to an isolate). Keyed by a hash of the exact source compiled, so an edited file
 * simply misses. Bounded by total bytes; the oldest entries go first.
 */
import { createHash } from "node:crypto";
import type ivm from "isolated-vm";

const MAX_BYTES = 256 * 1024 * 1024;
/** Sources this small compile faster than a cache lookup pays for. */
const MIN_SOURCE_LENGTH = 4096;

/** The cache options isolated-vm's compile calls take. */
export type CacheOptions =
  | { cachedData: ivm.ExternalCopy<ArrayBuffer> }
  | { produceCachedData: boolean };

export class CodeCache {
  readonly #entries = new Map<string, ivm.ExternalCopy<ArrayBuffer>>();
  #bytes = 0;

  /**
   * Compiles through `compile` with the cached data for this exact source if there is some,
   * asking V8 to produce it otherwise, and keeps what V8 produced.
   */
  compile<T extends object>(
    filename: string,
    source: string,
    compile: (options: CacheOptions) => T,
  ): T {
    const key = this.key(filename, source);
    const cachedData = this.get(key);
    const compiled = compile(
      cachedData ? { cachedData } : { produceCachedData: key !== undefined },
    );
    this.set(key, (compiled as { cachedData?: ivm.ExternalCopy<ArrayBuffer> }).cachedData);
    return compiled;
  }

  key(filename: string, source: string): string | undefined {
    if (source.length < MIN_SOURCE_LENGTH) return undefined;
    return createHash("sha1").update(filename).update("\0").update(source).digest("base64");
  }

  get(key: string | undefined): ivm.ExternalCopy<ArrayBuffer> | undefined {
    if (key === undefined) return undefined;
    const data = this.#entries.get(key);
    if (data) {
      // Refresh recency.
      this.#entries.delete(key);
      this.#entries.set(key, data);
    }
    return data;
  }

  set(key: string | undefined, data: ivm.ExternalCopy<ArrayBuffer> | undefined): void {
    if (key === undefined || data === undefined || this.#entries.has(key)) return;
    this.#entries.set(key, data);
    this.#bytes += data.copy().byteLength;
    for (const [oldKey, oldData] of this.#entries) {
      if (this.#bytes <= MAX_BYTES) break;
      this.#entries.delete(oldKey);
      this.#bytes -= oldData.copy().byteLength;
      oldData.release();
    }
  }
}
