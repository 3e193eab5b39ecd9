/**
 * Writes to the process's descriptors, batched: `console.log` in a loop queues bytes and one
 * host call per task (or per 64 KiB) delivers them in order. Writes to stdout and stderr share
 * the queue, so their interleaving is kept. Anything that talks to the host flushes first.
 */
import { callAsync, callSync } from "./host.ts";
import { hold } from "./loop.ts";

const FLUSH_BYTES = 64 * 1024;
let queue: Array<[number, Uint8Array]> = [];
let queuedBytes = 0;
let waiters: Array<() => void> = [];
let scheduled = false;
let flushing = false;

/** Queues `data` for descriptor `fd`; `done` runs once the kernel has taken it. */
export function writeFd(fd: number, data: Uint8Array, done?: () => void): void {
  if (data.length > 0) {
    queue.push([fd, data]);
    queuedBytes += data.length;
  }
  if (done) waiters.push(done);
  if (queuedBytes >= FLUSH_BYTES) flushOutput();
  else if (!scheduled) {
    scheduled = true;
    queueMicrotask(flushAsync);
  }
}

/** Delivers everything queued before returning (used before host calls and at exit). */
export function flushOutput(): void {
  if (queue.length === 0 || flushing) return;
  const batch = queue;
  const done = waiters;
  queue = [];
  waiters = [];
  queuedBytes = 0;
  flushing = true;
  try {
    callSync("fd.writev", batch);
  } catch {
    // EPIPE and friends: Node would emit an error on the stream; the bytes are gone either way.
  } finally {
    flushing = false;
  }
  for (const waiter of done) waiter();
}

function flushAsync(): void {
  scheduled = false;
  if (queue.length === 0) {
    const done = waiters;
    waiters = [];
    for (const waiter of done) waiter();
    return;
  }
  const batch = queue;
  const done = waiters;
  queue = [];
  waiters = [];
  queuedBytes = 0;
  const release = hold();
  callAsync("fd.writev", [batch], () => {
    release();
    for (const waiter of done) waiter();
  });
}
