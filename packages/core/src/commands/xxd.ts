/**
 * xxd: hex dump (default, -p plain, -i C include, -b bits) and reverse (-r, -r -p), as
 * Debian's xxd 2022-01-14. Options: -c -g -l -s -o -d -u -C -n; [infile [outfile]]. Its
 * single-dash, prefix-matched option syntax is parsed here by hand (getopt does not fit).
 */
import { O_CREAT, O_TRUNC, O_WRONLY } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError } from "./errors.ts";
import { OutBuffer, openInput } from "./lib/text-io.ts";

const USAGE =
  "Usage:\n       xxd [options] [infile [outfile]]\n    or\n       xxd -r [-s [-]offset] [-c cols] [-ps] [infile [outfile]]\nOptions:\n    -a          toggle autoskip: A single '*' replaces nul-lines. Default off.\n    -b          binary digit dump (incompatible with -ps,-i,-r). Default hex.\n    -C          capitalize variable names in C include file style (-i).\n    -c cols     format <cols> octets per line. Default 16 (-i: 12, -ps: 30).\n    -E          show characters in EBCDIC. Default ASCII.\n    -e          little-endian dump (incompatible with -ps,-i,-r).\n    -g bytes    number of octets per group in normal output. Default 2 (-e: 4).\n    -h          print this summary.\n    -i          output in C include file style.\n    -l len      stop after <len> octets.\n    -n name     set the variable name used in C include output (-i).\n    -o off      add <off> to the displayed file position.\n    -ps         output in postscript plain hexdump style.\n    -r          reverse operation: convert (or patch) hexdump into binary.\n    -r -s off   revert with <off> added to file positions found in hexdump.\n    -d          show offset in decimal instead of hex.\n    -s [+][-]seek  start at <seek> bytes abs. (or +: rel.) infile offset.\n    -u          use upper case hex letters.\n    -v          show version: \"xxd 2022-01-14 by Juergen Weigert et al.\".\n";

interface XxdOptions {
  mode: "normal" | "plain" | "include" | "bits";
  revert: boolean;
  cols: number;
  group: number;
  length: number;
  seek: string | undefined;
  offset: number;
  decimal: boolean;
  upper: boolean;
  capitalize: boolean;
  name: string | undefined;
}

/** C strtol with base 0 (0x hex, 0 octal); NaN when there are no digits. */
function strtol(text: string): number {
  const m = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)/.exec(text);
  if (!m) return Number.NaN;
  const digits = m[2];
  const v =
    digits.startsWith("0x") || digits.startsWith("0X")
      ? Number.parseInt(digits.slice(2), 16)
      : digits.length > 1 && digits[0] === "0"
        ? Number.parseInt(digits.slice(1), 8)
        : Number(digits);
  return m[1] === "-" ? -v : v;
}

