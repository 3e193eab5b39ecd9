/**
 * Pseudo-terminals. A `Pty` joins a master side, held by the host (a terminal emulator, the
 * AgentOs shell API), and a slave side that processes in the VM open as their terminal
 * (`PtySlaveOpenFile`, so `isatty` is true). Between them sits a line discipline modelled on
 * Linux's n_tty:
 *
 * - input (master → slave): ICRNL/INLCR/IGNCR, ISTRIP, IXON (^S/^Q stop and restart output),
 *   ISIG (^C SIGINT, ^\ SIGQUIT, ^Z SIGTSTP to the foreground process group, flushing input
 *   unless NOFLSH), and in canonical mode the line editing (erase ^? and ^H, kill ^U, word
 *   erase ^W, reprint ^R, literal next ^V, EOF ^D, EOL/EOL2) with echo (ECHO, ECHOE, ECHOK,
 *   ECHOKE, ECHOCTL's `^C` notation, ECHONL); in non-canonical mode reads follow VMIN/VTIME;
 * - output (slave → master): OPOST with ONLCR ("\n" → "\r\n"), OCRNL, ONLRET, ONOCR, OLCUC.
 *
 * The kernel owns the foreground process group and session checks (kernel.ts); the pty only
 * calls back when a signal must be sent.
 */
import { KernelError } from "../fs/errors.ts";
import { S_IFCHR, type Stat, type VfsFile } from "../fs/types.ts";
import { type IoOptions, OpenFile } from "./open-file.ts";
import { SIGNALS } from "./signals.ts";
import {
  copyTermios,
  defaultTermios,
  ECHO,
  ECHOCTL,
  ECHOE,
  ECHOK,
  ECHOKE,
  ECHONL,
  ICANON,
  ICRNL,
  IEXTEN,
  IGNCR,
  INLCR,
  ISIG,
  ISTRIP,
  IUCLC,
  IUTF8,
  IXANY,
  IXON,
  NOFLSH,
  OCRNL,
  OLCUC,
  ONLCR,
  ONLRET,
  ONOCR,
  OPOST,
  type Termios,
  VDISABLE,
  VEOF,
  VEOL,
  VEOL2,
  VERASE,
  VINTR,
  VKILL,
  VLNEXT,
  VMIN,
  VQUIT,
  VREPRINT,
  VSTART,
  VSTOP,
  VSUSP,
  VTIME,
  VWERASE,
  type WindowSize,
} from "./termios.ts";
import { WaitQueue } from "./wait-queue.ts";

/** Most bytes a canonical line may hold (Linux's N_TTY_BUF_SIZE - 1); more are dropped. */
export const MAX_CANON = 4095;
/** Most bytes of non-canonical input kept before further input is dropped. */
export const MAX_INPUT = 65536;
/** Unix98 pty slaves: major 136, minor = index. */
const PTS_MAJOR = 136;

const NL = 0x0a;
const CR = 0x0d;
const TIMEOUT = Symbol("tty read timeout");

export interface PtyOptions {
  index: number;
  /** Receives everything the slave side writes (after output processing) and all echo. */
  onOutput: (data: Uint8Array) => void;
  /** Sends `signal` to process group `pgid` (the line discipline's ISIG characters, SIGWINCH). */
  signalGroup: (pgid: number, signal: number) => void;
  termios?: Termios;
  size?: WindowSize;
  /** Owner of the slave device node (the user the terminal was opened for). */
  uid?: number;
  gid?: number;
}

let nextIno = 1 << 22;

