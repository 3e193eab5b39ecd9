/**
 * bc's arbitrary precision decimal numbers (GNU bc 1.07.1 lib/number.c semantics) on BigInt:
 * a number is a sign, a magnitude of decimal digits and a scale (digits after the point).
 * Every operation truncates exactly where GNU's digit-array code does, so results (and the
 * odd "-0" that raise can leave) print the same digits.
 */

export interface BcNum {
  /** Sign; GNU keeps it even on a zero in a few places (raise), so it is separate. */
  readonly neg: boolean;
  /** The digits as an integer: the value is mag / 10^scale. */
  readonly mag: bigint;
  readonly scale: number;
}

const POW10: bigint[] = [1n];

export function pow10(n: number): bigint {
  while (POW10.length <= n && POW10.length < 4096) {
    POW10.push(POW10[POW10.length - 1] * 10n);
  }
  return n < POW10.length ? POW10[n] : 10n ** BigInt(n);
}

export function mk(neg: boolean, mag: bigint, scale: number): BcNum {
  return { neg, mag, scale };
}

export const ZERO: BcNum = mk(false, 0n, 0);
export const ONE: BcNum = mk(false, 1n, 0);

export function fromInt(n: number | bigint): BcNum {
  const b = BigInt(n);
  return b < 0n ? mk(true, -b, 0) : mk(false, b, 0);
}

export function isZero(a: BcNum): boolean {
  return a.mag === 0n;
}

export function isNeg(a: BcNum): boolean {
  return a.neg;
}

/** Integer digits as GNU's n_len counts them (at least 1). */
export function intLen(a: BcNum): number {
  const ip = a.mag / pow10(a.scale);
  return ip === 0n ? 1 : ip.toString().length;
}

/** Magnitude aligned to `scale` (scale >= a.scale). */
function widen(a: BcNum, scale: number): bigint {
  return a.mag * pow10(scale - a.scale);
}

/** Compares magnitudes. */
function cmpMag(a: BcNum, b: BcNum): number {
  const s = Math.max(a.scale, b.scale);
  const x = widen(a, s);
  const y = widen(b, s);
  return x === y ? 0 : x > y ? 1 : -1;
}

/** bc_compare: signs first (so -0 < 0, as in GNU), then magnitudes. */
export function compare(a: BcNum, b: BcNum): number {
  if (a.neg !== b.neg) return a.neg ? -1 : 1;
  const c = cmpMag(a, b);
  return a.neg ? -c : c;
}

function addMag(a: BcNum, b: BcNum, scaleMin: number): bigint {
  const s = Math.max(a.scale, b.scale, scaleMin);
  return widen(a, s) + widen(b, s);
}

function subMag(a: BcNum, b: BcNum, scaleMin: number): bigint {
  const s = Math.max(a.scale, b.scale, scaleMin);
  return widen(a, s) - widen(b, s);
}

/** bc_add with scale_min. */
export function add(a: BcNum, b: BcNum, scaleMin = 0): BcNum {
  const s = Math.max(a.scale, b.scale, scaleMin);
  if (a.neg === b.neg) return mk(a.neg, addMag(a, b, scaleMin), s);
  const c = cmpMag(a, b);
  if (c === 0) return mk(false, 0n, s);
  return c > 0 ? mk(a.neg, subMag(a, b, scaleMin), s) : mk(b.neg, subMag(b, a, scaleMin), s);
}

/** bc_sub with scale_min. */
export function sub(a: BcNum, b: BcNum, scaleMin = 0): BcNum {
  const s = Math.max(a.scale, b.scale, scaleMin);
  if (a.neg !== b.neg) return mk(a.neg, addMag(a, b, scaleMin), s);
  const c = cmpMag(a, b);
  if (c === 0) return mk(false, 0n, s);
  return c > 0 ? mk(a.neg, subMag(a, b, scaleMin), s) : mk(!b.neg, subMag(b, a, scaleMin), s);
}

/** bc_multiply: scale MIN(s1+s2, MAX(scale, s1, s2)), truncated. */
export function mul(a: BcNum, b: BcNum, scale: number): BcNum {
  const full = a.scale + b.scale;
  const ps = Math.min(full, Math.max(scale, a.scale, b.scale));
  const mag = (a.mag * b.mag) / pow10(full - ps);
  return mk(mag === 0n ? false : a.neg !== b.neg, mag, ps);
}

/** bc_divide: `scale` digits, truncated; undefined on division by zero. */
export function div(a: BcNum, b: BcNum, scale: number): BcNum | undefined {
  if (b.mag === 0n) return undefined;
  let num = a.mag;
  let den = b.mag;
  const shift = scale + b.scale - a.scale;
  if (shift >= 0) num *= pow10(shift);
  else den *= pow10(-shift);
  const mag = num / den;
  return mk(mag === 0n ? false : a.neg !== b.neg, mag, scale);
}

/** bc_modulo (bc_divmod's remainder); undefined on division by zero. */
export function mod(a: BcNum, b: BcNum, scale: number): BcNum | undefined {
  const q = div(a, b, scale);
  if (q === undefined) return undefined;
  const rscale = Math.max(a.scale, b.scale + scale);
  return sub(a, mul(q, b, rscale), rscale);
}

const LONG_MAX = 9223372036854775807n;

/** bc_num2long: the integer part, or 0 when it does not fit a 64-bit long. */
export function toLong(a: BcNum): bigint {
  const ip = a.mag / pow10(a.scale);
  if (ip > LONG_MAX) return 0n;
  return a.neg ? -ip : ip;
}

