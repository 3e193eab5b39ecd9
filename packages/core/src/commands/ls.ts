/**
 * ls: lists directory contents as GNU ls does under LC_ALL=C: one name per line when stdout
 * is not a terminal, columns (with GNU's tab-based padding) when it is or with -C/-x, -m
 * comma lists, and the -l long format (mode, links, owner, group, size, date, name, "-> target").
 * Owner and group names come from the VM's /etc/passwd and /etc/group.
 */
import { S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK, type Stat } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import {
  invalidArgText,
  type LongOption,
  parseArgs,
  UsageError,
  usageText,
} from "./lib/file-args.ts";
import { fnmatch } from "./lib/file-glob.ts";
import { modeString } from "./lib/file-mode.ts";
import { quoteAlways, quoteLocale, quoteMaybe } from "./lib/file-quote.ts";
import { type LsTimeStyle, lsDate } from "./lib/file-time.ts";
import { type IdTables, loadIdTables } from "./lib/file-users.ts";
import { errText, humanSize, joinPath, OutBuffer } from "./lib/file-util.ts";

type Format = "long" | "one" | "columns" | "across" | "commas";
type SortKey = "name" | "time" | "size" | "none" | "extension" | "version";
type TimeField = "mtime" | "atime" | "ctime" | "birth";
type Indicator = "none" | "slash" | "file-type" | "classify";

interface Options {
  all: boolean;
  almostAll: boolean;
  format: Format;
  formatGiven: boolean;
  human: boolean;
  si: boolean;
  recursive: boolean;
  sort: SortKey;
  reverse: boolean;
  directory: boolean;
  indicator: Indicator;
  inode: boolean;
  numeric: boolean;
  size: boolean;
  color: boolean;
  showOwner: boolean;
  showGroup: boolean;
  time: TimeField;
  timeStyle: LsTimeStyle;
  dereference: "never" | "all" | "cmdline" | "cmdline-dir";
  groupDirsFirst: boolean;
  ignore: string[];
  hide: string[];
  ignoreBackups: boolean;
  width: number;
  tabsize: number;
  quote: "literal" | "shell-escape" | "c" | "escape";
  hideControl: boolean;
  blockSize1k: boolean;
}

interface Entry {
  /** As displayed. */
  name: string;
  /** For system calls. */
  path: string;
  st: Stat | undefined;
  linkTarget?: string;
  targetSt?: Stat;
  /** Command-line argument that names a directory to list. */
  isDirArg?: boolean;
}

const LONGS: LongOption[] = [
  { name: "all", arg: "none", key: "a" },
  { name: "almost-all", arg: "none", key: "A" },
  { name: "escape", arg: "none", key: "b" },
  { name: "directory", arg: "none", key: "d" },
  { name: "classify", arg: "optional", key: "classify" },
  { name: "file-type", arg: "none", key: "file-type" },
  { name: "human-readable", arg: "none", key: "h" },
  { name: "si", arg: "none", key: "si" },
  { name: "inode", arg: "none", key: "i" },
  { name: "numeric-uid-gid", arg: "none", key: "n" },
  { name: "no-group", arg: "none", key: "G" },
  { name: "recursive", arg: "none", key: "R" },
  { name: "reverse", arg: "none", key: "r" },
  { name: "size", arg: "none", key: "s" },
  { name: "color", arg: "optional", key: "color" },
  { name: "colour", arg: "optional", key: "color" },
  { name: "sort", arg: "required", key: "sort" },
  { name: "time", arg: "required", key: "time" },
  { name: "time-style", arg: "required", key: "time-style" },
  { name: "full-time", arg: "none", key: "full-time" },
  { name: "format", arg: "required", key: "format" },
  { name: "dereference", arg: "none", key: "L" },
  { name: "dereference-command-line", arg: "none", key: "H" },
  { name: "dereference-command-line-symlink-to-dir", arg: "none", key: "deref-dir" },
  { name: "group-directories-first", arg: "none", key: "gdf" },
  { name: "ignore", arg: "required", key: "I" },
  { name: "hide", arg: "required", key: "hide" },
  { name: "ignore-backups", arg: "none", key: "B" },
  { name: "width", arg: "required", key: "w" },
  { name: "tabsize", arg: "required", key: "T" },
  { name: "literal", arg: "none", key: "N" },
  { name: "quote-name", arg: "none", key: "Q" },
  { name: "hide-control-chars", arg: "none", key: "q" },
  { name: "show-control-chars", arg: "none", key: "show-control-chars" },
  { name: "indicator-style", arg: "required", key: "indicator-style" },
  { name: "kibibytes", arg: "none", key: "k" },
  { name: "quoting-style", arg: "required", key: "quoting-style" },
  { name: "help", arg: "none", key: "help" },
  { name: "version", arg: "none", key: "version" },
];

