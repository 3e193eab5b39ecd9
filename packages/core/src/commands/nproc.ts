/**
 * nproc [--all] [--ignore=N]: the CPUs the VM shows in /proc/cpuinfo (one per host CPU: its
 * processes really run on all of them). Without --all, OMP_NUM_THREADS and OMP_THREAD_LIMIT
 * limit the count, as in GNU.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";

export const nproc: CommandDefinition = {
  name: "nproc",
  async main(ctx) {
    const args = ctx.argv.slice(1);
    let all = false;
    let ignore = 0n;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      let value: string | undefined;
      if (arg === "--all") all = true;
      else if (arg === "--ignore") {
        value = args[++i];
        if (value === undefined) {
          await ctx.err(
            "nproc: option '--ignore' requires an argument\nTry 'nproc --help' for more information.\n",
          );
          return 1;
        }
      } else if (arg.startsWith("--ignore=")) value = arg.slice("--ignore=".length);
      else if (arg === "--help") {
        await ctx.out("Usage: nproc [OPTION]...\n");
        return 0;
      } else if (arg.startsWith("--")) {
        await ctx.err(
          `nproc: unrecognized option '${arg}'\nTry 'nproc --help' for more information.\n`,
        );
        return 1;
      } else if (arg.startsWith("-") && arg.length > 1) {
        await ctx.err(
          `nproc: invalid option -- '${arg[1]}'\nTry 'nproc --help' for more information.\n`,
        );
        return 1;
      } else {
        await ctx.err(`nproc: extra operand '${arg}'\nTry 'nproc --help' for more information.\n`);
        return 1;
      }
      if (value !== undefined) {
        if (!/^\s*\+?\d+$/.test(value)) {
          await ctx.err(`nproc: invalid number: '${value}'\n`);
          return 1;
        }
        ignore = BigInt(value.trim());
      }
    }
    let count = 1;
    try {
      const text = new TextDecoder().decode(await ctx.readFile("/proc/cpuinfo"));
      count = Math.max(1, (text.match(/^processor\s*:/gm) ?? []).length);
    } catch {
      // No /proc: one CPU.
    }
    if (!all) {
      const threads = parseOmp(ctx.env.OMP_NUM_THREADS);
      if (threads !== undefined && threads > 0) count = threads;
      const limit = parseOmp(ctx.env.OMP_THREAD_LIMIT);
      if (limit !== undefined && limit > 0 && count > limit) count = limit;
    }
    const result = BigInt(count) > ignore ? BigInt(count) - ignore : 1n;
    await ctx.out(`${result}\n`);
    return 0;
  },
};

/** GNU reads the first number of a comma-separated OMP list. */
function parseOmp(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(\d+)\s*(?:,|$)/.exec(value);
  return m ? Number(m[1]) : undefined;
}
