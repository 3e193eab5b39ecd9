/**
 * fnmatch(3) without flags, for ls --hide/-I and tree -I/-P: "*" and "?" match any character
 * (a leading dot too), "[...]" sets with "!"/"^" negation and ranges, "\" escapes.
 */
export function globToRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") re += "[\\s\\S]*";
    else if (c === "?") re += "[\\s\\S]";
    else if (c === "\\" && i + 1 < pattern.length) re += escapeRe(pattern[++i]);
    else if (c === "[") {
      let j = i + 1;
      let negate = false;
      if (pattern[j] === "!" || pattern[j] === "^") {
        negate = true;
        j++;
      }
      let body = "";
      let first = true;
      while (j < pattern.length && (first || pattern[j] !== "]")) {
        const ch = pattern[j];
        body += ch === "\\" || ch === "]" || ch === "[" || ch === "^" ? `\\${ch}` : ch;
        first = false;
        j++;
      }
      if (j >= pattern.length) re += "\\[";
      else {
        re += `[${negate ? "^" : ""}${body}]`;
        i = j;
      }
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`);
}

function escapeRe(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

export function fnmatch(pattern: string, name: string): boolean {
  return globToRegExp(pattern).test(name);
}
