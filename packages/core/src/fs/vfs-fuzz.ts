/**
 * Model-based fuzzing for `VfsBackend`s: a seeded random sequence of operations runs on the
 * backend and on a deliberately naive reference model (a Map from path to node, where every
 * question is answered by scanning), and each step must agree: same success or same errno,
 * same data. A mismatch throws with the seed, the step and the history, for replay.
 */

import { isDeepStrictEqual } from "node:util";
import { isKernelError } from "./errors.ts";
import {
  type FileKind,
  kindOfMode,
  O_CREAT,
  O_EXCL,
  O_RDONLY,
  O_TRUNC,
  O_WRONLY,
  type Owner,
  type Stat,
  type VfsBackend,
} from "./types.ts";

export type FuzzOpName =
  | "mkdir"
  | "write"
  | "read"
  | "unlink"
  | "rmdir"
  | "rename"
  | "link"
  | "symlink"
  | "readlink"
  | "truncate"
  | "readdir"
  | "lstat";

export interface FuzzOptions {
  seed: number;
  steps: number;
  /** Operations to draw from (default: all). Drop "link"/"symlink" for backends without them. */
  ops?: readonly FuzzOpName[];
  /** An existing, empty directory of the backend to work in (default "/"). */
  root?: string;
  /** Compare directory nlink (2 + subdirectories); default true. */
  checkDirNlink?: boolean;
  /** Check that hard links share an ino and live inodes never share one; default true. */
  checkInodes?: boolean;
  /** Compare the whole tree every this many steps, and always at the end; default 25. */
  fullCheckEvery?: number;
}

const WEIGHTS: Record<FuzzOpName, number> = {
  mkdir: 2,
  write: 5,
  read: 2,
  unlink: 3,
  rmdir: 3,
  rename: 3,
  link: 2,
  symlink: 2,
  readlink: 1,
  truncate: 2,
  readdir: 2,
  lstat: 3,
};

/** Ops whose first path usually names something that exists, so they mostly succeed. */
const ON_EXISTING = new Set<FuzzOpName>([
  "read",
  "unlink",
  "rmdir",
  "rename",
  "link",
  "readlink",
  "truncate",
  "readdir",
  "lstat",
]);

const NAMES = ["a", "b", "c"];
const MAX_DEPTH = 3;
const LINK_TARGETS = ["a", "../b", "/a/b", "c/a", "nowhere", "é"];
const OWNER: Owner = { uid: 1000, gid: 1000 };

/** mulberry32: a tiny, well-distributed 32-bit PRNG; enough for reproducible fuzzing. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Op {
  name: FuzzOpName;
  path: string;
  /** rename/link destination. */
  dest?: string;
  /** Symlink target. */
  target?: string;
  data?: Uint8Array;
  position?: number;
  length?: number;
  flags?: number;
}

type Outcome = { ok: true; value?: unknown } | { ok: false; code: string };

// ---- the reference model ----

type ModelNode =
  | { kind: "directory" }
  | { kind: "file"; data: Uint8Array }
  | { kind: "symlink"; target: string };

/** Thrown inside the model to produce an error outcome. */
class ModelError {
  readonly code: string;
  constructor(code: string) {
    this.code = code;
  }
}

/** Thrown when an op's result is unspecified for backends (e.g. opening a symlink). */
const SKIP = Symbol("skip");

const parentOf = (path: string): string => path.slice(0, Math.max(1, path.lastIndexOf("/")));
const depthBelow = (base: string, path: string): number =>
  path.length <= base.length ? 0 : path.slice(base.length).split("/").length - 1;
const isUnder = (path: string, dir: string): boolean =>
  path.length > dir.length && path.startsWith(dir) && path[dir === "/" ? 0 : dir.length] === "/";

class Model {
  /** Every live path, root included; hard links are two keys holding the same node object. */
  readonly nodes = new Map<string, ModelNode>();
  private readonly root: string;

  constructor(root: string) {
    this.root = root;
    this.nodes.set(root, { kind: "directory" });
  }

  /** ENOENT/ENOTDIR from the directories above `path`, checked top-down. */
  checkParents(path: string): void {
    const ancestors: string[] = [];
    for (let p = parentOf(path); p !== this.root && p !== "/"; p = parentOf(p)) ancestors.push(p);
    for (const dir of ancestors.reverse()) {
      const node = this.nodes.get(dir);
      if (node === undefined) throw new ModelError("ENOENT");
      if (node.kind !== "directory") throw new ModelError("ENOTDIR");
    }
  }

