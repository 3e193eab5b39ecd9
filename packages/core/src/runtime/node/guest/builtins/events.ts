/**
 * node:events: EventEmitter from the `events` package (the same class process and streams
 * use), brought up to Node 24: `errorMonitor`, `captureRejections`, Node's error for an
 * unhandled non-Error 'error' event, and the static helpers once (promise, AbortSignal),
 * on (async iterator), getEventListeners, getMaxListeners, setMaxListeners, addAbortListener.
 */
import * as eventsPackage from "events";
import { inspect } from "node-inspect-extracted";
import { codedError, invalidArgType } from "../errors.ts";
import { ENHANCE_STACK, setInternalThrowSite } from "../fatal.ts";

type Listener = (...args: unknown[]) => unknown;
interface Emitter {
  on(name: string | symbol, listener: Listener): unknown;
  once(name: string | symbol, listener: Listener): unknown;
  off?(name: string | symbol, listener: Listener): unknown;
  removeListener(name: string | symbol, listener: Listener): unknown;
  emit(name: string | symbol, ...args: unknown[]): boolean;
  listeners(name: string | symbol): Listener[];
  listenerCount(name: string | symbol): number;
  [key: string | symbol]: unknown;
}

const errorMonitor = Symbol("events.errorMonitor");
const captureRejectionSymbol = Symbol.for("nodejs.rejection");
const kCapture = Symbol("kCapture");

function abortError(signal?: AbortSignal): Error {
  const error = new Error("The operation was aborted") as Error & { code: string; cause?: unknown };
  error.name = "AbortError";
  error.code = "ABORT_ERR";
  if (signal) error.cause = signal.reason;
  return error;
}

function patchEmitter(
  EventEmitter: Record<string | symbol, unknown> & { prototype: object },
): void {
  const proto = EventEmitter.prototype as Record<string | symbol, unknown>;
  const originalEmit = proto.emit as (
    this: Emitter,
    name: string | symbol,
    ...args: unknown[]
  ) => boolean;
  let captureByDefault = false;
  Object.defineProperty(EventEmitter, "captureRejections", {
    get: () => captureByDefault,
    set: (value: unknown) => {
      if (typeof value !== "boolean")
        throw invalidArgType("EventEmitter.captureRejections", "of type boolean", value);
      captureByDefault = value;
    },
    enumerable: true,
  });
  proto.emit = function emit(this: Emitter, name: string | symbol, ...args: unknown[]): boolean {
    if (name === "error") {
      const events = this._events as Record<string | symbol, unknown> | undefined;
      if (events?.[errorMonitor] !== undefined) originalEmit.call(this, errorMonitor, ...args);
      if (events?.error === undefined) {
        const error = args[0];
        if (error instanceof Error) {
          tellWhereEmitted(this, error, proto.emit as Listener);
          setInternalThrowSite(error, UNHANDLED_ERROR_SITE);
          throw error;
        }
        let shown: string;
        try {
          shown = inspect(error);
        } catch {
          shown = String(error);
        }
        const unhandled = codedError(
          Error,
          "ERR_UNHANDLED_ERROR",
          `Unhandled error. (${shown})`,
        ) as Error & { context?: unknown };
        unhandled.context = error;
        setInternalThrowSite(unhandled, UNHANDLED_ERROR_SITE);
        throw unhandled;
      }
    }
    const capture = (this[kCapture] as boolean | undefined) ?? captureByDefault;
    if (!capture) return originalEmit.call(this, name, ...args);
    // With captureRejections, a listener's rejected promise becomes an 'error' (or the
    // emitter's Symbol.for('nodejs.rejection') method) instead of an unhandled rejection.
    const raw = (this.rawListeners as (n: string | symbol) => Listener[]).call(this, name);
    if (raw.length === 0) return originalEmit.call(this, name, ...args);
    const results: unknown[] = [];
    for (const handler of raw) results.push(handler.apply(this, args));
    for (const result of results) {
      if (result && typeof (result as Promise<unknown>).then === "function") {
        (result as Promise<unknown>).then(undefined, (reason) =>
          process.nextTick(() => {
            const handler = this[captureRejectionSymbol];
            if (typeof handler === "function") handler.call(this, reason, name, ...args);
            else {
              const previous = this[kCapture];
              this[kCapture] = false;
              try {
                this.emit("error", reason);
              } finally {
                this[kCapture] = previous;
              }
            }
          }),
        );
      }
    }
    return true;
  };
  patchLeakWarning(EventEmitter, proto);
  // `new EventEmitter({ captureRejections: true })`.
  const originalInit = EventEmitter.init as ((this: Emitter, opts?: unknown) => void) | undefined;
  EventEmitter.init = function init(this: Emitter, options?: { captureRejections?: unknown }) {
    originalInit?.call(this);
    if (options?.captureRejections !== undefined) {
      if (typeof options.captureRejections !== "boolean")
        throw invalidArgType(
          "options.captureRejections",
          "of type boolean",
          options.captureRejections,
        );
      this[kCapture] = options.captureRejections;
    }
  };
}

