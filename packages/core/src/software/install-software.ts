/**
 * Turns the `software` VM option into what the VM installs at boot: read-only host mounts of
 * the required npm packages (at /root/node_modules/<pkg>), launchers for tool bins, commands
 * for WASM binaries, and the agents sessions can launch. Everything on the host is resolved
 * here, once, so a missing package fails `AgentOs.create` with a message naming it.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import {
  type AgentSoftwareDescriptor,
  checkSoftware,
  flattenSoftware,
  type SoftwareDescriptor,
} from "./define-software.ts";
import { collectPackages, type HostPackage } from "./host-packages.ts";
import { createSoftwareContext } from "./software-context.ts";
import { listWasmCommands, type WasmCommand, wasmCommandDefinition } from "./wasm-commands.ts";

/** Where tool launchers and WASM commands live in the VM (on the default PATH). */
export const SOFTWARE_BIN_DIR = "/usr/local/bin";

/** An agent a session can launch, with everything resolved to VM paths. */
export interface SoftwareAgent {
  id: string;
  software: string;
  acpAdapter: string;
  agentPackage: string;
  /** VM path of the adapter's bin, when its package declares one. */
  adapterBin?: string;
  /** staticEnv overlaid with env(ctx). */
  env: Record<string, string>;
  launchArgs: string[];
  snapshot: boolean;
  /** The packages visible to this agent in the VM (for its snapshot image). */
  packages: HostPackage[];
}

export interface InstalledSoftware {
  descriptors: SoftwareDescriptor[];
  /** Host package directories to mount read-only at their VM paths. */
  packages: HostPackage[];
  /** Files to create at boot (launchers). */
  files: Array<{ path: string; content: string; mode: number }>;
  commands: CommandDefinition[];
  wasmCommands: WasmCommand[];
  agents: SoftwareAgent[];
}

/** A file that runs a package's bin with the VM's node, keeping the caller's arguments. */
export function binLauncher(binPath: string): string {
  return `#!/bin/sh\nexec node '${binPath.replace(/'/g, `'\\''`)}' "$@"\n`;
}

/**
 * `isBuiltin(name)` says whether a command is already built in: a WASM command of the same
 * name does not replace it while WASM commands cannot run.
 */
export function installSoftware(
  method: string,
  input: unknown,
  isBuiltin: (name: string) => boolean,
): InstalledSoftware {
  if (input === undefined) input = [];
  if (!Array.isArray(input)) throw new TypeError(`${method}: software must be an array`);
  const descriptors = flattenSoftware(input).map((d) => checkSoftware(method, d));
  const result: InstalledSoftware = {
    descriptors,
    packages: [],
    files: [],
    commands: [],
    wasmCommands: [],
    agents: [],
  };
  const packageByName = new Map<string, HostPackage>();
  const binOwner = new Map<string, string>();
  for (const d of descriptors) {
    const where = `${method}: software "${d.name}"`;
    if (d.type === "wasm-commands") {
      const commands = wrap(where, () => listWasmCommands(d));
      for (const command of commands) {
        if (isBuiltin(command.name) || binOwner.has(command.name)) continue;
        binOwner.set(command.name, d.name);
        result.wasmCommands.push(command);
        result.commands.push(wasmCommandDefinition(command));
      }
      continue;
    }
    const packages = wrap(where, () => collectPackages(d.packageDir, d.requires));
    const visible: HostPackage[] = [];
    for (const pkg of packages) {
      const existing = packageByName.get(pkg.name);
      // Two descriptors needing one name: the first one's copy is what the VM shows.
      if (existing) visible.push(existing);
      else {
        packageByName.set(pkg.name, pkg);
        result.packages.push(pkg);
        visible.push(pkg);
      }
    }
    const ctx = createSoftwareContext(d.name, visible);
    if (d.type === "tool") {
      for (const [command, pkg] of Object.entries(d.bins)) {
        const owner = binOwner.get(command);
        if (owner !== undefined)
          throw new Error(
            `${where}: command "${command}" is already provided by software "${owner}"`,
          );
        binOwner.set(command, d.name);
        const binPath = wrap(where, () => ctx.resolveBin(pkg, command));
        result.files.push({
          path: `${SOFTWARE_BIN_DIR}/${command}`,
          content: binLauncher(binPath),
          mode: 0o755,
        });
      }
    } else {
      result.agents.push(registerAgent(where, d, ctx, visible, result.agents));
    }
  }
  return result;
}

function registerAgent(
  where: string,
  d: AgentSoftwareDescriptor,
  ctx: ReturnType<typeof createSoftwareContext>,
  packages: HostPackage[],
  earlier: SoftwareAgent[],
): SoftwareAgent {
  if (earlier.some((a) => a.id === d.agent.id))
    throw new Error(`${where}: agent id "${d.agent.id}" is defined twice`);
  let dynamicEnv: Record<string, string> = {};
  if (d.agent.env) {
    const env = wrap(`${where}: agent.env`, () => d.agent.env?.(ctx));
    if (
      typeof env !== "object" ||
      env === null ||
      Object.values(env).some((v) => typeof v !== "string")
    )
      throw new TypeError(`${where}: agent.env must return an object of strings`);
    dynamicEnv = env;
  }
  let adapterBin: string | undefined;
  try {
    adapterBin = ctx.resolveBin(d.agent.acpAdapter);
  } catch {
    // An adapter without a bin is launched another way (its main module); sessions decide.
  }
  return {
    id: d.agent.id,
    software: d.name,
    acpAdapter: d.agent.acpAdapter,
    agentPackage: d.agent.agentPackage,
    adapterBin,
    env: { ...(d.agent.staticEnv ?? {}), ...dynamicEnv },
    launchArgs: [...(d.agent.launchArgs ?? [])],
    snapshot: d.agent.snapshot === true,
    packages,
  };
}

function wrap<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const message = (err as Error).message.replace(/^software "[^"]*": /, "");
    throw new Error(`${where}: ${message}`);
  }
}
