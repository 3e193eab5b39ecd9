/**
 * util.inspect's view of a promise's state. node-inspect-extracted stubs the internal binding
 * with "always pending"; runtime-image.ts points that stub here, where the native
 * `promiseState` (v8-extras.ts) answers.
 */
import { v8 } from "./v8-extras.ts";

/** [kPending] | [kRejected, reason] | [any other tag, value], as Node's getPromiseDetails. */
export function promiseDetails(
  promise: unknown,
  kPending: symbol,
  kRejected: symbol,
): [unknown, unknown] {
  const state = v8.promiseState(promise);
  if (!state || state[0] === 0) return [kPending, undefined];
  return [state[0] === 2 ? kRejected : "fulfilled", state[1]];
}
