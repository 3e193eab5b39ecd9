/** env: print the environment, or run a command in a modified one (-i, -u NAME, NAME=VALUE). */
import { isKernelError } from "../fs/errors.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { statusCode } from "../kernel/process.ts";
import { describeError } from "./errors.ts";

export const env: CommandDefinition = {
  name: "env",
  async main(ctx) {
    const args = ctx.argv.slice(1);
    let vars: Record<string, string> = { ...ctx.env };
    let nulTerminated = false;
    let i = 0;
    for (; i < args.length; i++) {
      const arg = args[i];
      if (arg === "-i" || arg === "-" || arg === "--ignore-environment") vars = {};
      else if (arg === "-0" || arg === "--null") nulTerminated = true;
      else if (arg === "-u" || arg === "--unset") {
        const name = args[++i];
        if (name === undefined) {
          await ctx.err(
            "env: option requires an argument -- 'u'\nTry 'env --help' for more information.\n",
          );
          return 125;
        }
        delete vars[name];
      } else if (arg.startsWith("-u") && arg.length > 2) delete vars[arg.slice(2)];
      else if (arg === "--") {
        i++;
        break;
      } else if (arg.startsWith("-") && arg.length > 1) {
        await ctx.err(
          `env: invalid option -- '${arg.slice(1, 2)}'\nTry 'env --help' for more information.\n`,
        );
        return 125;
      } else break;
    }
    for (; i < args.length && args[i].includes("=") && !args[i].startsWith("="); i++) {
      const eq = args[i].indexOf("=");
      vars[args[i].slice(0, eq)] = args[i].slice(eq + 1);
    }
    if (i >= args.length) {
      const end = nulTerminated ? "\0" : "\n";
      await ctx.out(
        Object.entries(vars)
          .map(([k, v]) => `${k}=${v}${end}`)
          .join(""),
      );
      return 0;
    }
    const argv = args.slice(i);
    let pid: number;
    try {
      pid = await ctx.spawn({ argv, env: vars });
    } catch (err) {
      if (!ctx.alive) throw err;
      await ctx.err(`env: '${argv[0]}': ${describeError(err)}\n`);
      return isKernelError(err, "ENOENT") ? 127 : 126;
    }
    const result = await ctx.waitpid(pid);
    return result ? statusCode(result.status) : 0;
  },
};
