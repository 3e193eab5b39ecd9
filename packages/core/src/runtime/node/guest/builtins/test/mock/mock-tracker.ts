/**
 * `mock` (and `t.mock`): spies and stubs. `mock.fn()` makes a function that records every call
 * (`fn.mock.calls`: arguments, result, error, this, target, stack); `mock.method()` (and
 * `getter`/`setter`) puts one in place of an object's method until restored; `mock.timers`
 * fakes the clock. A test's `t.mock` is reset when the test ends.
 */
import { codedError, invalidArgType, notSupported } from "../../../errors.ts";
import { MockPropertyContext } from "./mock-property.ts";
import { MockTimers } from "./mock-timers.ts";

type AnyFunction = (...args: unknown[]) => unknown;

function defaultImplementation(): void {}

export interface MockCall {
  arguments: unknown[];
  error: unknown;
  result: unknown;
  stack: Error;
  target: unknown;
  this: unknown;
}

interface RestoreInfo {
  original?: AnyFunction;
  descriptor?: PropertyDescriptor;
  object?: object;
  methodName?: string | symbol;
}

function invalidArgValue(name: string, value: unknown, reason: string): TypeError {
  return codedError(
    TypeError,
    "ERR_INVALID_ARG_VALUE",
    `The ${name.includes(".") ? "property" : "argument"} '${name}' ${reason}. Received ${describe(value)}`,
  );
}

function describe(value: unknown): string {
  if (typeof value === "function") return `[Function: ${value.name || "(anonymous)"}]`;
  if (typeof value === "string") return `'${value}'`;
  return String(value);
}

function validateFunction(value: unknown, name: string): asserts value is AnyFunction {
  if (typeof value !== "function") throw invalidArgType(name, "of type function", value);
}

function validateObject(value: unknown, name: string): asserts value is object {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw invalidArgType(name, "of type object", value);
  }
}

function validateTimes(value: unknown, name: string): void {
  if (value === Number.POSITIVE_INFINITY) return;
  if (typeof value !== "number") throw invalidArgType(name, "of type number", value);
  if (!Number.isInteger(value) || value < 1) {
    throw codedError(
      RangeError,
      "ERR_OUT_OF_RANGE",
      `The value of "${name}" is out of range. It must be ${Number.isInteger(value) ? ">= 1 && <= 9007199254740991" : "an integer"}. Received ${value}`,
    );
  }
}

export class MockFunctionContext {
  #calls: MockCall[] = [];
  #onceImplementations = new Map<number, AnyFunction>();
  #implementation: AnyFunction;
  #restore: RestoreInfo;
  #times: number;

  constructor(implementation: AnyFunction, restore: RestoreInfo, times: number) {
    this.#implementation = implementation;
    this.#restore = restore;
    this.#times = times;
  }

  get calls(): MockCall[] {
    return this.#calls.slice();
  }

  callCount(): number {
    return this.#calls.length;
  }

  mockImplementation(implementation: unknown): void {
    validateFunction(implementation, "implementation");
    this.#implementation = implementation;
  }

  mockImplementationOnce(implementation: unknown, onCall?: unknown): void {
    validateFunction(implementation, "implementation");
    const nextCall = this.#calls.length;
    const call = onCall ?? nextCall;
    if (typeof call !== "number") throw invalidArgType("onCall", "of type number", call);
    if (!Number.isInteger(call) || call < nextCall) {
      throw codedError(
        RangeError,
        "ERR_OUT_OF_RANGE",
        `The value of "onCall" is out of range. It must be >= ${nextCall} && <= 9007199254740991. Received ${call}`,
      );
    }
    this.#onceImplementations.set(call, implementation);
  }

  restore(): void {
    const { descriptor, object, original, methodName } = this.#restore;
    if (methodName !== undefined && object && descriptor) {
      Object.defineProperty(object, methodName, descriptor);
    } else if (original) {
      // A bare function mock cannot be unplugged: it calls the original from now on.
      this.#implementation = original;
    }
  }

  resetCalls(): void {
    this.#calls = [];
  }

