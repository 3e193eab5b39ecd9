/**
 * sed: GNU sed 4.9 in the C locale. The script compiler and the executor follow GNU's
 * compile.c/execute.c closely (same parsing quirks, same error messages and positions, same
 * range, append-queue and missing-newline rules). Text is handled as latin1 (one char per
 * byte). Input is streamed line by line with one line of look-ahead for `$`.
 *
 * The `e` command and the `s///e` flag run `sh -c` in the VM. Not supported: --debug.
 */
import { O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY, S_IFMT, S_IFREG } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError } from "./errors.ts";
import { GetoptError, gnuGetopt, type LongOption } from "./lib/gnu-getopt.ts";
import {
  compilePosixRegex,
  latin1,
  latin1Bytes,
  type PosixRegex,
  RegexSyntaxError,
  toLatin1,
} from "./lib/posix-regex.ts";

const USAGE = `Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...

  -n, --quiet, --silent
                 suppress automatic printing of pattern space
      --debug
                 annotate program execution
  -e script, --expression=script
                 add the script to the commands to be executed
  -f script-file, --file=script-file
                 add the contents of script-file to the commands to be executed
  --follow-symlinks
                 follow symlinks when processing in place
  -i[SUFFIX], --in-place[=SUFFIX]
                 edit files in place (makes backup if SUFFIX supplied)
  -l N, --line-length=N
                 specify the desired line-wrap length for the \`l' command
  --posix
                 disable all GNU extensions.
  -E, -r, --regexp-extended
                 use extended regular expressions in the script
                 (for portability use POSIX -E).
  -s, --separate
                 consider files as separate rather than as a single,
                 continuous long stream.
      --sandbox
                 operate in sandbox mode (disable e/r/w commands).
  -u, --unbuffered
                 load minimal amounts of data from the input files and flush
                 the output buffers more often
  -z, --null-data
                 separate lines by NUL characters
      --help     display this help and exit
      --version  output version information and exit

If no -e, --expression, -f, or --file option is given, then the first
non-option argument is taken as the sed script to interpret.  All
remaining arguments are names of input files; if no input files are
specified, then the standard input is read.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
`;

const LONGS: LongOption[] = [
  { name: "binary", arg: "none", key: "b" },
  { name: "regexp-extended", arg: "none", key: "r" },
  { name: "debug", arg: "none", key: "debug" },
  { name: "in-place", arg: "optional", key: "i" },
  { name: "expression", arg: "required", key: "e" },
  { name: "file", arg: "required", key: "f" },
  { name: "line-length", arg: "required", key: "l" },
  { name: "null-data", arg: "none", key: "z" },
  { name: "zero-terminated", arg: "none", key: "z" },
  { name: "quiet", arg: "none", key: "n" },
  { name: "posix", arg: "none", key: "posix" },
  { name: "silent", arg: "none", key: "n" },
  { name: "sandbox", arg: "none", key: "sandbox" },
  { name: "separate", arg: "none", key: "s" },
  { name: "unbuffered", arg: "none", key: "u" },
  { name: "version", arg: "none", key: "version" },
  { name: "help", arg: "none", key: "help" },
  { name: "follow-symlinks", arg: "none", key: "follow-symlinks" },
];

const FLUSH_AT = 65536;
const CHUNK = 65536;

/** Exit with a message (GNU's bad_prog / panic / usage). */
class SedExit extends Error {
  readonly code: number;
  constructor(message: string, code: number) {
    super(message);
    this.code = code;
  }
}

// ---- compiled program --------------------------------------------------------------------

type AddrType = "null" | "num" | "mod" | "step" | "stepmod" | "last" | "regex";

interface Addr {
  type: AddrType;
  n: number;
  step: number;
  /** For regex addresses; null = the last regex used. */
  re: SedRegex | null;
}

interface SedRegex {
  re: PosixRegex;
}

interface ReplPart {
  prefix: string;
  id: number;
  type: number;
}

const REPL_ASIS = 0;
const REPL_UPPERCASE = 1;
const REPL_LOWERCASE = 2;
const REPL_UPPERCASE_FIRST = 4;
const REPL_LOWERCASE_FIRST = 8;
const REPL_MODIFIERS = REPL_UPPERCASE_FIRST | REPL_LOWERCASE_FIRST;

interface Subst {
  re: SedRegex | null;
  replacement: ReplPart[];
  global: boolean;
  print: number;
  numb: number;
  outf: OutFile | undefined;
  eval: boolean;
}

interface Cmd {
  a1?: Addr;
  a2?: Addr;
  bang: boolean;
  cmd: string;
  range: "inactive" | "active" | "closed";
  text?: string;
  jump?: number;
  label?: string;
  intArg?: number;
  fname?: string;
  append?: boolean;
  outf?: OutFile;
  inf?: ReadFile;
  subst?: Subst;
  ymap?: Map<string, string>;
}

/** An output (stdout, stderr, a `w` file, or an in-place temp buffer). */
class OutFile {
  readonly name: string;
  parts: string[] = [];
  size = 0;
  missingNewline = false;
  fd: number | undefined;
  readonly memory: boolean;

  constructor(name: string, fd: number | undefined, memory = false) {
    this.name = name;
    this.fd = fd;
    this.memory = memory;
  }

  add(text: string): void {
    if (text.length === 0) return;
    this.parts.push(text);
    this.size += text.length;
  }

  take(): string {
    const text = this.parts.join("");
    this.parts = [];
    this.size = 0;
    return text;
  }
}

/** A file read by the `R` command, one line at a time. */
class ReadFile {
  readonly name: string;
  lines: string[] | undefined;
  pos = 0;
  loaded = false;

  constructor(name: string) {
    this.name = name;
  }
}

// ---- script reader -----------------------------------------------------------------------

class Prog {
  readonly text: string;
  pos = 0;
  line: number;
  readonly exprNo: number;
  readonly fileName: string | undefined;

  constructor(text: string, exprNo: number, fileName?: string) {
    this.text = text;
    this.exprNo = exprNo;
    this.fileName = fileName;
    this.line = fileName === undefined ? 0 : 1;
  }

  inchar(): string {
    if (this.pos >= this.text.length) return "";
    const ch = this.text[this.pos++];
    if (ch === "\n") this.line++;
    return ch;
  }

  savchar(ch: string): void {
    if (ch === "") return;
    if (ch === "\n" && this.line > 0) this.line--;
    this.pos--;
  }

  inNonblank(): string {
    let ch: string;
    do ch = this.inchar();
    while (ch === " " || ch === "\t");
    return ch;
  }
}

const isDigit = (c: string): boolean => c >= "0" && c <= "9";
const isSpace = (c: string): boolean => c === " " || (c >= "\t" && c <= "\r");

