/**
 * The bash interpreter: one `Shell` per shell process (a subshell is a new kernel process with
 * a copy of this state). It walks the tree from parser.ts; simple commands run as builtins,
 * functions, or programs started through the kernel; pipelines are processes joined by kernel
 * pipes; redirections rearrange the shell's own descriptor table around a command.
 */
import { isKernelError, strerror } from "../fs/errors.ts";
import { O_APPEND, O_CREAT, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY } from "../fs/types.ts";
import { ProcessExit, ProcessTerminated, statusCode } from "../kernel/process.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { SIGNALS } from "../kernel/signals.ts";
import { ArithError, parseArith } from "./arith.ts";
import { evaluateArith } from "./arith-eval.ts";
import type {
  ArithText,
  Assignment,
  CaseCommand,
  Command,
  CommandSubstitutionPart,
  CondExpr,
  FunctionDefinition,
  ParameterSubscript,
  Pipeline,
  ProcessSubstitutionPart,
  Program,
  Redirect,
  SimpleCommand,
  Statement,
  Word,
} from "./ast.ts";
import { BUILTINS, type Builtin } from "./builtins/index.ts";
import { readRecord } from "./builtins/read.ts";
import { evaluateCondition } from "./conditional.ts";
import {
  CommandFailure,
  FatalShellError,
  LoopControl,
  ReturnSignal,
  ShellExit,
} from "./control.ts";
import { formatJob, Job, JobStopped, JobTable } from "./jobs.ts";
import { LineParser, parse, ShellSyntaxError } from "./parser.ts";
import { matchPattern } from "./pattern.ts";
import { decodeEchoEscapes, expandPromptString } from "./prompt.ts";
import {
  ATTR_EXPORT,
  ATTR_INTEGER,
  ATTR_READONLY,
  isValidName,
  VariableError,
  Variables,
} from "./variables.ts";
import {
  expandPattern,
  expandRedirectTarget,
  expandString,
  expandWord,
  expandWords,
} from "./word-expansion.ts";

const decoder = new TextDecoder();

export interface ShellOptions {
  errexit: boolean;
  nounset: boolean;
  xtrace: boolean;
  verbose: boolean;
  noexec: boolean;
  noglob: boolean;
  pipefail: boolean;
  allexport: boolean;
  noclobber: boolean;
  braceexpand: boolean;
  hashall: boolean;
  monitor: boolean;
  notify: boolean;
  interactive: boolean;
  posix: boolean;
  histexpand: boolean;
  emacs: boolean;
  vi: boolean;
  ignoreeof: boolean;
  errtrace: boolean;
  functrace: boolean;
  keyword: boolean;
  onecmd: boolean;
  physical: boolean;
  privileged: boolean;
  nolog: boolean;
  history: boolean;
}

export const DEFAULT_OPTIONS: ShellOptions = {
  errexit: false,
  nounset: false,
  xtrace: false,
  verbose: false,
  noexec: false,
  noglob: false,
  pipefail: false,
  allexport: false,
  noclobber: false,
  braceexpand: true,
  hashall: true,
  monitor: false,
  notify: false,
  interactive: false,
  posix: false,
  histexpand: false,
  emacs: false,
  vi: false,
  ignoreeof: false,
  errtrace: false,
  functrace: false,
  keyword: false,
  onecmd: false,
  physical: false,
  privileged: false,
  nolog: false,
  history: false,
};

export const DEFAULT_SHOPT: Record<string, boolean> = {
  autocd: false,
  cdable_vars: false,
  cdspell: false,
  checkhash: false,
  checkjobs: false,
  checkwinsize: true,
  cmdhist: true,
  complete_fullquote: true,
  dotglob: false,
  execfail: false,
  expand_aliases: false,
  extglob: false,
  extquote: true,
  failglob: false,
  force_fignore: true,
  globasciiranges: true,
  globskipdots: true,
  globstar: false,
  gnu_errfmt: false,
  histappend: false,
  hostcomplete: true,
  huponexit: false,
  inherit_errexit: false,
  interactive_comments: true,
  lastpipe: false,
  lithist: false,
  localvar_inherit: false,
  localvar_unset: false,
  login_shell: false,
  mailwarn: false,
  nocaseglob: false,
  nocasematch: false,
  noexpand_translation: false,
  nullglob: false,
  patsub_replacement: true,
  progcomp: true,
  promptvars: true,
  shift_verbose: false,
  sourcepath: true,
  varredir_close: false,
  xpg_echo: false,
};

/** Where the running code came from, for `bash: line N:` style prefixes. */
export type SourceKind = "command" | "stdin" | "file";

interface FunctionFrame {
  name: string;
  line: number;
  source: string;
}

/** Most nested function calls before bash-style "maximum function nesting level exceeded". */
const MAX_FUNCTION_DEPTH = 1000;
/** Commands run between yields to the host event loop (keeps timers and kills responsive). */
const YIELD_EVERY = 512;

export class Shell {
  ctx: ProcessContext;
  vars: Variables;
  functions: Map<string, FunctionDefinition>;
  options: ShellOptions;
  shopt: Record<string, boolean>;
  positional: string[];
  /** $0 */
  scriptName: string;
  /** Program name used in diagnostics ("bash", or $0 of -c). */
  errorName: string;
  sourceKind: SourceKind;
  /** Script path (sourceKind "file"), or "-c"/"stdin". */
  sourceName: string;
  lastStatus = 0;
  lastBackgroundPid: number | undefined;
  lastArgument = "";
  pipeStatus: number[] = [0];
  /** $$: the pid of the top-level shell, kept by subshells. */
  readonly shellPid: number;
  subshellLevel = 0;
  lineno = 0;
  traps: Map<string, string>;
  aliases: Map<string, string>;
  dirStack: string[] = [];
  jobs: JobTable;
  functionStack: FunctionFrame[] = [];
  /** Nesting of `source`d files (for `return`). */
  sourceDepth = 0;
  loopDepth = 0;
  /** >0 while running where `set -e` does not apply (conditions, `&&` left sides, `!`). */
  errexitSuppressed = 0;
  readonly startTime: number;
  commandHash = new Map<string, string>();
  history: string[] = [];
  /** `getopts` position: the OPTIND it last set and the offset inside a `-abc` group. */
  getoptsState = { optind: 1, offset: 1 };
  /** `complete` specifications by command name. */
  completionSpecs = new Map<string, string[]>();
  /** Job control of an interactive shell on a terminal (installed by interactive.ts). */
  jobControl: JobControl | undefined;
  /** The foreground job being run under job control (its processes and process group). */
  private foreground: Job | undefined;
  /** The builtin run before the current one (`exit` twice in a row leaves despite stopped jobs). */
  previousBuiltin: Builtin | undefined;
  private currentBuiltin: Builtin | undefined;
  /** Source text of the simple command being run (what `jobs` shows if it is stopped). */
  private simpleCommandText = "";
  /** Compound/array assignments given to declaration builtins, by argv index. */
  declarationAssignments: Map<number, Assignment> | undefined;
  private commandsRun = 0;
  private envCache: { version: number; env: Record<string, string> } | undefined;
  private pendingSignals: number[] = [];
  private runningTrap = false;
  private randomState: number;

  constructor(ctx: ProcessContext, init: { scriptName: string; positional: string[] }) {
    this.ctx = ctx;
    this.vars = new Variables();
    this.functions = new Map();
    this.options = { ...DEFAULT_OPTIONS };
    this.shopt = { ...DEFAULT_SHOPT };
    this.positional = init.positional;
    this.scriptName = init.scriptName;
    this.errorName = init.scriptName;
    this.sourceKind = "command";
    this.sourceName = "-c";
    this.shellPid = ctx.pid;
    this.traps = new Map();
    this.aliases = new Map();
    this.jobs = new JobTable();
    this.startTime = Date.now();
    this.randomState = (ctx.pid * 7919 + Date.now()) & 0x7fffffff;
    this.installVariableHooks();
    this.importEnvironment(ctx.env);
  }

  private installVariableHooks(): void {
    this.vars.dynamic = (name) => this.dynamicValue(name);
    this.vars.evaluate = (expression) => this.arithmeticText(expression);
  }

  private importEnvironment(env: Record<string, string>): void {
    for (const [name, value] of Object.entries(env)) {
      if (!isValidName(name)) continue;
      const v = this.vars.declare(name, false);
      v.value = value;
      v.attrs |= ATTR_EXPORT;
    }
    const set = (name: string, value: string): void => {
      if (!this.vars.isSet(name)) this.vars.set(name, value);
    };
    set("IFS", " \t\n");
    set("PS1", "\\s-\\v\\$ ");
    set("PS2", "> ");
    set("PS4", "+ ");
    set("OPTIND", "1");
    set("HOSTNAME", this.hostname());
    set("HOSTTYPE", "x86_64");
    set("OSTYPE", "linux-gnu");
    set("MACHTYPE", "x86_64-pc-linux-gnu");
    set("BASH", "/bin/bash");
    set("BASH_VERSION", "5.2.15(1)-release");
    this.vars.setArray("BASH_VERSINFO", ["5", "2", "15", "1", "release", "x86_64-pc-linux-gnu"]);
    const shlvl = Number.parseInt(env.SHLVL ?? "0", 10);
    this.vars.set("SHLVL", String(Number.isFinite(shlvl) ? shlvl + 1 : 1));
    this.vars.declare("SHLVL", false).attrs |= ATTR_EXPORT;
    if (!this.vars.isSet("PWD")) {
      this.vars.set("PWD", this.ctx.cwd);
      this.vars.declare("PWD", false).attrs |= ATTR_EXPORT;
    } else if (this.vars.get("PWD") !== this.ctx.cwd) this.vars.set("PWD", this.ctx.cwd);
    for (const name of ["UID", "EUID", "PPID"]) {
      const v = this.vars.declare(name, false);
      v.value = name === "PPID" ? String(this.ctx.ppid) : String(this.ctx.uid);
      v.attrs |= ATTR_READONLY | ATTR_INTEGER;
    }
  }

