/**
 * The worker side of worker_threads: when the host boots an isolate as a worker thread of its
 * process (runtime/node/worker-thread.ts), this holds what `require("worker_threads")` shows
 * there (threadId, workerData, parentPort) and carries the worker's messages, uncaught error
 * and restrictions (no chdir, no umask changes, as in Node).
 */
import { codedError } from "./errors.ts";
import { Event } from "./event-target.ts";
import { callAsync, callSync, notifyHost } from "./host.ts";
import { drainTicks, guard } from "./loop.ts";
import type { GuestProcessObject } from "./process.ts";
import { decodeMessage, dropMessage, encodeMessage, type ThreadMessage } from "./thread-message.ts";
import { MessageEvent } from "./web/message-event.ts";
import type { NodeEventTarget } from "./web/node-event-target.ts";
import { holdWhileStarted, StartedPort } from "./web/started-port.ts";

/** What the host's boot configuration carries for a worker thread. */
export interface WorkerBoot {
  threadId: number;
  name: string;
  workerData: ThreadMessage;
  resourceLimits: Record<string, number>;
}

interface WorkerSelf {
  boot: WorkerBoot;
  workerData: unknown;
  parentPort: ParentPort;
}

let self: WorkerSelf | undefined;

export function isWorkerThread(): boolean {
  return self !== undefined;
}

/** worker_threads' per-thread fields, as this isolate sees them. */
export function threadState(): {
  isMainThread: boolean;
  threadId: number;
  parentPort: ParentPort | null;
  workerData: unknown;
  resourceLimits: Record<string, number>;
} {
  if (!self) {
    return {
      isMainThread: true,
      threadId: 0,
      parentPort: null,
      workerData: null,
      resourceLimits: {},
    };
  }
  return {
    isMainThread: false,
    threadId: self.boot.threadId,
    parentPort: self.parentPort,
    workerData: self.workerData,
    resourceLimits: self.boot.resourceLimits,
  };
}

/** Called at boot, before the worker's script runs. */
export function enterWorkerMode(boot: WorkerBoot, proc: GuestProcessObject): void {
  self = { boot, workerData: decodeMessage(boot.workerData), parentPort: new ParentPort() };
  const chdir = proc.chdir as (directory: unknown) => void;
  const umask = proc.umask as (mask?: unknown) => number;
  const unsupported = (what: string) =>
    codedError(
      TypeError,
      "ERR_WORKER_UNSUPPORTED_OPERATION",
      `${what} is not supported in workers`,
    );
  Object.assign(proc, {
    chdir: function chdirInWorker(directory: unknown): void {
      void chdir;
      void directory;
      throw unsupported("process.chdir()");
    },
    umask: function umaskInWorker(mask?: unknown): number {
      if (mask !== undefined) throw unsupported("Setting process.umask()");
      return umask();
    },
  });
}

/**
 * The worker's uncaught exception goes to the parent, where it is the Worker's 'error' event
 * (Node sends it after the worker's 'exit' listeners ran, then the worker exits with 1).
 */
export function reportUncaughtToParent(error: unknown): void {
  let message: ThreadMessage | null = null;
  try {
    message = encodeMessage(errorPayload(error, true));
  } catch {
    try {
      message = encodeMessage(errorPayload(error, false));
    } catch {
      message = null;
    }
  }
  callSync("thread.uncaught", message);
}

function errorPayload(error: unknown, withProps: boolean): unknown {
  if (!(error instanceof Error)) return { value: error };
  const props: Record<string, unknown> = {};
  if (withProps) {
    for (const key of Object.keys(error))
      props[key] = (error as unknown as Record<string, unknown>)[key];
  }
  return { value: error, props };
}

/** The parent's side of an error payload (see reportUncaughtToParent). */
export function errorFromPayload(payload: unknown): unknown {
  const { value, props } = payload as { value: unknown; props?: Record<string, unknown> };
  if (props && value && typeof value === "object") Object.assign(value, props);
  return value;
}

/**
 * worker_threads.parentPort: messages to and from the parent. Like a MessagePort it starts
 * when a 'message' listener appears and then keeps the worker alive until closed or unref'ed.
 */
