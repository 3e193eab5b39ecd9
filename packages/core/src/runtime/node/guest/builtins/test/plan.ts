/**
 * `t.plan(count, { wait })`: the number of assertions and subtests a test expects. Checked when
 * the test's function has finished; with `wait` the check waits (forever, or up to `wait` ms) for
 * the remaining ones.
 */
import { codedError, invalidArgType } from "../../errors.ts";
// The guest's own timers: mock.timers replaces the global and node:timers ones.
import { clearTimeout, setTimeout } from "../../timers.ts";
import { FailureType, testFailure } from "./failure.ts";

const TIMEOUT_MAX = 2 ** 31 - 1;

function validateUint32(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number") throw invalidArgType(name, "of type number", value);
  if (!Number.isInteger(value)) {
    throw codedError(
      RangeError,
      "ERR_OUT_OF_RANGE",
      `The value of "${name}" is out of range. It must be an integer. Received ${value}`,
    );
  }
  if (value < 0 || value > 4294967295) {
    throw codedError(
      RangeError,
      "ERR_OUT_OF_RANGE",
      `The value of "${name}" is out of range. It must be >= 0 && <= 4294967295. Received ${value}`,
    );
  }
}

export class TestPlan {
  readonly expected: number;
  actual = 0;
  readonly wait: boolean | number | undefined;
  #pending: { promise: Promise<void>; resolve(): void; reject(error: unknown): void } | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(count: unknown, options: unknown = {}) {
    validateUint32(count, "count");
    if (options === null || typeof options !== "object") {
      throw invalidArgType("options", "of type object", options);
    }
    const { wait } = options as { wait?: unknown };
    if (typeof wait === "number") {
      if (wait < 0 || wait > TIMEOUT_MAX) {
        throw codedError(
          RangeError,
          "ERR_OUT_OF_RANGE",
          `The value of "options.wait" is out of range. It must be >= 0 && <= ${TIMEOUT_MAX}. Received ${wait}`,
        );
      }
    } else if (wait !== undefined && typeof wait !== "boolean") {
      throw invalidArgType("options.wait", "of type boolean or number", wait);
    }
    this.expected = count;
    this.wait = wait as boolean | number | undefined;
  }

  /** Undefined when the plan is met; a promise when it waits; throws when it failed. */
  check(): Promise<void> | undefined {
    if (this.actual === this.expected) {
      if (this.#timer !== null) clearTimeout(this.#timer);
      this.#timer = null;
      this.#pending?.resolve();
      this.#pending = null;
      return undefined;
    }
    if (this.wait === undefined || this.wait === false) {
      throw testFailure(
        `plan expected ${this.expected} assertions but received ${this.actual}`,
        FailureType.testCodeFailure,
      );
    }
    if (!this.#pending) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<void>((ok, fail) => {
        resolve = ok;
        reject = fail;
      });
      this.#pending = { promise, resolve, reject };
      if (typeof this.wait === "number") {
        const wait = this.wait;
        this.#timer = setTimeout(() => {
          reject(
            testFailure(
              `plan timed out after ${wait}ms with ${this.actual} assertions when expecting ${this.expected}`,
              FailureType.testTimeoutFailure,
            ),
          );
        }, wait);
      }
    }
    return this.#pending.promise;
  }

  count(): void {
    this.actual++;
    if (this.#pending) this.check();
  }
}
