/**
 * gzip, gunzip, zcat (GNU gzip 1.12): compress or expand files in place (FILE ↔ FILE.gz,
 * keeping mode and mtime) or between stdin and stdout. Options: -c -d -f -k -l -n -N -q -v -t
 * -r -S SUF -1..-9 --fast --best. Never asks questions (as GNU without a terminal): an
 * existing output is "not overwritten" unless -f. Each file is handled in memory.
 */
import { S_IFDIR, S_IFMT, S_IFREG, type Stat } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError } from "./errors.ts";
import { GzipError, gzipCompress, gzipDecompress, parseGzipHeader } from "./lib/archive-gzip.ts";

interface GzipOptions {
  stdout: boolean;
  decompress: boolean;
  force: boolean;
  keep: boolean;
  list: boolean;
  noName: boolean;
  name: boolean;
  quiet: boolean;
  verbose: boolean;
  test: boolean;
  recursive: boolean;
  level: number;
  suffix: string;
}

const LONG: Record<string, string> = {
  "--stdout": "c",
  "--to-stdout": "c",
  "--decompress": "d",
  "--uncompress": "d",
  "--force": "f",
  "--keep": "k",
  "--list": "l",
  "--no-name": "n",
  "--name": "N",
  "--quiet": "q",
  "--silent": "q",
  "--verbose": "v",
  "--test": "t",
  "--recursive": "r",
  "--fast": "1",
  "--best": "9",
  "--help": "h",
  "--version": "V",
};

const USAGE = `Usage: gzip [OPTION]... [FILE]...
Compress or uncompress FILEs (by default, compress FILES in-place).
`;

const OK = 0;
const ERROR = 1;
const WARNING = 2;

class Gzip {
  readonly ctx: ProcessContext;
  readonly o: GzipOptions;
  status = OK;
  totals: Totals = { compressed: 0, uncompressed: 0, files: 0, headers: 0 };

  constructor(ctx: ProcessContext, o: GzipOptions) {
    this.ctx = ctx;
    this.o = o;
  }

  async error(name: string, message: string): Promise<void> {
    await this.ctx.err(`gzip: ${name}: ${message}\n`);
    this.status = ERROR;
  }

  /** Data errors: GNU starts them on a fresh line ("\ngzip: x.gz: not in gzip format"). */
  async dataError(name: string, message: string): Promise<void> {
    await this.ctx.err(`\ngzip: ${name}: ${message}\n`);
    this.status = ERROR;
  }

  async warn(message: string): Promise<void> {
    if (!this.o.quiet) await this.ctx.err(`gzip: ${message}\n`);
    if (this.status === OK) this.status = WARNING;
  }

  async writeOut(data: Uint8Array): Promise<void> {
    for (let off = 0; off < data.length; off += 65536) {
      await this.ctx.write(1, data.subarray(off, off + 65536));
    }
  }

  stripSuffix(name: string): string | undefined {
    const base = name.slice(name.lastIndexOf("/") + 1);
    const suffixes = [this.o.suffix, ".gz", "-gz", ".z", "-z", "_z"];
    for (const s of suffixes) {
      if (s && base.length > s.length && base.toLowerCase().endsWith(s.toLowerCase())) {
        return name.slice(0, name.length - s.length);
      }
    }
    for (const [s, r] of [
      [".tgz", ".tar"],
      [".taz", ".tar"],
    ]) {
      if (base.length > s.length && base.toLowerCase().endsWith(s)) {
        return name.slice(0, name.length - s.length) + r;
      }
    }
    return undefined;
  }

  async stdin(): Promise<void> {
    const o = this.o;
    if (!o.decompress && !o.list && !o.test && !o.force && this.ctx.isatty(1)) {
      await this.ctx.err(
        "gzip: compressed data not written to a terminal. Use -f to force compression.\n" +
          "For help, type: gzip -h\n",
      );
      this.status = ERROR;
      return;
    }
    const input = await this.ctx.readAll(0);
    if (o.list) {
      await this.list(input, "stdout", undefined);
      return;
    }
    if (!o.decompress) {
      const out = gzipCompress(input, { level: o.level });
      if (o.verbose && !o.quiet) {
        await this.ctx.err(`${ratio(input.length - (out.length - 18), input.length)}\n`);
      }
      await this.writeOut(out);
      return;
    }
    await this.expand(input, "stdin", undefined);
  }

