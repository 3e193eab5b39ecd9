/**
 * The host side of the guest module `agentos:tools`: `codeModeKits` describes this VM's kits
 * (names only, handed to each guest process at boot: the guest builds one async function per
 * tool from it), and the operation `tools.call` runs one tool through `invokeHostTool`,
 * exactly as the `agentos-<kit>` command does. The input crosses as JSON text and only a kit and tool name pick what runs, so guest
 * code reaches the registered tools and nothing else of the host.
 */
import type { Kernel } from "../kernel/kernel.ts";
import type { HostOp } from "../runtime/node/host-ops.ts";
import { invokeHostTool } from "./call-host-tool.ts";
import { kitIdentifier, toolIdentifier } from "./code-mode-names.ts";
import { toolKitsOf } from "./vm-tool-kits.ts";

/** What the guest learns about a kit: its names, nothing executable. */
export interface CodeModeKit {
  name: string;
  identifier: string;
  tools: Array<{ name: string; identifier: string }>;
}

/** A failed call as the guest sees it: an Error whose message is what the CLI prints. */
class ToolCallError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** The kits of the VM `kernel` belongs to, as the guest module is built from them. */
export function codeModeKits(kernel: Kernel): CodeModeKit[] {
  return toolKitsOf(kernel).map((kit) => ({
    name: kit.name,
    identifier: kitIdentifier(kit.name),
    tools: Object.keys(kit.tools).map((name) => ({ name, identifier: toolIdentifier(name) })),
  }));
}

export const TOOL_OPS: Record<string, HostOp> = {
  /** [kit, tool, input as JSON text] → the result as JSON text. */
  "tools.call": async (g, [kitName, toolName, inputJson]) => {
    const kit = toolKitsOf(g.ctx.kernel).find((k) => k.name === kitName);
    if (!kit || typeof toolName !== "string" || !Object.hasOwn(kit.tools, toolName))
      throw new ToolCallError(
        "ERR_AGENTOS_TOOL_UNKNOWN",
        `agentos:tools: no tool ${JSON.stringify(`${String(kitName)}.${String(toolName)}`)} in this VM`,
      );
    if (typeof inputJson !== "string")
      throw new TypeError("agentos:tools: the input must arrive as JSON text");
    const outcome = await invokeHostTool(
      g.ctx,
      kit,
      toolName,
      kit.tools[toolName],
      JSON.parse(inputJson),
    );
    if (!outcome.ok) throw new ToolCallError(outcome.code, outcome.message);
    return outcome.json;
  },
};
