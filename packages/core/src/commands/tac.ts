/**
 * tac: concatenates files with their records in reverse order, as GNU coreutils tac: -s SEP,
 * -r (SEP is a regular expression), -b (separator before each record). tac has to buffer.
 */
import { isKernelError } from "../fs/errors.ts";
import { O_RDONLY } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { describeError } from "./errors.ts";
import { regexSource } from "./lib/find-regex.ts";
import { parseArgs, UsageError, usageText } from "./lib/line-getopt.ts";
import {
  concatBytes,
  fromLatin1,
  latin1,
  Output,
  quoteAlways,
  quoteIfNeeded,
} from "./lib/line-io.ts";

export const tac: CommandDefinition = {
  name: "tac",
  async main(ctx) {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs(ctx.argv.slice(1), {
        short: "brs:",
        long: [
          { name: "before", arg: "none", key: "b" },
          { name: "regex", arg: "none", key: "r" },
          { name: "separator", arg: "required", key: "s" },
          { name: "help", arg: "none", key: "help" },
          { name: "version", arg: "none", key: "version" },
        ],
      });
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("tac", err.message));
        return 1;
      }
      throw err;
    }
    let before = false;
    let regex = false;
    let sep = "\n";
    for (const opt of parsed.options) {
      if (opt.key === "b") before = true;
      else if (opt.key === "r") regex = true;
      else if (opt.key === "s") {
        sep = opt.value!;
        if (sep === "") {
          await ctx.err("tac: separator cannot be empty\n");
          return 1;
        }
      } else if (opt.key === "help") {
        await ctx.out("Usage: tac [OPTION]... [FILE]...\n");
        return 0;
      } else {
        await ctx.out("tac (GNU coreutils) 9.1\n");
        return 0;
      }
    }
    // Separators are matched on latin1 text so every byte survives.
    const sepText = latin1(new TextEncoder().encode(sep));
    let re: RegExp;
    try {
      re = regex
        ? new RegExp(regexSource(sepText, "posix-basic"), "g")
        : new RegExp(sepText.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&"), "g");
    } catch (err) {
      await ctx.err(`tac: ${(err as Error).message}\n`);
      return 1;
    }
    const files = parsed.operands.length > 0 ? parsed.operands : ["-"];
    const out = new Output(ctx);
    let status = 0;
    for (const name of files) {
      let data: Uint8Array;
      let fd = 0;
      try {
        if (name !== "-") fd = await ctx.open(name, O_RDONLY);
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        await ctx.err(`tac: failed to open ${quoteAlways(name)} for reading: ${describeError(err)}\n`);
        status = 1;
        continue;
      }
      try {
        data = await ctx.readAll(fd);
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        // GNU tac seeks in regular inputs, so a directory fails with EINVAL, not EISDIR.
        const reason = isKernelError(err, "EISDIR") ? "Invalid argument" : describeError(err);
        await ctx.err(`tac: ${quoteIfNeeded(name)}: read error: ${reason}\n`);
        status = 1;
        continue;
      } finally {
        if (name !== "-") ctx.close(fd);
      }
      const text = latin1(data);
      const records: string[] = [];
      let last = 0;
      re.lastIndex = 0;
      if (before) {
        // Each record starts with its separator.
        let start = 0;
        for (let m = re.exec(text); m; m = re.exec(text)) {
          if (m[0].length === 0) {
            re.lastIndex++;
            continue;
          }
          if (m.index > start || start > 0) records.push(text.slice(start, m.index));
          start = m.index;
        }
        records.push(text.slice(start));
      } else {
        for (let m = re.exec(text); m; m = re.exec(text)) {
          if (m[0].length === 0) {
            re.lastIndex++;
            continue;
          }
          records.push(text.slice(last, m.index + m[0].length));
          last = m.index + m[0].length;
        }
        if (last < text.length) records.push(text.slice(last));
      }
      const chunks: Uint8Array[] = [];
      for (let i = records.length - 1; i >= 0; i--) {
        if (records[i] !== "") chunks.push(fromLatin1(records[i]));
      }
      if (chunks.length > 0) await out.write(concatBytes(chunks));
    }
    await out.flush();
    return status;
  },
};
