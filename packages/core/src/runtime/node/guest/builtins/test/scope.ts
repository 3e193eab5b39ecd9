/**
 * Which test (or hook) the running code belongs to. Node maps async ids to tests with an
 * async_hooks hook; the async context AsyncLocalStorage uses (async-context.ts) gives the same
 * answer here, following the test's function through awaits, timers and callbacks. `test()`/
 * `it()` called inside a `describe` body or a test attach to it this way, and an uncaught error
 * fails the test that caused it. Entering and leaving are two calls rather than a wrapper, so
 * that a test's stack trace keeps as few runner frames as Node's.
 */
import { currentFrame, type Frame } from "../../async-context.ts";
import { v8 } from "../../v8-extras.ts";

/** A test or a hook (hooks have a `hookType`). */
export type ScopeOwner = object;

/** The key of the current test in the async context frame. */
const SCOPE = {};

/** Makes `owner` current; returns what `leaveScope` needs to restore. */
export function enterScope(owner: ScopeOwner): unknown {
  const previous = v8.getContinuationData();
  const frame = new Map(currentFrame());
  frame.set(SCOPE, owner);
  v8.setContinuationData(frame as Frame);
  return previous;
}

export function leaveScope(previous: unknown): void {
  v8.setContinuationData(previous);
}

export function currentScope(): ScopeOwner | undefined {
  return currentFrame().get(SCOPE) as ScopeOwner | undefined;
}
