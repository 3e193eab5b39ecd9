import assert from "node:assert/strict";
import { afterEach, describe, it, type TestContext } from "node:test";
import { builtinStub, CommandRegistry } from "../kernel/command-registry.ts";
import { Kernel } from "../kernel/kernel.ts";
import type { PipeOpenFile } from "../kernel/open-file.ts";
import { ProcFs } from "../kernel/proc-fs.ts";
import { DevFs, type DevFsOptions, READ_WHOLE_LIMIT } from "./dev-fs.ts";
import { isKernelError } from "./errors.ts";
import { MemoryFs } from "./memory-fs.ts";
import { Namespace } from "./namespace.ts";
import {
  O_CREAT,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  S_IFCHR,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  type VfsFile,
} from "./types.ts";

const ROOT = { uid: 0, gid: 0 };
const text = (bytes: Uint8Array | null): string => new TextDecoder().decode(bytes ?? undefined);
const fails = (code: string) => (err: unknown) => isKernelError(err) && err.code === code;

interface Vm {
  kernel: Kernel;
  dev: DevFs;
  /** A process sleeping in the background, its stdout and stderr on `stdout`. */
  pid: number;
  stdout: PipeOpenFile;
}

let vm: Vm | undefined;

/** A VM with /dev and /proc mounted and one process ("sleeper") running. */
async function boot(options?: DevFsOptions): Promise<Vm> {
  const root = new MemoryFs();
  for (const dir of ["/dev", "/proc", "/usr", "/usr/bin"]) await root.mkdir(dir, 0o755, ROOT);
  await root.writeFile("/usr/bin/sleeper", builtinStub("sleeper"), 0o755, ROOT);
  const registry = new CommandRegistry();
  registry.register({
    name: "sleeper",
    main: async (ctx) => {
      await ctx.sleep(60_000);
      return 0;
    },
  });
  const ns = new Namespace(root);
  const kernel = new Kernel({ fs: ns, registry });
  const dev = new DevFs(options);
  await ns.mount({ ...ROOT, pid: 1 }, "/dev", dev, { type: "devfs", source: "devfs" });
  await ns.mount({ ...ROOT, pid: 1 }, "/proc", new ProcFs(kernel), {
    type: "proc",
    source: "proc",
  });
  const pipe = kernel.createPipe();
  const pid = await kernel.spawn(1, {
    argv: ["sleeper"],
    fds: [
      [1, pipe.writeEnd],
      [2, pipe.writeEnd],
    ],
  });
  vm = { kernel, dev, pid, stdout: pipe.readEnd };
  return vm;
}

afterEach(() => {
  vm?.kernel.shutdown();
  vm = undefined;
});

/** /proc/self needs the namespace to hand its caller to ProcFs.readlink. */
async function needsSelf(t: TestContext, kernel: Kernel, pid: number): Promise<boolean> {
  const works = await kernel.readlink(pid, "/proc/self").then(
    () => true,
    () => false,
  );
  if (!works) t.skip("the namespace does not pass the caller to readlink (/proc/self)");
  return works;
}

