/**
 * node:assert and node:assert/strict, with Node 24's semantics and messages: deep equality
 * from comparisons.ts, AssertionError's diffs, throws/rejects validation by class, RegExp,
 * function or object, and `assert.ok`'s "The expression evaluated to a falsy value" showing
 * the source of the failing call (read back from the script file, as Node does).
 */
import { inspect } from "node-inspect-extracted";
import { codedError, describeReceived } from "../errors.ts";
import { THROW_SITE } from "../fatal.ts";
import { AssertionError, type AssertionErrorOptions } from "./assertion-error.ts";
import { sourceOfCall } from "./call-source.ts";
import { isDeepLooseEqual, isDeepStrictEqual } from "./comparisons.ts";
import { isNativeError, isPromise, isRegExp } from "./util-types.ts";

type AnyFunction = (...args: never[]) => unknown;

const NO_EXCEPTION = Symbol("no exception");

function missingArgs(...names: string[]): TypeError {
  const list = names.map((name) => `"${name}"`).join(" and ");
  return codedError(TypeError, "ERR_MISSING_ARGS", `The ${list} arguments must be specified`);
}

function invalidArgType(name: string, expected: string, actual: unknown): TypeError {
  return codedError(
    TypeError,
    "ERR_INVALID_ARG_TYPE",
    `The "${name}" argument must be ${expected}. Received ${describeReceived(actual)}`,
  );
}

/** Where Node's own assert code throws, as its fatal-error header shows it. */
const SITE_INNER_FAIL = "node:assert:152\n  throw new AssertionError(obj);\n  ^";
const SITE_INNER_OK = "node:internal/assert/utils:77\n    throw err;\n    ^";

function markSite<T extends object>(error: T, site: string): T {
  Object.defineProperty(error, THROW_SITE, { value: site, configurable: true });
  return error;
}

function innerFail(options: AssertionErrorOptions): never {
  if (options.message instanceof Error) throw options.message;
  throw markSite(new AssertionError({ ...options, diff: activeDiff }), SITE_INNER_FAIL);
}

export function innerOk(
  fn: AnyFunction,
  argCount: number,
  value: unknown,
  message?: unknown,
): void {
  if (value) return;
  let generated = false;
  let text = message;
  if (argCount === 0) {
    generated = true;
    text = "No value argument passed to `assert.ok()`";
  } else if (message == null) {
    generated = true;
    const source = sourceOfCall(fn);
    text = source ? `The expression evaluated to a falsy value:\n\n  ${source}\n` : undefined;
  } else if (isNativeError(message)) {
    throw message;
  }
  const error = new AssertionError({
    actual: value,
    expected: true,
    message: text,
    operator: "==",
    stackStartFn: fn,
  });
  error.generatedMessage = generated;
  throw markSite(error, SITE_INNER_OK);
}

/** Picks the properties `keys` of an object, for the diff of a failed error validation. */
function comparison(object: Record<string, unknown>, keys: string[], actual?: unknown) {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (!(key in object)) continue;
    const actualValue = (actual as Record<string, unknown> | undefined)?.[key];
    if (
      actual !== undefined &&
      typeof actualValue === "string" &&
      isRegExp(object[key]) &&
      (object[key] as RegExp).exec(actualValue) !== null
    ) {
      out[key] = actualValue;
    } else out[key] = object[key];
  }
  return Object.setPrototypeOf(out, Comparison.prototype);
}

/** Named so the diff shows `Comparison {` as Node's does. */
class Comparison {}