  /** Decompresses `input` (named `name`) to `outPath`, or to stdout when undefined. */
  async expand(input: Uint8Array, name: string, outPath: string | undefined): Promise<boolean> {
    let result: ReturnType<typeof gzipDecompress>;
    try {
      result = gzipDecompress(input);
    } catch (err) {
      if (!(err instanceof GzipError)) throw err;
      if (err.data && !this.o.test) {
        if (outPath === undefined) await this.writeOut(err.data);
        else await this.ctx.writeFile(outPath, err.data);
      }
      if (err.message === "not in gzip format" && this.o.force && this.o.stdout) {
        await this.writeOut(input);
        return true;
      }
      if (err.message === "not in gzip format" && input.length === 0) {
        await this.dataError(name, "unexpected end of file");
      } else {
        await this.dataError(name, err.message);
      }
      return false;
    }
    if (!this.o.test) {
      if (outPath === undefined) await this.writeOut(result.data);
      else await this.ctx.writeFile(outPath, result.data);
    }
    if (result.trailingGarbage) {
      if (!this.o.quiet) {
        await this.ctx.err(`\ngzip: ${name}: decompression OK, trailing garbage ignored\n`);
      }
      if (this.status === OK) this.status = WARNING;
    }
    return true;
  }

  async file(name: string): Promise<void> {
    const ctx = this.ctx;
    const o = this.o;
    let path = name;
    let st: Stat;
    try {
      st = await ctx.stat(path);
    } catch (err) {
      // gunzip NAME also finds NAME.gz.
      if (o.decompress && !this.stripSuffix(name)) {
        try {
          path = `${name}${o.suffix}`;
          st = await ctx.stat(path);
        } catch {
          await this.error(path, describeError(err));
          return;
        }
      } else {
        await this.error(name, describeError(err));
        return;
      }
    }
    if ((st.mode & S_IFMT) === S_IFDIR) {
      if (!o.recursive) {
        await this.warn(`${path} is a directory -- ignored`);
        return;
      }
      for (const entry of await ctx.readdir(path)) await this.file(`${path}/${entry.name}`);
      return;
    }
    if ((st.mode & S_IFMT) !== S_IFREG) {
      await this.warn(`${path} is not a directory or a regular file - ignored`);
      return;
    }
    const input = await ctx.readFile(path);
    if (o.list) {
      await this.list(input, path, st);
      return;
    }
    if (o.decompress || o.test) {
      const stripped = this.stripSuffix(path);
      if (stripped === undefined && !o.stdout && !o.test) {
        if (o.verbose || (!o.recursive && !o.quiet))
          await this.warn(`${path}: unknown suffix -- ignored`);
        return;
      }
      let outPath = o.stdout || o.test ? undefined : (stripped as string);
      if (outPath !== undefined && o.name) {
        try {
          const h = parseGzipHeader(input, 0);
          if (h.name) outPath = path.slice(0, path.lastIndexOf("/") + 1) + h.name;
        } catch {
          // Reported by expand.
        }
      }
      if (outPath !== undefined && !(await this.mayWrite(outPath))) return;
      const ok = await this.expand(input, path, outPath);
      if (!ok) return;
      if (o.test) {
        if (o.verbose) await ctx.err(`${path}:\t OK\n`);
        return;
      }
      const decompressedSize = outPath === undefined ? 0 : (await ctx.stat(outPath)).size;
      if (o.verbose && !o.quiet) {
        const header = safeHeader(input);
        const r = ratio(decompressedSize - (input.length - header), decompressedSize);
        const what = o.stdout ? "stdout" : (outPath as string);
        await ctx.err(
          `${path}:\t${r} -- ${o.keep || o.stdout ? "created" : "replaced with"} ${what}\n`,
        );
      }
      if (outPath !== undefined) await this.finish(path, outPath, st, input);
      return;
    }
    // Compress.
    if (!o.stdout && this.stripSuffix(path) !== undefined && !o.force) {
      // A notice only: the exit status stays 0.
      if (o.verbose || (!o.recursive && !o.quiet)) {
        await ctx.err(`gzip: ${path} already has ${o.suffix} suffix -- unchanged\n`);
      }
      return;
    }
    const base = path.slice(path.lastIndexOf("/") + 1);
    const out = gzipCompress(input, {
      level: o.level,
      name: o.noName ? undefined : base,
      mtime: o.noName ? 0 : Math.floor(st.mtimeMs / 1000),
    });
    const outPath = `${path}${o.suffix}`;
    if (!o.stdout && !(await this.mayWrite(outPath))) return;
    if (o.stdout) await this.writeOut(out);
    else await ctx.writeFile(outPath, out);
    if (o.verbose && !o.quiet) {
      const header = 18 + (o.noName ? 0 : new TextEncoder().encode(base).length + 1);
      const r = ratio(input.length - (out.length - header), input.length);
      const verb = o.stdout
        ? "replaced with stdout"
        : `${o.keep ? "created" : "replaced with"} ${outPath}`;
      await ctx.err(`${path}:\t${r} -- ${verb}\n`);
    }
    if (!o.stdout) await this.finish(path, outPath, st, input);
  }

