import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultRegistry } from "../commands/index.ts";
import { isKernelError, KernelError } from "../fs/errors.ts";
import { MemoryFs } from "../fs/memory-fs.ts";
import { Namespace } from "../fs/namespace.ts";
import {
  O_APPEND,
  O_CLOEXEC,
  O_CREAT,
  O_NONBLOCK,
  O_RDONLY,
  O_RDWR,
  O_WRONLY,
  type Owner,
} from "../fs/types.ts";
import { installCommandStub } from "../vm/root-image.ts";
import { builtinStub, type CommandMain, CommandRegistry } from "./command-registry.ts";
import { Kernel, type KernelPolicy, type ProcessEvent, type SpawnRequest } from "./kernel.ts";
import type { KernelLimits } from "./limits.ts";
import { type PipeOpenFile, SEEK_CUR, SEEK_SET, SinkOpenFile } from "./open-file.ts";
import { type ProcessInfo, ProcessTerminated, statusCode } from "./process.ts";
import type { ProcessContext } from "./process-context.ts";
import { SIGNALS } from "./signals.ts";

const ROOT: Owner = { uid: 0, gid: 0 };
const USER: Owner = { uid: 1000, gid: 1000 };
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const text = (data: Uint8Array | null): string => (data === null ? "<EOF>" : decoder.decode(data));

const { SIGTERM, SIGKILL, SIGSTOP, SIGCONT, SIGCHLD, SIGPIPE, SIGUSR1, SIGINT, SIGTSTP } = SIGNALS;

/** Resolves once the process is killed (never otherwise): a command that runs until signalled. */
function untilKilled(ctx: ProcessContext): Promise<number> {
  return new Promise((_, reject) => {
    if (ctx.signal.aborted) reject(ctx.signal.reason);
    ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true });
  });
}

/** Test-only programs, installed as stubs in /usr/bin next to the default userland. */
const TEST_COMMANDS: Record<string, CommandMain> = {
  args: async (ctx) => {
    await ctx.out(JSON.stringify(ctx.argv) + "\n");
    return 0;
  },
  first: async (ctx) => {
    await ctx.out("first\n");
    return 0;
  },
  second: async (ctx) => {
    await ctx.out("second\n");
    return 0;
  },
  hang: (ctx) => untilKilled(ctx),
  boom: () => {
    throw new Error("kaboom");
  },
  "throw-string": () => {
    throw "plain string";
  },
  kboom: async () => {
    throw new KernelError("ENOENT", "open", "/missing");
  },
  exit3: (ctx) => ctx.exit(3),
  big: () => 256 + 7,
};

/** Lets pending I/O and timers of the event loop run a few times. */
async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

function collector(label: string): { sink: SinkOpenFile; text: () => string } {
  const chunks: Uint8Array[] = [];
  return {
    sink: new SinkOpenFile(label, (data) => chunks.push(data)),
    text: () => chunks.map((c) => decoder.decode(c)).join(""),
  };
}

class Harness {
  readonly kernel: Kernel;
  readonly mem: MemoryFs;
  readonly events: ProcessEvent[] = [];
  readonly #exits = new Map<number, ProcessInfo>();
  readonly #waiters = new Map<number, Array<(info: ProcessInfo) => void>>();

  constructor(kernel: Kernel, mem: MemoryFs) {
    this.kernel = kernel;
    this.mem = mem;
    kernel.onProcessEvent((event) => {
      this.events.push(event);
      if (event.type !== "exit") return;
      this.#exits.set(event.info.pid, event.info);
      for (const wake of this.#waiters.get(event.info.pid) ?? []) wake(event.info);
    });
  }

  /** The exit snapshot of `pid`, waiting for it if needed. */
  exit(pid: number): Promise<ProcessInfo> {
    const done = this.#exits.get(pid);
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => {
      const list = this.#waiters.get(pid) ?? [];
      list.push(resolve);
      this.#waiters.set(pid, list);
    });
  }

  exited(pid: number): boolean {
    return this.#exits.has(pid);
  }

  /** Writes a host file directly into the backing store (owner root unless told). */
  async install(path: string, content: string | Uint8Array, mode = 0o755, owner = ROOT) {
    const data = typeof content === "string" ? encoder.encode(content) : content;
    await this.mem.writeFile(path, data, mode, owner);
    await this.mem.chmod(path, mode);
  }
}

async function boot(
  options: { limits?: Partial<KernelLimits>; policy?: KernelPolicy } = {},
): Promise<Harness> {
  const mem = new MemoryFs();
  for (const [dir, owner] of [
    ["/usr", ROOT],
    ["/usr/bin", ROOT],
    ["/usr/local", USER],
    ["/usr/local/bin", USER],
    ["/home", ROOT],
    ["/home/user", USER],
    ["/tmp", ROOT],
    ["/etc", ROOT],
  ] as Array<[string, Owner]>) {
    await mem.mkdir(dir, 0o755, owner);
  }
  await mem.chmod("/tmp", 0o1777);
  const registry = new CommandRegistry(defaultRegistry());
  for (const [name, main] of Object.entries(TEST_COMMANDS)) registry.register({ name, main });
  for (const name of registry.names()) await installCommandStub(mem, name);
  const kernel = new Kernel({
    fs: new Namespace(mem),
    registry,
    limits: options.limits,
    policy: options.policy,
    env: { PATH: "/usr/local/bin:/usr/bin", HOME: "/home/user" },
    cwd: "/home/user",
    uid: USER.uid,
    gid: USER.gid,
  });
  return new Harness(kernel, mem);
}

interface RunResult {
  pid: number;
  info: ProcessInfo;
  code: number;
  out: string;
  err: string;
}

/** Runs a program as a child of init with its own stdin (given text, then EOF) and captured output. */
async function run(
  h: Harness,
  argv: string[],
  options: Partial<SpawnRequest> & { stdin?: string; start?: boolean } = {},
): Promise<RunResult> {
  const { stdin: input, start, ...rest } = options;
  const out = collector("out");
  const err = collector("err");
  const stdin = h.kernel.createPipe();
  const request: SpawnRequest = {
    argv,
    inheritFds: false,
    fds: [
      [0, stdin.readEnd],
      [1, out.sink],
      [2, err.sink],
    ],
    ...rest,
  };
  const pid = start ? h.kernel.start(1, request) : await h.kernel.spawn(1, request);
  void (async () => {
    try {
      if (input) await stdin.writeEnd.write(encoder.encode(input));
    } catch {
      // The program stopped reading.
    } finally {
      stdin.writeEnd.release();
    }
  })();
  const info = await h.exit(pid);
  return { pid, info, code: statusCode(info), out: out.text(), err: err.text() };
}

/**
 * Runs `fn` as the body of a process (a child of init, or of `parent`); assertion failures
 * inside are rethrown here. Resolves with the process's pid once it has exited.
 */
async function inProcess(
  h: Harness,
  fn: (ctx: ProcessContext) => Promise<unknown> | unknown,
  request: Partial<SpawnRequest> = {},
  parent = 1,
): Promise<number> {
  let failure: unknown;
  const pid = await h.kernel.spawn(parent, {
    argv: ["test-body"],
    ...request,
    main: async (ctx) => {
      try {
        await fn(ctx);
      } catch (err) {
        if (err instanceof ProcessTerminated) throw err;
        failure = err;
      }
      return 0;
    },
  });
  await h.exit(pid);
  if (failure) throw failure;
  return pid;
}

const isCode = (code: string) => (err: unknown) => isKernelError(err) && err.code === code;

// ---------------------------------------------------------------------------------------------

