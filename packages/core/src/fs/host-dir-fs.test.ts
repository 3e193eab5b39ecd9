import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as nodeFs from "node:fs";
import * as os from "node:os";
import { after, before, describe, it } from "node:test";
import { isKernelError } from "./errors.ts";
import { HostDirFs } from "./host-dir-fs.ts";
import {
  O_CREAT,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  type Owner,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
} from "./types.ts";
import { describeVfsContract } from "./vfs-contract.ts";
import { fuzzVfsAgainstModel } from "./vfs-fuzz.ts";

const OWNER: Owner = { uid: 1000, gid: 1000 };
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (data: Uint8Array): string => new TextDecoder().decode(data);
const tempDir = (): string => nodeFs.mkdtempSync(`${os.tmpdir()}/agentos-hostdir-`);
const removeDir = (dir: string): void => nodeFs.rmSync(dir, { recursive: true, force: true });

describeVfsContract("host directory", async () => {
  const dir = tempDir();
  return {
    backend: new HostDirFs({ hostPath: dir }),
    cleanup: async () => removeDir(dir),
    skip: { enospc: "filling the host disk is not a test anyone wants" },
  };
});

describe("HostDirFs fuzz against the model", () => {
  for (const seed of [1, 2, 3, 99]) {
    it(`seed ${seed}`, async () => {
      const dir = tempDir();
      try {
        await fuzzVfsAgainstModel(new HostDirFs({ hostPath: dir }), { seed, steps: 600 });
      } finally {
        removeDir(dir);
      }
    });
  }
});

describe("HostDirFs construction", () => {
  it("refuses a host directory that does not exist, with a clear message", () => {
    assert.throws(
      () => new HostDirFs({ hostPath: "/definitely/not/here" }),
      /HostDirFs: host directory \/definitely\/not\/here does not exist/,
    );
  });

  it("refuses a host path that is a file", () => {
    const dir = tempDir();
    try {
      nodeFs.writeFileSync(`${dir}/f`, "x");
      assert.throws(() => new HostDirFs({ hostPath: `${dir}/f` }), /is not a directory/);
    } finally {
      removeDir(dir);
    }
  });

  it("accepts a host path that is itself a symlink to a directory", async () => {
    const dir = tempDir();
    try {
      nodeFs.mkdirSync(`${dir}/real`);
      nodeFs.writeFileSync(`${dir}/real/f`, "through the link");
      nodeFs.symlinkSync(`${dir}/real`, `${dir}/link`);
      const fs = new HostDirFs({ hostPath: `${dir}/link` });
      assert.equal(text(await fs.readFile("/f")), "through the link");
    } finally {
      removeDir(dir);
    }
  });
});

/**
 * A host layout with ways out: `outside/` holds the secrets and `outside/mnt` is mounted.
 * Mutations aim at our own `outside` files (so a bug cannot damage the host); reads also aim
 * at /etc.
 */
