/**
 * The `--help` texts of the host-tool commands and the `agentos list-tools` listing, generated
 * from the toolkit, tool and schema descriptions: what an agent reads to learn a tool.
 */
import { CODE_MODE_SPECIFIER, kitIdentifier, TOOLS_DTS_PATH } from "./code-mode-names.ts";
import type { HostTool, ToolKit } from "./host-tool.ts";
import { flagSyntax } from "./tool-flags.ts";

/** Left column width cap so long flags do not push descriptions off the screen. */
const MAX_COLUMN = 34;

function table(rows: Array<[string, string]>): string {
  const width = Math.min(MAX_COLUMN, Math.max(0, ...rows.map(([left]) => left.length)));
  return rows
    .map(([left, right]) => {
      if (!right) return `  ${left}\n`;
      if (left.length > width) return `  ${left}\n  ${" ".repeat(width)}  ${right}\n`;
      return `  ${left.padEnd(width)}  ${right}\n`;
    })
    .join("");
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0];
}

/** `agentos-<kit> --help`: the kit's description and its tools. */
export function toolKitHelp(kit: ToolKit): string {
  const command = `agentos-${kit.name}`;
  return (
    `${command}: ${kit.description.trim()}\n\n` +
    `Usage: ${command} <tool> [flags]\n` +
    `       ${command} <tool> --help\n\n` +
    "Tools:\n" +
    table(Object.entries(kit.tools).map(([name, tool]) => [name, firstLine(tool.description)])) +
    "\nEach tool prints its result as JSON on stdout.\n" +
    `In node the tools are async functions: import { ${kitIdentifier(kit.name)} } from "${CODE_MODE_SPECIFIER}"\n` +
    `(types: ${TOOLS_DTS_PATH}).\n`
  );
}

/** `agentos-<kit> <tool> --help`: the tool's description and every flag. */
export function toolHelp(kit: ToolKit, name: string, tool: HostTool): string {
  const command = `agentos-${kit.name} ${name}`;
  const rows: Array<[string, string]> = tool.flags.map((flag) => {
    const notes: string[] = [];
    if (flag.required) notes.push("required");
    if (flag.array) notes.push("repeatable");
    if (flag.default !== undefined) notes.push(`default: ${JSON.stringify(flag.default)}`);
    const text = [flag.description ?? "", notes.length ? `(${notes.join(", ")})` : ""]
      .filter(Boolean)
      .join(" ");
    return [flagSyntax(flag), text];
  });
  rows.push(
    ["--json <object>", "The whole input as a JSON object (other flags override its fields)"],
    ["--json-file <path>", "Read the input object from a JSON file in the VM (- for stdin)"],
    ["-h, --help", "Show this help"],
  );
  return (
    `${command}: ${tool.description.trim()}\n\n` +
    `Usage: ${command}${tool.flags.some((f) => f.required) ? " " + requiredSummary(tool) : ""} [flags]\n\n` +
    "Flags:\n" +
    table(rows) +
    "\nPrints the result as JSON on stdout (exit 0); errors go to stderr " +
    "(exit 2 for usage or validation, 1 when the tool fails).\n"
  );
}

function requiredSummary(tool: HostTool): string {
  return tool.flags
    .filter((flag) => flag.required)
    .map((flag) => (flag.kind === "boolean" && !flag.array ? `--${flag.name}` : flagSyntax(flag)))
    .join(" ");
}

/** `agentos list-tools [kit]`: every toolkit with its tools, one line each. */
export function listToolsText(kits: readonly ToolKit[]): string {
  if (kits.length === 0) return "No host tools are installed in this VM.\n";
  let text = "";
  for (const kit of kits) {
    text += `agentos-${kit.name}: ${firstLine(kit.description)}\n`;
    text += table(
      Object.entries(kit.tools).map(([name, tool]) => [name, firstLine(tool.description)]),
    );
    text += "\n";
  }
  return text + "Run `agentos-<toolkit> <tool> --help` for a tool's flags.\n";
}

/** `agentos list-tools --json`: the same listing with each tool's input JSON Schema. */
export function listToolsJson(kits: readonly ToolKit[]): unknown {
  return kits.map((kit) => ({
    name: kit.name,
    command: `agentos-${kit.name}`,
    description: kit.description,
    tools: Object.entries(kit.tools).map(([name, tool]) => ({
      name,
      description: tool.description,
      inputSchema: tool.jsonSchema,
    })),
  }));
}
