/**
 * The host's handle on a process it started with `spawn()`: its stdin pipe, its output
 * (kept in a bounded replay buffer so a subscriber that arrives late misses nothing), and its
 * exit. Records outlive the process so `getProcess` and `waitProcess` work after it ends.
 */
import type { PipeOpenFile } from "../kernel/open-file.ts";

export type OutputStream = "stdout" | "stderr";
export type OutputHandler = (data: Uint8Array, stream: OutputStream) => void;
export type ExitHandler = (exitCode: number) => void;

/** Output kept for late subscribers, per process. */
export const REPLAY_LIMIT_BYTES = 1024 * 1024;

export interface SpawnedProcessInfo {
  pid: number;
  command: string;
  args: string[];
  running: boolean;
  exitCode: number | null;
}

export class SpawnedProcess {
  readonly pid: number;
  readonly command: string;
  readonly args: string[];
  exitCode: number | null = null;
  stdin: PipeOpenFile | undefined;
  readonly #replay: Array<[Uint8Array, OutputStream]> = [];
  #replayBytes = 0;
  readonly #outputHandlers = new Set<OutputHandler>();
  readonly #exitHandlers = new Set<ExitHandler>();
  readonly exited: Promise<number>;
  #resolveExit!: (code: number) => void;

  constructor(pid: number, command: string, args: string[]) {
    this.pid = pid;
    this.command = command;
    this.args = args;
    this.exited = new Promise((resolve) => {
      this.#resolveExit = resolve;
    });
  }

  info(): SpawnedProcessInfo {
    return {
      pid: this.pid,
      command: this.command,
      args: [...this.args],
      running: this.exitCode === null,
      exitCode: this.exitCode,
    };
  }

  output(data: Uint8Array, stream: OutputStream): void {
    this.#replay.push([data, stream]);
    this.#replayBytes += data.length;
    while (this.#replayBytes > REPLAY_LIMIT_BYTES && this.#replay.length > 1) {
      this.#replayBytes -= this.#replay.shift()![0].length;
    }
    for (const handler of this.#outputHandlers) safely(() => handler(data, stream));
  }

  exit(code: number): void {
    if (this.exitCode !== null) return;
    this.exitCode = code;
    this.#resolveExit(code);
    for (const handler of this.#exitHandlers) safely(() => handler(code));
    this.#exitHandlers.clear();
  }

  /** Subscribes to output, first replaying what was already produced. */
  onOutput(handler: OutputHandler): () => void {
    for (const [data, stream] of this.#replay) safely(() => handler(data, stream));
    this.#outputHandlers.add(handler);
    return () => this.#outputHandlers.delete(handler);
  }

  /** Subscribes to the exit; called at once if the process already ended. */
  onExit(handler: ExitHandler): () => void {
    if (this.exitCode !== null) {
      const code = this.exitCode;
      safely(() => handler(code));
      return () => {};
    }
    this.#exitHandlers.add(handler);
    return () => this.#exitHandlers.delete(handler);
  }
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // A throwing subscriber must not disturb the process or other subscribers.
  }
}
