/**
 * bc's compiler (GNU bc 1.07.1 bc.y and util.c): a recursive descent parser that emits the
 * same code strings, at the same moments, as GNU's yacc actions, and runs each complete input
 * line (or function definition) as it is read. Syntax errors recover the way bison does with
 * this grammar: unwind to the innermost statement list, drop tokens until a statement can
 * start (or, at top level, the end of the line), and stay quiet until three tokens have been
 * shifted.
 */
import type { BcLexer, Token } from "./bc-lexer.ts";
import { type BcArg, BcExit, type BcMachine } from "./bc-machine.ts";

const EX_ASSGN = 0;
const EX_REG = 1;
const EX_COMP = 2;
const EX_PAREN = 4;
const EX_VOID = 8;
const EX_EMPTY = 16;

/** A syntax error unwinding to the enclosing statement list. */
class SyntaxErr extends Error {}
/** bison's YYABORT: end of input while recovering. */
class ParseAbort extends Error {}

interface IdRec {
  v: number;
  a: number;
  f: number;
}

type TopState = "start" | "done" | "semi" | "errProgram" | "errSemi";
type ListState = "start" | "done" | "semi" | "err";

const BINARY: Record<string, [number, boolean]> = {
  // operator → [precedence, right associative]
  OR: [1, false],
  AND: [2, false],
  REL: [4, false],
  "+": [6, false],
  "-": [6, false],
  "*": [7, false],
  "/": [7, false],
  "%": [7, false],
  "^": [8, true],
};

export interface CompilerHooks {
  /** Writes to stderr. */
  err(text: string): void;
  /** Writes raw text to stdout (limits, warranty). */
  print(text: string): void;
  /** Current input name for messages, or undefined on stdin. */
  fileName(): string | undefined;
}

export class BcCompiler {
  readonly lex: BcLexer;
  readonly m: BcMachine;
  readonly hooks: CompilerHooks;
  useMath = false;
  /** Warnings off (compiling the math library). */
  quietWarnings = false;

  #tok: Token | null = null;
  #errStatus = 0;
  #didGen = false;
  #curFunc = -1;
  #breakLabel = 0;
  #continueLabel = 0;
  #ifLabel = 0;
  #nextLabel = 1;
  #names = new Map<string, IdRec>();
  #nextVar = 5;
  #nextArray = 1;
  #nextFunc = 1;

  constructor(lex: BcLexer, machine: BcMachine, hooks: CompilerHooks) {
    this.lex = lex;
    this.m = machine;
    this.hooks = hooks;
    this.initGen();
  }

  /** Forgets variable and array names (after compiling the math library). */
  resetVariableNames(): void {
    for (const rec of this.#names.values()) {
      rec.v = 0;
      rec.a = 0;
    }
    this.#nextVar = 5;
    this.#nextArray = 1;
  }

  // ---- messages -----------------------------------------------------------------------------

  yyerror(message: string): void {
    const name = this.hooks.fileName() ?? "(standard_in)";
    this.hooks.err(`${name} ${this.lex.lineNo}: ${message}\n`);
    this.m.hadError = true;
  }

  ctWarn(message: string): void {
    if (this.quietWarnings) return;
    const name = this.hooks.fileName() ?? "(standard_in)";
    if (this.m.stdOnly) {
      this.hooks.err(`${name} ${this.lex.lineNo}: Error: ${message}\n`);
      this.m.hadError = true;
    } else if (this.m.warnNotStd) {
      this.hooks.err(`${name} ${this.lex.lineNo}: (Warning) ${message}\n`);
    }
  }

  // ---- code generation ----------------------------------------------------------------------

  initGen(): void {
    this.#breakLabel = 0;
    this.#continueLabel = 0;
    this.#nextLabel = 1;
    this.m.initLoad();
    this.m.hadError = false;
    this.#didGen = false;
  }

  gen(code: string): void {
    this.#didGen = true;
    this.m.load(code);
  }

