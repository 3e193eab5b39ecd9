/**
 * Guest isolates made ahead of time. Deserialising the runtime snapshot into a new isolate and
 * creating a context take most of a `node` start (~10 ms); keeping one ready per heap size moves
 * that off the start path. A spare has never run user code: it is exactly what a cold start
 * would build.
 *
 * The isolate of a process that ended cleanly is also kept, for the next process of the same
 * VM only: a new context from the snapshot in an existing isolate costs about a third of a new
 * isolate, which is what back-to-back commands (`node -e` in a loop) pay. Nothing of the old
 * context is reachable from the new one; isolate-wide state (heap, code cache) stays inside one
 * VM, whose processes already share a filesystem.
 */
import { requireGuestV8Addon } from "@agentos/guest-v8";
import ivm from "isolated-vm";
import { RUNTIME_FILENAME, runtimeImage } from "./runtime-image.ts";

/**
 * A startup snapshot other than the plain runtime's: an agent image (the runtime plus an agent
 * SDK, see agent-image.ts). Isolates made from it are pooled apart, under its id.
 */
export interface SnapshotImage {
  id: string;
  snapshot: ivm.ExternalCopy<ArrayBuffer>;
}

/** Pool key: heap size and image (isolates of different snapshots never stand in for each other). */
function poolKey(memoryMb: number, image: SnapshotImage | undefined): string {
  return image ? `${memoryMb}:${image.id}` : `${memoryMb}`;
}

/** The guest functions the host calls, taken out of the fresh context. */
export interface GuestEntry {
  boot: ivm.Reference;
  complete: ivm.Reference;
  completeValue: ivm.Reference;
  idleCheck: ivm.Reference;
  fatal: ivm.Reference;
  signal: ivm.Reference;
}

export interface FreshIsolate {
  isolate: ivm.Isolate;
  context: ivm.Context;
  entry: GuestEntry;
}

/** Our native module of the V8 calls isolated-vm lacks (packages/guest-v8), loaded once. */
let guestV8: ivm.NativeModule | undefined;
function guestV8Module(): ivm.NativeModule {
  guestV8 ??= new ivm.NativeModule(requireGuestV8Addon());
  return guestV8;
}

const spares = new Map<string, Promise<FreshIsolate>>();

/** How long a recycled isolate waits for the next process of its VM before it is disposed. */
const RECYCLED_IDLE_MS = 2_000;

interface Recycled {
  isolate: ivm.Isolate;
  timer: NodeJS.Timeout;
}

/** Per VM (keyed by its kernel), heap size and image: one isolate left by a process that ended cleanly. */
const recycled = new WeakMap<object, Map<string, Recycled>>();

/**
 * A fresh context with `memoryMb` of heap for a process of VM `owner`: in that VM's recycled
 * isolate if there is one, else the spare isolate, else a new one.
 */
export async function takeIsolate(
  memoryMb: number,
  owner: object,
  image?: SnapshotImage,
): Promise<FreshIsolate> {
  const key = poolKey(memoryMb, image);
  const byKey = recycled.get(owner);
  const kept = byKey?.get(key);
  if (kept) {
    byKey?.delete(key);
    clearTimeout(kept.timer);
    if (!kept.isolate.isDisposed) {
      try {
        return await makeContext(kept.isolate, image);
      } catch {
        if (!kept.isolate.isDisposed) kept.isolate.dispose();
      }
    }
  }
  const spare = spares.get(key);
  spares.delete(key);
  let fresh: FreshIsolate | undefined;
  if (spare) fresh = await spare.catch(() => undefined);
  if (fresh?.isolate.isDisposed) fresh = undefined;
  return fresh ?? (await makeIsolate(memoryMb, image));
}

/**
 * Makes the next spare. Called when a guest process ends rather than when it starts, so the
 * ~10 ms of snapshot work does not compete with the program that is starting.
 */
export function refillSpare(memoryMb: number, image?: SnapshotImage): void {
  const key = poolKey(memoryMb, image);
  if (spares.has(key)) return;
  const next = makeIsolate(memoryMb, image);
  next.catch(() => spares.delete(key));
  spares.set(key, next);
}

/**
 * Keeps the isolate of a process of VM `owner` that ended cleanly (its context already
 * released) for that VM's next process; an isolate already kept is disposed instead.
 */
export function recycleIsolate(
  owner: object,
  memoryMb: number,
  isolate: ivm.Isolate,
  image?: SnapshotImage,
): void {
  const key = poolKey(memoryMb, image);
  let byKey = recycled.get(owner);
  if (!byKey) recycled.set(owner, (byKey = new Map()));
  const previous = byKey.get(key);
  if (previous) {
    clearTimeout(previous.timer);
    if (!previous.isolate.isDisposed) previous.isolate.dispose();
  }
  const timer = setTimeout(() => {
    if (byKey.get(key)?.isolate === isolate) byKey.delete(key);
    if (!isolate.isDisposed) isolate.dispose();
  }, RECYCLED_IDLE_MS);
  timer.unref();
  byKey.set(key, { isolate, timer });
}

async function makeIsolate(memoryMb: number, agent?: SnapshotImage): Promise<FreshIsolate> {
  const snapshot = agent?.snapshot ?? (await runtimeImage()).snapshot;
  const isolate = new ivm.Isolate({
    memoryLimit: memoryMb,
    ...(snapshot ? { snapshot } : {}),
  });
  return makeContext(isolate, agent);
}

/** A new context from the runtime snapshot in `isolate`, with the guest's entry points. */
async function makeContext(isolate: ivm.Isolate, agent?: SnapshotImage): Promise<FreshIsolate> {
  const context = await isolate.createContext();
  if (!agent) {
    const image = await runtimeImage();
    if (!image.snapshot) await context.eval(image.source, { filename: RUNTIME_FILENAME });
  }
  const entryRef = (await context.global.get("__agentos_entry", {
    reference: true,
  })) as ivm.Reference;
  const get = async (name: string) =>
    (await entryRef.get(name, { reference: true })) as ivm.Reference;
  const entry: GuestEntry = {
    boot: await get("boot"),
    complete: await get("complete"),
    completeValue: await get("completeValue"),
    idleCheck: await get("idleCheck"),
    fatal: await get("fatal"),
    signal: await get("signal"),
  };
  const attach = await get("attachV8");
  const native = await guestV8Module().create(context);
  await attach.apply(undefined, [native.derefInto()]);
  attach.release();
  native.release();
  entryRef.release();
  // Only the references above can reach the bootstrap from now on.
  await context.global.delete("__agentos_entry");
  return { isolate, context, entry };
}
