/**
 * file: guesses file types like file(1) 5.44 for the formats agents meet most: empty, text
 * (ASCII, UTF-8 with/without BOM, UTF-16, ISO-8859, extended ASCII) with libmagic's notes on
 * line terminators, long lines, escapes and overstriking; #! scripts; JSON, HTML, XML, SVG,
 * C source; PNG, GIF, JPEG, WebP, PDF, gzip, bzip2, xz, zip, 7z, tar, ELF; directories,
 * symlinks and devices. Options: -b -i/--mime --mime-type --mime-encoding -L -h -N -F SEP.
 * There is no magic database: this is a hand-written subset (no library reproduces libmagic's
 * wording), so rarer formats come out as "data" and some details (ELF linking, JPEG fields)
 * are shorter than libmagic's.
 */
import {
  O_RDONLY,
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFSOCK,
  type Stat,
} from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { parseArgs, UsageError } from "./lib/file-args.ts";
import { errText } from "./lib/file-util.ts";

/** How much of a file is examined. */
const READ_MAX = 1 << 20;

interface Result {
  desc: string;
  mime: string;
  encoding: string;
}

export const file: CommandDefinition = {
  name: "file",
  async main(ctx) {
    let brief = false;
    let mode: "desc" | "mime" | "type" | "encoding" = "desc";
    let follow = false;
    let pad = true;
    let sep = ":";
    let args: ReturnType<typeof parseArgs>;
    try {
      args = parseArgs(ctx.argv.slice(1), "bhiLNF:", [
        { name: "brief", arg: "none", key: "b" },
        { name: "mime", arg: "none", key: "i" },
        { name: "mime-type", arg: "none", key: "mime-type" },
        { name: "mime-encoding", arg: "none", key: "mime-encoding" },
        { name: "dereference", arg: "none", key: "L" },
        { name: "no-dereference", arg: "none", key: "h" },
        { name: "no-pad", arg: "none", key: "N" },
        { name: "separator", arg: "required", key: "F" },
      ]);
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(
          `file: ${err.message}\nUsage: file [-bcCdEhikLlNnprsSvzZ0] [--apple] [--extension] [--mime-encoding]\n            [--mime-type] [-e <testname>] [-F <separator>]  [-f <namefile>]\n            [-m <magicfiles>] [-P <parameter=value>] [--exclude-quiet]\n            <file> ...\n       file -C [-m <magicfiles>]\n       file [--help]\n`,
        );
        return 1;
      }
      throw err;
    }
    for (const { key, value } of args.options) {
      if (key === "b") brief = true;
      else if (key === "i") mode = "mime";
      else if (key === "mime-type") mode = "type";
      else if (key === "mime-encoding") mode = "encoding";
      else if (key === "L") follow = true;
      else if (key === "h") follow = false;
      else if (key === "N") pad = false;
      else if (key === "F") sep = value ?? ":";
    }
    const names = args.operands;
    if (names.length === 0) {
      await ctx.err(
        "Usage: file [-bcCdEhikLlNnprsSvzZ0] [--apple] [--extension] [--mime-encoding]\n            [--mime-type] [-e <testname>] [-F <separator>]  [-f <namefile>]\n            [-m <magicfiles>] [-P <parameter=value>] [--exclude-quiet]\n            <file> ...\n       file -C [-m <magicfiles>]\n       file [--help]\n",
      );
      return 1;
    }
    const shownNames = names.map((n) => (n === "-" ? "/dev/stdin" : n));
    const width = Math.max(...shownNames.map((n) => byteLength(n)));
    let out = "";
    for (let i = 0; i < names.length; i++) {
      const r = await classify(ctx, names[i], follow);
      let text: string;
      if (mode === "mime") text = r.encoding ? `${r.mime}; charset=${r.encoding}` : r.mime;
      else if (mode === "type") text = r.mime;
      else if (mode === "encoding") text = r.encoding;
      else text = r.desc;
      if (brief) out += `${text}\n`;
      else {
        const name = shownNames[i];
        const padding = pad ? " ".repeat(width - byteLength(name)) : "";
        out += `${name}${sep}${padding} ${text}\n`;
      }
    }
    await ctx.out(out);
    return 0;
  },
};

function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

