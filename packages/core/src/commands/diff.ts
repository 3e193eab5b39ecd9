/**
 * diff: compares files line by line, as GNU diffutils 3.8 (LC_ALL=C). Output styles: normal
 * (default), -c/-C context, -u/-U unified, -q brief; -r recursive directory comparison with
 * "Only in" and "Common subdirectories" lines; -N, -s, -i -w -b -E -Z -B --strip-trailing-cr,
 * -a, -t -T, --label, --color=never, -d, -H, --horizon-lines, --tabsize. The line matching
 * is GNU's own algorithm (see lib/diff-analyze.ts).
 */
import { isKernelError } from "../fs/errors.ts";
import { isDirMode, isFileMode, isLinkMode, O_RDONLY, S_IFMT, type Stat } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError } from "./errors.ts";
import { analyzeLines, type Change, type WhiteSpaceMode } from "./lib/diff-analyze.ts";
import { getoptLong, type LongOption, shellQuoteWord } from "./lib/diff-getopt.ts";
import { latin1, OutBuffer, splitLines } from "./lib/diff-outbuf.ts";

type Style = "normal" | "context" | "unified";

interface DiffOptions {
  style: Style | undefined;
  context: number;
  brief: boolean;
  reportIdentical: boolean;
  recursive: boolean;
  newFile: boolean;
  unidirectionalNewFile: boolean;
  ignoreCase: boolean;
  ignoreBlankLines: boolean;
  whiteSpace: { tab: boolean; trailing: boolean; change: boolean; all: boolean };
  stripTrailingCr: boolean;
  text: boolean;
  expandTabs: boolean;
  initialTab: boolean;
  suppressBlankEmpty: boolean;
  tabSize: number;
  labels: string[];
  minimal: boolean;
  speedLargeFiles: boolean;
  horizon: number;
  switchString: string;
}

const LONGS: LongOption[] = [
  { name: "brief", arg: "none", key: "q" },
  { name: "context", arg: "optional", key: "context" },
  { name: "unified", arg: "optional", key: "unified" },
  { name: "normal", arg: "none", key: "normal" },
  { name: "report-identical-files", arg: "none", key: "s" },
  { name: "recursive", arg: "none", key: "r" },
  { name: "new-file", arg: "none", key: "N" },
  { name: "unidirectional-new-file", arg: "none", key: "unidirectional-new-file" },
  { name: "ignore-case", arg: "none", key: "i" },
  { name: "ignore-blank-lines", arg: "none", key: "B" },
  { name: "ignore-space-change", arg: "none", key: "b" },
  { name: "ignore-all-space", arg: "none", key: "w" },
  { name: "ignore-tab-expansion", arg: "none", key: "E" },
  { name: "ignore-trailing-space", arg: "none", key: "Z" },
  { name: "ignore-matching-lines", arg: "required", key: "I" },
  { name: "strip-trailing-cr", arg: "none", key: "strip-trailing-cr" },
  { name: "text", arg: "none", key: "a" },
  { name: "expand-tabs", arg: "none", key: "t" },
  { name: "initial-tab", arg: "none", key: "T" },
  { name: "suppress-blank-empty", arg: "none", key: "suppress-blank-empty" },
  { name: "tabsize", arg: "required", key: "tabsize" },
  { name: "label", arg: "required", key: "label" },
  { name: "color", arg: "optional", key: "color" },
  { name: "palette", arg: "required", key: "palette" },
  { name: "minimal", arg: "none", key: "d" },
  { name: "speed-large-files", arg: "none", key: "H" },
  { name: "horizon-lines", arg: "required", key: "horizon-lines" },
  { name: "help", arg: "none", key: "help" },
  { name: "version", arg: "none", key: "v" },
  { name: "ed", arg: "none", key: "e" },
  { name: "rcs", arg: "none", key: "n" },
  { name: "side-by-side", arg: "none", key: "y" },
  { name: "width", arg: "required", key: "W" },
  { name: "left-column", arg: "none", key: "left-column" },
  { name: "suppress-common-lines", arg: "none", key: "suppress-common-lines" },
  { name: "show-c-function", arg: "none", key: "p" },
  { name: "show-function-line", arg: "required", key: "F" },
  { name: "paginate", arg: "none", key: "l" },
  { name: "no-dereference", arg: "none", key: "no-dereference" },
  { name: "ignore-file-name-case", arg: "none", key: "ignore-file-name-case" },
  { name: "no-ignore-file-name-case", arg: "none", key: "no-ignore-file-name-case" },
  { name: "exclude", arg: "required", key: "x" },
  { name: "exclude-from", arg: "required", key: "X" },
  { name: "starting-file", arg: "required", key: "S" },
  { name: "from-file", arg: "required", key: "from-file" },
  { name: "to-file", arg: "required", key: "to-file" },
  { name: "ifdef", arg: "required", key: "D" },
  { name: "old-group-format", arg: "required", key: "old-group-format" },
  { name: "new-group-format", arg: "required", key: "new-group-format" },
  { name: "unchanged-group-format", arg: "required", key: "unchanged-group-format" },
  { name: "changed-group-format", arg: "required", key: "changed-group-format" },
  { name: "line-format", arg: "required", key: "line-format" },
  { name: "old-line-format", arg: "required", key: "old-line-format" },
  { name: "new-line-format", arg: "required", key: "new-line-format" },
  { name: "unchanged-line-format", arg: "required", key: "unchanged-line-format" },
  { name: "binary", arg: "none", key: "binary" },
  { name: "forward-ed", arg: "none", key: "f" },
];

