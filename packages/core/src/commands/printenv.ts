/** printenv [-0] [VARIABLE]...: the environment, or the named variables (exit 1 if any is unset). */
import type { CommandDefinition } from "../kernel/command-registry.ts";

export const printenv: CommandDefinition = {
  name: "printenv",
  async main(ctx) {
    let nul = false;
    const names: string[] = [];
    let options = true;
    for (const arg of ctx.argv.slice(1)) {
      if (options && arg === "--") options = false;
      else if (options && (arg === "-0" || arg === "--null")) nul = true;
      else if (options && arg.startsWith("--") && arg.length > 2) {
        await ctx.err(
          `printenv: unrecognized option '${arg}'\nTry 'printenv --help' for more information.\n`,
        );
        return 2;
      } else if (options && arg.startsWith("-") && arg.length > 1) {
        for (const letter of arg.slice(1)) {
          if (letter !== "0") {
            await ctx.err(
              `printenv: invalid option -- '${letter}'\nTry 'printenv --help' for more information.\n`,
            );
            return 2;
          }
          nul = true;
        }
      } else names.push(arg);
    }
    const end = nul ? "\0" : "\n";
    const env = ctx.env;
    if (names.length === 0) {
      await ctx.out(
        Object.entries(env)
          .map(([k, v]) => `${k}=${v}${end}`)
          .join(""),
      );
      return 0;
    }
    let out = "";
    let status = 0;
    for (const name of names) {
      if (!name.includes("=") && Object.hasOwn(env, name)) out += env[name] + end;
      else status = 1;
    }
    await ctx.out(out);
    return status;
  },
};
