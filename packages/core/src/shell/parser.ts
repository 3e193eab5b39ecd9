/**
 * Recursive-descent parser for the bash grammar coding agents use, producing the tree in
 * ast.ts. We write our own parser instead of using an npm package for speed and so syntax
 * errors carry bash's exact messages (`syntax error near unexpected token `)'` and friends,
 * checked against bash 5.2).
 *
 * Like `bash -c`, input that does not end in a newline is read as if it did; that is what makes
 * `echo >` fail with "near unexpected token `newline'" and end-of-file errors report the line
 * after the last one.
 */

import type {
  ArithText,
  ArrayElement,
  Assignment,
  CaseCommand,
  CaseItem,
  Command,
  CompoundCommand,
  Coproc,
  FunctionDefinition,
  IfCommand,
  ParseWarning,
  Pipeline,
  Program,
  Redirect,
  RedirectOp,
  SimpleCommand,
  Statement,
  Word,
} from "./ast.ts";
import { parseCondition } from "./cond-parser.ts";
import { Lexer, type Token } from "./lexer.ts";
import { SourceReader } from "./source-reader.ts";
import { ShellSyntaxError, unexpectedEnd, unexpectedToken, unmatched } from "./syntax-error.ts";
import type { AssignShape, ParseHooks } from "./word-lexer.ts";

export { ShellSyntaxError } from "./syntax-error.ts";

export interface ParseOptions {
  /** Recorded on thrown errors (for the interpreter's `file: line N:` prefix). */
  fileName?: string;
}

/** Words that end a command list; in command position they are never a command. */
const LIST_CLOSERS = new Set(["then", "elif", "else", "fi", "do", "done", "esac", "}"]);

/** Reserved words that cannot start a command where a command is expected. */
const NOT_A_COMMAND = new Set([...LIST_CLOSERS, "in", "]]", "!"]);

const REDIRECT_OPS = new Set<string>([
  "<",
  ">",
  ">>",
  ">|",
  "<>",
  "<&",
  ">&",
  "&>",
  "&>>",
  "<<",
  "<<-",
  "<<<",
]);

/** Builtins whose `name=value` arguments are assignments (`local a=(1 2)`). */
const DECLARATION_BUILTINS = new Set(["declare", "typeset", "local", "export", "readonly"]);

/** Words that start a compound command (function bodies, coproc bodies). */
const COMPOUND_STARTERS = new Set(["{", "if", "while", "until", "for", "select", "case", "[["]);

interface Shared {
  warnings: ParseWarning[];
  hooks: ParseHooks;
}

class Parser {
  private readonly lexer: Lexer;
  private readonly shared: Shared;
  private lookahead: Token | null = null;
  /** End offset of the last consumed token. */
  private consumedEnd = 0;

  constructor(reader: SourceReader, shared: Shared) {
    this.shared = shared;
    this.lexer = new Lexer(reader, shared.hooks, shared.warnings);
  }

  // --- token stream ---------------------------------------------------------------------------

  peek(): Token {
    if (this.lookahead === null) this.lookahead = this.lexer.next();
    return this.lookahead;
  }

  next(): Token {
    const tok = this.peek();
    this.lookahead = null;
    this.consumedEnd = tok.end;
    return tok;
  }

  /** True for a word token spelled exactly `text` with no quoting (a reserved-word candidate). */
  isWord(tok: Token, text: string): boolean {
    return tok.kind === "word" && tok.plain === text;
  }

  isOp(tok: Token, text: string): boolean {
    return tok.kind === "op" && tok.text === text;
  }

  skipNewlines(): void {
    while (this.peek().kind === "newline") this.next();
  }

  /** Switches regex lexing for the next token (the right side of `=~`). */
  setRegexMode(on: boolean): void {
    this.lexer.regexMode = on;
  }

