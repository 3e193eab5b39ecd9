/**
 * printf formatting shared by coreutils `printf` (dialect "coreutils") and the shell's
 * `printf` builtin (dialect "bash", bash 5.2).
 *
 *   formatPrintf(format, args, dialect, options?) → { output, errors, stopped, exitStatus }
 *
 * String contract (bytes):
 * - `format` and `args` are JS strings. By default (`options.input` "utf8") each is first
 *   encoded as UTF-8, so %c, %.3s and widths count bytes as GNU does. With `input: "bytes"`
 *   the caller already passes byte strings (every char < 256 is one byte).
 * - `output` is a byte string: every char is < 256 and stands for one byte. Write it with
 *   `byteStringToBytes(output)` (never TextEncoder, which would re-encode chars >= 0x80).
 * - \u/\U escapes (and %b's) produce UTF-8 bytes when `options.utf8` is set (a UTF-8 locale);
 *   in the C locale (default, LC_ALL=C) GNU prints them as "\u00E9" and so do we.
 * - `errors` are message bodies without the program prefix: the caller prints
 *   "printf: " + body (coreutils) or "bash: line N: printf: " + body. Warnings are included
 *   (their body starts with "warning: ") but do not make `exitStatus` non-zero.
 * - `stopped`: output ended early (\c, or a fatal error such as an invalid conversion).
 * - `exitStatus`: what the program / builtin returns (0 or 1).
 *
 * Supported: %d %i %o %u %x %X %f %F %e %E %g %G %a %A %c %s %b %q %% and (bash) %(fmt)T,
 * flags `-+ #0'`, width and precision (digits or `*`), length modifiers hlLjqtzZ (ignored),
 * format reuse until the arguments are consumed, missing arguments as "" or 0, numeric
 * arguments 'c / "c (character code), 0x / 0 prefixes, 64-bit clamping with "Numerical
 * result out of range", invalid numbers (partial value printed), floats as x87 long double
 * (see long-double.ts), and both dialects' escape rules.
 */
import {
  formatExponent,
  formatFixed,
  formatGeneral,
  formatHex,
  type LongDouble,
  ldFromString,
} from "./long-double.ts";
import { breakDown, resolveTimeZone, strftime } from "./strftime.ts";

export type PrintfDialect = "bash" | "coreutils";

export interface PrintfOptions {
  /** How `format` and `args` encode bytes (default "utf8"). */
  input?: "utf8" | "bytes";
  /** A UTF-8 locale: \u escapes produce UTF-8 (default false: the C locale). */
  utf8?: boolean;
  /** TZ for %(fmt)T (bash). */
  tz?: string;
  /** Current time in ms for %(fmt)T with -1 or no argument. */
  now?: number;
  /** Shell start time in ms for %(fmt)T with -2. */
  shellStart?: number;
}

export interface PrintfResult {
  output: string;
  errors: string[];
  stopped: boolean;
  exitStatus: number;
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** UTF-8 encodes a JS string into a byte string (one char per byte). */
export function toByteString(text: string): string {
  // Fast path: ASCII only.
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  const bytes = new TextEncoder().encode(text);
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return out;
}

/** The bytes a byte string stands for. */
export function byteStringToBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

class Fatal extends Error {}
class Stop extends Error {}

const isOct = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "7";
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

export function formatPrintf(
  format: string,
  args: string[],
  dialect: PrintfDialect,
  options: PrintfOptions = {},
): PrintfResult {
  const bytes = options.input === "bytes";
  const fmt = bytes ? format : toByteString(format);
  const argv = bytes ? args : args.map(toByteString);
  const state = new Formatter(dialect, options, argv);
  let stopped = false;
  try {
    if (dialect === "coreutils" || argv.length === 0) {
      // Run the format at least once, then again while it consumes arguments.
      for (;;) {
        const before = state.index;
        state.run(fmt);
        if (state.index === before || state.index >= argv.length) break;
      }
      if (dialect === "coreutils" && state.index < argv.length) {
        state.errors.push(
          `warning: ignoring excess arguments, starting with ${localeQuote(argv[state.index])}`,
        );
      }
    } else {
      for (;;) {
        const before = state.index;
        state.run(fmt);
        if (state.index === before || state.index >= argv.length) break;
      }
    }
  } catch (err) {
    if (err instanceof Stop) {
      stopped = true;
      // coreutils exits with EXIT_SUCCESS at \c, whatever happened before.
      if (dialect === "coreutils") state.failed = false;
    } else if (err instanceof Fatal) {
      stopped = true;
      state.failed = true;
    } else throw err;
  }
  return {
    output: state.out,
    errors: state.errors,
    stopped,
    exitStatus: state.failed ? 1 : 0,
  };
}

class Formatter {
  readonly dialect: PrintfDialect;
  readonly options: PrintfOptions;
  readonly args: string[];
  index = 0;
  out = "";
  errors: string[] = [];
  failed = false;

