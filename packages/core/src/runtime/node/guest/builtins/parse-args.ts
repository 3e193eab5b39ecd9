/**
 * util.parseArgs: @pkgjs/parseargs is the implementation Node's was taken from. Two things
 * are added here to match Node 24: errors are rebuilt as Node's coded TypeErrors, and
 * `allowNegative` (`--no-color` sets a boolean `color` to false) is layered on by parsing the
 * `--no-` forms as options of their own and folding them back in argument order.
 */
import { parseArgs as packageParseArgs } from "@pkgjs/parseargs";
import { codedError, invalidArgType } from "../errors.ts";

interface OptionConfig {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  default?: unknown;
}

interface Token {
  kind: string;
  name?: string;
  rawName?: string;
  index: number;
  value?: unknown;
  inlineValue?: boolean;
}

interface ParseConfig {
  args?: string[];
  options?: Record<string, OptionConfig>;
  strict?: boolean;
  allowPositionals?: boolean;
  allowNegative?: boolean;
  tokens?: boolean;
}

const NEGATED = "\u0000no-";

function rethrow(error: unknown): never {
  const e = error as Error & { code?: string };
  if (typeof e?.code === "string") {
    const Type = e instanceof TypeError || e.code.startsWith("ERR_PARSE_ARGS") ? TypeError : Error;
    throw codedError(Type, e.code, e.message);
  }
  throw error;
}

export function parseArgs(config: ParseConfig = {}): unknown {
  if (config === null || typeof config !== "object")
    throw invalidArgType("config", "of type object", config);
  const { allowNegative = false, ...rest } = config;
  if (typeof allowNegative !== "boolean")
    throw invalidArgType("allowNegative", "of type boolean", allowNegative);
  if (!allowNegative) {
    try {
      return packageParseArgs(rest as never);
    } catch (error) {
      rethrow(error);
    }
  }
  const args = rest.args ?? process.argv.slice(process.argv.length > 1 ? 2 : 1);
  const options: Record<string, OptionConfig> = { ...(rest.options ?? {}) };
  const booleans = Object.keys(options).filter((name) => options[name]?.type === "boolean");
  // `--no-x` for each boolean x becomes its own hidden option, without its default.
  const rewritten = args.map((arg) => {
    if (!arg.startsWith("--no-")) return arg;
    const name = arg.slice(5);
    return booleans.includes(name) ? `--${NEGATED}${name}` : arg;
  });
  for (const name of booleans)
    options[`${NEGATED}${name}`] = options[name].multiple
      ? { type: "boolean", multiple: true }
      : { type: "boolean" };
  let result: { values: Record<string, unknown>; positionals: string[]; tokens?: Token[] };
  try {
    result = packageParseArgs({ ...rest, args: rewritten, options, tokens: true } as never);
  } catch (error) {
    rethrow(error);
  }
  const values: Record<string, unknown> = { __proto__: null } as never;
  const tokens = (result.tokens ?? []).map((token) => {
    if (token.kind !== "option" || !token.name?.startsWith(NEGATED)) return token;
    const name = token.name.slice(NEGATED.length);
    return { ...token, name, rawName: `--no-${name}`, value: undefined, inlineValue: undefined };
  });
  // Replay option tokens in order, so the last of --x / --no-x wins (or both are collected).
  for (const token of result.tokens ?? []) {
    if (token.kind !== "option" || !token.name) continue;
    const negated = token.name.startsWith(NEGATED);
    const name = negated ? token.name.slice(NEGATED.length) : token.name;
    const value = negated ? false : (token.value ?? true);
    if (options[name]?.multiple) ((values[name] ??= []) as unknown[]).push(value);
    else values[name] = value;
  }
  for (const [name, value] of Object.entries(result.values)) {
    if (name.startsWith(NEGATED) || Object.hasOwn(values, name)) continue;
    values[name] = value;
  }
  const output: Record<string, unknown> = { values, positionals: result.positionals };
  if (rest.tokens) output.tokens = tokens;
  return output;
}
