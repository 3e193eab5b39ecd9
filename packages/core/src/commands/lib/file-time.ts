/**
 * Date formatting and parsing for ls, stat, touch and friends. Times are milliseconds since
 * the epoch; the zone comes from TZ (UTC when unset or unknown), resolved with Intl.
 */

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

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
      });
    } catch {
      f = null;
    }
    formatters.set(tz, f);
  }
  return f;
}

/** The zone's offset from UTC in minutes at instant `ms`. */
export function tzOffsetMinutes(ms: number, tz: string | undefined): number {
  if (!tz || tz === "UTC" || tz === "UTC0" || tz === "GMT" || tz === ":UTC") return 0;
  const f = zoneFormatter(tz.startsWith(":") ? tz.slice(1) : tz);
  if (!f) return 0;
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(Math.floor(ms / 1000) * 1000))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

export interface BrokenDown {
  year: number;
  month: number; // 0-11
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Nanoseconds within the second. */
  nanos: number;
  offsetMinutes: number;
}

export function breakDown(ms: number, tz: string | undefined): BrokenDown {
  const offset = tzOffsetMinutes(ms, tz);
  const local = new Date(ms + offset * 60000);
  const wholeMs = Math.floor(ms);
  const subMs = ((wholeMs % 1000) + 1000) % 1000;
  const frac = ms - wholeMs;
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth(),
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    nanos: subMs * 1_000_000 + Math.round(frac * 1_000_000),
    offsetMinutes: offset,
  };
}

const p2 = (n: number): string => String(n).padStart(2, "0");

