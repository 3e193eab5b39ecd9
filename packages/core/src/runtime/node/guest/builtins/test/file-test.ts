/**
 * One test file run by `node --test` in a process of its own: a test of the runner's tree whose
 * results come from the child's stdout (v8-serialized events, see reporters/v8-serializer.ts,
 * between which anything else the file printed is its stdout) and whose stderr lines are
 * reported as they come. Events are held until it is this file's turn to report, so files that
 * run at the same time still report one after the other. The file itself shows up in the report
 * only when it failed without a failing test to show for it (a crash, a syntax error).
 */
import { Buffer } from "buffer";
import { loadBuiltin } from "../registry.ts";
import { CANCELLED_FAILURES, FailureType } from "./failure.ts";
import { deserializeError } from "./reporters/error-serdes.ts";
import { V8_HEADER_LENGTH } from "./reporters/v8-serializer.ts";
import { countCompleted, Test, type TestOptions } from "./test.ts";
import type { TestEvent } from "./tests-stream.ts";

/** Events forwarded at once rather than in report order. */
const EXECUTION_ORDERED = new Set(["test:enqueue", "test:dequeue", "test:complete"]);

/** A file's own summary lines, which the runner's summary replaces. */
const SUMMARY_WORDS = new Set([
  "tests",
  "suites",
  "pass",
  "fail",
  "cancelled",
  "skipped",
  "todo",
  "duration_ms",
]);

const FRAME_LENGTH_BYTES = 4;
const FRAME_HEADER = V8_HEADER_LENGTH + FRAME_LENGTH_BYTES;

function v8Header(): Buffer {
  const { serialize } = loadBuiltin("v8") as { serialize(value: unknown): Buffer };
  return serialize(undefined).subarray(0, V8_HEADER_LENGTH);
}

export class FileTest extends Test {
  failedSubtests = false;
  #reportBuffer: TestEvent[] = [];
  #raw: Buffer = Buffer.alloc(0);
  #reportedChildren = 0;
  #header = v8Header();

  constructor(options: TestOptions) {
    super(options);
    this.timeout = null;
  }

  #skipReporting(): boolean {
    const failureType = (this.error as { failureType?: string } | null)?.failureType;
    return (
      this.#reportedChildren > 0 && (!this.error || failureType === FailureType.subtestsFailed)
    );
  }

  /** "tests 3", "pass 2", ...: one of the file's summary lines. */
  #isSummaryLine(message: string): boolean {
    const first = message.indexOf(" ");
    if (first === -1) return false;
    return message.indexOf(" ", first + 1) === -1 && SUMMARY_WORDS.has(message.slice(0, first));
  }

  #handleReportItem(item: TestEvent): void {
    const data = item.data;
    if (this.name !== "") data.entryFile = this.loc?.file;
    const isTopLevel = data.nesting === 0;
    if (isTopLevel) {
      if (item.type === "test:plan" && this.#skipReporting()) return;
      if (item.type === "test:diagnostic" && this.#isSummaryLine(data.message as string)) return;
    }
    const details = data.details as { error?: unknown; type?: string } | undefined;
    if (details?.error) details.error = deserializeError(details.error as Uint8Array);
    if (item.type === "test:pass" || item.type === "test:fail") {
      const harness = this.root.harness;
      if (isTopLevel) data.testNumber = harness.counters.topLevel + 1;
      const failureType = (details?.error as { failureType?: string } | undefined)?.failureType;
      countCompleted(
        {
          nesting: data.nesting as number,
          reportedType: details?.type ?? "test",
          passed: item.type === "test:pass",
          isTodo: data.todo !== undefined,
          skipped: data.skip !== undefined,
          cancelled: CANCELLED_FAILURES.has(failureType as string),
        },
        harness,
      );
    }
    this.reporter.emitMessage(item.type, data);
  }

  addToReport(item: TestEvent): void {
    if (EXECUTION_ORDERED.has(item.type)) {
      this.#handleReportItem(item);
      return;
    }
    if (item.type === "test:pass" || item.type === "test:fail") {
      this.#reportedChildren++;
      if (item.data.nesting === 0 && item.type === "test:fail") this.failedSubtests = true;
    }
    if (!this.isClearToSend()) {
      this.#reportBuffer.push(item);
      return;
    }
    this.#drainReportBuffer();
    this.#handleReportItem(item);
  }

  #drainReportBuffer(): void {
    const buffered = this.#reportBuffer;
    this.#reportBuffer = [];
    for (const item of buffered) this.#handleReportItem(item);
  }

  #stdout(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.addToReport({
      type: "test:stdout",
      data: { file: this.name, message: bytes.toString("utf8") },
    });
  }

  /** Splits the child's stdout into printed text and event frames. */
  parseMessage(chunk: Uint8Array): void {
    this.#raw = Buffer.concat([this.#raw, chunk]);
    while (this.#raw.length > 0) {
      const headerAt = this.#raw.indexOf(this.#header);
      if (headerAt === -1) {
        // A last byte that starts a header waits for the rest.
        const keep = this.#raw[this.#raw.length - 1] === this.#header[0] ? 1 : 0;
        this.#stdout(this.#raw.subarray(0, this.#raw.length - keep));
        this.#raw = this.#raw.subarray(this.#raw.length - keep);
        return;
      }
      if (headerAt > 0) {
        this.#stdout(this.#raw.subarray(0, headerAt));
        this.#raw = this.#raw.subarray(headerAt);
      }
      if (this.#raw.length < FRAME_HEADER) return;
      const size = this.#raw.readUInt32BE(V8_HEADER_LENGTH) + FRAME_HEADER;
      if (this.#raw.length < size) return;
      const { deserialize } = loadBuiltin("v8") as { deserialize(bytes: Uint8Array): unknown };
      const event = deserialize(this.#raw.subarray(FRAME_HEADER, size)) as TestEvent;
      this.#raw = this.#raw.subarray(size);
      this.addToReport(event);
    }
  }

  /** At the end: whatever was left unparsed is plain output. */
  drain(): void {
    this.#stdout(this.#raw);
    this.#raw = Buffer.alloc(0);
    this.#drainReportBuffer();
  }

  override reportStarted(): void {}

  override report(): void {
    this.drain();
    if (!this.#skipReporting()) {
      super.reportStarted();
      super.report();
    }
  }
}
