/** AbortController and AbortSignal (with abort(), timeout(), any()) on the guest's EventTarget. */
import { Event as EventShim, EventTarget as EventTargetShim } from "./event-target.ts";
import * as timers from "./timers.ts";

function abortReason(): Error {
  const error = new Error("This operation was aborted");
  error.name = "AbortError";
  (error as Error & { code: number }).code = 20;
  return error;
}

export class AbortSignal extends EventTargetShim {
  #aborted = false;
  #reason: unknown = undefined;
  onabort: ((event: Event) => void) | null = null;

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  throwIfAborted(): void {
    if (this.#aborted) throw this.#reason;
  }

  /** @internal */
  _abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason === undefined ? abortReason() : reason;
    const event = new EventShim("abort");
    this.onabort?.call(this, event);
    this.dispatchEvent(event);
  }

  static abort(reason?: unknown): AbortSignal {
    const signal = new AbortSignal();
    signal._abort(reason);
    return signal;
  }

  static timeout(ms: number): AbortSignal {
    const signal = new AbortSignal();
    timers
      .setTimeout(() => {
        const error = new Error("The operation was aborted due to timeout");
        error.name = "TimeoutError";
        (error as Error & { code: number }).code = 23;
        signal._abort(error);
      }, ms)
      .unref();
    return signal;
  }

  static any(signals: AbortSignal[]): AbortSignal {
    const combined = new AbortSignal();
    for (const signal of signals) {
      if (signal.aborted) {
        combined._abort(signal.reason);
        return combined;
      }
    }
    for (const signal of signals) {
      signal.addEventListener("abort", () => combined._abort(signal.reason), { once: true });
    }
    return combined;
  }

  get [Symbol.toStringTag](): string {
    return "AbortSignal";
  }
}

export class AbortController {
  readonly signal = new AbortSignal();

  abort(reason?: unknown): void {
    this.signal._abort(reason);
  }

  get [Symbol.toStringTag](): string {
    return "AbortController";
  }
}