export class Pty {
  readonly index: number;
  readonly path: string;
  /** Session the terminal controls (its controlling process's sid), if any. */
  session: number | undefined;
  /** The foreground process group: the one that gets ISIG signals and may read. */
  foreground: number | undefined;
  readonly uid: number;
  readonly gid: number;
  #termios: Termios;
  #size: WindowSize;
  readonly #onOutput: (data: Uint8Array) => void;
  readonly #signalGroup: (pgid: number, signal: number) => void;
  /** The line being edited in canonical mode. */
  #line: number[] = [];
  /** Input ready for reading: whole lines (an empty one is an EOF) or raw chunks. */
  #ready: Uint8Array[] = [];
  #readyBytes = 0;
  #literalNext = false;
  /** Output stopped by ^S (IXON). */
  #stopped = false;
  /** Column of the output cursor, for ONOCR and erasing tabs. */
  #column = 0;
  #hungUp = false;
  /** Open slave descriptions. */
  #slaveOpen = 0;
  readonly #inputChanged = new WaitQueue();
  readonly #outputResumed = new WaitQueue();
  readonly #ino = nextIno++;
  readonly #born = Date.now();
  #lastInput = this.#born;
  #lastOutput = this.#born;

  constructor(options: PtyOptions) {
    this.index = options.index;
    this.path = `/dev/pts/${options.index}`;
    this.#onOutput = options.onOutput;
    this.#signalGroup = options.signalGroup;
    this.#termios = copyTermios(options.termios ?? defaultTermios());
    this.#size = { ...(options.size ?? { cols: 80, rows: 24 }) };
    this.uid = options.uid ?? 0;
    this.gid = options.gid ?? 5;
  }

  // ---- attributes --------------------------------------------------------------------------

