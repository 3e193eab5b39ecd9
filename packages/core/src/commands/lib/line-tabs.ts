/** Tab stop lists of expand/unexpand (-t N, -t 4,8,12, and coreutils 9's "/N" and "+N" tails). */

export interface TabStops {
  /** Explicit stops, ascending. */
  stops: number[];
  /** Repeat every `every` columns after the last explicit stop (0: none). */
  every: number;
  /** "+N": the repetition counts from the last stop; "/N": from column 0. */
  relative: boolean;
}

/** Parses a -t argument; returns an error message (without "cmd: ") when invalid. */
export function parseTabStops(text: string): TabStops | string {
  const stops: number[] = [];
  let every = 0;
  let relative = false;
  for (const part of text.split(/[,\s]+/)) {
    if (part === "") continue;
    const m = /^([/+]?)([0-9]+)$/.exec(part);
    if (!m) {
      const bad = /[^0-9,\s/+]/.exec(text);
      return bad
        ? `tab size contains invalid character(s): '${text.slice(bad.index)}'`
        : `'${part}' is not a valid tab stop`;
    }
    const n = Number(m[2]);
    if (m[1]) {
      every = n;
      relative = m[1] === "+";
      continue;
    }
    if (n === 0) return "tab size cannot be 0";
    if (stops.length > 0 && n <= stops[stops.length - 1]) return "tab sizes must be ascending";
    stops.push(n);
  }
  if (stops.length === 1 && every === 0) return { stops: [], every: stops[0], relative: false };
  return { stops, every, relative };
}

/** The next tab stop after `column`, or undefined past the last one. */
export function nextStop(tabs: TabStops, column: number): number | undefined {
  for (const s of tabs.stops) if (s > column) return s;
  if (tabs.every === 0) return undefined;
  const base = tabs.relative && tabs.stops.length > 0 ? tabs.stops[tabs.stops.length - 1] : 0;
  return base + (Math.floor((column - base) / tabs.every) + 1) * tabs.every;
}
