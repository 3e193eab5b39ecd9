/**
 * Running one user function of a test or hook as Node does: `this` and the first argument are the
 * context; a function that declares one more parameter than it is given gets Node's error-first
 * `done` callback; the run ends when its promise (or callback) settles, when the test's signal
 * aborts, or with a timeout failure after `timeout` ms.
 */
import { clearTimeout, setTimeout } from "../../timers.ts";
import { FailureType, type TestFailure, testFailure } from "./failure.ts";
import { enterScope, leaveScope, type ScopeOwner } from "./scope.ts";

type AnyFunction = (...args: unknown[]) => unknown;

function isPromise(value: unknown): value is Promise<unknown> {
  return value instanceof Promise;
}

/** `done` for callback-style tests: resolves on `done()`, rejects on `done(error)`. */
function deferredCallback(): { promise: Promise<void>; callback: (error?: unknown) => void } {
  let calls = 0;
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  const callback = (error?: unknown) => {
    calls++;
    if (calls > 1) {
      if (calls === 2) {
        throw testFailure(
          "callback invoked multiple times",
          FailureType.multipleCallbackInvocations,
        );
      }
      return;
    }
    if (error) reject(error);
    else resolve();
  };
  return { promise, callback };
}

export interface Invocation {
  /** Settles when the function has finished. */
  promise: Promise<unknown>;
  /** Set when the function both took a callback and returned a promise. */
  misuse?: TestFailure;
}

/**
 * Calls `fn` with `this` = ctx and `args` (plus `done` when it declares one more parameter), in
 * `owner`'s scope. A synchronous throw propagates to the caller.
 */
export function invokeUserFunction(
  owner: ScopeOwner,
  fn: AnyFunction,
  ctx: unknown,
  args: unknown[],
): Invocation {
  if (fn.length === args.length + 1) {
    const { promise, callback } = deferredCallback();
    const previous = enterScope(owner);
    let returned: unknown;
    try {
      returned = Reflect.apply(fn, ctx, [...args, callback]);
    } finally {
      leaveScope(previous);
    }
    if (isPromise(returned)) {
      return {
        promise: returned,
        misuse: testFailure(
          "passed a callback but also returned a Promise",
          FailureType.callbackAndPromisePresent,
        ),
      };
    }
    return { promise };
  }
  const previous = enterScope(owner);
  try {
    return { promise: Promise.resolve(Reflect.apply(fn, ctx, args)) };
  } finally {
    leaveScope(previous);
  }
}

export interface StopPromise extends Promise<void> {
  dispose(): void;
}

/**
 * Resolves when `signal` aborts; with a timeout, rejects with Node's "test timed out after Nms"
 * failure first. The timer does not keep the process alive.
 */
export function stopTest(timeout: number | null, signal: AbortSignal): StopPromise {
  let resolve!: () => void;
  let promise: Promise<void> = new Promise<void>((ok) => {
    resolve = ok;
  });
  const onAbort = () => resolve();
  if (signal.aborted) resolve();
  else signal.addEventListener("abort", onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (timeout !== null) {
    timer = setTimeout(resolve, timeout);
    timer.unref();
    promise = promise.then(() => {
      throw testFailure(`test timed out after ${timeout}ms`, FailureType.testTimeoutFailure);
    });
  }
  const stop = promise as StopPromise;
  stop.dispose = () => {
    signal.removeEventListener("abort", onAbort);
    if (timer !== undefined) clearTimeout(timer);
  };
  return stop;
}
