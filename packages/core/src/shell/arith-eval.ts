/**
 * Pure evaluator for arithmetic trees from arith.ts: 64-bit two's-complement wrapping like
 * bash's intmax_t, short-circuit `&&`/`||`/`?:`, and bash's error messages. Variables hold
 * strings that are themselves evaluated as expressions (`x=1+2; $((x*2))` is 6).
 */

import { ArithError, parseArith } from "./arith.ts";
import type { ArithErrorSite, ArithExpr, ArithVariable, WordPart } from "./ast.ts";

export interface ArithEnv {
  /**
   * Value of a variable, or undefined when unset. `index` is given for `a[i]`: the evaluated
   * index in decimal, or the subscript text when `isAssociative(name)` says so.
   */
  get(name: string, index?: string): string | undefined;
  set(name: string, value: string, index?: string): void;
  isAssociative?(name: string): boolean;
  /** Expands a `$...` part written inside the expression (trees parsed at script parse time). */
  expand?(part: WordPart): string;
}

/** bash's MAX_EXPR_RECURSION_LEVEL */
const MAX_DEPTH = 1024;

const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);
const truth = (v: boolean): bigint => (v ? 1n : 0n);

function siteError(site: ArithErrorSite | undefined, detail: string): ArithError {
  return new ArithError(site?.expression ?? "", detail, site?.token ?? "");
}

/** Modular exponentiation: `**` wraps like repeated 64-bit multiplication. */
function power(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = base;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = wrap(result * b);
    b = wrap(b * b);
    e >>= 1n;
  }
  return result;
}

class Evaluator {
  private readonly env: ArithEnv;
  private depth = 0;

  constructor(env: ArithEnv) {
    this.env = env;
  }

  eval(node: ArithExpr): bigint {
    switch (node.type) {
      case "number":
        return node.value;
      case "variable":
        return this.valueOf(this.read(node), node.name);
      case "expansion": {
        if (!this.env.expand) throw new ArithError(node.text, "cannot expand here", null);
        return this.valueOf(this.env.expand(node.part), node.text);
      }
      case "unary": {
        const v = this.eval(node.operand);
        if (node.op === "-") return wrap(-v);
        if (node.op === "+") return v;
        if (node.op === "!") return truth(v === 0n);
        return wrap(~v);
      }
      case "update": {
        const old = this.valueOf(this.read(node.target), node.target.name);
        const updated = wrap(node.op === "++" ? old + 1n : old - 1n);
        this.write(node.target, updated);
        return node.prefix ? updated : old;
      }
      case "binary":
        return this.binary(node.op, node.left, node.right, node.site);
      case "conditional":
        return this.eval(node.test) !== 0n ? this.eval(node.consequent) : this.eval(node.alternate);
      case "assign": {
        const value = this.eval(node.value);
        let result = value;
        if (node.op !== "=") {
          const current = this.valueOf(this.read(node.target), node.target.name);
          result = this.apply(node.op.slice(0, -1), current, value, node.site);
        }
        this.write(node.target, result);
        return result;
      }
    }
  }

  private binary(op: string, left: ArithExpr, right: ArithExpr, site?: ArithErrorSite): bigint {
    if (op === "&&") return truth(this.eval(left) !== 0n && this.eval(right) !== 0n);
    if (op === "||") return truth(this.eval(left) !== 0n || this.eval(right) !== 0n);
    if (op === ",") {
      this.eval(left);
      return this.eval(right);
    }
    const l = this.eval(left);
    return this.apply(op, l, this.eval(right), site);
  }

  private apply(op: string, l: bigint, r: bigint, site?: ArithErrorSite): bigint {
    switch (op) {
      case "+":
        return wrap(l + r);
      case "-":
        return wrap(l - r);
      case "*":
        return wrap(l * r);
      case "/":
        if (r === 0n) throw siteError(site, "division by 0");
        return wrap(l / r);
      case "%":
        if (r === 0n) throw siteError(site, "division by 0");
        return wrap(l % r);
      case "**":
        if (r < 0n) throw siteError(site, "exponent less than 0");
        return power(l, r);
      case "<<":
        return wrap(l << (r & 63n));
      case ">>":
        return l >> (r & 63n);
      case "&":
        return l & r;
      case "|":
        return l | r;
      case "^":
        return l ^ r;
      case "==":
        return truth(l === r);
      case "!=":
        return truth(l !== r);
      case "<":
        return truth(l < r);
      case ">":
        return truth(l > r);
      case "<=":
        return truth(l <= r);
      case ">=":
        return truth(l >= r);
      default:
        throw new ArithError("", `unknown operator ${op}`, null);
    }
  }

  /** Index argument for env.get/set: evaluated number, or the key text for associative arrays. */
  private indexOf(target: ArithVariable): string | undefined {
    const index = target.index;
    if (!index) return undefined;
    if (this.env.isAssociative?.(target.name)) return index.text;
    if (index.text.trim() === "") {
      throw new ArithError(`${target.name}[${index.text}]`, "bad array subscript", null);
    }
    return String(this.eval(index.expr ?? parseArith(index.text)));
  }

  private read(target: ArithVariable): string | undefined {
    const index = this.indexOf(target);
    return index === undefined ? this.env.get(target.name) : this.env.get(target.name, index);
  }

  private write(target: ArithVariable, value: bigint): void {
    const index = this.indexOf(target);
    if (index === undefined) this.env.set(target.name, String(value));
    else this.env.set(target.name, String(value), index);
  }

  /** A variable's string value as a number: empty is 0, anything else is an expression. */
  private valueOf(text: string | undefined, name: string): bigint {
    if (text === undefined) return 0n;
    if (/^-?[1-9][0-9]{0,17}$/.test(text) || text === "0") return BigInt(text);
    if (text.trim() === "") return 0n;
    if (this.depth >= MAX_DEPTH) {
      throw new ArithError(name, "expression recursion level exceeded", name);
    }
    this.depth++;
    try {
      return this.eval(parseArith(text));
    } finally {
      this.depth--;
    }
  }
}

/** Evaluates a parsed expression. Throws ArithError with bash's message. */
export function evaluateArith(node: ArithExpr, env: ArithEnv): bigint {
  return new Evaluator(env).eval(node);
}

/** Parses and evaluates expanded expression text (the interpreter's `let`, `$((...))`). */
export function evaluateArithText(text: string, env: ArithEnv): bigint {
  return evaluateArith(parseArith(text), env);
}
