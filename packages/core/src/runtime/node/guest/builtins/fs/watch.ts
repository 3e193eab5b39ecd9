/**
 * fs.watch, fs.watchFile / unwatchFile and fs/promises watch, by polling: the VM's file
 * systems have no change notifications, so a timer compares snapshots taken with one host
 * call each. Watchers keep the process alive unless `persistent: false` (or unref()).
 */
import { callSync } from "../../host.ts";
import { loadBuiltin } from "../registry.ts";
import { runCallback } from "./bridge.ts";
import { PLANS } from "./plans.ts";
import { emptyStats, type Stats } from "./stats.ts";
import { abortError, getOptions, toPath, validateFunction } from "./validate.ts";

type Emitter = new () => {
  emit(event: string, ...args: unknown[]): boolean;
  on(event: string, listener: (...args: any[]) => void): unknown;
  listenerCount(event: string): number;
  removeListener(event: string, listener: (...args: any[]) => void): unknown;
  removeAllListeners(event?: string): unknown;
};

interface Timer {
  ref(): unknown;
  unref(): unknown;
}

const WATCH_INTERVAL_MS = 100;

/** name → "mtime:size:ino" for a file or each entry under a directory. */
type Snapshot = Map<string, string>;

function scan(path: string, recursive: boolean, fail: boolean): Snapshot | null {
  try {
    const entries = callSync<Array<[string, string]>>("fs.watchScan", path, recursive);
    return new Map(entries);
  } catch (error) {
    if (fail) throw error;
    return null;
  }
}

function emitterClass(): Emitter {
  return (loadBuiltin("events") as { EventEmitter: Emitter }).EventEmitter;
}

let watcherClass: (new (path: string, opts: WatchOptions) => any) | undefined;

interface WatchOptions {
  persistent?: boolean;
  recursive?: boolean;
  encoding?: string;
  signal?: AbortSignal;
}

