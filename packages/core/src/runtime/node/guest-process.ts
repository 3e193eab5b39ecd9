/**
 * One guest Node.js process, seen from the host: a V8 isolate started from the runtime image,
 * bound to a kernel process. The guest reaches the host only through two functions handed to
 * its bootstrap (and hidden from user code): a synchronous call (the guest thread blocks while
 * the host works, for `readFileSync` and friends) and an asynchronous one whose answer comes
 * back later as a host → guest call. Every guest "macrotask" therefore starts with a call the
 * host makes and awaits, so an exception or unhandled rejection inside it surfaces here instead
 * of as an unhandled rejection in the host.
 *
 * Liveness (when the process exits) is decided by the guest, which counts what keeps it alive
 * as Node does; the host only asks it when it reports that the count fell to zero.
 */
import ivm from "isolated-vm";
import { isKernelError } from "../../fs/errors.ts";
import type { ProcessContext } from "../../kernel/process-context.ts";
import { SIGNALS } from "../../kernel/signals.ts";
import { codeModeKits } from "../../tools/code-mode-ops.ts";
import { CodeCache } from "./code-cache.ts";
import { HOST_OPS, type HostOp } from "./host-ops.ts";
import {
  type GuestEntry,
  recycleIsolate,
  refillSpare,
  type SnapshotImage,
  takeIsolate,
} from "./isolate-pool.ts";

/** What the guest's bootstrap needs to start the program. Plain data. */
export interface GuestLaunch {
  argv: string[];
  execArgv: string[];
  entry:
    | { kind: "file"; path: string }
    | {
        kind: "eval";
        source: string;
        print: boolean;
        module: boolean;
        typescript: boolean;
        /** The script's name in stacks ("[eval]" unless set; "[worker eval]" for a worker). */
        name?: string;
      }
    | { kind: "stdin"; module: boolean; typescript: boolean };
  /** No --input-type: the -e/stdin source runs as an ES module if it has module syntax. */
  detectModule?: boolean;
  requires: string[];
  imports: string[];
}

/**
 * What makes an isolate a worker thread of its process rather than the process itself (see
 * worker-thread.ts): extra boot fields, the operations it answers differently (exit, chdir,
 * signals), and who hears that it ran out of heap.
 */
export interface ThreadRole {
  boot: Record<string, unknown>;
  ops: Record<string, HostOp>;
  outOfMemory(): void;
}

export interface GuestLimits {
  /** V8 heap limit of the isolate in MiB. */
  memoryMb: number;
  /** CPU time the isolate may use in total, in ms (0 = no limit). */
  cpuTimeMs: number;
}

/** The result of a host operation as the guest receives it. */
export type Envelope = { v: unknown } | { e: GuestErrorData };

export interface GuestErrorData {
  message: string;
  code?: string;
  errno?: number;
  syscall?: string;
  path?: string;
  dest?: string;
  name?: string;
  /** The stack of an error thrown by guest code (never a host stack: it would show host paths). */
  stack?: string;
  /** Node's "file:line / source / ^^^" header of a compile error (see compile-error-arrow.ts). */
  arrow?: string;
  /** The file URL an ES module resolution error is about. */
  url?: string;
}

const codeCache = new CodeCache();

export class GuestProcess {
  readonly ctx: ProcessContext;
  readonly isolate: ivm.Isolate;
  readonly context: ivm.Context;
  readonly limits: GuestLimits;
  readonly codeCache = codeCache;
  /** Per-process state that op groups keep (timers, open handles, ...), by owner name. */
  readonly state = new Map<string, unknown>();
  /** Functions to run when the process ends (close host resources it held). */
  readonly cleanups: Array<() => void> = [];
  readonly #entry: GuestEntry;
  /** The agent image the isolate was made from, if not the plain runtime's. */
  readonly image: SnapshotImage | undefined;
  #exitCode: number | undefined;
  #resolveDone!: (code: number) => void;
  readonly done: Promise<number>;
  /** Host-side writes are chained so output keeps the guest's order. */
  writeChain: Promise<unknown> = Promise.resolve();
  /** Set when this isolate is a worker thread of the process (worker-thread.ts). */
  thread: ThreadRole | undefined;

