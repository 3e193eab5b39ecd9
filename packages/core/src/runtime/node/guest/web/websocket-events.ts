/**
 * The events a WebSocket dispatches besides MessageEvent: CloseEvent (a global in Node) and
 * ErrorEvent (what Node's WebSocket fires on failure; not a global there).
 */
import { Event } from "../event-target.ts";

export class CloseEvent extends Event {
  readonly #wasClean: boolean;
  readonly #code: number;
  readonly #reason: string;

  constructor(type: string, init: { wasClean?: boolean; code?: number; reason?: string } = {}) {
    super(type, init as never);
    this.#wasClean = Boolean(init?.wasClean);
    this.#code = Number(init?.code ?? 0);
    this.#reason = String(init?.reason ?? "");
  }

  get wasClean(): boolean {
    return this.#wasClean;
  }

  get code(): number {
    return this.#code;
  }

  get reason(): string {
    return this.#reason;
  }
}

export class ErrorEvent extends Event {
  readonly #message: string;
  readonly #error: unknown;

  constructor(type: string, init: { message?: string; error?: unknown } = {}) {
    super(type, init as never);
    this.#message = String(init?.message ?? "");
    this.#error = init?.error;
  }

  get message(): string {
    return this.#message;
  }

  get error(): unknown {
    return this.#error;
  }

  get filename(): string {
    return "";
  }

  get lineno(): number {
    return 0;
  }

  get colno(): number {
    return 0;
  }
}
