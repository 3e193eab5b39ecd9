/**
 * POSIX regular expressions (BRE and ERE, with the GNU extensions) translated to JavaScript
 * RegExps. Written by hand because no npm library translates POSIX syntax (BRE `\(` groups,
 * `\{m,n\}`, bracket classes, GNU messages) to JS with GNU's exact error behaviour.
 *
 * Text is matched as latin1: every byte of the input is one UTF-16 code unit (0-255), so
 * binary and UTF-8 input round-trips exactly and `[^a]` matches exactly one byte (LC_ALL=C).
 * The `u` flag is never used; case folding is done here (ASCII only, as in the C locale)
 * rather than with the `i` flag, which would also fold latin1 letters such as é/É.
 *
 * Two dialects differ in what they accept: "grep" follows GNU grep 3.8 (dfa.c: `a**` is fine,
 * a leading `*` in an ERE is ignored with a warning, an invalid `{` is literal, a lone `)` is
 * literal) and "glibc" follows the C library's regcomp as used by GNU sed 4.9 (those are
 * errors).
 *
 * Leftmost-longest: POSIX picks the longest match at the leftmost position; JS picks the first
 * alternative that matches. Alternations whose branches are all literal strings are reordered
 * longest first, which makes them exact. For any other alternation, `PosixRegex.exec` extends
 * a JS match by trying every longer end (from the longest down) at the same start. What
 * remains different: the sub-match boundaries (`\1`) inside such a longest match follow JS
 * rules (the first alternative that reaches the chosen end), not POSIX's subexpression rules;
 * the extension search is capped to 4096 characters past the JS match; a back-reference to a
 * group that did not participate matches the empty string (POSIX: fails).
 */

export type RegexDialect = "grep" | "glibc";

export interface PosixRegexOptions {
  /** ERE (`grep -E`, `sed -E`) rather than BRE. */
  extended?: boolean;
  ignoreCase?: boolean;
  /** `^`/`$` also match around newlines; `.` and `[^...]` do not match newline (sed's M). */
  multiline?: boolean;
  /** Whose parser quirks to follow (default "glibc"). */
  dialect?: RegexDialect;
  /** Receives warnings such as "* at start of expression" (grep dialect). */
  warn?: (message: string) => void;
}

/** A syntax error, with GNU's message text (e.g. "Unmatched ( or \\("). */
export class RegexSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RegexSyntaxError";
  }
}

const MAX_REPEAT = 32767;
const EXTEND_LIMIT = 4096;

const CLASSES: Record<string, (c: number) => boolean> = {
  alpha: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  digit: (c) => c >= 48 && c <= 57,
  alnum: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57),
  upper: (c) => c >= 65 && c <= 90,
  lower: (c) => c >= 97 && c <= 122,
  space: (c) => c === 32 || (c >= 9 && c <= 13),
  blank: (c) => c === 32 || c === 9,
  punct: (c) =>
    (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126),
  print: (c) => c >= 32 && c <= 126,
  graph: (c) => c >= 33 && c <= 126,
  cntrl: (c) => c < 32 || c === 127,
  xdigit: (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
};

function hex(c: number): string {
  return `\\x${c.toString(16).padStart(2, "0")}`;
}

/** One character as a JS regex literal (safe in and out of classes). */
function lit(c: number): string {
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
    return String.fromCharCode(c);
  }
  return c > 255 ? `\\u${c.toString(16).padStart(4, "0")}` : hex(c);
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function otherCase(c: number): number {
  if (c >= 65 && c <= 90) return c + 32;
  if (c >= 97 && c <= 122) return c - 32;
  return c;
}

/** A set of bytes as a JS character class. */
function classOf(set: boolean[]): string {
  let count = 0;
  for (let c = 0; c < 256; c++) if (set[c]) count++;
  if (count === 256) return "[^]";
  if (count === 0) return "[]";
  const negate = count > 128;
  let out = "";
  let c = 0;
  while (c < 256) {
    if (set[c] !== negate) {
      let end = c;
      while (end + 1 < 256 && set[end + 1] !== negate) end++;
      out += end === c ? lit(c) : end === c + 1 ? lit(c) + lit(end) : `${lit(c)}-${lit(end)}`;
      c = end + 1;
    } else {
      c++;
    }
  }
  // Characters above 255 never occur in latin1 text; negated classes may still match them.
  return negate ? `[^${out}]` : `[${out}]`;
}