function expectedException(
  actual: unknown,
  expected: unknown,
  message: unknown,
  fn: AnyFunction,
): void {
  let generated = false;
  let text = message;
  if (typeof expected !== "function") {
    if (isRegExp(expected)) {
      const str = String(actual);
      if ((expected as RegExp).exec(str) !== null) return;
      if (!text) {
        generated = true;
        text = `The input did not match the regular expression ${inspect(expected)}. Input:\n\n${inspect(str)}\n`;
      }
    } else if (typeof actual !== "object" || actual === null) {
      const error = new AssertionError({
        actual,
        expected,
        message,
        operator: "deepStrictEqual",
        stackStartFn: fn,
      });
      error.operator = fn.name;
      throw error;
    } else {
      const wanted = expected as Record<string, unknown>;
      const got = actual as Record<string, unknown>;
      const keys = Object.keys(wanted);
      if (expected instanceof Error) keys.push("name", "message");
      else if (keys.length === 0) {
        throw codedError(
          TypeError,
          "ERR_INVALID_ARG_VALUE",
          `The argument 'error' may not be an empty object. Received {}`,
        );
      }
      for (const key of keys) {
        if (
          typeof got[key] === "string" &&
          isRegExp(wanted[key]) &&
          (wanted[key] as RegExp).exec(got[key] as string) !== null
        ) {
          continue;
        }
        if (key in got && isDeepStrictEqual(got[key], wanted[key])) continue;
        if (!message) {
          const error = new AssertionError({
            actual: comparison(got, keys),
            expected: comparison(wanted, keys, got),
            operator: "deepStrictEqual",
            stackStartFn: fn,
          });
          error.actual = actual;
          error.expected = expected;
          error.operator = fn.name;
          throw error;
        }
        innerFail({ actual, expected, message, operator: fn.name, stackStartFn: fn });
      }
      return;
    }
  } else {
    const Expected = expected as AnyFunction & { prototype?: unknown; name: string };
    if (Expected.prototype !== undefined && actual instanceof (Expected as never)) return;
    if (Object.prototype.isPrototypeOf.call(Error, Expected)) {
      if (!text) {
        generated = true;
        text = `The error is expected to be an instance of "${Expected.name}". Received `;
        if (isNativeError(actual)) {
          const err = actual as Error;
          const name = err.constructor?.name || err.name;
          text +=
            Expected.name === name
              ? "an error with identical name but a different prototype."
              : `"${name}"`;
          if (err.message) text += `\n\nError message:\n\n${err.message}`;
        } else {
          text += `"${inspect(actual, { depth: -1 })}"`;
        }
      }
    } else {
      const result = Reflect.apply(Expected as AnyFunction, {}, [actual as never]);
      if (result === true) return;
      if (!text) {
        generated = true;
        const name = Expected.name ? `"${Expected.name}" ` : "";
        text = `The ${name}validation function is expected to return "true". Received ${inspect(result)}`;
        if (isNativeError(actual)) text += `\n\nCaught error:\n\n${actual}`;
      }
    }
  }
  const error = new AssertionError({
    actual,
    expected,
    message: text,
    operator: fn.name,
    stackStartFn: fn,
  });
  error.generatedMessage = generated;
  throw error;
}

function getActual(fn: unknown): unknown {
  if (typeof fn !== "function") throw invalidArgType("fn", "of type function", fn);
  try {
    fn();
  } catch (error) {
    return error;
  }
  return NO_EXCEPTION;
}

function isThenable(value: unknown): boolean {
  return (
    isPromise(value) ||
    (value !== null &&
      typeof value === "object" &&
      typeof (value as { then?: unknown }).then === "function" &&
      typeof (value as { catch?: unknown }).catch === "function")
  );
}

async function waitForActual(promiseFn: unknown): Promise<unknown> {
  let promise: unknown;
  if (typeof promiseFn === "function") {
    promise = promiseFn();
    if (!isThenable(promise)) {
      throw codedError(
        TypeError,
        "ERR_INVALID_RETURN_VALUE",
        `Expected instance of Promise to be returned from the "promiseFn" function but got ${describeReturned(promise)}.`,
      );
    }
  } else if (isThenable(promiseFn)) {
    promise = promiseFn;
  } else {
    throw invalidArgType("promiseFn", "of type function or an instance of Promise", promiseFn);
  }
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return NO_EXCEPTION;
}

function describeReturned(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "object")
    return `instance of ${(value as object).constructor?.name ?? "Object"}`;
  return `type ${typeof value}`;
}

function expectsError(fn: AnyFunction, actual: unknown, args: unknown[]): void {
  let [error, message] = args;
  if (typeof error === "string") {
    if (args.length >= 2) {
      throw invalidArgType(
        "error",
        "of type function or an instance of Error, RegExp, or Object",
        error,
      );
    }
    if (typeof actual === "object" && actual !== null) {
      if ((actual as Error).message === error) {
        throw codedError(
          TypeError,
          "ERR_AMBIGUOUS_ARGUMENT",
          `The "error/message" argument is ambiguous. The error message "${(actual as Error).message}" is identical to the message.`,
        );
      }
    } else if (actual === error) {
      throw codedError(
        TypeError,
        "ERR_AMBIGUOUS_ARGUMENT",
        `The "error/message" argument is ambiguous. The error "${actual}" is identical to the message.`,
      );
    }
    message = error;
    error = undefined;
  } else if (error != null && typeof error !== "object" && typeof error !== "function") {
    throw invalidArgType(
      "error",
      "of type function or an instance of Error, RegExp, or Object",
      error,
    );
  }
  if (actual === NO_EXCEPTION) {
    let details = "";
    const name = (error as { name?: string } | undefined)?.name;
    if (error && name) details += ` (${name})`;
    details += message ? `: ${message}` : ".";
    const kind = fn === rejects ? "rejection" : "exception";
    innerFail({
      actual: undefined,
      expected: error,
      operator: fn.name,
      message: `Missing expected ${kind}${details}`,
      stackStartFn: fn,
    });
  }
  if (!error) return;
  expectedException(actual, error, message, fn);
}

