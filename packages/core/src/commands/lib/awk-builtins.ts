/**
 * awk built-in string and time functions that need no interpreter state: substr, sub/gsub and
 * gensub substitution, field splitting, strftime, mktime.
 */
import { awkRegex, translateRegex } from "./awk-regex.ts";

/** substr(s, m[, n]) as gawk 5 computes it (start below 1 becomes 1; both truncated). */
export function substr(s: string, m: number, n?: number): string {
  if (n !== undefined && !(n >= 1)) return "";
  // `!(m >= 1)` also catches NaN.
  const start = !(m >= 1) ? 1 : m;
  const idx = Math.trunc(start) - 1;
  if (idx >= s.length) return "";
  if (n === undefined) return s.slice(idx);
  const len = Math.min(Math.trunc(n), s.length - idx);
  return s.slice(idx, idx + len);
}

/** Expands a sub/gsub replacement for one match (gawk's non-POSIX rules). */
function expandSubRepl(repl: string, matched: string): string {
  if (!repl.includes("\\") && !repl.includes("&")) return repl;
  let out = "";
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i];
    if (c === "\\") {
      const d = repl[i + 1];
      if (d === "&") {
        out += "&";
        i++;
      } else if (d === "\\" && repl[i + 2] === "&") {
        out += `\\${matched}`;
        i += 2;
      } else out += "\\";
    } else if (c === "&") out += matched;
    else out += c;
  }
  return out;
}

/** Expands a gensub replacement: \0 and & (whole match), \1..\9 (groups), \\ and \&. */
function expandGensubRepl(repl: string, m: RegExpExecArray): string {
  let out = "";
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i];
    if (c === "\\") {
      const d = repl[i + 1];
      if (d === "&") {
        out += "&";
        i++;
      } else if (d !== undefined && d >= "0" && d <= "9") {
        out += m[Number(d)] ?? "";
        i++;
      } else if (d === "\\") {
        out += "\\";
        i++;
      } else if (d !== undefined) {
        out += d;
        i++;
      } else out += "\\";
    } else if (c === "&") out += m[0];
    else out += c;
  }
  return out;
}

/**
 * Replaces matches of `re` in `target`: all when `which` is 0, else only the `which`-th.
 * Returns the new text and the number of replacements.
 */
export function substitute(
  re: RegExp,
  target: string,
  which: number,
  repl: (m: RegExpExecArray) => string,
): [string, number] {
  let out = "";
  let pos = 0;
  let count = 0;
  let nth = 0;
  let lastMatchEnd = -1;
  const len = target.length;
  while (pos <= len) {
    re.lastIndex = pos;
    const m = re.exec(target);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    if (m[0].length === 0 && start === lastMatchEnd) {
      // An empty match right after a previous match is not allowed.
      if (start < len) out += target.slice(pos, start + 1);
      pos = start + 1;
      continue;
    }
    nth++;
    const take = which === 0 || nth === which;
    if (take) {
      out += target.slice(pos, start) + repl(m);
      count++;
    } else out += target.slice(pos, end);
    if (m[0].length === 0) {
      if (start < len) out += target[start];
      pos = start + 1;
    } else pos = end;
    lastMatchEnd = end;
    if (which !== 0 && nth >= which) break;
  }
  if (pos < len) out += target.slice(pos);
  return [out, count];
}

export function subReplace(
  re: RegExp,
  target: string,
  replText: string,
  global: boolean,
): [string, number] {
  return substitute(re, target, global ? 0 : 1, (m) => expandSubRepl(replText, m[0]));
}

export function gensub(re: RegExp, target: string, replText: string, which: number): string {
  return substitute(re, target, which, (m) => expandGensubRepl(replText, m))[0];
}

/** Splits `s` by an awk field separator value. `paragraph`: RS="" (newline also separates). */
export function splitFields(
  s: string,
  fs: string,
  ignoreCase: boolean,
  paragraph: boolean,
  seps?: string[],
): string[] {
  if (fs === " ") {
    const out: string[] = [];
    const n = s.length;
    let i = 0;
    let sepStart = 0;
    for (;;) {
      while (i < n) {
        const c = s.charCodeAt(i);
        if (c !== 32 && c !== 9 && c !== 10) break;
        i++;
      }
      if (seps) seps.push(s.slice(sepStart, i));
      if (i >= n) break;
      const start = i;
      while (i < n) {
        const c = s.charCodeAt(i);
        if (c === 32 || c === 9 || c === 10) break;
        i++;
      }
      out.push(s.slice(start, i));
      sepStart = i;
    }
    return out;
  }
  if (s === "") return [];
  if (fs === "") {
    const out: string[] = [];
    for (let i = 0; i < s.length; i++) out.push(s[i]);
    if (seps) for (let i = 0; i <= s.length; i++) seps.push("");
    return out;
  }
  if (fs.length === 1 && fs !== "\\" && !paragraph && !(ignoreCase && /[A-Za-z]/.test(fs))) {
    const out = s.split(fs);
    if (seps) {
      seps.push("");
      for (let i = 1; i < out.length; i++) seps.push(fs);
    }
    return out;
  }
  let src = fs.length === 1 ? (fs === "\\" ? "\\\\" : `[${fs === "^" ? "\\^" : fs}]`) : fs;
  if (paragraph) src = `(?:${src})|\n`;
  const re = paragraph
    ? new RegExp(translateForSplit(src), ignoreCase ? "gsi" : "gs")
    : awkRegex(src, ignoreCase);
  const out: string[] = [];
  if (seps) seps.push("");
  let pos = 0;
  let searchFrom = 0;
  while (searchFrom <= s.length) {
    re.lastIndex = searchFrom;
    const m = re.exec(s);
    if (!m) break;
    if (m[0].length === 0) {
      // A separator cannot be empty; skip ahead.
      searchFrom = m.index + 1;
      if (searchFrom > s.length) break;
      continue;
    }
    out.push(s.slice(pos, m.index));
    if (seps) seps.push(m[0]);
    pos = m.index + m[0].length;
    searchFrom = pos;
  }
  out.push(s.slice(pos));
  return out;
}

