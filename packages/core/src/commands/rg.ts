/**
 * rg: ripgrep 13 as seen through a pipe (no tty: no heading, no line numbers unless -n, file
 * names when searching more than one file). Recursive search of "." by default, honouring
 * .ignore/.rgignore always and .gitignore inside a git repository (npm "ignore"), skipping
 * hidden files and binary files (files with a NUL byte). Files are visited in path order
 * (as `--sort path`). Flags: -n -N -i -S -s -w -x -v -c -l --files-without-match -o -e -F
 * -g -t -T --hidden --no-ignore -u -L -A -B -C -m --max-depth -0 -H --no-filename
 * --heading --no-heading --files --type-list -r --sort path --color never -q.
 */
import ignore, { type Ignore } from "ignore";
import { type DirEntry, isDirMode, isFileMode, O_RDONLY, type Stat } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError } from "./errors.ts";
import { OutBuffer } from "./lib/diff-outbuf.ts";
import { escapeRegex, translateRustRegex } from "./lib/rg-regex.ts";

const TYPES: Record<string, string[]> = {
  c: ["*.[chH]", "*.[chH].in", "*.cats"],
  cpp: [
    "*.[ChH]",
    "*.[ChH].in",
    "*.[ch]pp",
    "*.[ch]pp.in",
    "*.[ch]xx",
    "*.[ch]xx.in",
    "*.cc",
    "*.cc.in",
    "*.hh",
    "*.hh.in",
    "*.inl",
  ],
  css: ["*.css", "*.scss"],
  go: ["*.go"],
  html: ["*.ejs", "*.htm", "*.html"],
  java: ["*.java", "*.jsp", "*.jspx", "*.properties"],
  js: ["*.js", "*.jsx", "*.vue"],
  json: ["*.json", "composer.lock"],
  markdown: ["*.markdown", "*.md", "*.mdown", "*.mkdn"],
  md: ["*.markdown", "*.md", "*.mdown", "*.mkdn"],
  py: ["*.py"],
  rust: ["*.rs"],
  sh: [
    "*.bash",
    "*.bashrc",
    "*.csh",
    "*.cshrc",
    "*.ksh",
    "*.kshrc",
    "*.sh",
    "*.tcsh",
    "*.zsh",
    ".bash_login",
    ".bash_logout",
    ".bash_profile",
    ".bashrc",
    ".cshrc",
    ".kshrc",
    ".login",
    ".logout",
    ".profile",
    ".tcshrc",
    ".zlogin",
    ".zlogout",
    ".zprofile",
    ".zshenv",
    ".zshrc",
    "bash_login",
    "bash_logout",
    "bash_profile",
    "bashrc",
    "profile",
    "zlogin",
    "zlogout",
    "zprofile",
    "zshenv",
    "zshrc",
  ],
  toml: ["*.toml", "Cargo.lock"],
  ts: ["*.ts", "*.tsx"],
  txt: ["*.txt"],
  yaml: ["*.yaml", "*.yml"],
};

interface RgOptions {
  patterns: string[];
  fixed: boolean;
  caseMode: "sensitive" | "insensitive" | "smart";
  word: boolean;
  line: boolean;
  invert: boolean;
  count: boolean;
  filesWithMatches: boolean;
  filesWithoutMatch: boolean;
  onlyMatching: boolean;
  lineNumber: boolean | undefined;
  withFilename: boolean | undefined;
  heading: boolean;
  globs: string[];
  types: string[];
  typesNot: string[];
  hidden: boolean;
  noIgnore: boolean;
  follow: boolean;
  after: number;
  before: number;
  maxCount: number;
  maxDepth: number;
  /** Lines longer than this many bytes print as "[Omitted long ... line]" (0: no limit). */
  maxColumns: number;
  /** The working directory: globs match paths relative to it, as ripgrep's overrides do. */
  cwd: string;
  nul: boolean;
  files: boolean;
  replace: string | undefined;
  quiet: boolean;
  typeList: boolean;
}

class RgUsage extends Error {}

