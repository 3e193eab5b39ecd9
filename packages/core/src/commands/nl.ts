/**
 * nl: numbers lines, as GNU coreutils nl: -b/-h/-f STYLE (a, t, n, pBRE), -n ln|rn|rz, -w, -s,
 * -v, -i, -l, -p, -d, and the \:\:\: / \:\: / \: logical page sections.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { describeError } from "./errors.ts";
import { regexSource } from "./lib/find-regex.ts";
import { parseArgs, UsageError, usageText } from "./lib/line-getopt.ts";
import { fromLatin1, LineReader, latin1, Output, quoteAlways } from "./lib/line-io.ts";
import { type Input, openInput } from "./lib/text-io.ts";

type Style = { kind: "a" | "t" | "n" } | { kind: "p"; re: RegExp };

const LONG = [
  { name: "body-numbering", arg: "required" as const, key: "b" },
  { name: "section-delimiter", arg: "required" as const, key: "d" },
  { name: "footer-numbering", arg: "required" as const, key: "f" },
  { name: "header-numbering", arg: "required" as const, key: "h" },
  { name: "line-increment", arg: "required" as const, key: "i" },
  { name: "join-blank-lines", arg: "required" as const, key: "l" },
  { name: "number-format", arg: "required" as const, key: "n" },
  { name: "no-renumber", arg: "none" as const, key: "p" },
  { name: "number-separator", arg: "required" as const, key: "s" },
  { name: "starting-line-number", arg: "required" as const, key: "v" },
  { name: "number-width", arg: "required" as const, key: "w" },
  { name: "help", arg: "none" as const, key: "help" },
  { name: "version", arg: "none" as const, key: "version" },
];

class Fail extends Error {}

function parseStyle(text: string, which: string): Style {
  if (text === "a" || text === "t" || text === "n") return { kind: text };
  if (text.startsWith("p")) {
    try {
      return { kind: "p", re: new RegExp(regexSource(text.slice(1), "posix-basic")) };
    } catch (err) {
      throw new Fail(`nl: ${(err as Error).message}\n`);
    }
  }
  throw new Fail(usageText("nl", `invalid ${which} numbering style: ${quoteAlways(text)}`));
}

function parseInt10(text: string, what: string, min: number): number {
  if (!/^\s*[-+]?[0-9]+$/.test(text)) throw new Fail(`nl: invalid ${what}: ${quoteAlways(text)}\n`);
  const n = Number(text);
  if (n < min || !Number.isSafeInteger(n))
    throw new Fail(`nl: invalid ${what}: ${quoteAlways(text)}: Numerical result out of range\n`);
  return n;
}

export const nl: CommandDefinition = {
  name: "nl",
  async main(ctx) {
    const styles: Record<string, Style> = { h: { kind: "n" }, b: { kind: "t" }, f: { kind: "n" } };
    let format = "rn";
    let width = 6;
    let sep = "\t";
    let start = 1;
    let incr = 1;
    let joinBlank = 1;
    let renumber = true;
    let delim = "\\:";
    let files: string[];
    try {
      let parsed: ReturnType<typeof parseArgs>;
      try {
        parsed = parseArgs(ctx.argv.slice(1), { short: "b:d:f:h:i:l:n:ps:v:w:", long: LONG });
      } catch (err) {
        if (err instanceof UsageError) throw new Fail(usageText("nl", err.message));
        throw err;
      }
      for (const opt of parsed.options) {
        const v = opt.value ?? "";
        switch (opt.key) {
          case "b":
            styles.b = parseStyle(v, "body");
            break;
          case "h":
            styles.h = parseStyle(v, "header");
            break;
          case "f":
            styles.f = parseStyle(v, "footer");
            break;
          case "d":
            delim = v.length === 1 ? `${v}:` : v;
            break;
          case "i":
            incr = parseInt10(v, "line number increment", Number.MIN_SAFE_INTEGER);
            break;
          case "l":
            joinBlank = parseInt10(v, "line number of blank lines", 1);
            break;
          case "n":
            if (v !== "ln" && v !== "rn" && v !== "rz")
              throw new Fail(usageText("nl", `invalid line numbering format: ${quoteAlways(v)}`));
            format = v;
            break;
          case "p":
            renumber = false;
            break;
          case "s":
            sep = v;
            break;
          case "v":
            start = parseInt10(v, "starting line number", Number.MIN_SAFE_INTEGER);
            break;
          case "w":
            width = parseInt10(v, "line number field width", 1);
            break;
          case "help":
            await ctx.out("Usage: nl [OPTION]... [FILE]...\n");
            return 0;
          case "version":
            await ctx.out("nl (GNU coreutils) 9.1\n");
            return 0;
        }
      }
      files = parsed.operands.length > 0 ? parsed.operands : ["-"];
    } catch (err) {
      if (err instanceof Fail) {
        await ctx.err(err.message);
        return 1;
      }
      throw err;
    }
    const out = new Output(ctx);
    const blankPrefix = fromLatin1(
      " ".repeat(width + latin1(new TextEncoder().encode(sep)).length),
    );
    const sepBytes = new TextEncoder().encode(sep);
    const delims = delim === "" ? [] : [delim.repeat(3), delim.repeat(2), delim];
    let section = "b";
    let line = start;
    let blankRun = 0;
    let status = 0;
    const number = (n: number): string => {
      const text = String(n);
      if (format === "ln") return text.padEnd(width, " ");
      if (format === "rz") {
        if (n < 0) return `-${String(-n).padStart(width - 1, "0")}`;
        return text.padStart(width, "0");
      }
      return text.padStart(width, " ");
    };
    for (const name of files) {
      let input: Input;
      try {
        input = await openInput(ctx, name);
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        await ctx.err(`nl: ${name}: ${describeError(err)}\n`);
        status = 1;
        continue;
      }
      try {
        const reader = new LineReader(ctx, input.fd);
        for (;;) {
          const raw = await reader.next();
          if (raw === null) break;
          const hasNl = raw[raw.length - 1] === 0x0a;
          const text = latin1(hasNl ? raw.subarray(0, raw.length - 1) : raw);
          const which = delims.indexOf(text);
          if (which >= 0) {
            section = "hbf"[which];
            if (renumber) line = start;
            blankRun = 0;
            await out.write("\n");
            continue;
          }
          const style = styles[section];
          let numbered: boolean;
          if (style.kind === "a") {
            if (text === "") {
              blankRun++;
              numbered = blankRun >= joinBlank;
              if (numbered) blankRun = 0;
            } else {
              blankRun = 0;
              numbered = true;
            }
          } else if (style.kind === "t") numbered = text !== "";
          else if (style.kind === "p") numbered = style.re.test(text);
          else numbered = false;
          if (numbered) {
            await out.write(number(line));
            await out.write(sepBytes);
            line += incr;
          } else await out.write(blankPrefix);
          await out.write(raw);
          if (!hasNl) await out.write("\n");
        }
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        await ctx.err(`nl: ${name}: ${describeError(err)}\n`);
        status = 1;
      } finally {
        input.close();
      }
    }
    await out.flush();
    return status;
  },
};
