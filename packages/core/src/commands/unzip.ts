/**
 * unzip (Info-ZIP UnZip 6.00 subset): extract (`unzip a.zip [members] [-d dir] [-o|-n] [-q]
 * [-j]`), list (`-l`), pipe (`-p`). Messages and the `-l` table as UnZip prints them. An
 * existing file without -o/-n is answered as UnZip does when no one can answer ("[N]one").
 */
import picomatch from "picomatch";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError } from "./errors.ts";
import { readZip, type ZipEntry, ZipFormatError, zipEntryData } from "./lib/archive-zip.ts";

function listDate(seconds: number): string {
  const d = new Date(seconds * 1000);
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

async function exists(ctx: ProcessContext, path: string): Promise<boolean> {
  try {
    await ctx.lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function mkdirs(ctx: ProcessContext, path: string): Promise<void> {
  const parts = path.split("/");
  let prefix = path.startsWith("/") ? "" : "";
  for (const part of parts) {
    if (part === "") {
      if (prefix === "") prefix = "/";
      continue;
    }
    prefix = prefix === "" ? part : prefix.endsWith("/") ? `${prefix}${part}` : `${prefix}/${part}`;
    try {
      await ctx.mkdir(prefix, 0o755);
    } catch (err) {
      if ((err as { code?: string }).code !== "EEXIST") throw err;
    }
  }
}

export const unzip: CommandDefinition = {
  name: "unzip",
  async main(ctx) {
    let list = false;
    let pipe = false;
    let quiet = 0;
    let overwrite: boolean | undefined;
    let junk = false;
    let exdir: string | undefined;
    let archive: string | undefined;
    const members: string[] = [];
    const excludes: string[] = [];
    const argv = ctx.argv.slice(1);
    let mode: "members" | "exclude" = "members";
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (arg.startsWith("-") && arg.length > 1) {
        for (let j = 1; j < arg.length; j++) {
          const c = arg[j];
          if (c === "l") list = true;
          else if (c === "p") pipe = true;
          else if (c === "q") quiet++;
          else if (c === "o") overwrite = true;
          else if (c === "n") overwrite = false;
          else if (c === "j") junk = true;
          else if (c === "x") mode = "exclude";
          else if (c === "d") {
            exdir = arg.slice(j + 1) || argv[++i];
            j = arg.length;
          } else {
            await ctx.err(`unzip: option '-${c}' is not supported\n`);
            return 10;
          }
        }
        continue;
      }
      if (archive === undefined) archive = arg;
      else if (mode === "exclude") excludes.push(arg);
      else members.push(arg);
    }
    if (archive === undefined) {
      await ctx.err("unzip: missing zipfile name\n");
      return 10;
    }
    let data: Uint8Array | undefined;
    let shown = archive;
    for (const candidate of [archive, `${archive}.zip`, `${archive}.ZIP`]) {
      try {
        data = await ctx.readFile(candidate);
        shown = candidate;
        break;
      } catch {
        // Try the next name, as UnZip does.
      }
    }
    if (data === undefined) {
      await ctx.err(`unzip:  cannot find or open ${archive}, ${archive}.zip or ${archive}.ZIP.\n`);
      return 9;
    }
    let entries: ZipEntry[];
    try {
      entries = readZip(data);
    } catch (err) {
      if (!(err instanceof ZipFormatError)) throw err;
      await ctx.out(`Archive:  ${shown}\n`);
      await ctx.err(
        "  End-of-central-directory signature not found.  Either this file is not\n" +
          "  a zipfile, or it constitutes one disk of a multi-part archive.  In the\n" +
          "  latter case the central directory and zipfile comment will be found on\n" +
          "  the last disk(s) of this archive.\n" +
          `unzip:  cannot find zipfile directory in one of ${archive} or\n` +
          `        ${archive}.zip, and cannot find ${archive}.ZIP, period.\n`,
      );
      return 9;
    }
    const memberMatchers = members.map((m) => picomatch(m, { dot: true, bash: true }));
    const excludeMatchers = excludes.map((m) => picomatch(m, { dot: true, bash: true }));
    const used = new Set<number>();
    const selected = entries.filter((e) => {
      if (excludeMatchers.some((m) => m(e.name))) return false;
      if (memberMatchers.length === 0) return true;
      const k = memberMatchers.findIndex((m) => m(e.name));
      if (k < 0) return false;
      used.add(k);
      return true;
    });
    let status = 0;
    const notMatched = async (): Promise<void> => {
      for (let k = 0; k < members.length; k++) {
        if (!used.has(k)) {
          await ctx.err(`caution: filename not matched:  ${members[k]}\n`);
          status = 11;
        }
      }
    };

    if (list) {
      let text = quiet ? "" : `Archive:  ${shown}\n`;
      text += "  Length      Date    Time    Name\n---------  ---------- -----   ----\n";
      let total = 0;
      for (const e of selected) {
        text += `${String(e.size).padStart(9)}  ${listDate(e.mtime)}   ${e.name}\n`;
        total += e.size;
      }
      const n = selected.length;
      text += `---------                     -------\n${String(total).padStart(9)}                     ${n} file${n === 1 ? "" : "s"}\n`;
      await ctx.out(text);
      await notMatched();
      return status;
    }
    if (pipe) {
      for (const e of selected) {
        if (!e.name.endsWith("/")) await ctx.out(zipEntryData(data, e));
      }
      await notMatched();
      return status;
    }
    if (!quiet) await ctx.out(`Archive:  ${shown}\n`);
    const prefix = exdir === undefined ? "" : `${exdir.replace(/\/+$/, "")}/`;
    if (exdir !== undefined && !(await exists(ctx, exdir))) {
      // UnZip makes only the last level of the extraction directory, silently.
      try {
        await ctx.mkdir(exdir, 0o777 & ~ctx.umask);
      } catch (err) {
        await ctx.err(
          `checkdir:  cannot create extraction directory: ${exdir}\n           ${describeError(err)}\n`,
        );
        return 2;
      }
    }
    let none = false;
    const dirTimes: [string, number][] = [];
    for (const e of selected) {
      const rel = junk ? e.name.slice(e.name.lastIndexOf("/", e.name.length - 2) + 1) : e.name;
      if (junk && e.name.endsWith("/")) continue;
      const path = `${prefix}${rel}`;
      if (e.name.endsWith("/")) {
        if (!(await exists(ctx, path))) {
          await mkdirs(ctx, path);
          if (!quiet) await ctx.out(`   creating: ${path}\n`);
        }
        dirTimes.push([path.replace(/\/+$/, ""), e.mtime]);
        continue;
      }
      if (await exists(ctx, path)) {
        if (overwrite === false || none) continue;
        if (overwrite === undefined) {
          await ctx.err(
            `replace ${path}? [y]es, [n]o, [A]ll, [N]one, [r]ename:  NULL\n(EOF or read error, treating as "[N]one" ...)\n`,
          );
          none = true;
          status = 1;
          continue;
        }
      }
      let content: Uint8Array;
      try {
        content = zipEntryData(data, e);
      } catch {
        await ctx.err(`  error:  invalid compressed data to inflate ${path}\n`);
        status = 2;
        continue;
      }
      try {
        const slash = path.lastIndexOf("/");
        if (slash > 0) await mkdirs(ctx, path.slice(0, slash));
        if (!quiet) {
          const verb = e.method === 0 ? " extracting" : "  inflating";
          await ctx.out(`${verb}: ${path.padEnd(22)}  \n`);
        }
        if (await exists(ctx, path)) await ctx.unlink(path);
        await ctx.writeFile(path, content);
        if (e.mode !== undefined) await ctx.chmod(path, e.mode & 0o777 & ~ctx.umask);
        await ctx.utimes(path, e.mtime * 1000, e.mtime * 1000);
      } catch (err) {
        if (!ctx.alive) throw err;
        await ctx.err(`error:  cannot create ${path}\n        ${describeError(err)}\n`);
        status = 2;
      }
    }
    for (const [path, mtime] of dirTimes.reverse()) {
      try {
        await ctx.utimes(path, mtime * 1000, mtime * 1000);
      } catch {
        // Reported when it was created.
      }
    }
    await notMatched();
    return status;
  },
};
