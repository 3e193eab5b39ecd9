/**
 * Deep equality as Node defines it for assert.deepStrictEqual / deepEqual and
 * util.isDeepStrictEqual: strict mode compares with Object.is, prototypes and own enumerable
 * symbol keys; loose mode compares primitives with == and ignores prototypes. Both compare
 * Maps and Sets without regard to order, typed arrays by bytes, errors by name/message/cause,
 * and survive cycles (a pair already being compared is taken as equal).
 */
import {
  isAnyArrayBuffer,
  isArrayBufferView,
  isBigIntObject,
  isBooleanObject,
  isBoxedPrimitive,
  isDate,
  isFloat32Array,
  isFloat64Array,
  isMap,
  isNativeError,
  isNumberObject,
  isRegExp,
  isSet,
  isStringObject,
  isSymbolObject,
} from "./util-types.ts";

type Mode = "strict" | "loose";

/** Pairs of objects currently being compared, so cycles end instead of recursing forever. */
type Visiting = Map<object, Set<object>>;

const tagOf = (value: object): string => Object.prototype.toString.call(value);
const isEnumerable = (object: object, key: PropertyKey): boolean =>
  Object.prototype.propertyIsEnumerable.call(object, key);
const hasOwn = (object: object, key: PropertyKey): boolean => Object.hasOwn(object, key);
const typedArrayTag = Object.getOwnPropertyDescriptor(
  Object.getPrototypeOf(Uint8Array.prototype),
  Symbol.toStringTag,
)?.get as (this: unknown) => string | undefined;

export function isDeepStrictEqual(a: unknown, b: unknown): boolean {
  return deepEqual(a, b, "strict", new Map());
}

export function isDeepLooseEqual(a: unknown, b: unknown): boolean {
  return deepEqual(a, b, "loose", new Map());
}

