/**
 * pgrep / pkill (procps-ng): match processes by name (or full command line with -f) against
 * an extended regular expression. Options: -f -l -a -x -n -o -v -c -i -u/-U USERS -P PPIDS
 * -g PGRPS -s SIDS -d DELIM (pgrep), -SIGNAL / --signal SIG (pkill), -e/--echo (pkill).
 * Neither matches itself. Exit 0 if something matched, 1 if nothing, 2 for syntax errors.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError } from "./errors.ts";
import { compilePosixRegex, type PosixRegex, toLatin1 } from "./lib/posix-regex.ts";
import { lookupSignal } from "./lib/signal-names.ts";
import { readPasswd } from "./lib/user-db.ts";

/**
 * regcomp(REG_EXTENDED) takes an unmatched `)` as a literal (RE_UNMATCHED_RIGHT_PAREN_ORD),
 * where lib/posix-regex.ts (glibc dialect, as sed) rejects it: escape such parens first.
 */
function literalUnmatchedParens(pattern: string): string {
  let out = "";
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      out += pattern.slice(i, i + 2);
      i++;
    } else if (c === "[") {
      // Copy a bracket expression whole: `]` first is literal, [:class:] [.x.] [=x=] nest.
      let j = i + 1;
      if (pattern[j] === "^") j++;
      if (pattern[j] === "]") j++;
      while (j < pattern.length && pattern[j] !== "]") {
        const open = pattern[j] === "[" ? pattern[j + 1] : undefined;
        if (open === ":" || open === "." || open === "=") {
          const close = pattern.indexOf(`${open}]`, j + 2);
          j = close < 0 ? pattern.length : close + 2;
        } else j++;
      }
      out += pattern.slice(i, j + 1);
      i = j;
    } else if (c === "(") {
      depth++;
      out += c;
    } else if (c === ")") {
      if (depth === 0) out += "\\)";
      else {
        depth--;
        out += c;
      }
    } else out += c;
  }
  return out;
}

