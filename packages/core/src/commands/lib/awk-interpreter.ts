/**
 * The awk interpreter: compiles the AST to JavaScript closures (no eval/new Function) and runs
 * them against the VM through the process context. Expressions and statements compile to
 * synchronous closures unless they (transitively) do I/O — getline, print, close, system,
 * fflush, or calls to functions that do — in which case they compile to async closures. This
 * keeps tight computational loops free of promise overhead.
 */
import { isDirMode, O_APPEND, O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY } from "../../fs/types.ts";
import { statusCode } from "../../kernel/process.ts";
import type { ProcessContext } from "../../kernel/process-context.ts";
import { describeError } from "../errors.ts";
import { gawkForInOrder } from "./awk-array-order.ts";
import { gensub, mktime, splitFields, strftime, subReplace, substr } from "./awk-builtins.ts";
import { AwkFormatError, formatG, numberToString, setNumericTest, sprintf } from "./awk-format.ts";
import type { Expr, FuncDef, Item, Program, Stmt } from "./awk-parser.ts";
import { awkRegex, regexErrorText } from "./awk-regex.ts";
import {
  type AwkArray,
  bytesToLatin1,
  type Cell,
  externalToLatin1,
  isNumLike,
  latin1ToBytes,
  latin1ToExternal,
  StrNum,
  strnumIsNumeric,
  strToNum,
  toBool,
  toNum,
  UNINIT,
  type Value,
} from "./awk-value.ts";

setNumericTest((v) => isNumLike(v as Value));

/** A fatal runtime error: reported as "awk: <where>: fatal: <message>", exit 2. */
export class AwkFatal extends Error {}

class NextSignal {}
class NextFileSignal {}
class ExitSignal {}
const NEXT = new NextSignal();
const NEXTFILE = new NextFileSignal();
const EXIT = new ExitSignal();

const NORMAL = 0;
const BREAK = 1;
const CONTINUE = 2;
const RETURN = 3;

type Sync = () => Value;
type Async = () => Promise<Value>;
interface C {
  f: Sync | Async;
  async: boolean;
}
type SStmt = () => number;
type AStmt = () => Promise<number>;
interface CS {
  f: SStmt | AStmt;
  async: boolean;
}

const S = (f: Sync): C => ({ f, async: false });
const A = (f: Async): C => ({ f, async: true });

function fatal(msg: string): never {
  throw new AwkFatal(msg);
}

const SPECIAL_SCALARS = new Set([
  "NF",
  "NR",
  "FNR",
  "FS",
  "OFS",
  "ORS",
  "RS",
  "SUBSEP",
  "CONVFMT",
  "OFMT",
  "RSTART",
  "RLENGTH",
  "FILENAME",
  "RT",
  "IGNORECASE",
]);

// ---- record reading ----------------------------------------------------------------------------

class RecordReader {
  readonly rt: AwkRuntime;
  readonly fd: number;
  buf = "";
  pos = 0;
  eof = false;

  constructor(rt: AwkRuntime, fd: number) {
    this.rt = rt;
    this.fd = fd;
  }

  async fill(): Promise<void> {
    const chunk = await this.rt.ctx.read(this.fd, 65536);
    if (chunk === null || chunk.length === 0) {
      this.eof = true;
      return;
    }
    this.buf = (this.pos > 0 ? this.buf.slice(this.pos) : this.buf) + bytesToLatin1(chunk);
    this.pos = 0;
  }

  /** The next record, or null at end of input; sets RT. */
  async next(): Promise<string | null> {
    const rt = this.rt;
    const rs = rt.RS;
    if (rs.length === 1 && !(rt.ignoreCase && /[A-Za-z]/.test(rs))) {
      for (;;) {
        const idx = this.buf.indexOf(rs, this.pos);
        if (idx >= 0) {
          const rec = this.buf.slice(this.pos, idx);
          this.pos = idx + 1;
          rt.RT = rs;
          return rec;
        }
        if (this.eof) return this.rest();
        await this.fill();
      }
    }
    if (rs === "") {
      for (;;) {
        while (this.pos < this.buf.length && this.buf.charCodeAt(this.pos) === 10) this.pos++;
        if (this.pos >= this.buf.length && !this.eof) {
          await this.fill();
          continue;
        }
        const re = /\n\n+/g;
        re.lastIndex = this.pos;
        const m = re.exec(this.buf);
        if (m && (m.index + m[0].length < this.buf.length || this.eof)) {
          const rec = this.buf.slice(this.pos, m.index);
          this.pos = m.index + m[0].length;
          rt.RT = m[0];
          return rec;
        }
        if (this.eof) {
          if (this.pos >= this.buf.length) return null;
          let rec = this.buf.slice(this.pos);
          this.pos = this.buf.length;
          const trail = /\n+$/.exec(rec);
          rt.RT = trail ? trail[0] : "";
          if (trail) rec = rec.slice(0, trail.index);
          return rec;
        }
        await this.fill();
      }
    }
    const re = rt.regex(rs);
    for (;;) {
      let from = this.pos;
      let m: RegExpExecArray | null = null;
      for (;;) {
        re.lastIndex = from;
        m = re.exec(this.buf);
        if (m && m[0].length === 0) {
          from = m.index + 1;
          if (from > this.buf.length) {
            m = null;
            break;
          }
          continue;
        }
        break;
      }
      if (m && (m.index + m[0].length < this.buf.length || this.eof)) {
        const rec = this.buf.slice(this.pos, m.index);
        this.pos = m.index + m[0].length;
        rt.RT = m[0];
        return rec;
      }
      if (this.eof) return this.rest();
      await this.fill();
    }
  }

  rest(): string | null {
    this.rt.RT = "";
    if (this.pos >= this.buf.length) return null;
    const rec = this.buf.slice(this.pos);
    this.pos = this.buf.length;
    this.buf = "";
    this.pos = 0;
    return rec;
  }
}

// ---- output ------------------------------------------------------------------------------------

class OutStream {
  readonly rt: AwkRuntime;
  fd: number;
  readonly kind: "stdout" | "stderr" | "file" | "pipe";
  pid = 0;
  chunks: string[] = [];
  size = 0;

  constructor(rt: AwkRuntime, fd: number, kind: "stdout" | "stderr" | "file" | "pipe") {
    this.rt = rt;
    this.fd = fd;
    this.kind = kind;
  }

  write(s: string): Promise<void> | undefined {
    if (this.kind === "stderr") return this.rt.ctx.write(2, latin1ToBytes(s));
    this.chunks.push(s);
    this.size += s.length;
    if (this.size >= 65536) return this.flush();
    return undefined;
  }

  async flush(): Promise<void> {
    if (this.size === 0 && this.chunks.length === 0) return;
    const data = this.chunks.length === 1 ? this.chunks[0] : this.chunks.join("");
    this.chunks = [];
    this.size = 0;
    if (data.length > 0) await this.rt.ctx.write(this.fd, latin1ToBytes(data));
  }
}

interface InputSource {
  reader: RecordReader;
  pid: number;
  ownsFd: boolean;
}

// ---- runtime -----------------------------------------------------------------------------------

export interface RunOptions {
  /** Operands after the program: files and assignments (ARGV[1..]). */
  args: string[];
  /** -v assignments, applied before BEGIN. */
  assigns: Array<[string, string]>;
  fs?: string;
}

export class AwkRuntime {
  readonly ctx: ProcessContext;
  readonly program: Program;
  readonly g: Cell[] = [];
  readonly globalIndex = new Map<string, number>();
  fp: Cell[] = [];
  retval: Value = UNINIT;
  depth = 0;
  /** Where the current statement is, for diagnostics: [source index, line]. */
  line = 1;
  srcName = "cmd. line";

  // special variables
  NR = 0;
  FNR = 0;
  FSv: Value = " ";
  FS = " ";
  OFSv: Value = " ";
  OFS = " ";
  ORSv: Value = "\n";
  ORS = "\n";
  RSv: Value = "\n";
  RS = "\n";
  SUBSEPv: Value = "\x1c";
  SUBSEP = "\x1c";
  CONVFMTv: Value = "%.6g";
  CONVFMT = "%.6g";
  OFMTv: Value = "%.6g";
  OFMT = "%.6g";
  RSTART = 0;
  RLENGTH = -1;
  FILENAME: Value = "";
  RT: Value = "";
  IGNORECASEv: Value = 0;
  ignoreCase = false;

  // record
  recordVal: Value = "";
  record = "";
  fields: Value[] | null = [];
  nf = 0;
  dirty = false;

  // input
  argIdx = 1;
  usedFile = false;
  main: RecordReader | null = null;
  mainFd = -1;
  inputs = new Map<string, InputSource>();
  outputs = new Map<string, OutStream>();
  stdout: OutStream;
  stderr: OutStream;
  exitCode = 0;
  exiting = false;

  // rand
  seed = 1;
  randState: Int32Array = new Int32Array(0);
  fptr = 0;
  rptr = 0;

  beginFile: Array<() => Promise<void>> = [];
  endFile: Array<() => Promise<void>> = [];

  constructor(ctx: ProcessContext, program: Program) {
    this.ctx = ctx;
    this.program = program;
    this.stdout = new OutStream(this, 1, "stdout");
    this.stderr = new OutStream(this, 2, "stderr");
    this.srandom(1);
  }

  slot(name: string): number {
    let i = this.globalIndex.get(name);
    if (i === undefined) {
      i = this.g.length;
      this.globalIndex.set(name, i);
      this.g.push(UNINIT);
    }
    return i;
  }

  // ---- conversions ----

  toStr = (v: Value): string => {
    if (typeof v === "string") return v;
    if (typeof v === "number") {
      if (Number.isInteger(v) && v < 1e16 && v > -1e16) return String(v);
      return numberToString(v, this.CONVFMT);
    }
    return v.s;
  };

  toOut = (v: Value): string => {
    if (typeof v === "string") return v;
    if (typeof v === "number") {
      if (Number.isInteger(v) && v < 1e16 && v > -1e16) return String(v);
      return numberToString(v, this.OFMT);
    }
    return v.s;
  };

  toKey = (v: Value): string => {
    if (typeof v === "string") return v;
    if (typeof v === "number") {
      if (Number.isInteger(v) && v < 1e16 && v > -1e16) return String(v);
      return numberToString(v, this.CONVFMT);
    }
    return v.s;
  };

  compare(a: Value, b: Value): number {
    if (typeof a === "number" && typeof b === "number")
      return a < b ? -1 : a > b ? 1 : a === b ? 0 : 2;
    if (isNumLike(a) && isNumLike(b)) {
      const x = toNum(a);
      const y = toNum(b);
      return x < y ? -1 : x > y ? 1 : x === y ? 0 : 2;
    }
    const x = this.toStr(a);
    const y = this.toStr(b);
    if (this.ignoreCase) {
      const lx = x.toLowerCase();
      const ly = y.toLowerCase();
      return lx < ly ? -1 : lx > ly ? 1 : 0;
    }
    return x < y ? -1 : x > y ? 1 : 0;
  }

