/**
 * uname [-asnrvmpio]: Linux, the host name, the kernel release /proc reports
 * (PROC_OS_RELEASE), a fixed version string, x86_64, GNU/Linux. -p and -i are "unknown" (as
 * on most Linux systems), and -a leaves them out then, as GNU does.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { PROC_OS_RELEASE } from "../kernel/proc-fs.ts";
import { readHostname } from "./hostname.ts";

export const UNAME_VERSION = "#1 SMP PREEMPT_DYNAMIC agentOS";
export const UNAME_MACHINE = "x86_64";

const LONG: Record<string, string> = {
  "--all": "a",
  "--kernel-name": "s",
  "--nodename": "n",
  "--kernel-release": "r",
  "--kernel-version": "v",
  "--machine": "m",
  "--processor": "p",
  "--hardware-platform": "i",
  "--operating-system": "o",
};

export const uname: CommandDefinition = {
  name: "uname",
  async main(ctx) {
    const flags = new Set<string>();
    for (const arg of ctx.argv.slice(1)) {
      if (arg.startsWith("--")) {
        if (arg === "--help") {
          await ctx.out("Usage: uname [OPTION]...\n");
          return 0;
        }
        if (arg === "--version") {
          await ctx.out("uname (GNU coreutils) 9.1\n");
          return 0;
        }
        const letter = LONG[arg];
        if (!letter) {
          await ctx.err(
            `uname: unrecognized option '${arg}'\nTry 'uname --help' for more information.\n`,
          );
          return 1;
        }
        flags.add(letter);
      } else if (arg.startsWith("-") && arg.length > 1) {
        for (const letter of arg.slice(1)) {
          if (!"asnrvmpio".includes(letter)) {
            await ctx.err(
              `uname: invalid option -- '${letter}'\nTry 'uname --help' for more information.\n`,
            );
            return 1;
          }
          flags.add(letter);
        }
      } else {
        await ctx.err(`uname: extra operand '${arg}'\nTry 'uname --help' for more information.\n`);
        return 1;
      }
    }
    if (flags.size === 0) flags.add("s");
    const all = flags.has("a");
    let release = PROC_OS_RELEASE;
    try {
      release =
        new TextDecoder().decode(await ctx.readFile("/proc/sys/kernel/osrelease")).trim() ||
        release;
    } catch {
      // The constant is what /proc reports anyway.
    }
    const fields: string[] = [];
    if (all || flags.has("s")) fields.push("Linux");
    if (all || flags.has("n")) fields.push(await readHostname(ctx));
    if (all || flags.has("r")) fields.push(release);
    if (all || flags.has("v")) fields.push(UNAME_VERSION);
    if (all || flags.has("m")) fields.push(UNAME_MACHINE);
    if (flags.has("p")) fields.push("unknown");
    if (flags.has("i")) fields.push("unknown");
    if (all || flags.has("o")) fields.push("GNU/Linux");
    await ctx.out(`${fields.join(" ")}\n`);
    return 0;
  },
};