interface Piece {
  src: string;
  /** Literal string this piece matches, when it is a plain literal (for alternation ordering). */
  literal?: string;
  anchor?: boolean;
  quantified?: boolean;
}

/** Result of a translation: JS source plus facts the matcher needs. */
export interface Translation {
  source: string;
  flags: string;
  groups: number;
  /** Has an alternation JS may resolve shorter than POSIX. */
  needsLongest: boolean;
  /** Contains assertions that look past the end of the match ($, \b, \>, \', ...). */
  endSensitive: boolean;
}

class Parser {
  readonly p: string;
  readonly ere: boolean;
  readonly icase: boolean;
  readonly multi: boolean;
  readonly grep: boolean;
  readonly warn: ((m: string) => void) | undefined;
  i = 0;
  groups = 0;
  closed = new Set<number>();
  needsLongest = false;
  endSensitive = false;
  hasBackref = false;
  depth = 0;

  constructor(pattern: string, o: PosixRegexOptions) {
    this.p = pattern;
    this.ere = o.extended === true;
    this.icase = o.ignoreCase === true;
    this.multi = o.multiline === true;
    this.grep = o.dialect === "grep";
    this.warn = o.warn;
  }

  fail(msg: string): never {
    throw new RegexSyntaxError(msg);
  }

  peek(k = 0): string {
    return this.p[this.i + k] ?? "";
  }

  /** At an alternation operator? */
  atAlt(): boolean {
    return this.ere ? this.peek() === "|" : this.peek() === "\\" && this.peek(1) === "|";
  }

  atClose(): boolean {
    if (this.ere) return this.peek() === ")" && (this.depth > 0 || !this.grep);
    return this.peek() === "\\" && this.peek(1) === ")";
  }

  parseAlt(): { src: string; literal?: string } {
    const branches: { src: string; literal?: string }[] = [this.parseBranch()];
    while (this.atAlt()) {
      this.i += this.ere ? 1 : 2;
      branches.push(this.parseBranch());
    }
    if (branches.length === 1) return branches[0];
    const allLiteral = branches.every((b) => b.literal !== undefined);
    if (allLiteral) {
      // Longest first makes JS's first-match pick POSIX's longest among fixed strings.
      const sorted = [...branches].sort(
        (a, b) => (b.literal ?? "").length - (a.literal ?? "").length,
      );
      if (this.depth > 0) this.needsLongest = true;
      return { src: sorted.map((b) => b.src).join("|") };
    }
    this.needsLongest = true;
    return { src: branches.map((b) => b.src).join("|") };
  }

  /** True when `$` at the current position ends a BRE branch (so it is an anchor). */
  breDollarIsAnchor(): boolean {
    const rest = this.i + 1;
    if (rest >= this.p.length) return true;
    return this.p[rest] === "\\" && (this.p[rest + 1] === ")" || this.p[rest + 1] === "|");
  }

  parseBranch(): { src: string; literal?: string } {
    const pieces: Piece[] = [];
    let start = true; // at the start of a branch (for BRE `*` and `^`)
    while (this.i < this.p.length && !this.atAlt() && !this.atClose()) {
      const ch = this.peek();
      // Quantifiers.
      const q = this.readQuantifier(start, pieces);
      if (q !== undefined) {
        if (q === "") continue;
        const prev = pieces[pieces.length - 1];
        pieces[pieces.length - 1] = { src: `(?:${prev.src})${q}`, quantified: true };
        continue;
      }
      if (ch === "^" && (this.ere || start)) {
        this.i++;
        pieces.push({ src: this.multi ? "(?<![^\\n])" : "^", anchor: true });
        // In BRE a `*` right after a leading `^` is literal.
        start = !this.ere;
        continue;
      }
      if (ch === "$" && (this.ere || this.breDollarIsAnchor())) {
        this.i++;
        this.endSensitive = true;
        pieces.push({ src: this.multi ? "(?![^\\n])" : "$", anchor: true });
        start = false;
        continue;
      }
      start = false;
      pieces.push(this.parseAtom());
    }
    let src = "";
    let literal: string | undefined = "";
    for (const piece of pieces) {
      src += piece.src;
      if (literal !== undefined && piece.literal !== undefined) literal += piece.literal;
      else literal = undefined;
    }
    return { src, literal };
  }

