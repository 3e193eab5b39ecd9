/**
 * id [-u|-g|-G] [-n] [-r] [-z] [USER]: user and group ids from /etc/passwd and /etc/group.
 * Without USER the process's own credentials are shown; its supplementary groups are just its
 * gid (the kernel keeps no others). With USER, groups come from /etc/group as getgrouplist.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { groupList, type PasswdEntry, readGroups, readPasswd } from "./lib/user-db.ts";

const LONG: Record<string, string> = {
  "--user": "u",
  "--group": "g",
  "--groups": "G",
  "--name": "n",
  "--real": "r",
  "--zero": "z",
};

export const id: CommandDefinition = {
  name: "id",
  async main(ctx) {
    const flags = new Set<string>();
    const operands: string[] = [];
    let options = true;
    for (const arg of ctx.argv.slice(1)) {
      if (options && arg === "--") options = false;
      else if (options && arg.startsWith("--")) {
        const letter = LONG[arg];
        if (!letter) {
          await ctx.err(
            `id: unrecognized option '${arg}'\nTry 'id --help' for more information.\n`,
          );
          return 1;
        }
        flags.add(letter);
      } else if (options && arg.startsWith("-") && arg.length > 1) {
        for (const letter of arg.slice(1)) {
          if (!"ugGnrza".includes(letter)) {
            await ctx.err(
              `id: invalid option -- '${letter}'\nTry 'id --help' for more information.\n`,
            );
            return 1;
          }
          flags.add(letter);
        }
      } else operands.push(arg);
    }
    const users = await readPasswd(ctx);
    const groups = await readGroups(ctx);
    const choices = ["u", "g", "G"].filter((f) => flags.has(f));
    if (choices.length > 1) {
      await ctx.err('id: cannot print "only" of more than one choice\n');
      return 1;
    }
    if (choices.length === 0 && (flags.has("n") || flags.has("r"))) {
      await ctx.err("id: cannot print only names or real IDs in default format\n");
      return 1;
    }
    if (choices.length === 0 && flags.has("z")) {
      await ctx.err("id: option --zero not permitted in default format\n");
      return 1;
    }
    if (operands.length > 1) {
      await ctx.err(`id: extra operand '${operands[1]}'\nTry 'id --help' for more information.\n`);
      return 1;
    }
    let uid = ctx.uid;
    let gid = ctx.gid;
    let groupIds: number[] = [ctx.gid];
    if (operands.length === 1) {
      const name = operands[0];
      const user: PasswdEntry | undefined =
        users.find((u) => u.name === name) ??
        (/^\+?\d+$/.test(name) ? users.find((u) => u.uid === Number(name)) : undefined);
      if (!user) {
        await ctx.err(`id: '${name}': no such user\n`);
        return 1;
      }
      uid = user.uid;
      gid = user.gid;
      groupIds = groupList(user, groups);
    }
    const userName = (n: number): string | undefined => users.find((u) => u.uid === n)?.name;
    const groupName = (n: number): string | undefined => groups.find((g) => g.gid === n)?.name;
    const sep = flags.has("z") ? "\0" : " ";
    const end = flags.has("z") ? "\0" : "\n";
    let status = 0;
    const show = async (
      n: number,
      name: string | undefined,
      kind: "user" | "group",
    ): Promise<string> => {
      if (!flags.has("n")) return String(n);
      if (name !== undefined) return name;
      await ctx.err(`id: cannot find name for ${kind} ID ${n}\n`);
      status = 1;
      return String(n);
    };
    if (flags.has("u")) {
      await ctx.out(`${await show(uid, userName(uid), "user")}${end}`);
      return status;
    }
    if (flags.has("g")) {
      await ctx.out(`${await show(gid, groupName(gid), "group")}${end}`);
      return status;
    }
    if (flags.has("G")) {
      const parts: string[] = [];
      for (const g of groupIds) parts.push(await show(g, groupName(g), "group"));
      await ctx.out(flags.has("z") ? parts.map((p) => p + sep).join("") : `${parts.join(" ")}\n`);
      return status;
    }
    const label = (n: number, name: string | undefined): string =>
      name === undefined ? `${n}` : `${n}(${name})`;
    await ctx.out(
      `uid=${label(uid, userName(uid))} gid=${label(gid, groupName(gid))} groups=${groupIds
        .map((g) => label(g, groupName(g)))
        .join(",")}\n`,
    );
    return 0;
  },
};
