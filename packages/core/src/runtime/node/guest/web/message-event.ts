/** MessageEvent: the event MessagePort and BroadcastChannel dispatch for each message. */
import { Event } from "../event-target.ts";

export class MessageEvent extends Event {
  readonly #data: unknown;
  readonly #origin: string;
  readonly #lastEventId: string;
  readonly #ports: readonly unknown[];

  constructor(
    type: string,
    init: { data?: unknown; origin?: string; lastEventId?: string; ports?: unknown[] } = {},
  ) {
    super(type, init as never);
    this.#data = init?.data ?? null;
    this.#origin = String(init?.origin ?? "");
    this.#lastEventId = String(init?.lastEventId ?? "");
    this.#ports = Object.freeze([...(init?.ports ?? [])]);
  }

  get data(): unknown {
    return this.#data;
  }

  get origin(): string {
    return this.#origin;
  }

  get lastEventId(): string {
    return this.#lastEventId;
  }

  get source(): null {
    return null;
  }

  get ports(): readonly unknown[] {
    return this.#ports;
  }
}
