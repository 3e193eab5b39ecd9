/**
 * awk values: numbers, strings, and "strnums" (input text — fields, getline, ARGV, ENVIRON,
 * -v values — that compares numerically when it looks like a number). Strings use a latin1
 * model: one JS char per byte.
 */

export class StrNum {
  readonly s: string;
  /** -1 not yet examined, 0 not numeric-looking, 1 numeric-looking. */
  k: number;
  n: number;
  constructor(s: string, k = -1, n = 0) {
    this.s = s;
    this.k = k;
    this.n = n;
  }
}

export type Value = number | string | StrNum;
export type AwkArray = Map<string, Value>;
export type Cell = Value | AwkArray;

/** The uninitialized value: "" as a string, 0 as a number, compares numerically with numbers. */
export const UNINIT = new StrNum("", 1, 0);

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * Parses the numeric prefix of `s` like strtod (decimal only, as gawk without
 * --non-decimal-data). Returns [value, end index, had digits].
 */
function scanNumber(s: string): [number, number, boolean] {
  const n = s.length;
  let i = 0;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  const start = i;
  let c = s.charCodeAt(i);
  if (c === 43 || c === 45) {
    i++;
    c = s.charCodeAt(i);
  }
  // gawk recognizes +inf/-inf/+nan/-nan (with a sign) as special values.
  if ((c === 105 || c === 73 || c === 110 || c === 78) && i > start) {
    const word = s.slice(i, i + 3).toLowerCase();
    if (word === "inf" || word === "nan") {
      const neg = s.charCodeAt(start) === 45;
      const v = word === "inf" ? (neg ? -Infinity : Infinity) : Number.NaN;
      return [v, i + 3, true];
    }
  }
  let digits = false;
  while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
    i++;
    digits = true;
  }
  if (i < n && s.charCodeAt(i) === 46) {
    i++;
    while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
      i++;
      digits = true;
    }
  }
  if (!digits) return [0, 0, false];
  if (i < n && (s.charCodeAt(i) === 101 || s.charCodeAt(i) === 69)) {
    let j = i + 1;
    c = s.charCodeAt(j);
    if (c === 43 || c === 45) j++;
    let expDigits = false;
    while (j < n && (c = s.charCodeAt(j)) >= 48 && c <= 57) {
      j++;
      expDigits = true;
    }
    if (expDigits) i = j;
  }
  return [Number(s.slice(start, i)), i, true];
}

/** awk's string-to-number conversion (leading numeric prefix, else 0). */
export function strToNum(s: string): number {
  // Fast path: plain decimal integers.
  const len = s.length;
  if (len > 0 && len < 16) {
    let v = 0;
    let i = 0;
    for (; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
    }
    if (i === len) return v;
  }
  return scanNumber(s)[0];
}

/** Whether `s` looks entirely like a number (leading/trailing blanks allowed). */
export function looksNumeric(s: string): boolean {
  const [, end, digits] = scanNumber(s);
  if (!digits) return false;
  let i = end;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i === s.length;
}

export function strnumIsNumeric(v: StrNum): boolean {
  if (v.k < 0) {
    if (looksNumeric(v.s)) {
      v.k = 1;
      v.n = strToNum(v.s);
    } else {
      v.k = 0;
      v.n = strToNum(v.s);
    }
  }
  return v.k === 1;
}

export function strnumValue(v: StrNum): number {
  if (v.k < 0) strnumIsNumeric(v);
  return v.n;
}

export function toNum(v: Value): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") return strToNum(v);
  if (v.k < 0) strnumIsNumeric(v);
  return v.n;
}

export function toBool(v: Value): boolean {
  if (typeof v === "number") return v !== 0;
  if (typeof v === "string") return v !== "";
  if (strnumIsNumeric(v)) return v.n !== 0;
  return v.s !== "";
}

export function isNumLike(v: Value): boolean {
  return typeof v === "number" || (typeof v === "object" && strnumIsNumeric(v));
}

/** Latin1 model helpers: bytes <-> one char per byte. */
export function bytesToLatin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

export function latin1ToBytes(s: string): Uint8Array {
  return Buffer.from(s, "latin1");
}

/** A JS (UTF-16) string from outside (argv, env) in the latin1 model (its UTF-8 bytes). */
export function externalToLatin1(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  return Buffer.from(s, "utf8").toString("latin1");
}

/** A latin1-model string back to a JS string for kernel paths and argv. */
export function latin1ToExternal(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  return Buffer.from(s, "latin1").toString("utf8");
}
