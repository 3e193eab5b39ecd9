/**
 * The guest's CommonJS loader (`require`, `module`, `Module._cache`, `require.resolve`,
 * `createRequire`) and the hooks the host's ES module loader calls (`__agentos_esm`). Resolution
 * and compilation happen on the host (they read the VM filesystem and use V8's code cache); the
 * module objects and their caches live here, as in Node.
 */
import { BUILTIN_MODULE_LIST, PREFIX_ONLY_BUILTINS } from "../builtin-modules.ts";
import { isLoadedBuiltin, loadBuiltin } from "./builtins/registry.ts";
import { codedError, invalidArgType } from "./errors.ts";
import { decorateErrorStack } from "./fatal.ts";
import { callAsync, callSync, callSyncValue, callsBeforeBoot } from "./host.ts";
import { hold } from "./loop.ts";
import { captureRejections, forgetRejection } from "./rejections.ts";
import { v8 } from "./v8-extras.ts";

type Resolved =
  | { kind: "builtin"; name: string }
  | { kind: "file"; path: string; format: "commonjs" | "module" | "json" | "addon" };

type CjsWrapper = (
  exports: unknown,
  require: NodeRequire,
  module: Module,
  filename: string,
  dirname: string,
) => void;

interface NodeRequire {
  (id: string): unknown;
  resolve: ((request: string, options?: { paths?: string[] }) => string) & {
    paths(request: string): string[] | null;
  };
  cache: Record<string, Module>;
  main: Module | undefined;
  extensions: Record<string, unknown>;
}

/** Indirect eval: evaluates in the global scope, as a script. */
const globalEval = eval;

const cache: Record<string, Module> = Object.create(null);
let mainModule: Module | undefined;

export class Module {
  id: string;
  path: string;
  exports: unknown = {};
  filename: string | null;
  loaded = false;
  children: Module[] = [];
  paths: string[];
  parent: Module | null | undefined;
  require: NodeRequire;
  [key: string]: unknown;

  constructor(id = "", parent?: Module | null) {
    this.id = id;
    this.filename = id.startsWith("/") ? id : null;
    this.path = dirname(id.startsWith("/") ? id : `${process.cwd()}/x`);
    this.parent = parent;
    this.paths = nodeModulePaths(this.path);
    this.require = makeRequire(this);
    if (parent) parent.children.push(this);
  }

  static _cache = cache;
  /** As Node 24 lists them: every bare name, then the `node:`-only ones with their prefix. */
  static builtinModules = [
    ...BUILTIN_MODULE_LIST,
    ...PREFIX_ONLY_BUILTINS.map((name) => `node:${name}`),
  ];
  static _extensions: Record<string, unknown> = { ".js": true, ".json": true, ".node": true };
  static globalPaths = ["/root/.node_modules", "/root/.node_libraries", "/usr/lib/node"];
  static Module = Module;
  static isBuiltin(name: string): boolean {
    if (!name.startsWith("node:")) return BUILTIN_MODULE_LIST.includes(name);
    // `node:test`, `node:sqlite`, … exist only with the prefix.
    const bare = name.slice(5);
    return BUILTIN_MODULE_LIST.includes(bare) || PREFIX_ONLY_BUILTINS.includes(bare);
  }
  static createRequire(from: string | URL): NodeRequire {
    let path = typeof from === "string" ? from : from.href;
    if (path.startsWith("file://")) path = decodeURIComponent(new URL(path).pathname);
    if (!path.startsWith("/")) {
      throw codedError(
        TypeError,
        "ERR_INVALID_ARG_VALUE",
        `The argument 'filename' must be a file URL object, file URL string, or absolute path string. Received ${JSON.stringify(from)}`,
      );
    }
    const module = new Module(path.endsWith("/") ? `${path}noop.js` : path);
    return module.require;
  }
  static wrap(script: string): string {
    return `(function (exports, require, module, __filename, __dirname) { ${script}\n});`;
  }
  static _nodeModulePaths = nodeModulePaths;
  static syncBuiltinESMExports(): void {}
  static register(): void {
    throw codedError(
      Error,
      "ERR_AGENTOS_NOT_SUPPORTED",
      "module.register() hooks are not supported in the agentOS VM",
    );
  }
  static findSourceMap(): undefined {
    return undefined;
  }
  static enableCompileCache(): { status: number } {
    return { status: 2 };
  }
  static getCompileCacheDir(): undefined {
    return undefined;
  }
  static stripTypeScriptTypes(code: string): string {
    return callSync<string>("module.stripTypes", code);
  }

