/**
 * A worker_threads.Worker seen from the host: a second isolate of the same kernel process (same
 * pid, cwd, descriptors), started from the runtime snapshot like any guest isolate and driven by
 * its own GuestProcess. The two threads talk only through the two mailboxes here: the parent
 * long-polls `toParent` (online, messages, the worker's uncaught error, exit), the worker
 * long-polls `toWorker` (messages). Messages are V8-serialized bytes made in the guest.
 *
 * Limits: every worker isolate has its own heap limit; a kill of the process reaches every
 * isolate through the process's abort signal; a parent that ends takes its workers with it;
 * a process has at most MAX_WORKERS_PER_PROCESS workers alive at once.
 */
import type { ProcessContext } from "../../kernel/process-context.ts";
import { type GuestLaunch, GuestProcess, type ThreadRole } from "./guest-process.ts";
import type { HostOp } from "./host-ops.ts";
import { portsOf } from "./port-registry.ts";

/** Live workers per process (nested workers count against the same process). */
export const MAX_WORKERS_PER_PROCESS = 64;

/** isolated-vm refuses smaller heaps. */
const MIN_WORKER_HEAP_MB = 8;

/**
 * A structured-clone message: V8 serializer bytes, the ArrayBuffers it transferred, the
 * SharedArrayBuffers it shares (isolated-vm copies a SharedArrayBuffer as its backing store, so
 * every isolate it reaches sees the same memory) and the MessagePorts travelling in it (ids in
 * port-registry.ts).
 */
export interface ThreadMessage {
  data: Uint8Array;
  buffers: ArrayBuffer[];
  shared: SharedArrayBuffer[];
  ports: number[];
}

/** Checks a message that comes from a guest (the host only keeps and forwards it). */
export function threadMessage(value: unknown): ThreadMessage {
  const m = (value ?? {}) as Partial<Record<keyof ThreadMessage, unknown>>;
  if (!(m.data instanceof Uint8Array)) throw new TypeError("a thread message must be bytes");
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const buffers = list(m.buffers);
  const shared = list(m.shared);
  const ports = list(m.ports);
  if (!buffers.every((b) => b instanceof ArrayBuffer))
    throw new TypeError("a thread message transfers ArrayBuffers only");
  if (!shared.every((b) => b instanceof SharedArrayBuffer))
    throw new TypeError("a thread message shares SharedArrayBuffers only");
  if (!ports.every((id) => Number.isSafeInteger(id)))
    throw new TypeError("a thread message carries port ids only");
  return {
    data: m.data,
    buffers: buffers as ArrayBuffer[],
    shared: shared as SharedArrayBuffer[],
    ports: ports as number[],
  };
}

export type ParentEvent =
  | { type: "online" }
  | ({ type: "message" } & ThreadMessage)
  | { type: "error"; message: ThreadMessage | null }
  | { type: "outOfMemory" }
  | { type: "exit"; code: number };

/** What the guest's Worker constructor asks for (validated in the guest, checked again here). */
export interface WorkerOptions {
  entry: { kind: "file"; path: string } | { kind: "eval"; source: string };
  argv: string[];
  execArgv: string[];
  env: Record<string, string>;
  name: string;
  workerData: ThreadMessage;
  maxOldGenerationSizeMb?: number;
}

/** A queue one side fills and the other drains with a long poll (at most one poll waits). */
export class Mailbox<T> {
  #queue: T[] = [];
  #waiting: ((items: T[]) => void) | undefined;

