/**
 * Child processes for node:child_process: kernel processes started by the guest's own process,
 * so they are its children in the process table (ps, kill, waitpid, SIGCHLD). For the
 * asynchronous API the parent's pipe ends become descriptors of the guest (close-on-exec, so
 * later children do not inherit them) that the guest reads and writes like any other. The
 * synchronous API keeps the pipe ends on the host and runs the child to its end while only the
 * guest's thread waits.
 */
import { KernelError } from "../../../fs/errors.ts";
import { O_RDWR } from "../../../fs/types.ts";
import type { SpawnRequest } from "../../../kernel/kernel.ts";
import type { OpenFile, PipeOpenFile } from "../../../kernel/open-file.ts";
import type { ExitStatus } from "../../../kernel/process.ts";
import type { ProcessContext } from "../../../kernel/process-context.ts";
import type { GuestProcess } from "../guest-process.ts";
import type { HostOp } from "../host-ops.ts";

/** One entry of `options.stdio` as the guest normalised it: a pipe, /dev/null, or a guest fd. */
export type StdioSpec = "pipe" | "ignore" | number;

export interface SpawnSpec {
  /** The program to run (PATH lookup); `argv[0]` is only what the child is told its name is. */
  file: string;
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  stdio: StdioSpec[];
  detached: boolean;
}

export interface SpawnSyncSpec extends SpawnSpec {
  input: Uint8Array | null;
  /** ms; 0 = none. */
  timeout: number;
  killSignal: number;
  /** Bytes per output stream; 0 = unlimited. */
  maxBuffer: number;
}

export interface SpawnSyncResult {
  pid: number;
  status: number | null;
  signal: number | null;
  /** Collected output per stdio index (null where not a pipe the parent reads). */
  output: Array<Uint8Array | null>;
  /** Set when the child could not be started, timed out or overflowed maxBuffer. */
  error: string | null;
}

/** The child's descriptors for `stdio`, with `pipeEnd(i)` choosing which end it gets. */
async function childFds(
  ctx: ProcessContext,
  stdio: StdioSpec[],
  pipeEnd: (index: number) => OpenFile,
): Promise<{ fds: Array<[number, number | OpenFile | null]>; opened: number[] }> {
  const fds: Array<[number, number | OpenFile | null]> = [];
  const opened: number[] = [];
  for (let i = 0; i < stdio.length; i++) {
    const spec = stdio[i];
    if (spec === "pipe") fds.push([i, pipeEnd(i)]);
    else if (spec === "ignore") {
      const fd = await ctx.open("/dev/null", O_RDWR);
      opened.push(fd);
      fds.push([i, fd]);
    } else fds.push([i, spec]);
  }
  return { fds, opened };
}

async function checkCwd(ctx: ProcessContext, cwd: string): Promise<void> {
  // Node reports a missing working directory as the spawn failing with ENOENT.
  const stat = await ctx.stat(cwd).catch(() => null);
  if (!stat) throw new KernelError("ENOENT", "spawn", cwd);
  if ((stat.mode & 0o170000) !== 0o040000) throw new KernelError("ENOTDIR", "spawn", cwd);
}

function request(spec: SpawnSpec, fds: Array<[number, number | OpenFile | null]>): SpawnRequest {
  return {
    // Node's `argv0` option: the child is told another name than the program looked up.
    argv: spec.argv,
    file: spec.file,
    cwd: spec.cwd,
    env: spec.env,
    fds,
    ...(spec.detached ? { setsid: true } : {}),
  };
}

/** Releases pipe ends nobody took (the child was never created). */
function releaseUnused(ends: OpenFile[]): void {
  for (const end of ends) if (end.refs === 0) end.release();
}

function statusPair(status: ExitStatus): [number | null, number | null] {
  return [status.exitCode, status.signal];
}

/** spawn(): returns the pid and, per stdio index, the guest fd of the parent's pipe end. */
async function spawnChild(
  g: GuestProcess,
  spec: SpawnSpec,
): Promise<{ pid: number; fds: Array<number | null> }> {
  const ctx = g.ctx;
  await checkCwd(ctx, spec.cwd);
  const parentEnds: Array<PipeOpenFile | null> = spec.stdio.map(() => null);
  const childEnds: OpenFile[] = [];
  const { fds, opened } = await childFds(ctx, spec.stdio, (i) => {
    const { readEnd, writeEnd } = ctx.kernel.createPipe();
    // stdin is written by the parent; every other pipe is read by it.
    parentEnds[i] = i === 0 ? writeEnd : readEnd;
    const childEnd = i === 0 ? readEnd : writeEnd;
    childEnds.push(childEnd);
    return childEnd;
  });
  let pid: number;
  try {
    pid = await ctx.spawn(request(spec, fds));
  } catch (error) {
    releaseUnused([...childEnds, ...parentEnds.filter((e): e is PipeOpenFile => e !== null)]);
    throw error;
  } finally {
    for (const fd of opened) ctx.close(fd);
  }
  const guestFds = parentEnds.map((end) => {
    if (!end) return null;
    const fd = ctx.installFile(end);
    ctx.kernel.setCloexec(ctx.pid, fd, true);
    return fd;
  });
  return { pid, fds: guestFds };
}

