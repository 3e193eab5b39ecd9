/**
 * Tokenizer for the shell grammar: operators, newlines, comments, words (via WordLexer), IO
 * numbers (`2>`), `{var}>` descriptors, and here-document bodies, which are read right after
 * the newline token that ends the line introducing them.
 *
 * Reserved words are not decided here: a word token records its plain text and the parser
 * checks it only in command position, as bash does.
 */

import type { ArithText, ParseWarning, Redirect, Word } from "./ast.ts";
import type { SourceReader } from "./source-reader.ts";
import { type AssignShape, isBlank, isMeta, type ParseHooks, WordLexer } from "./word-lexer.ts";

export type TokenKind = "word" | "op" | "newline" | "eof" | "ionumber" | "fdvar";

export interface Token {
  kind: TokenKind;
  /** Operator text, raw word text, IO number digits, or `{var}` text. */
  text: string;
  start: number;
  end: number;
  /** Line where the token starts / where the reader is after it. */
  line: number;
  endLine: number;
  word?: Word;
  assign?: AssignShape | null;
  /** For words that are a single unquoted literal: that text (reserved-word candidates). */
  plain?: string | null;
}

/** Reserved words after which a command (and so an assignment) may start. */
const COMMAND_STARTERS = new Set([
  "if",
  "then",
  "elif",
  "else",
  "do",
  "while",
  "until",
  "{",
  "!",
  "time",
]);

export class Lexer extends WordLexer {
  /** Set by the parser while reading the right side of `=~` inside `[[ ]]`. */
  regexMode = false;
  private readonly warnings: ParseWarning[];
  /** Whether the previous token lets the next word be an assignment (bash's rule). */
  private assignOk = true;
  private beforeRedirect: boolean | null = null;

  constructor(reader: SourceReader, hooks: ParseHooks, warnings: ParseWarning[]) {
    super(reader, hooks);
    this.warnings = warnings;
  }

  next(): Token {
    const tok = this.read();
    if (tok.kind === "op" && /^[<>]|^&>/.test(tok.text)) {
      // A redirection and its target leave the command-position state as it was.
      this.beforeRedirect ??= this.assignOk;
      this.assignOk = false;
    } else if (tok.kind === "word") {
      if (this.beforeRedirect !== null) {
        this.assignOk = this.beforeRedirect;
        this.beforeRedirect = null;
      } else {
        this.assignOk =
          this.assignOk &&
          (tok.assign != null || (tok.plain != null && COMMAND_STARTERS.has(tok.plain)));
      }
    } else if (tok.kind !== "ionumber" && tok.kind !== "fdvar") {
      this.assignOk = true;
      this.beforeRedirect = null;
    }
    return tok;
  }

  private read(): Token {
    const r = this.reader;
    let c = r.peek();
    while (isBlank(c)) {
      r.next();
      c = r.peek();
    }
    if (c === "#") {
      while (r.rawPeek() !== "" && r.rawPeek() !== "\n") r.rawNext();
      c = r.peek();
    }
    const start = r.pos;
    const line = r.line;
    const make = (kind: TokenKind, text: string): Token => ({
      kind,
      text,
      start,
      end: r.pos,
      line,
      endLine: r.line,
    });

    if (c === "") {
      this.readPendingHeredocs();
      return make("eof", "");
    }
    if (c === "\n") {
      r.next();
      const tok = make("newline", "\n");
      this.readPendingHeredocs();
      return tok;
    }
    const inWord =
      ((c === "<" || c === ">") && r.peekSecond() === "(") ||
      (this.regexMode && (c === "(" || c === "|"));
    if (isMeta(c) && !inWord) return make("op", this.readOperator());

    const { word, assign } = this.readWord({
      regex: this.regexMode,
      blanksInSubscript: this.assignOk,
    });
    const after = r.peek();
    if (after === "<" || after === ">") {
      if (/^[0-9]+$/.test(word.text)) return make("ionumber", word.text);
      if (/^\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(word.text)) return make("fdvar", word.text);
    }
    const only = word.parts.length === 1 ? word.parts[0] : null;
    const tok = make("word", word.text);
    tok.word = word;
    tok.assign = assign;
    tok.plain = only?.type === "literal" && !only.quoted ? only.value : null;
    return tok;
  }

