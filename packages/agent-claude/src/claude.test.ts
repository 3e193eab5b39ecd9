/**
 * Claude Code (claude-agent-acp driving the Claude Agent SDK, which spawns Claude Code's CLI)
 * inside a VM, end to end through the public API, with a scripted LLM server on the host's
 * loopback standing in for the Anthropic API. Claude Code's tools run in the VM: Write and
 * Edit change the VM's files, Bash runs the VM's bash on the VM's kernel, Grep runs the VM's
 * rg, and a host tool is reached as an `agentos-<kit>` command. The session runs in the default permission mode, so
 * writes ask the host, which answers through `onPermissionRequest` + `respondPermission`.
 *
 * The script has one turn per model step: Claude Code 2.1.83 under the SDK sends one streamed
 * `POST /v1/messages` per step and no side requests (no title generation or quota probe; the
 * package sets CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 so telemetry stays off too).
 * `count_tokens`, which it may call, is answered by the server without using a turn.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AgentOs, type PermissionRequest } from "@agentos/core";
import { sessionUpdates, trackerToolKit } from "../../core/src/acp/testing/agent-fixtures.ts";
import {
  type RecordedRequest,
  type ScriptedLlmServer,
  type ScriptedTurn,
  startScriptedLlmServer,
} from "../../core/src/acp/testing/llm-server.ts";
import { claude } from "./index.ts";

const PROJECT = "/home/user/proj";

interface ContentBlock {
  type: string;
  text?: string;
  tool_use_id?: string;
  content?: string | Array<{ type: string; text?: string }>;
  is_error?: boolean;
}

interface AnthropicMessage {
  role: string;
  content: string | ContentBlock[];
}

/** The tool_result block answering `toolUseId` in an Anthropic messages request. */
function toolResult(request: RecordedRequest, toolUseId: string): ContentBlock {
  for (const message of request.body.messages as AnthropicMessage[]) {
    if (typeof message.content === "string") continue;
    const block = message.content.find(
      (b) => b.type === "tool_result" && b.tool_use_id === toolUseId,
    );
    if (block) return block;
  }
  assert.fail(`no tool result for ${toolUseId}`);
}

function resultText(block: ContentBlock): string {
  const content = block.content;
  if (typeof content === "string") return content;
  return (content ?? []).map((part) => part.text ?? "").join("");
}

/** The system prompt of a request, its text blocks joined. */
function systemText(request: RecordedRequest): string {
  const system = request.body.system as string | Array<{ text?: string }> | undefined;
  if (typeof system === "string") return system;
  return (system ?? []).map((block) => block.text ?? "").join("\n");
}

const { kit: tracker, tickets } = trackerToolKit();