  regex(src: string): RegExp {
    try {
      return awkRegex(src, this.ignoreCase);
    } catch (err) {
      const what = regexErrorText(err);
      fatal(`invalid regexp: ${what}: /${src}/`);
    }
  }

  /** A value used as a dynamic regex. */
  dynRegex(v: Value): RegExp {
    return this.regex(this.toStr(v));
  }

  // ---- fields ----

  setRecord(s: string): void {
    this.record = s;
    this.recordVal = new StrNum(s);
    this.fields = null;
    this.dirty = false;
  }

  setRecordValue(v: Value): void {
    this.record = this.toStr(v);
    this.recordVal = typeof v === "string" ? new StrNum(v) : v;
    this.fields = null;
    this.dirty = false;
  }

  splitRecord(): void {
    const parts = splitFields(this.record, this.FS, this.ignoreCase, this.RS === "");
    const fields: Value[] = new Array(parts.length + 1);
    fields[0] = "";
    for (let i = 0; i < parts.length; i++) fields[i + 1] = new StrNum(parts[i]);
    this.fields = fields;
    this.nf = parts.length;
  }

  getRecord(): Value {
    if (this.dirty) this.rebuild();
    return this.recordVal;
  }

  rebuild(): void {
    const f = this.fields as Value[];
    let s = "";
    for (let i = 1; i <= this.nf; i++) {
      if (i > 1) s += this.OFS;
      s += this.toOut(f[i]);
    }
    this.record = s;
    this.recordVal = new StrNum(s);
    this.dirty = false;
  }

  getField(i: number): Value {
    if (i === 0) return this.dirty ? this.getRecord() : this.recordVal;
    if (this.fields === null) this.splitRecord();
    return i <= this.nf ? (this.fields as Value[])[i] : "";
  }

  fieldIndex(v: Value): number {
    const n = Math.trunc(toNum(v));
    if (n < 0 || Number.isNaN(n)) fatal(`attempt to access field ${n}`);
    return n;
  }

  setField(i: number, v: Value): void {
    if (i === 0) {
      this.setRecordValue(v);
      return;
    }
    if (this.fields === null) this.splitRecord();
    const f = this.fields as Value[];
    while (this.nf < i) f[++this.nf] = "";
    f[i] = v;
    this.dirty = true;
  }

  getNF(): number {
    if (this.fields === null) this.splitRecord();
    return this.nf;
  }

  setNF(v: Value): void {
    const n = Math.trunc(toNum(v));
    if (n < 0) fatal(`NF set to negative value ${n}`);
    if (this.fields === null) this.splitRecord();
    const f = this.fields as Value[];
    while (this.nf < n) f[++this.nf] = "";
    this.nf = n;
    f.length = n + 1;
    this.dirty = true;
  }

  // ---- rand (the BSD random(3) generator gawk bundles, so sequences match gawk) ----

  srandom(seed: number): void {
    const deg = 63;
    const st = new Int32Array(deg);
    st[0] = seed | 0;
    for (let i = 1; i < deg; i++) {
      // Park-Miller "minimal standard" generator via Schrage's method.
      const x = st[i - 1];
      const hi = Math.trunc(x / 127773);
      const lo = x % 127773;
      let word = 16807 * lo - 2836 * hi;
      if (word <= 0) word += 0x7fffffff;
      st[i] = word;
    }
    this.randState = st;
    this.fptr = 1;
    this.rptr = 0;
    for (let i = 0; i < 10 * deg; i++) this.random();
  }

  random(): number {
    const st = this.randState;
    st[this.fptr] = (st[this.fptr] + st[this.rptr]) | 0;
    const r = (st[this.fptr] >>> 1) & 0x7fffffff;
    if (++this.fptr >= st.length) {
      this.fptr = 0;
      ++this.rptr;
    } else if (++this.rptr >= st.length) this.rptr = 0;
    return r;
  }

  rand(): number {
    const div = 2147483648;
    for (;;) {
      const d1 = this.random();
      const d2 = this.random();
      let r = 0.5 + (d1 / div + d2) / div;
      r -= 0.5;
      if (r !== 1) return r;
    }
  }

  // ---- main input ----

  async nextMain(): Promise<string | null> {
    for (;;) {
      if (this.main === null && !(await this.openNextMain())) return null;
      const rec = await (this.main as RecordReader).next();
      if (rec !== null) {
        this.NR++;
        this.FNR++;
        return rec;
      }
      await this.closeMain();
    }
  }

  async closeMain(): Promise<void> {
    if (this.main === null) return;
    if (this.mainFd > 0) this.ctx.close(this.mainFd);
    this.main = null;
    this.mainFd = -1;
    for (const f of this.endFile) await f();
  }

  async openNextMain(): Promise<boolean> {
    const argvCell = this.g[this.slot("ARGV")];
    const argv = argvCell instanceof Map ? argvCell : new Map<string, Value>();
    for (;;) {
      const argc = toNum(this.g[this.slot("ARGC")] as Value);
      if (this.argIdx >= argc) break;
      const i = this.argIdx++;
      const v = argv.get(String(i));
      if (v === undefined) continue;
      const arg = this.toStr(v);
      if (arg === "") continue;
      const eq = /^[A-Za-z_][A-Za-z0-9_]*=/.exec(arg);
      if (eq) {
        this.assignVar(arg.slice(0, eq[0].length - 1), arg.slice(eq[0].length));
        continue;
      }
      let fd = 0;
      if (arg !== "-" && arg !== "/dev/stdin") {
        try {
          const path = latin1ToExternal(arg);
          const st = await this.ctx.stat(path);
          if (isDirMode(st.mode)) {
            await this.warn(
              `warning: command line argument \`${arg}' is a directory: skipped`,
              false,
            );
            continue;
          }
          fd = await this.ctx.open(path, O_RDONLY);
        } catch (err) {
          if (!this.ctx.alive) throw err;
          fatal(`cannot open file \`${arg}' for reading: ${describeError(err)}`);
        }
      }
      this.usedFile = true;
      this.FILENAME = new StrNum(arg);
      this.FNR = 0;
      this.main = new RecordReader(this, fd);
      this.mainFd = fd;
      for (const f of this.beginFile) await f();
      return true;
    }
    if (!this.usedFile) {
      this.usedFile = true;
      this.FNR = 0;
      this.FILENAME = "-";
      this.main = new RecordReader(this, 0);
      this.mainFd = 0;
      for (const f of this.beginFile) await f();
      return true;
    }
    return false;
  }

  /** A command-line `var=value` assignment (with escape processing, as strnum). */
  assignVar(name: string, raw: string): void {
    const text = processEscapes(raw, (m) => this.warnPlain(m));
    const v = new StrNum(text);
    const setter = this.specialSetter(name);
    if (setter) setter(v);
    else {
      const i = this.slot(name);
      if (this.g[i] instanceof Map) fatal(`cannot use array \`${name}' as a scalar`);
      this.g[i] = v;
    }
  }

  specialSetter(name: string): ((v: Value) => void) | undefined {
    return SPECIAL_SCALARS.has(name) ? specialAccess(this, name).set : undefined;
  }

  // ---- I/O redirections ----

  async getOutput(name: string, op: ">" | ">>" | "|"): Promise<OutStream> {
    const existing = this.outputs.get(name);
    if (existing) return existing;
    if (name === "/dev/stdout" || name === "-") return this.stdout;
    if (name === "/dev/stderr") return this.stderr;
    let stream: OutStream;
    if (op === "|") {
      await this.flushAll();
      const [r, w] = this.ctx.pipe();
      let pid: number;
      try {
        pid = await this.ctx.spawn({
          argv: ["sh", "-c", latin1ToExternal(name)],
          cwd: this.ctx.cwd,
          env: this.ctx.env,
          inheritFds: false,
          fds: [
            [0, r],
            [1, 1],
            [2, 2],
          ],
        });
      } catch (err) {
        this.ctx.close(r);
        this.ctx.close(w);
        if (!this.ctx.alive) throw err;
        fatal(`cannot open pipe \`${name}' for output: ${describeError(err)}`);
      }
      this.ctx.close(r);
      stream = new OutStream(this, w, "pipe");
      stream.pid = pid;
    } else {
      let fd: number;
      try {
        fd = await this.ctx.open(
          latin1ToExternal(name),
          O_WRONLY | O_CREAT | (op === ">>" ? O_APPEND : O_TRUNC),
          0o666,
        );
      } catch (err) {
        if (!this.ctx.alive) throw err;
        fatal(`cannot redirect to \`${name}': ${describeError(err)}`);
      }
      stream = new OutStream(this, fd, "file");
    }
    this.outputs.set(name, stream);
    return stream;
  }

  async getInputFile(name: string): Promise<InputSource | null> {
    const existing = this.inputs.get(name);
    if (existing) return existing;
    let fd = 0;
    let owns = false;
    if (name !== "-" && name !== "/dev/stdin") {
      try {
        fd = await this.ctx.open(latin1ToExternal(name), O_RDONLY);
        owns = true;
      } catch (err) {
        if (!this.ctx.alive) throw err;
        return null;
      }
    }
    const src: InputSource = { reader: new RecordReader(this, fd), pid: 0, ownsFd: owns };
    this.inputs.set(name, src);
    return src;
  }

  async getInputCmd(cmd: string): Promise<InputSource | null> {
    const existing = this.inputs.get(cmd);
    if (existing) return existing;
    await this.flushAll();
    const [r, w] = this.ctx.pipe();
    let pid: number;
    try {
      pid = await this.ctx.spawn({
        argv: ["sh", "-c", latin1ToExternal(cmd)],
        cwd: this.ctx.cwd,
        env: this.ctx.env,
        inheritFds: false,
        fds: [
          [0, 0],
          [1, w],
          [2, 2],
        ],
      });
    } catch (err) {
      this.ctx.close(r);
      this.ctx.close(w);
      if (!this.ctx.alive) throw err;
      await this.ctx.err(`sh: ${describeError(err)}\n`);
      return null;
    }
    this.ctx.close(w);
    const src: InputSource = { reader: new RecordReader(this, r), pid, ownsFd: true };
    this.inputs.set(cmd, src);
    return src;
  }

  async closeStream(name: string): Promise<number> {
    let result = -1;
    const out = this.outputs.get(name);
    if (out) {
      this.outputs.delete(name);
      await out.flush();
      this.ctx.close(out.fd);
      result = 0;
      if (out.kind === "pipe") result = await this.waitChild(out.pid);
    }
    const inp = this.inputs.get(name);
    if (inp) {
      this.inputs.delete(name);
      if (inp.ownsFd) this.ctx.close(inp.reader.fd);
      result = 0;
      if (inp.pid) result = await this.waitChild(inp.pid);
    }
    if (!out && !inp && (name === "/dev/stdout" || name === "-")) {
      await this.stdout.flush();
      return 0;
    }
    return result;
  }