/** Flags taking a value, by spelling. */
const VALUE_FLAGS: Record<string, string> = {
  "-e": "regexp",
  "--regexp": "regexp",
  "-g": "glob",
  "--glob": "glob",
  "-t": "type",
  "--type": "type",
  "-T": "type-not",
  "--type-not": "type-not",
  "-A": "after",
  "--after-context": "after",
  "-B": "before",
  "--before-context": "before",
  "-C": "context",
  "--context": "context",
  "-m": "max-count",
  "--max-count": "max-count",
  "--max-depth": "max-depth",
  "--maxdepth": "max-depth",
  "-M": "max-columns",
  "--max-columns": "max-columns",
  "-r": "replace",
  "--replace": "replace",
  "--sort": "sort",
  "--color": "color",
  "--colour": "color",
};

const BOOL_FLAGS: Record<string, string> = {
  "-n": "line-number",
  "--line-number": "line-number",
  "-N": "no-line-number",
  "--no-line-number": "no-line-number",
  "-i": "ignore-case",
  "--ignore-case": "ignore-case",
  "-S": "smart-case",
  "--smart-case": "smart-case",
  "-s": "case-sensitive",
  "--case-sensitive": "case-sensitive",
  "-w": "word",
  "--word-regexp": "word",
  "-x": "line",
  "--line-regexp": "line",
  "-v": "invert",
  "--invert-match": "invert",
  "-c": "count",
  "--count": "count",
  "-l": "files-with-matches",
  "--files-with-matches": "files-with-matches",
  "--files-without-match": "files-without-match",
  "-o": "only-matching",
  "--only-matching": "only-matching",
  "-F": "fixed",
  "--fixed-strings": "fixed",
  "--hidden": "hidden",
  "--no-ignore": "no-ignore",
  "-u": "u",
  "--unrestricted": "u",
  "-L": "follow",
  "--follow": "follow",
  "-0": "null",
  "--null": "null",
  "-H": "with-filename",
  "--with-filename": "with-filename",
  "--no-filename": "no-filename",
  "--heading": "heading",
  "--no-heading": "no-heading",
  "--files": "files",
  "--type-list": "type-list",
  "-q": "quiet",
  "--quiet": "quiet",
  "--help": "help",
  "-h": "help",
  "-V": "version",
  "--version": "version",
};

