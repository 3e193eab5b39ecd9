/**
 * What the spec and dot reporters share: the symbols, indentation, and one test's line with its
 * error (the user's error, unwrapped from ERR_TEST_FAILURE, inspected as Node shows it).
 */
import { loadBuiltin } from "../../registry.ts";
import { shouldColorize } from "../../tty.ts";
import type { Colors } from "./colors.ts";

export const SYMBOLS = {
  "test:fail": "\u2716 ",
  "test:pass": "\u2714 ",
  "test:diagnostic": "\u2139 ",
  "arrow:right": "\u25B6 ",
  "hyphen:minus": "\uFE63 ",
  "warning:alert": "\u26A0 ",
} as const;

export function symbolColor(type: string, colors: Colors): string {
  switch (type) {
    case "test:fail":
    case "error":
      return colors.red;
    case "test:pass":
      return colors.green;
    case "test:diagnostic":
    case "info":
      return colors.blue;
    case "warn":
      return colors.yellow;
    default:
      return colors.white;
  }
}

export function indent(nesting: number): string {
  return "  ".repeat(nesting);
}

type Inspect = (value: unknown, options?: object) => string;

/** util.inspect, retried without custom inspectors when one of them throws. */
export function inspectNoThrow(value: unknown, options: object): string {
  const { inspect } = loadBuiltin("util") as { inspect: Inspect };
  try {
    return inspect(value, options);
  } catch {
    return inspect(value, { ...options, customInspect: false });
  }
}

function formatError(error: unknown, prefix: string): string {
  const err =
    (error as { code?: unknown } | null)?.code === "ERR_TEST_FAILURE"
      ? (error as { cause?: unknown }).cause
      : error;
  const options = { colors: shouldColorize(process.stdout), breakLength: Number.POSITIVE_INFINITY };
  const message = inspectNoThrow(err, options).split(/\r?\n/).join(`\n${prefix}  `);
  return `\n${prefix}  ${message}\n`;
}

export interface ReportData {
  name: string;
  nesting: number;
  skip?: string | boolean;
  todo?: string | boolean;
  expectFailure?: string | boolean;
  details?: { duration_ms?: number; error?: unknown; type?: string };
  file?: string;
  line?: number;
  column?: number;
}

/** One test's line: symbol, name, duration, SKIP/TODO directive, and optionally its error. */
export function formatTestReport(
  type: string,
  data: ReportData,
  colors: Colors,
  showErrorDetails = true,
  prefix = "",
  indentation = "",
): string {
  let color = symbolColor(type, colors);
  let symbol: string = SYMBOLS[type as keyof typeof SYMBOLS] ?? " ";
  const { skip, todo, expectFailure } = data;
  const duration = data.details?.duration_ms
    ? ` ${colors.gray}(${data.details.duration_ms}ms)${colors.white}`
    : "";
  let title = `${data.name}${duration}`;
  if (skip !== undefined) {
    title += ` # ${typeof skip === "string" && skip.length ? skip : "SKIP"}`;
    color = colors.gray;
    symbol = SYMBOLS["hyphen:minus"];
  } else if (todo !== undefined) {
    title += ` # ${typeof todo === "string" && todo.length ? todo : "TODO"}`;
    if (type === "test:fail") {
      color = colors.yellow;
      symbol = SYMBOLS["warning:alert"];
    }
  } else if (expectFailure !== undefined) {
    title += " # EXPECTED FAILURE";
  }
  const error =
    showErrorDetails && data.details?.error ? formatError(data.details.error, indentation) : "";
  return `${prefix}${indentation}${color}${symbol}${title}${colors.white}${error}`;
}
