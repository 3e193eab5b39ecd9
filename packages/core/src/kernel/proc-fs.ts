/**
 * /proc: a read-only view of the kernel, generated from its state on every call.
 *
 * Top level: `self`, `meminfo`, `cpuinfo`, `uptime`, `loadavg`, `mounts`, `version`,
 * `sys/kernel/{hostname,ostype,osrelease}`, then one directory per process in the table
 * (zombies included, as on Linux). Each process directory holds `cmdline`, `comm`, `environ`,
 * `stat`, `status`, the links `cwd` and `exe`, and `fd/`, whose links are named by descriptor
 * and point at the description's label (a path or `pipe:[N]`). The namespace treats
 * `fd/<n>` as a magic link: opening it duplicates that descriptor.
 *
 * `self` names the calling process, so `readlink` takes the namespace's caller as an optional
 * second argument; without one (no process context) it is ENOENT.
 *
 * Like Linux, files report size 0 and are read until EOF; an open file generates its content
 * at the first read and serves every later read from that snapshot, so a reader sees one
 * consistent text. Every mutation fails with EACCES. Inode numbers are a hash of the path, so
 * they are stable without remembering anything per process.
 */

import os from "node:os";
import { fsError, isKernelError } from "../fs/errors.ts";
import type { Mount } from "../fs/mount-table.ts";
import {
  type DirEntry,
  O_ACCMODE,
  O_CREAT,
  O_RDONLY,
  O_TRUNC,
  S_IFDIR,
  S_IFLNK,
  S_IFREG,
  type Stat,
  type VfsBackend,
  type VfsFile,
} from "../fs/types.ts";
import type { Kernel } from "./kernel.ts";
import type { Process } from "./process.ts";

export interface ProcFsOptions {
  /** What /proc/sys/kernel/hostname reports (default "agentos"). */
  hostname?: string;
}

/** Who performs a call: the namespace passes its Caller, of which only `pid` matters here. */
export interface ProcCaller {
  pid: number;
}

/** The kernel release reported by /proc/version and /proc/sys/kernel/osrelease. */
export const PROC_OS_RELEASE = "6.6.0-agentos";

/** Linux's USER_HZ: the unit of the tick counts in /proc/<pid>/stat. */
const CLOCK_TICKS_PER_SECOND = 100;

interface Attrs {
  perm: number;
  uid: number;
  gid: number;
  timeMs: number;
}

interface ProcDir extends Attrs {
  kind: "directory";
  names(): string[];
  child(name: string): ProcNode | undefined;
}

interface ProcText extends Attrs {
  kind: "file";
  content(): string;
}

interface ProcLink extends Attrs {
  kind: "symlink";
  target(caller: ProcCaller | undefined, path: string): string;
}

type ProcNode = ProcDir | ProcText | ProcLink;

type Table = Record<string, () => ProcNode>;

const encoder = new TextEncoder();

export class ProcFs implements VfsBackend {
  readonly #kernel: Kernel;
  readonly #hostname: string;

  constructor(kernel: Kernel, options: ProcFsOptions = {}) {
    this.#kernel = kernel;
    this.#hostname = options.hostname ?? "agentos";
  }