  private hostname(): string {
    return this.ctx.env.HOSTNAME ?? "agentos";
  }

  /** A copy of this shell for a subshell running as process `ctx`. */
  fork(ctx: ProcessContext): Shell {
    const child = Object.create(Shell.prototype) as Shell;
    Object.assign(child, this);
    child.ctx = ctx;
    child.vars = this.vars.clone();
    child.functions = new Map(this.functions);
    child.options = { ...this.options, interactive: false, monitor: false };
    child.jobControl = undefined;
    child.foreground = undefined;
    child.shopt = { ...this.shopt };
    child.positional = [...this.positional];
    child.pipeStatus = [...this.pipeStatus];
    // Traps are reset in subshells, except ignored signals.
    child.traps = new Map([...this.traps].filter(([, action]) => action === ""));
    child.aliases = new Map(this.aliases);
    child.dirStack = [...this.dirStack];
    child.jobs = new JobTable();
    child.functionStack = [...this.functionStack];
    child.subshellLevel = this.subshellLevel + 1;
    child.commandHash = new Map(this.commandHash);
    child.commandsRun = 0;
    child.envCache = undefined;
    child.pendingSignals = [];
    child.runningTrap = false;
    child.randomState = (ctx.pid * 7919 + this.randomState) & 0x7fffffff;
    child.installVariableHooks();
    if (!this.shopt.inherit_errexit && child.errexitSuppressed === 0) {
      // Command substitutions do not inherit -e unless inherit_errexit; subshells do.
    }
    return child;
  }

  // ---- output and diagnostics --------------------------------------------------------------

  out(text: string | Uint8Array): Promise<void> {
    return this.ctx.write(1, text);
  }

  err(text: string | Uint8Array): Promise<void> {
    return this.ctx.write(2, text);
  }

  /**
   * The prefix of diagnostics, as bash 5.2 prints them: `bash: line N: ` for -c and stdin,
   * `script: line N: ` in files; inside functions defined by -c or stdin, bash names their
   * source "environment" or "main".
   */
  errorPrefix(): string {
    if (this.sourceKind === "file") return `${this.sourceName}: line ${this.lineno}: `;
    if (this.functionStack.length > 0) {
      const source = this.sourceKind === "stdin" ? "main" : "environment";
      return `${source}: line ${this.lineno}: `;
    }
    if (this.options.interactive) return `${this.errorName}: `;
    return `${this.errorName}: line ${this.lineno}: `;
  }

  /** Prints a diagnostic with bash's prefix. Never throws (stderr may be gone). */
  error(message: string): void {
    this.ctx.write(2, `${this.errorPrefix()}${message}\n`).catch(() => {});
  }

  /** A builtin's usage line: bash prints it without any prefix. */
  usage(text: string): void {
    this.ctx.write(2, `${text}\n`).catch(() => {});
  }

  /** Prints a diagnostic and aborts: the shell exits with `status` unless interactive. */
  fatal(message: string, status = 1): never {
    this.error(message);
    throw new FatalShellError(status);
  }

  // ---- running programs --------------------------------------------------------------------

  /** Parses and runs `source`; syntax errors are reported like bash (status 2). */
  async runSource(source: string, options: { fileName?: string } = {}): Promise<number> {
    // Line by line, as bash reads: a line runs before the next is parsed, so a syntax error
    // stops only what follows it.
    const lines = new LineParser(source, options.fileName ? { fileName: options.fileName } : {});
    if (this.options.verbose)
      await this.err(source.endsWith("\n") ? source : `${source}\n`).catch(() => {});
    let status = this.lastStatus;
    for (;;) {
      let program: Program | null;
      try {
        program = lines.next();
      } catch (err) {
        if (!(err instanceof ShellSyntaxError)) throw err;
        this.reportSyntaxError(err, source);
        this.lastStatus = 2;
        return 2;
      }
      if (!program) return status;
      for (const warning of program.warnings) {
        // Warnings of `bash -c` drop the "-c: " that its syntax errors carry.
        const prefix =
          this.sourceKind === "command"
            ? `${this.errorName}: line ${warning.line}: `
            : this.syntaxPrefix(warning.line);
        await this.err(`${prefix}${warning.message}\n`).catch(() => {});
      }
      status = await this.runProgram(program);
    }
  }

  private syntaxPrefix(line: number): string {
    if (this.sourceKind === "file") return `${this.sourceName}: line ${line}: `;
    if (this.sourceKind === "command") return `${this.errorName}: -c: line ${line}: `;
    if (this.options.interactive) return `${this.errorName}: `;
    return `${this.errorName}: line ${line}: `;
  }

  reportSyntaxError(err: ShellSyntaxError, source: string): void {
    const prefix = this.syntaxPrefix(err.line);
    let text = `${prefix}${err.message}\n`;
    if (err.message.startsWith("syntax error near")) {
      const lines = source.split("\n");
      const line = lines[err.line - 1] ?? "";
      text += `${prefix}\`${line}'\n`;
    }
    this.ctx.write(2, text).catch(() => {});
  }

  async runProgram(program: Program): Promise<number> {
    return this.executeList(program.body);
  }

  async executeList(statements: Statement[]): Promise<number> {
    let status = this.lastStatus;
    for (const statement of statements) {
      status = await this.executeStatement(statement);
    }
    return status;
  }

  async executeStatement(statement: Statement): Promise<number> {
    if (statement.async) return this.runInBackground(statement.command);
    return this.execute(statement.command);
  }

