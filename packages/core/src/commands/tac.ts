/**
 * tac: concatenates files with their records in reverse order, as GNU coreutils tac: -s SEP,
 * -r (SEP is a regular expression), -b (separator before each record). tac has to buffer.
 */
import { isKernelError } from "../fs/errors.ts";
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
import { type Input, openInput } from "./lib/text-io.ts";

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
        ? new RegExp(regexSource(sepText, "posix-basic"), "y")
        : new RegExp(sepText.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&"), "y");
    } catch (err) {
      await ctx.err(`tac: ${(err as Error).message}\n`);
      return 1;
    }
    const files = parsed.operands.length > 0 ? parsed.operands : ["-"];
    const out = new Output(ctx);
    let status = 0;
    for (const name of files) {
      let data: Uint8Array;
      let input: Input;
      try {
        input = await openInput(ctx, name);
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        await ctx.err(
          `tac: failed to open ${quoteAlways(name)} for reading: ${describeError(err)}\n`,
        );
        status = 1;
        continue;
      }
      try {
        data = await ctx.readAll(input.fd);
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        // GNU tac seeks in regular inputs, so a directory fails with EINVAL, not EISDIR.
        const reason = isKernelError(err, "EISDIR") ? "Invalid argument" : describeError(err);
        await ctx.err(`tac: ${quoteIfNeeded(name)}: read error: ${reason}\n`);
        status = 1;
        continue;
      } finally {
        input.close();
      }
      const text = latin1(data);
      if (sepText === "") {
        await out.write(data);
        continue;
      }
      const records = splitBackward(text, regex ? re : sepText, before);
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

/**
 * GNU tac finds separators searching backward from the end: each match starts at the highest
 * position where the separator matches without running into the separator found after it.
 * Returns the records in input order, each with its separator (after, or before with -b).
 */
function splitBackward(text: string, re: RegExp | string, before: boolean): string[] {
  const seps: Array<[number, number]> = [];
  let limit = text.length;
  if (typeof re === "string") {
    for (let p = text.lastIndexOf(re, limit - re.length); p >= 0 && limit - re.length >= 0; ) {
      seps.push([p, p + re.length]);
      limit = p;
      if (limit - re.length < 0) break;
      p = text.lastIndexOf(re, limit - re.length);
    }
  }
  for (let p = typeof re === "string" ? -1 : text.length - 1; p >= 0; p--) {
    if (typeof re === "string") break;
    re.lastIndex = p;
    const m = re.exec(text.slice(0, limit));
    if (!m || m[0].length === 0) continue;
    seps.push([p, p + m[0].length]);
    limit = p;
  }
  seps.reverse();
  const records: string[] = [];
  let start = 0;
  for (const [s, e] of seps) {
    if (before) {
      records.push(text.slice(start, s));
      start = s;
    } else {
      records.push(text.slice(start, e));
      start = e;
    }
  }
  records.push(text.slice(start));
  return records;
}