export interface RaiseResult {
  value: BcNum;
  warning?: string;
  error?: string;
}

/** bc_raise: integer exponents only; exact power truncated to the result scale. */
export function raise(a: BcNum, b: BcNum, scale: number): RaiseResult {
  let warning: string | undefined;
  if (b.scale !== 0) warning = "non-zero scale in exponent";
  const exponent = toLong(b);
  let error: string | undefined;
  if (exponent === 0n && intLen(b) > 1) error = "exponent too large in raise";
  if (exponent === 0n) return { value: ONE, warning, error };
  const neg = exponent < 0n;
  const ue = neg ? -exponent : exponent;
  let rscale: number;
  if (neg) rscale = scale;
  else {
    const full = BigInt(a.scale) * ue;
    const cap = BigInt(Math.max(scale, a.scale));
    rscale = Number(full < cap ? full : cap);
  }
  const pmag = a.mag ** ue;
  const pscale = a.scale * Number(ue);
  const pneg = pmag === 0n ? false : a.neg && ue % 2n === 1n;
  const power = mk(pneg, pmag, pscale);
  if (neg) {
    const q = div(ONE, power, rscale);
    // 0 ^ negative: GNU divides by zero quietly here; the caller reports it.
    return { value: q ?? ZERO, warning, error };
  }
  if (pscale > rscale) {
    return { value: mk(pneg, pmag / pow10(pscale - rscale), rscale), warning, error };
  }
  return { value: power, warning, error };
}

/** bc_is_near_zero: all digits up to `scale` are 0, but for a final 1. */
function isNearZero(a: BcNum, scale: number): boolean {
  const sc = Math.min(scale, a.scale);
  const t = a.mag / pow10(a.scale - sc);
  return t <= 1n;
}

const POINT5: BcNum = mk(false, 5n, 1);

/** bc_sqrt: Newton's iteration exactly as GNU runs it; undefined for a negative number. */
export function sqrt(a: BcNum, scale: number): BcNum | undefined {
  const c0 = compare(a, ZERO);
  if (c0 < 0) return undefined;
  if (c0 === 0) return ZERO;
  const c1 = compare(a, ONE);
  if (c1 === 0) return ONE;
  const rscale = Math.max(scale, a.scale);
  let guess: BcNum;
  let cscale: number;
  if (c1 < 0) {
    guess = ONE;
    cscale = a.scale;
  } else {
    guess = mk(false, pow10(Math.floor(intLen(a) / 2)), 0);
    cscale = 3;
  }
  for (;;) {
    const guess1 = guess;
    guess = div(a, guess, cscale) as BcNum;
    guess = add(guess, guess1, 0);
    guess = mul(guess, POINT5, cscale);
    const diff = sub(guess, guess1, cscale + 1);
    if (isNearZero(diff, cscale)) {
      if (cscale < rscale + 1) cscale = Math.min(cscale * 3, rscale + 1);
      else break;
    }
  }
  return div(guess, ONE, rscale) as BcNum;
}

/** length(): significant digits (a leading "0." does not count). */
export function length(a: BcNum): number {
  const len = intLen(a);
  if (len === 1 && a.scale !== 0 && a.mag < pow10(a.scale)) return a.scale;
  return len + a.scale;
}

/** Parses a base-10 constant as bc's loader stores it ("12.5"; digits above 9 count as 9). */
export function fromDecimal(intDigits: string, fracDigits: string): BcNum {
  const digits = (intDigits + fracDigits).replace(/[A-Z]/g, "9");
  return mk(false, digits === "" ? 0n : BigInt(digits), fracDigits.length);
}

const REF = "0123456789ABCDEF";

/**
 * bc_out_num: the characters of `a` in base `base` (GNU's rules: no leading 0 before the
 * point, multi-character space-separated digits above base 16), fed to `out` one by one.
 */
export function outNum(a: BcNum, base: number, out: (ch: string) => void): void {
  if (a.neg) out("-");
  if (a.mag === 0n) {
    out("0");
    return;
  }
  if (base === 10) {
    const s = a.mag.toString().padStart(a.scale + 1, "0");
    const ip = s.slice(0, s.length - a.scale);
    if (ip !== "0") for (const ch of ip) out(ch);
    if (a.scale > 0) {
      out(".");
      for (const ch of s.slice(s.length - a.scale)) out(ch);
    }
    return;
  }
  const b = BigInt(base);
  const one = pow10(a.scale);
  let ip = a.mag / one;
  let frac = a.mag % one;
  const width = String(base - 1).length;
  const digits: bigint[] = [];
  while (ip > 0n) {
    digits.push(ip % b);
    ip /= b;
  }
  const long = (d: bigint, space: boolean): void => {
    if (space) out(" ");
    const t = d.toString();
    for (let k = t.length; k < width; k++) out("0");
    for (const ch of t) out(ch);
  };
  for (let k = digits.length - 1; k >= 0; k--) {
    if (base <= 16) out(REF[Number(digits[k])]);
    else long(digits[k], true);
  }
  if (a.scale > 0) {
    out(".");
    let pre = false;
    let t = 1n;
    const limit = pow10(a.scale);
    while (t < limit) {
      frac *= b;
      const d = frac / one;
      frac -= d * one;
      if (base <= 16) out(REF[Number(d)]);
      else {
        long(d, pre);
        pre = true;
      }
      t *= b;
    }
  }
}