describe("DevFs structure", () => {
  it("lists the devices, links and directories", async () => {
    const { kernel, pid } = await boot();
    const names = (await kernel.readdir(pid, "/dev")).map((e) => `${e.name}:${e.kind}`);
    assert.deepEqual(names, [
      "null:chardev",
      "zero:chardev",
      "full:chardev",
      "random:chardev",
      "urandom:chardev",
      "tty:chardev",
      "stdin:symlink",
      "stdout:symlink",
      "stderr:symlink",
      "fd:symlink",
      "pts:directory",
      "shm:directory",
    ]);
    assert.deepEqual(await kernel.readdir(pid, "/dev/pts"), []);
  });

  it("gives devices Linux modes, owners and device numbers", async () => {
    const { kernel, pid } = await boot();
    const expected: [string, number, number][] = [
      ["null", 1, 3],
      ["zero", 1, 5],
      ["full", 1, 7],
      ["random", 1, 8],
      ["urandom", 1, 9],
      ["tty", 5, 0],
    ];
    const inodes = new Set<number>();
    for (const [name, major, minor] of expected) {
      const st = await kernel.stat(pid, `/dev/${name}`);
      assert.equal(st.mode, S_IFCHR | 0o666, name);
      assert.equal(st.rdev, (major << 8) | minor, name);
      assert.equal(st.uid, 0);
      assert.equal(st.gid, 0);
      inodes.add(st.ino);
    }
    assert.equal(inodes.size, expected.length);
    const shm = await kernel.stat(pid, "/dev/shm");
    assert.equal(shm.mode, S_IFDIR | 0o1777);
    assert.ok(!inodes.has(shm.ino));
  });

  it("links the standard streams into /proc/self", async () => {
    const { kernel, pid } = await boot();
    assert.equal(await kernel.readlink(pid, "/dev/stdin"), "/proc/self/fd/0");
    assert.equal(await kernel.readlink(pid, "/dev/stdout"), "/proc/self/fd/1");
    assert.equal(await kernel.readlink(pid, "/dev/stderr"), "/proc/self/fd/2");
    assert.equal(await kernel.readlink(pid, "/dev/fd"), "/proc/self/fd");
    assert.equal((await kernel.lstat(pid, "/dev/stdout")).mode, S_IFLNK | 0o777);
  });

  it("opens /dev/stdout as a duplicate of the caller's descriptor 1", async (t) => {
    const { kernel, pid, stdout } = await boot();
    if (!(await needsSelf(t, kernel, pid))) return;
    const fd = await kernel.open(pid, "/dev/stdout", O_WRONLY);
    const table = kernel.process(pid).fds;
    assert.equal(fd, 0, "the lowest free descriptor");
    assert.equal(table.get(fd), table.get(1));
    await kernel.writeAll(pid, fd, "via /dev/stdout\n");
    assert.equal(text(await stdout.read(100)), "via /dev/stdout\n");
    assert.deepEqual(
      (await kernel.readdir(pid, "/dev/fd/")).map((e) => e.name),
      ["0", "1", "2"],
    );
  });

  it("refuses to change the fixed structure with EACCES", async () => {
    const { kernel, pid } = await boot();
    await assert.rejects(kernel.open(pid, "/dev/new", O_WRONLY | O_CREAT), fails("EACCES"));
    await assert.rejects(kernel.writeFile(pid, "/dev/new", "x"), fails("EACCES"));
    await assert.rejects(kernel.mkdir(pid, "/dev/dir"), fails("EACCES"));
    await assert.rejects(kernel.mkdir(pid, "/dev/pts/0"), fails("EACCES"));
    await assert.rejects(kernel.symlink(pid, "/x", "/dev/link"), fails("EACCES"));
    await assert.rejects(kernel.unlink(pid, "/dev/null"), fails("EACCES"));
    await assert.rejects(kernel.rename(pid, "/dev/zero", "/dev/zero2"), fails("EACCES"));
    await assert.rejects(kernel.chmod(pid, "/dev/null", 0o600), fails("EACCES"));
    await assert.rejects(kernel.rmdir(pid, "/dev/shm"), fails("EACCES"));
    await assert.rejects(kernel.truncate(pid, "/dev/null", 0), fails("EINVAL"));
    await assert.rejects(kernel.stat(pid, "/dev/null/x"), fails("ENOTDIR"));
    await assert.rejects(kernel.stat(pid, "/dev/nothing"), fails("ENOENT"));
  });
});

describe("DevFs devices", () => {
  it("/dev/null reads end of file and swallows writes, even opened with O_TRUNC", async () => {
    const { kernel, pid } = await boot();
    const fd = await kernel.open(pid, "/dev/null", O_RDWR | O_TRUNC);
    assert.equal(await kernel.read(pid, fd, 10), null);
    assert.equal(await kernel.write(pid, fd, "discarded"), 9);
    assert.equal(await kernel.read(pid, fd, 10), null);
    await kernel.writeFile(pid, "/dev/null", "also discarded");
    assert.equal((await kernel.readFile(pid, "/dev/null")).length, 0);
  });

  it("/dev/zero reads zeros without end and accepts writes", async () => {
    const { kernel, pid } = await boot();
    const fd = await kernel.open(pid, "/dev/zero", O_RDWR);
    for (let i = 0; i < 3; i++) {
      const data = await kernel.read(pid, fd, 4096);
      assert.equal(data?.length, 4096);
      assert.ok(data.every((b) => b === 0));
    }
    assert.equal(await kernel.write(pid, fd, "x"), 1);
    assert.equal(await kernel.lseek(pid, fd, 100, 0), 0);
  });

  it("/dev/full reads zeros and refuses writes with ENOSPC", async () => {
    const { kernel, pid } = await boot();
    const fd = await kernel.open(pid, "/dev/full", O_RDWR);
    assert.deepEqual(await kernel.read(pid, fd, 4), new Uint8Array(4));
    await assert.rejects(kernel.write(pid, fd, "x"), fails("ENOSPC"));
  });

  it("/dev/random and /dev/urandom read random bytes, a bounded chunk at a time", async () => {
    const { kernel, pid } = await boot();
    for (const name of ["random", "urandom"]) {
      const fd = await kernel.open(pid, `/dev/${name}`, O_RDONLY);
      const a = await kernel.read(pid, fd, 64);
      const b = await kernel.read(pid, fd, 64);
      assert.equal(a?.length, 64);
      assert.notDeepEqual(a, b);
      const big = await kernel.read(pid, fd, 1 << 20);
      assert.ok(big !== null && big.length > 0 && big.length <= 65536);
      const writer = await kernel.open(pid, `/dev/${name}`, O_WRONLY);
      assert.equal(await kernel.write(pid, writer, "entropy"), 7);
    }
  });

  it("refuses whole-file reads of endless devices instead of reading forever", async () => {
    const { kernel, pid } = await boot();
    for (const name of ["zero", "full", "random", "urandom"]) {
      await assert.rejects(kernel.readFile(pid, `/dev/${name}`), fails("EFBIG"), name);
    }
  });

  it("stops a position-counting reader at READ_WHOLE_LIMIT", async () => {
    const { dev } = await boot();
    const file = await dev.open("/zero", O_RDONLY, 0, ROOT);
    const buffer = new Uint8Array(16);
    assert.equal(await file.read(buffer, 0, 16, READ_WHOLE_LIMIT - 1), 16);
    await assert.rejects(file.read(buffer, 0, 16, READ_WHOLE_LIMIT), fails("EFBIG"));
  });

  it("respects the access mode of the open", async () => {
    const { dev } = await boot();
    const buffer = new Uint8Array(4);
    const reader = await dev.open("/zero", O_RDONLY, 0, ROOT);
    await assert.rejects(reader.write(buffer, 0, 4, 0), fails("EBADF"));
    const writer = await dev.open("/null", O_WRONLY, 0, ROOT);
    await assert.rejects(writer.read(buffer, 0, 4, 0), fails("EBADF"));
  });
});

