/** sleep: GNU syntax (sums of NUMBER[smhd], fractions, "inf"); waits on a timer, never spins. */
import type { CommandDefinition } from "../kernel/command-registry.ts";

const UNITS: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86400 };

export const sleep: CommandDefinition = {
  name: "sleep",
  async main(ctx) {
    const args = ctx.argv.slice(1).filter((a) => a !== "--");
    if (args.length === 0) {
      await ctx.err("sleep: missing operand\nTry 'sleep --help' for more information.\n");
      return 1;
    }
    let seconds = 0;
    for (const arg of args) {
      const match = /^(\+?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|inf(?:inity)?)([smhd]?)$/i.exec(arg);
      if (!match) {
        await ctx.err(
          `sleep: invalid time interval '${arg}'\nTry 'sleep --help' for more information.\n`,
        );
        return 1;
      }
      const value = /^inf/i.test(match[1]) ? Number.POSITIVE_INFINITY : Number(match[1]);
      seconds += value * UNITS[match[2].toLowerCase()];
    }
    // setTimeout caps at ~24.8 days; sleep in slices so "infinity" works.
    let remaining = seconds * 1000;
    while (remaining > 0) {
      const slice = Math.min(remaining, 2 ** 31 - 1);
      await ctx.sleep(slice);
      remaining -= slice;
    }
    return 0;
  },
};