describe("process table", () => {
  it("starts with init as pid 1, its own group and session leader", async () => {
    const { kernel } = await boot();
    const init = kernel.process(1).info();
    assert.equal(init.pid, 1);
    assert.equal(init.ppid, 0);
    assert.equal(init.pgid, 1);
    assert.equal(init.sid, 1);
    assert.equal(init.command, "init");
    assert.equal(init.driver, "kernel");
    assert.equal(init.status, "running");
    assert.equal(init.uid, 1000);
    assert.equal(init.cwd, "/home/user");
    assert.deepEqual(
      kernel.list().map((p) => p.pid),
      [1],
    );
  });

  it("gives children increasing pids, init as parent and init's group and session", async () => {
    const h = await boot();
    const a = await h.kernel.spawn(1, { argv: ["hang"] });
    const b = await h.kernel.spawn(1, { argv: ["hang"] });
    assert.equal(a, 2);
    assert.equal(b, 3);
    const info = h.kernel.process(b).info();
    assert.equal(info.ppid, 1);
    assert.equal(info.pgid, 1);
    assert.equal(info.sid, 1);
    assert.equal(info.command, "/usr/bin/hang");
    assert.equal(info.driver, "builtin");
    assert.deepEqual(
      h.kernel.list().map((p) => p.pid),
      [1, 2, 3],
    );
    h.kernel.shutdown();
  });

  it("puts a child in a new group with pgid 0 and lets a sibling join that group", async () => {
    const h = await boot();
    const leader = await h.kernel.spawn(1, { argv: ["hang"], pgid: 0 });
    const member = await h.kernel.spawn(1, { argv: ["hang"], pgid: leader });
    assert.equal(h.kernel.process(leader).pgid, leader);
    assert.equal(h.kernel.process(member).pgid, leader);
    assert.equal(h.kernel.process(member).sid, 1);
    h.kernel.shutdown();
  });

  it("starts a new session and group with setsid, inherited by the session's children", async () => {
    const h = await boot();
    let grandchild = 0;
    const leader = await inProcess(
      h,
      async (ctx) => {
        grandchild = await ctx.spawn({ argv: ["true"] });
        const info = ctx.kernel.process(grandchild).info();
        assert.equal(info.sid, ctx.pid);
        assert.equal(info.pgid, ctx.pid);
        await ctx.waitpid(grandchild);
      },
      { setsid: true },
    );
    assert.ok(grandchild > leader);
  });

  it("setProcessGroup moves the caller or its child, and refuses other processes", async () => {
    const h = await boot();
    const stranger = await h.kernel.spawn(1, { argv: ["hang"] });
    await inProcess(h, async (ctx) => {
      const child = await ctx.spawn({ argv: ["hang"] });
      ctx.kernel.setProcessGroup(ctx.pid, child, 0);
      assert.equal(ctx.kernel.process(child).pgid, child);
      ctx.kernel.setProcessGroup(ctx.pid, 0, 0);
      assert.equal(ctx.kernel.process(ctx.pid).pgid, ctx.pid);
      assert.throws(() => ctx.kernel.setProcessGroup(ctx.pid, stranger, 0), isCode("ESRCH"));
      ctx.kill(child, SIGKILL);
      await ctx.waitpid(child);
    });
    h.kernel.shutdown();
  });

  it("records exit codes, start and exit times, and the exited state", async () => {
    const h = await boot();
    const before = Date.now();
    const ok = await run(h, ["true"]);
    const bad = await run(h, ["false"]);
    assert.equal(ok.code, 0);
    assert.equal(bad.code, 1);
    assert.equal(bad.info.status, "exited");
    assert.equal(bad.info.exitCode, 1);
    assert.equal(bad.info.signal, null);
    assert.ok(bad.info.startTime >= before);
    assert.ok(bad.info.exitTime !== null && bad.info.exitTime >= bad.info.startTime);
  });

  it("has no exit time or code while running", async () => {
    const h = await boot();
    const pid = await h.kernel.spawn(1, { argv: ["hang"] });
    const info = h.kernel.process(pid).info();
    assert.equal(info.status, "running");
    assert.equal(info.exitCode, null);
    assert.equal(info.exitTime, null);
    h.kernel.shutdown();
  });

  it("masks exit codes to 8 bits, honours ctx.exit and treats no return value as 0", async () => {
    const h = await boot();
    assert.equal((await run(h, ["big"])).code, 7);
    assert.equal((await run(h, ["exit3"])).code, 3);
    const pid = await h.kernel.spawn(1, { argv: ["x"], main: () => undefined });
    assert.equal((await h.exit(pid)).exitCode, 0);
  });

  it("reports argv and cwd, with args not including argv[0]", async () => {
    const h = await boot();
    const pid = await h.kernel.spawn(1, { argv: ["hang", "a", "b"], cwd: "/tmp" });
    const info = h.kernel.process(pid).info();
    assert.deepEqual(info.args, ["a", "b"]);
    assert.equal(info.cwd, "/tmp");
    h.kernel.shutdown();
  });

  it("resolves a relative cwd against the parent's", async () => {
    const h = await boot();
    await h.mem.mkdir("/home/user/sub", 0o755, USER);
    const r = await run(h, ["pwd"], { cwd: "sub" });
    assert.equal(r.out, "/home/user/sub\n");
  });

  it("gives the child the requested environment, else the parent's", async () => {
    const h = await boot();
    const own = await run(h, ["env"], { env: { ONLY: "me" } });
    assert.equal(own.out, "ONLY=me\n");
    const inherited = await run(h, ["env"]);
    assert.match(inherited.out, /^PATH=\/usr\/local\/bin:\/usr\/bin$/m);
  });

  it("rejects an empty or non-string argv with EINVAL", async () => {
    const h = await boot();
    await assert.rejects(h.kernel.spawn(1, { argv: [] }), isCode("EINVAL"));
    await assert.rejects(
      h.kernel.spawn(1, { argv: [42 as unknown as string] }),
      /argv must be a non-empty array of strings/,
    );
    assert.throws(() => h.kernel.start(1, { argv: [] }), isCode("EINVAL"));
  });

  it("process(pid) and has() report unknown pids", async () => {
    const { kernel } = await boot();
    assert.equal(kernel.has(99), false);
    assert.throws(() => kernel.process(99), isCode("ESRCH"));
  });

  it("tree() nests children under their parents", async () => {
    const h = await boot();
    let treeSeen: ReturnType<Kernel["tree"]> = [];
    await inProcess(h, async (ctx) => {
      const child = await ctx.spawn({ argv: ["hang"] });
      treeSeen = ctx.kernel.tree();
      ctx.kill(child, SIGKILL);
      await ctx.waitpid(child);
    });
    assert.equal(treeSeen.length, 1);
    assert.equal(treeSeen[0].pid, 1);
    const body = treeSeen[0].children[0];
    assert.equal(body.command, "test-body");
    assert.equal(body.children.length, 1);
    assert.equal(body.children[0].command, "/usr/bin/hang");
    assert.deepEqual(body.children[0].children, []);
  });

  it("emits start and exit events, and stops after unsubscribing", async () => {
    const h = await boot();
    const seen: string[] = [];
    const off = h.kernel.onProcessEvent((e) => seen.push(`${e.type}:${e.info.pid}`));
    const r = await run(h, ["true"]);
    off();
    await run(h, ["true"]);
    assert.deepEqual(seen, [`start:${r.pid}`, `exit:${r.pid}`]);
  });

  it("survives a process event listener that throws", async () => {
    const h = await boot();
    h.kernel.onProcessEvent(() => {
      throw new Error("bad listener");
    });
    const r = await run(h, ["echo", "still fine"]);
    assert.equal(r.out, "still fine\n");
  });
});

describe("waitpid", () => {
  it("waits for a specific child and reaps it", async () => {
    const h = await boot();
    await inProcess(h, async (ctx) => {
      const child = await ctx.spawn({ argv: ["false"] });
      const result = await ctx.waitpid(child);
      assert.deepEqual(result, {
        pid: child,
        state: "exited",
        status: { exitCode: 1, signal: null },
        stopSignal: null,
      });
      assert.equal(ctx.kernel.has(child), false);
      await assert.rejects(ctx.waitpid(child), isCode("ECHILD"));
    });
  });

  it("keeps an exited child as a zombie until it is waited for", async () => {
    const h = await boot();
    await inProcess(h, async (ctx) => {
      const child = await ctx.spawn({ argv: ["true"] });
      await h.exit(child);
      assert.equal(ctx.kernel.has(child), true);
      assert.equal(ctx.kernel.process(child).state, "zombie");
      assert.equal(ctx.kernel.process(child).info().status, "exited");
      await ctx.waitpid(child);
      assert.equal(ctx.kernel.has(child), false);
    });
  });

  it("with pid -1 returns each child as it exits, then ECHILD", async () => {
    const h = await boot();
    await inProcess(h, async (ctx) => {
      const a = await ctx.spawn({ argv: ["exit3"] });
      const b = await ctx.spawn({ argv: ["true"] });
      const got = new Map<number, number | null>();
      for (let i = 0; i < 2; i++) {
        const r = await ctx.waitpid(-1);
        assert.ok(r);
        got.set(r.pid, r.status.exitCode);
      }
      assert.deepEqual(
        [...got.entries()].sort((x, y) => x[0] - y[0]),
        [
          [a, 3],
          [b, 0],
        ],
      );
      await assert.rejects(ctx.waitpid(-1), isCode("ECHILD"));
    });
  });

  it("with noHang returns null while the child runs, and the status once it exited", async () => {
    const h = await boot();
    await inProcess(h, async (ctx) => {
      const child = await ctx.spawn({ argv: ["hang"] });
      assert.equal(await ctx.waitpid(child, { noHang: true }), null);
      ctx.kill(child, SIGTERM);
      await h.exit(child);
      const r = await ctx.waitpid(child, { noHang: true });
      assert.deepEqual(r, {
        pid: child,
        state: "exited",
        status: { exitCode: null, signal: SIGTERM },
        stopSignal: null,
      });
    });
  });

  it("fails with ECHILD for a process that is not a child", async () => {
    const h = await boot();
    const other = await h.kernel.spawn(1, { argv: ["hang"] });
    await inProcess(h, async (ctx) => {
      await assert.rejects(ctx.waitpid(other), isCode("ECHILD"));
      await assert.rejects(ctx.waitpid(-1, { noHang: true }), isCode("ECHILD"));
    });
    h.kernel.shutdown();
  });

  it("wakes a blocked waitpid when the child is killed by a signal", async () => {
    const h = await boot();
    await inProcess(h, async (ctx) => {
      const child = await ctx.spawn({ argv: ["hang"] });
      const waiting = ctx.waitpid(child);
      ctx.kill(child, SIGKILL);
      const r = await waiting;
      assert.deepEqual(r?.status, { exitCode: null, signal: SIGKILL });
    });
  });

  it("with untraced reports a stop once, with continued the resumption once", async () => {
    const h = await boot();
    await inProcess(h, async (ctx) => {
      const child = await ctx.spawn({ argv: ["hang"] });
      const waiting = ctx.waitpid(child, { untraced: true, continued: true });
      ctx.kill(child, SIGTSTP);
      const stopped = await waiting;
      assert.equal(stopped?.state, "stopped");
      assert.equal(stopped?.stopSignal, SIGTSTP);
      assert.deepEqual(stopped?.status, { exitCode: null, signal: null });
      assert.equal(ctx.kernel.has(child), true);
      // Reported already: a second wait does not see the same stop.
      assert.equal(await ctx.waitpid(child, { noHang: true, untraced: true }), null);
      ctx.kill(child, SIGCONT);
      // Without `continued` the resumption is not reported.
      assert.equal(await ctx.waitpid(child, { noHang: true, untraced: true }), null);
      ctx.kill(child, SIGSTOP);
      ctx.kill(child, SIGCONT);
      const resumed = await ctx.waitpid(child, { noHang: true, continued: true });
      assert.equal(resumed?.state, "continued");
      assert.equal(resumed?.stopSignal, null);
      ctx.kill(child, SIGTERM);
      const ended = await ctx.waitpid(child, { untraced: true, continued: true });
      assert.equal(ended?.state, "exited");
      assert.deepEqual(ended?.status, { exitCode: null, signal: SIGTERM });
    });
  });

  it("a plain waitpid sleeps through a child's stop", async () => {
    const h = await boot();
    await inProcess(h, async (ctx) => {
      const child = await ctx.spawn({ argv: ["hang"] });
      let done = false;
      const waiting = ctx.waitpid(child).then((r) => {
        done = true;
        return r;
      });
      ctx.kill(child, SIGSTOP);
      await settle(3);
      assert.equal(done, false);
      ctx.kill(child, SIGKILL);
      assert.equal((await waiting)?.status.signal, SIGKILL);
    });
  });

  it("a stopped child that finishes its work exits only once continued", async () => {
    const h = await boot();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const pid = await h.kernel.spawn(1, {
      argv: ["gated"],
      main: async () => {
        await gate;
        return 4;
      },
    });
    h.kernel.kill(1, pid, SIGSTOP);
    release();
    await settle(3);
    assert.equal(h.kernel.process(pid).state, "stopped");
    h.kernel.kill(1, pid, SIGCONT);
    assert.equal((await h.exit(pid)).exitCode, 4);
  });

  it("reparents orphans to init, which reaps them when they exit", async () => {
    const h = await boot();
    let orphan = 0;
    const parent = await inProcess(h, async (ctx) => {
      orphan = await ctx.spawn({ argv: ["hang"] });
    });
    assert.equal(h.kernel.has(parent), false);
    const info = h.kernel.process(orphan).info();
    assert.equal(info.ppid, 1);
    assert.ok(h.kernel.init.children.has(orphan));
    h.kernel.kill(1, orphan, SIGTERM);
    await h.exit(orphan);
    assert.equal(h.kernel.has(orphan), false);
    assert.equal(h.kernel.init.children.has(orphan), false);
  });

  it("reaps zombie children of a parent that exits without waiting", async () => {
    const h = await boot();
    let zombie = 0;
    await inProcess(h, async (ctx) => {
      zombie = await ctx.spawn({ argv: ["true"] });
      await h.exit(zombie);
      assert.equal(ctx.kernel.process(zombie).state, "zombie");
    });
    assert.equal(h.kernel.has(zombie), false);
  });

  it("reaps children of init as soon as they exit", async () => {
    const h = await boot();
    const r = await run(h, ["true"]);
    assert.equal(h.kernel.has(r.pid), false);
    assert.equal(h.kernel.init.children.has(r.pid), false);
  });
});

