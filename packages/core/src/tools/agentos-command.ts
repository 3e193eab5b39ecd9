/**
 * The VM command `agentos`: `agentos list-tools [kit] [--json | --dts]` lists the host tools
 * installed in this VM (`--dts`: as code mode's TypeScript declarations), and `agentos <kit> <tool> [flags]` is the same as `agentos-<kit> <tool> ...`.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { EXIT_OK, EXIT_USAGE } from "./call-host-tool.ts";
import { CODE_MODE_SPECIFIER } from "./code-mode-names.ts";
import type { ToolKit } from "./host-tool.ts";
import { listToolsJson, listToolsText } from "./tool-help.ts";
import { runToolKit } from "./toolkit-command.ts";
import { toolsDts } from "./tools-dts.ts";

const USAGE =
  "Usage: agentos <command>\n\n" +
  "Commands:\n" +
  "  list-tools [toolkit] [--json]   List the host toolkits and their tools\n" +
  "  list-tools [toolkit] --dts      Print the TypeScript declarations of code mode\n" +
  `                                  (import { <toolkit> } from "${CODE_MODE_SPECIFIER}" in node)\n` +
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
        let format: "text" | "json" | "dts" = "text";
        let selected = kits;
        for (const arg of rest) {
          if (arg === "--json") format = "json";
          else if (arg === "--dts") format = "dts";
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
        if (format === "json")
          await ctx.out(`${JSON.stringify(listToolsJson(selected), null, 2)}\n`);
        else if (format === "dts") await ctx.out(toolsDts(selected));
        else await ctx.out(listToolsText(selected));
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
