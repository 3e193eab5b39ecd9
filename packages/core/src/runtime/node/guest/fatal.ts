/**
 * What Node prints when an exception or rejection ends the process: the throwing source line
 * with a caret, a blank line, the error's stack (with its own properties, as util.inspect
 * shows them), and the Node version.
 */
import { inspect } from "node-inspect-extracted";
import { callSync } from "./host.ts";
import { flushOutput, writeFd } from "./output.ts";
import { UnhandledPromiseRejection } from "./rejections.ts";
import { TextEncoder } from "./text-encoding.ts";
import type { ThrowPlace } from "./v8-extras.ts";

const encoder = new TextEncoder();

/** util.inspect's live defaults (the fatal print goes at least 5 levels deep, as Node's). */
function defaultDepth(): number {
  const depth = (inspect as unknown as { defaultOptions?: { depth?: unknown } }).defaultOptions
    ?.depth;
  return typeof depth === "number" ? depth : 2;
}

/** Own property (a string) naming where inside Node's builtins the error was thrown. */
export const THROW_SITE = Symbol.for("agentos.throwSite");

/**
 * What separates a THROW_SITE header from the error: a blank line, or nothing for a header
 * that ends in a newline itself (Node prints a link error right under its carets).
 */
function afterSite(site: string): string {
  return site.endsWith("\n") ? "" : "\n\n";
}

/**
 * Node's kEnhanceStackBeforeInspector: a function an error may carry (EventEmitter.emit puts
 * one on an unhandled 'error') that returns its stack with more told; a fatal print shows that.
 */
export const ENHANCE_STACK = Symbol("kEnhanceStackBeforeInspector");

/**
 * The header Node shows when an error leaves the runtime's own code from a known throw (its
 * `node:events:505 / throw er; // Unhandled 'error' event`): only then, as V8's message would
 * be at that throw. Kept aside, so the error shows nothing more than in Node.
 */
const internalSites = new WeakMap<object, string>();

export function setInternalThrowSite(error: object, site: string): void {
  internalSites.set(error, site);
}

/** Node's beforeInspector: error.stack becomes what the error's enhancer returns, if it has one. */
function enhanceStack(error: object): void {
  try {
    const enhance = (error as Record<symbol, unknown>)[ENHANCE_STACK];
    if (typeof enhance === "function") (error as { stack?: unknown }).stack = enhance();
  } catch {
    // Only an enhancement: the stack stays as it was.
  }
}

/**
 * Errors whose stack already begins with their header (kept aside, as Node's private symbol:
 * a frozen error can be decorated through its stack setter but takes no new property).
 */
const decorated = new WeakSet<object>();

/**
 * Puts an error's THROW_SITE header at the top of its stack, as Node's CommonJS loader does
 * with a compile error's ("file:line / source / ^^^" then a blank line): code that catches the
 * error sees it there, and a fatal print shows it once.
 */
export function decorateErrorStack(error: unknown): void {
  if (!(error instanceof Error) || typeof error.stack !== "string") return;
  const record = error as unknown as Record<symbol, unknown>;
  const site = record[THROW_SITE];
  if (typeof site !== "string" || decorated.has(error)) return;
  error.stack = `${site}${afterSite(site)}${error.stack}`;
  decorated.add(error);
}

/**
 * Where the header Node prints above an uncaught exception comes from: V8's message location of
 * the throw (a ThrowPlace from v8.callCatching, for what escaped a callback the runtime ran),
 * "stack" for what ended a promise job (a rejection, an ES module's evaluation), where V8 makes
 * the message later from the error's own stack: the expression that built it; undefined when
 * nobody caught it with its place (then the stack's first frame in user code, moved to its
 * `throw` statement as the message would be).
 */
export type MessagePlace = ThrowPlace | "stack" | undefined;

/** Node's name for a script that has none (eval code, `new Function`). */
const ANONYMOUS_SCRIPT = "<anonymous_script>";

/**
 * The head the host compiles a CommonJS file's line 1 behind (ops/module-ops.ts), with a column
 * offset: V8's columns skip it, its source line does not.
 */
const CJS_WRAPPER_HEAD = "(function (exports, require, module, __filename, __dirname) { ";

/** Sites in Node's internals that raise what a promise job left: Node prints them as headers. */
const RUN_MAIN_SITE = "node:internal/modules/run_main:107\n    triggerUncaughtException(\n    ^\n";
const PROMISES_SITE =
  "node:internal/process/promises:394\n    triggerUncaughtException(err, true /* fromPromise */);\n    ^\n";

const TRACE_UNCAUGHT_HINT =
  "(Use `node --trace-uncaught ...` to show where the exception was thrown)\n";