  private constructor(
    ctx: ProcessContext,
    isolate: ivm.Isolate,
    context: ivm.Context,
    entry: GuestEntry,
    limits: GuestLimits,
    image: SnapshotImage | undefined,
  ) {
    this.ctx = ctx;
    this.image = image;
    this.isolate = isolate;
    this.context = context;
    this.#entry = entry;
    this.limits = limits;
    this.cpuAtStart = isolate.cpuTime;
    this.done = new Promise((resolve) => {
      this.#resolveDone = resolve;
    });
  }

  static async create(
    ctx: ProcessContext,
    limits: GuestLimits,
    image?: SnapshotImage,
  ): Promise<GuestProcess> {
    const { isolate, context, entry } = await takeIsolate(limits.memoryMb, ctx.kernel, image);
    return new GuestProcess(ctx, isolate, context, entry, limits, image);
  }

  get exited(): boolean {
    return this.#exitCode !== undefined;
  }

  /** Runs the program to its end; resolves to the exit status. */
  async run(launch: GuestLaunch): Promise<number> {
    const onAbort = (): void => this.finish(128 + SIGNALS.SIGKILL);
    // Kept: once the kernel has reaped the process (a VM shutdown does at once), its context
    // can no longer look the signal up, and the cleanups below must still run.
    const killed = this.ctx.signal;
    killed.addEventListener("abort", onAbort, { once: true });
    const cpuWatch = this.#watchCpu();
    const syncCall = new ivm.Reference((op: string, args: unknown[]) => this.#syncCall(op, args));
    const asyncCall = new ivm.Reference((op: string, args: unknown[], id: number) =>
      this.#asyncCall(op, args, id),
    );
    const config = {
      launch,
      pid: this.ctx.pid,
      ppid: this.ctx.ppid,
      cwd: this.ctx.cwd,
      env: { ...this.ctx.env },
      umask: this.ctx.umask,
      uid: this.ctx.uid,
      gid: this.ctx.gid,
      tty: [0, 1, 2].map((fd) => this.#ttyInfo(fd)),
      version: process.version,
      versions: { ...process.versions },
      arch: process.arch,
      // Names only (for `agentos:tools`); calls go through the tools.call operation.
      toolKits: codeModeKits(this.ctx.kernel),
      ...this.thread?.boot,
    };
    this.#guestCall(this.#entry.boot, [
      syncCall,
      asyncCall,
      new ivm.ExternalCopy(config).copyInto({ release: true }),
    ]);
    try {
      return await this.done;
    } finally {
      clearInterval(cpuWatch);
      killed.removeEventListener("abort", onAbort);
      for (const cleanup of this.cleanups.splice(0)) {
        try {
          cleanup();
        } catch {
          // A cleanup failing must not keep the others from running.
        }
      }
      syncCall.release();
      asyncCall.release();
      // A worker's isolate is not kept: its heap size may be one of the guest's choosing.
      if (this.#endedIdle && !this.isolate.isDisposed && !this.thread) {
        for (const ref of Object.values(this.#entry)) ref.release();
        this.context.release();
        recycleIsolate(this.ctx.kernel, this.limits.memoryMb, this.isolate, this.image);
      } else if (!this.isolate.isDisposed) this.isolate.dispose();
      if (!this.thread) setImmediate(() => refillSpare(this.limits.memoryMb, this.image));
    }
  }

  /**
   * Ends the process with `code`; the isolate stops at once. `idle`: the guest ran out of work
   * by itself (no code of it is running), so its isolate may serve the VM's next process.
   */
  finish(code: number, idle = false): void {
    if (this.#exitCode !== undefined) return;
    this.#exitCode = code;
    this.#endedIdle = idle;
    this.#resolveDone(code);
    if (idle) return;
    // Dispose after the current host turn so a synchronous `exit` call can return first.
    setImmediate(() => {
      if (!this.isolate.isDisposed) this.isolate.dispose();
    });
  }

  #endedIdle = false;
  /** The isolate's CPU clock when this process started (a recycled isolate's has run before). */
  readonly cpuAtStart: bigint;

  /** Answers the guest's asynchronous request `id` with plain data. */
  complete(id: number, envelope: Envelope): void {
    if (this.exited) return;
    this.#guestCall(this.#entry.complete, [
      id,
      new ivm.ExternalCopy(envelope).copyInto({ release: true }),
    ]);
  }

  /** Answers request `id` with a value living in the guest heap (a module namespace, ...). */
  completeWithGuestValue(id: number, value: ivm.Reference): void {
    if (this.exited) return;
    this.#guestCall(this.#entry.completeValue, [id, value.derefInto()]);
  }

  /**
   * Asks the guest whether nothing keeps it alive any more; ends it with its code if so. Waits
   * for calls into the guest still in flight: one of them may yet fail with an unhandled
   * rejection, which must decide the exit status first.
   */
  checkIdle(): void {
    if (this.exited) return;
    if (this.#inFlight > 0) {
      this.#idleWanted = true;
      return;
    }
    this.#idleWanted = false;
    this.#entry.idleCheck
      .apply(undefined, [], { result: { copy: true } })
      .then((code) => {
        if (typeof code === "number" && code >= 0) this.finish(code, true);
      })
      .catch((error: unknown) => this.#onGuestFailure(error));
  }

  /** Delivers a signal the program has a handler for. */
  deliverSignal(signal: number): void {
    if (this.exited) return;
    this.#guestCall(this.#entry.signal, [signal]);
  }

  /** Calls into the guest; a throw or unhandled rejection there is the guest's fatal error. */
  #guestCall(fn: ivm.Reference, args: unknown[]): void {
    if (this.exited) return;
    this.#inFlight++;
    fn.apply(undefined, args, { arguments: { copy: true } })
      .catch((error: unknown) => this.#onGuestFailure(error))
      .finally(() => {
        this.#inFlight--;
        if (this.#inFlight === 0 && this.#idleWanted) this.checkIdle();
      });
  }

  #inFlight = 0;
  #idleWanted = false;

  #onGuestFailure(error: unknown): void {
    if (this.exited) return;
    const message = error instanceof Error ? error.message : String(error);
    if (this.isolate.isDisposed || /Isolate was disposed/.test(message)) {
      if (/memory limit/.test(message) && this.thread) {
        // A worker's heap limit ends only the worker; its parent hears of it as an 'error'.
        this.thread.outOfMemory();
        this.finish(1);
      } else if (/memory limit/.test(message)) {
        this.#writeFatal(
          "\n<--- JS stacktrace --->\n\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n",
        );
        this.finish(134);
      } else this.finish(this.#exitCode ?? 1);
      return;
    }
    // An error escaping a guest task past the runtime's own handlers (it tracks unhandled
    // rejections itself): the guest reports it as its uncaught exception.
    // The copied stack continues into the host's frames after the boundary: cut them off, they
    // would show host paths to the guest.
    const stack =
      error instanceof Error
        ? error.stack?.split("\n    at (<isolated-vm boundary>)")[0]
        : undefined;
    const copy = error instanceof Error ? { name: error.name, message, stack } : error;
    this.#guestCall(this.#entry.fatal, [copy]);
  }

  #writeFatal(text: string): void {
    this.writeChain = this.writeChain.then(() => this.ctx.err(text)).catch(() => {});
  }

  #watchCpu(): NodeJS.Timeout | undefined {
    const limitMs = this.limits.cpuTimeMs;
    if (!limitMs) return undefined;
    const timer = setInterval(() => {
      if (this.isolate.isDisposed) return;
      // A recycled isolate's clock already counts its earlier processes.
      if (Number(this.isolate.cpuTime - this.cpuAtStart) / 1e6 > limitMs) {
        this.#writeFatal(`node: CPU time limit of ${limitMs} ms exceeded\n`);
        this.finish(128 + SIGNALS.SIGXCPU);
      }
    }, 20);
    timer.unref();
    return timer;
  }