function deepEqual(a: unknown, b: unknown, mode: Mode, visiting: Visiting): boolean {
  if (a === b) return a !== 0 || Object.is(a, b) || mode === "loose";
  if (mode === "strict") {
    if (typeof a === "number") return Number.isNaN(a) && Number.isNaN(b);
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  } else {
    if (a === null || typeof a !== "object") {
      if (b === null || typeof b !== "object") {
        // biome-ignore lint/suspicious/noDoubleEquals: loose mode is defined by ==
        return a == b || (Number.isNaN(a) && Number.isNaN(b));
      }
      return false;
    }
    if (b === null || typeof b !== "object") return false;
  }
  const x = a as Record<PropertyKey, unknown>;
  const y = b as Record<PropertyKey, unknown>;
  if (tagOf(x) !== tagOf(y)) return false;

  if (Array.isArray(x)) {
    if (!Array.isArray(y) || x.length !== y.length) return false;
    const keys = nonIndexKeys(x, mode);
    if (keys.length !== nonIndexKeys(y, mode).length) return false;
    return compareKeys(x, y, mode, visiting, "array", keys);
  }
  if (tagOf(x) === "[object Object]") return compareKeys(x, y, mode, visiting, "none");
  if (isDate(x)) {
    if (!isDate(y) || (x as unknown as Date).getTime() !== (y as unknown as Date).getTime())
      return false;
  } else if (isRegExp(x)) {
    const r1 = x as unknown as RegExp;
    const r2 = y as unknown as RegExp;
    if (
      !isRegExp(y) ||
      r1.source !== r2.source ||
      r1.flags !== r2.flags ||
      r1.lastIndex !== r2.lastIndex
    )
      return false;
  } else if (isArrayBufferView(x)) {
    if (typedArrayTag.call(x) !== typedArrayTag.call(y)) return false;
    const v1 = x as unknown as ArrayBufferView;
    const v2 = y as unknown as ArrayBufferView;
    if (mode === "loose" && (isFloat32Array(x) || isFloat64Array(x))) {
      if (!sameFloats(v1 as Float64Array, v2 as Float64Array)) return false;
    } else if (!sameBytes(v1, v2)) return false;
    const keys = nonIndexKeys(x, mode);
    if (keys.length !== nonIndexKeys(y, mode).length) return false;
    return compareKeys(x, y, mode, visiting, "none", keys);
  } else if (isSet(x)) {
    if (!isSet(y) || (x as unknown as Set<unknown>).size !== (y as unknown as Set<unknown>).size)
      return false;
    return compareKeys(x, y, mode, visiting, "set");
  } else if (isMap(x)) {
    if (
      !isMap(y) ||
      (x as unknown as Map<unknown, unknown>).size !== (y as unknown as Map<unknown, unknown>).size
    )
      return false;
    return compareKeys(x, y, mode, visiting, "map");
  } else if (isAnyArrayBuffer(x)) {
    if (!isAnyArrayBuffer(y)) return false;
    if (
      !sameBytes(
        new Uint8Array(x as unknown as ArrayBuffer),
        new Uint8Array(y as unknown as ArrayBuffer),
      )
    )
      return false;
  } else if (isNativeError(x) || x instanceof Error) {
    if (!isNativeError(y) && !(y instanceof Error)) return false;
    for (const key of ["message", "name", "cause", "errors"]) {
      const enumerable = isEnumerable(x, key);
      if (enumerable !== isEnumerable(y, key)) return false;
      if (enumerable) continue; // compared with the other own keys below
      if (key === "message" || key === "name") {
        if (x[key] !== y[key]) return false;
      } else if (!deepEqual(x[key], y[key], mode, visiting)) return false;
    }
  } else if (isBoxedPrimitive(x)) {
    if (!sameBoxedPrimitive(x, y)) return false;
  } else if (
    Array.isArray(y) ||
    isArrayBufferView(y) ||
    isSet(y) ||
    isMap(y) ||
    isDate(y) ||
    isRegExp(y) ||
    isAnyArrayBuffer(y) ||
    isBoxedPrimitive(y) ||
    isNativeError(y) ||
    y instanceof Error
  ) {
    return false;
  } else if (x instanceof URL) {
    if (!(y instanceof URL) || x.href !== y.href) return false;
  }
  return compareKeys(x, y, mode, visiting, "none");
}

/** Own enumerable keys that are not array indices (symbols too, in strict mode). */
function nonIndexKeys(value: object, mode: Mode): PropertyKey[] {
  const keys: PropertyKey[] = Object.keys(value).filter((key) => !isIndex(key));
  if (mode === "strict") {
    for (const symbol of Object.getOwnPropertySymbols(value))
      if (isEnumerable(value, symbol)) keys.push(symbol);
  }
  return keys;
}