export const xxd: CommandDefinition = {
  name: "xxd",
  async main(ctx) {
    const opts: XxdOptions = {
      mode: "normal",
      revert: false,
      cols: 0,
      group: -1,
      length: -1,
      seek: undefined,
      offset: 0,
      decimal: false,
      upper: false,
      capitalize: false,
      name: undefined,
    };
    const usage = async (): Promise<number> => {
      await ctx.err(USAGE);
      return 1;
    };
    const args = ctx.argv.slice(1);
    const files: string[] = [];
    let i = 0;
    for (; i < args.length; i++) {
      const a = args[i];
      if (a === "--") {
        i++;
        break;
      }
      if (!a.startsWith("-") || a === "-") {
        files.push(a);
        continue;
      }
      const letter = a[1];
      const optionValue = (long: string): string | undefined => {
        const rest = a.slice(2);
        if (rest !== "" && !long.startsWith(rest)) return rest;
        return args[++i];
      };
      switch (letter) {
        case "a":
          await ctx.err("xxd: option '-a' is not supported\n");
          return 1;
        case "b":
          opts.mode = "bits";
          break;
        case "e":
        case "E":
          await ctx.err(`xxd: option '-${letter}' is not supported\n`);
          return 1;
        case "u":
          opts.upper = true;
          break;
        case "p":
          opts.mode = "plain";
          break;
        case "i":
          opts.mode = "include";
          break;
        case "r":
          opts.revert = true;
          break;
        case "d":
          opts.decimal = true;
          break;
        case "C":
          opts.capitalize = true;
          break;
        case "v":
          await ctx.err("xxd 2022-01-14 by Juergen Weigert et al.\n");
          return 0;
        case "h":
          return await usage();
        case "c":
        case "g":
        case "l":
        case "s":
        case "o":
        case "n": {
          const longs: Record<string, string> = {
            c: "ols",
            g: "roupsize",
            l: "en",
            s: "eek",
            o: "ffset",
            n: "ame",
          };
          const value = optionValue(longs[letter]);
          if (value === undefined) return await usage();
          if (letter === "n") opts.name = value;
          else if (letter === "s") opts.seek = value;
          else {
            const n = strtol(value);
            if (letter === "c") opts.cols = Number.isNaN(n) ? 0 : n;
            else if (letter === "g") opts.group = Number.isNaN(n) ? 0 : n;
            else if (letter === "l") opts.length = Number.isNaN(n) ? 0 : n;
            else opts.offset = Number.isNaN(n) ? 0 : n;
          }
          break;
        }
        default:
          return await usage();
      }
    }
    files.push(...args.slice(i));
    if (files.length > 2) return await usage();
    if (opts.cols > 256 && opts.mode !== "plain") {
      await ctx.err("xxd: invalid number of columns (max. 256).\n");
      return 1;
    }
    const inName = files[0] ?? "-";
    let input: Awaited<ReturnType<typeof openInput>>;
    try {
      input = await openInput(ctx, inName);
    } catch (err) {
      if (!ctx.alive) throw err;
      await ctx.err(`xxd: ${inName}: ${describeError(err)}\n`);
      return 2;
    }
    let outFd = 1;
    if (files[1] !== undefined && files[1] !== "-") {
      try {
        outFd = await ctx.open(files[1], O_WRONLY | O_CREAT | O_TRUNC, 0o666);
      } catch (err) {
        input.close();
        if (!ctx.alive) throw err;
        await ctx.err(`xxd: ${files[1]}: ${describeError(err)}\n`);
        return 3;
      }
    }
    try {
      if (opts.revert) return await revert(ctx, input.fd, outFd, opts);
      return await dump(ctx, input.fd, outFd, opts, inName === "-" ? undefined : inName);
    } finally {
      input.close();
      if (outFd !== 1) ctx.close(outFd);
    }
  },
};

async function readAllFrom(ctx: ProcessContext, fd: number): Promise<Uint8Array> {
  return ctx.readAll(fd);
}

