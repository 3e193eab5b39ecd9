/** The process itself: exit, standard streams and other descriptors, cwd, signals, clocks. */
import { isKernelError } from "../../../fs/errors.ts";
import type { SignalDisposition } from "../../../kernel/process.ts";
import { SIGNALS } from "../../../kernel/signals.ts";
import { ECHO, ICANON, ISIG } from "../../../kernel/termios.ts";
import type { HostOp } from "../host-ops.ts";

/**
 * What a signal does to a Node process nobody listens to it in. Node ignores SIGPIPE (a write
 * to a pipe without readers is an EPIPE error on the stream): with a handler that does nothing
 * rather than "ignore", which the kernel would pass on to the program's children, whom libuv
 * starts with the default action.
 */
export function nodeDisposition(signal: number): SignalDisposition {
  return signal === SIGNALS.SIGPIPE ? ignoreSigpipe : "default";
}

function ignoreSigpipe(): void {}

export const PROCESS_OPS: Record<string, HostOp> = {
  /**
   * process.exit(): output already written stays; the isolate stops. With `idle` (the loop ran
   * dry, no program code is on the guest's stack) the call returns and the isolate may serve
   * the VM's next process.
   */
  exit: async (g, [code, idle]) => {
    // Let queued writes reach their descriptors before the process is gone.
    await g.writeChain;
    g.finish(Number(code) & 0xff, idle === true);
    if (idle === true) return undefined;
    // Never answer: the guest thread stays blocked here until the isolate is disposed.
    return new Promise(() => {});
  },
  /**
   * Writes a batch of [fd, bytes] in order; resolves once the kernel took them, to the
   * descriptors that refused and why ([fd, {code, errno}]). A refused descriptor takes nothing
   * more of the batch; the others still get theirs (stderr after a stdout with no reader).
   */
  "fd.writev": (g, [batch]) => {
    const writes = batch as Array<[number, Uint8Array]>;
    const failures: Array<[number, { code?: string; errno?: number }]> = [];
    const done = g.writeChain.then(async () => {
      const refused = new Set<number>();
      for (const [fd, data] of writes) {
        if (refused.has(fd)) continue;
        try {
          await g.ctx.write(fd, data);
        } catch (error) {
          if (!isKernelError(error)) throw error;
          refused.add(fd);
          failures.push([fd, { code: error.code, errno: error.errno }]);
        }
      }
    });
    g.writeChain = done.catch(() => {});
    return done.then(() => failures);
  },
  "fd.read": (g, [fd, max]) => g.ctx.read(fd as number, Math.min(Number(max) || 65536, 1 << 20)),
  "fd.close": (g, [fd]) => {
    g.ctx.close(fd as number);
    return true;
  },
  "fd.isatty": (g, [fd]) => g.ctx.isatty(fd as number),
  "fd.windowSize": (g, [fd]) => {
    const size = g.ctx.getWindowSize(fd as number);
    return [size.cols, size.rows];
  },
  "fd.setRawMode": (g, [fd, raw]) => {
    const attrs = g.ctx.tcgetattr(fd as number);
    // What libuv's uv_tty_set_mode(UV_TTY_MODE_RAW) turns off, as far as our termios goes.
    const bits = ICANON | ECHO | ISIG;
    attrs.lflag = raw ? attrs.lflag & ~bits : attrs.lflag | bits;
    g.ctx.tcsetattr(fd as number, attrs);
    return true;
  },
  chdir: async (g, [path]) => {
    await g.ctx.chdir(path as string);
    return g.ctx.cwd;
  },
  umask: (g, [mask]) => {
    const old = g.ctx.umask;
    if (typeof mask === "number") g.ctx.umask = mask;
    return old;
  },
  hrtime: () => process.hrtime.bigint().toString(),
  memoryUsage: (g) => {
    const heap = g.isolate.getHeapStatisticsSync();
    return {
      heapTotal: heap.total_heap_size,
      heapUsed: heap.used_heap_size,
      external: heap.externally_allocated_size,
      limit: heap.heap_size_limit,
    };
  },
  cpuUsage: (g) => Number((g.isolate.cpuTime - g.cpuAtStart) / 1000n),
  kill: (g, [pid, signal]) => {
    g.ctx.kill(pid as number, signal as number);
    return true;
  },
  /** Whether the guest has listeners for `signal` (they replace the default action). */
  "signal.listen": (g, [signal, on]) => {
    const sig = signal as number;
    if (sig === SIGNALS.SIGKILL || sig === SIGNALS.SIGSTOP) return false;
    g.ctx.onSignal(sig, on ? (s) => g.deliverSignal(s) : nodeDisposition(sig));
    return true;
  },
};
