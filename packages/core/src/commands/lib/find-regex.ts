/**
 * Pattern languages of find: fnmatch(3) globs (for -name/-path and friends) and the GNU regex
 * syntaxes of -regex (-regextype emacs, the default, posix-basic, posix-extended and their
 * aliases), translated to JavaScript RegExps. Written here because no npm package gives glibc
 * fnmatch semantics ("*" matching "/" and leading dots) together with GNU's emacs regex syntax.
 */

const CLASSES: Record<string, string> = {
  alpha: "A-Za-z",
  digit: "0-9",
  alnum: "0-9A-Za-z",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\n\\v\\f\\r",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  print: " -~",
  graph: "!-~",
  cntrl: "\\x00-\\x1f\\x7f",
  xdigit: "0-9A-Fa-f",
};

function escapeClassChar(ch: string): string {
  return /[\\\]^-]/.test(ch) ? `\\${ch}` : ch;
}

function escapeLiteral(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

/**
 * Parses a bracket expression starting at `start` (just after "["). Returns the JS class and
 * the index after the closing "]", or undefined when it is not closed.
 * `backslashEscapes`: fnmatch lets "\" quote inside brackets; POSIX regex does not.
 */
function parseBracket(
  pattern: string,
  start: number,
  backslashEscapes: boolean,
  negators: string,
): { source: string; end: number } | undefined {
  let i = start;
  let negate = false;
  if (i < pattern.length && negators.includes(pattern[i])) {
    negate = true;
    i++;
  }
  let body = "";
  let first = true;
  while (i < pattern.length) {
    let ch = pattern[i];
    if (ch === "]" && !first) {
      return { source: `[${negate ? "^" : ""}${body}]`, end: i + 1 };
    }
    first = false;
    if (
      ch === "[" &&
      (pattern[i + 1] === ":" || pattern[i + 1] === "=" || pattern[i + 1] === ".")
    ) {
      const kind = pattern[i + 1];
      const close = pattern.indexOf(`${kind}]`, i + 2);
      if (close >= 0) {
        const name = pattern.slice(i + 2, close);
        if (kind === ":") {
          const cls = CLASSES[name];
          if (cls === undefined) return undefined;
          body += cls;
        } else {
          for (const c of name) body += escapeClassChar(c);
        }
        i = close + 2;
        continue;
      }
    }
    if (ch === "\\" && backslashEscapes && i + 1 < pattern.length) {
      i++;
      ch = pattern[i];
    }
    // A range "a-z" (a "-" first or last is literal).
    if (pattern[i + 1] === "-" && i + 2 < pattern.length && pattern[i + 2] !== "]") {
      let hi = pattern[i + 2];
      let next = i + 3;
      if (hi === "\\" && backslashEscapes && i + 3 < pattern.length) {
        hi = pattern[i + 3];
        next = i + 4;
      }
      body += `${escapeClassChar(ch)}-${escapeClassChar(hi)}`;
      i = next;
      continue;
    }
    body += escapeClassChar(ch);
    i++;
  }
  return undefined;
}

/** fnmatch(3) without FNM_PATHNAME/FNM_PERIOD, as find uses it: "*" matches "/" and dots. */
export function globToRegExp(pattern: string, caseFold: boolean): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "*") source += "[\\s\\S]*";
    else if (ch === "?") source += "[\\s\\S]";
    else if (ch === "[") {
      const bracket = parseBracket(pattern, i + 1, true, "!^");
      if (bracket) {
        source += bracket.source;
        i = bracket.end - 1;
      } else source += "\\[";
    } else if (ch === "\\" && i + 1 < pattern.length) {
      source += escapeLiteral(pattern[++i]);
    } else source += escapeLiteral(ch);
  }
  return new RegExp(`^(?:${source})$`, caseFold ? "is" : "s");
}

interface Syntax {
  /** Groups and alternation written \( \) \| (emacs, basic) or ( ) | (extended). */
  escapedGroups: boolean;
  /** + and ?: plain operators (emacs, extended), \+ \? (basic), or literal. */
  plusQuestion: "plain" | "escaped";
  /** Intervals: none (emacs), \{ \} (basic), { } (extended). */
  intervals: "none" | "escaped" | "plain";
}

const SYNTAXES: Record<string, Syntax> = {
  emacs: { escapedGroups: true, plusQuestion: "plain", intervals: "none" },
  "posix-basic": { escapedGroups: true, plusQuestion: "escaped", intervals: "escaped" },
  "posix-extended": { escapedGroups: false, plusQuestion: "plain", intervals: "plain" },
};

