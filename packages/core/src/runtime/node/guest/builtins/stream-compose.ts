/**
 * stream.compose and readable.compose as Node 24 builds them. readable-stream 4.8 ships Node 18's
 * compose, which forwards the last stream's output on 'readable' (a tick after Node 24, which
 * forwards on 'data', so output interleaves differently), has a broken ERR_MISSING_ARGS message,
 * and wraps readable.compose's result in Readable.from. This one follows Node 24, on top of
 * readable-stream's pipeline, Duplex and end-of-stream.
 */
import { codedError, describeReceived, invalidArgType } from "../errors.ts";
import { loadBuiltin } from "./registry.ts";

type Callback = (error?: Error | null) => void;

interface NodeStreamLike {
  on(event: string, listener: (...args: never[]) => void): unknown;
  write(chunk: unknown, encoding?: unknown): boolean;
  end(): unknown;
  pause(): unknown;
  resume(): unknown;
  destroy(error?: Error): unknown;
  writableObjectMode?: boolean;
  readableObjectMode?: boolean;
}

interface ComposedDuplex {
  push(chunk: unknown): boolean;
  destroy(error?: Error): unknown;
  _write(chunk: unknown, encoding: unknown, callback: Callback): void;
  _final(callback: Callback): void;
  _read(): void;
  _destroy(error: Error | null, callback: Callback): void;
}

interface WebWritable {
  getWriter(): {
    ready: Promise<void>;
    write(chunk: unknown): Promise<void>;
    close(): Promise<void>;
  };
}

interface WebReadable {
  getReader(): { read(): Promise<{ value: unknown; done: boolean }> };
}

