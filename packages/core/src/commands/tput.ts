/**
 * tput [-T TERM] CAPNAME [PARAM]...: terminfo strings and numbers for the terminals in
 * lib/terminfo.ts. cols/lines come from COLUMNS/LINES, else 80x24 (there is no PTY to ask
 * yet). init/reset need a terminal and fail as GNU's do without one. Exit 3 for an unknown
 * terminal, 4 for an unknown capability, 1 for a capability the terminal lacks.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { colorSequence, cursorAddress, TERMINALS } from "./lib/terminfo.ts";

export const tput: CommandDefinition = {
  name: "tput",
  async main(ctx) {
    const args = ctx.argv.slice(1);
    let term = ctx.env.TERM;
    let i = 0;
    for (; i < args.length && args[i].startsWith("-") && args[i].length > 1; i++) {
      const arg = args[i];
      if (arg === "-T") term = args[++i];
      else if (arg.startsWith("-T")) term = arg.slice(2);
      else if (arg === "-S" || arg === "-x") {
        await ctx.err(`tput: option '${arg}' is not supported\n`);
        return 2;
      } else if (arg === "-V") {
        await ctx.out("ncurses 6.4.20230625\n");
        return 0;
      } else {
        await ctx.err(
          `tput: invalid option -- '${arg[1]}'\nUsage: tput [-V] [-S] [-T term] [-x] capname\n`,
        );
        return 2;
      }
    }
    const cap = args[i];
    const params = args.slice(i + 1);
    if (cap === undefined) {
      await ctx.err("usage: tput [-V] [-S] [-T term] [-x] capname\n");
      return 2;
    }
    if (term === undefined || term === "") {
      await ctx.err("tput: No value for $TERM and no -T specified\n");
      return 2;
    }
    const entry = TERMINALS[term];
    if (!entry) {
      await ctx.err(`tput: unknown terminal "${term}"\n`);
      return 3;
    }
    const number = (value: string | undefined): number | undefined =>
      value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
    switch (cap) {
      case "cols":
      case "columns":
        await ctx.out(`${number(ctx.env.COLUMNS) ?? 80}\n`);
        return 0;
      case "lines":
        await ctx.out(`${number(ctx.env.LINES) ?? 24}\n`);
        return 0;
      case "colors":
        await ctx.out(`${entry.colors}\n`);
        return 0;
      case "longname":
        await ctx.out(entry.longname);
        return 0;
      case "init":
      case "reset":
        if (!ctx.isatty(1) && !ctx.isatty(0) && !ctx.isatty(2)) {
          await ctx.err("tput: terminal attributes: No such device or address\n");
          return 4;
        }
        await ctx.out(entry.strings.clear ?? "");
        return 0;
      case "setaf":
      case "setab":
      case "setf":
      case "setb": {
        const n = Number(params[0] ?? "0");
        const seq = colorSequence(
          entry,
          cap === "setab" || cap === "setb",
          Number.isFinite(n) ? n : 0,
        );
        if (seq === undefined) return 1;
        await ctx.out(seq);
        return 0;
      }
      case "cup": {
        if (entry.colors < 0) return 1;
        await ctx.out(cursorAddress(Number(params[0] ?? 0), Number(params[1] ?? 0)));
        return 0;
      }
      default: {
        if (cap in entry.strings) {
          await ctx.out(entry.strings[cap]);
          return 0;
        }
        if (cap in TERMINALS["xterm-256color"].strings) return 1;
        await ctx.err(`tput: unknown terminfo capability '${cap}'\n`);
        return 4;
      }
    }
  },
};
