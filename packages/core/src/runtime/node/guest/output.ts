/**
 * Writes to the process's descriptors, batched: `console.log` in a loop queues bytes and one
 * host call per task (or per 64 KiB) delivers them in order. Writes to stdout and stderr share
 * the queue, so their interleaving is kept. Anything that talks to the host flushes first.
 *
 * A write the kernel refuses reaches the stream of its descriptor as Node's "write EPIPE"
 * (see onWriteError). Node writes to pipes synchronously, so it learns of a reader that went
 * away in the write() that follows: the error carries the stack of the batch's first write,
 * unless one write was too large for that (Node's fails midway, from libuv, with no stack).
 * A pipe without readers stays so: later writes to it fail at once, as each of Node's does.
 */
import { callAsync, callSync } from "./host.ts";
import { hold } from "./loop.ts";

const FLUSH_BYTES = 64 * 1024;

/** What the host's fd.writev reports: each descriptor whose write failed, and why. */
type Failures = Array<[fd: number, error: { code?: string; errno?: number }]>;
type Waiter = [fd: number, done: (error?: Error) => void];

let queue: Array<[number, Uint8Array]> = [];
let queuedBytes = 0;
let waiters: Waiter[] = [];
/** The largest write and the stack of the first one, per descriptor of the current batch. */
let batchFds = new Map<number, BatchFd>();
let scheduled = false;
let flushing = false;

/** Descriptors that refused with EPIPE: no reader will ever come back to them. */
const broken = new Map<number, { code?: string; errno?: number }>();
const errorSinks = new Map<number, (error: Error) => void>();

/** `sink` receives the errors of writes to `fd` (its stream destroys itself with them). */
export function onWriteError(fd: number, sink: (error: Error) => void): void {
  errorSinks.set(fd, sink);
}

/**
 * Queues `data` for descriptor `fd`; `done` runs once the kernel has taken it (or refused).
 * False when the descriptor refuses at once (a pipe whose reader is gone).
 */
export function writeFd(fd: number, data: Uint8Array, done?: (error?: Error) => void): boolean {
  const refused = broken.get(fd);
  if (refused) {
    const error = writeError(refused, captureSite());
    errorSinks.get(fd)?.(error);
    done?.(error);
    return false;
  }
  if (data.length > 0) {
    queue.push([fd, data]);
    queuedBytes += data.length;
    const seen = batchFds.get(fd);
    if (seen) seen.largest = Math.max(seen.largest, data.length);
    else batchFds.set(fd, { largest: data.length, site: captureSite() });
  }
  if (done) waiters.push([fd, done]);
  if (queuedBytes >= FLUSH_BYTES) flushOutput();
  else if (!scheduled) {
    scheduled = true;
    queueMicrotask(flushAsync);
  }
  return true;
}

/** Delivers everything queued before returning (used before host calls and at exit). */
export function flushOutput(): void {
  if (queue.length === 0 || flushing) return;
  const batch = takeBatch();
  flushing = true;
  let failures: Failures;
  try {
    failures = callSync<Failures>("fd.writev", batch.writes);
  } catch {
    failures = [];
  } finally {
    flushing = false;
  }
  settle(batch, failures);
}

function flushAsync(): void {
  scheduled = false;
  const batch = takeBatch();
  if (batch.writes.length === 0) {
    settle(batch, []);
    return;
  }
  const release = hold();
  callAsync<Failures>("fd.writev", [batch.writes], (_error, failures) => {
    release();
    settle(batch, failures ?? []);
  });
}

interface BatchFd {
  largest: number;
  site: { stack?: string };
}

interface Batch {
  writes: Array<[number, Uint8Array]>;
  waiters: Waiter[];
  fds: Map<number, BatchFd>;
}

function takeBatch(): Batch {
  const batch = { writes: queue, waiters, fds: batchFds };
  queue = [];
  waiters = [];
  batchFds = new Map();
  queuedBytes = 0;
  return batch;
}

function settle(batch: Batch, failures: Failures): void {
  const errors = new Map<number, Error>();
  for (const [fd, refusal] of failures) {
    const seen = batch.fds.get(fd);
    const site = seen && seen.largest < FLUSH_BYTES ? seen.site : undefined;
    const error = writeError(refusal, site);
    errors.set(fd, error);
    if (refusal.code === "EPIPE") broken.set(fd, refusal);
    errorSinks.get(fd)?.(error);
  }
  for (const [fd, done] of batch.waiters) done(errors.get(fd));
}

/** The stack of the write being made, without this module's frames. */
function captureSite(): { stack?: string } {
  const site: { stack?: string } = {};
  Error.captureStackTrace(site, writeFd);
  return site;
}

/** libuv's spelling of a failed write ("write EPIPE"), with the stack of the write if known. */
function writeError(refusal: { code?: string; errno?: number }, site?: { stack?: string }): Error {
  const code = refusal.code ?? "EIO";
  const error = new Error(`write ${code}`) as Error & Record<string, unknown>;
  error.errno = refusal.errno;
  error.code = code;
  error.syscall = "write";
  const frames = site?.stack?.indexOf("\n") ?? -1;
  error.stack = `Error: write ${code}${frames >= 0 ? (site?.stack ?? "").slice(frames) : ""}`;
  return error;
}
