/**
 * `--test-reporter=tap`: TAP version 13 as Node writes it, subtests indented four spaces per
 * level, each result followed by a YAML block (duration, type, location and error of failures).
 */
import { UNWRAPPED_FAILURES } from "../failure.ts";
import type { TestEvent } from "../tests-stream.ts";
import { inspectNoThrow } from "./format.ts";

const INSPECT_OPTIONS = { colors: false, breakLength: Number.POSITIVE_INFINITY };
const FRAME_START = /^ {4}at /;
const LINE_BREAK = /\n|\r\n/;

function indent(nesting: number): string {
  return "    ".repeat(nesting);
}

/** TAP needs `#` and `\` escaped, and line breaks kept on one line. */
function tapEscape(input: string): string {
  return input
    .replaceAll("\b", "\\b")
    .replaceAll("\f", "\\f")
    .replaceAll("\t", "\\t")
    .replaceAll("\n", "\\n")
    .replaceAll("\r", "\\r")
    .replaceAll("\v", "\\v")
    .replaceAll("\\", "\\\\")
    .replaceAll("#", "\\#");
}

function reportTest(
  nesting: number,
  testNumber: number,
  status: string,
  name: string,
  skip: unknown,
  todo: unknown,
  expectFailure: unknown,
): string {
  let line = `${indent(nesting)}${status} ${testNumber}`;
  if (name) line += ` ${tapEscape(`- ${name}`)}`;
  if (skip !== undefined) {
    line += ` # SKIP${typeof skip === "string" && skip.length ? ` ${tapEscape(skip)}` : ""}`;
  } else if (todo !== undefined) {
    line += ` # TODO${typeof todo === "string" && todo.length ? ` ${tapEscape(todo)}` : ""}`;
  } else if (expectFailure !== undefined) {
    const label = typeof expectFailure === "string" ? ` ${tapEscape(expectFailure)}` : "";
    line += ` # EXPECTED FAILURE${label}`;
  }
  return `${line}\n`;
}

function isError(value: unknown): value is Error {
  return Object.prototype.toString.call(value) === "[object Error]" || value instanceof Error;
}

function isAssertionLike(value: unknown): value is { expected: unknown; actual: unknown } {
  return !!value && typeof value === "object" && "expected" in value && "actual" in value;
}

function isDate(value: unknown): value is Date {
  return value instanceof Date;
}

/** One value as YAML under `name`, at `prefix` indentation (errors get Node's error fields). */
function jsToYaml(prefix: string, name: string | null, value: unknown, seen: Set<unknown>): string {
  if (value === undefined) return "";
  const head = `${prefix}  ${name}:`;
  if (value === null) return `${head} ~\n`;
  if (typeof value !== "object") {
    if (typeof value !== "string") return `${head} ${inspectNoThrow(value, INSPECT_OPTIONS)}\n`;
    const lines = value.split(LINE_BREAK);
    if (lines.length === 1) return `${head} ${inspectNoThrow(value, INSPECT_OPTIONS)}\n`;
    let text = `${head} |-\n`;
    for (const line of lines) text += `${prefix}    ${line}\n`;
    return text;
  }
  seen.add(value);
  const entries = Object.entries(value);
  const errorValue = isError(value);
  let propsIndent = prefix;
  let result = "";
  if (name != null) {
    result += head;
    if (isDate(value)) result += ` ${value.toISOString()}`;
    result += "\n";
    propsIndent += "  ";
  }
  for (const [key, entry] of entries) {
    if (errorValue && (key === "cause" || key === "code")) continue;
    if (seen.has(entry)) {
      result += `${propsIndent}  ${key}: <Circular>\n`;
      continue;
    }
    result += jsToYaml(propsIndent, key, entry, seen);
  }
  if (errorValue) result += errorYaml(prefix, value as Error & Record<string, unknown>, seen);
  return result;
}

