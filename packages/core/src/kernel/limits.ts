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
}

export const DEFAULT_LIMITS: KernelLimits = {
  maxProcesses: 1024,
  maxOpenFiles: 1024,
  pipeBufferBytes: 64 * 1024,
  maxFileSizeBytes: 1024 * 1024 * 1024,
  maxFsBytes: 2 * 1024 * 1024 * 1024,
};

export function resolveLimits(partial: Partial<KernelLimits> | undefined): KernelLimits {
  const limits = { ...DEFAULT_LIMITS };
  if (partial === undefined) return limits;
  if (typeof partial !== "object" || partial === null)
    throw new TypeError("limits must be an object");
  for (const [key, value] of Object.entries(partial)) {
    if (!(key in DEFAULT_LIMITS)) throw new TypeError(`unknown limit: ${key}`);
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      throw new TypeError(`limits.${key} must be a positive integer, got ${String(value)}`);
    }
    limits[key as keyof KernelLimits] = value;
  }
  return limits;
}
