/**
 * date (GNU coreutils 9.1): print the time in a format, now or as -d STRING / -r FILE says.
 * Options: +FORMAT, -d/--date, -f/--file, -u/--utc/--universal, -I/--iso-8601[=TIMESPEC],
 * -R/--rfc-email, --rfc-3339=TIMESPEC, -r/--reference, -s/--set (always refused: the VM's
 * clock is the host's). TZ comes from the environment (see lib/strftime.ts for zones).
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError } from "./errors.ts";
import { parseDate } from "./lib/date-parse.ts";
import { breakDown, resolveTimeZone, strftime } from "./lib/strftime.ts";

const ISO_FORMATS: Record<string, string> = {
  hours: "%Y-%m-%dT%H%:z",
  minutes: "%Y-%m-%dT%H:%M%:z",
  date: "%Y-%m-%d",
  seconds: "%Y-%m-%dT%H:%M:%S%:z",
  ns: "%Y-%m-%dT%H:%M:%S,%N%:z",
};
const RFC3339_FORMATS: Record<string, string> = {
  date: "%Y-%m-%d",
  seconds: "%Y-%m-%d %H:%M:%S%:z",
  ns: "%Y-%m-%d %H:%M:%S.%N%:z",
};
const LONG_OPTIONS = [
  "--date",
  "--file",
  "--iso-8601",
  "--reference",
  "--rfc-email",
  "--rfc-3339",
  "--set",
  "--universal",
  "--utc",
  "--help",
  "--version",
  "--debug",
];

/** Expands an abbreviated GNU long option ("--iso" → "--iso-8601"). */
function expandLong(name: string): string | string[] | undefined {
  if (LONG_OPTIONS.includes(name)) return name;
  const matches = LONG_OPTIONS.filter((o) => o.startsWith(name));
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) return matches;
  return undefined;
}

/** Matches an argument against GNU's timespec names, allowing unique abbreviations. */
function matchSpec(value: string, table: Record<string, string>): string | undefined {
  if (value in table) return value;
  const matches = Object.keys(table).filter((k) => k.startsWith(value));
  return matches.length === 1 ? matches[0] : undefined;
}