function parseArgs(args: string[], cwd: string): { opts: RgOptions; paths: string[] } {
  const o: RgOptions = {
    patterns: [],
    fixed: false,
    caseMode: "sensitive",
    word: false,
    line: false,
    invert: false,
    count: false,
    filesWithMatches: false,
    filesWithoutMatch: false,
    onlyMatching: false,
    lineNumber: undefined,
    withFilename: undefined,
    heading: false,
    globs: [],
    types: [],
    typesNot: [],
    hidden: false,
    noIgnore: false,
    follow: false,
    after: 0,
    before: 0,
    maxCount: Number.POSITIVE_INFINITY,
    maxDepth: Number.POSITIVE_INFINITY,
    maxColumns: 0,
    cwd,
    nul: false,
    files: false,
    replace: undefined,
    quiet: false,
    typeList: false,
  };
  const positional: string[] = [];
  const num = (flag: string, v: string): number => {
    if (!/^[0-9]+$/.test(v))
      throw new RgUsage(`error: Invalid value for '${flag}': invalid digit found in string`);
    return Number(v);
  };
  const apply = (key: string, flag: string, value?: string): void => {
    switch (key) {
      case "regexp":
        o.patterns.push(value ?? "");
        break;
      case "glob":
        o.globs.push(value ?? "");
        break;
      case "type":
      case "type-not": {
        const v = value ?? "";
        if (!TYPES[v]) throw new RgUsage(`unrecognized file type: ${v}`);
        (key === "type" ? o.types : o.typesNot).push(v);
        break;
      }
      case "after":
        o.after = num(flag, value ?? "");
        break;
      case "before":
        o.before = num(flag, value ?? "");
        break;
      case "context":
        o.after = o.before = num(flag, value ?? "");
        break;
      case "max-count":
        o.maxCount = num(flag, value ?? "");
        break;
      case "max-depth":
        o.maxDepth = num(flag, value ?? "");
        break;
      case "max-columns":
        o.maxColumns = num(flag, value ?? "");
        break;
      case "replace":
        o.replace = value;
        break;
      case "sort":
        if (value !== "path" && value !== "none") {
          throw new RgUsage(`rg: option '--sort ${value}' is not supported (only path)`);
        }
        break;
      case "color":
        if (value !== "never" && value !== "auto") {
          throw new RgUsage(`rg: option '--color ${value}' is not supported`);
        }
        break;
      case "line-number":
        o.lineNumber = true;
        break;
      case "no-line-number":
        o.lineNumber = false;
        break;
      case "ignore-case":
        o.caseMode = "insensitive";
        break;
      case "smart-case":
        o.caseMode = "smart";
        break;
      case "case-sensitive":
        o.caseMode = "sensitive";
        break;
      case "word":
        o.word = true;
        break;
      case "line":
        o.line = true;
        break;
      case "invert":
        o.invert = true;
        break;
      case "count":
        o.count = true;
        break;
      case "files-with-matches":
        o.filesWithMatches = true;
        break;
      case "files-without-match":
        o.filesWithoutMatch = true;
        break;
      case "only-matching":
        o.onlyMatching = true;
        break;
      case "fixed":
        o.fixed = true;
        break;
      case "hidden":
        o.hidden = true;
        break;
      case "no-ignore":
        o.noIgnore = true;
        break;
      case "u":
        if (o.noIgnore) o.hidden = true;
        o.noIgnore = true;
        break;
      case "follow":
        o.follow = true;
        break;
      case "null":
        o.nul = true;
        break;
      case "with-filename":
        o.withFilename = true;
        break;
      case "no-filename":
        o.withFilename = false;
        break;
      case "heading":
        o.heading = true;
        break;
      case "no-heading":
        o.heading = false;
        break;
      case "files":
        o.files = true;
        break;
      case "type-list":
        o.typeList = true;
        break;
      case "quiet":
        o.quiet = true;
        break;
      case "help":
        throw new RgUsage("help");
      case "version":
        throw new RgUsage("version");
    }
  };
  let i = 0;
  let endOfOptions = false;
  for (; i < args.length; i++) {
    const arg = args[i];
    if (endOfOptions || arg === "-" || !arg.startsWith("-")) {
      positional.push(arg);
      continue;
    }
    if (arg === "--") {
      endOfOptions = true;
      continue;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg : arg.slice(0, eq);
      if (name === "--json") throw new RgUsage("rg: option '--json' is not supported");
      if (VALUE_FLAGS[name]) {
        let value: string;
        if (eq >= 0) value = arg.slice(eq + 1);
        else {
          if (i + 1 >= args.length) throw new RgUsage(missingValue(name, o, positional));
          value = args[++i];
        }
        apply(VALUE_FLAGS[name], name, value);
      } else if (BOOL_FLAGS[name] && eq < 0) apply(BOOL_FLAGS[name], name);
      else throw new RgUsage(unexpected(arg));
      continue;
    }
    // Short flags, possibly clustered ("-in", "-C2", "-uu").
    for (let j = 1; j < arg.length; j++) {
      const flag = `-${arg[j]}`;
      if (VALUE_FLAGS[flag]) {
        let value = arg.slice(j + 1);
        if (value === "") {
          if (i + 1 >= args.length) throw new RgUsage(missingValue(flag, o, positional));
          value = args[++i];
        }
        apply(VALUE_FLAGS[flag], flag, value);
        break;
      }
      if (BOOL_FLAGS[flag]) apply(BOOL_FLAGS[flag], flag);
      else throw new RgUsage(unexpected(flag));
    }
  }
  if (o.patterns.length === 0 && !o.files && !o.typeList) {
    const first = positional.shift();
    if (first === undefined) throw new RgUsage("no pattern");
    o.patterns.push(first);
  }
  return { opts: o, paths: positional };
}

const USAGE = `USAGE:
    
    rg [OPTIONS] PATTERN [PATH ...]
    rg [OPTIONS] -e PATTERN ... [PATH ...]
    rg [OPTIONS] -f PATTERNFILE ... [PATH ...]
    rg [OPTIONS] --files [PATH ...]
    rg [OPTIONS] --type-list
    command | rg [OPTIONS] PATTERN
    rg [OPTIONS] --help
    rg [OPTIONS] --version

For more information try --help

`;

function unexpected(arg: string): string {
  return `error: Found argument '${arg}' which wasn't expected, or isn't valid in this context\n\n${USAGE}`;
}

function missingValue(flag: string, o: RgOptions, positional: string[]): string {
  // clap reports the missing PATTERN first when nothing could be the pattern.
  if (o.patterns.length === 0 && positional.length === 0 && !o.files && !o.typeList)
    return "no pattern";
  return `error: The argument '${flag} <value>' requires a value but none was supplied\n\n${USAGE}`;
}