describe("signals", () => {
  it("SIGTERM's default action ends the process with status 128+15", async () => {
    const h = await boot();
    const pid = await h.kernel.spawn(1, { argv: ["hang"] });
    h.kernel.kill(1, pid, SIGTERM);
    const info = await h.exit(pid);
    assert.equal(info.signal, SIGTERM);
    assert.equal(info.exitCode, null);
    assert.equal(statusCode(info), 143);
  });

  it("interrupts a process blocked reading an empty pipe", async () => {
    const h = await boot();
    const [r, w] = h.kernel.pipe(1);
    const pid = await h.kernel.spawn(1, { argv: ["cat"], fds: [[0, r]], inheritFds: false });
    await settle();
    assert.equal(h.exited(pid), false);
    h.kernel.kill(1, pid, SIGINT);
    assert.equal((await h.exit(pid)).signal, SIGINT);
    h.kernel.close(1, w);
    h.kernel.close(1, r);
  });

  it("runs a handler installed with ctx.onSignal instead of terminating", async () => {
    const h = await boot();
    const got: number[] = [];
    let resume!: () => void;
    const handled = new Promise<void>((resolve) => {
      resume = resolve;
    });
    const pid = await h.kernel.spawn(1, {
      argv: ["handler"],
      main: async (ctx) => {
        ctx.onSignal(SIGUSR1, (signal) => {
          got.push(signal);
          resume();
        });
        await handled;
        return 5;
      },
    });
    await settle(1);
    h.kernel.kill(1, pid, SIGUSR1);
    const info = await h.exit(pid);
    assert.deepEqual(got, [SIGUSR1]);
    assert.equal(info.exitCode, 5);
  });

  it("survives a handler that throws", async () => {
    const h = await boot();
    const pid = await h.kernel.spawn(1, {
      argv: ["handler"],
      main: async (ctx) => {
        ctx.onSignal(SIGTERM, () => {
          throw new Error("handler bug");
        });
        return untilKilled(ctx);
      },
    });
    await settle(1);
    h.kernel.kill(1, pid, SIGTERM);
    await settle();
    assert.equal(h.kernel.process(pid).info().status, "running");
    h.kernel.kill(1, pid, SIGKILL);
    assert.equal((await h.exit(pid)).signal, SIGKILL);
  });

  it("ignores a signal set to 'ignore', and 'default' restores the default action", async () => {
    const h = await boot();
    const pid = await h.kernel.spawn(1, {
      argv: ["ignorer"],
      main: (ctx) => {
        ctx.onSignal(SIGTERM, "ignore");
        return untilKilled(ctx);
      },
    });
    await settle(1);
    h.kernel.kill(1, pid, SIGTERM);
    await settle();
    assert.equal(h.kernel.process(pid).info().status, "running");
    h.kernel.setSignalDisposition(pid, SIGTERM, "default");
    h.kernel.kill(1, pid, SIGTERM);
    assert.equal((await h.exit(pid)).signal, SIGTERM);
  });

  it("SIGKILL cannot be caught or ignored and kills a process that handles SIGTERM", async () => {
    const h = await boot();
    await inProcess(h, (ctx) => {
      assert.throws(() => ctx.onSignal(SIGKILL, "ignore"), isCode("EINVAL"));
      assert.throws(() => ctx.onSignal(SIGSTOP, () => {}), isCode("EINVAL"));
    });
    const pid = await h.kernel.spawn(1, {
      argv: ["stubborn"],
      main: (ctx) => {
        ctx.onSignal(SIGTERM, "ignore");
        return untilKilled(ctx);
      },
    });
    await settle(1);
    h.kernel.kill(1, pid, SIGKILL);
    const info = await h.exit(pid);
    assert.equal(info.signal, SIGKILL);
    assert.equal(statusCode(info), 137);
  });

  it("passes ignored dispositions to children, but not handlers", async () => {
    const h = await boot();
    let child = 0;
    await inProcess(h, async (ctx) => {
      ctx.onSignal(SIGTERM, "ignore");
      ctx.onSignal(SIGUSR1, () => {});
      child = await ctx.spawn({ argv: ["hang"] });
      const dispositions = ctx.kernel.process(child).dispositions;
      assert.equal(dispositions.get(SIGTERM), "ignore");
      assert.equal(dispositions.has(SIGUSR1), false);
      ctx.kill(child, SIGUSR1);
      await ctx.waitpid(child);
    });
    assert.equal((await h.exit(child)).signal, SIGUSR1);
  });

  it("SIGSTOP pauses a writer's progress until SIGCONT", async () => {
    const h = await boot({ limits: { pipeBufferBytes: 4 } });
    const k = h.kernel;
    const [r, w] = k.pipe(1);
    let written = 0;
    const pid = await k.spawn(1, {
      argv: ["producer"],
      fds: [[1, w]],
      inheritFds: false,
      main: async (ctx) => {
        for (let i = 0; i < 40; i++) {
          await ctx.write(1, "x");
          written++;
        }
        return 0;
      },
    });
    k.close(1, w);
    await settle();
    assert.equal(written, 4, "the pipe holds 4 bytes, then the writer blocks");
    k.kill(1, pid, SIGSTOP);
    assert.equal(k.process(pid).info().status, "stopped");
    assert.equal(text(await k.read(1, r, 100)), "xxxx");
    await settle();
    // The write that was already blocked completes; no new one starts while stopped.
    assert.equal(written, 5);
    const pipe = (k.process(1).fds.get(r) as PipeOpenFile).pipe;
    assert.equal(pipe.buffered, 1);
    await settle();
    assert.equal(written, 5);
    k.kill(1, pid, SIGCONT);
    assert.equal(k.process(pid).info().status, "running");
    let total = 4;
    for (;;) {
      const chunk = await k.read(1, r, 100);
      if (chunk === null) break;
      total += chunk.length;
    }
    assert.equal(total, 40);
    assert.equal((await h.exit(pid)).exitCode, 0);
    const kinds = h.events.filter((e) => e.info.pid === pid).map((e) => e.type);
    assert.deepEqual(kinds, ["start", "stop", "continue", "exit"]);
  });

  it("SIGSTOP holds a reader before it reads", async () => {
    const h = await boot();
    const k = h.kernel;
    const [r, w] = k.pipe(1);
    let reads = 0;
    const pid = await k.spawn(1, {
      argv: ["consumer"],
      fds: [[0, r]],
      inheritFds: false,
      main: async (ctx) => {
        while ((await ctx.read(0)) !== null) reads++;
        return 0;
      },
    });
    await settle();
    k.kill(1, pid, SIGSTOP);
    await k.write(1, w, "one");
    await settle();
    // The read already in progress returns; the next one waits for SIGCONT.
    assert.equal(reads, 1);
    await k.write(1, w, "two");
    await settle();
    assert.equal(reads, 1);
    k.kill(1, pid, SIGCONT);
    await settle();
    assert.equal(reads, 2);
    k.close(1, w);
    assert.equal((await h.exit(pid)).exitCode, 0);
  });

  it("SIGTSTP stops by default, SIGKILL ends a stopped process", async () => {
    const h = await boot();
    const pid = await h.kernel.spawn(1, { argv: ["hang"] });
    h.kernel.kill(1, pid, SIGTSTP);
    assert.equal(h.kernel.process(pid).state, "stopped");
    h.kernel.kill(1, pid, SIGCONT);
    h.kernel.kill(1, pid, SIGCONT); // continuing a running process changes nothing
    assert.equal(h.kernel.process(pid).state, "running");
    h.kernel.kill(1, pid, SIGSTOP);
    h.kernel.kill(1, pid, SIGKILL);
    assert.equal((await h.exit(pid)).signal, SIGKILL);
  });

  it("sends SIGCHLD to the parent when a child exits", async () => {
    const h = await boot();
    await inProcess(h, async (ctx) => {
      const got: number[] = [];
      ctx.onSignal(SIGCHLD, (signal) => got.push(signal));
      const child = await ctx.spawn({ argv: ["true"] });
      await ctx.waitpid(child);
      await settle(1);
      assert.deepEqual(got, [SIGCHLD]);
    });
  });

  it("a signal sent to a stopped process acts once it is continued", async () => {
    const h = await boot();
    const pid = await h.kernel.spawn(1, { argv: ["hang"] });
    h.kernel.kill(1, pid, SIGSTOP);
    h.kernel.kill(1, pid, SIGTERM);
    h.kernel.kill(1, pid, SIGTSTP);
    await settle(3);
    assert.equal(h.kernel.process(pid).state, "stopped");
    h.kernel.kill(1, pid, SIGCONT);
    assert.equal((await h.exit(pid)).signal, SIGTERM);
  });

  it("sends SIGCHLD to the parent when a child stops", async () => {
    const h = await boot();
    await inProcess(h, async (ctx) => {
      const got: number[] = [];
      ctx.onSignal(SIGCHLD, (signal) => got.push(signal));
      const child = await ctx.spawn({ argv: ["hang"] });
      ctx.kill(child, SIGTSTP);
      await settle(1);
      assert.deepEqual(got, [SIGCHLD]);
      ctx.kill(child, SIGKILL);
      await ctx.waitpid(child);
    });
  });

  it("SIGCHLD's default action is to ignore it", async () => {
    const h = await boot();
    const pid = await h.kernel.spawn(1, { argv: ["hang"] });
    h.kernel.kill(1, pid, SIGCHLD);
    await settle();
    assert.equal(h.kernel.process(pid).info().status, "running");
    h.kernel.shutdown();
  });

  it("kill with a negative pid signals every member of that process group", async () => {
    const h = await boot();
    const a = await h.kernel.spawn(1, { argv: ["hang"], pgid: 0 });
    const b = await h.kernel.spawn(1, { argv: ["hang"], pgid: a });
    const outsider = await h.kernel.spawn(1, { argv: ["hang"] });
    h.kernel.kill(1, -a, SIGTERM);
    assert.equal((await h.exit(a)).signal, SIGTERM);
    assert.equal((await h.exit(b)).signal, SIGTERM);
    assert.equal(h.kernel.process(outsider).info().status, "running");
    assert.throws(() => h.kernel.kill(1, -a, SIGTERM), isCode("ESRCH"));
    h.kernel.shutdown();
  });

  it("kill with pid 0 signals the caller's own group", async () => {
    const h = await boot();
    const outsider = await h.kernel.spawn(1, { argv: ["hang"] });
    let member = 0;
    const leader = await h.kernel.spawn(1, {
      argv: ["leader"],
      pgid: 0,
      main: async (ctx) => {
        member = await ctx.spawn({ argv: ["hang"] });
        ctx.kill(0, SIGTERM);
        return untilKilled(ctx);
      },
    });
    assert.equal((await h.exit(leader)).signal, SIGTERM);
    assert.equal((await h.exit(member)).signal, SIGTERM);
    assert.equal(h.kernel.process(outsider).info().status, "running");
    h.kernel.shutdown();
  });

  it("kill -1 signals everything except init and the sender", async () => {
    const h = await boot();
    const a = await h.kernel.spawn(1, { argv: ["hang"] });
    const b = await h.kernel.spawn(1, { argv: ["hang"] });
    await inProcess(h, (ctx) => {
      ctx.kill(-1, SIGTERM);
    });
    assert.equal((await h.exit(a)).signal, SIGTERM);
    assert.equal((await h.exit(b)).signal, SIGTERM);
    assert.equal(h.kernel.init.info().status, "running");
  });

  it("refuses to signal another user's process unless the sender is root", async () => {
    const h = await boot();
    const victim = await h.kernel.spawn(1, { argv: ["hang"] });
    h.kernel.process(victim).uid = 2000;
    await inProcess(h, (ctx) => {
      assert.throws(() => ctx.kill(victim, SIGTERM), isCode("EPERM"));
      assert.throws(() => ctx.kill(victim, 0), isCode("EPERM"));
    });
    assert.equal(h.kernel.process(victim).info().status, "running");
    const rootPid = await h.kernel.spawn(1, { argv: ["hang"] });
    h.kernel.process(rootPid).uid = 0;
    h.kernel.kill(rootPid, victim, SIGTERM);
    assert.equal((await h.exit(victim)).signal, SIGTERM);
    h.kernel.shutdown();
  });

  it("signal 0 only checks that the target exists", async () => {
    const h = await boot();
    const pid = await h.kernel.spawn(1, { argv: ["hang"] });
    h.kernel.kill(1, pid, 0);
    await settle();
    assert.equal(h.kernel.process(pid).info().status, "running");
    assert.throws(() => h.kernel.kill(1, 999, 0), isCode("ESRCH"));
    h.kernel.shutdown();
  });

  it("rejects invalid signal numbers and unknown targets", async () => {
    const h = await boot();
    assert.throws(() => h.kernel.kill(1, 1, -1), isCode("EINVAL"));
    assert.throws(() => h.kernel.kill(1, 1, 65), isCode("EINVAL"));
    assert.throws(() => h.kernel.kill(1, 1, 1.5), isCode("EINVAL"));
    assert.throws(() => h.kernel.kill(1, 4242, SIGTERM), isCode("ESRCH"));
    assert.throws(() => h.kernel.kill(1, -4242, SIGTERM), isCode("ESRCH"));
    assert.throws(() => h.kernel.kill(4242, 1, SIGTERM), isCode("ESRCH"));
  });

  it("never delivers signals to init", async () => {
    const h = await boot();
    h.kernel.kill(1, 1, SIGKILL);
    h.kernel.kill(1, 1, SIGSTOP);
    assert.equal(h.kernel.init.info().status, "running");
  });
});

