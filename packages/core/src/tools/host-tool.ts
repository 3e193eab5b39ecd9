/**
 * Host tools: JavaScript functions of the host that agents inside the VM call as shell
 * commands. `hostTool()` describes one function (a Zod input schema, a description, an
 * optional timeout); `toolKit()` groups tools under a name that becomes the VM command
 * `agentos-<name>`. Both check their arguments at once so a mistake surfaces where the kit is
 * defined, not when an agent first calls it.
 */
import { z } from "zod";
import { kitIdentifier, toolIdentifier } from "./code-mode-names.ts";
import { describeFlags, type ToolFlag } from "./tool-flags.ts";

/** What `execute` receives besides the validated input. */
export interface HostToolContext {
  /** Aborted when the calling process is killed or the tool's timeout elapses. */
  signal: AbortSignal;
  toolkit: string;
  tool: string;
}

export interface HostToolOptions<Schema extends z.ZodType = z.ZodType, Result = unknown> {
  /** One or two sentences; shown in `--help` and `agentos list-tools`. */
  description: string;
  /** A `z.object({...})`: each property becomes a command-line flag. */
  inputSchema: Schema;
  /** Runs on the host with the validated input; its result is printed as JSON. */
  execute: (input: z.output<Schema>, context: HostToolContext) => Result | Promise<Result>;
  /** Milliseconds before a call fails with a timeout error (default: no limit). */
  timeout?: number;
}

export interface HostTool<Schema extends z.ZodType = z.ZodType, Result = unknown>
  extends HostToolOptions<Schema, Result> {
  /** The input schema as JSON Schema (input side: defaults make properties optional). */
  readonly jsonSchema: Record<string, unknown>;
  /** The command-line flags derived from the schema. */
  readonly flags: readonly ToolFlag[];
}

export interface ToolKitOptions {
  /** Command-safe name: the VM command is `agentos-<name>`. */
  name: string;
  description: string;
  tools: Record<string, HostTool>;
}

export interface ToolKit extends ToolKitOptions {
  readonly kind: "agentos-toolkit";
}

/** Names usable in a command line and a file name, the way npm bins and CLI verbs look. */
const KIT_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const TOOL_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Defines one host tool. Throws a TypeError naming the problem when the definition is wrong. */
export function hostTool<Schema extends z.ZodType, Result>(
  options: HostToolOptions<Schema, Result>,
): HostTool<Schema, Result> {
  const where = "hostTool";
  if (typeof options !== "object" || options === null)
    throw new TypeError(`${where}: expected an options object`);
  for (const key of Object.keys(options)) {
    if (!["description", "inputSchema", "execute", "timeout"].includes(key))
      throw new TypeError(`${where}: unknown option "${key}"`);
  }
  if (typeof options.description !== "string" || options.description.trim() === "")
    throw new TypeError(`${where}: description must be a non-empty string`);
  if (typeof options.execute !== "function")
    throw new TypeError(`${where}: execute must be a function`);
  const timeout = options.timeout;
  if (
    timeout !== undefined &&
    (typeof timeout !== "number" || !(timeout > 0) || !Number.isFinite(timeout))
  )
    throw new TypeError(`${where}: timeout must be a positive number of milliseconds`);
  const schema = options.inputSchema as unknown;
  if (
    typeof schema !== "object" ||
    schema === null ||
    !("_zod" in schema) ||
    typeof (schema as z.ZodType).safeParseAsync !== "function"
  )
    throw new TypeError(`${where}: inputSchema must be a Zod (v4) schema such as z.object({...})`);
  let jsonSchema: Record<string, unknown>;
  try {
    jsonSchema = z.toJSONSchema(schema as z.ZodType, {
      io: "input",
      unrepresentable: "any",
    }) as Record<string, unknown>;
  } catch (err) {
    throw new TypeError(
      `${where}: inputSchema cannot be described as JSON Schema: ${(err as Error).message}`,
    );
  }
  if (jsonSchema.type !== "object")
    throw new TypeError(`${where}: inputSchema must be an object schema (z.object({...}))`);
  const flags = describeFlags(jsonSchema);
  return Object.freeze({ ...options, jsonSchema, flags }) as HostTool<Schema, Result>;
}

