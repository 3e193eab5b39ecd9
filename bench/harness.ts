/**
 * A small benchmark library: time iterations with `process.hrtime.bigint()`, summarize the
 * samples, collect rows into a report that prints an aligned table and ratios against a
 * baseline measured in the same run, and estimate memory per live object from RSS.
 *
 * Figures are printed, never asserted: a benchmark reports what this machine did today.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// ---- timing ------------------------------------------------------------------------------

export interface MeasureOptions<T> {
  /** Timed iterations (each one a sample). */
  iterations: number;
  /** Untimed iterations run first, to let the JIT and caches settle. */
  warmup?: number;
  /**
   * Called untimed after each iteration (warm-up ones included) with what `fn` returned, e.g.
   * to dispose a VM the iteration created.
   */
  after?: (value: T, index: number) => unknown;
}

/** Durations of the timed iterations, in nanoseconds, in the order they ran. */
export interface Samples {
  name: string;
  /** Nanoseconds per iteration. */
  ns: number[];
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/**
 * Runs `fn` `warmup` times untimed, then `iterations` times timing each call. A synchronous
 * `fn` is timed without an `await` in between, so its samples carry no microtask overhead.
 */
export async function measure<T>(
  name: string,
  fn: (index: number) => T | Promise<T>,
  options: MeasureOptions<T>,
): Promise<Samples> {
  const { iterations, warmup = 0, after } = options;
  if (!Number.isInteger(iterations) || iterations < 1)
    throw new RangeError(`measure(${name}): iterations must be a positive integer`);
  if (!Number.isInteger(warmup) || warmup < 0)
    throw new RangeError(`measure(${name}): warmup must be a non-negative integer`);
  for (let i = 0; i < warmup; i++) {
    let value = fn(i);
    if (isPromiseLike(value)) value = await value;
    if (after) await after(value as T, i);
  }
  const ns = new Array<number>(iterations);
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    let value = fn(warmup + i);
    if (isPromiseLike(value)) value = await value;
    ns[i] = Number(process.hrtime.bigint() - start);
    if (after) await after(value as T, warmup + i);
  }
  return { name, ns };
}

export interface Summary {
  median: number;
  p95: number;
  mean: number;
  min: number;
  max: number;
  count: number;
}

/** Median (mean of the two middle values for an even count), nearest-rank p95, mean, min, max. */
export function summarize(samples: Samples | readonly number[]): Summary {
  const values = Array.isArray(samples) ? samples : (samples as Samples).ns;
  const count = values.length;
  if (count === 0) throw new RangeError("summarize: no samples");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = count >> 1;
  const median = count % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const p95 = sorted[Math.max(0, Math.ceil(0.95 * count) - 1)];
  let sum = 0;
  for (const v of sorted) sum += v;
  return { median, p95, mean: sum / count, min: sorted[0], max: sorted[count - 1], count };
}

/** `a / b`; NaN when either is missing or `b` is zero. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number {
  if (a == null || b == null || b === 0 || !Number.isFinite(a) || !Number.isFinite(b))
    return Number.NaN;
  return a / b;
}

// ---- units -------------------------------------------------------------------------------

export type TimeUnit = "ns" | "µs" | "ms" | "s";
const NS_PER: Record<TimeUnit, number> = { ns: 1, µs: 1e3, ms: 1e6, s: 1e9 };

function isTimeUnit(unit: string): unit is TimeUnit {
  return unit in NS_PER;
}

/** Converts nanoseconds to `unit`. */
export function fromNs(ns: number, unit: TimeUnit): number {
  return ns / NS_PER[unit];
}

/** Rates ("ops/s", "pairs/s") are better when higher; everything else when lower. */
function isRate(unit: string): boolean {
  return unit.endsWith("/s");
}

// ---- report ------------------------------------------------------------------------------

export interface Row {
  scenario: string;
  subject: string;
  /** Null when the figure could not be measured (the note says why). */
  median: number | null;
  p95: number | null;
  unit: string;
  note: string;
  /** Extra figures for the JSON output (mean, min, max, count, ...). */
  extra?: Record<string, number | string>;
}

export interface TimingRowOptions {
  /** Unit the figures are shown in (default µs). */
  unit?: TimeUnit;
  note?: string;
}

export class Report {
  readonly rows: Row[] = [];
  readonly #baselines = new Map<string, string>();
  readonly started = new Date();
  /** Facts about the run (commit, machine) kept in the JSON output. */
  readonly meta: Record<string, string | number | boolean> = {};

