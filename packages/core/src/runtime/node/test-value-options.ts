/**
 * The test runner's options that take a value (`--name value` or `--name=value`). Shared by the
 * `node` command line (node-command.ts) and node:test, which reads them back from execArgv
 * (guest/builtins/test/options.ts): both must split a command line the same way.
 */
export const TEST_VALUE_OPTIONS: readonly string[] = [
  "--test-name-pattern",
  "--test-skip-pattern",
  "--test-reporter",
  "--test-reporter-destination",
  "--test-concurrency",
  "--test-timeout",
  "--test-isolation",
  "--test-shard",
];
