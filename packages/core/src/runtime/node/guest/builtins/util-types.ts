/**
 * node:util/types. Node asks V8 for each object's internal brand; the guest has no such hook,
 * so each check uses a brand-checking intrinsic where one exists (a getter or method that
 * throws on the wrong receiver, with no side effect) and the object's tag otherwise.
 * Proxies are recognised by remembering every proxy built through the global Proxy.
 */

import * as inspectPackage from "node-inspect-extracted";

const toTag = (value: unknown): string => Object.prototype.toString.call(value).slice(8, -1);

const isObjectLike = (value: unknown): value is object =>
  (typeof value === "object" && value !== null) || typeof value === "function";

/** True when calling `brand` with `value` as receiver does not throw. */
function passes(value: unknown, brand: (this: unknown) => unknown): boolean {
  if (!isObjectLike(value)) return false;
  try {
    brand.call(value);
    return true;
  } catch {
    return false;
  }
}

function getter(prototype: object, name: PropertyKey): (this: unknown) => unknown {
  return Object.getOwnPropertyDescriptor(prototype, name)?.get as (this: unknown) => unknown;
}

const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
const typedArrayTag = getter(TypedArrayPrototype, Symbol.toStringTag);
const mapSize = getter(Map.prototype, "size");
const setSize = getter(Set.prototype, "size");
const arrayBufferLength = getter(ArrayBuffer.prototype, "byteLength");
const dataViewLength = getter(DataView.prototype, "byteLength");
const regExpSource = getter(RegExp.prototype, "source");
const weakMapHas = WeakMap.prototype.has;
const weakSetHas = WeakSet.prototype.has;

// ---- proxies -------------------------------------------------------------------------------

const proxies = new WeakSet<object>();
let proxyTrackingInstalled = false;

/**
 * Replaces the global Proxy with one that records what it builds (installed once, into the
 * snapshot). The replacement is itself a proxy of the original, so it looks the same to code.
 */
