/**
 * expr (GNU coreutils 9.1): evaluates an expression given as separate arguments and prints its
 * value. Integers are arbitrary precision (GNU is built with GMP); strings are bytes (LC_ALL=C):
 * `length` counts bytes and `:` matches a BRE anchored at the start (lib/posix-regex.ts).
 * Exit status: 0 when the value is neither null nor 0, 1 when it is, 2 on a syntax error.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { compilePosixRegex, latin1Bytes, RegexSyntaxError, toLatin1 } from "./lib/posix-regex.ts";

const HELP =
  "Usage: expr EXPRESSION\n  or:  expr OPTION\n\n      --help        display this help and exit\n      --version     output version information and exit\n\nPrint the value of EXPRESSION to standard output.  A blank line below\nseparates increasing precedence groups.  EXPRESSION may be:\n\n  ARG1 | ARG2       ARG1 if it is neither null nor 0, otherwise ARG2\n\n  ARG1 & ARG2       ARG1 if neither argument is null or 0, otherwise 0\n\n  ARG1 < ARG2       ARG1 is less than ARG2\n  ARG1 <= ARG2      ARG1 is less than or equal to ARG2\n  ARG1 = ARG2       ARG1 is equal to ARG2\n  ARG1 != ARG2      ARG1 is unequal to ARG2\n  ARG1 >= ARG2      ARG1 is greater than or equal to ARG2\n  ARG1 > ARG2       ARG1 is greater than ARG2\n\n  ARG1 + ARG2       arithmetic sum of ARG1 and ARG2\n  ARG1 - ARG2       arithmetic difference of ARG1 and ARG2\n\n  ARG1 * ARG2       arithmetic product of ARG1 and ARG2\n  ARG1 / ARG2       arithmetic quotient of ARG1 divided by ARG2\n  ARG1 % ARG2       arithmetic remainder of ARG1 divided by ARG2\n\n  STRING : REGEXP   anchored pattern match of REGEXP in STRING\n\n  match STRING REGEXP        same as STRING : REGEXP\n  substr STRING POS LENGTH   substring of STRING, POS counted from 1\n  index STRING CHARS         index in STRING where any CHARS is found, or 0\n  length STRING              length of STRING\n  + TOKEN                    interpret TOKEN as a string, even if it is a\n                               keyword like 'match' or an operator like '/'\n\n  ( EXPRESSION )             value of EXPRESSION\n\nBeware that many operators need to be escaped or quoted for shells.\nComparisons are arithmetic if both ARGs are numbers, else lexicographical.\nPattern matches return the string matched between \\( and \\) or null; if\n\\( and \\) are not used, they return the number of characters matched or 0.\n\nExit status is 0 if EXPRESSION is neither null nor 0, 1 if EXPRESSION is null\nor 0, 2 if EXPRESSION is syntactically invalid, and 3 if an error occurred.\n\nGNU coreutils online help: <https://www.gnu.org/software/coreutils/>\nReport any translation bugs to <https://translationproject.org/team/>\nFull documentation <https://www.gnu.org/software/coreutils/expr>\nor available locally via: info '(coreutils) expr invocation'\n";

const VERSION = `expr (GNU coreutils) 9.1
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Mike Parker, James Youngman, and Paul Eggert.
`;

/** A value: an integer or a (latin1) string. */
type Value = bigint | string;

/** Stops evaluation with GNU's message and exit status. */
class ExprError extends Error {
  readonly status: number;
  constructor(message: string, status = 2) {
    super(message);
    this.status = status;
  }
}

