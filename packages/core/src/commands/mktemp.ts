/** mktemp: creates a unique temporary file or directory (GNU: -d -u -q -p DIR -t --suffix). */
import { randomInt } from "node:crypto";
import { O_CREAT, O_EXCL, O_RDWR } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { parseArgs, UsageError, usageText } from "./lib/file-args.ts";
import { quoteAlways } from "./lib/file-quote.ts";
import { errCode, errText, joinPath } from "./lib/file-util.ts";

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export const mktemp: CommandDefinition = {
  name: "mktemp",
  async main(ctx) {
    let dir = false;
    let dryRun = false;
    let quiet = false;
    let tmpdir: string | undefined;
    let useTmpdir = false;
    let legacyT = false;
    let suffix: string | undefined;
    let args: ReturnType<typeof parseArgs>;
    try {
      args = parseArgs(ctx.argv.slice(1), "dp:qtuV", [
        { name: "directory", arg: "none", key: "d" },
        { name: "dry-run", arg: "none", key: "u" },
        { name: "quiet", arg: "none", key: "q" },
        { name: "suffix", arg: "required", key: "suffix" },
        { name: "tmpdir", arg: "optional", key: "p" },
      ]);
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("mktemp", err.message));
        return 1;
      }
      throw err;
    }
    for (const { key, value } of args.options) {
      if (key === "d") dir = true;
      else if (key === "u") dryRun = true;
      else if (key === "q") quiet = true;
      else if (key === "suffix") suffix = value;
      else if (key === "p") {
        useTmpdir = true;
        tmpdir = value;
      } else if (key === "t") {
        useTmpdir = true;
        legacyT = true;
      }
    }
    const fail = async (message: string): Promise<number> => {
      if (!quiet) await ctx.err(`mktemp: ${message}\n`);
      return 1;
    };
    if (args.operands.length > 1) {
      await ctx.err(usageText("mktemp", `too many templates`));
      return 1;
    }
    let template = args.operands[0];
    if (template === undefined) {
      template = "tmp.XXXXXXXXXX";
      useTmpdir = true;
    }
    const suffixGiven = suffix !== undefined;
    if (suffix !== undefined) {
      if (!template.endsWith("X")) {
        return await fail(`with --suffix, template ${quoteAlways(template)} must end in X`);
      }
    } else {
      const m = /X+([^X]*)$/.exec(template);
      suffix = m && !m[1].includes("/") ? m[1] : "";
    }
    const base = suffixGiven ? template : template.slice(0, template.length - suffix.length);
    const xs = /X*$/.exec(base)?.[0].length ?? 0;
    if (xs < 3) {
      return await fail(`too few X's in template ${quoteAlways(template)}`);
    }
    if (useTmpdir) {
      if (legacyT || tmpdir === undefined || tmpdir === "") {
        tmpdir = ctx.env.TMPDIR || tmpdir || "/tmp";
      }
      if (template.includes("/") && (legacyT || args.operands[0] !== undefined)) {
        if (legacyT || tmpdir) {
          return await fail(
            `invalid template, ${quoteAlways(template)}, contains directory separator`,
          );
        }
      }
    }
    const prefix = base.slice(0, base.length - xs);
    const shownTemplate = useTmpdir ? joinPath(tmpdir ?? "/tmp", template) : template;
    for (let attempt = 0; attempt < 100; attempt++) {
      let random = "";
      for (let i = 0; i < xs; i++) random += LETTERS[randomInt(LETTERS.length)];
      const name = prefix + random + suffix;
      const path = useTmpdir ? joinPath(tmpdir ?? "/tmp", name) : name;
      if (dryRun) {
        const exists = await ctx.lstat(path).then(
          () => true,
          () => false,
        );
        if (exists) continue;
        await ctx.out(`${path}\n`);
        return 0;
      }
      try {
        if (dir) await ctx.mkdir(path, 0o700);
        else {
          const fd = await ctx.open(path, O_RDWR | O_CREAT | O_EXCL, 0o600);
          ctx.close(fd);
        }
        await ctx.out(`${path}\n`);
        return 0;
      } catch (err) {
        if (!ctx.alive) throw err;
        if (errCode(err) === "EEXIST") continue;
        const what = dir ? "directory" : "file";
        return await fail(
          `failed to create ${what} via template ${quoteAlways(shownTemplate)}: ${errText(err)}`,
        );
      }
    }
    return await fail(
      `failed to create file via template ${quoteAlways(shownTemplate)}: File exists`,
    );
  },
};