  async waitChild(pid: number): Promise<number> {
    const res = await this.ctx.waitpid(pid);
    if (!res) return 0;
    if (res.status.signal !== null) return 256 + res.status.signal;
    return statusCode(res.status);
  }

  async flushAll(): Promise<void> {
    await this.stdout.flush();
    for (const s of this.outputs.values()) await s.flush();
  }

  /** At exit gawk closes redirections (waiting for pipe commands) before flushing stdout. */
  async closeAll(): Promise<void> {
    for (const name of [...this.outputs.keys()]) await this.closeStream(name);
    for (const name of [...this.inputs.keys()]) await this.closeStream(name);
    await this.stdout.flush();
  }

  async system(cmd: string): Promise<number> {
    await this.flushAll();
    let pid: number;
    try {
      pid = await this.ctx.spawn({
        argv: ["sh", "-c", latin1ToExternal(cmd)],
        cwd: this.ctx.cwd,
        env: this.ctx.env,
        inheritFds: false,
        fds: [
          [0, 0],
          [1, 1],
          [2, 2],
        ],
      });
    } catch (err) {
      if (!this.ctx.alive) throw err;
      await this.ctx.err(`sh: command not found (${describeError(err)})\n`);
      return 127;
    }
    return this.waitChild(pid);
  }

  where(): string {
    return `${this.srcName}:${this.line}`;
  }

  /** A warning without a source location ("awk: warning: ..."). */
  warnPlain(msg: string): void {
    this.ctx.err(latin1ToBytes(`awk: ${msg}\n`)).catch(() => {});
  }

  /** Emits a warning without waiting (write errors are ignored, as for a closed stderr). */
  warnSync(msg: string): void {
    this.ctx.err(latin1ToBytes(`awk: ${this.where()}: ${msg}\n`)).catch(() => {});
  }

  async warn(msg: string, withWhere = true): Promise<void> {
    await this.stdout.flush();
    await this.ctx.err(`awk: ${withWhere ? `${this.where()}: ` : ""}${msg}\n`);
  }
}

/** Escape processing for -v and command-line assignments (as in string literals). */
export function processEscapes(s: string, warn?: (msg: string) => void): string {
  if (!s.includes("\\")) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== "\\" || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const d = s[++i];
    switch (d) {
      case "n":
        out += "\n";
        break;
      case "t":
        out += "\t";
        break;
      case "r":
        out += "\r";
        break;
      case "\\":
        out += "\\";
        break;
      case '"':
        out += '"';
        break;
      case "/":
        out += "/";
        break;
      case "a":
        out += "\x07";
        break;
      case "b":
        out += "\b";
        break;
      case "f":
        out += "\f";
        break;
      case "v":
        out += "\v";
        break;
      default:
        if (d >= "0" && d <= "7") {
          let v = 0;
          let j = i;
          while (j < s.length && j < i + 3 && s[j] >= "0" && s[j] <= "7")
            v = v * 8 + (s.charCodeAt(j++) - 48);
          out += String.fromCharCode(v & 0xff);
          i = j - 1;
        } else {
          warn?.(`warning: escape sequence \`\\${d}' treated as plain \`${d}'`);
          out += d;
        }
    }
  }
  return out;
}

interface Access {
  get: () => Value;
  set: (v: Value) => void;
}

function strVal(v: Value, rt: AwkRuntime): [Value, string] {
  return [v, rt.toStr(v)];
}

function specialAccess(rt: AwkRuntime, name: string): Access {
  switch (name) {
    case "NF":
      return { get: () => rt.getNF(), set: (v) => rt.setNF(v) };
    case "NR":
      return { get: () => rt.NR, set: (v) => (rt.NR = Math.trunc(toNum(v))) };
    case "FNR":
      return { get: () => rt.FNR, set: (v) => (rt.FNR = Math.trunc(toNum(v))) };
    case "FS":
      return {
        get: () => rt.FSv,
        set: (v) => {
          if (rt.fields === null) rt.splitRecord();
          [rt.FSv, rt.FS] = strVal(v, rt);
        },
      };
    case "OFS":
      return {
        get: () => rt.OFSv,
        set: (v) => {
          if (rt.dirty) rt.rebuild();
          [rt.OFSv, rt.OFS] = strVal(v, rt);
        },
      };
    case "ORS":
      return { get: () => rt.ORSv, set: (v) => ([rt.ORSv, rt.ORS] = strVal(v, rt)) };
    case "RS":
      return { get: () => rt.RSv, set: (v) => ([rt.RSv, rt.RS] = strVal(v, rt)) };
    case "SUBSEP":
      return { get: () => rt.SUBSEPv, set: (v) => ([rt.SUBSEPv, rt.SUBSEP] = strVal(v, rt)) };
    case "CONVFMT":
      return { get: () => rt.CONVFMTv, set: (v) => ([rt.CONVFMTv, rt.CONVFMT] = strVal(v, rt)) };
    case "OFMT":
      return { get: () => rt.OFMTv, set: (v) => ([rt.OFMTv, rt.OFMT] = strVal(v, rt)) };
    case "RSTART":
      return { get: () => rt.RSTART, set: (v) => (rt.RSTART = toNum(v)) };
    case "RLENGTH":
      return { get: () => rt.RLENGTH, set: (v) => (rt.RLENGTH = toNum(v)) };
    case "FILENAME":
      return { get: () => rt.FILENAME, set: (v) => (rt.FILENAME = v) };
    case "RT":
      return { get: () => rt.RT, set: (v) => (rt.RT = v) };
    case "IGNORECASE":
      return {
        get: () => rt.IGNORECASEv,
        set: (v) => {
          rt.IGNORECASEv = v;
          rt.ignoreCase = toBool(v);
        },
      };
    default:
      throw new Error(`not special: ${name}`);
  }
}

// ---- static analysis -----------------------------------------------------------------------------

function walkExpr(e: Expr | undefined, visit: (e: Expr) => void): void {
  if (!e) return;
  visit(e);
  switch (e.k) {
    case "index":
      for (const s of e.subs) walkExpr(s, visit);
      break;
    case "field":
    case "unary":
    case "group":
      walkExpr(e.e, visit);
      break;
    case "assign":
      walkExpr(e.target, visit);
      walkExpr(e.e, visit);
      break;
    case "cond":
      walkExpr(e.c, visit);
      walkExpr(e.a, visit);
      walkExpr(e.b, visit);
      break;
    case "logic":
    case "match":
    case "bin":
      walkExpr(e.l, visit);
      walkExpr(e.r, visit);
      break;
    case "in":
      for (const s of e.subs) walkExpr(s, visit);
      break;
    case "incdec":
      walkExpr(e.target, visit);
      break;
    case "call":
    case "builtin":
      for (const a of e.args) walkExpr(a, visit);
      break;
    case "getline":
      walkExpr(e.target, visit);
      walkExpr(e.from, visit);
      break;
    case "grouping":
      for (const a of e.list) walkExpr(a, visit);
      break;
    default:
      break;
  }
}

function walkStmt(s: Stmt | undefined, visitS: (s: Stmt) => void, visitE: (e: Expr) => void): void {
  if (!s) return;
  visitS(s);
  switch (s.k) {
    case "expr":
    case "getline-stmt":
      walkExpr(s.e, visitE);
      break;
    case "print":
      for (const a of s.args) walkExpr(a, visitE);
      walkExpr(s.redir?.e, visitE);
      break;
    case "if":
      walkExpr(s.c, visitE);
      walkStmt(s.then, visitS, visitE);
      walkStmt(s.else, visitS, visitE);
      break;
    case "while":
    case "do":
      walkExpr(s.c, visitE);
      walkStmt(s.body, visitS, visitE);
      break;
    case "for":
      walkStmt(s.init, visitS, visitE);
      walkExpr(s.c, visitE);
      walkStmt(s.step, visitS, visitE);
      walkStmt(s.body, visitS, visitE);
      break;
    case "forin":
      walkExpr(s.v, visitE);
      walkStmt(s.body, visitS, visitE);
      break;
    case "block":
      for (const b of s.body) walkStmt(b, visitS, visitE);
      break;
    case "exit":
    case "return":
      walkExpr(s.e, visitE);
      break;
    case "delete":
      for (const e of s.subs ?? []) walkExpr(e, visitE);
      break;
    default:
      break;
  }
}

const IO_BUILTINS = new Set(["system", "close", "fflush"]);

function exprIsAsync(e: Expr, asyncFns: Set<string>): boolean {
  let found = false;
  walkExpr(e, (x) => {
    if (x.k === "getline") found = true;
    else if (x.k === "builtin" && IO_BUILTINS.has(x.name)) found = true;
    else if (x.k === "call" && asyncFns.has(x.name)) found = true;
  });
  return found;
}

/** Argument positions of builtins that take an array name. */
const ARRAY_ARGS: Record<string, number[]> = {
  split: [1, 3],
  match: [2],
  asort: [0, 1],
  asorti: [0, 1],
};

/** Regex argument positions of builtins (where /re/ is the regex itself, not $0 ~ /re/). */
const REGEX_ARGS: Record<string, number> = { split: 2, sub: 0, gsub: 0, match: 1, gensub: 0 };

// ---- compiler ------------------------------------------------------------------------------------

interface FuncInfo {
  def: FuncDef;
  locals: Map<string, number>;
  arrayParams: boolean[];
  body: CS | null;
  async: boolean;
}

export class AwkCompiler {
  readonly rt: AwkRuntime;
  readonly funcs = new Map<string, FuncInfo>();
  locals: Map<string, number> | null = null;

  constructor(rt: AwkRuntime) {
    this.rt = rt;
  }

