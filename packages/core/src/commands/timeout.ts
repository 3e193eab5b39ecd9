/**
 * timeout [OPTION] DURATION COMMAND [ARG]... (GNU coreutils): runs COMMAND in its own process
 * group (unless --foreground) and sends it SIGNAL (TERM) after DURATION (s/m/h/d suffixes,
 * fractions; 0 disables), then KILL after -k DURATION if it is still running.
 * Exit: 124 when it timed out (128+9 when KILL was sent or is the signal), else the
 * command's status; --preserve-status returns the command's status even on timeout;
 * 125 for timeout's own errors, 126/127 when COMMAND cannot run. Signals timeout itself
 * receives (HUP INT QUIT TERM ...) are passed on to the command.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { statusCode } from "../kernel/process.ts";
import { SIGNALS } from "../kernel/signals.ts";
import { startChild } from "./lib/run-command.ts";
import { lookupSignal } from "./lib/signal-names.ts";

const UNITS: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds in a GNU duration, or undefined when invalid. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*\+?((?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|inf(?:inity)?)([smhd]?)$/i.exec(text);
  if (!m) return undefined;
  const value = /^inf/i.test(m[1]) ? Number.POSITIVE_INFINITY : Number(m[1]);
  const seconds = value * UNITS[m[2].toLowerCase()];
  return Number.isNaN(seconds) ? undefined : seconds;
}

const TRY = "Try 'timeout --help' for more information.\n";

export const timeout: CommandDefinition = {
  name: "timeout",
  async main(ctx) {
    const args = ctx.argv.slice(1);
    let signal: number = SIGNALS.SIGTERM;
    let killAfter: number | undefined;
    let preserve = false;
    let foreground = false;
    let verbose = false;
    let i = 0;
    const usage = async (message: string): Promise<number> => {
      await ctx.err(`timeout: ${message}\n${TRY}`);
      return 125;
    };
    for (; i < args.length; i++) {
      const arg = args[i];
      if (arg === "--") {
        i++;
        break;
      }
      if (!arg.startsWith("-") || arg === "-") break;
      if (arg.startsWith("--")) {
        const eq = arg.indexOf("=");
        const name = eq < 0 ? arg : arg.slice(0, eq);
        const value = (): string | undefined => (eq < 0 ? args[++i] : arg.slice(eq + 1));
        if ("--preserve-status".startsWith(name) && name.length > 3) preserve = true;
        else if ("--foreground".startsWith(name) && name.length > 3) foreground = true;
        else if ("--verbose".startsWith(name) && name.length > 3) verbose = true;
        else if ("--signal".startsWith(name) && name.length > 3) {
          const v = value();
          const n = v === undefined ? undefined : lookupSignal(v);
          if (n === undefined) {
            await ctx.err(`timeout: '${v}': invalid signal\n${TRY}`);
            return 125;
          }
          signal = n;
        } else if ("--kill-after".startsWith(name) && name.length > 3) {
          const v = value() ?? "";
          const d = parseDuration(v);
          if (d === undefined) return usage(`invalid time interval '${v}'`);
          killAfter = d;
        } else if (name === "--help") {
          await ctx.out(
            "Usage: timeout [OPTION] DURATION COMMAND [ARG]...\n  or:  timeout [OPTION]\n",
          );
          return 0;
        } else if (name === "--version") {
          await ctx.out("timeout (GNU coreutils) 9.1\n");
          return 0;
        } else return usage(`unrecognized option '${arg}'`);
        continue;
      }
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j];
        const value = (): string | undefined => {
          const v = j + 1 < arg.length ? arg.slice(j + 1) : args[++i];
          j = arg.length;
          return v;
        };
        if (letter === "v") verbose = true;
        else if (letter === "s") {
          const v = value();
          if (v === undefined) return usage("option requires an argument -- 's'");
          const n = lookupSignal(v);
          if (n === undefined) {
            await ctx.err(`timeout: '${v}': invalid signal\n${TRY}`);
            return 125;
          }
          signal = n;
        } else if (letter === "k") {
          const v = value();
          if (v === undefined) return usage("option requires an argument -- 'k'");
          const d = parseDuration(v);
          if (d === undefined) return usage(`invalid time interval '${v}'`);
          killAfter = d;
        } else return usage(`invalid option -- '${letter}'`);
      }
    }
    const durationText = args[i];
    const command = args.slice(i + 1);
    if (durationText === undefined || command.length === 0) {
      // GNU prints only the hint when operands are missing.
      await ctx.err(TRY);
      return 125;
    }
    const duration = parseDuration(durationText);
    if (duration === undefined) return usage(`invalid time interval '${durationText}'`);
    const started = await startChild(
      ctx,
      command,
      (r) => `timeout: failed to run command '${command[0]}': ${r}\n`,
      foreground ? {} : { pgid: 0 },
    );
    if (started.pid === undefined) return started.status!;
    const child = started.pid;
    let timedOut = false;
    let killed = false;
    const send = (sig: number): void => {
      try {
        ctx.kill(foreground ? child : -child, sig);
      } catch {
        try {
          ctx.kill(child, sig);
        } catch {
          // Already gone.
        }
      }
    };
    const timers: ReturnType<typeof setTimeout>[] = [];
    const after = (seconds: number, fn: () => void): void => {
      if (!Number.isFinite(seconds) || seconds <= 0) return;
      // setTimeout caps at ~24.8 days: re-arm in slices.
      let remaining = seconds * 1000;
      const arm = (): void => {
        const slice = Math.min(remaining, 2 ** 31 - 1);
        remaining -= slice;
        timers.push(setTimeout(remaining > 0 ? arm : fn, slice));
      };
      arm();
    };
    const fire = (): void => {
      if (!ctx.alive) return;
      timedOut = true;
      if (verbose)
        void ctx
          .err(`timeout: sending signal ${signalLabel(signal)} to command '${command[0]}'\n`)
          .catch(() => {});
      send(signal);
      if (signal === SIGNALS.SIGKILL) killed = true;
      else if (signal !== SIGNALS.SIGCONT) send(SIGNALS.SIGCONT);
      if (killAfter !== undefined) {
        after(killAfter, () => {
          if (!ctx.alive) return;
          if (verbose)
            void ctx
              .err(`timeout: sending signal KILL to command '${command[0]}'\n`)
              .catch(() => {});
          killed = true;
          send(SIGNALS.SIGKILL);
        });
      }
    };
    after(duration, fire);
    // Pass on the signals GNU timeout forwards.
    for (const sig of [
      SIGNALS.SIGHUP,
      SIGNALS.SIGINT,
      SIGNALS.SIGQUIT,
      SIGNALS.SIGTERM,
      SIGNALS.SIGALRM,
    ]) {
      ctx.onSignal(sig, (s) => send(s));
    }
    try {
      const result = await ctx.waitpid(child);
      const status = result ? statusCode(result.status) : 0;
      if (timedOut && !preserve) return killed ? 128 + SIGNALS.SIGKILL : 124;
      return status;
    } finally {
      for (const t of timers) clearTimeout(t);
    }
  },
};

function signalLabel(n: number): string {
  const names: Record<number, string> = { 1: "HUP", 2: "INT", 3: "QUIT", 9: "KILL", 15: "TERM" };
  return names[n] ?? String(n);
}
