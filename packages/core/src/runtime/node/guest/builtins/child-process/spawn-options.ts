/**
 * Node's argument handling for spawn/execFile/spawnSync: validation with Node's error codes and
 * messages, `shell`, `env`, and `stdio` normalised to what the host op takes ("pipe", "ignore"
 * or a descriptor of the guest to hand over).
 */
import { ERRNO } from "../../../../../fs/errors.ts";
import { codedError, describeReceived, invalidArgType, notSupported } from "../../errors.ts";
import { SIGNAL_NAMES, SIGNAL_NUMBERS } from "../../signals.ts";

export type StdioSpec = "pipe" | "ignore" | number;

export interface NormalizedSpawn {
  file: string;
  /** The full argv, argv[0] included (Node's `spawnargs`). */
  args: string[];
  cwd: string;
  env: Record<string, string>;
  stdio: StdioSpec[];
  detached: boolean;
  options: SpawnOptions;
}

export interface SpawnOptions {
  cwd?: unknown;
  env?: Record<string, unknown>;
  argv0?: unknown;
  stdio?: unknown;
  shell?: unknown;
  detached?: unknown;
  timeout?: unknown;
  killSignal?: unknown;
  signal?: AbortSignal;
  encoding?: unknown;
  maxBuffer?: unknown;
  input?: unknown;
  uid?: unknown;
  gid?: unknown;
  windowsHide?: unknown;
  [key: string]: unknown;
}

/** Errno numbers (negative, as libuv reports them) for the codes a spawn can fail with. */
const EXTRA_ERRNO: Record<string, number> = { ETIMEDOUT: 110, ENOBUFS: 105 };

export function errnoOf(code: string): number {
  const known = (ERRNO as Record<string, number>)[code] ?? EXTRA_ERRNO[code];
  return known === undefined ? -1 : -known;
}

/** libuv-style error: "<syscall> <CODE>" with errno, code, syscall (+ path, spawnargs). */
export function spawnError(code: string, syscall: string, file?: string, args?: string[]): Error {
  const error = new Error(`${syscall} ${code}`) as Error & Record<string, unknown>;
  error.errno = errnoOf(code);
  error.code = code;
  error.syscall = syscall;
  if (file !== undefined) error.path = file;
  if (args !== undefined) error.spawnargs = args;
  return error;
}

/** ERR_INVALID_ARG_TYPE for an option: Node says "property" for dotted names. */
function invalidProperty(name: string, expected: string, actual: unknown): TypeError {
  return codedError(
    TypeError,
    "ERR_INVALID_ARG_TYPE",
    `The "${name}" property must be ${expected}. Received ${describeReceived(actual)}`,
  );
}

let warnedShellArgs = false;

export function validateFile(file: unknown): string {
  if (typeof file !== "string") throw invalidArgType("file", "of type string", file);
  if (file.length === 0) {
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_VALUE",
      "The argument 'file' cannot be empty. Received ''",
    );
  }
  if (file.includes("\u0000")) {
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_VALUE",
      `The argument 'file' must be a string without null bytes. Received ${describeReceived(file).replace(/^type string \((.*)\)$/, "$1")}`,
    );
  }
  return file;
}

/** Sorts out spawn(file, [args], [options]) with either optional part missing. */
export function splitArgs(
  args: unknown,
  options: unknown,
): { args: string[]; options: SpawnOptions } {
  if (args === undefined || args === null) args = [];
  else if (!Array.isArray(args)) {
    if (typeof args !== "object") throw invalidArgType("args", "of type object", args);
    options = args;
    args = [];
  }
  if (options === undefined || options === null) options = {};
  else if (typeof options !== "object") throw invalidArgType("options", "of type object", options);
  // Node hands non-string arguments to the child as their string form.
  return { args: (args as unknown[]).map(String), options: { ...(options as SpawnOptions) } };
}

export function validateSignal(signal: unknown, name = "options.killSignal"): number {
  if (typeof signal === "number") {
    if (SIGNAL_NAMES[signal] === undefined && signal !== 0) {
      throw codedError(TypeError, "ERR_UNKNOWN_SIGNAL", `Unknown signal: ${signal}`);
    }
    return signal;
  }
  if (typeof signal === "string") {
    const number = SIGNAL_NUMBERS[signal.toUpperCase()];
    if (number === undefined)
      throw codedError(TypeError, "ERR_UNKNOWN_SIGNAL", `Unknown signal: ${signal}`);
    return number;
  }
  throw invalidArgType(name, "of type string or number", signal);
}

