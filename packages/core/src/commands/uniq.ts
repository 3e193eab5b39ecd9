/**
 * uniq: filters adjacent matching lines, streaming line by line, as GNU uniq. Options:
 * -c -d -D[=METHOD] -u -i -f N -s N -w N -z --group[=METHOD]; operands [INPUT [OUTPUT]].
 */
import { O_CREAT, O_TRUNC, O_WRONLY } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { describeError, quoteName } from "./errors.ts";
import {
  argmatch,
  getopt,
  type LongOption,
  parseCount,
  quote as quoteArg,
  UsageError,
} from "./lib/text-getopt.ts";
import { asciiUpper, LineReader, OutBuffer, openInput } from "./lib/text-io.ts";

const LONGS: LongOption[] = [
  { name: "count", arg: "none", key: "c" },
  { name: "repeated", arg: "none", key: "d" },
  { name: "all-repeated", arg: "optional", key: "all-repeated" },
  { name: "group", arg: "optional", key: "group" },
  { name: "ignore-case", arg: "none", key: "i" },
  { name: "unique", arg: "none", key: "u" },
  { name: "skip-fields", arg: "required", key: "f" },
  { name: "skip-chars", arg: "required", key: "s" },
  { name: "check-chars", arg: "required", key: "w" },
  { name: "zero-terminated", arg: "none", key: "z" },
  { name: "help", arg: "none" },
  { name: "version", arg: "none" },
];

type Delimit = "none" | "prepend" | "separate";
type Grouping = "" | "prepend" | "append" | "separate" | "both";

