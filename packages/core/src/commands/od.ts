/**
 * od: dumps files in octal, hex, decimal, float or character formats, as GNU od 9.1.
 * -A d|o|x|n, -t TYPE (a c d[N] o[N] u[N] x[N] f[N], z suffix), -c -b -d -o -s -x -i -l -f,
 * -j SKIP, -N COUNT, -v, -w[N]; multiple types are column-aligned as GNU does; identical
 * lines collapse to "*".
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { describeError, quoteName } from "./errors.ts";
import { getopt, type LongOption, quote, UsageError } from "./lib/text-getopt.ts";
import { OutBuffer, openInput } from "./lib/text-io.ts";

const LONGS: LongOption[] = [
  { name: "address-radix", arg: "required", key: "A" },
  { name: "skip-bytes", arg: "required", key: "j" },
  { name: "read-bytes", arg: "required", key: "N" },
  { name: "format", arg: "required", key: "t" },
  { name: "output-duplicates", arg: "none", key: "v" },
  { name: "width", arg: "optional", key: "w" },
  { name: "endian", arg: "required", key: "endian" },
  { name: "strings", arg: "optional", key: "S" },
  { name: "traditional", arg: "none", key: "traditional" },
  { name: "help", arg: "none" },
  { name: "version", arg: "none" },
];

interface Spec {
  kind: "a" | "c" | "d" | "o" | "u" | "x" | "f";
  size: number;
  width: number;
  z: boolean;
  pad: number;
}

const INT_WIDTH: Record<string, number[]> = {
  // index by size: 1 2 4 8
  d: [4, 6, 11, 20],
  o: [3, 6, 11, 22],
  u: [3, 5, 10, 20],
  x: [2, 4, 8, 16],
};

const SIZE_INDEX: Record<number, number> = { 1: 0, 2: 1, 4: 2, 8: 3 };

class OdError extends Error {}

function parseType(text: string): Spec[] {
  const specs: Spec[] = [];
  let i = 0;
  while (i < text.length) {
    const kind = text[i++];
    let size: number;
    if (kind === "a" || kind === "c") {
      size = 1;
    } else if (kind === "d" || kind === "o" || kind === "u" || kind === "x") {
      size = 4;
      const c = text[i];
      if (c === "C") size = 1;
      else if (c === "S") size = 2;
      else if (c === "I") size = 4;
      else if (c === "L") size = 8;
      const m = /^\d+/.exec(text.slice(i));
      if (c === "C" || c === "S" || c === "I" || c === "L") i++;
      else if (m) {
        size = Number(m[0]);
        i += m[0].length;
        if (!(size in SIZE_INDEX))
          throw new OdError(
            `invalid type string ${quote(text)};\nthis system doesn't provide a ${size}-byte integral type`,
          );
      }
    } else if (kind === "f") {
      size = 8;
      const c = text[i];
      if (c === "F") size = 4;
      else if (c === "D") size = 8;
      const m = /^\d+/.exec(text.slice(i));
      if (c === "F" || c === "D") i++;
      else if (c === "L") throw new OdError("long double floating point (-t fL) is not supported");
      else if (m) {
        size = Number(m[0]);
        i += m[0].length;
        if (size !== 4 && size !== 8)
          throw new OdError(
            `invalid type string ${quote(text)};\nthis system doesn't provide a ${size}-byte floating point type`,
          );
      }
    } else {
      throw new OdError(`invalid character '${kind}' in type string ${quote(text)}`);
    }
    let z = false;
    if (text[i] === "z") {
      z = true;
      i++;
    }
    const width =
      kind === "a" || kind === "c"
        ? 3
        : kind === "f"
          ? size === 4
            ? 15
            : 24
          : INT_WIDTH[kind][SIZE_INDEX[size]];
    specs.push({ kind: kind as Spec["kind"], size, width, z, pad: 0 });
  }
  return specs;
}

/** GNU xstrtoumax with od's suffixes (b k K m M G ... with B/iB) and base 0. */
function parseOffset(text: string): number | undefined {
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)([bkKmMgGtTpPeE]?)(i?B?)$/.exec(text.trim());
  if (!m) return undefined;
  let n = Number(
    m[1].startsWith("0x") || m[1].startsWith("0X")
      ? m[1]
      : m[1].length > 1 && m[1][0] === "0"
        ? `0o${m[1].slice(1)}`
        : m[1],
  );
  const suffix = m[2];
  if (suffix) {
    if (suffix === "b") n *= 512;
    else {
      const base = m[3] === "B" ? 1000 : 1024;
      const power = "kKmMgGtTpPeE".indexOf(suffix) >> 1;
      n *= base ** (power + 1);
    }
  } else if (m[3]) return undefined;
  return n;
}

const NAMES = [
  "nul",
  "soh",
  "stx",
  "etx",
  "eot",
  "enq",
  "ack",
  "bel",
  "bs",
  "ht",
  "nl",
  "vt",
  "ff",
  "cr",
  "so",
  "si",
  "dle",
  "dc1",
  "dc2",
  "dc3",
  "dc4",
  "nak",
  "syn",
  "etb",
  "can",
  "em",
  "sub",
  "esc",
  "fs",
  "gs",
  "rs",
  "us",
  "sp",
];

