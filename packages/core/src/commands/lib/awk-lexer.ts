/**
 * Lexer for the awk language (POSIX awk plus common gawk extensions). Hand-written: no npm
 * package provides an awk front end with gawk-compatible diagnostics. Whether "/" starts a
 * regex or is division is decided from the previous token, as in the awk grammar.
 */

export interface Token {
  /** Kind: "NUMBER", "STRING", "ERE", "NAME", "FUNC_NAME", "BUILTIN", "NEWLINE", "EOF", or the keyword/punctuation text. */
  t: string;
  /** Processed value: string contents, regex source, name, or number text. */
  v: string;
  /** Numeric value for NUMBER. */
  n: number;
  /** Offset in the source text. */
  pos: number;
  /** Index of the source (command line or -f file). */
  src: number;
}

export interface AwkSource {
  /** "cmd. line" for the program operand, else the -f file name. */
  name: string;
  text: string;
}

export const KEYWORDS = new Set([
  "BEGIN",
  "END",
  "BEGINFILE",
  "ENDFILE",
  "function",
  "func",
  "if",
  "else",
  "while",
  "for",
  "do",
  "break",
  "continue",
  "next",
  "nextfile",
  "exit",
  "return",
  "delete",
  "getline",
  "print",
  "printf",
  "in",
]);

export const BUILTINS = new Set([
  "length",
  "substr",
  "index",
  "split",
  "sub",
  "gsub",
  "match",
  "sprintf",
  "sin",
  "cos",
  "atan2",
  "exp",
  "log",
  "sqrt",
  "int",
  "rand",
  "srand",
  "tolower",
  "toupper",
  "system",
  "close",
  "fflush",
  "gensub",
  "strftime",
  "systime",
  "mktime",
  "and",
  "or",
  "xor",
  "lshift",
  "rshift",
  "compl",
  "asort",
  "asorti",
  "isarray",
  "typeof",
  "strtonum",
]);

const PUNCT3 = ["**=", "..."];
const PUNCT2 = [
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "^=",
  "==",
  "<=",
  ">=",
  "!=",
  "++",
  "--",
  "&&",
  "||",
  ">>",
  "!~",
  "**",
  "|&",
];
const PUNCT1 = "{}()[];,+-*/%^!><|?:~$=";

/** Tokens after which "/" is division rather than the start of a regex. */
const OPERAND_END = new Set([
  "NAME",
  "NUMBER",
  "STRING",
  "ERE",
  "BUILTIN",
  ")",
  "]",
  "$",
  "++",
  "--",
]);

/** Tokens after which a newline is insignificant. */
const NEWLINE_OK = new Set([",", "{", "&&", "||", "do", "else"]);

export class AwkSyntaxError extends Error {
  readonly src: number;
  readonly pos: number;
  /** A full message line without the source echo (e.g. "fatal: ..."), when not a caret error. */
  readonly plain: boolean;
  constructor(message: string, src: number, pos: number, plain = false) {
    super(message);
    this.src = src;
    this.pos = pos;
    this.plain = plain;
  }
}

const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
};

/** Processes awk string escapes; unknown ones keep the character (gawk warns). */
export function unescapeString(s: string, warn?: (seq: string) => void): string {
  if (!s.includes("\\")) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    i++;
    if (i >= s.length) {
      out += "\\";
      break;
    }
    const d = s[i];
    if (d in ESCAPES) out += ESCAPES[d];
    else if (d >= "0" && d <= "7") {
      let v = 0;
      let j = i;
      while (j < s.length && j < i + 3 && s[j] >= "0" && s[j] <= "7")
        v = v * 8 + (s.charCodeAt(j++) - 48);
      out += String.fromCharCode(v & 0xff);
      i = j - 1;
    } else if (d === "x" && /[0-9A-Fa-f]/.test(s[i + 1] ?? "")) {
      let v = 0;
      let j = i + 1;
      while (j < s.length && j < i + 3 && /[0-9A-Fa-f]/.test(s[j]))
        v = v * 16 + Number.parseInt(s[j++], 16);
      out += String.fromCharCode(v);
      i = j - 1;
    } else if (d === "\n") {
      // Line continuation inside a string.
    } else {
      warn?.(`\\${d}`);
      out += d;
    }
  }
  return out;
}

function isIdStart(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
}

function isIdChar(c: string): boolean {
  return isIdStart(c) || (c >= "0" && c <= "9");
}

