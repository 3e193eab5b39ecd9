/**
 * The expression language of GNU find: the parser (operators, precedence, global and
 * positional options, GNU's diagnostics) and the tests and actions it builds. Traversal and
 * process handling live in find.ts and reach this module through the `Runtime` interface.
 */
import { S_IFMT, type Stat } from "../../fs/types.ts";
import { describeError } from "../errors.ts";
import {
  applyFlags,
  compilePrintf,
  ctimeFormat,
  type FoundFile,
  findTimeFormat,
  modeString,
  type Names,
  type PrintfProgram,
  typeLetter,
} from "./find-printf.ts";
import { globToRegExp, REGEX_TYPES, regexToRegExp } from "./find-regex.ts";
import type { Output } from "./line-io.ts";

/** The file being visited. */
export interface Visit extends FoundFile {
  /** Base name used by -name. */
  name: string;
  /** Set by -prune. */
  prune: boolean;
}

/** What the expression needs from find.ts. */
export interface Runtime {
  readonly now: number;
  readonly tz: string | undefined;
  readonly names: Names;
  readonly out: Output;
  error(message: string): Promise<void>;
  setFailed(): void;
  quit(): never;
  /** Runs argv in `cwd` (undefined: find's cwd); resolves to the shell-style status or -1. */
  run(argv: string[], cwd: string | undefined): Promise<number>;
  access(path: string, mode: number): Promise<boolean>;
  isEmptyDir(path: string): Promise<boolean>;
  remove(v: Visit): Promise<boolean>;
  readlink(path: string): Promise<string | undefined>;
  /** -ok: asks on stderr, reads the answer from stdin. */
  confirm(prompt: string): Promise<boolean>;
}

export type Node =
  | { type: "and" | "or" | "comma"; left: Node; right: Node }
  | { type: "not"; expr: Node }
  | { type: "test"; name: string; run: (v: Visit, rt: Runtime) => boolean | Promise<boolean> };

export interface FindOptions {
  follow: "P" | "L" | "H";
  maxDepth: number;
  minDepth: number;
  depthFirst: boolean;
  xdev: boolean;
  ignoreReaddirRace: boolean;
}

/** A pending "-exec ... {} +" (or -execdir) batch. */
export interface ExecBatch {
  argv: string[];
  dir: boolean;
  paths: string[];
  size: number;
  cwd: string | undefined;
  /** Runs what is pending. */
  flush(rt: Runtime): Promise<void>;
}

export interface ParsedExpression {
  expr: Node;
  options: FindOptions;
  batches: ExecBatch[];
  /** Files opened by -fprint and friends, to flush and close at exit. */
  outputs: Array<{ out: Output; fd: number }>;
  warnings: string[];
}

/** A fatal usage error: its message is printed as "find: <message>" and find exits 1. */
export class FindUsageError extends Error {}

/** What parsing needs from the outside world. */
export interface ParseEnv {
  stat(path: string, follow: boolean): Promise<Stat>;
  openOutput(path: string): Promise<{ out: Output; fd: number }>;
  users: Map<string, number>;
  groups: Map<string, number>;
  now: number;
  tz: string | undefined;
}

const ACTIONS = new Set([
  "-print",
  "-print0",
  "-printf",
  "-fprint",
  "-fprint0",
  "-fprintf",
  "-ls",
  "-fls",
  "-exec",
  "-execdir",
  "-ok",
  "-okdir",
  "-delete",
]);

const NAME_LIKE = new Set([
  "-name",
  "-iname",
  "-path",
  "-ipath",
  "-wholename",
  "-iwholename",
  "-lname",
  "-ilname",
]);

const ARG_MAX_BATCH = 128 * 1024;

/** True when `arg` starts the expression (GNU's looks_like_expression). */
export function startsExpression(arg: string): boolean {
  if (arg.length > 1 && arg[0] === "-") return true;
  return arg === "!" || arg === "(";
}

type Cmp = "lt" | "eq" | "gt";

function parseCmp(text: string): { cmp: Cmp; rest: string } {
  if (text.startsWith("+")) return { cmp: "gt", rest: text.slice(1) };
  if (text.startsWith("-")) return { cmp: "lt", rest: text.slice(1) };
  return { cmp: "eq", rest: text };
}

function compare(cmp: Cmp, value: number, n: number): boolean {
  return cmp === "gt" ? value > n : cmp === "lt" ? value < n : value === n;
}

