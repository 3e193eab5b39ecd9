/** yes: repeats its arguments (or "y") forever, in large writes; stops on EPIPE or a signal. */
import type { CommandDefinition } from "../kernel/command-registry.ts";

export const yes: CommandDefinition = {
  name: "yes",
  async main(ctx) {
    const args = ctx.argv.slice(1);
    if (args[0] === "--help") {
      await ctx.out("Usage: yes [STRING]...\n");
      return 0;
    }
    if (args[0] === "--version") {
      await ctx.out("yes (GNU coreutils) 9.1\n");
      return 0;
    }
    const operands = args[0] === "--" ? args.slice(1) : args;
    if (operands.length > 0 && operands[0].startsWith("--") && args[0] !== "--") {
      await ctx.err(
        `yes: unrecognized option '${operands[0]}'\nTry 'yes --help' for more information.\n`,
      );
      return 1;
    }
    const line = `${operands.length > 0 ? operands.join(" ") : "y"}\n`;
    const one = new TextEncoder().encode(line);
    const copies = Math.max(1, Math.floor(65536 / one.length));
    const block = new Uint8Array(one.length * copies);
    for (let i = 0; i < copies; i++) block.set(one, i * one.length);
    for (;;) await ctx.write(1, block);
  },
};
