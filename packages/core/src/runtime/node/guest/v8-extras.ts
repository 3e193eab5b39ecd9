/**
 * The V8 calls isolated-vm does not expose, from our native module (packages/guest-v8). The
 * host loads it into each new context and hands it over through the `attachV8` entry before
 * any user code runs; this module keeps it out of the guest's reach.
 *
 * Until then (while a startup snapshot is being made, when no native code may be present) the
 * fallbacks below stand in: a plain variable for the async context, no promise state.
 */
import { notSupported } from "./errors.ts";

export interface ThrowPlace {
  file: string;
  line: number;
  startColumn: number;
  endColumn: number;
  sourceLine?: string;
}

/** A script compiled by `compileScript`: opaque, only `runCompiledScript` and `codeCache` read it. */
export type CompiledScript = object & { readonly __compiledScript: unique symbol };

/**
 * Called with what compiling or running guest code threw, and where V8 saw it, before it is
 * thrown on (with V8's message kept, so an uncaught throw is reported where it happened).
 */
export type OnGuestThrow = (thrown: unknown, place: ThrowPlace | undefined) => void;

/** node:vm's contexts (packages/guest-v8/src/contexts.cc), all in the guest's own isolate. */
export interface GuestV8Contexts {
  /**
   * A new V8 context holding only V8's own globals. With an object: that object is contextified
   * (its properties are the context's globals) and returned; with null: the new global.
   */
  makeContext(sandbox: object | null): object;
  /** Whether makeContext made `value` a context. */
  isContext(value: object): boolean;
  /** Compiles a classic script (SyntaxErrors made in the parsing context); [sourceURL, sourceMapURL]. */
  compileScript(
    source: string,
    filename: string,
    lineOffset: number,
    columnOffset: number,
    parsingContext: object | undefined,
    onThrow: OnGuestThrow | undefined,
  ): [0, CompiledScript, [unknown, unknown]];
  /** Runs it in a context (undefined: the guest's own); [2] when `timeoutMs` (-1: none) ran out. */
  runCompiledScript(
    script: CompiledScript,
    context: object | undefined,
    timeoutMs: number,
    onThrow: OnGuestThrow | undefined,
  ): [0, unknown, undefined] | [2];
  /** A function of `params` with `source` as body, compiled in a context, extensions in scope. */
  compileFunction(
    source: string,
    filename: string,
    lineOffset: number,
    columnOffset: number,
    params: string[],
    parsingContext: object | undefined,
    extensions: object[],
    onThrow: OnGuestThrow | undefined,
  ): [0, (...args: unknown[]) => unknown, undefined];
  /** V8's code cache of a compiled script or of a function compileFunction made. */
  codeCache(compiled: CompiledScript | ((...args: unknown[]) => unknown)): Uint8Array;
  /** V8's IsNativeError: an error made by an Error constructor of any context. */
  isNativeError(value: unknown): boolean;
}

export interface GuestV8 extends GuestV8Contexts {
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
  /**
   * Where the module graph behind a generated module's `import.meta` waits on top-level awaits
   * while its evaluation is still pending ([] once settled). See unsettled-await.ts.
   */
  stalledTopLevelAwaits(meta: object): ThrowPlace[];
  /**
   * The evaluation promise of the module graph behind a generated module's `import.meta`
   * (settled once its top-level awaits are); undefined before it was evaluated.
   */
  evaluationPromise(meta: object): Promise<unknown> | undefined;
}

let continuationData: unknown;

const objectToString = Object.prototype.toString;

/** Without the native module there is no second context (the snapshot is being made). */
function noContexts(): never {
  throw notSupported("vm contexts (the native V8 module is not attached)");
}

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
  stalledTopLevelAwaits: () => [],
  evaluationPromise: () => undefined,
  makeContext: noContexts,
  isContext: () => false,
  compileScript: noContexts,
  runCompiledScript: noContexts,
  compileFunction: noContexts,
  codeCache: noContexts,
  isNativeError: (value) => objectToString.call(value) === "[object Error]",
};

/** The functions in use: the native ones once attached. */
export let v8: GuestV8 = fallback;

/** Called through the host's `attachV8` entry with the native module's object. */
export function attachV8(native: GuestV8): void {
  // Keep private copies: the object came from outside and could be changed later.
  v8 = Object.freeze({ ...native });
}
