/**
 * csplit (GNU coreutils 9.1): split a file into sections by line numbers (N), regular
 * expressions (/REGEX/[OFFSET] copied, %REGEX%[OFFSET] skipped) and repeats ({N}, {*}).
 * Options: -f PREFIX, -b SUFFIX (printf %d/%i/%u/%o/%x/%X), -n DIGITS, -s/-q, -k, -z,
 * --suppress-matched. Prints each file's size unless -s; on error removes what it created
 * (unless -k). The control flow follows src/csplit.c; regexes are POSIX BRE
 * (lib/posix-regex.ts) over latin1 text. Input is read lazily, line by line, and only the
 * lines a negative offset may need are kept.
 */
import { O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError } from "./errors.ts";
import { quoteAlways, quoteMaybe } from "./lib/file-quote.ts";
import { GetoptError, gnuGetopt, type LongOption } from "./lib/gnu-getopt.ts";
import { compilePosixRegex, type PosixRegex } from "./lib/posix-regex.ts";
import { argToLatin1, LineReader, latin1ToBytes } from "./lib/text-io.ts";

const LONGS: LongOption[] = [
  { name: "digits", arg: "required", key: "n" },
  { name: "quiet", arg: "none", key: "q" },
  { name: "silent", arg: "none", key: "s" },
  { name: "keep-files", arg: "none", key: "k" },
  { name: "elide-empty-files", arg: "none", key: "z" },
  { name: "prefix", arg: "required", key: "f" },
  { name: "suffix-format", arg: "required", key: "b" },
  { name: "suppress-matched", arg: "none", key: "M" },
  { name: "help", arg: "none", key: "H" },
  { name: "version", arg: "none", key: "V" },
];

const HELP = `Usage: csplit [OPTION]... FILE PATTERN...
Output pieces of FILE separated by PATTERN(s) to files 'xx00', 'xx01', ...,
and output byte counts of each piece to standard output.

Read standard input if FILE is -

Mandatory arguments to long options are mandatory for short options too.
  -b, --suffix-format=FORMAT  use sprintf FORMAT instead of %02d
  -f, --prefix=PREFIX        use PREFIX instead of 'xx'
  -k, --keep-files           do not remove output files on errors
      --suppress-matched     suppress the lines matching PATTERN
  -n, --digits=DIGITS        use specified number of digits instead of 2
  -s, --quiet, --silent      do not print counts of output file sizes
  -z, --elide-empty-files    remove empty output files
      --help        display this help and exit
      --version     output version information and exit

Each PATTERN may be:
  INTEGER            copy up to but not including specified line number
  /REGEXP/[OFFSET]   copy up to but not including a matching line
  %REGEXP%[OFFSET]   skip to, but not including a matching line
  {INTEGER}          repeat the previous pattern specified number of times
  {*}                repeat the previous pattern as many times as possible

A line OFFSET is an integer optionally preceded by '+' or '-'

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/csplit>
or available locally via: info '(coreutils) csplit invocation'
`;

const VERSION = `csplit (GNU coreutils) 9.1
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Stuart Kemp and David MacKenzie.
`;

const TRY = "Try 'csplit --help' for more information.\n";
const INTMAX_MAX = 2n ** 63n - 1n;

const C_ESCAPES: Record<number, string> = {
  7: "\\a",
  8: "\\b",
  9: "\\t",
  10: "\\n",
  11: "\\v",
  12: "\\f",
  13: "\\r",
  39: "\\'",
  92: "\\\\",
};

/** gnulib quote() in the C locale: 'TEXT' with C backslash escapes. */
function quoteLocale(text: string): string {
  let out = "'";
  for (const byte of Buffer.from(text, "utf8")) {
    const esc = C_ESCAPES[byte];
    if (esc !== undefined) out += esc;
    else if (byte < 0x20 || byte >= 0x7f) out += `\\${byte.toString(8).padStart(3, "0")}`;
    else out += String.fromCharCode(byte);
  }
  return `${out}'`;
}

