/**
 * assert.AssertionError with Node 24's messages: the operator's sentence, `a !== b` for short
 * primitives, and the line diff ("+ actual - expected") of both values inspected the way
 * assert inspects them (sorted keys, no custom inspect, unlimited depth).
 */
import { inspect } from "node-inspect-extracted";

const READABLE: Record<string, string> = {
  deepStrictEqual: "Expected values to be strictly deep-equal:",
  strictEqual: "Expected values to be strictly equal:",
  strictEqualObject: 'Expected "actual" to be reference-equal to "expected":',
  deepEqual: "Expected values to be loosely deep-equal:",
  notDeepStrictEqual: 'Expected "actual" not to be strictly deep-equal to:',
  notStrictEqual: 'Expected "actual" to be strictly unequal to:',
  notStrictEqualObject: 'Expected "actual" not to be reference-equal to "expected":',
  notDeepEqual: 'Expected "actual" not to be loosely deep-equal to:',
  notIdentical: "Values have same structure but are not reference-equal:",
  notDeepEqualUnequal: "Expected values not to be loosely deep-equal:",
};

/** Up to this many characters in total, two primitives are shown as `a !== b`. */
const SHORT_PAIR = 12;
/** Longer outputs are cut to about this many lines. */
const MAX_LINES = 50;

function inspectForAssert(value: unknown): string {
  return inspect(value, {
    compact: false,
    customInspect: false,
    depth: 1000,
    maxArrayLength: Number.POSITIVE_INFINITY,
    showHidden: false,
    showProxy: false,
    sorted: true,
    getters: true,
  } as never);
}

const isObjectLike = (value: unknown): boolean =>
  (typeof value === "object" && value !== null) || typeof value === "function";

/** A shallow copy of an error whose stack will not show in the diff. */
function copyError(source: Error): object {
  const target = Object.assign(Object.create(Object.getPrototypeOf(source)), source);
  Object.defineProperty(target, "message", { value: source.message });
  return target;
}

/** Keeps lines whose count is over MAX_LINES to the first 46 and an ellipsis. */
function collapse(lines: string[]): string[] {
  if (lines.length <= MAX_LINES) return lines;
  return [...lines.slice(0, 46), "..."];
}

function diffMessage(
  actual: unknown,
  expected: unknown,
  operatorIn: string,
  message?: string,
): string {
  let operator = operatorIn;
  if (
    operator === "strictEqual" &&
    ((typeof actual === "object" &&
      actual !== null &&
      typeof expected === "object" &&
      expected !== null) ||
      (typeof actual === "function" && typeof expected === "function"))
  ) {
    operator = "strictEqualObject";
  }
  const header = message || READABLE[operator];
  const actualInspected = inspectForAssert(actual);
  const actualLines = actualInspected.split("\n");
  const expectedLines = inspectForAssert(expected).split("\n");
  let indicator = "";
  let skipFirst = 0;

  if (
    actualLines.length === 1 &&
    expectedLines.length === 1 &&
    actualLines[0] !== expectedLines[0]
  ) {
    const total = actualLines[0].length + expectedLines[0].length;
    if (total <= SHORT_PAIR) {
      if (!isObjectLikeNonNull(actual) && !isObjectLikeNonNull(expected)) {
        if (actual !== 0 || expected !== 0) {
          return `${header}\n\n${actualLines[0]} !== ${expectedLines[0]}\n`;
        }
      }
    } else if (operator !== "strictEqualObject") {
      const columns = process.stderr.isTTY
        ? ((process.stderr as unknown as { columns?: number }).columns ?? 80)
        : 80;
      if (total < columns) {
        let i = 0;
        while (actualLines[0][i] === expectedLines[0][i]) i++;
        // A caret under the first difference, unless it is right at the start.
        if (i > 2) indicator = `\n  ${" ".repeat(i)}^`;
        else skipFirst = i;
      }
    }
  }

  // Identical trailing lines are shown once, at most three of them (plus the last one).
  let counter = skipFirst;
  let end = "";
  let lastCommon = "";
  while (
    actualLines.length > 0 &&
    expectedLines.length > 0 &&
    actualLines[actualLines.length - 1] === expectedLines[expectedLines.length - 1]
  ) {
    const line = actualLines.pop() as string;
    expectedLines.pop();
    if (counter++ < 3) end = `\n  ${line}${end}`;
    else lastCommon = line;
  }
  const maxLines = Math.max(actualLines.length, expectedLines.length);
  if (maxLines === 0) {
    const lines = collapse(actualInspected.split("\n"));
    return `${READABLE.notIdentical}\n\n${lines.join("\n")}\n`;
  }
  let skipped = false;
  if (counter >= 5) {
    end = `\n...${end}`;
    skipped = true;
  }
  if (lastCommon !== "") end = `\n  ${lastCommon}${end}`;

  let result = "";
  let pendingExpected = "";
  let printed = 0;
  let identical = 0;
  const title = `${header}\n+ actual - expected`;
  const skippedNote = " ... Lines skipped";
  let longer = actualLines;
  let sign = "+";
  let shorterLength = expectedLines.length;
  if (actualLines.length < maxLines) {
    longer = expectedLines;
    sign = "-";
    shorterLength = actualLines.length;
  }
  /** Shows the run of identical lines before a difference: up to three, else a gap. */
  const flushIdentical = (lines: string[], i: number) => {
    if (identical > 2) {
      if (identical > 3) {
        if (identical > 4) {
          if (identical === 5) {
            result += `\n  ${lines[i - 3]}`;
            printed++;
          } else {
            result += "\n...";
            skipped = true;
          }
        }
        result += `\n  ${lines[i - 2]}`;
        printed++;
      }
      result += `\n  ${lines[i - 1]}`;
      printed++;
    }
    identical = 0;
  };

  for (let i = 0; i < maxLines; i++) {
    if (shorterLength < i + 1) {
      flushIdentical(longer, i);
      if (longer === actualLines) result += `\n${sign} ${longer[i]}`;
      else pendingExpected += `\n${sign} ${longer[i]}`;
      printed++;
    } else {
      const expectedLine = expectedLines[i];
      let actualLine = actualLines[i];
      // Lines that differ only by a trailing comma are the same line.
      let differs =
        actualLine !== expectedLine &&
        (!actualLine.endsWith(",") || actualLine.slice(0, -1) !== expectedLine);
      if (differs && expectedLine.endsWith(",") && expectedLine.slice(0, -1) === actualLine) {
        differs = false;
        actualLine += ",";
      }
      if (differs) {
        flushIdentical(actualLines, i);
        result += `\n+ ${actualLine}`;
        pendingExpected += `\n- ${expectedLine}`;
        printed += 2;
      } else {
        result += pendingExpected;
        pendingExpected = "";
        identical++;
        if (identical <= 2) {
          result += `\n  ${actualLine}`;
          printed++;
        }
      }
    }
    if (printed > MAX_LINES && i < maxLines - 2) {
      return `${title}${skippedNote}\n${result}\n...${pendingExpected}\n...`;
    }
  }
  return `${title}${skipped ? skippedNote : ""}\n${result}${pendingExpected}${end}${indicator}`;
}

