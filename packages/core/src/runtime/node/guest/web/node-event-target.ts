/**
 * The EventTarget + EventEmitter surface message ports and channels share (Node's
 * NodeEventTarget): `on('message', data => ...)` beside addEventListener, and the `onmessage`
 * handler attribute.
 */
import { Event, EventTarget } from "../event-target.ts";
import { MessageEvent } from "./message-event.ts";

type Listener = (...args: unknown[]) => void;
type EventListener = (event: Event) => void;

export class NodeEventTarget extends EventTarget {
  readonly #wrappers = new Map<Listener, EventListener>();
  #onmessage: ((event: MessageEvent) => void) | null = null;

  /** Called when a listener appears (a port starts on its first 'message' one). */
  protected onListenerAdded(_type: string): void {}

  get onmessage(): ((event: MessageEvent) => void) | null {
    return this.#onmessage;
  }

  /** Like addEventListener('message'), so setting it starts a port too. */
  set onmessage(handler: ((event: MessageEvent) => void) | null) {
    if (this.#onmessage) this.removeEventListener("message", this.#onmessage as never);
    this.#onmessage = typeof handler === "function" ? handler : null;
    if (this.#onmessage) this.addEventListener("message", this.#onmessage as never);
  }

  override addEventListener(
    type: string,
    listener: Parameters<EventTarget["addEventListener"]>[1],
    options?: Parameters<EventTarget["addEventListener"]>[2],
  ): void {
    super.addEventListener(type, listener, options);
    this.onListenerAdded(type);
  }

  on(type: string, listener: Listener): this {
    const wrapper = (event: Event) =>
      listener.call(this, event instanceof MessageEvent ? event.data : event);
    this.#wrappers.set(listener, wrapper);
    this.addEventListener(type, wrapper);
    return this;
  }

  addListener(type: string, listener: Listener): this {
    return this.on(type, listener);
  }

  once(type: string, listener: Listener): this {
    const wrapper = (event: Event) => {
      this.#wrappers.delete(listener);
      listener.call(this, event instanceof MessageEvent ? event.data : event);
    };
    this.#wrappers.set(listener, wrapper);
    this.addEventListener(type, wrapper, { once: true });
    return this;
  }

  off(type: string, listener: Listener): this {
    const wrapper = this.#wrappers.get(listener);
    this.#wrappers.delete(listener);
    this.removeEventListener(type, wrapper ?? (listener as never));
    return this;
  }

  removeListener(type: string, listener: Listener): this {
    return this.off(type, listener);
  }

  emit(type: string, data?: unknown): boolean {
    return this.dispatchEvent(
      type === "message" ? new MessageEvent(type, { data }) : new Event(type),
    );
  }
}
