/**
 * Tilde-prefix recognition. A tilde prefix is an unquoted `~` at the start of a word (or, in
 * assignment-shaped words, after the `=` and after each unquoted `:`), up to the next `/` (or
 * `:`). If any character of the prefix is quoted or comes from an expansion, bash leaves the
 * text alone, so we only split plain unquoted literal parts.
 */

import type { WordPart } from "./ast.ts";

/** Splits one unquoted literal into literal and tilde parts. `atStart`: the literal begins a tilde position. */
function splitLiteral(
  value: string,
  atStart: boolean,
  afterColon: boolean,
  isLastPart: boolean,
): WordPart[] | null {
  const out: WordPart[] = [];
  let plainFrom = 0;
  let i = 0;
  let changed = false;
  while (i < value.length) {
    const tildePosition =
      value[i] === "~" && ((i === 0 && atStart) || (afterColon && value[i - 1] === ":"));
    if (!tildePosition) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < value.length && value[end] !== "/" && !(afterColon && value[end] === ":")) end++;
    // A prefix running into the next part would include quoted or expanded text.
    if (end === value.length && !isLastPart) break;
    if (i > plainFrom)
      out.push({ type: "literal", value: value.slice(plainFrom, i), quoted: false });
    out.push({ type: "tilde", user: value.slice(i + 1, end) });
    plainFrom = end;
    i = end;
    changed = true;
  }
  if (!changed) return null;
  if (plainFrom < value.length) {
    out.push({ type: "literal", value: value.slice(plainFrom), quoted: false });
  }
  return out;
}

/**
 * Rewrites `parts` from index `from` on, turning tilde prefixes into TildePart. With
 * `assignment`, prefixes after unquoted `:` count too (PATH=~/bin:~/lib).
 */
export function applyTilde(parts: WordPart[], from: number, assignment: boolean): WordPart[] {
  const last = parts.length - 1;
  if (!assignment) {
    const first = parts[from];
    if (first?.type !== "literal" || first.quoted || first.value[0] !== "~") return parts;
    const split = splitLiteral(first.value, true, false, from === last);
    return split ? [...parts.slice(0, from), ...split, ...parts.slice(from + 1)] : parts;
  }
  const out = parts.slice(0, from);
  for (let i = from; i < parts.length; i++) {
    const p = parts[i];
    const split =
      p.type === "literal" && !p.quoted
        ? splitLiteral(p.value, i === from, true, i === last)
        : null;
    if (split) out.push(...split);
    else out.push(p);
  }
  return out;
}