  constructor(dialect: PrintfDialect, options: PrintfOptions, args: string[]) {
    this.dialect = dialect;
    this.options = options;
    this.args = args;
  }

  error(message: string): void {
    this.errors.push(message);
    this.failed = true;
  }

  warn(message: string): void {
    this.errors.push(message);
  }

  fatal(message: string): never {
    this.errors.push(message);
    throw new Fatal(message);
  }

  next(): string | undefined {
    return this.index < this.args.length ? this.args[this.index++] : undefined;
  }

  run(fmt: string): void {
    const bash = this.dialect === "bash";
    for (let i = 0; i < fmt.length; i++) {
      const ch = fmt[i];
      if (ch === "\\") {
        i = this.formatEscape(fmt, i);
        continue;
      }
      if (ch !== "%") {
        this.out += ch;
        continue;
      }
      const start = i;
      i++;
      if (fmt[i] === "%") {
        this.out += "%";
        continue;
      }
      if (!bash && (fmt[i] === "b" || fmt[i] === "q")) {
        const arg = this.next();
        if (arg !== undefined) {
          if (fmt[i] === "q") this.out += shellEscapeQuote(arg);
          else {
            try {
              this.out += this.expandB(arg);
            } catch (err) {
              this.out += this.partial;
              throw err;
            }
          }
        }
        continue;
      }
      // Flags.
      const flags = new Set<string>();
      for (; i < fmt.length && "-+ #0'I".includes(fmt[i]); i++) {
        if (fmt[i] === "I" && bash) break;
        flags.add(fmt[i]);
      }
      let width: number | undefined;
      let precision: number | undefined;
      let widthText = "";
      if (fmt[i] === "*") {
        i++;
        width = this.starArgument("width");
        widthText = "*";
      } else {
        for (; i < fmt.length && fmt[i] >= "0" && fmt[i] <= "9"; i++) widthText += fmt[i];
        if (widthText) width = Number(widthText);
      }
      let hasPrecision = false;
      if (fmt[i] === ".") {
        i++;
        hasPrecision = true;
        if (fmt[i] === "*") {
          i++;
          const p = this.starArgument("precision");
          precision = p < 0 ? undefined : p;
        } else {
          let digits = "";
          for (; i < fmt.length && fmt[i] >= "0" && fmt[i] <= "9"; i++) digits += fmt[i];
          precision = Number(digits || "0");
        }
      }
      if (width !== undefined && width < 0) {
        flags.add("-");
        width = -width;
      }
      let timeFormat: string | undefined;
      if (bash && fmt[i] === "(") {
        const close = fmt.indexOf(")", i + 1);
        if (close < 0 || fmt[close + 1] !== "T") {
          // bash warns, prints the text up to the "(" and goes on parsing after it.
          const bad = close < 0 ? "\0" : (fmt[close + 1] ?? "\0");
          this.warn(`warning: \`${bad}': invalid time format specification`);
          this.out += fmt.slice(start, i + 1);
          continue;
        }
        timeFormat = fmt.slice(i + 1, close);
        i = close + 1;
      }
      while (i < fmt.length && "hjlLtz".includes(fmt[i])) i++;
      const conv = fmt[i];
      if (conv === undefined) {
        if (bash) this.fatal(`\`${fmt.slice(start)}': missing format character`);
        this.fatal(`${fmt.slice(start)}: invalid conversion specification`);
      }
      if (!bash) {
        const ok = coreutilsFlagsOk(conv, flags, hasPrecision);
        if (!ok) this.fatal(`${fmt.slice(start, i + 1)}: invalid conversion specification`);
      }
      const spec: Spec = { flags, width, precision, conv };
      switch (conv) {
        case "d":
        case "i":
          this.out += pad(formatSigned(this.integerArg(true), spec), spec, true);
          break;
        case "o":
        case "u":
        case "x":
        case "X":
          this.out += pad(formatUnsigned(this.integerArg(false), spec), spec, true);
          break;
        case "f":
        case "F":
        case "e":
        case "E":
        case "g":
        case "G":
        case "a":
        case "A":
          this.out += formatFloat(this.floatArg(), spec);
          break;
        case "c": {
          const arg = this.next() ?? "";
          this.out += pad(arg.length > 0 ? arg[0] : "\0", { ...spec, flags: without0(flags) });
          break;
        }
        case "s": {
          const arg = this.next() ?? "";
          this.out += pad(clip(arg, precision), bash ? { ...spec, flags: without0(flags) } : spec);
          break;
        }
        case "b": {
          // bash only (coreutils handled %b above).
          const arg = this.next() ?? "";
          let expanded: string;
          try {
            expanded = this.expandB(arg);
          } catch (err) {
            if (err instanceof Stop) {
              this.out += pad(clip(this.partial, precision), { ...spec, flags: without0(flags) });
            }
            throw err;
          }
          this.out += pad(clip(expanded, precision), { ...spec, flags: without0(flags) });
          break;
        }
        case "q": {
          const arg = this.next() ?? "";
          this.out += pad(clip(bashQuote(arg), precision), { ...spec, flags: without0(flags) });
          break;
        }
        case "T": {
          if (timeFormat === undefined) this.fatal("`T': invalid format character");
          this.out += pad(clip(this.time(timeFormat), precision), {
            ...spec,
            flags: without0(flags),
          });
          break;
        }
        default:
          if (bash) this.fatal(`\`${conv}': invalid format character`);
          this.fatal(`${fmt.slice(start, i + 1)}: invalid conversion specification`);
      }
    }
  }

