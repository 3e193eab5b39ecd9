/**
 * Which toolkits a VM has, looked up from its kernel. Code mode's host operations and the
 * module resolver only get a guest process's kernel, and must see that VM's kits and no
 * others; a weak map keeps the kits exactly as long as the kernel lives.
 */
import type { Kernel } from "../kernel/kernel.ts";
import type { ToolKit } from "./host-tool.ts";

const kitsByKernel = new WeakMap<Kernel, readonly ToolKit[]>();

/** Called once by AgentOs.create with the checked `toolKits` option. */
export function attachToolKits(kernel: Kernel, kits: readonly ToolKit[]): void {
  kitsByKernel.set(kernel, Object.freeze([...kits]));
}

export function toolKitsOf(kernel: Kernel): readonly ToolKit[] {
  return kitsByKernel.get(kernel) ?? [];
}