const script: ScriptedTurn[] = [
  // 1. a turn with every kind of tool call
  {
    expect: (request) => {
      assert.match(systemText(request), /inside agentOS/);
      assert.match(systemText(request), /SESSION NOTE/);
      assert.match(JSON.stringify(request.body.messages), /set up the project/);
    },
    toolCalls: [
      {
        id: "w1",
        name: "Write",
        input: { file_path: `${PROJECT}/notes.txt`, content: "alpha\nbeta\n" },
      },
    ],
  },
  {
    expect: (request) => assert.match(resultText(toolResult(request, "w1")), /notes\.txt/),
    toolCalls: [
      {
        id: "b1",
        name: "Bash",
        input: {
          command: `cd ${PROJECT} && wc -l < notes.txt && tr a-z A-Z < notes.txt > upper.txt && echo "pid $$"`,
          description: "Count lines and make an upper-case copy",
        },
      },
    ],
  },
  {
    expect: (request) => assert.match(resultText(toolResult(request, "b1")), /^2\npid \d+$/),
    toolCalls: [
      {
        id: "e1",
        name: "Edit",
        input: { file_path: `${PROJECT}/notes.txt`, old_string: "beta", new_string: "gamma" },
      },
    ],
  },
  {
    expect: (request) => assert.match(resultText(toolResult(request, "e1")), /notes\.txt/),
    // Claude Code's Grep runs ripgrep: the VM's own rg, found on PATH (USE_BUILTIN_RIPGREP=0).
    toolCalls: [{ id: "g1", name: "Grep", input: { pattern: "gam+a", path: PROJECT } }],
  },
  {
    expect: (request) => {
      const found = resultText(toolResult(request, "g1"));
      assert.match(found, /notes\.txt/);
      assert.doesNotMatch(found, /upper\.txt/);
    },
    toolCalls: [
      {
        id: "h1",
        name: "Bash",
        input: {
          command: "agentos-tracker createTicket --title 'Ship claude' --priority high",
          description: "Open a ticket",
        },
      },
    ],
  },
  {
    expect: (request) => {
      const result = JSON.parse(resultText(toolResult(request, "h1"))) as unknown;
      assert.deepEqual(result, { id: "T-1", title: "Ship claude", priority: "high" });
    },
    text: ["All ", "done."],
  },
  // 2. a write the host rejects
  {
    toolCalls: [
      { id: "w2", name: "Write", input: { file_path: `${PROJECT}/secret.txt`, content: "no\n" } },
    ],
  },
  {
    expect: (request) => {
      const block = toolResult(request, "w2");
      assert.equal(block.is_error, true);
      assert.doesNotMatch(resultText(block), /created successfully/);
    },
    text: "Understood, I will not write it.",
  },
  // 3. cancellation: a slow answer, cancelled after its first chunk
  { text: ["one ", "two ", "three ", "four ", "five ", "six"], chunkDelayMs: 400 },
  // 4. the adapter dies while a permission request is pending
  {
    toolCalls: [
      { id: "w4", name: "Write", input: { file_path: `${PROJECT}/never.txt`, content: "x\n" } },
    ],
  },
];

/** VM processes whose command line runs Claude Code's CLI. */
function cliProcesses(vm: AgentOs): number[] {
  return vm
    .allProcesses()
    .filter((p) => p.status !== "exited" && p.args.some((a) => a.endsWith("/cli.js")))
    .map((p) => p.pid);
}