describe("HostDirFs containment", () => {
  let outside: string;
  let mnt: string;
  let fs: HostDirFs;
  const errors: unknown[] = [];

  const secretStat = () => {
    const st = nodeFs.lstatSync(`${outside}/secret.txt`);
    return {
      content: nodeFs.readFileSync(`${outside}/secret.txt`, "utf8"),
      mode: st.mode,
      uid: st.uid,
      mtime: st.mtimeMs,
    };
  };
  const outsideNames = () => nodeFs.readdirSync(outside).sort();
  const secretDirNames = () => nodeFs.readdirSync(`${outside}/secretdir`).sort();

  /** The call must fail with a KernelError (any code); the error is kept for the message check. */
  const fails = async (promise: Promise<unknown>, code?: string): Promise<void> => {
    await assert.rejects(promise, (err: unknown) => {
      assert.ok(isKernelError(err), `not a KernelError: ${String(err)}`);
      if (code !== undefined) assert.equal(err.code, code, err.message);
      errors.push(err);
      return true;
    });
  };

  before(() => {
    outside = tempDir();
    mnt = `${outside}/mnt`;
    nodeFs.mkdirSync(mnt);
    nodeFs.writeFileSync(`${outside}/secret.txt`, "TOP SECRET");
    nodeFs.chmodSync(`${outside}/secret.txt`, 0o600);
    nodeFs.mkdirSync(`${outside}/secretdir`);
    nodeFs.writeFileSync(`${outside}/secretdir/key`, "KEY");
    nodeFs.mkdirSync(`${mnt}/inside`);
    nodeFs.writeFileSync(`${mnt}/inside/ok.txt`, "fine");
    nodeFs.symlinkSync("/etc", `${mnt}/evil`);
    nodeFs.symlinkSync("../..", `${mnt}/up`);
    nodeFs.symlinkSync("/etc/passwd", `${mnt}/abs`);
    nodeFs.symlinkSync(`${outside}/secretdir`, `${mnt}/evildir`);
    nodeFs.symlinkSync(`${outside}/secret.txt`, `${mnt}/absfile`);
    nodeFs.symlinkSync("../secret.txt", `${mnt}/relfile`);
    nodeFs.symlinkSync("..", `${mnt}/parent`);
    nodeFs.symlinkSync("../../..", `${mnt}/inside/deepup`);
    fs = new HostDirFs({ hostPath: mnt });
  });

  after(() => removeDir(outside));

  it("keeps '..' inside the mount root", async () => {
    await fails(fs.lstat("/../../etc/passwd"), "ENOENT");
    await fails(fs.readFile("/../../etc/passwd"), "ENOENT");
    await fails(fs.readFile("/../secret.txt"), "ENOENT");
    await fails(fs.readdir("/../secretdir"), "ENOENT");
    assert.deepEqual(
      (await fs.readdir("/..")).map((e) => e.name).sort(),
      nodeFs.readdirSync(mnt).sort(),
    );
    assert.equal(text(await fs.readFile("/inside/../inside/ok.txt")), "fine");
  });

  it("reports symlinks as symlinks and their targets verbatim, never following them", async () => {
    for (const name of ["evil", "up", "abs", "evildir", "absfile", "relfile", "parent"]) {
      const st = await fs.lstat(`/${name}`);
      assert.equal(st.mode & S_IFMT, S_IFLNK, name);
    }
    assert.equal(await fs.readlink("/evil"), "/etc");
    assert.equal(await fs.readlink("/up"), "../..");
    const kinds = Object.fromEntries((await fs.readdir("/")).map((e) => [e.name, e.kind]));
    assert.equal(kinds.evil, "symlink");
    assert.equal(kinds.inside, "directory");
  });

  it("refuses to read through symlinks, as intermediate or final components", async () => {
    await fails(fs.lstat("/evil/passwd"), "ENOTDIR");
    await fails(fs.readFile("/evil/passwd"), "ENOTDIR");
    await fails(fs.open("/evil/passwd", O_RDONLY, 0, OWNER), "ENOTDIR");
    await fails(fs.readdir("/evil"), "ENOTDIR");
    await fails(fs.readdir("/up"), "ENOTDIR");
    await fails(fs.readdir("/up/secretdir"), "ENOTDIR");
    await fails(fs.readdir("/parent"), "ENOTDIR");
    await fails(fs.readFile("/up/secret.txt"), "ENOTDIR");
    await fails(fs.readFile("/up/etc/passwd"), "ENOTDIR");
    await fails(fs.readFile("/inside/deepup/etc/passwd"), "ENOTDIR");
    await fails(fs.readFile("/evildir/key"), "ENOTDIR");
    await fails(fs.readlink("/up/mnt/evil"), "ENOTDIR");
    await fails(fs.readFile("/abs"), "ELOOP");
    await fails(fs.readFile("/absfile"), "ELOOP");
    await fails(fs.readFile("/relfile"), "ELOOP");
    await fails(fs.open("/abs", O_RDONLY, 0, OWNER), "ELOOP");
    await fails(fs.open("/relfile", O_RDONLY, 0, OWNER), "ELOOP");
  });

  it("refuses every mutation that would land outside", async () => {
    const before = { secret: secretStat(), names: outsideNames(), dir: secretDirNames() };
    const passwd = nodeFs.lstatSync("/etc/passwd");
    // Final component is a symlink to an outside file.
    for (const path of ["/absfile", "/relfile"]) {
      await fails(fs.open(path, O_WRONLY | O_TRUNC, 0, OWNER), "ELOOP");
      await fails(fs.open(path, O_RDWR | O_CREAT, 0o644, OWNER), "ELOOP");
      await fails(fs.writeFile(path, bytes("pwned"), 0o644, OWNER), "ELOOP");
      await fails(fs.truncate(path, 0), "EINVAL");
      await fails(fs.chmod(path, 0o777), "ENOTSUP");
      // These act on the link itself (lchown/lutimes), which is inside.
      await fs.chown(path, 4242, 4242);
      await fs.utimes(path, 1000, 1000);
    }
    await fails(fs.chmod("/abs", 0o777), "ENOTSUP");
    await fails(fs.truncate("/abs", 0), "EINVAL");
    // Intermediate components that climb out.
    for (const dir of ["/evildir", "/up", "/parent", "/up/secretdir", "/inside/deepup"]) {
      await fails(fs.mkdir(`${dir}/x`, 0o755, OWNER));
      await fails(fs.writeFile(`${dir}/x`, bytes("pwned"), 0o644, OWNER));
      await fails(fs.open(`${dir}/x`, O_WRONLY | O_CREAT, 0o644, OWNER));
      await fails(fs.symlink("/", `${dir}/x`, OWNER));
      await fails(fs.unlink(`${dir}/key`));
      await fails(fs.unlink(`${dir}/secret.txt`));
      await fails(fs.rmdir(`${dir}/secretdir`));
      await fails(fs.chmod(`${dir}/key`, 0o777));
      await fails(fs.chown(`${dir}/key`, 1, 1));
      await fails(fs.utimes(`${dir}/key`, 0, 0));
      await fails(fs.truncate(`${dir}/key`, 0));
      await fails(fs.rename("/inside/ok.txt", `${dir}/stolen`));
      await fails(fs.rename(`${dir}/key`, "/inside/key"));
      await fails(fs.rename(`${dir}/secret.txt`, "/inside/secret"));
      await fails(fs.link("/inside/ok.txt", `${dir}/x`));
      await fails(fs.link(`${dir}/key`, "/inside/key"));
      await fails(fs.link(`${dir}/secret.txt`, "/inside/secret"));
    }
    // Renaming or removing the links themselves only touches the mount.
    await fs.rename("/evildir", "/renamed");
    await fs.unlink("/renamed");
    assert.deepEqual(outsideNames(), before.names);
    assert.deepEqual(secretDirNames(), before.dir);
    assert.deepEqual(secretStat(), before.secret);
    const passwdAfter = nodeFs.lstatSync("/etc/passwd");
    assert.equal(passwdAfter.mode, passwd.mode);
    assert.equal(passwdAfter.mtimeMs, passwd.mtimeMs);
    assert.equal(passwdAfter.uid, passwd.uid);
  });

  it("does not follow a symlink swapped in for a directory between calls", async () => {
    await fs.mkdir("/swap", 0o755, OWNER);
    await fs.writeFile("/swap/f", bytes("mine"), 0o644, OWNER);
    const file = await fs.open("/swap/f", O_RDWR, 0, OWNER);
    // A host-side swap: the directory becomes a link to the outside.
    nodeFs.renameSync(`${mnt}/swap`, `${mnt}/swapped-away`);
    nodeFs.symlinkSync(`${outside}/secretdir`, `${mnt}/swap`);
    await fails(fs.readFile("/swap/key"), "ENOTDIR");
    await fails(fs.writeFile("/swap/key", bytes("pwned"), 0o644, OWNER), "ENOTDIR");
    // The open descriptor still names the original inode.
    await file.write(bytes("MINE"), 0, 4, 0);
    await file.close();
    assert.equal(nodeFs.readFileSync(`${mnt}/swapped-away/f`, "utf8"), "MINE");
    assert.equal(nodeFs.readFileSync(`${outside}/secretdir/key`, "utf8"), "KEY");
  });

  it("refuses FIFOs and devices instead of blocking on them", async (t) => {
    try {
      execFileSync("mkfifo", [`${mnt}/fifo`]);
    } catch {
      t.skip("mkfifo is not available");
      return;
    }
    assert.equal((await fs.lstat("/fifo")).mode & S_IFMT, S_IFIFO);
    await fails(fs.open("/fifo", O_RDONLY, 0, OWNER), "ENXIO");
    await fails(fs.open("/fifo", O_WRONLY, 0, OWNER), "ENXIO");
    await fails(fs.readFile("/fifo"), "ENXIO");
    await fails(fs.writeFile("/fifo", bytes("x"), 0o644, OWNER), "ENXIO");
    await fails(fs.truncate("/fifo", 0), "EINVAL");
  });

  it("refuses NUL bytes and relative paths", async () => {
    await fails(fs.lstat("/inside\0/../../etc"), "EINVAL");
    await fails(fs.readFile("inside/ok.txt"), "EINVAL");
  });

  it("never shows the host path in an error message", () => {
    assert.ok(errors.length > 50, `only ${errors.length} errors collected`);
    for (const err of errors) {
      const message = (err as Error).message;
      assert.ok(!message.includes(outside), `host path leaked: ${message}`);
      assert.ok(!message.includes(os.tmpdir() + "/"), `host path leaked: ${message}`);
    }
  });
});

