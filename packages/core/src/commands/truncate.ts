/** truncate: shrinks or extends files (GNU: -s [+-<>/%]SIZE with K/KB/KiB.. suffixes, -c -r -o). */
import { O_CREAT, O_WRONLY, S_IFDIR, S_IFMT } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { parseArgs, UsageError, usageText } from "./lib/file-args.ts";
import { quoteAlways, quoteLocale } from "./lib/file-quote.ts";
import { errCode, errText } from "./lib/file-util.ts";

/** A GNU size with optional suffix (K, KB, KiB, M, ...). */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+)([KMGTPEZY]?)(iB|B)?$/i.exec(text) ?? /^(\d+)([bcwk])?$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? "";
  if (unit === "") return m[3] ? undefined : n;
  if (unit === "b") return n * 512;
  if (unit === "c") return n;
  if (unit === "w") return n * 2;
  const power = "KMGTPEZY".indexOf(unit.toUpperCase()) + 1;
  if (unit === "k" && m[3] === undefined) return n * 1024;
  if (power === 0) return undefined;
  const base = m[3]?.toUpperCase() === "B" ? 1000 : 1024;
  return n * base ** power;
}

export const truncate: CommandDefinition = {
  name: "truncate",
  async main(ctx) {
    let noCreate = false;
    let ioBlocks = false;
    let sizeText: string | undefined;
    let reference: string | undefined;
    let args: ReturnType<typeof parseArgs>;
    try {
      args = parseArgs(ctx.argv.slice(1), "cor:s:", [
        { name: "no-create", arg: "none", key: "c" },
        { name: "io-blocks", arg: "none", key: "o" },
        { name: "reference", arg: "required", key: "r" },
        { name: "size", arg: "required", key: "s" },
      ]);
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("truncate", err.message));
        return 1;
      }
      throw err;
    }
    for (const { key, value } of args.options) {
      if (key === "c") noCreate = true;
      else if (key === "o") ioBlocks = true;
      else if (key === "r") reference = value;
      else if (key === "s") sizeText = value;
    }
    let op = "";
    let amount = 0;
    if (sizeText !== undefined) {
      const m = /^([-+<>/%]?)\s*(.*)$/.exec(sizeText) as RegExpExecArray;
      op = m[1];
      const n = parseSize(m[2]);
      if (n === undefined) {
        await ctx.err(`truncate: Invalid number: ${quoteLocale(sizeText)}\n`);
        return 1;
      }
      amount = ioBlocks ? n * 4096 : n;
      if ((op === "/" || op === "%") && amount === 0) {
        await ctx.err("truncate: division by zero\n");
        return 1;
      }
    }
    if (sizeText === undefined && reference === undefined) {
      await ctx.err(usageText("truncate", "you must specify either '--size' or '--reference'"));
      return 1;
    }
    if (args.operands.length === 0) {
      await ctx.err(usageText("truncate", "missing file operand"));
      return 1;
    }
    let refSize: number | undefined;
    if (reference !== undefined) {
      try {
        refSize = (await ctx.stat(reference)).size;
      } catch (err) {
        if (!ctx.alive) throw err;
        await ctx.err(`truncate: cannot stat ${quoteAlways(reference)}: ${errText(err)}\n`);
        return 1;
      }
      if (sizeText !== undefined && op === "") {
        await ctx.err(
          usageText("truncate", "you must specify a relative '--size' with '--reference'"),
        );
        return 1;
      }
    }
    let status = 0;
    for (const file of args.operands) {
      try {
        let st = await ctx.stat(file).catch((err: unknown) => {
          if (errCode(err) === "ENOENT") return undefined;
          throw err;
        });
        if (st && (st.mode & S_IFMT) === S_IFDIR) {
          await ctx.err(`truncate: cannot open ${quoteAlways(file)} for writing: Is a directory\n`);
          status = 1;
          continue;
        }
        if (!st) {
          if (noCreate) continue;
          try {
            const fd = await ctx.open(file, O_WRONLY | O_CREAT, 0o666);
            ctx.close(fd);
          } catch (err) {
            if (!ctx.alive) throw err;
            await ctx.err(
              `truncate: cannot open ${quoteAlways(file)} for writing: ${errText(err)}\n`,
            );
            status = 1;
            continue;
          }
          st = await ctx.stat(file);
        }
        const current = refSize ?? st.size;
        let size: number;
        switch (op) {
          case "+":
            size = current + amount;
            break;
          case "-":
            size = Math.max(0, current - amount);
            break;
          case "<":
            size = Math.min(current, amount);
            break;
          case ">":
            size = Math.max(current, amount);
            break;
          case "/":
            size = Math.floor(current / amount) * amount;
            break;
          case "%":
            size = Math.ceil(current / amount) * amount;
            break;
          default:
            size = sizeText === undefined ? current : amount;
        }
        await ctx.truncate(file, size);
      } catch (err) {
        if (!ctx.alive) throw err;
        await ctx.err(`truncate: failed to truncate ${quoteAlways(file)}: ${errText(err)}\n`);
        status = 1;
      }
    }
    return status;
  },
};