export function installProxyTracking(): void {
  if (proxyTrackingInstalled) return;
  proxyTrackingInstalled = true;
  const OriginalProxy = Proxy;
  // node-inspect-extracted's Proxy records target and handler, so inspect's showProxy works.
  const InspectProxy = (inspectPackage as unknown as { Proxy: ProxyConstructor }).Proxy;
  const originalRevocable = InspectProxy.revocable;
  const TrackedProxy = new OriginalProxy(OriginalProxy, {
    construct(_target, args, newTarget) {
      const proxy = Reflect.construct(InspectProxy, args, newTarget) as object;
      proxies.add(proxy);
      return proxy;
    },
  });
  Object.defineProperty(OriginalProxy, "revocable", {
    value: function revocable(target: object, handler: ProxyHandler<object>) {
      const result = originalRevocable(target, handler);
      proxies.add(result.proxy);
      return result;
    },
    writable: true,
    configurable: true,
    enumerable: false,
  });
  Object.defineProperty(globalThis, "Proxy", {
    value: TrackedProxy,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

// ---- the checks ----------------------------------------------------------------------------

export const isDate = (value: unknown): boolean => passes(value, Date.prototype.getTime);
export const isRegExp = (value: unknown): boolean =>
  value !== RegExp.prototype && passes(value, regExpSource);
export const isMap = (value: unknown): boolean => passes(value, mapSize);
export const isSet = (value: unknown): boolean => passes(value, setSize);
export const isWeakMap = (value: unknown): boolean =>
  passes(value, function (this: unknown) {
    weakMapHas.call(this as WeakMap<object, unknown>, {});
  });
export const isWeakSet = (value: unknown): boolean =>
  passes(value, function (this: unknown) {
    weakSetHas.call(this as WeakSet<object>, {});
  });
export const isArrayBuffer = (value: unknown): boolean => passes(value, arrayBufferLength);
export function isSharedArrayBuffer(value: unknown): boolean {
  const Sab = (globalThis as { SharedArrayBuffer?: { prototype: object } }).SharedArrayBuffer;
  if (!Sab) return false;
  const length = getter(Sab.prototype, "byteLength");
  return typeof length === "function" && passes(value, length);
}
export const isAnyArrayBuffer = (value: unknown): boolean =>
  isArrayBuffer(value) || isSharedArrayBuffer(value);
export const isArrayBufferView = (value: unknown): boolean => ArrayBuffer.isView(value);
export const isDataView = (value: unknown): boolean => passes(value, dataViewLength);
export const isTypedArray = (value: unknown): boolean =>
  isObjectLike(value) && typedArrayTag.call(value) !== undefined;

function typedArrayOf(name: string): (value: unknown) => boolean {
  return (value) => isObjectLike(value) && typedArrayTag.call(value) === name;
}

export const isUint8Array = typedArrayOf("Uint8Array");
export const isUint8ClampedArray = typedArrayOf("Uint8ClampedArray");
export const isUint16Array = typedArrayOf("Uint16Array");
export const isUint32Array = typedArrayOf("Uint32Array");
export const isInt8Array = typedArrayOf("Int8Array");
export const isInt16Array = typedArrayOf("Int16Array");
export const isInt32Array = typedArrayOf("Int32Array");
export const isFloat16Array = typedArrayOf("Float16Array");
export const isFloat32Array = typedArrayOf("Float32Array");
export const isFloat64Array = typedArrayOf("Float64Array");
export const isBigInt64Array = typedArrayOf("BigInt64Array");
export const isBigUint64Array = typedArrayOf("BigUint64Array");

export const isNumberObject = (value: unknown): boolean =>
  typeof value === "object" && passes(value, Number.prototype.valueOf);
export const isStringObject = (value: unknown): boolean =>
  typeof value === "object" && passes(value, String.prototype.valueOf);
export const isBooleanObject = (value: unknown): boolean =>
  typeof value === "object" && passes(value, Boolean.prototype.valueOf);
export const isBigIntObject = (value: unknown): boolean =>
  typeof value === "object" && passes(value, BigInt.prototype.valueOf);
export const isSymbolObject = (value: unknown): boolean =>
  typeof value === "object" && passes(value, Symbol.prototype.valueOf);
export const isBoxedPrimitive = (value: unknown): boolean =>
  isNumberObject(value) ||
  isStringObject(value) ||
  isBooleanObject(value) ||
  isBigIntObject(value) ||
  isSymbolObject(value);

const errorIsError = (Error as unknown as { isError?: (v: unknown) => boolean }).isError;
export const isNativeError = (value: unknown): boolean =>
  errorIsError ? errorIsError(value) : toTag(value) === "Error";

// No side-effect-free brand check exists for these; the intrinsic tag is what is left.
export const isPromise = (value: unknown): boolean =>
  isObjectLike(value) && value !== Promise.prototype && toTag(value) === "Promise";
export const isMapIterator = (value: unknown): boolean =>
  isObjectLike(value) && toTag(value) === "Map Iterator";
export const isSetIterator = (value: unknown): boolean =>
  isObjectLike(value) && toTag(value) === "Set Iterator";
export const isGeneratorObject = (value: unknown): boolean =>
  isObjectLike(value) && toTag(value) === "Generator";
export const isArgumentsObject = (value: unknown): boolean =>
  typeof value === "object" && value !== null && toTag(value) === "Arguments";
export const isModuleNamespaceObject = (value: unknown): boolean =>
  typeof value === "object" &&
  value !== null &&
  Object.getPrototypeOf(value) === null &&
  toTag(value) === "Module";

export const isAsyncFunction = (value: unknown): boolean =>
  typeof value === "function" &&
  (toTag(value) === "AsyncFunction" || toTag(value) === "AsyncGeneratorFunction");
export const isGeneratorFunction = (value: unknown): boolean =>
  typeof value === "function" &&
  (toTag(value) === "GeneratorFunction" || toTag(value) === "AsyncGeneratorFunction");

export const isProxy = (value: unknown): boolean => isObjectLike(value) && proxies.has(value);
export const isExternal = (_value: unknown): boolean => false;
export const isKeyObject = (value: unknown): boolean =>
  isObjectLike(value) && toTag(value) === "KeyObject";
export const isCryptoKey = (value: unknown): boolean =>
  isObjectLike(value) && toTag(value) === "CryptoKey";

/** The util.types object, in Node's key order. */
export function createUtilTypes(): Record<string, (value: unknown) => boolean> {
  return {
    isExternal,
    isDate,
    isArgumentsObject,
    isBigIntObject,
    isBooleanObject,
    isNumberObject,
    isStringObject,
    isSymbolObject,
    isNativeError,
    isRegExp,
    isAsyncFunction,
    isGeneratorFunction,
    isGeneratorObject,
    isPromise,
    isMap,
    isSet,
    isMapIterator,
    isSetIterator,
    isWeakMap,
    isWeakSet,
    isArrayBuffer,
    isDataView,
    isSharedArrayBuffer,
    isProxy,
    isModuleNamespaceObject,
    isAnyArrayBuffer,
    isBoxedPrimitive,
    isArrayBufferView,
    isTypedArray,
    isUint8Array,
    isUint8ClampedArray,
    isUint16Array,
    isUint32Array,
    isInt8Array,
    isInt16Array,
    isInt32Array,
    isFloat16Array,
    isFloat32Array,
    isFloat64Array,
    isBigInt64Array,
    isBigUint64Array,
    isKeyObject,
    isCryptoKey,
  };
}
