/**
 * The async context AsyncLocalStorage reads: an immutable frame (store per storage) that is
 * current while code runs, captured when a callback is scheduled and restored when it runs.
 * V8 gives no promise hooks here, so propagation is done at the places callbacks are
 * scheduled: Promise.prototype.then (and so catch/finally), timers, setImmediate, nextTick,
 * queueMicrotask and host callbacks. Limitation: the continuation after `await` of a native
 * promise is scheduled inside V8 without calling `then`, so it sees the frame current when it
 * resumes, not the one it suspended in.
 */
export type Frame = ReadonlyMap<object, unknown>;

const EMPTY: Frame = new Map();
let current: Frame = EMPTY;

export function currentFrame(): Frame {
  return current;
}

/** Runs `fn` with `frame` current, restoring the previous frame afterwards. */
export function runInFrame<R>(frame: Frame, fn: () => R): R {
  const previous = current;
  current = frame;
  try {
    return fn();
  } finally {
    current = previous;
  }
}

/** Makes `frame` current until something else changes it (AsyncLocalStorage.enterWith). */
export function enterFrame(frame: Frame): void {
  current = frame;
}

/**
 * `callback`, bound to the frame current now. Unchanged while no store was ever set: every
 * bound callback restores the frame it replaced, so outside of them the frame is empty.
 */
export function bindToFrame<F extends (...args: never[]) => unknown>(callback: F): F {
  const frame = current;
  if (frame === EMPTY || typeof callback !== "function") return callback;
  return function (this: unknown, ...args: Parameters<F>) {
    return runInFrame(frame, () => callback.apply(this, args));
  } as F;
}

let promisesPatched = false;

/** Wraps Promise.prototype.then so reactions run in the frame they were registered in. */
export function installPromiseContext(): void {
  if (promisesPatched) return;
  promisesPatched = true;
  const then = Promise.prototype.then;
  // biome-ignore lint/suspicious/noThenProperty: wrapping the real Promise.prototype.then is the point.
  Object.defineProperty(Promise.prototype, "then", {
    value: function then_(this: Promise<unknown>, onFulfilled?: unknown, onRejected?: unknown) {
      return then.call(
        this,
        bindToFrame(onFulfilled as () => unknown),
        bindToFrame(onRejected as () => unknown),
      );
    },
    writable: true,
    configurable: true,
    enumerable: false,
  });
  Object.defineProperty(Promise.prototype.then, "name", { value: "then" });
}
