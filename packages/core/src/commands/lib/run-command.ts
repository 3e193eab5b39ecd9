/** Running a child program the way nice, nohup, timeout and watch do (spawn + wait). */
import { isKernelError } from "../../fs/errors.ts";
import type { SpawnRequest } from "../../kernel/kernel.ts";
import type { ProcessContext } from "../../kernel/process-context.ts";
import { describeError } from "../errors.ts";

export interface StartResult {
  pid?: number;
  /** 126/127 when the program could not be started. */
  status?: number;
}

/**
 * Spawns `argv` with the caller's env and cwd; on failure writes
 * `${prefix}${describeError}` ("nice: 'x': No such file or directory") and returns the
 * status GNU uses (127 not found, 126 otherwise).
 */
export async function startChild(
  ctx: ProcessContext,
  argv: string[],
  message: (reason: string) => string,
  extra: Partial<SpawnRequest> = {},
): Promise<StartResult> {
  try {
    const pid = await ctx.spawn({ argv, cwd: ctx.cwd, env: ctx.env, ...extra });
    return { pid };
  } catch (err) {
    if (!ctx.alive) throw err;
    await ctx.err(message(describeError(err)));
    return { status: isKernelError(err, "ENOENT") ? 127 : 126 };
  }
}