  /**
   * Reads a quantifier at the current position. Returns undefined when there is none (the
   * character is then an ordinary atom), "" when it was consumed without effect, or the JS
   * quantifier text.
   */
  readQuantifier(start: boolean, pieces: Piece[]): string | undefined {
    const ch = this.peek();
    let name: string;
    let len = 1;
    if (ch === "*") name = "*";
    else if (this.ere && (ch === "+" || ch === "?")) name = ch;
    else if (!this.ere && ch === "\\" && (this.peek(1) === "+" || this.peek(1) === "?")) {
      name = this.peek(1);
      len = 2;
    } else if (this.ere ? ch === "{" : ch === "\\" && this.peek(1) === "{") {
      name = "{...}";
      len = 0;
    } else {
      return undefined;
    }
    const last = pieces[pieces.length - 1];
    const nothing =
      pieces.length === 0 ||
      (start && !this.ere) ||
      (this.ere && pieces.length === 1 && last.anchor === true && last.src !== "\\b");
    // BRE: an operator with nothing before it is literal.
    if (nothing && !this.ere) return undefined;
    if (nothing && !this.grep) this.fail("Invalid preceding regular expression");
    let q: string;
    if (len === 0) {
      const iv = this.readInterval();
      if (iv === undefined) return undefined;
      q = iv;
    } else {
      q = name;
      this.i += len;
    }
    if (nothing) {
      this.warn?.(`${name} at start of expression`);
      return "";
    }
    if (!this.ere && !this.grep && last.quantified) {
      this.fail("Invalid preceding regular expression");
    }
    return q;
  }

  /**
   * Parses `{m,n}` / `\{m,n\}` at the current position; returns the JS quantifier, or
   * undefined when (grep ERE) an invalid interval is an ordinary `{`.
   */
  readInterval(): string | undefined {
    // Follows glibc's parse_dup_op/fetch_number: -1 = no digits, -2 = invalid.
    const ord = this.ere && this.grep; // RE_INVALID_INTERVAL_ORD: invalid means literal
    let j = this.i + (this.ere ? 1 : 2);
    let stop = "";
    const isClose = (k: number): boolean =>
      this.ere ? this.p[k] === "}" : this.p[k] === "\\" && this.p[k + 1] === "}";
    const fetch = (): number => {
      let n = -1;
      for (;;) {
        if (j >= this.p.length) {
          stop = "end";
          return -2;
        }
        if (isClose(j)) {
          stop = "}";
          j += this.ere ? 1 : 2;
          return n;
        }
        const c = this.p[j++];
        if (c === ",") {
          stop = ",";
          return n;
        }
        n =
          n === -2 || c < "0" || c > "9"
            ? -2
            : n === -1
              ? Number(c)
              : Math.min(MAX_REPEAT + 1, n * 10 + Number(c));
      }
    };
    let lo = fetch();
    let hi = lo;
    if (lo === -1) {
      if (stop === ",") lo = 0;
      else if (stop === "}") this.fail("Invalid content of \\{\\}");
    }
    if (lo !== -2 && stop === ",") hi = fetch();
    if (lo === -2 || hi === -2 || stop === "end") {
      if (ord) return undefined;
      if (stop === "end") this.fail("Unmatched \\{");
      this.fail("Invalid content of \\{\\}");
    }
    if ((hi !== -1 && lo > hi) || stop !== "}") this.fail("Invalid content of \\{\\}");
    if ((hi === -1 ? lo : hi) > MAX_REPEAT) this.fail("Regular expression too big");
    this.i = j;
    return hi === -1 ? `{${lo},}` : hi === lo ? `{${lo}}` : `{${lo},${hi}}`;
  }

  parseAtom(): Piece {
    const ch = this.peek();
    if (this.ere && ch === "(") return this.parseGroup(1);
    if (!this.ere && ch === "\\" && this.peek(1) === "(") return this.parseGroup(2);
    if (this.ere && ch === ")") {
      // Only reached in the grep dialect at depth 0: a lone `)` is literal.
      this.i++;
      return this.literal(41);
    }
    if (!this.ere && ch === "\\" && this.peek(1) === ")") this.fail("Unmatched ) or \\)");
    if (ch === ".") {
      this.i++;
      return { src: this.multi ? "[^\\n]" : "[^]" };
    }
    if (ch === "[") return this.parseBracket();
    if (ch === "\\") return this.parseEscape();
    this.i++;
    return this.literal(ch.charCodeAt(0));
  }

