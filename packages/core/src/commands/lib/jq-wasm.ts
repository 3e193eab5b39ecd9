/**
 * Runs the real jq (the npm package jq-web: jq's C sources compiled to WebAssembly by
 * emscripten) inside the host process. The module is compiled once per host process and a
 * fresh instance is created for each run, so no C static state (stdio EOF flags, leaks) carries
 * over between runs; an instance costs a few milliseconds.
 *
 * jq-web's own entry point builds one shared instance and only exposes a `raw(json, filter)`
 * helper, so we load its emscripten factory from the package's jq.js text instead (cut before
 * the self-invocation) and hook its preRun to wire stdin/stdout/stderr to our callbacks. The
 * emscripten filesystem is MEMFS only: the factory is evaluated with `require` and `process`
 * shadowed, so it can reach neither the host filesystem nor the host environment. The only
 * host files ever read are jq-web's own jq.js and jq.wasm (the library's code), never a path
 * from the VM.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** What a run needs: argv (without argv[0]), stdin bytes, files to place in MEMFS, env. */
export interface JqRunRequest {
  args: string[];
  stdin: Uint8Array;
  /** Absolute path → content; directories as `null`. */
  files: Map<string, Uint8Array | null>;
  cwd: string;
  env: Record<string, string>;
}

export interface JqRunResult {
  exitCode: number;
  stdout: Uint8Array;
  stderr: Uint8Array;
}

interface EmscriptenFS {
  mkdirTree(path: string): void;
  writeFile(path: string, data: Uint8Array): void;
  chdir(path: string): void;
  init(
    input: () => number | null,
    output: (c: number | null) => void,
    error: (c: number | null) => void,
  ): void;
}

interface JqModule {
  callMain(args: string[]): number;
}

/** The bits of the WebAssembly API used here (the project's TS libs do not declare it). */
interface WasmModule {
  readonly wasmModule: unique symbol;
}
interface WasmInstance {
  readonly wasmInstance: unique symbol;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  instantiate(module: WasmModule, imports: unknown): Promise<WasmInstance>;
}
const WebAssembly = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type Factory = (moduleArg: Record<string, unknown>) => Promise<JqModule>;

let loaded: { factory: Factory; wasm: WasmModule } | undefined;

function load(): { factory: Factory; wasm: WasmModule } {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const jsPath = require.resolve("jq-web/jq.js");
  const dir = jsPath.slice(0, jsPath.lastIndexOf("/") + 1);
  let source = readFileSync(jsPath, "utf8");
  const cut = source.indexOf("if (typeof exports === 'object' && typeof module === 'object') {");
  const hook = "preRun: function() {\n";
  if (cut < 0 || !source.includes(hook)) throw new Error("jq: unexpected jq-web build");
  source = source
    .slice(0, cut)
    .replace(hook, `${hook}if (Module.agentosSetup) { Module.agentosSetup(FS, ENV); return; }\n`);
  const noRequire = (name: string): never => {
    throw new Error(`jq-web may not load ${name}`);
  };
  // The factory text is the package's own code; shadowing require/process keeps it from
  // detecting Node.js, so it never touches the host filesystem or environment.
  const make = new Function(
    "require",
    "process",
    "__filename",
    "__dirname",
    `${source}\nreturn jq;`,
  );
  const factory = make(noRequire, undefined, jsPath, dir) as Factory;
  const wasm = new WebAssembly.Module(readFileSync(`${dir}jq.wasm`));
  loaded = { factory, wasm };
  return loaded;
}

function concat(chunks: number[]): Uint8Array {
  return Uint8Array.from(chunks);
}

/** Runs jq once with the request's argv, stdin and files; resolves to its output. */
export async function runJq(request: JqRunRequest): Promise<JqRunResult> {
  const { factory, wasm } = load();
  const out: number[] = [];
  const err: number[] = [];
  const stdin = request.stdin;
  let pos = 0;
  const module = await factory({
    thisProgram: "jq",
    noInitialRun: true,
    print: () => {},
    printErr: () => {},
    instantiateWasm(imports: unknown, done: (instance: WasmInstance, module: WasmModule) => void) {
      void WebAssembly.instantiate(wasm, imports).then((instance) => done(instance, wasm));
      return {};
    },
    agentosSetup(fs: EmscriptenFS, env: Record<string, string | undefined>) {
      fs.init(
        () => (pos < stdin.length ? stdin[pos++] : null),
        (c) => {
          if (c !== null) out.push(c & 0xff);
        },
        (c) => {
          if (c !== null) err.push(c & 0xff);
        },
      );
      for (const key of ["USER", "LOGNAME", "PATH", "PWD", "HOME", "LANG", "_"])
        env[key] = undefined;
      Object.assign(env, request.env);
      for (const [path, content] of request.files) {
        if (content === null) {
          fs.mkdirTree(path);
        } else {
          fs.mkdirTree(path.slice(0, path.lastIndexOf("/")) || "/");
          fs.writeFile(path, content);
        }
      }
      fs.mkdirTree(request.cwd);
      fs.chdir(request.cwd);
    },
  });
  let exitCode: number;
  try {
    exitCode = module.callMain([...request.args]);
  } catch (e) {
    // An abort inside the C code (out of memory, a bug): report it as jq would crash.
    err.push(...new TextEncoder().encode(`jq: ${e instanceof Error ? e.message : String(e)}\n`));
    exitCode = 5;
  }
  return { exitCode, stdout: concat(out), stderr: concat(err) };
}