interface Matcher {
  /** Match ranges [start, end) in a line (a JS string). */
  find(line: string): [number, number][];
  test(line: string): boolean;
  regex: RegExp;
}

function buildMatcher(o: RgOptions): Matcher {
  const parts = o.patterns.map((p) => {
    if (o.fixed) return { source: escapeRegex(p), flags: "" };
    return translateRustRegex(p);
  });
  let flags = "gu";
  const anyUpper = o.patterns.some((p) => /[A-Z]/.test(p.replace(/\\[A-Za-z]/g, "")));
  if (o.caseMode === "insensitive" || (o.caseMode === "smart" && !anyUpper)) flags += "i";
  if (parts.some((p) => p.flags.includes("i"))) flags = flags.includes("i") ? flags : `${flags}i`;
  if (parts.some((p) => p.flags.includes("s"))) flags += "s";
  let source = parts.map((p) => `(?:${p.source})`).join("|");
  if (o.line) source = `^(?:${source})$`;
  else if (o.word) source = `(?<![\\p{L}\\p{N}_])(?:${source})(?![\\p{L}\\p{N}_])`;
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch (err) {
    throw new RgUsage(
      `regex parse error:\n    ${o.patterns.join("|")}\nerror: ${(err as Error).message}`,
    );
  }
  return {
    regex,
    test(line) {
      regex.lastIndex = 0;
      return regex.test(line);
    },
    find(line) {
      const out: [number, number][] = [];
      regex.lastIndex = 0;
      for (;;) {
        const m = regex.exec(line);
        if (!m) break;
        if (m[0].length === 0) {
          regex.lastIndex++;
          if (regex.lastIndex > line.length + 1) break;
          continue;
        }
        out.push([m.index, m.index + m[0].length]);
      }
      return out;
    },
  };
}

const decoder = new TextDecoder();

class Searcher {
  readonly ctx: ProcessContext;
  readonly o: RgOptions;
  readonly out: OutBuffer;
  readonly matcher: Matcher | undefined;
  showNames = true;
  lineNumbers = false;
  matched = false;
  errored = false;
  firstHeading = true;

  constructor(ctx: ProcessContext, o: RgOptions, matcher: Matcher | undefined) {
    this.ctx = ctx;
    this.o = o;
    this.matcher = matcher;
    this.out = new OutBuffer(ctx);
  }

  async error(msg: string): Promise<void> {
    this.errored = true;
    await this.out.flush();
    await this.ctx.err(`${msg}\n`);
  }

