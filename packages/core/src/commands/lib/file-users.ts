/** User and group names from the VM's /etc/passwd and /etc/group (read through the kernel). */
import type { ProcessContext } from "../../kernel/process-context.ts";

export interface IdTables {
  userName(uid: number): string | undefined;
  groupName(gid: number): string | undefined;
  uidOf(name: string): number | undefined;
  gidOf(name: string): number | undefined;
  /** A user's primary group, for "chown user:" */
  primaryGid(uid: number): number | undefined;
}

async function readTable(ctx: ProcessContext, path: string): Promise<string[][]> {
  try {
    const text = new TextDecoder().decode(await ctx.readFile(path));
    return text
      .split("\n")
      .filter((line) => line !== "" && !line.startsWith("#"))
      .map((line) => line.split(":"));
  } catch {
    return [];
  }
}

export async function loadIdTables(ctx: ProcessContext): Promise<IdTables> {
  const passwd = await readTable(ctx, "/etc/passwd");
  const group = await readTable(ctx, "/etc/group");
  const users = new Map<number, string>();
  const uids = new Map<string, number>();
  const primary = new Map<number, number>();
  for (const f of passwd) {
    const uid = Number(f[2]);
    if (!f[0] || !Number.isInteger(uid)) continue;
    if (!users.has(uid)) users.set(uid, f[0]);
    if (!uids.has(f[0])) uids.set(f[0], uid);
    const gid = Number(f[3]);
    if (Number.isInteger(gid) && !primary.has(uid)) primary.set(uid, gid);
  }
  const groups = new Map<number, string>();
  const gids = new Map<string, number>();
  for (const f of group) {
    const gid = Number(f[2]);
    if (!f[0] || !Number.isInteger(gid)) continue;
    if (!groups.has(gid)) groups.set(gid, f[0]);
    if (!gids.has(f[0])) gids.set(f[0], gid);
  }
  return {
    userName: (uid) => users.get(uid),
    groupName: (gid) => groups.get(gid),
    uidOf: (name) => uids.get(name),
    gidOf: (name) => gids.get(name),
    primaryGid: (uid) => primary.get(uid),
  };
}
