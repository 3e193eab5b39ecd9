/**
 * The VM command `agentos-<kit>` for one toolkit: `agentos-<kit> <tool> [flags]` calls the
 * tool on the host; `--help` at the kit or the tool level prints generated help.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { callHostTool, EXIT_OK, EXIT_USAGE } from "./call-host-tool.ts";
import { findTool, type ToolKit } from "./host-tool.ts";
import { toolKitHelp } from "./tool-help.ts";

export function toolKitCommand(kit: ToolKit): CommandDefinition {
  return {
    name: `agentos-${kit.name}`,
    driver: "host-tool",
    main: (ctx) => runToolKit(ctx, kit, ctx.argv.slice(1)),
  };
}

/** `args`: the words after the command name (the tool name first). */
export async function runToolKit(
  ctx: ProcessContext,
  kit: ToolKit,
  args: readonly string[],
): Promise<number> {
  const command = `agentos-${kit.name}`;
  const [first, ...rest] = args;
  if (first === "--help" || first === "-h" || first === "help") {
    await ctx.out(toolKitHelp(kit));
    return EXIT_OK;
  }
  if (first === undefined) {
    await ctx.err(toolKitHelp(kit));
    return EXIT_USAGE;
  }
  const found = findTool(kit, first);
  if (!found) {
    await ctx.err(
      `${command}: unknown tool ${JSON.stringify(first)} (tools: ${Object.keys(kit.tools).join(", ")})\n` +
        `Try '${command} --help'.\n`,
    );
    return EXIT_USAGE;
  }
  return callHostTool(ctx, kit, found[0], found[1], rest);
}
