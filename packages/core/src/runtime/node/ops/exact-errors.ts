/**
 * Crypto and zlib errors come from the host's own node:crypto and node:zlib, and guests look at
 * more of them than a system error carries: OpenSSL's `library`/`reason`/`opensslErrorStack`,
 * zlib's negative `errno`, and whether the stack header shows `[CODE]` (errors thrown from C++
 * do not). So these ops answer `{ ok }` or `{ err }` with every own property of the error kept,
 * and the guest rebuilds the error exactly (guest/builtins/crypto/host-result.ts).
 */

/** Upper bound on the bytes one operation may take in or hand out. */
export const MAX_OPERATION_BYTES = 64 * 1024 * 1024;

export type ExactResult = { ok: unknown } | { err: ExactErrorData };

export interface ExactErrorData {
  name: string;
  message: string;
  /** The host stack before its frames: `TypeError [ERR_X]: ...` or `Error: ...`. */
  header: string;
  /** The error's own enumerable properties (code, errno, library, reason, ...). */
  props: Record<string, unknown>;
  /** DOMException subclasses (webcrypto) are rebuilt as DOMException. */
  domException: boolean;
}

export function exactErrorData(error: unknown): ExactErrorData {
  if (!(error instanceof Error) && !(error instanceof DOMException)) {
    return {
      name: "Error",
      message: String(error),
      header: `Error: ${String(error)}`,
      props: {},
      domException: false,
    };
  }
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(error)) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (value === null || ["string", "number", "boolean", "bigint"].includes(typeof value)) {
      props[key] = value;
    } else if (Array.isArray(value) && value.every((item) => typeof item === "string")) {
      props[key] = [...value];
    }
  }
  const header =
    String(error.stack ?? "").split("\n    at ")[0] || `${error.name}: ${error.message}`;
  return {
    name: error.name,
    message: error.message,
    header,
    props,
    domException: error instanceof DOMException,
  };
}

/** Runs `work` and packs its value or its error. */
export async function exactly(work: () => unknown): Promise<ExactResult> {
  try {
    return { ok: await work() };
  } catch (error) {
    return { err: exactErrorData(error) };
  }
}

/** The synchronous form, for ops whose work is synchronous on the host too. */
export function exactlySync(work: () => unknown): ExactResult {
  try {
    return { ok: work() };
  } catch (error) {
    return { err: exactErrorData(error) };
  }
}

/** Rejects inputs that would make the host allocate without bound. */
export function checkBytes(what: string, length: number): void {
  if (length > MAX_OPERATION_BYTES) {
    throw Object.assign(
      new RangeError(
        `${what} is ${length} bytes; the agentOS VM allows at most ${MAX_OPERATION_BYTES} bytes per operation`,
      ),
      { code: "ERR_OUT_OF_RANGE" },
    );
  }
}
