/**
 * What a test function receives: `t` (TestContext) for tests and hooks, a SuiteContext for
 * `describe` bodies. Both are views of the runner's Test; `t.test`, the hooks and `t.plan` act on
 * it.
 */
import { codedError, invalidArgType } from "../../errors.ts";
import { clearTimeout, setTimeout } from "../../timers.ts";
import { innerOk } from "../assert.ts";
import { loadBuiltin } from "../registry.ts";
import { callerLocation } from "./caller-location.ts";
import { FailureType, testFailure } from "./failure.ts";
import { MockTracker } from "./mock/mock-tracker.ts";
import { TestPlan } from "./plan.ts";
import type { Test } from "./test.ts";

type AnyFunction = (...args: unknown[]) => unknown;

/** The assert methods `t.assert` offers (each counts towards `t.plan`). */
const ASSERT_METHODS = [
  "deepEqual",
  "deepStrictEqual",
  "doesNotMatch",
  "doesNotReject",
  "doesNotThrow",
  "equal",
  "fail",
  "ifError",
  "match",
  "notDeepEqual",
  "notDeepStrictEqual",
  "notEqual",
  "notStrictEqual",
  "partialDeepStrictEqual",
  "rejects",
  "strictEqual",
  "throws",
];

/** Assertions added with `require('node:test').assert.register(name, fn)`. */
const registeredAssertions = new Map<string, AnyFunction>();

export function registerAssertion(name: unknown, fn: unknown): void {
  if (typeof name !== "string") throw invalidArgType("name", "of type string", name);
  if (typeof fn !== "function") throw invalidArgType("fn", "of type function", fn);
  registeredAssertions.set(name, fn as AnyFunction);
}

/** `t.fullName`: the names from the top-level test down, joined by " > ". */
export function fullName(test: Test): string {
  if (test === test.root) return test.name;
  let name = test.name;
  for (let t = test.parent; t && t !== t.root; t = t.parent) name = `${t.name} > ${name}`;
  return name;
}

export class TestContext {
  #test: Test;
  #assert: Record<string, AnyFunction> | undefined;

  constructor(test: Test) {
    this.#test = test;
  }

  get signal(): AbortSignal {
    return this.#test.signal;
  }

  get name(): string {
    return this.#test.name;
  }

  get filePath(): string | undefined {
    return this.#test.entryFile;
  }

  get fullName(): string {
    return fullName(this.#test);
  }

  get error(): unknown {
    return this.#test.error;
  }

  get passed(): boolean {
    return this.#test.passed;
  }

  diagnostic(message: string): void {
    this.#test.diagnostic(message);
  }

  plan(count: number, options?: object): void {
    if (this.#test.plan !== null) {
      throw testFailure("cannot set plan more than once", FailureType.testCodeFailure);
    }
    this.#test.plan = new TestPlan(count, options);
  }

  get assert(): Record<string, AnyFunction> {
    if (this.#assert) return this.#assert;
    const { plan } = this.#test;
    const assert = loadBuiltin("assert") as Record<string, AnyFunction>;
    const methods: Record<string, AnyFunction> = Object.create(null);
    const available = new Map<string, AnyFunction>();
    for (const name of ASSERT_METHODS) {
      if (typeof assert[name] === "function") available.set(name, assert[name]);
    }
    for (const [name, fn] of registeredAssertions) available.set(name, fn);
    for (const [name, method] of available) {
      methods[name] = (...args: unknown[]) => {
        plan?.count();
        return Reflect.apply(method, this, args);
      };
    }
    if (!available.has("ok")) {
      // ok() finds the source of its own call to word its message, so it must be the caller.
      methods.ok = function ok(...args: unknown[]) {
        plan?.count();
        innerOk(ok, args.length, ...(args as [unknown, unknown]));
      };
    }
    this.#assert = methods;
    return methods;
  }

  get mock(): MockTracker {
    this.#test.mock ??= new MockTracker();
    return this.#test.mock;
  }

  runOnly(value: unknown): void {
    this.#test.runOnlySubtests = !!value;
  }

  skip(message?: string): void {
    this.#test.skip(message);
  }

  todo(message?: string): void {
    this.#test.todo(message);
  }

  test(name?: unknown, options?: unknown, fn?: unknown): Promise<void> {
    const loc = callerLocation(this.test as AnyFunction);
    this.#test.plan?.count();
    return this.#test.createChildTest(name, options, fn, loc).start();
  }

  before(fn: unknown, options?: object): void {
    this.#test.createHook("before", fn, options, callerLocation(this.before as AnyFunction));
  }

  after(fn: unknown, options?: object): void {
    this.#test.createHook("after", fn, options, callerLocation(this.after as AnyFunction));
  }

  beforeEach(fn: unknown, options?: object): void {
    this.#test.createHook(
      "beforeEach",
      fn,
      options,
      callerLocation(this.beforeEach as AnyFunction),
    );
  }

  afterEach(fn: unknown, options?: object): void {
    this.#test.createHook("afterEach", fn, options, callerLocation(this.afterEach as AnyFunction));
  }

  /** Polls `condition` until it stops throwing (or rejecting), or `timeout` ms pass. */
  waitFor(condition: unknown, options: unknown = {}): Promise<unknown> {
    if (typeof condition !== "function") {
      throw invalidArgType("condition", "of type function", condition);
    }
    if (options === null || typeof options !== "object") {
      throw invalidArgType("options", "of type object", options);
    }
    const { interval = 50, timeout = 1000 } = options as { interval?: unknown; timeout?: unknown };
    for (const [name, value] of [
      ["options.interval", interval],
      ["options.timeout", timeout],
    ] as const) {
      if (typeof value !== "number") throw invalidArgType(name, "of type number", value);
      if (value < 0 || value > 2 ** 31 - 1) {
        throw codedError(
          RangeError,
          "ERR_OUT_OF_RANGE",
          `The value of "${name}" is out of range. It must be >= 0 && <= 2147483647. Received ${value}`,
        );
      }
    }
    return new Promise((resolve, reject) => {
      const none = Symbol("none");
      let cause: unknown = none;
      let poller: ReturnType<typeof setTimeout> | undefined;
      const timer = setTimeout(() => {
        if (poller) clearTimeout(poller);
        const error = new Error("waitFor() timed out") as Error & { cause?: unknown };
        if (cause !== none) error.cause = cause;
        reject(error);
      }, timeout as number);
      const poll = async () => {
        try {
          const result = await (condition as AnyFunction)();
          clearTimeout(timer);
          resolve(result);
        } catch (error) {
          cause = error;
          poller = setTimeout(poll, interval as number);
        }
      };
      poll();
    });
  }
}

export class SuiteContext {
  #suite: Test;

  constructor(suite: Test) {
    this.#suite = suite;
  }

  get signal(): AbortSignal {
    return this.#suite.signal;
  }

  get name(): string {
    return this.#suite.name;
  }

  get filePath(): string | undefined {
    return this.#suite.entryFile;
  }

  get fullName(): string {
    return fullName(this.#suite);
  }

  get passed(): boolean {
    return this.#suite.passed;
  }

  diagnostic(message: string): void {
    this.#suite.diagnostic(message);
  }
}
