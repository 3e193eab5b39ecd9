/** /etc/passwd and /etc/group lookups through the process's view of the filesystem. */
export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  gecos: string;
  home: string;
  shell: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

interface FileReader {
  readFile(path: string): Promise<Uint8Array>;
}

async function lines(fs: FileReader, path: string): Promise<string[][]> {
  let text: string;
  try {
    text = new TextDecoder().decode(await fs.readFile(path));
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => line.split(":"));
}

export async function readPasswd(fs: FileReader): Promise<PasswdEntry[]> {
  return (await lines(fs, "/etc/passwd"))
    .filter((f) => f.length >= 4)
    .map((f) => ({
      name: f[0],
      uid: Number(f[2]),
      gid: Number(f[3]),
      gecos: f[4] ?? "",
      home: f[5] ?? "",
      shell: f[6] ?? "",
    }));
}

export async function readGroups(fs: FileReader): Promise<GroupEntry[]> {
  return (await lines(fs, "/etc/group"))
    .filter((f) => f.length >= 3)
    .map((f) => ({
      name: f[0],
      gid: Number(f[2]),
      members: (f[3] ?? "").split(",").filter((m) => m !== ""),
    }));
}

/** The user's groups as getgrouplist gives them: the primary group, then memberships. */
export function groupList(user: PasswdEntry, groups: GroupEntry[]): number[] {
  const out = [user.gid];
  for (const g of groups) {
    if (g.members.includes(user.name) && !out.includes(g.gid)) out.push(g.gid);
  }
  return out;
}