  /** The bash error for an unexpected token. */
  fail(tok: Token): never {
    if (tok.kind === "eof") throw unexpectedEnd(tok.line);
    const text = tok.kind === "newline" ? "newline" : tok.text;
    throw unexpectedToken(text, tok.kind === "newline" ? tok.line : tok.endLine);
  }

  private expectWord(text: string): Token {
    const tok = this.peek();
    if (!this.isWord(tok, text)) this.fail(tok);
    return this.next();
  }

  private expectOp(text: string): Token {
    const tok = this.peek();
    if (!this.isOp(tok, text)) this.fail(tok);
    return this.next();
  }

  // --- lists ----------------------------------------------------------------------------------

  parseProgram(): Program {
    const body = this.parseList();
    const tok = this.peek();
    if (tok.kind !== "eof") this.fail(tok);
    return { type: "program", body, warnings: this.shared.warnings };
  }

  /**
   * The commands of the next input line (a complete command through its newline, which may
   * span lines inside a compound command or a here-document), or null at the end of input.
   * Nothing after that newline is read yet, so the line can run before the next is parsed.
   */
  parseLine(): Statement[] | null {
    this.skipNewlines();
    if (this.peek().kind === "eof") return null;
    const statements: Statement[] = [];
    for (;;) {
      const tok = this.peek();
      if (this.endsList(tok)) this.fail(tok);
      const command = this.parseAndOr();
      const sep = this.peek();
      if (this.isOp(sep, ";") || this.isOp(sep, "&")) {
        this.next();
        statements.push({ type: "statement", command, async: sep.text === "&" });
        const after = this.peek();
        if (after.kind === "newline" || after.kind === "eof") return statements;
        continue;
      }
      statements.push({ type: "statement", command, async: false });
      if (sep.kind === "newline" || sep.kind === "eof") return statements;
      this.fail(sep);
    }
  }

  /** A `$(...)` / `<(...)` body through its `)`. */
  parseSubstitution(parentHeredocs: Redirect[]): Program {
    const body = this.parseList();
    const tok = this.next();
    if (tok.kind === "eof") throw unmatched(")", tok.line);
    if (!this.isOp(tok, ")")) this.fail(tok);
    parentHeredocs.push(...this.lexer.pendingHeredocs.splice(0));
    return { type: "program", body, warnings: [] };
  }

  private endsList(tok: Token): boolean {
    if (tok.kind === "eof") return true;
    if (tok.kind === "op")
      return tok.text === ")" || tok.text.startsWith(";;") || tok.text === ";&";
    return tok.kind === "word" && tok.plain != null && LIST_CLOSERS.has(tok.plain);
  }

  /**
   * A command list: and-or lists separated by `;`, `&` or newlines, ending before a closing
   * reserved word, `)`, a case terminator or end of input (the caller checks which).
   */
  private parseList(): Statement[] {
    const statements: Statement[] = [];
    for (;;) {
      this.skipNewlines();
      if (this.endsList(this.peek())) return statements;
      const command = this.parseAndOr();
      const sep = this.peek();
      if (this.isOp(sep, ";") || this.isOp(sep, "&")) {
        this.next();
        statements.push({ type: "statement", command, async: sep.text === "&" });
        continue;
      }
      statements.push({ type: "statement", command, async: false });
      if (sep.kind !== "newline") return statements;
    }
  }

  /** A list that must contain at least one command (bodies of compound commands). */
  private parseNonEmptyList(): Statement[] {
    const list = this.parseList();
    if (list.length === 0) this.fail(this.peek());
    return list;
  }

  private parseAndOr(): Command {
    let left = this.parsePipeline();
    for (;;) {
      const tok = this.peek();
      if (!this.isOp(tok, "&&") && !this.isOp(tok, "||")) return left;
      this.next();
      this.skipNewlines();
      const right = this.parsePipeline();
      left = { type: "andOr", line: left.line, op: tok.text as "&&" | "||", left, right };
    }
  }

