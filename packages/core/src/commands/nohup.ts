/**
 * nohup COMMAND [ARG]...: runs COMMAND immune to SIGHUP. Only when stdin / stdout are
 * terminals does it redirect them (stdin from /dev/null, stdout to nohup.out) and say so,
 * as GNU does; the VM has no terminals yet, so usually it just runs the command.
 */
import { O_APPEND, O_CREAT, O_RDONLY, O_WRONLY } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { statusCode } from "../kernel/process.ts";
import { SIGNALS } from "../kernel/signals.ts";
import { describeError } from "./errors.ts";
import { startChild } from "./lib/run-command.ts";

export const nohup: CommandDefinition = {
  name: "nohup",
  async main(ctx) {
    let args = ctx.argv.slice(1);
    if (args[0] === "--") args = args.slice(1);
    else if (args[0]?.startsWith("-") && args[0].length > 1) {
      const arg = args[0];
      if (arg === "--help") {
        await ctx.out("Usage: nohup COMMAND [ARG]...\n  or:  nohup OPTION\n");
        return 0;
      }
      await ctx.err(
        arg.startsWith("--")
          ? `nohup: unrecognized option '${arg}'\nTry 'nohup --help' for more information.\n`
          : `nohup: invalid option -- '${arg[1]}'\nTry 'nohup --help' for more information.\n`,
      );
      return 125;
    }
    if (args.length === 0) {
      await ctx.err("nohup: missing operand\nTry 'nohup --help' for more information.\n");
      return 125;
    }
    const fds: Array<[number, number]> = [];
    const inTty = ctx.isatty(0);
    const outTty = ctx.isatty(1);
    const opened: number[] = [];
    try {
      if (inTty) {
        const fd = await ctx.open("/dev/null", O_RDONLY);
        opened.push(fd);
        fds.push([0, fd]);
      }
      if (outTty) {
        let fd: number;
        try {
          fd = await ctx.open("nohup.out", O_WRONLY | O_CREAT | O_APPEND, 0o600);
        } catch (err) {
          if (!ctx.alive) throw err;
          await ctx.err(`nohup: failed to open 'nohup.out': ${describeError(err)}\n`);
          return 125;
        }
        opened.push(fd);
        fds.push([1, fd]);
        if (ctx.isatty(2)) fds.push([2, fd]);
        await ctx.err(
          inTty
            ? "nohup: ignoring input and appending output to 'nohup.out'\n"
            : "nohup: appending output to 'nohup.out'\n",
        );
      } else if (inTty) {
        await ctx.err("nohup: ignoring input\n");
      }
      // An ignored disposition is inherited by the child.
      ctx.onSignal(SIGNALS.SIGHUP, "ignore");
      const started = await startChild(
        ctx,
        args,
        (r) => `nohup: failed to run command '${args[0]}': ${r}\n`,
        { fds },
      );
      if (started.pid === undefined) return started.status!;
      for (const fd of opened.splice(0)) ctx.close(fd);
      const result = await ctx.waitpid(started.pid);
      return result ? statusCode(result.status) : 0;
    } finally {
      for (const fd of opened) ctx.close(fd);
    }
  },
};
