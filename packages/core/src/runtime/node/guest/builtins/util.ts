/**
 * node:util. `inspect` and `format` come from node-inspect-extracted (Node's own inspect code,
 * kept in step with Node releases), so console output matches Node's byte for byte. The rest
 * follows Node 24: promisify/callbackify/deprecate, util.types, isDeepStrictEqual (the assert
 * algorithm), parseArgs (@pkgjs/parseargs, Node's implementation, plus `allowNegative`),
 * styleText, the errno map and MIMEType.
 */
import * as inspectPackage from "node-inspect-extracted";
import {
  format,
  formatWithOptions,
  inspect,
  stripVTControlCharacters,
} from "node-inspect-extracted";
import { codedError, describeReceived, invalidArgType } from "../errors.ts";
import { isDeepStrictEqual } from "./comparisons.ts";
import { MIMEParams, MIMEType } from "./mime.ts";
import { parseArgs } from "./parse-args.ts";
import { SYSTEM_ERRORS } from "./system-constants.ts";
import { createUtilTypes } from "./util-types.ts";

const kCustomPromisify = Symbol.for("nodejs.util.promisify.custom");
const kCustomPromisifyArgs = Symbol.for("nodejs.util.promisify.customArgs");

const inspectDefaultOptions = (inspectPackage as unknown as { inspectDefaultOptions: object })
  .inspectDefaultOptions;

// util.inspect.defaultOptions, as in Node: reading gives the live object, setting merges.
if (!Object.getOwnPropertyDescriptor(inspect, "defaultOptions")) {
  Object.defineProperty(inspect, "defaultOptions", {
    get: () => inspectDefaultOptions,
    set: (options: object) => {
      if (options === null || typeof options !== "object")
        throw invalidArgType("options", "of type object", options);
      Object.assign(inspectDefaultOptions, options);
    },
  });
}

