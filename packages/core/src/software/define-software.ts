/**
 * Software descriptors: what can be installed into a VM with the `software` option. Three
 * kinds, told apart by `type`: an `agent` (an ACP adapter and the agent it drives, launched by
 * sessions), a `tool` (npm packages whose bins become VM commands), and `wasm-commands` (a
 * directory of WebAssembly command binaries). `defineSoftware()` returns the descriptor after
 * checking its shape, so a typo fails where the package is defined.
 */
import { isAbsolute } from "node:path";

/** Resolves packages of a descriptor to their paths inside the VM. */
export interface SoftwareContext {
  /** A package's bin file, e.g. ("@scope/cli", "cli") → "/root/node_modules/@scope/cli/bin/cli.js". */
  resolveBin(packageName: string, binName?: string): string;
  /** A package's root directory, e.g. "pi-acp" → "/root/node_modules/pi-acp". */
  resolvePackage(packageName: string): string;
}

interface SoftwareBase {
  name: string;
}

interface NpmSoftware extends SoftwareBase {
  /** This package's directory on the host; `requires` are resolved from its node_modules. */
  packageDir: string;
  /** npm packages made visible (read-only) in the VM under /root/node_modules/<pkg>. */
  requires: string[];
}

export interface AgentSoftwareDescriptor extends NpmSoftware {
  type: "agent";
  agent: {
    /** The id passed to createSession(id). */
    id: string;
    /** npm package of the ACP adapter (must be in `requires`). */
    acpAdapter: string;
    /** npm package of the agent SDK or CLI (must be in `requires`). */
    agentPackage: string;
    /** Environment for the adapter process (under the session's own env). */
    staticEnv?: Record<string, string>;
    /** Environment computed when the VM boots, e.g. from resolved bin paths. */
    env?: (ctx: SoftwareContext) => Record<string, string>;
    /** Arguments put before the adapter's own when it is launched. */
    launchArgs?: string[];
    /** Evaluate the agent SDK into a shared V8 startup snapshot (falls back when unsafe). */
    snapshot?: boolean;
  };
}

export interface ToolSoftwareDescriptor extends NpmSoftware {
  type: "tool";
  /** VM command name → npm package (in `requires`) whose bin it runs. */
  bins: Record<string, string>;
}

export interface WasmCommandsSoftwareDescriptor extends SoftwareBase {
  type: "wasm-commands";
  /** Absolute host directory of `<command>.wasm` binaries. */
  commandDir: string;
  /** Alias name → command name. */
  aliases?: Record<string, string>;
  /** Permission tiers by command name ("*" for every command in readOnly). */
  permissions?: {
    full?: string[];
    readWrite?: string[];
    readOnly?: string[] | "*";
    isolated?: string[];
  };
}

export type SoftwareDescriptor =
  | AgentSoftwareDescriptor
  | ToolSoftwareDescriptor
  | WasmCommandsSoftwareDescriptor;

/** A descriptor or a bundle of them (arrays nest). */
export type SoftwareInput = SoftwareDescriptor | readonly SoftwareInput[];

/** Returns `descriptor` (or the bundle) unchanged after checking it; typed for editors. */
export function defineSoftware<T extends SoftwareInput>(descriptor: T): T {
  for (const one of flattenSoftware([descriptor])) checkSoftware("defineSoftware", one);
  return descriptor;
}

/** The descriptors of a `software` option, bundles flattened in order. */
export function flattenSoftware(input: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  const walk = (items: readonly unknown[], depth: number): void => {
    if (depth > 16) throw new TypeError("software: bundles are nested too deeply");
    for (const item of items) {
      if (Array.isArray(item)) walk(item, depth + 1);
      else out.push(item);
    }
  };
  walk(input, 0);
  return out;
}

const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/i;
const COMMAND_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+@-]*$/;

function fail(where: string, message: string): never {
  throw new TypeError(`${where}: ${message}`);
}

function checkStringRecord(where: string, value: unknown, what: string): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    fail(where, `${what} must be an object of strings`);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== "string") fail(where, `${what}.${key} must be a string`);
  }
  return value as Record<string, string>;
}

