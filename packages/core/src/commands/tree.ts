/**
 * tree: lists directories as an indented tree, like Debian's tree 2.1: ASCII lines
 * ("|-- ", "`-- ") and backslash-escaped names under LC_ALL=C, box-drawing lines under a
 * UTF-8 locale; "N directories, M files" report (the roots count as directories).
 * Options: -a -d -l -f -i -F -L N -I PAT -P PAT --noreport --dirsfirst --filesfirst -r -t -U
 * -C -n --charset --filelimit --prune --matchdirs --ignore-case.
 */
import { S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, type Stat } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { globToRegExp } from "./lib/file-glob.ts";
import { joinPath, OutBuffer } from "./lib/file-util.ts";

const USAGE =
  "usage: tree [-acdfghilnpqrstuvxACDFJQNSUX] [-L level [-R]] [-H  baseHREF]\n" +
  "\t[-T title] [-o filename] [-P pattern] [-I pattern] [--gitignore]\n" +
  "\t[--gitfile[=]file] [--matchdirs] [--metafirst] [--ignore-case]\n" +
  "\t[--nolinks] [--hintro[=]file] [--houtro[=]file] [--inodes] [--device]\n" +
  "\t[--sort[=]<name>] [--dirsfirst] [--filesfirst] [--filelimit #] [--si]\n" +
  "\t[--du] [--prune] [--charset[=]X] [--timefmt[=]format] [--fromfile]\n" +
  "\t[--fflinks] [--info] [--infofile[=]file] [--noreport] [--version]\n" +
  "\t[--help] [--] [directory ...]\n";

interface TreeOptions {
  all: boolean;
  dirsOnly: boolean;
  follow: boolean;
  fullPath: boolean;
  noIndent: boolean;
  classify: boolean;
  maxLevel: number;
  ignore: RegExp[];
  pattern: RegExp[];
  noReport: boolean;
  sort: "name" | "mtime" | "none";
  reverse: boolean;
  dirsFirst: boolean;
  filesFirst: boolean;
  color: boolean;
  unicode: boolean;
  fileLimit: number;
  prune: boolean;
  matchDirs: boolean;
  ignoreCase: boolean;
}

