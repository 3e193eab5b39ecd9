/** Resource limits of one VM (the kernel's rlimits) and their defaults. */

export interface KernelLimits {
  /** Live processes in the VM, init included (fork bombs hit EAGAIN). */
  maxProcesses: number;
  /** Descriptors one process may hold open (EMFILE). */
  maxOpenFiles: number;
  /** Capacity of each pipe in bytes (writers wait when it is full). */
  pipeBufferBytes: number;
  /** Largest size a write may grow a file to (EFBIG). */
  maxFileSizeBytes: number;
  /** Bytes the VM's in-memory filesystem may hold (ENOSPC). */
  maxFsBytes: number;
  /** V8 heap limit of each guest `node` process, in MiB (Node's --max-old-space-size). */
  nodeMemoryMb: number;
  /** CPU time each guest `node` process may use, in ms; 0 means no limit. */
  nodeCpuTimeMs: number;
}

export const DEFAULT_LIMITS: KernelLimits = {
  maxProcesses: 1024,
  maxOpenFiles: 1024,
  pipeBufferBytes: 64 * 1024,
  maxFileSizeBytes: 1024 * 1024 * 1024,
  maxFsBytes: 2 * 1024 * 1024 * 1024,
  nodeMemoryMb: 512,
  nodeCpuTimeMs: 0,
};

/** Limits where 0 is a meaningful value ("no limit"). */
const ZERO_ALLOWED = new Set<string>(["nodeCpuTimeMs"]);

export function resolveLimits(partial: Partial<KernelLimits> | undefined): KernelLimits {
  const limits = { ...DEFAULT_LIMITS };
  if (partial === undefined) return limits;
  if (typeof partial !== "object" || partial === null)
    throw new TypeError("limits must be an object");
  for (const [key, value] of Object.entries(partial)) {
    if (!(key in DEFAULT_LIMITS)) throw new TypeError(`unknown limit: ${key}`);
    if (value === undefined) continue;
    const min = ZERO_ALLOWED.has(key) ? 0 : 1;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
      throw new TypeError(`limits.${key} must be a positive integer, got ${String(value)}`);
    }
    limits[key as keyof KernelLimits] = value;
  }
  return limits;
}
