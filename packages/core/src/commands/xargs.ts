/**
 * xargs: builds command lines from standard input (or -a FILE) and runs them, as GNU findutils
 * 4.9 xargs: default blank/quote/backslash parsing, -0 and -d DELIM items, -n -L -s batching,
 * -I replacement, -E logical EOF, -r, -t, -p, -x, -P parallel runs (ctx.spawn + waitpid), and
 * GNU's exit statuses (123 a command failed, 124 one exited 255, 125 one was killed, 126 cannot
 * run, 127 not found). Children read /dev/null unless the items came from -a FILE.
 */
import { isKernelError } from "../fs/errors.ts";
import { O_RDONLY, O_RDWR } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { describeError } from "./errors.ts";
import { parseArgs, UsageError, usageText } from "./lib/line-getopt.ts";
import { quoteIfNeeded } from "./lib/line-io.ts";

const LONG = [
  { name: "null", arg: "none" as const, key: "0" },
  { name: "arg-file", arg: "required" as const, key: "a" },
  { name: "delimiter", arg: "required" as const, key: "d" },
  { name: "eof", arg: "optional" as const, key: "e" },
  { name: "replace", arg: "optional" as const, key: "i" },
  { name: "max-lines", arg: "optional" as const, key: "l" },
  { name: "max-args", arg: "required" as const, key: "n" },
  { name: "max-procs", arg: "required" as const, key: "P" },
  { name: "interactive", arg: "none" as const, key: "p" },
  { name: "no-run-if-empty", arg: "none" as const, key: "r" },
  { name: "max-chars", arg: "required" as const, key: "s" },
  { name: "verbose", arg: "none" as const, key: "t" },
  { name: "exit", arg: "none" as const, key: "x" },
  { name: "open-tty", arg: "none" as const, key: "o" },
  { name: "process-slot-var", arg: "required" as const, key: "process-slot-var" },
  { name: "show-limits", arg: "none" as const, key: "show-limits" },
  { name: "help", arg: "none" as const, key: "help" },
  { name: "version", arg: "none" as const, key: "version" },
];

const DEFAULT_SIZE = 131072;
const MAX_SIZE = 2091865;

class Fatal extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

interface Item {
  value: string;
  /** Last argument of a (non-continued) input line, for -L. */
  lineEnd: boolean;
}

const decoder = new TextDecoder();

/** Splits input into items: GNU's default quoting rules, or a plain delimiter byte. */
class Tokenizer {
  readonly items: Item[] = [];
  readonly #delim: number | undefined;
  readonly #eofStr: string | undefined;
  readonly #lineMode: boolean;
  #bytes: number[] = [];
  #hasArg = false;
  #quote = 0;
  #escape = false;
  #lastBlank = false;
  done = false;
  /** A quoting error: reading stops; pending arguments still run, then xargs fails. */
  error: Fatal | undefined;

  /** `lineMode`: -I, where each line is one item (leading blanks dropped). */
  constructor(delim: number | undefined, eofStr: string | undefined, lineMode: boolean) {
    this.#delim = delim;
    this.#eofStr = eofStr;
    this.#lineMode = lineMode;
  }

