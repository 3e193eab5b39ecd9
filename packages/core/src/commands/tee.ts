/**
 * tee: copies stdin to stdout and to each FILE, as GNU coreutils tee: -a (append), -i (ignore
 * SIGINT), -p / --output-error[=MODE] (keep going when a pipe reader goes away).
 */
import { isKernelError } from "../fs/errors.ts";
import { O_APPEND, O_CREAT, O_TRUNC, O_WRONLY } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { describeError } from "./errors.ts";
import { parseArgs, UsageError, usageText } from "./lib/line-getopt.ts";
import { quoteIfNeeded } from "./lib/line-io.ts";

const MODES = ["warn", "warn-nopipe", "exit", "exit-nopipe"];

export const tee: CommandDefinition = {
  name: "tee",
  async main(ctx) {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs(ctx.argv.slice(1), {
        short: "aip",
        long: [
          { name: "append", arg: "none", key: "a" },
          { name: "ignore-interrupts", arg: "none", key: "i" },
          { name: "output-error", arg: "optional", key: "output-error" },
          { name: "help", arg: "none", key: "help" },
          { name: "version", arg: "none", key: "version" },
        ],
      });
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("tee", err.message));
        return 1;
      }
      throw err;
    }
    let append = false;
    let mode: string | undefined;
    for (const opt of parsed.options) {
      if (opt.key === "a") append = true;
      else if (opt.key === "i") ctx.onSignal(2, "ignore");
      else if (opt.key === "p") mode = "warn-nopipe";
      else if (opt.key === "output-error") {
        const value = opt.value ?? "warn-nopipe";
        const match = MODES.filter((m) => m.startsWith(value));
        const exact = MODES.find((m) => m === value);
        if (!exact && match.length !== 1) {
          const kind = match.length === 0 ? "invalid" : "ambiguous";
          await ctx.err(
            `tee: ${kind} argument '${value}' for '--output-error'\nValid arguments are:\n${MODES.map((m) => `  - '${m}'`).join("\n")}\nTry 'tee --help' for more information.\n`,
          );
          return 1;
        }
        mode = exact ?? match[0];
      } else if (opt.key === "help") {
        await ctx.out("Usage: tee [OPTION]... [FILE]...\n");
        return 0;
      } else {
        await ctx.out("tee (GNU coreutils) 9.1\n");
        return 0;
      }
    }
    let status = 0;
    // Targets: stdout first, then each file that opened.
    const targets: Array<{ fd: number; name: string; open: boolean }> = [
      { fd: 1, name: "standard output", open: true },
    ];
    for (const name of parsed.operands) {
      try {
        const fd = await ctx.open(name, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0o666);
        targets.push({ fd, name, open: true });
      } catch (err) {
        if (!ctx.alive) throw err;
        await ctx.err(`tee: ${quoteIfNeeded(name)}: ${describeError(err)}\n`);
        status = 1;
      }
    }
    try {
      for (;;) {
        const chunk = await ctx.read(0);
        if (chunk === null || chunk.length === 0) break;
        let live = 0;
        for (const t of targets) {
          if (!t.open) continue;
          try {
            await ctx.write(t.fd, chunk);
            live++;
          } catch (err) {
            if (!ctx.alive) throw err;
            const pipe = isKernelError(err, "EPIPE");
            if (pipe && mode === undefined) throw err;
            t.open = false;
            if (!(pipe && mode?.endsWith("nopipe"))) {
              await ctx.err(`tee: ${quoteIfNeeded(t.name)}: ${describeError(err)}\n`);
              status = 1;
              if (mode?.startsWith("exit")) return 1;
            }
          }
        }
        if (live === 0 && mode !== undefined) break;
      }
    } catch (err) {
      if (!ctx.alive || isKernelError(err, "EPIPE")) throw err;
      await ctx.err(`tee: read error: ${describeError(err)}\n`);
      status = 1;
    } finally {
      for (const t of targets) if (t.fd !== 1) ctx.close(t.fd);
    }
    return status;
  },
};
