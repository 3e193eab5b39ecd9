/**
 * GNU strftime (as `date +FORMAT` and bash's `printf %(FMT)T` use it) in the C locale, and
 * the time zones the VM understands.
 *
 * Zones (`resolveTimeZone(TZ)`): unset/empty → UTC; POSIX strings ("UTC0", "EST5EDT" without
 * DST rules → EST at -5, "UTC+3", "<+0530>-5:30"); IANA names ("Europe/Berlin") through Intl,
 * with tzdata-like abbreviations where Intl knows them ("CET"), else numeric ("+0530") as
 * tzdata does for zones without one. An unknown name is UTC under that name, as glibc does.
 *
 * Conversions: %a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j %k %l %m %M %n %N %p %P %q
 * %r %R %s %S %t %T %u %U %V %w %W %x %X %y %Y %z %:z %::z %:::z %Z %%, flags `- _ 0 ^ #`
 * and a field width. Unknown conversions are copied literally.
 */

export interface TimeZone {
  /** Offset east of UTC in seconds at `epochMs`, and the zone abbreviation then. */
  at(epochMs: number): { offset: number; abbrev: string };
}

export const UTC_ZONE: TimeZone = { at: () => ({ offset: 0, abbrev: "UTC" }) };

function fixedZone(offset: number, abbrev: string): TimeZone {
  return { at: () => ({ offset, abbrev }) };
}

/** The zone TZ names (see the file comment). */
export function resolveTimeZone(tz: string | undefined): TimeZone {
  if (tz === undefined || tz === "") return UTC_ZONE;
  const spec = tz.startsWith(":") ? tz.slice(1) : tz;
  const posix = /^([A-Za-z]{3,}|<[^>]*>)([-+]?)(\d{1,2})(?::(\d{1,2})(?::(\d{1,2}))?)?/.exec(spec);
  if (posix && spec.length > posix[0].length && /^[A-Za-z<]/.test(spec.slice(posix[0].length))) {
    // A DST part ("EST5EDT"): the rules come from tzdata, which Intl has for these names.
    const iana = intlZone(spec);
    if (iana) return iana;
  }
  if (posix) {
    const name = posix[1].startsWith("<") ? posix[1].slice(1, -1) : posix[1];
    const seconds = Number(posix[3]) * 3600 + Number(posix[4] ?? 0) * 60 + Number(posix[5] ?? 0);
    // POSIX offsets count west of UTC: "EST5" is UTC-5.
    return fixedZone(posix[2] === "-" ? seconds : -seconds, name);
  }
  if (/^(UTC|GMT|UCT|Zulu|Universal|Etc\/(UTC|GMT|UCT))$/i.test(spec))
    return fixedZone(0, spec.replace(/^Etc\//, "").toUpperCase() === "ZULU" ? "UTC" : "UTC");
  const iana = intlZone(spec);
  if (iana) return iana;
  // glibc: an unknown zone is UTC, reported under its (alphabetic prefix) name.
  const name = /^[A-Za-z]+/.exec(spec)?.[0] ?? "UTC";
  return fixedZone(0, name.length >= 3 ? name : "UTC");
}

/** tzdata abbreviations Intl does not know in English (zones without DST). */
const FIXED_ABBREVIATIONS: Record<string, string> = {
  "Asia/Tokyo": "JST",
  "Asia/Seoul": "KST",
  "Asia/Shanghai": "CST",
  "Asia/Taipei": "CST",
  "Asia/Hong_Kong": "HKT",
  "Asia/Manila": "PST",
  "Asia/Jakarta": "WIB",
  "Asia/Karachi": "PKT",
  "Asia/Kolkata": "IST",
  "Asia/Calcutta": "IST",
  "Africa/Johannesburg": "SAST",
  "Africa/Lagos": "WAT",
  "Africa/Nairobi": "EAT",
  "Europe/Moscow": "MSK",
};

const zoneCache = new Map<string, TimeZone | null>();

function intlZone(name: string): TimeZone | undefined {
  const cached = zoneCache.get(name);
  if (cached !== undefined) return cached ?? undefined;
  let zone: TimeZone | null = null;
  try {
    const offsetFormat = new Intl.DateTimeFormat("en-US", {
      timeZone: name,
      timeZoneName: "longOffset",
    });
    const shortFormats = ["en-US", "en-GB", "en-IN", "en-AU"].map(
      (locale) => new Intl.DateTimeFormat(locale, { timeZone: name, timeZoneName: "short" }),
    );
    const part = (fmt: Intl.DateTimeFormat, ms: number): string =>
      fmt.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? "";
    zone = {
      at(epochMs) {
        const text = part(offsetFormat, epochMs);
        const m = /GMT([-+])(\d\d):(\d\d)(?::(\d\d))?/.exec(text);
        const offset = m
          ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0))
          : 0;
        let abbrev = FIXED_ABBREVIATIONS[name] ?? "";
        for (const fmt of abbrev ? [] : shortFormats) {
          const candidate = part(fmt, epochMs);
          if (/^[A-Z]{2,5}$/.test(candidate) && candidate !== "GMT") {
            abbrev = candidate;
            break;
          }
        }
        if (!abbrev) {
          if (offset === 0) abbrev = name.startsWith("Europe/") ? "GMT" : "UTC";
          else {
            const sign = offset < 0 ? "-" : "+";
            const abs = Math.abs(offset);
            const hh = String(Math.floor(abs / 3600)).padStart(2, "0");
            const mm = Math.floor((abs % 3600) / 60);
            abbrev = mm === 0 ? `${sign}${hh}` : `${sign}${hh}${String(mm).padStart(2, "0")}`;
          }
        }
        return { offset, abbrev };
      },
    };
  } catch {
    zone = null;
  }
  zoneCache.set(name, zone);
  return zone ?? undefined;
}

