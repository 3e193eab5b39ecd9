/**
 * `run()` and `node --test`: find the test files (Node's default patterns, or the given files and
 * globs), run each in a `node` process of its own (a kernel process, through child_process, as
 * Node spawns its own binary) with NODE_TEST_CONTEXT=child-v8, and merge their reports into one
 * tree with one summary. The exit code is 1 when anything failed.
 */
import { codedError, invalidArgType, notSupported } from "../../errors.ts";
import { loadBuiltin } from "../registry.ts";
import { shouldColorize } from "../tty.ts";
import { FailureType, testFailure } from "./failure.ts";
import { FileTest } from "./file-test.ts";
import { createTestTree } from "./harness.ts";
import { patternToRegExp, type TestConfig, testConfig } from "./options.ts";
import { setupReporters } from "./reporters/setup.ts";
import type { Test } from "./test.ts";
import { findTestFiles } from "./test-files.ts";
import type { TestsStream } from "./tests-stream.ts";

interface PathModule {
  resolve(...paths: string[]): string;
}

interface ChildProcessLike {
  stdout: NodeJS.ReadableStream;
  stderr: NodeJS.ReadableStream;
  on(event: "error", listener: (error: Error) => void): void;
  once(event: "exit", listener: (code: number | null, signal: string | null) => void): void;
}

/** Options the runner drops from the command line it hands each file's process. */
const FILTERED_FLAGS = [
  "--test",
  "--experimental-test-coverage",
  "--test-randomize",
  "--watch",
  "--experimental-default-config-file",
];
const FILTERED_VALUE_FLAGS = [
  "--experimental-test-tag-filter",
  "--test-reporter",
  "--test-reporter-destination",
  "--test-random-seed",
  "--experimental-config-file",
];

function keepForChild(arg: string, i: number, all: readonly string[]): boolean {
  if (FILTERED_FLAGS.includes(arg)) return false;
  return !FILTERED_VALUE_FLAGS.some(
    (flag) =>
      arg === flag ||
      arg.startsWith(`${flag}=`) ||
      (flag !== "--experimental-config-file" && i > 0 && all[i - 1] === flag),
  );
}

interface RunOptions {
  root: Test;
  cwd: string;
  execArgv: string[];
  argv: string[];
  env: Record<string, string | undefined> | undefined;
  testNamePatterns: RegExp[] | null;
  testSkipPatterns: RegExp[] | null;
  only: boolean | undefined;
  forceExit: boolean | undefined;
  signal: AbortSignal | undefined;
  colorize: boolean;
}

function childArgs(path: string, options: RunOptions): string[] {
  const args = process.execArgv.filter(keepForChild);
  if (options.forceExit === true) args.push("--test-force-exit");
  for (const pattern of options.testNamePatterns ?? []) {
    args.push(`--test-name-pattern=${pattern.source}`);
  }
  for (const pattern of options.testSkipPatterns ?? []) {
    args.push(`--test-skip-pattern=${pattern.source}`);
  }
  if (options.only === true) args.push("--test-only");
  if (options.root.timeout != null) args.push(`--test-timeout=${options.root.timeout}`);
  args.push(...options.execArgv, path, ...options.argv);
  return args;
}