function hasMatchingError(actual: unknown, expected: unknown): boolean {
  if (typeof expected !== "function") {
    if (isRegExp(expected)) return (expected as RegExp).exec(String(actual)) !== null;
    throw invalidArgType("expected", "of type function or an instance of RegExp", expected);
  }
  const Expected = expected as AnyFunction & { prototype?: unknown };
  if (Expected.prototype !== undefined && actual instanceof (Expected as never)) return true;
  if (Object.prototype.isPrototypeOf.call(Error, Expected)) return false;
  return Reflect.apply(Expected, {}, [actual as never]) === true;
}

function expectsNoError(fn: AnyFunction, actual: unknown, args: unknown[]): void {
  if (actual === NO_EXCEPTION) return;
  let [error, message] = args;
  if (typeof error === "string") {
    message = error;
    error = undefined;
  }
  if (!error || hasMatchingError(actual, error)) {
    const details = message ? `: ${message}` : ".";
    const kind = fn === doesNotReject ? "rejection" : "exception";
    innerFail({
      actual,
      expected: error,
      operator: fn.name,
      message: `Got unwanted ${kind}${details}\nActual message: "${(actual as Error | undefined)?.message}"`,
      stackStartFn: fn,
    });
  }
  throw actual;
}

function internalMatch(string: unknown, regexp: unknown, message: unknown, fn: AnyFunction): void {
  if (!isRegExp(regexp)) throw invalidArgType("regexp", "an instance of RegExp", regexp);
  const wantMatch = fn === match;
  if (typeof string === "string" && ((regexp as RegExp).exec(string) !== null) === wantMatch)
    return;
  if (message instanceof Error) throw message;
  const generated = !message;
  const text =
    message ||
    (typeof string !== "string"
      ? `The "string" argument must be of type string. Received type ${typeof string} (${inspect(string)})`
      : `${wantMatch ? "The input did not match the regular expression " : "The input was expected to not match the regular expression "}${inspect(regexp)}. Input:\n\n${inspect(string)}\n`);
  const error = new AssertionError({
    actual: string,
    expected: regexp,
    message: text,
    operator: fn.name,
    stackStartFn: fn,
  });
  error.generatedMessage = generated;
  throw error;
}

let failWarned = false;

function assert(...args: unknown[]): void {
  innerOk(assert, args.length, ...(args as [unknown, unknown]));
}

function fail(
  actualIn?: unknown,
  expected?: unknown,
  messageIn?: unknown,
  operatorIn?: string,
  stackStartFn?: AnyFunction,
): never {
  // biome-ignore lint/complexity/noArguments: Node counts the arguments actually passed
  const argCount = arguments.length;
  let actual = actualIn;
  let message = messageIn;
  let operator = operatorIn;
  let internal = false;
  if (actual == null && argCount <= 1) {
    internal = true;
    message = "Failed";
  } else if (argCount === 1) {
    message = actual;
    actual = undefined;
  } else {
    if (!failWarned) {
      failWarned = true;
      process.emitWarning(
        "assert.fail() with more than one argument is deprecated. Please use assert.strictEqual() instead or only pass a message.",
        "DeprecationWarning",
        "DEP0094",
      );
    }
    if (argCount === 2) operator = "!=";
  }
  if (message instanceof Error) throw message;
  const error = new AssertionError({
    actual,
    expected,
    operator: operator === undefined ? "fail" : operator,
    stackStartFn: stackStartFn || fail,
    message,
  });
  if (internal) error.generatedMessage = true;
  throw error;
}

function equal(actual: unknown, expected: unknown, message?: unknown): void {
  // biome-ignore lint/complexity/noArguments: Node counts the arguments actually passed
  if (arguments.length < 2) throw missingArgs("actual", "expected");
  // biome-ignore lint/suspicious/noDoubleEquals: assert.equal is defined by ==
  if (actual != expected && !(Number.isNaN(actual) && Number.isNaN(expected))) {
    innerFail({ actual, expected, message, operator: "==", stackStartFn: equal });
  }
}

