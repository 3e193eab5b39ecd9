/**
 * printf-style formatting for awk (as gawk does it with the C library's printf): %c %d %i %o %x
 * %X %u %e %E %f %F %g %G %s %%, flags - + space # 0, widths, precisions and `*`. Floating point
 * conversions round the exact binary value half-to-even, like glibc.
 */

/** Exact decimal digits of |x| (finite, non-zero) as digits with value = digits * 10^-scale. */
function exactDecimal(x: number): { digits: bigint; scale: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (bexp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = bexp - 1075;
  }
  if (e >= 0) return { digits: mant << BigInt(e), scale: 0 };
  return { digits: mant * 5n ** BigInt(-e), scale: -e };
}

/** Integer division rounding half to even. */
function divRound(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  const twice = r * 2n;
  if (twice > d || (twice === d && q % 2n === 1n)) return q + 1n;
  return q;
}

/** |x| with `prec` digits after the point (no sign). */
function fixedAbs(x: number, prec: number): string {
  const ax = Math.abs(x);
  if (ax === 0) return prec > 0 ? `0.${"0".repeat(prec)}` : "0";
  if (ax < 1e21 && prec <= 100) {
    // toFixed rounds the exact value but breaks ties upward; only exact ties need the slow path.
    const tieFree = prec > 60 || !Number.isInteger(ax * 2 ** (prec + 1));
    if (tieFree) return ax.toFixed(prec);
  }
  const { digits, scale } = exactDecimal(ax);
  let n: bigint;
  if (prec >= scale) n = digits * 10n ** BigInt(prec - scale);
  else n = divRound(digits, 10n ** BigInt(scale - prec));
  let s = n.toString();
  if (prec === 0) return s;
  if (s.length <= prec) s = "0".repeat(prec - s.length + 1) + s;
  return `${s.slice(0, s.length - prec)}.${s.slice(s.length - prec)}`;
}

/** |x| as mantissa digits (prec+1 significant digits) and decimal exponent. */
function expParts(x: number, prec: number): { mant: string; exp: number } {
  const ax = Math.abs(x);
  if (ax === 0) return { mant: "0".repeat(prec + 1), exp: 0 };
  if (prec <= 100) {
    const s = ax.toExponential(prec);
    const ei = s.indexOf("e");
    const exp = Number(s.slice(ei + 1));
    const cut = prec - exp + 1;
    const tieFree = cut > 60 || (cut > 0 && !Number.isInteger(ax * 2 ** cut));
    if (tieFree) return { mant: s.slice(0, ei).replace(".", ""), exp };
  }
  const { digits, scale } = exactDecimal(ax);
  const str = digits.toString();
  let exp = str.length - 1 - scale;
  let n: bigint;
  if (str.length <= prec + 1) n = digits * 10n ** BigInt(prec + 1 - str.length);
  else n = divRound(digits, 10n ** BigInt(str.length - prec - 1));
  let m = n.toString();
  if (m.length > prec + 1) {
    m = m.slice(0, prec + 1);
    exp++;
  }
  return { mant: m, exp };
}

