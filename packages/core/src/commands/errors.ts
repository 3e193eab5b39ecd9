/** How commands word errors: the C library text GNU tools print ("No such file or directory"). */
import { isKernelError, strerror } from "../fs/errors.ts";

export function describeError(err: unknown): string {
  if (isKernelError(err)) return strerror(err.code);
  return err instanceof Error ? err.message : String(err);
}

/** GNU quoting of a file name in diagnostics: plain when safe, else single-quoted. */
export function quoteName(name: string): string {
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(name) ? name : `'${name.replace(/'/g, "'\\''")}'`;
}
