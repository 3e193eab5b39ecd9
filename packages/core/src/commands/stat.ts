/**
 * stat: displays file status (GNU: default layout, -c/--format, --printf, -L, -t). Times have
 * millisecond precision in the VM, printed as nanoseconds like GNU.
 */
import { S_IFBLK, S_IFCHR, S_IFLNK, S_IFMT, type Stat } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { parseArgs, UsageError, usageText } from "./lib/file-args.ts";
import { modeString } from "./lib/file-mode.ts";
import { fileTypeName } from "./lib/file-prompt.ts";
import { quoteAlways, quoteMaybe } from "./lib/file-quote.ts";
import { fullIso } from "./lib/file-time.ts";
import { type IdTables, loadIdTables } from "./lib/file-users.ts";
import { errText } from "./lib/file-util.ts";

const DEFAULT_FORMAT =
  "  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n" +
  "Device: %Hd,%Ld\tInode: %-11i Links: %h\n" +
  "Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n" +
  "Access: %x\nModify: %y\nChange: %z\n Birth: %w\n";

const DEVICE_FORMAT =
  "  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n" +
  "Device: %Hd,%Ld\tInode: %-11i Links: %-5h Device type: %Hr,%Lr\n" +
  "Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n" +
  "Access: %x\nModify: %y\nChange: %z\n Birth: %w\n";

const TERSE_FORMAT = "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o\n";

export const stat: CommandDefinition = {
  name: "stat",
  async main(ctx) {
    let follow = false;
    let format: string | undefined;
    let terse = false;
    let args: ReturnType<typeof parseArgs>;
    try {
      args = parseArgs(ctx.argv.slice(1), "c:fLt", [
        { name: "format", arg: "required", key: "c" },
        { name: "printf", arg: "required", key: "printf" },
        { name: "dereference", arg: "none", key: "L" },
        { name: "terse", arg: "none", key: "t" },
        { name: "file-system", arg: "none", key: "f" },
        { name: "cached", arg: "required", key: "cached" },
      ]);
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("stat", err.message));
        return 1;
      }
      throw err;
    }
    for (const { key, value } of args.options) {
      if (key === "c") format = `${value}\n`;
      else if (key === "printf") format = unescapePrintf(value ?? "");
      else if (key === "L") follow = true;
      else if (key === "t") terse = true;
      else if (key === "f") {
        await ctx.err("stat: option '--file-system' is not supported\n");
        return 1;
      }
    }
    if (args.operands.length === 0) {
      await ctx.err(usageText("stat", "missing operand"));
      return 1;
    }
    const ids = await loadIdTables(ctx);
    let status = 0;
    let out = "";
    for (const name of args.operands) {
      let st: Stat;
      try {
        st = follow ? await ctx.stat(name) : await ctx.lstat(name);
      } catch (err) {
        if (!ctx.alive) throw err;
        if (out) {
          await ctx.out(out);
          out = "";
        }
        await ctx.err(`stat: cannot statx ${quoteAlways(name)}: ${errText(err)}\n`);
        status = 1;
        continue;
      }
      const type = st.mode & S_IFMT;
      const fmt =
        format ??
        (terse
          ? TERSE_FORMAT
          : type === S_IFCHR || type === S_IFBLK
            ? DEVICE_FORMAT
            : DEFAULT_FORMAT);
      const defaultQuoting = format === undefined && !terse;
      out += await render(ctx, fmt, name, st, ids, defaultQuoting);
      if (out.length > 65536) {
        await ctx.out(out);
        out = "";
      }
    }
    if (out) await ctx.out(out);
    return status;
  },
};

/** --printf backslash escapes (\n \t \\ \" \a \b \f \r \v \e, \NNN octal, \xHH). */
function unescapePrintf(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_m, e: string) => {
    if (e[0] === "x") return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(Number.parseInt(e, 8) & 0xff);
    const map: Record<string, string> = {
      n: "\n",
      t: "\t",
      "\\": "\\",
      '"': '"',
      a: "\x07",
      b: "\b",
      f: "\f",
      r: "\r",
      v: "\v",
      e: "\x1b",
    };
    return map[e] ?? `\\${e}`;
  });
}

const major = (dev: number): number => (dev >> 8) & 0xfff;
const minor = (dev: number): number => (dev & 0xff) | ((dev >> 12) & 0xfff00);