describe("file descriptors", () => {
  async function withFile(h: Harness, content = "abcdefgh"): Promise<string> {
    await h.kernel.writeFile(1, "/tmp/f", content);
    return "/tmp/f";
  }

  it("opens at the lowest free descriptor and reuses closed ones", async () => {
    const h = await boot();
    const path = await withFile(h);
    const a = await h.kernel.open(1, path, O_RDONLY);
    const b = await h.kernel.open(1, path, O_RDONLY);
    assert.deepEqual([a, b], [0, 1]);
    h.kernel.close(1, a);
    assert.equal(await h.kernel.open(1, path, O_RDONLY), 0);
  });

  it("dup shares the open file description and its offset", async () => {
    const h = await boot();
    const fd = await h.kernel.open(1, await withFile(h), O_RDONLY);
    const copy = h.kernel.dup(1, fd);
    assert.notEqual(copy, fd);
    assert.equal(text(await h.kernel.read(1, fd, 3)), "abc");
    assert.equal(text(await h.kernel.read(1, copy, 3)), "def");
    assert.equal(await h.kernel.lseek(1, copy, 0, SEEK_SET), 0);
    assert.equal(text(await h.kernel.read(1, fd, 2)), "ab");
    assert.equal(await h.kernel.lseek(1, fd, 0, SEEK_CUR), 2);
  });

  it("dup honours a minimum descriptor number", async () => {
    const h = await boot();
    const fd = await h.kernel.open(1, await withFile(h), O_RDONLY);
    assert.equal(h.kernel.dup(1, fd, 10), 10);
    assert.equal(h.kernel.dup(1, fd, 10), 11);
  });

  it("separate opens of one file have separate offsets", async () => {
    const h = await boot();
    const path = await withFile(h);
    const a = await h.kernel.open(1, path, O_RDONLY);
    const b = await h.kernel.open(1, path, O_RDONLY);
    assert.equal(text(await h.kernel.read(1, a, 4)), "abcd");
    assert.equal(text(await h.kernel.read(1, b, 4)), "abcd");
  });

  it("dup2 replaces the target descriptor and closes what it displaced", async () => {
    const h = await boot();
    const k = h.kernel;
    const fd = await k.open(1, await withFile(h), O_RDONLY);
    const [r, w] = k.pipe(1);
    assert.equal(k.dup2(1, fd, w), w);
    // The pipe's only write end was displaced: the reader sees EOF.
    assert.equal(await k.read(1, r), null);
    assert.equal(text(await k.read(1, w, 3)), "abc");
    assert.equal(k.dup2(1, fd, fd), fd);
    assert.throws(() => k.dup2(1, 77, 5), isCode("EBADF"));
    assert.throws(() => k.dup2(1, fd, -1), isCode("EBADF"));
  });

  it("children inherit descriptors, sharing offsets with the parent", async () => {
    const h = await boot();
    const fd = await h.kernel.open(1, await withFile(h), O_RDONLY);
    await inProcess(h, async (ctx) => {
      assert.equal(text(await ctx.read(fd, 3)), "abc");
    });
    assert.equal(text(await h.kernel.read(1, fd, 3)), "def");
  });

  it("does not pass close-on-exec descriptors to children", async () => {
    const h = await boot();
    const path = await withFile(h);
    const cloexec = await h.kernel.open(1, path, O_RDONLY | O_CLOEXEC);
    const later = await h.kernel.open(1, path, O_RDONLY);
    const plain = await h.kernel.open(1, path, O_RDONLY);
    h.kernel.setCloexec(1, later, true);
    const dupped = h.kernel.dup(1, plain, 0, true);
    await inProcess(h, (ctx) => {
      const fds = ctx.kernel.describeFds(ctx.pid).map((d) => d.fd);
      assert.deepEqual(fds, [plain]);
      assert.ok(!fds.includes(cloexec) && !fds.includes(later) && !fds.includes(dupped));
    });
  });

  it("with inheritFds false the child gets only the descriptors it is given", async () => {
    const h = await boot();
    const fd = await h.kernel.open(1, await withFile(h), O_RDONLY);
    await inProcess(
      h,
      async (ctx) => {
        assert.deepEqual(
          ctx.kernel.describeFds(ctx.pid).map((d) => d.fd),
          [7],
        );
        assert.equal(text(await ctx.read(7, 2)), "ab");
      },
      { inheritFds: false, fds: [[7, fd]] },
    );
  });

  it("a null override closes an inherited descriptor in the child only", async () => {
    const h = await boot();
    const fd = await h.kernel.open(1, await withFile(h), O_RDONLY);
    await inProcess(
      h,
      async (ctx) => {
        await assert.rejects(ctx.read(fd), isCode("EBADF"));
      },
      { fds: [[fd, null]] },
    );
    assert.equal(text(await h.kernel.read(1, fd, 1)), "a");
  });

  it("a spawn with a bad descriptor override fails with EBADF and leaks no references", async () => {
    const h = await boot();
    const k = h.kernel;
    const [r, w] = k.pipe(1);
    const writeEnd = k.process(1).fds.get(w);
    await assert.rejects(k.spawn(1, { argv: ["true"], fds: [[5, 99]] }), isCode("EBADF"));
    assert.equal(writeEnd.refs, 1);
    k.close(1, w);
    assert.equal(
      await k.read(1, r),
      null,
      "the reader sees EOF: no copy of the write end survives",
    );
  });

  it("EBADF for unknown descriptors and for the wrong access mode", async () => {
    const h = await boot();
    const k = h.kernel;
    await assert.rejects(k.read(1, 42), isCode("EBADF"));
    await assert.rejects(k.write(1, 42, "x"), isCode("EBADF"));
    assert.throws(() => k.close(1, 42), isCode("EBADF"));
    assert.throws(() => k.dup(1, 42), isCode("EBADF"));
    await assert.rejects(k.fstat(1, 42), isCode("EBADF"));
    const ro = await k.open(1, await withFile(h), O_RDONLY);
    await assert.rejects(k.write(1, ro, "x"), isCode("EBADF"));
    const wo = await k.open(1, "/tmp/f", O_WRONLY);
    await assert.rejects(k.read(1, wo), isCode("EBADF"));
    k.close(1, ro);
    assert.throws(() => k.close(1, ro), isCode("EBADF"));
  });

  it("EMFILE once a process holds maxOpenFiles descriptors", async () => {
    const h = await boot({ limits: { maxOpenFiles: 4 } });
    const k = h.kernel;
    const path = await withFile(h);
    const fds: number[] = [];
    for (let i = 0; i < 4; i++) fds.push(await k.open(1, path, O_RDONLY));
    await assert.rejects(k.open(1, path, O_RDONLY), isCode("EMFILE"));
    assert.throws(() => k.dup(1, fds[0]), isCode("EMFILE"));
    assert.throws(() => k.pipe(1), isCode("EMFILE"));
    k.close(1, fds[3]);
    // One slot: a pipe needs two, and must not leave its first end behind.
    assert.throws(() => k.pipe(1), isCode("EMFILE"));
    assert.equal(k.process(1).fds.size, 3);
    assert.equal(await k.open(1, path, O_RDONLY), 3);
  });

  it("writes through O_APPEND at the end; F_SETFL toggles it", async () => {
    const h = await boot();
    const k = h.kernel;
    const path = await withFile(h, "abc");
    const fd = await k.open(1, path, O_WRONLY | O_APPEND);
    await k.write(1, fd, "d");
    k.setStatusFlags(1, fd, 0);
    assert.equal(k.getStatusFlags(1, fd) & O_APPEND, 0);
    await k.lseek(1, fd, 0, SEEK_SET);
    await k.write(1, fd, "X");
    assert.equal(text(await k.readFile(1, path)), "Xbcd");
    k.setStatusFlags(1, fd, O_APPEND | O_RDWR);
    assert.equal(k.getStatusFlags(1, fd) & 3, O_WRONLY, "the access mode cannot change");
  });

  it("fstat reports a file's size and a pipe's type; lseek on a pipe is ESPIPE", async () => {
    const h = await boot();
    const k = h.kernel;
    const fd = await k.open(1, await withFile(h, "12345"), O_RDONLY);
    assert.equal((await k.fstat(1, fd)).size, 5);
    const [r] = k.pipe(1);
    assert.equal((await k.fstat(1, r)).mode & 0o170000, 0o010000);
    await assert.rejects(k.lseek(1, r, 0, SEEK_SET), isCode("ESPIPE"));
    assert.equal(k.isatty(1, r), false);
    assert.equal(k.isatty(1, 99), false);
  });

  it("creates files with O_CREAT owned by the caller, umask applied", async () => {
    const h = await boot();
    const fd = await h.kernel.open(1, "/tmp/new", O_WRONLY | O_CREAT, 0o666);
    await h.kernel.write(1, fd, "x");
    const st = await h.kernel.stat(1, "/tmp/new");
    assert.equal(st.uid, 1000);
    assert.equal(st.mode & 0o777, 0o644);
  });
});

