/**
 * The segment scanning node:path shares between its POSIX and Windows flavours: resolving dots,
 * finding the last segment, splitting off an extension, stripping a basename suffix, format().
 * Each takes the flavour's separators. Node's edge cases (a lone '.' or '..', trailing
 * separators, a suffix longer than the name) are kept, since programs see them.
 */

export interface Flavour {
  /** The separator written on output. */
  sep: string;
  /** Whether a character code separates segments on input. */
  isSep(code: number): boolean;
}

const SLASH = 47;
const BACKSLASH = 92;
const DOT = 46;

export const POSIX: Flavour = { sep: "/", isSep: (code) => code === SLASH };
export const WIN32: Flavour = {
  sep: "\\",
  isSep: (code) => code === SLASH || code === BACKSLASH,
};

/** Resolves '.' and '..' in a path without its root; separators come out as `flavour.sep`. */
export function normalizeSegments(path: string, allowAboveRoot: boolean, flavour: Flavour): string {
  const { sep, isSep } = flavour;
  let out = "";
  let lastSegmentLength = 0;
  let lastSep = -1;
  let dots = 0;
  let code = 0;
  for (let i = 0; i <= path.length; i++) {
    if (i < path.length) code = path.charCodeAt(i);
    else if (isSep(code)) break;
    else code = SLASH; // a separator after the last segment
    if (!isSep(code)) {
      dots = code === DOT && dots !== -1 ? dots + 1 : -1;
      continue;
    }
    if (lastSep === i - 1 || dots === 1) {
      // empty segment or '.'
    } else if (dots === 2) {
      const outIsDotDot = out.length >= 2 && lastSegmentLength === 2 && out.endsWith("..");
      if (!outIsDotDot && out.length > 2) {
        const cut = out.lastIndexOf(sep);
        out = cut === -1 ? "" : out.slice(0, cut);
        lastSegmentLength = cut === -1 ? 0 : out.length - 1 - out.lastIndexOf(sep);
        lastSep = i;
        dots = 0;
        continue;
      }
      if (!outIsDotDot && out.length !== 0) {
        out = "";
        lastSegmentLength = 0;
        lastSep = i;
        dots = 0;
        continue;
      }
      if (allowAboveRoot) {
        out += out.length > 0 ? `${sep}..` : "..";
        lastSegmentLength = 2;
      }
    } else {
      const segment = path.slice(lastSep + 1, i);
      out += out.length > 0 ? `${sep}${segment}` : segment;
      lastSegmentLength = i - lastSep - 1;
    }
    lastSep = i;
    dots = 0;
  }
  return out;
}

/** Start and end of the last segment at or after `start`, ignoring trailing separators. */
export function lastSegment(path: string, start: number, flavour: Flavour): [number, number] {
  let end = -1;
  for (let i = path.length - 1; i >= start; --i) {
    if (flavour.isSep(path.charCodeAt(i))) {
      if (end !== -1) return [i + 1, end];
    } else if (end === -1) {
      end = i + 1;
    }
  }
  return [start, end];
}

/** basename(path, suffix) once the suffix is known to be shorter than the path and not it. */
export function basenameWithSuffix(
  path: string,
  start: number,
  suffix: string,
  flavour: Flavour,
): string {
  const [baseStart, baseEnd] = lastSegment(path, start, flavour);
  let extIdx = suffix.length - 1;
  let end = -1;
  for (let i = baseEnd - 1; i >= baseStart && extIdx >= 0; --i) {
    if (path.charCodeAt(i) === suffix.charCodeAt(extIdx)) {
      if (--extIdx === -1) end = i;
    } else {
      extIdx = -1;
      end = baseEnd;
    }
  }
  if (baseStart === end) end = baseEnd;
  else if (end === -1) end = path.length; // Node's quirk: trailing separators are kept then
  return path.slice(baseStart, end);
}

/** basename(path) without a suffix. */
export function basenameOf(path: string, start: number, flavour: Flavour): string {
  const [baseStart, baseEnd] = lastSegment(path, start, flavour);
  return baseEnd === -1 ? "" : path.slice(baseStart, baseEnd);
}

/**
 * Where the last segment's extension starts (none for '.x', '..' or no dot). `partStart` is
 * where the segment is taken to start when no separator precedes it (POSIX parse() of an
 * absolute path scans from 1 but measures from 0).
 */
export function splitExtension(
  path: string,
  start: number,
  flavour: Flavour,
  partStart = start,
): { dot: number; end: number; partStart: number } | undefined {
  let startDot = -1;
  let startPart = partStart;
  let end = -1;
  // 0: no dot seen, 1: a dot before the extension's, -1: another character before it.
  let preDotState = 0;
  for (let i = path.length - 1; i >= start; --i) {
    const code = path.charCodeAt(i);
    if (flavour.isSep(code)) {
      if (end !== -1) {
        startPart = i + 1;
        break;
      }
      continue;
    }
    if (end === -1) end = i + 1;
    if (code === DOT) {
      if (startDot === -1) startDot = i;
      else if (preDotState !== 1) preDotState = 1;
    } else if (startDot !== -1) {
      preDotState = -1;
    }
  }
  if (
    startDot === -1 ||
    end === -1 ||
    preDotState === 0 ||
    (preDotState === 1 && startDot === end - 1 && startDot === startPart + 1)
  ) {
    return undefined;
  }
  return { dot: startDot, end, partStart: startPart };
}

/** path.format for either flavour. */
export function formatPath(sep: string, pathObject: unknown): string {
  if (pathObject === null || typeof pathObject !== "object") {
    const error = new TypeError(
      `The "pathObject" argument must be of type object. Received ${pathObject === null ? "null" : `type ${typeof pathObject} (${String(pathObject)})`}`,
    ) as TypeError & { code: string };
    error.code = "ERR_INVALID_ARG_TYPE";
    throw error;
  }
  const object = pathObject as Record<string, string | undefined>;
  const dir = object.dir || object.root;
  const ext = object.ext ? `${object.ext[0] === "." ? "" : "."}${object.ext}` : "";
  const base = object.base || `${object.name || ""}${ext}`;
  if (!dir) return base;
  return dir === object.root ? `${dir}${base}` : `${dir}${sep}${base}`;
}
