/**
 * One test of the tree the runner builds (the root, a `test()`/`it()`, a `t.test()` subtest; suites
 * extend it in suite.ts). It runs its function with its parent's hooks around it, runs its
 * subtests with at most `concurrency` at a time, and reports in declaration order: a test's
 * result goes out only when every earlier sibling's has, so the report reads like the source
 * whatever finished first. The order of events, and so of reporter output, follows Node's
 * lib/internal/test_runner/test.js.
 */
import { codedError, invalidArgType } from "../../errors.ts";
import { loadBuiltin } from "../registry.ts";
import type { Location } from "./caller-location.ts";
import { TestContext } from "./context.ts";
import { FailureType, isTestFailure, type TestFailure, testFailure } from "./failure.ts";
import { type HookRunArgs, type HookType, TestHook } from "./hook.ts";
import { invokeUserFunction, type StopPromise, stopTest } from "./invoke.ts";
import type { MockTracker } from "./mock/mock-tracker.ts";
import type { TestConfig } from "./options.ts";
import type { TestPlan } from "./plan.ts";
import { reportersFinished } from "./reporters/setup.ts";
import { type Directive, type TestLocation, TestsStream, toTestLocation } from "./tests-stream.ts";

type AnyFunction = (...args: unknown[]) => unknown;

const TIMEOUT_MAX = 2 ** 31 - 1;

/** A function without a name (a test given none is called "<anonymous>", as in Node). */
const noop = Function.prototype as AnyFunction;

export interface Counters {
  tests: number;
  failed: number;
  passed: number;
  cancelled: number;
  skipped: number;
  todo: number;
  topLevel: number;
  suites: number;
}

/** State shared by every test of one tree (Node's `harness`). */
export interface Harness {
  config: TestConfig;
  counters: Counters;
  success: boolean;
  /** Until the first test starts: the reporters being set up. */
  bootstrapPromise: Promise<unknown> | null;
  /** Until every top-level `describe` body has run. */
  buildPromise: Promise<void> | null;
  buildSuites: Promise<void>[];
  isWaitingForBuildPhase: boolean;
  waitForBuildPhase(): Promise<void>;
  isFilteringByName: boolean;
  isFilteringByOnly: boolean;
  /** Ends the run: waits for pending tests, then reports the summary. */
  teardown?: () => Promise<void>;
}

export function newCounters(): Counters {
  return {
    tests: 0,
    failed: 0,
    passed: 0,
    cancelled: 0,
    skipped: 0,
    todo: 0,
    topLevel: 0,
    suites: 0,
  };
}

/** `expectFailure`: the test passes only by failing (and, with `match`, with that error). */
interface ExpectedFailure {
  label: string | undefined;
  match: unknown;
}

function parseExpectFailure(value: unknown): ExpectedFailure | false {
  if (value === undefined || value === false) return false;
  if (typeof value === "string") return { label: value, match: undefined };
  if (typeof value === "function" || value instanceof RegExp)
    return { label: undefined, match: value };
  if (value === null || typeof value !== "object") return { label: undefined, match: undefined };
  const keys = Object.keys(value);
  if (keys.length === 0) {
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_VALUE",
      "The property 'options.expectFailure' must not be an empty object. Received {}",
    );
  }
  if (keys.every((key) => key === "match" || key === "label")) {
    const { label, match } = value as { label?: string; match?: unknown };
    return { label, match };
  }
  return { label: undefined, match: value };
}

export interface TestOptions {
  fn?: unknown;
  name?: unknown;
  parent?: Test | null;
  harness?: Harness;
  loc?: Location;
  entryFile?: string;
  only?: unknown;
  skip?: unknown;
  todo?: unknown;
  timeout?: unknown;
  concurrency?: unknown;
  signal?: unknown;
  plan?: unknown;
  expectFailure?: unknown;
}

export type TestFactory = new (options: TestOptions) => Test;

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((ok) => {
    resolve = ok;
  });
  return { promise, resolve };
}

function availableParallelism(): number {
  return (loadBuiltin("os") as { availableParallelism(): number }).availableParallelism();
}