  add(row: Row): Row {
    this.rows.push(row);
    return row;
  }

  /** Adds a row from a timing summary (nanoseconds), shown in `options.unit`. */
  addTiming(
    scenario: string,
    subject: string,
    summary: Summary,
    options: TimingRowOptions = {},
  ): Row {
    const unit = options.unit ?? "µs";
    return this.add({
      scenario,
      subject,
      median: fromNs(summary.median, unit),
      p95: fromNs(summary.p95, unit),
      unit,
      note: options.note ?? `n=${summary.count}`,
      extra: {
        mean: fromNs(summary.mean, unit),
        min: fromNs(summary.min, unit),
        max: fromNs(summary.max, unit),
        count: summary.count,
      },
    });
  }

  /** Adds a row for a figure that could not be measured, with the reason in its note. */
  addMissing(scenario: string, subject: string, note: string, unit = "-"): Row {
    return this.add({ scenario, subject, median: null, p95: null, unit, note });
  }

  /** Names the subject the other subjects of `scenario` are compared with. */
  baseline(scenario: string, subject: string): void {
    this.#baselines.set(scenario, subject);
  }

  /** Ratio lines: each subject's median over the baseline's, for scenarios with a baseline. */
  ratios(): Array<{ scenario: string; subject: string; baseline: string; ratio: number }> {
    const out: Array<{ scenario: string; subject: string; baseline: string; ratio: number }> = [];
    for (const [scenario, baselineName] of this.#baselines) {
      const rows = this.rows.filter((r) => r.scenario === scenario);
      const base = rows.find((r) => r.subject === baselineName);
      if (!base || rows.length < 2) continue;
      for (const row of rows) {
        if (row === base || row.median === null || base.median === null) continue;
        const value = comparable(row, base);
        if (value !== null)
          out.push({ scenario, subject: row.subject, baseline: baselineName, ratio: value });
      }
    }
    return out;
  }

  /** The aligned table and the ratio lines, as text. */
  format(): string {
    const header = ["scenario", "subject", "median", "p95", "unit", "note"];
    // Rows of a scenario are shown together, scenarios in the order they first appeared.
    const order = [...new Set(this.rows.map((r) => r.scenario))];
    const grouped = order.flatMap((s) => this.rows.filter((r) => r.scenario === s));
    const cells = grouped.map((r) => [
      r.scenario,
      r.subject,
      formatNumber(r.median),
      formatNumber(r.p95),
      r.unit,
      r.note,
    ]);
    const numeric = [false, false, true, true, false, false];
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
    const line = (cols: string[]): string =>
      cols
        .map((c, i) =>
          i === cols.length - 1 ? c : numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]),
        )
        .join("  ")
        .trimEnd();
    const lines = [line(header), line(widths.map((w) => "-".repeat(w)))];
    let previous = "";
    for (let i = 0; i < cells.length; i++) {
      const row = [...cells[i]];
      // Repeat the scenario name only where it changes, so groups read as blocks.
      if (row[0] === previous) row[0] = "";
      else previous = row[0];
      lines.push(line(row));
    }
    const ratioLines = this.ratios().map(({ scenario, subject, baseline, ratio: value }) => {
      const row = this.rows.find((r) => r.scenario === scenario && r.subject === subject)!;
      const meaning = isRate(row.unit)
        ? value >= 1
          ? `${value.toFixed(2)}× the rate of ${baseline}`
          : `${value.toFixed(2)}× the rate of ${baseline} (${(1 / value).toFixed(1)}× slower)`
        : value >= 1
          ? `${value.toFixed(2)}× the time of ${baseline}`
          : `${value.toFixed(2)}× the time of ${baseline} (${(1 / value).toFixed(1)}× faster)`;
      return `  ${scenario}: ${subject} = ${meaning}`;
    });
    if (ratioLines.length > 0) {
      lines.push("", "Ratios of medians (same run):", ...ratioLines);
    }
    return lines.join("\n");
  }

  print(): void {
    console.log(this.format());
  }

  toJSON(): object {
    return {
      started: this.started.toISOString(),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      ...this.meta,
      rows: this.rows,
      ratios: this.ratios(),
    };
  }

  /** Writes the results to bench/results/<timestamp>.json and returns the path. */
  writeJson(directory = join(dirname(fileURLToPath(import.meta.url)), "results")): string {
    const stamp = this.started.toISOString().replace(/[:.]/g, "-");
    const path = join(directory, `${stamp}.json`);
    mkdirSync(directory, { recursive: true });
    writeFileSync(path, `${JSON.stringify(this.toJSON(), null, 2)}\n`);
    return path;
  }
}

