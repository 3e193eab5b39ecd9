/**
 * A `before`/`after`/`beforeEach`/`afterEach` hook. It runs its function like a test runs its own
 * (context, `done` callback, timeout, abort signal) and keeps the error of its last run for the
 * test that ran it; `before` and `after` run once however many tests share them.
 */
import type { Location } from "./caller-location.ts";
import { FailureType, isTestFailure, testFailure } from "./failure.ts";
import { invokeUserFunction, type StopPromise, stopTest } from "./invoke.ts";
import { type TestLocation, toTestLocation } from "./tests-stream.ts";

type AnyFunction = (...args: unknown[]) => unknown;

export type HookType = "before" | "after" | "beforeEach" | "afterEach";

export interface HookRunArgs {
  ctx: unknown;
  args: unknown[];
}

export class TestHook {
  readonly hookType: HookType;
  /** The test or suite the hook was added to (getTestContext() in a hook gives its context). */
  readonly owner: { getCtx(): unknown } | undefined;
  readonly fn: AnyFunction;
  readonly loc: TestLocation | undefined;
  readonly timeout: number | null;
  readonly #outerSignal: AbortSignal | undefined;
  #controller = new AbortController();
  error: unknown = null;
  passed = false;
  startTime: bigint | null = null;
  endTime: bigint | null = null;
  #once: Promise<void> | undefined;

  constructor(
    hookType: HookType,
    fn: AnyFunction,
    options: { timeout?: number | null; signal?: AbortSignal; loc?: Location },
    owner?: { getCtx(): unknown },
  ) {
    this.owner = owner;
    this.hookType = hookType;
    this.fn = fn;
    this.loc = toTestLocation(options.loc);
    this.timeout = options.timeout ?? null;
    this.#outerSignal = options.signal;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** before/after: later calls return the first run's promise. */
  run(runArgs: HookRunArgs): Promise<void> {
    if (this.hookType === "before" || this.hookType === "after") {
      this.#once ??= this.#run(runArgs);
      return this.#once;
    }
    return this.#run(runArgs);
  }

  async #run({ ctx, args }: HookRunArgs): Promise<void> {
    if (this.error !== null && !this.#outerSignal?.aborted) {
      // A beforeEach/afterEach that failed for one test runs afresh for the next.
      this.passed = false;
      this.error = null;
      this.#controller.abort();
      this.#controller = new AbortController();
    }
    this.startTime ??= process.hrtime.bigint();
    if (this.#outerSignal?.aborted) {
      this.error = this.#outerSignal.reason;
      return;
    }
    let stop: StopPromise | undefined;
    try {
      stop = stopTest(this.timeout, this.signal);
      const invocation = invokeUserFunction(this, this.fn, ctx, args);
      if (invocation.misuse) this.error = invocation.misuse;
      await Promise.race([invocation.promise, stop]);
      if (this.error === null) this.passed = true;
    } catch (error) {
      if (isTestFailure(error)) {
        if (this.error === null) this.error = error;
        if (error.failureType === FailureType.testTimeoutFailure) this.#controller.abort();
      } else if (this.error === null) {
        this.error = testFailure(error, FailureType.testCodeFailure);
      }
      this.passed = false;
    } finally {
      stop?.dispose();
      this.endTime = process.hrtime.bigint();
    }
  }

  duration(): number {
    const end = this.endTime ?? process.hrtime.bigint();
    return Number(end - (this.startTime ?? end)) / 1_000_000;
  }
}