const WHEN_GROUPS = [
  ["always", "yes", "force"],
  ["never", "no", "none"],
  ["auto", "tty", "if-tty"],
];

const encoder = new TextEncoder();

function byteLen(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? 2 : 3;
  }
  return n;
}

function compareBytes(a: string, b: string): number {
  // Code-point order equals UTF-8 byte order; JS < compares UTF-16 units, which differs
  // only above U+FFFF, so compare by code points.
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function matchWhen(value: string | undefined): "always" | "never" | "auto" | undefined {
  if (value === undefined) return "always";
  for (const group of WHEN_GROUPS) if (group.includes(value)) return group[0] as "always";
  return undefined;
}

export const ls: CommandDefinition = {
  name: "ls",
  async main(ctx) {
    const o: Options = {
      all: false,
      almostAll: false,
      format: ctx.isatty(1) ? "columns" : "one",
      formatGiven: false,
      human: false,
      si: false,
      recursive: false,
      sort: "name",
      reverse: false,
      directory: false,
      indicator: "none",
      inode: false,
      numeric: false,
      size: false,
      color: false,
      showOwner: true,
      showGroup: true,
      time: "mtime",
      timeStyle: "locale",
      dereference: "cmdline-dir",
      groupDirsFirst: false,
      ignore: [],
      hide: [],
      ignoreBackups: false,
      width: 80,
      tabsize: 8,
      quote: ctx.isatty(1) ? "shell-escape" : "literal",
      hideControl: ctx.isatty(1),
      blockSize1k: false,
    };
    const columnsEnv = Number(ctx.env.COLUMNS);
    if (Number.isInteger(columnsEnv) && columnsEnv > 0) o.width = columnsEnv;
    let derefGiven = false;
    let badTimeStyle: string | undefined;
    let timeGiven = false;
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs(ctx.argv.slice(1), "aAbBcCdfFgGhHiI:klLmnNopqQrRsStT:uUvw:xX1", LONGS);
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("ls", err.message));
        return 2;
      }
      throw err;
    }
    for (const { key, value } of parsed.options) {
      switch (key) {
        case "a":
          o.all = true;
          o.almostAll = false;
          break;
        case "A":
          o.almostAll = true;
          o.all = false;
          break;
        case "b":
          o.quote = "escape";
          break;
        case "B":
          o.ignoreBackups = true;
          break;
        case "c":
          o.time = "ctime";
          timeGiven = true;
          break;
        case "u":
          o.time = "atime";
          timeGiven = true;
          break;
        case "C":
          o.format = "columns";
          o.formatGiven = true;
          break;
        case "x":
          o.format = "across";
          o.formatGiven = true;
          break;
        case "m":
          o.format = "commas";
          o.formatGiven = true;
          break;
        case "1":
          if (o.format !== "long") o.format = "one";
          o.formatGiven = true;
          break;
        case "l":
          o.format = "long";
          o.formatGiven = true;
          break;
        case "g":
          o.format = "long";
          o.showOwner = false;
          break;
        case "o":
          o.format = "long";
          o.showGroup = false;
          break;
        case "n":
          o.format = "long";
          o.numeric = true;
          break;
        case "G":
          o.showGroup = false;
          break;
        case "d":
          o.directory = true;
          break;
        case "f":
          o.all = true;
          o.sort = "none";
          break;
        case "F":
          o.indicator = "classify";
          break;
        case "classify": {
          const when = matchWhen(value);
          if (when === undefined) {
            await ctx.err(invalidArgText("ls", value ?? "", "--classify", WHEN_GROUPS));
            return 1;
          }
          if (when === "always" || (when === "auto" && ctx.isatty(1))) o.indicator = "classify";
          break;
        }
        case "file-type":
          o.indicator = "file-type";
          break;
        case "p":
          o.indicator = "slash";
          break;
        case "indicator-style": {
          const styles = ["none", "slash", "file-type", "classify"];
          if (!styles.includes(value ?? "")) {
            await ctx.err(
              invalidArgText(
                "ls",
                value ?? "",
                "--indicator-style",
                styles.map((s) => [s]),
              ),
            );
            return 1;
          }
          o.indicator = value as Indicator;
          break;
        }
        case "h":
          o.human = true;
          break;
        case "si":
          o.human = true;
          o.si = true;
          break;
        case "k":
          o.blockSize1k = true;
          break;
        case "i":
          o.inode = true;
          break;
        case "s":
          o.size = true;
          break;
        case "R":
          o.recursive = true;
          break;
        case "r":
          o.reverse = true;
          break;
        case "S":
          o.sort = "size";
          break;
        case "t":
          o.sort = "time";
          break;
        case "U":
          o.sort = "none";
          break;
        case "X":
          o.sort = "extension";
          break;
        case "v":
          o.sort = "version";
          break;
        case "sort": {
          const map: Record<string, SortKey> = {
            none: "none",
            time: "time",
            size: "size",
            extension: "extension",
            version: "version",
            name: "name",
          };
          const key2 = map[value ?? ""];
          if (!key2) {
            await ctx.err(
              invalidArgText("ls", value ?? "", "--sort", [
                ["none"],
                ["time"],
                ["size"],
                ["extension"],
                ["version"],
                ["width"],
              ]),
            );
            return 1;
          }
          o.sort = key2;
          break;
        }
        case "time": {
          const map: Record<string, TimeField> = {
            atime: "atime",
            access: "atime",
            use: "atime",
            ctime: "ctime",
            status: "ctime",
            mtime: "mtime",
            modification: "mtime",
            birth: "birth",
            creation: "birth",
          };
          const t = map[value ?? ""];
          if (!t) {
            await ctx.err(
              invalidArgText("ls", value ?? "", "--time", [
                ["atime", "access", "use"],
                ["ctime", "status"],
                ["mtime", "modification"],
                ["birth", "creation"],
              ]),
            );
            return 1;
          }
          o.time = t;
          timeGiven = true;
          break;
        }
        case "full-time":
          o.format = "long";
          o.timeStyle = "full-iso";
          break;
        case "time-style": {
          const style = (value ?? "").replace(/^posix-/, "");
          if (style === "full-iso" || style === "long-iso" || style === "iso") {
            o.timeStyle = style;
          } else if (style === "locale") o.timeStyle = "locale";
          else badTimeStyle = value ?? "";
          break;
        }
        case "format": {
          const map: Record<string, Format> = {
            verbose: "long",
            long: "long",
            commas: "commas",
            horizontal: "across",
            across: "across",
            vertical: "columns",
            "single-column": "one",
          };
          const f = map[value ?? ""];
          if (!f) {
            await ctx.err(
              invalidArgText("ls", value ?? "", "--format", [
                ["verbose", "long"],
                ["commas"],
                ["horizontal", "across"],
                ["vertical"],
                ["single-column"],
              ]),
            );
            return 1;
          }
          o.format = f;
          o.formatGiven = true;
          break;
        }
        case "color": {
          const when = matchWhen(value);
          if (when === undefined) {
            await ctx.err(invalidArgText("ls", value ?? "", "--color", WHEN_GROUPS));
            return 1;
          }
          o.color = when === "always" || (when === "auto" && ctx.isatty(1));
          break;
        }
        case "L":
          o.dereference = "all";
          derefGiven = true;
          break;
        case "H":
          o.dereference = "cmdline";
          derefGiven = true;
          break;
        case "deref-dir":
          o.dereference = "cmdline-dir";
          derefGiven = true;
          break;
        case "gdf":
          o.groupDirsFirst = true;
          break;
        case "I":
          o.ignore.push(value ?? "");
          break;
        case "hide":
          o.hide.push(value ?? "");
          break;
        case "w": {
          const w = Number(value);
          if (!/^\d+$/.test(value ?? "")) {
            await ctx.err(`ls: invalid line width: ${quoteAlways(value ?? "")}\n`);
            return 2;
          }
          o.width = w;
          break;
        }
        case "T": {
          if (!/^\d+$/.test(value ?? "")) {
            await ctx.err(`ls: invalid tab size: ${quoteAlways(value ?? "")}\n`);
            return 2;
          }
          o.tabsize = Number(value);
          break;
        }
        case "N":
          o.quote = "literal";
          break;
        case "Q":
          o.quote = "c";
          break;
        case "q":
          o.hideControl = true;
          break;
        case "show-control-chars":
          o.hideControl = false;
          break;
        case "quoting-style": {
          const styles: Record<string, Options["quote"]> = {
            literal: "literal",
            shell: "shell-escape",
            "shell-always": "shell-escape",
            "shell-escape": "shell-escape",
            "shell-escape-always": "shell-escape",
            c: "c",
            escape: "escape",
          };
          const q = styles[value ?? ""];
          if (!q) {
            await ctx.err(`ls: option '--quoting-style=${value}' is not supported\n`);
            return 2;
          }
          o.quote = q;
          break;
        }
        case "help":
          await ctx.out("Usage: ls [OPTION]... [FILE]...\n");
          return 0;
        case "version":
          await ctx.out("ls (agentOS coreutils) 9.1\n");
          return 0;
        default:
          break;
      }
    }
    if (badTimeStyle !== undefined && o.format === "long") {
      await ctx.err(
        `ls: invalid argument ${quoteLocale(badTimeStyle)} for 'time style'\nValid arguments are:\n  - [posix-]full-iso\n  - [posix-]long-iso\n  - [posix-]iso\n  - [posix-]locale\n  - +FORMAT (e.g., +%H:%M) for a 'date'-style format\nTry 'ls --help' for more information.\n`,
      );
      return 2;
    }
    // GNU ls only colours when it knows the terminal (LS_COLORS, COLORTERM or a known TERM).
    if (o.color && !ctx.env.LS_COLORS && !ctx.env.COLORTERM && !knownTerm(ctx.env.TERM)) {
      o.color = false;
    }
    // -c/-u without -l sort by that time (GNU); with -l they only change the shown time
    // unless -t is given too.
    if (timeGiven && o.format !== "long" && o.sort === "name") o.sort = "time";
    if (!derefGiven) {
      o.dereference =
        o.directory || o.indicator === "classify" || o.format === "long" ? "never" : "cmdline-dir";
    }
    const lister = new Lister(ctx, o);
    return await lister.run(parsed.operands);
  },
};

