/**
 * bash pattern matching (`case`, `[[ == ]]`, `${x#pat}`, pathname expansion): `*`, `?`,
 * bracket expressions with classes, backslash escapes, and extglob `?() *() +() @() !()`.
 * Patterns are strings in which quoted characters are backslash-escaped (how the expander
 * hands them over), compiled once to a RegExp and cached.
 */

const CLASSES: Record<string, string> = {
  alpha: "a-zA-Z",
  digit: "0-9",
  alnum: "a-zA-Z0-9",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\n\\r\\f\\v",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  print: " -~",
  graph: "!-~",
  cntrl: "\\x00-\\x1f\\x7f",
  xdigit: "0-9A-Fa-f",
  word: "a-zA-Z0-9_",
};

export interface PatternOptions {
  extglob?: boolean;
  nocase?: boolean;
}

const cache = new Map<string, RegExp | null>();

/** Escapes text so it matches literally inside a pattern. */
export function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]()|@!+]/g, "\\$&");
}

/** True when `pattern` has an unescaped wildcard (so it must be matched, not compared). */
export function hasGlobChars(pattern: string, extglob = true): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") i++;
    else if (c === "*" || c === "?") return true;
    else if (c === "[") {
      // Only a bracket with a closing `]` after it is a pattern (`[` alone is the test command).
      if (pattern.indexOf("]", i + 2) > 0) return true;
    } else if (extglob && "+@!".includes(c) && pattern[i + 1] === "(") return true;
  }
  return false;
}

/** Removes pattern escapes (quote removal for a pattern that matched nothing). */
export function unescapeGlob(pattern: string): string {
  return pattern.replace(/\\([\s\S])/g, "$1");
}

