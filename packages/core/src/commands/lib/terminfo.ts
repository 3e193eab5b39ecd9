/**
 * The few terminfo entries the VM knows, for clear and tput: xterm-256color and xterm exactly
 * as ncurses' terminfo database has them; screen/tmux/linux/vt100-style names use xterm's
 * strings (approximate); dumb has no capabilities.
 */

export interface TermEntry {
  name: string;
  longname: string;
  colors: number;
  strings: Record<string, string>;
}

const XTERM_STRINGS: Record<string, string> = {
  clear: "\x1b[H\x1b[2J\x1b[3J",
  bold: "\x1b[1m",
  dim: "\x1b[2m",
  rev: "\x1b[7m",
  blink: "\x1b[5m",
  sgr0: "\x1b(B\x1b[m",
  smso: "\x1b[7m",
  rmso: "\x1b[27m",
  smul: "\x1b[4m",
  rmul: "\x1b[24m",
  sitm: "\x1b[3m",
  ritm: "\x1b[23m",
  el: "\x1b[K",
  el1: "\x1b[1K",
  ed: "\x1b[J",
  home: "\x1b[H",
  sc: "\x1b7",
  rc: "\x1b8",
  cnorm: "\x1b[?12l\x1b[?25h",
  civis: "\x1b[?25l",
  cvvis: "\x1b[?12;25h",
  smcup: "\x1b[?1049h\x1b[22;0;0t",
  rmcup: "\x1b[?1049l\x1b[23;0;0t",
  bel: "\x07",
  cr: "\r",
  cuu1: "\x1b[A",
  cud1: "\n",
  cub1: "\b",
  cuf1: "\x1b[C",
  ind: "\n",
  ri: "\x1bM",
  op: "\x1b[39;49m",
};

export const TERMINALS: Record<string, TermEntry> = {
  "xterm-256color": {
    name: "xterm-256color",
    longname: "xterm with 256 colors",
    colors: 256,
    strings: XTERM_STRINGS,
  },
  xterm: {
    name: "xterm",
    longname: "xterm terminal emulator (X Window System)",
    colors: 8,
    strings: XTERM_STRINGS,
  },
  dumb: {
    name: "dumb",
    longname: "80-column dumb tty",
    colors: -1,
    strings: { bel: "\x07", cr: "\r", cud1: "\n", ind: "\n" },
  },
};

for (const alias of ["xterm-color", "screen", "tmux", "linux", "vt100", "vt220", "ansi", "rxvt"])
  TERMINALS[alias] = { ...TERMINALS.xterm, name: alias };
for (const alias of ["screen-256color", "tmux-256color", "rxvt-unicode-256color"])
  TERMINALS[alias] = { ...TERMINALS["xterm-256color"], name: alias };

/** setaf / setab for `n` in this terminal (ncurses' xterm formulas). */
export function colorSequence(term: TermEntry, background: boolean, n: number): string | undefined {
  if (term.colors <= 0) return undefined;
  const base = background ? 4 : 3;
  if (term.colors === 256) {
    if (n < 8) return `\x1b[${base}${n}m`;
    if (n < 16) return `\x1b[${background ? 10 : 9}${n - 8}m`;
    return `\x1b[${base}8;5;${n}m`;
  }
  return `\x1b[${base}${n}m`;
}

/** cup ROW COL. */
export function cursorAddress(row: number, col: number): string {
  return `\x1b[${row + 1};${col + 1}H`;
}
