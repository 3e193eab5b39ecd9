/** groups [USER]...: group names of the process, or of each USER ("user : user users"). */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { groupList, readGroups, readPasswd } from "./lib/user-db.ts";

export const groups: CommandDefinition = {
  name: "groups",
  async main(ctx) {
    const operands = ctx.argv
      .slice(1)
      .filter((a, i, all) => !(a === "--" && all.indexOf("--") === i));
    const bad = operands.find((a) => a.startsWith("-") && a.length > 1 && a !== "--");
    if (bad !== undefined && ctx.argv[1] !== "--") {
      await ctx.err(
        `groups: ${bad.startsWith("--") ? `unrecognized option '${bad}'` : `invalid option -- '${bad[1]}'`}\nTry 'groups --help' for more information.\n`,
      );
      return 1;
    }
    const users = await readPasswd(ctx);
    const all = await readGroups(ctx);
    const name = (gid: number): string => all.find((g) => g.gid === gid)?.name ?? String(gid);
    if (operands.length === 0) {
      await ctx.out(`${name(ctx.gid)}\n`);
      return 0;
    }
    let status = 0;
    for (const userName of operands) {
      const user = users.find((u) => u.name === userName);
      if (!user) {
        await ctx.err(`groups: '${userName}': no such user\n`);
        status = 1;
        continue;
      }
      await ctx.out(`${userName} : ${groupList(user, all).map(name).join(" ")}\n`);
    }
    return status;
  },
};