/** Unwinds to main with an exit status (after messages were written). */
class Exit extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`exit ${code}`);
    this.code = code;
  }
}

interface Control {
  argnum: number;
  regex: PosixRegex | null;
  ignore: boolean;
  offset: number;
  linesRequired: number;
  repeat: number;
  repeatForever: boolean;
}

// ---- number parsing (gnulib xstrtoumax / xstrtoimax with no suffixes) -------------------------

function parseUnsigned(text: string): bigint | null {
  const m = /^[ \t\n\v\f\r]*\+?([0-9]+)$/.exec(text);
  if (m === null) return null;
  const v = BigInt(m[1]);
  return v > 2n ** 64n - 1n ? null : v;
}

function parseSigned(text: string): bigint | null {
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)$/.exec(text);
  if (m === null) return null;
  const v = BigInt(m[1]);
  return v > INTMAX_MAX || v < -INTMAX_MAX - 1n ? null : v;
}

// ---- suffix format ----------------------------------------------------------------------------

interface Suffix {
  before: string;
  after: string;
  left: boolean;
  zero: boolean;
  alt: boolean;
  width: number;
  precision: number;
  conv: string;
}

/** max_out(): validates a -b FORMAT the way csplit does; returns the parsed conversion. */
function parseSuffix(format: string, fail: (m: string) => never): Suffix {
  let spec: Suffix | null = null;
  let literal = "";
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch !== "%") {
      literal += ch;
      continue;
    }
    i++;
    if (format[i] === "%") {
      literal += "%";
      continue;
    }
    if (spec) fail("too many % conversion specifications in suffix");
    let left = false;
    let zero = false;
    let thousands = false;
    let alt = false;
    for (; ; i++) {
      const f = format[i];
      if (f === "-") left = true;
      else if (f === "0") zero = true;
      else if (f === "'") thousands = true;
      else if (f === "#") alt = true;
      else break;
    }
    let width = "";
    while (i < format.length && /[0-9]/.test(format[i])) width += format[i++];
    let precision = -1;
    if (format[i] === ".") {
      let digits = "";
      while (i + 1 < format.length && /[0-9]/.test(format[i + 1])) digits += format[++i];
      i++;
      precision = Number(digits || "0");
    }
    const conv = format[i] ?? "";
    let compatible = "thousands";
    if (conv === "o" || conv === "x" || conv === "X") compatible = "alt";
    else if (conv === "") fail("missing conversion specifier in suffix");
    else if (!"diu".includes(conv)) {
      const code = conv.charCodeAt(0);
      fail(
        code >= 0x20 && code < 0x7f
          ? `invalid conversion specifier in suffix: ${conv}`
          : `invalid conversion specifier in suffix: \\${code.toString(8).padStart(3, "0")}`,
      );
    }
    if (alt && compatible !== "alt") fail(`invalid flags in conversion specification: %#${conv}`);
    if (thousands && compatible !== "thousands") {
      fail(`invalid flags in conversion specification: %'${conv}`);
    }
    spec = {
      before: literal,
      after: "",
      left,
      zero,
      alt,
      width: Number(width || "0"),
      precision,
      conv,
    };
    literal = "";
  }
  if (!spec) fail("missing % conversion specification in suffix");
  spec.after = literal;
  return spec;
}

function formatSuffix(s: Suffix, n: number): string {
  let digits =
    s.conv === "o"
      ? n.toString(8)
      : s.conv === "x"
        ? n.toString(16)
        : s.conv === "X"
          ? n.toString(16).toUpperCase()
          : String(n);
  if (s.precision >= 0) {
    digits = s.precision === 0 && n === 0 ? "" : digits.padStart(s.precision, "0");
  }
  let prefix = "";
  if (s.alt && s.conv === "o" && !digits.startsWith("0")) digits = `0${digits}`;
  if (s.alt && n !== 0 && (s.conv === "x" || s.conv === "X")) prefix = `0${s.conv}`;
  let body = prefix + digits;
  if (body.length < s.width) {
    if (s.left) body = body.padEnd(s.width, " ");
    else if (s.zero && s.precision < 0)
      body = prefix + digits.padStart(s.width - prefix.length, "0");
    else body = body.padStart(s.width, " ");
  }
  return s.before + body + s.after;
}

