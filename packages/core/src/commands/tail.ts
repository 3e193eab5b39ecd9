/**
 * tail: the last N lines or bytes (or from line/byte N with +N) of each file, as GNU coreutils
 * tail: -n, -c, -q, -v, -z, obsolete -N/+N[bcl][f] forms, and following growing files with
 * -f (by descriptor) / -F (by name, with retry), -s seconds between polls, --pid to stop when a
 * process dies. Following polls with ctx.sleep and ends when tail is killed.
 */
import { O_RDONLY, S_IFIFO, S_IFMT, S_IFREG, type Stat } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError } from "./errors.ts";
import { type ParsedOption, parseArgs, UsageError, usageText } from "./lib/line-getopt.ts";
import { concatBytes, Output, parseSize, quoteAlways } from "./lib/line-io.ts";

const LONG = [
  { name: "bytes", arg: "required" as const, key: "c" },
  { name: "lines", arg: "required" as const, key: "n" },
  { name: "follow", arg: "optional" as const, key: "follow" },
  { name: "retry", arg: "none" as const, key: "retry" },
  { name: "pid", arg: "required" as const, key: "pid" },
  { name: "sleep-interval", arg: "required" as const, key: "s" },
  { name: "max-unchanged-stats", arg: "required" as const, key: "max-unchanged-stats" },
  { name: "quiet", arg: "none" as const, key: "q" },
  { name: "silent", arg: "none" as const, key: "q" },
  { name: "verbose", arg: "none" as const, key: "v" },
  { name: "zero-terminated", arg: "none" as const, key: "z" },
  { name: "help", arg: "none" as const, key: "help" },
  { name: "version", arg: "none" as const, key: "version" },
];

interface Settings {
  bytes: boolean;
  count: number;
  fromStart: boolean;
  delim: number;
  follow: "" | "descriptor" | "name";
  retry: boolean;
  pid: number | undefined;
  sleepMs: number;
}

/** A file being tailed (and maybe followed). */
interface Tracked {
  name: string;
  fd: number;
  opened: boolean;
  stat: Stat | undefined;
  offset: number;
  ignore: boolean;
}

class Fail extends Error {}

