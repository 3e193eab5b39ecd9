/**
 * The hooks Node's own streams code (readable-stream, which node:stream is made of) expects on
 * WHATWG streams: `stream[Symbol.for("nodejs.webstream.isClosedPromise")]`, a promise settled
 * when the stream closes or errors (`finished()` / `eos()` of a web stream waits on it),
 * `stream[Symbol.for("nodejs.webstream.controllerErrorFunction")](error)` (`addAbortSignal`),
 * and the state flags `isReadable()`, `isWritable()`, `isErrored()` and `isDisturbed()` read.
 * Node's web streams have them; web-streams-polyfill does not, so without them
 * `stream.finished(webStream)` throws and `isReadable(webStream)` is null (undici's fetch uses
 * both on every response body, and to abort one).
 *
 * The polyfill keeps each stream's state in `_state` and changes it by plain assignment, so an
 * accessor on the prototype sees every transition, as Node's settle sites do.
 */
const kIsClosedPromise = Symbol.for("nodejs.webstream.isClosedPromise");
const kControllerErrorFunction = Symbol.for("nodejs.webstream.controllerErrorFunction");
const kIsErrored = Symbol.for("nodejs.stream.errored");
const kIsReadable = Symbol.for("nodejs.stream.readable");
const kIsWritable = Symbol.for("nodejs.stream.writable");
const kIsDisturbed = Symbol.for("nodejs.stream.disturbed");

interface ClosedRecord {
  promise: Promise<void>;
  resolve?: () => void;
  reject?: (error: unknown) => void;
}

interface PolyfillStream {
  _state: string;
  _storedError: unknown;
  _disturbed?: boolean;
}

function getters(proto: object, flags: Record<symbol, (stream: PolyfillStream) => boolean>): void {
  for (const key of Object.getOwnPropertySymbols(flags)) {
    const read = flags[key];
    Object.defineProperty(proto, key, {
      configurable: true,
      get(this: PolyfillStream) {
        return read(this);
      },
    });
  }
}

const states = new WeakMap<object, string>();
const records = new WeakMap<object, ClosedRecord>();

function pending(): ClosedRecord {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Nobody may be waiting: a stream that errors must not become an unhandled rejection.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

function settled(error: unknown, failed: boolean): ClosedRecord {
  const promise = failed ? Promise.reject(error) : Promise.resolve();
  promise.catch(() => {});
  return { promise };
}

/**
 * Adds the hooks to a stream class's prototype. `open` are the states in which the stream is
 * neither closed nor errored yet.
 */
function install(
  proto: object,
  open: readonly string[],
  errorController: (stream: Record<string, unknown>) => { error(e: unknown): void } | undefined,
): void {
  Object.defineProperty(proto, "_state", {
    configurable: true,
    get(this: object) {
      return states.get(this);
    },
    set(this: PolyfillStream, value: string) {
      states.set(this, value);
      const record = records.get(this);
      if (!record?.resolve) return;
      if (value === "closed") {
        record.resolve();
        records.set(this, { promise: record.promise });
      } else if (value === "errored") {
        // The polyfill stores the error right after the state (in the same synchronous step).
        const reject = record.reject;
        records.set(this, { promise: record.promise });
        queueMicrotask(() => reject?.(this._storedError));
      }
    },
  });
  Object.defineProperty(proto, kIsClosedPromise, {
    configurable: true,
    get(this: PolyfillStream) {
      let record = records.get(this);
      if (!record) {
        const state = this._state;
        record = open.includes(state) ? pending() : settled(this._storedError, state !== "closed");
        records.set(this, record);
      }
      return record;
    },
  });
  Object.defineProperty(proto, kControllerErrorFunction, {
    configurable: true,
    writable: true,
    value(this: Record<string, unknown>, error: unknown) {
      errorController(this)?.error(error);
    },
  });
}

export function installWebStreamNodeInterop(classes: {
  ReadableStream: { prototype: object };
  WritableStream: { prototype: object };
  ReadableStreamDefaultController: { prototype: object };
}): void {
  install(classes.ReadableStream.prototype, ["readable"], (stream) => {
    // Node wires only default controllers; byte stream controllers keep a no-op.
    const controller = stream._readableStreamController;
    return controller instanceof
      (classes.ReadableStreamDefaultController as unknown as typeof Object)
      ? (controller as { error(e: unknown): void })
      : undefined;
  });
  getters(classes.ReadableStream.prototype, {
    [kIsDisturbed]: (s) => s._disturbed === true,
    [kIsErrored]: (s) => s._state === "errored",
    [kIsReadable]: (s) => s._state === "readable",
  });
  getters(classes.WritableStream.prototype, {
    [kIsErrored]: (s) => s._state === "errored",
    [kIsWritable]: (s) => s._state === "writable",
  });
  install(
    classes.WritableStream.prototype,
    ["writable", "erroring"],
    (stream) => stream._writableStreamController as { error(e: unknown): void },
  );
}
