/**
 * tar (GNU tar 1.34 subset): create (-c), extract (-x) and list (-t) archives, in a file (-f)
 * or on stdin/stdout. Options: -f -C -z -a -v -p -O -k -m, --strip-components, --exclude,
 * member operands, old-style bundles (`tar czf x.tgz dir`). Reading detects gzip by itself,
 * as GNU does. Archives are handled whole in memory (lib/archive-tar.ts, via tar-stream).
 */
import picomatch from "picomatch";
import { S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError } from "./errors.ts";
import { GzipError, gzipCompress, gzipDecompress } from "./lib/archive-gzip.ts";
import { NotTarError, packTar, type TarEntry, TarLister, unpackTar } from "./lib/archive-tar.ts";
import { loadIdTables } from "./lib/file-users.ts";

const TRY = "Try 'tar --help' or 'tar --usage' for more information.\n";

interface TarOptions {
  op: "c" | "x" | "t" | undefined;
  file: string | undefined;
  directory: string | undefined;
  gzip: boolean;
  auto: boolean;
  verbose: number;
  preserve: boolean;
  toStdout: boolean;
  keepOld: boolean;
  touch: boolean;
  strip: number;
  excludes: string[];
  operands: string[];
}

class UsageError extends Error {
  /** 64 (EX_USAGE) for options argp rejects, 2 for tar's own usage complaints. */
  readonly status: number;
  constructor(message: string, status = 2) {
    super(message);
    this.status = status;
  }
}

/** Options that take an argument (short letters). */
const WITH_ARG = new Set(["f", "C", "X", "T", "b", "H"]);

const LONG_FLAGS: Record<string, string> = {
  "--create": "c",
  "--extract": "x",
  "--get": "x",
  "--list": "t",
  "--gzip": "z",
  "--gunzip": "z",
  "--ungzip": "z",
  "--auto-compress": "a",
  "--verbose": "v",
  "--preserve-permissions": "p",
  "--same-permissions": "p",
  "--to-stdout": "O",
  "--keep-old-files": "k",
  "--touch": "m",
};

const IGNORED_LONG = new Set([
  "--no-same-owner",
  "--same-owner",
  "--no-same-permissions",
  "--overwrite",
  "--wildcards",
  "--no-wildcards",
  "--anchored",
  "--recursion",
  "--numeric-owner",
]);

function parseArgs(argv: string[]): TarOptions {
  const o: TarOptions = {
    op: undefined,
    file: undefined,
    directory: undefined,
    gzip: false,
    auto: false,
    verbose: 0,
    preserve: false,
    toStdout: false,
    keepOld: false,
    touch: false,
    strip: 0,
    excludes: [],
    operands: [],
  };
  const setOp = (op: "c" | "x" | "t"): void => {
    if (o.op !== undefined && o.op !== op) {
      throw new UsageError(
        "You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option",
      );
    }
    o.op = op;
  };
  const flag = (letter: string, value: () => string): void => {
    switch (letter) {
      case "c":
      case "x":
      case "t":
        setOp(letter);
        return;
      case "f":
        o.file = value();
        return;
      case "C":
        o.directory = value();
        return;
      case "z":
        o.gzip = true;
        return;
      case "a":
        o.auto = true;
        return;
      case "v":
        o.verbose++;
        return;
      case "p":
        o.preserve = true;
        return;
      case "O":
        o.toStdout = true;
        return;
      case "k":
        o.keepOld = true;
        return;
      case "m":
        o.touch = true;
        return;
      case "j":
      case "J":
      case "Z":
        throw new UsageError(`option '-${letter}' is not supported`);
      default:
        throw new UsageError(`invalid option -- '${letter}'`, 64);
    }
  };
  let i = 0;
  // Old style: the first word is a bundle of letters without '-'; arguments follow in order.
  if (argv.length > 0 && !argv[0].startsWith("-")) {
    const letters = argv[0];
    i = 1;
    for (const letter of letters) {
      flag(letter, () => {
        if (i >= argv.length) throw new UsageError(`Old option '${letter}' requires an argument.`);
        return argv[i++];
      });
    }
  }
  let done = false;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (done || arg === "-" || !arg.startsWith("-")) {
      o.operands.push(arg);
      continue;
    }
    if (arg === "--") {
      done = true;
      continue;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const key = eq < 0 ? arg : arg.slice(0, eq);
      const value = (): string => {
        if (eq >= 0) return arg.slice(eq + 1);
        if (i + 1 >= argv.length) throw new UsageError(`option '${key}' requires an argument`, 64);
        return argv[++i];
      };
      if (LONG_FLAGS[key]) flag(LONG_FLAGS[key], value);
      else if (key === "--file") o.file = value();
      else if (key === "--directory") o.directory = value();
      else if (key === "--exclude") o.excludes.push(value());
      else if (key === "--strip-components" || key === "--strip") {
        const v = value();
        if (!/^[0-9]+$/.test(v)) throw new UsageError(`${v}: Invalid number of elements`);
        o.strip = Number(v);
      } else if (IGNORED_LONG.has(key)) {
        // Defaults here already (no owners are changed; existing files are replaced).
      } else {
        throw new UsageError(`unrecognized option '${arg}'`, 64);
      }
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j];
      if (WITH_ARG.has(letter)) {
        const rest = arg.slice(j + 1);
        j = arg.length;
        flag(letter, () => {
          if (rest !== "") return rest;
          if (i + 1 >= argv.length)
            throw new UsageError(`option requires an argument -- '${letter}'`, 64);
          return argv[++i];
        });
      } else {
        flag(letter, () => "");
      }
    }
  }
  return o;
}

