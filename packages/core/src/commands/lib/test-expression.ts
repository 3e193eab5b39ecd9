/**
 * The `test` / `[` expression evaluator shared by coreutils `test` and the shell's builtins.
 *
 *   evaluateTest(args, fs, dialect, bracket = false) → Promise<{ status: 0 | 1 | 2; error? }>
 *
 * - `args` are the operands without the program name. With `bracket`, the last one must be
 *   "]" (the `[` form); it is checked and removed here.
 * - `fs` answers the file tests; a ProcessContext is structurally a TestFileSystem. The shell
 *   may add `isVarSet` (-v, -R) and `isOptionSet` (-o) for the bash dialect; without them
 *   those tests are false.
 * - `dialect` "bash" follows bash 5.2's test.c (errors like "a: integer expression expected",
 *   "too many arguments", "missing `]'"), "coreutils" follows coreutils 9.1's test.c (errors
 *   like "invalid integer 'a'", "extra argument 'x'", "missing ']'", and no < > operators).
 * - `error` is the message body only; the caller prefixes "test: ", "[: " or
 *   "bash: line N: test: ". Status 2 goes with every error.
 *
 * Both follow POSIX's rules by argument count (0-4 arguments are decided by position before
 * the recursive-descent grammar with ! -a -o and parentheses takes over). String comparisons
 * are bytewise (LC_ALL=C).
 */
import type { Stat } from "../../fs/types.ts";

export interface TestFileSystem {
  stat(path: string): Promise<Stat>;
  lstat(path: string): Promise<Stat>;
  /** Rejects when `mode` (R_OK 4, W_OK 2, X_OK 1) is not permitted. */
  access(path: string, mode: number): Promise<void>;
  isatty(fd: number): boolean;
  readonly uid: number;
  readonly gid: number;
  /** bash -v NAME (and -R NAME when `nameref` is set). */
  isVarSet?(name: string, nameref?: boolean): boolean;
  /** bash -o OPTNAME. */
  isOptionSet?(name: string): boolean;
}

export type TestDialect = "bash" | "coreutils";

export interface TestResult {
  status: 0 | 1 | 2;
  error?: string;
}

class SyntaxError2 extends Error {}

const S_IFMT = 0o170000;
const BASH_BINOPS = new Set([
  "=",
  "==",
  "!=",
  "<",
  ">",
  "-nt",
  "-ot",
  "-ef",
  "-eq",
  "-ne",
  "-lt",
  "-le",
  "-gt",
  "-ge",
]);
const CORE_BINOPS = new Set([
  "=",
  "==",
  "!=",
  "-nt",
  "-ot",
  "-ef",
  "-eq",
  "-ne",
  "-lt",
  "-le",
  "-gt",
  "-ge",
]);
const BASH_UNOPS = "abcdefghknoprstuvwxzGLOSNR";
const CORE_UNOPS = "bcdefghknprstuwxzGLOSN";

/** gnulib quote() in the C locale. */
function quote(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch === "'") out += "\\'";
    else if (ch === "\\") out += "\\\\";
    else if (code === 10) out += "\\n";
    else if (code === 9) out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\${code.toString(8).padStart(3, "0")}`;
    else out += ch;
  }
  return `'${out}'`;
}

export async function evaluateTest(
  args: string[],
  fs: TestFileSystem,
  dialect: TestDialect,
  bracket = false,
): Promise<TestResult> {
  let argv = ["test", ...args];
  try {
    if (bracket) {
      const last = argv[argv.length - 1];
      if (argv.length < 2 || last !== "]") {
        throw new SyntaxError2(dialect === "bash" ? "missing `]'" : `missing ${quote("]")}`);
      }
      argv = argv.slice(0, -1);
    }
    if (argv.length < 2) return { status: 1 };
    const evaluator = new Evaluator(argv, fs, dialect);
    const value = await evaluator.run();
    return { status: value ? 0 : 1 };
  } catch (err) {
    if (err instanceof SyntaxError2) return { status: 2, error: err.message };
    throw err;
  }
}

class Evaluator {
  readonly argv: string[];
  readonly argc: number;
  readonly fs: TestFileSystem;
  readonly bash: boolean;
  pos = 1;