  private parsePipeline(): Command {
    const line = this.peek().line;
    let negated = false;
    let time: Pipeline["time"] = null;
    for (;;) {
      const tok = this.peek();
      if (this.isWord(tok, "!")) {
        this.next();
        negated = !negated;
      } else if (this.isWord(tok, "time")) {
        this.next();
        time ??= { posix: false };
        if (this.isWord(this.peek(), "-p")) {
          this.next();
          time.posix = true;
        }
      } else {
        break;
      }
    }
    const after = this.peek();
    if (
      (negated || time) &&
      (after.kind === "newline" || after.kind === "eof" || this.isOp(after, ";"))
    ) {
      return { type: "pipeline", line, commands: [], stderr: [], negated, time };
    }
    const commands = [this.parseCommand()];
    const stderr: boolean[] = [];
    for (;;) {
      const tok = this.peek();
      if (!this.isOp(tok, "|") && !this.isOp(tok, "|&")) break;
      this.next();
      this.skipNewlines();
      stderr.push(tok.text === "|&");
      commands.push(this.parseCommand());
    }
    if (commands.length === 1 && !negated && !time) return commands[0];
    return { type: "pipeline", line, commands, stderr, negated, time };
  }

  // --- commands -------------------------------------------------------------------------------

  private parseCommand(): Command {
    const tok = this.peek();
    if (tok.kind === "eof" || tok.kind === "newline") this.fail(tok);
    if (tok.kind === "op") {
      if (tok.text === "(") return this.withRedirects(this.parseParenCommand());
      if (!REDIRECT_OPS.has(tok.text)) this.fail(tok);
      return this.parseSimpleCommand();
    }
    if (tok.kind === "word" && tok.plain != null) {
      const w = tok.plain;
      if (NOT_A_COMMAND.has(w)) this.fail(tok);
      if (COMPOUND_STARTERS.has(w)) return this.withRedirects(this.parseCompound());
      if (w === "function") return this.parseFunctionKeyword();
      if (w === "coproc") return this.parseCoproc();
    }
    return this.parseSimpleCommand();
  }

  /** `(( expr ))` or `( list )`. */
  private parseParenCommand(): CompoundCommand {
    const tok = this.next();
    if (this.lexer.reader.src[tok.end] === "(") {
      // Re-read from the first `(` to see whether this is `((`...`))` arithmetic.
      this.lexer.reader.reset({ pos: tok.start, line: tok.line });
      const arith = this.lexer.readArithCommand();
      if (arith) return { type: "arith", line: tok.line, arith, redirects: [] };
      this.next();
    }
    const body = this.parseNonEmptyList();
    this.expectOp(")");
    return { type: "subshell", line: tok.line, body, redirects: [] };
  }

  /** A compound command starting with a reserved word (or `(`). */
  private parseCompound(): CompoundCommand {
    const tok = this.peek();
    if (tok.kind === "op" && tok.text === "(") return this.parseParenCommand();
    switch (tok.plain) {
      case "{": {
        this.next();
        const body = this.parseNonEmptyList();
        this.expectWord("}");
        return { type: "braceGroup", line: tok.line, body, redirects: [] };
      }
      case "if":
        return this.parseIf();
      case "while":
      case "until": {
        this.next();
        const condition = this.parseNonEmptyList();
        const body = this.parseDoGroup(false);
        return {
          type: "while",
          line: tok.line,
          until: tok.plain === "until",
          condition,
          body,
          redirects: [],
        };
      }
      case "for":
      case "select":
        return this.parseFor();
      case "case":
        return this.parseCase();
      case "[[": {
        this.next();
        const expr = parseCondition(this);
        return { type: "cond", line: tok.line, expr, redirects: [] };
      }
      default:
        return this.fail(tok);
    }
  }

  private withRedirects<T extends CompoundCommand>(command: T): T {
    for (;;) {
      const redirect = this.tryRedirect();
      if (!redirect) return command;
      command.redirects.push(redirect);
    }
  }

