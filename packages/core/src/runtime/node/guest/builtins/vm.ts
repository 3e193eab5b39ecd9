/**
 * node:vm as Node 24 has it, on second V8 contexts our native module makes inside the guest's
 * own isolate (packages/guest-v8/src/contexts.cc): same heap, heap limit, CPU limit and
 * termination as the rest of the program, and nothing reachable that it could not reach already.
 *
 * A contextified object's properties are the globals of the code run in its context, and that
 * code's global declarations land on it (interceptors, as Node's contextify). A new context has
 * its own builtins (`vm.runInNewContext('Object') !== Object`), and only V8's own globals.
 *
 * Where this differs from Node, and why:
 * - `cachedData` is never consumed (`cachedDataRejected` is always true): V8 does not check a
 *   code cache's contents in release builds, and bytes from the guest could be made-up bytecode.
 *   Producing one (`createCachedData`, `produceCachedData`) gives V8's real code cache.
 * - `breakOnSigint`, `microtaskMode: 'afterEvaluate'`, `importModuleDynamically` and
 *   `codeGeneration: { strings: false }` / `{ wasm: false }` fail with ERR_AGENTOS_NOT_SUPPORTED;
 *   `import()` in vm code rejects as V8 does without a host loader.
 * - `timeout` is real: a watchdog thread terminates the run and the caller gets Node's
 *   ERR_SCRIPT_EXECUTION_TIMEOUT (at most 16 timed runs nested inside each other).
 */
import { Buffer } from "buffer";
import { codedError, describeReceived, notSupported } from "../errors.ts";
import { decorateScriptThrow } from "../fatal.ts";
import { type CompiledScript, type OnGuestThrow, v8 } from "../v8-extras.ts";

const DEFAULT_FILENAME = "evalmachine.<anonymous>";

const USE_MAIN_CONTEXT_DEFAULT_LOADER = Symbol("vm_dynamic_import_main_context_default");
const DONT_CONTEXTIFY = Symbol("vm_context_no_contextify");

/** Options that name the context a script is compiled in (Node's kParsingContext). */
const PARSING_CONTEXT = Symbol("vm.parsingContext");

// ---------------------------------------------------------------------------------------------
// Node's validators, with its messages.

/** ERR_INVALID_ARG_TYPE: "argument" for a parameter, "property" for an option (dotted name). */
function invalidType(name: string, expected: string, actual: unknown): TypeError {
  const kind = name.includes(".") ? "property" : "argument";
  return codedError(
    TypeError,
    "ERR_INVALID_ARG_TYPE",
    `The "${name}" ${kind} must be ${expected}. Received ${describeReceived(actual)}`,
  );
}

function outOfRange(name: string, range: string, actual: number): RangeError {
  // Node separates the thousands of a large integer with "_".
  const shown =
    Number.isInteger(actual) && Math.abs(actual) > 2 ** 32
      ? String(actual).replace(/\B(?=(\d{3})+(?!\d))/g, "_")
      : String(actual);
  return codedError(
    RangeError,
    "ERR_OUT_OF_RANGE",
    `The value of "${name}" is out of range. It must be ${range}. Received ${shown}`,
  );
}

/** Node's validateObject: an object, not null; arrays only where allowed, never functions. */
function validateObject(
  value: unknown,
  name: string,
  allowArray = false,
): asserts value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || (!allowArray && Array.isArray(value))) {
    throw invalidType(name, "of type object", value);
  }
}

function validateString(value: unknown, name: string): asserts value is string {
  if (typeof value !== "string") throw invalidType(name, "of type string", value);
}

function validateBoolean(value: unknown, name: string): asserts value is boolean {
  if (typeof value !== "boolean") throw invalidType(name, "of type boolean", value);
}

function validateInt32(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number") throw invalidType(name, "of type number", value);
  if (!Number.isInteger(value)) throw outOfRange(name, "an integer", value);
  if (value < -2147483648 || value > 2147483647) {
    throw outOfRange(name, ">= -2147483648 && <= 2147483647", value);
  }
}

/** Node's validateUint32(value, name, positive = true), as the timeout option uses it. */
function validateTimeout(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number") throw invalidType(name, "of type number", value);
  if (!Number.isInteger(value)) throw outOfRange(name, "an integer", value);
  if (value < 1 || value > 4294967295) throw outOfRange(name, ">= 1 && <= 4294967295", value);
}

