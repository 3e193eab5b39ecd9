/**
 * Disposing a VM releases what its guest node processes held on the host: a process the
 * shutdown kills (and reaps at once) still runs its cleanups, so its pending timers are cleared
 * and nothing keeps the host process alive. Checked in a separate host process, whose natural
 * exit is the assertion.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const agentOs = fileURLToPath(new URL("../../vm/agent-os.ts", import.meta.url));

const HOST_SCRIPT = `
import { AgentOs } from ${JSON.stringify(agentOs)};
const vm = await AgentOs.create({});
// A parent with a child, both waiting on a ten-minute timer: the shutdown kills and reaps both.
await vm.writeFile("/tmp/parent.js", \`
  const { spawn } = require("child_process");
  spawn(process.execPath, ["-e", "setTimeout(() => {}, 600000); console.log('child ready')"], { stdio: "inherit" });
  setTimeout(() => {}, 600000);\`);
const { pid } = vm.spawn("node", ["/tmp/parent.js"], {});
await new Promise((resolve) => vm.onProcessOutput(pid, (data) => {
  if (new TextDecoder().decode(data).includes("child ready")) resolve();
}));
await vm.dispose();
console.log("disposed");
`;

test("a disposed VM leaves no guest timers holding the host process", async () => {
  const child = spawn(process.execPath, ["--input-type=module", "-e", HOST_SCRIPT], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d));
  child.stderr.on("data", (d: Buffer) => (stderr += d));
  // Far below the guest's ten-minute timers: ending at all is the point, not how fast.
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on("exit", (c, s) => resolve([c, s])),
  );
  clearTimeout(timer);
  assert.equal(stdout, "disposed\n", stderr);
  assert.deepEqual([code, signal], [0, null], `host process did not end by itself\n${stderr}`);
});
