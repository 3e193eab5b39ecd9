/**
 * tr: translates, deletes (-d) or squeezes (-s) bytes from stdin to stdout, as GNU tr in the
 * C locale. -c/-C complement SET1, -t truncates SET1 to the length of SET2.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { getopt, type LongOption, quote, UsageError } from "./lib/text-getopt.ts";
import { argToLatin1 } from "./lib/text-io.ts";
import {
  expandSet,
  memberTable,
  parseTrSet,
  setLength,
  type TrElement,
  TrSetError,
} from "./lib/text-tr-sets.ts";

const LONGS: LongOption[] = [
  { name: "complement", arg: "none", key: "c" },
  { name: "delete", arg: "none", key: "d" },
  { name: "squeeze-repeats", arg: "none", key: "s" },
  { name: "truncate-set1", arg: "none", key: "t" },
  { name: "help", arg: "none" },
  { name: "version", arg: "none" },
];

export const tr: CommandDefinition = {
  name: "tr",
  async main(ctx) {
    const usage = async (message: string): Promise<number> => {
      await ctx.err(`tr: ${message}\nTry 'tr --help' for more information.\n`);
      return 1;
    };
    let complement = false;
    let del = false;
    let squeeze = false;
    let truncate = false;
    let operands: string[];
    try {
      const parsed = getopt(ctx.argv.slice(1), "cCdst", LONGS);
      operands = parsed.operands;
      for (const opt of parsed.options) {
        if (opt.key === "c" || opt.key === "C") complement = true;
        else if (opt.key === "d") del = true;
        else if (opt.key === "s") squeeze = true;
        else if (opt.key === "t") truncate = true;
        else if (opt.key === "help") {
          await ctx.out("Usage: tr [OPTION]... STRING1 [STRING2]\n");
          return 0;
        } else {
          await ctx.out("tr (GNU coreutils) 9.1\n");
          return 0;
        }
      }
    } catch (err) {
      if (err instanceof UsageError) return await usage(err.message);
      throw err;
    }
    const n = operands.length;
    const minOperands = 1 + (del === squeeze ? 1 : 0);
    const maxOperands = 1 + (del <= squeeze ? 1 : 0);
    if (n < minOperands) {
      if (n === 0) return await usage("missing operand");
      const why = squeeze
        ? "Two strings must be given when both deleting and squeezing repeats."
        : "Two strings must be given when translating.";
      return await usage(`missing operand after ${quote(operands[n - 1])}\n${why}`);
    }
    if (n > maxOperands) {
      const extra = `extra operand ${quote(operands[maxOperands])}`;
      if (n === 2)
        return await usage(
          `${extra}\nOnly one string may be given when deleting without squeezing repeats.`,
        );
      return await usage(extra);
    }
    const fail = async (message: string): Promise<number> => {
      await ctx.err(`tr: ${message}\n`);
      return 1;
    };
    const warnings: string[] = [];
    let s1: TrElement[];
    let s2: TrElement[] | undefined;
    try {
      s1 = parseTrSet(argToLatin1(operands[0]), warnings);
      if (n === 2) s2 = parseTrSet(argToLatin1(operands[1]), warnings);
    } catch (err) {
      if (err instanceof TrSetError) {
        for (const w of warnings) await ctx.err(`tr: ${w}\n`);
        return await fail(err.message);
      }
      throw err;
    }
    for (const w of warnings) await ctx.err(`tr: ${w}\n`);
    const translating = n === 2 && !del;

    // validate (GNU tr's rules and messages)
    if (s1.some((e) => e.kind === "repeat" && e.count === 0))
      return await fail("the [c*] repeat construct may not appear in string1");
    const s1Members = memberTable(s1, complement);
    const s1Len = complement ? s1Members.reduce((a, b) => a + b, 0) : setLength(s1);
    let map: Uint8Array | undefined;
    if (s2) {
      const indefinite = s2.filter((e) => e.kind === "repeat" && e.count === 0);
      if (indefinite.length > 1)
        return await fail("only one [c*] repeat construct may appear in string2");
      if (indefinite.length === 1) {
        const rest = setLength(s2);
        const rep = indefinite[0] as { kind: "repeat"; c: number; count: number };
        rep.count = s1Len > rest ? s1Len - rest : 0;
      }
      if (translating) {
        if (s2.some((e) => e.kind === "equiv"))
          return await fail("[=c=] expressions may not appear in string2 when translating");
        if (s2.some((e) => e.kind === "class" && e.name !== "upper" && e.name !== "lower"))
          return await fail(
            "when translating, the only character classes that may appear in\nstring2 are 'upper' and 'lower'",
          );
        if (!complement && !caseClassesAligned(s1, s2))
          return await fail("misaligned [:upper:] and/or [:lower:] construct");
        let to = expandSet(s2);
        if (s1Len > to.length && !truncate) {
          if (to.length === 0)
            return await fail("when not truncating set1, string2 must be non-empty");
          if (s2[s2.length - 1].kind === "class")
            return await fail(
              "when translating with string1 longer than string2,\nthe latter string must not end with a character class",
            );
          const last = to[to.length - 1];
          to = to.concat(new Array(s1Len - to.length).fill(last));
        }
        if (
          complement &&
          s1.some((e) => e.kind === "class") &&
          !(to.length === s1Len && to.every((c) => c === to[0]))
        )
          return await fail(
            "when translating with complemented character classes,\nstring2 must map all characters in the domain to one",
          );
        map = new Uint8Array(256);
        for (let c = 0; c < 256; c++) map[c] = c;
        if (complement) {
          let k = 0;
          for (let c = 0; c < 256 && k < to.length; c++) if (s1Members[c]) map[c] = to[k++];
        } else {
          const from = expandSet(s1);
          const count = Math.min(from.length, to.length);
          for (let k = 0; k < count; k++) map[from[k]] = to[k];
        }
      } else if (indefinite.length > 0) {
        return await fail("the [c*] construct may appear in string2 only when translating");
      }
    }
    const deleteSet = del ? s1Members : undefined;
    const squeezeSet = squeeze ? (n === 2 ? memberTable(s2 ?? [], false) : s1Members) : undefined;

    let last = -1;
    for (;;) {
      const chunk = await ctx.read(0);
      if (chunk === null || chunk.length === 0) break;
      const out = new Uint8Array(chunk.length);
      let k = 0;
      for (let i = 0; i < chunk.length; i++) {
        let c = chunk[i];
        if (deleteSet?.[c]) continue;
        if (map) c = map[c];
        if (squeezeSet?.[c] && c === last) continue;
        out[k++] = c;
        last = c;
      }
      if (k > 0) await ctx.write(1, out.subarray(0, k));
    }
    return 0;
  },
};

/** Every [:upper:]/[:lower:] in SET2 must start where SET1 has [:upper:]/[:lower:]. */
function caseClassesAligned(s1: TrElement[], s2: TrElement[]): boolean {
  const starts = new Map<number, string>();
  let pos = 0;
  for (const e of s1) {
    if (e.kind === "class") starts.set(pos, e.name);
    pos += e.kind === "repeat" ? e.count : e.chars.length;
  }
  pos = 0;
  for (const e of s2) {
    if (e.kind === "class") {
      const other = starts.get(pos);
      if (other !== "upper" && other !== "lower") return false;
    }
    pos += e.kind === "repeat" ? e.count : e.chars.length;
  }
  return true;
}
