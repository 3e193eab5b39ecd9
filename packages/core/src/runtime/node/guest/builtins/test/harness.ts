/**
 * The process-wide side of the runner: the root test (made when a program first calls a test
 * API), its reporters, and the process hooks Node installs with it. Uncaught errors fail the test
 * that caused them; 'beforeExit' (nothing left to run) closes the report; a failed run sets the
 * exit code to 1.
 */
import { clearInterval, setInterval } from "../../timers.ts";
import { loadBuiltin } from "../registry.ts";
import { callerLocation, type Location } from "./caller-location.ts";
import { FailureType, testFailure } from "./failure.ts";
import { type HookType, TestHook } from "./hook.ts";
import { type TestConfig, testConfig } from "./options.ts";
import { setupReporters } from "./reporters/setup.ts";
import { currentScope, type ScopeOwner } from "./scope.ts";
import { Suite } from "./suite.ts";
import { type Harness, newCounters, Test, type TestFactory, type TestOptions } from "./test.ts";

type AnyFunction = (...args: unknown[]) => unknown;

const TIMEOUT_MAX = 2 ** 31 - 1;

let globalRoot: Test | undefined;

export interface RootOptions {
  entryFile?: string;
  loc?: Location;
  concurrency?: unknown;
  timeout?: unknown;
  signal?: unknown;
}

/** A root test and its harness, hooked to the process's events; later test() calls join it. */
export function createTestTree(rootOptions: RootOptions, config: TestConfig): Test {
  let buildDone!: () => void;
  const buildPromise = new Promise<void>((resolve) => {
    buildDone = resolve;
  });
  const harness: Harness = {
    config,
    counters: newCounters(),
    success: true,
    bootstrapPromise: Promise.resolve(),
    buildPromise,
    buildSuites: [],
    isWaitingForBuildPhase: false,
    async waitForBuildPhase() {
      if (harness.buildSuites.length > 0) await Promise.all(harness.buildSuites);
      buildDone();
    },
    isFilteringByName: !!(config.testNamePatterns || config.testSkipPatterns),
    isFilteringByOnly:
      config.isolation !== undefined || process.env.NODE_TEST_CONTEXT !== undefined
        ? config.only
        : true,
  };
  const root = new Test({ ...rootOptions, harness, name: "<root>" } as TestOptions);
  globalRoot = root;
  setupProcessState(root);
  root.startTime = process.hrtime.bigint();
  return root;
}

function exitOnFailure(data: { success?: boolean }): void {
  if (!data.success) process.exitCode = 1;
}

/** The root of a program that uses node:test directly (not through `run()`). */
function lazyBootstrapRoot(): Test {
  if (!globalRoot) {
    const entryFile = process.argv[1];
    const config = testConfig();
    const root = createTestTree(
      { entryFile, loc: entryFile ? [1, 1, entryFile] : undefined },
      config,
    );
    root.reporter.on("test:summary", exitOnFailure);
    root.harness.bootstrapPromise = Promise.all([
      root.harness.bootstrapPromise,
      setupReporters(root.reporter, config),
    ]);
    return root;
  }
  return globalRoot;
}

/** "Test \"name\" at file:line:column" for the report of activity after a test ended. */
function describeOwner(owner: ScopeOwner, root: Test): string {
  const kind =
    owner instanceof TestHook ? `Test hook "${owner.hookType}"` : `Test "${(owner as Test).name}"`;
  const loc = owner instanceof TestHook ? owner.loc : (owner as Test).loc;
  if (!loc) return kind;
  const path = loadBuiltin("path") as { relative(from: string, to: string): string };
  return `${kind} at ${path.relative(root.config.cwd, loc.file)}:${loc.line}:${loc.column}`;
}

function processEventHandler(eventName: string, root: Test): (error: unknown) => void {
  return (error: unknown) => {
    if (root.harness.bootstrapPromise) {
      // The runner is not set up yet: nothing can report this.
      throw error;
    }
    const owner = currentScope();
    const test = owner instanceof Test ? owner : undefined;
    if (!test || test.finished) {
      const message = owner
        ? `Error: ${describeOwner(owner, root)} generated asynchronous activity after the test ended. This activity created the error "${String(error)}" and would have caused the test to fail, but instead triggered an ${eventName} event.`
        : `Error: A resource generated asynchronous activity after the test ended. This activity created the error "${String(error)}" which triggered an ${eventName} event, caught by the test runner.`;
      root.diagnostic(message);
      root.harness.success = false;
      process.exitCode = 1;
      return;
    }
    test.fail(testFailure(error, eventName));
    test.abortController.abort();
  };
}

