/**
 * fs.glob / globSync / promises.glob: picomatch decides what matches; the walk starts at each
 * pattern's static base and descends only as deep as the pattern can reach (all the way for
 * `**`). Dotfiles are not matched by wildcards, as in Node. One generator serves the sync and
 * async forms (bridge.ts).
 */
import picomatch from "picomatch";
import { invalidArgType } from "../../errors.ts";
import { loadBuiltin } from "../registry.ts";
import type { Steps } from "./bridge.ts";
import type { Dirent } from "./dirent.ts";
import { PLANS } from "./plans.ts";

interface GlobOptions {
  cwd?: string | URL;
  exclude?: ((entry: string | Dirent) => boolean) | string[];
  withFileTypes?: boolean;
}

interface PathModule {
  normalize(path: string): string;
  join(...parts: string[]): string;
  resolve(...parts: string[]): string;
  basename(path: string): string;
  dirname(path: string): string;
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

export function* globSteps(pattern: unknown, options: unknown): Steps<Array<string | Dirent>> {
  const patterns = patternsOf(pattern);
  const opts = (options ?? {}) as GlobOptions;
  const cwd =
    opts.cwd === undefined ? "." : String(opts.cwd instanceof URL ? opts.cwd.pathname : opts.cwd);
  const excludeFn = typeof opts.exclude === "function" ? opts.exclude : undefined;
  const excludeMatch = Array.isArray(opts.exclude)
    ? picomatch(opts.exclude, { dot: true })
    : undefined;
  const seen = new Set<string>();
  const results: Array<string | Dirent> = [];
  const excluded = (rel: string, entry: Dirent | undefined): boolean => {
    if (excludeMatch?.(rel)) return true;
    if (!excludeFn) return false;
    return excludeFn(opts.withFileTypes && entry ? entry : rel) === true;
  };
  const add = (rel: string, entry: Dirent | undefined) => {
    if (seen.has(rel)) return;
    seen.add(rel);
    results.push(opts.withFileTypes && entry ? entry : rel);
  };
  for (const raw of patterns) {
    const normal = path().normalize(raw).replace(/\/$/, "") || ".";
    const scan = picomatch.scan(normal);
    const base = scan.base || ".";
    if (!scan.isGlob) {
      const entry = (yield PLANS.lstat(path().resolve(cwd, normal), { throwIfNoEntry: false })) as
        | object
        | undefined;
      if (entry) add(normal, undefined);
      continue;
    }
    const matches = picomatch(normal, { dot: false });
    const unlimited = scan.glob.includes("**");
    const depth = scan.glob.split("/").length;
    if (base !== "." && matches(base)) add(base, undefined);
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
      for (const entry of entries) {
        const rel = dir === "." ? entry.name : `${dir}/${entry.name}`;
        const shown = Object.assign(entry, { parentPath: dir });
        if (excluded(rel, shown)) continue;
        if (matches(rel)) add(rel, shown);
        if (entry.isDirectory() && (unlimited || level < depth) && !entry.name.startsWith(".")) {
          queue.push([rel, level + 1]);
        }
      }
    }
  }
  return results;
}
