/**
 * nice [-n N | -N | --adjustment=N] [COMMAND [ARG]...]: runs COMMAND. The kernel does not
 * schedule by niceness, so the adjustment is validated and otherwise has no effect; with no
 * COMMAND the niceness printed is 0.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { statusCode } from "../kernel/process.ts";
import { startChild } from "./lib/run-command.ts";

export const nice: CommandDefinition = {
  name: "nice",
  async main(ctx) {
    const args = ctx.argv.slice(1);
    let adjustment: string | undefined;
    let i = 0;
    for (; i < args.length; i++) {
      const arg = args[i];
      if (arg === "--") {
        i++;
        break;
      }
      if (/^-\d+$/.test(arg) || /^--\d+$/.test(arg)) adjustment = arg.replace(/^--?/, "-").slice(1);
      else if (arg === "-n" || arg === "--adjustment") {
        adjustment = args[++i];
        if (adjustment === undefined) {
          await ctx.err(
            `nice: option requires an argument -- 'n'\nTry 'nice --help' for more information.\n`,
          );
          return 125;
        }
      } else if (arg.startsWith("-n")) adjustment = arg.slice(2);
      else if (arg.startsWith("--adjustment=")) adjustment = arg.slice(13);
      else if (arg.startsWith("-") && arg.length > 1) {
        await ctx.err(
          arg.startsWith("--")
            ? `nice: unrecognized option '${arg}'\nTry 'nice --help' for more information.\n`
            : `nice: invalid option -- '${arg[1]}'\nTry 'nice --help' for more information.\n`,
        );
        return 125;
      } else break;
    }
    if (adjustment !== undefined && !/^\s*[-+]?\d+$/.test(adjustment)) {
      await ctx.err(`nice: invalid adjustment '${adjustment}'\n`);
      return 125;
    }
    const command = args.slice(i);
    if (command.length === 0) {
      if (adjustment !== undefined) {
        await ctx.err(
          "nice: a command must be given with an adjustment\nTry 'nice --help' for more information.\n",
        );
        return 125;
      }
      await ctx.out("0\n");
      return 0;
    }
    const started = await startChild(ctx, command, (r) => `nice: '${command[0]}': ${r}\n`);
    if (started.pid === undefined) return started.status!;
    const result = await ctx.waitpid(started.pid);
    return result ? statusCode(result.status) : 0;
  },
};