interface Options {
  quiet: boolean;
  extended: boolean;
  separate: boolean;
  inPlace: string | undefined;
  lineLength: number;
  unbuffered: boolean;
  nullData: boolean;
  sandbox: boolean;
  posix: boolean;
}

class Compiler {
  readonly ctx: ProcessContext;
  readonly opts: Options;
  readonly cmds: Cmd[] = [];
  blocks: { index: number; prog: Prog }[] = [];
  labels = new Map<string, number>();
  jumps: { index: number; name: string }[] = [];
  pendingText: string | undefined;
  pendingCmd: Cmd | undefined;
  firstScript = true;
  anyRegex = false;
  readonly wfiles = new Map<string, OutFile>();
  readonly rfiles = new Map<string, ReadFile>();
  readonly stdout: OutFile;
  readonly stderr: OutFile;
  prog!: Prog;

  constructor(ctx: ProcessContext, opts: Options, stdout: OutFile, stderr: OutFile) {
    this.ctx = ctx;
    this.opts = opts;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  bad(why: string): never {
    const p = this.prog;
    if (p.fileName !== undefined) {
      throw new SedExit(`sed: file ${p.fileName} line ${p.line}: ${why}`, 1);
    }
    throw new SedExit(`sed: -e expression #${p.exprNo}, char ${p.pos}: ${why}`, 1);
  }

  readEndOfCmd(): void {
    const ch = this.prog.inNonblank();
    if (ch === "}" || ch === "#") this.prog.savchar(ch);
    else if (ch !== "" && ch !== "\n" && ch !== ";") this.bad("extra characters after command");
  }

  inInteger(first: string): number {
    let num = 0;
    let ch = first;
    while (isDigit(ch)) {
      num = num * 10 + Number(ch);
      ch = this.prog.inchar();
    }
    this.prog.savchar(ch);
    return num;
  }

  readFilename(): string {
    if (this.opts.sandbox) this.bad("e/r/w commands disabled in sandbox mode");
    let b = "";
    let ch = this.prog.inNonblank();
    while (ch !== "" && ch !== "\n") {
      b += ch;
      ch = this.prog.inchar();
    }
    return b;
  }

  async getOpenfile(write: boolean): Promise<OutFile | ReadFile> {
    const name = this.readFilename();
    if (name.length === 0) this.bad("missing filename in r/R/w/W commands");
    if (write) {
      if (name === "/dev/stdout") return this.stdout;
      if (name === "/dev/stderr") return this.stderr;
      let f = this.wfiles.get(name);
      if (f === undefined) {
        let fd: number;
        try {
          fd = await this.ctx.open(name, O_WRONLY | O_CREAT | O_TRUNC, 0o666);
        } catch (err) {
          if (!this.ctx.alive) throw err;
          throw new SedExit(`sed: couldn't open file ${name}: ${describeError(err)}`, 4);
        }
        f = new OutFile(name, fd);
        this.wfiles.set(name, f);
      }
      return f;
    }
    let r = this.rfiles.get(name);
    if (r === undefined) {
      r = new ReadFile(name);
      this.rfiles.set(name, r);
    }
    return r;
  }

  snarfCharClass(b: { s: string }): string {
    const p = this.prog;
    let ch = p.inchar();
    let state = 0;
    let delim = "";
    const addThenNext = (c: string): string => {
      b.s += c;
      return p.inchar();
    };
    if (ch === "^") ch = addThenNext(ch);
    if (ch === "]") ch = addThenNext(ch);
    for (; ; ch = addThenNext(ch)) {
      if (ch === "" || ch === "\n") return ch;
      if (ch === "." || ch === ":" || ch === "=") {
        if (state === 1) {
          delim = ch;
          state = 2;
          continue;
        }
        if (state === 2 && ch === delim) {
          state = 3;
          continue;
        }
      } else if (ch === "[") {
        if (state === 0) state = 1;
        continue;
      } else if (ch === "]") {
        if (state === 0 || state === 1) return ch;
        if (state === 3) state = 0;
      }
      state &= ~1;
    }
  }

  /** GNU match_slash: text up to the delimiter, or undefined when unterminated. */
  matchSlash(slash: string, regex: boolean): string | undefined {
    const p = this.prog;
    const b = { s: "" };
    let ch: string;
    for (;;) {
      ch = p.inchar();
      if (ch === "" || ch === "\n") break;
      if (ch === slash) return b.s;
      if (ch === "\\") {
        ch = p.inchar();
        if (ch === "") break;
        if (ch !== "\n" && (ch !== slash || (!regex && ch === "&"))) b.s += "\\";
      } else if (ch === "[" && regex) {
        b.s += ch;
        ch = this.snarfCharClass(b);
        if (ch !== "]") break;
      }
      b.s += ch;
    }
    if (ch === "\n") p.savchar(ch);
    return undefined;
  }

  compileRegex(
    pattern: string,
    icase: boolean,
    multiline: boolean,
    maxId: number,
  ): SedRegex | null {
    if (pattern.length === 0) {
      if (icase || multiline) this.bad("cannot specify modifiers on empty regexp");
      if (!this.anyRegex) {
        throw new SedExit(
          `sed: -e expression #${this.prog.exprNo}, char 0: no previous regular expression`,
          1,
        );
      }
      return null;
    }
    this.anyRegex = true;
    let re: PosixRegex;
    try {
      re = compilePosixRegex(normalizeText(pattern, "regex"), {
        extended: this.opts.extended,
        ignoreCase: icase,
        multiline,
        dialect: "glibc",
      });
    } catch (err) {
      if (err instanceof RegexSyntaxError) {
        if (err.message.startsWith("character class syntax is")) {
          throw new SedExit(`sed: ${err.message}`, 4);
        }
        this.bad(err.message);
      }
      throw err;
    }
    if (maxId > re.groups) this.bad(`invalid reference \\${maxId} on \`s' command's RHS`);
    return { re };
  }

  compileAddress(ch: string): Addr | undefined {
    const p = this.prog;
    const addr: Addr = { type: "null", n: -1, step: 0, re: null };
    if (ch === "/" || ch === "\\") {
      addr.type = "regex";
      if (ch === "\\") ch = p.inchar();
      const b = this.matchSlash(ch, true);
      if (b === undefined) this.bad("unterminated address regex");
      let icase = false;
      let multi = false;
      for (;;) {
        ch = p.inNonblank();
        if (ch === "I") icase = true;
        else if (ch === "M") multi = true;
        else {
          p.savchar(ch);
          addr.re = this.compileRegex(b, icase, multi, 0);
          return addr;
        }
      }
    }
    if (isDigit(ch)) {
      addr.n = this.inInteger(ch);
      addr.type = "num";
      ch = p.inNonblank();
      if (ch !== "~") p.savchar(ch);
      else {
        const step = this.inInteger(p.inNonblank());
        if (step > 0) {
          addr.step = step;
          addr.type = "mod";
        }
      }
      return addr;
    }
    if (ch === "+" || ch === "~") {
      addr.step = this.inInteger(p.inNonblank());
      if (addr.step !== 0) addr.type = ch === "+" ? "step" : "stepmod";
      return addr;
    }
    if (ch === "$") {
      addr.type = "last";
      return addr;
    }
    return undefined;
  }

  readLabel(): string {
    const p = this.prog;
    let b = "";
    let ch = p.inNonblank();
    while (
      ch !== "" &&
      ch !== "\n" &&
      ch !== " " &&
      ch !== "\t" &&
      ch !== ";" &&
      ch !== "}" &&
      ch !== "#"
    ) {
      b += ch;
      ch = p.inchar();
    }
    p.savchar(ch);
    return b;
  }

  readText(cmd: Cmd | undefined, leadin: string): void {
    const p = this.prog;
    if (cmd !== undefined) {
      this.pendingText = "";
      this.pendingCmd = cmd;
    }
    if (leadin === "") return;
    let text = this.pendingText ?? "";
    if (leadin !== "\n") text += leadin;
    let ch = p.inchar();
    while (ch !== "" && ch !== "\n") {
      if (ch === "\\") {
        ch = p.inchar();
        if (ch !== "") text += "\\";
      }
      if (ch === "") {
        this.pendingText = `${text}\n`;
        return;
      }
      text += ch;
      ch = p.inchar();
    }
    text += "\n";
    const target = this.pendingCmd;
    if (target) target.text = normalizeText(text, "buffer");
    this.pendingText = undefined;
  }

  async compile(prog: Prog): Promise<void> {
    this.prog = prog;
    const p = prog;
    if (this.pendingText !== undefined) this.readText(undefined, "\n");
    for (;;) {
      let ch = p.inchar();
      while (ch === ";" || isSpace(ch)) ch = p.inchar();
      if (ch === "") break;
      const cmd: Cmd = { bang: false, cmd: "", range: "inactive" };
      const a = this.compileAddress(ch);
      if (a !== undefined) {
        if (a.type === "step" || a.type === "stepmod") {
          this.bad("invalid usage of +N or ~N as first address");
        }
        cmd.a1 = a;
        ch = p.inNonblank();
        if (ch === ",") {
          const a2 = this.compileAddress(p.inNonblank());
          if (a2 === undefined) this.bad("unexpected `,'");
          cmd.a2 = a2;
          ch = p.inNonblank();
        }
        if (
          cmd.a1.type === "num" &&
          cmd.a1.n === 0 &&
          ((!cmd.a2 && ch !== "r") || (cmd.a2 && cmd.a2.type !== "regex"))
        ) {
          this.bad("invalid usage of line address 0");
        }
      }
      if (ch === "!") {
        cmd.bang = true;
        ch = p.inNonblank();
        if (ch === "!") this.bad("multiple `!'s");
      }
      cmd.cmd = ch;
      const index = this.cmds.length;
      switch (ch) {
        case "#": {
          if (cmd.a1) this.bad("comments don't accept any addresses");
          ch = p.inchar();
          if (ch === "n" && this.firstScript && p.line < 2 && p.pos === 2) this.opts.quiet = true;
          while (ch !== "" && ch !== "\n") ch = p.inchar();
          continue;
        }
        case "v":
          this.readLabel();
          continue;
        case "{":
          this.blocks.push({ index, prog: p });
          cmd.bang = !cmd.bang;
          break;
        case "}": {
          const open = this.blocks.pop();
          if (open === undefined) this.bad("unexpected `}'");
          if (cmd.a1) this.bad("} doesn't want any addresses");
          this.readEndOfCmd();
          this.cmds[open.index].jump = index;
          break;
        }
        case "e":
          if (this.opts.sandbox) this.bad("e/r/w commands disabled in sandbox mode");
          ch = p.inNonblank();
          if (ch === "" || ch === "\n") {
            cmd.text = "";
            break;
          }
          if (ch === "\\") ch = p.inchar();
          else {
            p.savchar(ch);
            ch = "\n";
          }
          this.readText(cmd, ch);
          break;
        case "a":
        case "i":
        case "c": {
          ch = p.inNonblank();
          if (ch === "") this.bad("expected \\ after `a', `c' or `i'");
          if (ch === "\\") ch = p.inchar();
          else {
            p.savchar(ch);
            ch = "\n";
          }
          this.readText(cmd, ch);
          break;
        }
        case ":": {
          if (cmd.a1) this.bad(": doesn't want any addresses");
          const label = this.readLabel();
          if (label === "") this.bad('":" lacks a label');
          this.labels.set(label, index);
          break;
        }
        case "T":
        case "b":
        case "t":
          this.jumps.push({ index, name: this.readLabel() });
          break;
        case "Q":
        case "q":
        case "L":
        case "l": {
          if ((ch === "q" || ch === "Q") && cmd.a2) this.bad("command only uses one address");
          if (ch === "L") this.bad("unknown command: `L'");
          ch = p.inNonblank();
          if (isDigit(ch)) cmd.intArg = this.inInteger(ch);
          else {
            cmd.intArg = -1;
            p.savchar(ch);
          }
          this.readEndOfCmd();
          break;
        }
        case "=":
        case "d":
        case "D":
        case "F":
        case "g":
        case "G":
        case "h":
        case "H":
        case "n":
        case "N":
        case "p":
        case "P":
        case "z":
        case "x":
          this.readEndOfCmd();
          break;
        case "r": {
          const name = this.readFilename();
          if (name.length === 0) this.bad("missing filename in r/R/w/W commands");
          cmd.fname = name;
          if (cmd.a1 && cmd.a1.type === "num" && cmd.a1.n === 0 && !cmd.a2) {
            cmd.a1.n = 1;
            cmd.append = false;
          } else {
            cmd.append = true;
          }
          break;
        }
        case "R":
          cmd.inf = (await this.getOpenfile(false)) as ReadFile;
          break;
        case "W":
        case "w":
          cmd.outf = (await this.getOpenfile(true)) as OutFile;
          break;
        case "s": {
          const slash = p.inchar();
          const b = this.matchSlash(slash, true);
          if (b === undefined) this.bad("unterminated `s' command");
          const b2 = this.matchSlash(slash, false);
          if (b2 === undefined) this.bad("unterminated `s' command");
          const { parts, maxId } = setupReplacement(b2);
          const sub: Subst = {
            re: null,
            replacement: parts,
            global: false,
            print: 0,
            numb: 0,
            outf: undefined,
            eval: false,
          };
          const flags = await this.markSubstOpts(sub);
          sub.re = this.compileRegex(b, flags.icase, flags.multi, maxId);
          cmd.subst = sub;
          break;
        }
        case "y": {
          const slash = p.inchar();
          const b = this.matchSlash(slash, false);
          if (b === undefined) this.bad("unterminated `y' command");
          const src = normalizeText(b, "buffer");
          const b2 = this.matchSlash(slash, false);
          if (b2 === undefined) this.bad("unterminated `y' command");
          const dst = normalizeText(b2, "buffer");
          if (src.length !== dst.length) this.bad("strings for `y' command are different lengths");
          const map = new Map<string, string>();
          for (let i = 0; i < src.length; i++) map.set(src[i], dst[i]);
          cmd.ymap = map;
          this.readEndOfCmd();
          break;
        }
        case "":
          this.bad("missing command");
          break;
        default:
          this.bad(`unknown command: \`${ch}'`);
      }
      this.cmds.push(cmd);
    }
  }

  async markSubstOpts(sub: Subst): Promise<{ icase: boolean; multi: boolean }> {
    const p = this.prog;
    let icase = false;
    let multi = false;
    for (;;) {
      const ch = p.inNonblank();
      switch (ch) {
        case "i":
        case "I":
          icase = true;
          break;
        case "m":
        case "M":
          multi = true;
          break;
        case "e":
          if (this.opts.sandbox) this.bad("e/r/w commands disabled in sandbox mode");
          sub.eval = true;
          break;
        case "p":
          if (sub.print) this.bad("multiple `p' options to `s' command");
          sub.print |= sub.eval ? 2 : 1;
          break;
        case "g":
          if (sub.global) this.bad("multiple `g' options to `s' command");
          sub.global = true;
          break;
        case "w":
          sub.outf = (await this.getOpenfile(true)) as OutFile;
          return { icase, multi };
        case "}":
        case "#":
          p.savchar(ch);
          return { icase, multi };
        case "":
        case "\n":
        case ";":
          return { icase, multi };
        case "\r":
          if (p.inchar() === "\n") return { icase, multi };
          this.bad("unknown option to `s'");
          break;
        default:
          if (isDigit(ch)) {
            if (sub.numb) this.bad("multiple number options to `s' command");
            sub.numb = this.inInteger(ch);
            if (!sub.numb) this.bad("number option to `s' command may not be zero");
            break;
          }
          this.bad("unknown option to `s'");
      }
    }
  }

  finish(): void {
    if (this.blocks.length > 0) {
      const open = this.blocks[this.blocks.length - 1];
      if (open.prog.fileName !== undefined) {
        throw new SedExit(
          `sed: file ${open.prog.fileName} line ${open.prog.line}: unmatched \`{'`,
          1,
        );
      }
      throw new SedExit(`sed: -e expression #${open.prog.exprNo}, char 0: unmatched \`{'`, 1);
    }
    if (this.pendingText !== undefined) {
      if (this.pendingCmd) this.pendingCmd.text = this.pendingText;
      this.pendingText = undefined;
    }
    for (const jump of this.jumps) {
      const target = this.labels.get(jump.name);
      if (target !== undefined) this.cmds[jump.index].jump = target;
      else if (jump.name !== "") {
        throw new SedExit(`sed: can't find label for jump to \`${jump.name}'`, 4);
      } else this.cmds[jump.index].jump = this.cmds.length;
    }
  }
}

/** GNU normalize_text: \a \f \n \r \t \v, \dNNN \oNNN \xHH, \cX escapes. */
function normalizeText(text: string, kind: "buffer" | "regex" | "replacement"): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== "\\" || i + 1 >= text.length) {
      out += c;
      i++;
      continue;
    }
    const n = text[i + 1];
    const simple: Record<string, string> = {
      a: "\x07",
      f: "\f",
      "\n": "\n",
      n: "\n",
      r: "\r",
      t: "\t",
      v: "\v",
    };
    if (n in simple) {
      out += simple[n];
      i += 2;
      continue;
    }
    if (n === "d" || n === "x" || n === "o") {
      const base = n === "d" ? 10 : n === "x" ? 16 : 8;
      let j = i + 2;
      let value = 0;
      let max = 1;
      while (j < text.length && max <= 255) {
        const d = Number.parseInt(text[j], 16);
        if (Number.isNaN(d) || d >= base) break;
        value = value * base + d;
        j++;
        max *= base;
      }
      if (j === i + 2) {
        out += n;
      } else {
        const ch = String.fromCharCode(value & 0xff);
        if (kind === "replacement" && (ch === "&" || ch === "\\")) out += "\\";
        out += ch;
      }
      i = j;
      continue;
    }
    if (n === "c") {
      if (i + 2 < text.length) {
        const x = text[i + 2];
        if (x === "\\") {
          if (text[i + 3] !== "\\") {
            throw new SedExit(
              "sed: -e expression #1, char 0: recursive escaping after \\c not allowed",
              1,
            );
          }
          out += String.fromCharCode(0x5c ^ 0x40);
          i += 4;
          continue;
        }
        out += String.fromCharCode(x.toUpperCase().charCodeAt(0) ^ 0x40);
        i += 3;
        continue;
      }
      if (kind !== "buffer") out += "\\";
      i += 1;
      continue;
    }
    // Pass the backslash up one level for interpretation.
    if (kind !== "buffer") out += "\\";
    out += n;
    i += 2;
  }
  return out;
}