async function classify(ctx: ProcessContext, name: string, follow: boolean): Promise<Result> {
  let st: Stat;
  if (name !== "-") {
    try {
      st = follow ? await ctx.stat(name) : await ctx.lstat(name);
    } catch (err) {
      if (!ctx.alive) throw err;
      return {
        desc: `cannot open \`${name}' (${errText(err)})`,
        mime: "cannot open",
        encoding: "cannot open",
      };
    }
    const type = st.mode & S_IFMT;
    if (type === S_IFDIR) return { desc: "directory", mime: "inode/directory", encoding: "binary" };
    if (type === S_IFLNK) {
      const target = await ctx.readlink(name).catch(() => "");
      const ok = await ctx.stat(name).then(
        () => true,
        () => false,
      );
      return {
        desc: `${ok ? "" : "broken "}symbolic link to ${target}`,
        mime: "inode/symlink",
        encoding: ok ? "binary" : "",
      };
    }
    if (type === S_IFCHR || type === S_IFBLK) {
      const major = (st.rdev >> 8) & 0xfff;
      const minor = (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00);
      const kind = type === S_IFCHR ? "character" : "block";
      return {
        desc: `${kind} special (${major}/${minor})`,
        mime: type === S_IFCHR ? "inode/chardevice" : "inode/blockdevice",
        encoding: "binary",
      };
    }
    if (type === S_IFIFO)
      return { desc: "fifo (named pipe)", mime: "inode/fifo", encoding: "binary" };
    if (type === S_IFSOCK) return { desc: "socket", mime: "inode/socket", encoding: "binary" };
  }
  let data: Uint8Array;
  try {
    data = await readHead(ctx, name);
  } catch (err) {
    if (!ctx.alive) throw err;
    return {
      desc: `cannot open \`${name}' (${errText(err)})`,
      mime: "cannot open",
      encoding: "cannot open",
    };
  }
  const r = classifyBytes(data);
  // libmagic reports the charset of the bytes even for binary formats ("%PDF-1.4" is ASCII).
  if (r.encoding === "binary" && data.length > 0) r.encoding = textEncoding(data);
  return r;
}

function textEncoding(d: Uint8Array): string {
  let ascii = true;
  let latin = true;
  for (const b of d) {
    if (b >= 0x80) {
      ascii = false;
      if (b < 0xa0) latin = false;
    } else if (!isTextByte(b)) return "binary";
  }
  if (ascii) return "us-ascii";
  if (validUtf8(d)) return "utf-8";
  return latin ? "iso-8859-1" : "unknown-8bit";
}

