/**
 * stty: the VM has no PTY yet, so every descriptor is "not a tty" and stty fails exactly as
 * GNU stty does on a pipe or file: "stty: 'standard input': Inappropriate ioctl for device".
 * (When the kernel grows PTYs, settings will be read and written here.)
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";

export const stty: CommandDefinition = {
  name: "stty",
  async main(ctx) {
    const args = ctx.argv.slice(1);
    let device = "standard input";
    for (let i = 0; i < args.length; i++) {
      if (args[i] === "-F" || args[i] === "--file") device = args[++i] ?? device;
      else if (args[i].startsWith("--file=")) device = args[i].slice(7);
      else if (args[i].startsWith("-F") && args[i].length > 2) device = args[i].slice(2);
    }
    if (device !== "standard input") {
      try {
        await ctx.stat(device);
      } catch {
        await ctx.err(`stty: ${device}: No such file or directory\n`);
        return 1;
      }
      await ctx.err(`stty: ${device}: Inappropriate ioctl for device\n`);
      return 1;
    }
    await ctx.err("stty: 'standard input': Inappropriate ioctl for device\n");
    return 1;
  },
};