export const date: CommandDefinition = {
  name: "date",
  async main(ctx) {
    const args = ctx.argv.slice(1);
    let dateText: string | undefined;
    let dateFile: string | undefined;
    let reference: string | undefined;
    let format: string | undefined;
    let utc = false;
    let setTime = false;
    const operands: string[] = [];
    const usage = async (message: string): Promise<number> => {
      await ctx.err(`date: ${message}\nTry 'date --help' for more information.\n`);
      return 1;
    };
    const setFormat = async (value: string): Promise<boolean> => {
      if (format !== undefined) {
        await ctx.err("date: multiple output formats specified\n");
        return false;
      }
      format = value;
      return true;
    };
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg === "--") {
        operands.push(...args.slice(i + 1));
        break;
      }
      if (arg.startsWith("--")) {
        const eq = arg.indexOf("=");
        const rawName = eq < 0 ? arg : arg.slice(0, eq);
        const inline = eq < 0 ? undefined : arg.slice(eq + 1);
        const name = expandLong(rawName);
        if (name === undefined) return usage(`unrecognized option '${arg}'`);
        if (Array.isArray(name)) {
          return usage(
            `option '${rawName}' is ambiguous; possibilities:${name.map((n) => ` '${n}'`).join("")}`,
          );
        }
        const needValue = async (): Promise<string | undefined> => {
          if (inline !== undefined) return inline;
          if (i + 1 >= args.length) {
            await usage(`option '${name}' requires an argument`);
            return undefined;
          }
          return args[++i];
        };
        switch (name) {
          case "--date": {
            const v = await needValue();
            if (v === undefined) return 1;
            dateText = v;
            break;
          }
          case "--file": {
            const v = await needValue();
            if (v === undefined) return 1;
            dateFile = v;
            break;
          }
          case "--reference": {
            const v = await needValue();
            if (v === undefined) return 1;
            reference = v;
            break;
          }
          case "--set": {
            const v = await needValue();
            if (v === undefined) return 1;
            setTime = true;
            dateText = v;
            break;
          }
          case "--iso-8601": {
            const spec = matchSpec(inline ?? "date", ISO_FORMATS);
            if (spec === undefined) return invalidArgument(ctx, inline!, "--iso-8601", ISO_FORMATS);
            if (!(await setFormat(ISO_FORMATS[spec]))) return 1;
            break;
          }
          case "--rfc-3339": {
            if (inline === undefined) return usage("option '--rfc-3339' requires an argument");
            const spec = matchSpec(inline, RFC3339_FORMATS);
            if (spec === undefined)
              return invalidArgument(ctx, inline, "--rfc-3339", RFC3339_FORMATS);
            if (!(await setFormat(RFC3339_FORMATS[spec]))) return 1;
            break;
          }
          case "--rfc-email":
            if (inline !== undefined)
              return usage("option '--rfc-email' doesn't allow an argument");
            if (!(await setFormat("%a, %d %b %Y %H:%M:%S %z"))) return 1;
            break;
          case "--utc":
          case "--universal":
            utc = true;
            break;
          case "--debug":
            break;
          case "--help":
            await ctx.out(
              "Usage: date [OPTION]... [+FORMAT]\n  or:  date [-u|--utc|--universal] [MMDDhhmm[[CC]YY][.ss]]\n",
            );
            return 0;
          case "--version":
            await ctx.out("date (GNU coreutils) 9.1\n");
            return 0;
        }
        continue;
      }
      if (arg.startsWith("-") && arg.length > 1) {
        for (let j = 1; j < arg.length; j++) {
          const letter = arg[j];
          const takeValue = async (): Promise<string | undefined> => {
            if (j + 1 < arg.length) {
              const v = arg.slice(j + 1);
              j = arg.length;
              return v;
            }
            if (i + 1 >= args.length) {
              await usage(`option requires an argument -- '${letter}'`);
              return undefined;
            }
            return args[++i];
          };
          switch (letter) {
            case "d": {
              const v = await takeValue();
              if (v === undefined) return 1;
              dateText = v;
              break;
            }
            case "f": {
              const v = await takeValue();
              if (v === undefined) return 1;
              dateFile = v;
              break;
            }
            case "r": {
              const v = await takeValue();
              if (v === undefined) return 1;
              reference = v;
              break;
            }
            case "s": {
              const v = await takeValue();
              if (v === undefined) return 1;
              setTime = true;
              dateText = v;
              break;
            }
            case "u":
              utc = true;
              break;
            case "R":
              if (!(await setFormat("%a, %d %b %Y %H:%M:%S %z"))) return 1;
              break;
            case "I": {
              const value = arg.slice(j + 1);
              j = arg.length;
              const spec = matchSpec(value || "date", ISO_FORMATS);
              if (spec === undefined) return invalidArgument(ctx, value, "--iso-8601", ISO_FORMATS);
              if (!(await setFormat(ISO_FORMATS[spec]))) return 1;
              break;
            }
            default:
              return usage(`invalid option -- '${letter}'`);
          }
        }
        continue;
      }
      operands.push(arg);
    }
    if (operands.length > 0) {
      const first = operands[0];
      if (operands.length > 1) return usage(`extra operand '${operands[1]}'`);
      if (first.startsWith("+")) {
        if (format !== undefined) {
          await ctx.err("date: multiple output formats specified\n");
          return 1;
        }
        format = first.slice(1);
      } else {
        // date MMDDhhmm[[CC]YY][.ss] sets the clock, which the VM may not.
        if (/^\d{8}(\d{2}){0,2}(\.\d{2})?$/.test(first)) {
          await ctx.err("date: cannot set date: Operation not permitted\n");
        } else await ctx.err(`date: invalid date '${first}'\n`);
        return 1;
      }
    }
    const sources = [dateText !== undefined, dateFile !== undefined, reference !== undefined];
    if (sources.filter(Boolean).length > 1) {
      return usage("the options to specify dates for printing are mutually exclusive");
    }
    const tz = utc ? "UTC0" : ctx.env.TZ;
    const zone = resolveTimeZone(tz);
    const outFormat = format ?? "%a %b %e %H:%M:%S %Z %Y";
    const render = (seconds: bigint, nanos: number): string =>
      `${strftime(outFormat, breakDown(seconds, nanos, zone))}\n`;
    const now = Date.now();
    if (setTime) {
      if (dateText !== undefined && !parseDate(dateText, now, tz)) {
        await ctx.err(`date: invalid date '${dateText}'\n`);
        return 1;
      }
      await ctx.err("date: cannot set date: Operation not permitted\n");
      return 1;
    }
    if (reference !== undefined) {
      try {
        const st = await ctx.stat(reference);
        const ms = st.mtimeMs;
        const seconds = Math.floor(ms / 1000);
        const nanos = Math.round((ms - seconds * 1000) * 1e6);
        await ctx.out(render(BigInt(seconds), nanos));
        return 0;
      } catch (err) {
        if (!ctx.alive) throw err;
        await ctx.err(`date: ${reference}: ${describeError(err)}\n`);
        return 1;
      }
    }
    if (dateFile !== undefined) return batch(ctx, dateFile, now, tz, render);
    if (dateText !== undefined) {
      const parsed = parseDate(dateText, now, tz);
      if (!parsed) {
        await ctx.err(`date: invalid date '${dateText}'\n`);
        return 1;
      }
      await ctx.out(render(parsed.seconds, parsed.nanos));
      return 0;
    }
    const seconds = Math.floor(now / 1000);
    await ctx.out(render(BigInt(seconds), (now - seconds * 1000) * 1e6));
    return 0;
  },
};

async function invalidArgument(
  ctx: ProcessContext,
  value: string,
  option: string,
  table: Record<string, string>,
): Promise<number> {
  await ctx.err(
    `date: invalid argument '${value}' for '${option}'\nValid arguments are:\n${Object.keys(table)
      .map((k) => `  - '${k}'\n`)
      .join("")}Try 'date --help' for more information.\n`,
  );
  return 1;
}

/** date -f FILE: one date per line ("-" is stdin); blank lines print... nothing GNU-wise? */
async function batch(
  ctx: ProcessContext,
  file: string,
  now: number,
  tz: string | undefined,
  render: (seconds: bigint, nanos: number) => string,
): Promise<number> {
  let text: string;
  try {
    text =
      file === "-" ? await ctx.readText(0) : new TextDecoder().decode(await ctx.readFile(file));
  } catch (err) {
    if (!ctx.alive) throw err;
    await ctx.err(`date: ${file}: ${describeError(err)}\n`);
    return 1;
  }
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  let status = 0;
  let out = "";
  for (const line of lines) {
    const parsed = parseDate(line, now, tz);
    if (!parsed) {
      if (out) {
        await ctx.out(out);
        out = "";
      }
      await ctx.err(`date: invalid date '${line}'\n`);
      status = 1;
      continue;
    }
    out += render(parsed.seconds, parsed.nanos);
  }
  if (out) await ctx.out(out);
  return status;
}