  constructor(argv: string[], fs: TestFileSystem, dialect: TestDialect) {
    this.argv = argv;
    this.argc = argv.length;
    this.fs = fs;
    this.bash = dialect === "bash";
  }

  fail(message: string): never {
    throw new SyntaxError2(message);
  }

  beyond(): never {
    if (this.bash) this.fail("argument expected");
    this.fail(`missing argument after ${quote(this.argv[this.argc - 1])}`);
  }

  advance(check: boolean): void {
    this.pos++;
    if (check && this.pos >= this.argc) this.beyond();
  }

  isBinop(op: string | undefined): boolean {
    return op !== undefined && (this.bash ? BASH_BINOPS : CORE_BINOPS).has(op);
  }

  isUnop(op: string | undefined): boolean {
    if (op === undefined || op.length !== 2 || op[0] !== "-") return false;
    return (this.bash ? BASH_UNOPS : CORE_UNOPS).includes(op[1]);
  }

  async run(): Promise<boolean> {
    const value = await this.posix(this.argc - 1);
    if (this.pos !== this.argc) {
      if (this.bash) {
        if (this.pos < this.argc && this.argv[this.pos][0] === "-")
          this.fail(`syntax error: \`${this.argv[this.pos]}' unexpected`);
        this.fail("too many arguments");
      }
      this.fail(`extra argument ${quote(this.argv[this.pos])}`);
    }
    return value;
  }

  async posix(nargs: number): Promise<boolean> {
    const { argv } = this;
    switch (nargs) {
      case 1: {
        const value = argv[this.pos] !== "";
        this.pos++;
        return value;
      }
      case 2: {
        const value = await this.two();
        if (this.bash) this.pos = this.argc;
        return value;
      }
      case 3:
        return this.three();
      case 4:
        if (argv[this.pos] === "!") {
          this.advance(true);
          return !(await this.three());
        }
        if (this.bash) {
          if (argv[this.pos] === "(" && argv[this.argc - 1] === ")") {
            this.advance(true);
            const value = await this.two();
            this.pos = this.argc;
            return value;
          }
        } else if (argv[this.pos] === "(" && argv[this.pos + 3] === ")") {
          this.advance(false);
          const value = await this.two();
          this.advance(false);
          return value;
        }
        return this.expr();
      default:
        return this.expr();
    }
  }

  async two(): Promise<boolean> {
    const { argv } = this;
    const first = argv[this.pos];
    if (first === "!") {
      this.advance(false);
      const value = argv[this.pos] !== "";
      this.pos++;
      return !value;
    }
    if (first[0] === "-" && first.length === 2) {
      if (this.isUnop(first)) return this.unary();
      this.fail(
        this.bash
          ? `${first}: unary operator expected`
          : `${quote(first)}: unary operator expected`,
      );
    }
    if (this.bash) this.fail(`${first}: unary operator expected`);
    this.beyond();
  }

  async three(): Promise<boolean> {
    const { argv, pos } = this;
    if (this.isBinop(argv[pos + 1])) return this.binary(false);
    if (this.bash && (argv[pos + 1] === "-a" || argv[pos + 1] === "-o")) {
      const left = argv[pos] !== "";
      const right = argv[pos + 2] !== "";
      this.pos = this.argc;
      return argv[pos + 1] === "-a" ? left && right : left || right;
    }
    if (argv[pos] === "!") {
      this.advance(true);
      const value = !(await this.two());
      if (this.bash) this.pos = this.argc;
      return value;
    }
    if (argv[pos] === "(" && (this.bash ? argv[pos + 2][0] === ")" : argv[pos + 2] === ")")) {
      this.advance(false);
      const value = argv[this.pos] !== "";
      this.pos++;
      this.advance(false);
      if (this.bash) this.pos = this.argc;
      return value;
    }
    if (!this.bash && (argv[pos + 1] === "-a" || argv[pos + 1] === "-o")) return this.expr();
    const op = argv[pos + 1];
    this.fail(
      this.bash ? `${op}: binary operator expected` : `${quote(op)}: binary operator expected`,
    );
  }

  async expr(): Promise<boolean> {
    if (this.pos >= this.argc) this.beyond();
    return this.or();
  }