export class ParentPort extends StartedPort {
  #started = false;
  #closed = false;
  #polling = false;
  /** Lets go of the hold the port took when it started. */
  #release: (() => void) | undefined;
  /** The 'message' listeners: when the last one goes, the port stops (and lets go), as Node's. */
  readonly #messageListeners = new Set<unknown>();
  readonly #onceWrappers = new Map<unknown, unknown>();
  /** Messages that arrived while the port was stopped wait for its restart. */
  #held: ThreadMessage[] = [];

  override addEventListener(
    type: string,
    listener: Parameters<NodeEventTarget["addEventListener"]>[1],
    options?: Parameters<NodeEventTarget["addEventListener"]>[2],
  ): void {
    if (type === "message" && listener) {
      const once = typeof options === "object" && options !== null && options.once === true;
      if (once) {
        // The shim drops a once listener by itself; count it out when it has run.
        const inner = listener as (event: unknown) => void;
        const counted = (event: unknown): void => {
          this.#messageListeners.delete(counted);
          this.#onceWrappers.delete(inner);
          try {
            inner.call(this, event);
          } finally {
            if (this.#messageListeners.size === 0) this.#stop();
          }
        };
        this.#messageListeners.add(counted);
        this.#onceWrappers.set(inner, counted);
        super.addEventListener(type, counted as never, options);
        return;
      }
      this.#messageListeners.add(listener);
    }
    super.addEventListener(type, listener, options);
  }

  override removeEventListener(
    type: string,
    listener: Parameters<NodeEventTarget["removeEventListener"]>[1],
    options?: Parameters<NodeEventTarget["removeEventListener"]>[2],
  ): void {
    const registered = (type === "message" && this.#onceWrappers.get(listener)) || listener;
    this.#onceWrappers.delete(listener);
    super.removeEventListener(type, registered as typeof listener, options);
    if (
      type === "message" &&
      this.#messageListeners.delete(registered) &&
      this.#messageListeners.size === 0
    ) {
      this.#stop();
    }
  }

  #stop(): void {
    this.#started = false;
    this.#release?.();
  }

  postMessage(value: unknown, transfer?: unknown): void {
    const message = encodeMessage(value, transfer);
    if (this.#closed) return dropMessage(message);
    notifyHost("thread.postToParent", message);
  }

  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    this.#release = holdWhileStarted(this);
    const held = this.#held.splice(0);
    if (held.length > 0) {
      // Delivered in a later task, as messages always are.
      setImmediate(() => this.#deliverAll(held));
    }
    this.#poll();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#release?.();
    this.dispatchEvent(new Event("close"));
  }

  /** receiveMessageOnPort: one message already queued for this thread, if any. */
  takeMessage(): { message: unknown } | undefined {
    const message = callSync<ThreadMessage | null>("thread.inboxTake");
    return message ? { message: decodeMessage(message) } : undefined;
  }

  /** One long poll at a time; each message is its own task, as Node delivers them. */
  #poll(): void {
    if (this.#polling || this.#closed) return;
    this.#polling = true;
    callAsync<ThreadMessage[]>("thread.inbox", [], (error, messages) => {
      this.#polling = false;
      if (error || this.#closed) return;
      this.#deliverAll(messages ?? []);
      if (this.#started) this.#poll();
    });
  }

  #deliverAll(messages: ThreadMessage[]): void {
    for (let i = 0; i < messages.length; i++) {
      if (this.#closed) return;
      if (!this.#started) {
        this.#held.push(...messages.slice(i));
        return;
      }
      const message = messages[i] as ThreadMessage;
      guard(() => this.#deliver(message));
      drainTicks();
    }
  }

  #deliver(message: ThreadMessage): void {
    let data: unknown;
    try {
      data = decodeMessage(message);
    } catch (error) {
      this.dispatchEvent(new MessageEvent("messageerror", { data: error }));
      return;
    }
    this.dispatchEvent(new MessageEvent("message", { data }));
  }

  get [Symbol.toStringTag](): string {
    return "MessagePort";
  }
}
