/**
 * Node's module resolution over the VM filesystem: builtins, relative and absolute paths,
 * `node_modules` up the tree, package.json `main`, `exports` and `imports` with conditions,
 * self-references, and the format rules (`type`, .mjs/.cjs, ESM syntax detection). Errors carry
 * Node's codes (MODULE_NOT_FOUND, ERR_MODULE_NOT_FOUND, ERR_PACKAGE_PATH_NOT_EXPORTED, ...).
 */
import { relative as relativePath } from "node:path/posix";
import { pathToFileURL } from "node:url";
import { isKernelError } from "../../fs/errors.ts";
import { isDirMode } from "../../fs/types.ts";
import type { ProcessContext } from "../../kernel/process-context.ts";
import { CODE_MODE_SPECIFIER } from "../../tools/code-mode-names.ts";
import { toolKitsOf } from "../../tools/vm-tool-kits.ts";
import { BUILTIN_MODULE_LIST, BUILTIN_MODULES } from "./builtin-modules.ts";
import { rewriteImports } from "./source-transform.ts";

const BARE_BUILTINS = new Set(BUILTIN_MODULE_LIST);

export type ModuleFormat = "commonjs" | "module" | "json" | "addon";
export type ResolveMode = "require" | "import";

/** Import failures Node follows with "Did you mean to import ...?" when require would work. */
const HINTED = new Set(["ERR_MODULE_NOT_FOUND", "ERR_UNSUPPORTED_DIR_IMPORT"]);

export type Resolved =
  | { kind: "builtin"; name: string }
  | { kind: "file"; path: string; format: ModuleFormat };

interface PackageJson {
  path: string;
  name?: string;
  main?: string;
  type?: string;
  exports?: unknown;
  imports?: unknown;
}

const REQUIRE_EXTENSIONS = [".js", ".json", ".node"];

export class ModuleResolutionError extends Error {
  readonly code: string;
  /** The file URL that was looked for (Node sets it on ES module resolution errors). */
  url?: string;
  constructor(code: string, message: string, url?: string) {
    super(message);
    this.code = code;
    if (url !== undefined) this.url = url;
  }
}

/** Resolution with per-process caches of stats and package.json files. */
export class ModuleResolver {
  readonly #ctx: ProcessContext;
  readonly #kinds = new Map<string, "file" | "dir" | null>();
  readonly #packages = new Map<string, PackageJson | null>();
  /** Syntax detection results by path (see #detectModule). */
  readonly #detected = new Map<string, boolean>();

  constructor(ctx: ProcessContext) {
    this.#ctx = ctx;
  }

  async resolve(request: string, parentPath: string, mode: ResolveMode): Promise<Resolved> {
    try {
      return await this.#detectModule(await this.#resolve(request, parentPath, mode));
    } catch (error) {
      if (mode === "import" && error instanceof ModuleResolutionError && HINTED.has(error.code)) {
        const hint = await this.#commonJsHint(request, parentPath);
        if (hint !== undefined)
          error.message += `\nDid you mean to import ${JSON.stringify(hint)}?`;
      }
      throw error;
    }
  }