  async search(display: string, data: Uint8Array): Promise<void> {
    const o = this.o;
    if (data.includes(0)) return; // binary: skipped as ripgrep does when walking
    const m = this.matcher as Matcher;
    const text = decoder.decode(data);
    const lines = text.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    const sep = o.nul ? "\0" : ":";
    let count = 0;
    const parts: string[] = [];
    const name = this.showNames && !o.heading ? display : "";
    const prefix = (lineNo: number, mark: string): string => {
      let s = "";
      if (name) s += name + (o.nul ? "\0" : mark);
      if (this.lineNumbers) s += `${lineNo}${mark}`;
      return s;
    };
    const tooLong = (text: string): boolean =>
      o.maxColumns > 0 && Buffer.byteLength(text, "utf8") > o.maxColumns;
    const matching = (text: string): string =>
      tooLong(text) ? "[Omitted long matching line]" : text;
    const contextLine = (text: string): string =>
      tooLong(text) ? "[Omitted long context line]" : text;
    let lastPrinted = -1;
    let afterLeft = 0;
    const context = o.after > 0 || o.before > 0;
    const quietMode = o.count || o.filesWithMatches || o.filesWithoutMatch || o.quiet;
    for (let i = 0; i < lines.length; i++) {
      if (count >= o.maxCount) {
        if (afterLeft <= 0 || quietMode) break;
      }
      const line = lines[i];
      const isMatch = m.test(line) !== o.invert;
      if (isMatch && count < o.maxCount) {
        count++;
        if (quietMode) continue;
        if (context) {
          const from = Math.max(lastPrinted + 1, i - o.before);
          if (lastPrinted >= 0 && from > lastPrinted + 1) parts.push("--\n");
          for (let k = from; k < i; k++)
            parts.push(`${prefix(k + 1, "-")}${contextLine(lines[k])}\n`);
        }
        if (o.onlyMatching && !o.invert) {
          for (const [s, e] of m.find(line)) {
            const piece =
              o.replace !== undefined ? this.replaceText(line.slice(s, e)) : line.slice(s, e);
            parts.push(`${prefix(i + 1, ":")}${matching(piece)}\n`);
          }
        } else if (o.replace !== undefined && !o.invert) {
          m.regex.lastIndex = 0;
          const replaced = line.replace(m.regex, (...args) => this.expand(args));
          parts.push(`${prefix(i + 1, ":")}${matching(replaced)}\n`);
        } else parts.push(`${prefix(i + 1, ":")}${matching(line)}\n`);
        lastPrinted = i;
        afterLeft = o.after;
      } else if (afterLeft > 0 && !quietMode) {
        if (count >= o.maxCount && isMatch) break;
        parts.push(`${prefix(i + 1, "-")}${contextLine(line)}\n`);
        lastPrinted = i;
        afterLeft--;
      }
    }
    if (count > 0 && !o.filesWithoutMatch) this.matched = true;
    if (o.quiet) return;
    if (o.filesWithMatches) {
      if (count > 0) await this.out.text(encodeUtf8(`${display}${o.nul ? "\0" : "\n"}`));
      return;
    }
    if (o.filesWithoutMatch) {
      if (count === 0) this.matched = true;
      if (count === 0) await this.out.text(encodeUtf8(`${display}${o.nul ? "\0" : "\n"}`));
      return;
    }
    if (o.count) {
      if (count > 0)
        await this.out.text(
          encodeUtf8(this.showNames ? `${display}${sep}${count}\n` : `${count}\n`),
        );
      return;
    }
    if (parts.length === 0) return;
    if (o.heading && this.showNames) {
      if (!this.firstHeading) parts.unshift("\n");
      parts.splice(this.firstHeading ? 0 : 1, 0, `${display}\n`);
      this.firstHeading = false;
    } else if (context && this.anyPrinted) {
      if (parts[0] !== "--\n") parts.unshift("--\n");
    }
    this.anyPrinted = true;
    await this.out.text(encodeUtf8(parts.join("")));
  }

  anyPrinted = false;

  replaceText(matchText: string): string {
    const m = this.matcher as Matcher;
    const re = new RegExp(m.regex.source, m.regex.flags.replace("g", ""));
    return matchText.replace(re, (...args) => this.expand(args));
  }

  /** Expands $1, ${name}, $$ in the replacement (Rust syntax). */
  expand(args: unknown[]): string {
    const match = args[0] as string;
    const last = args[args.length - 1];
    const groups =
      typeof last === "object" && last !== null ? (last as Record<string, string>) : {};
    const numbered: string[] = [];
    for (let k = 1; k < args.length; k++) {
      if (typeof args[k] === "number") break;
      numbered.push((args[k] as string | undefined) ?? "");
    }
    const rep = this.o.replace ?? "";
    return rep.replace(
      /\$(\$|\{([A-Za-z0-9_]+)\}|([0-9]+)|([A-Za-z_][A-Za-z0-9_]*))/g,
      (_all, d, braced, digits, bare) => {
        if (d === "$") return "$";
        const key = braced ?? digits ?? bare;
        if (/^[0-9]+$/.test(key)) {
          const n = Number(key);
          return n === 0 ? match : (numbered[n - 1] ?? "");
        }
        return groups[key] ?? "";
      },
    );
  }
}

/** Output is UTF-8; OutBuffer.text takes latin1 strings, so convert. */
function encodeUtf8(s: string): string {
  return Buffer.from(s, "utf8").toString("latin1");
}

function matchesType(name: string, globs: string[]): boolean {
  return ignore().add(globs).ignores(name);
}

