/**
 * bc's virtual machine, after GNU bc 1.07.1 (load.c, execute.c, storage.c): the compiler's
 * code strings are loaded into byte-coded function bodies and run by a stack machine. Keeping
 * GNU's byte layout makes runtime diagnostics name the same addresses
 * ("Runtime error (func=(main), adr=3): Divide by zero").
 */
import {
  add,
  type BcNum,
  compare,
  div,
  fromDecimal,
  fromInt,
  isNeg,
  isZero,
  length,
  mk,
  mod,
  mul,
  ONE,
  outNum,
  raise,
  sqrt,
  sub,
  toLong,
  ZERO,
} from "./bc-number.ts";

export const BC_BASE_MAX = 2147483647;
export const BC_DIM_MAX = 16777215;
export const BC_SCALE_MAX = 2147483647;

/** A parameter or auto: a variable id (> 0) or an array id (< 0). */
export interface BcArg {
  name: number;
  isVar: boolean;
}

export interface BcFunction {
  name: string;
  defined: boolean;
  isVoid: boolean;
  body: number[];
  labels: Map<number, number>;
  /** In declaration order. */
  params: BcArg[];
  autos: BcArg[];
}

interface ArrayRec {
  value: Map<number, BcNum> | null;
  param: boolean;
}

/** Thrown by `halt` and `quit`: the program ends with this status. */
export class BcExit extends Error {
  readonly status: number;
  constructor(status: number) {
    super("bc exit");
    this.status = status;
  }
}

export interface MachineIo {
  /** Appends text (latin1) to standard output. */
  out(text: string): void;
  /** Writes a diagnostic line to standard error. */
  err(text: string): void;
  /** Flushes buffered output when it grew large (and lets other work run). */
  maybeFlush(): Promise<void>;
  /** Next byte of standard input for read(), or -1 at its end. */
  readByte(): Promise<number>;
}

const CH = (c: string): number => c.charCodeAt(0);

/** glibc random() with its default seed (TYPE_3 additive feedback). */
class GlibcRandom {
  #r: number[] = [];
  constructor() {
    const r = new Array<number>(34);
    r[0] = 1;
    for (let i = 1; i < 31; i++) {
      const hi = Math.trunc(r[i - 1] / 127773);
      const lo = r[i - 1] % 127773;
      let word = 16807 * lo - 2836 * hi;
      if (word < 0) word += 2147483647;
      r[i] = word;
    }
    for (let i = 31; i < 34; i++) r[i] = r[i - 31];
    this.#r = r;
    for (let i = 34; i < 344; i++) this.#step();
  }
  #step(): number {
    const r = this.#r;
    const n = r.length;
    const v = (r[n - 31] + r[n - 3]) | 0;
    r.push(v);
    if (r.length > 64) r.splice(0, r.length - 34);
    return v;
  }
  next(): number {
    return this.#step() >>> 1;
  }
}

export class BcMachine {
  readonly io: MachineIo;
  readonly functions: BcFunction[] = [];
  readonly vNames: string[] = [];
  readonly aNames: string[] = [];
  readonly variables = new Map<number, BcNum[]>();
  readonly arrays = new Map<number, ArrayRec[]>();
  iBase = 10;
  oBase = 10;
  scale = 0;
  history = -1;
  stdOnly = false;
  warnNotStd = false;
  lineSize = 70;
  outCol = 0;
  /** Set by the compiler on any error: loading stops (addbyte does nothing). */
  hadError = false;

  // Loader state.
  #loadFunc = 0;
  #saveFunc = 0;
  #loadStr = false;
  #loadConst = false;

  // Execution state.
  #stack: BcNum[] = [];
  #fnStack: number[] = [];
  #pcFunc = 0;
  #pcAddr = 0;
  #runtimeError = false;
  #random = new GlibcRandom();

  constructor(io: MachineIo) {
    this.io = io;
    this.fn(0).name = "(main)";
  }

  fn(id: number): BcFunction {
    while (this.functions.length <= id) {
      this.functions.push({
        name: "",
        defined: false,
        isVoid: false,
        body: [],
        labels: new Map(),
        params: [],
        autos: [],
      });
    }
    return this.functions[id];
  }

