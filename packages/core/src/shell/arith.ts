/**
 * Parser for bash arithmetic (`$(( ))`, `(( ))`, `let`, `for (( ))`, array subscripts). The
 * tokenizer mirrors bash's expr.c closely because bash's error messages depend on it: the
 * "error token" is the rest of the expression from the start of the last token read, and a bad
 * number reports the expression cut off after that number.
 *
 * Bash evaluates while it parses; we build a tree instead (see arith-eval.ts for evaluation), so
 * a syntax error is reported before any side effect of the expression, which bash would perform.
 */

import type {
  ArithAssignOp,
  ArithBinary,
  ArithBinaryOp,
  ArithExpr,
  ArithVariable,
  WordPart,
} from "./ast.ts";

export class ArithError extends Error {
  override name = "ArithError";
  /** The expression as bash prints it (leading whitespace removed). */
  readonly expression: string;
  readonly detail: string;
  /** Text bash quotes as the error token, or null when it prints none. */
  readonly token: string | null;

  constructor(expression: string, detail: string, token: string | null) {
    super(
      token === null
        ? `${expression}: ${detail}`
        : `${expression}: ${detail} (error token is "${token}")`,
    );
    this.expression = expression;
    this.detail = detail;
    this.token = token;
  }
}

export interface ArithParseHooks {
  /**
   * Parses a `$...` or backtick expansion starting at `offset` in `text` (only the shell parser
   * can, so it passes this in). Without it, `$` is an invalid character.
   */
  expansion?(text: string, offset: number): { part: WordPart; end: number };
}

type TokKind =
  | "num"
  | "id"
  | "exp"
  | "op"
  /** `x++` / `x--` (only right after an identifier) */
  | "post"
  /** `++x` / `--x` (only right before an identifier) */
  | "pre"
  | "bad"
  | "eof";

interface Tok {
  kind: TokKind;
  text: string;
  start: number;
  end: number;
  value?: bigint;
  node?: ArithExpr;
}

// Longest first, so `<<=` wins over `<<` and `<`.
const OPERATORS = [
  "<<=",
  ">>=",
  "**",
  "*=",
  "/=",
  "%=",
  "+=",
  "-=",
  "&=",
  "^=",
  "|=",
  "<<",
  ">>",
  "<=",
  ">=",
  "==",
  "!=",
  "&&",
  "||",
  "*",
  "/",
  "%",
  "+",
  "-",
  "<",
  ">",
  "=",
  "!",
  "~",
  "&",
  "^",
  "|",
  "?",
  ":",
  ",",
  "(",
  ")",
];

const ASSIGN_OPS = new Set<string>([
  "=",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "<<=",
  ">>=",
  "&=",
  "^=",
  "|=",
]);

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r";
}

function isIdentStart(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
}

function isIdentChar(c: string): boolean {
  return isIdentStart(c) || (c >= "0" && c <= "9");
}

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

/** Characters bash accepts inside a numeric constant (validated afterwards). */
function isNumberChar(c: string): boolean {
  return isIdentChar(c) || c === "@" || c === "#";
}

function digitValue(c: string, base: number): number {
  if (c >= "0" && c <= "9") return c.charCodeAt(0) - 48;
  if (c >= "a" && c <= "z") return c.charCodeAt(0) - 87;
  if (c >= "A" && c <= "Z") return c.charCodeAt(0) - (base <= 36 ? 55 : 29);
  if (c === "@") return 62;
  if (c === "_") return 63;
  return 99;
}

/** Value of a numeric constant, or the bash error detail for it. */
export function parseArithNumber(text: string): bigint | string {
  let base = 10;
  let digits = text;
  const hash = text.indexOf("#");
  if (hash >= 0) {
    const baseText = text.slice(0, hash);
    base = /^[0-9]+$/.test(baseText) ? Number(baseText) : 0;
    if (base < 2 || base > 64) return "invalid arithmetic base";
    digits = text.slice(hash + 1);
    if (digits === "") return "invalid integer constant";
  } else if (text.length > 1 && text[0] === "0" && (text[1] === "x" || text[1] === "X")) {
    base = 16;
    digits = text.slice(2);
  } else if (text.length > 1 && text[0] === "0") {
    base = 8;
    digits = text.slice(1);
  }
  if (base === 10 && /^[0-9]+$/.test(digits)) return BigInt.asIntN(64, BigInt(digits));
  let value = 0n;
  const b = BigInt(base);
  for (const c of digits) {
    const d = digitValue(c, base);
    if (d >= base) return "value too great for base";
    value = BigInt.asIntN(64, value * b + BigInt(d));
  }
  return value;
}