class Lister {
  readonly ctx: ProcessContext;
  readonly o: Options;
  readonly out: OutBuffer;
  ids: IdTables | undefined;
  status = 0;
  first = true;
  now = Date.now();
  tz: string | undefined;

  constructor(ctx: ProcessContext, o: Options) {
    this.ctx = ctx;
    this.o = o;
    this.out = new OutBuffer(ctx);
    this.tz = ctx.env.TZ;
  }

  needStat(): boolean {
    const o = this.o;
    return (
      o.format === "long" ||
      o.sort === "time" ||
      o.sort === "size" ||
      o.inode ||
      o.size ||
      o.indicator !== "none" ||
      o.color ||
      o.groupDirsFirst ||
      o.recursive
    );
  }

  async run(operands: string[]): Promise<number> {
    const o = this.o;
    if (o.format === "long" && !(o.numeric && true)) this.ids = await loadIdTables(this.ctx);
    if (o.format === "long" && o.numeric) this.ids = undefined;
    const files: Entry[] = [];
    const dirs: Entry[] = [];
    const args = operands.length === 0 ? ["."] : operands;
    for (const arg of args) {
      const entry = await this.statArg(arg);
      if (!entry) continue;
      if (!o.directory && entry.st && (entry.st.mode & S_IFMT) === S_IFDIR) {
        entry.isDirArg = true;
        dirs.push(entry);
      } else files.push(entry);
    }
    this.sortEntries(files);
    this.sortEntries(dirs);
    const printDirName = operands.length > 1 || files.length > 0 || o.recursive;
    if (files.length > 0) {
      await this.printEntries(files, [...files, ...dirs]);
      if (dirs.length > 0) await this.out.write("\n");
      this.first = true;
    }
    for (const dir of dirs) await this.listDir(dir.path, dir.name, printDirName, true);
    await this.out.flush();
    return this.status;
  }