  analyze(): void {
    const prog = this.rt.program;
    for (const def of prog.funcs.values()) {
      const locals = new Map<string, number>();
      def.params.forEach((p, i) => {
        locals.set(p, i);
      });
      this.funcs.set(def.name, {
        def,
        locals,
        arrayParams: def.params.map(() => false),
        body: null,
        async: false,
      });
    }
    // Which parameters are used as arrays (fixpoint over calls).
    let changed = true;
    while (changed) {
      changed = false;
      for (const fi of this.funcs.values()) {
        const mark = (name: string): void => {
          const i = fi.locals.get(name);
          if (i !== undefined && !fi.arrayParams[i]) {
            fi.arrayParams[i] = true;
            changed = true;
          }
        };
        const visitE = (e: Expr): void => {
          if (e.k === "index" || e.k === "in") mark(e.name);
          else if (e.k === "call") {
            const callee = this.funcs.get(e.name);
            e.args.forEach((a, j) => {
              if (a.k === "var" && callee?.arrayParams[j]) mark(a.name);
            });
          } else if (e.k === "builtin") {
            for (const j of ARRAY_ARGS[e.name] ?? []) {
              const a = e.args[j];
              if (a?.k === "var") mark(a.name);
            }
          }
        };
        const visitS = (s: Stmt): void => {
          if (s.k === "forin") mark(s.arr);
          else if (s.k === "delete") mark(s.name);
        };
        for (const s of fi.def.body) walkStmt(s, visitS, visitE);
      }
    }
    // Which functions do I/O (fixpoint).
    const asyncFns = new Set<string>();
    changed = true;
    while (changed) {
      changed = false;
      for (const fi of this.funcs.values()) {
        if (asyncFns.has(fi.def.name)) continue;
        let found = false;
        const visitS = (s: Stmt): void => {
          if (s.k === "print") found = true;
        };
        const visitE = (e: Expr): void => {
          if (exprIsAsync(e, asyncFns)) found = true;
        };
        for (const s of fi.def.body) walkStmt(s, visitS, visitE);
        if (found) {
          asyncFns.add(fi.def.name);
          fi.async = true;
          changed = true;
        }
      }
    }
    this.asyncFns = asyncFns;
    // Calls to undefined functions are fatal before running, as in gawk.
    const checkE = (e: Expr): void => {
      if (e.k === "call") {
        const fi = this.funcs.get(e.name);
        if (!fi) {
          this.rt.line = lineOfPos(this.rt.program, e.src, e.pos);
          fatal(`function \`${e.name}' not defined`);
        }
        if (e.args.length > fi.def.params.length) {
          this.rt.line = lineOfPos(this.rt.program, e.src, e.pos);
          this.rt.warnSync(
            `warning: function \`${e.name}' called with more arguments than declared`,
          );
        }
      }
    };
    for (const item of prog.items) {
      if (item.pattern.k === "expr") walkExpr(item.pattern.e, checkE);
      if (item.pattern.k === "range") {
        walkExpr(item.pattern.from, checkE);
        walkExpr(item.pattern.to, checkE);
      }
      for (const s of item.action ?? []) walkStmt(s, () => {}, checkE);
    }
    for (const fi of this.funcs.values())
      for (const s of fi.def.body) walkStmt(s, () => {}, checkE);
  }

  asyncFns = new Set<string>();

  compileFunctions(): void {
    for (const fi of this.funcs.values()) {
      this.locals = fi.locals;
      fi.body = this.block(fi.def.body);
      this.locals = null;
    }
  }

  // ---- variables ----

  varAccess(name: string): Access {
    const rt = this.rt;
    const li = this.locals?.get(name);
    if (li !== undefined) {
      return {
        get: () => {
          const c = rt.fp[li];
          if (c instanceof Map) fatal(`attempt to use array \`${name}' in a scalar context`);
          return c;
        },
        set: (v) => {
          if (rt.fp[li] instanceof Map)
            fatal(`attempt to use array \`${name}' in a scalar context`);
          rt.fp[li] = v;
        },
      };
    }
    if (SPECIAL_SCALARS.has(name)) return specialAccess(rt, name);
    const gi = rt.slot(name);
    const g = rt.g;
    return {
      get: () => {
        const c = g[gi];
        if (c instanceof Map) fatal(`attempt to use array \`${name}' in a scalar context`);
        return c;
      },
      set: (v) => {
        if (g[gi] instanceof Map) fatal(`attempt to use array \`${name}' in a scalar context`);
        g[gi] = v;
      },
    };
  }

  /** The array named `name` (created on first use as an array). */
  arrayRef(name: string): () => AwkArray {
    const rt = this.rt;
    const li = this.locals?.get(name);
    if (li !== undefined) {
      return () => {
        const c = rt.fp[li];
        if (c instanceof Map) return c;
        if (c === UNINIT) {
          const m = new Map<string, Value>();
          rt.fp[li] = m;
          return m;
        }
        fatal(`attempt to use scalar parameter \`${name}' as an array`);
      };
    }
    if (SPECIAL_SCALARS.has(name)) {
      return () => fatal(`attempt to use scalar \`${name}' as an array`);
    }
    const gi = rt.slot(name);
    const g = rt.g;
    return () => {
      const c = g[gi];
      if (c instanceof Map) return c;
      if (c === UNINIT) {
        const m = new Map<string, Value>();
        g[gi] = m;
        return m;
      }
      fatal(`attempt to use scalar \`${name}' as an array`);
    };
  }

  /** The raw cell of a variable (array or scalar), for length(x) and function arguments. */
  cellRef(name: string, makeArray: boolean): () => Cell {
    const rt = this.rt;
    const li = this.locals?.get(name);
    if (li !== undefined) {
      return () => {
        const c = rt.fp[li];
        if (makeArray && c === UNINIT) {
          const m = new Map<string, Value>();
          rt.fp[li] = m;
          return m;
        }
        return c;
      };
    }
    if (SPECIAL_SCALARS.has(name)) return specialAccess(rt, name).get;
    const gi = rt.slot(name);
    const g = rt.g;
    return () => {
      const c = g[gi];
      if (makeArray && c === UNINIT) {
        const m = new Map<string, Value>();
        g[gi] = m;
        return m;
      }
      return c;
    };
  }

  subscript(subs: Expr[]): C {
    const rt = this.rt;
    if (subs.length === 1) {
      const c = this.expr(subs[0]);
      if (!c.async) {
        const f = c.f as Sync;
        return S(() => rt.toKey(f()));
      }
      const f = c.f;
      return A(async () => rt.toKey(await f()));
    }
    const cs = subs.map((s) => this.expr(s));
    return this.mapN(cs, (vs) => vs.map((v) => rt.toKey(v)).join(rt.SUBSEP));
  }

  // ---- combinators ----

  map1(c: C, op: (v: Value) => Value): C {
    if (!c.async) {
      const f = c.f as Sync;
      return S(() => op(f()));
    }
    const f = c.f;
    return A(async () => op(await f()));
  }

  map2(l: C, r: C, op: (a: Value, b: Value) => Value): C {
    if (!l.async && !r.async) {
      const lf = l.f as Sync;
      const rf = r.f as Sync;
      return S(() => op(lf(), rf()));
    }
    const lf = l.f;
    const rf = r.f;
    return A(async () => {
      const a = await lf();
      return op(a, await rf());
    });
  }

  mapN(cs: C[], op: (vs: Value[]) => Value): C {
    if (cs.every((c) => !c.async)) {
      const fs = cs.map((c) => c.f as Sync);
      if (fs.length === 0) return S(() => op([]));
      return S(() => {
        const vs: Value[] = new Array(fs.length);
        for (let i = 0; i < fs.length; i++) vs[i] = fs[i]();
        return op(vs);
      });
    }
    const fs = cs.map((c) => c.f);
    return A(async () => {
      const vs: Value[] = new Array(fs.length);
      for (let i = 0; i < fs.length; i++) vs[i] = await fs[i]();
      return op(vs);
    });
  }

  // ---- expressions ----

  expr(e: Expr): C {
    const rt = this.rt;
    switch (e.k) {
      case "num": {
        const v = e.v;
        return S(() => v);
      }
      case "str": {
        const v = e.v;
        return S(() => v);
      }
      case "regex": {
        const src = e.src;
        return S(() => {
          const re = rt.regex(src);
          re.lastIndex = 0;
          if (rt.dirty) rt.rebuild();
          return re.test(rt.record) ? 1 : 0;
        });
      }
      case "group":
        return this.expr(e.e);
      case "grouping":
        fatal("syntax error");
        break;
      case "var": {
        const acc = this.varAccess(e.name);
        return S(acc.get);
      }
      case "index": {
        const arr = this.arrayRef(e.name);
        const key = this.subscript(e.subs);
        const get = (k: Value): Value => {
          const a = arr();
          const s = k as string;
          let v = a.get(s);
          if (v === undefined) {
            v = UNINIT;
            a.set(s, v);
          }
          return v;
        };
        return this.map1(key, get);
      }
      case "field": {
        const idx = this.expr(e.e);
        if (!idx.async && e.e.k === "num") {
          const n = rt.fieldIndex(e.e.v);
          return S(() => rt.getField(n));
        }
        return this.map1(idx, (v) => rt.getField(rt.fieldIndex(v)));
      }
      case "assign":
        return this.assign(e.op, e.target, e.e);
      case "cond": {
        const c = this.expr(e.c);
        const a = this.expr(e.a);
        const b = this.expr(e.b);
        if (!c.async && !a.async && !b.async) {
          const cf = c.f as Sync;
          const af = a.f as Sync;
          const bf = b.f as Sync;
          return S(() => (toBool(cf()) ? af() : bf()));
        }
        const cf = c.f;
        const af = a.f;
        const bf = b.f;
        return A(async () => (toBool(await cf()) ? af() : bf()));
      }
      case "logic": {
        const l = this.cond(e.l);
        const r = this.cond(e.r);
        const and = e.op === "&&";
        if (!l.async && !r.async) {
          const lf = l.f as () => boolean;
          const rf = r.f as () => boolean;
          return S(and ? () => (lf() && rf() ? 1 : 0) : () => (lf() || rf() ? 1 : 0));
        }
        const lf = l.f;
        const rf = r.f;
        return A(
          and
            ? async () => ((await lf()) && (await rf()) ? 1 : 0)
            : async () => ((await lf()) || (await rf()) ? 1 : 0),
        );
      }
      case "in": {
        const arr = this.arrayRef(e.name);
        return this.map1(this.subscript(e.subs), (k) => (arr().has(k as string) ? 1 : 0));
      }
      case "match": {
        const l = this.expr(e.l);
        const neg = e.neg;
        if (e.r.k === "regex") {
          const src = e.r.src;
          return this.map1(l, (v) => {
            const re = rt.regex(src);
            re.lastIndex = 0;
            return re.test(rt.toStr(v)) !== neg ? 1 : 0;
          });
        }
        return this.map2(l, this.expr(e.r), (v, r) => {
          const re = rt.dynRegex(r);
          re.lastIndex = 0;
          return re.test(rt.toStr(v)) !== neg ? 1 : 0;
        });
      }
      case "bin":
        return this.binary(e.op, this.expr(e.l), this.expr(e.r));
      case "unary": {
        const c = this.expr(e.e);
        if (e.op === "!") return this.map1(c, (v) => (toBool(v) ? 0 : 1));
        if (e.op === "-") return this.map1(c, (v) => -toNum(v));
        return this.map1(c, (v) => toNum(v));
      }
      case "incdec":
        return this.incdec(e.op, e.prefix, e.target);
      case "call":
        return this.call(e);
      case "builtin":
        return this.builtin(e.name, e.args);
      case "getline":
        return this.getline(e);
    }
    fatal("internal error: unknown expression");
  }

