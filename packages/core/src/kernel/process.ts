/** One entry of the process table and the plain-data views of it the API returns. */
import { FdTable } from "./fd-table.ts";
import { WaitQueue } from "./wait-queue.ts";

export type ProcessState = "running" | "stopped" | "zombie" | "reaped";

/** How a process ended: an exit code, or the signal that killed it. */
export interface ExitStatus {
  exitCode: number | null;
  signal: number | null;
}

/** Shell-style status: the exit code, or 128 + the signal number. */
export function statusCode(status: ExitStatus): number {
  return status.signal !== null ? 128 + status.signal : (status.exitCode ?? 0);
}

/** What waitpid reports: an exit (the child is reaped), or a stop or continue when asked for. */
export interface WaitResult {
  pid: number;
  /** "stopped" only with `untraced`, "continued" only with `continued`. */
  state: "exited" | "stopped" | "continued";
  /** How it ended (both null unless `state` is "exited"). */
  status: ExitStatus;
  /** The stopping signal when `state` is "stopped", else null. */
  stopSignal: number | null;
}

/** Thrown inside a process's own calls once it has been terminated; drivers let it propagate. */
export class ProcessTerminated extends Error {
  constructor(pid: number) {
    super(`process ${pid} terminated`);
    this.name = "ProcessTerminated";
  }
}

/** Thrown by `ctx.exit(code)` to unwind a command's stack. */
export class ProcessExit extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`exit ${code}`);
    this.name = "ProcessExit";
    this.code = code;
  }
}

export type SignalDisposition = "default" | "ignore" | ((signal: number) => void);

/** Plain-data snapshot of a process (what `allProcesses()` returns). */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  driver: string;
  command: string;
  args: string[];
  cwd: string;
  uid: number;
  status: "running" | "stopped" | "exited";
  exitCode: number | null;
  signal: number | null;
  startTime: number;
  exitTime: number | null;
}

export interface ProcessTreeNode extends ProcessInfo {
  children: ProcessTreeNode[];
}

export class Process {
  readonly pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  readonly argv: string[];
  /** Resolved path of the program (or the command name for functions spawned in-process). */
  command: string;
  driver: string;
  env: Record<string, string>;
  cwd: string;
  uid: number;
  gid: number;
  umask: number;
  state: ProcessState = "running";
  exitCode: number | null = null;
  termSignal: number | null = null;
  /** The signal that stopped the process (while it is stopped). */
  stopSignal: number | null = null;
  /** A stop or continue its parent has not collected with waitpid yet (WUNTRACED/WCONTINUED). */
  unreported: "stopped" | "continued" | null = null;
  /** Signals sent while stopped: they act once the process is continued. */
  readonly pendingSignals = new Set<number>();
  /** Called when the process stops (a blocked terminal read gives up and restarts later). */
  readonly onStop = new Set<() => void>();
  readonly startTime = Date.now();
  exitTime: number | null = null;
  readonly fds: FdTable;
  readonly children = new Set<number>();
  /** Aborted when the process terminates: every blocking call it makes listens to this. */
  readonly abort = new AbortController();
  /** Woken when a child changes state (exit, stop). */
  readonly childEvents = new WaitQueue();
  /** Woken on SIGCONT. */
  readonly resumed = new WaitQueue();
  readonly dispositions = new Map<number, SignalDisposition>();
  readonly #exited: Promise<ExitStatus>;
  #resolveExited!: (status: ExitStatus) => void;

  constructor(init: {
    pid: number;
    ppid: number;
    pgid: number;
    sid: number;
    argv: string[];
    command: string;
    driver: string;
    env: Record<string, string>;
    cwd: string;
    uid: number;
    gid: number;
    umask: number;
    fdLimit: number;
  }) {
    this.pid = init.pid;
    this.ppid = init.ppid;
    this.pgid = init.pgid;
    this.sid = init.sid;
    this.argv = init.argv;
    this.command = init.command;
    this.driver = init.driver;
    this.env = init.env;
    this.cwd = init.cwd;
    this.uid = init.uid;
    this.gid = init.gid;
    this.umask = init.umask;
    this.fds = new FdTable(init.fdLimit);
    this.#exited = new Promise((resolve) => {
      this.#resolveExited = resolve;
    });
  }

  get alive(): boolean {
    return this.state === "running" || this.state === "stopped";
  }

  /** Resolves once the process has exited (zombie or reaped). */
  get exited(): Promise<ExitStatus> {
    return this.#exited;
  }

  markExited(exitCode: number | null, signal: number | null): void {
    this.state = "zombie";
    this.exitCode = exitCode;
    this.termSignal = signal;
    this.exitTime = Date.now();
    this.#resolveExited({ exitCode, signal });
  }

  info(): ProcessInfo {
    return {
      pid: this.pid,
      ppid: this.ppid,
      pgid: this.pgid,
      sid: this.sid,
      driver: this.driver,
      command: this.command,
      args: this.argv.slice(1),
      cwd: this.cwd,
      uid: this.uid,
      status:
        this.state === "running" ? "running" : this.state === "stopped" ? "stopped" : "exited",
      exitCode: this.exitCode,
      signal: this.termSignal,
      startTime: this.startTime,
      exitTime: this.exitTime,
    };
  }
}
