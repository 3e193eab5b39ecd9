/**
 * The real Pi coding agent (pi-acp driving `pi --mode rpc`) inside a VM, end to end through
 * the public API, with a scripted LLM server on the host's loopback standing in for the model.
 * Pi's tools run in the VM: its write and edit tools change the VM's files, its bash tool runs
 * the VM's bash on the VM's kernel, and a host tool is reached as an `agentos-<kit>` command.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AgentOs, type CronEvent } from "@agentos/core";
import { sessionUpdates, trackerToolKit } from "../../core/src/acp/testing/agent-fixtures.ts";
import {
  type RecordedRequest,
  type ScriptedLlmServer,
  type ScriptedTurn,
  startScriptedLlmServer,
} from "../../core/src/acp/testing/llm-server.ts";
import { pi } from "./index.ts";
import { scriptedModelFiles } from "./scripted-model.ts";

const PROJECT = "/home/user/proj";

interface ChatMessage {
  role: string;
  content: unknown;
  tool_call_id?: string;
}

/** The text of the tool result answering `callId` in an OpenAI chat request. */
function toolResult(request: RecordedRequest, callId: string): string {
  const messages = request.body.messages as ChatMessage[];
  const message = messages.find((m) => m.role === "tool" && m.tool_call_id === callId);
  assert.ok(message, `no tool result for ${callId}`);
  const content = message.content;
  if (typeof content === "string") return content;
  return (content as Array<{ text?: string }>).map((part) => part.text ?? "").join("");
}

const { kit: tracker, tickets } = trackerToolKit();

const script: ScriptedTurn[] = [
  // 1. a turn with every kind of tool call
  {
    expect: (request) => {
      const messages = request.body.messages as ChatMessage[];
      assert.equal(messages[0]?.role, "system");
      // agentOS's OS instructions reach Pi's system prompt (through the launcher).
      assert.match(JSON.stringify(messages[0]?.content), /inside agentOS/);
      assert.match(JSON.stringify(messages.at(-1)?.content), /set up the project/);
    },
    toolCalls: [
      {
        id: "w1",
        name: "write",
        input: { path: `${PROJECT}/notes.txt`, content: "alpha\nbeta\n" },
      },
    ],
  },
  {
    expect: (request) => assert.match(toolResult(request, "w1"), /notes\.txt/),
    toolCalls: [
      {
        id: "b1",
        name: "bash",
        input: {
          command: `cd ${PROJECT} && wc -l < notes.txt && tr a-z A-Z < notes.txt > upper.txt && echo "pid $$"`,
        },
      },
    ],
  },
  {
    expect: (request) => assert.match(toolResult(request, "b1"), /^2\npid \d+/),
    toolCalls: [
      {
        id: "e1",
        name: "edit",
        input: { path: `${PROJECT}/notes.txt`, edits: [{ oldText: "beta", newText: "gamma" }] },
      },
    ],
  },
  {
    expect: (request) => assert.match(toolResult(request, "e1"), /notes\.txt/),
    toolCalls: [
      {
        id: "h1",
        name: "bash",
        input: { command: "agentos-tracker createTicket --title 'Ship pi' --priority high" },
      },
    ],
  },
  {
    expect: (request) => {
      const result = JSON.parse(toolResult(request, "h1")) as unknown;
      assert.deepEqual(result, { id: "T-1", title: "Ship pi", priority: "high" });
    },
    text: ["All ", "done."],
  },
  // 2. cancellation: a slow answer, cancelled after its first chunk
  { text: ["one ", "two ", "three ", "four ", "five ", "six"], chunkDelayMs: 400 },
  // 3. after the cancel, the same session still answers
  { text: "still here" },
  // 4. two sessions in one VM
  { text: "from the second session" },
  { text: "from the first session" },
  // 6. the turn of a session a cron job starts
  {
    expect: (request) => {
      assert.match(JSON.stringify(request.body.messages), /cron check-in/);
    },
    text: "checked in",
  },
];

