/** whoami: the name of the effective user (from /etc/passwd). */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { readPasswd } from "./lib/user-db.ts";

export const whoami: CommandDefinition = {
  name: "whoami",
  async main(ctx) {
    const args = ctx.argv.slice(1).filter((a) => a !== "--");
    if (args.length > 0) {
      const bad = args[0];
      await ctx.err(
        bad.startsWith("-") && bad.length > 1
          ? `whoami: ${bad.startsWith("--") ? `unrecognized option '${bad}'` : `invalid option -- '${bad[1]}'`}\nTry 'whoami --help' for more information.\n`
          : `whoami: extra operand '${bad}'\nTry 'whoami --help' for more information.\n`,
      );
      return 1;
    }
    const user = (await readPasswd(ctx)).find((u) => u.uid === ctx.uid);
    if (!user) {
      await ctx.err(`whoami: cannot find name for user ID ${ctx.uid}\n`);
      return 1;
    }
    await ctx.out(`${user.name}\n`);
    return 0;
  },
};
