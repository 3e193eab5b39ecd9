/** File system calls for node:fs, made as the guest's kernel process (its cwd, umask, rights). */
import type { Stat } from "../../../fs/types.ts";
import type { HostOp } from "../host-ops.ts";

/** A stat as plain data, in the field order of Node's fs.Stats. */
function statData(stat: Stat): Record<string, number> {
  return { ...stat } as unknown as Record<string, number>;
}

export const FS_OPS: Record<string, HostOp> = {
  "fs.readFile": (g, [path]) => g.ctx.readFile(path as string),
  "fs.writeFile": async (g, [path, data, mode]) => {
    await g.ctx.writeFile(path as string, data as Uint8Array, mode as number | undefined);
    return true;
  },
  "fs.stat": async (g, [path]) => statData(await g.ctx.stat(path as string)),
  "fs.lstat": async (g, [path]) => statData(await g.ctx.lstat(path as string)),
  "fs.readdir": async (g, [path]) =>
    (await g.ctx.readdir(path as string)).map((e) => [e.name, e.kind]),
  "fs.mkdir": async (g, [path, mode]) => {
    await g.ctx.mkdir(path as string, mode as number | undefined);
    return true;
  },
  "fs.unlink": async (g, [path]) => {
    await g.ctx.unlink(path as string);
    return true;
  },
  "fs.rmdir": async (g, [path]) => {
    await g.ctx.rmdir(path as string);
    return true;
  },
  "fs.rename": async (g, [from, to]) => {
    await g.ctx.rename(from as string, to as string);
    return true;
  },
  "fs.access": async (g, [path, mode]) => {
    await g.ctx.access(path as string, (mode as number) ?? 0);
    return true;
  },
  "fs.realpath": (g, [path]) => g.ctx.realpath(path as string),
};