class ArithParser {
  private readonly text: string;
  private readonly hooks: ArithParseHooks | undefined;
  private readonly expression: string;
  private pos = 0;
  private cur: Tok = { kind: "eof", text: "", start: 0, end: 0 };
  /** Kind of the token before `cur`, for the context-dependent `++`/`--` rules. */
  private prevKind: TokKind | "none" = "none";
  /** Start of the last non-EOF token: bash's `lasttp`. */
  private lastStart = 0;

  constructor(text: string, hooks: ArithParseHooks | undefined) {
    this.text = text;
    this.hooks = hooks;
    this.expression = text.replace(/^[ \t\n\r]+/, "");
  }

  parse(): ArithExpr {
    this.advance();
    if (this.atEnd()) return { type: "number", value: 0n };
    const expr = this.comma();
    if (!this.atEnd()) this.fail("syntax error in expression");
    return expr;
  }

  private fail(detail: string, tokenStart = this.lastStart): never {
    throw new ArithError(this.expression, detail, this.text.slice(tokenStart));
  }

  private atEnd(): boolean {
    return this.cur.kind === "eof";
  }

  private isOp(text: string): boolean {
    return this.cur.kind === "op" && this.cur.text === text;
  }

  // --- tokenizer --------------------------------------------------------------------------

  private advance(): void {
    this.prevKind = this.cur.kind;
    this.cur = this.readToken();
    if (this.cur.kind !== "eof") this.lastStart = this.cur.start;
  }

  private readToken(): Tok {
    const text = this.text;
    let i = this.pos;
    while (i < text.length && isSpace(text[i])) i++;
    const start = i;
    if (i >= text.length) {
      this.pos = i;
      return { kind: "eof", text: "", start, end: i };
    }
    const c = text[i];
    if (isIdentStart(c)) return this.readIdentifier(start);
    if (isDigit(c)) return this.readNumber(start);
    if ((c === "$" || c === "`") && this.hooks?.expansion) {
      const { part, end } = this.hooks.expansion(text, start);
      this.pos = end;
      const exp = text.slice(start, end);
      return { kind: "exp", text: exp, start, end, node: { type: "expansion", part, text: exp } };
    }
    if ((c === "+" || c === "-") && text[i + 1] === c) {
      const afterOperand = this.prevKind === "id";
      if (afterOperand) return this.take("post", start, 2);
      let j = i + 2;
      while (j < text.length && isSpace(text[j])) j++;
      if (isIdentStart(text[j] ?? "")) return this.take("pre", start, 2);
      return this.take("op", start, 1);
    }
    for (const op of OPERATORS) {
      if (text.startsWith(op, i)) return this.take("op", start, op.length);
    }
    // Unknown character: after an operand bash complains about the operator.
    if (this.endsOperand()) {
      this.lastStart = start;
      this.fail("syntax error: invalid arithmetic operator", start);
    }
    return this.take("bad", start, 1);
  }

  private endsOperand(): boolean {
    const k = this.cur.kind;
    return (
      k === "num" ||
      k === "id" ||
      k === "exp" ||
      k === "post" ||
      (k === "op" && this.cur.text === ")")
    );
  }

  private take(kind: TokKind, start: number, length: number): Tok {
    this.pos = start + length;
    return { kind, text: this.text.slice(start, this.pos), start, end: this.pos };
  }

  private readIdentifier(start: number): Tok {
    const text = this.text;
    let i = start + 1;
    while (i < text.length && isIdentChar(text[i])) i++;
    const name = text.slice(start, i);
    let index: ArithVariable["index"] = null;
    if (text[i] === "[") {
      let depth = 0;
      let j = i;
      for (; j < text.length; j++) {
        if (text[j] === "[") depth++;
        else if (text[j] === "]" && --depth === 0) break;
      }
      if (j >= text.length) {
        this.lastStart = start;
        this.fail("bad array subscript", start);
      }
      const inner = text.slice(i + 1, j);
      // Expansions inside the subscript are resolved in this text's coordinates, so a caller
      // that already parsed them (by offset) is not asked again.
      const outer = this.hooks?.expansion;
      const base = i + 1;
      const hooks: ArithParseHooks | undefined = outer && {
        expansion: (_inner, offset) => {
          const found = outer(text, base + offset);
          return { part: found.part, end: found.end - base };
        },
      };
      let expr: ArithExpr | null = null;
      try {
        expr = parseArith(inner, hooks);
      } catch (e) {
        if (!(e instanceof ArithError)) throw e;
      }
      index = { text: inner, expr };
      i = j + 1;
    }
    this.pos = i;
    return {
      kind: "id",
      text: text.slice(start, i),
      start,
      end: i,
      node: { type: "variable", name, index },
    };
  }

  private readNumber(start: number): Tok {
    const text = this.text;
    let i = start;
    while (i < text.length && isNumberChar(text[i])) i++;
    const literal = text.slice(start, i);
    const value = parseArithNumber(literal);
    if (typeof value === "string") {
      // bash cuts the expression off after the bad constant.
      const shown = text.slice(0, i).replace(/^[ \t\n\r]+/, "");
      throw new ArithError(shown, value, literal);
    }
    this.pos = i;
    return { kind: "num", text: literal, start, end: i, value };
  }

