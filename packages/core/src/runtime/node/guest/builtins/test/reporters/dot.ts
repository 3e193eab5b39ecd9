/**
 * `--test-reporter=dot`: a `.` per passing test and an `X` per failing one, wrapped at the
 * terminal's width (20 columns when it has none), then the failed tests in full.
 */
import type { TestEvent } from "../tests-stream.ts";
import { reporterColors } from "./colors.ts";
import { formatTestReport, type ReportData, SYMBOLS, symbolColor } from "./format.ts";

function lineLength(): number {
  return Math.max((process.stdout as { columns?: number }).columns ?? 20, 20);
}

export async function* dotReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const colors = reporterColors();
  let count = 0;
  let columns = lineLength();
  const failedTests: ReportData[] = [];
  const diagnostics: Array<Record<string, unknown>> = [];
  for await (const { type, data } of source) {
    if (type === "test:pass") yield `${colors.green}.${colors.reset}`;
    if (type === "test:fail") {
      yield `${colors.red}X${colors.reset}`;
      failedTests.push(data as unknown as ReportData);
    }
    if ((type === "test:fail" || type === "test:pass") && ++count === columns) {
      yield "\n";
      columns = lineLength();
      count = 0;
    }
    if (type === "test:diagnostic" && data.level === "error") diagnostics.push(data);
  }
  yield "\n";
  for (const diagnostic of diagnostics) {
    const color = symbolColor((diagnostic.level as string) ?? "test:diagnostic", colors);
    yield `${color}${SYMBOLS["test:diagnostic"]}${diagnostic.message}${colors.white}\n`;
  }
  if (failedTests.length > 0) {
    yield `\n${colors.red}Failed tests:${colors.white}\n\n`;
    for (const test of failedTests) yield formatTestReport("test:fail", test, colors);
  }
}
