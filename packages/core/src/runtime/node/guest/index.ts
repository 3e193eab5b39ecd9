/**
 * The guest runtime's entry: evaluated once into the startup snapshot, it installs the static
 * globals and leaves `__agentos_entry` for the host, which takes the functions it needs and
 * deletes the global before any user code runs.
 */
import "./early-globals.ts";
import { inspect } from "node-inspect-extracted";
import type { CodeModeKit } from "../../../tools/code-mode-ops.ts";
import type { GuestLaunch } from "../guest-process.ts";
import { setCodeModeKits } from "./builtins/agentos-tools.ts";
import { codedError } from "./errors.ts";
import {
  decorateScriptThrow,
  type MessagePlace,
  printFatal,
  rememberSource,
  THROW_SITE,
  withEvalCompileHeader,
} from "./fatal.ts";
import { installProcessGlobals, installStaticGlobals } from "./globals.ts";
import { callAsync, callSync, complete, completeValue, installHost } from "./host.ts";
import {
  drainTicks,
  guard,
  hold,
  idleCheck,
  liveRefs,
  reportIdle,
  setUncaughtHandler,
} from "./loop.ts";
import {
  dynamicImport,
  esmHooks,
  evalModule,
  evaluateLinked,
  getBuiltinModule,
  type LinkedImport,
  preloadModule,
  registerSnapshotModule,
  runMainCjs,
  setMainModule,
} from "./modules.ts";
import { flushOutput } from "./output.ts";
import { type BootConfig, createProcess, type GuestProcessObject } from "./process.ts";
import { onPromiseReject, setRejectionSink } from "./rejections.ts";
import { SIGNAL_NAMES } from "./signals.ts";
import {
  rememberEntryModule,
  reportUnsettledTopLevelAwait,
  UNSETTLED_TOP_LEVEL_AWAIT,
} from "./unsettled-await.ts";
import { attachV8, type GuestV8, type ThrowPlace, v8 } from "./v8-extras.ts";
import {
  enterWorkerMode,
  isWorkerThread,
  reportUncaughtToParent,
  type WorkerBoot,
} from "./worker-thread.ts";

type Launch = GuestLaunch;

installStaticGlobals();
// Configurable so that node:vm can delete it from a new context (which starts as a copy of
// this snapshot's global); not writable, so no assignment replaces it by accident.
Object.defineProperty(globalThis, "__agentos_esm", {
  value: esmHooks,
  enumerable: false,
  configurable: true,
});

let proc: GuestProcessObject;

function onUncaught(
  error: unknown,
  origin: "uncaughtException" | "unhandledRejection",
  place?: MessagePlace,
): void {
  const capture = (proc._captureCallback as () => ((e: unknown) => void) | null)();
  if (capture) {
    capture(error);
    return;
  }
  if (proc.listenerCount("uncaughtException") > 0) {
    const failed = v8.callCatching(() => proc.emit("uncaughtException", error, origin), undefined);
    if (failed) {
      // As Node: a throw from the handler itself is printed and ends the process at once
      // (no 'exit' event), with status 7.
      printFatal(failed[0], "uncaughtException", failed[1]);
      callSync("exit", 7);
    }
    return;
  }
  proc.exitCode = 1;
  (proc._runExit as (idle: boolean, lastWords: () => void) => void)(false, () =>
    // A worker's uncaught exception is its parent's 'error' event, not printed here.
    isWorkerThread() ? reportUncaughtToParent(error) : printFatal(error, origin, place),
  );
}

/** The loop ran dry: exit, telling the host that no guest code is left running. */
function runExit(): number {
  (proc._runExit as (idle: boolean) => void)(true);
  return (proc.exitCode as number | undefined) ?? 0;
}

function start(launch: Launch): void {
  if (launch.requires.length > 0) {
    const preload = preloadModule();
    for (const request of launch.requires) preload.require(request);
  }
  if (launch.imports.length > 0) {
    const release = hold();
    let chain: Promise<unknown> = Promise.resolve();
    for (const specifier of launch.imports) {
      chain = chain.then(() => dynamicImport(specifier, `file://${process.cwd()}/[preload]`));
    }
    chain.then(
      () => {
        release();
        guard(() => runEntry(launch));
      },
      (error) => {
        release();
        onUncaught(error, "uncaughtException");
      },
    );
    return;
  }
  runEntry(launch);
}

