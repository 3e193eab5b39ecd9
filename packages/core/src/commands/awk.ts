/**
 * awk / gawk: POSIX awk plus the gawk extensions scripts commonly use, compared against GNU awk
 * 5.2. Options: -F fs, -v var=val, -f progfile (repeatable), -e program-text, --, -V/--version,
 * -h/--help. The language front end and interpreter live in lib/awk-*.ts (hand-written: no npm
 * package implements awk with gawk-compatible semantics and diagnostics).
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError } from "./errors.ts";
import { runProgram } from "./lib/awk-interpreter.ts";
import { type AwkSource, AwkSyntaxError } from "./lib/awk-lexer.ts";
import { type Program, parseProgram } from "./lib/awk-parser.ts";
import { bytesToLatin1, externalToLatin1, latin1ToBytes } from "./lib/awk-value.ts";

const USAGE = `Usage: awk [POSIX or GNU style options] -f progfile [--] file ...
Usage: awk [POSIX or GNU style options] [--] 'program' file ...
POSIX options:\t\tGNU long options: (standard)
\t-f progfile\t\t--file=progfile
\t-F fs\t\t\t--field-separator=fs
\t-v var=val\t\t--assign=var=val
Short options:\t\tGNU long options: (extensions)
\t-b\t\t\t--characters-as-bytes
\t-c\t\t\t--traditional
\t-C\t\t\t--copyright
\t-d[file]\t\t--dump-variables[=file]
\t-D[file]\t\t--debug[=file]
\t-e 'program-text'\t--source='program-text'
\t-E file\t\t\t--exec=file
\t-g\t\t\t--gen-pot
\t-h\t\t\t--help
\t-i includefile\t\t--include=includefile
\t-I\t\t\t--trace
\t-l library\t\t--load=library
\t-L[fatal|invalid|no-ext]\t--lint[=fatal|invalid|no-ext]
\t-M\t\t\t--bignum
\t-N\t\t\t--use-lc-numeric
\t-n\t\t\t--non-decimal-data
\t-o[file]\t\t--pretty-print[=file]
\t-O\t\t\t--optimize
\t-p[file]\t\t--profile[=file]
\t-P\t\t\t--posix
\t-r\t\t\t--re-interval
\t-s\t\t\t--no-optimize
\t-S\t\t\t--sandbox
\t-t\t\t\t--lint-old
\t-V\t\t\t--version

To report bugs, use the \`gawkbug' program.
For full instructions, see the node \`Bugs' in \`gawk.info'
which is section \`Reporting Problems and Bugs' in the
printed version.  This same information may be found at
https://www.gnu.org/software/gawk/manual/html_node/Bugs.html.
PLEASE do NOT try to report bugs by posting in comp.lang.awk,
or by using a web forum such as Stack Overflow.

gawk is a pattern scanning and processing language.
By default it reads standard input and writes standard output.

Examples:
\tawk '{ sum += $1 }; END { print sum }' file
\tawk -F: '{ print $1 }' /etc/passwd
`;

const VERSION = `GNU Awk 5.2.1, API 3.2 (agentOS TypeScript implementation)
Copyright (C) 1989, 1991-2022 Free Software Foundation.
`;

/** Options accepted and ignored (they do not change behaviour here). */
const IGNORED_SHORT = new Set(["b", "O", "s", "r", "N", "S"]);
const IGNORED_LONG = new Set([
  "--characters-as-bytes",
  "--optimize",
  "--no-optimize",
  "--re-interval",
  "--use-lc-numeric",
  "--sandbox",
]);

interface Cli {
  fs?: string;
  assigns: Array<[string, string]>;
  progFiles: string[];
  sources: string[];
  operands: string[];
}

async function usage(ctx: ProcessContext, code: number): Promise<number> {
  await (code === 0 ? ctx.out(USAGE) : ctx.err(USAGE));
  return code;
}

async function addAssign(ctx: ProcessContext, cli: Cli, spec: string): Promise<boolean> {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(spec);
  if (!m) {
    await ctx.err(`awk: \`${spec}' argument to \`-v' not in \`var=value' form\n\n`);
    return false;
  }
  cli.assigns.push([m[1], spec.slice(m[0].length)]);
  return true;
}

export const awk: CommandDefinition = {
  name: "awk",
  main: awkMain,
};

export const gawk: CommandDefinition = {
  name: "gawk",
  main: awkMain,
};