function outOfRange(name: string, range: string, value: unknown): Error {
  return codedError(
    RangeError,
    "ERR_OUT_OF_RANGE",
    `The value of "${name}" is out of range. It must be ${range}. Received ${String(value)}`,
  );
}

function validateTimeout(value: unknown, name: string): number {
  if (typeof value !== "number") throw invalidArgType(name, "of type number", value);
  if (Number.isNaN(value) || value < 0 || value > TIMEOUT_MAX) {
    throw outOfRange(name, `>= 0 && <= ${TIMEOUT_MAX}`, value);
  }
  return value;
}

/** Counts a reported test in the summary (Node's countCompletedTest). */
export function countCompleted(
  test: {
    nesting: number;
    reportedType: string;
    passed: boolean;
    isTodo: boolean;
    skipped: boolean;
    cancelled: boolean;
  },
  harness: Harness,
): void {
  const counters = harness.counters;
  if (test.nesting === 0) counters.topLevel++;
  if (test.reportedType === "suite") {
    counters.suites++;
    if (!test.passed && !test.isTodo) harness.success = false;
    return;
  }
  if (test.skipped) counters.skipped++;
  else if (test.isTodo) counters.todo++;
  else if (test.cancelled) {
    counters.cancelled++;
    harness.success = false;
  } else if (!test.passed) {
    counters.failed++;
    harness.success = false;
  } else counters.passed++;
  counters.tests++;
}

export class Test {
  reportedType = "test";
  readonly name: string;
  readonly parent: Test | null;
  readonly root: Test;
  readonly harness: Harness;
  readonly config: TestConfig;
  readonly nesting: number;
  readonly childNumber: number;
  readonly loc: TestLocation | undefined;
  entryFile: string | undefined;
  concurrency: number;
  timeout: number | null;
  only: unknown;
  runOnlySubtests: boolean;
  hasOnlyTests = false;
  filteredByName = false;
  filtered = false;
  reporter: TestsStream;
  fn: AnyFunction;
  mock: MockTracker | null = null;
  plan: TestPlan | null = null;
  readonly expectedAssertions: unknown;
  cancelled = false;
  skipped: boolean;
  isTodo: boolean;
  expectFailure: ExpectedFailure | false;
  message: string | null | undefined;
  startTime: bigint | null = null;
  endTime: bigint | null = null;
  passed = false;
  error: unknown = null;
  testNumber = 0;
  outputSubtestCount = 0;
  diagnostics: string[] = [];
  activeSubtests = 0;
  pendingSubtests: Array<Deferred & { test: Test }> = [];
  readySubtests = new Map<number, Test>();
  unfinishedSubtests = new Set<Test>();
  subtestsPromise: Deferred | null = null;
  subtests: Test[] = [];
  waitingOn = 0;
  finished = false;
  buildPhaseFinished = false;
  hooks: Record<HookType, TestHook[]> & { ownAfterEachCount: number } = {
    before: [],
    after: [],
    beforeEach: [],
    afterEach: [],
    ownAfterEachCount: 0,
  };
  abortController = new AbortController();
  signal: AbortSignal;
  readonly outerSignal: AbortSignal | undefined;
  #reportedStart = false;
  #postRunDone = false;
  /** A filtered-out test reports nothing. */
  #silent = false;
  #summaryReported = false;
  #ctx: TestContext | undefined;

