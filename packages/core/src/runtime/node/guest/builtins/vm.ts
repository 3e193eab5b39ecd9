/**
 * node:vm within the guest's own context: code runs through indirect eval (global scope, like
 * runInThisContext). New contexts would need a second V8 context the guest cannot create
 * safely, so createContext/runInNewContext/runInContext fail with ERR_AGENTOS_NOT_SUPPORTED.
 */
import { invalidArgType, notSupported } from "../errors.ts";

const indirectEval = eval;

function sourceOf(code: unknown): string {
  if (typeof code !== "string") throw invalidArgType("code", "of type string", code);
  return code;
}

class Script {
  readonly #code: string;

  constructor(code: unknown, _options?: unknown) {
    this.#code = sourceOf(code);
    // Compile now so a syntax error is thrown by the constructor, as in Node.
    new Function(`return () => {\n${this.#code}\n}`);
  }

  runInThisContext(_options?: unknown): unknown {
    return indirectEval(this.#code);
  }

  runInContext(): never {
    throw notSupported("vm.Script.runInContext (separate contexts)");
  }

  runInNewContext(): never {
    throw notSupported("vm.Script.runInNewContext (separate contexts)");
  }

  createCachedData(): Uint8Array {
    return new Uint8Array(0);
  }
}

export function createVm(): unknown {
  return {
    Script,
    runInThisContext: (code: unknown, _options?: unknown) => indirectEval(sourceOf(code)),
    compileFunction: (code: unknown, params: string[] = [], _options?: unknown) =>
      new Function(...params, sourceOf(code)),
    isContext: (value: unknown) => {
      if (typeof value !== "object" || value === null) {
        throw invalidArgType("object", "of type object", value);
      }
      return false;
    },
    createContext: () => {
      throw notSupported("vm.createContext (separate contexts)");
    },
    runInContext: () => {
      throw notSupported("vm.runInContext (separate contexts)");
    },
    runInNewContext: () => {
      throw notSupported("vm.runInNewContext (separate contexts)");
    },
    measureMemory: () => {
      throw notSupported("vm.measureMemory");
    },
    constants: Object.freeze({
      USE_MAIN_CONTEXT_DEFAULT_LOADER: Symbol("vm_dynamic_import_main_context_default"),
      DONT_CONTEXTIFY: Symbol("vm_context_no_contextify"),
    }),
  };
}