  /** The implementation for the next call (a one-time one first); restores after `times`. */
  nextImplementation(): AnyFunction {
    const nextCall = this.#calls.length;
    const implementation = this.#onceImplementations.get(nextCall) ?? this.#implementation;
    if (nextCall + 1 === this.#times) this.restore();
    this.#onceImplementations.delete(nextCall);
    return implementation;
  }

  trackCall(call: MockCall): void {
    this.#calls.push(call);
  }
}

// Not part of the public surface of `fn.mock` (Node hides them the same way).
const { nextImplementation, trackCall } = MockFunctionContext.prototype;
delete (MockFunctionContext.prototype as Partial<MockFunctionContext>).nextImplementation;
delete (MockFunctionContext.prototype as Partial<MockFunctionContext>).trackCall;

/**
 * One call of a mock (plain or with `new`): runs the implementation due and records the call,
 * whether it returned or threw. `thisOf` gives what the record shows as `this` (for `new`, the
 * instance made).
 */
function callTracked(
  ctx: MockFunctionContext,
  argList: unknown[],
  target: unknown,
  invoke: (impl: AnyFunction) => unknown,
  thisOf: (result: unknown) => unknown,
): unknown {
  const impl = nextImplementation.call(ctx);
  let result: unknown;
  let error: unknown;
  try {
    result = invoke(impl);
  } catch (err) {
    error = err;
    throw err;
  } finally {
    // The stack starts at the proxy trap that called this, as Node's does.
    const stack = new Error();
    Error.captureStackTrace(stack, callTracked);
    trackCall.call(ctx, {
      __proto__: null,
      arguments: argList,
      error,
      result,
      stack,
      target,
      this: thisOf(result),
    });
  }
  return result;
}

function findDescriptor(object: object, name: string | symbol): PropertyDescriptor | undefined {
  for (let host: object | null = object; host !== null; host = Object.getPrototypeOf(host)) {
    const descriptor = Object.getOwnPropertyDescriptor(host, name);
    if (descriptor) return descriptor;
  }
  return undefined;
}

/** Anything `restoreAll()` puts back. */
interface Restorable {
  restore(): void;
}

export class MockTracker {
  #mocks: Restorable[] = [];
  #timers: MockTimers | undefined;

  get timers(): MockTimers {
    this.#timers ??= new MockTimers();
    return this.#timers;
  }

  fn(
    original: unknown = () => {},
    implementation: unknown = original,
    options: unknown = {},
  ): AnyFunction {
    if (original !== null && typeof original === "object") {
      options = original;
      original = () => {};
      implementation = original;
    } else if (implementation !== null && typeof implementation === "object") {
      options = implementation;
      implementation = original;
    }
    validateFunction(original, "original");
    validateFunction(implementation, "implementation");
    validateObject(options, "options");
    const { times = Number.POSITIVE_INFINITY } = options as { times?: unknown };
    validateTimes(times, "options.times");
    const ctx = new MockFunctionContext(implementation, { original }, times as number);
    return this.#setupMock(ctx, original);
  }

