/**
 * tr's SET syntax (GNU tr, C locale): backslash escapes, ranges a-z, [:class:], [=c=],
 * [c*n] / [c*] repeats. A set parses into elements that expand to a byte sequence.
 */

export type TrElement =
  | { kind: "chars"; chars: number[] }
  | { kind: "class"; name: string; chars: number[] }
  | { kind: "equiv"; chars: number[] }
  | { kind: "repeat"; c: number; count: number };

export class TrSetError extends Error {}

const range = (lo: number, hi: number): number[] =>
  Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

function classChars(name: string): number[] | undefined {
  const all = range(0, 255);
  const pick = (f: (c: number) => boolean): number[] => all.filter(f);
  const upper = (c: number): boolean => c >= 0x41 && c <= 0x5a;
  const lower = (c: number): boolean => c >= 0x61 && c <= 0x7a;
  const digit = (c: number): boolean => c >= 0x30 && c <= 0x39;
  const alnum = (c: number): boolean => upper(c) || lower(c) || digit(c);
  switch (name) {
    case "alnum":
      return pick(alnum);
    case "alpha":
      return pick((c) => upper(c) || lower(c));
    case "blank":
      return [0x09, 0x20];
    case "cntrl":
      return pick((c) => c < 0x20 || c === 0x7f);
    case "digit":
      return pick(digit);
    case "graph":
      return pick((c) => c > 0x20 && c < 0x7f);
    case "lower":
      return pick(lower);
    case "print":
      return pick((c) => c >= 0x20 && c < 0x7f);
    case "punct":
      return pick((c) => c > 0x20 && c < 0x7f && !alnum(c));
    case "space":
      return pick((c) => (c >= 0x09 && c <= 0x0d) || c === 0x20);
    case "upper":
      return pick(upper);
    case "xdigit":
      return pick((c) => digit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
    default:
      return undefined;
  }
}

/** Backslash-unescaped bytes of a SET, with which positions were escaped; warnings collected. */
function unquote(arg: string, warnings: string[]): { s: number[]; escaped: boolean[] } {
  const s: number[] = [];
  const escaped: boolean[] = [];
  for (let i = 0; i < arg.length; i++) {
    const c = arg.charCodeAt(i);
    if (c !== 0x5c) {
      s.push(c);
      escaped.push(false);
      continue;
    }
    if (i + 1 >= arg.length) {
      warnings.push("warning: an unescaped backslash at end of string is not portable");
      s.push(0x5c);
      escaped.push(false);
      continue;
    }
    const next = arg[++i];
    const simple: Record<string, number> = {
      a: 7,
      b: 8,
      f: 12,
      n: 10,
      r: 13,
      t: 9,
      v: 11,
    };
    if (next in simple) {
      s.push(simple[next]);
    } else if (next >= "0" && next <= "7") {
      let value = next.charCodeAt(0) - 48;
      let digits = 1;
      while (digits < 3 && i + 1 < arg.length && arg[i + 1] >= "0" && arg[i + 1] <= "7") {
        const nv = value * 8 + (arg.charCodeAt(i + 1) - 48);
        if (nv > 255) {
          const d = arg.slice(i - digits + 1, i + 2);
          warnings.push(
            `warning: the ambiguous octal escape \\${d} is being\n\tinterpreted as the 2-byte sequence \\0${d.slice(0, 2)}, ${d[2]}`,
          );
          break;
        }
        value = nv;
        digits++;
        i++;
      }
      s.push(value);
    } else {
      s.push(next.charCodeAt(0));
    }
    escaped.push(true);
  }
  return { s, escaped };
}

function printable(bytes: number[]): string {
  return bytes
    .map((c) => {
      if (c === 0x5c) return "\\\\";
      if (c >= 0x20 && c < 0x7f) return String.fromCharCode(c);
      const names: Record<number, string> = {
        7: "a",
        8: "b",
        12: "f",
        10: "n",
        13: "r",
        9: "t",
        11: "v",
      };
      return names[c] ? `\\${names[c]}` : `\\${c.toString(8).padStart(3, "0")}`;
    })
    .join("");
}

/** Parses one SET (a latin1 string). Throws TrSetError with GNU's message. */
export function parseTrSet(arg: string, warnings: string[]): TrElement[] {
  const { s, escaped } = unquote(arg, warnings);
  const len = s.length;
  const out: TrElement[] = [];
  const pushChar = (c: number): void => {
    const last = out[out.length - 1];
    if (last && last.kind === "chars") last.chars.push(c);
    else out.push({ kind: "chars", chars: [c] });
  };
  let i = 0;
  while (i < len) {
    if (s[i] === 0x5b && !escaped[i]) {
      const open = s[i + 1];
      if ((open === 0x3a || open === 0x3d) && !escaped[i + 1]) {
        let close = -1;
        for (let j = i + 2; j + 1 < len; j++) {
          if (s[j] === open && !escaped[j] && s[j + 1] === 0x5d && !escaped[j + 1]) {
            close = j;
            break;
          }
        }
        if (close >= 0) {
          const operand = String.fromCharCode(...s.slice(i + 2, close));
          if (open === 0x3a) {
            const chars = classChars(operand);
            if (!chars) {
              if (operand === "") throw new TrSetError("missing character class name '[::]'");
              throw new TrSetError(`invalid character class '${operand}'`);
            }
            out.push({ kind: "class", name: operand, chars });
          } else {
            if (operand.length === 0)
              throw new TrSetError("missing equivalence class character '[==]'");
            if (operand.length !== 1)
              throw new TrSetError(
                `${operand}: equivalence class operand must be a single character`,
              );
            out.push({ kind: "equiv", chars: [s[i + 2]] });
          }
          i = close + 2;
          continue;
        }
      }
      // [c*n] or [c*]
      if (i + 2 < len && s[i + 2] === 0x2a && !escaped[i + 2]) {
        let j = i + 3;
        while (j < len && !escaped[j] && s[j] !== 0x5d) j++;
        if (j < len && s[j] === 0x5d && !escaped[j]) {
          const digits = String.fromCharCode(...s.slice(i + 3, j));
          let count = 0;
          if (digits.length > 0) {
            const valid = digits[0] === "0" ? /^[0-7]+$/.test(digits) : /^\d+$/.test(digits);
            count = valid ? Number.parseInt(digits, digits[0] === "0" ? 8 : 10) : Number.NaN;
            if (!Number.isSafeInteger(count))
              throw new TrSetError(
                `invalid repeat count '${printable(s.slice(i + 3, j))}' in [c*n] construct`,
              );
          }
          out.push({ kind: "repeat", c: s[i + 1], count });
          i = j + 1;
          continue;
        }
      }
    }
    if (i + 2 < len && s[i + 1] === 0x2d && !escaped[i + 1]) {
      const lo = s[i];
      const hi = s[i + 2];
      if (lo > hi)
        throw new TrSetError(
          `range-endpoints of '${printable([lo])}-${printable([hi])}' are in reverse collating sequence order`,
        );
      for (let c = lo; c <= hi; c++) pushChar(c);
      i += 3;
      continue;
    }
    pushChar(s[i]);
    i++;
  }
  return out;
}

/** Length of a set's expansion, with indefinite repeats counting 0. */
export function setLength(set: TrElement[]): number {
  let n = 0;
  for (const e of set) n += e.kind === "repeat" ? e.count : e.chars.length;
  return n;
}

/** The byte sequence of a set (indefinite repeats must be resolved first). */
export function expandSet(set: TrElement[]): number[] {
  const out: number[] = [];
  for (const e of set) {
    if (e.kind === "repeat") for (let k = 0; k < e.count; k++) out.push(e.c);
    else out.push(...e.chars);
  }
  return out;
}

/** Membership table of a set, optionally complemented. */
export function memberTable(set: TrElement[], complement: boolean): Uint8Array {
  const table = new Uint8Array(256);
  for (const c of expandSet(set)) table[c] = 1;
  if (complement) for (let c = 0; c < 256; c++) table[c] ^= 1;
  return table;
}