  async runCode(): Promise<void> {
    if (!this.m.hadError && this.#didGen) await this.m.execute();
    if (this.#didGen) this.initGen();
    else this.m.hadError = false;
  }

  lookup(name: string, kind: "SIMPLE" | "ARRAY" | "FUNCT" | "FUNCTDEF"): number {
    if (name.length !== 1) this.ctWarn(`multiple letter name - ${name}`);
    let id = this.#names.get(name);
    if (id === undefined) {
      id = { v: 0, a: 0, f: 0 };
      this.#names.set(name, id);
    }
    switch (kind) {
      case "ARRAY":
        if (id.a === 0) {
          id.a = this.#nextArray++;
          this.m.aNames[id.a] = name;
        }
        return -id.a;
      case "FUNCT":
      case "FUNCTDEF":
        if (id.f !== 0) {
          if (this.useMath && kind === "FUNCTDEF" && id.f <= 6) {
            id.f = this.#nextFunc++;
            this.m.fn(id.f).name = name;
          }
          return id.f;
        }
        id.f = this.#nextFunc++;
        this.m.fn(id.f).name = name;
        return id.f;
      default:
        if (id.v === 0) {
          id.v = this.#nextVar++;
          this.m.vNames[id.v] = name;
        }
        return id.v;
    }
  }

  // ---- tokens -------------------------------------------------------------------------------

  async peek(): Promise<Token> {
    if (this.#tok === null) this.#tok = await this.lex.next();
    return this.#tok;
  }

  /** Shifts the lookahead. */
  async shift(): Promise<Token> {
    const t = await this.peek();
    this.#tok = null;
    if (this.#errStatus > 0) this.#errStatus--;
    return t;
  }

  #is(t: Token, kind: string, text?: string): boolean {
    if (kind === "CHAR" || kind === "KEYWORD") return t.kind === kind && t.text === text;
    return t.kind === kind;
  }

  async #expectChar(ch: string): Promise<void> {
    const t = await this.peek();
    if (!this.#is(t, "CHAR", ch)) throw new SyntaxErr();
    await this.shift();
  }

  /** FIRST(statement). */
  startsStatement(t: Token): boolean {
    switch (t.kind) {
      case "NAME":
      case "NUMBER":
      case "STRING":
      case "NOT":
      case "INCR_DECR":
        return true;
      case "CHAR":
        return t.text === "(" || t.text === "-" || t.text === "{";
      case "KEYWORD":
        return !["define", "auto", "else", "void"].includes(t.text);
      default:
        return false;
    }
  }

  // ---- syntax errors ------------------------------------------------------------------------

  /** Reports (unless recovering) and drops an unshiftable token already in recovery. */
  async #syntaxError(): Promise<void> {
    const t = await this.peek();
    if (this.#errStatus === 0) this.yyerror("syntax error");
    else if (this.#errStatus === 3) {
      if (t.kind === "EOF") throw new ParseAbort();
      this.#tok = null;
    }
    this.#errStatus = 3;
  }

  /**
   * In the state after the error token: skip what cannot follow it. Returns "line" when the
   * top level took "error ENDOFLINE", else "statement" (an error statement follows).
   */
  async #recover(topLevel: boolean): Promise<"line" | "statement"> {
    for (;;) {
      const t = await this.peek();
      if (topLevel && t.kind === "ENDOFLINE") {
        await this.shift();
        this.#errStatus = 0;
        this.initGen();
        return "line";
      }
      if (this.startsStatement(t)) return "statement";
      if (t.kind === "EOF") throw new ParseAbort();
      this.#tok = null;
    }
  }

  // ---- program ------------------------------------------------------------------------------

  /** Parses and runs everything (yyparse). */
  async parseProgram(): Promise<void> {
    this.#tok = null;
    this.#errStatus = 0;
    try {
      await this.#program();
    } catch (err) {
      if (!(err instanceof ParseAbort)) throw err;
    }
  }

  async #program(): Promise<void> {
    let state: TopState = "start";
    for (;;) {
      // Where an error in the current construct unwinds to: the program start, or the
      // state after a ';' (which, unlike a finished statement, cannot reduce first).
      let unwindToSemi = false;
      try {
        const t = await this.peek();
        switch (state) {
          case "start":
          case "errProgram":
          case "errSemi": {
            if (state !== "start") {
              unwindToSemi = state === "errSemi";
              await this.#statement();
              state = "done";
              break;
            }
            if (t.kind === "EOF") return;
            if (this.#is(t, "KEYWORD", "define")) {
              await this.#function();
              await this.runCode();
              break;
            }
            if (this.startsStatement(t)) {
              await this.#statement();
              state = "done";
            } else if (this.#is(t, "CHAR", ";")) {
              await this.shift();
              state = "semi";
            } else if (t.kind === "ENDOFLINE") {
              await this.shift();
              await this.runCode();
            } else throw new SyntaxErr();
            break;
          }
          case "semi":
            unwindToSemi = true;
            if (this.startsStatement(t)) {
              await this.#statement();
              state = "done";
            } else if (this.#is(t, "CHAR", ";")) {
              await this.shift();
            } else if (t.kind === "ENDOFLINE") {
              await this.shift();
              await this.runCode();
              state = "start";
            } else throw new SyntaxErr();
            break;
          case "done":
            if (this.#is(t, "CHAR", ";")) {
              await this.shift();
              state = "semi";
            } else if (t.kind === "ENDOFLINE") {
              await this.shift();
              await this.runCode();
              state = "start";
            } else throw new SyntaxErr();
            break;
        }
      } catch (err) {
        if (!(err instanceof SyntaxErr)) throw err;
        await this.#syntaxError();
        const topLevel: boolean = !unwindToSemi;
        const r = await this.#recover(topLevel);
        state = r === "line" ? "start" : topLevel ? "errProgram" : "errSemi";
      }
    }
  }

  /** statement_list up to (not including) the closing '}'. */
  async #statementList(): Promise<void> {
    let state: ListState = "start";
    for (;;) {
      try {
        const t = await this.peek();
        if (state === "err") {
          await this.#statement();
          state = "done";
          continue;
        }
        if (this.#is(t, "CHAR", "}")) return;
        if (t.kind === "ENDOFLINE") {
          await this.shift();
          state = "start";
          continue;
        }
        if (this.#is(t, "CHAR", ";")) {
          await this.shift();
          state = "semi";
          continue;
        }
        if (state !== "done" && this.startsStatement(t)) {
          await this.#statement();
          state = "done";
          continue;
        }
        throw new SyntaxErr();
      } catch (err) {
        if (!(err instanceof SyntaxErr)) throw err;
        await this.#syntaxError();
        await this.#recover(false);
        state = "err";
      }
    }
  }

  // ---- statements ---------------------------------------------------------------------------

  async #optNewline(): Promise<void> {
    const t = await this.peek();
    if (t.kind === "ENDOFLINE") {
      await this.shift();
      this.ctWarn("newline not allowed");
    }
  }