// ---- the splitter -----------------------------------------------------------------------------

class Splitter {
  readonly ctx: ProcessContext;
  readonly argv: string[];
  readonly reader: LineReader;
  prefix = "xx";
  suffix: Suffix | null = null;
  digits = 2;
  suppressCount = false;
  removeFiles = true;
  elideEmpty = false;
  suppressMatched = false;

  /** Buffered lines, lines[head] being line number `firstAvailable`. */
  lines: string[] = [];
  head = 0;
  firstAvailable = 1;
  eof = false;
  currentLine = 0;

  filesCreated = 0;
  outFd = -1;
  outName = "";
  outChunks: string[] = [];
  outPending = 0;
  bytesWritten = 0;
  stdout = "";

  constructor(ctx: ProcessContext, argv: string[], fd: number) {
    this.ctx = ctx;
    this.argv = argv;
    this.reader = new LineReader(ctx, fd);
  }

  // input

  async loadLine(): Promise<boolean> {
    if (this.eof) return false;
    let line: string | null;
    try {
      line = await this.reader.next();
    } catch (err) {
      if (!this.ctx.alive) throw err;
      await this.fatalMessage(`read error: ${describeError(err)}`);
      throw new Exit(1);
    }
    if (line === null) {
      this.eof = true;
      return false;
    }
    this.lines.push(this.reader.terminated ? `${line}\n` : line);
    return true;
  }

  get buffered(): number {
    return this.lines.length - this.head;
  }

  async findLine(n: number): Promise<string | null> {
    if (n < this.firstAvailable) return null;
    while (n >= this.firstAvailable + this.buffered) {
      if (!(await this.loadLine())) return null;
    }
    return this.lines[this.head + n - this.firstAvailable];
  }

  async removeLine(): Promise<string | null> {
    if (this.buffered === 0 && !(await this.loadLine())) return null;
    if (this.currentLine < this.firstAvailable) this.currentLine = this.firstAvailable;
    this.firstAvailable++;
    const line = this.lines[this.head++];
    if (this.head > 4096 && this.head * 2 > this.lines.length) {
      this.lines = this.lines.slice(this.head);
      this.head = 0;
    }
    return line;
  }

  async noMoreLines(): Promise<boolean> {
    return (await this.findLine(this.currentLine + 1)) === null;
  }

  async firstLineInBuffer(): Promise<number> {
    if (this.buffered === 0 && !(await this.loadLine())) {
      await this.flushStdout();
      await this.ctx.err("csplit: input disappeared\n");
      throw new Exit(1);
    }
    return this.firstAvailable;
  }

  // output

  makeFilename(n: number): string {
    return (
      this.prefix +
      (this.suffix ? formatSuffix(this.suffix, n) : String(n).padStart(this.digits, "0"))
    );
  }

  async createOutputFile(): Promise<void> {
    this.outName = this.makeFilename(this.filesCreated);
    try {
      this.outFd = await this.ctx.open(this.outName, O_WRONLY | O_CREAT | O_TRUNC, 0o666);
      this.filesCreated++;
    } catch (err) {
      if (!this.ctx.alive) throw err;
      await this.fatalMessage(`${quoteMaybe(this.outName)}: ${describeError(err)}`);
      await this.cleanupFatal();
    }
    this.bytesWritten = 0;
  }

  async saveLine(line: string): Promise<void> {
    this.outChunks.push(line);
    this.outPending += line.length;
    this.bytesWritten += line.length;
    if (this.outPending >= 65536) await this.flushOut();
  }

  async flushOut(): Promise<void> {
    if (this.outPending === 0 || this.outFd < 0) return;
    const data = latin1ToBytes(this.outChunks.join(""));
    this.outChunks = [];
    this.outPending = 0;
    try {
      await this.ctx.write(this.outFd, data);
    } catch (err) {
      if (!this.ctx.alive) throw err;
      this.ctx.close(this.outFd);
      this.outFd = -1;
      await this.fatalMessage(
        `write error for ${quoteAlways(this.outName)}: ${describeError(err)}`,
      );
      await this.cleanupFatal();
    }
  }

