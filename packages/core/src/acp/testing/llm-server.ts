/**
 * A scripted LLM server for tests: an HTTP server on 127.0.0.1 speaking the OpenAI
 * chat-completions API (`POST /v1/chat/completions`) and the Anthropic messages API
 * (`POST /v1/messages`), streamed as SSE when the request asks for it. Each request consumes
 * the next turn of the script, in order, so an agent under test gets the same answers every
 * run; every request is recorded so tests can assert on prompts and tool results. Token counting
 * (`POST /v1/messages/count_tokens`, which Claude Code calls on the side) is answered with an
 * estimate and consumes no turn.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ScriptedToolCall {
  /** Defaults to `call_<n>` (OpenAI) / `toolu_<n>` (Anthropic). */
  id?: string;
  name: string;
  input: Record<string, unknown>;
}

export interface ScriptedTurn {
  /** Text the model answers, streamed chunk by chunk (a string is one chunk). */
  text?: string | string[];
  toolCalls?: ScriptedToolCall[];
  /** Checks the request this turn answers; a throw becomes an HTTP 500 naming the problem. */
  expect?: (request: RecordedRequest) => void;
  /** Milliseconds to wait between streamed chunks (to test cancellation mid-turn). */
  chunkDelayMs?: number;
}

export interface RecordedRequest {
  api: "openai" | "anthropic";
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body. */
  body: Record<string, unknown>;
  /** Which script turn answered it (-1 when none could). */
  turn: number;
  /** Set when the request failed a turn's `expect` or the script had run out. */
  error?: string;
}

export interface ScriptedLlmServer {
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  requests: RecordedRequest[];
  /** Turns not consumed yet. */
  readonly remaining: number;
  close(): Promise<void>;
}

/** Starts the server on an ephemeral loopback port. */
export async function startScriptedLlmServer(
  script: readonly ScriptedTurn[],
): Promise<ScriptedLlmServer> {
  const requests: RecordedRequest[] = [];
  let next = 0;
  let callCounter = 0;
  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(err) } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (req.method === "POST" && path.endsWith("/messages/count_tokens")) {
      const raw = await readBody(req);
      try {
        sendJson(res, 200, { input_tokens: estimateTokens(JSON.parse(raw)) });
      } catch {
        sendJson(res, 400, { error: { message: "request body is not JSON" } });
      }
      return;
    }
    const api = path.endsWith("/chat/completions")
      ? "openai"
      : path.endsWith("/messages")
        ? "anthropic"
        : undefined;
    if (req.method !== "POST" || api === undefined) {
      sendJson(res, 404, { error: { message: `no route for ${req.method} ${path}` } });
      return;
    }
    const raw = await readBody(req);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      sendJson(res, 400, { error: { message: "request body is not JSON" } });
      return;
    }
    const recorded: RecordedRequest = { api, path, headers: req.headers, body, turn: -1 };
    requests.push(recorded);
    const turn = script[next];
    if (turn === undefined) {
      recorded.error = `script exhausted: no turn for request ${requests.length}`;
      sendJson(res, 500, { error: { type: "script_exhausted", message: recorded.error } });
      return;
    }
    recorded.turn = next++;
    try {
      turn.expect?.(recorded);
    } catch (err) {
      recorded.error = `turn ${recorded.turn}: ${(err as Error).message}`;
      sendJson(res, 500, { error: { type: "expectation_failed", message: recorded.error } });
      return;
    }
    const calls = (turn.toolCalls ?? []).map((call) => ({
      ...call,
      id: call.id ?? `${api === "openai" ? "call" : "toolu"}_${++callCounter}`,
    }));
    const chunks = typeof turn.text === "string" ? [turn.text] : (turn.text ?? []);
    const model = typeof body.model === "string" ? body.model : "scripted-model";
    const answer = { chunks, calls, model, delay: turn.chunkDelayMs ?? 0 };
    if (api === "openai") {
      if (body.stream === true) await streamOpenAi(res, answer, body);
      else sendJson(res, 200, openAiCompletion(answer));
    } else if (body.stream === true) await streamAnthropic(res, answer);
    else sendJson(res, 200, anthropicMessage(answer));
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    get remaining() {
      return script.length - next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Answer {
  chunks: string[];
  calls: Array<Required<ScriptedToolCall>>;
  model: string;
  delay: number;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

function openSse(res: ServerResponse): void {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
}

/** Writes one SSE event; resolves false once the client has gone (cancelled). */
async function sse(
  res: ServerResponse,
  data: unknown,
  delay: number,
  event?: string,
): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return false;
  if (delay > 0) await new Promise((r) => setTimeout(r, delay));
  if (res.destroyed) return false;
  const payload = typeof data === "string" ? data : JSON.stringify(data);
  res.write(`${event === undefined ? "" : `event: ${event}\n`}data: ${payload}\n\n`);
  return true;
}

function usage(answer: Answer): { input: number; output: number } {
  const output = answer.chunks.join("").length + JSON.stringify(answer.calls).length;
  return { input: 10, output: Math.max(1, Math.ceil(output / 4)) };
}

function openAiCompletion(answer: Answer): unknown {
  const u = usage(answer);
  return {
    id: "chatcmpl-scripted",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: answer.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: answer.chunks.length > 0 ? answer.chunks.join("") : null,
          ...(answer.calls.length > 0
            ? {
                tool_calls: answer.calls.map((c) => ({
                  id: c.id,
                  type: "function",
                  function: { name: c.name, arguments: JSON.stringify(c.input) },
                })),
              }
            : {}),
        },
        finish_reason: answer.calls.length > 0 ? "tool_calls" : "stop",
      },
    ],
    usage: {
      prompt_tokens: u.input,
      completion_tokens: u.output,
      total_tokens: u.input + u.output,
    },
  };
}

