/**
 * Output formats of find: -printf directives and escapes, strftime for %Ak/%Ck/%Tk (C locale,
 * in the TZ of the environment), the symbolic mode string of %M and -ls, and the -ls line.
 */
import { S_IFMT, type Stat } from "../../fs/types.ts";

/** What -printf knows about the file being visited. */
export interface FoundFile {
  /** The path as find prints it. */
  path: string;
  /** The starting point it was found under. */
  start: string;
  depth: number;
  /** Status per the symlink policy (-P: lstat, -L: stat when it works). */
  stat: Stat;
  /** Status of the name itself (never following). */
  lstat: Stat;
  /** Status of the target for a symlink, null when dangling/looping; undefined: not a link. */
  targetStat?: Stat | null;
  linkTarget?: string;
}

export interface Names {
  user(uid: number): string | undefined;
  group(gid: number): string | undefined;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const DAYS_LONG = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTHS_LONG = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

export interface TimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
  yday: number;
  offsetMinutes: number;
  zone: string;
  epochSeconds: number;
  nanos: number;
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function zoneFormatter(tz: string): Intl.DateTimeFormat | null {
  let f = formatters.get(tz);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone: tz,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
        timeZoneName: "short",
      });
    } catch {
      f = null;
    }
    formatters.set(tz, f);
  }
  return f;
}

/** Broken-down time of `ms` in the zone named by TZ (UTC when unset or unknown). */
export function timeParts(ms: number, tz: string | undefined): TimeParts {
  const epochSeconds = Math.floor(ms / 1000);
  const nanos = Math.round((ms - epochSeconds * 1000) * 1e6);
  let offsetMinutes = 0;
  let zone = "UTC";
  const name = tz?.replace(/^:/, "");
  if (name && !/^(UTC|GMT|UTC0|GMT0|Etc\/UTC|UCT|Zulu)$/.test(name)) {
    const f = zoneFormatter(name);
    if (f) {
      const parts = Object.fromEntries(
        f.formatToParts(new Date(epochSeconds * 1000)).map((p) => [p.type, p.value]),
      );
      const asUtc = Date.UTC(
        Number(parts.year),
        Number(parts.month) - 1,
        Number(parts.day),
        Number(parts.hour),
        Number(parts.minute),
        Number(parts.second),
      );
      offsetMinutes = Math.round((asUtc - epochSeconds * 1000) / 60000);
      zone = parts.timeZoneName ?? name;
    } else zone = name.replace(/[-+0-9:,].*$/, "") || "UTC";
  }
  const d = new Date(epochSeconds * 1000 + offsetMinutes * 60000);
  const startOfYear = Date.UTC(d.getUTCFullYear(), 0, 1);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth(),
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
    yday: Math.floor((d.getTime() - startOfYear) / 86400000),
    offsetMinutes,
    zone,
    epochSeconds,
    nanos,
  };
}

const p2 = (n: number): string => String(n).padStart(2, "0");
const s2 = (n: number): string => String(n).padStart(2, " ");

