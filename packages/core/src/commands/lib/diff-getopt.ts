/**
 * GNU getopt_long as used by diffutils and patch: argument permutation, clustered short
 * options, "--" ending options, long options by unique prefix, and glibc's exact messages
 * ("invalid option -- 'k'", "option '--u' is ambiguous; possibilities: ...").
 */

export interface LongOption {
  name: string;
  /** "none", "required" or "optional" (optional arguments only with "="). */
  arg: "none" | "required" | "optional";
  /** Key reported for this option (defaults to the long name). */
  key?: string;
}

export interface ParsedOption {
  /** The short option letter, or the key of the long option. */
  key: string;
  value?: string;
  /** How the option was written, for messages ("-U", "--unified"). */
  spelled: string;
}

export type GetoptResult =
  | { ok: true; options: ParsedOption[]; operands: string[]; optionArgs: string[] }
  | { ok: false; message: string };

/**
 * Parses `args` (argv without the program name). `shorts` is a getopt string ("ab:c::").
 * `optionArgs` keeps the option words in their original order (for diff's "diff -r" header).
 */
export function getoptLong(args: string[], shorts: string, longs: LongOption[]): GetoptResult {
  const options: ParsedOption[] = [];
  const operands: string[] = [];
  const optionArgs: string[] = [];
  const shortSpec = new Map<string, "none" | "required" | "optional">();
  for (let i = 0; i < shorts.length; i++) {
    const ch = shorts[i];
    if (ch === ":" || ch === "+" || ch === "-") continue;
    if (shorts[i + 1] === ":") {
      if (shorts[i + 2] === ":") {
        shortSpec.set(ch, "optional");
        i += 2;
      } else {
        shortSpec.set(ch, "required");
        i += 1;
      }
    } else shortSpec.set(ch, "none");
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      optionArgs.push(arg);
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      optionArgs.push(arg);
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const exact = longs.find((o) => o.name === name);
      let opt = exact;
      if (!opt) {
        const matches = longs.filter((o) => o.name.startsWith(name));
        if (matches.length === 0) return { ok: false, message: `unrecognized option '${arg}'` };
        const keys = new Set(matches.map((o) => `${o.key ?? o.name}/${o.arg}`));
        if (keys.size > 1) {
          const list = matches.map((o) => ` '--${o.name}'`).join("");
          return { ok: false, message: `option '${arg}' is ambiguous; possibilities:${list}` };
        }
        opt = matches[0];
      }
      const spelled = `--${opt.name}`;
      let value: string | undefined;
      if (eq >= 0) {
        if (opt.arg === "none")
          return { ok: false, message: `option '${spelled}' doesn't allow an argument` };
        value = arg.slice(eq + 1);
      } else if (opt.arg === "required") {
        if (i + 1 >= args.length)
          return { ok: false, message: `option '${spelled}' requires an argument` };
        value = args[++i];
        optionArgs.push(value);
      }
      options.push({ key: opt.key ?? opt.name, value, spelled });
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      optionArgs.push(arg);
      for (let j = 1; j < arg.length; j++) {
        const ch = arg[j];
        const spec = shortSpec.get(ch);
        if (spec === undefined) return { ok: false, message: `invalid option -- '${ch}'` };
        if (spec === "none") {
          options.push({ key: ch, spelled: `-${ch}` });
          continue;
        }
        if (j + 1 < arg.length) {
          options.push({ key: ch, value: arg.slice(j + 1), spelled: `-${ch}` });
        } else if (spec === "required") {
          if (i + 1 >= args.length)
            return { ok: false, message: `option requires an argument -- '${ch}'` };
          const value = args[++i];
          optionArgs.push(value);
          options.push({ key: ch, value, spelled: `-${ch}` });
        } else {
          options.push({ key: ch, spelled: `-${ch}` });
        }
        break;
      }
      continue;
    }
    operands.push(arg);
  }
  return { ok: true, options, operands, optionArgs };
}

/** Shell-quotes a word as GNU's quotearg "shell" style does for diff's switch string. */
export function shellQuoteWord(word: string): string {
  if (word !== "" && /^[A-Za-z0-9_./:=+,%@^-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, "'\\''")}'`;
}