function q(text: string): string {
  return `\`${text}'`;
}

function typeOf(mode: number): string {
  return typeLetter(mode);
}

/** Parses a symbolic or octal -perm mode; undefined when invalid. */
export function parseMode(text: string): number | undefined {
  if (/^[0-7]+$/.test(text)) return Number.parseInt(text, 8) & 0o7777;
  let mode = 0;
  for (const clause of text.split(",")) {
    const m = /^([ugoa]*)((?:[-+=](?:[rwxXst]*|[ugo]))+)$/.exec(clause);
    if (!m) return undefined;
    let who = 0;
    for (const w of m[1] || "a") {
      if (w === "u") who |= 0o4700;
      else if (w === "g") who |= 0o2070;
      else if (w === "o") who |= 0o1007;
      else who |= 0o7777;
    }
    for (const op of m[2].match(/[-+=][^-+=]*/g) ?? []) {
      const perms = op.slice(1);
      let bits = 0;
      if (/^[ugo]$/.test(perms)) {
        const shift = perms === "u" ? 6 : perms === "g" ? 3 : 0;
        const src = (mode >> shift) & 7;
        bits = (src << 6) | (src << 3) | src;
      } else {
        for (const p of perms) {
          if (p === "r") bits |= 0o444;
          else if (p === "w") bits |= 0o222;
          else if (p === "x") bits |= 0o111;
          else if (p === "s") bits |= 0o6000;
          else if (p === "t") bits |= 0o1000;
        }
      }
      bits &= who;
      if (op[0] === "+") mode |= bits;
      else if (op[0] === "-") mode &= ~bits;
      else mode = (mode & ~(who & 0o7777)) | bits;
    }
  }
  return mode;
}

function sizeUnit(letter: string): number | undefined {
  switch (letter) {
    case "":
    case "b":
      return 512;
    case "c":
      return 1;
    case "w":
      return 2;
    case "k":
      return 1024;
    case "M":
      return 1048576;
    case "G":
      return 1073741824;
    default:
      return undefined;
  }
}

function timeOf(stat: Stat, which: string): number {
  if (which === "a") return stat.atimeMs;
  if (which === "c") return stat.ctimeMs;
  if (which === "B") return stat.birthtimeMs;
  return stat.mtimeMs;
}

/** The parser: a cursor over the expression arguments. */
class Parser {
  readonly args: string[];
  pos = 0;
  readonly env: ParseEnv;
  readonly options: FindOptions;
  readonly batches: ExecBatch[] = [];
  readonly outputs: Array<{ out: Output; fd: number }> = [];
  readonly warnings: string[] = [];
  regexType = "emacs";
  dayStart = false;
  hasAction = false;
  prunes = false;
  deletes = false;
  explicitDepth = false;
  lastTest = "";

  constructor(args: string[], env: ParseEnv, options: FindOptions) {
    this.args = args;
    this.env = env;
    this.options = options;
  }

  peek(): string | undefined {
    return this.args[this.pos];
  }

  /** Takes the argument of `pred`, or fails with "missing argument". */
  arg(pred: string): string {
    if (this.pos >= this.args.length) throw new FindUsageError(`missing argument to ${q(pred)}`);
    return this.args[this.pos++];
  }

  async parseComma(): Promise<Node> {
    let left = await this.parseOr();
    while (this.peek() === ",") {
      this.pos++;
      if (this.pos >= this.args.length || this.peek() === ")")
        throw new FindUsageError("expected an expression after ','");
      const right = await this.parseOr();
      left = { type: "comma", left, right };
    }
    return left;
  }

  async parseOr(): Promise<Node> {
    let left = await this.parseAnd();
    while (this.peek() === "-o" || this.peek() === "-or") {
      const op = this.args[this.pos++];
      const next = this.peek();
      if (next === undefined || next === ")" || next === "-o" || next === "-or" || next === ",")
        throw new FindUsageError(`expected an expression after '${op}'`);
      const right = await this.parseAnd();
      left = { type: "or", left, right };
    }
    return left;
  }