export const REGEX_TYPES: Record<string, string> = {
  "findutils-default": "emacs",
  ed: "posix-basic",
  emacs: "emacs",
  "gnu-awk": "posix-extended",
  grep: "posix-basic",
  "posix-awk": "posix-extended",
  awk: "posix-extended",
  "posix-basic": "posix-basic",
  "posix-egrep": "posix-extended",
  egrep: "posix-extended",
  "posix-extended": "posix-extended",
  "posix-minimal-basic": "posix-basic",
  sed: "posix-basic",
};

/** Translates a GNU regex of `type` to a RegExp matching the whole string; throws on errors. */
export function regexToRegExp(pattern: string, type: string, caseFold: boolean): RegExp {
  return new RegExp(`^(?:${regexSource(pattern, type)})$`, caseFold ? "i" : "");
}

/** The JavaScript source of a GNU regex of `type` (unanchored); throws on errors. */
export function regexSource(pattern: string, type: string): string {
  const syntax = SYNTAXES[REGEX_TYPES[type] ?? "emacs"];
  let source = "";
  // Whether a "*" here would have nothing to repeat (start of pattern or of a group/branch).
  let atStart = true;
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    const wasStart: boolean = atStart;
    atStart = false;
    if (ch === "\\") {
      if (i + 1 >= pattern.length) throw new Error("Trailing backslash");
      const next = pattern[++i];
      if (syntax.escapedGroups && next === "(") {
        source += "(";
        depth++;
        atStart = true;
      } else if (syntax.escapedGroups && next === ")") {
        if (depth === 0) throw new Error("Unmatched ) or \\)");
        source += ")";
        depth--;
      } else if (syntax.escapedGroups && next === "|") {
        source += "|";
        atStart = true;
      } else if (syntax.plusQuestion === "escaped" && (next === "+" || next === "?")) {
        source += wasStart ? escapeLiteral(next) : next;
      } else if (syntax.intervals === "escaped" && next === "{") {
        const close = pattern.indexOf("\\}", i);
        if (close < 0) throw new Error("Unmatched \\{");
        source += `{${pattern.slice(i + 1, close)}}`;
        i = close + 1;
      } else if (/[1-9]/.test(next)) source += `\\${next}`;
      else if (next === "w") source += "[A-Za-z0-9_]";
      else if (next === "W") source += "[^A-Za-z0-9_]";
      else if (next === "s") source += "[ \\t\\n\\v\\f\\r]";
      else if (next === "S") source += "[^ \\t\\n\\v\\f\\r]";
      else if (next === "b") source += "\\b";
      else if (next === "B") source += "\\B";
      else if (next === "<") source += "\\b(?=[A-Za-z0-9_])";
      else if (next === ">") source += "\\b(?<=[A-Za-z0-9_])";
      else if (next === "`") source += "^";
      else if (next === "'") source += "$";
      else source += escapeLiteral(next);
      continue;
    }
    if (ch === "[") {
      const bracket = parseBracket(pattern, i + 1, false, "^");
      if (!bracket) throw new Error("Unmatched [, [^, [:, [., or [=");
      source += bracket.source;
      i = bracket.end - 1;
      continue;
    }
    if (!syntax.escapedGroups && ch === "(") {
      source += "(";
      depth++;
      atStart = true;
      continue;
    }
    if (!syntax.escapedGroups && ch === ")") {
      if (depth === 0) throw new Error("Unmatched ) or \\)");
      source += ")";
      depth--;
      continue;
    }
    if (!syntax.escapedGroups && ch === "|") {
      source += "|";
      atStart = true;
      continue;
    }
    if (ch === "*") {
      source += wasStart ? "\\*" : "*";
      continue;
    }
    if ((ch === "+" || ch === "?") && syntax.plusQuestion === "plain") {
      source += wasStart ? escapeLiteral(ch) : ch;
      continue;
    }
    if (ch === "{" && syntax.intervals === "plain" && !wasStart) {
      const m = /^\{([0-9]*)(,([0-9]*))?\}/.exec(pattern.slice(i));
      if (m) {
        source += m[0];
        i += m[0].length - 1;
        continue;
      }
    }
    if (ch === "^") {
      source += wasStart || syntax.intervals === "plain" ? "^" : "\\^";
      atStart = wasStart;
      continue;
    }
    if (ch === "$") {
      const end =
        i + 1 === pattern.length ||
        syntax.intervals === "plain" ||
        pattern.startsWith("\\)", i + 1) ||
        pattern.startsWith("\\|", i + 1);
      source += end ? "$" : "\\$";
      continue;
    }
    if (ch === ".") {
      source += "[\\s\\S]";
      continue;
    }
    source += escapeLiteral(ch);
  }
  if (depth > 0) throw new Error("Unmatched ( or \\(");
  return source;
}