export const uniq: CommandDefinition = {
  name: "uniq",
  async main(ctx) {
    const usage = async (message: string): Promise<number> => {
      await ctx.err(`uniq: ${message}\nTry 'uniq --help' for more information.\n`);
      return 1;
    };
    let skipFields = 0;
    let skipChars = 0;
    let checkChars = Number.POSITIVE_INFINITY;
    let count = false;
    let outputUnique = true;
    let outputFirstRepeated = true;
    let outputLaterRepeated = false;
    let delimit: Delimit = "none";
    let grouping: Grouping = "";
    let optionUsed = false;
    let ignoreCase = false;
    let zero = false;
    let operands: string[];
    try {
      const parsed = getopt(ctx.argv.slice(1), "cdDf:is:uw:z", LONGS);
      operands = parsed.operands;
      for (const opt of parsed.options) {
        const value = opt.value ?? "";
        switch (opt.key) {
          case "c":
            count = true;
            break;
          case "d":
            outputUnique = false;
            optionUsed = true;
            break;
          case "D":
          case "all-repeated":
            outputUnique = false;
            outputLaterRepeated = true;
            delimit =
              opt.value === undefined
                ? "none"
                : argmatch<Delimit>(value, "--all-repeated", [
                    ["none", "none"],
                    ["prepend", "prepend"],
                    ["separate", "separate"],
                  ]);
            optionUsed = true;
            break;
          case "group":
            grouping =
              opt.value === undefined
                ? "separate"
                : argmatch<Grouping>(value, "--group", [
                    ["prepend", "prepend"],
                    ["append", "append"],
                    ["separate", "separate"],
                    ["both", "both"],
                  ]);
            break;
          case "u":
            outputFirstRepeated = false;
            optionUsed = true;
            break;
          case "i":
            ignoreCase = true;
            break;
          case "z":
            zero = true;
            break;
          case "f":
          case "s":
          case "w": {
            const n = parseCount(value);
            if (n === undefined) {
              const what =
                opt.key === "f"
                  ? "invalid number of fields to skip"
                  : opt.key === "s"
                    ? "invalid number of bytes to skip"
                    : "invalid number of bytes to compare";
              await ctx.err(`uniq: ${value}: ${what}\n`);
              return 1;
            }
            if (opt.key === "f") skipFields = n;
            else if (opt.key === "s") skipChars = n;
            else checkChars = n;
            break;
          }
          case "help":
            await ctx.out("Usage: uniq [OPTION]... [INPUT [OUTPUT]]\n");
            return 0;
          default:
            await ctx.out("uniq (GNU coreutils) 9.1\n");
            return 0;
        }
      }
    } catch (err) {
      if (err instanceof UsageError) return await usage(err.message);
      throw err;
    }
    if (operands.length > 2) return await usage(`extra operand ${quoteArg(operands[2])}`);
    if (grouping && optionUsed)
      return await usage("--group is mutually exclusive with -c/-d/-D/-u");
    if (grouping && count) return await usage("--group is mutually exclusive with -c/-d/-D/-u");
    if (count && outputLaterRepeated)
      return await usage("printing all duplicated lines and repeat counts is meaningless");

    const inName = operands[0] ?? "-";
    const outName = operands[1] ?? "-";
    let input: Awaited<ReturnType<typeof openInput>>;
    try {
      input = await openInput(ctx, inName);
    } catch (err) {
      if (!ctx.alive) throw err;
      await ctx.err(`uniq: ${quoteName(inName)}: ${describeError(err)}\n`);
      return 1;
    }
    let outFd = 1;
    if (outName !== "-") {
      try {
        outFd = await ctx.open(outName, O_WRONLY | O_CREAT | O_TRUNC, 0o666);
      } catch (err) {
        input.close();
        if (!ctx.alive) throw err;
        await ctx.err(`uniq: ${quoteName(outName)}: ${describeError(err)}\n`);
        return 1;
      }
    }
    const eol = zero ? "\0" : "\n";
    const reader = new LineReader(ctx, input.fd, eol);
    const out = new OutBuffer(ctx, outFd);
    const field = (line: string): string => {
      let i = 0;
      const size = line.length;
      for (let n = 0; n < skipFields && i < size; n++) {
        while (i < size && isFieldSep(line.charCodeAt(i))) i++;
        while (i < size && !isFieldSep(line.charCodeAt(i))) i++;
      }
      i += Math.min(skipChars, size - i);
      let f = line.slice(i, Number.isFinite(checkChars) ? i + checkChars : undefined);
      if (ignoreCase) f = asciiUpper(f);
      return f;
    };
    try {
      if (outputUnique && outputFirstRepeated && !count) {
        let prev: string | undefined;
        let firstGroupPrinted = false;
        for (;;) {
          const line = await reader.next();
          if (line === null) break;
          const key = field(line);
          const newGroup = prev === undefined || key !== prev;
          if (
            newGroup &&
            grouping &&
            (grouping === "prepend" ||
              grouping === "both" ||
              (firstGroupPrinted && (grouping === "append" || grouping === "separate")))
          )
            await out.write(eol);
          if (newGroup || grouping) {
            await out.write(line + eol);
            prev = key;
            firstGroupPrinted = true;
          }
        }
        if ((grouping === "both" || grouping === "append") && firstGroupPrinted)
          await out.write(eol);
      } else {
        const writeLine = async (line: string, match: boolean, n: number): Promise<void> => {
          if (!(n === 0 ? outputUnique : !match ? outputFirstRepeated : outputLaterRepeated))
            return;
          if (count) await out.write(`${String(n + 1).padStart(7, " ")} `);
          await out.write(line + eol);
        };
        let prevLine = await reader.next();
        if (prevLine !== null) {
          let prevKey = field(prevLine);
          let matchCount = 0;
          let firstDelimiter = true;
          for (;;) {
            const line = await reader.next();
            if (line === null) break;
            const key = field(line);
            const match = key === prevKey;
            if (match) matchCount++;
            if (delimit !== "none") {
              if (!match) {
                if (matchCount) firstDelimiter = false;
              } else if (matchCount === 1) {
                if (delimit === "prepend" || (delimit === "separate" && !firstDelimiter))
                  await out.write(eol);
              }
            }
            if (!match || outputLaterRepeated) {
              await writeLine(prevLine, match, matchCount);
              prevLine = line;
              prevKey = key;
              if (!match) matchCount = 0;
            }
          }
          await writeLine(prevLine, false, matchCount);
        }
      }
      await out.flush();
    } catch (err) {
      if (!ctx.alive) throw err;
      await out.flush().catch(() => {});
      await ctx.err(`uniq: ${quoteName(inName)}: ${describeError(err)}\n`);
      return 1;
    } finally {
      input.close();
      if (outFd !== 1) ctx.close(outFd);
    }
    return 0;
  },
};

function isFieldSep(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a;
}
