/**
 * bc (GNU bc 1.07.1): arbitrary precision calculator. Reads the files named, then standard
 * input, compiling and running each line as it is read. Options: -l -q -s -w -i -h -v (and
 * their long forms), BC_ENV_ARGS, BC_LINE_LENGTH, POSIXLY_CORRECT. The language, the machine
 * and the numbers live in lib/bc-*.ts; this file is the command line and the I/O.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { BcLexer, type LexSource } from "./lib/bc-lexer.ts";
import { BcExit, BcMachine } from "./lib/bc-machine.ts";
import { MATHLIB, MATHLIB_FUNCTIONS } from "./lib/bc-mathlib.ts";
import { BcCompiler } from "./lib/bc-parse.ts";

const USAGE = (prog: string): string =>
  `usage: ${prog} [options] [file ...]
  -h  --help         print this usage and exit
  -i  --interactive  force interactive mode
  -l  --mathlib      use the predefined math routines
  -q  --quiet        don't print initial banner
  -s  --standard     non-standard bc constructs are errors
  -w  --warn         warn about non-standard bc constructs
  -v  --version      print version information and exit
`;

const VERSION = `bc 1.07.1
Copyright 1991-1994, 1997, 1998, 2000, 2004, 2006, 2008, 2012-2017 Free Software Foundation, Inc.
`;

const WELCOME =
  "This is free software with ABSOLUTELY NO WARRANTY.\nFor details type `warranty'. \n";

const LONG = ["compile", "help", "interactive", "mathlib", "quiet", "standard", "version", "warn"];

interface Options {
  interactive: boolean;
  math: boolean;
  quiet: boolean;
  std: boolean;
  warn: boolean;
  files: string[];
}

class Exit extends Error {
  readonly status: number;
  constructor(status: number) {
    super("exit");
    this.status = status;
  }
}

/** Output in order across stdout and stderr, written in large chunks. */
class OutQueue {
  readonly ctx: ProcessContext;
  #parts: [number, string][] = [];
  #size = 0;

  constructor(ctx: ProcessContext) {
    this.ctx = ctx;
  }

  push(fd: number, text: string): void {
    const last = this.#parts[this.#parts.length - 1];
    if (last !== undefined && last[0] === fd) last[1] += text;
    else this.#parts.push([fd, text]);
    this.#size += text.length;
  }

  get size(): number {
    return this.#size;
  }

  async flush(): Promise<void> {
    const parts = this.#parts;
    this.#parts = [];
    this.#size = 0;
    for (const [fd, text] of parts) await this.ctx.write(fd, Buffer.from(text, "latin1"));
  }
}

function parseArgs(argv: string[], o: Options, out: OutQueue, prog: string): void {
  let i = 0;
  const operands: string[] = [];
  const bad = (msg: string): never => {
    out.push(2, `${prog}: ${msg}\n`);
    out.push(1, USAGE(prog));
    throw new Exit(1);
  };
  const apply = (letter: string): void => {
    switch (letter) {
      case "h":
        out.push(1, USAGE(prog));
        throw new Exit(0);
      case "i":
        o.interactive = true;
        return;
      case "l":
        o.math = true;
        return;
      case "q":
        o.quiet = true;
        return;
      case "s":
        o.std = true;
        return;
      case "w":
        o.warn = true;
        return;
      case "v":
        out.push(1, VERSION);
        throw new Exit(0);
      case "c":
        out.push(2, `${prog}: option '-c' is not supported\n`);
        throw new Exit(1);
      default:
        bad(`invalid option -- '${letter}'`);
    }
  };
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const name = arg.slice(2).split("=")[0];
      const hits = LONG.filter((l) => l.startsWith(name));
      const exact = LONG.includes(name) ? [name] : hits;
      if (exact.length === 0) bad(`unrecognized option '${arg}'`);
      if (exact.length > 1) {
        bad(
          `option '${arg}' is ambiguous; possibilities:${exact.map((h) => ` '--${h}'`).join("")}`,
        );
      }
      if (arg.includes("=")) bad(`option '--${exact[0]}' doesn't allow an argument`);
      const letter: Record<string, string> = {
        compile: "c",
        help: "h",
        interactive: "i",
        mathlib: "l",
        quiet: "q",
        standard: "s",
        version: "v",
        warn: "w",
      };
      apply(letter[exact[0]]);
      continue;
    }
    if (arg.startsWith("-") && arg !== "-") {
      for (const letter of arg.slice(1)) apply(letter);
      continue;
    }
    operands.push(arg);
  }
  o.files.push(...operands);
}

