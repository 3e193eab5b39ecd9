import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { DevFs } from "../fs/dev-fs.ts";
import { isKernelError } from "../fs/errors.ts";
import { MemoryFs } from "../fs/memory-fs.ts";
import { Namespace } from "../fs/namespace.ts";
import { O_RDONLY, O_WRONLY, S_IFDIR, S_IFLNK, S_IFREG } from "../fs/types.ts";
import { builtinStub, CommandRegistry } from "./command-registry.ts";
import { Kernel } from "./kernel.ts";
import type { PipeOpenFile } from "./open-file.ts";
import { ProcFs } from "./proc-fs.ts";
import { SIGNALS } from "./signals.ts";

const ROOT = { uid: 0, gid: 0 };
const decoder = new TextDecoder();
const text = (bytes: Uint8Array | null): string => decoder.decode(bytes ?? undefined);
const fails = (code: string) => (err: unknown) => isKernelError(err) && err.code === code;

interface Vm {
  kernel: Kernel;
  proc: ProcFs;
  /** `sleeper a "b c"`, sleeping; stdin and stdout/stderr are two pipes. */
  pid: number;
  stdin: PipeOpenFile;
  stdout: PipeOpenFile;
}

let vm: Vm | undefined;

async function boot(): Promise<Vm> {
  const root = new MemoryFs();
  for (const dir of ["/dev", "/proc", "/usr", "/usr/bin", "/work"]) {
    await root.mkdir(dir, 0o755, ROOT);
  }
  await root.writeFile("/usr/bin/sleeper", builtinStub("sleeper"), 0o755, ROOT);
  await root.writeFile("/work/notes", new TextEncoder().encode("hello"), 0o644, ROOT);
  const registry = new CommandRegistry();
  registry.register({
    name: "sleeper",
    main: async (ctx) => {
      await ctx.sleep(60_000);
      return 0;
    },
  });
  const ns = new Namespace(root);
  const kernel = new Kernel({ fs: ns, registry, env: { HOME: "/root", LANG: "C.UTF-8" } });
  const proc = new ProcFs(kernel, { hostname: "testbox" });
  await ns.mount({ ...ROOT, pid: 1 }, "/dev", new DevFs(), { type: "devfs", source: "devfs" });
  await ns.mount({ ...ROOT, pid: 1 }, "/proc", proc, { type: "proc", source: "proc" });
  const input = kernel.createPipe();
  const output = kernel.createPipe();
  const pid = await kernel.spawn(1, {
    argv: ["sleeper", "a", "b c"],
    cwd: "/work",
    fds: [
      [0, input.readEnd],
      [1, output.writeEnd],
      [2, output.writeEnd],
    ],
  });
  vm = { kernel, proc, pid, stdin: input.writeEnd, stdout: output.readEnd };
  return vm;
}

afterEach(() => {
  vm?.kernel.shutdown();
  vm = undefined;
});

async function read(kernel: Kernel, pid: number, path: string): Promise<string> {
  return text(await kernel.readFile(pid, path));
}

/** "Key:\tvalue" lines of /proc/<pid>/status as a map. */
function fieldsOf(status: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of status.trimEnd().split("\n")) {
    const colon = line.indexOf(":");
    map.set(line.slice(0, colon), line.slice(colon + 1).replace(/^\t/, ""));
  }
  return map;
}

