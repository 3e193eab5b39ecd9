/**
 * Filesystem suite: the per-syscall cost of the VM's namespace (path walk, mount routing,
 * permission checks) over the backends a VM really uses, next to the same calls on the host
 * (real syscalls through Node's synchronous fs), and the `grep -rn` scenario of the shell
 * issue end to end through `vm.exec`.
 *
 * The micro rows run against a namespace built the way `AgentOs.create()` builds one: an
 * OverlayFs (fresh MemoryFs upper over the shared root image), small MemoryFs mounts on /dev
 * and /proc standing in for devtmpfs and procfs (so routing sees several mounts), and a plain
 * MemoryFs mounted on /mnt/mem. Calls are made as uid 1000, the VM's default user. Each sample
 * is a batch of calls; rows show the median time per call.
 */
import { spawnSync } from "node:child_process";
import {
  closeSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { AgentOs } from "@agentos/core";
import { defaultRegistry } from "../../packages/core/src/commands/index.ts";
import { MemoryFs } from "../../packages/core/src/fs/memory-fs.ts";
import { type Caller, Namespace } from "../../packages/core/src/fs/namespace.ts";
import { O_RDONLY, type VfsFile } from "../../packages/core/src/fs/types.ts";
import { createRootFs, sharedRootImage } from "../../packages/core/src/vm/root-image.ts";
import { measure, type Report, type Summary, summarize } from "../harness.ts";
import type { SuiteOptions } from "./vm.ts";

const ROOT: Caller = { uid: 0, gid: 0, pid: 1 };
const USER: Caller = { uid: 1000, gid: 1000, pid: 2, umask: 0o022 };
const encoder = new TextEncoder();
/** Calls per timed sample: single calls are too short to time one by one. */
const BATCH = 100;

const SCENARIO = {
  lstat: "fs: lstat of a 4-deep path",
  lstatMem: "fs: lstat of a 4-deep path (MemoryFs mount)",
  lstatMiss: "fs: lstat of a missing 4-deep path",
  stat: "fs: stat through a symlinked dir (/bin → usr/bin)",
  open: "fs: open+read+close of a small file",
  openMem: "fs: open+read+close of a small file (MemoryFs mount)",
  readdir: "fs: readdir of a 100-entry dir",
  grep: "fs: grep -rn TODO tree | wc -l (2,000 files)",
} as const;

/** The 2,000-file tree of the shell issue (20 directories × 100 files, ~12 lines each). */
function sourceTree(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let d = 0; d < 20; d++) {
    for (let f = 0; f < 100; f++) {
      const lines: string[] = [];
      for (let l = 0; l < 12; l++) {
        lines.push(
          (d * 100 + f + l) % 37 === 0
            ? `  // TODO: revisit ${d}/${f}/${l}`
            : `  const v${l} = compute(${d}, ${f}, ${l});`,
        );
      }
      files[`tree/d${d}/f${f}.ts`] = `export function f${f}() {\n${lines.join("\n")}\n}\n`;
    }
  }
  return files;
}

async function buildNamespace(): Promise<Namespace> {
  const image = await sharedRootImage(defaultRegistry());
  const ns = new Namespace(createRootFs(image, Number.MAX_SAFE_INTEGER), {
    rootOptions: { type: "rootfs", source: "rootfs" },
  });
  await ns.mount(ROOT, "/dev", new MemoryFs(), { type: "devtmpfs", source: "udev" });
  await ns.mount(ROOT, "/proc", new MemoryFs(), { type: "proc", source: "proc" });
  await ns.mkdir(ROOT, "/mnt/mem");
  await ns.mount(ROOT, "/mnt/mem", new MemoryFs(), { type: "memfs", source: "none" });
  await ns.chown(ROOT, "/mnt/mem", 1000, 1000);
  const content = encoder.encode("hello world, a small file\n".repeat(8));
  for (const base of ["/home/user/work", "/mnt/mem"]) {
    if (base !== "/mnt/mem") await ns.mkdir(USER, base);
    for (const dir of ["a", "a/b", "a/b/c", "big"]) await ns.mkdir(USER, `${base}/${dir}`);
    await ns.writeFile(USER, `${base}/a/b/c/file.txt`, content);
    for (let i = 0; i < 100; i++) await ns.writeFile(USER, `${base}/big/e${i}.txt`, content);
  }
  return ns;
}

/** `fn` run BATCH times per sample; the summary is per call. */
async function perCall(
  name: string,
  fn: () => unknown,
  iterations: number,
  warmup: number,
): Promise<Summary> {
  const samples = await measure(
    name,
    async () => {
      for (let i = 0; i < BATCH; i++) {
        const value = fn();
        if (value instanceof Promise) await value;
      }
    },
    { iterations, warmup },
  );
  const summary = summarize(samples);
  const per = (v: number): number => v / BATCH;
  return {
    median: per(summary.median),
    p95: per(summary.p95),
    mean: per(summary.mean),
    min: per(summary.min),
    max: per(summary.max),
    count: summary.count * BATCH,
  };
}

async function openReadClose(ns: Namespace, path: string): Promise<number> {
  const opened = await ns.open(USER, path, O_RDONLY);
  if (opened.kind !== "file") throw new Error(`${path}: not a file`);
  const file: VfsFile = opened.file;
  try {
    let total = 0;
    for (;;) {
      const chunk = file.readChunk
        ? await file.readChunk(total, 65536)
        : await readVia(file, total);
      if (chunk.length === 0) return total;
      total += chunk.length;
    }
  } finally {
    await file.close();
  }
}

