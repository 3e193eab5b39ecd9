/**
 * The global console, as Node's: log/info/debug to stdout, error/warn/trace to stderr, util's
 * formatting, group indentation, counters and timers, and the Console class over any streams.
 */
import { formatWithOptions, inspect } from "node-inspect-extracted";
import { shouldColorize } from "./builtins/tty.ts";

interface WritableLike {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export class Console {
  readonly #stdout: WritableLike;
  readonly #stderr: WritableLike;
  #indent = "";
  readonly #counts = new Map<string, number>();
  readonly #timers = new Map<string, number>();
  readonly #colorMode: boolean | "auto";

  constructor(
    stdoutOrOptions:
      | WritableLike
      | { stdout: WritableLike; stderr?: WritableLike; colorMode?: boolean | "auto" },
    stderr?: WritableLike,
  ) {
    if ("stdout" in stdoutOrOptions) {
      this.#stdout = stdoutOrOptions.stdout;
      this.#stderr = stdoutOrOptions.stderr ?? stdoutOrOptions.stdout;
      this.#colorMode = stdoutOrOptions.colorMode ?? "auto";
    } else {
      this.#stdout = stdoutOrOptions;
      this.#stderr = stderr ?? stdoutOrOptions;
      this.#colorMode = "auto";
    }
    // Methods work detached (`const { log } = console`), as in Node.
    for (const name of Object.getOwnPropertyNames(Console.prototype)) {
      const value = (this as unknown as Record<string, unknown>)[name];
      if (name !== "constructor" && typeof value === "function") {
        (this as unknown as Record<string, unknown>)[name] = value.bind(this);
      }
    }
  }

  #colors(stream: WritableLike): boolean {
    if (this.#colorMode !== "auto") return this.#colorMode;
    return shouldColorize(stream as WritableLike & { getColorDepth?: () => number });
  }

  #write(stream: WritableLike, args: unknown[]): void {
    let text = formatWithOptions({ colors: this.#colors(stream) }, ...args);
    if (this.#indent) text = this.#indent + text.replaceAll("\n", `\n${this.#indent}`);
    stream.write(`${text}\n`);
  }

  log(...args: unknown[]): void {
    this.#write(this.#stdout, args);
  }
  info(...args: unknown[]): void {
    this.#write(this.#stdout, args);
  }
  debug(...args: unknown[]): void {
    this.#write(this.#stdout, args);
  }
  error(...args: unknown[]): void {
    this.#write(this.#stderr, args);
  }
  warn(...args: unknown[]): void {
    this.#write(this.#stderr, args);
  }
  dir(value: unknown, options?: object): void {
    this.#stdout.write(
      `${this.#indent}${inspect(value, { customInspect: false, colors: this.#colors(this.#stdout), ...options })}\n`,
    );
  }
  dirxml(...args: unknown[]): void {
    this.log(...args);
  }
  trace(...args: unknown[]): void {
    const error = { name: "Trace", message: formatWithOptions({}, ...args) } as Error;
    Error.captureStackTrace?.(error, this.trace);
    this.#write(this.#stderr, [error.stack]);
  }
  assert(condition: unknown, ...args: unknown[]): void {
    if (condition) return;
    if (typeof args[0] === "string") args[0] = `Assertion failed: ${args[0]}`;
    else args.unshift("Assertion failed");
    this.warn(...args);
  }
  count(label = "default"): void {
    const count = (this.#counts.get(`${label}`) ?? 0) + 1;
    this.#counts.set(`${label}`, count);
    this.log(`${label}: ${count}`);
  }
  countReset(label = "default"): void {
    if (!this.#counts.has(`${label}`)) {
      process.emitWarning(`Count for '${label}' does not exist`);
      return;
    }
    this.#counts.set(`${label}`, 0);
  }
  group(...args: unknown[]): void {
    if (args.length > 0) this.log(...args);
    this.#indent += "  ";
  }
  groupCollapsed(...args: unknown[]): void {
    this.group(...args);
  }
  groupEnd(): void {
    this.#indent = this.#indent.slice(0, -2);
  }
  time(label = "default"): void {
    if (this.#timers.has(`${label}`)) {
      process.emitWarning(`Label '${label}' already exists for console.time()`);
      return;
    }
    this.#timers.set(`${label}`, performance.now());
  }
  timeEnd(label = "default"): void {
    if (this.#printTime(`${label}`, [], "timeEnd")) this.#timers.delete(`${label}`);
  }
  timeLog(label = "default", ...data: unknown[]): void {
    this.#printTime(`${label}`, data, "timeLog");
  }
  #printTime(label: string, data: unknown[], method: "timeEnd" | "timeLog"): boolean {
    const start = this.#timers.get(label);
    if (start === undefined) {
      process.emitWarning(`No such label '${label}' for console.${method}()`);
      return false;
    }
    this.log(`${label}: ${formatDuration(performance.now() - start)}`, ...data);
    return true;
  }
  table(data: unknown, properties?: string[]): void {
    if (data === null || typeof data !== "object") {
      this.log(data);
      return;
    }
    this.log(renderTable(data as Record<string, unknown>, properties));
  }
  clear(): void {
    if (this.#stdout.isTTY) this.#stdout.write("\x1b[1;1H\x1b[0J");
  }
  profile(): void {}
  profileEnd(): void {}
  timeStamp(): void {}
}

function formatDuration(ms: number): string {
  if (ms >= 1000) {
    if (ms >= 60000) {
      if (ms >= 3600000) return `${(ms / 3600000).toFixed(3)}h`;
      return `${(ms / 60000).toFixed(3)}min`;
    }
    return `${(ms / 1000).toFixed(3)}s`;
  }
  return `${Number(ms.toFixed(3))}ms`;
}

/** console.table's box drawing, as Node renders it. */
function renderTable(data: Record<string, unknown>, properties?: string[]): string {
  const indexHeader = "(index)";
  const valuesHeader = "Values";
  const rows = Object.keys(data);
  const columns: string[] = [];
  let hasValues = false;
  const cells: Array<Record<string, string>> = [];
  const show = (v: unknown) => inspect(v, { depth: 1, breakLength: Infinity, maxArrayLength: 3 });
  for (const key of rows) {
    const value = data[key];
    const row: Record<string, string> = {};
    if (value !== null && typeof value === "object") {
      for (const column of properties ?? Object.keys(value)) {
        if (!columns.includes(column)) columns.push(column);
        if (column in (value as object))
          row[column] = show((value as Record<string, unknown>)[column]);
      }
    } else {
      hasValues = true;
      row[valuesHeader] = show(value);
    }
    cells.push(row);
  }
  const header = [indexHeader, ...columns, ...(hasValues ? [valuesHeader] : [])];
  const table = rows.map((key, i) => [
    key,
    ...header.slice(1).map((column) => cells[i][column] ?? ""),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((r) => r[c].length)) + 2);
  // Node 24 left-aligns every cell, one space in from each border.
  const cell = (text: string, width: number) => ` ${text}${" ".repeat(width - text.length - 1)}`;
  const line = (l: string, m: string, r: string) =>
    l + widths.map((w) => "─".repeat(w)).join(m) + r;
  const out = [
    line("┌", "┬", "┐"),
    `│${header.map((h, c) => cell(h, widths[c])).join("│")}│`,
    line("├", "┼", "┤"),
  ];
  for (const row of table) out.push(`│${row.map((text, c) => cell(text, widths[c])).join("│")}│`);
  out.push(line("└", "┴", "┘"));
  return out.join("\n");
}