/** Broken-down time (struct tm plus what GNU's extensions need). */
export interface BrokenDownTime {
  year: number;
  /** 0-11 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday */
  weekday: number;
  /** 0-365 */
  yearDay: number;
  offset: number;
  abbrev: string;
  /** Seconds since the epoch (floor) and the nanoseconds within that second. */
  epochSeconds: bigint;
  nanos: number;
}

/** Breaks `epochSeconds` + `nanos` down in `zone`. */
export function breakDown(epochSeconds: bigint, nanos: number, zone: TimeZone): BrokenDownTime {
  const ms = Number(epochSeconds) * 1000;
  const { offset, abbrev } = zone.at(ms);
  const local = Number(epochSeconds) + offset;
  const days = Math.floor(local / 86400);
  const secs = local - days * 86400;
  const civil = civilFromDays(days);
  const yearStart = daysFromCivil(civil.year, 1, 1);
  return {
    year: civil.year,
    month: civil.month - 1,
    day: civil.day,
    hour: Math.floor(secs / 3600),
    minute: Math.floor((secs % 3600) / 60),
    second: secs % 60,
    weekday: (((days + 4) % 7) + 7) % 7,
    yearDay: days - yearStart,
    offset,
    abbrev,
    epochSeconds,
    nanos,
  };
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export const DAY_NAMES = [
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
];
export const MONTH_NAMES = [
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

/** ISO 8601 week-based year and week number. */
function isoWeek(t: BrokenDownTime): { year: number; week: number } {
  const wday = (t.weekday + 6) % 7; // Monday = 0
  let year = t.year;
  // Day of year of this week's Thursday.
  let thursday = t.yearDay - wday + 3;
  const daysIn = (y: number): number =>
    y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 366 : 365;
  if (thursday < 0) {
    year -= 1;
    thursday += daysIn(year);
  } else if (thursday >= daysIn(year)) {
    thursday -= daysIn(year);
    year += 1;
  }
  return { year, week: Math.floor(thursday / 7) + 1 };
}

function formatOffset(offset: number, colons: number): string {
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 3600)).padStart(2, "0");
  const mm = String(Math.floor((abs % 3600) / 60)).padStart(2, "0");
  const ss = String(abs % 60).padStart(2, "0");
  switch (colons) {
    case 0:
      return `${sign}${hh}${mm}`;
    case 1:
      return `${sign}${hh}:${mm}`;
    case 2:
      return `${sign}${hh}:${mm}:${ss}`;
    default:
      // %:::z: as few fields as needed.
      if (abs % 60 !== 0) return `${sign}${hh}:${mm}:${ss}`;
      if (abs % 3600 !== 0) return `${sign}${hh}:${mm}`;
      return `${sign}${hh}`;
  }
}