  _compile(content: string, filename: string): void {
    const fn = globalEval(Module.wrap(content)) as CjsWrapper;
    fn.call(this.exports, this.exports, this.require, this, filename, dirname(filename));
  }
}

function dirname(path: string): string {
  const index = path.lastIndexOf("/");
  return index <= 0 ? "/" : path.slice(0, index);
}

function nodeModulePaths(from: string): string[] {
  const paths: string[] = [];
  const parts = from.split("/").filter(Boolean);
  for (let i = parts.length; i >= 0; i--) {
    if (parts[i - 1] === "node_modules") continue;
    paths.push(`/${[...parts.slice(0, i), "node_modules"].join("/")}`);
  }
  return paths;
}

function resolveFrom(request: string, parentPath: string, mode: "require" | "import"): Resolved {
  return callSync<Resolved>("module.resolve", request, parentPath, mode);
}

function parentPathOf(module: Module): string {
  return module.filename ?? `${process.cwd()}/[eval]`;
}

function makeRequire(module: Module): NodeRequire {
  const require = ((id: unknown) => {
    if (typeof id !== "string") {
      throw codedError(
        TypeError,
        "ERR_INVALID_ARG_TYPE",
        `The "id" argument must be of type string. Received ${id === null ? "null" : typeof id}`,
      );
    }
    if (id === "") {
      throw codedError(
        TypeError,
        "ERR_INVALID_ARG_VALUE",
        "The argument 'id' must be a non-empty string. Received ''",
      );
    }
    return requireFrom(module, id);
  }) as NodeRequire;
  const resolve = ((request: string) => {
    const resolved = resolveFrom(request, parentPathOf(module), "require");
    return resolved.kind === "builtin" ? request : resolved.path;
  }) as NodeRequire["resolve"];
  resolve.paths = (request: string) =>
    Module.isBuiltin(request) ? null : nodeModulePaths(dirname(parentPathOf(module)));
  require.resolve = resolve;
  require.cache = cache;
  require.extensions = Module._extensions;
  Object.defineProperty(require, "main", { get: () => mainModule, enumerable: true });
  return require;
}

/** The files of the require chain that led to `module`, innermost first, as Node lists them. */
function requireStackOf(module: Module): string[] {
  const stack: string[] = [];
  for (let m: Module | null | undefined = module; m; m = m.parent) {
    stack.push(m.filename ?? m.id);
    if (!m.filename) break;
  }
  return stack;
}

function requireFrom(parent: Module, request: string): unknown {
  let resolved: Resolved;
  try {
    resolved = resolveFrom(request, parentPathOf(parent), "require");
  } catch (error) {
    if ((error as { code?: unknown }).code !== "MODULE_NOT_FOUND") throw error;
    // Rebuilt here, where the whole require chain is known (Node's message lists it).
    const stack = requireStackOf(parent);
    const notFound = new Error(
      `Cannot find module '${request}'\nRequire stack:\n- ${stack.join("\n- ")}`,
    ) as Error & { code: string; requireStack: string[] };
    notFound.code = "MODULE_NOT_FOUND";
    notFound.requireStack = stack;
    throw notFound;
  }
  if (resolved.kind === "builtin") return loadBuiltin(resolved.name);
  return loadFile(resolved, parent);
}

