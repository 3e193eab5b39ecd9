/**
 * How one fs operation reaches the host in each of Node's three forms. An operation is first
 * planned (arguments checked and converted, which throws at once as Node does), then run:
 * `*Sync` blocks the isolate on one host call; the callback and promise forms ask the host
 * without blocking and keep the process alive (`hold`) until the answer arrives.
 *
 * Multi-step operations (cp) are generators of plans, so one body serves both the
 * synchronous and the asynchronous drivers.
 */
import { type Callback, callAsync, callSync } from "../../host.ts";
import { hold, nextTick } from "../../loop.ts";
import { validateFunction } from "./validate.ts";

/** One host call and what to make of its answer. */
export interface HostPlan<R = unknown> {
  op: string;
  args: unknown[];
  map?: (value: never) => R;
  /** Rewrites a host failure (e.g. into Node's SystemError for rm). */
  mapError?: (error: Error) => Error;
}

/** An answer known without asking the host, or a failure to report through the callback. */
export type Plan<R = unknown> = HostPlan<R> | { value: R } | { error: Error };

export function runSync<R>(plan: Plan<R>): R {
  if ("value" in plan) return plan.value;
  if ("error" in plan) throw plan.error;
  let value: unknown;
  try {
    value = callSync(plan.op, ...plan.args);
  } catch (error) {
    throw plan.mapError ? plan.mapError(error as Error) : error;
  }
  return plan.map ? plan.map(value as never) : (value as R);
}

export function runCallback<R>(plan: Plan<R>, callback: Callback<R>): void {
  if ("value" in plan) {
    nextTick(() => callback(null, plan.value));
    return;
  }
  if ("error" in plan) {
    nextTick(() => callback(plan.error));
    return;
  }
  const release = hold();
  callAsync(plan.op, plan.args, (error, value) => {
    release();
    if (error) {
      callback(plan.mapError ? plan.mapError(error) : error);
      return;
    }
    let result: R;
    try {
      result = plan.map ? plan.map(value as never) : (value as R);
    } catch (mapped) {
      callback(mapped as Error);
      return;
    }
    callback(null, result);
  });
}

export function runPromise<R>(plan: Plan<R>): Promise<R> {
  return new Promise((resolve, reject) =>
    runCallback(plan, (error, value) => (error ? reject(error) : resolve(value as R))),
  );
}

/** A step of a multi-step operation: a host call, or a value to wait for (a filter's promise). */
export type Step = Plan | { wait: unknown };
export type Steps<R> = Generator<Step, R, unknown>;

export function driveSync<R>(steps: Steps<R>): R {
  let next = steps.next();
  while (!next.done) {
    const step = next.value;
    let input: unknown;
    try {
      input = "wait" in step ? step.wait : runSync(step);
    } catch (error) {
      next = steps.throw(error);
      continue;
    }
    next = steps.next(input);
  }
  return next.value;
}

export async function driveAsync<R>(steps: Steps<R>): Promise<R> {
  let next = steps.next();
  while (!next.done) {
    const step = next.value;
    let input: unknown;
    try {
      input = "wait" in step ? await step.wait : await runPromise(step);
    } catch (error) {
      next = steps.throw(error);
      continue;
    }
    next = steps.next(input);
  }
  return next.value;
}

/** Splits Node's trailing callback off an argument list; it must be a function. */
export function takeCallback<R>(args: unknown[]): Callback<R> {
  const callback = args.length > 0 ? args[args.length - 1] : undefined;
  // Node reads the callback from its own slot: after a short call that slot is empty.
  if (typeof callback !== "function")
    validateFunction(args.length >= 3 ? callback : undefined, "cb");
  args.pop();
  return callback as Callback<R>;
}
