/**
 * How util.inspect shows a Buffer, as Node does: at most `buffer.INSPECT_MAX_BYTES` bytes in hex,
 * then "... N more bytes", then the buffer's own non-index properties. The `buffer` package's
 * version prints a bare "..." and no properties.
 */
import { Buffer } from "buffer";
import { inspect } from "node-inspect-extracted";

let maxBytes = 50;

/** buffer.INSPECT_MAX_BYTES (an accessor on node:buffer, so programs can change it). */
export const inspectMaxBytes = {
  get: (): number => maxBytes,
  set: (value: unknown): void => {
    if (typeof value !== "number" || Number.isNaN(value) || value < 0) {
      const error = new RangeError(
        `The value of "INSPECT_MAX_BYTES" is out of range. It must be >= 0. Received ${String(value)}`,
      ) as RangeError & { code: string };
      error.code = "ERR_OUT_OF_RANGE";
      throw error;
    }
    maxBytes = value;
  },
};

const isIndex = (key: string) => /^(0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;

function inspectBuffer(
  this: Uint8Array,
  _depth: number,
  options?: Record<string, unknown>,
): string {
  const shown = Math.min(maxBytes, this.length);
  const hex = (
    Buffer.prototype.hexSlice as (this: Uint8Array, s: number, e: number) => string
  ).call(this, 0, shown);
  let text = hex.replace(/(.{2})/g, "$1 ").trim();
  const remaining = this.length - maxBytes;
  if (remaining > 0) text += ` ... ${remaining} more byte${remaining > 1 ? "s" : ""}`;
  if (options) {
    const keys = (options.showHidden ? Object.getOwnPropertyNames(this) : Object.keys(this)).filter(
      (key) => !isIndex(key),
    );
    if (keys.length > 0) {
      const extras: Record<string, unknown> = Object.create(null);
      for (const key of keys) extras[key] = (this as unknown as Record<string, unknown>)[key];
      if (this.length !== 0) text += ", ";
      // "[Object: null prototype] {" is 26 characters plus a space; the tail is " }".
      text += inspect(extras, {
        ...options,
        breakLength: Number.POSITIVE_INFINITY,
        compact: true,
      }).slice(27, -2);
    }
  }
  return `<${this.constructor.name} ${text}>`;
}

let installed = false;

export function installBufferInspect(): void {
  if (installed) return;
  installed = true;
  Object.defineProperty(Buffer.prototype, Symbol.for("nodejs.util.inspect.custom"), {
    value: inspectBuffer,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  (Buffer.prototype as unknown as { inspect: unknown }).inspect = inspectBuffer;
}