  /** A condition compiled to a boolean closure. */
  cond(e: Expr): { f: (() => boolean) | (() => Promise<boolean>); async: boolean } {
    const rt = this.rt;
    if (e.k === "regex") {
      const src = e.src;
      return {
        f: () => {
          const re = rt.regex(src);
          re.lastIndex = 0;
          if (rt.dirty) rt.rebuild();
          return re.test(rt.record);
        },
        async: false,
      };
    }
    if (e.k === "bin" && ["<", "<=", "==", "!=", ">", ">="].includes(e.op)) {
      const l = this.expr(e.l);
      const r = this.expr(e.r);
      if (!l.async && !r.async) {
        const lf = l.f as Sync;
        const rf = r.f as Sync;
        const test = cmpTest(e.op);
        return {
          f: () => {
            const a = lf();
            const b = rf();
            if (typeof a === "number" && typeof b === "number") {
              return test(a < b ? -1 : a > b ? 1 : a === b ? 0 : 2);
            }
            return test(rt.compare(a, b));
          },
          async: false,
        };
      }
    }
    const c = this.expr(e);
    if (!c.async) {
      const f = c.f as Sync;
      return { f: () => toBool(f()), async: false };
    }
    const f = c.f;
    return { f: async () => toBool(await f()), async: true };
  }

  binary(op: string, l: C, r: C): C {
    const rt = this.rt;
    switch (op) {
      case "+":
        if (!l.async && !r.async) {
          const lf = l.f as Sync;
          const rf = r.f as Sync;
          return S(() => toNum(lf()) + toNum(rf()));
        }
        return this.map2(l, r, (a, b) => toNum(a) + toNum(b));
      case "-":
        return this.map2(l, r, (a, b) => toNum(a) - toNum(b));
      case "*":
        return this.map2(l, r, (a, b) => toNum(a) * toNum(b));
      case "/":
        return this.map2(l, r, (a, b) => {
          const d = toNum(b);
          if (d === 0) fatal("division by zero attempted");
          return toNum(a) / d;
        });
      case "%":
        return this.map2(l, r, (a, b) => {
          const d = toNum(b);
          if (d === 0) fatal("division by zero attempted in `%'");
          return toNum(a) % d;
        });
      case "^":
        return this.map2(l, r, (a, b) => power(toNum(a), toNum(b)));
      case "concat":
        return this.map2(l, r, (a, b) => rt.toStr(a) + rt.toStr(b));
      default: {
        const test = cmpTest(op);
        return this.map2(l, r, (a, b) => (test(rt.compare(a, b)) ? 1 : 0));
      }
    }
  }

  /** An lvalue: prep evaluates subscripts/field index once; get/set use the prepared ref. */
  lvalue(e: Expr): {
    async: boolean;
    prep: (() => Value) | (() => Promise<Value>);
    get: (p: Value) => Value;
    set: (p: Value, v: Value) => void;
  } {
    const rt = this.rt;
    if (e.k === "var") {
      const acc = this.varAccess(e.name);
      return { async: false, prep: () => 0, get: () => acc.get(), set: (_p, v) => acc.set(v) };
    }
    if (e.k === "index") {
      const arr = this.arrayRef(e.name);
      const key = this.subscript(e.subs);
      return {
        async: key.async,
        prep: key.f,
        get: (k) => {
          const a = arr();
          let v = a.get(k as string);
          if (v === undefined) {
            v = UNINIT;
            a.set(k as string, v);
          }
          return v;
        },
        set: (k, v) => {
          arr().set(k as string, v);
        },
      };
    }
    if (e.k === "field") {
      const idx = this.expr(e.e);
      const f = idx.f;
      return {
        async: idx.async,
        prep: idx.async
          ? async () => rt.fieldIndex(await (f as Async)())
          : () => rt.fieldIndex((f as Sync)()),
        get: (i) => rt.getField(i as number),
        set: (i, v) => rt.setField(i as number, v),
      };
    }
    if (e.k === "group") return this.lvalue(e.e);
    fatal("assignment to non-lvalue");
  }

  assign(op: string, target: Expr, rhs: Expr): C {
    const r = this.expr(rhs);
    const arith = op === "=" ? null : arithOp(op.slice(0, -1));
    if (target.k === "var" && !r.async) {
      const acc = this.varAccess(target.name);
      const rf = r.f as Sync;
      const set = acc.set;
      if (!arith) {
        return S(() => {
          const v = rf();
          set(v);
          return v;
        });
      }
      const get = acc.get;
      return S(() => {
        const v = arith(toNum(get()), toNum(rf()));
        set(v);
        return v;
      });
    }
    const lv = this.lvalue(target);
    if (!lv.async && !r.async) {
      const prep = lv.prep as Sync;
      const rf = r.f as Sync;
      const { get, set } = lv;
      if (!arith) {
        return S(() => {
          const p = prep();
          const v = rf();
          set(p, v);
          return v;
        });
      }
      return S(() => {
        const p = prep();
        const v = arith(toNum(get(p)), toNum(rf()));
        set(p, v);
        return v;
      });
    }
    const prep = lv.prep;
    const rf = r.f;
    const { get, set } = lv;
    return A(async () => {
      const p = await prep();
      const rv = await rf();
      const v = arith ? arith(toNum(get(p)), toNum(rv)) : rv;
      set(p, v);
      return v;
    });
  }

  incdec(op: "++" | "--", prefix: boolean, target: Expr): C {
    const d = op === "++" ? 1 : -1;
    if (target.k === "var") {
      const { get, set } = this.varAccess(target.name);
      if (prefix) {
        return S(() => {
          const v = toNum(get()) + d;
          set(v);
          return v;
        });
      }
      return S(() => {
        const old = toNum(get());
        set(old + d);
        return old;
      });
    }
    const lv = this.lvalue(target);
    const { get, set } = lv;
    const step = (p: Value): Value => {
      const old = toNum(get(p));
      set(p, old + d);
      return prefix ? old + d : old;
    };
    if (!lv.async) {
      const prep = lv.prep as Sync;
      return S(() => step(prep()));
    }
    const prep = lv.prep;
    return A(async () => step(await prep()));
  }

  call(e: Extract<Expr, { k: "call" }>): C {
    const rt = this.rt;
    const fi = this.funcs.get(e.name);
    if (!fi) fatal(`function \`${e.name}' not defined`);
    const nLocals = fi.def.params.length;
    const args: C[] = e.args.map((a, i) => {
      if (a.k === "var" && !SPECIAL_SCALARS.has(a.name)) {
        const cell = this.cellRef(a.name, fi.arrayParams[i]);
        return S(cell as Sync);
      }
      return this.expr(a);
    });
    const nArgs = Math.min(args.length, nLocals);
    const line = lineOfPos(rt.program, e.src, e.pos);
    const enter = (vals: Cell[]): Cell[] => {
      for (let i = nArgs; i < nLocals; i++) vals[i] = UNINIT;
      if (++rt.depth > 10000) fatal("function call nesting too deep");
      return vals;
    };
    if (!fi.async && args.every((a) => !a.async)) {
      const fs = args.map((a) => a.f as Sync);
      return S(() => {
        const frame: Cell[] = new Array(nLocals);
        for (let i = 0; i < nArgs; i++) frame[i] = fs[i]();
        enter(frame);
        const saved = rt.fp;
        const savedLine = rt.line;
        rt.fp = frame;
        try {
          const code = (fi.body as CS).f() as number;
          if (code === RETURN) {
            const v = rt.retval;
            rt.retval = UNINIT;
            return v;
          }
          return UNINIT;
        } finally {
          rt.fp = saved;
          rt.depth--;
          rt.line = savedLine;
        }
      });
    }
    const fs = args.map((a) => a.f);
    void line;
    return A(async () => {
      const frame: Cell[] = new Array(nLocals);
      for (let i = 0; i < nArgs; i++) frame[i] = await fs[i]();
      enter(frame);
      const saved = rt.fp;
      const savedLine = rt.line;
      rt.fp = frame;
      try {
        const code = await (fi.body as CS).f();
        if (code === RETURN) {
          const v = rt.retval;
          rt.retval = UNINIT;
          return v;
        }
        return UNINIT;
      } finally {
        rt.fp = saved;
        rt.depth--;
        rt.line = savedLine;
      }
    });
  }

  getline(e: Extract<Expr, { k: "getline" }>): C {
    const rt = this.rt;
    const target = e.target ? this.lvalue(e.target) : null;
    const store = async (rec: string): Promise<void> => {
      if (target) {
        const p = await target.prep();
        target.set(p, new StrNum(rec));
      } else {
        rt.setRecord(rec);
      }
    };
    if (e.mode === "simple") {
      return A(async () => {
        const rec = await rt.nextMain();
        if (rec === null) return 0;
        await store(rec);
        return 1;
      });
    }
    const from = this.expr(e.from as Expr);
    const ff = from.f;
    const isCmd = e.mode === "cmd";
    return A(async () => {
      const name = rt.toStr(await ff());
      const src = isCmd ? await rt.getInputCmd(name) : await rt.getInputFile(name);
      if (!src) return -1;
      let rec: string | null;
      try {
        rec = await src.reader.next();
      } catch (err) {
        if (!rt.ctx.alive) throw err;
        return -1;
      }
      if (rec === null) return 0;
      await store(rec);
      return 1;
    });
  }

  // ---- builtins ----

  regexArg(e: Expr): C {
    const rt = this.rt;
    if (e.k === "regex") {
      const src = e.src;
      return S(() => src);
    }
    return this.map1(this.expr(e), (v) => rt.toStr(v));
  }