describe("pipes", () => {
  it("carries data from one process to another, ending at EOF", async () => {
    const h = await boot();
    const k = h.kernel;
    const [r, w] = k.pipe(1);
    const out = collector("out");
    const writer = await k.spawn(1, {
      argv: ["echo", "through", "the", "pipe"],
      inheritFds: false,
      fds: [[1, w]],
    });
    const reader = await k.spawn(1, {
      argv: ["cat"],
      inheritFds: false,
      fds: [
        [0, r],
        [1, out.sink],
      ],
    });
    k.close(1, r);
    k.close(1, w);
    assert.equal((await h.exit(writer)).exitCode, 0);
    assert.equal((await h.exit(reader)).exitCode, 0);
    assert.equal(out.text(), "through the pipe\n");
  });

  it("reports EOF only after every copy of the write end is closed", async () => {
    const h = await boot();
    const k = h.kernel;
    const [r, w] = k.pipe(1);
    const w2 = k.dup(1, w);
    await k.write(1, w, "a");
    k.close(1, w);
    assert.equal(text(await k.read(1, r)), "a");
    const pending = k.read(1, r);
    let settled = false;
    void pending.then(() => {
      settled = true;
    });
    await settle();
    assert.equal(settled, false, "a writer is still open");
    k.close(1, w2);
    assert.equal(await pending, null);
  });

  it("delivers buffered data before EOF", async () => {
    const h = await boot();
    const k = h.kernel;
    const [r, w] = k.pipe(1);
    await k.write(1, w, "one");
    await k.write(1, w, "two");
    k.close(1, w);
    assert.equal(text(await k.read(1, r)), "onetwo");
    assert.equal(await k.read(1, r), null);
    assert.equal(await k.read(1, r), null);
  });

  it("honours the read size, keeping the rest for later reads", async () => {
    const h = await boot();
    const k = h.kernel;
    const [r, w] = k.pipe(1);
    await k.write(1, w, "abcdef");
    assert.equal(text(await k.read(1, r, 2)), "ab");
    assert.equal(text(await k.read(1, r, 10)), "cdef");
  });

  it("blocks a writer on a full pipe until the reader drains it (backpressure)", async () => {
    const h = await boot({ limits: { pipeBufferBytes: 8 } });
    const k = h.kernel;
    const [r, w] = k.pipe(1);
    const payload = "0123456789abcdefghij";
    const writer = await k.spawn(1, {
      argv: ["writer"],
      inheritFds: false,
      fds: [[1, w]],
      main: async (ctx) => {
        await ctx.write(1, payload);
        return 0;
      },
    });
    k.close(1, w);
    await settle();
    const pipe = (k.process(1).fds.get(r) as PipeOpenFile).pipe;
    assert.equal(pipe.buffered, 8);
    assert.equal(h.exited(writer), false, "the writer waits for room");
    assert.equal(text(await k.read(1, r, 3)), "012");
    await settle();
    assert.equal(pipe.buffered, 8, "the writer refilled exactly the room it got");
    assert.equal(h.exited(writer), false);
    let rest = "";
    for (let chunk = await k.read(1, r); chunk !== null; chunk = await k.read(1, r))
      rest += text(chunk);
    assert.equal(rest, payload.slice(3));
    assert.equal((await h.exit(writer)).exitCode, 0);
  });

  it("a write with no reader fails with EPIPE and SIGPIPE kills the writer (status 141)", async () => {
    const h = await boot();
    const k = h.kernel;
    const [r, w] = k.pipe(1);
    k.close(1, r);
    const err = collector("err");
    const pid = await k.spawn(1, {
      argv: ["echo", "nobody listens"],
      inheritFds: false,
      fds: [
        [1, w],
        [2, err.sink],
      ],
    });
    k.close(1, w);
    const info = await h.exit(pid);
    assert.equal(info.signal, SIGPIPE);
    assert.equal(statusCode(info), 141);
    assert.equal(err.text(), "", "death by SIGPIPE is silent");
  });

  it("kills a writer blocked on a full pipe when the reader goes away", async () => {
    const h = await boot({ limits: { pipeBufferBytes: 4 } });
    const k = h.kernel;
    const [r, w] = k.pipe(1);
    const writer = await k.spawn(1, {
      argv: ["writer"],
      inheritFds: false,
      fds: [[1, w]],
      main: async (ctx) => {
        await ctx.write(1, "more than four bytes");
        return 0;
      },
    });
    k.close(1, w);
    await settle();
    assert.equal(h.exited(writer), false);
    k.close(1, r);
    assert.equal((await h.exit(writer)).signal, SIGPIPE);
  });

  it("a process ignoring SIGPIPE gets EPIPE as an error instead", async () => {
    const h = await boot();
    const k = h.kernel;
    const [r, w] = k.pipe(1);
    k.close(1, r);
    await inProcess(
      h,
      async (ctx) => {
        ctx.onSignal(SIGPIPE, "ignore");
        await assert.rejects(ctx.write(1, "x"), isCode("EPIPE"));
        assert.equal(ctx.alive, true);
      },
      { inheritFds: false, fds: [[1, w]] },
    );
    // init is never signalled: it just sees the error.
    await assert.rejects(k.write(1, w, "x"), isCode("EPIPE"));
  });

  it("the reader sees EOF when the writer is killed", async () => {
    const h = await boot();
    const k = h.kernel;
    const [r, w] = k.pipe(1);
    const writer = await k.spawn(1, {
      argv: ["writer"],
      inheritFds: false,
      fds: [[1, w]],
      main: async (ctx) => {
        await ctx.write(1, "partial");
        return untilKilled(ctx);
      },
    });
    k.close(1, w);
    assert.equal(text(await k.read(1, r)), "partial");
    k.kill(1, writer, SIGKILL);
    assert.equal(await k.read(1, r), null);
  });

  it("O_NONBLOCK reads fail with EAGAIN on an empty pipe", async () => {
    const h = await boot();
    const k = h.kernel;
    const [r, w] = k.pipe(1);
    k.setStatusFlags(1, r, O_NONBLOCK);
    await assert.rejects(k.read(1, r), isCode("EAGAIN"));
    await k.write(1, w, "ok");
    assert.equal(text(await k.read(1, r)), "ok");
    k.close(1, w);
    assert.equal(await k.read(1, r), null);
  });

  it("O_NONBLOCK writes fail with EAGAIN on a full pipe", async () => {
    const h = await boot({ limits: { pipeBufferBytes: 2 } });
    const k = h.kernel;
    const [, w] = k.pipe(1);
    k.setStatusFlags(1, w, O_NONBLOCK);
    assert.equal(await k.write(1, w, "abc"), 2, "a partial write");
    await assert.rejects(k.write(1, w, "d"), isCode("EAGAIN"));
  });

  it("streams a large payload through a small pipe intact", async () => {
    const h = await boot({ limits: { pipeBufferBytes: 16 } });
    const k = h.kernel;
    const [r, w] = k.pipe(1);
    const payload = new Uint8Array(5000).map((_, i) => i % 251);
    const out: Uint8Array[] = [];
    const writer = await k.spawn(1, {
      argv: ["writer"],
      inheritFds: false,
      fds: [[1, w]],
      main: async (ctx) => {
        await ctx.write(1, payload);
        return 0;
      },
    });
    k.close(1, w);
    for (let chunk = await k.read(1, r, 7); chunk !== null; chunk = await k.read(1, r, 7))
      out.push(chunk.slice());
    assert.deepEqual(Buffer.concat(out), Buffer.from(payload));
    assert.equal((await h.exit(writer)).exitCode, 0);
  });
});

