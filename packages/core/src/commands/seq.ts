/**
 * seq: prints a sequence of numbers, as GNU coreutils seq: [FIRST [INCREMENT]] LAST, -s SEP,
 * -w (equal width), -f FORMAT (one %e/%f/%g directive). Integer sequences use exact BigInt
 * arithmetic; fractional ones print with the precision of FIRST and INCREMENT, as GNU does.
 * Output is streamed in large chunks.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { parseArgs, UsageError, usageText } from "./lib/line-getopt.ts";
import { Output, quoteAlways } from "./lib/line-io.ts";

interface Operand {
  value: number;
  /** Digits after the decimal point as GNU counts them (exponent adjusted). */
  precision: number;
  integer: boolean;
  text: string;
}

function parseOperand(text: string): Operand | undefined {
  const t = text.trim();
  if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(t)) {
    const v = Number.parseInt(t.replace(/^[+-]/, ""), 16) * (t.startsWith("-") ? -1 : 1);
    return { value: v, precision: 0, integer: true, text: String(v) };
  }
  if (/^[+-]?inf(inity)?$/i.test(t)) {
    return {
      value: t.startsWith("-") ? -Infinity : Infinity,
      precision: 0,
      integer: false,
      text: t,
    };
  }
  const m = /^[+-]?([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(t);
  if (!m || (m[1] === "" && (m[2] ?? "") === "")) return undefined;
  const frac = (m[2] ?? "").length;
  const exp = m[3] === undefined ? 0 : Number(m[3]);
  const precision = Math.max(0, frac - exp);
  const integer = m[2] === undefined && m[3] === undefined;
  return { value: Number(t), precision, integer, text: t.replace(/^\+/, "") };
}

/** C printf %e/%f/%g (and uppercase) with flags, width and precision, for one double. */
export function formatFloat(spec: string, value: number): string {
  const m = /^%([-+ #0']*)([0-9]*)(?:\.([0-9]*))?(L?)([aAeEfFgG])$/.exec(spec);
  if (!m) return String(value);
  const flags = m[1];
  const width = Number(m[2] || "0");
  const conv = m[5];
  const prec = m[3] === undefined ? 6 : Number(m[3] || "0");
  let body: string;
  const abs = Math.abs(value);
  const neg = value < 0 || Object.is(value, -0);
  if (!Number.isFinite(value)) body = Number.isNaN(value) ? "nan" : "inf";
  else if (conv === "f" || conv === "F") body = fixedForm(abs, prec);
  else if (conv === "e" || conv === "E") body = expForm(abs, prec);
  else if (conv === "g" || conv === "G") {
    const p = prec === 0 ? 1 : prec;
    const exp = abs === 0 ? 0 : Math.floor(Math.log10(abs));
    const rounded = abs === 0 ? 0 : Number(expForm(abs, p - 1).split("e")[1]);
    const x = Number.isFinite(rounded) ? rounded : exp;
    if (x < -4 || x >= p) body = expForm(abs, p - 1);
    else body = fixedForm(abs, Math.max(0, p - 1 - x));
    if (!flags.includes("#")) {
      body = body.replace(/(\.[0-9]*?)0+(e|$)/, "$1$2").replace(/\.(e|$)/, "$1");
    }
  } else body = abs.toString(16);
  if (conv === "E" || conv === "G" || conv === "F") body = body.toUpperCase();
  const sign = neg ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  let text = sign + body;
  if (text.length < width) {
    if (flags.includes("-")) text = text.padEnd(width, " ");
    else if (flags.includes("0") && Number.isFinite(value))
      text = sign + body.padStart(width - sign.length, "0");
    else text = text.padStart(width, " ");
  }
  return text;
}

/** The exact decimal expansion of a finite non-negative double: digits and the point position. */
function exactDigits(x: number): { digits: string; point: number } {
  if (x === 0) return { digits: "0", point: 1 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let exp = expBits - 1075;
  if (expBits === 0) exp = -1074;
  else mant |= 1n << 52n;
  if (exp >= 0) {
    const digits = (mant << BigInt(exp)).toString();
    return { digits, point: digits.length };
  }
  const digits = (mant * 5n ** BigInt(-exp)).toString();
  return { digits, point: digits.length + exp };
}

/** Rounds the exact value of `x` to `keep` significant positions, ties to even (as glibc). */
function roundAt(
  d: { digits: string; point: number },
  keep: number,
): { digits: string; point: number } {
  if (keep < 0) return { digits: "0", point: 1 };
  if (d.digits.length <= keep) return { digits: d.digits.padEnd(keep, "0"), point: d.point };
  const head = d.digits.slice(0, keep);
  const rest = d.digits.slice(keep);
  const first = rest.charCodeAt(0) - 48;
  const tail = /[1-9]/.test(rest.slice(1));
  const lastDigit = keep > 0 ? head.charCodeAt(keep - 1) - 48 : 0;
  const up = first > 5 || (first === 5 && (tail || lastDigit % 2 === 1));
  if (!up) return { digits: head || "0", point: keep === 0 ? d.point + 1 : d.point };
  const bumped = (BigInt(head || "0") + 1n).toString();
  if (keep === 0) return { digits: bumped, point: d.point + 1 };
  if (bumped.length > keep) return { digits: bumped.slice(0, keep), point: d.point + 1 };
  return { digits: bumped.padStart(keep, "0"), point: d.point };
}

/** %.{prec}f of a non-negative double, exactly as glibc rounds. */
function fixedForm(abs: number, prec: number): string {
  const d = exactDigits(abs);
  const r = roundAt(d, d.point + prec);
  let digits = r.digits;
  let point = r.point;
  if (point <= 0) {
    digits = "0".repeat(1 - point) + digits;
    point = 1;
  }
  digits = digits.padEnd(point + prec, "0");
  const intPart = digits.slice(0, point).replace(/^0+(?=[0-9])/, "");
  return prec > 0 ? `${intPart}.${digits.slice(point, point + prec)}` : intPart;
}

function expForm(abs: number, prec: number): string {
  let e = 0;
  let mant: string;
  if (abs === 0) mant = prec > 0 ? `0.${"0".repeat(prec)}` : "0";
  else {
    const d = exactDigits(abs);
    const lead = d.digits.search(/[1-9]/);
    const trimmed = { digits: d.digits.slice(lead), point: d.point - lead };
    const r = roundAt(trimmed, prec + 1);
    e = r.point - 1;
    mant = prec > 0 ? `${r.digits[0]}.${r.digits.slice(1, prec + 1)}` : r.digits[0];
  }
  return `${mant}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}

/** Checks a -f format: exactly one floating directive. Returns an error message or the parts. */
function checkFormat(fmt: string): { prefix: string; spec: string; suffix: string } | string {
  let i = 0;
  let found: { start: number; end: number } | undefined;
  while (i < fmt.length) {
    if (fmt[i] !== "%") {
      i++;
      continue;
    }
    if (fmt[i + 1] === "%") {
      i += 2;
      continue;
    }
    const m = /^%[-+ #0']*[0-9]*(?:\.[0-9]*)?L?(.?)/.exec(fmt.slice(i))!;
    if (m[1] === "") return `format ${quoteAlways(fmt)} ends in %`;
    if (!"aAeEfFgG".includes(m[1]))
      return `format ${quoteAlways(fmt)} has unknown %${m[1]} directive`;
    if (found) return `format ${quoteAlways(fmt)} has too many % directives`;
    found = { start: i, end: i + m[0].length };
    i += m[0].length;
  }
  if (!found) return `format ${quoteAlways(fmt)} has no % directive`;
  const unpercent = (s: string): string => s.replace(/%%/g, "%");
  return {
    prefix: unpercent(fmt.slice(0, found.start)),
    spec: fmt.slice(found.start, found.end),
    suffix: unpercent(fmt.slice(found.end)),
  };
}

export const seq: CommandDefinition = {
  name: "seq",
  async main(ctx) {
    // Negative numbers are operands, not options.
    const raw = ctx.argv.slice(1);
    const args: string[] = [];
    const operands: string[] = [];
    for (let i = 0; i < raw.length; i++) {
      const a = raw[i];
      if (operands.length === 0 && a === "--") {
        operands.push(...raw.slice(i + 1));
        break;
      }
      if (/^-[0-9.]/.test(a) || !a.startsWith("-") || a === "-") operands.push(a);
      else {
        args.push(a);
        if ((a === "-s" || a === "-f") && i + 1 < raw.length) args.push(raw[++i]);
      }
    }
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs(args, {
        short: "f:s:w",
        long: [
          { name: "format", arg: "required", key: "f" },
          { name: "separator", arg: "required", key: "s" },
          { name: "equal-width", arg: "none", key: "w" },
          { name: "help", arg: "none", key: "help" },
          { name: "version", arg: "none", key: "version" },
        ],
      });
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("seq", err.message));
        return 1;
      }
      throw err;
    }
    operands.push(...parsed.operands);
    let format: string | undefined;
    let sep = "\n";
    let equal = false;
    for (const opt of parsed.options) {
      if (opt.key === "f") format = opt.value;
      else if (opt.key === "s") sep = opt.value!;
      else if (opt.key === "w") equal = true;
      else if (opt.key === "help") {
        await ctx.out(
          "Usage: seq [OPTION]... LAST\n  or:  seq [OPTION]... FIRST LAST\n  or:  seq [OPTION]... FIRST INCREMENT LAST\n",
        );
        return 0;
      } else {
        await ctx.out("seq (GNU coreutils) 9.1\n");
        return 0;
      }
    }
    if (operands.length === 0) {
      await ctx.err(usageText("seq", "missing operand"));
      return 1;
    }
    if (operands.length > 3) {
      await ctx.err(usageText("seq", `extra operand ${quoteAlways(operands[3])}`));
      return 1;
    }
    const nums: Operand[] = [];
    for (const text of operands) {
      const n = parseOperand(text);
      if (!n || Number.isNaN(n.value)) {
        await ctx.err(usageText("seq", `invalid floating point argument: ${quoteAlways(text)}`));
        return 1;
      }
      nums.push(n);
    }
    const first = nums.length > 1 ? nums[0] : parseOperand("1")!;
    const step = nums.length === 3 ? nums[1] : parseOperand("1")!;
    const last = nums[nums.length - 1];
    if (step.value === 0) {
      await ctx.err(usageText("seq", `invalid Zero increment value: ${quoteAlways(operands[1])}`));
      return 1;
    }
    if (format !== undefined && equal) {
      await ctx.err(
        usageText("seq", "format string may not be specified when printing equal width strings"),
      );
      return 1;
    }
    let fmt: { prefix: string; spec: string; suffix: string } | undefined;
    if (format !== undefined) {
      const checked = checkFormat(format);
      if (typeof checked === "string") {
        await ctx.err(`seq: ${checked}\n`);
        return 1;
      }
      fmt = checked;
    }
    const out = new Output(ctx);
    let count = 0;
    const emit = async (text: string): Promise<void> => {
      await out.write(count++ === 0 ? text : sep + text);
    };
    if (!fmt && first.integer && step.integer && last.integer) {
      // Exact integer arithmetic (GNU handles arbitrarily large integers too).
      const a = BigInt(first.text);
      const s = BigInt(step.text);
      const z = BigInt(last.text);
      const width = equal ? Math.max(first.text.length, last.text.length) : 0;
      let batch = "";
      for (let x = a; s > 0n ? x <= z : x >= z; x += s) {
        let text = x.toString();
        if (width > 0 && text.length < width) {
          text = x < 0n ? `-${text.slice(1).padStart(width - 1, "0")}` : text.padStart(width, "0");
        }
        batch += count++ === 0 ? text : sep + text;
        if (batch.length >= 65536) {
          await out.write(batch);
          batch = "";
        }
      }
      await out.write(batch);
    } else {
      const precision = Math.max(first.precision, step.precision);
      const spec = fmt ? fmt.spec : `%.${precision}f`;
      const render = (x: number): string => {
        const text = formatFloat(spec, x);
        return fmt ? fmt.prefix + text + fmt.suffix : text;
      };
      let width = 0;
      if (equal) width = Math.max(render(first.value).length, render(last.value).length);
      const pad = (text: string): string => {
        if (text.length >= width) return text;
        return text.startsWith("-")
          ? `-${text.slice(1).padStart(width - 1, "0")}`
          : text.padStart(width, "0");
      };
      const lastText = render(last.value);
      for (let i = 0; ; i++) {
        const x = first.value + i * step.value;
        if (step.value > 0 ? x > last.value : x < last.value) {
          // Rounding: print a value past LAST when it prints the same as LAST.
          if (i > 0 && render(x) === lastText && render(x - step.value) !== lastText)
            await emit(pad(render(x)));
          break;
        }
        await emit(pad(render(x)));
        if (!Number.isFinite(x)) break;
      }
    }
    if (count > 0) await out.write("\n");
    await out.flush();
    return 0;
  },
};
