/**
 * exec and execFile: a spawned child whose output is collected (up to maxBuffer) and handed to
 * a callback as (error, stdout, stderr), with Node's error shapes: "Command failed: <cmd>\n<stderr>"
 * carrying code/killed/signal/cmd, RangeError ERR_CHILD_PROCESS_STDIO_MAXBUFFER on overflow.
 */
import { Buffer } from "buffer";
import type { Readable } from "readable-stream";
import { codedError, invalidArgType } from "../../errors.ts";
import { ChildProcess } from "./child-process.ts";
import {
  normalizeSpawn,
  type SpawnOptions,
  splitArgs,
  validateMaxBuffer,
  validateSignal,
  validateTimeout,
} from "./spawn-options.ts";

export const DEFAULT_MAX_BUFFER = 1024 * 1024;

type ExecCallback = (error: Error | null, stdout: string | Buffer, stderr: string | Buffer) => void;

/** Spawns with the `signal`/`timeout` wiring every async form shares. */
export function spawnWithOptions(file: unknown, args: unknown, options: unknown): ChildProcess {
  const spec = normalizeSpawn(file, args, options);
  const killSignal =
    spec.options.killSignal === undefined ? 15 : validateSignal(spec.options.killSignal);
  const timeout = validateTimeout(spec.options.timeout);
  const child = new ChildProcess();
  child.spawn(spec);
  const signal = spec.options.signal;
  if (signal !== undefined) {
    if (typeof signal !== "object" || signal === null || !("aborted" in signal)) {
      throw invalidArgType("options.signal", "an instance of AbortSignal", signal);
    }
    const onAbort = (): void => {
      if (child.kill(killSignal)) child.emit("error", abortError(signal.reason));
    };
    if (signal.aborted) process.nextTick(onAbort);
    else {
      signal.addEventListener("abort", onAbort, { once: true });
      child.once("exit", () => signal.removeEventListener("abort", onAbort));
    }
  }
  if (timeout > 0) {
    let timer: ReturnType<typeof setTimeout> | null = setTimeout(() => {
      timer = null;
      try {
        child.kill(killSignal);
      } catch (error) {
        child.emit("error", error);
      }
    }, timeout);
    child.once("exit", () => {
      if (timer) clearTimeout(timer);
      timer = null;
    });
  }
  return child;
}

function abortError(cause: unknown): Error {
  const error = new Error("The operation was aborted", { cause }) as Error & { code: string };
  error.name = "AbortError";
  error.code = "ABORT_ERR";
  return error;
}