describe("program loading", () => {
  it("searches PATH in order", async () => {
    const h = await boot();
    await h.install("/usr/local/bin/tool", builtinStub("first"));
    await h.install("/usr/bin/tool", builtinStub("second"));
    assert.equal((await run(h, ["tool"])).out, "first\n");
    const r = await run(h, ["tool"], { env: { PATH: "/usr/bin:/usr/local/bin" } });
    assert.equal(r.out, "second\n");
    assert.equal(r.info.command, "/usr/bin/tool");
  });

  it("skips a non-executable match when a later PATH entry has an executable one", async () => {
    const h = await boot();
    await h.install("/usr/local/bin/tool", builtinStub("first"), 0o644);
    await h.install("/usr/bin/tool", builtinStub("second"));
    assert.equal((await run(h, ["tool"])).out, "second\n");
  });

  it("skips directories named like the program on PATH", async () => {
    const h = await boot();
    await h.mem.mkdir("/usr/local/bin/echo", 0o755, ROOT);
    assert.equal((await run(h, ["echo", "hi"])).out, "hi\n");
  });

  it("treats an empty PATH entry as the current directory", async () => {
    const h = await boot();
    await h.install("/home/user/local-tool", builtinStub("first"), 0o755, USER);
    assert.equal((await run(h, ["local-tool"], { env: { PATH: ":/usr/bin" } })).out, "first\n");
    await assert.rejects(run(h, ["local-tool"]), isCode("ENOENT"));
  });

  it("falls back to the default PATH when PATH is unset", async () => {
    const h = await boot();
    assert.equal((await run(h, ["echo", "x"], { env: {} })).out, "x\n");
  });

  it("runs absolute paths, relative paths against the cwd, and paths through symlinks", async () => {
    const h = await boot();
    await h.mem.mkdir("/home/user/bin", 0o755, USER);
    await h.install("/home/user/bin/mine", builtinStub("args"), 0o755, USER);
    assert.equal((await run(h, ["/usr/bin/echo", "abs"])).out, "abs\n");
    assert.equal((await run(h, ["./bin/mine"])).out, '["./bin/mine"]\n');
    assert.equal((await run(h, ["bin/mine"])).info.command, "/home/user/bin/mine");
    assert.equal((await run(h, ["../user/bin/mine"], { cwd: "/home/user" })).code, 0);
    await h.mem.symlink("usr/bin", "/bin", ROOT);
    const viaLink = await run(h, ["/bin/echo", "linked"]);
    assert.equal(viaLink.out, "linked\n");
    assert.equal(viaLink.info.command, "/bin/echo");
  });

  it("fails with ENOENT for a missing program without creating a process", async () => {
    const h = await boot();
    const before = h.kernel.list().length;
    await assert.rejects(run(h, ["no-such-program"]), isCode("ENOENT"));
    await assert.rejects(run(h, ["/usr/bin/nope"]), isCode("ENOENT"));
    await assert.rejects(run(h, [""]), isCode("ENOENT"));
    assert.equal(h.kernel.list().length, before);
    assert.equal(h.events.length, 0);
  });

  it("fails with EACCES for a program without execute permission", async () => {
    const h = await boot();
    await h.install("/usr/bin/noexec", builtinStub("first"), 0o644);
    await assert.rejects(run(h, ["noexec"]), isCode("EACCES"));
    await assert.rejects(run(h, ["/usr/bin/noexec"]), isCode("EACCES"));
  });

  it("fails with EACCES when only the owner may execute and the caller is someone else", async () => {
    const h = await boot();
    await h.install("/usr/bin/rootonly", builtinStub("first"), 0o744);
    await assert.rejects(run(h, ["/usr/bin/rootonly"]), isCode("EACCES"));
  });

  it("fails with EACCES for a directory", async () => {
    const h = await boot();
    await assert.rejects(run(h, ["/tmp"]), isCode("EACCES"));
    await assert.rejects(run(h, ["/usr/bin/"]), isCode("EACCES"));
  });

  it("fails with ENOEXEC for a plain file and for a stub of an unregistered command", async () => {
    const h = await boot();
    await h.install("/usr/bin/plain", "just some text\n");
    await assert.rejects(run(h, ["plain"]), isCode("ENOEXEC"));
    await h.install("/usr/bin/ghost", builtinStub("not-registered"));
    await assert.rejects(run(h, ["ghost"]), /'not-registered' is not supported in this VM/);
    await h.install("/usr/bin/empty", "");
    await assert.rejects(run(h, ["empty"]), isCode("ENOEXEC"));
  });

  it("runs a #! script with its interpreter: argv is interpreter, script, then the args", async () => {
    const h = await boot();
    await h.install("/home/user/script", "#!/usr/bin/args\necho ignored\n", 0o755, USER);
    const r = await run(h, ["/home/user/script", "a", "b c"]);
    assert.deepEqual(JSON.parse(r.out), ["/usr/bin/args", "/home/user/script", "a", "b c"]);
    assert.equal(r.info.command, "/usr/bin/args");
    // A relative script path reaches the interpreter as a path to the same file.
    const relative = await run(h, ["./script"]);
    const [, scriptArg] = JSON.parse(relative.out);
    assert.equal(await h.kernel.realpath(1, scriptArg), "/home/user/script");
  });

  it("passes the #! line's argument (all of it, as one word)", async () => {
    const h = await boot();
    await h.install("/usr/local/bin/one", "#!/usr/bin/args -x\n");
    await h.install("/usr/local/bin/two", "#!  /usr/bin/args  -x -y  \r\n");
    assert.deepEqual(JSON.parse((await run(h, ["one", "arg"])).out), [
      "/usr/bin/args",
      "-x",
      "/usr/local/bin/one",
      "arg",
    ]);
    assert.deepEqual(JSON.parse((await run(h, ["two"])).out), [
      "/usr/bin/args",
      "-x -y",
      "/usr/local/bin/two",
    ]);
  });

  it("follows interpreters that are scripts themselves", async () => {
    const h = await boot();
    await h.install("/tmp/inner", "#!/usr/bin/args\n");
    await h.install("/tmp/outer", "#!/tmp/inner\n");
    assert.deepEqual(JSON.parse((await run(h, ["/tmp/outer", "z"])).out), [
      "/usr/bin/args",
      "/tmp/inner",
      "/tmp/outer",
      "z",
    ]);
  });

  it("stops #! recursion with ELOOP", async () => {
    const h = await boot();
    await h.install("/tmp/loop", "#!/tmp/loop\n");
    await assert.rejects(run(h, ["/tmp/loop"]), isCode("ELOOP"));
  });

  it("reports a missing, empty or non-executable interpreter", async () => {
    const h = await boot();
    await h.install("/tmp/missing", "#!/usr/bin/nonexistent\n");
    await h.install("/tmp/blank", "#!\n");
    await h.install("/tmp/plain-interp", "#!/tmp/data\n");
    await h.install("/tmp/data", "data", 0o644);
    await assert.rejects(run(h, ["/tmp/missing"]), isCode("ENOENT"));
    await assert.rejects(run(h, ["/tmp/blank"]), isCode("ENOEXEC"));
    await assert.rejects(run(h, ["/tmp/plain-interp"]), isCode("EACCES"));
  });

  it("start() looks the program up inside the child: 127 when missing, 126 when denied", async () => {
    const h = await boot();
    const missing = await run(h, ["nope"], { start: true });
    assert.equal(missing.code, 127);
    assert.equal(missing.err, "nope: command not found\n");
    await h.install("/usr/bin/noexec", builtinStub("first"), 0o644);
    const denied = await run(h, ["noexec"], { start: true });
    assert.equal(denied.code, 126);
    assert.equal(denied.err, "noexec: Permission denied\n");
    const ok = await run(h, ["echo", "started"], { start: true });
    assert.equal(ok.out, "started\n");
    assert.equal(ok.info.command, "/usr/bin/echo");
  });

  it("start() with a main function applies the requested env and cwd", async () => {
    const h = await boot();
    let seen: { env: Record<string, string>; cwd: string } | undefined;
    const pid = h.kernel.start(1, {
      argv: ["forked"],
      env: { ONLY: "this" },
      cwd: "/tmp",
      main: (ctx) => {
        seen = { env: { ...ctx.env }, cwd: ctx.cwd };
        return 0;
      },
    });
    await h.exit(pid);
    assert.deepEqual(seen, { env: { ONLY: "this" }, cwd: "/tmp" });
  });

  it("finds programs via findInPath without executing them", async () => {
    const h = await boot();
    const init = h.kernel.init;
    assert.equal(await h.kernel.findInPath(init, "cat", init.env.PATH, "/"), "/usr/bin/cat");
    assert.equal(await h.kernel.findInPath(init, "nothing", init.env.PATH, "/"), undefined);
  });
});

