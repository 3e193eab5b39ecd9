/**
 * hostname [-s|-f|-d|-i|-I]: the VM's host name (/proc/sys/kernel/hostname, else
 * /etc/hostname). -i resolves it through /etc/hosts as the resolver would (127.0.1.1 on a
 * Debian-style image), -I lists non-loopback addresses (none in a VM). Setting the name
 * needs root, which the VM's user is not.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";

export async function readHostname(ctx: ProcessContext): Promise<string> {
  for (const path of ["/proc/sys/kernel/hostname", "/etc/hostname"]) {
    try {
      const text = new TextDecoder().decode(await ctx.readFile(path)).trim();
      if (text) return text;
    } catch {
      // Try the next source.
    }
  }
  return "localhost";
}

export const hostname: CommandDefinition = {
  name: "hostname",
  async main(ctx) {
    let mode = "";
    const operands: string[] = [];
    for (const arg of ctx.argv.slice(1)) {
      if (arg === "-s" || arg === "--short") mode = "s";
      else if (
        arg === "-f" ||
        arg === "--fqdn" ||
        arg === "--long" ||
        arg === "-A" ||
        arg === "--all-fqdns"
      )
        mode = arg === "-A" || arg === "--all-fqdns" ? "A" : "f";
      else if (arg === "-d" || arg === "--domain") mode = "d";
      else if (arg === "-i" || arg === "--ip-address") mode = "i";
      else if (arg === "-I" || arg === "--all-ip-addresses") mode = "I";
      else if (arg.startsWith("-") && arg.length > 1) {
        await ctx.err(`hostname: option '${arg}' is not supported\n`);
        return 1;
      } else operands.push(arg);
    }
    if (operands.length > 0) {
      await ctx.err("hostname: you must be root to change the host name\n");
      return 1;
    }
    const name = await readHostname(ctx);
    switch (mode) {
      case "s":
        await ctx.out(`${name.split(".")[0]}\n`);
        return 0;
      case "d": {
        const dot = name.indexOf(".");
        await ctx.out(`${dot < 0 ? "" : name.slice(dot + 1)}\n`);
        return 0;
      }
      case "A":
        await ctx.out(`${name} \n`);
        return 0;
      case "I":
        await ctx.out(" \n");
        return 0;
      case "i": {
        let address = "127.0.0.1";
        try {
          const hosts = new TextDecoder().decode(await ctx.readFile("/etc/hosts"));
          for (const line of hosts.split("\n")) {
            const fields = line.replace(/#.*/, "").trim().split(/\s+/);
            if (fields.length > 1 && fields.slice(1).includes(name)) {
              address = fields[0];
              break;
            }
          }
        } catch {
          // No /etc/hosts: loopback.
        }
        await ctx.out(`${address}\n`);
        return 0;
      }
      default:
        await ctx.out(`${name}\n`);
        return 0;
    }
  },
};
