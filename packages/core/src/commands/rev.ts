/** rev: reverses the bytes of each line (util-linux rev in the C locale). */
import { O_RDONLY } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { describeError } from "./errors.ts";
import { parseArgs, UsageError } from "./lib/line-getopt.ts";
import { LineReader, Output } from "./lib/line-io.ts";

export const rev: CommandDefinition = {
  name: "rev",
  async main(ctx) {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs(ctx.argv.slice(1), {
        short: "0hV",
        long: [
          { name: "zero", arg: "none", key: "0" },
          { name: "help", arg: "none", key: "h" },
          { name: "version", arg: "none", key: "V" },
        ],
      });
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(`rev: ${err.message}\nTry 'rev --help' for more information.\n`);
        return 1;
      }
      throw err;
    }
    let delim = 0x0a;
    for (const opt of parsed.options) {
      if (opt.key === "0") delim = 0;
      else if (opt.key === "h") {
        await ctx.out("Usage: rev [options] [file ...]\n");
        return 0;
      } else {
        await ctx.out("rev from util-linux 2.38.1\n");
        return 0;
      }
    }
    const files = parsed.operands.length > 0 ? parsed.operands : ["-"];
    const out = new Output(ctx);
    let status = 0;
    for (const name of files) {
      let fd = 0;
      const opened = name !== "-" || parsed.operands.length > 0;
      try {
        fd = opened ? await ctx.open(name, O_RDONLY) : 0;
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        await ctx.err(`rev: cannot open ${name}: ${describeError(err)}\n`);
        status = 1;
        continue;
      }
      try {
        const reader = new LineReader(ctx, fd, delim);
        for (let index = 0; ; index++) {
          const line = await reader.next();
          if (line === null) break;
          if (line.some((b) => b >= 0x80)) {
            // util-linux rev reads wide characters: in the C locale high bytes are invalid.
            await out.flush();
            await ctx.err(
              `rev: ${name === "-" ? "stdin" : name}: ${index}: Invalid or incomplete multibyte or wide character\n`,
            );
            status = 1;
            break;
          }
          const hasDelim = line.length > 0 && line[line.length - 1] === delim;
          const body = line.slice(0, hasDelim ? line.length - 1 : line.length).reverse();
          await out.write(body);
          if (hasDelim) await out.write(line.subarray(line.length - 1));
        }
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        await ctx.err(`rev: ${name}: ${describeError(err)}\n`);
        status = 1;
      } finally {
        if (opened) ctx.close(fd);
      }
    }
    await out.flush();
    return status;
  },
};