function notEqual(actual: unknown, expected: unknown, message?: unknown): void {
  // biome-ignore lint/complexity/noArguments: Node counts the arguments actually passed
  if (arguments.length < 2) throw missingArgs("actual", "expected");
  // biome-ignore lint/suspicious/noDoubleEquals: assert.notEqual is defined by !=
  if (actual == expected || (Number.isNaN(actual) && Number.isNaN(expected))) {
    innerFail({ actual, expected, message, operator: "!=", stackStartFn: notEqual });
  }
}

function deepEqual(actual: unknown, expected: unknown, message?: unknown): void {
  // biome-ignore lint/complexity/noArguments: Node counts the arguments actually passed
  if (arguments.length < 2) throw missingArgs("actual", "expected");
  if (!isDeepLooseEqual(actual, expected)) {
    innerFail({ actual, expected, message, operator: "deepEqual", stackStartFn: deepEqual });
  }
}

function notDeepEqual(actual: unknown, expected: unknown, message?: unknown): void {
  // biome-ignore lint/complexity/noArguments: Node counts the arguments actually passed
  if (arguments.length < 2) throw missingArgs("actual", "expected");
  if (isDeepLooseEqual(actual, expected)) {
    innerFail({ actual, expected, message, operator: "notDeepEqual", stackStartFn: notDeepEqual });
  }
}

function deepStrictEqual(actual: unknown, expected: unknown, message?: unknown): void {
  // biome-ignore lint/complexity/noArguments: Node counts the arguments actually passed
  if (arguments.length < 2) throw missingArgs("actual", "expected");
  if (!isDeepStrictEqual(actual, expected)) {
    innerFail({
      actual,
      expected,
      message,
      operator: "deepStrictEqual",
      stackStartFn: deepStrictEqual,
    });
  }
}

function notDeepStrictEqual(actual: unknown, expected: unknown, message?: unknown): void {
  // biome-ignore lint/complexity/noArguments: Node counts the arguments actually passed
  if (arguments.length < 2) throw missingArgs("actual", "expected");
  if (isDeepStrictEqual(actual, expected)) {
    innerFail({
      actual,
      expected,
      message,
      operator: "notDeepStrictEqual",
      stackStartFn: notDeepStrictEqual,
    });
  }
}

function strictEqual(actual: unknown, expected: unknown, message?: unknown): void {
  // biome-ignore lint/complexity/noArguments: Node counts the arguments actually passed
  if (arguments.length < 2) throw missingArgs("actual", "expected");
  if (!Object.is(actual, expected)) {
    innerFail({ actual, expected, message, operator: "strictEqual", stackStartFn: strictEqual });
  }
}

function notStrictEqual(actual: unknown, expected: unknown, message?: unknown): void {
  // biome-ignore lint/complexity/noArguments: Node counts the arguments actually passed
  if (arguments.length < 2) throw missingArgs("actual", "expected");
  if (Object.is(actual, expected)) {
    innerFail({
      actual,
      expected,
      message,
      operator: "notStrictEqual",
      stackStartFn: notStrictEqual,
    });
  }
}

function throws(fn: unknown, ...args: unknown[]): void {
  expectsError(throws, getActual(fn), args);
}

async function rejects(promiseFn: unknown, ...args: unknown[]): Promise<void> {
  expectsError(rejects, await waitForActual(promiseFn), args);
}

function doesNotThrow(fn: unknown, ...args: unknown[]): void {
  expectsNoError(doesNotThrow, getActual(fn), args);
}

async function doesNotReject(fn: unknown, ...args: unknown[]): Promise<void> {
  expectsNoError(doesNotReject, await waitForActual(fn), args);
}

function ifError(err: unknown): void {
  if (err === null || err === undefined) return;
  let message = "ifError got unwanted exception: ";
  const asError = err as Error;
  if (typeof err === "object" && typeof asError.message === "string") {
    message +=
      asError.message.length === 0 && asError.constructor
        ? asError.constructor.name
        : asError.message;
  } else message += inspect(err);
  const error = new AssertionError({
    actual: err,
    expected: null,
    operator: "ifError",
    message,
    stackStartFn: ifError,
  });
  // The stack shows where ifError was called, then the original error's own frames.
  const original = asError.stack;
  if (typeof original === "string") {
    const start = original.indexOf("\n    at");
    if (start !== -1) {
      const originalFrames = original.slice(start + 1).split("\n");
      let frames = (error.stack ?? "").split("\n");
      for (const frame of originalFrames) {
        const at = frames.indexOf(frame);
        if (at !== -1) {
          frames = frames.slice(0, at);
          break;
        }
      }
      error.stack = `${frames.join("\n")}\n${originalFrames.join("\n")}`;
    }
  }
  throw error;
}

