/**
 * Parsing of `${...}` parameter expansions into ParameterPart. Forms bash accepts syntactically
 * but cannot interpret (`${}`, `${x!}`, `${#x:-y}`) become BadSubstitutionPart: bash reports
 * "bad substitution" when it expands them, not when it parses the script.
 */

import type { ArithText, ParameterOp, ParameterSubscript, Word, WordPart } from "./ast.ts";
import { unmatched } from "./syntax-error.ts";
import { isIdentChar, isIdentStart, skipQuoted, type WordLexer } from "./word-lexer.ts";

const SPECIALS = "@*#?-$!0";
const TRANSFORMS = "QEPAKaUuLk";

function isParamStart(c: string): boolean {
  return isIdentStart(c) || (c >= "0" && c <= "9") || (c !== "" && SPECIALS.includes(c));
}

/**
 * Reads an expansion after `${`. `start` is the offset of the `$`, `line` its line;
 * `inDquote` tells whether the whole expansion sits inside double quotes.
 */
export function readBraceParameter(
  lx: WordLexer,
  inDquote: boolean,
  start: number,
  line: number,
): WordPart {
  const r = lx.reader;
  const contentStart = r.mark();
  const bad = (): WordPart => {
    // Rescan from the top so nested constructs are matched the way bash matches them.
    r.reset(contentStart);
    lx.scanMatched("{", "}", line);
    return { type: "badSubstitution", text: r.slice(start) };
  };

  let length = false;
  let indirect = false;
  const first = r.peek();
  if ((first === "#" || first === "!") && r.peekSecond() !== "}" && isParamStart(r.peekSecond())) {
    r.next();
    if (first === "#") length = true;
    else indirect = true;
  }

  const c = r.peek();
  let name = "";
  if (isIdentStart(c)) {
    while (isIdentChar(r.peek())) name += r.next();
  } else if (c >= "0" && c <= "9") {
    while (r.peek() >= "0" && r.peek() <= "9") name += r.next();
  } else if (c !== "" && SPECIALS.includes(c)) {
    name = r.next();
  } else {
    return bad();
  }

  let subscript: ParameterSubscript | null = null;
  if (isIdentStart(name[0]) && r.peek() === "[") {
    r.next();
    const text = scanSubscript(lx, line);
    if (text === null) return { type: "badSubstitution", text: r.slice(start) };
    subscript =
      text === "@" || text === "*"
        ? { type: "all", star: text === "*" }
        : { type: "index", index: lx.arithText(text, line) };
  }

  const part = (op: ParameterOp | null, isIndirect = indirect): WordPart => ({
    type: "parameter",
    name,
    braced: true,
    subscript,
    indirect: isIndirect,
    op,
    text: r.slice(start),
  });

  if (indirect) {
    const n = r.peek();
    if (!subscript && isIdentStart(name[0]) && (n === "*" || n === "@") && r.peekSecond() === "}") {
      r.next();
      r.next();
      return part({ type: "prefixNames", star: n === "*" }, false);
    }
    if (subscript?.type === "all" && n === "}") {
      r.next();
      return part({ type: "keys", star: subscript.star }, false);
    }
  }

  if (r.peek() === "}") {
    r.next();
    return part(length ? { type: "length" } : null);
  }
  if (length) return bad();

  const op = readOperator(lx, inDquote, line);
  if (op === null || r.peek() !== "}") return bad();
  r.next();
  return part(op);
}

/** The operator after the parameter name, with its operand words; null if unrecognized. */
function readOperator(lx: WordLexer, inDquote: boolean, line: number): ParameterOp | null {
  const r = lx.reader;
  const c = r.next();
  // Default-family operands inside double quotes treat `'` literally; patterns do not.
  const defaultWord = () => lx.readOperandWord("}", inDquote, inDquote, line);
  const patternWord = (stops = "}") => lx.readOperandWord(stops, inDquote, false, line);
  const optional = (w: Word) => (w.parts.length === 0 ? null : w);

  switch (c) {
    case ":": {
      const n = r.peek();
      if (n === "-" || n === "=" || n === "?" || n === "+") {
        r.next();
        return { type: "default", op: n, colon: true, word: defaultWord() };
      }
      const offset = readArithOperand(lx, ":}", line);
      let length: ArithText | null = null;
      if (r.peek() === ":") {
        r.next();
        length = readArithOperand(lx, "}", line);
      }
      return { type: "substring", offset, length };
    }
    case "-":
    case "=":
    case "?":
    case "+":
      return { type: "default", op: c, colon: false, word: defaultWord() };
    case "#":
    case "%": {
      const longest = r.peek() === c;
      if (longest) r.next();
      return {
        type: "removePattern",
        side: c === "#" ? "prefix" : "suffix",
        longest,
        pattern: patternWord(),
      };
    }
    case "/": {
      let mode: "first" | "all" | "prefix" | "suffix" = "first";
      const n = r.peek();
      if (n === "/" || n === "#" || n === "%") {
        r.next();
        mode = n === "/" ? "all" : n === "#" ? "prefix" : "suffix";
      }
      const pattern = patternWord("/}");
      let replacement: Word | null = null;
      if (r.peek() === "/") {
        r.next();
        replacement = patternWord();
      }
      return { type: "replace", mode, pattern, replacement };
    }
    case "^":
    case ",":
    case "~": {
      const all = r.peek() === c;
      if (all) r.next();
      const direction = c === "^" ? "upper" : c === "," ? "lower" : "toggle";
      return { type: "case", direction, all, pattern: optional(patternWord()) };
    }
    case "@": {
      const t = r.next();
      if (t === "" || !TRANSFORMS.includes(t)) return null;
      return {
        type: "transform",
        operator: t as "Q" | "E" | "P" | "A" | "K" | "a" | "U" | "u" | "L" | "k",
      };
    }
    default:
      return null;
  }
}

/**
 * Substring offset/length: raw text up to an unquoted stop character outside brackets, parsed
 * as arithmetic (bash expands it first, hence ArithText).
 */
function readArithOperand(lx: WordLexer, stops: string, line: number): ArithText {
  const r = lx.reader;
  let text = "";
  let depth = 0;
  for (;;) {
    const c = r.peek();
    if (c === "") throw unmatched("}", line);
    if (depth === 0 && stops.includes(c)) break;
    r.next();
    text += c;
    if (c === "(" || c === "[" || c === "{") depth++;
    else if ((c === ")" || c === "]" || c === "}") && depth > 0) depth--;
    else if (c === "\\") text += r.rawNext();
    else if (c === "'" || c === '"') text += skipQuoted(r, c);
  }
  return lx.arithText(text, line);
}

/**
 * Reads a subscript after `[` through its `]`. Returns null (having consumed the closing `}`)
 * when the expansion ends first, as in `${a[}`.
 */
function scanSubscript(lx: WordLexer, line: number): string | null {
  const r = lx.reader;
  let text = "";
  let depth = 1;
  let braces = 0;
  for (;;) {
    const c = r.next();
    if (c === "") throw unmatched("}", line);
    if (c === "]" && --depth === 0) return text;
    if (c === "}" && braces-- === 0) return null;
    if (c === "[") depth++;
    else if (c === "{") braces++;
    text += c;
    if (c === "\\") text += r.rawNext();
    else if (c === "'" || c === '"') text += skipQuoted(r, c);
  }
}
