/**
 * What a handle (a child process, a worker, a started message port) holds the event loop with:
 * while it has work pending it keeps the process alive until `unref()`, as a libuv handle does.
 * Pending work is counted separately from the ref flag so `ref()` after `unref()` holds again
 * only if something is still pending.
 */
import { hold } from "./loop.ts";

export class KeepAlive {
  #pending = 0;
  #refed = true;
  #release: (() => void) | null = null;

  /** Marks one piece of work pending; call the returned function when it is done. */
  begin(): () => void {
    this.#pending++;
    this.#sync();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#pending--;
      this.#sync();
    };
  }

  ref(): void {
    this.#refed = true;
    this.#sync();
  }

  unref(): void {
    this.#refed = false;
    this.#sync();
  }

  get refed(): boolean {
    return this.#refed;
  }

  /** Whether the loop is held now (ref'ed and something pending): a handle's hasRef(). */
  get holding(): boolean {
    return this.#release !== null;
  }

  #sync(): void {
    const wanted = this.#refed && this.#pending > 0;
    if (wanted && !this.#release) this.#release = hold();
    else if (!wanted && this.#release) {
      const release = this.#release;
      this.#release = null;
      release();
    }
  }
}