function loadFile(resolved: Extract<Resolved, { kind: "file" }>, parent: Module | null): unknown {
  const cached = cache[resolved.path];
  if (cached) {
    if (parent && !parent.children.includes(cached)) parent.children.push(cached);
    return cached.exports;
  }
  const module = new Module(resolved.path, parent);
  cache[resolved.path] = module;
  const snapshotted = snapshotModules.get(resolved.path);
  if (snapshotted) {
    // Evaluated into this isolate's snapshot already (an agent image): not loaded again.
    module.exports = snapshotted.exports;
    module.loaded = true;
    return module.exports;
  }
  let threw = true;
  try {
    loadInto(module, resolved);
    threw = false;
  } finally {
    if (threw) delete cache[resolved.path];
  }
  module.loaded = true;
  return module.exports;
}

function loadInto(module: Module, resolved: Extract<Resolved, { kind: "file" }>): void {
  const path = resolved.path;
  switch (resolved.format) {
    case "json": {
      const text = callSync<string>("module.readText", path);
      module.exports = parseJson(path, text);
      return;
    }
    case "addon":
      throw codedError(
        Error,
        "ERR_DLOPEN_FAILED",
        `Cannot load native addon ${path}: native addons are not supported in the agentOS VM`,
      );
    case "module":
      module.exports = requireEsm(module, path);
      return;
    default: {
      let wrapper: CjsWrapper;
      try {
        wrapper = callSyncValue<CjsWrapper>("module.compileCjs", path);
      } catch (error) {
        decorateErrorStack(error);
        throw error;
      }
      wrapper.call(module.exports, module.exports, module.require, module, path, dirname(path));
    }
  }
}

/** An ES module handle from the host (isolated-vm's Module, used from this isolate). */
interface EsmHandle {
  evaluateSync(): unknown;
  readonly namespace: { deref(): Record<string, unknown> };
}

/**
 * require() of an ES module, as in Node 24: the host loads and links the graph with import
 * conditions (the same instances `import` gets); it is evaluated here, synchronously. The
 * result is the namespace, its "module.exports" export if it has one, or, when it has a
 * default export, a namespace that adds `__esModule: true` (for ESM-to-CommonJS compiled code).
 */
function requireEsm(module: Module, path: string): unknown {
  let handle: EsmHandle;
  try {
    for (;;) {
      const answer = callSyncValue<EsmHandle | { builtins: string[] }>("module.requireEsm", path);
      if (!("builtins" in answer)) {
        handle = answer;
        break;
      }
      // The host cannot run a builtin's factory while this thread waits: load them, ask again.
      for (const name of answer.builtins) loadBuiltin(name);
    }
  } catch (error) {
    if ((error as { code?: unknown }).code !== "ERR_REQUIRE_ASYNC_MODULE") throw error;
    // Rebuilt here, where the require chain is known (Node's message lists it).
    const stack = module.parent ? requireStackOf(module.parent) : [];
    throw codedError(
      Error,
      "ERR_REQUIRE_ASYNC_MODULE",
      `${(error as Error).message}\nRequired module: ${path}\nRequire stack:\n- ${stack.join("\n- ")}`,
    );
  }
  // Evaluated here, on this thread. A throw while evaluating only rejects V8's evaluation
  // promise, which isolated-vm keeps out of reach: when the module's last statement (added by
  // the host, see markEvaluated) did not run, that promise is the last one V8 reported
  // rejected, and its reason is what require() throws, as in Node.
  // V8 keeps an errored module's rejected promise and reports it once: later requires throw
  // the remembered error, as Node's do.
  if (failedModules.has(path)) throw failedModules.get(path);
  const rejected = captureRejections(() => handle.evaluateSync());
  const failure = evaluatedModules.has(path) ? undefined : rejected.at(-1);
  if (failure) {
    forgetRejection(failure[0]);
    failedModules.set(path, failure[1]);
    throw failure[1];
  }
  const namespace = handle.namespace.deref();
  if (Object.hasOwn(namespace, "module.exports")) return namespace["module.exports"];
  if (!Object.hasOwn(namespace, "default") || Object.hasOwn(namespace, "__esModule"))
    return namespace;
  const facade = callSyncValue<EsmHandle>("module.requireEsmFacade", path);
  facade.evaluateSync();
  return facade.namespace.deref();
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    (error as Error).message = `${path}: ${(error as Error).message}`;
    throw error;
  }
}