  constructor(options: TestOptions) {
    let fn = typeof options.fn === "function" ? (options.fn as AnyFunction) : noop;
    const { loc, only, skip, todo, timeout, concurrency, signal } = options;
    let name = options.name;
    if (typeof name !== "string" || name === "") name = fn.name || "<anonymous>";
    const parent = options.parent instanceof Test ? options.parent : null;
    this.name = name as string;
    this.parent = parent;
    if (parent === null) {
      this.root = this;
      this.harness = options.harness as Harness;
      this.config = this.harness.config;
      this.concurrency = 1;
      this.nesting = 0;
      this.only = this.config.only;
      this.reporter = new TestsStream();
      this.runOnlySubtests = !!this.only;
      this.childNumber = 0;
      this.timeout = null;
      this.entryFile = options.entryFile;
    } else {
      const harness = parent.root.harness;
      this.root = parent.root;
      this.harness = harness;
      this.config = harness.config;
      this.concurrency = parent.concurrency;
      this.nesting = parent.parent === null ? parent.nesting : parent.nesting + 1;
      this.only = only;
      this.reporter = parent.reporter;
      this.runOnlySubtests = false;
      this.childNumber = parent.subtests.length + 1;
      this.timeout = parent.timeout;
      this.entryFile = parent.entryFile;
      if (harness.isFilteringByName) {
        this.filteredByName = this.willBeFilteredByName();
        if (!this.filteredByName) {
          // A matching test keeps its ancestors (suites and tests) running.
          for (let t: Test | null = parent; t?.filteredByName; t = t.parent) {
            t.filteredByName = false;
          }
        }
      }
      if (harness.isFilteringByOnly) {
        if (this.only) {
          parent.runOnlySubtests = true;
          if (parent === this.root || parent.startTime === null) {
            for (let t: Test | null = parent; t !== null && !t.hasOnlyTests; t = t.parent) {
              t.hasOnlyTests = true;
            }
          }
        } else if (this.only === false) {
          fn = noop;
        }
      } else if (only || parent.runOnlySubtests) {
        this.diagnostic("'only' and 'runOnly' require the --test-only command-line option.");
      }
    }

    if (typeof concurrency === "number") {
      if (!Number.isInteger(concurrency)) {
        throw outOfRange("options.concurrency", "an integer", concurrency);
      }
      if (concurrency < 1 || concurrency > 4294967295) {
        throw outOfRange("options.concurrency", ">= 1 && <= 4294967295", concurrency);
      }
      this.concurrency = concurrency;
    } else if (typeof concurrency === "boolean") {
      this.concurrency = concurrency
        ? parent === null
          ? Math.max(availableParallelism() - 1, 1)
          : Number.POSITIVE_INFINITY
        : 1;
    } else if (concurrency != null) {
      throw invalidArgType("options.concurrency", "of type boolean or number", concurrency);
    }

    if (timeout != null && timeout !== Number.POSITIVE_INFINITY) {
      this.timeout = validateTimeout(timeout, "options.timeout");
    } else if (timeout == null && Number.isFinite(this.config.timeout)) {
      this.timeout = validateTimeout(this.config.timeout, "this.config.timeout");
    }

    if (skip) fn = noop;
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw invalidArgType("options.signal", "an instance of AbortSignal", signal);
    }
    this.outerSignal = signal as AbortSignal | undefined;
    this.signal = this.abortController.signal;
    this.outerSignal?.addEventListener("abort", this.#abortHandler);

    this.fn = fn;
    this.expectedAssertions = options.plan;
    this.skipped = skip !== undefined && skip !== false;
    this.isTodo = (todo !== undefined && todo !== false) || !!parent?.isTodo;
    this.expectFailure =
      parseExpectFailure(options.expectFailure) || parent?.expectFailure || false;
    this.message = typeof skip === "string" ? skip : typeof todo === "string" ? todo : null;
    this.loc = toTestLocation(loc);
  }

  willBeFilteredByName(): boolean {
    const { testNamePatterns, testSkipPatterns } = this.config;
    if (testNamePatterns && !this.matchesPatterns(testNamePatterns)) return true;
    if (testSkipPatterns && this.matchesPatterns(testSkipPatterns)) return true;
    return false;
  }

  /** By its own name, an ancestor's, or the space-joined names from the top down. */
  matchesPatterns(patterns: RegExp[]): boolean {
    const byName = (test: Test): boolean =>
      patterns.some((re) => re.exec(test.name) !== null) ||
      (test.parent !== null && byName(test.parent));
    if (byName(this)) return true;
    const withAncestors = this.nameWithAncestors().trim();
    return patterns.some((re) => re.exec(withAncestors) !== null);
  }