  async statArg(arg: string): Promise<Entry | undefined> {
    const ctx = this.ctx;
    let st: Stat;
    try {
      st = await ctx.lstat(arg);
    } catch (err) {
      if (!ctx.alive) throw err;
      await ctx.err(`ls: cannot access ${quoteAlways(arg)}: ${errText(err)}\n`);
      this.status = 2;
      return undefined;
    }
    const entry: Entry = { name: arg, path: arg, st };
    if ((st.mode & S_IFMT) === S_IFLNK) {
      const d = this.o.dereference;
      if (d === "all" || d === "cmdline" || (d === "cmdline-dir" && !arg.endsWith("/"))) {
        try {
          const target = await ctx.stat(arg);
          if (d !== "cmdline-dir" || (target.mode & S_IFMT) === S_IFDIR) entry.st = target;
        } catch (err) {
          if (!ctx.alive) throw err;
          if (d !== "cmdline-dir") {
            await ctx.err(`ls: cannot access ${quoteAlways(arg)}: ${errText(err)}\n`);
            this.status = 2;
            return undefined;
          }
        }
      } else if (arg.endsWith("/")) {
        try {
          entry.st = await ctx.stat(arg);
        } catch {
          // keep the link itself
        }
      }
      if (entry.st && (entry.st.mode & S_IFMT) === S_IFLNK) await this.fillLink(entry);
    }
    return entry;
  }

