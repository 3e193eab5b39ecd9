/**
 * base64 / base32 encoders and GNU-compatible streaming decoders. The decoders follow gnulib's
 * decode_4 / decode_8: groups of 4 (8) characters with newlines ignored; on invalid input the
 * bytes decoded before the bad character are still produced, then decoding fails.
 */
import type { ProcessContext } from "../../kernel/process-context.ts";
import { describeError, quoteName } from "../errors.ts";
import { getopt, type LongOption, quote, UsageError } from "./text-getopt.ts";
import { OutBuffer, openInput } from "./text-io.ts";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function table(alphabet: string): Int16Array {
  const t = new Int16Array(256).fill(-1);
  for (let i = 0; i < alphabet.length; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
}
const T64 = table(B64);
const T32 = table(B32);

export interface Codec {
  name: string;
  /** Input bytes per encoded group (3 or 5) and characters per group (4 or 8). */
  inBlock: number;
  outBlock: number;
  encode(bytes: Uint8Array): string;
  /** Decodes one group; pushes bytes to `out`; false when the group is invalid. */
  decodeGroup(group: string, out: number[]): boolean;
  isAlphabet(c: number): boolean;
}

export const BASE64: Codec = {
  name: "base64",
  inBlock: 3,
  outBlock: 4,
  encode: (bytes) => Buffer.from(bytes).toString("base64"),
  isAlphabet: (c) => T64[c] >= 0,
  decodeGroup(g, out) {
    const v = (i: number): number => T64[g.charCodeAt(i)] ?? -1;
    if (g.length < 2 || v(0) < 0 || v(1) < 0) return false;
    out.push(((v(0) << 2) | (v(1) >> 4)) & 0xff);
    if (g.length === 2) return false;
    if (g[2] === "=") return g.length === 4 && g[3] === "=";
    if (v(2) < 0) return false;
    out.push(((v(1) << 4) & 0xf0) | (v(2) >> 2));
    if (g.length === 3) return false;
    if (g[3] === "=") return true;
    if (v(3) < 0) return false;
    out.push(((v(2) << 6) & 0xc0) | v(3));
    return true;
  },
};

export const BASE32: Codec = {
  name: "base32",
  inBlock: 5,
  outBlock: 8,
  encode(bytes) {
    let out = "";
    for (let i = 0; i < bytes.length; i += 5) {
      const chunk = bytes.subarray(i, i + 5);
      let bits = 0n;
      for (let k = 0; k < 5; k++) bits = (bits << 8n) | BigInt(chunk[k] ?? 0);
      const chars = [2, 4, 5, 7, 8][chunk.length - 1];
      for (let k = 0; k < 8; k++) {
        out += k < chars ? B32[Number((bits >> BigInt(35 - 5 * k)) & 31n)] : "=";
      }
    }
    return out;
  },
  isAlphabet: (c) => T32[c] >= 0,
  decodeGroup(g, out) {
    if (g.length < 8) return false;
    const v = (i: number): number => T32[g.charCodeAt(i)] ?? -1;
    const pads = (from: number): boolean => {
      for (let i = from; i < 8; i++) if (g[i] !== "=") return false;
      return true;
    };
    if (v(0) < 0 || v(1) < 0) return false;
    out.push(((v(0) << 3) | (v(1) >> 2)) & 0xff);
    if (g[2] === "=") return pads(3);
    if (v(2) < 0 || v(3) < 0) return false;
    out.push(((v(1) << 6) | (v(2) << 1) | (v(3) >> 4)) & 0xff);
    if (g[4] === "=") return pads(5);
    if (v(4) < 0) return false;
    out.push(((v(3) << 4) | (v(4) >> 1)) & 0xff);
    if (g[5] === "=") return pads(6);
    if (v(5) < 0 || v(6) < 0) return false;
    out.push(((v(4) << 7) | (v(5) << 2) | (v(6) >> 3)) & 0xff);
    if (g[7] === "=") return true;
    if (v(7) < 0) return false;
    out.push(((v(6) << 5) | v(7)) & 0xff);
    return true;
  },
};

const LONGS: LongOption[] = [
  { name: "decode", arg: "none", key: "d" },
  { name: "wrap", arg: "required", key: "w" },
  { name: "ignore-garbage", arg: "none", key: "i" },
  { name: "help", arg: "none" },
  { name: "version", arg: "none" },
];

/** The whole base64/base32 command. */
export async function runBaseCodec(ctx: ProcessContext, codec: Codec): Promise<number> {
  const prog = codec.name;
  const usage = async (message: string): Promise<number> => {
    await ctx.err(`${prog}: ${message}\nTry '${prog} --help' for more information.\n`);
    return 1;
  };
  let decode = false;
  let ignoreGarbage = false;
  let wrap = 76;
  let operands: string[];
  try {
    const parsed = getopt(ctx.argv.slice(1), "diw:", LONGS);
    operands = parsed.operands;
    for (const opt of parsed.options) {
      if (opt.key === "d") decode = true;
      else if (opt.key === "i") ignoreGarbage = true;
      else if (opt.key === "w") {
        const m = /^\s*\+?(\d+)$/.exec(opt.value ?? "");
        if (!m) {
          await ctx.err(`${prog}: invalid wrap size: ${quote(opt.value ?? "")}\n`);
          return 1;
        }
        wrap = Number(m[1]);
      } else if (opt.key === "help") {
        await ctx.out(`Usage: ${prog} [OPTION]... [FILE]\n`);
        return 0;
      } else {
        await ctx.out(`${prog} (GNU coreutils) 9.1\n`);
        return 0;
      }
    }
  } catch (err) {
    if (err instanceof UsageError) return await usage(err.message);
    throw err;
  }
  if (operands.length > 1) return await usage(`extra operand ${quote(operands[1])}`);
  const name = operands[0] ?? "-";
  let input: Awaited<ReturnType<typeof openInput>>;
  try {
    input = await openInput(ctx, name);
  } catch (err) {
    if (!ctx.alive) throw err;
    await ctx.err(`${prog}: ${quoteName(name)}: ${describeError(err)}\n`);
    return 1;
  }
  const out = new OutBuffer(ctx);
  try {
    if (!decode) {
      let carry = new Uint8Array(0);
      let column = 0;
      const emit = async (text: string): Promise<void> => {
        if (wrap === 0) return await out.write(text);
        let i = 0;
        while (i < text.length) {
          const take = Math.min(wrap - column, text.length - i);
          await out.write(text.slice(i, i + take));
          column += take;
          i += take;
          if (column === wrap) {
            await out.write("\n");
            column = 0;
          }
        }
      };
      for (;;) {
        const chunk = await ctx.read(input.fd);
        if (chunk === null || chunk.length === 0) break;
        const all = new Uint8Array(carry.length + chunk.length);
        all.set(carry);
        all.set(chunk, carry.length);
        const whole = all.length - (all.length % codec.inBlock);
        await emit(codec.encode(all.subarray(0, whole)));
        carry = all.slice(whole);
      }
      if (carry.length > 0) await emit(codec.encode(carry));
      if (wrap > 0 && column > 0) await out.write("\n");
      await out.flush();
      return 0;
    }
    let pending = "";
    for (;;) {
      const chunk = await ctx.read(input.fd);
      const eof = chunk === null || chunk.length === 0;
      if (!eof) {
        let text = "";
        for (const c of chunk) {
          if (c === 0x0a) continue;
          if (ignoreGarbage && !(codec.isAlphabet(c) || c === 0x3d)) continue;
          text += String.fromCharCode(c);
        }
        pending += text;
      }
      const whole = eof ? pending.length : pending.length - (pending.length % codec.outBlock);
      const bytes: number[] = [];
      for (let i = 0; i < whole; i += codec.outBlock) {
        if (!codec.decodeGroup(pending.slice(i, i + codec.outBlock), bytes)) {
          await out.write(latin1FromNumbers(bytes));
          await out.flush();
          await ctx.err(`${prog}: invalid input\n`);
          return 1;
        }
      }
      await out.write(latin1FromNumbers(bytes));
      pending = pending.slice(whole);
      if (eof) break;
    }
    await out.flush();
    return 0;
  } catch (err) {
    if (!ctx.alive) throw err;
    await out.flush();
    await ctx.err(`${prog}: ${quoteName(name)}: ${describeError(err)}\n`);
    return 1;
  } finally {
    input.close();
  }
}

function latin1FromNumbers(bytes: number[]): string {
  return Buffer.from(bytes).toString("latin1");
}