  async closeOutputFile(): Promise<void> {
    if (this.outFd < 0) return;
    await this.flushOut();
    this.ctx.close(this.outFd);
    this.outFd = -1;
    if (this.bytesWritten === 0 && this.elideEmpty) {
      try {
        await this.ctx.unlink(this.outName);
      } catch {
        // csplit reports only errors other than ENOENT; nothing else can remove it here.
      }
      this.filesCreated--;
    } else if (!this.suppressCount) {
      this.stdout += `${this.bytesWritten}\n`;
      if (this.stdout.length >= 65536) await this.flushStdout();
    }
  }

  async flushStdout(): Promise<void> {
    if (this.stdout === "") return;
    const text = this.stdout;
    this.stdout = "";
    await this.ctx.out(text);
  }

  async fatalMessage(message: string): Promise<void> {
    await this.flushStdout();
    await this.ctx.err(`csplit: ${message}\n`);
  }

  /** cleanup_fatal(): close the current file, remove every file created (unless -k), exit 1. */
  async cleanupFatal(): Promise<never> {
    await this.closeOutputFile();
    if (this.removeFiles) {
      for (let i = this.filesCreated - 1; i >= 0; i--) {
        const name = this.makeFilename(i);
        try {
          await this.ctx.unlink(name);
        } catch (err) {
          if (!this.ctx.alive) throw err;
          const code = (err as { code?: string }).code;
          if (code !== "ENOENT") {
            await this.fatalMessage(`${quoteMaybe(name)}: ${describeError(err)}`);
          }
        }
      }
      this.filesCreated = 0;
    }
    throw new Exit(1);
  }

  // the patterns

  async lineError(p: Control, repetition: number): Promise<never> {
    await this.flushStdout();
    const rep = repetition ? ` on repetition ${repetition}` : "";
    await this.ctx.err(
      `csplit: ${quoteLocale(String(p.linesRequired))}: line number out of range${rep}\n`,
    );
    return this.cleanupFatal();
  }

  async processLineCount(p: Control, repetition: number): Promise<void> {
    const lastLineToSave = p.linesRequired * (repetition + 1);
    await this.createOutputFile();
    if (this.suppressMatched && (await this.noMoreLines())) await this.lineError(p, repetition);
    let linenum = await this.firstLineInBuffer();
    while (linenum++ < lastLineToSave) {
      const line = await this.removeLine();
      if (line === null) await this.lineError(p, repetition);
      else await this.saveLine(line);
    }
    await this.closeOutputFile();
    if (this.suppressMatched) await this.removeLine();
    if (!this.suppressMatched && (await this.noMoreLines())) await this.lineError(p, repetition);
  }

  async regexpError(p: Control, repetition: number, ignore: boolean): Promise<never> {
    await this.flushStdout();
    const rep = repetition ? ` on repetition ${repetition}` : "";
    await this.ctx.err(`csplit: ${quoteLocale(this.argv[p.argnum])}: match not found${rep}\n`);
    if (!ignore) {
      await this.dumpRest();
      await this.closeOutputFile();
    }
    return this.cleanupFatal();
  }

  async dumpRest(): Promise<void> {
    for (let line = await this.removeLine(); line !== null; line = await this.removeLine()) {
      await this.saveLine(line);
    }
  }