  async parseAnd(): Promise<Node> {
    let left = await this.parseNot();
    for (;;) {
      const next = this.peek();
      if (next === undefined || next === ")" || next === "-o" || next === "-or" || next === ",")
        return left;
      if (next === "-a" || next === "-and") {
        this.pos++;
        const after = this.peek();
        if (
          after === undefined ||
          after === ")" ||
          after === "-o" ||
          after === "-or" ||
          after === "," ||
          after === "-a" ||
          after === "-and"
        )
          throw new FindUsageError(`expected an expression after '${next}'`);
      }
      const right = await this.parseNot();
      left = { type: "and", left, right };
    }
  }

  async parseNot(): Promise<Node> {
    const tok = this.peek();
    if (tok === "!" || tok === "-not") {
      this.pos++;
      const next = this.peek();
      if (next === undefined || next === ")" || next === "-o" || next === "-or" || next === ",")
        throw new FindUsageError(`expected an expression after '${tok}'`);
      return { type: "not", expr: await this.parseNot() };
    }
    if (tok === "(") {
      this.pos++;
      if (this.peek() === ")")
        throw new FindUsageError("invalid expression; empty parentheses are not allowed.");
      if (this.peek() === undefined)
        throw new FindUsageError(
          "invalid expression; I was expecting to find a ')' somewhere but did not see one.",
        );
      const inner = await this.parseComma();
      if (this.peek() !== ")")
        throw new FindUsageError(
          "invalid expression; I was expecting to find a ')' somewhere but did not see one.",
        );
      this.pos++;
      return inner;
    }
    if (tok === ")") throw new FindUsageError("you have too many ')'");
    if (tok === "-a" || tok === "-and" || tok === "-o" || tok === "-or" || tok === ",") {
      throw new FindUsageError(
        `invalid expression; you have used a binary operator '${tok}' with nothing before it.`,
      );
    }
    return this.parsePrimary();
  }

  async parsePrimary(): Promise<Node> {
    const tok = this.args[this.pos++];
    if (!startsExpression(tok)) {
      let message = `paths must precede expression: ${q(tok)}`;
      if (NAME_LIKE.has(this.lastTest))
        message += `\nfind: possible unquoted pattern after predicate ${q(this.lastTest)}?`;
      throw new FindUsageError(message);
    }
    this.lastTest = tok;
    if (ACTIONS.has(tok)) this.hasAction = true;
    const node = await this.primary(tok);
    return node;
  }

  test(name: string, run: (v: Visit, rt: Runtime) => boolean | Promise<boolean>): Node {
    return { type: "test", name, run };
  }

  numberArg(pred: string): { cmp: Cmp; n: number } {
    const text = this.arg(pred);
    const { cmp, rest } = parseCmp(text);
    if (!/^[0-9]+$/.test(rest))
      throw new FindUsageError(`invalid argument ${q(text)} to ${q(pred)}`);
    return { cmp, n: Number(rest) };
  }

  depthArg(pred: string): number {
    const text = this.arg(pred);
    if (!/^[0-9]+$/.test(text))
      throw new FindUsageError(
        `Expected a positive decimal integer argument to ${pred}, but got '${text}'`,
      );
    return Number(text);
  }

