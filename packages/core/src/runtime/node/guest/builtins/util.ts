/**
 * node:util. `inspect` and `format` come from node-inspect-extracted (Node's own inspect code,
 * kept in step with Node releases), so console output matches Node's byte for byte.
 */
import { format, formatWithOptions, inspect } from "node-inspect-extracted";
import { codedError } from "../errors.ts";

export function createUtil(): unknown {
  const kCustomPromisify = Symbol.for("nodejs.util.promisify.custom");
  function promisify(original: unknown): unknown {
    if (typeof original !== "function") {
      throw codedError(
        TypeError,
        "ERR_INVALID_ARG_TYPE",
        `The "original" argument must be of type function. Received ${original === undefined ? "undefined" : typeof original}`,
      );
    }
    const custom = (original as unknown as Record<symbol, unknown>)[kCustomPromisify];
    if (typeof custom === "function") return custom;
    function fn(this: unknown, ...args: unknown[]) {
      return new Promise((resolve, reject) => {
        (original as (...a: unknown[]) => void).call(
          this,
          ...args,
          (error: unknown, ...values: unknown[]) => {
            if (error) reject(error);
            else resolve(values.length > 1 ? values : values[0]);
          },
        );
      });
    }
    Object.setPrototypeOf(fn, Object.getPrototypeOf(original));
    Object.defineProperty(fn, kCustomPromisify, {
      value: fn,
      enumerable: false,
      writable: false,
      configurable: true,
    });
    return Object.defineProperties(fn, Object.getOwnPropertyDescriptors(original));
  }
  (promisify as unknown as Record<string, unknown>).custom = kCustomPromisify;
  function callbackify(original: (...args: unknown[]) => Promise<unknown>) {
    return function (this: unknown, ...args: unknown[]) {
      const callback = args.pop() as (error: unknown, value?: unknown) => void;
      original.apply(this, args).then(
        (value) => process.nextTick(callback, null, value),
        (reason) =>
          process.nextTick(
            callback,
            reason ?? new Error("Promise was rejected with a falsy value"),
          ),
      );
    };
  }
  function deprecate<T extends (...args: unknown[]) => unknown>(
    fn: T,
    message: string,
    code?: string,
  ): T {
    let warned = false;
    return function (this: unknown, ...args: unknown[]) {
      if (!warned) {
        warned = true;
        process.emitWarning(message, "DeprecationWarning", code);
      }
      return fn.apply(this, args);
    } as T;
  }
  function inherits(
    ctor: { prototype: object; super_?: unknown },
    superCtor: { prototype: object },
  ) {
    Object.defineProperty(ctor, "super_", { value: superCtor, writable: true, configurable: true });
    Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
  }
  const debuglog = (section: string) => {
    const enabled = new RegExp(
      `^(${(process.env.NODE_DEBUG ?? "")
        .replace(/[|\\{}()[\]^$+?.]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/,/g, "$|^")})$`,
      "i",
    ).test(section);
    const log = (...args: unknown[]) => {
      if (enabled)
        process.stderr.write(`${section.toUpperCase()} ${process.pid}: ${format(...args)}\n`);
    };
    (log as unknown as { enabled: boolean }).enabled = enabled;
    return log;
  };
  return {
    format,
    formatWithOptions,
    inspect,
    promisify,
    callbackify,
    deprecate,
    inherits,
    debuglog,
    debug: debuglog,
    isDeepStrictEqual: (a: unknown, b: unknown) =>
      inspect(a, { depth: Infinity, showHidden: true, sorted: true }) ===
      inspect(b, { depth: Infinity, showHidden: true, sorted: true }),
    types: {},
    TextEncoder: globalThis.TextEncoder,
    TextDecoder: globalThis.TextDecoder,
    isArray: Array.isArray,
  };
}