  builtin(name: string, args: Expr[]): C {
    const rt = this.rt;
    const argc = args.length;
    const arity = (min: number, max: number): void => {
      if (argc < min || argc > max) fatal(`${argc} is invalid as number of arguments for ${name}`);
    };
    const cs = (): C[] =>
      args.map((a, i) => (REGEX_ARGS[name] === i ? this.regexArg(a) : this.expr(a)));
    const num1 = (fn: (x: number) => number): C => {
      arity(1, 1);
      return this.map1(this.expr(args[0]), (v) => fn(toNum(v)));
    };
    switch (name) {
      case "length": {
        arity(0, 1);
        if (argc === 0) return S(() => rt.toStr(rt.getRecord()).length);
        const a = args[0];
        if (a.k === "var" && !SPECIAL_SCALARS.has(a.name)) {
          const cell = this.cellRef(a.name, false);
          return S(() => {
            const c = cell();
            return c instanceof Map ? c.size : rt.toStr(c).length;
          });
        }
        return this.map1(this.expr(a), (v) => rt.toStr(v).length);
      }
      case "substr":
        arity(2, 3);
        return this.mapN(cs(), (vs) =>
          substr(rt.toStr(vs[0]), toNum(vs[1]), vs.length > 2 ? toNum(vs[2]) : undefined),
        );
      case "index":
        arity(2, 2);
        return this.mapN(cs(), (vs) => rt.toStr(vs[0]).indexOf(rt.toStr(vs[1])) + 1);
      case "tolower":
        arity(1, 1);
        return this.map1(this.expr(args[0]), (v) =>
          rt.toStr(v).replace(/[A-Z]+/g, (m) => m.toLowerCase()),
        );
      case "toupper":
        arity(1, 1);
        return this.map1(this.expr(args[0]), (v) =>
          rt.toStr(v).replace(/[a-z]+/g, (m) => m.toUpperCase()),
        );
      case "sin":
        return num1(Math.sin);
      case "cos":
        return num1(Math.cos);
      case "exp":
        return num1(Math.exp);
      case "sqrt":
        return num1((x) => {
          if (x < 0) rt.warnSync(`warning: sqrt: received negative argument ${formatG(x, 6)}`);
          return Math.sqrt(x);
        });
      case "log":
        return num1((x) => {
          if (x < 0) rt.warnSync(`warning: log: received negative argument ${formatG(x, 6)}`);
          return Math.log(x);
        });
      case "int":
        return num1(Math.trunc);
      case "atan2":
        arity(2, 2);
        return this.mapN(cs(), (vs) => Math.atan2(toNum(vs[0]), toNum(vs[1])));
      case "rand":
        arity(0, 0);
        return S(() => rt.rand());
      case "srand":
        arity(0, 1);
        return this.mapN(cs(), (vs) => {
          const prev = rt.seed;
          rt.seed = vs.length > 0 ? Math.trunc(toNum(vs[0])) : Math.floor(Date.now() / 1000);
          rt.srandom(rt.seed);
          return prev;
        });
      case "sprintf":
        if (argc === 0) fatal("0 is invalid as number of arguments for sprintf");
        return this.mapN(cs(), (vs) => this.format(vs));
      case "systime":
        arity(0, 0);
        return S(() => Math.floor(Date.now() / 1000));
      case "strftime":
        arity(0, 3);
        return this.mapN(cs(), (vs) => {
          const fmt = vs.length > 0 ? rt.toStr(vs[0]) : "%a %b %e %H:%M:%S %Z %Y";
          const t = vs.length > 1 ? toNum(vs[1]) : Math.floor(Date.now() / 1000);
          return strftime(fmt, t);
        });
      case "mktime":
        arity(1, 2);
        return this.mapN(cs(), (vs) => mktime(rt.toStr(vs[0])));
      case "and":
      case "or":
      case "xor": {
        if (argc < 2) fatal(`${name}: called with less than two arguments`);
        return this.mapN(cs(), (vs) => {
          let acc = BigInt(Math.trunc(toNum(vs[0])));
          for (let i = 1; i < vs.length; i++) {
            const b = BigInt(Math.trunc(toNum(vs[i])));
            acc = name === "and" ? acc & b : name === "or" ? acc | b : acc ^ b;
          }
          return Number(acc);
        });
      }
      case "lshift":
        arity(2, 2);
        return this.mapN(cs(), (vs) =>
          Number(
            BigInt.asUintN(
              64,
              BigInt(Math.trunc(toNum(vs[0]))) << BigInt(Math.trunc(toNum(vs[1]))),
            ),
          ),
        );
      case "rshift":
        arity(2, 2);
        return this.mapN(cs(), (vs) =>
          Number(BigInt(Math.trunc(toNum(vs[0]))) >> BigInt(Math.trunc(toNum(vs[1])))),
        );
      case "compl":
        arity(1, 1);
        return this.map1(this.expr(args[0]), (v) =>
          Number(BigInt.asUintN(53, ~BigInt(Math.trunc(toNum(v))))),
        );
      case "strtonum":
        arity(1, 1);
        return this.map1(this.expr(args[0]), (v) => {
          if (typeof v === "number") return v;
          const s = rt.toStr(v).trim();
          if (/^[-+]?0[xX][0-9A-Fa-f]+/.test(s)) {
            const m = /^([-+]?)0[xX]([0-9A-Fa-f]+)/.exec(s) as RegExpExecArray;
            const n = Number.parseInt(m[2], 16);
            return m[1] === "-" ? -n : n;
          }
          if (/^[-+]?0[0-7]+$/.test(s)) return Number.parseInt(s, 8);
          return strToNum(s);
        });
      case "isarray": {
        arity(1, 1);
        const a = args[0];
        if (a.k === "var" && !SPECIAL_SCALARS.has(a.name)) {
          const cell = this.cellRef(a.name, false);
          return S(() => (cell() instanceof Map ? 1 : 0));
        }
        return this.map1(this.expr(a), () => 0);
      }
      case "typeof": {
        arity(1, 2);
        const a = args[0];
        const kind = (c: Cell): string => {
          if (c instanceof Map) return "array";
          if (c === UNINIT) return "untyped";
          if (typeof c === "number") return "number";
          if (typeof c === "string") return "string";
          return strnumIsNumeric(c) ? "strnum" : "string";
        };
        if (a.k === "var" && !SPECIAL_SCALARS.has(a.name)) {
          const cell = this.cellRef(a.name, false);
          return S(() => kind(cell()));
        }
        if (a.k === "index") {
          const arr = this.arrayRef(a.name);
          return this.map1(this.subscript(a.subs), (k) => {
            const v = arr().get(k as string);
            return v === undefined ? "untyped" : v === UNINIT ? "unassigned" : kind(v);
          });
        }
        if (a.k === "regex") return S(() => "regexp");
        return this.map1(this.expr(a), kind);
      }
      case "split":
        return this.split(args);
      case "sub":
      case "gsub":
        return this.sub(name === "gsub", args);
      case "gensub": {
        arity(3, 4);
        const c = cs();
        if (argc === 3) c.push(S(() => rt.getRecord()));
        return this.mapN(c, (vs) => {
          const re = rt.regex(rt.toStr(vs[0]));
          const how = vs[2];
          let which = 0;
          const hs = rt.toStr(how);
          if (typeof how !== "number" && /^[gG]/.test(hs)) which = 0;
          else {
            which = Math.trunc(toNum(how));
            if (which <= 0) {
              rt.warnSync(`warning: gensub: third argument \`${hs}' treated as 1`);
              which = 1;
            }
          }
          return gensub(re, rt.toStr(vs[3]), rt.toStr(vs[1]), which);
        });
      }
      case "match":
        return this.match(args);
      case "asort":
      case "asorti":
        return this.asort(name === "asorti", args);
      case "system": {
        arity(1, 1);
        const c = this.expr(args[0]);
        const f = c.f;
        return A(async () => rt.system(rt.toStr(await f())));
      }
      case "close": {
        arity(1, 2);
        const c = this.expr(args[0]);
        const f = c.f;
        return A(async () => rt.closeStream(rt.toStr(await f())));
      }
      case "fflush": {
        arity(0, 1);
        if (argc === 0) {
          return A(async () => {
            await rt.flushAll();
            return 0;
          });
        }
        const c = this.expr(args[0]);
        const f = c.f;
        return A(async () => {
          const name = rt.toStr(await f());
          if (name === "/dev/stdout") {
            await rt.stdout.flush();
            return 0;
          }
          const s = rt.outputs.get(name);
          if (!s) return -1;
          await s.flush();
          return 0;
        });
      }
      default:
        fatal(`function \`${name}' not defined`);
    }
  }

  format(vs: Value[]): string {
    const rt = this.rt;
    try {
      return sprintf(rt.toStr(vs[0]), vs.slice(1), toNum, rt.toStr);
    } catch (err) {
      if (err instanceof AwkFormatError) fatal(err.message);
      throw err;
    }
  }

  arrayArg(e: Expr | undefined, fname: string): () => AwkArray {
    if (e?.k !== "var") fatal(`${fname}: second argument is not an array`);
    return this.arrayRef(e.name);
  }

  split(args: Expr[]): C {
    const rt = this.rt;
    if (args.length < 2 || args.length > 4)
      fatal(`${args.length} is invalid as number of arguments for split`);
    const s = this.expr(args[0]);
    const arr = this.arrayArg(args[1], "split");
    const sepsArr = args[3] ? this.arrayArg(args[3], "split") : null;
    const fsExpr = args[2];
    const isRe = fsExpr?.k === "regex";
    const fs = fsExpr ? this.regexArg(fsExpr) : S(() => rt.FSv);
    return this.map2(s, fs, (sv, fv) => {
      const str = rt.toStr(sv);
      const fsStr = rt.toStr(fv);
      const a = arr();
      const seps: string[] | undefined = sepsArr ? [] : undefined;
      let parts: string[];
      if (isRe && fsStr.length === 1 && fsStr !== " ")
        parts = splitFields(
          str,
          `[${fsStr === "\\" ? "\\\\" : fsStr}]`,
          rt.ignoreCase,
          false,
          seps,
        );
      else if (isRe && fsStr === " ") parts = splitFields(str, "[ ]", rt.ignoreCase, false, seps);
      else parts = splitFields(str, fsStr, rt.ignoreCase, false, seps);
      a.clear();
      for (let i = 0; i < parts.length; i++) a.set(String(i + 1), new StrNum(parts[i]));
      if (sepsArr && seps) {
        const sa = sepsArr();
        sa.clear();
        if (fsStr === " " && !isRe) {
          for (let i = 0; i < seps.length; i++) sa.set(String(i), seps[i]);
        } else {
          for (let i = 1; i < seps.length; i++) sa.set(String(i), seps[i]);
        }
      }
      return parts.length;
    });
  }

  sub(global: boolean, args: Expr[]): C {
    const rt = this.rt;
    const name = global ? "gsub" : "sub";
    if (args.length < 2 || args.length > 3)
      fatal(`${args.length} is invalid as number of arguments for ${name}`);
    const re = this.regexArg(args[0]);
    const repl = this.expr(args[1]);
    const targetExpr: Expr = args[2] ?? { k: "field", e: { k: "num", v: 0 } };
    const isLv = targetExpr.k === "var" || targetExpr.k === "index" || targetExpr.k === "field";
    if (!isLv) {
      // gawk warns and works on a temporary copy.
      const t = this.expr(targetExpr);
      return this.mapN([re, repl, t], (vs) => {
        const r = rt.regex(rt.toStr(vs[0]));
        return subReplace(r, rt.toStr(vs[2]), rt.toStr(vs[1]), global)[1];
      });
    }
    const lv = this.lvalue(targetExpr);
    const run = (reV: Value, replV: Value, p: Value): Value => {
      const r = rt.regex(rt.toStr(reV));
      const cur = rt.toStr(lv.get(p));
      const [out, n] = subReplace(r, cur, rt.toStr(replV), global);
      if (n > 0) lv.set(p, out);
      return n;
    };
    if (!re.async && !repl.async && !lv.async) {
      const rf = re.f as Sync;
      const pf = repl.f as Sync;
      const prep = lv.prep as Sync;
      return S(() => {
        const a = rf();
        const b = pf();
        return run(a, b, prep());
      });
    }
    const rf = re.f;
    const pf = repl.f;
    const prep = lv.prep;
    return A(async () => {
      const a = await rf();
      const b = await pf();
      return run(a, b, await prep());
    });
  }

