/**
 * paste: merges lines of files side by side (or serially with -s), as GNU paste. -d LIST
 * cycles delimiters (escapes \n \t \\ \0 ...), "-" reads stdin (shared between repeats), -z.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { describeError, quoteName } from "./errors.ts";
import { getopt, type LongOption, UsageError } from "./lib/text-getopt.ts";
import { argToLatin1, type Input, LineReader, OutBuffer, openInput } from "./lib/text-io.ts";

const LONGS: LongOption[] = [
  { name: "serial", arg: "none", key: "s" },
  { name: "delimiters", arg: "required", key: "d" },
  { name: "zero-terminated", arg: "none", key: "z" },
  { name: "help", arg: "none" },
  { name: "version", arg: "none" },
];

/** GNU collapse_escapes: each entry is one delimiter ("" for \0). */
function parseDelims(text: string): string[] | undefined {
  const out: string[] = [];
  const map: Record<string, string> = {
    "0": "",
    b: "\b",
    f: "\f",
    n: "\n",
    r: "\r",
    t: "\t",
    v: "\v",
    "\\": "\\",
  };
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "\\") {
      out.push(text[i]);
      continue;
    }
    if (i + 1 >= text.length) return undefined;
    const next = text[++i];
    out.push(next in map ? map[next] : next);
  }
  return out.length > 0 ? out : [""];
}

export const paste: CommandDefinition = {
  name: "paste",
  async main(ctx) {
    let serial = false;
    let delimText = "\t";
    let zero = false;
    let operands: string[];
    try {
      const parsed = getopt(ctx.argv.slice(1), "d:sz", LONGS);
      operands = parsed.operands;
      for (const opt of parsed.options) {
        if (opt.key === "s") serial = true;
        else if (opt.key === "d") delimText = argToLatin1(opt.value ?? "");
        else if (opt.key === "z") zero = true;
        else if (opt.key === "help") {
          await ctx.out("Usage: paste [OPTION]... [FILE]...\n");
          return 0;
        } else {
          await ctx.out("paste (GNU coreutils) 9.1\n");
          return 0;
        }
      }
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(`paste: ${err.message}\nTry 'paste --help' for more information.\n`);
        return 1;
      }
      throw err;
    }
    const delims = parseDelims(delimText);
    if (!delims) {
      await ctx.err(`paste: delimiter list ends with an unescaped backslash: ${delimText}\n`);
      return 1;
    }
    const eol = zero ? "\0" : "\n";
    const files = operands.length > 0 ? operands : ["-"];
    const out = new OutBuffer(ctx);
    let stdinReader: LineReader | undefined;
    const readerFor = (name: string, input: Input): LineReader => {
      if (name !== "-") return new LineReader(ctx, input.fd, eol);
      stdinReader ??= new LineReader(ctx, 0, eol);
      return stdinReader;
    };
    if (serial) {
      let status = 0;
      for (const name of files) {
        let input: Input | undefined;
        try {
          input = await openInput(ctx, name);
          const reader = readerFor(name, input);
          let line = await reader.next();
          let d = 0;
          while (line !== null) {
            await out.write(line);
            const next = await reader.next();
            if (next !== null) {
              await out.write(delims[d]);
              d = (d + 1) % delims.length;
            }
            line = next;
          }
          await out.write(eol);
        } catch (err) {
          if (!ctx.alive) throw err;
          await out.flush();
          await ctx.err(`paste: ${quoteName(name)}: ${describeError(err)}\n`);
          status = 1;
        } finally {
          input?.close();
        }
      }
      await out.flush();
      return status;
    }
    const inputs: Input[] = [];
    const readers: (LineReader | null)[] = [];
    try {
      for (const name of files) {
        try {
          const input = await openInput(ctx, name);
          inputs.push(input);
          readers.push(readerFor(name, input));
        } catch (err) {
          if (!ctx.alive) throw err;
          await ctx.err(`paste: ${quoteName(name)}: ${describeError(err)}\n`);
          return 1;
        }
      }
      for (;;) {
        const fields: string[] = [];
        let any = false;
        for (let i = 0; i < readers.length; i++) {
          const reader = readers[i];
          const line = reader ? await reader.next() : null;
          if (line === null) {
            readers[i] = null;
            fields.push("");
          } else {
            any = true;
            fields.push(line);
          }
        }
        if (!any) break;
        let text = fields[0];
        for (let i = 1; i < fields.length; i++) text += delims[(i - 1) % delims.length] + fields[i];
        await out.write(text + eol);
      }
      await out.flush();
      return 0;
    } finally {
      for (const input of inputs) input.close();
    }
  },
};
