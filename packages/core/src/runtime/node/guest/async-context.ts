/**
 * The async context AsyncLocalStorage reads: an immutable frame (store per storage) that is
 * current while code runs, as Node 24's AsyncContextFrame. It lives in V8's
 * continuation-preserved data (see v8-extras.ts), which V8 captures when a promise reaction is
 * queued (`await`, `then`) and restores when it runs, so it follows async functions. Callbacks
 * the runtime schedules itself (timers, setImmediate, nextTick, host callbacks) capture it with
 * `bindToFrame`.
 */
import { v8 } from "./v8-extras.ts";

export type Frame = ReadonlyMap<object, unknown>;

const EMPTY: Frame = new Map();

export function currentFrame(): Frame {
  return (v8.getContinuationData() as Frame | undefined) ?? EMPTY;
}

/** Runs `fn` with `frame` current, restoring the previous frame afterwards. */
export function runInFrame<R>(frame: Frame, fn: () => R): R {
  const previous = v8.getContinuationData();
  v8.setContinuationData(frame);
  try {
    return fn();
  } finally {
    v8.setContinuationData(previous);
  }
}

/** Makes `frame` current until something else changes it (AsyncLocalStorage.enterWith). */
export function enterFrame(frame: Frame): void {
  v8.setContinuationData(frame);
}

/**
 * `callback`, bound to the frame current now. Unchanged while no store was ever set: every
 * bound callback restores the frame it replaced, so outside of them the frame is empty.
 */
export function bindToFrame<F extends (...args: never[]) => unknown>(callback: F): F {
  const frame = currentFrame();
  if (frame === EMPTY || typeof callback !== "function") return callback;
  return function (this: unknown, ...args: Parameters<F>) {
    return runInFrame(frame, () => callback.apply(this, args));
  } as F;
}