function checkNpm(where: string, d: Record<string, unknown>): void {
  if (typeof d.packageDir !== "string" || !isAbsolute(d.packageDir))
    fail(where, "packageDir must be an absolute host path");
  if (!Array.isArray(d.requires) || d.requires.length === 0)
    fail(where, "requires must be a non-empty array of npm package names");
  for (const name of d.requires) {
    if (typeof name !== "string" || !PACKAGE_NAME.test(name))
      fail(where, `requires: ${JSON.stringify(name)} is not an npm package name`);
  }
}

/** Checks one descriptor's shape; `method` names the caller in the message. */
export function checkSoftware(method: string, value: unknown): SoftwareDescriptor {
  if (typeof value !== "object" || value === null)
    fail(
      method,
      `software entries must be descriptors from defineSoftware(), got ${String(value)}`,
    );
  const d = value as Record<string, unknown>;
  if (typeof d.name !== "string" || d.name === "")
    fail(method, "software name must be a non-empty string");
  const where = `${method}: software "${d.name}"`;
  switch (d.type) {
    case "agent": {
      checkNpm(where, d);
      const agent = d.agent as Record<string, unknown> | undefined;
      if (typeof agent !== "object" || agent === null) fail(where, "agent must be an object");
      if (typeof agent.id !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(agent.id))
        fail(where, "agent.id must be a non-empty name (letters, digits, . _ -)");
      const requires = d.requires as string[];
      for (const key of ["acpAdapter", "agentPackage"] as const) {
        if (typeof agent[key] !== "string") fail(where, `agent.${key} must be an npm package name`);
        if (!requires.includes(agent[key] as string))
          fail(where, `agent.${key} ${JSON.stringify(agent[key])} must be listed in requires`);
      }
      if (agent.staticEnv !== undefined)
        checkStringRecord(where, agent.staticEnv, "agent.staticEnv");
      if (agent.env !== undefined && typeof agent.env !== "function")
        fail(where, "agent.env must be a function (ctx) => env");
      if (
        agent.launchArgs !== undefined &&
        (!Array.isArray(agent.launchArgs) || agent.launchArgs.some((a) => typeof a !== "string"))
      )
        fail(where, "agent.launchArgs must be an array of strings");
      if (agent.snapshot !== undefined && typeof agent.snapshot !== "boolean")
        fail(where, "agent.snapshot must be a boolean");
      break;
    }
    case "tool": {
      checkNpm(where, d);
      const bins = checkStringRecord(where, d.bins, "bins");
      if (Object.keys(bins).length === 0) fail(where, "bins must name at least one command");
      for (const [command, pkg] of Object.entries(bins)) {
        if (!COMMAND_NAME.test(command))
          fail(where, `bins: ${JSON.stringify(command)} is not a command name`);
        if (!(d.requires as string[]).includes(pkg))
          fail(where, `bins.${command}: package ${JSON.stringify(pkg)} must be listed in requires`);
      }
      break;
    }
    case "wasm-commands": {
      if (typeof d.commandDir !== "string" || !isAbsolute(d.commandDir))
        fail(where, "commandDir must be an absolute host path");
      if (d.aliases !== undefined) {
        for (const [alias, target] of Object.entries(
          checkStringRecord(where, d.aliases, "aliases"),
        )) {
          if (!COMMAND_NAME.test(alias) || !COMMAND_NAME.test(target))
            fail(
              where,
              `aliases: ${JSON.stringify(alias)} → ${JSON.stringify(target)} is not a command name`,
            );
        }
      }
      if (d.permissions !== undefined) {
        const p = d.permissions as Record<string, unknown>;
        if (typeof p !== "object" || p === null) fail(where, "permissions must be an object");
        for (const [tier, list] of Object.entries(p)) {
          if (!["full", "readWrite", "readOnly", "isolated"].includes(tier))
            fail(
              where,
              `permissions: unknown tier "${tier}" (full, readWrite, readOnly, isolated)`,
            );
          if (tier === "readOnly" && list === "*") continue;
          if (!Array.isArray(list) || list.some((c) => typeof c !== "string"))
            fail(where, `permissions.${tier} must be an array of command names`);
        }
      }
      break;
    }
    default:
      fail(where, `type must be "agent", "tool" or "wasm-commands", got ${JSON.stringify(d.type)}`);
  }
  return d as unknown as SoftwareDescriptor;
}
