/**
 * Path canonicalisation as gnulib canonicalize_filename_mode does it (for realpath, readlink
 * -f/-e/-m, ln -r): resolves ".", ".." and symlinks component by component, with three
 * existence modes, and the relative-path computation of realpath --relative-to and ln -r.
 */
import { fsError } from "../../fs/errors.ts";
import { S_IFDIR, S_IFLNK, S_IFMT } from "../../fs/types.ts";
import type { ProcessContext } from "../../kernel/process-context.ts";
import { errCode } from "./file-util.ts";

/** "existing": every component exists; "all-but-last": the last may be missing; "missing": none need to. */
export type CanonMode = "existing" | "all-but-last" | "missing";

export async function canonicalize(
  ctx: ProcessContext,
  path: string,
  mode: CanonMode,
  followLinks = true,
): Promise<string> {
  if (path === "") throw fsError("ENOENT", "canonicalize", path);
  const pending = ctx
    .resolvePath(path)
    .split("/")
    .filter((c) => c !== "");
  const parts: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const comp = pending.shift() as string;
    if (comp === ".") continue;
    if (comp === "..") {
      parts.pop();
      continue;
    }
    const candidate = `/${[...parts, comp].join("/")}`;
    const isLast = pending.length === 0;
    let st: Awaited<ReturnType<ProcessContext["lstat"]>> | undefined;
    try {
      st = await ctx.lstat(candidate);
    } catch (err) {
      if (!ctx.alive) throw err;
      const code = errCode(err);
      if (mode === "missing" || (mode === "all-but-last" && isLast && code === "ENOENT")) {
        parts.push(comp);
        continue;
      }
      throw err;
    }
    if (followLinks && (st.mode & S_IFMT) === S_IFLNK) {
      if (++links > 40) throw fsError("ELOOP", "canonicalize", path);
      const target = await ctx.readlink(candidate);
      const targetParts = target.split("/").filter((c) => c !== "");
      if (target.startsWith("/")) parts.length = 0;
      pending.unshift(...targetParts);
      continue;
    }
    if (!isLast && (st.mode & S_IFMT) !== S_IFDIR && mode !== "missing") {
      // A non-directory followed by more components.
      const rest = pending.filter((c) => c !== ".");
      if (rest.length > 0 || mode !== "all-but-last")
        throw fsError("ENOTDIR", "canonicalize", path);
    }
    parts.push(comp);
  }
  return `/${parts.join("/")}`;
}

/** The path of absolute `target` relative to absolute directory `base` ("../a/b"). */
export function relativePath(target: string, base: string): string {
  const t = target.split("/").filter((c) => c !== "");
  const b = base.split("/").filter((c) => c !== "");
  let i = 0;
  while (i < t.length && i < b.length && t[i] === b[i]) i++;
  const up = b.slice(i).map(() => "..");
  const rel = [...up, ...t.slice(i)].join("/");
  return rel === "" ? "." : rel;
}
