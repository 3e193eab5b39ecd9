/**
 * column (util-linux 2.38.1, LC_ALL=C): columnate lists. Fill columns (default) or rows (-x)
 * with tabs to the width from -c / COLUMNS / 80, or build a table (-t) the way libsmartcols
 * lays it out: -s -o -N -l -R -T -W -E -H -O -d -e -L -J -n. Tree output (-r -i -p) is not
 * supported.
 *
 * Written by hand: no npm package reproduces libsmartcols' width calculation (extreme
 * columns, truncation stages, newline padding) byte for byte. The algorithms follow
 * text-utils/column.c and libsmartcols/src/{calculate,print}.c.
 */
import { O_RDONLY } from "../fs/types.ts";
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError } from "./errors.ts";
import { GetoptError, gnuGetopt, type LongOption } from "./lib/gnu-getopt.ts";
import { argToLatin1, LineReader, OutBuffer } from "./lib/text-io.ts";

const TAB = 8;

const LONGS: LongOption[] = [
  { name: "columns", arg: "required", key: "c" },
  { name: "fillrows", arg: "none", key: "x" },
  { name: "help", arg: "none", key: "h" },
  { name: "json", arg: "none", key: "J" },
  { name: "keep-empty-lines", arg: "none", key: "L" },
  { name: "output-separator", arg: "required", key: "o" },
  { name: "output-width", arg: "required", key: "c" },
  { name: "separator", arg: "required", key: "s" },
  { name: "table", arg: "none", key: "t" },
  { name: "table-columns", arg: "required", key: "N" },
  { name: "table-columns-limit", arg: "required", key: "l" },
  { name: "table-hide", arg: "required", key: "H" },
  { name: "table-name", arg: "required", key: "n" },
  { name: "table-noextreme", arg: "required", key: "E" },
  { name: "table-noheadings", arg: "none", key: "d" },
  { name: "table-order", arg: "required", key: "O" },
  { name: "table-right", arg: "required", key: "R" },
  { name: "table-truncate", arg: "required", key: "T" },
  { name: "table-wrap", arg: "required", key: "W" },
  { name: "table-empty-lines", arg: "none", key: "L" },
  { name: "table-header-repeat", arg: "none", key: "e" },
  { name: "tree", arg: "required", key: "r" },
  { name: "tree-id", arg: "required", key: "i" },
  { name: "tree-parent", arg: "required", key: "p" },
  { name: "version", arg: "none", key: "V" },
];

const LONG_NAME: Record<string, string> = { t: "--table", x: "--fillrows", J: "--json" };

const HELP = `
Usage:
 column [options] [<file>...]

Columnate lists.

Options:
 -t, --table                      create a table
 -n, --table-name <name>          table name for JSON output
 -O, --table-order <columns>      specify order of output columns
 -N, --table-columns <names>      comma separated columns names
 -l, --table-columns-limit <num>  maximal number of input columns
 -E, --table-noextreme <columns>  don't count long text from the columns to column width
 -d, --table-noheadings           don't print header
 -e, --table-header-repeat        repeat header for each page
 -H, --table-hide <columns>       don't print the columns
 -R, --table-right <columns>      right align text in these columns
 -T, --table-truncate <columns>   truncate text in the columns when necessary
 -W, --table-wrap <columns>       wrap text in the columns when necessary
 -L, --keep-empty-lines           don't ignore empty lines
 -J, --json                       use JSON output format for table

 -r, --tree <column>              column to use tree-like output for the table
 -i, --tree-id <column>           line ID to specify child-parent relation
 -p, --tree-parent <column>       parent to specify child-parent relation

 -c, --output-width <width>       width of output in number of characters
 -o, --output-separator <string>  columns separator for table output (default is two spaces)
 -s, --separator <string>         possible table delimiters
 -x, --fillrows                   fill rows before columns

 -h, --help                       display this help
 -V, --version                    display version

For more details see column(1).
`;