export const tail: CommandDefinition = {
  name: "tail",
  async main(ctx) {
    const s: Settings = {
      bytes: false,
      count: 10,
      fromStart: false,
      delim: 0x0a,
      follow: "",
      retry: false,
      pid: undefined,
      sleepMs: 1000,
    };
    let headers: boolean | undefined;
    let args = ctx.argv.slice(1);
    const obsolete = parseObsolete(args);
    if (obsolete === "invalid") {
      await ctx.err(`tail: invalid number: ${quoteAlways(args[0])}\n`);
      return 1;
    }
    if (obsolete) {
      Object.assign(s, obsolete);
      args = args.slice(1);
    }
    let parsed: { options: ParsedOption[]; operands: string[] };
    try {
      parsed = parseArgs(args, { short: "c:n:fFqs:vz0123456789", long: LONG });
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("tail", err.message));
        return 1;
      }
      throw err;
    }
    try {
      for (const opt of parsed.options) {
        const value = opt.value ?? "";
        switch (opt.key) {
          case "c":
          case "n": {
            s.bytes = opt.key === "c";
            let text = value;
            s.fromStart = text.startsWith("+");
            if (text.startsWith("+") || text.startsWith("-")) text = text.slice(1);
            const size = parseSize(text, "bkKmMGTPEZY0");
            if ("error" in size) {
              const what = s.bytes ? "bytes" : "lines";
              const extra =
                size.error === "overflow" ? ": Value too large for defined data type" : "";
              throw new Fail(`tail: invalid number of ${what}: ${quoteAlways(value)}${extra}\n`);
            }
            s.count = size.value;
            break;
          }
          case "f":
            s.follow = "descriptor";
            break;
          case "F":
            s.follow = "name";
            s.retry = true;
            break;
          case "follow":
            if (opt.value === undefined || ("descriptor".startsWith(value) && value !== ""))
              s.follow = "descriptor";
            else if ("name".startsWith(value) && value !== "") s.follow = "name";
            else {
              throw new Fail(
                `tail: invalid argument ${quoteAlways(value)} for '--follow'\nValid arguments are:\n  - 'descriptor'\n  - 'name'\nTry 'tail --help' for more information.\n`,
              );
            }
            break;
          case "retry":
            s.retry = true;
            break;
          case "pid": {
            if (!/^\s*[0-9]+$/.test(value))
              throw new Fail(`tail: invalid PID: ${quoteAlways(value)}\n`);
            s.pid = Number(value);
            break;
          }
          case "s": {
            const secs = Number(value);
            if (value.trim() === "" || !Number.isFinite(secs) || secs < 0)
              throw new Fail(`tail: invalid number of seconds: ${quoteAlways(value)}\n`);
            s.sleepMs = secs * 1000;
            break;
          }
          case "max-unchanged-stats":
            break;
          case "q":
            headers = false;
            break;
          case "v":
            headers = true;
            break;
          case "z":
            s.delim = 0;
            break;
          case "help":
            await ctx.out("Usage: tail [OPTION]... [FILE]...\n");
            return 0;
          case "version":
            await ctx.out("tail (GNU coreutils) 9.1\n");
            return 0;
          default:
            throw new Fail(`tail: option used in invalid context -- ${opt.key}\n`);
        }
      }
    } catch (err) {
      if (err instanceof Fail) {
        await ctx.err(err.message);
        return 1;
      }
      throw err;
    }
    if (s.fromStart && s.count > 0) s.count--;
    const names = parsed.operands.length > 0 ? parsed.operands : ["-"];
    const showHeaders = headers ?? names.length > 1;
    const out = new Output(ctx);
    let status = 0;
    let first = true;
    const tracked: Tracked[] = [];
    for (const name of names) {
      const t: Tracked = { name, fd: 0, opened: false, stat: undefined, offset: 0, ignore: false };
      tracked.push(t);
      try {
        if (name !== "-") {
          t.fd = await ctx.open(name, O_RDONLY);
          t.opened = true;
        }
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        await ctx.err(
          `tail: cannot open ${quoteAlways(name)} for reading: ${describeError(err)}\n`,
        );
        status = 1;
        t.ignore = !(s.follow === "name" && s.retry);
        t.fd = -1;
        continue;
      }
      try {
        if (showHeaders) await out.write(`${first ? "" : "\n"}==> ${label(name)} <==\n`);
        first = false;
        await tailFile(ctx, t.fd, s, out);
        t.stat = await ctx.fstat(t.fd);
        t.offset = t.stat.size;
      } catch (err) {
        if (!ctx.alive) throw err;
        await out.flush();
        const shown = name === "-" ? "'standard input'" : quoteAlways(name);
        await ctx.err(`tail: error reading ${shown}: ${describeError(err)}\n`);
        status = 1;
        t.ignore = true;
      }
    }
    await out.flush();
    if (!s.follow) {
      closeAll(ctx, tracked);
      return status;
    }
    // Following a pipe (stdin or a FIFO) is pointless once it hit EOF: GNU drops it.
    for (const t of tracked) {
      const type = t.stat ? t.stat.mode & S_IFMT : 0;
      if (t.stat && type !== S_IFREG) t.ignore = true;
      if (t.name === "-" && t.stat && type === S_IFIFO) t.ignore = true;
    }
    if (tracked.every((t) => t.ignore)) {
      if (tracked.some((t) => t.fd < 0)) await ctx.err("tail: no files remaining\n");
      closeAll(ctx, tracked);
      return status;
    }
    let last = tracked.length > 0 ? tracked[tracked.length - 1] : undefined;
    for (;;) {
      if (s.pid !== undefined && !processAlive(ctx, s.pid)) break;
      await ctx.sleep(s.sleepMs);
      for (const t of tracked) {
        if (t.ignore) continue;
        if (s.follow === "name") await reopenByName(ctx, t, s);
        if (t.fd < 0) continue;
        let st: Stat;
        try {
          st = await ctx.fstat(t.fd);
        } catch {
          continue;
        }
        if (st.size < t.offset) {
          await ctx.err(`tail: ${t.name}: file truncated\n`);
          await ctx.lseek(t.fd, 0, 0);
          t.offset = 0;
        }
        if (st.size === t.offset) continue;
        if (showHeaders && last !== t) {
          await out.write(`\n==> ${label(t.name)} <==\n`);
        }
        last = t;
        for (;;) {
          const chunk = await ctx.read(t.fd);
          if (chunk === null || chunk.length === 0) break;
          t.offset += chunk.length;
          await out.write(chunk);
        }
        await out.flush();
      }
    }
    closeAll(ctx, tracked);
    return status;
  },
};

function label(name: string): string {
  return name === "-" ? "standard input" : name;
}

function closeAll(ctx: ProcessContext, tracked: Tracked[]): void {
  for (const t of tracked) if (t.opened && t.fd >= 0) ctx.close(t.fd);
}

function processAlive(ctx: ProcessContext, pid: number): boolean {
  try {
    return ctx.kernel.process(pid).alive;
  } catch {
    return false;
  }
}

