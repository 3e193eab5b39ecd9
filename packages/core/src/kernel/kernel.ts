/**
 * The kernel of one VM: the process table, file descriptors, pipes, signals and program
 * loading, on top of the VM's filesystem namespace.
 *
 * Every call is addressed by pid (and fd) and takes and returns plain data, so the kernel can
 * later sit behind a worker or process boundary without an API change. The calling process's
 * credentials, cwd and umask apply to each call.
 */
import { isKernelError, KernelError } from "../fs/errors.ts";
import { type Caller, type Namespace, permits, X_OK } from "../fs/namespace.ts";
import { absolutePath } from "../fs/path.ts";
import {
  type DirEntry,
  isDirMode,
  O_ACCMODE,
  O_APPEND,
  O_CLOEXEC,
  O_NONBLOCK,
  O_RDONLY,
  O_RDWR,
  type Stat,
} from "../fs/types.ts";
import { NetworkStack } from "../net/network-stack.ts";
import {
  type CommandDefinition,
  type CommandMain,
  type CommandRegistry,
  parseBuiltinStub,
} from "./command-registry.ts";
import { type KernelLimits, resolveLimits } from "./limits.ts";
import { DirectoryOpenFile, FileOpenFile, type OpenFile, PipeOpenFile } from "./open-file.ts";
import { Pipe } from "./pipe.ts";
import {
  Process,
  ProcessExit,
  type ProcessInfo,
  ProcessTerminated,
  type ProcessTreeNode,
  type SignalDisposition,
  type WaitResult,
} from "./process.ts";
import { ProcessContext } from "./process-context.ts";
import { Pty, PtyDeviceFile, PtySlaveOpenFile } from "./pty.ts";
import { defaultAction, SIGNALS } from "./signals.ts";
import { isTermios, TCSAFLUSH, TCSANOW, type Termios, type WindowSize } from "./termios.ts";

export interface SpawnRequest {
  /** argv[0] names the program: a path, or a name looked up on PATH. */
  argv: string[];
  /** The program to run when argv[0] should say something else (execvp's `file`). */
  file?: string;
  /** Run this function as the new process instead of loading a program (a fork of the caller's code). */
  main?: CommandMain;
  /** Driver name reported for `main` processes. */
  driver?: string;
  cwd?: string;
  env?: Record<string, string>;
  /** Descriptor overrides applied after inheritance: a parent fd number, a description, or null to close. */
  fds?: Array<[number, number | OpenFile | null]>;
  /** Inherit the parent's descriptors not marked close-on-exec (default true). */
  inheritFds?: boolean;
  /** 0 puts the child in a new process group led by itself; a pgid joins that group. */
  pgid?: number;
  /** Start a new session (implies a new process group). */
  setsid?: boolean;
}

export interface KernelPolicy {
  /** Whether processes inside the VM may start children, or which command names they may start. */
  childProcess?: boolean | string[];
}

export interface KernelOptions {
  fs: Namespace;
  registry: CommandRegistry;
  limits?: Partial<KernelLimits>;
  policy?: KernelPolicy;
  /** The VM's sockets (default: a stack with the default egress policy). */
  network?: NetworkStack;
  /** Environment and identity of init (pid 1), inherited by processes the host starts. */
  env?: Record<string, string>;
  cwd?: string;
  uid?: number;
  gid?: number;
}

export type ProcessEvent =
  | { type: "start"; info: ProcessInfo }
  | { type: "exit"; info: ProcessInfo }
  | { type: "stop"; info: ProcessInfo }
  | { type: "continue"; info: ProcessInfo };

export interface OpenPtyOptions {
  /** Receives the terminal's output (what processes write, and echo). */
  onOutput: (data: Uint8Array) => void;
  size?: WindowSize;
  termios?: Termios;
  /** Owner of /dev/pts/N (default: init's user). */
  uid?: number;
  gid?: number;
}

interface LoadedProgram {
  command: string;
  definition: CommandDefinition;
  argv: string[];
}

const INIT_PID = 1;
const MAX_INTERPRETER_DEPTH = 4;
/** Why a terminal read was abandoned: its process stopped (it restarts when continued). */
const READ_STOPPED = new Error("read interrupted by a stop");

const textEncoder = new TextEncoder();

export class Kernel {
  readonly fs: Namespace;
  readonly registry: CommandRegistry;
  readonly limits: KernelLimits;
  readonly policy: KernelPolicy;
  /** Sockets: loopback listeners and connections, outbound connections through the policy. */
  readonly net: NetworkStack;
  readonly bootTime = Date.now();
  readonly #procs = new Map<number, Process>();
  readonly #listeners = new Set<(event: ProcessEvent) => void>();
  readonly #ptys = new Map<number, Pty>();
  #nextPid = INIT_PID;
  #shutdown = false;

  constructor(options: KernelOptions) {
    this.fs = options.fs;
    this.registry = options.registry;
    this.limits = resolveLimits(options.limits);
    this.policy = options.policy ?? {};
    this.net = options.network ?? new NetworkStack();
    const init = new Process({
      pid: this.#nextPid++,
      ppid: 0,
      pgid: INIT_PID,
      sid: INIT_PID,
      argv: ["init"],
      command: "init",
      driver: "kernel",
      env: { ...options.env },
      cwd: options.cwd ?? "/",
      uid: options.uid ?? 0,
      gid: options.gid ?? 0,
      umask: 0o022,
      fdLimit: this.limits.maxOpenFiles,
    });
    this.#procs.set(init.pid, init);
  }

  // ---- process table -----------------------------------------------------------------------

  get init(): Process {
    return this.#procs.get(INIT_PID)!;
  }

  /** The live (or zombie) process `pid`; ESRCH when there is none. */
  process(pid: number): Process {
    const proc = this.#procs.get(pid);
    if (!proc)
      throw new KernelError("ESRCH", "kill", undefined, undefined, `no such process ${pid}`);
    return proc;
  }

  has(pid: number): boolean {
    return this.#procs.has(pid);
  }

