/**
 * Command-line flags for a host tool, derived from the JSON Schema of its input: each
 * top-level property is a flag spelled in kebab-case (`createdBy` → `--created-by`; the
 * property's own spelling works too). The kind of value decides the syntax: booleans are
 * `--x` / `--no-x`, arrays repeat the flag, enums are checked against their values, numbers
 * are parsed, and objects (or anything the flags cannot spell) take a JSON value. `--json` and
 * `--json-file` give the whole input as one object, which individual flags then override.
 */

export type FlagKind = "string" | "number" | "integer" | "boolean" | "enum" | "json" | "value";

export interface ToolFlag {
  /** The input property the flag sets. */
  property: string;
  /** The flag's name without dashes (kebab-case). */
  name: string;
  kind: FlagKind;
  /** Repeatable: the property is an array of `kind` values. */
  array: boolean;
  enumValues?: readonly (string | number | boolean | null)[];
  required: boolean;
  default?: unknown;
  description?: string;
}

/** Flags every tool command has; schema properties may not take these names. */
export const RESERVED_FLAGS = ["json", "json-file", "help"];

/** A mistake in the command line: reported with exit status 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

type Schema = Record<string, unknown>;

/** The flags for an object JSON Schema (as produced by z.toJSONSchema with io: "input"). */
export function describeFlags(schema: Schema): ToolFlag[] {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const flags: ToolFlag[] = [];
  const taken = new Map<string, string>();
  for (const [property, propertySchema] of Object.entries(properties)) {
    const name = flagName(property);
    if (RESERVED_FLAGS.includes(name))
      throw new TypeError(
        `hostTool: input property "${property}" collides with the built-in flag --${name}`,
      );
    const other = taken.get(name);
    if (other !== undefined)
      throw new TypeError(
        `hostTool: input properties "${other}" and "${property}" would both be --${name}`,
      );
    taken.set(name, property);
    const flag: ToolFlag = {
      property,
      name,
      required: required.has(property) && !("default" in propertySchema),
      ...classify(propertySchema),
    };
    if ("default" in propertySchema) flag.default = propertySchema.default;
    if (typeof propertySchema.description === "string")
      flag.description = propertySchema.description;
    flags.push(flag);
  }
  return flags;
}

function flagName(property: string): string {
  return property
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1-$2")
    .replace(/_/g, "-")
    .toLowerCase();
}

/** Types besides "null": a nullable string is still spelled as a string. */
function types(schema: Schema): string[] {
  if (typeof schema.type === "string") return schema.type === "null" ? [] : [schema.type];
  if (Array.isArray(schema.type)) return (schema.type as string[]).filter((t) => t !== "null");
  const options = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (Array.isArray(options)) {
    const all = new Set<string>();
    for (const option of options) {
      const inner = types(option);
      if (inner.length === 0 && option.type !== "null") return [];
      for (const t of inner) all.add(t);
    }
    return [...all];
  }
  return [];
}

function classify(schema: Schema): Pick<ToolFlag, "kind" | "array" | "enumValues"> {
  const values = enumValues(schema);
  if (values) return { kind: "enum", array: false, enumValues: values };
  const t = types(schema);
  if (t.length === 1 && t[0] === "array") {
    // A tuple (prefixItems, then `items: false`) is one JSON value, not a repeated flag.
    if (Array.isArray(schema.prefixItems)) return { kind: "json", array: false };
    const items = (
      typeof schema.items === "object" && schema.items !== null ? schema.items : {}
    ) as Schema;
    const inner = classify(items);
    // Arrays of arrays are written as JSON, one element per flag.
    if (inner.array) return { kind: "json", array: true };
    return { ...inner, array: true };
  }
  if (t.length === 1 && ["string", "number", "integer", "boolean"].includes(t[0]))
    return { kind: t[0] as FlagKind, array: false };
  if (t.length === 2 && t.includes("number") && t.includes("integer"))
    return { kind: "number", array: false };
  if (t.length === 1 && t[0] === "object") return { kind: "json", array: false };
  return { kind: "value", array: false };
}

function enumValues(schema: Schema): ToolFlag["enumValues"] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum as ToolFlag["enumValues"];
  if ("const" in schema) return [schema.const as string];
  const options = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (Array.isArray(options) && options.length > 0) {
    const all: Array<string | number | boolean | null> = [];
    for (const option of options) {
      const inner = enumValues(option);
      if (!inner) return undefined;
      all.push(...inner);
    }
    return all;
  }
  return undefined;
}

/** The parsed command line: the input object, and where `--json-file` asked to read from. */
export interface ParsedToolArgs {
  input: Record<string, unknown>;
  /** A path in the VM (relative to the cwd) or "-" for stdin, to be read by the caller. */
  jsonFile?: string;
  help: boolean;
}

