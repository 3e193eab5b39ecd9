/**
 * kill (procps-ng): kill [-s SIG | -SIG | -n NUM] PID|-PGID..., kill -l [SIG], kill -L.
 * Messages as procps prints them ("kill: (123): No such process"); the status is 1 if any
 * target failed.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { describeError } from "./errors.ts";
import { lookupSignal, nameOfSignal, procpsList, procpsTable } from "./lib/signal-names.ts";

const USAGE = `
Usage:
 kill [options] <pid> [...]

Options:
 <pid> [...]            send signal to every <pid> listed
 -<signal>, -s, --signal <signal>
                        specify the <signal> to be sent
 -q, --queue <value>    integer value to be sent with the signal
 -l, --list=[<signal>]  list all signal names, or convert one to a name
 -L, --table            list all signal names in a nice table

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see kill(1).
`;

export const kill: CommandDefinition = {
  name: "kill",
  async main(ctx) {
    const args = ctx.argv.slice(1);
    let signal = 15;
    let i = 0;
    if (args.length === 0) {
      await ctx.err(USAGE);
      return 1;
    }
    const first = args[0];
    const listArg = (value: string | undefined): Promise<number> => listSignals(value);
    const listSignals = async (value: string | undefined): Promise<number> => {
      if (value === undefined) {
        await ctx.out(procpsList());
        return 0;
      }
      if (/^\d+$/.test(value)) {
        const n = Number(value);
        const name = nameOfSignal(n);
        if (name === undefined) {
          // procps reports the name but still exits 0 for -l.
          await ctx.err(`kill: unknown signal name ${value}\n`);
          return 0;
        }
        await ctx.out(`${name}\n`);
        return 0;
      }
      const n = lookupSignal(value);
      if (n === undefined || n > 31 || value.toUpperCase().replace(/^SIG/, "") === "IO") {
        await ctx.err(`kill: unknown signal name ${value}\n`);
        return 0;
      }
      await ctx.out(`${n}\n`);
      return 0;
    };
    if (first === "-l" || first === "--list") return listArg(args[1]);
    if (first.startsWith("--list=")) return listArg(first.slice(7));
    if (first.startsWith("-l") && first.length > 2) return listArg(first.slice(2));
    if (first === "-L" || first === "--table") {
      await ctx.out(procpsTable());
      return 0;
    }
    if (first === "-h" || first === "--help") {
      await ctx.out(USAGE);
      return 0;
    }
    if (first === "-V" || first === "--version") {
      await ctx.out("kill from procps-ng 4.0.2\n");
      return 0;
    }
    const parseSig = async (value: string | undefined): Promise<boolean> => {
      const n = value === undefined ? undefined : lookupSignal(value);
      if (n === undefined) {
        await ctx.err(`kill: unknown signal name ${value ?? ""}\n`);
        return false;
      }
      signal = n;
      return true;
    };
    if (first === "-s" || first === "--signal" || first === "-n") {
      if (!(await parseSig(args[1]))) return 1;
      i = 2;
    } else if (first.startsWith("--signal=")) {
      if (!(await parseSig(first.slice(9)))) return 1;
      i = 1;
    } else if (first === "--") {
      i = 1;
    } else if (first.startsWith("-") && first.length > 1 && !/^-\d+$/.test(first)) {
      if (!(await parseSig(first.slice(1)))) return 1;
      i = 1;
    } else if (/^-\d+$/.test(first) && args.length > 1) {
      if (!(await parseSig(first.slice(1)))) return 1;
      i = 1;
    }
    if (args[i] === "--") i++;
    const targets = args.slice(i);
    if (targets.length === 0) {
      await ctx.err(USAGE);
      return 1;
    }
    let status = 0;
    for (const target of targets) {
      if (!/^-?\d+$/.test(target)) {
        await ctx.err(`kill: failed to parse argument: '${target}'\n`);
        status = 1;
        continue;
      }
      const pid = Number(target);
      try {
        ctx.kill(pid, signal);
      } catch (err) {
        if (!ctx.alive) throw err;
        await ctx.err(`kill: (${pid}): ${describeError(err)}\n`);
        status = 1;
      }
    }
    return status;
  },
};
