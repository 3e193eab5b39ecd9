import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isKernelError } from "./errors.ts";
import {
  O_CREAT,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  type Owner,
  S_IFDIR,
  S_IFREG,
  type VfsBackend,
} from "./types.ts";
import { describeVfsContract } from "./vfs-contract.ts";
import { fuzzVfsAgainstModel } from "./vfs-fuzz.ts";
import type { VirtualDirEntry, VirtualFileSystem, VirtualStat } from "./virtual-file-system.ts";
import { createVirtualFsBackend } from "./virtual-fs-adapter.ts";

const OWNER: Owner = { uid: 1000, gid: 1000 };
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (data: Uint8Array): string => new TextDecoder().decode(data);

const fail = (code: string, what: string): Error =>
  Object.assign(new Error(`${code}: ${what}`), { code });

interface Entry {
  kind: "file" | "dir" | "symlink";
  data: Uint8Array;
  target: string;
  mode: number;
  atimeMs: number;
  mtimeMs: number;
}

/**
 * A small user driver: a Map from path to entry. It has symlinks, chmod, utimes, truncate and
 * pread, but no hard links, no owners, no ctime, birthtime, inode numbers or link counts
 * (the adapter fills those in). It stores the buffers it is given and returns its own, so
 * the adapter's copying is tested too. `calls` records every call.
 */
class MapDriver implements VirtualFileSystem {
  readonly entries = new Map<string, Entry>();
  readonly calls: string[] = [];

  constructor() {
    this.entries.set("/", this.#entry("dir", 0o755));
  }

  #entry(kind: Entry["kind"], mode: number): Entry {
    const now = Date.now();
    return { kind, data: new Uint8Array(0), target: "", mode, atimeMs: now, mtimeMs: now };
  }

