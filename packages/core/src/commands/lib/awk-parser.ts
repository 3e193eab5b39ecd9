/**
 * Recursive-descent parser for awk, producing the AST the interpreter compiles. Precedence
 * (lowest first): assignment, ?:, ||, &&, in, ~ !~, relational, concatenation (and `| getline`),
 * + -, * / %, unary + - !, ^ **, ++ --, $, grouping — as in gawk's grammar.
 */
import { type AwkSource, AwkSyntaxError, type Token, tokenize } from "./awk-lexer.ts";
import { awkRegex, regexErrorText } from "./awk-regex.ts";

export type Expr =
  | { k: "num"; v: number }
  | { k: "str"; v: string }
  | { k: "regex"; src: string }
  | { k: "var"; name: string }
  | { k: "index"; name: string; subs: Expr[] }
  | { k: "field"; e: Expr }
  | { k: "assign"; op: string; target: Expr; e: Expr }
  | { k: "cond"; c: Expr; a: Expr; b: Expr }
  | { k: "logic"; op: "&&" | "||"; l: Expr; r: Expr }
  | { k: "in"; subs: Expr[]; name: string }
  | { k: "match"; neg: boolean; l: Expr; r: Expr }
  | { k: "bin"; op: string; l: Expr; r: Expr }
  | { k: "unary"; op: string; e: Expr }
  | { k: "incdec"; op: "++" | "--"; prefix: boolean; target: Expr }
  | { k: "call"; name: string; args: Expr[]; pos: number; src: number }
  | { k: "builtin"; name: string; args: Expr[]; paren: boolean }
  | { k: "getline"; mode: "simple" | "file" | "cmd"; target?: Expr; from?: Expr }
  | { k: "group"; e: Expr }
  | { k: "grouping"; list: Expr[] };

export interface Redirect {
  op: ">" | ">>" | "|";
  e: Expr;
}

export type Stmt =
  | { k: "expr"; e: Expr; line: number }
  | { k: "print"; printf: boolean; args: Expr[]; redir?: Redirect; line: number }
  | { k: "if"; c: Expr; then: Stmt; else?: Stmt }
  | { k: "while"; c: Expr; body: Stmt }
  | { k: "do"; body: Stmt; c: Expr }
  | { k: "for"; init?: Stmt; c?: Expr; step?: Stmt; body: Stmt }
  | { k: "forin"; v: Expr; arr: string; body: Stmt }
  | { k: "block"; body: Stmt[] }
  | { k: "next" | "nextfile" | "break" | "continue"; line: number }
  | { k: "exit" | "return"; e?: Expr; line: number }
  | { k: "delete"; name: string; subs?: Expr[]; line: number }
  | { k: "getline-stmt"; e: Expr; line: number };

export type Pattern =
  | { k: "BEGIN" | "END" | "BEGINFILE" | "ENDFILE" | "always" }
  | { k: "expr"; e: Expr }
  | { k: "range"; from: Expr; to: Expr };

export interface Item {
  pattern: Pattern;
  /** Undefined: print $0. */
  action?: Stmt[];
  line: number;
}

export interface FuncDef {
  name: string;
  params: string[];
  body: Stmt[];
}

export interface Program {
  items: Item[];
  funcs: Map<string, FuncDef>;
  sources: AwkSource[];
}

const ASSIGN_OPS = new Set(["=", "+=", "-=", "*=", "/=", "%=", "^=", "**="]);
const REL_OPS = new Set(["<", "<=", "==", "!=", ">", ">="]);
/** Tokens that can start a concatenated operand. */
const CONCAT_START = new Set([
  "NUMBER",
  "STRING",
  "ERE",
  "NAME",
  "FUNC_NAME",
  "BUILTIN",
  "$",
  "(",
  "!",
  "++",
  "--",
  "-",
  "+",
]);

