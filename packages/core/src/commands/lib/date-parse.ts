/**
 * A subset of GNU parse_datetime (`date -d STRING`, `touch -d`), written here because no npm
 * date parser follows GNU's grammar. Items may come in any order, as in GNU:
 *
 * - `@SECONDS[.FRACTION]` (alone)
 * - dates: `YYYY-MM-DD`, `MM/DD[/YY[YY]]`, `YYYYMMDD`, `Jan 15 [2024]`, `15 Jan [2024]`,
 *   `January 15, 2024`, `15-Jan-2024`
 * - times: `HH:MM[:SS[.frac]]`, `HHMM` after a date, `3pm`, `3:04:05 pm`, an ISO `T` joint,
 *   optionally followed by a zone offset (`+05:30`, `-0800`, `+1`, `Z`)
 * - zones: `UTC`, `GMT`, `Z`, `EST`/`EDT`/`CST`/`CDT`/`MST`/`MDT`/`PST`/`PDT` and more
 * - relative: `[+-]N unit [ago]`, `next|last|this unit`, `unit` alone (= 1), units year,
 *   month, fortnight, week, day, hour, minute/min, second/sec (plural too); `now`, `today`,
 *   `yesterday`, `tomorrow`
 * - weekdays: `monday`, `next friday`, `last sun` (ignored when a calendar date is given,
 *   as GNU does)
 *
 * Calendar parts of a relative offset are applied to the broken-down local time and
 * normalised (Jan 31 + 1 month = Mar 2/3), clock parts are added to the epoch, as GNU does.
 */
import { daysFromCivil, resolveTimeZone, type TimeZone } from "./strftime.ts";

