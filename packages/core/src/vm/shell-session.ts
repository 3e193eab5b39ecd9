/**
 * Interactive shells on pseudo-terminals: what `AgentOs.openShell` starts. A session owns the
 * master side of a pty (input from the host, output to subscribers with a bounded replay
 * buffer so a late subscriber misses nothing) and the shell process, which leads its own
 * session with the pty as its controlling terminal and fds 0, 1 and 2.
 *
 * `attachTerminal` connects a session to a host terminal (streams like process.stdin and
 * process.stdout): raw mode while attached, resize forwarding, restored on exit.
 */
import type { Kernel } from "../kernel/kernel.ts";
import type { Pty } from "../kernel/pty.ts";
import { SIGNALS } from "../kernel/signals.ts";

export type ShellDataHandler = (data: Uint8Array) => void;
export type ShellExitHandler = (exitCode: number) => void;

export interface OpenShellOptions {
  /** Program to run (default `bash`, started as a login shell: `bash -l`). */
  command?: string;
  /** Its arguments (default none; `-l` when `command` is omitted too). */
  args?: string[];
  /** Environment added to the VM's (TERM, COLUMNS and LINES are set unless given here). */
  env?: Record<string, string>;
  /** Working directory (default the VM's). */
  cwd?: string;
  /** Terminal size in character cells (default 80x24). */
  cols?: number;
  rows?: number;
}

export interface ShellInfo {
  shellId: string;
  pid: number;
  command: string;
  args: string[];
  cols: number;
  rows: number;
  running: boolean;
  exitCode: number | null;
}

/** Output kept per shell for late subscribers. */
export const SHELL_REPLAY_LIMIT_BYTES = 1024 * 1024;
/** How long processes get to act on SIGHUP when a shell is closed before they are killed. */
export const CLOSE_GRACE_MS = 100;

export class ShellSession {
  readonly id: string;
  readonly command: string;
  readonly args: string[];
  pid = 0;
  pty: Pty | undefined;
  exitCode: number | null = null;
  readonly exited: Promise<number>;
  #resolveExit!: (code: number) => void;
  readonly #replay: Uint8Array[] = [];
  #replayBytes = 0;
  readonly #dataHandlers = new Set<ShellDataHandler>();
  readonly #exitHandlers = new Set<ShellExitHandler>();

  constructor(id: string, command: string, args: string[]) {
    this.id = id;
    this.command = command;
    this.args = args;
    this.exited = new Promise((resolve) => {
      this.#resolveExit = resolve;
    });
  }

  info(): ShellInfo {
    const size = this.pty?.size ?? { cols: 0, rows: 0 };
    return {
      shellId: this.id,
      pid: this.pid,
      command: this.command,
      args: [...this.args],
      cols: size.cols,
      rows: size.rows,
      running: this.exitCode === null,
      exitCode: this.exitCode,
    };
  }

  /** Terminal output (called by the pty's master side). */
  output(data: Uint8Array): void {
    this.#replay.push(data);
    this.#replayBytes += data.length;
    while (this.#replayBytes > SHELL_REPLAY_LIMIT_BYTES && this.#replay.length > 1) {
      this.#replayBytes -= this.#replay.shift()!.length;
    }
    for (const handler of this.#dataHandlers) safely(() => handler(data));
  }

  exit(code: number): void {
    if (this.exitCode !== null) return;
    this.exitCode = code;
    this.#resolveExit(code);
    for (const handler of this.#exitHandlers) safely(() => handler(code));
    this.#exitHandlers.clear();
  }

  /** Subscribes to terminal output, first replaying what was already produced. */
  onData(handler: ShellDataHandler): () => void {
    for (const data of this.#replay) safely(() => handler(data));
    this.#dataHandlers.add(handler);
    return () => this.#dataHandlers.delete(handler);
  }

  /** Subscribes to the shell's exit; called at once if it already ended. */
  onExit(handler: ShellExitHandler): () => void {
    if (this.exitCode !== null) {
      const code = this.exitCode;
      safely(() => handler(code));
      return () => {};
    }
    this.#exitHandlers.add(handler);
    return () => this.#exitHandlers.delete(handler);
  }

  /**
   * Hangs up: SIGHUP (and SIGCONT, so stopped jobs see it) to every process of the shell's
   * session, then SIGKILL to whatever is left after a short grace period.
   */
  close(kernel: Kernel): void {
    const members = (): number[] =>
      kernel
        .list()
        .filter((p) => p.sid === this.pid && p.status !== "exited")
        .map((p) => p.pid);
    const send = (signal: number): void => {
      for (const pid of members()) {
        try {
          kernel.kill(1, pid, signal);
        } catch {
          // Already gone.
        }
      }
    };
    send(SIGNALS.SIGHUP);
    send(SIGNALS.SIGCONT);
    if (this.pty) this.pty.hangup();
    if (members().length > 0) {
      const timer = setTimeout(() => send(SIGNALS.SIGKILL), CLOSE_GRACE_MS);
      timer.unref?.();
    }
  }
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // A throwing subscriber must not disturb the shell or other subscribers.
  }
}

// ---- host terminal attachment -----------------------------------------------------------------

/** The parts of a readable host stream (process.stdin) a terminal attachment uses. */
export interface TerminalInput {
  on(event: "data", listener: (data: Buffer | string) => void): unknown;
  off(event: "data", listener: (data: Buffer | string) => void): unknown;
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
  isRaw?: boolean;
  resume?: () => unknown;
  pause?: () => unknown;
}

/** The parts of a writable host stream (process.stdout) a terminal attachment uses. */
export interface TerminalOutput {
  write(data: Uint8Array | string): unknown;
  columns?: number;
  rows?: number;
  on?(event: "resize", listener: () => void): unknown;
  off?(event: "resize", listener: () => void): unknown;
}

export interface ConnectTerminalOptions extends OpenShellOptions {
  /** Where keystrokes come from (default process.stdin). */
  stdin?: TerminalInput;
  /** Where the terminal's output goes (default process.stdout). */
  stdout?: TerminalOutput;
}

export interface TerminalControls {
  write(data: Uint8Array): void;
  resize(cols: number, rows: number): void;
  onData(handler: ShellDataHandler): () => void;
  exited: Promise<number>;
}

/**
 * Wires a host terminal to a shell until it exits: keystrokes in (raw mode when the input
 * is a TTY), output out, resizes forwarded. Everything is restored before the promise
 * resolves with the shell's exit code.
 */
export async function attachTerminal(
  controls: TerminalControls,
  stdin: TerminalInput,
  stdout: TerminalOutput,
): Promise<number> {
  const wasRaw = stdin.isRaw === true;
  const raw = stdin.isTTY === true && typeof stdin.setRawMode === "function";
  if (raw) stdin.setRawMode!(true);
  const onInput = (data: Buffer | string): void => {
    controls.write(typeof data === "string" ? new TextEncoder().encode(data) : data);
  };
  const onResize = (): void => {
    if (stdout.columns && stdout.rows) controls.resize(stdout.columns, stdout.rows);
  };
  const unsubscribe = controls.onData((data) => {
    stdout.write(data);
  });
  stdin.on("data", onInput);
  stdout.on?.("resize", onResize);
  stdin.resume?.();
  try {
    return await controls.exited;
  } finally {
    unsubscribe();
    stdin.off("data", onInput);
    stdout.off?.("resize", onResize);
    if (raw) stdin.setRawMode!(wasRaw);
    stdin.pause?.();
  }
}