  async fillLink(entry: Entry): Promise<void> {
    const o = this.o;
    if (o.format === "long") {
      try {
        entry.linkTarget = await this.ctx.readlink(entry.path);
      } catch (err) {
        if (!this.ctx.alive) throw err;
      }
    }
    if (o.format === "long" || o.indicator !== "none" || o.color || o.groupDirsFirst) {
      try {
        entry.targetSt = await this.ctx.stat(entry.path);
      } catch (err) {
        if (!this.ctx.alive) throw err;
      }
    }
  }

  ignored(name: string): boolean {
    const o = this.o;
    if (name.startsWith(".") && !o.all) {
      if (!o.almostAll) return true;
      if (name === "." || name === "..") return true;
    }
    if (o.ignoreBackups && name.endsWith("~")) return true;
    for (const p of o.ignore) if (fnmatch(p, name)) return true;
    if (!o.all && !o.almostAll) for (const p of o.hide) if (fnmatch(p, name)) return true;
    return false;
  }

  async listDir(path: string, shown: string, printName: boolean, cmdline: boolean): Promise<void> {
    const ctx = this.ctx;
    const o = this.o;
    let names: string[];
    try {
      names = (await ctx.readdir(path)).map((d) => d.name);
    } catch (err) {
      if (!ctx.alive) throw err;
      await ctx.err(`ls: cannot open directory ${quoteAlways(shown)}: ${errText(err)}\n`);
      this.status = cmdline ? 2 : Math.max(this.status, 1);
      return;
    }
    if (o.recursive || printName) {
      if (!this.first) await this.out.write("\n");
      this.first = false;
      await this.out.write(`${this.displayName(shown)}:\n`);
    }
    this.first = false;
    if (o.all) names.unshift(".", "..");
    const entries: Entry[] = [];
    const needStat = this.needStat();
    for (const name of names) {
      if (this.ignored(name)) continue;
      const childPath = joinPath(path, name);
      const entry: Entry = { name, path: childPath, st: undefined };
      if (needStat) {
        try {
          entry.st =
            o.dereference === "all" ? await ctx.stat(childPath) : await ctx.lstat(childPath);
        } catch (err) {
          if (!ctx.alive) throw err;
          try {
            entry.st = await ctx.lstat(childPath);
          } catch {
            await ctx.err(`ls: cannot access ${quoteAlways(childPath)}: ${errText(err)}\n`);
            this.status = Math.max(this.status, 1);
          }
        }
        if (entry.st && (entry.st.mode & S_IFMT) === S_IFLNK) await this.fillLink(entry);
      }
      entries.push(entry);
    }
    this.sortEntries(entries);
    if (o.format === "long" || o.size) {
      let blocks = 0;
      for (const e of entries) blocks += e.st?.blocks ?? 0;
      await this.out.write(`total ${this.blockText(blocks)}\n`);
    }
    await this.printEntries(entries, entries);
    if (o.recursive) {
      for (const e of entries) {
        if (e.name === "." || e.name === "..") continue;
        if (e.st && (e.st.mode & S_IFMT) === S_IFDIR) {
          await this.listDir(e.path, joinPath(shown, e.name), true, false);
        }
      }
    }
  }

  blockText(blocks512: number): string {
    const o = this.o;
    if (o.human) return humanSize(blocks512 * 512, o.si ? 1000 : 1024, o.si);
    return String(Math.ceil(blocks512 / 2));
  }

