/**
 * `mock.timers`: a fake clock. `enable()` puts fakes in place of setTimeout, setInterval,
 * setImmediate (global and node:timers, and their node:timers/promises forms), Date,
 * scheduler.wait and AbortSignal.timeout; nothing runs until `tick(ms)` (or `runAll()`) moves
 * the clock, and then due timers run in order, synchronously. `reset()` restores the real ones.
 */
import { codedError, invalidArgType } from "../../../errors.ts";
import { loadBuiltin } from "../../registry.ts";
import { type QueuedTimer, TimerQueue } from "./timer-queue.ts";

type AnyFunction = (...args: unknown[]) => unknown;
type Api = (typeof SUPPORTED_APIS)[number];

const SUPPORTED_APIS = [
  "setTimeout",
  "setInterval",
  "setImmediate",
  "Date",
  "scheduler.wait",
  "AbortSignal.timeout",
] as const;

const TIMEOUT_MAX = 2 ** 31 - 1;
const MOCK = Symbol("MockTimers");

interface TimersModule extends Record<string, unknown> {
  promises?: Record<string, unknown>;
}

function invalidState(message: string): Error {
  return codedError(Error, "ERR_INVALID_STATE", `Invalid state: ${message}`);
}

function invalidArgValue(name: string, value: unknown, reason: string): TypeError {
  const shown = typeof value === "string" ? `'${value}'` : String(value);
  return codedError(
    TypeError,
    "ERR_INVALID_ARG_VALUE",
    `The ${name.includes(".") ? "property" : "argument"} '${name}' ${reason}. Received ${shown}`,
  );
}

function abortError(signal: AbortSignal): Error {
  const error = new Error("The operation was aborted", { cause: signal.reason }) as Error & {
    code: string;
  };
  error.name = "AbortError";
  error.code = "ABORT_ERR";
  return error;
}

/** What the fake setTimeout/setInterval/setImmediate return (Node's mock Timeout). */
class Timeout implements QueuedTimer {
  id: number;
  callback: AnyFunction;
  runAt: number;
  interval: number | undefined;
  args: unknown[];
  position?: number;
  #clear: (timer: Timeout) => void;

  constructor(options: {
    id: number;
    callback: AnyFunction;
    runAt: number;
    interval: number | undefined;
    args: unknown[];
    clear: (timer: Timeout) => void;
  }) {
    this.id = options.id;
    this.callback = options.callback;
    this.runAt = options.runAt;
    this.interval = options.interval;
    this.args = options.args;
    this.#clear = options.clear;
  }

  hasRef(): boolean {
    return true;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  refresh(): this {
    return this;
  }

  close(): this {
    this.#clear(this);
    return this;
  }

  [Symbol.dispose](): void {
    this.#clear(this);
  }
}

export class MockTimers {
  #enabled = false;
  #apis: Api[] = [];
  #now = 0;
  #nextId = 1;
  #queue = new TimerQueue<Timeout>();
  /** What each faked API replaced: (object, key, descriptor) to put back. */
  #saved: Array<[object, string, PropertyDescriptor | undefined]> = [];

  #setTimeout = (callback: AnyFunction, delay: number, ...args: unknown[]) =>
    this.#createTimer(false, callback, delay, ...args);
  #setInterval = (callback: AnyFunction, delay: number, ...args: unknown[]) =>
    this.#createTimer(true, callback, delay, ...args);
  #setImmediate = (callback: AnyFunction, ...args: unknown[]) =>
    this.#createTimer(false, callback, -1, ...args);
  #clearTimer = (timer: unknown) => {
    const t = timer as Timeout | undefined;
    if (t?.position !== undefined) {
      this.#queue.removeAt(t.position);
      t.position = undefined;
      t.interval = undefined;
    }
  };