async function readHead(ctx: ProcessContext, name: string): Promise<Uint8Array> {
  const fd = name === "-" ? 0 : await ctx.open(name, O_RDONLY);
  try {
    const chunks: Uint8Array[] = [];
    let total = 0;
    while (total < READ_MAX) {
      const chunk = await ctx.read(fd, Math.min(65536, READ_MAX - total));
      if (chunk === null || chunk.length === 0) break;
      chunks.push(chunk);
      total += chunk.length;
    }
    const out = new Uint8Array(total);
    let off = 0;
    for (const c of chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  } finally {
    if (fd !== 0) ctx.close(fd);
  }
}

const latin1 = (d: Uint8Array, start: number, end: number): string =>
  String.fromCharCode(...d.subarray(start, Math.min(end, d.length)));

const be32 = (d: Uint8Array, o: number): number =>
  ((d[o] << 24) | (d[o + 1] << 16) | (d[o + 2] << 8) | d[o + 3]) >>> 0;
const le16 = (d: Uint8Array, o: number): number => d[o] | (d[o + 1] << 8);
const le32 = (d: Uint8Array, o: number): number =>
  (d[o] | (d[o + 1] << 8) | (d[o + 2] << 16) | (d[o + 3] << 24)) >>> 0;

const BINARY = (desc: string, mime: string): Result => ({ desc, mime, encoding: "binary" });

export function classifyBytes(d: Uint8Array): Result {
  if (d.length === 0) return { desc: "empty", mime: "inode/x-empty", encoding: "binary" };
  const head = latin1(d, 0, 512);
  if (head.startsWith("\x89PNG\r\n\x1a\n") && d.length >= 29) {
    const w = be32(d, 16);
    const h = be32(d, 20);
    const depth = d[24];
    const colors: Record<number, string> = {
      0: "grayscale",
      2: "/color RGB",
      3: "colormap",
      4: "gray+alpha",
      6: "/color RGBA",
    };
    const c = colors[d[25]] ?? "";
    const color = c.startsWith("/") ? `${depth}-bit${c}` : `${depth}-bit ${c}`;
    return BINARY(
      `PNG image data, ${w} x ${h}, ${color}, ${d[28] ? "interlaced" : "non-interlaced"}`,
      "image/png",
    );
  }
  if (head.startsWith("\x89PNG")) return BINARY("PNG image data", "image/png");
  if (head.startsWith("GIF87a") || head.startsWith("GIF89a")) {
    const dims = d.length >= 10 ? `, ${le16(d, 6)} x ${le16(d, 8)}` : "";
    return BINARY(`GIF image data, version ${head.slice(3, 6)}${dims}`, "image/gif");
  }
  if (d[0] === 0xff && d[1] === 0xd8 && d[2] === 0xff) {
    let desc = "JPEG image data";
    if (head.slice(6, 11) === "JFIF\0") {
      desc += ", JFIF standard";
      if (d.length >= 13) desc += ` ${d[11]}.${String(d[12]).padStart(2, "0")}`;
    } else if (head.slice(6, 11) === "Exif\0") desc += ", Exif standard";
    return BINARY(desc, "image/jpeg");
  }
  if (head.startsWith("RIFF") && head.slice(8, 12) === "WEBP") {
    return BINARY("RIFF (little-endian) data, Web/P image", "image/webp");
  }
  if (head.startsWith("%PDF-")) {
    const version = /^%PDF-(\d+\.\d+)/.exec(head)?.[1];
    return BINARY(`PDF document${version ? `, version ${version}` : ""}`, "application/pdf");
  }
  if (d[0] === 0x1f && d[1] === 0x8b) return gzipInfo(d);
  if (head.startsWith("BZh")) {
    const level = d[3] >= 0x31 && d[3] <= 0x39 ? `, block size = ${d[3] - 0x30}00k` : "";
    return BINARY(`bzip2 compressed data${level}`, "application/x-bzip2");
  }
  if (head.startsWith("\xfd7zXZ\0")) {
    const checks: Record<number, string> = { 0: "none", 1: "CRC32", 4: "CRC64", 10: "SHA-256" };
    const check = checks[d[7] & 0xf];
    return BINARY(`XZ compressed data${check ? `, checksum ${check}` : ""}`, "application/x-xz");
  }
  if (head.startsWith("7z\xbc\xaf\x27\x1c") && d.length >= 8) {
    return BINARY(`7-zip archive data, version ${d[6]}.${d[7]}`, "application/x-7z-compressed");
  }
  if (head.startsWith("PK\x03\x04") && d.length >= 30) {
    const v = le16(d, 4);
    const method = le16(d, 8);
    const methods: Record<number, string> = { 0: "store", 8: "deflate", 12: "bzip2", 14: "lzma" };
    const m = methods[method] ?? String(method);
    return BINARY(
      `Zip archive data, at least v${Math.floor(v / 10)}.${v % 10} to extract, compression method=${m}`,
      "application/zip",
    );
  }
  if (head.startsWith("PK\x05\x06")) return BINARY("Zip archive data (empty)", "application/zip");
  if (d.length >= 263 && latin1(d, 257, 265) === "ustar  \0") {
    return BINARY("POSIX tar archive (GNU)", "application/x-tar");
  }
  if (d.length >= 263 && latin1(d, 257, 263) === "ustar\0") {
    return BINARY("POSIX tar archive", "application/x-tar");
  }
  if (head.startsWith("\x7fELF") && d.length >= 20) return elfInfo(d);
  return textInfo(d);
}

function gzipInfo(d: Uint8Array): Result {
  let desc = "gzip compressed data";
  const flags = d[3];
  if (d.length >= 10) {
    if (flags & 0x08) {
      let i = 10;
      if (flags & 0x04 && d.length > 12) i += 2 + le16(d, 10);
      let end = i;
      while (end < d.length && d[end] !== 0) end++;
      desc += `, was "${new TextDecoder().decode(d.subarray(i, end))}"`;
    }
    const mtime = le32(d, 4);
    if (mtime) desc += `, last modified: ${ctimeString(mtime * 1000)}`;
    if (d[8] === 2) desc += ", max compression";
    else if (d[8] === 4) desc += ", max speed";
    const os: Record<number, string> = {
      0: "FAT filesystem (MS-DOS, OS/2, NT)",
      3: "Unix",
      7: "Macintosh",
      11: "NTFS filesystem (NT)",
    };
    if (os[d[9]]) desc += `, from ${os[d[9]]}`;
    if (d.length >= 18) desc += `, original size modulo 2^32 ${le32(d, d.length - 4)}`;
  }
  return BINARY(desc, "application/gzip");
}

function ctimeString(ms: number): string {
  const date = new Date(ms);
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = [
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
  ];
  const p2 = (n: number): string => String(n).padStart(2, "0");
  return `${days[date.getUTCDay()]} ${months[date.getUTCMonth()]} ${String(date.getUTCDate()).padStart(2, " ")} ${p2(date.getUTCHours())}:${p2(date.getUTCMinutes())}:${p2(date.getUTCSeconds())} ${date.getUTCFullYear()}`;
}

function elfInfo(d: Uint8Array): Result {
  const bits = d[4] === 2 ? "64-bit" : "32-bit";
  const little = d[5] !== 2;
  const u16 = (o: number): number => (little ? le16(d, o) : (d[o] << 8) | d[o + 1]);
  const types: Record<number, string> = {
    1: "relocatable",
    2: "executable",
    3: "shared object",
    4: "core file",
  };
  const machines: Record<number, string> = {
    3: "Intel 80386",
    40: "ARM",
    62: "x86-64",
    183: "ARM aarch64",
    243: "UCB RISC-V",
    8: "MIPS",
    20: "PowerPC",
    21: "64-bit PowerPC or cisco 7500",
  };
  const type = u16(16);
  const machine = u16(18);
  let desc = `ELF ${bits} ${little ? "LSB" : "MSB"} ${types[type] ?? "*unknown*"}`;
  desc += `, ${machines[machine] ?? `*unknown arch ${machine}*`}`;
  const abi = d[7] === 0 ? "(SYSV)" : d[7] === 3 ? "(GNU/Linux)" : `(${d[7]})`;
  if (d.length >= 24) desc += `, version ${d[6]} ${abi}`;
  else desc += `, ${abi}`;
  const mime =
    type === 3
      ? "application/x-sharedlib"
      : type === 1
        ? "application/x-object"
        : type === 4
          ? "application/x-coredump"
          : "application/x-executable";
  return BINARY(desc, mime);
}

/** libmagic's text_chars: BEL..CR, ESC and printable ASCII are text. */
function isTextByte(b: number): boolean {
  return (b >= 0x07 && b <= 0x0d) || b === 0x1b || (b >= 0x20 && b <= 0x7e);
}

function validUtf8(d: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(d);
    return true;
  } catch {
    return false;
  }
}