function isoWeek(t: TimeParts): { year: number; week: number } {
  const wday = (t.weekday + 6) % 7; // Monday = 0
  let year = t.year;
  let week = Math.floor((t.yday - wday + 10) / 7);
  const daysInYear = (y: number): number =>
    (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 366 : 365;
  if (week < 1) {
    year--;
    const prevYday = t.yday + daysInYear(year);
    week = Math.floor((prevYday - wday + 10) / 7);
  } else if (week === 53) {
    const jan1Next = (wday + daysInYear(year) - t.yday) % 7;
    if (jan1Next <= 3) {
      year++;
      week = 1;
    }
  }
  return { year, week };
}

/** strftime(3) for one conversion letter in the C locale. */
export function strftimeLetter(letter: string, t: TimeParts): string {
  switch (letter) {
    case "a":
      return DAYS[t.weekday];
    case "A":
      return DAYS_LONG[t.weekday];
    case "b":
    case "h":
      return MONTHS[t.month];
    case "B":
      return MONTHS_LONG[t.month];
    case "c":
      return `${DAYS[t.weekday]} ${MONTHS[t.month]} ${s2(t.day)} ${p2(t.hour)}:${p2(t.minute)}:${p2(t.second)} ${t.year}`;
    case "C":
      return p2(Math.floor(t.year / 100));
    case "d":
      return p2(t.day);
    case "D":
    case "x":
      return `${p2(t.month + 1)}/${p2(t.day)}/${p2(t.year % 100)}`;
    case "e":
      return s2(t.day);
    case "F":
      return `${t.year}-${p2(t.month + 1)}-${p2(t.day)}`;
    case "g":
      return p2(isoWeek(t).year % 100);
    case "G":
      return String(isoWeek(t).year);
    case "H":
      return p2(t.hour);
    case "I":
      return p2(t.hour % 12 === 0 ? 12 : t.hour % 12);
    case "j":
      return String(t.yday + 1).padStart(3, "0");
    case "k":
      return s2(t.hour);
    case "l":
      return s2(t.hour % 12 === 0 ? 12 : t.hour % 12);
    case "m":
      return p2(t.month + 1);
    case "M":
      return p2(t.minute);
    case "n":
      return "\n";
    case "p":
      return t.hour < 12 ? "AM" : "PM";
    case "r":
      return `${p2(t.hour % 12 === 0 ? 12 : t.hour % 12)}:${p2(t.minute)}:${p2(t.second)} ${t.hour < 12 ? "AM" : "PM"}`;
    case "R":
      return `${p2(t.hour)}:${p2(t.minute)}`;
    case "s":
      return String(t.epochSeconds);
    case "S":
      return p2(t.second);
    case "t":
      return "\t";
    case "T":
    case "X":
      return `${p2(t.hour)}:${p2(t.minute)}:${p2(t.second)}`;
    case "u":
      return String(t.weekday === 0 ? 7 : t.weekday);
    case "U":
      return p2(Math.floor((t.yday + 7 - t.weekday) / 7));
    case "V":
      return p2(isoWeek(t).week);
    case "w":
      return String(t.weekday);
    case "W":
      return p2(Math.floor((t.yday + 7 - ((t.weekday + 6) % 7)) / 7));
    case "y":
      return p2(t.year % 100);
    case "Y":
      return String(t.year);
    case "z": {
      const sign = t.offsetMinutes < 0 ? "-" : "+";
      const abs = Math.abs(t.offsetMinutes);
      return `${sign}${p2(Math.floor(abs / 60))}${p2(abs % 60)}`;
    }
    case "Z":
      return t.zone;
    case "%":
      return "%";
    default:
      return `%${letter}`;
  }
}

/** find's fractional-second suffix: nine digits of nanoseconds and a trailing zero. */
function fraction(t: TimeParts): string {
  return `.${String(t.nanos).padStart(9, "0")}0`;
}

/** %Ak / %Ck / %Tk: strftime plus find's "@" (epoch seconds) and "+" (date+time) letters. */
export function findTimeFormat(letter: string, ms: number, tz: string | undefined): string {
  const t = timeParts(ms, tz);
  switch (letter) {
    case "@":
      return `${t.epochSeconds}${fraction(t)}`;
    case "+":
      return `${strftimeLetter("F", t)}+${strftimeLetter("T", t)}${fraction(t)}`;
    case "S":
    case "T":
      return strftimeLetter(letter, t) + fraction(t);
    default:
      return strftimeLetter(letter, t);
  }
}

/** The ctime-like form of %a, %c and %t: "Sat Nov 21 21:30:00.1234567890 2026". */
export function ctimeFormat(ms: number, tz: string | undefined): string {
  const t = timeParts(ms, tz);
  return `${DAYS[t.weekday]} ${MONTHS[t.month]} ${s2(t.day)} ${p2(t.hour)}:${p2(t.minute)}:${p2(t.second)}${fraction(t)} ${t.year}`;
}

export function typeLetter(mode: number): string {
  switch (mode & S_IFMT) {
    case 0o040000:
      return "d";
    case 0o120000:
      return "l";
    case 0o020000:
      return "c";
    case 0o060000:
      return "b";
    case 0o010000:
      return "p";
    case 0o140000:
      return "s";
    default:
      return "f";
  }
}

/** "drwxr-xr-x" as ls and find -ls show it. */
export function modeString(mode: number): string {
  const type = typeLetter(mode);
  let s = type === "f" ? "-" : type;
  const rwx = (bits: number, special: boolean, specialChar: string): string => {
    const r = bits & 4 ? "r" : "-";
    const w = bits & 2 ? "w" : "-";
    let x = bits & 1 ? "x" : "-";
    if (special) x = bits & 1 ? specialChar : specialChar.toUpperCase();
    return r + w + x;
  };
  s += rwx((mode >> 6) & 7, (mode & 0o4000) !== 0, "s");
  s += rwx((mode >> 3) & 7, (mode & 0o2000) !== 0, "s");
  s += rwx(mode & 7, (mode & 0o1000) !== 0, "t");
  return s;
}

/** Parses the escapes of -printf; returns the pieces and whether \c stopped the format. */
export type PrintfPiece =
  | { kind: "text"; text: string }
  | { kind: "directive"; flags: string; letter: string; sub: string }
  | { kind: "stop" };

export interface PrintfProgram {
  pieces: PrintfPiece[];
  warnings: string[];
}

const ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
};

