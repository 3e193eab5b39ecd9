/** node:fs/promises: the planners run as promises, plus FileHandle, opendir, cp, glob, watch. */
import { codedError } from "../../errors.ts";
import { driveAsync, type Plan, runPromise } from "./bridge.ts";
import { FS_CONSTANTS } from "./constants.ts";
import { cpSteps } from "./cp.ts";
import { Dir } from "./dir.ts";
import { isFileHandle, newFileHandle } from "./file-handle.ts";
import { globSteps } from "./glob.ts";
import { PLANS } from "./plans.ts";
import { toBytes, toPath } from "./validate.ts";
import { watchAsync } from "./watch.ts";

const PROMISE_NAMES = [
  "access",
  "appendFile",
  "chmod",
  "chown",
  "copyFile",
  "lchown",
  "link",
  "lstat",
  "lutimes",
  "mkdir",
  "mkdtemp",
  "readdir",
  "readFile",
  "readlink",
  "realpath",
  "rename",
  "rm",
  "rmdir",
  "stat",
  "statfs",
  "symlink",
  "truncate",
  "unlink",
  "utimes",
  "writeFile",
];

/** Runs a planner as a promise; argument errors reject (the promise API is async in Node). */
function promised(name: string) {
  return (...args: unknown[]) => {
    let plan: Plan;
    try {
      plan = PLANS[name](...args);
    } catch (error) {
      return Promise.reject(error);
    }
    return runPromise(plan);
  };
}

/** Data for writeFile: bytes, or the concatenated chunks of an (async) iterable. */
async function collect(data: unknown, encoding: unknown): Promise<unknown> {
  if (typeof data === "string" || ArrayBuffer.isView(data)) return data;
  const iterable = data as AsyncIterable<unknown> & Iterable<unknown>;
  if (data && (Symbol.asyncIterator in (data as object) || Symbol.iterator in (data as object))) {
    const parts: Uint8Array[] = [];
    for await (const chunk of iterable) parts.push(toBytes(chunk, encoding));
    const total = parts.reduce((n, p) => n + p.length, 0);
    const joined = new Uint8Array(total);
    let at = 0;
    for (const part of parts) {
      joined.set(part, at);
      at += part.length;
    }
    return joined;
  }
  return data;
}

function encodingOf(options: unknown): unknown {
  return typeof options === "string"
    ? options
    : (options as { encoding?: unknown } | undefined)?.encoding;
}

export function createPromisesApi(): Record<string, unknown> {
  const api: Record<string, unknown> = {};
  for (const name of PROMISE_NAMES) api[name] = promised(name);
  const plain = {
    readFile: api.readFile,
    writeFile: api.writeFile,
    appendFile: api.appendFile,
  } as Record<string, (...args: unknown[]) => Promise<unknown>>;
  api.readFile = (path: unknown, options?: unknown) =>
    isFileHandle(path) ? (path as any).readFile(options) : plain.readFile(path, options);
  for (const name of ["writeFile", "appendFile"]) {
    api[name] = async (path: unknown, data: unknown, options?: unknown) => {
      const bytes = await collect(data, encodingOf(options));
      if (isFileHandle(path)) return (path as any)[name](bytes, options);
      return plain[name](path, bytes, options);
    };
  }
  api.open = async (path: unknown, flags?: unknown, mode?: unknown) =>
    newFileHandle((await runPromise(PLANS.open(path, flags, mode))) as number);
  api.opendir = async (path: unknown) => {
    const dir = toPath(path);
    const [names, kinds] = (await runPromise({ op: "fs.opendir", args: [dir] })) as [
      string[],
      string[],
    ];
    return new Dir(dir, names, kinds);
  };
  api.cp = (src: unknown, dest: unknown, options?: unknown) =>
    driveAsync(cpSteps(src, dest, options, false));
  api.glob = async function* glob(pattern: unknown, options?: unknown) {
    yield* await driveAsync(globSteps(pattern, options));
  };
  api.watch = watchAsync;
  api.lchmod = () =>
    Promise.reject(
      codedError(Error, "ERR_METHOD_NOT_IMPLEMENTED", "The lchmod() method is not implemented"),
    );
  api.constants = FS_CONSTANTS;
  return api;
}