  match(args: Expr[]): C {
    const rt = this.rt;
    if (args.length < 2 || args.length > 3)
      fatal(`${args.length} is invalid as number of arguments for match`);
    const s = this.expr(args[0]);
    const re = this.regexArg(args[1]);
    const arr = args[2] ? this.arrayArg(args[2], "match") : null;
    return this.map2(s, re, (sv, rv) => {
      const str = rt.toStr(sv);
      const r = rt.regex(rt.toStr(rv));
      r.lastIndex = 0;
      const m = r.exec(str);
      const a = arr ? arr() : null;
      a?.clear();
      if (!m) {
        rt.RSTART = 0;
        rt.RLENGTH = -1;
        return 0;
      }
      rt.RSTART = m.index + 1;
      rt.RLENGTH = m[0].length;
      if (a) {
        // Group positions: search each group's text from the match start (approximation of
        // regex group offsets without the "d" flag's cost on every match).
        const withIdx = new RegExp(r.source, `${r.flags.replace("g", "")}d`).exec(
          str.slice(m.index),
        );
        for (let i = 0; i < m.length; i++) {
          if (m[i] === undefined) continue;
          a.set(String(i), new StrNum(m[i]));
          const ind = withIdx?.indices?.[i];
          a.set(`${i}${rt.SUBSEP}start`, ind ? ind[0] + m.index + 1 : m.index + 1);
          a.set(`${i}${rt.SUBSEP}length`, m[i].length);
        }
      }
      return m.index + 1;
    });
  }

  asort(indices: boolean, args: Expr[]): C {
    const rt = this.rt;
    const fname = indices ? "asorti" : "asort";
    if (args.length < 1 || args.length > 3)
      fatal(`${args.length} is invalid as number of arguments for ${fname}`);
    const src = this.arrayArg(args[0], fname);
    const dest = args[1] ? this.arrayArg(args[1], fname) : null;
    return S(() => {
      const a = src();
      let vals: Value[] = indices ? [...a.keys()] : [...a.values()];
      vals = sortValues(vals, rt, indices);
      const d = dest ? dest() : a;
      d.clear();
      vals.forEach((v, i) => {
        d.set(String(i + 1), v);
      });
      return vals.length;
    });
  }

  // ---- statements ----

  block(list: Stmt[]): CS {
    const cs = list.map((s) => this.stmt(s));
    if (cs.length === 1) return cs[0];
    if (cs.every((c) => !c.async)) {
      const fs = cs.map((c) => c.f as SStmt);
      if (fs.length === 0) return { f: () => NORMAL, async: false };
      if (fs.length === 2) {
        const [a, b] = fs;
        return {
          f: () => {
            const r = a();
            return r !== NORMAL ? r : b();
          },
          async: false,
        };
      }
      return {
        f: () => {
          for (let i = 0; i < fs.length; i++) {
            const r = fs[i]();
            if (r !== NORMAL) return r;
          }
          return NORMAL;
        },
        async: false,
      };
    }
    return {
      f: async () => {
        for (let i = 0; i < cs.length; i++) {
          const c = cs[i];
          const r = c.async ? await c.f() : (c.f() as number);
          if (r !== NORMAL) return r;
        }
        return NORMAL;
      },
      async: true,
    };
  }

  stmt(s: Stmt): CS {
    const rt = this.rt;
    switch (s.k) {
      case "expr":
      case "getline-stmt": {
        const c = this.expr(s.e);
        const line = s.line;
        if (!c.async) {
          const f = c.f as Sync;
          return {
            f: () => {
              rt.line = line;
              f();
              return NORMAL;
            },
            async: false,
          };
        }
        const f = c.f;
        return {
          f: async () => {
            rt.line = line;
            await f();
            return NORMAL;
          },
          async: true,
        };
      }
      case "print":
        return this.print(s);
      case "if": {
        const c = this.cond(s.c);
        const t = this.stmt(s.then);
        const e = s.else ? this.stmt(s.else) : null;
        if (!c.async && !t.async && !(e?.async ?? false)) {
          const cf = c.f as () => boolean;
          const tf = t.f as SStmt;
          const ef = e ? (e.f as SStmt) : null;
          if (!ef) return { f: () => (cf() ? tf() : NORMAL), async: false };
          return { f: () => (cf() ? tf() : ef()), async: false };
        }
        const cf = c.f;
        const tf = t.f;
        const ef = e?.f;
        return {
          f: async () => {
            if (await cf()) return tf();
            return ef ? ef() : NORMAL;
          },
          async: true,
        };
      }
      case "while": {
        const c = this.cond(s.c);
        const b = this.stmt(s.body);
        if (!c.async && !b.async) {
          const cf = c.f as () => boolean;
          const bf = b.f as SStmt;
          return {
            f: () => {
              while (cf()) {
                const r = bf();
                if (r === BREAK) break;
                if (r === RETURN) return RETURN;
              }
              return NORMAL;
            },
            async: false,
          };
        }
        const cf = c.f;
        const bf = b.f;
        return {
          f: async () => {
            while (await cf()) {
              const r = await bf();
              if (r === BREAK) break;
              if (r === RETURN) return RETURN;
            }
            return NORMAL;
          },
          async: true,
        };
      }
      case "do": {
        const c = this.cond(s.c);
        const b = this.stmt(s.body);
        if (!c.async && !b.async) {
          const cf = c.f as () => boolean;
          const bf = b.f as SStmt;
          return {
            f: () => {
              do {
                const r = bf();
                if (r === BREAK) break;
                if (r === RETURN) return RETURN;
              } while (cf());
              return NORMAL;
            },
            async: false,
          };
        }
        const cf = c.f;
        const bf = b.f;
        return {
          f: async () => {
            do {
              const r = await bf();
              if (r === BREAK) break;
              if (r === RETURN) return RETURN;
            } while (await cf());
            return NORMAL;
          },
          async: true,
        };
      }
      case "for": {
        const init = s.init ? this.stmt(s.init) : null;
        const c = s.c ? this.cond(s.c) : null;
        const step = s.step ? this.stmt(s.step) : null;
        const b = this.stmt(s.body);
        const anyAsync =
          (init?.async ?? false) || (c?.async ?? false) || (step?.async ?? false) || b.async;
        if (!anyAsync) {
          const initf = init ? (init.f as SStmt) : null;
          const cf = c ? (c.f as () => boolean) : () => true;
          const stepf = step ? (step.f as SStmt) : null;
          const bf = b.f as SStmt;
          return {
            f: () => {
              if (initf) initf();
              while (cf()) {
                const r = bf();
                if (r === BREAK) break;
                if (r === RETURN) return RETURN;
                if (stepf) stepf();
              }
              return NORMAL;
            },
            async: false,
          };
        }
        const initf = init?.f;
        const cf = c ? c.f : () => true;
        const stepf = step?.f;
        const bf = b.f;
        return {
          f: async () => {
            if (initf) await initf();
            while (await cf()) {
              const r = await bf();
              if (r === BREAK) break;
              if (r === RETURN) return RETURN;
              if (stepf) await stepf();
            }
            return NORMAL;
          },
          async: true,
        };
      }
      case "forin": {
        const arr = this.arrayRef(s.arr);
        const lv = this.lvalue(s.v);
        const b = this.stmt(s.body);
        const keys = (): string[] => forInOrder(rt, arr());
        if (!b.async && !lv.async) {
          const bf = b.f as SStmt;
          return {
            f: () => {
              const a = arr();
              for (const k of keys()) {
                if (!a.has(k)) continue;
                lv.set(lv.prep() as Value, new StrNum(k, -1));
                const r = bf();
                if (r === BREAK) break;
                if (r === RETURN) return RETURN;
              }
              return NORMAL;
            },
            async: false,
          };
        }
        const bf = b.f;
        return {
          f: async () => {
            const a = arr();
            for (const k of keys()) {
              if (!a.has(k)) continue;
              lv.set(await lv.prep(), new StrNum(k, -1));
              const r = await bf();
              if (r === BREAK) break;
              if (r === RETURN) return RETURN;
            }
            return NORMAL;
          },
          async: true,
        };
      }
      case "block":
        return this.block(s.body);
      case "next":
        return {
          f: () => {
            throw NEXT;
          },
          async: false,
        };
      case "nextfile":
        return {
          f: () => {
            throw NEXTFILE;
          },
          async: false,
        };
      case "break":
        return { f: () => BREAK, async: false };
      case "continue":
        return { f: () => CONTINUE, async: false };
      case "exit": {
        const c = s.e ? this.expr(s.e) : null;
        const line = s.line;
        if (!c?.async) {
          const f = c ? (c.f as Sync) : null;
          return {
            f: () => {
              rt.line = line;
              if (f) rt.exitCode = Math.trunc(toNum(f())) & 0xff;
              throw EXIT;
            },
            async: false,
          };
        }
        const f = c.f;
        return {
          f: async () => {
            rt.line = line;
            rt.exitCode = Math.trunc(toNum(await f())) & 0xff;
            throw EXIT;
          },
          async: true,
        };
      }
      case "return": {
        if (!this.locals) fatal("`return' used outside function context");
        const c = s.e ? this.expr(s.e) : null;
        if (!c) {
          return {
            f: () => {
              rt.retval = UNINIT;
              return RETURN;
            },
            async: false,
          };
        }
        if (!c.async) {
          const f = c.f as Sync;
          return {
            f: () => {
              rt.retval = f();
              return RETURN;
            },
            async: false,
          };
        }
        const f = c.f;
        return {
          f: async () => {
            rt.retval = await f();
            return RETURN;
          },
          async: true,
        };
      }
      case "delete": {
        const arr = this.arrayRef(s.name);
        if (!s.subs) {
          return {
            f: () => {
              arr().clear();
              return NORMAL;
            },
            async: false,
          };
        }
        const key = this.subscript(s.subs);
        if (!key.async) {
          const kf = key.f as Sync;
          return {
            f: () => {
              arr().delete(kf() as string);
              return NORMAL;
            },
            async: false,
          };
        }
        const kf = key.f;
        return {
          f: async () => {
            arr().delete((await kf()) as string);
            return NORMAL;
          },
          async: true,
        };
      }
    }
  }

  print(s: Extract<Stmt, { k: "print" }>): CS {
    const rt = this.rt;
    const args = s.args.map((a) => this.expr(a));
    const line = s.line;
    let build: C;
    if (s.printf) {
      build = this.mapN(args, (vs) => this.format(vs));
    } else if (args.length === 0) {
      build = S(() => rt.toOut(rt.getRecord()) + rt.ORS);
    } else if (args.length === 1) {
      build = this.map1(args[0], (v) => rt.toOut(v) + rt.ORS);
    } else {
      build = this.mapN(args, (vs) => {
        let out = rt.toOut(vs[0]);
        for (let i = 1; i < vs.length; i++) out += rt.OFS + rt.toOut(vs[i]);
        return out + rt.ORS;
      });
    }
    const bf = build.f;
    const redir = s.redir;
    if (!redir) {
      if (!build.async) {
        const f = bf as Sync;
        return {
          f: async () => {
            rt.line = line;
            const p = rt.stdout.write(f() as string);
            if (p) await p;
            return NORMAL;
          },
          async: true,
        };
      }
      return {
        f: async () => {
          rt.line = line;
          const p = rt.stdout.write((await bf()) as string);
          if (p) await p;
          return NORMAL;
        },
        async: true,
      };
    }
    const target = this.expr(redir.e);
    const tf = target.f;
    const op = redir.op;
    return {
      f: async () => {
        rt.line = line;
        const text = (await bf()) as string;
        const stream = await rt.getOutput(rt.toStr(await tf()), op);
        const p = stream.write(text);
        if (p) await p;
        return NORMAL;
      },
      async: true,
    };
  }

