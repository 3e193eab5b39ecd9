/**
 * awk regular expressions (POSIX ERE plus the gawk operators \y \B \< \> \s \S \w \W \` \')
 * translated to JavaScript RegExp source. Text is handled in a latin1 model (one char per byte),
 * so the "C" locale classes are plain ASCII ranges. Known difference: JavaScript alternation is
 * leftmost-first, POSIX is leftmost-longest (`(a|ab)` on "ab" matches "a" here).
 */

const CLASSES: Record<string, string> = {
  alpha: "A-Za-z",
  digit: "0-9",
  alnum: "0-9A-Za-z",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\n\\r\\f\\v",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  print: " -~",
  graph: "!-~",
  cntrl: "\\x00-\\x1f\\x7f",
  xdigit: "0-9A-Fa-f",
  word: "0-9A-Za-z_",
};

const SIMPLE_ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  f: "\f",
  v: "\v",
  a: "\x07",
  b: "\b",
  "/": "/",
  '"': '"',
};

function escChar(c: string): string {
  const code = c.charCodeAt(0);
  if (/[A-Za-z0-9_ ]/.test(c)) return c;
  if (code < 0x20 || code >= 0x7f) return `\\x${code.toString(16).padStart(2, "0")}`;
  return `\\${c}`;
}

/** Reads an octal (\ooo) or hex (\xhh) escape at `src[i]` (just after the backslash). */
function numericEscape(src: string, i: number): [string, number] | undefined {
  const c = src[i];
  if (c >= "0" && c <= "7") {
    let j = i;
    let v = 0;
    while (j < src.length && j < i + 3 && src[j] >= "0" && src[j] <= "7") {
      v = v * 8 + (src.charCodeAt(j) - 48);
      j++;
    }
    return [String.fromCharCode(v & 0xff), j];
  }
  if (c === "x" && /[0-9A-Fa-f]/.test(src[i + 1] ?? "")) {
    let j = i + 1;
    let v = 0;
    while (j < src.length && j < i + 3 && /[0-9A-Fa-f]/.test(src[j])) {
      v = v * 16 + Number.parseInt(src[j], 16);
      j++;
    }
    return [String.fromCharCode(v), j];
  }
  return undefined;
}

/** Translates an awk ERE to JavaScript RegExp source (use with flags "s", plus "i" for IGNORECASE). */
export function translateRegex(src: string): string {
  let out = "";
  let i = 0;
  // Whether a quantifier here would have nothing to repeat (then it is literal, as in gawk).
  let atStart = true;
  while (i < src.length) {
    const c = src[i];
    if (c === "\\") {
      i++;
      if (i >= src.length) {
        out += "\\\\";
        break;
      }
      const d = src[i];
      const num = numericEscape(src, i);
      if (num) {
        out += escChar(num[0]);
        i = num[1];
      } else {
        i++;
        switch (d) {
          case "y":
            out += "\\b";
            break;
          case "B":
            out += "\\B";
            break;
          case "<":
            out += "\\b(?=\\w)";
            break;
          case ">":
            out += "\\b(?<=\\w)";
            break;
          case "s":
            out += "[ \\t\\n\\r\\f\\v]";
            break;
          case "S":
            out += "[^ \\t\\n\\r\\f\\v]";
            break;
          case "w":
            out += "\\w";
            break;
          case "W":
            out += "\\W";
            break;
          case "`":
            out += "^";
            break;
          case "'":
            out += "$";
            break;
          default:
            out += escChar(SIMPLE_ESCAPES[d] ?? d);
        }
      }
      atStart = false;
      continue;
    }
    if (c === "[") {
      const [cls, next] = translateBracket(src, i);
      out += cls;
      i = next;
      atStart = false;
      continue;
    }
    if (c === "*" || c === "+" || c === "?") {
      out += atStart ? `\\${c}` : c;
      i++;
      continue;
    }
    if (c === "{") {
      const m = /^\{(\d*)(,?)(\d*)\}/.exec(src.slice(i));
      if (m && !atStart && (m[1] !== "" || (m[2] === "," && m[3] !== ""))) {
        out += `{${m[1] === "" ? "0" : m[1]}${m[2]}${m[3]}}`;
        i += m[0].length;
      } else {
        out += "\\{";
        i++;
        atStart = false;
      }
      continue;
    }
    if (c === "}") {
      out += "\\}";
      i++;
      atStart = false;
      continue;
    }
    if (c === "(" || c === "|") {
      out += c;
      i++;
      atStart = true;
      continue;
    }
    if (c === "^") {
      out += c;
      i++;
      atStart = true;
      continue;
    }
    if (c === "." || c === ")" || c === "$") {
      out += c;
    } else {
      out += escChar(c);
    }
    i++;
    atStart = false;
  }
  return out;
}

/** Translates a bracket expression starting at src[start] === "["; returns [source, next index]. */
function translateBracket(src: string, start: number): [string, number] {
  let i = start + 1;
  let out = "[";
  if (src[i] === "^") {
    out += "^";
    i++;
  }
  let first = true;
  while (i < src.length) {
    const c = src[i];
    if (c === "]" && !first) {
      return [out === "[" ? "(?!)" : out === "[^" ? "[^]" : `${out}]`, i + 1];
    }
    first = false;
    if (c === "[" && src[i + 1] === ":") {
      const end = src.indexOf(":]", i + 2);
      if (end > 0) {
        const name = src.slice(i + 2, end);
        const cls = CLASSES[name];
        if (cls !== undefined) {
          out += cls;
          i = end + 2;
          continue;
        }
      }
    }
    if (c === "[" && (src[i + 1] === "." || src[i + 1] === "=")) {
      const close = `${src[i + 1]}]`;
      const end = src.indexOf(close, i + 2);
      if (end > 0) {
        out += escChar(src.slice(i + 2, end) || "[");
        i = end + 2;
        continue;
      }
    }
    if (c === "\\" && i + 1 < src.length) {
      const num = numericEscape(src, i + 1);
      if (num) {
        out += escChar(num[0]);
        i = num[1];
        continue;
      }
      const d = src[i + 1];
      out += escChar(SIMPLE_ESCAPES[d] ?? d);
      i += 2;
      continue;
    }
    if (c === "-") {
      out += "-";
      i++;
      continue;
    }
    out += escChar(c);
    i++;
  }
  // Unterminated bracket: gawk reports an error; treat "[" literally.
  throw new SyntaxError("Unmatched [, [^, [:, [., or [=");
}

const cache = new Map<string, RegExp>();

/** The compiled RegExp for an awk regex (cached). Throws SyntaxError on invalid patterns. */
export function awkRegex(src: string, ignoreCase = false): RegExp {
  const key = ignoreCase ? `i${src}` : `s${src}`;
  let re = cache.get(key);
  if (re === undefined) {
    re = new RegExp(translateRegex(src), ignoreCase ? "gsi" : "gs");
    if (cache.size > 1000) cache.clear();
    cache.set(key, re);
  }
  return re;
}

/** gawk's wording for a regex compile error. */
export function regexErrorText(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/Unterminated group/.test(msg)) return "Unmatched ( or \\(";
  if (/Unmatched '\)'/.test(msg)) return "Unmatched ) or \\)";
  if (/\\ at end of pattern/.test(msg)) return "Trailing backslash";
  return "Invalid regular expression";
}
