/**
 * The guest's `process` object: an EventEmitter with Node's fields and methods, backed by the
 * kernel process (pid, cwd, umask, kill, signals) and by the boot configuration (argv, env).
 */
import { EventEmitter } from "events";
import { codedError, invalidArgType } from "./errors.ts";
import { printFatal } from "./fatal.ts";
import { callSync } from "./host.ts";
import { nextTick } from "./loop.ts";
import { flushOutput } from "./output.ts";
import { SIGNAL_NUMBERS } from "./signals.ts";
import { createStdio, type StdioStreams, type TtyInfo } from "./stdio.ts";

export interface BootConfig {
  launch: {
    argv: string[];
    execArgv: string[];
  };
  pid: number;
  ppid: number;
  cwd: string;
  env: Record<string, string>;
  umask: number;
  uid: number;
  gid: number;
  tty: TtyInfo[];
  version: string;
  versions: Record<string, string>;
  arch: string;
}

/** Thrown to unwind the guest's stack after process.exit() (the host stops the isolate). */
export class ProcessExitUnwind {
  readonly code: number;
  constructor(code: number) {
    this.code = code;
  }
}

export type GuestProcessObject = EventEmitter & Record<string, unknown>;

/**
 * Node's process object is made by a function named "process" that inherits from EventEmitter:
 * stack frames of its listeners read "process.<anonymous>". V8 takes that name from the
 * function's source, which the bundler would rename (the guest's `process` is a module
 * binding there), hence the function made from text.
 */
const ProcessConstructor = new Function(
  "EventEmitter",
  "return function process() { EventEmitter.call(this); };",
)(EventEmitter) as new () => EventEmitter;
Object.setPrototypeOf(ProcessConstructor.prototype, EventEmitter.prototype);

