import assert from "node:assert/strict";
import * as nodeFs from "node:fs";
import * as os from "node:os";
import { describe, it } from "node:test";
import { isKernelError } from "./errors.ts";
import { HostDirFs } from "./host-dir-fs.ts";
import { MemoryFs } from "./memory-fs.ts";
import { OverlayFs } from "./overlay-fs.ts";
import {
  type FileKind,
  kindOfMode,
  O_ACCMODE,
  O_CREAT,
  O_EXCL,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  type Owner,
  type Stat,
  type VfsBackend,
} from "./types.ts";
import { describeVfsContract } from "./vfs-contract.ts";
import { fuzzVfsAgainstModel } from "./vfs-fuzz.ts";

const OWNER: Owner = { uid: 1000, gid: 1000 };
const ROOT: Owner = { uid: 0, gid: 0 };
const PAST = 1_000_000_000_000;
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (data: Uint8Array): string => new TextDecoder().decode(data);

/** A lower layer that fails the test if anything tries to change it. */
function readOnlyView(backend: VfsBackend): VfsBackend {
  const refuse = (name: string) => () => {
    throw new Error(`overlay tried to ${name} a lower layer`);
  };
  return {
    lstat: (p) => backend.lstat(p),
    readdir: (p) => backend.readdir(p),
    readlink: (p) => backend.readlink(p),
    readFile: (p) => backend.readFile!(p),
    open: (p, flags, mode, owner) => {
      if ((flags & O_ACCMODE) !== O_RDONLY || flags & (O_CREAT | O_TRUNC))
        refuse("open for writing")();
      return backend.open(p, flags, mode, owner);
    },
    mkdir: refuse("mkdir"),
    rmdir: refuse("rmdir"),
    unlink: refuse("unlink"),
    rename: refuse("rename"),
    link: refuse("link"),
    symlink: refuse("symlink"),
    chmod: refuse("chmod"),
    chown: refuse("chown"),
    utimes: refuse("utimes"),
    truncate: refuse("truncate"),
    writeFile: refuse("writeFile"),
  };
}

/** One entry of a layer description: directories end with "/", symlinks are "-> target". */
type Spec = Record<string, string | { data?: string; link?: string; mode?: number; owner?: Owner }>;

async function layer(spec: Spec): Promise<MemoryFs> {
  const fs = new MemoryFs();
  for (const [rawPath, value] of Object.entries(spec)) {
    const entry = typeof value === "string" ? { data: value } : value;
    const owner = entry.owner ?? ROOT;
    if (rawPath.endsWith("/")) {
      const path = rawPath.slice(0, -1);
      await fs.mkdir(path, entry.mode ?? 0o755, owner);
    } else if (entry.link !== undefined) {
      await fs.symlink(entry.link, rawPath, owner);
    } else {
      await fs.writeFile(rawPath, bytes(entry.data ?? ""), entry.mode ?? 0o644, owner);
    }
  }
  // Fixed times (after every entry exists), so copy-up preserving them is visible.
  for (const rawPath of Object.keys(spec)) {
    await fs.utimes(rawPath.endsWith("/") ? rawPath.slice(0, -1) : rawPath, PAST, PAST);
  }
  return fs;
}

/** Every path of a backend with what the tests compare about it. */
async function dump(fs: VfsBackend, withTimes = false): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (path: string): Promise<void> => {
    const st = await fs.lstat(path);
    const kind = kindOfMode(st.mode);
    let content = "";
    if (kind === "file") content = text(await fs.readFile!(path));
    if (kind === "symlink") content = await fs.readlink(path);
    const size = kind === "directory" ? "" : ` size=${st.size}`;
    const times = withTimes ? ` mtime=${st.mtimeMs}` : "";
    out.set(
      path,
      `${kind} ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid}${size}${times} ${content}`,
    );
    if (kind !== "directory") return;
    for (const e of await fs.readdir(path))
      await walk(path === "/" ? `/${e.name}` : `${path}/${e.name}`);
  };
  await walk("/");
  return out;
}

const names = async (fs: VfsBackend, path: string): Promise<string[]> =>
  (await fs.readdir(path)).map((e) => e.name);

const rejectsWith = (promise: Promise<unknown>, code: string) =>
  assert.rejects(promise, (err: unknown) => isKernelError(err) && err.code === code);

// ---- the shared contract and the model fuzz -------------------------------------------------

