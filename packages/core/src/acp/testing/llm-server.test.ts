import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { startScriptedLlmServer } from "./llm-server.ts";

/** The data payloads of an SSE body, JSON-parsed where they are JSON. */
async function sseEvents(res: Response): Promise<Array<{ event?: string; data: unknown }>> {
  const text = await res.text();
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      let event: string | undefined;
      let data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) event = line.slice(7);
        if (line.startsWith("data: ")) data += line.slice(6);
      }
      return { event, data: data === "[DONE]" ? data : JSON.parse(data) };
    });
}

const post = (url: string, body: unknown) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("scripted LLM server", () => {
  test("OpenAI chat completions: streamed text, then tool calls, turns in order", async () => {
    const server = await startScriptedLlmServer([
      { text: ["Hel", "lo"] },
      { toolCalls: [{ name: "write_file", input: { path: "/a", content: "x" } }] },
    ]);
    try {
      const first = await post(`${server.url}/v1/chat/completions`, {
        model: "m1",
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: "user", content: "hi" }],
      });
      assert.equal(first.headers.get("content-type"), "text/event-stream");
      const events = (await sseEvents(first)).map((e) => e.data) as Array<
        Record<string, unknown> | string
      >;
      assert.equal(events.at(-1), "[DONE]");
      const chunks = events.filter((e) => typeof e === "object") as Array<{
        model: string;
        choices: Array<{ delta: { content?: string }; finish_reason: string | null }>;
        usage?: unknown;
      }>;
      assert.equal(chunks.map((c) => c.choices[0]?.delta.content ?? "").join(""), "Hello");
      assert.equal(
        chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0]?.finish_reason,
        "stop",
      );
      assert.ok(chunks.at(-1)?.usage, "usage chunk when include_usage");
      assert.equal(chunks[0]?.model, "m1");

      const second = await post(`${server.url}/v1/chat/completions`, {
        model: "m1",
        stream: true,
        messages: [{ role: "user", content: "write" }],
      });
      const deltas = (await sseEvents(second))
        .map((e) => e.data)
        .filter((d) => typeof d === "object") as Array<{
        choices: Array<{
          delta: {
            tool_calls?: Array<{ id?: string; function: { name?: string; arguments: string } }>;
          };
          finish_reason: string | null;
        }>;
      }>;
      const parts = deltas.flatMap((d) => d.choices[0]?.delta.tool_calls ?? []);
      assert.equal(parts[0]?.function.name, "write_file");
      assert.match(parts[0]?.id ?? "", /^call_/);
      assert.deepEqual(JSON.parse(parts.map((p) => p.function.arguments).join("")), {
        path: "/a",
        content: "x",
      });
      assert.equal(deltas.at(-1)?.choices[0]?.finish_reason, "tool_calls");
      assert.equal(server.requests.length, 2);
      assert.deepEqual(server.requests[1]?.body.messages, [{ role: "user", content: "write" }]);
      assert.equal(server.remaining, 0);

      const third = await post(`${server.url}/v1/chat/completions`, { messages: [] });
      assert.equal(third.status, 500);
      assert.match(
        ((await third.json()) as { error: { message: string } }).error.message,
        /script exhausted/,
      );
    } finally {
      await server.close();
    }
  });

  test("OpenAI without stream: one completion object", async () => {
    const server = await startScriptedLlmServer([
      { text: "done", toolCalls: [{ id: "c1", name: "run", input: { command: "ls" } }] },
    ]);
    try {
      const res = await post(`${server.url}/v1/chat/completions`, { model: "m", messages: [] });
      const body = (await res.json()) as {
        choices: Array<{
          message: { content: string; tool_calls: unknown[] };
          finish_reason: string;
        }>;
      };
      assert.equal(body.choices[0]?.message.content, "done");
      assert.deepEqual(body.choices[0]?.message.tool_calls, [
        { id: "c1", type: "function", function: { name: "run", arguments: '{"command":"ls"}' } },
      ]);
      assert.equal(body.choices[0]?.finish_reason, "tool_calls");
    } finally {
      await server.close();
    }
  });

  test("Anthropic messages: event sequence with text and tool_use blocks", async () => {
    const server = await startScriptedLlmServer([
      {
        text: ["a", "b"],
        toolCalls: [{ name: "edit", input: { file: "x" } }],
        expect: (r) => assert.equal(r.body.system, "be brief"),
      },
      { text: "end" },
    ]);
    try {
      const res = await post(`${server.url}/v1/messages`, {
        model: "claude-x",
        system: "be brief",
        stream: true,
        messages: [{ role: "user", content: "go" }],
      });
      const events = await sseEvents(res);
      assert.deepEqual(
        events.map((e) => e.event),
        [
          "message_start",
          "content_block_start",
          "content_block_delta",
          "content_block_delta",
          "content_block_stop",
          "content_block_start",
          "content_block_delta",
          "content_block_delta",
          "content_block_stop",
          "message_delta",
          "message_stop",
        ],
      );
      // biome-ignore lint/suspicious/noExplicitAny: SSE payloads are checked field by field below.
      const data = events.map((e) => e.data) as Array<Record<string, any>>;
      assert.equal(data[2]?.delta.text + data[3]?.delta.text, "ab");
      assert.equal(data[5]?.content_block.name, "edit");
      assert.deepEqual(JSON.parse(data[6]?.delta.partial_json + data[7]?.delta.partial_json), {
        file: "x",
      });
      assert.equal(data[9]?.delta.stop_reason, "tool_use");

      // Usage carries the cache counters the real API reports.
      assert.deepEqual(Object.keys(data[0]?.message.usage).sort(), [
        "cache_creation_input_tokens",
        "cache_read_input_tokens",
        "input_tokens",
        "output_tokens",
      ]);

      const plain = await post(`${server.url}/v1/messages`, { model: "m", messages: [] });
      const message = (await plain.json()) as {
        content: unknown[];
        stop_reason: string;
        usage: Record<string, number>;
      };
      assert.deepEqual(message.content, [{ type: "text", text: "end" }]);
      assert.equal(message.stop_reason, "end_turn");
      assert.equal(message.usage.cache_read_input_tokens, 0);
    } finally {
      await server.close();
    }
  });

  test("Anthropic count_tokens: an estimate that consumes no turn", async () => {
    const server = await startScriptedLlmServer([{ text: "only turn" }]);
    try {
      const body = { model: "m", messages: [{ role: "user", content: "x".repeat(400) }] };
      const res = await post(`${server.url}/v1/messages/count_tokens?beta=true`, body);
      assert.equal(res.status, 200);
      const counted = (await res.json()) as { input_tokens: number };
      assert.ok(counted.input_tokens >= 100, `estimate ${counted.input_tokens}`);
      assert.equal(server.remaining, 1);
      assert.equal(server.requests.length, 0);
      const bad = await fetch(`${server.url}/v1/messages/count_tokens`, {
        method: "POST",
        body: "{nope",
      });
      assert.equal(bad.status, 400);
    } finally {
      await server.close();
    }
  });

  test("a failed expectation answers 500 and is recorded", async () => {
    const server = await startScriptedLlmServer([
      {
        text: "x",
        expect: () => {
          throw new Error("wrong prompt");
        },
      },
    ]);
    try {
      const res = await post(`${server.url}/v1/messages`, { messages: [] });
      assert.equal(res.status, 500);
      assert.equal(server.requests[0]?.error, "turn 0: wrong prompt");
    } finally {
      await server.close();
    }
  });
});
