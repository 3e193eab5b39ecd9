import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { AgentOs } from "../vm/agent-os.ts";
import { snapshotFixtureAgent as agent, makeSnapshotFixture } from "./agent-snapshot-fixture.ts";

describe("agent.snapshot: the SDK evaluated into the agent's startup snapshot", () => {
  let root: string;
  let vm: AgentOs;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), "agentos-snapshot-"));
    const sw = makeSnapshotFixture(root);
    vm = await AgentOs.create({
      software: [
        agent(sw, "snap", "snap-sdk", true),
        agent(sw, "snap-off", "snap-sdk", false),
        agent(sw, "snap-fs", "snap-sdk-fs", true),
        agent(sw, "snap-timer", "snap-sdk-timer", true),
      ],
    });
  });

  after(async () => {
    await vm?.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  const status = (id: string) => vm.listAgents().find((a) => a.id === id)?.snapshot;

  async function describeVia(agentId: string): Promise<Record<string, unknown>> {
    const { sessionId } = await vm.createSession(agentId, { skipOsInstructions: true });
    try {
      const { text } = await vm.prompt(sessionId, "describe");
      return JSON.parse(text) as Record<string, unknown>;
    } finally {
      vm.closeSession(sessionId);
    }
  }

  test("listAgents reports the flag before the first launch", () => {
    assert.equal(status("snap"), "pending");
    assert.equal(status("snap-off"), "off");
  });

  test("a session starts from the snapshot: the SDK's init ran once, before the process", async () => {
    const first = await describeVia("snap");
    assert.equal(status("snap"), "ready");
    // 1: the init ran in the snapshot, not after the adapter set the counter to 100.
    assert.equal(first.initOrder, 1);
    const second = await describeVia("snap");
    assert.equal(second.initOrder, 1);
  });

  test("the snapshotted SDK behaves as the SDK loaded per session (paths, deps, builtins)", async () => {
    const snap = await describeVia("snap");
    const plain = await describeVia("snap-off");
    assert.equal(plain.initOrder, 101);
    assert.deepEqual({ ...snap, initOrder: 0 }, { ...plain, initOrder: 0 });
    assert.equal(snap.metaUrl, "file:///root/node_modules/snap-sdk/index.js");
    assert.equal(snap.metaDir, "/root/node_modules/snap-sdk");
    assert.equal(snap.depDir, "/root/node_modules/snap-dep");
    assert.equal(snap.sum, plain.sum);
    assert.equal(snap.pid, "number");
  });

  test("another process in the agent's package gets the snapshotted exports through require()", async () => {
    const r = await vm.exec("node /root/node_modules/snap-sdk/bin/check.cjs");
    assert.equal(r.exitCode, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(out.initOrder, 1);
    assert.equal(out.defaultKind, "snap-sdk");
  });

  test("an agent without the flag never borrows the image of an agent sharing its adapter", async () => {
    // Only one image route matches the adapter's directory here, so only the session's claim
    // keeps the flag-off agent's adapter on the plain runtime.
    const two = await AgentOs.create({
      software: [
        agent(makeSnapshotFixture(join(root, "two"), 0), "snap", "snap-sdk", true),
        agent(join(root, "two", "sw"), "snap-off", "snap-sdk", false),
      ],
    });
    try {
      for (const [id, initOrder] of [
        ["snap-off", 101],
        ["snap", 1],
        ["snap-off", 101],
      ] as const) {
        const { sessionId } = await two.createSession(id, { skipOsInstructions: true });
        const { text } = await two.prompt(sessionId, "describe");
        assert.equal((JSON.parse(text) as { initOrder: number }).initOrder, initOrder, id);
        two.closeSession(sessionId);
      }
    } finally {
      await two.dispose();
    }
  });

  test("an SDK whose init reads a file (even caught) falls back and still works", async () => {
    const out = await describeVia("snap-fs");
    assert.equal(out.initOrder, 101);
    assert.match(String(status("snap-fs")), /^fallback: .*called the host/);
  });

  test("an SDK whose init starts a timer falls back and still works", async () => {
    const out = await describeVia("snap-timer");
    assert.equal(out.initOrder, 101);
    assert.match(String(status("snap-timer")), /^fallback: /);
  });
});
