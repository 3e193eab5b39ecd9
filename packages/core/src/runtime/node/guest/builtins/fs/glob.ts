/**
 * fs.glob / globSync / promises.glob: picomatch decides what matches; the walk starts at each
 * pattern's static base and descends only as deep as the pattern can reach (all the way for
 * `**`). Dotfiles are not matched by wildcards, as in Node. One generator serves the sync and
 * async forms (bridge.ts).
 */
import picomatch from "picomatch";
import { codedError, describeReceived, invalidArgType } from "../../errors.ts";
import { loadBuiltin } from "../registry.ts";
import type { Steps } from "./bridge.ts";
import { type Dirent, DirentFromStats } from "./dirent.ts";
import { PLANS } from "./plans.ts";

interface GlobOptions {
  cwd?: string | URL;
  exclude?: ((entry: string | Dirent) => unknown) | string[];
  withFileTypes?: boolean;
}

interface PathModule {
  normalize(path: string): string;
  join(...parts: string[]): string;
  resolve(...parts: string[]): string;
  basename(path: string): string;
  dirname(path: string): string;
  isAbsolute(path: string): boolean;
}

const path = () => loadBuiltin("path") as PathModule;

function patternsOf(pattern: unknown): string[] {
  const list = Array.isArray(pattern) ? pattern : [pattern];
  for (const p of list) {
    if (typeof p !== "string") {
      throw invalidArgType("pattern", "of type string or an instance of Array", pattern);
    }
  }
  return list as string[];
}

/**
 * Node asks `exclude` (a function) about entries only where it walks: each entry a `**` segment
 * looks at (its name, or its readdir Dirent with withFileTypes) and each directory it is about
 * to enter (the path relative to cwd, or a DirentFromStats of that path). Glob `exclude`
 * patterns are resolved against cwd and tested on absolute paths.
 */
class Exclusion {
  readonly #fn: ((entry: string | Dirent) => unknown) | undefined;
  readonly #globs: ((path: string) => boolean) | undefined;
  readonly #cwd: string;
  readonly #withFileTypes: boolean;

  constructor(opts: GlobOptions, cwd: string) {
    validateExclude(opts.exclude);
    this.#cwd = cwd;
    this.#withFileTypes = opts.withFileTypes === true;
    if (typeof opts.exclude === "function") this.#fn = opts.exclude;
    else if (Array.isArray(opts.exclude)) {
      const globs = opts.exclude.map((p) => path().resolve(cwd, p));
      this.#globs = picomatch(globs);
    }
  }

  /** Array form: is the path (relative to cwd) excluded from results and from the walk? */
  path(rel: string): boolean {
    return this.#globs?.(path().resolve(this.#cwd, rel)) ?? false;
  }