  private parseIf(): IfCommand {
    const line = this.next().line;
    const clauses: IfCommand["clauses"] = [];
    let elseBody: Statement[] | null = null;
    for (;;) {
      const condition = this.parseNonEmptyList();
      this.expectWord("then");
      const body = this.parseNonEmptyList();
      clauses.push({ condition, body });
      const tok = this.peek();
      if (this.isWord(tok, "elif")) {
        this.next();
        continue;
      }
      if (this.isWord(tok, "else")) {
        this.next();
        elseBody = this.parseNonEmptyList();
      }
      this.expectWord("fi");
      return { type: "if", line, clauses, elseBody, redirects: [] };
    }
  }

  /** `do list done`, or `{ list }` where bash allows it (for/select bodies). */
  private parseDoGroup(allowBrace: boolean): Statement[] {
    const tok = this.peek();
    if (allowBrace && this.isWord(tok, "{")) {
      this.next();
      const body = this.parseNonEmptyList();
      this.expectWord("}");
      return body;
    }
    this.expectWord("do");
    const body = this.parseNonEmptyList();
    this.expectWord("done");
    return body;
  }

  private parseFor(): CompoundCommand {
    const keyword = this.next();
    const isSelect = keyword.plain === "select";
    const line = keyword.line;
    const first = this.peek();
    if (!isSelect && this.isOp(first, "(")) {
      this.lexer.reader.reset({ pos: first.start, line: first.line });
      this.lookahead = null;
      const arith = this.lexer.readArithCommand();
      if (!arith) this.fail(this.next());
      const [init, test, update] = splitArithFor(arith.source, first.line, this.lexer);
      if (this.isOp(this.peek(), ";")) this.next();
      this.skipNewlines();
      const body = this.parseDoGroup(true);
      return { type: "arithFor", line, init, test, update, body, redirects: [] };
    }
    const nameTok = this.next();
    if (nameTok.kind !== "word") this.fail(nameTok);
    let words: Word[] | null = null;
    if (this.isOp(this.peek(), ";")) {
      this.next();
      this.skipNewlines();
    } else {
      // `for x { ...; }` is an error in bash: the brace body needs `;`, a newline or `in`.
      const direct = this.peek().kind !== "newline";
      this.skipNewlines();
      const tok = this.peek();
      if (this.isWord(tok, "in")) {
        this.next();
        words = this.parseInList();
        this.skipNewlines();
      } else if (direct && !this.isWord(tok, "do")) {
        this.fail(tok);
      }
    }
    const body = this.parseDoGroup(true);
    const name = nameTok.text;
    return isSelect
      ? { type: "select", line, name, words, body, redirects: [] }
      : { type: "for", line, name, words, body, redirects: [] };
  }

  /** Words after `in` up to `;` or a newline (reserved words are plain words here). */
  private parseInList(): Word[] {
    const words: Word[] = [];
    for (;;) {
      const tok = this.next();
      if (tok.kind === "word") words.push(tok.word!);
      else if (tok.kind === "newline" || this.isOp(tok, ";")) return words;
      else this.fail(tok);
    }
  }

  private parseCase(): CaseCommand {
    const line = this.next().line;
    const wordTok = this.next();
    if (wordTok.kind !== "word") this.fail(wordTok);
    this.skipNewlines();
    this.expectWord("in");
    const items: CaseItem[] = [];
    for (;;) {
      this.skipNewlines();
      let tok = this.peek();
      if (this.isWord(tok, "esac")) {
        this.next();
        return { type: "case", line, word: wordTok.word!, items, redirects: [] };
      }
      const itemLine = tok.line;
      if (this.isOp(tok, "(")) this.next();
      const patterns: Word[] = [];
      for (;;) {
        tok = this.next();
        if (tok.kind !== "word") this.fail(tok);
        patterns.push(tok.word!);
        tok = this.next();
        if (this.isOp(tok, ")")) break;
        if (!this.isOp(tok, "|")) this.fail(tok);
      }
      const body = this.parseList();
      tok = this.peek();
      let terminator: CaseItem["terminator"] = ";;";
      if (this.isOp(tok, ";;") || this.isOp(tok, ";&") || this.isOp(tok, ";;&")) {
        this.next();
        terminator = tok.text as CaseItem["terminator"];
      } else if (!this.isWord(tok, "esac")) {
        this.fail(tok);
      }
      items.push({ line: itemLine, patterns, body, terminator });
    }
  }