  #parent(path: string): string {
    return path.slice(0, Math.max(1, path.lastIndexOf("/")));
  }

  #get(path: string): Entry {
    const entry = this.entries.get(path);
    if (!entry) throw fail("ENOENT", path);
    return entry;
  }

  #dir(path: string): Entry {
    const entry = this.#get(path);
    if (entry.kind !== "dir") throw fail("ENOTDIR", path);
    return entry;
  }

  #add(path: string, entry: Entry): void {
    this.#dir(this.#parent(path)).mtimeMs = Date.now();
    this.entries.set(path, entry);
  }

  #children(path: string): string[] {
    return [...this.entries.keys()].filter(
      (p) => p !== "/" && p !== path && this.#parent(p) === path,
    );
  }

  async readFile(path: string): Promise<Uint8Array> {
    this.calls.push(`readFile ${path}`);
    const entry = this.#get(path);
    if (entry.kind === "dir") throw fail("EISDIR", path);
    return entry.data;
  }

  async pread(path: string, offset: number, length: number): Promise<Uint8Array> {
    this.calls.push(`pread ${path}`);
    const entry = this.#get(path);
    return entry.data.subarray(offset, offset + length);
  }

  async writeFile(path: string, content: string | Uint8Array): Promise<void> {
    this.calls.push(`writeFile ${path}`);
    const data = typeof content === "string" ? bytes(content) : content;
    const existing = this.entries.get(path);
    if (existing?.kind === "dir") throw fail("EISDIR", path);
    if (existing) {
      existing.data = data;
      existing.mtimeMs = Date.now();
      return;
    }
    const entry = this.#entry("file", 0o644);
    entry.data = data;
    this.#add(path, entry);
  }

  async readDir(path: string): Promise<string[]> {
    this.#dir(path);
    return this.#children(path).map((p) => p.slice(p.lastIndexOf("/") + 1));
  }

  async readDirWithTypes(path: string): Promise<VirtualDirEntry[]> {
    this.#dir(path);
    return this.#children(path).map((p) => {
      const e = this.entries.get(p)!;
      return {
        name: p.slice(p.lastIndexOf("/") + 1),
        isDirectory: e.kind === "dir",
        isSymbolicLink: e.kind === "symlink",
      };
    });
  }

  protected statOf(entry: Entry): Partial<VirtualStat> & { isDirectory: boolean } {
    return {
      isDirectory: entry.kind === "dir",
      isFile: entry.kind === "file",
      isSymbolicLink: entry.kind === "symlink",
      mode: entry.mode,
      size: entry.kind === "symlink" ? bytes(entry.target).length : entry.data.length,
      atimeMs: entry.atimeMs,
      mtimeMs: entry.mtimeMs,
    };
  }

  async stat(path: string) {
    let entry = this.#get(path);
    if (entry.kind === "symlink") entry = this.#get(entry.target);
    return this.statOf(entry);
  }

  async lstat(path: string) {
    return this.statOf(this.#get(path));
  }

  async exists(path: string): Promise<boolean> {
    return this.entries.has(path);
  }

  async mkdir(path: string): Promise<void> {
    if (this.entries.has(path)) throw fail("EEXIST", path);
    this.#add(path, this.#entry("dir", 0o755));
  }

  async removeFile(path: string): Promise<void> {
    if (this.#get(path).kind === "dir") throw fail("EISDIR", path);
    this.entries.delete(path);
    this.#dir(this.#parent(path)).mtimeMs = Date.now();
  }

  async removeDir(path: string): Promise<void> {
    this.#dir(path);
    if (this.#children(path).length > 0) throw fail("ENOTEMPTY", path);
    this.entries.delete(path);
    this.#dir(this.#parent(path)).mtimeMs = Date.now();
  }

  async rename(from: string, to: string): Promise<void> {
    this.#get(from);
    this.#dir(this.#parent(to));
    const moved = [...this.entries].filter(([p]) => p === from || p.startsWith(from + "/"));
    for (const [p] of [...this.entries])
      if (p === to || p.startsWith(to + "/")) this.entries.delete(p);
    for (const [p] of moved) this.entries.delete(p);
    for (const [p, e] of moved) this.entries.set(to + p.slice(from.length), e);
    const now = Date.now();
    this.#dir(this.#parent(from)).mtimeMs = now;
    this.#dir(this.#parent(to)).mtimeMs = now;
  }

  async symlink(target: string, path: string): Promise<void> {
    if (this.entries.has(path)) throw fail("EEXIST", path);
    const entry = this.#entry("symlink", 0o777);
    entry.target = target;
    this.#add(path, entry);
  }

  async readlink(path: string): Promise<string> {
    const entry = this.#get(path);
    if (entry.kind !== "symlink") throw fail("EINVAL", path);
    return entry.target;
  }

  async chmod(path: string, mode: number): Promise<void> {
    this.#get(path).mode = mode & 0o7777;
  }

  async utimes(path: string, atimeMs: number, mtimeMs: number): Promise<void> {
    const entry = this.#get(path);
    entry.atimeMs = atimeMs;
    entry.mtimeMs = mtimeMs;
  }

  async truncate(path: string, length: number): Promise<void> {
    const entry = this.#get(path);
    const data = new Uint8Array(length);
    data.set(entry.data.subarray(0, length));
    entry.data = data;
    entry.mtimeMs = Date.now();
  }
}

/**
 * MapDriver plus hard links (two keys holding one entry), owners, and the inode numbers and
 * link counts that come with them.
 */
class LinkingMapDriver extends MapDriver {
  readonly #ids = new WeakMap<Entry, number>();
  readonly #owners = new WeakMap<Entry, { uid: number; gid: number }>();
  #nextId = 1;

  async link(existing: string, newPath: string): Promise<void> {
    const entry = this.entries.get(existing);
    if (!entry) throw fail("ENOENT", existing);
    if (this.entries.has(newPath)) throw fail("EEXIST", newPath);
    this.entries.set(newPath, entry);
  }

  async chown(path: string, uid: number, gid: number): Promise<void> {
    const entry = this.entries.get(path);
    if (!entry) throw fail("ENOENT", path);
    this.#owners.set(entry, { uid, gid });
  }

  protected override statOf(entry: Entry): Partial<VirtualStat> & { isDirectory: boolean } {
    let id = this.#ids.get(entry);
    if (id === undefined) this.#ids.set(entry, (id = this.#nextId++));
    let nlink = 0;
    for (const other of this.entries.values()) if (other === entry) nlink++;
    const owner = this.#owners.get(entry) ?? { uid: 0, gid: 0 };
    return {
      ...super.statOf(entry),
      ino: id,
      nlink: entry.kind === "dir" ? undefined : nlink,
      ...owner,
    };
  }
}

/** Written-down limits of MapDriver, for the contract. */
const MAP_DRIVER_SKIPS = {
  hardLinks: "MapDriver has no link()",
  chown: "MapDriver has no chown(), so owners cannot be stored",
  dirNlink: "MapDriver reports no nlink; the adapter's default for directories is 2",
  atime: "MapDriver does not move atime on reads",
  enospc: "MapDriver has no size limits",
};

describeVfsContract("VirtualFileSystem adapter over a Map driver", async () => ({
  backend: createVirtualFsBackend(new MapDriver()),
  skip: MAP_DRIVER_SKIPS,
}));

describeVfsContract(
  "VirtualFileSystem adapter over a Map driver with links and owners",
  async () => ({
    backend: createVirtualFsBackend(new LinkingMapDriver()),
    skip: {
      dirNlink: MAP_DRIVER_SKIPS.dirNlink,
      atime: MAP_DRIVER_SKIPS.atime,
      enospc: MAP_DRIVER_SKIPS.enospc,
    },
  }),
);

describe("VirtualFileSystem adapter fuzz against the model", () => {
  for (const seed of [5, 6]) {
    it(`seed ${seed}, with hard links`, async () => {
      const fs = createVirtualFsBackend(new LinkingMapDriver());
      await fuzzVfsAgainstModel(fs, { seed, steps: 500, checkDirNlink: false });
    });
  }

  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}`, async () => {
      const fs = createVirtualFsBackend(new MapDriver());
      await fuzzVfsAgainstModel(fs, {
        seed,
        steps: 500,
        ops: [
          "mkdir",
          "write",
          "read",
          "unlink",
          "rmdir",
          "rename",
          "symlink",
          "readlink",
          "truncate",
          "readdir",
          "lstat",
        ],
        checkDirNlink: false,
      });
    });
  }
});

// ---- behaviour specific to the adapter -----------------------------------------------------

/** A MapDriver reduced to the required methods (the optional ones deleted). */
function minimalDriver(): MapDriver {
  const driver = new MapDriver();
  const own = driver as unknown as Record<string, unknown>;
  for (const name of [
    "lstat",
    "readDirWithTypes",
    "symlink",
    "readlink",
    "link",
    "chmod",
    "chown",
    "utimes",
    "truncate",
    "pread",
  ]) {
    own[name] = undefined;
  }
  return driver;
}

const rejectsWith = (promise: Promise<unknown>, code: string) =>
  assert.rejects(promise, (err: unknown) => {
    assert.ok(isKernelError(err), `not a KernelError: ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return true;
  });

describe("VirtualFileSystem adapter: open files", () => {
  it("buffers writes and flushes them with writeFile on close", async () => {
    const driver = new MapDriver();
    const fs = createVirtualFsBackend(driver);
    const file = await fs.open("/f", O_RDWR | O_CREAT, 0o644, OWNER);
    await file.write(bytes("hello"), 0, 5, 0);
    assert.equal(
      text(driver.entries.get("/f")!.data),
      "",
      "nothing reaches the driver before close",
    );
    assert.equal((await fs.lstat("/f")).size, 5, "the adapter itself sees the buffer");
    assert.equal(text(await fs.readFile!("/f")), "hello");
    await file.close();
    assert.equal(text(driver.entries.get("/f")!.data), "hello");
  });

  it("shares one buffer between handles and flushes on every close with changes", async () => {
    const driver = new MapDriver();
    const fs = createVirtualFsBackend(driver);
    const a = await fs.open("/f", O_RDWR | O_CREAT, 0o644, OWNER);
    const b = await fs.open("/f", O_RDWR, 0, OWNER);
    await a.write(bytes("aaaa"), 0, 4, 0);
    await b.write(bytes("B"), 0, 1, 1);
    await a.close();
    assert.equal(text(driver.entries.get("/f")!.data), "aBaa");
    driver.calls.length = 0;
    await b.close();
    assert.deepEqual(driver.calls, [], "nothing left to flush");
  });

  it("serves reads with pread until something is written, without loading the file", async () => {
    const driver = new MapDriver();
    await driver.writeFile("/f", bytes("0123456789"));
    const fs = createVirtualFsBackend(driver);
    const file = await fs.open("/f", O_RDONLY, 0, OWNER);
    driver.calls.length = 0;
    const buf = new Uint8Array(3);
    assert.equal(await file.read(buf, 0, 3, 4), 3);
    assert.equal(text(buf), "456");
    assert.deepEqual(driver.calls, ["pread /f"]);
    await file.close();
  });

  it("loads the whole file once per open file without pread", async () => {
    const driver = minimalDriver();
    await driver.writeFile("/f", bytes("0123456789"));
    const fs = createVirtualFsBackend(driver);
    const file = await fs.open("/f", O_RDONLY, 0, OWNER);
    driver.calls.length = 0;
    const buf = new Uint8Array(2);
    await file.read(buf, 0, 2, 0);
    await file.read(buf, 0, 2, 8);
    assert.equal(text(buf), "89");
    assert.deepEqual(driver.calls, ["readFile /f"]);
    await file.close();
  });

  it("never lets the driver's buffers and the caller's alias", async () => {
    const driver = new MapDriver();
    const fs = createVirtualFsBackend(driver);
    await fs.writeFile!("/f", bytes("abc"), 0o644, OWNER);
    const file = await fs.open("/f", O_RDWR, 0, OWNER);
    await file.write(bytes("X"), 0, 1, 0);
    assert.equal(
      text(driver.entries.get("/f")!.data),
      "abc",
      "the driver's stored buffer is untouched",
    );
    await file.close();
    const stored = driver.entries.get("/f")!.data;
    assert.equal(text(stored), "Xbc");
    const read = await fs.readFile!("/f");
    read[0] = 122;
    assert.equal(text(stored), "Xbc");
  });

  it("truncates through the open buffer when the path is truncated", async () => {
    const driver = new MapDriver();
    const fs = createVirtualFsBackend(driver);
    const file = await fs.open("/f", O_RDWR | O_CREAT, 0o644, OWNER);
    await file.write(bytes("abcdef"), 0, 6, 0);
    await fs.truncate("/f", 2);
    assert.equal(text(driver.entries.get("/f")!.data), "ab");
    assert.equal((await file.stat()).size, 2);
    await file.close();
  });

  it("keeps a renamed open file's buffer with the new name", async () => {
    const driver = new MapDriver();
    const fs = createVirtualFsBackend(driver);
    const file = await fs.open("/f", O_RDWR | O_CREAT, 0o644, OWNER);
    await fs.rename("/f", "/g");
    await file.write(bytes("moved"), 0, 5, 0);
    await file.close();
    assert.equal(text(driver.entries.get("/g")!.data), "moved");
    assert.equal(driver.entries.has("/f"), false);
  });

  it("reports a failing flush from close", async () => {
    const driver = new MapDriver();
    const fs = createVirtualFsBackend(driver);
    const file = await fs.open("/f", O_WRONLY | O_CREAT, 0o644, OWNER);
    await file.write(bytes("x"), 0, 1, 0);
    driver.writeFile = async () => {
      throw fail("ENOSPC", "full");
    };
    await rejectsWith(file.close(), "ENOSPC");
  });
});

describe("VirtualFileSystem adapter: optional methods", () => {
  it("throws ENOSYS for symlink, link, chmod, chown and utimes when the driver lacks them", async () => {
    const fs = createVirtualFsBackend(minimalDriver());
    await fs.writeFile!("/f", bytes("x"), 0o644, OWNER);
    await rejectsWith(fs.symlink("f", "/l", OWNER), "ENOSYS");
    await rejectsWith(fs.link("/f", "/g"), "ENOSYS");
    await rejectsWith(fs.chmod("/f", 0o600), "ENOSYS");
    await rejectsWith(fs.chown("/f", 1, 1), "ENOSYS");
    await rejectsWith(fs.utimes("/f", 0, 0), "ENOSYS");
  });

  it("falls back sensibly: stat for lstat, readDir for types, whole-file truncate, EINVAL readlink", async () => {
    const driver = minimalDriver();
    const fs = createVirtualFsBackend(driver);
    await fs.mkdir("/d", 0o755, OWNER);
    await fs.writeFile!("/d/f", bytes("abcdef"), 0o644, OWNER);
    assert.deepEqual(await fs.readdir("/d"), [{ name: "f", kind: "file" }]);
    assert.deepEqual(await fs.readdir("/"), [{ name: "d", kind: "directory" }]);
    await fs.truncate("/d/f", 3);
    assert.equal(text(await fs.readFile!("/d/f")), "abc");
    await fs.truncate("/d/f", 5);
    assert.deepEqual(await fs.readFile!("/d/f"), Uint8Array.of(97, 98, 99, 0, 0));
    await rejectsWith(fs.readlink("/d/f"), "EINVAL");
    await rejectsWith(fs.readlink("/nope"), "ENOENT");
  });

  it("fills missing stat fields with defaults and stable per-path inode numbers", async () => {
    const driver = minimalDriver();
    driver.stat = async (path: string) => {
      if (!driver.entries.has(path)) throw fail("ENOENT", path);
      return { isDirectory: driver.entries.get(path)!.kind === "dir" };
    };
    const fs = createVirtualFsBackend(driver);
    await driver.writeFile("/f", bytes("abc"));
    await driver.mkdir("/d");
    const f = await fs.lstat("/f");
    const d = await fs.lstat("/d");
    assert.equal(f.mode, S_IFREG | 0o644);
    assert.equal(d.mode, S_IFDIR | 0o755);
    assert.equal(f.nlink, 1);
    assert.equal(d.nlink, 2);
    assert.ok(Math.abs(f.mtimeMs - Date.now()) < 5000);
    assert.notEqual(f.ino, d.ino);
    assert.equal((await fs.lstat("/f")).ino, f.ino);
    await fs.rename("/f", "/g");
    assert.equal((await fs.lstat("/g")).ino, f.ino, "the number follows the rename");
  });

  it("enforces POSIX checks a sloppy driver skips", async () => {
    const driver = new MapDriver();
    // mkdir -p semantics and silent success on existing paths.
    driver.mkdir = async (path: string) => {
      if (!driver.entries.has(path))
        driver.entries.set(path, {
          kind: "dir",
          data: new Uint8Array(0),
          target: "",
          mode: 0o755,
          atimeMs: 0,
          mtimeMs: 0,
        });
    };
    const fs = createVirtualFsBackend(driver);
    await fs.mkdir("/d", 0o755, OWNER);
    await rejectsWith(fs.mkdir("/d", 0o755, OWNER), "EEXIST");
    await rejectsWith(fs.mkdir("/x/y", 0o755, OWNER), "ENOENT");
    await fs.writeFile!("/f", bytes("x"), 0o644, OWNER);
    await rejectsWith(fs.mkdir("/f/y", 0o755, OWNER), "ENOTDIR");
    await rejectsWith(fs.lstat("/f/y"), "ENOTDIR");
    await fs.writeFile!("/d/in", bytes("x"), 0o644, OWNER);
    await rejectsWith(fs.rmdir("/d"), "ENOTEMPTY");
    await rejectsWith(fs.rename("/d", "/d/sub"), "EINVAL");
  });

  it("replaces the destination of rename even when the driver will not", async () => {
    const driver = new MapDriver();
    const original = driver.rename.bind(driver);
    driver.rename = async (from: string, to: string) => {
      if (driver.entries.has(to)) throw fail("EEXIST", to);
      await original(from, to);
    };
    const fs = createVirtualFsBackend(driver);
    await fs.writeFile!("/a", bytes("new"), 0o644, OWNER);
    await fs.writeFile!("/b", bytes("old"), 0o644, OWNER);
    await fs.rename("/a", "/b");
    assert.equal(text(await fs.readFile!("/b")), "new");
    await rejectsWith(fs.lstat("/a"), "ENOENT");
  });
});

describe("VirtualFileSystem adapter: driver errors and garbage", () => {
  it("keeps an errno code the driver throws and names the backend path", async () => {
    const driver = new MapDriver();
    driver.readFile = async () => {
      throw fail("EACCES", "/secret/driver/internal/path");
    };
    await driver.writeFile("/f", bytes("x"));
    const fs = createVirtualFsBackend(driver);
    await assert.rejects(fs.readFile!("/f"), (err: unknown) => {
      assert.ok(isKernelError(err, "EACCES"));
      assert.equal(err.path, "/f");
      assert.equal(err.syscall, "open");
      return true;
    });
  });

  it("turns any other failure into EIO carrying the driver's message", async () => {
    const driver = new MapDriver();
    await driver.writeFile("/f", bytes("x"));
    const fs = createVirtualFsBackend(driver);
    const throwers: unknown[] = [
      new Error("disk on fire"),
      "a string",
      null,
      undefined,
      42,
      { code: "EWHATEVER" },
    ];
    for (const thrown of throwers) {
      driver.readFile = async () => {
        throw thrown;
      };
      await assert.rejects(fs.readFile!("/f"), (err: unknown) => {
        assert.ok(isKernelError(err, "EIO"), `${String(thrown)} gave ${String(err)}`);
        assert.equal(err.path, "/f");
        return true;
      });
    }
    driver.readFile = async () => {
      throw new Error("disk on fire");
    };
    await assert.rejects(fs.readFile!("/f"), /EIO: .*disk on fire.*'\/f'/);
  });

  it("answers EIO, never a crash, when the driver returns garbage", async () => {
    const garbage: unknown[] = [
      null,
      undefined,
      42,
      "str",
      {},
      [],
      { isDirectory: "yes" },
      [1, 2],
      [{ name: 5 }],
      Symbol("s"),
    ];
    for (const value of garbage) {
      const driver = new MapDriver();
      await driver.mkdir("/d");
      await driver.writeFile("/d/f", bytes("data"));
      const fs = createVirtualFsBackend(driver);
      const own = driver as unknown as Record<string, unknown>;
      for (const name of [
        "readFile",
        "readDir",
        "readDirWithTypes",
        "lstat",
        "readlink",
        "pread",
      ]) {
        own[name] = async () => value;
      }
      const calls: [string, () => Promise<unknown>][] = [
        ["lstat", () => fs.lstat("/d/f")],
        ["readdir", () => fs.readdir("/d")],
        ["readFile", () => fs.readFile!("/d/f")],
        ["readlink", () => fs.readlink("/d/f")],
        ["mkdir", () => fs.mkdir("/d/new", 0o755, OWNER)],
        ["rmdir", () => fs.rmdir("/d")],
        ["unlink", () => fs.unlink("/d/f")],
        ["rename", () => fs.rename("/d/f", "/d/g")],
        ["truncate", () => fs.truncate("/d/f", 1)],
        ["open", () => fs.open("/d/f", O_RDONLY, 0, OWNER)],
        ["writeFile", () => fs.writeFile!("/d/f", bytes("x"), 0o644, OWNER)],
      ];
      for (const [label, call] of calls) {
        await assert.rejects(call(), (err: unknown) => {
          assert.ok(isKernelError(err), `${label} with ${String(value)}: ${String(err)}`);
          return true;
        });
      }
    }
  });

  it("survives a driver made of nothing", async () => {
    const fs = createVirtualFsBackend({} as VirtualFileSystem);
    for (const call of [
      () => fs.lstat("/"),
      () => fs.readdir("/"),
      () => fs.mkdir("/d", 0o755, OWNER),
      () => fs.open("/f", O_WRONLY | O_CREAT | O_TRUNC, 0o644, OWNER),
      () => fs.writeFile!("/f", bytes("x"), 0o644, OWNER),
    ]) {
      await assert.rejects(call(), (err: unknown) => isKernelError(err, "EIO"));
    }
  });

  it("survives a chaos driver answering every call with random garbage or errors", async () => {
    let state = 7;
    const random = (): number => {
      state = (state * 1103515245 + 12345) >>> 0;
      return state / 4294967296;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const answers: (() => unknown)[] = [
      () => undefined,
      () => null,
      () => ({
        isDirectory: random() < 0.5,
        size: pick([1, -1, Number.NaN, "9", 2 ** 60]),
        mode: pick([0o644, -5, 1.5]),
      }),
      () => ({ isDirectory: false, isSymbolicLink: pick([true, "no"]) }),
      () => pick([["a", "b"], ["a/b"], [""], [null], "ab", [{ name: "x", isDirectory: true }]]),
      () => pick([bytes("abc"), "text", 12, new Uint8Array(1 << 16)]),
      () => {
        throw pick([fail("ENOENT", "x"), fail("EEXIST", "x"), new TypeError("boom"), "str"]);
      },
      () => Promise.reject(pick([fail("ENOTDIR", "x"), new RangeError("r")])),
    ];
    const driver = new Proxy({} as VirtualFileSystem, {
      get: () => () => pick(answers)(),
    });
    const fs: VfsBackend = createVirtualFsBackend(driver);
    const ops: (() => Promise<unknown>)[] = [
      () => fs.lstat("/a"),
      () => fs.readdir("/"),
      () => fs.mkdir("/a", 0o755, OWNER),
      () => fs.rmdir("/a"),
      () => fs.unlink("/a"),
      () => fs.rename("/a", "/b"),
      () => fs.link("/a", "/b"),
      () => fs.symlink("t", "/a", OWNER),
      () => fs.readlink("/a"),
      () => fs.chmod("/a", 0o600),
      () => fs.chown("/a", 1, -1),
      () => fs.utimes("/a", 1, 2),
      () => fs.truncate("/a", 3),
      () => fs.readFile!("/a"),
      () => fs.writeFile!("/a", bytes("x"), 0o644, OWNER),
      async () => {
        const file = await fs.open(
          "/a",
          pick([O_RDONLY, O_RDWR | O_CREAT, O_WRONLY | O_TRUNC]),
          0o644,
          OWNER,
        );
        try {
          const buf = new Uint8Array(8);
          await file.read(buf, 0, 8, 0).catch((err) => assert.ok(isKernelError(err), String(err)));
          await file.write(buf, 0, 8, 2).catch((err) => assert.ok(isKernelError(err), String(err)));
          await file.stat().catch((err) => assert.ok(isKernelError(err), String(err)));
        } finally {
          await file.close().catch((err) => assert.ok(isKernelError(err), String(err)));
        }
      },
    ];
    for (let i = 0; i < 3000; i++) {
      try {
        await pick(ops)();
      } catch (err) {
        assert.ok(isKernelError(err), `step ${i}: ${String(err)}`);
      }
    }
  });
});
