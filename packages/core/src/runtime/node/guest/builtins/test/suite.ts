/**
 * `describe()`/`suite()`: a test whose body runs at once, when it is declared, to collect its
 * tests and hooks (its "build"); when its turn comes it runs its `before` hooks, starts all its
 * tests (as many at a time as its concurrency allows), then runs its `after` hooks.
 */
import { SuiteContext } from "./context.ts";
import { FailureType, isTestFailure, testFailure } from "./failure.ts";
import type { HookRunArgs } from "./hook.ts";
import { invokeUserFunction, type StopPromise, stopTest } from "./invoke.ts";
import { Test, type TestOptions } from "./test.ts";

export class Suite extends Test {
  override reportedType = "suite";
  readonly buildSuite: Promise<void>;

  constructor(options: TestOptions) {
    super(options);
    // Suites have no timeout of their own unless given one (the CLI's is for tests).
    if (options.timeout == null) this.timeout = null;
    this.buildSuite = this.#build(this.fn);
    this.fn = () => {};
  }

  async #build(body: (...args: unknown[]) => unknown): Promise<void> {
    try {
      const { ctx, args } = this.getRunArgs();
      await invokeUserFunction(this, body, ctx, args).promise;
    } catch (error) {
      this.fail(testFailure(error, FailureType.testCodeFailure));
    }
    this.buildPhaseFinished = true;
  }

  override getRunArgs(): HookRunArgs {
    const ctx = new SuiteContext(this);
    return { ctx, args: [ctx] };
  }

  override async filteredRun(): Promise<void> {
    await this.buildSuite;
    return super.filteredRun();
  }

  override async run(): Promise<void> {
    const parent = this.parent as Test;
    this.computeInheritedHooks();
    const hookArgs = this.getRunArgs();
    let stop: StopPromise | undefined;
    let afterRun: Promise<void> | undefined;
    const after = () => {
      afterRun ??= this.runHook("after", hookArgs);
      return afterRun;
    };
    try {
      parent.activeSubtests++;
      await this.buildSuite;
      this.startTime = process.hrtime.bigint();
      if (this.shouldAbort()) {
        this.subtests = [];
        this.postRun();
        return;
      }
      if (parent.hooks.before.length > 0) await parent.runHook("before", parent.getRunArgs());
      await this.runHook("before", hookArgs);
      stop = stopTest(this.timeout, this.signal);
      const subtests = this.skipped || this.error ? [] : this.subtests;
      const all = Promise.all(subtests.map((subtest) => subtest.start()));
      await Promise.race([all, stop]);
      await after();
      this.pass();
    } catch (error) {
      try {
        await after();
      } catch {
        // The suite already failed.
      }
      if (isTestFailure(error)) this.fail(error);
      else this.fail(testFailure(error, FailureType.testCodeFailure));
    } finally {
      stop?.dispose();
    }
    this.postRun();
  }
}
