/**
 * Brace expansion (`a{b,c}d`, `{1..10..2}`, `{a..e}`, nested), done first on the word's parts:
 * only unquoted literal text takes part; quoted text and expansions are opaque atoms.
 */
import type { WordPart } from "./ast.ts";

type Token = string | WordPart;

function tokenize(parts: WordPart[]): Token[] {
  const tokens: Token[] = [];
  for (const part of parts) {
    if (part.type === "literal" && !part.quoted) {
      for (const c of part.value) tokens.push(c);
    } else tokens.push(part);
  }
  return tokens;
}

function rebuild(tokens: Token[]): WordPart[] {
  const parts: WordPart[] = [];
  let text = "";
  for (const t of tokens) {
    if (typeof t === "string") text += t;
    else {
      if (text) parts.push({ type: "literal", value: text, quoted: false });
      text = "";
      parts.push(t);
    }
  }
  if (text) parts.push({ type: "literal", value: text, quoted: false });
  return parts;
}

/** True when the parts could contain a brace expansion (the common case has none). */
export function mayHaveBraces(parts: WordPart[]): boolean {
  for (const part of parts) {
    if (part.type === "literal" && !part.quoted && part.value.includes("{")) return true;
  }
  return false;
}

/** Expands braces; returns the list of resulting part lists (one when nothing expands). */
export function expandBraces(parts: WordPart[]): WordPart[][] {
  return expandTokens(tokenize(parts)).map(rebuild);
}

const MAX_WORDS = 1 << 20;

function expandTokens(tokens: Token[]): Token[][] {
  // Find the first `{` with a matching `}` that holds a top-level comma or a sequence.
  for (let open = 0; open < tokens.length; open++) {
    if (tokens[open] !== "{") continue;
    if (open > 0 && tokens[open - 1] === "$") continue;
    let depth = 0;
    const commas: number[] = [];
    let close = -1;
    for (let i = open; i < tokens.length; i++) {
      const t = tokens[i];
      if (t === "\\") {
        i++;
        continue;
      }
      if (t === "{") depth++;
      else if (t === "}") {
        depth--;
        if (depth === 0) {
          close = i;
          break;
        }
      } else if (t === "," && depth === 1) commas.push(i);
    }
    if (close < 0) return [tokens];
    const prefix = tokens.slice(0, open);
    const suffix = tokens.slice(close + 1);
    let alternatives: Token[][];
    if (commas.length > 0) {
      alternatives = [];
      let start = open + 1;
      for (const comma of [...commas, close]) {
        alternatives.push(tokens.slice(start, comma));
        start = comma + 1;
      }
    } else {
      const inner = tokens.slice(open + 1, close);
      const sequence = inner.every((t) => typeof t === "string")
        ? expandSequence(inner.join(""))
        : null;
      if (!sequence) {
        // Not an expansion: keep `{` literal and look for a later one.
        const rest = expandTokens(tokens.slice(open + 1));
        return rest.map((r) => [...tokens.slice(0, open + 1), ...r]);
      }
      alternatives = sequence.map((s) => [...s]);
    }
    const results: Token[][] = [];
    const tails = expandTokens(suffix);
    for (const alternative of alternatives) {
      for (const middle of expandTokens(alternative)) {
        for (const tail of tails) {
          results.push([...prefix, ...middle, ...tail]);
          if (results.length > MAX_WORDS) throw new RangeError("brace expansion: too many words");
        }
      }
    }
    return results;
  }
  return [tokens];
}

/** `{1..5}`, `{05..10..2}`, `{a..e}`; null when the text is not a valid sequence. */
function expandSequence(text: string): string[] | null {
  const numeric = /^([-+]?\d+)\.\.([-+]?\d+)(?:\.\.([-+]?\d+))?$/.exec(text);
  if (numeric) {
    const start = Number.parseInt(numeric[1], 10);
    const end = Number.parseInt(numeric[2], 10);
    let step = numeric[3] ? Math.abs(Number.parseInt(numeric[3], 10)) : 1;
    if (step === 0) step = 1;
    const padded = /^[-+]?0\d/.test(numeric[1]) || /^[-+]?0\d/.test(numeric[2]);
    const width = padded ? Math.max(numeric[1].length, numeric[2].length) : 0;
    const out: string[] = [];
    const count = Math.floor(Math.abs(end - start) / step) + 1;
    if (count > MAX_WORDS) throw new RangeError("brace expansion: too many words");
    for (let i = 0, v = start; i < count; i++, v += start <= end ? step : -step) {
      let s = String(Math.abs(v)).padStart(width - (v < 0 ? 1 : 0), "0");
      if (v < 0) s = `-${s}`;
      out.push(s);
    }
    return out;
  }
  const alpha = /^([A-Za-z])\.\.([A-Za-z])(?:\.\.([-+]?\d+))?$/.exec(text);
  if (alpha) {
    const start = alpha[1].charCodeAt(0);
    const end = alpha[2].charCodeAt(0);
    let step = alpha[3] ? Math.abs(Number.parseInt(alpha[3], 10)) : 1;
    if (step === 0) step = 1;
    const out: string[] = [];
    for (let v = start; start <= end ? v <= end : v >= end; v += start <= end ? step : -step)
      out.push(String.fromCharCode(v));
    return out;
  }
  return null;
}