export const rg: CommandDefinition = {
  name: "rg",
  async main(ctx) {
    let parsed: ReturnType<typeof parseArgs>;
    let matcher: Matcher | undefined;
    try {
      parsed = parseArgs(ctx.argv.slice(1), ctx.cwd);
      if (parsed.opts.typeList) {
        const lines = Object.keys(TYPES)
          .sort()
          .map((t) => `${t}: ${TYPES[t].join(", ")}\n`);
        await ctx.out(lines.join(""));
        return 0;
      }
      if (!parsed.opts.files) matcher = buildMatcher(parsed.opts);
    } catch (err) {
      if (!(err instanceof RgUsage)) throw err;
      if (err.message === "help") {
        await ctx.out(`ripgrep 13.0.0\n\n${USAGE}`);
        return 0;
      }
      if (err.message === "version") {
        await ctx.out("ripgrep 13.0.0\n");
        return 0;
      }
      if (err.message === "no pattern") {
        // USAGE ends with the blank line clap prints.
        await ctx.err(
          `error: The following required arguments were not provided:\n    <PATTERN>\n\n${USAGE}`,
        );
        return 2;
      }
      await ctx.err(err.message.endsWith("\n") ? err.message : `${err.message}\n`);
      return 2;
    }
    const { opts: o, paths } = parsed;
    const s = new Searcher(ctx, o, matcher);
    const explicit = paths.length > 0;
    const roots = explicit ? paths : ["."];
    // Without paths and with stdin not searched (our stdin is never a tty: rg would read it,
    // but only when no path is given and stdin is a pipe or file).
    let searchStdin = false;
    if (!explicit && !o.files) {
      try {
        const st = await ctx.fstat(0);
        const kind = st.mode & 0o170000;
        searchStdin = kind === 0o010000 || (kind === 0o100000 && st.size > 0);
      } catch {
        searchStdin = false;
      }
    }
    const singleFile = explicit && paths.length === 1 && (await isRegularFile(ctx, paths[0]));
    s.showNames = o.withFilename ?? !(singleFile || searchStdin);
    s.lineNumbers = o.lineNumber ?? false;
    if (searchStdin) {
      const data = await ctx.readAll(0);
      s.showNames = o.withFilename ?? false;
      await s.search("<stdin>", data);
      await s.out.flush();
      return s.matched ? 0 : 1;
    }
    const inGit = o.noIgnore ? false : await insideGitRepo(ctx);
    for (const root of roots) {
      let st: Stat;
      try {
        st = await ctx.stat(root);
      } catch (err) {
        await s.error(`${root}: ${describeError(err)} (os error ${errno(err)})`);
        continue;
      }
      if (!isDirMode(st.mode)) {
        await visitFile(ctx, s, o, root, root, true);
        continue;
      }
      await walk(ctx, s, o, root, explicit ? root : "", 0, [], inGit);
    }
    await s.out.flush();
    if (s.errored) return 2;
    if (o.files) return s.matched ? 0 : 1;
    return s.matched ? 0 : 1;
  },
};

function errno(err: unknown): number {
  const code = (err as { code?: string }).code;
  const table: Record<string, number> = { ENOENT: 2, EACCES: 13, ENOTDIR: 20, EISDIR: 21 };
  return code ? (table[code] ?? 5) : 5;
}

async function isRegularFile(ctx: ProcessContext, path: string): Promise<boolean> {
  try {
    return isFileMode((await ctx.stat(path)).mode);
  } catch {
    return false;
  }
}

async function insideGitRepo(ctx: ProcessContext): Promise<boolean> {
  let dir = ctx.cwd;
  for (;;) {
    try {
      await ctx.stat(`${dir === "/" ? "" : dir}/.git`);
      return true;
    } catch {
      // keep looking upwards
    }
    if (dir === "/" || dir === "") return false;
    dir = dir.slice(0, dir.lastIndexOf("/")) || "/";
  }
}

interface IgnoreLevel {
  /** Display path of the directory holding the ignore files ("" for "."). */
  base: string;
  ig: Ignore;
}

function relTo(base: string, path: string): string {
  if (base === "") return path;
  return path.slice(base.length + 1);
}

function joinDisplay(dir: string, name: string): string {
  if (dir === "") return name;
  return dir.endsWith("/") ? `${dir}${name}` : `${dir}/${name}`;
}

async function readIgnore(
  ctx: ProcessContext,
  dir: string,
  names: string[],
): Promise<Ignore | undefined> {
  let ig: Ignore | undefined;
  for (const n of names) {
    try {
      const text = decoder.decode(await ctx.readFile(joinDisplay(dir === "" ? "." : dir, n)));
      ig ??= ignore();
      ig.add(text);
    } catch {
      // no such ignore file
    }
  }
  return ig;
}

