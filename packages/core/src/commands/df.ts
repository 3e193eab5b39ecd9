/**
 * df: reports file system space usage, one line per mount of the VM (/proc/mounts order),
 * sizes from each backend's usage() (total = its byte budget). VM-specific values: mounts
 * without a usage report (proc, dev) have 0 blocks and are hidden unless -a, as GNU hides
 * pseudo file systems. Options: -a -h -H -k -T -t TYPE -x TYPE -P --total.
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { parseArgs, UsageError, usageText } from "./lib/file-args.ts";
import { quoteMaybe } from "./lib/file-quote.ts";
import { errText, humanSize } from "./lib/file-util.ts";

interface Row {
  source: string;
  type: string;
  size: number;
  used: number;
  avail: number;
  target: string;
}

export const df: CommandDefinition = {
  name: "df",
  async main(ctx) {
    let all = false;
    let human = false;
    let si = false;
    let showType = false;
    let posix = false;
    let total = false;
    const only: string[] = [];
    const exclude: string[] = [];
    let args: ReturnType<typeof parseArgs>;
    try {
      args = parseArgs(ctx.argv.slice(1), "ahHklPTt:x:", [
        { name: "all", arg: "none", key: "a" },
        { name: "human-readable", arg: "none", key: "h" },
        { name: "si", arg: "none", key: "H" },
        { name: "local", arg: "none", key: "l" },
        { name: "portability", arg: "none", key: "P" },
        { name: "print-type", arg: "none", key: "T" },
        { name: "type", arg: "required", key: "t" },
        { name: "exclude-type", arg: "required", key: "x" },
        { name: "total", arg: "none", key: "total" },
        { name: "inodes", arg: "none", key: "i" },
      ]);
    } catch (err) {
      if (err instanceof UsageError) {
        await ctx.err(usageText("df", err.message));
        return 1;
      }
      throw err;
    }
    for (const { key, value, spelled } of args.options) {
      switch (key) {
        case "a":
          all = true;
          break;
        case "h":
          human = true;
          si = false;
          break;
        case "H":
          human = true;
          si = true;
          break;
        case "k":
          human = false;
          break;
        case "l":
          break;
        case "P":
          posix = true;
          break;
        case "T":
          showType = true;
          break;
        case "t":
          only.push(value ?? "");
          break;
        case "x":
          exclude.push(value ?? "");
          break;
        case "total":
          total = true;
          break;
        default:
          await ctx.err(`df: option '${spelled}' is not supported\n`);
          return 1;
      }
    }
    const mounts = ctx.kernel.fs.mounts.list();
    const rowOf = (m: (typeof mounts)[number]): Row => {
      const u = m.backend.usage?.();
      const size = u ? u.totalBytes : 0;
      const used = u ? Math.min(u.usedBytes, size) : 0;
      return {
        source: m.source,
        type: m.type,
        size,
        used,
        avail: Math.max(0, size - used),
        target: m.path,
      };
    };
    let status = 0;
    let rows: Row[] = [];
    if (args.operands.length > 0) {
      for (const name of args.operands) {
        try {
          const abs = await ctx.realpath(name);
          let best: (typeof mounts)[number] | undefined;
          for (const m of mounts) {
            const inside = m.path === "/" || abs === m.path || abs.startsWith(`${m.path}/`);
            if (inside && (!best || m.path.length > best.path.length)) best = m;
          }
          if (best) rows.push(rowOf(best));
        } catch (err) {
          if (!ctx.alive) throw err;
          await ctx.err(`df: ${quoteMaybe(name)}: ${errText(err)}\n`);
          status = 1;
        }
      }
    } else {
      const ordered = [...mounts].sort((a, b) => a.dev - b.dev);
      rows = ordered.map(rowOf).filter((r) => all || r.size > 0);
    }
    rows = rows.filter(
      (r) => (only.length === 0 || only.includes(r.type)) && !exclude.includes(r.type),
    );
    if (rows.length === 0 && status === 0) {
      await ctx.err("df: no file systems processed\n");
      return 1;
    }
    if (rows.length === 0) return status;
    if (total) {
      rows.push({
        source: "total",
        type: "-",
        size: rows.reduce((s, r) => s + r.size, 0),
        used: rows.reduce((s, r) => s + r.used, 0),
        avail: rows.reduce((s, r) => s + r.avail, 0),
        target: "-",
      });
    }
    const num = (bytes: number): string =>
      human ? humanSize(bytes, si ? 1000 : 1024, si) : String(Math.ceil(bytes / 1024));
    const pct = (r: Row): string =>
      r.size === 0 ? "-" : `${Math.ceil((r.used * 100) / (r.used + r.avail || 1))}%`;
    const header = [
      "Filesystem",
      ...(showType ? ["Type"] : []),
      human ? "Size" : posix ? "1024-blocks" : "1K-blocks",
      "Used",
      human ? "Avail" : "Available",
      posix ? "Capacity" : "Use%",
      "Mounted on",
    ];
    const table = rows.map((r) => [
      r.source,
      ...(showType ? [r.type] : []),
      num(r.size),
      num(r.used),
      num(r.avail),
      pct(r),
      r.target,
    ]);
    const mins = [14, ...(showType ? [4] : []), 5, 5, 5, 4, 0];
    const left = [true, ...(showType ? [true] : []), false, false, false, false, true];
    const widths = header.map((h, i) =>
      Math.max(mins[i], h.length, ...table.map((row) => row[i].length)),
    );
    const line = (cells: string[]): string =>
      cells
        .map((c, i) =>
          i === cells.length - 1 ? c : left[i] ? c.padEnd(widths[i]) : c.padStart(widths[i]),
        )
        .join(" ");
    await ctx.out([header, ...table].map((c) => `${line(c)}\n`).join(""));
    return status;
  },
};