  get(path: string): ModelNode {
    this.checkParents(path);
    const node = this.nodes.get(path);
    if (node === undefined) throw new ModelError("ENOENT");
    return node;
  }

  children(dir: string): string[] {
    return [...this.nodes.keys()].filter((p) => p !== dir && parentOf(p) === dir);
  }

  nlink(path: string): number {
    const node = this.nodes.get(path)!;
    if (node.kind === "directory") {
      return 2 + this.children(path).filter((p) => this.nodes.get(p)!.kind === "directory").length;
    }
    let n = 0;
    for (const other of this.nodes.values()) if (other === node) n++;
    return n;
  }

  isLive(node: ModelNode): boolean {
    for (const other of this.nodes.values()) if (other === node) return true;
    return false;
  }

  apply(op: Op): unknown {
    switch (op.name) {
      case "mkdir": {
        this.checkParents(op.path);
        if (this.nodes.has(op.path)) throw new ModelError("EEXIST");
        this.nodes.set(op.path, { kind: "directory" });
        return undefined;
      }
      case "write": {
        const node = this.openForWrite(op.path, op.flags!);
        const pos = op.position!;
        const data = op.data!;
        const grown = new Uint8Array(Math.max(node.data.length, pos + data.length));
        grown.set(node.data);
        grown.set(data, pos);
        if (data.length > 0) node.data = grown;
        return undefined;
      }
      case "read": {
        const node = this.get(op.path);
        if (node.kind === "directory") throw new ModelError("EISDIR");
        if (node.kind === "symlink") throw SKIP;
        return node.data;
      }
      case "unlink": {
        const node = this.get(op.path);
        if (node.kind === "directory") throw new ModelError("EISDIR");
        this.nodes.delete(op.path);
        return undefined;
      }
      case "rmdir": {
        const node = this.get(op.path);
        if (node.kind !== "directory") throw new ModelError("ENOTDIR");
        if (this.children(op.path).length > 0) throw new ModelError("ENOTEMPTY");
        this.nodes.delete(op.path);
        return undefined;
      }
      case "rename":
        this.rename(op.path, op.dest!);
        return undefined;
      case "link": {
        const node = this.get(op.path);
        this.checkParents(op.dest!);
        if (this.nodes.has(op.dest!)) throw new ModelError("EEXIST");
        if (node.kind === "directory") throw new ModelError("EPERM");
        this.nodes.set(op.dest!, node);
        return undefined;
      }
      case "symlink": {
        this.checkParents(op.path);
        if (this.nodes.has(op.path)) throw new ModelError("EEXIST");
        this.nodes.set(op.path, { kind: "symlink", target: op.target! });
        return undefined;
      }
      case "readlink": {
        const node = this.get(op.path);
        if (node.kind !== "symlink") throw new ModelError("EINVAL");
        return node.target;
      }
      case "truncate": {
        const node = this.get(op.path);
        if (node.kind === "directory") throw new ModelError("EISDIR");
        if (node.kind === "symlink") throw SKIP;
        const resized = new Uint8Array(op.length!);
        resized.set(node.data.subarray(0, op.length!));
        node.data = resized;
        return undefined;
      }
      case "readdir": {
        const node = this.get(op.path);
        if (node.kind !== "directory") throw new ModelError("ENOTDIR");
        return this.children(op.path)
          .map((p) => `${p.slice(p.lastIndexOf("/") + 1)}:${this.nodes.get(p)!.kind}`)
          .sort();
      }
      case "lstat":
        this.get(op.path);
        return this.describe(op.path);
    }
  }

  describe(path: string): Described {
    const node = this.nodes.get(path)!;
    const size =
      node.kind === "file"
        ? node.data.length
        : node.kind === "symlink"
          ? new TextEncoder().encode(node.target).length
          : undefined;
    return { kind: node.kind, size, nlink: this.nlink(path) };
  }

  private openForWrite(path: string, flags: number): { kind: "file"; data: Uint8Array } {
    this.checkParents(path);
    const node = this.nodes.get(path);
    if (node === undefined) {
      if ((flags & O_CREAT) === 0) throw new ModelError("ENOENT");
      const file = { kind: "file" as const, data: new Uint8Array(0) };
      this.nodes.set(path, file);
      return file;
    }
    if ((flags & O_CREAT) !== 0 && (flags & O_EXCL) !== 0) throw new ModelError("EEXIST");
    if (node.kind === "directory") throw new ModelError("EISDIR");
    if (node.kind === "symlink") throw SKIP;
    if ((flags & O_TRUNC) !== 0) node.data = new Uint8Array(0);
    return node;
  }