  /** False (after GNU's message) when `outPath` exists and -f was not given. */
  async mayWrite(outPath: string): Promise<boolean> {
    try {
      await this.ctx.lstat(outPath);
    } catch {
      return true;
    }
    if (!this.o.force) {
      await this.ctx.err(`gzip: ${outPath} already exists;\tnot overwritten\n`);
      if (this.status === OK) this.status = WARNING;
      return false;
    }
    await this.ctx.unlink(outPath);
    return true;
  }

  /** Gives the output the input's mode and times, then removes the input unless -k. */
  async finish(inPath: string, outPath: string, st: Stat, input: Uint8Array): Promise<void> {
    let mtimeMs = st.mtimeMs;
    if (this.o.decompress && this.o.name) {
      const h = parseGzipHeader(input, 0);
      if (h.mtime !== 0) mtimeMs = h.mtime * 1000;
    }
    await this.ctx.chmod(outPath, st.mode & 0o7777);
    await this.ctx.utimes(outPath, st.atimeMs, mtimeMs);
    if (!this.o.keep) await this.ctx.unlink(inPath);
  }

  async list(input: Uint8Array, path: string, st: Stat | undefined): Promise<void> {
    const o = this.o;
    let uncompressed = 0;
    let crc = 0;
    let header: ReturnType<typeof parseGzipHeader>;
    try {
      header = parseGzipHeader(input, 0);
      const view = new DataView(input.buffer, input.byteOffset + input.length - 8, 8);
      crc = view.getUint32(0, true);
      uncompressed = view.getUint32(4, true);
    } catch (err) {
      if (!(err instanceof GzipError)) throw err;
      await this.dataError(path, err.message);
      return;
    }
    if (this.totals.files === 0 && !o.quiet) {
      await this.ctx.out(
        o.verbose
          ? "method  crc     date  time           compressed        uncompressed  ratio uncompressed_name\n"
          : "         compressed        uncompressed  ratio uncompressed_name\n",
      );
    }
    const name =
      path === "stdout" && st === undefined
        ? "stdout"
        : o.name && header.name
          ? path.slice(0, path.lastIndexOf("/") + 1) + header.name
          : (this.stripSuffix(path) ?? path);
    const headerBytes = header.length + 8;
    let line = "";
    if (o.verbose) {
      const date = listDate(header.mtime !== 0 ? header.mtime * 1000 : (st?.mtimeMs ?? 0));
      line += `defla ${crc.toString(16).padStart(8, "0")} ${date} `;
    }
    line += `${String(input.length).padStart(19)} ${String(uncompressed).padStart(19)} `;
    line += `${ratio(uncompressed - (input.length - headerBytes), uncompressed)} ${name}\n`;
    await this.ctx.out(line);
    this.totals.files++;
    this.totals.compressed += input.length;
    this.totals.uncompressed += uncompressed;
    // GNU subtracts only the last header from the totals.
    this.totals.headers = headerBytes;
  }

  async listTotals(): Promise<void> {
    const t = this.totals;
    if (t.files < 2) return;
    let line = this.o.verbose ? `${" ".repeat(26)} ` : "";
    line += `${String(t.compressed).padStart(19)} ${String(t.uncompressed).padStart(19)} `;
    line += `${ratio(t.uncompressed - (t.compressed - t.headers), t.uncompressed)} (totals)\n`;
    await this.ctx.out(line);
  }
}