function ignoredBy(levels: IgnoreLevel[], display: string, isDir: boolean): boolean {
  let ignored = false;
  for (const level of levels) {
    const rel = relTo(level.base, display);
    if (rel === "" || rel.startsWith("..")) continue;
    const r = level.ig.test(isDir ? `${rel}/` : rel);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

async function walk(
  ctx: ProcessContext,
  s: Searcher,
  o: RgOptions,
  fsDir: string,
  display: string,
  depth: number,
  levels: IgnoreLevel[],
  inGit: boolean,
): Promise<void> {
  if (depth >= o.maxDepth) return;
  let entries: DirEntry[];
  try {
    entries = await ctx.readdir(fsDir);
  } catch (err) {
    await s.error(`${fsDir}: ${describeError(err)} (os error ${errno(err)})`);
    return;
  }
  let here = levels;
  if (!o.noIgnore) {
    const names = inGit ? [".gitignore", ".ignore", ".rgignore"] : [".ignore", ".rgignore"];
    const ig = await readIgnore(ctx, display === "" ? fsDir : display, names);
    if (ig) here = [...levels, { base: display, ig }];
  }
  const sorted = entries
    .map((e) => e.name)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const name of sorted) {
    if (name === ".git" && !o.noIgnore) continue;
    if (name === ".git" && o.noIgnore && !o.hidden) continue;
    if (!o.hidden && name.startsWith(".")) continue;
    const childFs = joinDisplay(fsDir, name);
    const childDisplay = joinDisplay(display, name);
    let st: Stat;
    try {
      st = o.follow ? await ctx.stat(childFs) : await ctx.lstat(childFs);
    } catch {
      continue;
    }
    const isDir = isDirMode(st.mode);
    if (!o.noIgnore && ignoredBy(here, childDisplay, isDir)) continue;
    if (isDir) {
      if (globExcludesDir(o, childDisplay, display)) continue;
      await walk(ctx, s, o, childFs, childDisplay, depth + 1, here, inGit);
    } else if (isFileMode(st.mode)) {
      if (!fileSelected(o, name, childDisplay, display)) continue;
      await visitFile(ctx, s, o, childFs, childDisplay, false);
    }
  }
}

/**
 * The path globs are matched against: relative, as the glob matcher requires. An absolute
 * path (the search root was given absolute) is taken relative to the working directory when
 * inside it, else from the filesystem root.
 */
function globRel(o: RgOptions, display: string): string {
  if (!display.startsWith("/")) return display.replace(/^\.\//, "");
  const cwd = o.cwd.endsWith("/") ? o.cwd : `${o.cwd}/`;
  return display.startsWith(cwd) ? display.slice(cwd.length) : display.replace(/^\/+/, "");
}

function globExcludesDir(o: RgOptions, childDisplay: string, _parent: string): boolean {
  const negs = o.globs.filter((g) => g.startsWith("!")).map((g) => g.slice(1));
  if (negs.length === 0) return false;
  return ignore()
    .add(negs)
    .ignores(`${globRel(o, childDisplay)}/`);
}

function fileSelected(o: RgOptions, name: string, childDisplay: string, _parent: string): boolean {
  if (o.globs.length > 0) {
    const rel = globRel(o, childDisplay);
    const pos = o.globs.filter((g) => !g.startsWith("!"));
    const neg = o.globs.filter((g) => g.startsWith("!")).map((g) => g.slice(1));
    if (pos.length > 0 && !ignore().add(pos).ignores(rel)) return false;
    if (neg.length > 0 && ignore().add(neg).ignores(rel)) return false;
  }
  if (o.types.length > 0 && !o.types.some((t) => matchesType(name, TYPES[t]))) return false;
  if (o.typesNot.some((t) => matchesType(name, TYPES[t]))) return false;
  return true;
}

async function visitFile(
  ctx: ProcessContext,
  s: Searcher,
  o: RgOptions,
  fsPath: string,
  display: string,
  _explicit: boolean,
): Promise<void> {
  if (o.files) {
    s.matched = true;
    await s.out.text(encodeUtf8(`${display}${o.nul ? "\0" : "\n"}`));
    return;
  }
  let fd: number;
  try {
    fd = await ctx.open(fsPath, O_RDONLY);
  } catch (err) {
    await s.error(`${display}: ${describeError(err)} (os error ${errno(err)})`);
    return;
  }
  try {
    const data = await ctx.readAll(fd);
    await s.search(display, data);
  } finally {
    ctx.close(fd);
  }
}