  push(item: T): void {
    this.#queue.push(item);
    const waiting = this.#waiting;
    if (waiting) {
      this.#waiting = undefined;
      waiting(this.#queue.splice(0));
    }
  }

  /** Everything queued, or a promise of the next batch. */
  wait(): T[] | Promise<T[]> {
    if (this.#queue.length > 0) return this.#queue.splice(0);
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  take(): T | undefined {
    return this.#queue.shift();
  }

  /** Everything still queued (what nobody will read once the reader is gone). */
  drain(): T[] {
    return this.#queue.splice(0);
  }
}

interface ThreadTable {
  nextId: number;
  live: Set<WorkerThread>;
}

/** Per kernel process: thread ids (1, 2, ... as in Node) and the workers alive. */
const tables = new WeakMap<ProcessContext, ThreadTable>();

function tableOf(ctx: ProcessContext): ThreadTable {
  let table = tables.get(ctx);
  if (!table) tables.set(ctx, (table = { nextId: 1, live: new Set() }));
  return table;
}

/** The workers a guest isolate started, by thread id (kept in its op state). */
export function workersOf(g: GuestProcess): Map<number, WorkerThread> {
  let workers = g.state.get("worker_threads") as Map<number, WorkerThread> | undefined;
  if (!workers) {
    workers = new Map();
    g.state.set("worker_threads", workers);
    const owned = workers;
    // A thread that ends takes the workers it started with it (Node ends them with the process).
    g.cleanups.push(() => {
      for (const worker of owned.values()) worker.terminate();
    });
  }
  return workers;
}

/** The worker an isolate belongs to, for the worker-side operations. */
const selfOf = new WeakMap<GuestProcess, WorkerThread>();

export function workerOfIsolate(g: GuestProcess): WorkerThread {
  const self = selfOf.get(g);
  if (!self) throw new Error("not a worker thread");
  return self;
}

export class WorkerThread {
  readonly threadId: number;
  readonly parent: GuestProcess;
  readonly toParent = new Mailbox<ParentEvent>();
  readonly toWorker = new Mailbox<ThreadMessage>();
  #guest: GuestProcess | undefined;
  #terminated = false;
  #ended = false;
  readonly #table: ThreadTable;

  private constructor(parent: GuestProcess, table: ThreadTable) {
    this.parent = parent;
    this.#table = table;
    this.threadId = table.nextId++;
  }

  /** Starts a worker of `parent`'s process; throws when the process has too many. */
  static start(parent: GuestProcess, options: WorkerOptions): WorkerThread {
    const table = tableOf(parent.ctx);
    if (table.live.size >= MAX_WORKERS_PER_PROCESS) {
      portsOf(parent).discard(options.workerData);
      throw Object.assign(
        new Error(
          `a process may run at most ${MAX_WORKERS_PER_PROCESS} worker threads at once in the agentOS VM`,
        ),
        { code: "ERR_AGENTOS_WORKER_LIMIT" },
      );
    }
    const worker = new WorkerThread(parent, table);
    table.live.add(worker);
    workersOf(parent).set(worker.threadId, worker);
    void worker.#run(options);
    return worker;
  }

  /** Ends the worker (its exit code is 1, as for Node's terminate()). */
  terminate(): void {
    this.#terminated = true;
    this.#guest?.finish(1);
  }

  async #run(options: WorkerOptions): Promise<void> {
    let code = 1;
    try {
      const parentLimits = this.parent.limits;
      const wanted = options.maxOldGenerationSizeMb;
      // A worker may ask for less heap than the VM gives a process, never for more.
      const memoryMb =
        wanted !== undefined && wanted > 0
          ? Math.max(MIN_WORKER_HEAP_MB, Math.min(Math.ceil(wanted), parentLimits.memoryMb))
          : parentLimits.memoryMb;
      const guest = await GuestProcess.create(this.parent.ctx, {
        memoryMb,
        cpuTimeMs: parentLimits.cpuTimeMs,
      });
      if (this.#terminated || this.parent.exited || this.parent.ctx.signal.aborted) {
        guest.isolate.dispose();
        portsOf(this.parent).discard(options.workerData);
      } else {
        guest.thread = this.#role(options, memoryMb);
        selfOf.set(guest, this);
        this.#guest = guest;
        const running = guest.run(this.#launch(options));
        this.toParent.push({ type: "online" });
        code = await running;
      }
    } catch {
      code = 1;
    }
    this.#end(code);
  }

  #end(code: number): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#table.live.delete(this);
    // Ports inside messages the worker never read close (their twins see 'close').
    const ports = portsOf(this.parent);
    for (const message of this.toWorker.drain()) ports.discard(message);
    // The parent forgets the worker when it has read this event (worker-ops.ts).
    this.toParent.push({ type: "exit", code });
  }

  #launch(options: WorkerOptions): GuestLaunch {
    const entry = options.entry;
    const scriptName = entry.kind === "file" ? entry.path : "[worker eval]";
    return {
      argv: ["/usr/bin/node", scriptName, ...options.argv],
      execArgv: options.execArgv,
      entry:
        entry.kind === "file"
          ? entry
          : {
              kind: "eval",
              source: entry.source,
              print: false,
              module: false,
              typescript: false,
              name: "[worker eval]",
            },
      detectModule: true,
      requires: [],
      imports: [],
    };
  }

  #role(options: WorkerOptions, memoryMb: number): ThreadRole {
    return {
      boot: {
        env: options.env,
        worker: {
          threadId: this.threadId,
          name: options.name,
          workerData: options.workerData,
          resourceLimits: {
            maxYoungGenerationSizeMb: 0,
            maxOldGenerationSizeMb: memoryMb,
            codeRangeSizeMb: 0,
            stackSizeMb: 4,
          },
        },
      },
      ops: THREAD_OPS,
      outOfMemory: () => this.toParent.push({ type: "outOfMemory" }),
    };
  }
}

/** Operations a worker's isolate answers differently from the process's main isolate. */
const THREAD_OPS: Record<string, HostOp> = {
  // Signals are the main thread's (Node never delivers them to workers).
  "signal.listen": () => false,
  // A worker's process.stdin has no data unless the parent provides some (stdin: true).
  "fd.read": (g, [fd, max]) =>
    fd === 0
      ? new Uint8Array(0)
      : g.ctx.read(fd as number, Math.min(Number(max) || 65536, 1 << 20)),
  "thread.inbox": (g) => workerOfIsolate(g).toWorker.wait(),
  "thread.inboxTake": (g) => workerOfIsolate(g).toWorker.take() ?? null,
  "thread.postToParent": (g, [message]) => {
    workerOfIsolate(g).toParent.push({ type: "message", ...threadMessage(message) });
    return true;
  },
  "thread.uncaught": (g, [message]) => {
    let checked: ThreadMessage | null = null;
    try {
      checked = message ? threadMessage(message) : null;
    } catch {
      checked = null;
    }
    workerOfIsolate(g).toParent.push({ type: "error", message: checked });
    return true;
  },
};
