/**
 * What Node prints when an exception or rejection ends the process: the throwing source line
 * with a caret, a blank line, the error's stack (with its own properties, as util.inspect
 * shows them), and the Node version.
 */
import { inspect } from "node-inspect-extracted";
import { callSync } from "./host.ts";
import { flushOutput, writeFd } from "./output.ts";
import { TextEncoder } from "./text-encoding.ts";

const encoder = new TextEncoder();

/** Own property (a string) naming where inside Node's builtins the error was thrown. */
export const THROW_SITE = Symbol.for("agentos.throwSite");

/** The "file:line\nsource\n   ^\n" header for the first stack frame in user code. */
function sourceHeader(error: unknown): string {
  if (!(error instanceof Error) || typeof error.stack !== "string") return "";
  // Errors thrown by a builtin carry the internal throw site Node would show (node:assert...).
  const site = (error as unknown as Record<symbol, unknown>)[THROW_SITE];
  if (typeof site === "string") return `${site}\n\n`;
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
  // V8 (and so Node) points at the throw statement, where the stack frame points at the
  // expression that built the error.
  let caret = Math.max(0, Number(column) - 1);
  const throwAt = text.slice(0, caret).search(/throw\s+(new\s+)?$/);
  if (throwAt >= 0) caret = throwAt;
  return `${file}:${line}\n${text}\n${" ".repeat(caret)}^\n\n`;
}

export function printFatal(
  error: unknown,
  origin: "uncaughtException" | "unhandledRejection",
): void {
  let body: string;
  if (error instanceof Error) {
    body = inspect(error);
  } else if (origin === "unhandledRejection") {
    // Node reports a non-error rejection through an error it makes in its own internals.
    body =
      "node:internal/process/promises:392\n      new UnhandledPromiseRejection(reason);\n      ^\n\n" +
      `UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "${inspect(error)}".\n` +
      "    at throwUnhandledRejectionsMode (node:internal/process/promises:392:7)\n" +
      "    at processPromiseRejections (node:internal/process/promises:475:17)\n" +
      "    at process.processTicksAndRejections (node:internal/process/task_queues:106:37) {\n" +
      "  code: 'ERR_UNHANDLED_REJECTION'\n}";
  } else {
    body = `Uncaught ${inspect(error)}`;
  }
  const header = sourceHeader(error);
  const text =
    error instanceof Error || origin === "unhandledRejection"
      ? `${header}${body}\n\nNode.js ${process.version}\n`
      : `${header}${inspect(error)}\n(Use \`node --trace-uncaught ...\` to show where the exception was thrown)\n\nNode.js ${process.version}\n`;
  writeFd(2, encoder.encode(text));
  flushOutput();
}