/** `row.median / base.median` when the units can be compared (times are converted). */
function comparable(row: Row, base: Row): number | null {
  if (row.median === null || base.median === null) return null;
  if (row.unit === base.unit) return ratio(row.median, base.median);
  if (isTimeUnit(row.unit) && isTimeUnit(base.unit))
    return ratio(row.median * NS_PER[row.unit], base.median * NS_PER[base.unit]);
  return null;
}

/** Three significant digits, no exponent for everyday magnitudes; "-" for a missing figure. */
export function formatNumber(value: number | null): string {
  if (value === null || Number.isNaN(value)) return "-";
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString("en-US");
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

// ---- memory ------------------------------------------------------------------------------

const gcFunction = (globalThis as { gc?: () => void }).gc;

/** True when the process was started with `--expose-gc`. */
export function gcAvailable(): boolean {
  return typeof gcFunction === "function";
}

export const GC_HELP =
  "memory figures need a forced GC: run node with --expose-gc " +
  "(npm run bench does; directly: node --expose-gc bench/run.ts)";

/**
 * Forces full collections, letting finalizers and weak callbacks run in between. Throws with
 * an explanation when `gc` is not exposed.
 */
export async function forceGc(): Promise<void> {
  if (!gcFunction) throw new Error(GC_HELP);
  for (let i = 0; i < 2; i++) {
    gcFunction();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Resident set size of this process in bytes. */
export function rss(): number {
  return process.memoryUsage.rss();
}

export interface SlopeResult {
  /** RSS bytes per live object (least-squares slope over the checkpoints). */
  bytesPerObject: number;
  /** V8 heapUsed bytes per live object, fitted the same way (less noisy than RSS). */
  heapBytesPerObject: number;
  /** Coefficient of determination of the RSS fit (1 = perfectly linear). */
  r2: number;
  /** The checkpoints: live objects, RSS and heapUsed after a forced GC. */
  points: Array<{ count: number; rss: number; heapUsed: number }>;
}

export interface RssSlopeOptions<T> {
  /** Checkpoints taken (besides the one before the first object); default 10. */
  checkpoints?: number;
  /** Called on every object after the last checkpoint, e.g. to dispose VMs. */
  release?: (object: T) => unknown;
}

/**
 * Creates `count` objects with `createOne`, keeping all of them alive, and fits bytes per
 * object by least squares over evenly spaced checkpoints (each after a forced GC). RSS only
 * grows when the heap needs fresh pages, so run it before other work has left freed pages
 * behind, and create one object beforehand if the first one pays one-time costs.
 */
export async function rssSlope<T>(
  createOne: (index: number) => T | Promise<T>,
  count: number,
  options: RssSlopeOptions<T> = {},
): Promise<SlopeResult> {
  if (!Number.isInteger(count) || count < 2)
    throw new RangeError("rssSlope: count must be an integer of at least 2");
  const checkpoints = Math.min(options.checkpoints ?? 10, count);
  const live: T[] = [];
  const points: SlopeResult["points"] = [];
  const checkpoint = async (): Promise<void> => {
    await forceGc();
    const usage = process.memoryUsage();
    points.push({ count: live.length, rss: usage.rss, heapUsed: usage.heapUsed });
  };
  await checkpoint();
  for (let c = 1; c <= checkpoints; c++) {
    const target = Math.round((count * c) / checkpoints);
    while (live.length < target) live.push(await createOne(live.length));
    await checkpoint();
  }
  const xs = points.map((p) => p.count);
  const rssFit = leastSquares(
    xs,
    points.map((p) => p.rss),
  );
  const heapFit = leastSquares(
    xs,
    points.map((p) => p.heapUsed),
  );
  if (options.release) for (const object of live) await options.release(object);
  live.length = 0;
  return {
    bytesPerObject: rssFit.slope,
    heapBytesPerObject: heapFit.slope,
    r2: rssFit.r2,
    points,
  };
}

/** Ordinary least squares fit of y = slope·x + intercept, with r². */
export function leastSquares(
  xs: readonly number[],
  ys: readonly number[],
): { slope: number; intercept: number; r2: number } {
  const n = xs.length;
  if (n !== ys.length || n < 2) throw new RangeError("leastSquares: need two or more points");
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i];
    sy += ys[i];
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - mx;
    const dy = ys[i] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxx === 0 ? Number.NaN : sxy / sxx;
  const intercept = my - slope * mx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept, r2 };
}
