/**
 * cut: prints selected bytes (-b), characters (-c, bytes in the C locale) or fields (-f) of
 * each line, streaming, as GNU cut. Options: -d -s -n --complement --output-delimiter -z.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { describeError, quoteName } from "./errors.ts";
import { getopt, type LongOption, quote, UsageError } from "./lib/text-getopt.ts";
import { argToLatin1, LineReader, OutBuffer, openInput } from "./lib/text-io.ts";

const LONGS: LongOption[] = [
  { name: "bytes", arg: "required", key: "b" },
  { name: "characters", arg: "required", key: "c" },
  { name: "fields", arg: "required", key: "f" },
  { name: "delimiter", arg: "required", key: "d" },
  { name: "only-delimited", arg: "none", key: "s" },
  { name: "output-delimiter", arg: "required", key: "output-delimiter" },
  { name: "complement", arg: "none", key: "complement" },
  { name: "zero-terminated", arg: "none", key: "z" },
  { name: "help", arg: "none" },
  { name: "version", arg: "none" },
];

/** Inclusive 1-based ranges; hi may be Infinity. */
type Range = [number, number];

/** GNU set_fields: parses a LIST into sorted, merged (and optionally complemented) ranges. */
export function parseList(list: string, positions: boolean, complement: boolean): Range[] {
  const numberedFrom1 = positions
    ? "byte/character positions are numbered from 1"
    : "fields are numbered from 1";
  const ranges: Range[] = [];
  let initial = 1;
  let value = 0;
  let lhs = false;
  let rhs = false;
  let dash = false;
  let i = 0;
  for (;;) {
    const ch = list[i];
    if (ch === "-") {
      if (dash)
        throw new UsageError(positions ? "invalid byte or character range" : "invalid field range");
      dash = true;
      i++;
      if (lhs && !value) throw new UsageError(numberedFrom1);
      initial = lhs ? value : 1;
      value = 0;
    } else if (ch === "," || ch === " " || ch === "\t" || ch === undefined) {
      if (dash) {
        dash = false;
        if (!lhs && !rhs) throw new UsageError("invalid range with no endpoint: -");
        if (!rhs) ranges.push([initial, Number.POSITIVE_INFINITY]);
        else {
          if (value < initial) throw new UsageError("invalid decreasing range");
          ranges.push([initial, value]);
        }
        value = 0;
      } else {
        if (value === 0) throw new UsageError(numberedFrom1);
        ranges.push([value, value]);
        value = 0;
      }
      if (ch === undefined) break;
      i++;
      lhs = false;
      rhs = false;
    } else if (ch >= "0" && ch <= "9") {
      if (dash) rhs = true;
      else lhs = true;
      value = value * 10 + (ch.charCodeAt(0) - 48);
      if (!Number.isSafeInteger(value)) {
        const num = /^\d+/.exec(list.slice(i))?.[0] ?? "";
        throw new UsageError(
          positions
            ? `byte/character offset ${quote(num)} is too large`
            : `field number ${quote(num)} is too large`,
        );
      }
      i++;
    } else {
      throw new UsageError(
        positions
          ? `invalid byte/character position ${quote(list.slice(i))}`
          : `invalid field value ${quote(list.slice(i))}`,
      );
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Range[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  if (!complement) return merged;
  const out: Range[] = [];
  if (merged[0][0] > 1) out.push([1, merged[0][0] - 1]);
  for (let k = 1; k < merged.length; k++) {
    if (merged[k - 1][1] + 1 === merged[k][0]) continue;
    out.push([merged[k - 1][1] + 1, merged[k][0] - 1]);
  }
  const lastHi = merged[merged.length - 1][1];
  if (lastHi !== Number.POSITIVE_INFINITY) out.push([lastHi + 1, Number.POSITIVE_INFINITY]);
  return out;
}

export const cut: CommandDefinition = {
  name: "cut",
  async main(ctx) {
    const usage = async (message: string): Promise<number> => {
      await ctx.err(`cut: ${message}\nTry 'cut --help' for more information.\n`);
      return 1;
    };
    let mode: "" | "b" | "f" = "";
    let listText = "";
    let delim: string | undefined;
    let outDelim: string | undefined;
    let onlyDelimited = false;
    let complement = false;
    let zero = false;
    let operands: string[];
    try {
      const parsed = getopt(ctx.argv.slice(1), "b:c:d:f:nsz", LONGS);
      operands = parsed.operands;
      for (const opt of parsed.options) {
        switch (opt.key) {
          case "b":
          case "c":
          case "f":
            if (mode) return await usage("only one list may be specified");
            mode = opt.key === "f" ? "f" : "b";
            listText = opt.value ?? "";
            break;
          case "d": {
            const d = argToLatin1(opt.value ?? "");
            if (d.length > 1) return await usage("the delimiter must be a single character");
            delim = d === "" ? "\0" : d;
            break;
          }
          case "output-delimiter": {
            const d = argToLatin1(opt.value ?? "");
            outDelim = d === "" ? "\0" : d;
            break;
          }
          case "s":
            onlyDelimited = true;
            break;
          case "n":
            break;
          case "complement":
            complement = true;
            break;
          case "z":
            zero = true;
            break;
          case "help":
            await ctx.out("Usage: cut OPTION... [FILE]...\n");
            return 0;
          default:
            await ctx.out("cut (GNU coreutils) 9.1\n");
            return 0;
        }
      }
    } catch (err) {
      if (err instanceof UsageError) return await usage(err.message);
      throw err;
    }
    if (!mode) return await usage("you must specify a list of bytes, characters, or fields");
    if (mode === "b" && delim !== undefined)
      return await usage("an input delimiter may be specified only when operating on fields");
    if (mode === "b" && onlyDelimited)
      return await usage(
        "suppressing non-delimited lines makes sense\n\tonly when operating on fields",
      );
    let ranges: Range[];
    try {
      ranges = parseList(listText, mode === "b", complement);
    } catch (err) {
      if (err instanceof UsageError) return await usage(err.message);
      throw err;
    }
    const eol = zero ? "\0" : "\n";
    const inDelim = delim ?? "\t";
    // An empty -d or --output-delimiter means the NUL byte, as in GNU.
    const outSep = outDelim ?? (mode === "f" ? inDelim : undefined);
    const selected = (n: number): boolean => {
      for (const [lo, hi] of ranges) {
        if (n < lo) return false;
        if (n <= hi) return true;
      }
      return false;
    };
    const cutLine = (line: string): string | undefined => {
      if (mode === "b") {
        let out = "";
        let printed = false;
        for (const [lo, hi] of ranges) {
          if (lo > line.length) break;
          const piece = line.slice(lo - 1, hi === Number.POSITIVE_INFINITY ? undefined : hi);
          if (printed && outSep !== undefined) out += outSep;
          out += piece;
          printed = true;
        }
        return out + eol;
      }
      if (!line.includes(inDelim)) return onlyDelimited ? undefined : line + eol;
      const fields = line.split(inDelim);
      const picked: string[] = [];
      for (let k = 0; k < fields.length; k++) if (selected(k + 1)) picked.push(fields[k]);
      return picked.join(outSep) + eol;
    };
    const out = new OutBuffer(ctx);
    let status = 0;
    for (const name of operands.length > 0 ? operands : ["-"]) {
      let input: Awaited<ReturnType<typeof openInput>> | undefined;
      try {
        input = await openInput(ctx, name);
        const reader = new LineReader(ctx, input.fd, eol);
        for (;;) {
          const line = await reader.next();
          if (line === null) break;
          const text = cutLine(line);
          if (text !== undefined) await out.write(text);
        }
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        await ctx.err(`cut: ${quoteName(name)}: ${describeError(err)}\n`);
        status = 1;
      } finally {
        input?.close();
      }
    }
    await out.flush();
    return status;
  },
};