function escapeRegex(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

/** Reads a bracket expression at `start` (pointing at `[`); null when it is not closed. */
function bracket(p: string, start: number): { regex: string; end: number } | null {
  let i = start + 1;
  let negate = false;
  if (p[i] === "!" || p[i] === "^") {
    negate = true;
    i++;
  }
  let body = "";
  let first = true;
  while (i < p.length) {
    const c = p[i];
    if (c === "]" && !first) {
      return { regex: `[${negate ? "^" : ""}${body}]`, end: i + 1 };
    }
    first = false;
    if (c === "[" && (p[i + 1] === ":" || p[i + 1] === "=" || p[i + 1] === ".")) {
      const kind = p[i + 1];
      const close = p.indexOf(`${kind}]`, i + 2);
      if (close > 0) {
        const name = p.slice(i + 2, close);
        if (kind === ":") {
          const cls = CLASSES[name];
          if (cls === undefined) return null;
          body += cls;
        } else body += escapeRegex(name);
        i = close + 2;
        continue;
      }
    }
    if (c === "\\" && i + 1 < p.length) {
      body += escapeRegex(p[i + 1]);
      i += 2;
    } else {
      // A range a-z stays a range; other characters are escaped.
      body += c === "-" ? "-" : escapeRegex(c);
      i++;
    }
  }
  return null;
}

/** Index of the `)` closing an extglob group opened at `open`, or -1. */
function groupEnd(p: string, open: number): number {
  let depth = 0;
  for (let i = open; i < p.length; i++) {
    const c = p[i];
    if (c === "\\") i++;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return -1;
}

function splitAlternatives(p: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === "\\") i++;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) {
      parts.push(p.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(p.slice(start));
  return parts;
}

function translate(p: string, options: PatternOptions): string {
  let out = "";
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (options.extglob && "?*+@!".includes(c) && p[i + 1] === "(") {
      const end = groupEnd(p, i + 1);
      if (end > 0) {
        const alts = splitAlternatives(p.slice(i + 2, end))
          .map((a) => translate(a, options))
          .join("|");
        const rest = translate(p.slice(end + 1), options);
        switch (c) {
          case "?":
            out += `(?:${alts})?`;
            break;
          case "*":
            out += `(?:${alts})*`;
            break;
          case "+":
            out += `(?:${alts})+`;
            break;
          case "@":
            out += `(?:${alts})`;
            break;
          default:
            // !(x): any text that, together with what follows, does not make x match here.
            out += `(?:(?!(?:${alts})${rest}$)[\\s\\S]*?)`;
        }
        return out + rest;
      }
    }
    if (c === "*") {
      while (p[i + 1] === "*") i++;
      out += "[\\s\\S]*";
    } else if (c === "?") out += "[\\s\\S]";
    else if (c === "[") {
      const b = bracket(p, i);
      if (b) {
        out += b.regex;
        i = b.end - 1;
      } else out += "\\[";
    } else if (c === "\\") {
      if (i + 1 < p.length) out += escapeRegex(p[++i]);
      else out += "\\\\";
    } else out += escapeRegex(c);
  }
  return out;
}

/** The anchored RegExp for `pattern`; null only if the translation is not a valid regex. */
export function compilePattern(pattern: string, options: PatternOptions = {}): RegExp | null {
  const key = `${options.extglob ? 1 : 0}${options.nocase ? 1 : 0}${pattern}`;
  let re = cache.get(key);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${translate(pattern, options)})$`, options.nocase ? "i" : "");
    } catch {
      re = null;
    }
    if (cache.size > 2000) cache.clear();
    cache.set(key, re);
  }
  return re;
}

const searchCache = new Map<string, RegExp | null>();

/** Unanchored sticky form of `pattern`, for finding (greedy) matches at a given position. */
function compileSearch(pattern: string, options: PatternOptions): RegExp | null {
  const key = `${options.extglob ? 1 : 0}${options.nocase ? 1 : 0}${pattern}`;
  let re = searchCache.get(key);
  if (re === undefined) {
    try {
      re = new RegExp(`(?:${translate(pattern, options)})`, options.nocase ? "iy" : "y");
    } catch {
      re = null;
    }
    if (searchCache.size > 2000) searchCache.clear();
    searchCache.set(key, re);
  }
  return re;
}

/** Whether the whole of `text` matches `pattern`. */
export function matchPattern(text: string, pattern: string, options: PatternOptions = {}): boolean {
  if (!hasGlobChars(pattern, options.extglob)) {
    const literal = unescapeGlob(pattern);
    return options.nocase ? literal.toLowerCase() === text.toLowerCase() : literal === text;
  }
  const re = compilePattern(pattern, options);
  return re ? re.test(text) : unescapeGlob(pattern) === text;
}

/** `${x#p}` / `${x##p}` / `${x%p}` / `${x%%p}` */
export function removePattern(
  text: string,
  pattern: string,
  side: "prefix" | "suffix",
  longest: boolean,
  options: PatternOptions = {},
): string {
  const n = text.length;
  if (!hasGlobChars(pattern, options.extglob) && !options.nocase) {
    const literal = unescapeGlob(pattern);
    if (side === "prefix") return text.startsWith(literal) ? text.slice(literal.length) : text;
    return text.endsWith(literal) ? text.slice(0, n - literal.length) : text;
  }
  const re = compilePattern(pattern, options);
  if (!re) return text;
  if (side === "prefix") {
    if (longest) {
      for (let i = n; i >= 0; i--) if (re.test(text.slice(0, i))) return text.slice(i);
    } else {
      for (let i = 0; i <= n; i++) if (re.test(text.slice(0, i))) return text.slice(i);
    }
  } else if (longest) {
    for (let i = 0; i <= n; i++) if (re.test(text.slice(i))) return text.slice(0, i);
  } else {
    for (let i = n; i >= 0; i--) if (re.test(text.slice(i))) return text.slice(0, i);
  }
  return text;
}

/** `${x/p/r}` and friends: replaces the longest match at the leftmost position(s). */
export function replacePattern(
  text: string,
  pattern: string,
  replacementSpec: string | { text: string; amp: number[] },
  mode: "first" | "all" | "prefix" | "suffix",
  options: PatternOptions = {},
): string {
  const spec =
    typeof replacementSpec === "string" ? { text: replacementSpec, amp: [] } : replacementSpec;
  // `&` (patsub_replacement) inserts the matched text.
  const fill = (matched: string): string => {
    if (spec.amp.length === 0) return spec.text;
    let out = "";
    let last = 0;
    for (const at of spec.amp) {
      out += spec.text.slice(last, at) + matched;
      last = at;
    }
    return out + spec.text.slice(last);
  };
  const n = text.length;
  if (pattern === "") return mode === "prefix" || mode === "suffix" ? text : text;
  const literal =
    !hasGlobChars(pattern, options.extglob) && !options.nocase ? unescapeGlob(pattern) : null;
  const re = literal === null ? compilePattern(pattern, options) : null;
  const matchesAt = (start: number, end: number): boolean =>
    literal !== null ? text.slice(start, end) === literal : re!.test(text.slice(start, end));
  if (mode === "prefix") {
    for (let end = n; end >= 0; end--) {
      if (matchesAt(0, end)) return fill(text.slice(0, end)) + text.slice(end);
    }
    return text;
  }
  if (mode === "suffix") {
    for (let start = 0; start <= n; start++) {
      if (matchesAt(start, n)) return text.slice(0, start) + fill(text.slice(start));
    }
    return text;
  }
  let out = "";
  let i = 0;
  while (i <= n) {
    let matchedEnd = -1;
    if (literal !== null) {
      const at = text.indexOf(literal, i);
      if (at < 0) break;
      out += text.slice(i, at);
      i = at;
      matchedEnd = at + literal.length;
    } else {
      const search = compileSearch(pattern, options);
      if (!search) break;
      search.lastIndex = i;
      const m = search.exec(text);
      if (m) matchedEnd = i + m[0].length;
    }
    if (matchedEnd < 0 || matchedEnd === i) {
      if (i < n) out += text[i];
      i++;
      continue;
    }
    out += fill(text.slice(i, matchedEnd));
    i = matchedEnd;
    if (mode === "first") return out + text.slice(i);
  }
  return out + (i < n ? text.slice(i) : "");
}
