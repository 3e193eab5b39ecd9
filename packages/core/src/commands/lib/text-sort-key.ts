/**
 * GNU sort's key machinery (C locale): key specs (-k POS1[,POS2] with per-key flags), field
 * extraction (begfield/limfield), and the comparisons (-n strnumcmp, -g strtold, -h units,
 * -M months, -V filevercmp, -d/-i/-f filtering). Lines are latin1 strings (one char per byte).
 */
import { createHash } from "node:crypto";

export interface SortKey {
  /** 0-based start field; -1 means the start of the line. */
  sword: number;
  schar: number;
  /** 0-based end field; -1 means the end of the line. */
  eword: number;
  echar: number;
  skipsblanks: boolean;
  skipeblanks: boolean;
  ignore: "" | "d" | "i";
  translate: boolean;
  numeric: boolean;
  general: boolean;
  human: boolean;
  month: boolean;
  version: boolean;
  random: boolean;
  reverse: boolean;
}

export function newKey(): SortKey {
  return {
    sword: -1,
    schar: 0,
    eword: -1,
    echar: 0,
    skipsblanks: false,
    skipeblanks: false,
    ignore: "",
    translate: false,
    numeric: false,
    general: false,
    human: false,
    month: false,
    version: false,
    random: false,
    reverse: false,
  };
}

/** True when the key has no ordering options of its own (so it inherits the global ones). */
export function defaultKeyCompare(key: SortKey): boolean {
  return !(
    key.ignore ||
    key.translate ||
    key.skipsblanks ||
    key.skipeblanks ||
    key.numeric ||
    key.general ||
    key.human ||
    key.month ||
    key.version ||
    key.random
  );
}

/** Applies ordering letters from `s` at `i`; returns the index after them. */
export function setOrdering(s: string, i: number, key: SortKey, atEnd: boolean | null): number {
  for (; i < s.length; i++) {
    switch (s[i]) {
      case "b":
        if (atEnd === null || !atEnd) key.skipsblanks = true;
        if (atEnd === null || atEnd) key.skipeblanks = true;
        break;
      case "d":
        key.ignore = "d";
        break;
      case "f":
        key.translate = true;
        break;
      case "g":
        key.general = true;
        break;
      case "h":
        key.human = true;
        break;
      case "i":
        if (!key.ignore) key.ignore = "i";
        break;
      case "M":
        key.month = true;
        break;
      case "n":
        key.numeric = true;
        break;
      case "R":
        key.random = true;
        break;
      case "r":
        key.reverse = true;
        break;
      case "V":
        key.version = true;
        break;
      default:
        return i;
    }
  }
  return i;
}

export class KeySpecError extends Error {}

function parseCount(s: string, i: number, what: string): [number, number] {
  let j = i;
  while (j < s.length && s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x39) j++;
  if (j === i) throw new KeySpecError(`${what}: invalid count at start of '${s.slice(i)}'`);
  const n = Number(s.slice(i, j));
  return [Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER, j];
}

/** Parses a -k argument as GNU sort does (messages are GNU's, without the "sort: " prefix). */
export function parseKeySpec(spec: string): SortKey {
  const key = newKey();
  const bad = (why: string): never => {
    throw new KeySpecError(`${why}: invalid field specification '${spec}'`);
  };
  let [sword, i] = parseCount(spec, 0, "invalid number at field start");
  if (sword === 0) bad("field number is zero");
  sword--;
  let schar = 0;
  if (spec[i] === ".") {
    [schar, i] = parseCount(spec, i + 1, "invalid number after '.'");
    if (schar === 0) bad("character offset is zero");
    schar--;
  }
  key.sword = sword === 0 && schar === 0 ? -1 : sword;
  key.schar = schar;
  i = setOrdering(spec, i, key, false);
  if (spec[i] !== ",") {
    key.eword = -1;
    key.echar = 0;
  } else {
    let eword: number;
    [eword, i] = parseCount(spec, i + 1, "invalid number after ','");
    if (eword === 0) bad("field number is zero");
    key.eword = eword - 1;
    if (spec[i] === ".") {
      [key.echar, i] = parseCount(spec, i + 1, "invalid number after '.'");
    }
    i = setOrdering(spec, i, key, true);
  }
  if (i < spec.length) bad("stray character in field spec");
  return key;
}

