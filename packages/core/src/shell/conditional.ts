/**
 * `[[ expression ]]`: no word splitting or globbing of operands, patterns on the right of
 * `==`/`!=`, POSIX extended regexps with `=~` (setting BASH_REMATCH), arithmetic comparisons
 * that evaluate their operands, and the file tests shared with `test`.
 */
import { compilePosixRegex, RegexSyntaxError, toLatin1 } from "../commands/lib/posix-regex.ts";
import { evaluateTest } from "../commands/lib/test-expression.ts";
import type { CondExpr, Word } from "./ast.ts";
import { CommandFailure } from "./control.ts";
import { matchPattern } from "./pattern.ts";
import type { Shell } from "./shell.ts";
import { expandPattern, expandRegex, expandString } from "./word-expansion.ts";

const ARITH_OPS = new Set(["-eq", "-ne", "-lt", "-le", "-gt", "-ge"]);

/** Exit status of `[[ expr ]]`: 0 true, 1 false, 2 for an invalid regex. */
export async function evaluateCondition(sh: Shell, expr: CondExpr): Promise<number> {
  return (await evaluate(sh, expr)) ? 0 : 1;
}

async function evaluate(sh: Shell, expr: CondExpr): Promise<boolean> {
  switch (expr.type) {
    case "condAnd":
      return (await evaluate(sh, expr.left)) && evaluate(sh, expr.right);
    case "condOr":
      return (await evaluate(sh, expr.left)) || evaluate(sh, expr.right);
    case "condNot":
      return !(await evaluate(sh, expr.expr));
    case "condWord":
      return (await expandString(sh, expr.word)) !== "";
    case "condUnary":
      return unary(sh, expr.op, expr.operand);
    case "condBinary":
      return binary(sh, expr.op, expr.left, expr.right);
  }
}

async function unary(sh: Shell, op: string, operand: Word): Promise<boolean> {
  const value = await expandString(sh, operand);
  switch (op) {
    case "-z":
      return value === "";
    case "-n":
      return value !== "";
    case "-v": {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(.*)\])?$/s.exec(value);
      if (!m) return false;
      const v = sh.vars.lookup(m[1]);
      if (m[2] === undefined) return sh.vars.isSet(m[1]);
      if (!v) return false;
      if (m[2] === "@" || m[2] === "*")
        return v.indexed
          ? v.indexed.length > 0
          : v.assoc
            ? v.assoc.size > 0
            : v.value !== undefined;
      if (v.assoc) return v.assoc.has(m[2]);
      const index = Number(sh.arithmeticText(m[2]));
      if (v.indexed) return v.indexed[index < 0 ? v.indexed.length + index : index] !== undefined;
      return index === 0 && v.value !== undefined;
    }
    case "-o":
      return (sh.options as unknown as Record<string, boolean>)[value] === true;
    case "-R": {
      const v = sh.vars.lookup(value);
      return v !== undefined && (v.attrs & 32) !== 0;
    }
    default: {
      const result = await evaluateTest([op, value], sh.ctx, "bash");
      return result.status === 0;
    }
  }
}

async function binary(sh: Shell, op: string, leftWord: Word, rightWord: Word): Promise<boolean> {
  const left = await expandString(sh, leftWord);
  if (op === "==" || op === "=" || op === "!=") {
    const pattern = await expandPattern(sh, rightWord);
    const matched = matchPattern(left, pattern, {
      extglob: true,
      nocase: sh.shopt.nocasematch,
    });
    return op === "!=" ? !matched : matched;
  }
  if (op === "=~") {
    const source = await expandRegex(sh, rightWord);
    let regex: ReturnType<typeof compilePosixRegex>;
    try {
      regex = compilePosixRegex(toLatin1(source), {
        extended: true,
        ignoreCase: sh.shopt.nocasematch,
      });
    } catch (err) {
      if (err instanceof RegexSyntaxError) throw new CommandFailure(2);
      throw err;
    }
    const subject = toLatin1(left);
    const m = regex.exec(subject);
    if (!m) {
      sh.vars.setArray("BASH_REMATCH", []);
      return false;
    }
    const groups: string[] = [];
    for (let i = 0; i < m.length; i++) groups[i] = fromLatin1(m[i] ?? "");
    sh.vars.setArray("BASH_REMATCH", groups);
    return true;
  }
  const right = await expandString(sh, rightWord);
  if (op === "<") return left < right;
  if (op === ">") return left > right;
  if (ARITH_OPS.has(op)) {
    const a = sh.arithmeticText(left);
    const b = sh.arithmeticText(right);
    switch (op) {
      case "-eq":
        return a === b;
      case "-ne":
        return a !== b;
      case "-lt":
        return a < b;
      case "-le":
        return a <= b;
      case "-gt":
        return a > b;
      default:
        return a >= b;
    }
  }
  const result = await evaluateTest([left, op, right], sh.ctx, "bash");
  return result.status === 0;
}

function fromLatin1(text: string): string {
  if (!/[\x80-\xff]/.test(text)) return text;
  return new TextDecoder().decode(Uint8Array.from(text, (c) => c.charCodeAt(0)));
}