/** GNU setup_replacement: literal prefixes, \N and & references, case conversions. */
function setupReplacement(raw: string): { parts: ReplPart[]; maxId: number } {
  const text = normalizeText(raw, "replacement");
  const parts: ReplPart[] = [];
  let maxId = 0;
  let replType = REPL_ASIS;
  let saveType = REPL_ASIS;
  let base = 0;
  for (let p = 0; p < text.length; p++) {
    if (text[p] === "\\") {
      const tail: ReplPart = { prefix: text.slice(base, p), id: -1, type: replType };
      parts.push(tail);
      replType = saveType;
      p++;
      if (p === text.length) {
        tail.prefix += "\\";
      } else {
        const c = text[p];
        if (isDigit(c)) {
          tail.id = Number(c);
          if (maxId < tail.id) maxId = tail.id;
        } else if (c === "L") {
          replType = saveType = REPL_LOWERCASE;
        } else if (c === "U") {
          replType = saveType = REPL_UPPERCASE;
        } else if (c === "E") {
          replType = saveType = REPL_ASIS;
        } else if (c === "l") {
          saveType = replType;
          replType |= REPL_LOWERCASE_FIRST;
        } else if (c === "u") {
          saveType = replType;
          replType |= REPL_UPPERCASE_FIRST;
        } else {
          tail.prefix += c;
        }
      }
      base = p + 1;
    } else if (text[p] === "&") {
      parts.push({ prefix: text.slice(base, p), id: 0, type: replType });
      replType = saveType;
      base = p + 1;
    }
  }
  if (base < text.length) parts.push({ prefix: text.slice(base), id: -1, type: replType });
  return { parts, maxId };
}