  /** `function name [()] compound-command` */
  private parseFunctionKeyword(): FunctionDefinition {
    const keyword = this.next();
    const nameTok = this.next();
    if (nameTok.kind !== "word") this.fail(nameTok);
    // `function f ( cmd )` has a subshell body; only `( )` is the optional empty pair.
    const paren = this.peek();
    if (
      this.isOp(paren, "(") &&
      /^[ \t]*\)/.test(this.lexer.reader.src.slice(paren.end, paren.end + 64))
    ) {
      this.next();
      this.expectOp(")");
    }
    return this.parseFunctionBody(nameTok.text, keyword);
  }

  /** After `name ()`: newlines, then a compound command with optional redirections. */
  private parseFunctionBody(name: string, first: Token): FunctionDefinition {
    this.skipNewlines();
    const tok = this.peek();
    const startsCompound =
      this.isOp(tok, "(") || (tok.kind === "word" && COMPOUND_STARTERS.has(tok.plain ?? ""));
    if (!startsCompound) this.fail(tok);
    const body = this.withRedirects(this.parseCompound());
    const source = this.lexer.reader.slice(first.start, this.consumedEnd);
    return { type: "function", line: first.line, name, body, source };
  }

  private parseCoproc(): Coproc {
    const line = this.next().line;
    const tok = this.peek();
    const isCompoundStart = (t: Token) =>
      this.isOp(t, "(") || (t.kind === "word" && COMPOUND_STARTERS.has(t.plain ?? ""));
    if (isCompoundStart(tok)) {
      return { type: "coproc", line, name: null, body: this.withRedirects(this.parseCompound()) };
    }
    if (tok.kind === "word") {
      this.next();
      if (isCompoundStart(this.peek())) {
        const body = this.withRedirects(this.parseCompound());
        return { type: "coproc", line, name: tok.text, body };
      }
      return { type: "coproc", line, name: null, body: this.parseSimpleCommand(tok) };
    }
    return { type: "coproc", line, name: null, body: this.parseSimpleCommand() };
  }

  // --- simple commands --------------------------------------------------------------------

  /** Words, assignments and redirections; `name ( )` turns it into a function definition. */
  private parseSimpleCommand(firstWord?: Token): SimpleCommand | FunctionDefinition {
    const first = firstWord ?? this.peek();
    const command: SimpleCommand = {
      type: "simple",
      line: first.line,
      assignments: [],
      words: [],
      redirects: [],
    };
    let declaration = false;
    const addWord = (tok: Token) => {
      const word = tok.word!;
      const assign = tok.assign;
      if (command.words.length === 0 && assign) {
        command.assignments.push(toAssignment(word, assign));
        return;
      }
      if (assign?.array && !declaration) {
        // bash only accepts `name=(...)` as an assignment or a declaration argument.
        throw unexpectedToken("(", tok.endLine);
      }
      if (declaration && assign) word.assignment = toAssignment(word, assign);
      if (command.words.length === 0) {
        declaration = tok.plain != null && DECLARATION_BUILTINS.has(tok.plain);
      }
      command.words.push(word);
    };
    if (firstWord) addWord(firstWord);
    for (;;) {
      const redirect = this.tryRedirect();
      if (redirect) {
        command.redirects.push(redirect);
        continue;
      }
      const tok = this.peek();
      if (tok.kind !== "word") break;
      this.next();
      addWord(tok);
      if (
        command.words.length === 1 &&
        command.assignments.length === 0 &&
        command.redirects.length === 0 &&
        this.isOp(this.peek(), "(")
      ) {
        this.next();
        this.expectOp(")");
        return this.parseFunctionBody(tok.text, tok);
      }
    }
    return command;
  }

  /** A redirection at the cursor, or null. Registers here-documents with the lexer. */
  private tryRedirect(): Redirect | null {
    let tok = this.peek();
    let fd: number | null = null;
    let fdVar: string | null = null;
    if (tok.kind === "ionumber" || tok.kind === "fdvar") {
      this.next();
      if (tok.kind === "ionumber") fd = Number(tok.text);
      else fdVar = tok.text.slice(1, -1);
      tok = this.peek();
    } else if (tok.kind !== "op" || !REDIRECT_OPS.has(tok.text)) {
      return null;
    }
    const opTok = this.next();
    const op = opTok.text as RedirectOp;
    const target = this.next();
    // `<& 2>x`: the `2` was lexed as an IO number but is this redirection's target.
    if (target.kind === "ionumber" && (op === "<&" || op === ">&")) {
      target.word = {
        parts: [{ type: "literal", value: target.text, quoted: false }],
        text: target.text,
      };
    } else if (target.kind !== "word") {
      this.fail(target);
    }
    const redirect: Redirect = {
      type: "redirect",
      line: opTok.line,
      op,
      fd,
      fdVar,
      target: target.word!,
      heredoc: null,
    };
    if (op === "<<" || op === "<<-") {
      const { delimiter, quoted } = heredocDelimiter(target.text);
      redirect.heredoc = {
        delimiter,
        quoted,
        stripTabs: op === "<<-",
        body: { parts: [], text: "" },
        terminated: true,
      };
      this.lexer.addHeredoc(redirect);
    }
    return redirect;
  }
}