/** Groups host tools into the VM command `agentos-<name>`. */
export function toolKit(options: ToolKitOptions): ToolKit {
  const where = "toolKit";
  if (typeof options !== "object" || options === null)
    throw new TypeError(`${where}: expected an options object`);
  for (const key of Object.keys(options)) {
    if (!["name", "description", "tools"].includes(key))
      throw new TypeError(`${where}: unknown option "${key}"`);
  }
  if (typeof options.name !== "string" || !KIT_NAME.test(options.name))
    throw new TypeError(
      `${where}: name must be lower-case letters, digits, "-" or "_" (starting with a letter or digit, at most 64), got ${JSON.stringify(options.name)}`,
    );
  // `import tools from "agentos:tools"` is the whole module: no kit can be its default export.
  if (options.name === "default")
    throw new TypeError(`${where}: the name "default" is reserved (code mode's default export)`);
  if (typeof options.description !== "string" || options.description.trim() === "")
    throw new TypeError(`${where} "${options.name}": description must be a non-empty string`);
  if (typeof options.tools !== "object" || options.tools === null || Array.isArray(options.tools))
    throw new TypeError(`${where} "${options.name}": tools must be an object of hostTool(...)`);
  const names = Object.keys(options.tools);
  if (names.length === 0)
    throw new TypeError(`${where} "${options.name}": tools must not be empty`);
  for (const name of names) {
    if (!TOOL_NAME.test(name) || name === "help")
      throw new TypeError(
        `${where} "${options.name}": tool name ${JSON.stringify(name)} is not command-safe (letters, digits, "-", "_"; not "help")`,
      );
    const tool = options.tools[name] as Partial<HostTool> | undefined;
    if (!tool || !Array.isArray(tool.flags) || typeof tool.execute !== "function")
      throw new TypeError(
        `${where} "${options.name}": tools.${name} must be created with hostTool(...)`,
      );
  }
  // Tools are also reachable by their kebab-case spelling, so two names may not share one.
  const seen = new Map<string, string>();
  for (const name of names) {
    const key = kebabCase(name).toLowerCase();
    const other = seen.get(key);
    if (other !== undefined)
      throw new TypeError(
        `${where} "${options.name}": tools "${other}" and "${name}" would be the same command`,
      );
    seen.set(key, name);
  }
  // In code mode each tool is a method named by its camelCase spelling (a-b and aB are one).
  const methods = new Map<string, string>();
  for (const name of names) {
    const other = methods.get(toolIdentifier(name));
    if (other !== undefined)
      throw new TypeError(
        `${where} "${options.name}": tools "${other}" and "${name}" would be the same function ${toolIdentifier(name)}() in code mode`,
      );
    methods.set(toolIdentifier(name), name);
  }
  return Object.freeze({ kind: "agentos-toolkit", ...options, tools: { ...options.tools } });
}

/** Checks the `toolKits` VM option: toolkits made by toolKit(), with distinct names. */
export function checkToolKits(method: string, value: unknown): ToolKit[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError(`${method}: toolKits must be an array`);
  const names = new Set<string>();
  const identifiers = new Map<string, string>();
  return value.map((kit, i) => {
    if (typeof kit !== "object" || kit === null || (kit as ToolKit).kind !== "agentos-toolkit")
      throw new TypeError(`${method}: toolKits[${i}] must be created with toolKit(...)`);
    const name = (kit as ToolKit).name;
    if (names.has(name)) throw new TypeError(`${method}: two toolkits are named "${name}"`);
    names.add(name);
    // my-app and my--app are different commands but would be one `myApp` in code mode.
    const other = identifiers.get(kitIdentifier(name));
    if (other !== undefined)
      throw new TypeError(
        `${method}: toolkits "${other}" and "${name}" would both be ${kitIdentifier(name)} in code mode`,
      );
    identifiers.set(kitIdentifier(name), name);
    return kit as ToolKit;
  });
}

/** Finds a tool by its own name or its kebab-case spelling (createTicket, create-ticket). */
export function findTool(kit: ToolKit, name: string): [string, HostTool] | undefined {
  if (Object.hasOwn(kit.tools, name)) return [name, kit.tools[name]];
  const wanted = name.toLowerCase();
  for (const [own, tool] of Object.entries(kit.tools)) {
    if (kebabCase(own).toLowerCase() === wanted) return [own, tool];
  }
  return undefined;
}

/** createTicket → create-ticket; names already kebab- or snake-cased stay as they are. */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
}