  async #statement(): Promise<void> {
    const t = await this.peek();
    if (t.kind === "STRING") {
      await this.shift();
      this.gen("w");
      this.gen(t.text);
      return;
    }
    if (this.#is(t, "CHAR", "{")) {
      await this.shift();
      await this.#statementList();
      await this.shift(); // '}'
      return;
    }
    if (t.kind === "KEYWORD") {
      switch (t.text) {
        case "warranty":
          await this.shift();
          this.hooks.print(WARRANTY);
          return;
        case "limits":
          await this.shift();
          this.hooks.print(LIMITS);
          return;
        case "break":
          await this.shift();
          if (this.#breakLabel === 0) this.yyerror("Break outside a for/while");
          else this.gen(`J${this.#breakLabel}:`);
          return;
        case "continue":
          await this.shift();
          this.ctWarn("Continue statement");
          if (this.#continueLabel === 0) this.yyerror("Continue outside a for");
          else this.gen(`J${this.#continueLabel}:`);
          return;
        case "quit":
          await this.shift();
          throw new BcExit(0);
        case "halt":
          await this.shift();
          this.gen("h");
          return;
        case "return":
          await this.shift();
          await this.#returnExpression();
          this.gen("R");
          return;
        case "for":
          return this.#for();
        case "if":
          return this.#if();
        case "while":
          return this.#while();
        case "print":
          await this.shift();
          this.ctWarn("print statement");
          for (;;) {
            const e = await this.peek();
            if (e.kind === "STRING") {
              await this.shift();
              this.gen("O");
              this.gen(e.text);
            } else {
              const f = await this.#expression();
              if (f & EX_VOID) this.yyerror("void expression in print");
              this.gen("P");
            }
            if (!this.#is(await this.peek(), "CHAR", ",")) return;
            await this.shift();
          }
      }
    }
    const flags = await this.#expression();
    if (flags & EX_COMP) this.ctWarn("comparison in expression");
    this.gen(flags & EX_REG ? "W" : "p");
  }

  async #returnExpression(): Promise<void> {
    const t = await this.peek();
    if (!this.#startsExpression(t)) {
      this.gen("0");
      if (this.#curFunc === -1) this.yyerror("Return outside of a function.");
      return;
    }
    const f = await this.#expression();
    if (f & EX_COMP) this.ctWarn("comparison in return expresion");
    if (!(f & EX_PAREN)) this.ctWarn("return expression requires parenthesis");
    if (f & EX_VOID) this.yyerror("return requires non-void expression");
    if (this.#curFunc === -1) this.yyerror("Return outside of a function.");
    else if (this.m.fn(this.#curFunc).isVoid) this.yyerror("Return expression in a void function.");
  }

  async #optExpression(): Promise<number> {
    const t = await this.peek();
    if (!this.#startsExpression(t)) {
      this.ctWarn("Missing expression in for statement");
      return EX_EMPTY;
    }
    return this.#expression();
  }

  async #for(): Promise<void> {
    await this.shift();
    const saveBreak = this.#breakLabel;
    this.#breakLabel = this.#nextLabel++;
    await this.#expectChar("(");
    const f1 = await this.#optExpression();
    await this.#expectChar(";");
    if (f1 & EX_COMP) this.ctWarn("Comparison in first for expression");
    if (f1 & EX_VOID) this.yyerror("first expression is void");
    if (!(f1 & EX_EMPTY)) this.gen("p");
    const l4 = this.#nextLabel++;
    this.gen(`N${l4}:`);
    const f2 = await this.#optExpression();
    await this.#expectChar(";");
    if (f2 & EX_VOID) this.yyerror("second expression is void");
    if (f2 & EX_EMPTY) this.gen("1");
    const l7 = this.#nextLabel++;
    this.gen(`B${l7}:J${this.#breakLabel}:`);
    const saveContinue = this.#continueLabel;
    this.#continueLabel = this.#nextLabel++;
    this.gen(`N${this.#continueLabel}:`);
    const f3 = await this.#optExpression();
    await this.#expectChar(")");
    if (f3 & EX_COMP) this.ctWarn("Comparison in third for expression");
    if (f3 & EX_VOID) this.yyerror("third expression is void");
    if (f3 & EX_EMPTY) this.gen(`J${l4}:N${l7}:`);
    else this.gen(`pJ${l4}:N${l7}:`);
    await this.#optNewline();
    await this.#statementOrFail();
    this.gen(`J${this.#continueLabel}:N${this.#breakLabel}:`);
    this.#breakLabel = saveBreak;
    this.#continueLabel = saveContinue;
  }

  /** A statement where one is required (if/while/for bodies). */
  async #statementOrFail(): Promise<void> {
    if (!this.startsStatement(await this.peek())) throw new SyntaxErr();
    await this.#statement();
  }

  async #if(): Promise<void> {
    await this.shift();
    await this.#expectChar("(");
    const f = await this.#expression();
    await this.#expectChar(")");
    if (f & EX_VOID) this.yyerror("void expression");
    const saveIf = this.#ifLabel;
    this.#ifLabel = this.#nextLabel++;
    this.gen(`Z${this.#ifLabel}:`);
    await this.#optNewline();
    await this.#statementOrFail();
    if (this.#is(await this.peek(), "KEYWORD", "else")) {
      await this.shift();
      this.ctWarn("else clause in if statement");
      const l = this.#nextLabel++;
      this.gen(`J${l}:N${this.#ifLabel}:`);
      this.#ifLabel = l;
      await this.#optNewline();
      await this.#statementOrFail();
    }
    this.gen(`N${this.#ifLabel}:`);
    this.#ifLabel = saveIf;
  }

  async #while(): Promise<void> {
    await this.shift();
    const saveContinue = this.#continueLabel;
    this.#continueLabel = this.#nextLabel++;
    this.gen(`N${this.#continueLabel}:`);
    await this.#expectChar("(");
    const f = await this.#expression();
    if (f & EX_VOID) this.yyerror("void expression");
    const saveBreak = this.#breakLabel;
    this.#breakLabel = this.#nextLabel++;
    this.gen(`Z${this.#breakLabel}:`);
    await this.#expectChar(")");
    await this.#optNewline();
    await this.#statementOrFail();
    this.gen(`J${this.#continueLabel}:N${this.#breakLabel}:`);
    this.#breakLabel = saveBreak;
    this.#continueLabel = saveContinue;
  }