export function createProcess(config: BootConfig): GuestProcessObject {
  const proc = new ProcessConstructor() as GuestProcessObject;
  let cwd = config.cwd;
  let exitCode: number | undefined;
  let exiting = false;
  const startTime = Date.now();

  const define = (name: string, value: unknown) =>
    Object.defineProperty(proc, name, {
      value,
      writable: true,
      configurable: true,
      enumerable: true,
    });

  define("title", "node");
  define("version", config.version);
  define("versions", Object.freeze({ ...config.versions }));
  define("arch", config.arch);
  define("platform", "linux");
  define("release", Object.freeze({ name: "node", lts: "Krypton" }));
  define("argv", [...config.launch.argv]);
  define("argv0", "node");
  define("execArgv", [...config.launch.execArgv]);
  define("execPath", "/usr/bin/node");
  define("pid", config.pid);
  define("ppid", config.ppid);
  define("env", createEnv(config.env));
  define(
    "features",
    Object.freeze({ inspector: false, ipv6: true, tls: true, typescript: "strip" }),
  );
  define("config", Object.freeze({ target_defaults: {}, variables: {} }));
  define("allowedNodeEnvironmentFlags", new Set<string>());
  define("debugPort", 9229);
  define("exitCode", undefined);
  Object.defineProperty(proc, "exitCode", {
    get: () => exitCode,
    set(value: unknown) {
      if (value !== undefined && value !== null && !Number.isInteger(Number(value))) {
        throw invalidArgType("code", "of type number", value);
      }
      exitCode = value === undefined || value === null ? undefined : Number(value);
    },
    enumerable: true,
    configurable: true,
  });

  define("cwd", () => cwd);
  define("chdir", (directory: unknown) => {
    if (typeof directory !== "string")
      throw invalidArgType("directory", "of type string", directory);
    try {
      cwd = callSync<string>("chdir", directory);
    } catch (error) {
      const e = error as Error & { code?: string };
      const wrapped = new Error(
        `${e.code}: ${describeErrno(e.code)}, chdir ${cwd} -> '${directory}'`,
      ) as Error & Record<string, unknown>;
      Object.assign(wrapped, {
        errno: (e as { errno?: number }).errno,
        code: e.code,
        syscall: "chdir",
        path: cwd,
        dest: directory,
      });
      throw wrapped;
    }
  });
  define("umask", (mask?: unknown) => {
    if (mask === undefined) return callSync<number>("umask");
    const value = typeof mask === "string" ? Number.parseInt(mask, 8) : Number(mask);
    return callSync<number>("umask", value);
  });
  define("getuid", () => config.uid);
  define("geteuid", () => config.uid);
  define("getgid", () => config.gid);
  define("getegid", () => config.gid);
  define("getgroups", () => [config.gid]);
  define("nextTick", (callback: unknown, ...args: unknown[]) => {
    if (typeof callback !== "function")
      throw invalidArgType("callback", "of type function", callback);
    nextTick(() => (callback as (...a: unknown[]) => void)(...args));
  });

  const hrtimeNs = (): bigint => BigInt(callSync<string>("hrtime"));
  const hrtime = (previous?: [number, number]): [number, number] => {
    const now = hrtimeNs();
    let seconds = Number(now / 1_000_000_000n);
    let nanos = Number(now % 1_000_000_000n);
    if (previous) {
      seconds -= previous[0];
      nanos -= previous[1];
      if (nanos < 0) {
        seconds--;
        nanos += 1e9;
      }
    }
    return [seconds, nanos];
  };
  hrtime.bigint = hrtimeNs;
  define("hrtime", hrtime);
  define("uptime", () => (Date.now() - startTime) / 1000);
  const memoryUsage = () => {
    const heap = callSync<{ heapTotal: number; heapUsed: number; external: number }>("memoryUsage");
    return {
      rss: heap.heapTotal + heap.external,
      heapTotal: heap.heapTotal,
      heapUsed: heap.heapUsed,
      external: heap.external,
      arrayBuffers: heap.external,
    };
  };
  memoryUsage.rss = () => memoryUsage().rss;
  define("memoryUsage", memoryUsage);
  define("cpuUsage", (previous?: { user: number; system: number }) => {
    const user = callSync<number>("cpuUsage");
    return previous ? { user: user - previous.user, system: 0 } : { user, system: 0 };
  });
  define("resourceUsage", () => ({
    userCPUTime: callSync<number>("cpuUsage"),
    systemCPUTime: 0,
    maxRSS: 0,
  }));
  define("kill", (pid: unknown, signal: unknown = "SIGTERM") => {
    if (typeof pid !== "number" || !Number.isInteger(pid))
      throw invalidArgType("pid", "of type number", pid);
    const number = typeof signal === "number" ? signal : SIGNAL_NUMBERS[String(signal)];
    if (number === undefined) {
      throw codedError(TypeError, "ERR_UNKNOWN_SIGNAL", `Unknown signal: ${String(signal)}`);
    }
    callSync("kill", pid, number);
    return true;
  });
  define("emitWarning", (warning: unknown, typeOrOptions?: unknown, code?: unknown) => {
    let type = "Warning";
    let warningCode: unknown = code;
    if (typeof typeOrOptions === "string") type = typeOrOptions;
    else if (typeOrOptions && typeof typeOrOptions === "object") {
      const options = typeOrOptions as { type?: string; code?: string };
      type = options.type ?? type;
      warningCode = options.code;
    }
    const error =
      warning instanceof Error
        ? warning
        : Object.assign(new Error(String(warning)), { name: type });
    if (warningCode !== undefined) (error as Error & { code?: unknown }).code = warningCode;
    nextTick(() => {
      proc.emit("warning", error);
      const quiet =
        config.launch.execArgv.includes("--no-warnings") || config.env.NODE_NO_WARNINGS === "1";
      if (quiet) return;
      const deprecation = error.name === "DeprecationWarning";
      if (deprecation && (proc as { noDeprecation?: boolean }).noDeprecation) return;
      const prefix = warningCode ? `[${String(warningCode)}] ` : "";
      const stderr = proc.stderr as { write(s: string): void };
      stderr.write(
        `(node:${config.pid}) ${prefix}${error.name}: ${error.message}\n` +
          (warnedOnce
            ? ""
            : `(Use \`node --trace-${deprecation ? "deprecation" : "warnings"} ...\` to show where the warning was created)\n`),
      );
      warnedOnce = true;
    });
  });
  let warnedOnce = false;
  define("binding", (name: string) => {
    throw codedError(Error, "ERR_INVALID_MODULE", `No such module: ${name}`);
  });
  define("_linkedBinding", (name: string) => {
    throw codedError(Error, "ERR_INVALID_MODULE", `No such binding: ${name}`);
  });
  define("dlopen", () => {
    throw codedError(
      Error,
      "ERR_DLOPEN_FAILED",
      "Native addons are not supported in the agentOS VM",
    );
  });
  define("abort", () => {
    flushOutput();
    callSync("exit", 134);
  });
  define("exit", (code?: unknown) => {
    if (code !== undefined) (proc as { exitCode?: unknown }).exitCode = code;
    runExit();
    throw new ProcessExitUnwind(exitCode ?? 0);
  });
  define("reallyExit", (code: number) => {
    flushOutput();
    callSync("exit", code);
  });
  define("_exiting", false);
  define("setUncaughtExceptionCaptureCallback", (fn: ((e: unknown) => void) | null) => {
    captureCallback = fn;
  });
  define("hasUncaughtExceptionCaptureCallback", () => captureCallback !== null);
  let captureCallback: ((e: unknown) => void) | null = null;
  define("_captureCallback", () => captureCallback);
  define("setSourceMapsEnabled", () => {});
  define("getActiveResourcesInfo", () => []);
  define("report", undefined);

  /**
   * Emits 'exit' once and hands the final code to the host. `idle`: called when the loop ran
   * dry, with nothing of the program left on the stack; the host then answers instead of
   * leaving this call blocked until the isolate is gone, so the isolate can be reused.
   * `lastWords`: a fatal error's report, which Node prints after the 'exit' listeners ran.
   */
  function runExit(idle = false, lastWords?: () => void): never | void {
    if (!exiting) {
      exiting = true;
      (proc as Record<string, unknown>)._exiting = true;
      try {
        proc.emit("exit", exitCode ?? 0);
      } catch (error) {
        // process.exit() in a listener only sets the code. Anything else thrown there is an
        // uncaught exception, as in Node: printed (or given to an 'uncaughtException' listener),
        // the later listeners skipped, and the process still ends, with 1 unless a code was set.
        if (!(error instanceof ProcessExitUnwind)) {
          if (proc.listenerCount("uncaughtException") > 0) {
            proc.emit("uncaughtException", error, "uncaughtException");
          } else {
            printFatal(error, "uncaughtException");
            exitCode ??= 1;
          }
        }
      }
    }
    lastWords?.();
    flushOutput();
    callSync("exit", exitCode ?? 0, idle);
  }
  define("_runExit", runExit);

  // Signals: the first listener takes over the signal's default action, the last one gives it back.
  proc.on("newListener", (event: string | symbol) => {
    if (typeof event === "string" && event in SIGNAL_NUMBERS && proc.listenerCount(event) === 0) {
      callSync("signal.listen", SIGNAL_NUMBERS[event], true);
    }
  });
  proc.on("removeListener", (event: string | symbol) => {
    if (typeof event === "string" && event in SIGNAL_NUMBERS && proc.listenerCount(event) === 0) {
      callSync("signal.listen", SIGNAL_NUMBERS[event], false);
    }
  });

  const stdio: StdioStreams = createStdio(config.tty);
  Object.defineProperty(proc, "stdout", {
    get: () => stdio.stdout(),
    configurable: true,
    enumerable: true,
  });
  Object.defineProperty(proc, "stderr", {
    get: () => stdio.stderr(),
    configurable: true,
    enumerable: true,
  });
  Object.defineProperty(proc, "stdin", {
    get: () => stdio.stdin(),
    configurable: true,
    enumerable: true,
  });
  return proc;
}

function describeErrno(code: string | undefined): string {
  switch (code) {
    case "ENOENT":
      return "no such file or directory";
    case "ENOTDIR":
      return "not a directory";
    case "EACCES":
      return "permission denied";
    default:
      return "operation failed";
  }
}

/** process.env: values are always strings, as Node coerces them. */
function createEnv(initial: Record<string, string>): Record<string, string> {
  const target: Record<string, string> = { ...initial };
  return new Proxy(target, {
    set(object, key, value) {
      if (typeof key === "symbol") return false;
      object[key] = String(value);
      return true;
    },
    defineProperty(object, key, descriptor) {
      if (typeof key === "symbol") return false;
      object[key] = String(descriptor.value);
      return true;
    },
  });
}
