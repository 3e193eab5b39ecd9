/**
 * The source text of a failing `assert(...)` / `assert.ok(...)` call, for the message
 * "The expression evaluated to a falsy value". Like Node, it finds the caller's file, line and
 * column from the stack and reads the call's line back from the file; Node tokenizes it with
 * acorn, here a small tokenizer does (names, numbers, strings, punctuation, comments).
 */
import { callSync } from "../host.ts";

interface CallSiteLike {
  getFileName(): string | null | undefined;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
}

const cache = new Map<string, string | undefined>();

/** The call of `fn` one frame up, as source; undefined when it cannot be read. */
export function sourceOfCall(fn: (...args: never[]) => unknown): string | undefined {
  const site = callerSite(fn);
  if (!site) return undefined;
  let file = site.getFileName();
  const line = (site.getLineNumber() ?? 1) - 1;
  const column = (site.getColumnNumber() ?? 1) - 1;
  if (!file || file.startsWith("node:")) return undefined;
  const key = `${file}:${line}:${column}`;
  if (cache.has(key)) return cache.get(key);
  let result: string | undefined;
  try {
    if (file.startsWith("file://")) file = decodeURIComponent(new URL(file).pathname);
    if (!file.startsWith("/")) throw new Error("not a file");
    const text = callSync<string>("module.readText", file);
    result = extractCall(text, line, column);
  } catch {
    result = undefined;
  }
  cache.set(key, result);
  return result;
}

function callerSite(fn: (...args: never[]) => unknown): CallSiteLike | undefined {
  const saveLimit = Error.stackTraceLimit;
  const savePrepare = Error.prepareStackTrace;
  Error.stackTraceLimit = 1;
  Error.prepareStackTrace = (_error, frames) => frames;
  try {
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, fn);
    const frames = holder.stack as CallSiteLike[] | undefined;
    return Array.isArray(frames) ? frames[0] : undefined;
  } finally {
    Error.stackTraceLimit = saveLimit;
    Error.prepareStackTrace = savePrepare;
  }
}

const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f]/g;

function escapeControl(char: string): string {
  const code = char.charCodeAt(0);
  if (code === 8) return "\\b";
  if (code === 12) return "\\f";
  return `\\u${code.toString(16).padStart(4, "0")}`;
}

const KEYWORDS = new Set(
  "break case catch class const continue debugger default delete do else export extends finally for function if import in instanceof new return super switch this throw try typeof var void while with yield let static await async of true false null".split(
    " ",
  ),
);

interface Token {
  kind: "name" | "string" | "num" | "punct" | "keyword";
  text: string;
  start: number;
}

/** A rough JavaScript tokenizer for one line: enough to find a call's extent. */
function* tokens(line: string): Generator<Token> {
  let i = 0;
  while (i < line.length) {
    const char = line[i];
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    if (char === "/" && line[i + 1] === "/") return;
    if (char === "/" && line[i + 1] === "*") {
      const end = line.indexOf("*/", i + 2);
      if (end < 0) return;
      i = end + 2;
      continue;
    }
    const start = i;
    if (/[A-Za-z_$\u0080-\uffff]/.test(char)) {
      while (i < line.length && /[\w$\u0080-\uffff]/.test(line[i])) i++;
      const text = line.slice(start, i);
      yield { kind: KEYWORDS.has(text) ? "keyword" : "name", text, start };
      continue;
    }
    if (/[0-9]/.test(char) || (char === "." && /[0-9]/.test(line[i + 1] ?? ""))) {
      while (i < line.length && /[\w.]/.test(line[i])) i++;
      yield { kind: "num", text: line.slice(start, i), start };
      continue;
    }
    if (char === '"' || char === "'" || char === "`") {
      i++;
      while (i < line.length && line[i] !== char) i += line[i] === "\\" ? 2 : 1;
      i++;
      yield { kind: "string", text: line.slice(start, i), start };
      continue;
    }
    if (char === "?" && line[i + 1] === "." && !/[0-9]/.test(line[i + 2] ?? "")) {
      i += 2;
      yield { kind: "punct", text: "?.", start };
      continue;
    }
    i++;
    yield { kind: "punct", text: char, start };
  }
}

const MEMBER_ACCESS = new Set([".", "?.", "[", "]"]);

/**
 * The expression starting at `column` of the line, as Node's error_source finds it: back to
 * the start of a member chain (`assert.ok`), forward to the `)` closing the call or a `;`.
 */
function firstExpression(line: string, column: number): string {
  let last: Token | undefined;
  let chainStart: Token | null | undefined;
  let end: number | undefined;
  let depth = 0;
  for (const token of tokens(line)) {
    if (token.start < column) {
      if (token.kind === "punct" && token.text === ";") {
        chainStart = null;
        continue;
      }
      const isAccess = token.kind === "punct" && MEMBER_ACCESS.has(token.text);
      if (isAccess && last?.kind === "name") chainStart ??= last;
      else if (
        !isAccess &&
        token.kind !== "name" &&
        token.kind !== "string" &&
        token.kind !== "num"
      )
        chainStart = null;
      last = token;
      continue;
    }
    if (token.kind !== "punct") continue;
    if (token.text === "(") depth++;
    else if (token.text === ")") {
      depth--;
      if (depth === 0) {
        end = token.start + 1;
        break;
      }
    } else if (token.text === ";") {
      // Node slices up to a token object here (NaN), which yields an empty expression.
      return "";
    }
  }
  return line.slice(chainStart?.start ?? column, end);
}

function extractCall(text: string, line: number, column: number): string | undefined {
  const source = text.split(/\r?\n/)[line];
  if (source === undefined) return undefined;
  const expression = firstExpression(source, column).replace(CONTROL, escapeControl);
  return expression || undefined;
}