function zoneText(offset: number): string {
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${sign}${p2(Math.floor(abs / 60))}${p2(abs % 60)}`;
}

/** "2024-01-02 03:04:05.123000000 +0000" as stat and ls --full-time print. */
export function fullIso(ms: number, tz: string | undefined): string {
  const t = breakDown(ms, tz);
  return `${t.year}-${p2(t.month + 1)}-${p2(t.day)} ${p2(t.hour)}:${p2(t.minute)}:${p2(t.second)}.${String(t.nanos).padStart(9, "0")} ${zoneText(t.offsetMinutes)}`;
}

export type LsTimeStyle = "locale" | "full-iso" | "long-iso" | "iso";

const SIX_MONTHS_MS = (31556952 / 2) * 1000;

/** The date column of ls -l. */
export function lsDate(
  ms: number,
  now: number,
  tz: string | undefined,
  style: LsTimeStyle,
): string {
  const t = breakDown(ms, tz);
  const recent = ms > now - SIX_MONTHS_MS && ms <= now;
  switch (style) {
    case "full-iso":
      return fullIso(ms, tz);
    case "long-iso":
      return `${t.year}-${p2(t.month + 1)}-${p2(t.day)} ${p2(t.hour)}:${p2(t.minute)}`;
    case "iso":
      return recent
        ? `${p2(t.month + 1)}-${p2(t.day)} ${p2(t.hour)}:${p2(t.minute)}`
        : `${t.year}-${p2(t.month + 1)}-${p2(t.day)} `;
    default: {
      const day = String(t.day).padStart(2, " ");
      return recent
        ? `${MONTHS[t.month]} ${day} ${p2(t.hour)}:${p2(t.minute)}`
        : `${MONTHS[t.month]} ${day}  ${t.year}`;
    }
  }
}

/** Milliseconds for a local wall-clock time in zone `tz`. */
export function fromLocal(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  tz: string | undefined,
): number {
  const guess = Date.UTC(year, month, day, hour, minute, second);
  const offset = tzOffsetMinutes(guess, tz);
  const first = guess - offset * 60000;
  const offset2 = tzOffsetMinutes(first, tz);
  return guess - offset2 * 60000;
}

const UNITS: Record<string, number> = {
  sec: 1000,
  second: 1000,
  min: 60000,
  minute: 60000,
  hour: 3600000,
  day: 86400000,
  week: 7 * 86400000,
  fortnight: 14 * 86400000,
};

/**
 * A subset of GNU date input (`touch -d`, `date -d`): ISO 8601 dates and date-times with an
 * optional zone ("Z", "UTC", "+hh:mm"), "@epoch", "now", "today", "yesterday", "tomorrow",
 * and relative items ("2 days ago", "+3 hours", "1 month ago"). Undefined when not understood.
 */
export function parseDate(input: string, now: number, tz: string | undefined): number | undefined {
  const text = input.trim().replace(/\s+/g, " ");
  const lower = text.toLowerCase();
  if (lower === "" || lower === "now" || lower === "today") return now;
  const epoch = /^@([-+]?\d+(?:\.\d+)?)$/.exec(text);
  if (epoch) return Number(epoch[1]) * 1000;
  if (lower === "yesterday") return now - 86400000;
  if (lower === "tomorrow") return now + 86400000;
  const iso =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)? ?(Z|UTC|GMT|[-+]\d{2}:?\d{2})?$/i.exec(
      text,
    );
  if (iso) {
    const [, y, mo, d, h, mi, s, frac, zone] = iso;
    const month = Number(mo) - 1;
    const day = Number(d);
    if (month < 0 || month > 11 || day < 1 || day > 31) return undefined;
    const hour = Number(h ?? 0);
    const minute = Number(mi ?? 0);
    const second = Number(s ?? 0);
    if (hour > 24 || minute > 59 || second > 60) return undefined;
    const fracMs = frac ? Number(`0.${frac}`) * 1000 : 0;
    if (zone) {
      let offset = 0;
      if (/^[-+]/.test(zone)) {
        const digits = zone.replace(":", "");
        offset =
          (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) *
          (zone[0] === "-" ? -1 : 1);
      }
      return Date.UTC(Number(y), month, day, hour, minute, second) - offset * 60000 + fracMs;
    }
    return fromLocal(Number(y), month, day, hour, minute, second, tz) + fracMs;
  }
  const rel =
    /^([-+]?\d+)? ?(sec|second|min|minute|hour|day|week|fortnight|month|year)s? ?(ago)?$/i.exec(
      lower,
    );
  if (rel) {
    let n = rel[1] === undefined ? 1 : Number(rel[1]);
    if (rel[3]) n = -n;
    const unit = rel[2];
    if (unit === "month" || unit === "year") {
      const d = new Date(now);
      if (unit === "month") d.setUTCMonth(d.getUTCMonth() + n);
      else d.setUTCFullYear(d.getUTCFullYear() + n);
      return d.getTime();
    }
    return now + n * UNITS[unit];
  }
  return undefined;
}

/** touch -t [[CC]YY]MMDDhhmm[.ss] */
export function parseTouchStamp(
  text: string,
  now: number,
  tz: string | undefined,
): number | undefined {
  const m = /^(\d{8}|\d{10}|\d{12})(?:\.(\d{2}))?$/.exec(text);
  if (!m) return undefined;
  const digits = m[1];
  let year: number;
  let rest: string;
  if (digits.length === 12) {
    year = Number(digits.slice(0, 4));
    rest = digits.slice(4);
  } else if (digits.length === 10) {
    const yy = Number(digits.slice(0, 2));
    year = yy < 69 ? 2000 + yy : 1900 + yy;
    rest = digits.slice(2);
  } else {
    year = breakDown(now, tz).year;
    rest = digits;
  }
  const month = Number(rest.slice(0, 2)) - 1;
  const day = Number(rest.slice(2, 4));
  const hour = Number(rest.slice(4, 6));
  const minute = Number(rest.slice(6, 8));
  const second = m[2] === undefined ? 0 : Number(m[2]);
  if (month < 0 || month > 11 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return undefined;
  }
  return fromLocal(year, month, day, hour, minute, second, tz);
}