  // ---- program ----

  compileItems(): CompiledProgram {
    const rt = this.rt;
    const prog = rt.program;
    const begin: CS[] = [];
    const end: CS[] = [];
    const main: Array<() => Promise<void>> = [];
    let hasMain = false;
    for (const item of prog.items) {
      const p = item.pattern;
      if (p.k === "BEGIN") begin.push(this.withLine(item, this.block(item.action as Stmt[])));
      else if (p.k === "END") end.push(this.withLine(item, this.block(item.action as Stmt[])));
      else if (p.k === "BEGINFILE" || p.k === "ENDFILE") {
        const body = this.withLine(item, this.block(item.action as Stmt[]));
        const run = async (): Promise<void> => {
          await body.f();
        };
        (p.k === "BEGINFILE" ? rt.beginFile : rt.endFile).push(run);
      } else {
        hasMain = true;
        main.push(this.mainItem(item));
      }
    }
    return { begin, end, main, hasMain };
  }

  withLine(item: Item, c: CS): CS {
    const rt = this.rt;
    const line = item.line;
    const f = c.f;
    return {
      f: (() => {
        rt.line = line;
        return f();
      }) as SStmt,
      async: c.async,
    };
  }

  mainItem(item: Item): () => Promise<void> {
    const rt = this.rt;
    const action: CS = item.action
      ? this.withLine(item, this.block(item.action))
      : {
          f: async () => {
            const p = rt.stdout.write(rt.toOut(rt.getRecord()) + rt.ORS);
            if (p) await p;
            return NORMAL;
          },
          async: true,
        };
    const af = action.f;
    const p = item.pattern;
    if (p.k === "always") {
      return async () => {
        await af();
      };
    }
    if (p.k === "expr") {
      const c = this.cond(p.e);
      const cf = c.f;
      return async () => {
        rt.line = item.line;
        if (await cf()) await af();
      };
    }
    if (p.k === "range") {
      const from = this.cond(p.from).f;
      const to = this.cond(p.to).f;
      let inRange = false;
      return async () => {
        rt.line = item.line;
        if (!inRange) {
          if (!(await from())) return;
          inRange = !(await to());
          await af();
          return;
        }
        if (await to()) inRange = false;
        await af();
      };
    }
    return async () => {};
  }
}

interface CompiledProgram {
  begin: CS[];
  end: CS[];
  main: Array<() => Promise<void>>;
  hasMain: boolean;
}

function lineOfPos(program: Program, src: number, pos: number): number {
  const text = program.sources[src]?.text ?? "";
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text[i] === "\n") line++;
  return line;
}

function cmpTest(op: string): (c: number) => boolean {
  switch (op) {
    case "<":
      return (c) => c === -1;
    case "<=":
      return (c) => c === -1 || c === 0;
    case ">":
      return (c) => c === 1;
    case ">=":
      return (c) => c === 1 || c === 0;
    case "==":
      return (c) => c === 0;
    default:
      return (c) => c !== 0;
  }
}

function arithOp(op: string): (a: number, b: number) => number {
  switch (op) {
    case "+":
      return (a, b) => a + b;
    case "-":
      return (a, b) => a - b;
    case "*":
      return (a, b) => a * b;
    case "/":
      return (a, b) => {
        if (b === 0) fatal("division by zero attempted in `/='");
        return a / b;
      };
    case "%":
      return (a, b) => {
        if (b === 0) fatal("division by zero attempted in `%='");
        return a % b;
      };
    default:
      return power;
  }
}

function power(a: number, b: number): number {
  if (Number.isInteger(b) && b >= 0 && b < 1024) {
    let result = 1;
    let base = a;
    let n = b;
    while (n > 0) {
      if (n & 1) result *= base;
      base *= base;
      n >>= 1;
    }
    return result;
  }
  return a ** b;
}

/** Sorts values as gawk's asort does: numbers (ascending) before strings (ascending). */
function sortValues(vals: Value[], rt: AwkRuntime, asStrings: boolean): Value[] {
  if (asStrings) return vals.map((v) => rt.toStr(v)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const nums = vals.filter((v) => isNumLike(v) && !(v === UNINIT));
  const strs = vals.filter((v) => !isNumLike(v) || v === UNINIT);
  nums.sort((a, b) => toNum(a) - toNum(b));
  strs.sort((a, b) => {
    const x = rt.toStr(a);
    const y = rt.toStr(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return [...nums, ...strs];
}

/** for-in order: PROCINFO["sorted_in"] when set, else insertion order. */
function forInOrder(rt: AwkRuntime, a: AwkArray): string[] {
  const keys = [...a.keys()];
  const proc = rt.g[rt.slot("PROCINFO")];
  const how = proc instanceof Map ? proc.get("sorted_in") : undefined;
  if (how === undefined) return gawkForInOrder(keys);
  const h = rt.toStr(how);
  const strCmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  const numKey = (k: string): number => strToNum(k);
  const val = (k: string): Value => a.get(k) ?? UNINIT;
  const valCmp = (x: Value, y: Value): number => {
    const xn = isNumLike(x);
    const yn = isNumLike(y);
    if (xn && yn) return toNum(x) - toNum(y);
    if (xn) return -1;
    if (yn) return 1;
    return strCmp(rt.toStr(x), rt.toStr(y));
  };
  switch (h) {
    case "@ind_str_asc":
      return keys.sort(strCmp);
    case "@ind_str_desc":
      return keys.sort((x, y) => strCmp(y, x));
    case "@ind_num_asc":
      return keys.sort((x, y) => numKey(x) - numKey(y) || strCmp(x, y));
    case "@ind_num_desc":
      return keys.sort((x, y) => numKey(y) - numKey(x) || strCmp(y, x));
    case "@val_type_asc":
    case "@val_num_asc":
      return keys.sort((x, y) => toNum(val(x)) - toNum(val(y)) || strCmp(x, y));
    case "@val_type_desc":
    case "@val_num_desc":
      return keys.sort((x, y) => toNum(val(y)) - toNum(val(x)) || strCmp(y, x));
    case "@val_str_asc":
      return keys.sort((x, y) => strCmp(rt.toStr(val(x)), rt.toStr(val(y))) || strCmp(x, y));
    case "@val_str_desc":
      return keys.sort((x, y) => strCmp(rt.toStr(val(y)), rt.toStr(val(x))) || strCmp(y, x));
    default:
      void valCmp;
      return gawkForInOrder(keys);
  }
}

// ---- running ------------------------------------------------------------------------------------

/** Runs a parsed program; returns the exit status. */
export async function runProgram(
  ctx: ProcessContext,
  program: Program,
  opts: RunOptions,
): Promise<number> {
  const rt = new AwkRuntime(ctx, program);
  rt.srcName = program.sources[0]?.name ?? "cmd. line";
  // Predefined arrays and variables.
  const environ = new Map<string, Value>();
  for (const [k, v] of Object.entries(ctx.env))
    environ.set(externalToLatin1(k), new StrNum(externalToLatin1(v)));
  rt.g[rt.slot("ENVIRON")] = environ;
  const argv = new Map<string, Value>();
  argv.set("0", "awk");
  opts.args.forEach((a, i) => {
    argv.set(String(i + 1), new StrNum(externalToLatin1(a)));
  });
  rt.g[rt.slot("ARGV")] = argv;
  rt.g[rt.slot("ARGC")] = opts.args.length + 1;
  const procinfo = new Map<string, Value>();
  procinfo.set("version", "5.2.1");
  procinfo.set("pid", ctx.pid);
  procinfo.set("ppid", ctx.ppid);
  procinfo.set("uid", ctx.uid);
  procinfo.set("gid", ctx.gid);
  procinfo.set("euid", ctx.uid);
  procinfo.set("egid", ctx.gid);
  procinfo.set("FS", "FS");
  rt.g[rt.slot("PROCINFO")] = procinfo;

  try {
    if (opts.fs !== undefined) {
      let fs = externalToLatin1(opts.fs);
      if (fs === "t") fs = "t";
      specialAccess(rt, "FS").set(processEscapes(fs, (m) => rt.warnPlain(m)));
    }
    for (const [name, value] of opts.assigns) rt.assignVar(name, externalToLatin1(value));

    const compiler = new AwkCompiler(rt);
    compiler.analyze();
    compiler.compileFunctions();
    const compiled = compiler.compileItems();
    const runAll = async (list: CS[]): Promise<void> => {
      for (const c of list) await c.f();
    };
    let exited = false;
    try {
      await runAll(compiled.begin);
    } catch (err) {
      if (err instanceof ExitSignal) exited = true;
      else if (err instanceof NextSignal || err instanceof NextFileSignal) {
        fatal("`next' used in BEGIN action");
      } else throw err;
    }
    if (
      !exited &&
      (compiled.hasMain ||
        compiled.end.length > 0 ||
        rt.endFile.length > 0 ||
        rt.beginFile.length > 0)
    ) {
      try {
        for (;;) {
          const rec = await rt.nextMain();
          if (rec === null) break;
          rt.setRecord(rec);
          try {
            for (const m of compiled.main) await m();
          } catch (err) {
            if (err instanceof NextSignal) continue;
            if (err instanceof NextFileSignal) {
              await rt.closeMain();
              continue;
            }
            throw err;
          }
        }
      } catch (err) {
        if (err instanceof ExitSignal) exited = true;
        else throw err;
      }
    }
    try {
      await runAll(compiled.end);
    } catch (err) {
      if (!(err instanceof ExitSignal)) {
        if (err instanceof NextSignal || err instanceof NextFileSignal) {
          fatal("`next' used in END action");
        }
        throw err;
      }
    }
    await rt.closeAll();
    return rt.exitCode;
  } catch (err) {
    if (err instanceof AwkFatal) {
      try {
        await rt.stdout.flush();
      } catch {
        // ignore
      }
      const fname = rt.toStr(rt.FILENAME);
      const inInput = fname !== "" ? `(FILENAME=${fname} FNR=${rt.FNR}) ` : "";
      const where = err.message.startsWith("cannot open file") ? "" : `${rt.where()}: ${inInput}`;
      await ctx.err(latin1ToBytes(`awk: ${where}fatal: ${err.message}\n`));
      return 2;
    }
    throw err;
  }
}