  literal(c: number): Piece {
    const s = String.fromCharCode(c);
    if (this.icase && isAlpha(c)) return { src: `[${lit(c)}${lit(otherCase(c))}]`, literal: s };
    return { src: lit(c), literal: s };
  }

  parseGroup(len: number): Piece {
    this.i += len;
    const n = ++this.groups;
    this.depth++;
    const inner = this.parseAlt();
    this.depth--;
    if (this.ere ? this.peek() !== ")" : !(this.peek() === "\\" && this.peek(1) === ")")) {
      this.fail("Unmatched ( or \\(");
    }
    this.i += len;
    this.closed.add(n);
    return { src: `(${inner.src})` };
  }

  parseEscape(): Piece {
    const c = this.peek(1);
    if (c === "") this.fail("Trailing backslash");
    this.i += 2;
    if (c >= "1" && c <= "9") {
      const n = Number(c);
      if (!this.closed.has(n)) this.fail("Invalid back reference");
      this.hasBackref = true;
      this.needsLongest = true;
      return { src: `\\${n}(?:)` };
    }
    switch (c) {
      case "w":
        return { src: "[A-Za-z0-9_]" };
      case "W":
        return { src: "[^A-Za-z0-9_]" };
      case "s":
        return { src: "[\\t-\\r ]" };
      case "S":
        return { src: "[^\\t-\\r ]" };
      case "b":
        this.endSensitive = true;
        return { src: "\\b", anchor: true };
      case "B":
        this.endSensitive = true;
        return { src: "\\B", anchor: true };
      case "<":
        this.endSensitive = true;
        return { src: "\\b(?=\\w)", anchor: true };
      case ">":
        return { src: "\\b(?<=\\w)", anchor: true };
      case "`":
        return { src: "(?<![^])", anchor: true };
      case "'":
        this.endSensitive = true;
        return { src: "(?![^])", anchor: true };
      case "{":
        if (this.ere) return this.literal(123);
        // A BRE interval where nothing precedes it: literal in the grep dialect.
        return this.literal(123);
      case "}":
        return this.literal(125);
      default:
        return this.literal(c.charCodeAt(0));
    }
  }

  parseBracket(): Piece {
    const startPos = this.i;
    this.i++;
    const set: boolean[] = new Array(256).fill(false);
    let negate = false;
    if (this.peek() === "^") {
      negate = true;
      this.i++;
    }
    const contentStart = this.i;
    const unmatched = (): never => {
      if (this.grep && startPos === this.p.length - 1) this.fail("Invalid regular expression");
      return this.fail("Unmatched [, [^, [:, [., or [=");
    };
    let first = true;
    for (;;) {
      if (this.i >= this.p.length) unmatched();
      let ch = this.peek();
      if (ch === "]" && !first) {
        this.i++;
        break;
      }
      first = false;
      let single: number | undefined;
      if (ch === "[" && (this.peek(1) === ":" || this.peek(1) === "=" || this.peek(1) === ".")) {
        const kind = this.peek(1);
        const end = this.p.indexOf(`${kind}]`, this.i + 2);
        if (end < 0) unmatched();
        const name = this.p.slice(this.i + 2, end);
        this.i = end + 2;
        if (kind === ":") {
          const test = CLASSES[name];
          if (!test) this.fail("Invalid character class name");
          for (let c = 0; c < 256; c++) if (test(c)) set[c] = true;
          continue;
        }
        if (name.length !== 1) this.fail("Invalid collation character");
        single = name.charCodeAt(0);
        if (kind === "=") {
          set[single] = true;
          continue;
        }
      } else {
        single = ch.charCodeAt(0);
        this.i++;
      }
      // A range?
      if (this.peek() === "-" && this.peek(1) !== "]" && this.peek(1) !== "") {
        this.i++;
        let hi: number;
        ch = this.peek();
        if (ch === "[" && this.peek(1) === ".") {
          const end = this.p.indexOf(".]", this.i + 2);
          if (end < 0) unmatched();
          const name = this.p.slice(this.i + 2, end);
          if (name.length !== 1) this.fail("Invalid collation character");
          hi = name.charCodeAt(0);
          this.i = end + 2;
        } else if (ch === "[" && (this.peek(1) === ":" || this.peek(1) === "=")) {
          this.fail("Invalid range end");
        } else {
          hi = ch.charCodeAt(0);
          this.i++;
        }
        if (hi < single) this.fail("Invalid range end");
        for (let c = single; c <= hi; c++) set[c] = true;
        continue;
      }
      set[single] = true;
    }
    const content = this.p.slice(contentStart, this.i - 1);
    if (content.length >= 2 && content.startsWith(":") && content.endsWith(":")) {
      this.fail("character class syntax is [[:space:]], not [:space:]");
    }
    if (this.icase) {
      for (let c = 65; c <= 122; c++) if (isAlpha(c) && set[c]) set[otherCase(c)] = true;
    }
    if (negate) {
      for (let c = 0; c < 256; c++) set[c] = !set[c];
      if (this.multi) set[10] = false;
    }
    return { src: classOf(set) };
  }
}

