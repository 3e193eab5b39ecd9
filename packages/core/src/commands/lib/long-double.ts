/**
 * Exact x87 80-bit `long double` arithmetic for printf-style number formatting.
 *
 * GNU printf (coreutils) and bash's printf builtin both parse floating arguments with
 * strtold and print them with glibc's exact (correctly rounded, ties-to-even) conversion,
 * so `printf '%.1f' 0.35` prints 0.3 (0.35 rounds to 0.34999999999999999999 in 64 bits of
 * mantissa) where a double-based implementation would not agree on every input. A value is
 * kept as `mant * 2^exp` with a 64-bit BigInt mantissa; formatting uses exact BigInt
 * rational arithmetic. No library offers this, hence our own.
 */

export interface LongDouble {
  kind: "finite" | "inf" | "nan";
  negative: boolean;
  /** 0, or exactly 64 bits (top bit set). */
  mant: bigint;
  exp: number;
}

const MANT_BITS = 64;
/** Largest binary exponent of an x87 long double (values below 2^16384). */
const MAX_EXP = 16384;
/** Smallest normal exponent; below we flush to zero (good enough for printf arguments). */
const MIN_EXP = -16445;

export interface ParsedLongDouble {
  value: LongDouble;
  /** Characters consumed (0 when nothing numeric was found). */
  consumed: number;
  /** ERANGE: overflow to infinity (or underflow to 0). */
  range: boolean;
}

export function ldFromNumber(n: number): LongDouble {
  if (Number.isNaN(n)) return { kind: "nan", negative: false, mant: 0n, exp: 0 };
  if (!Number.isFinite(n)) return { kind: "inf", negative: n < 0, mant: 0n, exp: 0 };
  return ldFromString(String(n)).value;
}