  method(
    objectOrFunction: unknown,
    methodName: unknown,
    implementation: unknown = defaultImplementation,
    options: unknown = {},
  ): AnyFunction {
    if (typeof methodName !== "string" && typeof methodName !== "symbol") {
      throw invalidArgType("methodName", "of type string or symbol", methodName);
    }
    if (typeof objectOrFunction !== "function") validateObject(objectOrFunction, "object");
    if (implementation !== null && typeof implementation === "object") {
      options = implementation;
      implementation = defaultImplementation;
    }
    validateFunction(implementation, "implementation");
    validateObject(options, "options");
    const {
      getter = false,
      setter = false,
      times = Number.POSITIVE_INFINITY,
    } = options as { getter?: unknown; setter?: unknown; times?: unknown };
    if (typeof getter !== "boolean")
      throw invalidArgType("options.getter", "of type boolean", getter);
    if (typeof setter !== "boolean")
      throw invalidArgType("options.setter", "of type boolean", setter);
    validateTimes(times, "options.times");
    if (getter && setter) {
      throw invalidArgValue("options.setter", setter, "cannot be used with 'options.getter'");
    }
    const target = objectOrFunction as object;
    const descriptor = findDescriptor(target, methodName);
    const original = getter ? descriptor?.get : setter ? descriptor?.set : descriptor?.value;
    if (typeof original !== "function") {
      throw invalidArgValue("methodName", original, "must be a method");
    }
    const impl = implementation === defaultImplementation ? original : implementation;
    const ctx = new MockFunctionContext(
      impl as AnyFunction,
      { descriptor, object: target, methodName },
      times as number,
    );
    const mock = this.#setupMock(ctx, original as AnyFunction);
    const mockDescriptor: PropertyDescriptor = {
      configurable: descriptor?.configurable,
      enumerable: descriptor?.enumerable,
    };
    if (getter) {
      mockDescriptor.get = mock;
      mockDescriptor.set = descriptor?.set;
    } else if (setter) {
      mockDescriptor.get = descriptor?.get;
      mockDescriptor.set = mock;
    } else {
      mockDescriptor.writable = descriptor?.writable;
      mockDescriptor.value = mock;
    }
    Object.defineProperty(target, methodName, mockDescriptor);
    return mock;
  }

  getter(
    object: unknown,
    methodName: unknown,
    implementation: unknown = defaultImplementation,
    options: unknown = {},
  ): AnyFunction {
    return this.#accessor("getter", object, methodName, implementation, options);
  }

  setter(
    object: unknown,
    methodName: unknown,
    implementation: unknown = defaultImplementation,
    options: unknown = {},
  ): AnyFunction {
    return this.#accessor("setter", object, methodName, implementation, options);
  }

  /**
   * getter() and setter(): method() with that option forced on (an object in the implementation's
   * place is the options).
   */
  #accessor(
    kind: "getter" | "setter",
    object: unknown,
    methodName: unknown,
    implementation: unknown,
    options: unknown,
  ): AnyFunction {
    if (implementation !== null && typeof implementation === "object") {
      options = implementation;
      implementation = defaultImplementation;
    } else {
      validateObject(options, "options");
    }
    const { [kind]: flag = true } = options as Record<string, unknown>;
    if (flag === false) throw invalidArgValue(`options.${kind}`, flag, "cannot be false");
    return this.method(object, methodName, implementation, {
      ...(options as object),
      [kind]: flag,
    });
  }

  property(object: unknown, propertyName: unknown, ...value: [unknown?]): object {
    validateObject(object, "object");
    if (typeof propertyName !== "string" && typeof propertyName !== "symbol") {
      throw invalidArgType("propertyName", "of type string or symbol", propertyName);
    }
    const ctx = new MockPropertyContext(object, propertyName, ...value);
    this.#mocks.push(ctx);
    return new Proxy(object, {
      get(target, property, receiver) {
        if (property === "mock") return ctx;
        return Reflect.get(target, property, receiver);
      },
    });
  }

  module(): never {
    throw notSupported("mock.module() (module mocking)");
  }

  reset(): void {
    this.restoreAll();
    this.#timers?.reset();
    this.#mocks = [];
  }

  restoreAll(): void {
    for (const ctx of this.#mocks) ctx.restore();
  }

  #setupMock(ctx: MockFunctionContext, fnToMatch: AnyFunction): AnyFunction {
    const mock = new Proxy(fnToMatch, {
      apply(_fn, thisArg, argList) {
        return callTracked(
          ctx,
          argList,
          undefined,
          (impl) => Reflect.apply(impl, thisArg, argList),
          () => thisArg,
        );
      },
      construct(target, argList, newTarget) {
        return callTracked(
          ctx,
          argList,
          target,
          (impl) => Reflect.construct(impl, argList, newTarget),
          (instance) => instance,
        ) as object;
      },
      get(target, property, receiver) {
        if (property === "mock") return ctx;
        return Reflect.get(target, property, receiver);
      },
    });
    this.#mocks.push(ctx);
    return mock;
  }
}