describe("limits", () => {
  it("EAGAIN once maxProcesses live processes exist (init included)", async () => {
    const h = await boot({ limits: { maxProcesses: 3 } });
    const k = h.kernel;
    const a = await k.spawn(1, { argv: ["hang"] });
    await k.spawn(1, { argv: ["hang"] });
    await assert.rejects(k.spawn(1, { argv: ["hang"] }), /EAGAIN: process limit reached \(3\)/);
    assert.throws(() => k.start(1, { argv: ["hang"] }), isCode("EAGAIN"));
    k.kill(1, a, SIGKILL);
    await h.exit(a);
    await k.spawn(1, { argv: ["hang"] });
    k.shutdown();
  });

  it("contains a fork bomb: spawning stops at the limit and the VM stays usable", async () => {
    const h = await boot({ limits: { maxProcesses: 10 } });
    const errors: string[] = [];
    const bomb: CommandMain = async (ctx) => {
      try {
        await ctx.spawn({ argv: ["bomb"], main: bomb });
        await ctx.spawn({ argv: ["bomb"], main: bomb });
      } catch (err) {
        if (isKernelError(err)) errors.push(err.code);
      }
      return untilKilled(ctx);
    };
    await h.kernel.spawn(1, { argv: ["bomb"], main: bomb });
    await settle(10);
    assert.equal(h.kernel.list().length, 10);
    assert.ok(errors.length > 0 && errors.every((code) => code === "EAGAIN"));
    h.kernel.kill(1, -1, SIGKILL);
    await settle();
    assert.equal(h.kernel.list().length, 1);
    assert.equal((await run(h, ["echo", "ok"])).out, "ok\n");
  });

  it("EFBIG for whole-file writes larger than maxFileSizeBytes", async () => {
    const h = await boot({ limits: { maxFileSizeBytes: 10 } });
    await h.kernel.writeFile(1, "/tmp/fits", "0123456789");
    await assert.rejects(h.kernel.writeFile(1, "/tmp/big", "0123456789A"), isCode("EFBIG"));
  });

  it("EFBIG for descriptor writes past maxFileSizeBytes, after a partial write", async () => {
    const h = await boot({ limits: { maxFileSizeBytes: 10 } });
    const k = h.kernel;
    const fd = await k.open(1, "/tmp/grow", O_WRONLY | O_CREAT);
    assert.equal(await k.write(1, fd, "0123456"), 7);
    assert.equal(await k.write(1, fd, "789ABC"), 3, "the write stops at the limit");
    await assert.rejects(k.write(1, fd, "D"), isCode("EFBIG"));
    assert.equal((await k.stat(1, "/tmp/grow")).size, 10);
    await assert.rejects(k.writeAll(1, fd, "more"), isCode("EFBIG"));
  });

  it("ENOSPC when the filesystem is full", async () => {
    const mem = new MemoryFs({ maxBytes: 64 });
    await mem.mkdir("/tmp", 0o777, ROOT);
    const kernel = new Kernel({ fs: new Namespace(mem), registry: new CommandRegistry() });
    await kernel.writeFile(1, "/tmp/a", new Uint8Array(60));
    await assert.rejects(kernel.writeFile(1, "/tmp/b", new Uint8Array(10)), isCode("ENOSPC"));
  });

  it("rejects invalid limits", () => {
    const fs = new Namespace(new MemoryFs());
    const registry = new CommandRegistry();
    assert.throws(() => new Kernel({ fs, registry, limits: { maxProcesses: 0 } }), /positive/);
    assert.throws(
      () => new Kernel({ fs, registry, limits: { nope: 1 } as Partial<KernelLimits> }),
      /unknown limit: nope/,
    );
  });
});

describe("child-process policy", () => {
  it("with childProcess false, processes may not start programs but init may", async () => {
    const h = await boot({ policy: { childProcess: false } });
    assert.equal((await run(h, ["echo", "from init"])).out, "from init\n");
    await inProcess(h, async (ctx) => {
      await assert.rejects(
        ctx.spawn({ argv: ["echo", "x"] }),
        (err: unknown) =>
          isKernelError(err, "EPERM") &&
          /starting 'echo' is not permitted by the VM's process policy/.test(err.message),
      );
      assert.throws(() => ctx.kernel.start(ctx.pid, { argv: ["echo"] }), isCode("EPERM"));
    });
  });

  it("still lets a process fork its own code (a main function)", async () => {
    const h = await boot({ policy: { childProcess: false } });
    await inProcess(h, async (ctx) => {
      const child = await ctx.spawn({ argv: ["fork"], main: () => 4 });
      assert.equal((await ctx.waitpid(child))?.status.exitCode, 4);
    });
  });

  it("with a list, allows only the named commands (by base name)", async () => {
    const h = await boot({ policy: { childProcess: ["echo"] } });
    await inProcess(h, async (ctx) => {
      const a = await ctx.spawn({ argv: ["echo"], fds: [[1, null]] });
      const b = await ctx.spawn({ argv: ["/usr/bin/echo"], fds: [[1, null]] });
      await ctx.waitpid(a);
      await ctx.waitpid(b);
      await assert.rejects(ctx.spawn({ argv: ["cat"] }), /starting 'cat'/);
      await assert.rejects(ctx.spawn({ argv: ["/usr/bin/cat"] }), /starting 'cat'/);
    });
  });

  it("checks the policy before looking the program up", async () => {
    const h = await boot({ policy: { childProcess: [] } });
    await inProcess(h, async (ctx) => {
      await assert.rejects(ctx.spawn({ argv: ["no-such-thing"] }), isCode("EPERM"));
    });
  });

  it("makes env report the refusal with status 126", async () => {
    const h = await boot({ policy: { childProcess: false } });
    const r = await run(h, ["env", "echo", "hi"]);
    assert.equal(r.code, 126);
    assert.equal(r.err, "env: 'echo': Operation not permitted\n");
  });
});

describe("crashing commands", () => {
  it("a command that throws ends with status 70 and its message on stderr", async () => {
    const h = await boot();
    const r = await run(h, ["boom", "arg"]);
    assert.equal(r.code, 70);
    assert.equal(r.err, "boom: kaboom\n");
    assert.equal(h.kernel.init.info().status, "running");
    assert.equal((await run(h, ["echo", "alive"])).out, "alive\n");
  });

  it("reports a thrown non-Error value as text", async () => {
    const h = await boot();
    const r = await run(h, ["throw-string"]);
    assert.equal(r.code, 70);
    assert.equal(r.err, "throw-string: plain string\n");
  });

  it("an uncaught kernel error ends the command with status 1", async () => {
    const h = await boot();
    const r = await run(h, ["kboom"]);
    assert.equal(r.code, 1);
    assert.match(r.err, /^kboom: ENOENT: no such file or directory, open '\/missing'\n$/);
  });

  it("a crash with no stderr still reports the status", async () => {
    const h = await boot();
    const pid = await h.kernel.spawn(1, { argv: ["boom"], inheritFds: false });
    assert.equal((await h.exit(pid)).exitCode, 70);
  });

  it("a crashing grandchild does not disturb its parent", async () => {
    const h = await boot();
    await inProcess(h, async (ctx) => {
      const child = await ctx.spawn({ argv: ["boom"], fds: [[2, null]] });
      assert.equal((await ctx.waitpid(child))?.status.exitCode, 70);
    });
  });
});

describe("shutdown", () => {
  it("kills every process, closes init's descriptors and refuses new processes", async () => {
    const h = await boot();
    const k = h.kernel;
    const a = await k.spawn(1, { argv: ["hang"] });
    const [r] = k.pipe(1);
    const pipe = (k.process(1).fds.get(r) as PipeOpenFile).pipe;
    let b = 0;
    await inProcess(h, async (ctx) => {
      b = await ctx.spawn({ argv: ["hang"] });
    });
    k.shutdown();
    assert.equal((await h.exit(a)).signal, SIGKILL);
    assert.equal((await h.exit(b)).signal, SIGKILL);
    assert.equal(k.isShutdown, true);
    assert.equal(pipe.readers + pipe.writers, 0);
    assert.deepEqual(
      k.list().map((p) => p.pid),
      [1],
    );
    await assert.rejects(k.spawn(1, { argv: ["true"] }), /the VM is shut down/);
    assert.throws(() => k.start(1, { argv: ["true"] }), /the VM is shut down/);
  });
});

describe("process context", () => {
  it("exposes argv, env, cwd, ids and umask of its own process", async () => {
    const h = await boot();
    await inProcess(
      h,
      (ctx) => {
        assert.deepEqual(ctx.argv, ["test-body", "x"]);
        assert.equal(ctx.cwd, "/tmp");
        assert.equal(ctx.env.A, "1");
        assert.equal(ctx.ppid, 1);
        assert.equal(ctx.uid, 1000);
        assert.equal(ctx.gid, 1000);
        ctx.umask = 0o7077;
        assert.equal(ctx.umask, 0o077);
        assert.equal(ctx.resolvePath("a"), "/tmp/a");
        assert.equal(ctx.resolvePath("/b"), "/b");
      },
      { argv: ["test-body", "x"], cwd: "/tmp", env: { A: "1" } },
    );
  });

  it("env changes are seen by children started later", async () => {
    const h = await boot();
    const out = collector("out");
    await inProcess(
      h,
      async (ctx) => {
        ctx.env.ADDED = "yes";
        const child = await ctx.spawn({ argv: ["env"] });
        await ctx.waitpid(child);
      },
      { env: { PATH: "/usr/bin" }, inheritFds: false, fds: [[1, out.sink]] },
    );
    assert.equal(out.text(), "PATH=/usr/bin\nADDED=yes\n");
  });

  it("chdir changes the cwd, refusing files and missing directories", async () => {
    const h = await boot();
    await h.kernel.writeFile(1, "/tmp/file", "x");
    await inProcess(h, async (ctx) => {
      await ctx.chdir("/tmp");
      assert.equal(ctx.cwd, "/tmp");
      await ctx.chdir("..");
      assert.equal(ctx.cwd, "/");
      await assert.rejects(ctx.chdir("/tmp/file"), isCode("ENOTDIR"));
      await assert.rejects(ctx.chdir("/nowhere"), isCode("ENOENT"));
    });
  });

  it("sleep ends early when the process is killed", async () => {
    const h = await boot();
    const pid = await h.kernel.spawn(1, {
      argv: ["sleeper"],
      main: async (ctx) => {
        await ctx.sleep(60_000);
        return 0;
      },
    });
    await settle(1);
    h.kernel.kill(1, pid, SIGTERM);
    assert.equal((await h.exit(pid)).signal, SIGTERM);
  });

  it("system calls of a terminated process reject with ProcessTerminated", async () => {
    const h = await boot();
    let ctxRef: ProcessContext | undefined;
    const pid = await h.kernel.spawn(1, {
      argv: ["victim"],
      main: (ctx) => {
        ctxRef = ctx;
        return untilKilled(ctx);
      },
    });
    await settle(1);
    h.kernel.kill(1, pid, SIGKILL);
    await h.exit(pid);
    assert.ok(ctxRef);
    assert.equal(ctxRef.alive, false);
    await assert.rejects(ctxRef.read(0), (err) => err instanceof Error);
    assert.throws(() => h.kernel.pipe(pid), isCode("ESRCH"));
  });
});

