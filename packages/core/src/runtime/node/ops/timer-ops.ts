/** Timers and loop turns: the guest's timer queue waits on host timers. */

import { type GuestProcess, NO_REPLY } from "../guest-process.ts";
import type { HostOp } from "../host-ops.ts";

type TimerState = Map<number, { timer: NodeJS.Timeout; resolve: (fired: boolean) => void }>;

function timers(g: GuestProcess): TimerState {
  let state = g.state.get("timers") as TimerState | undefined;
  if (!state) {
    const created: TimerState = new Map();
    state = created;
    g.state.set("timers", created);
    g.cleanups.push(() => {
      for (const entry of created.values()) clearTimeout(entry.timer);
      created.clear();
    });
  }
  return state;
}

export const TIMER_OPS: Record<string, HostOp> = {
  /** Resolves after `ms`; a cancelled timer never answers. */
  "timer.sleep": (g, [id, ms]) => {
    const state = timers(g);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(
        () => {
          state.delete(id as number);
          resolve(true);
        },
        Math.max(1, Math.min(Number(ms) || 1, 2 ** 31 - 1)),
      );
      state.set(id as number, { timer, resolve });
    }).then((fired) => (fired ? true : NO_REPLY));
  },
  "timer.cancel": (g, [id]) => {
    const entry = timers(g).get(id as number);
    if (!entry) return false;
    clearTimeout(entry.timer);
    timers(g).delete(id as number);
    entry.resolve(false);
    return true;
  },
  /** One trip around the host's event loop (what setImmediate waits for). */
  "loop.yield": () => new Promise((resolve) => setImmediate(() => resolve(true))),
  /** The guest found nothing keeping it alive; ask again once its current task is over. */
  "loop.idle": (g) => {
    // After this host turn: an unhandled rejection from the task that reported idleness is
    // handled first (it may end the process with status 1).
    setImmediate(() => g.checkIdle());
    return NO_REPLY;
  },
};
