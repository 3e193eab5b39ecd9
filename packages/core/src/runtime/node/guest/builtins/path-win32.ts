/**
 * path.win32: Windows path rules as Node 24 applies them on any platform (drive letters, UNC
 * roots `\\server\share`, device namespaces `\\?\` and `\\.\`, reserved device names such as
 * CON:, both separators on input and `\` on output). Node's results include quirks (how an
 * incomplete UNC root or a reserved name is treated); path.test.ts compares thousands of
 * generated paths against the host's path.win32, so the branches below follow Node's exactly.
 */

import {
  basenameOf,
  basenameWithSuffix,
  formatPath,
  lastSegment,
  normalizeSegments,
  splitExtension,
  WIN32,
} from "./path-segments.ts";

const SLASH = 47;
const BACKSLASH = 92;
const COLON = 58;

const isSep = (code: number) => code === SLASH || code === BACKSLASH;
const isDriveLetter = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

/** Device names Windows reserves in every directory (Node checks them before a colon). */
const RESERVED_NAMES = new Set([
  "CON",
  "PRN",
  "AUX",
  "NUL",
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9, "¹", "²", "³"].flatMap((n) => [`COM${n}`, `LPT${n}`]),
]);

function isReservedName(path: string, colonIndex: number): boolean {
  return RESERVED_NAMES.has(path.slice(0, colonIndex).toUpperCase());
}

function hasDrive(path: string): boolean {
  return path.length >= 2 && isDriveLetter(path.charCodeAt(0)) && path.charCodeAt(1) === COLON;
}

/**
 * The `\\server\share` prefix: the server name, where the share name starts and where it ends
 * (at the end of the path or at the separator after it). Undefined when either part is missing.
 */
function uncPrefix(path: string): { server: string; shareStart: number; end: number } | undefined {
  const len = path.length;
  if (len < 3 || !isSep(path.charCodeAt(0)) || !isSep(path.charCodeAt(1))) return undefined;
  let j = 2;
  while (j < len && !isSep(path.charCodeAt(j))) j++;
  if (j === len || j === 2) return undefined;
  const server = path.slice(2, j);
  while (j < len && isSep(path.charCodeAt(j))) j++;
  if (j === len) return undefined;
  const shareStart = j;
  while (j < len && !isSep(path.charCodeAt(j))) j++;
  return { server, shareStart, end: j };
}

const isNamespace = (server: string) => server === "." || server === "?";

type CheckString = (value: unknown, name: string) => asserts value is string;