async function dump(
  ctx: ProcessContext,
  fd: number,
  outFd: number,
  opts: XxdOptions,
  fileName: string | undefined,
): Promise<number> {
  let data = await readAllFrom(ctx, fd);
  let start = 0;
  if (opts.seek !== undefined) {
    const rel = opts.seek.trim();
    const n = strtol(rel.replace(/^\+/, ""));
    if (rel.startsWith("-") || n < 0) {
      if (fileName === undefined) {
        await ctx.err("xxd: Sorry, cannot seek.\n");
        return 4;
      }
      start = Math.max(0, data.length - Math.abs(n));
    } else start = Number.isNaN(n) ? 0 : n;
  }
  data = data.subarray(Math.min(start, data.length));
  if (opts.length >= 0) data = data.subarray(0, opts.length);
  const out = new OutBuffer(ctx, outFd);
  const hex = (b: number): string => {
    const h = b.toString(16).padStart(2, "0");
    return opts.upper ? h.toUpperCase() : h;
  };
  if (opts.mode === "plain") {
    const cols = opts.cols > 0 ? opts.cols : 30;
    for (let p = 0; p < data.length; p += cols) {
      let line = "";
      for (const b of data.subarray(p, p + cols)) line += hex(b);
      await out.write(`${line}\n`);
    }
  } else if (opts.mode === "include") {
    const cols = opts.cols > 0 ? opts.cols : 12;
    let varName: string | undefined;
    if (opts.name !== undefined) varName = opts.name;
    else if (fileName !== undefined) {
      varName = fileName.replace(/[^A-Za-z0-9]/g, "_");
      if (/^[0-9]/.test(varName)) varName = `__${varName}`;
    }
    if (varName !== undefined && opts.capitalize) varName = varName.toUpperCase();
    if (varName !== undefined) await out.write(`unsigned char ${varName}[] = {\n`);
    const prefix = opts.upper ? "0X" : "0x";
    for (let p = 0; p < data.length; p += cols) {
      const items = Array.from(data.subarray(p, p + cols), (b) => prefix + hex(b));
      const last = p + cols >= data.length;
      await out.write(`  ${items.join(", ")}${last ? "\n" : ",\n"}`);
    }
    if (varName !== undefined) {
      const lenName = opts.capitalize ? `${varName}_LEN` : `${varName}_len`;
      await out.write(`};\nunsigned int ${lenName} = ${data.length};\n`);
    }
  } else {
    const bits = opts.mode === "bits";
    const cols = opts.cols > 0 ? opts.cols : bits ? 6 : 16;
    let group = opts.group < 0 ? (bits ? 1 : 2) : opts.group;
    if (group === 0 || group > cols) group = cols;
    const cell = bits ? 8 : 2;
    const width = cols * cell + Math.ceil(cols / group) - 1;
    for (let p = 0; p < data.length; p += cols) {
      const row = data.subarray(p, p + cols);
      const addr = p + start + opts.offset;
      let line = opts.decimal ? String(addr).padStart(8, "0") : addr.toString(16).padStart(8, "0");
      line += ": ";
      let body = "";
      let ascii = "";
      row.forEach((b, k) => {
        if (k > 0 && k % group === 0) body += " ";
        body += bits ? b.toString(2).padStart(8, "0") : hex(b);
        ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".";
      });
      await out.write(`${line}${body.padEnd(width, " ")}  ${ascii}\n`);
    }
  }
  await out.flush();
  return 0;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

async function revert(
  ctx: ProcessContext,
  fd: number,
  outFd: number,
  opts: XxdOptions,
): Promise<number> {
  const text = await readAllFrom(ctx, fd);
  const bytes: number[] = [];
  if (opts.mode === "plain") {
    let high = -1;
    for (const c of text) {
      const v = hexValue(c);
      if (v < 0) continue;
      if (high < 0) high = v;
      else {
        bytes.push((high << 4) | v);
        high = -1;
      }
    }
  } else {
    const cols = opts.cols > 0 ? opts.cols : 16;
    const out: number[] = bytes;
    let i = 0;
    while (i < text.length) {
      let end = text.indexOf(0x0a, i);
      if (end < 0) end = text.length;
      const line = text.subarray(i, end);
      i = end + 1;
      const colon = line.indexOf(0x3a);
      if (colon < 0) continue;
      let addr = 0;
      let valid = true;
      for (const c of line.subarray(0, colon)) {
        const v = hexValue(c);
        if (v < 0) {
          if (c === 0x20 || c === 0x09) continue;
          valid = false;
          break;
        }
        addr = addr * 16 + v;
      }
      if (!valid) continue;
      const lineBytes: number[] = [];
      let high = -1;
      let nonHex = 0;
      for (const c of line.subarray(colon + 1)) {
        if (lineBytes.length >= cols) break;
        const v = hexValue(c);
        if (v < 0) {
          high = -1;
          if (++nonHex >= 3 && lineBytes.length > 0) break;
          continue;
        }
        nonHex = 0;
        if (high < 0) high = v;
        else {
          lineBytes.push((high << 4) | v);
          high = -1;
        }
      }
      while (out.length < addr) out.push(0);
      for (let k = 0; k < lineBytes.length; k++) out[addr + k] = lineBytes[k];
    }
  }
  await ctx.write(outFd, Uint8Array.from(bytes));
  return 0;
}