function promisify(original: unknown): unknown {
  if (typeof original !== "function")
    throw invalidArgType("original", "of type function", original);
  const custom = (original as unknown as Record<symbol, unknown>)[kCustomPromisify];
  if (custom !== undefined) {
    if (typeof custom !== "function")
      throw invalidArgType("util.promisify.custom", "of type function", custom);
    Object.defineProperty(custom, kCustomPromisify, {
      value: custom,
      enumerable: false,
      writable: false,
      configurable: true,
    });
    return custom;
  }
  const argumentNames = (original as unknown as Record<symbol, string[] | undefined>)[
    kCustomPromisifyArgs
  ];
  function fn(this: unknown, ...args: unknown[]) {
    return new Promise((resolve, reject) => {
      Reflect.apply(original as (...a: unknown[]) => void, this, [
        ...args,
        (error: unknown, ...values: unknown[]) => {
          if (error) return reject(error);
          if (argumentNames !== undefined && values.length > 1) {
            const result: Record<string, unknown> = {};
            for (let i = 0; i < argumentNames.length; i++) result[argumentNames[i]] = values[i];
            resolve(result);
          } else resolve(values[0]);
        },
      ]);
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

function callbackify(original: unknown): unknown {
  if (typeof original !== "function")
    throw invalidArgType("original", "of type function", original);
  function callbackified(this: unknown, ...args: unknown[]) {
    const callback = args.pop();
    if (typeof callback !== "function")
      throw invalidArgType("last argument", "of type function", callback);
    const onRejected = (reason: unknown) => {
      let error = reason;
      if (!reason) {
        error = codedError(
          Error,
          "ERR_FALSY_VALUE_REJECTION",
          "Promise was rejected with falsy value",
        );
        (error as { reason?: unknown }).reason = reason;
      }
      process.nextTick(callback as (...a: unknown[]) => void, error);
    };
    Reflect.apply(original as (...a: unknown[]) => Promise<unknown>, this, args).then(
      (value: unknown) => process.nextTick(callback as (...a: unknown[]) => void, null, value),
      onRejected,
    );
  }
  const descriptors = Object.getOwnPropertyDescriptors(original);
  if (typeof descriptors.length.value === "number") descriptors.length.value++;
  if (typeof descriptors.name.value === "string") descriptors.name.value += "Callbackified";
  Object.setPrototypeOf(callbackified, Object.getPrototypeOf(original));
  Object.defineProperties(callbackified, descriptors);
  return callbackified;
}

/** Codes already warned about: a code warns once however many functions carry it. */
const warnedCodes = new Set<string>();

function deprecate<T extends (...args: unknown[]) => unknown>(
  fn: T,
  message: string,
  code?: string,
): T {
  if (typeof fn !== "function") throw invalidArgType("fn", "of type function", fn);
  if (code !== undefined && typeof code !== "string")
    throw invalidArgType("code", "of type string", code);
  let warned = false;
  function deprecated(this: unknown, ...args: unknown[]): unknown {
    if (!(process as { noDeprecation?: boolean }).noDeprecation && !warned) {
      warned = true;
      if (code === undefined || !warnedCodes.has(code)) {
        if (code !== undefined) warnedCodes.add(code);
        process.emitWarning(message, "DeprecationWarning", code as string, deprecated);
      }
    }
    if (new.target) return Reflect.construct(fn, args, new.target);
    return Reflect.apply(fn, this, args);
  }
  Object.setPrototypeOf(deprecated, fn);
  if (fn.prototype) deprecated.prototype = fn.prototype;
  return deprecated as unknown as T;
}

function inherits(ctor: unknown, superCtor: unknown): void {
  if (ctor === undefined || ctor === null) throw invalidArgType("ctor", "of type function", ctor);
  if (superCtor === undefined || superCtor === null)
    throw invalidArgType("superCtor", "of type function", superCtor);
  const parent = superCtor as { prototype?: unknown };
  if (parent.prototype === undefined) {
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_TYPE",
      `The "superCtor.prototype" property must be of type object. Received undefined`,
    );
  }
  Object.defineProperty(ctor, "super_", {
    value: superCtor,
    writable: true,
    configurable: true,
  });
  Object.setPrototypeOf((ctor as { prototype: object }).prototype, parent.prototype as object);
}

/** util.debuglog: enabled per section by NODE_DEBUG (comma list, `*` wildcards). */
function debuglog(section: string, callback?: (log: unknown) => void) {
  let enabled: boolean | undefined;
  const isEnabled = () => {
    if (enabled === undefined) {
      const spec = process.env.NODE_DEBUG ?? "";
      const pattern = spec
        .replace(/[|\\{}()[\]^$+?.]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/,/g, "$|^");
      enabled = spec !== "" && new RegExp(`^${pattern}$`, "i").test(section);
    }
    return enabled;
  };
  const log = (...args: unknown[]) => {
    if (!isEnabled()) return;
    process.stderr.write(
      `${section.toUpperCase()} ${process.pid}: ${formatWithOptions({ colors: false }, ...args)}\n`,
    );
  };
  Object.defineProperty(log, "enabled", { get: isEnabled, enumerable: true, configurable: true });
  callback?.(log);
  return log;
}

function shouldColorize(stream: unknown): boolean {
  if (process.env.FORCE_COLOR !== undefined) {
    const force = process.env.FORCE_COLOR;
    return force === "" || force === "true" || Number(force) > 0;
  }
  const tty = stream as { isTTY?: boolean; getColorDepth?: () => number } | undefined;
  if (!tty?.isTTY) return false;
  return typeof tty.getColorDepth === "function" ? tty.getColorDepth() > 2 : true;
}

function styleText(
  styles: string | string[],
  text: string,
  { validateStream = true, stream = process.stdout as unknown } = {},
): string {
  if (typeof text !== "string") throw invalidArgType("text", "of type string", text);
  if (typeof validateStream !== "boolean")
    throw invalidArgType("options.validateStream", "of type boolean", validateStream);
  const colors = inspect.colors as unknown as Record<string, [number, number] | undefined>;
  const validate = (key: string) => {
    if (colors[key] == null) {
      const allowed = Object.getOwnPropertyNames(colors)
        .map((name) => `'${name}'`)
        .join(", ");
      throw codedError(
        TypeError,
        "ERR_INVALID_ARG_VALUE",
        `The argument 'format' must be one of: ${allowed}. Received ${inspect(key)}`,
      );
    }
    return colors[key] as [number, number];
  };
  if (validateStream) {
    const s = stream as { write?: unknown; on?: unknown; getReader?: unknown; getWriter?: unknown };
    if (
      !s ||
      (typeof s.on !== "function" &&
        typeof s.getReader !== "function" &&
        typeof s.getWriter !== "function")
    ) {
      throw codedError(
        TypeError,
        "ERR_INVALID_ARG_TYPE",
        `The "stream" argument must be an instance of ReadableStream, WritableStream, or Stream. Received ${describeReceived(stream)}`,
      );
    }
  }
  if (Array.isArray(styles)) {
    let left = "";
    let right = "";
    for (const key of styles) {
      const [open, close] = validate(key);
      left += `\u001b[${open}m`;
      right = `\u001b[${close}m${right}`;
    }
    if (validateStream && (!stream || !shouldColorize(stream))) return text;
    return `${left}${text}${right}`;
  }
  const [open, close] = validate(styles);
  if (validateStream && (!stream || !shouldColorize(stream))) return text;
  return `\u001b[${open}m${text}\u001b[${close}m`;
}

function getSystemErrorName(errno: unknown): string | undefined {
  if (typeof errno !== "number") throw invalidArgType("err", "of type number", errno);
  if (errno >= 0 || !Number.isSafeInteger(errno)) {
    throw codedError(
      RangeError,
      "ERR_OUT_OF_RANGE",
      `The value of "err" is out of range. It must be a negative integer. Received ${errno}`,
    );
  }
  const entry = SYSTEM_ERRORS.find(([code]) => code === errno);
  return entry ? entry[1] : `Unknown system error ${errno}`;
}

function getSystemErrorMap(): Map<number, [string, string]> {
  return new Map(SYSTEM_ERRORS.map(([code, name, text]) => [code, [name, text]]));
}

function aborted(signal: AbortSignal, resource: unknown): Promise<void> {
  if (
    signal === undefined ||
    signal === null ||
    typeof signal !== "object" ||
    !("aborted" in signal)
  )
    throw invalidArgType("signal", "an instance of AbortSignal", signal);
  if (resource === null || (typeof resource !== "object" && typeof resource !== "function"))
    throw invalidArgType("resource", "of type object", resource);
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

function toUSVString(input: unknown): string {
  return (String(input) as unknown as { toWellFormed(): string }).toWellFormed();
}

/** util.parseEnv: the dotenv syntax Node accepts (KEY=value, quotes, export, comments). */
function parseEnv(content: string): Record<string, string> {
  if (typeof content !== "string") throw invalidArgType("content", "of type string", content);
  const result: Record<string, string> = {};
  const text = content.replace(/\r\n?/g, "\n");
  const line = /^\s*(?:export\s+)?([\w.-]+)\s*=\s*("(?:\\.|[^"])*"|'[^']*'|`[^`]*`|[^#\n]*)/gm;
  for (const match of text.matchAll(line)) {
    let value = match[2].trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === "`") && value.endsWith(quote)) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, "\n");
    }
    result[match[1]] = value;
  }
  return result;
}