function errorYaml(prefix: string, error: Error & Record<string, unknown>, seen: Set<unknown>) {
  const { cause, code, failureType, message, expected, actual, operator, stack, name } = error;
  let errMessage = message ?? "<unknown error>";
  let errName = name;
  let errStack = stack;
  let errCode = code;
  let errExpected = expected;
  let errActual = actual;
  let errOperator = operator;
  let assertionLike = isAssertionLike(error);
  // A failure that wraps the user's error shows that error.
  if (code === "ERR_TEST_FAILURE" && UNWRAPPED_FAILURES.has(failureType as string)) {
    const inner = cause as (Error & Record<string, unknown>) | undefined;
    errStack = inner?.stack ?? errStack;
    errCode = inner?.code ?? errCode;
    errName = inner?.name ?? errName;
    errMessage = inner?.message ?? errMessage;
    if (isAssertionLike(inner)) {
      errExpected = inner.expected;
      errActual = inner.actual;
      errOperator = inner.operator ?? errOperator;
      assertionLike = true;
    }
  }
  let result = jsToYaml(prefix, "error", errMessage, seen);
  if (errCode) result += jsToYaml(prefix, "code", errCode, seen);
  if (errName && errName !== "Error") result += jsToYaml(prefix, "name", errName, seen);
  if (assertionLike) {
    // Separate `seen` sets: a value shared by expected and actual is not circular.
    result += jsToYaml(prefix, "expected", errExpected, new Set(seen));
    result += jsToYaml(prefix, "actual", errActual, new Set(seen));
    if (errOperator) result += jsToYaml(prefix, "operator", errOperator, seen);
  }
  if (typeof errStack === "string") {
    const frames: string[] = [];
    for (const frame of errStack.split(LINE_BREAK)) {
      const processed = frame.replace(FRAME_START, "");
      if (processed.length > 0 && processed.length !== frame.length) frames.push(processed);
    }
    if (frames.length > 0) {
      const delimiter = `\n${prefix}    `;
      result += `${prefix}  stack: |-${delimiter}${frames.join(delimiter)}\n`;
    }
  }
  return result;
}

function reportDetails(
  nesting: number,
  data: Record<string, unknown> = {},
  location: string | null,
): string {
  const prefix = indent(nesting);
  let details = `${prefix}  ---\n`;
  details += jsToYaml(prefix, "duration_ms", data.duration_ms, new Set());
  details += jsToYaml(prefix, "type", data.type, new Set());
  if (location) details += jsToYaml(prefix, "location", location, new Set());
  details += jsToYaml(prefix, null, data.error, new Set());
  details += `${prefix}  ...\n`;
  return details;
}

export async function* tapReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  yield "TAP version 13\n";
  for await (const { type, data } of source) {
    const nesting = data.nesting as number;
    switch (type) {
      case "test:fail": {
        yield reportTest(
          nesting,
          data.testNumber as number,
          "not ok",
          data.name as string,
          data.skip,
          data.todo,
          data.expectFailure,
        );
        const location = data.file ? `${data.file}:${data.line}:${data.column}` : null;
        yield reportDetails(nesting, data.details as Record<string, unknown>, location);
        break;
      }
      case "test:pass":
        yield reportTest(
          nesting,
          data.testNumber as number,
          "ok",
          data.name as string,
          data.skip,
          data.todo,
          data.expectFailure,
        );
        yield reportDetails(nesting, data.details as Record<string, unknown>, null);
        break;
      case "test:plan":
        yield `${indent(nesting)}1..${data.count}\n`;
        break;
      case "test:start":
        yield `${indent(nesting)}# Subtest: ${tapEscape(data.name as string)}\n`;
        break;
      case "test:stderr":
      case "test:stdout":
        for (const line of (data.message as string).split(LINE_BREAK)) {
          if (line.length > 0) yield `# ${tapEscape(line)}\n`;
        }
        break;
      case "test:diagnostic":
        yield `${indent(nesting)}# ${tapEscape(data.message as string)}\n`;
        break;
      default:
        break;
    }
  }
}
