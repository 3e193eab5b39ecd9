/**
 * The VM's permission options and how they become kernel policies. Each area is open until
 * the user configures it; once configured, only what is listed is allowed (deny by default).
 */
import picomatch from "picomatch";
import type { AccessPolicy } from "../fs/namespace.ts";
import type { KernelPolicy } from "../kernel/kernel.ts";
import type { ConnectCallback } from "../net/egress-policy.ts";
import { parseNetworkRule } from "../net/network-rule.ts";

export interface Permissions {
  /** Path globs processes may read and write ("/home/user/**"). Writing implies reading. */
  fs?: { read?: string[]; write?: string[] };
  /** Whether processes inside the VM may start other processes, or which command names. */
  childProcess?: boolean | string[];
  /** Names (globs) of environment variables callers may pass to processes. */
  env?: string[];
  /**
   * Outbound network policy, enforced by the network layer (net/egress-policy.ts). Entries
   * are host names ("api.example.com", "*.example.com"), addresses, CIDR ranges
   * ("10.0.0.0/8") or any of those with ":port". `deny` wins; with `allow`, only what it
   * lists leaves the VM; private, link-local and host-loopback addresses need an address or
   * CIDR `allow` entry. `onConnect` has the last word on each connection.
   */
  network?: { allow?: string[]; deny?: string[]; onConnect?: ConnectCallback };
}

export function validatePermissions(value: unknown): Permissions {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null)
    throw new TypeError("permissions must be an object");
  const p = value as Record<string, unknown>;
  for (const key of Object.keys(p)) {
    if (!["fs", "childProcess", "env", "network"].includes(key))
      throw new TypeError(`permissions: unknown key "${key}"`);
  }
  if (p.fs !== undefined) {
    const fs = p.fs as Record<string, unknown>;
    if (typeof fs !== "object" || fs === null)
      throw new TypeError("permissions.fs must be { read?, write? }");
    for (const key of ["read", "write"]) {
      if (fs[key] !== undefined && !isStringArray(fs[key]))
        throw new TypeError(`permissions.fs.${key} must be an array of path globs`);
    }
  }
  if (
    p.childProcess !== undefined &&
    typeof p.childProcess !== "boolean" &&
    !isStringArray(p.childProcess)
  ) {
    throw new TypeError("permissions.childProcess must be a boolean or an array of command names");
  }
  if (p.env !== undefined && !isStringArray(p.env))
    throw new TypeError("permissions.env must be an array of variable names");
  if (p.network !== undefined) {
    const net = p.network as Record<string, unknown>;
    if (typeof net !== "object" || net === null)
      throw new TypeError("permissions.network must be { allow?, deny?, onConnect? }");
    for (const key of Object.keys(net)) {
      if (!["allow", "deny", "onConnect"].includes(key))
        throw new TypeError(`permissions.network: unknown key "${key}"`);
    }
    for (const key of ["allow", "deny"]) {
      if (net[key] === undefined) continue;
      if (!isStringArray(net[key]))
        throw new TypeError(`permissions.network.${key} must be an array of strings`);
      (net[key] as string[]).forEach((entry, i) => {
        try {
          parseNetworkRule(entry);
        } catch (err) {
          throw new TypeError(`permissions.network.${key}[${i}]: ${(err as Error).message}`);
        }
      });
    }
    if (net.onConnect !== undefined && typeof net.onConnect !== "function")
      throw new TypeError("permissions.network.onConnect must be a function");
  }
  return p as Permissions;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

/** The filesystem policy, or undefined when the user left the filesystem open. */
export function fsAccessPolicy(permissions: Permissions): AccessPolicy | undefined {
  if (!permissions.fs) return undefined;
  const options = { dot: true };
  const write = picomatch(permissions.fs.write ?? [], options);
  const read = picomatch(
    [...(permissions.fs.read ?? []), ...(permissions.fs.write ?? [])],
    options,
  );
  // A directory named by a "dir/**" glob is itself allowed, as users mean it.
  return (path, access) => {
    const matcher = access === "write" ? write : read;
    return matcher(path) || matcher(path === "/" ? "/" : `${path}/`);
  };
}

export function kernelPolicy(permissions: Permissions): KernelPolicy {
  return { childProcess: permissions.childProcess };
}

/** Throws EPERM-style errors for caller-supplied variables the policy does not allow. */
export function checkEnvPolicy(
  permissions: Permissions,
  env: Record<string, string> | undefined,
  what: string,
): void {
  if (!env || !permissions.env) return;
  const allowed = picomatch(permissions.env);
  for (const name of Object.keys(env)) {
    if (!allowed(name)) {
      throw new Error(
        `${what}: EPERM: environment variable ${name} is not permitted by the VM's env policy`,
      );
    }
  }
}
