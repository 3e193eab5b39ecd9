/** node:events, from the `events` package, with the static helpers Node 24 adds. */
import * as eventsPackage from "events";

export function createEvents(): unknown {
  const EventEmitter = (eventsPackage as unknown as { EventEmitter: Record<string, unknown> })
    .EventEmitter;
  const events = EventEmitter as Record<string, unknown>;
  events.EventEmitter = EventEmitter;
  events.default = EventEmitter;
  events.getMaxListeners ??= (emitter: { getMaxListeners?: () => number }) =>
    emitter.getMaxListeners?.() ?? 10;
  events.setMaxListeners ??= (
    n: number,
    ...targets: Array<{ setMaxListeners?: (n: number) => void }>
  ) => {
    if (targets.length === 0) events.defaultMaxListeners = n;
    for (const target of targets) target.setMaxListeners?.(n);
  };
  events.addAbortListener ??= (signal: AbortSignal, listener: () => void) => {
    signal.addEventListener("abort", listener, { once: true });
    return { [Symbol.dispose]: () => signal.removeEventListener("abort", listener) };
  };
  events.errorMonitor ??= Symbol("events.errorMonitor");
  events.captureRejectionSymbol ??= Symbol.for("nodejs.rejection");
  return events;
}
