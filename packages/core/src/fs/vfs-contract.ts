/**
 * The behaviour every `VfsBackend` must share, as one test suite each backend's test file
 * runs: `describeVfsContract("memory", async () => ({ backend: new MemoryFs() }))`.
 * A backend that cannot support a feature declares it in `skip` with the reason, and the
 * affected tests report that reason instead of failing.
 */

import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it, type TestContext } from "node:test";
import { ERRNO, type Errno, isKernelError } from "./errors.ts";
import {
  type DirEntry,
  type FileKind,
  kindOfMode,
  O_CREAT,
  O_EXCL,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  type Owner,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  type Stat,
  type VfsBackend,
  type VfsFile,
} from "./types.ts";

export type VfsCapability =
  | "hardLinks"
  | "symlinks"
  | "chown"
  | "chmod"
  | "utimes"
  | "unlinkOpenFile"
  | "birthtime"
  | "enospc"
  /** atime moves on read (a host mounted noatime does not). */
  | "atime"
  /** ctime moves on metadata changes (a whole-file user driver may not track it). */
  | "ctime"
  /** Directory nlink is 2 plus the number of subdirectories. */
  | "dirNlink"
  /** VfsFile refuses reads on write-only handles and writes on read-only ones (EBADF). */
  | "accessModes"
  /** Distinct inodes have distinct, stable `ino` numbers. */
  | "inodeNumbers";

export interface VfsContractSubject {
  backend: VfsBackend;
  /** Runs after each test, after `backend.dispose()`. */
  cleanup?: () => Promise<void>;
  /** Capabilities this backend lacks, each with the reason printed by the skipped tests. */
  skip?: Partial<Record<VfsCapability, string>>;
  /** Limits the backend was created with; the ENOSPC tests need at least one of them. */
  limits?: { maxBytes?: number; maxInodes?: number };
}

const OWNER: Owner = { uid: 1000, gid: 1000 };
const PAST = 1_000_000_000_000; // 2001-09-09, far enough back that any change moves forward
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const bytes = (text: string): Uint8Array => encoder.encode(text);
const text = (data: Uint8Array): string => decoder.decode(data);
/** Long enough for ctime to move on any host clock granularity. */
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 15));

async function writeAll(fs: VfsBackend, path: string, content: string | Uint8Array, mode = 0o644) {
  const data = typeof content === "string" ? bytes(content) : content;
  const file = await fs.open(path, O_WRONLY | O_CREAT | O_TRUNC, mode, OWNER);
  try {
    let done = 0;
    while (done < data.length) done += await file.write(data, done, data.length - done, done);
  } finally {
    await file.close();
  }
}

async function readAllOf(file: VfsFile): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let position = 0;
  for (;;) {
    const chunk = new Uint8Array(4096);
    const n = await file.read(chunk, 0, chunk.length, position);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    position += n;
  }
  const out = new Uint8Array(position);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

async function readAll(fs: VfsBackend, path: string): Promise<Uint8Array> {
  const file = await fs.open(path, O_RDONLY, 0, OWNER);
  try {
    return await readAllOf(file);
  } finally {
    await file.close();
  }
}

/** Asserts a rejection with a KernelError of `code`, and its syscall/path when given. */
async function rejects(
  promise: Promise<unknown>,
  code: Errno,
  expect: { syscall?: string; path?: string; dest?: string } = {},
): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    const shown = err instanceof Error ? err.message : String(err);
    assert.ok(isKernelError(err), `expected a KernelError ${code}, got ${shown}`);
    assert.equal(err.code, code, `expected ${code}, got: ${shown}`);
    assert.equal(err.errno, -ERRNO[code]);
    assert.equal(typeof err.syscall, "string");
    assert.ok(err.syscall.length > 0, "syscall is empty");
    if (expect.syscall !== undefined) assert.equal(err.syscall, expect.syscall);
    if (expect.path !== undefined) assert.equal(err.path, expect.path);
    if (expect.dest !== undefined) assert.equal(err.dest, expect.dest);
    return true;
  });
}

async function exists(fs: VfsBackend, path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch (err) {
    if (isKernelError(err, "ENOENT")) return false;
    throw err;
  }
}

const kindOf = (stat: Stat): FileKind => kindOfMode(stat.mode);
const sortedNames = (entries: DirEntry[]): string[] => entries.map((e) => e.name).sort();

