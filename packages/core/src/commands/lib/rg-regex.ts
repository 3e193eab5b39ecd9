/**
 * Translates ripgrep (Rust regex) patterns into JavaScript RegExp source. Rust and JS syntax
 * mostly agree; the differences agents hit are handled: `(?P<name>...)` named groups, `\z`
 * and `\A` anchors, leading inline flags `(?i)` / `(?s)` / `(?m)` / `(?x)`, and POSIX
 * classes like `[[:alpha:]]`. Matching is per line (no multiline mode).
 */

const POSIX: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

export interface Translated {
  source: string;
  flags: string;
}

export function translateRustRegex(pattern: string): Translated {
  let flags = "";
  let p = pattern;
  for (;;) {
    const m = /^\(\?([imsxU]+)\)/.exec(p);
    if (!m) break;
    for (const f of m[1]) {
      if (f === "i" && !flags.includes("i")) flags += "i";
      if (f === "s" && !flags.includes("s")) flags += "s";
    }
    p = p.slice(m[0].length);
  }
  let out = "";
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === "\\" && i + 1 < p.length) {
      const n = p[i + 1];
      if (n === "z") out += "$";
      else if (n === "A") out += "^";
      else out += c + n;
      i++;
      continue;
    }
    if (c === "(" && p.startsWith("(?P<", i)) {
      out += "(?<";
      i += 3;
      continue;
    }
    if (c === "[") {
      // Copy a bracket expression, expanding POSIX classes.
      let j = i + 1;
      let body = "[";
      if (p[j] === "^") {
        body += "^";
        j++;
      }
      if (p[j] === "]") {
        body += "\\]";
        j++;
      }
      while (j < p.length && p[j] !== "]") {
        const cls = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(j));
        if (cls && POSIX[cls[2]] !== undefined) {
          body += POSIX[cls[2]];
          j += cls[0].length;
          continue;
        }
        if (p[j] === "\\" && j + 1 < p.length) {
          body += p[j] + p[j + 1];
          j += 2;
          continue;
        }
        if (p[j] === "[") body += "\\[";
        else body += p[j];
        j++;
      }
      out += `${body}]`;
      i = j;
      continue;
    }
    out += c;
  }
  return { source: out, flags };
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}
