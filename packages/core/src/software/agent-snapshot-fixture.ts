/**
 * Test and bench fixture for `agent.snapshot`: a package tree on the host with an ACP adapter
 * and SDKs for it, one pure and two whose load touches the host. Written at run time into a
 * directory the caller owns.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defineSoftware, type SoftwareDescriptor } from "./define-software.ts";

/**
 * The fixture adapter sets a global counter to 100 and only then imports its SDK (named by
 * SNAP_SDK); the SDK increments it while it loads and exports the value. Loaded per process
 * the SDK sees 101; evaluated into the agent's snapshot before any process existed, it saw
 * nothing and baked 1. Every prompt answers with the SDK's `describe()`.
 */
const ADAPTER = `
import { createInterface } from "node:readline";
globalThis.__snapOrder = 100;
const sdk = await import(process.env.SNAP_SDK);
const send = (m) => process.stdout.write(JSON.stringify({ jsonrpc: "2.0", ...m }) + "\\n");
createInterface({ input: process.stdin }).on("line", (line) => {
  const msg = JSON.parse(line);
  if (msg.method === "initialize")
    send({ id: msg.id, result: { protocolVersion: 1, agentCapabilities: {} } });
  else if (msg.method === "session/new") send({ id: msg.id, result: { sessionId: "s1" } });
  else if (msg.method === "session/prompt") {
    const text = JSON.stringify(sdk.describe());
    send({ method: "session/update", params: { sessionId: "s1", update: {
      sessionUpdate: "agent_message_chunk", content: { type: "text", text } } } });
    send({ id: msg.id, result: { stopReason: "end_turn" } });
  } else if (msg.id !== undefined)
    send({ id: msg.id, error: { code: -32601, message: "unknown " + msg.method } });
});
`;

/**
 * A pure SDK: a module graph with a big table, a CommonJS dependency, a builtin, and `modules`
 * generated modules (each a few functions and a small table) to make its load heavier.
 */
function pureSdk(modules: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < modules; i++) {
    files[`lib/m${i}.js`] =
      `const rows = Array.from({ length: 500 }, (_, j) => ({ id: j, key: "k${i}-" + j }));
export function lookup${i}(id) { return rows[id % rows.length].key; }
export class Thing${i} { constructor(x) { this.x = x; } twice() { return this.x * 2 + ${i}; } }
export const size${i} = rows.length;
`;
  }
  const imports = Array.from(
    { length: modules },
    (_, i) => `import { size${i} } from "./lib/m${i}.js";`,
  );
  const total =
    modules === 0 ? "0" : Array.from({ length: modules }, (_, i) => `size${i}`).join(" + ");
  return { ...files, ...pureSdkBase(imports.join("\n"), total) };
}

function pureSdkBase(imports: string, total: string): Record<string, string> {
  return {
    "index.js": `import { join } from "node:path";
import dep from "snap-dep";
import { table } from "./table.js";
${imports}
const generatedRows = ${total};
globalThis.__snapOrder = (globalThis.__snapOrder ?? 0) + 1;
export const initOrder = globalThis.__snapOrder;
const metaUrl = import.meta.url;
export function describe() {
  return { initOrder, metaUrl, metaDir: import.meta.dirname, depDir: dep.dir,
    sum: table.reduce((a, b) => a + b, 0), joined: join("a", "b"), pid: typeof process.pid,
    generatedRows };
}
export default { kind: "snap-sdk" };
`,
    "table.js": "export const table = Array.from({ length: 200000 }, (_, i) => (i * 7) % 13);\n",
    "bin/check.cjs": `const sdk = require("snap-sdk");
console.log(JSON.stringify({ ...sdk.describe(), defaultKind: sdk.default.kind }));
`,
  };
}

/** SDKs whose load touches the host: a file read it catches, and a timer. */
const impureSdk = (init: string) => ({
  "index.js": `${init}
globalThis.__snapOrder = (globalThis.__snapOrder ?? 0) + 1;
const initOrder = globalThis.__snapOrder;
export function describe() { return { initOrder }; }
`,
});

function writePackage(dir: string, manifest: object, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify(manifest));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

/** Writes the fixture under `root`; returns the software's packageDir. */
export function makeSnapshotFixture(root: string, modules = 20): string {
  const sw = join(root, "sw");
  const nm = join(sw, "node_modules");
  writePackage(sw, { name: "snap-software", version: "1.0.0" }, {});
  writePackage(
    join(nm, "snap-acp"),
    { name: "snap-acp", version: "1.0.0", type: "module", bin: { "snap-acp": "acp.mjs" } },
    { "acp.mjs": ADAPTER },
  );
  writePackage(
    join(nm, "snap-sdk"),
    {
      name: "snap-sdk",
      version: "1.0.0",
      type: "module",
      main: "index.js",
      dependencies: { "snap-dep": "1" },
    },
    pureSdk(modules),
  );
  writePackage(
    join(nm, "snap-dep"),
    { name: "snap-dep", version: "1.0.0", main: "index.js" },
    { "index.js": '"use strict";\nmodule.exports = { dir: __dirname };\n' },
  );
  writePackage(
    join(nm, "snap-sdk-fs"),
    { name: "snap-sdk-fs", version: "1.0.0", type: "module", main: "index.js" },
    impureSdk(
      `import { readFileSync } from "node:fs";
export let config;
try { config = readFileSync("/etc/hostname", "utf8"); } catch { config = "none"; }`,
    ),
  );
  writePackage(
    join(nm, "snap-sdk-timer"),
    { name: "snap-sdk-timer", version: "1.0.0", type: "module", main: "index.js" },
    impureSdk("setTimeout(() => {}, 10);"),
  );
  return sw;
}

/** An agent `id` driving SDK `sdk` through the fixture adapter. */
export function snapshotFixtureAgent(
  packageDir: string,
  id: string,
  sdk: string,
  snapshot: boolean,
): SoftwareDescriptor {
  return defineSoftware({
    name: `snap-${id}`,
    type: "agent",
    packageDir,
    requires: ["snap-acp", sdk],
    agent: {
      id,
      acpAdapter: "snap-acp",
      agentPackage: sdk,
      snapshot,
      staticEnv: { SNAP_SDK: sdk },
    },
  });
}
