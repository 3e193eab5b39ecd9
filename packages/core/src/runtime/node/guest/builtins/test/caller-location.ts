/**
 * Where user code called a test API (`test()`, `it()`, `t.test()`, `before()`, ...): Node records
 * it for "test at file:line:column" in failure reports and for TAP's `location`. Read from V8's
 * structured call sites, with the API function itself as the frame to start above.
 */
import { loadBuiltin } from "../registry.ts";

/** [line, column, file]: Node's order. */
export type Location = [number, number, string];

interface CallSite {
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
  getFileName(): string | undefined | null;
}

export function callerLocation(api: (...args: never[]) => unknown): Location | undefined {
  const ErrorCtor = Error as ErrorConstructor & {
    prepareStackTrace?: (error: Error, sites: CallSite[]) => unknown;
  };
  const previousPrepare = ErrorCtor.prepareStackTrace;
  const previousLimit = Error.stackTraceLimit;
  const holder: { stack?: unknown } = {};
  try {
    ErrorCtor.prepareStackTrace = (_error, sites) => sites;
    Error.stackTraceLimit = 1;
    Error.captureStackTrace(holder, api);
    const sites = holder.stack as CallSite[] | undefined;
    const site = Array.isArray(sites) ? sites[0] : undefined;
    const file = site?.getFileName();
    if (!site || !file) return undefined;
    return [site.getLineNumber() ?? 0, site.getColumnNumber() ?? 0, toPath(file)];
  } finally {
    ErrorCtor.prepareStackTrace = previousPrepare;
    Error.stackTraceLimit = previousLimit;
  }
}

/** ES modules report file URLs; Node shows the path. */
export function toPath(file: string): string {
  if (!file.startsWith("file://")) return file;
  return (loadBuiltin("url") as { fileURLToPath(url: string): string }).fileURLToPath(file);
}