function charField(kind: "a" | "c", b: number): string {
  if (kind === "a") {
    const c = b & 0x7f;
    if (c <= 0x20) return NAMES[c];
    if (c === 0x7f) return "del";
    return String.fromCharCode(c);
  }
  const esc: Record<number, string> = {
    0: "\\0",
    7: "\\a",
    8: "\\b",
    12: "\\f",
    10: "\\n",
    13: "\\r",
    9: "\\t",
    11: "\\v",
  };
  if (esc[b]) return esc[b];
  if (b >= 0x20 && b < 0x7f) return String.fromCharCode(b);
  return b.toString(8).padStart(3, "0");
}

/**
 * gnulib ftoastr: C's %.*g with the smallest precision (from FLT_DIG / DBL_DIG, or 1 for
 * subnormals) that reads back as the same value.
 */
function formatFloat(value: number, single: boolean): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value < 0 ? "-inf" : "inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const minNormal = single ? 1.1754943508222875e-38 : 2.2250738585072014e-308;
  let precision = Math.abs(value) < minNormal ? 1 : single ? 6 : 15;
  for (; precision < 17; precision++) {
    const candidate = Number(value.toPrecision(precision));
    if (single ? Math.fround(candidate) === value : candidate === value) break;
  }
  return formatG(value, precision);
}

