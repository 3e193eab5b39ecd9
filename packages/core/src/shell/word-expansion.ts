/**
 * Word expansion in bash's order: brace expansion, then tilde, parameter, arithmetic and
 * command substitution (left to right), word splitting on IFS, pathname expansion, quote
 * removal. Text is tracked in segments that remember whether it was quoted (no splitting or
 * globbing) or came from an unquoted expansion (subject to splitting).
 */
import type { ArithText, ParameterPart, ParameterSubscript, Word, WordPart } from "./ast.ts";
import { expandBraces, mayHaveBraces } from "./brace-expansion.ts";
import { FatalShellError } from "./control.ts";
import { expandPathname } from "./glob.ts";
import {
  escapeGlob,
  hasGlobChars,
  matchPattern,
  removePattern,
  replacePattern,
  unescapeGlob,
} from "./pattern.ts";
import { quoteForDeclare, quoteForReuse } from "./quoting.ts";
import type { Shell } from "./shell.ts";
import {
  ATTR_EXPORT,
  ATTR_INTEGER,
  ATTR_LOWER,
  ATTR_NAMEREF,
  ATTR_READONLY,
  ATTR_UPPER,
  arrayIndices,
  arrayValues,
  assocEntries,
  isValidName,
} from "./variables.ts";

/** quoted: never split or globbed. split: came from an unquoted expansion. */
interface Segment {
  text: string;
  quoted: boolean;
  split: boolean;
  /** The trace of "$@" with no parameters: makes no word, even inside quotes. */
  vanish?: boolean;
}

type Field = Segment[];

/** A parameter's value: one string, or several (from `$@`, `${a[*]}`, ...). */
interface ParamValue {
  values: string[];
  /** `[@]`/`$@` (separate words when quoted) versus `[*]`/`$*` (joined when quoted). */
  multi: "at" | "star" | null;
}

const DEFAULT_IFS = " \t\n";

function ifsOf(sh: Shell): string {
  const ifs = sh.vars.get("IFS");
  return ifs === undefined ? DEFAULT_IFS : ifs;
}

