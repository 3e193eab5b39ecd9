/**
 * node:path: the POSIX flavour here, `win32` from its own file. Results follow Node's algorithms
 * to the edge cases (`dirname('//a')`, `parse('/..')`, a suffix longer than the name), checked
 * against the host's path module on generated paths by path.test.ts.
 */
import {
  basenameOf,
  basenameWithSuffix,
  formatPath,
  normalizeSegments,
  POSIX,
  splitExtension,
} from "./path-segments.ts";
import { createWin32 } from "./path-win32.ts";

const SLASH = 47;

let path: unknown;

/** One instance, so `require('path/win32') === require('path').win32` as in Node. */
export function createPath(): unknown {
  path ??= buildPath();
  return path;
}

function buildPath(): unknown {
  const posix = {
    sep: "/",
    delimiter: ":",
    normalize,
    join: (...args: unknown[]) => {
      const parts: string[] = [];
      for (const arg of args) {
        checkString(arg, "path");
        if (arg.length > 0) parts.push(arg);
      }
      return parts.length === 0 ? "." : normalize(parts.join("/"));
    },
    resolve,
    isAbsolute: (path: unknown) => {
      checkString(path, "path");
      return path.charCodeAt(0) === SLASH;
    },
    relative,
    dirname,
    basename: (path: unknown, suffix?: unknown) => {
      if (suffix !== undefined) checkString(suffix, "suffix");
      checkString(path, "path");
      if (suffix === undefined || suffix.length === 0 || suffix.length > path.length)
        return basenameOf(path, 0, POSIX);
      if (suffix === path) return "";
      return basenameWithSuffix(path, 0, suffix, POSIX);
    },
    extname: (path: unknown) => {
      checkString(path, "path");
      const split = splitExtension(path, 0, POSIX);
      return split ? path.slice(split.dot, split.end) : "";
    },
    format: (pathObject: unknown) => formatPath("/", pathObject),
    parse,
    toNamespacedPath: (path: unknown) => path,
    matchesGlob: () => {
      throw new Error("path.matchesGlob is not supported yet in the agentOS VM");
    },
    posix: undefined as unknown,
    win32: undefined as unknown,
  };
  const win32 = createWin32(checkString);
  posix.posix = posix;
  posix.win32 = win32;
  win32.posix = posix;
  return posix;
}

function checkString(value: unknown, name: string): asserts value is string {
  if (typeof value !== "string") {
    const error = new TypeError(
      `The "${name}" argument must be of type string. Received ${value === null ? "null" : typeof value === "object" ? "an instance of Object" : `type ${typeof value} (${String(value)})`}`,
    ) as TypeError & { code: string };
    error.code = "ERR_INVALID_ARG_TYPE";
    throw error;
  }
}

function normalize(path: unknown): string {
  checkString(path, "path");
  if (path.length === 0) return ".";
  const absolute = path.charCodeAt(0) === SLASH;
  const trailing = path.charCodeAt(path.length - 1) === SLASH;
  const normal = normalizeSegments(path, !absolute, POSIX);
  if (normal.length === 0) return absolute ? "/" : trailing ? "./" : ".";
  const withTrailing = trailing ? `${normal}/` : normal;
  return absolute ? `/${withTrailing}` : withTrailing;
}

function resolve(...args: unknown[]): string {
  if (args.length === 0 || (args.length === 1 && (args[0] === "" || args[0] === "."))) {
    const cwd = process.cwd();
    if (cwd.charCodeAt(0) === SLASH) return cwd;
  }
  let resolved = "";
  let absolute = false;
  for (let i = args.length - 1; i >= 0 && !absolute; i--) {
    const path = args[i];
    checkString(path, `paths[${i}]`);
    if (path.length === 0) continue;
    resolved = `${path}/${resolved}`;
    absolute = path.charCodeAt(0) === SLASH;
  }
  if (!absolute) {
    const cwd = process.cwd();
    resolved = `${cwd}/${resolved}`;
    absolute = cwd.charCodeAt(0) === SLASH;
  }
  const normal = normalizeSegments(resolved, !absolute, POSIX);
  if (absolute) return `/${normal}`;
  return normal.length > 0 ? normal : ".";
}

function relative(from: unknown, to: unknown): string {
  checkString(from, "from");
  checkString(to, "to");
  if (from === to) return "";
  const fromPath = resolve(from);
  const toPath = resolve(to);
  if (fromPath === toPath) return "";
  // Both are absolute: compare after the leading '/'.
  const fromLen = fromPath.length - 1;
  const toLen = toPath.length - 1;
  const length = Math.min(fromLen, toLen);
  let lastCommonSep = -1;
  let i = 0;
  for (; i < length; i++) {
    const code = fromPath.charCodeAt(1 + i);
    if (code !== toPath.charCodeAt(1 + i)) break;
    if (code === SLASH) lastCommonSep = i;
  }
  if (i === length) {
    if (toLen > length) {
      // `from` is a prefix of `to`: '/a' → '/a/b' is 'b'; '/' → '/a' is 'a'.
      if (toPath.charCodeAt(1 + i) === SLASH) return toPath.slice(1 + i + 1);
      if (i === 0) return toPath.slice(1 + i);
    } else if (fromLen > length) {
      if (fromPath.charCodeAt(1 + i) === SLASH) lastCommonSep = i;
      else if (i === 0) lastCommonSep = 0;
    }
  }
  let out = "";
  for (i = 1 + lastCommonSep + 1; i <= fromPath.length; ++i) {
    if (i === fromPath.length || fromPath.charCodeAt(i) === SLASH)
      out += out.length === 0 ? ".." : "/..";
  }
  return `${out}${toPath.slice(1 + lastCommonSep)}`;
}

function dirname(path: unknown): string {
  checkString(path, "path");
  if (path.length === 0) return ".";
  const hasRoot = path.charCodeAt(0) === SLASH;
  let end = -1;
  let matchedSlash = true;
  for (let i = path.length - 1; i >= 1; --i) {
    if (path.charCodeAt(i) !== SLASH) matchedSlash = false;
    else if (!matchedSlash) {
      end = i;
      break;
    }
  }
  if (end === -1) return hasRoot ? "/" : ".";
  if (hasRoot && end === 1) return "//";
  return path.slice(0, end);
}

function parse(path: unknown) {
  checkString(path, "path");
  const parsed = { root: "", dir: "", base: "", ext: "", name: "" };
  if (path.length === 0) return parsed;
  const absolute = path.charCodeAt(0) === SLASH;
  if (absolute) parsed.root = "/";
  // Node scans from 1 for an absolute path but measures the segment from 0.
  const scanFrom = absolute ? 1 : 0;
  let partStart = 0;
  let end = -1;
  for (let i = path.length - 1; i >= scanFrom; --i) {
    if (path.charCodeAt(i) !== SLASH) {
      if (end === -1) end = i + 1;
    } else if (end !== -1) {
      partStart = i + 1;
      break;
    }
  }
  if (end !== -1) {
    const start = partStart === 0 && absolute ? 1 : partStart;
    const split = splitExtension(path, scanFrom, POSIX, 0);
    parsed.base = path.slice(start, end);
    if (split) {
      parsed.name = path.slice(start, split.dot);
      parsed.ext = path.slice(split.dot, end);
    } else {
      parsed.name = parsed.base;
    }
  }
  if (partStart > 0) parsed.dir = path.slice(0, partStart - 1);
  else if (absolute) parsed.dir = "/";
  return parsed;
}