/** Formats `t` with GNU strftime semantics in the C locale. */
export function strftime(format: string, t: BrokenDownTime): string {
  let out = "";
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch !== "%") {
      out += ch;
      continue;
    }
    const start = i;
    let pad: string | undefined; // "-", "_", "0"
    let upper = false;
    let swapCase = false;
    i++;
    for (; i < format.length && "-_0^#".includes(format[i]); i++) {
      const f = format[i];
      if (f === "^") upper = true;
      else if (f === "#") swapCase = true;
      else pad = f;
    }
    let widthText = "";
    for (; i < format.length && format[i] >= "0" && format[i] <= "9"; i++) widthText += format[i];
    const width = widthText === "" ? undefined : Number(widthText);
    let colons = 0;
    for (; i < format.length && format[i] === ":"; i++) colons++;
    // Skip the E and O modifiers (no alternative forms in the C locale).
    while (i < format.length && (format[i] === "E" || format[i] === "O")) i++;
    if (i >= format.length) {
      out += format.slice(start);
      break;
    }
    const conv = format[i];
    const num = (value: number, digits: number, defaultPad = "0"): string =>
      padNumber(value, digits, pad ?? defaultPad, width);
    const text = (value: string, caseSwap: "lower" | "upper" = "upper"): string => {
      let v = value;
      if (upper) v = v.toUpperCase();
      else if (swapCase) v = caseSwap === "lower" ? v.toLowerCase() : v.toUpperCase();
      return padText(v, pad, width);
    };
    if (colons > 0 && conv !== "z") {
      out += format.slice(start, i + 1);
      continue;
    }
    const hour12 = t.hour % 12 === 0 ? 12 : t.hour % 12;
    switch (conv) {
      case "a":
        out += text(DAY_NAMES[t.weekday].slice(0, 3));
        break;
      case "A":
        out += text(DAY_NAMES[t.weekday]);
        break;
      case "b":
      case "h":
        out += text(MONTH_NAMES[t.month].slice(0, 3));
        break;
      case "B":
        out += text(MONTH_NAMES[t.month]);
        break;
      case "c":
        out += text(strftime("%a %b %e %H:%M:%S %Y", t));
        break;
      case "C":
        out += num(Math.floor(t.year / 100), 2);
        break;
      case "d":
        out += num(t.day, 2);
        break;
      case "D":
        out += text(strftime("%m/%d/%y", t));
        break;
      case "e":
        out += num(t.day, 2, "_");
        break;
      case "F": {
        // GNU: %+4Y-%m-%d; with a width, the year takes what the rest does not need.
        const rest = strftime("-%m-%d", t);
        const yearWidth = width !== undefined ? Math.max(width - rest.length, 0) : 4;
        out += padNumber(t.year, 4, pad ?? "0", yearWidth) + rest;
        break;
      }
      case "g":
        out += num(((isoWeek(t).year % 100) + 100) % 100, 2);
        break;
      case "G":
        out += num(isoWeek(t).year, 4);
        break;
      case "H":
        out += num(t.hour, 2);
        break;
      case "I":
        out += num(hour12, 2);
        break;
      case "j":
        out += num(t.yearDay + 1, 3);
        break;
      case "k":
        out += num(t.hour, 2, "_");
        break;
      case "l":
        out += num(hour12, 2, "_");
        break;
      case "m":
        out += num(t.month + 1, 2);
        break;
      case "M":
        out += num(t.minute, 2);
        break;
      case "n":
        out += "\n";
        break;
      case "N": {
        const digits = String(t.nanos).padStart(9, "0");
        const w = width ?? 9;
        out += w <= 9 ? digits.slice(0, w) : digits.padEnd(w, "0");
        break;
      }
      case "p":
        out += text(t.hour < 12 ? "AM" : "PM", "lower");
        break;
      case "P":
        out += text(t.hour < 12 ? "am" : "pm");
        break;
      case "q":
        out += num(Math.floor(t.month / 3) + 1, 1);
        break;
      case "r":
        out += text(strftime("%I:%M:%S %p", t));
        break;
      case "R":
        out += text(strftime("%H:%M", t));
        break;
      case "s": {
        const s = t.epochSeconds;
        out += padNumber(s, 1, pad ?? "0", width);
        break;
      }
      case "S":
        out += num(t.second, 2);
        break;
      case "t":
        out += "\t";
        break;
      case "T":
        out += text(strftime("%H:%M:%S", t));
        break;
      case "u":
        out += num(t.weekday === 0 ? 7 : t.weekday, 1);
        break;
      case "U":
        out += num(Math.floor((t.yearDay + 7 - t.weekday) / 7), 2);
        break;
      case "V":
        out += num(isoWeek(t).week, 2);
        break;
      case "w":
        out += num(t.weekday, 1);
        break;
      case "W":
        out += num(Math.floor((t.yearDay + 7 - ((t.weekday + 6) % 7)) / 7), 2);
        break;
      case "x":
        out += text(strftime("%m/%d/%y", t));
        break;
      case "X":
        out += text(strftime("%H:%M:%S", t));
        break;
      case "y":
        out += num(((t.year % 100) + 100) % 100, 2);
        break;
      case "Y":
        out += num(t.year, 1);
        break;
      case "z": {
        if (colons > 3) {
          out += format.slice(start, i + 1);
          break;
        }
        const value = formatOffset(t.offset, colons);
        if (width !== undefined && width > value.length) {
          const fill = pad === "_" ? " " : "0";
          out +=
            fill === "0"
              ? value[0] + "0".repeat(width - value.length) + value.slice(1)
              : " ".repeat(width - value.length) + value;
        } else out += value;
        break;
      }
      case "Z":
        out += text(t.abbrev, "lower");
        break;
      case "%":
        out += padText("%", pad, width);
        break;
      default:
        out += format.slice(start, i + 1);
    }
  }
  return out;
}

function padNumber(value: number | bigint, digits: number, pad: string, width?: number): string {
  const negative = value < 0;
  const abs = String(negative ? -value : value);
  if (pad === "-") return (negative ? "-" : "") + abs;
  const w = width ?? digits;
  const signed = (negative ? "-" : "") + abs;
  if (signed.length >= w) return signed;
  if (pad === "_") return " ".repeat(w - signed.length) + signed;
  return (negative ? "-" : "") + "0".repeat(w - signed.length) + abs;
}

function padText(value: string, pad: string | undefined, width?: number): string {
  if (width === undefined || value.length >= width || pad === "-") return value;
  return (pad === "0" ? "0" : " ").repeat(width - value.length) + value;
}
