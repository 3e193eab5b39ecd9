/** clear [-x] [-T TERM]: the terminal's clear sequence (without the scrollback erase with -x). */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { TERMINALS } from "./lib/terminfo.ts";

export const clear: CommandDefinition = {
  name: "clear",
  async main(ctx) {
    const args = ctx.argv.slice(1);
    let keepScrollback = false;
    let term = ctx.env.TERM;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg === "-x") keepScrollback = true;
      else if (arg === "-T") term = args[++i];
      else if (arg.startsWith("-T")) term = arg.slice(2);
      else if (arg === "-V") {
        await ctx.out("ncurses 6.4.20230625\n");
        return 0;
      } else {
        await ctx.err(
          `clear: invalid option -- ${arg.replace(/^-/, "")}\nUsage: clear [options]\n`,
        );
        return 1;
      }
    }
    if (term === undefined || term === "") {
      await ctx.err("TERM environment variable not set.\n");
      return 1;
    }
    const entry = TERMINALS[term];
    if (!entry) {
      await ctx.err(`'${term}': unknown terminal type.\n`);
      return 1;
    }
    let seq = entry.strings.clear ?? "";
    if (keepScrollback) seq = seq.replace("\x1b[3J", "");
    await ctx.out(seq);
    return 0;
  },
};
