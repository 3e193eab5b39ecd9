import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { defineSoftware } from "../software/define-software.ts";
import { AgentOs, type AgentOsOptions } from "../vm/agent-os.ts";
import type { PermissionRequest, SessionEvent } from "./session-types.ts";
import {
  type ScriptedLlmServer,
  type ScriptedTurn,
  startScriptedLlmServer,
} from "./testing/llm-server.ts";

const fakeAgentDir = join(dirname(fileURLToPath(import.meta.url)), "testing", "fake-acp-agent");
const fakeAgent = defineSoftware({
  name: "fake-agent",
  type: "agent",
  packageDir: fakeAgentDir,
  requires: ["agentos-fake-acp-agent"],
  agent: {
    id: "fake",
    acpAdapter: "agentos-fake-acp-agent",
    agentPackage: "agentos-fake-acp-agent",
  },
});

/** A VM with the fake agent, talking to a scripted LLM server on the host's loopback. */
async function setup(
  script: ScriptedTurn[],
  options: AgentOsOptions = {},
): Promise<{ vm: AgentOs; llm: ScriptedLlmServer; env: Record<string, string> }> {
  const llm = await startScriptedLlmServer(script);
  const vm = await AgentOs.create({
    software: [fakeAgent],
    loopbackExemptPorts: [llm.port],
    ...options,
  });
  return { vm, llm, env: { FAKE_LLM_URL: llm.url } };
}

const texts = (events: SessionEvent[]) =>
  events
    .filter((e) => e.event.method === "session/update")
    .map((e) => (e.event.params as { update: { sessionUpdate: string } }).update.sessionUpdate);

