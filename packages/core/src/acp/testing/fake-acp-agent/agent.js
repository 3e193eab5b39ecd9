#!/usr/bin/env node
// A small ACP agent for tests (runs inside the VM with no npm dependencies): newline-delimited
// JSON-RPC on stdin/stdout. A prompt is sent to an OpenAI-compatible LLM (FAKE_LLM_URL); the
// model's tool calls are carried out through the ACP client (permission, fs/*, terminal/*).
// MCP servers named by session/new are connected with @modelcontextprotocol/sdk (required only
// then, so the agent runs without dependencies otherwise); their tools are `mcp__<server>__<tool>`.

const http = require("node:http");

const LLM_URL = process.env.FAKE_LLM_URL;
let nextId = 1;
const pending = new Map();
const sessions = new Map();

function send(message) {
  process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);
}
function request(method, params) {
  const id = nextId++;
  send({ id, method, params });
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}
function notify(method, params) {
  send({ method, params });
}
function update(sessionId, value) {
  notify("session/update", { sessionId, update: value });
}

const MODES = [
  { id: "default", name: "Default" },
  { id: "plan", name: "Plan" },
];
function configOptions(session) {
  return [
    {
      id: "model",
      name: "Model",
      category: "model",
      type: "select",
      currentValue: session.model,
      options: [
        { value: "fake-small", name: "Fake small" },
        { value: "fake-large", name: "Fake large" },
      ],
    },
    {
      id: "effort",
      name: "Thinking",
      category: "thought_level",
      type: "select",
      currentValue: session.effort,
      options: [
        { value: "low", name: "Low" },
        { value: "high", name: "High" },
      ],
    },
  ];
}

const handlers = {
  initialize(params) {
    return {
      protocolVersion: 1,
      agentCapabilities: {
        loadSession: false,
        promptCapabilities: {},
        mcpCapabilities: { http: true },
      },
      agentInfo: { name: "fake-acp-agent", version: "0.1.0" },
      _meta: { clientCapabilities: params.clientCapabilities },
    };
  },
  async "session/new"(params) {
    const sessionId = `fake-${sessions.size + 1}`;
    const mcp = await connectMcpServers(params.mcpServers ?? []);
    const system = params._meta?.systemPrompt?.append ?? "";
    sessions.set(sessionId, {
      cwd: params.cwd,
      mcp,
      mode: "default",
      model: "fake-small",
      effort: "low",
      messages: system ? [{ role: "system", content: system }] : [],
      abort: undefined,
    });
    const session = sessions.get(sessionId);
    return {
      sessionId,
      modes: { currentModeId: "default", availableModes: MODES },
      configOptions: configOptions(session),
    };
  },
  "session/set_mode"(params) {
    const session = sessions.get(params.sessionId);
    if (!MODES.some((m) => m.id === params.modeId)) throw rpcError(-32602, "unknown mode");
    session.mode = params.modeId;
    update(params.sessionId, {
      sessionUpdate: "current_mode_update",
      currentModeId: params.modeId,
    });
    return {};
  },
  "session/set_config_option"(params) {
    const session = sessions.get(params.sessionId);
    if (params.configId === "model") session.model = params.value;
    else if (params.configId === "effort") session.effort = params.value;
    else throw rpcError(-32602, `unknown config option ${params.configId}`);
    return { configOptions: configOptions(session) };
  },
  async "session/close"(params) {
    const session = sessions.get(params.sessionId);
    sessions.delete(params.sessionId);
    for (const { client } of session?.mcp.values() ?? []) await client.close();
    return {};
  },
  "_fake/echo"(params) {
    return { echo: params };
  },
  "session/prompt"(params) {
    return runTurn(params);
  },
};