describe("HostDirFs read-only", () => {
  let dir: string;
  let fs: HostDirFs;

  before(() => {
    dir = tempDir();
    nodeFs.mkdirSync(`${dir}/d`);
    nodeFs.writeFileSync(`${dir}/f`, "keep");
    nodeFs.symlinkSync("f", `${dir}/l`);
    fs = new HostDirFs({ hostPath: dir, readOnly: true });
  });

  after(() => removeDir(dir));

  it("reads normally", async () => {
    assert.equal(text(await fs.readFile("/f")), "keep");
    const file = await fs.open("/f", O_RDONLY, 0, OWNER);
    const buf = new Uint8Array(4);
    assert.equal(await file.read(buf, 0, 4, 0), 4);
    await file.close();
    assert.deepEqual(
      (await fs.readdir("/")).map((e) => e.name),
      ["d", "f", "l"],
    );
    assert.equal(await fs.readlink("/l"), "f");
  });

  it("fails every mutating call with EROFS, whether or not the target exists", async () => {
    const calls: [string, () => Promise<unknown>][] = [
      ["mkdir", () => fs.mkdir("/new", 0o755, OWNER)],
      ["mkdir existing", () => fs.mkdir("/d", 0o755, OWNER)],
      ["rmdir", () => fs.rmdir("/d")],
      ["unlink", () => fs.unlink("/f")],
      ["unlink missing", () => fs.unlink("/missing")],
      ["rename", () => fs.rename("/f", "/g")],
      ["link", () => fs.link("/f", "/g")],
      ["symlink", () => fs.symlink("f", "/m", OWNER)],
      ["chmod", () => fs.chmod("/f", 0o777)],
      ["chown", () => fs.chown("/f", 1, 1)],
      ["utimes", () => fs.utimes("/f", 0, 0)],
      ["truncate", () => fs.truncate("/f", 0)],
      ["open O_WRONLY", () => fs.open("/f", O_WRONLY, 0, OWNER)],
      ["open O_RDWR", () => fs.open("/f", O_RDWR, 0, OWNER)],
      ["open O_CREAT", () => fs.open("/new", O_RDONLY | O_CREAT, 0o644, OWNER)],
      ["open O_TRUNC", () => fs.open("/f", O_RDONLY | O_TRUNC, 0, OWNER)],
      ["writeFile", () => fs.writeFile("/f", bytes("x"), 0o644, OWNER)],
      ["writeFile new", () => fs.writeFile("/new", bytes("x"), 0o644, OWNER)],
    ];
    for (const [label, call] of calls) {
      await assert.rejects(call(), (err: unknown) => isKernelError(err, "EROFS"), label);
    }
    assert.deepEqual(nodeFs.readdirSync(dir).sort(), ["d", "f", "l"]);
    assert.equal(nodeFs.readFileSync(`${dir}/f`, "utf8"), "keep");
  });
});

