/**
 * A guest writing to a pipe whose reader is gone (`node ... | head -1`), against host Node 24 in
 * the same pipeline. Node ignores SIGPIPE: the write fails with EPIPE, stdout emits it as
 * 'error', and with nobody listening that ends the process (status 1, Node's "Unhandled 'error'
 * event" print). A busy loop never lets the error out: as in Node, it runs until the heap is
 * full (a small heap here on both sides, so that it comes soon).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, describe, it } from "node:test";
import { closeNodeVm, NODE_COMPARABLE_ENV, nodeVm } from "./testing.ts";

after(closeNodeVm);

interface PipelineResult {
  stdout: string;
  stderr: string;
}

/** `node <args> -e <program> | head -1`, then the two statuses, in bash on the host. */
function onHost(args: string, program: string): Promise<PipelineResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", pipeline(process.execPath, args, program)], {
      env: { PATH: "/usr/local/bin:/usr/bin:/bin", ...NODE_COMPARABLE_ENV },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 60_000,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", reject);
    child.on("close", () =>
      resolve({ stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }),
    );
  });
}

async function inVm(args: string, program: string): Promise<PipelineResult> {
  const vm = await nodeVm();
  const r = await vm.exec(pipeline("node", args, program), { timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr };
}

function pipeline(node: string, args: string, program: string): string {
  const quoted = `'${program.replaceAll("'", "'\\''")}'`;
  return `${node} ${args} -e ${quoted} | head -1; echo "\${PIPESTATUS[@]}"`;
}

/**
 * The print without its stack frames: where Node learns of the EPIPE (in write() or later,
 * from libuv) depends on when `head` exits, and Node's frames of its own are not the VM's.
 */
function withoutFrames(stderr: string): string {
  return stderr
    .split("\n")
    .filter((line) => !line.startsWith("    at "))
    .join("\n");
}

describe("stdout into a closed pipe, as host Node", () => {
  for (const [name, program] of [
    ["writes from a timer", "setInterval(() => console.log(1), 1)"],
    [
      "writes from immediates",
      "function w() { process.stdout.write('y\\n'); setImmediate(w); } w()",
    ],
    ["one large write", "process.stdout.write('1\\n'.repeat(1e6))"],
    [
      "writes that wait for drain",
      "(async () => { for (;;) if (!process.stdout.write('1\\n')) await new Promise((r) => process.stdout.once('drain', r)) })()",
    ],
    [
      "an error listener",
      "process.stdout.on('error', (e) => { console.error('handled', e.code, e.syscall, e.message); process.exit(3); }); setInterval(() => console.log(1), 1)",
    ],
  ]) {
    it(name, async () => {
      const [host, vm] = await Promise.all([onHost("", program), inVm("", program)]);
      assert.equal(vm.stdout, host.stdout, vm.stderr);
      assert.equal(withoutFrames(vm.stderr), withoutFrames(host.stderr));
    });
  }

  it("the error says where it was emitted", async () => {
    const vm = await inVm("", "setInterval(() => console.log(1), 1)");
    assert.match(
      vm.stderr,
      /^node:events:505\n {4}throw er; \/\/ Unhandled 'error' event\n {4}\^\n\nError: write EPIPE\n/,
    );
    assert.match(vm.stderr, /\nEmitted 'error' event on Socket instance at:\n/);
    assert.match(vm.stderr, /\{\n {2}errno: -32,\n {2}code: 'EPIPE',\n {2}syscall: 'write'\n\}/);
  });

  it("a busy loop runs out of heap", async () => {
    const program = "for (;;) console.log(1)";
    const args = "--max-old-space-size=32";
    const [host, vm] = await Promise.all([onHost(args, program), inVm(args, program)]);
    assert.equal(host.stdout, "1\n134 0\n");
    assert.equal(vm.stdout, host.stdout, vm.stderr);
    // V8 words the reason its own way ("Reached heap limit", "Ineffective mark-compacts ...").
    const fatal = /\nFATAL ERROR: [^\n]*Allocation failed - JavaScript heap out of memory\n/;
    assert.match(host.stderr, fatal);
    assert.match(vm.stderr, fatal);
  });
});