interface Node {
  name: string;
  path: string;
  lst: Stat | undefined;
  /** Target's stat for symlinks (undefined when dangling). */
  st: Stat | undefined;
  target?: string;
}

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const tree: CommandDefinition = {
  name: "tree",
  async main(ctx) {
    const env = ctx.env;
    const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || "";
    const o: TreeOptions = {
      all: false,
      dirsOnly: false,
      follow: false,
      fullPath: false,
      noIndent: false,
      classify: false,
      maxLevel: Number.POSITIVE_INFINITY,
      ignore: [],
      pattern: [],
      noReport: false,
      sort: "name",
      reverse: false,
      dirsFirst: false,
      filesFirst: false,
      color: false,
      unicode: /utf-?8/i.test(locale),
      fileLimit: Number.POSITIVE_INFINITY,
      prune: false,
      matchDirs: false,
      ignoreCase: false,
    };
    const ignoreText: string[] = [];
    const patternText: string[] = [];
    const roots: string[] = [];
    const argv = ctx.argv.slice(1);
    const bad = async (msg: string): Promise<number> => {
      await ctx.err(`tree: ${msg}\n${USAGE}`);
      return 1;
    };
    let endOfOptions = false;
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (endOfOptions || !arg.startsWith("-") || arg === "-") {
        roots.push(arg);
        continue;
      }
      if (arg === "--") {
        endOfOptions = true;
        continue;
      }
      if (arg.startsWith("--")) {
        const eq = arg.indexOf("=");
        const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
        const takeValue = async (): Promise<string | undefined> => {
          if (eq >= 0) return arg.slice(eq + 1);
          if (i + 1 < argv.length) return argv[++i];
          await ctx.err(`tree: Missing argument to --${name} option.\n`);
          return undefined;
        };
        switch (name) {
          case "noreport":
            o.noReport = true;
            break;
          case "dirsfirst":
            o.dirsFirst = true;
            break;
          case "filesfirst":
            o.filesFirst = true;
            break;
          case "prune":
            o.prune = true;
            break;
          case "matchdirs":
            o.matchDirs = true;
            break;
          case "ignore-case":
            o.ignoreCase = true;
            break;
          case "charset": {
            const v = await takeValue();
            if (v === undefined) return 1;
            o.unicode = /utf-?8/i.test(v);
            break;
          }
          case "filelimit": {
            const v = await takeValue();
            if (v === undefined) return 1;
            o.fileLimit = Number(v);
            break;
          }
          case "sort": {
            const v = await takeValue();
            if (v === undefined) return 1;
            if (v === "name") o.sort = "name";
            else if (v === "mtime") o.sort = "mtime";
            else if (v === "none") o.sort = "none";
            else
              return await bad(
                `Sort type '${v}' not valid, should be one of: name, version, size, mtime, ctime, none.`,
              );
            break;
          }
          case "help":
            await ctx.out(USAGE);
            return 0;
          case "version":
            await ctx.out("tree v2.1.0 (agentOS)\n");
            return 0;
          default:
            return await bad(`Invalid argument \`${arg}'.`);
        }
        continue;
      }
      for (let j = 1; j < arg.length; j++) {
        const c = arg[j];
        const needValue = async (): Promise<string | undefined> => {
          // tree takes option values only from the next argument ("-L2" is an error).
          if (i + 1 < argv.length && j === arg.length - 1) return argv[++i];
          await ctx.err(`tree: Missing argument to -${c} option.\n`);
          return undefined;
        };
        switch (c) {
          case "a":
            o.all = true;
            break;
          case "d":
            o.dirsOnly = true;
            break;
          case "l":
            o.follow = true;
            break;
          case "f":
            o.fullPath = true;
            break;
          case "i":
            o.noIndent = true;
            break;
          case "F":
            o.classify = true;
            break;
          case "r":
            o.reverse = true;
            break;
          case "t":
            o.sort = "mtime";
            break;
          case "U":
            o.sort = "none";
            break;
          case "C":
            o.color = true;
            break;
          case "n":
            o.color = false;
            break;
          case "A":
            o.unicode = true;
            break;
          case "S":
            o.unicode = false;
            break;
          case "L": {
            const v = await needValue();
            if (v === undefined) return 1;
            const n = Number(v);
            if (!/^\d+$/.test(v) || n < 1) {
              await ctx.err("tree: Invalid level, must be greater than 0.\n");
              return 1;
            }
            o.maxLevel = n;
            break;
          }
          case "I": {
            const v = await needValue();
            if (v === undefined) return 1;
            ignoreText.push(v);
            break;
          }
          case "P": {
            const v = await needValue();
            if (v === undefined) return 1;
            patternText.push(v);
            break;
          }
          default:
            return await bad(`Invalid argument -\`${c}'.`);
        }
      }
    }
    const compile = (p: string): RegExp[] =>
      p.split("|").map((alt) => {
        const re = globToRegExp(alt);
        return o.ignoreCase ? new RegExp(re.source, "i") : re;
      });
    for (const p of ignoreText) o.ignore.push(...compile(p));
    for (const p of patternText) o.pattern.push(...compile(p));
    if (roots.length === 0) roots.push(".");
    // tree colours only when it may know the terminal (TERM or LS_COLORS set).
    if (o.color && env.TERM === undefined && env.LS_COLORS === undefined) o.color = false;
    const t = new Tree(ctx, o);
    for (const root of roots) await t.root(root);
    if (!o.noReport) {
      const dirs = `${t.dirs} director${t.dirs === 1 ? "y" : "ies"}`;
      const files = `, ${t.files} file${t.files === 1 ? "" : "s"}`;
      await t.out.write(`\n${dirs}${o.dirsOnly ? "" : files}\n`);
    }
    await t.out.flush();
    return t.status;
  },
};

class Tree {
  readonly ctx: ProcessContext;
  readonly o: TreeOptions;
  readonly out: OutBuffer;
  dirs = 0;
  files = 0;
  status = 0;
  readonly visited = new Set<string>();

  constructor(ctx: ProcessContext, o: TreeOptions) {
    this.ctx = ctx;
    this.o = o;
    this.out = new OutBuffer(ctx);
  }

  escape(name: string): string {
    if (this.o.unicode) return name;
    let out = "";
    for (const byte of new TextEncoder().encode(name)) {
      const ch = String.fromCharCode(byte);
      if (byte === 0x20) out += "\\ ";
      else if (byte === 0x5c) out += "\\\\";
      else if (byte === 9) out += "\\t";
      else if (byte === 10) out += "\\n";
      else if (byte < 0x20 || byte >= 0x7f) out += `\\${byte.toString(8).padStart(3, "0")}`;
      else out += ch;
    }
    return out;
  }

  colorCode(st: Stat | undefined, lst: Stat | undefined): string {
    const s = lst ?? st;
    if (!s) return "00";
    const type = s.mode & S_IFMT;
    if (type === S_IFLNK) return st ? "01;36" : "40;31;01";
    if (type === S_IFDIR) return "01;34";
    if (type === S_IFREG && s.mode & 0o111) return "01;32";
    return "00";
  }

  paint(text: string, code: string): string {
    return this.o.color ? `\x1b[${code}m${text}\x1b[0m` : text;
  }

  indicator(st: Stat | undefined): string {
    if (!this.o.classify || !st) return "";
    const type = st.mode & S_IFMT;
    if (type === S_IFDIR) return "/";
    if (type === S_IFREG && st.mode & 0o111) return "*";
    if (type === 0o010000) return "|";
    if (type === 0o140000) return "=";
    return "";
  }

