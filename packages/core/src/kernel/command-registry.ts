/**
 * The programs a VM can run that are implemented in TypeScript on the host (the userland of
 * built-in commands, host tools, ...). Each lives in the filesystem as a small stub file whose
 * content names it (see `builtinStub`), so PATH lookup, `ls /usr/bin`, permissions and `cp`
 * work as with real binaries; executing the stub runs the registered function.
 */
import type { ProcessContext } from "./process-context.ts";

/** A command's entry point. Returns (or resolves to) its exit status. */
export type CommandMain = (ctx: ProcessContext) => Promise<number | undefined> | number | undefined;

export interface CommandDefinition {
  name: string;
  main: CommandMain;
  /** Reported as the process's driver ("builtin" unless a runtime says otherwise). */
  driver?: string;
}

const STUB_MAGIC = "\x7fAGENTOS builtin ";

/** The file content that makes a path execute the registered command `name`. */
export function builtinStub(name: string): Uint8Array {
  return new TextEncoder().encode(`${STUB_MAGIC}${name}\n`);
}

/** The command a stub file names, or undefined when `head` is not a stub. */
export function parseBuiltinStub(head: Uint8Array): string | undefined {
  if (head.length < STUB_MAGIC.length + 2 || head[0] !== 0x7f || head[1] !== 0x41) return undefined;
  const text = new TextDecoder().decode(head);
  if (!text.startsWith(STUB_MAGIC)) return undefined;
  const end = text.indexOf("\n", STUB_MAGIC.length);
  return end < 0 ? undefined : text.slice(STUB_MAGIC.length, end);
}

export class CommandRegistry {
  readonly #commands = new Map<string, CommandDefinition>();
  readonly #parent: CommandRegistry | undefined;

  /** A registry may extend a shared parent (the default userland) without copying it. */
  constructor(parent?: CommandRegistry) {
    this.#parent = parent;
  }

  register(definition: CommandDefinition): void {
    if (!/^[A-Za-z0-9_.+:@[-][A-Za-z0-9_.+:@[\]-]*$/.test(definition.name)) {
      throw new Error(`invalid command name: ${JSON.stringify(definition.name)}`);
    }
    if (typeof definition.main !== "function")
      throw new Error(`command ${definition.name} has no main function`);
    this.#commands.set(definition.name, definition);
  }

  get(name: string): CommandDefinition | undefined {
    return this.#commands.get(name) ?? this.#parent?.get(name);
  }

  /** Names defined here (not in the parent). */
  ownNames(): string[] {
    return [...this.#commands.keys()];
  }

  names(): string[] {
    const names = new Set(this.#parent?.names());
    for (const name of this.#commands.keys()) names.add(name);
    return [...names].sort();
  }
}