  async or(): Promise<boolean> {
    let value = await this.and();
    while (this.pos < this.argc && this.argv[this.pos] === "-o") {
      this.advance(false);
      const right = await this.and();
      value = value || right;
    }
    return value;
  }

  async and(): Promise<boolean> {
    let value = await this.term();
    while (this.pos < this.argc && this.argv[this.pos] === "-a") {
      this.advance(false);
      const right = await this.term();
      value = value && right;
    }
    return value;
  }

  async term(): Promise<boolean> {
    const { argv, argc } = this;
    if (this.pos >= argc) this.beyond();
    let invert = false;
    if (argv[this.pos] === "!") {
      while (this.pos < argc && argv[this.pos] === "!") {
        this.advance(true);
        invert = !invert;
      }
      if (this.bash) {
        const value = await this.term();
        return invert ? !value : value;
      }
    }
    let value: boolean;
    if (argv[this.pos] === "(") {
      this.advance(true);
      if (this.bash) value = await this.expr();
      else {
        let nargs = 1;
        for (; this.pos + nargs < argc && argv[this.pos + nargs] !== ")"; nargs++) {
          if (nargs === 4) {
            nargs = argc - this.pos;
            break;
          }
        }
        value = await this.posix(nargs);
      }
      const close = argv[this.pos];
      if (close === undefined) this.fail(this.bash ? "`)' expected" : `${quote(")")} expected`);
      if (close !== ")") {
        this.fail(
          this.bash
            ? `\`)' expected, found ${close}`
            : `${quote(")")} expected, found ${quote(close)}`,
        );
      }
      this.advance(false);
    } else if (
      !this.bash &&
      argc - this.pos >= 4 &&
      argv[this.pos] === "-l" &&
      this.isBinop(argv[this.pos + 2])
    ) {
      value = await this.binary(true);
    } else if (argc - this.pos >= 3 && this.isBinop(argv[this.pos + 1])) {
      value = await this.binary(false);
    } else if (this.bash) {
      if (argc - this.pos >= 2 && this.isUnop(argv[this.pos])) value = await this.unary();
      else {
        value = argv[this.pos] !== "";
        this.advance(false);
      }
    } else if (argv[this.pos][0] === "-" && argv[this.pos].length === 2) {
      if (this.isUnop(argv[this.pos])) value = await this.unary();
      else this.fail(`${quote(argv[this.pos])}: unary operator expected`);
    } else {
      value = argv[this.pos] !== "";
      this.advance(false);
    }
    return invert ? !value : value;
  }

  /** The integer operand of -eq and friends. */
  integer(text: string): bigint {
    const m = /^[ \t\n\v\f\r]*([-+]?)(\d+)[ \t\n\v\f\r]*$/.exec(text);
    const blank = this.bash ? m : /^[ \t]*([-+]?)(\d+)[ \t]*$/.exec(text);
    if (!m || !blank) {
      this.fail(
        this.bash ? `${text}: integer expression expected` : `invalid integer ${quote(text)}`,
      );
    }
    const value = BigInt(m[2]) * (m[1] === "-" ? -1n : 1n);
    // bash's strtoimax overflows; coreutils compares arbitrarily long integers.
    if (this.bash && (value > 2n ** 63n - 1n || value < -(2n ** 63n)))
      this.fail(`${text}: integer expression expected`);
    return value;
  }

