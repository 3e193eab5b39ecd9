import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { AgentOs } from "../vm/agent-os.ts";
import { packTar, type TarEntry } from "./lib/archive-tar.ts";
import { hostHas, runArgv, runBoth, runInVm, VM_WORKDIR } from "./testing.ts";

const noTar = hostHas("tar") ? false : "host has no tar";
const MTIME = 1_700_000_000;

/** An archive made by host GNU tar from a small tree with fixed times (sorted names). */
function hostArchive(args: string[] = ["-cf", "-"], extra: string[] = []): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "agentos-tar-"));
  try {
    mkdirSync(join(dir, "d/e"), { recursive: true });
    writeFileSync(join(dir, "d/a.txt"), "hello\n");
    writeFileSync(join(dir, "d/e/b.txt"), "bee\n");
    writeFileSync(join(dir, "d/run.sh"), "#!/bin/sh\n", { mode: 0o755 });
    symlinkSync("a.txt", join(dir, "d/link"));
    writeFileSync(join(dir, "d", "x".repeat(120)), "long\n");
    for (const p of ["d/a.txt", "d/e/b.txt", "d/run.sh", `d/${"x".repeat(120)}`, "d/e", "d"]) {
      utimesSync(join(dir, p), MTIME, MTIME);
    }
    const r = spawnSync(
      "tar",
      [...args, "--sort=name", "--owner=user:1000", "--group=user:1000", ...extra, "d"],
      { cwd: dir },
    );
    return new Uint8Array(r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("tar lists host-made archives like GNU tar", { skip: noTar }, async () => {
  const files = {
    "x.tar": hostArchive(),
    "x.tgz": hostArchive(["-czf", "-"]),
    "p.tar": hostArchive(["--format=posix", "-cf", "-"]),
  };
  const cases: string[][] = [
    ["tar", "tf", "x.tar"],
    ["tar", "-tvf", "x.tar"],
    ["tar", "--list", "--verbose", "--file=x.tar"],
    ["tar", "tzf", "x.tgz"],
    ["tar", "tvf", "x.tgz"],
    ["tar", "-tf", "p.tar"],
    ["tar", "-tf", "x.tar", "d/e"],
    ["tar", "-tf", "x.tar", "d/nothere"],
    ["tar", "-tf", "x.tar", "--exclude=*.txt"],
    ["tar", "-tf", "x.tar", "--exclude", "e"],
    ["tar", "-xOf", "x.tar", "d/a.txt"],
    ["tar", "xOf", "x.tgz", "d/e/b.txt", "d/a.txt"],
    ["tar", "-xvf", "x.tar"],
    ["tar", "-xvf", "x.tar", "--strip-components=1"],
    ["tar", "-xzf", "x.tar"],
    ["tar", "-tf", "missing.tar"],
    ["tar", "-tf", "junk.tar"],
  ];
  for (const argv of cases) {
    const { vm, host } = await runBoth(argv, { files: { ...files, "junk.tar": "junk\n" } });
    assert.deepEqual(vm, host, argv.join(" "));
  }
});

test("tar usage errors (differential)", { skip: noTar }, async () => {
  const cases: string[][] = [
    ["tar"],
    ["tar", "cf"],
    ["tar", "cf", "z.tar"],
    ["tar", "--bogus"],
    ["tar", "-q"],
    ["tar", "cf", "y.tar", "missing"],
    ["tar", "-ctf", "y.tar", "a"],
  ];
  for (const argv of cases) {
    const { vm, host } = await runBoth(argv, { files: { a: "a" } });
    assert.deepEqual(vm, host, argv.join(" "));
  }
});

/** A VM with the host archive's tree extracted by our tar; returns it for inspection. */
async function withVm(fn: (vm: AgentOs) => Promise<void>): Promise<void> {
  const vm = await AgentOs.create({ env: { LC_ALL: "C", TZ: "UTC" } });
  try {
    await vm.mkdir(VM_WORKDIR, { recursive: true });
    await fn(vm);
  } finally {
    await vm.dispose();
  }
}

test("tar -x of a host archive restores contents, modes, symlinks, mtimes", {
  skip: noTar,
}, async () => {
  await withVm(async (vm) => {
    await vm.writeFile(`${VM_WORKDIR}/x.tgz`, hostArchive(["-czf", "-"]));
    await vm.mkdir(`${VM_WORKDIR}/out`);
    const r = await runArgv(vm, ["tar", "-xzf", "x.tgz", "-C", "out"], { cwd: VM_WORKDIR });
    assert.deepEqual(r, { stdout: "", stderr: "", exitCode: 0 });
    const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
    assert.equal(dec(await vm.readFile(`${VM_WORKDIR}/out/d/a.txt`)), "hello\n");
    assert.equal(dec(await vm.readFile(`${VM_WORKDIR}/out/d/e/b.txt`)), "bee\n");
    assert.equal(dec(await vm.readFile(`${VM_WORKDIR}/out/d/${"x".repeat(120)}`)), "long\n");
    const run = await vm.stat(`${VM_WORKDIR}/out/d/run.sh`);
    assert.equal(run.mode & 0o777, 0o755);
    assert.equal(Math.floor(run.mtimeMs / 1000), MTIME);
    const dir = await vm.stat(`${VM_WORKDIR}/out/d/e`);
    assert.equal(Math.floor(dir.mtimeMs / 1000), MTIME);
    assert.equal(
      await vm.kernel.fs.readlink({ uid: 0, gid: 0, pid: 1 }, `${VM_WORKDIR}/out/d/link`),
      "a.txt",
    );
  });
});

test("tar -c in the VM: host tar lists and extracts it", { skip: noTar }, async () => {
  await withVm(async (vm) => {
    await vm.mkdir(`${VM_WORKDIR}/src/sub`, { recursive: true });
    await vm.writeFile(`${VM_WORKDIR}/src/f.txt`, "one\n");
    await vm.writeFile(`${VM_WORKDIR}/src/sub/g.txt`, "two\n");
    await vm.writeFile(`${VM_WORKDIR}/src/${"y".repeat(150)}`, "long\n");
    await vm.kernel.fs.symlink({ uid: 1000, gid: 1000, pid: 1 }, "f.txt", `${VM_WORKDIR}/src/ln`);
    for (const [argv, name, z] of [
      [["tar", "cf", "out.tar", "src"], "out.tar", false],
      [["tar", "-czf", "out.tgz", "src"], "out.tgz", true],
      [["tar", "-caf", "auto.tar.gz", "src"], "auto.tar.gz", true],
    ] as [string[], string, boolean][]) {
      const r = await runArgv(vm, argv, { cwd: VM_WORKDIR });
      assert.deepEqual(r, { stdout: "", stderr: "", exitCode: 0 });
      const bytes = await vm.readFile(`${VM_WORKDIR}/${name}`);
      const listing = spawnSync("tar", [z ? "-tzvf" : "-tvf", "-"], {
        input: Buffer.from(bytes),
        env: { TZ: "UTC", LC_ALL: "C" },
      });
      assert.equal(listing.status, 0, listing.stderr.toString());
      const vmListing = await runArgv(vm, ["tar", "-tvf", name], { cwd: VM_WORKDIR });
      // Same entries, same long listing (user names, modes, sizes, times) as host tar prints.
      assert.equal(vmListing.stdout, listing.stdout.toString());
      const names = spawnSync("tar", ["-xO", z ? "-zf" : "-f", "-", "src/sub/g.txt"], {
        input: Buffer.from(bytes),
      });
      assert.equal(names.stdout.toString(), "two\n");
    }
  });
});

test("tar -cv prints names; to stdout the list goes to stderr", async () => {
  const files = { "d/a": "a", "d/b": "b" };
  const r = await runInVm(["tar", "cvf", "x.tar", "d"], { files });
  assert.deepEqual(r, { stdout: "d/\nd/a\nd/b\n", stderr: "", exitCode: 0 });
  const s = await runInVm(["tar", "-cvf", "-", "d/a"], { files });
  assert.equal(s.stderr, "d/a\n");
  assert.equal(s.exitCode, 0);
  const abs = await runInVm(["tar", "-cf", "x.tar", "/home/user/work/d/a"], { files });
  assert.equal(abs.stderr, "tar: Removing leading `/' from member names\n");
  const ex = await runInVm(["tar", "-cvf", "x.tar", "--exclude=b", "d"], { files });
  assert.equal(ex.stdout, "d/\nd/a\n");
});

test("tar -k keeps existing files; -p and umask", async () => {
  await withVm(async (vm) => {
    await vm.mkdir(`${VM_WORKDIR}/d`);
    await vm.writeFile(`${VM_WORKDIR}/d/a`, "new");
    let r = await runArgv(vm, ["tar", "cf", "x.tar", "d"], { cwd: VM_WORKDIR });
    assert.equal(r.exitCode, 0);
    await vm.writeFile(`${VM_WORKDIR}/d/a`, "old");
    r = await runArgv(vm, ["tar", "xkf", "x.tar"], { cwd: VM_WORKDIR });
    assert.equal(r.exitCode, 2);
    assert.equal(
      r.stderr,
      "tar: d/a: Cannot open: File exists\ntar: Exiting with failure status due to previous errors\n",
    );
    assert.equal(new TextDecoder().decode(await vm.readFile(`${VM_WORKDIR}/d/a`)), "old");
    r = await runArgv(vm, ["tar", "xf", "x.tar"], { cwd: VM_WORKDIR });
    assert.equal(r.exitCode, 0);
    assert.equal(new TextDecoder().decode(await vm.readFile(`${VM_WORKDIR}/d/a`)), "new");
  });
});

// ---- extraction safety (GNU safer_name_suffix, contains_dot_dot, delayed symlinks) ----------

/** An archive with exactly these members (names kept as given, '..' and '/' included). */
async function rawArchive(members: Partial<TarEntry>[]): Promise<Uint8Array> {
  return packTar(
    members.map((m) => {
      const data = m.data ?? new Uint8Array(0);
      return {
        name: "x",
        type: "file",
        mode: m.type === "symlink" || m.type === "link" ? 0o777 : 0o644,
        uid: 0,
        gid: 0,
        uname: "root",
        gname: "root",
        size: data.length,
        mtime: MTIME,
        linkname: "",
        ...m,
        data,
      } as TarEntry;
    }),
  );
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

const UNSAFE: Record<string, Partial<TarEntry>[]> = {
  "dotdot.tar": [
    { name: "ok.txt", data: text("ok\n") },
    { name: "../evil.txt", data: text("evil\n") },
    { name: "a/../../evil2.txt", data: text("evil\n") },
    { name: "a/b/../c.txt", data: text("c\n") },
    { name: "../evil3.txt", data: text("evil\n") },
    { name: "..", data: text("x\n") },
  ],
  "abs.tar": [
    { name: "/abs/x.txt", data: text("x\n") },
    { name: "//y.txt", data: text("y\n") },
    { name: "/z.txt", data: text("z\n") },
    { name: "/../w.txt", data: text("w\n") },
  ],
  "symabs.tar": [
    { name: "link", type: "symlink", linkname: "/tmp" },
    { name: "link/pwned.txt", data: text("pwned\n") },
    { name: "after.txt", data: text("after\n") },
  ],
  "symup.tar": [
    { name: "up", type: "symlink", linkname: ".." },
    { name: "up/pwned.txt", data: text("pwned\n") },
  ],
  "symdeep.tar": [
    { name: "d/", type: "directory", mode: 0o755 },
    { name: "d/l", type: "symlink", linkname: "../.." },
    { name: "d/l/pwned.txt", data: text("pwned\n") },
    { name: "ok", type: "symlink", linkname: "d" },
    { name: "ok/in.txt", data: text("in\n") },
  ],
  "chain.tar": [
    { name: "a", type: "symlink", linkname: "b" },
    { name: "b", type: "symlink", linkname: "/tmp" },
    { name: "a/x.txt", data: text("x\n") },
  ],
  "replace.tar": [
    { name: "s", type: "symlink", linkname: "target.txt" },
    { name: "s", data: text("overwrite\n") },
  ],
  "hard.tar": [
    { name: "h", type: "link", linkname: "../outside.txt" },
    { name: "h2", type: "link", linkname: "/etc/passwd" },
  ],
};

async function unsafeFiles(): Promise<Record<string, Uint8Array>> {
  const files: Record<string, Uint8Array> = {};
  for (const [name, members] of Object.entries(UNSAFE)) files[name] = await rawArchive(members);
  return files;
}

test("tar refuses '..' members and strips leading '/' like GNU tar (differential)", {
  skip: noTar,
}, async () => {
  const files = await unsafeFiles();
  const cases: string[][] = [];
  for (const name of Object.keys(UNSAFE)) {
    cases.push(
      ["tar", "-xvf", name],
      ["tar", "-xf", name],
      ["tar", "-tf", name],
      ["tar", "-tvf", name],
    );
  }
  cases.push(["tar", "-xOf", "dotdot.tar"], ["tar", "-xf", "dotdot.tar", "ok.txt"]);
  for (const argv of cases) {
    const { vm, host } = await runBoth(argv, { files });
    // Host listings show the host's owner names for "root"; ours too (fixtures say root).
    assert.deepEqual(vm, host, argv.join(" "));
  }
});

/** Every path under `dir` with its kind (and link target), sorted. */
function hostTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel))) {
      const p = rel === "" ? name : `${rel}/${name}`;
      const st = lstatSync(join(dir, p));
      if (st.isSymbolicLink()) out.push(`${p} -> ${readlinkSync(join(dir, p))}`);
      else if (st.isDirectory()) {
        out.push(`${p}/`);
        walk(p);
      } else out.push(`${p} ${readFileSync(join(dir, p), "utf8")}`);
    }
  };
  walk("");
  return out.sort();
}

