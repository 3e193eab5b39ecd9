/**
 * The runner's event stream (what `run()` returns and reporters read): an object-mode Readable of
 * `{ type, data }` events such as `test:start`, `test:pass`, `test:fail`, `test:diagnostic` and
 * `test:summary`, each also emitted as an event of that name.
 */
import { Readable } from "readable-stream";
import type { Location } from "./caller-location.ts";

export interface TestLocation {
  line: number;
  column: number;
  file: string;
}

export interface TestEvent {
  type: string;
  data: Record<string, unknown>;
}

export type Directive =
  | { skip: string | true }
  | { todo: string | true }
  | { expectFailure: string | true }
  | Record<string, never>;

/** What a test's pass, fail and complete events carry. */
type TestResult = [
  nesting: number,
  loc: TestLocation | undefined,
  testNumber: number,
  name: string,
  details: Record<string, unknown>,
  directive: Directive,
];

export function toTestLocation(loc: Location | undefined): TestLocation | undefined {
  return loc ? { line: loc[0], column: loc[1], file: loc[2] } : undefined;
}

export class TestsStream extends Readable {
  #buffer: Array<TestEvent | null> = [];
  #canPush = true;

  constructor() {
    super({ objectMode: true, highWaterMark: Number.MAX_SAFE_INTEGER });
  }

  override _read(): void {
    this.#canPush = true;
    while (this.#buffer.length > 0) {
      const event = this.#buffer.shift() as TestEvent | null;
      if (!this.#tryPush(event)) return;
    }
  }

  fail(...result: TestResult): void {
    this.#emitResult("test:fail", ...result);
  }

  ok(...result: TestResult): void {
    this.#emitResult("test:pass", ...result);
  }

  complete(...result: TestResult): void {
    this.#emitResult("test:complete", ...result);
  }

  plan(nesting: number, loc: TestLocation | undefined, count: number): void {
    this.emitMessage("test:plan", { nesting, count, ...loc });
  }

  enqueue(nesting: number, loc: TestLocation | undefined, name: string, type: string): void {
    this.emitMessage("test:enqueue", { nesting, name, type, ...loc });
  }

  dequeue(nesting: number, loc: TestLocation | undefined, name: string, type: string): void {
    this.emitMessage("test:dequeue", { nesting, name, type, ...loc });
  }

  start(nesting: number, loc: TestLocation | undefined, name: string): void {
    this.emitMessage("test:start", { nesting, name, ...loc });
  }

  diagnostic(
    nesting: number,
    loc: TestLocation | undefined,
    message: string,
    level = "info",
  ): void {
    this.emitMessage("test:diagnostic", { nesting, message, level, ...loc });
  }

  summary(
    file: string | undefined,
    success: boolean,
    counts: Record<string, number>,
    duration_ms: number,
  ): void {
    this.emitMessage("test:summary", { success, counts, duration_ms, file });
  }

  end(): void {
    this.#tryPush(null);
  }

  emitMessage(type: string, data: Record<string, unknown>): void {
    this.emit(type, data);
    this.#tryPush({ type, data });
  }

  #emitResult(
    type: string,
    ...[nesting, loc, testNumber, name, details, directive]: TestResult
  ): void {
    this.emitMessage(type, { name, nesting, testNumber, details, ...loc, ...directive });
  }

  #tryPush(event: TestEvent | null): boolean {
    if (this.#canPush) this.#canPush = this.push(event);
    else this.#buffer.push(event);
    return this.#canPush;
  }
}
