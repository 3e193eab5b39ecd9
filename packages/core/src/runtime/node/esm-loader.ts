/**
 * ES modules of one guest process, compiled by the host into the guest's isolate. The whole
 * import graph is read and compiled first (file reads are asynchronous kernel calls), then
 * linked and evaluated. Builtins, CommonJS files and JSON are imported through small generated
 * modules that take their values from the guest's CommonJS loader, as Node's ESM loader does.
 *
 * `require()` of an ES module loads and links its graph here too (import conditions, one
 * instance per file shared with `import`), then the guest evaluates it synchronously.
 */

import { fileURLToPath } from "node:url";
import { init as initCjsLexer, parse as parseCjs } from "cjs-module-lexer";
import { parse as parseEsm } from "es-module-lexer";
import type ivm from "isolated-vm";
import { snapshotModuleSource } from "./agent-image.ts";
import { withArrow } from "./compile-error-arrow.ts";
import type { GuestProcess } from "./guest-process.ts";
import { decorateLinkError } from "./link-error-arrow.ts";
import type { ModuleResolver, Resolved } from "./module-resolver.ts";
import { ESM_HOOKS, markEvaluated, rewriteImports, stripTypes } from "./source-transform.ts";
import { hasTopLevelAwait } from "./top-level-await.ts";

await initCjsLexer();

interface ModuleRecord {
  url: string;
  module: ivm.Module;
  /** Resolved dependency URL for each specifier. */
  deps: Map<string, string>;
  /**
   * Source of an ES module that may use top-level await, kept until `require()` has checked
   * it or the module has been evaluated (then the question no longer matters).
   */
  awaitSource?: { text: string; filename: string };
}

/** Node's message; the guest adds the required module and the require stack. */
const REQUIRE_ASYNC_MESSAGE =
  "require() cannot be used on an ESM graph with top-level await. Use import() instead. To see where the top-level await comes from, use --experimental-print-required-tla.";

export class EsmLoader {
  readonly #g: GuestProcess;
  readonly #resolver: ModuleResolver;
  readonly #records = new Map<string, ModuleRecord>();
  readonly #loading = new Map<string, Promise<ModuleRecord>>();
  readonly #byModule = new Map<ivm.Module, ModuleRecord>();
  /** Export names of builtins read while the guest waited (see #compileBuiltins). */
  readonly #builtinNames = new Map<string, string[]>();
  /** URL → name of every builtin a module imports. */
  readonly #builtinUrls = new Map<string, string>();

  constructor(g: GuestProcess, resolver: ModuleResolver) {
    this.#g = g;
    this.#resolver = resolver;
  }