/** Thrown to end the program with errx()-style "column: MESSAGE" and status 1. */
class Fatal extends Error {}

interface Column {
  seq: number;
  name: string | null;
  right: boolean;
  trunc: boolean;
  noextremes: boolean;
  wrap: boolean;
  hidden: boolean;
  width: number;
  widthMin: number;
  widthMax: number;
  widthAvg: number;
  isExtreme: boolean;
  /** Rest of a wrapped cell still to print on continuation lines. */
  pending: string | null;
}

interface Options {
  mode: "fillcols" | "fillrows" | "table";
  termwidth: number;
  names: string[] | null;
  tableName: string | null;
  order: string | null;
  right: string | null;
  trunc: string | null;
  noextreme: string | null;
  wrap: string | null;
  hide: string | null;
  hideUnnamed: boolean;
  tree: string | null;
  treeId: string | null;
  treeParent: string | null;
  inputSeparator: string;
  greedy: boolean;
  outputSeparator: string;
  maxncols: number;
  json: boolean;
  headerRepeat: boolean;
  noheadings: boolean;
  keepEmpty: boolean;
}

// ---- widths -----------------------------------------------------------------------------------

const isPrint = (c: number): boolean => c >= 0x20 && c <= 0x7e;
const isCntrl = (c: number): boolean => c < 0x20 || c === 0x7f;

/** column.c width(): printable characters count 1, everything else 0. */
function entryWidth(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (isPrint(s.charCodeAt(i))) n++;
  return n;
}

/** mbsalign.c mbs_width(): controls count 0 and "ESC[...m" sequences are skipped. */
function mbsWidth(s: string): number {
  let width = 0;
  const last = s.length - 1;
  let p = 0;
  while (p < s.length) {
    const c = s.charCodeAt(p);
    if (isCntrl(c)) {
      p++;
      if (s[p] === "[") {
        let e = p;
        while (e < s.length && e < last && s[e] !== "m") e++;
        if (s[e] === "m") p = e + 1;
      }
      continue;
    }
    if (isPrint(c)) width++;
    p++;
  }
  return width;
}

/** mbsalign.c mbs_safe_width(): what the "\x??" encoding of the string would take. */
function mbsSafeWidth(s: string): number {
  let width = 0;
  const last = s.length - 1;
  for (let p = 0; p < s.length; p++) {
    const c = s.charCodeAt(p);
    if ((p < last && c === 0x5c && s[p + 1] === "x") || isCntrl(c) || !isPrint(c)) width += 4;
    else width += 1;
  }
  return width;
}

/** Cuts `s` to at most `width` display cells (as mbs_width counts them). */
function truncateTo(s: string, width: number): string {
  let w = 0;
  let p = 0;
  while (p < s.length) {
    const c = s.charCodeAt(p);
    if (isCntrl(c)) {
      p++;
      continue;
    }
    if (w + 1 > width) break;
    w++;
    p++;
  }
  return s.slice(0, p);
}

// ---- option parsing ---------------------------------------------------------------------------

/** util-linux strtou32_or_err(). */
function parseU32(text: string, message: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/.exec(text);
  if (m === null) throw new Fatal(`${message}: '${text}'`);
  const value = Number(m[2]);
  if (m[1] === "-" || value > 0xffffffff) {
    throw new Fatal(`${message}: '${text}': Numerical result out of range`);
  }
  return value;
}

/** get_terminal_width(80): the tty's width, else COLUMNS, else 80. */
function terminalWidth(ctx: ProcessContext): number {
  try {
    if (ctx.isatty(1)) {
      const cols = ctx.getWindowSize(1).cols;
      if (cols > 0) return cols;
    }
  } catch {
    // Not a terminal.
  }
  const env = ctx.env.COLUMNS;
  if (env !== undefined && /^[ \t]*[+-]?[0-9]+$/.test(env)) {
    const n = Number(env.trim());
    if (n > 0 && n <= 0x7fffffff) return n;
  }
  return 80;
}