function runTestFile(path: string, options: RunOptions): Promise<void> {
  const { root } = options;
  const pathModule = loadBuiltin("path") as PathModule;
  const subtest = root.createSubtest(
    FileTest,
    path,
    { signal: options.signal },
    async (t: { signal: AbortSignal }) => {
      const { spawn } = loadBuiltin("child_process") as {
        spawn(file: string, args: string[], options: object): ChildProcessLike;
      };
      const env: Record<string, string | undefined> = {
        ...(options.env ?? process.env),
        NODE_TEST_CONTEXT: "child-v8",
      };
      // The files' errors are inspected here, so they are coloured when this report is.
      if (options.colorize) env.FORCE_COLOR = "1";
      const child = spawn(process.execPath, childArgs(path, options), {
        signal: t.signal,
        env,
        stdio: ["pipe", "pipe", "pipe"],
        cwd: options.cwd,
      });
      let spawnError: Error | undefined;
      child.on("error", (error) => {
        spawnError = error;
      });
      child.stdout.on("data", (data: Uint8Array) => file.parseMessage(data));
      const readline = loadBuiltin("readline") as {
        createInterface(options: { input: NodeJS.ReadableStream }): {
          on(event: "line", listener: (line: string) => void): void;
          close(): void;
        };
      };
      const lines = readline.createInterface({ input: child.stderr });
      lines.on("line", (line) => {
        file.addToReport({ type: "test:stderr", data: { file: path, message: `${line}\n` } });
      });
      const { finished } = loadBuiltin("stream") as {
        finished(stream: unknown, options: object, callback: (error?: Error) => void): void;
      };
      const [[code, signal]] = await Promise.all([
        new Promise<[number | null, string | null]>((resolve) => {
          child.once("exit", (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
        }),
        new Promise<void>((resolve, reject) => {
          finished(child.stdout, { signal: t.signal }, (error) =>
            error ? reject(error) : resolve(),
          );
        }),
      ]);
      lines.close();
      if (code !== 0 || signal !== null) {
        if (spawnError) throw spawnError;
        const failure = testFailure(
          "test failed",
          file.failedSubtests ? FailureType.subtestsFailed : FailureType.testCodeFailure,
        );
        // The failures came from the file's process: a stack from here would only mislead.
        Object.assign(failure, { exitCode: code, signal, stack: undefined });
        throw failure;
      }
    },
    { loc: [1, 1, pathModule.resolve(path)] },
  );
  const file = subtest as FileTest;
  return subtest.start();
}

function validateStringArray(value: unknown, name: string): asserts value is string[] {
  if (!Array.isArray(value)) throw invalidArgType(name, "an instance of Array", value);
  value.forEach((item, i) => {
    if (typeof item !== "string") throw invalidArgType(`${name}[${i}]`, "of type string", item);
  });
}

function toPatterns(value: unknown, name: string): RegExp[] | null {
  if (value == null) return null;
  const list = Array.isArray(value) ? value : [value];
  return list.map((item, i) => {
    if (item instanceof RegExp) return item;
    if (typeof item === "string") return patternToRegExp(item, `${name}[${i}]`);
    throw invalidArgType(`${name}[${i}]`, "of type string or an instance of RegExp", item);
  });
}

/** node:test's run(): runs test files and returns the event stream of their results. */
export function run(options: unknown = {}): TestsStream {
  if (options === null || typeof options !== "object") {
    throw invalidArgType("options", "of type object", options);
  }
  const o = options as Record<string, unknown>;
  const { files, watch, isolation = "process", coverage, setup, shard } = o;
  if (files != null) validateStringArray(files, "options.files");
  if (watch) throw notSupported("node:test run() with watch");
  if (coverage) throw notSupported("node:test run() with coverage");
  if (isolation === "none") throw notSupported("node:test run() with isolation 'none'");
  if (isolation !== "process") {
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_VALUE",
      `The property 'options.isolation' must be one of: 'process', 'none'. Received '${String(isolation)}'`,
    );
  }
  if (setup != null && typeof setup !== "function") {
    throw invalidArgType("options.setup", "of type function", setup);
  }
  const cwd = o.cwd ?? process.cwd();
  if (typeof cwd !== "string") throw invalidArgType("options.cwd", "of type string", cwd);
  const argv = o.argv ?? [];
  const execArgv = o.execArgv ?? [];
  validateStringArray(argv, "options.argv");
  validateStringArray(execArgv, "options.execArgv");
  if (o.globPatterns != null) validateStringArray(o.globPatterns, "options.globPatterns");
  if (o.globPatterns && (o.globPatterns as string[]).length > 0 && files) {
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_VALUE",
      "The property 'options.globPatterns' is not supported when specifying 'options.files'",
    );
  }
  const config: TestConfig = { ...testConfig(), cwd };
  const root = createTestTree(
    { concurrency: o.concurrency, timeout: o.timeout, signal: o.signal },
    config,
  );
  let testFiles = (files as string[] | undefined) ?? findTestFiles(o.globPatterns, cwd);
  const shardOption = (shard as TestConfig["shard"]) ?? config.shard;
  if (shardOption) {
    testFiles = testFiles.filter((_, i) => i % shardOption.total === shardOption.index - 1);
  }
  const runOptions: RunOptions = {
    root,
    cwd,
    execArgv: execArgv as string[],
    argv: argv as string[],
    env: o.env as Record<string, string> | undefined,
    testNamePatterns: toPatterns(o.testNamePatterns, "options.testNamePatterns"),
    testSkipPatterns: toPatterns(o.testSkipPatterns, "options.testSkipPatterns"),
    only: o.only as boolean | undefined,
    forceExit: o.forceExit as boolean | undefined,
    signal: o.signal as AbortSignal | undefined,
    colorize: config.destinations.some(
      (name) =>
        (name === "stdout" && shouldColorize(process.stdout)) ||
        (name === "stderr" && shouldColorize(process.stderr)),
    ),
  };
  if (process.env.NODE_TEST_CONTEXT !== undefined) {
    process.emitWarning(
      "node:test run() is being called recursively within a test file. skipping running files.",
    );
    root.postRun();
    return root.reporter;
  }
  const chain = async () => {
    if (root.harness.bootstrapPromise) await root.harness.bootstrapPromise;
    if (typeof setup === "function") await setup(root.reporter);
    root.harness.bootstrapPromise = null;
    root.harness.buildPromise = null;
    await Promise.allSettled(testFiles.map((path) => runTestFile(path, runOptions)));
    root.postRun();
    await root.harness.teardown?.();
  };
  chain();
  return root.reporter;
}

/** `node --test [patterns]`: what the VM's node command runs for --test. */
export function runTestRunnerMain(): void {
  const config = testConfig();
  if (config.isolation === "none") throw notSupported("node --test-isolation=none");
  const reporter = run({
    concurrency: config.concurrency,
    timeout: config.timeout,
    globPatterns: process.argv.slice(1),
    setup: (stream: TestsStream) => setupReporters(stream, config),
  });
  reporter.on("test:summary", (data: { success?: boolean }) => {
    if (!data.success) process.exitCode = 1;
  });
}
