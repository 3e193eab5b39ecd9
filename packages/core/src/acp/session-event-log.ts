/**
 * A session's transcript: every event numbered in arrival order and kept, so a subscriber that
 * comes late can replay from a sequence number and `getSessionEvents` returns the same record
 * whatever the agent.
 */
import type { JsonRpcNotification, SessionEvent, SessionEventHandler } from "./session-types.ts";

/** Oldest events are dropped beyond this many (a long session must not grow without bound). */
const MAX_EVENTS = 100_000;

export class SessionEventLog {
  readonly #sessionId: string;
  readonly #events: SessionEvent[] = [];
  readonly #handlers = new Set<SessionEventHandler>();
  #sequence = 0;

  constructor(sessionId: string) {
    this.#sessionId = sessionId;
  }

  get lastSequence(): number {
    return this.#sequence;
  }

  append(event: JsonRpcNotification): SessionEvent {
    const entry: SessionEvent = {
      sessionId: this.#sessionId,
      sequence: ++this.#sequence,
      time: Date.now(),
      event,
    };
    this.#events.push(entry);
    if (this.#events.length > MAX_EVENTS) this.#events.shift();
    for (const handler of [...this.#handlers]) deliver(handler, entry);
    return entry;
  }

  /** Events with a sequence number above `since` (all of them by default). */
  since(since = 0): SessionEvent[] {
    return this.#events.filter((e) => e.sequence > since);
  }

  /** Subscribes; with `since`, the stored events after it are delivered first, in order. */
  subscribe(handler: SessionEventHandler, since?: number): () => void {
    if (since !== undefined) for (const entry of this.since(since)) deliver(handler, entry);
    this.#handlers.add(handler);
    return () => {
      this.#handlers.delete(handler);
    };
  }
}

/** A throwing subscriber must not stop the others or the session: it becomes a warning. */
function deliver(handler: SessionEventHandler, entry: SessionEvent): void {
  try {
    handler(entry);
  } catch (err) {
    process.emitWarning(`onSessionEvent handler threw: ${(err as Error)?.message ?? err}`);
  }
}