/** The letters GNU prints in "options '-...' are incompatible" for a key. */
export function keyToOpts(key: SortKey): string {
  let s = "";
  if (key.skipsblanks || key.skipeblanks) s += "b";
  if (key.ignore === "d") s += "d";
  if (key.translate) s += "f";
  if (key.general) s += "g";
  if (key.human) s += "h";
  if (key.ignore === "i") s += "i";
  if (key.month) s += "M";
  if (key.numeric) s += "n";
  if (key.random) s += "R";
  if (key.reverse) s += "r";
  if (key.version) s += "V";
  return s;
}

/** The incompatible-options letters for `key`, or undefined when it is consistent. */
export function incompatibleKey(key: SortKey): string | undefined {
  const kinds =
    Number(key.numeric) +
    Number(key.general) +
    Number(key.human) +
    Number(key.month) +
    Number(key.version || key.random || key.ignore !== "");
  if (kinds <= 1) return undefined;
  return keyToOpts({ ...key, skipsblanks: false, skipeblanks: false, reverse: false });
}

// ---- field extraction ----------------------------------------------------------------------

/** sort's "blanks": isblank plus newline. */
function isSortBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a;
}

/** Start index of the key in `line` (GNU begfield). `tab` is -1 for blank-separated fields. */
function begField(line: string, key: SortKey, tab: number): number {
  let ptr = 0;
  const lim = line.length;
  let sword = key.sword;
  if (tab !== -1) {
    while (ptr < lim && sword-- > 0) {
      while (ptr < lim && line.charCodeAt(ptr) !== tab) ++ptr;
      if (ptr < lim) ++ptr;
    }
  } else {
    while (ptr < lim && sword-- > 0) {
      while (ptr < lim && isSortBlank(line.charCodeAt(ptr))) ++ptr;
      while (ptr < lim && !isSortBlank(line.charCodeAt(ptr))) ++ptr;
    }
  }
  if (key.skipsblanks) while (ptr < lim && isSortBlank(line.charCodeAt(ptr))) ++ptr;
  return Math.min(lim, ptr + key.schar);
}

/** End index of the key (GNU limfield). */
function limField(line: string, key: SortKey, tab: number): number {
  let ptr = 0;
  const lim = line.length;
  let eword = key.eword;
  const echar = key.echar;
  if (echar === 0) eword++;
  if (tab !== -1) {
    while (ptr < lim && eword-- > 0) {
      while (ptr < lim && line.charCodeAt(ptr) !== tab) ++ptr;
      if (ptr < lim && (eword > 0 || echar !== 0)) ++ptr;
    }
  } else {
    while (ptr < lim && eword-- > 0) {
      while (ptr < lim && isSortBlank(line.charCodeAt(ptr))) ++ptr;
      while (ptr < lim && !isSortBlank(line.charCodeAt(ptr))) ++ptr;
    }
  }
  if (echar !== 0) {
    if (key.skipeblanks) while (ptr < lim && isSortBlank(line.charCodeAt(ptr))) ++ptr;
    ptr = Math.min(lim, ptr + echar);
  }
  return ptr;
}

/** The key's text in `line`, after -d/-i filtering and -f folding. */
export function extractKey(line: string, key: SortKey, tab: number): string {
  const lim = key.eword !== -1 ? limField(line, key, tab) : line.length;
  let beg: number;
  if (key.sword !== -1) beg = begField(line, key, tab);
  else {
    beg = 0;
    if (key.skipsblanks) while (beg < lim && isSortBlank(line.charCodeAt(beg))) ++beg;
  }
  let text = lim > beg ? line.slice(beg, lim) : "";
  if (key.ignore || key.translate) {
    let out = "";
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (key.ignore === "d" && !(isAlnum(c) || c === 0x20 || c === 0x09)) continue;
      if (key.ignore === "i" && !(c >= 0x20 && c <= 0x7e)) continue;
      out += key.translate && c >= 0x61 && c <= 0x7a ? String.fromCharCode(c - 32) : text[i];
    }
    text = out;
  }
  return text;
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

