/**
 * v8.Serializer / v8.Deserializer: V8's ValueSerializer wire format (version 15, what Node 24
 * writes), implemented in the guest because the isolate exposes no serializer of its own. The
 * bytes match Node's for the values programs send (primitives, objects, arrays, Date, RegExp, Map,
 * Set, ArrayBuffers and views, errors, boxed primitives, shared and circular references). Where
 * V8 decides by a value's internal representation, which JavaScript cannot see, the content
 * decides: a string is one-byte when every code unit fits a byte, a number is an Int32 when it is
 * one (an array of numbers with a fraction is written as doubles, as V8's double arrays are), and
 * an array is dense when it has no holes. Proxies are serialized through their traps.
 */
import { Buffer } from "buffer";
import { SNAPSHOT_SAB_STANDIN } from "../early-globals.ts";
import { invalidArgType } from "../errors.ts";
import { hostObjects } from "../host-objects.ts";

const LATEST_VERSION = 15;

/** Wire tags (ASCII characters in V8's value-serializer.cc). */
const T = {
  version: 0xff,
  padding: 0x00,
  theHole: 0x2d, // '-'
  undefined: 0x5f, // '_'
  null: 0x30, // '0'
  true: 0x54, // 'T'
  false: 0x46, // 'F'
  int32: 0x49, // 'I'
  uint32: 0x55, // 'U'
  double: 0x4e, // 'N'
  bigint: 0x5a, // 'Z'
  utf8String: 0x53, // 'S'
  oneByteString: 0x22, // '"'
  twoByteString: 0x63, // 'c'
  objectReference: 0x5e, // '^'
  beginObject: 0x6f, // 'o'
  endObject: 0x7b, // '{'
  beginSparseArray: 0x61, // 'a'
  endSparseArray: 0x40, // '@'
  beginDenseArray: 0x41, // 'A'
  endDenseArray: 0x24, // '$'
  date: 0x44, // 'D'
  trueObject: 0x79, // 'y'
  falseObject: 0x78, // 'x'
  numberObject: 0x6e, // 'n'
  bigintObject: 0x7a, // 'z'
  stringObject: 0x73, // 's'
  regExp: 0x52, // 'R'
  beginMap: 0x3b, // ';'
  endMap: 0x3a, // ':'
  beginSet: 0x27, // "'"
  endSet: 0x2c, // ','
  arrayBuffer: 0x42, // 'B'
  resizableArrayBuffer: 0x7e, // '~'
  arrayBufferTransfer: 0x74, // 't'
  arrayBufferView: 0x56, // 'V'
  sharedArrayBuffer: 0x75, // 'u'
  hostObject: 0x5c, // '\'
  error: 0x72, // 'r'
} as const;

/** Sub-tags inside an error record. */
const E = {
  evalError: 0x45, // 'E'
  rangeError: 0x52, // 'R'
  referenceError: 0x46, // 'F'
  syntaxError: 0x53, // 'S'
  typeError: 0x54, // 'T'
  uriError: 0x55, // 'U'
  message: 0x6d, // 'm'
  cause: 0x63, // 'c'
  stack: 0x73, // 's'
  end: 0x2e, // '.'
} as const;

const ERROR_SUBTAGS: [string, number, ErrorConstructor][] = [
  ["EvalError", E.evalError, EvalError],
  ["RangeError", E.rangeError, RangeError],
  ["ReferenceError", E.referenceError, ReferenceError],
  ["SyntaxError", E.syntaxError, SyntaxError],
  ["TypeError", E.typeError, TypeError],
  ["URIError", E.uriError, URIError],
];

/** ES2024 ArrayBuffer members (resizable buffers, transfer) the project's lib does not type. */
type ResizableArrayBuffer = ArrayBuffer & {
  detached: boolean;
  resizable: boolean;
  maxByteLength: number;
};
const ResizableArrayBuffer = ArrayBuffer as unknown as new (
  length: number,
  options: { maxByteLength: number },
) => ResizableArrayBuffer;

type ViewConstructor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => object;

const float16 = (globalThis as { Float16Array?: ViewConstructor }).Float16Array;