function translateForSplit(src: string): string {
  // `src` is "(?:awkre)|\n": translate only the awk part.
  const inner = src.slice(3, src.length - 3);
  return `(?:${translateRegex(inner)})|\\n`;
}

// ---- time ------------------------------------------------------------------------------------

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
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

function p2(n: number): string {
  return String(n).padStart(2, "0");
}

/** The ISO 8601 week-based year and week number of a UTC date. */
function isoWeek(d: Date): [number, number] {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((t.getTime() - yearStart) / 86400000 + 1) / 7);
  return [t.getUTCFullYear(), week];
}

/** strftime in UTC (the VM's only time zone). */
export function strftime(fmt: string, seconds: number): string {
  const d = new Date(Math.trunc(seconds) * 1000);
  if (Number.isNaN(d.getTime())) return "";
  const Y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  const H = d.getUTCHours();
  const M = d.getUTCMinutes();
  const S = d.getUTCSeconds();
  const w = d.getUTCDay();
  const yday = Math.floor((Date.UTC(Y, m, day) - Date.UTC(Y, 0, 1)) / 86400000);
  let out = "";
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== "%" || i + 1 >= fmt.length) {
      out += c;
      continue;
    }
    let f = fmt[++i];
    if (f === "E" || f === "O") f = fmt[++i] ?? "";
    switch (f) {
      case "a":
        out += DAYS[w].slice(0, 3);
        break;
      case "A":
        out += DAYS[w];
        break;
      case "b":
      case "h":
        out += MONTHS[m].slice(0, 3);
        break;
      case "B":
        out += MONTHS[m];
        break;
      case "c":
        out += `${DAYS[w].slice(0, 3)} ${MONTHS[m].slice(0, 3)} ${String(day).padStart(2, " ")} ${p2(H)}:${p2(M)}:${p2(S)} ${Y}`;
        break;
      case "C":
        out += p2(Math.floor(Y / 100));
        break;
      case "d":
        out += p2(day);
        break;
      case "D":
        out += `${p2(m + 1)}/${p2(day)}/${p2(Y % 100)}`;
        break;
      case "e":
        out += String(day).padStart(2, " ");
        break;
      case "F":
        out += `${Y}-${p2(m + 1)}-${p2(day)}`;
        break;
      case "g":
        out += p2(isoWeek(d)[0] % 100);
        break;
      case "G":
        out += String(isoWeek(d)[0]);
        break;
      case "H":
        out += p2(H);
        break;
      case "I":
        out += p2(H % 12 === 0 ? 12 : H % 12);
        break;
      case "j":
        out += String(yday + 1).padStart(3, "0");
        break;
      case "k":
        out += String(H).padStart(2, " ");
        break;
      case "l":
        out += String(H % 12 === 0 ? 12 : H % 12).padStart(2, " ");
        break;
      case "m":
        out += p2(m + 1);
        break;
      case "M":
        out += p2(M);
        break;
      case "n":
        out += "\n";
        break;
      case "p":
        out += H < 12 ? "AM" : "PM";
        break;
      case "P":
        out += H < 12 ? "am" : "pm";
        break;
      case "r":
        out += `${p2(H % 12 === 0 ? 12 : H % 12)}:${p2(M)}:${p2(S)} ${H < 12 ? "AM" : "PM"}`;
        break;
      case "R":
        out += `${p2(H)}:${p2(M)}`;
        break;
      case "s":
        out += String(Math.trunc(seconds));
        break;
      case "S":
        out += p2(S);
        break;
      case "t":
        out += "\t";
        break;
      case "T":
        out += `${p2(H)}:${p2(M)}:${p2(S)}`;
        break;
      case "u":
        out += String(w === 0 ? 7 : w);
        break;
      case "U":
        out += p2(Math.floor((yday + 7 - w) / 7));
        break;
      case "V":
        out += p2(isoWeek(d)[1]);
        break;
      case "w":
        out += String(w);
        break;
      case "W":
        out += p2(Math.floor((yday + 7 - ((w + 6) % 7)) / 7));
        break;
      case "x":
        out += `${p2(m + 1)}/${p2(day)}/${p2(Y % 100)}`;
        break;
      case "X":
        out += `${p2(H)}:${p2(M)}:${p2(S)}`;
        break;
      case "y":
        out += p2(Y % 100);
        break;
      case "Y":
        out += String(Y);
        break;
      case "z":
        out += "+0000";
        break;
      case "Z":
        out += "UTC";
        break;
      case "%":
        out += "%";
        break;
      default:
        out += `%${f}`;
    }
  }
  return out;
}

/** mktime("YYYY MM DD HH MM SS [DST]") in UTC; -1 when malformed. */
export function mktime(spec: string): number {
  const parts = spec.trim().split(/\s+/);
  if (parts.length < 6) return -1;
  const nums = parts.slice(0, 6).map((p) => Number.parseInt(p, 10));
  if (nums.some((x) => Number.isNaN(x))) return -1;
  const [Y, mo, d, h, mi, s] = nums;
  return Math.floor(Date.UTC(Y, mo - 1, d, h, mi, s) / 1000);
}