async function vmTree(vm: AgentOs, dir: string): Promise<string[]> {
  const out: string[] = [];
  const cred = { uid: 0, gid: 0, pid: 1 };
  const walk = async (rel: string): Promise<void> => {
    for (const name of await vm.readdir(rel === "" ? dir : `${dir}/${rel}`)) {
      const p = rel === "" ? name : `${rel}/${name}`;
      const st = await vm.lstat(`${dir}/${p}`);
      if (st.isSymbolicLink)
        out.push(`${p} -> ${await vm.kernel.fs.readlink(cred, `${dir}/${p}`)}`);
      else if (st.isDirectory) {
        out.push(`${p}/`);
        await walk(p);
      } else out.push(`${p} ${new TextDecoder().decode(await vm.readFile(`${dir}/${p}`))}`);
    }
  };
  await walk("");
  return out.sort();
}

test("tar -x never writes outside the target through the archive's own symlinks", {
  skip: noTar,
}, async () => {
  const files = await unsafeFiles();
  for (const name of Object.keys(UNSAFE)) {
    const hostDir = mkdtempSync(join(tmpdir(), "agentos-tar-x-"));
    let expected: string[];
    try {
      writeFileSync(join(hostDir, name), files[name]);
      mkdirSync(join(hostDir, "out"));
      spawnSync("tar", ["-xf", `../${name}`], { cwd: join(hostDir, "out"), env: { LC_ALL: "C" } });
      expected = hostTree(join(hostDir, "out"));
    } finally {
      rmSync(hostDir, { recursive: true, force: true });
    }
    await withVm(async (vm) => {
      await vm.writeFile(`${VM_WORKDIR}/${name}`, files[name]);
      await vm.mkdir(`${VM_WORKDIR}/out`);
      await runArgv(vm, ["tar", "-xf", `../${name}`], { cwd: `${VM_WORKDIR}/out` });
      assert.deepEqual(await vmTree(vm, `${VM_WORKDIR}/out`), expected, name);
      // Nothing escaped: the work dir holds only the archive and out/.
      assert.deepEqual((await vm.readdir(VM_WORKDIR)).sort(), [name, "out"].sort(), name);
      assert.deepEqual(
        await vm.readdir("/tmp").then((l) => l.filter((n) => n.includes("pwned"))),
        [],
      );
    });
  }
});

test("tar -c strips '..' prefixes and leading '/' from member names (differential)", {
  skip: noTar,
}, async () => {
  const files = { "sub/x": "x\n", f: "data\n" };
  for (const argv of [
    ["tar", "-cvf", "o.tar", "sub/../f"],
    ["tar", "-cvf", "o.tar", "sub/../sub/x"],
  ]) {
    const { vm, host } = await runBoth(argv, { files });
    assert.deepEqual(vm, host, argv.join(" "));
  }
});