function isObjectLikeNonNull(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}

function cutLines(text: string): string {
  const lines = text.split("\n", 11);
  if (lines.length > 10) return `${lines.slice(0, 10).join("\n")}\n...`;
  if (text.length > 512) return `${text.slice(512)}...`;
  return text;
}

export interface AssertionErrorOptions {
  message?: unknown;
  actual?: unknown;
  expected?: unknown;
  operator?: string;
  stackStartFn?: (...args: never[]) => unknown;
  stackStartFunction?: (...args: never[]) => unknown;
}

export class AssertionError extends Error {
  generatedMessage: boolean;
  code: string;
  actual: unknown;
  expected: unknown;
  operator: string | undefined;

  constructor(options: AssertionErrorOptions) {
    if (options === null || typeof options !== "object") {
      throw Object.assign(
        new TypeError(
          `The "options" argument must be of type object. Received ${inspect(options)}`,
        ),
        { code: "ERR_INVALID_ARG_TYPE" },
      );
    }
    const { message, operator = "", stackStartFn, stackStartFunction } = options;
    let { actual, expected } = options;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    let text: string;
    if (message != null) {
      if (operator === "deepStrictEqual" || operator === "strictEqual")
        text = diffMessage(actual, expected, operator, String(message));
      else text = String(message);
    } else {
      if (
        actual instanceof Error &&
        expected instanceof Error &&
        "stack" in actual &&
        "stack" in expected
      ) {
        actual = copyError(actual);
        expected = copyError(expected);
      }
      text = generatedMessage(actual, expected, operator);
    }
    super(text);
    Error.stackTraceLimit = limit;
    this.generatedMessage = message == null;
    Object.defineProperty(this, "name", {
      value: "AssertionError [ERR_ASSERTION]",
      enumerable: false,
      writable: true,
      configurable: true,
    });
    this.code = "ERR_ASSERTION";
    this.actual = actual;
    this.expected = expected;
    this.operator = operator || undefined;
    if (operator === "") this.operator = options.operator;
    Error.captureStackTrace(this, (stackStartFn ?? stackStartFunction) as never);
    // Reading the stack now fixes its header with the code in the name, as Node's does.
    void this.stack;
    this.name = "AssertionError";
  }

  override toString(): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](_depth: number, context: object): string {
    const actual = this.actual;
    const expected = this.expected;
    if (typeof actual === "string") this.actual = cutLines(actual);
    if (typeof expected === "string") this.expected = cutLines(expected);
    const result = inspect(this, { ...context, customInspect: false, depth: 0 });
    this.actual = actual;
    this.expected = expected;
    return result;
  }
}

function generatedMessage(actual: unknown, expected: unknown, operator: string): string {
  if (operator === "deepStrictEqual" || operator === "strictEqual")
    return diffMessage(actual, expected, operator);
  if (operator === "notDeepStrictEqual" || operator === "notStrictEqual") {
    let base = READABLE[operator];
    const lines = collapse(inspectForAssert(actual).split("\n"));
    if (operator === "notStrictEqual" && isObjectLike(actual)) base = READABLE.notStrictEqualObject;
    if (lines.length === 1) return `${base}${lines[0].length > 5 ? "\n\n" : " "}${lines[0]}`;
    return `${base}\n\n${lines.join("\n")}\n`;
  }
  let shownActual = inspectForAssert(actual);
  let shownExpected = inspectForAssert(expected);
  const known = READABLE[operator];
  if (operator === "notDeepEqual" && shownActual === shownExpected) {
    const text = `${known}\n\n${shownActual}`;
    return text.length > 1024 ? `${text.slice(0, 1021)}...` : text;
  }
  if (shownActual.length > 512) shownActual = `${shownActual.slice(0, 509)}...`;
  if (shownExpected.length > 512) shownExpected = `${shownExpected.slice(0, 509)}...`;
  if (operator === "deepEqual") {
    return `${known}\n\n${shownActual}\n\nshould loosely deep-equal\n\n${shownExpected}`;
  }
  const unequal = READABLE[`${operator}Unequal`];
  if (unequal) return `${unequal}\n\n${shownActual}\n\nshould not loosely deep-equal\n\n${shownExpected}`;
  return `${shownActual} ${operator} ${shownExpected}`;
}
