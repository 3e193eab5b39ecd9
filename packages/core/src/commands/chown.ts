/**
 * chown and chgrp: change file owner and group (GNU: USER[:GROUP] specs with names from the
 * VM's /etc/passwd and /etc/group or numbers, -R -h -v -c -f --reference, --from).
 * The VM's user is not root, so giving files away fails with EPERM as for GNU as non-root.
 */
import { S_IFDIR, S_IFMT, type Stat } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { parseArgs, UsageError, usageText } from "./lib/file-args.ts";
import { quoteAlways } from "./lib/file-quote.ts";
import { type IdTables, loadIdTables } from "./lib/file-users.ts";
import { errText, joinPath } from "./lib/file-util.ts";

interface Options {
  cmd: "chown" | "chgrp";
  recursive: boolean;
  noDeref: boolean;
  verbose: "none" | "changes" | "all";
  quiet: boolean;
  /** -H / -L / -P traversal of symlinks met during -R. */
  traverse: "none" | "cmdline" | "all";
}

async function run(ctx: ProcessContext, cmd: "chown" | "chgrp"): Promise<number> {
  const o: Options = {
    cmd,
    recursive: false,
    noDeref: false,
    verbose: "none",
    quiet: false,
    traverse: "none",
  };
  let reference: string | undefined;
  let from: string | undefined;
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(ctx.argv.slice(1), "HLPRcfhv", [
      { name: "recursive", arg: "none", key: "R" },
      { name: "changes", arg: "none", key: "c" },
      { name: "silent", arg: "none", key: "f" },
      { name: "quiet", arg: "none", key: "f" },
      { name: "no-dereference", arg: "none", key: "h" },
      { name: "dereference", arg: "none", key: "dereference" },
      { name: "verbose", arg: "none", key: "v" },
      { name: "reference", arg: "required", key: "reference" },
      { name: "from", arg: "required", key: "from" },
      { name: "preserve-root", arg: "none", key: "preserve-root" },
      { name: "no-preserve-root", arg: "none", key: "no-preserve-root" },
    ]);
  } catch (err) {
    if (err instanceof UsageError) {
      await ctx.err(usageText(cmd, err.message));
      return 1;
    }
    throw err;
  }
  for (const { key, value } of args.options) {
    if (key === "R") o.recursive = true;
    else if (key === "c") o.verbose = "changes";
    else if (key === "v") o.verbose = "all";
    else if (key === "f") o.quiet = true;
    else if (key === "h") o.noDeref = true;
    else if (key === "dereference") o.noDeref = false;
    else if (key === "reference") reference = value;
    else if (key === "from") from = value;
    else if (key === "H") o.traverse = "cmdline";
    else if (key === "L") o.traverse = "all";
    else if (key === "P") o.traverse = "none";
  }
  const ids = await loadIdTables(ctx);
  const ops = [...args.operands];
  let uid = -1;
  let gid = -1;
  let specUser = false;
  let specGroup = false;
  if (reference !== undefined) {
    try {
      const st = await ctx.stat(reference);
      if (cmd === "chown") {
        uid = st.uid;
        specUser = true;
      }
      gid = st.gid;
      specGroup = true;
    } catch (err) {
      if (!ctx.alive) throw err;
      await ctx.err(
        `${cmd}: failed to get attributes of ${quoteAlways(reference)}: ${errText(err)}\n`,
      );
      return 1;
    }
  } else {
    const spec = ops.shift();
    if (spec === undefined) {
      await ctx.err(usageText(cmd, "missing operand"));
      return 1;
    }
    if (ops.length === 0) {
      await ctx.err(usageText(cmd, `missing operand after ${quoteAlways(spec)}`));
      return 1;
    }
    if (cmd === "chgrp") {
      const g = lookupGroup(ids, spec);
      if (g === undefined) {
        await ctx.err(`chgrp: invalid group: ${quoteAlways(spec)}\n`);
        return 1;
      }
      gid = g;
      specGroup = true;
    } else {
      const parsed = await parseSpec(ctx, ids, spec);
      if (typeof parsed === "string") {
        await ctx.err(`chown: ${parsed}\n`);
        return 1;
      }
      ({ uid, gid, specUser, specGroup } = parsed);
    }
  }
  let fromUid = -1;
  let fromGid = -1;
  if (from !== undefined) {
    const parsed = await parseSpec(ctx, ids, from);
    if (typeof parsed === "string") {
      await ctx.err(`${cmd}: ${parsed}\n`);
      return 1;
    }
    fromUid = parsed.uid;
    fromGid = parsed.gid;
  }
  const runner = new Chown(ctx, o, ids, { uid, gid, specUser, specGroup, fromUid, fromGid });
  for (const op of ops) await runner.top(op);
  return runner.status;
}

function lookupUser(ids: IdTables, name: string): number | undefined {
  const uid = ids.uidOf(name);
  if (uid !== undefined) return uid;
  return /^\d+$/.test(name) ? Number(name) : undefined;
}

function lookupGroup(ids: IdTables, name: string): number | undefined {
  const gid = ids.gidOf(name);
  if (gid !== undefined) return gid;
  return /^\d+$/.test(name) ? Number(name) : undefined;
}

