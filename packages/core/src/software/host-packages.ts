/**
 * Finds npm packages on the host the way Node's resolver does (each `node_modules` from a
 * directory up to the root) and collects everything a package needs at run time: its
 * dependencies, optional and peer dependencies, transitively. The VM gets each package that is
 * not already inside another one at /root/node_modules/<name>, so the guest's own resolution,
 * walking up from a package to /root/node_modules, finds the same files the host would.
 */
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";

export const VM_NODE_MODULES = "/root/node_modules";

export interface HostPackage {
  name: string;
  /** Real path of the package directory on the host. */
  hostDir: string;
  /** Where the package is visible inside the VM. */
  vmDir: string;
  manifest: PackageManifest;
}

export interface PackageManifest {
  name?: string;
  version?: string;
  bin?: string | Record<string, string>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** The package directory `name` resolves to from `fromDir`, or undefined. */
export function findPackageDir(fromDir: string, name: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function readManifest(dir: string): PackageManifest {
  try {
    return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageManifest;
  } catch (err) {
    throw new Error(`cannot read ${join(dir, "package.json")}: ${(err as Error).message}`);
  }
}

function selfName(dir: string): string | undefined {
  try {
    return readManifest(dir).name;
  } catch {
    return undefined;
  }
}

function inside(dir: string, parent: string): boolean {
  const rel = relative(parent, dir);
  return rel !== "" && !rel.startsWith("..") && !rel.startsWith(sep);
}

/**
 * The packages to make visible for `requires` resolved from `packageDir`: the required ones
 * and their run-time dependency closure, one entry per VM top-level name. A name met twice at
 * different host paths keeps the first (the nearest to `packageDir`, as npm hoists). Throws
 * when a required package is missing; a missing dependency of a dependency is left to fail at
 * require time in the guest, like on a host with a broken install.
 */
export function collectPackages(packageDir: string, requires: readonly string[]): HostPackage[] {
  const byName = new Map<string, HostPackage>();
  const visited = new Set<string>();
  const queue: Array<{ name: string; from: string; required: boolean }> = requires.map((name) => ({
    name,
    from: packageDir,
    required: true,
  }));
  const topLevel: HostPackage[] = [];
  while (queue.length > 0) {
    const { name, from, required } = queue.shift() as (typeof queue)[number];
    // A software package may require itself: packageDir is then the package.
    const hostDir =
      required && selfName(packageDir) === name
        ? realpathSync(packageDir)
        : findPackageDir(from, name);
    if (!hostDir) {
      if (required)
        throw new Error(
          `package "${name}" is not installed (looked in node_modules from ${packageDir} up)`,
        );
      continue;
    }
    if (visited.has(hostDir)) continue;
    visited.add(hostDir);
    const manifest = readManifest(hostDir);
    // Inside an already visible package (its own nested node_modules): visible with it.
    const container = topLevel.find((p) => inside(hostDir, p.hostDir));
    if (!container && !byName.has(name)) {
      const entry = { name, hostDir, vmDir: `${VM_NODE_MODULES}/${name}`, manifest };
      byName.set(name, entry);
      topLevel.push(entry);
    }
    for (const deps of [
      manifest.dependencies,
      manifest.optionalDependencies,
      manifest.peerDependencies,
    ]) {
      for (const dep of Object.keys(deps ?? {}))
        queue.push({ name: dep, from: hostDir, required: false });
    }
  }
  return topLevel;
}

/** The bin file of a package, relative to its directory (as package.json names it). */
export function binEntry(pkg: HostPackage, binName?: string): string {
  const bin = pkg.manifest.bin;
  const unscoped = pkg.name.replace(/^@[^/]+\//, "");
  let entry: string | undefined;
  if (typeof bin === "string") {
    if (binName === undefined || binName === unscoped || binName === pkg.name) entry = bin;
  } else if (bin && typeof bin === "object") {
    if (binName !== undefined) entry = bin[binName];
    else entry = bin[unscoped] ?? Object.values(bin)[0];
  }
  if (entry === undefined)
    throw new Error(
      `package "${pkg.name}" has no bin${binName === undefined ? "" : ` named "${binName}"`}` +
        (bin && typeof bin === "object" ? ` (bins: ${Object.keys(bin).join(", ")})` : ""),
    );
  return entry.replace(/^\.\//, "");
}