  async lstat(path: string): Promise<Stat> {
    return statOf(path, this.#lookup(path, "lstat"));
  }

  async readdir(path: string): Promise<DirEntry[]> {
    const node = this.#lookup(path, "scandir");
    if (node.kind !== "directory") throw fsError("ENOTDIR", "scandir", path);
    const out: DirEntry[] = [];
    for (const name of node.names()) {
      // A process may exit between listing and lookup; skip what vanished.
      const child = node.child(name);
      if (child) out.push({ name, kind: child.kind });
    }
    return out;
  }

  async readlink(path: string, caller?: ProcCaller): Promise<string> {
    const node = this.#lookup(path, "readlink");
    if (node.kind !== "symlink") throw fsError("EINVAL", "readlink", path);
    return node.target(caller, path);
  }

  async open(path: string, flags: number): Promise<VfsFile> {
    let node: ProcNode;
    try {
      node = this.#lookup(path, "open");
    } catch (err) {
      // Nothing can be created here: vfs_create without a create op is EACCES on Linux.
      if (flags & O_CREAT && isKernelError(err, "ENOENT")) throw fsError("EACCES", "open", path);
      throw err;
    }
    if ((flags & O_ACCMODE) !== O_RDONLY || flags & O_TRUNC) throw fsError("EACCES", "open", path);
    if (node.kind === "directory") throw fsError("EISDIR", "open", path);
    if (node.kind === "symlink") throw fsError("ELOOP", "open", path);
    return new ProcFile(node, statOf(path, node));
  }

  async readFile(path: string): Promise<Uint8Array> {
    const node = this.#lookup(path, "open");
    if (node.kind === "directory") throw fsError("EISDIR", "read", path);
    if (node.kind === "symlink") throw fsError("ELOOP", "open", path);
    return encoder.encode(node.content());
  }

  // ---- everything that would change /proc ----------------------------------------------------

  async mkdir(path: string): Promise<void> {
    throw fsError("EACCES", "mkdir", path);
  }

  async rmdir(path: string): Promise<void> {
    throw fsError("EACCES", "rmdir", path);
  }

  async unlink(path: string): Promise<void> {
    throw fsError("EACCES", "unlink", path);
  }

  async rename(from: string, to: string): Promise<void> {
    throw fsError("EACCES", "rename", from, to);
  }

  async link(existing: string, newPath: string): Promise<void> {
    throw fsError("EACCES", "link", existing, newPath);
  }

  async symlink(target: string, path: string): Promise<void> {
    throw fsError("EACCES", "symlink", target, path);
  }

  async chmod(path: string): Promise<void> {
    throw fsError("EACCES", "chmod", path);
  }

  async chown(path: string): Promise<void> {
    throw fsError("EACCES", "chown", path);
  }

  async utimes(path: string): Promise<void> {
    throw fsError("EACCES", "utime", path);
  }

  async truncate(path: string): Promise<void> {
    throw fsError("EACCES", "open", path);
  }

  // ---- the tree ------------------------------------------------------------------------------

  /** Walks `path` from the root: ENOTDIR through a non-directory, ENOENT when missing. */
  #lookup(path: string, syscall: string): ProcNode {
    let node: ProcNode = this.#root();
    if (path === "/") return node;
    for (const name of path.slice(1).split("/")) {
      if (node.kind !== "directory") throw fsError("ENOTDIR", syscall, path);
      const next: ProcNode | undefined = node.child(name);
      if (next === undefined) throw fsError("ENOENT", syscall, path);
      node = next;
    }
    return node;
  }

  #root(): ProcDir {
    const kernel = this.#kernel;
    const attrs: Attrs = { perm: 0o555, uid: 0, gid: 0, timeMs: kernel.bootTime };
    const file = (content: () => string): (() => ProcNode) => {
      return () => ({ kind: "file", ...attrs, perm: 0o444, content });
    };
    const fixed: Table = {
      self: () => ({ kind: "symlink", ...attrs, perm: 0o777, target: selfTarget }),
      meminfo: file(() => meminfo(kernel)),
      cpuinfo: file(cpuinfo),
      uptime: file(() => uptime(kernel)),
      loadavg: file(() => loadavg(kernel)),
      mounts: file(() => mounts(kernel)),
      version: file(() => version(kernel)),
      sys: () =>
        tableDir(attrs, {
          kernel: () =>
            tableDir(attrs, {
              hostname: file(() => `${this.#hostname}\n`),
              ostype: file(() => "Linux\n"),
              osrelease: file(() => `${PROC_OS_RELEASE}\n`),
            }),
        }),
    };
    return {
      kind: "directory",
      ...attrs,
      // Fixed entries first, then the processes, as Linux lists them.
      names: () => [...Object.keys(fixed), ...kernel.list().map((p) => String(p.pid))],
      child: (name) => (Object.hasOwn(fixed, name) ? fixed[name]() : this.#processDir(name)),
    };
  }

