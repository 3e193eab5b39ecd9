/**
 * node:worker_threads for a process that is always the main thread: the in-process message
 * classes work; starting a Worker is not supported (a guest process has one isolate).
 */
import { notSupported } from "../errors.ts";
import { BroadcastChannel } from "../web/broadcast-channel.ts";
import { MessageChannel, MessagePort } from "../web/message-port.ts";

const environmentData = new Map<unknown, unknown>();
const untransferable = new WeakSet<object>();

class Worker {
  constructor() {
    throw notSupported("worker_threads.Worker (a guest process runs a single thread)");
  }
}

export function createWorkerThreads(): unknown {
  return {
    isMainThread: true,
    threadId: 0,
    parentPort: null,
    workerData: null,
    resourceLimits: {},
    SHARE_ENV: Symbol.for("nodejs.worker_threads.SHARE_ENV"),
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
    receiveMessageOnPort: () => {
      throw notSupported("worker_threads.receiveMessageOnPort");
    },
  };
}