  async processRegexp(p: Control, repetition: number): Promise<void> {
    const ignore = p.ignore;
    const regex = p.regex as PosixRegex;
    if (!ignore) await this.createOutputFile();
    for (;;) {
      const line = await this.findLine(++this.currentLine);
      if (line === null) {
        if (p.repeatForever) {
          if (!ignore) {
            await this.dumpRest();
            await this.closeOutputFile();
          }
          throw new Exit(0);
        }
        await this.regexpError(p, repetition, ignore);
        return;
      }
      const text = line.endsWith("\n") ? line.slice(0, -1) : line;
      if (regex.test(text)) break;
      if (p.offset >= 0) {
        const removed = await this.removeLine();
        if (!ignore && removed !== null) await this.saveLine(removed);
      }
    }
    const breakLine = this.currentLine + p.offset;
    await this.writeToFile(breakLine, ignore, p.argnum);
    if (!ignore) await this.closeOutputFile();
    if (p.offset > 0) this.currentLine = breakLine;
    if (this.suppressMatched) await this.removeLine();
  }

  async writeToFile(lastLine: number, ignore: boolean, argnum: number): Promise<void> {
    const firstLine = await this.firstLineInBuffer();
    const outOfRange = async (): Promise<never> => {
      await this.fatalMessage(`${quoteLocale(this.argv[argnum])}: line number out of range`);
      return this.cleanupFatal();
    };
    if (firstLine > lastLine) await outOfRange();
    const lines = lastLine - firstLine;
    for (let i = 0; i < lines; i++) {
      const line = await this.removeLine();
      if (line === null) await outOfRange();
      else if (!ignore) await this.saveLine(line);
    }
  }

  async split(controls: Control[]): Promise<void> {
    for (const c of controls) {
      for (let j = 0; c.repeatForever || j <= c.repeat; j++) {
        if (c.regex) await this.processRegexp(c, j);
        else await this.processLineCount(c, j);
      }
    }
    await this.createOutputFile();
    await this.dumpRest();
    await this.closeOutputFile();
  }
}

/** parse_patterns(): the control records, or a message for die(). */
async function parsePatterns(
  ctx: ProcessContext,
  argv: string[],
  start: number,
): Promise<Control[] | string> {
  const controls: Control[] = [];
  let lastVal = 0n;
  for (let i = start; i < argv.length; i++) {
    const arg = argv[i];
    let p: Control;
    if (arg.startsWith("/") || arg.startsWith("%")) {
      const delim = arg[0];
      const close = arg.lastIndexOf(delim);
      if (close === 0) return `${arg}: closing delimiter '${delim}' missing`;
      let regex: PosixRegex;
      try {
        regex = compilePosixRegex(argToLatin1(arg.slice(1, close)), {});
      } catch (err) {
        return `${quoteLocale(arg)}: invalid regular expression: ${(err as Error).message}`;
      }
      p = {
        argnum: i,
        regex,
        ignore: delim === "%",
        offset: 0,
        linesRequired: 0,
        repeat: 0,
        repeatForever: false,
      };
      if (close + 1 < arg.length) {
        const offset = parseSigned(arg.slice(close + 1));
        if (offset === null) return `${quoteLocale(arg)}: integer expected after delimiter`;
        p.offset = Number(offset);
      }
    } else {
      const val = parseUnsigned(arg);
      if (val === null || val > INTMAX_MAX) return `${quoteLocale(arg)}: invalid pattern`;
      if (val === 0n) return `${arg}: line number must be greater than zero`;
      if (val < lastVal) {
        return `line number ${quoteLocale(arg)} is smaller than preceding line number, ${lastVal}`;
      }
      if (val === lastVal) {
        await ctx.err(
          `csplit: warning: line number ${quoteLocale(arg)} is the same as preceding line number\n`,
        );
      }
      lastVal = val;
      p = {
        argnum: i,
        regex: null,
        ignore: false,
        offset: 0,
        linesRequired: Number(val),
        repeat: 0,
        repeatForever: false,
      };
    }
    controls.push(p);
    if (i + 1 < argv.length && argv[i + 1].startsWith("{")) {
      const str = argv[++i];
      if (!str.endsWith("}")) return `${quoteLocale(str)}: '}' is required in repeat count`;
      const inner = str.slice(1, -1);
      if (inner === "*") p.repeatForever = true;
      else {
        const val = parseUnsigned(inner);
        if (val === null || val > INTMAX_MAX) {
          return `${quoteLocale(str.slice(0, -1))}}: integer required between '{' and '}'`;
        }
        p.repeat = Number(val);
      }
    }
  }
  return controls;
}

