/**
 * node:test and node:test/reporters, written for the VM after Node 24's runner (its behaviour,
 * event order and reporter output). The npm package `test` (nodejs/node-core-test) was the
 * first choice, but it is Node 18's runner: TAP by default, no mock.timers, t.plan, t.assert,
 * t.fullName or suite counts, and a spec reporter whose output is not Node 24's.
 *
 * `test` is the module itself (the default export) with `describe`/`suite`, `it`, the hooks,
 * `mock`, `run` and `getTestContext` on it, as in Node.
 */
import { notSupported } from "../../errors.ts";
import { registerAssertion } from "./context.ts";
import { getTestContext, hookApi, testApi } from "./harness.ts";
import { MockTracker } from "./mock/mock-tracker.ts";
import { dotReporter } from "./reporters/dot.ts";
import { SpecReporter } from "./reporters/spec.ts";
import { tapReporter } from "./reporters/tap.ts";
import { run, runTestRunnerMain } from "./runner.ts";
import { Suite } from "./suite.ts";
import { Test } from "./test.ts";

export function createTestModule(): unknown {
  const test = testApi(Test);
  const suite = testApi(Suite);
  Object.assign(test, {
    after: hookApi("after"),
    afterEach: hookApi("afterEach"),
    before: hookApi("before"),
    beforeEach: hookApi("beforeEach"),
    describe: suite,
    getTestContext,
    it: test,
    run,
    suite,
    test,
  });
  let mock: MockTracker | undefined;
  Object.defineProperty(test, "mock", {
    configurable: true,
    enumerable: true,
    get() {
      mock ??= new MockTracker();
      return mock;
    },
  });
  const snapshotUnsupported = () => {
    throw notSupported("node:test snapshot testing");
  };
  Object.defineProperty(test, "snapshot", {
    configurable: true,
    enumerable: true,
    value: {
      __proto__: null,
      setDefaultSnapshotSerializers: snapshotUnsupported,
      setResolveSnapshotPath: snapshotUnsupported,
    },
  });
  Object.defineProperty(test, "assert", {
    configurable: true,
    enumerable: true,
    value: { __proto__: null, register: registerAssertion },
  });
  // The entry of `node --test` (node-command.ts): hidden, as Node's is internal.
  Object.defineProperty(test, Symbol.for("agentos.testRunnerMain"), { value: runTestRunnerMain });
  return test;
}

export function createTestReporters(): unknown {
  // junit and lcov exist in Node's module; here they fail when used, saying so.
  async function* junit(): AsyncGenerator<string> {
    yield* [];
    throw notSupported("the junit test reporter");
  }
  async function* lcov(): AsyncGenerator<string> {
    yield* [];
    throw notSupported("the lcov test reporter");
  }
  return { dot: dotReporter, junit, spec: SpecReporter, tap: tapReporter, lcov };
}