/** path.win32; `checkString` is the ERR_INVALID_ARG_TYPE check path.ts uses for posix too. */
export function createWin32(checkString: CheckString) {
  const win32 = {
    sep: "\\",
    delimiter: ";",

    resolve(...args: unknown[]): string {
      let resolvedDevice = "";
      let resolvedTail = "";
      let resolvedAbsolute = false;
      for (let i = args.length - 1; i >= -1; i--) {
        let path: string;
        if (i >= 0) {
          const arg = args[i];
          checkString(arg, `paths[${i}]`);
          if (arg.length === 0) continue;
          path = arg;
        } else if (resolvedDevice.length === 0) {
          path = process.cwd();
          const onlyCwd =
            args.length === 0 ||
            (args.length === 1 && (args[0] === "" || args[0] === ".") && isSep(path.charCodeAt(0)));
          // Not on Windows, the working directory is a POSIX path: Node flips its slashes.
          if (onlyCwd) return path.replace(/\//g, "\\");
        } else {
          // Windows keeps a working directory per drive in the hidden variable `=C:`.
          path = process.env[`=${resolvedDevice}`] || process.cwd();
          if (
            path.slice(0, 2).toLowerCase() !== resolvedDevice.toLowerCase() &&
            path.charCodeAt(2) === BACKSLASH
          ) {
            path = `${resolvedDevice}\\`;
          }
        }

        const len = path.length;
        let rootEnd = 0;
        let device = "";
        let isAbsolute = false;
        const code = path.charCodeAt(0);
        if (len === 1) {
          if (isSep(code)) {
            rootEnd = 1;
            isAbsolute = true;
          }
        } else if (isSep(code)) {
          isAbsolute = true;
          if (isSep(path.charCodeAt(1))) {
            const unc = uncPrefix(path);
            if (unc && !isNamespace(unc.server)) {
              device = `\\\\${unc.server}\\${path.slice(unc.shareStart, unc.end)}`;
              rootEnd = unc.end;
            } else if (unc) {
              device = `\\\\${unc.server}`;
              rootEnd = 4;
            }
          } else {
            rootEnd = 1;
          }
        } else if (hasDrive(path)) {
          device = path.slice(0, 2);
          rootEnd = 2;
          if (len > 2 && isSep(path.charCodeAt(2))) {
            isAbsolute = true;
            rootEnd = 3;
          }
        }

        if (device.length > 0) {
          if (resolvedDevice.length === 0) resolvedDevice = device;
          else if (device.toLowerCase() !== resolvedDevice.toLowerCase()) continue;
        }
        if (resolvedAbsolute) {
          if (resolvedDevice.length > 0) break;
        } else {
          resolvedTail = `${path.slice(rootEnd)}\\${resolvedTail}`;
          resolvedAbsolute = isAbsolute;
          if (isAbsolute && resolvedDevice.length > 0) break;
        }
      }
      resolvedTail = normalizeSegments(resolvedTail, !resolvedAbsolute, WIN32);
      return resolvedAbsolute
        ? `${resolvedDevice}\\${resolvedTail}`
        : `${resolvedDevice}${resolvedTail}` || ".";
    },

    normalize(path: unknown): string {
      checkString(path, "path");
      const len = path.length;
      if (len === 0) return ".";
      const code = path.charCodeAt(0);
      if (len === 1) return code === SLASH ? "\\" : path;
      let rootEnd = 0;
      let device: string | undefined;
      let isAbsolute = false;
      if (isSep(code)) {
        isAbsolute = true;
        if (isSep(path.charCodeAt(1))) {
          const unc = uncPrefix(path);
          if (unc && isNamespace(unc.server)) {
            device = `\\\\${unc.server}`;
            rootEnd = 4;
            // `\\.\CON:` names a device: it stays part of the root.
            const possibleDevice = path.slice(4, path.indexOf(":") + 1);
            if (isReservedName(possibleDevice, possibleDevice.length - 1)) {
              device = `\\\\?\\${possibleDevice}`;
              rootEnd = 4 + possibleDevice.length;
            }
          } else if (unc && unc.end === len) {
            // Only `\\server\share`: it is the root, and a root ends with a separator.
            return `\\\\${unc.server}\\${path.slice(unc.shareStart)}\\`;
          } else if (unc) {
            device = `\\\\${unc.server}\\${path.slice(unc.shareStart, unc.end)}`;
            rootEnd = unc.end;
          }
        } else {
          rootEnd = 1;
        }
      } else {
        const colon = path.indexOf(":");
        if (colon > 0) {
          if (colon === 1 && isDriveLetter(code)) {
            device = path.slice(0, 2);
            rootEnd = 2;
            if (len > 2 && isSep(path.charCodeAt(2))) {
              isAbsolute = true;
              rootEnd = 3;
            }
          } else if (isReservedName(path, colon)) {
            device = path.slice(0, colon + 1);
            rootEnd = colon + 1;
          }
        }
      }

      let tail = rootEnd < len ? normalizeSegments(path.slice(rootEnd), !isAbsolute, WIN32) : "";
      if (tail.length === 0 && !isAbsolute) tail = ".";
      if (tail.length > 0 && isSep(path.charCodeAt(len - 1))) tail += "\\";
      // A relative path must not come out looking like a drive or a stream (`a/../c:` → `.\c:`).
      if (!isAbsolute && device === undefined && path.includes(":")) {
        if (hasDrive(tail)) return `.\\${tail}`;
        for (let at = path.indexOf(":"); at !== -1; at = path.indexOf(":", at + 1)) {
          if (at === len - 1 || isSep(path.charCodeAt(at + 1))) return `.\\${tail}`;
        }
      }
      if (isReservedName(path, path.indexOf(":"))) return `.\\${device ?? ""}${tail}`;
      if (device === undefined) return isAbsolute ? `\\${tail}` : tail;
      return isAbsolute ? `${device}\\${tail}` : `${device}${tail}`;
    },

    isAbsolute(path: unknown): boolean {
      checkString(path, "path");
      const len = path.length;
      if (len === 0) return false;
      return isSep(path.charCodeAt(0)) || (len > 2 && hasDrive(path) && isSep(path.charCodeAt(2)));
    },

    join(...args: unknown[]): string {
      if (args.length === 0) return ".";
      const parts: string[] = [];
      for (const arg of args) {
        checkString(arg, "path");
        if (arg.length > 0) parts.push(arg);
      }
      if (parts.length === 0) return ".";
      const first = parts[0];
      let joined = parts.join("\\");
      // A UNC root must come from the first part alone: `join('\\', 'server')` is not one.
      let needsReplace = true;
      let slashes = 0;
      if (isSep(first.charCodeAt(0))) {
        slashes++;
        if (first.length > 1 && isSep(first.charCodeAt(1))) {
          slashes++;
          if (first.length > 2) {
            if (isSep(first.charCodeAt(2))) slashes++;
            else needsReplace = false;
          }
        }
      }
      if (needsReplace) {
        while (slashes < joined.length && isSep(joined.charCodeAt(slashes))) slashes++;
        if (slashes >= 2) joined = `\\${joined.slice(slashes)}`;
      }
      // A reserved device name in any segment: Node only flips the slashes.
      const segments = joined.split("\\").filter((segment) => segment.length > 0);
      const reserved = segments.some((segment) => {
        const colon = segment.indexOf(":");
        return colon !== -1 && isReservedName(segment, colon);
      });
      if (reserved) return joined.replace(/\//g, "\\");
      return win32.normalize(joined);
    },

    relative(from: unknown, to: unknown): string {
      checkString(from, "from");
      checkString(to, "to");
      if (from === to) return "";
      const fromOrig = win32.resolve(from);
      const toOrig = win32.resolve(to);
      if (fromOrig === toOrig) return "";
      const fromLower = fromOrig.toLowerCase();
      const toLower = toOrig.toLowerCase();
      if (fromLower === toLower) return "";
      // Lower-casing changed a length (some Unicode letters): compare segment by segment.
      if (fromOrig.length !== fromLower.length || toOrig.length !== toLower.length)
        return relativeBySegments(fromOrig, toOrig);
      return relativeByChars(fromLower, toLower, toOrig);
    },

    dirname(path: unknown): string {
      checkString(path, "path");
      const len = path.length;
      if (len === 0) return ".";
      const code = path.charCodeAt(0);
      if (len === 1) return isSep(code) ? path : ".";
      let rootEnd = -1;
      let offset = 0;
      if (isSep(code)) {
        rootEnd = offset = 1;
        if (isSep(path.charCodeAt(1))) {
          const unc = uncPrefix(path);
          if (unc && unc.end === len) return path;
          if (unc) rootEnd = offset = unc.end + 1;
        }
      } else if (hasDrive(path)) {
        rootEnd = offset = len > 2 && isSep(path.charCodeAt(2)) ? 3 : 2;
      }
      let end = -1;
      let matchedSlash = true;
      for (let i = len - 1; i >= offset; --i) {
        if (!isSep(path.charCodeAt(i))) matchedSlash = false;
        else if (!matchedSlash) {
          end = i;
          break;
        }
      }
      if (end === -1) {
        if (rootEnd === -1) return ".";
        end = rootEnd;
      }
      return path.slice(0, end);
    },

    basename(path: unknown, suffix?: unknown): string {
      if (suffix !== undefined) checkString(suffix, "suffix");
      checkString(path, "path");
      const start = hasDrive(path) ? 2 : 0;
      if (suffix === undefined || suffix.length === 0 || suffix.length > path.length)
        return basenameOf(path, start, WIN32);
      if (suffix === path) return "";
      return basenameWithSuffix(path, start, suffix, WIN32);
    },

    extname(path: unknown): string {
      checkString(path, "path");
      const split = splitExtension(path, hasDrive(path) ? 2 : 0, WIN32);
      return split ? path.slice(split.dot, split.end) : "";
    },

    format(pathObject: unknown): string {
      return formatPath("\\", pathObject);
    },

    parse(path: unknown) {
      checkString(path, "path");
      const parsed = { root: "", dir: "", base: "", ext: "", name: "" };
      const len = path.length;
      if (len === 0) return parsed;
      const code = path.charCodeAt(0);
      if (len === 1) {
        if (isSep(code)) parsed.root = parsed.dir = path;
        else parsed.base = parsed.name = path;
        return parsed;
      }
      let rootEnd = 0;
      if (isSep(code)) {
        rootEnd = 1;
        const unc = isSep(path.charCodeAt(1)) ? uncPrefix(path) : undefined;
        if (unc) rootEnd = unc.end === len ? len : unc.end + 1;
      } else if (hasDrive(path)) {
        if (len <= 2 || (len === 3 && isSep(path.charCodeAt(2)))) {
          parsed.root = parsed.dir = path;
          return parsed;
        }
        rootEnd = isSep(path.charCodeAt(2)) ? 3 : 2;
      }
      if (rootEnd > 0) parsed.root = path.slice(0, rootEnd);
      const [partStart, end] = lastSegment(path, rootEnd, WIN32);
      if (end !== -1) {
        const split = splitExtension(path, rootEnd, WIN32);
        parsed.base = path.slice(partStart, end);
        if (split) {
          parsed.name = path.slice(partStart, split.dot);
          parsed.ext = path.slice(split.dot, end);
        } else {
          parsed.name = parsed.base;
        }
      }
      parsed.dir =
        partStart > 0 && partStart !== rootEnd ? path.slice(0, partStart - 1) : parsed.root;
      return parsed;
    },

    toNamespacedPath(path: unknown): unknown {
      if (typeof path !== "string" || path.length === 0) return path;
      const resolved = win32.resolve(path);
      if (resolved.length <= 2) return path;
      if (resolved.charCodeAt(0) === BACKSLASH) {
        if (resolved.charCodeAt(1) === BACKSLASH) {
          const third = resolved[2];
          if (third !== "?" && third !== ".") return `\\\\?\\UNC\\${resolved.slice(2)}`;
        }
      } else if (hasDrive(resolved) && resolved.charCodeAt(2) === BACKSLASH) {
        return `\\\\?\\${resolved}`;
      }
      return resolved;
    },

    matchesGlob(): never {
      throw new Error("path.win32.matchesGlob is not supported yet in the agentOS VM");
    },

    win32: undefined as unknown,
    posix: undefined as unknown,
  };

  /** relative() when case folding changed lengths: whole segments, compared case-insensitively. */
  function relativeBySegments(fromOrig: string, toOrig: string): string {
    const fromParts = fromOrig.split("\\");
    const toParts = toOrig.split("\\");
    if (fromParts.at(-1) === "") fromParts.pop();
    if (toParts.at(-1) === "") toParts.pop();
    const length = Math.min(fromParts.length, toParts.length);
    let i = 0;
    while (i < length && fromParts[i].toLowerCase() === toParts[i].toLowerCase()) i++;
    if (i === 0) return toOrig;
    if (i === length) {
      if (toParts.length > length) return toParts.slice(i).join("\\");
      if (fromParts.length > length) return `${"..\\".repeat(fromParts.length - 1 - i)}..`;
      return "";
    }
    return "..\\".repeat(fromParts.length - i) + toParts.slice(i).join("\\");
  }

  /** relative() over the lower-cased resolved paths, slicing the result from `toOrig`. */
  function relativeByChars(from: string, to: string, toOrig: string): string {
    const [fromStart, fromEnd] = trimBackslashes(from);
    let [toStart, toEnd] = trimBackslashes(to);
    const fromLen = fromEnd - fromStart;
    const toLen = toEnd - toStart;
    const length = Math.min(fromLen, toLen);
    let lastCommonSep = -1;
    let i = 0;
    for (; i < length; i++) {
      const fromCode = from.charCodeAt(fromStart + i);
      if (fromCode !== to.charCodeAt(toStart + i)) break;
      if (fromCode === BACKSLASH) lastCommonSep = i;
    }
    if (i !== length) {
      if (lastCommonSep === -1) return toOrig;
    } else {
      if (toLen > length) {
        if (to.charCodeAt(toStart + i) === BACKSLASH) return toOrig.slice(toStart + i + 1);
        // `C:\` is a prefix of `C:\foo`: the drive root ends at 2 without a separator.
        if (i === 2) return toOrig.slice(toStart + i);
      }
      if (fromLen > length) {
        if (from.charCodeAt(fromStart + i) === BACKSLASH) lastCommonSep = i;
        else if (i === 2) lastCommonSep = 3;
      }
      if (lastCommonSep === -1) lastCommonSep = 0;
    }
    let out = "";
    for (i = fromStart + lastCommonSep + 1; i <= fromEnd; ++i) {
      if (i === fromEnd || from.charCodeAt(i) === BACKSLASH)
        out += out.length === 0 ? ".." : "\\..";
    }
    toStart += lastCommonSep;
    if (out.length > 0) return `${out}${toOrig.slice(toStart, toEnd)}`;
    if (toOrig.charCodeAt(toStart) === BACKSLASH) ++toStart;
    return toOrig.slice(toStart, toEnd);
  }

  win32.win32 = win32;
  return win32;
}

/** Leading backslashes skipped, trailing ones dropped (keeping at least one character). */
function trimBackslashes(path: string): [start: number, end: number] {
  let start = 0;
  while (start < path.length && path.charCodeAt(start) === BACKSLASH) start++;
  let end = path.length;
  while (end - 1 > start && path.charCodeAt(end - 1) === BACKSLASH) end--;
  return [start, end];
}
