/**
 * watch [-n SECS] [-t] [-e] [-g] [-x] COMMAND: runs COMMAND (through `sh -c`, or directly
 * with -x) every SECS seconds (default 2, minimum 0.1) until killed. Without a terminal there
 * is no screen to redraw, so each run's output is printed in turn, after a header line
 * ("Every 2.0s: COMMAND") unless -t. -e stops when COMMAND fails (exit 8 as procps), -g when
 * its output changes (exit 0).
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { statusCode } from "../kernel/process.ts";
import { startChild } from "./lib/run-command.ts";

export const watch: CommandDefinition = {
  name: "watch",
  async main(ctx) {
    const args = ctx.argv.slice(1);
    let interval = 2;
    let noTitle = false;
    let errExit = false;
    let changeExit = false;
    let exec = false;
    let i = 0;
    for (; i < args.length; i++) {
      const arg = args[i];
      if (arg === "--") {
        i++;
        break;
      }
      if (!arg.startsWith("-") || arg === "-") break;
      const long: Record<string, string> = {
        "--interval": "n",
        "--no-title": "t",
        "--errexit": "e",
        "--chgexit": "g",
        "--exec": "x",
        "--differences": "d",
        "--beep": "b",
        "--color": "c",
        "--precise": "p",
      };
      let letters: string;
      let inline: string | undefined;
      if (arg.startsWith("--")) {
        const eq = arg.indexOf("=");
        const name = eq < 0 ? arg : arg.slice(0, eq);
        if (!(name in long)) {
          await ctx.err(`watch: unrecognized option '${arg}'\n`);
          return 1;
        }
        letters = long[name];
        inline = eq < 0 ? undefined : arg.slice(eq + 1);
      } else letters = arg.slice(1);
      for (let j = 0; j < letters.length; j++) {
        const letter = letters[j];
        switch (letter) {
          case "n": {
            const v = inline ?? (j + 1 < letters.length ? letters.slice(j + 1) : args[++i]);
            j = letters.length;
            const n = Number((v ?? "").replace(",", "."));
            if (v === undefined || !Number.isFinite(n)) {
              await ctx.err(`watch: failed to parse argument: '${v ?? ""}'\n`);
              return 1;
            }
            interval = Math.max(0.1, n);
            break;
          }
          case "t":
            noTitle = true;
            break;
          case "e":
            errExit = true;
            break;
          case "g":
            changeExit = true;
            break;
          case "x":
            exec = true;
            break;
          case "d":
          case "b":
          case "c":
          case "p":
            break;
          default:
            await ctx.err(`watch: invalid option -- '${letter}'\n`);
            return 1;
        }
      }
    }
    const words = args.slice(i);
    if (words.length === 0) {
      await ctx.err("Usage:\n watch [options] command\n");
      return 1;
    }
    const commandText = words.join(" ");
    const argv = exec ? words : ["sh", "-c", commandText];
    let previous: string | undefined;
    for (;;) {
      const [readEnd, writeEnd] = ctx.pipe();
      const started = await startChild(ctx, argv, (r) => `watch: ${argv[0]}: ${r}\n`, {
        fds: [
          [1, writeEnd],
          [2, writeEnd],
        ],
      });
      ctx.close(writeEnd);
      let output = "";
      try {
        for (;;) {
          const chunk = await ctx.read(readEnd);
          if (chunk === null || chunk.length === 0) break;
          output += new TextDecoder().decode(chunk, { stream: true });
        }
      } finally {
        ctx.close(readEnd);
      }
      const status =
        started.pid === undefined
          ? started.status!
          : statusCode((await ctx.waitpid(started.pid))!.status);
      const header = noTitle ? "" : `Every ${interval.toFixed(1)}s: ${commandText}\n\n`;
      await ctx.out(header + output);
      if (errExit && status !== 0) {
        await ctx.err(`\ncommand exit with a non-zero status, press a key to exit\n`);
        return 8;
      }
      if (changeExit && previous !== undefined && previous !== output) return 0;
      previous = output;
      await ctx.sleep(interval * 1000);
    }
  },
};
