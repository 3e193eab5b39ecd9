/** `AgentOs.exec`: a shell command through the VM's bash, with its output, status and limits. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AgentOs } from "./agent-os.ts";

describe("AgentOs.exec", () => {
  let vm: AgentOs;
  before(async () => {
    vm = await AgentOs.create();
  });
  after(async () => {
    await vm.dispose();
  });

  it("runs a command line and collects stdout, stderr and the exit code", async () => {
    const r = await vm.exec("echo hello && ls /home/user; echo oops >&2; exit 3");
    assert.deepEqual(r, { stdout: "hello\n", stderr: "oops\n", exitCode: 3 });
  });

  it("reports bash's errors and statuses", async () => {
    const r = await vm.exec("nosuchcommand");
    assert.equal(r.exitCode, 127);
    assert.equal(r.stderr, "bash: line 1: nosuchcommand: command not found\n");
    const syntax = await vm.exec("if then");
    assert.equal(syntax.exitCode, 2);
    assert.match(syntax.stderr, /syntax error near unexpected token `then'/);
  });

  it("feeds stdin when given, and EOF at once when not (never waits on a terminal)", async () => {
    assert.equal((await vm.exec("cat", { stdin: "from host\n" })).stdout, "from host\n");
    const start = Date.now();
    const r = await vm.exec('cat; read x; echo "status $?"');
    assert.equal(r.stdout, "status 1\n");
    assert.ok(Date.now() - start < 5000);
  });

  it("honours cwd and env", async () => {
    const r = await vm.exec("pwd; echo $GREETING", { cwd: "/tmp", env: { GREETING: "hi" } });
    assert.equal(r.stdout, "/tmp\nhi\n");
  });

  it("keeps files written by one exec for the next", async () => {
    await vm.exec("mkdir -p /tmp/state && echo kept > /tmp/state/f");
    assert.equal((await vm.exec("cat /tmp/state/f")).stdout, "kept\n");
    assert.equal(new TextDecoder().decode(await vm.readFile("/tmp/state/f")), "kept\n");
  });

  it("streams output through onStdout/onStderr as it is produced", async () => {
    const chunks: string[] = [];
    const r = await vm.exec("for i in 1 2 3; do echo $i; done", {
      onStdout: (d) => chunks.push(new TextDecoder().decode(d)),
    });
    assert.equal(chunks.join(""), "1\n2\n3\n");
    assert.equal(r.stdout, "1\n2\n3\n");
  });

  it("kills the command and its background children on timeout (exit 124)", async () => {
    const start = Date.now();
    const r = await vm.exec("sleep 30 & sleep 30; echo never", { timeout: 100 });
    assert.equal(r.exitCode, 124);
    assert.equal(r.timedOut, true);
    assert.equal(r.stdout, "");
    assert.ok(Date.now() - start < 5000);
    const left = vm
      .allProcesses()
      .filter((p) => p.command.endsWith("sleep") && p.status === "running");
    assert.equal(left.length, 0);
  });

  it("stops a busy shell loop on timeout (the interpreter yields)", async () => {
    const r = await vm.exec("while :; do :; done", { timeout: 100 });
    assert.equal(r.exitCode, 124);
  });

  it("kills endless output at maxBuffer instead of growing without bound", async () => {
    await assert.rejects(
      vm.exec("while :; do echo yyyyyyyyyyyyyyyyyyyy; done", { maxBuffer: 10_000 }),
      /maxBuffer/,
    );
  });

  it("ends deep recursion with bash's nesting error, not a host crash", async () => {
    const r = await vm.exec("f() { f; }; f; echo after");
    assert.notEqual(r.exitCode, 0);
    assert.match(r.stderr, /maximum function nesting level exceeded/);
  });

  it("contains a fork loop within the process limit", async () => {
    const small = await AgentOs.create({ limits: { maxProcesses: 40 } });
    try {
      const r = await small.exec("for ((i=0;i<100;i++)); do sleep 1 & done; wait", {
        timeout: 5000,
      });
      assert.match(r.stderr, /fork: retry: Resource temporarily unavailable/);
    } finally {
      await small.dispose();
    }
  });

  it("runs many commands concurrently in one VM", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => vm.exec(`echo ${i}; exit ${i % 3}`)),
    );
    results.forEach((r, i) => {
      assert.equal(r.stdout, `${i}\n`);
      assert.equal(r.exitCode, i % 3);
    });
  });
});