const upper = (s: string): string => s.replace(/[a-z]+/g, (m) => m.toUpperCase());
const lower = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

function appendModified(s: string, type: number): string {
  if (type === REPL_ASIS || s.length === 0) return s;
  let out = "";
  let rest = s;
  if (type & (REPL_UPPERCASE_FIRST | REPL_LOWERCASE_FIRST)) {
    out = type & REPL_UPPERCASE_FIRST ? upper(rest[0]) : lower(rest[0]);
    rest = rest.slice(1);
    type &= ~REPL_MODIFIERS;
    if (type === REPL_ASIS) return out + rest;
  }
  return out + (type & REPL_UPPERCASE ? upper(rest) : lower(rest));
}

// ---- execution ---------------------------------------------------------------------------

interface InputFile {
  name: string;
  fd: number;
  opened: boolean;
  buf: string;
  eof: boolean;
  /** For -i: where the edited text goes. */
  out?: OutFile;
  mode?: number;
}

class Sed {
  readonly ctx: ProcessContext;
  readonly opts: Options;
  readonly cmds: Cmd[];
  readonly stdout: OutFile;
  readonly stderr: OutFile;
  readonly wfiles: Map<string, OutFile>;
  readonly rfiles: Map<string, ReadFile>;
  readonly delim: string;
  out: OutFile;
  files: string[];
  fileIndex = 0;
  input: InputFile | undefined;
  lineNumber = 0;
  badCount = 0;
  resetAtNextFile = true;
  ps = "";
  chomped = true;
  hold = "";
  /** The hold space carries its own "was a newline dropped" flag (GNU's struct line). */
  holdChomped = true;
  replaced = false;
  appendQueue: { text?: string; fname?: string }[] = [];
  lastRegex: SedRegex | undefined;