function runEntry(launch: Launch): void {
  const entry = launch.entry;
  if (entry.kind === "file") {
    let resolved: { kind: string; path: string; format: string };
    try {
      resolved = callSync("module.resolve", entry.path, `${process.cwd()}/[main]`, "require");
    } catch (error) {
      // Node's error for a missing main module has an empty require stack.
      if ((error as { code?: unknown }).code === "MODULE_NOT_FOUND")
        (error as { requireStack?: string[] }).requireStack = [];
      throw error;
    }
    if (resolved.format === "module") importMain(resolved.path);
    else runMainCjs(resolved.path);
    return;
  }
  if (entry.kind === "eval") {
    const module = entry.module || (launch.detectModule === true && hasModuleSyntax(entry.source));
    if (module && entry.print) throw evalCannotPrint();
    runSource(entry.source, entry.name ?? "[eval]", entry.print, module, entry.typescript);
    return;
  }
  const release = hold();
  const chunks: Uint8Array[] = [];
  const readMore = (): void =>
    callAsync<Uint8Array | null>("fd.read", [0, 65536], (error, data) => {
      if (error || !data || data.length === 0) {
        release();
        const source = new TextDecoder().decode(concat(chunks));
        const module = entry.module || (launch.detectModule === true && hasModuleSyntax(source));
        guard(() => runSource(source, "[stdin]", false, module, entry.typescript));
        return;
      }
      chunks.push(data);
      readMore();
    });
  readMore();
}

function importMain(path: string): void {
  const release = hold();
  callAsync<LinkedImport>("module.import", [path, `${process.cwd()}/[main]`], (error, linked) => {
    release();
    // An ES module's evaluation is a promise job: Node's header comes from the error's stack.
    if (error) onUncaught(error, "uncaughtException", "stack");
    else evaluateMain(linked as LinkedImport);
  });
}

/**
 * Evaluates the entry point's graph in a promise job, as Node does. What it throws, then or
 * after an await, is the uncaught exception (Node's run_main header for a non-error); while it
 * waits, its wrapper is what the loop's end asks about unsettled top-level awaits.
 */
function evaluateMain(linked: LinkedImport): void {
  Promise.resolve()
    .then(() => {
      const { meta, done } = evaluateLinked(linked);
      rememberEntryModule(meta);
      return done;
    })
    .then(undefined, (error: unknown) => onUncaught(error, "uncaughtException", "stack"));
}

function runSource(
  source: string,
  filename: string,
  print: boolean,
  module: boolean,
  typescript: boolean,
): void {
  if (module) {
    const release = hold();
    // Node names every -e/stdin module "[eval1]", its URL the cwd's plus the name as it is.
    rememberSource(`${directoryUrl(process.cwd())}/[eval1]`, source);
    callAsync<LinkedImport>(
      "module.importSource",
      [source, "[eval1]", typescript],
      (error, linked) => {
        release();
        if (error) onUncaught(error, "uncaughtException", "stack");
        else evaluateMain(linked as LinkedImport);
      },
    );
    return;
  }
  const evalMod = evalModule();
  setMainModule(undefined as never);
  (globalThis as Record<string, unknown>).__filename = filename;
  const code = callSync<string>("module.prepareEval", source, filename, typescript);
  // As Node's evalScript: a CommonJS-style wrapper named "[eval]-wrapper" sets the globals and
  // calls back into a classic script named "[eval]", so frames read `[eval]:1:7` and
  // `[eval]-wrapper:6:24` as Node's do.
  const wrapper = v8.runScript(EVAL_WRAPPER, `${filename}-wrapper`) as EvalWrapper;
  let result: unknown;
  let caught: [unknown, ThrowPlace | undefined] | undefined;
  wrapper.call(
    evalMod.exports,
    evalMod.exports,
    evalMod.require,
    evalMod,
    filename,
    ".",
  )(() => {
    caught = v8.callCatching(() => {
      result = v8.runScript(code, filename);
    }, undefined);
  });
  if (caught) {
    const [thrown, place] = caught;
    const error = withEvalCompileHeader(thrown, code, filename, source);
    // Node's script runner marks what escapes the script with where it was thrown.
    decorateScriptThrow(error, place);
    onUncaught(error, "uncaughtException", place);
    return;
  }
  if (print) {
    // As Node: the result is printed when the loop runs dry (before the 'exit' listeners), or
    // at 'exit' when the process ends otherwise; an object as it is by then.
    const printResult = (): void => {
      const text = typeof result === "string" ? result : inspect(result);
      (process.stdout as unknown as { write(s: string): void }).write(`${text}\n`);
    };
    proc.on("exit", printResult);
    proc.once("beforeExit", () => {
      printResult();
      proc.off("exit", printResult);
    });
  }
}

/** A directory's file URL, encoded as the host's ES module loader encodes it (esm-loader.ts). */
function directoryUrl(path: string): string {
  return `file://${encodeURI(path).replace(/[?#]/g, encodeURIComponent)}`;
}

/** Node's wrapper of `-e`/stdin code (lib/internal/process/execution.js), in a CommonJS head. */
const EVAL_WRAPPER = [
  "(function (exports, require, module, __filename, __dirname) { ",
  "      globalThis.module = module;",
  "      globalThis.exports = exports;",
  "      globalThis.__dirname = __dirname;",
  "      globalThis.require = require;",
  "      return (main) => main();",
  "    ",
  "})",
].join("\n");

type EvalWrapper = (
  this: unknown,
  exports: unknown,
  require: unknown,
  module: unknown,
  filename: string,
  dirname: string,
) => (main: () => void) => void;