  /** rename(2), checks in Linux's order. */
  private rename(from: string, to: string): void {
    this.checkParents(from);
    this.checkParents(to);
    const node = this.nodes.get(from);
    if (node === undefined) throw new ModelError("ENOENT");
    if (isUnder(to, from)) throw new ModelError("EINVAL");
    if (isUnder(from, to)) throw new ModelError("ENOTEMPTY");
    const victim = this.nodes.get(to);
    if (victim === node) return;
    if (victim !== undefined) {
      if (node.kind === "directory") {
        if (victim.kind !== "directory") throw new ModelError("ENOTDIR");
        if (this.children(to).length > 0) throw new ModelError("ENOTEMPTY");
      } else if (victim.kind === "directory") {
        throw new ModelError("EISDIR");
      }
    }
    const moved: [string, ModelNode][] = [];
    for (const [p, n] of this.nodes) {
      if (p === from || isUnder(p, from)) moved.push([to + p.slice(from.length), n]);
    }
    for (const [p] of [...this.nodes]) if (p === from || isUnder(p, from)) this.nodes.delete(p);
    this.nodes.delete(to);
    for (const [p, n] of moved) this.nodes.set(p, n);
  }
}

interface Described {
  kind: FileKind;
  size: number | undefined;
  nlink: number | undefined;
}

// ---- running ops on the backend ----

async function readWhole(backend: VfsBackend, path: string): Promise<Uint8Array> {
  const file = await backend.open(path, O_RDONLY, 0, OWNER);
  try {
    const size = (await file.stat()).size;
    const out = new Uint8Array(size + 1);
    let done = 0;
    for (;;) {
      if (done === out.length) throw new Error(`${path}: read returned more than stat().size`);
      const n = await file.read(out, done, out.length - done, done);
      if (n === 0) break;
      done += n;
    }
    return out.subarray(0, done);
  } finally {
    await file.close();
  }
}

async function applyToBackend(backend: VfsBackend, op: Op): Promise<unknown> {
  switch (op.name) {
    case "mkdir":
      return backend.mkdir(op.path, 0o755, OWNER);
    case "write": {
      const file = await backend.open(op.path, op.flags!, 0o644, OWNER);
      try {
        const data = op.data!;
        let done = 0;
        while (done < data.length) {
          done += await file.write(data, done, data.length - done, op.position! + done);
        }
      } finally {
        await file.close();
      }
      return undefined;
    }
    case "read":
      return readWhole(backend, op.path);
    case "unlink":
      return backend.unlink(op.path);
    case "rmdir":
      return backend.rmdir(op.path);
    case "rename":
      return backend.rename(op.path, op.dest!);
    case "link":
      return backend.link(op.path, op.dest!);
    case "symlink":
      return backend.symlink(op.target!, op.path, OWNER);
    case "readlink":
      return backend.readlink(op.path);
    case "truncate":
      return backend.truncate(op.path, op.length!);
    case "readdir":
      return (await backend.readdir(op.path)).map((e) => `${e.name}:${e.kind}`).sort();
    case "lstat":
      return backend.lstat(op.path);
  }
}

// ---- the driver ----

class Fuzzer {
  private readonly backend: VfsBackend;
  private readonly model: Model;
  private readonly options: FuzzOptions;
  private readonly random: () => number;
  private readonly root: string;
  private readonly history: string[] = [];
  private readonly ops: FuzzOpName[];
  private readonly totalWeight: number;
  private readonly inoOfNode = new Map<ModelNode, number>();
  private readonly nodeOfIno = new Map<number, ModelNode>();
  private step = 0;

  constructor(backend: VfsBackend, options: FuzzOptions) {
    this.backend = backend;
    this.options = options;
    this.root = options.root ?? "/";
    this.model = new Model(this.root);
    this.random = mulberry32(options.seed);
    this.ops = [...(options.ops ?? (Object.keys(WEIGHTS) as FuzzOpName[]))];
    if (this.ops.length === 0) throw new Error("fuzzVfsAgainstModel: no ops to run");
    this.totalWeight = this.ops.reduce((sum, name) => sum + WEIGHTS[name], 0);
  }

  async run(): Promise<void> {
    const every = this.options.fullCheckEvery ?? 25;
    await this.compareTrees();
    for (this.step = 0; this.step < this.options.steps; this.step++) {
      await this.runOne(this.nextOp());
      if (every > 0 && (this.step + 1) % every === 0) await this.compareTrees();
    }
    await this.compareTrees();
  }