  /**
   * What `require` would have found for an import that failed, as Node suggests it: relative
   * to the importing file ("./dir/index.js"), inside its package for a bare name, else a URL.
   */
  async #commonJsHint(request: string, parentPath: string): Promise<string | undefined> {
    const specifier = request.startsWith("file://")
      ? decodeURIComponent(new URL(request).pathname)
      : request;
    let found: string;
    try {
      const resolved = await this.#resolve(specifier, parentPath, "require");
      if (resolved.kind !== "file") return undefined;
      found = resolved.path;
    } catch {
      return undefined;
    }
    if (isRelative(specifier) && !specifier.startsWith("/")) {
      const relative = relativePath(dirOf(parentPath), found);
      found = relative.startsWith("../") ? relative : `./${relative}`;
    } else if (!isRelative(specifier)) {
      const slash = specifier.indexOf(
        "/",
        specifier.startsWith("@") ? specifier.indexOf("/") + 1 : 0,
      );
      const pkg = slash === -1 ? specifier : specifier.slice(0, slash);
      const needle = `/node_modules/${pkg}/`;
      const at = found.lastIndexOf(needle);
      found =
        at === -1
          ? pathToFileURL(found).href
          : `${pkg}/${found
              .slice(at + needle.length)
              .split("/")
              .map(encodeURIComponent)
              .join("/")}`;
    }
    return found === specifier ? undefined : found;
  }

  async #resolve(request: string, parentPath: string, mode: ResolveMode): Promise<Resolved> {
    if (request.startsWith("node:")) {
      const name = request.slice(5);
      if (BUILTIN_MODULES.has(name)) return { kind: "builtin", name };
      throw new ModuleResolutionError(
        "ERR_UNKNOWN_BUILTIN_MODULE",
        `No such built-in module: ${request}`,
      );
    }
    if (BARE_BUILTINS.has(request)) {
      return { kind: "builtin", name: request };
    }
    if (request === CODE_MODE_SPECIFIER) return this.#toolsModule(request, parentPath, mode);
    const parentDir = dirOf(parentPath);
    let path: string | undefined;
    if (request.startsWith("file://")) {
      path = decodeURIComponent(new URL(request).pathname);
      if (mode === "require") path = await this.#loadAsFileOrDir(path);
      else path = await this.#exactFile(path, request, parentPath);
    } else if (isRelative(request)) {
      const target = joinPath(request.startsWith("/") ? "/" : parentDir, request);
      if (mode === "require") path = await this.#loadAsFileOrDir(target);
      else path = await this.#exactFile(target, request, parentPath);
    } else if (request.startsWith("#")) {
      path = await this.#resolveImports(request, parentPath, mode);
    } else {
      path = await this.#resolvePackage(request, parentPath, mode);
    }
    if (path === undefined) throw this.#notFound(request, parentPath, mode);
    return { kind: "file", path, format: await this.formatOf(path) };
  }

  /** The host tools' module exists only in VMs created with toolkits. */
  #toolsModule(request: string, parentPath: string, mode: ResolveMode): Resolved {
    if (toolKitsOf(this.#ctx.kernel).length > 0) return { kind: "builtin", name: request };
    const error = this.#notFound(request, parentPath, mode);
    if (mode === "import") error.message += " (this VM has no host tools: no toolKits were given)";
    throw error;
  }

  /**
   * Node 24's syntax detection: a .js or .ts file whose package.json does not give a `type`
   * is an ES module when it has import/export syntax. Here, in resolution, so that require,
   * the main entry and import all see the same format.
   */
  async #detectModule(resolved: Resolved): Promise<Resolved> {
    if (resolved.kind !== "file" || resolved.format !== "commonjs") return resolved;
    if (!(await this.typeUnspecified(resolved.path))) return resolved;
    let detected = this.#detected.get(resolved.path);
    if (detected === undefined) {
      const text = new TextDecoder().decode(await this.#ctx.readFile(resolved.path));
      detected = rewriteImports(text, "").hasModuleSyntax;
      this.#detected.set(resolved.path, detected);
    }
    return detected ? { ...resolved, format: "module" } : resolved;
  }

  /** The module format of a file, from its extension and the nearest package.json. */
  async formatOf(path: string): Promise<ModuleFormat> {
    if (/\.m[jt]s$/.test(path)) return "module";
    if (/\.c[jt]s$/.test(path)) return "commonjs";
    if (path.endsWith(".json")) return "json";
    if (path.endsWith(".node")) return "addon";
    const pkg = await this.packageScope(dirOf(path));
    return pkg?.type === "module" ? "module" : "commonjs";
  }

  /** Whether the nearest package.json says nothing about `type` (ESM detection applies). */
  async typeUnspecified(path: string): Promise<boolean> {
    if (!/\.[jt]s$/.test(path)) return false;
    const pkg = await this.packageScope(dirOf(path));
    return pkg?.type === undefined;
  }

  /** The package.json that governs `dir` (the nearest one going up). */
  async packageScope(dir: string): Promise<PackageJson | null> {
    for (let current = dir; ; current = dirOf(current)) {
      if (current.endsWith("/node_modules")) return null;
      const pkg = await this.#readPackage(current);
      if (pkg) return pkg;
      if (current === "/") return null;
    }
  }

  async #kind(path: string): Promise<"file" | "dir" | null> {
    const cached = this.#kinds.get(path);
    if (cached !== undefined) return cached;
    let kind: "file" | "dir" | null = null;
    try {
      const stat = await this.#ctx.stat(path);
      kind = isDirMode(stat.mode) ? "dir" : "file";
    } catch (error) {
      if (!isKernelError(error)) throw error;
    }
    this.#kinds.set(path, kind);
    return kind;
  }

  async #readPackage(dir: string): Promise<PackageJson | null> {
    const cached = this.#packages.get(dir);
    if (cached !== undefined) return cached;
    const path = joinPath(dir, "package.json");
    let pkg: PackageJson | null = null;
    if ((await this.#kind(path)) === "file") {
      const text = new TextDecoder().decode(await this.#ctx.readFile(path));
      let data: Record<string, unknown>;
      try {
        data = JSON.parse(text) as Record<string, unknown>;
      } catch (error) {
        throw new ModuleResolutionError(
          "ERR_INVALID_PACKAGE_CONFIG",
          `Invalid package config ${path}.\n${(error as Error).message}`,
        );
      }
      pkg = {
        path,
        name: typeof data.name === "string" ? data.name : undefined,
        main: typeof data.main === "string" ? data.main : undefined,
        type: typeof data.type === "string" ? data.type : undefined,
        exports: data.exports,
        imports: data.imports,
      };
    }
    this.#packages.set(dir, pkg);
    return pkg;
  }

  async #exactFile(path: string, request: string, parent: string): Promise<string | undefined> {
    const kind = await this.#kind(path);
    if (kind === "file") return path;
    if (kind === "dir") {
      throw new ModuleResolutionError(
        "ERR_UNSUPPORTED_DIR_IMPORT",
        `Directory import '${path}' is not supported resolving ES modules imported from ${parent}`,
        pathToFileURL(path).href,
      );
    }
    void request;
    return undefined;
  }

  async #loadAsFileOrDir(path: string): Promise<string | undefined> {
    return (await this.#loadAsFile(path)) ?? (await this.#loadAsDirectory(path));
  }

  async #loadAsFile(path: string): Promise<string | undefined> {
    if ((await this.#kind(path)) === "file") return path;
    for (const ext of REQUIRE_EXTENSIONS) {
      if ((await this.#kind(path + ext)) === "file") return path + ext;
    }
    return undefined;
  }

  async #loadAsDirectory(path: string): Promise<string | undefined> {
    if ((await this.#kind(path)) !== "dir") return undefined;
    const pkg = await this.#readPackage(path);
    if (pkg?.main) {
      const main = joinPath(path, pkg.main);
      const found = (await this.#loadAsFile(main)) ?? (await this.#loadIndex(main));
      if (found) return found;
    }
    return this.#loadIndex(path);
  }

  async #loadIndex(dir: string): Promise<string | undefined> {
    for (const ext of REQUIRE_EXTENSIONS) {
      const index = joinPath(dir, `index${ext}`);
      if ((await this.#kind(index)) === "file") return index;
    }
    return undefined;
  }

  async #resolvePackage(
    request: string,
    parentPath: string,
    mode: ResolveMode,
  ): Promise<string | undefined> {
    const parentDir = dirOf(parentPath);
    const { name, subpath } = splitPackageRequest(request);
    // A package may import itself by name through its own exports.
    const scope = await this.packageScope(parentDir);
    if (scope?.name === name && scope.exports !== undefined) {
      return this.#resolveExports(dirOf(scope.path), scope, subpath, mode, request);
    }
    for (let dir = parentDir; ; dir = dirOf(dir)) {
      if (!dir.endsWith("/node_modules")) {
        const pkgDir = joinPath(dir === "/" ? "/node_modules" : `${dir}/node_modules`, name);
        if ((await this.#kind(pkgDir)) === "dir") {
          const pkg = await this.#readPackage(pkgDir);
          if (pkg?.exports !== undefined && pkg.exports !== null) {
            return this.#resolveExports(pkgDir, pkg, subpath, mode, request);
          }
          const target = subpath === "." ? pkgDir : joinPath(pkgDir, subpath);
          // ES resolution takes a subpath as it is written: no extensions, no index files.
          if (mode === "import" && subpath !== ".") {
            const exact = await this.#exactFile(target, request, parentPath);
            if (exact) return exact;
            throw this.#notFound(request, parentPath, mode, target);
          }
          const found = await this.#loadAsFileOrDir(target);
          if (found) return found;
        }
      }
      if (dir === "/") return undefined;
    }
  }

  async #resolveExports(
    pkgDir: string,
    pkg: PackageJson,
    subpath: string,
    mode: ResolveMode,
    request: string,
  ): Promise<string> {
    let exportsMap = pkg.exports;
    const isConditionalSugar =
      typeof exportsMap === "string" ||
      Array.isArray(exportsMap) ||
      (isObject(exportsMap) && Object.keys(exportsMap).every((k) => !k.startsWith(".")));
    if (isConditionalSugar) exportsMap = { ".": exportsMap };
    const target = matchSubpath(exportsMap as Record<string, unknown>, subpath, conditions(mode));
    if (target === undefined) {
      throw new ModuleResolutionError(
        "ERR_PACKAGE_PATH_NOT_EXPORTED",
        subpath === "."
          ? `No "exports" main defined in ${pkg.path}`
          : `Package subpath '${subpath}' is not defined by "exports" in ${pkg.path}`,
      );
    }
    const path = joinPath(pkgDir, target);
    if ((await this.#kind(path)) !== "file") {
      throw this.#notFound(request, pkg.path, mode, path);
    }
    return path;
  }

  async #resolveImports(
    request: string,
    parentPath: string,
    mode: ResolveMode,
  ): Promise<string | undefined> {
    const parentDir = dirOf(parentPath);
    const scope = await this.packageScope(parentDir);
    if (!scope || !isObject(scope.imports)) {
      throw new ModuleResolutionError(
        "ERR_PACKAGE_IMPORT_NOT_DEFINED",
        `Package import specifier "${request}" is not defined${scope ? ` in package ${scope.path}` : ""}`,
      );
    }
    const target = matchSubpath(scope.imports, request, conditions(mode));
    if (target === undefined) {
      throw new ModuleResolutionError(
        "ERR_PACKAGE_IMPORT_NOT_DEFINED",
        `Package import specifier "${request}" is not defined in package ${scope.path}`,
      );
    }
    if (!target.startsWith("./")) return this.#resolvePackage(target, parentPath, mode);
    return joinPath(dirOf(scope.path), target);
  }

  #notFound(request: string, parent: string, mode: ResolveMode, path?: string): Error {
    if (mode === "import") {
      const isPackage = !isRelative(request) && !request.startsWith("file:");
      if (isPackage && !path) {
        return new ModuleResolutionError(
          "ERR_MODULE_NOT_FOUND",
          `Cannot find package '${splitPackageRequest(request).name}' imported from ${parent}`,
        );
      }
      const missing = path ?? joinPath(dirOf(parent), request);
      return new ModuleResolutionError(
        "ERR_MODULE_NOT_FOUND",
        `Cannot find module '${missing}' imported from ${parent}`,
        pathToFileURL(missing).href,
      );
    }
    // The main entry has no require stack (Node prints none).
    const stack = parent.endsWith("/[main]") ? "" : `\nRequire stack:\n- ${parent}`;
    return new ModuleResolutionError("MODULE_NOT_FOUND", `Cannot find module '${request}'${stack}`);
  }
}

function conditions(mode: ResolveMode): string[] {
  return mode === "require"
    ? ["node", "require", "module-sync", "default"]
    : ["node", "import", "module-sync", "default"];
}

/** Finds `subpath` in an exports/imports map, with `*` patterns, then applies conditions. */
function matchSubpath(
  map: Record<string, unknown>,
  subpath: string,
  active: string[],
): string | undefined {
  if (Object.hasOwn(map, subpath) && !subpath.includes("*")) {
    return resolveTarget(map[subpath], "", active);
  }
  let bestKey = "";
  let bestMatch = "";
  for (const key of Object.keys(map)) {
    const star = key.indexOf("*");
    if (star < 0) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (
      subpath.startsWith(prefix) &&
      subpath.length >= key.length &&
      subpath.endsWith(suffix) &&
      patternKeyCompare(bestKey, key) > 0
    ) {
      bestKey = key;
      bestMatch = subpath.slice(prefix.length, subpath.length - suffix.length);
    }
  }
  if (bestKey) return resolveTarget(map[bestKey], bestMatch, active);
  return undefined;
}

function patternKeyCompare(a: string, b: string): number {
  if (a === "") return 1;
  const aStar = a.indexOf("*");
  const bStar = b.indexOf("*");
  const aBase = aStar < 0 ? a.length : aStar + 1;
  const bBase = bStar < 0 ? b.length : bStar + 1;
  if (aBase !== bBase) return aBase > bBase ? -1 : 1;
  return b.length - a.length;
}

function resolveTarget(target: unknown, match: string, active: string[]): string | undefined {
  if (typeof target === "string") {
    if (!target.startsWith("./") && !target.startsWith("../") && !target.startsWith("/")) {
      // Bare targets are only valid in "imports" (they name another package).
      return target.replaceAll("*", match);
    }
    return target.replaceAll("*", match);
  }
  if (Array.isArray(target)) {
    for (const item of target) {
      const resolved = resolveTarget(item, match, active);
      if (resolved !== undefined) return resolved;
    }
    return undefined;
  }
  if (isObject(target)) {
    for (const [condition, value] of Object.entries(target)) {
      if (active.includes(condition)) {
        const resolved = resolveTarget(value, match, active);
        if (resolved !== undefined) return resolved;
      }
    }
  }
  return undefined;
}

function splitPackageRequest(request: string): { name: string; subpath: string } {
  const parts = request.split("/");
  const nameParts = request.startsWith("@") ? 2 : 1;
  const name = parts.slice(0, nameParts).join("/");
  const rest = parts.slice(nameParts).join("/");
  return { name, subpath: rest ? `./${rest}` : "." };
}

function isRelative(request: string): boolean {
  return (
    request === "." ||
    request === ".." ||
    request.startsWith("./") ||
    request.startsWith("../") ||
    request.startsWith("/")
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function dirOf(path: string): string {
  const index = path.lastIndexOf("/");
  return index <= 0 ? "/" : path.slice(0, index);
}

/** Joins and normalises POSIX paths. */
export function joinPath(base: string, relative: string): string {
  const parts = (relative.startsWith("/") ? relative : `${base}/${relative}`).split("/");
  const out: string[] = [];
  for (const part of parts) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return `/${out.join("/")}`;
}
