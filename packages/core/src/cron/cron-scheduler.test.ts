import assert from "node:assert/strict";
import { test } from "node:test";
import { AgentOs } from "../vm/agent-os.ts";
import { commandLine } from "./cron-scheduler.ts";
import type { CronEvent } from "./cron-types.ts";

/** Resolves with the first event matching `predicate`, or rejects after `ms` (bounded waits). */
function nextEvent(
  vm: AgentOs,
  predicate: (e: CronEvent) => boolean,
  ms = 5000,
): Promise<CronEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error("no matching cron event in time"));
    }, ms);
    const off = vm.onCronEvent((event) => {
      if (!predicate(event)) return;
      clearTimeout(timer);
      off();
      resolve(event);
    });
  });
}

test("an exec job fires every second, runs in the VM and reports its result", async () => {
  const vm = await AgentOs.create();
  try {
    const events: CronEvent[] = [];
    vm.onCronEvent((e) => events.push(e));
    const job = vm.scheduleCron({
      id: "tick",
      schedule: "* * * * * *",
      action: { type: "exec", command: "echo", args: ["hello world", "$HOME"] },
    });
    assert.equal(job.id, "tick");
    const [info] = vm.listCronJobs();
    assert.equal(info.id, "tick");
    assert.equal(info.overlap, "allow");
    assert.ok(info.nextRun instanceof Date);
    const done = await nextEvent(vm, (e) => e.type === "cron:complete");
    assert.equal(done.type, "cron:complete");
    if (done.type !== "cron:complete") return;
    assert.deepEqual(done.result, { stdout: "hello world $HOME\n", stderr: "", exitCode: 0 });
    assert.equal(done.jobId, "tick");
    assert.equal(done.schedule, "* * * * * *");
    assert.equal(events[0].type, "cron:fire");
    assert.ok(vm.cancelCronJob("tick"));
    assert.equal(vm.cancelCronJob("tick"), false);
    assert.deepEqual(vm.listCronJobs(), []);
  } finally {
    await vm.dispose();
  }
});

test("a one-shot ISO time runs once, then leaves the list; failures are error events", async () => {
  const vm = await AgentOs.create();
  try {
    const at = new Date(Date.now() + 1000).toISOString();
    vm.scheduleCron({
      id: "once",
      schedule: at,
      action: { type: "exec", command: "touch /tmp/ran; exit 3" },
    });
    assert.equal(vm.listCronJobs()[0].nextRun?.toISOString(), at);
    const event = await nextEvent(vm, (e) => e.type !== "cron:fire");
    assert.equal(event.type, "cron:error");
    if (event.type !== "cron:error") return;
    assert.equal(event.result?.exitCode, 3);
    assert.match(event.error.message, /exit status 3/);
    assert.ok(await vm.exists("/tmp/ran"));
    assert.deepEqual(vm.listCronJobs(), []);
  } finally {
    await vm.dispose();
  }
});

test("a session action for an agent that is not installed fails clearly", async () => {
  const vm = await AgentOs.create();
  try {
    vm.scheduleCron({
      schedule: "* * * * * *",
      action: { type: "session", agentType: "pi", prompt: "hi" },
    });
    const event = await nextEvent(vm, (e) => e.type === "cron:error");
    assert.ok(
      event.type === "cron:error" &&
        /agent "pi" is not installed in this VM/.test(event.error.message),
    );
  } finally {
    await vm.dispose();
  }
});

test("overlap skip drops fires while a run is going; queue runs them after", async () => {
  const vm = await AgentOs.create();
  try {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let runs = 0;
    vm.scheduleCron({
      id: "skip",
      schedule: "* * * * * *",
      overlap: "skip",
      action: {
        type: "callback",
        fn: () => {
          runs++;
          return gate;
        },
      },
    });
    const skipped = await nextEvent(vm, (e) => e.type === "cron:skip" && e.jobId === "skip");
    assert.equal(skipped.type, "cron:skip");
    assert.equal(runs, 1);
    assert.equal(vm.listCronJobs()[0].running, true);
    vm.cancelCronJob("skip");
    release();

    let queuedRuns = 0;
    let releaseQueued: () => void = () => {};
    const queuedGate = new Promise<void>((r) => {
      releaseQueued = r;
    });
    vm.scheduleCron({
      id: "queue",
      schedule: "* * * * * *",
      overlap: "queue",
      action: { type: "callback", fn: () => (++queuedRuns === 1 ? queuedGate : undefined) },
    });
    // The second fire arrives while the first run waits; it runs once the first ends.
    await nextEvent(vm, (e) => e.type === "cron:fire" && e.jobId === "queue");
    await new Promise((r) => setTimeout(r, 1300));
    assert.equal(queuedRuns, 1);
    releaseQueued();
    await nextEvent(vm, (e) => e.type === "cron:complete" && e.jobId === "queue");
    await nextEvent(vm, (e) => e.type === "cron:complete" && e.jobId === "queue");
    assert.ok(queuedRuns >= 2);
  } finally {
    await vm.dispose();
  }
});

test("invalid schedules and actions fail at schedule time; dispose stops every job", async () => {
  const vm = await AgentOs.create();
  const exec = { type: "exec", command: "true" } as const;
  assert.throws(() => vm.scheduleCron({ schedule: "bad", action: exec }), /invalid schedule "bad"/);
  assert.throws(
    () => vm.scheduleCron({ schedule: "61 * * * *", action: exec }),
    /invalid schedule/,
  );
  assert.throws(
    () => vm.scheduleCron({ schedule: "2001-01-01T00:00:00Z", action: exec }),
    /in the past/,
  );
  assert.throws(
    () => vm.scheduleCron({ schedule: "* * * * *", action: { type: "nope" } as never }),
    /action.type/,
  );
  assert.throws(
    () => vm.scheduleCron({ schedule: "* * * * *", action: exec, overlap: "never" as never }),
    /overlap must be/,
  );
  vm.scheduleCron({ id: "a", schedule: "0 9 * * *", action: exec });
  assert.throws(
    () => vm.scheduleCron({ id: "a", schedule: "0 9 * * *", action: exec }),
    /already exists/,
  );
  let fired = 0;
  vm.onCronEvent(() => fired++);
  vm.scheduleCron({ schedule: "* * * * * *", action: exec });
  await vm.dispose();
  await new Promise((r) => setTimeout(r, 1200));
  assert.equal(fired, 0);
  assert.throws(() => vm.listCronJobs(), /disposed/);
});

test("exec args stay one word unless they are plain or glob words", () => {
  assert.equal(commandLine("rm", ["-rf", "/tmp/cache/*"]), "rm -rf /tmp/cache/*");
  assert.equal(commandLine("echo", ["a b", "it's", "$x"]), `echo 'a b' 'it'\\''s' '$x'`);
});
