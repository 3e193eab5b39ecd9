/**
 * Reading words into parts: quoting (`\`, '...', "...", $'...', $"..."), expansions ($x, ${...},
 * $(...), `...`, $((...)), $[...], <(...), >(...)), tilde prefixes, extglob groups, and the
 * assignment shape `name[sub]+=value` / `name=(...)`. The same reader serves every context bash
 * distinguishes: unquoted words, double quotes, here-document bodies, arithmetic text, and the
 * operand words inside `${...}`.
 *
 * Command substitutions are parsed recursively by the parser through `ParseHooks`, directly from
 * the shared source reader, which is how bash finds the closing `)` of `$(case x in a) ;; esac)`.
 */

import { decodeAnsiC } from "./ansi-c.ts";
import { ArithError, parseArith } from "./arith.ts";
import type {
  ArithExpr,
  ArithText,
  ArrayElement,
  CommandSubstitutionPart,
  Program,
  Redirect,
  Word,
  WordPart,
} from "./ast.ts";
import { readBraceParameter } from "./param-expansion.ts";
import { SourceReader } from "./source-reader.ts";
import { ShellSyntaxError, unexpectedToken, unmatched } from "./syntax-error.ts";
import { applyTilde } from "./tilde.ts";

export interface ParseHooks {
  /**
   * Parses a command list from `reader` (just after `$(` or `<(`) through the closing `)`.
   * Here-documents still pending at the `)` are appended to `heredocs` (the enclosing line's).
   */
  parseUntilParen(reader: SourceReader, heredocs: Redirect[]): Program;
  /** Parses a whole program from text (backtick bodies), numbering lines from `line`. */
  parseText(text: string, line: number): Program;
}

/** How `$` and backslash behave where a part is read. */
export type QuoteContext = "unquoted" | "dquote" | "heredoc" | "arith";

/** `name=`, `name+=`, `name[sub]=` at the start of a word. */
export interface AssignShape {
  name: string;
  append: boolean;
  subscript: ArithText | null;
  /** Index in `word.parts` where the value starts. */
  valueStart: number;
  valueText: string;
  /** `name=( ... )` elements; the word ends at the `)`. */
  array: ArrayElement[] | null;
}

export interface WordRead {
  word: Word;
  assign: AssignShape | null;
}

const META = "|&;<>()";

export function isBlank(c: string): boolean {
  return c === " " || c === "\t";
}

export function isMeta(c: string): boolean {
  return c !== "" && META.includes(c);
}

export function isIdentStart(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
}

export function isIdentChar(c: string): boolean {
  return isIdentStart(c) || (c >= "0" && c <= "9");
}

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

const SPECIAL_PARAMS = "@*#?-$!0";

/** Accumulates parts, merging adjacent literal text with the same quoting. */
export class PartsBuilder {
  readonly parts: WordPart[] = [];
  private text = "";
  private quoted = false;

  lit(s: string, quoted: boolean): void {
    if (s === "") return;
    if (this.text !== "" && this.quoted !== quoted) this.flush();
    this.text += s;
    this.quoted = quoted;
  }

  push(part: WordPart): void {
    this.flush();
    this.parts.push(part);
  }

  flush(): void {
    if (this.text === "") return;
    this.parts.push({ type: "literal", value: this.text, quoted: this.quoted });
    this.text = "";
  }

  /** Last pending unquoted character (extglob `@(` detection), or "". */
  lastUnquoted(): string {
    return this.text !== "" && !this.quoted ? this.text[this.text.length - 1] : "";
  }

  done(): WordPart[] {
    this.flush();
    return this.parts;
  }
}

/**
 * Scans from just after a `[` to its matching `]`, skipping quoted text and nested `$(...)`,
 * `${...}`, `$[...]`. Returns the index of the `]`, or, at end of input, the closing character
 * bash would report as unmatched (the innermost open construct).
 */
export function findClosingBracket(src: string, from: number): number | string {
  const closers = ["]"];
  const pairs: Record<string, string> = { "[": "]", "(": ")", "{": "}" };
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    const top = closers[closers.length - 1];
    if (c === "\\") {
      i++;
    } else if (c === "'" || c === '"' || c === "`") {
      const close = src.indexOf(c, i + 1);
      if (close < 0) return c;
      i = close;
    } else if (c === "$" && pairs[src[i + 1]]) {
      closers.push(pairs[src[++i]]);
    } else if (c === top) {
      closers.pop();
      if (closers.length === 0) return i;
    } else if (pairs[c] === top) {
      closers.push(top);
    }
  }
  return closers[closers.length - 1];
}