/** GNU's locale_quoting_style in the C locale: single quotes, C escapes inside. */
function quote(arg: string): string {
  let out = "'";
  for (const ch of arg) {
    const c = ch.charCodeAt(0);
    if (ch === "'" || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += `\\${c.toString(8).padStart(3, "0")}`;
    else out += ch;
  }
  return `${out}'`;
}

function looksLikeInteger(s: string): boolean {
  return /^-?[0-9]+$/.test(s);
}

function toInteger(v: Value): bigint | undefined {
  if (typeof v === "bigint") return v;
  return looksLikeInteger(v) ? BigInt(v) : undefined;
}

function toStr(v: Value): string {
  return typeof v === "bigint" ? v.toString() : v;
}

/** GNU null(): integer zero, the empty string, or a string of zeros (optionally "-"). */
function isNull(v: Value): boolean {
  if (typeof v === "bigint") return v === 0n;
  return v === "" || /^-?0+$/.test(v);
}

class Evaluator {
  readonly args: string[];
  pos = 0;

  constructor(args: string[]) {
    this.args = args;
  }

  get more(): boolean {
    return this.pos < this.args.length;
  }

  next(token: string): boolean {
    if (this.pos < this.args.length && this.args[this.pos] === token) {
      this.pos++;
      return true;
    }
    return false;
  }

  requireMore(): void {
    if (!this.more) {
      throw new ExprError(`syntax error: missing argument after ${quote(this.args[this.pos - 1])}`);
    }
  }

  /** ARG1 | ARG2 */
  evalOr(evaluate: boolean): Value {
    let l = this.evalAnd(evaluate);
    while (this.next("|")) {
      const r = this.evalAnd(evaluate && isNull(l));
      if (isNull(l)) l = isNull(r) ? 0n : r;
    }
    return l;
  }

  /** ARG1 & ARG2 */
  evalAnd(evaluate: boolean): Value {
    let l = this.evalCompare(evaluate);
    while (this.next("&")) {
      const r = this.evalCompare(evaluate && !isNull(l));
      if (isNull(l) || isNull(r)) l = 0n;
    }
    return l;
  }

  evalCompare(evaluate: boolean): Value {
    let l = this.evalAdd(evaluate);
    for (;;) {
      const op = ["<", "<=", "=", "==", "!=", ">=", ">"].find((o) => this.next(o));
      if (op === undefined) return l;
      const r = this.evalAdd(evaluate);
      if (evaluate) {
        let cmp: number;
        const ls = toStr(l);
        const rs = toStr(r);
        if (looksLikeInteger(ls) && looksLikeInteger(rs)) {
          const a = BigInt(ls);
          const b = BigInt(rs);
          cmp = a < b ? -1 : a > b ? 1 : 0;
        } else {
          cmp = ls < rs ? -1 : ls > rs ? 1 : 0;
        }
        const result =
          op === "<"
            ? cmp < 0
            : op === "<="
              ? cmp <= 0
              : op === "=" || op === "=="
                ? cmp === 0
                : op === "!="
                  ? cmp !== 0
                  : op === ">="
                    ? cmp >= 0
                    : cmp > 0;
        l = result ? 1n : 0n;
      } else {
        l = 0n;
      }
    }
  }

  evalAdd(evaluate: boolean): Value {
    let l = this.evalMul(evaluate);
    for (;;) {
      const op = this.next("+") ? "+" : this.next("-") ? "-" : undefined;
      if (op === undefined) return l;
      const r = this.evalMul(evaluate);
      if (evaluate) {
        const a = toInteger(l);
        const b = toInteger(r);
        if (a === undefined || b === undefined) throw new ExprError("non-integer argument");
        l = op === "+" ? a + b : a - b;
      }
    }
  }

  evalMul(evaluate: boolean): Value {
    let l = this.evalColon(evaluate);
    for (;;) {
      const op = this.next("*") ? "*" : this.next("/") ? "/" : this.next("%") ? "%" : undefined;
      if (op === undefined) return l;
      const r = this.evalColon(evaluate);
      if (evaluate) {
        const a = toInteger(l);
        const b = toInteger(r);
        if (a === undefined || b === undefined) throw new ExprError("non-integer argument");
        if (op !== "*" && b === 0n) throw new ExprError("division by zero");
        // BigInt division and remainder truncate toward zero, as mpz_tdiv_q/mpz_tdiv_r.
        l = op === "*" ? a * b : op === "/" ? a / b : a % b;
      }
    }
  }

  evalColon(evaluate: boolean): Value {
    let l = this.evalUnary(evaluate);
    while (this.next(":")) {
      const r = this.evalUnary(evaluate);
      if (evaluate) l = match(l, r);
    }
    return l;
  }

  evalUnary(evaluate: boolean): Value {
    if (this.next("+")) {
      this.requireMore();
      return this.args[this.pos++];
    }
    if (this.next("length")) {
      const r = this.evalUnary(evaluate);
      return BigInt(toStr(r).length);
    }
    if (this.next("match")) {
      const l = this.evalUnary(evaluate);
      const r = this.evalUnary(evaluate);
      return evaluate ? match(l, r) : 0n;
    }
    if (this.next("index")) {
      const l = toStr(this.evalUnary(evaluate));
      const r = toStr(this.evalUnary(evaluate));
      for (let i = 0; i < l.length; i++) if (r.includes(l[i])) return BigInt(i + 1);
      return 0n;
    }
    if (this.next("substr")) {
      const s = toStr(this.evalUnary(evaluate));
      const p = toInteger(this.evalUnary(evaluate));
      const n = toInteger(this.evalUnary(evaluate));
      if (p === undefined || n === undefined) return "";
      const len = BigInt(s.length);
      if (p <= 0n || p > len || n <= 0n) return "";
      const end = p - 1n + n > len ? len : p - 1n + n;
      return s.slice(Number(p - 1n), Number(end));
    }
    return this.evalPrimary(evaluate);
  }

  evalPrimary(evaluate: boolean): Value {
    this.requireMore();
    if (this.next("(")) {
      const v = this.evalOr(evaluate);
      if (!this.more) {
        throw new ExprError(`syntax error: expecting ')' after ${quote(this.args[this.pos - 1])}`);
      }
      if (!this.next(")")) {
        throw new ExprError(`syntax error: expecting ')' instead of ${quote(this.args[this.pos])}`);
      }
      return v;
    }
    if (this.next(")")) throw new ExprError("syntax error: unexpected ')'");
    return this.args[this.pos++];
  }
}

/** STRING : REGEXP — a BRE anchored at the start of STRING. */
function match(l: Value, r: Value): Value {
  const text = toStr(l);
  let re: ReturnType<typeof compilePosixRegex>;
  try {
    re = compilePosixRegex(toStr(r), { dialect: "glibc" });
  } catch (err) {
    if (err instanceof RegexSyntaxError) throw new ExprError(err.message);
    throw err;
  }
  const m = re.exec(text, 0);
  const matched = m !== null && m.index === 0 ? m : null;
  if (re.groups > 0) return matched?.[1] ?? "";
  return BigInt(matched ? matched[0].length : 0);
}

export const expr: CommandDefinition = {
  name: "expr",
  async main(ctx) {
    let args = ctx.argv.slice(1).map(toLatin1);
    if (args.length === 1 && args[0].length > 2 && "--help".startsWith(args[0])) {
      await ctx.out(HELP);
      return 0;
    }
    if (args.length === 1 && args[0].length > 2 && "--version".startsWith(args[0])) {
      await ctx.out(VERSION);
      return 0;
    }
    if (args[0] === "--") args = args.slice(1);
    if (args.length === 0) {
      await ctx.err("expr: missing operand\nTry 'expr --help' for more information.\n");
      return 2;
    }
    const ev = new Evaluator(args);
    try {
      const v = ev.evalOr(true);
      if (ev.more) throw new ExprError(`syntax error: unexpected argument ${quote(args[ev.pos])}`);
      const out = latin1Bytes(`${toStr(v)}\n`);
      await ctx.out(out);
      return isNull(v) ? 1 : 0;
    } catch (err) {
      if (!(err instanceof ExprError)) throw err;
      await ctx.err(latin1Bytes(`expr: ${err.message}\n`));
      return err.status;
    }
  },
};
