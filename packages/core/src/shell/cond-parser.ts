/**
 * Parser for `[[ ... ]]` conditional expressions, following bash's cond_expr/cond_term and its
 * error messages. Called after the `[[` token; consumes through `]]`.
 */

import type { CondExpr } from "./ast.ts";
import type { Token } from "./lexer.ts";
import { ShellSyntaxError } from "./syntax-error.ts";

/** The parser operations the conditional parser needs. */
export interface CondTokenStream {
  peek(): Token;
  next(): Token;
  isWord(tok: Token, text: string): boolean;
  isOp(tok: Token, text: string): boolean;
  skipNewlines(): void;
  setRegexMode(on: boolean): void;
}

const UNARY_OPS = new Set([
  "-a",
  "-b",
  "-c",
  "-d",
  "-e",
  "-f",
  "-g",
  "-h",
  "-k",
  "-n",
  "-o",
  "-p",
  "-r",
  "-s",
  "-t",
  "-u",
  "-v",
  "-w",
  "-x",
  "-z",
  "-G",
  "-L",
  "-N",
  "-O",
  "-R",
  "-S",
]);

const BINARY_OPS = new Set([
  "==",
  "=",
  "!=",
  "=~",
  "-eq",
  "-ne",
  "-lt",
  "-le",
  "-gt",
  "-ge",
  "-nt",
  "-ot",
  "-ef",
]);

/**
 * bash fails silently in some spots (`[[ ]]`, `[[ ! ]]`); an enclosing `( )` then reports
 * "expected `)'". We still need a message at the top, so this one stands in.
 */
class SilentCondError extends ShellSyntaxError {}

function describe(tok: Token): string {
  if (tok.kind === "newline") return "newline";
  if (tok.kind === "eof") return "EOF";
  return tok.text;
}

function lineOf(tok: Token): number {
  return tok.kind === "newline" ? tok.line : tok.endLine;
}

function fail(message: string, tok: Token): never {
  throw new ShellSyntaxError(message, lineOf(tok), { incomplete: tok.kind === "eof" });
}

export function parseCondition(ts: CondTokenStream): CondExpr {
  let expr: CondExpr;
  try {
    expr = parseOr(ts);
  } catch (e) {
    if (e instanceof SilentCondError) {
      throw new ShellSyntaxError(e.message, e.line, { incomplete: e.incomplete });
    }
    throw e;
  }
  const tok = ts.next();
  if (isEnd(ts, tok)) return expr;
  if (tok.kind === "word") fail("syntax error in conditional expression", tok);
  return fail(`syntax error in conditional expression: unexpected token \`${describe(tok)}'`, tok);
}

function isEnd(ts: CondTokenStream, tok: Token): boolean {
  return ts.isWord(tok, "]]");
}

function parseOr(ts: CondTokenStream): CondExpr {
  let left = parseAnd(ts);
  while (ts.isOp(ts.peek(), "||")) {
    ts.next();
    left = { type: "condOr", left, right: parseAnd(ts) };
  }
  return left;
}

function parseAnd(ts: CondTokenStream): CondExpr {
  let left = parseTerm(ts);
  while (ts.isOp(ts.peek(), "&&")) {
    ts.next();
    left = { type: "condAnd", left, right: parseTerm(ts) };
  }
  return left;
}

function parseTerm(ts: CondTokenStream): CondExpr {
  ts.skipNewlines();
  const tok = ts.next();
  if (tok.kind === "eof") fail("unexpected token `EOF' in conditional command", tok);
  if (isEnd(ts, tok)) {
    throw new SilentCondError("syntax error in conditional expression", lineOf(tok));
  }
  if (ts.isOp(tok, "(")) {
    let inner: CondExpr;
    try {
      inner = parseOr(ts);
    } catch (e) {
      if (e instanceof SilentCondError) throw new ShellSyntaxError("expected `)'", e.line);
      throw e;
    }
    const close = ts.next();
    if (!ts.isOp(close, ")")) fail(`unexpected token \`${describe(close)}', expected \`)'`, close);
    return inner;
  }
  if (tok.kind !== "word") fail(`unexpected token \`${describe(tok)}' in conditional command`, tok);
  if (ts.isWord(tok, "!")) return { type: "condNot", expr: parseTerm(ts) };

  if (UNARY_OPS.has(tok.text)) {
    const operand = ts.next();
    if (operand.kind !== "word" || isEnd(ts, operand)) {
      fail(`unexpected argument \`${describe(operand)}' to conditional unary operator`, operand);
    }
    return { type: "condUnary", op: tok.text, operand: operand.word! };
  }

  const left = tok.word!;
  const opTok = ts.peek();
  const isBinary =
    (opTok.kind === "word" && BINARY_OPS.has(opTok.text)) ||
    ts.isOp(opTok, "<") ||
    ts.isOp(opTok, ">");
  if (isBinary) {
    ts.next();
    ts.setRegexMode(opTok.text === "=~");
    let right: Token;
    try {
      right = ts.next();
    } finally {
      ts.setRegexMode(false);
    }
    if (right.kind !== "word" || isEnd(ts, right)) {
      fail(`unexpected argument \`${describe(right)}' to conditional binary operator`, right);
    }
    return { type: "condBinary", op: opTok.text, left, right: right.word! };
  }
  if (isEnd(ts, opTok) || ts.isOp(opTok, "&&") || ts.isOp(opTok, "||") || ts.isOp(opTok, ")")) {
    return { type: "condWord", word: left };
  }
  if (opTok.kind === "word") fail("conditional binary operator expected", opTok);
  return fail(
    `unexpected token \`${describe(opTok)}', conditional binary operator expected`,
    opTok,
  );
}