/** Where Node 24 throws an unhandled 'error' (the header of its fatal print). */
const UNHANDLED_ERROR_SITE = "node:events:505\n    throw er; // Unhandled 'error' event\n    ^";

/**
 * As Node's getUnhandledErrorException: the error gets an enhancer that, if it ends the
 * process, adds "Emitted 'error' event on <Class> instance at:" and the stack of the emit call.
 */
function tellWhereEmitted(emitter: Emitter, error: Error, emit: Listener): void {
  try {
    const own: { stack?: string } = {};
    Error.captureStackTrace(own, emit);
    Object.defineProperty(error, ENHANCE_STACK, {
      value: () => {
        let on = "";
        try {
          const { name } = emitter.constructor;
          if (name !== "EventEmitter") on = ` on ${name} instance`;
        } catch {
          // A constructor without a readable name: none is shown.
        }
        // Node 24 means to fold the frames both stacks share into "[... lines matching
        // original stack trace ...]", but its check never fires: every frame is shown.
        const frames = String(own.stack).split("\n").slice(1).join("\n");
        return `${error.stack}\nEmitted 'error' event${on} at:\n${frames}`;
      },
      configurable: true,
    });
  } catch {
    // A frozen error: thrown as it is.
  }
}

const kWarned = Symbol("kLeakWarned");

/**
 * The listener-leak warning as Node 24 gives it: through process.emitWarning, naming the
 * emitter and the limit. (The package's own check hands a bare error object to console.warn;
 * it is kept quiet by a limit of 0 while the package adds the listener.)
 */
function patchLeakWarning(
  EventEmitter: Record<string | symbol, unknown>,
  proto: Record<string | symbol, unknown>,
): void {
  const wrap = (add: (this: Emitter, type: string | symbol, listener: Listener) => unknown) =>
    function addWithLeakCheck(this: Emitter, type: string | symbol, listener: Listener): unknown {
      const own = this._maxListeners;
      const max = (own ?? EventEmitter.defaultMaxListeners) as number;
      this._maxListeners = 0;
      try {
        add.call(this, type, listener);
      } finally {
        // A 'newListener' listener may have set a limit of its own meanwhile.
        if (this._maxListeners === 0) this._maxListeners = own;
      }
      const list = (this._events as Record<string | symbol, unknown> | undefined)?.[type];
      if (Array.isArray(list) && max > 0 && list.length > max && !(list as never)[kWarned]) {
        Object.defineProperty(list, kWarned, { value: true });
        const warning = new Error(
          `Possible EventEmitter memory leak detected. ${list.length} ${String(type)} listeners added to ${inspect(this, { depth: -1 })}. MaxListeners is ${max}. Use emitter.setMaxListeners() to increase limit`,
        );
        warning.name = "MaxListenersExceededWarning";
        Object.assign(warning, { emitter: this, type, count: list.length });
        process.emitWarning(warning);
      }
      return this;
    };
  const named = (name: string, fn: unknown) =>
    Object.defineProperty(fn as object, "name", { value: name });
  const addListener = named("addListener", wrap(proto.addListener as never));
  proto.addListener = addListener;
  proto.on = addListener;
  proto.prependListener = named("prependListener", wrap(proto.prependListener as never));
}

