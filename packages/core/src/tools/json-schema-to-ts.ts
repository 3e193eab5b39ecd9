/**
 * Prints a TypeScript type for a JSON Schema, as `z.toJSONSchema(schema, { io: "input" })`
 * writes them (draft 2020-12): primitive types, enums and consts, unions (`anyOf`, `oneOf`,
 * type arrays), intersections (`allOf`), arrays and tuples (`prefixItems`), objects with
 * optional properties and index signatures, and `$ref`s, which the caller names. Descriptions
 * and defaults become JSDoc, so the declarations read as documentation. Anything the printer
 * cannot express (`{}`, `not`, unknown keywords) is `unknown`: wider, never wrong.
 */
import { isIdentifierName } from "./code-mode-names.ts";

type Schema = Record<string, unknown>;

export interface PrintOptions {
  /** The type name a `$ref` ("#", "#/$defs/x") stands for. */
  ref: (ref: string) => string;
}

/** The type of `schema`; nested object types are indented from `indent`. */
export function schemaToTs(schema: unknown, options: PrintOptions, indent = ""): string {
  if (schema === false) return "never";
  if (schema === true || typeof schema !== "object" || schema === null) return "unknown";
  const s = schema as Schema;
  if (typeof s.$ref === "string") return options.ref(s.$ref);
  if ("const" in s) return literal(s.const);
  if (Array.isArray(s.enum)) return s.enum.length === 0 ? "never" : s.enum.map(literal).join(" | ");
  const union = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(union)) return joinTypes(union, " | ", options, indent);
  if (Array.isArray(s.allOf)) return joinTypes(s.allOf, " & ", options, indent);
  if (Array.isArray(s.type))
    return joinTypes(
      s.type.map((type) => ({ ...s, type })),
      " | ",
      options,
      indent,
    );
  switch (s.type) {
    case "string":
      return "string";
    case "number":
    case "integer":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "array":
      return arrayType(s, options, indent);
    case "object":
      return objectType(s, options, indent);
    default:
      return s.properties !== undefined ? objectType(s, options, indent) : "unknown";
  }
}

/** The JSDoc lines for a schema's description and default (empty when it has neither). */
export function docComment(schema: unknown, indent: string): string {
  if (typeof schema !== "object" || schema === null) return "";
  const s = schema as Schema;
  const lines: string[] = [];
  if (typeof s.description === "string" && s.description.trim() !== "")
    lines.push(...s.description.trim().split("\n"));
  if ("default" in s) lines.push(`@default ${JSON.stringify(s.default)}`);
  if (lines.length === 0) return "";
  // "*/" inside the text would end the comment early.
  const safe = lines.map((line) => line.replaceAll("*/", "*\\/"));
  if (safe.length === 1) return `${indent}/** ${safe[0]} */\n`;
  return `${indent}/**\n${safe.map((line) => `${indent} * ${line}`.trimEnd()).join("\n")}\n${indent} */\n`;
}

/** A property name as written in a type literal: bare when it can be, quoted otherwise. */
export function propertyKey(name: string): string {
  return isIdentifierName(name) ? name : JSON.stringify(name);
}

function literal(value: unknown): string {
  return value === undefined ? "undefined" : JSON.stringify(value);
}

function joinTypes(members: unknown[], separator: string, options: PrintOptions, indent: string) {
  if (members.length === 0) return separator === " | " ? "never" : "unknown";
  const printed = [...new Set(members.map((m) => schemaToTs(m, options, indent)))];
  return printed.map((t) => (printed.length > 1 && isCompound(t) ? `(${t})` : t)).join(separator);
}

/** Whether a printed type needs parentheses inside a union, intersection or array. */
function isCompound(type: string): boolean {
  let depth = 0;
  for (let i = 0; i < type.length; i++) {
    const c = type[i];
    if (c === "{" || c === "(" || c === "[" || c === "<") depth++;
    else if (c === "}" || c === ")" || c === "]" || c === ">") depth--;
    else if (c === '"') i = endOfString(type, i);
    else if (depth === 0 && (c === "|" || c === "&")) return true;
  }
  return false;
}

function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}

function arrayType(s: Schema, options: PrintOptions, indent: string): string {
  if (Array.isArray(s.prefixItems)) {
    const items = s.prefixItems.map((item) => schemaToTs(item, options, indent));
    if (s.items !== undefined && s.items !== false)
      items.push(`...${wrap(schemaToTs(s.items, options, indent))}[]`);
    return `[${items.join(", ")}]`;
  }
  return `${wrap(s.items === undefined ? "unknown" : schemaToTs(s.items, options, indent))}[]`;
}

function wrap(type: string): string {
  return isCompound(type) ? `(${type})` : type;
}

function objectType(s: Schema, options: PrintOptions, indent: string): string {
  const properties = (s.properties ?? {}) as Record<string, unknown>;
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  const inner = `${indent}  `;
  const members = Object.entries(properties).map(
    ([name, property]) =>
      `${docComment(property, inner)}${inner}${propertyKey(name)}${required.has(name) ? "" : "?"}: ${schemaToTs(property, options, inner)};`,
  );
  const extra = s.additionalProperties;
  const extraType =
    extra === undefined || extra === false ? undefined : schemaToTs(extra, options, inner);
  if (members.length === 0)
    return extraType === undefined
      ? s.additionalProperties === false
        ? "Record<string, never>"
        : "{ [key: string]: unknown }"
      : `{ [key: string]: ${extraType} }`;
  const literalType = `{\n${members.join("\n")}\n${indent}}`;
  // An index signature must admit every declared property's type; an intersection need not.
  if (extraType === undefined) return literalType;
  return extraType === "unknown"
    ? `{\n${members.join("\n")}\n${inner}[key: string]: unknown;\n${indent}}`
    : `${literalType} & { [key: string]: ${extraType} }`;
}
