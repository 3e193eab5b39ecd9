/**
 * structuredClone (the HTML algorithm Node implements): primitives, plain objects, arrays,
 * Date, RegExp, Map, Set, ArrayBuffer and views, Error types, with cycles and shared references
 * kept; functions, symbols and class instances with private state throw DataCloneError.
 */
function dataCloneError(message: string): Error {
  const error = new Error(message);
  error.name = "DataCloneError";
  return error;
}

export function structuredClone<T>(value: T, options?: { transfer?: unknown[] }): T {
  void options;
  const seen = new Map<unknown, unknown>();
  const clone = (input: unknown): unknown => {
    if (input === null || (typeof input !== "object" && typeof input !== "function")) {
      if (typeof input === "symbol") throw dataCloneError(`${String(input)} could not be cloned.`);
      return input;
    }
    if (typeof input === "function") throw dataCloneError(`${String(input)} could not be cloned.`);
    if (seen.has(input)) return seen.get(input);
    const tag = Object.prototype.toString.call(input).slice(8, -1);
    let out: unknown;
    switch (tag) {
      case "Date":
        out = new Date((input as Date).getTime());
        break;
      case "RegExp":
        out = new RegExp((input as RegExp).source, (input as RegExp).flags);
        break;
      case "Boolean":
      case "Number":
      case "String":
      case "BigInt":
        out = Object((input as { valueOf(): unknown }).valueOf());
        break;
      case "ArrayBuffer":
        out = (input as ArrayBuffer).slice(0);
        break;
      case "Map": {
        const map = new Map();
        seen.set(input, map);
        for (const [k, v] of input as Map<unknown, unknown>) map.set(clone(k), clone(v));
        return map;
      }
      case "Set": {
        const set = new Set();
        seen.set(input, set);
        for (const v of input as Set<unknown>) set.add(clone(v));
        return set;
      }
      case "Error": {
        const source = input as Error;
        const Ctor =
          (
            { EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError } as Record<
              string,
              ErrorConstructor
            >
          )[source.name] ?? Error;
        const error = new Ctor(source.message);
        if (source.stack !== undefined) error.stack = source.stack;
        if ("cause" in source) (error as Error & { cause?: unknown }).cause = clone(source.cause);
        out = error;
        break;
      }
      case "Array": {
        const array: unknown[] = new Array((input as unknown[]).length);
        seen.set(input, array);
        for (const key of Object.keys(input as object))
          (array as unknown as Record<string, unknown>)[key] = clone(
            (input as Record<string, unknown>)[key],
          );
        return array;
      }
      case "Object": {
        const object: Record<string, unknown> = {};
        seen.set(input, object);
        for (const key of Object.keys(input as object))
          object[key] = clone((input as Record<string, unknown>)[key]);
        return object;
      }
      default:
        if (ArrayBuffer.isView(input)) {
          const view = input as unknown as {
            buffer: ArrayBuffer;
            byteOffset: number;
            byteLength: number;
            constructor: new (b: ArrayBuffer, o: number, l: number) => unknown;
            BYTES_PER_ELEMENT?: number;
          };
          const buffer = clone(view.buffer) as ArrayBuffer;
          const length = view.BYTES_PER_ELEMENT
            ? view.byteLength / view.BYTES_PER_ELEMENT
            : view.byteLength;
          out = new view.constructor(buffer, view.byteOffset, length);
          break;
        }
        throw dataCloneError(`${Object.prototype.toString.call(input)} could not be cloned.`);
    }
    seen.set(input, out);
    return out;
  };
  return clone(value) as T;
}
