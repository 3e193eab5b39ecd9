/**
 * node:worker_threads. A Worker is a second isolate of this guest process (same pid, cwd and
 * descriptors), started by the host (runtime/node/worker-thread.ts); messages cross as V8
 * serializer bytes. MessagePorts can be transferred to other threads (thread-port.ts routes
 * them through the host) and SharedArrayBuffers are shared memory between the isolates.
 */
import { EventEmitter } from "events";
import { codedError, invalidArgType, notSupported } from "../errors.ts";
import { callAsync, callSync, notifyHost } from "../host.ts";
import { KeepAlive } from "../keep-alive.ts";
import { drainTicks, guard } from "../loop.ts";
import {
  decodeMessage,
  dropMessage,
  encodeMessage,
  type ThreadMessage,
} from "../thread-message.ts";
import { deliverReady } from "../thread-port.ts";
import { BroadcastChannel } from "../web/broadcast-channel.ts";
import { MessageChannel, MessagePort, portInternals } from "../web/message-port.ts";
import { errorFromPayload, ParentPort, threadState } from "../worker-thread.ts";
import { createPath } from "./path.ts";

const environmentData = new Map<unknown, unknown>();
const untransferable = new WeakSet<object>();
const SHARE_ENV = Symbol.for("nodejs.worker_threads.SHARE_ENV");

type ParentEvent =
  | { type: "online" }
  | ({ type: "message" } & ThreadMessage)
  | { type: "error"; message: ThreadMessage | null }
  | { type: "outOfMemory" }
  | { type: "exit"; code: number };

interface WorkerOptionsIn {
  eval?: unknown;
  workerData?: unknown;
  transferList?: unknown;
  argv?: unknown;
  env?: unknown;
  execArgv?: unknown;
  stdin?: unknown;
  stdout?: unknown;
  stderr?: unknown;
  name?: unknown;
  resourceLimits?: { maxOldGenerationSizeMb?: unknown } & Record<string, unknown>;
}

class Worker extends EventEmitter {
  readonly threadId: number;
  readonly resourceLimits: Record<string, number>;
  readonly stdin = null;
  #exited = false;
  #exitCode: number | undefined;
  /** A running, ref'ed worker keeps its parent alive. */
  readonly #keepAlive = new KeepAlive();
  #running: (() => void) | undefined;
  #exitWaiters: Array<(code: number | undefined) => void> = [];

  constructor(filename: unknown, options: WorkerOptionsIn = {}) {
    super();
    if (options === null || typeof options !== "object")
      throw invalidArgType("options", "of type object", options);
    const entry = workerEntry(filename, options.eval === true);
    for (const stream of ["stdin", "stdout", "stderr"] as const) {
      if (options[stream] === true) {
        throw notSupported(
          `worker_threads.Worker option ${stream}: true (worker output goes to the process's own descriptors)`,
        );
      }
    }
    const proc = process as unknown as { env: Record<string, string>; execArgv: string[] };
    if (options.env === SHARE_ENV) {
      throw notSupported("worker_threads.SHARE_ENV (each worker gets a copy of the environment)");
    }
    if (options.env !== undefined && (options.env === null || typeof options.env !== "object"))
      throw invalidArgType("options.env", "of type object", options.env);
    const env = { ...((options.env as Record<string, string> | undefined) ?? proc.env) };
    if (options.argv !== undefined && !Array.isArray(options.argv))
      throw invalidArgType("options.argv", "an instance of Array", options.argv);
    if (options.execArgv !== undefined && !Array.isArray(options.execArgv))
      throw invalidArgType("options.execArgv", "an instance of Array", options.execArgv);
    const limits = options.resourceLimits ?? {};
    const maxOld = Math.max(Number(limits.maxOldGenerationSizeMb) || 0, 0);
    const workerData = encodeMessage(options.workerData, options.transferList);
    this.threadId = callSync<number>("worker.start", {
      entry,
      argv: ((options.argv as unknown[] | undefined) ?? []).map((arg) => `${arg}`),
      execArgv: ((options.execArgv as unknown[] | undefined) ?? proc.execArgv).map(String),
      env,
      name: typeof options.name === "string" ? options.name : "",
      workerData,
      ...(maxOld > 0 ? { maxOldGenerationSizeMb: maxOld } : {}),
    });
    this.resourceLimits = {
      maxYoungGenerationSizeMb: Number(limits.maxYoungGenerationSizeMb) || 0,
      maxOldGenerationSizeMb: maxOld,
      codeRangeSizeMb: Number(limits.codeRangeSizeMb) || 0,
      stackSizeMb: Number(limits.stackSizeMb) || 4,
    };
    this.#running = this.#keepAlive.begin();
    this.#poll();
  }

  postMessage(value: unknown, transferList?: unknown): void {
    const message = encodeMessage(value, transferList);
    if (this.#exited) return dropMessage(message);
    notifyHost("worker.post", this.threadId, message);
  }

  /** Resolves to the exit code once the worker has exited (1 when this ended it). */
  terminate(): Promise<number | undefined> {
    if (this.#exited) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.#exitWaiters.push(resolve);
      callSync("worker.terminate", this.threadId);
    });
  }