  private int(n: number): number {
    return Math.floor(this.random() * n);
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /**
   * A short path below the root, half the time inside a directory that exists. Few names,
   * so collisions and conflicts are frequent.
   */
  private path(): string {
    const base = this.root === "/" ? "" : this.root;
    if (this.random() < 0.5) {
      const dirs = [...this.model.nodes]
        .filter(([p, n]) => n.kind === "directory" && depthBelow(base, p) < MAX_DEPTH)
        .map(([p]) => (p === "/" ? "" : p));
      return `${this.pick(dirs)}/${this.pick(NAMES)}`;
    }
    const r = this.random();
    const depth = r < 0.45 ? 1 : r < 0.8 ? 2 : MAX_DEPTH;
    let p = base;
    for (let i = 0; i < depth; i++) p += `/${this.pick(NAMES)}`;
    return p;
  }

  /** A path the model has now, other than the root (null if there is none). */
  private existingPath(): string | null {
    const paths = [...this.model.nodes.keys()].filter((p) => p !== this.root);
    return paths.length === 0 ? null : this.pick(paths);
  }

  private data(): Uint8Array {
    const out = new Uint8Array(this.int(24));
    for (let i = 0; i < out.length; i++) out[i] = 97 + this.int(26);
    return out;
  }

  private nextOp(): Op {
    let roll = this.random() * this.totalWeight;
    let name = this.ops[this.ops.length - 1];
    for (const candidate of this.ops) {
      roll -= WEIGHTS[candidate];
      if (roll < 0) {
        name = candidate;
        break;
      }
    }
    const existing = ON_EXISTING.has(name) && this.random() < 0.7 ? this.existingPath() : null;
    const op: Op = { name, path: existing ?? this.path() };
    if (name === "rename" || name === "link") op.dest = this.path();
    if (name === "symlink") op.target = this.pick(LINK_TARGETS);
    if (name === "truncate") op.length = this.int(40);
    if (name === "write") {
      op.data = this.data();
      op.position = this.random() < 0.6 ? 0 : this.int(40);
      op.flags = O_WRONLY;
      if (this.random() < 0.9) op.flags |= O_CREAT;
      if (this.random() < 0.5) op.flags |= O_TRUNC;
      if (this.random() < 0.15) op.flags |= O_EXCL;
    }
    return op;
  }

  private async runOne(op: Op): Promise<void> {
    const label = describeOp(op);
    let expected: Outcome;
    try {
      expected = { ok: true, value: this.model.apply(op) };
    } catch (err) {
      if (err === SKIP) {
        this.history.push(`${label} → skipped (unspecified for backends)`);
        return;
      }
      if (!(err instanceof ModelError)) throw err;
      expected = { ok: false, code: err.code };
    }
    let actual: Outcome;
    try {
      actual = { ok: true, value: await applyToBackend(this.backend, op) };
    } catch (err) {
      if (!isKernelError(err)) {
        this.history.push(`${label} → threw ${String(err)}`);
        this.fail(`backend threw a non-KernelError: ${String(err)}`);
      }
      actual = { ok: false, code: err.code };
    }
    this.history.push(`${label} → ${expected.ok ? "ok" : expected.code}`);
    if (
      expected.ok !== actual.ok ||
      (!expected.ok && !actual.ok && expected.code !== actual.code)
    ) {
      this.fail(`model says ${showOutcome(expected)}, backend says ${showOutcome(actual)}`);
    }
    if (!expected.ok || !actual.ok) return;
    if (op.name === "lstat") {
      this.checkStat(op.path, actual.value as Stat);
      return;
    }
    const want = show(expected.value);
    const got = show(actual.value);
    if (want !== got) this.fail(`model returned ${want}, backend returned ${got}`);
  }

  private checkStat(path: string, stat: Stat): void {
    const want = this.withoutUnchecked(this.model.describe(path));
    const got = this.withoutUnchecked({
      kind: kindOfMode(stat.mode),
      size: kindOfMode(stat.mode) === "directory" ? undefined : stat.size,
      nlink: stat.nlink,
    });
    if (!isDeepStrictEqual(want, got)) {
      this.fail(`lstat ${path}: model ${show(want)}, backend ${show(got)}`);
    }
    if (this.options.checkInodes === false) return;
    const node = this.model.nodes.get(path)!;
    const known = this.inoOfNode.get(node);
    if (known !== undefined && known !== stat.ino) {
      this.fail(`lstat ${path}: ino changed from ${known} to ${stat.ino}`);
    }
    const owner = this.nodeOfIno.get(stat.ino);
    if (owner !== undefined && owner !== node && this.model.isLive(owner)) {
      this.fail(`lstat ${path}: ino ${stat.ino} is shared with a different live inode`);
    }
    this.inoOfNode.set(node, stat.ino);
    this.nodeOfIno.set(stat.ino, node);
  }

  private withoutUnchecked(d: Described): Described {
    if (d.kind === "directory" && this.options.checkDirNlink === false) {
      return { ...d, nlink: undefined };
    }
    return d;
  }

  /** Walks both trees from the root and compares every entry, its stat and its content. */
  private async compareTrees(): Promise<void> {
    const want = new Map<string, string>();
    for (const path of this.model.nodes.keys()) {
      const node = this.model.nodes.get(path)!;
      const content =
        node.kind === "file" ? show(node.data) : node.kind === "symlink" ? node.target : "";
      want.set(path, `${show(this.withoutUnchecked(this.model.describe(path)))} ${content}`);
    }
    const got = new Map<string, string>();
    const walk = async (path: string): Promise<void> => {
      const stat = await this.backend.lstat(path);
      const kind = kindOfMode(stat.mode);
      let content = "";
      if (kind === "file") content = show(await readWhole(this.backend, path));
      if (kind === "symlink") content = await this.backend.readlink(path);
      const d: Described = {
        kind,
        size: kind === "directory" ? undefined : stat.size,
        nlink: stat.nlink,
      };
      got.set(path, `${show(this.withoutUnchecked(d))} ${content}`);
      if (kind !== "directory") return;
      for (const entry of await this.backend.readdir(path)) {
        await walk(path === "/" ? `/${entry.name}` : `${path}/${entry.name}`);
      }
    };
    try {
      await walk(this.root);
    } catch (err) {
      this.fail(`walking the backend tree failed: ${String(err)}`);
    }
    const paths = [...new Set([...want.keys(), ...got.keys()])].sort();
    for (const path of paths) {
      if (want.get(path) !== got.get(path)) {
        this.fail(
          `tree differs at ${path}: model ${want.get(path) ?? "(absent)"}, ` +
            `backend ${got.get(path) ?? "(absent)"}`,
        );
      }
    }
  }

  private fail(detail: string): never {
    const { seed } = this.options;
    const shown = this.history.slice(-200);
    const first = this.history.length - shown.length;
    const lines = shown.map((line, i) => `  ${String(first + i).padStart(5)}  ${line}`);
    throw new Error(
      `VFS fuzz mismatch (seed ${seed}, step ${this.step}): ${detail}\n` +
        `Replay: fuzzVfsAgainstModel(backend, { seed: ${seed}, steps: ${this.step + 1} })\n` +
        `History (expected outcomes${first > 0 ? `, last ${shown.length}` : ""}):\n` +
        lines.join("\n"),
    );
  }
}

function describeOp(op: Op): string {
  switch (op.name) {
    case "write": {
      const flags = [
        op.flags! & O_CREAT ? "CREAT" : "",
        op.flags! & O_TRUNC ? "TRUNC" : "",
        op.flags! & O_EXCL ? "EXCL" : "",
      ].filter(Boolean);
      const data = show(op.data);
      return `write ${op.path} @${op.position} ${data} [${flags.join("|")}]`;
    }
    case "rename":
    case "link":
      return `${op.name} ${op.path} -> ${op.dest}`;
    case "symlink":
      return `symlink ${JSON.stringify(op.target)} at ${op.path}`;
    case "truncate":
      return `truncate ${op.path} to ${op.length}`;
    default:
      return `${op.name} ${op.path}`;
  }
}

function showOutcome(outcome: Outcome): string {
  return outcome.ok ? `ok ${show(outcome.value)}` : outcome.code;
}

/** A compact, deterministic rendering for comparisons and messages. */
function show(value: unknown): string {
  if (value === undefined) return "";
  if (value instanceof Uint8Array) {
    return JSON.stringify(Array.from(value, (b) => String.fromCharCode(b)).join(""));
  }
  return JSON.stringify(value);
}

/**
 * Runs `options.steps` random operations on `backend` and on the reference model and throws
 * on the first disagreement. The backend's `options.root` (default "/") must start empty.
 */
export async function fuzzVfsAgainstModel(
  backend: VfsBackend,
  options: FuzzOptions,
): Promise<void> {
  await new Fuzzer(backend, options).run();
}
