/**
 * Node's default reporter ("spec"): ✔/✖ lines indented by nesting, a `▶ name` line above the
 * first result inside a suite or a test with subtests, diagnostics as `ℹ` lines, and at the end
 * a "failing tests:" recap with each failure's location and error.
 */
import { Transform, type TransformCallback } from "readable-stream";
import { loadBuiltin } from "../../registry.ts";
import type { TestEvent } from "../tests-stream.ts";
import { type Colors, reporterColors } from "./colors.ts";
import { formatTestReport, indent, type ReportData, SYMBOLS, symbolColor } from "./format.ts";

interface StartData {
  name: string;
  nesting: number;
}

export class SpecReporter extends Transform {
  #stack: StartData[] = [];
  #failedTests: ReportData[] = [];
  #cwd = process.cwd();
  #colors: Colors = reporterColors();

  constructor() {
    super({ writableObjectMode: true });
  }

  #formatFailedTests(): string {
    if (this.#failedTests.length === 0) return "";
    const colors = this.#colors;
    const path = loadBuiltin("path") as { relative(from: string, to: string): string };
    const results = [`\n${colors.red}${SYMBOLS["test:fail"]}failing tests:${colors.white}\n`];
    for (const test of this.#failedTests) {
      if (test.file) {
        results.push(`test at ${path.relative(this.#cwd, test.file)}:${test.line}:${test.column}`);
      }
      results.push(formatTestReport("test:fail", test, colors));
    }
    this.#failedTests = [];
    return results.join("\n");
  }

  #reportTest(type: string, data: ReportData): string {
    // This test's own start event, then any unprinted parents: they get a "▶ name" line each.
    this.#stack.shift();
    let prefix = "";
    while (this.#stack.length > 0) {
      const parent = this.#stack.pop() as StartData;
      prefix += `${indent(parent.nesting)}${SYMBOLS["arrow:right"]}${parent.name}\n`;
    }
    return `${formatTestReport(type, data, this.#colors, false, prefix, indent(data.nesting))}\n`;
  }

  #handle({ type, data }: TestEvent): string | undefined {
    switch (type) {
      case "test:fail": {
        const error = (data as unknown as ReportData).details?.error as
          | { failureType?: string }
          | undefined;
        if (error?.failureType !== "subtestsFailed")
          this.#failedTests.push(data as unknown as ReportData);
        return this.#reportTest(type, data as unknown as ReportData);
      }
      case "test:pass":
        return this.#reportTest(type, data as unknown as ReportData);
      case "test:start":
        this.#stack.unshift(data as unknown as StartData);
        return undefined;
      case "test:stderr":
      case "test:stdout":
        return data.message as string;
      case "test:diagnostic": {
        const color = symbolColor(data.level as string, this.#colors);
        return `${color}${indent(data.nesting as number)}${SYMBOLS["test:diagnostic"]}${data.message}${this.#colors.white}\n`;
      }
      case "test:summary":
        // Only the run's own summary (a file's, from its process, carries the file).
        return data.file === undefined ? this.#formatFailedTests() : undefined;
      default:
        return undefined;
    }
  }

  override _transform(event: TestEvent, _encoding: string, callback: TransformCallback): void {
    callback(null, this.#handle(event));
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.#formatFailedTests());
  }
}