class Tar {
  readonly ctx: ProcessContext;
  readonly o: TarOptions;
  failed = false;
  /** A fatal error was reported ("Error is not recoverable"): no closing message. */
  fatal = false;
  readonly namePrefixes = new Set<string>();
  readonly linkPrefixes = new Set<string>();
  /** Symlinks whose targets could lead out of the tree: placeholders now, links at the end. */
  readonly delayedLinks: { path: string; target: string; ino: number }[] = [];
  readonly exclude: ((name: string) => boolean) | undefined;

  constructor(ctx: ProcessContext, o: TarOptions) {
    this.ctx = ctx;
    this.o = o;
    if (o.excludes.length > 0) {
      const matchers = o.excludes.map((p) => picomatch(p, { dot: true, bash: true }));
      this.exclude = (name: string): boolean => {
        const parts = name.replace(/\/+$/, "").split("/");
        // GNU matches the pattern against the name and against every trailing part of it.
        // GNU matches unanchored and with FNM_LEADING_DIR: any run of components may match.
        for (let k = 0; k < parts.length; k++) {
          for (let n = 1; n <= parts.length - k; n++) {
            const sub = parts.slice(k, k + n).join("/");
            if (matchers.some((m) => m(sub))) return true;
          }
        }
        return false;
      };
    }
  }

  async error(message: string): Promise<void> {
    await this.ctx.err(`tar: ${message}\n`);
    this.failed = true;
  }

  under(path: string): string {
    if (path.startsWith("/") || this.o.directory === undefined) return path;
    return `${this.o.directory.replace(/\/+$/, "")}/${path}`;
  }

  /**
   * GNU safer_name_suffix: drops leading slashes and every leading part up to the last ".."
   * component, saying so once per distinct prefix ("Removing leading `../' from member
   * names"); an emptied name becomes ".".
   */
  async saferName(name: string, linkTarget = false): Promise<string> {
    let prefixLen = 0;
    let p = 0;
    while (p < name.length) {
      if (name.startsWith("..", p) && (p + 2 === name.length || name[p + 2] === "/")) {
        prefixLen = p + 2;
      }
      do {
        const c = name[p++];
        if (c === "/") break;
      } while (p < name.length);
    }
    while (name[prefixLen] === "/") prefixLen++;
    if (prefixLen > 0) {
      const prefix = name.slice(0, prefixLen);
      const seen = linkTarget ? this.linkPrefixes : this.namePrefixes;
      if (!seen.has(prefix)) {
        seen.add(prefix);
        const what = linkTarget ? "hard link targets" : "member names";
        await this.ctx.err(`tar: Removing leading \`${prefix}' from ${what}\n`);
      }
    }
    const rest = name.slice(prefixLen);
    if (rest === "") {
      if (prefixLen === 0) {
        const what = linkTarget ? "hard link target" : "member name";
        await this.ctx.err(`tar: Substituting \`.' for empty ${what}\n`);
      }
      return ".";
    }
    return rest;
  }