  sortEntries(entries: Entry[]): void {
    const o = this.o;
    if (o.sort === "none") return;
    const timeOf = (e: Entry): number => {
      const st = e.st;
      if (!st) return 0;
      switch (o.time) {
        case "atime":
          return st.atimeMs;
        case "ctime":
          return st.ctimeMs;
        case "birth":
          return st.birthtimeMs;
        default:
          return st.mtimeMs;
      }
    };
    const byName = (a: Entry, b: Entry): number => compareBytes(a.name, b.name);
    let cmp: (a: Entry, b: Entry) => number;
    switch (o.sort) {
      case "time":
        cmp = (a, b) => timeOf(b) - timeOf(a) || byName(a, b);
        break;
      case "size":
        cmp = (a, b) => (b.st?.size ?? 0) - (a.st?.size ?? 0) || byName(a, b);
        break;
      case "extension": {
        const ext = (n: string): string => {
          const dot = n.lastIndexOf(".");
          return dot <= 0 ? "" : n.slice(dot);
        };
        cmp = (a, b) => compareBytes(ext(a.name), ext(b.name)) || byName(a, b);
        break;
      }
      case "version":
        cmp = (a, b) => versionCompare(a.name, b.name) || byName(a, b);
        break;
      default:
        cmp = byName;
    }
    const dirFirst = (e: Entry): number => {
      const st = e.st && (e.st.mode & S_IFMT) === S_IFLNK ? e.targetSt : e.st;
      return st && (st.mode & S_IFMT) === S_IFDIR ? 0 : 1;
    };
    entries.sort((a, b) => {
      if (o.groupDirsFirst) {
        const d = dirFirst(a) - dirFirst(b);
        if (d !== 0) return d;
      }
      const c = cmp(a, b);
      return o.reverse ? -c : c;
    });
  }

  displayName(name: string): string {
    const o = this.o;
    let shown = name;
    if (o.quote === "shell-escape") shown = quoteMaybe(name);
    else if (o.quote === "c") shown = cQuote(name);
    else if (o.quote === "escape") shown = cQuote(name).slice(1, -1).replace(/ /g, "\\ ");
    else if (o.hideControl) shown = name.replace(/[\x00-\x1f\x7f]/g, "?");
    return shown;
  }

  indicatorOf(st: Stat | undefined, isTarget: boolean): string {
    const o = this.o;
    if (!st || o.indicator === "none") return "";
    const type = st.mode & S_IFMT;
    if (type === S_IFDIR) return "/";
    if (o.indicator === "slash") return "";
    if (type === S_IFLNK) return isTarget ? "" : "@";
    if (type === S_IFIFO) return "|";
    if (type === S_IFSOCK) return "=";
    if (type === S_IFREG && o.indicator === "classify" && st.mode & 0o111) return "*";
    return "";
  }

  colorOf(st: Stat | undefined): string {
    if (!st) return "";
    const type = st.mode & S_IFMT;
    if (type === S_IFDIR) {
      const sticky = (st.mode & 0o1000) !== 0;
      const otherW = (st.mode & 0o2) !== 0;
      if (sticky && otherW) return "30;42";
      if (otherW) return "34;42";
      if (sticky) return "37;44";
      return "01;34";
    }
    if (type === S_IFLNK) return "01;36";
    if (type === S_IFIFO) return "40;33";
    if (type === S_IFSOCK) return "01;35";
    if (type !== S_IFREG) return "40;33;01";
    if (st.mode & 0o4000) return "37;41";
    if (st.mode & 0o2000) return "30;43";
    if (st.mode & 0o111) return "01;32";
    return "";
  }

  colored(text: string, code: string): string {
    if (!this.o.color || code === "") return text;
    const reset = this.usedColor ? "" : "\x1b[0m";
    this.usedColor = true;
    return `${reset}\x1b[${code}m${text}\x1b[0m`;
  }

  usedColor = false;

  nameWithFrills(e: Entry): { text: string; width: number } {
    const o = this.o;
    const shown = this.displayName(e.name);
    const ind = this.indicatorOf(e.st, false);
    const indicator = o.format === "long" && e.st && (e.st.mode & S_IFMT) === S_IFLNK ? "" : ind;
    const text = this.colored(shown, this.colorOf(e.st)) + indicator;
    return { text, width: byteLen(shown) + indicator.length };
  }