  /** Snapshot of every process in the table, by pid. */
  list(): ProcessInfo[] {
    return [...this.#procs.values()].map((p) => p.info());
  }

  tree(): ProcessTreeNode[] {
    const nodes = new Map<number, ProcessTreeNode>();
    for (const proc of this.#procs.values()) nodes.set(proc.pid, { ...proc.info(), children: [] });
    const roots: ProcessTreeNode[] = [];
    for (const node of nodes.values()) {
      const parent = nodes.get(node.ppid);
      if (parent) parent.children.push(node);
      else roots.push(node);
    }
    return roots;
  }

  /** Subscribes to process start/exit/stop/continue; returns the unsubscribe function. */
  onProcessEvent(listener: (event: ProcessEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(event: ProcessEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A faulty subscriber must not break the kernel.
      }
    }
  }

  #live(pid: number): Process {
    const proc = this.#procs.get(pid);
    if (!proc)
      throw new KernelError("ESRCH", "syscall", undefined, undefined, `no such process ${pid}`);
    if (!proc.alive) throw new ProcessTerminated(pid);
    return proc;
  }

  /** Waits while `proc` is stopped (SIGSTOP), so stopped processes make no progress. */
  async #runnable(proc: Process): Promise<void> {
    while (proc.state === "stopped") await proc.resumed.wait(proc.abort.signal);
    if (!proc.alive) throw new ProcessTerminated(proc.pid);
  }

  // ---- spawning ------------------------------------------------------------------------------

  /**
   * Starts a child of `parentPid`. Program lookup errors (ENOENT, EACCES, ENOEXEC) are thrown
   * before any process exists, as posix_spawn reports them.
   */
  async spawn(parentPid: number, request: SpawnRequest): Promise<number> {
    const parent = this.#checkSpawn(parentPid, request);
    const env = request.env ?? parent.env;
    const cwd = request.cwd === undefined ? parent.cwd : absolutePath(parent.cwd, request.cwd);
    let program: LoadedProgram;
    if (request.main) program = this.#inline(request);
    else {
      const file = request.file ?? request.argv[0];
      this.#checkChildPolicy(parent, file);
      program = await this.#load(parent, file, request.argv, env, cwd);
      this.#checkSpawn(parentPid, request);
    }
    return this.#create(parent, request, program, env, cwd);
  }