LONGS.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));

const SHORTS = "0123456789abBcC:dD:eEfF:hHiI:lL:nNpPqrsS:tTuU:vwW:x:X:yZ";

class UsageError extends Error {}

/** Status codes. */
const SAME = 0;
const DIFFERENT = 1;
const TROUBLE = 2;

const NONEXISTENT = Symbol("nonexistent");

interface Side {
  /** Name as shown in messages and headers. */
  name: string;
  stat: Stat | typeof NONEXISTENT;
  isStdin: boolean;
}

class Diff {
  readonly ctx: ProcessContext;
  readonly opts: DiffOptions;
  readonly out: OutBuffer;

  constructor(ctx: ProcessContext, opts: DiffOptions) {
    this.ctx = ctx;
    this.opts = opts;
    this.out = new OutBuffer(ctx);
  }

  async error(message: string): Promise<void> {
    await this.out.flush();
    await this.ctx.err(`diff: ${message}\n`);
  }

  async statSide(name: string, allowMissing: boolean): Promise<Side | number> {
    if (name === "-") {
      const stat = await this.ctx.fstat(0);
      return { name, stat, isStdin: true };
    }
    try {
      return { name, stat: await this.ctx.stat(name), isStdin: false };
    } catch (err) {
      if (allowMissing && isKernelError(err) && err.code === "ENOENT") {
        return { name, stat: NONEXISTENT, isStdin: false };
      }
      await this.error(`${name}: ${describeError(err)}`);
      return TROUBLE;
    }
  }

  async top(name0: string, name1: string): Promise<number> {
    const allowMissing = this.opts.newFile || this.opts.unidirectionalNewFile;
    let s0 = await this.statSide(name0, allowMissing);
    let s1 = await this.statSide(name1, this.opts.newFile);
    if (typeof s0 === "number" || typeof s1 === "number") return TROUBLE;
    if (s0.stat === NONEXISTENT && s1.stat === NONEXISTENT) {
      await this.error(`${name0}: No such file or directory`);
      return TROUBLE;
    }
    const dir0 = s0.stat !== NONEXISTENT && isDirMode(s0.stat.mode);
    const dir1 = s1.stat !== NONEXISTENT && isDirMode(s1.stat.mode);
    // DIR FILE compares DIR/basename(FILE) with FILE.
    if (dir0 && !dir1 && s1.stat !== NONEXISTENT) {
      if (s1.isStdin) {
        await this.error("cannot compare '-' to a directory");
        return TROUBLE;
      }
      const joined = joinPath(name0, baseName(name1));
      s0 = await this.statSide(joined, false);
      if (typeof s0 === "number") return TROUBLE;
    } else if (dir1 && !dir0 && s0.stat !== NONEXISTENT) {
      if (s0.isStdin) {
        await this.error("cannot compare '-' to a directory");
        return TROUBLE;
      }
      const joined = joinPath(name1, baseName(name0));
      s1 = await this.statSide(joined, false);
      if (typeof s1 === "number") return TROUBLE;
    }
    return this.compare(s0, s1, undefined);
  }

