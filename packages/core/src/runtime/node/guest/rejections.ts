/**
 * Unhandled promise rejections, tracked as Node tracks them (lib/internal/process/promises.js,
 * default mode `throw`). V8 reports each rejection without a handler and each handler attached
 * after the fact (v8-extras.ts `setPromiseRejectHandler`); once the ticks and microtasks of a
 * callback are drained, the rejections still unhandled are emitted as 'unhandledRejection' with
 * the real promise and reason, or, when nobody listens, become the uncaught exception.
 */
import { callAsync } from "./host.ts";
import { isDraining } from "./loop.ts";
import { v8 } from "./v8-extras.ts";

/** What Node raises for a rejection whose reason is not an error. */
export class UnhandledPromiseRejection extends Error {
  readonly code = "ERR_UNHANDLED_REJECTION";
  readonly reason: unknown;
  constructor(reason: unknown, describe: (value: unknown) => string) {
    super(
      "This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch()." +
        ` The promise rejected with the reason "${describe(reason)}".`,
    );
    this.name = "UnhandledPromiseRejection";
    this.reason = reason;
  }
}

export interface RejectionSink {
  /** process.emit('unhandledRejection', reason, promise): true when a listener took it. */
  emitUnhandled(reason: unknown, promise: Promise<unknown>): boolean;
  /** process.emit('rejectionHandled', promise), or Node's warning when nobody listens. */
  emitHandled(promise: Promise<unknown>, id: number): void;
  /** The reason as the process's uncaught exception (origin 'unhandledRejection'). */
  uncaught(error: unknown): void;
  /** What a 'unhandledRejection' or 'rejectionHandled' listener threw (an uncaught exception). */
  listenerThrew(error: unknown): void;
  describe(value: unknown): string;
}

const REJECTED_WITHOUT_HANDLER = 0;
const HANDLER_ADDED_LATER = 1;

/**
 * Rejected without a handler so far, in the order V8 reported them, with the async context of
 * the rejection: Node emits 'unhandledRejection' in the promise's context (node:test relies on
 * it to fail the test whose promise it was).
 */
const pending = new Map<Promise<unknown>, { reason: unknown; context: unknown }>();
/** Reported as unhandled, with their rejection ids: a handler attached later means 'rejectionHandled'. */
const reported = new WeakMap<Promise<unknown>, number>();
/** Reported ones that got a handler since. */
const handledLater: Array<[Promise<unknown>, number]> = [];
let lastRejectionId = 0;
let sink: RejectionSink | undefined;
let turnRequested = false;

/** While captureRejections runs: the rejections reported without a handler, in order. */
let captured: Array<[Promise<unknown>, unknown]> | undefined;

/** Runs `fn`; returns the rejections V8 reported without a handler meanwhile (still pending). */
export function captureRejections(fn: () => void): Array<[Promise<unknown>, unknown]> {
  const outer = captured;
  const list: Array<[Promise<unknown>, unknown]> = [];
  captured = list;
  try {
    fn();
  } finally {
    captured = outer;
    outer?.push(...list);
  }
  return list;
}

/** Takes a rejection off the unhandled list: the runtime delivered its reason itself. */
export function forgetRejection(promise: Promise<unknown>): void {
  pending.delete(promise);
}

export function setRejectionSink(next: RejectionSink): void {
  sink = next;
}

/** V8's report (the native reject callback). */
export function onPromiseReject(event: number, promise: Promise<unknown>, reason: unknown): void {
  if (event === REJECTED_WITHOUT_HANDLER) {
    pending.set(promise, { reason, context: v8.getContinuationData() });
    captured?.push([promise, reason]);
    // Rejected outside a drained callback (in microtasks V8 ran after a host call): ask the
    // host for a turn, so it is looked at once those microtasks are done.
    if (!isDraining() && !turnRequested) {
      turnRequested = true;
      callAsync("loop.yield", [], () => {
        turnRequested = false;
      });
    }
  } else if (event === HANDLER_ADDED_LATER) {
    if (pending.delete(promise)) return;
    const id = reported.get(promise);
    if (id !== undefined) {
      reported.delete(promise);
      handledLater.push([promise, id]);
    }
  }
}

export function hasPendingRejections(): boolean {
  return pending.size > 0 || handledLater.length > 0;
}

/**
 * Emits or raises every rejection still unhandled. True when there were any: their listeners
 * may have queued more ticks and microtasks, which the caller drains before asking again.
 */
export function processRejections(): boolean {
  if (!sink || !hasPendingRejections()) return false;
  for (const [promise, id] of handledLater.splice(0)) {
    try {
      sink.emitHandled(promise, id);
    } catch (error) {
      sink.listenerThrew(error);
    }
  }
  const batch = [...pending];
  pending.clear();
  for (const [promise, { reason, context }] of batch) {
    reported.set(promise, ++lastRejectionId);
    const outer = v8.getContinuationData();
    v8.setContinuationData(context);
    let handled: boolean;
    try {
      handled = sink.emitUnhandled(reason, promise);
    } catch (error) {
      // As in Node, a listener that throws raises its own uncaught exception.
      sink.listenerThrew(error);
      continue;
    } finally {
      v8.setContinuationData(outer);
    }
    if (handled) continue;
    sink.uncaught(
      isErrorLike(reason) ? reason : new UnhandledPromiseRejection(reason, sink.describe),
    );
  }
  return true;
}

function isErrorLike(value: unknown): boolean {
  return typeof value === "object" && value !== null && Object.hasOwn(value, "stack");
}
