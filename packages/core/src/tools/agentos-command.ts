/**
 * The VM command `agentos`: `agentos list-tools [kit] [--json]` lists the host tools installed
 * in this VM, and `agentos <kit> <tool> [flags]` is the same as `agentos-<kit> <tool> ...`.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { EXIT_OK, EXIT_USAGE } from "./call-host-tool.ts";
import type { ToolKit } from "./host-tool.ts";
import { listToolsJson, listToolsText } from "./tool-help.ts";
import { runToolKit } from "./toolkit-command.ts";

const USAGE =
  "Usage: agentos <command>\n\n" +
  "Commands:\n" +
  "  list-tools [toolkit] [--json]   List the host toolkits and their tools\n" +
  "  <toolkit> --help                Describe one toolkit\n" +
  "  <toolkit> <tool> [flags]        Call a host tool (same as agentos-<toolkit> <tool>)\n";

export function agentosCommand(kits: readonly ToolKit[]): CommandDefinition {
  return {
    name: "agentos",
    driver: "host-tool",
    async main(ctx) {
      const [first, ...rest] = ctx.argv.slice(1);
      if (first === "--help" || first === "-h" || first === "help") {
        await ctx.out(USAGE);
        return EXIT_OK;
      }
      if (first === undefined) {
        await ctx.err(USAGE);
        return EXIT_USAGE;
      }
      if (first === "list-tools") {
        let json = false;
        let selected = kits;
        for (const arg of rest) {
          if (arg === "--json") json = true;
          else if (arg.startsWith("-")) {
            await ctx.err(`agentos list-tools: unknown flag ${arg}\n`);
            return EXIT_USAGE;
          } else {
            const kit = kits.find((k) => k.name === arg || `agentos-${k.name}` === arg);
            if (!kit) {
              await ctx.err(`agentos list-tools: no toolkit named ${JSON.stringify(arg)}\n`);
              return EXIT_USAGE;
            }
            selected = [kit];
          }
        }
        await ctx.out(
          json ? `${JSON.stringify(listToolsJson(selected), null, 2)}\n` : listToolsText(selected),
        );
        return EXIT_OK;
      }
      const kit = kits.find((k) => k.name === first);
      if (!kit) {
        await ctx.err(`agentos: unknown command or toolkit ${JSON.stringify(first)}\n${USAGE}`);
        return EXIT_USAGE;
      }
      return runToolKit(ctx, kit, rest);
    },
  };
}