  nameWithAncestors(): string {
    if (!this.parent) return "";
    return `${this.parent.nameWithAncestors()} ${this.name}`;
  }

  applyFilters(): void {
    if (this.error) return;
    if (this.filteredByName) {
      this.filtered = true;
      return;
    }
    const parent = this.parent as Test;
    if (this.harness.isFilteringByOnly && !this.only && !this.hasOnlyTests) {
      if (parent.runOnlySubtests || parent.hasOnlyTests || this.only === false) {
        this.filtered = true;
      }
    }
  }

  hasConcurrency(): boolean {
    return this.concurrency > this.activeSubtests;
  }

  async processPendingSubtests(): Promise<void> {
    while (this.pendingSubtests.length > 0 && this.hasConcurrency()) {
      const pending = this.pendingSubtests.shift() as Deferred & { test: Test };
      const test = pending.test;
      test.reporter.dequeue(test.nesting, test.loc, test.name, this.reportedType);
      await (test.filtered ? test.filteredRun() : test.run());
      pending.resolve();
    }
  }

  addReadySubtest(subtest: Test): void {
    this.readySubtests.set(subtest.childNumber, subtest);
    if (this.unfinishedSubtests.delete(subtest) && this.unfinishedSubtests.size === 0) {
      this.subtestsPromise?.resolve();
    }
  }

  processReadySubtestRange(canSend: boolean): void {
    const start = this.waitingOn;
    const end = start + this.readySubtests.size;
    for (let i = start; i < end; i++) {
      const subtest = this.readySubtests.get(i);
      // Results go out in order: stop at the first one not ready yet.
      if (subtest === undefined) return;
      canSend ||= this.isClearToSend();
      if (!canSend) return;
      subtest.finalize();
      this.readySubtests.delete(i);
    }
  }

  createSubtest(
    Factory: TestFactory,
    name: unknown,
    options: unknown,
    fn: unknown,
    overrides: TestOptions,
  ): Test {
    if (typeof name === "function") {
      fn = name;
    } else if (name !== null && typeof name === "object") {
      fn = options;
      options = name;
    } else if (typeof options === "function") {
      fn = options;
    }
    if (options === null || typeof options !== "object") options = {};
    let parent: Test = this;
    // A test created after its parent finished is attached to the root, to report the mistake.
    const tooLate = this.finished || this.buildPhaseFinished;
    if (tooLate) parent = this.root;
    const test = new Factory({
      fn,
      name,
      parent,
      ...(options as TestOptions),
      ...overrides,
    });
    if (parent.waitingOn === 0) {
      parent.waitingOn = test.childNumber;
      parent.subtestsPromise = deferred();
    }
    if (tooLate) {
      test.fail(
        testFailure(
          "test could not be started because its parent finished",
          FailureType.parentAlreadyFinished,
        ),
      );
    }
    parent.subtests.push(test);
    return test;
  }

  /** `t.test()`: a subtest of this test. */
  createChildTest(name: unknown, options: unknown, fn: unknown, loc: Location | undefined): Test {
    return this.createSubtest(Test, name, options, fn, { loc });
  }

