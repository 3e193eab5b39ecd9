/** pwd: the working directory; -L trusts $PWD when it names the same directory, -P (default) resolves links. */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { describeError } from "./errors.ts";

export const pwd: CommandDefinition = {
  name: "pwd",
  async main(ctx) {
    let logical = false;
    for (const arg of ctx.argv.slice(1)) {
      if (arg === "-L") logical = true;
      else if (arg === "-P") logical = false;
      else if (arg.startsWith("-") && arg !== "-") {
        await ctx.err(
          `pwd: invalid option -- '${arg.slice(1, 2)}'\nTry 'pwd --help' for more information.\n`,
        );
        return 1;
      } else {
        await ctx.err("pwd: ignoring non-option arguments\n");
      }
    }
    try {
      if (logical && ctx.env.PWD?.startsWith("/")) {
        const [a, b] = await Promise.all([ctx.stat(ctx.env.PWD), ctx.stat(".")]);
        if (a.ino === b.ino && a.dev === b.dev) {
          await ctx.out(ctx.env.PWD + "\n");
          return 0;
        }
      }
      await ctx.out((await ctx.realpath(".")) + "\n");
      return 0;
    } catch (err) {
      await ctx.err(`pwd: ${describeError(err)}\n`);
      return 1;
    }
  },
};