/** Reads a host-held pipe end to EOF, stopping at `limit` bytes (0 = none). */
async function collect(
  end: PipeOpenFile,
  limit: number,
  onOverflow: () => void,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const chunk = await end.read(65536);
      if (!chunk || chunk.length === 0) break;
      chunks.push(chunk);
      total += chunk.length;
      // Like Node, the read that crosses the limit is kept whole; the child is stopped.
      if (limit > 0 && total > limit) {
        onOverflow();
        break;
      }
    }
  } finally {
    end.release();
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** spawnSync(): runs the child to its end with host-held pipes; the guest waits meanwhile. */
async function spawnSync(g: GuestProcess, spec: SpawnSyncSpec): Promise<SpawnSyncResult> {
  const ctx = g.ctx;
  const none = (error: string): SpawnSyncResult => ({
    pid: 0,
    status: null,
    signal: null,
    output: spec.stdio.map(() => null),
    error,
  });
  try {
    await checkCwd(ctx, spec.cwd);
  } catch (error) {
    return none((error as KernelError).code);
  }
  const hostEnds: Array<PipeOpenFile | null> = spec.stdio.map(() => null);
  const childEnds: OpenFile[] = [];
  let pid: number;
  try {
    const { fds, opened } = await childFds(ctx, spec.stdio, (i) => {
      const { readEnd, writeEnd } = ctx.kernel.createPipe();
      hostEnds[i] = i === 0 ? writeEnd : readEnd;
      const childEnd = i === 0 ? readEnd : writeEnd;
      childEnds.push(childEnd);
      return childEnd;
    });
    try {
      pid = await ctx.spawn(request(spec, fds));
    } finally {
      for (const fd of opened) ctx.close(fd);
    }
  } catch (error) {
    releaseUnused([...childEnds, ...hostEnds.filter((e): e is PipeOpenFile => e !== null)]);
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string") return none(code);
    throw error;
  }
  let error: string | null = null;
  const kill = (why: string): void => {
    error ??= why;
    try {
      ctx.kill(pid, spec.killSignal);
    } catch {
      // Already gone.
    }
  };
  const timer = spec.timeout > 0 ? setTimeout(() => kill("ETIMEDOUT"), spec.timeout) : undefined;
  const stdin = hostEnds[0];
  if (stdin) void stdin.feedAndClose(spec.input ?? undefined);
  const outputs = hostEnds.map((end, i) =>
    end && i > 0 ? collect(end, spec.maxBuffer, () => kill("ENOBUFS")) : Promise.resolve(null),
  );
  try {
    const waited = await ctx.waitpid(pid);
    const output = await Promise.all(outputs);
    const [status, signal] = waited ? statusPair(waited.status) : [null, null];
    return { pid, status, signal, output, error };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

export const CHILD_OPS: Record<string, HostOp> = {
  "child.spawn": (g, [spec]) => spawnChild(g, spec as SpawnSpec),
  /** Waits for the child to end and reaps it: [exit code, terminating signal number]. */
  "child.wait": async (g, [pid]) => {
    const result = await g.ctx.waitpid(pid as number);
    return result ? statusPair(result.status) : [null, null];
  },
  /**
   * Writes all of `data` to a pipe the guest holds (a child's stdin); waits for room. Node
   * ignores SIGPIPE, so a child that stopped reading is an EPIPE error here, not a signal:
   * the description is written directly instead of through kernel.write (which raises it).
   */
  "child.write": async (g, [fd, data]) => {
    const proc = g.ctx.kernel.process(g.ctx.pid);
    const file = proc.fds.get(fd as number);
    let bytes = data as Uint8Array;
    while (bytes.length > 0) {
      const n = await file.write(bytes, { signal: g.ctx.signal });
      bytes = bytes.subarray(n);
    }
    return true;
  },
  "child.spawnSync": (g, [spec]) => spawnSync(g, spec as SpawnSyncSpec),
};
