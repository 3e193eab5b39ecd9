/**
 * GNU getopt_long for the text tools: short options (a spec string as in C, "k:" takes an
 * argument, "w::" an optional one), long options with unambiguous abbreviations, operands
 * permuted after options unless "--", and glibc's exact diagnostics.
 */

export type ArgMode = "none" | "required" | "optional";

export interface LongOption {
  name: string;
  arg: ArgMode;
  /** What the option reports as its key (a short letter, or the long name itself). */
  key?: string;
}

export interface ParsedOption {
  key: string;
  value: string | undefined;
  /** How the user wrote it ("-k", "--key"), for messages. */
  spelled: string;
}

export interface ParsedArgs {
  options: ParsedOption[];
  operands: string[];
}

/** A usage error: the message (without the program prefix) GNU prints before "Try ...". */
export class UsageError extends Error {}

interface ShortInfo {
  arg: ArgMode;
}

function parseShortSpec(spec: string): Map<string, ShortInfo> {
  const map = new Map<string, ShortInfo>();
  for (let i = 0; i < spec.length; i++) {
    const letter = spec[i];
    let arg: ArgMode = "none";
    if (spec[i + 1] === ":") {
      arg = spec[i + 2] === ":" ? "optional" : "required";
      i += arg === "optional" ? 2 : 1;
    }
    map.set(letter, { arg });
  }
  return map;
}

/**
 * Parses `args` (argv without the program name). `stopAtFirstOperand` gives POSIX order (no
 * permutation). `numericShort` lets "-5"-like digits through as operands when not in the spec.
 */
export function getopt(
  args: string[],
  shortSpec: string,
  longs: LongOption[] = [],
  config: { stopAtFirstOperand?: boolean } = {},
): ParsedArgs {
  const shorts = parseShortSpec(shortSpec);
  const options: ParsedOption[] = [];
  const operands: string[] = [];
  let i = 0;
  while (i < args.length) {
    const arg = args[i++];
    if (arg === "--") {
      operands.push(...args.slice(i));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const inline = eq < 0 ? undefined : arg.slice(eq + 1);
      const exact = longs.find((l) => l.name === name);
      let match = exact;
      if (!match) {
        const candidates = longs.filter((l) => l.name.startsWith(name));
        const distinct = candidates.filter(
          (c, idx) =>
            candidates.findIndex(
              (d) => (d.key ?? d.name) === (c.key ?? c.name) && d.arg === c.arg,
            ) === idx,
        );
        if (distinct.length > 1) {
          const list = candidates.map((c) => `'--${c.name}'`).join(" ");
          throw new UsageError(
            `option '${arg.slice(0, eq < 0 ? arg.length : eq)}' is ambiguous; possibilities: ${list}`,
          );
        }
        match = candidates[0];
      }
      if (!match) throw new UsageError(`unrecognized option '${arg}'`);
      const spelled = `--${match.name}`;
      let value: string | undefined;
      if (match.arg === "none") {
        if (inline !== undefined)
          throw new UsageError(`option '${spelled}' doesn't allow an argument`);
      } else if (inline !== undefined) {
        value = inline;
      } else if (match.arg === "required") {
        if (i >= args.length) throw new UsageError(`option '${spelled}' requires an argument`);
        value = args[i++];
      }
      options.push({ key: match.key ?? match.name, value, spelled });
      continue;
    }
    if (arg.length > 1 && arg.startsWith("-")) {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j];
        const info = shorts.get(letter);
        if (!info) throw new UsageError(`invalid option -- '${letter}'`);
        if (info.arg === "none") {
          options.push({ key: letter, value: undefined, spelled: `-${letter}` });
          continue;
        }
        let value: string | undefined = arg.slice(j + 1);
        if (value === "") {
          if (info.arg === "optional") value = undefined;
          else if (i < args.length) value = args[i++];
          else throw new UsageError(`option requires an argument -- '${letter}'`);
        }
        options.push({ key: letter, value, spelled: `-${letter}` });
        break;
      }
      continue;
    }
    operands.push(arg);
    if (config.stopAtFirstOperand) {
      operands.push(...args.slice(i));
      break;
    }
  }
  return { options, operands };
}

/** Prints a usage error as GNU does and returns `status`. */
export async function reportUsage(
  ctx: { err(text: string): Promise<void> },
  program: string,
  message: string,
  status: number,
): Promise<number> {
  await ctx.err(`${program}: ${message}\nTry '${program} --help' for more information.\n`);
  return status;
}

/**
 * gnulib argmatch: `value` must equal or abbreviate one of `choices` (synonyms map to the same
 * `values` entry). Returns the matched value, or throws the GNU "invalid/ambiguous argument"
 * text (with the "Valid arguments are:" list) as a UsageError.
 */
export function argmatch<T>(value: string, option: string, choices: [string, T][]): T {
  const exact = choices.find(([name]) => name === value);
  if (exact) return exact[1];
  const partial = choices.filter(([name]) => name.startsWith(value));
  const distinct = new Set(partial.map(([, v]) => v));
  if (partial.length > 0 && distinct.size === 1) return partial[0][1];
  const kind = partial.length > 1 ? "ambiguous" : "invalid";
  let list = "Valid arguments are:";
  let last: T | undefined;
  let first = true;
  for (const [name, v] of choices) {
    if (!first && v === last) list += `, '${name}'`;
    else list += `\n  - '${name}'`;
    last = v;
    first = false;
  }
  throw new UsageError(`${kind} argument '${value}' for '${option}'\n${list}`);
}

/** xstrtoumax-style non-negative decimal; undefined when invalid; huge values saturate. */
export function parseCount(text: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*\+?(\d+)$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER;
}

/** gnulib quote() in the C locale: 'text'. */
export function quote(s: string): string {
  return `'${s.replace(/'/g, "'\\''")}'`;
}
