/** Node-shaped errors for the guest: system errors with code/errno/syscall/path, coded errors. */
import type { HostErrorData } from "./host.ts";

const ERROR_TYPES: Record<string, ErrorConstructor> = {
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
};

/** fatal.ts's THROW_SITE: a registered symbol, so that this file need not import fatal.ts. */
const THROW_SITE = Symbol.for("agentos.throwSite");

/** Rebuilds an error the host reported. Stack frames are the guest's (where the call was). */
export function systemError(data: HostErrorData): Error {
  const Type = (data.name && ERROR_TYPES[data.name]) || Error;
  const error = new Type(data.message) as Error & Record<string, unknown>;
  if (data.errno !== undefined) error.errno = data.errno;
  if (data.code !== undefined) error.code = data.code;
  if (data.syscall !== undefined) error.syscall = data.syscall;
  if (data.path !== undefined) error.path = data.path;
  if (data.dest !== undefined) error.dest = data.dest;
  if (data.url !== undefined) error.url = data.url;
  // A compile error's "file:line / source / ^^^" header, printed if it ends the process.
  if (data.arrow !== undefined)
    Object.defineProperty(error, THROW_SITE, { value: data.arrow, configurable: true });
  if (data.stack !== undefined) error.stack = data.stack;
  else if (data.code?.startsWith("ERR_") && typeof error.stack === "string") {
    // Node's own errors show their code in the stack header: "TypeError [ERR_X]: message".
    error.stack = error.stack.replace(/^([A-Za-z]*Error)/, `$1 [${data.code}]`);
  }
  return error;
}

/** An error with a Node `code`, whose name shows the code as Node's do: `TypeError [CODE]`. */
export function codedError<T extends ErrorConstructor>(
  Type: T,
  code: string,
  message: string,
): InstanceType<T> & { code: string } {
  const error = new Type(message) as InstanceType<T> & { code: string };
  Object.defineProperty(error, "code", {
    value: code,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  // Node's stack header reads "TypeError [ERR_X]: message"; the name stays "TypeError".
  if (typeof error.stack === "string") {
    error.stack = error.stack.replace(/^([A-Za-z]*Error)/, `$1 [${code}]`);
  }
  return error;
}

export function invalidArgType(name: string, expected: string, actual: unknown): TypeError {
  return codedError(
    TypeError,
    "ERR_INVALID_ARG_TYPE",
    `The "${name}" argument must be ${expected}. Received ${describeReceived(actual)}`,
  );
}

export function notSupported(what: string): Error {
  return codedError(
    Error,
    "ERR_AGENTOS_NOT_SUPPORTED",
    `${what} is not supported in the agentOS VM`,
  );
}

/** How Node's ERR_INVALID_ARG_TYPE describes the value it got. */
export function describeReceived(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "function") return `function ${value.name || "<anonymous>"}`;
  if (typeof value === "object") {
    const name = (value as object).constructor?.name;
    return name ? `an instance of ${name}` : "[Object: null prototype]";
  }
  let shown = String(value);
  if (typeof value === "string") {
    if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
    shown = `'${shown}'`;
  }
  if (typeof value === "bigint") shown += "n";
  return `type ${typeof value} (${shown})`;
}