  /**
   * Loads and links `resolved` under its evaluation wrapper (see #evaluationWrapper); returns a
   * guest object `{ module, key }` with the wrapper's handle, which the guest evaluates itself
   * (guest/modules.ts evaluateImport): isolated-vm's evaluate() on this side would neither wait
   * for top-level awaits nor hand over V8's evaluation promise, and would run the body outside
   * the promise job Node runs it in.
   */
  async import(resolved: Resolved, source?: string): Promise<ivm.Reference> {
    const url =
      source !== undefined && resolved.kind === "file" ? sourceUrl(resolved.path) : urlOf(resolved);
    const record = await this.#load(url, resolved, source);
    await this.#compileBuiltins(record, true);
    try {
      record.module.instantiateSync(this.#g.context, (specifier, referrer) =>
        this.#link(specifier, referrer),
      );
    } catch (error) {
      throw await decorateLinkError(error, {
        graph: this.#graph(record),
        source: (each) => this.#fileText(each.url),
        isCommonJs: async (specifier) => {
          if (resolved.kind !== "file") return false;
          const dep = await this.#resolver
            .resolve(specifier, resolved.path, "import")
            .catch(() => undefined);
          return dep?.kind === "file" && dep.format === "commonjs";
        },
      });
    }
    const wrapper = this.#evaluationWrapper(record.url);
    // Evaluated next (the guest's next turn): require() no longer needs to look for awaits.
    this.#forgetSources(record);
    return this.#g.context.evalClosureSync("return { module: $0, key: $1 };", [wrapper, url], {
      result: { reference: true },
    }) as ivm.Reference;
  }

  /**
   * The module an imported graph is evaluated under, linked: it imports a probe, then the
   * target. The probe imports the wrapper back (a cycle, so it runs first, the wrapper being
   * the cycle's root whose evaluation promise V8 keeps) and hands the guest, keyed by the
   * target's URL, what the wrapper's hoisted function gives before the target runs: the
   * wrapper's import.meta, behind which V8 keeps the wrapper (packages/guest-v8's
   * module_evaluation.cc: the graph's evaluation promise, its stalled top-level awaits), and
   * the target's namespace. One wrapper per target: a later import gets the same promise.
   */
  #evaluationWrapper(target: string): ivm.Module {
    const url = `${target}#agentos-evaluation`;
    const probeUrl = `${target}#agentos-evaluation-probe`;
    for (const [each, source, deps] of [
      [
        url,
        `import ${JSON.stringify(probeUrl)};\nimport * as namespace from ${JSON.stringify(target)};\nexport function evaluation() {\n  return [import.meta, namespace];\n}\n`,
        [probeUrl, target],
      ],
      [
        probeUrl,
        `import { evaluation } from ${JSON.stringify(url)};\n${ESM_HOOKS}.evaluating(${JSON.stringify(target)}, evaluation());\n`,
        [url],
      ],
    ] as const) {
      if (this.#records.has(each)) continue;
      const module = this.#g.isolate.compileModuleSync(source, { filename: each });
      const record = { url: each, module, deps: new Map(deps.map((dep) => [dep, dep])) };
      this.#records.set(each, record);
      this.#byModule.set(module, record);
    }
    const wrapper = this.#records.get(url) as ModuleRecord;
    wrapper.module.instantiateSync(this.#g.context, (specifier, referrer) =>
      this.#link(specifier, referrer),
    );
    return wrapper.module;
  }

  /**
   * `require()` of an ES module, as Node 24 does it: the graph is loaded with import
   * conditions, refused if any module in it uses top-level await, and linked here; the guest
   * evaluates it synchronously itself, on its own thread, where its code may make synchronous
   * host calls (the host's thread could not serve them). Returns the root module's handle,
   * or the builtins the guest must load first (it cannot run their code while it waits here).
   */
  async prepareRequire(resolved: Resolved): Promise<ivm.Module | { builtins: string[] }> {
    const url = urlOf(resolved);
    const record = await this.#load(url, resolved);
    const builtins = await this.#compileBuiltins(record, false);
    if (builtins.length > 0) return { builtins };
    for (const each of this.#graph(record)) {
      const pending = each.awaitSource;
      if (pending && (await hasTopLevelAwait(pending.text, pending.filename)))
        throw Object.assign(new Error(REQUIRE_ASYNC_MESSAGE), { code: "ERR_REQUIRE_ASYNC_MODULE" });
    }
    this.#forgetSources(record);
    record.module.instantiateSync(this.#g.context, (specifier, referrer) =>
      this.#link(specifier, referrer),
    );
    return record.module;
  }

  /**
   * What `require()` of an ES module with a default export returns in Node: a namespace with
   * the same live exports plus `__esModule: true`, so code compiled from ESM to CommonJS
   * finds the default export. A module re-exporting the original, linked and handed to the
   * guest to evaluate.
   */
  requireFacade(resolved: Resolved): ivm.Module {
    return this.#wrapper(
      urlOf(resolved),
      "require-facade",
      "export * from URL;\nexport { default } from URL;\nexport const __esModule = true;\n",
    );
  }

  /** A generated module (`URL` in `template` stands for `target`), linked. */
  #wrapper(target: string, kind: string, template: string): ivm.Module {
    const url = `${target}#agentos-${kind}`;
    let record = this.#records.get(url);
    if (!record) {
      const source = template.replaceAll("URL", JSON.stringify(target));
      const module = this.#g.isolate.compileModuleSync(source, { filename: url });
      record = { url, module, deps: new Map([[target, target]]) };
      this.#records.set(url, record);
      this.#byModule.set(module, record);
    }
    record.module.instantiateSync(this.#g.context, (specifier, referrer) =>
      this.#link(specifier, referrer),
    );
    return record.module;
  }

  /** The text of a module read from a file (for error headers), if it is one. */
  async #fileText(url: string): Promise<string | undefined> {
    if (!url.startsWith("file://") || url.includes("#")) return undefined;
    try {
      return new TextDecoder().decode(await this.#g.ctx.readFile(fileURLToPath(url)));
    } catch {
      return undefined;
    }
  }

  /** The records of `root`'s import graph, each once. */
  #graph(root: ModuleRecord): ModuleRecord[] {
    const seen = new Set<ModuleRecord>([root]);
    const order = [root];
    for (let i = 0; i < order.length; i++) {
      for (const url of order[i].deps.values()) {
        const dep = this.#records.get(url);
        if (dep && !seen.has(dep)) {
          seen.add(dep);
          order.push(dep);
        }
      }
    }
    return order;
  }

  /**
   * Compiles the facade modules of the builtins `root`'s graph imports. Their export names come
   * from the guest's builtin objects. With `load` false the guest is waiting in a synchronous
   * call and no code of it that calls the host may run (a builtin's factory may): builtins it
   * has not loaded yet are left out and their names returned.
   */
  async #compileBuiltins(root: ModuleRecord, load: boolean): Promise<string[]> {
    const missing: string[] = [];
    for (const record of this.#graph(root)) {
      for (const url of record.deps.values()) {
        const name = this.#builtinUrls.get(url);
        if (name === undefined || this.#records.has(url)) continue;
        if (!load) {
          const names = this.#g.context.evalSync(
            `${ESM_HOOKS}.builtinExports(${JSON.stringify(name)}, false)`,
            { copy: true },
          ) as string[] | null;
          if (names === null) {
            if (!missing.includes(name)) missing.push(name);
            continue;
          }
          this.#builtinNames.set(name, names);
        }
        await this.#load(url, { kind: "builtin", name });
      }
    }
    return missing;
  }

  #forgetSources(root: ModuleRecord): void {
    for (const each of this.#graph(root)) each.awaitSource = undefined;
  }

  /** Evaluates module source that is not a file (`node --input-type=module -e ...`). */
  importSource(source: string, path: string): Promise<ivm.Reference> {
    return this.import({ kind: "file", path, format: "module" }, source);
  }

  #link(specifier: string, referrer: ivm.Module): ivm.Module {
    const parent = this.#byModule.get(referrer);
    const url = parent?.deps.get(specifier);
    const record = url === undefined ? undefined : this.#records.get(url);
    if (!record) throw new Error(`Cannot find module '${specifier}'`);
    return record.module;
  }

  #load(url: string, resolved: Resolved, sourceText?: string): Promise<ModuleRecord> {
    const done = this.#records.get(url);
    if (done) return Promise.resolve(done);
    let loading = this.#loading.get(url);
    if (!loading) {
      loading = this.#compile(url, resolved, sourceText);
      this.#loading.set(url, loading);
    }
    return loading;
  }

  async #compile(url: string, resolved: Resolved, sourceText?: string): Promise<ModuleRecord> {
    const { source, filename } =
      sourceText === undefined
        ? await this.#sourceOf(url, resolved)
        : {
            source: markEvaluated(rewriteImports(sourceText, url).code, markKey(url, resolved)),
            filename: url,
          };
    let module: ivm.Module;
    try {
      module = this.#g.codeCache.compile(url, source, (cache) =>
        this.#g.isolate.compileModuleSync(source, { filename, ...cache }),
      );
    } catch (error) {
      // Node's message has no " [file:line:column]" suffix; its header shows the place.
      throw withArrow(error, source, "module");
    }
    const record: ModuleRecord = {
      url,
      module,
      deps: new Map(),
    };
    // Generated modules (builtins, CommonJS, JSON) never await; ES files are asked if required.
    const isEsFile =
      sourceText !== undefined || (resolved.kind === "file" && resolved.format === "module");
    if (isEsFile && /\bawait\b/.test(source)) record.awaitSource = { text: source, filename };
    this.#records.set(url, record);
    this.#byModule.set(module, record);
    const parentPath = resolved.kind === "file" ? resolved.path : "/";
    const asJson = jsonImportSpecifiers(source);
    for (const specifier of module.dependencySpecifiers) {
      const dep = await this.#resolver.resolve(specifier, parentPath, "import");
      const depUrl = urlOf(dep);
      if (dep.kind === "file" && dep.format === "json" && !asJson.has(specifier)) {
        throw Object.assign(
          new TypeError(`Module "${depUrl}" needs an import attribute of "type: json"`),
          { code: "ERR_IMPORT_ATTRIBUTE_MISSING" },
        );
      }
      record.deps.set(specifier, depUrl);
      // Builtins come once the graph is known: see #compileBuiltins.
      if (dep.kind === "builtin") this.#builtinUrls.set(depUrl, dep.name);
      else await this.#load(depUrl, dep);
    }
    return record;
  }

  async #sourceOf(url: string, resolved: Resolved): Promise<{ source: string; filename: string }> {
    if (resolved.kind === "builtin") {
      // Evaluated on the isolate's own thread: a builtin's factory may make synchronous host
      // calls (zlib asks the host for its constants), which the host's thread cannot serve.
      const names =
        this.#builtinNames.get(resolved.name) ??
        ((await this.#g.context.eval(
          `${ESM_HOOKS}.builtinExports(${JSON.stringify(resolved.name)}, true)`,
          { copy: true },
        )) as string[]);
      return {
        source: reexport(`${ESM_HOOKS}.builtin(${JSON.stringify(resolved.name)})`, names),
        filename: url,
      };
    }
    const path = resolved.path;
    // An agent image's SDK entry: already evaluated in this isolate's snapshot.
    const snapshotted = snapshotModuleSource(this.#g, path);
    if (snapshotted !== undefined) return { source: snapshotted, filename: url };
    if (resolved.format === "addon") {
      throw Object.assign(
        new Error(`Cannot load native addon ${path}: native addons are not supported in the VM`),
        {
          code: "ERR_DLOPEN_FAILED",
        },
      );
    }
    const text = new TextDecoder().decode(await this.#g.ctx.readFile(path));
    if (resolved.format === "json") {
      return {
        source: `export default ${ESM_HOOKS}.json(${JSON.stringify(path)}, ${JSON.stringify(text)});`,
        filename: url,
      };
    }
    if (resolved.format === "commonjs") {
      const names = [...(await this.#commonJsExportNames(path, text, new Set()))];
      return {
        source: reexport(`${ESM_HOOKS}.require(${JSON.stringify(path)})`, names),
        filename: url,
      };
    }
    let source = stripShebang(text);
    if (/\.[mc]?ts$/.test(path)) source = stripTypes(source, path);
    return {
      source: markEvaluated(rewriteImports(source, url).code, markKey(url, resolved)),
      filename: url,
    };
  }

  /**
   * Named exports Node detects statically in a CommonJS file (the same lexer Node uses),
   * following its re-exports (`module.exports = require(...)`, `__exportStar(require(...))`)
   * into the files they name, as Node does.
   */
  async #commonJsExportNames(
    path: string,
    source: string,
    seen: Set<string>,
  ): Promise<Set<string>> {
    const names = new Set<string>();
    if (seen.has(path)) return names;
    seen.add(path);
    let lexed: { exports: string[]; reexports: string[] };
    try {
      lexed = parseCjs(source);
    } catch {
      return names;
    }
    for (const name of lexed.exports) names.add(name);
    for (const request of lexed.reexports) {
      let target: Resolved;
      try {
        target = await this.#resolver.resolve(request, path, "require");
      } catch {
        continue;
      }
      if (target.kind !== "file" || target.format !== "commonjs") continue;
      const text = new TextDecoder().decode(await this.#g.ctx.readFile(target.path));
      for (const name of await this.#commonJsExportNames(target.path, text, seen)) {
        if (name !== "default") names.add(name);
      }
    }
    return names;
  }
}

/** Specifiers the module imports `with { type: "json" }` (Node requires it for JSON). */
function jsonImportSpecifiers(source: string): Set<string> {
  const found = new Set<string>();
  try {
    const [imports] = parseEsm(source);
    for (const entry of imports) {
      const record = entry as {
        specifier?: string;
        attributes?: ReadonlyArray<readonly [string, string]> | null;
      };
      if (record.specifier && record.attributes?.some(([k, v]) => k === "type" && v === "json")) {
        found.add(record.specifier);
      }
    }
  } catch {
    // V8 compiled it, so the lexer's failure is its own; no JSON imports are assumed.
  }
  return found;
}

/** The URL an ES module is known by (what import.meta.url says). */
/** What a module's end-of-body marker names it by (see markEvaluated). */
function markKey(url: string, resolved: Resolved): string {
  return resolved.kind === "file" ? resolved.path : url;
}

export function urlOf(resolved: Resolved): string {
  if (resolved.kind === "file") return fileUrl(resolved.path);
  // agentos:tools is builtin-like but not Node's: it keeps its own scheme.
  return resolved.name.includes(":") ? resolved.name : `node:${resolved.name}`;
}

/** Node's URL of `-e`/stdin module code: the cwd's URL plus "/[eval1]", brackets as they are. */
function sourceUrl(path: string): string {
  const slash = path.lastIndexOf("/");
  return `${fileUrl(path.slice(0, slash))}/${path.slice(slash + 1)}`;
}

export function fileUrl(path: string): string {
  return `file://${encodeURI(path).replace(/[?#]/g, encodeURIComponent)}`;
}

function stripShebang(text: string): string {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return body.startsWith("#!") ? `//${body.slice(2)}` : body;
}

/** A module exporting `expression` as default and each named property snapshot. */
function reexport(expression: string, names: string[]): string {
  const lines = [`const m = ${expression};`, "export default m;"];
  const specifiers: string[] = [];
  names.forEach((name, index) => {
    if (name === "default") return;
    lines.push(`const e${index} = m[${JSON.stringify(name)}];`);
    specifiers.push(`e${index} as ${JSON.stringify(name)}`);
  });
  if (specifiers.length > 0) lines.push(`export { ${specifiers.join(", ")} };`);
  return lines.join("\n");
}