  get termios(): Termios {
    return copyTermios(this.#termios);
  }

  /**
   * tcsetattr. Leaving canonical mode makes the partly edited line readable; `flush`
   * (TCSAFLUSH) discards pending input first.
   */
  setTermios(next: Termios, flush = false): void {
    const wasCanonical = this.#canonical;
    const cc = [...this.#termios.cc];
    for (let i = 0; i < next.cc.length; i++) cc[i] = next.cc[i];
    this.#termios = {
      iflag: next.iflag,
      oflag: next.oflag,
      cflag: next.cflag,
      lflag: next.lflag,
      cc,
      ispeed: next.ispeed ?? this.#termios.ispeed,
      ospeed: next.ospeed ?? this.#termios.ospeed,
    };
    if (flush) this.flushInput();
    if (wasCanonical && !this.#canonical && this.#line.length > 0) {
      this.#push(Uint8Array.from(this.#line));
      this.#line = [];
    }
    if (!(this.#termios.iflag & IXON) && this.#stopped) this.#start();
    this.#inputChanged.wakeAll();
  }

  get size(): WindowSize {
    return { ...this.#size };
  }

  /** TIOCSWINSZ: a change sends SIGWINCH to the foreground process group. */
  setSize(size: WindowSize): void {
    const changed = size.cols !== this.#size.cols || size.rows !== this.#size.rows;
    this.#size = { ...size };
    if (changed && this.foreground !== undefined)
      this.#signalGroup(this.foreground, SIGNALS.SIGWINCH);
  }

  get hungUp(): boolean {
    return this.#hungUp;
  }

  /** Bytes a read could return now (FIONREAD). */
  get inputAvailable(): number {
    return this.#readyBytes;
  }

  get #canonical(): boolean {
    return (this.#termios.lflag & ICANON) !== 0;
  }

  // ---- master side -------------------------------------------------------------------------

  /** Bytes typed at the terminal: the line discipline processes them one by one. */
  input(data: Uint8Array | string): void {
    if (this.#hungUp) return;
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    this.#lastInput = Date.now();
    for (const byte of bytes) this.#receive(byte);
    this.#inputChanged.wakeAll();
  }

  /** The master went away: readers see end of file, writers EIO, from now on. */
  hangup(): void {
    if (this.#hungUp) return;
    this.#hungUp = true;
    this.#stopped = false;
    this.#inputChanged.wakeAll();
    this.#outputResumed.wakeAll();
  }

  /** Discards typed input not yet read (TCIFLUSH). */
  flushInput(): void {
    this.#line = [];
    this.#ready = [];
    this.#readyBytes = 0;
    this.#literalNext = false;
  }

  #receive(input: number): void {
    const t = this.#termios;
    let c = input;
    if (t.iflag & ISTRIP) c &= 0x7f;
    if (this.#literalNext) {
      this.#literalNext = false;
      this.#addChar(c, true);
      return;
    }
    if (c === CR) {
      if (t.iflag & IGNCR) return;
      if (t.iflag & ICRNL) c = NL;
    } else if (c === NL && t.iflag & INLCR) c = CR;
    if (t.iflag & IUCLC && c >= 0x41 && c <= 0x5a && t.lflag & IEXTEN) c += 0x20;
    if (t.iflag & IXON) {
      if (this.#is(c, VSTOP)) {
        this.#stopped = true;
        return;
      }
      if (this.#is(c, VSTART)) {
        this.#start();
        return;
      }
      if (this.#stopped && t.iflag & IXANY) this.#start();
    }
    if (t.lflag & ISIG) {
      const signal = this.#is(c, VINTR)
        ? SIGNALS.SIGINT
        : this.#is(c, VQUIT)
          ? SIGNALS.SIGQUIT
          : this.#is(c, VSUSP)
            ? SIGNALS.SIGTSTP
            : 0;
      if (signal !== 0) {
        if (!(t.lflag & NOFLSH)) this.flushInput();
        if (this.#stopped) this.#start();
        if (t.lflag & ECHO) this.#echoChar(c);
        if (this.foreground !== undefined) this.#signalGroup(this.foreground, signal);
        return;
      }
    }
    if (!this.#canonical) {
      this.#addChar(c, false);
      return;
    }
    if (t.lflag & IEXTEN) {
      if (this.#is(c, VLNEXT)) {
        this.#literalNext = true;
        if (t.lflag & ECHO && t.lflag & ECHOCTL) this.#echo([0x5e, 0x08]);
        return;
      }
      if (this.#is(c, VWERASE)) return this.#eraseWord();
      if (this.#is(c, VREPRINT)) return this.#reprint(c);
    }
    // Backspace (^H) erases too, whatever VERASE says: terminals send either.
    if (this.#is(c, VERASE) || c === 0x08) return this.#erase(1);
    if (this.#is(c, VKILL)) return this.#kill(c);
    if (this.#is(c, VEOF)) {
      this.#push(Uint8Array.from(this.#line));
      this.#line = [];
      return;
    }
    this.#addChar(c, false);
  }

  #is(c: number, slot: number): boolean {
    const value = this.#termios.cc[slot];
    return value !== VDISABLE && value === c;
  }

  /** Adds an ordinary character: to the line (canonical) or the read queue (raw), echoed. */
  #addChar(c: number, literal: boolean): void {
    const t = this.#termios;
    if (!this.#canonical) {
      if (this.#readyBytes >= MAX_INPUT) return;
      this.#push(Uint8Array.of(c));
      if (t.lflag & ECHO) this.#echoChar(c);
      return;
    }
    const endsLine = !literal && (c === NL || this.#is(c, VEOL) || this.#is(c, VEOL2));
    if (!endsLine && this.#line.length >= MAX_CANON) return;
    this.#line.push(c);
    if (c === NL && !literal) {
      if (t.lflag & (ECHO | ECHONL)) this.#echo([NL]);
    } else if (t.lflag & ECHO) this.#echoChar(c);
    if (endsLine) {
      this.#push(Uint8Array.from(this.#line));
      this.#line = [];
    }
  }

  #push(record: Uint8Array): void {
    if (!this.#canonical && this.#ready.length > 0 && record.length > 0) {
      // Raw input: merge into the last chunk to keep the queue short.
      const last = this.#ready[this.#ready.length - 1];
      const merged = new Uint8Array(last.length + record.length);
      merged.set(last);
      merged.set(record, last.length);
      this.#ready[this.#ready.length - 1] = merged;
    } else this.#ready.push(record);
    this.#readyBytes += record.length;
  }

  /** Columns the echo of `c` took: ECHOCTL shows control characters as ^X. */
  #echoWidth(c: number): number {
    if (c === 0x09) return 8 - (this.#column % 8) || 8;
    if ((c < 0x20 || c === 0x7f) && this.#termios.lflag & ECHOCTL) return 2;
    if (c < 0x20 || c === 0x7f) return 0;
    if (this.#termios.iflag & IUTF8 && (c & 0xc0) === 0x80) return 0;
    return 1;
  }

  /** Erases `count` characters from the line (UTF-8 sequences count as one with IUTF8). */
  #erase(count: number): void {
    const t = this.#termios;
    for (let n = 0; n < count && this.#line.length > 0; n++) {
      let start = this.#line.length - 1;
      if (t.iflag & IUTF8) {
        while (start > 0 && (this.#line[start] & 0xc0) === 0x80) start--;
      }
      const removed = this.#line.splice(start);
      if (!(t.lflag & ECHO)) continue;
      if (t.lflag & ECHOE) {
        const c = removed[0];
        if (c === 0x09) {
          this.#echo(new Array<number>(this.#tabWidth()).fill(0x08));
          continue;
        }
        const width = removed.length > 1 ? 1 : this.#echoWidth(c);
        const out: number[] = [];
        for (let i = 0; i < width; i++) out.push(0x08, 0x20, 0x08);
        this.#echo(out);
      } else this.#echoChar(this.#termios.cc[VERASE]);
    }
  }

  /** How far back erasing a tab moves: recomputed from the line, as n_tty does. */
  #tabWidth(): number {
    let col = 0;
    for (const c of this.#line) {
      if (c === 0x09) col += 8 - (col % 8);
      else col += this.#echoWidth(c) === 2 ? 2 : (c & 0xc0) === 0x80 ? 0 : 1;
    }
    const after = col + (8 - (col % 8));
    return after - col;
  }

  #eraseWord(): void {
    const isSpace = (c: number): boolean => c === 0x20 || c === 0x09;
    let n = 0;
    let i = this.#line.length;
    while (i > 0 && isSpace(this.#line[i - 1])) {
      i--;
      n++;
    }
    while (i > 0 && !isSpace(this.#line[i - 1])) {
      i--;
      if (!(this.#termios.iflag & IUTF8) || (this.#line[i] & 0xc0) !== 0x80) n++;
    }
    this.#erase(n);
  }

  #kill(c: number): void {
    const t = this.#termios;
    if (!(t.lflag & ECHO)) {
      this.#line = [];
      return;
    }
    if (t.lflag & ECHOKE && t.lflag & ECHOE) {
      let chars = 0;
      for (const b of this.#line) if (!(t.iflag & IUTF8) || (b & 0xc0) !== 0x80) chars++;
      this.#erase(chars);
      return;
    }
    this.#line = [];
    this.#echoChar(c);
    if (t.lflag & ECHOK) this.#echo([NL]);
  }

  #reprint(c: number): void {
    if (!(this.#termios.lflag & ECHO)) return;
    this.#echoChar(c);
    this.#echo([NL]);
    for (const b of this.#line) this.#echoChar(b);
  }

  #echoChar(c: number): void {
    const t = this.#termios;
    if ((c < 0x20 && c !== 0x09 && c !== NL) || c === 0x7f) {
      if (t.lflag & ECHOCTL) this.#echo([0x5e, c === 0x7f ? 0x3f : c + 0x40]);
      else this.#echo([c]);
      return;
    }
    this.#echo([c]);
  }

  #echo(bytes: number[]): void {
    // Echo is not held back by ^S: Linux keeps echoing into the output buffer.
    this.#emit(this.#processOutput(Uint8Array.from(bytes)));
  }

  #start(): void {
    this.#stopped = false;
    this.#outputResumed.wakeAll();
  }

  // ---- slave side --------------------------------------------------------------------------

  /** A read by a process: canonical lines or VMIN/VTIME raw input. null is end of file. */
  async read(max: number, signal?: AbortSignal, nonBlocking = false): Promise<Uint8Array | null> {
    if (max <= 0) return new Uint8Array(0);
    if (this.#canonical) {
      while (this.#ready.length === 0) {
        if (this.#hungUp) return null;
        if (nonBlocking) throw new KernelError("EAGAIN", "read");
        await this.#inputChanged.wait(signal);
      }
      return this.#takeRecord(max);
    }
    if (this.#hungUp && this.#readyBytes === 0) return null;
    if (nonBlocking) {
      if (this.#readyBytes === 0) throw new KernelError("EAGAIN", "read");
      return this.#takeRaw(max);
    }
    const vmin = this.#termios.cc[VMIN];
    const vtime = this.#termios.cc[VTIME] * 100;
    if (vmin === 0 && vtime === 0) return this.#takeRaw(max);
    if (vmin === 0) {
      if (this.#readyBytes === 0) await this.#waitInput(signal, vtime);
      return this.#takeRaw(max);
    }
    const want = Math.min(vmin, max);
    while (this.#readyBytes === 0) {
      if (this.#hungUp) return null;
      await this.#waitInput(signal);
      if (this.#canonical) return this.read(max, signal, nonBlocking);
    }
    while (this.#readyBytes < want && !this.#hungUp && !this.#canonical) {
      // VTIME > 0: an inter-byte timer restarted by each byte that arrives.
      const before = this.#readyBytes;
      const timedOut = await this.#waitInput(signal, vtime > 0 ? vtime : undefined);
      if (timedOut && this.#readyBytes === before) break;
    }
    return this.#takeRaw(max);
  }

  /** Waits for input to change; true when `ms` passed first. */
  async #waitInput(signal: AbortSignal | undefined, ms?: number): Promise<boolean> {
    if (ms === undefined) {
      await this.#inputChanged.wait(signal);
      return false;
    }
    const timer = new AbortController();
    const handle = setTimeout(() => timer.abort(TIMEOUT), ms);
    try {
      await this.#inputChanged.wait(
        signal ? AbortSignal.any([signal, timer.signal]) : timer.signal,
      );
      return false;
    } catch (err) {
      if (err === TIMEOUT && !signal?.aborted) return true;
      throw signal?.aborted ? signal.reason : err;
    } finally {
      clearTimeout(handle);
    }
  }

  #takeRecord(max: number): Uint8Array | null {
    const record = this.#ready[0];
    if (record.length === 0) {
      this.#ready.shift();
      return null;
    }
    if (record.length <= max) {
      this.#ready.shift();
      this.#readyBytes -= record.length;
      return record;
    }
    this.#ready[0] = record.subarray(max);
    this.#readyBytes -= max;
    return record.slice(0, max);
  }

  #takeRaw(max: number): Uint8Array | null {
    if (this.#readyBytes === 0) {
      // Drop EOF records left from canonical mode: raw reads do not see them.
      this.#ready = [];
      return null;
    }
    const out = new Uint8Array(Math.min(max, this.#readyBytes));
    let filled = 0;
    while (filled < out.length) {
      const chunk = this.#ready[0];
      const n = Math.min(chunk.length, out.length - filled);
      out.set(chunk.subarray(0, n), filled);
      filled += n;
      if (n === chunk.length) this.#ready.shift();
      else this.#ready[0] = chunk.subarray(n);
    }
    this.#readyBytes -= filled;
    return out;
  }

  /** A write by a process: output processing, then to the master. Waits while ^S holds it. */
  async write(data: Uint8Array, signal?: AbortSignal): Promise<number> {
    while (this.#stopped && !this.#hungUp) await this.#outputResumed.wait(signal);
    if (this.#hungUp) throw new KernelError("EIO", "write");
    this.#emit(this.#processOutput(data));
    return data.length;
  }

  #processOutput(data: Uint8Array): Uint8Array {
    const o = this.#termios.oflag;
    if (!(o & OPOST)) {
      this.#track(data);
      return data.slice();
    }
    const out: number[] = [];
    for (let c of data) {
      if (o & OLCUC && c >= 0x61 && c <= 0x7a) c -= 0x20;
      if (c === NL) {
        if (o & ONLCR) {
          out.push(CR, NL);
          this.#column = 0;
          continue;
        }
        if (o & ONLRET) this.#column = 0;
      } else if (c === CR) {
        if (o & ONOCR && this.#column === 0) continue;
        if (o & OCRNL) {
          out.push(NL);
          if (o & ONLRET) this.#column = 0;
          continue;
        }
        this.#column = 0;
      } else if (c === 0x09) this.#column += 8 - (this.#column % 8);
      else if (c === 0x08) this.#column = Math.max(0, this.#column - 1);
      else if (c >= 0x20 && (c & 0xc0) !== 0x80 && c !== 0x7f) this.#column++;
      out.push(c);
    }
    return Uint8Array.from(out);
  }

  #track(data: Uint8Array): void {
    for (const c of data) {
      if (c === CR || c === NL) this.#column = 0;
      else if (c === 0x09) this.#column += 8 - (this.#column % 8);
      else if (c >= 0x20 && (c & 0xc0) !== 0x80 && c !== 0x7f) this.#column++;
    }
  }

  #emit(data: Uint8Array): void {
    if (data.length === 0 || this.#hungUp) return;
    this.#lastOutput = Date.now();
    try {
      this.#onOutput(data);
    } catch {
      // The master's consumer must not break the writer.
    }
  }

  slaveOpened(): void {
    this.#slaveOpen++;
  }

  slaveClosed(): void {
    this.#slaveOpen--;
  }

  /** Open descriptions of the slave side (processes that still have the terminal open). */
  get slaveOpenCount(): number {
    return this.#slaveOpen;
  }

  stat(): Stat {
    return {
      dev: 0x16,
      ino: this.#ino,
      mode: S_IFCHR | 0o620,
      nlink: 1,
      uid: this.uid,
      gid: this.gid,
      rdev: (PTS_MAJOR << 8) | this.index,
      size: 0,
      blksize: 1024,
      blocks: 0,
      atimeMs: this.#lastInput,
      mtimeMs: this.#lastOutput,
      ctimeMs: this.#born,
      birthtimeMs: this.#born,
    };
  }
}

/** The slave side as an open file description: what fds 0, 1 and 2 of a terminal shell are. */
export class PtySlaveOpenFile extends OpenFile {
  readonly kind = "file";
  readonly pty: Pty;

  constructor(pty: Pty, flags: number) {
    super(flags, pty.path);
    this.pty = pty;
    pty.slaveOpened();
  }

  read(max: number, options?: IoOptions): Promise<Uint8Array | null> {
    if (!this.readable) return Promise.reject(new KernelError("EBADF", "read"));
    return this.pty.read(max, options?.signal, this.nonBlocking);
  }

  write(data: Uint8Array, options?: IoOptions): Promise<number> {
    if (!this.writable) return Promise.reject(new KernelError("EBADF", "write"));
    return this.pty.write(data, options?.signal);
  }

  async stat(): Promise<Stat> {
    return this.pty.stat();
  }

  release(): void {
    this.pty.slaveClosed();
  }

  override isTerminal(): boolean {
    return true;
  }
}

/**
 * What /dev/tty's provider hands the namespace: a placeholder the kernel recognises on open
 * and replaces with a `PtySlaveOpenFile` of the caller's controlling terminal.
 */
export class PtyDeviceFile implements VfsFile {
  readonly pty: Pty;

  constructor(pty: Pty) {
    this.pty = pty;
  }

  async read(): Promise<number> {
    throw new KernelError("EIO", "read");
  }

  async write(): Promise<number> {
    throw new KernelError("EIO", "write");
  }

  async stat(): Promise<Stat> {
    return this.pty.stat();
  }

  async truncate(): Promise<void> {}

  async close(): Promise<void> {}
}
