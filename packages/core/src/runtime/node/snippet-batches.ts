/**
 * Test helper: differential batches of small snippets. Each batch becomes one script that runs
 * every case in turn (printing `### name` before it, and the name/code/message of anything it
 * throws); the script runs once under host Node and once in the VM, and each case's printed text
 * is compared on its own, so one difference names one case.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { AgentOs } from "../../index.ts";

export type SnippetCase = [name: string, body: string];

/** [batch name, code run before the cases, cases]. */
export type SnippetBatch = [name: string, prelude: string, cases: SnippetCase[]];

function script(prelude: string, cases: SnippetCase[]): string {
  const bodies = cases
    .map(([name, body]) => `  [${JSON.stringify(name)}, async () => { ${body}\n }],`)
    .join("\n");
  return `${prelude}
process.removeAllListeners('warning');
process.on('warning', (w) => console.log('WARNING', w.name, w.code, w.message));
const cases = [
${bodies}
];
(async () => {
  for (const [name, run] of cases) {
    console.log('### ' + name);
    try { await run(); } catch (e) {
      console.log('THROW', e?.name, e?.code, JSON.stringify(e?.message));
    }
  }
})();
`;
}

/** Splits a batch's output into the text each case printed. */
function byCase(output: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const part of output.split(/^### /m).slice(1)) {
    const newline = part.indexOf("\n");
    sections.set(part.slice(0, newline), part.slice(newline + 1));
  }
  return sections;
}

/**
 * Registers the batches as test suites (titled by `title(batch)`); returns the VM the cases ran
 * in, for further tests in the same file (valid once the suites' `before` has run).
 */
export function snippetBatches(
  prefix: string,
  batches: SnippetBatch[],
  title: (batch: string) => string,
): () => AgentOs {
  let vm: AgentOs | undefined;
  let hostDir: string | undefined;
  const results = new Map<
    string,
    { host: Map<string, string>; guest: Map<string, string>; exit: [number, number, string] }
  >();

  before(async () => {
    vm = await AgentOs.create();
    hostDir = mkdtempSync(join(tmpdir(), `agentos-${prefix}-`));
    for (const [name, prelude, cases] of batches) {
      const source = script(prelude, cases);
      const file = `${prefix}-${name}.js`;
      writeFileSync(join(hostDir, file), source);
      const host = spawnSync(process.execPath, [file], { cwd: hostDir, encoding: "utf8" });
      await vm.writeFile(`/home/user/${file}`, source);
      const guest = await vm.exec(`node ${file}`, { cwd: "/home/user" });
      results.set(name, {
        host: byCase(host.stdout),
        guest: byCase(guest.stdout),
        exit: [host.status ?? -1, guest.exitCode, guest.stderr],
      });
    }
  });

  after(async () => {
    await vm?.dispose();
    if (hostDir) rmSync(hostDir, { recursive: true, force: true });
  });

  for (const [batch, , cases] of batches) {
    describe(title(batch), () => {
      test("the batch exits as on the host", () => {
        const [host, guest, stderr] = results.get(batch)?.exit ?? [0, -1, "not run"];
        assert.equal(guest, host, stderr);
      });
      for (const [name] of cases) {
        test(name, () => {
          const result = results.get(batch);
          assert.ok(result, `batch ${batch} ran`);
          const host = result.host.get(name);
          assert.notEqual(host, undefined, `host printed case ${name}`);
          assert.equal(result.guest.get(name), host);
        });
      }
    });
  }

  return () => {
    assert.ok(vm, "the snippet batches' VM is running");
    return vm;
  };
}