describe("agent sessions over ACP (fake agent in the VM)", () => {
  let vm: AgentOs;
  let llm: ScriptedLlmServer;
  let env: Record<string, string>;
  before(async () => {
    ({ vm, llm, env } = await setup(
      [
        // prompt round trip
        { text: ["Hello ", "from ", "the model"] },
        // tools: write (permission), read, run
        {
          toolCalls: [
            {
              id: "w1",
              name: "write_file",
              input: { path: "/home/user/out/a.txt", content: "one\ntwo\n" },
            },
          ],
        },
        { toolCalls: [{ id: "r1", name: "read_file", input: { path: "/home/user/out/a.txt" } }] },
        {
          toolCalls: [
            {
              id: "t1",
              name: "run",
              input: { command: "wc -l < /home/user/out/a.txt; echo err >&2" },
            },
          ],
        },
        { text: "all done" },
      ],
      { additionalInstructions: "VM-WIDE NOTE" },
    ));
  });
  after(async () => {
    await vm.dispose();
    await llm.close();
  });

  test("createSession, prompt round trip, OS instructions reach the model", async () => {
    const { sessionId } = await vm.createSession("fake", {
      env,
      additionalInstructions: "SESSION NOTE",
    });
    assert.deepEqual(
      vm.listSessions().map((s) => [s.sessionId, s.agentType, s.state]),
      [[sessionId, "fake", "ready"]],
    );
    const result = await vm.prompt(sessionId, "say hello");
    assert.equal(result.text, "Hello from the model");
    assert.deepEqual(result.response.result, { stopReason: "end_turn" });
    const request = llm.requests[0]?.body as { messages: Array<{ role: string; content: string }> };
    assert.equal(request.messages[0]?.role, "system");
    assert.match(request.messages[0]?.content ?? "", /inside agentOS/);
    assert.match(request.messages[0]?.content ?? "", /VM-WIDE NOTE\n+SESSION NOTE/);
    assert.deepEqual(request.messages[1], { role: "user", content: "say hello" });
    assert.deepEqual(texts(vm.getSessionEvents(sessionId)), [
      "agent_message_chunk",
      "agent_message_chunk",
      "agent_message_chunk",
    ]);

    // Tools: the permission is asked and answered, the file is written through fs/*,
    // read back, and a command runs through terminal/*.
    const asked: PermissionRequest[] = [];
    vm.onPermissionRequest(sessionId, (req) => {
      asked.push(req);
      void vm.respondPermission(sessionId, req.permissionId, "once");
    });
    const second = await vm.prompt(sessionId, "write a file");
    assert.equal(second.text, "all done");
    assert.equal(asked.length, 1);
    assert.equal(asked[0]?.toolCall.toolCallId, "w1");
    assert.equal(new TextDecoder().decode(await vm.readFile("/home/user/out/a.txt")), "one\ntwo\n");
    const toolResults = (
      (llm.requests[4]?.body.messages ?? []) as Array<{ role: string; content: string }>
    )
      .filter((m) => m.role === "tool")
      .map((m) => m.content);
    assert.deepEqual(toolResults, [
      "wrote /home/user/out/a.txt (allow)",
      "one\ntwo\n",
      "exit 0: 2\nerr\n",
    ]);
    const methods = vm.getSessionEvents(sessionId).map((e) => e.event.method);
    assert.ok(methods.includes("_agentos/permission_request"));
    assert.ok(methods.includes("_agentos/permission_response"));
    vm.closeSession(sessionId);
    assert.deepEqual(vm.listSessions(), []);
  });

  test("events are numbered in order and a late subscriber can replay", async () => {
    const { sessionId } = await vm.createSession("fake", { env, skipOsInstructions: true });
    const live: number[] = [];
    vm.onSessionEvent(sessionId, (e) => live.push(e.sequence));
    await vm.setSessionMode(sessionId, "plan");
    assert.equal(vm.getSessionModes(sessionId)?.currentModeId, "plan");
    const all = vm.getSessionEvents(sessionId);
    assert.deepEqual(
      all.map((e) => e.sequence),
      all.map((_, i) => i + 1),
    );
    assert.deepEqual(
      live,
      all.map((e) => e.sequence),
    );
    const replayed: number[] = [];
    vm.onSessionEvent(sessionId, (e) => replayed.push(e.sequence), { since: 0 });
    assert.deepEqual(replayed, live);
    assert.deepEqual(vm.getSessionEvents(sessionId, { since: all.length }), []);
    // Config options: model and thought level via session/set_config_option.
    await vm.setSessionModel(sessionId, "fake-large");
    await vm.setSessionThoughtLevel(sessionId, "high");
    const options = vm.getSessionConfigOptions(sessionId);
    assert.deepEqual(
      options.map((o) => [o.id, (o as { currentValue: string }).currentValue]),
      [
        ["model", "fake-large"],
        ["effort", "high"],
      ],
    );
    const raw = await vm.rawSend(sessionId, "_fake/echo", { x: 1 });
    assert.deepEqual(raw.result, { echo: { x: 1 } });
    const unknown = await vm.rawSend(sessionId, "no/such_method");
    assert.equal(unknown.error?.code, -32601);
    await vm.destroySession(sessionId);
  });

  test("unknown agents and native-binary agents fail clearly", async () => {
    await assert.rejects(vm.createSession("codex"), /Codex ships as a native binary/);
    await assert.rejects(vm.createSession("opencode"), /OpenCode ships as a native binary/);
    await assert.rejects(
      vm.createSession("pi"),
      /agent "pi" is not installed in this VM.*installed: fake/,
    );
    assert.throws(() => vm.closeSession("nope"), /closeSession: no session "nope"/);
    const agents = vm.listAgents();
    assert.deepEqual(
      agents.map((a) => [a.id, a.installed]),
      [
        ["pi", false],
        ["pi-cli", false],
        ["claude", false],
        ["codex", false],
        ["opencode", false],
        ["fake", true],
      ],
    );
  });
});