describe("ProcFs top level", () => {
  it("lists the fixed entries, then one directory per process", async () => {
    const { kernel, pid } = await boot();
    const entries = await kernel.readdir(pid, "/proc");
    const names = entries.map((e) => e.name);
    for (const name of ["self", "meminfo", "cpuinfo", "uptime", "loadavg", "mounts", "version"]) {
      assert.ok(names.includes(name), name);
    }
    assert.deepEqual(names.slice(-2), ["1", String(pid)]);
    assert.equal(entries.find((e) => e.name === String(pid))?.kind, "directory");
    assert.equal(entries.find((e) => e.name === "self")?.kind, "symlink");
    const st = await kernel.stat(pid, "/proc");
    assert.equal(st.mode, S_IFDIR | 0o555);
  });

  it("resolves self to the caller's pid (given the caller)", async () => {
    const { proc, pid } = await boot();
    assert.equal(await proc.readlink("/self", { pid }), String(pid));
    assert.equal(await proc.readlink("/self", { pid: 1 }), "1");
    await assert.rejects(proc.readlink("/self"), fails("ENOENT"));
    assert.equal((await proc.lstat("/self")).mode, S_IFLNK | 0o777);
  });

  it("resolves /proc/self through the namespace", async (t) => {
    const { kernel, pid } = await boot();
    const self = await kernel.readlink(pid, "/proc/self").catch(() => undefined);
    if (self === undefined) {
      t.skip("the namespace does not pass the caller to readlink (/proc/self)");
      return;
    }
    assert.equal(self, String(pid));
    assert.equal(await kernel.readlink(1, "/proc/self"), "1");
    assert.equal(await kernel.realpath(pid, "/proc/self/status"), `/proc/${pid}/status`);
    assert.equal(fieldsOf(await read(kernel, pid, "/proc/self/status")).get("Pid"), String(pid));
  });

  it("reports mounts as `source path type rw|ro 0 0`", async () => {
    const { kernel, pid } = await boot();
    assert.equal(
      await read(kernel, pid, "/proc/mounts"),
      "none / memfs rw 0 0\ndevfs /dev devfs rw 0 0\nproc /proc proc rw 0 0\n",
    );
    await kernel.mkdir(1, "/my data");
    await kernel.fs.mount({ ...ROOT, pid: 1 }, "/my data", new MemoryFs(), {
      type: "hostdir",
      source: "C:\\host dir",
      readOnly: true,
    });
    const last = (await read(kernel, pid, "/proc/mounts")).trimEnd().split("\n").at(-1);
    assert.equal(last, "C:\\134host\\040dir /my\\040data hostdir ro 0 0");
  });

  it("reports memory from the VM's filesystem budget", async () => {
    const { kernel, pid } = await boot();
    const info = fieldsOf(await read(kernel, pid, "/proc/meminfo"));
    const total = kernel.limits.maxFsBytes / 1024;
    assert.match(info.get("MemTotal") ?? "", new RegExp(`^ +${total} kB$`));
    const free = Number.parseInt(info.get("MemFree")?.trim() ?? "", 10);
    assert.ok(free > 0 && free <= total);
    assert.equal(info.get("SwapTotal")?.trim(), "0 kB");
    // Linux's columns: the value ends at column 24, before " kB".
    const first = (await read(kernel, pid, "/proc/meminfo")).split("\n")[0];
    assert.equal(first.indexOf(" kB"), 24);
  });

  it("generates uptime, loadavg, cpuinfo, version and hostname", async () => {
    const { kernel, pid } = await boot();
    assert.match(await read(kernel, pid, "/proc/uptime"), /^\d+\.\d\d \d+\.\d\d\n$/);
    assert.match(
      await read(kernel, pid, "/proc/loadavg"),
      new RegExp(`^0.00 0.00 0.00 1/2 ${pid}\n$`),
    );
    const cpuinfo = await read(kernel, pid, "/proc/cpuinfo");
    assert.match(cpuinfo, /^processor\t: 0\nmodel name\t: /);
    assert.ok(cpuinfo.endsWith("\n\n"));
    assert.match(await read(kernel, pid, "/proc/version"), /^Linux version \S+ /);
    assert.equal(await read(kernel, pid, "/proc/sys/kernel/hostname"), "testbox\n");
    assert.equal(await read(kernel, pid, "/proc/sys/kernel/ostype"), "Linux\n");
  });

  it("refuses every change with EACCES", async () => {
    const { kernel, pid } = await boot();
    await assert.rejects(kernel.writeFile(pid, "/proc/meminfo", "x"), fails("EACCES"));
    await assert.rejects(kernel.open(pid, "/proc/uptime", O_WRONLY), fails("EACCES"));
    await assert.rejects(kernel.writeFile(pid, "/proc/new", "x"), fails("EACCES"));
    await assert.rejects(kernel.mkdir(pid, "/proc/dir"), fails("EACCES"));
    await assert.rejects(kernel.unlink(pid, "/proc/version"), fails("EACCES"));
    await assert.rejects(kernel.symlink(pid, "/", "/proc/link"), fails("EACCES"));
    await assert.rejects(kernel.chmod(pid, "/proc/version", 0o777), fails("EACCES"));
  });

  it("is ENOENT for a missing pid and ENOTDIR below a file", async () => {
    const { kernel, pid } = await boot();
    await assert.rejects(kernel.stat(pid, "/proc/9999"), fails("ENOENT"));
    await assert.rejects(kernel.readFile(pid, "/proc/9999/status"), fails("ENOENT"));
    await assert.rejects(kernel.stat(pid, `/proc/0${pid}`), fails("ENOENT"));
    await assert.rejects(kernel.stat(pid, "/proc/nothing"), fails("ENOENT"));
    await assert.rejects(kernel.stat(pid, "/proc/meminfo/x"), fails("ENOTDIR"));
    await assert.rejects(kernel.stat(pid, `/proc/${pid}/fd/7`), fails("ENOENT"));
  });

  it("keeps inode numbers stable per path and distinct between paths", async () => {
    const { kernel, pid } = await boot();
    const a = await kernel.lstat(pid, `/proc/${pid}/status`);
    const b = await kernel.lstat(pid, `/proc/${pid}/status`);
    const c = await kernel.lstat(pid, `/proc/${pid}/stat`);
    assert.equal(a.ino, b.ino);
    assert.notEqual(a.ino, c.ino);
    assert.equal(a.mode, S_IFREG | 0o444);
    assert.equal(a.size, 0);
  });
});

