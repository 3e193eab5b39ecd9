/**
 * setTimeout/setInterval/setImmediate with Node's objects: a Timeout with ref/unref/hasRef/
 * refresh/close and a numeric primitive value, an Immediate with ref/unref. Each armed timer
 * waits on one host timer; only ref'ed ones keep the process alive.
 */
import { currentFrame, runInFrame } from "./async-context.ts";
import { callAsync, notifyHost } from "./host.ts";
import {
  cancelImmediate,
  guard,
  hold,
  type ImmediateEntry,
  liveRefs,
  queueImmediate,
} from "./loop.ts";

const TIMEOUT_MAX = 2 ** 31 - 1;
let nextTimerId = 1;

export class Timeout {
  _idleTimeout: number;
  _onTimeout: ((...args: unknown[]) => void) | null;
  readonly #args: unknown[];
  readonly #repeat: boolean;
  #id = 0;
  #ref = true;
  #release: (() => void) | undefined;
  #destroyed = false;
  /** The async context the timer was created in (AsyncLocalStorage). */
  readonly #frame = currentFrame();

  constructor(
    callback: (...args: unknown[]) => void,
    delay: unknown,
    args: unknown[],
    repeat: boolean,
  ) {
    let ms = Number(delay);
    if (!(ms >= 1 && ms <= TIMEOUT_MAX)) {
      if (ms > TIMEOUT_MAX) {
        process.emitWarning(
          `${ms} does not fit into a 32-bit signed integer.\nTimeout duration was set to 1.`,
          "TimeoutOverflowWarning",
        );
      }
      ms = 1;
    }
    this._idleTimeout = Math.trunc(ms);
    this._onTimeout = callback;
    this.#args = args;
    this.#repeat = repeat;
    this.#arm();
  }

  #arm(): void {
    const id = nextTimerId++;
    this.#id = id;
    if (this.#ref) this.#release = hold();
    callAsync("timer.sleep", [id, this._idleTimeout], () => this.#fire(id));
  }

  #disarm(): void {
    if (this.#id === 0) return;
    notifyHost("timer.cancel", this.#id);
    this.#id = 0;
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  #fire(id: number): void {
    if (id !== this.#id) return;
    if (!this.#ref && liveRefs() === 0) {
      // Node's loop does not turn at all once nothing holds it, so an unref'ed timer that
      // comes due while the process is on its way out does not run. It waits a moment
      // instead: it still runs if something ('beforeExit' work) keeps the process alive.
      callAsync("timer.sleep", [id, 1], () => this.#fire(id));
      return;
    }
    this.#id = 0;
    const release = this.#release;
    this.#release = undefined;
    const callback = this._onTimeout;
    if (this.#repeat && !this.#destroyed) this.#arm();
    else this.#destroyed = true;
    if (callback) guard(() => runInFrame(this.#frame, () => callback.apply(this, this.#args)));
    release?.();
  }

  ref(): this {
    if (!this.#ref) {
      this.#ref = true;
      if (this.#id !== 0) this.#release = hold();
    }
    return this;
  }

  unref(): this {
    if (this.#ref) {
      this.#ref = false;
      const release = this.#release;
      this.#release = undefined;
      release?.();
    }
    return this;
  }

  hasRef(): boolean {
    return this.#ref;
  }

  refresh(): this {
    if (!this.#destroyed) {
      this.#disarm();
      this.#arm();
    }
    return this;
  }

  close(): this {
    this.#destroyed = true;
    this._onTimeout = null;
    this.#disarm();
    return this;
  }

  [Symbol.toPrimitive](): number {
    if (this.#primitive === 0) {
      this.#primitive = nextTimerId++;
      byPrimitive.set(this.#primitive, this);
    }
    return this.#primitive;
  }

  #primitive = 0;

  [Symbol.dispose](): void {
    this.close();
  }
}

const byPrimitive = new Map<number, Timeout>();

export class Immediate {
  _onImmediate: ((...args: unknown[]) => void) | undefined;
  readonly #entry: ImmediateEntry;

  constructor(callback: (...args: unknown[]) => void, args: unknown[]) {
    this._onImmediate = callback;
    const run = (): void => {
      // Called on the Immediate and let go of once run, as Node does: a stack formatted later
      // names its frame `Immediate.<anonymous>`.
      try {
        callback.apply(this, args);
      } finally {
        this._onImmediate = undefined;
      }
    };
    this.#entry = { callback: run, cancelled: false, ref: true };
    queueImmediate(this.#entry);
  }

  ref(): this {
    this.#entry.ref = true;
    return this;
  }

  unref(): this {
    this.#entry.ref = false;
    return this;
  }

  hasRef(): boolean {
    return this.#entry.ref;
  }

  cancel(): void {
    cancelImmediate(this.#entry);
  }

  [Symbol.dispose](): void {
    this.cancel();
  }
}

function checkCallback(callback: unknown): asserts callback is (...args: unknown[]) => void {
  if (typeof callback !== "function") {
    const error = new TypeError(
      `The "callback" argument must be of type function. Received ${callback === undefined ? "undefined" : typeof callback}`,
    ) as TypeError & { code: string };
    error.code = "ERR_INVALID_ARG_TYPE";
    throw error;
  }
}

export function setTimeout(callback: unknown, delay?: unknown, ...args: unknown[]): Timeout {
  checkCallback(callback);
  return new Timeout(callback, delay, args, false);
}

export function setInterval(callback: unknown, delay?: unknown, ...args: unknown[]): Timeout {
  checkCallback(callback);
  return new Timeout(callback, delay, args, true);
}

export function clearTimeout(timer: unknown): void {
  if (timer instanceof Timeout) timer.close();
  else if (typeof timer === "number" || typeof timer === "string") {
    byPrimitive.get(Number(timer))?.close();
    byPrimitive.delete(Number(timer));
  }
}

export const clearInterval = clearTimeout;

export function setImmediate(callback: unknown, ...args: unknown[]): Immediate {
  checkCallback(callback);
  return new Immediate(callback, args);
}

export function clearImmediate(immediate: unknown): void {
  // Cancelling reports idleness itself when nothing else keeps the process alive.
  if (immediate instanceof Immediate) immediate.cancel();
}