describe("built-in commands", () => {
  it("echo joins its arguments and ends with a newline", async () => {
    const h = await boot();
    assert.equal((await run(h, ["echo", "a", "b  c"])).out, "a b  c\n");
    assert.equal((await run(h, ["echo"])).out, "\n");
  });

  it("echo -n, -e and -E, with unknown options printed literally", async () => {
    const h = await boot();
    assert.equal((await run(h, ["echo", "-n", "x"])).out, "x");
    assert.equal((await run(h, ["echo", "-e", "a\\tb\\x41\\0101"])).out, "a\tbAA\n");
    assert.equal((await run(h, ["echo", "-eE", "a\\tb"])).out, "a\\tb\n");
    assert.equal((await run(h, ["echo", "-ne", "x\\cy"])).out, "x");
    assert.equal((await run(h, ["echo", "-x", "y"])).out, "-x y\n");
    assert.equal((await run(h, ["echo", "--", "y"])).out, "-- y\n");
  });

  it("cat copies stdin, files and '-' in order", async () => {
    const h = await boot();
    await h.kernel.writeFile(1, "/tmp/a", "A\n");
    await h.kernel.writeFile(1, "/tmp/b", "B\n");
    assert.equal((await run(h, ["cat"], { stdin: "in\n" })).out, "in\n");
    assert.equal(
      (await run(h, ["cat", "/tmp/a", "-", "b"], { cwd: "/tmp", stdin: "S\n" })).out,
      "A\nS\nB\n",
    );
  });

  it("cat reports missing files and directories, continuing with the rest", async () => {
    const h = await boot();
    await h.kernel.writeFile(1, "/tmp/a", "A\n");
    const r = await run(h, ["cat", "/nope", "/tmp", "/tmp/a"]);
    assert.equal(r.code, 1);
    assert.equal(r.out, "A\n");
    assert.equal(r.err, "cat: /nope: No such file or directory\ncat: /tmp: Is a directory\n");
  });

  it("cat -n numbers lines across files, -b skips blanks, -s squeezes, -A shows all", async () => {
    const h = await boot();
    await h.kernel.writeFile(1, "/tmp/a", "x\n\n\n\ty\n");
    assert.equal(
      (await run(h, ["cat", "-n", "/tmp/a"])).out,
      "     1\tx\n     2\t\n     3\t\n     4\t\ty\n",
    );
    assert.equal((await run(h, ["cat", "-b", "/tmp/a"])).out, "     1\tx\n\n\n     2\t\ty\n");
    assert.equal((await run(h, ["cat", "-s", "/tmp/a"])).out, "x\n\n\ty\n");
    assert.equal((await run(h, ["cat", "-A", "/tmp/a"])).out, "x$\n$\n$\n^Iy$\n");
    const bad = await run(h, ["cat", "-z"]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /invalid option -- 'z'/);
  });

  it("cat with stdin closed never reads an opened file as stdin", async () => {
    const h = await boot();
    await h.kernel.writeFile(1, "/tmp/a", "A\n");
    const out = collector("out");
    const err = collector("err");
    const pid = await h.kernel.spawn(1, {
      argv: ["cat", "/tmp/a", "-", "/tmp/a"],
      inheritFds: false,
      fds: [
        [1, out.sink],
        [2, err.sink],
      ],
    });
    const info = await h.exit(pid);
    assert.equal(out.text(), "A\nA\n");
    assert.equal(err.text(), "cat: -: Bad file descriptor\n");
    assert.equal(info.exitCode, 1);
  });

  it("cat dies quietly of SIGPIPE when its reader goes away", async () => {
    const h = await boot();
    const k = h.kernel;
    const [r, w] = k.pipe(1);
    k.close(1, r);
    const err = collector("err");
    await k.writeFile(1, "/tmp/data", "data\n");
    const pid = await k.spawn(1, {
      argv: ["cat", "/tmp/data"],
      inheritFds: false,
      fds: [
        [1, w],
        [2, err.sink],
      ],
    });
    k.close(1, w);
    assert.equal((await h.exit(pid)).signal, SIGPIPE);
    assert.equal(err.text(), "");
  });

  it("env prints the environment, sets and unsets variables, and runs commands", async () => {
    const h = await boot();
    const base = { env: { A: "1", B: "2", PATH: "/usr/bin" } };
    assert.equal((await run(h, ["env"], base)).out, "A=1\nB=2\nPATH=/usr/bin\n");
    assert.equal((await run(h, ["env", "-u", "A", "C=3"], base)).out, "B=2\nPATH=/usr/bin\nC=3\n");
    assert.equal((await run(h, ["env", "-i", "X=y"], base)).out, "X=y\n");
    assert.equal((await run(h, ["env", "-0", "-i", "X=y"], base)).out, "X=y\0");
    const nested = await run(h, ["env", "-i", "Z=9", "env"], base);
    assert.equal(nested.out, "Z=9\n", "the command runs with the modified environment");
    assert.equal((await run(h, ["env", "false"], base)).code, 1);
  });

  it("env reports a missing command with 127 and bad options with 125", async () => {
    const h = await boot();
    const missing = await run(h, ["env", "nope"]);
    assert.equal(missing.code, 127);
    assert.equal(missing.err, "env: 'nope': No such file or directory\n");
    const bad = await run(h, ["env", "-q"]);
    assert.equal(bad.code, 125);
    assert.equal((await run(h, ["env", "-u"])).code, 125);
  });

  it("pwd prints the physical directory, or $PWD with -L when it names the same place", async () => {
    const h = await boot();
    await h.mem.mkdir("/tmp/real", 0o755, USER);
    await h.mem.symlink("/tmp/real", "/tmp/link", USER);
    const opts = { cwd: "/tmp/link", env: { PWD: "/tmp/link" } };
    assert.equal((await run(h, ["pwd"], opts)).out, "/tmp/real\n");
    assert.equal((await run(h, ["pwd", "-P"], opts)).out, "/tmp/real\n");
    assert.equal((await run(h, ["pwd", "-L"], opts)).out, "/tmp/link\n");
    const stale = { cwd: "/tmp/real", env: { PWD: "/home/user" } };
    assert.equal((await run(h, ["pwd", "-L"], stale)).out, "/tmp/real\n");
    assert.equal((await run(h, ["pwd", "-x"])).code, 1);
  });

  it("sleep 0 returns at once; bad operands fail; a sleeping sleep can be killed", async () => {
    const h = await boot();
    assert.equal((await run(h, ["sleep", "0"])).code, 0);
    assert.equal((await run(h, ["sleep", "0.0s", "0m"])).code, 0);
    const none = await run(h, ["sleep"]);
    assert.equal(none.code, 1);
    assert.match(none.err, /missing operand/);
    const bad = await run(h, ["sleep", "1x"]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /invalid time interval '1x'/);
    const pid = await h.kernel.spawn(1, { argv: ["sleep", "inf"] });
    await settle(1);
    h.kernel.kill(1, pid, SIGTERM);
    assert.equal(statusCode(await h.exit(pid)), 143);
  });

  it("true and false ignore their arguments", async () => {
    const h = await boot();
    assert.equal((await run(h, ["true", "--help"])).code, 0);
    assert.equal((await run(h, ["false", "--version"])).code, 1);
  });
});

describe("filesystem calls", () => {
  it("resolve relative paths against the process's cwd", async () => {
    const h = await boot();
    await inProcess(
      h,
      async (ctx) => {
        await ctx.mkdir("d");
        await ctx.writeFile("d/f", "data");
        assert.equal(text(await ctx.readFile("/tmp/d/f")), "data");
        await ctx.rename("d/f", "d/g");
        assert.deepEqual(
          (await ctx.readdir("d")).map((e) => e.name),
          ["g"],
        );
        await ctx.symlink("g", "d/link");
        assert.equal(await ctx.readlink("d/link"), "g");
        assert.equal(await ctx.realpath("d/link"), "/tmp/d/g");
        await ctx.unlink("d/link");
        await ctx.unlink("d/g");
        await ctx.rmdir("d");
        await assert.rejects(ctx.stat("d"), isCode("ENOENT"));
      },
      { cwd: "/tmp" },
    );
  });

  it("apply the caller's permissions", async () => {
    const h = await boot();
    await h.install("/etc/secret", "s", 0o600);
    await assert.rejects(h.kernel.readFile(1, "/etc/secret"), isCode("EACCES"));
    await assert.rejects(h.kernel.writeFile(1, "/etc/new", "x"), isCode("EACCES"));
    await assert.rejects(h.kernel.open(1, "/etc/secret", O_RDONLY), isCode("EACCES"));
  });

  it("reject bad paths, unknown pids and descriptors asynchronously", async () => {
    const h = await boot();
    const k = h.kernel;
    const calls: Array<[string, () => Promise<unknown>]> = [
      ["EINVAL", () => k.stat(1, 5 as unknown as string)],
      ["EINVAL", () => k.mkdir(1, null as unknown as string)],
      ["ESRCH", () => k.readFile(99, "/tmp")],
      ["ESRCH", () => k.writeFile(99, "/tmp/x", "x")],
      ["EBADF", () => k.fstat(1, 99)],
      ["EBADF", () => k.lseek(1, 99, 0, SEEK_SET)],
    ];
    for (const [code, call] of calls) {
      let promise: Promise<unknown> | undefined;
      assert.doesNotThrow(() => {
        promise = call();
      });
      await assert.rejects(promise!, isCode(code));
    }
  });
});