describe("ProcFs process directories", () => {
  it("holds cmdline, comm, environ, cwd and exe", async () => {
    const { kernel, pid } = await boot();
    const dir = `/proc/${pid}`;
    assert.deepEqual(
      (await kernel.readdir(pid, dir)).map((e) => e.name),
      ["cmdline", "comm", "cwd", "environ", "exe", "fd", "stat", "status"],
    );
    assert.equal(await read(kernel, pid, `${dir}/cmdline`), "sleeper\0a\0b c\0");
    assert.equal(await read(kernel, pid, `${dir}/comm`), "sleeper\n");
    assert.equal(await read(kernel, pid, `${dir}/environ`), "HOME=/root\0LANG=C.UTF-8\0");
    assert.equal(await kernel.readlink(pid, `${dir}/cwd`), "/work");
    assert.equal(await kernel.readlink(pid, `${dir}/exe`), "/usr/bin/sleeper");
    // Links lead on: the cwd link is a directory to walk through.
    assert.equal(await read(kernel, pid, `${dir}/cwd/notes`), "hello");
    assert.equal((await kernel.lstat(pid, `${dir}/environ`)).mode, S_IFREG | 0o400);
  });

  it("reports status like Linux", async () => {
    const { kernel, pid } = await boot();
    const status = fieldsOf(await read(kernel, pid, `/proc/${pid}/status`));
    assert.equal(status.get("Name"), "sleeper");
    assert.equal(status.get("State"), "R (running)");
    assert.equal(status.get("Pid"), String(pid));
    assert.equal(status.get("PPid"), "1");
    assert.equal(status.get("Uid"), "0\t0\t0\t0");
    assert.equal(status.get("Gid"), "0\t0\t0\t0");
    assert.equal(status.get("Umask"), "0022");
    assert.equal(status.get("FDSize"), "64");
    assert.equal(fieldsOf(await read(kernel, pid, "/proc/1/status")).get("State"), "S (sleeping)");
  });

  it("shows signal dispositions and stopped processes", async () => {
    const { kernel, pid } = await boot();
    kernel.setSignalDisposition(pid, SIGNALS.SIGINT, "ignore");
    kernel.setSignalDisposition(pid, SIGNALS.SIGTERM, () => {});
    kernel.kill(1, pid, SIGNALS.SIGSTOP);
    const status = fieldsOf(await read(kernel, pid, `/proc/${pid}/status`));
    assert.equal(status.get("State"), "T (stopped)");
    assert.equal(status.get("SigIgn"), "0000000000000002");
    assert.equal(status.get("SigCgt"), "0000000000004000");
    const stat = (await read(kernel, pid, `/proc/${pid}/stat`)).trimEnd().split(" ");
    assert.equal(stat[2], "T");
    assert.equal(stat[32], "2");
    assert.equal(stat[33], String(0x4000));
  });

  it("lays out stat in Linux's 52 fields", async () => {
    const { kernel, pid } = await boot();
    const line = await read(kernel, pid, `/proc/${pid}/stat`);
    assert.ok(line.endsWith("\n"));
    const fields = line.trimEnd().split(" ");
    assert.equal(fields.length, 52);
    assert.deepEqual(fields.slice(0, 6), [String(pid), "(sleeper)", "R", "1", "1", "1"]);
    assert.equal(fields[19], "1", "num_threads");
    assert.ok(Number(fields[21]) >= 0, "starttime");
  });

  it("shows a zombie as Z, with no cmdline and unreadable links", async () => {
    const { kernel } = await boot();
    // A parent that does not wait leaves its exited child a zombie.
    let child = 0;
    const parent = await kernel.spawn(1, {
      argv: ["parent"],
      main: async (ctx) => {
        child = await ctx.spawn({ argv: ["child"], main: () => 3 });
        await ctx.sleep(60_000);
        return 0;
      },
    });
    while (child === 0 || kernel.process(child).alive) await new Promise((r) => setTimeout(r, 1));
    const dir = `/proc/${child}`;
    assert.equal(fieldsOf(await read(kernel, parent, `${dir}/status`)).get("State"), "Z (zombie)");
    assert.equal(await read(kernel, parent, `${dir}/cmdline`), "");
    const fields = (await read(kernel, parent, `${dir}/stat`)).trimEnd().split(" ");
    assert.equal(fields[51], String(3 << 8));
    await assert.rejects(kernel.readlink(parent, `${dir}/cwd`), fails("ENOENT"));
    assert.deepEqual(await kernel.readdir(parent, `${dir}/fd`), []);
    await kernel.waitpid(parent, child);
    await assert.rejects(kernel.stat(parent, dir), fails("ENOENT"));
  });

  it("lists descriptors as links to their descriptions, moded by access", async () => {
    const { kernel, pid } = await boot();
    const fd = await kernel.open(pid, "/work/notes", O_RDONLY);
    const dir = `/proc/${pid}/fd`;
    const entries = await kernel.readdir(pid, dir);
    assert.deepEqual(
      entries.map((e) => `${e.name}:${e.kind}`),
      ["0:symlink", "1:symlink", "2:symlink", `${fd}:symlink`],
    );
    const pipeOut = await kernel.readlink(pid, `${dir}/1`);
    assert.match(pipeOut, /^pipe:\[\d+\]$/);
    assert.equal(await kernel.readlink(pid, `${dir}/2`), pipeOut);
    assert.match(await kernel.readlink(pid, `${dir}/0`), /^pipe:\[\d+\]$/);
    assert.notEqual(await kernel.readlink(pid, `${dir}/0`), pipeOut);
    assert.equal(await kernel.readlink(pid, `${dir}/${fd}`), "/work/notes");
    assert.equal((await kernel.lstat(pid, `${dir}/0`)).mode, S_IFLNK | 0o500);
    assert.equal((await kernel.lstat(pid, `${dir}/1`)).mode, S_IFLNK | 0o300);
    assert.equal((await kernel.stat(pid, dir)).mode, S_IFDIR | 0o500);
  });

  it("opens fd/<n> as a duplicate of that descriptor (the magic link)", async () => {
    const { kernel, pid, stdout } = await boot();
    const fd = await kernel.open(pid, `/proc/${pid}/fd/1`, O_WRONLY);
    const table = kernel.process(pid).fds;
    assert.equal(table.get(fd), table.get(1));
    await kernel.writeAll(pid, fd, "through the magic link");
    assert.equal(text(await stdout.read(100)), "through the magic link");
    // Another process may open it too (same user): it gets the same description.
    const fromInit = await kernel.open(1, `/proc/${pid}/fd/1`, O_WRONLY);
    assert.equal(kernel.process(1).fds.get(fromInit), table.get(1));
  });

  it("serves reads at any position from one snapshot", async () => {
    const { kernel, pid } = await boot();
    const whole = await read(kernel, pid, `/proc/${pid}/status`);
    const fd = await kernel.open(pid, `/proc/${pid}/status`, O_RDONLY);
    let pieces = "";
    for (;;) {
      const chunk = await kernel.read(pid, fd, 7);
      if (chunk === null) break;
      pieces += text(chunk);
    }
    assert.equal(pieces, whole);
    assert.equal(await kernel.lseek(pid, fd, 5, 0), 5);
    assert.equal(text(await kernel.read(pid, fd, 7)), whole.slice(5, 12));
  });
});