  #processDir(name: string): ProcDir | undefined {
    // Canonical decimal only: Linux has no /proc/01.
    if (!/^[1-9]\d*$/.test(name) || !this.#kernel.has(Number(name))) return undefined;
    const kernel = this.#kernel;
    const proc = kernel.process(Number(name));
    const attrs: Attrs = { perm: 0o555, uid: proc.uid, gid: proc.gid, timeMs: proc.startTime };
    const file = (perm: number, content: () => string): (() => ProcNode) => {
      return () => ({ kind: "file", ...attrs, perm, content });
    };
    const link = (target: () => string): (() => ProcNode) => {
      return () => ({ kind: "symlink", ...attrs, perm: 0o777, target: zombieAware(proc, target) });
    };
    return tableDir(attrs, {
      cmdline: file(0o444, () => (proc.alive ? proc.argv.map((a) => `${a}\0`).join("") : "")),
      comm: file(0o444, () => `${comm(proc)}\n`),
      cwd: link(() => proc.cwd),
      environ: file(0o400, () => (proc.alive ? environ(proc) : "")),
      exe: link(() => proc.command),
      fd: () => fdDir(proc, { ...attrs, perm: 0o500 }),
      stat: file(0o444, () => statLine(kernel, proc)),
      status: file(0o444, () => status(proc)),
    });
  }
}

function tableDir(attrs: Attrs, table: Table): ProcDir {
  return {
    kind: "directory",
    ...attrs,
    names: () => Object.keys(table),
    child: (name) => (Object.hasOwn(table, name) ? table[name]() : undefined),
  };
}

function selfTarget(caller: ProcCaller | undefined, path: string): string {
  // Relative, as on Linux: "/proc/self" -> "42" resolves next to it, wherever /proc is mounted.
  if (caller === undefined || typeof caller.pid !== "number")
    throw fsError("ENOENT", "readlink", path);
  return String(caller.pid);
}

/** A zombie has no cwd or program any more: reading those links is ENOENT, as on Linux. */
function zombieAware(proc: Process, target: () => string): ProcLink["target"] {
  return (_caller, path) => {
    if (!proc.alive) throw fsError("ENOENT", "readlink", path);
    return target();
  };
}

/** /proc/<pid>/fd: a link per descriptor whose mode shows the access mode (lr-x, l-wx, lrwx). */
function fdDir(proc: Process, attrs: Attrs): ProcDir {
  return {
    kind: "directory",
    ...attrs,
    names: () => proc.fds.entries().map(([fd]) => String(fd)),
    child: (name) => {
      if (!/^(0|[1-9]\d*)$/.test(name)) return undefined;
      const entry = proc.fds.entry(Number(name));
      if (entry === undefined) return undefined;
      const file = entry.file;
      const perm = (file.readable ? 0o500 : 0o100) | (file.writable ? 0o200 : 0);
      return { kind: "symlink", ...attrs, perm, target: () => file.label };
    },
  };
}

/** Per-path inode number (32-bit FNV-1a), the root being 1 as on Linux. */
function inodeOf(path: string): number {
  if (path === "/") return 1;
  let hash = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) {
    hash ^= path.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash < 2 ? hash + 2 : hash;
}

function statOf(path: string, node: ProcNode): Stat {
  const type = node.kind === "directory" ? S_IFDIR : node.kind === "symlink" ? S_IFLNK : S_IFREG;
  let nlink = 1;
  if (node.kind === "directory") {
    nlink = 2;
    for (const name of node.names()) if (node.child(name)?.kind === "directory") nlink++;
  }
  return {
    dev: 0,
    ino: inodeOf(path),
    mode: type | node.perm,
    nlink,
    uid: node.uid,
    gid: node.gid,
    rdev: 0,
    size: 0,
    blksize: 1024,
    blocks: 0,
    atimeMs: node.timeMs,
    mtimeMs: node.timeMs,
    ctimeMs: node.timeMs,
    birthtimeMs: node.timeMs,
  };
}

/** An open /proc file: content generated at the first read, then served from that snapshot. */
class ProcFile implements VfsFile {
  readonly #node: ProcText;
  readonly #stat: Stat;
  #bytes: Uint8Array | undefined;

  constructor(node: ProcText, stat: Stat) {
    this.#node = node;
    this.#stat = stat;
  }

