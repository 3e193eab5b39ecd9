/**
 * bc's scanner (GNU bc 1.07.1 scan.l): tokens over latin1 text that arrives in chunks. A token
 * is matched synchronously against the buffered text; when the buffer ends inside a possible
 * token and more input may come, the match is retried after more is read (no side effects
 * happen before a match succeeds, so retrying is safe).
 */

export type TokKind =
  | "EOF"
  | "ENDOFLINE"
  | "NUMBER"
  | "NAME"
  | "STRING"
  | "ASSIGN_OP"
  | "REL_OP"
  | "INCR_DECR"
  | "AND"
  | "OR"
  | "NOT"
  | "CHAR"
  | "KEYWORD";

export interface Token {
  kind: TokKind;
  /** NAME/NUMBER/STRING text, the operator, the keyword, or the character for CHAR. */
  text: string;
}

export const KEYWORDS = new Set([
  "define",
  "break",
  "quit",
  "length",
  "return",
  "for",
  "if",
  "while",
  "sqrt",
  "scale",
  "ibase",
  "obase",
  "auto",
  "else",
  "read",
  "random",
  "halt",
  "last",
  "void",
  "history",
  "warranty",
  "continue",
  "print",
  "limits",
]);

/** A named input: a file's whole text, or stdin read chunk by chunk. */
export interface LexSource {
  name: string;
  isStdin: boolean;
  /** More latin1 text, or null at end of input. */
  read(): Promise<string | null>;
}

export interface LexHooks {
  /** yyerror: "<file> <line>: <message>". */
  error(message: string): void;
  /** A raw message to stderr (the unterminated comment notice). */
  raw(message: string): void;
  /** -s: '#' comments are errors. */
  stdOnly(): boolean;
  /** Switches to the next input (open_new_file); false at the real end. */
  nextSource(): Promise<boolean>;
}

const NEED_MORE = Symbol("need-more");

interface Match {
  token: Token | null;
  end: number;
  lines: number;
  message?: string;
  raw?: string;
  /** The "#" rule entered the one-line comment state. */
  comment?: boolean;
}

const isDigit = (c: string): boolean => (c >= "0" && c <= "9") || (c >= "A" && c <= "Z");
const isLower = (c: string): boolean => c >= "a" && c <= "z";

export class BcLexer {
  #buf = "";
  #pos = 0;
  #eof = false;
  #source: LexSource | null = null;
  #inComment = false;
  lineNo = 1;
  readonly hooks: LexHooks;

  constructor(hooks: LexHooks) {
    this.hooks = hooks;
  }

  /** Starts reading `source` (yyin = file). */
  setSource(source: LexSource): void {
    this.#source = source;
    this.#buf = "";
    this.#pos = 0;
    this.#eof = false;
  }

  get source(): LexSource | null {
    return this.#source;
  }