async function awkMain(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  const cli: Cli = { assigns: [], progFiles: [], sources: [], operands: [] };
  let i = 0;
  // Options come first; the first non-option is the program (unless -f/-e gave one).
  while (i < args.length) {
    const arg = args[i];
    if (arg === "--") {
      i++;
      break;
    }
    if (!arg.startsWith("-") || arg === "-") break;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq >= 0 ? arg.slice(0, eq) : arg;
      const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
      const takeValue = (): string | undefined => {
        if (inline !== undefined) return inline;
        i++;
        return args[i];
      };
      switch (name) {
        case "--field-separator": {
          const v = takeValue();
          if (v === undefined) return usage(ctx, 1);
          cli.fs = v;
          break;
        }
        case "--assign": {
          const v = takeValue();
          if (v === undefined) return usage(ctx, 1);
          if (!(await addAssign(ctx, cli, v))) return usage(ctx, 1);
          break;
        }
        case "--file": {
          const v = takeValue();
          if (v === undefined) return usage(ctx, 1);
          cli.progFiles.push(v);
          cli.sources.push(`\0file:${v}`);
          break;
        }
        case "--source": {
          const v = takeValue();
          if (v === undefined) return usage(ctx, 1);
          cli.sources.push(v);
          break;
        }
        case "--version":
          await ctx.out(VERSION);
          return 0;
        case "--help":
          return usage(ctx, 0);
        default:
          if (IGNORED_LONG.has(name)) break;
          await ctx.err(`awk: option '${name}' is not supported\n`);
          return usage(ctx, 1);
      }
      i++;
      continue;
    }
    // Short options, possibly clustered; -F/-v/-f/-e take a value (attached or next arg).
    let j = 1;
    let consumedNext = false;
    while (j < arg.length) {
      const letter = arg[j];
      if (letter === "F" || letter === "v" || letter === "f" || letter === "e") {
        let value = arg.slice(j + 1);
        if (value === "") {
          if (i + 1 >= args.length) {
            await ctx.err(`awk: option requires an argument -- ${letter}\n`);
            return usage(ctx, 1);
          }
          value = args[i + 1];
          consumedNext = true;
        }
        if (letter === "F") cli.fs = value;
        else if (letter === "v") {
          if (!(await addAssign(ctx, cli, value))) return usage(ctx, 1);
        } else if (letter === "f") {
          cli.progFiles.push(value);
          cli.sources.push(`\0file:${value}`);
        } else cli.sources.push(value);
        break;
      }
      if (letter === "V") {
        await ctx.out(VERSION);
        return 0;
      }
      if (letter === "h") return usage(ctx, 0);
      if (IGNORED_SHORT.has(letter)) {
        j++;
        continue;
      }
      await ctx.err(`awk: option '-${letter}' is not supported\n`);
      return usage(ctx, 1);
    }
    i += consumedNext ? 2 : 1;
  }
  const rest = args.slice(i);
  const sources: AwkSource[] = [];
  if (cli.sources.length === 0) {
    if (rest.length === 0) return usage(ctx, 1);
    sources.push({ name: "cmd. line", text: externalToLatin1(rest.shift() as string) });
  } else {
    for (const s of cli.sources) {
      if (s.startsWith("\0file:")) {
        const file = s.slice(6);
        try {
          const path = file === "-" ? "/dev/stdin" : file;
          const data = file === "-" ? await ctx.readAll(0) : await ctx.readFile(path);
          sources.push({ name: externalToLatin1(file), text: bytesToLatin1(data) });
        } catch (err) {
          if (!ctx.alive) throw err;
          await ctx.err(
            `awk: fatal: cannot open source file \`${file}' for reading: ${describeError(err)}\n`,
          );
          return 2;
        }
      } else sources.push({ name: "cmd. line", text: externalToLatin1(s) });
    }
  }
  cli.operands = rest;

  let program: Program;
  const warnings: string[] = [];
  try {
    program = parseProgram(sources, (src, pos, message) => {
      const { line } = locate(sources[src].text, pos);
      warnings.push(`awk: ${sources[src].name}:${line}: ${message}\n`);
    });
  } catch (err) {
    if (err instanceof AwkSyntaxError) {
      for (const w of warnings) await ctx.err(latin1ToBytes(w));
      await ctx.err(latin1ToBytes(formatSyntaxError(sources, err)));
      return 1;
    }
    throw err;
  }
  for (const w of warnings) await ctx.err(latin1ToBytes(w));
  return runProgram(ctx, program, { args: cli.operands, assigns: cli.assigns, fs: cli.fs });
}

function locate(text: string, pos: number): { line: number; lineText: string; col: number } {
  let line = 1;
  let start = 0;
  for (let k = 0; k < pos && k < text.length; k++) {
    if (text[k] === "\n") {
      line++;
      start = k + 1;
    }
  }
  let end = text.indexOf("\n", start);
  if (end < 0) end = text.length;
  return { line, lineText: text.slice(start, end), col: pos - start };
}

function formatSyntaxError(sources: AwkSource[], err: AwkSyntaxError): string {
  const src = sources[err.src] ?? sources[0];
  const text = src?.text ?? "";
  const name = src?.name ?? "cmd. line";
  const loc = locate(text, err.pos);
  let line = loc.line;
  // gawk has already counted the newline it choked on.
  if (text[err.pos] === "\n") line++;
  const where = `awk: ${name}:${line}: `;
  if (err.plain) return `${where}${err.message}\n`;
  let col = loc.col;
  if (err.message === "unterminated regexp" || err.message.startsWith("invalid char")) col++;
  const msg = err.message.startsWith("invalid char") ? "syntax error" : err.message;
  return `${where}${loc.lineText}\n${where}${" ".repeat(Math.max(0, col))}^ ${msg}\n`;
}