  constructor(ctx: ProcessContext, opts: Options, compiler: Compiler, files: string[]) {
    this.ctx = ctx;
    this.opts = opts;
    this.cmds = compiler.cmds;
    this.stdout = compiler.stdout;
    this.stderr = compiler.stderr;
    this.wfiles = compiler.wfiles;
    this.rfiles = compiler.rfiles;
    this.delim = opts.nullData ? "\0" : "\n";
    this.out = this.stdout;
    this.files = files;
  }

  async flushFile(f: OutFile, force = false): Promise<void> {
    if (f.memory) return;
    if (f.size === 0 || (!force && f.size < FLUSH_AT && !this.opts.unbuffered)) return;
    const data = latin1Bytes(f.take());
    if (f === this.stdout) await this.ctx.write(1, data);
    else if (f === this.stderr) await this.ctx.write(2, data);
    else if (f.fd !== undefined) await this.ctx.write(f.fd, data);
  }

  async flushAll(): Promise<void> {
    await this.flushFile(this.stdout, true);
    await this.flushFile(this.stderr, true);
    for (const f of this.wfiles.values()) await this.flushFile(f, true);
  }

  missingNewline(o: OutFile): void {
    if (o.missingNewline) {
      o.add(this.delim);
      o.missingNewline = false;
    }
  }

  async outputLine(text: string, nl: boolean, o: OutFile): Promise<void> {
    this.missingNewline(o);
    o.add(text);
    if (nl) o.add(this.delim);
    else o.missingNewline = true;
    await this.flushFile(o);
  }

  async readWholeFile(name: string): Promise<string | undefined> {
    try {
      if (name === "/dev/stdin" || name === "-") return latin1(await this.ctx.readAll(0));
      return latin1(await this.ctx.readFile(name));
    } catch (err) {
      if (!this.ctx.alive) throw err;
      return undefined;
    }
  }

  async dumpAppend(): Promise<void> {
    this.missingNewline(this.out);
    for (const a of this.appendQueue) {
      if (a.text !== undefined) this.out.add(a.text);
      if (a.fname !== undefined) {
        const text = await this.readWholeFile(a.fname);
        if (text !== undefined) this.out.add(text);
      }
    }
    this.appendQueue = [];
    await this.flushFile(this.out);
  }

  // -- input --

  async openNextFile(name: string): Promise<void> {
    const file: InputFile = { name, fd: 0, opened: false, buf: "", eof: false };
    this.input = undefined;
    if (name === "-" && this.opts.inPlace === undefined) {
      this.input = file;
    } else {
      try {
        file.fd = await this.ctx.open(name, O_RDONLY);
        file.opened = true;
      } catch (err) {
        if (!this.ctx.alive) throw err;
        await this.flushAll();
        await this.ctx.err(`sed: can't read ${name}: ${describeError(err)}\n`);
        this.badCount++;
        return;
      }
      this.input = file;
      if (this.opts.inPlace !== undefined) {
        const st = await this.ctx.fstat(file.fd);
        if ((st.mode & S_IFMT) !== S_IFREG) {
          throw new SedExit(`sed: couldn't edit ${name}: not a regular file`, 4);
        }
        file.mode = st.mode & 0o7777;
        file.out = new OutFile(name, undefined, true);
        this.out = file.out;
      }
    }
    if (this.opts.inPlace === undefined) this.out = this.stdout;
  }

  async closedown(): Promise<void> {
    const file = this.input;
    this.input = undefined;
    if (file === undefined) return;
    if (file.opened) this.ctx.close(file.fd);
    if (file.out !== undefined) {
      const suffix = this.opts.inPlace ?? "";
      const dir = file.name.includes("/") ? file.name.slice(0, file.name.lastIndexOf("/")) : ".";
      const tmp = `${dir}/sed${Math.random().toString(36).slice(2, 8)}`;
      await this.ctx.writeFile(tmp, latin1Bytes(file.out.take()), file.mode);
      if (file.mode !== undefined) await this.ctx.chmod(tmp, file.mode);
      if (suffix !== "" && suffix !== "*") {
        await this.ctx.rename(file.name, backupName(file.name, suffix));
      }
      await this.ctx.rename(tmp, file.name);
      this.out = this.stdout;
    }
  }

  /** Fills the buffer of the current file; false at its end. */
  async fill(file: InputFile): Promise<boolean> {
    if (file.eof) return false;
    let chunk: Uint8Array | null;
    try {
      chunk = await this.ctx.read(file.fd, CHUNK);
    } catch (err) {
      if (!this.ctx.alive) throw err;
      throw new SedExit(`sed: read error on ${file.name}: ${describeError(err)}`, 4);
    }
    if (chunk === null || chunk.length === 0) {
      file.eof = true;
      return false;
    }
    file.buf += latin1(chunk);
    return true;
  }

