/** node:timers and node:timers/promises on the guest's timer queue. */
import * as timers from "../timers.ts";

export function createTimers(): unknown {
  return {
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    setInterval: timers.setInterval,
    clearInterval: timers.clearInterval,
    setImmediate: timers.setImmediate,
    clearImmediate: timers.clearImmediate,
    promises: createTimersPromises(),
  };
}

function abortError(signal: AbortSignal | undefined): Error {
  const error = new Error("The operation was aborted") as Error & { code: string; cause?: unknown };
  error.name = "AbortError";
  error.code = "ABORT_ERR";
  if (signal?.reason !== undefined) error.cause = signal.reason;
  return error;
}

export function createTimersPromises(): unknown {
  const setTimeoutPromise = <T>(
    delay?: number,
    value?: T,
    options: { signal?: AbortSignal; ref?: boolean } = {},
  ) =>
    new Promise<T | undefined>((resolve, reject) => {
      const signal = options.signal;
      if (signal?.aborted) {
        reject(abortError(signal));
        return;
      }
      const timer = timers.setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve(value);
      }, delay);
      if (options.ref === false) timer.unref();
      const onAbort = () => {
        timer.close();
        reject(abortError(signal));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  const setImmediatePromise = <T>(value?: T, options: { signal?: AbortSignal } = {}) =>
    new Promise<T | undefined>((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(abortError(options.signal));
        return;
      }
      timers.setImmediate(() => resolve(value));
    });
  async function* setIntervalPromise<T>(
    delay?: number,
    value?: T,
    options: { signal?: AbortSignal } = {},
  ) {
    for (;;) {
      yield await setTimeoutPromise(delay, value, options);
    }
  }
  return {
    setTimeout: setTimeoutPromise,
    setImmediate: setImmediatePromise,
    setInterval: setIntervalPromise,
    scheduler: {
      wait: (delay: number, options?: { signal?: AbortSignal }) =>
        setTimeoutPromise(delay, undefined, options),
      yield: () => setImmediatePromise(),
    },
  };
}