describe("HostDirFs details", () => {
  let dir: string;
  let fs: HostDirFs;

  before(() => {
    dir = tempDir();
    fs = new HostDirFs({ hostPath: dir });
  });

  after(() => removeDir(dir));

  it("sets exact modes despite the host umask", async () => {
    await fs.mkdir("/d", 0o777, OWNER);
    await fs.writeFile("/f", bytes("x"), 0o666, OWNER);
    assert.equal(nodeFs.statSync(`${dir}/d`).mode & 0o7777, 0o777);
    assert.equal(nodeFs.statSync(`${dir}/f`).mode & 0o7777, 0o666);
  });

  it("strips setuid and setgid from regular files unless allowed", async () => {
    await fs.writeFile("/suid", bytes("#!/bin/sh"), 0o4755, { uid: 0, gid: 0 });
    assert.equal(nodeFs.statSync(`${dir}/suid`).mode & 0o7777, 0o755);
    await fs.chmod("/suid", 0o6755);
    assert.equal(nodeFs.statSync(`${dir}/suid`).mode & 0o7777, 0o755);
    await fs.mkdir("/sgid", 0o2775, OWNER);
    assert.equal(nodeFs.statSync(`${dir}/sgid`).mode & 0o7777, 0o2775);
    const lax = new HostDirFs({ hostPath: dir, allowSetuid: true });
    await lax.chmod("/suid", 0o4755);
    assert.equal(nodeFs.statSync(`${dir}/suid`).mode & 0o7777, 0o4755);
  });

  it("gives new files the creating owner", async (t) => {
    if (process.getuid?.() !== 0) {
      t.skip("needs root to chown");
      return;
    }
    await fs.writeFile("/owned", bytes("x"), 0o644, { uid: 1234, gid: 4321 });
    const st = nodeFs.statSync(`${dir}/owned`);
    assert.equal(st.uid, 1234);
    assert.equal(st.gid, 4321);
  });

  it("closes open descriptors on dispose", async () => {
    await fs.writeFile("/open", bytes("x"), 0o644, OWNER);
    const file = await fs.open("/open", O_RDONLY, 0, OWNER);
    fs.dispose();
    await assert.rejects(file.read(new Uint8Array(1), 0, 1, 0), (err: unknown) =>
      isKernelError(err, "EBADF"),
    );
    await file.close();
  });

  it("reports usage of the directory tree, not of the whole host disk", async () => {
    const sub = tempDir();
    try {
      const small = new HostDirFs({ hostPath: sub });
      const empty = small.usage();
      assert.equal(empty.usedBytes, 0);
      assert.equal(empty.usedInodes, 1);
      await small.writeFile("/f", new Uint8Array(1000), 0o644, OWNER);
      const after = small.usage();
      assert.equal(after.usedBytes, 1000);
      assert.equal(after.usedInodes, 2);
      assert.ok(after.totalBytes >= after.usedBytes);
    } finally {
      removeDir(sub);
    }
  });
});
