/**
 * ACP `terminal/*` served from the VM: each terminal is a VM process (a command line runs
 * under bash), its stdout and stderr collected together up to the agent's byte limit (the
 * oldest output is dropped first, as ACP asks), its exit status reported when it ends.
 */
import type {
  CreateTerminalRequest,
  TerminalExitStatus,
  TerminalOutputResponse,
} from "@agentclientprotocol/sdk/unstable";
import { RequestError } from "@agentclientprotocol/sdk/unstable";
import { SIGNALS } from "../kernel/signals.ts";
import type { SessionHost } from "./session-host.ts";

const DEFAULT_OUTPUT_LIMIT = 1024 * 1024;

interface Terminal {
  pid: number;
  chunks: Uint8Array[];
  bytes: number;
  limit: number;
  truncated: boolean;
  exit?: TerminalExitStatus;
  exited: Promise<TerminalExitStatus>;
}

export class SessionTerminals {
  readonly #host: SessionHost;
  readonly #terminals = new Map<string, Terminal>();
  #next = 1;

  constructor(host: SessionHost) {
    this.#host = host;
  }

  create(params: CreateTerminalRequest, defaultCwd: string): { terminalId: string } {
    const args = params.args ?? [];
    const env: Record<string, string> = {};
    for (const v of params.env ?? []) env[v.name] = v.value;
    const terminal = {
      chunks: [],
      bytes: 0,
      limit: params.outputByteLimit ?? DEFAULT_OUTPUT_LIMIT,
      truncated: false,
    } as unknown as Terminal;
    const collect = (data: Uint8Array) => this.#collect(terminal, data);
    let resolveExit!: (status: TerminalExitStatus) => void;
    terminal.exited = new Promise((resolve) => {
      resolveExit = resolve;
    });
    // A command with no args may be a whole command line ("ls -la | wc"): bash runs both kinds.
    const [command, argv] =
      args.length === 0 ? ["bash", ["-c", params.command]] : [params.command, args];
    try {
      terminal.pid = this.#host.spawn(command, argv, {
        cwd: params.cwd ?? defaultCwd,
        env,
        onStdout: collect,
        onStderr: collect,
        onExit: (code) => {
          const status =
            code > 128 && code - 128 in SIGNAL_NAMES
              ? { exitCode: null, signal: SIGNAL_NAMES[code - 128] }
              : { exitCode: code, signal: null };
          terminal.exit = status;
          resolveExit(status);
        },
      }).pid;
    } catch (err) {
      throw RequestError.internalError(undefined, `terminal/create: ${(err as Error).message}`);
    }
    const terminalId = `term-${this.#next++}`;
    this.#terminals.set(terminalId, terminal);
    return { terminalId };
  }

  #collect(terminal: Terminal, data: Uint8Array): void {
    terminal.chunks.push(data);
    terminal.bytes += data.length;
    while (terminal.bytes > terminal.limit && terminal.chunks.length > 0) {
      const first = terminal.chunks[0] as Uint8Array;
      const excess = terminal.bytes - terminal.limit;
      terminal.truncated = true;
      if (first.length <= excess) {
        terminal.chunks.shift();
        terminal.bytes -= first.length;
      } else {
        // Cut at a character boundary: skip UTF-8 continuation bytes.
        let cut = excess;
        while (cut < first.length && ((first[cut] as number) & 0xc0) === 0x80) cut++;
        terminal.chunks[0] = first.subarray(cut);
        terminal.bytes -= cut;
      }
    }
  }

  #get(terminalId: string): Terminal {
    const terminal = this.#terminals.get(terminalId);
    if (!terminal) throw RequestError.invalidParams(undefined, `unknown terminal ${terminalId}`);
    return terminal;
  }

  output(terminalId: string): TerminalOutputResponse {
    const t = this.#get(terminalId);
    const all = new Uint8Array(t.bytes);
    let at = 0;
    for (const c of t.chunks) {
      all.set(c, at);
      at += c.length;
    }
    return {
      output: new TextDecoder().decode(all),
      truncated: t.truncated,
      exitStatus: t.exit ?? null,
    };
  }

  waitForExit(terminalId: string): Promise<TerminalExitStatus> {
    return this.#get(terminalId).exited;
  }

  kill(terminalId: string): void {
    const t = this.#get(terminalId);
    if (!t.exit) this.#kill(t.pid);
  }

  release(terminalId: string): void {
    const t = this.#get(terminalId);
    if (!t.exit) this.#kill(t.pid);
    this.#terminals.delete(terminalId);
  }

  releaseAll(): void {
    for (const id of [...this.#terminals.keys()]) this.release(id);
  }

  #kill(pid: number): void {
    try {
      this.#host.killProcess(pid);
    } catch {
      // Already gone.
    }
  }
}

const SIGNAL_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(SIGNALS).map(([name, n]) => [n, name]),
);