/**
 * V8's IsNativeError (made by an Error constructor, not merely inheriting Error.prototype), as
 * Node tells a real error from other thrown objects. Kept from before any user code runs.
 */
const errorIsError = (Error as unknown as { isError?: (value: unknown) => boolean }).isError;
const objectToString = Object.prototype.toString;
function isNativeError(value: unknown): value is Error {
  if (errorIsError) return errorIsError(value);
  return objectToString.call(value) === "[object Error]";
}

/** A place in the runtime's own code (a builtin threw): its line would mean nothing to the reader. */
function isInternal(place: ThrowPlace): boolean {
  return typeof place.file === "string" && place.file.startsWith("node:");
}

/**
 * Node's GetErrorSource: "file:line", the source line, and carets under the columns V8's
 * message spans (tabs kept so they line up), each line ending in a newline.
 */
export function errorSource(place: ThrowPlace): string {
  let line = place.sourceLine ?? "";
  if (place.line === 1 && line.startsWith(CJS_WRAPPER_HEAD)) {
    line = line.slice(CJS_WRAPPER_HEAD.length);
  }
  const file = typeof place.file === "string" ? place.file : ANONYMOUS_SCRIPT;
  const text = `${file}:${place.line}\n${line}\n`;
  const { startColumn: start, endColumn: end } = place;
  if (start > end || start < 0 || end > line.length) return text;
  let underline = "";
  for (let i = 0; i < start; i++) underline += line[i] === "\t" ? "\t" : " ";
  return `${text}${underline}${"^".repeat(end - start)}\n`;
}

/** The header's text for a place in user code, or undefined. */
function userSource(place: MessagePlace): string | undefined {
  return typeof place === "object" && !isInternal(place) ? errorSource(place) : undefined;
}

/**
 * What Node's script runner (`-e`, `-p`, stdin) attaches to what escapes the script: an error's
 * stack gets the header put in front of it, any other object keeps it aside (printed above it
 * if it ends the process). Primitives get nothing: the fatal print finds their header itself.
 */
const arrows = new WeakMap<object, string>();

export function decorateScriptThrow(thrown: unknown, place: ThrowPlace | undefined): void {
  if (thrown === null || (typeof thrown !== "object" && typeof thrown !== "function")) return;
  const record = thrown as Record<symbol | string, unknown>;
  if (decorated.has(thrown) || arrows.has(thrown) || typeof record[THROW_SITE] === "string") return;
  const source = place && !isInternal(place) ? errorSource(place) : undefined;
  if (source === undefined) return;
  arrows.set(thrown, source);
  let stack: unknown;
  try {
    stack = record.stack;
  } catch {
    return;
  }
  if (typeof stack !== "string") return;
  try {
    record.stack = `${source}\n${stack}`;
    if (record.stack !== stack) decorated.add(thrown);
  } catch {
    // A frozen object keeps its stack; the header is printed from the arrow instead.
  }
}

/** Sources that are no file (`-e`/stdin module code), by the URL their frames show. */
const sourcesByName = new Map<string, string>();

/** Keeps `source` for the header of an error whose stack points into it. */
export function rememberSource(name: string, source: string): void {
  sourcesByName.set(name, source);
}

function sourceLine(file: string, line: number): string | undefined {
  const known = sourcesByName.get(file);
  if (known !== undefined) return known.split("\n")[line - 1];
  try {
    return callSync<string | undefined>("module.sourceLine", file, line);
  } catch {
    return undefined;
  }
}

/** The "file:line\nsource\n   ^\n" header, from the first stack frame in user code. */
function stackSource(error: Error, place: "stack" | undefined): string {
  if (typeof error.stack !== "string") return "";
  const frame = /\(?((?:file:\/\/)?\/[^\s():]*|\[eval\]|\[stdin\]):(\d+):(\d+)\)?/.exec(
    error.stack.split("\n").slice(1).join("\n"),
  );
  if (!frame) return "";
  const [, file, line, column] = frame;
  const text = sourceLine(file, Number(line));
  if (text === undefined) return "";
  let caret = Math.max(0, Number(column) - 1);
  // At a throw statement, V8 (and so Node) points at `throw`, where the stack frame points at
  // the expression that built the error.
  const throwAt = text.slice(0, caret).search(/throw\s+(new\s+)?$/);
  if (throwAt >= 0 && place === undefined) caret = throwAt;
  return `${file}:${line}\n${text}\n${" ".repeat(caret)}^\n`;
}