  clearFunc(id: number): void {
    const f = this.fn(id);
    f.defined = false;
    f.body = [];
    f.labels = new Map();
    f.params = [];
    f.autos = [];
  }

  // ---- loading ------------------------------------------------------------------------------

  initLoad(): void {
    this.clearFunc(0);
    this.#loadFunc = 0;
    this.#loadStr = false;
    this.#loadConst = false;
  }

  #addByte(b: number): void {
    if (this.hadError) return;
    this.fn(this.#loadFunc).body.push(b & 0xff);
  }

  #addId(id: number): void {
    if (id < 128) this.#addByte(id);
    else {
      this.#addByte(((id >> 8) & 0xff) | 0x80);
      this.#addByte(id & 0xff);
    }
  }

  /** Starts loading a function body (GNU's "F" code). */
  beginFunction(id: number, params: BcArg[], autos: BcArg[]): void {
    if (this.hadError) return;
    this.clearFunc(id);
    const f = this.fn(id);
    f.params = params;
    f.autos = autos;
    this.#saveFunc = this.#loadFunc;
    this.#loadFunc = id;
  }

  /** Loads a code string (GNU load_code). */
  load(code: string): void {
    let i = 0;
    const num = (): number => {
      let neg = false;
      if (code[i] === "-") {
        neg = true;
        i++;
      }
      let v = 0;
      while (i < code.length && code[i] >= "0" && code[i] <= "9") v = v * 10 + CH(code[i++]) - 48;
      return neg ? -v : v;
    };
    while (i < code.length) {
      if (this.hadError) return;
      const c = code[i];
      if (this.#loadStr) {
        if (c === '"') this.#loadStr = false;
        this.#addByte(CH(c));
        i++;
        continue;
      }
      if (this.#loadConst) {
        if (c === "\n") i++;
        else if (c === ":") {
          this.#loadConst = false;
          this.#addByte(CH(c));
          i++;
        } else if (c === ".") {
          this.#addByte(CH(c));
          i++;
        } else if (c >= "A") {
          this.#addByte(CH(c) + 10 - 65);
          i++;
        } else {
          this.#addByte(CH(c) - 48);
          i++;
        }
        continue;
      }
      switch (c) {
        case '"':
          this.#loadStr = true;
          i++;
          break;
        case "N": {
          i++;
          const label = num();
          this.fn(this.#loadFunc).labels.set(label, this.fn(this.#loadFunc).body.length);
          i++; // the ':'
          break;
        }
        case "B":
        case "J":
        case "Z": {
          this.#addByte(CH(c));
          i++;
          const label = num();
          this.#addByte(label & 0xff);
          this.#addByte(label >> 8);
          i++;
          break;
        }
        case "]":
          this.fn(this.#loadFunc).defined = true;
          this.#loadFunc = this.#saveFunc;
          i++;
          break;
        case "C": {
          this.#addByte(CH(c));
          i++;
          this.#addId(num());
          if (code[i] === ",") i++;
          while (code[i] !== ":") this.#addByte(CH(code[i++]));
          this.#addByte(CH(":"));
          i++;
          break;
        }
        case "c":
          this.#addByte(CH(c));
          this.#addByte(CH(code[i + 1]));
          i += 2;
          break;
        case "K":
          this.#addByte(CH(c));
          this.#loadConst = true;
          i++;
          break;
        case "d":
        case "i":
        case "l":
        case "s":
        case "A":
        case "M":
        case "L":
        case "S":
          this.#addByte(CH(c));
          i++;
          this.#addId(num());
          i++; // the ':'
          break;
        case "\n":
          i++;
          break;
        default:
          this.#addByte(CH(c));
          i++;
      }
    }
  }

  // ---- output -------------------------------------------------------------------------------

  /** out_char: numbers, broken with "\\\n" at the line length. */
  outChar = (ch: string): void => {
    if (ch === "\n") {
      this.outCol = 0;
      this.io.out("\n");
      return;
    }
    this.outCol++;
    if (this.outCol === this.lineSize - 1 && this.lineSize !== 0) {
      this.io.out("\\\n");
      this.outCol = 1;
    }
    this.io.out(ch);
  };

  /** out_schar: strings (not broken under -s). */
  outSChar(ch: string): void {
    if (ch === "\n") {
      this.outCol = 0;
      this.io.out("\n");
      return;
    }
    if (!this.stdOnly) {
      this.outCol++;
      if (this.outCol === this.lineSize - 1 && this.lineSize !== 0) {
        this.io.out("\\\n");
        this.outCol = 1;
      }
    }
    this.io.out(ch);
  }

  // ---- diagnostics --------------------------------------------------------------------------

  rtError(message: string): void {
    this.io.err(
      `Runtime error (func=${this.fn(this.#pcFunc).name}, adr=${this.#pcAddr}): ${message}\n`,
    );
    this.#runtimeError = true;
  }

  rtWarn(message: string): void {
    this.io.err(
      `Runtime warning (func=${this.fn(this.#pcFunc).name}, adr=${this.#pcAddr}): ${message}\n`,
    );
  }

  // ---- storage ------------------------------------------------------------------------------

  #varStack(id: number): BcNum[] {
    let s = this.variables.get(id);
    if (s === undefined) {
      s = [];
      this.variables.set(id, s);
    }
    return s;
  }

  #getVar(id: number): BcNum[] {
    const s = this.#varStack(id);
    if (s.length === 0) s.push(ZERO);
    return s;
  }

  #arrayNum(id: number, idx: number): { get(): BcNum; set(v: BcNum): void } {
    let s = this.arrays.get(id);
    if (s === undefined) {
      s = [];
      this.arrays.set(id, s);
    }
    if (s.length === 0) s.push({ value: null, param: false });
    const rec = s[s.length - 1];
    if (rec.value === null) rec.value = new Map();
    const map = rec.value;
    return {
      get: () => map.get(idx) ?? ZERO,
      set: (v: BcNum) => {
        map.set(idx, v);
      },
    };
  }

  #top(): BcNum {
    return this.#stack[this.#stack.length - 1];
  }

  #push(n: BcNum): void {
    this.#stack.push(n);
  }

  #pop(): void {
    this.#stack.pop();
  }

  #checkStack(depth: number): boolean {
    if (this.#stack.length < depth) {
      this.rtError("Stack error.");
      return false;
    }
    return true;
  }

  #storeVar(id: number): void {
    const value = this.#top();
    if (id > 3) {
      const s = this.#getVar(id);
      s[s.length - 1] = value;
      return;
    }
    let toobig = false;
    let temp = 0;
    if (isNeg(value)) {
      switch (id) {
        case 0:
          this.rtWarn("negative ibase, set to 2");
          temp = 2;
          break;
        case 1:
          this.rtWarn("negative obase, set to 2");
          temp = 2;
          break;
        case 2:
          this.rtWarn("negative scale, set to 0");
          temp = 0;
          break;
        case 3:
          temp = -1;
          break;
      }
    } else {
      const l = toLong(value);
      if (!isZero(value) && l === 0n) toobig = true;
      temp = l > 4294967295n ? 4294967295 : Number(l);
    }
    switch (id) {
      case 0:
        if (temp < 2 && !toobig) {
          this.iBase = 2;
          this.rtWarn("ibase too small, set to 2");
        } else if (temp > 16 || toobig) {
          if (this.stdOnly) {
            this.iBase = 16;
            this.rtWarn("ibase too large, set to 16");
          } else if (temp > 36 || toobig) {
            this.iBase = 36;
            this.rtWarn("ibase too large, set to 36");
          } else {
            if (temp >= 16 && this.warnNotStd) this.rtWarn("ibase larger than 16 is non-standard");
            this.iBase = temp;
          }
        } else this.iBase = temp;
        break;
      case 1:
        if (temp < 2 && !toobig) {
          this.oBase = 2;
          this.rtWarn("obase too small, set to 2");
        } else if (temp > BC_BASE_MAX || toobig) {
          this.oBase = BC_BASE_MAX;
          this.rtWarn(`obase too large, set to ${BC_BASE_MAX}`);
        } else this.oBase = temp;
        break;
      case 2:
        if (temp > BC_SCALE_MAX || toobig) {
          this.scale = BC_SCALE_MAX;
          this.rtWarn(`scale too large, set to ${BC_SCALE_MAX}`);
        } else this.scale = temp;
        break;
      case 3:
        if (toobig) {
          this.history = -1;
          this.rtWarn("history too large, set to unlimited");
        } else this.history = temp < 0 ? -1 : temp;
        break;
    }
  }

  #loadVar(id: number): void {
    switch (id) {
      case 0:
        this.#push(fromInt(this.iBase));
        return;
      case 1:
        this.#push(fromInt(this.oBase));
        return;
      case 2:
        this.#push(fromInt(this.scale));
        return;
      case 3:
        this.#push(fromInt(this.history));
        return;
      default: {
        const s = this.variables.get(id);
        this.#push(s !== undefined && s.length > 0 ? s[s.length - 1] : ZERO);
      }
    }
  }

  /** The array index on top of the stack, or undefined after "out of bounds". */
  #index(id: number, n: BcNum): number | undefined {
    const idx = toLong(n);
    if (idx < 0n || idx > BigInt(BC_DIM_MAX) || (idx === 0n && !isZero(n))) {
      this.rtError(`Array ${this.aNames[id]} subscript out of bounds.`);
      return undefined;
    }
    return Number(idx);
  }

  #incrVar(id: number, delta: 1 | -1): void {
    switch (id) {
      case 0:
        if (delta > 0) {
          if (this.iBase < 16) this.iBase++;
          else this.rtWarn("ibase too big in ++");
        } else if (this.iBase > 2) this.iBase--;
        else this.rtWarn("ibase too small in --");
        return;
      case 1:
        if (delta > 0) {
          if (this.oBase < BC_BASE_MAX) this.oBase++;
          else this.rtWarn("obase too big in ++");
        } else if (this.oBase > 2) this.oBase--;
        else this.rtWarn("obase too small in --");
        return;
      case 2:
        if (delta > 0) {
          if (this.scale < BC_SCALE_MAX) this.scale++;
          else this.rtWarn("Scale too big in ++");
        } else if (this.scale > 0) this.scale--;
        else this.rtWarn("scale can not be negative in -- ");
        return;
      case 3:
        if (delta > 0) {
          this.history++;
          if (this.history <= 0) {
            this.history = -1;
            this.rtWarn("history set to unlimited");
          }
        } else {
          this.history--;
          if (this.history < 0) {
            this.history = -1;
            this.rtWarn("history is negative, set to unlimited");
          }
        }
        return;
      default: {
        const s = this.#getVar(id);
        const v = s[s.length - 1];
        s[s.length - 1] = delta > 0 ? add(v, ONE, 0) : sub(v, ONE, 0);
      }
    }
  }

  #autoVar(name: number): void {
    if (name > 0) this.#varStack(name).push(ZERO);
    else {
      let s = this.arrays.get(-name);
      if (s === undefined) {
        s = [];
        this.arrays.set(-name, s);
      }
      s.push({ value: null, param: false });
    }
  }

  #popVars(list: BcArg[]): void {
    // GNU pops its lists head first: last declared first.
    for (let k = list.length - 1; k >= 0; k--) {
      const name = list[k].name;
      if (name > 0) this.variables.get(name)?.pop();
      else this.arrays.get(-name)?.pop();
    }
  }

  #processParams(func: number): void {
    const f = this.fn(func);
    const params = f.params;
    let k = params.length - 1;
    let broken = false;
    const body = this.fn(this.#pcFunc).body;
    for (;;) {
      const ch = body[this.#pcAddr++];
      if (ch === CH(":")) break;
      if (broken) {
        this.#pop();
        continue;
      }
      if (k < 0) {
        this.rtError("Parameter number mismatch");
        return;
      }
      const p = params[k];
      if (ch === CH("0") && p.name > 0) {
        this.#varStack(p.name).push(this.#top());
      } else if (ch === CH("1") && p.name < 0) {
        const src = Number(toLong(this.#top()));
        this.#arrayNum(src, 0);
        this.#autoVar(p.name);
        const dst = -p.name;
        const srcStack = this.arrays.get(src) as ArrayRec[];
        const a = src === dst ? srcStack[srcStack.length - 2] : srcStack[srcStack.length - 1];
        const dStack = this.arrays.get(dst) as ArrayRec[];
        const d = dStack[dStack.length - 1];
        if (p.isVar) {
          d.param = true;
          d.value = a.value;
        } else {
          d.param = false;
          d.value = new Map(a.value ?? []);
        }
      } else {
        if (p.name < 0) this.rtError(`Parameter type mismatch parameter ${this.aNames[-p.name]}.`);
        else this.rtError("Parameter type mismatch, parameter (null).");
        // GNU walks off its list here; what follows is reported as a count mismatch.
        broken = true;
      }
      this.#pop();
      k--;
    }
    if (k >= 0 || broken) this.rtError("Parameter number mismatch");
  }

  // ---- constants ----------------------------------------------------------------------------

  #byte(): number {
    return this.fn(this.#pcFunc).body[this.#pcAddr++];
  }

  /** push_b10_const. */
  #pushB10Const(): void {
    const body = this.fn(this.#pcFunc).body;
    let p = this.#pcAddr;
    let intD = "";
    let fracD = "";
    let inFrac = false;
    for (;;) {
      const b = body[p++];
      if (b === CH(":")) break;
      if (b === CH(".")) inFrac = true;
      else if (inFrac) fracD += b > 9 ? "9" : String(b);
      else intD += b > 9 ? "9" : String(b);
    }
    const first = body[this.#pcAddr];
    this.#pcAddr = p;
    if (intD.length === 1 && !inFrac) {
      this.#push(fromInt(first));
      return;
    }
    if (intD.length === 1 && inFrac && fracD === "") {
      this.#push(fromInt(first));
      return;
    }
    this.#push(fromDecimal(intD, fracD));
  }

  /** push_constant: a number in `base` from successive character codes. */
  async #pushConstant(next: () => number | Promise<number>, base: number): Promise<void> {
    let build = ZERO;
    const mult = fromInt(base);
    let neg = false;
    let ch = await next();
    while (ch === CH("~")) ch = await next();
    if (ch === CH("+")) ch = await next();
    else if (ch === CH("-")) {
      neg = true;
      ch = await next();
    }
    if (ch < 36) {
      let first = ch;
      ch = await next();
      if (ch < 36 && first >= base) first = base - 1;
      build = fromInt(first);
    }
    while (ch < 36) {
      if (ch >= base) ch = base - 1;
      build = add(mul(build, mult, 0), fromInt(ch), 0);
      ch = await next();
    }
    if (ch === CH(".")) {
      ch = await next();
      if (ch >= base) ch = base - 1;
      let result = ZERO;
      let divisor = ONE;
      let digits = 0;
      while (ch < 36) {
        result = add(mul(result, mult, 0), fromInt(ch), 0);
        divisor = mul(divisor, mult, 0);
        digits++;
        ch = await next();
        if (ch < 36 && ch >= base) ch = base - 1;
      }
      result = div(result, divisor, digits) as BcNum;
      build = add(build, result, 0);
    }
    if (neg) build = sub(ZERO, build, 0);
    this.#push(build);
  }

  /** input_char for read(): digits as values, '~' for blanks, ':' for anything else. */
  async #inputChar(): Promise<number> {
    let c = await this.io.readByte();
    if (c === CH("\\")) {
      c = await this.io.readByte();
      if (c === CH("\n")) {
        c = await this.io.readByte();
        this.outCol = 0;
      }
    }
    if (c < 0) return CH(":");
    if (c >= 48 && c <= 57) return c - 48;
    if (c >= 65 && c <= 90) return c + 10 - 65;
    if (c >= 97 && c <= 122) return c + 10 - 97;
    if (c === CH(".") || c === CH("+") || c === CH("-")) return c;
    if (c === CH("~")) return CH(":");
    if (c <= 32) return CH("~");
    return CH(":");
  }

  // ---- execution ----------------------------------------------------------------------------

  /** Runs the main program loaded since initLoad (GNU execute). */
  async execute(): Promise<void> {
    this.#pcFunc = 0;
    this.#pcAddr = 0;
    this.#runtimeError = false;
    let steps = 0;
    try {
      while (this.#pcAddr < this.fn(this.#pcFunc).body.length && !this.#runtimeError) {
        if (++steps >= 4096) {
          steps = 0;
          await this.io.maybeFlush();
        }
        await this.#step();
      }
    } finally {
      while (this.#pcFunc !== 0) {
        const f = this.fn(this.#pcFunc);
        this.#popVars(f.autos);
        this.#popVars(f.params);
        this.#fnStack.pop();
        this.#pcAddr = this.#fnStack.pop() as number;
        this.#pcFunc = this.#fnStack.pop() as number;
      }
      this.#stack = [];
    }
  }

  async #step(): Promise<void> {
    const inst = String.fromCharCode(this.#byte());
    const id = (): number => {
      let v = this.#byte();
      if ((v & 0x80) !== 0) v = ((v & 0x7f) << 8) + this.#byte();
      return v;
    };
    const st = this.#stack;
    switch (inst) {
      case "A":
      case "M": {
        const name = id();
        if (!this.#checkStack(1)) return;
        const idx = this.#index(name, this.#top());
        if (idx === undefined) return;
        const cell = this.#arrayNum(name, idx);
        this.#pop();
        cell.set(inst === "A" ? add(cell.get(), ONE, 0) : sub(cell.get(), ONE, 0));
        return;
      }
      case "B":
      case "Z":
      case "J": {
        let cond = false;
        if (inst !== "J") {
          cond = !isZero(this.#top());
          this.#pop();
        }
        let label = this.#byte();
        label += this.#byte() << 8;
        if (inst === "J" || (inst === "B" && cond) || (inst === "Z" && !cond)) {
          const addr = this.fn(this.#pcFunc).labels.get(label);
          if (addr === undefined) {
            this.rtError("Internal error.");
            return;
          }
          this.#pcAddr = addr;
        }
        return;
      }
      case "C": {
        const func = id();
        const f = this.fn(func);
        if (!f.defined) {
          this.rtError(`Function ${f.name} not defined.`);
          return;
        }
        this.#processParams(func);
        if (this.#runtimeError) return;
        for (let k = f.autos.length - 1; k >= 0; k--) this.#autoVar(f.autos[k].name);
        this.#fnStack.push(this.#pcFunc, this.#pcAddr, this.iBase);
        this.#pcFunc = func;
        this.#pcAddr = 0;
        return;
      }
      case "D":
        this.#push(this.#top());
        return;
      case "K": {
        const base = this.#pcFunc === 0 ? this.iBase : this.#fnStack[this.#fnStack.length - 1];
        if (base === 10) this.#pushB10Const();
        else await this.#pushConstant(() => this.#byte(), base);
        return;
      }
      case "L": {
        const name = id();
        if (!this.#checkStack(1)) return;
        const idx = this.#index(name, this.#top());
        if (idx === undefined) return;
        const cell = this.#arrayNum(name, idx);
        this.#pop();
        this.#push(cell.get());
        return;
      }
      case "O": {
        for (;;) {
          const ch = this.#byte();
          if (ch === CH('"')) break;
          if (ch !== CH("\\")) {
            this.outSChar(String.fromCharCode(ch));
            continue;
          }
          const e = this.#byte();
          if (e === CH('"')) break;
          const map: Record<string, string> = {
            a: "\x07",
            b: "\b",
            f: "\f",
            n: "\n",
            q: '"',
            r: "\r",
            t: "\t",
            "\\": "\\",
          };
          const out = map[String.fromCharCode(e)];
          if (out !== undefined) this.outSChar(out);
        }
        return;
      }
      case "R": {
        if (this.#pcFunc === 0) {
          this.rtError("Return from main program.");
          return;
        }
        const f = this.fn(this.#pcFunc);
        this.#popVars(f.autos);
        this.#popVars(f.params);
        this.#fnStack.pop();
        this.#pcAddr = this.#fnStack.pop() as number;
        this.#pcFunc = this.#fnStack.pop() as number;
        return;
      }
      case "S": {
        const name = id();
        if (!this.#checkStack(2)) return;
        const idx = this.#index(name, st[st.length - 2]);
        if (idx === undefined) return;
        const value = this.#top();
        this.#arrayNum(name, idx).set(value);
        st[st.length - 2] = value;
        this.#pop();
        return;
      }
      case "T":
      case "!":
        st[st.length - 1] = isZero(this.#top()) ? ONE : ZERO;
        return;
      case "W":
      case "P":
        outNum(this.#top(), this.oBase, this.outChar);
        if (inst === "W") this.outChar("\n");
        this.#storeVar(4);
        this.#pop();
        return;
      case "c": {
        const which = String.fromCharCode(this.#byte());
        switch (which) {
          case "L":
            st[st.length - 1] = fromInt(length(this.#top()));
            return;
          case "S":
            st[st.length - 1] = fromInt(this.#top().scale);
            return;
          case "R": {
            const r = sqrt(this.#top(), this.scale);
            if (r === undefined) this.rtError("Square root of a negative number");
            else st[st.length - 1] = r;
            return;
          }
          case "I":
            await this.#pushConstant(() => this.#inputChar(), this.iBase);
            return;
          case "X":
            this.#push(fromInt(this.#random.next()));
            return;
        }
        return;
      }
      case "d":
        this.#incrVar(id(), -1);
        return;
      case "i":
        this.#incrVar(id(), 1);
        return;
      case "h":
        throw new BcExit(0);
      case "l":
        this.#loadVar(id());
        return;
      case "n":
        st[st.length - 1] = sub(ZERO, this.#top(), 0);
        return;
      case "p":
        this.#pop();
        return;
      case "s":
        this.#storeVar(id());
        return;
      case "w":
        for (;;) {
          const ch = this.#byte();
          if (ch === CH('"')) break;
          this.outSChar(String.fromCharCode(ch));
        }
        return;
      case "x":
        if (this.#checkStack(2)) {
          const t = st[st.length - 1];
          st[st.length - 1] = st[st.length - 2];
          st[st.length - 2] = t;
        }
        return;
      case "0":
        this.#push(ZERO);
        return;
      case "1":
        this.#push(ONE);
        return;
      default:
        break;
    }
    if (!this.#checkStack(2)) return;
    const a = st[st.length - 2];
    const b = st[st.length - 1];
    let result: BcNum;
    switch (inst) {
      case "&":
        result = !isZero(a) && !isZero(b) ? ONE : ZERO;
        break;
      case "|":
        result = !isZero(a) || !isZero(b) ? ONE : ZERO;
        break;
      case "+":
        result = add(a, b, 0);
        break;
      case "-":
        result = sub(a, b, 0);
        break;
      case "*":
        result = mul(a, b, this.scale);
        break;
      case "/": {
        const q = div(a, b, this.scale);
        if (q === undefined) {
          this.rtError("Divide by zero");
          return;
        }
        result = q;
        break;
      }
      case "%": {
        if (isZero(b)) {
          this.rtError("Modulo by zero");
          return;
        }
        result = mod(a, b, this.scale) as BcNum;
        break;
      }
      case "^": {
        const r = raise(a, b, this.scale);
        if (r.warning) this.rtWarn(r.warning);
        if (r.error) this.rtError(r.error);
        if (isZero(a) && isNeg(b)) this.rtError("divide by zero");
        result = r.value;
        break;
      }
      case "=":
        result = compare(a, b) === 0 ? ONE : ZERO;
        break;
      case "#":
        result = compare(a, b) !== 0 ? ONE : ZERO;
        break;
      case "<":
        result = compare(a, b) === -1 ? ONE : ZERO;
        break;
      case "{":
        result = compare(a, b) <= 0 ? ONE : ZERO;
        break;
      case ">":
        result = compare(a, b) === 1 ? ONE : ZERO;
        break;
      case "}":
        result = compare(a, b) >= 0 ? ONE : ZERO;
        break;
      default:
        this.rtError(`bad instruction: inst=${inst}`);
        return;
    }
    st.pop();
    st[st.length - 1] = result;
  }
}

export { mk };
