/**
 * The ChildProcess object: a kernel child of the guest's process with its stdio pipes as
 * streams. Events follow Node's order: 'spawn' on the next tick, 'exit' when the child ends,
 * 'close' once it has ended and every stream it writes to (stdout, stderr, ...) has closed.
 * A child that cannot start (ENOENT, EACCES, ...) reports it as an 'error' event, with
 * `spawn <file> <CODE>` as Node words it; other failures throw at once.
 */
import { EventEmitter } from "events";
import type { Readable, Writable } from "readable-stream";
import { callAsync, callSync } from "../../host.ts";
import { KeepAlive } from "../../keep-alive.ts";
import { nextTick } from "../../loop.ts";
import { SIGNAL_NAMES } from "../../signals.ts";
import { deadStream, PipeReadable, PipeWritable } from "./pipe-streams.ts";
import { type NormalizedSpawn, spawnError, validateSignal } from "./spawn-options.ts";

/** Failures Node turns into an 'error' event instead of a throw (the child "ran" and failed). */
const DEFERRED_ERRORS = new Set([
  "EACCES",
  "EAGAIN",
  "EMFILE",
  "ENFILE",
  "ENOENT",
  "ENOTDIR",
  "ENOEXEC",
]);

type Stream = Readable | Writable | null;

export class ChildProcess extends EventEmitter {
  pid: number | undefined = undefined;
  exitCode: number | null = null;
  signalCode: string | null = null;
  killed = false;
  connected = false;
  spawnfile: string | undefined;
  spawnargs: string[] = [];
  stdin: Writable | null = null;
  stdout: Readable | null = null;
  stderr: Readable | null = null;
  stdio: Stream[] = [];
  #closesNeeded = 1;
  #closesGot = 0;
  #running = false;
  readonly #keepAlive = new KeepAlive();

  /** Starts the child (Node's ChildProcess.prototype.spawn, with normalised options). */
  spawn(spec: NormalizedSpawn): void {
    this.spawnfile = spec.file;
    this.spawnargs = spec.args;
    let result: { pid: number; fds: Array<number | null> };
    try {
      result = callSync("child.spawn", {
        file: spec.file,
        argv: spec.args,
        cwd: spec.cwd,
        env: spec.env,
        stdio: spec.stdio,
        detached: spec.detached,
      });
    } catch (error) {
      const code = (error as { code?: string }).code ?? "";
      if (!DEFERRED_ERRORS.has(code)) {
        throw spawnError(code || "EINVAL", "spawn");
      }
      this.stdio = spec.stdio.map((s, i) => (s === "pipe" ? deadStream(i > 0) : null));
      this.#assignStdio();
      this.exitCode = (error as { errno?: number }).errno ?? -1;
      nextTick(() => this.#onExit(this.exitCode, null, code));
      return;
    }
    this.pid = result.pid;
    this.#running = true;
    this.stdio = result.fds.map((fd, i) => {
      if (fd === null) return null;
      if (i === 0) return new PipeWritable(fd);
      const stream = new PipeReadable(fd);
      this.#closesNeeded++;
      stream.on("close", () => this.#maybeClose());
      // Like a net.Socket on a pipe, start reading at once: an output nobody listens to
      // still reaches its end (and closes) when the child closes it.
      stream.read(0);
      return stream;
    });
    this.#assignStdio();
    nextTick(() => this.emit("spawn"));
    const done = this.#keepAlive.begin();
    callAsync<[number | null, number | null]>("child.wait", [result.pid], (error, status) => {
      done();
      if (error) {
        this.emit("error", error);
        return;
      }
      const [code, signal] = status ?? [null, null];
      // One more turn of the host loop first: output the child wrote before it ended is
      // delivered before 'exit', as libuv reads pipes before it reaps.
      const turn = this.#keepAlive.begin();
      callAsync("loop.yield", [], () => {
        turn();
        this.#onExit(code, signal === null ? null : (SIGNAL_NAMES[signal] ?? null));
      });
    });
  }

  #assignStdio(): void {
    this.stdin = (this.stdio[0] as Writable | null) ?? null;
    this.stdout = (this.stdio[1] as Readable | null) ?? null;
    this.stderr = (this.stdio[2] as Readable | null) ?? null;
  }

  #onExit(code: number | null, signal: string | null, spawnFailure?: string): void {
    this.#running = false;
    if (signal) this.signalCode = signal;
    else this.exitCode = code;
    this.stdin?.destroy();
    if (spawnFailure) {
      this.emit(
        "error",
        spawnError(
          spawnFailure,
          `spawn ${this.spawnfile}`,
          this.spawnfile,
          this.spawnargs.slice(1),
        ),
      );
    } else this.emit("exit", this.exitCode, this.signalCode);
    nextTick(() => this.#flushStdio());
    this.#maybeClose();
  }

  /** Output nobody reads is drained, so the streams can end and 'close' can come. */
  #flushStdio(): void {
    for (let i = 1; i < this.stdio.length; i++) {
      const stream = this.stdio[i] as Readable | null;
      if (!stream?.readable || stream.readableFlowing !== null) continue;
      if (stream.listenerCount("data") > 0 || stream.listenerCount("readable") > 0) continue;
      stream.resume();
    }
  }

  #maybeClose(): void {
    this.#closesGot++;
    if (this.#closesGot === this.#closesNeeded) this.emit("close", this.exitCode, this.signalCode);
  }

  kill(sig?: unknown): boolean {
    const signal = sig === 0 ? 0 : validateSignal(sig === undefined ? "SIGTERM" : sig, "signal");
    if (!this.#running || this.pid === undefined) return false;
    try {
      callSync("kill", this.pid, signal);
    } catch (error) {
      if ((error as { code?: string }).code === "ESRCH") return false;
      this.emit("error", spawnError((error as { code?: string }).code ?? "EINVAL", "kill"));
      return false;
    }
    this.killed = true;
    return true;
  }

  ref(): void {
    this.#keepAlive.ref();
  }

  unref(): void {
    this.#keepAlive.unref();
  }

  disconnect(): void {
    this.emit(
      "error",
      Object.assign(new Error("IPC channel is already disconnected"), {
        code: "ERR_IPC_DISCONNECTED",
      }),
    );
  }

  send(): boolean {
    throw Object.assign(new Error("Channel closed"), { code: "ERR_IPC_CHANNEL_CLOSED" });
  }

  [Symbol.dispose](): void {
    if (this.#running) this.kill();
  }
}