function transferable<T>(value: T): T {
  return value;
}

function buildUtil(): unknown {
  const types = createUtilTypes();
  const util: Record<string, unknown> = {
    _errnoException: (err: number, syscall: string, original?: string) => {
      const name = getSystemErrorName(err);
      const message = original ? `${syscall} ${name} ${original}` : `${syscall} ${name}`;
      return Object.assign(new Error(message), { errno: err, code: name, syscall });
    },
    _exceptionWithHostPort: (
      err: number,
      syscall: string,
      address: string,
      port?: number,
      additional?: string,
    ) => {
      const name = getSystemErrorName(err);
      let details = port && port > 0 ? `${address}:${port}` : address;
      if (additional) details += ` - Local (${additional})`;
      const error = new Error(`${syscall} ${name} ${details}`) as Error & Record<string, unknown>;
      Object.assign(error, { errno: err, code: name, syscall, address });
      if (port) error.port = port;
      return error;
    },
    _extend: (target: object, source: object) => {
      if (source === null || typeof source !== "object") return target;
      for (const key of Object.keys(source))
        (target as Record<string, unknown>)[key] = (source as Record<string, unknown>)[key];
      return target;
    },
    callbackify,
    debug: debuglog,
    debuglog,
    deprecate,
    format,
    styleText,
    formatWithOptions,
    getSystemErrorMap,
    getSystemErrorName,
    inherits,
    inspect,
    isArray: deprecate(
      Array.isArray as (...args: unknown[]) => unknown,
      "The `util.isArray` API is deprecated. Please use `Array.isArray()` instead.",
      "DEP0044",
    ),
    isDeepStrictEqual,
    promisify,
    stripVTControlCharacters: (text: unknown) => {
      if (typeof text !== "string") throw invalidArgType("str", "of type string", text);
      return stripVTControlCharacters(text);
    },
    toUSVString,
    transferableAbortSignal: transferable,
    transferableAbortController: () => new AbortController(),
    aborted,
    types,
    parseEnv,
    parseArgs,
    TextDecoder: globalThis.TextDecoder,
    TextEncoder: globalThis.TextEncoder,
    MIMEType,
    MIMEParams,
  };
  return util;
}

let cached: unknown;

/** One util object serves `util` and `sys`; `util/types` is its `types`. */
export function createUtil(): unknown {
  cached ??= buildUtil();
  return cached;
}

export function createUtilTypesModule(): unknown {
  return (createUtil() as { types: unknown }).types;
}