function once(
  emitter: Emitter | EventTarget,
  name: string | symbol,
  options: { signal?: AbortSignal } = {},
): Promise<unknown[]> {
  const signal = options?.signal;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    if (typeof (emitter as EventTarget).addEventListener === "function" && !("on" in emitter)) {
      const target = emitter as EventTarget;
      const listener = (event: unknown) => {
        signal?.removeEventListener("abort", onAbort);
        resolve([event]);
      };
      const onAbort = () => {
        target.removeEventListener(name as string, listener);
        reject(abortError(signal));
      };
      target.addEventListener(name as string, listener, { once: true });
      signal?.addEventListener("abort", onAbort, { once: true });
      return;
    }
    const ee = emitter as Emitter;
    const onEvent = (...args: unknown[]) => {
      if (name !== "error") ee.removeListener("error", onError);
      signal?.removeEventListener("abort", onAbort);
      resolve(args);
    };
    const onError = (error: unknown) => {
      ee.removeListener(name, onEvent);
      signal?.removeEventListener("abort", onAbort);
      reject(error);
    };
    const onAbort = () => {
      ee.removeListener(name, onEvent);
      ee.removeListener("error", onError);
      reject(abortError(signal));
    };
    ee.once(name, onEvent);
    if (name !== "error") ee.once("error", onError);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** events.on: an async iterator over the emitted argument arrays; 'error' rejects. */
function on(
  emitter: Emitter,
  name: string | symbol,
  options: { signal?: AbortSignal; close?: string[] } = {},
): AsyncIterableIterator<unknown[]> {
  const signal = options?.signal;
  if (signal?.aborted) throw abortError(signal);
  const queued: unknown[][] = [];
  const waiting: Array<{
    resolve: (r: IteratorResult<unknown[]>) => void;
    reject: (e: unknown) => void;
  }> = [];
  let failure: unknown = null;
  let finished = false;
  const onEvent = (...args: unknown[]) => {
    const next = waiting.shift();
    if (next) next.resolve({ value: args, done: false });
    else queued.push(args);
  };
  const onError = (error: unknown) => {
    const next = waiting.shift();
    if (next) next.reject(error);
    else failure = error;
    void finish();
  };
  const onClose = () => void finish();
  const onAbort = () => onError(abortError(signal));
  const cleanup = () => {
    emitter.removeListener(name, onEvent);
    if (name !== "error") emitter.removeListener("error", onError);
    for (const event of options?.close ?? []) emitter.removeListener(event, onClose);
    signal?.removeEventListener("abort", onAbort);
  };
  const finish = () => {
    cleanup();
    finished = true;
    for (const next of waiting.splice(0)) next.resolve({ value: undefined, done: true });
  };
  const iterator: AsyncIterableIterator<unknown[]> = {
    next() {
      const value = queued.shift();
      if (value) return Promise.resolve({ value, done: false });
      if (failure) {
        const error = failure;
        failure = null;
        return Promise.reject(error);
      }
      if (finished) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    return() {
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(error: unknown) {
      if (!(error instanceof Error))
        throw invalidArgType("EventEmitter.AsyncIterator", "an instance of Error", error);
      failure = error;
      cleanup();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  emitter.on(name, onEvent);
  if (name !== "error") emitter.on("error", onError);
  for (const event of options?.close ?? []) emitter.on(event, onClose);
  signal?.addEventListener("abort", onAbort, { once: true });
  return iterator;
}

const PackageEmitter = (
  eventsPackage as unknown as {
    EventEmitter: Record<string | symbol, unknown> & { prototype: object };
  }
).EventEmitter;
// Every emitter of the runtime (process, streams, sockets) has the package's prototype: it is
// brought up to Node as the runtime loads, not only once a program loads `events`.
patchEmitter(PackageEmitter);

export function createEvents(): unknown {
  // The package's constructor drops its options; this one passes them on (captureRejections).
  // Same prototype, so emitters made by either (process, streams) are instances of both.
  const EventEmitter = function EventEmitter(this: Emitter, options?: unknown) {
    (PackageEmitter.init as (this: Emitter, options?: unknown) => void).call(this, options);
  } as unknown as Record<string | symbol, unknown> & { prototype: object };
  EventEmitter.prototype = PackageEmitter.prototype;
  for (const key of Reflect.ownKeys(PackageEmitter)) {
    if (key === "prototype" || key === "length" || key === "name") continue;
    Object.defineProperty(
      EventEmitter,
      key,
      Reflect.getOwnPropertyDescriptor(PackageEmitter, key) as PropertyDescriptor,
    );
  }
  const events = EventEmitter as Record<string, unknown>;
  events.EventEmitter = EventEmitter;
  events.default = EventEmitter;
  events.once = once;
  events.on = on;
  events.errorMonitor = errorMonitor;
  events.captureRejectionSymbol = captureRejectionSymbol;
  events.getEventListeners = (target: Emitter | EventTarget, name: string | symbol) => {
    if (typeof (target as Emitter).listeners === "function")
      return (target as Emitter).listeners(name);
    const listing = (target as unknown as Record<symbol, unknown>)[Symbol.for("agentos.listeners")];
    return typeof listing === "function" ? listing.call(target, name) : [];
  };
  events.getMaxListeners = (emitter: { getMaxListeners?: () => number }) =>
    emitter.getMaxListeners?.() ?? events.defaultMaxListeners;
  events.setMaxListeners = (
    n = events.defaultMaxListeners as number,
    ...targets: Array<{ setMaxListeners?: (n: number) => void }>
  ) => {
    if (typeof n !== "number" || n < 0 || Number.isNaN(n)) {
      throw codedError(
        RangeError,
        "ERR_OUT_OF_RANGE",
        `The value of "n" is out of range. It must be a non-negative number. Received ${inspect(n)}`,
      );
    }
    if (targets.length === 0) events.defaultMaxListeners = n;
    for (const target of targets) target.setMaxListeners?.(n);
  };
  events.listenerCount = (emitter: Emitter, name: string | symbol) => emitter.listenerCount(name);
  events.addAbortListener = (signal: AbortSignal, listener: () => void) => {
    if (signal === undefined) throw invalidArgType("signal", "an instance of AbortSignal", signal);
    if (typeof listener !== "function")
      throw invalidArgType("listener", "of type function", listener);
    let removed = false;
    if (signal.aborted) queueMicrotask(() => listener());
    else signal.addEventListener("abort", listener, { once: true });
    return {
      [Symbol.dispose]: () => {
        if (removed) return;
        removed = true;
        signal.removeEventListener("abort", listener);
      },
    };
  };
  return events;
}
