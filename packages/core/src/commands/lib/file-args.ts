/**
 * GNU getopt_long-style argument parsing for the file commands: short option clusters
 * ("-la"), attached or separate arguments ("-m755", "-m 755"), long options with unique-prefix
 * abbreviation and "=value", "--" to end options, and operands permuted after options (unless
 * POSIXLY_CORRECT-style `stopAtOperand`). Errors carry GNU's exact wording.
 */

export type ArgKind = "none" | "required" | "optional";

export interface LongOption {
  name: string;
  arg: ArgKind;
  /** The key reported for it; defaults to the long name. */
  key?: string;
}

export interface ParsedOption {
  /** The short letter, or the long option's key. */
  key: string;
  value: string | undefined;
  /** As written, for messages: "-m" or "--mode". */
  spelled: string;
}

export interface ParsedArgs {
  options: ParsedOption[];
  operands: string[];
}

export class UsageError extends Error {}

/**
 * `shorts` is a getopt string ("ab:c::" → a flag, b required, c optional argument); a leading
 * "+" stops at the first operand. Throws UsageError with GNU's message (without the program
 * name prefix and without the "Try" line).
 */
export function parseArgs(args: string[], shorts: string, longs: LongOption[] = []): ParsedArgs {
  const stopAtOperand = shorts.startsWith("+");
  const shortKinds = new Map<string, ArgKind>();
  const spec = stopAtOperand ? shorts.slice(1) : shorts;
  for (let i = 0; i < spec.length; i++) {
    const letter = spec[i];
    let kind: ArgKind = "none";
    if (spec[i + 1] === ":") {
      kind = spec[i + 2] === ":" ? "optional" : "required";
      i += kind === "optional" ? 2 : 1;
    }
    shortKinds.set(letter, kind);
  }
  const options: ParsedOption[] = [];
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const exact = longs.find((l) => l.name === name);
      let found = exact;
      if (!found) {
        const matches = longs.filter((l) => l.name.startsWith(name));
        const distinct = matches.filter(
          (m, idx) =>
            matches.findIndex((o) => (o.key ?? o.name) === (m.key ?? m.name) && o.arg === m.arg) ===
            idx,
        );
        if (distinct.length > 1) {
          const list = matches.map((m) => ` '--${m.name}'`).join("");
          throw new UsageError(`option '${arg}' is ambiguous; possibilities:${list}`);
        }
        found = matches[0];
      }
      if (!found) throw new UsageError(`unrecognized option '${arg}'`);
      let value: string | undefined;
      if (eq >= 0) {
        if (found.arg === "none") {
          throw new UsageError(`option '--${found.name}' doesn't allow an argument`);
        }
        value = arg.slice(eq + 1);
      } else if (found.arg === "required") {
        if (i + 1 >= args.length) {
          throw new UsageError(`option '--${found.name}' requires an argument`);
        }
        value = args[++i];
      }
      options.push({ key: found.key ?? found.name, value, spelled: `--${found.name}` });
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j];
        const kind = shortKinds.get(letter);
        if (kind === undefined) throw new UsageError(`invalid option -- '${letter}'`);
        if (kind === "none") {
          options.push({ key: letter, value: undefined, spelled: `-${letter}` });
          continue;
        }
        let value: string | undefined = arg.slice(j + 1);
        if (value === "") {
          if (kind === "required") {
            if (i + 1 >= args.length) {
              throw new UsageError(`option requires an argument -- '${letter}'`);
            }
            value = args[++i];
          } else value = undefined;
        }
        options.push({ key: letter, value, spelled: `-${letter}` });
        break;
      }
      continue;
    }
    if (stopAtOperand) {
      operands.push(...args.slice(i));
      break;
    }
    operands.push(arg);
  }
  return { options, operands };
}

/** "cmd: message\nTry 'cmd --help' for more information.\n" */
export function usageText(cmd: string, message: string): string {
  return `${cmd}: ${message}\nTry '${cmd} --help' for more information.\n`;
}

/**
 * GNU argmatch failure text for an invalid enumerated argument, e.g. --color=bad.
 * `groups` lists the valid spellings, synonyms grouped on one line.
 */
export function invalidArgText(
  cmd: string,
  value: string,
  option: string,
  groups: string[][],
): string {
  const lines = groups.map((g) => `  - ${g.map((s) => `'${s}'`).join(", ")}\n`).join("");
  return `${cmd}: invalid argument '${value}' for '${option}'\nValid arguments are:\n${lines}Try '${cmd} --help' for more information.\n`;
}
