/**
 * ERR_TEST_FAILURE: how the runner records why a test failed. The user's own error (or a message
 * of the runner's) is the `cause`, and `failureType` says which kind of failure it was; reporters
 * unwrap the cause to show the user's error as Node does.
 */
import { loadBuiltin } from "../registry.ts";

export const FailureType = {
  callbackAndPromisePresent: "callbackAndPromisePresent",
  cancelledByParent: "cancelledByParent",
  aborted: "testAborted",
  parentAlreadyFinished: "parentAlreadyFinished",
  subtestsFailed: "subtestsFailed",
  testCodeFailure: "testCodeFailure",
  testTimeoutFailure: "testTimeoutFailure",
  hookFailed: "hookFailed",
  multipleCallbackInvocations: "multipleCallbackInvocations",
  uncaughtException: "uncaughtException",
  unhandledRejection: "unhandledRejection",
} as const;

/** Failure types whose cause is the user's error (the TAP reporter shows that error instead). */
export const UNWRAPPED_FAILURES: ReadonlySet<string> = new Set([
  FailureType.testCodeFailure,
  FailureType.hookFailed,
  FailureType.uncaughtException,
  FailureType.unhandledRejection,
]);

/** Failures that count as "cancelled" rather than "fail" in the summary. */
export const CANCELLED_FAILURES: ReadonlySet<string> = new Set([
  FailureType.cancelledByParent,
  FailureType.aborted,
  FailureType.testTimeoutFailure,
]);

const INTERNAL_FRAME = /^\s+at (?:async )?(?:.*\()?node:/;

/** Marks the runner's own failures (Node checks its internal kIsNodeError the same way). */
const IS_TEST_FAILURE = Symbol("agentos.testFailure");

export interface TestFailure extends Error {
  code: "ERR_TEST_FAILURE";
  failureType: string;
  cause: unknown;
  exitCode?: number | null;
  signal?: string | null;
}

function inspect(value: unknown): string {
  return (loadBuiltin("util") as { inspect(v: unknown): string }).inspect(value);
}

/** Node's `new ERR_TEST_FAILURE(error, failureType)`: the message is the error's own. */
export function testFailure(error: unknown, failureType: string): TestFailure {
  let message: unknown = (error as { message?: unknown } | null | undefined)?.message ?? error;
  if (typeof message !== "string") message = inspect(message);
  const failure = new Error(message as string) as TestFailure;
  Object.defineProperty(failure, "code", {
    value: "ERR_TEST_FAILURE",
    enumerable: true,
    writable: true,
    configurable: true,
  });
  failure.failureType = failureType;
  failure.cause = error;
  Object.defineProperty(failure, IS_TEST_FAILURE, { value: true });
  if (typeof failure.stack === "string") {
    // Node hides its internal frames from the errors it makes (hideInternalStackFrames).
    failure.stack = failure.stack
      .replace(/^Error/, "Error [ERR_TEST_FAILURE]")
      .split("\n")
      .filter((line) => !INTERNAL_FRAME.test(line))
      .join("\n");
  }
  return failure;
}

export function isTestFailure(error: unknown): error is TestFailure {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { code?: unknown }).code === "ERR_TEST_FAILURE" &&
    IS_TEST_FAILURE in error
  );
}
