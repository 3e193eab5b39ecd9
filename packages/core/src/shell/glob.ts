/**
 * Pathname expansion over the VM's filesystem: one pattern component per directory level,
 * `**` with globstar, hidden files only when the component starts with `.` (or dotglob), and
 * results sorted bytewise as bash does in the C locale.
 */
import { S_IFDIR, S_IFMT } from "../fs/types.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { compilePattern, hasGlobChars, unescapeGlob } from "./pattern.ts";

export interface GlobOptions {
  dotglob: boolean;
  extglob: boolean;
  nocaseglob: boolean;
  globstar: boolean;
}

function splitComponents(pattern: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\" && i + 1 < pattern.length) {
      current += c + pattern[++i];
    } else if (c === "/") {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts;
}

async function isDirectory(ctx: ProcessContext, path: string): Promise<boolean> {
  try {
    return ((await ctx.stat(path)).mode & S_IFMT) === S_IFDIR;
  } catch {
    return false;
  }
}

async function exists(ctx: ProcessContext, path: string): Promise<boolean> {
  try {
    await ctx.lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function list(ctx: ProcessContext, dir: string): Promise<string[]> {
  try {
    return (await ctx.readdir(dir === "" ? "." : dir)).map((e) => e.name);
  } catch {
    return [];
  }
}

/** Expands `pattern` (quoted characters backslash-escaped). Returns [] when nothing matches. */
export async function expandPathname(
  ctx: ProcessContext,
  pattern: string,
  options: GlobOptions,
): Promise<string[]> {
  const components = splitComponents(pattern);
  let prefixes: string[] = [""];
  let start = 0;
  if (components[0] === "") {
    prefixes = ["/"];
    start = 1;
  }
  for (let i = start; i < components.length; i++) {
    const component = components[i];
    const last = i === components.length - 1;
    if (component === "") {
      if (last) {
        // A trailing slash keeps only directories.
        const dirs: string[] = [];
        for (const p of prefixes) if (await isDirectory(ctx, p)) dirs.push(p);
        prefixes = dirs;
      }
      continue;
    }
    const next: string[] = [];
    const join = (prefix: string, name: string): string =>
      prefix === "" ? name : prefix.endsWith("/") ? prefix + name : `${prefix}/${name}`;
    if (!hasGlobChars(component, options.extglob)) {
      const name = unescapeGlob(component);
      for (const prefix of prefixes) {
        const path = join(prefix, name);
        if (last ? await exists(ctx, path) : await isDirectory(ctx, path)) next.push(path);
      }
    } else if (component === "**" && options.globstar) {
      for (const prefix of prefixes) {
        await walk(ctx, prefix, options, last, next, join);
      }
    } else {
      const re = compilePattern(component, {
        extglob: options.extglob,
        nocase: options.nocaseglob,
      });
      if (!re) return [];
      const explicitDot = component.startsWith(".") || component.startsWith("\\.");
      for (const prefix of prefixes) {
        for (const name of await list(ctx, prefix)) {
          if (name === "." || name === "..") continue;
          if (name.startsWith(".") && !explicitDot && !options.dotglob) continue;
          if (!re.test(name)) continue;
          const path = join(prefix, name);
          if (last || (await isDirectory(ctx, path))) next.push(path);
        }
      }
    }
    prefixes = next;
    if (prefixes.length === 0) return [];
  }
  if (components[components.length - 1] === "") prefixes = prefixes.map((p) => `${p}/`);
  return prefixes.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `**`: the prefix itself (as a directory level) and every directory below, or every path when last. */
async function walk(
  ctx: ProcessContext,
  prefix: string,
  options: GlobOptions,
  last: boolean,
  out: string[],
  join: (prefix: string, name: string) => string,
): Promise<void> {
  // `dir/**` lists `dir/` itself first; `**/x` also looks in the directory itself.
  if (!last) out.push(prefix);
  else if (prefix !== "") out.push(prefix.endsWith("/") ? prefix : `${prefix}/`);
  const visit = async (dir: string): Promise<void> => {
    for (const name of await list(ctx, dir)) {
      if (name.startsWith(".") && !options.dotglob) continue;
      const path = join(dir, name);
      // Like bash, ** does not descend through symbolic links (no loops).
      let directory = false;
      try {
        directory = ((await ctx.lstat(path)).mode & S_IFMT) === S_IFDIR;
      } catch {
        continue;
      }
      if (last || directory) out.push(path);
      if (directory) await visit(path);
    }
  };
  await visit(prefix);
}