function validateContext(value: unknown): void {
  if (!isContext(value)) {
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_TYPE",
      `The "contextifiedObject" argument must be an vm.Context. Received ${describeReceived(value)}`,
    );
  }
}

function isContext(object: unknown): boolean {
  validateObject(object, "object", true);
  return v8.isContext(object);
}

// ---------------------------------------------------------------------------------------------
// Running and what comes out.

/** Where a script's first line starts in its file (lineOffset/columnOffset). */
interface Origin {
  lineOffset: number;
  columnOffset: number;
}

/**
 * Node's DecorateErrorStack, for what guest code threw: the "file:line / source / ^" header on
 * its stack (on the side for an object without one). V8's columns on the script's first line
 * count the column offset; the source line does not.
 */
function decorator(origin: Origin): OnGuestThrow {
  return (thrown, place) => {
    const shift = place && place.line - origin.lineOffset === 1 ? origin.columnOffset : 0;
    const onLine =
      place && shift !== 0 && place.startColumn >= shift
        ? { ...place, startColumn: place.startColumn - shift, endColumn: place.endColumn - shift }
        : place;
    decorateScriptThrow(thrown, onLine);
  };
}

interface RunOptions {
  timeout: number;
  displayErrors: boolean;
}

/** Node's getRunInContextArgs: the options every run takes. */
function runOptions(options: unknown = {}): RunOptions {
  validateObject(options, "options");
  let timeout = -1;
  if (options.timeout !== undefined) {
    validateTimeout(options.timeout, "options.timeout");
    timeout = options.timeout;
  }
  const { displayErrors = true, breakOnSigint = false } = options;
  validateBoolean(displayErrors, "options.displayErrors");
  validateBoolean(breakOnSigint, "options.breakOnSigint");
  // A guest's SIGINT is delivered between its tasks, never into a running script.
  if (breakOnSigint) throw notSupported("vm option breakOnSigint");
  return { timeout, displayErrors };
}

/** Runs a script; what it throws comes out of the native call as thrown, V8's message kept. */
function run(script: Compiled, context: object | undefined, options: RunOptions): unknown {
  const onThrow = options.displayErrors ? decorator(script) : undefined;
  const outcome = v8.runCompiledScript(script.compiled, context, options.timeout, onThrow);
  if (outcome[0] === 2) throw timedOut(options.timeout);
  return outcome[1];
}

/** Node makes this one in C++: a plain Error with a code, no "[CODE]" in its stack. */
function timedOut(timeout: number): Error {
  const error = new Error(`Script execution timed out after ${timeout}ms`);
  (error as Error & { code: string }).code = "ERR_SCRIPT_EXECUTION_TIMEOUT";
  return error;
}

// ---------------------------------------------------------------------------------------------
// Contexts.

interface ContextOptions {
  name?: unknown;
  origin?: unknown;
  codeGeneration?: unknown;
  microtaskMode?: unknown;
  importModuleDynamically?: unknown;
}

function createContext(contextObject: unknown = {}, options: unknown = {}): object {
  if (contextObject !== DONT_CONTEXTIFY && isContext(contextObject)) return contextObject as object;
  validateObject(options, "options");
  const { name, origin, codeGeneration, microtaskMode, importModuleDynamically } =
    options as ContextOptions;
  if (name !== undefined) validateString(name, "options.name");
  if (origin !== undefined) validateString(origin, "options.origin");
  if (codeGeneration !== undefined) {
    validateObject(codeGeneration, "options.codeGeneration");
    const { strings = true, wasm = true } = codeGeneration;
    validateBoolean(strings, "options.codeGeneration.strings");
    validateBoolean(wasm, "options.codeGeneration.wasm");
    // Code generation is checked isolate-wide by isolated-vm; one context cannot opt out.
    if (!strings || !wasm) throw notSupported("vm.createContext option codeGeneration: false");
  }
  if (microtaskMode !== undefined && microtaskMode !== "afterEvaluate") {
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_VALUE",
      `The property 'options.microtaskMode' must be one of: 'afterEvaluate', undefined. Received ${describeValue(microtaskMode)}`,
    );
  }
  if (microtaskMode === "afterEvaluate") {
    throw notSupported("vm.createContext option microtaskMode: 'afterEvaluate'");
  }
  if (importModuleDynamically !== undefined) {
    throw notSupported("vm option importModuleDynamically");
  }
  return v8.makeContext(contextObject === DONT_CONTEXTIFY ? null : (contextObject as object));
}

