/** Pure POSIX path helpers over strings (no I/O). */

/**
 * Normalises an absolute path lexically: collapses "//", ".", and ".." (".." at the root
 * stays at the root). Only for paths that contain no symlinks to resolve, or where lexical
 * meaning is wanted (mount points, backend-internal paths).
 */
export function normalizePath(path: string): string {
  if (path === "/") return "/";
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}

/** Splits an absolute normalised path into components ("/" → []). */
export function splitPath(path: string): string[] {
  return path === "/" ? [] : path.slice(1).split("/");
}

export function joinPath(dir: string, name: string): string {
  return dir === "/" ? "/" + name : dir + "/" + name;
}

export function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  if (i <= 0) return "/";
  return path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Resolves `path` against `cwd` lexically when it is relative. */
export function absolutePath(cwd: string, path: string): string {
  return path.startsWith("/") ? path : cwd === "/" ? "/" + path : cwd + "/" + path;
}