  // ---- functions ----------------------------------------------------------------------------

  async #defineList(): Promise<BcArg[]> {
    const list: BcArg[] = [];
    for (;;) {
      let t = await this.peek();
      let byRef = false;
      if (this.#is(t, "CHAR", "*") || this.#is(t, "CHAR", "&")) {
        await this.shift();
        byRef = true;
        t = await this.peek();
      }
      if (t.kind !== "NAME") throw new SyntaxErr();
      await this.shift();
      if (byRef || this.#is(await this.peek(), "CHAR", "[")) {
        await this.#expectChar("[");
        await this.#expectChar("]");
        list.push({ name: this.lookup(t.text, "ARRAY"), isVar: byRef });
        if (byRef) this.ctWarn("Call by variable arrays");
      } else {
        list.push({ name: this.lookup(t.text, "SIMPLE"), isVar: false });
      }
      if (!this.#is(await this.peek(), "CHAR", ",")) return list;
      await this.shift();
    }
  }

  #checkParams(params: BcArg[], autos: BcArg[]): void {
    // GNU walks its lists last-declared first.
    const p = [...params].reverse();
    const a = [...autos].reverse();
    for (let i = 0; i < p.length; i++) {
      for (let j = i + 1; j < p.length; j++) {
        if (Math.abs(p[j].name) === Math.abs(p[i].name)) this.yyerror("duplicate parameter names");
      }
      if (p[i].isVar) this.ctWarn("Variable array parameter");
    }
    for (let i = 0; i < a.length; i++) {
      for (let j = i + 1; j < a.length; j++) {
        if (Math.abs(a[j].name) === Math.abs(a[i].name)) {
          this.yyerror("duplicate auto variable names");
        }
      }
      if (a[i].isVar) this.yyerror("* not allowed here");
    }
    for (const x of p) {
      for (const y of a) {
        if (Math.abs(y.name) === Math.abs(x.name)) {
          this.yyerror("variables in both parameters and auto lists");
        }
      }
    }
  }

  async #function(): Promise<void> {
    await this.shift(); // define
    let isVoid = false;
    if (this.#is(await this.peek(), "KEYWORD", "void")) {
      await this.shift();
      isVoid = true;
      this.ctWarn("void functions");
    }
    const nameTok = await this.peek();
    if (nameTok.kind !== "NAME") throw new SyntaxErr();
    await this.shift();
    await this.#expectChar("(");
    let params: BcArg[] = [];
    if (!this.#is(await this.peek(), "CHAR", ")")) params = await this.#defineList();
    await this.#expectChar(")");
    await this.#optNewline();
    await this.#expectChar("{");
    let t = await this.peek();
    if (t.kind !== "ENDOFLINE") this.ctWarn("End of line required");
    let eols = 0;
    while (t.kind === "ENDOFLINE") {
      await this.shift();
      if (++eols > 1) this.ctWarn("Too many end of lines");
      t = await this.peek();
    }
    let autos: BcArg[] = [];
    if (this.#is(t, "KEYWORD", "auto")) {
      await this.shift();
      autos = await this.#defineList();
      const end = await this.peek();
      if (end.kind !== "ENDOFLINE" && !this.#is(end, "CHAR", ";")) throw new SyntaxErr();
      await this.shift();
    }
    this.#checkParams(params, autos);
    this.#curFunc = this.lookup(nameTok.text, "FUNCTDEF");
    this.#didGen = true;
    this.m.beginFunction(this.#curFunc, params, autos);
    this.m.fn(this.#curFunc).isVoid = isVoid;
    const saveLabel = this.#nextLabel;
    this.#nextLabel = 1;
    await this.#statementList();
    await this.shift(); // '}'
    this.gen("0R]");
    this.#nextLabel = saveLabel;
    this.#curFunc = -1;
  }

  // ---- expressions --------------------------------------------------------------------------

  #startsExpression(t: Token): boolean {
    switch (t.kind) {
      case "NAME":
      case "NUMBER":
      case "NOT":
      case "INCR_DECR":
        return true;
      case "CHAR":
        return t.text === "(" || t.text === "-";
      case "KEYWORD":
        return [
          "length",
          "sqrt",
          "scale",
          "read",
          "random",
          "ibase",
          "obase",
          "history",
          "last",
        ].includes(t.text);
      default:
        return false;
    }
  }

  #binaryOp(t: Token): string | undefined {
    if (t.kind === "OR" || t.kind === "AND") return t.kind;
    if (t.kind === "REL_OP") return "REL";
    if (t.kind === "CHAR" && t.text in BINARY) return t.text;
    return undefined;
  }

  /** An expression of operators binding at least `minPrec`; `first` is an operand already parsed. */
  async #expression(minPrec = 1, first?: number): Promise<number> {
    let left = first ?? (await this.#unary());
    for (;;) {
      const t = await this.peek();
      const op = this.#binaryOp(t);
      if (op === undefined) return left;
      const [prec, right] = BINARY[op];
      if (prec < minPrec) return left;
      await this.shift();
      if (op === "AND") {
        this.ctWarn("&& operator");
        const l = this.#nextLabel++;
        this.gen(`DZ${l}:p`);
        const r = await this.#expression(prec + 1);
        if (left & EX_VOID || r & EX_VOID) this.yyerror("void expression with &&");
        this.gen(`DZ${l}:p1N${l}:`);
        left = (left | r) & ~EX_PAREN;
      } else if (op === "OR") {
        this.ctWarn("|| operator");
        const l = this.#nextLabel++;
        this.gen(`B${l}:`);
        const r = await this.#expression(prec + 1);
        if (left & EX_VOID || r & EX_VOID) this.yyerror("void expression with ||");
        const tmp = this.#nextLabel++;
        this.gen(`B${l}:0J${tmp}:N${l}:1N${tmp}:`);
        left = (left | r) & ~EX_PAREN;
      } else if (op === "REL") {
        const r = await this.#expression(prec + 1);
        if (left & EX_VOID || r & EX_VOID) this.yyerror("void expression with comparison");
        const code: Record<string, string> = {
          "==": "=",
          "!=": "#",
          "<": "<",
          "<=": "{",
          ">": ">",
          ">=": "}",
        };
        this.gen(code[t.text]);
        left = EX_REG | EX_COMP;
      } else {
        const r = await this.#expression(right ? prec : prec + 1);
        if (left & EX_VOID || r & EX_VOID) this.yyerror(`void expression with ${op}`);
        this.gen(op);
        left = (left | r) & ~EX_PAREN;
      }
    }
  }

  async #unary(): Promise<number> {
    const t = await this.peek();
    if (this.#is(t, "CHAR", "-")) {
      await this.shift();
      const f = await this.#expression(9);
      if (f & EX_VOID) this.yyerror("void expression with unary -");
      this.gen("n");
      return f & ~EX_PAREN;
    }
    if (t.kind === "NOT") {
      await this.shift();
      const f = await this.#expression(4);
      if (f & EX_VOID) this.yyerror("void expression with !");
      this.ctWarn("! operator");
      this.gen("!");
      return f & ~EX_PAREN;
    }
    return this.#primary();
  }

  /** named_expression: a variable id (>= 0; specials 0-4) or -array id, code for the index emitted. */
  async #named(): Promise<number | undefined> {
    const t = await this.peek();
    if (t.kind === "KEYWORD") {
      const special: Record<string, number> = { ibase: 0, obase: 1, scale: 2, history: 3, last: 4 };
      if (!(t.text in special)) return undefined;
      await this.shift();
      if (t.text === "history") this.ctWarn("History variable");
      if (t.text === "last") this.ctWarn("Last variable");
      return special[t.text];
    }
    if (t.kind !== "NAME") return undefined;
    await this.shift();
    if (this.#is(await this.peek(), "CHAR", "[")) {
      await this.shift();
      const f = await this.#expression();
      await this.#expectChar("]");
      if (f & EX_VOID) this.yyerror("void expression as subscript");
      if (f & EX_COMP) this.ctWarn("comparison in subscript");
      return this.lookup(t.text, "ARRAY");
    }
    return this.lookup(t.text, "SIMPLE");
  }

  async #afterNamed(n: number): Promise<number> {
    const t = await this.peek();
    if (t.kind === "ASSIGN_OP") {
      await this.shift();
      if (t.text !== "=") this.gen(n < 0 ? `DL${-n}:` : `l${n}:`);
      const f = await this.#expression(5);
      if (f & EX_ASSGN) this.ctWarn("comparison in assignment");
      if (f & EX_VOID) this.yyerror("Assignment of a void expression");
      if (t.text !== "=") this.gen(t.text);
      this.gen(n < 0 ? `S${-n}:` : `s${n}:`);
      return EX_ASSGN;
    }
    if (t.kind === "INCR_DECR") {
      await this.shift();
      if (n < 0) {
        this.gen(`DL${-n}:x`);
        this.gen(t.text === "+" ? `A${-n}:` : `M${-n}:`);
      } else {
        this.gen(`l${n}:`);
        this.gen(t.text === "+" ? `i${n}:` : `d${n}:`);
      }
      return EX_REG;
    }
    this.gen(n < 0 ? `L${-n}:` : `l${n}:`);
    return EX_REG;
  }

  async #primary(): Promise<number> {
    const t = await this.peek();
    switch (t.kind) {
      case "NUMBER":
        await this.shift();
        if (t.text === "0") this.gen("0");
        else if (t.text === "1") this.gen("1");
        else this.gen(`K${t.text}:`);
        return EX_REG;
      case "INCR_DECR": {
        await this.shift();
        const n = await this.#named();
        if (n === undefined) throw new SyntaxErr();
        if (n < 0) this.gen(t.text === "+" ? `DA${-n}:L${-n}:` : `DM${-n}:L${-n}:`);
        else this.gen(t.text === "+" ? `i${n}:l${n}:` : `d${n}:l${n}:`);
        return EX_REG;
      }
      case "CHAR":
        if (t.text === "(") {
          await this.shift();
          const f = await this.#expression();
          await this.#expectChar(")");
          if (f & EX_VOID) this.yyerror("void expression in parenthesis");
          return f | EX_REG | EX_PAREN;
        }
        throw new SyntaxErr();
      case "NAME": {
        await this.shift();
        const next = await this.peek();
        if (this.#is(next, "CHAR", "(")) return this.#call(t.text);
        // Put the name back: #named reads it again (the lookahead is the token after it).
        return this.#namedFrom(t);
      }
      case "KEYWORD": {
        const builtin: Record<string, string> = { length: "cL", sqrt: "cR", scale: "cS" };
        if (t.text in builtin) {
          await this.shift();
          if (t.text === "scale" && !this.#is(await this.peek(), "CHAR", "(")) {
            return this.#afterNamed(2);
          }
          await this.#expectChar("(");
          const f = await this.#expression();
          await this.#expectChar(")");
          if (f & EX_VOID) this.yyerror(`void expression in ${t.text}()`);
          this.gen(builtin[t.text]);
          return EX_REG;
        }
        if (t.text === "read" || t.text === "random") {
          await this.shift();
          await this.#expectChar("(");
          await this.#expectChar(")");
          this.ctWarn(`${t.text} function`);
          this.gen(t.text === "read" ? "cI" : "cX");
          return EX_REG;
        }
        const n = await this.#named();
        if (n === undefined) throw new SyntaxErr();
        return this.#afterNamed(n);
      }
      default:
        throw new SyntaxErr();
    }
  }

  /** A NAME already shifted, not followed by '(': a variable or an array element. */
  async #namedFrom(t: Token): Promise<number> {
    let n: number;
    if (this.#is(await this.peek(), "CHAR", "[")) {
      await this.shift();
      const f = await this.#expression();
      await this.#expectChar("]");
      if (f & EX_VOID) this.yyerror("void expression as subscript");
      if (f & EX_COMP) this.ctWarn("comparison in subscript");
      n = this.lookup(t.text, "ARRAY");
    } else {
      n = this.lookup(t.text, "SIMPLE");
    }
    return this.#afterNamed(n);
  }

  async #call(name: string): Promise<number> {
    await this.shift(); // '('
    const kinds: string[] = [];
    if (!this.#is(await this.peek(), "CHAR", ")")) {
      for (;;) {
        const t = await this.peek();
        let done = false;
        if (t.kind === "NAME") {
          // NAME '[' ']' passes a whole array; anything else is an expression.
          await this.shift();
          if (this.#is(await this.peek(), "CHAR", "[")) {
            await this.shift();
            if (this.#is(await this.peek(), "CHAR", "]")) {
              await this.shift();
              this.gen(`K${-this.lookup(t.text, "ARRAY")}:`);
              kinds.push("1");
              done = true;
            } else {
              const f = await this.#expression();
              await this.#expectChar("]");
              if (f & EX_VOID) this.yyerror("void expression as subscript");
              if (f & EX_COMP) this.ctWarn("comparison in subscript");
              const n = this.lookup(t.text, "ARRAY");
              const f2 = await this.#expression(1, await this.#afterNamed(n));
              this.#argCheck(f2);
              kinds.push("0");
              done = true;
            }
          } else if (this.#is(await this.peek(), "CHAR", "(")) {
            const f = await this.#expression(1, await this.#call(t.text));
            this.#argCheck(f);
            kinds.push("0");
            done = true;
          } else {
            const n = this.lookup(t.text, "SIMPLE");
            const f = await this.#expression(1, await this.#afterNamed(n));
            this.#argCheck(f);
            kinds.push("0");
            done = true;
          }
        }
        if (!done) {
          const f = await this.#expression();
          this.#argCheck(f);
          kinds.push("0");
        }
        if (!this.#is(await this.peek(), "CHAR", ",")) break;
        await this.shift();
      }
    }
    await this.#expectChar(")");
    const fn = this.lookup(name, "FUNCT");
    const flags = this.m.fn(fn).isVoid ? EX_VOID : EX_REG;
    if (kinds.length > 0) this.gen(`C${fn},${kinds.reverse().join("")}:`);
    else this.gen(`C${fn}:`);
    return flags;
  }

  #argCheck(f: number): void {
    if (f & EX_COMP) this.ctWarn("comparison in argument");
    if (f & EX_VOID) this.yyerror("void argument");
  }
}

const LIMITS = `BC_BASE_MAX     = 2147483647
BC_DIM_MAX      = 16777215
BC_SCALE_MAX    = 2147483647
BC_STRING_MAX   = 2147483647
MAX Exponent    = 9223372036854775807
Number of vars  = 32767
`;

const WARRANTY = `
bc 1.07.1
Copyright 1991-1994, 1997, 1998, 2000, 2004, 2006, 2008, 2012-2017 Free Software Foundation, Inc.

    This program is free software; you can redistribute it and/or modify
    it under the terms of the GNU General Public License as published by
    the Free Software Foundation; either version 3 of the License , or
    (at your option) any later version.

    This program is distributed in the hope that it will be useful,
    but WITHOUT ANY WARRANTY; without even the implied warranty of
    MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
    GNU General Public License for more details.

    You should have received a copy of the GNU General Public License
    along with this program. If not, write to

       The Free Software Foundation, Inc.
       51 Franklin Street, Fifth Floor
       Boston, MA 02110-1335  USA

`;
