/**
 * `mock.property(object, name[, value])`: replaces a data property with an accessor that returns
 * the mocked value and records every get and set (`proxy.mock.accesses`), until restored.
 */
import { codedError } from "../../../errors.ts";

export interface PropertyAccess {
  type: "get" | "set";
  value: unknown;
  stack: Error;
}

function invalidPropertyName(name: string | symbol, reason: string): TypeError {
  const shown = typeof name === "string" ? `'${name}'` : String(name);
  return codedError(
    TypeError,
    "ERR_INVALID_ARG_VALUE",
    `The argument 'propertyName' ${reason}. Received ${shown}`,
  );
}

export class MockPropertyContext {
  #object: object;
  #name: string | symbol;
  #value: unknown;
  #original: unknown;
  #descriptor: PropertyDescriptor;
  #accesses: PropertyAccess[] = [];
  #onceValues = new Map<number, unknown>();

  constructor(object: object, name: string | symbol, ...value: [unknown?]) {
    this.#object = object;
    this.#name = name;
    this.#original = (object as Record<string | symbol, unknown>)[name];
    this.#value = value.length > 0 ? value[0] : this.#original;
    const descriptor = Object.getOwnPropertyDescriptor(object, name);
    if (!descriptor) throw invalidPropertyName(name, "is not a property of the object");
    this.#descriptor = descriptor;
    Object.defineProperty(object, name, {
      configurable: descriptor.configurable,
      enumerable: descriptor.enumerable,
      get: () => {
        const next = this.#accessValue(this.#value);
        this.#accesses.push({
          __proto__: null,
          type: "get",
          value: next,
          stack: new Error(),
        } as PropertyAccess);
        return next;
      },
      set: this.mockImplementation.bind(this),
    });
  }

  get accesses(): PropertyAccess[] {
    return this.#accesses.slice();
  }

  accessCount(): number {
    return this.#accesses.length;
  }

  mockImplementation(value: unknown): void {
    if (!this.#descriptor.writable) throw invalidPropertyName(this.#name, "cannot be set");
    const next = this.#accessValue(value);
    this.#accesses.push({
      __proto__: null,
      type: "set",
      value: next,
      stack: new Error(),
    } as PropertyAccess);
    this.#value = next;
  }

  /** The value for this access: a one-time value when one was set for it. */
  #accessValue(value: unknown): unknown {
    const index = this.#accesses.length;
    if (!this.#onceValues.has(index)) return value;
    const once = this.#onceValues.get(index);
    this.#onceValues.delete(index);
    return once;
  }

  mockImplementationOnce(value: unknown, onAccess?: unknown): void {
    const nextAccess = this.#accesses.length;
    const index = onAccess ?? nextAccess;
    if (typeof index !== "number" || !Number.isInteger(index) || index < nextAccess) {
      throw codedError(
        RangeError,
        "ERR_OUT_OF_RANGE",
        `The value of "onAccess" is out of range. It must be >= ${nextAccess} && <= 9007199254740991. Received ${String(index)}`,
      );
    }
    this.#onceValues.set(index, value);
  }

  resetAccesses(): void {
    this.#accesses = [];
  }

  restore(): void {
    Object.defineProperty(this.#object, this.#name, {
      ...this.#descriptor,
      value: this.#original,
    });
  }
}
