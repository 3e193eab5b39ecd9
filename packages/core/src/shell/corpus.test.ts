/**
 * The differential script corpus: every case runs the same script in a fresh VM (`exec`, i.e.
 * `bash -c`) and in the host's bash with GNU tools on an identical fixture tree; stdout, stderr
 * and exit status must be identical (stderr after normalising only the program-name prefix).
 * Known differences live in corpus/known-gaps.ts and are reported as `todo`.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type RunResult, runScriptBoth } from "../commands/testing.ts";
import { BUILTINS_CASES } from "./corpus/builtins.ts";
import type { ShellCase } from "./corpus/case.ts";
import { DATA_CASES } from "./corpus/data.ts";
import { ERRORS_CASES } from "./corpus/errors.ts";
import { EXPANSIONS_ADVANCED_CASES } from "./corpus/expansions-advanced.ts";
import { FILES_CASES } from "./corpus/files.ts";
import { KNOWN_GAPS } from "./corpus/known-gaps.ts";
import { PROCESSES_CASES } from "./corpus/processes.ts";
import { TEXT_PIPELINES_CASES } from "./corpus/text-pipelines.ts";

const SUITES: [title: string, cases: ShellCase[]][] = [
  ["expansions (advanced)", EXPANSIONS_ADVANCED_CASES],
  ["builtins", BUILTINS_CASES],
  ["errors", ERRORS_CASES],
  ["text pipelines", TEXT_PIPELINES_CASES],
  ["files", FILES_CASES],
  ["data", DATA_CASES],
  ["processes", PROCESSES_CASES],
];

/**
 * The only normalisation: a program named by path in a message prefix ("/usr/bin/sort: ...")
 * is reduced to its name, as the VM and the host may resolve it differently.
 */
function normalise(result: RunResult): RunResult {
  return {
    ...result,
    stderr: result.stderr.replace(/^(?:\/usr)?\/bin\/([\w.-]+):/gm, "$1:"),
  };
}

async function compare(script: string, options: ShellCase[2]): Promise<void> {
  const { vm, host } = await runScriptBoth(script, options);
  assert.deepEqual(normalise(vm), normalise(host), `script: ${script}`);
}

describe("shell differential corpus", () => {
  test("case names are unique and the corpus is large enough", () => {
    const names = new Set<string>();
    let count = 0;
    for (const [title, cases] of SUITES) {
      for (const [name] of cases) {
        assert.ok(!names.has(`${title}/${name}`), `duplicate case name: ${title}/${name}`);
        names.add(`${title}/${name}`);
        count++;
      }
    }
    assert.ok(count >= 300, `only ${count} cases`);
  });

  for (const [title, cases] of SUITES) {
    describe(title, () => {
      for (const [name, script, options] of cases) {
        test(name, () => compare(script, options));
      }
    });
  }

  describe("known gaps (todo)", () => {
    for (const gap of KNOWN_GAPS) {
      test(`${gap.name} [${gap.owner}]`, { todo: gap.reason }, () =>
        compare(gap.script, gap.options),
      );
    }
  });
});