  /**
   * Starts a child at once and returns its pid; the program is looked up inside the child,
   * like fork + exec. A failed lookup ends the child with 127 (not found) or 126 and a message
   * on its stderr, as a shell's child would.
   */
  start(parentPid: number, request: SpawnRequest): number {
    const parent = this.#checkSpawn(parentPid, request);
    const env = request.env ?? parent.env;
    const cwd = request.cwd === undefined ? parent.cwd : absolutePath(parent.cwd, request.cwd);
    if (request.main) return this.#create(parent, request, this.#inline(request), env, cwd);
    this.#checkChildPolicy(parent, request.argv[0]);
    const name = request.argv[0];
    const loader: CommandMain = async (ctx) => {
      const self = this.process(ctx.pid);
      let program: LoadedProgram;
      try {
        program = await this.#load(self, name, request.argv, env, cwd);
      } catch (err) {
        const reason = isKernelError(err)
          ? err.code === "ENOENT"
            ? "command not found"
            : err.description
          : String(err);
        await ctx.err(`${name}: ${reason}\n`);
        return isKernelError(err, "ENOENT") ? 127 : 126;
      }
      self.argv.splice(0, self.argv.length, ...program.argv);
      self.command = program.command;
      return program.definition.main(ctx);
    };
    return this.#create(
      parent,
      request,
      { command: name, definition: { name, main: loader }, argv: [...request.argv] },
      env,
      cwd,
    );
  }

  /**
   * execve(2) for a running process: loads `argv[0]` (PATH lookup, stubs, `#!`) and runs that
   * program in place of the caller's code, in the same process (pid, fds, group are kept;
   * close-on-exec descriptors are closed and caught signals return to their default). Resolves
   * to the program's exit status, which the caller returns as its own. Lookup errors are
   * thrown before anything changes, so the caller can report them and carry on.
   */
  async exec(pid: number, argv: string[], env?: Record<string, string>): Promise<number> {
    const proc = this.#live(pid);
    if (!Array.isArray(argv) || argv.length === 0)
      throw new KernelError("EINVAL", "execve", undefined, undefined, "argv must not be empty");
    const environment = env ?? proc.env;
    this.#checkChildPolicy(this.#procs.get(proc.ppid) ?? this.init, argv[0]);
    const program = await this.#load(proc, argv[0], argv, environment, proc.cwd);
    if (!proc.alive) throw new ProcessTerminated(pid);
    proc.argv.splice(0, proc.argv.length, ...program.argv);
    proc.command = program.command;
    proc.env = { ...environment };
    for (const [fd, entry] of proc.fds.entries()) {
      if (entry.cloexec) this.close(pid, fd);
    }
    for (const [signal, disposition] of proc.dispositions) {
      if (typeof disposition === "function") proc.dispositions.delete(signal);
    }
    const code = await program.definition.main(new ProcessContext(this, pid));
    return typeof code === "number" ? code : 0;
  }

  #inline(request: SpawnRequest): LoadedProgram {
    return {
      command: request.argv[0],
      definition: {
        name: request.argv[0],
        main: request.main!,
        driver: request.driver ?? "builtin",
      },
      argv: request.argv,
    };
  }

  #checkSpawn(parentPid: number, request: SpawnRequest): Process {
    if (this.#shutdown)
      throw new KernelError("ESRCH", "spawn", undefined, undefined, "the VM is shut down");
    const parent = this.#live(parentPid);
    if (
      !Array.isArray(request.argv) ||
      request.argv.length === 0 ||
      request.argv.some((a) => typeof a !== "string")
    ) {
      throw new KernelError(
        "EINVAL",
        "spawn",
        undefined,
        undefined,
        "argv must be a non-empty array of strings",
      );
    }
    if (this.#countLive() >= this.limits.maxProcesses) {
      throw new KernelError(
        "EAGAIN",
        "fork",
        undefined,
        undefined,
        `process limit reached (${this.limits.maxProcesses})`,
      );
    }
    return parent;
  }

  #create(
    parent: Process,
    request: SpawnRequest,
    program: LoadedProgram,
    env: Record<string, string>,
    cwd: string,
  ): number {
    const pid = this.#nextPid++;
    const setsid = request.setsid === true;
    const pgid = setsid || request.pgid === 0 ? pid : (request.pgid ?? parent.pgid);
    const child = new Process({
      pid,
      ppid: parent.pid,
      pgid,
      sid: setsid ? pid : parent.sid,
      argv: program.argv,
      command: program.command,
      driver: program.definition.driver ?? "builtin",
      env: { ...env },
      cwd,
      uid: parent.uid,
      gid: parent.gid,
      umask: parent.umask,
      fdLimit: this.limits.maxOpenFiles,
    });
    // Signal dispositions set to "ignore" survive exec, as in POSIX.
    for (const [signal, disposition] of parent.dispositions) {
      if (disposition === "ignore") child.dispositions.set(signal, "ignore");
    }
    this.#setupFds(parent, child, request);
    this.#procs.set(pid, child);
    parent.children.add(pid);
    this.#emit({ type: "start", info: child.info() });
    this.#run(child, program.definition.main);
    return pid;
  }

  #checkChildPolicy(parent: Process, name: string): void {
    if (parent.pid === INIT_PID) return;
    const rule = this.policy.childProcess;
    if (rule === undefined || rule === true) return;
    const base = name.slice(name.lastIndexOf("/") + 1);
    if (rule === false || !rule.includes(base)) {
      throw new KernelError(
        "EPERM",
        "spawn",
        name,
        undefined,
        `starting '${base}' is not permitted by the VM's process policy`,
      );
    }
  }

  #countLive(): number {
    let n = 0;
    for (const proc of this.#procs.values()) if (proc.alive) n++;
    return n;
  }

  #setupFds(parent: Process, child: Process, request: SpawnRequest): void {
    if (request.inheritFds !== false) {
      for (const [fd, entry] of parent.fds.entries()) {
        if (!entry.cloexec) child.fds.install(fd, entry.file);
      }
    }
    try {
      for (const [fd, source] of request.fds ?? []) {
        let displaced: OpenFile | undefined;
        if (source === null) {
          if (child.fds.has(fd)) displaced = child.fds.remove(fd);
        } else {
          const file = typeof source === "number" ? parent.fds.get(source) : source;
          displaced = child.fds.install(fd, file);
        }
        if (displaced) this.#release(displaced);
      }
    } catch (err) {
      // The child never runs: drop the references it took, or pipe peers would never see EOF.
      for (const file of child.fds.clear()) this.#release(file);
      throw err;
    }
  }

  #run(proc: Process, main: CommandMain): void {
    const ctx = new ProcessContext(this, proc.pid);
    Promise.resolve()
      .then(() => main(ctx))
      .then(
        (code) => this.#exitWhenRunnable(proc, typeof code === "number" ? code : 0),
        (err: unknown) => this.#crashed(proc, err),
      );
  }

  /** A stopped process runs nothing, not even its exit: it ends once continued (or killed). */
  async #exitWhenRunnable(proc: Process, code: number): Promise<void> {
    if (proc.state === "stopped") await this.#runnable(proc).catch(() => {});
    this.exit(proc.pid, code);
  }

  async #crashed(proc: Process, err: unknown): Promise<void> {
    if (err instanceof ProcessExit) return this.#exitWhenRunnable(proc, err.code);
    if (!proc.alive || err instanceof ProcessTerminated) return;
    if (isKernelError(err, "EPIPE")) return this.exit(proc.pid, 141);
    // A bug in a command must not take the VM down: report it like a crashed program.
    const name = proc.argv[0].slice(proc.argv[0].lastIndexOf("/") + 1);
    const message = err instanceof Error ? err.message : String(err);
    try {
      await this.writeAll(proc.pid, 2, `${name}: ${message}\n`);
    } catch {
      // stderr may be gone; the exit status still reports the failure.
    }
    this.exit(proc.pid, isKernelError(err) ? 1 : 70);
  }

  /**
   * Resolves `file` to a runnable program: PATH lookup, execute permission, built-in stubs,
   * and `#!` interpreter lines (up to 4 levels, as Linux allows).
   */
  async #load(
    caller: Process,
    file: string,
    argv: string[],
    env: Record<string, string>,
    cwd: string,
    depth = 0,
  ): Promise<LoadedProgram> {
    if (file.length === 0) throw new KernelError("ENOENT", "execve", file);
    const path = file.includes("/")
      ? absolutePath(cwd, file)
      : await this.findInPath(caller, file, env.PATH, cwd);
    if (path === undefined) throw new KernelError("ENOENT", "execve", file);
    // resolve (not stat): executing is governed by the x bits, not the VM's read policy.
    const stat = (await this.fs.resolve(caller, path, true, "execve")).stat!;
    if (isDirMode(stat.mode) || (stat.mode & 0o170000) !== 0o100000)
      throw new KernelError("EACCES", "execve", file);
    if (!permits(caller, stat, X_OK)) throw new KernelError("EACCES", "execve", file);
    const head = await this.#readHead(caller, path);
    const builtin = parseBuiltinStub(head);
    if (builtin !== undefined) {
      const definition = this.registry.get(builtin);
      if (!definition) {
        throw new KernelError(
          "ENOEXEC",
          "execve",
          file,
          undefined,
          `'${builtin}' is not supported in this VM`,
        );
      }
      return { command: path, definition, argv };
    }
    if (head[0] === 0x23 && head[1] === 0x21) {
      if (depth >= MAX_INTERPRETER_DEPTH) throw new KernelError("ELOOP", "execve", file);
      let end = head.indexOf(0x0a);
      if (end < 0) end = head.length;
      const line = new TextDecoder().decode(head.subarray(2, end)).trim();
      const space = line.search(/[ \t]/);
      const interpreter = space < 0 ? line : line.slice(0, space);
      const arg = space < 0 ? "" : line.slice(space).trim();
      if (interpreter.length === 0) throw new KernelError("ENOEXEC", "execve", file);
      const next = [interpreter, ...(arg ? [arg] : []), path, ...argv.slice(1)];
      return this.#load(caller, interpreter, next, env, cwd, depth + 1);
    }
    throw new KernelError("ENOEXEC", "execve", file);
  }

  /** Reads the first bytes of a program (executing needs x, not the read policy). */
  async #readHead(caller: Process, path: string): Promise<Uint8Array> {
    const root = { uid: 0, gid: 0, pid: caller.pid };
    const r = await this.fs.resolve(root, path, true, "execve");
    if (r.magic || !r.stat || (r.stat.mode & 0o170000) !== 0o100000)
      throw new KernelError("EACCES", "execve", path);
    const file = await r.mount.backend.open(r.inner, O_RDONLY, 0, root);
    try {
      const head = new Uint8Array(256);
      const n = await file.read(head, 0, head.length, 0);
      return head.subarray(0, n);
    } finally {
      await file.close();
    }
  }

  /**
   * Looks `name` up on `pathVar` like execvp: the first executable regular file wins; a
   * match without execute permission is returned only if nothing better is found (so the
   * caller reports "Permission denied" as bash does).
   */
  async findInPath(
    caller: Caller,
    name: string,
    pathVar: string | undefined,
    cwd: string,
  ): Promise<string | undefined> {
    let denied: string | undefined;
    for (const dir of (pathVar ?? "/usr/local/bin:/usr/bin:/bin").split(":")) {
      const candidate =
        dir === ""
          ? absolutePath(cwd, name)
          : absolutePath(cwd, dir.endsWith("/") ? dir + name : `${dir}/${name}`);
      let stat: Stat;
      try {
        stat = (await this.fs.resolve(caller, candidate, true, "execve")).stat!;
      } catch {
        continue;
      }
      if ((stat.mode & 0o170000) !== 0o100000) continue;
      if (permits(caller, stat, X_OK)) return candidate;
      denied ??= candidate;
    }
    return denied;
  }

  // ---- exit, wait, signals -------------------------------------------------------------------

  /** Ends `pid` with `code` (what `exit(2)` does). */
  exit(pid: number, code: number): void {
    const proc = this.#procs.get(pid);
    if (!proc?.alive) return;
    this.#terminate(proc, code & 0xff, null);
  }

  #terminate(proc: Process, exitCode: number | null, signal: number | null): void {
    if (!proc.alive) return;
    proc.markExited(exitCode, signal);
    proc.abort.abort(new ProcessTerminated(proc.pid));
    proc.resumed.wakeAll();
    for (const file of proc.fds.clear()) this.#release(file);
    this.net.releaseProcess(proc.pid);
    const init = this.init;
    for (const childPid of proc.children) {
      const child = this.#procs.get(childPid);
      if (!child) continue;
      child.ppid = INIT_PID;
      if (proc.pid !== INIT_PID) init.children.add(childPid);
      if (child.state === "zombie") this.#reap(child);
    }
    proc.children.clear();
    if (proc.pid === proc.sid && this.#ptys.size > 0) this.#disassociateTerminal(proc.sid);
    this.#emit({ type: "exit", info: proc.info() });
    const parent = this.#procs.get(proc.ppid);
    if (!parent || parent.pid === INIT_PID || !parent.alive) {
      this.#reap(proc);
    } else {
      parent.childEvents.wakeAll();
      this.#deliver(parent, SIGNALS.SIGCHLD);
    }
  }

  #reap(proc: Process): void {
    proc.state = "reaped";
    this.#procs.delete(proc.pid);
    this.#procs.get(proc.ppid)?.children.delete(proc.pid);
  }

  #release(file: OpenFile): void {
    file.refs--;
    if (file.refs === 0) {
      try {
        const done = file.release();
        if (done instanceof Promise) done.catch(() => {});
      } catch {
        // Releasing is best effort; there is no one left to report to.
      }
    }
  }

  /**
   * Waits for a child of `callerPid` to exit (`pid` -1 for any) and reaps it. With `noHang`
   * returns null instead of waiting; with `untraced` a child's stop is reported too, and with
   * `continued` its resumption (each once, as WUNTRACED and WCONTINUED do). ECHILD when there is
   * no such child.
   */
  async waitpid(
    callerPid: number,
    pid: number,
    options: { noHang?: boolean; untraced?: boolean; continued?: boolean } = {},
  ): Promise<WaitResult | null> {
    const caller = this.#live(callerPid);
    for (;;) {
      const candidates = pid === -1 ? [...caller.children] : caller.children.has(pid) ? [pid] : [];
      if (candidates.length === 0) throw new KernelError("ECHILD", "waitpid");
      for (const childPid of candidates) {
        const child = this.#procs.get(childPid);
        if (!child) continue;
        if (child.state === "zombie") {
          this.#reap(child);
          const status = { exitCode: child.exitCode, signal: child.termSignal };
          return { pid: childPid, state: "exited", status, stopSignal: null };
        }
        const report = child.unreported;
        if (
          (report === "stopped" && options.untraced) ||
          (report === "continued" && options.continued)
        ) {
          child.unreported = null;
          const stopSignal = report === "stopped" ? child.stopSignal : null;
          return {
            pid: childPid,
            state: report,
            status: { exitCode: null, signal: null },
            stopSignal,
          };
        }
      }
      if (options.noHang) return null;
      await caller.childEvents.wait(caller.abort.signal);
    }
  }

  /**
   * kill(2): `pid` > 0 one process, 0 the caller's group, -1 every process but init, < -1 the
   * group -pid. Signal 0 only checks that the target exists.
   */
  kill(senderPid: number, pid: number, signal: number): void {
    if (!Number.isInteger(signal) || signal < 0 || signal > 64)
      throw new KernelError("EINVAL", "kill");
    const sender = this.#procs.get(senderPid);
    if (!sender) throw new KernelError("ESRCH", "kill");
    let targets: Process[];
    if (pid > 0) {
      const target = this.#procs.get(pid);
      if (!target || target.state === "reaped") throw new KernelError("ESRCH", "kill");
      targets = [target];
    } else {
      const group = pid === 0 ? sender.pgid : -pid;
      targets = [...this.#procs.values()].filter((p) =>
        pid === -1 ? p.pid !== INIT_PID && p.pid !== senderPid : p.pgid === group,
      );
      if (targets.length === 0) throw new KernelError("ESRCH", "kill");
    }
    for (const target of targets) {
      if (sender.uid !== 0 && sender.uid !== target.uid) throw new KernelError("EPERM", "kill");
    }
    if (signal === 0) return;
    for (const target of targets) this.#deliver(target, signal);
  }

  #deliver(proc: Process, signal: number): void {
    if (!proc.alive || proc.pid === INIT_PID) return;
    if (signal === SIGNALS.SIGKILL) return this.#terminate(proc, null, signal);
    if (signal === SIGNALS.SIGSTOP) return this.#stop(proc, signal);
    const disposition: SignalDisposition = proc.dispositions.get(signal) ?? "default";
    if (signal === SIGNALS.SIGCONT) this.#continue(proc);
    else if (proc.state === "stopped") {
      // A stopped process runs no handler and takes no default action until it is continued
      // (only SIGKILL acts at once); another stop signal changes nothing.
      if (!(disposition === "default" && defaultAction(signal) === "stop"))
        proc.pendingSignals.add(signal);
      return;
    }
    if (typeof disposition === "function") {
      queueMicrotask(() => {
        if (!proc.alive) return;
        try {
          disposition(signal);
        } catch {
          // Handler errors stay inside the process.
        }
      });
      return;
    }
    if (disposition === "ignore") return;
    switch (defaultAction(signal)) {
      case "terminate":
        return this.#terminate(proc, null, signal);
      case "stop":
        return this.#stop(proc, signal);
      default:
        return;
    }
  }

  #stop(proc: Process, signal: number): void {
    if (proc.state !== "running") return;
    proc.state = "stopped";
    proc.stopSignal = signal;
    proc.unreported = "stopped";
    for (const listener of [...proc.onStop]) listener();
    this.#emit({ type: "stop", info: proc.info() });
    const parent = this.#procs.get(proc.ppid);
    if (parent) {
      parent.childEvents.wakeAll();
      this.#deliver(parent, SIGNALS.SIGCHLD);
    }
  }

  #continue(proc: Process): void {
    if (proc.state !== "stopped") return;
    proc.state = "running";
    proc.stopSignal = null;
    proc.unreported = "continued";
    proc.resumed.wakeAll();
    this.#emit({ type: "continue", info: proc.info() });
    this.#procs.get(proc.ppid)?.childEvents.wakeAll();
    const pending = [...proc.pendingSignals];
    proc.pendingSignals.clear();
    for (const signal of pending) this.#deliver(proc, signal);
  }

  /** Sets what `signal` does to `pid` (SIGKILL and SIGSTOP cannot be caught or ignored). */
  setSignalDisposition(pid: number, signal: number, disposition: SignalDisposition): void {
    const proc = this.#live(pid);
    if (signal === SIGNALS.SIGKILL || signal === SIGNALS.SIGSTOP)
      throw new KernelError("EINVAL", "sigaction");
    if (disposition === "default") proc.dispositions.delete(signal);
    else proc.dispositions.set(signal, disposition);
  }

  setProcessGroup(callerPid: number, pid: number, pgid: number): void {
    const caller = this.#live(callerPid);
    const target = pid === 0 ? caller : this.process(pid);
    if (target.pid !== caller.pid && target.ppid !== caller.pid)
      throw new KernelError("ESRCH", "setpgid");
    target.pgid = pgid === 0 ? target.pid : pgid;
  }

  // ---- descriptors ---------------------------------------------------------------------------

  async open(pid: number, path: string, flags: number, mode = 0o666): Promise<number> {
    const proc = this.#live(pid);
    const opened = await this.fs.open(proc, absolutePath(proc.cwd, path), flags, mode);
    const cloexec = (flags & O_CLOEXEC) !== 0;
    if (opened.kind === "magic") {
      const owner = this.process(opened.pid);
      if (owner.uid !== proc.uid && proc.uid !== 0) throw new KernelError("EACCES", "open", path);
      return proc.fds.allocate(owner.fds.get(opened.fd), cloexec);
    }
    const statusFlags = flags & (O_ACCMODE | O_APPEND | O_NONBLOCK);
    let file: OpenFile;
    if (opened.kind === "directory") {
      const caller: Caller = proc;
      const dir = opened.path;
      file = new DirectoryOpenFile(
        dir,
        statusFlags,
        () => this.fs.stat(caller, dir),
        () => this.fs.readdir(caller, dir),
      );
    } else if (opened.file instanceof PtyDeviceFile) {
      file = new PtySlaveOpenFile(opened.file.pty, statusFlags);
    } else {
      file = new FileOpenFile(
        opened.file,
        statusFlags,
        opened.path,
        opened.mount,
        opened.stat.mode,
        {
          maxFileSize: this.limits.maxFileSizeBytes,
        },
      );
    }
    try {
      return proc.fds.allocate(file, cloexec);
    } catch (err) {
      await file.release();
      throw err;
    }
  }

  close(pid: number, fd: number): void {
    const proc = this.#live(pid);
    this.#release(proc.fds.remove(fd));
  }

  /** Installs a description the host created (a sink, a pipe end) in `pid`'s table. */
  installFile(pid: number, file: OpenFile, fd?: number): number {
    const proc = this.#live(pid);
    if (fd === undefined) return proc.fds.allocate(file);
    const displaced = proc.fds.install(fd, file);
    if (displaced) this.#release(displaced);
    return fd;
  }

  /** Reads up to `max` bytes; null at end of file. Blocks on pipes and terminals. */
  async read(pid: number, fd: number, max = 65536): Promise<Uint8Array | null> {
    const proc = this.#live(pid);
    if (proc.state === "stopped") await this.#runnable(proc);
    const file = proc.fds.get(fd);
    if (file instanceof PtySlaveOpenFile) return this.#readTerminal(proc, file, max);
    const data = await file.read(max, { signal: proc.abort.signal });
    if (!proc.alive) throw new ProcessTerminated(pid);
    return data;
  }

  /**
   * A terminal read. If the reader is stopped (^Z) while it waits, the read gives up without
   * taking any input and starts again once the process is continued, as Linux restarts the
   * call, so the shell gets what is typed while the job is stopped.
   */
  async #readTerminal(
    proc: Process,
    file: PtySlaveOpenFile,
    max: number,
  ): Promise<Uint8Array | null> {
    for (;;) {
      if (proc.state === "stopped") await this.#runnable(proc);
      await this.#ttyReadCheck(proc, file.pty);
      const stopped = new AbortController();
      const onStop = (): void => stopped.abort(READ_STOPPED);
      proc.onStop.add(onStop);
      try {
        const data = await file.read(max, {
          signal: AbortSignal.any([proc.abort.signal, stopped.signal]),
        });
        if (!proc.alive) throw new ProcessTerminated(proc.pid);
        return data;
      } catch (err) {
        if (err !== READ_STOPPED || !proc.alive) throw err;
      } finally {
        proc.onStop.delete(onStop);
      }
    }
  }

  /** Writes `data`; EPIPE also raises SIGPIPE in the writer. Returns the bytes written. */
  async write(pid: number, fd: number, data: Uint8Array | string): Promise<number> {
    const proc = this.#live(pid);
    if (proc.state === "stopped") await this.#runnable(proc);
    const bytes = typeof data === "string" ? textEncoder.encode(data) : data;
    try {
      return await proc.fds.get(fd).write(bytes, { signal: proc.abort.signal });
    } catch (err) {
      if (isKernelError(err, "EPIPE")) {
        this.#deliver(proc, SIGNALS.SIGPIPE);
        if (!proc.alive) throw new ProcessTerminated(pid);
      }
      throw err;
    }
  }

  /** Writes all of `data`, looping over partial writes. */
  async writeAll(pid: number, fd: number, data: Uint8Array | string): Promise<void> {
    let bytes = typeof data === "string" ? textEncoder.encode(data) : data;
    while (bytes.length > 0) {
      const n = await this.write(pid, fd, bytes);
      bytes = bytes.subarray(n);
    }
  }

  pipe(pid: number): [number, number] {
    const proc = this.#live(pid);
    const pipe = new Pipe(this.limits.pipeBufferBytes);
    const readEnd = new PipeOpenFile(pipe, "read");
    const writeEnd = new PipeOpenFile(pipe, "write");
    const r = proc.fds.allocate(readEnd);
    try {
      return [r, proc.fds.allocate(writeEnd)];
    } catch (err) {
      this.#release(proc.fds.remove(r));
      writeEnd.release();
      throw err;
    }
  }

  /** A pipe whose ends the host holds directly (for API stdin/stdout plumbing). */
  createPipe(): { readEnd: PipeOpenFile; writeEnd: PipeOpenFile } {
    const pipe = new Pipe(this.limits.pipeBufferBytes);
    return { readEnd: new PipeOpenFile(pipe, "read"), writeEnd: new PipeOpenFile(pipe, "write") };
  }

  dup(pid: number, fd: number, min = 0, cloexec = false): number {
    const proc = this.#live(pid);
    return proc.fds.allocate(proc.fds.get(fd), cloexec, min);
  }

  dup2(pid: number, oldFd: number, newFd: number): number {
    const proc = this.#live(pid);
    const file = proc.fds.get(oldFd);
    if (oldFd === newFd) return newFd;
    const displaced = proc.fds.install(newFd, file);
    if (displaced) this.#release(displaced);
    return newFd;
  }

  setCloexec(pid: number, fd: number, cloexec: boolean): void {
    this.#live(pid).fds.setCloexec(fd, cloexec);
  }

  getStatusFlags(pid: number, fd: number): number {
    return this.#live(pid).fds.get(fd).flags;
  }

  /** fcntl(F_SETFL): only O_APPEND and O_NONBLOCK can change. */
  setStatusFlags(pid: number, fd: number, flags: number): void {
    const file = this.#live(pid).fds.get(fd);
    file.flags = (file.flags & O_ACCMODE) | (flags & (O_APPEND | O_NONBLOCK));
  }

  async lseek(pid: number, fd: number, offset: number, whence: number): Promise<number> {
    return this.#live(pid).fds.get(fd).seek(offset, whence);
  }

  async fstat(pid: number, fd: number): Promise<Stat> {
    return this.#live(pid).fds.get(fd).stat();
  }

  isatty(pid: number, fd: number): boolean {
    const proc = this.#live(pid);
    return proc.fds.has(fd) && proc.fds.get(fd).isTerminal();
  }

  /** What a descriptor refers to, for /proc/<pid>/fd and lsof-like views. */
  describeFds(pid: number): Array<{ fd: number; target: string }> {
    const proc = this.process(pid);
    return proc.fds.entries().map(([fd, entry]) => ({ fd, target: entry.file.label }));
  }

  // ---- paths -------------------------------------------------------------------------------

  #abs(proc: Process, path: string): string {
    if (typeof path !== "string") throw new KernelError("EINVAL", "path");
    return absolutePath(proc.cwd, path);
  }

  async stat(pid: number, path: string): Promise<Stat> {
    const proc = this.#live(pid);
    return this.fs.stat(proc, this.#abs(proc, path));
  }

  async lstat(pid: number, path: string): Promise<Stat> {
    const proc = this.#live(pid);
    return this.fs.lstat(proc, this.#abs(proc, path));
  }

  async access(pid: number, path: string, mode: number): Promise<void> {
    const proc = this.#live(pid);
    return this.fs.access(proc, this.#abs(proc, path), mode);
  }

  async readdir(pid: number, path: string): Promise<DirEntry[]> {
    const proc = this.#live(pid);
    return this.fs.readdir(proc, this.#abs(proc, path));
  }

  async mkdir(pid: number, path: string, mode = 0o777): Promise<void> {
    const proc = this.#live(pid);
    return this.fs.mkdir(proc, this.#abs(proc, path), mode);
  }

  async rmdir(pid: number, path: string): Promise<void> {
    const proc = this.#live(pid);
    return this.fs.rmdir(proc, this.#abs(proc, path));
  }

  async unlink(pid: number, path: string): Promise<void> {
    const proc = this.#live(pid);
    return this.fs.unlink(proc, this.#abs(proc, path));
  }

  async rename(pid: number, from: string, to: string): Promise<void> {
    const proc = this.#live(pid);
    return this.fs.rename(proc, this.#abs(proc, from), this.#abs(proc, to));
  }

  async link(pid: number, existing: string, newPath: string): Promise<void> {
    const proc = this.#live(pid);
    return this.fs.link(proc, this.#abs(proc, existing), this.#abs(proc, newPath));
  }

  async symlink(pid: number, target: string, path: string): Promise<void> {
    const proc = this.#live(pid);
    return this.fs.symlink(proc, target, this.#abs(proc, path));
  }

  async readlink(pid: number, path: string): Promise<string> {
    const proc = this.#live(pid);
    return this.fs.readlink(proc, this.#abs(proc, path));
  }

  async realpath(pid: number, path: string): Promise<string> {
    const proc = this.#live(pid);
    return this.fs.realpath(proc, this.#abs(proc, path));
  }

  async chmod(pid: number, path: string, mode: number): Promise<void> {
    const proc = this.#live(pid);
    return this.fs.chmod(proc, this.#abs(proc, path), mode);
  }

  async chown(pid: number, path: string, uid: number, gid: number, follow = true): Promise<void> {
    const proc = this.#live(pid);
    return this.fs.chown(proc, this.#abs(proc, path), uid, gid, follow);
  }

  async utimes(pid: number, path: string, atimeMs: number, mtimeMs: number): Promise<void> {
    const proc = this.#live(pid);
    return this.fs.utimes(proc, this.#abs(proc, path), atimeMs, mtimeMs);
  }

  async truncate(pid: number, path: string, length: number): Promise<void> {
    const proc = this.#live(pid);
    return this.fs.truncate(proc, this.#abs(proc, path), length);
  }

  async readFile(pid: number, path: string): Promise<Uint8Array> {
    const proc = this.#live(pid);
    return this.fs.readFile(proc, this.#abs(proc, path));
  }

  async writeFile(
    pid: number,
    path: string,
    data: Uint8Array | string,
    mode = 0o666,
  ): Promise<void> {
    const proc = this.#live(pid);
    const bytes = typeof data === "string" ? textEncoder.encode(data) : data;
    if (bytes.length > this.limits.maxFileSizeBytes) throw new KernelError("EFBIG", "write", path);
    return this.fs.writeFile(proc, this.#abs(proc, path), bytes, mode);
  }

  async chdir(pid: number, path: string): Promise<void> {
    const proc = this.#live(pid);
    const target = this.#abs(proc, path);
    const resolved = await this.fs.resolve(proc, target, true, "chdir");
    if (!isDirMode(resolved.stat!.mode)) throw new KernelError("ENOTDIR", "chdir", path);
    if (!permits(proc, resolved.stat!, X_OK)) throw new KernelError("EACCES", "chdir", path);
    proc.cwd = resolved.path;
  }

  // ---- terminals -----------------------------------------------------------------------------

  /**
   * Creates a pseudo-terminal (/dev/pts/N). The host keeps the master side: it types with
   * `pty.input()`, reads through `onOutput`, resizes with `pty.setSize()` (SIGWINCH reaches
   * the foreground group) and hangs up with `pty.hangup()`. `ptySlave()` opens the slave side
   * for a process's descriptors.
   */
  openPty(options: OpenPtyOptions): Pty {
    let index = 0;
    while (this.#ptys.has(index)) index++;
    const pty = new Pty({
      index,
      onOutput: options.onOutput,
      signalGroup: (pgid, signal) => {
        try {
          this.kill(INIT_PID, -pgid, signal);
        } catch {
          // The group is gone; nobody to signal.
        }
      },
      size: options.size,
      termios: options.termios,
      uid: options.uid ?? this.init.uid,
      gid: options.gid ?? 5,
    });
    this.#ptys.set(index, pty);
    return pty;
  }

  /** An open description of `pty`'s slave side, to install in a process's descriptor table. */
  ptySlave(pty: Pty, flags = O_RDWR): PtySlaveOpenFile {
    return new PtySlaveOpenFile(pty, flags);
  }

  /** Forgets a pty the host is done with (after hanging it up); its index can be reused. */
  closePty(pty: Pty): void {
    pty.hangup();
    if (this.#ptys.get(pty.index) === pty) this.#ptys.delete(pty.index);
  }

  /** The ptys that exist, by index (for /dev/pts listings). */
  listPtys(): Pty[] {
    return [...this.#ptys.values()];
  }

  /** The controlling terminal of `pid`'s session, if it has one. */
  controllingTerminal(pid: number): Pty | undefined {
    const proc = this.#procs.get(pid);
    if (!proc) return undefined;
    for (const pty of this.#ptys.values()) if (pty.session === proc.sid) return pty;
    return undefined;
  }

  /** What /dev/tty opens for `pid` (the DevFs provider hook). */
  openTty(pid: number): PtyDeviceFile | undefined {
    const pty = this.controllingTerminal(pid);
    return pty && !pty.hungUp ? new PtyDeviceFile(pty) : undefined;
  }

  /** The terminal behind `fd`; ENOTTY when it is not one. */
  #tty(proc: Process, fd: number, syscall: string): Pty {
    const file = proc.fds.get(fd);
    if (!(file instanceof PtySlaveOpenFile)) throw new KernelError("ENOTTY", syscall);
    return file.pty;
  }

  /** TIOCSCTTY: a session leader without a terminal makes `fd`'s terminal its controlling one. */
  setControllingTerminal(pid: number, fd: number): void {
    const proc = this.#live(pid);
    const pty = this.#tty(proc, fd, "ioctl");
    if (pty.session === proc.sid) return;
    if (proc.pid !== proc.sid || this.controllingTerminal(pid) !== undefined)
      throw new KernelError("EPERM", "ioctl");
    const holder = pty.session === undefined ? undefined : this.#procs.get(pty.session);
    if (holder?.alive) throw new KernelError("EPERM", "ioctl");
    pty.session = proc.sid;
    pty.foreground = proc.pgid;
  }

  /** setsid(2): a new session and group led by `pid`, without a controlling terminal. */
  setsid(pid: number): number {
    const proc = this.#live(pid);
    for (const other of this.#procs.values()) {
      if (other.alive && other.pgid === proc.pid) throw new KernelError("EPERM", "setsid");
    }
    proc.sid = proc.pid;
    proc.pgid = proc.pid;
    return proc.sid;
  }

  tcgetattr(pid: number, fd: number): Termios {
    return this.#tty(this.#live(pid), fd, "tcgetattr").termios;
  }

  /** `action` is TCSANOW, TCSADRAIN (same here: output is never queued) or TCSAFLUSH. */
  tcsetattr(pid: number, fd: number, attrs: Termios, action = TCSANOW): void {
    const pty = this.#tty(this.#live(pid), fd, "tcsetattr");
    if (!isTermios(attrs) || ![0, 1, 2].includes(action))
      throw new KernelError("EINVAL", "tcsetattr");
    pty.setTermios(attrs, action === TCSAFLUSH);
  }

  /** The foreground process group of the terminal (which must be the caller's). */
  tcgetpgrp(pid: number, fd: number): number {
    const proc = this.#live(pid);
    const pty = this.#tty(proc, fd, "tcgetpgrp");
    if (pty.session !== proc.sid) throw new KernelError("ENOTTY", "tcgetpgrp");
    return pty.foreground ?? 0;
  }

  /** Makes `pgid` (a group of the caller's session) the terminal's foreground group. */
  tcsetpgrp(pid: number, fd: number, pgid: number): void {
    const proc = this.#live(pid);
    const pty = this.#tty(proc, fd, "tcsetpgrp");
    if (!Number.isInteger(pgid) || pgid < 0) throw new KernelError("EINVAL", "tcsetpgrp");
    if (pty.session !== proc.sid) throw new KernelError("ENOTTY", "tcsetpgrp");
    let found = false;
    for (const p of this.#procs.values()) {
      if (p.alive && p.pgid === pgid) {
        if (p.sid !== proc.sid) throw new KernelError("EPERM", "tcsetpgrp");
        found = true;
      }
    }
    if (!found) throw new KernelError("EPERM", "tcsetpgrp");
    pty.foreground = pgid;
  }

  /** The session the terminal controls (tcgetsid). */
  tcgetsid(pid: number, fd: number): number {
    const proc = this.#live(pid);
    const pty = this.#tty(proc, fd, "tcgetsid");
    if (pty.session !== proc.sid) throw new KernelError("ENOTTY", "tcgetsid");
    return pty.session;
  }

  /** TIOCGWINSZ. */
  getWindowSize(pid: number, fd: number): WindowSize {
    return this.#tty(this.#live(pid), fd, "ioctl").size;
  }

  /** TIOCSWINSZ: a change sends SIGWINCH to the terminal's foreground group. */
  setWindowSize(pid: number, fd: number, size: WindowSize): void {
    const pty = this.#tty(this.#live(pid), fd, "ioctl");
    const valid = (n: unknown): boolean =>
      typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= 0xffff;
    if (typeof size !== "object" || size === null || !valid(size.cols) || !valid(size.rows))
      throw new KernelError("EINVAL", "ioctl");
    pty.setSize(size);
  }

  /** ttyname(3): /dev/pts/N for a terminal descriptor. */
  ttyname(pid: number, fd: number): string {
    return this.#tty(this.#live(pid), fd, "ttyname").path;
  }

  /** Discards input typed but not read yet (tcflush TCIFLUSH). */
  tcflush(pid: number, fd: number): void {
    this.#tty(this.#live(pid), fd, "tcflush").flushInput();
  }

  /**
   * Job control on reads: a background group reading its controlling terminal gets SIGTTIN
   * (and stops until continued), or EIO when it ignores that signal.
   */
  async #ttyReadCheck(proc: Process, pty: Pty): Promise<void> {
    while (
      pty.session === proc.sid &&
      pty.foreground !== undefined &&
      pty.foreground !== proc.pgid &&
      !pty.hungUp
    ) {
      if (proc.dispositions.get(SIGNALS.SIGTTIN) === "ignore") throw new KernelError("EIO", "read");
      this.kill(INIT_PID, -proc.pgid, SIGNALS.SIGTTIN);
      if (proc.state !== "stopped") {
        // Caught by a handler: the read fails as interrupted.
        throw new KernelError("EINTR", "read");
      }
      await this.#runnable(proc);
    }
  }

  /** The controlling process ended: its terminal hangs up its foreground group and is freed. */
  #disassociateTerminal(sid: number): void {
    for (const pty of this.#ptys.values()) {
      if (pty.session !== sid) continue;
      const foreground = pty.foreground;
      pty.session = undefined;
      pty.foreground = undefined;
      if (foreground === undefined) continue;
      for (const p of this.#procs.values()) {
        if (p.alive && p.pgid === foreground) {
          this.#deliver(p, SIGNALS.SIGHUP);
          this.#deliver(p, SIGNALS.SIGCONT);
        }
      }
    }
  }

  // ---- shutdown ----------------------------------------------------------------------------

  /** Kills every process (SIGKILL) and refuses new ones. */
  shutdown(): void {
    this.#shutdown = true;
    for (const proc of [...this.#procs.values()]) {
      if (proc.pid !== INIT_PID) this.#terminate(proc, null, SIGNALS.SIGKILL);
    }
    const init = this.init;
    for (const file of init.fds.clear()) this.#release(file);
    for (const pty of this.#ptys.values()) pty.hangup();
    this.net.shutdownAll();
  }

  get isShutdown(): boolean {
    return this.#shutdown;
  }
}