  /** compare_prepped_files: `parent` holds the directory names when inside -r. */
  async compare(s0: Side, s1: Side, parent: [string, string] | undefined): Promise<number> {
    const o = this.opts;
    const toplevel = parent === undefined;
    if (s0.stat === NONEXISTENT && s1.stat === NONEXISTENT) return SAME;
    const isDir = (s: Side) => s.stat !== NONEXISTENT && isDirMode(s.stat.mode);
    if (
      (isDir(s0) && isDir(s1)) ||
      (o.recursive &&
        (((o.newFile || o.unidirectionalNewFile) && isDir(s1) && s0.stat === NONEXISTENT) ||
          (o.newFile && isDir(s0) && s1.stat === NONEXISTENT)))
    ) {
      if (o.recursive || toplevel) return this.compareDirs(s0, s1);
      await this.out.text(`Common subdirectories: ${s0.name} and ${s1.name}\n`);
      return SAME;
    }
    if (
      (s0.stat === NONEXISTENT && !(o.newFile || o.unidirectionalNewFile)) ||
      (s1.stat === NONEXISTENT && !o.newFile)
    ) {
      const existing = s0.stat === NONEXISTENT ? 1 : 0;
      const dname = parent ? parent[existing] : ".";
      const bname = baseName(existing ? s1.name : s0.name);
      await this.out.text(`Only in ${dname}: ${bname}\n`);
      return DIFFERENT;
    }
    if (s0.stat !== NONEXISTENT && s1.stat !== NONEXISTENT) {
      const m0 = s0.stat.mode;
      const m1 = s1.stat.mode;
      const typeDiffers = toplevel
        ? isLinkMode(m0) !== isLinkMode(m1)
        : isFileMode(m0)
          ? !isFileMode(m1)
          : (m0 & S_IFMT) !== (m1 & S_IFMT) || !isSpecialComparable(m0);
      if (typeDiffers) {
        await this.out.text(
          `File ${this.label(0, s0.name)} is a ${fileType(s0.stat)} while file ${this.label(1, s1.name)} is a ${fileType(s1.stat)}\n`,
        );
        return DIFFERENT;
      }
      if (!toplevel && !isFileMode(m0)) {
        return s0.stat.rdev === s1.stat.rdev ? SAME : DIFFERENT;
      }
    }
    return this.compareFiles(s0, s1, parent);
  }

  label(index: 0 | 1, name: string): string {
    return this.opts.labels[index] ?? name;
  }

  async compareDirs(s0: Side, s1: Side): Promise<number> {
    const list = async (side: Side): Promise<string[] | number> => {
      if (side.stat === NONEXISTENT) return [];
      try {
        return (await this.ctx.readdir(side.name)).map((e) => e.name);
      } catch (err) {
        await this.error(`${side.name}: ${describeError(err)}`);
        return TROUBLE;
      }
    };
    const l0 = await list(s0);
    const l1 = await list(s1);
    if (typeof l0 === "number" || typeof l1 === "number") return TROUBLE;
    const names = [...new Set([...l0, ...l1])].sort(compareBytes);
    const set0 = new Set(l0);
    const set1 = new Set(l1);
    let status = SAME;
    for (const name of names) {
      const n0 = joinPath(s0.name, name);
      const n1 = joinPath(s1.name, name);
      const c0 = set0.has(name) ? await this.statSide(n0, true) : sideMissing(n0);
      const c1 = set1.has(name) ? await this.statSide(n1, true) : sideMissing(n1);
      let result: number;
      if (typeof c0 === "number" || typeof c1 === "number") result = TROUBLE;
      else result = await this.compare(c0, c1, [s0.name, s1.name]);
      status = Math.max(status, result);
    }
    return status;
  }

  async readSide(side: Side): Promise<Uint8Array | number> {
    if (side.stat === NONEXISTENT) return new Uint8Array(0);
    if (side.isStdin) return this.ctx.readAll(0);
    let fd: number;
    try {
      fd = await this.ctx.open(side.name, O_RDONLY);
    } catch (err) {
      await this.error(`${side.name}: ${describeError(err)}`);
      return TROUBLE;
    }
    try {
      return await this.ctx.readAll(fd);
    } catch (err) {
      if (!this.ctx.alive) throw err;
      await this.error(`${side.name}: ${describeError(err)}`);
      return TROUBLE;
    } finally {
      this.ctx.close(fd);
    }
  }