/** C atoi. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  const n = Number.parseInt(m[1], 10);
  return Number.isFinite(n) ? Math.max(-2147483648, Math.min(2147483647, n)) : 0;
}

const latin1 = (b: Uint8Array): string => Buffer.from(b).toString("latin1");

export const bc: CommandDefinition = {
  name: "bc",
  async main(ctx) {
    const out = new OutQueue(ctx);
    const prog = "bc";
    const o: Options = {
      interactive: false,
      math: false,
      quiet: false,
      std: false,
      warn: false,
      files: [],
    };
    let status = 0;
    try {
      try {
        if (ctx.isatty(0) && ctx.isatty(1)) o.interactive = true;
      } catch {
        // No terminal.
      }
      const envArgs = ctx.env.BC_ENV_ARGS;
      if (envArgs !== undefined) parseArgs(envArgs.split(" ").filter(Boolean), o, out, prog);
      parseArgs(ctx.argv.slice(1), o, out, prog);
      if (ctx.env.POSIXLY_CORRECT !== undefined) o.std = true;
      await run(ctx, o, out);
    } catch (err) {
      if (err instanceof Exit) status = err.status;
      else if (err instanceof BcExit) status = err.status;
      else {
        await out.flush();
        throw err;
      }
    }
    await out.flush();
    return status;
  },
};

async function run(ctx: ProcessContext, o: Options, out: OutQueue): Promise<void> {
  let stdinBuf: Uint8Array = new Uint8Array(0);
  let stdinPos = 0;
  let stdinEof = false;
  const machine = new BcMachine({
    out: (text) => out.push(1, text),
    err: (text) => out.push(2, text),
    maybeFlush: async () => {
      if (out.size >= 65536) await out.flush();
      if (!ctx.alive) throw new BcExit(1);
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
    readByte: async () => {
      if (stdinPos >= stdinBuf.length) {
        if (stdinEof) return -1;
        await out.flush();
        const chunk = await ctx.read(0);
        if (chunk === null || chunk.length === 0) {
          stdinEof = true;
          return -1;
        }
        stdinBuf = chunk;
        stdinPos = 0;
      }
      return stdinBuf[stdinPos++];
    },
  });
  machine.stdOnly = o.std;
  machine.warnNotStd = o.warn;
  const lineEnv = ctx.env.BC_LINE_LENGTH;
  if (lineEnv !== undefined) {
    machine.lineSize = atoi(lineEnv);
    if (machine.lineSize < 3 && machine.lineSize !== 0) machine.lineSize = 70;
  }

  const files = [...o.files];
  let current: LexSource | null = null;
  let isStdin = false;
  const lexer = new BcLexer({
    error: (message) => compiler.yyerror(message),
    raw: (message) => out.push(2, message),
    stdOnly: () => machine.stdOnly,
    nextSource: async () => openNext(),
  });
  const compiler = new BcCompiler(lexer, machine, {
    err: (text) => out.push(2, text),
    print: (text) => out.push(1, text),
    fileName: () => (current === null || current.isStdin ? undefined : current.name),
  });

  /** open_new_file: the next file, then stdin; false once stdin has ended. */
  const openNext = async (): Promise<boolean> => {
    lexer.lineNo = 1;
    if (isStdin) return false;
    const name = files.shift();
    if (name !== undefined) {
      let text: string;
      try {
        text = latin1(await ctx.readFile(name));
      } catch (err) {
        if (!ctx.alive) throw err;
        out.push(2, `File ${name} is unavailable.\n`);
        throw new Exit(1);
      }
      let done = false;
      current = {
        name,
        isStdin: false,
        read: async () => {
          if (done) return null;
          done = true;
          return text;
        },
      };
      lexer.setSource(current);
      return true;
    }
    isStdin = true;
    const readChunk = async (): Promise<string | null> => {
      await out.flush();
      const chunk = await ctx.read(0);
      return chunk === null || chunk.length === 0 ? null : latin1(chunk);
    };
    // Interactive input goes through readline, which hands over one line at a time and,
    // when stdin is not a terminal, echoes it.
    let echo = false;
    try {
      echo = o.interactive && !ctx.isatty(0);
    } catch {
      echo = o.interactive;
    }
    let pending = "";
    let ended = false;
    const readLine = async (): Promise<string | null> => {
      for (;;) {
        const nl = pending.indexOf("\n");
        if (nl >= 0 || (ended && pending !== "")) {
          const line = nl >= 0 ? pending.slice(0, nl) : pending;
          pending = nl >= 0 ? pending.slice(nl + 1) : "";
          out.push(1, `${line}\n`);
          return `${line}\n`;
        }
        if (ended) return null;
        const more = await readChunk();
        if (more === null) ended = true;
        else pending += more;
      }
    };
    current = {
      name: "(standard_in)",
      isStdin: true,
      read: echo ? readLine : readChunk,
    };
    lexer.setSource(current);
    return true;
  };

  if (o.math) {
    // The library is compiled from source here, with its own variable names (GNU loads it
    // precompiled); only its function names stay.
    compiler.quietWarnings = true;
    const saveStd = machine.stdOnly;
    machine.stdOnly = false;
    for (const name of MATHLIB_FUNCTIONS) compiler.lookup(name, "FUNCT");
    let done = false;
    lexer.setSource({
      name: "libmath",
      isStdin: false,
      read: async () => {
        if (done) return null;
        done = true;
        return MATHLIB;
      },
    });
    const libLexerHooks = lexer.hooks.nextSource;
    (lexer.hooks as { nextSource: () => Promise<boolean> }).nextSource = async () => false;
    await compiler.parseProgram();
    (lexer.hooks as { nextSource: () => Promise<boolean> }).nextSource = libLexerHooks;
    compiler.resetVariableNames();
    compiler.quietWarnings = false;
    compiler.useMath = true;
    machine.stdOnly = saveStd;
  }
  await openNext();
  if (o.interactive && !o.quiet) out.push(1, VERSION + WELCOME);
  await compiler.parseProgram();
}
