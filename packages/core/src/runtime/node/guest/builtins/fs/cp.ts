/**
 * fs.cp / cpSync / promises.cp: Node's copy rules (recursive, filter, force, errorOnExist,
 * dereference, preserveTimestamps, verbatimSymlinks) as one generator of host calls, driven
 * synchronously or asynchronously (bridge.ts). The filter runs in the guest; in the async
 * forms it may return a promise.
 */
import { codedError, invalidArgType } from "../../errors.ts";
import { loadBuiltin } from "../registry.ts";
import type { Steps } from "./bridge.ts";
import { FS_CONSTANTS } from "./constants.ts";
import { PLANS } from "./plans.ts";
import type { Stats } from "./stats.ts";
import { toPath, validateObject } from "./validate.ts";

interface CpOptions {
  dereference: boolean;
  errorOnExist: boolean;
  filter?: (src: string, dest: string) => boolean | Promise<boolean>;
  force: boolean;
  mode: number;
  preserveTimestamps: boolean;
  recursive: boolean;
  verbatimSymlinks: boolean;
}

interface PathModule {
  resolve(...parts: string[]): string;
  dirname(path: string): string;
  join(...parts: string[]): string;
  sep: string;
}

const path = () => loadBuiltin("path") as PathModule;

export function cpOptions(options: unknown): CpOptions {
  const opts: CpOptions = {
    dereference: false,
    errorOnExist: false,
    force: true,
    mode: 0,
    preserveTimestamps: false,
    recursive: false,
    verbatimSymlinks: false,
  };
  if (options === undefined || options === null) return opts;
  validateObject(options, "options");
  Object.assign(opts, options);
  if (opts.filter !== undefined && typeof opts.filter !== "function") {
    throw invalidArgType("options.filter", "of type function", opts.filter);
  }
  return opts;
}

/** Node names directories with a trailing slash in these messages. */
function withSlash(dir: string): string {
  return dir.endsWith("/") ? dir : `${dir}/`;
}

function cpError(code: string, message: string): Error {
  return codedError(Error, code, message);
}