  /** GNU read_file_line on the current file. */
  async readLine(append: boolean): Promise<boolean> {
    const file = this.input;
    if (file === undefined) return false;
    let start = 0;
    for (;;) {
      const nl = file.buf.indexOf(this.delim, start);
      if (nl >= 0) {
        const text = file.buf.slice(0, nl);
        file.buf = file.buf.slice(nl + 1);
        this.ps = append ? this.ps + text : text;
        return true;
      }
      start = file.buf.length;
      if (!(await this.fill(file))) break;
    }
    if (file.buf.length === 0) return false;
    this.ps = append ? this.ps + file.buf : file.buf;
    file.buf = "";
    this.chomped = false;
    return true;
  }

  async hasMoreInCurrent(): Promise<boolean> {
    const file = this.input;
    if (file === undefined) return false;
    if (file.buf.length > 0) return true;
    return this.fill(file);
  }

  async lastFileWithData(): Promise<boolean> {
    for (;;) {
      await this.closedown();
      if (this.fileIndex >= this.files.length) return true;
      await this.openNextFile(this.files[this.fileIndex++]);
      if (this.input !== undefined && (await this.hasMoreInCurrent())) return false;
    }
  }

  async testEof(): Promise<boolean> {
    if (await this.hasMoreInCurrent()) return false;
    return this.opts.separate || (await this.lastFileWithData());
  }

  async readPatternSpace(append: boolean): Promise<boolean> {
    if (this.appendQueue.length > 0) await this.dumpAppend();
    this.replaced = false;
    if (!append) this.ps = "";
    this.chomped = true;
    while (!(await this.readLine(append))) {
      await this.closedown();
      if (this.fileIndex >= this.files.length) return false;
      if (this.resetAtNextFile) {
        this.lineNumber = 0;
        this.hold = "";
        for (const c of this.cmds) {
          c.range = c.a1 && c.a1.type === "num" && c.a1.n === 0 ? "active" : "inactive";
        }
        for (const r of this.rfiles.values()) r.pos = 0;
        if (this.opts.inPlace !== undefined) this.out.missingNewline = false;
        this.resetAtNextFile = this.opts.separate;
      }
      await this.openNextFile(this.files[this.fileIndex++]);
    }
    this.lineNumber++;
    return true;
  }

  // -- matching --

  testRegex(r: SedRegex | null, text: string): boolean {
    let regex = r;
    if (regex === null) {
      if (this.lastRegex === undefined) throw new SedExit("sed: no previous regular expression", 4);
      regex = this.lastRegex;
    } else {
      this.lastRegex = regex;
    }
    return regex.re.test(text);
  }

  matchRegex(r: SedRegex | null, text: string, from: number): RegExpExecArray | null {
    let regex = r;
    if (regex === null) {
      if (this.lastRegex === undefined) throw new SedExit("sed: no previous regular expression", 4);
      regex = this.lastRegex;
    } else {
      this.lastRegex = regex;
    }
    return regex.re.exec(text, from);
  }

  async matchAn(addr: Addr): Promise<boolean> {
    switch (addr.type) {
      case "null":
        return true;
      case "regex":
        return this.testRegex(addr.re, this.ps);
      case "mod":
        return this.lineNumber >= addr.n && (this.lineNumber - addr.n) % addr.step === 0;
      case "step":
      case "stepmod":
        return addr.n <= this.lineNumber;
      case "last":
        return this.testEof();
      case "num":
        return addr.n === this.lineNumber;
    }
  }

  async matchAddress(cmd: Cmd): Promise<boolean> {
    if (!cmd.a1) return true;
    const a2 = cmd.a2;
    if (cmd.range !== "active") {
      if (!a2) return this.matchAn(cmd.a1);
      if (cmd.a1.type === "num") {
        if (cmd.range === "closed" || this.lineNumber < cmd.a1.n) return false;
      } else if (!(await this.matchAn(cmd.a1))) {
        return false;
      }
      cmd.range = "active";
      switch (a2.type) {
        case "regex":
          return true;
        case "num":
          if (this.lineNumber >= a2.n) cmd.range = "closed";
          return this.lineNumber <= a2.n || (await this.matchAn(cmd.a1));
        case "step":
          a2.n = this.lineNumber + a2.step;
          return true;
        case "stepmod":
          a2.n = this.lineNumber + a2.step - (this.lineNumber % a2.step);
          return true;
        default:
          break;
      }
    }
    if (a2 === undefined) return true;
    if (a2.type === "num") {
      if (this.lineNumber >= a2.n) cmd.range = "closed";
      return this.lineNumber <= a2.n;
    }
    if (await this.matchAn(a2)) cmd.range = "closed";
    return true;
  }

  // -- commands --

  doList(lineLen: number): void {
    const o = this.out;
    this.missingNewline(o);
    let width = 0;
    let out = "";
    const escapes: Record<number, string> = {
      7: "a",
      8: "b",
      12: "f",
      10: "n",
      13: "r",
      9: "t",
      11: "v",
    };
    for (let i = 0; i < this.ps.length; i++) {
      const c = this.ps.charCodeAt(i);
      let ob: string;
      if (c >= 32 && c < 127) ob = c === 92 ? "\\\\" : this.ps[i];
      else ob = `\\${escapes[c] ?? c.toString(8).padStart(3, "0")}`;
      if (width + ob.length >= lineLen && lineLen > 0) {
        out += `\\${this.delim}`;
        width = 0;
      }
      out += ob;
      width += ob.length;
    }
    o.add(`${out}$${this.delim}`);
  }

  doSubst(sub: Subst): void {
    const line = this.ps;
    let start = 0;
    let lastEnd = 0;
    let count = 0;
    let again = true;
    let m = this.matchRegex(sub.re, line, 0);
    if (m === null) return;
    let acc = "";
    do {
      const offset = m.index;
      let matched = m[0].length;
      if (start < offset) {
        acc += line.slice(start, offset);
        start = offset;
      }
      if ((matched > 0 || count === 0 || offset > lastEnd) && ++count >= (sub.numb || 1)) {
        this.replaced = true;
        acc += this.appendReplacement(sub.replacement, m);
        again = sub.global;
      } else {
        if (matched === 0) {
          if (start < line.length) matched = 1;
          else break;
        }
        acc += line.slice(offset, offset + matched);
      }
      start = offset + matched;
      lastEnd = m.index + m[0].length;
      if (!again || start > line.length) break;
      m = this.matchRegex(sub.re, line, start);
    } while (m !== null);
    if (start < line.length) acc += line.slice(start);
    this.ps = acc;
    if (count < (sub.numb || 1)) return;
    this.postSubst = sub;
  }