/** Index of the `]` of an array element `[key]=value` / `[key]+=value` starting at `from`, or -1. */
function findElementSubscript(src: string, from: number): number {
  const end = findClosingBracket(src, from);
  if (typeof end === "string" || src.slice(from, end).includes("\n")) return -1;
  return src[end + 1] === "=" || (src[end + 1] === "+" && src[end + 2] === "=") ? end : -1;
}

/**
 * After an opening quote: consumes through the closing one and returns that text (closing quote
 * included), for scanners that only need to step over quoted text.
 */
export function skipQuoted(r: SourceReader, quote: string): string {
  const line = r.line;
  let text = "";
  for (;;) {
    const q = r.rawNext();
    if (q === "") throw unmatched(quote, line);
    text += q;
    if (q === quote) return text;
    if (q === "\\" && quote !== "'") text += r.rawNext();
  }
}

export class WordLexer {
  readonly reader: SourceReader;
  readonly hooks: ParseHooks;
  /** Here-documents waiting for the next newline token (used by Lexer). */
  readonly pendingHeredocs: Redirect[] = [];

  constructor(reader: SourceReader, hooks: ParseHooks) {
    this.reader = reader;
    this.hooks = hooks;
  }

  /** A lexer over a separate text (here-document body, arithmetic, subscript). */
  sub(text: string, line: number, pos = 0): WordLexer {
    return new WordLexer(new SourceReader(text, pos, line), this.hooks);
  }

  // --- unquoted words ------------------------------------------------------------------------

  /**
   * Reads one unquoted word at the cursor. `regex`: the right side of `=~` in `[[ ]]`, where
   * `(...)` groups (blanks included) and `|` belong to the word. `blanksInSubscript`: the word
   * is where an assignment may appear, so `a[i + 1]=x` is one word.
   */
  readWord(
    options: { regex?: boolean; noAssign?: boolean; blanksInSubscript?: boolean } = {},
  ): WordRead {
    const r = this.reader;
    r.skipContinuations();
    const start = r.pos;
    const b = new PartsBuilder();
    // Assignment-prefix tracking: "name" while reading the leading identifier.
    let state: "name" | "subscript" | "value" | "none" =
      !options.noAssign && isIdentStart(r.peek()) ? "name" : "none";
    let name = "";
    let subscriptStart = 0;
    let subscriptLine = 0;
    let subscriptDepth = 0;
    let subscriptLimit = -1;
    let subscriptParts = 0;
    let subscriptExpansions = new Map<number, { part: WordPart; end: number }>();
    let valueStart = 0;
    let valueTextStart = 0;
    let append = false;
    let subscript: ArithText | null = null;
    let array: ArrayElement[] | null = null;

    const beginValue = (plus: boolean) => {
      r.next();
      if (plus) r.next();
      b.lit(plus ? "+=" : "=", false);
      b.flush();
      append = plus;
      valueStart = b.parts.length;
      r.skipContinuations();
      valueTextStart = r.pos;
    };

    for (;;) {
      const c = r.peek();
      if (c === "") break;
      if (state === "name") {
        if (isIdentChar(c)) {
          name += c;
          r.next();
          b.lit(c, false);
          continue;
        }
        if (c === "=" || (c === "+" && r.peekSecond() === "=")) {
          beginValue(c === "+");
          state = "value";
          continue;
        }
        if (c === "[") {
          state = "subscript";
          r.next();
          b.lit("[", false);
          b.flush();
          subscriptParts = b.parts.length;
          subscriptExpansions = new Map();
          subscriptStart = r.pos;
          subscriptLine = r.line;
          subscriptDepth = 1;
          // Where an assignment may appear, bash reads `name[...]` as a bracketed unit.
          subscriptLimit = -1;
          if (options.blanksInSubscript) {
            const end = findClosingBracket(r.src, r.pos);
            if (typeof end === "string") throw unmatched(end, r.line);
            subscriptLimit = end;
          }
          continue;
        }
        state = "none";
      } else if (state === "subscript") {
        if (c === "[" || c === "]") {
          r.next();
          subscriptDepth += c === "[" ? 1 : -1;
          if (subscriptDepth === 0) b.flush();
          const inner = b.parts.slice(subscriptParts);
          b.lit(c, false);
          if (subscriptDepth > 0) continue;
          const raw = r.slice(subscriptStart, r.pos - 1);
          const n = r.peek();
          if (n === "=" || (n === "+" && r.peekSecond() === "=")) {
            // Reuse the parts just read rather than parsing the subscript a second time.
            const source = raw.replace(/\\\n/g, "");
            subscript = this.arithText(source, subscriptLine, {
              word: { parts: inner, text: source },
              expansions: source.length === raw.length ? subscriptExpansions : new Map(),
            });
            beginValue(n === "+");
            state = "value";
          } else {
            state = "none";
          }
          continue;
        }
        if (r.pos < subscriptLimit && (isBlank(c) || c === "\n" || isMeta(c))) {
          r.next();
          b.lit(c, false);
          continue;
        }
        if (!isBlank(c) && c !== "\n" && !isMeta(c)) {
          const partStart = r.pos - subscriptStart;
          const part = this.readPart(b, c);
          if (part) subscriptExpansions.set(partStart, { part, end: r.pos - subscriptStart });
          continue;
        }
      } else if (state === "value" && c === "(" && r.pos === valueTextStart) {
        array = this.readArrayElements();
        break;
      }

      if (options.regex) {
        if (c === "(") {
          this.readParenGroup(b);
          continue;
        }
        if (c === "|") {
          r.next();
          b.lit(c, false);
          continue;
        }
      }
      if (isBlank(c) || c === "\n") break;
      if (isMeta(c)) {
        if ((c === "<" || c === ">") && r.peekSecond() === "(") {
          r.next();
          r.next();
          b.push(this.readProcessSubstitution(c));
          continue;
        }
        // Extended glob group: ?(...) *(...) +(...) @(...) !(...)
        const last = b.lastUnquoted();
        if (c === "(" && last !== "" && "?*+@!".includes(last)) {
          this.readParenGroup(b);
          continue;
        }
        break;
      }
      this.readPart(b, c);
    }

    // The cursor may sit past a line continuation that followed the word.
    const text = r.slice(start).replace(/(\\\n)+$/, "");
    let parts = b.done();
    let assign: AssignShape | null = null;
    if (state === "value") {
      if (!array) parts = applyTilde(parts, valueStart, true);
      assign = {
        name,
        append,
        subscript,
        valueStart,
        valueText: array ? "" : r.slice(valueTextStart),
        array,
      };
    } else {
      parts = applyTilde(parts, 0, false);
    }
    return { word: { parts, text }, assign };
  }