  // --- grammar (bash precedence, lowest first) ---------------------------------------------

  private comma(): ArithExpr {
    let left = this.assignment();
    while (this.isOp(",")) {
      this.advance();
      left = { type: "binary", op: ",", left, right: this.assignment() };
    }
    return left;
  }

  private assignment(): ArithExpr {
    const target = this.conditional();
    if (this.cur.kind !== "op" || !ASSIGN_OPS.has(this.cur.text)) return target;
    if (target.type !== "variable" || this.prevKind !== "id") {
      this.fail("attempted assignment to non-variable");
    }
    const op = this.cur.text as ArithAssignOp;
    this.advance();
    const valueStart = this.cur.start;
    const value = this.assignment();
    const node: ArithExpr = { type: "assign", op, target, value };
    if (op === "/=" || op === "%=") {
      node.site = { expression: this.expression, token: this.text.slice(valueStart) };
    }
    return node;
  }

  private conditional(): ArithExpr {
    const test = this.binary(0);
    if (!this.isOp("?")) return test;
    this.advance();
    if (this.atEnd() || this.isOp(":")) this.fail("expression expected");
    const consequent = this.comma();
    if (!this.isOp(":")) this.fail("`:' expected for conditional expression");
    this.advance();
    if (this.atEnd()) this.fail("expression expected");
    const alternate = this.conditional();
    return { type: "conditional", test, consequent, alternate };
  }

  /** Left-associative binary levels, from `||` (level 0) down to `* / %`. */
  private binary(level: number): ArithExpr {
    if (level >= BINARY_LEVELS.length) return this.power();
    const ops = BINARY_LEVELS[level];
    let left = this.binary(level + 1);
    while (this.cur.kind === "op" && ops.includes(this.cur.text)) {
      const op = this.cur.text as ArithBinaryOp;
      this.advance();
      const rightStart = this.cur.start;
      const node: ArithBinary = { type: "binary", op, left, right: this.binary(level + 1) };
      if (op === "/" || op === "%") {
        node.site = { expression: this.expression, token: this.text.slice(rightStart) };
      }
      left = node;
    }
    return left;
  }

  private power(): ArithExpr {
    const left = this.unary();
    if (!this.isOp("**")) return left;
    this.advance();
    const right = this.power();
    return {
      type: "binary",
      op: "**",
      left,
      right,
      site: { expression: this.expression, token: this.text.slice(this.lastStart) },
    };
  }

  private unary(): ArithExpr {
    if (this.cur.kind === "op") {
      const op = this.cur.text;
      if (op === "!" || op === "~" || op === "-" || op === "+") {
        this.advance();
        return { type: "unary", op, operand: this.unary() };
      }
    }
    return this.operand();
  }

  private operand(): ArithExpr {
    const tok = this.cur;
    if (tok.kind === "pre") {
      this.advance();
      const target = this.cur;
      if (target.kind !== "id") {
        this.fail("identifier expected after pre-increment or pre-decrement");
      }
      this.advance();
      if (this.cur.kind === "post") this.fail(`${this.cur.text}: assignment requires lvalue`);
      return {
        type: "update",
        op: tok.text as "++" | "--",
        prefix: true,
        target: target.node as ArithVariable,
      };
    }
    if (tok.kind === "op" && tok.text === "(") {
      this.advance();
      const inner = this.comma();
      if (!this.isOp(")")) this.fail("missing `)'");
      this.advance();
      return inner;
    }
    if (tok.kind === "num") {
      this.advance();
      return { type: "number", value: tok.value as bigint };
    }
    if (tok.kind === "id") {
      this.advance();
      const post = this.cur;
      if (post.kind === "post") {
        this.advance();
        return {
          type: "update",
          op: post.text as "++" | "--",
          prefix: false,
          target: tok.node as ArithVariable,
        };
      }
      return tok.node as ArithExpr;
    }
    if (tok.kind === "exp") {
      this.advance();
      return tok.node as ArithExpr;
    }
    return this.fail("syntax error: operand expected");
  }
}

const BINARY_LEVELS: string[][] = [
  ["||"],
  ["&&"],
  ["|"],
  ["^"],
  ["&"],
  ["==", "!="],
  ["<=", ">=", "<", ">"],
  ["<<", ">>"],
  ["+", "-"],
  ["*", "/", "%"],
];

/**
 * Parses an arithmetic expression. An empty (or all-blank) expression is 0, as in bash.
 * Throws ArithError with bash's message on invalid input.
 */
export function parseArith(text: string, hooks?: ArithParseHooks): ArithExpr {
  return new ArithParser(text, hooks).parse();
}