export function ldFromBigInt(n: bigint): LongDouble {
  const negative = n < 0n;
  return { ...roundToMantissa(negative ? -n : n, 0, false), negative };
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** Rounds `n * 2^exp` (+ a sticky bit below it) to a 64-bit mantissa, ties to even. */
function roundToMantissa(n: bigint, exp: number, sticky: boolean): LongDouble {
  if (n === 0n) return { kind: "finite", negative: false, mant: 0n, exp: 0 };
  const len = bitLength(n);
  let mant: bigint;
  let e: number;
  if (len <= MANT_BITS) {
    mant = n << BigInt(MANT_BITS - len);
    e = exp - (MANT_BITS - len);
  } else {
    const shift = BigInt(len - MANT_BITS);
    mant = n >> shift;
    const rem = n & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    if (rem > half || (rem === half && (sticky || (mant & 1n) === 1n))) mant += 1n;
    e = exp + (len - MANT_BITS);
    if (bitLength(mant) > MANT_BITS) {
      mant >>= 1n;
      e += 1;
    }
  }
  if (e + MANT_BITS > MAX_EXP) return { kind: "inf", negative: false, mant: 0n, exp: 0 };
  if (e < MIN_EXP) return { kind: "finite", negative: false, mant: 0n, exp: 0 };
  return { kind: "finite", negative: false, mant, exp: e };
}

/** strtold: leading blanks, sign, decimal or hex floats, inf/infinity/nan[(...)]. */
export function ldFromString(text: string): ParsedLongDouble {
  let i = 0;
  while (i < text.length && " \t\n\v\f\r".includes(text[i])) i++;
  let negative = false;
  if (text[i] === "+" || text[i] === "-") {
    negative = text[i] === "-";
    i++;
  }
  const rest = text.slice(i);
  const none: ParsedLongDouble = {
    value: { kind: "finite", negative: false, mant: 0n, exp: 0 },
    consumed: 0,
    range: false,
  };
  const special = /^(inf(?:inity)?|nan(?:\([0-9A-Za-z_]*\))?)/i.exec(rest);
  if (special) {
    const kind = special[1][0].toLowerCase() === "i" ? "inf" : "nan";
    return {
      value: { kind, negative, mant: 0n, exp: 0 },
      consumed: i + special[0].length,
      range: false,
    };
  }
  const hex = /^0[xX](?:([0-9a-fA-F]+)\.?([0-9a-fA-F]*)|\.([0-9a-fA-F]+))(?:[pP]([-+]?\d+))?/.exec(
    rest,
  );
  if (hex) {
    const intPart = hex[1] ?? "";
    const frac = hex[2] ?? hex[3] ?? "";
    const digits = intPart + frac;
    const n = BigInt(`0x${digits}`);
    const exp = Number(hex[4] ?? "0") - 4 * frac.length;
    const value = roundExact(n, 1n, exp);
    value.negative = negative;
    return { value, consumed: i + hex[0].length, range: isRange(value, n) };
  }
  const dec = /^(?:(\d+)\.?(\d*)|\.(\d+))(?:[eE]([-+]?\d+))?/.exec(rest);
  if (!dec) {
    // "0x" without digits parses as 0 followed by "x".
    return none;
  }
  const intPart = dec[1] ?? "";
  const frac = dec[2] ?? dec[3] ?? "";
  const n = BigInt((intPart + frac).replace(/^0+(?=\d)/, "") || "0");
  const exp10 = Number(dec[4] ?? "0") - frac.length;
  let value: LongDouble;
  if (n === 0n) value = { kind: "finite", negative: false, mant: 0n, exp: 0 };
  else if (exp10 > 5000) value = { kind: "inf", negative: false, mant: 0n, exp: 0 };
  else if (exp10 < -5100) value = { kind: "finite", negative: false, mant: 0n, exp: 0 };
  else if (exp10 >= 0) value = roundToMantissa(n * 10n ** BigInt(exp10), 0, false);
  else value = roundExact(n, 10n ** BigInt(-exp10), 0);
  value.negative = negative;
  return { value, consumed: i + dec[0].length, range: isRange(value, n) };
}

function isRange(value: LongDouble, n: bigint): boolean {
  return value.kind === "inf" || (value.mant === 0n && n !== 0n);
}

/** Rounds num/den * 2^exp to a long double. */
function roundExact(num: bigint, den: bigint, exp: number): LongDouble {
  if (num === 0n) return { kind: "finite", negative: false, mant: 0n, exp: 0 };
  const k = Math.max(0, MANT_BITS + 2 + bitLength(den) - bitLength(num));
  const scaled = num << BigInt(k);
  const q = scaled / den;
  const r = scaled % den;
  return roundToMantissa(q, exp - k, r !== 0n);
}

/** round-half-even(|v| * 10^s) as an integer. */
function scaledRound(v: LongDouble, s: number): bigint {
  let num = v.mant;
  let den = 1n;
  if (v.exp >= 0) num <<= BigInt(v.exp);
  else den <<= BigInt(-v.exp);
  if (s >= 0) num *= 10n ** BigInt(s);
  else den *= 10n ** BigInt(-s);
  const q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** The decimal exponent X with 10^X <= |v| < 10^(X+1) (v finite, nonzero). */
function decimalExponent(v: LongDouble): number {
  const bits = bitLength(v.mant) + v.exp;
  let x = Math.floor((bits - 1) * Math.log10(2));
  // Adjust the estimate exactly.
  for (;;) {
    if (compareWithPow10(v, x) < 0) x--;
    else if (compareWithPow10(v, x + 1) >= 0) x++;
    else return x;
  }
}

function compareWithPow10(v: LongDouble, x: number): number {
  let left = v.mant;
  let right = 1n;
  if (v.exp >= 0) left <<= BigInt(v.exp);
  else right <<= BigInt(-v.exp);
  if (x >= 0) right *= 10n ** BigInt(x);
  else left *= 10n ** BigInt(-x);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Digits of %f (no sign): precision digits after the point. */
export function formatFixed(v: LongDouble, precision: number, alt: boolean): string {
  const digits = scaledRound(v, precision)
    .toString()
    .padStart(precision + 1, "0");
  const intPart = digits.slice(0, digits.length - precision);
  const frac = digits.slice(digits.length - precision);
  return precision > 0 || alt ? `${intPart}.${frac}` : intPart;
}

/** Digits of %e (no sign). */
export function formatExponent(
  v: LongDouble,
  precision: number,
  alt: boolean,
  upper: boolean,
): string {
  let x = v.mant === 0n ? 0 : decimalExponent(v);
  let digits = v.mant === 0n ? "0".repeat(precision + 1) : scaledRound(v, precision - x).toString();
  if (digits.length > precision + 1) {
    x += 1;
    digits = digits.slice(0, precision + 1);
  }
  const mantissa = precision > 0 || alt ? `${digits[0]}.${digits.slice(1)}` : digits[0];
  const sign = x < 0 ? "-" : "+";
  const e = String(Math.abs(x)).padStart(2, "0");
  return `${mantissa}${upper ? "E" : "e"}${sign}${e}`;
}

/** Digits of %g (no sign). */
export function formatGeneral(
  v: LongDouble,
  precision: number,
  alt: boolean,
  upper: boolean,
): string {
  const p = precision === 0 ? 1 : precision;
  let x = 0;
  if (v.mant !== 0n) {
    x = decimalExponent(v);
    // The exponent after rounding to p significant digits.
    const digits = scaledRound(v, p - 1 - x).toString();
    if (digits.length > p) x += 1;
  }
  let out: string;
  if (p > x && x >= -4) out = formatFixed(v, p - 1 - x, alt);
  else out = formatExponent(v, p - 1, alt, upper);
  if (!alt) {
    const ePos = out.search(/[eE]/);
    let mantissa = ePos < 0 ? out : out.slice(0, ePos);
    const suffix = ePos < 0 ? "" : out.slice(ePos);
    if (mantissa.includes(".")) mantissa = mantissa.replace(/0+$/, "").replace(/\.$/, "");
    out = mantissa + suffix;
  }
  return out;
}

/** Digits of %a (no sign), glibc's x87 layout: "0x8p-3" for 1, "0xc.ccccccccccccccdp-7" for 0.1. */
export function formatHex(
  v: LongDouble,
  precision: number | undefined,
  alt: boolean,
  upper: boolean,
): string {
  let out: string;
  if (v.mant === 0n) {
    const frac = precision !== undefined && precision > 0 ? `.${"0".repeat(precision)}` : "";
    out = `0x0${frac || (alt ? "." : "")}p+0`;
  } else {
    let mant = v.mant;
    let exp = v.exp + 60;
    let lead = Number(mant >> 60n);
    const fracBits = mant & ((1n << 60n) - 1n);
    let frac = fracBits.toString(16).padStart(15, "0");
    if (precision === undefined) {
      frac = frac.replace(/0+$/, "");
    } else if (precision < 15) {
      const drop = BigInt((15 - precision) * 4);
      let kept = fracBits >> drop;
      const rem = fracBits & ((1n << drop) - 1n);
      const half = 1n << (drop - 1n);
      const odd = (precision === 0 ? BigInt(lead) : kept) & 1n;
      if (rem > half || (rem === half && odd === 1n)) kept += 1n;
      if (kept >= 1n << BigInt(precision * 4)) {
        kept = 0n;
        lead += 1;
        if (lead === 16) {
          lead = 1;
          exp += 4;
        }
      }
      frac = precision === 0 ? "" : kept.toString(16).padStart(precision, "0");
      mant = 0n;
    } else {
      frac = frac.padEnd(precision, "0");
    }
    void mant;
    const point = frac.length > 0 || alt ? "." : "";
    out = `0x${lead.toString(16)}${point}${frac}p${exp < 0 ? "-" : "+"}${Math.abs(exp)}`;
  }
  return upper ? out.toUpperCase() : out;
}

/** Saturating conversion to a signed 64-bit integer (C's (intmax_t) cast of a long double). */
export function ldToBigInt(v: LongDouble): bigint {
  if (v.kind !== "finite") return v.negative ? -(2n ** 63n) : 2n ** 63n - 1n;
  let n = v.exp >= 0 ? v.mant << BigInt(v.exp) : v.mant >> BigInt(-v.exp);
  if (v.negative) n = -n;
  return n;
}