function describeValue(value: unknown): string {
  return typeof value === "string" ? `'${value}'` : String(value);
}

/** Node's getContextOptions: runInNewContext's context* options as createContext's. */
function contextOptions(options: unknown): ContextOptions {
  if (options === null || typeof options !== "object") return {};
  const {
    contextName: name,
    contextOrigin: origin,
    contextCodeGeneration,
    microtaskMode,
  } = options as Record<string, unknown>;
  if (name !== undefined) validateString(name, "options.contextName");
  if (origin !== undefined) validateString(origin, "options.contextOrigin");
  let codeGeneration: unknown;
  if (contextCodeGeneration !== undefined) {
    validateObject(contextCodeGeneration, "options.contextCodeGeneration");
    const { strings, wasm } = contextCodeGeneration;
    if (strings !== undefined) validateBoolean(strings, "options.contextCodeGeneration.strings");
    if (wasm !== undefined) validateBoolean(wasm, "options.contextCodeGeneration.wasm");
    codeGeneration = { strings, wasm };
  }
  if (microtaskMode !== undefined) validateString(microtaskMode, "options.microtaskMode");
  return { name, origin, codeGeneration, microtaskMode };
}

// ---------------------------------------------------------------------------------------------
// Scripts.

interface Compiled extends Origin {
  compiled: CompiledScript;
}

const scripts = new WeakMap<object, Compiled>();

function compiledOf(script: unknown): Compiled {
  const compiled = typeof script === "object" && script !== null && scripts.get(script);
  // What V8 says when a native method's receiver is not its kind, as Node's are.
  if (!compiled) throw new TypeError("Illegal invocation");
  return compiled;
}

class Script {
  declare cachedDataRejected?: boolean;
  declare cachedData?: Buffer;
  declare cachedDataProduced?: boolean;
  declare sourceURL: unknown;
  declare sourceMapURL: unknown;

  constructor(code: unknown, options: unknown = {}) {
    const source = `${code}`;
    const opts: Record<string | symbol, unknown> =
      typeof options === "string" ? { filename: options } : (options as Record<string, unknown>);
    if (typeof options !== "string") validateObject(options, "options");
    const {
      filename = DEFAULT_FILENAME,
      lineOffset = 0,
      columnOffset = 0,
      cachedData,
      produceCachedData = false,
      importModuleDynamically,
    } = opts;
    const parsingContext = opts[PARSING_CONTEXT] as object | undefined;
    validateString(filename, "options.filename");
    validateInt32(lineOffset, "options.lineOffset");
    validateInt32(columnOffset, "options.columnOffset");
    if (cachedData !== undefined && !ArrayBuffer.isView(cachedData)) {
      throw invalidType(
        "options.cachedData",
        "an instance of Buffer, TypedArray, or DataView",
        cachedData,
      );
    }
    validateBoolean(produceCachedData, "options.produceCachedData");
    if (importModuleDynamically !== undefined) {
      throw notSupported("vm option importModuleDynamically");
    }
    // A SyntaxError is always decorated, as Node does (displayErrors is a run option).
    const [, compiled, urls] = v8.compileScript(
      source,
      filename,
      lineOffset,
      columnOffset,
      parsingContext,
      decorator({ lineOffset, columnOffset }),
    );
    scripts.set(this, { compiled, lineOffset, columnOffset });
    // Never handed to V8 (see the top of this file): the caller compiles from source instead.
    if (cachedData !== undefined) this.cachedDataRejected = true;
    if (produceCachedData) {
      this.cachedData = Buffer.from(v8.codeCache(compiled));
      this.cachedDataProduced = true;
    }
    [this.sourceURL, this.sourceMapURL] = urls;
  }

  runInThisContext(options?: unknown): unknown {
    const compiled = compiledOf(this);
    return run(compiled, undefined, runOptions(options));
  }

