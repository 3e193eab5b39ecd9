/**
 * A copy-on-write union of backends: one writable `upper` over read-only `lowers`
 * (`lowers[0]` is the topmost lower). Lowers are never written.
 *
 * Lookup: a name is taken from the topmost layer that has it. Directories merge with the
 * directories of the same name below them; a non-directory hides everything below it.
 *
 * Whiteouts and opaque directories are stored in the layers themselves (AUFS style), so any
 * backend can be an upper and a former upper can later serve as a lower:
 * - an empty file `.wh.X` in a directory hides `X` in the layers below;
 * - a file `.wh..wh..opq` in a directory hides the whole content of the directories of the
 *   same path below (the directory itself stays visible).
 * Every name starting with `.wh.` is reserved: lookups of such names fail with ENOENT, they
 * never appear in readdir, and creating one fails with EINVAL.
 *
 * Copy-up: any change to something that only exists in a lower first copies it to the upper,
 * with its parent directories, mode, owner and times (a file's data too, unless the change
 * discards it: O_TRUNC, truncate to 0, writeFile; a symlink as a symlink). Copying up does
 * not change the parent directory's times. A directory copies up shallowly.
 *
 * Choices:
 * - Renaming a directory that has lower content copies up its whole subtree first, then
 *   renames it in the upper and marks it opaque if a lower has something at the destination
 *   (cost: proportional to the subtree's size and data). This keeps `mv dir` working
 *   where Linux overlayfs without redirect_dir answers EXDEV.
 * - Hard links: a lower file that is copied up becomes an independent upper file; other lower
 *   names of the same lower inode keep showing the old lower data (overlayfs without
 *   index=on behaves the same). `link` to a lower file copies it up first, so both new names
 *   share the upper inode.
 * - Inode numbers are overlay-wide, allocated per (layer, dev, ino) on first sight and stable
 *   for the life of this OverlayFs. A copied-up object keeps its number, except a lower file
 *   with several links, whose copy is a different object and gets a new number.
 * - Every stat reports the same `dev`; a directory merged from several layers reports
 *   nlink 1 ("unknown", as overlayfs does) because counting subdirectories would need a
 *   readdir of every layer.
 * - A lower file opened read-only keeps reading the lower data even if the file is copied up
 *   and changed later through another descriptor.
 * - Operations run one at a time (a multi-step copy-up or rename must not interleave with
 *   another guest call); reads and writes on open files are not serialised.
 * - `dispose` disposes the upper only: lowers may be shared by several overlays.
 * - Lowers must not change while mounted (as with Linux overlayfs): directory stacks and
 *   which layer shows a path are cached between changes made through this overlay.
 * - When every layer answers synchronously (MemoryFs) and no operation is queued, lookups,
 *   readdir, readlink and read-only opens also answer synchronously (`lstatSync`, ...), which
 *   the namespace uses to walk paths without a promise per component.
 */
import { fsError, isKernelError, KernelError } from "./errors.ts";
import { basename, dirname, joinPath, splitPath } from "./path.ts";
import {
  type DirEntry,
  isDirMode,
  isFileMode,
  isLinkMode,
  isSyncCapable,
  markSyncCapable,
  O_ACCMODE,
  O_CREAT,
  O_EXCL,
  O_RDONLY,
  O_TRUNC,
  O_WRONLY,
  type Owner,
  type Stat,
  type VfsBackend,
  type VfsFile,
} from "./types.ts";

export interface OverlayFsOptions {
  upper: VfsBackend;
  lowers: VfsBackend[];
}

const WH = ".wh.";
const OPAQUE = ".wh..wh..opq";
const ROOT_OPAQUE = `/${OPAQUE}`;
const OPAQUE_SUFFIX = `/${OPAQUE}`;
const OVERLAY_DEV = 0x6f76;
const ROOT: Owner = { uid: 0, gid: 0 };
const CHUNK = 1 << 20;
const DIR_CACHE_MAX = 4096;

/** One layer's view of a path. `layer` 0 is the upper. */
interface Found {
  layer: number;
  stat: Stat;
}

/** The layers contributing to a path, topmost first; empty when the path does not exist. */
type Stack = Found[];

export class OverlayFs implements VfsBackend {
  readonly #layers: VfsBackend[];
  /** Whether every layer answers lstat synchronously (`lstatSync` on a marked backend). */
  readonly #syncLayers: boolean;
  /** Overlay inode numbers: per layer, by the layer's dev, then by its ino. */
  readonly #inos: Map<number, Map<number, number>>[] = [];
  #nextIno = 1;
  #queue: Promise<unknown> = Promise.resolve();
  /** Operations queued by `#serial` that have not finished; synchronous calls need none. */
  #pending = 0;
  /**
   * Stacks of directories, used only as parent stacks (layer lists) while nothing changes:
   * the namespace looks up every component of a path, and each would otherwise re-resolve
   * all the directories above it. Emptied by every changing operation.
   */
  readonly #dirs = new Map<string, Stack>();
  /**
   * What `lstatSync` found at paths, kept under the same rule: the topmost layer showing the
   * path times 2, plus 1 when it is a directory merged from several layers; -1 when missing.
   */
  readonly #lookups = new Map<string, number>();
  #caching = true;
  /** Gives OverlayFile the overlay's view of a layer's stat. */
  readonly #fileView = (layer: number, st: Stat): Stat => this.#view({ layer, stat: st }, false);