  /** What %b produced before \c (kept so the padded partial text can be written). */
  partial = "";

  starArgument(what: "width" | "precision"): number {
    const arg = this.next();
    if (arg === undefined) return 0;
    const value = this.parseInteger(arg, true);
    if (value > 2147483647n || value < -2147483648n) {
      if (this.dialect === "coreutils") {
        if (what === "precision" && value < 0n) return -1;
        this.fatal(
          `invalid field ${what === "width" ? "width" : "precision"}: ${localeQuote(arg)}`,
        );
      }
      this.warn(`warning: ${arg}: Numerical result out of range`);
      return value < 0n ? -2147483648 : 2147483647;
    }
    return Number(value);
  }

  integerArg(signed: boolean): bigint {
    const arg = this.next();
    if (arg === undefined) return 0n;
    return this.parseInteger(arg, signed);
  }

  /** strtoimax / strtoumax (base 0) with each dialect's diagnostics. */
  parseInteger(arg: string, signed: boolean): bigint {
    const charCode = this.characterConstant(arg);
    if (charCode !== undefined) return BigInt(charCode);
    const m = /^[ \t\n\v\f\r]*([-+]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(arg);
    if (!m) {
      this.invalid(arg, 0);
      return 0n;
    }
    const negative = m[1] === "-";
    const digits = m[2];
    let magnitude: bigint;
    if (/^0[xX]/.test(digits)) magnitude = BigInt(digits);
    else if (digits.length > 1 && digits[0] === "0") magnitude = BigInt(`0o${digits.slice(1)}`);
    else magnitude = BigInt(digits);
    let value: bigint;
    let range = false;
    if (signed) {
      value = negative ? -magnitude : magnitude;
      if (value > INT64_MAX) {
        value = INT64_MAX;
        range = true;
      } else if (value < INT64_MIN) {
        value = INT64_MIN;
        range = true;
      }
    } else if (magnitude > UINT64_MAX) {
      value = UINT64_MAX;
      range = true;
    } else {
      value = negative ? (2n ** 64n - magnitude) % 2n ** 64n : magnitude;
    }
    if (m[0].length < arg.length) this.invalid(arg, m[0].length);
    else if (range) this.outOfRange(arg);
    return value;
  }

  /** 'c or "c: the code of the byte after the quote. */
  characterConstant(arg: string): number | undefined {
    if (arg[0] !== "'" && arg[0] !== '"') return undefined;
    if (arg.length === 1) {
      // bash: 0 silently; coreutils: strtoimax fails on the quote.
      if (this.dialect === "bash") return 0;
      return undefined;
    }
    let code = arg.charCodeAt(1);
    if (this.options.utf8 && code >= 0xc0) {
      // A UTF-8 locale gives the character's code point.
      const decoded = decodeUtf8Prefix(arg.slice(1));
      if (decoded) {
        code = decoded.codePoint;
        if (this.dialect === "coreutils" && arg.length > 1 + decoded.length)
          this.warn(
            `warning: ${arg.slice(1 + decoded.length)}: character(s) following character constant have been ignored`,
          );
        return code;
      }
    }
    if (this.dialect === "coreutils" && arg.length > 2) {
      this.warn(
        `warning: ${arg.slice(2)}: character(s) following character constant have been ignored`,
      );
    }
    return code;
  }

  invalid(arg: string, consumed: number): void {
    if (this.dialect === "bash") {
      // bash's sh_invalidnum words it by the argument's look.
      const kind = /^0[0-9]/.test(arg) ? "octal " : /^0x/.test(arg) ? "hex " : "";
      this.error(`${arg}: invalid ${kind}number`);
    } else if (consumed === 0) this.error(`${localeQuote(arg)}: expected a numeric value`);
    else this.error(`${localeQuote(arg)}: value not completely converted`);
  }

  outOfRange(arg: string): void {
    if (this.dialect === "bash") this.warn(`warning: ${arg}: Numerical result out of range`);
    else this.error(`${localeQuote(arg)}: Numerical result out of range`);
  }

  floatArg(): LongDouble {
    const arg = this.next();
    if (arg === undefined) return { kind: "finite", negative: false, mant: 0n, exp: 0 };
    const charCode = this.characterConstant(arg);
    if (charCode !== undefined) return ldFromString(String(charCode)).value;
    const parsed = ldFromString(arg);
    if (parsed.consumed === 0) this.invalid(arg, 0);
    else if (parsed.consumed < arg.length) this.invalid(arg, parsed.consumed);
    else if (parsed.range) this.outOfRange(arg);
    return parsed.value;
  }

  time(timeFormat: string): string {
    const arg = this.next();
    let seconds: bigint;
    const value = arg === undefined ? -1n : this.parseInteger(arg, true);
    if (value === -1n) seconds = BigInt(Math.floor((this.options.now ?? Date.now()) / 1000));
    else if (value === -2n)
      seconds = BigInt(Math.floor((this.options.shellStart ?? Date.now()) / 1000));
    else seconds = value;
    const t = breakDown(seconds, 0, resolveTimeZone(this.options.tz));
    return strftime(timeFormat === "" ? "%X" : timeFormat, t);
  }

  /** A backslash escape in the format; returns the index of its last character. */
  formatEscape(fmt: string, i: number): number {
    const next = fmt[i + 1];
    if (next === undefined) {
      this.out += "\\";
      return i;
    }
    if (this.dialect === "coreutils") {
      if (next === "c") throw new Stop();
      return i + this.coreutilsEscape(fmt.slice(i), false);
    }
    return i + this.bashEscape(fmt.slice(i), false);
  }

  /** coreutils print_esc: returns how many characters after the backslash it used. */
  coreutilsEscape(text: string, octal0: boolean): number {
    let p = 1;
    const c = text[p];
    if (c === "x") {
      p++;
      let value = 0;
      let n = 0;
      for (; n < 2 && isHex(text[p]); n++, p++) value = value * 16 + Number.parseInt(text[p], 16);
      if (n === 0) this.fatal("missing hexadecimal number in escape");
      this.out += String.fromCharCode(value);
    } else if (isOct(c)) {
      if (octal0 && c === "0") p++;
      let value = 0;
      for (let n = 0; n < 3 && isOct(text[p]); n++, p++) value = value * 8 + Number(text[p]);
      this.out += String.fromCharCode(value & 0xff);
    } else if (c !== undefined && '"\\abcefnrtv'.includes(c)) {
      if (c === "c") throw new Stop();
      this.out += SIMPLE_ESCAPES[c];
      p++;
    } else if (c === "u" || c === "U") {
      let value = 0;
      p++;
      for (let n = c === "u" ? 4 : 8; n > 0; n--, p++) {
        if (!isHex(text[p])) this.fatal("missing hexadecimal number in escape");
        value = value * 16 + Number.parseInt(text[p], 16);
      }
      if (
        (value <= 0x9f && value !== 0x24 && value !== 0x40 && value !== 0x60) ||
        (value >= 0xd800 && value <= 0xdfff)
      ) {
        const digits = value.toString(16).padStart(c === "u" ? 4 : 8, "0");
        this.fatal(`invalid universal character name \\${c}${digits}`);
      }
      this.out += this.unicode(value);
    } else {
      this.out += "\\";
      if (c !== undefined) {
        this.out += c;
        p++;
      }
    }
    return p - 1;
  }

  /** bash tescape: `inB` is %b's rules (\c stops, \0NNN, \' \" \? kept). */
  bashEscape(text: string, inB: boolean): number {
    let p = 1;
    const c = text[p++];
    switch (c) {
      case "a":
      case "b":
      case "f":
      case "n":
      case "r":
      case "t":
      case "v":
        this.out += SIMPLE_ESCAPES[c];
        break;
      case "e":
      case "E":
        this.out += "\x1b";
        break;
      case "0":
      case "1":
      case "2":
      case "3":
      case "4":
      case "5":
      case "6":
      case "7": {
        let value = Number(c);
        let more = 2 + (value === 0 && inB ? 1 : 0);
        while (isOct(text[p]) && more-- > 0) value = value * 8 + Number(text[p++]);
        this.out += String.fromCharCode(value & 0xff);
        break;
      }
      case "x": {
        let value = 0;
        let n = 0;
        while (n < 2 && isHex(text[p])) {
          value = value * 16 + Number.parseInt(text[p++], 16);
          n++;
        }
        if (n === 0) {
          this.warn("missing hex digit for \\x");
          this.out += "\\";
          return 0;
        }
        this.out += String.fromCharCode(value & 0xff);
        break;
      }
      case "u":
      case "U": {
        let value = 0;
        let n = 0;
        while (n < (c === "u" ? 4 : 8) && isHex(text[p])) {
          value = value * 16 + Number.parseInt(text[p++], 16);
          n++;
        }
        if (n === 0) {
          this.warn(`missing unicode digit for \\${c}`);
          this.out += "\\";
          return 0;
        }
        this.out += value <= 0x7f ? String.fromCharCode(value) : this.unicode(value);
        break;
      }
      case "\\":
        this.out += "\\";
        break;
      case "'":
      case '"':
      case "?":
        if (inB) {
          this.out += "\\";
          return 0;
        }
        this.out += c;
        break;
      case "c":
        if (inB) throw new Stop();
        this.out += "\\";
        return 0;
      default:
        this.out += "\\";
        return 0;
    }
    return p - 1;
  }

  /** A code point as this locale prints it: UTF-8 bytes, or \uXXXX in the C locale. */
  unicode(value: number): string {
    if (this.options.utf8 && value <= 0x10ffff && !(value >= 0xd800 && value <= 0xdfff))
      return toByteString(String.fromCodePoint(value));
    return value > 0xffff
      ? `\\U${value.toString(16).toUpperCase().padStart(8, "0")}`
      : `\\u${value.toString(16).toUpperCase().padStart(4, "0")}`;
  }

  /** %b: expands escapes in `arg`; on \c or a fatal error, `partial` holds the text so far. */
  expandB(arg: string): string {
    const saved = this.out;
    this.out = "";
    try {
      for (let i = 0; i < arg.length; i++) {
        if (arg[i] !== "\\" || i + 1 >= arg.length) {
          this.out += arg[i];
          continue;
        }
        if (this.dialect === "coreutils") i += this.coreutilsEscape(arg.slice(i), true);
        else i += this.bashEscape(arg.slice(i), true);
      }
      return this.out;
    } catch (err) {
      this.partial = this.out;
      throw err;
    } finally {
      this.out = saved;
    }
  }
}

interface Spec {
  flags: Set<string>;
  width: number | undefined;
  precision: number | undefined;
  conv: string;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  a: "\x07",
  b: "\b",
  e: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

function without0(flags: Set<string>): Set<string> {
  const copy = new Set(flags);
  copy.delete("0");
  return copy;
}

function clip(text: string, precision: number | undefined): string {
  return precision === undefined ? text : text.slice(0, precision);
}

/** coreutils' per-conversion flag check ("%05s: invalid conversion specification"). */
function coreutilsFlagsOk(conv: string, flags: Set<string>, hasPrecision: boolean): boolean {
  if (!"aAcdeEfFgGiosuxX".includes(conv) || conv === "") return false;
  if ((flags.has("'") || flags.has("I")) && "aAceEosxX".includes(conv)) return false;
  if (flags.has("#") && "cdisu".includes(conv)) return false;
  if (flags.has("0") && "cs".includes(conv)) return false;
  if (hasPrecision && conv === "c") return false;
  return true;
}

/** Pads `body` (which may start with a sign or 0x) to the field width. */
function pad(body: string, spec: Spec, numeric = false): string {
  const width = spec.width ?? 0;
  if (body.length >= width) return body;
  if (spec.flags.has("-")) return body + " ".repeat(width - body.length);
  if (numeric && spec.flags.has("0")) {
    const prefix = /^([-+ ]?(?:0[xX])?)/.exec(body)![1];
    return prefix + "0".repeat(width - body.length) + body.slice(prefix.length);
  }
  return " ".repeat(width - body.length) + body;
}

function formatSigned(value: bigint, spec: Spec): string {
  const negative = value < 0n;
  let digits = (negative ? -value : value).toString();
  digits = applyIntPrecision(digits, spec);
  const sign = negative ? "-" : spec.flags.has("+") ? "+" : spec.flags.has(" ") ? " " : "";
  return sign + digits;
}

function applyIntPrecision(digits: string, spec: Spec): string {
  if (spec.precision !== undefined) {
    // An explicit precision disables the 0 flag for integers.
    spec.flags.delete("0");
    if (spec.precision === 0 && digits === "0") return "";
    return digits.padStart(spec.precision, "0");
  }
  return digits;
}

function formatUnsigned(value: bigint, spec: Spec): string {
  let digits: string;
  switch (spec.conv) {
    case "o":
      digits = value.toString(8);
      break;
    case "x":
      digits = value.toString(16);
      break;
    case "X":
      digits = value.toString(16).toUpperCase();
      break;
    default:
      digits = value.toString();
  }
  digits = applyIntPrecision(digits, spec);
  if (spec.flags.has("#")) {
    if (spec.conv === "o" && !digits.startsWith("0")) digits = `0${digits}`;
    else if (spec.conv === "x" && value !== 0n) digits = `0x${digits}`;
    else if (spec.conv === "X" && value !== 0n) digits = `0X${digits}`;
  }
  return digits;
}

function formatFloat(value: LongDouble, spec: Spec): string {
  const upper = spec.conv === spec.conv.toUpperCase();
  const alt = spec.flags.has("#");
  const sign = value.negative ? "-" : spec.flags.has("+") ? "+" : spec.flags.has(" ") ? " " : "";
  if (value.kind !== "finite") {
    let text = value.kind === "inf" ? "inf" : "nan";
    if (upper) text = text.toUpperCase();
    return pad(sign + text, { ...spec, flags: without0(spec.flags) });
  }
  let body: string;
  const precision = spec.precision;
  switch (spec.conv.toLowerCase()) {
    case "f":
      body = formatFixed(value, precision ?? 6, alt);
      break;
    case "e":
      body = formatExponent(value, precision ?? 6, alt, upper);
      break;
    case "g":
      body = formatGeneral(value, precision ?? 6, alt, upper);
      break;
    default:
      body = formatHex(value, precision, alt, upper);
  }
  return pad(sign + body, spec, true);
}

function decodeUtf8Prefix(text: string): { codePoint: number; length: number } | undefined {
  const b0 = text.charCodeAt(0);
  const length = b0 >= 0xf0 ? 4 : b0 >= 0xe0 ? 3 : b0 >= 0xc0 ? 2 : 1;
  if (text.length < length) return undefined;
  let cp = b0 & (0xff >> (length + 1));
  for (let i = 1; i < length; i++) {
    const b = text.charCodeAt(i);
    if ((b & 0xc0) !== 0x80) return undefined;
    cp = (cp << 6) | (b & 0x3f);
  }
  return { codePoint: cp, length };
}

/** gnulib quote() in the C locale: 'text' with C escapes ("printf: 'x': ..."). */
export function localeQuote(text: string): string {
  let out = "'";
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch === "'") out += "\\'";
    else if (ch === "\\") out += "\\\\";
    else if (code in C_ESCAPES) out += `\\${C_ESCAPES[code]}`;
    else if (code < 0x20 || code >= 0x7f) out += `\\${code.toString(8).padStart(3, "0")}`;
    else out += ch;
  }
  return `${out}'`;
}

const C_ESCAPES: Record<number, string> = {
  7: "a",
  8: "b",
  9: "t",
  10: "n",
  11: "v",
  12: "f",
  13: "r",
};

/**
 * gnulib quotearg's shell-escape style (coreutils `printf %q`, `ls --quoting-style=shell-escape`)
 * for a byte string in the C locale: plain when safe, else '...' with $'\n' pieces for
 * control bytes, or "..." when that avoids escaping single quotes.
 */
export function shellEscapeQuote(arg: string): string {
  if (arg === "") return "''";
  const needsQuotes = (): boolean => {
    for (let i = 0; i < arg.length; i++) {
      const c = arg[i];
      const code = arg.charCodeAt(i);
      if ((c === "{" || c === "}") && arg.length === 1) return true;
      if ((c === "#" || c === "~") && i === 0) return true;
      if (" !\"$&()*;<=>[^`|'?\\".includes(c)) return true;
      if (code < 0x20 || code >= 0x7f) return true;
    }
    return false;
  };
  if (!needsQuotes()) return arg;
  let out = "'";
  let pending = false;
  let singleQuote = false;
  let compat = true;
  for (let i = 0; i < arg.length; i++) {
    const c = arg[i];
    const code = arg.charCodeAt(i);
    let esc: string | undefined;
    let charCompat = false;
    if (code === 0) esc = "0";
    else if (code in C_ESCAPES) esc = C_ESCAPES[code];
    else if (c === "'") {
      singleQuote = true;
      charCompat = true;
      out += "'\\'";
      pending = false;
    } else if (/[%+,\-./0-9:A-Z\]_a-z]/.test(c)) charCompat = true;
    else if (c === " ") charCompat = true;
    else if ((c === "{" || c === "}") && arg.length === 1) charCompat = true;
    else if ((c === "#" || c === "~") && i === 0) charCompat = true;
    else if (code < 0x20 || code >= 0x7f) esc = code.toString(8).padStart(3, "0");
    else if ('!"$&()*;<=>[^`|?\\#~{}'.includes(c)) charCompat = false;
    else charCompat = true; // "@" and other printable bytes
    if (esc !== undefined) {
      if (!pending) {
        out += "'$'";
        pending = true;
      }
      out += `\\${esc}`;
      compat = false;
      continue;
    }
    if (pending) {
      out += "''";
      pending = false;
    }
    out += c;
    if (!charCompat) compat = false;
  }
  if (singleQuote && compat) return `"${arg}"`;
  return `${out}'`;
}

/** bash `printf %q`: backslash quoting, or $'...' when the text has unprintable bytes. */
export function bashQuote(arg: string): string {
  if (arg === "") return "''";
  if (/[^\x20-\x7e]/.test(arg)) {
    let out = "$'";
    for (let i = 0; i < arg.length; i++) {
      const c = arg[i];
      const code = arg.charCodeAt(i);
      if (code === 0x1b) out += "\\E";
      else if (code in C_ESCAPES) out += `\\${C_ESCAPES[code]}`;
      else if (c === "\\" || c === "'") out += `\\${c}`;
      else if (code < 0x20 || code >= 0x7f) out += `\\${code.toString(8).padStart(3, "0")}`;
      else out += c;
    }
    return `${out}'`;
  }
  let out = "";
  for (let i = 0; i < arg.length; i++) {
    const c = arg[i];
    if (" \t\n'\"\\|&;()<>!{}*[?]^$`,".includes(c)) out += "\\";
    else if (c === "#" && i === 0) out += "\\";
    else if (c === "~" && (i === 0 || arg[i - 1] === ":" || arg[i - 1] === "=")) out += "\\";
    out += c;
  }
  return out;
}