function terminalHeight(ctx: ProcessContext): number {
  try {
    if (ctx.isatty(1)) {
      const rows = ctx.getWindowSize(1).rows;
      if (rows > 0) return rows;
    }
  } catch {
    // Not a terminal.
  }
  const env = ctx.env.LINES;
  if (env !== undefined && /^[ \t]*[+-]?[0-9]+$/.test(env)) {
    const n = Number(env.trim());
    if (n > 0 && n <= 0x7fffffff) return n;
  }
  return 24;
}

// ---- input ------------------------------------------------------------------------------------

/** One input line as column.c sees it; null when it is blank (skip_space leaves nothing). */
function cookLine(raw: string): string | null {
  const nul = raw.indexOf("\0");
  let line = nul >= 0 ? raw.slice(0, nul) : raw;
  if (!/[^ \t\n\v\f\r]/.test(line)) return null;
  // mbstowcs() fails on any byte >= 0x80 in the C locale: mbs_invalid_encode() writes \xHH.
  if (/[\x80-\xff]/.test(line)) {
    line = line.replace(
      /[\x80-\xff]/g,
      (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`,
    );
  }
  return line;
}

/** Splits a line into cells (wcstok when greedy, else every separator starts a new cell). */
function splitLine(line: string, o: Options): string[] {
  const seps = o.inputSeparator;
  const isSep = (ch: string): boolean => seps.includes(ch);
  const cells: string[] = [];
  let p = 0;
  for (;;) {
    const state = p;
    let start: number;
    let end: number;
    if (o.greedy) {
      while (p < line.length && isSep(line[p])) p++;
      if (p >= line.length) break;
      start = p;
      while (p < line.length && !isSep(line[p])) p++;
      end = p;
      if (p < line.length) p++;
    } else {
      if (p < 0) break;
      start = p;
      while (p < line.length && !isSep(line[p])) p++;
      end = p;
      p = p < line.length ? p + 1 : -1;
    }
    if (o.maxncols > 0 && cells.length + 1 === o.maxncols) {
      // The rest of the line, from where the previous token's delimiter ended (the whole
      // line for -l 1), is the last cell.
      cells.push(line.slice(state));
      break;
    }
    cells.push(line.slice(start, end));
  }
  return cells;
}

// ---- table ------------------------------------------------------------------------------------

class Table {
  readonly opts: Options;
  /** Columns in creation order (seq). */
  readonly bySeq: Column[] = [];
  /** Columns in output order. */
  order: Column[] = [];
  readonly lines: string[][] = [];
  termwidth = 80;
  termheight = 24;

  constructor(opts: Options) {
    this.opts = opts;
    if (opts.names) for (const name of opts.names) this.newColumn(name);
  }

  newColumn(name: string | null, hidden = false): Column {
    const cl: Column = {
      seq: this.bySeq.length,
      name,
      right: false,
      trunc: false,
      noextremes: false,
      wrap: false,
      hidden,
      width: 0,
      widthMin: 0,
      widthMax: 0,
      widthAvg: 0,
      isExtreme: false,
      pending: null,
    };
    this.bySeq.push(cl);
    this.order.push(cl);
    return cl;
  }

  addLine(line: string): void {
    const cells = splitLine(line, this.opts);
    for (let n = 0; n < cells.length; n++) {
      if (this.bySeq.length < n + 1) {
        if (this.opts.json) {
          throw new Fatal(
            `line ${this.lines.length + 2}: for JSON the name of the column ${n + 1} is required`,
          );
        }
        this.newColumn(null, this.opts.hideUnnamed);
      }
    }
    this.lines.push(cells);
  }

  isLast(cl: Column): boolean {
    const i = this.order.indexOf(cl);
    for (let j = i + 1; j < this.order.length; j++) if (!this.order[j].hidden) return false;
    return true;
  }

  cell(line: string[] | null, cl: Column): string {
    if (line === null) return cl.name ?? "";
    return line[cl.seq] ?? "";
  }

  /** string_to_column(): a 1-based number (null when out of range) or a column name. */
  lookup(text: string): Column | null {
    if (/^[0-9]+$/.test(text)) {
      const n = parseU32(text, "failed to parse column") - 1;
      return this.bySeq[n] ?? null;
    }
    const lower = text.toLowerCase();
    const cl = this.bySeq.find((c) => c.name !== null && c.name.toLowerCase() === lower);
    if (cl === undefined) throw new Fatal(`undefined column name '${text}'`);
    return cl;
  }

  /** apply_columnflag_from_list(); "-" (the unnamed columns) is known to --table-hide only. */
  applyFlag(list: string, set: (cl: Column) => void, unnamedOk = false): void {
    if (list === "0") {
      for (const cl of this.bySeq) set(cl);
      return;
    }
    let unnamed = false;
    for (const item of list.split(",").filter((s) => s !== "")) {
      if (item === "-" && unnamedOk) {
        unnamed = true;
        continue;
      }
      const cl = this.lookup(item);
      if (cl) set(cl);
    }
    if (unnamed) for (const cl of this.bySeq) if (cl.name === null) set(cl);
  }

  modify(): void {
    const o = this.opts;
    if (o.right) this.applyFlag(o.right, (cl) => (cl.right = true));
    if (o.trunc) this.applyFlag(o.trunc, (cl) => (cl.trunc = true));
    if (o.noextreme) this.applyFlag(o.noextreme, (cl) => (cl.noextremes = true));
    if (o.wrap) this.applyFlag(o.wrap, (cl) => (cl.wrap = true));
    if (o.hide) this.applyFlag(o.hide, (cl) => (cl.hidden = true), true);
    if (!o.noextreme) {
      const visible = this.order.filter((cl) => !cl.hidden);
      if (visible.length > 0) visible[visible.length - 1].noextremes = true;
    }
    if (o.order) {
      const wanted: Column[] = [];
      for (const item of o.order.split(",").filter((s) => s !== "")) {
        const cl = this.lookup(item);
        if (cl) wanted.push(cl);
        if (wanted.length >= this.bySeq.length) break;
      }
      let last: Column | null = null;
      for (const cl of wanted) {
        if (cl !== last) {
          this.order.splice(this.order.indexOf(cl), 1);
          this.order.splice(last === null ? 0 : this.order.indexOf(last) + 1, 0, cl);
        }
        last = cl;
      }
    }
  }

  countWidth(cl: Column): void {
    let noHeader = false;
    cl.width = 0;
    if (!cl.widthMin) {
      if (cl.name !== null) cl.widthMin = Math.max(cl.widthMin, mbsSafeWidth(cl.name));
      else noHeader = true;
      if (!cl.widthMin) cl.widthMin = 1;
    }
    let extremeSum = 0;
    let extremeCount = 0;
    for (const line of this.lines) {
      const len = mbsWidth(line[cl.seq] ?? "");
      cl.widthMax = Math.max(len, cl.widthMax);
      if (cl.isExtreme && cl.widthAvg && len > cl.widthAvg * 2) continue;
      if (cl.noextremes) {
        extremeSum += len;
        extremeCount++;
      }
      cl.width = Math.max(len, cl.width);
    }
    if (extremeCount && cl.widthAvg === 0) {
      cl.widthAvg = Math.floor(extremeSum / extremeCount);
      if (cl.widthAvg && cl.widthMax > cl.widthAvg * 2) cl.isExtreme = true;
    }
    if (cl.width < cl.widthMin) cl.width = cl.widthMin;
    if (cl.widthMax === 0 && noHeader && cl.widthMin === 1 && cl.width <= 1) {
      cl.width = cl.widthMin = 0;
    }
  }

  /** libsmartcols __scols_calculate() for a terminal of `termwidth` columns. */
  calculate(): void {
    const colsepsz = mbsSafeWidth(this.opts.outputSeparator);
    let width = 0;
    let extremes = 0;
    for (const cl of this.order) {
      if (cl.hidden) continue;
      this.countWidth(cl);
      width += cl.width + (this.isLast(cl) ? 0 : colsepsz);
      if (cl.isExtreme) extremes++;
    }
    const term = this.termwidth;
    if (width > term && extremes) {
      for (const cl of this.order) {
        if (!cl.isExtreme || cl.hidden) continue;
        const orgWidth = cl.width;
        this.countWidth(cl);
        if (orgWidth > cl.width) width -= orgWidth - cl.width;
        else extremes--;
      }
    }
    if (width < term) {
      if (extremes) {
        for (const cl of this.order) {
          if (!cl.isExtreme || cl.hidden) continue;
          let add = term - width;
          if (add && cl.width + add > cl.widthMax) add = cl.widthMax - cl.width;
          cl.width += add;
          width += add;
          if (width === term) break;
        }
      }
      if (width < term) {
        const col = this.order[this.order.length - 1];
        if (!col.right && term - width > 0) {
          col.width += term - width;
          width = term;
        }
      }
    }
    // Stage 1 and 3 need relative width hints, which column never sets: only stage 2 remains.
    for (let changed = true; width > term && changed; ) {
      const orgWidth = width;
      for (const cl of this.order) {
        if (cl.hidden) continue;
        if (width <= term) break;
        if (cl.width === cl.widthMin) continue;
        if (cl.width === 0 || width === 0) continue;
        if (cl.trunc || cl.wrap) {
          cl.width--;
          width--;
        }
        if (cl.width === 0) cl.hidden = true;
      }
      changed = orgWidth !== width;
    }
  }
}

class TablePrinter {
  readonly tb: Table;
  readonly out: OutBuffer;
  readonly sep: string;
  termlinesUsed = 0;
  headerNext = 0;

  constructor(tb: Table, out: OutBuffer) {
    this.tb = tb;
    this.out = out;
    this.sep = tb.opts.outputSeparator;
  }

  async newline(): Promise<void> {
    await this.out.write("\n");
    this.termlinesUsed++;
  }

  /** print_empty_cell(): padding for a column with nothing to print on this line. */
  async emptyCell(cl: Column): Promise<void> {
    if (this.tb.isLast(cl)) return;
    await this.out.write(" ".repeat(cl.width) + this.sep);
  }

  /** print_data() for one cell (`line` null: the header). */
  async data(cl: Column, line: string[] | null): Promise<void> {
    const tb = this.tb;
    let data = tb.cell(line, cl);
    let len = mbsWidth(data);
    const isLast = tb.isLast(cl);
    let width = cl.width;
    if (isLast && len < width && !cl.right) width = len;
    if (len > width && cl.trunc) {
      data = truncateTo(data, width);
      len = mbsWidth(data);
    }
    if (len > width && cl.wrap) {
      const chunk = truncateTo(data, width);
      cl.pending = data.slice(chunk.length);
      data = chunk;
      len = mbsWidth(data);
    }
    let text = "";
    if (data !== "") {
      if (cl.right && len < width) {
        text += " ".repeat(width - len);
        len = width;
      }
      text += data;
    }
    if (isLast) {
      await this.out.write(text);
      return;
    }
    if (len < width) text += " ".repeat(width - len);
    await this.out.write(text);
    if (len > width && !cl.trunc) {
      // print_newline_padding(): the next column starts on the next line.
      await this.newline();
      for (let i = 0; i <= cl.seq; i++) await this.emptyCell(tb.bySeq[i]);
    } else await this.out.write(this.sep);
  }

  async pendingData(cl: Column): Promise<void> {
    let data = cl.pending ?? "";
    cl.pending = null;
    let len = mbsWidth(data);
    if (len > cl.width && cl.wrap) {
      const chunk = truncateTo(data, cl.width);
      cl.pending = data.slice(chunk.length) || null;
      data = chunk;
      len = mbsWidth(data);
    }
    if (this.tb.isLast(cl)) {
      await this.out.write(data);
      return;
    }
    await this.out.write(data + " ".repeat(Math.max(0, cl.width - len)) + this.sep);
  }

  async line(line: string[]): Promise<void> {
    const visible = this.tb.order.filter((cl) => !cl.hidden);
    for (const cl of visible) {
      await this.data(cl, line);
      if (cl.pending === "") cl.pending = null;
    }
    while (visible.some((cl) => cl.pending !== null)) {
      await this.newline();
      for (const cl of visible) {
        if (cl.pending !== null) await this.pendingData(cl);
        else await this.emptyCell(cl);
      }
    }
  }

  async header(): Promise<void> {
    for (const cl of this.tb.order) if (!cl.hidden) await this.data(cl, null);
    await this.newline();
    this.headerNext = this.termlinesUsed + this.tb.termheight;
  }

  async print(): Promise<void> {
    const tb = this.tb;
    const withHeader = tb.opts.names !== null && !tb.opts.noheadings;
    if (tb.bySeq.length === 0) return;
    if (withHeader) await this.header();
    for (let i = 0; i < tb.lines.length; i++) {
      const last = i === tb.lines.length - 1;
      await this.line(tb.lines[i]);
      await this.newline();
      if (!last && withHeader && tb.opts.headerRepeat && this.headerNext <= this.termlinesUsed) {
        await this.header();
      }
    }
  }
}

/** ul_jsonwrt string quoting. */
function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (c >= 0x20) out += ch;
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else out += `\\u${c.toString(16).padStart(4, "0")}`;
  }
  return `${out}"`;
}

async function printJson(tb: Table, out: OutBuffer): Promise<void> {
  const visible = tb.order.filter((cl) => !cl.hidden);
  const name = tb.opts.tableName ?? "table";
  await out.write(`{\n   ${jsonString(name)}: [\n`);
  for (let i = 0; i < tb.lines.length; i++) {
    const line = tb.lines[i];
    const fields = visible.map((cl) => {
      const value = line[cl.seq] ?? "";
      return `         ${jsonString(cl.name ?? "")}: ${value === "" ? "null" : jsonString(value)}`;
    });
    await out.write(`${i === 0 ? "      {" : "},{"}\n${fields.join(",\n")}\n      `);
  }
  await out.write(tb.lines.length > 0 ? "}\n   ]\n}\n" : "   ]\n}\n");
}

// ---- fill modes ---------------------------------------------------------------------------------

async function fillColumns(
  entries: string[],
  maxlength: number,
  termwidth: number,
  out: OutBuffer,
) {
  const maxlen = (maxlength + TAB) & ~(TAB - 1);
  let numcols = Math.floor(termwidth / maxlen);
  if (!numcols) numcols = 1;
  const numrows = Math.ceil(entries.length / numcols);
  for (let row = 0; row < numrows; row++) {
    let endcol = maxlen;
    let text = "";
    for (let base = row, chcnt = 0, col = 0; col < numcols; col++) {
      text += entries[base];
      chcnt += entryWidth(entries[base]);
      base += numrows;
      if (base >= entries.length) break;
      for (let cnt: number; (cnt = (chcnt + TAB) & ~(TAB - 1)) <= endcol; chcnt = cnt) text += "\t";
      endcol += maxlen;
    }
    await out.write(`${text}\n`);
  }
}

async function fillRows(entries: string[], maxlength: number, termwidth: number, out: OutBuffer) {
  const maxlen = (maxlength + TAB) & ~(TAB - 1);
  const numcols = Math.floor(termwidth / maxlen);
  let endcol = maxlen;
  let chcnt = 0;
  let col = 0;
  for (let i = 0; ; i++) {
    await out.write(entries[i]);
    chcnt += entryWidth(entries[i]);
    if (i === entries.length - 1) break;
    if (++col === numcols) {
      chcnt = col = 0;
      endcol = maxlen;
      await out.write("\n");
    } else {
      let tabs = "";
      for (let cnt: number; (cnt = (chcnt + TAB) & ~(TAB - 1)) <= endcol; chcnt = cnt) tabs += "\t";
      await out.write(tabs);
      endcol += maxlen;
    }
  }
  if (chcnt) await out.write("\n");
}

// ---- main -------------------------------------------------------------------------------------

function parseOptions(ctx: ProcessContext, options: { key: string; value?: string }[]): Options {
  const o: Options = {
    mode: "fillcols",
    termwidth: -1,
    names: null,
    tableName: null,
    order: null,
    right: null,
    trunc: null,
    noextreme: null,
    wrap: null,
    hide: null,
    hideUnnamed: false,
    tree: null,
    treeId: null,
    treeParent: null,
    inputSeparator: "\t ",
    greedy: true,
    outputSeparator: "  ",
    maxncols: 0,
    json: false,
    headerRepeat: false,
    noheadings: false,
    keepEmpty: false,
  };
  const seen = new Set<string>();
  for (const { key, value: raw } of options) {
    const value = raw === undefined ? "" : argToLatin1(raw);
    // err_exclusive_options(): --json/--table vs --fillrows.
    for (const group of [
      ["J", "x"],
      ["t", "x"],
    ]) {
      if (!group.includes(key)) continue;
      const other = group.find((k) => k !== key && seen.has(k));
      if (other !== undefined) {
        throw new Fatal(
          `mutually exclusive arguments: ${group.map((k) => LONG_NAME[k]).join(" ")}`,
        );
      }
    }
    seen.add(key);
    switch (key) {
      case "c":
        o.termwidth = parseU32(value, "invalid columns argument");
        break;
      case "d":
        o.noheadings = true;
        break;
      case "E":
        o.noextreme = value;
        break;
      case "e":
        o.headerRepeat = true;
        break;
      case "H":
        o.hide = value;
        o.hideUnnamed = value === "-" || (value.includes(",") && value.split(",").includes("-"));
        break;
      case "i":
        o.treeId = value;
        break;
      case "J":
        o.json = true;
        o.mode = "table";
        break;
      case "L":
        o.keepEmpty = true;
        break;
      case "l":
        o.maxncols = parseU32(value, "invalid columns limit argument");
        if (o.maxncols === 0) throw new Fatal("columns limit must be greater than zero");
        break;
      case "N":
        o.names = value.split(",").filter((s) => s !== "");
        break;
      case "n":
        o.tableName = value;
        break;
      case "O":
        o.order = value;
        break;
      case "o":
        o.outputSeparator = value;
        break;
      case "p":
        o.treeParent = value;
        break;
      case "R":
        o.right = value;
        break;
      case "r":
        o.tree = value;
        break;
      case "s":
        if (/[\x80-\xff]/.test(value)) {
          throw new Fatal(
            "failed to parse input separator: Invalid or incomplete multibyte or wide character",
          );
        }
        o.inputSeparator = value;
        o.greedy = false;
        break;
      case "T":
        o.trunc = value;
        break;
      case "t":
        o.mode = "table";
        break;
      case "W":
        o.wrap = value;
        break;
      case "x":
        o.mode = "fillrows";
        break;
    }
  }
  if (o.termwidth === -1) o.termwidth = terminalWidth(ctx);
  if (o.tree) {
    o.mode = "table";
    if (!o.treeParent || !o.treeId) {
      throw new Fatal("options --tree-id and --tree-parent are required for tree formatting");
    }
  }
  if (
    o.mode !== "table" &&
    (o.order || o.tableName || o.wrap || o.hide || o.trunc || o.noextreme || o.right || o.names)
  ) {
    throw new Fatal("option --table required for all --table-*");
  }
  if (!o.names && o.json) throw new Fatal("option --table-columns required for --json");
  if (o.tree) throw new Fatal("option '--tree' is not supported");
  return o;
}

export const column: CommandDefinition = {
  name: "column",
  async main(ctx) {
    let parsed: { options: { key: string; value?: string }[]; operands: string[] };
    try {
      parsed = gnuGetopt(ctx.argv.slice(1), "c:dE:eH:hi:Jl:LN:n:O:o:p:R:r:s:T:tVW:x", LONGS, {
        permute: ctx.env.POSIXLY_CORRECT === undefined,
      });
    } catch (err) {
      if (!(err instanceof GetoptError)) throw err;
      await ctx.err(`column: ${err.message}\nTry 'column --help' for more information.\n`);
      return 1;
    }
    for (const opt of parsed.options) {
      if (opt.key === "h") {
        await ctx.out(HELP);
        return 0;
      }
      if (opt.key === "V") {
        await ctx.out("column from util-linux 2.38.1\n");
        return 0;
      }
    }
    const out = new OutBuffer(ctx);
    try {
      const o = parseOptions(ctx, parsed.options);
      let status = await run(ctx, o, parsed.operands, out);
      await out.flush();
      if (status > 1) status = 1;
      return status;
    } catch (err) {
      if (!(err instanceof Fatal)) throw err;
      await out.flush();
      await ctx.err(`column: ${err.message}\n`);
      return 1;
    }
  },
};

async function run(
  ctx: ProcessContext,
  o: Options,
  files: string[],
  out: OutBuffer,
): Promise<number> {
  let status = 0;
  const table = o.mode === "table" ? new Table(o) : null;
  let tableStarted = false;
  const entries: string[] = [];
  let maxlength = 0;
  const consume = (raw: string): void => {
    const line = cookLine(raw);
    if (line === null) {
      if (!o.keepEmpty) return;
      if (table) {
        tableStarted = true;
        table.lines.push([]);
      } else entries.push("");
      return;
    }
    if (table) {
      tableStarted = true;
      table.addLine(line);
    } else {
      entries.push(line);
      maxlength = Math.max(maxlength, entryWidth(line));
    }
  };
  const readFd = async (fd: number): Promise<void> => {
    const reader = new LineReader(ctx, fd);
    for (;;) {
      let line: string | null;
      try {
        line = await reader.next();
      } catch (err) {
        if (!ctx.alive) throw err;
        throw new Fatal(`read failed: ${describeError(err)}`);
      }
      if (line === null) return;
      consume(line);
    }
  };
  if (files.length === 0) await readFd(0);
  for (const name of files) {
    let fd: number;
    try {
      fd = await ctx.open(name, O_RDONLY);
    } catch (err) {
      if (!ctx.alive) throw err;
      await out.flush();
      await ctx.err(`column: ${name}: ${describeError(err)}\n`);
      status++;
      continue;
    }
    try {
      await readFd(fd);
    } finally {
      ctx.close(fd);
    }
  }
  if (table) {
    if (!tableStarted || table.lines.length === 0) return status;
    // libsmartcols refuses to print a table without columns (only empty lines): status 1.
    if (table.bySeq.length === 0) return 1;
    table.modify();
    if (o.json) {
      await printJson(table, out);
      return 0;
    }
    table.termwidth = o.termwidth === 0 ? terminalWidth(ctx) : o.termwidth;
    table.termheight = terminalHeight(ctx);
    table.calculate();
    await new TablePrinter(table, out).print();
    return 0;
  }
  if (entries.length === 0) return status;
  if (maxlength >= o.termwidth) {
    await out.write(`${entries.join("\n")}\n`);
  } else if (o.mode === "fillrows") await fillRows(entries, maxlength, o.termwidth, out);
  else await fillColumns(entries, maxlength, o.termwidth, out);
  return status;
}