  #ttyInfo(fd: number): {
    isTTY: boolean;
    columns?: number;
    rows?: number;
    file?: boolean;
    closed?: boolean;
  } {
    try {
      if (!this.ctx.isatty(fd)) {
        // What Node's stdout is made of: nothing open makes it a black hole, a regular file a
        // SyncWriteStream, anything else a net.Socket.
        const fds = this.ctx.kernel.process(this.ctx.pid).fds;
        if (!fds.has(fd)) return { isTTY: false, closed: true };
        return { isTTY: false, file: fds.get(fd).kind === "file" };
      }
      const size = this.ctx.getWindowSize(fd);
      return { isTTY: true, columns: size.cols, rows: size.rows };
    } catch {
      return { isTTY: false };
    }
  }

  async #syncCall(op: string, args: unknown[]): Promise<unknown> {
    // After exit nothing of the program may act any more (a microtask left by an 'exit'
    // listener still runs when the isolate is kept for reuse).
    if (this.exited) return copyOut({ e: { message: "the process has exited" } });
    const handler = this.thread?.ops[op] ?? HOST_OPS[op];
    if (!handler) return copyOut({ e: { message: `unknown host operation ${op}` } });
    try {
      const value = await handler(this, args);
      // Some operations hand back values that already live in the guest heap.
      if (value instanceof GuestValue) return value.ref.derefInto();
      if (value instanceof GuestHandle) return value.handle;
      return copyOut({ v: value });
    } catch (error) {
      return copyOut({ e: errorData(error) });
    }
  }

  #asyncCall(op: string, args: unknown[], id: number): void {
    if (this.exited) return;
    const handler = this.thread?.ops[op] ?? HOST_OPS[op];
    if (!handler) {
      this.complete(id, { e: { message: `unknown host operation ${op}` } });
      return;
    }
    Promise.resolve()
      .then(() => handler(this, args))
      .then(
        (value) => {
          if (value instanceof GuestValue) this.completeWithGuestValue(id, value.ref);
          else if (value !== NO_REPLY) this.complete(id, { v: value });
        },
        (error: unknown) => this.complete(id, { e: errorData(error) }),
      );
  }
}