  async binary(leftIsLength: boolean): Promise<boolean> {
    const { argv } = this;
    if (leftIsLength) this.advance(false);
    const op = this.pos + 1;
    let rightIsLength = false;
    if (!this.bash && op < this.argc - 2 && argv[op + 1] === "-l") {
      rightIsLength = true;
      this.advance(false);
    }
    const w = argv[op];
    const left = argv[op - 1];
    const right = argv[rightIsLength ? op + 2 : op + 1];
    this.pos += 3;
    switch (w) {
      case "=":
      case "==":
        return left === right;
      case "!=":
        return left !== right;
      case "<":
        return compareBytes(left, right) < 0;
      case ">":
        return compareBytes(left, right) > 0;
      case "-nt":
      case "-ot": {
        if (leftIsLength || rightIsLength) this.fail(`${w} does not accept -l`);
        const l = await this.mtime(left);
        const r = await this.mtime(right);
        if (w === "-nt") return l !== undefined && (r === undefined || l > r);
        return r !== undefined && (l === undefined || l < r);
      }
      case "-ef": {
        if (leftIsLength || rightIsLength) this.fail("-ef does not accept -l");
        const a = await this.tryStat(left);
        const b = await this.tryStat(right);
        return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
      }
      default: {
        const l = leftIsLength ? BigInt(byteLength(left)) : this.integer(left);
        const r = rightIsLength ? BigInt(byteLength(right)) : this.integer(right);
        switch (w) {
          case "-eq":
            return l === r;
          case "-ne":
            return l !== r;
          case "-lt":
            return l < r;
          case "-le":
            return l <= r;
          case "-gt":
            return l > r;
          default:
            return l >= r;
        }
      }
    }
  }

  async tryStat(path: string, link = false): Promise<Stat | undefined> {
    if (path === "") return undefined;
    try {
      return link ? await this.fs.lstat(path) : await this.fs.stat(path);
    } catch {
      return undefined;
    }
  }

  async mtime(path: string): Promise<number | undefined> {
    return (await this.tryStat(path))?.mtimeMs;
  }

  async unary(): Promise<boolean> {
    const op = this.argv[this.pos][1];
    this.advance(true);
    const arg = this.argv[this.pos];
    this.pos++;
    const type = async (bits: number): Promise<boolean> => {
      const st = await this.tryStat(arg);
      return st !== undefined && (st.mode & S_IFMT) === bits;
    };
    const modeBit = async (bit: number): Promise<boolean> => {
      const st = await this.tryStat(arg);
      return st !== undefined && (st.mode & bit) !== 0;
    };
    const access = async (mode: number): Promise<boolean> => {
      if (arg === "") return false;
      try {
        await this.fs.access(arg, mode);
        return true;
      } catch {
        return false;
      }
    };
    switch (op) {
      case "a":
      case "e":
        return (await this.tryStat(arg)) !== undefined;
      case "f":
        return type(0o100000);
      case "d":
        return type(0o040000);
      case "b":
        return type(0o060000);
      case "c":
        return type(0o020000);
      case "p":
        return type(0o010000);
      case "S":
        return type(0o140000);
      case "h":
      case "L": {
        const st = await this.tryStat(arg, true);
        return st !== undefined && (st.mode & S_IFMT) === 0o120000;
      }
      case "r":
        return access(4);
      case "w":
        return access(2);
      case "x":
        return access(1);
      case "s": {
        const st = await this.tryStat(arg);
        return st !== undefined && st.size > 0;
      }
      case "u":
        return modeBit(0o4000);
      case "g":
        return modeBit(0o2000);
      case "k":
        return modeBit(0o1000);
      case "O": {
        const st = await this.tryStat(arg);
        return st !== undefined && st.uid === this.fs.uid;
      }
      case "G": {
        const st = await this.tryStat(arg);
        return st !== undefined && st.gid === this.fs.gid;
      }
      case "N": {
        const st = await this.tryStat(arg);
        if (st === undefined) return false;
        return this.bash ? st.atimeMs <= st.mtimeMs : st.mtimeMs > st.atimeMs;
      }
      case "t": {
        if (this.bash) {
          const m = /^[ \t\n]*([-+]?\d+)[ \t\n]*$/.exec(arg);
          return m !== null && this.fs.isatty(Number(m[1]));
        }
        const fd = this.integer(arg);
        return fd >= 0n && fd <= 2147483647n && this.fs.isatty(Number(fd));
      }
      case "n":
        return arg !== "";
      case "z":
        return arg === "";
      case "o":
        return this.fs.isOptionSet?.(arg) ?? false;
      case "v":
        return this.fs.isVarSet?.(arg) ?? false;
      case "R":
        return this.fs.isVarSet?.(arg, true) ?? false;
      default:
        return false;
    }
  }
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** strcmp on the UTF-8 bytes (what LC_ALL=C compares). */
function compareBytes(a: string, b: string): number {
  if (/^[\x00-\x7f]*$/.test(a) && /^[\x00-\x7f]*$/.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}