// ---- comparisons ---------------------------------------------------------------------------

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** A parsed strnumcmp number: sign, integer digits without leading zeros, fraction without trailing zeros. */
interface Num {
  neg: boolean;
  int: string;
  frac: string;
  /** Index just after the number. */
  end: number;
}

function skipBlanks(s: string): number {
  let i = 0;
  while (i < s.length && isSortBlank(s.charCodeAt(i))) i++;
  return i;
}

function parseNum(s: string, start: number): Num {
  let i = start;
  let neg = false;
  if (s[i] === "-") {
    neg = true;
    i++;
  }
  const intStart = i;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  let int = s.slice(intStart, i);
  let frac = "";
  if (s[i] === ".") {
    const fracStart = ++i;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    frac = s.slice(fracStart, i);
  }
  int = int.replace(/^0+/, "");
  frac = frac.replace(/0+$/, "");
  if (int === "" && frac === "") neg = false;
  return { neg, int, frac, end: i };
}

function compareMagnitude(a: Num, b: Num): number {
  if (a.int.length !== b.int.length) return a.int.length < b.int.length ? -1 : 1;
  if (a.int !== b.int) return a.int < b.int ? -1 : 1;
  if (a.frac !== b.frac) return a.frac < b.frac ? -1 : 1;
  return 0;
}

function compareNums(a: Num, b: Num): number {
  if (a.neg !== b.neg) return a.neg ? -1 : 1;
  const m = compareMagnitude(a, b);
  return a.neg ? -m : m;
}

/** sort -n. */
export function numCompare(a: string, b: string): number {
  return compareNums(parseNum(a, skipBlanks(a)), parseNum(b, skipBlanks(b)));
}

const UNIT_ORDER: Record<string, number> = {
  K: 1,
  k: 1,
  M: 2,
  G: 3,
  T: 4,
  P: 5,
  E: 6,
  Z: 7,
  Y: 8,
  R: 9,
  Q: 10,
};

function unitOrder(s: string, n: Num): number {
  if (n.int === "" && n.frac === "") return 0;
  const order = UNIT_ORDER[s[n.end] ?? ""] ?? 0;
  return n.neg ? -order : order;
}

/** sort -h. */
export function humanCompare(a: string, b: string): number {
  const na = parseNum(a, skipBlanks(a));
  const nb = parseNum(b, skipBlanks(b));
  const diff = unitOrder(a, na) - unitOrder(b, nb);
  return diff !== 0 ? diff : compareNums(na, nb);
}