/** -F: notices a file that appeared, vanished or was replaced under its name. */
async function reopenByName(ctx: ProcessContext, t: Tracked, s: Settings): Promise<void> {
  let st: Stat | undefined;
  try {
    st = await ctx.stat(t.name);
  } catch (err) {
    if (t.fd >= 0) {
      await ctx.err(
        `tail: ${quoteAlways(t.name)} has become inaccessible: ${describeError(err)}\n`,
      );
      if (t.opened) ctx.close(t.fd);
      t.fd = -1;
      t.opened = false;
    }
    return;
  }
  if (t.fd >= 0 && t.stat && st.ino === t.stat.ino && st.dev === t.stat.dev) return;
  const appeared = t.fd < 0;
  if (t.fd >= 0 && t.opened) ctx.close(t.fd);
  try {
    t.fd = await ctx.open(t.name, O_RDONLY);
    t.opened = true;
  } catch {
    t.fd = -1;
    t.opened = false;
    return;
  }
  await ctx.err(
    appeared
      ? `tail: ${quoteAlways(t.name)} has appeared;  following new file\n`
      : `tail: ${quoteAlways(t.name)} has been replaced;  following new file\n`,
  );
  t.stat = st;
  t.offset = 0;
  void s;
}

/** The obsolete "tail -5", "tail +3c", "tail -3f file" forms (one option and one file at most). */
function parseObsolete(args: string[]): Partial<Settings> | "invalid" | undefined {
  if (args.length === 0) return undefined;
  const ok =
    args.length === 1 ||
    (args.length === 2 && !(args[1].startsWith("-") && args[1].length > 1)) ||
    (args.length >= 2 && args.length <= 3 && args[1] === "--");
  if (!ok) return undefined;
  const arg = args[0];
  if (arg[0] !== "+" && arg[0] !== "-") return undefined;
  if (arg[0] === "-") {
    const p = arg.slice(1);
    if (p === "" || p === "c") return undefined;
  }
  const m = /^[+-]([0-9]*)([bcl]?)(f?)$/.exec(arg);
  if (!m) return undefined;
  let count = m[2] === "b" ? 5120 : 10;
  if (m[1] !== "") {
    const size = parseSize(m[1], "b");
    if ("error" in size) return "invalid";
    count = size.value * (m[2] === "b" ? 512 : 1);
  }
  return {
    count,
    fromStart: arg[0] === "+",
    bytes: m[2] === "b" || m[2] === "c",
    follow: m[3] ? "descriptor" : "",
  };
}

async function tailFile(ctx: ProcessContext, fd: number, s: Settings, out: Output): Promise<void> {
  if (s.fromStart) {
    let skip = s.count;
    for (;;) {
      const chunk = await ctx.read(fd);
      if (chunk === null || chunk.length === 0) return;
      let start = 0;
      if (skip > 0) {
        if (s.bytes) {
          start = Math.min(skip, chunk.length);
          skip -= start;
        } else {
          while (skip > 0 && start < chunk.length) {
            const at = chunk.indexOf(s.delim, start);
            if (at < 0) {
              start = chunk.length;
              break;
            }
            start = at + 1;
            skip--;
          }
        }
      }
      if (start < chunk.length) await out.write(chunk.subarray(start));
    }
  }
  if (s.bytes) {
    // Keep only the last `count` bytes seen.
    let held: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const chunk = await ctx.read(fd);
      if (chunk === null || chunk.length === 0) break;
      held.push(chunk);
      size += chunk.length;
      if (size > s.count * 2 + 65536) {
        const all = concatBytes(held, size);
        held = [all.slice(all.length - s.count)];
        size = s.count;
      }
    }
    const all = concatBytes(held, size);
    await out.write(all.subarray(Math.max(0, all.length - s.count)));
    return;
  }
  // Lines: keep the chunks that hold the last `count` delimiters (plus a partial last line).
  const chunks: Uint8Array[] = [];
  let lines = 0;
  for (;;) {
    const chunk = await ctx.read(fd);
    if (chunk === null || chunk.length === 0) break;
    chunks.push(chunk);
    lines += countByte(chunk, s.delim);
    // Drop leading chunks that are not needed any more.
    while (chunks.length > 1) {
      const firstLines = countByte(chunks[0], s.delim);
      if (lines - firstLines < s.count + 1) break;
      chunks.shift();
      lines -= firstLines;
    }
  }
  if (s.count === 0 || chunks.length === 0) return;
  const all = concatBytes(chunks);
  // Walk back from the end: a missing final delimiter still ends a line.
  let pos = all.length;
  if (all[pos - 1] === s.delim) pos--;
  let need = s.count;
  while (pos > 0) {
    const at = all.lastIndexOf(s.delim, pos - 1);
    if (at < 0) {
      pos = 0;
      break;
    }
    need--;
    if (need === 0) {
      pos = at + 1;
      break;
    }
    pos = at;
  }
  await out.write(all.subarray(pos));
}

function countByte(chunk: Uint8Array, byte: number): number {
  let n = 0;
  let at = chunk.indexOf(byte);
  while (at >= 0) {
    n++;
    at = chunk.indexOf(byte, at + 1);
  }
  return n;
}
