/** Interactive confirmation for rm -i, cp -i, mv -i: prompt on stderr, read one line of stdin. */
import {
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFSOCK,
  type Stat,
} from "../../fs/types.ts";
import type { ProcessContext } from "../../kernel/process-context.ts";

/** Writes `question` to stderr and reads a line; true for an answer starting with y/Y. */
export async function confirm(ctx: ProcessContext, question: string): Promise<boolean> {
  await ctx.err(question);
  let line = "";
  for (;;) {
    const chunk = await ctx.read(0, 1);
    if (chunk === null || chunk.length === 0) break;
    const c = String.fromCharCode(chunk[0]);
    if (c === "\n") break;
    line += c;
  }
  return /^[yY]/.test(line);
}

/** "regular empty file", "directory", "symbolic link", ... as GNU's file_type(). */
export function fileTypeName(st: Stat): string {
  switch (st.mode & S_IFMT) {
    case S_IFDIR:
      return "directory";
    case S_IFLNK:
      return "symbolic link";
    case S_IFIFO:
      return "fifo";
    case S_IFSOCK:
      return "socket";
    case S_IFCHR:
      return "character special file";
    case S_IFBLK:
      return "block special file";
    default:
      return st.size === 0 ? "regular empty file" : "regular file";
  }
}