/** Connects each MCP server: a command runs as a (VM) process over stdio, a URL over HTTP. */
async function connectMcpServers(servers) {
  if (servers.length === 0) return new Map();
  const { Client } = require("@modelcontextprotocol/sdk/client/index.js");
  const clients = new Map();
  for (const server of servers) {
    const client = new Client({ name: "fake-acp-agent", version: "0.1.0" });
    let transport;
    if (server.command) {
      const { StdioClientTransport } = require("@modelcontextprotocol/sdk/client/stdio.js");
      transport = new StdioClientTransport({
        command: server.command,
        args: server.args,
        env: { ...process.env, ...Object.fromEntries(server.env.map((e) => [e.name, e.value])) },
        stderr: "inherit",
      });
    } else {
      const {
        StreamableHTTPClientTransport,
      } = require("@modelcontextprotocol/sdk/client/streamableHttp.js");
      const headers = Object.fromEntries(server.headers.map((h) => [h.name, h.value]));
      transport = new StreamableHTTPClientTransport(new URL(server.url), {
        requestInit: { headers },
      });
    }
    try {
      await client.connect(transport);
    } catch (err) {
      throw rpcError(-32603, `MCP server ${server.name}: ${err.message}`);
    }
    const { tools } = await client.listTools();
    clients.set(server.name, { client, tools: tools.map((t) => `mcp__${server.name}__${t.name}`) });
  }
  return clients;
}

async function callMcpTool(session, name, input) {
  const [, server, tool] = name.split("__");
  const client = session.mcp.get(server)?.client;
  if (!client) return `unknown MCP server ${server}`;
  const result = await client.callTool({ name: tool, arguments: input });
  const text = result.content.map((c) => (c.type === "text" ? c.text : `[${c.type}]`)).join("");
  return result.isError ? `error: ${text}` : text;
}

function rpcError(code, message) {
  return Object.assign(new Error(message), { rpcCode: code });
}

/** Posts to the LLM and parses its SSE stream: text deltas go out as chunks at once. */
function callLlm(session, sessionId) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({
      model: session.model,
      stream: true,
      messages: session.messages,
      tools: [
        { type: "function", function: { name: "write_file" } },
        ...[...session.mcp.values()].flatMap((server) =>
          server.tools.map((name) => ({ type: "function", function: { name } })),
        ),
      ],
    });
    const url = new URL(`${LLM_URL}/v1/chat/completions`);
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: { "content-type": "application/json" },
      },
      (res) => {
        let buffer = "";
        let text = "";
        const calls = [];
        if (res.statusCode !== 200) {
          res.setEncoding("utf8");
          res.on("data", (d) => (buffer += d));
          res.on("end", () => reject(new Error(`LLM answered ${res.statusCode}: ${buffer}`)));
          return;
        }
        res.setEncoding("utf8");
        res.on("data", (d) => {
          buffer += d;
          let end = buffer.indexOf("\n\n");
          while (end >= 0) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            end = buffer.indexOf("\n\n");
            const data = event.replace(/^data: /, "");
            if (data === "[DONE]") continue;
            const delta = JSON.parse(data).choices[0]?.delta ?? {};
            if (delta.content) {
              text += delta.content;
              update(sessionId, {
                sessionUpdate: "agent_message_chunk",
                content: { type: "text", text: delta.content },
              });
            }
            for (const part of delta.tool_calls ?? []) {
              calls[part.index] ??= { id: part.id, name: part.function.name, args: "" };
              calls[part.index].args += part.function.arguments ?? "";
            }
          }
        });
        res.on("end", () => resolve({ text, calls }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    session.abort = () => req.destroy(new Error("cancelled"));
    req.end(body);
  });
}

