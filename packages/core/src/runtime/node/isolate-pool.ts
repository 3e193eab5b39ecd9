/**
 * Fresh guest isolates made ahead of time. Deserialising the runtime snapshot and creating a
 * context take most of a `node` start (~10 ms); keeping one ready per heap size moves that off
 * the start path. A spare has never run user code: it is exactly what a cold start would build.
 */
import ivm from "isolated-vm";
import { runtimeImage } from "./runtime-image.ts";

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

const spares = new Map<number, Promise<FreshIsolate>>();

/** A fresh isolate with `memoryMb` of heap: the spare one if ready, else a new one. */
export async function takeIsolate(memoryMb: number): Promise<FreshIsolate> {
  const spare = spares.get(memoryMb);
  spares.delete(memoryMb);
  let fresh: FreshIsolate | undefined;
  if (spare) fresh = await spare.catch(() => undefined);
  if (fresh?.isolate.isDisposed) fresh = undefined;
  return fresh ?? (await makeIsolate(memoryMb));
}

/**
 * Makes the next spare. Called when a guest process ends rather than when it starts, so the
 * ~10 ms of snapshot work does not compete with the program that is starting.
 */
export function refillSpare(memoryMb: number): void {
  if (spares.has(memoryMb)) return;
  const next = makeIsolate(memoryMb);
  next.catch(() => spares.delete(memoryMb));
  spares.set(memoryMb, next);
}

async function makeIsolate(memoryMb: number): Promise<FreshIsolate> {
  const image = await runtimeImage();
  const isolate = new ivm.Isolate({
    memoryLimit: memoryMb,
    ...(image.snapshot ? { snapshot: image.snapshot } : {}),
  });
  const context = await isolate.createContext();
  if (!image.snapshot) await context.eval(image.source, { filename: "node:internal/agentos" });
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
  // Only the references above can reach the bootstrap from now on.
  await context.global.delete("__agentos_entry");
  return { isolate, context, entry };
}