/** Argument counts of builtins, checked at parse time as gawk does. */
const ARITY: Record<string, [number, number]> = {
  length: [0, 1],
  substr: [2, 3],
  index: [2, 2],
  split: [2, 4],
  sub: [2, 3],
  gsub: [2, 3],
  match: [2, 3],
  sprintf: [1, 1000],
  sin: [1, 1],
  cos: [1, 1],
  exp: [1, 1],
  log: [1, 1],
  sqrt: [1, 1],
  int: [1, 1],
  atan2: [2, 2],
  rand: [0, 0],
  srand: [0, 1],
  tolower: [1, 1],
  toupper: [1, 1],
  system: [1, 1],
  close: [1, 2],
  fflush: [0, 1],
  gensub: [3, 4],
  strftime: [0, 3],
  systime: [0, 0],
  mktime: [1, 2],
  lshift: [2, 2],
  rshift: [2, 2],
  compl: [1, 1],
  asort: [1, 3],
  asorti: [1, 3],
  isarray: [1, 1],
  typeof: [1, 2],
  strtonum: [1, 1],
};

function isLvalue(e: Expr): boolean {
  return e.k === "var" || e.k === "index" || e.k === "field";
}

class Parser {
  readonly toks: Token[];
  readonly sources: AwkSource[];
  p = 0;
  noGt = false;
  noIn = false;
  /** Inside a print statement's top level: `|` is an output pipe unless followed by getline. */
  inPrint = false;
  funcs = new Map<string, FuncDef>();
  lineStarts: number[][];
  /** The kind of rule being parsed ("BEGIN", "END", ...; "" elsewhere), for `next` checks. */
  ruleKind = "";

  constructor(toks: Token[], sources: AwkSource[]) {
    this.toks = toks;
    this.sources = sources;
    this.lineStarts = sources.map((s) => {
      const starts = [0];
      for (let i = 0; i < s.text.length; i++) if (s.text[i] === "\n") starts.push(i + 1);
      return starts;
    });
  }

  get tok(): Token {
    return this.toks[this.p];
  }

  peek(k = 1): Token {
    return this.toks[Math.min(this.p + k, this.toks.length - 1)];
  }