/** C's %.{precision}g. */
function formatG(value: number, precision: number): string {
  const [mant, e] = value.toExponential(precision - 1).split("e");
  const exp = Number(e);
  if (exp < -4 || exp >= precision) {
    const clean = mant.includes(".") ? mant.replace(/\.?0+$/, "") : mant;
    return `${clean}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  const fixed = value.toFixed(Math.max(0, precision - 1 - exp));
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}

function formatElement(spec: Spec, view: DataView, offset: number): string {
  switch (spec.kind) {
    case "a":
    case "c":
      return charField(spec.kind, view.getUint8(offset));
    case "f":
      return spec.size === 4
        ? formatFloat(view.getFloat32(offset, true), true)
        : formatFloat(view.getFloat64(offset, true), false);
    default: {
      let v: bigint;
      const signed = spec.kind === "d";
      if (spec.size === 1) v = BigInt(signed ? view.getInt8(offset) : view.getUint8(offset));
      else if (spec.size === 2)
        v = BigInt(signed ? view.getInt16(offset, true) : view.getUint16(offset, true));
      else if (spec.size === 4)
        v = BigInt(signed ? view.getInt32(offset, true) : view.getUint32(offset, true));
      else v = signed ? view.getBigInt64(offset, true) : view.getBigUint64(offset, true);
      if (spec.kind === "o") return v.toString(8).padStart(spec.width, "0");
      if (spec.kind === "x") return v.toString(16).padStart(spec.width, "0");
      return v.toString();
    }
  }
}

export const od: CommandDefinition = {
  name: "od",
  async main(ctx) {
    const usage = async (message: string): Promise<number> => {
      await ctx.err(`od: ${message}\nTry 'od --help' for more information.\n`);
      return 1;
    };
    let radix = "o";
    let skip = 0;
    let limit = Number.POSITIVE_INFINITY;
    const specs: Spec[] = [];
    let verbose = false;
    let width = 16;
    let operands: string[];
    try {
      const parsed = getopt(ctx.argv.slice(1), "A:abcdfhij:lN:oS::st:vw::x", LONGS);
      operands = parsed.operands;
      for (const opt of parsed.options) {
        const value = opt.value ?? "";
        switch (opt.key) {
          case "A":
            if (!["d", "o", "x", "n"].includes(value)) {
              await ctx.err(
                `od: invalid output address radix '${value}'; it must be one character from [doxn]\n`,
              );
              return 1;
            }
            radix = value;
            break;
          case "j":
          case "N": {
            const n = parseOffset(value);
            if (n === undefined) {
              await ctx.err(
                `od: invalid ${opt.key === "j" ? "skip-bytes" : "read-bytes"} argument ${quote(value)}\n`,
              );
              return 1;
            }
            if (opt.key === "j") skip = n;
            else limit = n;
            break;
          }
          case "t":
            specs.push(...parseType(value));
            break;
          case "a":
            specs.push(...parseType("a"));
            break;
          case "b":
            specs.push(...parseType("o1"));
            break;
          case "c":
            specs.push(...parseType("c"));
            break;
          case "d":
            specs.push(...parseType("u2"));
            break;
          case "f":
            specs.push(...parseType("fF"));
            break;
          case "h":
          case "x":
            specs.push(...parseType("x2"));
            break;
          case "i":
            specs.push(...parseType("dI"));
            break;
          case "l":
            specs.push(...parseType("dL"));
            break;
          case "o":
            specs.push(...parseType("o2"));
            break;
          case "s":
            specs.push(...parseType("d2"));
            break;
          case "v":
            verbose = true;
            break;
          case "w": {
            if (opt.value === undefined) width = 32;
            else {
              const n = parseOffset(value);
              if (n === undefined || n === 0) {
                await ctx.err(`od: invalid -w argument ${quote(value)}\n`);
                return 1;
              }
              width = n;
            }
            break;
          }
          case "endian":
            if (value !== "little") {
              await ctx.err(`od: option '--endian=${value}' is not supported\n`);
              return 1;
            }
            break;
          case "help":
            await ctx.out("Usage: od [OPTION]... [FILE]...\n");
            return 0;
          case "version":
            await ctx.out("od (GNU coreutils) 9.1\n");
            return 0;
          default:
            await ctx.err(`od: option '${opt.spelled}' is not supported\n`);
            return 1;
        }
      }
    } catch (err) {
      if (err instanceof UsageError) return await usage(err.message);
      if (err instanceof OdError) {
        await ctx.err(`od: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
    if (specs.length === 0) specs.push(...parseType("o2"));
    const lcm = specs.reduce((a, s) => (a * s.size) / gcd(a, s.size), 1);
    if (width % lcm !== 0) {
      await ctx.err(`od: warning: invalid width ${width}; using ${lcm} instead\n`);
      width = lcm;
    }
    let maxBlock = 0;
    for (const s of specs) maxBlock = Math.max(maxBlock, (s.width + 1) * (width / s.size));
    for (const s of specs) s.pad = maxBlock - s.width * (width / s.size);
    const addrWidth = radix === "x" ? 6 : 7;
    const address = (n: number): string =>
      radix === "n"
        ? ""
        : n.toString(radix === "d" ? 10 : radix === "x" ? 16 : 8).padStart(addrWidth, "0");

    // Read the combined input, honouring -j and -N.
    const out = new OutBuffer(ctx);
    let status = 0;
    let offset = skip;
    let pending = new Uint8Array(0);
    let prevBlock: string | undefined;
    let inDup = false;
    let remaining = limit;
    let toSkip = skip;
    const emit = async (block: Uint8Array, at: number): Promise<void> => {
      const key = Buffer.from(block).toString("latin1");
      if (!verbose && block.length === width && prevBlock === key) {
        if (!inDup) await out.write("*\n");
        inDup = true;
        return;
      }
      inDup = false;
      prevBlock = key;
      const padded = new Uint8Array(width);
      padded.set(block);
      const view = new DataView(padded.buffer);
      let first = true;
      for (const s of specs) {
        let line = first ? address(at) : " ".repeat(radix === "n" ? 0 : addrWidth);
        first = false;
        const fields = width / s.size;
        const shown = Math.ceil(block.length / s.size);
        let padRemaining = s.pad;
        for (let i = fields, k = 0; i > fields - shown; i--, k++) {
          const nextPad = Math.floor((s.pad * (i - 1)) / fields);
          const w = padRemaining - nextPad + s.width;
          line += formatElement(s, view, k * s.size).padStart(w, " ");
          padRemaining = nextPad;
        }
        if (s.z) {
          let used = 0;
          let pr = s.pad;
          for (let i = fields; i > fields - shown; i--) {
            const nextPad = Math.floor((s.pad * (i - 1)) / fields);
            used += pr - nextPad + s.width;
            pr = nextPad;
          }
          line += " ".repeat(maxBlock - used);
          let chars = "";
          for (const b of block) chars += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".";
          line += `  >${chars}<`;
        }
        await out.write(`${line}\n`);
      }
    };
    const files = operands.length > 0 ? operands : ["-"];
    for (const name of files) {
      if (remaining <= 0) break;
      let input: Awaited<ReturnType<typeof openInput>>;
      try {
        input = await openInput(ctx, name);
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        await ctx.err(`od: ${quoteName(name)}: ${describeError(err)}\n`);
        status = 1;
        continue;
      }
      try {
        for (;;) {
          if (remaining <= 0) break;
          const chunk = await ctx.read(input.fd);
          if (chunk === null || chunk.length === 0) break;
          let data = chunk;
          if (toSkip > 0) {
            const n = Math.min(toSkip, data.length);
            toSkip -= n;
            data = data.subarray(n);
          }
          if (data.length > remaining) data = data.subarray(0, remaining);
          remaining -= data.length;
          const all = new Uint8Array(pending.length + data.length);
          all.set(pending);
          all.set(data, pending.length);
          let at = 0;
          for (; all.length - at >= width; at += width) {
            await emit(all.subarray(at, at + width), offset);
            offset += width;
          }
          pending = all.slice(at);
        }
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        await ctx.err(`od: ${quoteName(name)}: ${describeError(err)}\n`);
        status = 1;
      } finally {
        input.close();
      }
    }
    if (toSkip > 0) {
      await out.flush();
      await ctx.err("od: cannot skip past end of combined input\n");
      return 1;
    }
    if (pending.length > 0) {
      await emit(pending, offset);
      offset += pending.length;
    }
    if (radix !== "n") await out.write(`${address(offset)}\n`);
    await out.flush();
    return status;
  },
};

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
