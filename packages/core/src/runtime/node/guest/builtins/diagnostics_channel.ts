/**
 * node:diagnostics_channel: named channels with synchronous subscribers, store binding via
 * AsyncLocalStorage, and TracingChannel's start/end/asyncStart/asyncEnd/error events, following
 * Node's lib/diagnostics_channel.js.
 */
import { invalidArgType } from "../errors.ts";

type Subscriber = (message: unknown, name: string | symbol) => void;
type Store = { run: <R>(store: unknown, fn: () => R) => R };

class Channel {
  readonly name: string | symbol;
  readonly #subscribers: Subscriber[] = [];
  readonly #stores = new Map<Store, ((message: unknown) => unknown) | undefined>();

  constructor(name: string | symbol) {
    this.name = name;
  }

  get hasSubscribers(): boolean {
    return this.#subscribers.length > 0 || this.#stores.size > 0;
  }

  subscribe(subscription: Subscriber): void {
    if (typeof subscription !== "function") {
      throw invalidArgType("subscription", "of type function", subscription);
    }
    this.#subscribers.push(subscription);
  }

  unsubscribe(subscription: Subscriber): boolean {
    const index = this.#subscribers.indexOf(subscription);
    if (index < 0) return false;
    this.#subscribers.splice(index, 1);
    return true;
  }

  bindStore(store: Store, transform?: (message: unknown) => unknown): void {
    this.#stores.set(store, transform);
  }

  unbindStore(store: Store): boolean {
    return this.#stores.delete(store);
  }

  publish(message: unknown): void {
    for (const subscriber of [...this.#subscribers]) {
      try {
        subscriber(message, this.name);
      } catch (error) {
        // A failing subscriber does not stop the publisher: the error surfaces on its own.
        process.nextTick(() => {
          throw error;
        });
      }
    }
  }

  runStores<R>(
    message: unknown,
    fn: (...args: unknown[]) => R,
    thisArg?: unknown,
    ...args: unknown[]
  ): R {
    let run = () => {
      this.publish(message);
      return fn.apply(thisArg, args);
    };
    for (const [store, transform] of this.#stores) {
      const inner = run;
      const value = transform ? transform(message) : message;
      run = () => store.run(value, inner);
    }
    return run();
  }
}

const channels = new Map<string | symbol, Channel>();

function channel(name: unknown): Channel {
  if (typeof name !== "string" && typeof name !== "symbol") {
    throw invalidArgType("channel", "of type string or symbol", name);
  }
  let existing = channels.get(name);
  if (!existing) {
    existing = new Channel(name);
    channels.set(name, existing);
  }
  return existing;
}

const TRACE_EVENTS = ["start", "end", "asyncStart", "asyncEnd", "error"] as const;
type TraceEvent = (typeof TRACE_EVENTS)[number];
type TraceHandlers = Partial<Record<TraceEvent, Subscriber>>;

class TracingChannel {
  readonly start: Channel;
  readonly end: Channel;
  readonly asyncStart: Channel;
  readonly asyncEnd: Channel;
  readonly error: Channel;

  constructor(nameOrChannels: unknown) {
    if (typeof nameOrChannels === "string") {
      this.start = channel(`tracing:${nameOrChannels}:start`);
      this.end = channel(`tracing:${nameOrChannels}:end`);
      this.asyncStart = channel(`tracing:${nameOrChannels}:asyncStart`);
      this.asyncEnd = channel(`tracing:${nameOrChannels}:asyncEnd`);
      this.error = channel(`tracing:${nameOrChannels}:error`);
    } else if (typeof nameOrChannels === "object" && nameOrChannels !== null) {
      const given = nameOrChannels as Record<TraceEvent, Channel>;
      this.start = given.start;
      this.end = given.end;
      this.asyncStart = given.asyncStart;
      this.asyncEnd = given.asyncEnd;
      this.error = given.error;
    } else {
      throw invalidArgType(
        "nameOrChannels",
        "of type string or an instance of TracingChannel or Object",
        nameOrChannels,
      );
    }
  }

  get hasSubscribers(): boolean {
    return TRACE_EVENTS.some((event) => this[event].hasSubscribers);
  }

  subscribe(handlers: TraceHandlers): void {
    for (const event of TRACE_EVENTS) {
      const handler = handlers[event];
      if (handler) this[event].subscribe(handler);
    }
  }

  unsubscribe(handlers: TraceHandlers): boolean {
    let done = true;
    for (const event of TRACE_EVENTS) {
      const handler = handlers[event];
      if (handler && !this[event].unsubscribe(handler)) done = false;
    }
    return done;
  }

  traceSync<R>(
    fn: (...args: unknown[]) => R,
    context: Record<string, unknown> = {},
    thisArg?: unknown,
    ...args: unknown[]
  ): R {
    if (!this.hasSubscribers) return fn.apply(thisArg, args);
    return this.start.runStores(context, () => {
      try {
        const result = fn.apply(thisArg, args);
        context.result = result;
        return result;
      } catch (error) {
        context.error = error;
        this.error.publish(context);
        throw error;
      } finally {
        this.end.publish(context);
      }
    });
  }

  tracePromise<R>(
    fn: (...args: unknown[]) => Promise<R>,
    context: Record<string, unknown> = {},
    thisArg?: unknown,
    ...args: unknown[]
  ): Promise<R> {
    if (!this.hasSubscribers) return fn.apply(thisArg, args);
    const resolved = (result: R) => {
      context.result = result;
      this.asyncStart.publish(context);
      this.asyncEnd.publish(context);
      return result;
    };
    const rejected = (error: unknown) => {
      context.error = error;
      this.error.publish(context);
      this.asyncStart.publish(context);
      this.asyncEnd.publish(context);
      throw error;
    };
    return this.start.runStores(context, () => {
      try {
        return Promise.resolve(fn.apply(thisArg, args)).then(resolved, rejected);
      } catch (error) {
        context.error = error;
        this.error.publish(context);
        throw error;
      } finally {
        this.end.publish(context);
      }
    });
  }

  traceCallback<R>(
    fn: (...args: unknown[]) => R,
    position = -1,
    context: Record<string, unknown> = {},
    thisArg?: unknown,
    ...args: unknown[]
  ): R {
    if (!this.hasSubscribers) return fn.apply(thisArg, args);
    const index = position < 0 ? args.length + position : position;
    const callback = args[index];
    if (typeof callback !== "function")
      throw invalidArgType("callback", "of type function", callback);
    args[index] = (error: unknown, result: unknown) => {
      if (error) {
        context.error = error;
        this.error.publish(context);
      } else {
        context.result = result;
      }
      return this.asyncStart.runStores(context, () => {
        try {
          return (callback as (...a: unknown[]) => unknown).call(thisArg, error, result);
        } finally {
          this.asyncEnd.publish(context);
        }
      });
    };
    return this.start.runStores(context, () => {
      try {
        return fn.apply(thisArg, args);
      } catch (error) {
        context.error = error;
        this.error.publish(context);
        throw error;
      } finally {
        this.end.publish(context);
      }
    });
  }
}

export function createDiagnosticsChannel(): unknown {
  return {
    channel,
    hasSubscribers: (name: string | symbol) => channels.get(name)?.hasSubscribers ?? false,
    subscribe: (name: string | symbol, subscription: Subscriber) =>
      channel(name).subscribe(subscription),
    unsubscribe: (name: string | symbol, subscription: Subscriber) =>
      channels.get(name)?.unsubscribe(subscription) ?? false,
    tracingChannel: (nameOrChannels: unknown) => new TracingChannel(nameOrChannels),
    Channel,
  };
}