async function streamOpenAi(
  res: ServerResponse,
  answer: Answer,
  body: Record<string, unknown>,
): Promise<void> {
  openSse(res);
  const base = {
    id: "chatcmpl-scripted",
    object: "chat.completion.chunk",
    created: Math.floor(Date.now() / 1000),
    model: answer.model,
  };
  const chunk = (delta: unknown, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  if (!(await sse(res, chunk({ role: "assistant", content: "" }), 0))) return;
  for (const text of answer.chunks) {
    if (!(await sse(res, chunk({ content: text }), answer.delay))) return;
  }
  for (const [index, call] of answer.calls.entries()) {
    const args = JSON.stringify(call.input);
    // Arguments arrive in pieces, as real servers send them.
    const half = Math.ceil(args.length / 2);
    const first = {
      tool_calls: [
        {
          index,
          id: call.id,
          type: "function",
          function: { name: call.name, arguments: args.slice(0, half) },
        },
      ],
    };
    if (!(await sse(res, chunk(first), answer.delay))) return;
    const rest = { tool_calls: [{ index, function: { arguments: args.slice(half) } }] };
    if (!(await sse(res, chunk(rest), 0))) return;
  }
  const finish = answer.calls.length > 0 ? "tool_calls" : "stop";
  if (!(await sse(res, chunk({}, finish), answer.delay))) return;
  const options = body.stream_options as { include_usage?: boolean } | undefined;
  if (options?.include_usage) {
    const u = usage(answer);
    await sse(
      res,
      {
        ...base,
        choices: [],
        usage: {
          prompt_tokens: u.input,
          completion_tokens: u.output,
          total_tokens: u.input + u.output,
        },
      },
      0,
    );
  }
  await sse(res, "[DONE]", 0);
  res.end();
}

function anthropicMessage(answer: Answer): unknown {
  const u = usage(answer);
  const content: unknown[] = [];
  if (answer.chunks.length > 0) content.push({ type: "text", text: answer.chunks.join("") });
  for (const c of answer.calls)
    content.push({ type: "tool_use", id: c.id, name: c.name, input: c.input });
  return {
    id: "msg_scripted",
    type: "message",
    role: "assistant",
    model: answer.model,
    content,
    stop_reason: answer.calls.length > 0 ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: anthropicUsage(u.input, u.output),
  };
}

/**
 * Usage as the Anthropic API reports it, cache counters included (clients such as
 * claude-agent-acp add them up and would get NaN without them).
 */
function anthropicUsage(input: number, output: number): Record<string, number> {
  return {
    input_tokens: input,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: output,
  };
}

/** A rough token count (4 characters a token), for count_tokens. */
function estimateTokens(body: unknown): number {
  return Math.max(1, Math.ceil(JSON.stringify(body).length / 4));
}

async function streamAnthropic(res: ServerResponse, answer: Answer): Promise<void> {
  openSse(res);
  const u = usage(answer);
  const send = (type: string, data: Record<string, unknown>, delay = 0) =>
    sse(res, { type, ...data }, delay, type);
  const started = await send("message_start", {
    message: {
      id: "msg_scripted",
      type: "message",
      role: "assistant",
      model: answer.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: anthropicUsage(u.input, 1),
    },
  });
  if (!started) return;
  let index = 0;
  if (answer.chunks.length > 0) {
    if (!(await send("content_block_start", { index, content_block: { type: "text", text: "" } })))
      return;
    for (const text of answer.chunks) {
      const ok = await send(
        "content_block_delta",
        { index, delta: { type: "text_delta", text } },
        answer.delay,
      );
      if (!ok) return;
    }
    if (!(await send("content_block_stop", { index }))) return;
    index++;
  }
  for (const call of answer.calls) {
    const block = { type: "tool_use", id: call.id, name: call.name, input: {} };
    if (!(await send("content_block_start", { index, content_block: block }, answer.delay))) return;
    const args = JSON.stringify(call.input);
    const half = Math.ceil(args.length / 2);
    for (const partial of [args.slice(0, half), args.slice(half)]) {
      const ok = await send("content_block_delta", {
        index,
        delta: { type: "input_json_delta", partial_json: partial },
      });
      if (!ok) return;
    }
    if (!(await send("content_block_stop", { index }))) return;
    index++;
  }
  const stop = answer.calls.length > 0 ? "tool_use" : "end_turn";
  const delta = {
    delta: { stop_reason: stop, stop_sequence: null },
    usage: { output_tokens: u.output },
  };
  if (!(await send("message_delta", delta, answer.delay))) return;
  await send("message_stop", {});
  res.end();
}
