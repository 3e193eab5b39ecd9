/** test and [: coreutils semantics through lib/test-expression.ts (exit 0 true, 1 false, 2 error). */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { evaluateTest } from "./lib/test-expression.ts";

export const testCommand: CommandDefinition = {
  name: "test",
  async main(ctx) {
    // coreutils `test` takes no options at all (not even --help): every word is an operand.
    const result = await evaluateTest(ctx.argv.slice(1), ctx, "coreutils");
    if (result.error !== undefined) await ctx.err(`test: ${result.error}\n`);
    return result.status;
  },
};

export const bracketCommand: CommandDefinition = {
  name: "[",
  async main(ctx) {
    const args = ctx.argv.slice(1);
    // `[` recognises --help / --version only as its single operand.
    if (args.length === 1 && args[0] === "--help") {
      await ctx.out(
        "Usage: test EXPRESSION\n  or:  test\n  or:  [ EXPRESSION ]\n  or:  [ ]\n  or:  [ OPTION\n",
      );
      return 0;
    }
    if (args.length === 1 && args[0] === "--version") {
      await ctx.out("[ (GNU coreutils) 9.1\n");
      return 0;
    }
    const result = await evaluateTest(args, ctx, "coreutils", true);
    if (result.error !== undefined) await ctx.err(`[: ${result.error}\n`);
    return result.status;
  },
};