  async create(): Promise<void> {
    const o = this.o;
    if (o.operands.length === 0) {
      throw new UsageError("Cowardly refusing to create an empty archive");
    }
    const ids = await loadIdTables(this.ctx);
    const entries: TarEntry[] = [];
    const verboseFd = o.file === undefined || o.file === "-" ? 2 : 1;
    const lister = new TarLister();
    const add = async (path: string, name: string): Promise<void> => {
      if (this.exclude?.(name)) return;
      let st: Awaited<ReturnType<ProcessContext["lstat"]>>;
      try {
        st = await this.ctx.lstat(this.under(path));
      } catch (err) {
        await this.error(`${path}: Cannot stat: ${describeError(err)}`);
        return;
      }
      const kind = st.mode & S_IFMT;
      const entry: TarEntry = {
        name,
        type: "file",
        mode: st.mode & 0o7777,
        uid: st.uid,
        gid: st.gid,
        uname: ids.userName(st.uid) ?? "",
        gname: ids.groupName(st.gid) ?? "",
        size: 0,
        mtime: Math.floor(st.mtimeMs / 1000),
        linkname: "",
        data: new Uint8Array(0),
      };
      if (kind === S_IFDIR) {
        entry.type = "directory";
        entry.name = name.endsWith("/") ? name : `${name}/`;
      } else if (kind === S_IFLNK) {
        entry.type = "symlink";
        entry.linkname = await this.ctx.readlink(this.under(path));
      } else if (kind === S_IFREG) {
        try {
          entry.data = await this.ctx.readFile(this.under(path));
        } catch (err) {
          await this.error(`${path}: Cannot open: ${describeError(err)}`);
          return;
        }
        entry.size = entry.data.length;
      } else {
        await this.error(`${path}: socket ignored`);
        return;
      }
      entries.push(entry);
      // -v names the file as it was given (GNU), though the member name is the safe one.
      const display = kind === S_IFDIR && !path.endsWith("/") ? `${path}/` : path;
      if (o.verbose > 0) {
        await this.ctx.write(verboseFd, o.verbose > 1 ? lister.line(entry) : `${display}\n`);
      }
      if (kind === S_IFDIR) {
        const children = await this.ctx.readdir(this.under(path));
        for (const child of children) {
          const base = path.endsWith("/") ? path : `${path}/`;
          const childName = name.endsWith("/") ? name : `${name}/`;
          await add(`${base}${child.name}`, `${childName}${child.name}`);
        }
      }
    };
    for (const operand of o.operands) {
      const name = (await this.saferName(operand)).replace(/\/+$/, "") || ".";
      await add(operand, operand === "/" ? "" : name);
    }
    let archive = await packTar(entries);
    const name = o.file ?? "-";
    if (o.gzip || (o.auto && /\.(tgz|taz|tar\.gz)$/.test(name))) {
      archive = gzipCompress(archive, { level: 6 });
    }
    if (name === "-") {
      for (let off = 0; off < archive.length; off += 65536) {
        await this.ctx.write(1, archive.subarray(off, off + 65536));
      }
    } else {
      await this.ctx.writeFile(name, archive);
    }
  }