  async root(path: string): Promise<void> {
    const ctx = this.ctx;
    let st: Stat | undefined;
    try {
      st = await ctx.stat(path);
    } catch {
      st = undefined;
    }
    const shown = this.paint(this.escape(path), this.colorCode(st, undefined));
    if (st && (st.mode & S_IFMT) !== S_IFDIR) {
      // A file operand is listed (and counted) as a file.
      await this.out.write(`${shown}  [error opening dir]\n`);
      this.files++;
      return;
    }
    if (!st) {
      await this.out.write(`${shown}  [error opening dir]\n`);
      this.status = 2;
      return;
    }
    let children: Node[];
    try {
      children = await this.list(path);
    } catch {
      await this.out.write(`${shown}  [error opening dir]\n`);
      this.status = 2;
      return;
    }
    this.dirs++;
    this.visited.add(`${st.dev}:${st.ino}`);
    if (children.length > this.o.fileLimit) {
      await this.out.write(
        `${shown}${this.indicator(st)}  [${children.length} entries exceeds filelimit, not opening dir]\n`,
      );
      return;
    }
    await this.out.write(`${shown}${this.o.classify ? "/" : ""}\n`);
    await this.children(children, "", 1);
  }

  async list(path: string): Promise<Node[]> {
    const ctx = this.ctx;
    const o = this.o;
    const names = (await ctx.readdir(path)).map((d) => d.name);
    const nodes: Node[] = [];
    for (const name of names) {
      if (!o.all && name.startsWith(".")) continue;
      if (o.ignore.some((re) => re.test(name))) continue;
      const p = joinPath(path, name);
      let lst: Stat | undefined;
      try {
        lst = await ctx.lstat(p);
      } catch {
        continue;
      }
      let st: Stat | undefined = lst;
      let target: string | undefined;
      if ((lst.mode & S_IFMT) === S_IFLNK) {
        target = await ctx.readlink(p).catch(() => "");
        st = await ctx.stat(p).catch(() => undefined);
      }
      const isDir = !!st && (st.mode & S_IFMT) === S_IFDIR;
      if (o.dirsOnly && !isDir) continue;
      if (o.pattern.length > 0 && !o.pattern.some((re) => re.test(name))) {
        // -P selects files; directories stay (symlinks to them too, unless followed).
        const keepDir = isDir && (lst.mode & S_IFMT) !== S_IFLNK;
        if (!keepDir || o.matchDirs) {
          if (!keepDir) continue;
        }
      }
      nodes.push({ name, path: p, lst, st, target });
    }
    const isDirNode = (n: Node): boolean => !!n.st && (n.st.mode & S_IFMT) === S_IFDIR;
    if (o.sort !== "none") {
      nodes.sort((a, b) => {
        if (o.dirsFirst || o.filesFirst) {
          const da = isDirNode(a) ? 0 : 1;
          const db = isDirNode(b) ? 0 : 1;
          if (da !== db) return o.dirsFirst ? da - db : db - da;
        }
        let c =
          o.sort === "mtime"
            ? (a.st?.mtimeMs ?? 0) - (b.st?.mtimeMs ?? 0) || compareBytes(a.name, b.name)
            : compareBytes(a.name, b.name);
        if (o.reverse) c = -c;
        return c;
      });
    }
    return nodes;
  }

  async children(nodes: Node[], prefix: string, level: number): Promise<void> {
    const o = this.o;
    const [tee, elbow, pipe, blank] = o.unicode
      ? ["├── ", "└── ", "│\u00a0\u00a0 ", "    "]
      : ["|-- ", "`-- ", "|   ", "    "];
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      const last = i === nodes.length - 1;
      const isLink = !!n.lst && (n.lst.mode & S_IFMT) === S_IFLNK;
      const isDir = !!n.st && (n.st.mode & S_IFMT) === S_IFDIR;
      const shownName = o.fullPath ? n.path : n.name;
      let line = o.noIndent ? "" : prefix + (last ? elbow : tee);
      line += this.paint(this.escape(shownName), this.colorCode(n.st, n.lst));
      let descend = isDir && level < o.maxLevel;
      let note = "";
      if (isLink) {
        line += ` -> ${this.paint(this.escape(n.target ?? ""), this.colorCode(n.st, undefined))}`;
        line += this.indicator(n.st);
        if (!o.follow) descend = false;
        else if (isDir && n.st && this.visited.has(`${n.st.dev}:${n.st.ino}`)) {
          descend = false;
          note = "  [recursive, not followed]";
        }
      } else line += this.indicator(n.st);
      let children: Node[] | undefined;
      if (descend) {
        try {
          children = await this.list(n.path);
        } catch {
          note = "  [error opening dir]";
          this.status = 2;
        }
        if (children && children.length > o.fileLimit) {
          note = `  [${children.length} entries exceeds filelimit, not opening dir]`;
          children = undefined;
        }
      }
      if (isDir) this.dirs++;
      else this.files++;
      if (o.prune && isDir && children && children.length === 0) {
        this.dirs--;
        continue;
      }
      await this.out.write(`${line}${note}\n`);
      if (children && n.st) {
        this.visited.add(`${n.st.dev}:${n.st.ino}`);
        await this.children(children, o.noIndent ? "" : prefix + (last ? blank : pipe), level + 1);
      }
    }
  }
}
