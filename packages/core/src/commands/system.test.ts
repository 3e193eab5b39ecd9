/**
 * The small system commands: printenv, whoami, id, groups, hostname, uname, nproc, which,
 * nice, nohup, clear, tput, stty, less, more, watch. Differential where the host and the VM
 * agree by construction; identity and host names differ (VM user "user", host root), so those
 * are asserted on the VM's own output.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runBoth, runInVm } from "./testing.ts";

const DIFFERENTIAL: Array<{
  argv: string[];
  env?: Record<string, string>;
  files?: Record<string, string>;
}> = [
  { argv: ["printenv", "LC_ALL", "TZ"] },
  { argv: ["printenv", "TZ", "NOPE"] },
  { argv: ["printenv", "-0", "TZ", "LC_ALL"] },
  { argv: ["printenv", "--null", "TZ"] },
  { argv: ["printenv", "-x"] },
  { argv: ["printenv", "--foo"] },
  { argv: ["printenv", "A=B"] },
  { argv: ["whoami", "x"] },
  { argv: ["whoami", "-x"] },
  { argv: ["id", "-n"] },
  { argv: ["id", "-u", "-g"] },
  { argv: ["id", "-r"] },
  { argv: ["id", "nosuchuser"] },
  { argv: ["id", "-x"] },
  { argv: ["id", "-u", "root"] },
  { argv: ["id", "-un", "root"] },
  { argv: ["id", "-G", "root"] },
  { argv: ["id", "-gn", "root"] },
  { argv: ["id", "root"] },
  { argv: ["id", "-z"] },
  { argv: ["groups", "nosuchuser", "x"] },
  { argv: ["groups", "root"] },
  { argv: ["uname"] },
  { argv: ["uname", "-s"] },
  { argv: ["uname", "-o"] },
  { argv: ["uname", "-m"] },
  { argv: ["uname", "-p"] },
  { argv: ["uname", "-i"] },
  { argv: ["uname", "-s", "-o", "-m"] },
  { argv: ["uname", "--kernel-name", "--machine"] },
  { argv: ["uname", "-x"] },
  { argv: ["uname", "--foo"] },
  { argv: ["uname", "extra"] },
  { argv: ["nproc", "x"] },
  { argv: ["nproc", "--foo"] },
  { argv: ["nproc", "--ignore=abc"] },
  { argv: ["nproc", "--ignore=999"] },
  { argv: ["nproc", "--all", "--ignore", "999"] },
  { argv: ["which"] },
  { argv: ["which", "nonexistent-xyz"] },
  { argv: ["which", "-x", "cat"] },
  { argv: ["which", "./missing"] },
  { argv: ["which", "./script.sh"], files: { "script.sh": "#!/bin/sh\n" } },
  { argv: ["nice"] },
  { argv: ["nice", "-n", "x", "true"] },
  { argv: ["nice", "-n", "5"] },
  { argv: ["nice", "-n", "5", "echo", "hi"] },
  { argv: ["nice", "-5", "echo", "hi"] },
  { argv: ["nice", "--adjustment=3", "echo", "hi"] },
  { argv: ["nice", "nonexistent-xyz"] },
  { argv: ["nice", "-q"] },
  { argv: ["nohup"] },
  { argv: ["nohup", "echo", "hi"] },
  { argv: ["nohup", "nonexistent-xyz"] },
  { argv: ["nohup", "-x"] },
  { argv: ["clear"], env: { TERM: "xterm" } },
  { argv: ["clear"], env: { TERM: "xterm-256color" } },
  { argv: ["clear", "-x"], env: { TERM: "xterm" } },
  { argv: ["clear"], env: { TERM: "nosuchterm" } },
  { argv: ["clear", "-T", "xterm"] },
  { argv: ["stty"] },
  { argv: ["stty", "-a"] },
  { argv: ["less", "f1"], files: { f1: "one\ntwo\n" } },
  { argv: ["less", "f1", "f2"], files: { f1: "a\n", f2: "b\n" } },
  { argv: ["more", "f1", "f2"], files: { f1: "a\n", f2: "b\n" } },
  { argv: ["more", "f1"], files: { f1: "a\n" } },
  { argv: ["less", "missing"] },
  { argv: ["more", "missing"] },
  { argv: ["less", "-R", "f1"], files: { f1: "x\n" } },
];

for (const tc of [
  "cols",
  "lines",
  "colors",
  "bold",
  "sgr0",
  "smso",
  "rmso",
  "el",
  "ed",
  "home",
  "cnorm",
  "civis",
  "dim",
  "rev",
  "smul",
  "rmul",
  "sc",
  "rc",
  "blink",
  "clear",
  "longname",
  "nosuchcap",
]) {
  for (const term of ["xterm-256color", "xterm"]) {
    DIFFERENTIAL.push({ argv: ["tput", tc], env: { TERM: term } });
  }
}
for (const args of [
  ["setaf", "1"],
  ["setaf", "9"],
  ["setaf", "100"],
  ["setab", "2"],
  ["setab", "12"],
  ["cup", "5", "10"],
  ["-T", "xterm", "bold"],
  ["-T", "nosuch", "bold"],
]) {
  for (const term of ["xterm-256color", "xterm"]) {
    DIFFERENTIAL.push({ argv: ["tput", ...args], env: { TERM: term } });
  }
}
DIFFERENTIAL.push({ argv: ["tput", "cols"], env: { TERM: "xterm", COLUMNS: "132", LINES: "50" } });
DIFFERENTIAL.push({ argv: ["tput", "lines"], env: { TERM: "xterm", COLUMNS: "132", LINES: "50" } });

for (const { argv, env, files } of DIFFERENTIAL) {
  const label = `${env?.TERM ? `TERM=${env.TERM} ` : ""}${argv.join(" ")}`;
  test(`${label} matches the host`, async () => {
    const { vm, host } = await runBoth(argv, { env, files });
    assert.deepEqual(vm, host);
  });
}

test("printenv: the whole environment, one per line", async () => {
  const r = await runInVm(["printenv"]);
  assert.equal(r.exitCode, 0);
  assert.ok(r.stdout.split("\n").includes("HOME=/home/user"));
  assert.ok(r.stdout.split("\n").includes("TZ=UTC"));
});

test("whoami / id / groups: the VM's user", async () => {
  assert.deepEqual(await runInVm(["whoami"]), { stdout: "user\n", stderr: "", exitCode: 0 });
  assert.equal((await runInVm(["id"])).stdout, "uid=1000(user) gid=1000(user) groups=1000(user)\n");
  assert.equal((await runInVm(["id", "-u"])).stdout, "1000\n");
  assert.equal((await runInVm(["id", "-un"])).stdout, "user\n");
  assert.equal((await runInVm(["id", "-g"])).stdout, "1000\n");
  assert.equal((await runInVm(["id", "-gn"])).stdout, "user\n");
  assert.equal((await runInVm(["id", "-G"])).stdout, "1000\n");
  assert.equal((await runInVm(["id", "-Gn"])).stdout, "user\n");
  assert.equal((await runInVm(["id", "-nG", "user"])).stdout, "user users\n");
  assert.equal(
    (await runInVm(["id", "user"])).stdout,
    "uid=1000(user) gid=1000(user) groups=1000(user),100(users)\n",
  );
  assert.equal((await runInVm(["id", "-uz"])).stdout, "1000\0");
  assert.equal((await runInVm(["groups"])).stdout, "user\n");
  assert.equal((await runInVm(["groups", "user"])).stdout, "user : user users\n");
});

test("hostname", async () => {
  assert.deepEqual(await runInVm(["hostname"]), { stdout: "agentos\n", stderr: "", exitCode: 0 });
  assert.equal((await runInVm(["hostname", "-s"])).stdout, "agentos\n");
  assert.equal((await runInVm(["hostname", "-f"])).stdout, "agentos\n");
  assert.equal((await runInVm(["hostname", "-d"])).stdout, "\n");
  assert.equal((await runInVm(["hostname", "-i"])).stdout, "127.0.1.1\n");
  assert.deepEqual(await runInVm(["hostname", "newname"]), {
    stdout: "",
    stderr: "hostname: you must be root to change the host name\n",
    exitCode: 1,
  });
  assert.equal((await runInVm(["hostname", "-Z"])).exitCode, 1);
});

test("uname -a and friends", async () => {
  assert.equal(
    (await runInVm(["uname", "-a"])).stdout,
    "Linux agentos 6.6.0-agentos #1 SMP PREEMPT_DYNAMIC agentOS x86_64 GNU/Linux\n",
  );
  assert.equal((await runInVm(["uname", "-n"])).stdout, "agentos\n");
  assert.equal((await runInVm(["uname", "-r"])).stdout, "6.6.0-agentos\n");
  assert.equal((await runInVm(["uname", "-rs"])).stdout, "Linux 6.6.0-agentos\n");
  assert.equal((await runInVm(["uname", "-v"])).stdout, "#1 SMP PREEMPT_DYNAMIC agentOS\n");
  assert.equal(
    (await runInVm(["uname", "-snrvmpio"])).stdout,
    "Linux agentos 6.6.0-agentos #1 SMP PREEMPT_DYNAMIC agentOS x86_64 unknown unknown GNU/Linux\n",
  );
});

test("nproc: the CPUs /proc/cpuinfo lists, --ignore, OMP_NUM_THREADS", async () => {
  const cpus = (await runInVm(["cat", "/proc/cpuinfo"])).stdout.match(/^processor/gm)?.length ?? 1;
  assert.equal((await runInVm(["nproc"])).stdout, `${cpus}\n`);
  assert.equal((await runInVm(["nproc", "--all"])).stdout, `${cpus}\n`);
  assert.equal((await runInVm(["nproc", "--ignore=1"])).stdout, `${Math.max(1, cpus - 1)}\n`);
  assert.equal((await runInVm(["nproc"], { env: { OMP_NUM_THREADS: "7" } })).stdout, "7\n");
  assert.equal(
    (await runInVm(["nproc"], { env: { OMP_NUM_THREADS: "7", OMP_THREAD_LIMIT: "3" } })).stdout,
    "3\n",
  );
  assert.equal(
    (await runInVm(["nproc", "--all"], { env: { OMP_NUM_THREADS: "7" } })).stdout,
    `${cpus}\n`,
  );
});

test("which: PATH lookup, -a, missing names", async () => {
  assert.deepEqual(await runInVm(["which", "cat"]), {
    stdout: "/usr/bin/cat\n",
    stderr: "",
    exitCode: 0,
  });
  assert.equal((await runInVm(["which", "-a", "cat"])).stdout, "/usr/bin/cat\n/bin/cat\n");
  assert.deepEqual(await runInVm(["which", "cat", "nope-xyz", "echo"]), {
    stdout: "/usr/bin/cat\n/usr/bin/echo\n",
    stderr: "",
    exitCode: 1,
  });
  assert.equal((await runInVm(["which", "/usr/bin/cat"])).stdout, "/usr/bin/cat\n");
  assert.equal((await runInVm(["which", "cat"], { env: { PATH: "/bin" } })).stdout, "/bin/cat\n");
});

test("nohup: ignores SIGHUP for the command and passes its status", async () => {
  const r = await runInVm(["nohup", "false"]);
  assert.equal(r.exitCode, 1);
  const t = await runInVm(["timeout", "-s", "HUP", "0.1", "nohup", "sleep", "0.5"]);
  // The HUP is ignored, so sleep completes: timeout still reports the timeout.
  assert.equal(t.exitCode, 124);
});

test("stty: without a PTY every use fails like a pipe", async () => {
  assert.deepEqual(await runInVm(["stty", "sane"]), {
    stdout: "",
    stderr: "stty: 'standard input': Inappropriate ioctl for device\n",
    exitCode: 1,
  });
});

test("less/more pass stdin through", async () => {
  assert.deepEqual(await runInVm(["less"], { stdin: "piped\n" }), {
    stdout: "piped\n",
    stderr: "",
    exitCode: 0,
  });
  assert.deepEqual(await runInVm(["more"], { stdin: "piped\n" }), {
    stdout: "piped\n",
    stderr: "",
    exitCode: 0,
  });
});

test("tput: no TERM, init/reset without a terminal", async () => {
  const env = { TERM: "" };
  assert.equal((await runInVm(["tput", "cols"], { env })).exitCode, 2);
  assert.deepEqual(await runInVm(["tput", "reset"], { env: { TERM: "xterm" } }), {
    stdout: "",
    stderr: "tput: terminal attributes: No such device or address\n",
    exitCode: 4,
  });
});

test("watch -x -t -g: runs until the output changes, printing each run", async () => {
  const r = await runInVm(["watch", "-x", "-t", "-g", "-n", "0.1", "date", "+%N"]);
  assert.equal(r.exitCode, 0);
  assert.equal(r.stdout.trim().split("\n").length, 2);
  const titled = await runInVm(["watch", "-x", "-g", "-n", "0.1", "date", "+%N"]);
  assert.match(titled.stdout, /^Every 0\.1s: date \+%N\n\n\d+\n/);
  const failing = await runInVm(["watch", "-x", "-t", "-e", "-n", "0.1", "false"]);
  assert.equal(failing.exitCode, 8);
  const usage = await runInVm(["watch"]);
  assert.equal(usage.exitCode, 1);
});
