/**
 * `wasm-commands` software: every `<name>.wasm` in the descriptor's command directory (and
 * each alias) becomes a VM command. There is no WASM runtime in the VM yet, so running one
 * says so and exits 127 instead of pretending; the registration (names, aliases, permission
 * tiers) is already what the runtime will use.
 */
import { readdirSync } from "node:fs";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { WasmCommandsSoftwareDescriptor } from "./define-software.ts";

export type WasmPermissionTier = "full" | "read-write" | "read-only" | "isolated";

export interface WasmCommand {
  name: string;
  /** The binary on the host. */
  wasmPath: string;
  /** For aliases: the command it stands for. */
  aliasOf?: string;
  permission?: WasmPermissionTier;
  software: string;
}

/** The commands a descriptor provides; throws when its directory cannot be read. */
export function listWasmCommands(descriptor: WasmCommandsSoftwareDescriptor): WasmCommand[] {
  let files: string[];
  try {
    files = readdirSync(descriptor.commandDir).filter((f) => f.endsWith(".wasm"));
  } catch (err) {
    throw new Error(
      `software "${descriptor.name}": cannot read commandDir ${descriptor.commandDir}: ${(err as Error).message}`,
    );
  }
  const tiers = permissionTiers(descriptor);
  const commands = new Map<string, WasmCommand>();
  for (const file of files.sort()) {
    const name = file.slice(0, -".wasm".length);
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.+@-]*$/.test(name)) continue;
    commands.set(name, {
      name,
      wasmPath: `${descriptor.commandDir}/${file}`,
      permission: tiers(name),
      software: descriptor.name,
    });
  }
  for (const [alias, target] of Object.entries(descriptor.aliases ?? {})) {
    const real = commands.get(target);
    if (!real)
      throw new Error(
        `software "${descriptor.name}": alias "${alias}" names "${target}", which is not in ${descriptor.commandDir}`,
      );
    commands.set(alias, {
      ...real,
      name: alias,
      aliasOf: target,
      permission: tiers(alias) ?? real.permission,
    });
  }
  return [...commands.values()];
}

function permissionTiers(
  descriptor: WasmCommandsSoftwareDescriptor,
): (name: string) => WasmPermissionTier | undefined {
  const p = descriptor.permissions ?? {};
  return (name) => {
    if (p.full?.includes(name)) return "full";
    if (p.readWrite?.includes(name)) return "read-write";
    if (p.readOnly === "*" || p.readOnly?.includes(name)) return "read-only";
    if (p.isolated?.includes(name)) return "isolated";
    return undefined;
  };
}

export function wasmCommandDefinition(command: WasmCommand): CommandDefinition {
  return {
    name: command.name,
    driver: "wasm",
    async main(ctx) {
      await ctx.err(
        `${command.name}: WASM runtime not available yet (${command.wasmPath} from software "${command.software}" cannot run)\n`,
      );
      return 127;
    },
  };
}