  async printEntries(entries: Entry[], widthOf: Entry[]): Promise<void> {
    const o = this.o;
    if (entries.length === 0) return;
    if (o.format === "long") {
      await this.printLong(entries, widthOf);
      return;
    }
    const inodeWidth = o.inode
      ? Math.max(...widthOf.map((e) => String(e.st?.ino ?? "?").length))
      : 0;
    const blockWidth = o.size
      ? Math.max(...widthOf.map((e) => this.blockText(e.st?.blocks ?? 0).length))
      : 0;
    const cells = entries.map((e) => {
      const n = this.nameWithFrills(e);
      let prefix = "";
      let prefixLen = 0;
      const sep = o.format === "commas" ? "" : null;
      if (o.inode) {
        const ino = String(e.st?.ino ?? "?");
        prefix += `${sep === null ? ino.padStart(inodeWidth) : ino} `;
      }
      if (o.size) {
        const b = this.blockText(e.st?.blocks ?? 0);
        prefix += `${sep === null ? b.padStart(blockWidth) : b} `;
      }
      prefixLen = prefix.length;
      return { text: prefix + n.text, width: prefixLen + n.width };
    });
    switch (o.format) {
      case "one":
        for (const c of cells) await this.out.write(`${c.text}\n`);
        return;
      case "commas": {
        let pos = 0;
        let line = "";
        cells.forEach((c, i) => {
          if (i > 0) {
            if (o.width === 0 || pos + c.width + 2 < o.width) {
              pos += 2;
              line += ", ";
            } else {
              pos = 0;
              line += ",\n";
            }
          }
          line += c.text;
          pos += c.width;
        });
        await this.out.write(`${line}\n`);
        return;
      }
      default:
        await this.out.write(this.columns(cells, o.format === "columns"));
    }
  }

  columns(cells: { text: string; width: number }[], byColumns: boolean): string {
    const o = this.o;
    const n = cells.length;
    const lineLength = o.width;
    const maxIdx = lineLength === 0 ? n : Math.max(1, Math.floor(lineLength / 3));
    const maxCols = Math.min(maxIdx, n);
    const info = Array.from({ length: maxCols }, (_, i) => ({
      valid: true,
      lineLen: (i + 1) * 3,
      arr: new Array<number>(i + 1).fill(3),
    }));
    for (let f = 0; f < n; f++) {
      const len = cells[f].width;
      for (let i = 0; i < maxCols; i++) {
        const c = info[i];
        if (!c.valid) continue;
        const idx = byColumns ? Math.floor(f / Math.floor((n + i) / (i + 1))) : f % (i + 1);
        const real = len + (idx === i ? 0 : 2);
        if (c.arr[idx] < real) {
          c.lineLen += real - c.arr[idx];
          c.arr[idx] = real;
          c.valid = lineLength === 0 || c.lineLen < lineLength;
        }
      }
    }
    let cols = maxCols;
    for (; cols > 1; cols--) if (info[cols - 1].valid) break;
    const widths = info[cols - 1].arr;
    const indent = (from: number, to: number): string => {
      let s = "";
      while (from < to) {
        if (o.tabsize !== 0 && Math.floor(to / o.tabsize) > Math.floor((from + 1) / o.tabsize)) {
          s += "\t";
          from += o.tabsize - (from % o.tabsize);
        } else {
          s += " ";
          from++;
        }
      }
      return s;
    };
    let out = "";
    if (byColumns) {
      const rows = Math.floor(n / cols) + (n % cols !== 0 ? 1 : 0);
      for (let row = 0; row < rows; row++) {
        let col = 0;
        let f = row;
        let pos = 0;
        for (;;) {
          const cell = cells[f];
          out += cell.text;
          const maxLen = widths[col++];
          f += rows;
          if (f >= n) break;
          out += indent(pos + cell.width, pos + maxLen);
          pos += maxLen;
        }
        out += "\n";
      }
    } else {
      let pos = 0;
      for (let f = 0; f < n; f++) {
        const col = f % cols;
        if (f !== 0) {
          if (col === 0) {
            out += "\n";
            pos = 0;
          } else {
            const prevWidth = widths[col - 1];
            out += indent(pos + cells[f - 1].width, pos + prevWidth);
            pos += prevWidth;
          }
        }
        out += cells[f].text;
      }
      out += "\n";
    }
    return out;
  }

