#!/usr/bin/env node
// A small MCP server for tests, built on the real @modelcontextprotocol/sdk: started by the
// fake agent as a VM process (stdio transport) when a session names it in `mcpServers`.
// Its tools report where they run, so a test can tell the call went through the VM.

const { McpServer } = require("@modelcontextprotocol/sdk/server/mcp.js");
const { StdioServerTransport } = require("@modelcontextprotocol/sdk/server/stdio.js");
const { z } = require("zod");
const fs = require("node:fs");

const server = new McpServer({ name: "fake-mcp", version: "0.1.0" });

server.registerTool(
  "add",
  {
    description: "Adds two numbers",
    inputSchema: { a: z.number(), b: z.number() },
  },
  async ({ a, b }) => ({ content: [{ type: "text", text: String(a + b) }] }),
);

server.registerTool(
  "read_vm_file",
  {
    description: "Reads a file of the machine the server runs on",
    inputSchema: { path: z.string() },
  },
  async ({ path }) => ({ content: [{ type: "text", text: fs.readFileSync(path, "utf8") }] }),
);

server.connect(new StdioServerTransport()).catch((err) => {
  process.stderr.write(`fake-mcp: ${err.stack}\n`);
  process.exit(1);
});
