/**
 * node:child_process. Children are kernel processes of the guest's own process (see
 * child-process/): spawn and the exec family, the synchronous forms, and the ChildProcess
 * class. fork() needs an IPC channel between isolates, which the VM does not provide.
 */
import { notSupported } from "../errors.ts";
import { ChildProcess } from "./child-process/child-process.ts";
import { exec, execFile, promisifiedExec, spawnWithOptions } from "./child-process/exec-file.ts";
import { execFileSync, execSync, spawnSync } from "./child-process/spawn-sync.ts";

const PROMISIFY = Symbol.for("nodejs.util.promisify.custom");

export function createChildProcess(): unknown {
  const customExec = promisifiedExec(exec as (...args: unknown[]) => ChildProcess);
  const customExecFile = promisifiedExec(execFile as (...args: unknown[]) => ChildProcess);
  Object.defineProperty(exec, PROMISIFY, { value: customExec, enumerable: false });
  Object.defineProperty(execFile, PROMISIFY, { value: customExecFile, enumerable: false });
  return {
    ChildProcess,
    _forkChild() {
      throw notSupported("child_process._forkChild (IPC channels)");
    },
    exec,
    execFile,
    execFileSync,
    execSync,
    fork() {
      throw notSupported("child_process.fork (IPC channels between processes)");
    },
    spawn: (file: unknown, args?: unknown, options?: unknown) =>
      spawnWithOptions(file, args, options),
    spawnSync,
  };
}