  postSubst: Subst | undefined;

  appendReplacement(parts: ReplPart[], m: RegExpExecArray): string {
    let out = "";
    let replMod = 0;
    for (const p of parts) {
      let currType = p.type & REPL_MODIFIERS ? p.type : p.type | replMod;
      replMod = 0;
      if (p.prefix.length > 0) {
        out += appendModified(p.prefix, currType);
        currType &= ~REPL_MODIFIERS;
      }
      if (p.id >= 0) {
        const g = m[p.id] ?? "";
        if (g.length === 0 && p.type & REPL_MODIFIERS) replMod = currType & REPL_MODIFIERS;
        else if (g.length > 0) out += appendModified(g, currType);
      }
    }
    return out;
  }

  /** Runs `sh -c command` in the VM and returns its standard output (latin1). */
  async runShell(command: string): Promise<string> {
    const ctx = this.ctx;
    const [r, w] = ctx.pipe();
    let pid: number;
    try {
      pid = await ctx.spawn({
        argv: ["sh", "-c", new TextDecoder().decode(latin1Bytes(command))],
        cwd: ctx.cwd,
        env: ctx.env,
        fds: [[1, w]],
      });
    } catch (err) {
      ctx.close(r);
      ctx.close(w);
      if (!ctx.alive) throw err;
      throw new SedExit("sed: error in subprocess", 4);
    }
    ctx.close(w);
    let out = "";
    try {
      for (;;) {
        const chunk = await ctx.read(r, CHUNK);
        if (chunk === null || chunk.length === 0) break;
        out += latin1(chunk);
      }
    } finally {
      ctx.close(r);
    }
    await ctx.waitpid(pid);
    return out;
  }

  async rLine(f: ReadFile): Promise<string | undefined> {
    if (!f.loaded) {
      f.loaded = true;
      const text = await this.readWholeFile(f.name);
      if (text !== undefined) {
        const lines = text.split(this.delim).map((l) => `${l}${this.delim}`);
        const last = lines.pop();
        if (last !== undefined && last !== this.delim) lines.push(last.slice(0, -1));
        f.lines = lines;
      }
    }
    if (f.lines === undefined || f.pos >= f.lines.length) return undefined;
    return f.lines[f.pos++];
  }

  /** Runs the script on the pattern space; -1 at the end of the cycle, else an exit code. */
  async execute(): Promise<number> {
    const cmds = this.cmds;
    let i = 0;
    while (i < cmds.length) {
      const cmd = cmds[i];
      if ((await this.matchAddress(cmd)) !== cmd.bang) {
        switch (cmd.cmd) {
          case "a":
            this.appendQueue.push({ text: cmd.text ?? "" });
            break;
          case "{":
          case "b":
            i = cmd.jump ?? cmds.length;
            continue;
          case "}":
          case ":":
            break;
          case "c":
            if (cmd.range !== "active") {
              const t = cmd.text ?? "\n";
              await this.outputLine(t.slice(0, -1), true, this.out);
            }
            return -1;
          case "d":
            return -1;
          case "D": {
            const nl = this.ps.indexOf(this.delim);
            if (nl < 0) return -1;
            this.ps = this.ps.slice(nl + 1);
            i = 0;
            continue;
          }
          case "e": {
            await this.flushAll();
            if (!cmd.text) {
              let result = await this.runShell(this.ps);
              if (result.endsWith(this.delim)) result = result.slice(0, -1);
              this.ps = result;
            } else {
              this.missingNewline(this.out);
              this.out.add(await this.runShell(cmd.text.slice(0, -1)));
            }
            break;
          }
          case "g":
            this.ps = this.hold;
            this.chomped = this.holdChomped;
            break;
          case "G":
            this.ps += this.delim + this.hold;
            this.chomped = this.holdChomped;
            break;
          case "h":
            this.hold = this.ps;
            this.holdChomped = this.chomped;
            break;
          case "H":
            this.hold += this.delim + this.ps;
            this.holdChomped = this.chomped;
            break;
          case "i": {
            const t = cmd.text ?? "\n";
            await this.outputLine(t.slice(0, -1), true, this.out);
            break;
          }
          case "l":
            this.doList(
              cmd.intArg === -1 || cmd.intArg === undefined ? this.opts.lineLength : cmd.intArg,
            );
            await this.flushFile(this.out);
            break;
          case "n":
            if (!this.opts.quiet) await this.outputLine(this.ps, this.chomped, this.out);
            if ((await this.testEof()) || !(await this.readPatternSpace(false))) return -1;
            break;
          case "N":
            this.ps += this.delim;
            if ((await this.testEof()) || !(await this.readPatternSpace(true))) {
              this.ps = this.ps.slice(0, -1);
              if (!this.opts.posix && !this.opts.quiet) {
                await this.outputLine(this.ps, this.chomped, this.out);
              }
              return -1;
            }
            break;
          case "p":
            await this.outputLine(this.ps, this.chomped, this.out);
            break;
          case "P": {
            const nl = this.ps.indexOf(this.delim);
            await this.outputLine(
              nl < 0 ? this.ps : this.ps.slice(0, nl),
              nl >= 0 || this.chomped,
              this.out,
            );
            break;
          }
          case "q":
            if (!this.opts.quiet) await this.outputLine(this.ps, this.chomped, this.out);
            await this.dumpAppend();
            return cmd.intArg === -1 || cmd.intArg === undefined ? 0 : cmd.intArg;
          case "Q":
            return cmd.intArg === -1 || cmd.intArg === undefined ? 0 : cmd.intArg;
          case "r":
            if (cmd.append) this.appendQueue.push({ fname: cmd.fname });
            else {
              const text = await this.readWholeFile(cmd.fname ?? "");
              if (text !== undefined) this.out.add(text);
            }
            break;
          case "R":
            if (cmd.inf) {
              const text = await this.rLine(cmd.inf);
              if (text !== undefined) this.appendQueue.push({ text });
            }
            break;
          case "s": {
            const sub = cmd.subst as Subst;
            this.postSubst = undefined;
            this.doSubst(sub);
            if (this.postSubst !== undefined) {
              if (sub.print & 1) await this.outputLine(this.ps, this.chomped, this.out);
              if (sub.eval) {
                await this.flushAll();
                let result = await this.runShell(this.ps);
                if (result.endsWith(this.delim)) result = result.slice(0, -1);
                this.ps = result;
              }
              if (sub.print & 2) await this.outputLine(this.ps, this.chomped, this.out);
              if (sub.outf) await this.outputLine(this.ps, this.chomped, sub.outf);
            }
            break;
          }
          case "t":
            if (this.replaced) {
              this.replaced = false;
              i = cmd.jump ?? cmds.length;
              continue;
            }
            break;
          case "T":
            if (!this.replaced) {
              i = cmd.jump ?? cmds.length;
              continue;
            }
            this.replaced = false;
            break;
          case "w":
            if (cmd.outf) await this.outputLine(this.ps, this.chomped, cmd.outf);
            break;
          case "W":
            if (cmd.outf) {
              const nl = this.ps.indexOf(this.delim);
              await this.outputLine(
                nl < 0 ? this.ps : this.ps.slice(0, nl),
                nl >= 0 || this.chomped,
                cmd.outf,
              );
            }
            break;
          case "x": {
            const t = this.ps;
            this.ps = this.hold;
            this.hold = t;
            const c = this.chomped;
            this.chomped = this.holdChomped;
            this.holdChomped = c;
            break;
          }
          case "y": {
            const map = cmd.ymap as Map<string, string>;
            let s = "";
            for (const ch of this.ps) s += map.get(ch) ?? ch;
            this.ps = s;
            break;
          }
          case "z":
            this.ps = "";
            break;
          case "=":
            this.missingNewline(this.out);
            this.out.add(`${this.lineNumber}${this.delim}`);
            break;
          case "F":
            this.missingNewline(this.out);
            this.out.add(`${toLatin1(this.input?.name ?? "-")}${this.delim}`);
            break;
        }
      }
      i++;
    }
    if (!this.opts.quiet) await this.outputLine(this.ps, this.chomped, this.out);
    return -1;
  }