/** View sub-tags of the native ('V') encoding, by typed array name. */
const VIEW_SUBTAGS: [string, number, ViewConstructor | undefined][] = [
  ["Int8Array", 0x62, Int8Array],
  ["Uint8Array", 0x42, Uint8Array],
  ["Uint8ClampedArray", 0x43, Uint8ClampedArray],
  ["Int16Array", 0x77, Int16Array],
  ["Uint16Array", 0x57, Uint16Array],
  ["Int32Array", 0x64, Int32Array],
  ["Uint32Array", 0x44, Uint32Array],
  ["Float16Array", 0x68, float16],
  ["Float32Array", 0x66, Float32Array],
  ["Float64Array", 0x46, Float64Array],
  ["BigInt64Array", 0x71, BigInt64Array],
  ["BigUint64Array", 0x51, BigUint64Array],
  ["DataView", 0x3f, DataView as unknown as ViewConstructor],
];

// Brand checks: these throw unless the receiver really is that kind of object.
const uncurry =
  <A extends unknown[], R>(fn: (...args: A) => R) =>
  (self: unknown, ...args: A): R =>
    Reflect.apply(fn, self, args);
const getter = (proto: object, name: string | symbol) =>
  uncurry(Object.getOwnPropertyDescriptor(proto, name)?.get as () => unknown);
const dateValue = uncurry(Date.prototype.getTime);
const regExpSource = getter(RegExp.prototype, "source");
const regExpFlags = getter(RegExp.prototype, "flags");
const mapSize = getter(Map.prototype, "size");
const setSize = getter(Set.prototype, "size");
const arrayBufferLength = getter(ArrayBuffer.prototype, "byteLength");
// Looked up on first use, not at load: this module loads while the startup snapshot is made, when
// V8 has no SharedArrayBuffer and the global is a stand-in (early-globals.ts) that rejects all.
let realSharedArrayBufferLength: ((self: unknown) => unknown) | undefined;
function sharedArrayBufferLength(value: unknown): unknown {
  if (!realSharedArrayBufferLength) {
    const Sab = globalThis.SharedArrayBuffer as unknown as Record<symbol, unknown> | undefined;
    if (typeof Sab !== "function" || Sab[SNAPSHOT_SAB_STANDIN])
      throw new TypeError("no SharedArrayBuffer");
    realSharedArrayBufferLength = getter(SharedArrayBuffer.prototype, "byteLength");
  }
  return realSharedArrayBufferLength(value);
}
const typedArrayName = getter(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag);
const numberValue = uncurry(Number.prototype.valueOf);
const stringValue = uncurry(String.prototype.valueOf);
const booleanValue = uncurry(Boolean.prototype.valueOf);
const bigintValue = uncurry(BigInt.prototype.valueOf);
const symbolValue = uncurry(Symbol.prototype.valueOf);
const isError =
  (Error as { isError?: (value: unknown) => boolean }).isError ??
  ((value: unknown) => Object.prototype.toString.call(value) === "[object Error]");

/** An ERR_INVALID_ARG_TYPE as Node's C++ throws it: its own message, no `[CODE]` in the stack. */
function nativeArgTypeError(message: string): TypeError {
  return Object.assign(new TypeError(message), { code: "ERR_INVALID_ARG_TYPE" });
}

function is(check: (value: unknown) => unknown, value: unknown): boolean {
  try {
    check(value);
    return true;
  } catch {
    return false;
  }
}

/** Object kinds V8's serializer refuses (anything that is not plain data). */
const UNCLONEABLE_TAGS = new Set([
  "Promise",
  "WeakMap",
  "WeakSet",
  "WeakRef",
  "FinalizationRegistry",
  "Arguments",
  "Generator",
  "AsyncGenerator",
  "Map Iterator",
  "Set Iterator",
  "Array Iterator",
  "String Iterator",
  "RegExp String Iterator",
]);

const REGEXP_FLAG_BITS: Record<string, number> = {
  g: 1,
  i: 2,
  m: 4,
  y: 8,
  u: 16,
  s: 32,
  l: 64,
  d: 128,
  v: 256,
};

/** A canonical array index ("0" … "4294967294") as V8 keeps it: a number, not a string. */
function arrayIndexKey(key: string): number | undefined {
  if (key.length === 0 || key.length > 10) return undefined;
  if (key !== "0" && (key.charCodeAt(0) < 0x31 || key.charCodeAt(0) > 0x39)) return undefined;
  const index = Number(key);
  return Number.isInteger(index) && index < 4294967295 && String(index) === key ? index : undefined;
}

function isInt32(value: number): boolean {
  return (value | 0) === value && !Object.is(value, -0);
}

function describeUncloneable(value: unknown): string {
  if (typeof value === "function" || typeof value === "symbol") return String(value);
  let name = "Object";
  try {
    const ctor = (value as { constructor?: { name?: unknown } }).constructor;
    if (typeof ctor?.name === "string" && ctor.name) name = ctor.name;
  } catch {}
  return `#<${name}>`;
}

