/**
 * node:fs and node:fs/promises, backed by the guest's kernel process. The pieces live in
 * ./fs/: planners (argument checks → one host call) in plans.ts, the three ways to run them in
 * bridge.ts, and the classes and multi-step operations in their own files. This file puts the
 * module's surface together: `xSync`, callback `x` and `promises.x` for every operation.
 */
import { type Callback, callSync } from "../host.ts";
import { nextTick } from "../loop.ts";
import {
  driveAsync,
  driveSync,
  type Plan,
  runCallback,
  runSync,
  takeCallback,
} from "./fs/bridge.ts";
import { FS_CONSTANTS } from "./fs/constants.ts";
import { cpSteps } from "./fs/cp.ts";
import { Dir } from "./fs/dir.ts";
import { Dirent } from "./fs/dirent.ts";
import { globSteps } from "./fs/glob.ts";
import { COMMON_NAMES, PLANS, readArgs, writeArgs } from "./fs/plans.ts";
import { createPromisesApi } from "./fs/promises.ts";
import { BigIntStats, StatFs, Stats } from "./fs/stats.ts";
import { fsStreams } from "./fs/streams.ts";
import { toPath } from "./fs/validate.ts";
import { unwatchFile, watch, watchFile } from "./fs/watch.ts";

let promisesApi: Record<string, unknown> | undefined;

export function createFsPromises(): unknown {
  promisesApi ??= createPromisesApi();
  return promisesApi;
}

function callbackForm(name: string) {
  return (...args: unknown[]) => {
    const callback = takeCallback(args);
    runCallback(PLANS[name](...args), callback);
  };
}

function syncForm(name: string) {
  return (...args: unknown[]) => runSync(PLANS[name](...args));
}

/** fs.read / fs.write style callbacks: (error, count, buffer). */
function countCallback(plan: Plan, buffer: unknown, callback: Callback<unknown>) {
  runCallback(plan, (error, count) =>
    error ? callback(error) : (callback as (...a: unknown[]) => void)(null, count, buffer),
  );
}

function opendirPlan(path: unknown): Plan {
  const dir = toPath(path);
  return {
    op: "fs.opendir",
    args: [dir],
    map: ([names, kinds]: [string[], string[]]) => new Dir(dir, names, kinds),
  };
}

export function createFs(): unknown {
  const fs: Record<string, unknown> = {};
  for (const name of COMMON_NAMES) {
    fs[`${name}Sync`] = syncForm(name);
    fs[name] = callbackForm(name);
  }

  fs.read = (fd: unknown, ...rest: unknown[]) => {
    const callback = takeCallback(rest);
    const r = readArgs(fd, ...(rest as [unknown]));
    countCallback(PLANS.read(fd, r.buffer, r.offset, r.length, r.position), r.buffer, callback);
  };
  fs.write = (fd: unknown, data: unknown, ...rest: unknown[]) => {
    const callback = takeCallback(rest);
    const w = writeArgs(fd, data, ...(rest as [unknown]));
    countCallback(PLANS.write(fd, w.bytes, 0, w.bytes.length, w.position), data, callback);
  };
  for (const name of ["readv", "writev"]) {
    fs[name] = (fd: unknown, buffers: unknown, ...rest: unknown[]) => {
      const callback = takeCallback(rest);
      countCallback(PLANS[name](fd, buffers, ...rest), buffers, callback);
    };
  }

  fs.exists = (path: unknown, callback: unknown) => {
    takeCallback([callback]);
    let plan: Plan<boolean>;
    try {
      plan = { op: "fs.exists", args: [toPath(path)] };
    } catch {
      nextTick(() => (callback as (exists: boolean) => void)(false));
      return;
    }
    runCallback(plan, (error, exists) =>
      (callback as (e: boolean) => void)(!error && exists === true),
    );
  };
  fs.existsSync = (path: unknown) => {
    try {
      return callSync<boolean>("fs.exists", toPath(path));
    } catch {
      return false;
    }
  };

  const realpathSync = fs.realpathSync as Record<string, unknown>;
  realpathSync.native = syncForm("realpathNative");
  (fs.realpath as Record<string, unknown>).native = callbackForm("realpathNative");
  delete fs.realpathNativeSync;
  delete fs.realpathNative;

  fs.opendirSync = (path: unknown) => runSync(opendirPlan(path));
  fs.opendir = (path: unknown, ...rest: unknown[]) => {
    const callback = takeCallback(rest);
    runCallback(opendirPlan(path), callback);
  };

  fs.cpSync = (src: unknown, dest: unknown, options?: unknown) =>
    driveSync(cpSteps(src, dest, options, true));
  fs.cp = (src: unknown, dest: unknown, ...rest: unknown[]) => {
    const callback = takeCallback(rest);
    driveAsync(cpSteps(src, dest, rest[0], false)).then(
      () => callback(null),
      (error: Error) => callback(error),
    );
  };

  fs.globSync = (pattern: unknown, options?: unknown) => driveSync(globSteps(pattern, options));
  fs.glob = (pattern: unknown, ...rest: unknown[]) => {
    const callback = takeCallback(rest);
    driveAsync(globSteps(pattern, rest[0])).then(
      (matches) => callback(null, matches),
      (error: Error) => callback(error),
    );
  };

  fs.watch = watch;
  fs.watchFile = watchFile;
  fs.unwatchFile = unwatchFile;

  fs.createReadStream = (path: unknown, options?: unknown) =>
    new (fsStreams().ReadStream)(path, options);
  fs.createWriteStream = (path: unknown, options?: unknown) =>
    new (fsStreams().WriteStream)(path, options);
  for (const [name, key] of [
    ["ReadStream", "ReadStream"],
    ["WriteStream", "WriteStream"],
    ["FileReadStream", "ReadStream"],
    ["FileWriteStream", "WriteStream"],
  ] as const) {
    Object.defineProperty(fs, name, {
      enumerable: true,
      configurable: true,
      get: () => fsStreams()[key],
    });
  }

  fs.Stats = Stats;
  fs.BigIntStats = BigIntStats;
  fs.StatFs = StatFs;
  fs.Dirent = Dirent;
  fs.Dir = Dir;
  fs.constants = FS_CONSTANTS;
  Object.defineProperty(fs, "promises", {
    enumerable: true,
    configurable: true,
    get: createFsPromises,
  });
  return fs;
}
