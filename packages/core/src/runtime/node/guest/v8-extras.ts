/**
 * The V8 calls isolated-vm does not expose, from our native module (packages/guest-v8). The
 * host loads it into each new context and hands it over through the `attachV8` entry before
 * any user code runs; this module keeps it out of the guest's reach.
 *
 * Until then (while a startup snapshot is being made, when no native code may be present) the
 * fallbacks below stand in: a plain variable for the async context, no promise state.
 */
export interface ThrowPlace {
  file: string;
  line: number;
  startColumn: number;
  endColumn: number;
  sourceLine?: string;
}

export interface GuestV8 {
  /** V8's continuation-preserved data: restored for each promise reaction from when it was queued. */
  getContinuationData(): unknown;
  setContinuationData(value: unknown): void;
  /** [0 pending | 1 fulfilled | 2 rejected, result], or undefined for a non-promise. */
  promiseState(value: unknown): [0 | 1 | 2, unknown] | undefined;
  /** Runs the microtask queue to empty now. */
  runMicrotasks(): void;
  /** handler(event, promise, reason): event 0 rejected unhandled, 1 handled later. */
  setPromiseRejectHandler(
    handler: (event: number, promise: Promise<unknown>, reason: unknown) => void,
  ): void;
  /** Runs fn; undefined when it returns, [thrown value, where V8 saw the throw] when it throws. */
  callCatching(
    fn: (...args: never[]) => unknown,
    thisArg: unknown,
    ...args: unknown[]
  ): [unknown, ThrowPlace | undefined] | undefined;
  /** V8's side-effect-free string of a value (`#<Object>`, `[object Array]`, `Error: m`). */
  detailString(value: unknown): string;
  /** Compiles and runs a classic script under `filename` (frames read `filename:line:col`). */
  runScript(source: string, filename: string): unknown;
}

let continuationData: unknown;

const fallback: GuestV8 = {
  getContinuationData: () => continuationData,
  setContinuationData: (value) => {
    continuationData = value;
  },
  promiseState: () => undefined,
  runMicrotasks: () => {},
  setPromiseRejectHandler: () => {},
  callCatching: (fn, thisArg, ...args) => {
    try {
      (fn as (...a: unknown[]) => unknown).apply(thisArg, args);
      return undefined;
    } catch (error) {
      return [error, undefined];
    }
  },
  runScript: (source) => (0, eval)(source),
  detailString: (value) => String(value),
};

/** The functions in use: the native ones once attached. */
export let v8: GuestV8 = fallback;

/** Called through the host's `attachV8` entry with the native module's object. */
export function attachV8(native: GuestV8): void {
  // Keep private copies: the object came from outside and could be changed later.
  v8 = Object.freeze({ ...native });
}