/** Compile errors that only a script gets, meaning the source is an ES module (Node's list). */
const MODULE_ONLY_SYNTAX = new Set([
  "Cannot use import statement outside a module",
  "Unexpected token 'export'",
  "Cannot use 'import.meta' outside a module",
]);

const AsyncFunction = (async () => {}).constructor as FunctionConstructor;

/**
 * Node 24's syntax detection for -e and stdin without --input-type: compile as a script (here a
 * function body, which takes the same statements and compiles without running them); an error
 * only module syntax explains makes it an ES module. Top-level `await` fails a plain body with a
 * generic message, so a body that compiles only as an async one counts as a module too (Node
 * likewise retries code whose only fault is `await`).
 */
function hasModuleSyntax(source: string): boolean {
  try {
    new Function(source);
    return false;
  } catch (error) {
    if (!(error instanceof SyntaxError)) return false;
    if (MODULE_ONLY_SYNTAX.has(error.message)) return true;
  }
  try {
    new AsyncFunction(source);
    return true;
  } catch (error) {
    return error instanceof SyntaxError && MODULE_ONLY_SYNTAX.has(error.message);
  }
}

function evalCannotPrint(): Error {
  const error = codedError(
    Error,
    "ERR_EVAL_ESM_CANNOT_PRINT",
    "--print cannot be used with ESM input",
  );
  Object.defineProperty(error, THROW_SITE, {
    value: "node:internal/process/execution:310\n    throw new ERR_EVAL_ESM_CANNOT_PRINT();\n    ^",
    configurable: true,
  });
  return error;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

const entry = {
  boot(
    sync: never,
    async: never,
    config: BootConfig & { launch: Launch; toolKits: CodeModeKit[]; worker?: WorkerBoot },
  ): void {
    installHost(sync, async);
    setCodeModeKits(config.toolKits);
    proc = createProcess(config);
    // Here rather than in process.ts: it needs the builtin registry, which needs process.
    Object.defineProperty(proc, "getBuiltinModule", {
      value: getBuiltinModule,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    installProcessGlobals(proc);
    // Only a worker thread's boot carries this (see runtime/node/worker-thread.ts).
    if (config.worker) enterWorkerMode(config.worker, proc);
    setUncaughtHandler((error, place) => onUncaught(error, "uncaughtException", place));
    setRejectionSink({
      emitUnhandled: (reason, promise) => proc.emit("unhandledRejection", reason, promise),
      emitHandled: (promise, id) => {
        if (proc.emit("rejectionHandled", promise)) return;
        const warning = new Error(
          `Promise rejection was handled asynchronously (rejection id: ${id})`,
        );
        warning.name = "PromiseRejectionHandledWarning";
        (proc.emitWarning as (w: Error) => void)(warning);
      },
      uncaught: (error) => onUncaught(error, "unhandledRejection"),
      listenerThrew: (error) => onUncaught(error, "uncaughtException"),
      describe: (value) => v8.detailString(value),
    });
    guard(() => start(config.launch));
    drainTicks();
    if (liveRefs() === 0) reportIdle();
  },
  complete(id: number, envelope: never): void {
    guard(() => complete(id, envelope));
    drainTicks();
  },
  completeValue(id: number, value: unknown): void {
    guard(() => completeValue(id, value));
    drainTicks();
  },
  idleCheck(): number {
    return idleCheck(() => {
      if (proc.listenerCount("beforeExit") > 0) {
        proc.emit("beforeExit", (proc.exitCode as number | undefined) ?? 0);
        if (liveRefs() > 0) return -1;
      }
      flushOutput();
      const warnings = !(proc.execArgv as string[]).includes("--no-warnings");
      if (reportUnsettledTopLevelAwait(proc.exitCode, warnings))
        proc.exitCode = UNSETTLED_TOP_LEVEL_AWAIT;
      return runExit();
    });
  },
  fatal(error: { name?: string; message?: string; stack?: string } | unknown): void {
    let reason: unknown = error;
    if (error && typeof error === "object" && "message" in error) {
      const rebuilt = new Error(String((error as Error).message));
      rebuilt.name = (error as Error).name ?? "Error";
      rebuilt.stack = (error as Error).stack;
      reason = rebuilt;
    }
    // Unhandled rejections are the runtime's own to track (rejections.ts): what reaches here
    // escaped a task past the runtime's handlers, and is the uncaught exception.
    onUncaught(reason, "uncaughtException");
  },
  signal(signal: number): void {
    const name = SIGNAL_NAMES[signal];
    guard(() => proc.emit(name, name, signal));
    drainTicks();
  },
  /** The native V8 functions, handed over before boot (see v8-extras.ts). */
  attachV8(native: GuestV8): void {
    attachV8(native);
    native.setPromiseRejectHandler(onPromiseReject);
    // A recycled isolate still holds the async context its last process left current.
    native.setContinuationData(undefined);
  },
  /** For an agent image's script only, while its snapshot is made (deleted with the entry). */
  registerSnapshotModule,
};

Object.defineProperty(globalThis, "__agentos_entry", { value: entry, configurable: true });