async function render(
  ctx: ProcessContext,
  fmt: string,
  name: string,
  st: Stat,
  ids: IdTables,
  defaultQuoting: boolean,
): Promise<string> {
  let out = "";
  const tz = ctx.env.TZ;
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== "%") {
      out += c;
      continue;
    }
    const m = /^%([-#0 +']*)(\d*)(?:\.(\d*))?([HL]?)(.)?/.exec(fmt.slice(i));
    if (!m || m[5] === undefined) {
      out += "%";
      continue;
    }
    i += m[0].length - 1;
    const [, flags, width, precision, hl, conv] = m;
    const num = (n: number): string => pad(String(n), flags, width, true);
    const str = (s: string): string =>
      pad(precision !== undefined ? s.slice(0, Number(precision || 0)) : s, flags, width, false);
    const secs = (ms: number): string => {
      const whole = Math.floor(ms / 1000);
      if (precision === undefined) return num(whole);
      // GNU prints all nine digits for a bare "%.Y".
      const digits = precision === "" ? 9 : Math.min(9, Number(precision));
      const nanos = String(Math.round((ms - whole * 1000) * 1e6)).padStart(9, "0");
      return pad(
        digits > 0 ? `${whole}.${nanos.slice(0, digits)}` : String(whole),
        flags,
        width,
        true,
      );
    };
    switch (conv) {
      case "%":
        out += "%";
        break;
      case "n":
        out += str(name);
        break;
      case "N": {
        const q = defaultQuoting ? quoteMaybe : quoteAlways;
        let text = q(name);
        if ((st.mode & S_IFMT) === S_IFLNK) {
          const target = await ctx.readlink(name).catch(() => "");
          text += ` -> ${q(target)}`;
        }
        out += str(text);
        break;
      }
      case "s":
        out += num(st.size);
        break;
      case "b":
        out += num(st.blocks);
        break;
      case "B":
        out += num(512);
        break;
      case "o":
        out += num(st.blksize);
        break;
      case "f":
        out += str(st.mode.toString(16));
        break;
      case "F":
        out += str(fileTypeName(st));
        break;
      case "a":
        out += pad((st.mode & 0o7777).toString(8), flags, width, true);
        break;
      case "A":
        out += str(modeString(st.mode));
        break;
      case "u":
        out += num(st.uid);
        break;
      case "U":
        out += str(ids.userName(st.uid) ?? "UNKNOWN");
        break;
      case "g":
        out += num(st.gid);
        break;
      case "G":
        out += str(ids.groupName(st.gid) ?? "UNKNOWN");
        break;
      case "h":
        out += num(st.nlink);
        break;
      case "i":
        out += num(st.ino);
        break;
      case "d":
        out += num(hl === "H" ? major(st.dev) : hl === "L" ? minor(st.dev) : st.dev);
        break;
      case "D":
        out += str(st.dev.toString(16));
        break;
      case "r":
        out += num(hl === "H" ? major(st.rdev) : hl === "L" ? minor(st.rdev) : st.rdev);
        break;
      case "R":
        out += str(st.rdev.toString(16));
        break;
      case "t":
        out += str(major(st.rdev).toString(16));
        break;
      case "T":
        out += str(minor(st.rdev).toString(16));
        break;
      case "x":
        out += str(fullIso(st.atimeMs, tz));
        break;
      case "X":
        out += secs(st.atimeMs);
        break;
      case "y":
        out += str(fullIso(st.mtimeMs, tz));
        break;
      case "Y":
        out += secs(st.mtimeMs);
        break;
      case "z":
        out += str(fullIso(st.ctimeMs, tz));
        break;
      case "Z":
        out += secs(st.ctimeMs);
        break;
      case "w":
        out += str(st.birthtimeMs ? fullIso(st.birthtimeMs, tz) : "-");
        break;
      case "W":
        out += st.birthtimeMs ? secs(st.birthtimeMs) : num(0);
        break;
      case "m":
        out += str(await mountPoint(ctx, name));
        break;
      case "C":
        out += str("?");
        break;
      default:
        out += `?`;
        break;
    }
  }
  return out;
}

function pad(text: string, flags: string, width: string, numeric: boolean): string {
  const w = Number(width || 0);
  let t = text;
  if (numeric && flags.includes("+") && !t.startsWith("-")) t = `+${t}`;
  else if (numeric && flags.includes(" ") && !t.startsWith("-")) t = ` ${t}`;
  if (t.length >= w) return t;
  if (flags.includes("-")) return t.padEnd(w);
  if (numeric && flags.includes("0")) {
    const sign = /^[-+ ]/.test(t) ? t[0] : "";
    return sign + t.slice(sign.length).padStart(w - sign.length, "0");
  }
  return t.padStart(w);
}

async function mountPoint(ctx: ProcessContext, name: string): Promise<string> {
  try {
    const abs = await ctx.realpath(name);
    const text = new TextDecoder().decode(await ctx.readFile("/proc/mounts"));
    let best = "/";
    for (const line of text.split("\n")) {
      const mp = line
        .split(" ")[1]
        ?.replace(/\\(\d{3})/g, (_m, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
      if (!mp) continue;
      if ((abs === mp || abs.startsWith(mp === "/" ? "/" : `${mp}/`)) && mp.length > best.length) {
        best = mp;
      }
    }
    return best;
  } catch {
    return "?";
  }
}
