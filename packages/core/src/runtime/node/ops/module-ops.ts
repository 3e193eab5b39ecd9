/**
 * Module loading for the guest: resolution, compiling CommonJS wrappers and eval scripts into
 * the guest's isolate (with V8 code caching), and ES module graphs.
 */
import { withArrow } from "../compile-error-arrow.ts";
import { EsmLoader, fileUrl } from "../esm-loader.ts";
import { GuestHandle, type GuestProcess, GuestValue } from "../guest-process.ts";
import type { HostOp } from "../host-ops.ts";
import { ModuleResolver, type ResolveMode } from "../module-resolver.ts";
import { rewriteImports, stripTypes } from "../source-transform.ts";

const CJS_WRAPPER_HEAD = "(function (exports, require, module, __filename, __dirname) { ";
const CJS_WRAPPER_TAIL = "\n})";

function resolver(g: GuestProcess): ModuleResolver {
  let r = g.state.get("resolver") as ModuleResolver | undefined;
  if (!r) {
    r = new ModuleResolver(g.ctx);
    g.state.set("resolver", r);
  }
  return r;
}

function esm(g: GuestProcess): EsmLoader {
  let loader = g.state.get("esm") as EsmLoader | undefined;
  if (!loader) {
    loader = new EsmLoader(g, resolver(g));
    g.state.set("esm", loader);
  }
  return loader;
}

async function readText(g: GuestProcess, path: string): Promise<string> {
  return new TextDecoder().decode(await g.ctx.readFile(path));
}

/**
 * Compiles `source` as a script in the guest and returns its completion value. `columnOffset`
 * shifts the columns of the first line, so that a wrapper prepended to it stays invisible in
 * stack traces (as Node's own CommonJS wrapper is).
 */
function compileScript(
  g: GuestProcess,
  source: string,
  filename: string,
  columnOffset = 0,
): GuestValue {
  const script = g.codeCache.compile(filename, source, (cache) =>
    g.isolate.compileScriptSync(source, { filename, columnOffset, ...cache }),
  );
  return new GuestValue(script.runSync(g.context, { reference: true }));
}

export const MODULE_OPS: Record<string, HostOp> = {
  /** → {kind, name} for builtins or {kind, path, format} for files. */
  "module.resolve": (g, [request, parent, mode]) =>
    resolver(g).resolve(request as string, parent as string, mode as ResolveMode),
  "module.readText": (g, [path]) => readText(g, path as string),
  /** A CommonJS module's wrapper function, compiled under its own file name. */
  "module.compileCjs": async (g, [path]) => {
    const file = path as string;
    let source = await readText(g, file);
    if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);
    if (source.startsWith("#!")) source = `//${source.slice(2)}`;
    if (/\.[cm]?ts$/.test(file)) source = stripTypes(source, file);
    source = rewriteImports(source, fileUrl(file)).code;
    // Node names a type-stripped CommonJS file by its URL in stack traces.
    const scriptName = /\.[cm]?ts$/.test(file) ? fileUrl(file) : file;
    try {
      return compileScript(
        g,
        CJS_WRAPPER_HEAD + source + CJS_WRAPPER_TAIL,
        scriptName,
        -CJS_WRAPPER_HEAD.length,
      );
    } catch (error) {
      // Node's message has no " [file:line:column]" suffix; its header shows the place.
      throw withArrow(error, source, "commonjs");
    }
  },
  /**
   * `node -e` / `-p` / stdin scripts, made ready for the guest to evaluate itself (as a sloppy
   * global script, so `var` makes globals and the completion value is kept).
   */
  "module.prepareEval": (g, [source, filename, typescript]) => {
    let code = source as string;
    g.state.set(`source:${filename as string}`, code);
    if (typescript) code = stripTypes(code, `${filename as string}.ts`);
    code = rewriteImports(code, fileUrl(`${g.ctx.cwd}/${filename as string}`)).code;
    return `${code}\n//# sourceURL=${filename as string}`;
  },
  /**
   * The header Node prints above a SyntaxError in `-e`/stdin code, or null when `code` (from
   * module.prepareEval) compiles, i.e. the SyntaxError came from running it. Node adds what
   * the TypeScript parser says of the source (it retries eval code as TypeScript).
   */
  "module.evalCompileError": (g, [code, filename, source]) => {
    try {
      g.isolate.compileScriptSync(code as string, { filename: filename as string });
      return null;
    } catch (error) {
      const arrow = (withArrow(error, code as string, "script") as { arrow?: string }).arrow;
      if (arrow === undefined) return null;
      try {
        stripTypes(source as string, `${filename as string}.ts`);
      } catch (tsError) {
        if (tsError instanceof SyntaxError) return `${arrow}\n${tsError.message}`;
      }
      return arrow;
    }
  },
  /** Imports an ES module (the entry point or a dynamic import): its graph, linked, to evaluate. */
  "module.import": async (g, [request, parent]) => {
    const resolved = await resolver(g).resolve(request as string, parent as string, "import");
    return new GuestValue(await esm(g).import(resolved));
  },
  /** require() of an ES module: its linked module handle, which the guest evaluates. */
  "module.requireEsm": async (g, [path]) => {
    const prepared = await esm(g).prepareRequire({
      kind: "file",
      path: path as string,
      format: "module",
    });
    return "builtins" in prepared ? prepared : new GuestHandle(prepared);
  },
  /** The `__esModule` namespace of a required ES module with a default export. */
  "module.requireEsmFacade": (g, [path]) =>
    new GuestHandle(esm(g).requireFacade({ kind: "file", path: path as string, format: "module" })),
  /** Imports ES module source given as text (`node --input-type=module -e`). */
  "module.importSource": async (g, [source, filename, typescript]) => {
    const path = `${g.ctx.cwd}/${filename as string}`;
    let code = source as string;
    if (typescript) code = stripTypes(code, `${path}.mts`);
    // Kept for module.sourceLine: no file holds it.
    g.state.set(`source:${path}`, code);
    return new GuestValue(await esm(g).importSource(code, path));
  },
  /** One line of a source file, for the header Node prints above a fatal error. */
  "module.sourceLine": async (g, [file, line]) => {
    const name = file as string;
    const path = name.startsWith("file://") ? decodeURIComponent(new URL(name).pathname) : name;
    if (!path.startsWith("/"))
      return g.state.get(`source:${name}`) === undefined
        ? undefined
        : (g.state.get(`source:${name}`) as string).split("\n")[(line as number) - 1];
    const kept = g.state.get(`source:${path}`);
    if (typeof kept === "string") return kept.split("\n")[(line as number) - 1];
    try {
      return (await readText(g, path)).split("\n")[(line as number) - 1];
    } catch {
      return undefined;
    }
  },
  "module.stripTypes": (_g, [source]) => stripTypes(source as string, "[stripTypeScriptTypes].ts"),
};