  /** Longest operator at the cursor. */
  private readOperator(): string {
    const r = this.reader;
    const c = r.next();
    const eat = (s: string): boolean => {
      if (r.peek() !== s) return false;
      r.next();
      return true;
    };
    switch (c) {
      case "&":
        if (eat("&")) return "&&";
        if (eat(">")) return eat(">") ? "&>>" : "&>";
        return "&";
      case "|":
        if (eat("|")) return "||";
        if (eat("&")) return "|&";
        return "|";
      case ";":
        if (eat(";")) return eat("&") ? ";;&" : ";;";
        if (eat("&")) return ";&";
        return ";";
      case "<":
        if (eat("<")) {
          if (eat("<")) return "<<<";
          if (eat("-")) return "<<-";
          return "<<";
        }
        if (eat("&")) return "<&";
        if (eat(">")) return "<>";
        return "<";
      case ">":
        if (eat(">")) return ">>";
        if (eat("&")) return ">&";
        if (eat("|")) return ">|";
        return ">";
      default:
        // bash peeks past `(` for `((` (this matters for line numbers). Not past `)`: the
        // caller of a `$(...)` slices the source right before the reader position.
        if (c === "(") r.peek();
        return c;
    }
  }

  /**
   * At a `(` in command position: if it opens `(( ... ))`, consumes it and returns the
   * arithmetic text's ArithText; otherwise leaves the reader alone and returns null.
   */
  readArithCommand(): ArithText | null {
    const r = this.reader;
    const mark = r.mark();
    r.next();
    if (r.peek() !== "(") {
      r.reset(mark);
      return null;
    }
    const arith = this.tryArithmetic(mark.line);
    if (!arith) r.reset(mark);
    return arith;
  }

  /** Registers a here-document whose body starts after the next newline token. */
  addHeredoc(redirect: Redirect): void {
    this.pendingHeredocs.push(redirect);
  }

  private readPendingHeredocs(): void {
    const pending = this.pendingHeredocs.splice(0);
    for (const redirect of pending) this.readHeredocBody(redirect);
  }

  private readHeredocBody(redirect: Redirect): void {
    const heredoc = redirect.heredoc!;
    const r = this.reader;
    const src = r.src;
    const bodyLine = r.line;
    let body = "";
    let terminated = false;
    while (r.pos < src.length) {
      let text = this.readRawLine();
      // Unquoted bodies join backslash-newline lines before looking for the delimiter.
      while (!heredoc.quoted && /(^|[^\\])(\\\\)*\\$/.test(text) && r.pos < src.length) {
        text = text.slice(0, -1) + this.readRawLine();
      }
      const line = heredoc.stripTabs ? text.replace(/^\t+/, "") : text;
      if (line === heredoc.delimiter) {
        terminated = true;
        break;
      }
      body += `${line}\n`;
    }
    if (!terminated) {
      const lastLine = src.endsWith("\n") ? r.line - 1 : r.line;
      this.warnings.push({
        line: lastLine,
        message: `warning: here-document at line ${redirect.line} delimited by end-of-file (wanted \`${heredoc.delimiter}')`,
      });
    }
    heredoc.terminated = terminated;
    heredoc.body = heredoc.quoted
      ? {
          parts: body === "" ? [] : [{ type: "literal", value: body, quoted: true }],
          text: body,
        }
      : this.sub(body, bodyLine).readTextWord("heredoc");
  }

  /** One physical line without its newline (which is consumed). */
  private readRawLine(): string {
    const r = this.reader;
    const src = r.src;
    let end = src.indexOf("\n", r.pos);
    if (end < 0) end = src.length;
    const text = src.slice(r.pos, end);
    r.pos = end;
    if (end < src.length) r.rawNext();
    return text;
  }
}
