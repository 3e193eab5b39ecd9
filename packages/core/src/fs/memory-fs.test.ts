import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isKernelError } from "./errors.ts";
import { MemoryFs } from "./memory-fs.ts";
import { O_CREAT, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, type Owner } from "./types.ts";
import { describeVfsContract } from "./vfs-contract.ts";
import { fuzzVfsAgainstModel } from "./vfs-fuzz.ts";

const OWNER: Owner = { uid: 1000, gid: 1000 };
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/**
 * Times 200k one-byte appends. Measured at module load on purpose: inside a node:test test
 * every await costs ~2 µs of the runner's async tracking, which would swamp what we measure.
 */
async function timeAppends(count: number): Promise<{ ms: number; size: number }> {
  const fs = new MemoryFs();
  const file = await fs.open("/log", O_WRONLY | O_CREAT, 0o644, OWNER);
  const one = Uint8Array.of(120);
  const start = performance.now();
  for (let i = 0; i < count; i++) await file.write(one, 0, 1, i);
  const ms = performance.now() - start;
  await file.close();
  return { ms, size: (await fs.lstat("/log")).size };
}
const appendTiming = await timeAppends(200_000);

describeVfsContract("memory", async () => ({
  backend: new MemoryFs({ maxBytes: 1 << 20, maxInodes: 512 }),
  limits: { maxBytes: 1 << 20, maxInodes: 512 },
}));

describe("MemoryFs fuzz against the model", () => {
  for (const seed of [1, 2, 3, 42, 1337, 20240601]) {
    it(`seed ${seed}`, async () => {
      await fuzzVfsAgainstModel(new MemoryFs(), { seed, steps: 1500 });
    });
  }

  it("works below a non-root directory", async () => {
    const fs = new MemoryFs();
    await fs.mkdir("/work", 0o755, OWNER);
    await fuzzVfsAgainstModel(fs, { seed: 7, steps: 800, root: "/work" });
  });
});

/** Runs `fn`, expects ENOSPC, and checks lstat of `paths` and usage() did not change. */
async function expectNoSpaceAndNoChange(
  fs: MemoryFs,
  paths: string[],
  fn: () => Promise<unknown>,
): Promise<void> {
  const snapshot = async () => ({
    usage: fs.usage(),
    stats: await Promise.all(paths.map((p) => fs.lstat(p).catch((err) => String(err.code)))),
    root: await fs.readdir("/"),
  });
  const before = await snapshot();
  await assert.rejects(fn(), (err) => isKernelError(err, "ENOSPC"));
  assert.deepEqual(await snapshot(), before);
}

describe("MemoryFs limits", () => {
  it("refuses a write past maxBytes and leaves the file as it was", async () => {
    const fs = new MemoryFs({ maxBytes: 10 });
    await fs.writeFile("/f", bytes("12345678"), 0o644, OWNER);
    const file = await fs.open("/f", O_RDWR, 0, OWNER);
    await expectNoSpaceAndNoChange(fs, ["/f"], () => file.write(bytes("abcd"), 0, 4, 8));
    // Overwriting within the size needs no new space.
    assert.equal(await file.write(bytes("abcd"), 0, 4, 0), 4);
    assert.equal(new TextDecoder().decode(await fs.readFile("/f")), "abcd5678");
    await file.close();
  });

  it("refuses truncate growth past maxBytes", async () => {
    const fs = new MemoryFs({ maxBytes: 10 });
    await fs.writeFile("/f", bytes("1234"), 0o644, OWNER);
    await expectNoSpaceAndNoChange(fs, ["/f"], () => fs.truncate("/f", 11));
    await fs.truncate("/f", 10);
    assert.equal(fs.usage().usedBytes, 10);
  });

  it("refuses writeFile past maxBytes without creating the file", async () => {
    const fs = new MemoryFs({ maxBytes: 4 });
    await expectNoSpaceAndNoChange(fs, ["/f"], () =>
      fs.writeFile("/f", bytes("12345"), 0o644, OWNER),
    );
  });

  it("counts writeFile replacement by the size difference", async () => {
    const fs = new MemoryFs({ maxBytes: 8 });
    await fs.writeFile("/f", bytes("12345678"), 0o644, OWNER);
    await fs.writeFile("/f", bytes("abcdefgh"), 0o644, OWNER);
    assert.equal(fs.usage().usedBytes, 8);
  });

  it("counts symlink targets against maxBytes", async () => {
    const fs = new MemoryFs({ maxBytes: 4 });
    await expectNoSpaceAndNoChange(fs, ["/l"], () => fs.symlink("12345", "/l", OWNER));
    await fs.symlink("1234", "/l", OWNER);
    assert.equal(fs.usage().usedBytes, 4);
  });

  it("frees bytes on unlink, truncate and O_TRUNC", async () => {
    const fs = new MemoryFs({ maxBytes: 10 });
    await fs.writeFile("/a", bytes("1234567890"), 0o644, OWNER);
    await fs.unlink("/a");
    await fs.writeFile("/b", bytes("1234567890"), 0o644, OWNER);
    await fs.truncate("/b", 0);
    await fs.writeFile("/c", bytes("1234567890"), 0o644, OWNER);
    const file = await fs.open("/c", O_WRONLY | O_TRUNC, 0, OWNER);
    await file.close();
    assert.equal(fs.usage().usedBytes, 0);
  });

  it("refuses every kind of creation past maxInodes, creating nothing", async () => {
    const fs = new MemoryFs({ maxInodes: 2 });
    await fs.mkdir("/d", 0o755, OWNER);
    assert.equal(fs.usage().usedInodes, 2);
    const paths = ["/x", "/d"];
    await expectNoSpaceAndNoChange(fs, paths, () => fs.mkdir("/x", 0o755, OWNER));
    await expectNoSpaceAndNoChange(fs, paths, () => fs.open("/x", O_CREAT | O_WRONLY, 0, OWNER));
    await expectNoSpaceAndNoChange(fs, paths, () => fs.symlink("t", "/x", OWNER));
    await expectNoSpaceAndNoChange(fs, paths, () => fs.writeFile("/x", bytes("1"), 0, OWNER));
  });

  it("lets a hard link through at the inode limit", async () => {
    const fs = new MemoryFs({ maxInodes: 2 });
    await fs.writeFile("/f", bytes("x"), 0o644, OWNER);
    await fs.link("/f", "/g");
    assert.equal(fs.usage().usedInodes, 2);
  });

  it("keeps an unlinked open file's inode and bytes until it is closed", async () => {
    const fs = new MemoryFs({ maxInodes: 2 });
    await fs.writeFile("/f", bytes("12345"), 0o644, OWNER);
    const file = await fs.open("/f", O_RDONLY, 0, OWNER);
    await fs.unlink("/f");
    assert.deepEqual(fs.usage(), {
      usedBytes: 5,
      usedInodes: 2,
      totalBytes: Number.MAX_SAFE_INTEGER,
    });
    await assert.rejects(fs.mkdir("/d", 0o755, OWNER), (err) => isKernelError(err, "ENOSPC"));
    await file.close();
    assert.equal(fs.usage().usedInodes, 1);
    assert.equal(fs.usage().usedBytes, 0);
    await fs.mkdir("/d", 0o755, OWNER);
  });

  it("frees a directory's inode on rmdir and a replaced file's on rename", async () => {
    const fs = new MemoryFs({ maxInodes: 3 });
    await fs.mkdir("/d", 0o755, OWNER);
    await fs.rmdir("/d");
    await fs.writeFile("/a", bytes("1"), 0o644, OWNER);
    await fs.writeFile("/b", bytes("22"), 0o644, OWNER);
    await fs.rename("/a", "/b");
    assert.deepEqual(
      { inodes: fs.usage().usedInodes, bytes: fs.usage().usedBytes },
      { inodes: 2, bytes: 1 },
    );
  });

  it("turns an allocation the host refuses into ENOSPC, changing nothing", async () => {
    const fs = new MemoryFs();
    await fs.writeFile("/f", bytes("abc"), 0o644, OWNER);
    const file = await fs.open("/f", O_RDWR, 0, OWNER);
    await expectNoSpaceAndNoChange(fs, ["/f"], () => file.write(bytes("x"), 0, 1, 2 ** 52));
    await expectNoSpaceAndNoChange(fs, ["/f"], () => fs.truncate("/f", 2 ** 52));
    await file.close();
  });

  it("reports maxBytes as totalBytes", () => {
    assert.equal(new MemoryFs({ maxBytes: 1234 }).usage().totalBytes, 1234);
  });
});