interface Totals {
  compressed: number;
  uncompressed: number;
  files: number;
  headers: number;
}

function safeHeader(input: Uint8Array): number {
  try {
    return parseGzipHeader(input, 0).length + 8;
  } catch {
    return 18;
  }
}

/** GNU display_ratio: integer per-mille, truncated, printed as "[ -]%2ld.%1ld%%". */
function ratio(num: number, den: number): string {
  let r =
    den === 0
      ? 0
      : den < 2147483
        ? Math.trunc((1000 * num) / den)
        : Math.trunc(num / Math.trunc(den / 1000));
  const sign = r < 0 ? "-" : " ";
  r = Math.abs(r);
  return `${sign}${String(Math.trunc(r / 10)).padStart(2)}.${r % 10}%`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Nov 21 21:21" in UTC (the VM's TZ is not consulted). */
function listDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

function makeCommand(name: "gzip" | "gunzip" | "zcat"): CommandDefinition {
  return {
    name,
    async main(ctx) {
      const o: GzipOptions = {
        stdout: name === "zcat",
        decompress: name !== "gzip",
        force: false,
        keep: false,
        list: false,
        noName: false,
        name: false,
        quiet: false,
        verbose: false,
        test: false,
        recursive: false,
        level: 6,
        suffix: ".gz",
      };
      const files: string[] = [];
      const argv = ctx.argv.slice(1);
      let done = false;
      for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (done || arg === "-" || !arg.startsWith("-")) {
          files.push(arg);
          continue;
        }
        if (arg === "--") {
          done = true;
          continue;
        }
        let letters: string;
        if (arg.startsWith("--")) {
          const [key, value] = arg.split("=", 2);
          if (key === "--suffix") {
            const suffix = value ?? argv[++i];
            if (suffix === undefined)
              return usageError(ctx, `option '--suffix' requires an argument`);
            o.suffix = suffix;
            continue;
          }
          const match = Object.keys(LONG).filter((k) => k.startsWith(key));
          const exact = LONG[key];
          if (exact === undefined && match.length !== 1) {
            return usageError(ctx, `unrecognized option '${arg}'`);
          }
          letters = exact ?? LONG[match[0]];
        } else {
          letters = arg.slice(1);
        }
        for (let j = 0; j < letters.length; j++) {
          const c = letters[j];
          if (c >= "1" && c <= "9") {
            o.level = Number(c);
            continue;
          }
          switch (c) {
            case "c":
              o.stdout = true;
              break;
            case "d":
              o.decompress = true;
              break;
            case "f":
              o.force = true;
              break;
            case "k":
              o.keep = true;
              break;
            case "l":
              o.list = true;
              break;
            case "n":
              o.noName = true;
              o.name = false;
              break;
            case "N":
              o.name = true;
              o.noName = false;
              break;
            case "q":
              o.quiet = true;
              o.verbose = false;
              break;
            case "v":
              o.verbose = true;
              o.quiet = false;
              break;
            case "t":
              o.test = true;
              break;
            case "r":
              o.recursive = true;
              break;
            case "S": {
              const rest = letters.slice(j + 1);
              const suffix = rest !== "" ? rest : argv[++i];
              if (suffix === undefined)
                return usageError(ctx, "option requires an argument -- 'S'");
              o.suffix = suffix;
              j = letters.length;
              break;
            }
            case "h":
              await ctx.out(USAGE);
              return 0;
            case "V":
              await ctx.out("gzip 1.12\n");
              return 0;
            default:
              return usageError(ctx, `invalid option -- '${c}'`);
          }
        }
      }
      if (o.test) o.decompress = true;
      const g = new Gzip(ctx, o);
      if (files.length === 0) files.push("-");
      for (const file of files) {
        if (file === "-") await g.stdin();
        else await g.file(file);
      }
      if (o.list) await g.listTotals();
      return g.status;
    },
  };
}

async function usageError(ctx: ProcessContext, message: string): Promise<number> {
  await ctx.err(`gzip: ${message}\nTry \`gzip --help' for more information.\n`);
  return 1;
}

export const gzip = makeCommand("gzip");
export const gunzip = makeCommand("gunzip");
export const zcat = makeCommand("zcat");
