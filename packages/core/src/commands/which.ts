/**
 * which [-a] NAME... (Debian's `which` script): prints the first executable regular file named
 * NAME on PATH (every one with -a); a NAME with a slash is checked as is. Nothing is printed
 * for names not found; the status is 1 if any was missing (or no NAME was given).
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";

async function isExecutableFile(ctx: ProcessContext, path: string): Promise<boolean> {
  try {
    const st = await ctx.stat(path);
    if ((st.mode & 0o170000) !== 0o100000) return false;
    await ctx.access(path, 1);
    return true;
  } catch {
    return false;
  }
}

export const which: CommandDefinition = {
  name: "which",
  async main(ctx) {
    const args = ctx.argv.slice(1);
    let all = false;
    let i = 0;
    // getopts: clustered -a letters until a non-option or "--".
    for (; i < args.length; i++) {
      const arg = args[i];
      if (arg === "--") {
        i++;
        break;
      }
      if (!arg.startsWith("-") || arg.length === 1) break;
      for (const letter of arg.slice(1)) {
        if (letter !== "a") {
          await ctx.err(`Illegal option -${letter}\n`);
          await ctx.out("Usage: /usr/bin/which [-a] args\n");
          return 2;
        }
        all = true;
      }
    }
    const names = args.slice(i);
    let status = names.length === 0 ? 1 : 0;
    let path = ctx.env.PATH ?? "";
    if (/[^:]:$/.test(path)) path += ":";
    const dirs = path.split(":");
    // "a:b" splits in sh to a, b; a trailing ":" (made "::") yields one empty field.
    if (path.endsWith(":")) dirs.pop();
    let out = "";
    for (const name of names) {
      let found = false;
      if (name.includes("/")) {
        if (await isExecutableFile(ctx, name)) {
          out += `${name}\n`;
          found = true;
        }
      } else {
        for (const dir of path === "" ? [] : dirs) {
          const candidate = `${dir === "" ? "." : dir}/${name}`;
          if (await isExecutableFile(ctx, candidate)) {
            out += `${candidate}\n`;
            found = true;
            if (!all) break;
          }
        }
      }
      if (!found) status = 1;
    }
    await ctx.out(out);
    return status;
  },
};