  /**
   * Reads one part starting with `c` (quotes, `$`, backquote, backslash, or a plain character)
   * in an unquoted context and adds it to `b`.
   */
  private readPart(b: PartsBuilder, c: string): WordPart | null {
    const r = this.reader;
    r.next();
    let part: WordPart | null = null;
    switch (c) {
      case "\\": {
        const e = r.rawNext();
        // A backslash at end of input stays literal.
        if (e === "") b.lit("\\", false);
        else b.lit(e, true);
        return null;
      }
      case "'":
        part = this.readSingleQuoted();
        break;
      case '"':
        part = this.readDoubleQuoted(false);
        break;
      case "$":
        part = this.readDollar("unquoted");
        if (!part) b.lit("$", false);
        break;
      case "`":
        part = this.readBackquote(false);
        break;
      default:
        b.lit(c, false);
    }
    if (part) b.push(part);
    return part;
  }

  /**
   * `(...)` inside a word (extglob group or a regex group): everything up to the matching `)`
   * belongs to the word, blanks and operators included; quotes and expansions still apply.
   */
  private readParenGroup(b: PartsBuilder): void {
    const r = this.reader;
    const line = r.line;
    let depth = 0;
    for (;;) {
      const c = r.peek();
      if (c === "") throw unmatched(")", line);
      if (c === "(" || c === ")") {
        r.next();
        b.lit(c, false);
        depth += c === "(" ? 1 : -1;
        if (depth === 0) return;
        continue;
      }
      if (isBlank(c) || c === "\n" || isMeta(c)) {
        r.next();
        b.lit(c, false);
        continue;
      }
      this.readPart(b, c);
    }
  }

