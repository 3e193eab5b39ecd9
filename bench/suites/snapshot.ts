/**
 * `agent.snapshot`: createSession time of one agent with its SDK evaluated into the agent's
 * startup snapshot versus loaded by every session (the same package tree, flag off). The
 * fixture SDK (packages/core/src/software/agent-snapshot-fixture.ts) is a pure ES module graph
 * of a few hundred small modules. Every session's answer is checked: the snapshotted one must
 * report that its SDK was loaded before the process (initOrder 1), the other after (101).
 * Pi's agent package is not snapshot-safe (its load reads `process`); the last row says so.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pi } from "@agentos/agent-pi";
import { AgentOs } from "@agentos/core";
import {
  makeSnapshotFixture,
  snapshotFixtureAgent,
} from "../../packages/core/src/software/agent-snapshot-fixture.ts";
import { type Report, summarize } from "../harness.ts";
import type { SuiteOptions } from "./vm.ts";

const MODULES = 300;
const SCENARIO = `createSession, fixture agent (SDK of ${MODULES} modules)`;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** One session of `agentId`: its time, checked by what the SDK reports. */
async function session(vm: AgentOs, agentId: string, initOrder: number): Promise<number> {
  const { ms, value } = await timed(() => vm.createSession(agentId, { skipOsInstructions: true }));
  const { text } = await vm.prompt(value.sessionId, "describe");
  const seen = (JSON.parse(text) as { initOrder: number }).initOrder;
  if (seen !== initOrder)
    throw new Error(`${agentId}: SDK initOrder ${seen}, expected ${initOrder}`);
  await vm.destroySession(value.sessionId);
  return ms;
}

export async function snapshotSuite(report: Report, options: SuiteOptions): Promise<void> {
  const iterations = options.quick ? 3 : 15;
  const root = mkdtempSync(join(tmpdir(), "agentos-bench-snapshot-"));
  try {
    const dir = makeSnapshotFixture(root, MODULES);
    const vm = await AgentOs.create({
      software: [
        snapshotFixtureAgent(dir, "snap", "snap-sdk", true),
        snapshotFixtureAgent(dir, "snap-off", "snap-sdk", false),
      ],
    });
    try {
      // First sessions: the image is built (bundle + snapshot) and code caches fill.
      const firstSnap = await session(vm, "snap", 1);
      const firstOff = await session(vm, "snap-off", 101);
      const status = vm.listAgents().find((a) => a.id === "snap")?.snapshot;
      if (status !== "ready") throw new Error(`snapshot status ${status}`);
      const snap: number[] = [];
      const off: number[] = [];
      // Interleaved, so both see the same machine load.
      for (let i = 0; i < iterations; i++) {
        off.push((await session(vm, "snap-off", 101)) * 1e6);
        snap.push((await session(vm, "snap", 1)) * 1e6);
      }
      report.baseline(SCENARIO, "per-session load");
      report.addTiming(SCENARIO, "per-session load", summarize(off), {
        unit: "ms",
        note: `n=${off.length}; flag off, warm code cache (first: ${firstOff.toFixed(0)} ms)`,
      });
      report.addTiming(SCENARIO, "agent snapshot", summarize(snap), {
        unit: "ms",
        note: `n=${snap.length}; snapshot: true (first, building the image: ${firstSnap.toFixed(0)} ms)`,
      });
    } finally {
      await vm.dispose();
    }
    await piRow(report);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Whether Pi's agent package can be snapshotted: its image status, as listAgents reports it. */
async function piRow(report: Report): Promise<void> {
  const vm = await AgentOs.create({
    software: [{ ...pi, agent: { ...pi.agent, snapshot: true } }],
  });
  try {
    vm.listAgents();
    // Any process whose main script is in pi's package builds (or falls back from) the image.
    const r = await vm.exec(
      "node /root/node_modules/@earendil-works/pi-coding-agent/dist/bundle/cli.js --version",
    );
    if (r.exitCode !== 0) throw new Error(`pi --version: ${r.stderr}`);
    const status = vm.listAgents().find((a) => a.id === "pi")?.snapshot ?? "unknown";
    report.add({
      scenario: 'createSession("pi") with snapshot: true',
      subject: "agentos",
      median: null,
      p95: null,
      unit: "ms",
      note: `not measured: Pi's image is "${status}" (sessions load as without the flag)`,
    });
  } finally {
    await vm.dispose();
  }
}
