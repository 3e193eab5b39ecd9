/**
 * MCP servers named by createSession reach the agent inside the VM: a local one (a command)
 * runs as a VM process, a remote one (a URL) is reached through the VM's egress policy. The
 * agent is the fake ACP agent, which connects them with the real @modelcontextprotocol/sdk.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";
import type { NetworkEvent } from "../net/network-events.ts";
import { defineSoftware } from "../software/define-software.ts";
import { AgentOs } from "../vm/agent-os.ts";
import { type ScriptedLlmServer, startScriptedLlmServer } from "./testing/llm-server.ts";

const fakeAgentDir = join(dirname(fileURLToPath(import.meta.url)), "testing", "fake-acp-agent");
const fakeAgent = defineSoftware({
  name: "fake-agent",
  type: "agent",
  packageDir: fakeAgentDir,
  // The SDK is found from the fixture up, in the repository's node_modules.
  requires: ["agentos-fake-acp-agent", "@modelcontextprotocol/sdk"],
  agent: {
    id: "fake",
    acpAdapter: "agentos-fake-acp-agent",
    agentPackage: "agentos-fake-acp-agent",
  },
});

const MCP_SERVER_SCRIPT = "/root/node_modules/agentos-fake-acp-agent/mcp-server.js";

/** A remote MCP server on the host's loopback (streamable HTTP, stateless). */
async function startRemoteMcp(): Promise<{ server: Server; url: string; port: number }> {
  const server = createServer((req, res) => {
    const mcp = new McpServer({ name: "host-mcp", version: "0.1.0" });
    mcp.registerTool(
      "greet",
      { description: "Greets someone", inputSchema: { name: z.string() } },
      async ({ name }) => ({ content: [{ type: "text", text: `hello ${name} from the host` }] }),
    );
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on("close", () => {
      void transport.close();
      void mcp.close();
    });
    void mcp
      .connect(transport)
      .then(() => transport.handleRequest(req, res))
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/mcp`, port };
}

const toolResults = (llm: ScriptedLlmServer, request: number) =>
  ((llm.requests[request]?.body.messages ?? []) as Array<{ role: string; content: string }>)
    .filter((m) => m.role === "tool")
    .map((m) => m.content);

const toolNames = (llm: ScriptedLlmServer, request: number) =>
  ((llm.requests[request]?.body.tools ?? []) as Array<{ function: { name: string } }>).map(
    (t) => t.function.name,
  );

describe("MCP servers of a session", () => {
  let remote: Awaited<ReturnType<typeof startRemoteMcp>>;
  before(async () => {
    remote = await startRemoteMcp();
  });
  after(() => new Promise<void>((resolve) => remote.server.close(() => resolve())));

  test("a local MCP server runs as a VM process and its tools answer from the VM", async () => {
    const llm = await startScriptedLlmServer([
      {
        toolCalls: [
          { name: "mcp__calc__add", input: { a: 2, b: 40 } },
          { name: "mcp__calc__read_vm_file", input: { path: "/home/user/only-in-vm.txt" } },
        ],
      },
      { text: "done" },
    ]);
    const vm = await AgentOs.create({ software: [fakeAgent], loopbackExemptPorts: [llm.port] });
    try {
      await vm.writeFile("/home/user/only-in-vm.txt", "written by the host into the VM");
      const { sessionId } = await vm.createSession("fake", {
        env: { FAKE_LLM_URL: llm.url },
        mcpServers: [{ type: "local", name: "calc", command: "node", args: [MCP_SERVER_SCRIPT] }],
      });
      // The server is a process of the VM, a child of the adapter.
      const adapterPid = vm.listSessions()[0]?.pid;
      const server = vm
        .allProcesses()
        .find((p) => p.status === "running" && p.args.includes(MCP_SERVER_SCRIPT));
      assert.ok(server, `no MCP server in ${JSON.stringify(vm.allProcesses())}`);
      assert.equal(server.ppid, adapterPid);
      const result = await vm.prompt(sessionId, "use the tools");
      assert.equal(result.text, "done");
      assert.deepEqual(toolNames(llm, 0), [
        "write_file",
        "mcp__calc__add",
        "mcp__calc__read_vm_file",
      ]);
      assert.deepEqual(toolResults(llm, 1), ["42", "written by the host into the VM"]);
      vm.closeSession(sessionId);
    } finally {
      await vm.dispose();
      await llm.close();
    }
  });

  test("a remote MCP server is reached through the egress policy", async () => {
    const llm = await startScriptedLlmServer([
      { toolCalls: [{ name: "mcp__host__greet", input: { name: "vm" } }] },
      { text: "greeted" },
    ]);
    const mcpServers = [{ type: "remote" as const, name: "host", url: remote.url }];
    const env = { FAKE_LLM_URL: llm.url };

    // Host loopback is denied by default: the agent cannot connect, and the host sees why.
    const denied = await AgentOs.create({ software: [fakeAgent], loopbackExemptPorts: [llm.port] });
    try {
      const events: NetworkEvent[] = [];
      denied.onNetworkEvent((e) => events.push(e));
      await assert.rejects(denied.createSession("fake", { env, mcpServers }), /MCP server host/);
      assert.ok(
        events.some((e) => e.type === "denied" && e.port === remote.port),
        `no denial event in ${JSON.stringify(events)}`,
      );
    } finally {
      await denied.dispose();
    }

    const allowed = await AgentOs.create({
      software: [fakeAgent],
      loopbackExemptPorts: [llm.port, remote.port],
    });
    try {
      const { sessionId } = await allowed.createSession("fake", { env, mcpServers });
      const result = await allowed.prompt(sessionId, "greet");
      assert.equal(result.text, "greeted");
      assert.deepEqual(toolResults(llm, 1), ["hello vm from the host"]);
    } finally {
      await allowed.dispose();
      await llm.close();
    }
  });
});
