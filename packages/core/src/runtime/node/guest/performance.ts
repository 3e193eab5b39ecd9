/**
 * The User Timing part of Node's `performance` (marks, measures, the entry buffer) and
 * PerformanceObserver, which gets new entries in a later loop turn. The clock is the host's
 * monotonic clock, read through a function given at boot (no host calls at snapshot time).
 */
import { PerformanceEntry } from "./performance-entry.ts";
import { type FetchTimingInfo, PerformanceResourceTiming } from "./resource-timing.ts";
import { DOMException } from "./web/dom-exception.ts";

export { PerformanceEntry };

export class PerformanceMark extends PerformanceEntry {
  readonly detail: unknown;

  constructor(name: string, options: { startTime?: number; detail?: unknown } = {}) {
    const start = options?.startTime ?? (globalThis.performance as { now(): number }).now();
    if (typeof start !== "number" || start < 0) {
      throw Object.assign(new TypeError(`${String(start)} is not a valid startTime`), {
        code: "ERR_INVALID_ARG_VALUE",
      });
    }
    super(String(name), "mark", start, 0);
    this.detail = options?.detail === undefined ? null : structuredClone(options.detail);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), detail: this.detail };
  }
}

export class PerformanceMeasure extends PerformanceEntry {
  readonly detail: unknown;

  constructor(name: string, start: number, duration: number, detail: unknown) {
    super(name, "measure", start, duration);
    this.detail = detail === undefined ? null : structuredClone(detail);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), detail: this.detail };
  }
}

type MeasureOptions = {
  start?: number | string;
  end?: number | string;
  duration?: number;
  detail?: unknown;
};

const observers = new Set<PerformanceObserver>();

export class PerformanceObserverEntryList {
  readonly #entries: PerformanceEntry[];

  constructor(entries: PerformanceEntry[]) {
    // Node hands observers their entries in start-time order.
    this.#entries = [...entries].sort((a, b) => a.startTime - b.startTime);
  }

  getEntries(): PerformanceEntry[] {
    return [...this.#entries];
  }

  getEntriesByType(type: string): PerformanceEntry[] {
    return this.#entries.filter((entry) => entry.entryType === type);
  }

  getEntriesByName(name: string, type?: string): PerformanceEntry[] {
    return this.#entries.filter(
      (entry) => entry.name === name && (type === undefined || entry.entryType === type),
    );
  }
}

export class PerformanceObserver {
  static readonly supportedEntryTypes = Object.freeze([
    "dns",
    "function",
    "gc",
    "http",
    "http2",
    "mark",
    "measure",
    "net",
    "quic",
    "resource",
  ]);

  readonly #callback: (list: PerformanceObserverEntryList, observer: PerformanceObserver) => void;
  #types = new Set<string>();
  #buffer: PerformanceEntry[] = [];
  #scheduled = false;

  constructor(
    callback: (list: PerformanceObserverEntryList, observer: PerformanceObserver) => void,
  ) {
    if (typeof callback !== "function") {
      throw Object.assign(
        new TypeError(
          `The "callback" argument must be of type function. Received ${typeof callback}`,
        ),
        { code: "ERR_INVALID_ARG_TYPE" },
      );
    }
    this.#callback = callback;
  }

  observe(options: { entryTypes?: string[]; type?: string; buffered?: boolean } = {}): void {
    const types = options.entryTypes ?? (options.type ? [options.type] : []);
    this.#types = new Set(
      types.filter((type) => PerformanceObserver.supportedEntryTypes.includes(type)),
    );
    if (this.#types.size === 0) {
      observers.delete(this);
      return;
    }
    observers.add(this);
    if (options.buffered && options.type) {
      for (const entry of performanceEntries)
        if (this.#types.has(entry.entryType)) this.enqueue(entry);
    }
  }

  disconnect(): void {
    observers.delete(this);
    this.#buffer = [];
  }

  takeRecords(): PerformanceEntry[] {
    const records = this.#buffer;
    this.#buffer = [];
    return records;
  }

  /** Internal: a new entry was recorded. */
  enqueue(entry: PerformanceEntry): void {
    if (!this.#types.has(entry.entryType)) return;
    this.#buffer.push(entry);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      const records = this.takeRecords();
      if (records.length > 0) this.#callback(new PerformanceObserverEntryList(records), this);
    });
  }
}

const performanceEntries: PerformanceEntry[] = [];
/** Node's default resource timing buffer size; entries past it are dropped. */
let resourceBufferLimit = 250;

function record(entry: PerformanceEntry): void {
  performanceEntries.push(entry);
  for (const observer of observers) observer.enqueue(entry);
}