describe("session permissions, failures and lifecycle", () => {
  test("policy reject answers at once; ask with no handler is rejected after the timeout", async () => {
    const write = { toolCalls: [{ name: "write_file", input: { path: "/tmp/x", content: "x" } }] };
    for (const agentPermissions of [
      { mode: "reject" as const },
      { mode: "ask" as const, timeoutMs: 200 },
    ]) {
      const { vm, llm, env } = await setup([write, { text: "ok" }], { agentPermissions });
      try {
        const { sessionId } = await vm.createSession("fake", { env });
        const result = await vm.prompt(sessionId, "write");
        assert.equal(result.text, "ok");
        const tool = (
          (llm.requests[1]?.body.messages ?? []) as Array<{ role: string; content: string }>
        ).find((m) => m.role === "tool");
        assert.equal(tool?.content, "permission denied (deny)");
        assert.equal(await vm.exists("/tmp/x"), false);
        const decision = vm
          .getSessionEvents(sessionId)
          .find((e) => e.event.method === "_agentos/permission_response");
        assert.deepEqual(
          (decision?.event.params as { by: string } | undefined)?.by,
          agentPermissions.mode === "reject" ? "policy" : "timeout",
        );
      } finally {
        await vm.dispose();
        await llm.close();
      }
    }
  });

  test("cancellation mid-turn ends the prompt with stopReason cancelled", async () => {
    const { vm, llm, env } = await setup([{ text: Array(50).fill("x"), chunkDelayMs: 40 }]);
    try {
      const { sessionId } = await vm.createSession("fake", { env });
      let cancelled = false;
      vm.onSessionEvent(sessionId, (e) => {
        if (e.event.method === "session/update" && !cancelled) {
          cancelled = true;
          void vm.cancelSession(sessionId);
        }
      });
      const result = await vm.prompt(sessionId, "long answer");
      assert.deepEqual(result.response.result, { stopReason: "cancelled" });
      assert.ok(result.text.length < 50, "the turn stopped early");
      assert.equal(vm.listSessions()[0]?.state, "ready");
    } finally {
      await vm.dispose();
      await llm.close();
    }
  });

  test("a crashing adapter fails the prompt and records an error event", async () => {
    const { vm, llm, env } = await setup([{ toolCalls: [{ name: "crash", input: { code: 3 } }] }]);
    try {
      const { sessionId } = await vm.createSession("fake", { env });
      await assert.rejects(
        vm.prompt(sessionId, "crash"),
        /exited with status 3: fake agent: crashing on purpose/,
      );
      const methods = vm.getSessionEvents(sessionId).map((e) => e.event.method);
      assert.ok(methods.includes("_agentos/exit"));
      assert.ok(methods.includes("_agentos/error"));
      assert.equal(vm.listSessions()[0]?.state, "failed");
      await assert.rejects(vm.prompt(sessionId, "again"), /session fake-1 is failed/);
    } finally {
      await vm.dispose();
      await llm.close();
    }
  });

  test("an adapter that never answers initialize times out instead of hanging", async () => {
    // A second agent package, made on the host, whose adapter reads stdin and never answers.
    const dir = mkdtempSync(join(tmpdir(), "agentos-silent-agent-"));
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name: "silent-agent", version: "1.0.0", bin: { silent: "silent.js" } }),
    );
    writeFileSync(join(dir, "silent.js"), "process.stdin.resume();\n");
    const silent = defineSoftware({
      name: "silent",
      type: "agent",
      packageDir: dir,
      requires: ["silent-agent"],
      agent: { id: "silent", acpAdapter: "silent-agent", agentPackage: "silent-agent" },
    });
    const vm = await AgentOs.create({ software: [silent] });
    try {
      await assert.rejects(
        vm.createSession("silent", { requestTimeoutMs: 300 }),
        /did not answer initialize within 300 ms/,
      );
      assert.deepEqual(vm.listSessions(), []);
    } finally {
      await vm.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("two sessions in one VM; dispose closes both", async () => {
    const { vm, llm, env } = await setup([{ text: "first" }, { text: "second" }]);
    try {
      const a = await vm.createSession("fake", { env });
      const b = await vm.createSession("fake", { env });
      assert.notEqual(a.sessionId, b.sessionId);
      const [ra, rb] = await Promise.all([
        vm.prompt(a.sessionId, "1"),
        vm.prompt(b.sessionId, "2"),
      ]);
      assert.deepEqual([ra.text, rb.text].sort(), ["first", "second"]);
      const pids = vm.listSessions().map((s) => s.pid);
      assert.equal(new Set(pids).size, 2);
      await vm.dispose();
      assert.throws(() => vm.listSessions(), /disposed/);
    } finally {
      await vm.dispose();
      await llm.close();
    }
  });
});
