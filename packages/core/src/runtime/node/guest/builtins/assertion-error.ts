/**
 * assert.AssertionError with Node 24's messages: the operator's sentence, `a !== b` for short
 * primitives, and the line diff ("+ actual - expected") of both values inspected the way
 * assert inspects them (sorted keys, no custom inspect, unlimited depth).
 */
import { inspect } from "node-inspect-extracted";
import { shouldColorize } from "./tty.ts";

const READABLE: Record<string, string> = {
  deepStrictEqual: "Expected values to be strictly deep-equal:",
  partialDeepStrictEqual: "Expected values to be partially and strictly deep-equal:",
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
const DIFF_OPERATORS = new Set(["deepStrictEqual", "strictEqual", "partialDeepStrictEqual"]);

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

interface Palette {
  blue: string;
  green: string;
  white: string;
  red: string;
  gray: string;
  on: boolean;
}

const PLAIN: Palette = { blue: "", green: "", white: "", red: "", gray: "", on: false };
const ANSI: Palette = {
  blue: "\x1b[34m",
  green: "\x1b[32m",
  white: "\x1b[39m",
  red: "\x1b[31m",
  gray: "\x1b[90m",
  on: true,
};

/**
 * The diff colours, decided as Node's internal/util/colors does for stderr (FORCE_COLOR,
 * NO_COLOR, a TTY's depth). Node decides once at startup and again for each generated message;
 * here the first decision waits for the first error (startup is the snapshot).
 */
let colors: Palette | undefined;

function refreshColors(): Palette {
  colors = shouldColorize(process.stderr as never) ? ANSI : PLAIN;
  return colors;
}

const palette = (): Palette => colors ?? refreshColors();

const isObjectLike = (value: unknown): boolean =>
  (typeof value === "object" && value !== null) || typeof value === "function";

/** A shallow copy of an error whose stack will not show in the diff. */
function copyError(source: Error): object {
  const target = Object.assign(Object.create(Object.getPrototypeOf(source)), source);
  Object.defineProperty(target, "message", { value: source.message });
  if (Object.hasOwn(source, "cause")) {
    let cause = (source as { cause?: unknown }).cause;
    if (cause instanceof Error) cause = copyError(cause);
    Object.defineProperty(target, "cause", { value: cause });
  }
  return target;
}

/** Keeps lines whose count is over MAX_LINES to the first 46 and an ellipsis. */
function collapse(lines: string[], diffMode: string): string[] {
  if (lines.length <= MAX_LINES || diffMode === "full") return lines;
  const { blue, white } = palette();
  return [...lines.slice(0, 46), `${blue}...${white}`];
}

type DiffOp = -1 | 0 | 1; // deleted (expected only), same, inserted (actual only)

/**
 * Myers' shortest edit script between the two line lists, in Node's order (last change
 * first). Lines that differ only by a trailing comma count as equal for objects.
 */
function myersDiff(
  actual: string[],
  expected: string[],
  commaBlind: boolean,
): Array<[DiffOp, string]> {
  const same = (a: string, b: string) =>
    a === b || (commaBlind && (`${a},` === b || a === `${b},`));
  const max = actual.length + expected.length;
  const v = new Int32Array(2 * max + 1);
  const trace: Int32Array[] = [];
  for (let level = 0; level <= max; level++) {
    trace.push(new Int32Array(v));
    for (let diagonal = -level; diagonal <= level; diagonal += 2) {
      const offset = diagonal + max;
      let x =
        diagonal === -level || (diagonal !== level && v[offset - 1] < v[offset + 1])
          ? v[offset + 1]
          : v[offset - 1] + 1;
      let y = x - diagonal;
      while (x < actual.length && y < expected.length && same(actual[x], expected[y])) {
        x++;
        y++;
      }
      v[offset] = x;
      if (x >= actual.length && y >= expected.length)
        return backtrack(trace, actual, expected, commaBlind);
    }
  }
  return [];
}

function backtrack(
  trace: Int32Array[],
  actual: string[],
  expected: string[],
  commaBlind: boolean,
): Array<[DiffOp, string]> {
  const max = actual.length + expected.length;
  let x = actual.length;
  let y = expected.length;
  const result: Array<[DiffOp, string]> = [];
  for (let level = trace.length - 1; level >= 0; level--) {
    const v = trace[level];
    const diagonal = x - y;
    const offset = diagonal + max;
    const previous =
      diagonal === -level || (diagonal !== level && v[offset - 1] < v[offset + 1])
        ? diagonal + 1
        : diagonal - 1;
    const previousX = v[previous + max];
    const previousY = previousX - previous;
    while (x > previousX && y > previousY) {
      const line = actual[x - 1];
      result.push([0, commaBlind && !line.endsWith(",") ? expected[y - 1] : line]);
      x--;
      y--;
    }
    if (level > 0) {
      if (x > previousX) result.push([1, actual[--x]]);
      else result.push([-1, expected[--y]]);
    }
  }
  return result;
}

/** Runs of more than five unchanged lines are cut to their ends around a "...". */
const CONTEXT_LINES = 5;

function printDiff(
  diff: Array<[DiffOp, string]>,
  operator: string,
): { message: string; skipped: boolean } {
  const { blue, green, white, red, gray, on } = palette();
  let message = "";
  let skipped = false;
  let unchanged = 0;
  for (let i = diff.length - 1; i >= 0; i--) {
    const [op, line] = diff[i];
    const previous = i < diff.length - 1 ? diff[i + 1][0] : null;
    if (previous === 0 && op !== 0) {
      if (unchanged === CONTEXT_LINES + 1) message += `${white}  ${diff[i + 1][1]}\n`;
      else if (unchanged === CONTEXT_LINES + 2) {
        message += `${white}  ${diff[i + 2][1]}\n`;
        message += `${white}  ${diff[i + 1][1]}\n`;
      } else if (unchanged >= CONTEXT_LINES + 3) {
        message += `${blue}...${white}\n`;
        message += `${white}  ${diff[i + 1][1]}\n`;
        skipped = true;
      }
      unchanged = 0;
    }
    if (op === 1) {
      // partialDeepStrictEqual shows what only actual has as grey context, not as an addition.
      if (operator === "partialDeepStrictEqual")
        message += `${gray}${on ? " " : "+"} ${line}${white}\n`;
      else message += `${green}+${white} ${line}\n`;
    } else if (op === -1) message += `${red}-${white} ${line}\n`;
    else {
      if (unchanged < CONTEXT_LINES) message += `${white}  ${line}\n`;
      unchanged++;
    }
  }
  return { message: `\n${message.trimEnd()}`, skipped };
}

/** Two one-line values, at least one not an object: `a !== b` or a stacked pair. */
function simpleDiff(
  actual: unknown,
  shownActual: string,
  expected: unknown,
  shownExpected: string,
) {
  let length = shownActual.length + shownExpected.length;
  if (typeof actual === "string") length -= 2;
  if (typeof expected === "string") length -= 2;
  if (length <= SHORT_PAIR && (actual !== 0 || expected !== 0)) {
    return { message: `${shownActual} !== ${shownExpected}`, header: "" };
  }
  const { green, white, red, on } = palette();
  if (on && typeof actual === "string" && typeof expected === "string") {
    // In colour, two strings get a character diff on one line.
    const diff = myersDiff(shownActual.split(""), shownExpected.split(""), false);
    let message = "\n";
    for (let i = diff.length - 1; i >= 0; i--) {
      const [op, char] = diff[i];
      message += `${op === 1 ? green : op === -1 ? red : white}${char}${white}`;
    }
    return { message, header: `${green}actual${white} ${red}expected${white}` };
  }
  let message = `\n${green}+${white} ${shownActual}\n${red}- ${white}${shownExpected}`;
  const columns = process.stderr.isTTY
    ? ((process.stderr as unknown as { columns?: number }).columns ?? 80)
    : 80;
  if (typeof actual === "string" && typeof expected === "string" && length + 4 <= columns) {
    for (let i = 0; i < shownActual.length; i++) {
      if (shownActual[i] !== shownExpected[i]) {
        if (i >= 3) message += `\n${" ".repeat(i + 2)}^`;
        break;
      }
    }
  }
  return { message, header: undefined };
}

function diffMessage(
  actual: unknown,
  expected: unknown,
  operatorIn: string,
  customMessage?: string,
  diffMode = "simple",
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
  let skipped = false;
  let message: string;
  const shownActual = inspectForAssert(actual);
  const shownExpected = inspectForAssert(expected);
  const actualLines = shownActual.split("\n");
  const expectedLines = shownExpected.split("\n");
  const { green, white, red, gray, on } = palette();
  let header: string | undefined = `${green}+ actual${white} ${red}- expected${white}`;
  const simple =
    actualLines.length === 1 &&
    expectedLines.length === 1 &&
    (typeof actual !== "object" ||
      actual === null ||
      typeof expected !== "object" ||
      expected === null);
  if (simple) {
    const result = simpleDiff(actual, actualLines[0], expected, expectedLines[0]);
    message = result.message;
    if (result.header !== undefined) header = result.header;
  } else if (shownActual === shownExpected) {
    operator = "notIdentical";
    if (actualLines.length > 50 && diffMode !== "full") {
      message = `${actualLines.slice(0, 50).join("\n")}\n...}`;
      skipped = true;
    } else message = actualLines.join("\n");
    header = "";
  } else {
    const commaBlind = actual != null && typeof actual === "object";
    const printed = printDiff(myersDiff(actualLines, expectedLines, commaBlind), operator);
    message = printed.message;
    if (operator === "partialDeepStrictEqual")
      header = `${gray}${on ? "" : "+ "}actual${white} ${red}- expected${white}`;
    skipped = printed.skipped;
  }
  const title = `${customMessage || READABLE[operator]}\n${header}`;
  return `${title}${skipped ? "\n... Skipped lines" : ""}\n${message}\n`;
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
  diff?: "simple" | "full";
}

export class AssertionError extends Error {
  generatedMessage: boolean;
  code: string;
  actual: unknown;
  expected: unknown;
  operator: string | undefined;
  diff: string;

  constructor(options: AssertionErrorOptions) {
    if (options === null || typeof options !== "object") {
      throw Object.assign(
        new TypeError(
          `The "options" argument must be of type object. Received ${inspect(options)}`,
        ),
        { code: "ERR_INVALID_ARG_TYPE" },
      );
    }
    const { message, stackStartFn, stackStartFunction } = options;
    const operator = options.operator ?? "";
    const diffMode = options.diff ?? "simple";
    let { actual, expected } = options;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    let text: string;
    if (message != null) {
      if (DIFF_OPERATORS.has(operator))
        text = diffMessage(actual, expected, operator, String(message), diffMode);
      else text = String(message);
    } else {
      refreshColors();
      if (
        actual instanceof Error &&
        expected instanceof Error &&
        "stack" in actual &&
        "stack" in expected
      ) {
        actual = copyError(actual);
        expected = copyError(expected);
      }
      text = generatedMessage(actual, expected, operator, diffMode);
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
    this.operator = options.operator;
    Error.captureStackTrace(this, (stackStartFn ?? stackStartFunction) as never);
    // Reading the stack now fixes its header with the code in the name, as Node's does.
    void this.stack;
    this.name = "AssertionError";
    this.diff = diffMode;
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

function generatedMessage(
  actual: unknown,
  expected: unknown,
  operator: string,
  diffMode: string,
): string {
  if (DIFF_OPERATORS.has(operator))
    return diffMessage(actual, expected, operator, undefined, diffMode);
  if (operator === "notDeepStrictEqual" || operator === "notStrictEqual") {
    let base = READABLE[operator];
    const lines = collapse(inspectForAssert(actual).split("\n"), diffMode);
    if (operator === "notStrictEqual" && isObjectLike(actual)) base = READABLE.notStrictEqualObject;
    if (lines.length === 1) return `${base}${lines[0].length > 5 ? "\n\n" : " "}${lines[0]}`;
    return `${base}\n\n${lines.join("\n")}\n`;
  }
  let shownActual = inspectForAssert(actual);
  let shownExpected = inspectForAssert(expected);
  const known = READABLE[operator];
  if (operator === "notDeepEqual" && shownActual === shownExpected) {
    const text = `${known}\n\n${shownActual}`;
    return text.length > 1024 && diffMode !== "full" ? `${text.slice(0, 1021)}...` : text;
  }
  if (shownActual.length > 512 && diffMode !== "full")
    shownActual = `${shownActual.slice(0, 509)}...`;
  if (shownExpected.length > 512 && diffMode !== "full")
    shownExpected = `${shownExpected.slice(0, 509)}...`;
  if (operator === "deepEqual") {
    return `${known}\n\n${shownActual}\n\nshould loosely deep-equal\n\n${shownExpected}`;
  }
  const unequal = READABLE[`${operator}Unequal`];
  if (unequal)
    return `${unequal}\n\n${shownActual}\n\nshould not loosely deep-equal\n\n${shownExpected}`;
  return `${shownActual} ${operator} ${shownExpected}`;
}