describe("DevFs /dev/tty", () => {
  it("is ENXIO without a controlling terminal", async () => {
    const { kernel, pid } = await boot();
    await assert.rejects(kernel.open(pid, "/dev/tty", O_RDWR), fails("ENXIO"));
  });

  it("opens the terminal the provider gives for the calling process", async () => {
    const asked: number[] = [];
    const written: string[] = [];
    const terminal: VfsFile = {
      read: async () => 0,
      write: async (buffer, offset, length) => {
        written.push(text(buffer.subarray(offset, offset + length)));
        return length;
      },
      stat: async () => {
        throw new Error("unused");
      },
      truncate: async () => {},
      close: async () => {},
    };
    const { kernel, pid } = await boot({
      openTty: (callerPid) => {
        asked.push(callerPid);
        return callerPid === vm?.pid ? terminal : undefined;
      },
    });
    const fd = await kernel.open(pid, "/dev/tty", O_RDWR);
    await kernel.writeAll(pid, fd, "hello tty");
    assert.deepEqual(written, ["hello tty"]);
    await assert.rejects(kernel.open(1, "/dev/tty", O_RDWR), fails("ENXIO"));
    assert.deepEqual(asked, [pid, 1]);
  });
});

describe("DevFs /dev/shm", () => {
  it("holds files like a tmpfs", async () => {
    const { kernel, pid } = await boot();
    await kernel.writeFile(pid, "/dev/shm/seg", "shared");
    assert.equal(text(await kernel.readFile(pid, "/dev/shm/seg")), "shared");
    await kernel.mkdir(pid, "/dev/shm/dir");
    await kernel.rename(pid, "/dev/shm/seg", "/dev/shm/dir/seg");
    assert.deepEqual(
      (await kernel.readdir(pid, "/dev/shm")).map((e) => e.name),
      ["dir"],
    );
    const fd = await kernel.open(pid, "/dev/shm/dir/seg", O_RDWR);
    const st = await kernel.fstat(pid, fd);
    assert.equal(st.mode & S_IFMT, 0o100000);
    assert.equal(st.ino, (await kernel.stat(pid, "/dev/shm/dir/seg")).ino);
    assert.equal(text(await kernel.read(pid, fd, 100)), "shared");
    await kernel.unlink(pid, "/dev/shm/dir/seg");
    await kernel.rmdir(pid, "/dev/shm/dir");
    assert.deepEqual(await kernel.readdir(pid, "/dev/shm"), []);
  });

  it("keeps renames and links within shm (EXDEV across its boundary)", async () => {
    const { kernel, pid } = await boot();
    await kernel.writeFile(pid, "/dev/shm/seg", "x");
    await assert.rejects(kernel.rename(pid, "/dev/shm/seg", "/dev/seg"), fails("EXDEV"));
    await assert.rejects(kernel.link(pid, "/dev/null", "/dev/shm/null"), fails("EXDEV"));
  });

  it("is capped at shmMaxBytes", async () => {
    const { kernel, pid } = await boot({ shmMaxBytes: 1024 });
    await kernel.writeFile(pid, "/dev/shm/small", new Uint8Array(1000));
    await assert.rejects(
      kernel.writeFile(pid, "/dev/shm/big", new Uint8Array(100)),
      fails("ENOSPC"),
    );
  });
});