export class Serializer {
  #bytes = new Uint8Array(64);
  #length = 0;
  #ids = new Map<object, number>();
  #nextId = 0;
  #transfers = new Map<object, number>();
  #viewsAsHostObjects = false;
  #scratch = new DataView(new ArrayBuffer(8));

  writeHeader(): void {
    this.#byte(T.version);
    this.#varint(LATEST_VERSION);
  }

  writeValue(value: unknown): boolean {
    this.#writeObject(value);
    return true;
  }

  /** The bytes written so far; the serializer starts over empty. */
  releaseBuffer(): Buffer {
    // A copy of exactly the written bytes: views deserialized from it share its memory.
    const out = Buffer.from(this.#bytes.subarray(0, this.#length));
    this.#bytes = new Uint8Array(64);
    this.#length = 0;
    return out;
  }

  transferArrayBuffer(id: number, arrayBuffer: ArrayBuffer): void {
    // Only an ArrayBuffer: V8 writes a SharedArrayBuffer through _getSharedArrayBufferId always.
    if (!is(arrayBufferLength, arrayBuffer))
      throw nativeArgTypeError("arrayBuffer must be an ArrayBuffer");
    this.#transfers.set(arrayBuffer, id >>> 0);
  }

  writeUint32(value: number): void {
    this.#varint(Number(value) >>> 0);
  }

  writeUint64(hi: number, lo: number): void {
    this.#varint((BigInt(Number(hi) >>> 0) << 32n) | BigInt(Number(lo) >>> 0));
  }

  writeDouble(value: number): void {
    this.#double(Number(value));
  }

  writeRawBytes(source: ArrayBufferView): void {
    if (!ArrayBuffer.isView(source))
      throw invalidArgType("source", "an instance of Buffer, TypedArray, or DataView", source);
    this.#raw(new Uint8Array(source.buffer, source.byteOffset, source.byteLength));
  }

  _setTreatArrayBufferViewsAsHostObjects(flag: boolean): void {
    this.#viewsAsHostObjects = Boolean(flag);
  }

  declare _getDataCloneError: ErrorConstructor;

  #cloneError(message: string): Error {
    const Ctor = this._getDataCloneError;
    return new Ctor(message);
  }

  #ensure(extra: number): void {
    if (this.#length + extra <= this.#bytes.length) return;
    let size = this.#bytes.length * 2;
    while (size < this.#length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
  }

  #byte(value: number): void {
    this.#ensure(1);
    this.#bytes[this.#length++] = value;
  }