/** Builds an Assignment from a word the lexer found to have assignment shape. */
function toAssignment(word: Word, shape: AssignShape): Assignment {
  return {
    type: "assignment",
    name: shape.name,
    subscript: shape.subscript,
    append: shape.append,
    value: shape.array
      ? null
      : { parts: word.parts.slice(shape.valueStart), text: shape.valueText },
    array: shape.array as ArrayElement[] | null,
    text: word.text,
  };
}

/** Delimiter after quote removal, and whether any quoting was present. */
function heredocDelimiter(raw: string): { delimiter: string; quoted: boolean } {
  let out = "";
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === "\\" && raw[i + 1] === "\n") {
      i++;
    } else if (c === "\\") {
      quoted = true;
      if (i + 1 < raw.length) out += raw[++i];
    } else if (c === "'") {
      quoted = true;
      const close = raw.indexOf("'", i + 1);
      out += raw.slice(i + 1, close);
      i = close;
    } else if (c === '"') {
      quoted = true;
      for (i++; i < raw.length && raw[i] !== '"'; i++) {
        if (raw[i] === "\\" && '$`"\\'.includes(raw[i + 1])) i++;
        out += raw[i];
      }
    } else if (c === "$" && (raw[i + 1] === "'" || raw[i + 1] === '"')) {
      // $'..' / $"..": the quotes count, the `$` goes away.
    } else {
      out += c;
    }
  }
  return { delimiter: out, quoted };
}

/** Splits the text of `for (( a; b; c ))` into its three clauses. */
function splitArithFor(
  source: string,
  line: number,
  lexer: Lexer,
): [ArithText | null, ArithText | null, ArithText | null] {
  const clauses: string[] = [];
  let depth = 0;
  let from = 0;
  let quote = "";
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (quote) {
      if (c === quote) quote = "";
      else if (c === "\\" && quote !== "'") i++;
    } else if (c === "'" || c === '"' || c === "`") quote = c;
    else if (c === "\\") i++;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === ";" && depth === 0) {
      clauses.push(source.slice(from, i));
      from = i + 1;
    }
  }
  clauses.push(source.slice(from));
  if (clauses.length < 3) {
    throw new ShellSyntaxError("syntax error: arithmetic expression required", line);
  }
  if (clauses.length > 3) throw new ShellSyntaxError("syntax error: `;' unexpected", line);
  return clauses.map((text) => (text.trim() === "" ? null : lexer.arithText(text, line))) as [
    ArithText | null,
    ArithText | null,
    ArithText | null,
  ];
}