  /** After `name=(`: the elements of a compound array assignment, through the `)`. */
  private readArrayElements(): ArrayElement[] {
    const r = this.reader;
    const line = r.line;
    r.next(); // (
    const elements: ArrayElement[] = [];
    for (;;) {
      let c = r.peek();
      while (isBlank(c) || c === "\n") {
        r.next();
        c = r.peek();
      }
      if (c === "#") {
        while (r.rawPeek() !== "" && r.rawPeek() !== "\n") r.rawNext();
        continue;
      }
      if (c === "") throw unmatched(")", line);
      if (c === ")") {
        r.next();
        return elements;
      }
      if (isMeta(c)) throw unexpectedToken(c, r.line);
      let subscript: ArithText | null = null;
      let append = false;
      if (c === "[") {
        const close = findElementSubscript(r.src, r.pos + 1);
        if (close >= 0) {
          const subLine = r.line;
          const source = r.src.slice(r.pos + 1, close).replace(/\\\n/g, "");
          while (r.pos <= close) r.rawNext();
          append = r.peek() === "+";
          if (append) r.next();
          r.next(); // =
          subscript = this.arithText(source, subLine);
        }
      }
      const { word } = this.readWord({ noAssign: true });
      elements.push({ subscript, append, value: word });
    }
  }

  // --- quoting ------------------------------------------------------------------------------

  /** After `'`. */
  readSingleQuoted(): WordPart {
    const r = this.reader;
    const line = r.line;
    const close = r.src.indexOf("'", r.pos);
    if (close < 0) {
      while (r.rawNext() !== "");
      throw unmatched("'", line);
    }
    const value = r.src.slice(r.pos, close);
    while (r.pos <= close) r.rawNext();
    return { type: "singleQuoted", value };
  }

  /** After `$'`. */
  private readAnsiC(): WordPart {
    const r = this.reader;
    const line = r.line;
    const start = r.pos;
    for (;;) {
      const c = r.rawNext();
      if (c === "") throw unmatched("'", line);
      if (c === "\\") r.rawNext();
      else if (c === "'") break;
    }
    return { type: "ansiCQuoted", value: decodeAnsiC(r.slice(start, r.pos - 1)) };
  }

  /** After `"` (or `$"` with `locale`). */
  readDoubleQuoted(locale: boolean): WordPart {
    const r = this.reader;
    const line = r.line;
    const b = new PartsBuilder();
    for (;;) {
      const c = r.next();
      if (c === "") throw unmatched('"', line);
      if (c === '"') break;
      if (c === "\\") {
        const e = r.rawNext();
        if (e === "$" || e === "`" || e === '"' || e === "\\") b.lit(e, true);
        else b.lit(`\\${e}`, true);
      } else if (c === "$") {
        const part = this.readDollar("dquote");
        if (part) b.push(part);
        else b.lit("$", true);
      } else if (c === "`") {
        b.push(this.readBackquote(true));
      } else {
        b.lit(c, true);
      }
    }
    return { type: "doubleQuoted", parts: b.done(), locale };
  }

  /**
   * Reads the rest of the reader as one word with double-quote-like rules: here-document bodies
   * (`"` is an ordinary character) and arithmetic text (`"..."` quotes are removed).
   */
  readTextWord(
    context: "heredoc" | "arith",
    expansions?: Map<number, { part: WordPart; end: number }>,
  ): Word {
    const r = this.reader;
    const start = r.pos;
    const b = new PartsBuilder();
    for (;;) {
      const partStart = r.pos;
      const c = r.next();
      if (c === "") break;
      if (c === "\\") {
        const e = r.rawNext();
        if (e === "$" || e === "`" || e === "\\" || (e === '"' && context === "arith")) {
          b.lit(e, true);
        } else b.lit(`\\${e}`, true);
      } else if (c === "$" || c === "`") {
        const part = c === "$" ? this.readDollar(context) : this.readBackquote(false);
        if (part) {
          b.push(part);
          expansions?.set(partStart, { part, end: r.pos });
        } else b.lit("$", true);
      } else if (c === '"' && context === "arith") {
        b.push(this.readDoubleQuoted(false));
      } else {
        b.lit(c, true);
      }
    }
    return { parts: b.done(), text: r.slice(start) };
  }

