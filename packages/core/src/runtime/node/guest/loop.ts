/**
 * The guest's event loop bookkeeping. The host drives the tasks (timer expiries, I/O answers);
 * this module counts what keeps the process alive (ref'ed timers, pending I/O, servers, stdin
 * in flowing mode), runs nextTick and setImmediate queues, and reports when nothing is left so
 * the host can end the process, as Node does when its loop runs dry.
 */
import { bindToFrame } from "./async-context.ts";
import { callAsync, notifyHost } from "./host.ts";
import { processRejections } from "./rejections.ts";
import { type ThrowPlace, v8 } from "./v8-extras.ts";

let refs = 0;
let idleReported = false;

/** Keeps the process alive until the returned function is called (once). */
export function hold(): () => void {
  refs++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    refs--;
    if (refs === 0) reportIdle();
  };
}

export function liveRefs(): number {
  return refs + immediates.length;
}

/** Tells the host the count reached zero; it asks `idleCheck` after the current task. */
export function reportIdle(): void {
  if (idleReported) return;
  idleReported = true;
  notifyHost("loop.idle");
}

/** Called by the host: returns -1 while something still keeps the process alive. */
export function idleCheck(onIdle: () => number): number {
  idleReported = false;
  if (liveRefs() > 0) return -1;
  return onIdle();
}

// ---- process.nextTick ----------------------------------------------------------------------

const ticks: Array<() => void> = [];
let tickScheduled = false;

export function nextTick(callback: () => void): void {
  ticks.push(bindToFrame(callback));
  // Inside drainTicks the loop there runs it; elsewhere (microtasks V8 runs after a host
  // call) a microtask does.
  if (!tickScheduled && !draining) {
    tickScheduled = true;
    queueMicrotask(runTicks);
  }
}

let draining = false;

/** Whether drainTicks is running (what it runs is followed by its own rejection pass). */
export function isDraining(): boolean {
  return draining;
}

/**
 * What Node does when a callback from the loop returns (processTicksAndRejections): the
 * nextTick queue, then the microtasks, again while either refills, then the promise
 * rejections left unhandled, whose listeners may queue more. With no tick queued the
 * microtasks go first, as in Node. Every host-called entry point ends with it.
 */
export function drainTicks(): void {
  if (draining) {
    // Called from a microtask the loop below is running (code that emulates Node's "each
    // event from a callback of its own" within one host call): its ticks run now; the
    // microtasks and rejections are the outer loop's to finish.
    runTicks();
    return;
  }
  draining = true;
  try {
    if (ticks.length === 0) v8.runMicrotasks();
    while (ticks.length > 0 || processRejections()) {
      runTicks();
      v8.runMicrotasks();
    }
  } finally {
    draining = false;
  }
}

function runTicks(): void {
  tickScheduled = false;
  // One guarded call runs the whole queue (a native call per tick would cost): a throw ends
  // only its own tick, and after it was reported the rest run on.
  while (ticks.length > 0) guard(runTickQueue);
}

function runTickQueue(): void {
  while (ticks.length > 0) (ticks.shift() as () => void)();
}

// ---- setImmediate --------------------------------------------------------------------------

export interface ImmediateEntry {
  callback: () => void;
  cancelled: boolean;
  ref: boolean;
}

let immediates: ImmediateEntry[] = [];
let immediateTurnPending = false;

export function queueImmediate(entry: ImmediateEntry): void {
  entry.callback = bindToFrame(entry.callback);
  immediates.push(entry);
  if (!immediateTurnPending) {
    immediateTurnPending = true;
    callAsync("loop.yield", [], runImmediates);
  }
}

export function cancelImmediate(entry: ImmediateEntry): void {
  entry.cancelled = true;
  const index = immediates.indexOf(entry);
  if (index >= 0) immediates.splice(index, 1);
  if (liveRefs() === 0) reportIdle();
}

/** Immediates queued while these run wait for the next turn, as in Node. */
function runImmediates(): void {
  immediateTurnPending = false;
  const batch = immediates;
  immediates = [];
  for (const entry of batch) {
    if (entry.cancelled) continue;
    guard(entry.callback);
    // Node runs each immediate's nextTicks, microtasks and rejections before the next one.
    drainTicks();
  }
  if (immediates.length > 0 && !immediateTurnPending) {
    immediateTurnPending = true;
    callAsync("loop.yield", [], runImmediates);
  }
  if (liveRefs() === 0) reportIdle();
}

// ---- uncaught exceptions -------------------------------------------------------------------

/** Takes an uncaught exception and where V8 saw it thrown (undefined when unknown). */
export type UncaughtHandler = (error: unknown, place: ThrowPlace | undefined) => void;

let uncaughtHandler: UncaughtHandler = (error) => {
  throw error;
};

export function setUncaughtHandler(handler: UncaughtHandler): void {
  uncaughtHandler = handler;
}

/**
 * Runs a callback the way the loop runs one: a throw is the process's uncaught exception. The
 * native call catches it with V8's message location, which Node prints above it (a `catch`
 * here would only see the value).
 */
export function guard(callback: () => void): void {
  const caught = v8.callCatching(callback, undefined);
  if (caught) uncaughtHandler(caught[0], caught[1]);
}