const DIRECTIVES = "%abcdDfFgGhHiklmMnpPsStuUyYZ";
const TIME_DIRECTIVES = "ACT";

/** Compiles a -printf format; throws Error(message) for an invalid directive. */
export function compilePrintf(format: string): PrintfProgram {
  const pieces: PrintfPiece[] = [];
  const warnings: string[] = [];
  let text = "";
  const flush = (): void => {
    if (text) pieces.push({ kind: "text", text });
    text = "";
  };
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch === "\\") {
      const next = format[i + 1];
      if (next === undefined) {
        text += "\\";
        continue;
      }
      i++;
      if (next in ESCAPES) text += ESCAPES[next];
      else if (next === "c") {
        flush();
        pieces.push({ kind: "stop" });
        return { pieces, warnings };
      } else if (/[0-7]/.test(next)) {
        const digits = /^[0-7]{1,3}/.exec(format.slice(i))![0];
        text += String.fromCharCode(Number.parseInt(digits, 8) & 0xff);
        i += digits.length - 1;
      } else {
        warnings.push(`warning: unrecognized escape \`\\${next}'`);
        text += `\\${next}`;
      }
      continue;
    }
    if (ch !== "%") {
      text += ch;
      continue;
    }
    const m = /^%([-+ #0]*[0-9]*(?:\.[0-9]*)?)(.?)/s.exec(format.slice(i))!;
    const letter = m[2];
    if (letter === "") {
      // A lone "%" at the end: GNU prints it as is.
      text += "%";
      i = format.length;
      continue;
    }
    if (letter === "%") {
      text += "%";
      i += m[0].length - 1;
      continue;
    }
    if (TIME_DIRECTIVES.includes(letter)) {
      const sub = format[i + m[0].length];
      if (sub === undefined) {
        warnings.push(
          `warning: format directive \`%${letter}' should be followed by another character`,
        );
        text += m[0];
        i += m[0].length - 1;
        continue;
      }
      flush();
      pieces.push({ kind: "directive", flags: m[1], letter, sub });
      i += m[0].length;
      continue;
    }
    if (!DIRECTIVES.includes(letter)) {
      // GNU warns and prints unknown directives literally.
      warnings.push(`warning: unrecognized format directive \`%${letter}'`);
      text += m[0];
      i += m[0].length - 1;
      continue;
    }
    flush();
    pieces.push({ kind: "directive", flags: m[1], letter, sub: "" });
    i += m[0].length - 1;
  }
  flush();
  return { pieces, warnings };
}

/** Applies printf-style flags/width/precision of a directive to its text. */
export function applyFlags(flags: string, text: string, numeric: boolean): string {
  if (flags === "") return text;
  const m = /^([-+ #0]*)([0-9]*)(?:\.([0-9]*))?$/.exec(flags);
  if (!m) return text;
  let value = text;
  if (m[3] !== undefined && !numeric) value = value.slice(0, Number(m[3] || "0"));
  const width = Number(m[2] || "0");
  if (value.length >= width) return value;
  if (m[1].includes("-")) return value.padEnd(width, " ");
  if (numeric && m[1].includes("0")) return value.padStart(width, "0");
  return value.padStart(width, " ");
}