  async read(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<number> {
    this.#bytes ??= encoder.encode(this.#node.content());
    const bytes = this.#bytes;
    if (position >= bytes.length || length <= 0) return 0;
    const n = Math.min(length, bytes.length - position);
    buffer.set(bytes.subarray(position, position + n), offset);
    return n;
  }

  async write(): Promise<number> {
    throw fsError("EBADF", "write");
  }

  async stat(): Promise<Stat> {
    return { ...this.#stat };
  }

  async truncate(): Promise<void> {
    // ftruncate(2) of a descriptor not open for writing is EINVAL.
    throw fsError("EINVAL", "ftruncate");
  }

  async close(): Promise<void> {}
}

// ---- per-process files ------------------------------------------------------------------------

/** The 15-byte command name Linux keeps (TASK_COMM_LEN): the program's base name. */
function comm(proc: Process): string {
  return proc.command.slice(proc.command.lastIndexOf("/") + 1).slice(0, 15);
}

function environ(proc: Process): string {
  return Object.entries(proc.env)
    .map(([key, value]) => `${key}=${value}\0`)
    .join("");
}

/** The one-letter state and its name, as `ps` and /proc/<pid>/status show them. */
function stateOf(proc: Process): [string, string] {
  if (proc.state === "stopped") return ["T", "stopped"];
  if (!proc.alive) return ["Z", "zombie"];
  // init runs no code of its own: it only ever waits.
  if (proc.driver === "kernel") return ["S", "sleeping"];
  return ["R", "running"];
}

/** Signals the process ignores and catches, as Linux's 64-bit masks. */
function signalMasks(proc: Process): { ignored: bigint; caught: bigint } {
  let ignored = 0n;
  let caught = 0n;
  for (const [signal, disposition] of proc.dispositions) {
    const bit = 1n << BigInt(signal - 1);
    if (disposition === "ignore") ignored |= bit;
    else if (typeof disposition === "function") caught |= bit;
  }
  return { ignored, caught };
}

const hex64 = (mask: bigint): string => mask.toString(16).padStart(16, "0");

function status(proc: Process): string {
  const [letter, name] = stateOf(proc);
  const { ignored, caught } = signalMasks(proc);
  const fds = proc.fds.entries();
  // FDSize is the capacity of the descriptor table: 64 slots, doubled as needed.
  let fdSize = 64;
  const highest = fds.length > 0 ? fds[fds.length - 1][0] : 0;
  while (fdSize <= highest) fdSize *= 2;
  const ids = (id: number): string => `${id}\t${id}\t${id}\t${id}`;
  const lines = [
    `Name:\t${comm(proc)}`,
    `Umask:\t${proc.umask.toString(8).padStart(4, "0")}`,
    `State:\t${letter} (${name})`,
    `Tgid:\t${proc.pid}`,
    "Ngid:\t0",
    `Pid:\t${proc.pid}`,
    `PPid:\t${proc.ppid}`,
    "TracerPid:\t0",
    `Uid:\t${ids(proc.uid)}`,
    `Gid:\t${ids(proc.gid)}`,
    `FDSize:\t${fdSize}`,
    "Groups:\t",
    `NStgid:\t${proc.pid}`,
    `NSpid:\t${proc.pid}`,
    `NSpgid:\t${proc.pgid}`,
    `NSsid:\t${proc.sid}`,
    "Threads:\t1",
    `SigPnd:\t${hex64(0n)}`,
    `ShdPnd:\t${hex64(0n)}`,
    `SigBlk:\t${hex64(0n)}`,
    `SigIgn:\t${hex64(ignored)}`,
    `SigCgt:\t${hex64(caught)}`,
  ];
  return lines.join("\n") + "\n";
}

/** /proc/<pid>/stat: the 52 fields of Linux's layout; what the VM does not track is 0. */
function statLine(kernel: Kernel, proc: Process): string {
  const [letter] = stateOf(proc);
  const { ignored, caught } = signalMasks(proc);
  const ticks = (ms: number): number => Math.floor((ms * CLOCK_TICKS_PER_SECOND) / 1000);
  // A zombie's field 52 is its wait status: exit code in the high byte, or the signal.
  const exitCode = proc.alive ? 0 : ((proc.exitCode ?? 0) << 8) | (proc.termSignal ?? 0);
  const fields: (number | string)[] = [
    proc.pid,
    `(${comm(proc)})`,
    letter,
    proc.ppid,
    proc.pgid,
    proc.sid,
    0, // tty_nr
    -1, // tpgid
    0, // flags
    0, // minflt
    0, // cminflt
    0, // majflt
    0, // cmajflt
    0, // utime
    0, // stime
    0, // cutime
    0, // cstime
    20, // priority
    0, // nice
    1, // num_threads
    0, // itrealvalue
    ticks(proc.startTime - kernel.bootTime), // starttime
    0, // vsize
    0, // rss
    "18446744073709551615", // rsslim: RLIM_INFINITY
    0, // startcode
    0, // endcode
    0, // startstack
    0, // kstkesp
    0, // kstkeip
    0, // signal (pending)
    0, // blocked
    ignored.toString(), // sigignore
    caught.toString(), // sigcatch
    0, // wchan
    0, // nswap
    0, // cnswap
    17, // exit_signal: SIGCHLD
    0, // processor
    0, // rt_priority
    0, // policy
    0, // delayacct_blkio_ticks
    0, // guest_time
    0, // cguest_time
    0, // start_data
    0, // end_data
    0, // start_brk
    0, // arg_start
    0, // arg_end
    0, // env_start
    0, // env_end
    exitCode,
  ];
  return fields.join(" ") + "\n";
}

// ---- system-wide files ------------------------------------------------------------------------

/**
 * The VM's memory is modelled as its filesystem budget (`limits.maxFsBytes`): file contents
 * of the root filesystem live in RAM as they would on a tmpfs root, so they count as used
 * (Cached and Shmem, as Linux reports tmpfs pages). Host memory is not shown: it is shared
 * by every VM in the process and says nothing about this one.
 */
function meminfo(kernel: Kernel): string {
  const total = kernel.limits.maxFsBytes;
  const root = kernel.fs.mounts.list()[0];
  const used = Math.min(total, root?.backend.usage?.().usedBytes ?? 0);
  const free = total - used;
  const kb = (bytes: number): number => Math.floor(bytes / 1024);
  const rows: [string, number][] = [
    ["MemTotal", kb(total)],
    ["MemFree", kb(free)],
    ["MemAvailable", kb(free)],
    ["Buffers", 0],
    ["Cached", kb(used)],
    ["SwapCached", 0],
    ["SwapTotal", 0],
    ["SwapFree", 0],
    ["Shmem", kb(used)],
  ];
  // Linux's layout: name and colon padded to 16 columns, value right-aligned in 8.
  return rows
    .map(([name, value]) => `${`${name}:`.padEnd(16)}${String(value).padStart(8)} kB\n`)
    .join("");
}

/** One block per host CPU: the VM's processes really do run on all of them. */
function cpuinfo(): string {
  const cpus = os.cpus();
  const list = cpus.length > 0 ? cpus : [{ model: "unknown", speed: 0 }];
  return list
    .map(
      (cpu, i) =>
        `processor\t: ${i}\nmodel name\t: ${cpu.model.trim()}\ncpu MHz\t\t: ${cpu.speed.toFixed(3)}\ncpu cores\t: ${list.length}\n\n`,
    )
    .join("");
}

/** Seconds since boot, and idle CPU-seconds (best effort: every CPU counted idle). */
function uptime(kernel: Kernel): string {
  const up = Math.max(0, (Date.now() - kernel.bootTime) / 1000);
  const cpus = Math.max(1, os.cpus().length);
  return `${up.toFixed(2)} ${(up * cpus).toFixed(2)}\n`;
}

/**
 * The kernel keeps no run-queue averages, so the three loads are 0; the runnable/total count
 * and the newest pid are real.
 */
function loadavg(kernel: Kernel): string {
  const procs = kernel.list().filter((p) => p.status !== "exited");
  const runnable = procs.filter((p) => p.status === "running" && p.driver !== "kernel").length;
  const newest = procs.reduce((max, p) => Math.max(max, p.pid), 0);
  return `0.00 0.00 0.00 ${runnable}/${procs.length} ${newest}\n`;
}

/** `source mountpoint type rw|ro 0 0`, with blanks and backslashes octal-escaped as Linux does. */
function mounts(kernel: Kernel): string {
  const octal = (text: string): string =>
    text.replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, "0")}`);
  return kernel.fs.mounts
    .list()
    .map(
      (m: Mount) =>
        `${octal(m.source)} ${octal(m.path)} ${m.type} ${m.readOnly ? "ro" : "rw"} 0 0\n`,
    )
    .join("");
}

function version(kernel: Kernel): string {
  const built = new Date(kernel.bootTime).toUTCString();
  return `Linux version ${PROC_OS_RELEASE} (agentos@agentos) (Node.js ${process.version}) #1 SMP ${built}\n`;
}