  #emit(lineEnd: boolean): void {
    const value = decoder.decode(Uint8Array.from(this.#bytes));
    this.#bytes = [];
    this.#hasArg = false;
    if (this.#delim === undefined && this.#eofStr !== undefined && value === this.#eofStr) {
      this.done = true;
      return;
    }
    this.items.push({ value, lineEnd });
  }

  feed(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length && !this.done; i++) {
      const b = chunk[i];
      if (this.#delim !== undefined) {
        if (b === this.#delim) this.#emit(true);
        else this.#bytes.push(b);
        continue;
      }
      if (this.#escape) {
        this.#bytes.push(b);
        this.#hasArg = true;
        this.#escape = false;
        this.#lastBlank = false;
        continue;
      }
      if (this.#quote !== 0) {
        if (b === this.#quote) this.#quote = 0;
        else if (b === 0x0a) {
          this.error = this.#unmatched();
          this.done = true;
        } else this.#bytes.push(b);
        continue;
      }
      if (b === 0x0a) {
        if (this.#lineMode) {
          if (this.#hasArg) this.#emit(true);
        } else if (this.#hasArg) this.#emit(!this.#lastBlank);
        else if (!this.#lastBlank && this.items.length > 0) {
          this.items[this.items.length - 1].lineEnd = true;
        }
        this.#lastBlank = false;
        continue;
      }
      if (b === 0x20 || b === 0x09) {
        if (this.#lineMode) {
          if (this.#hasArg) this.#bytes.push(b);
        } else if (this.#hasArg) this.#emit(false);
        this.#lastBlank = true;
        continue;
      }
      this.#lastBlank = false;
      this.#hasArg = true;
      if (b === 0x27 || b === 0x22) this.#quote = b;
      else if (b === 0x5c) this.#escape = true;
      else this.#bytes.push(b);
    }
  }

  #unmatched(): Fatal {
    const which = this.#quote === 0x27 ? "single" : "double";
    return new Fatal(
      `xargs: unmatched ${which} quote; by default quotes are special to xargs unless you use the -0 option\n`,
      1,
    );
  }

  end(): void {
    if (this.done) return;
    if (this.#delim !== undefined) {
      if (this.#bytes.length > 0) this.#emit(true);
      return;
    }
    if (this.#quote !== 0) {
      this.error = this.#unmatched();
      this.done = true;
      return;
    }
    if (this.#hasArg || this.#escape) {
      if (this.#lineMode) {
        while (
          this.#bytes.length > 0 &&
          (this.#bytes.at(-1) === 0x20 || this.#bytes.at(-1) === 0x09)
        )
          this.#bytes.pop();
      }
      this.#emit(true);
    }
  }
}

/** -d: a single character or a C escape (\n, \t, \0, \x41, \101). */
function parseDelimiter(text: string): number | undefined {
  if (text.length === 1) return text.charCodeAt(0) & 0xff;
  if (!text.startsWith("\\")) return undefined;
  const rest = text.slice(1);
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92 };
  if (rest in simple) return simple[rest];
  if (/^x[0-9a-fA-F]{1,2}$/.test(rest)) return Number.parseInt(rest.slice(1), 16);
  if (/^0[0-7]{0,3}$/.test(rest) || /^[0-7]{1,3}$/.test(rest))
    return Number.parseInt(rest, 8) & 0xff;
  return undefined;
}

function bytesOf(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** How -t and -p show a command: GNU quotes arguments that need it. */
function showCommand(argv: string[]): string {
  return argv.map((a) => quoteIfNeeded(a)).join(" ");
}

export const xargs: CommandDefinition = {
  name: "xargs",
  async main(ctx) {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs(ctx.argv.slice(1), {
        short: "0a:d:E:e::I:i::L:l::n:oP:prs:tx",
        long: LONG,
        stopAtOperand: true,
      });
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("xargs", err.message));
        return 1;
      }
      throw err;
    }
    let delim: number | undefined;
    let argFile: string | undefined;
    let eofStr: string | undefined;
    let replace: string | undefined;
    let maxLines = 0;
    let maxArgs = 0;
    let maxProcs = 1;
    let interactive = false;
    let noRunEmpty = false;
    let maxSize = DEFAULT_SIZE;
    let verbose = false;
    let exitOnSize = false;
    let slotVar: string | undefined;
    const usage = async (message: string): Promise<number> => {
      await ctx.err(usageText("xargs", message));
      return 1;
    };
    const number = (opt: string, value: string, min: number): number | string => {
      if (!/^\s*[+]?[0-9]+$/.test(value)) return `invalid number "${value}" for -${opt} option`;
      const n = Number(value);
      if (n < min) return `value ${n} for -${opt} option should be >= ${min}`;
      return n;
    };
    for (const opt of parsed.options) {
      const value = opt.value;
      switch (opt.key) {
        case "0":
          delim = 0;
          break;
        case "a":
          argFile = value;
          break;
        case "d": {
          const d = parseDelimiter(value!);
          if (d === undefined) {
            await ctx.err(
              `xargs: Invalid input delimiter specification ${value}: the delimiter must be either a single character or an escape sequence starting with \\.\n`,
            );
            return 1;
          }
          delim = d;
          break;
        }
        case "E":
        case "e":
          eofStr = value === "" ? undefined : value;
          break;
        case "I":
        case "i":
          replace = value ?? "{}";
          maxLines = 1;
          maxArgs = 0;
          exitOnSize = true;
          break;
        case "L":
        case "l": {
          const n = number("L", value ?? "1", 1);
          if (typeof n === "string") return usage(n);
          if (maxArgs > 0)
            await ctx.err(
              "xargs: warning: options --max-args and --max-lines are mutually exclusive, ignoring previous --max-args value\n",
            );
          maxLines = n;
          maxArgs = 0;
          replace = undefined;
          break;
        }
        case "n": {
          const n = number("n", value!, 1);
          if (typeof n === "string") return usage(n);
          if (maxLines > 0 && replace === undefined)
            await ctx.err(
              "xargs: warning: options --max-lines and --max-args/-n are mutually exclusive, ignoring previous --max-lines value\n",
            );
          maxArgs = n;
          if (replace === undefined) maxLines = 0;
          break;
        }
        case "P": {
          const n = number("P", value!, 0);
          if (typeof n === "string") return usage(n);
          maxProcs = n === 0 ? 64 : n;
          break;
        }
        case "p":
          interactive = true;
          verbose = true;
          break;
        case "r":
          noRunEmpty = true;
          break;
        case "s": {
          const n = number("s", value!, 1);
          if (typeof n === "string") return usage(n);
          maxSize = Math.min(n, MAX_SIZE);
          break;
        }
        case "t":
          verbose = true;
          break;
        case "x":
          exitOnSize = true;
          break;
        case "o":
          break;
        case "process-slot-var":
          slotVar = value;
          break;
        case "show-limits":
          await ctx.err(
            `Your environment variables take up 0 bytes\nPOSIX upper limit on argument length (this system): ${MAX_SIZE}\nPOSIX smallest allowable upper limit on argument length (all systems): 4096\nMaximum length of command we could actually use: ${MAX_SIZE}\nSize of command buffer we are actually using: ${maxSize}\nMaximum parallelism (--max-procs must be no greater): 2147483647\n`,
          );
          break;
        case "help":
          await ctx.out("Usage: xargs [OPTION]... COMMAND [INITIAL-ARGS]...\n");
          return 0;
        case "version":
          await ctx.out("xargs (GNU findutils) 4.9.0\n");
          return 0;
      }
    }
    const initial = parsed.operands.length > 0 ? parsed.operands : ["echo"];
    const baseSize = initial.reduce((n, a) => n + bytesOf(a) + 1, 0);
    if (replace === undefined && baseSize > maxSize) {
      await ctx.err("xargs: argument list too long\n");
      return 1;
    }

    let inputFd = 0;
    let inputOpened = false;
    if (argFile !== undefined && argFile !== "-") {
      try {
        inputFd = await ctx.open(argFile, O_RDONLY);
        inputOpened = true;
      } catch (err) {
        if (!ctx.alive) throw err;
        await ctx.err(`xargs: Cannot open input file '${argFile}': ${describeError(err)}\n`);
        return 1;
      }
    }
    // Children read /dev/null unless the items come from a file (then they get our stdin).
    let childStdin: number | undefined;
    if (argFile === undefined || argFile === "-") {
      try {
        childStdin = await ctx.open("/dev/null", O_RDWR);
      } catch {
        childStdin = undefined;
      }
    }

    const tokenizer = new Tokenizer(
      delim,
      delim === undefined ? eofStr : undefined,
      replace !== undefined,
    );
    let inputDone = false;
    let itemIndex = 0;
    const nextItem = async (): Promise<Item | undefined> => {
      for (;;) {
        if (itemIndex < tokenizer.items.length) {
          const item = tokenizer.items[itemIndex++];
          if (itemIndex > 4096) {
            tokenizer.items.splice(0, itemIndex);
            itemIndex = 0;
          }
          return item;
        }
        if (inputDone || tokenizer.done) return undefined;
        const chunk = await ctx.read(inputFd);
        if (chunk === null || chunk.length === 0) {
          inputDone = true;
          tokenizer.end();
        } else tokenizer.feed(chunk);
      }
    };

    let status = 0;
    const running = new Map<number, string>();
    let ttyFd: number | undefined;

    const reap = async (pid: number): Promise<void> => {
      const waited = await ctx.waitpid(pid);
      if (!waited) return;
      const name = running.get(waited.pid) ?? "";
      running.delete(waited.pid);
      const { exitCode, signal } = waited.status;
      if (signal !== null) {
        throw new Fatal(`xargs: ${name}: terminated by signal ${signal}\n`, 125);
      }
      if (exitCode === 255)
        throw new Fatal(`xargs: ${name}: exited with status 255; aborting\n`, 124);
      if (exitCode !== null && exitCode !== 0) status = 123;
    };

    const confirm = async (argv: string[]): Promise<boolean> => {
      if (ttyFd === undefined) {
        try {
          ttyFd = await ctx.open("/dev/tty", O_RDONLY);
        } catch {
          await ctx.err(showCommand(argv));
          throw new Fatal(
            "xargs: failed to open /dev/tty for reading: No such device or address\n",
            1,
          );
        }
      }
      await ctx.err(`${showCommand(argv)} ?...`);
      let line = "";
      for (;;) {
        const b = await ctx.read(ttyFd, 1);
        if (b === null || b.length === 0 || b[0] === 0x0a) break;
        line += String.fromCharCode(b[0]);
      }
      return /^[yY]/.test(line);
    };

    const run = async (argv: string[]): Promise<void> => {
      if (interactive) {
        if (!(await confirm(argv))) return;
      } else if (verbose) await ctx.err(`${showCommand(argv)}\n`);
      while (running.size >= maxProcs) await reap(-1);
      const fds: Array<[number, number]> = childStdin === undefined ? [] : [[0, childStdin]];
      const env = { ...ctx.env };
      if (slotVar !== undefined) env[slotVar] = String(running.size);
      let pid: number;
      try {
        pid = await ctx.spawn({ argv, cwd: ctx.cwd, env, fds });
      } catch (err) {
        if (!ctx.alive) throw err;
        const code = isKernelError(err, "ENOENT") ? 127 : 126;
        throw new Fatal(`xargs: ${argv[0]}: ${describeError(err)}\n`, code);
      }
      running.set(pid, argv[0]);
      if (maxProcs <= 1) await reap(pid);
    };

    try {
      let ran = false;
      if (replace !== undefined) {
        const repl = replace;
        for (;;) {
          const item = await nextItem();
          if (item === undefined) break;
          const argv = initial.map((a) => a.split(repl).join(item.value));
          if (argv.reduce((n, a) => n + bytesOf(a) + 1, 0) > maxSize)
            throw new Fatal("xargs: argument line too long\n", 1);
          await run(argv);
          ran = true;
        }
      } else {
        let args: string[] = [];
        let size = baseSize;
        let lines = 0;
        for (;;) {
          const item = await nextItem();
          if (item === undefined) break;
          const len = bytesOf(item.value) + 1;
          if (args.length > 0 && size + len > maxSize) {
            if (exitOnSize && (maxArgs > 0 || maxLines > 0))
              throw new Fatal("xargs: argument list too long\n", 1);
            await run([...initial, ...args]);
            ran = true;
            args = [];
            size = baseSize;
            lines = 0;
          }
          if (size + len > maxSize) throw new Fatal("xargs: argument line too long\n", 1);
          args.push(item.value);
          size += len;
          if (item.lineEnd) lines++;
          if ((maxLines > 0 && lines >= maxLines) || (maxArgs > 0 && args.length >= maxArgs)) {
            await run([...initial, ...args]);
            ran = true;
            args = [];
            size = baseSize;
            lines = 0;
          }
        }
        if (args.length > 0 || (!ran && !noRunEmpty && !tokenizer.error))
          await run([...initial, ...args]);
      }
      if (tokenizer.error) throw tokenizer.error;
      while (running.size > 0) await reap(-1);
    } catch (err) {
      if (!(err instanceof Fatal)) throw err;
      // Let children already started finish, as GNU does, then report.
      while (running.size > 0) {
        try {
          await reap(-1);
        } catch {
          // Only the first failure is reported.
        }
      }
      await ctx.err(err.message);
      return err.status;
    } finally {
      if (inputOpened) ctx.close(inputFd);
      if (childStdin !== undefined) ctx.close(childStdin);
      if (ttyFd !== undefined) ctx.close(ttyFd);
    }
    return status;
  },
};