  /**
   * An operand word inside `${...}`, up to an unquoted character of `stops` outside nested
   * braces (not consumed). `inDquote`: the expansion is inside double quotes, so backslash
   * follows double-quote rules, and `'` is literal when `singleQuoteLiteral`.
   */
  readOperandWord(
    stops: string,
    inDquote: boolean,
    singleQuoteLiteral: boolean,
    braceLine: number,
  ): Word {
    const r = this.reader;
    r.skipContinuations();
    const start = r.pos;
    const b = new PartsBuilder();
    let depth = 0;
    for (;;) {
      const c = r.peek();
      if (c === "") throw unmatched("}", braceLine);
      if (depth === 0 && stops.includes(c)) break;
      r.next();
      if (c === "{" || c === "}") {
        depth += c === "{" ? 1 : -1;
        b.lit(c, false);
      } else if (c === "\\") {
        const e = r.rawNext();
        if (!inDquote || '$`"\\}'.includes(e)) b.lit(e, true);
        else b.lit(`\\${e}`, true);
      } else if (c === "'") {
        if (singleQuoteLiteral) b.lit("'", true);
        else b.push(this.readSingleQuoted());
      } else if (c === '"') {
        b.push(this.readDoubleQuoted(false));
      } else if (c === "$") {
        const part = this.readDollar(inDquote ? "dquote" : "unquoted");
        if (part) b.push(part);
        else b.lit("$", false);
      } else if (c === "`") {
        b.push(this.readBackquote(inDquote));
      } else {
        b.lit(c, false);
      }
    }
    let parts = b.done();
    if (!inDquote) parts = applyTilde(parts, 0, false);
    return { parts, text: r.slice(start) };
  }

  // --- expansions ---------------------------------------------------------------------------

  /** After `$`: the expansion it starts, or null when the `$` is literal. */
  readDollar(context: QuoteContext): WordPart | null {
    const r = this.reader;
    const start = r.pos - 1;
    const line = r.line;
    const c = r.peek();
    if (c === "(") {
      r.next();
      if (r.peek() === "(") {
        const arith = this.tryArithmetic(line);
        if (arith) return { type: "arithmetic", arith, legacy: false };
        return this.readCommandSubstitution(true);
      }
      return this.readCommandSubstitution(false);
    }
    if (c === "{") {
      r.next();
      return readBraceParameter(this, context === "dquote" || context === "heredoc", start, line);
    }
    if (c === "[") {
      r.next();
      const source = this.scanMatched("[", "]", line);
      return { type: "arithmetic", arith: this.arithText(source, line), legacy: true };
    }
    if (c === "'" && context === "unquoted") {
      r.next();
      return this.readAnsiC();
    }
    if (c === '"' && context === "unquoted") {
      r.next();
      return this.readDoubleQuoted(true);
    }
    let name = "";
    if (isIdentStart(c)) {
      while (isIdentChar(r.peek())) name += r.next();
    } else if (isDigit(c) || (c !== "" && SPECIAL_PARAMS.includes(c))) {
      name = r.next();
    } else {
      return null;
    }
    return {
      type: "parameter",
      name,
      braced: false,
      subscript: null,
      indirect: false,
      op: null,
      text: r.slice(start),
    };
  }

  /** Parses the expansion at `offset` of `text` (for `$x` inside arithmetic). */
  readExpansionAt(): WordPart {
    const r = this.reader;
    const c = r.next();
    if (c === "`") return this.readBackquote(false);
    return this.readDollar("arith") ?? { type: "literal", value: "$", quoted: true };
  }

  /** After `$(` (or `<(`): the command list through `)`. */
  private readCommandSubstitution(deferErrors: boolean): CommandSubstitutionPart {
    const r = this.reader;
    const start = r.pos;
    const line = r.line;
    let program: Program | null;
    let parseError: CommandSubstitutionPart["parseError"] = null;
    if (deferErrors) {
      // `$((...) ...)` that is not arithmetic: bash only complains when it runs it.
      const mark = r.mark();
      try {
        program = this.hooks.parseUntilParen(r, this.pendingHeredocs);
      } catch (e) {
        if (!(e instanceof ShellSyntaxError)) throw e;
        r.reset(mark);
        this.scanMatched("(", ")", line);
        program = null;
        parseError = { message: e.message, line: e.line };
      }
    } else {
      program = this.hooks.parseUntilParen(r, this.pendingHeredocs);
    }
    const source = r.slice(start, r.pos - 1);
    return { type: "commandSubstitution", program, source, backtick: false, parseError };
  }

