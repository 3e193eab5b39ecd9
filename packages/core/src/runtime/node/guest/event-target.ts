/** EventTarget and Event (V8 has neither), from event-target-shim, typed as the DOM's. */
import * as shim from "event-target-shim";

const exports = shim as unknown as {
  Event: typeof globalThis.Event;
  EventTarget: typeof globalThis.EventTarget;
};

export const Event = exports.Event;
export const EventTarget = exports.EventTarget;