/**
 * `process.getBuiltinModule(id)`: the builtin `id` names (with or without `node:`; the
 * prefix-only ones need it), or undefined when it names none.
 */
export function getBuiltinModule(id: unknown): unknown {
  if (typeof id !== "string") throw invalidArgType("id", "of type string", id);
  const bare = id.startsWith("node:") ? id.slice(5) : id;
  const known = id.startsWith("node:")
    ? BUILTIN_MODULE_LIST.includes(bare) || PREFIX_ONLY_BUILTINS.includes(bare)
    : BUILTIN_MODULE_LIST.includes(bare);
  return known ? loadBuiltin(bare) : undefined;
}

/** Runs the program's main CommonJS file. */
export function runMainCjs(path: string): void {
  const module = new Module(".", null);
  module.id = ".";
  module.filename = path;
  module.path = dirname(path);
  module.paths = nodeModulePaths(module.path);
  mainModule = module;
  cache[path] = module;
  loadInto(module, { kind: "file", path, format: "commonjs" });
  module.loaded = true;
}

/** A module object for `node -e` code (its require resolves from the cwd). */
export function evalModule(): Module {
  const module = new Module("[eval]", null);
  module.filename = `${process.cwd()}/[eval]`;
  module.paths = nodeModulePaths(process.cwd());
  return module;
}

/** The parent of `-r` preloads, as Node's: "internal/preload" at the cwd, with no file. */
export function preloadModule(): Module {
  const module = new Module("internal/preload", null);
  module.paths = nodeModulePaths(process.cwd());
  return module;
}

export function setMainModule(module: Module): void {
  mainModule = module;
}

/**
 * import(): the host resolves, loads and links the graph (keeping the process alive
 * meanwhile); it is evaluated here. Settles with the namespace once the graph's top-level
 * awaits have, or rejects with what its evaluation threw.
 */
export function dynamicImport(specifier: unknown, parentUrl: string): Promise<unknown> {
  return new Promise<LinkedImport>((resolve, reject) => {
    const release = hold();
    const parent = parentUrl.startsWith("file://")
      ? decodeURIComponent(new URL(parentUrl).pathname)
      : `${process.cwd()}/[eval]`;
    callAsync<LinkedImport>("module.import", [String(specifier), parent], (error, linked) => {
      release();
      if (error) reject(error);
      else resolve(linked as LinkedImport);
    });
  }).then((linked) => evaluateLinked(linked).done);
}

/** An imported graph as the host links it: the handle of its evaluation wrapper (esm-loader.ts). */
export interface LinkedImport {
  module: EsmHandle;
  /** The imported module's URL, by which the wrapper's probe reports (esmHooks.evaluating). */
  key: string;
}

/**
 * By imported URL: the evaluation wrapper's import.meta, behind which V8 keeps the wrapper
 * (the native evaluationPromise / stalledTopLevelAwaits take it), and the module's namespace.
 */
const evaluations = new Map<string, { meta: object; namespace: unknown }>();

/**
 * Evaluates an imported graph, once; call it from a promise job, as Node runs a module body in
 * one (the ticks the body queues then run after the microtasks it queues). Returns the
 * wrapper's import.meta and a promise of the namespace that settles with V8's evaluation
 * promise: after the graph's top-level awaits, rejected with what it threw. That promise gets
 * its handler here, so its rejection is never an unhandled one.
 */
export function evaluateLinked(linked: LinkedImport): { meta: object; done: Promise<unknown> } {
  if (!evaluations.has(linked.key)) linked.module.evaluateSync();
  const evaluation = evaluations.get(linked.key);
  if (!evaluation) throw new Error(`internal: ${linked.key} was evaluated without its probe`);
  const { meta, namespace } = evaluation;
  // Undefined only without the native module (a snapshot being made): no promise to wait on.
  const promise = v8.evaluationPromise(meta) ?? Promise.resolve();
  return { meta, done: promise.then(() => namespace) };
}

const metas = new Map<string, Record<string, unknown>>();