function markTime(name: string): number {
  for (let i = performanceEntries.length - 1; i >= 0; i--) {
    const entry = performanceEntries[i];
    if (entry.entryType === "mark" && entry.name === name) return entry.startTime;
  }
  throw new DOMException(`The "${name}" performance mark has not been set`, "SyntaxError");
}

function timeOf(value: number | string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  return typeof value === "number" ? value : markTime(value);
}

export class Performance {
  readonly #now: () => number;
  readonly timeOrigin: number;

  constructor(now: () => number, timeOrigin: number) {
    this.#now = now;
    this.timeOrigin = timeOrigin;
  }

  now(): number {
    return this.#now();
  }

  mark(name: string, options?: { startTime?: number; detail?: unknown }): PerformanceMark {
    const entry = new PerformanceMark(name, options);
    record(entry);
    return entry;
  }

  measure(
    name: string,
    startOrOptions?: string | MeasureOptions,
    endMark?: string,
  ): PerformanceMeasure {
    const now = this.now();
    let start: number;
    let end: number;
    let detail: unknown;
    if (typeof startOrOptions === "object" && startOrOptions !== null) {
      const options = startOrOptions;
      detail = options.detail;
      end = timeOf(
        options.end,
        options.duration !== undefined && options.start !== undefined
          ? timeOf(options.start, 0) + options.duration
          : now,
      );
      start = timeOf(options.start, options.duration !== undefined ? end - options.duration : 0);
    } else {
      start = timeOf(startOrOptions, 0);
      end = timeOf(endMark, now);
    }
    const entry = new PerformanceMeasure(String(name), start, end - start, detail);
    record(entry);
    return entry;
  }

  getEntries(): PerformanceEntry[] {
    return [...performanceEntries].sort((a, b) => a.startTime - b.startTime);
  }

  getEntriesByName(name: string, type?: string): PerformanceEntry[] {
    return this.getEntries().filter(
      (entry) => entry.name === name && (type === undefined || entry.entryType === type),
    );
  }

  getEntriesByType(type: string): PerformanceEntry[] {
    return this.getEntries().filter((entry) => entry.entryType === type);
  }

  /** Called by fetch implementations (undici) when a response body has been read. */
  markResourceTiming(
    timingInfo: FetchTimingInfo,
    requestedUrl: string,
    initiatorType: string,
    _global: unknown,
    cacheMode: string,
    _bodyInfo: unknown,
    responseStatus: number,
    deliveryType = "",
  ): PerformanceResourceTiming {
    const entry = new PerformanceResourceTiming(
      requestedUrl,
      initiatorType,
      timingInfo,
      cacheMode,
      responseStatus,
      deliveryType,
    );
    for (const observer of observers) observer.enqueue(entry);
    const buffered = performanceEntries.filter((e) => e.entryType === "resource").length;
    if (buffered < resourceBufferLimit) performanceEntries.push(entry);
    return entry;
  }

  clearResourceTimings(): void {
    this.#clear("resource");
  }

  setResourceTimingBufferSize(maxSize: number): void {
    resourceBufferLimit = Math.max(0, Math.trunc(Number(maxSize)) || 0);
  }

  clearMarks(name?: string): void {
    this.#clear("mark", name);
  }

  clearMeasures(name?: string): void {
    this.#clear("measure", name);
  }

  #clear(type: string, name?: string): void {
    for (let i = performanceEntries.length - 1; i >= 0; i--) {
      const entry = performanceEntries[i];
      if (entry.entryType === type && (name === undefined || entry.name === name)) {
        performanceEntries.splice(i, 1);
      }
    }
  }

  timerify<F extends (...args: never[]) => unknown>(fn: F): F {
    if (typeof fn !== "function") {
      throw Object.assign(
        new TypeError(`The "fn" argument must be of type function. Received ${typeof fn}`),
        {
          code: "ERR_INVALID_ARG_TYPE",
        },
      );
    }
    const performance = this;
    const timed = function (this: unknown, ...args: Parameters<F>) {
      const start = performance.now();
      const result = new.target ? Reflect.construct(fn, args) : fn.apply(this, args);
      const entry = new PerformanceEntry(fn.name, "function", start, performance.now() - start);
      for (const observer of observers) observer.enqueue(entry);
      return result;
    };
    Object.defineProperty(timed, "name", { value: `timerified ${fn.name}` });
    Object.defineProperty(timed, "length", { value: fn.length });
    return timed as unknown as F;
  }

  eventLoopUtilization(): { idle: number; active: number; utilization: number } {
    // The loop is the host's; its idle/active split is not measured inside the guest.
    return { idle: 0, active: 0, utilization: 0 };
  }

  toJSON(): Record<string, unknown> {
    return { timeOrigin: this.timeOrigin, eventLoopUtilization: this.eventLoopUtilization() };
  }

  get [Symbol.toStringTag](): string {
    return "Performance";
  }
}