  async compareFiles(s0: Side, s1: Side, parent: [string, string] | undefined): Promise<number> {
    const o = this.opts;
    const d0 = await this.readSide(s0);
    if (typeof d0 === "number") return d0;
    const d1 = s0.isStdin && s1.isStdin ? d0 : await this.readSide(s1);
    if (typeof d1 === "number") return d1;
    const ignoring =
      o.ignoreCase ||
      o.ignoreBlankLines ||
      o.whiteSpace.all ||
      o.whiteSpace.change ||
      o.whiteSpace.tab ||
      o.whiteSpace.trailing ||
      o.stripTrailingCr;
    const binary = !o.text && (hasNul(d0) || hasNul(d1) || (o.brief && !ignoring));
    const label0 = this.label(0, s0.name);
    const label1 = this.label(1, s1.name);
    if (binary) {
      const differ = !bytesEqual(d0, d1);
      if (differ) {
        await this.out.text(
          o.brief
            ? `Files ${label0} and ${label1} differ\n`
            : `Binary files ${label0} and ${label1} differ\n`,
        );
        return DIFFERENT;
      }
      if (o.reportIdentical) await this.out.text(`Files ${label0} and ${label1} are identical\n`);
      return SAME;
    }
    let t0 = latin1(d0);
    let t1 = latin1(d1);
    if (o.stripTrailingCr) {
      t0 = t0.replace(/\r\n/g, "\n");
      t1 = t1.replace(/\r\n/g, "\n");
    }
    const f0 = splitLines(t0);
    const f1 = splitLines(t1);
    const ws = o.whiteSpace;
    const mode: WhiteSpaceMode = ws.all
      ? "all"
      : ws.change
        ? "space-change"
        : ws.tab && ws.trailing
          ? "tab-trailing"
          : ws.trailing
            ? "trailing"
            : ws.tab
              ? "tab"
              : "none";
    const style = o.style ?? "normal";
    const context = style === "normal" ? 0 : o.context;
    const script = analyzeLines(f0, f1, {
      ignoreCase: o.ignoreCase,
      whiteSpace: mode,
      tabSize: o.tabSize,
      horizon: Math.max(o.horizon, context),
      minimal: o.minimal,
      speedLargeFiles: o.speedLargeFiles,
    });
    const ignorable = o.ignoreBlankLines
      ? script.map((c) => this.isBlankChange(c, f0.lines, f1.lines, mode))
      : script.map(() => false);
    const changes = ignorable.some((ig) => !ig);
    if (!changes) {
      if (o.reportIdentical) await this.out.text(`Files ${label0} and ${label1} are identical\n`);
      return SAME;
    }
    if (o.brief) {
      await this.out.text(`Files ${label0} and ${label1} differ\n`);
      return DIFFERENT;
    }
    if (parent) await this.out.text(`diff${o.switchString} ${s0.name} ${s1.name}\n`);
    const printer = new HunkPrinter(this, f0, f1, context);
    if (style === "normal") {
      for (let k = 0; k < script.length; k++) {
        if (!ignorable[k]) await printer.normal(script[k]);
      }
    } else {
      await this.out.text(
        style === "unified"
          ? `--- ${await this.header(0, s0)}\n+++ ${await this.header(1, s1)}\n`
          : `*** ${await this.header(0, s0)}\n--- ${await this.header(1, s1)}\n`,
      );
      // find_hunk: group changes separated by fewer than 2*context+1 unchanged lines (or
      // context lines when the next change is ignorable).
      let k = 0;
      while (k < script.length) {
        const start = k;
        for (;;) {
          const top0 = script[k].line0 + script[k].deleted;
          const next = script[k + 1];
          if (!next) break;
          const thresh = ignorable[k + 1] ? context : 2 * context + 1;
          if (next.line0 - top0 < thresh) k++;
          else break;
        }
        const hunk = script.slice(start, k + 1);
        k++;
        if (hunk.every((_, idx) => ignorable[start + idx])) continue;
        if (style === "unified") await printer.unified(hunk);
        else await printer.contextHunk(hunk);
      }
    }
    return DIFFERENT;
  }

