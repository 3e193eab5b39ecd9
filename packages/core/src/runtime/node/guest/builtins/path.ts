/** node:path (POSIX; `win32` is added by its own file). */
export function createPath(): unknown {
  const posix = {
    sep: "/",
    delimiter: ":",
    normalize,
    join: (...parts: string[]) => {
      for (const part of parts) checkString(part, "path");
      const joined = parts.filter((p) => p.length > 0).join("/");
      return joined.length === 0 ? "." : normalize(joined);
    },
    resolve: (...parts: string[]) => {
      let resolved = "";
      for (let i = parts.length - 1; i >= -1 && !resolved.startsWith("/"); i--) {
        const part = i >= 0 ? parts[i] : process.cwd();
        checkString(part, `paths[${i}]`);
        if (part.length === 0) continue;
        resolved = resolved ? `${part}/${resolved}` : part;
      }
      const normal = normalizeSegments(resolved, false);
      return `/${normal}`;
    },
    isAbsolute: (path: string) => {
      checkString(path, "path");
      return path.startsWith("/");
    },
    relative: (from: string, to: string) => {
      checkString(from, "from");
      checkString(to, "to");
      if (from === to) return "";
      const a = posix.resolve(from).split("/").filter(Boolean);
      const b = posix.resolve(to).split("/").filter(Boolean);
      let common = 0;
      while (common < a.length && common < b.length && a[common] === b[common]) common++;
      return [...a.slice(common).map(() => ".."), ...b.slice(common)].join("/");
    },
    dirname: (path: string) => {
      checkString(path, "path");
      if (path.length === 0) return ".";
      const trimmed = path.replace(/\/+$/, "");
      if (trimmed.length === 0) return "/";
      const index = trimmed.lastIndexOf("/");
      if (index < 0) return ".";
      const dir = trimmed.slice(0, index).replace(/\/+$/, "");
      return dir.length === 0 ? (path.startsWith("//") && index === 1 ? "//" : "/") : dir;
    },
    basename: (path: string, suffix?: string) => {
      checkString(path, "path");
      if (suffix !== undefined) checkString(suffix, "suffix");
      const trimmed = path.replace(/\/+$/, "");
      let base = trimmed.slice(trimmed.lastIndexOf("/") + 1);
      if (suffix && base !== suffix && base.endsWith(suffix)) base = base.slice(0, -suffix.length);
      return base;
    },
    extname: (path: string) => {
      checkString(path, "path");
      const base = posix.basename(path);
      const index = base.lastIndexOf(".");
      if (index <= 0 || (index === 1 && base === "..")) return "";
      return base.slice(index);
    },
    format: (object: {
      root?: string;
      dir?: string;
      base?: string;
      name?: string;
      ext?: string;
    }) => {
      if (object === null || typeof object !== "object") {
        throw new TypeError(
          `The "pathObject" argument must be of type object. Received ${object === null ? "null" : typeof object}`,
        );
      }
      const dir = object.dir || object.root;
      const ext = object.ext ? (object.ext.startsWith(".") ? object.ext : `.${object.ext}`) : "";
      const base = object.base || `${object.name ?? ""}${ext}`;
      if (!dir) return base;
      return dir === object.root ? `${dir}${base}` : `${dir}/${base}`;
    },
    parse: (path: string) => {
      checkString(path, "path");
      const root = path.startsWith("/") ? "/" : "";
      const base = posix.basename(path);
      const ext = posix.extname(path);
      let dir = posix.dirname(path);
      if (dir === "." && !path.includes("/")) dir = "";
      return { root, dir, base, ext, name: ext ? base.slice(0, -ext.length) : base };
    },
    toNamespacedPath: (path: string) => path,
    matchesGlob: () => {
      throw new Error("path.matchesGlob is not supported yet in the agentOS VM");
    },
    posix: undefined as unknown,
    win32: undefined as unknown,
  };
  posix.posix = posix;
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

function normalizeSegments(path: string, allowAboveRoot: boolean): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (allowAboveRoot) out.push("..");
    } else out.push(part);
  }
  return out.join("/");
}

function normalize(path: string): string {
  checkString(path, "path");
  if (path.length === 0) return ".";
  const absolute = path.startsWith("/");
  const trailing = path.endsWith("/");
  let normal = normalizeSegments(path, !absolute);
  if (normal.length === 0 && !absolute) normal = ".";
  if (normal.length > 0 && trailing) normal += "/";
  return absolute ? `/${normal}` : normal;
}