  constructor(options: OverlayFsOptions) {
    this.#layers = [options.upper, ...options.lowers];
    this.#syncLayers = this.#layers.every((l) => isSyncCapable(l) && l.lstatSync !== undefined);
    // Lookups and read-only opens can answer synchronously when no operation is under way.
    markSyncCapable(this);
  }

  get #upper(): VfsBackend {
    return this.#layers[0];
  }

  /**
   * Runs `fn` after every earlier operation has finished. Its errors name `path` (and
   * `dest`), whatever layer path or marker the failing step was about.
   */
  #serial<T>(
    mutates: boolean,
    path: string,
    dest: string | undefined,
    fn: () => Promise<T>,
  ): Promise<T> {
    this.#pending++;
    const body = async (): Promise<T> => {
      try {
        if (!mutates) return await fn();
        // A change can make any cached directory stack wrong, even halfway through itself.
        this.#dirs.clear();
        this.#lookups.clear();
        this.#caching = false;
        try {
          return await fn();
        } finally {
          this.#caching = true;
        }
      } finally {
        this.#pending--;
      }
    };
    const run = this.#queue.then(body).catch((err: unknown) => {
      throw renamed(err, path, dest);
    });
    this.#queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /**
   * Whether a synchronous call may run now: every layer answers synchronously and no queued
   * operation is unfinished (so the call sees what it would see after them, as `#serial`
   * would order it).
   */
  #canSync(): boolean {
    return this.#pending === 0 && this.#syncLayers;
  }

  // ---- lookup --------------------------------------------------------------------------

  /**
   * Rejects reserved names: ENOENT when looked up, EINVAL when the last component is to be
   * created (`creating`).
   */
  #checkNames(path: string, syscall: string, creating = false): void {
    if (!path.includes(WH)) return;
    const parts = splitPath(path);
    for (let i = 0; i < parts.length; i++) {
      if (!parts[i].startsWith(WH)) continue;
      if (creating && i === parts.length - 1) throw fsError("EINVAL", syscall, path);
      throw fsError("ENOENT", syscall, path);
    }
  }

  async #tryLstat(layer: number, path: string): Promise<Stat | null> {
    const backend = this.#layers[layer];
    // Only on a marked backend: a wrapper forwarding tryLstat would skip its own lstat.
    if (backend.tryLstat && isSyncCapable(backend)) return backend.tryLstat(path);
    try {
      return await backend.lstat(path);
    } catch (err) {
      if (isKernelError(err, "ENOENT") || isKernelError(err, "ENOTDIR")) return null;
      throw err;
    }
  }

  async #exists(layer: number, path: string): Promise<boolean> {
    return (await this.#tryLstat(layer, path)) !== null;
  }

  /**
   * lstat of `path` in `layer` without waiting: null when missing, undefined when the layer
   * cannot answer synchronously right now.
   */
  #lstatSync(layer: number, path: string): Stat | null | undefined {
    return this.#syncLayers ? this.#layers[layer].lstatSync!(path) : undefined;
  }

  /** The stack of `path`; intermediate problems throw ENOENT / ENOTDIR naming `orig`. */
  async #resolve(path: string, syscall: string, orig = path): Promise<Stack> {
    const fast = this.#resolveSync(path, syscall, orig);
    if (fast !== undefined) return fast;
    if (path === "/") {
      const stack: Stack = [];
      for (let layer = 0; layer < this.#layers.length; layer++) {
        const st = await this.#tryLstat(layer, "/");
        if (!st || !isDirMode(st.mode)) continue;
        stack.push({ layer, stat: st });
        if (await this.#exists(layer, joinPath("/", OPAQUE))) break;
      }
      return stack;
    }
    const parent = dirname(path);
    const parentStack = await this.#resolveDir(parent, syscall, orig);
    return this.#child(parentStack, parent, basename(path));
  }

  async #resolveDir(path: string, syscall: string, orig: string): Promise<Stack> {
    const cached = this.#caching ? this.#dirs.get(path) : undefined;
    if (cached) return cached;
    const stack = await this.#resolve(path, syscall, orig);
    return this.#checkDir(path, stack, syscall, orig);
  }

  /** A directory's stack, checked (ENOENT, ENOTDIR naming `orig`) and cached. */
  #checkDir(path: string, stack: Stack, syscall: string, orig: string): Stack {
    if (stack.length === 0) throw fsError("ENOENT", syscall, orig);
    if (!isDirMode(stack[0].stat.mode)) throw fsError("ENOTDIR", syscall, orig);
    if (this.#caching) {
      if (this.#dirs.size >= DIR_CACHE_MAX) this.#dirs.clear();
      this.#dirs.set(path, stack);
    }
    return stack;
  }

  /** The stack of `name` inside the directory whose stack is `parentStack`. */
  async #child(parentStack: Stack, parent: string, name: string): Promise<Stack> {
    const path = joinPath(parent, name);
    const fast = this.#childSync(parentStack, parent, name, path);
    if (fast !== undefined) return fast;
    const stack: Stack = [];
    for (let i = 0; i < parentStack.length; i++) {
      const layer = parentStack[i].layer;
      const st = await this.#tryLstat(layer, path);
      if (!st) {
        if (await this.#exists(layer, joinPath(parent, WH + name))) break;
        continue;
      }
      // Below a non-directory nothing shows; a non-directory below a directory is hidden.
      if (stack.length > 0 && !isDirMode(st.mode)) break;
      stack.push({ layer, stat: st });
      if (!isDirMode(st.mode)) break;
      if (i + 1 < parentStack.length && (await this.#exists(layer, joinPath(path, OPAQUE)))) break;
    }
    return stack;
  }

  /**
   * `#resolve` without waiting, or undefined when a layer cannot answer synchronously (then
   * nothing has changed but the directory cache). Each Stat in the result is fresh.
   */
  #resolveSync(path: string, syscall: string, orig = path): Stack | undefined {
    if (!this.#syncLayers) return undefined;
    if (path === "/") {
      const stack: Stack = [];
      for (let layer = 0; layer < this.#layers.length; layer++) {
        const st = this.#lstatSync(layer, "/");
        if (st === undefined) return undefined;
        if (!st || !isDirMode(st.mode)) continue;
        stack.push({ layer, stat: st });
        const opaque = this.#lstatSync(layer, ROOT_OPAQUE);
        if (opaque === undefined) return undefined;
        if (opaque) break;
      }
      return stack;
    }
    const slash = path.lastIndexOf("/");
    const parent = slash === 0 ? "/" : path.slice(0, slash);
    let parentStack = this.#caching ? this.#dirs.get(parent) : undefined;
    if (parentStack === undefined) {
      const stack = this.#resolveSync(parent, syscall, orig);
      if (stack === undefined) return undefined;
      parentStack = this.#checkDir(parent, stack, syscall, orig);
    }
    return this.#childSync(parentStack, parent, path.slice(slash + 1), path);
  }

  /** `#child` without waiting (`path` is `parent`/`name`), or undefined as `#resolveSync`. */
  #childSync(parentStack: Stack, parent: string, name: string, path: string): Stack | undefined {
    if (!this.#syncLayers) return undefined;
    const stack: Stack = [];
    for (let i = 0; i < parentStack.length; i++) {
      const layer = parentStack[i].layer;
      const st = this.#lstatSync(layer, path);
      if (st === undefined) return undefined;
      if (st === null) {
        const whiteout = this.#lstatSync(layer, joinPath(parent, WH + name));
        if (whiteout === undefined) return undefined;
        if (whiteout) break;
        continue;
      }
      // Below a non-directory nothing shows; a non-directory below a directory is hidden.
      if (stack.length > 0 && !isDirMode(st.mode)) break;
      stack.push({ layer, stat: st });
      if (!isDirMode(st.mode)) break;
      if (i + 1 < parentStack.length) {
        const opaque = this.#lstatSync(layer, path + OPAQUE_SUFFIX);
        if (opaque === undefined) return undefined;
        if (opaque) break;
      }
    }
    return stack;
  }

  async #existing(path: string, syscall: string): Promise<Stack> {
    this.#checkNames(path, syscall);
    const stack = await this.#resolve(path, syscall);
    if (stack.length === 0) throw fsError("ENOENT", syscall, path);
    return stack;
  }

  /** Whether some lower (ignoring the upper) shows `name` in the directory of `parentStack`. */
  async #lowersHave(parentStack: Stack, parent: string, name: string): Promise<boolean> {
    for (const { layer } of parentStack) {
      if (layer === 0) continue;
      if (await this.#exists(layer, joinPath(parent, name))) return true;
      if (await this.#exists(layer, joinPath(parent, WH + name))) return false;
    }
    return false;
  }

  // ---- inode numbers -----------------------------------------------------------------------

  #key(layer: number, st: Stat): string {
    return `${layer}:${st.dev}:${st.ino}`;
  }

  /** The numbers of `layer`'s objects on its device `dev` (created on first use). */
  #inoMap(layer: number, dev: number): Map<number, number> {
    let byDev = this.#inos[layer];
    if (byDev === undefined) {
      byDev = new Map();
      this.#inos[layer] = byDev;
    }
    let byIno = byDev.get(dev);
    if (byIno === undefined) {
      byIno = new Map();
      byDev.set(dev, byIno);
    }
    return byIno;
  }

  #ino(layer: number, st: Stat): number {
    const map = this.#inoMap(layer, st.dev);
    let ino = map.get(st.ino);
    if (ino === undefined) {
      ino = this.#nextIno++;
      map.set(st.ino, ino);
    }
    return ino;
  }

  #view(found: Found, merged: boolean): Stat {
    const st = found.stat;
    return {
      ...st,
      dev: OVERLAY_DEV,
      ino: this.#ino(found.layer, st),
      nlink: merged && isDirMode(st.mode) ? 1 : st.nlink,
    };
  }

  /** `#view` made in the layer's Stat itself, which must be fresh (from `#resolveSync`). */
  #viewInPlace(layer: number, st: Stat, merged: boolean): Stat {
    st.ino = this.#ino(layer, st);
    st.dev = OVERLAY_DEV;
    if (merged && isDirMode(st.mode)) st.nlink = 1;
    return st;
  }

  /** Drops the number of an upper object that is going away, so the map does not grow. */
  #forget(st: Stat): void {
    if (isDirMode(st.mode) || st.nlink <= 1) this.#inos[0]?.get(st.dev)?.delete(st.ino);
  }

  // ---- upper-side helpers --------------------------------------------------------------------

  async #createEmpty(path: string, mode: number, owner: Owner): Promise<void> {
    const upper = this.#upper;
    if (upper.writeFile) {
      await upper.writeFile(path, new Uint8Array(0), mode, owner);
      return;
    }
    const file = await upper.open(path, O_WRONLY | O_CREAT | O_TRUNC, mode, owner);
    await file.close();
  }

  async #writeWhiteout(parent: string, name: string): Promise<void> {
    await this.#createEmpty(joinPath(parent, WH + name), 0, ROOT);
  }

  async #removeWhiteout(parent: string, name: string): Promise<void> {
    try {
      await this.#upper.unlink(joinPath(parent, WH + name));
    } catch (err) {
      if (!isKernelError(err, "ENOENT")) throw err;
    }
  }

  /** Removes the reserved marker files from an upper directory that is merged-empty. */
  async #clearMarkers(path: string): Promise<void> {
    for (const entry of await this.#upper.readdir(path)) {
      if (entry.name.startsWith(WH)) await this.#upper.unlink(joinPath(path, entry.name));
    }
  }

  /** Makes sure the directory `path` exists in the upper (copying it and its parents up). */
  async #ensureUpperDir(path: string, syscall: string): Promise<void> {
    if (path === "/") return;
    const stack = await this.#resolveDir(path, syscall, path);
    if (stack[0].layer !== 0) await this.#copyUp(path, stack, true, syscall);
  }

  /** Copies the top of `stack` into the upper unless it is there already. */
  async #copyUp(path: string, stack: Stack, withData: boolean, syscall: string): Promise<void> {
    const src = stack[0];
    if (src.layer === 0) return;
    const parent = dirname(path);
    await this.#ensureUpperDir(parent, syscall);
    const upper = this.#upper;
    const lower = this.#layers[src.layer];
    const st = src.stat;
    const owner = { uid: st.uid, gid: st.gid };
    const parentTimes = await upper.lstat(parent);
    if (isDirMode(st.mode)) {
      await upper.mkdir(path, st.mode & 0o7777, owner);
    } else if (isLinkMode(st.mode)) {
      await upper.symlink(await lower.readlink(path), path, owner);
    } else if (isFileMode(st.mode)) {
      await this.#copyData(lower, path, st, owner, withData);
    } else {
      // Devices, FIFOs and sockets cannot be created through VfsBackend.
      throw fsError("ENOTSUP", syscall, path);
    }
    try {
      // Metadata is best effort: an upper that cannot store it still gets the data.
      if (!isLinkMode(st.mode)) await bestEffort(() => upper.chmod(path, st.mode & 0o7777));
      await bestEffort(() => upper.chown(path, st.uid, st.gid));
      await bestEffort(() => upper.utimes(path, st.atimeMs, st.mtimeMs));
      // Copying up is not a change of the parent directory.
      await bestEffort(() => upper.utimes(parent, parentTimes.atimeMs, parentTimes.mtimeMs));
    } catch (err) {
      await this.#discard(path, st);
      throw err;
    }
    const copy = await upper.lstat(path);
    if (isDirMode(st.mode) || st.nlink <= 1)
      this.#inoMap(0, copy.dev).set(copy.ino, this.#ino(src.layer, st));
  }

  async #copyData(
    lower: VfsBackend,
    path: string,
    st: Stat,
    owner: Owner,
    withData: boolean,
  ): Promise<void> {
    const out = await this.#upper.open(path, O_WRONLY | O_CREAT | O_EXCL, st.mode & 0o7777, owner);
    let failure: unknown;
    try {
      if (withData) {
        const input = await lower.open(path, O_RDONLY, 0, owner);
        try {
          const buffer = new Uint8Array(Math.min(CHUNK, Math.max(st.size, 1)));
          let position = 0;
          for (;;) {
            const n = await input.read(buffer, 0, buffer.length, position);
            if (n <= 0) break;
            let done = 0;
            while (done < n) done += await out.write(buffer, done, n - done, position + done);
            position += n;
          }
        } finally {
          await input.close();
        }
      }
    } catch (err) {
      failure = err;
    }
    await out.close();
    if (failure !== undefined) {
      await this.#discard(path, st);
      throw failure;
    }
  }

  /** Best-effort removal of a half-made copy. */
  async #discard(path: string, st: Stat): Promise<void> {
    try {
      if (isDirMode(st.mode)) await this.#upper.rmdir(path);
      else await this.#upper.unlink(path);
    } catch {
      // The original error matters more.
    }
  }

  /** Copies a directory and everything visible below it into the upper. */
  async #copyUpTree(path: string, stack: Stack, syscall: string): Promise<void> {
    // A directory seen in the upper only has nothing below it in the lowers either.
    if (stack.length === 1 && stack[0].layer === 0) return;
    await this.#copyUp(path, stack, true, syscall);
    for (const entry of await this.#mergedEntries(stack, path)) {
      const childStack = await this.#child(stack, path, entry.name);
      const childPath = joinPath(path, entry.name);
      if (childStack.length === 0) continue;
      if (isDirMode(childStack[0].stat.mode))
        await this.#copyUpTree(childPath, childStack, syscall);
      else await this.#copyUp(childPath, childStack, true, syscall);
    }
  }

  async #mergedEntries(stack: Stack, path: string): Promise<DirEntry[]> {
    const fast = this.#mergedEntriesSync(stack, path);
    if (fast !== undefined) return fast;
    const lists: DirEntry[][] = [];
    for (const { layer } of stack) lists.push(await this.#layers[layer].readdir(path));
    return mergeEntries(lists);
  }

  /** `#mergedEntries` without waiting, or undefined when a layer cannot list synchronously. */
  #mergedEntriesSync(stack: Stack, path: string): DirEntry[] | undefined {
    if (!this.#syncLayers) return undefined;
    const lists: DirEntry[][] = [];
    for (const { layer } of stack) {
      const list = this.#layers[layer].readdirSync?.(path);
      if (list === undefined) return undefined;
      lists.push(list);
    }
    return mergeEntries(lists);
  }

  #wrap(layer: number, file: VfsFile): VfsFile {
    return new OverlayFile(file, layer, this.#fileView);
  }

  // ---- VfsBackend: metadata ----------------------------------------------------------------

  lstat(path: string): Promise<Stat> {
    return this.#serial(false, path, undefined, async () => {
      const stack = await this.#existing(path, "lstat");
      return this.#view(stack[0], stack.length > 1);
    });
  }

  readdir(path: string): Promise<DirEntry[]> {
    return this.#serial(false, path, undefined, async () => {
      const stack = await this.#existing(path, "scandir");
      if (!isDirMode(stack[0].stat.mode)) throw fsError("ENOTDIR", "scandir", path);
      return this.#mergedEntries(stack, path);
    });
  }

  readlink(path: string): Promise<string> {
    return this.#serial(false, path, undefined, async () => {
      const stack = await this.#existing(path, "readlink");
      return this.#layers[stack[0].layer].readlink(path);
    });
  }

  // ---- VfsBackend: synchronous forms ---------------------------------------------------------
  // Each answers only when `#canSync()` (else undefined, and the caller uses the asynchronous
  // form), with the result and errors the asynchronous form would give at that moment.

  lstatSync(path: string): Stat | null | undefined {
    if (!this.#canSync()) return undefined;
    // A path seen before: which layer shows it is known, only its stat is fetched.
    const known = this.#lookups.get(path);
    if (known !== undefined) {
      if (known < 0) return null;
      const layer = known >> 1;
      const st = this.#lstatSync(layer, path);
      if (st) return this.#viewInPlace(layer, st, (known & 1) === 1);
    }
    let stack: Stack | undefined;
    try {
      this.#checkNames(path, "lstat");
      stack = this.#resolveSync(path, "lstat");
    } catch (err) {
      if (isKernelError(err, "ENOENT") || isKernelError(err, "ENOTDIR")) {
        this.#remember(path, -1);
        return null;
      }
      throw renamed(err, path, undefined);
    }
    if (stack === undefined) return undefined;
    if (stack.length === 0) {
      this.#remember(path, -1);
      return null;
    }
    const merged = stack.length > 1;
    this.#remember(path, stack[0].layer * 2 + (merged ? 1 : 0));
    return this.#viewInPlace(stack[0].layer, stack[0].stat, merged);
  }

  readdirSync(path: string): DirEntry[] | undefined {
    if (!this.#canSync()) return undefined;
    try {
      const stack = this.#existingSync(path, "scandir");
      if (stack === undefined) return undefined;
      if (!isDirMode(stack[0].stat.mode)) throw fsError("ENOTDIR", "scandir", path);
      return this.#mergedEntriesSync(stack, path);
    } catch (err) {
      throw renamed(err, path, undefined);
    }
  }

  readlinkSync(path: string): string | undefined {
    if (!this.#canSync()) return undefined;
    try {
      const stack = this.#existingSync(path, "readlink");
      if (stack === undefined) return undefined;
      const backend = this.#layers[stack[0].layer];
      return isSyncCapable(backend) ? backend.readlinkSync?.(path) : undefined;
    } catch (err) {
      throw renamed(err, path, undefined);
    }
  }

  /** Read-only opens of existing files only (anything else may change the upper). */
  openSync(path: string, flags: number, mode: number, owner: Owner): VfsFile | undefined {
    if ((flags & (O_ACCMODE | O_CREAT | O_TRUNC)) !== O_RDONLY || !this.#canSync())
      return undefined;
    try {
      this.#checkNames(path, "open");
      const stack = this.#resolveSync(path, "open");
      if (stack === undefined) return undefined;
      if (stack.length === 0) throw fsError("ENOENT", "open", path);
      const top = stack[0];
      if (isDirMode(top.stat.mode)) throw fsError("EISDIR", "open", path);
      const backend = this.#layers[top.layer];
      if (!isSyncCapable(backend) || !backend.openSync) return undefined;
      const file = backend.openSync(path, flags & ~O_EXCL, mode, owner);
      return file && this.#wrap(top.layer, file);
    } catch (err) {
      throw renamed(err, path, undefined);
    }
  }

  #remember(path: string, found: number): void {
    if (this.#lookups.size >= DIR_CACHE_MAX) this.#lookups.clear();
    this.#lookups.set(path, found);
  }

  /** `#existing` without waiting, or undefined as `#resolveSync`. */
  #existingSync(path: string, syscall: string): Stack | undefined {
    this.#checkNames(path, syscall);
    const stack = this.#resolveSync(path, syscall);
    if (stack !== undefined && stack.length === 0) throw fsError("ENOENT", syscall, path);
    return stack;
  }

  chmod(path: string, mode: number): Promise<void> {
    return this.#serial(true, path, undefined, async () => {
      const stack = await this.#existing(path, "chmod");
      await this.#copyUp(path, stack, true, "chmod");
      await this.#upper.chmod(path, mode);
    });
  }

  chown(path: string, uid: number, gid: number): Promise<void> {
    return this.#serial(true, path, undefined, async () => {
      const stack = await this.#existing(path, "chown");
      await this.#copyUp(path, stack, true, "chown");
      await this.#upper.chown(path, uid, gid);
    });
  }

  utimes(path: string, atimeMs: number, mtimeMs: number): Promise<void> {
    return this.#serial(true, path, undefined, async () => {
      const stack = await this.#existing(path, "utime");
      await this.#copyUp(path, stack, true, "utime");
      await this.#upper.utimes(path, atimeMs, mtimeMs);
    });
  }

  truncate(path: string, length: number): Promise<void> {
    return this.#serial(true, path, undefined, async () => {
      const stack = await this.#existing(path, "open");
      if (isDirMode(stack[0].stat.mode)) throw fsError("EISDIR", "open", path);
      if (!Number.isSafeInteger(length) || length < 0) throw fsError("EINVAL", "open", path);
      await this.#copyUp(path, stack, length > 0, "open");
      await this.#upper.truncate(path, length);
    });
  }

  // ---- VfsBackend: directory entries -----------------------------------------------------------

  mkdir(path: string, mode: number, owner: Owner): Promise<void> {
    return this.#serial(true, path, undefined, async () => {
      if (path === "/") throw fsError("EEXIST", "mkdir", path);
      this.#checkNames(path, "mkdir", true);
      const parent = dirname(path);
      const name = basename(path);
      const parentStack = await this.#resolveDir(parent, "mkdir", path);
      if ((await this.#child(parentStack, parent, name)).length > 0)
        throw fsError("EEXIST", "mkdir", path);
      await this.#ensureUpperDir(parent, "mkdir");
      const shadows = await this.#lowersHave(parentStack, parent, name);
      await this.#upper.mkdir(path, mode, owner);
      if (shadows) {
        // A new directory over a deleted lower one must not show the old content.
        try {
          await this.#createEmpty(joinPath(path, OPAQUE), 0, ROOT);
        } catch (err) {
          await this.#upper.rmdir(path);
          throw err;
        }
      }
      await this.#removeWhiteout(parent, name);
    });
  }

  rmdir(path: string): Promise<void> {
    return this.#serial(true, path, undefined, async () => {
      const stack = await this.#existing(path, "rmdir");
      if (!isDirMode(stack[0].stat.mode)) throw fsError("ENOTDIR", "rmdir", path);
      if (path === "/") throw fsError("EBUSY", "rmdir", path);
      if ((await this.#mergedEntries(stack, path)).length > 0)
        throw fsError("ENOTEMPTY", "rmdir", path);
      await this.#remove(path, stack, "rmdir");
    });
  }

  unlink(path: string): Promise<void> {
    return this.#serial(true, path, undefined, async () => {
      const stack = await this.#existing(path, "unlink");
      if (isDirMode(stack[0].stat.mode)) throw fsError("EISDIR", "unlink", path);
      await this.#remove(path, stack, "unlink");
    });
  }

  /** Removes `path` from the merged view: whiteout if a lower has it, then the upper entry. */
  async #remove(path: string, stack: Stack, syscall: string): Promise<void> {
    const parent = dirname(path);
    const name = basename(path);
    const parentStack = await this.#resolveDir(parent, syscall, path);
    const whiteout = await this.#lowersHave(parentStack, parent, name);
    if (whiteout) {
      await this.#ensureUpperDir(parent, syscall);
      await this.#writeWhiteout(parent, name);
    }
    if (stack[0].layer !== 0) return;
    const st = stack[0].stat;
    try {
      if (isDirMode(st.mode)) {
        await this.#clearMarkers(path);
        await this.#upper.rmdir(path);
      } else {
        await this.#upper.unlink(path);
      }
    } catch (err) {
      if (whiteout) await this.#removeWhiteout(parent, name);
      throw err;
    }
    this.#forget(st);
  }

  rename(from: string, to: string): Promise<void> {
    return this.#serial(true, from, to, async () => {
      this.#checkNames(from, "rename");
      this.#checkNames(to, "rename", true);
      const fromParent = dirname(from);
      const fromName = basename(from);
      const toParent = dirname(to);
      const toName = basename(to);
      // Checks in the order rename(2) makes them, so errno precedence matches other backends.
      const fromParentStack = await this.#resolveDir(fromParent, "rename", from);
      const toParentStack = await this.#resolveDir(toParent, "rename", to);
      if (from === "/" || to === "/") throw fsError("EBUSY", "rename", from, to);
      const src = await this.#child(fromParentStack, fromParent, fromName);
      if (src.length === 0) throw fsError("ENOENT", "rename", from, to);
      if (to.startsWith(from + "/")) throw fsError("EINVAL", "rename", from, to);
      if (from.startsWith(to + "/")) throw fsError("ENOTEMPTY", "rename", from, to);
      const dst = await this.#child(toParentStack, toParent, toName);
      if (from === to) return;
      const srcIsDir = isDirMode(src[0].stat.mode);
      if (dst.length > 0) {
        // Two names of one inode: rename(2) does nothing.
        if (
          dst[0].layer === src[0].layer &&
          this.#key(0, dst[0].stat) === this.#key(0, src[0].stat)
        )
          return;
        const dstIsDir = isDirMode(dst[0].stat.mode);
        if (srcIsDir && !dstIsDir) throw fsError("ENOTDIR", "rename", from, to);
        if (!srcIsDir && dstIsDir) throw fsError("EISDIR", "rename", from, to);
        if (dstIsDir && (await this.#mergedEntries(dst, to)).length > 0) {
          throw fsError("ENOTEMPTY", "rename", from, to);
        }
      }
      const leavesLower = await this.#lowersHave(fromParentStack, fromParent, fromName);
      const coversLower = await this.#lowersHave(toParentStack, toParent, toName);

      // Bring the source and the destination's directory into the upper.
      if (srcIsDir) await this.#copyUpTree(from, src, "rename");
      else await this.#copyUp(from, src, true, "rename");
      await this.#ensureUpperDir(toParent, "rename");
      // An existing destination directory is merged-empty: only markers can be left in it.
      if (dst.length > 0 && dst[0].layer === 0 && isDirMode(dst[0].stat.mode))
        await this.#clearMarkers(to);
      const replaced = dst.length > 0 && dst[0].layer === 0 ? dst[0].stat : null;

      await this.#upper.rename(from, to);
      if (replaced) this.#forget(replaced);
      if (srcIsDir && coversLower && !(await this.#exists(0, joinPath(to, OPAQUE)))) {
        await this.#createEmpty(joinPath(to, OPAQUE), 0, ROOT);
      }
      await this.#removeWhiteout(toParent, toName);
      if (leavesLower) await this.#writeWhiteout(fromParent, fromName);
    });
  }

  link(existing: string, newPath: string): Promise<void> {
    return this.#serial(true, existing, newPath, async () => {
      const src = await this.#existing(existing, "link");
      this.#checkNames(newPath, "link", true);
      const parent = dirname(newPath);
      const name = basename(newPath);
      const parentStack = await this.#resolveDir(parent, "link", newPath);
      if ((await this.#child(parentStack, parent, name)).length > 0) {
        throw fsError("EEXIST", "link", existing, newPath);
      }
      if (isDirMode(src[0].stat.mode)) throw fsError("EPERM", "link", existing, newPath);
      await this.#copyUp(existing, src, true, "link");
      await this.#ensureUpperDir(parent, "link");
      await this.#upper.link(existing, newPath);
      await this.#removeWhiteout(parent, name);
    });
  }

  /** Like Node, symlink errors name the target as path and the new link as dest. */
  symlink(target: string, path: string, owner: Owner): Promise<void> {
    return this.#serial(true, target, path, async () => {
      if (path === "/") throw fsError("EEXIST", "symlink", path);
      this.#checkNames(path, "symlink", true);
      const parent = dirname(path);
      const name = basename(path);
      const parentStack = await this.#resolveDir(parent, "symlink", path);
      if ((await this.#child(parentStack, parent, name)).length > 0)
        throw fsError("EEXIST", "symlink", path);
      await this.#ensureUpperDir(parent, "symlink");
      await this.#upper.symlink(target, path, owner);
      await this.#removeWhiteout(parent, name);
    });
  }

  // ---- VfsBackend: file contents -----------------------------------------------------------

  open(path: string, flags: number, mode: number, owner: Owner): Promise<VfsFile> {
    const creating = (flags & O_CREAT) !== 0;
    const writing = (flags & O_ACCMODE) !== O_RDONLY || (flags & O_TRUNC) !== 0;
    return this.#serial(creating || writing, path, undefined, async () => {
      this.#checkNames(path, "open", creating);
      const stack = await this.#resolve(path, "open");
      if (stack.length > 0) {
        if (creating && flags & O_EXCL) throw fsError("EEXIST", "open", path);
        const top = stack[0];
        if (isDirMode(top.stat.mode)) throw fsError("EISDIR", "open", path);
        const existingFlags = flags & ~(O_CREAT | O_EXCL);
        if (!writing) {
          return this.#wrap(
            top.layer,
            await this.#layers[top.layer].open(path, existingFlags, mode, owner),
          );
        }
        await this.#copyUp(path, stack, (flags & O_TRUNC) === 0, "open");
        return this.#wrap(0, await this.#upper.open(path, existingFlags, mode, owner));
      }
      if (!creating) throw fsError("ENOENT", "open", path);
      const parent = dirname(path);
      await this.#ensureUpperDir(parent, "open");
      const file = await this.#upper.open(path, flags, mode, owner);
      await this.#removeWhiteout(parent, basename(path));
      return this.#wrap(0, file);
    });
  }

  readFile(path: string): Promise<Uint8Array> {
    return this.#serial(false, path, undefined, async () => {
      const stack = await this.#existing(path, "open");
      const top = stack[0];
      if (isDirMode(top.stat.mode)) throw fsError("EISDIR", "read", path);
      const backend = this.#layers[top.layer];
      if (backend.readFile) return backend.readFile(path);
      const file = await backend.open(path, O_RDONLY, 0, ROOT);
      try {
        return await readWhole(file);
      } finally {
        await file.close();
      }
    });
  }

  writeFile(path: string, data: Uint8Array, mode: number, owner: Owner): Promise<void> {
    return this.#serial(true, path, undefined, async () => {
      this.#checkNames(path, "open", true);
      const parent = dirname(path);
      const stack = await this.#resolve(path, "open");
      if (stack.length > 0) {
        if (isDirMode(stack[0].stat.mode)) throw fsError("EISDIR", "open", path);
        await this.#copyUp(path, stack, false, "open");
      } else {
        await this.#ensureUpperDir(parent, "open");
      }
      const upper = this.#upper;
      if (upper.writeFile) {
        await upper.writeFile(path, data, mode, owner);
      } else {
        const file = await upper.open(path, O_WRONLY | O_CREAT | O_TRUNC, mode, owner);
        try {
          let done = 0;
          while (done < data.length) done += await file.write(data, done, data.length - done, done);
        } finally {
          await file.close();
        }
      }
      if (stack.length === 0) await this.#removeWhiteout(parent, basename(path));
    });
  }

  usage(): { usedBytes: number; totalBytes: number; usedInodes: number } {
    return this.#upper.usage?.() ?? { usedBytes: 0, totalBytes: 0, usedInodes: 0 };
  }

  async dispose(): Promise<void> {
    await this.#upper.dispose?.();
  }
}

