/** What node:v8 asks of the host: the guest isolate's own heap figures, V8's code-cache tag. */
import { cachedDataVersionTag } from "node:v8";
import type { HostOp } from "../host-ops.ts";

export const V8_OPS: Record<string, HostOp> = {
  /** The guest isolate's heap (not the host's): isolated-vm measures it for us. */
  "v8.heapStatistics": (g) => ({ ...g.isolate.getHeapStatisticsSync() }),
  /**
   * The guest runs on the host's V8 (same version, same flags), so the host's tag is the one code
   * cached in the guest would be checked against.
   */
  "v8.cachedDataVersionTag": () => cachedDataVersionTag(),
};