/** A host operation's result that is a reference into the guest heap, handed over as is. */
export class GuestValue {
  readonly ref: ivm.Reference;
  constructor(ref: ivm.Reference) {
    this.ref = ref;
  }
}

/** A host operation's result that is an isolated-vm handle the guest uses itself (a module). */
export class GuestHandle {
  readonly handle: ivm.Module;
  constructor(handle: ivm.Module) {
    this.handle = handle;
  }
}

/** Returned by an asynchronous operation that answers later by itself (or never). */
export const NO_REPLY = Symbol("no reply");

function copyOut(envelope: Envelope): unknown {
  return new ivm.ExternalCopy(envelope).copyInto({ release: true });
}

/** Turns a host error into plain data the guest rebuilds as a Node-style error. */
export function errorData(error: unknown): GuestErrorData {
  if (isKernelError(error)) {
    return {
      message: error.message,
      code: error.code,
      errno: error.errno,
      syscall: error.syscall,
      ...(error.path !== undefined ? { path: error.path } : {}),
      ...(error.dest !== undefined ? { dest: error.dest } : {}),
    };
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const guestStack = (error as { guestStack?: unknown }).guestStack;
    const arrow = (error as { arrow?: unknown }).arrow;
    const url = (error as { url?: unknown }).url;
    return {
      message: error.message,
      name: error.name,
      ...(typeof code === "string" ? { code } : {}),
      ...(typeof guestStack === "string" ? { stack: guestStack } : {}),
      ...(typeof arrow === "string" ? { arrow } : {}),
      ...(typeof url === "string" ? { url } : {}),
    };
  }
  return { message: String(error) };
}
