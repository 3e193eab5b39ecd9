import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DEFAULT_COMMANDS } from "../commands/index.ts";
import { isKernelError } from "../fs/errors.ts";
import { MemoryFs } from "../fs/memory-fs.ts";
import type { VirtualFileSystem } from "../fs/virtual-file-system.ts";
import { builtinStub } from "../kernel/command-registry.ts";
import { AgentOs, type AgentOsOptions } from "./agent-os.ts";
import { createHostDirBackend, nodeModulesMount } from "./mounts.ts";
import { installCommandStub } from "./root-image.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const utf8 = (data: Uint8Array | null): string => (data === null ? "<null>" : decoder.decode(data));

async function withVm(
  options: AgentOsOptions,
  fn: (vm: AgentOs) => Promise<void> | void,
): Promise<void> {
  const vm = await AgentOs.create(options);
  try {
    await fn(vm);
  } finally {
    await vm.dispose();
  }
}

interface Ran {
  pid: number;
  code: number;
  out: string;
  err: string;
}

/** Spawns a command, optionally feeding stdin, and collects its output and exit code. */
async function run(
  vm: AgentOs,
  command: string,
  args: string[] = [],
  options: { cwd?: string; env?: Record<string, string>; stdin?: string } = {},
): Promise<Ran> {
  let out = "";
  let err = "";
  const { stdin, ...spawnOptions } = options;
  const { pid } = vm.spawn(command, args, {
    ...spawnOptions,
    onStdout: (d) => {
      out += decoder.decode(d);
    },
    onStderr: (d) => {
      err += decoder.decode(d);
    },
  });
  if (stdin !== undefined) {
    await vm.writeProcessStdin(pid, stdin);
    vm.closeProcessStdin(pid);
  }
  const code = await vm.waitProcess(pid);
  return { pid, code, out, err };
}

const isCode = (code: string) => (err: unknown) => isKernelError(err) && err.code === code;

/** A small path-based VirtualFileSystem kept in maps, as a user might write one. */
class MapDriver implements VirtualFileSystem {
  readonly files = new Map<string, Uint8Array>();
  readonly dirs = new Set<string>(["/"]);

  #missing(path: string): Error {
    return Object.assign(new Error(`no such entry ${path}`), { code: "ENOENT" });
  }

  #parent(path: string): string {
    const i = path.lastIndexOf("/");
    return i <= 0 ? "/" : path.slice(0, i);
  }

  async readFile(path: string): Promise<Uint8Array> {
    const data = this.files.get(path);
    if (!data) throw this.#missing(path);
    return data;
  }

  async writeFile(path: string, content: string | Uint8Array): Promise<void> {
    this.files.set(path, typeof content === "string" ? encoder.encode(content) : content.slice());
  }

  async readDir(path: string): Promise<string[]> {
    if (!this.dirs.has(path)) throw this.#missing(path);
    const names: string[] = [];
    for (const entry of [...this.dirs, ...this.files.keys()]) {
      if (entry !== "/" && this.#parent(entry) === path)
        names.push(entry.slice(entry.lastIndexOf("/") + 1));
    }
    return names;
  }

  async stat(path: string) {
    if (this.dirs.has(path)) return { isDirectory: true, isFile: false, size: 0 };
    const data = this.files.get(path);
    if (!data) throw this.#missing(path);
    return { isDirectory: false, isFile: true, size: data.length };
  }

  async exists(path: string): Promise<boolean> {
    return this.dirs.has(path) || this.files.has(path);
  }

  async mkdir(path: string): Promise<void> {
    this.dirs.add(path);
  }

  async removeFile(path: string): Promise<void> {
    if (!this.files.delete(path)) throw this.#missing(path);
  }

  async removeDir(path: string): Promise<void> {
    if (!this.dirs.delete(path)) throw this.#missing(path);
  }

  async rename(from: string, to: string): Promise<void> {
    const data = this.files.get(from);
    if (data) {
      this.files.delete(from);
      this.files.set(to, data);
      return;
    }
    if (!this.dirs.delete(from)) throw this.#missing(from);
    this.dirs.add(to);
  }
}

// ---------------------------------------------------------------------------------------------

