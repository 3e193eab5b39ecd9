/**
 * How a test file's process hands a failure's error to the `node --test` process that reports it,
 * in the form Node uses (internal/error_serdes): an error becomes its constructor's name and its
 * properties (the prototype chain's too, getters read), serialized with v8.serialize; what
 * cannot be serialized travels as its util.inspect text. The parent rebuilds an object on the
 * builtin error prototype, so it inspects as the error did.
 */
import { Buffer } from "buffer";
import { loadBuiltin } from "../../registry.ts";

const SERIALIZED_ERROR = 0;
const SERIALIZED_OBJECT = 1;
const INSPECTED_ERROR = 2;
const INSPECTED_SYMBOL = 3;
const CUSTOM_INSPECTED_OBJECT = 4;
const CIRCULAR_REFERENCE = 5;

const ERROR_CONSTRUCTORS: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  URIError,
  SyntaxError,
  ReferenceError,
  EvalError,
};

const CUSTOM_INSPECT = Symbol.for("nodejs.util.inspect.custom");

interface V8Module {
  serialize(value: unknown): Buffer;
  deserialize(buffer: Uint8Array): unknown;
}

function v8(): V8Module {
  return loadBuiltin("v8") as V8Module;
}

function inspect(value: unknown): string {
  return (loadBuiltin("util") as { inspect(value: unknown): string }).inspect(value);
}

/** Every property from the prototype chain down, as descriptors with values (getters read). */
function allProperties(
  object: object | null,
  target: object,
  seen: Set<unknown>,
): Record<string, PropertyDescriptor> {
  const all: Record<string, PropertyDescriptor> = Object.create(null);
  if (object === null) return all;
  Object.assign(all, allProperties(Object.getPrototypeOf(object), target, seen));
  for (const key of Object.getOwnPropertyNames(object)) {
    let descriptor: PropertyDescriptor | undefined;
    try {
      descriptor = Object.getOwnPropertyDescriptor(object, key);
    } catch {
      continue;
    }
    if (!descriptor) continue;
    if (descriptor.get && key !== "__proto__") {
      try {
        descriptor.value = descriptor.get.call(target);
        delete descriptor.get;
        delete descriptor.set;
      } catch {
        // Keep the accessor: it is dropped below.
      }
    }
    if (key === "cause") {
      descriptor.value = serializeError(descriptor.value, seen);
      all[key] = descriptor;
    } else if (
      "value" in descriptor &&
      typeof descriptor.value !== "function" &&
      typeof descriptor.value !== "symbol"
    ) {
      all[key] = descriptor;
    }
  }
  return all;
}

function constructorsOf(object: object): unknown[] {
  const constructors: unknown[] = [];
  for (let current: object | null = object; current; current = Object.getPrototypeOf(current)) {
    const descriptor = Object.getOwnPropertyDescriptor(current, "constructor");
    if (descriptor?.value) constructors.push(descriptor.value);
  }
  return constructors;
}

function tagged(tag: number, text: string): Buffer {
  return Buffer.concat([Buffer.from([tag]), Buffer.from(text, "utf8")]);
}

export function serializeError(error: unknown, seen: Set<unknown> = new Set()): Buffer {
  if (typeof error === "symbol") return tagged(INSPECTED_SYMBOL, inspect(error));
  try {
    if (
      typeof error === "object" &&
      error !== null &&
      Object.prototype.toString.call(error) === "[object Error]"
    ) {
      if (seen.has(error)) return Buffer.from([CIRCULAR_REFERENCE]);
      seen.add(error);
      for (const ctor of constructorsOf(error)) {
        const name = Object.getOwnPropertyDescriptor(ctor, "name")?.value;
        if (typeof name === "string" && name in ERROR_CONSTRUCTORS) {
          const serialized = v8().serialize({
            constructor: name,
            properties: allProperties(error, error, seen),
          });
          return Buffer.concat([Buffer.from([SERIALIZED_ERROR]), serialized]);
        }
      }
    }
  } catch {
    // Fall through to the next form.
  }
  try {
    if (error != null && CUSTOM_INSPECT in (error as object)) {
      return tagged(CUSTOM_INSPECTED_OBJECT, inspect(error));
    }
  } catch {
    // Fall through to the next form.
  }
  try {
    return Buffer.concat([Buffer.from([SERIALIZED_OBJECT]), v8().serialize(error)]);
  } catch {
    // Fall through to the last form.
  }
  return tagged(INSPECTED_ERROR, inspect(error));
}

export function deserializeError(data: Uint8Array): unknown {
  const body = data.subarray(1);
  const text = () => Buffer.from(body).toString("utf8");
  switch (data[0]) {
    case SERIALIZED_ERROR: {
      const { constructor: name, properties } = v8().deserialize(body) as {
        constructor: string;
        properties: Record<string | symbol, PropertyDescriptor>;
      };
      const ctor = ERROR_CONSTRUCTORS[name] ?? Error;
      Object.defineProperty(properties, Symbol.toStringTag, {
        value: { value: "Error", configurable: true },
        enumerable: true,
      });
      const cause = properties.cause;
      if (cause && "value" in cause) cause.value = deserializeError(cause.value as Uint8Array);
      return Object.create(ctor.prototype, properties);
    }
    case SERIALIZED_OBJECT:
      return v8().deserialize(body);
    case INSPECTED_ERROR:
      return text();
    case INSPECTED_SYMBOL: {
      const description = text();
      return Symbol.for(description.slice("Symbol(".length, description.length - 1));
    }
    case CUSTOM_INSPECTED_OBJECT: {
      const shown = text();
      return { __proto__: null, [CUSTOM_INSPECT]: () => shown };
    }
    case CIRCULAR_REFERENCE:
      return { __proto__: null, [CUSTOM_INSPECT]: () => "[Circular object]" };
    default:
      throw new Error("agentos: unknown serialized test error");
  }
}