function stdioEntry(value: unknown, index: number): StdioSpec {
  if (value === undefined || value === null) return index < 3 ? "pipe" : "ignore";
  if (value === "pipe" || value === "overlapped") return "pipe";
  if (value === "ignore") return "ignore";
  if (value === "inherit") return index;
  if (value === "ipc") throw notSupported("child_process stdio 'ipc' (IPC channels)");
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  // A stream backed by a descriptor (process.stdout, an fs stream once opened).
  const fd = (value as { fd?: unknown } | null)?.fd;
  if (typeof value === "object" && typeof fd === "number" && fd >= 0) return fd;
  throw codedError(
    TypeError,
    "ERR_INVALID_ARG_VALUE",
    `The argument 'stdio' is invalid. Received ${describeReceived(value)}`,
  );
}

export function normalizeStdio(stdio: unknown, defaults: unknown = "pipe"): StdioSpec[] {
  const value = stdio ?? defaults;
  if (typeof value === "string") {
    if (!["pipe", "overlapped", "ignore", "inherit"].includes(value)) {
      throw codedError(
        TypeError,
        "ERR_INVALID_ARG_VALUE",
        `The argument 'stdio' is invalid. Received '${value}'`,
      );
    }
    return [0, 1, 2].map((i) => stdioEntry(value, i));
  }
  if (!Array.isArray(value)) {
    throw invalidProperty("options.stdio", "of type string or an instance of Array", value);
  }
  const entries = [...value];
  while (entries.length < 3) entries.push(undefined);
  return entries.map((entry, i) => stdioEntry(entry, i));
}

function envOf(env: Record<string, unknown> | undefined): Record<string, string> {
  const source = env ?? (process.env as Record<string, unknown>);
  const out: Record<string, string> = {};
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (value !== undefined) out[key] = String(value);
  }
  return out;
}

/** Node's normalizeSpawnArguments: shell, argv0, cwd, env, options that cannot work here. */
export function normalizeSpawn(
  fileArg: unknown,
  argsArg: unknown,
  optionsArg: unknown,
  stdioDefault: unknown = "pipe",
): NormalizedSpawn {
  let file = validateFile(fileArg);
  const { args, options } = splitArgs(argsArg, optionsArg);
  let cwd = options.cwd;
  if (cwd instanceof URL) cwd = decodeURIComponent(cwd.pathname);
  if (cwd !== undefined && cwd !== null && typeof cwd !== "string") {
    throw invalidProperty("options.cwd", "of type string or an instance of Buffer or URL", cwd);
  }
  if (options.shell !== undefined && options.shell !== null) {
    if (typeof options.shell !== "boolean" && typeof options.shell !== "string") {
      throw invalidProperty("options.shell", "one of type boolean or string", options.shell);
    }
  }
  if (options.argv0 !== undefined && typeof options.argv0 !== "string") {
    throw invalidProperty("options.argv0", "of type string", options.argv0);
  }
  for (const id of ["uid", "gid"] as const) {
    const value = options[id];
    if (value === undefined || value === null) continue;
    if (!Number.isInteger(value)) throw invalidProperty(`options.${id}`, "of type number", value);
    const own = id === "uid" ? process.getuid?.() : process.getgid?.();
    if (value !== own) throw notSupported(`child_process option ${id} (changing identity)`);
  }
  let full: string[];
  if (options.shell) {
    if (args.length > 0 && !warnedShellArgs) {
      warnedShellArgs = true;
      process.emitWarning(
        "Passing args to a child process with shell option true can lead to security vulnerabilities, as the arguments are not escaped, only concatenated.",
        "DeprecationWarning",
        "DEP0190",
      );
    }
    const command = [file, ...args].join(" ");
    file = typeof options.shell === "string" ? options.shell : "/bin/sh";
    full = [file, "-c", command];
  } else full = [file, ...args];
  // argv0 replaces what the child sees as argv[0]; the program is still found by `file`.
  const spawnargs = typeof options.argv0 === "string" ? [options.argv0, ...full.slice(1)] : full;
  return {
    file,
    args: spawnargs,
    cwd: typeof cwd === "string" && cwd !== "" ? cwd : process.cwd(),
    env: envOf(options.env),
    stdio: normalizeStdio(options.stdio, stdioDefault),
    detached: Boolean(options.detached),
    options,
  };
}

export function validateTimeout(timeout: unknown): number {
  if (timeout === undefined || timeout === null) return 0;
  if (typeof timeout !== "number" || !Number.isInteger(timeout) || timeout < 0) {
    throw codedError(
      RangeError,
      "ERR_OUT_OF_RANGE",
      `The value of "timeout" is out of range. It must be an unsigned integer. Received ${String(timeout)}`,
    );
  }
  return timeout;
}

export function validateMaxBuffer(maxBuffer: unknown, fallback: number): number {
  if (maxBuffer === undefined || maxBuffer === null) return fallback;
  if (typeof maxBuffer !== "number" || Number.isNaN(maxBuffer) || maxBuffer < 0) {
    throw codedError(
      RangeError,
      "ERR_OUT_OF_RANGE",
      `The value of "options.maxBuffer" is out of range. It must be a positive number. Received ${String(maxBuffer)}`,
    );
  }
  return maxBuffer;
}