export function execFile(file: unknown, ...rest: unknown[]): ChildProcess {
  let callback: ExecCallback | undefined;
  if (typeof rest[rest.length - 1] === "function") callback = rest.pop() as ExecCallback;
  const { args, options } = splitArgs(rest[0], rest[1]);
  const settings: SpawnOptions & { encoding: unknown; maxBuffer: number; killSignal: unknown } = {
    encoding: "utf8",
    timeout: 0,
    killSignal: "SIGTERM",
    shell: false,
    ...options,
    maxBuffer: validateMaxBuffer(options.maxBuffer, DEFAULT_MAX_BUFFER),
  };
  const timeout = validateTimeout(settings.timeout);
  const killSignal = validateSignal(settings.killSignal);
  const child = spawnWithOptions(file, args, { ...settings, timeout: 0 });
  const encoding =
    settings.encoding !== "buffer" && Buffer.isEncoding(String(settings.encoding))
      ? (settings.encoding as BufferEncoding)
      : null;
  const stdoutChunks: Array<string | Buffer> = [];
  const stderrChunks: Array<string | Buffer> = [];
  let stdoutLength = 0;
  let stderrLength = 0;
  let killed = false;
  let failure: Error | null = null;
  let exited = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let cmd = file as string;

  const finish = (code?: number | null, signal?: string | null): void => {
    if (exited) return;
    exited = true;
    if (timer) clearTimeout(timer);
    timer = null;
    if (!callback) return;
    const join = (chunks: Array<string | Buffer>): string | Buffer =>
      encoding ? (chunks as string[]).join("") : Buffer.concat(chunks as Buffer[]);
    const stdout = join(stdoutChunks);
    const stderr = join(stderrChunks);
    if (!failure && code === 0 && signal === null) {
      callback(null, stdout, stderr);
      return;
    }
    if (args.length > 0) cmd += ` ${args.join(" ")}`;
    if (!failure) {
      failure = Object.assign(new Error(`Command failed: ${cmd}\n${String(stderr)}`), {
        code: code !== undefined && code !== null && code < 0 ? undefined : code,
        killed: child.killed || killed,
        signal: signal ?? null,
      });
    }
    (failure as Error & { cmd?: string }).cmd = cmd;
    callback(failure, stdout, stderr);
  };
  const kill = (): void => {
    child.stdout?.destroy();
    child.stderr?.destroy();
    killed = true;
    try {
      child.kill(killSignal);
    } catch (error) {
      failure = error as Error;
      finish();
    }
  };
  if (timeout > 0) {
    timer = setTimeout(() => {
      timer = null;
      kill();
    }, timeout);
  }
  const collect = (
    stream: Readable | null,
    chunks: Array<string | Buffer>,
    name: "stdout" | "stderr",
  ): void => {
    if (!stream) return;
    if (encoding) stream.setEncoding(encoding);
    stream.on("data", (chunk: string | Buffer) => {
      const length = encoding ? Buffer.byteLength(chunk as string, encoding) : chunk.length;
      const before = name === "stdout" ? stdoutLength : stderrLength;
      const total = before + length;
      if (name === "stdout") stdoutLength = total;
      else stderrLength = total;
      if (total > settings.maxBuffer) {
        const keep = settings.maxBuffer - before;
        chunks.push(chunk.slice(0, keep) as string | Buffer);
        failure = codedError(
          RangeError,
          "ERR_CHILD_PROCESS_STDIO_MAXBUFFER",
          `${name} maxBuffer length exceeded`,
        );
        kill();
      } else chunks.push(chunk);
    });
  };
  collect(child.stdout, stdoutChunks, "stdout");
  collect(child.stderr, stderrChunks, "stderr");
  child.addListener("close", finish);
  child.addListener("error", (error: Error) => {
    failure = error;
    child.stdout?.destroy();
    child.stderr?.destroy();
    finish();
  });
  return child;
}

/** exec(command, [options], [callback]): execFile through the shell. */
export function exec(command: unknown, options?: unknown, callback?: unknown): ChildProcess {
  if (typeof options === "function") {
    callback = options;
    options = undefined;
  }
  if (typeof command !== "string") throw invalidArgType("command", "of type string", command);
  const opts = { ...((options as object | null) ?? {}) } as SpawnOptions;
  opts.shell = typeof opts.shell === "string" ? opts.shell : true;
  return execFile(command, opts, callback);
}

/** util.promisify(exec/execFile) resolves { stdout, stderr } and rejects with them attached. */
export function promisifiedExec(
  run: (...args: unknown[]) => ChildProcess,
): (
  ...args: unknown[]
) => Promise<{ stdout: unknown; stderr: unknown }> & { child?: ChildProcess } {
  return (...args: unknown[]) => {
    let child: ChildProcess | undefined;
    const promise = new Promise<{ stdout: unknown; stderr: unknown }>((resolve, reject) => {
      child = run(...args, (error: Error | null, stdout: unknown, stderr: unknown) => {
        if (error) reject(Object.assign(error, { stdout, stderr }));
        else resolve({ stdout, stderr });
      });
    }) as Promise<{ stdout: unknown; stderr: unknown }> & { child?: ChildProcess };
    promise.child = child;
    return promise;
  };
}