export function describeVfsContract(name: string, setup: () => Promise<VfsContractSubject>): void {
  describe(`VfsBackend contract: ${name}`, () => {
    let subject: VfsContractSubject;
    let fs: VfsBackend;

    beforeEach(async () => {
      subject = await setup();
      fs = subject.backend;
    });

    afterEach(async () => {
      await fs.dispose?.();
      await subject.cleanup?.();
    });

    /** True (and the test is marked skipped with the backend's reason) if a capability is missing. */
    const lacks = (t: TestContext, ...caps: VfsCapability[]): boolean => {
      for (const cap of caps) {
        const reason = subject.skip?.[cap];
        if (reason !== undefined) {
          t.skip(`${cap}: ${reason}`);
          return true;
        }
      }
      return false;
    };

    describe("lstat", () => {
      it("reports the root as a directory", async () => {
        const st = await fs.lstat("/");
        assert.equal(st.mode & S_IFMT, S_IFDIR);
        assert.equal(kindOf(st), "directory");
      });

      it("fails with ENOENT, syscall and path for a missing entry", async () => {
        await rejects(fs.lstat("/missing"), "ENOENT", { path: "/missing" });
      });

      it("fails with ENOENT when an intermediate directory is missing", async () => {
        await rejects(fs.lstat("/no/such/file"), "ENOENT", { path: "/no/such/file" });
      });

      it("fails with ENOTDIR when an intermediate component is a file", async () => {
        await writeAll(fs, "/f", "x");
        await rejects(fs.lstat("/f/child"), "ENOTDIR", { path: "/f/child" });
      });

      it("fails with ENOTDIR when an intermediate component is a symlink", async (t) => {
        if (lacks(t, "symlinks")) return;
        await fs.mkdir("/d", 0o755, OWNER);
        await writeAll(fs, "/d/f", "x");
        await fs.symlink("d", "/l", OWNER);
        await rejects(fs.lstat("/l/f"), "ENOTDIR");
      });

      it("gives distinct inodes distinct, stable ino numbers", async (t) => {
        if (lacks(t, "inodeNumbers")) return;
        await writeAll(fs, "/a", "1");
        await writeAll(fs, "/b", "2");
        await fs.mkdir("/c", 0o755, OWNER);
        const inos = [(await fs.lstat("/a")).ino, (await fs.lstat("/b")).ino];
        inos.push((await fs.lstat("/c")).ino, (await fs.lstat("/")).ino);
        assert.equal(new Set(inos).size, 4);
        assert.equal((await fs.lstat("/a")).ino, inos[0]);
      });

      it("reports size, a positive blksize and enough 512-byte blocks", async () => {
        await writeAll(fs, "/f", new Uint8Array(5000).fill(7));
        const st = await fs.lstat("/f");
        assert.equal(st.size, 5000);
        assert.ok(st.blksize > 0);
        assert.ok(st.blocks * 512 >= st.size, `blocks ${st.blocks} too few`);
      });
    });

    describe("mkdir", () => {
      it("creates a directory with the requested permission bits", async (t) => {
        await fs.mkdir("/d", 0o750, OWNER);
        const st = await fs.lstat("/d");
        assert.equal(st.mode & S_IFMT, S_IFDIR);
        if (lacks(t, "chmod")) return;
        assert.equal(st.mode & 0o7777, 0o750);
      });

      it("gives the new directory the creating owner", async (t) => {
        if (lacks(t, "chown")) return;
        await fs.mkdir("/d", 0o755, { uid: 1234, gid: 5678 });
        const st = await fs.lstat("/d");
        assert.equal(st.uid, 1234);
        assert.equal(st.gid, 5678);
      });

      it("creates nested directories one level at a time", async () => {
        await fs.mkdir("/a", 0o755, OWNER);
        await fs.mkdir("/a/b", 0o755, OWNER);
        await fs.mkdir("/a/b/c", 0o755, OWNER);
        assert.equal(kindOf(await fs.lstat("/a/b/c")), "directory");
      });

      it("fails with EEXIST on an existing directory", async () => {
        await fs.mkdir("/d", 0o755, OWNER);
        await rejects(fs.mkdir("/d", 0o755, OWNER), "EEXIST", { syscall: "mkdir", path: "/d" });
      });

      it("fails with EEXIST on an existing file", async () => {
        await writeAll(fs, "/f", "x");
        await rejects(fs.mkdir("/f", 0o755, OWNER), "EEXIST");
        assert.equal(kindOf(await fs.lstat("/f")), "file");
      });

      it("fails with EEXIST on the root", async () => {
        await rejects(fs.mkdir("/", 0o755, OWNER), "EEXIST");
      });

      it("fails with ENOENT when the parent is missing", async () => {
        await rejects(fs.mkdir("/no/d", 0o755, OWNER), "ENOENT", { path: "/no/d" });
      });

      it("fails with ENOTDIR when the parent is a file", async () => {
        await writeAll(fs, "/f", "x");
        await rejects(fs.mkdir("/f/d", 0o755, OWNER), "ENOTDIR");
      });

      it("counts subdirectories in nlink (2 + subdirs)", async (t) => {
        if (lacks(t, "dirNlink")) return;
        await fs.mkdir("/d", 0o755, OWNER);
        assert.equal((await fs.lstat("/d")).nlink, 2);
        await fs.mkdir("/d/x", 0o755, OWNER);
        await fs.mkdir("/d/y", 0o755, OWNER);
        await writeAll(fs, "/d/file", "not a subdir");
        assert.equal((await fs.lstat("/d")).nlink, 4);
        await fs.rmdir("/d/x");
        assert.equal((await fs.lstat("/d")).nlink, 3);
      });

      it("moves the parent's mtime", async (t) => {
        if (lacks(t, "utimes")) return;
        await fs.mkdir("/p", 0o755, OWNER);
        await fs.utimes("/p", PAST, PAST);
        await fs.mkdir("/p/d", 0o755, OWNER);
        assert.ok((await fs.lstat("/p")).mtimeMs > PAST);
      });
    });

    describe("readdir", () => {
      it("lists nothing in an empty directory", async () => {
        await fs.mkdir("/d", 0o755, OWNER);
        assert.deepEqual(await fs.readdir("/d"), []);
      });

      it("lists every entry with its kind and never . or ..", async (t) => {
        await fs.mkdir("/d", 0o755, OWNER);
        await fs.mkdir("/d/sub", 0o755, OWNER);
        await writeAll(fs, "/d/file", "x");
        const wantLink = subject.skip?.symlinks === undefined;
        if (wantLink) await fs.symlink("file", "/d/link", OWNER);
        const entries = await fs.readdir("/d");
        const kinds = Object.fromEntries(entries.map((e) => [e.name, e.kind]));
        const want: Record<string, FileKind> = { sub: "directory", file: "file" };
        if (wantLink) want.link = "symlink";
        else t.diagnostic("symlink entry not checked: no symlinks");
        assert.deepEqual(kinds, want);
      });

      it("returns entries in the same order on every call", async () => {
        await fs.mkdir("/d", 0o755, OWNER);
        for (const n of ["m", "c", "x", "a", "q"]) await writeAll(fs, `/d/${n}`, n);
        const first = (await fs.readdir("/d")).map((e) => e.name);
        assert.deepEqual(
          (await fs.readdir("/d")).map((e) => e.name),
          first,
        );
        assert.deepEqual([...first].sort(), ["a", "c", "m", "q", "x"]);
      });

      it("lists the root", async () => {
        await writeAll(fs, "/top", "x");
        assert.ok(sortedNames(await fs.readdir("/")).includes("top"));
      });

      it("fails with ENOTDIR on a file", async () => {
        await writeAll(fs, "/f", "x");
        await rejects(fs.readdir("/f"), "ENOTDIR", { path: "/f" });
      });

      it("fails with ENOTDIR on a symlink (backends never follow)", async (t) => {
        if (lacks(t, "symlinks")) return;
        await fs.mkdir("/d", 0o755, OWNER);
        await fs.symlink("d", "/l", OWNER);
        await rejects(fs.readdir("/l"), "ENOTDIR");
      });

      it("fails with ENOENT on a missing directory", async () => {
        await rejects(fs.readdir("/missing"), "ENOENT", { path: "/missing" });
      });
    });

    describe("open", () => {
      it("creates an empty regular file with O_CREAT", async (t) => {
        const file = await fs.open("/f", O_WRONLY | O_CREAT, 0o640, OWNER);
        await file.close();
        const st = await fs.lstat("/f");
        assert.equal(st.mode & S_IFMT, S_IFREG);
        assert.equal(st.size, 0);
        assert.equal(st.nlink, 1);
        if (lacks(t, "chmod")) return;
        assert.equal(st.mode & 0o7777, 0o640);
      });

      it("gives a created file the creating owner", async (t) => {
        if (lacks(t, "chown")) return;
        const file = await fs.open("/f", O_RDWR | O_CREAT, 0o644, { uid: 42, gid: 43 });
        await file.close();
        const st = await fs.lstat("/f");
        assert.equal(st.uid, 42);
        assert.equal(st.gid, 43);
      });

      it("fails with ENOENT for a missing file without O_CREAT", async () => {
        await rejects(fs.open("/f", O_RDONLY, 0, OWNER), "ENOENT", {
          syscall: "open",
          path: "/f",
        });
        assert.equal(await exists(fs, "/f"), false);
      });

      it("fails with EEXIST for O_CREAT | O_EXCL on an existing file", async () => {
        await writeAll(fs, "/f", "keep");
        await rejects(fs.open("/f", O_WRONLY | O_CREAT | O_EXCL, 0o644, OWNER), "EEXIST", {
          path: "/f",
        });
        assert.equal(text(await readAll(fs, "/f")), "keep");
      });

      it("creates with O_CREAT | O_EXCL when the file is missing", async () => {
        const file = await fs.open("/f", O_WRONLY | O_CREAT | O_EXCL, 0o644, OWNER);
        await file.close();
        assert.equal(kindOf(await fs.lstat("/f")), "file");
      });

      it("keeps content and mode when O_CREAT opens an existing file", async (t) => {
        await writeAll(fs, "/f", "keep", 0o600);
        const file = await fs.open("/f", O_RDWR | O_CREAT, 0o777, OWNER);
        await file.close();
        assert.equal(text(await readAll(fs, "/f")), "keep");
        if (lacks(t, "chmod")) return;
        assert.equal((await fs.lstat("/f")).mode & 0o7777, 0o600);
      });

      it("empties an existing file with O_TRUNC", async () => {
        await writeAll(fs, "/f", "some content");
        const file = await fs.open("/f", O_WRONLY | O_TRUNC, 0, OWNER);
        await file.close();
        assert.equal((await fs.lstat("/f")).size, 0);
      });

      it("fails with EISDIR on a directory, for reading or writing", async () => {
        await fs.mkdir("/d", 0o755, OWNER);
        await rejects(fs.open("/d", O_RDONLY, 0, OWNER), "EISDIR", { path: "/d" });
        await rejects(fs.open("/d", O_RDWR, 0, OWNER), "EISDIR", { path: "/d" });
        await rejects(fs.open("/d", O_WRONLY | O_CREAT, 0o644, OWNER), "EISDIR");
      });

      it("fails with ENOENT when the parent is missing, even with O_CREAT", async () => {
        await rejects(fs.open("/no/f", O_WRONLY | O_CREAT, 0o644, OWNER), "ENOENT");
      });

      it("fails with ENOTDIR when the parent is a file", async () => {
        await writeAll(fs, "/f", "x");
        await rejects(fs.open("/f/g", O_WRONLY | O_CREAT, 0o644, OWNER), "ENOTDIR");
      });
    });

    describe("VfsFile", () => {
      it("reads back what was written", async () => {
        const file = await fs.open("/f", O_RDWR | O_CREAT, 0o644, OWNER);
        assert.equal(await file.write(bytes("hello"), 0, 5, 0), 5);
        const buf = new Uint8Array(5);
        assert.equal(await file.read(buf, 0, 5, 0), 5);
        assert.equal(text(buf), "hello");
        await file.close();
      });

      it("overwrites in the middle without changing the size", async () => {
        await writeAll(fs, "/f", "abcdef");
        const file = await fs.open("/f", O_RDWR, 0, OWNER);
        await file.write(bytes("XY"), 0, 2, 2);
        await file.close();
        assert.equal(text(await readAll(fs, "/f")), "abXYef");
      });

      it("zero-fills the gap when writing past EOF", async () => {
        await writeAll(fs, "/f", "ab");
        const file = await fs.open("/f", O_RDWR, 0, OWNER);
        await file.write(bytes("Z"), 0, 1, 6);
        await file.close();
        assert.deepEqual(await readAll(fs, "/f"), Uint8Array.of(97, 98, 0, 0, 0, 0, 90));
      });

      it("returns 0 when reading at or past EOF", async () => {
        await writeAll(fs, "/f", "abc");
        const file = await fs.open("/f", O_RDONLY, 0, OWNER);
        const buf = new Uint8Array(4);
        assert.equal(await file.read(buf, 0, 4, 3), 0);
        assert.equal(await file.read(buf, 0, 4, 100), 0);
        await file.close();
      });

      it("returns a short count when a read crosses EOF", async () => {
        await writeAll(fs, "/f", "abcdef");
        const file = await fs.open("/f", O_RDONLY, 0, OWNER);
        const buf = new Uint8Array(10);
        assert.equal(await file.read(buf, 0, 10, 4), 2);
        assert.equal(text(buf.subarray(0, 2)), "ef");
        await file.close();
      });

      it("honours the buffer offset and length when reading", async () => {
        await writeAll(fs, "/f", "abcdef");
        const file = await fs.open("/f", O_RDONLY, 0, OWNER);
        const buf = new Uint8Array(6).fill(46);
        assert.equal(await file.read(buf, 2, 3, 1), 3);
        assert.equal(text(buf), "..bcd.");
        await file.close();
      });

      it("honours the buffer offset and length when writing", async () => {
        const file = await fs.open("/f", O_RDWR | O_CREAT, 0o644, OWNER);
        assert.equal(await file.write(bytes("0123456789"), 3, 4, 0), 4);
        await file.close();
        assert.equal(text(await readAll(fs, "/f")), "3456");
      });

      it("stat() reflects the size after writes", async () => {
        const file = await fs.open("/f", O_RDWR | O_CREAT, 0o644, OWNER);
        await file.write(bytes("12345"), 0, 5, 0);
        const st = await file.stat();
        assert.equal(st.size, 5);
        assert.equal(st.mode & S_IFMT, S_IFREG);
        assert.equal(st.ino, (await fs.lstat("/f")).ino);
        await file.close();
      });

      it("truncate() shrinks, and growing again reads zeros, not old bytes", async () => {
        await writeAll(fs, "/f", "abcdef");
        const file = await fs.open("/f", O_RDWR, 0, OWNER);
        await file.truncate(2);
        assert.equal((await file.stat()).size, 2);
        await file.truncate(5);
        assert.deepEqual(await readAllOf(file), Uint8Array.of(97, 98, 0, 0, 0));
        await file.close();
      });

      it("two handles on one file see each other's writes", async () => {
        const a = await fs.open("/f", O_RDWR | O_CREAT, 0o644, OWNER);
        const b = await fs.open("/f", O_RDWR, 0, OWNER);
        await a.write(bytes("first"), 0, 5, 0);
        const buf = new Uint8Array(5);
        assert.equal(await b.read(buf, 0, 5, 0), 5);
        assert.equal(text(buf), "first");
        await a.close();
        await b.close();
      });

      it("round-trips a large, patterned file", async () => {
        const big = new Uint8Array(300_000);
        for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) & 0xff;
        await writeAll(fs, "/big", big);
        assert.equal((await fs.lstat("/big")).size, big.length);
        assert.deepEqual(await readAll(fs, "/big"), big);
      });

      it("fails with EBADF after close", async () => {
        await writeAll(fs, "/f", "x");
        const file = await fs.open("/f", O_RDWR, 0, OWNER);
        await file.close();
        await rejects(file.read(new Uint8Array(1), 0, 1, 0), "EBADF");
        await rejects(file.write(bytes("y"), 0, 1, 0), "EBADF");
      });

      it("refuses reads on write-only and writes on read-only handles", async (t) => {
        if (lacks(t, "accessModes")) return;
        await writeAll(fs, "/f", "x");
        const w = await fs.open("/f", O_WRONLY, 0, OWNER);
        await rejects(w.read(new Uint8Array(1), 0, 1, 0), "EBADF");
        await w.close();
        const r = await fs.open("/f", O_RDONLY, 0, OWNER);
        await rejects(r.write(bytes("y"), 0, 1, 0), "EBADF");
        await r.close();
      });

      it("keeps working after its file is unlinked", async (t) => {
        if (lacks(t, "unlinkOpenFile")) return;
        await writeAll(fs, "/f", "still here");
        const file = await fs.open("/f", O_RDWR, 0, OWNER);
        await fs.unlink("/f");
        assert.equal(await exists(fs, "/f"), false);
        assert.equal(text(await readAllOf(file)), "still here");
        await file.write(bytes("!"), 0, 1, 10);
        assert.equal(text(await readAllOf(file)), "still here!");
        assert.equal((await file.stat()).nlink, 0);
        await file.close();
      });

      it("does not let an unlinked open file reappear under a new file of the same name", async (t) => {
        if (lacks(t, "unlinkOpenFile")) return;
        await writeAll(fs, "/f", "old");
        const file = await fs.open("/f", O_RDWR, 0, OWNER);
        await fs.unlink("/f");
        await writeAll(fs, "/f", "new");
        assert.equal(text(await readAllOf(file)), "old");
        await file.close();
        assert.equal(text(await readAll(fs, "/f")), "new");
      });
    });

    describe("truncate", () => {
      it("shrinks a file by path", async () => {
        await writeAll(fs, "/f", "abcdef");
        await fs.truncate("/f", 3);
        assert.equal(text(await readAll(fs, "/f")), "abc");
      });

      it("grows a file by path with zeros", async () => {
        await writeAll(fs, "/f", "ab");
        await fs.truncate("/f", 4);
        assert.deepEqual(await readAll(fs, "/f"), Uint8Array.of(97, 98, 0, 0));
      });

      it("fails with EISDIR on a directory", async () => {
        await fs.mkdir("/d", 0o755, OWNER);
        await rejects(fs.truncate("/d", 0), "EISDIR", { path: "/d" });
      });

      it("fails with ENOENT on a missing file", async () => {
        await rejects(fs.truncate("/missing", 0), "ENOENT", { path: "/missing" });
      });

      it("fails with EINVAL on a negative length", async () => {
        await writeAll(fs, "/f", "abc");
        await rejects(fs.truncate("/f", -1), "EINVAL");
        assert.equal((await fs.lstat("/f")).size, 3);
      });

      it("moves mtime", async (t) => {
        if (lacks(t, "utimes")) return;
        await writeAll(fs, "/f", "abc");
        await fs.utimes("/f", PAST, PAST);
        await fs.truncate("/f", 1);
        assert.ok((await fs.lstat("/f")).mtimeMs > PAST);
      });
    });

    describe("unlink", () => {
      it("removes a file", async () => {
        await writeAll(fs, "/f", "x");
        await fs.unlink("/f");
        assert.equal(await exists(fs, "/f"), false);
        assert.deepEqual(await fs.readdir("/"), []);
      });

      it("fails with EISDIR on a directory", async () => {
        await fs.mkdir("/d", 0o755, OWNER);
        await rejects(fs.unlink("/d"), "EISDIR", { syscall: "unlink", path: "/d" });
        assert.equal(await exists(fs, "/d"), true);
      });

      it("fails with ENOENT on a missing file", async () => {
        await rejects(fs.unlink("/missing"), "ENOENT", { syscall: "unlink", path: "/missing" });
      });

      it("fails with ENOTDIR when the parent is a file", async () => {
        await writeAll(fs, "/f", "x");
        await rejects(fs.unlink("/f/x"), "ENOTDIR");
      });

      it("removes a symlink, not its target", async (t) => {
        if (lacks(t, "symlinks")) return;
        await writeAll(fs, "/target", "x");
        await fs.symlink("target", "/l", OWNER);
        await fs.unlink("/l");
        assert.equal(await exists(fs, "/l"), false);
        assert.equal(text(await readAll(fs, "/target")), "x");
      });

      it("moves the parent's mtime", async (t) => {
        if (lacks(t, "utimes")) return;
        await fs.mkdir("/p", 0o755, OWNER);
        await writeAll(fs, "/p/f", "x");
        await fs.utimes("/p", PAST, PAST);
        await fs.unlink("/p/f");
        assert.ok((await fs.lstat("/p")).mtimeMs > PAST);
      });
    });

    describe("rmdir", () => {
      it("removes an empty directory", async () => {
        await fs.mkdir("/d", 0o755, OWNER);
        await fs.rmdir("/d");
        assert.equal(await exists(fs, "/d"), false);
      });

      it("fails with ENOTEMPTY on a non-empty directory", async () => {
        await fs.mkdir("/d", 0o755, OWNER);
        await writeAll(fs, "/d/f", "x");
        await rejects(fs.rmdir("/d"), "ENOTEMPTY", { syscall: "rmdir", path: "/d" });
        assert.equal(await exists(fs, "/d/f"), true);
      });

      it("fails with ENOTDIR on a file", async () => {
        await writeAll(fs, "/f", "x");
        await rejects(fs.rmdir("/f"), "ENOTDIR", { path: "/f" });
      });

      it("fails with EBUSY on the root", async () => {
        await rejects(fs.rmdir("/"), "EBUSY");
      });

      it("fails with ENOENT on a missing directory", async () => {
        await rejects(fs.rmdir("/missing"), "ENOENT", { path: "/missing" });
      });
    });

    describe("rename", () => {
      it("moves a file, keeping its content and inode", async (t) => {
        await writeAll(fs, "/a", "content");
        const ino = (await fs.lstat("/a")).ino;
        await fs.rename("/a", "/b");
        assert.equal(await exists(fs, "/a"), false);
        assert.equal(text(await readAll(fs, "/b")), "content");
        if (lacks(t, "inodeNumbers")) return;
        assert.equal((await fs.lstat("/b")).ino, ino);
      });

      it("moves a file between directories", async () => {
        await fs.mkdir("/x", 0o755, OWNER);
        await fs.mkdir("/y", 0o755, OWNER);
        await writeAll(fs, "/x/f", "moved");
        await fs.rename("/x/f", "/y/g");
        assert.deepEqual(await fs.readdir("/x"), []);
        assert.equal(text(await readAll(fs, "/y/g")), "moved");
      });

      it("replaces an existing file", async () => {
        await writeAll(fs, "/a", "new");
        await writeAll(fs, "/b", "old");
        await fs.rename("/a", "/b");
        assert.equal(text(await readAll(fs, "/b")), "new");
        assert.equal(await exists(fs, "/a"), false);
        assert.deepEqual(sortedNames(await fs.readdir("/")), ["b"]);
      });

      it("drops the replaced file's link count", async (t) => {
        if (lacks(t, "hardLinks")) return;
        await writeAll(fs, "/a", "new");
        await writeAll(fs, "/b", "old");
        await fs.link("/b", "/b2");
        await fs.rename("/a", "/b");
        assert.equal((await fs.lstat("/b2")).nlink, 1);
        assert.equal(text(await readAll(fs, "/b2")), "old");
      });

      it("moves a directory with its contents", async () => {
        await fs.mkdir("/d", 0o755, OWNER);
        await fs.mkdir("/d/sub", 0o755, OWNER);
        await writeAll(fs, "/d/sub/f", "deep");
        await fs.rename("/d", "/e");
        assert.equal(await exists(fs, "/d"), false);
        assert.equal(text(await readAll(fs, "/e/sub/f")), "deep");
      });

      it("adjusts both parents' nlink when moving a directory", async (t) => {
        if (lacks(t, "dirNlink")) return;
        await fs.mkdir("/x", 0o755, OWNER);
        await fs.mkdir("/y", 0o755, OWNER);
        await fs.mkdir("/x/d", 0o755, OWNER);
        await fs.rename("/x/d", "/y/d");
        assert.equal((await fs.lstat("/x")).nlink, 2);
        assert.equal((await fs.lstat("/y")).nlink, 3);
      });

      it("replaces an empty directory with a directory", async () => {
        await fs.mkdir("/a", 0o755, OWNER);
        await writeAll(fs, "/a/f", "x");
        await fs.mkdir("/b", 0o755, OWNER);
        await fs.rename("/a", "/b");
        assert.equal(await exists(fs, "/a"), false);
        assert.equal(text(await readAll(fs, "/b/f")), "x");
      });

      it("fails with ENOTEMPTY replacing a non-empty directory", async () => {
        await fs.mkdir("/a", 0o755, OWNER);
        await fs.mkdir("/b", 0o755, OWNER);
        await writeAll(fs, "/b/f", "x");
        await rejects(fs.rename("/a", "/b"), "ENOTEMPTY", {
          syscall: "rename",
          path: "/a",
          dest: "/b",
        });
        assert.equal(await exists(fs, "/a"), true);
        assert.equal(await exists(fs, "/b/f"), true);
      });

      it("fails with ENOTDIR replacing a file with a directory", async () => {
        await fs.mkdir("/a", 0o755, OWNER);
        await writeAll(fs, "/b", "x");
        await rejects(fs.rename("/a", "/b"), "ENOTDIR");
        assert.equal(kindOf(await fs.lstat("/b")), "file");
      });

      it("fails with EISDIR replacing a directory with a file", async () => {
        await writeAll(fs, "/a", "x");
        await fs.mkdir("/b", 0o755, OWNER);
        await rejects(fs.rename("/a", "/b"), "EISDIR");
        assert.equal(kindOf(await fs.lstat("/a")), "file");
      });

      it("fails with EINVAL moving a directory into its own subtree", async () => {
        await fs.mkdir("/a", 0o755, OWNER);
        await fs.mkdir("/a/b", 0o755, OWNER);
        await rejects(fs.rename("/a", "/a/b/c"), "EINVAL");
        await rejects(fs.rename("/a", "/a/c"), "EINVAL");
        assert.equal(kindOf(await fs.lstat("/a/b")), "directory");
      });

      it("does nothing when both names are links to the same inode", async (t) => {
        if (lacks(t, "hardLinks")) return;
        await writeAll(fs, "/a", "x");
        await fs.link("/a", "/b");
        await fs.rename("/a", "/b");
        assert.equal(await exists(fs, "/a"), true);
        assert.equal(await exists(fs, "/b"), true);
        assert.equal((await fs.lstat("/b")).nlink, 2);
      });

      it("does nothing when renaming a path to itself", async () => {
        await writeAll(fs, "/a", "x");
        await fs.rename("/a", "/a");
        assert.equal(text(await readAll(fs, "/a")), "x");
      });

      it("fails with ENOENT for a missing source, naming both paths", async () => {
        await rejects(fs.rename("/missing", "/b"), "ENOENT", { path: "/missing", dest: "/b" });
      });

      it("fails with ENOENT when the destination's directory is missing", async () => {
        await writeAll(fs, "/a", "x");
        await rejects(fs.rename("/a", "/no/b"), "ENOENT");
        assert.equal(await exists(fs, "/a"), true);
      });

      it("renames a symlink itself, not its target", async (t) => {
        if (lacks(t, "symlinks")) return;
        await writeAll(fs, "/target", "x");
        await fs.symlink("target", "/l", OWNER);
        await fs.rename("/l", "/m");
        assert.equal(await fs.readlink("/m"), "target");
        assert.equal(kindOf(await fs.lstat("/target")), "file");
      });

      it("moves the mtime of both parents", async (t) => {
        if (lacks(t, "utimes")) return;
        await fs.mkdir("/x", 0o755, OWNER);
        await fs.mkdir("/y", 0o755, OWNER);
        await writeAll(fs, "/x/f", "x");
        await fs.utimes("/x", PAST, PAST);
        await fs.utimes("/y", PAST, PAST);
        await fs.rename("/x/f", "/y/f");
        assert.ok((await fs.lstat("/x")).mtimeMs > PAST);
        assert.ok((await fs.lstat("/y")).mtimeMs > PAST);
      });

      it("moves the ctime of the renamed inode", async (t) => {
        if (lacks(t, "ctime")) return;
        await writeAll(fs, "/a", "x");
        const before = (await fs.lstat("/a")).ctimeMs;
        await tick();
        await fs.rename("/a", "/b");
        assert.ok((await fs.lstat("/b")).ctimeMs > before);
      });
    });

    describe("link", () => {
      it("makes a second name for the same inode", async (t) => {
        if (lacks(t, "hardLinks")) return;
        await writeAll(fs, "/a", "shared");
        await fs.link("/a", "/b");
        const [a, b] = [await fs.lstat("/a"), await fs.lstat("/b")];
        assert.equal(a.nlink, 2);
        assert.equal(b.nlink, 2);
        if (subject.skip?.inodeNumbers === undefined) assert.equal(a.ino, b.ino);
        assert.equal(text(await readAll(fs, "/b")), "shared");
      });

      it("shares writes between the names", async (t) => {
        if (lacks(t, "hardLinks")) return;
        await writeAll(fs, "/a", "one");
        await fs.link("/a", "/b");
        await writeAll(fs, "/b", "two");
        assert.equal(text(await readAll(fs, "/a")), "two");
      });

      it("keeps the data when one name is unlinked", async (t) => {
        if (lacks(t, "hardLinks")) return;
        await writeAll(fs, "/a", "data");
        await fs.link("/a", "/b");
        await fs.unlink("/a");
        const st = await fs.lstat("/b");
        assert.equal(st.nlink, 1);
        assert.equal(text(await readAll(fs, "/b")), "data");
      });

      it("fails with EPERM on a directory", async (t) => {
        if (lacks(t, "hardLinks")) return;
        await fs.mkdir("/d", 0o755, OWNER);
        await rejects(fs.link("/d", "/e"), "EPERM", { path: "/d", dest: "/e" });
        assert.equal(await exists(fs, "/e"), false);
      });

      it("fails with EEXIST when the new name exists", async (t) => {
        if (lacks(t, "hardLinks")) return;
        await writeAll(fs, "/a", "a");
        await writeAll(fs, "/b", "b");
        await rejects(fs.link("/a", "/b"), "EEXIST", { syscall: "link" });
        assert.equal(text(await readAll(fs, "/b")), "b");
        assert.equal((await fs.lstat("/a")).nlink, 1);
      });

      it("fails with ENOENT when the source is missing", async (t) => {
        if (lacks(t, "hardLinks")) return;
        await rejects(fs.link("/missing", "/b"), "ENOENT", { path: "/missing" });
      });

      it("moves the inode's ctime", async (t) => {
        if (lacks(t, "hardLinks", "ctime")) return;
        await writeAll(fs, "/a", "x");
        const before = (await fs.lstat("/a")).ctimeMs;
        await tick();
        await fs.link("/a", "/b");
        assert.ok((await fs.lstat("/a")).ctimeMs > before);
      });
    });

    describe("symlink", () => {
      it("creates a link whose lstat is S_IFLNK with size = target length", async (t) => {
        if (lacks(t, "symlinks")) return;
        await fs.symlink("some/target", "/l", OWNER);
        const st = await fs.lstat("/l");
        assert.equal(st.mode & S_IFMT, S_IFLNK);
        assert.equal(st.size, "some/target".length);
      });

      it("counts the target's UTF-8 bytes in the size", async (t) => {
        if (lacks(t, "symlinks")) return;
        await fs.symlink("é€", "/l", OWNER);
        assert.equal((await fs.lstat("/l")).size, 5);
      });

      it("reads back the target verbatim, even when dangling", async (t) => {
        if (lacks(t, "symlinks")) return;
        await fs.symlink("../nowhere/./x", "/l", OWNER);
        await fs.symlink("/abs/path", "/m", OWNER);
        assert.equal(await fs.readlink("/l"), "../nowhere/./x");
        assert.equal(await fs.readlink("/m"), "/abs/path");
      });

      it("fails with EEXIST when the path exists", async (t) => {
        if (lacks(t, "symlinks")) return;
        await writeAll(fs, "/f", "x");
        await rejects(fs.symlink("t", "/f", OWNER), "EEXIST", { dest: "/f" });
        assert.equal(kindOf(await fs.lstat("/f")), "file");
      });

      it("fails with ENOENT when the parent is missing", async (t) => {
        if (lacks(t, "symlinks")) return;
        await rejects(fs.symlink("t", "/no/l", OWNER), "ENOENT");
      });

      it("readlink fails with EINVAL on a non-symlink", async (t) => {
        if (lacks(t, "symlinks")) return;
        await writeAll(fs, "/f", "x");
        await rejects(fs.readlink("/f"), "EINVAL", { path: "/f" });
      });

      it("readlink fails with ENOENT on a missing path", async (t) => {
        if (lacks(t, "symlinks")) return;
        await rejects(fs.readlink("/missing"), "ENOENT", { path: "/missing" });
      });
    });

    describe("chmod", () => {
      it("changes permission bits and keeps the file type bits", async (t) => {
        if (lacks(t, "chmod")) return;
        await writeAll(fs, "/f", "x");
        await fs.chmod("/f", 0o600);
        const st = await fs.lstat("/f");
        assert.equal(st.mode & S_IFMT, S_IFREG);
        assert.equal(st.mode & 0o7777, 0o600);
      });

      it("keeps the directory type and accepts the sticky bit", async (t) => {
        if (lacks(t, "chmod")) return;
        await fs.mkdir("/d", 0o755, OWNER);
        await fs.chmod("/d", 0o1777);
        const st = await fs.lstat("/d");
        assert.equal(st.mode & S_IFMT, S_IFDIR);
        assert.equal(st.mode & 0o7777, 0o1777);
      });

      it("ignores type bits passed in the mode", async (t) => {
        if (lacks(t, "chmod")) return;
        await writeAll(fs, "/f", "x");
        await fs.chmod("/f", S_IFDIR | 0o644);
        assert.equal((await fs.lstat("/f")).mode, S_IFREG | 0o644);
      });

      it("moves ctime", async (t) => {
        if (lacks(t, "chmod", "ctime")) return;
        await writeAll(fs, "/f", "x");
        const before = (await fs.lstat("/f")).ctimeMs;
        await tick();
        await fs.chmod("/f", 0o600);
        assert.ok((await fs.lstat("/f")).ctimeMs > before);
      });

      it("fails with ENOENT on a missing path", async (t) => {
        if (lacks(t, "chmod")) return;
        await rejects(fs.chmod("/missing", 0o644), "ENOENT", { path: "/missing" });
      });
    });

    describe("chown", () => {
      it("sets uid and gid", async (t) => {
        if (lacks(t, "chown")) return;
        await writeAll(fs, "/f", "x");
        await fs.chown("/f", 7, 8);
        const st = await fs.lstat("/f");
        assert.equal(st.uid, 7);
        assert.equal(st.gid, 8);
      });

      it("leaves an id of -1 unchanged", async (t) => {
        if (lacks(t, "chown")) return;
        await writeAll(fs, "/f", "x");
        await fs.chown("/f", 7, 8);
        await fs.chown("/f", -1, 9);
        const st = await fs.lstat("/f");
        assert.equal(st.uid, 7);
        assert.equal(st.gid, 9);
      });

      it("moves ctime", async (t) => {
        if (lacks(t, "chown", "ctime")) return;
        await writeAll(fs, "/f", "x");
        const before = (await fs.lstat("/f")).ctimeMs;
        await tick();
        await fs.chown("/f", 5, 5);
        assert.ok((await fs.lstat("/f")).ctimeMs > before);
      });

      it("fails with ENOENT on a missing path", async (t) => {
        if (lacks(t, "chown")) return;
        await rejects(fs.chown("/missing", 1, 1), "ENOENT", { path: "/missing" });
      });
    });

    describe("utimes and timestamps", () => {
      it("sets atime and mtime exactly", async (t) => {
        if (lacks(t, "utimes")) return;
        await writeAll(fs, "/f", "x");
        await fs.utimes("/f", PAST, PAST + 5000);
        const st = await fs.lstat("/f");
        assert.equal(st.atimeMs, PAST);
        assert.equal(st.mtimeMs, PAST + 5000);
      });

      it("works on directories", async (t) => {
        if (lacks(t, "utimes")) return;
        await fs.mkdir("/d", 0o755, OWNER);
        await fs.utimes("/d", PAST, PAST);
        assert.equal((await fs.lstat("/d")).mtimeMs, PAST);
      });

      it("moves ctime", async (t) => {
        if (lacks(t, "utimes", "ctime")) return;
        await writeAll(fs, "/f", "x");
        const before = (await fs.lstat("/f")).ctimeMs;
        await tick();
        await fs.utimes("/f", PAST, PAST);
        assert.ok((await fs.lstat("/f")).ctimeMs > before);
      });

      it("fails with ENOENT on a missing path", async (t) => {
        if (lacks(t, "utimes")) return;
        await rejects(fs.utimes("/missing", PAST, PAST), "ENOENT", { path: "/missing" });
      });

      it("stamps a new file with the current time", async () => {
        const before = Date.now();
        await writeAll(fs, "/f", "x");
        const st = await fs.lstat("/f");
        for (const ms of [st.mtimeMs, st.ctimeMs]) {
          assert.ok(Math.abs(ms - before) < 5000, `timestamp ${ms} is not near ${before}`);
        }
      });

      it("moves mtime and ctime on write", async (t) => {
        if (lacks(t, "utimes")) return;
        await writeAll(fs, "/f", "x");
        await fs.utimes("/f", PAST, PAST);
        const ctime = (await fs.lstat("/f")).ctimeMs;
        await tick();
        const file = await fs.open("/f", O_WRONLY, 0, OWNER);
        await file.write(bytes("y"), 0, 1, 0);
        await file.close();
        const st = await fs.lstat("/f");
        assert.ok(st.mtimeMs > PAST);
        if (subject.skip?.ctime === undefined) assert.ok(st.ctimeMs > ctime);
      });

      it("moves atime on read", async (t) => {
        if (lacks(t, "utimes", "atime")) return;
        await writeAll(fs, "/f", "abc");
        await fs.utimes("/f", PAST, PAST);
        await readAll(fs, "/f");
        assert.ok((await fs.lstat("/f")).atimeMs > PAST);
      });

      it("does not move mtime on read", async (t) => {
        if (lacks(t, "utimes")) return;
        await writeAll(fs, "/f", "abc");
        await fs.utimes("/f", PAST, PAST);
        await readAll(fs, "/f");
        assert.equal((await fs.lstat("/f")).mtimeMs, PAST);
      });

      it("sets birthtime at creation and keeps it on later writes", async (t) => {
        if (lacks(t, "birthtime")) return;
        const before = Date.now();
        await writeAll(fs, "/f", "x");
        const born = (await fs.lstat("/f")).birthtimeMs;
        assert.ok(Math.abs(born - before) < 5000);
        await tick();
        await writeAll(fs, "/f", "later");
        assert.equal((await fs.lstat("/f")).birthtimeMs, born);
      });
    });

    describe("readFile and writeFile fast paths", () => {
      const fast = (t: TestContext): boolean => {
        if (fs.readFile && fs.writeFile) return true;
        t.skip("backend has no readFile/writeFile fast path");
        return false;
      };

      it("writeFile creates a file readFile and open/read agree on", async (t) => {
        if (!fast(t)) return;
        await fs.writeFile!("/f", bytes("fast"), 0o640, OWNER);
        assert.equal(text(await fs.readFile!("/f")), "fast");
        assert.equal(text(await readAll(fs, "/f")), "fast");
        const st = await fs.lstat("/f");
        assert.equal(st.mode & S_IFMT, S_IFREG);
        if (subject.skip?.chmod === undefined) assert.equal(st.mode & 0o7777, 0o640);
      });

      it("writeFile replaces content and keeps inode and mode", async (t) => {
        if (!fast(t)) return;
        await writeAll(fs, "/f", "a longer original", 0o600);
        const before = await fs.lstat("/f");
        await fs.writeFile!("/f", bytes("short"), 0o777, OWNER);
        const after = await fs.lstat("/f");
        assert.equal(text(await readAll(fs, "/f")), "short");
        assert.equal(after.size, 5);
        assert.equal(after.mode, before.mode);
        if (subject.skip?.inodeNumbers === undefined) assert.equal(after.ino, before.ino);
      });

      it("readFile returns a copy the caller may change", async (t) => {
        if (!fast(t)) return;
        await writeAll(fs, "/f", "abc");
        const data = await fs.readFile!("/f");
        data[0] = 122;
        assert.equal(text(await fs.readFile!("/f")), "abc");
      });

      it("writeFile keeps no reference to the caller's buffer", async (t) => {
        if (!fast(t)) return;
        const data = bytes("abc");
        await fs.writeFile!("/f", data, 0o644, OWNER);
        data[0] = 122;
        assert.equal(text(await readAll(fs, "/f")), "abc");
      });

      it("readFile fails with ENOENT and EISDIR", async (t) => {
        if (!fast(t)) return;
        await fs.mkdir("/d", 0o755, OWNER);
        await rejects(fs.readFile!("/missing"), "ENOENT", { path: "/missing" });
        await rejects(fs.readFile!("/d"), "EISDIR", { path: "/d" });
      });

      it("writeFile fails with EISDIR on a directory and ENOENT without a parent", async (t) => {
        if (!fast(t)) return;
        await fs.mkdir("/d", 0o755, OWNER);
        await rejects(fs.writeFile!("/d", bytes("x"), 0o644, OWNER), "EISDIR");
        await rejects(fs.writeFile!("/no/f", bytes("x"), 0o644, OWNER), "ENOENT");
      });
    });

    describe("usage and limits", () => {
      it("usage() grows with data and inodes", async (t) => {
        if (!fs.usage) {
          t.skip("backend has no usage()");
          return;
        }
        const before = fs.usage();
        await writeAll(fs, "/f", new Uint8Array(10_000));
        const after = fs.usage();
        assert.ok(after.usedBytes >= before.usedBytes + 10_000);
        assert.ok(after.usedInodes >= before.usedInodes + 1);
        assert.ok(after.totalBytes >= after.usedBytes);
      });

      it("fails with ENOSPC when a write would exceed the byte limit, changing nothing", async (t) => {
        if (lacks(t, "enospc")) return;
        const max = subject.limits?.maxBytes;
        if (max === undefined) {
          t.skip("subject declares no maxBytes limit");
          return;
        }
        await writeAll(fs, "/f", "keep");
        const file = await fs.open("/f", O_RDWR, 0, OWNER);
        const huge = new Uint8Array(max + 1);
        await rejects(file.write(huge, 0, huge.length, 0), "ENOSPC");
        await file.close();
        assert.equal(text(await readAll(fs, "/f")), "keep");
      });

      it("fails with ENOSPC when creating past the inode limit, creating nothing", async (t) => {
        if (lacks(t, "enospc")) return;
        const max = subject.limits?.maxInodes;
        if (max === undefined) {
          t.skip("subject declares no maxInodes limit");
          return;
        }
        let created = 0;
        let failure: unknown;
        for (; created <= max; created++) {
          try {
            await fs.mkdir(`/d${created}`, 0o755, OWNER);
          } catch (err) {
            failure = err;
            break;
          }
        }
        assert.ok(isKernelError(failure, "ENOSPC"), `expected ENOSPC, got ${String(failure)}`);
        assert.equal(await exists(fs, `/d${created}`), false);
        assert.equal((await fs.readdir("/")).length, created);
      });
    });

    describe("errors", () => {
      it("are KernelErrors with code, negative errno, syscall, path and a Node-style message", async () => {
        let caught: unknown;
        try {
          await fs.lstat("/nope");
        } catch (err) {
          caught = err;
        }
        assert.ok(isKernelError(caught));
        assert.ok(caught instanceof Error);
        assert.equal(caught.code, "ENOENT");
        assert.equal(caught.errno, -ERRNO.ENOENT);
        assert.equal(caught.path, "/nope");
        assert.match(caught.message, /^ENOENT: .*'\/nope'/);
      });

      it("are rejections, never synchronous throws", async () => {
        let promise: Promise<unknown> | undefined;
        assert.doesNotThrow(() => {
          promise = fs.rmdir("/missing");
        });
        await rejects(promise!, "ENOENT");
      });
    });
  });
}