  async #fill(): Promise<void> {
    if (this.#eof || this.#source === null) {
      this.#eof = true;
      return;
    }
    const more = await this.#source.read();
    if (more === null) this.#eof = true;
    else {
      this.#buf = this.#buf.slice(this.#pos) + more;
      this.#pos = 0;
    }
  }

  async next(): Promise<Token> {
    for (;;) {
      const m = this.#match();
      if (m === NEED_MORE) {
        if (!this.#eof) {
          await this.#fill();
          continue;
        }
        // End of this input: yywrap opens the next one (and resets the line number).
        if (await this.hooks.nextSource()) continue;
        return { kind: "EOF", text: "" };
      }
      this.#pos = m.end;
      if (m.comment) this.#inComment = true;
      if (m.raw !== undefined) this.hooks.raw(m.raw);
      if (m.message !== undefined) this.hooks.error(m.message);
      this.lineNo += m.lines;
      if (m.token) return m.token;
    }
  }

  /** Matches one rule at the current position (or NEED_MORE). */
  #match(): Match | typeof NEED_MORE {
    const b = this.#buf;
    const p = this.#pos;
    const eof = this.#eof;
    if (p >= b.length) return NEED_MORE;
    const at = (k: number): string | undefined => (p + k < b.length ? b[p + k] : undefined);
    const c = b[p];
    if (this.#inComment) {
      // <slcomment>[^\n]*  then  <slcomment>"\n"
      if (c === "\n") {
        this.#inComment = false;
        return { token: { kind: "ENDOFLINE", text: "\n" }, end: p + 1, lines: 1 };
      }
      let e = p;
      while (e < b.length && b[e] !== "\n") e++;
      if (e === b.length && !eof) return NEED_MORE;
      this.#inComment = false;
      return { token: null, end: e, lines: 0 };
    }
    if (c === "#") {
      if (this.hooks.stdOnly())
        return { token: null, end: p + 1, lines: 0, message: "illegal character: #" };
      return { token: null, end: p + 1, lines: 0, comment: true };
    }
    if (isLower(c)) {
      let e = p + 1;
      while (e < b.length && (isLower(b[e]) || (b[e] >= "0" && b[e] <= "9") || b[e] === "_")) e++;
      if (e === b.length && !eof) return NEED_MORE;
      const word = b.slice(p, e);
      const kind: TokKind = KEYWORDS.has(word) ? "KEYWORD" : "NAME";
      return { token: { kind, text: word }, end: e, lines: 0 };
    }
    if (c === "\n") return { token: { kind: "ENDOFLINE", text: "\n" }, end: p + 1, lines: 1 };
    if (c === " " || c === "\t") {
      let e = p + 1;
      while (e < b.length && (b[e] === " " || b[e] === "\t")) e++;
      return { token: null, end: e, lines: 0 };
    }
    if (c === "\\") {
      const n = at(1);
      if (n === undefined && !eof) return NEED_MORE;
      if (n === "\n") return { token: null, end: p + 2, lines: 1 };
      return { token: null, end: p + 1, lines: 0, message: "illegal character: \\" };
    }
    if (c === '"') {
      const close = b.indexOf('"', p + 1);
      if (close < 0) {
        if (!eof) return NEED_MORE;
        return { token: null, end: p + 1, lines: 0, message: 'illegal character: "' };
      }
      const text = b.slice(p, close + 1);
      let lines = 0;
      for (const ch of text) if (ch === "\n") lines++;
      return { token: { kind: "STRING", text }, end: close + 1, lines };
    }
    if (isDigit(c) || c === ".") {
      const num = this.#number(b, p, eof);
      if (num === NEED_MORE) return NEED_MORE;
      if (num !== null) return num;
      // A lone ".": the last value.
      return { token: { kind: "KEYWORD", text: "last" }, end: p + 1, lines: 0 };
    }
    if (c === "/") {
      const n = at(1);
      if (n === undefined && !eof) return NEED_MORE;
      if (n === "*") return this.#comment(b, p, eof);
      if (n === "=") return { token: { kind: "ASSIGN_OP", text: "/" }, end: p + 2, lines: 0 };
      return { token: { kind: "CHAR", text: "/" }, end: p + 1, lines: 0 };
    }
    const two = (): string | undefined => at(1);
    const needTwo = two() === undefined && !eof;
    switch (c) {
      case "+":
      case "-": {
        if (needTwo) return NEED_MORE;
        const n = two();
        if (n === c) return { token: { kind: "INCR_DECR", text: c }, end: p + 2, lines: 0 };
        if (n === "=") return { token: { kind: "ASSIGN_OP", text: c }, end: p + 2, lines: 0 };
        return { token: { kind: "CHAR", text: c }, end: p + 1, lines: 0 };
      }
      case "*":
      case "%":
      case "^": {
        if (needTwo) return NEED_MORE;
        if (two() === "=") return { token: { kind: "ASSIGN_OP", text: c }, end: p + 2, lines: 0 };
        return { token: { kind: "CHAR", text: c }, end: p + 1, lines: 0 };
      }
      case "=": {
        if (needTwo) return NEED_MORE;
        if (two() === "=") return { token: { kind: "REL_OP", text: "==" }, end: p + 2, lines: 0 };
        return { token: { kind: "ASSIGN_OP", text: "=" }, end: p + 1, lines: 0 };
      }
      case "<":
      case ">": {
        if (needTwo) return NEED_MORE;
        if (two() === "=")
          return { token: { kind: "REL_OP", text: `${c}=` }, end: p + 2, lines: 0 };
        return { token: { kind: "REL_OP", text: c }, end: p + 1, lines: 0 };
      }
      case "!": {
        if (needTwo) return NEED_MORE;
        if (two() === "=") return { token: { kind: "REL_OP", text: "!=" }, end: p + 2, lines: 0 };
        return { token: { kind: "NOT", text: "!" }, end: p + 1, lines: 0 };
      }
      case "&": {
        if (needTwo) return NEED_MORE;
        if (two() === "&") return { token: { kind: "AND", text: "&&" }, end: p + 2, lines: 0 };
        return { token: { kind: "CHAR", text: "&" }, end: p + 1, lines: 0 };
      }
      case "|": {
        if (needTwo) return NEED_MORE;
        if (two() === "|") return { token: { kind: "OR", text: "||" }, end: p + 2, lines: 0 };
        return { token: null, end: p + 1, lines: 0, message: "illegal character: |" };
      }
      case ";":
      case "(":
      case ")":
      case "{":
      case "}":
      case "[":
      case "]":
      case ",":
        return { token: { kind: "CHAR", text: c }, end: p + 1, lines: 0 };
      default:
        return { token: null, end: p + 1, lines: 0, message: illegal(c) };
    }
  }

  /** {DIGIT}({DIGIT}|\\\n)*("."({DIGIT}|\\\n)*)? | "."(\\\n)*{DIGIT}({DIGIT}|\\\n)* */
  #number(b: string, p: number, eof: boolean): Match | null | typeof NEED_MORE {
    let e = p;
    let lines = 0;
    let sawDigit = false;
    // Digits (with quoted newlines) before an optional point.
    const run = (): boolean | typeof NEED_MORE => {
      let any = false;
      for (;;) {
        if (e >= b.length) return eof ? any : NEED_MORE;
        if (isDigit(b[e])) {
          e++;
          any = true;
          continue;
        }
        if (b[e] === "\\") {
          if (e + 1 >= b.length) {
            if (!eof) return NEED_MORE;
            return any;
          }
          if (b[e + 1] === "\n") {
            e += 2;
            lines++;
            continue;
          }
        }
        return any;
      }
    };
    if (b[p] === ".") {
      e = p + 1;
      const r = run();
      if (r === NEED_MORE) return NEED_MORE;
      // The digits must really be there (not just quoted newlines).
      if (!/[0-9A-Z]/.test(b.slice(p + 1, e))) return null;
      sawDigit = true;
    } else {
      const r = run();
      if (r === NEED_MORE) return NEED_MORE;
      sawDigit = true;
      if (e >= b.length && !eof) return NEED_MORE;
      if (e < b.length && b[e] === ".") {
        e++;
        const r2 = run();
        if (r2 === NEED_MORE) return NEED_MORE;
      }
    }
    if (!sawDigit) return null;
    let text = b.slice(p, e);
    // Trailing quoted newlines belong to the match; drop them with the others below.
    if (text.endsWith(".")) text = text.slice(0, -1);
    let src = 0;
    while (text[src] === "0") src++;
    if (src >= text.length) src = text.length - 1;
    if (src < 0) src = 0;
    text = text.slice(src).replace(/\\\n/g, "");
    if (text === "") text = "0";
    return { token: { kind: "NUMBER", text }, end: e, lines };
  }

  /** A C comment; an unterminated one ends at end of input with GNU's notice. */
  #comment(b: string, p: number, eof: boolean): Match | typeof NEED_MORE {
    const close = b.indexOf("*/", p + 2);
    if (close < 0) {
      if (!eof) return NEED_MORE;
      let lines = 0;
      for (let k = p + 2; k < b.length; k++) if (b[k] === "\n") lines++;
      return { token: null, end: b.length, lines, raw: "EOF encountered in a comment.\n" };
    }
    let lines = 0;
    for (let k = p + 2; k < close; k++) if (b[k] === "\n") lines++;
    return { token: null, end: close + 2, lines };
  }
}

function illegal(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 32) return `illegal character: ^${String.fromCharCode(code + 64)}`;
  if (code > 126) return `illegal character: \\${code.toString(8).padStart(3, "0")}`;
  return `illegal character: ${c}`;
}