  isBlankChange(c: Change, a: string[], b: string[], mode: WhiteSpaceMode): boolean {
    const skipWhite = mode !== "none" && mode !== "tab";
    const blank = (line: string): boolean =>
      skipWhite ? /^[ \t\n\v\f\r]*$/.test(line) : line === "";
    for (let i = c.line0; i < c.line0 + c.deleted; i++) if (!blank(a[i])) return false;
    for (let i = c.line1; i < c.line1 + c.inserted; i++) if (!blank(b[i])) return false;
    return true;
  }

  async header(index: 0 | 1, side: Side): Promise<string> {
    const label = this.opts.labels[index];
    if (label !== undefined) return label;
    const ms = side.stat === NONEXISTENT ? 0 : side.stat.mtimeMs;
    return `${side.name}\t${this.opts.style === "context" ? formatCTime(ms) : formatTime(ms)}`;
  }
}

class HunkPrinter {
  readonly diff: Diff;
  readonly a: { lines: string[]; missingNewline: boolean };
  readonly b: { lines: string[]; missingNewline: boolean };
  readonly context: number;

  constructor(
    diff: Diff,
    a: { lines: string[]; missingNewline: boolean },
    b: { lines: string[]; missingNewline: boolean },
    context: number,
  ) {
    this.diff = diff;
    this.a = a;
    this.b = b;
    this.context = context;
  }

  /** print_1_line: flag, separator, text, and the "No newline" marker for the last line. */
  line(flag: string, file: 0 | 1, i: number): string {
    const o = this.diff.opts;
    const f = file === 0 ? this.a : this.b;
    let text = f.lines[i];
    if (o.expandTabs) text = expandTabs(text, o.tabSize);
    let s = "";
    if (flag !== "") {
      if (o.suppressBlankEmpty && text === "") s = flag.trimEnd();
      else s = o.initialTab ? `${flag}\t` : `${flag} `;
    }
    s += text;
    const incomplete = f.missingNewline && i === f.lines.length - 1;
    s += incomplete ? "\n\\ No newline at end of file\n" : "\n";
    return s;
  }

  async normal(c: Change): Promise<void> {
    const letter = c.deleted && c.inserted ? "c" : c.deleted ? "d" : "a";
    const range = (first: number, count: number): string =>
      count > 1 ? `${first + 1},${first + count}` : `${count === 0 ? first : first + 1}`;
    let s = `${range(c.line0, c.deleted)}${letter}${range(c.line1, c.inserted)}\n`;
    for (let i = c.line0; i < c.line0 + c.deleted; i++) s += this.line("<", 0, i);
    if (c.deleted && c.inserted) s += "---\n";
    for (let i = c.line1; i < c.line1 + c.inserted; i++) s += this.line(">", 1, i);
    await this.diff.out.text(s);
  }

  bounds(hunk: Change[]): [number, number, number, number] {
    const first = hunk[0];
    const last = hunk[hunk.length - 1];
    const ctx = this.context;
    const first0 = Math.max(first.line0 - ctx, 0);
    const first1 = Math.max(first.line1 - ctx, 0);
    let last0 = last.line0 + last.deleted - 1;
    let last1 = last.line1 + last.inserted - 1;
    const n0 = this.a.lines.length;
    const n1 = this.b.lines.length;
    last0 = last0 < n0 - ctx ? last0 + ctx : n0 - 1;
    last1 = last1 < n1 - ctx ? last1 + ctx : n1 - 1;
    return [first0, last0, first1, last1];
  }

  async unified(hunk: Change[]): Promise<void> {
    const [first0, last0, first1, last1] = this.bounds(hunk);
    const range = (a: number, b: number): string => {
      const ta = a + 1;
      const tb = b + 1;
      if (tb <= ta) return tb < ta ? `${tb},0` : `${tb}`;
      return `${ta},${tb - ta + 1}`;
    };
    const parts: string[] = [`@@ -${range(first0, last0)} +${range(first1, last1)} @@\n`];
    let i = first0;
    let j = first1;
    let h = 0;
    while (i <= last0 || j <= last1) {
      const next = hunk[h];
      if (!next || i < next.line0) {
        parts.push(this.contextLine(i));
        i++;
        j++;
      } else {
        for (let k = 0; k < next.deleted; k++) parts.push(this.flagged("-", 0, i++));
        for (let k = 0; k < next.inserted; k++) parts.push(this.flagged("+", 1, j++));
        h++;
      }
    }
    await this.diff.out.text(parts.join(""));
  }

