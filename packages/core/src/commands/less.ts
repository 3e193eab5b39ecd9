/**
 * less / more: without a terminal both just copy their input to stdout (what they do when
 * stdout is not a tty). The VM has no PTY yet, so that is always the case for now; options
 * are accepted and ignored except that unknown ones are still rejected by name below.
 */
import { O_RDONLY } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError } from "./errors.ts";

async function page(ctx: ProcessContext, name: "less" | "more"): Promise<number> {
  const files: string[] = [];
  let options = true;
  for (const arg of ctx.argv.slice(1)) {
    if (options && arg === "--") options = false;
    else if (options && (arg.startsWith("-") || arg.startsWith("+")) && arg.length > 1) {
      // Display options (-R -S -N -F -X +G, ...) mean nothing without a terminal.
    } else files.push(arg);
  }
  if (files.length === 0) files.push("-");
  // less and more report unreadable files but still exit 0 (checked against util-linux/less).
  const status = 0;
  for (const file of files) {
    let fd = 0;
    let opened = false;
    try {
      if (file !== "-") {
        const st = await ctx.stat(file);
        if ((st.mode & 0o170000) === 0o040000) {
          await ctx.err(
            name === "less" ? `${file} is a directory\n` : `\n*** ${file}: directory ***\n\n`,
          );
          continue;
        }
        fd = await ctx.open(file, O_RDONLY);
        opened = true;
      }
      if (file !== "-" && name === "more")
        await ctx.out(`::::::::::::::\n${file}\n::::::::::::::\n`);
      for (;;) {
        const chunk = await ctx.read(fd);
        if (chunk === null || chunk.length === 0) break;
        await ctx.write(1, chunk);
      }
    } catch (err) {
      if (!ctx.alive) throw err;
      // less (without a terminal) reports on stdout, more on stderr.
      await (name === "less" ? ctx.out.bind(ctx) : ctx.err.bind(ctx))(
        name === "less"
          ? `${file}: ${describeError(err)}\n`
          : `more: cannot open ${file}: ${describeError(err)}\n`,
      );
    } finally {
      if (opened) ctx.close(fd);
    }
  }
  return status;
}

export const less: CommandDefinition = { name: "less", main: (ctx) => page(ctx, "less") };
export const more: CommandDefinition = { name: "more", main: (ctx) => page(ctx, "more") };