  /** Function form, for an entry a `**` segment looks at. */
  entry(entry: Dirent): boolean {
    return Boolean(this.#fn?.(this.#withFileTypes ? entry : entry.name));
  }

  /** Function form, before entering a directory; `yield*` it (it may lstat). */
  *directory(rel: string): Steps<boolean> {
    if (!this.#fn) return false;
    if (!this.#withFileTypes) return Boolean(this.#fn(rel));
    // Node lstats the path as given (relative to the process, not to the cwd option).
    const stats = (yield PLANS.lstat(rel, { throwIfNoEntry: false })) as object | undefined;
    if (!stats) return false;
    return Boolean(this.#fn(new DirentFromStats(path().basename(rel), stats, path().dirname(rel))));
  }
}

function validateExclude(exclude: unknown): void {
  if (exclude == null || typeof exclude === "function") return;
  const wrong = (name: string, expected: string, value: unknown) =>
    codedError(
      TypeError,
      "ERR_INVALID_ARG_TYPE",
      `The "${name}" property must be of type ${expected}. Received ${describeReceived(value)}`,
    );
  if (!Array.isArray(exclude)) throw wrong("options.exclude", "function or string[]", exclude);
  exclude.forEach((item, i) => {
    if (typeof item !== "string") throw wrong(`options.exclude[${i}]`, "string", item);
  });
}

/** The directories a walk from "." passes to reach `base`: "a", "a/b"; "/", "/x" if absolute. */
function prefixesOf(base: string): string[] {
  if (base === ".") return [];
  const parts = base.split("/");
  if (parts[0] === "")
    return ["/", ...parts.slice(1).map((_, i) => parts.slice(0, i + 2).join("/"))];
  return parts.map((_, i) => parts.slice(0, i + 1).join("/"));
}

export function* globSteps(pattern: unknown, options: unknown): Steps<Array<string | Dirent>> {
  const patterns = patternsOf(pattern);
  const opts = (options ?? {}) as GlobOptions;
  const cwd =
    opts.cwd === undefined ? "." : String(opts.cwd instanceof URL ? opts.cwd.pathname : opts.cwd);
  const exclusion = new Exclusion(opts, cwd);
  const results = new Set<string>();
  // readdir's Dirents by absolute path: Node's results reuse them when it looked them up so.
  const listed = new Map<string, Dirent>();
  const add = (rel: string) => {
    if (!exclusion.path(rel)) results.add(rel);
  };
  for (const raw of patterns) {
    const normal = path().normalize(raw).replace(/\/$/, "") || ".";
    const scan = picomatch.scan(normal);
    const base = scan.base || ".";
    const walked = scan.isGlob ? prefixesOf(base) : prefixesOf(path().dirname(normal));
    let refused = false;
    for (const dir of walked) {
      if (exclusion.path(dir) || (yield* exclusion.directory(dir))) {
        refused = true;
        break;
      }
    }
    if (refused) continue;
    if (!scan.isGlob) {
      const entry = (yield PLANS.lstat(path().resolve(cwd, normal), { throwIfNoEntry: false })) as
        | object
        | undefined;
      if (entry) add(normal);
      continue;
    }
    const matches = picomatch(normal, { dot: false });
    const segments = scan.glob.split("/");
    const firstGlobstar = segments.indexOf("**");
    const segmentMatches = segments.map((segment) => picomatch(segment, { dot: false }));
    const depth = segments.length;
    // Node lists "." itself only for the pattern "**" exactly.
    if (normal === "**") add(".");
    if (base !== "." && matches(base)) add(base);
    const queue: Array<[string, number]> = [[base, 1]];
    while (queue.length > 0) {
      const [dir, level] = queue.shift() as [string, number];
      let entries: Dirent[];
      try {
        entries = (yield PLANS.readdir(path().resolve(cwd, dir), {
          withFileTypes: true,
        })) as Dirent[];
      } catch {
        continue;
      }
      const underGlobstar = firstGlobstar !== -1 && level - 1 >= firstGlobstar;
      for (const entry of entries) {
        const rel = dir === "." ? entry.name : `${dir}/${entry.name}`;
        const dot = entry.name.startsWith(".");
        listed.set(path().resolve(cwd, rel), entry);
        if (underGlobstar && !dot && exclusion.entry(entry)) continue;
        if (matches(rel)) add(rel);
        const deeper = firstGlobstar !== -1 || level < depth;
        const fits = underGlobstar || segmentMatches[level - 1]?.(entry.name);
        if (!entry.isDirectory() || dot || !deeper || !fits || exclusion.path(rel)) continue;
        if (yield* exclusion.directory(rel)) continue;
        queue.push([rel, level + 1]);
      }
    }
  }
  if (!opts.withFileTypes) return [...results];
  const entries: Dirent[] = [];
  for (const rel of results) {
    const full = path().isAbsolute(rel) ? rel : path().join(cwd, rel);
    const known = path().isAbsolute(full) ? listed.get(full) : undefined;
    if (known) {
      entries.push(known);
      continue;
    }
    const stats = (yield PLANS.lstat(full, { throwIfNoEntry: false })) as object | undefined;
    if (stats)
      entries.push(new DirentFromStats(path().basename(full), stats, path().dirname(full)));
  }
  return entries;
}