function FSWatcherClass() {
  if (watcherClass) return watcherClass;
  const EventEmitter = emitterClass();
  class FSWatcher extends EventEmitter {
    #timer: Timer | undefined;
    #snapshot: Snapshot | null;
    #path: string;
    #recursive: boolean;
    constructor(path: string, opts: WatchOptions) {
      super();
      this.#path = path;
      this.#recursive = opts.recursive === true;
      this.#snapshot = scan(path, this.#recursive, true);
      this.#timer = setInterval(() => this.#poll(), WATCH_INTERVAL_MS) as unknown as Timer;
      if (opts.persistent === false) this.#timer.unref();
      opts.signal?.addEventListener("abort", () => this.close(), { once: true });
    }
    #poll(): void {
      const next = scan(this.#path, this.#recursive, false);
      const before = this.#snapshot;
      this.#snapshot = next;
      const base = this.#path.replace(/\/+$/, "").split("/").pop() ?? "";
      if (before && !next) {
        this.emit("change", "rename", base);
        return;
      }
      if (!before || !next) return;
      for (const [name, state] of next) {
        const previous = before.get(name);
        if (previous === undefined) this.emit("change", "rename", name || base);
        else if (previous !== state) this.emit("change", "change", name || base);
      }
      for (const name of before.keys()) {
        if (!next.has(name)) this.emit("change", "rename", name || base);
      }
    }
    close(): void {
      if (!this.#timer) return;
      clearInterval(this.#timer as never);
      this.#timer = undefined;
      queueMicrotask(() => this.emit("close"));
    }
    ref(): this {
      this.#timer?.ref();
      return this;
    }
    unref(): this {
      this.#timer?.unref();
      return this;
    }
  }
  watcherClass = FSWatcher;
  return FSWatcher;
}

export function watch(filename: unknown, options?: unknown, listener?: unknown): any {
  if (typeof options === "function") {
    listener = options;
    options = undefined;
  }
  const opts = getOptions<WatchOptions>(options, { persistent: true, recursive: false });
  const path = toPath(filename, "filename");
  const Watcher = FSWatcherClass();
  const watcher = new Watcher(path, opts);
  if (listener !== undefined) {
    validateFunction(listener, "listener");
    watcher.on("change", listener as (...args: unknown[]) => void);
  }
  return watcher;
}

/** fs/promises watch: an async iterator of { eventType, filename }. */
export async function* watchAsync(filename: unknown, options?: unknown) {
  const opts = getOptions<WatchOptions>(options, { persistent: true, recursive: false });
  if (opts.signal?.aborted) throw abortError(opts.signal);
  const watcher = watch(filename, { ...opts, signal: undefined });
  const queue: Array<{ eventType: string; filename: string }> = [];
  let wake: (() => void) | undefined;
  let aborted = false;
  watcher.on("change", (eventType: string, name: string) => {
    queue.push({ eventType, filename: name });
    wake?.();
  });
  const onAbort = () => {
    aborted = true;
    wake?.();
  };
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      while (queue.length > 0) yield queue.shift() as { eventType: string; filename: string };
      if (aborted) throw abortError(opts.signal);
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    watcher.close();
  }
}

// ---- watchFile -----------------------------------------------------------------------------

interface StatWatcher {
  emit(event: string, ...args: unknown[]): boolean;
  on(event: string, listener: (...args: any[]) => void): unknown;
  listenerCount(event: string): number;
  removeListener(event: string, listener: (...args: any[]) => void): unknown;
  removeAllListeners(event?: string): unknown;
  stop(): void;
  ref(): unknown;
  unref(): unknown;
}

const statWatchers = new Map<string, StatWatcher>();

function sameStat(a: Stats, b: Stats): boolean {
  return (
    a.mtimeMs === b.mtimeMs &&
    a.ctimeMs === b.ctimeMs &&
    a.size === b.size &&
    a.ino === b.ino &&
    a.mode === b.mode &&
    a.nlink === b.nlink
  );
}

function createStatWatcher(path: string, interval: number, persistent: boolean, bigint: boolean) {
  const EventEmitter = emitterClass();
  const watcher = new EventEmitter() as unknown as StatWatcher;
  let previous: Stats | undefined;
  let busy = false;
  const poll = (): void => {
    if (busy) return;
    busy = true;
    runCallback(PLANS.stat(path, { bigint, throwIfNoEntry: false }) as never, (error, value) => {
      busy = false;
      const current =
        (error ? undefined : (value as Stats | undefined)) ?? (emptyStats(bigint) as Stats);
      if (previous && !sameStat(current, previous)) watcher.emit("change", current, previous);
      previous = current;
    });
  };
  poll();
  const timer = setInterval(poll, interval) as unknown as Timer;
  if (!persistent) timer.unref();
  watcher.stop = () => clearInterval(timer as never);
  watcher.ref = () => {
    timer.ref();
    return watcher;
  };
  watcher.unref = () => {
    timer.unref();
    return watcher;
  };
  return watcher;
}

export function watchFile(filename: unknown, options?: unknown, listener?: unknown): StatWatcher {
  const path = toPath(filename, "filename");
  if (typeof options === "function") {
    listener = options;
    options = undefined;
  }
  const opts = {
    interval: 5007,
    persistent: true,
    bigint: false,
    ...((options ?? {}) as object),
  } as {
    interval: number;
    persistent: boolean;
    bigint: boolean;
  };
  validateFunction(listener, "listener");
  let watcher = statWatchers.get(path);
  if (!watcher) {
    watcher = createStatWatcher(path, opts.interval, opts.persistent, opts.bigint);
    statWatchers.set(path, watcher);
  }
  watcher.on("change", listener as (...args: unknown[]) => void);
  return watcher;
}

export function unwatchFile(filename: unknown, listener?: unknown): void {
  const path = toPath(filename, "filename");
  const watcher = statWatchers.get(path);
  if (!watcher) return;
  if (typeof listener === "function") {
    watcher.removeListener("change", listener as (...args: unknown[]) => void);
  } else watcher.removeAllListeners("change");
  if (watcher.listenerCount("change") === 0) {
    watcher.stop();
    statWatchers.delete(path);
  }
}