/** A file of one layer, with stat() reporting overlay inode numbers. */
class OverlayFile implements VfsFile {
  readonly #inner: VfsFile;
  readonly #layer: number;
  readonly #view: (layer: number, st: Stat) => Stat;

  constructor(inner: VfsFile, layer: number, view: (layer: number, st: Stat) => Stat) {
    this.#inner = inner;
    this.#layer = layer;
    this.#view = view;
  }

  readChunk(position: number, max: number): Promise<Uint8Array> {
    if (this.#inner.readChunk) return this.#inner.readChunk(position, max);
    const buffer = new Uint8Array(max);
    return this.#inner
      .read(buffer, 0, max, position)
      .then((n) => (n === max ? buffer : buffer.subarray(0, n)));
  }

  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return this.#inner.read(buffer, offset, length, position);
  }

  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return this.#inner.write(buffer, offset, length, position);
  }

  async stat(): Promise<Stat> {
    return this.#view(this.#layer, await this.#inner.stat());
  }

  truncate(length: number): Promise<void> {
    return this.#inner.truncate(length);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}

/**
 * The entries of a merged directory from its layers' lists, topmost first: a name shows from
 * the topmost layer that has it, unless a whiteout above hides it; markers never show.
 */
function mergeEntries(lists: DirEntry[][]): DirEntry[] {
  const out: DirEntry[] = [];
  if (lists.length === 1) {
    // One layer: its names are distinct and its whiteouts hide nothing in it.
    for (const entry of lists[0]) if (!entry.name.startsWith(WH)) out.push(entry);
    return out;
  }
  const seen = new Set<string>();
  const hidden = new Set<string>();
  for (const list of lists) {
    const whiteouts: string[] = [];
    for (const entry of list) {
      if (entry.name.startsWith(WH)) {
        if (entry.name !== OPAQUE) whiteouts.push(entry.name.slice(WH.length));
        continue;
      }
      if (seen.has(entry.name) || hidden.has(entry.name)) continue;
      seen.add(entry.name);
      out.push(entry);
    }
    for (const name of whiteouts) hidden.add(name);
  }
  return out;
}

/** Runs a metadata call an upper may not support (ENOSYS, ENOTSUP) or allow (EPERM). */
async function bestEffort(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!isKernelError(err) || !["ENOSYS", "ENOTSUP", "EPERM"].includes(err.code)) throw err;
  }
}

/** Re-raises a KernelError so it names the operation's own path(s). */
function renamed(err: unknown, path: string, dest: string | undefined): unknown {
  if (!(err instanceof KernelError) || (err.path === path && err.dest === dest)) return err;
  return new KernelError(err.code, err.syscall, path, dest);
}

async function readWhole(file: VfsFile): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = new Uint8Array(CHUNK);
    const n = await file.read(chunk, 0, chunk.length, total);
    if (n <= 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
