/**
 * zip (Info-ZIP 3.0 subset): `zip [-r] [-q] [-j] [-0..-9] out.zip names... [-x patterns...]`.
 * Adds to (or updates entries of) an existing archive; prints "  adding: NAME (deflated N%)"
 * as Info-ZIP does. Compression is node:zlib's deflate, so the percentages and sizes differ
 * from Info-ZIP's for the same input.
 */
import picomatch from "picomatch";
import { S_IFDIR, S_IFMT, S_IFREG } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { type NewZipEntry, readZip, writeZip, zipEntryData } from "./lib/archive-zip.ts";

export const zip: CommandDefinition = {
  name: "zip",
  async main(ctx) {
    let recurse = false;
    let quiet = false;
    let junk = false;
    let level = 6;
    let archive: string | undefined;
    const names: string[] = [];
    const excludes: string[] = [];
    const argv = ctx.argv.slice(1);
    let inExclude = false;
    for (const arg of argv) {
      if (arg.startsWith("-") && arg.length > 1) {
        inExclude = false;
        for (const letter of arg.slice(1)) {
          if (letter >= "0" && letter <= "9") level = Number(letter);
          else if (letter === "r") recurse = true;
          else if (letter === "q") quiet = true;
          else if (letter === "j") junk = true;
          else if (letter === "x") inExclude = true;
          else {
            await ctx.err(
              `zip error: Invalid command arguments (short option '${letter}' not supported)\n`,
            );
            return 16;
          }
        }
        continue;
      }
      if (inExclude) excludes.push(arg);
      else if (archive === undefined) archive = arg;
      else names.push(arg);
    }
    if (archive === undefined) {
      await ctx.err("zip error: Invalid command arguments (nothing to select from)\n");
      return 16;
    }
    if (!/\.[^/]*$/.test(archive.slice(archive.lastIndexOf("/") + 1))) archive += ".zip";
    const excluded = excludes.map((p) => picomatch(p, { dot: true, bash: true }));
    const isExcluded = (name: string): boolean => excluded.some((m) => m(name));

    // Existing entries are kept (and replaced when named again).
    const entries = new Map<string, NewZipEntry>();
    let existing = false;
    try {
      const data = await ctx.readFile(archive);
      existing = true;
      for (const e of readZip(data)) {
        entries.set(e.name, {
          name: e.name,
          data: zipEntryData(data, e),
          mode: e.mode ?? 0o644,
          mtime: e.mtime,
          directory: e.name.endsWith("/"),
          level,
        });
      }
    } catch {
      // A missing archive is created; an unreadable one is an error.
      if (existing) {
        await ctx.err(`\nzip error: Zip file structure invalid (${archive})\n`);
        return 3;
      }
    }
    const order: string[] = [];
    const seen = new Set<string>();
    const fresh: NewZipEntry[] = [];
    const add = async (path: string): Promise<boolean> => {
      let st: Awaited<ReturnType<typeof ctx.stat>>;
      try {
        st = await ctx.stat(path);
      } catch {
        return false;
      }
      const clean = path.replace(/^(\.\/)+/, "").replace(/^\/+/, "");
      const kind = st.mode & S_IFMT;
      if (kind === S_IFDIR) {
        const dirName = `${clean.replace(/\/+$/, "")}/`;
        if (!junk && !isExcluded(dirName) && !seen.has(dirName)) {
          seen.add(dirName);
          fresh.push({
            name: dirName,
            data: new Uint8Array(0),
            mode: st.mode,
            mtime: Math.floor(st.mtimeMs / 1000),
            directory: true,
            level,
          });
        }
        if (recurse) {
          for (const child of await ctx.readdir(path)) {
            await add(`${path.replace(/\/+$/, "")}/${child.name}`);
          }
        }
        return true;
      }
      if (kind !== S_IFREG) return true;
      const name = junk ? clean.slice(clean.lastIndexOf("/") + 1) : clean;
      if (isExcluded(name) || seen.has(name)) return true;
      seen.add(name);
      fresh.push({
        name,
        data: await ctx.readFile(path),
        mode: st.mode,
        mtime: Math.floor(st.mtimeMs / 1000),
        directory: false,
        level,
      });
      return true;
    };
    for (const name of names) {
      if (!(await add(name))) await ctx.out(`\tzip warning: name not matched: ${name}\n`);
    }
    if (fresh.length === 0) {
      // Info-ZIP prints its warnings and errors on stdout.
      await ctx.out(`\nzip error: Nothing to do! (${archive})\n`);
      return 12;
    }
    const updating = new Set<string>();
    for (const e of fresh) {
      if (entries.has(e.name)) updating.add(e.name);
      else order.push(e.name);
      entries.set(e.name, e);
    }
    const { bytes, written } = writeZip([...entries.values()]);
    if (!quiet) {
      const byName = new Map(written.map((w) => [w.name, w]));
      let text = "";
      for (const e of fresh) {
        const w = byName.get(e.name);
        if (!w) continue;
        text += `${updating.has(e.name) ? "updating" : "  adding"}: ${e.name} (${w.method} ${w.percent}%)\n`;
      }
      await ctx.out(text);
    }
    await ctx.writeFile(archive, bytes);
    return 0;
  },
};
