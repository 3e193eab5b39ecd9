/**
 * printf (coreutils): FORMAT [ARGUMENT]... through lib/printf-format.ts. Output is written as
 * bytes; \u escapes follow the locale (UTF-8 when LC_ALL / LC_CTYPE / LANG names UTF-8).
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { byteStringToBytes, formatPrintf } from "./lib/printf-format.ts";

/** Whether the process's locale is a UTF-8 one (LC_ALL, then LC_CTYPE, then LANG). */
export function isUtf8Locale(env: Record<string, string>): boolean {
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || "";
  return /utf-?8/i.test(locale);
}

export const printf: CommandDefinition = {
  name: "printf",
  async main(ctx) {
    let args = ctx.argv.slice(1);
    if (args.length === 1 && args[0] === "--help") {
      await ctx.out(
        "Usage: printf FORMAT [ARGUMENT]...\n  or:  printf OPTION\nPrint ARGUMENT(s) according to FORMAT, or execute according to OPTION:\n",
      );
      return 0;
    }
    if (args.length === 1 && args[0] === "--version") {
      await ctx.out("printf (GNU coreutils) 9.1\n");
      return 0;
    }
    if (args[0] === "--") args = args.slice(1);
    if (args.length === 0) {
      await ctx.err("printf: missing operand\nTry 'printf --help' for more information.\n");
      return 1;
    }
    const result = formatPrintf(args[0], args.slice(1), "coreutils", {
      utf8: isUtf8Locale(ctx.env),
    });
    // stdout is buffered in GNU printf and flushed at exit; messages go out as they happen.
    if (result.errors.length > 0)
      await ctx.err(result.errors.map((e) => `printf: ${e}\n`).join(""));
    if (result.output.length > 0) await ctx.out(byteStringToBytes(result.output));
    return result.exitStatus;
  },
};
