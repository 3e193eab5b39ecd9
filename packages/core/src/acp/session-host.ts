/**
 * What sessions need from their VM. `AgentOs` provides it; keeping it an interface lets the
 * session layer sit below the VM facade (layers only call down).
 */
import type { Kernel } from "../kernel/kernel.ts";
import type { SoftwareAgent } from "../software/install-software.ts";

export interface SessionSpawnOptions {
  cwd?: string;
  env?: Record<string, string>;
  onStdout?: (data: Uint8Array) => void;
  onStderr?: (data: Uint8Array) => void;
  onExit?: (exitCode: number) => void;
}

export interface SessionHost {
  spawn(command: string, args: string[], options: SessionSpawnOptions): { pid: number };
  writeProcessStdin(pid: number, data: Uint8Array): Promise<void>;
  closeProcessStdin(pid: number): void;
  killProcess(pid: number): void;
  readonly kernel: Kernel;
  readonly softwareAgents: readonly SoftwareAgent[];
}