async function runTool(sessionId, session, call) {
  const input = JSON.parse(call.args || "{}");
  const toolCallId = call.id;
  update(sessionId, {
    sessionUpdate: "tool_call",
    toolCallId,
    title: `${call.name} ${JSON.stringify(input)}`,
    kind: call.name === "read_file" ? "read" : call.name === "run" ? "execute" : "edit",
    status: "pending",
    rawInput: input,
  });
  let result;
  switch (call.name) {
    case "write_file": {
      const answer = await request("session/request_permission", {
        sessionId,
        toolCall: { toolCallId, title: `Write ${input.path}`, kind: "edit", rawInput: input },
        options: [
          { optionId: "allow", name: "Allow", kind: "allow_once" },
          { optionId: "allow-always", name: "Always allow", kind: "allow_always" },
          { optionId: "deny", name: "Deny", kind: "reject_once" },
        ],
      });
      const outcome = answer.outcome;
      if (outcome.outcome !== "selected" || outcome.optionId === "deny") {
        result = `permission denied (${outcome.outcome === "selected" ? outcome.optionId : outcome.outcome})`;
        break;
      }
      await request("fs/write_text_file", { sessionId, path: input.path, content: input.content });
      result = `wrote ${input.path} (${outcome.optionId})`;
      break;
    }
    case "read_file": {
      const answer = await request("fs/read_text_file", {
        sessionId,
        path: input.path,
        line: input.line,
        limit: input.limit,
      });
      result = answer.content;
      break;
    }
    case "run": {
      const { terminalId } = await request("terminal/create", {
        sessionId,
        command: input.command,
        args: input.args ?? [],
        cwd: session.cwd,
      });
      const exit = await request("terminal/wait_for_exit", { sessionId, terminalId });
      const output = await request("terminal/output", { sessionId, terminalId });
      await request("terminal/release", { sessionId, terminalId });
      result = `exit ${exit.exitCode}: ${output.output}`;
      break;
    }
    case "crash":
      process.stderr.write("fake agent: crashing on purpose\n");
      process.exit(input.code ?? 3);
      break;
    case "hang":
      await new Promise(() => {});
      break;
    default:
      result = call.name.startsWith("mcp__")
        ? await callMcpTool(session, call.name, input)
        : `unknown tool ${call.name}`;
  }
  update(sessionId, {
    sessionUpdate: "tool_call_update",
    toolCallId,
    status: "completed",
    rawOutput: { result },
  });
  return result;
}

async function runTurn(params) {
  const sessionId = params.sessionId;
  const session = sessions.get(sessionId);
  if (!session) throw rpcError(-32602, `unknown session ${sessionId}`);
  session.cancelled = false;
  const text = params.prompt.map((b) => (b.type === "text" ? b.text : "")).join("");
  session.messages.push({ role: "user", content: text });
  for (let step = 0; step < 20; step++) {
    let answer;
    try {
      answer = await callLlm(session, sessionId);
    } catch (err) {
      if (session.cancelled) return { stopReason: "cancelled" };
      throw err;
    }
    if (session.cancelled) return { stopReason: "cancelled" };
    const calls = answer.calls.filter(Boolean);
    session.messages.push({
      role: "assistant",
      content: answer.text || null,
      ...(calls.length > 0
        ? {
            tool_calls: calls.map((c) => ({
              id: c.id,
              type: "function",
              function: { name: c.name, arguments: c.args },
            })),
          }
        : {}),
    });
    if (calls.length === 0) return { stopReason: "end_turn" };
    for (const call of calls) {
      const result = await runTool(sessionId, session, call);
      session.messages.push({ role: "tool", tool_call_id: call.id, content: String(result) });
    }
  }
  return { stopReason: "max_turn_requests" };
}

async function dispatch(message) {
  if (message.method === undefined) {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (!waiter) return;
    if (message.error) waiter.reject(new Error(message.error.message));
    else waiter.resolve(message.result);
    return;
  }
  if (message.method === "session/cancel") {
    const session = sessions.get(message.params.sessionId);
    if (session) {
      session.cancelled = true;
      session.abort?.();
    }
    return;
  }
  const handler = handlers[message.method];
  if (message.id === undefined) return;
  if (!handler) {
    send({
      id: message.id,
      error: { code: -32601, message: `Method not found: ${message.method}` },
    });
    return;
  }
  try {
    const result = await handler(message.params ?? {});
    send({ id: message.id, result: result ?? null });
  } catch (err) {
    send({ id: message.id, error: { code: err.rpcCode ?? -32603, message: err.message } });
  }
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (data) => {
  input += data;
  let newline = input.indexOf("\n");
  while (newline >= 0) {
    const line = input.slice(0, newline).trim();
    input = input.slice(newline + 1);
    newline = input.indexOf("\n");
    if (line) void dispatch(JSON.parse(line));
  }
});
process.stdin.on("end", () => process.exit(0));