function match(string: unknown, regexp: unknown, message?: unknown): void {
  internalMatch(string, regexp, message, match);
}

function doesNotMatch(string: unknown, regexp: unknown, message?: unknown): void {
  internalMatch(string, regexp, message, doesNotMatch);
}

/** assert.CallTracker was removed from use in Node 24 (deprecated); it reports so. */
class CallTracker {
  constructor() {
    throw codedError(
      Error,
      "ERR_AGENTOS_NOT_SUPPORTED",
      "assert.CallTracker (deprecated, DEP0173) is not supported in the agentOS VM",
    );
  }
}

const METHODS = {
  fail,
  equal,
  notEqual,
  deepEqual,
  notDeepEqual,
  deepStrictEqual,
  notDeepStrictEqual,
  strictEqual,
  notStrictEqual,
  match,
  doesNotMatch,
  throws,
  rejects,
  doesNotThrow,
  doesNotReject,
  ifError,
};

/** The diff mode of the Assert instance whose method is running ("simple" by default). */
let activeDiff: "simple" | "full" | undefined;
const kOptions = Symbol("options");

/** assert.Assert: an assert with its own options (strict by default, `diff: 'full'`). */
function Assert(this: Record<PropertyKey, unknown>, options?: Record<string, unknown>) {
  if (!new.target) {
    throw codedError(
      TypeError,
      "ERR_CONSTRUCT_CALL_REQUIRED",
      "Class constructor Assert cannot be invoked without 'new'",
    );
  }
  const settings: Record<string, unknown> = {
    __proto__: null,
    strict: true,
    skipPrototype: false,
    ...options,
  };
  if (settings.diff !== undefined && settings.diff !== "simple" && settings.diff !== "full") {
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_VALUE",
      `The property 'options.diff' must be one of: 'simple', 'full'. Received ${inspect(settings.diff)}`,
    );
  }
  this.AssertionError = AssertionError;
  Object.defineProperty(this, kOptions, { value: settings });
  if (settings.strict) {
    this.equal = this.strictEqual;
    this.deepEqual = this.deepStrictEqual;
    this.notEqual = this.notStrictEqual;
    this.notDeepEqual = this.notDeepStrictEqual;
  }
}
for (const [name, method] of Object.entries(METHODS)) {
  const wrapped = {
    [name](this: Record<PropertyKey, unknown> | undefined, ...args: unknown[]) {
      const previous = activeDiff;
      activeDiff = (this?.[kOptions] as { diff?: "simple" | "full" } | undefined)?.diff;
      try {
        return Reflect.apply(method, undefined, args);
      } finally {
        activeDiff = previous;
      }
    },
  }[name];
  Object.defineProperty(Assert.prototype, name, {
    value: wrapped,
    writable: true,
    configurable: true,
  });
}
Object.defineProperty(Assert.prototype, "ok", {
  value: function ok(...args: unknown[]) {
    innerOk(ok, args.length, ...(args as [unknown, unknown]));
  },
  writable: true,
  configurable: true,
});

const deprecatedCallTracker = function CallTrackerDeprecated(this: unknown) {
  process.emitWarning("assert.CallTracker is deprecated.", "DeprecationWarning", "DEP0173");
  return Reflect.construct(CallTracker, []);
};

Object.assign(assert, {
  AssertionError,
  CallTracker: deprecatedCallTracker,
  ok: assert,
  fail,
  equal,
  notEqual,
  deepEqual,
  notDeepEqual,
  deepStrictEqual,
  notDeepStrictEqual,
  strictEqual,
  notStrictEqual,
  match,
  doesNotMatch,
  throws,
  rejects,
  doesNotThrow,
  doesNotReject,
  ifError,
});

function strict(...args: unknown[]): void {
  innerOk(strict, args.length, ...(args as [unknown, unknown]));
}

Object.assign(strict, assert, {
  equal: strictEqual,
  deepEqual: deepStrictEqual,
  notEqual: notStrictEqual,
  notDeepEqual: notDeepStrictEqual,
});
Object.assign(strict, { Assert, strict });
Object.assign(assert, { strict, Assert });

export function createAssert(): unknown {
  return assert;
}

export function createAssertStrict(): unknown {
  return strict;
}