/** Translates a POSIX pattern to JS regex source (throws RegexSyntaxError). */
export function translatePosixRegex(pattern: string, options: PosixRegexOptions = {}): Translation {
  const parser = new Parser(pattern, options);
  const top = parser.parseAlt();
  if (parser.i < pattern.length) {
    // Only an unmatched close can stop the top level early.
    parser.fail("Unmatched ) or \\)");
  }
  const flags = parser.hasBackref && parser.icase ? "i" : "";
  return {
    source: top.src,
    flags,
    groups: parser.groups,
    needsLongest: parser.needsLongest,
    endSensitive: parser.endSensitive,
  };
}

/** A compiled POSIX regex: leftmost-longest search over latin1 text. */
export class PosixRegex {
  readonly source: string;
  readonly groups: number;
  readonly needsLongest: boolean;
  readonly endSensitive: boolean;
  /** Global regex for searching (lastIndex is managed by `exec`). */
  readonly regex: RegExp;
  readonly #flags: string;
  #anchoredEnd: RegExp | undefined;
  readonly #byRest = new Map<number, RegExp>();

  constructor(t: Translation) {
    this.source = t.source;
    this.groups = t.groups;
    this.needsLongest = t.needsLongest;
    this.endSensitive = t.endSensitive;
    this.#flags = t.flags;
    this.regex = new RegExp(t.source, `${t.flags}g`);
  }

  /** True when the pattern matches somewhere in `text`. */
  test(text: string): boolean {
    this.regex.lastIndex = 0;
    return this.regex.test(text);
  }

  /** The leftmost-longest match starting at or after `from`, or null. */
  exec(text: string, from = 0): RegExpExecArray | null {
    this.regex.lastIndex = from;
    const m = this.regex.exec(text);
    if (m === null || !this.needsLongest) return m;
    return this.#extend(text, m);
  }

  #extend(text: string, m: RegExpExecArray): RegExpExecArray {
    const start = m.index;
    const end = start + m[0].length;
    const limit = Math.min(text.length, end + EXTEND_LIMIT);
    for (let e = limit; e > end; e--) {
      let re: RegExp;
      let subject: string;
      if (!this.endSensitive) {
        this.#anchoredEnd ??= new RegExp(`(?:${this.source})$`, `${this.#flags}y`);
        re = this.#anchoredEnd;
        subject = text.slice(0, e);
      } else {
        const rest = text.length - e;
        let cached = this.#byRest.get(rest);
        if (cached === undefined) {
          if (this.#byRest.size > 512) this.#byRest.clear();
          cached = new RegExp(`(?:${this.source})(?=[^]{${rest}}$)`, `${this.#flags}y`);
          this.#byRest.set(rest, cached);
        }
        re = cached;
        subject = text;
      }
      re.lastIndex = start;
      const longer = re.exec(subject);
      if (longer !== null) {
        if (subject !== text) Object.defineProperty(longer, "input", { value: text });
        return longer;
      }
    }
    return m;
  }
}

/** Compiles a POSIX BRE/ERE (throws RegexSyntaxError with GNU's message). */
export function compilePosixRegex(pattern: string, options: PosixRegexOptions = {}): PosixRegex {
  return new PosixRegex(translatePosixRegex(pattern, options));
}

/** A JS string (as decoded from UTF-8 argv) as latin1: one char per UTF-8 byte. */
export function toLatin1(text: string): string {
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  return latin1(new TextEncoder().encode(text));
}

/** Decodes bytes as latin1 (one char per byte). */
export function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
  }
  return s;
}

/** Encodes a latin1 string (chars 0-255) back to bytes. */
export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}