function isIndex(key: string): boolean {
  if (key.length === 0 || key.length > 10) return false;
  const n = Number(key);
  return String(n) === key && n >= 0 && n < 2 ** 32 - 1 && Number.isInteger(n);
}

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  if (a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function sameFloats(a: Float64Array, b: Float64Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameBoxedPrimitive(a: object, b: object): boolean {
  if (isNumberObject(a))
    return isNumberObject(b) && Object.is(Number(a.valueOf()), Number(b.valueOf()));
  if (isStringObject(a)) return isStringObject(b) && a.valueOf() === b.valueOf();
  if (isBooleanObject(a)) return isBooleanObject(b) && a.valueOf() === b.valueOf();
  if (isBigIntObject(a)) return isBigIntObject(b) && a.valueOf() === b.valueOf();
  if (isSymbolObject(a)) return isSymbolObject(b) && a.valueOf() === b.valueOf();
  return false;
}

type Iteration = "none" | "array" | "set" | "map";

function compareKeys(
  a: Record<PropertyKey, unknown>,
  b: Record<PropertyKey, unknown>,
  mode: Mode,
  visiting: Visiting,
  iteration: Iteration,
  knownKeys?: PropertyKey[],
): boolean {
  const keys: PropertyKey[] = knownKeys ?? Object.keys(a);
  for (const key of keys) if (!isEnumerable(b, key)) return false;
  if (!knownKeys) {
    if (keys.length !== Object.keys(b).length) return false;
    if (mode === "strict") {
      let count = 0;
      for (const symbol of Object.getOwnPropertySymbols(a)) {
        if (isEnumerable(a, symbol)) {
          if (!isEnumerable(b, symbol)) return false;
          keys.push(symbol);
          count++;
        } else if (isEnumerable(b, symbol)) return false;
      }
      const symbolsOfB = Object.getOwnPropertySymbols(b).filter((s) => isEnumerable(b, s));
      if (symbolsOfB.length !== count) return false;
    }
  }
  // Already comparing this pair further up: assume equal, the outer comparison decides.
  const partners = visiting.get(a);
  if (partners?.has(b)) return true;
  if (partners) partners.add(b);
  else visiting.set(a, new Set([b]));
  try {
    return compareContents(a, b, mode, visiting, iteration, keys);
  } finally {
    visiting.get(a)?.delete(b);
  }
}

function compareContents(
  a: Record<PropertyKey, unknown>,
  b: Record<PropertyKey, unknown>,
  mode: Mode,
  visiting: Visiting,
  iteration: Iteration,
  keys: PropertyKey[],
): boolean {
  for (const key of keys) if (!deepEqual(a[key], b[key], mode, visiting)) return false;
  if (iteration === "array") {
    const x = a as unknown as unknown[];
    const y = b as unknown as unknown[];
    for (let i = 0; i < x.length; i++) {
      if (hasOwn(x, i) !== hasOwn(y, i)) return false;
      if (hasOwn(x, i) && !deepEqual(x[i], y[i], mode, visiting)) return false;
    }
    return true;
  }
  if (iteration === "set")
    return setsEqual(a as unknown as Set<unknown>, b as unknown as Set<unknown>, mode, visiting);
  if (iteration === "map")
    return mapsEqual(
      a as unknown as Map<unknown, unknown>,
      b as unknown as Map<unknown, unknown>,
      mode,
      visiting,
    );
  return true;
}

const isPrimitive = (value: unknown): boolean =>
  value === null || (typeof value !== "object" && typeof value !== "function");

/** Every member of `a` has a distinct deep-equal partner in `b` (sizes are already equal). */
function setsEqual(a: Set<unknown>, b: Set<unknown>, mode: Mode, visiting: Visiting): boolean {
  const unmatched: unknown[] = [];
  for (const value of a) {
    if (b.has(value)) continue;
    if (isPrimitive(value) && mode === "strict") return false;
    unmatched.push(value);
  }
  if (unmatched.length === 0) return true;
  for (const value of b) {
    if (a.has(value)) continue;
    if (isPrimitive(value) && mode === "strict") return false;
    const index = unmatched.findIndex((candidate) => deepEqual(candidate, value, mode, visiting));
    if (index < 0) return false;
    unmatched.splice(index, 1);
  }
  return unmatched.length === 0;
}

function mapsEqual(
  a: Map<unknown, unknown>,
  b: Map<unknown, unknown>,
  mode: Mode,
  visiting: Visiting,
): boolean {
  const unmatched: unknown[] = [];
  for (const [key, value] of a) {
    if (isPrimitive(key) && b.has(key)) {
      if (deepEqual(value, b.get(key), mode, visiting)) continue;
      if (mode === "strict") return false;
    } else if (isPrimitive(key) && mode === "strict") return false;
    unmatched.push(key);
  }
  if (unmatched.length === 0) return true;
  for (const [key, value] of b) {
    if (isPrimitive(key) && a.has(key) && deepEqual(a.get(key), value, mode, visiting)) continue;
    const index = unmatched.findIndex(
      (candidate) =>
        deepEqual(candidate, key, mode, visiting) &&
        deepEqual(a.get(candidate), value, mode, visiting),
    );
    if (index < 0) return false;
    unmatched.splice(index, 1);
  }
  return unmatched.length === 0;
}
