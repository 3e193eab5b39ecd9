/**
 * Terminal attributes (termios) with Linux's flag values and control-character slots, the
 * defaults a new pseudo-terminal starts with (those of Linux's `tty_std_termios` plus IUTF8),
 * and the window size.
 */

// ---- c_iflag -----------------------------------------------------------------------------
export const IGNBRK = 0o1;
export const BRKINT = 0o2;
export const IGNPAR = 0o4;
export const PARMRK = 0o10;
export const INPCK = 0o20;
export const ISTRIP = 0o40;
export const INLCR = 0o100;
export const IGNCR = 0o200;
export const ICRNL = 0o400;
export const IUCLC = 0o1000;
export const IXON = 0o2000;
export const IXANY = 0o4000;
export const IXOFF = 0o10000;
export const IMAXBEL = 0o20000;
export const IUTF8 = 0o40000;

// ---- c_oflag -----------------------------------------------------------------------------
export const OPOST = 0o1;
export const OLCUC = 0o2;
export const ONLCR = 0o4;
export const OCRNL = 0o10;
export const ONOCR = 0o20;
export const ONLRET = 0o40;

// ---- c_cflag -----------------------------------------------------------------------------
export const B38400 = 0o17;
export const CS8 = 0o60;
export const CREAD = 0o200;
export const PARENB = 0o400;
export const HUPCL = 0o2000;
export const CLOCAL = 0o4000;

// ---- c_lflag -----------------------------------------------------------------------------
export const ISIG = 0o1;
export const ICANON = 0o2;
export const ECHO = 0o10;
export const ECHOE = 0o20;
export const ECHOK = 0o40;
export const ECHONL = 0o100;
export const NOFLSH = 0o200;
export const TOSTOP = 0o400;
export const ECHOCTL = 0o1000;
export const ECHOPRT = 0o2000;
export const ECHOKE = 0o4000;
export const FLUSHO = 0o10000;
export const PENDIN = 0o40000;
export const IEXTEN = 0o100000;

// ---- c_cc indexes ------------------------------------------------------------------------
export const VINTR = 0;
export const VQUIT = 1;
export const VERASE = 2;
export const VKILL = 3;
export const VEOF = 4;
export const VTIME = 5;
export const VMIN = 6;
export const VSWTC = 7;
export const VSTART = 8;
export const VSTOP = 9;
export const VSUSP = 10;
export const VEOL = 11;
export const VREPRINT = 12;
export const VDISCARD = 13;
export const VWERASE = 14;
export const VLNEXT = 15;
export const VEOL2 = 16;
export const NCCS = 32;

/** `_POSIX_VDISABLE`: a control character slot holding this value is disabled. */
export const VDISABLE = 0;

/** tcsetattr's `optional_actions`. */
export const TCSANOW = 0;
export const TCSADRAIN = 1;
export const TCSAFLUSH = 2;

export interface Termios {
  iflag: number;
  oflag: number;
  cflag: number;
  lflag: number;
  /** Control characters, indexed by the V* constants (NCCS slots). */
  cc: number[];
  ispeed: number;
  ospeed: number;
}

export interface WindowSize {
  cols: number;
  rows: number;
  xpixel?: number;
  ypixel?: number;
}

export function defaultTermios(): Termios {
  const cc = new Array<number>(NCCS).fill(VDISABLE);
  cc[VINTR] = 0x03; // ^C
  cc[VQUIT] = 0x1c; // ^\
  cc[VERASE] = 0x7f; // DEL (what xterm's backspace sends)
  cc[VKILL] = 0x15; // ^U
  cc[VEOF] = 0x04; // ^D
  cc[VTIME] = 0;
  cc[VMIN] = 1;
  cc[VSTART] = 0x11; // ^Q
  cc[VSTOP] = 0x13; // ^S
  cc[VSUSP] = 0x1a; // ^Z
  cc[VREPRINT] = 0x12; // ^R
  cc[VDISCARD] = 0x0f; // ^O
  cc[VWERASE] = 0x17; // ^W
  cc[VLNEXT] = 0x16; // ^V
  return {
    iflag: ICRNL | IXON | IUTF8,
    oflag: OPOST | ONLCR,
    cflag: B38400 | CS8 | CREAD | HUPCL,
    lflag: ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
    cc,
    ispeed: 38400,
    ospeed: 38400,
  };
}

export function copyTermios(t: Termios): Termios {
  return { ...t, cc: [...t.cc] };
}

/** Checks and copies attributes a caller passes in (unknown shapes fail with EINVAL upstream). */
export function isTermios(value: unknown): value is Termios {
  if (typeof value !== "object" || value === null) return false;
  const t = value as Record<string, unknown>;
  for (const key of ["iflag", "oflag", "cflag", "lflag"]) {
    if (typeof t[key] !== "number" || !Number.isInteger(t[key])) return false;
  }
  return (
    Array.isArray(t.cc) &&
    t.cc.length <= NCCS &&
    t.cc.every((c) => Number.isInteger(c) && (c as number) >= 0 && (c as number) < 256)
  );
}

/**
 * Terminal attributes set for raw input (what `cfmakeraw` does to the input and local
 * flags; output processing is kept so "\n" still moves to the next line's start).
 */
export function rawInputTermios(t: Termios): Termios {
  const raw = copyTermios(t);
  raw.iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
  raw.lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
  raw.cc[VMIN] = 1;
  raw.cc[VTIME] = 0;
  return raw;
}
