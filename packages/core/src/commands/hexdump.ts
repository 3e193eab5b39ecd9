/**
 * hexdump: util-linux 2.38 hexdump with its built-in formats: default (16-bit hex words),
 * -C canonical, -b -c -d -o -x; -n LENGTH, -s OFFSET, -v; identical lines collapse to "*".
 * Custom -e/-f format strings are not supported.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { describeError } from "./errors.ts";
import { getopt, type LongOption, UsageError } from "./lib/text-getopt.ts";
import { OutBuffer, openInput } from "./lib/text-io.ts";

const LONGS: LongOption[] = [
  { name: "one-byte-octal", arg: "none", key: "b" },
  { name: "one-byte-char", arg: "none", key: "c" },
  { name: "canonical", arg: "none", key: "C" },
  { name: "two-bytes-decimal", arg: "none", key: "d" },
  { name: "two-bytes-octal", arg: "none", key: "o" },
  { name: "two-bytes-hex", arg: "none", key: "x" },
  { name: "format", arg: "required", key: "e" },
  { name: "format-file", arg: "required", key: "f" },
  { name: "color", arg: "optional", key: "color" },
  { name: "length", arg: "required", key: "n" },
  { name: "skip", arg: "required", key: "s" },
  { name: "no-squeezing", arg: "none", key: "v" },
  { name: "help", arg: "none", key: "h" },
  { name: "version", arg: "none", key: "V" },
];

type Format = "default" | "C" | "b" | "c" | "d" | "o" | "x";

const CHAR_ESC: Record<number, string> = {
  0: "\\0",
  7: "\\a",
  8: "\\b",
  12: "\\f",
  10: "\\n",
  13: "\\r",
  9: "\\t",
  11: "\\v",
};

function formatLine(format: Format, block: Uint8Array, address: number): string {
  const word = (k: number): number => block[k] | ((block[k + 1] ?? 0) << 8);
  if (format === "C") {
    let hex = "";
    let ascii = "";
    block.forEach((b, k) => {
      hex += `${b.toString(16).padStart(2, "0")} `;
      if (k === 7) hex += " ";
      ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".";
    });
    return `${address.toString(16).padStart(8, "0")}  ${hex.padEnd(50, " ")}|${ascii}|\n`;
  }
  const addr = address.toString(16).padStart(7, "0");
  if (format === "default") {
    const words: string[] = [];
    for (let k = 0; k < block.length; k += 2) words.push(word(k).toString(16).padStart(4, "0"));
    return `${addr} ${words.join(" ").padEnd(39, " ")}\n`;
  }
  let fields = "";
  if (format === "b" || format === "c") {
    for (const b of block) {
      if (format === "b") fields += ` ${b.toString(8).padStart(3, "0")}`;
      else if (CHAR_ESC[b]) fields += CHAR_ESC[b].padStart(4, " ");
      else if (b >= 0x20 && b < 0x7f) fields += `   ${String.fromCharCode(b)}`;
      else fields += ` ${b.toString(8).padStart(3, "0")}`;
    }
  } else {
    for (let k = 0; k < block.length; k += 2) {
      const w = word(k);
      if (format === "d") fields += `   ${String(w).padStart(5, "0")}`;
      else if (format === "o") fields += `  ${w.toString(8).padStart(6, "0")}`;
      else fields += `    ${w.toString(16).padStart(4, "0")}`;
    }
  }
  return `${addr}${fields.padEnd(64, " ")}\n`;
}

/** util-linux size parsing: decimal/0x/0 octal with optional k/m/g (1024) or b (512) suffix. */
function parseNumber(text: string): number | undefined {
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)([bkmgKMG]?)$/.exec(text);
  if (!m) return undefined;
  let n = Number(m[1].length > 1 && /^0[0-7]/.test(m[1]) ? `0o${m[1].slice(1)}` : m[1]);
  const mult: Record<string, number> = { b: 512, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
  if (m[2]) n *= mult[m[2].toLowerCase()];
  return n;
}

export const hexdump: CommandDefinition = {
  name: "hexdump",
  async main(ctx) {
    const formats: Format[] = [];
    let length = Number.POSITIVE_INFINITY;
    let skip = 0;
    let verbose = false;
    let operands: string[];
    try {
      const parsed = getopt(ctx.argv.slice(1), "bcCde:f:L::n:os:vxhV", LONGS);
      operands = parsed.operands;
      for (const opt of parsed.options) {
        switch (opt.key) {
          case "b":
          case "c":
          case "C":
          case "d":
          case "o":
          case "x":
            formats.push(opt.key);
            break;
          case "n":
          case "s": {
            const n = parseNumber(opt.value ?? "");
            if (n === undefined) {
              await ctx.err(
                `hexdump: failed to parse ${opt.key === "n" ? "length" : "offset"}: '${opt.value}'\n`,
              );
              return 1;
            }
            if (opt.key === "n") length = n;
            else skip = n;
            break;
          }
          case "v":
            verbose = true;
            break;
          case "L":
          case "color":
            break;
          case "h":
            await ctx.out("Usage:\n hexdump [options] <file>...\n");
            return 0;
          case "V":
            await ctx.out("hexdump from util-linux 2.38.1\n");
            return 0;
          default:
            await ctx.err(`hexdump: option '${opt.spelled}' is not supported\n`);
            return 1;
        }
      }
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(`hexdump: ${err.message}\nTry 'hexdump --help' for more information.\n`);
        return 1;
      }
      throw err;
    }
    if (formats.length === 0) formats.push("default");
    const out = new OutBuffer(ctx);
    const files = operands.length > 0 ? operands : ["-"];
    let failed = 0;
    let offset = skip;
    let toSkip = skip;
    let remaining = length;
    let pending = new Uint8Array(0);
    let prev: string | undefined;
    let inDup = false;
    const emit = async (block: Uint8Array, at: number): Promise<void> => {
      const key = Buffer.from(block).toString("latin1");
      if (!verbose && block.length === 16 && key === prev) {
        if (!inDup) await out.write("*\n");
        inDup = true;
        return;
      }
      inDup = false;
      prev = key;
      for (const f of formats) await out.write(formatLine(f, block, at));
    };
    for (const name of files) {
      if (remaining <= 0) break;
      let input: Awaited<ReturnType<typeof openInput>>;
      try {
        input = await openInput(ctx, name);
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        await ctx.err(`hexdump: ${name}: ${describeError(err)}\n`);
        failed++;
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
          for (; all.length - at >= 16; at += 16) {
            await emit(all.subarray(at, at + 16), offset);
            offset += 16;
          }
          pending = all.slice(at);
        }
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        await ctx.err(`hexdump: ${name}: ${describeError(err)}\n`);
        failed++;
      } finally {
        input.close();
      }
    }
    if (failed === files.length) {
      await out.flush();
      await ctx.err("hexdump: all input file arguments failed\n");
      return 1;
    }
    if (pending.length > 0) {
      await emit(pending, offset);
      offset += pending.length;
    }
    if (offset > skip || pending.length > 0 || prev !== undefined) {
      const width = formats.includes("C") && formats[formats.length - 1] === "C" ? 8 : 7;
      await out.write(`${offset.toString(16).padStart(width, "0")}\n`);
    }
    await out.flush();
    return failed > 0 ? 1 : 0;
  },
};