  ref(): void {
    this.#keepAlive.ref();
  }

  unref(): void {
    this.#keepAlive.unref();
  }

  getHeapSnapshot(): Promise<never> {
    return Promise.reject(notSupported("worker.getHeapSnapshot()"));
  }

  get stdout(): null {
    return null;
  }

  get stderr(): null {
    return null;
  }

  /** One long poll at a time for the worker's events; each is its own task. */
  #poll(): void {
    callAsync<ParentEvent[]>("worker.events", [this.threadId], (error, events) => {
      if (error) return;
      for (const event of events ?? []) {
        guard(() => this.#dispatch(event));
        drainTicks();
      }
      if (!this.#exited) this.#poll();
    });
  }

  #dispatch(event: ParentEvent): void {
    switch (event.type) {
      case "online":
        this.emit("online");
        return;
      case "message": {
        let value: unknown;
        try {
          value = decodeMessage(event);
        } catch (error) {
          this.emit("messageerror", error);
          return;
        }
        this.emit("message", value);
        return;
      }
      case "error":
        this.emit("error", workerError(event.message));
        return;
      case "outOfMemory":
        this.emit(
          "error",
          codedError(
            Error,
            "ERR_WORKER_OUT_OF_MEMORY",
            "Worker terminated due to reaching memory limit: JS heap out of memory",
          ),
        );
        return;
      case "exit": {
        deliverReady();
        this.#exited = true;
        this.#exitCode = event.code;
        this.#running?.();
        for (const resolve of this.#exitWaiters.splice(0)) resolve(event.code);
        this.emit("exit", event.code);
        return;
      }
    }
  }

  get [Symbol.toStringTag](): string {
    return "Worker";
  }

  /** The exit code once exited (not in Node's API; kept private-ish for inspection). */
  get _exitCode(): number | undefined {
    return this.#exitCode;
  }
}

function workerError(message: ThreadMessage | null): unknown {
  if (!message) {
    return codedError(
      Error,
      "ERR_WORKER_UNSERIALIZABLE_ERROR",
      "Serializing an uncaught exception failed",
    );
  }
  return errorFromPayload(decodeMessage(message));
}

/** Node's checks of the filename (or code, with eval) and what the host is asked to run. */
function workerEntry(
  filename: unknown,
  isEval: boolean,
): { kind: "file"; path: string } | { kind: "eval"; source: string } {
  if (isEval) {
    if (typeof filename !== "string") throw invalidArgType("filename", "of type string", filename);
    return { kind: "eval", source: filename };
  }
  if (
    filename instanceof URL ||
    (typeof filename === "object" && filename !== null && "href" in filename)
  ) {
    const url = filename as URL;
    if (url.protocol !== "file:") {
      throw codedError(
        TypeError,
        "ERR_WORKER_UNSUPPORTED_PROTOCOL",
        `The worker script or module filename must be an absolute path or a relative path starting with './' or '../'. Received "${url.href}"`,
      );
    }
    return { kind: "file", path: decodeURIComponent(url.pathname) };
  }
  if (typeof filename !== "string")
    throw invalidArgType("filename", "of type string or an instance of URL", filename);
  if (filename.startsWith("file:")) return workerEntry(new URL(filename), false);
  if (filename.startsWith("/")) return { kind: "file", path: filename };
  if (filename.startsWith("./") || filename.startsWith("../")) {
    const path = createPath() as { resolve(...parts: string[]): string };
    return { kind: "file", path: path.resolve(filename) };
  }
  throw codedError(
    TypeError,
    "ERR_WORKER_PATH",
    `The worker script or module filename must be an absolute path or a relative path starting with './' or '../'. Received "${filename}"`,
  );
}

function receiveMessageOnPort(port: unknown): { message: unknown } | undefined {
  if (port instanceof ParentPort) return port.takeMessage();
  if (port instanceof MessagePort) return portInternals.take(port);
  throw codedError(
    TypeError,
    "ERR_INVALID_ARG_TYPE",
    'The "port" argument must be a MessagePort instance',
  );
}

export function createWorkerThreads(): unknown {
  const state = threadState();
  return {
    isMainThread: state.isMainThread,
    threadId: state.threadId,
    parentPort: state.parentPort,
    workerData: state.workerData,
    resourceLimits: state.resourceLimits,
    SHARE_ENV,
    Worker,
    MessageChannel,
    MessagePort,
    BroadcastChannel,
    getEnvironmentData: (key: unknown) => environmentData.get(key),
    setEnvironmentData: (key: unknown, value: unknown) => {
      if (value === undefined) environmentData.delete(key);
      else environmentData.set(key, value);
    },
    markAsUntransferable: (value: object) => untransferable.add(value),
    isMarkedAsUntransferable: (value: object) => untransferable.has(value),
    markAsUncloneable: () => undefined,
    moveMessagePortToContext: () => {
      throw notSupported("worker_threads.moveMessagePortToContext");
    },
    receiveMessageOnPort,
  };
}