/** Tokenizes one source. Warnings (escape sequences) are reported through `warn`. */
export function tokenize(
  text: string,
  src: number,
  warn: (pos: number, message: string) => void,
): Token[] {
  const toks: Token[] = [];
  let i = 0;
  const n = text.length;
  const push = (t: string, v: string, pos: number, num = 0): void => {
    toks.push({ t, v, n: num, pos, src });
  };
  while (i < n) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "\\" && text[i + 1] === "\n") {
      i += 2;
      continue;
    }
    if (c === "\\" && text[i + 1] === "\r" && text[i + 2] === "\n") {
      i += 3;
      continue;
    }
    if (c === "#") {
      while (i < n && text[i] !== "\n") i++;
      continue;
    }
    if (c === "\n") {
      const prev = toks[toks.length - 1];
      if (prev && !NEWLINE_OK.has(prev.t) && prev.t !== "NEWLINE") push("NEWLINE", "\n", i);
      else if (prev && prev.t === "NEWLINE") {
        // collapse
      } else if (!prev) {
        // leading newlines are insignificant
      }
      i++;
      continue;
    }
    const start = i;
    if (c === '"') {
      i++;
      let raw = "";
      while (i < n && text[i] !== '"') {
        if (text[i] === "\\" && i + 1 < n) {
          raw += text[i] + text[i + 1];
          i += 2;
          continue;
        }
        if (text[i] === "\n") throw new AwkSyntaxError("unterminated string", src, start);
        raw += text[i++];
      }
      if (i >= n) throw new AwkSyntaxError("unterminated string", src, start);
      i++;
      const value = unescapeString(raw, (seq) =>
        warn(start, `warning: escape sequence \`${seq}' treated as plain \`${seq.slice(1)}'`),
      );
      push("STRING", value, start);
      continue;
    }
    if (c === "/" && !OPERAND_END.has(toks[toks.length - 1]?.t ?? "")) {
      i++;
      let raw = "";
      let inBracket = false;
      while (i < n) {
        const d = text[i];
        if (d === "\n") throw new AwkSyntaxError("unterminated regexp", src, start);
        if (d === "\\" && i + 1 < n) {
          if (text[i + 1] === "\n") {
            i += 2;
            continue;
          }
          raw += d + text[i + 1];
          i += 2;
          continue;
        }
        if (inBracket) {
          if (d === "[" && text[i + 1] === ":") {
            const end = text.indexOf(":]", i + 2);
            if (end > 0 && !text.slice(i, end).includes("\n")) {
              raw += text.slice(i, end + 2);
              i = end + 2;
              continue;
            }
          }
          if (d === "]" && !(raw.endsWith("[") || raw.endsWith("[^"))) inBracket = false;
        } else if (d === "[") {
          inBracket = true;
        } else if (d === "/") {
          break;
        }
        raw += d;
        i++;
      }
      if (i >= n) throw new AwkSyntaxError("unterminated regexp", src, start);
      i++;
      push("ERE", raw, start);
      continue;
    }
    if ((c >= "0" && c <= "9") || (c === "." && text[i + 1] >= "0" && text[i + 1] <= "9")) {
      let m = /^0[xX][0-9A-Fa-f]+/.exec(text.slice(i, i + 40));
      if (m) {
        i += m[0].length;
        push("NUMBER", m[0], start, Number.parseInt(m[0].slice(2), 16));
        continue;
      }
      m = /^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(text.slice(i, i + 400));
      const s = m ? m[0] : c;
      i += s.length;
      let v = Number(s);
      if (/^0[0-7]+$/.test(s)) v = Number.parseInt(s, 8);
      push("NUMBER", s, start, v);
      continue;
    }
    if (isIdStart(c)) {
      while (i < n && isIdChar(text[i])) i++;
      const word = text.slice(start, i);
      if (KEYWORDS.has(word)) push(word === "func" ? "function" : word, word, start);
      else if (BUILTINS.has(word)) push("BUILTIN", word, start);
      else if (text[i] === "(") push("FUNC_NAME", word, start);
      else push("NAME", word, start);
      continue;
    }
    const three = text.slice(i, i + 3);
    if (PUNCT3.includes(three)) {
      push(three, three, start);
      i += 3;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (PUNCT2.includes(two)) {
      push(two, two, start);
      i += 2;
      continue;
    }
    if (PUNCT1.includes(c)) {
      push(c, c, start);
      i++;
      continue;
    }
    throw new AwkSyntaxError(`invalid char '${c}' in expression`, src, start);
  }
  return toks;
}