  #varint(value: number | bigint): void {
    if (typeof value === "number" && value < 0x80) return this.#byte(value);
    let rest = BigInt(value);
    do {
      const low = Number(rest & 0x7fn);
      rest >>= 7n;
      this.#byte(rest > 0n ? low | 0x80 : low);
    } while (rest > 0n);
  }

  #zigzag(value: number): void {
    this.#varint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  #double(value: number): void {
    this.#scratch.setFloat64(0, value, true);
    this.#raw(new Uint8Array(this.#scratch.buffer));
  }

  #raw(bytes: Uint8Array): void {
    this.#ensure(bytes.length);
    this.#bytes.set(bytes, this.#length);
    this.#length += bytes.length;
  }

  #number(value: number, forceDouble = false): void {
    if (!forceDouble && isInt32(value)) {
      this.#byte(T.int32);
      this.#zigzag(value);
    } else {
      this.#byte(T.double);
      this.#double(value);
    }
  }

  #string(value: string): void {
    let oneByte = true;
    for (let i = 0; i < value.length && oneByte; i++) oneByte = value.charCodeAt(i) <= 0xff;
    if (oneByte) {
      this.#byte(T.oneByteString);
      this.#varint(value.length);
      this.#ensure(value.length);
      for (let i = 0; i < value.length; i++) this.#bytes[this.#length++] = value.charCodeAt(i);
      return;
    }
    const byteLength = value.length * 2;
    // V8 keeps two-byte characters at an even offset, padding before the tag when needed.
    if ((this.#length + 1 + varintSize(byteLength)) & 1) this.#byte(T.padding);
    this.#byte(T.twoByteString);
    this.#varint(byteLength);
    this.#ensure(byteLength);
    for (let i = 0; i < value.length; i++) {
      const unit = value.charCodeAt(i);
      this.#bytes[this.#length++] = unit & 0xff;
      this.#bytes[this.#length++] = unit >> 8;
    }
  }

  #bigint(value: bigint): void {
    const negative = value < 0n;
    let magnitude = negative ? -value : value;
    const bytes: number[] = [];
    while (magnitude > 0n) {
      bytes.push(Number(magnitude & 0xffn));
      magnitude >>= 8n;
    }
    // Whole 64-bit digits, as V8 stores them.
    while (bytes.length % 8 !== 0) bytes.push(0);
    this.#varint((bytes.length << 1) | (negative ? 1 : 0));
    this.#raw(Uint8Array.from(bytes));
  }

  #writeObject(value: unknown): void {
    switch (typeof value) {
      case "undefined":
        return this.#byte(T.undefined);
      case "boolean":
        return this.#byte(value ? T.true : T.false);
      case "number":
        return this.#number(value);
      case "bigint":
        this.#byte(T.bigint);
        return this.#bigint(value);
      case "string":
        return this.#string(value);
      case "symbol":
      case "function":
        throw this.#cloneError(`${describeUncloneable(value)} could not be cloned.`);
    }
    if (value === null) return this.#byte(T.null);
    this.#writeReceiver(value as object);
  }

  #writeReceiver(object: object): void {
    const id = this.#ids.get(object);
    if (id !== undefined) {
      this.#byte(T.objectReference);
      this.#varint(id);
      return;
    }
    const isView = ArrayBuffer.isView(object);
    // A natively encoded view is preceded by its buffer, which takes the id before the view's.
    if (isView && !this.#viewsAsHostObjects)
      this.#writeReceiver((object as ArrayBufferView).buffer);
    this.#ids.set(object, this.#nextId++);
    if (isView) {
      if (this.#viewsAsHostObjects) return this.#writeHostObject(object);
      return this.#writeView(object as ArrayBufferView);
    }
    if (hostObjects.has(object)) return this.#writeHostObject(object);
    if (Array.isArray(object)) return this.#writeArray(object);
    if (is(dateValue, object)) {
      this.#byte(T.date);
      return this.#double(dateValue(object) as number);
    }
    if (is(regExpSource, object)) {
      this.#byte(T.regExp);
      this.#string(regExpSource(object) as string);
      let bits = 0;
      for (const flag of regExpFlags(object) as string) bits |= REGEXP_FLAG_BITS[flag] ?? 0;
      return this.#varint(bits);
    }
    if (is(mapSize, object)) return this.#writeMap(object as Map<unknown, unknown>);
    if (is(setSize, object)) return this.#writeSet(object as Set<unknown>);
    if (is(arrayBufferLength, object))
      return this.#writeArrayBuffer(object as ResizableArrayBuffer);
    if (is(sharedArrayBufferLength, object)) return this.#writeSharedArrayBuffer(object);
    if (is(numberValue, object)) {
      this.#byte(T.numberObject);
      return this.#double(numberValue(object) as number);
    }
    if (is(stringValue, object)) {
      this.#byte(T.stringObject);
      return this.#string(stringValue(object) as string);
    }
    if (is(booleanValue, object))
      return this.#byte(booleanValue(object) ? T.trueObject : T.falseObject);
    if (is(bigintValue, object)) {
      this.#byte(T.bigintObject);
      return this.#bigint(bigintValue(object) as bigint);
    }
    if (isError(object)) return this.#writeError(object as Error);
    const tag = Object.prototype.toString.call(object).slice(8, -1);
    if (is(symbolValue, object) || UNCLONEABLE_TAGS.has(tag) || object === globalThis)
      throw this.#cloneError(`${describeUncloneable(object)} could not be cloned.`);
    this.#byte(T.beginObject);
    const count = this.#writeProperties(object, Object.keys(object));
    this.#byte(T.endObject);
    this.#varint(count);
  }

  /** key/value pairs; array-index keys go out as numbers, as V8 holds them. */
  #writeProperties(object: object, keys: string[]): number {
    for (const key of keys) {
      const index = arrayIndexKey(key);
      if (index === undefined) this.#string(key);
      else this.#number(index);
      this.#writeObject((object as Record<string, unknown>)[key]);
    }
    return keys.length;
  }

  #writeArray(array: unknown[]): void {
    const length = array.length;
    let dense = true;
    let doubles = length > 0;
    let fraction = false;
    for (let i = 0; i < length; i++) {
      if (!Object.hasOwn(array, i)) {
        dense = false;
        break;
      }
      const item = array[i];
      if (typeof item !== "number") doubles = false;
      else if (!isInt32(item)) fraction = true;
    }
    const named = Object.keys(array).filter((key) => arrayIndexKey(key) === undefined);
    if (!dense) {
      this.#byte(T.beginSparseArray);
      this.#varint(length);
      const count = this.#writeProperties(array, Object.keys(array));
      this.#byte(T.endSparseArray);
      this.#varint(count);
      this.#varint(length);
      return;
    }
    this.#byte(T.beginDenseArray);
    this.#varint(length);
    // An all-number array with any non-Int32 is a double array in V8: every element a double.
    const asDoubles = doubles && fraction;
    for (let i = 0; i < length; i++) {
      const item = array[i];
      if (asDoubles) this.#number(item as number, true);
      else this.#writeObject(item);
    }
    const count = this.#writeProperties(array, named);
    this.#byte(T.endDenseArray);
    this.#varint(count);
    this.#varint(length);
  }

  #writeMap(map: Map<unknown, unknown>): void {
    const entries = [...map];
    this.#byte(T.beginMap);
    for (const [key, item] of entries) {
      this.#writeObject(key);
      this.#writeObject(item);
    }
    this.#byte(T.endMap);
    this.#varint(entries.length * 2);
  }

  #writeSet(set: Set<unknown>): void {
    const items = [...set];
    this.#byte(T.beginSet);
    for (const item of items) this.#writeObject(item);
    this.#byte(T.endSet);
    this.#varint(items.length);
  }

  #writeArrayBuffer(buffer: ResizableArrayBuffer): void {
    const transfer = this.#transfers.get(buffer);
    if (transfer !== undefined) {
      this.#byte(T.arrayBufferTransfer);
      return this.#varint(transfer);
    }
    if (buffer.detached)
      throw this.#cloneError("An ArrayBuffer is detached and could not be cloned.");
    if (buffer.resizable) {
      this.#byte(T.resizableArrayBuffer);
      this.#varint(buffer.byteLength);
      this.#varint(buffer.maxByteLength);
    } else {
      this.#byte(T.arrayBuffer);
      this.#varint(buffer.byteLength);
    }
    this.#raw(new Uint8Array(buffer));
  }

  #writeSharedArrayBuffer(buffer: object): void {
    const getId = (this as { _getSharedArrayBufferId?: (sab: object) => number })
      ._getSharedArrayBufferId;
    // V8's own default delegate throws here, a plain Error whatever _getDataCloneError says.
    if (typeof getId !== "function") throw new Error("#<SharedArrayBuffer> could not be cloned.");
    const id = Number(getId.call(this, buffer)) >>> 0;
    this.#byte(T.sharedArrayBuffer);
    this.#varint(id);
  }

  #writeView(view: ArrayBufferView): void {
    const name = (typedArrayName(view) as string | undefined) ?? "DataView";
    const subtag = VIEW_SUBTAGS.find(([n]) => n === name)?.[1];
    if (subtag === undefined)
      throw this.#cloneError(`${describeUncloneable(view)} could not be cloned.`);
    this.#byte(T.arrayBufferView);
    this.#byte(subtag);
    this.#varint(view.byteOffset);
    this.#varint(view.byteLength);
    // Bit 1: backed by a resizable buffer. (Bit 0, length-tracking, is not visible from JS.)
    this.#varint((view.buffer as ResizableArrayBuffer).resizable ? 2 : 0);
  }

  #writeHostObject(object: object): void {
    this.#byte(T.hostObject);
    const write = (this as { _writeHostObject?: (object: object) => void })._writeHostObject;
    if (typeof write !== "function")
      throw this.#cloneError(`Unserializable host object: ${describeUncloneable(object)}`);
    write.call(this, object);
  }

  #writeError(error: Error): void {
    const message = Object.getOwnPropertyDescriptor(error, "message");
    const cause = Object.getOwnPropertyDescriptor(error, "cause");
    this.#byte(T.error);
    const name = String(error.name);
    const subtag = ERROR_SUBTAGS.find(([n]) => n === name)?.[1];
    if (subtag !== undefined) this.#varint(subtag);
    if (message && "value" in message) {
      this.#varint(E.message);
      this.#string(String(message.value));
    }
    const stack = error.stack;
    if (typeof stack === "string") {
      this.#varint(E.stack);
      this.#string(stack);
    }
    if (cause && "value" in cause) {
      this.#varint(E.cause);
      this.#writeObject(cause.value);
    }
    this.#varint(E.end);
  }
}