export const csplit: CommandDefinition = {
  name: "csplit",
  async main(ctx) {
    let parsed: { options: { key: string; value?: string }[]; operands: string[] };
    try {
      parsed = gnuGetopt(ctx.argv.slice(1), "f:b:kn:sqz", LONGS, {
        permute: ctx.env.POSIXLY_CORRECT === undefined,
      });
    } catch (err) {
      if (!(err instanceof GetoptError)) throw err;
      await ctx.err(`csplit: ${err.message}\n${TRY}`);
      return 1;
    }
    let prefix = "xx";
    let suffixFormat: string | null = null;
    let digits = 2;
    let suppressCount = false;
    let removeFiles = true;
    let elideEmpty = false;
    let suppressMatched = false;
    for (const opt of parsed.options) {
      const value = opt.value ?? "";
      switch (opt.key) {
        case "f":
          prefix = value;
          break;
        case "b":
          suffixFormat = value;
          break;
        case "k":
          removeFiles = false;
          break;
        case "n": {
          const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)$/.exec(value);
          if (m === null) {
            await ctx.err(`csplit: invalid number: ${quoteLocale(value)}\n`);
            return 1;
          }
          const n = BigInt(m[1]);
          if (n < 0n || n > 2147483647n) {
            const why =
              n > 1073741823n || n < -1073741824n
                ? "Value too large for defined data type"
                : "Numerical result out of range";
            await ctx.err(`csplit: invalid number: ${quoteLocale(value)}: ${why}\n`);
            return 1;
          }
          digits = Number(n);
          break;
        }
        case "s":
        case "q":
          suppressCount = true;
          break;
        case "z":
          elideEmpty = true;
          break;
        case "M":
          suppressMatched = true;
          break;
        case "H":
          await ctx.out(HELP);
          return 0;
        case "V":
          await ctx.out(VERSION);
          return 0;
      }
    }
    const operands = parsed.operands;
    if (operands.length < 2) {
      await ctx.err(
        operands.length === 0
          ? `csplit: missing operand\n${TRY}`
          : `csplit: missing operand after ${quoteLocale(operands[operands.length - 1])}\n${TRY}`,
      );
      return 1;
    }
    let suffix: Suffix | null = null;
    if (suffixFormat !== null) {
      let message = "";
      try {
        suffix = parseSuffix(argToLatin1(suffixFormat), (m) => {
          message = m;
          throw new Exit(1);
        });
      } catch (err) {
        if (!(err instanceof Exit)) throw err;
        await ctx.err(`csplit: ${message}\n`);
        return 1;
      }
    }
    const file = operands[0];
    let fd = 0;
    if (file !== "-") {
      try {
        fd = await ctx.open(file, O_RDONLY);
      } catch (err) {
        if (!ctx.alive) throw err;
        await ctx.err(
          `csplit: cannot open ${quoteAlways(file)} for reading: ${describeError(err)}\n`,
        );
        return 1;
      }
    }
    // Patterns are parsed against an argv whose indexes match the operands' positions.
    const argv = operands;
    const controls = await parsePatterns(ctx, argv, 1);
    if (typeof controls === "string") {
      if (fd !== 0) ctx.close(fd);
      await ctx.err(`csplit: ${controls}\n`);
      return 1;
    }
    const s = new Splitter(ctx, argv, fd);
    s.prefix = prefix;
    s.suffix = suffix;
    s.digits = digits;
    s.suppressCount = suppressCount;
    s.removeFiles = removeFiles;
    s.elideEmpty = elideEmpty;
    s.suppressMatched = suppressMatched;
    let status = 0;
    try {
      await s.split(controls);
    } catch (err) {
      if (!(err instanceof Exit)) throw err;
      status = err.code;
    } finally {
      if (s.outFd >= 0) ctx.close(s.outFd);
      if (fd !== 0) ctx.close(fd);
    }
    await s.flushStdout();
    return status;
  },
};
