/**
 * The test runner's configuration, read from the process's own command line (`--test`,
 * `--test-only`, `--test-name-pattern`, `--test-reporter`, ...) as Node's parseCommandLine reads
 * its option values. A test file run by `node --test` (NODE_TEST_CONTEXT=child-v8) reports
 * through the serializer its parent reads instead of a reporter of its own.
 */
import { TEST_VALUE_OPTIONS } from "../../../test-value-options.ts";
import { codedError, notSupported } from "../../errors.ts";

export interface TestConfig {
  /** `node --test`: this process runs test files rather than being one. */
  isTestRunner: boolean;
  concurrency: number | boolean;
  /** Only under --test (Node leaves it unset otherwise, which matters for `only`). */
  isolation: "process" | "none" | undefined;
  only: boolean;
  reporters: string[];
  destinations: string[];
  testNamePatterns: RegExp[] | null;
  testSkipPatterns: RegExp[] | null;
  /** ms; Infinity when unset. */
  timeout: number;
  forceExit: boolean;
  shard?: { index: number; total: number };
  cwd: string;
}

const VALUE_FLAGS = new Set(TEST_VALUE_OPTIONS);

/** The values of every `--test*` option on a command line, in order. */
export function readTestFlags(execArgv: readonly string[]): Map<string, string[]> {
  const flags = new Map<string, string[]>();
  const add = (name: string, value: string) => {
    const list = flags.get(name) ?? [];
    list.push(value);
    flags.set(name, list);
  };
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i];
    if (!arg.startsWith("--test") && !arg.startsWith("--experimental-test")) continue;
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (eq > 0) add(name, arg.slice(eq + 1));
    else if (VALUE_FLAGS.has(name)) add(name, execArgv[++i] ?? "");
    else add(name, "true");
  }
  return flags;
}

/** Node's built-in reporters the VM does not have (coverage and JUnit XML). */
const UNSUPPORTED_REPORTERS = new Set(["junit", "lcov"]);

const REGEXP_LITERAL = /^\/(.*)\/([a-z]*)$/;

/** `--test-name-pattern=/x/i` is a regular expression literal; anything else is the source. */
export function patternToRegExp(value: string, name: string): RegExp {
  const match = REGEXP_LITERAL.exec(value);
  try {
    return new RegExp(match?.[1] ?? value, match?.[2] ?? "");
  } catch (error) {
    const detail = (error as Error)?.message;
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_VALUE",
      `The argument '${name}' is an invalid regular expression.${detail ? ` ${detail}` : ""}. Received '${value}'`,
    );
  }
}

let cached: TestConfig | undefined;

export function testConfig(): TestConfig {
  if (cached) return cached;
  const flags = readTestFlags(process.execArgv);
  const last = (name: string) => flags.get(name)?.at(-1);
  const isTestRunner = flags.has("--test");
  const context = process.env.NODE_TEST_CONTEXT;
  let reporters = flags.get("--test-reporter") ?? [];
  let destinations = flags.get("--test-reporter-destination") ?? [];
  if (context === "child-v8") {
    reporters = ["v8-serializer"];
    destinations = ["stdout"];
  } else if (context === "child") {
    reporters = ["tap"];
    destinations = ["stdout"];
  } else {
    if (reporters.length === 0 && destinations.length === 0) reporters = ["spec"];
    if (reporters.length === 1 && destinations.length === 0) destinations = ["stdout"];
    if (reporters.length !== destinations.length) {
      throw codedError(
        TypeError,
        "ERR_INVALID_ARG_VALUE",
        `The argument '--test-reporter' must match the number of specified '--test-reporter-destination'. Received [ ${reporters.map((r) => `'${r}'`).join(", ")} ]`,
      );
    }
  }
  for (const name of reporters) {
    if (UNSUPPORTED_REPORTERS.has(name)) throw notSupported(`the ${name} test reporter`);
  }
  const patterns = (name: string) => {
    const values = flags.get(name);
    return values?.length ? values.map((value) => patternToRegExp(value, name)) : null;
  };
  let only = flags.has("--test-only");
  let testNamePatterns = patterns("--test-name-pattern");
  let testSkipPatterns = patterns("--test-skip-pattern");
  let isolation: TestConfig["isolation"];
  let concurrency: number | boolean = 1;
  let shard: TestConfig["shard"];
  if (isTestRunner) {
    isolation = last("--test-isolation") === "none" ? "none" : "process";
    if (isolation === "none") {
      concurrency = 1;
    } else {
      // The files' own processes apply --test-only and the name patterns.
      concurrency = Number(last("--test-concurrency")) || true;
      only = false;
      testNamePatterns = null;
      testSkipPatterns = null;
    }
    const shardValue = last("--test-shard");
    if (shardValue !== undefined) {
      if (!/^\d+\/\d+$/.test(shardValue)) {
        throw codedError(
          TypeError,
          "ERR_INVALID_ARG_VALUE",
          `The argument '--test-shard' must be in the form of <index>/<total>. Received '${shardValue}'`,
        );
      }
      const [index, total] = shardValue.split("/").map(Number);
      shard = { index, total };
    }
  }
  cached = {
    isTestRunner,
    concurrency,
    isolation,
    only,
    reporters,
    destinations,
    testNamePatterns,
    testSkipPatterns,
    timeout: Number(last("--test-timeout")) || Number.POSITIVE_INFINITY,
    forceExit: flags.has("--test-force-exit"),
    ...(shard ? { shard } : {}),
    cwd: process.cwd(),
  };
  return cached;
}