// On the prototype, as in Node, so a subclass or an instance can replace it.
Serializer.prototype._getDataCloneError = Error;

function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

function cloneDataError(): Error {
  return new Error("Unable to deserialize cloned data.");
}

const sharedBuffers = new WeakMap<Deserializer, SharedArrayBuffer[]>();

/** The SharedArrayBuffers a thread message shares, by the ids its serializer gave them. */
export function provideSharedArrayBuffers(
  deserializer: Deserializer,
  buffers: SharedArrayBuffer[],
): void {
  sharedBuffers.set(deserializer, buffers);
}

export class Deserializer {
  readonly buffer: ArrayBufferView;
  #bytes: Uint8Array;
  #position = 0;
  #version = 0;
  #objects = new Map<number, unknown>();
  #nextId = 0;
  #transfers = new Map<number, ArrayBufferLike>();

  constructor(buffer: ArrayBufferView) {
    if (!ArrayBuffer.isView(buffer)) {
      const error = new TypeError("buffer must be a TypedArray or a DataView") as TypeError & {
        code: string;
      };
      error.code = "ERR_INVALID_ARG_TYPE";
      throw error;
    }
    this.buffer = buffer;
    this.#bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  readHeader(): boolean {
    if (this.#bytes[this.#position] === T.version) {
      this.#position++;
      this.#version = this.#readVarint();
      if (this.#version > LATEST_VERSION || this.#version < 13)
        throw new Error("Unable to deserialize cloned data due to invalid or unsupported version.");
    }
    return true;
  }

  getWireFormatVersion(): number {
    return this.#version;
  }

  readValue(): unknown {
    return this.#readObject();
  }

  transferArrayBuffer(id: number, arrayBuffer: ArrayBufferLike): void {
    if (!is(arrayBufferLength, arrayBuffer) && !is(sharedArrayBufferLength, arrayBuffer))
      throw nativeArgTypeError("arrayBuffer must be an ArrayBuffer or SharedArrayBuffer");
    // Node hands a SharedArrayBuffer to V8, which no longer reads it back: a shared buffer in
    // the data fails to deserialize whatever was transferred.
    if (is(arrayBufferLength, arrayBuffer)) this.#transfers.set(id >>> 0, arrayBuffer);
  }

  readUint32(): number {
    return Number(this.#readVarint()) >>> 0;
  }

  readUint64(): [number, number] {
    const value = this.#readVarintBig();
    return [Number((value >> 32n) & 0xffffffffn), Number(value & 0xffffffffn)];
  }

  readDouble(): number {
    const bytes = this.#take(8);
    return new DataView(bytes.buffer, bytes.byteOffset, 8).getFloat64(0, true);
  }

  /** Skips `length` raw bytes and returns their offset in `this.buffer`. */
  _readRawBytes(length: number): number {
    const offset = this.#position;
    this.#take(Number(length));
    return offset;
  }

  readRawBytes(length: number): Buffer {
    const offset = this._readRawBytes(length);
    return Buffer.from(this.buffer.buffer, this.buffer.byteOffset + offset, Number(length));
  }

  #take(length: number): Uint8Array {
    if (!(length >= 0) || this.#position + length > this.#bytes.length) throw cloneDataError();
    const out = this.#bytes.subarray(this.#position, this.#position + length);
    this.#position += length;
    return out;
  }

  #readByte(): number {
    if (this.#position >= this.#bytes.length) throw cloneDataError();
    return this.#bytes[this.#position++];
  }

  #readVarintBig(): bigint {
    let value = 0n;
    let shift = 0n;
    for (;;) {
      const byte = this.#readByte();
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return value;
      shift += 7n;
      if (shift > 70n) throw cloneDataError();
    }
  }

  #readVarint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.#readByte();
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
      if (scale > 2 ** 63) throw cloneDataError();
    }
  }

  #readTag(): number {
    let tag: number;
    do tag = this.#readByte();
    while (tag === T.padding);
    return tag;
  }

  #peekTag(): number | undefined {
    let at = this.#position;
    while (at < this.#bytes.length && this.#bytes[at] === T.padding) at++;
    return this.#bytes[at];
  }

  #expectTag(tag: number): boolean {
    if (this.#peekTag() !== tag) return false;
    this.#readTag();
    return true;
  }

  #readString(tag: number): string {
    const length = this.#readVarint();
    const bytes = this.#take(length);
    if (tag === T.utf8String) return new TextDecoder().decode(bytes);
    let out = "";
    if (tag === T.oneByteString) {
      for (let i = 0; i < bytes.length; i += 8192)
        out += String.fromCharCode(...bytes.subarray(i, i + 8192));
      return out;
    }
    if (length % 2 !== 0) throw cloneDataError();
    const units: number[] = [];
    for (let i = 0; i < length; i += 2) {
      units.push(bytes[i] | (bytes[i + 1] << 8));
      if (units.length === 8192) {
        out += String.fromCharCode(...units);
        units.length = 0;
      }
    }
    return out + String.fromCharCode(...units);
  }

  #readStringValue(): string {
    const tag = this.#readTag();
    if (tag !== T.oneByteString && tag !== T.twoByteString && tag !== T.utf8String)
      throw cloneDataError();
    return this.#readString(tag);
  }

  #readBigInt(): bigint {
    const bitfield = this.#readVarint();
    const bytes = this.#take(Math.floor(bitfield / 2));
    let value = 0n;
    for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
    return bitfield & 1 ? -value : value;
  }

  #register<V>(id: number, value: V): V {
    this.#objects.set(id, value);
    return value;
  }

  #readObject(): unknown {
    const tag = this.#readTag();
    const value = this.#readObjectWithTag(tag);
    // A buffer followed by a view record is the view's backing store.
    if (
      (tag === T.arrayBuffer ||
        tag === T.resizableArrayBuffer ||
        tag === T.arrayBufferTransfer ||
        tag === T.sharedArrayBuffer ||
        // A second view of a shared buffer refers back to it.
        (tag === T.objectReference && is(sharedArrayBufferLength, value))) &&
      this.#peekTag() === T.arrayBufferView
    ) {
      this.#readTag();
      return this.#readView(value as ArrayBuffer);
    }
    return value;
  }

  #readObjectWithTag(tag: number): unknown {
    switch (tag) {
      case T.undefined:
        return undefined;
      case T.null:
        return null;
      case T.true:
        return true;
      case T.false:
        return false;
      case T.int32: {
        const zigzag = this.#readVarint() >>> 0;
        return (zigzag >>> 1) ^ -(zigzag & 1);
      }
      case T.uint32:
        return this.#readVarint() >>> 0;
      case T.double:
        return this.readDouble();
      case T.bigint:
        return this.#readBigInt();
      case T.utf8String:
      case T.oneByteString:
      case T.twoByteString:
        return this.#readString(tag);
      case T.objectReference: {
        const id = this.#readVarint();
        if (!this.#objects.has(id)) throw cloneDataError();
        return this.#objects.get(id);
      }
      case T.beginObject: {
        const object = this.#register(this.#nextId++, {});
        const count = this.#readProperties(object, T.endObject);
        if (this.#readVarint() !== count) throw cloneDataError();
        return object;
      }
      case T.beginDenseArray:
        return this.#readDenseArray();
      case T.beginSparseArray: {
        const length = this.#readVarint();
        const array = this.#register(this.#nextId++, new Array(length));
        const count = this.#readProperties(array, T.endSparseArray);
        if (this.#readVarint() !== count) throw cloneDataError();
        if (this.#readVarint() !== length) throw cloneDataError();
        return array;
      }
      case T.date: {
        const id = this.#nextId++;
        return this.#register(id, new Date(this.readDouble()));
      }
      case T.trueObject:
      case T.falseObject:
        return this.#register(this.#nextId++, Object(tag === T.trueObject));
      case T.numberObject: {
        const id = this.#nextId++;
        return this.#register(id, Object(this.readDouble()));
      }
      case T.bigintObject: {
        const id = this.#nextId++;
        return this.#register(id, Object(this.#readBigInt()));
      }
      case T.stringObject: {
        const id = this.#nextId++;
        return this.#register(id, Object(this.#readStringValue()));
      }
      case T.regExp: {
        const id = this.#nextId++;
        const source = this.#readStringValue();
        const bits = this.#readVarint();
        let flags = "";
        for (const flag of "dgilmsuvy") if (bits & REGEXP_FLAG_BITS[flag]) flags += flag;
        try {
          return this.#register(id, new RegExp(source, flags));
        } catch {
          throw cloneDataError();
        }
      }
      case T.beginMap: {
        const map = this.#register(this.#nextId++, new Map());
        let read = 0;
        while (!this.#expectTag(T.endMap)) {
          const key = this.#readObject();
          map.set(key, this.#readObject());
          read += 2;
        }
        if (this.#readVarint() !== read) throw cloneDataError();
        return map;
      }
      case T.beginSet: {
        const set = this.#register(this.#nextId++, new Set());
        let read = 0;
        while (!this.#expectTag(T.endSet)) {
          set.add(this.#readObject());
          read++;
        }
        if (this.#readVarint() !== read) throw cloneDataError();
        return set;
      }
      case T.arrayBuffer: {
        const id = this.#nextId++;
        const length = this.#readVarint();
        return this.#register(id, this.#take(length).slice().buffer);
      }
      case T.resizableArrayBuffer: {
        const id = this.#nextId++;
        const length = this.#readVarint();
        const maxByteLength = this.#readVarint();
        if (length > maxByteLength) throw cloneDataError();
        const buffer = new ResizableArrayBuffer(length, { maxByteLength });
        new Uint8Array(buffer).set(this.#take(length));
        return this.#register(id, buffer);
      }
      case T.sharedArrayBuffer: {
        // Node's deserializer has no way back from an id to a shared buffer; only the guest's
        // thread messages provide one (sharedArrayBuffersFor).
        const buffer = sharedBuffers.get(this)?.[this.#readVarint()];
        if (!buffer) throw cloneDataError();
        return this.#register(this.#nextId++, buffer);
      }
      case T.arrayBufferTransfer: {
        const id = this.#nextId++;
        const buffer = this.#transfers.get(this.#readVarint());
        if (!buffer) throw cloneDataError();
        return this.#register(id, buffer);
      }
      case T.error:
        return this.#readError();
      case T.hostObject: {
        const id = this.#nextId++;
        const read = (this as { _readHostObject?: () => unknown })._readHostObject;
        if (typeof read !== "function") throw cloneDataError();
        const object = read.call(this);
        if (object === null || typeof object !== "object") throw cloneDataError();
        return this.#register(id, object);
      }
      default:
        throw cloneDataError();
    }
  }

  #readDenseArray(): unknown[] {
    const length = this.#readVarint();
    if (length > this.#bytes.length - this.#position) throw cloneDataError();
    const array = this.#register(this.#nextId++, new Array(length));
    for (let i = 0; i < length; i++) {
      if (this.#expectTag(T.theHole)) continue;
      array[i] = this.#readObject();
    }
    const count = this.#readProperties(array, T.endDenseArray);
    if (this.#readVarint() !== count) throw cloneDataError();
    if (this.#readVarint() !== length) throw cloneDataError();
    return array;
  }

  #readProperties(object: object, endTag: number): number {
    let count = 0;
    while (!this.#expectTag(endTag)) {
      const key = this.#readObject();
      if (typeof key !== "string" && typeof key !== "number") throw cloneDataError();
      const value = this.#readObject();
      Object.defineProperty(object, key, {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
      count++;
    }
    return count;
  }

  #readView(buffer: ArrayBuffer): unknown {
    const id = this.#nextId++;
    const subtag = this.#readByte();
    const byteOffset = this.#readVarint();
    const byteLength = this.#readVarint();
    if (this.#version >= 14) this.#readVarint();
    const Ctor = VIEW_SUBTAGS.find(([, tag]) => tag === subtag)?.[2];
    if (!Ctor || byteOffset + byteLength > buffer.byteLength) throw cloneDataError();
    const size = (Ctor as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
    if (byteOffset % size !== 0 || byteLength % size !== 0) throw cloneDataError();
    return this.#register(id, new Ctor(buffer, byteOffset, byteLength / size));
  }

  #readError(): Error {
    const id = this.#nextId++;
    let Ctor: ErrorConstructor = Error;
    let message: string | undefined;
    let stack: string | undefined;
    let cause: { value: unknown } | undefined;
    for (;;) {
      const subtag = this.#readVarint();
      if (subtag === E.end) break;
      const type = ERROR_SUBTAGS.find(([, tag]) => tag === subtag);
      if (type) Ctor = type[2];
      else if (subtag === E.message) message = this.#readStringValue();
      else if (subtag === E.stack) stack = this.#readStringValue();
      else if (subtag === E.cause) cause = { value: this.#readObject() };
      else throw cloneDataError();
    }
    const error = message === undefined ? new Ctor() : new Ctor(message);
    error.stack = stack as string;
    if (cause) {
      Object.defineProperty(error, "cause", {
        value: cause.value,
        writable: true,
        enumerable: false,
        configurable: true,
      });
    }
    return this.#register(id, error);
  }
}