  /** The archive's entries (decompressed), or undefined after a fatal message. */
  async read(): Promise<TarEntry[] | undefined> {
    const name = this.o.file ?? "-";
    let data: Uint8Array;
    try {
      data = name === "-" ? await this.ctx.readAll(0) : await this.ctx.readFile(name);
    } catch (err) {
      await this.ctx.err(
        `tar: ${name}: Cannot open: ${describeError(err)}\ntar: Error is not recoverable: exiting now\n`,
      );
      this.fatal = true;
      return undefined;
    }
    if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) {
      try {
        data = gzipDecompress(data).data;
      } catch (err) {
        if (!(err instanceof GzipError)) throw err;
        await this.ctx.err(
          `\ngzip: stdin: ${err.message}\ntar: Child returned status 1\ntar: Error is not recoverable: exiting now\n`,
        );
        this.fatal = true;
        return undefined;
      }
    } else if (this.o.gzip) {
      await this.ctx.err(
        "\ngzip: stdin: not in gzip format\ntar: Child returned status 1\ntar: Error is not recoverable: exiting now\n",
      );
      this.fatal = true;
      return undefined;
    }
    try {
      return await unpackTar(data);
    } catch (err) {
      if (err instanceof NotTarError || err instanceof Error) {
        await this.error("This does not look like a tar archive");
        return undefined;
      }
      throw err;
    }
  }

  /** Applies member operands and --exclude to the name as stored; false to skip. */
  matches(entry: TarEntry, found: Set<string>): boolean {
    const bare = entry.name.replace(/^\/+/, "").replace(/\/+$/, "");
    if (this.o.operands.length > 0) {
      const hit = this.o.operands.find((op) => {
        const b = op.replace(/\/+$/, "");
        return bare === b || bare.startsWith(`${b}/`);
      });
      if (hit === undefined) return false;
      found.add(hit);
    }
    return !this.exclude?.(bare);
  }

  /** --strip-components on the safe name; undefined when nothing is left. */
  strip(name: string): string | undefined {
    if (this.o.strip === 0) return name;
    const parts = name.split("/");
    if (parts.length <= this.o.strip) return undefined;
    const rest = parts.slice(this.o.strip).join("/");
    return rest === "" ? undefined : rest;
  }

  async notFound(found: Set<string>): Promise<void> {
    for (const op of this.o.operands) {
      if (!found.has(op)) await this.error(`${op}: Not found in archive`);
    }
  }

  async list(): Promise<void> {
    const entries = await this.read();
    if (!entries) return;
    const found = new Set<string>();
    const lister = new TarLister();
    const out: string[] = [];
    for (const raw of entries) {
      if (!this.matches(raw, found)) continue;
      const safe = await this.saferName(raw.name);
      const entry =
        raw.type === "link" ? { ...raw, linkname: await this.saferName(raw.linkname, true) } : raw;
      if (this.strip(safe) === undefined) continue;
      out.push(
        this.o.verbose > 0 ? lister.line({ ...entry, name: entry.name }) : `${entry.name}\n`,
      );
    }
    await this.ctx.out(out.join(""));
    await this.notFound(found);
  }

  async extract(): Promise<void> {
    const entries = await this.read();
    if (!entries) return;
    const o = this.o;
    const found = new Set<string>();
    const dirTimes: [string, number, number][] = [];
    const umask = o.preserve ? 0 : this.ctx.umask;
    for (const entry of entries) {
      if (!this.matches(entry, found)) continue;
      const safe = await this.saferName(entry.name);
      const linkTarget =
        entry.type === "link" ? await this.saferName(entry.linkname, true) : entry.linkname;
      const name = this.strip(safe);
      if (name === undefined) continue;
      if (containsDotDot(entry.name)) {
        await this.error(`${entry.name}: Member name contains '..'`);
        continue;
      }
      if (o.verbose > 0) await this.ctx.out(`${entry.name}\n`);
      if (o.toStdout) {
        if (entry.type === "file") await this.ctx.out(entry.data);
        continue;
      }
      const path = this.under(name.replace(/\/+$/, ""));
      try {
        await this.makeParents(path);
        if (entry.type === "directory") {
          try {
            await this.ctx.mkdir(path, 0o700);
          } catch (err) {
            if ((err as { code?: string }).code !== "EEXIST") throw err;
          }
          dirTimes.push([path, entry.mode & ~umask & 0o7777, entry.mtime]);
          continue;
        }
        if (await this.exists(path)) {
          if (o.keepOld) {
            await this.error(`${name}: Cannot open: File exists`);
            continue;
          }
          await this.ctx.unlink(path);
        }
        if (entry.type === "symlink") {
          if (entry.linkname.startsWith("/") || containsDotDot(entry.linkname)) {
            // GNU tar: such a link could lead a later member out of the tree, so an empty
            // placeholder stands in for it until everything else is extracted.
            await this.ctx.writeFile(path, new Uint8Array(0), 0);
            const st = await this.ctx.lstat(path);
            this.delayedLinks.push({ path, target: entry.linkname, ino: st.ino });
          } else {
            await this.ctx.symlink(entry.linkname, path);
          }
        } else if (entry.type === "link") {
          try {
            await this.ctx.link(this.under(linkTarget), path);
          } catch (err) {
            if (!this.ctx.alive) throw err;
            await this.error(`${name}: Cannot hard link to '${linkTarget}': ${describeError(err)}`);
          }
        } else {
          await this.ctx.writeFile(path, entry.data);
          await this.ctx.chmod(path, entry.mode & ~umask & 0o7777);
          if (!o.touch) await this.ctx.utimes(path, entry.mtime * 1000, entry.mtime * 1000);
        }
      } catch (err) {
        if (!this.ctx.alive) throw err;
        await this.error(`${name}: Cannot open: ${describeError(err)}`);
      }
    }
    for (const link of this.delayedLinks) {
      try {
        const st = await this.ctx.lstat(link.path);
        if ((st.mode & S_IFMT) !== S_IFREG || st.ino !== link.ino || st.size !== 0) continue;
        await this.ctx.unlink(link.path);
        await this.ctx.symlink(link.target, link.path);
      } catch (err) {
        if (!this.ctx.alive) throw err;
        await this.error(
          `${link.path}: Cannot create symlink to '${link.target}': ${describeError(err)}`,
        );
      }
    }
    // Directory modes and times last, as GNU tar does, so that filling them does not undo it.
    for (const [path, mode, mtime] of dirTimes.reverse()) {
      try {
        await this.ctx.chmod(path, mode);
        if (!o.touch) await this.ctx.utimes(path, mtime * 1000, mtime * 1000);
      } catch {
        // A directory we could not create was reported already.
      }
    }
    await this.notFound(found);
  }

  async exists(path: string): Promise<boolean> {
    try {
      await this.ctx.lstat(path);
      return true;
    } catch {
      return false;
    }
  }

  async makeParents(path: string): Promise<void> {
    const parts = path.split("/");
    let prefix = path.startsWith("/") ? "" : ".";
    for (let k = 0; k < parts.length - 1; k++) {
      if (parts[k] === "") continue;
      prefix =
        prefix === "." && !path.startsWith("/") && k === 0 ? parts[k] : `${prefix}/${parts[k]}`;
      try {
        await this.ctx.mkdir(prefix, 0o755);
      } catch (err) {
        if ((err as { code?: string }).code !== "EEXIST") throw err;
      }
    }
  }
}

/** GNU contains_dot_dot: a ".." component anywhere in the name. */
function containsDotDot(name: string): boolean {
  return name.split("/").includes("..");
}

export const tar: CommandDefinition = {
  name: "tar",
  async main(ctx) {
    let o: TarOptions;
    try {
      o = parseArgs(ctx.argv.slice(1));
      if (o.op === undefined) {
        throw new UsageError(
          "You must specify one of the '-Acdtrux', '--delete' or '--test-label' options",
        );
      }
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      await ctx.err(`tar: ${err.message}\n${TRY}`);
      return err.status;
    }
    const t = new Tar(ctx, o);
    try {
      if (o.op === "c") await t.create();
      else if (o.op === "t") await t.list();
      else await t.extract();
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      await ctx.err(`tar: ${err.message}\n${TRY}`);
      return 2;
    }
    if (t.fatal) return 2;
    if (t.failed) {
      await ctx.err("tar: Exiting with failure status due to previous errors\n");
      return 2;
    }
    return 0;
  },
};
