/**
 * A getopt_long work-alike for the line-oriented commands: short option clusters, long options
 * with unique-prefix abbreviation, argument permutation (GNU) or stop-at-first-operand (POSIX,
 * as xargs uses), and glibc's exact diagnostics ("invalid option -- 'x'", "unrecognized option
 * '--x'", "option '--v' is ambiguous; possibilities: ...").
 */

export type ArgKind = "none" | "required" | "optional";

export interface LongOption {
  name: string;
  arg: ArgKind;
  /** The key reported for this option (often the equivalent short letter). */
  key: string;
}

export interface OptionSpec {
  /** getopt-style letters: "n:" takes an argument, "d::" an optional one (attached only). */
  short: string;
  long?: LongOption[];
  /** Stop at the first operand (getopt's "+" mode) instead of permuting. */
  stopAtOperand?: boolean;
}

export interface ParsedOption {
  key: string;
  value: string | undefined;
  /** How the option was spelled ("-n" or "--lines"), for messages. */
  spelling: string;
}

export interface ParsedArgs {
  options: ParsedOption[];
  operands: string[];
}

/** A usage error: `message` is the first line of glibc's diagnostic (without the program name). */
export class UsageError extends Error {}

function shortKinds(short: string): Map<string, ArgKind> {
  const kinds = new Map<string, ArgKind>();
  for (let i = 0; i < short.length; i++) {
    const letter = short[i];
    if (letter === ":" || letter === "+") continue;
    let kind: ArgKind = "none";
    if (short[i + 1] === ":") {
      kind = short[i + 2] === ":" ? "optional" : "required";
    }
    kinds.set(letter, kind);
  }
  return kinds;
}

/** Parses `args` (argv without argv[0]); throws UsageError on a bad option. */
export function parseArgs(args: string[], spec: OptionSpec): ParsedArgs {
  const kinds = shortKinds(spec.short);
  const longs = spec.long ?? [];
  const options: ParsedOption[] = [];
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.length < 2 || arg[0] !== "-") {
      if (spec.stopAtOperand) {
        operands.push(...args.slice(i));
        break;
      }
      operands.push(arg);
      continue;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const exact = longs.find((l) => l.name === name);
      let match = exact;
      if (!match) {
        const candidates = longs.filter((l) => l.name.startsWith(name));
        if (candidates.length === 0) throw new UsageError(`unrecognized option '${arg}'`);
        if (new Set(candidates.map((c) => `${c.key}/${c.arg}`)).size > 1) {
          const list = candidates.map((c) => `'--${c.name}'`).join(" ");
          throw new UsageError(`option '--${name}' is ambiguous; possibilities: ${list}`);
        }
        match = candidates[0];
      }
      const spelling = `--${match.name}`;
      let value: string | undefined;
      if (eq >= 0) {
        if (match.arg === "none")
          throw new UsageError(`option '${spelling}' doesn't allow an argument`);
        value = arg.slice(eq + 1);
      } else if (match.arg === "required") {
        if (i + 1 >= args.length) throw new UsageError(`option '${spelling}' requires an argument`);
        value = args[++i];
      }
      options.push({ key: match.key, value, spelling });
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j];
      const kind = kinds.get(letter);
      if (kind === undefined) throw new UsageError(`invalid option -- '${letter}'`);
      if (kind === "none") {
        options.push({ key: letter, value: undefined, spelling: `-${letter}` });
        continue;
      }
      let value: string | undefined = arg.slice(j + 1);
      if (value === "") {
        if (kind === "optional") value = undefined;
        else if (i + 1 >= args.length)
          throw new UsageError(`option requires an argument -- '${letter}'`);
        else value = args[++i];
      }
      options.push({ key: letter, value, spelling: `-${letter}` });
      break;
    }
  }
  return { options, operands };
}

/** Writes glibc's usage diagnostic plus the "Try --help" line; returns nothing. */
export function usageText(program: string, message: string): string {
  return `${program}: ${message}\nTry '${program} --help' for more information.\n`;
}
