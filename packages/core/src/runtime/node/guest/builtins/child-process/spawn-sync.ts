/**
 * spawnSync, execSync and execFileSync. The host runs the child to its end (feeding `input`,
 * collecting output, enforcing timeout and maxBuffer) while only this isolate waits; other
 * processes and VMs keep running. Results and errors have Node's shapes.
 */
import { Buffer } from "buffer";
import { invalidArgType } from "../../errors.ts";
import { callSync } from "../../host.ts";
import { SIGNAL_NAMES } from "../../signals.ts";
import { DEFAULT_MAX_BUFFER } from "./exec-file.ts";
import {
  normalizeSpawn,
  type SpawnOptions,
  spawnError,
  splitArgs,
  validateMaxBuffer,
  validateSignal,
  validateTimeout,
} from "./spawn-options.ts";

interface HostResult {
  pid: number;
  status: number | null;
  signal: number | null;
  output: Array<Uint8Array | null>;
  error: string | null;
}

export interface SpawnSyncReturns {
  error?: Error;
  status: number | null;
  signal: string | null;
  output: Array<string | Buffer | null> | null;
  pid: number;
  stdout: string | Buffer | null | undefined;
  stderr: string | Buffer | null | undefined;
}

function inputBytes(input: unknown): Uint8Array | null {
  if (input === undefined || input === null) return null;
  if (typeof input === "string") return Buffer.from(input);
  if (ArrayBuffer.isView(input)) {
    return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  }
  throw invalidArgType(
    "options.stdio[0]",
    "of type string or an instance of Buffer, TypedArray, or DataView",
    input,
  );
}

export function spawnSync(file: unknown, args?: unknown, options?: unknown): SpawnSyncReturns {
  return runSync(file, args, options, DEFAULT_MAX_BUFFER);
}

function runSync(
  file: unknown,
  argsArg: unknown,
  optionsArg: unknown,
  defaultMaxBuffer: number,
): SpawnSyncReturns {
  const spec = normalizeSpawn(file, argsArg, optionsArg);
  const options = spec.options;
  const maxBuffer = validateMaxBuffer(options.maxBuffer, defaultMaxBuffer);
  const host = callSync<HostResult>("child.spawnSync", {
    file: spec.file,
    argv: spec.args,
    cwd: spec.cwd,
    env: spec.env,
    stdio: spec.stdio,
    detached: spec.detached,
    input: inputBytes(options.input),
    timeout: validateTimeout(options.timeout),
    killSignal: options.killSignal === undefined ? 15 : validateSignal(options.killSignal),
    maxBuffer: Number.isFinite(maxBuffer) ? maxBuffer : 0,
  });
  const encoding =
    typeof options.encoding === "string" && options.encoding !== "buffer"
      ? (options.encoding as BufferEncoding)
      : null;
  const started = host.pid !== 0;
  const output = started
    ? host.output.map((bytes, i) => {
        if (i === 0 || !bytes) return null;
        const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
        return encoding ? buffer.toString(encoding) : buffer;
      })
    : null;
  const result: SpawnSyncReturns = {
    status: host.status,
    signal: host.signal === null ? null : (SIGNAL_NAMES[host.signal] ?? null),
    output,
    pid: host.pid,
    stdout: output ? (output[1] ?? null) : undefined,
    stderr: output ? (output[2] ?? null) : undefined,
  };
  if (host.error) {
    const error = spawnError(host.error, `spawnSync ${spec.file}`, spec.file, spec.args.slice(1));
    return { error, ...result };
  }
  return result;
}

/** Node's checkExecSyncError: the spawn error, or "Command failed" for a non-zero status. */
function execSyncError(ret: SpawnSyncReturns, command: string): Error | undefined {
  if (ret.error) return Object.assign(ret.error, ret);
  if (ret.status === 0) return undefined;
  let message = `Command failed: ${command}`;
  if (ret.stderr && ret.stderr.length > 0) message += `\n${ret.stderr.toString()}`;
  const { error: _none, ...fields } = ret;
  return Object.assign(new Error(message), fields);
}

function echoStderr(ret: SpawnSyncReturns, inherit: boolean): void {
  if (inherit && ret.stderr && ret.stderr.length > 0) {
    (process.stderr as unknown as { write(c: unknown): void }).write(ret.stderr);
  }
}

export function execSync(command: unknown, options?: unknown): SpawnSyncReturns["stdout"] {
  if (typeof command !== "string") throw invalidArgType("command", "of type string", command);
  const opts = { ...((options as SpawnOptions | null) ?? {}) };
  opts.shell = typeof opts.shell === "string" ? opts.shell : true;
  const inheritStderr = !opts.stdio;
  const ret = runSync(command, [], opts, DEFAULT_MAX_BUFFER);
  echoStderr(ret, inheritStderr);
  const error = execSyncError(ret, command);
  if (error) throw error;
  return ret.stdout;
}

export function execFileSync(
  file: unknown,
  args?: unknown,
  options?: unknown,
): SpawnSyncReturns["stdout"] {
  const split = splitArgs(args, options);
  const inheritStderr = !split.options.stdio;
  const ret = runSync(file, split.args, split.options, DEFAULT_MAX_BUFFER);
  echoStderr(ret, inheritStderr);
  const shown = [
    typeof split.options.argv0 === "string" ? split.options.argv0 : String(file),
    ...split.args,
  ];
  const error = execSyncError(ret, shown.join(" "));
  if (error) throw error;
  return ret.stdout;
}
