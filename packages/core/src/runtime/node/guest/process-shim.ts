/**
 * What the bundled polyfill packages get for `require('process')`: the guest's real process
 * object once it exists (they only touch it lazily, e.g. `process.nextTick`).
 */
import { nextTick } from "./loop.ts";

const shim = {
  nextTick: (callback: (...args: unknown[]) => void, ...args: unknown[]) =>
    nextTick(() => callback(...args)),
  get env() {
    return (globalThis as { process?: { env: object } }).process?.env ?? {};
  },
  get version() {
    return (globalThis as { process?: { version: string } }).process?.version ?? "v24.0.0";
  },
  // readable-stream's pipe() must recognise the real stdout/stderr: it never ends them.
  get stdout() {
    return (globalThis as { process?: { stdout: unknown } }).process?.stdout;
  },
  get stderr() {
    return (globalThis as { process?: { stderr: unknown } }).process?.stderr;
  },
  browser: false,
  platform: "linux",
  emitWarning(...args: unknown[]) {
    (globalThis as { process?: { emitWarning(...a: unknown[]): void } }).process?.emitWarning(
      ...args,
    );
  },
};

export default shim;
export const { nextTick: shimNextTick } = shim;