export interface ParsedDate {
  /** Seconds since the epoch. */
  seconds: bigint;
  nanos: number;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const ZONES: Record<string, number> = {
  utc: 0,
  ut: 0,
  gmt: 0,
  z: 0,
  wet: 0,
  bst: 1,
  cet: 1,
  cest: 2,
  eet: 2,
  eest: 3,
  msk: 3,
  ist: 5.5,
  jst: 9,
  aest: 10,
  aedt: 11,
  nzst: 12,
  ast: -4,
  adt: -3,
  est: -5,
  edt: -4,
  cst: -6,
  cdt: -5,
  mst: -7,
  mdt: -6,
  pst: -8,
  pdt: -7,
  akst: -9,
  akdt: -8,
  hst: -10,
};
const UNITS: Record<string, [kind: "y" | "m" | "d" | "s", amount: number]> = {
  year: ["y", 1],
  month: ["m", 1],
  fortnight: ["d", 14],
  week: ["d", 7],
  day: ["d", 1],
  hour: ["s", 3600],
  minute: ["s", 60],
  min: ["s", 60],
  second: ["s", 1],
  sec: ["s", 1],
};
const ORDINALS: Record<string, number> = {
  last: -1,
  this: 0,
  next: 1,
  first: 1,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  eleventh: 11,
  twelfth: 12,
};

const MONTH_RE =
  "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
const DAY_RE =
  "(sun(?:day)?|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs?(?:day)?)?|fri(?:day)?|sat(?:urday)?)\\.?";
const UNIT_RE = "(years?|months?|fortnights?|weeks?|days?|hours?|minutes?|mins?|seconds?|secs?)";

interface State {
  year?: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  nanos: number;
  zoneOffset?: number;
  weekday?: { day: number; ordinal: number };
  rel: { y: number; m: number; d: number; s: number };
  dateSeen: boolean;
  timeSeen: boolean;
}

function twoDigitYear(text: string, value: number): number {
  if (text.length <= 2) return value < 69 ? 2000 + value : 1900 + value;
  return value;
}

/**
 * Parses `text` relative to `nowMs` in the zone TZ names; undefined when GNU would say
 * "invalid date".
 */
export function parseDate(
  text: string,
  nowMs: number,
  tz: string | undefined,
): ParsedDate | undefined {
  const zone = resolveTimeZone(tz);
  const input = text.toLowerCase().trim();
  const epoch = /^@\s*([-+]?\d+)(?:[.,](\d+))?$/.exec(input);
  if (epoch) {
    const nanos = Number((epoch[2] ?? "").padEnd(9, "0").slice(0, 9));
    let seconds = BigInt(epoch[1]);
    if (epoch[1].startsWith("-") && nanos > 0) return { seconds: seconds - 1n, nanos: 1e9 - nanos };
    if (epoch[1] === "-0") seconds = 0n;
    return { seconds, nanos };
  }
  const st: State = { nanos: 0, rel: { y: 0, m: 0, d: 0, s: 0 }, dateSeen: false, timeSeen: false };
  let rest = input;
  const eat = (re: RegExp): RegExpExecArray | null => {
    const m = re.exec(rest);
    if (m) rest = rest.slice(m[0].length);
    return m;
  };
  const setDate = (y: number | undefined, m: number, d: number): boolean => {
    if (st.dateSeen) return false;
    st.dateSeen = true;
    if (y !== undefined) st.year = y;
    st.month = m;
    st.day = d;
    return true;
  };
  const setTime = (h: number, mi: number, s: number, frac?: string, meridian?: string): boolean => {
    if (st.timeSeen) return false;
    let hour = h;
    if (meridian) {
      if (hour < 1 || hour > 12) return false;
      const pm = meridian.startsWith("p");
      hour = (hour % 12) + (pm ? 12 : 0);
    }
    if (hour > 23 || mi > 59 || s > 60) return false;
    st.timeSeen = true;
    st.hour = hour;
    st.minute = mi;
    st.second = s;
    st.nanos = frac ? Number(frac.padEnd(9, "0").slice(0, 9)) : 0;
    return true;
  };
  const zoneOffset = (sign: string, hh: string, mm?: string): number | undefined => {
    let h: number;
    let m: number;
    if (mm !== undefined) {
      h = Number(hh);
      m = Number(mm);
    } else if (hh.length <= 2) {
      h = Number(hh);
      m = 0;
    } else {
      h = Number(hh.slice(0, -2));
      m = Number(hh.slice(-2));
    }
    if (h > 24 || m > 59) return undefined;
    return (sign === "-" ? -1 : 1) * (h * 3600 + m * 60);
  };
  while ((rest = rest.replace(/^[\s,]+/, "")) !== "") {
    let m: RegExpExecArray | null;
    if ((m = eat(/^(\d{4,})-(\d\d?)-(\d\d?)(?=$|[\s,t])/))) {
      if (!setDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
      eat(/^t(?=\d)/);
    } else if ((m = eat(/^(\d\d?)\/(\d\d?)(?:\/(\d+))?(?![\d/])/))) {
      const year = m[3] === undefined ? undefined : twoDigitYear(m[3], Number(m[3]));
      if (!setDate(year, Number(m[1]), Number(m[2]))) return undefined;
    } else if (
      (m = eat(/^(\d\d?):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?(?:\s*(a\.?m\.?|p\.?m\.?)(?![a-z]))?/))
    ) {
      if (!setTime(Number(m[1]), Number(m[2]), Number(m[3] ?? 0), m[4], m[5])) return undefined;
      const z = eat(/^\s*([-+])(\d\d?)(?::?(\d\d))?(?![\d:])/);
      if (z) {
        const off = zoneOffset(z[1], z[2], z[3]);
        if (off === undefined || st.zoneOffset !== undefined) return undefined;
        st.zoneOffset = off;
      }
    } else if ((m = eat(/^(\d\d?)\s*(a\.?m\.?|p\.?m\.?)(?![a-z])/))) {
      if (!setTime(Number(m[1]), 0, 0, undefined, m[2])) return undefined;
    } else if (
      (m = eat(
        new RegExp(
          `^${MONTH_RE}\\s*-?\\s*(\\d\\d?)(?!\\d|:)(?:(?:\\s*,\\s*|\\s+|-)(\\d{4})(?![\\d:]))?`,
        ),
      ))
    ) {
      if (!setDate(m[3] === undefined ? undefined : Number(m[3]), monthOf(m[1]), Number(m[2])))
        return undefined;
    } else if (
      (m = eat(new RegExp(`^(\\d\\d?)\\s*-?\\s*${MONTH_RE}(?:\\s*-?\\s*(\\d{2,4})(?![\\d:]))?`)))
    ) {
      const year = m[3] === undefined ? undefined : twoDigitYear(m[3], Number(m[3]));
      if (!setDate(year, monthOf(m[2]), Number(m[1]))) return undefined;
    } else if (
      (m = eat(
        new RegExp(
          `^(last|this|next|first|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|[-+]?\\d+)?\\s*${DAY_RE}(?![a-z])`,
        ),
      ))
    ) {
      if (st.weekday) return undefined;
      const ord = m[1] === undefined ? 0 : (ORDINALS[m[1]] ?? Number(m[1]));
      st.weekday = { day: DAYS.indexOf(m[2].slice(0, 3)), ordinal: ord };
    } else if (
      (m = eat(
        new RegExp(
          `^(last|this|next|first|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|[-+]?\\s*\\d+)?\\s*${UNIT_RE}(?![a-z])(\\s+ago(?![a-z]))?`,
        ),
      ))
    ) {
      const n = m[1] === undefined ? 1 : (ORDINALS[m[1]] ?? Number(m[1].replace(/\s+/g, "")));
      const unit = m[2].replace(/s$/, "");
      const [kind, amount] = UNITS[unit];
      st.rel[kind] += n * amount * (m[3] ? -1 : 1);
    } else if ((m = eat(/^(now|today)(?![a-z])/))) {
      // Nothing to change.
    } else if ((m = eat(/^yesterday(?![a-z])/))) {
      st.rel.d -= 1;
    } else if ((m = eat(/^tomorrow(?![a-z])/))) {
      st.rel.d += 1;
    } else if ((m = eat(/^ago(?![a-z])/))) {
      st.rel = { y: -st.rel.y, m: -st.rel.m, d: -st.rel.d, s: -st.rel.s };
    } else if ((m = eat(/^([a-z]{1,5})(?![a-z])/))) {
      if (!(m[1] in ZONES) || st.zoneOffset !== undefined) return undefined;
      st.zoneOffset = ZONES[m[1]] * 3600;
      const z = eat(/^\s*([-+])(\d\d?)(?::?(\d\d))?(?![\d:])/);
      if (z) {
        const off = zoneOffset(z[1], z[2], z[3]);
        if (off === undefined) return undefined;
        st.zoneOffset += off;
      }
    } else if ((m = eat(/^([-+])(\d{2}):?(\d{2})(?!\d)/))) {
      if (!st.timeSeen || st.zoneOffset !== undefined) return undefined;
      const off = zoneOffset(m[1], m[2], m[3]);
      if (off === undefined) return undefined;
      st.zoneOffset = off;
    } else if ((m = eat(/^(\d+)(?![\d:])/))) {
      const digits = m[1];
      if (st.dateSeen && !st.timeSeen && digits.length <= 4 && st.year !== undefined) {
        const n = Number(digits);
        if (
          !setTime(
            digits.length <= 2 ? n : Math.floor(n / 100),
            digits.length <= 2 ? 0 : n % 100,
            0,
          )
        )
          return undefined;
      } else if (st.dateSeen && st.year === undefined && digits.length >= 3) {
        st.year = Number(digits);
      } else if (digits.length >= 5) {
        const n = digits;
        if (!setDate(Number(n.slice(0, -4)), Number(n.slice(-4, -2)), Number(n.slice(-2))))
          return undefined;
      } else if (!st.timeSeen && digits.length >= 3) {
        const n = Number(digits);
        if (!setTime(Math.floor(n / 100), n % 100, 0)) return undefined;
      } else if (st.dateSeen && st.year === undefined) {
        st.year = twoDigitYear(digits, Number(digits));
      } else return undefined;
    } else {
      return undefined;
    }
  }
  // An empty string (or only blanks) is today at midnight, as GNU has it.
  if (input === "") st.dateSeen = true;
  return resolve(st, nowMs, zone);
}

function monthOf(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3)) + 1;
}