function textInfo(d: Uint8Array): Result {
  let encoding: string;
  let encName: string;
  let body = d;
  if ((d[0] === 0xff && d[1] === 0xfe) || (d[0] === 0xfe && d[1] === 0xff)) {
    const little = d[0] === 0xff;
    const units: number[] = [];
    for (let i = 2; i + 1 < d.length; i += 2) {
      const u = little ? d[i] | (d[i + 1] << 8) : (d[i] << 8) | d[i + 1];
      units.push(u > 0xff ? 0x41 : u);
    }
    const notes = textNotes(Uint8Array.from(units));
    return {
      desc: `Unicode text, UTF-16, ${little ? "little" : "big"}-endian text${notes}`,
      mime: "text/plain",
      encoding: little ? "utf-16le" : "utf-16be",
    };
  }
  let allAscii = true;
  let latin = true;
  let extended = true;
  for (const b of d) {
    if (b >= 0x80) {
      allAscii = false;
      if (b < 0xa0) latin = false;
    } else if (!isTextByte(b)) {
      allAscii = latin = extended = false;
      break;
    }
  }
  if (allAscii) {
    encoding = "us-ascii";
    encName = "ASCII";
  } else if (extended && validUtf8(d)) {
    encoding = "utf-8";
    if (d[0] === 0xef && d[1] === 0xbb && d[2] === 0xbf) {
      encName = "Unicode text, UTF-8 (with BOM)";
      body = d.subarray(3);
    } else encName = "Unicode text, UTF-8";
  } else if (latin && extended) {
    encoding = "iso-8859-1";
    encName = "ISO-8859";
  } else if (extended) {
    encoding = "unknown-8bit";
    encName = "Non-ISO extended-ASCII";
  } else {
    return BINARY("data", "application/octet-stream");
  }
  const text = new TextDecoder("latin1").decode(body);
  const notes = textNotes(body);
  // #! scripts
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(text);
  if (shebang) {
    let prog = shebang[1].slice(shebang[1].lastIndexOf("/") + 1);
    if (prog === "env" && shebang[2]) prog = shebang[2];
    const script = scriptType(prog);
    if (script) {
      const [label, mime, plain] = script;
      const desc =
        label === "Node.js"
          ? `Node.js script executable, ${encName} text${notes}`
          : plain
            ? `${label} text executable${notes}`
            : `${label}, ${encName} text executable${notes}`;
      return { desc, mime, encoding };
    }
  }
  const trimmed = text.replace(/^\s+/, "");
  if (/^<svg[\s>]/i.test(trimmed) || (/^<\?xml/.test(trimmed) && /<svg[\s>]/.test(trimmed))) {
    return { desc: "SVG Scalable Vector Graphics image", mime: "image/svg+xml", encoding };
  }
  const xml = /^<\?xml version="([\d.]+)"/.exec(trimmed);
  if (xml)
    return { desc: `XML ${xml[1]} document, ${encName} text${notes}`, mime: "text/xml", encoding };
  if (/^<!doctype html|^<html[\s>]|^<head[\s>]|^<body[\s>]/i.test(trimmed)) {
    return { desc: `HTML document, ${encName} text${notes}`, mime: "text/html", encoding };
  }
  if (isJson(text)) return { desc: "JSON text data", mime: "application/json", encoding };
  if (/^#include\s*[<"]/m.test(text)) {
    return { desc: `C source, ${encName} text${notes}`, mime: "text/x-c", encoding };
  }
  return { desc: `${encName} text${notes}`, mime: "text/plain", encoding };
}