describe("lifecycle", () => {
  it("creates a VM and disposes it idempotently", async () => {
    const vm = await AgentOs.create();
    assert.equal(vm.disposed, false);
    await vm.dispose();
    assert.equal(vm.disposed, true);
    await vm.dispose();
    assert.equal(vm.disposed, true);
  });

  it("keeps VMs isolated from each other even though they share the root image", async () => {
    const a = await AgentOs.create();
    const b = await AgentOs.create();
    try {
      const root = { uid: 0, gid: 0, pid: 1 };
      await a.kernel.fs.writeFile(root, "/etc/passwd", encoder.encode("changed\n"));
      await a.kernel.fs.writeFile(root, "/usr/bin/echo", encoder.encode("broken"));
      await a.writeFile("/home/user/only-a", "a");
      assert.equal(utf8(await a.readFile("/etc/passwd")), "changed\n");
      assert.match(utf8(await b.readFile("/etc/passwd")), /^root:/);
      assert.equal(await b.exists("/home/user/only-a"), false);
      assert.equal((await run(b, "echo", ["fine"])).out, "fine\n");
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });

  it("dispose kills running processes, reporting SIGKILL (137)", async () => {
    const vm = await AgentOs.create();
    const { pid } = vm.spawn("sleep", ["1000"]);
    const { pid: reader } = vm.spawn("cat");
    const exits: number[] = [];
    vm.onProcessExit(pid, (code) => exits.push(code));
    const waiting = vm.waitProcess(pid);
    const readerWaiting = vm.waitProcess(reader);
    await vm.dispose();
    assert.equal(await waiting, 137);
    assert.equal(await readerWaiting, 137);
    assert.deepEqual(exits, [137]);
    assert.deepEqual(
      vm.kernel.list().map((p) => p.pid),
      [1],
    );
  });

  it("dispose disposes mounted backends", async () => {
    let disposed = 0;
    const backend = Object.assign(new MemoryFs(), {
      dispose() {
        disposed++;
      },
    });
    const vm = await AgentOs.create({ mounts: [{ path: "/data", driver: backend }] });
    await vm.dispose();
    await vm.dispose();
    assert.equal(disposed, 1);
  });

  it("every method throws 'has been disposed' after dispose", async () => {
    const vm = await AgentOs.create();
    const { pid } = vm.spawn("true");
    await vm.waitProcess(pid);
    await vm.dispose();
    const calls: Record<string, () => unknown> = {
      readFile: () => vm.readFile("/etc/passwd"),
      writeFile: () => vm.writeFile("/tmp/x", "x"),
      readFiles: () => vm.readFiles(["/etc/passwd"]),
      writeFiles: () => vm.writeFiles([{ path: "/tmp/x", content: "x" }]),
      mkdir: () => vm.mkdir("/tmp/d"),
      readdir: () => vm.readdir("/"),
      readdirRecursive: () => vm.readdirRecursive("/"),
      stat: () => vm.stat("/"),
      lstat: () => vm.lstat("/"),
      exists: () => vm.exists("/"),
      move: () => vm.move("/tmp/a", "/tmp/b"),
      delete: () => vm.delete("/tmp/a"),
      mountFs: () => vm.mountFs("/m", new MemoryFs()),
      unmountFs: () => vm.unmountFs("/m"),
      exec: () => vm.exec("true"),
      openShell: () => vm.openShell(),
      writeShell: () => vm.writeShell("shell-1", "x"),
      onShellData: () => vm.onShellData("shell-1", () => {}),
      onShellExit: () => vm.onShellExit("shell-1", () => {}),
      waitShell: () => vm.waitShell("shell-1"),
      resizeShell: () => vm.resizeShell("shell-1", 80, 24),
      closeShell: () => vm.closeShell("shell-1"),
      listShells: () => vm.listShells(),
      connectTerminal: () => vm.connectTerminal(),
      spawn: () => vm.spawn("true"),
      writeProcessStdin: () => vm.writeProcessStdin(pid, "x"),
      closeProcessStdin: () => vm.closeProcessStdin(pid),
      waitProcess: () => vm.waitProcess(pid),
      onProcessOutput: () => vm.onProcessOutput(pid, () => {}),
      onProcessExit: () => vm.onProcessExit(pid, () => {}),
      listProcesses: () => vm.listProcesses(),
      getProcess: () => vm.getProcess(pid),
      allProcesses: () => vm.allProcesses(),
      processTree: () => vm.processTree(),
      scheduleCron: () =>
        vm.scheduleCron({ schedule: "* * * * *", action: { type: "exec", command: "true" } }),
      listCronJobs: () => vm.listCronJobs(),
      cancelCronJob: () => vm.cancelCronJob("x"),
      onCronEvent: () => vm.onCronEvent(() => {}),
      stopProcess: () => vm.stopProcess(pid),
      killProcess: () => vm.killProcess(pid),
      fetch: () => vm.fetch(3000, "/"),
      onNetworkEvent: () => vm.onNetworkEvent(() => {}),
      listAgents: () => vm.listAgents(),
      createSession: () => vm.createSession("pi"),
      listSessions: () => vm.listSessions(),
      prompt: () => vm.prompt("s", "x"),
      cancelSession: () => vm.cancelSession("s"),
      closeSession: () => vm.closeSession("s"),
      destroySession: () => vm.destroySession("s"),
      onSessionEvent: () => vm.onSessionEvent("s", () => {}),
      getSessionEvents: () => vm.getSessionEvents("s"),
      onPermissionRequest: () => vm.onPermissionRequest("s", () => {}),
      respondPermission: () => vm.respondPermission("s", "p", "once"),
      setSessionMode: () => vm.setSessionMode("s", "m"),
      getSessionModes: () => vm.getSessionModes("s"),
      setSessionModel: () => vm.setSessionModel("s", "m"),
      setSessionThoughtLevel: () => vm.setSessionThoughtLevel("s", "high"),
      getSessionConfigOptions: () => vm.getSessionConfigOptions("s"),
      rawSend: () => vm.rawSend("s", "x"),
    };
    const methods = Object.getOwnPropertyNames(AgentOs.prototype).filter((name) => {
      const descriptor = Object.getOwnPropertyDescriptor(AgentOs.prototype, name);
      return (
        name !== "constructor" && name !== "dispose" && typeof descriptor?.value === "function"
      );
    });
    assert.deepEqual(Object.keys(calls).sort(), methods.sort(), "every public method is covered");
    for (const [name, call] of Object.entries(calls)) {
      await assert.rejects(
        async () => call(),
        (err: Error) => err.message === `${name}: this VM has been disposed`,
        name,
      );
    }
  });

  it("rejects unknown options and options of later layers", async () => {
    await assert.rejects(AgentOs.create({ bogus: 1 } as AgentOsOptions), {
      name: "TypeError",
      message: 'AgentOs.create: unknown option "bogus"',
    });
    await assert.rejects(
      AgentOs.create({ sidecar: {} } as AgentOsOptions),
      /AgentOs.create: option "sidecar" \(sidecars\) is not supported yet/,
    );
  });

  it("applies cwd, env and hostname options to processes and /etc", async () => {
    await withVm({ cwd: "/tmp", env: { GREETING: "hi" }, hostname: "box-1" }, async (vm) => {
      const r = await run(vm, "env");
      assert.match(r.out, /^GREETING=hi$/m);
      assert.match(r.out, /^HOSTNAME=box-1$/m);
      assert.match(r.out, /^PWD=\/tmp$/m);
      assert.equal((await run(vm, "pwd")).out, "/tmp\n");
      assert.equal(utf8(await vm.readFile("/etc/hostname")), "box-1\n");
      assert.match(utf8(await vm.readFile("/etc/hosts")), /^127\.0\.1\.1\tbox-1$/m);
    });
  });

  it("gives processes a Linux-like default environment without the host's", async () => {
    await withVm({}, async (vm) => {
      const env = Object.fromEntries(
        (await run(vm, "env")).out
          .trim()
          .split("\n")
          .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
      );
      assert.equal(env.HOME, "/home/user");
      assert.equal(env.USER, "user");
      assert.equal(env.PWD, "/home/user");
      assert.equal(env.PATH, "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
      assert.equal(env.HOSTNAME, "agentos");
      for (const key of Object.keys(process.env)) {
        if (!["HOME", "USER", "PATH", "PWD", "LANG", "SHELL", "LOGNAME", "HOSTNAME"].includes(key))
          assert.equal(env[key], undefined, `host variable ${key} leaked`);
      }
    });
  });

  it("exposes the options it was created with", async () => {
    const options = { env: { A: "1" } };
    await withVm(options, (vm) => {
      assert.equal(vm.options, options);
    });
  });
});

describe("root layout", () => {
  let vm: AgentOs;
  before(async () => {
    vm = await AgentOs.create();
  });
  after(() => vm.dispose());

  it("has /etc/passwd with root and the VM user", async () => {
    const passwd = utf8(await vm.readFile("/etc/passwd"));
    assert.match(passwd, /^root:x:0:0:root:\/root:\/bin\/bash$/m);
    assert.match(passwd, /^user:x:1000:1000:user:\/home\/user:\/bin\/bash$/m);
    assert.match(utf8(await vm.readFile("/etc/group")), /^user:x:1000:$/m);
  });

  it("has /etc/os-release and the default hostname", async () => {
    const release = utf8(await vm.readFile("/etc/os-release"));
    assert.match(release, /^ID=agentos$/m);
    assert.match(release, /^NAME="agentOS"$/m);
    assert.equal(utf8(await vm.readFile("/etc/hostname")), "agentos\n");
  });

  it("has a world-writable sticky /tmp owned by root", async () => {
    const st = await vm.stat("/tmp");
    assert.equal(st.isDirectory, true);
    assert.equal(st.mode & 0o7777, 0o1777);
    assert.equal(st.uid, 0);
    assert.equal((await vm.stat("/var/tmp")).mode & 0o7777, 0o1777);
  });

  it("has /home/user owned by the VM user (1000)", async () => {
    const st = await vm.stat("/home/user");
    assert.equal(st.uid, 1000);
    assert.equal(st.gid, 1000);
    assert.equal(st.mode & 0o777, 0o755);
    assert.equal((await vm.stat("/root")).uid, 0);
  });

  it("has /bin as a symlink to usr/bin (merged /usr)", async () => {
    const st = await vm.lstat("/bin");
    assert.equal(st.isSymbolicLink, true);
    assert.equal(await vm.kernel.readlink(1, "/bin"), "usr/bin");
    assert.equal((await vm.stat("/bin")).isDirectory, true);
    assert.deepEqual((await vm.readdir("/bin")).sort(), (await vm.readdir("/usr/bin")).sort());
    assert.equal(await vm.kernel.readlink(1, "/sbin"), "usr/sbin");
    assert.equal(await vm.kernel.readlink(1, "/lib"), "usr/lib");
  });

  it("has an executable stub in /usr/bin for every built-in command", async () => {
    const echo = await vm.stat("/usr/bin/echo");
    assert.equal(echo.isFile, true);
    assert.equal(echo.mode & 0o777, 0o755);
    assert.equal(echo.uid, 0);
    assert.deepEqual(await vm.readFile("/usr/bin/echo"), builtinStub("echo"));
    const names = await vm.readdir("/usr/bin");
    for (const command of DEFAULT_COMMANDS) assert.ok(names.includes(command.name), command.name);
    assert.equal((await run(vm, "/bin/echo", ["via", "/bin"])).out, "via /bin\n");
  });

  it("lets the user install tools in /usr/local/bin but not in /usr/bin", async () => {
    assert.equal((await vm.stat("/usr/local/bin")).uid, 1000);
    await vm.writeFile("/usr/local/bin/mine", "x");
    await assert.rejects(vm.writeFile("/usr/bin/mine", "x"), isCode("EACCES"));
  });

  it("has the usual top-level directories, with /dev and /proc mounted", async () => {
    const top = await vm.readdir("/");
    for (const dir of ["bin", "dev", "etc", "home", "proc", "root", "tmp", "usr", "var"])
      assert.ok(top.includes(dir), dir);
    assert.equal(await vm.exists("/dev/null"), true);
  });
});

describe("filesystem API", () => {
  let vm: AgentOs;
  before(async () => {
    vm = await AgentOs.create();
  });
  after(() => vm.dispose());

  it("writes and reads strings as UTF-8", async () => {
    await vm.writeFile("/home/user/hello.txt", "héllo wörld ✓\n");
    assert.equal(utf8(await vm.readFile("/home/user/hello.txt")), "héllo wörld ✓\n");
  });

  it("writes and reads arbitrary bytes unchanged", async () => {
    const bytes = new Uint8Array(512).map((_, i) => i % 256);
    await vm.writeFile("/home/user/bin.dat", bytes);
    assert.deepEqual(await vm.readFile("/home/user/bin.dat"), bytes);
    await vm.writeFile("/home/user/ab.dat", bytes.buffer.slice(0, 4) as unknown as Uint8Array);
    assert.deepEqual(await vm.readFile("/home/user/ab.dat"), Uint8Array.of(0, 1, 2, 3));
  });

  it("overwrites (truncates) an existing file", async () => {
    await vm.writeFile("/home/user/over.txt", "a long first version");
    await vm.writeFile("/home/user/over.txt", "short");
    assert.equal(utf8(await vm.readFile("/home/user/over.txt")), "short");
  });

  it("writeFile needs the parent directory; readFile of a directory is EISDIR", async () => {
    await assert.rejects(vm.writeFile("/home/user/no/such/dir.txt", "x"), isCode("ENOENT"));
    await assert.rejects(vm.readFile("/home/user"), isCode("EISDIR"));
    await assert.rejects(vm.readFile("/home/user/missing"), isCode("ENOENT"));
  });

  it("readFiles returns contents and per-entry errors", async () => {
    await vm.writeFile("/home/user/r1", "one");
    const results = await vm.readFiles(["/home/user/r1", "/home/user/absent", "relative"]);
    assert.equal(results.length, 3);
    assert.deepEqual(results[0], { path: "/home/user/r1", content: encoder.encode("one") });
    assert.equal(results[1].content, null);
    assert.match(results[1].error ?? "", /ENOENT/);
    assert.equal(results[2].content, null);
    assert.match(results[2].error ?? "", /readFile: path must be an absolute path/);
  });

  it("writeFiles creates parents and reports per-entry errors without stopping", async () => {
    await vm.writeFile("/home/user/plainfile", "x");
    const results = await vm.writeFiles([
      { path: "/home/user/deep/a/b/c.txt", content: "c" },
      { path: "relative.txt", content: "x" },
      { path: "/home/user/plainfile/child", content: "x" },
      { path: "/home/user/bad-content", content: 5 as unknown as string },
      null as unknown as { path: string; content: string },
      { path: "/home/user/deep/d.bin", content: Uint8Array.of(1, 2) },
    ]);
    assert.deepEqual(
      results.map((r) => r.success),
      [true, false, false, false, false, true],
    );
    assert.match(results[1].error ?? "", /writeFiles: path must be an absolute path/);
    assert.match(results[2].error ?? "", /ENOTDIR/);
    assert.match(results[3].error ?? "", /writeFiles: content must be a string or Uint8Array/);
    assert.match(results[4].error ?? "", /each entry must be/);
    assert.equal(utf8(await vm.readFile("/home/user/deep/a/b/c.txt")), "c");
    assert.deepEqual(await vm.readFile("/home/user/deep/d.bin"), Uint8Array.of(1, 2));
  });

  it("mkdir creates parents by default and accepts an existing directory", async () => {
    await vm.mkdir("/home/user/m1/m2/m3");
    assert.equal((await vm.stat("/home/user/m1/m2/m3")).isDirectory, true);
    await vm.mkdir("/home/user/m1/m2/m3");
    await vm.mkdir("/home/user/m1/m2/m3", { recursive: true });
    assert.equal((await vm.stat("/home/user/m1")).mode & 0o777, 0o755);
  });

  it("mkdir without recursive needs the parent and fails on existing entries", async () => {
    await assert.rejects(vm.mkdir("/home/user/x1/x2", { recursive: false }), isCode("ENOENT"));
    await vm.mkdir("/home/user/x1", { recursive: false });
    await assert.rejects(vm.mkdir("/home/user/x1", { recursive: false }), isCode("EEXIST"));
    await vm.writeFile("/home/user/afile", "");
    await assert.rejects(vm.mkdir("/home/user/afile"), isCode("ENOTDIR"));
    await assert.rejects(vm.mkdir("/home/user/afile/sub"), isCode("ENOTDIR"));
  });

  it("readdir lists entry names", async () => {
    await vm.mkdir("/home/user/list");
    await vm.writeFile("/home/user/list/b", "");
    await vm.writeFile("/home/user/list/a", "");
    await vm.mkdir("/home/user/list/c");
    assert.deepEqual((await vm.readdir("/home/user/list")).sort(), ["a", "b", "c"]);
    await assert.rejects(vm.readdir("/home/user/list/a"), isCode("ENOTDIR"));
    await assert.rejects(vm.readdir("/home/user/none"), isCode("ENOENT"));
  });

  describe("readdirRecursive", () => {
    const root = "/home/user/tree";
    before(async () => {
      await vm.writeFiles([
        { path: `${root}/a.txt`, content: "aaa" },
        { path: `${root}/src/b.ts`, content: "bb" },
        { path: `${root}/src/lib/c.ts`, content: "c" },
        { path: `${root}/node_modules/pkg/index.js`, content: "x" },
      ]);
      await vm.kernel.symlink(1, "src", `${root}/link`);
    });

    it("lists the whole tree depth-first with types and sizes", async () => {
      const entries = await vm.readdirRecursive(root);
      const byPath = new Map(entries.map((e) => [e.path, e]));
      assert.deepEqual([...byPath.keys()].sort(), [
        `${root}/a.txt`,
        `${root}/link`,
        `${root}/node_modules`,
        `${root}/node_modules/pkg`,
        `${root}/node_modules/pkg/index.js`,
        `${root}/src`,
        `${root}/src/b.ts`,
        `${root}/src/lib`,
        `${root}/src/lib/c.ts`,
      ]);
      assert.deepEqual(byPath.get(`${root}/a.txt`), {
        path: `${root}/a.txt`,
        type: "file",
        size: 3,
      });
      assert.equal(byPath.get(`${root}/src`)?.type, "directory");
      assert.equal(byPath.get(`${root}/link`)?.type, "symlink");
      // Depth-first: every entry comes after its directory, and a directory's subtree is contiguous.
      const order = entries.map((e) => e.path);
      const src = order.indexOf(`${root}/src`);
      assert.deepEqual(order.slice(src, src + 4), [
        `${root}/src`,
        ...order.slice(src + 1, src + 4),
      ]);
      assert.ok(order.slice(src + 1, src + 4).every((p) => p.startsWith(`${root}/src/`)));
    });

    it("does not follow symlinks", async () => {
      const entries = await vm.readdirRecursive(root);
      assert.ok(!entries.some((e) => e.path.startsWith(`${root}/link/`)));
    });

    it("stops at maxDepth", async () => {
      const one = await vm.readdirRecursive(root, { maxDepth: 1 });
      assert.deepEqual(one.map((e) => e.path).sort(), [
        `${root}/a.txt`,
        `${root}/link`,
        `${root}/node_modules`,
        `${root}/src`,
      ]);
      const two = await vm.readdirRecursive(root, { maxDepth: 2 });
      assert.ok(two.some((e) => e.path === `${root}/src/lib`));
      assert.ok(!two.some((e) => e.path === `${root}/src/lib/c.ts`));
    });

    it("skips excluded names and everything under them", async () => {
      const entries = await vm.readdirRecursive(root, { exclude: ["node_modules", "b.ts"] });
      assert.ok(!entries.some((e) => e.path.includes("node_modules")));
      assert.ok(!entries.some((e) => e.path.endsWith("b.ts")));
      assert.ok(entries.some((e) => e.path === `${root}/src/lib/c.ts`));
    });

    it("validates its options", async () => {
      await assert.rejects(vm.readdirRecursive(root, { maxDepth: -1 }), /maxDepth/);
      await assert.rejects(vm.readdirRecursive(root, { maxDepth: Number.NaN }), /maxDepth/);
      await assert.rejects(
        vm.readdirRecursive(root, { exclude: "node_modules" as unknown as string[] }),
        /readdirRecursive: exclude must be an array/,
      );
      await assert.rejects(vm.readdirRecursive(`${root}/a.txt`), isCode("ENOTDIR"));
    });
  });

  it("stat reports a file's type, size, mode, owner, links, inode and times", async () => {
    const before = Date.now();
    await vm.writeFile("/home/user/st.txt", "12345");
    const st = await vm.stat("/home/user/st.txt");
    assert.equal(st.isFile, true);
    assert.equal(st.isDirectory, false);
    assert.equal(st.isSymbolicLink, false);
    assert.equal(st.size, 5);
    assert.equal(st.mode, 0o100644);
    assert.equal(st.uid, 1000);
    assert.equal(st.gid, 1000);
    assert.equal(st.nlink, 1);
    assert.ok(st.ino > 0);
    assert.ok(st.dev > 0);
    assert.ok(st.mtimeMs >= before - 1000 && st.mtimeMs <= Date.now() + 1000);
    for (const key of ["atimeMs", "ctimeMs", "birthtimeMs"] as const)
      assert.equal(typeof st[key], "number");
    const dir = await vm.stat("/home/user");
    assert.equal(dir.isDirectory, true);
    assert.equal(dir.mode & 0o170000, 0o040000);
  });

  it("lstat describes a symlink itself while stat follows it", async () => {
    await vm.writeFile("/home/user/target.txt", "target!");
    await vm.kernel.symlink(1, "target.txt", "/home/user/sym");
    const l = await vm.lstat("/home/user/sym");
    assert.equal(l.isSymbolicLink, true);
    assert.equal(l.isFile, false);
    const s = await vm.stat("/home/user/sym");
    assert.equal(s.isFile, true);
    assert.equal(s.size, 7);
    await vm.kernel.symlink(1, "nowhere", "/home/user/dangling");
    assert.equal((await vm.lstat("/home/user/dangling")).isSymbolicLink, true);
    await assert.rejects(vm.stat("/home/user/dangling"), isCode("ENOENT"));
  });

  it("exists tells whether a path resolves", async () => {
    await vm.writeFile("/home/user/here", "");
    assert.equal(await vm.exists("/home/user/here"), true);
    assert.equal(await vm.exists("/home/user"), true);
    assert.equal(await vm.exists("/home/user/not-here"), false);
    assert.equal(await vm.exists("/home/user/here/below"), false);
  });

  it("move renames files and directories within a filesystem", async () => {
    await vm.writeFiles([{ path: "/home/user/mv/dir/f", content: "f" }]);
    await vm.move("/home/user/mv/dir", "/home/user/mv/renamed");
    assert.equal(await vm.exists("/home/user/mv/dir"), false);
    assert.equal(utf8(await vm.readFile("/home/user/mv/renamed/f")), "f");
    await vm.writeFile("/home/user/mv/g", "new");
    await vm.move("/home/user/mv/g", "/home/user/mv/renamed/f");
    assert.equal(utf8(await vm.readFile("/home/user/mv/renamed/f")), "new");
    await assert.rejects(vm.move("/home/user/mv/absent", "/home/user/mv/x"), isCode("ENOENT"));
  });

  it("delete removes files, empty directories, and trees only with recursive", async () => {
    await vm.writeFiles([{ path: "/home/user/del/sub/f", content: "x" }]);
    await vm.writeFile("/home/user/del/file", "x");
    await vm.delete("/home/user/del/file");
    assert.equal(await vm.exists("/home/user/del/file"), false);
    await assert.rejects(vm.delete("/home/user/del"), isCode("ENOTEMPTY"));
    await vm.delete("/home/user/del", { recursive: true });
    assert.equal(await vm.exists("/home/user/del"), false);
    await vm.mkdir("/home/user/empty");
    await vm.delete("/home/user/empty");
    assert.equal(await vm.exists("/home/user/empty"), false);
    await assert.rejects(vm.delete("/home/user/del"), isCode("ENOENT"));
  });

  it("delete removes a symlink to a directory, not the directory", async () => {
    await vm.writeFiles([{ path: "/home/user/keep/inside", content: "x" }]);
    await vm.kernel.symlink(1, "keep", "/home/user/keep-link");
    await vm.delete("/home/user/keep-link", { recursive: true });
    assert.equal(await vm.exists("/home/user/keep-link"), false);
    assert.equal(utf8(await vm.readFile("/home/user/keep/inside")), "x");
  });

  it("applies Unix permissions to the VM user", async () => {
    await assert.rejects(vm.writeFile("/etc/passwd", "x"), isCode("EACCES"));
    await assert.rejects(vm.mkdir("/opt/tool"), isCode("EACCES"));
    await assert.rejects(vm.delete("/etc/passwd"), isCode("EACCES"));
  });
});

describe("mounts", () => {
  let hostDir: string;
  let modulesDir: string;
  before(() => {
    hostDir = mkdtempSync(join(tmpdir(), "agentos-vm-test-"));
    writeFileSync(join(hostDir, "hello.txt"), "from the host\n");
    mkdirSync(join(hostDir, "sub"));
    writeFileSync(join(hostDir, "sub", "inner.txt"), "inner");
    modulesDir = mkdtempSync(join(tmpdir(), "agentos-vm-modules-"));
    mkdirSync(join(modulesDir, "left-pad"));
    writeFileSync(join(modulesDir, "left-pad", "index.js"), "module.exports = 1;\n");
  });
  after(() => {
    rmSync(hostDir, { recursive: true, force: true });
    rmSync(modulesDir, { recursive: true, force: true });
  });

  it("host_dir mounts a host directory read-write", async () => {
    const mounts = [
      { path: "/mnt/host", plugin: { id: "host_dir", config: { hostPath: hostDir } } },
    ];
    await withVm({ mounts }, async (vm) => {
      assert.equal(utf8(await vm.readFile("/mnt/host/hello.txt")), "from the host\n");
      assert.deepEqual((await vm.readdir("/mnt/host")).sort(), ["hello.txt", "sub"]);
      await vm.writeFile("/mnt/host/written.txt", "from the VM");
      assert.equal(readFileSync(join(hostDir, "written.txt"), "utf8"), "from the VM");
      assert.equal((await run(vm, "cat", ["/mnt/host/sub/inner.txt"])).out, "inner");
      await vm.delete("/mnt/host/written.txt");
      assert.throws(() => readFileSync(join(hostDir, "written.txt")));
    });
  });

  it("host_dir read-only refuses every change with EROFS", async () => {
    const mounts = [
      { path: "/mnt/ro", plugin: createHostDirBackend({ hostPath: hostDir }), readOnly: true },
    ];
    await withVm({ mounts }, async (vm) => {
      assert.equal(utf8(await vm.readFile("/mnt/ro/hello.txt")), "from the host\n");
      await assert.rejects(vm.writeFile("/mnt/ro/new.txt", "x"), isCode("EROFS"));
      await assert.rejects(vm.writeFile("/mnt/ro/hello.txt", "x"), isCode("EROFS"));
      await assert.rejects(vm.mkdir("/mnt/ro/d"), isCode("EROFS"));
      await assert.rejects(vm.delete("/mnt/ro/hello.txt"), isCode("EROFS"));
      await assert.rejects(vm.move("/mnt/ro/hello.txt", "/mnt/ro/h2"), isCode("EROFS"));
      assert.equal(readFileSync(join(hostDir, "hello.txt"), "utf8"), "from the host\n");
    });
  });

  it("nodeModulesMount mounts a host node_modules read-only at /root/node_modules", async () => {
    const mount = nodeModulesMount(modulesDir);
    assert.equal(mount.path, "/root/node_modules");
    assert.equal(mount.readOnly, true);
    await withVm({ mounts: [mount] }, async (vm) => {
      assert.equal(
        utf8(await vm.readFile("/root/node_modules/left-pad/index.js")),
        "module.exports = 1;\n",
      );
      await assert.rejects(vm.writeFile("/root/node_modules/x.js", "x"), isCode("EROFS"));
    });
    assert.throws(() => nodeModulesMount(""), /nodeModulesMount\(hostPath\)/);
  });

  it("rejects host_dir mounts without a usable hostPath", async () => {
    await assert.rejects(
      AgentOs.create({ mounts: [{ path: "/m", plugin: { id: "host_dir" } }] }),
      /AgentOs.create: mounts\[0\]: host_dir needs config.hostPath/,
    );
    await assert.rejects(
      AgentOs.create({
        mounts: [
          { path: "/m", plugin: { id: "host_dir", config: { hostPath: join(hostDir, "nope") } } },
        ],
      }),
      /host_dir hostPath is not a directory/,
    );
  });

  it("rejects unknown plugins with a clear not-supported error", async () => {
    await assert.rejects(
      AgentOs.create({ mounts: [{ path: "/data", plugin: { id: "s3", config: {} } }] }),
      (err: Error) =>
        /AgentOs.create: mounts\[0\]: mount plugin "s3" is not supported yet \(available: host_dir\)/.test(
          err.message,
        ),
    );
    await assert.rejects(
      AgentOs.create({ mounts: [{ path: "/data" } as never] }),
      /unknown mount kind/,
    );
  });

  it("mounts an in-memory filesystem with its own device and quota", async () => {
    await withVm({ mounts: [{ path: "/scratch", type: "memory", maxBytes: 100 }] }, async (vm) => {
      await vm.writeFile("/scratch/a", "x");
      assert.notEqual((await vm.stat("/scratch/a")).dev, (await vm.stat("/home/user")).dev);
      await assert.rejects(vm.writeFile("/scratch/big", new Uint8Array(200)), isCode("ENOSPC"));
    });
  });

  it("mounts an overlay: reads from the lower layer, writes to the upper one", async () => {
    const mounts = [
      {
        path: "/work",
        type: "overlay" as const,
        lower: { plugin: { id: "host_dir", config: { hostPath: hostDir } } },
      },
    ];
    await withVm({ mounts }, async (vm) => {
      assert.equal(utf8(await vm.readFile("/work/hello.txt")), "from the host\n");
      await vm.writeFile("/work/hello.txt", "changed in the VM");
      assert.equal(utf8(await vm.readFile("/work/hello.txt")), "changed in the VM");
      assert.equal(readFileSync(join(hostDir, "hello.txt"), "utf8"), "from the host\n");
    });
  });

  it("mounts a custom VirtualFileSystem driver object", async () => {
    const driver = new MapDriver();
    await driver.writeFile("/greeting.txt", "hello from the driver");
    await withVm({ mounts: [{ path: "/custom", driver }] }, async (vm) => {
      assert.equal(utf8(await vm.readFile("/custom/greeting.txt")), "hello from the driver");
      assert.deepEqual(await vm.readdir("/custom"), ["greeting.txt"]);
      await vm.writeFile("/custom/new.txt", "stored");
      assert.equal(utf8(driver.files.get("/new.txt") ?? null), "stored");
      await vm.mkdir("/custom/dir");
      assert.ok(driver.dirs.has("/dir"));
      assert.equal((await run(vm, "cat", ["/custom/greeting.txt"])).out, "hello from the driver");
    });
  });

  it("rejects a driver that lacks VirtualFileSystem methods, naming the method", async () => {
    const { rename: _, ...partial } = Object.fromEntries(
      Object.getOwnPropertyNames(MapDriver.prototype).map((n) => [n, () => {}]),
    );
    await assert.rejects(
      AgentOs.create({ mounts: [{ path: "/x", driver: partial as unknown as VirtualFileSystem }] }),
      /AgentOs.create: mounts\[0\]: driver is missing the VirtualFileSystem method rename\(\)/,
    );
  });

  it("mountFs and unmountFs change mounts at run time", async () => {
    await withVm({}, async (vm) => {
      const driver = new MapDriver();
      await driver.writeFile("/f.txt", "mounted");
      await vm.mountFs("/home/user/live", driver);
      assert.equal(utf8(await vm.readFile("/home/user/live/f.txt")), "mounted");
      assert.ok((await vm.readdir("/home/user")).includes("live"));
      assert.equal((await run(vm, "cat", ["live/f.txt"])).out, "mounted");
      vm.unmountFs("/home/user/live");
      await assert.rejects(vm.readFile("/home/user/live/f.txt"), isCode("ENOENT"));
      assert.throws(
        () => vm.unmountFs("/home/user/live"),
        /unmountFs: nothing is mounted at \/home\/user\/live/,
      );
    });
  });

  it("mountFs accepts a VfsBackend, read-only, and refuses / and occupied mount points", async () => {
    await withVm({}, async (vm) => {
      // A raw VfsBackend keeps the owners it reports: give the VM user its root.
      const backend = new MemoryFs();
      await backend.chown("/", 1000, 1000);
      await backend.writeFile("/x", encoder.encode("x"), 0o644, { uid: 1000, gid: 1000 });
      await vm.mountFs("/mnt/ro", backend, { readOnly: true });
      assert.equal(utf8(await vm.readFile("/mnt/ro/x")), "x");
      await assert.rejects(vm.writeFile("/mnt/ro/y", "y"), isCode("EROFS"));
      await assert.rejects(vm.mountFs("/", new MemoryFs()), /mountFs: cannot mount over \//);
      await assert.rejects(vm.mountFs("/mnt/ro", new MemoryFs()), isCode("EBUSY"));
    });
  });

  it("unmountFs refuses a mount with other mounts below it and disposes what it unmounts", async () => {
    await withVm({}, async (vm) => {
      let disposed = false;
      const inner = Object.assign(new MemoryFs(), {
        dispose() {
          disposed = true;
        },
      });
      await vm.mountFs("/mnt/outer", new MemoryFs());
      await vm.mountFs("/mnt/outer/inner", inner);
      assert.throws(() => vm.unmountFs("/mnt/outer"), /has other mounts below it/);
      vm.unmountFs("/mnt/outer/inner");
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(disposed, true);
      vm.unmountFs("/mnt/outer");
    });
  });

  it("move across mounts copies the tree then deletes the source (EXDEV fallback)", async () => {
    await withVm({ mounts: [{ path: "/scratch", type: "memory" }] }, async (vm) => {
      await vm.writeFiles([
        { path: "/scratch/proj/a.txt", content: "A" },
        { path: "/scratch/proj/nested/b.txt", content: "B" },
      ]);
      await vm.kernel.symlink(1, "a.txt", "/scratch/proj/link");
      await vm.kernel.chmod(1, "/scratch/proj/a.txt", 0o600);
      await vm.move("/scratch/proj", "/home/user/proj");
      assert.equal(await vm.exists("/scratch/proj"), false);
      assert.equal(utf8(await vm.readFile("/home/user/proj/a.txt")), "A");
      assert.equal(utf8(await vm.readFile("/home/user/proj/nested/b.txt")), "B");
      assert.equal((await vm.lstat("/home/user/proj/link")).isSymbolicLink, true);
      assert.equal(utf8(await vm.readFile("/home/user/proj/link")), "A");
      assert.equal((await vm.stat("/home/user/proj/a.txt")).mode & 0o777, 0o600);
      await vm.move("/home/user/proj/a.txt", "/scratch/a-back.txt");
      assert.equal(utf8(await vm.readFile("/scratch/a-back.txt")), "A");
    });
  });

  it("validates mount configurations at create time", async () => {
    await assert.rejects(AgentOs.create({ mounts: "x" as never }), /mounts must be an array/);
    await assert.rejects(AgentOs.create({ mounts: [5 as never] }), /mounts\[0\] must be an object/);
    await assert.rejects(
      AgentOs.create({ mounts: [{ path: "rel", type: "memory" }] }),
      /mounts\[0\]: path must be an absolute path/,
    );
    await assert.rejects(
      AgentOs.create({ mounts: [{ path: "/m", driver: null as never }] }),
      /driver must be an object/,
    );
  });
});

describe("processes", () => {
  let vm: AgentOs;
  before(async () => {
    vm = await AgentOs.create();
  });
  after(() => vm.dispose());

  it("spawn runs a command and streams its output to onStdout", async () => {
    const r = await run(vm, "echo", ["hello", "world"]);
    assert.equal(r.out, "hello world\n");
    assert.equal(r.err, "");
    assert.equal(r.code, 0);
  });

  it("spawn returns the pid at once and reports the exit through onExit", async () => {
    const exits: number[] = [];
    const { pid } = vm.spawn("false", [], { onExit: (code) => exits.push(code) });
    assert.ok(Number.isInteger(pid) && pid > 1);
    assert.equal(await vm.waitProcess(pid), 1);
    assert.deepEqual(exits, [1]);
  });

  it("replays earlier output to a late onProcessOutput subscriber, then streams", async () => {
    const { pid } = vm.spawn("cat");
    await vm.writeProcessStdin(pid, "early\n");
    await new Promise((resolve) => setImmediate(resolve));
    const seen: Array<[string, string]> = [];
    const off = vm.onProcessOutput(pid, (data, stream) => seen.push([utf8(data), stream]));
    assert.deepEqual(seen, [["early\n", "stdout"]]);
    await vm.writeProcessStdin(pid, "late\n");
    vm.closeProcessStdin(pid);
    await vm.waitProcess(pid);
    assert.deepEqual(seen, [
      ["early\n", "stdout"],
      ["late\n", "stdout"],
    ]);
    off();
  });

  it("replays output to a subscriber that arrives after the exit, with streams labelled", async () => {
    const { pid } = vm.spawn("cat", ["/etc/hostname", "/nonexistent"]);
    await vm.waitProcess(pid);
    const seen: Array<[string, string]> = [];
    vm.onProcessOutput(pid, (data, stream) => seen.push([stream, utf8(data)]));
    assert.deepEqual(seen, [
      ["stdout", "agentos\n"],
      ["stderr", "cat: /nonexistent: No such file or directory\n"],
    ]);
  });

  it("onProcessExit fires at once for a process that already exited", async () => {
    const { pid } = vm.spawn("true");
    await vm.waitProcess(pid);
    const codes: number[] = [];
    const off = vm.onProcessExit(pid, (code) => codes.push(code));
    assert.deepEqual(codes, [0]);
    assert.equal(typeof off, "function");
    off();
  });

  it("onProcessExit fires once on exit and not after unsubscribing", async () => {
    const { pid } = vm.spawn("cat");
    const kept: number[] = [];
    const dropped: number[] = [];
    vm.onProcessExit(pid, (code) => kept.push(code));
    const off = vm.onProcessExit(pid, (code) => dropped.push(code));
    off();
    vm.closeProcessStdin(pid);
    await vm.waitProcess(pid);
    assert.deepEqual(kept, [0]);
    assert.deepEqual(dropped, []);
  });

  it("writeProcessStdin feeds a process; closeProcessStdin ends its input", async () => {
    const r = await run(vm, "cat", ["-n"], { stdin: "one\ntwo\n" });
    assert.equal(r.out, "     1\tone\n     2\ttwo\n");
    assert.equal(r.code, 0);
  });

  it("writeProcessStdin accepts bytes and survives a large write through the pipe", async () => {
    const { pid } = vm.spawn("cat");
    let received = 0;
    vm.onProcessOutput(pid, (data) => {
      received += data.length;
    });
    await vm.writeProcessStdin(pid, new Uint8Array(300_000).fill(65));
    vm.closeProcessStdin(pid);
    assert.equal(await vm.waitProcess(pid), 0);
    assert.equal(received, 300_000);
  });

  it("writeProcessStdin fails clearly once stdin is closed or the process is gone", async () => {
    const { pid } = vm.spawn("cat");
    vm.closeProcessStdin(pid);
    vm.closeProcessStdin(pid);
    await assert.rejects(
      vm.writeProcessStdin(pid, "x"),
      new RegExp(`writeProcessStdin: stdin of process ${pid} is closed`),
    );
    await vm.waitProcess(pid);
    const { pid: done } = vm.spawn("true");
    await vm.waitProcess(done);
    await assert.rejects(vm.writeProcessStdin(done, "x"), /is closed/);
  });

  it("writeProcessStdin fails when the process stopped reading", async () => {
    const { pid } = vm.spawn("sleep", ["1000"]);
    vm.kernel.close(pid, 0);
    await assert.rejects(vm.writeProcessStdin(pid, "x"), /is no longer reading its stdin/);
    vm.killProcess(pid);
    await vm.waitProcess(pid);
  });

  it("waitProcess resolves with the exit code, also after the exit", async () => {
    const { pid } = vm.spawn("false");
    assert.equal(await vm.waitProcess(pid), 1);
    assert.equal(await vm.waitProcess(pid), 1);
  });

  it("listProcesses and getProcess track running and exited processes", async () => {
    const { pid } = vm.spawn("sleep", ["1000"]);
    assert.deepEqual(vm.getProcess(pid), {
      pid,
      command: "sleep",
      args: ["1000"],
      running: true,
      exitCode: null,
    });
    assert.ok(vm.listProcesses().some((p) => p.pid === pid && p.running));
    vm.killProcess(pid);
    await vm.waitProcess(pid);
    assert.deepEqual(vm.getProcess(pid), {
      pid,
      command: "sleep",
      args: ["1000"],
      running: false,
      exitCode: 137,
    });
    const listed = vm.listProcesses().find((p) => p.pid === pid);
    assert.equal(listed?.running, false);
  });

  it("allProcesses lists every kernel process with its full record", async () => {
    const { pid } = vm.spawn("sleep", ["1000"], { cwd: "/tmp" });
    const all = vm.allProcesses();
    const init = all.find((p) => p.pid === 1);
    const proc = all.find((p) => p.pid === pid);
    assert.ok(init && proc);
    assert.deepEqual(Object.keys(proc).sort(), [
      "args",
      "command",
      "cwd",
      "driver",
      "exitCode",
      "exitTime",
      "pgid",
      "pid",
      "ppid",
      "sid",
      "signal",
      "startTime",
      "status",
      "uid",
    ]);
    assert.equal(proc.ppid, 1);
    assert.equal(proc.pgid, pid, "each spawned process leads its own group");
    assert.equal(proc.status, "running");
    assert.deepEqual(proc.args, ["1000"]);
    assert.equal(proc.cwd, "/tmp");
    assert.equal(proc.uid, 1000);
    assert.equal(init.command, "init");
    vm.killProcess(pid);
    await vm.waitProcess(pid);
    assert.ok(!vm.allProcesses().some((p) => p.pid === pid), "init reaps its children");
  });

  it("processTree nests processes under init", async () => {
    const { pid } = vm.spawn("sleep", ["1000"]);
    const tree = vm.processTree();
    assert.equal(tree.length, 1);
    assert.equal(tree[0].pid, 1);
    const node = tree[0].children.find((c) => c.pid === pid);
    assert.ok(node);
    assert.deepEqual(node.children, []);
    assert.equal(node.status, "running");
    vm.killProcess(pid);
    await vm.waitProcess(pid);
  });

  it("stopProcess sends SIGTERM (143), killProcess SIGKILL (137)", async () => {
    const a = vm.spawn("sleep", ["1000"]);
    const b = vm.spawn("sleep", ["1000"]);
    vm.stopProcess(a.pid);
    vm.killProcess(b.pid);
    assert.equal(await vm.waitProcess(a.pid), 143);
    assert.equal(await vm.waitProcess(b.pid), 137);
    // Signalling a process that already exited is a no-op.
    vm.stopProcess(a.pid);
    vm.killProcess(b.pid);
  });

  it("refuses to signal init or unknown pids", async () => {
    assert.throws(() => vm.stopProcess(1), /stopProcess: pid 1 is the VM's init/);
    assert.throws(() => vm.killProcess(99999), /killProcess: no process with pid 99999/);
    assert.throws(() => vm.getProcess(99999), /getProcess: no process with pid 99999 was started/);
    await assert.rejects(vm.waitProcess(99999), /waitProcess: no process with pid 99999/);
  });

  it("reports a missing command with 127 and 'command not found' on stderr", async () => {
    const r = await run(vm, "no-such-command", ["x"]);
    assert.equal(r.code, 127);
    assert.equal(r.err, "no-such-command: command not found\n");
  });

  it("reports a non-executable program with 126", async () => {
    await vm.writeFile("/home/user/not-exec", builtinStub("echo"));
    const r = await run(vm, "/home/user/not-exec");
    assert.equal(r.code, 126);
    assert.equal(r.err, "/home/user/not-exec: Permission denied\n");
  });

  it("runs programs installed by the user and #! scripts", async () => {
    await vm.writeFile("/usr/local/bin/hello", builtinStub("echo"));
    await vm.kernel.chmod(1, "/usr/local/bin/hello", 0o755);
    assert.equal((await run(vm, "hello", ["there"])).out, "there\n");
    await vm.writeFile("/home/user/script", "#!/usr/bin/echo from-script\n");
    await vm.kernel.chmod(1, "/home/user/script", 0o755);
    assert.equal(
      (await run(vm, "/home/user/script", ["x"])).out,
      "from-script /home/user/script x\n",
    );
  });

  it("runs a command registered on the VM at run time", async () => {
    await withVm({}, async (own) => {
      own.kernel.registry.register({
        name: "greet",
        main: async (ctx) => {
          await ctx.out(`hi ${ctx.argv.slice(1).join(" ")} from ${ctx.cwd}\n`);
          return 3;
        },
      });
      await installCommandStub(
        own.kernel.fs.mounts.route("/usr/local/bin").mount.backend,
        "greet",
        "/usr/local/bin",
      );
      const r = await run(own, "greet", ["there"]);
      assert.equal(r.out, "hi there from /home/user\n");
      assert.equal(r.code, 3);
    });
  });

  it("spawn applies cwd and env, on top of the VM's environment", async () => {
    assert.equal((await run(vm, "pwd", [], { cwd: "/tmp" })).out, "/tmp\n");
    const r = await run(vm, "env", [], { env: { EXTRA: "1", HOME: "/elsewhere" }, cwd: "/tmp" });
    assert.match(r.out, /^EXTRA=1$/m);
    assert.match(r.out, /^HOME=\/elsewhere$/m);
    assert.match(r.out, /^PWD=\/tmp$/m);
    assert.match(r.out, /^PATH=/m);
  });

  it("keeps the output of concurrent processes apart", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => run(vm, "echo", [`process-${i}`])),
    );
    results.forEach((r, i) => {
      assert.equal(r.out, `process-${i}\n`);
    });
  });

  it("survives output and exit callbacks that throw", async () => {
    const { pid } = vm.spawn("echo", ["x"], {
      onStdout: () => {
        throw new Error("subscriber bug");
      },
      onExit: () => {
        throw new Error("subscriber bug");
      },
    });
    assert.equal(await vm.waitProcess(pid), 0);
  });

  it("a process can run other programs (env runs echo)", async () => {
    const r = await run(vm, "env", ["X=1", "echo", "nested"]);
    assert.equal(r.out, "nested\n");
    assert.equal(r.code, 0);
  });
});

describe("permissions", () => {
  it("fs globs: allowed paths work, others fail with EACCES naming the policy", async () => {
    const permissions = { fs: { read: ["/etc/**"], write: ["/home/user/**"] } };
    await withVm({ permissions }, async (vm) => {
      await vm.writeFile("/home/user/ok.txt", "ok");
      assert.equal(utf8(await vm.readFile("/home/user/ok.txt")), "ok");
      assert.match(utf8(await vm.readFile("/etc/passwd")), /^root:/);
      await assert.rejects(
        vm.writeFile("/tmp/new", "x"),
        (err: Error) =>
          isKernelError(err, "EACCES") &&
          /permission denied by the VM's filesystem policy \(write\)/.test(err.message),
      );
      await assert.rejects(
        vm.readFile("/usr/bin/echo"),
        /EACCES: permission denied by the VM's filesystem policy \(read\)/,
      );
      await assert.rejects(vm.readdir("/usr"), /filesystem policy/);
      await vm.mkdir("/home/user/a/b");
      await vm.writeFiles([{ path: "/home/user/deep/x/y.txt", content: "y" }]);
      assert.equal(utf8(await vm.readFile("/home/user/deep/x/y.txt")), "y");
    });
  });

  it("processes can still run the built-in commands under an fs policy", async () => {
    const permissions = { fs: { write: ["/home/user/**"] } };
    await withVm({ permissions }, async (vm) => {
      await vm.writeFile("/home/user/data.txt", "inside\n");
      const ok = await run(vm, "cat", ["/home/user/data.txt"]);
      assert.equal(ok.out, "inside\n");
      assert.equal(ok.code, 0);
      const denied = await run(vm, "cat", ["/etc/passwd"]);
      assert.equal(denied.code, 1);
      assert.equal(denied.err, "cat: /etc/passwd: Permission denied\n");
      assert.equal((await run(vm, "echo", ["hi"])).out, "hi\n");
    });
  });

  it("an fs policy does not stop the VM from booting with a hostname and mounts", async () => {
    const permissions = { fs: { read: ["/home/user/**"] } };
    await withVm(
      { permissions, hostname: "guarded", mounts: [{ path: "/data", type: "memory" }] },
      async (vm) => {
        await assert.rejects(vm.readFile("/etc/hostname"), /filesystem policy/);
        // Boot wrote the hostname even though the policy hides /etc from the VM afterwards.
        const { mount, inner } = vm.kernel.fs.mounts.route("/etc/hostname");
        const file = await mount.backend.open(inner, 0, 0, { uid: 0, gid: 0 });
        const head = new Uint8Array(64);
        const n = await file.read(head, 0, head.length, 0);
        await file.close();
        assert.equal(utf8(head.subarray(0, n)), "guarded\n");
        await assert.rejects(vm.writeFile("/data/x", "x"), /filesystem policy/);
      },
    );
  });

  it("env policy rejects a variable it does not allow, naming the method", async () => {
    const permissions = { env: ["ALLOWED_*", "PATH"] };
    await withVm({ permissions, env: { ALLOWED_ONE: "1" } }, async (vm) => {
      assert.equal((await run(vm, "env", [], { env: { ALLOWED_TWO: "2" } })).code, 0);
      assert.throws(
        () => vm.spawn("env", [], { env: { SECRET: "x" } }),
        /spawn: EPERM: environment variable SECRET is not permitted by the VM's env policy/,
      );
      await assert.rejects(vm.exec("true", { env: { SECRET: "x" } }), /exec: EPERM: .*SECRET/);
    });
    await assert.rejects(
      AgentOs.create({ permissions, env: { SECRET: "x" } }),
      /AgentOs.create: EPERM: environment variable SECRET/,
    );
  });

  it("childProcess false: the API may start processes, processes may not", async () => {
    await withVm({ permissions: { childProcess: false } }, async (vm) => {
      assert.equal((await run(vm, "echo", ["direct"])).out, "direct\n");
      const r = await run(vm, "env", ["echo", "nested"]);
      assert.equal(r.code, 126);
      assert.equal(r.err, "env: 'echo': Operation not permitted\n");
    });
  });

  it("childProcess list: only the named commands may be started by processes", async () => {
    await withVm({ permissions: { childProcess: ["echo"] } }, async (vm) => {
      assert.equal((await run(vm, "env", ["echo", "allowed"])).out, "allowed\n");
      assert.equal((await run(vm, "env", ["cat", "/etc/hostname"])).code, 126);
    });
  });

  it("rejects malformed permissions with messages naming AgentOs.create", async () => {
    for (const permissions of [
      5,
      { bogus: true },
      { fs: 5 },
      { fs: { read: "/x" } },
      { childProcess: "yes" },
      { env: [1] },
      { network: { allow: "x" } },
    ]) {
      await assert.rejects(
        AgentOs.create({ permissions: permissions as never }),
        (err: Error) =>
          err instanceof TypeError && err.message.startsWith("AgentOs.create: permissions"),
        JSON.stringify(permissions),
      );
    }
  });
});

describe("limits", () => {
  it("maxFsBytes makes writes fail with ENOSPC once the VM's filesystem is full", async () => {
    await withVm({ limits: { maxFsBytes: 4096 } }, async (vm) => {
      await vm.writeFile("/home/user/small", new Uint8Array(1000));
      await assert.rejects(vm.writeFile("/home/user/big", new Uint8Array(8000)), isCode("ENOSPC"));
      await vm.delete("/home/user/small");
      await vm.writeFile("/home/user/fits", new Uint8Array(3000));
    });
  });

  it("maxFileSizeBytes makes larger writes fail with EFBIG, in writeFiles too", async () => {
    await withVm({ limits: { maxFileSizeBytes: 100 } }, async (vm) => {
      await vm.writeFile("/home/user/ok", new Uint8Array(100));
      await assert.rejects(vm.writeFile("/home/user/big", new Uint8Array(101)), isCode("EFBIG"));
      const [result] = await vm.writeFiles([
        { path: "/home/user/big2", content: new Uint8Array(101) },
      ]);
      assert.equal(result.success, false);
      assert.match(result.error ?? "", /EFBIG/);
      assert.equal(await vm.exists("/home/user/big2"), false);
    });
  });

  it("maxProcesses makes spawn fail with EAGAIN", async () => {
    await withVm({ limits: { maxProcesses: 3 } }, async (vm) => {
      const a = vm.spawn("sleep", ["1000"]);
      vm.spawn("sleep", ["1000"]);
      assert.throws(() => vm.spawn("sleep", ["1000"]), isCode("EAGAIN"));
      vm.killProcess(a.pid);
      await vm.waitProcess(a.pid);
      vm.spawn("true");
    });
  });

  it("pipeBufferBytes bounds stdin: a large write completes as the process reads", async () => {
    await withVm({ limits: { pipeBufferBytes: 16 } }, async (vm) => {
      const r = await run(vm, "cat", [], { stdin: "x".repeat(1000) });
      assert.equal(r.out.length, 1000);
    });
  });

  it("rejects invalid limits with messages naming AgentOs.create", async () => {
    await assert.rejects(
      AgentOs.create({ limits: { maxProcesses: 0 } }),
      /^TypeError: AgentOs.create: limits.maxProcesses must be a positive integer/,
    );
    await assert.rejects(
      AgentOs.create({ limits: { nope: 1 } as never }),
      /AgentOs.create: unknown limit: nope/,
    );
    await assert.rejects(
      AgentOs.create({ limits: 5 as never }),
      /AgentOs.create: limits must be an object/,
    );
  });
});

describe("argument validation", () => {
  let vm: AgentOs;
  let pid: number;
  before(async () => {
    vm = await AgentOs.create();
    pid = vm.spawn("sleep", ["1000"]).pid;
  });
  after(() => vm.dispose());

  const bad = (value: unknown) => value as never;

  const cases: Array<[string, (vm: AgentOs, pid: number) => unknown, RegExp?]> = [
    ["readFile", (vm) => vm.readFile(bad(5)), /path must be a string, got number/],
    ["readFile", (vm) => vm.readFile("relative/path"), /absolute path, got "relative\/path"/],
    ["readFile", (vm) => vm.readFile("/a\0b"), /NUL/],
    ["writeFile", (vm) => vm.writeFile("rel", "x"), /absolute path/],
    [
      "writeFile",
      (vm) => vm.writeFile("/tmp/x", bad(42)),
      /content must be a string or Uint8Array/,
    ],
    ["writeFile", (vm) => vm.writeFile("/tmp/x", bad(null)), /got null/],
    ["readFiles", (vm) => vm.readFiles(bad("/etc/passwd")), /paths must be an array/],
    ["writeFiles", (vm) => vm.writeFiles(bad({ path: "/x" })), /entries must be an array/],
    ["mkdir", (vm) => vm.mkdir(bad(undefined)), /path must be a string/],
    ["mkdir", (vm) => vm.mkdir("/tmp/d", bad({ parents: true })), /unknown option "parents"/],
    ["mkdir", (vm) => vm.mkdir("/tmp/d", bad("recursive")), /options must be an object/],
    ["readdir", (vm) => vm.readdir(bad(["/"])), /path must be a string, got an array/],
    ["readdirRecursive", (vm) => vm.readdirRecursive("tmp"), /absolute path/],
    ["readdirRecursive", (vm) => vm.readdirRecursive("/", bad({ depth: 1 })), /unknown option/],
    ["readdirRecursive", (vm) => vm.readdirRecursive("/", { maxDepth: bad("1") }), /maxDepth/],
    ["stat", (vm) => vm.stat("etc"), /absolute path/],
    ["lstat", (vm) => vm.lstat(bad(1)), /path must be a string/],
    ["exists", (vm) => vm.exists("etc"), /absolute path/],
    ["move", (vm) => vm.move("a", "/b"), /from must be an absolute path/],
    ["move", (vm) => vm.move("/a", bad(7)), /to must be a string/],
    ["delete", (vm) => vm.delete("tmp"), /absolute path/],
    ["delete", (vm) => vm.delete("/tmp/x", bad({ force: true })), /unknown option "force"/],
    ["mountFs", (vm) => vm.mountFs("rel", new MemoryFs()), /absolute path/],
    ["mountFs", (vm) => vm.mountFs("/m", bad(null)), /driver must be an object/],
    [
      "mountFs",
      (vm) => vm.mountFs("/m", bad({ readFile() {} })),
      /missing the VirtualFileSystem method/,
    ],
    ["mountFs", (vm) => vm.mountFs("/m", new MemoryFs(), bad({ rw: true })), /unknown option "rw"/],
    ["unmountFs", (vm) => vm.unmountFs("rel"), /absolute path/],
    ["exec", (vm) => vm.exec(bad(["ls"])), /command must be a string/],
    ["exec", (vm) => vm.exec("true", bad({ shell: "bash" })), /unknown option "shell"/],
    ["exec", (vm) => vm.exec("true", { timeout: -5 }), /timeout must be a positive number/],
    ["exec", (vm) => vm.exec("true", { timeout: bad("1s") }), /timeout/],
    ["exec", (vm) => vm.exec("true", { maxBuffer: 0 }), /maxBuffer must be a positive number/],
    ["exec", (vm) => vm.exec("true", { env: bad({ A: 1 }) }), /env.A must be a string/],
    ["exec", (vm) => vm.exec("true", { env: bad("A=1") }), /env must be an object/],
    ["exec", (vm) => vm.exec("true", { cwd: "tmp" }), /cwd must be an absolute path/],
    ["exec", (vm) => vm.exec("true", { cwd: "/no/such/dir" }), /cwd \/no\/such\/dir: ENOENT/],
    ["exec", (vm) => vm.exec("true", { cwd: "/etc/passwd" }), /is not a directory/],
    ["exec", (vm) => vm.exec("true", { onStdout: bad("log") }), /onStdout must be a function/],
    ["exec", (vm) => vm.exec("true", { stdin: bad(5) }), /stdin must be a string or Uint8Array/],
    ["spawn", (vm) => vm.spawn(bad(5)), /command must be a string/],
    ["spawn", (vm) => vm.spawn(""), /command must not be empty/],
    ["spawn", (vm) => vm.spawn("echo", bad("a b")), /args must be an array of strings/],
    ["spawn", (vm) => vm.spawn("echo", bad([1])), /args must be an array of strings/],
    ["spawn", (vm) => vm.spawn("echo", [], bad({ stdio: "pipe" })), /unknown option "stdio"/],
    ["spawn", (vm) => vm.spawn("echo", [], { onExit: bad(1) }), /onExit must be a function/],
    ["spawn", (vm) => vm.spawn("echo", [], { cwd: "tmp" }), /cwd must be an absolute path/],
    ["spawn", (vm) => vm.spawn("echo", [], { env: { "A=B": "x" } }), /invalid env name/],
    [
      "writeProcessStdin",
      (vm) => vm.writeProcessStdin(bad("2"), "x"),
      /pid must be a positive integer/,
    ],
    ["writeProcessStdin", (vm, pid) => vm.writeProcessStdin(pid, bad({})), /data must be a string/],
    ["writeProcessStdin", (vm) => vm.writeProcessStdin(424242, "x"), /no process with pid 424242/],
    ["closeProcessStdin", (vm) => vm.closeProcessStdin(-1), /pid must be a positive integer/],
    ["waitProcess", (vm) => vm.waitProcess(1.5), /pid must be a positive integer/],
    [
      "onProcessOutput",
      (vm, pid) => vm.onProcessOutput(pid, bad("cb")),
      /handler must be a function/,
    ],
    ["onProcessOutput", (vm) => vm.onProcessOutput(bad(null), () => {}), /pid must be/],
    [
      "onProcessExit",
      (vm, pid) => vm.onProcessExit(pid, bad(undefined)),
      /handler must be a function/,
    ],
    ["getProcess", (vm) => vm.getProcess(0), /pid must be a positive integer/],
    ["stopProcess", (vm) => vm.stopProcess(bad("2")), /pid must be a positive integer/],
    ["killProcess", (vm) => vm.killProcess(bad(Number.NaN)), /pid must be a positive integer/],
  ];

  for (const [method, call, detail] of cases) {
    it(`${method}: ${detail?.source ?? "rejects"}`, async () => {
      await assert.rejects(
        async () => call(vm, pid),
        (err: Error) => {
          assert.ok(
            err.message.startsWith(`${method}: `),
            `message should name ${method}: ${err.message}`,
          );
          if (detail) assert.match(err.message, detail);
          return true;
        },
      );
    });
  }

  it("promise-returning methods reject instead of throwing synchronously", async () => {
    const calls: Array<() => Promise<unknown>> = [
      () => vm.readFile(bad(1)),
      () => vm.writeFile("rel", "x"),
      () => vm.readFiles(bad(1)),
      () => vm.writeFiles(bad(1)),
      () => vm.mkdir("rel"),
      () => vm.readdir("rel"),
      () => vm.readdirRecursive("rel"),
      () => vm.stat("rel"),
      () => vm.lstat("rel"),
      () => vm.exists("rel"),
      () => vm.move("rel", "/x"),
      () => vm.delete("rel"),
      () => vm.mountFs("rel", new MemoryFs()),
      () => vm.exec(bad(1)),
      () => vm.writeProcessStdin(bad("x"), "x"),
      () => vm.waitProcess(bad("x")),
    ];
    for (const call of calls) {
      let promise: Promise<unknown> | undefined;
      assert.doesNotThrow(() => {
        promise = call();
      }, call.toString());
      await assert.rejects(promise!, TypeError);
    }
  });

  it("AgentOs.create validates its options, naming itself", async () => {
    const options: unknown[] = [
      null,
      "options",
      { env: "A=1" },
      { env: { A: 1 } },
      { cwd: "home" },
      { hostname: "bad host" },
      { hostname: 5 },
      { mounts: {} },
    ];
    for (const value of options) {
      await assert.rejects(
        AgentOs.create(value as AgentOsOptions),
        (err: Error) => err.message.startsWith("AgentOs.create: "),
        JSON.stringify(value),
      );
    }
  });
});
