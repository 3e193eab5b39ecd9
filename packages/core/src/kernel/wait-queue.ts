/**
 * A list of sleepers woken together when the state they wait on changes (pipe data, child
 * exit, SIGCONT). A sleeper whose process is killed leaves through its AbortSignal.
 */
export class WaitQueue {
  #wakers: (() => void)[] = [];

  /** Resolves at the next `wakeAll()`; rejects with the signal's reason if it aborts first. */
  wait(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        const i = this.#wakers.indexOf(wake);
        if (i >= 0) this.#wakers.splice(i, 1);
        reject(signal!.reason);
      };
      const wake = (): void => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      this.#wakers.push(wake);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  wakeAll(): void {
    if (this.#wakers.length === 0) return;
    const wakers = this.#wakers;
    this.#wakers = [];
    for (const wake of wakers) wake();
  }

  get size(): number {
    return this.#wakers.length;
  }
}