/** What compose needs from node:stream (readable-stream's export). */
interface StreamModule {
  Duplex: (new (options: object) => ComposedDuplex) & { from(source: unknown): unknown };
  Readable: { prototype: object };
  pipeline(streams: unknown[], callback: Callback): unknown;
  finished(stream: unknown, callback: Callback): unknown;
  addAbortSignal(signal: AbortSignal, stream: unknown): unknown;
  isReadable(stream: unknown): boolean | null;
  isWritable(stream: unknown): boolean | null;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;

// The shapes readable-stream's own (unexported) checks look for.
function isNodeStream(value: unknown): value is NodeStreamLike {
  if (!isObject(value)) return false;
  return Boolean(
    value._readableState ||
      value._writableState ||
      (typeof value.write === "function" && typeof value.on === "function") ||
      (typeof value.pipe === "function" && typeof value.on === "function"),
  );
}
const isReadableStream = (value: unknown): boolean =>
  isObject(value) &&
  !isNodeStream(value) &&
  typeof value.pipeThrough === "function" &&
  typeof value.getReader === "function" &&
  typeof value.cancel === "function";
const isWritableStream = (value: unknown): boolean =>
  isObject(value) &&
  !isNodeStream(value) &&
  typeof value.getWriter === "function" &&
  typeof value.abort === "function";
const isTransformStream = (value: unknown): boolean =>
  isObject(value) && isObject(value.readable) && isObject(value.writable);
const isWebStream = (value: unknown): boolean =>
  isReadableStream(value) || isWritableStream(value) || isTransformStream(value);

function invalidArgValue(name: string, value: unknown, reason: string): TypeError {
  const { inspect } = loadBuiltin("util") as { inspect(value: unknown): string };
  let shown = inspect(value);
  if (shown.length > 128) shown = `${shown.slice(0, 128)}...`;
  return codedError(
    TypeError,
    "ERR_INVALID_ARG_VALUE",
    `The argument '${name}' ${reason}. Received ${shown}`,
  );
}

function abortError(): Error {
  return Object.assign(new Error("The operation was aborted"), {
    name: "AbortError",
    code: "ABORT_ERR",
  });
}

/** Node 24's compose(...streams) over the given stream module. */
export function makeCompose(stream: StreamModule): (...streams: unknown[]) => unknown {
  const { Duplex, pipeline, finished } = stream;
  const readableSide = (s: unknown) =>
    Boolean(stream.isReadable(s)) || isReadableStream(s) || isTransformStream(s);
  const writableSide = (s: unknown) =>
    Boolean(stream.isWritable(s)) || isWritableStream(s) || isTransformStream(s);

  return function compose(...streams: unknown[]): unknown {
    if (streams.length === 0) {
      throw codedError(TypeError, "ERR_MISSING_ARGS", 'The "streams" argument must be specified');
    }
    if (streams.length === 1) return Duplex.from(streams[0]);
    const given = [...streams];
    if (typeof streams[0] === "function") streams[0] = Duplex.from(streams[0]);
    const last = streams.length - 1;
    if (typeof streams[last] === "function") streams[last] = Duplex.from(streams[last]);
    for (let n = 0; n < streams.length; ++n) {
      if (!isNodeStream(streams[n]) && !isWebStream(streams[n])) continue;
      if (n < last && !readableSide(streams[n]))
        throw invalidArgValue(`streams[${n}]`, given[n], "must be readable");
      if (n > 0 && !writableSide(streams[n]))
        throw invalidArgValue(`streams[${n}]`, given[n], "must be writable");
    }

    let ondrain: Callback | null = null;
    let onfinish: Callback | null = null;
    let onclose: Callback | null = null;
    let d: ComposedDuplex | undefined;

    const onfinished = (error?: Error | null) => {
      const callback = onclose;
      onclose = null;
      if (callback) callback(error);
      else if (error) d?.destroy(error);
      else if (!readable && !writable) d?.destroy();
    };

    const head = streams[0] as NodeStreamLike;
    const tail = pipeline(streams, onfinished) as NodeStreamLike;
    const writable = writableSide(head);
    const readable = readableSide(tail);

    d = new Duplex({
      writableObjectMode: !!head?.writableObjectMode,
      readableObjectMode: !!tail?.readableObjectMode,
      writable,
      readable,
    });
    const composed = d;

    if (writable) {
      if (isNodeStream(head)) {
        composed._write = (chunk, encoding, callback) => {
          if (head.write(chunk, encoding)) callback();
          else ondrain = callback;
        };
        composed._final = (callback) => {
          head.end();
          onfinish = callback;
        };
        head.on("drain", () => {
          if (ondrain) {
            const callback = ondrain;
            ondrain = null;
            callback();
          }
        });
      } else if (isWebStream(head)) {
        const target = (
          isTransformStream(head) ? (head as unknown as { writable: unknown }).writable : head
        ) as WebWritable;
        const writer = target.getWriter();
        composed._write = async (chunk, _encoding, callback) => {
          try {
            await writer.ready;
            writer.write(chunk).catch(() => {});
            callback();
          } catch (error) {
            callback(error as Error);
          }
        };
        composed._final = async (callback) => {
          try {
            await writer.ready;
            writer.close().catch(() => {});
            onfinish = callback;
          } catch (error) {
            callback(error as Error);
          }
        };
      }
      const toRead = isTransformStream(tail)
        ? (tail as unknown as { readable: unknown }).readable
        : tail;
      finished(toRead, () => {
        if (onfinish) {
          const callback = onfinish;
          onfinish = null;
          callback();
        }
      });
    }

    if (readable) {
      if (isNodeStream(tail)) {
        // Node 24 forwards as the data flows, not on 'readable' (a tick later).
        composed._read = () => {
          tail.resume();
        };
        tail.on("data", (chunk: never) => {
          if (!composed.push(chunk)) tail.pause();
        });
        tail.on("end", () => {
          composed.push(null);
        });
      } else if (isWebStream(tail)) {
        const source = (
          isTransformStream(tail) ? (tail as unknown as { readable: unknown }).readable : tail
        ) as WebReadable;
        const reader = source.getReader();
        composed._read = async () => {
          while (true) {
            try {
              const { value, done } = await reader.read();
              if (done) {
                composed.push(null);
                return;
              }
              if (!composed.push(value)) return;
            } catch {
              return;
            }
          }
        };
      }
    }

    composed._destroy = (error, callback) => {
      let reason = error;
      if (!reason && onclose !== null) reason = abortError();
      ondrain = null;
      onfinish = null;
      if (onclose === null) callback(reason);
      else {
        onclose = callback;
        if (isNodeStream(tail)) tail.destroy(reason ?? undefined);
      }
    };
    return composed;
  };
}

/** Replaces readable-stream's stream.compose and Readable.prototype.compose with Node 24's. */
export function installCompose(stream: StreamModule): void {
  const composeStatic = makeCompose(stream);
  Object.defineProperty(stream, "compose", {
    value: composeStatic,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  Object.defineProperty(stream.Readable.prototype, "compose", {
    value: function compose(this: unknown, next: unknown, options?: unknown) {
      if (options != null && (typeof options !== "object" || Array.isArray(options))) {
        throw invalidArgType("options", "of type object", options);
      }
      const signal = (options as { signal?: unknown } | undefined)?.signal;
      if (signal != null && !(signal instanceof AbortSignal)) {
        throw codedError(
          TypeError,
          "ERR_INVALID_ARG_TYPE",
          `The "options.signal" property must be an instance of AbortSignal. Received ${describeReceived(signal)}`,
        );
      }
      const composed = composeStatic(this, next);
      if (signal != null) stream.addAbortSignal(signal, composed);
      return composed;
    },
    writable: true,
    enumerable: false,
    configurable: true,
  });
}