  async run(): Promise<number> {
    try {
      return await this.#run();
    } catch (err) {
      if (err instanceof SedExit) await this.flushAll();
      throw err;
    }
  }

  async #run(): Promise<number> {
    let status = 0;
    while (await this.readPatternSpace(false)) {
      const s = await this.execute();
      if (s !== -1) {
        status = s;
        break;
      }
    }
    // Commits an in-place file even when q stopped early (GNU keeps only what was output).
    await this.closedown();
    if (this.appendQueue.length > 0) await this.dumpAppend();
    await this.flushAll();
    if (this.badCount > 0) return 2;
    return status;
  }
}

function backupName(name: string, suffix: string): string {
  const slash = name.lastIndexOf("/");
  const dir = slash >= 0 ? name.slice(0, slash + 1) : "";
  const base = name.slice(slash + 1);
  if (!suffix.includes("*")) return `${name}${suffix}`;
  const b = suffix.split("*").join(base);
  return b.includes("/") ? b : dir + b;
}

async function sedMain(ctx: ProcessContext): Promise<number> {
  const opts: Options = {
    quiet: false,
    extended: false,
    separate: false,
    inPlace: undefined,
    lineLength: 70,
    unbuffered: false,
    nullData: false,
    sandbox: false,
    posix: false,
  };
  let parsed: ReturnType<typeof gnuGetopt>;
  try {
    parsed = gnuGetopt(ctx.argv.slice(1), "bsnrzuEe:f:l:i::", LONGS, {
      permute: ctx.env.POSIXLY_CORRECT === undefined,
    });
  } catch (err) {
    if (err instanceof GetoptError) throw new SedExit(`sed: ${err.message}\n${USAGE}`.trimEnd(), 1);
    throw err;
  }
  const scripts: { text: string; file?: string }[] = [];
  for (const opt of parsed.options) {
    const v = opt.value ?? "";
    switch (opt.key) {
      case "n":
        opts.quiet = true;
        break;
      case "e":
        scripts.push({ text: toLatin1(v) });
        break;
      case "f": {
        let data: Uint8Array;
        try {
          data = v === "-" ? await ctx.readAll(0) : await ctx.readFile(v);
        } catch (err) {
          if (!ctx.alive) throw err;
          throw new SedExit(`sed: couldn't open file ${v}: ${describeError(err)}`, 4);
        }
        let text = latin1(data);
        if (text.endsWith("\n")) text = text.slice(0, -1);
        scripts.push({ text, file: v });
        break;
      }
      case "E":
      case "r":
        opts.extended = true;
        break;
      case "s":
        opts.separate = true;
        break;
      case "i":
        opts.inPlace = toLatin1(v);
        opts.separate = true;
        if (opts.inPlace === "") opts.inPlace = "";
        break;
      case "l": {
        // GNU uses atoi(): leading digits, else 0 (no wrapping).
        opts.lineLength = Number(/^\s*\+?([0-9]*)/.exec(v)?.[1] || "0");
        break;
      }
      case "u":
        opts.unbuffered = true;
        break;
      case "z":
        opts.nullData = true;
        break;
      case "b":
      case "follow-symlinks":
        break;
      case "posix":
        opts.posix = true;
        break;
      case "sandbox":
        opts.sandbox = true;
        break;
      case "debug":
        throw new SedExit("sed: option '--debug' is not supported", 1);
      case "help":
        await ctx.out(`${USAGE}E-mail bug reports to: <bug-sed@gnu.org>.\n`);
        return 0;
      case "version":
        await ctx.out("sed (GNU sed) 4.9\n");
        return 0;
    }
  }
  const operands = [...parsed.operands];
  if (scripts.length === 0) {
    if (operands.length === 0) throw new SedExit(USAGE.trimEnd(), 1);
    scripts.push({ text: toLatin1(operands.shift() ?? "") });
  }
  const stdout = new OutFile("/dev/stdout", 1);
  const stderr = new OutFile("/dev/stderr", 2);
  const compiler = new Compiler(ctx, opts, stdout, stderr);
  let exprNo = 0;
  for (const s of scripts) {
    const prog = s.file === undefined ? new Prog(s.text, ++exprNo) : new Prog(s.text, 0, s.file);
    await compiler.compile(prog);
    compiler.firstScript = false;
  }
  compiler.finish();
  if (opts.inPlace !== undefined && operands.length === 0) {
    throw new SedExit("sed: no input files", 4);
  }
  const sed = new Sed(ctx, opts, compiler, operands.length > 0 ? operands : ["-"]);
  try {
    return await sed.run();
  } finally {
    for (const f of compiler.wfiles.values()) {
      if (f.fd !== undefined) {
        try {
          ctx.close(f.fd);
        } catch {
          // already closed
        }
      }
    }
  }
}

export const sed: CommandDefinition = {
  name: "sed",
  async main(ctx) {
    try {
      return await sedMain(ctx);
    } catch (err) {
      if (err instanceof SedExit) {
        await ctx.err(latin1Bytes(`${err.message}\n`));
        return err.code;
      }
      throw err;
    }
  },
};
