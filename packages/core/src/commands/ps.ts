/**
 * ps (procps-ng 4 layout) over the kernel's process table.
 *
 * Selection: default (the caller's euid; no process has a terminal, so every one matches
 * "same tty"), -e/-A, BSD a/x (all), -p/--pid LIST, --ppid LIST, -u/-U/--user LIST, -C
 * LIST. Formats: default (PID TTY TIME CMD), -f (UID PID PPID C STIME TTY TIME CMD), BSD u
 * (USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND), -o/o/--format LIST with
 * `name=HEADER`, --no-headers. PIDs are 7 columns wide (pid_max 4194304). The kernel keeps no
 * CPU or memory accounting, so TIME, %CPU, %MEM, VSZ and RSS are 0.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessInfo } from "../kernel/process.ts";
import { readGroups, readPasswd } from "./lib/user-db.ts";

interface Row {
  info: ProcessInfo;
  /** The full argv (ProcessInfo.args lacks argv[0]). */
  argv: string[];
  user: string;
  group: string;
  gid: number;
  self: boolean;
}

interface Column {
  header: string;
  width: number;
  right: boolean;
  value(row: Row, now: number): string;
}

const two = (n: number): string => String(n).padStart(2, "0");

function elapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86400);
  const hours = Math.floor((total % 86400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  let out = `${two(minutes)}:${two(seconds)}`;
  if (days > 0 || hours > 0) out = `${two(hours)}:${out}`;
  if (days > 0) out = `${days}-${out}`;
  return out;
}

function stime(startMs: number, now: number): string {
  const d = new Date(startMs);
  if (now - startMs < 86400000) return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
  const month = d.toUTCString().slice(8, 11);
  return `${month}${two(d.getUTCDate())}`;
}

function stat(row: Row): string {
  const p = row.info;
  let s: string;
  if (p.status === "stopped") s = "T";
  else if (p.status === "exited") s = "Z";
  else s = row.self ? "R" : "S";
  if (p.pid === p.sid && p.status !== "exited") s += "s";
  return s;
}

function args(row: Row): string {
  const p = row.info;
  const name = p.command.slice(p.command.lastIndexOf("/") + 1);
  if (p.status === "exited") return `[${name}] <defunct>`;
  return row.argv.join(" ");
}

function comm(row: Row): string {
  const p = row.info;
  const name = p.command.slice(p.command.lastIndexOf("/") + 1).slice(0, 15);
  return p.status === "exited" ? `${name} <defunct>` : name;
}

const COLUMNS: Record<string, Column> = {
  pid: { header: "PID", width: 7, right: true, value: (r) => String(r.info.pid) },
  tid: { header: "TID", width: 7, right: true, value: (r) => String(r.info.pid) },
  lwp: { header: "LWP", width: 7, right: true, value: (r) => String(r.info.pid) },
  ppid: { header: "PPID", width: 7, right: true, value: (r) => String(r.info.ppid) },
  pgid: { header: "PGID", width: 7, right: true, value: (r) => String(r.info.pgid) },
  pgrp: { header: "PGRP", width: 7, right: true, value: (r) => String(r.info.pgid) },
  sid: { header: "SID", width: 7, right: true, value: (r) => String(r.info.sid) },
  sess: { header: "SESS", width: 7, right: true, value: (r) => String(r.info.sid) },
  tty: { header: "TT", width: 8, right: false, value: () => "?" },
  tt: { header: "TT", width: 8, right: false, value: () => "?" },
  tname: { header: "TTY", width: 8, right: false, value: () => "?" },
  stat: { header: "STAT", width: 4, right: false, value: stat },
  s: { header: "S", width: 1, right: false, value: (r) => stat(r)[0] },
  state: { header: "S", width: 1, right: false, value: (r) => stat(r)[0] },
  comm: { header: "COMMAND", width: 15, right: false, value: comm },
  ucomm: { header: "COMMAND", width: 15, right: false, value: comm },
  ucmd: { header: "CMD", width: 15, right: false, value: comm },
  args: { header: "COMMAND", width: 27, right: false, value: args },
  command: { header: "COMMAND", width: 27, right: false, value: args },
  cmd: { header: "CMD", width: 27, right: false, value: args },
  user: { header: "USER", width: 8, right: false, value: (r) => r.user },
  euser: { header: "EUSER", width: 8, right: false, value: (r) => r.user },
  ruser: { header: "RUSER", width: 8, right: false, value: (r) => r.user },
  uname: { header: "USER", width: 8, right: false, value: (r) => r.user },
  uid: { header: "UID", width: 5, right: true, value: (r) => String(r.info.uid) },
  euid: { header: "EUID", width: 5, right: true, value: (r) => String(r.info.uid) },
  ruid: { header: "RUID", width: 5, right: true, value: (r) => String(r.info.uid) },
  group: { header: "GROUP", width: 8, right: false, value: (r) => r.group },
  egroup: { header: "EGROUP", width: 8, right: false, value: (r) => r.group },
  gid: { header: "GID", width: 5, right: true, value: (r) => String(r.gid) },
  egid: { header: "EGID", width: 5, right: true, value: (r) => String(r.gid) },
  etime: {
    header: "ELAPSED",
    width: 11,
    right: true,
    value: (r, now) => elapsed(now - r.info.startTime),
  },
  etimes: {
    header: "ELAPSED",
    width: 7,
    right: true,
    value: (r, now) => String(Math.max(0, Math.floor((now - r.info.startTime) / 1000))),
  },
  time: { header: "TIME", width: 8, right: true, value: () => "00:00:00" },
  cputime: { header: "TIME", width: 8, right: true, value: () => "00:00:00" },
  bsdtime: { header: "TIME", width: 6, right: true, value: () => "0:00" },
  "%cpu": { header: "%CPU", width: 4, right: true, value: () => "0.0" },
  pcpu: { header: "%CPU", width: 4, right: true, value: () => "0.0" },
  "%mem": { header: "%MEM", width: 4, right: true, value: () => "0.0" },
  pmem: { header: "%MEM", width: 4, right: true, value: () => "0.0" },
  rss: { header: "RSS", width: 5, right: true, value: () => "0" },
  rssize: { header: "RSS", width: 5, right: true, value: () => "0" },
  vsz: { header: "VSZ", width: 6, right: true, value: () => "0" },
  vsize: { header: "VSZ", width: 6, right: true, value: () => "0" },
  ni: { header: "NI", width: 3, right: true, value: () => "0" },
  nice: { header: "NI", width: 3, right: true, value: () => "0" },
  pri: { header: "PRI", width: 3, right: true, value: () => "19" },
  c: { header: "C", width: 2, right: true, value: () => "0" },
  nlwp: { header: "NLWP", width: 4, right: true, value: () => "1" },
  wchan: { header: "WCHAN", width: 6, right: false, value: () => "-" },
  stime: {
    header: "STIME",
    width: 5,
    right: false,
    value: (r, now) => stime(r.info.startTime, now),
  },
  start_time: {
    header: "START",
    width: 5,
    right: false,
    value: (r, now) => stime(r.info.startTime, now),
  },
  bsdstart: {
    header: "START",
    width: 6,
    right: true,
    value: (r, now) => stime(r.info.startTime, now),
  },
  start: {
    header: "STARTED",
    width: 8,
    right: true,
    value: (r) => new Date(r.info.startTime).toISOString().slice(11, 19),
  },
  lstart: {
    header: "STARTED",
    width: 24,
    right: false,
    value: (r) => {
      const d = new Date(r.info.startTime);
      const s = d.toUTCString(); // "Sat, 21 Nov 2026 10:00:00 GMT"
      const day = String(d.getUTCDate()).padStart(2, " ");
      return `${s.slice(0, 3)} ${s.slice(8, 11)} ${day} ${s.slice(17, 25)} ${d.getUTCFullYear()}`;
    },
  },
};

interface Spec {
  column: Column;
  header: string;
}

function usageError(message: string): string {
  return `error: ${message}\n\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n`;
}

/** Parses "pid,ppid" / "pid=ID" / "comm=" lists into column specs. */
function parseFormat(text: string, specs: Spec[]): string | undefined {
  // After the first "name=", the rest of the argument is that column's header.
  const parts: string[] = [];
  let rest = text;
  while (rest !== "") {
    const eq = rest.indexOf("=");
    const comma = rest.search(/[,\s]/);
    if (eq >= 0 && (comma < 0 || eq < comma)) {
      parts.push(rest);
      break;
    }
    if (comma < 0) {
      parts.push(rest);
      break;
    }
    if (comma > 0) parts.push(rest.slice(0, comma));
    rest = rest.slice(comma + 1);
  }
  for (const part of parts) {
    const eq = part.indexOf("=");
    const name = (eq < 0 ? part : part.slice(0, eq)).toLowerCase();
    const column = COLUMNS[name];
    if (!column)
      return `unknown user-defined format specifier "${eq < 0 ? part : part.slice(0, eq)}"`;
    specs.push({ column, header: eq < 0 ? column.header : part.slice(eq + 1) });
  }
  return undefined;
}

const DEFAULT_FORMAT = "pid,tname,time,ucmd";
const FULL_FORMAT = "uname=UID,pid,ppid,c,stime,tname,time,cmd";
const BSD_USER_FORMAT = "user,pid,%cpu,%mem,vsz,rss,tname,stat,start_time,bsdtime,command";

export const ps: CommandDefinition = {
  name: "ps",
  async main(ctx) {
    const argv = ctx.argv.slice(1);
    const specs: Spec[] = [];
    let all = false;
    let full = false;
    let bsdUser = false;
    let headers = true;
    const pids: number[] = [];
    const ppids: number[] = [];
    const userNames: string[] = [];
    const commands: string[] = [];
    const list = (value: string | undefined): string[] =>
      (value ?? "").split(/[,\s]+/).filter((v) => v !== "");
    const fail = async (message: string): Promise<number> => {
      await ctx.err(usageError(message));
      return 1;
    };
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (arg.startsWith("--")) {
        const [name, inline] = arg.includes("=")
          ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
          : [arg, undefined];
        const value = (): string | undefined => inline ?? argv[++i];
        switch (name) {
          case "--no-headers":
          case "--no-heading":
            headers = false;
            break;
          case "--pid":
            pids.push(...list(value()).map(Number));
            break;
          case "--ppid":
            ppids.push(...list(value()).map(Number));
            break;
          case "--user":
          case "--User":
            userNames.push(...list(value()));
            break;
          case "--format": {
            const error = parseFormat(value() ?? "", specs);
            if (error) return fail(error);
            break;
          }
          case "--help":
            await ctx.out("\nUsage:\n ps [options]\n");
            return 0;
          default:
            return fail("unknown gnu long option");
        }
        continue;
      }
      if (arg.startsWith("-")) {
        for (let j = 1; j < arg.length; j++) {
          const letter = arg[j];
          const value = (): string | undefined => {
            const v = j + 1 < arg.length ? arg.slice(j + 1) : argv[++i];
            j = arg.length;
            return v;
          };
          switch (letter) {
            case "e":
            case "A":
              all = true;
              break;
            case "f":
              full = true;
              break;
            case "p":
            case "q":
              pids.push(...list(value()).map(Number));
              break;
            case "u":
            case "U":
              userNames.push(...list(value()));
              break;
            case "C":
              commands.push(...list(value()));
              break;
            case "o": {
              const error = parseFormat(value() ?? "", specs);
              if (error) return fail(error);
              break;
            }
            case "a":
            case "d":
            case "N":
              if (letter === "N") return fail("option -N is not supported");
              all = letter === "d" || all;
              break;
            case "w":
            case "H":
              break;
            default:
              return fail(`unsupported SysV option`);
          }
        }
        continue;
      }
      // BSD options: "aux", "ax", "u", "o pid,comm".
      for (let j = 0; j < arg.length; j++) {
        const letter = arg[j];
        switch (letter) {
          case "a":
          case "x":
          case "g":
            all = true;
            break;
          case "u":
            bsdUser = true;
            break;
          case "h":
            headers = false;
            break;
          case "w":
          case "e":
          case "f":
            break;
          case "o":
          case "O": {
            const v = j + 1 < arg.length ? arg.slice(j + 1) : argv[++i];
            j = arg.length;
            const error = parseFormat(v ?? "", specs);
            if (error) return fail(error);
            break;
          }
          case "p": {
            const v = j + 1 < arg.length ? arg.slice(j + 1) : argv[++i];
            j = arg.length;
            pids.push(...list(v).map(Number));
            break;
          }
          default:
            if (/\d/.test(letter)) {
              pids.push(Number(arg.slice(j)));
              j = arg.length;
              break;
            }
            return fail("unsupported option (BSD syntax)");
        }
      }
    }
    if (specs.length === 0) {
      const format = bsdUser ? BSD_USER_FORMAT : full ? FULL_FORMAT : DEFAULT_FORMAT;
      for (const item of format.split(",")) parseFormat(item, specs);
    }
    const passwd = await readPasswd(ctx);
    const groupDb = await readGroups(ctx);
    const uids: number[] = [];
    for (const name of userNames) {
      const entry = passwd.find((u) => u.name === name);
      if (entry) uids.push(entry.uid);
      else if (/^\d+$/.test(name)) uids.push(Number(name));
      else return fail("user name does not exist");
    }
    const now = Date.now();
    const selected = ctx.kernel
      .list()
      .filter((p) => p.pid !== 0)
      .filter((p) => {
        const explicit = pids.length + ppids.length + uids.length + commands.length > 0;
        if (explicit) {
          const name = p.command.slice(p.command.lastIndexOf("/") + 1);
          return (
            pids.includes(p.pid) ||
            ppids.includes(p.ppid) ||
            uids.includes(p.uid) ||
            commands.includes(name)
          );
        }
        if (all) return true;
        return p.uid === ctx.uid;
      })
      .sort((a, b) => a.pid - b.pid);
    const rows: Row[] = selected.map((info) => {
      const user = passwd.find((u) => u.uid === info.uid);
      const gid = user?.gid ?? info.uid;
      let fullArgv: string[];
      try {
        fullArgv = [...ctx.kernel.process(info.pid).argv];
      } catch {
        fullArgv = [info.command, ...info.args];
      }
      return {
        info,
        argv: fullArgv,
        user: user?.name ?? String(info.uid),
        gid,
        group: groupDb.find((g) => g.gid === gid)?.name ?? String(gid),
        self: info.pid === ctx.pid,
      };
    });
    const lines: string[] = [];
    const render = (cells: string[]): string => {
      let line = "";
      specs.forEach((spec, k) => {
        const last = k === specs.length - 1;
        const { width, right } = spec.column;
        let cell = cells[k];
        if (!last && !right && cell.length > width && spec.column.width >= 15)
          cell = cell.slice(0, width);
        const padded = right ? cell.padStart(width) : last ? cell : cell.padEnd(width);
        line += (k === 0 ? "" : " ") + padded;
      });
      return line.replace(/\s+$/, (m) => (specs.at(-1)?.column.right ? m : ""));
    };
    if (headers && specs.some((s) => s.header !== ""))
      lines.push(render(specs.map((s) => s.header)));
    for (const row of rows) lines.push(render(specs.map((s) => s.column.value(row, now))));
    await ctx.out(lines.length > 0 ? `${lines.join("\n")}\n` : "");
    return rows.length > 0 ? 0 : 1;
  },
};