  #abortHandler = () => {
    const error = (this.outerSignal?.reason ?? abortError()) as { failureType?: string };
    if (error && typeof error === "object") error.failureType = FailureType.aborted;
    this.cancel(error);
  };

  cancel(error?: unknown): void {
    if (this.endTime !== null || this.error !== null) return;
    this.fail(
      error ??
        testFailure(
          "test did not finish before its parent and was cancelled",
          FailureType.cancelledByParent,
        ),
    );
    this.cancelled = true;
    this.abortController.abort();
  }

  computeInheritedHooks(): void {
    const parent = this.parent as Test;
    if (parent.hooks.beforeEach.length > 0) {
      this.hooks.beforeEach.unshift(...parent.hooks.beforeEach);
    }
    if (parent.hooks.afterEach.length > 0) {
      this.hooks.afterEach.push(...parent.hooks.afterEach);
    }
  }

  createHook(
    hookType: HookType,
    fn: unknown,
    options: { timeout?: unknown; signal?: unknown } | undefined,
    loc: Location | undefined,
  ): void {
    const { timeout, signal } = options ?? {};
    let hookTimeout: number | null = null;
    if (timeout != null && timeout !== Number.POSITIVE_INFINITY) {
      hookTimeout = validateTimeout(timeout, "options.timeout");
    } else if (timeout == null && Number.isFinite(this.config.timeout)) {
      hookTimeout = this.config.timeout;
    }
    const hook = new TestHook(
      hookType,
      typeof fn === "function" ? (fn as AnyFunction) : noop,
      { timeout: hookTimeout, signal: signal as AbortSignal | undefined, loc },
      this,
    );
    if (hookType === "before" && this.startTime !== null) {
      // The test is already running: a `before` added now runs at once.
      hook.run(this.getRunArgs()).then(() => {
        if (hook.error != null) this.fail(hook.error);
      });
    }
    if (hookType === "afterEach") {
      // This test's own afterEach hooks run in creation order, before inherited ones.
      this.hooks.afterEach.splice(this.hooks.ownAfterEachCount, 0, hook);
      this.hooks.ownAfterEachCount++;
    } else {
      this.hooks[hookType].push(hook);
    }
  }

  fail(error: unknown): void {
    if (this.error !== null) return;
    this.passed = false;
    if (this.expectFailure) {
      const { match } = this.expectFailure;
      if (match !== undefined) {
        // The user's error, not the runner's wrapper, is what `match` describes.
        const wrapper = error as { code?: string; failureType?: string; cause?: unknown } | null;
        const thrown =
          wrapper?.code === "ERR_TEST_FAILURE" &&
          wrapper.failureType === FailureType.testCodeFailure &&
          wrapper.cause
            ? wrapper.cause
            : error;
        try {
          (loadBuiltin("assert") as { throws(fn: () => void, expected: unknown): void }).throws(
            () => {
              throw thrown;
            },
            match,
          );
        } catch (mismatch) {
          const failure = testFailure(
            "The test failed, but the error did not match the expected validation",
            FailureType.testCodeFailure,
          );
          failure.cause = mismatch;
          this.error = failure;
          return;
        }
      }
      this.passed = true;
    }
    this.error = error;
  }

  pass(): void {
    if (this.error === null && this.expectFailure && !this.skipped) {
      this.passed = false;
      this.error = testFailure("test was expected to fail but passed", "expectedFailure");
      return;
    }
    if (this.error !== null) return;
    this.passed = true;
  }

  skip(message?: string): void {
    this.skipped = true;
    this.message = message;
  }

  todo(message?: string): void {
    this.isTodo = true;
    this.message = message;
  }

  diagnostic(message: string): void {
    this.diagnostics.push(message);
  }

  start(): Promise<void> {
    const parent = this.parent as Test;
    this.applyFilters();
    if (this.filtered) {
      this.reporter = new TestsStream();
    } else {
      this.testNumber = ++parent.outputSubtestCount;
    }
    parent.unfinishedSubtests.add(this);
    this.reporter.enqueue(this.nesting, this.loc, this.name, this.reportedType);
    if (this.root.harness.buildPromise || !parent.hasConcurrency()) {
      const pending = { ...deferred(), test: this as Test };
      parent.pendingSubtests.push(pending);
      return pending.promise;
    }
    this.reporter.dequeue(this.nesting, this.loc, this.name, this.reportedType);
    return this.filtered ? this.filteredRun() : this.run();
  }

  shouldAbort(): boolean {
    if (this.signal.aborted || this.outerSignal?.aborted) {
      this.#abortHandler();
      return true;
    }
    return false;
  }

  getCtx(): TestContext {
    this.#ctx ??= new TestContext(this);
    return this.#ctx;
  }

  getRunArgs(): HookRunArgs {
    const ctx = this.getCtx();
    return { ctx, args: [ctx] };
  }

  async runHook(hookType: HookType, args: HookRunArgs): Promise<void> {
    try {
      for (const hook of this.hooks[hookType]) {
        await hook.run(args);
        if (hook.error) throw hook.error;
      }
    } catch (error) {
      const failure = testFailure(`failed running ${hookType} hook`, FailureType.hookFailed);
      failure.cause = isTestFailure(error) ? error.cause : error;
      throw failure;
    }
  }

  async filteredRun(): Promise<void> {
    this.pass();
    this.subtests = [];
    this.#silent = true;
    queueMicrotask(() => this.postRun());
  }

  async run(): Promise<void> {
    const parent = this.parent;
    if (parent !== null) {
      parent.activeSubtests++;
      this.computeInheritedHooks();
    }
    this.startTime ??= process.hrtime.bigint();
    if (this.shouldAbort()) {
      this.postRun();
      return;
    }
    const hookArgs = this.getRunArgs();
    const { ctx, args } = hookArgs;
    if (this.plan === null && this.expectedAssertions) {
      (ctx as TestContext).plan(this.expectedAssertions as number);
    }
    const wasSkippedBeforeRun = this.skipped;
    const after = async () => {
      if (this.hooks.after.length > 0) await this.runHook("after", hookArgs);
    };
    let afterEachRun: Promise<void> | undefined;
    const afterEach = () => {
      afterEachRun ??= (async () => {
        if (parent && parent.hooks.afterEach.length > 0 && !wasSkippedBeforeRun) {
          await parent.runHook("afterEach", hookArgs);
        }
      })();
      return afterEachRun;
    };
    let stop: StopPromise | undefined;
    try {
      if (parent && parent.hooks.before.length > 0) {
        await parent.runHook("before", parent.getRunArgs());
      }
      if (parent && parent.hooks.beforeEach.length > 0 && !this.skipped) {
        await parent.runHook("beforeEach", hookArgs);
      }
      stop = stopTest(this.timeout, this.signal);
      const invocation = invokeUserFunction(this, this.fn, ctx, args);
      if (invocation.misuse) this.fail(invocation.misuse);
      await Promise.race([invocation.promise, stop]);
      this.shouldAbort();
      if (this.subtestsPromise !== null) {
        await Promise.race([this.subtestsPromise.promise, stop]);
      }
      if (this.plan !== null) {
        const waiting = this.plan.check();
        if (waiting) await Promise.race([waiting, stop]);
      }
      this.pass();
      await afterEach();
      await after();
    } catch (error) {
      if (isTestFailure(error)) {
        if (error.failureType === FailureType.testTimeoutFailure) this.cancel(error);
        else this.fail(error);
      } else {
        this.fail(testFailure(error, FailureType.testCodeFailure));
      }
      try {
        await afterEach();
      } catch {
        // The test already failed.
      }
      try {
        await after();
      } catch {
        // The test already failed.
      }
    } finally {
      stop?.dispose();
      // The root keeps its controller: its hooks are shared by every test.
      if (parent !== null) this.abortController.abort();
    }
    if (parent !== null) {
      this.postRun();
    } else if (this.config.forceExit) {
      // --test-force-exit: every test has finished; end the process even if handles remain.
      await this.harness.teardown?.();
      await reportersFinished();
      process.exit();
    }
  }

  postRun(pendingSubtestsError?: TestFailure): void {
    this.endTime ??= process.hrtime.bigint();
    this.startTime ??= this.endTime;
    this.pendingSubtests = [];
    let failed = 0;
    for (const subtest of this.subtests) {
      if (!subtest.finished && !subtest.#postRunDone) {
        subtest.cancel(pendingSubtestsError);
        subtest.postRun(pendingSubtestsError);
      }
      if (!subtest.passed && !subtest.isTodo) failed++;
    }
    if ((this.passed || this.parent === null) && failed > 0) {
      this.fail(
        testFailure(`${failed} subtest${failed > 1 ? "s" : ""} failed`, FailureType.subtestsFailed),
      );
    }
    this.outerSignal?.removeEventListener("abort", this.#abortHandler);
    this.mock?.reset();
    const parent = this.parent;
    if (parent !== null) {
      if (this.#postRunDone) return;
      this.#postRunDone = true;
      if (!this.filtered) {
        const { details, directive } = this.reportDetails();
        details.passed = this.passed;
        this.testNumber ||= ++parent.outputSubtestCount;
        this.reporter.complete(
          this.nesting,
          this.loc,
          this.testNumber,
          this.name,
          details,
          directive,
        );
        parent.activeSubtests--;
      }
      parent.addReadySubtest(this);
      parent.processReadySubtestRange(false);
      parent.processPendingSubtests();
    } else if (!this.#summaryReported) {
      this.#summaryReported = true;
      this.reportSummary();
    }
  }

  /** The root's closing report: the plan, its diagnostics, the counts, the summary event. */
  reportSummary(): void {
    const { harness, nesting, loc, reporter } = this;
    const counters = harness.counters;
    reporter.plan(nesting, loc, counters.topLevel);
    for (const message of this.diagnostics) reporter.diagnostic(nesting, loc, message);
    const duration = this.duration();
    reporter.diagnostic(nesting, loc, `tests ${counters.tests}`);
    reporter.diagnostic(nesting, loc, `suites ${counters.suites}`);
    reporter.diagnostic(nesting, loc, `pass ${counters.passed}`);
    reporter.diagnostic(nesting, loc, `fail ${counters.failed}`);
    reporter.diagnostic(nesting, loc, `cancelled ${counters.cancelled}`);
    reporter.diagnostic(nesting, loc, `skipped ${counters.skipped}`);
    reporter.diagnostic(nesting, loc, `todo ${counters.todo}`);
    reporter.diagnostic(nesting, loc, `duration_ms ${duration}`);
    reporter.summary(loc?.file, harness.success, { ...counters }, duration);
    reporter.end();
  }

  isClearToSend(): boolean {
    const parent = this.parent;
    return parent === null || (parent.waitingOn === this.childNumber && parent.isClearToSend());
  }

  finalize(): void {
    // Every subtest has finished by now: report the ones still waiting, then this test.
    this.processReadySubtestRange(true);
    this.report();
    const parent = this.parent as Test;
    parent.waitingOn++;
    this.finished = true;
    if (parent === this.root && this.root.waitingOn > this.root.subtests.length) {
      // Every top-level test has reported: the root's `after` hooks run now.
      this.root.run();
    }
  }

  duration(): number {
    return Number((this.endTime ?? 0n) - (this.startTime ?? 0n)) / 1_000_000;
  }

  reportDetails(): { details: Record<string, unknown>; directive: Directive } {
    let directive: Directive = {};
    const details: Record<string, unknown> = { duration_ms: this.duration() };
    if (this.skipped) directive = { skip: this.message ?? true };
    else if (this.isTodo) directive = { todo: this.message ?? true };
    else if (this.expectFailure) directive = { expectFailure: this.expectFailure.label ?? true };
    details.type = this.reportedType;
    if (!this.passed) details.error = this.error;
    return { details, directive };
  }

  report(): void {
    if (this.#silent) return;
    countCompleted(this, this.harness);
    if (this.outputSubtestCount > 0) {
      this.reporter.plan(this.subtests[0].nesting, this.loc, this.outputSubtestCount);
    } else {
      this.reportStarted();
    }
    const { details, directive } = this.reportDetails();
    if (this.passed) {
      this.reporter.ok(this.nesting, this.loc, this.testNumber, this.name, details, directive);
    } else {
      this.reporter.fail(this.nesting, this.loc, this.testNumber, this.name, details, directive);
    }
    for (const message of this.diagnostics) {
      this.reporter.diagnostic(this.nesting, this.loc, message);
    }
  }

  reportStarted(): void {
    if (this.#reportedStart || this.parent === null) return;
    this.#reportedStart = true;
    this.parent.reportStarted();
    this.reporter.start(this.nesting, this.loc, this.name);
  }
}

function abortError(): Error {
  const error = new Error("The test was aborted") as Error & { code: string };
  error.name = "AbortError";
  error.code = "ABORT_ERR";
  return error;
}