/** The header above a native error's report, with the blank line after it. */
function errorHeader(error: Error, place: MessagePlace): string {
  const record = error as unknown as Record<symbol, unknown>;
  if (decorated.has(error)) return "";
  const arrow = arrows.get(error);
  if (arrow !== undefined) return `${arrow}\n`;
  // Errors thrown by a builtin carry the internal throw site Node would show (node:assert...).
  const site = record[THROW_SITE];
  if (typeof site === "string") return `${site}${afterSite(site)}`;
  if (typeof place === "object") {
    const internal = isInternal(place) ? internalSites.get(error) : undefined;
    if (internal !== undefined) return `${internal}${afterSite(internal)}`;
    const source = userSource(place);
    return source === undefined ? "" : `${source}\n`;
  }
  const source = stackSource(error, place);
  return source === "" ? "" : `${source}\n`;
}

/** Node's ReportFatalException: what an uncaught exception prints before "Node.js vX". */
function fatalReport(
  error: unknown,
  origin: "uncaughtException" | "unhandledRejection",
  place: MessagePlace,
): string {
  const isObject = error !== null && (typeof error === "object" || typeof error === "function");
  if (error instanceof UnhandledPromiseRejection || (origin === "unhandledRejection" && !isObject))
    return unhandledRejectionReport(error);
  if (!isObject) {
    // Printed as V8's ToString does it (a symbol has none: an empty line).
    const text = typeof error === "symbol" ? "" : String(error);
    return `${nonErrorHeader(place)}${text}\n${TRACE_UNCAUGHT_HINT}`;
  }
  enhanceStack(error);
  let body: string;
  try {
    body = inspect(error, {
      customInspect: false,
      depth: Math.max(defaultDepth(), 5),
    });
  } catch {
    body = String((error as { stack?: unknown }).stack);
  }
  if (isNativeError(error)) return `${errorHeader(error, place)}${body}\n`;
  const arrow = arrows.get(error);
  if (arrow !== undefined) return `${arrow}\n${body}\n`;
  // A rejection's reason that only looks like an error: raised from Node's rejection handling.
  if (origin === "unhandledRejection") return `\n${PROMISES_SITE}${body}\n`;
  return `${nonErrorHeader(place)}${body}\n`;
}

/** Above a thrown value that is not an error, Node prints the header first, after a blank line. */
function nonErrorHeader(place: MessagePlace): string {
  if (place === "stack") return `\n${RUN_MAIN_SITE}`;
  const source = userSource(place);
  return source === undefined ? "" : `\n${source}`;
}

/** A rejection whose reason is not an error: Node raises an error of its own internals. */
function unhandledRejectionReport(error: unknown): string {
  const message = (
    error instanceof UnhandledPromiseRejection
      ? error
      : new UnhandledPromiseRejection(error, (value) => inspect(value))
  ).message;
  return (
    "node:internal/process/promises:392\n      new UnhandledPromiseRejection(reason);\n      ^\n\n" +
    `UnhandledPromiseRejection: ${message}\n` +
    "    at throwUnhandledRejectionsMode (node:internal/process/promises:392:7)\n" +
    "    at processPromiseRejections (node:internal/process/promises:475:17)\n" +
    "    at process.processTicksAndRejections (node:internal/process/task_queues:106:37) {\n" +
    "  code: 'ERR_UNHANDLED_REJECTION'\n}\n"
  );
}

/**
 * A SyntaxError out of running `-e`/stdin code (`code` as module.prepareEval made it, run as the
 * script `filename`): if it is the code's compile error, it gets the header Node prints above
 * it. A compile error has no frame in the script (it never ran); one thrown while running it
 * does, and the host's compile of `code` settles any doubt. Other errors pass as they are.
 */
export function withEvalCompileHeader(
  error: unknown,
  code: string,
  filename: string,
  source: string,
): unknown {
  if (!(error instanceof SyntaxError) || typeof error.stack !== "string") return error;
  if (error.stack.includes(`at ${filename}:`) || error.stack.includes(`(${filename}:`))
    return error;
  const header = callSync<string | null>("module.evalCompileError", code, filename, source);
  if (header === null) return error;
  Object.defineProperty(error, THROW_SITE, { value: header, configurable: true });
  // Node compiles the code before it enters the wrapper, whose frame it therefore lacks.
  const wrapperFrame = `    at ${filename}-wrapper:`;
  error.stack = error.stack
    .split("\n")
    .filter((line) => !line.startsWith(wrapperFrame))
    .join("\n");
  return error;
}

/**
 * Prints what Node prints when `error` ends the process, `place` telling where it was thrown
 * (for a rejection, "stack": its reason's own stack).
 */
export function printFatal(
  error: unknown,
  origin: "uncaughtException" | "unhandledRejection",
  place: MessagePlace = origin === "unhandledRejection" ? "stack" : undefined,
): void {
  writeFd(2, encoder.encode(`${fatalReport(error, origin, place)}\nNode.js ${process.version}\n`));
  flushOutput();
}