  timeTest(pred: string, which: string, unit: number): Node {
    const text = this.arg(pred);
    const { cmp, rest } = parseCmp(text);
    if (!/^([0-9]+\.?[0-9]*|\.[0-9]+)$/.test(rest))
      throw new FindUsageError(`invalid argument ${q(text)} to ${q(pred)}`);
    const n = Number(rest);
    let origin = this.env.now;
    if (this.dayStart) {
      const d = new Date(origin);
      origin = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) + 86400000;
    }
    return this.test(pred, (v) => {
      const age = (origin - timeOf(v.stat, which)) / 1000;
      const lo = n * unit;
      if (cmp === "gt") return age > lo + unit;
      if (cmp === "lt") return age < lo;
      return age >= lo && age < lo + unit;
    });
  }

  async refStat(pred: string, follow: boolean): Promise<Stat> {
    const path = this.arg(pred);
    try {
      return await this.env.stat(path, follow);
    } catch (err) {
      throw new FindUsageError(`'${path}': ${describeError(err)}`);
    }
  }

  printfNode(name: string, format: string, out: (rt: Runtime) => Output): Node {
    let program: PrintfProgram;
    try {
      program = compilePrintf(format);
    } catch (err) {
      throw new FindUsageError((err as Error).message);
    }
    this.warnings.push(...program.warnings);
    for (const piece of program.pieces) {
      if (piece.kind === "directive" && piece.letter === "Z")
        this.warnings.push("warning: %Z is not supported (no SELinux contexts)");
    }
    return this.test(name, async (v, rt) => {
      await out(rt).write(await formatPrintf(program, v, rt));
      return true;
    });
  }

  execNode(pred: string): Node {
    const dir = pred === "-execdir" || pred === "-okdir";
    const ask = pred === "-ok" || pred === "-okdir";
    const argv: string[] = [];
    let plus = false;
    for (;;) {
      if (this.pos >= this.args.length || (argv.length === 0 && this.args[this.pos] === ";"))
        throw new FindUsageError(`missing argument to ${q(pred)}`);
      const a = this.args[this.pos++];
      if (a === ";") break;
      if (a === "+" && argv.length > 0 && argv[argv.length - 1] === "{}" && !ask) {
        plus = true;
        break;
      }
      if (a === "+" && argv.length > 0 && argv[argv.length - 1].includes("{}") && !ask) {
        throw new FindUsageError(
          `In '${pred} ... {} +' the '{}' must appear by itself, but you specified '${argv[argv.length - 1]}'`,
        );
      }
      argv.push(a);
    }
    if (plus) {
      const template = argv.slice(0, -1);
      const batch: ExecBatch = {
        argv: template,
        dir,
        paths: [],
        size: 0,
        cwd: undefined,
        async flush(rt) {
          if (this.paths.length === 0) return;
          const paths = this.paths;
          this.paths = [];
          this.size = 0;
          const status = await rt.run([...this.argv, ...paths], this.cwd);
          if (status !== 0) rt.setFailed();
        },
      };
      this.batches.push(batch);
      return this.test(pred, async (v, rt) => {
        const { arg, cwd } = execTarget(v, dir);
        if (
          batch.paths.length > 0 &&
          (batch.size + arg.length + 1 > ARG_MAX_BATCH || batch.cwd !== cwd)
        )
          await batch.flush(rt);
        batch.cwd = cwd;
        batch.paths.push(arg);
        batch.size += arg.length + 1;
        return true;
      });
    }
    return this.test(pred, async (v, rt) => {
      const { arg, cwd } = execTarget(v, dir);
      const full = argv.map((a) => a.split("{}").join(arg));
      if (ask && !(await rt.confirm(`< ${full[0]} ... ${arg} > ? `))) return false;
      return (await rt.run(full, cwd)) === 0;
    });
  }

  async primary(tok: string): Promise<Node> {
    const env = this.env;
    const opts = this.options;
    switch (tok) {
      // ---- options (always true) ----
      case "-maxdepth":
        opts.maxDepth = this.depthArg(tok);
        return this.test(tok, () => true);
      case "-mindepth":
        opts.minDepth = this.depthArg(tok);
        return this.test(tok, () => true);
      case "-depth":
      case "-d":
        opts.depthFirst = true;
        this.explicitDepth = true;
        return this.test(tok, () => true);
      case "-xdev":
      case "-mount":
        opts.xdev = true;
        return this.test(tok, () => true);
      case "-follow":
        opts.follow = "L";
        return this.test(tok, () => true);
      case "-noleaf":
      case "-warn":
      case "-nowarn":
      case "-noignore_readdir_race":
        return this.test(tok, () => true);
      case "-ignore_readdir_race":
        opts.ignoreReaddirRace = true;
        return this.test(tok, () => true);
      case "-daystart":
        this.dayStart = true;
        return this.test(tok, () => true);
      case "-regextype": {
        const type = this.arg(tok);
        if (!(type in REGEX_TYPES)) {
          throw new FindUsageError(
            `Unknown regular expression type ${q(type).replace("`", "'")}; valid types are ${Object.keys(
              REGEX_TYPES,
            )
              .map((t) => `'${t}'`)
              .join(", ")}.`,
          );
        }
        this.regexType = type;
        return this.test(tok, () => true);
      }
      // ---- tests ----
      case "-true":
        return this.test(tok, () => true);
      case "-false":
        return this.test(tok, () => false);
      case "-name":
      case "-iname": {
        const re = globToRegExp(this.arg(tok), tok === "-iname");
        return this.test(tok, (v) => re.test(v.name));
      }
      case "-path":
      case "-ipath":
      case "-wholename":
      case "-iwholename": {
        const re = globToRegExp(this.arg(tok), tok.startsWith("-i"));
        return this.test(tok, (v) => re.test(v.path));
      }
      case "-lname":
      case "-ilname": {
        const re = globToRegExp(this.arg(tok), tok === "-ilname");
        return this.test(tok, async (v, rt) => {
          if ((v.lstat.mode & S_IFMT) !== 0o120000) return false;
          const target = v.linkTarget ?? (await rt.readlink(v.path));
          return target !== undefined && re.test(target);
        });
      }
      case "-regex":
      case "-iregex": {
        const pattern = this.arg(tok);
        let re: RegExp;
        try {
          re = regexToRegExp(pattern, this.regexType, tok === "-iregex");
        } catch (err) {
          throw new FindUsageError((err as Error).message);
        }
        return this.test(tok, (v) => re.test(v.path));
      }
      case "-type":
      case "-xtype": {
        const text = this.arg(tok);
        const wanted = new Set<string>();
        const parts = text.split(",");
        for (const [i, part] of parts.entries()) {
          if (part.length > 1) {
            if (/^[bcdpflsD]/.test(part))
              throw new FindUsageError("Must separate multiple arguments to -type using: ','");
            throw new FindUsageError(`Unknown argument to ${tok}: ${part[0]}`);
          }
          if (part === "") {
            if (i === parts.length - 1 && parts.length > 1)
              throw new FindUsageError(
                `Last file type in list argument to ${tok} is missing, i.e., list is ending on: ','`,
              );
            throw new FindUsageError(`Unknown argument to ${tok}: ,`);
          }
          if (!"bcdpflsD".includes(part))
            throw new FindUsageError(`Unknown argument to ${tok}: ${part}`);
          if (wanted.has(part))
            throw new FindUsageError(
              `Duplicate file type '${part}' in the argument list to ${tok}.`,
            );
          wanted.add(part);
        }
        if (tok === "-type") return this.test(tok, (v) => wanted.has(typeOf(v.stat.mode)));
        const follow = opts;
        return this.test(tok, (v) => {
          let mode: number;
          if (follow.follow === "L" || (follow.follow === "H" && v.depth === 0))
            mode = v.lstat.mode;
          else if ((v.lstat.mode & S_IFMT) === 0o120000)
            mode = v.targetStat ? v.targetStat.mode : v.lstat.mode;
          else mode = v.stat.mode;
          return wanted.has(typeOf(mode));
        });
      }
      case "-size": {
        const text = this.arg(tok);
        const { cmp, rest } = parseCmp(text);
        const m = /^([0-9]+)(.?)$/.exec(rest);
        const unitLetter = m ? m[2] : rest.replace(/^[0-9]*/, "").slice(0, 1) || rest.slice(-1);
        const unit = sizeUnit(m ? m[2] : "?");
        if (!m || unit === undefined) {
          if (m || /^[0-9]*[^0-9]$/.test(rest) || !/^[0-9]/.test(rest))
            throw new FindUsageError(`invalid -size type ${q(unitLetter)}`);
          throw new FindUsageError(`invalid argument ${q(text)} to ${q(tok)}`);
        }
        const n = Number(m[1]);
        return this.test(tok, (v) => compare(cmp, Math.ceil(v.stat.size / unit), n));
      }
      case "-empty":
        return this.test(tok, async (v, rt) => {
          const type = v.stat.mode & S_IFMT;
          if (type === 0o040000) return rt.isEmptyDir(v.path);
          if (type === 0o100000) return v.stat.size === 0;
          return false;
        });
      case "-newer":
      case "-anewer":
      case "-cnewer": {
        const ref = await this.refStat(tok, opts.follow !== "P");
        const which = tok === "-newer" ? "m" : tok[1];
        return this.test(tok, (v) => timeOf(v.stat, which) > ref.mtimeMs);
      }
      case "-mtime":
      case "-atime":
      case "-ctime":
        return this.timeTest(tok, tok[1], 86400);
      case "-mmin":
      case "-amin":
      case "-cmin":
        return this.timeTest(tok, tok[1], 60);
      case "-perm": {
        const text = this.arg(tok);
        let kind: "exact" | "all" | "any" = "exact";
        let body = text;
        if (text.startsWith("-")) {
          kind = "all";
          body = text.slice(1);
        } else if (text.startsWith("/")) {
          kind = "any";
          body = text.slice(1);
        }
        const mode = parseMode(body);
        if (mode === undefined)
          throw new FindUsageError(`invalid mode ${q(text).replace("`", "'")}`);
        return this.test(tok, (v) => {
          const perm = v.stat.mode & 0o7777;
          if (kind === "all") return (perm & mode) === mode;
          if (kind === "any") return mode === 0 || (perm & mode) !== 0;
          return perm === mode;
        });
      }
      case "-user":
      case "-group": {
        const name = this.arg(tok);
        const table = tok === "-user" ? env.users : env.groups;
        let id = table.get(name);
        if (id === undefined && /^[0-9]+$/.test(name)) id = Number(name);
        if (id === undefined) {
          throw new FindUsageError(
            tok === "-user"
              ? `'${name}' is not the name of a known user`
              : `'${name}' is not the name of an existing group`,
          );
        }
        const want = id;
        return this.test(tok, (v) => (tok === "-user" ? v.stat.uid : v.stat.gid) === want);
      }
      case "-uid":
      case "-gid": {
        const { cmp, n } = this.numberArg(tok);
        return this.test(tok, (v) => compare(cmp, tok === "-uid" ? v.stat.uid : v.stat.gid, n));
      }
      case "-nouser":
        return this.test(tok, (v, rt) => rt.names.user(v.stat.uid) === undefined);
      case "-nogroup":
        return this.test(tok, (v, rt) => rt.names.group(v.stat.gid) === undefined);
      case "-links": {
        const { cmp, n } = this.numberArg(tok);
        return this.test(tok, (v) => compare(cmp, v.stat.nlink, n));
      }
      case "-inum": {
        const { cmp, n } = this.numberArg(tok);
        return this.test(tok, (v) => compare(cmp, v.stat.ino, n));
      }
      case "-samefile": {
        const ref = await this.refStat(tok, opts.follow === "L");
        return this.test(tok, (v) => v.stat.ino === ref.ino && v.stat.dev === ref.dev);
      }
      case "-newermt":
      case "-newerat":
      case "-newerct":
      case "-newerBt":
      case "-newermm":
      case "-newerma":
      case "-newermc":
      case "-neweraa":
      case "-neweram":
      case "-newerac":
      case "-newercc":
      case "-newercm":
      case "-newerca": {
        const which = tok[6];
        const refKind = tok[7];
        let refMs: number;
        if (refKind === "t") {
          const text = this.arg(tok);
          const parsed = parseDate(text, env.tz);
          if (parsed === undefined)
            throw new FindUsageError(
              `I cannot figure out how to interpret '${text}' as a date or time`,
            );
          refMs = parsed;
        } else refMs = timeOf(await this.refStat(tok, opts.follow !== "P"), refKind);
        return this.test(tok, (v) => timeOf(v.stat, which) > refMs);
      }
      case "-readable":
        return this.test(tok, (v, rt) => rt.access(v.path, 4));
      case "-writable":
        return this.test(tok, (v, rt) => rt.access(v.path, 2));
      case "-executable":
        return this.test(tok, (v, rt) => rt.access(v.path, 1));
      case "-prune":
        this.prunes = true;
        return this.test(tok, (v) => {
          if (!opts.depthFirst) v.prune = true;
          return true;
        });
      case "-quit":
        return this.test(tok, (_v, rt) => rt.quit());
      // ---- actions ----
      case "-print":
        return this.test(tok, async (v, rt) => {
          await rt.out.write(`${v.path}\n`);
          return true;
        });
      case "-print0":
        return this.test(tok, async (v, rt) => {
          await rt.out.write(`${v.path}\0`);
          return true;
        });
      case "-printf":
        return this.printfNode(tok, this.arg(tok), (rt) => rt.out);
      case "-fprint":
      case "-fprint0":
      case "-fls":
      case "-fprintf": {
        const file = this.arg(tok);
        const format = tok === "-fprintf" ? this.arg(tok) : "";
        let target: { out: Output; fd: number };
        try {
          target = await env.openOutput(file);
        } catch (err) {
          throw new FindUsageError(`'${file}': ${describeError(err)}`);
        }
        this.outputs.push(target);
        if (tok === "-fprintf") return this.printfNode(tok, format, () => target.out);
        return this.test(tok, async (v, rt) => {
          if (tok === "-fls") await target.out.write(await lsLine(v, rt));
          else await target.out.write(`${v.path}${tok === "-fprint0" ? "\0" : "\n"}`);
          return true;
        });
      }
      case "-ls":
        return this.test(tok, async (v, rt) => {
          await rt.out.write(await lsLine(v, rt));
          return true;
        });
      case "-delete":
        this.deletes = true;
        opts.depthFirst = true;
        return this.test(tok, (v, rt) => rt.remove(v));
      case "-exec":
      case "-execdir":
      case "-ok":
      case "-okdir":
        return this.execNode(tok);
      case "-help":
      case "--help":
        throw new FindUsageError("HELP");
      case "-version":
      case "--version":
        throw new FindUsageError("VERSION");
      default:
        throw new FindUsageError(`unknown predicate ${q(tok)}`);
    }
  }
}

/** The argument and working directory of an -exec/-execdir for `v`. */
function execTarget(v: Visit, dir: boolean): { arg: string; cwd: string | undefined } {
  if (!dir) return { arg: v.path, cwd: undefined };
  const slash = v.path.lastIndexOf("/");
  if (slash < 0) return { arg: `./${v.path}`, cwd: undefined };
  const base = v.path.slice(slash + 1) || v.path;
  const parent = slash === 0 ? "/" : v.path.slice(0, slash);
  return { arg: `./${base}`, cwd: parent };
}

/** Parses dates for -newermt: ISO-like forms, "@epoch" and what Date.parse accepts. */
function parseDate(text: string, tz: string | undefined): number | undefined {
  const epoch = /^@(-?[0-9]+(?:\.[0-9]*)?)$/.exec(text);
  if (epoch) return Number(epoch[1]) * 1000;
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?$/.exec(text);
  if (iso) {
    const utc = Date.UTC(
      Number(iso[1]),
      Number(iso[2]) - 1,
      Number(iso[3]),
      Number(iso[4] ?? 0),
      Number(iso[5] ?? 0),
      Number(iso[6] ?? 0),
      Math.round(Number(iso[7] ?? 0) * 1000),
    );
    void tz;
    return utc;
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Formats one -printf record. */
export async function formatPrintf(program: PrintfProgram, v: Visit, rt: Runtime): Promise<string> {
  let out = "";
  for (const piece of program.pieces) {
    if (piece.kind === "text") out += piece.text;
    else if (piece.kind === "stop") break;
    else out += await directive(piece.letter, piece.sub, piece.flags, v, rt);
  }
  return out;
}

async function directive(
  letter: string,
  sub: string,
  flags: string,
  v: Visit,
  rt: Runtime,
): Promise<string> {
  const st = v.stat;
  const num = (n: number | string): string => applyFlags(flags, String(n), true);
  const str = (s: string): string => applyFlags(flags, s, false);
  switch (letter) {
    case "p":
      return str(v.path);
    case "f": {
      return str(v.name);
    }
    case "h": {
      const slash = v.path.lastIndexOf("/");
      if (slash < 0) return str(".");
      return str(v.path.slice(0, slash));
    }
    case "H":
      return str(v.start);
    case "P": {
      if (v.depth === 0) return str("");
      const base = v.start.endsWith("/") ? v.start : `${v.start}/`;
      return str(v.path.startsWith(base) ? v.path.slice(base.length) : v.path);
    }
    case "d":
      return num(v.depth);
    case "D":
      return num(st.dev);
    case "i":
      return num(st.ino);
    case "n":
      return num(st.nlink);
    case "s":
      return num(st.size);
    case "k":
      return num(Math.ceil((st.blocks * 512) / 1024));
    case "b":
      return num(st.blocks);
    case "S":
      return num(st.size === 0 ? 1 : (st.blocks * 512) / st.size);
    case "m":
      return num((st.mode & 0o7777).toString(8));
    case "M":
      return str(modeString(st.mode));
    case "u":
      return str(rt.names.user(st.uid) ?? String(st.uid));
    case "g":
      return str(rt.names.group(st.gid) ?? String(st.gid));
    case "U":
      return num(st.uid);
    case "G":
      return num(st.gid);
    case "y":
      return str(typeLetter(st.mode));
    case "Y": {
      if ((v.lstat.mode & S_IFMT) !== 0o120000) return str(typeLetter(st.mode));
      if (v.targetStat === null) return str("N");
      return str(typeLetter((v.targetStat ?? st).mode));
    }
    case "l": {
      if ((v.lstat.mode & S_IFMT) !== 0o120000) return str("");
      return str(v.linkTarget ?? (await rt.readlink(v.path)) ?? "");
    }
    case "F":
      return str("tmpfs");
    case "Z":
      return str("");
    case "a":
      return str(ctimeFormat(st.atimeMs, rt.tz));
    case "c":
      return str(ctimeFormat(st.ctimeMs, rt.tz));
    case "t":
      return str(ctimeFormat(st.mtimeMs, rt.tz));
    case "A":
      return str(findTimeFormat(sub, st.atimeMs, rt.tz));
    case "C":
      return str(findTimeFormat(sub, st.ctimeMs, rt.tz));
    case "T":
      return str(findTimeFormat(sub, st.mtimeMs, rt.tz));
    default:
      return `%${flags}${letter}`;
  }
}

/** One line of -ls / -fls output (GNU's listfile format with 1K blocks). */
export async function lsLine(v: Visit, rt: Runtime): Promise<string> {
  const st = v.stat;
  const blocks = Math.ceil((st.blocks * 512) / 1024);
  const user = rt.names.user(st.uid) ?? String(st.uid);
  const group = rt.names.group(st.gid) ?? String(st.gid);
  const type = st.mode & S_IFMT;
  const size =
    type === 0o020000 || type === 0o060000
      ? `${Math.floor(st.rdev / 256)}, ${st.rdev % 256}`
      : String(st.size);
  const sixMonths = (365.2425 * 86400 * 1000) / 2;
  const recent = st.mtimeMs > rt.now - sixMonths && st.mtimeMs <= rt.now + 3600000;
  const ts = findTimeFormat("b", st.mtimeMs, rt.tz);
  const day = findTimeFormat("e", st.mtimeMs, rt.tz);
  const tail = recent
    ? findTimeFormat("R", st.mtimeMs, rt.tz)
    : ` ${findTimeFormat("Y", st.mtimeMs, rt.tz)}`;
  let name = v.path;
  if ((v.lstat.mode & S_IFMT) === 0o120000 && type === 0o120000) {
    const target = v.linkTarget ?? (await rt.readlink(v.path));
    if (target !== undefined) name += ` -> ${target}`;
  }
  return `${String(st.ino).padStart(9)} ${String(blocks).padStart(6)} ${modeString(st.mode)} ${String(st.nlink).padStart(3)} ${user.padEnd(8)} ${group.padEnd(8)} ${size.padStart(8)} ${ts} ${day} ${tail} ${name}\n`;
}

/** Parses the expression part of find's arguments. */
export async function parseExpression(
  args: string[],
  env: ParseEnv,
  options: FindOptions,
): Promise<ParsedExpression> {
  const parser = new Parser(args, env, options);
  let expr: Node;
  if (args.length === 0) expr = { type: "test", name: "-true", run: () => true };
  else {
    expr = await parser.parseComma();
    if (parser.pos < args.length) {
      const tok = args[parser.pos];
      if (tok === ")") throw new FindUsageError("you have too many ')'");
      throw new FindUsageError(`unexpected extra predicate '${tok}'`);
    }
  }
  if (parser.deletes && parser.prunes && !parser.explicitDepth) {
    throw new FindUsageError(
      "The -delete action automatically turns on -depth, but -prune does nothing when -depth is in effect.  If you want to carry on anyway, just explicitly use the -depth option.",
    );
  }
  if (!parser.hasAction) {
    expr = {
      type: "and",
      left: expr,
      right: {
        type: "test",
        name: "-print",
        run: async (v, rt) => {
          await rt.out.write(`${v.path}\n`);
          return true;
        },
      },
    };
  }
  return {
    expr,
    options,
    batches: parser.batches,
    outputs: parser.outputs,
    warnings: parser.warnings,
  };
}

/** Evaluates `node` for `v` with find's short-circuit semantics. */
export async function evaluate(node: Node, v: Visit, rt: Runtime): Promise<boolean> {
  switch (node.type) {
    case "and":
      return (await evaluate(node.left, v, rt)) && evaluate(node.right, v, rt);
    case "or":
      return (await evaluate(node.left, v, rt)) || evaluate(node.right, v, rt);
    case "comma":
      await evaluate(node.left, v, rt);
      return evaluate(node.right, v, rt);
    case "not":
      return !(await evaluate(node.expr, v, rt));
    default:
      return node.run(v, rt);
  }
}