async function run(ctx: ProcessContext, kill: boolean): Promise<number> {
  const prog = kill ? "pkill" : "pgrep";
  const args = ctx.argv.slice(1);
  let full = false;
  let listName = false;
  let listFull = false;
  let exact = false;
  let newest = false;
  let oldest = false;
  let invert = false;
  let count = false;
  let ignoreCase = false;
  let echo = false;
  let delimiter = "\n";
  let signal = 15;
  const users: string[] = [];
  const parents: number[] = [];
  const groups: number[] = [];
  const sessions: number[] = [];
  const patterns: string[] = [];
  const bad = async (message: string): Promise<number> => {
    await ctx.err(`${prog}: ${message}\nTry \`${prog} --help' for more information.\n`);
    return 2;
  };
  const list = (v: string): string[] => v.split(",").filter((x) => x !== "");
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      patterns.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const [name, inline] = arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
      const value = (): string => inline ?? args[++i] ?? "";
      switch (name) {
        case "--full":
          full = true;
          break;
        case "--list-name":
          listName = true;
          break;
        case "--list-full":
          listFull = true;
          break;
        case "--exact":
          exact = true;
          break;
        case "--newest":
          newest = true;
          break;
        case "--oldest":
          oldest = true;
          break;
        case "--inverse":
          invert = true;
          break;
        case "--count":
          count = true;
          break;
        case "--ignore-case":
          ignoreCase = true;
          break;
        case "--echo":
          echo = true;
          break;
        case "--delimiter":
          delimiter = value();
          break;
        case "--signal": {
          const n = lookupSignal(value());
          if (n === undefined) return bad(`Unknown signal "${inline ?? args[i]}".`);
          signal = n;
          break;
        }
        case "--euid":
        case "--uid":
          users.push(...list(value()));
          break;
        case "--parent":
          parents.push(...list(value()).map(Number));
          break;
        case "--pgroup":
          groups.push(...list(value()).map(Number));
          break;
        case "--session":
          sessions.push(...list(value()).map(Number));
          break;
        default:
          return bad(`unrecognized option '${arg}'`);
      }
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      // pkill -SIGNAL (first word only, as procps).
      if (kill && i === 0) {
        const n = lookupSignal(arg.slice(1));
        if (n !== undefined && !/^[flaxnovcieuUPgsd]+$/.test(arg.slice(1))) {
          signal = n;
          continue;
        }
      }
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j];
        const value = (): string => {
          const v = j + 1 < arg.length ? arg.slice(j + 1) : (args[++i] ?? "");
          j = arg.length;
          return v;
        };
        switch (letter) {
          case "f":
            full = true;
            break;
          case "l":
            if (kill) return bad(`invalid option -- '${letter}'`);
            listName = true;
            break;
          case "a":
            if (kill) return bad(`invalid option -- '${letter}'`);
            listFull = true;
            break;
          case "x":
            exact = true;
            break;
          case "n":
            newest = true;
            break;
          case "o":
            oldest = true;
            break;
          case "v":
            invert = true;
            break;
          case "c":
            count = true;
            break;
          case "i":
            ignoreCase = true;
            break;
          case "e":
            if (!kill) return bad(`invalid option -- '${letter}'`);
            echo = true;
            break;
          case "d":
            if (kill) return bad(`invalid option -- '${letter}'`);
            delimiter = value();
            break;
          case "u":
          case "U":
            users.push(...list(value()));
            break;
          case "P":
            parents.push(...list(value()).map(Number));
            break;
          case "g":
            groups.push(...list(value()).map(Number));
            break;
          case "s":
            sessions.push(...list(value()).map(Number));
            break;
          default:
            return bad(`invalid option -- '${letter}'`);
        }
      }
      continue;
    }
    patterns.push(arg);
  }
  if (patterns.length > 1) return bad("only one pattern can be provided");
  const criteria = users.length + parents.length + groups.length + sessions.length;
  if (patterns.length === 0 && criteria === 0) return bad("no matching criteria specified");
  if (newest && oldest) return bad("-n and -o are mutually exclusive... choose one");
  let regex: PosixRegex | undefined;
  if (patterns.length === 1) {
    // As procps: regcomp(REG_EXTENDED | REG_NOSUB [| REG_ICASE]) of the pattern, or of
    // "^(PATTERN)$" for -x.
    const source = literalUnmatchedParens(toLatin1(exact ? `^(${patterns[0]})$` : patterns[0]));
    try {
      regex = compilePosixRegex(source, { extended: true, ignoreCase });
    } catch (err) {
      await ctx.err(`${prog}: regex error: ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
  }
  const passwd = await readPasswd(ctx);
  const uids: number[] = [];
  for (const u of users) {
    const entry = passwd.find((p) => p.name === u);
    if (entry) uids.push(entry.uid);
    else if (/^\d+$/.test(u)) uids.push(Number(u));
    else {
      await ctx.err(`${prog}: invalid user name: ${u}\n`);
      return 2;
    }
  }
  const selfPid = ctx.pid;
  let matches = ctx.kernel
    .list()
    .filter((p) => p.pid !== selfPid && p.status !== "exited" && p.driver !== "kernel")
    .map((p) => {
      let argv: string[];
      try {
        argv = [...ctx.kernel.process(p.pid).argv];
      } catch {
        argv = [p.command, ...p.args];
      }
      const name = p.command.slice(p.command.lastIndexOf("/") + 1).slice(0, 15);
      return { info: p, name, cmdline: argv.join(" ") };
    })
    .filter(({ info, name, cmdline }) => {
      let ok = true;
      if (uids.length > 0 && !uids.includes(info.uid)) ok = false;
      if (parents.length > 0 && !parents.includes(info.ppid)) ok = false;
      if (groups.length > 0 && !groups.includes(info.pgid === 0 ? info.pgid : info.pgid))
        ok = false;
      if (sessions.length > 0 && !sessions.includes(info.sid)) ok = false;
      if (ok && regex) ok = regex.test(toLatin1(full ? cmdline : name));
      return invert ? !ok : ok;
    })
    .sort((a, b) => a.info.pid - b.info.pid);
  if (newest || oldest) {
    if (matches.length > 0) {
      const pick = matches.reduce((best, m) =>
        newest
          ? m.info.startTime >= best.info.startTime
            ? m
            : best
          : m.info.startTime < best.info.startTime
            ? m
            : best,
      );
      matches = [pick];
    }
  }
  if (kill) {
    let out = "";
    let killed = 0;
    for (const m of matches) {
      try {
        ctx.kill(m.info.pid, signal);
        killed++;
        if (echo) out += `${m.name} killed (pid ${m.info.pid})\n`;
      } catch (err) {
        if (!ctx.alive) throw err;
        await ctx.err(`pkill: killing pid ${m.info.pid} failed: ${describeError(err)}\n`);
      }
    }
    if (count) out += `${killed}\n`;
    await ctx.out(out);
    return matches.length > 0 ? 0 : 1;
  }
  if (count) {
    await ctx.out(`${matches.length}\n`);
    return matches.length > 0 ? 0 : 1;
  }
  const items = matches.map((m) =>
    listFull
      ? `${m.info.pid} ${m.cmdline}`
      : listName
        ? `${m.info.pid} ${m.name}`
        : `${m.info.pid}`,
  );
  await ctx.out(items.length > 0 ? `${items.join(delimiter)}\n` : "");
  return matches.length > 0 ? 0 : 1;
}

export const pgrep: CommandDefinition = { name: "pgrep", main: (ctx) => run(ctx, false) };
export const pkill: CommandDefinition = { name: "pkill", main: (ctx) => run(ctx, true) };