  /** Runs one command, tracking $? and applying `set -e`. */
  async execute(command: Command, tail = false): Promise<number> {
    if (++this.commandsRun % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
    if (!this.ctx.alive) throw new ProcessTerminated(this.ctx.pid);
    if (this.pendingSignals.length > 0) await this.runPendingTraps();
    this.jobControl?.poll();
    if (this.options.noexec && !this.options.interactive) return 0;
    let status: number;
    try {
      status = await this.dispatch(command, tail);
    } catch (err) {
      if (err instanceof VariableError) {
        this.error(err.message);
        status = 1;
      } else if (err instanceof CommandFailure) status = err.status;
      else throw err;
    }
    this.lastStatus = status;
    if (command.type !== "pipeline" && command.type !== "andOr" && command.type !== "function")
      this.pipeStatus = [status];
    if (
      status !== 0 &&
      (command.type === "simple" ||
        command.type === "pipeline" ||
        command.type === "subshell" ||
        command.type === "arith" ||
        command.type === "cond")
    ) {
      await this.checkErrexit(status, command.type === "pipeline" && command.negated);
    }
    return status;
  }

  private async dispatch(command: Command, tail: boolean): Promise<number> {
    let status: number;
    switch (command.type) {
      case "simple":
        status = await this.executeSimple(command, tail);
        break;
      case "pipeline":
        status = await this.executePipeline(command);
        break;
      case "andOr": {
        this.errexitSuppressed++;
        let left: number;
        try {
          left = await this.execute(command.left);
        } finally {
          this.errexitSuppressed--;
        }
        if ((command.op === "&&") === (left === 0)) return this.execute(command.right, tail);
        return left;
      }
      case "function":
        status = this.defineFunction(command);
        break;
      case "coproc":
        this.lineno = command.line;
        this.error("coproc: not supported in this shell");
        status = 2;
        break;
      default:
        status = await this.withRedirects(command.redirects, () =>
          this.executeCompound(command, tail),
        );
    }
    return status;
  }

  /** Arrays the shell computes on demand (when no variable of that name exists). */
  dynamicArray(name: string): string[] | undefined {
    switch (name) {
      case "PIPESTATUS":
        return this.pipeStatus.map(String);
      case "FUNCNAME":
        return this.functionStack.length
          ? [...this.functionStack.map((f) => f.name).reverse(), "main"]
          : undefined;
      case "BASH_ARGV":
        return [...this.positional].reverse();
      case "GROUPS":
        return [String(this.ctx.gid)];
      case "BASH_SOURCE":
        return this.functionStack.length || this.sourceKind === "file"
          ? [
              ...this.functionStack.map((f) => f.source),
              this.sourceKind === "file" ? this.sourceName : "main",
            ]
          : undefined;
      case "BASH_LINENO":
        return this.functionStack.length
          ? [...this.functionStack.map((f) => String(f.line)).reverse(), "0"]
          : undefined;
      default:
        return undefined;
    }
  }

  /** `set -e` and the ERR trap, for a command that failed outside any condition. */
  async checkErrexit(status: number, negated = false): Promise<void> {
    if (this.errexitSuppressed > 0 || negated) return;
    const trap = this.traps.get("ERR");
    // Functions do not inherit the ERR trap unless `set -E`.
    const inherited = this.functionStack.length === 0 || this.options.errtrace;
    if (trap && inherited && !this.runningTrap) await this.runTrapAction("ERR", trap);
    if (this.options.errexit) throw new ShellExit(status);
  }

  async executeCompound(command: Command, tail: boolean): Promise<number> {
    switch (command.type) {
      case "subshell":
        this.lineno = command.line;
        return this.runSubshell(command.body);
      case "braceGroup":
        return this.executeBody(command.body, tail);
      case "if": {
        for (const clause of command.clauses) {
          const condition = await this.executeCondition(clause.condition);
          if (condition === 0) return this.executeBody(clause.body, tail);
        }
        if (command.elseBody) return this.executeBody(command.elseBody, tail);
        return 0;
      }
      case "while":
        return this.executeWhile(command.condition, command.body, command.until);
      case "for":
        return this.executeFor(command.name, command.words, command.body, command.line);
      case "select":
        return this.executeSelect(command.name, command.words, command.body, command.line);
      case "arithFor":
        return this.executeArithFor(command);
      case "case":
        return this.executeCase(command);
      case "arith": {
        this.lineno = command.line;
        this.xtrace(`(( ${command.arith.source} ))`);
        // An arithmetic error is a CommandFailure; execute() turns it into the status.
        return (await this.arithmetic(command.arith, false, "((: ")) !== 0n ? 0 : 1;
      }
      case "cond":
        this.lineno = command.line;
        return evaluateCondition(this, command.expr);
      default:
        throw new Error(`unexpected command type ${command.type}`);
    }
  }

  async executeBody(body: Statement[], tail = false): Promise<number> {
    let status = 0;
    for (let i = 0; i < body.length; i++) {
      const statement = body[i];
      if (statement.async) status = await this.runInBackground(statement.command);
      else status = await this.execute(statement.command, tail && i === body.length - 1);
    }
    return status;
  }

  /** Runs a condition list (`if`, `while`): `set -e` does not apply inside. */
  async executeCondition(body: Statement[]): Promise<number> {
    this.errexitSuppressed++;
    try {
      return await this.executeBody(body);
    } finally {
      this.errexitSuppressed--;
    }
  }

  private async loopBody(body: Statement[]): Promise<"break" | "continue" | null> {
    try {
      await this.executeBody(body);
      return null;
    } catch (err) {
      if (err instanceof LoopControl) {
        if (err.levels > 1) {
          err.levels--;
          throw err;
        }
        return err.kind;
      }
      throw err;
    }
  }

  async executeWhile(condition: Statement[], body: Statement[], until: boolean): Promise<number> {
    let status = 0;
    this.loopDepth++;
    try {
      for (;;) {
        const test = await this.executeCondition(condition);
        if ((test === 0) === until) break;
        const control = await this.loopBody(body);
        status = this.lastStatus;
        if (control === "break") break;
      }
    } finally {
      this.loopDepth--;
    }
    return status;
  }

  async executeFor(
    name: string,
    words: Word[] | null,
    body: Statement[],
    line: number,
  ): Promise<number> {
    this.lineno = line;
    if (!isValidName(name)) {
      this.error(`\`${name}': not a valid identifier`);
      return 1;
    }
    const items = words === null ? [...this.positional] : await expandWords(this, words);
    let status = 0;
    this.loopDepth++;
    try {
      for (const item of items) {
        this.assignVariable(name, item);
        const control = await this.loopBody(body);
        status = this.lastStatus;
        if (control === "break") break;
      }
    } finally {
      this.loopDepth--;
    }
    return status;
  }

  async executeSelect(
    name: string,
    words: Word[] | null,
    body: Statement[],
    line: number,
  ): Promise<number> {
    this.lineno = line;
    const items = words === null ? [...this.positional] : await expandWords(this, words);
    if (items.length === 0) return 0;
    let status = 0;
    this.loopDepth++;
    try {
      for (;;) {
        const width = String(items.length).length;
        await this.err(
          items.map((item, i) => `${String(i + 1).padStart(width)}) ${item}\n`).join(""),
        );
        await this.err(this.expandPrompt(this.vars.get("PS3") ?? "#? "));
        const reply = await this.readLine(0);
        if (reply === null) {
          await this.err("\n");
          break;
        }
        this.vars.set("REPLY", reply);
        const n = Number.parseInt(reply.trim(), 10);
        this.assignVariable(
          name,
          n >= 1 && n <= items.length && /^\s*\d+\s*$/.test(reply) ? items[n - 1] : "",
        );
        if (reply.trim() === "") continue;
        const control = await this.loopBody(body);
        status = this.lastStatus;
        if (control === "break") break;
      }
    } finally {
      this.loopDepth--;
    }
    return status;
  }

  async executeArithFor(command: {
    init: ArithText | null;
    test: ArithText | null;
    update: ArithText | null;
    body: Statement[];
    line: number;
  }): Promise<number> {
    this.lineno = command.line;
    let status = 0;
    this.loopDepth++;
    try {
      if (command.init) await this.arithmetic(command.init, false);
      for (;;) {
        if (command.test && (await this.arithmetic(command.test, false)) === 0n) break;
        const control = await this.loopBody(command.body);
        status = this.lastStatus;
        if (control === "break") break;
        if (command.update) await this.arithmetic(command.update, false);
      }
    } finally {
      this.loopDepth--;
    }
    return status;
  }

  async executeCase(command: CaseCommand): Promise<number> {
    this.lineno = command.line;
    const word = await expandString(this, command.word);
    let status = 0;
    let fallThrough = false;
    for (let i = 0; i < command.items.length; i++) {
      const item = command.items[i];
      let matched = fallThrough;
      if (!matched) {
        for (const patternWord of item.patterns) {
          const pattern = await expandPattern(this, patternWord);
          if (
            matchPattern(word, pattern, {
              extglob: this.shopt.extglob,
              nocase: this.shopt.nocasematch,
            })
          ) {
            matched = true;
            break;
          }
        }
      }
      if (!matched) continue;
      status = await this.executeBody(item.body);
      if (item.terminator === ";;") return status;
      fallThrough = item.terminator === ";&";
    }
    return status;
  }

  defineFunction(definition: FunctionDefinition): number {
    this.lineno = definition.line;
    if (
      BUILTINS.has(definition.name) &&
      SPECIAL_BUILTINS.has(definition.name) &&
      this.options.posix
    ) {
      this.error(`\`${definition.name}': is a special builtin`);
      return 1;
    }
    if (/[$`'"\\]/.test(definition.name) || definition.name === "") {
      this.error(`\`${definition.name}': not a valid identifier`);
      return 1;
    }
    this.functions.set(definition.name, definition);
    return 0;
  }

  // ---- simple commands ---------------------------------------------------------------------

  async executeSimple(command: SimpleCommand, tail = false): Promise<number> {
    this.lineno = command.line;
    if (this.aliases.size > 0 && (this.options.interactive || this.shopt.expand_aliases)) {
      const expanded = this.expandAlias(command);
      if (expanded) {
        return this.withRedirects(command.redirects, () => this.executeBody(expanded.body, tail));
      }
    }
    // Expansion failures (CommandFailure) become this command's status in execute().
    let argv: string[];
    let declarations: Map<number, Assignment> | undefined;
    if (command.words.some((w) => w.assignment)) {
      ({ argv, declarations } = await this.expandDeclaration(command.words));
    } else argv = command.words.length ? await expandWords(this, command.words) : [];
    if (argv.length === 0) return this.runAssignmentsOnly(command);
    if (argv[0] === "exec" && argv.length === 1 && !this.functions.has("exec")) {
      // `exec` with only redirections makes them permanent.
      return (await this.applyRedirects(command.redirects, null)) ? 0 : 1;
    }
    this.declarationAssignments = declarations;

    const name = argv[0];
    this.lastArgument = argv[argv.length - 1];
    // Prefix assignments: temporary for this command.
    let tempEnv: Record<string, string> | undefined;
    if (command.assignments.length > 0) {
      tempEnv = {};
      for (const assignment of command.assignments) {
        if (assignment.array) continue;
        const value = assignment.value ? await expandString(this, assignment.value) : "";
        tempEnv[assignment.name] = value;
      }
    }
    const debugTrap = this.traps.get("DEBUG");
    if (debugTrap && !this.runningTrap) await this.runTrapAction("DEBUG", debugTrap);
    if (this.options.xtrace) {
      const prefix = command.assignments.map((a) => a.text);
      this.xtrace([...prefix, ...argv.map(traceQuote)].join(" "));
    }
    const runIt = async (): Promise<number> => {
      this.simpleCommandText = commandText(command);
      const fn = this.functions.get(name);
      if (fn) return this.callFunction(fn, argv, tempEnv);
      const builtin = BUILTINS.get(name);
      if (builtin) return this.runBuiltin(builtin, argv, tempEnv);
      return this.runExternal(argv, tempEnv, tail && command.redirects.length === 0);
    };
    if (command.redirects.length === 0) return runIt();
    return this.withRedirects(command.redirects, runIt);
  }

  /** Names being expanded, so an alias never expands inside itself. */
  private expandingAliases = new Set<string>();

  /**
   * Alias expansion of the command word, done by re-reading the command's text with the alias
   * value in front (aliases are textual in bash). Only the first word is considered.
   */
  private expandAlias(command: SimpleCommand): Program | null {
    const first = command.words[0];
    if (first?.parts.length !== 1 || first.parts[0].type !== "literal") return null;
    const part = first.parts[0];
    if (part.quoted) return null;
    const value = this.aliases.get(part.value);
    if (value === undefined || this.expandingAliases.has(part.value)) return null;
    const prefix = command.assignments.map((a) => a.text).join(" ");
    const rest = command.words
      .slice(1)
      .map((w) => w.text)
      .join(" ");
    const source = `${prefix} ${value} ${rest}`;
    try {
      const program = parse(source);
      this.expandingAliases.add(part.value);
      // Nested alias names are checked against this set while the program runs.
      queueMicrotask(() => this.expandingAliases.delete(part.value));
      return program;
    } catch (err) {
      if (err instanceof ShellSyntaxError) {
        this.reportSyntaxError(err, source);
        return null;
      }
      throw err;
    }
  }

  /**
   * Arguments of declaration builtins (`local a=(1 2)`, `export P=~/bin:$P`): assignment words
   * expand like assignments (no splitting or globbing); compound arrays go by side table.
   */
  private async expandDeclaration(
    words: Word[],
  ): Promise<{ argv: string[]; declarations: Map<number, Assignment> }> {
    const argv: string[] = [];
    const declarations = new Map<number, Assignment>();
    for (const word of words) {
      const assignment = word.assignment;
      if (!assignment) {
        for (const field of await expandWord(this, word)) argv.push(field);
        continue;
      }
      if (assignment.array) {
        declarations.set(argv.length, assignment);
        argv.push(`${assignment.name}=(...)`);
        continue;
      }
      const value = assignment.value ? await expandString(this, assignment.value) : "";
      const subscript = assignment.subscript ? `[${assignment.subscript.source}]` : "";
      argv.push(`${assignment.name}${subscript}${assignment.append ? "+=" : "="}${value}`);
    }
    return { argv, declarations };
  }

  private async runAssignmentsOnly(command: SimpleCommand): Promise<number> {
    this.lastCommandSubstitutionStatus = undefined;
    const assign = async (): Promise<number> => {
      for (const assignment of command.assignments) {
        const ok = await this.performAssignment(assignment, false);
        // A failed assignment (readonly) aborts a non-interactive shell.
        if (!ok) throw new FatalShellError(1);
      }
      if (this.options.xtrace && command.assignments.length)
        this.xtrace(command.assignments.map((a) => a.text).join(" "));
      return this.lastCommandSubstitutionStatus ?? 0;
    };
    if (command.redirects.length === 0) return assign();
    // Redirections alone (`> file`) are performed, in their own scope.
    return this.withRedirects(command.redirects, assign);
  }

  /** Status of the last command substitution run (the status of `x=$(false)`). */
  lastCommandSubstitutionStatus: number | undefined;

  /** Performs `name=value` / `name+=value` / `a[i]=v` / `a=(...)`. False on failure (message printed). */
  async performAssignment(assignment: Assignment, local: boolean): Promise<boolean> {
    try {
      if (assignment.array) {
        await this.assignArray(assignment, local);
        return true;
      }
      const value = assignment.value ? await expandString(this, assignment.value) : "";
      if (assignment.subscript) {
        const v = this.vars.lookup(assignment.name);
        if (v?.assoc) {
          const key = await expandString(this, assignment.subscript.word);
          this.vars.setAssoc(assignment.name, key, value, assignment.append);
        } else {
          const index = Number(await this.arithmetic(assignment.subscript, true));
          this.vars.setIndexed(assignment.name, index, value, assignment.append);
        }
        return true;
      }
      this.assignVariable(assignment.name, value, { local, append: assignment.append });
      return true;
    } catch (err) {
      if (err instanceof VariableError) {
        this.error(err.message);
        return false;
      }
      throw err;
    }
  }

  async assignArray(assignment: Assignment, local: boolean): Promise<void> {
    const name = assignment.name;
    const existing = local
      ? this.vars.scopes[this.vars.scopes.length - 1].get(name)
      : this.vars.lookup(name);
    if (existing && existing.attrs & ATTR_READONLY)
      throw new VariableError(`${name}: readonly variable`);
    const isAssoc = !!existing?.assoc;
    if (isAssoc) {
      const map = assignment.append ? new Map(existing!.assoc) : new Map<string, string>();
      for (const element of assignment.array!) {
        if (!element.subscript) {
          // bash 5.1+: `a=(k v k2 v2)` pairs for associative arrays.
          const values = await expandWord(this, element.value);
          for (const v of values) map.set(v, "");
          continue;
        }
        const key = await expandString(this, element.subscript.word);
        const value = await expandString(this, element.value);
        map.set(key, element.append ? (map.get(key) ?? "") + value : value);
      }
      existing!.assoc = map;
      return;
    }
    const values: string[] = assignment.append && existing?.indexed ? existing.indexed.slice() : [];
    if (assignment.append && existing && !existing.indexed && existing.value !== undefined)
      values[0] = existing.value;
    let next = assignment.append ? values.length : 0;
    for (const element of assignment.array!) {
      if (element.subscript) {
        const index = Number(await this.arithmetic(element.subscript, true));
        const value = await expandString(this, element.value);
        values[index] = element.append ? (values[index] ?? "") + value : value;
        next = index + 1;
      } else {
        for (const value of await expandWord(this, element.value)) values[next++] = value;
      }
    }
    if (local) {
      const v = this.vars.declareLocal(name);
      v.value = undefined;
      v.assoc = undefined;
      v.indexed = values;
    } else this.vars.setArray(name, values);
  }

  /** Assigns a scalar, honouring allexport. */
  assignVariable(
    name: string,
    value: string,
    options: { local?: boolean; append?: boolean } = {},
  ): void {
    this.vars.set(name, value, options);
    if (this.options.allexport) this.vars.declare(name, false).attrs |= ATTR_EXPORT;
    if (name === "PWD" || name === "HOME") this.envCache = undefined;
  }

  /**
   * `${x:=v}` and `${a[i]:=v}`. The subscript is evaluated again for the assignment, as bash
   * does (`${a[i++]:=x}` sets a[1] and leaves i at 2).
   */
  async assignFromExpansion(
    name: string,
    subscript: ParameterSubscript | null,
    value: string,
  ): Promise<void> {
    try {
      if (subscript?.type !== "index") {
        this.assignVariable(name, value);
        return;
      }
      if (this.vars.lookup(name)?.assoc) {
        this.vars.setAssoc(name, await expandString(this, subscript.index.word), value);
      } else {
        this.vars.setIndexed(name, Number(await this.arithmetic(subscript.index, true)), value);
      }
    } catch (err) {
      if (err instanceof VariableError) this.fatal(err.message);
      throw err;
    }
  }

  private async runBuiltin(
    builtin: Builtin,
    argv: string[],
    tempEnv: Record<string, string> | undefined,
  ): Promise<number> {
    if (!tempEnv) return this.callBuiltin(builtin, argv);
    this.pushTempScope(tempEnv);
    try {
      return await this.callBuiltin(builtin, argv);
    } finally {
      this.vars.scopes.pop();
      this.vars.envVersion++;
    }
  }

  private async callBuiltin(builtin: Builtin, argv: string[]): Promise<number> {
    this.previousBuiltin = this.currentBuiltin;
    this.currentBuiltin = builtin;
    try {
      return await builtin(this, argv);
    } catch (err) {
      if (err instanceof VariableError) {
        this.error(err.message);
        return 1;
      }
      if (isKernelError(err, "EPIPE")) return 141;
      if (isKernelError(err) && (err.syscall === "write" || err.code === "EBADF")) {
        this.error(`${argv[0]}: write error: ${strerror(err.code)}`);
        return 1;
      }
      throw err;
    }
  }

  pushTempScope(tempEnv: Record<string, string>): void {
    const scope = new Map();
    for (const [name, value] of Object.entries(tempEnv))
      scope.set(name, { value, attrs: ATTR_EXPORT });
    this.vars.scopes.push(scope);
    this.vars.envVersion++;
  }

  async callFunction(
    fn: FunctionDefinition,
    argv: string[],
    tempEnv?: Record<string, string>,
  ): Promise<number> {
    if (this.functionStack.length >= MAX_FUNCTION_DEPTH) {
      this.fatal(`${fn.name}: maximum function nesting level exceeded (${MAX_FUNCTION_DEPTH})`);
    }
    const savedPositional = this.positional;
    this.positional = argv.slice(1);
    if (tempEnv) this.pushTempScope(tempEnv);
    this.vars.scopes.push(new Map());
    this.functionStack.push({ name: fn.name, line: this.lineno, source: this.sourceName });
    const savedLine = this.lineno;
    try {
      return await this.withRedirects(fn.body.redirects, () =>
        this.executeCompound(fn.body, false),
      );
    } catch (err) {
      if (err instanceof ReturnSignal) return err.status;
      if (err instanceof RangeError) {
        this.fatal(`${fn.name}: maximum function nesting level exceeded`);
      }
      throw err;
    } finally {
      this.functionStack.pop();
      this.vars.scopes.pop();
      if (tempEnv) this.vars.scopes.pop();
      this.vars.envVersion++;
      this.positional = savedPositional;
      this.lineno = savedLine;
      const trap = this.traps.get("RETURN");
      if (trap) await this.runTrapAction("RETURN", trap);
    }
  }

  /** The environment for programs this shell starts. */
  environment(tempEnv?: Record<string, string>): Record<string, string> {
    const version = this.vars.envVersion;
    if (!this.envCache || this.envCache.version !== version || this.vars.scopes.length > 1) {
      this.envCache = { version, env: this.vars.environment() };
    }
    return tempEnv ? { ...this.envCache.env, ...tempEnv } : this.envCache.env;
  }

  /** Runs a program (PATH lookup in the kernel), waiting for it. `tail`: replace this process. */
  async runExternal(
    argv: string[],
    tempEnv: Record<string, string> | undefined,
    tail = false,
  ): Promise<number> {
    const env = this.environment(tempEnv);
    if (tail && this.subshellLevel > 0 && this.traps.size === 0) {
      try {
        return await this.ctx.exec(argv, env);
      } catch (err) {
        const script = await this.scriptFallback(argv, err);
        if (script) return this.ctx.exec(script, env);
        return this.reportExecError(argv[0], err);
      }
    }
    const text = this.simpleCommandText || argv.join(" ");
    const [status] = await this.foregroundJob(text, async () => {
      let pid: number;
      try {
        pid = await this.ctx.spawn({ argv, env, cwd: this.ctx.cwd, pgid: this.jobPgid() });
      } catch (err) {
        const script = await this.scriptFallback(argv, err);
        if (!script) return [await this.reportExecError(argv[0], err)];
        pid = await this.ctx.spawn({ argv: script, env, cwd: this.ctx.cwd, pgid: this.jobPgid() });
      }
      this.jobStarted(pid, text);
      return [await this.waitForeground(pid)];
    });
    return status;
  }

  /**
   * Runs `body` as a foreground job. Under job control (an interactive shell on its
   * terminal) the processes it starts share a new process group, which has the terminal
   * until `body` is done or the job stops (^Z); then the terminal comes back to the shell. A
   * stopped job enters the job table and `body`'s statuses become 128 + the stop signal.
   */
  private async foregroundJob(text: string, body: () => Promise<number[]>): Promise<number[]> {
    const control = this.jobControl;
    if (!control || !this.options.interactive || !this.options.monitor || this.foreground)
      return body();
    const job = new Job(text, false);
    this.foreground = job;
    let result: number[] | undefined;
    try {
      result = await body();
    } catch (err) {
      if (!(err instanceof JobStopped)) throw err;
    } finally {
      this.foreground = undefined;
      if (job.pgid !== 0) control.reclaim();
    }
    if (result === undefined) return [await this.jobStopped(job)];
    if (job.pgid !== 0) control.finished(result);
    return result;
  }

  /**
   * A foreground job stopped: it becomes the current job, bash's notice is printed, and a
   * stop from the keyboard leaves every loop being run (jobs.c: `breaking = loop_level`).
   * Returns the status, 128 + the stop signal.
   */
  private async jobStopped(job: Job): Promise<number> {
    this.jobs.add(job);
    job.background = false;
    this.jobs.setCurrent(job);
    job.reported = "stopped";
    await this.err(`\n${formatJob(this.jobs, job)}`).catch(() => {});
    const status = 128 + job.stopSignal;
    if (job.stopSignal === SIGNALS.SIGTSTP && this.loopDepth > 0) {
      this.lastStatus = status;
      throw new LoopControl("break", this.loopDepth);
    }
    return status;
  }

  /**
   * `fg`: gives `job` the terminal, continues it if stopped, and waits until it ends (its
   * status; it leaves the table without a notice) or stops again.
   */
  async resumeInForeground(job: Job): Promise<number> {
    const control = this.jobControl;
    if (!control) throw new Error("fg without job control");
    this.jobs.setCurrent(job);
    job.background = false;
    job.reported = "running";
    control.foreground(job.pgid);
    if (job.state === "stopped") {
      job.markRunning();
      this.signalJob(job, SIGNALS.SIGCONT);
    }
    const state = await job.settled();
    control.reclaim();
    if (state === "stopped") return this.jobStopped(job);
    this.jobs.remove(job);
    control.finished(job.statuses);
    return job.status;
  }

  /** `bg`: continues a stopped job in the background. */
  continueInBackground(job: Job): void {
    job.background = true;
    job.reported = "running";
    job.markRunning();
    this.signalJob(job, SIGNALS.SIGCONT);
    this.jobs.resetCurrent();
  }

  /** Sends `signal` to a job: its process group under job control, else each process. */
  signalJob(job: Job, signal: number): void {
    if (job.pgid !== 0 && job.pgid !== this.ctx.pgid) {
      this.ctx.kill(-job.pgid, signal);
      return;
    }
    for (const member of job.members) {
      if (member.state !== "exited") this.ctx.kill(member.pid, signal);
    }
  }

  /** The process group for a foreground job's next process (undefined without job control). */
  private jobPgid(): number | undefined {
    return this.foreground?.pgid;
  }

  /** A foreground job's process `pid` exists: the first one's group gets the terminal. */
  private jobStarted(pid: number, text: string): void {
    const job = this.foreground;
    if (!job) return;
    if (job.pgid === 0) {
      job.pgid = pid;
      this.jobControl?.foreground(pid);
    }
    job.watch(this.ctx, pid, text, true);
  }

  /**
   * Waits for a foreground child; returns its shell status (128+signal when killed). Under
   * job control it throws JobStopped when the job stops instead.
   */
  async waitForeground(pid: number): Promise<number> {
    const job = this.foreground;
    if (job?.has(pid)) return job.waitMember(pid);
    const result = await this.ctx.waitpid(pid);
    return result ? statusCode(result.status) : 0;
  }

  /**
   * A text file without `#!` that execve refuses (ENOEXEC) is run by bash as a shell script,
   * as bash does; returns the argv for that, or null.
   */
  private async scriptFallback(argv: string[], err: unknown): Promise<string[] | null> {
    if (!isKernelError(err, "ENOEXEC") || err.description?.includes("not supported")) return null;
    const path = argv[0].includes("/")
      ? argv[0]
      : await this.ctx.kernel.findInPath(
          { uid: this.ctx.uid, gid: this.ctx.gid, pid: this.ctx.pid },
          argv[0],
          this.vars.get("PATH"),
          this.ctx.cwd,
        );
    if (!path) return null;
    return ["/bin/bash", path, ...argv.slice(1)];
  }

  private async reportExecError(name: string, err: unknown): Promise<number> {
    if (isKernelError(err, "EACCES") && name.includes("/")) {
      try {
        if (((await this.ctx.stat(name)).mode & 0o170000) === 0o040000) {
          this.error(`${name}: Is a directory`);
          return 126;
        }
      } catch {
        // Fall through to the generic message.
      }
    }
    return this.reportExecErrorSync(name, err);
  }

  private reportExecErrorSync(name: string, err: unknown): number {
    if (err instanceof ProcessTerminated || err instanceof ProcessExit) throw err;
    if (!isKernelError(err)) throw err;
    if (err.code === "ENOENT") {
      if (name.includes("/")) this.error(`${name}: No such file or directory`);
      else this.error(`${name}: command not found`);
      return 127;
    }
    if (err.code === "EACCES") {
      this.error(`${name}: ${name.includes("/") ? "Permission denied" : "Permission denied"}`);
      return 126;
    }
    if (err.code === "EISDIR") {
      this.error(`${name}: Is a directory`);
      return 126;
    }
    if (err.code === "ENOEXEC") {
      this.error(`${name}: ${err.description || "cannot execute binary file: Exec format error"}`);
      return 126;
    }
    if (err.code === "EPERM") {
      this.error(`${name}: ${err.description || strerror("EPERM")}`);
      return 126;
    }
    if (err.code === "EAGAIN") {
      this.error(`fork: retry: Resource temporarily unavailable`);
      return 254;
    }
    this.error(`${name}: ${err.description || strerror(err.code)}`);
    return 126;
  }

  // ---- pipelines, subshells, background jobs ----------------------------------------------

  /**
   * Starts a child shell process running `body` with a copy of this shell's state. `fds`
   * rearranges the child's descriptors (pipes, /dev/null).
   */
  async forkChild(
    body: (child: Shell) => Promise<number>,
    fds: Array<[number, number]> = [],
    options: { pgid?: number } = {},
  ): Promise<number> {
    try {
      return await this.spawnChild(body, fds, options);
    } catch (err) {
      if (isKernelError(err, "EAGAIN")) {
        this.error("fork: retry: Resource temporarily unavailable");
        throw new CommandFailure(254);
      }
      throw err;
    }
  }

  private spawnChild(
    body: (child: Shell) => Promise<number>,
    fds: Array<[number, number]>,
    options: { pgid?: number },
  ): Promise<number> {
    return this.ctx.spawn({
      argv: [this.scriptName],
      driver: "shell",
      main: async (ctx) => {
        const child = this.fork(ctx);
        return child.runAsSubshell(() => body(child));
      },
      fds,
      pgid: options.pgid,
    });
  }

  /** The top of a subshell process: exit statuses, EXIT trap, fatal errors. */
  async runAsSubshell(body: () => Promise<number>): Promise<number> {
    let status: number;
    try {
      status = await body();
    } catch (err) {
      status = this.statusOf(err);
      // A fatal expansion error ends a subshell with 1 (the top-level shell exits 127).
      if (err instanceof FatalShellError && status === 127) status = 1;
    }
    return this.finish(status);
  }

  /** Turns a control-flow exception into an exit status (rethrowing real errors). */
  statusOf(err: unknown): number {
    if (err instanceof ShellExit) return err.status;
    if (err instanceof FatalShellError) return err.status;
    if (err instanceof ReturnSignal) return err.status;
    if (err instanceof LoopControl) return 0;
    if (err instanceof CommandFailure) return err.status;
    if (isKernelError(err, "EPIPE")) return 141;
    throw err;
  }

  /** Runs the EXIT trap and returns the final status of this shell process. */
  async finish(status: number): Promise<number> {
    this.lastStatus = status;
    const trap = this.traps.get("EXIT");
    if (trap !== undefined && trap !== "") {
      this.traps.delete("EXIT");
      try {
        await this.runSource(trap);
      } catch (err) {
        if (err instanceof ShellExit) return err.status;
        if (!(err instanceof FatalShellError)) throw err;
      }
      return this.lastStatus === status ? status : status;
    }
    return status;
  }

  async runSubshell(body: Statement[]): Promise<number> {
    const text = `( ${bodyText(body)} )`;
    const [status] = await this.foregroundJob(text, async () => {
      const pid = await this.forkChild((child) => child.executeBody(body, true), [], {
        pgid: this.jobPgid(),
      });
      this.jobStarted(pid, text);
      return [await this.waitForeground(pid)];
    });
    return status;
  }

  async executePipeline(pipeline: Pipeline): Promise<number> {
    this.lineno = pipeline.line;
    const started = pipeline.time ? performance.now() : 0;
    if (pipeline.negated) this.errexitSuppressed++;
    let statuses: number[];
    try {
      statuses = await this.runPipelineCommands(pipeline);
    } finally {
      if (pipeline.negated) this.errexitSuppressed--;
    }
    this.pipeStatus = statuses;
    let status = statuses[statuses.length - 1] ?? 0;
    if (this.options.pipefail) {
      for (let i = statuses.length - 1; i >= 0; i--) {
        if (statuses[i] !== 0) {
          status = statuses[i];
          break;
        }
      }
    }
    if (pipeline.time) await this.reportTime(pipeline.time.posix, started);
    if (pipeline.negated) status = status === 0 ? 1 : 0;
    return status;
  }

  private async reportTime(posix: boolean, started: number): Promise<void> {
    const seconds = (performance.now() - started) / 1000;
    if (posix) {
      await this.err(`real ${seconds.toFixed(2)}\nuser 0.00\nsys 0.00\n`);
    } else {
      const fmt = (s: number): string => `${Math.floor(s / 60)}m${(s % 60).toFixed(3)}s`;
      await this.err(`\nreal\t${fmt(seconds)}\nuser\t0m0.000s\nsys\t0m0.000s\n`);
    }
  }

  private async runPipelineCommands(pipeline: Pipeline): Promise<number[]> {
    const commands = pipeline.commands;
    if (commands.length === 0) return [0];
    if (commands.length === 1) return [await this.execute(commands[0])];
    if (!this.shopt.lastpipe || this.options.monitor)
      return this.foregroundJob(commandText(pipeline), () => this.runPipelineProcesses(pipeline));
    return this.runPipelineProcesses(pipeline);
  }

  private async runPipelineProcesses(pipeline: Pipeline): Promise<number[]> {
    const commands = pipeline.commands;
    const pids: number[] = [];
    let inputFd = -1;
    const lastInShell = this.shopt.lastpipe && !this.options.monitor;
    try {
      for (let i = 0; i < commands.length; i++) {
        const last = i === commands.length - 1;
        let readFd = -1;
        let writeFd = -1;
        if (!last) {
          [readFd, writeFd] = this.ctx.pipe();
          this.ctx.kernel.setCloexec(this.ctx.pid, readFd, true);
          this.ctx.kernel.setCloexec(this.ctx.pid, writeFd, true);
        }
        const fds: Array<[number, number]> = [];
        if (inputFd >= 0) fds.push([0, inputFd]);
        if (writeFd >= 0) {
          fds.push([1, writeFd]);
          if (pipeline.stderr[i]) fds.push([2, writeFd]);
        }
        if (last && lastInShell) {
          const saved = inputFd >= 0 ? this.ctx.dup(0, 10) : -1;
          if (inputFd >= 0) this.ctx.dup2(inputFd, 0);
          if (inputFd >= 0) this.ctx.close(inputFd);
          inputFd = -1;
          try {
            const status = await this.execute(commands[i]);
            return [...(await this.waitAll(pids)), status];
          } finally {
            if (saved >= 0) {
              this.ctx.dup2(saved, 0);
              this.ctx.close(saved);
            }
          }
        }
        const command = commands[i];
        const pid = await this.forkChild((child) => child.execute(command, true), fds, {
          pgid: this.jobPgid(),
        });
        this.jobStarted(pid, commandText(command));
        pids.push(pid);
        if (inputFd >= 0) this.ctx.close(inputFd);
        if (writeFd >= 0) this.ctx.close(writeFd);
        inputFd = readFd;
      }
    } catch (err) {
      if (inputFd >= 0) this.ctx.close(inputFd);
      throw err;
    }
    return this.waitAll(pids);
  }

  private async waitAll(pids: number[]): Promise<number[]> {
    const statuses: number[] = [];
    for (const pid of pids) statuses.push(await this.waitForeground(pid));
    return statuses;
  }

  /** `command &` */
  async runInBackground(command: Command): Promise<number> {
    const fds: Array<[number, number]> = [];
    let devNull = -1;
    if (!this.options.monitor) {
      // Without job control, background commands read /dev/null (bash does the same).
      devNull = await this.ctx.open("/dev/null", O_RDONLY);
      fds.push([0, devNull]);
    }
    try {
      const pid = await this.forkChild((child) => child.execute(command, true), fds, {
        pgid: this.options.monitor ? 0 : undefined,
      });
      this.lastBackgroundPid = pid;
      const job = new Job(commandText(command), true);
      job.pgid = this.options.monitor ? pid : this.ctx.pgid;
      job.watch(this.ctx, pid, job.command, this.options.monitor);
      this.jobs.add(job);
      this.jobs.resetCurrent();
      if (this.options.interactive) await this.err(`[${job.id}] ${pid}\n`);
    } finally {
      if (devNull >= 0) this.ctx.close(devNull);
    }
    return 0;
  }

  async commandSubstitution(part: CommandSubstitutionPart): Promise<string> {
    if (!part.program) {
      const parseError = part.parseError;
      if (parseError) {
        await this.err(`${this.syntaxPrefix(this.lineno)}${parseError.message}\n`).catch(() => {});
      }
      this.lastCommandSubstitutionStatus = 2;
      throw new FatalShellError(2);
    }
    const program = part.program;
    const only =
      program.body.length === 1 && !program.body[0].async ? program.body[0].command : null;
    if (
      only?.type === "simple" &&
      only.words.length === 0 &&
      only.assignments.length === 0 &&
      only.redirects.length === 1 &&
      only.redirects[0].op === "<"
    ) {
      return this.readFileSubstitution(only.redirects[0]);
    }
    const [readFd, writeFd] = this.ctx.pipe();
    this.ctx.kernel.setCloexec(this.ctx.pid, readFd, true);
    this.ctx.kernel.setCloexec(this.ctx.pid, writeFd, true);
    let pid: number;
    try {
      pid = await this.forkChild(
        (child) => {
          if (!child.shopt.inherit_errexit) child.options.errexit = false;
          child.errexitSuppressed = 0;
          return child.executeBody(program.body, true);
        },
        [[1, writeFd]],
      );
    } finally {
      this.ctx.close(writeFd);
    }
    let output: string;
    try {
      output = decoder.decode(await this.ctx.readAll(readFd));
    } finally {
      this.ctx.close(readFd);
    }
    const status = await this.waitForeground(pid);
    this.lastCommandSubstitutionStatus = status;
    this.lastStatus = status;
    return output.replace(/\n+$/, "");
  }

  /** `$(< file)`: the file's contents, read by the shell itself as bash does. */
  private async readFileSubstitution(redirect: Redirect): Promise<string> {
    const target = await expandRedirectTarget(this, redirect.target);
    if (target === null) {
      this.lastCommandSubstitutionStatus = 1;
      return "";
    }
    try {
      const text = decoder.decode(await this.ctx.readFile(target));
      this.lastCommandSubstitutionStatus = 0;
      return text.replace(/\n+$/, "");
    } catch (err) {
      if (!isKernelError(err)) throw err;
      this.error(`${target}: ${strerror(err.code)}`);
      this.lastCommandSubstitutionStatus = 1;
      this.lastStatus = 1;
      return "";
    }
  }

  /** `<(cmd)` / `>(cmd)`: a pipe to a background child, named /dev/fd/N. */
  async processSubstitution(part: ProcessSubstitutionPart): Promise<string> {
    const [readFd, writeFd] = this.ctx.pipe();
    const mine = part.direction === "<" ? readFd : writeFd;
    const theirs = part.direction === "<" ? writeFd : readFd;
    this.ctx.kernel.setCloexec(this.ctx.pid, theirs, true);
    const pid = await this.forkChild(
      (child) => child.executeBody(part.program.body, true),
      [[part.direction === "<" ? 1 : 0, theirs]],
    );
    this.ctx.close(theirs);
    this.pendingProcessSubstitutionFds.push(mine);
    // Reap it when it ends, like bash does for process substitutions.
    this.ctx.waitpid(pid).catch(() => {});
    this.lastProcessSubstitutionPid = pid;
    return `/dev/fd/${mine}`;
  }

  pendingProcessSubstitutionFds: number[] = [];
  lastProcessSubstitutionPid: number | undefined;

  // ---- redirections ------------------------------------------------------------------------

  /** Applies `redirects` around `body`, restoring the descriptor table afterwards. */
  async withRedirects(redirects: Redirect[], body: () => Promise<number>): Promise<number> {
    const procFdsBefore = this.pendingProcessSubstitutionFds.length;
    if (redirects.length === 0) {
      try {
        return await body();
      } finally {
        this.closeProcessSubstitutions(procFdsBefore);
      }
    }
    const saved: Array<[number, number]> = [];
    let status: number;
    try {
      const ok = await this.applyRedirects(redirects, saved);
      if (!ok) return 1;
      status = await body();
    } finally {
      this.restoreRedirects(saved);
      this.closeProcessSubstitutions(procFdsBefore);
    }
    return status;
  }

  private closeProcessSubstitutions(keep: number): void {
    while (this.pendingProcessSubstitutionFds.length > keep) {
      const fd = this.pendingProcessSubstitutionFds.pop()!;
      try {
        this.ctx.close(fd);
      } catch {
        // Already closed by the command.
      }
    }
  }

  /** Saves `fd` (once) so it can be restored; -1 records that it was closed. */
  private save(fd: number, saved: Array<[number, number]>): void {
    if (saved.some(([target]) => target === fd)) return;
    let copy = -1;
    try {
      copy = this.ctx.kernel.dup(this.ctx.pid, fd, 10, true);
    } catch {
      copy = -1;
    }
    saved.push([fd, copy]);
  }

  restoreRedirects(saved: Array<[number, number]>): void {
    for (let i = saved.length - 1; i >= 0; i--) {
      const [fd, copy] = saved[i];
      try {
        if (copy >= 0) {
          this.ctx.dup2(copy, fd);
          this.ctx.close(copy);
        } else this.ctx.close(fd);
      } catch {
        // Nothing to restore.
      }
    }
  }

  /**
   * Performs redirections on the shell's own descriptors, recording what to restore in
   * `saved` (pass null to make them permanent, as `exec` does). False when one failed (the
   * message is printed).
   */
  async applyRedirects(
    redirects: Redirect[],
    saved: Array<[number, number]> | null,
  ): Promise<boolean> {
    for (const redirect of redirects) {
      this.lineno = redirect.line;
      const ok = await this.applyRedirect(redirect, saved);
      if (!ok) return false;
    }
    return true;
  }

  private async applyRedirect(
    r: Redirect,
    saved: Array<[number, number]> | null,
  ): Promise<boolean> {
    const op = r.op;
    const defaultFd = op === "<" || op === "<>" || op === "<&" || op.startsWith("<<") ? 0 : 1;
    let fd = r.fd ?? defaultFd;
    const save = (n: number): void => {
      if (saved) this.save(n, saved);
    };
    if (op === "<<" || op === "<<-" || op === "<<<") {
      const text =
        op === "<<<"
          ? `${await expandString(this, r.target)}\n`
          : r.heredoc!.quoted
            ? ((r.heredoc!.body.parts[0] as { value: string } | undefined)?.value ?? "")
            : await expandString(this, r.heredoc!.body);
      const { readEnd, writeEnd } = this.ctx.kernel.createPipe();
      void writeEnd.feedAndClose(new TextEncoder().encode(text));
      if (r.fdVar) {
        fd = this.ctx.installFile(readEnd);
        this.ctx.kernel.setCloexec(this.ctx.pid, fd, false);
        this.assignVariable(r.fdVar, String(fd));
        return true;
      }
      save(fd);
      this.ctx.installFile(readEnd, fd);
      return true;
    }
    const target = await expandRedirectTarget(this, r.target);
    if (target === null) return false;
    if (op === "<&" || op === ">&") {
      if (target === "-") {
        save(fd);
        try {
          this.ctx.close(fd);
        } catch {
          // Closing a closed descriptor is fine.
        }
        return true;
      }
      const move = /^(\d+)-$/.exec(target);
      if (/^\d+$/.test(target) || move) {
        const source = Number(move ? move[1] : target);
        if (r.fdVar) {
          fd = this.ctx.kernel.dup(this.ctx.pid, source, 10);
          this.assignVariable(r.fdVar, String(fd));
          return true;
        }
        if (source === fd) return true;
        save(fd);
        try {
          this.ctx.dup2(source, fd);
        } catch {
          this.error(`${source}: Bad file descriptor`);
          return false;
        }
        if (move) this.ctx.close(source);
        return true;
      }
      if (op === "<&" || r.fd !== null) {
        this.error(`${target}: ambiguous redirect`);
        return false;
      }
      // `>&file` is `&>file`.
      return this.openRedirect("&>", target, r, saved);
    }
    return this.openRedirect(op, target, r, saved);
  }

  private async openRedirect(
    op: string,
    target: string,
    r: Redirect,
    saved: Array<[number, number]> | null,
  ): Promise<boolean> {
    let flags: number;
    switch (op) {
      case "<":
        flags = O_RDONLY;
        break;
      case "<>":
        flags = O_RDWR | O_CREAT;
        break;
      case ">>":
      case "&>>":
        flags = O_WRONLY | O_CREAT | O_APPEND;
        break;
      case ">":
      case "&>":
        flags = O_WRONLY | O_CREAT | O_TRUNC;
        if (this.options.noclobber) flags |= O_EXCL;
        break;
      default:
        flags = O_WRONLY | O_CREAT | O_TRUNC;
    }
    if (target === "") {
      this.error(": No such file or directory");
      return false;
    }
    let opened: number;
    try {
      opened = await this.ctx.open(target, flags, 0o666);
    } catch (err) {
      if (isKernelError(err)) {
        if (err.code === "EEXIST" && this.options.noclobber) {
          // noclobber allows writing to existing non-regular files such as /dev/null.
          try {
            const st = await this.ctx.stat(target);
            if ((st.mode & 0o170000) !== 0o100000) {
              opened = await this.ctx.open(target, O_WRONLY, 0o666);
            } else {
              this.error(`${target}: cannot overwrite existing file`);
              return false;
            }
          } catch {
            this.error(`${target}: cannot overwrite existing file`);
            return false;
          }
        } else {
          this.error(`${target}: ${strerror(err.code)}`);
          return false;
        }
      } else throw err;
    }
    const both = op === "&>" || op === "&>>";
    if (r.fdVar) {
      const fd = this.ctx.kernel.dup(this.ctx.pid, opened, 10);
      this.ctx.close(opened);
      this.assignVariable(r.fdVar, String(fd));
      return true;
    }
    const fd = r.fd ?? (op === "<" || op === "<>" ? 0 : 1);
    if (saved) this.save(fd, saved);
    if (both && saved) this.save(2, saved);
    if (opened !== fd) {
      this.ctx.dup2(opened, fd);
      this.ctx.close(opened);
    }
    if (both) this.ctx.dup2(fd, 2);
    return true;
  }

  // ---- expansion helpers used by word-expansion.ts -----------------------------------------

  async expandTilde(user: string): Promise<string> {
    if (user === "") return this.vars.get("HOME") ?? "/home/user";
    if (user === "+") return this.vars.get("PWD") ?? this.ctx.cwd;
    if (user === "-") return this.vars.get("OLDPWD") ?? "~-";
    if (/^[+-]?\d+$/.test(user)) {
      const stack = [this.ctx.cwd, ...this.dirStack];
      const n = Number.parseInt(user.replace(/^[+-]/, ""), 10);
      const entry = user.startsWith("-") ? stack[stack.length - 1 - n] : stack[n];
      return entry ?? `~${user}`;
    }
    try {
      const passwd = decoder.decode(await this.ctx.readFile("/etc/passwd"));
      for (const line of passwd.split("\n")) {
        const fields = line.split(":");
        if (fields[0] === user && fields[5] !== undefined) return fields[5];
      }
    } catch {
      // No passwd: leave the tilde alone.
    }
    return `~${user}`;
  }

  /** Special parameters and variables ($?, $$, $RANDOM, ...). */
  specialOrVariable(name: string): string | undefined {
    switch (name) {
      case "?":
        return String(this.lastStatus);
      case "$":
        return String(this.shellPid);
      case "#":
        return String(this.positional.length);
      case "!":
        return this.lastBackgroundPid === undefined ? undefined : String(this.lastBackgroundPid);
      case "-":
        return this.optionFlags();
      case "0":
        return this.scriptName;
      case "_":
        return this.lastArgument;
      case "@":
      case "*":
        return this.positional.join(" ");
      default:
        return this.vars.get(name);
    }
  }

  /** Values the shell computes on demand (only when no variable of that name exists). */
  dynamicValue(name: string): string | undefined {
    switch (name) {
      case "RANDOM":
        this.randomState = (this.randomState * 1103515245 + 12345) & 0x7fffffff;
        return String((this.randomState >> 16) & 0x7fff);
      case "SRANDOM":
        return String(Math.floor(Math.random() * 0x100000000));
      case "LINENO":
        return String(this.lineno);
      case "SECONDS":
        return String(Math.floor((Date.now() - this.startTime) / 1000));
      case "EPOCHSECONDS":
        return String(Math.floor(Date.now() / 1000));
      case "EPOCHREALTIME":
        return (Date.now() / 1000).toFixed(6);
      case "BASHPID":
        return String(this.ctx.pid);
      case "BASH_SUBSHELL":
        return String(this.subshellLevel);
      case "FUNCNAME":
        return this.functionStack.length
          ? this.functionStack[this.functionStack.length - 1].name
          : undefined;
      case "BASH_ARGC":
        return String(this.positional.length);
      case "HISTCMD":
        return String(this.history.length + 1);
      default:
        return undefined;
    }
  }

  optionFlags(): string {
    const o = this.options;
    let flags = "";
    if (o.allexport) flags += "a";
    if (o.errexit) flags += "e";
    if (o.noglob) flags += "f";
    if (o.hashall) flags += "h";
    if (o.interactive) flags += "i";
    if (o.monitor) flags += "m";
    if (o.noexec) flags += "n";
    if (o.nounset) flags += "u";
    if (o.verbose) flags += "v";
    if (o.xtrace) flags += "x";
    if (o.braceexpand) flags += "B";
    if (o.noclobber) flags += "C";
    if (o.histexpand) flags += "H";
    if (this.sourceKind === "command" && this.subshellLevel >= 0 && this.isDashC) flags += "c";
    if (this.sourceKind === "stdin") flags += "s";
    return flags;
  }

  private isDashC = false;
  markDashC(): void {
    this.isDashC = true;
  }

  /** Evaluates arithmetic text; errors are fatal in expansions, status 1 in `(( ))`/`let`. */
  async arithmetic(arith: ArithText, fatal: boolean, context = ""): Promise<bigint> {
    let expr = arith.expr;
    const parts = arith.word.parts;
    const literal = parts.length === 0 || (parts.length === 1 && parts[0].type === "literal");
    if (!literal || expr === null) {
      const text = literal ? arith.source : await expandString(this, arith.word);
      try {
        if (text.trim() === "") return 0n;
        expr = parseArith(text);
      } catch (err) {
        return this.arithFailure(err, fatal, context);
      }
    }
    try {
      return evaluateArith(expr, this.arithEnv());
    } catch (err) {
      return this.arithFailure(err, fatal, context);
    }
  }

  /** `let`, `declare -i` and `$((...))` text that is already expanded. */
  arithmeticText(text: string, context = ""): bigint {
    if (text.trim() === "") return 0n;
    try {
      return evaluateArith(parseArith(text), this.arithEnv());
    } catch (err) {
      if (err instanceof ArithError) {
        this.error(`${context}${err.message}`);
        throw new CommandFailure(1);
      }
      throw err;
    }
  }

  private arithFailure(err: unknown, fatal: boolean, context = ""): never {
    if (err instanceof ArithError) {
      if (fatal) this.fatal(`${context}${err.message}`);
      this.error(`${context}${err.message}`);
      throw new CommandFailure(1);
    }
    if (err instanceof VariableError) {
      this.error(err.message);
      throw new CommandFailure(1);
    }
    throw err;
  }

  private arithEnv() {
    return {
      get: (name: string, index?: string): string | undefined => {
        if (index === undefined) {
          const value = this.specialOrVariable(name);
          if (value === undefined && this.options.nounset) this.fatal(`${name}: unbound variable`);
          return value;
        }
        const v = this.vars.lookup(name);
        if (!v) return undefined;
        if (v.assoc) return v.assoc.get(index);
        if (v.indexed) {
          let i = Number(index);
          if (i < 0) i += v.indexed.length;
          return v.indexed[i];
        }
        return index === "0" ? v.value : undefined;
      },
      set: (name: string, value: string, index?: string): void => {
        if (index === undefined) {
          this.assignVariable(name, value);
          return;
        }
        const v = this.vars.lookup(name);
        if (v?.assoc) this.vars.setAssoc(name, index, value);
        else this.vars.setIndexed(name, Number(index), value);
      },
      isAssociative: (name: string): boolean => !!this.vars.lookup(name)?.assoc,
    };
  }

  /** Length as bash counts it: bytes in the C locale, characters in a UTF-8 one. */
  textLength(value: string): number {
    const locale =
      this.vars.get("LC_ALL") || this.vars.get("LC_CTYPE") || this.vars.get("LANG") || "C";
    if (/utf-?8/i.test(locale)) return [...value].length;
    return /^[\x00-\x7f]*$/.test(value) ? value.length : new TextEncoder().encode(value).length;
  }

  decodeEscapes(value: string): string {
    return decodeEchoEscapes(value).text;
  }

  expandPrompt(value: string): string {
    return expandPromptString(this, value);
  }

  /** `set -x` trace line with PS4. */
  xtrace(text: string): void {
    if (!this.options.xtrace) return;
    const ps4 = this.vars.get("PS4") ?? "+ ";
    const level = ps4.slice(0, 1).repeat(Math.max(0, this.subshellLevel));
    this.ctx.write(2, `${level}${ps4}${text}\n`).catch(() => {});
  }

  /** Reads one line from `fd` without consuming anything after its newline (as `read`). */
  async readLine(fd: number): Promise<string | null> {
    const record = await readRecord(this, fd, 0x0a, null);
    if (!record.found && record.bytes.length === 0) return null;
    return decoder.decode(record.bytes);
  }

  // ---- traps and signals -------------------------------------------------------------------

  /** Installs the kernel handler for a trapped signal (the action runs between commands). */
  trapSignal(signal: number, action: string | null): void {
    if (action === null) {
      this.ctx.onSignal(signal, "default");
      return;
    }
    if (action === "") {
      this.ctx.onSignal(signal, "ignore");
      return;
    }
    this.ctx.onSignal(signal, () => {
      this.pendingSignals.push(signal);
    });
  }

  async runPendingTraps(): Promise<void> {
    while (this.pendingSignals.length > 0) {
      const signal = this.pendingSignals.shift()!;
      const name = Object.entries(SIGNALS)
        .find(([, n]) => n === signal)?.[0]
        ?.replace(/^SIG/, "");
      const action = name ? this.traps.get(name) : undefined;
      if (action) await this.runTrapAction(name!, action);
    }
  }

  async runTrapAction(name: string, action: string): Promise<void> {
    if (this.runningTrap) return;
    this.runningTrap = true;
    const status = this.lastStatus;
    try {
      await this.runSource(action);
    } catch (err) {
      if (!(err instanceof FatalShellError)) throw err;
    } finally {
      this.runningTrap = false;
      if (name !== "EXIT") this.lastStatus = status;
    }
  }

  /** Unused by the tree walker itself; `eval`/`source`/`trap` parse strings through here. */
  parseOrReport(source: string, fileName?: string): Program | null {
    try {
      return parse(source, fileName ? { fileName } : {});
    } catch (err) {
      if (!(err instanceof ShellSyntaxError)) throw err;
      this.reportSyntaxError(err, source);
      return null;
    }
  }

  async evaluateCond(expr: CondExpr): Promise<number> {
    return evaluateCondition(this, expr);
  }
}

/** Hooks of an interactive shell with job control, installed by interactive.ts. */
export interface JobControl {
  /** Called before each command: throws to abandon the command line after an interrupt. */
  poll(): void;
  /** A foreground job's process group `pgid` exists: it gets the terminal. */
  foreground(pgid: number): void;
  /** The foreground job is over (or failed): the terminal returns to the shell. */
  reclaim(): void;
  /** The job's statuses: reports deaths by signal; throws to abandon the line after ^C. */
  finished(statuses: number[]): void;
}

/** Builtins POSIX calls special (errors in them are fatal in posix mode). */
const SPECIAL_BUILTINS = new Set([
  "break",
  ":",
  ".",
  "continue",
  "eval",
  "exec",
  "exit",
  "export",
  "readonly",
  "return",
  "set",
  "shift",
  "trap",
  "unset",
]);

/** Quotes an argument for `set -x` output the way bash does. */
function traceQuote(arg: string): string {
  if (arg === "") return "''";
  if (/^[A-Za-z0-9_./:=,+@%^-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, "'\\''")}'`;
}

/** Short text of a command for `jobs`. */
export function commandText(command: Command): string {
  if (command.type === "simple") {
    const words = [...command.assignments.map((a) => a.text), ...command.words.map((w) => w.text)];
    for (const r of command.redirects) {
      const fd = r.fdVar !== null ? `{${r.fdVar}}` : r.fd !== null ? String(r.fd) : "";
      words.push(`${fd}${r.op} ${r.heredoc ? r.heredoc.delimiter : r.target.text}`);
    }
    return words.join(" ");
  }
  if (command.type === "pipeline") return command.commands.map(commandText).join(" | ");
  if (command.type === "andOr")
    return `${commandText(command.left)} ${command.op} ${commandText(command.right)}`;
  if (command.type === "subshell") return `( ${bodyText(command.body)} )`;
  if (command.type === "braceGroup") return `{ ${bodyText(command.body)}; }`;
  return command.type;
}

/** Short text of a list of statements (`a; b &`). */
function bodyText(body: Statement[]): string {
  return body
    .map((statement, i) => {
      const text = commandText(statement.command);
      return statement.async ? `${text} &` : i < body.length - 1 ? `${text};` : text;
    })
    .join(" ");
}