/** Creates the hooks through which word reading calls back into the parser. */
function makeShared(): Shared {
  const shared: Shared = {
    warnings: [],
    hooks: {
      parseUntilParen(reader, heredocs) {
        try {
          return new Parser(reader, shared).parseSubstitution(heredocs);
        } catch (e) {
          // bash words running out of input inside `$(` this way.
          if (
            e instanceof ShellSyntaxError &&
            e.message === "syntax error: unexpected end of file"
          ) {
            throw unmatched(")", e.line);
          }
          throw e;
        }
      },
      parseText(text, line) {
        const sub: Shared = { warnings: [], hooks: shared.hooks };
        const program = new Parser(new SourceReader(text, 0, line), sub).parseProgram();
        return program;
      },
    },
  };
  return shared;
}

/**
 * Parses a shell program. Throws ShellSyntaxError with bash's message and line on invalid
 * input; non-fatal diagnostics are returned in `warnings`.
 */
export function parse(source: string, options: ParseOptions = {}): Program {
  const reader = new SourceReader(withFinalNewline(source));
  try {
    return new Parser(reader, makeShared()).parseProgram();
  } catch (e) {
    throw parseFailure(e, reader, options);
  }
}

/**
 * Reads a program one line at a time, as bash does: each line is parsed when the previous
 * one has run, so `echo first` runs before a syntax error on a later line stops the script.
 */
export class LineParser {
  readonly #reader: SourceReader;
  readonly #shared: Shared;
  readonly #parser: Parser;
  readonly #options: ParseOptions;
  #warningsSeen = 0;

  constructor(source: string, options: ParseOptions = {}) {
    this.#reader = new SourceReader(withFinalNewline(source));
    this.#shared = makeShared();
    this.#parser = new Parser(this.#reader, this.#shared);
    this.#options = options;
  }

  /** The next line as a program (with the warnings raised while reading it), or null at the end. */
  next(): Program | null {
    let body: Statement[] | null;
    try {
      body = this.#parser.parseLine();
    } catch (e) {
      throw parseFailure(e, this.#reader, this.#options);
    }
    const warnings = this.#shared.warnings.slice(this.#warningsSeen);
    this.#warningsSeen = this.#shared.warnings.length;
    return body === null && warnings.length === 0
      ? null
      : { type: "program", body: body ?? [], warnings };
  }
}

/** bash -c reads a final newline that is not there, but a trailing backslash stays literal. */
function withFinalNewline(source: string): string {
  if (source.endsWith("\n")) return source;
  return source + (/(^|[^\\])(\\\\)*\\$/.test(source) ? "\\\n" : "\n");
}

function parseFailure(e: unknown, reader: SourceReader, options: ParseOptions): unknown {
  let error = e;
  // Nesting depth is bounded by the JS stack (hundreds of levels); bash goes deeper.
  if (e instanceof RangeError) {
    error = new ShellSyntaxError("syntax error: nesting too deep", reader.line);
  }
  if (error instanceof ShellSyntaxError && options.fileName !== undefined) {
    error = new ShellSyntaxError(error.message, error.line, {
      incomplete: error.incomplete,
      fileName: options.fileName,
    });
  }
  return error;
}

/**
 * For an interactive shell: true when `source` is an unfinished command that another line could
 * complete (open quote or construct, pending here-document, trailing backslash).
 */
export function isIncomplete(source: string): boolean {
  if (/(^|[^\\])(\\\\)*\\\n?$/.test(source)) return true;
  try {
    const program = parse(source);
    return program.warnings.some((w) => w.message.includes("delimited by end-of-file"));
  } catch (e) {
    if (e instanceof ShellSyntaxError) return e.incomplete;
    throw e;
  }
}