  runInContext(contextifiedObject: unknown, options?: unknown): unknown {
    const compiled = compiledOf(this);
    validateContext(contextifiedObject);
    return run(compiled, contextifiedObject as object, runOptions(options));
  }

  runInNewContext(contextObject?: unknown, options?: unknown): unknown {
    const context = createContext(contextObject, contextOptions(options));
    return this.runInContext(context, options);
  }

  createCachedData(): Buffer {
    return Buffer.from(v8.codeCache(compiledOf(this).compiled));
  }
}

/** The options as an object (a string is the filename), naming the parsing context. */
function withParsingContext(options: unknown, context: object): Record<string | symbol, unknown> {
  if (typeof options === "string") return { filename: options, [PARSING_CONTEXT]: context };
  return { ...(options as object), [PARSING_CONTEXT]: context };
}

function runInThisContext(code: unknown, options?: unknown): unknown {
  const opts = typeof options === "string" ? { filename: options } : options;
  return new Script(code, opts).runInThisContext(opts);
}

function runInContext(code: unknown, contextifiedObject: unknown, options?: unknown): unknown {
  validateContext(contextifiedObject);
  const opts = withParsingContext(options, contextifiedObject as object);
  return new Script(code, opts).runInContext(contextifiedObject, opts);
}

function runInNewContext(code: unknown, contextObject?: unknown, options?: unknown): unknown {
  const opts = typeof options === "string" ? { filename: options } : options;
  const context = createContext(contextObject, contextOptions(opts));
  return runInContext(code, context, opts);
}

// ---------------------------------------------------------------------------------------------
// compileFunction.

function compileFunction(code: unknown, params?: unknown, options: unknown = {}): unknown {
  validateString(code, "code");
  if (params !== undefined) {
    if (!Array.isArray(params)) throw invalidType("params", "an instance of Array", params);
    params.forEach((param, i) => {
      validateString(param, `params[${i}]`);
    });
  }
  validateObject(options, "options");
  const {
    filename = "",
    columnOffset = 0,
    lineOffset = 0,
    cachedData,
    produceCachedData = false,
    parsingContext,
    contextExtensions = [],
    importModuleDynamically,
  } = options;
  validateString(filename, "options.filename");
  validateInt32(columnOffset, "options.columnOffset");
  validateInt32(lineOffset, "options.lineOffset");
  if (cachedData !== undefined && !ArrayBuffer.isView(cachedData)) {
    throw invalidType(
      "options.cachedData",
      "an instance of Buffer, TypedArray, or DataView",
      cachedData,
    );
  }
  validateBoolean(produceCachedData, "options.produceCachedData");
  if (parsingContext !== undefined) {
    if (typeof parsingContext !== "object" || parsingContext === null || !isContext(parsingContext))
      throw invalidType("options.parsingContext", "an instance of Context", parsingContext);
  }
  if (!Array.isArray(contextExtensions)) {
    throw invalidType("options.contextExtensions", "an instance of Array", contextExtensions);
  }
  contextExtensions.forEach((extension, i) => {
    // Node lets null through to a crash in its C++; here it is the type error it should be.
    validateObject(extension, `options.contextExtensions[${i}]`);
  });
  if (importModuleDynamically !== undefined) {
    throw notSupported("vm option importModuleDynamically");
  }
  const [, compiled] = v8.compileFunction(
    code,
    filename,
    lineOffset,
    columnOffset,
    (params ?? []) as string[],
    parsingContext as object | undefined,
    contextExtensions as object[],
    decorator({ lineOffset, columnOffset }),
  );
  const fn = compiled as typeof compiled & Record<string, unknown>;
  if (produceCachedData) {
    fn.cachedDataProduced = true;
    fn.cachedData = Buffer.from(v8.codeCache(fn));
  }
  if (cachedData !== undefined) fn.cachedDataRejected = true;
  return fn;
}

export function createVm(): unknown {
  return {
    Script,
    createContext,
    isContext,
    runInThisContext,
    runInContext,
    runInNewContext,
    compileFunction,
    measureMemory: () => {
      throw notSupported("vm.measureMemory");
    },
    constants: Object.freeze({ USE_MAIN_CONTEXT_DEFAULT_LOADER, DONT_CONTEXTIFY }),
  };
}
