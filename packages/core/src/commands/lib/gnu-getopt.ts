/**
 * GNU getopt_long as the GNU tools use it: short options clustered (`-nA2`), arguments attached
 * or separate, long options abbreviated to a unique prefix, `--` ends options, and operands
 * permuted (options may follow operands) unless POSIXLY_CORRECT is set. Errors carry glibc's
 * wording; the caller prints them with its own usage text.
 */

export interface LongOption {
  name: string;
  arg: "none" | "required" | "optional";
  /** What the parsed option reports (e.g. the equivalent short letter). */
  key: string;
}

export interface ParsedOption {
  key: string;
  value?: string;
  /** The option as written (for messages). */
  text: string;
  /** Index in `args` of the argument it came from. */
  index: number;
}

export interface GetoptResult {
  options: ParsedOption[];
  operands: string[];
}

export class GetoptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GetoptError";
  }
}

/**
 * Parses `args` (argv without the program name). `shorts` uses getopt's syntax: a letter,
 * followed by ":" for a required argument or "::" for an optional one.
 */
export function gnuGetopt(
  args: string[],
  shorts: string,
  longs: LongOption[],
  options: { permute?: boolean } = {},
): GetoptResult {
  const permute = options.permute !== false;
  const shortArg = new Map<string, "none" | "required" | "optional">();
  for (let i = 0; i < shorts.length; i++) {
    const c = shorts[i];
    if (c === ":") continue;
    if (shorts[i + 1] === ":") {
      shortArg.set(c, shorts[i + 2] === ":" ? "optional" : "required");
    } else {
      shortArg.set(c, "none");
    }
  }
  const parsed: ParsedOption[] = [];
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
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      let opt = longs.find((o) => o.name === name);
      if (opt === undefined) {
        const matches = longs.filter((o) => o.name.startsWith(name));
        const distinct = new Set(matches.map((o) => `${o.key}\0${o.arg}`));
        if (matches.length === 0) throw new GetoptError(`unrecognized option '${arg}'`);
        if (distinct.size > 1) {
          const seen = new Set<string>();
          const names = matches
            .filter((o) => !seen.has(o.name) && seen.add(o.name))
            .map((o) => ` '--${o.name}'`)
            .join("");
          throw new GetoptError(
            `option '${arg.slice(0, eq < 0 ? undefined : eq)}' is ambiguous; possibilities:${names}`,
          );
        }
        opt = matches[0];
      }
      if (eq >= 0) {
        if (opt.arg === "none") {
          throw new GetoptError(`option '--${opt.name}' doesn't allow an argument`);
        }
        parsed.push({
          key: opt.key,
          value: arg.slice(eq + 1),
          text: `--${opt.name}`,
          index: i - 1,
        });
      } else if (opt.arg === "required") {
        if (i >= args.length) throw new GetoptError(`option '--${opt.name}' requires an argument`);
        parsed.push({ key: opt.key, value: args[i++], text: `--${opt.name}`, index: i - 1 });
      } else {
        parsed.push({ key: opt.key, text: `--${opt.name}`, index: i - 1 });
      }
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const c = arg[j];
        const kind = shortArg.get(c);
        if (kind === undefined) throw new GetoptError(`invalid option -- '${c}'`);
        if (kind === "none") {
          parsed.push({ key: c, text: `-${c}`, index: i - 1 });
          continue;
        }
        const rest = arg.slice(j + 1);
        if (rest.length > 0) {
          parsed.push({ key: c, value: rest, text: `-${c}`, index: i - 1 });
        } else if (kind === "optional") {
          parsed.push({ key: c, text: `-${c}`, index: i - 1 });
        } else {
          if (i >= args.length) throw new GetoptError(`option requires an argument -- '${c}'`);
          parsed.push({ key: c, value: args[i++], text: `-${c}`, index: i - 1 });
        }
        break;
      }
      continue;
    }
    operands.push(arg);
    if (!permute) {
      operands.push(...args.slice(i));
      break;
    }
  }
  return { options: parsed, operands };
}