function existsError(dest: string): Error {
  const error = codedError(
    Error,
    "ERR_FS_CP_EEXIST",
    `Target already exists: cp returned EEXIST (${dest} already exists) ${dest}`,
  ) as unknown as Error & Record<string, unknown>;
  error.name = "SystemError";
  error.stack = error.stack?.replace(/^Error \[/, "SystemError [");
  error.info = {
    message: `${dest} already exists`,
    path: dest,
    syscall: "cp",
    errno: 17,
    code: "EEXIST",
  };
  error.errno = 17;
  error.syscall = "cp";
  error.path = dest;
  return error;
}

function* statOrNull(p: string, follow: boolean): Generator<any, Stats | undefined, any> {
  return yield (follow ? PLANS.stat : PLANS.lstat)(p, { throwIfNoEntry: false });
}

function* filtered(
  opts: CpOptions,
  src: string,
  dest: string,
  sync: boolean,
): Generator<any, boolean, any> {
  if (!opts.filter) return true;
  const verdict = opts.filter(src, dest);
  if (sync && verdict && typeof (verdict as Promise<boolean>).then === "function") {
    throw codedError(
      TypeError,
      "ERR_INVALID_RETURN_VALUE",
      'Expected boolean to be returned from the "filter" function but got an instance of Promise.',
    );
  }
  return Boolean(yield { wait: verdict });
}

/** The whole copy: checks first (as Node does), then the tree. */
export function* cpSteps(
  srcArg: unknown,
  destArg: unknown,
  options: unknown,
  sync: boolean,
): Steps<undefined> {
  const src = toPath(srcArg, "src");
  const dest = toPath(destArg, "dest");
  const opts = cpOptions(options);
  const p = path();
  if (p.resolve(src) === p.resolve(dest)) {
    throw cpError("ERR_FS_CP_EINVAL", `src and dest cannot be the same ${src}`);
  }
  if (!(yield* filtered(opts, src, dest, sync))) return undefined;
  const srcStat = (yield* statOrNull(src, opts.dereference)) ?? (yield PLANS.lstat(src));
  const destStat = yield* statOrNull(dest, false);
  const isDir = (srcStat as Stats).isDirectory();
  if (isDir && !opts.recursive) {
    throw cpError(
      "ERR_FS_EISDIR",
      `Recursive option not enabled, cannot copy a directory: ${withSlash(src)}`,
    );
  }
  if (destStat) {
    if (isDir && !destStat.isDirectory()) {
      throw cpError(
        "ERR_FS_CP_DIR_TO_NON_DIR",
        `Cannot overwrite non-directory ${dest} with directory ${src}`,
      );
    }
    if (!isDir && destStat.isDirectory()) {
      throw cpError(
        "ERR_FS_CP_NON_DIR_TO_DIR",
        `Cannot overwrite directory ${dest} with non-directory ${src}`,
      );
    }
  }
  const srcAbs = p.resolve(src);
  const destAbs = p.resolve(dest);
  if (isDir && (destAbs + p.sep).startsWith(srcAbs + p.sep)) {
    throw cpError(
      "ERR_FS_CP_EINVAL",
      `Cannot copy ${withSlash(src)} to a subdirectory of self ${dest}`,
    );
  }
  const parent = p.dirname(dest);
  if (!(yield* statOrNull(parent, true))) yield PLANS.mkdir(parent, { recursive: true });
  yield* copyEntry(opts, src, dest, srcStat as Stats, destStat, sync);
  return undefined;
}

function* copyEntry(
  opts: CpOptions,
  src: string,
  dest: string,
  srcStat: Stats,
  destStat: Stats | undefined,
  sync: boolean,
): Generator<any, void, any> {
  if (srcStat.isDirectory()) {
    if (!destStat) yield PLANS.mkdir(dest, { mode: (srcStat.mode as number) & 0o7777 });
    const names = (yield PLANS.readdir(src)) as string[];
    for (const name of names) {
      const from = path().join(src, name);
      const to = path().join(dest, name);
      if (!(yield* filtered(opts, from, to, sync))) continue;
      const childStat = (yield (opts.dereference ? PLANS.stat : PLANS.lstat)(from)) as Stats;
      const childDest = yield* statOrNull(to, false);
      yield* copyEntry(opts, from, to, childStat, childDest, sync);
    }
    if (!destStat) yield PLANS.chmod(dest, (srcStat.mode as number) & 0o7777);
    return;
  }
  if (srcStat.isSymbolicLink()) {
    let target = (yield PLANS.readlink(src)) as string;
    if (!opts.verbatimSymlinks && !target.startsWith("/")) {
      target = path().resolve(path().dirname(src), target);
    }
    if (destStat) yield PLANS.unlink(dest);
    yield PLANS.symlink(target, dest);
    return;
  }
  if (srcStat.isFile() || srcStat.isCharacterDevice() || srcStat.isBlockDevice()) {
    if (destStat) {
      if (!opts.force) {
        if (opts.errorOnExist) throw existsError(dest);
        return;
      }
      yield PLANS.unlink(dest);
    }
    yield PLANS.copyFile(src, dest, opts.mode & FS_CONSTANTS.COPYFILE_EXCL);
    if (opts.preserveTimestamps) {
      yield PLANS.utimes(dest, srcStat.atime, srcStat.mtime);
    }
    return;
  }
  if (srcStat.isFIFO()) throw cpError("ERR_FS_CP_FIFO_PIPE", `Cannot copy a FIFO pipe: ${dest}`);
  if (srcStat.isSocket()) throw cpError("ERR_FS_CP_SOCKET", `Cannot copy a socket file: ${dest}`);
  throw cpError("ERR_FS_CP_UNKNOWN", `Cannot copy an unknown file type: ${dest}`);
}
