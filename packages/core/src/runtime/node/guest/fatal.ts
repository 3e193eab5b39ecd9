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

const encoder = new TextEncoder();

/** Own property (a string) naming where inside Node's builtins the error was thrown. */
export const THROW_SITE = Symbol.for("agentos.throwSite");

/**
 * What separates a THROW_SITE header from the error: a blank line, or nothing for a header
 * that ends in a newline itself (Node prints a link error right under its carets).
 */
function afterSite(site: string): string {
  return site.endsWith("\n") ? "" : "\n\n";
}

/** Marks an error whose stack already begins with its THROW_SITE header. */
const DECORATED = Symbol("agentos.decorated");

/**
 * Puts an error's THROW_SITE header at the top of its stack, as Node's CommonJS loader does
 * with a compile error's ("file:line / source / ^^^" then a blank line): code that catches the
 * error sees it there, and a fatal print shows it once.
 */
export function decorateErrorStack(error: unknown): void {
  if (!(error instanceof Error) || typeof error.stack !== "string") return;
  const record = error as unknown as Record<symbol, unknown>;
  const site = record[THROW_SITE];
  if (typeof site !== "string" || record[DECORATED]) return;
  error.stack = `${site}${afterSite(site)}${error.stack}`;
  Object.defineProperty(error, DECORATED, { value: true });
}

/**
 * Where V8 placed the message Node prints the header from: "throw" when the error left a
 * callback the loop ran (V8 makes the message at the throw statement), "stack" when it ended
 * a promise job (a rejection, a microtask, an ES module's evaluation), where the message is
 * made later from the error's own stack: the expression that built the error.
 */
export type MessagePlace = "throw" | "stack";

/** The "file:line\nsource\n   ^\n" header for the first stack frame in user code. */
function sourceHeader(error: unknown, place: MessagePlace): string {
  if (!(error instanceof Error) || typeof error.stack !== "string") return "";
  if ((error as unknown as Record<symbol, unknown>)[DECORATED]) return "";
  // Errors thrown by a builtin carry the internal throw site Node would show (node:assert...).
  const site = (error as unknown as Record<symbol, unknown>)[THROW_SITE];
  if (typeof site === "string") return `${site}${afterSite(site)}`;
  const frame = /\(?((?:file:\/\/)?\/[^\s():]*|\[eval\]|\[stdin\]):(\d+):(\d+)\)?/.exec(
    error.stack.split("\n").slice(1).join("\n"),
  );
  if (!frame) return "";
  const [, file, line, column] = frame;
  let text: string | undefined;
  try {
    text = callSync<string | undefined>("module.sourceLine", file, Number(line));
  } catch {
    text = undefined;
  }
  if (text === undefined) return "";
  let caret = Math.max(0, Number(column) - 1);
  // At a throw statement, V8 (and so Node) points at `throw`, where the stack frame points at
  // the expression that built the error.
  const throwAt = text.slice(0, caret).search(/throw\s+(new\s+)?$/);
  if (throwAt >= 0 && place === "throw") caret = throwAt;
  return `${file}:${line}\n${text}\n${" ".repeat(caret)}^\n\n`;
}

/** The frame of the `eval` builtin, first in the stack of an error compiling eval code. */
const EVAL_BUILTIN_FRAME = "\n    at eval (<anonymous>)";

/**
 * A SyntaxError out of evaluating `-e`/stdin code (`code` as module.prepareEval made it): if it
 * is the code's compile error, it gets the header Node prints above it and loses the frame of
 * the eval builtin (Node compiles that code as a script of its own). Other errors pass as is.
 */
export function withEvalCompileHeader(
  error: unknown,
  code: string,
  filename: string,
  source: string,
): unknown {
  if (!(error instanceof SyntaxError) || typeof error.stack !== "string") return error;
  const firstFrame = error.stack.indexOf("\n    at ");
  if (firstFrame < 0 || !error.stack.startsWith(EVAL_BUILTIN_FRAME, firstFrame)) return error;
  const header = callSync<string | null>("module.evalCompileError", code, filename, source);
  if (header === null) return error;
  Object.defineProperty(error, THROW_SITE, { value: header, configurable: true });
  error.stack = error.stack.replace(EVAL_BUILTIN_FRAME, "");
  return error;
}

export function printFatal(
  error: unknown,
  origin: "uncaughtException" | "unhandledRejection",
  place: MessagePlace = origin === "unhandledRejection" ? "stack" : "throw",
): void {
  let body: string;
  if (error instanceof Error && !(error instanceof UnhandledPromiseRejection)) {
    body = inspect(error);
  } else if (origin === "unhandledRejection") {
    const message = (
      error instanceof UnhandledPromiseRejection
        ? error
        : new UnhandledPromiseRejection(error, (value) => inspect(value))
    ).message;
    // Node reports a non-error rejection through an error it makes in its own internals.
    body =
      "node:internal/process/promises:392\n      new UnhandledPromiseRejection(reason);\n      ^\n\n" +
      `UnhandledPromiseRejection: ${message}\n` +
      "    at throwUnhandledRejectionsMode (node:internal/process/promises:392:7)\n" +
      "    at processPromiseRejections (node:internal/process/promises:475:17)\n" +
      "    at process.processTicksAndRejections (node:internal/process/task_queues:106:37) {\n" +
      "  code: 'ERR_UNHANDLED_REJECTION'\n}";
  } else {
    body = `Uncaught ${inspect(error)}`;
  }
  const header = error instanceof UnhandledPromiseRejection ? "" : sourceHeader(error, place);
  const text =
    error instanceof Error || origin === "unhandledRejection"
      ? `${header}${body}\n\nNode.js ${process.version}\n`
      : `${header}${inspect(error)}\n(Use \`node --trace-uncaught ...\` to show where the exception was thrown)\n\nNode.js ${process.version}\n`;
  writeFd(2, encoder.encode(text));
  flushOutput();
}