  /** A unified context line, always taken from the first file (as GNU does). */
  contextLine(i: number): string {
    const o = this.diff.opts;
    let text = this.a.lines[i];
    if (o.expandTabs) text = expandTabs(text, o.tabSize);
    const incomplete = this.a.missingNewline && i === this.a.lines.length - 1;
    const lead = o.suppressBlankEmpty && text === "" ? "" : o.initialTab ? "\t" : " ";
    return `${lead}${text}${incomplete ? "\n\\ No newline at end of file\n" : "\n"}`;
  }

  /** Unified lines: the flag is followed directly by the text (a tab with -T). */
  flagged(flag: string, file: 0 | 1, i: number): string {
    const o = this.diff.opts;
    const f = file === 0 ? this.a : this.b;
    let text = f.lines[i];
    if (o.expandTabs) text = expandTabs(text, o.tabSize);
    const incomplete = f.missingNewline && i === f.lines.length - 1;
    const tab = o.initialTab ? "\t" : "";
    return `${flag}${tab}${text}${incomplete ? "\n\\ No newline at end of file\n" : "\n"}`;
  }

  async contextHunk(hunk: Change[]): Promise<void> {
    const [first0, last0, first1, last1] = this.bounds(hunk);
    const range = (a: number, b: number): string => {
      const ta = a + 1;
      const tb = b + 1;
      return tb <= ta ? `${tb}` : `${ta},${tb}`;
    };
    const parts: string[] = [`***************\n*** ${range(first0, last0)} ****\n`];
    const anyDeleted = hunk.some((c) => c.deleted > 0);
    const anyInserted = hunk.some((c) => c.inserted > 0);
    if (anyDeleted) {
      let h = 0;
      for (let i = first0; i <= last0; i++) {
        while (h < hunk.length && hunk[h].line0 + hunk[h].deleted <= i) h++;
        let prefix = " ";
        const next = hunk[h];
        if (next && next.line0 <= i) prefix = next.inserted > 0 ? "!" : "-";
        parts.push(this.line(prefix, 0, i));
      }
    }
    parts.push(`--- ${range(first1, last1)} ----\n`);
    if (anyInserted) {
      let h = 0;
      for (let i = first1; i <= last1; i++) {
        while (h < hunk.length && hunk[h].line1 + hunk[h].inserted <= i) h++;
        let prefix = " ";
        const next = hunk[h];
        if (next && next.line1 <= i) prefix = next.deleted > 0 ? "!" : "+";
        parts.push(this.line(prefix, 1, i));
      }
    }
    await this.diff.out.text(parts.join(""));
  }
}

function expandTabs(text: string, tabSize: number): string {
  if (!text.includes("\t")) return text;
  let out = "";
  let col = 0;
  for (const ch of text) {
    if (ch === "\t") {
      const n = tabSize - (col % tabSize);
      out += " ".repeat(n);
      col += n;
    } else if (ch === "\b") {
      out += ch;
      if (col > 0) col--;
    } else if (ch === "\r") {
      out += ch;
      col = 0;
    } else {
      out += ch;
      const c = ch.charCodeAt(0);
      if (c >= 0x20 && c < 0x7f) col++;
    }
  }
  return out;
}

function sideMissing(name: string): Side {
  return { name, stat: NONEXISTENT, isStdin: false };
}

function isSpecialComparable(mode: number): boolean {
  const t = mode & S_IFMT;
  return t === 0o020000 || t === 0o060000 || t === 0o120000;
}

function fileType(st: Stat): string {
  switch (st.mode & S_IFMT) {
    case 0o100000:
      return st.size === 0 ? "regular empty file" : "regular file";
    case 0o040000:
      return "directory";
    case 0o120000:
      return "symbolic link";
    case 0o020000:
      return "character special file";
    case 0o060000:
      return "block special file";
    case 0o010000:
      return "fifo";
    case 0o140000:
      return "socket";
    default:
      return "weird file";
  }
}