const STRTOD =
  /^[ \t\n\v\f\r]*([+-]?)(?:(0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?)|((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(inf(?:inity)?)|(nan(?:\([0-9A-Za-z_]*\))?))/i;

/** strtold's value of the longest numeric prefix, or undefined when there is none. */
export function strtod(s: string): number | undefined {
  const m = STRTOD.exec(s);
  if (!m) return undefined;
  const sign = m[1] === "-" ? -1 : 1;
  if (m[2] !== undefined) return sign * parseHexFloat(m[2]);
  if (m[3] !== undefined) return sign * Number(m[3]);
  if (m[4] !== undefined) return sign * Number.POSITIVE_INFINITY;
  return Number.NaN;
}

function parseHexFloat(text: string): number {
  const m = /^0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([+-]?\d+))?$/.exec(text);
  if (!m) return 0;
  const mantissa = Number.parseInt(m[1] + m[2] || "0", 16);
  const exp = Number(m[3] ?? 0) - 4 * m[2].length;
  return mantissa * 2 ** exp;
}

/** sort -g. */
export function generalCompare(a: string, b: string): number {
  return compareGeneral(strtod(a), strtod(b));
}

function compareGeneral(x: number | undefined, y: number | undefined): number {
  if (x === undefined) return y === undefined ? 0 : -1;
  if (y === undefined) return 1;
  if (x < y) return -1;
  if (x > y) return 1;
  if (x === y) return 0;
  if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : -1;
  return 1;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

export function monthOf(s: string): number {
  const i = skipBlanks(s);
  const word = s.slice(i, i + 3).toUpperCase();
  return MONTHS.indexOf(word) + 1;
}

// filevercmp (gnulib), C locale.
const cIsAlpha = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

function filePrefixLen(s: string): number {
  const n = s.length;
  let prefixlen = 0;
  let i = 0;
  for (;;) {
    if (i === n) return prefixlen;
    i++;
    prefixlen = i;
    while (i + 1 < n && s[i] === "." && (cIsAlpha(s.charCodeAt(i + 1)) || s[i + 1] === "~")) {
      for (i += 2; i < n && (isAlnum(s.charCodeAt(i)) || s[i] === "~"); i++) {}
    }
  }
}

function verOrder(s: string, pos: number, len: number): number {
  if (pos === len) return -1;
  const c = s.charCodeAt(pos);
  if (isDigit(c)) return 0;
  if (cIsAlpha(c)) return c;
  if (c === 0x7e) return -2;
  return c + 256;
}

function verrevcmp(s1: string, l1: number, s2: string, l2: number): number {
  let p1 = 0;
  let p2 = 0;
  while (p1 < l1 || p2 < l2) {
    let firstDiff = 0;
    while ((p1 < l1 && !isDigit(s1.charCodeAt(p1))) || (p2 < l2 && !isDigit(s2.charCodeAt(p2)))) {
      const c1 = verOrder(s1, p1, l1);
      const c2 = verOrder(s2, p2, l2);
      if (c1 !== c2) return c1 - c2;
      p1++;
      p2++;
    }
    while (p1 < l1 && s1[p1] === "0") p1++;
    while (p2 < l2 && s2[p2] === "0") p2++;
    while (p1 < l1 && p2 < l2 && isDigit(s1.charCodeAt(p1)) && isDigit(s2.charCodeAt(p2))) {
      if (!firstDiff) firstDiff = s1.charCodeAt(p1) - s2.charCodeAt(p2);
      p1++;
      p2++;
    }
    if (p1 < l1 && isDigit(s1.charCodeAt(p1))) return 1;
    if (p2 < l2 && isDigit(s2.charCodeAt(p2))) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

/** gnulib filevercmp (sort -V, ls -v). */
export function fileVersionCompare(a: string, b: string): number {
  if (a.length === 0) return b.length === 0 ? 0 : -1;
  if (b.length === 0) return 1;
  if (a[0] === ".") {
    if (b[0] !== ".") return -1;
    const adot = a.length === 1;
    const bdot = b.length === 1;
    if (adot) return bdot ? 0 : -1;
    if (bdot) return 1;
    const adotdot = a[1] === "." && a.length === 2;
    const bdotdot = b[1] === "." && b.length === 2;
    if (adotdot) return bdotdot ? 0 : -1;
    if (bdotdot) return 1;
  } else if (b[0] === ".") return 1;
  const ap = filePrefixLen(a);
  const bp = filePrefixLen(b);
  const onePass = ap === a.length && bp === b.length;
  const result = verrevcmp(a, ap, b, bp);
  return result || onePass ? result : verrevcmp(a, a.length, b, b.length);
}

/** Bytewise comparison of latin1 strings (memcmp then length). */
export function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** sort -R: a keyed hash per run, so equal keys group together. */
export function randomHasher(): (text: string) => string {
  const salt = createHash("md5").update(String(Math.random())).digest("hex");
  return (text) => createHash("md5").update(salt).update(text, "latin1").digest("hex");
}

/** A -h, -g or -R key's text with what its comparison needs precomputed (numbers, hashes). */
export interface PreparedKey {
  text: string;
  num?: Num;
  unit?: number;
  value?: number;
  hash?: string;
}

export function prepareKey(
  key: SortKey,
  text: string,
  hash?: (text: string) => string,
): PreparedKey {
  if (key.human) {
    const num = parseNum(text, skipBlanks(text));
    return { text, num, unit: unitOrder(text, num) };
  }
  if (key.general) return { text, value: strtod(text) };
  if (key.random && hash) return { text, hash: hash(text) };
  return { text };
}

/** Compares two prepared keys by the key's ordering (without -r). */
export function comparePrepared(key: SortKey, a: PreparedKey, b: PreparedKey): number {
  if (key.human) {
    const diff = a.unit! - b.unit!;
    return diff !== 0 ? diff : compareNums(a.num!, b.num!);
  }
  if (key.general) return compareGeneral(a.value, b.value);
  if (key.random && a.hash !== undefined && b.hash !== undefined) {
    const d = byteCompare(a.hash, b.hash);
    return d !== 0 ? d : byteCompare(a.text, b.text);
  }
  if (key.version) return fileVersionCompare(a.text, b.text);
  return byteCompare(a.text, b.text);
}

// ---- decorated keys ------------------------------------------------------------------------

/**
 * The value of a -n key as a double whose order and equality are strnumcmp's, or NaN when the
 * number has more than 15 significant digits (a double could then merge distinct numbers).
 */
export function numericRank(s: string): number {
  let i = skipBlanks(s);
  const n = s.length;
  let neg = false;
  if (i < n && s.charCodeAt(i) === 0x2d) {
    neg = true;
    i++;
  }
  while (i < n && s.charCodeAt(i) === 0x30) i++;
  const intStart = i;
  let value = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    value = value * 10 + (c - 0x30);
    i++;
  }
  let digits = i - intStart;
  if (i < n && s.charCodeAt(i) === 0x2e) {
    const fracStart = ++i;
    let lastNonZero = fracStart;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      i++;
      if (c !== 0x30) lastNonZero = i;
    }
    if (lastNonZero > fracStart) {
      digits += lastNonZero - fracStart;
      // Number() rounds correctly, so ≤ 15 significant digits keep their order exactly.
      if (digits <= 15)
        value = Number(`${s.slice(intStart, fracStart - 1)}.${s.slice(fracStart, lastNonZero)}`);
    }
  }
  if (digits > 15) return Number.NaN;
  return neg && value !== 0 ? -value : value;
}

type ColumnKind = "text" | "version" | "numeric" | "month" | "prepared";

/**
 * One sort key extracted and parsed once per line (decorate-sort-undecorate): comparisons
 * then read precomputed texts and numbers by line index instead of re-parsing.
 */
export class KeyColumn {
  readonly key: SortKey;
  readonly #kind: ColumnKind;
  readonly #tab: number;
  readonly #hash: ((text: string) => string) | undefined;
  readonly #texts: string[] = [];
  /** numeric and month keys: exact doubles; NaN marks a -n number needing the full parse. */
  readonly #ranks: number[] = [];
  readonly #slowNums = new Map<number, Num>();
  readonly #prepared: PreparedKey[] = [];

  constructor(key: SortKey, tab: number, hash?: (text: string) => string) {
    this.key = key;
    this.#tab = tab;
    this.#hash = hash;
    if (key.numeric) this.#kind = "numeric";
    else if (key.month) this.#kind = "month";
    else if (key.human || key.general || key.random) this.#kind = "prepared";
    else if (key.version) this.#kind = "version";
    else this.#kind = "text";
  }

  /** Decorates the next line (its index is the number of lines added before). */
  add(line: string): void {
    const text = extractKey(line, this.key, this.#tab);
    switch (this.#kind) {
      case "text":
      case "version":
        this.#texts.push(text);
        break;
      case "numeric":
        this.#texts.push(text);
        this.#ranks.push(numericRank(text));
        break;
      case "month":
        this.#ranks.push(monthOf(text));
        break;
      case "prepared":
        this.#prepared.push(prepareKey(this.key, text, this.#hash));
        break;
    }
  }

  /** Compares lines `a` and `b` by this key's ordering (without -r). */
  compare(a: number, b: number): number {
    switch (this.#kind) {
      case "text":
        return byteCompare(this.#texts[a], this.#texts[b]);
      case "numeric": {
        const x = this.#ranks[a];
        const y = this.#ranks[b];
        if (x < y) return -1;
        if (x > y) return 1;
        if (x === y) return 0;
        return compareNums(this.#num(a), this.#num(b));
      }
      case "month":
        return this.#ranks[a] - this.#ranks[b];
      case "version":
        return fileVersionCompare(this.#texts[a], this.#texts[b]);
      default:
        return comparePrepared(this.key, this.#prepared[a], this.#prepared[b]);
    }
  }

  #num(i: number): Num {
    let num = this.#slowNums.get(i);
    if (num === undefined) {
      const text = this.#texts[i];
      num = parseNum(text, skipBlanks(text));
      this.#slowNums.set(i, num);
    }
    return num;
  }
}