describeVfsContract("overlay (MemoryFs upper over an empty MemoryFs lower)", async () => ({
  backend: new OverlayFs({
    upper: new MemoryFs({ maxBytes: 1 << 20, maxInodes: 512 }),
    lowers: [readOnlyView(new MemoryFs())],
  }),
  limits: { maxBytes: 1 << 20, maxInodes: 512 },
}));

describeVfsContract(
  "overlay over two lowers whose content is hidden by an opaque root",
  async () => {
    const bottom = await layer({ "/a/": "", "/a/f": "lower", "/f": "lower", "/d/": "" });
    const middle = await layer({ "/.wh..wh..opq": "" });
    return {
      backend: new OverlayFs({
        upper: new MemoryFs(),
        lowers: [readOnlyView(middle), readOnlyView(bottom)],
      }),
    };
  },
);

describeVfsContract("overlay with a host directory upper over a MemoryFs lower", async () => {
  const dir = nodeFs.mkdtempSync(`${os.tmpdir()}/agentos-overlay-`);
  return {
    backend: new OverlayFs({
      upper: new HostDirFs({ hostPath: dir }),
      lowers: [readOnlyView(new MemoryFs())],
    }),
    cleanup: async () => nodeFs.rmSync(dir, { recursive: true, force: true }),
    skip: { enospc: "the upper is the host disk" },
  };
});