  #createTimer(isInterval: boolean, callback: AnyFunction, delay: number, ...args: unknown[]) {
    if (delay > TIMEOUT_MAX) delay = 1;
    const timer = new Timeout({
      id: this.#nextId++,
      callback,
      runAt: this.#now + delay,
      interval: isInterval ? delay : undefined,
      args,
      clear: this.#clearTimer,
    });
    this.#queue.insert(timer);
    return timer;
  }

  /** A timer's promise form: resolves with `result` when the clock reaches it. */
  #promisified(ms: number, result: unknown, options?: { signal?: AbortSignal }): Promise<unknown> {
    const signal = options?.signal;
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      return Promise.reject(invalidArgType("options.signal", "an instance of AbortSignal", signal));
    }
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#clearTimer(timer);
        reject(abortError(signal as AbortSignal));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const timer = this.#createTimer(
        false,
        () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(result);
        },
        ms,
      );
    });
  }

  async *#intervalPromisified(
    interval: number,
    result: unknown,
    options?: { signal?: AbortSignal },
  ): AsyncGenerator<unknown> {
    const signal = options?.signal;
    if (signal?.aborted) throw abortError(signal);
    let pending = 0;
    let wake: (() => void) | undefined;
    let failure: Error | undefined;
    const timer = this.#createTimer(
      true,
      () => {
        pending++;
        wake?.();
      },
      interval,
    );
    const onAbort = () => {
      failure = abortError(signal as AbortSignal);
      wake?.();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      while (true) {
        if (failure) throw failure;
        if (pending === 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
          continue;
        }
        pending--;
        yield result;
      }
    } finally {
      this.#clearTimer(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  #mockDate(): DateConstructor {
    const NativeDate = Date;
    if ((NativeDate as unknown as { isMock?: boolean }).isMock) {
      throw invalidState("Date is already being mocked!");
    }
    const timers = this;
    function MockDate(this: unknown, ...args: unknown[]): unknown {
      if (!new.target) return new NativeDate(timers.#now).toString();
      if (args.length === 0) return new NativeDate(timers.#now);
      return Reflect.construct(NativeDate, args);
    }
    const { prototype: _prototype, ...dateProperties } =
      Object.getOwnPropertyDescriptors(NativeDate);
    Object.defineProperties(MockDate, dateProperties);
    const statics = {
      now() {
        return timers.#now;
      },
      // What printing the function shows: the native Date's source text.
      toString() {
        return Function.prototype.toString.call(NativeDate);
      },
    };
    MockDate.now = statics.now;
    MockDate.toString = statics.toString;
    Object.defineProperties(MockDate, {
      [MOCK]: { value: this },
      isMock: { value: true, enumerable: true },
    });
    MockDate.prototype = NativeDate.prototype;
    MockDate.parse = NativeDate.parse;
    MockDate.UTC = NativeDate.UTC;
    return MockDate as unknown as DateConstructor;
  }

  #replace(object: object, key: string, value: unknown): void {
    this.#saved.push([object, key, Object.getOwnPropertyDescriptor(object, key)]);
    Object.defineProperty(object, key, {
      value,
      writable: true,
      configurable: true,
      enumerable: Object.getOwnPropertyDescriptor(object, key)?.enumerable ?? true,
    });
  }

  #fake(api: Api): void {
    const timers = loadBuiltin("timers") as TimersModule;
    const promises = loadBuiltin("timers/promises") as Record<string, unknown>;
    const g = globalThis as unknown as Record<string, unknown>;
    switch (api) {
      case "setTimeout":
        for (const target of [g, timers]) {
          this.#replace(target, "setTimeout", this.#setTimeout);
          this.#replace(target, "clearTimeout", this.#clearTimer);
        }
        this.#replace(promises, "setTimeout", (ms: number, result: unknown, options?: object) =>
          this.#promisified(ms, result, options),
        );
        break;
      case "setInterval":
        for (const target of [g, timers]) {
          this.#replace(target, "setInterval", this.#setInterval);
          this.#replace(target, "clearInterval", this.#clearTimer);
        }
        this.#replace(promises, "setInterval", (ms: number, result: unknown, options?: object) =>
          this.#intervalPromisified(ms, result, options),
        );
        break;
      case "setImmediate":
        for (const target of [g, timers]) {
          this.#replace(target, "setImmediate", this.#setImmediate);
          this.#replace(target, "clearImmediate", this.#clearTimer);
        }
        this.#replace(promises, "setImmediate", (result: unknown, options?: object) =>
          this.#promisified(-1, result, options),
        );
        break;
      case "Date":
        this.#replace(g, "Date", this.#mockDate());
        break;
      case "scheduler.wait": {
        const scheduler = promises.scheduler as Record<string, unknown> | undefined;
        if (scheduler) {
          this.#replace(scheduler, "wait", (delay: number, options?: object) =>
            this.#promisified(delay, undefined, options),
          );
        }
        break;
      }
      case "AbortSignal.timeout":
        this.#replace(AbortSignal, "timeout", (delay: number) => {
          const controller = new AbortController();
          this.#createTimer(false, () => controller.abort(), delay);
          return controller.signal;
        });
        break;
    }
  }

  #assertEnabled(): void {
    if (!this.#enabled) {
      throw invalidState("You should enable MockTimers first by calling the .enable function");
    }
  }

  #assertTime(time: number): void {
    // Node's own argument order (value and reason swapped), kept so the message matches.
    if (time < 0) throw invalidArgValue("time", "positive integer", String(time));
  }

  enable(options: { apis?: unknown; now?: unknown } = { apis: SUPPORTED_APIS, now: 0 }): void {
    if (this.#enabled) throw invalidState("MockTimers is already enabled!");
    let { apis, now } = options;
    if (Number.isNaN(now)) {
      throw invalidArgValue("now", now, `epoch must be a positive integer received ${now}`);
    }
    now ||= 0;
    apis ||= SUPPORTED_APIS;
    if (!Array.isArray(apis) || apis.some((api) => typeof api !== "string")) {
      throw invalidArgType("options.apis", "an instance of Array", apis);
    }
    for (const api of apis) {
      if (!SUPPORTED_APIS.includes(api)) {
        throw invalidArgValue("options.apis", api, `option ${api} is not supported`);
      }
    }
    if (now instanceof Date) {
      this.#now = now.getTime();
    } else {
      if (typeof now !== "number") throw invalidArgType("initialTime", "of type number", now);
      this.#assertTime(now);
      this.#now = now;
    }
    this.#apis = apis as Api[];
    for (const api of this.#apis) this.#fake(api);
    this.#enabled = true;
  }

  setTime(time = 0): void {
    if (typeof time !== "number") throw invalidArgType("time", "of type number", time);
    this.#assertTime(time);
    this.#assertEnabled();
    this.#now = time;
  }

  /** Moves the clock `time` ms ahead and runs every timer that falls due, in order. */
  tick(time = 1): void {
    this.#assertEnabled();
    this.#assertTime(time);
    this.#now += time;
    let timer = this.#queue.peek();
    while (timer) {
      if (timer.runAt > this.#now) break;
      Reflect.apply(timer.callback, undefined, timer.args);
      // The callback may have cleared its own timer.
      if (this.#queue.peek()?.id === timer.id) {
        this.#queue.shift();
        timer.position = undefined;
      }
      if (timer.interval !== undefined) {
        timer.runAt += timer.interval;
        this.#queue.insert(timer);
      }
      timer = this.#queue.peek();
    }
  }

  runAll(): void {
    this.#assertEnabled();
    const latest = this.#queue.peekBottom();
    if (latest) this.tick(latest.runAt - this.#now);
  }

  reset(): void {
    if (!this.#enabled) return;
    for (const [object, key, descriptor] of this.#saved.reverse()) {
      if (descriptor) Object.defineProperty(object, key, descriptor);
      else delete (object as Record<string, unknown>)[key];
    }
    this.#saved = [];
    this.#apis = [];
    this.#enabled = false;
    this.#now = 0;
    while (this.#queue.shift()) {
      // Drop every pending fake timer.
    }
  }

  [Symbol.dispose](): void {
    this.reset();
  }
}
