/** ps, kill, pgrep, pkill over a VM with known processes (VM-only: pids differ from the host's). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { AgentOs } from "../vm/agent-os.ts";
import { runArgv, runBoth } from "./testing.ts";

async function withSleepers(fn: (vm: AgentOs, pids: number[]) => Promise<void>): Promise<void> {
  const vm = await AgentOs.create({ env: { LC_ALL: "C", TZ: "UTC" } });
  try {
    const a = vm.spawn("sleep", ["100"]).pid;
    const b = vm.spawn("sleep", ["200"]).pid;
    const c = vm.spawn("timeout", ["300", "sleep", "300"]).pid;
    await new Promise((r) => setTimeout(r, 20));
    await fn(vm, [a, b, c]);
  } finally {
    await vm.dispose();
  }
}

test("ps: default format lists the user's processes", async () => {
  await withSleepers(async (vm, [a, b]) => {
    const r = await runArgv(vm, ["ps"]);
    const lines = r.stdout.split("\n");
    assert.equal(lines[0], "    PID TTY          TIME CMD");
    assert.ok(lines.includes(`${String(a).padStart(7)} ?        00:00:00 sleep`));
    assert.ok(lines.includes(`${String(b).padStart(7)} ?        00:00:00 sleep`));
    assert.ok(lines.some((l) => / \? {8}00:00:00 ps$/.test(l)));
    // The VM's init runs as the user too.
    assert.ok(lines.includes("      1 ?        00:00:00 init"));
    assert.equal(r.exitCode, 0);
  });
});

test("ps -ef and ps aux headers and rows", async () => {
  await withSleepers(async (vm, [a]) => {
    const ef = await runArgv(vm, ["ps", "-ef"]);
    const efLines = ef.stdout.split("\n");
    assert.equal(efLines[0], "UID          PID    PPID  C STIME TTY          TIME CMD");
    assert.match(efLines[1], /^user {11}1 {7}0 {2}0 \d\d:\d\d \? {8}00:00:00 init$/);
    const row = efLines.find((l) => l.includes(` ${a} `))!;
    assert.match(
      row,
      new RegExp(`^user {4} {1,}${a} {1,}1  0 \\d\\d:\\d\\d \\? {8}00:00:00 sleep 100$`),
    );
    const aux = await runArgv(vm, ["ps", "aux"]);
    const auxLines = aux.stdout.split("\n");
    assert.equal(
      auxLines[0],
      "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND",
    );
    const auxRow = auxLines.find((l) => l.includes(" sleep 100"))!;
    assert.match(
      auxRow,
      /^user {1,}\d+ {2}0\.0 {2}0\.0 {6}0 {5}0 \? {8}S {4}\d\d:\d\d {3}0:00 sleep 100$/,
    );
  });
});

test("ps -o, -p, --no-headers, -u, -C", async () => {
  await withSleepers(async (vm, [a, b]) => {
    const r = await runArgv(vm, ["ps", "-o", "pid,ppid,pgid,stat,comm,args", "-p", `${a},${b}`]);
    assert.equal(
      r.stdout,
      "    PID    PPID    PGID STAT COMMAND         COMMAND\n" +
        `${String(a).padStart(7)}       1 ${String(a).padStart(7)} S    sleep           sleep 100\n` +
        `${String(b).padStart(7)}       1 ${String(b).padStart(7)} S    sleep           sleep 200\n`,
    );
    const bare = await runArgv(vm, ["ps", "--no-headers", "-o", "pid", "-p", String(a)]);
    assert.equal(bare.stdout, `${String(a).padStart(7)}\n`);
    const named = await runArgv(vm, ["ps", "-o", "pid=", "-o", "comm=NAME", "-p", String(a)]);
    assert.equal(named.stdout, `        NAME\n${String(a).padStart(7)} sleep\n`);
    const none = await runArgv(vm, ["ps", "-p", "99999"]);
    assert.deepEqual(none, { stdout: "    PID TTY          TIME CMD\n", stderr: "", exitCode: 1 });
    const byUser = await runArgv(vm, ["ps", "-u", "root", "-o", "pid="]);
    assert.deepEqual(byUser, { stdout: "", stderr: "", exitCode: 1 });
    const byUid = await runArgv(vm, ["ps", "-u", "1000", "-o", "pid=", "-p", String(a)]);
    assert.ok(byUid.stdout.startsWith("      1\n"));
    const byCmd = await runArgv(vm, ["ps", "-C", "sleep", "-o", "pid="]);
    assert.equal(byCmd.stdout.trim().split(/\s+/).length, 3);
    const user = await runArgv(vm, ["ps", "-o", "user,uid,etime,time", "-p", String(a)]);
    assert.match(
      user.stdout,
      /^USER {7}UID {5}ELAPSED {5}TIME\nuser {6}1000 {7}00:0\d 00:00:00\n$/,
    );
  });
});

test("ps: errors as procps words them", async () => {
  await withSleepers(async (vm) => {
    const badUser = await runArgv(vm, ["ps", "-u", "nosuch"]);
    assert.equal(badUser.exitCode, 1);
    assert.match(badUser.stderr, /^error: user name does not exist\n\nUsage:\n ps \[options\]/);
    const badFormat = await runArgv(vm, ["ps", "-o", "foo"]);
    assert.match(badFormat.stderr, /^error: unknown user-defined format specifier "foo"\n/);
    const badLong = await runArgv(vm, ["ps", "--foo"]);
    assert.match(badLong.stderr, /^error: unknown gnu long option\n/);
  });
});

test("kill: TERM by default, -s, -SIG, -n, -9; exit statuses reflect the signal", async () => {
  await withSleepers(async (vm, [a, b, c]) => {
    assert.deepEqual(await runArgv(vm, ["kill", String(a)]), {
      stdout: "",
      stderr: "",
      exitCode: 0,
    });
    assert.equal(await vm.waitProcess(a), 143);
    assert.equal((await runArgv(vm, ["kill", "-s", "KILL", String(b)])).exitCode, 0);
    assert.equal(await vm.waitProcess(b), 137);
    assert.equal((await runArgv(vm, ["kill", "-INT", String(c)])).exitCode, 0);
    assert.equal(await vm.waitProcess(c), 130);
  });
  await withSleepers(async (vm, [a, b]) => {
    assert.equal((await runArgv(vm, ["kill", "-9", String(a)])).exitCode, 0);
    assert.equal(await vm.waitProcess(a), 137);
    assert.equal((await runArgv(vm, ["kill", "-n", "1", String(b)])).exitCode, 0);
    assert.equal(await vm.waitProcess(b), 129);
  });
});

test("kill: a negative pid signals the process group", async () => {
  await withSleepers(async (vm, [, , c]) => {
    // timeout put its sleep in a group led by itself? No: timeout leads its own group (spawn
    // gives it pgid 0) and its child gets a new group of its own; kill the child's group.
    const pids = await runArgv(vm, ["pgrep", "-f", "^sleep 300$"]);
    const child = Number(pids.stdout.trim());
    assert.equal((await runArgv(vm, ["kill", "--", `-${child}`])).exitCode, 0);
    assert.equal(await vm.waitProcess(c), 143);
  });
});

test("kill: errors", async () => {
  await withSleepers(async (vm) => {
    assert.deepEqual(await runArgv(vm, ["kill", "999999"]), {
      stdout: "",
      stderr: "kill: (999999): No such process\n",
      exitCode: 1,
    });
    assert.deepEqual(await runArgv(vm, ["kill", "abc"]), {
      stdout: "",
      stderr: "kill: failed to parse argument: 'abc'\n",
      exitCode: 1,
    });
    const usage = await runArgv(vm, ["kill"]);
    assert.equal(usage.exitCode, 1);
    assert.match(usage.stderr, /^\nUsage:\n kill \[options\] <pid> \[\.\.\.\]\n/);
  });
});

for (const args of [
  ["-l"],
  ["-L"],
  ["-l", "15"],
  ["-l", "9"],
  ["-l", "TERM"],
  ["-l", "sigterm"],
  ["-l", "IO"],
  ["-l", "64"],
  ["--list=HUP"],
  ["-l", "143"],
]) {
  test(`kill ${args.join(" ")} matches procps`, async () => {
    const { vm, host } = await runBoth(["kill", ...args]);
    assert.deepEqual(vm, host);
  });
}

test("pgrep: by name, -f, -l, -a, -x, -n, -o, -c, -u, -P, -d, -v", async () => {
  await withSleepers(async (vm, [a, b, c]) => {
    const pids = (await runArgv(vm, ["pgrep", "sleep"])).stdout.trim().split("\n").map(Number);
    assert.deepEqual(pids.slice(0, 2), [a, b]);
    assert.equal(pids.length, 3);
    assert.equal((await runArgv(vm, ["pgrep", "-f", "sleep 200"])).stdout, `${b}\n`);
    assert.equal((await runArgv(vm, ["pgrep", "-l", "^time"])).stdout, `${c} timeout\n`);
    assert.equal(
      (await runArgv(vm, ["pgrep", "-a", "^time"])).stdout,
      `${c} timeout 300 sleep 300\n`,
    );
    assert.equal((await runArgv(vm, ["pgrep", "-x", "slee"])).exitCode, 1);
    assert.equal((await runArgv(vm, ["pgrep", "-x", "sleep", "-o"])).stdout, `${a}\n`);
    assert.equal((await runArgv(vm, ["pgrep", "-c", "sleep"])).stdout, "3\n");
    assert.equal(
      (await runArgv(vm, ["pgrep", "-d", ",", "-f", "sleep [12]00"])).stdout,
      `${a},${b}\n`,
    );
    assert.equal(
      (await runArgv(vm, ["pgrep", "-P", String(c)])).stdout.trim().split("\n").length,
      1,
    );
    assert.equal((await runArgv(vm, ["pgrep", "-u", "root", "sleep"])).exitCode, 1);
    assert.ok((await runArgv(vm, ["pgrep", "-v", "sleep"])).stdout.includes(`${c}\n`));
    assert.equal((await runArgv(vm, ["pgrep", "-i", "SLEEP", "-n"])).exitCode, 0);
    assert.equal((await runArgv(vm, ["pgrep", "nothing-like-this"])).exitCode, 1);
    const none = await runArgv(vm, ["pgrep"]);
    assert.deepEqual(none, {
      stdout: "",
      stderr: "pgrep: no matching criteria specified\nTry `pgrep --help' for more information.\n",
      exitCode: 2,
    });
  });
});

test("pkill: signals matches, -SIGNAL, --signal, -e, -f", async () => {
  await withSleepers(async (vm, [a, b, c]) => {
    assert.equal((await runArgv(vm, ["pkill", "-f", "sleep 100"])).exitCode, 0);
    assert.equal(await vm.waitProcess(a), 143);
    const echo = await runArgv(vm, ["pkill", "-KILL", "-e", "-f", "^sleep 200"]);
    assert.deepEqual(echo, { stdout: `sleep killed (pid ${b})\n`, stderr: "", exitCode: 0 });
    assert.equal(await vm.waitProcess(b), 137);
    assert.equal((await runArgv(vm, ["pkill", "--signal", "INT", "timeout"])).exitCode, 0);
    assert.equal(await vm.waitProcess(c), 130);
    assert.equal((await runArgv(vm, ["pkill", "sleep"])).exitCode, 1);
  });
});