  async printLong(entries: Entry[], widthOf: Entry[]): Promise<void> {
    const o = this.o;
    const all = widthOf.map((e) => {
      const st = e.st;
      const timeMs = !st
        ? 0
        : o.time === "atime"
          ? st.atimeMs
          : o.time === "ctime"
            ? st.ctimeMs
            : o.time === "birth"
              ? st.birthtimeMs
              : st.mtimeMs;
      const type = st ? st.mode & S_IFMT : 0;
      const isDev = type === 0o020000 || type === 0o060000;
      let size: string;
      if (!st) size = "?";
      else if (isDev) {
        const major = (st.rdev >> 8) & 0xfff;
        const minor = (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00);
        size = `${major}, ${String(minor)}`;
      } else size = o.human ? humanSize(st.size, o.si ? 1000 : 1024, o.si) : String(st.size);
      return {
        e,
        inode: st ? String(st.ino) : "?",
        blocks: st ? this.blockText(st.blocks) : "?",
        mode: st ? modeString(st.mode) : "l?????????",
        nlink: st ? String(st.nlink) : "?",
        owner: st ? this.userText(st.uid) : "?",
        group: st ? this.groupText(st.gid) : "?",
        size,
        isDev,
        major: isDev ? size.split(", ")[0] : "",
        minor: isDev ? size.split(", ")[1] : "",
        date: st ? lsDate(timeMs, this.now, this.tz, o.timeStyle) : "?",
      };
    });
    const rows = all.filter((r) => entries.includes(r.e));
    const w = (f: (r: (typeof rows)[number]) => string): number =>
      Math.max(...all.map((r) => f(r).length));
    const inodeW = w((r) => r.inode);
    const blockW = w((r) => r.blocks);
    const nlinkW = w((r) => r.nlink);
    const ownerW = w((r) => r.owner);
    const groupW = w((r) => r.group);
    const majorW = w((r) => r.major);
    const minorW = w((r) => r.minor);
    let sizeW = w((r) => (r.isDev ? "" : r.size));
    if (all.some((r) => r.isDev)) sizeW = Math.max(sizeW, majorW + 2 + minorW);
    for (const r of rows) {
      let line = "";
      if (o.inode) line += `${r.inode.padStart(inodeW)} `;
      if (o.size) line += `${r.blocks.padStart(blockW)} `;
      line += `${r.mode} ${r.nlink.padStart(nlinkW)} `;
      if (o.showOwner) line += `${r.owner.padEnd(ownerW)} `;
      if (o.showGroup) line += `${r.group.padEnd(groupW)} `;
      const size = r.isDev
        ? `${r.major.padStart(majorW)}, ${r.minor.padStart(minorW)}`.padStart(sizeW)
        : r.size.padStart(sizeW);
      line += `${size} ${r.date} `;
      line += this.nameWithFrills(r.e).text;
      if (r.e.linkTarget !== undefined) {
        const t = r.e.targetSt;
        const targetText = this.displayName(r.e.linkTarget);
        line += ` -> ${targetText}`;
        line += this.indicatorOf(t, true);
      }
      await this.out.write(`${line}\n`);
    }
  }

  userText(uid: number): string {
    return (this.o.numeric ? undefined : this.ids?.userName(uid)) ?? String(uid);
  }

  groupText(gid: number): string {
    return (this.o.numeric ? undefined : this.ids?.groupName(gid)) ?? String(gid);
  }
}

function cQuote(name: string): string {
  let out = '"';
  for (const byte of encoder.encode(name)) {
    const c = String.fromCharCode(byte);
    if (c === '"' || c === "\\") out += `\\${c}`;
    else if (byte === 10) out += "\\n";
    else if (byte === 9) out += "\\t";
    else if (byte < 0x20 || byte >= 0x7f) out += `\\${byte.toString(8).padStart(3, "0")}`;
    else out += c;
  }
  return `${out}"`;
}

/** A natural sort close to GNU filevercmp for plain names (digits compared numerically). */
function versionCompare(a: string, b: string): number {
  const re = /(\d+|\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (/^\d/.test(x) && /^\d/.test(y)) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
    } else if (x !== y) return compareBytes(x, y);
  }
  return pa.length - pb.length;
}

const KNOWN_TERMS =
  /^(ansi|color[-+\w]*|con[0-9]*x[0-9]*|cons25|console|cygwin|dtterm|dvtm|Eterm|eterm-color|fbterm|gnome|hurd|jfbterm|konsole|kterm|linux|linux-c|mlterm|putty|rxvt|screen|st|terminator|tmux|vt100|vt220|xterm)([-+.\w]*)$|color/;

function knownTerm(term: string | undefined): boolean {
  return term !== undefined && KNOWN_TERMS.test(term);
}