async function parseSpec(
  ctx: ProcessContext,
  ids: IdTables,
  spec: string,
): Promise<{ uid: number; gid: number; specUser: boolean; specGroup: boolean } | string> {
  let sep = spec.indexOf(":");
  if (sep < 0) {
    const dot = spec.indexOf(".");
    if (dot >= 0 && lookupUser(ids, spec) === undefined) {
      sep = dot;
      await ctx.err(`chown: warning: '.' should be ':': ${quoteAlways(spec)}\n`);
    }
  }
  const user = sep < 0 ? spec : spec.slice(0, sep);
  const group = sep < 0 ? undefined : spec.slice(sep + 1);
  let uid = -1;
  let gid = -1;
  if (user !== "") {
    const u = lookupUser(ids, user);
    if (u === undefined) return `invalid user: ${quoteAlways(spec)}`;
    uid = u;
  }
  if (group !== undefined && group !== "") {
    const g = lookupGroup(ids, group);
    if (g === undefined) return `invalid group: ${quoteAlways(spec)}`;
    gid = g;
  } else if (group === "" && user !== "") {
    // "user:" means the user's login group.
    const g = ids.primaryGid(uid);
    if (g === undefined) return `invalid spec: ${quoteAlways(spec)}`;
    gid = g;
  }
  return { uid, gid, specUser: uid !== -1, specGroup: gid !== -1 };
}

interface Target {
  uid: number;
  gid: number;
  specUser: boolean;
  specGroup: boolean;
  fromUid: number;
  fromGid: number;
}

class Chown {
  readonly ctx: ProcessContext;
  readonly o: Options;
  readonly ids: IdTables;
  readonly t: Target;
  status = 0;

  constructor(ctx: ProcessContext, o: Options, ids: IdTables, t: Target) {
    this.ctx = ctx;
    this.o = o;
    this.ids = ids;
    this.t = t;
  }

  user(uid: number): string {
    return this.ids.userName(uid) ?? String(uid);
  }

  group(gid: number): string {
    return this.ids.groupName(gid) ?? String(gid);
  }

  describe(uid: number, gid: number): string {
    const t = this.t;
    if (this.o.cmd === "chgrp") return this.group(gid);
    if (t.specUser && t.specGroup) return `${this.user(uid)}:${this.group(gid)}`;
    if (t.specUser) return this.user(uid);
    return `:${this.group(gid)}`;
  }

  async top(path: string): Promise<void> {
    const ctx = this.ctx;
    let st: Stat;
    // With -R and no -H/-L, GNU works physically: links themselves are changed.
    const deref = this.o.recursive ? this.o.traverse !== "none" : !this.o.noDeref;
    try {
      st = deref ? await ctx.stat(path) : await ctx.lstat(path);
    } catch (err) {
      if (!ctx.alive) throw err;
      if (!this.o.quiet)
        await ctx.err(`${this.o.cmd}: cannot access ${quoteAlways(path)}: ${errText(err)}\n`);
      this.status = 1;
      return;
    }
    await this.apply(path, st, deref);
  }

  async apply(path: string, st: Stat, follow: boolean): Promise<void> {
    const ctx = this.ctx;
    const o = this.o;
    const t = this.t;
    const matches =
      (t.fromUid === -1 || t.fromUid === st.uid) && (t.fromGid === -1 || t.fromGid === st.gid);
    const newUid = t.uid === -1 ? st.uid : t.uid;
    const newGid = t.gid === -1 ? st.gid : t.gid;
    const changed = matches && (newUid !== st.uid || newGid !== st.gid);
    let ok = true;
    if (matches) {
      try {
        await ctx.chown(path, t.uid, t.gid, follow);
      } catch (err) {
        if (!ctx.alive) throw err;
        ok = false;
        this.status = 1;
        if (!o.quiet) {
          const what = o.cmd === "chgrp" ? "group" : "ownership";
          await ctx.err(`${o.cmd}: changing ${what} of ${quoteAlways(path)}: ${errText(err)}\n`);
        }
        if (o.verbose !== "none") {
          const what = o.cmd === "chgrp" ? "group" : "ownership";
          await ctx.out(
            `failed to change ${what} of ${quoteAlways(path)} from ${this.describe(st.uid, st.gid)} to ${this.describe(newUid, newGid)}\n`,
          );
        }
      }
    }
    if (ok && (o.verbose === "all" || (o.verbose === "changes" && changed))) {
      const what = o.cmd === "chgrp" ? "group" : "ownership";
      if (changed) {
        await ctx.out(
          `changed ${what} of ${quoteAlways(path)} from ${this.describe(st.uid, st.gid)} to ${this.describe(newUid, newGid)}\n`,
        );
      } else {
        await ctx.out(
          `${what} of ${quoteAlways(path)} retained as ${this.describe(newUid, newGid)}\n`,
        );
      }
    }
    if (o.recursive && (st.mode & S_IFMT) === S_IFDIR) {
      let names: string[];
      try {
        names = (await ctx.readdir(path)).map((d) => d.name);
      } catch (err) {
        if (!ctx.alive) throw err;
        if (!o.quiet)
          await ctx.err(`${o.cmd}: cannot read directory ${quoteAlways(path)}: ${errText(err)}\n`);
        this.status = 1;
        return;
      }
      for (const name of names) {
        const child = joinPath(path, name);
        try {
          const cst = o.traverse === "all" ? await ctx.stat(child) : await ctx.lstat(child);
          await this.apply(child, cst, o.traverse === "all");
        } catch (err) {
          if (!ctx.alive) throw err;
          if (!o.quiet)
            await ctx.err(`${o.cmd}: cannot access ${quoteAlways(child)}: ${errText(err)}\n`);
          this.status = 1;
        }
      }
    }
  }
}

export const chown: CommandDefinition = {
  name: "chown",
  main: (ctx) => run(ctx, "chown"),
};

export const chgrp: CommandDefinition = {
  name: "chgrp",
  main: (ctx) => run(ctx, "chgrp"),
};