function hasNul(data: Uint8Array): boolean {
  const n = Math.min(data.length, 4096);
  for (let i = 0; i < n; i++) if (data[i] === 0) return true;
  return false;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function compareBytes(a: string, b: string): number {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return Buffer.compare(ba, bb);
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith("/") ? `${dir}${name}` : `${dir}/${name}`;
}

function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  if (trimmed === "") return "/";
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/** GNU's "%Y-%m-%d %H:%M:%S.%N %z" in UTC; our VM keeps milliseconds, so %N is padded. */
function formatTime(ms: number): string {
  const sec = Math.floor(ms / 1000);
  const ns = Math.min(999999999, Math.round((ms - sec * 1000) * 1e6));
  const d = new Date(sec * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(ns, 9)} +0000`;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The -c header time, "%a %b %e %T %Y" in UTC. */
function formatCTime(ms: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const p = (n: number) => String(n).padStart(2, "0");
  const time = `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${time} ${d.getUTCFullYear()}`;
}

const UNSUPPORTED_KEYS = new Set([
  "e",
  "n",
  "y",
  "W",
  "left-column",
  "suppress-common-lines",
  "p",
  "F",
  "l",
  "no-dereference",
  "ignore-file-name-case",
  "x",
  "X",
  "S",
  "from-file",
  "to-file",
  "D",
  "old-group-format",
  "new-group-format",
  "unchanged-group-format",
  "changed-group-format",
  "line-format",
  "old-line-format",
  "new-line-format",
  "unchanged-line-format",
  "I",
  "f",
  "palette",
]);

function parseOptions(args: string[]): { opts: DiffOptions; operands: string[] } | string {
  const parsed = getoptLong(args, SHORTS, LONGS);
  if (!parsed.ok) return parsed.message;
  const opts: DiffOptions = {
    style: undefined,
    context: -1,
    brief: false,
    reportIdentical: false,
    recursive: false,
    newFile: false,
    unidirectionalNewFile: false,
    ignoreCase: false,
    ignoreBlankLines: false,
    whiteSpace: { tab: false, trailing: false, change: false, all: false },
    stripTrailingCr: false,
    text: false,
    expandTabs: false,
    initialTab: false,
    suppressBlankEmpty: false,
    tabSize: 8,
    labels: [],
    minimal: false,
    speedLargeFiles: false,
    horizon: 0,
    switchString: parsed.optionArgs.map((a) => ` ${shellQuoteWord(a)}`).join(""),
  };
  const setStyle = (style: Style): void => {
    if (opts.style !== undefined && opts.style !== style) {
      throw new UsageError("conflicting output style options");
    }
    opts.style = style;
  };
  const setContext = (value: string): void => {
    if (!/^[0-9]+$/.test(value)) throw new UsageError(`invalid context length '${value}'`);
    const n = Number(value);
    if (opts.context < n) opts.context = n;
  };
  let digits = "";
  let lastDigitIndex = -2;
  let explicitContext = -1;
  for (let idx = 0; idx < parsed.options.length; idx++) {
    const { key, value, spelled } = parsed.options[idx];
    if (/^[0-9]$/.test(key)) {
      // Obsolete -NUM context form.
      digits = lastDigitIndex === idx - 1 ? digits + key : key;
      lastDigitIndex = idx;
      continue;
    }
    if (UNSUPPORTED_KEYS.has(key))
      return `${spelled === "--" ? key : spelled}: option is not supported`;
    switch (key) {
      case "q":
        opts.brief = true;
        break;
      case "c":
        setStyle("context");
        if (opts.context < 3) opts.context = 3;
        break;
      case "C":
        setContext(value ?? "");
        setStyle("context");
        break;
      case "context":
        if (value !== undefined) setContext(value);
        else if (opts.context < 3) opts.context = 3;
        setStyle("context");
        break;
      case "u":
        setStyle("unified");
        if (opts.context < 3) opts.context = 3;
        break;
      case "U":
        setContext(value ?? "");
        setStyle("unified");
        break;
      case "unified":
        if (value !== undefined) setContext(value);
        else if (opts.context < 3) opts.context = 3;
        setStyle("unified");
        break;
      case "normal":
        setStyle("normal");
        break;
      case "s":
        opts.reportIdentical = true;
        break;
      case "r":
        opts.recursive = true;
        break;
      case "N":
        opts.newFile = true;
        break;
      case "unidirectional-new-file":
        opts.unidirectionalNewFile = true;
        break;
      case "i":
        opts.ignoreCase = true;
        break;
      case "B":
        opts.ignoreBlankLines = true;
        break;
      case "b":
        opts.whiteSpace.change = true;
        break;
      case "w":
        opts.whiteSpace.all = true;
        break;
      case "E":
        opts.whiteSpace.tab = true;
        break;
      case "Z":
        opts.whiteSpace.trailing = true;
        break;
      case "strip-trailing-cr":
        opts.stripTrailingCr = true;
        break;
      case "a":
      case "binary":
        opts.text = opts.text || key === "a";
        break;
      case "t":
        opts.expandTabs = true;
        break;
      case "T":
        opts.initialTab = true;
        break;
      case "suppress-blank-empty":
        opts.suppressBlankEmpty = true;
        break;
      case "tabsize": {
        const v = value ?? "";
        if (!/^[0-9]+$/.test(v) || Number(v) === 0) throw new UsageError(`invalid tabsize '${v}'`);
        opts.tabSize = Number(v);
        break;
      }
      case "label":
      case "L":
        if (opts.labels.length >= 2) throw new UsageError("too many file label options");
        opts.labels.push(value ?? "");
        break;
      case "color":
        if (value !== undefined && !["never", "auto", "always"].includes(value)) {
          throw new UsageError(`invalid color '${value}'`);
        }
        if (value === "always") return "--color=always: option is not supported";
        break;
      case "d":
        opts.minimal = true;
        break;
      case "H":
        opts.speedLargeFiles = true;
        break;
      case "horizon-lines": {
        const v = value ?? "";
        if (!/^[0-9]+$/.test(v)) throw new UsageError(`invalid horizon length '${v}'`);
        opts.horizon = Math.max(opts.horizon, Number(v));
        break;
      }
      case "P":
        opts.unidirectionalNewFile = true;
        break;
      case "h":
      case "no-ignore-file-name-case":
        break;
      case "help":
        return "help";
      case "v":
        return "version";
      default:
        return `${spelled}: option is not supported`;
    }
  }
  explicitContext = opts.context;
  // The obsolete -NUM only sets the context of -c/-u output.
  if (
    lastDigitIndex >= 0 &&
    (opts.style === "context" || opts.style === "unified") &&
    (explicitContext < 0 || explicitContext < Number(digits))
  )
    opts.context = Number(digits);
  else opts.context = explicitContext;
  if (opts.context < 0) opts.context = 3;
  return { opts, operands: parsed.operands };
}

export const diff: CommandDefinition = {
  name: "diff",
  async main(ctx) {
    let parsed: ReturnType<typeof parseOptions>;
    try {
      parsed = parseOptions(ctx.argv.slice(1));
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      await ctx.err(`diff: ${err.message}\ndiff: Try 'diff --help' for more information.\n`);
      return 2;
    }
    if (typeof parsed === "string") {
      if (parsed === "help") {
        await ctx.out("Usage: diff [OPTION]... FILES\nCompare FILES line by line.\n");
        return 0;
      }
      if (parsed === "version") {
        await ctx.out("diff (GNU diffutils) 3.8\n");
        return 0;
      }
      if (parsed.endsWith(": option is not supported")) {
        const opt = parsed.slice(0, parsed.indexOf(": option is not supported"));
        await ctx.err(`diff: option '${opt}' is not supported\n`);
        return 2;
      }
      await ctx.err(`diff: ${parsed}\ndiff: Try 'diff --help' for more information.\n`);
      return 2;
    }
    const { opts, operands } = parsed;
    if (operands.length < 2) {
      const after = operands.length === 0 ? "diff" : operands[0];
      await ctx.err(
        `diff: missing operand after '${after}'\ndiff: Try 'diff --help' for more information.\n`,
      );
      return 2;
    }
    if (operands.length > 2) {
      await ctx.err(
        `diff: extra operand '${operands[2]}'\ndiff: Try 'diff --help' for more information.\n`,
      );
      return 2;
    }
    const d = new Diff(ctx, opts);
    const status = await d.top(operands[0], operands[1]);
    await d.out.flush();
    return status;
  },
};
