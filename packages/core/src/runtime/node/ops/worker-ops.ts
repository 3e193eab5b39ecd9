/** worker_threads from the side of the thread that starts workers (see worker-thread.ts). */
import type { HostOp } from "../host-ops.ts";
import { portsOf } from "../port-registry.ts";
import { threadMessage, type WorkerOptions, WorkerThread, workersOf } from "../worker-thread.ts";
import { PORT_OPS } from "./port-ops.ts";

function workerOf(g: Parameters<HostOp>[0], threadId: unknown): WorkerThread | undefined {
  return workersOf(g).get(Number(threadId));
}

export const WORKER_OPS: Record<string, HostOp> = {
  /** Starts a worker; answers its thread id at once (it comes 'online' later). */
  "worker.start": (g, [options]) => WorkerThread.start(g, checkOptions(options)).threadId,
  /** The next events of a worker (online, message, error, exit); waits for one. */
  "worker.events": async (g, [threadId]) => {
    const worker = workerOf(g, threadId);
    if (!worker) throw new Error(`no worker thread ${String(threadId)}`);
    const events = await worker.toParent.wait();
    if (events.some((event) => event.type === "exit")) workersOf(g).delete(worker.threadId);
    return events;
  },
  "worker.post": (g, [threadId, message]) => {
    const checked = threadMessage(message);
    const worker = workerOf(g, threadId);
    if (worker) worker.toWorker.push(checked);
    else portsOf(g).discard(checked);
    return true;
  },
  "worker.terminate": (g, [threadId]) => {
    workerOf(g, threadId)?.terminate();
    return true;
  },
  ...PORT_OPS,
};

/** The guest validated the options already; this keeps malformed ones off the host. */
function checkOptions(value: unknown): WorkerOptions {
  const o = value as Record<string, unknown>;
  const entry = o.entry as { kind?: unknown; path?: unknown; source?: unknown };
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map((item) => String(item)) : []);
  const env: Record<string, string> = {};
  for (const [key, item] of Object.entries((o.env ?? {}) as Record<string, unknown>)) {
    env[key] = String(item);
  }
  const max = Number(o.maxOldGenerationSizeMb);
  return {
    entry:
      entry?.kind === "eval"
        ? { kind: "eval", source: String(entry.source) }
        : { kind: "file", path: String(entry?.path) },
    argv: strings(o.argv),
    execArgv: strings(o.execArgv),
    env,
    name: typeof o.name === "string" ? o.name : "",
    workerData: threadMessage(o.workerData),
    ...(Number.isFinite(max) && max > 0 ? { maxOldGenerationSizeMb: max } : {}),
  };
}
