/** `test` and `[`, sharing the evaluator of the `test` command (bash's messages). */
import { evaluateTest } from "../../commands/lib/test-expression.ts";
import type { Builtin } from "./index.ts";

const test: Builtin = async (sh, argv) => {
  let args = argv.slice(1);
  if (argv[0] === "[") {
    if (args[args.length - 1] !== "]") {
      sh.error("[: missing `]'");
      return 2;
    }
    args = args.slice(0, -1);
  }
  const result = await evaluateTest(args, sh.ctx, "bash");
  if (result.error) sh.error(`${argv[0]}: ${result.error}`);
  return result.status;
};

export const TEST_BUILTINS: Array<[string, Builtin]> = [
  ["test", test],
  ["[", test],
];