function daysInMonth(year: number, month: number): number {
  return [
    31,
    year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ][month - 1];
}

/** Local wall-clock seconds (as if UTC) → epoch seconds in `zone`. */
function localToEpoch(local: number, zone: TimeZone): number {
  let guess = local - zone.at(local * 1000).offset;
  for (let i = 0; i < 3; i++) {
    const next = local - zone.at(guess * 1000).offset;
    if (next === guess) break;
    guess = next;
  }
  return guess;
}

function resolve(st: State, nowMs: number, zone: TimeZone): ParsedDate | undefined {
  const nowSeconds = Math.floor(nowMs / 1000);
  const nowNanos = (nowMs - nowSeconds * 1000) * 1e6;
  const nowLocal = nowSeconds + zone.at(nowMs).offset;
  const nowDays = Math.floor(nowLocal / 86400);
  const nowSecs = nowLocal - nowDays * 86400;
  // Today's civil date.
  const z = nowDays + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const today = {
    year: yoe + era * 400 + (mp >= 10 ? 1 : 0),
    month: mp < 10 ? mp + 3 : mp - 9,
    day: doy - Math.floor((153 * mp + 2) / 5) + 1,
  };
  let year = st.year ?? today.year;
  let month = st.month ?? today.month;
  const day = st.day ?? today.day;
  if (st.dateSeen && (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)))
    return undefined;
  let hour: number;
  let minute: number;
  let second: number;
  let nanos: number;
  if (st.timeSeen) {
    hour = st.hour!;
    minute = st.minute!;
    second = st.second!;
    nanos = st.nanos;
  } else if (st.dateSeen || st.weekday) {
    hour = minute = second = nanos = 0;
  } else {
    hour = Math.floor(nowSecs / 3600);
    minute = Math.floor((nowSecs % 3600) / 60);
    second = nowSecs % 60;
    nanos = nowNanos;
  }
  // Calendar-relative parts, normalised like mktime.
  year += st.rel.y;
  month += st.rel.m;
  year += Math.floor((month - 1) / 12);
  month = ((((month - 1) % 12) + 12) % 12) + 1;
  let days = daysFromCivil(year, month, 1) + day - 1 + st.rel.d;
  if (st.weekday && !st.dateSeen) {
    const wday = (((days + 4) % 7) + 7) % 7;
    const { day: target, ordinal } = st.weekday;
    days += ((target - wday + 7) % 7) + 7 * (ordinal - (ordinal > 0 && wday !== target ? 1 : 0));
  }
  const local = days * 86400 + hour * 3600 + minute * 60 + second;
  let epoch = st.zoneOffset !== undefined ? local - st.zoneOffset : localToEpoch(local, zone);
  epoch += st.rel.s;
  return { seconds: BigInt(epoch), nanos };
}