/** [label, mime, label-without-encoding] for an interpreter name. */
function scriptType(prog: string): [string, string, boolean] | undefined {
  if (prog === "bash") return ["Bourne-Again shell script", "text/x-shellscript", false];
  if (prog === "sh" || prog === "dash") return ["POSIX shell script", "text/x-shellscript", false];
  if (prog === "zsh") return ["Paul Falstad's zsh script", "text/x-shellscript", false];
  if (prog === "ksh") return ["Korn shell script", "text/x-shellscript", false];
  if (prog === "csh") return ["C shell script", "text/x-shellscript", false];
  if (prog === "tcsh") return ["Tenex C shell script", "text/x-shellscript", false];
  if (/^python[\d.]*$/.test(prog)) return ["Python script", "text/x-script.python", false];
  if (prog === "perl") return ["Perl script", "text/x-perl", true];
  if (prog === "ruby") return ["Ruby script", "text/x-ruby", false];
  if (prog === "node" || prog === "nodejs") return ["Node.js", "application/javascript", false];
  if (prog === "php") return ["PHP script", "text/x-php", false];
  if (prog === "awk" || prog === "gawk") return ["awk or perl script", "text/x-awk", false];
  return undefined;
}

/** ", with very long lines (N)", line terminator and escape notes, in libmagic's order. */
function textNotes(d: Uint8Array): string {
  let crlf = 0;
  let cr = 0;
  let lf = 0;
  let longest = 0;
  let line = 0;
  let escapes = false;
  let backspace = false;
  for (let i = 0; i < d.length; i++) {
    const b = d[i];
    if (b === 0x0d) {
      if (d[i + 1] === 0x0a) {
        crlf++;
        i++;
      } else cr++;
      longest = Math.max(longest, line);
      line = 0;
    } else if (b === 0x0a) {
      lf++;
      longest = Math.max(longest, line);
      line = 0;
    } else {
      line++;
      if (b === 0x1b) escapes = true;
      if (b === 0x08) backspace = true;
    }
  }
  longest = Math.max(longest, line);
  let notes = "";
  if (longest > 300) notes += `, with very long lines (${longest})`;
  if (crlf + cr + lf === 0) notes += ", with no line terminators";
  else if (crlf || cr) {
    const kinds = [crlf ? "CRLF" : "", cr ? "CR" : "", lf ? "LF" : ""].filter(Boolean);
    notes += `, with ${kinds.join(", ")} line terminators`;
  }
  if (escapes) notes += ", with escape sequences";
  if (backspace) notes += ", with overstriking";
  return notes;
}

function isJson(text: string): boolean {
  const t = text.trim();
  if (!(t.startsWith("{") || t.startsWith("["))) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}