describe("Claude Code inside the VM (claude-agent-acp, scripted model)", () => {
  let vm: AgentOs;
  let llm: ScriptedLlmServer;
  let env: Record<string, string>;
  before(async () => {
    llm = await startScriptedLlmServer(script);
    vm = await AgentOs.create({
      software: [claude],
      toolKits: [tracker],
      loopbackExemptPorts: [llm.port],
    });
    await vm.mkdir(PROJECT, { recursive: true });
    env = {
      ANTHROPIC_BASE_URL: llm.url,
      ANTHROPIC_API_KEY: "sk-ant-test",
      // A failed expectation answers 500: fail the turn at once instead of retrying it with
      // the script's next turns.
      CLAUDE_CODE_MAX_RETRIES: "0",
    };
  });
  after(async () => {
    await vm?.dispose();
    await llm?.close();
  });

  test("a turn that writes, runs bash, edits and calls a host tool, asking permission", async () => {
    const { sessionId } = await vm.createSession("claude", {
      cwd: PROJECT,
      env,
      additionalInstructions: "SESSION NOTE",
    });
    const session = vm.listSessions().find((s) => s.sessionId === sessionId);
    assert.equal(session?.state, "ready");
    assert.equal(vm.listAgents().find((a) => a.id === "claude")?.installed, true);
    assert.equal(vm.getSessionModes(sessionId)?.currentModeId, "default");

    const asked: PermissionRequest[] = [];
    const stopAllowing = vm.onPermissionRequest(sessionId, (request) => {
      asked.push(request);
      void vm.respondPermission(sessionId, request.permissionId, "once");
    });
    const result = await vm.prompt(sessionId, "set up the project");
    assert.deepEqual(
      llm.requests.filter((r) => r.error).map((r) => r.error),
      [],
    );
    assert.equal(result.text, "All done.");
    assert.deepEqual(
      (result.response.result as { stopReason: string } | undefined)?.stopReason,
      "end_turn",
    );

    const read = async (path: string) => new TextDecoder().decode(await vm.readFile(path));
    assert.equal(await read(`${PROJECT}/notes.txt`), "alpha\ngamma\n");
    assert.equal(await read(`${PROJECT}/upper.txt`), "ALPHA\nBETA\n");
    assert.deepEqual(tickets, [{ title: "Ship claude", priority: "high" }]);

    // The writes asked; the host's answers reached Claude Code (the tools then ran).
    const askedIds = asked.map((r) => r.toolCall.toolCallId);
    assert.ok(askedIds.includes("w1"), `Write asked permission (asked: ${askedIds.join(", ")})`);
    assert.ok(askedIds.includes("e1"), `Edit asked permission (asked: ${askedIds.join(", ")})`);
    const events = vm.getSessionEvents(sessionId);
    const methods = events.map((e) => e.event.method);
    assert.ok(methods.includes("_agentos/permission_request"));
    assert.ok(methods.includes("_agentos/permission_response"));

    // Every tool call is reported and completes.
    const completed = sessionUpdates(events)
      .filter((u) => u.sessionUpdate === "tool_call_update" && u.status === "completed")
      .map((u) => u.toolCallId);
    for (const id of ["w1", "b1", "e1", "g1", "h1"])
      assert.ok(completed.includes(id), `${id} completed`);
    // The turn's usage reaches the transcript (context used, window size, cost).
    const usage = sessionUpdates(events).find((u) => u.sessionUpdate === "usage_update");
    assert.equal(typeof usage?.used, "number");

    // 2. The host rejects a write: Claude Code is told, nothing is written.
    stopAllowing();
    asked.length = 0;
    vm.onPermissionRequest(sessionId, (request) => {
      asked.push(request);
      void vm.respondPermission(sessionId, request.permissionId, "reject");
    });
    const rejected = await vm.prompt(sessionId, "write a secret");
    assert.equal(rejected.text, "Understood, I will not write it.");
    assert.deepEqual(
      asked.map((r) => r.toolCall.toolCallId),
      ["w2"],
    );
    assert.equal(await vm.exists(`${PROJECT}/secret.txt`), false);
    assert.equal(llm.remaining, 2, "the first two prompts used their scripted turns, no more");
    await vm.destroySession(sessionId);
    assert.deepEqual(vm.listSessions(), []);
  });

  test("cancellation mid-turn ends the prompt with stopReason cancelled", async () => {
    const { sessionId } = await vm.createSession("claude", { cwd: PROJECT, env });
    let cancelled = false;
    vm.onSessionEvent(sessionId, (e) => {
      const update = (e.event.params as { update?: { sessionUpdate?: string } } | undefined)
        ?.update;
      if (!cancelled && update?.sessionUpdate === "agent_message_chunk") {
        cancelled = true;
        void vm.cancelSession(sessionId);
      }
    });
    const result = await vm.prompt(sessionId, "count slowly");
    assert.deepEqual(
      (result.response.result as { stopReason: string } | undefined)?.stopReason,
      "cancelled",
    );
    assert.ok(!result.text.includes("six"), `the turn stopped early: ${result.text}`);
    assert.equal(vm.listSessions().find((s) => s.sessionId === sessionId)?.state, "ready");
    await vm.destroySession(sessionId);
  });

  test("an adapter that dies mid-turn fails the prompt, and its CLI does not outlive it", async () => {
    const { sessionId } = await vm.createSession("claude", { cwd: PROJECT, env });
    const adapterPid = vm.listSessions().find((s) => s.sessionId === sessionId)?.pid ?? -1;
    assert.ok(cliProcesses(vm).length > 0, "Claude Code's CLI runs beside the adapter");
    vm.onPermissionRequest(sessionId, () => vm.killProcess(adapterPid));
    await assert.rejects(vm.prompt(sessionId, "write something"), /adapter exited with status 137/);
    const methods = vm.getSessionEvents(sessionId).map((e) => e.event.method);
    assert.ok(methods.includes("_agentos/exit"));
    assert.ok(methods.includes("_agentos/error"));
    assert.equal(vm.listSessions().find((s) => s.sessionId === sessionId)?.state, "failed");
    await assert.rejects(vm.prompt(sessionId, "again"), /is failed/);
    assert.equal(await vm.exists(`${PROJECT}/never.txt`), false);
    // The CLI sees its stdin end and exits, as it would under a real OS.
    for (let i = 0; i < 200 && cliProcesses(vm).length > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(cliProcesses(vm), []);
  });
});