async function readVia(file: VfsFile, position: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(65536);
  const n = await file.read(buffer, 0, buffer.length, position);
  return buffer.subarray(0, n);
}

export async function fsSuite(report: Report, options: SuiteOptions): Promise<void> {
  const scale = options.quick ? 0.1 : 1;
  const n = (count: number): number => Math.max(3, Math.round(count * scale));
  const ns = await buildNamespace();
  const note = (extra = ""): string => `per call, ${n(200) * BATCH} calls${extra}`;

  const vmRow = async (scenario: string, fn: () => unknown, extra = ""): Promise<void> => {
    const summary = await perCall(scenario, fn, n(200), n(50));
    report.addTiming(scenario, "agentos", summary, { unit: "µs", note: note(extra) });
  };
  await vmRow(SCENARIO.lstat, () => ns.lstat(USER, "/home/user/work/a/b/c/file.txt"));
  await vmRow(SCENARIO.lstatMem, () => ns.lstat(USER, "/mnt/mem/a/b/c/file.txt"));
  await vmRow(SCENARIO.lstatMiss, () =>
    ns.lstat(USER, "/home/user/work/a/b/c/missing.txt").then(
      () => {
        throw new Error("missing file found");
      },
      () => undefined,
    ),
  );
  await vmRow(SCENARIO.stat, () => ns.stat(USER, "/bin/ls"));
  await vmRow(SCENARIO.open, () => openReadClose(ns, "/home/user/work/a/b/c/file.txt"));
  await vmRow(SCENARIO.openMem, () => openReadClose(ns, "/mnt/mem/a/b/c/file.txt"));
  await vmRow(SCENARIO.readdir, () => ns.readdir(USER, "/home/user/work/big"));

  // Host peers: the same calls as real syscalls on a tmp dir.
  const hostDir = mkdtempSync(join(tmpdir(), "agentos-bench-fs-"));
  try {
    const content = "hello world, a small file\n".repeat(8);
    mkdirSync(join(hostDir, "a/b/c"), { recursive: true });
    mkdirSync(join(hostDir, "big"));
    writeFileSync(join(hostDir, "a/b/c/file.txt"), content);
    for (let i = 0; i < 100; i++) writeFileSync(join(hostDir, `big/e${i}.txt`), content);
    const file = join(hostDir, "a/b/c/file.txt");
    const buffer = Buffer.alloc(65536);
    const hostRow = async (scenario: string, fn: () => unknown, what: string): Promise<void> => {
      const summary = await perCall(scenario, fn, n(200), n(50));
      report.addTiming(scenario, "host", summary, { unit: "µs", note: `${note()}, ${what}` });
      report.baseline(scenario, "host");
    };
    await hostRow(SCENARIO.lstat, () => lstatSync(file), "fs.lstatSync");
    await hostRow(
      SCENARIO.open,
      () => {
        const fd = openSync(file, "r");
        try {
          let position = 0;
          for (;;) {
            const got = readSync(fd, buffer, 0, buffer.length, position);
            if (got === 0) break;
            position += got;
          }
        } finally {
          closeSync(fd);
        }
      },
      "openSync+readSync×2+closeSync",
    );
    await hostRow(
      SCENARIO.readdir,
      () => readdirSync(join(hostDir, "big"), { withFileTypes: true }),
      "fs.readdirSync withFileTypes",
    );
  } finally {
    rmSync(hostDir, { recursive: true, force: true });
  }

  // End to end: grep -rn over the 2,000-file tree, VM bash vs host bash.
  const tree = sourceTree();
  const treeDir = mkdtempSync(join(tmpdir(), "agentos-bench-fs-tree-"));
  const vm = await AgentOs.create();
  try {
    for (const [path, text] of Object.entries(tree)) {
      mkdirSync(dirname(join(treeDir, path)), { recursive: true });
      writeFileSync(join(treeDir, path), text);
    }
    const cwd = "/home/user/work";
    await vm.mkdir(cwd, { recursive: true });
    await vm.writeFiles(
      Object.entries(tree).map(([path, content]) => ({ path: `${cwd}/${path}`, content })),
    );
    const script = "grep -rn TODO tree | wc -l";
    const iterations = n(20);
    const hostOut = spawnSync("bash", ["-c", script], { cwd: treeDir, encoding: "utf8" }).stdout;
    const host = await measure(
      "host grep",
      () => spawnSync("bash", ["-c", script], { cwd: treeDir, encoding: "utf8" }),
      { iterations, warmup: 1 },
    );
    const vmSamples = await measure("vm grep", () => vm.exec(script, { cwd }), {
      iterations,
      warmup: 2,
    });
    const vmOut = (await vm.exec(script, { cwd })).stdout;
    const same = vmOut === hostOut ? "" : `; OUTPUT DIFFERS (${JSON.stringify(vmOut)})`;
    report.addTiming(SCENARIO.grep, "host", summarize(host), {
      unit: "ms",
      note: `n=${iterations}, bash -c with GNU grep`,
    });
    report.baseline(SCENARIO.grep, "host");
    report.addTiming(SCENARIO.grep, "agentos", summarize(vmSamples), {
      unit: "ms",
      note: `n=${iterations}, vm.exec; aim ≤ 3× host${same}`,
    });
  } finally {
    await vm.dispose();
    rmSync(treeDir, { recursive: true, force: true });
  }
}