describe("the Pi coding agent in a VM", { timeout: 300_000 }, () => {
  let vm: AgentOs;
  let llm: ScriptedLlmServer;
  let first: string;
  const readText = async (path: string) => new TextDecoder().decode(await vm.readFile(path));

  before(async () => {
    llm = await startScriptedLlmServer(script);
    vm = await AgentOs.create({
      software: [pi],
      loopbackExemptPorts: [llm.port],
      toolKits: [tracker],
    });
    await vm.writeFiles(scriptedModelFiles(llm.url, "scripted-key"));
    await vm.mkdir(PROJECT, { recursive: true });
  });

  after(async () => {
    await vm?.dispose();
    await llm?.close();
  });

  test("listAgents reports pi as installed", () => {
    const agent = vm.listAgents().find((a) => a.id === "pi");
    assert.equal(agent?.installed, true);
  });

  test("a turn that writes, runs bash, edits, calls a host tool and ends", async () => {
    ({ sessionId: first } = await vm.createSession("pi", { cwd: PROJECT }));
    const result = await vm.prompt(first, "set up the project");
    assert.deepEqual(result.response.result, { stopReason: "end_turn" });
    assert.match(result.text, /All done\.$/);
    assert.equal(llm.requests.length, 5);
    assert.deepEqual(
      llm.requests.map((r) => r.error),
      [undefined, undefined, undefined, undefined, undefined],
    );

    // The files are the VM's: written, changed by the shell, edited.
    assert.equal(await readText(`${PROJECT}/notes.txt`), "alpha\ngamma\n");
    assert.equal(await readText(`${PROJECT}/upper.txt`), "ALPHA\nBETA\n");
    assert.deepEqual(tickets, [{ title: "Ship pi", priority: "high" }]);

    // Every tool call was reported over ACP and finished.
    const calls = new Map<string, string>();
    for (const update of sessionUpdates(vm.getSessionEvents(first))) {
      if (update.sessionUpdate === "tool_call" || update.sessionUpdate === "tool_call_update") {
        const status = update.status as string | undefined;
        if (status) calls.set(update.toolCallId as string, status);
      }
    }
    assert.deepEqual([...calls.entries()].sort(), [
      ["b1", "completed"],
      ["e1", "completed"],
      ["h1", "completed"],
      ["w1", "completed"],
    ]);
  });

  test("cancelSession ends a streaming turn with stopReason cancelled", async () => {
    let cancelled = false;
    const off = vm.onSessionEvent(first, (e) => {
      const update = (e.event.params as { update?: { sessionUpdate?: string } }).update;
      if (!cancelled && update?.sessionUpdate === "agent_message_chunk") {
        cancelled = true;
        void vm.cancelSession(first);
      }
    });
    const before = llm.requests.length;
    const result = await vm.prompt(first, "count slowly");
    off();
    assert.equal(cancelled, true);
    assert.deepEqual(result.response.result, { stopReason: "cancelled" });
    assert.ok(!result.text.includes("six"), `the whole answer arrived: ${result.text}`);
    assert.equal(llm.requests.length, before + 1);

    const again = await vm.prompt(first, "are you there?");
    assert.deepEqual(again.response.result, { stopReason: "end_turn" });
    assert.match(again.text, /still here$/);
  });

  test("two Pi sessions live side by side in one VM", async () => {
    const { sessionId: second } = await vm.createSession("pi", { cwd: PROJECT });
    const live = vm.listSessions().filter((s) => s.state === "ready");
    assert.deepEqual(live.map((s) => s.sessionId).sort(), [first, second].sort());
    assert.notEqual(live[0]?.pid, live[1]?.pid);

    const b = await vm.prompt(second, "hello from two");
    assert.match(b.text, /from the second session$/);
    const a = await vm.prompt(first, "hello from one");
    assert.match(a.text, /from the first session$/);
    // Each transcript holds only its own session's turns.
    const secondText = JSON.stringify(vm.getSessionEvents(second));
    assert.ok(!secondText.includes("from the first session"));
    assert.equal(llm.remaining, 1); // the cron test's turn
    await vm.destroySession(second);
  });

  test("a cron job starts a Pi session that runs its prompt", async () => {
    const events: CronEvent[] = [];
    const settled = new Promise<void>((resolve) => {
      vm.onCronEvent((event) => {
        events.push(event);
        if (event.type !== "cron:fire") resolve();
      });
    });
    const sessionsBefore = vm.listSessions().length;
    vm.scheduleCron({
      id: "pi-check-in",
      schedule: new Date(Date.now() + 300).toISOString(),
      action: {
        type: "session",
        agentType: "pi",
        prompt: "cron check-in",
        options: { cwd: PROJECT },
      },
    });
    await settled;
    assert.deepEqual(
      events.map((e) => e.type),
      ["cron:fire", "cron:complete"],
      JSON.stringify(events),
    );
    assert.equal(llm.remaining, 0);
    assert.equal(llm.requests.at(-1)?.error, undefined);
    // The job's session was destroyed after its turn.
    assert.equal(vm.listSessions().filter((s) => s.state !== "closed").length, sessionsBefore);
  });
});
