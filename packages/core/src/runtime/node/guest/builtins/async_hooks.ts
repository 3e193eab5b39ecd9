/**
 * node:async_hooks: AsyncLocalStorage and AsyncResource over the guest's async context frames
 * (see ../async-context.ts for how they propagate). Async ids are counted per resource;
 * createHook returns a hook whose enable/disable do nothing, because the runtime has no
 * per-resource lifecycle events to report (init/before/after/destroy are never called).
 */
import { currentFrame, enterFrame, type Frame, runInFrame } from "../async-context.ts";
import { codedError, invalidArgType } from "../errors.ts";

let nextAsyncId = 2;
let executionId = 1;
let triggerId = 0;

function withStore(frame: Frame, storage: object, store: unknown): Frame {
  const next = new Map(frame);
  next.set(storage, store);
  return next;
}

function withoutStore(frame: Frame, storage: object): Frame {
  if (!frame.has(storage)) return frame;
  const next = new Map(frame);
  next.delete(storage);
  return next;
}

class AsyncLocalStorage<T> {
  static bind<F extends (...args: never[]) => unknown>(fn: F): F {
    if (typeof fn !== "function") throw invalidArgType("fn", "of type function", fn);
    return AsyncResource.bind(fn);
  }

  static snapshot(): <R>(fn: (...args: unknown[]) => R, ...args: unknown[]) => R {
    const frame = currentFrame();
    return (fn, ...args) => runInFrame(frame, () => fn(...args));
  }

  getStore(): T | undefined {
    return currentFrame().get(this) as T | undefined;
  }

  run<R>(store: T, callback: (...args: unknown[]) => R, ...args: unknown[]): R {
    return runInFrame(withStore(currentFrame(), this, store), () => callback(...args));
  }

  exit<R>(callback: (...args: unknown[]) => R, ...args: unknown[]): R {
    return runInFrame(withoutStore(currentFrame(), this), () => callback(...args));
  }

  enterWith(store: T): void {
    enterFrame(withStore(currentFrame(), this, store));
  }

  disable(): void {
    enterFrame(withoutStore(currentFrame(), this));
  }

  get name(): string {
    return "";
  }
}

let asyncResourceWarned = false;

function warnAsyncResourceProperty(): void {
  if (asyncResourceWarned) return;
  asyncResourceWarned = true;
  process.emitWarning(
    "The asyncResource property on bound functions is deprecated",
    "DeprecationWarning",
    "DEP0172",
  );
}

class AsyncResource {
  readonly #frame: Frame;
  readonly #asyncId: number;
  readonly #triggerAsyncId: number;

  constructor(type: unknown, options: number | { triggerAsyncId?: number } = {}) {
    if (typeof type !== "string") throw invalidArgType("type", "of type string", type);
    if (type.length === 0) {
      throw codedError(TypeError, "ERR_ASYNC_TYPE", `Invalid name for async "type": ${type}`);
    }
    this.#frame = currentFrame();
    this.#asyncId = nextAsyncId++;
    const trigger = typeof options === "number" ? options : options?.triggerAsyncId;
    this.#triggerAsyncId = trigger ?? executionId;
  }

  static bind<F extends (...args: never[]) => unknown>(fn: F, type?: string, thisArg?: unknown): F {
    return new AsyncResource(type || fn.name || "bound-anonymous-fn").bind(fn, thisArg);
  }

  runInAsyncScope<R>(fn: (...args: unknown[]) => R, thisArg?: unknown, ...args: unknown[]): R {
    const [savedExecution, savedTrigger] = [executionId, triggerId];
    executionId = this.#asyncId;
    triggerId = this.#triggerAsyncId;
    try {
      return runInFrame(this.#frame, () => fn.apply(thisArg, args));
    } finally {
      executionId = savedExecution;
      triggerId = savedTrigger;
    }
  }

  bind<F extends (...args: never[]) => unknown>(fn: F, thisArg?: unknown): F {
    if (typeof fn !== "function") throw invalidArgType("fn", "of type function", fn);
    const resource = this;
    const bound = function (this: unknown, ...args: unknown[]) {
      return resource.runInAsyncScope(
        fn as unknown as (...a: unknown[]) => unknown,
        thisArg === undefined ? this : thisArg,
        ...args,
      );
    };
    Object.defineProperties(bound, {
      length: { value: fn.length, configurable: true },
      asyncResource: {
        get: () => {
          warnAsyncResourceProperty();
          return resource;
        },
        configurable: true,
        enumerable: true,
      },
    });
    return bound as unknown as F;
  }

  emitDestroy(): this {
    return this;
  }

  asyncId(): number {
    return this.#asyncId;
  }

  triggerAsyncId(): number {
    return this.#triggerAsyncId;
  }
}

export function createAsyncHooks(): unknown {
  return {
    AsyncLocalStorage,
    AsyncResource,
    executionAsyncId: () => executionId,
    triggerAsyncId: () => triggerId,
    executionAsyncResource: () => ({}),
    createHook: (callbacks: unknown) => {
      if (typeof callbacks !== "object" || callbacks === null) {
        throw invalidArgType("callbacks", "of type object", callbacks);
      }
      // No lifecycle events exist to report, so enabling changes nothing (documented above).
      const hook = { enable: () => hook, disable: () => hook };
      return hook;
    },
    asyncWrapProviders: Object.freeze({ __proto__: null }),
  };
}
