/**
 * join: joins lines of two sorted files on a common field, as GNU join (C locale). Options:
 * -1 -2 -j -t -a -v -e -o (incl. auto) -i --header --check-order --nocheck-order -z. Both
 * inputs are read into memory (GNU streams, but output and order diagnostics are the same).
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { describeError, quoteName } from "./errors.ts";
import { getopt, type LongOption, quote, UsageError } from "./lib/text-getopt.ts";
import { argToLatin1, asciiUpper, bytesToLatin1, OutBuffer, readInput } from "./lib/text-io.ts";

const LONGS: LongOption[] = [
  { name: "ignore-case", arg: "none", key: "i" },
  { name: "check-order", arg: "none", key: "check-order" },
  { name: "nocheck-order", arg: "none", key: "nocheck-order" },
  { name: "zero-terminated", arg: "none", key: "z" },
  { name: "header", arg: "none", key: "header" },
  { name: "help", arg: "none" },
  { name: "version", arg: "none" },
];

interface Line {
  text: string;
  fields: string[];
}

class JoinFailure extends Error {}

function splitFields(text: string, tab: string | undefined): string[] {
  if (text.length === 0) return [];
  if (tab === "\n") return [text];
  if (tab !== undefined) return text.split(tab);
  const isSep = (c: string): boolean => c === " " || c === "\t" || c === "\n";
  const fields: string[] = [];
  let ptr = 0;
  const lim = text.length;
  while (isSep(text[ptr])) if (++ptr === lim) return fields;
  for (;;) {
    let sep = ptr + 1;
    while (sep !== lim && !isSep(text[sep])) sep++;
    fields.push(text.slice(ptr, sep));
    if (sep === lim) return fields;
    for (ptr = sep + 1; ptr !== lim && isSep(text[ptr]); ptr++) {}
    if (ptr === lim) break;
  }
  fields.push("");
  return fields;
}

function fieldNumber(text: string): number {
  const m = /^\s*\+?(\d+)$/.exec(text);
  if (!m || Number(m[1]) === 0) throw new JoinFailure(`invalid field number: ${quote(text)}`);
  return Math.min(Number(m[1]), Number.MAX_SAFE_INTEGER) - 1;
}

export const join: CommandDefinition = {
  name: "join",
  async main(ctx) {
    const usage = async (message: string): Promise<number> => {
      await ctx.err(`join: ${message}\nTry 'join --help' for more information.\n`);
      return 1;
    };
    let field1 = -1;
    let field2 = -1;
    let tab: string | undefined;
    const unpaired = [false, false];
    let printPairables = true;
    let empty: string | undefined;
    let outList: [number, number][] | undefined;
    let auto = false;
    let ignoreCase = false;
    let checkOrder: "default" | "enabled" | "disabled" = "default";
    let header = false;
    let zero = false;
    let operands: string[];
    try {
      const parsed = getopt(ctx.argv.slice(1), "a:e:i1:2:j:o:t:v:z", LONGS);
      operands = parsed.operands;
      const setField = (which: 1 | 2, value: number): void => {
        const old = which === 1 ? field1 : field2;
        if (old !== -1 && old !== value)
          throw new JoinFailure(`incompatible join fields ${value + 1}, ${old + 1}`);
        if (which === 1) field1 = value;
        else field2 = value;
      };
      for (const opt of parsed.options) {
        const value = opt.value ?? "";
        switch (opt.key) {
          case "a":
          case "v": {
            const m = /^\s*\+?(\d+)$/.exec(value);
            const n = m ? Number(m[1]) : 0;
            if (n !== 1 && n !== 2) throw new JoinFailure(`invalid field number: ${quote(value)}`);
            unpaired[n - 1] = true;
            if (opt.key === "v") printPairables = false;
            break;
          }
          case "e":
            empty = argToLatin1(value);
            break;
          case "i":
            ignoreCase = true;
            break;
          case "1":
            setField(1, fieldNumber(value));
            break;
          case "2":
            setField(2, fieldNumber(value));
            break;
          case "j": {
            const n = fieldNumber(value);
            setField(1, n);
            setField(2, n);
            break;
          }
          case "o":
            if (value === "auto") {
              auto = true;
              break;
            }
            outList ??= [];
            for (const spec of value.split(/[, \t]/)) {
              if (spec === "0") outList.push([0, 0]);
              else if (spec[0] === "0")
                throw new JoinFailure(`invalid field specifier: ${quote(spec)}`);
              else if (spec[0] === "1" || spec[0] === "2") {
                if (spec[1] !== ".")
                  throw new JoinFailure(`invalid field specifier: ${quote(spec)}`);
                outList.push([Number(spec[0]), fieldNumber(spec.slice(2))]);
              } else throw new JoinFailure(`invalid file number in field spec: ${quote(spec)}`);
            }
            break;
          case "t": {
            const t = argToLatin1(value);
            let newTab: string;
            if (t === "") newTab = "\n";
            else if (t.length === 1) newTab = t;
            else if (t === "\\0") newTab = "\0";
            else throw new JoinFailure(`multi-character tab ${quote(value)}`);
            if (tab !== undefined && tab !== newTab) throw new JoinFailure("incompatible tabs");
            tab = newTab;
            break;
          }
          case "z":
            zero = true;
            break;
          case "check-order":
            checkOrder = "enabled";
            break;
          case "nocheck-order":
            checkOrder = "disabled";
            break;
          case "header":
            header = true;
            break;
          case "help":
            await ctx.out("Usage: join [OPTION]... FILE1 FILE2\n");
            return 0;
          default:
            await ctx.out("join (GNU coreutils) 9.1\n");
            return 0;
        }
      }
    } catch (err) {
      if (err instanceof UsageError) return await usage(err.message);
      if (err instanceof JoinFailure) {
        await ctx.err(`join: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
    if (operands.length < 2) {
      if (operands.length === 0) return await usage("missing operand");
      return await usage(`missing operand after ${quote(operands[operands.length - 1])}`);
    }
    if (operands.length > 2) return await usage(`extra operand ${quote(operands[2])}`);
    if (operands[0] === "-" && operands[1] === "-") {
      await ctx.err("join: both files cannot be standard input\n");
      return 1;
    }
    if (field1 === -1) field1 = 0;
    if (field2 === -1) field2 = 0;
    const eol = zero ? "\0" : "\n";
    const sources: Line[][] = [];
    for (const name of operands) {
      let text: string;
      try {
        text = bytesToLatin1(await readInput(ctx, name));
      } catch (err) {
        if (!ctx.alive) throw err;
        await ctx.err(`join: ${quoteName(name)}: ${describeError(err)}\n`);
        return 1;
      }
      const lines = text.split(eol);
      if (text.endsWith(eol) || text === "") lines.pop();
      sources.push(lines.map((l) => ({ text: l, fields: splitFields(l, tab) })));
    }

    const out = new OutBuffer(ctx);
    const sepOut = tab === undefined || tab === "\n" ? " " : tab;
    const joinFields = [field1, field2];
    const keyOf = (line: Line, f: number): string => {
      const k = line.fields[f] ?? "";
      return ignoreCase ? asciiUpper(k) : k;
    };
    const keycmp = (a: Line, b: Line, fa: number, fb: number): number => {
      const ka = keyOf(a, fa);
      const kb = keyOf(b, fb);
      if (ka.length === 0) return kb.length === 0 ? 0 : -1;
      if (kb.length === 0) return 1;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    };
    const blank: Line = { text: "", fields: [] };
    let autocount = [0, 0];
    const prfield = (n: number, line: Line): string => {
      const f = line.fields[n];
      if (f !== undefined && f.length > 0) return f;
      return empty ?? "";
    };
    const prfields = (line: Line, jf: number, count: number): string => {
      const n = auto ? count : line.fields.length;
      let s = "";
      for (let i = 0; i < jf && i < n; i++) s += sepOut + prfield(i, line);
      for (let i = jf + 1; i < n; i++) s += sepOut + prfield(i, line);
      return s;
    };
    const prjoin = async (l1: Line, l2: Line): Promise<void> => {
      let s: string;
      if (outList) {
        s = outList
          .map(([file, field]) => {
            if (file === 0) return l1 === blank ? prfield(field2, l2) : prfield(field1, l1);
            return prfield(field, file === 1 ? l1 : l2);
          })
          .join(sepOut);
      } else {
        s = l1 === blank ? prfield(field2, l2) : prfield(field1, l1);
        s += prfields(l1, field1, autocount[0]) + prfields(l2, field2, autocount[1]);
      }
      await out.write(s + eol);
    };

    // Line sources with GNU's order checking (get_line / check_order).
    const pos = [0, 0];
    const prev: (Line | undefined)[] = [undefined, undefined];
    const warned = [false, false];
    let seenUnpairable = false;
    const getLine = async (i: number): Promise<Line | undefined> => {
      const line = sources[i][pos[i]];
      if (!line) return undefined;
      pos[i]++;
      const p = prev[i];
      if (
        p &&
        checkOrder !== "disabled" &&
        (checkOrder === "enabled" || seenUnpairable) &&
        !warned[i] &&
        keycmp(p, line, joinFields[i], joinFields[i]) > 0
      ) {
        await out.flush();
        await ctx.err(
          Buffer.from(
            `join: ${argToLatin1(operands[i])}:${pos[i]}: is not sorted: ${line.text}\n`,
            "latin1",
          ),
        );
        if (checkOrder === "enabled") throw new JoinFailure("");
        warned[i] = true;
      }
      prev[i] = line;
      return line;
    };

    try {
      const seq: Line[][] = [[], []];
      for (const i of [0, 1]) {
        const l = await getLine(i);
        if (l) seq[i].push(l);
      }
      if (auto) autocount = [seq[0][0]?.fields.length ?? 0, seq[1][0]?.fields.length ?? 0];
      if (header && (seq[0].length || seq[1].length)) {
        await prjoin(seq[0][0] ?? blank, seq[1][0] ?? blank);
        prev[0] = prev[1] = undefined;
        for (const i of [0, 1]) {
          if (seq[i].length) {
            const l = await getLine(i);
            seq[i] = l ? [l] : [];
          }
        }
      }
      while (seq[0].length && seq[1].length) {
        const diff = keycmp(seq[0][0], seq[1][0], field1, field2);
        if (diff < 0) {
          if (unpaired[0]) await prjoin(seq[0][0], blank);
          const l = await getLine(0);
          seq[0] = l ? [l] : [];
          seenUnpairable = true;
          continue;
        }
        if (diff > 0) {
          if (unpaired[1]) await prjoin(blank, seq[1][0]);
          const l = await getLine(1);
          seq[1] = l ? [l] : [];
          seenUnpairable = true;
          continue;
        }
        let eof1 = false;
        do {
          const l = await getLine(0);
          if (!l) {
            eof1 = true;
            break;
          }
          seq[0].push(l);
        } while (!keycmp(seq[0][seq[0].length - 1], seq[1][0], field1, field2));
        let eof2 = false;
        do {
          const l = await getLine(1);
          if (!l) {
            eof2 = true;
            break;
          }
          seq[1].push(l);
        } while (!keycmp(seq[0][0], seq[1][seq[1].length - 1], field1, field2));
        const n1 = eof1 ? seq[0].length : seq[0].length - 1;
        const n2 = eof2 ? seq[1].length : seq[1].length - 1;
        if (printPairables) {
          for (let i = 0; i < n1; i++)
            for (let j = 0; j < n2; j++) await prjoin(seq[0][i], seq[1][j]);
        }
        seq[0] = eof1 ? [] : [seq[0][seq[0].length - 1]];
        seq[1] = eof2 ? [] : [seq[1][seq[1].length - 1]];
      }
      const checktail = checkOrder !== "disabled" && !(warned[0] && warned[1]);
      if ((unpaired[0] || checktail) && seq[0].length) {
        if (unpaired[0]) await prjoin(seq[0][0], blank);
        if (seq[1].length) seenUnpairable = true;
        for (let l = await getLine(0); l; l = await getLine(0)) {
          if (unpaired[0]) await prjoin(l, blank);
          if (warned[0] && !unpaired[0]) break;
        }
      }
      if ((unpaired[1] || checktail) && seq[1].length) {
        if (unpaired[1]) await prjoin(blank, seq[1][0]);
        if (seq[0].length) seenUnpairable = true;
        for (let l = await getLine(1); l; l = await getLine(1)) {
          if (unpaired[1]) await prjoin(blank, l);
          if (warned[1] && !unpaired[1]) break;
        }
      }
      await out.flush();
    } catch (err) {
      if (err instanceof JoinFailure) {
        await out.flush();
        return 1;
      }
      throw err;
    }
    if (warned[0] || warned[1]) {
      await ctx.err("join: input is not in sorted order\n");
      return 1;
    }
    return 0;
  },
};