function expAbs(x: number, prec: number, alt: boolean, upper: boolean): string {
  const { mant, exp } = expParts(x, prec);
  const body = mant.length > 1 || alt ? `${mant[0]}.${mant.slice(1)}` : mant;
  const es = `${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return `${body}${upper ? "E" : "e"}${es}`;
}

function genAbs(x: number, precIn: number, alt: boolean, upper: boolean): string {
  const prec = precIn === 0 ? 1 : precIn;
  const ax = Math.abs(x);
  let exp = 0;
  if (ax !== 0) exp = expParts(ax, prec - 1).exp;
  let s: string;
  if (exp < -4 || exp >= prec) {
    s = expAbs(ax, prec - 1, alt, upper);
    if (!alt) {
      const ei = s.indexOf(upper ? "E" : "e");
      let m = s.slice(0, ei);
      if (m.includes(".")) m = m.replace(/0+$/, "").replace(/\.$/, "");
      s = m + s.slice(ei);
    }
  } else {
    s = fixedAbs(ax, prec - 1 - exp);
    if (!alt) {
      if (s.includes(".")) s = s.replace(/0+$/, "").replace(/\.$/, "");
    } else if (!s.includes(".")) s += ".";
  }
  return s;
}

/** The "%.6g"-style conversion used for CONVFMT/OFMT fast paths. */
export function formatG(x: number, prec: number): string {
  if (!Number.isFinite(x)) return specialNum(x, false, "", false);
  const s = genAbs(x, prec, false, false);
  return x < 0 || Object.is(x, -0) ? `-${s}` : s;
}

/** gawk formats infinities and NaNs itself: always signed, width ignored. */
function specialNum(x: number, upper: boolean, _sign: string, _alt: boolean): string {
  let s: string;
  if (Number.isNaN(x)) s = isNegNaN(x) ? "-nan" : "+nan";
  else s = x < 0 ? "-inf" : "+inf";
  return upper ? s.toUpperCase() : s;
}

/** NaNs come from log(-1), sqrt(-1), inf-inf...: on x86 the C library prints those as "-nan". */
function isNegNaN(_x: number): boolean {
  return true;
}

/** Converts a number to its awk string form: integers exactly, others via `fmt` (CONVFMT/OFMT). */
export function numberToString(x: number, fmt: string): string {
  if (Number.isInteger(x)) {
    if (Math.abs(x) < 1e16) return String(x === 0 ? 0 : x);
    return BigInt(x).toString();
  }
  if (Number.isNaN(x)) return "-nan";
  if (!Number.isFinite(x)) return x < 0 ? "-inf" : "+inf";
  if (fmt === "%.6g") return formatG(x, 6);
  return sprintf(
    fmt,
    [x],
    (v) => v as number,
    (v) => String(v),
  );
}

export type ToNum<V> = (v: V) => number;
export type ToStr<V> = (v: V) => string;

function pad(s: string, width: number, left: boolean, zero: boolean): string {
  if (s.length >= width) return s;
  if (left) return s + " ".repeat(width - s.length);
  if (zero) {
    const m = /^[-+ ]?(0[xX])?/.exec(s);
    const pre = m ? m[0] : "";
    return pre + "0".repeat(width - s.length) + s.slice(pre.length);
  }
  return " ".repeat(width - s.length) + s;
}

function intDigits(x: number): bigint {
  const t = Math.trunc(x);
  if (Math.abs(t) < 2 ** 53) return BigInt(t);
  return BigInt(t);
}

/** Formats `args` by the awk format string `fmt`. */
export function sprintf<V>(fmt: string, args: V[], toNum: ToNum<V>, toStr: ToStr<V>): string {
  let out = "";
  let argi = 0;
  let i = 0;
  const n = fmt.length;
  while (i < n) {
    const pct = fmt.indexOf("%", i);
    if (pct < 0) {
      out += fmt.slice(i);
      break;
    }
    out += fmt.slice(i, pct);
    i = pct + 1;
    if (i >= n) {
      out += "%";
      break;
    }
    let left = false;
    let plus = false;
    let space = false;
    let alt = false;
    let zero = false;
    const specStart = pct;
    for (; i < n; i++) {
      const c = fmt[i];
      if (c === "-") left = true;
      else if (c === "+") plus = true;
      else if (c === " ") space = true;
      else if (c === "#") alt = true;
      else if (c === "0") zero = true;
      else if (c === "'") {
        /* thousands grouping: no effect in the C locale */
      } else break;
    }
    let width = 0;
    if (fmt[i] === "*") {
      i++;
      width = Math.trunc(argi < args.length ? toNum(args[argi++]) : 0);
      if (width < 0) {
        left = true;
        width = -width;
      }
    } else {
      while (i < n && fmt[i] >= "0" && fmt[i] <= "9")
        width = width * 10 + (fmt.charCodeAt(i++) - 48);
    }
    let prec = -1;
    if (fmt[i] === ".") {
      i++;
      prec = 0;
      if (fmt[i] === "*") {
        i++;
        prec = Math.trunc(argi < args.length ? toNum(args[argi++]) : 0);
        if (prec < 0) prec = -1;
      } else {
        while (i < n && fmt[i] >= "0" && fmt[i] <= "9")
          prec = prec * 10 + (fmt.charCodeAt(i++) - 48);
      }
    }
    // Length modifiers are accepted and ignored.
    while (i < n && "hlLqjzt".includes(fmt[i])) i++;
    if (i >= n) {
      out += fmt.slice(specStart);
      break;
    }
    const conv = fmt[i++];
    if (conv === "%") {
      out += "%";
      continue;
    }
    if (!"cdiouxXeEfFgGs".includes(conv)) {
      out += fmt.slice(specStart, i);
      continue;
    }
    if (argi >= args.length) {
      throw new AwkFormatError(
        `not enough arguments to satisfy format string\n\t\`${fmt}'\n\t${" ".repeat(specStart + 1)}^ ran out for this one`,
      );
    }
    const arg = args[argi++];
    const sign = plus ? "+" : space ? " " : "";
    switch (conv) {
      case "s": {
        let s = toStr(arg);
        if (prec >= 0) s = s.slice(0, prec);
        out += pad(s, width, left, false);
        break;
      }
      case "c": {
        let s: string;
        if (typeof arg === "number") s = String.fromCharCode(Math.trunc(arg) & 0xff);
        else {
          const str = toStr(arg);
          s = isNumericValue(arg)
            ? String.fromCharCode(Math.trunc(toNum(arg)) & 0xff)
            : str === ""
              ? "\0"
              : str.slice(0, 1);
        }
        out += pad(s, width, left, false);
        break;
      }
      case "d":
      case "i": {
        const x = toNum(arg);
        if (!Number.isFinite(x)) {
          out += specialNum(x, false, sign, false);
          break;
        }
        const v = intDigits(x);
        let digits = (v < 0n ? -v : v).toString();
        if (prec >= 0) {
          if (prec === 0 && v === 0n) digits = "";
          digits = digits.padStart(prec, "0");
        }
        const s = (v < 0n ? "-" : sign) + digits;
        out += pad(s, width, left, zero && prec < 0);
        break;
      }
      case "o":
      case "u":
      case "x":
      case "X": {
        const x = toNum(arg);
        if (!Number.isFinite(x)) {
          out += specialNum(x, false, sign, false);
          break;
        }
        let v = intDigits(x);
        if (v < 0n) {
          if (v < -(2n ** 63n)) {
            // gawk falls back to %g-style output for values that do not fit.
            out += pad(fixedAbs(x, 0).replace(/^/, "-"), width, left, false);
            break;
          }
          v = (1n << 64n) + v;
        }
        const radix = conv === "o" ? 8 : conv === "u" ? 10 : 16;
        let digits = v.toString(radix);
        if (conv === "X") digits = digits.toUpperCase();
        if (prec >= 0) {
          if (prec === 0 && v === 0n) digits = "";
          digits = digits.padStart(prec, "0");
        }
        if (alt && conv === "o" && !digits.startsWith("0")) digits = `0${digits}`;
        if (alt && v !== 0n && conv === "x") digits = `0x${digits}`;
        if (alt && v !== 0n && conv === "X") digits = `0X${digits}`;
        out += pad(digits, width, left, zero && prec < 0);
        break;
      }
      default: {
        const x = toNum(arg);
        const upper = conv === "E" || conv === "F" || conv === "G";
        if (!Number.isFinite(x)) {
          out += specialNum(x, upper, sign, alt);
          break;
        }
        const p = prec < 0 ? 6 : prec;
        let body: string;
        if (conv === "f" || conv === "F") {
          body = fixedAbs(x, p);
          if (alt && p === 0) body += ".";
        } else if (conv === "e" || conv === "E") body = expAbs(x, p, alt, upper);
        else body = genAbs(x, p, alt, upper);
        const neg = x < 0 || Object.is(x, -0);
        out += pad((neg ? "-" : sign) + body, width, left, zero);
        break;
      }
    }
  }
  return out;
}

/** Set by the interpreter: whether a value counts as a number for %c. */
let isNumericValue: (v: unknown) => boolean = (v) => typeof v === "number";
export function setNumericTest(test: (v: unknown) => boolean): void {
  isNumericValue = test;
}

export class AwkFormatError extends Error {}