  private readProcessSubstitution(direction: "<" | ">"): WordPart {
    const r = this.reader;
    const start = r.pos;
    const program = this.hooks.parseUntilParen(r, this.pendingHeredocs);
    return { type: "processSubstitution", direction, program, source: r.slice(start, r.pos - 1) };
  }

  /** After a backquote: the body up to the closing one, unescaped, parsed as a program. */
  readBackquote(inDquote: boolean): WordPart {
    const r = this.reader;
    const line = r.line;
    let text = "";
    for (;;) {
      const c = r.rawNext();
      if (c === "") throw unmatched("`", line);
      if (c === "`") break;
      if (c === "\\") {
        const e = r.rawNext();
        if (e === "\n") continue;
        if (e === "$" || e === "`" || e === "\\" || (inDquote && e === '"')) text += e;
        else text += `\\${e}`;
      } else {
        text += c;
      }
    }
    try {
      const program = this.hooks.parseText(text, line);
      return {
        type: "commandSubstitution",
        program,
        source: text,
        backtick: true,
        parseError: null,
      };
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      // bash parses backquoted commands only when it runs them.
      return {
        type: "commandSubstitution",
        program: null,
        source: text,
        backtick: true,
        parseError: { message: e.message, line: e.line },
      };
    }
  }

  /**
   * At the second `(` of `$((` or `((`: if the text up to the matching `)` is followed by
   * another `)`, consumes it all and returns the arithmetic. Otherwise leaves the reader at the
   * second `(` and returns null (bash then reads a nested subshell).
   */
  tryArithmetic(line: number): ArithText | null {
    const r = this.reader;
    const mark = r.mark();
    r.next();
    const source = this.scanMatched("(", ")", line);
    if (r.peek() === ")") {
      r.next();
      return this.arithText(source, line);
    }
    r.reset(mark);
    return null;
  }

  /**
   * Scans balanced `open`/`close` from just after an `open`, skipping quoted text; returns the
   * text before the matching `close` (consumed). Like bash's parse_matched_pair.
   */
  scanMatched(open: string, close: string, line: number): string {
    const r = this.reader;
    let depth = 1;
    let text = "";
    for (;;) {
      const c = r.next();
      if (c === "") throw unmatched(close, line);
      if (c === close && --depth === 0) return text;
      if (c === open) depth++;
      text += c;
      if (c === "\\") {
        text += r.rawNext();
      } else if (c === "'" || c === '"' || c === "`") {
        text += skipQuoted(r, c);
      } else if (c === "$" && r.peek() === "(" && r.peekSecond() !== "(") {
        // Like bash, a nested `$(` is parsed for real, so its syntax errors surface here.
        const start = r.pos;
        r.next();
        this.hooks.parseUntilParen(r, []);
        text += r.slice(start);
      }
    }
  }

  /** Builds the ArithText for arithmetic source (see ast.ts). */
  arithText(
    source: string,
    line: number,
    prepared?: { word: Word; expansions: Map<number, { part: WordPart; end: number }> },
  ): ArithText {
    // Expansions found while reading the word, by offset, so the expression parse reuses them
    // (parsing them twice would be exponential in the nesting depth of `$(( $(( )) ))`).
    const expansions = prepared?.expansions ?? new Map<number, { part: WordPart; end: number }>();
    let word: Word;
    if (prepared) {
      word = prepared.word;
    } else if (!/[$`"'\\]/.test(source)) {
      word = {
        parts: source ? [{ type: "literal", value: source, quoted: true }] : [],
        text: source,
      };
    } else {
      try {
        word = this.sub(source, line).readTextWord("arith", expansions);
      } catch (e) {
        // bash reads arithmetic text as a whole and complains only when it evaluates it.
        if (!(e instanceof ShellSyntaxError)) throw e;
        return {
          source,
          word: { parts: [{ type: "literal", value: source, quoted: true }], text: source },
          expr: null,
        };
      }
    }
    let expr: ArithExpr | null = null;
    try {
      expr = parseArith(source, {
        expansion: (text, offset) => {
          const known = text === source ? expansions.get(offset) : undefined;
          if (known) return known;
          const lx = this.sub(text, line, offset);
          const part = lx.readExpansionAt();
          return { part, end: lx.reader.pos };
        },
      });
    } catch (e) {
      if (!(e instanceof ArithError)) throw e;
    }
    return { source, word, expr };
  }
}