describe("MemoryFs performance", () => {
  it("appends one byte at a time in linear time", () => {
    // Quadratic copying would move ~20 GB here; amortised growth takes tens of milliseconds.
    assert.ok(
      appendTiming.ms < 1000,
      `200k one-byte appends took ${appendTiming.ms.toFixed(0)} ms`,
    );
    assert.equal(appendTiming.size, 200_000);
  });

  it("constructs cheaply", () => {
    const start = performance.now();
    for (let i = 0; i < 10_000; i++) new MemoryFs();
    const perInstance = ((performance.now() - start) / 10_000) * 1000;
    assert.ok(perInstance < 50, `constructing a MemoryFs took ${perInstance.toFixed(1)} µs`);
  });
});

describe("MemoryFs details", () => {
  it("starts with a root owned by uid 0, mode 0755, nlink 2", async () => {
    const st = await new MemoryFs().lstat("/");
    assert.deepEqual(
      { mode: st.mode, nlink: st.nlink, uid: st.uid, gid: st.gid, dev: st.dev },
      { mode: 0o040755, nlink: 2, uid: 0, gid: 0, dev: 0 },
    );
  });

  it("reports 4 KiB blocks in 512-byte units", async () => {
    const fs = new MemoryFs();
    await fs.writeFile("/f", new Uint8Array(4097), 0o644, OWNER);
    const st = await fs.lstat("/f");
    assert.equal(st.blksize, 4096);
    assert.equal(st.blocks, 16);
  });

  it("gives up spare capacity when a large file is truncated small", async () => {
    const fs = new MemoryFs();
    const file = await fs.open("/f", O_RDWR | O_CREAT, 0o644, OWNER);
    await file.write(new Uint8Array(100_000).fill(1), 0, 100_000, 0);
    await file.truncate(10);
    await file.truncate(20);
    const back = new Uint8Array(20);
    assert.equal(await file.read(back, 0, 20, 0), 20);
    assert.deepEqual(back, Uint8Array.of(...new Array(10).fill(1), ...new Array(10).fill(0)));
    await file.close();
  });

  it("refuses ftruncate on a read-only handle", async () => {
    const fs = new MemoryFs();
    await fs.writeFile("/f", bytes("abc"), 0o644, OWNER);
    const file = await fs.open("/f", O_RDONLY, 0, OWNER);
    await assert.rejects(file.truncate(0), (err) => isKernelError(err, "EINVAL"));
    await file.close();
  });

  it("copies a Node Buffer given to writeFile", async () => {
    const fs = new MemoryFs();
    const data = Buffer.from("abc");
    await fs.writeFile("/f", data, 0o644, OWNER);
    data[0] = 122;
    assert.equal(new TextDecoder().decode(await fs.readFile("/f")), "abc");
  });
});
