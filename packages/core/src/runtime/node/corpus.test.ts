/**
 * The differential corpus of the guest Node runtime: every case runs with the host's Node 24 and
 * with `node` in a VM, in directories at the same absolute path; stdout, exit status and stderr
 * (minus stack frames of Node's own internals) must be identical. Cases listed in
 * corpus/known-gaps.ts run as `todo`.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import type { NodeCase } from "./corpus/case.ts";
import { CLI_CASES } from "./corpus/cli.ts";
import { CONSOLE_CASES } from "./corpus/console.ts";
import { IO_CASES } from "./corpus/io.ts";
import { KNOWN_GAPS } from "./corpus/known-gaps.ts";
import { LANGUAGE_CASES } from "./corpus/language.ts";
import { MODULES_CASES } from "./corpus/modules.ts";
import { PROCESS_CASES } from "./corpus/process.ts";
import { STDLIB_CASES } from "./corpus/stdlib.ts";
import { TIMERS_CASES } from "./corpus/timers.ts";
import { closeNodeVm, normaliseResult, runNodeBoth } from "./testing.ts";

const SUITES: [title: string, cases: NodeCase[]][] = [
  ["language", LANGUAGE_CASES],
  ["process", PROCESS_CASES],
  ["console", CONSOLE_CASES],
  ["timers and ordering", TIMERS_CASES],
  ["modules", MODULES_CASES],
  ["command line", CLI_CASES],
  ["stdlib", STDLIB_CASES],
  ["fs, child_process, crypto, zlib", IO_CASES],
];

after(() => closeNodeVm());

async function compare(c: NodeCase): Promise<void> {
  const { host, vm } = await runNodeBoth(c);
  assert.deepEqual(normaliseResult(vm), normaliseResult(host), `case: ${c.name}`);
}

describe("guest node differential corpus", () => {
  test("case names are unique, gaps name real cases, and the corpus is large enough", () => {
    const names = new Set<string>();
    for (const [, cases] of SUITES) {
      for (const c of cases) {
        assert.ok(!names.has(c.name), `duplicate case name: ${c.name}`);
        names.add(c.name);
      }
    }
    for (const name of Object.keys(KNOWN_GAPS))
      assert.ok(names.has(name), `gap without case: ${name}`);
    assert.ok(names.size >= 250, `only ${names.size} cases`);
  });

  for (const [title, cases] of SUITES) {
    describe(title, { concurrency: 2 }, () => {
      for (const c of cases) {
        const gap = KNOWN_GAPS[c.name];
        if (gap) test(`${c.name} [${gap.owner}]`, { todo: gap.reason }, () => compare(c));
        else test(c.name, () => compare(c));
      }
    });
  }
});