/** Expands a word to fields (command arguments, `for` lists, array elements). */
export async function expandWord(sh: Shell, word: Word): Promise<string[]> {
  const parts = word.parts;
  // Fast path: plain unquoted text without braces or wildcards.
  if (parts.length === 1) {
    const p = parts[0];
    if (p.type === "literal") {
      if (p.quoted) return [p.value];
      if (!p.value.includes("{") && !hasGlobChars(p.value, sh.shopt.extglob)) return [p.value];
    } else if (p.type === "singleQuoted") return [p.value];
    else if (p.type === "parameter" && p.op === null && p.subscript === null && !p.indirect) {
      // Fast path: `$name` whose value needs no splitting or globbing.
      const value = p.name.length > 1 || /[A-Za-z_]/.test(p.name) ? sh.vars.get(p.name) : undefined;
      if (value !== undefined && value !== "" && !/[\s*?[\\]/.test(value)) {
        const ifs = sh.vars.get("IFS");
        if (ifs === undefined || ifs === DEFAULT_IFS || !hasAny(value, ifs)) return [value];
      }
    }
  }
  const variants = sh.options.braceexpand && mayHaveBraces(parts) ? expandBraces(parts) : [parts];
  const out: string[] = [];
  for (const variant of variants) {
    const fields = await expandParts(sh, variant, false);
    for (const field of splitFields(fields, ifsOf(sh))) {
      await globField(sh, field, out);
    }
  }
  return out;
}

function hasAny(text: string, chars: string): boolean {
  for (const c of chars) if (text.includes(c)) return true;
  return false;
}

/** Expands a list of words to fields. */
export async function expandWords(sh: Shell, words: Word[]): Promise<string[]> {
  const out: string[] = [];
  for (const word of words) {
    const fields = await expandWord(sh, word);
    for (const f of fields) out.push(f);
  }
  return out;
}

/**
 * Expands a word to one string with no splitting or globbing (assignment values, `case`
 * words, here-documents, `[[ ]]` operands). `$@` is joined with spaces.
 */
export async function expandString(sh: Shell, word: Word): Promise<string> {
  const parts = word.parts;
  if (parts.length === 1) {
    const p = parts[0];
    if (p.type === "literal" || p.type === "singleQuoted" || p.type === "ansiCQuoted")
      return p.value;
  }
  const fields = await expandParts(sh, parts, false, true);
  return fields.map((f) => f.map((s) => s.text).join("")).join(" ");
}

/**
 * Expands a word into a pattern: quoted text is escaped so it matches literally, unquoted
 * text (including expansion results) keeps its wildcards.
 */
export async function expandPattern(sh: Shell, word: Word): Promise<string> {
  const fields = await expandParts(sh, word.parts, false, true);
  return fields
    .map((f) => f.map((s) => (s.quoted ? escapeGlob(s.text) : s.text)).join(""))
    .join(" ");
}

/** The right side of `=~`: quoted parts match literally, unquoted parts are regex syntax. */
export async function expandRegex(sh: Shell, word: Word): Promise<string> {
  const fields = await expandParts(sh, word.parts, false, true);
  return fields
    .map((f) =>
      f.map((s) => (s.quoted ? s.text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&") : s.text)).join(""),
    )
    .join(" ");
}

/**
 * The replacement of `${x/p/r}`: with patsub_replacement (bash 5.2's default), each unquoted
 * `&` stands for the matched text; `amp` lists their offsets in `text`.
 */
async function expandReplacement(sh: Shell, word: Word): Promise<{ text: string; amp: number[] }> {
  const fields = await expandParts(sh, word.parts, false, true);
  let text = "";
  const amp: number[] = [];
  fields.forEach((field, i) => {
    if (i > 0) text += " ";
    for (const seg of field) {
      if (!seg.quoted && sh.shopt.patsub_replacement) {
        for (const c of seg.text) {
          if (c === "&") amp.push(text.length);
          else text += c;
        }
      } else if (sh.shopt.patsub_replacement) text += seg.text.replace(/\\&/g, "&");
      else text += seg.text;
    }
  });
  return { text, amp };
}

/** A redirection target: one word after expansion (globbing allowed if it gives one match). */
export async function expandRedirectTarget(sh: Shell, word: Word): Promise<string | null> {
  const fields = await expandWord(sh, word);
  if (fields.length !== 1) {
    sh.error(`${word.text}: ambiguous redirect`);
    return null;
  }
  return fields[0];
}

// ---------------------------------------------------------------------------------------------

async function expandParts(
  sh: Shell,
  parts: WordPart[],
  inQuotes: boolean,
  noSplit = false,
): Promise<Field[]> {
  const fields: Field[] = [[]];
  const current = (): Field => fields[fields.length - 1];
  for (const part of parts) {
    switch (part.type) {
      case "literal":
        current().push({ text: part.value, quoted: part.quoted || inQuotes, split: false });
        break;
      case "singleQuoted":
      case "ansiCQuoted":
        current().push({ text: part.value, quoted: true, split: false });
        break;
      case "doubleQuoted": {
        const inner = await expandParts(sh, part.parts, true, noSplit);
        // An empty "" still makes a word, unless it only held "$@" with no parameters.
        const vanishes =
          inner.length === 1 && inner[0].length > 0 && inner[0].every((g) => g.vanish);
        if (!vanishes) current().push({ text: "", quoted: true, split: false });
        appendFields(fields, inner);
        break;
      }
      case "tilde":
        current().push({ text: await sh.expandTilde(part.user), quoted: true, split: false });
        break;
      case "parameter": {
        const value = await expandParameter(sh, part, inQuotes);
        pushValue(sh, fields, value, inQuotes, noSplit);
        break;
      }
      case "commandSubstitution": {
        const text = await sh.commandSubstitution(part);
        current().push({ text, quoted: inQuotes, split: !inQuotes && !noSplit });
        break;
      }
      case "arithmetic": {
        const value = await sh.arithmetic(part.arith, true);
        current().push({ text: String(value), quoted: inQuotes, split: !inQuotes && !noSplit });
        break;
      }
      case "processSubstitution": {
        const path = await sh.processSubstitution(part);
        current().push({ text: path, quoted: true, split: false });
        break;
      }
      case "badSubstitution":
        sh.fatal(`${part.text}: bad substitution`);
    }
  }
  return fields;
}

/** Joins `inner` onto `fields`: the first inner field continues the current one. */
function appendFields(fields: Field[], inner: Field[]): void {
  fields[fields.length - 1].push(...inner[0]);
  for (let i = 1; i < inner.length; i++) fields.push(inner[i]);
}

function pushValue(
  sh: Shell,
  fields: Field[],
  value: ParamValue,
  inQuotes: boolean,
  noSplit: boolean,
): void {
  const current = fields[fields.length - 1];
  if (value.multi === null) {
    current.push({ text: value.values[0] ?? "", quoted: inQuotes, split: !inQuotes && !noSplit });
    return;
  }
  if (inQuotes && value.multi === "star") {
    const ifs = ifsOf(sh);
    current.push({ text: value.values.join(ifs.slice(0, 1)), quoted: true, split: false });
    return;
  }
  if (noSplit && !inQuotes && value.multi === "star") {
    current.push({ text: value.values.join(" "), quoted: false, split: false });
    return;
  }
  // "$@" and unquoted $@/$*: one field per value.
  if (value.values.length === 0) {
    if (inQuotes) current.push({ text: "", quoted: false, split: false, vanish: true });
    return;
  }
  value.values.forEach((v, i) => {
    const seg = { text: v, quoted: inQuotes, split: !inQuotes && !noSplit };
    if (i === 0) current.push(seg);
    else fields.push([seg]);
  });
}

/**
 * Word splitting: unquoted expansion text is cut at IFS characters. Runs of IFS whitespace
 * separate fields; each other IFS character ends one (possibly empty) field, absorbing the
 * whitespace around it. Fields left with neither text nor quoting disappear.
 */
function splitFields(fields: Field[], ifs: string): Field[] {
  const out: Field[] = [];
  for (const field of fields) {
    let current: Field = [];
    let hasContent = false;
    let endedByWhite = false;
    const emit = (): void => {
      out.push(current);
      current = [];
      hasContent = false;
    };
    for (const seg of field) {
      if (!seg.split || ifs === "") {
        current.push(seg);
        if (seg.quoted || seg.text !== "" || !seg.split) {
          if (seg.quoted || seg.text !== "") {
            hasContent = true;
            endedByWhite = false;
          }
        }
        continue;
      }
      let text = "";
      const text_flush = (): void => {
        if (text) {
          current.push({ text, quoted: false, split: true });
          text = "";
        }
      };
      for (const c of seg.text) {
        if (!ifs.includes(c)) {
          text += c;
          hasContent = true;
          endedByWhite = false;
        } else if (c === " " || c === "\t" || c === "\n") {
          if (hasContent) {
            text_flush();
            emit();
            endedByWhite = true;
          }
        } else {
          text_flush();
          if (hasContent || !endedByWhite) emit();
          endedByWhite = false;
        }
      }
      text_flush();
    }
    if (hasContent) out.push(current);
  }
  return out;
}

async function globField(sh: Shell, field: Field, out: string[]): Promise<void> {
  const text = field.map((s) => s.text).join("");
  if (
    sh.options.noglob ||
    !field.some((s) => !s.quoted && hasGlobChars(s.text, sh.shopt.extglob))
  ) {
    out.push(text);
    return;
  }
  const pattern = field.map((s) => (s.quoted ? escapeGlob(s.text) : s.text)).join("");
  const matches = await expandPathname(sh.ctx, pattern, {
    dotglob: sh.shopt.dotglob,
    extglob: sh.shopt.extglob,
    nocaseglob: sh.shopt.nocaseglob,
    globstar: sh.shopt.globstar,
  });
  if (matches.length > 0) {
    for (const m of matches) out.push(m);
    return;
  }
  if (sh.shopt.failglob) {
    sh.error(`no match: ${text}`);
    throw new FatalShellError(1);
  }
  if (sh.shopt.nullglob) return;
  out.push(unescapeGlob(pattern));
}

// ---------------------------------------------------------------------------------------------
// Parameters

function positionalValue(sh: Shell, index: number): string | undefined {
  if (index === 0) return sh.scriptName;
  return sh.positional[index - 1];
}

/** The raw value(s) of a parameter before any operator. undefined values = unset. */
async function lookupParameter(
  sh: Shell,
  name: string,
  subscript: ParameterSubscript | null,
): Promise<{ values: (string | undefined)[]; multi: "at" | "star" | null; keys?: string[] }> {
  if (subscript === null) {
    if (name === "@" || name === "*") {
      return { values: [...sh.positional], multi: name === "@" ? "at" : "star" };
    }
    if (/^\d+$/.test(name)) return { values: [positionalValue(sh, Number(name))], multi: null };
    return { values: [sh.specialOrVariable(name)], multi: null };
  }
  let v = sh.vars.lookup(name);
  if (!v) {
    const dynamic = sh.dynamicArray(name);
    if (dynamic) v = { value: undefined, indexed: dynamic, attrs: 0 };
  }
  if (subscript.type === "all") {
    const multi = subscript.star ? "star" : "at";
    if (!v) return { values: [], multi, keys: [] };
    if (v.assoc) {
      const entries = assocEntries(v.assoc);
      return { values: entries.map((e) => e[1]), multi, keys: entries.map((e) => e[0]) };
    }
    if (v.indexed)
      return { values: arrayValues(v.indexed), multi, keys: arrayIndices(v.indexed).map(String) };
    return v.value === undefined
      ? { values: [], multi, keys: [] }
      : { values: [v.value], multi, keys: ["0"] };
  }
  if (v?.assoc) {
    const key = await expandString(sh, subscript.index.word);
    return { values: [v.assoc.get(key)], multi: null };
  }
  const index = Number(await sh.arithmetic(subscript.index, true));
  if (!v) return { values: [index === 0 ? sh.dynamicValue(name) : undefined], multi: null };
  if (v.indexed) {
    const i = index < 0 ? v.indexed.length + index : index;
    if (i < 0) {
      sh.error(`${name}: bad array subscript`);
      return { values: [undefined], multi: null };
    }
    return { values: [v.indexed[i]], multi: null };
  }
  return { values: [index === 0 || index === -1 ? v.value : undefined], multi: null };
}

async function expandParameter(
  sh: Shell,
  part: ParameterPart,
  inQuotes: boolean,
): Promise<ParamValue> {
  let name = part.name;
  let subscript = part.subscript;
  const op = part.op;

  if (op?.type === "prefixNames") {
    const names = sh.vars.names().filter((n) => n.startsWith(name) && sh.vars.isSetOrArray(n));
    return { values: names, multi: op.star ? "star" : "at" };
  }

  if (part.indirect && !subscript && op === null) {
    // ${!ref} of a nameref is the name it refers to.
    const ref = sh.vars.lookupOwn(name);
    if (ref && ref.attrs & ATTR_NAMEREF) return { values: [ref.value ?? ""], multi: null };
  }
  if (part.indirect && op?.type !== "keys") {
    const ref =
      sh.specialOrVariable(name) ??
      (/^\d+$/.test(name) ? positionalValue(sh, Number(name)) : undefined);
    if (ref === undefined || ref === "") {
      if (op?.type === "default") {
        // ${!x:-default} with x unset uses the default.
      } else {
        sh.fatal(`${name}: invalid indirect expansion`);
      }
    } else {
      const m = /^([A-Za-z_][A-Za-z0-9_]*|\d+|[@*#?$!-])(?:\[(.*)\])?$/s.exec(ref);
      if (!m) sh.fatal(`${ref}: invalid variable name`);
      name = m![1];
      if (m![2] !== undefined) {
        subscript =
          m![2] === "@" || m![2] === "*"
            ? { type: "all", star: m![2] === "*" }
            : {
                type: "index",
                index: {
                  source: m![2],
                  word: { parts: [{ type: "literal", value: m![2], quoted: false }], text: m![2] },
                  expr: null,
                },
              };
      } else subscript = null;
    }
  }

  if (op?.type === "keys") {
    const v = sh.vars.lookup(name);
    let keys: string[] = [];
    if (v?.assoc) keys = assocEntries(v.assoc).map((e) => e[0]);
    else if (v?.indexed) keys = arrayIndices(v.indexed).map(String);
    else if (v && v.value !== undefined) keys = ["0"];
    return { values: keys, multi: op.star ? "star" : "at" };
  }

  const raw = await lookupParameter(sh, name, subscript);

  if (op?.type === "length") {
    if (raw.multi) return { values: [String(raw.values.length)], multi: null };
    const value = raw.values[0];
    if (value === undefined) checkUnset(sh, part);
    return { values: [String(sh.textLength(value ?? ""))], multi: null };
  }

  if (op?.type === "default") {
    const present = raw.multi
      ? raw.values.length > 0 &&
        (!op.colon || raw.values.some((v) => v !== "")) &&
        !(op.colon && raw.multi && raw.values.length === 1 && raw.values[0] === "")
      : raw.values[0] !== undefined && (!op.colon || raw.values[0] !== "");
    switch (op.op) {
      case "-":
        if (present) break;
        return wordValue(sh, op.word, inQuotes);
      case "+":
        if (!present) return { values: [""], multi: null };
        return wordValue(sh, op.word, inQuotes);
      case "=": {
        if (present) break;
        if (part.subscript?.type === "all" || !isAssignable(name)) {
          sh.fatal(`$${name}: cannot assign in this way`);
        }
        const text = await expandString(sh, op.word);
        await sh.assignFromExpansion(name, subscript, text);
        return { values: [text], multi: null };
      }
      case "?": {
        if (present) break;
        const text = op.word.parts.length ? await expandString(sh, op.word) : "";
        sh.fatal(
          `${name}: ${text || (op.colon ? "parameter null or not set" : "parameter not set")}`,
          127,
        );
      }
    }
  } else if (raw.multi === null && raw.values[0] === undefined) {
    checkUnset(sh, part);
  } else if (
    raw.multi &&
    raw.values.length === 0 &&
    part.subscript &&
    part.subscript.type === "all"
  ) {
    // ${a[@]} of an unset array is not an error even with set -u... except plain names.
  }

  let values = raw.values.map((v) => v ?? "");
  if (!op || op.type === "default") return { values, multi: raw.multi };

  const patternOptions = { extglob: sh.shopt.extglob, nocase: sh.shopt.nocasematch && false };
  switch (op.type) {
    case "substring": {
      const offset = Number(await sh.arithmetic(op.offset, true));
      const length = op.length ? Number(await sh.arithmetic(op.length, true)) : undefined;
      if (raw.multi) {
        // Positional slicing counts $0 at offset 0; arrays slice elements.
        let list = values;
        if (subscript === null && (name === "@" || name === "*")) list = [sh.scriptName, ...values];
        else if (raw.keys && subscript) {
          // Arrays: offsets refer to indices, not positions.
          const v = sh.vars.lookup(name);
          if (v?.indexed) {
            const idx = arrayIndices(v.indexed);
            const startIdx =
              offset < 0 ? (idx.length ? idx[idx.length - 1] + 1 + offset : 0) : offset;
            let selected = idx.filter((i) => i >= startIdx).map((i) => v.indexed![i]);
            if (length !== undefined) {
              if (length < 0) {
                sh.fatal(`${length}: substring expression < 0`);
              }
              selected = selected.slice(0, length);
            }
            return { values: selected, multi: raw.multi };
          }
        }
        let start = offset < 0 ? list.length + offset : offset;
        if (start < 0) return { values: [], multi: raw.multi };
        if (subscript === null && (name === "@" || name === "*") && offset < 0)
          start = list.length + offset;
        let end = list.length;
        if (length !== undefined) {
          if (length < 0) sh.fatal(`${length}: substring expression < 0`);
          end = Math.min(list.length, start + length);
        }
        return { values: list.slice(start, end), multi: raw.multi };
      }
      const chars = [...values[0]];
      let start = offset < 0 ? chars.length + offset : offset;
      if (start < 0 || start > chars.length) return { values: [""], multi: null };
      let end = chars.length;
      if (length !== undefined) {
        end = length < 0 ? chars.length + length : start + length;
        if (end < start) {
          if (length < 0) sh.fatal(`${length}: substring expression < 0`);
          end = start;
        }
      }
      start = Math.max(0, start);
      return { values: [chars.slice(start, end).join("")], multi: null };
    }
    case "removePattern": {
      const pattern = await expandPattern(sh, op.pattern);
      values = values.map((v) => removePattern(v, pattern, op.side, op.longest, patternOptions));
      return { values, multi: raw.multi };
    }
    case "replace": {
      const pattern = await expandPattern(sh, op.pattern);
      const replacement = op.replacement
        ? await expandReplacement(sh, op.replacement)
        : { text: "", amp: [] as number[] };
      values = values.map((v) => replacePattern(v, pattern, replacement, op.mode, patternOptions));
      return { values, multi: raw.multi };
    }
    case "case": {
      const pattern = op.pattern ? await expandPattern(sh, op.pattern) : null;
      values = values.map((v) => changeCase(v, op.direction, op.all, pattern, sh.shopt.extglob));
      return { values, multi: raw.multi };
    }
    case "transform":
      values = values.map((v, i) => transform(sh, name, v, op.operator, raw.keys?.[i]));
      if (op.operator === "K" || op.operator === "k") {
        // Key/value pairs.
        const v = sh.vars.lookup(name);
        if (v?.assoc || v?.indexed) {
          const pairs: string[] = [];
          const keys = raw.keys ?? [];
          raw.values.forEach((val, i) => {
            if (op.operator === "K")
              pairs.push(`${quoteKey(keys[i], !!v.assoc)} ${quoteForDeclare(val ?? "")}`);
            else pairs.push(keys[i], val ?? "");
          });
          if (op.operator === "K")
            return { values: raw.multi ? pairs : [pairs.join(" ")], multi: raw.multi };
          return { values: pairs, multi: raw.multi };
        }
      }
      return { values, multi: raw.multi };
  }
  return { values, multi: raw.multi };
}

function quoteKey(key: string, assoc: boolean): string {
  return assoc ? quoteForReuse(key) : key;
}

function isAssignable(name: string): boolean {
  return isValidName(name);
}

async function wordValue(sh: Shell, word: Word, inQuotes: boolean): Promise<ParamValue> {
  if (inQuotes) return { values: [await expandString(sh, word)], multi: null };
  // Unquoted operand: its own quoting applies, its unquoted expansions are split later.
  const fields = await expandParts(sh, word.parts, false);
  const texts = fields.map((f) => f.map((s) => s.text).join(""));
  if (fields.length === 1) {
    const f = fields[0];
    if (f.every((s) => !s.split)) return { values: texts, multi: null };
  }
  return { values: texts, multi: fields.length > 1 ? "at" : null };
}

function checkUnset(sh: Shell, part: ParameterPart): void {
  if (!sh.options.nounset) return;
  const name = part.name;
  if (name === "@" || name === "*") return;
  const shown = part.subscript
    ? part.text.replace(/^\$\{#?/, "").replace(/\}$/, "")
    : /^\d+$/.test(name)
      ? `$${name}`
      : name;
  sh.fatal(`${shown}: unbound variable`, 127);
}

function changeCase(
  value: string,
  direction: "upper" | "lower" | "toggle",
  all: boolean,
  pattern: string | null,
  extglob: boolean,
): string {
  let out = "";
  let done = false;
  for (const c of value) {
    if (done || (pattern !== null && !matchPattern(c, pattern, { extglob }))) {
      out += c;
      continue;
    }
    if (direction === "upper") out += c.toUpperCase();
    else if (direction === "lower") out += c.toLowerCase();
    else out += c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
    if (!all) done = true;
  }
  return out;
}

function transform(sh: Shell, name: string, value: string, operator: string, key?: string): string {
  switch (operator) {
    case "Q":
      return quoteForReuse(value);
    case "E":
      return sh.decodeEscapes(value);
    case "P":
      return sh.expandPrompt(value);
    case "U":
      return value.toUpperCase();
    case "u":
      return value.slice(0, 1).toUpperCase() + value.slice(1);
    case "L":
      return value.toLowerCase();
    case "a":
      return attributeFlags(sh, name);
    case "A": {
      const flags = attributeFlags(sh, name);
      if (key !== undefined) return `${name}[${key}]=${quoteForReuse(value)}`;
      return flags
        ? `declare -${flags} ${name}=${quoteForReuse(value)}`
        : `${name}=${quoteForReuse(value)}`;
    }
    default:
      return value;
  }
}

function attributeFlags(sh: Shell, name: string): string {
  const v = sh.vars.lookup(name);
  if (!v) return "";
  let flags = "";
  if (v.indexed) flags += "a";
  if (v.assoc) flags += "A";
  if (v.attrs & ATTR_INTEGER) flags += "i";
  if (v.attrs & ATTR_LOWER) flags += "l";
  if (v.attrs & ATTR_NAMEREF) flags += "n";
  if (v.attrs & ATTR_READONLY) flags += "r";
  if (v.attrs & ATTR_UPPER) flags += "u";
  if (v.attrs & ATTR_EXPORT) flags += "x";
  return flags;
}

/** Evaluates `ArithText` the way bash does: expand the text, then parse and evaluate. */
export type { ArithText };
