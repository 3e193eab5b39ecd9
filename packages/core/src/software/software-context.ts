/**
 * The SoftwareContext a descriptor's callbacks get: VM paths of the packages it made visible.
 */
import type { SoftwareContext } from "./define-software.ts";
import { binEntry, type HostPackage } from "./host-packages.ts";

export function createSoftwareContext(
  softwareName: string,
  packages: readonly HostPackage[],
): SoftwareContext {
  const find = (packageName: string): HostPackage => {
    const pkg = packages.find((p) => p.name === packageName);
    if (!pkg)
      throw new Error(
        `software "${softwareName}": package "${packageName}" is not visible in the VM ` +
          `(available: ${packages.map((p) => p.name).join(", ")})`,
      );
    return pkg;
  };
  return {
    resolveBin(packageName, binName) {
      const pkg = find(packageName);
      try {
        return `${pkg.vmDir}/${binEntry(pkg, binName)}`;
      } catch (err) {
        throw new Error(`software "${softwareName}": ${(err as Error).message}`);
      }
    },
    resolvePackage(packageName) {
      return find(packageName).vmDir;
    },
  };
}
