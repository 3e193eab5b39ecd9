/**
 * Every operation guest JavaScript can ask of the host, by name. Each group lives in its own
 * file under ./ops/ and works on the guest's kernel process (`g.ctx`), so the guest can do
 * nothing its process could not do with system calls.
 */
import { TOOL_OPS } from "../../tools/code-mode-ops.ts";
import type { GuestProcess } from "./guest-process.ts";
import { CHILD_OPS } from "./ops/child-ops.ts";
import { CRYPTO_OPS } from "./ops/crypto-ops.ts";
import { FS_OPS } from "./ops/fs-ops.ts";
import { MODULE_OPS } from "./ops/module-ops.ts";
import { NET_OPS } from "./ops/net-ops.ts";
import { PROCESS_OPS } from "./ops/process-ops.ts";
import { TIMER_OPS } from "./ops/timer-ops.ts";
import { V8_OPS } from "./ops/v8-ops.ts";
import { WORKER_OPS } from "./ops/worker-ops.ts";
import { ZLIB_OPS } from "./ops/zlib-ops.ts";

/** A host operation: arguments arrive copied from the guest; the result is copied back. */
export type HostOp = (g: GuestProcess, args: unknown[]) => unknown;

export const HOST_OPS: Record<string, HostOp> = {
  ...PROCESS_OPS,
  ...TIMER_OPS,
  ...MODULE_OPS,
  ...FS_OPS,
  ...CRYPTO_OPS,
  ...ZLIB_OPS,
  ...CHILD_OPS,
  ...NET_OPS,
  ...TOOL_OPS,
  ...V8_OPS,
  ...WORKER_OPS,
};
