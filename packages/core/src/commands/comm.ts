/**
 * comm: compares two sorted files line by line into three columns, as GNU comm (C locale).
 * Options: -1 -2 -3, --check-order, --nocheck-order, --output-delimiter, --total, -z.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { describeError, quoteName } from "./errors.ts";
import { getopt, type LongOption, quote, UsageError } from "./lib/text-getopt.ts";
import { argToLatin1, type Input, LineReader, OutBuffer, openInput } from "./lib/text-io.ts";

const LONGS: LongOption[] = [
  { name: "check-order", arg: "none", key: "check-order" },
  { name: "nocheck-order", arg: "none", key: "nocheck-order" },
  { name: "output-delimiter", arg: "required", key: "output-delimiter" },
  { name: "total", arg: "none", key: "total" },
  { name: "zero-terminated", arg: "none", key: "z" },
  { name: "help", arg: "none" },
  { name: "version", arg: "none" },
];

export const comm: CommandDefinition = {
  name: "comm",
  async main(ctx) {
    const usage = async (message: string): Promise<number> => {
      await ctx.err(`comm: ${message}\nTry 'comm --help' for more information.\n`);
      return 1;
    };
    const show = [true, true, true];
    let checkOrder: "default" | "enabled" | "disabled" = "default";
    let sep: string | undefined;
    let total = false;
    let zero = false;
    let operands: string[];
    try {
      const parsed = getopt(ctx.argv.slice(1), "123z", LONGS);
      operands = parsed.operands;
      for (const opt of parsed.options) {
        switch (opt.key) {
          case "1":
          case "2":
          case "3":
            show[Number(opt.key) - 1] = false;
            break;
          case "check-order":
            checkOrder = "enabled";
            break;
          case "nocheck-order":
            checkOrder = "disabled";
            break;
          case "output-delimiter": {
            const value = argToLatin1(opt.value ?? "");
            const d = value === "" ? "\0" : value;
            if (sep !== undefined && sep !== d) {
              await ctx.err("comm: multiple output delimiters specified\n");
              return 1;
            }
            sep = d;
            break;
          }
          case "total":
            total = true;
            break;
          case "z":
            zero = true;
            break;
          case "help":
            await ctx.out("Usage: comm [OPTION]... FILE1 FILE2\n");
            return 0;
          default:
            await ctx.out("comm (GNU coreutils) 9.1\n");
            return 0;
        }
      }
    } catch (err) {
      if (err instanceof UsageError) return await usage(err.message);
      throw err;
    }
    if (operands.length < 2) {
      if (operands.length === 0) return await usage("missing operand");
      return await usage(`missing operand after ${quote(operands[0])}`);
    }
    if (operands.length > 2) return await usage(`extra operand ${quote(operands[2])}`);
    const colSep = sep ?? "\t";
    const eol = zero ? "\0" : "\n";
    const inputs: Input[] = [];
    const readers: LineReader[] = [];
    try {
      for (const name of operands) {
        try {
          const input = await openInput(ctx, name);
          inputs.push(input);
          readers.push(
            name === "-" && readers.length === 1 && operands[0] === "-"
              ? readers[0]
              : new LineReader(ctx, input.fd, eol),
          );
        } catch (err) {
          if (!ctx.alive) throw err;
          await ctx.err(`comm: ${quoteName(name)}: ${describeError(err)}\n`);
          return 1;
        }
      }
      const out = new OutBuffer(ctx);
      const totals = [0, 0, 0];
      const warned = [false, false];
      let seenUnpairable = false;
      const line: (string | null)[] = [await readers[0].next(), await readers[1].next()];
      const writeLine = async (text: string, column: number): Promise<void> => {
        if (!show[column - 1]) return;
        let prefix = "";
        if (column >= 2 && show[0]) prefix += colSep;
        if (column === 3 && show[1]) prefix += colSep;
        await out.write(prefix + text + eol);
      };
      while (line[0] !== null || line[1] !== null) {
        let order: number;
        if (line[0] === null) order = 1;
        else if (line[1] === null) order = -1;
        else order = line[0] < line[1] ? -1 : line[0] > line[1] ? 1 : 0;
        if (order === 0) {
          totals[2]++;
          await writeLine(line[1]!, 3);
        } else {
          seenUnpairable = true;
          if (order < 0) {
            totals[0]++;
            await writeLine(line[0]!, 1);
          } else {
            totals[1]++;
            await writeLine(line[1]!, 2);
          }
        }
        for (let i = 0; i < 2; i++) {
          if ((i === 1 && order >= 0) || (i === 0 && order <= 0)) {
            const prev = line[i]!;
            line[i] = await readers[i].next();
            const cur = line[i];
            if (
              cur !== null &&
              checkOrder !== "disabled" &&
              (checkOrder === "enabled" || seenUnpairable) &&
              !warned[i] &&
              prev > cur
            ) {
              await out.flush();
              await ctx.err(`comm: file ${i + 1} is not in sorted order\n`);
              if (checkOrder === "enabled") return 1;
              warned[i] = true;
            }
          }
        }
      }
      if (total)
        await out.write(
          `${totals[0]}${colSep}${totals[1]}${colSep}${totals[2]}${colSep}total${eol}`,
        );
      await out.flush();
      if (warned[0] || warned[1]) {
        await ctx.err("comm: input is not in sorted order\n");
        return 1;
      }
      return 0;
    } finally {
      for (const input of inputs) input.close();
    }
  },
};