describe("OverlayFs fuzz against the model", () => {
  // Directories merged from several layers report nlink 1 (see overlay-fs.ts), so the
  // fuzz does not compare directory nlink.
  const options = { steps: 600, checkDirNlink: false } as const;

  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}, empty lower`, async () => {
      const fs = new OverlayFs({ upper: new MemoryFs(), lowers: [readOnlyView(new MemoryFs())] });
      await fuzzVfsAgainstModel(fs, { ...options, seed });
    });
  }

  it("in a directory merged with a populated lower", async () => {
    const lower = await layer({ "/work/": "", "/base/": "", "/base/f": "base", "/top": "top" });
    const fs = new OverlayFs({ upper: new MemoryFs(), lowers: [readOnlyView(lower)] });
    await fuzzVfsAgainstModel(fs, { ...options, seed: 11, root: "/work" });
    assert.equal(text(await fs.readFile("/base/f")), "base");
  });

  it("in a directory whose lower entries are whited out by a middle lower", async () => {
    const bottom = await layer({
      "/work/": "",
      "/work/a/": "",
      "/work/a/b": "x",
      "/work/b": "y",
      "/work/c": { link: "a" },
    });
    const middle = await layer({
      "/work/": "",
      "/work/.wh.a": "",
      "/work/.wh.b": "",
      "/work/.wh.c": "",
    });
    const fs = new OverlayFs({
      upper: new MemoryFs(),
      lowers: [readOnlyView(middle), readOnlyView(bottom)],
    });
    await fuzzVfsAgainstModel(fs, { ...options, seed: 12, root: "/work" });
  });

  it("in an opaque upper directory over a populated lower one", async () => {
    const lower = await layer({ "/work/": "", "/work/a/": "", "/work/a/c": "x", "/work/b": "y" });
    const upper = await layer({ "/work/": "", "/work/.wh..wh..opq": "" });
    const fs = new OverlayFs({ upper, lowers: [readOnlyView(lower)] });
    await fuzzVfsAgainstModel(fs, { ...options, seed: 13, root: "/work" });
  });
});

// ---- differential fuzz: copy-up against a MemoryFs holding the same merged tree -------------

const BASE: Spec = {
  "/a/": { mode: 0o750, owner: { uid: 7, gid: 8 } },
  "/a/f1": { data: "lower a/f1", mode: 0o640, owner: { uid: 7, gid: 8 } },
  "/a/sub/": "",
  "/a/sub/deep": "deep data",
  "/a/link": { link: "f1" },
  "/b": "lower b",
  "/c/": { mode: 0o700 },
  "/c/x": "x",
  "/e/": "",
};

/** `lowers[0]` over `lowers[1]`, and the tree they should show merged. */
const STACKED: { top: Spec; bottom: Spec; merged: Spec } = {
  bottom: BASE,
  top: {
    "/a/": "",
    "/a/f1": "shadowing f1",
    "/.wh.b": "",
    "/c/": "",
    "/c/.wh..wh..opq": "",
    "/c/y": "y",
    "/d": "new in top",
  },
  merged: {
    "/a/": "",
    "/a/f1": "shadowing f1",
    "/a/sub/": "",
    "/a/sub/deep": "deep data",
    "/a/link": { link: "f1" },
    "/c/": "",
    "/c/y": "y",
    "/d": "new in top",
    "/e/": "",
  },
};

const FUZZ_NAMES = ["a", "b", "c", "d", "e", "f1", "sub", "deep", "x", "y", "link", "n"];

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    state ^= state >>> 13;
    return (state >>> 0) / 4294967296;
  };
}

type Outcome = string;

async function outcome(fn: () => Promise<unknown>): Promise<Outcome> {
  try {
    const value = await fn();
    if (value instanceof Uint8Array) return `ok ${text(value)}`;
    if (value === undefined) return "ok";
    return `ok ${JSON.stringify(value)}`;
  } catch (err) {
    if (isKernelError(err)) return err.code;
    throw err;
  }
}

const statShape = (st: Stat) => {
  const kind: FileKind = kindOfMode(st.mode);
  return {
    kind,
    mode: st.mode,
    uid: st.uid,
    gid: st.gid,
    size: kind === "directory" ? 0 : st.size,
    nlink: kind === "directory" ? 0 : st.nlink,
  };
};

async function writeAt(
  fs: VfsBackend,
  path: string,
  flags: number,
  data: Uint8Array,
  position: number,
) {
  const file = await fs.open(path, flags, 0o604, OWNER);
  try {
    await file.write(data, 0, data.length, position);
  } finally {
    await file.close();
  }
}

async function differentialFuzz(
  seed: number,
  steps: number,
  lowers: Spec[],
  merged: Spec,
  upper: VfsBackend = new MemoryFs(),
): Promise<void> {
  const lowerFs = await Promise.all(lowers.map(layer));
  const lowerDumps = await Promise.all(lowerFs.map((l) => dump(l, true)));
  const overlay = new OverlayFs({ upper, lowers: lowerFs.map(readOnlyView) });
  const reference = await layer(merged);
  const random = rng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  let tree = await dump(reference);
  let known = [...tree.keys()];
  let dirs = known.filter((p) => tree.get(p)!.startsWith("directory"));
  const history: string[] = [];

  const randomPath = (): string => {
    const depth = 1 + Math.floor(random() * 3);
    let p = "";
    for (let i = 0; i < depth; i++) p += `/${pick(FUZZ_NAMES)}`;
    return p;
  };
  /** Mostly something that exists. */
  const existing = (): string => (random() < 0.75 ? pick(known) : randomPath());
  /** Mostly a name in a directory that exists (new or not). */
  const fresh = (): string => {
    if (random() < 0.25) return randomPath();
    const dir = pick(dirs);
    return `${dir === "/" ? "" : dir}/${pick(FUZZ_NAMES)}`;
  };
  // Creations weigh more than removals, so the tree does not wither.
  const rolls = [0, 0, 0, 1, 1, 1, 2, 3, 4, 5, 5, 6, 7, 7, 8, 9, 10, 11, 12, 13, 13];

  for (let step = 0; step < steps; step++) {
    const roll = pick(rolls);
    const creates = [0, 1, 7, 13].includes(roll);
    const path = creates ? fresh() : existing();
    const other = fresh();
    const data = bytes("w".repeat(Math.floor(random() * 6)) + step);
    let label: string;
    let op: (fs: VfsBackend) => Promise<unknown>;
    switch (roll) {
      case 0:
        label = `mkdir ${path}`;
        op = (fs) => fs.mkdir(path, 0o751, OWNER);
        break;
      case 1: {
        const flags = pick([
          O_WRONLY,
          O_RDWR | O_CREAT,
          O_WRONLY | O_CREAT | O_TRUNC,
          O_WRONLY | O_CREAT | O_EXCL,
        ]);
        const position = pick([0, 0, 3, 20]);
        label = `write ${path} flags=${flags.toString(8)} @${position}`;
        op = (fs) => writeAt(fs, path, flags, data, position);
        break;
      }
      case 2:
        label = `readFile ${path}`;
        op = (fs) => fs.readFile!(path);
        break;
      case 3:
        label = `unlink ${path}`;
        op = (fs) => fs.unlink(path);
        break;
      case 4:
        label = `rmdir ${path}`;
        op = (fs) => fs.rmdir(path);
        break;
      case 5:
        label = `rename ${path} -> ${other}`;
        op = (fs) => fs.rename(path, other);
        break;
      case 6:
        label = `link ${path} -> ${other}`;
        op = (fs) => fs.link(path, other);
        break;
      case 7:
        label = `symlink ${path}`;
        op = (fs) => fs.symlink("t", path, OWNER);
        break;
      case 8: {
        const length = pick([0, 2, 30]);
        label = `truncate ${path} ${length}`;
        op = (fs) => fs.truncate(path, length);
        break;
      }
      case 9:
        // chmod of a symlink itself is unspecified for backends (the namespace follows links;
        // a host directory refuses it like Linux), so it is not compared.
        if (tree.get(path)?.startsWith("symlink")) continue;
        label = `chmod ${path}`;
        op = (fs) => fs.chmod(path, 0o711);
        break;
      case 10:
        label = `chown ${path}`;
        op = (fs) => fs.chown(path, 33, -1);
        break;
      case 11:
        label = `readdir ${path}`;
        op = async (fs) => (await fs.readdir(path)).map((e) => `${e.name}:${e.kind}`).sort();
        break;
      case 12:
        label = `lstat ${path}`;
        op = async (fs) => statShape(await fs.lstat(path));
        break;
      default:
        label = `writeFile ${path}`;
        op = (fs) => fs.writeFile!(path, data, 0o600, OWNER);
    }
    history.push(label);
    const want = await outcome(() => op(reference));
    const got = await outcome(() => op(overlay));
    assert.equal(
      got,
      want,
      `seed ${seed} step ${step}: ${label}\n${history.slice(-30).join("\n")}`,
    );
    if (want === "ok") {
      tree = await dump(reference);
      known = [...tree.keys()];
      dirs = known.filter((p) => tree.get(p)!.startsWith("directory"));
    }
    if (step % 10 === 9 || step === steps - 1) {
      assert.deepEqual(
        await dump(overlay),
        await dump(reference),
        `trees differ after step ${step} (seed ${seed})`,
      );
    }
  }
  for (let i = 0; i < lowerFs.length; i++)
    assert.deepEqual(await dump(lowerFs[i], true), lowerDumps[i]);
}

describe("OverlayFs copy-up against a MemoryFs with the same content", () => {
  // Short runs from many seeds: the early steps, while most of the tree is still lower-only,
  // are where copy-up happens.
  for (let seed = 1; seed <= 8; seed++) {
    it(`one lower, seed ${seed}`, async () => {
      await differentialFuzz(seed, 250, [BASE], BASE);
    });
  }
  for (let seed = 101; seed <= 106; seed++) {
    it(`two lowers with shadowing, whiteouts and an opaque directory, seed ${seed}`, async () => {
      await differentialFuzz(seed, 250, [STACKED.top, STACKED.bottom], STACKED.merged);
    });
  }
  it("with a host directory as the upper", async () => {
    const dir = nodeFs.mkdtempSync(`${os.tmpdir()}/agentos-overlay-`);
    nodeFs.chmodSync(dir, 0o755); // like the reference's root
    try {
      await differentialFuzz(
        201,
        300,
        [STACKED.top, STACKED.bottom],
        STACKED.merged,
        new HostDirFs({ hostPath: dir }),
      );
    } finally {
      nodeFs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---- targeted behaviour ------------------------------------------------------------------

async function overlayOn(
  ...specs: Spec[]
): Promise<{ fs: OverlayFs; upper: MemoryFs; lowers: MemoryFs[] }> {
  const lowers = await Promise.all(specs.map(layer));
  const upper = new MemoryFs();
  return { fs: new OverlayFs({ upper, lowers: lowers.map(readOnlyView) }), upper, lowers };
}

describe("OverlayFs copy-up", () => {
  it("copies a file up with its data, mode, owner and times on chmod", async () => {
    const { fs, upper, lowers } = await overlayOn(BASE);
    const ino = (await fs.lstat("/a/f1")).ino;
    await fs.chmod("/a/f1", 0o600);
    const st = await upper.lstat("/a/f1");
    assert.equal(st.mode & 0o7777, 0o600);
    assert.equal(st.uid, 7);
    assert.equal(st.gid, 8);
    assert.equal(st.mtimeMs, PAST);
    assert.equal(text(await upper.readFile("/a/f1")), "lower a/f1");
    // The parent came up too, with its own attributes, and copying up did not touch its times.
    const parent = await upper.lstat("/a");
    assert.equal(parent.mode & 0o7777, 0o750);
    assert.equal(parent.uid, 7);
    assert.equal(parent.mtimeMs, PAST);
    assert.equal((await fs.lstat("/a/f1")).ino, ino, "copy-up keeps the inode number");
    assert.equal((await lowers[0].lstat("/a/f1")).mode & 0o7777, 0o640);
  });

  it("copies a directory up shallowly", async () => {
    const { fs, upper } = await overlayOn(BASE);
    await fs.utimes("/a", PAST + 1, PAST + 1);
    assert.deepEqual(await names(upper, "/a"), []);
    assert.deepEqual((await names(fs, "/a")).sort(), ["f1", "link", "sub"]);
  });

  it("copies a symlink up as a symlink", async () => {
    const { fs, upper } = await overlayOn(BASE);
    await fs.chown("/a/link", 9, 9);
    assert.equal(await upper.readlink("/a/link"), "f1");
    assert.equal((await fs.lstat("/a/link")).uid, 9);
  });

  it("copies data when opened for writing, and skips it for O_TRUNC", async () => {
    const { fs, upper } = await overlayOn(BASE);
    const file = await fs.open("/b", O_RDWR, 0, OWNER);
    await file.write(bytes("L"), 0, 1, 0);
    await file.close();
    assert.equal(text(await fs.readFile("/b")), "Lower b");
    const trunc = await fs.open("/c/x", O_WRONLY | O_TRUNC, 0, OWNER);
    assert.equal((await trunc.stat()).size, 0);
    await trunc.close();
    assert.equal(text(await upper.readFile("/c/x")), "");
  });

  it("keeps a lower file opened read-only on the lower data (documented)", async () => {
    const { fs } = await overlayOn(BASE);
    const reader = await fs.open("/b", O_RDONLY, 0, OWNER);
    await fs.writeFile("/b", bytes("changed"), 0o644, OWNER);
    const buf = new Uint8Array(7);
    assert.equal(text(buf.subarray(0, await reader.read(buf, 0, 7, 0))), "lower b");
    await reader.close();
    assert.equal(text(await fs.readFile("/b")), "changed");
  });

  it("links to a lower file by copying it up: both names share the upper inode", async () => {
    const { fs } = await overlayOn(BASE);
    await fs.link("/b", "/e/b2");
    const [a, b] = [await fs.lstat("/b"), await fs.lstat("/e/b2")];
    assert.equal(a.ino, b.ino);
    assert.equal(a.nlink, 2);
    await fs.writeFile("/e/b2", bytes("both"), 0o644, OWNER);
    assert.equal(text(await fs.readFile("/b")), "both");
  });

  it("breaks lower hard links on copy-up (documented), giving the copy its own inode number", async () => {
    const lower = await layer({ "/h1": "same" });
    await lower.link("/h1", "/h2");
    const fs = new OverlayFs({ upper: new MemoryFs(), lowers: [readOnlyView(lower)] });
    assert.equal((await fs.lstat("/h1")).ino, (await fs.lstat("/h2")).ino);
    await fs.writeFile("/h1", bytes("changed"), 0o644, OWNER);
    assert.equal(text(await fs.readFile("/h2")), "same");
    assert.notEqual((await fs.lstat("/h1")).ino, (await fs.lstat("/h2")).ino);
  });

  it("renames a lower directory by copying its subtree up", async () => {
    const { fs, upper, lowers } = await overlayOn(BASE);
    await fs.rename("/a", "/moved");
    await rejectsWith(fs.lstat("/a"), "ENOENT");
    assert.equal(text(await fs.readFile("/moved/sub/deep")), "deep data");
    assert.equal(await fs.readlink("/moved/link"), "f1");
    assert.equal((await fs.lstat("/moved")).uid, 7);
    assert.ok((await names(upper, "/")).includes(".wh.a"));
    assert.equal(text(await lowers[0].readFile("/a/sub/deep")), "deep data");
  });

  it("makes a directory renamed over an emptied lower directory opaque", async () => {
    const { fs, upper } = await overlayOn(BASE);
    await fs.unlink("/c/x");
    await fs.mkdir("/fresh", 0o755, OWNER);
    await fs.writeFile("/fresh/new", bytes("n"), 0o644, OWNER);
    await fs.rename("/fresh", "/c");
    assert.deepEqual(await names(fs, "/c"), ["new"]);
    assert.ok((await names(upper, "/c")).includes(".wh..wh..opq"));
  });

  it("serialises concurrent operations", async () => {
    const { fs } = await overlayOn(BASE);
    await Promise.all([
      fs.chmod("/a/f1", 0o600),
      fs.chmod("/a/sub/deep", 0o600),
      fs.writeFile("/a/sub/new", bytes("n"), 0o644, OWNER),
      fs.unlink("/a/link"),
      fs.rename("/b", "/a/b"),
      fs.lstat("/a/f1"),
    ]);
    assert.deepEqual((await names(fs, "/a")).sort(), ["b", "f1", "sub"]);
    assert.deepEqual((await names(fs, "/a/sub")).sort(), ["deep", "new"]);
  });
});

describe("OverlayFs whiteouts and opaque directories", () => {
  it("deletes a lower file with a whiteout the user never sees", async () => {
    const { fs, upper, lowers } = await overlayOn(BASE);
    await fs.unlink("/b");
    await rejectsWith(fs.lstat("/b"), "ENOENT");
    assert.ok(!(await names(fs, "/")).includes("b"));
    assert.ok((await names(upper, "/")).includes(".wh.b"));
    assert.equal(text(await lowers[0].readFile("/b")), "lower b");
    await rejectsWith(fs.lstat("/.wh.b"), "ENOENT");
    // Creating the name again replaces the whiteout.
    await fs.writeFile("/b", bytes("again"), 0o644, OWNER);
    assert.equal(text(await fs.readFile("/b")), "again");
    assert.ok(!(await names(upper, "/")).includes(".wh.b"));
  });

  it("checks emptiness across layers before rmdir, then whites the directory out", async () => {
    const { fs, upper } = await overlayOn(BASE);
    await fs.mkdir("/e/up", 0o755, OWNER);
    await rejectsWith(fs.rmdir("/a"), "ENOTEMPTY");
    await rejectsWith(fs.rmdir("/e"), "ENOTEMPTY");
    await fs.rmdir("/e/up");
    await fs.rmdir("/e");
    await rejectsWith(fs.lstat("/e"), "ENOENT");
    assert.ok((await names(upper, "/")).includes(".wh.e"));
    await fs.unlink("/c/x");
    await fs.rmdir("/c");
    assert.ok(!(await names(fs, "/")).includes("c"));
  });

  it("makes a directory created over a deleted lower one opaque", async () => {
    const { fs, upper } = await overlayOn(BASE);
    await fs.unlink("/c/x");
    await fs.rmdir("/c");
    await fs.mkdir("/c", 0o755, OWNER);
    assert.deepEqual(await names(fs, "/c"), []);
    assert.deepEqual((await names(upper, "/c")).sort(), [".wh..wh..opq"]);
    await rejectsWith(fs.lstat("/c/x"), "ENOENT");
    // And it can be removed again although the upper holds a marker in it.
    await fs.rmdir("/c");
    await rejectsWith(fs.lstat("/c"), "ENOENT");
  });

  it("does not write whiteouts for names that only the upper has", async () => {
    const { fs, upper } = await overlayOn(BASE);
    await fs.writeFile("/only-up", bytes("x"), 0o644, OWNER);
    await fs.unlink("/only-up");
    assert.ok(!(await names(upper, "/")).some((n) => n.startsWith(".wh.")));
  });

  it("reserves every name starting with .wh.", async () => {
    const { fs } = await overlayOn(BASE);
    await rejectsWith(fs.mkdir("/.wh.x", 0o755, OWNER), "EINVAL");
    await rejectsWith(fs.writeFile("/.wh.x", bytes("x"), 0o644, OWNER), "EINVAL");
    await rejectsWith(fs.open("/a/.wh.x", O_WRONLY | O_CREAT, 0o644, OWNER), "EINVAL");
    await rejectsWith(fs.symlink("t", "/.wh.x", OWNER), "EINVAL");
    await rejectsWith(fs.link("/b", "/.wh.x"), "EINVAL");
    await rejectsWith(fs.rename("/b", "/.wh..wh..opq"), "EINVAL");
    await rejectsWith(fs.lstat("/.wh..wh..opq"), "ENOENT");
    await rejectsWith(fs.lstat("/.wh.x/y"), "ENOENT");
    await fs.unlink("/b");
    await rejectsWith(fs.unlink("/.wh.b"), "ENOENT");
    await rejectsWith(fs.readFile("/.wh.b"), "ENOENT");
  });
});

describe("OverlayFs with several lowers", () => {
  it("takes each name from the topmost layer and merges directories", async () => {
    const { fs } = await overlayOn(STACKED.top, STACKED.bottom);
    assert.equal(text(await fs.readFile("/a/f1")), "shadowing f1");
    assert.equal(text(await fs.readFile("/a/sub/deep")), "deep data");
    await rejectsWith(fs.lstat("/b"), "ENOENT");
    assert.deepEqual(await names(fs, "/c"), ["y"]);
    await rejectsWith(fs.lstat("/c/x"), "ENOENT");
    assert.deepEqual((await names(fs, "/")).sort(), ["a", "c", "d", "e"]);
  });

  it("lists upper entries first, then each lower's new names", async () => {
    const { fs } = await overlayOn(
      { "/d/": "", "/d/m": "1", "/d/z": "1" },
      { "/d/": "", "/d/a": "2", "/d/m": "2" },
    );
    await fs.writeFile("/d/u", bytes("0"), 0o644, OWNER);
    assert.deepEqual(await names(fs, "/d"), ["u", "m", "z", "a"]);
    assert.equal(text(await fs.readFile("/d/m")), "1");
  });

  it("lets a non-directory hide a directory below it, and a directory hide a file", async () => {
    const { fs } = await overlayOn(
      { "/x": "file on top", "/y/": "" },
      { "/x/": "", "/x/in": "hidden", "/y": "hidden file" },
    );
    assert.equal(kindOfMode((await fs.lstat("/x")).mode), "file");
    await rejectsWith(fs.lstat("/x/in"), "ENOTDIR");
    assert.equal(kindOfMode((await fs.lstat("/y")).mode), "directory");
    assert.deepEqual(await names(fs, "/y"), []);
  });

  it("skips a layer that lacks a directory and merges the ones below", async () => {
    const { fs } = await overlayOn(
      { "/d/": "", "/d/top": "t" },
      { "/other": "o" },
      { "/d/": "", "/d/bottom": "b" },
    );
    assert.deepEqual((await names(fs, "/d")).sort(), ["bottom", "top"]);
  });

  it("reports nlink 1 for directories merged from several layers", async () => {
    const { fs } = await overlayOn(BASE);
    await fs.mkdir("/a/new", 0o755, OWNER);
    assert.equal((await fs.lstat("/a")).nlink, 1);
    assert.equal((await fs.lstat("/e")).nlink, 2);
  });

  it("keeps inode numbers distinct across layers and stable per object", async () => {
    const { fs } = await overlayOn(STACKED.top, STACKED.bottom);
    const paths = [
      "/",
      "/a",
      "/a/f1",
      "/a/sub",
      "/a/sub/deep",
      "/a/link",
      "/c",
      "/c/y",
      "/d",
      "/e",
    ];
    const inos = await Promise.all(paths.map(async (p) => (await fs.lstat(p)).ino));
    assert.equal(new Set(inos).size, paths.length);
    await fs.chmod("/a/sub/deep", 0o600);
    assert.equal((await fs.lstat("/a/sub/deep")).ino, inos[4]);
    await fs.rename("/a/sub/deep", "/e/deep");
    assert.equal((await fs.lstat("/e/deep")).ino, inos[4]);
  });

  it("reports usage of the upper and disposes only the upper", async () => {
    let disposed = "";
    const upper = new MemoryFs();
    const lower = new MemoryFs();
    const fs = new OverlayFs({
      upper: Object.assign(upper, { dispose: () => void (disposed += "upper") }),
      lowers: [Object.assign(lower, { dispose: () => void (disposed += "lower") })],
    });
    await fs.writeFile("/f", new Uint8Array(100), 0o644, OWNER);
    assert.equal(fs.usage().usedBytes, upper.usage().usedBytes);
    await fs.dispose();
    assert.equal(disposed, "upper");
  });

  it("refuses EXCL creation over a lower file", async () => {
    const { fs } = await overlayOn(BASE);
    await rejectsWith(fs.open("/b", O_WRONLY | O_CREAT | O_EXCL, 0o644, OWNER), "EEXIST");
  });
});