function setupProcessState(root: Test): void {
  const onException = processEventHandler(FailureType.uncaughtException, root);
  const onRejection = processEventHandler(FailureType.unhandledRejection, root);
  const exitHandler = async () => {
    if (
      root.subtests.length === 0 &&
      (root.hooks.before.length > 0 || root.hooks.after.length > 0)
    ) {
      // Global hooks run even in a file without tests.
      await root.run();
    }
    if (root.subtestsPromise !== null) {
      // Tests still pending with nothing left to wake them: stay alive until they settle.
      const keepAlive = setInterval(() => {}, TIMEOUT_MAX);
      await root.subtestsPromise.promise;
      clearInterval(keepAlive);
    }
    root.postRun(
      testFailure(
        "Promise resolution is still pending but the event loop has already resolved",
        FailureType.cancelledByParent,
      ),
    );
    process.removeListener("uncaughtException", onException);
    process.removeListener("unhandledRejection", onRejection);
    process.removeListener("beforeExit", exitHandler);
  };
  process.on("uncaughtException", onException);
  process.on("unhandledRejection", onRejection);
  process.on("beforeExit", exitHandler);
  root.harness.teardown = exitHandler;
}

async function startSubtestAfterBootstrap(subtest: Test): Promise<void> {
  const harness = subtest.root.harness;
  if (harness.buildPromise) {
    if (harness.bootstrapPromise) {
      await harness.bootstrapPromise;
      harness.bootstrapPromise = null;
    }
    if (subtest instanceof Suite) harness.buildSuites.push(subtest.buildSuite);
    if (!harness.isWaitingForBuildPhase) {
      harness.isWaitingForBuildPhase = true;
      queueMicrotask(() => {
        harness.waitForBuildPhase();
      });
    }
    await harness.buildPromise;
    harness.buildPromise = null;
  }
  await subtest.start();
}

/** The test (not a hook) that code runs in, or the root. */
function parentForNewTest(): Test {
  const owner = currentScope();
  return owner instanceof Test ? owner : lazyBootstrapRoot();
}

type TestApi = ((name?: unknown, options?: unknown, fn?: unknown) => Promise<void>) & {
  expectFailure: TestApi;
  skip: TestApi;
  todo: TestApi;
  only: TestApi;
};

/**
 * `test`/`it` (Factory = Test) and `describe`/`suite` (Factory = Suite), with .expectFailure,
 * .skip, .todo and .only.
 */
export function testApi(Factory: TestFactory): TestApi {
  const run = (name: unknown, options: unknown, fn: unknown, overrides: TestOptions) => {
    const parent = parentForNewTest();
    const subtest = parent.createSubtest(Factory, name, options, fn, overrides);
    if (parent instanceof Suite) return Promise.resolve();
    return startSubtestAfterBootstrap(subtest);
  };
  const api = ((name?: unknown, options?: unknown, fn?: unknown) =>
    run(name, options, fn, { loc: callerLocation(api as AnyFunction) })) as TestApi;
  for (const keyword of ["expectFailure", "skip", "todo", "only"] as const) {
    const variant = ((name?: unknown, options?: unknown, fn?: unknown) =>
      run(name, options, fn, {
        [keyword]: true,
        loc: callerLocation(variant as AnyFunction),
      })) as TestApi;
    api[keyword] = variant;
  }
  return api;
}

export function hookApi(hookType: HookType): (fn: unknown, options?: object) => void {
  const api = (fn: unknown, options?: object) => {
    parentForNewTest().createHook(hookType, fn, options, callerLocation(api as AnyFunction));
  };
  return api;
}

export function getTestContext(): unknown {
  const owner = currentScope();
  if (owner instanceof TestHook) return owner.owner?.getCtx();
  return owner instanceof Test ? owner.getCtx() : undefined;
}

export { Suite, startSubtestAfterBootstrap, Test };