/**
 * Parses `args` (after the tool name) into an input object. The values are converted by
 * kind; the whole object is validated by the tool's schema afterwards, so this only rejects
 * what it cannot spell (unknown flags, a missing value, a non-number, a value outside an
 * enum).
 */
export function parseToolArgs(args: readonly string[], flags: readonly ToolFlag[]): ParsedToolArgs {
  const byName = new Map<string, ToolFlag>();
  for (const flag of flags) {
    byName.set(flag.name, flag);
    byName.set(flag.property, flag);
  }
  const fromFlags: Record<string, unknown> = {};
  let json: Record<string, unknown> | undefined;
  let jsonFile: string | undefined;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "-h" || arg === "--help") {
      help = true;
      continue;
    }
    if (arg === "--")
      throw new UsageError(
        `unexpected argument${args.length - i > 2 ? "s" : ""} after --: tools take flags only`,
      );
    if (!arg.startsWith("--") || arg.length === 2)
      throw new UsageError(`unexpected argument ${JSON.stringify(arg)}: tools take flags only`);
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const takeValue = (): string => {
      if (inline !== undefined) return inline;
      if (i + 1 >= args.length) throw new UsageError(`--${name} needs a value`);
      return args[++i];
    };
    if (name === "json") {
      json = parseJsonObject(takeValue(), "--json");
      continue;
    }
    if (name === "json-file") {
      jsonFile = takeValue();
      continue;
    }
    let flag = byName.get(name);
    let negated = false;
    if (!flag && name.startsWith("no-")) {
      const positive = byName.get(name.slice(3));
      if (positive?.kind === "boolean" && !positive.array) {
        flag = positive;
        negated = true;
      }
    }
    if (!flag) throw new UsageError(`unknown flag --${name}`);
    if (flag.kind === "boolean" && !flag.array) {
      if (inline !== undefined)
        throw new UsageError(`--${name} takes no value (use --${flag.name} or --no-${flag.name})`);
      fromFlags[flag.property] = !negated;
      continue;
    }
    const value = convert(flag, takeValue());
    if (flag.array) {
      const list = (fromFlags[flag.property] ??= []) as unknown[];
      list.push(value);
    } else {
      if (flag.property in fromFlags) throw new UsageError(`--${flag.name} given more than once`);
      fromFlags[flag.property] = value;
    }
  }
  return { input: { ...json, ...fromFlags }, jsonFile, help };
}

/** Parses `text` as the whole input: it must be a JSON object. */
export function parseJsonObject(text: string, source: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${source}: invalid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new UsageError(`${source}: expected a JSON object`);
  return value as Record<string, unknown>;
}

function convert(flag: ToolFlag, raw: string): unknown {
  const where = `--${flag.name}`;
  switch (flag.kind) {
    case "string":
      return raw;
    case "number":
    case "integer": {
      const n = raw.trim() === "" ? Number.NaN : Number(raw);
      if (!Number.isFinite(n))
        throw new UsageError(`${where}: expected a number, got ${JSON.stringify(raw)}`);
      if (flag.kind === "integer" && !Number.isInteger(n))
        throw new UsageError(`${where}: expected an integer, got ${JSON.stringify(raw)}`);
      return n;
    }
    case "boolean":
      // Only arrays of booleans get here: each element is written true or false.
      if (raw === "true") return true;
      if (raw === "false") return false;
      throw new UsageError(`${where}: expected true or false, got ${JSON.stringify(raw)}`);
    case "enum": {
      const values = flag.enumValues ?? [];
      const index = values.findIndex((v) => String(v) === raw);
      if (index < 0)
        throw new UsageError(
          `${where}: expected one of ${values.map((v) => String(v)).join(", ")}; got ${JSON.stringify(raw)}`,
        );
      return values[index];
    }
    case "json":
      try {
        return JSON.parse(raw);
      } catch (err) {
        throw new UsageError(`${where}: invalid JSON: ${(err as Error).message}`);
      }
    case "value":
      // A union or an unconstrained value: JSON when it parses as JSON, else the text itself.
      try {
        return JSON.parse(raw);
      } catch {
        return raw;
      }
  }
}

/** How a flag is written in help text: `--priority <low|medium|high>`, `--dry, --no-dry`. */
export function flagSyntax(flag: ToolFlag): string {
  if (flag.kind === "boolean" && !flag.array) return `--${flag.name}, --no-${flag.name}`;
  let value: string;
  if (flag.kind === "enum") value = (flag.enumValues ?? []).map((v) => String(v)).join("|");
  else if (flag.kind === "value") value = "value";
  else value = flag.kind;
  return `--${flag.name} <${value}>`;
}