  lineOf(t: Token): number {
    const starts = this.lineStarts[t.src] ?? [0];
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= t.pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  error(t: Token = this.tok): never {
    if (t.t === "EOF" || t.t === "NEWLINE") {
      throw new AwkSyntaxError("unexpected newline or end of string", t.src, t.pos);
    }
    throw new AwkSyntaxError("syntax error", t.src, t.pos);
  }

  is(t: string): boolean {
    return this.tok.t === t;
  }

  accept(t: string): boolean {
    if (this.tok.t === t) {
      this.p++;
      return true;
    }
    return false;
  }

  expect(t: string): Token {
    if (this.tok.t !== t) this.error();
    return this.toks[this.p++];
  }

  skipNl(): void {
    while (this.tok.t === "NEWLINE") this.p++;
  }

  skipTerms(): void {
    while (this.tok.t === "NEWLINE" || this.tok.t === ";") this.p++;
  }

  // ---- program ---------------------------------------------------------------------------

  program(): Program {
    const items: Item[] = [];
    this.skipTerms();
    while (!this.is("EOF")) {
      if (this.is("function")) this.funcDef();
      else items.push(this.item());
      this.skipTerms();
    }
    return { items, funcs: this.funcs, sources: this.sources };
  }

  funcDef(): void {
    this.p++;
    const nameTok = this.tok;
    if (nameTok.t !== "NAME" && nameTok.t !== "FUNC_NAME") this.error();
    this.p++;
    const name = nameTok.v;
    if (this.funcs.has(name)) {
      throw new AwkSyntaxError(
        `function \`${name}': can't redefine function`,
        nameTok.src,
        nameTok.pos,
        true,
      );
    }
    this.expect("(");
    const params: string[] = [];
    this.skipNl();
    while (!this.is(")")) {
      const t = this.expect("NAME");
      params.push(t.v);
      this.skipNl();
      if (!this.accept(",")) break;
      this.skipNl();
    }
    this.expect(")");
    this.skipNl();
    const body = this.block();
    this.funcs.set(name, { name, params, body });
  }

  item(): Item {
    const t = this.tok;
    const line = this.lineOf(t);
    if (t.t === "BEGIN" || t.t === "END" || t.t === "BEGINFILE" || t.t === "ENDFILE") {
      this.p++;
      if (!this.is("{")) {
        throw new AwkSyntaxError(`${t.t} blocks must have an action part`, t.src, t.pos, true);
      }
      this.ruleKind = t.t;
      try {
        return { pattern: { k: t.t }, action: this.block(), line };
      } finally {
        this.ruleKind = "";
      }
    }
    if (t.t === "{") return { pattern: { k: "always" }, action: this.block(), line };
    const from = this.expr();
    let pattern: Pattern = { k: "expr", e: from };
    if (this.accept(",")) {
      this.skipNl();
      pattern = { k: "range", from, to: this.expr() };
    }
    if (this.is("{")) return { pattern, action: this.block(), line };
    if (!this.is("NEWLINE") && !this.is(";") && !this.is("EOF")) this.error();
    return { pattern, line };
  }

  block(): Stmt[] {
    this.expect("{");
    const body: Stmt[] = [];
    this.skipTerms();
    while (!this.is("}")) {
      if (this.is("EOF")) this.error();
      body.push(this.statement());
      this.skipTerms();
    }
    this.p++;
    return body;
  }

  /** Ends a simple statement: `;`, newline, or before `}` / EOF. */
  endSimple(): void {
    if (this.accept(";") || this.accept("NEWLINE")) return;
    if (this.is("}") || this.is("EOF")) return;
    this.error();
  }

  bodyStatement(): Stmt {
    this.skipNl();
    if (this.accept(";")) return { k: "block", body: [] };
    return this.statement();
  }

  statement(): Stmt {
    const t = this.tok;
    switch (t.t) {
      case "{":
        return { k: "block", body: this.block() };
      case "if": {
        this.p++;
        this.expect("(");
        const c = this.expr();
        this.expect(")");
        const then = this.bodyStatement();
        const save = this.p;
        this.skipTerms();
        if (this.accept("else")) {
          return { k: "if", c, then, else: this.bodyStatement() };
        }
        this.p = save;
        return { k: "if", c, then };
      }
      case "while": {
        this.p++;
        this.expect("(");
        const c = this.expr();
        this.expect(")");
        if (this.is(";")) {
          this.p++;
          return { k: "while", c, body: { k: "block", body: [] } };
        }
        return { k: "while", c, body: this.bodyStatement() };
      }
      case "do": {
        this.p++;
        const body = this.bodyStatement();
        this.skipTerms();
        this.expect("while");
        this.expect("(");
        const c = this.expr();
        this.expect(")");
        this.endSimple();
        return { k: "do", body, c };
      }
      case "for":
        return this.forStatement();
      case ";":
        this.p++;
        return { k: "block", body: [] };
      default: {
        const s = this.simpleStatement();
        this.endSimple();
        return s;
      }
    }
  }

  forStatement(): Stmt {
    this.p++;
    this.expect("(");
    // for (var in array)
    if (
      this.is("NAME") &&
      this.peek().t === "in" &&
      this.peek(2).t === "NAME" &&
      this.peek(3).t === ")"
    ) {
      const v: Expr = { k: "var", name: this.tok.v };
      const arr = this.peek(2).v;
      this.p += 4;
      return { k: "forin", v, arr, body: this.bodyStatement() };
    }
    if (this.is("(") && this.isParenForIn()) {
      this.p++;
      const v: Expr = { k: "var", name: this.tok.v };
      const arr = this.peek(2).v;
      this.p += 4;
      this.expect(")");
      return { k: "forin", v, arr, body: this.bodyStatement() };
    }
    const init = this.is(";") ? undefined : this.simpleStatement();
    this.expect(";");
    this.skipNl();
    const c = this.is(";") ? undefined : this.expr();
    this.expect(";");
    this.skipNl();
    const step = this.is(")") ? undefined : this.simpleStatement();
    this.expect(")");
    if (this.is(";")) {
      this.p++;
      return { k: "for", init, c, step, body: { k: "block", body: [] } };
    }
    return { k: "for", init, c, step, body: this.bodyStatement() };
  }

  isParenForIn(): boolean {
    return (
      this.peek().t === "NAME" &&
      this.peek(2).t === "in" &&
      this.peek(3).t === "NAME" &&
      this.peek(4).t === ")" &&
      this.peek(5).t === ")"
    );
  }

  simpleStatement(): Stmt {
    const t = this.tok;
    const line = this.lineOf(t);
    switch (t.t) {
      case "print":
      case "printf":
        return this.printStatement();
      case "next":
      case "nextfile":
        if (this.ruleKind !== "") {
          throw new AwkSyntaxError(
            `error: \`${t.t}' used in ${this.ruleKind} action`,
            t.src,
            t.pos,
            true,
          );
        }
        this.p++;
        return { k: t.t, line };
      case "break":
      case "continue":
        this.p++;
        return { k: t.t, line };
      case "exit":
      case "return": {
        this.p++;
        if (this.is(";") || this.is("NEWLINE") || this.is("}") || this.is("EOF")) {
          return { k: t.t, line };
        }
        return { k: t.t, e: this.expr(), line };
      }
      case "delete": {
        this.p++;
        if (this.accept("(")) {
          const name = this.expect("NAME").v;
          this.expect(")");
          return { k: "delete", name, line };
        }
        const name = this.expect("NAME").v;
        if (this.accept("[")) {
          const subs = this.exprList("]");
          return { k: "delete", name, subs, line };
        }
        return { k: "delete", name, line };
      }
      default:
        return { k: "expr", e: this.expr(), line };
    }
  }

  printStatement(): Stmt {
    const t = this.toks[this.p++];
    const line = this.lineOf(t);
    const printf = t.t === "printf";
    let args: Expr[] = [];
    const saveGt = this.noGt;
    const savePrint = this.inPrint;
    this.noGt = true;
    this.inPrint = true;
    try {
      if (!this.isPrintEnd()) {
        args.push(this.expr());
        while (this.accept(",")) {
          this.skipNl();
          args.push(this.expr());
        }
      }
    } finally {
      this.noGt = saveGt;
      this.inPrint = savePrint;
    }
    if (args.length === 1 && args[0].k === "grouping") args = args[0].list;
    for (const a of args) if (a.k === "grouping") this.error();
    let redir: Redirect | undefined;
    if (this.is(">") || this.is(">>") || this.is("|")) {
      const op = this.toks[this.p++].t as ">" | ">>" | "|";
      const saveG = this.noGt;
      this.noGt = true;
      const e = this.concat();
      this.noGt = saveG;
      redir = { op, e };
    }
    if (printf && args.length === 0) this.error();
    return { k: "print", printf, args, redir, line };
  }

  isPrintEnd(): boolean {
    const t = this.tok.t;
    return (
      t === ";" ||
      t === "NEWLINE" ||
      t === "}" ||
      t === ">" ||
      t === ">>" ||
      t === "|" ||
      t === "EOF"
    );
  }

  exprList(close: string): Expr[] {
    const list: Expr[] = [];
    const saveGt = this.noGt;
    const saveIn = this.noIn;
    const savePrint = this.inPrint;
    this.noGt = false;
    this.noIn = false;
    this.inPrint = false;
    // As in gawk, a newline is allowed after a comma (the lexer drops it), not elsewhere.
    if (!this.is(close)) {
      list.push(this.expr());
      while (this.accept(",")) {
        this.skipNl();
        list.push(this.expr());
      }
    }
    this.expect(close);
    this.noGt = saveGt;
    this.noIn = saveIn;
    this.inPrint = savePrint;
    return list;
  }

  // ---- expressions -----------------------------------------------------------------------

  expr(): Expr {
    const lhs = this.ternary();
    const t = this.tok.t;
    if (ASSIGN_OPS.has(t) && isLvalue(lhs)) {
      this.p++;
      this.skipNl();
      const e = this.expr();
      return { k: "assign", op: t === "**=" ? "^=" : t, target: lhs, e };
    }
    // `/=` lexed where a regex was meant cannot happen after an lvalue; nothing else to do.
    return lhs;
  }

  ternary(): Expr {
    const c = this.or();
    if (this.accept("?")) {
      this.skipNl();
      const a = this.expr();
      this.skipNl();
      this.expect(":");
      this.skipNl();
      const b = this.expr();
      return { k: "cond", c, a, b };
    }
    return c;
  }

  or(): Expr {
    let l = this.and();
    while (this.accept("||")) {
      this.skipNl();
      l = { k: "logic", op: "||", l, r: this.and() };
    }
    return l;
  }

  and(): Expr {
    let l = this.inExpr();
    while (this.accept("&&")) {
      this.skipNl();
      l = { k: "logic", op: "&&", l, r: this.inExpr() };
    }
    return l;
  }

  inExpr(): Expr {
    let l = this.matchExpr();
    while (!this.noIn && this.is("in")) {
      this.p++;
      const name = this.expect("NAME").v;
      l = { k: "in", subs: l.k === "grouping" ? l.list : [l], name };
    }
    return l;
  }

  matchExpr(): Expr {
    let l = this.rel();
    while (this.is("~") || this.is("!~")) {
      const neg = this.toks[this.p++].t === "!~";
      l = { k: "match", neg, l, r: this.rel() };
    }
    return l;
  }

  rel(): Expr {
    const l = this.concat();
    const t = this.tok.t;
    if (REL_OPS.has(t) && !(t === ">" && this.noGt)) {
      this.p++;
      return { k: "bin", op: t, l, r: this.concat() };
    }
    return l;
  }

  concat(): Expr {
    let l = this.additive();
    for (;;) {
      const t = this.tok.t;
      if (t === "|" && this.peek().t === "getline") {
        this.p += 2;
        const target = this.optLvalue();
        l = { k: "getline", mode: "cmd", from: l, target };
        continue;
      }
      if (!CONCAT_START.has(t) || t === "-" || t === "+") break;
      if (t === "in") break;
      l = { k: "bin", op: "concat", l, r: this.additive() };
    }
    return l;
  }

  additive(): Expr {
    let l = this.mul();
    while (this.is("+") || this.is("-")) {
      const op = this.toks[this.p++].t;
      l = { k: "bin", op, l, r: this.mul() };
    }
    return l;
  }

  mul(): Expr {
    let l = this.unary();
    while (this.is("*") || this.is("/") || this.is("%")) {
      const op = this.toks[this.p++].t;
      l = { k: "bin", op, l, r: this.unary() };
    }
    return l;
  }

  unary(): Expr {
    const t = this.tok.t;
    if (t === "!" || t === "-" || t === "+") {
      this.p++;
      return { k: "unary", op: t, e: this.unary() };
    }
    return this.pow();
  }

  pow(): Expr {
    const base = this.postfix();
    if (this.is("^") || this.is("**")) {
      this.p++;
      // Right associative; the exponent may carry a unary sign.
      const t = this.tok.t;
      let e: Expr;
      if (t === "-" || t === "+" || t === "!") {
        this.p++;
        e = { k: "unary", op: t, e: this.powOperand() };
      } else e = this.powOperand();
      return { k: "bin", op: "^", l: base, r: e };
    }
    return base;
  }

  powOperand(): Expr {
    return this.pow();
  }

  postfix(): Expr {
    const e = this.primary();
    if (isLvalue(e) && (this.is("++") || this.is("--"))) {
      const op = this.toks[this.p++].t as "++" | "--";
      return { k: "incdec", op, prefix: false, target: e };
    }
    return e;
  }

  optLvalue(): Expr | undefined {
    const t = this.tok.t;
    if (t === "NAME") return this.varRef();
    if (t === "$") {
      this.p++;
      return { k: "field", e: this.fieldOperand() };
    }
    return undefined;
  }

  varRef(): Expr {
    const name = this.toks[this.p++].v;
    if (this.accept("[")) return { k: "index", name, subs: this.exprList("]") };
    return { k: "var", name };
  }

  fieldOperand(): Expr {
    const t = this.tok.t;
    if (t === "++" || t === "--") {
      this.p++;
      const target = this.primary();
      if (!isLvalue(target)) this.error();
      return { k: "incdec", op: t, prefix: true, target };
    }
    if (t === "-" || t === "+" || t === "!") {
      this.p++;
      return { k: "unary", op: t, e: this.fieldOperand() };
    }
    return this.primary();
  }

  primary(): Expr {
    const t = this.tok;
    switch (t.t) {
      case "NUMBER":
        this.p++;
        return { k: "num", v: t.n };
      case "STRING":
        this.p++;
        return { k: "str", v: t.v };
      case "ERE":
        this.p++;
        try {
          awkRegex(t.v);
        } catch (err) {
          throw new AwkSyntaxError(`error: ${regexErrorText(err)}: /${t.v}/`, t.src, t.pos, true);
        }
        return { k: "regex", src: t.v };
      case "$": {
        this.p++;
        return { k: "field", e: this.fieldOperand() };
      }
      case "++":
      case "--": {
        this.p++;
        const target = this.primary();
        if (!isLvalue(target)) this.error();
        return { k: "incdec", op: t.t, prefix: true, target };
      }
      case "-":
      case "+":
      case "!": {
        this.p++;
        return { k: "unary", op: t.t, e: this.unary() };
      }
      case "(": {
        this.p++;
        const list = this.exprList(")");
        if (list.length === 0) this.error(this.toks[this.p - 1]);
        if (list.length > 1) {
          if (!this.is("in") && !this.inPrint) this.error();
          return { k: "grouping", list };
        }
        return { k: "group", e: list[0] };
      }
      case "NAME":
        return this.varRef();
      case "FUNC_NAME": {
        this.p++;
        this.expect("(");
        return { k: "call", name: t.v, args: this.exprList(")"), pos: t.pos, src: t.src };
      }
      case "BUILTIN": {
        this.p++;
        if (this.accept("(")) {
          const args = this.exprList(")");
          const arity = ARITY[t.v];
          if (arity && (args.length < arity[0] || args.length > arity[1])) {
            const close = this.toks[this.p - 1];
            throw new AwkSyntaxError(
              `${args.length} is invalid as number of arguments for ${t.v}`,
              close.src,
              close.pos,
            );
          }
          return { k: "builtin", name: t.v, args, paren: true };
        }
        if (t.v === "length") return { k: "builtin", name: t.v, args: [], paren: false };
        this.error();
        break;
      }
      case "getline": {
        this.p++;
        const target = this.optLvalue();
        if (this.is("<")) {
          this.p++;
          const from = this.getlineFile();
          return { k: "getline", mode: "file", target, from };
        }
        return { k: "getline", mode: "simple", target };
      }
      default:
        this.error();
    }
    this.error();
  }

  /** The file operand of `getline < file`: a non-concatenated expression. */
  getlineFile(): Expr {
    return this.additiveNoConcat();
  }

  additiveNoConcat(): Expr {
    return this.additive();
  }
}

export function parseProgram(
  sources: AwkSource[],
  warn: (src: number, pos: number, message: string) => void,
): Program {
  const toks: Token[] = [];
  sources.forEach((s, idx) => {
    const ts = tokenize(s.text, idx, (pos, m) => warn(idx, pos, m));
    toks.push(...ts);
    toks.push({ t: "NEWLINE", v: "\n", n: 0, pos: s.text.length, src: idx });
  });
  const last = sources.length - 1;
  toks.push({ t: "EOF", v: "", n: 0, pos: sources[last]?.text.length ?? 0, src: last });
  // Drop NEWLINE tokens that follow a token after which newlines are insignificant.
  const parser = new Parser(toks, sources);
  return parser.program();
}

/** 1-based line number and the line's text for an offset in a source. */
export function sourceLine(text: string, pos: number): { line: number; text: string; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      start = i + 1;
    }
  }
  let end = text.indexOf("\n", start);
  if (end < 0) end = text.length;
  return { line, text: text.slice(start, end), col: pos - start };
}