/**
 * Modules evaluated into the startup snapshot by an agent image (runtime/node/agent-image.ts),
 * by VM path: their exports object (ES module: esbuild's namespace copy) and original format.
 */
const snapshotModules = new Map<string, { exports: unknown; esm: boolean }>();

/** Called by an agent image's script while the snapshot is made; refuses an impure init. */
export function registerSnapshotModule(path: string, exports: unknown, esm: boolean): void {
  if (callsBeforeBoot.length > 0)
    throw new Error(
      `its initialisation called the host (${[...new Set(callsBeforeBoot)].join(", ")})`,
    );
  snapshotModules.set(path, { exports, esm });
}

/** The hooks generated module code calls (see the host's source-transform and esm-loader). */
/** ES modules whose body ran to its end (their paths; see markEvaluated). */
const evaluatedModules = new Set<string>();
/** Required ES modules whose evaluation threw, with what they threw. */
const failedModules = new Map<string, unknown>();

export const esmHooks = {
  builtin: (name: string) => loadBuiltin(name),
  /** An evaluation wrapper's probe, before the imported module runs (see evaluateLinked). */
  evaluating: (key: string, [meta, namespace]: [object, unknown]) => {
    evaluations.set(key, { meta, namespace });
  },
  evaluated: (key: string) => {
    evaluatedModules.add(key);
  },
  /**
   * The names a builtin's ES module facade exports; null, without running its factory, when
   * `load` is false and it is not loaded yet. A builtin that is a class (module, events, ...)
   * has its API as non-enumerable statics.
   */
  builtinExports: (name: string, load: boolean): string[] | null => {
    const bare = name.startsWith("node:") ? name.slice(5) : name;
    if (!load && !isLoadedBuiltin(bare)) return null;
    const m = loadBuiltin(bare) as Record<string, unknown>;
    const own =
      typeof m === "function"
        ? Object.getOwnPropertyNames(m).filter(
            (k) => !["length", "name", "prototype", "arguments", "caller"].includes(k),
          )
        : [];
    return [...new Set([...Object.keys(m), ...own])].filter((k) => /^[A-Za-z_$][\w$]*$/.test(k));
  },
  require: (path: string) => loadFile({ kind: "file", path, format: "commonjs" }, null),
  /** A snapshotted ES module's exports (see registerSnapshotModule), for its import facade. */
  snapshotModule: (path: string) => snapshotModules.get(path)?.exports,
  /** The export names of the snapshotted module `path`; null when there is none. */
  snapshotExports: (path: string): string[] | null => {
    const entry = snapshotModules.get(path);
    if (!entry || typeof entry.exports !== "object" || entry.exports === null) return null;
    return Object.keys(entry.exports);
  },
  json: (path: string, text: string) => parseJson(path, text),
  importFrom: (parentUrl: string) => (specifier: unknown) => dynamicImport(specifier, parentUrl),
  meta: (url: string) => {
    let meta = metas.get(url);
    if (!meta) {
      const isFile = url.startsWith("file://");
      const filename = isFile ? decodeURIComponent(new URL(url).pathname) : undefined;
      meta = Object.create(null) as Record<string, unknown>;
      meta.url = url;
      if (filename) {
        meta.filename = filename;
        meta.dirname = dirname(filename);
      }
      meta.resolve = (specifier: string) => {
        let resolved: Resolved;
        try {
          resolved = resolveFrom(specifier, filename ?? `${process.cwd()}/[eval]`, "import");
        } catch (error) {
          // As in Node, a file that is not there (or a directory) still resolves to its URL.
          const { code, url } = error as { code?: unknown; url?: unknown };
          const fileError =
            code === "ERR_MODULE_NOT_FOUND" || code === "ERR_UNSUPPORTED_DIR_IMPORT";
          if (fileError && typeof url === "string") return url;
          throw error;
        }
        if (resolved.kind === "file") return `file://${encodeURI(resolved.path)}`;
        // agentos:tools keeps its own scheme.
        return resolved.name.includes(":") ? resolved.name : `node:${resolved.name}`;
      };
      metas.set(url, meta);
    }
    return meta;
  },
};
